-- The fact store: built by bot.store.writer, read by bot.store.facts. Never written
-- while the bot runs. Every claim keeps its document and sentence.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT,
    outlet TEXT,
    author TEXT,
    editor TEXT,
    published TEXT,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL
);

CREATE TABLE passages (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    spoiler_level INTEGER NOT NULL,
    UNIQUE (document_id, position)
);

CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    passage_id INTEGER NOT NULL REFERENCES passages(id),
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    spoiler_level INTEGER NOT NULL,
    spoiler_reason TEXT NOT NULL,
    UNIQUE (document_id, position)
);

-- Each distinct sentence text once (a corpus repeats captions, headings and whole
-- articles), with its least spoilery occurrence: lowest level, then first. /ask ranks these,
-- so a sentence a hundred documents repeat is ranked once, and a viewer may see it when
-- they may see any of its occurrences.
CREATE TABLE sentence_texts (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE,
    spoiler_level INTEGER NOT NULL,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id)
);

-- External-content FTS5 index over the distinct texts (BM25 rank, snippets). The porter
-- stemmer makes "ends" find "end". Sentences, not paragraphs: every sentence has its own
-- spoiler level, so a safe sentence in a spoilery paragraph can still be shown.
CREATE VIRTUAL TABLE sentence_texts_fts USING fts5(
    text, content='sentence_texts', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);

CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    category TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    predicate TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    spoiler_level INTEGER NOT NULL,
    spoiler_reason TEXT NOT NULL,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id),
    quote TEXT NOT NULL,
    origin TEXT NOT NULL
);
CREATE INDEX facts_subject ON facts (subject_type, subject_id, predicate);
CREATE INDEX facts_category ON facts (category, spoiler_level);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id)
);

CREATE TABLE characters (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    actor_id TEXT REFERENCES people(id),
    sentence_id INTEGER NOT NULL REFERENCES sentences(id),
    billing INTEGER NOT NULL
);

CREATE TABLE aliases (
    key TEXT NOT NULL,
    alias TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id),
    quote TEXT NOT NULL,
    PRIMARY KEY (key, entity_type, entity_id)
);

CREATE TABLE songs (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    release_order INTEGER,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id)
);

CREATE TABLE song_credits (
    song_id TEXT NOT NULL REFERENCES songs(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    credit TEXT NOT NULL,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id),
    PRIMARY KEY (song_id, person_id, credit)
);

CREATE TABLE show (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE episodes (
    number INTEGER PRIMARY KEY,
    air_time TEXT NOT NULL,
    derived INTEGER NOT NULL,
    basis TEXT NOT NULL
);

CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    category TEXT NOT NULL,
    difficulty TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    wrong1 TEXT NOT NULL,
    wrong2 TEXT NOT NULL,
    wrong3 TEXT NOT NULL,
    spoiler_level INTEGER NOT NULL,
    spoiler_reason TEXT NOT NULL,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id),
    quote TEXT NOT NULL,
    origin TEXT NOT NULL
);
CREATE INDEX questions_filter ON questions (spoiler_level, category, difficulty);

CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    value TEXT NOT NULL,
    chosen INTEGER NOT NULL,
    why TEXT NOT NULL,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id),
    quote TEXT NOT NULL
);
