"""Question understanding: which relation a fan's question asks about. Pure, no store.

The forms are a vocabulary of how fans ask ("who plays", "what does X do", "when does
episode 2 air"); what the answer says comes from the store. Each form maps to the store
predicates that answer it, so a new document's facts of those kinds become answerable
without code changes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

from bot.answers._phrasebook import in_english, phrase_words

_WORD = re.compile(r"[\w+]+(?:[-'’][\w]+)*", re.UNICODE)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
_EPISODE = re.compile(
    r"\b(?:episode|ep|eps|epi)\s*\.?\s*#?\s*(?P<n>\d{1,2}|one|two|three|four)\b"
    r"|\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:episode|ep)\b"
    r"|\b(?P<last>last|final)\s+(?:episode|ep)\b|\b(?P<finale>finale)\b"
)
_ORDINAL_SONG = re.compile(
    r" (?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th) (?:ost|song|track|single|soundtrack)"
    r"|(?:ost|track) (?:no |number |part |pt )?(?P<num>[1-9]))(?= )"  # "ost 2", "ost part 2"
)
# Words that only make a name into a question ("who's mari?", "tell me about kyuhyun").
_ASKING = frozenset(("who", "whos", "who's", "is", "the", "tell", "me", "about", "what", "s"))
# What fans call the source documents ("who wrote the review"); each is matched to a
# document by its kind in the store.
_DOCUMENT_NOUNS = (
    r"reviews?|reviewer|interviews?|interviewer|articles?|listicle|news|post|source|sources"
)
_SCREENPLAY = r" (screenwriter|screenplay|script|scriptwriter|scenario) "
_SONG_NOUNS = frozenset(("song", "songs", "ost", "osts", "track", "tracks"))
# Words around a topic asked about alone, and the topics ("tell me about the OST").
_TOPIC_ONLY = frozenset(
    {"the", "show's", "drama's", "what", "whats", "what's", "is", "are", "tell", "me"}
    | {"about", "info", "on", "its", "it's", "and"}
)
_TOPICS = {
    **dict.fromkeys(("ost", "osts", "ost songs", "soundtrack songs", "songs"), "ost_list"),
    **dict.fromkeys(("show", "drama", "plot", "story", "summary", "synopsis"), "premise"),
    **dict.fromkeys(("director", "directors"), "director"),
    **dict.fromkeys(("writer", "screenwriter", "screenplay", "script"), "show_writer"),
    **dict.fromkeys(("cast", "actors", "cast list"), "cast_list"),
    **dict.fromkeys(("episodes", "eps", "episode count"), "episode_count"),
}
# Words that ask what someone said or thought, not what they did: the passages say it.
SAYING_WORDS = frozenset(
    [
        "say",
        "says",
        "said",
        "think",
        "thinks",
        "thought",
        "feel",
        "feels",
        "felt",
        "text",
        "texted",
        "mean",
        "means",
        "meant",
    ]
)
_SAYING = rf" ({'|'.join(sorted(SAYING_WORDS))}) "
# Words that ask whether someone is in the show ("does Jin appear in it"): a profile says.
APPEARING_WORDS = frozenset(
    ["appear", "appears", "appearing", "feature", "features", "featured", "star", "stars", "act"]
)
# Words that ask what someone is like, not about something in particular (the "traits"
# form); the other words of the question may still name one trait ("what movies").
TRAIT_WORDS = frozenset(
    ["like", "likes", "personality", "trait", "traits", "kind", "describe", "character", "habit"]
)
# Words that ask about a character's taste ("what movies does Eun-soo like").
_TASTE = r" (like|likes|prefer|prefers|enjoy|enjoys|watch|watches|hate|hates|dislike|dislikes) "
# Kinds of show a fan may ask it to be ("is it a romcom").
_GENRE_WORDS = (
    r"(romcom|rom-com|romance|romantic|comedy|romantic comedy|melodrama|melo|thriller|horror"
    r"|fantasy|musical|music drama|sitcom|action|mystery|slice of life|miniseries|k-drama|kdrama)"
)
# What is released besides the show ("who released the photos"): not the premiere.
_MEDIA = r" (photos?|pictures?|images?|stills?|posters?|videos?|teasers?|trailers?|mvs?) "
# A pronoun standing for what the previous question was about ("and who sings it").
PRONOUNS = frozenset(("it", "he", "she", "him", "her", "his", "hers", "they", "them", "its"))


# The long words of the question forms, so a typo in one ("who directd it") still reads
# as the form. Only words of this length or more, one edit away, and never a name.
FORM_WORDS = frozenset(
    (
        "directed",
        "director",
        "directs",
        "created",
        "creator",
        "premiere",
        "premiered",
        "released",
        "release",
        "streaming",
        "stream",
        "written",
        "writer",
        "wrote",
        "composed",
        "composer",
        "sings",
        "singer",
        "played",
        "plays",
        "playing",
        "actress",
        "actor",
        "occupation",
        "profession",
        "episodes",
        "episode",
        "soundtrack",
        "screenplay",
        "screenwriter",
        "starred",
        "starring",
        "members",
        "member",
        "platform",
        "genre",
        "setting",
        "schedule",
        "happens",
        "happen",
        "personality",
        "character",
        "review",
        "reviewer",
        "interview",
        "upcoming",
        "previously",
        "before",
        "portrays",
        "portrayed",
    )
)
MIN_TYPO_WORD = 5
# Real words one edit from a form word, which a fan means as typed.
_NOT_TYPOS = frozenset(
    ("songs", "started", "starting", "praying", "player", "direct", "staring", "actors")
)


@functools.lru_cache(maxsize=4096)
def _spelled(word: str) -> str:
    """The form word a typo stands for, or the word itself."""
    if len(word) < MIN_TYPO_WORD or word in FORM_WORDS or word in _NOT_TYPOS:
        return word
    if not word.isalpha():
        return word
    near = [
        f
        for f in FORM_WORDS
        if f[0] == word[0]
        and abs(len(f) - len(word)) <= 1
        and DamerauLevenshtein.distance(word, f) <= 1
    ]
    # Several near forms of one word ("directd": directed, directs) read the same.
    return sorted(near)[0] if len({f[:MIN_TYPO_WORD] for f in near}) == 1 else word


def _has(text: str, pattern: str) -> bool:
    return re.search(pattern, text) is not None


@dataclass(frozen=True, slots=True)
class Intent:
    relation: str | None  # one of RELATIONS, or None: only passages can answer
    episode: int | None  # an episode the question names; -1 for "the last episode"
    future: bool  # "next", "upcoming", "will star"
    past: bool  # "before", "previously"
    words: tuple[str, ...]  # casefolded words of the question
    name_words: frozenset[str] = frozenset()  # those that make up linked names
    ordinal: int | None = None  # "the second OST"
    # Words of an Indonesian or Korean question phrase ("siapa pemeran"): how it is asked,
    # not what about, so no search needs them.
    phrased: frozenset[str] = frozenset()


RELATIONS = (
    "ost_list",
    "cast_list",
    "leads",
    "document",
    "premise",
    "song_about",
    "song_singer",
    "song_writer",
    "show_writer",
    "director",
    "makers",
    "episode_air",
    "episode_plot",
    "premiere",
    "slot",
    "episode_count",
    "platform",
    "genre",
    "setting",
    "works",
    "member_of",
    "age",
    "interviewed_by",
    "played_by",
    "occupation",
    "traits",
    "identity",
)


_POSSESSIVE = re.compile(r"'s$")


def words_of(text: str) -> tuple[str, ...]:
    """Casefolded words, possessives dropped: "Seon-woo's job" -> ("seon-woo", "job")."""
    return tuple(_POSSESSIVE.sub("", w.replace("’", "'")) for w in _WORD.findall(text.casefold()))


def episode_of(text: str) -> int | None:
    m = _EPISODE.search(text)
    if m is None:
        return None
    if m["n"]:
        return int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
    if m["ord"]:
        return _NUMBER_WORDS[m["ord"]]
    return -1  # last / final / finale: the store knows how many there are


def parse(
    text: str,
    *,
    has_song: bool,
    has_person: bool,
    has_character: bool,
    title: str = "",
    name_words: frozenset[str] = frozenset(),
) -> Intent:
    """The relation asked about, given which kinds of names the question links to.

    The show's own title ("Soundtrack #1") is read as "the show", never as "the OST".
    """
    words = words_of(text)
    t = " " + " ".join(_spelled(w) if w not in name_words else w for w in words) + " "
    phrased = phrase_words(t)
    t = in_english(t)  # "siapa pemeran Mari": "who plays Mari"
    title_words = " ".join(words_of(title.replace("#", "")))
    if title_words and f" {title_words} " in t:
        t = re.sub(rf" {re.escape(title_words)}(?= )", " the show", t)
        # The title's words name the show, like a name: none of them is asked about.
        name_words = name_words | frozenset(title_words.split())
    episode = episode_of(t)
    named = has_person or has_character
    future = _has(t, r" (next|upcoming|new|will|future|after|later|now) ")
    past = _has(t, r" (before|previous|previously|earlier|past|prior|known for|famous for) ")
    relation = _relation(
        t,
        words,
        episode,
        has_song=has_song,
        named=named,
        name_words=name_words,
        has_character=has_character,
        has_person=has_person,
    )
    ordinal = _ORDINAL_SONG.search(t)
    place = None
    if ordinal:
        place = _NUMBER_WORDS[ordinal["ord"]] if ordinal["ord"] else int(ordinal["num"])
    return Intent(relation, episode, future, past, words, name_words, place, phrased)


def _relation(
    t: str,
    words: tuple[str, ...],
    episode: int | None,
    *,
    has_song: bool,
    named: bool,
    name_words: frozenset[str],
    has_character: bool = False,
    has_person: bool = False,
) -> str | None:
    if t.startswith(" why "):
        return None  # an explanation: only passages can give it
    if named and not has_song and _has(t, r" (how old|age|ages|years old|year old|aged) "):
        return "age"
    interviewed = r" (who (interviewed|interviews)|interviewed by|interview with|interviews with) "
    if named and not has_song and _has(t, interviewed):
        return "interviewed_by"
    sing = _has(t, r" (sing|sings|sang|sung|singer|singers|vocals|vocalist|performs?|performed) ")
    write = _has(t, r" (wrote|write|writes|written|writer|writers) ")
    songish = has_song or _has(t, r" (songs?|ost|osts|tracks?|soundtrack|music|lyrics) ")
    write = write or (
        songish and _has(t, r" (composed|composer|composes|lyricist|lyricists|songwriters?) ")
    )
    # "who did the lyrics": a credit; "what does Woo-il say about the lyrics": not one.
    write = write or (songish and _has(t, r" (who|by|credits?) .*lyrics | lyrics (by|credits?) "))
    # "the review", "the Sportskeeda article": a word may name the outlet.
    document = _has(t, rf" (the|this|that|your)( [\w-]+)? ({_DOCUMENT_NOUNS}) ")
    credit = r" (author|authors|by whom|published|publish|outlet|site|website|edited|editor) "
    if (
        document
        and (write or _has(t, credit) or _has(t, r" who (is|was) the (reviewer|interviewer) $"))
    ) or (not has_song and _has(t, r" (author|authors) ") and not _has(t, _SCREENPLAY)):
        return "document"  # "who wrote the review": the source document, not the show
    if has_song and sing:
        return "song_singer"
    if has_song and _has(t, r" (about|mean|means|meaning|theme|story) "):
        return "song_about"
    if write and songish:
        return "song_writer"
    if sing:
        return "song_singer"
    if has_song:
        return "song_singer" if not write else "song_writer"
    listing = r" (what|which|list|all|how many|name|any) .*(songs|tracks|ost|osts|soundtrack)"
    opinion = _has(t, r" (think|opinion|review|reviewer|good|like|liked|best|favorite) ")
    if not opinion and (
        _has(t, listing) or _has(t, r" (tracklist|track list|playlist|(ost|songs?) list) ")
    ):
        return "ost_list"
    if _ORDINAL_SONG.search(t) and not named:
        return "ost_list"
    # A topic alone ("ost", "Soundtrack #1?", "tell me about the director"): what it is.
    topic_words = [w for w in t.split() if w not in _TOPIC_ONLY]
    if len(topic_words) > 1:  # "Soundtrack #1 episodes": the show's
        topic_words = [w for w in topic_words if w not in ("show", "drama")]
    topic = None if named else _TOPICS.get(" ".join(topic_words))
    if topic is not None:
        return topic
    if (
        not named
        and _has(
            t,
            r" (leads?|lead (actor|actress|role|roles|couple)|main (characters?|couple|roles?"
            r"|actor|actress)|protagonists?|leading (man|lady|role)) ",
        )
        and not _has(t, r" (do|does|job|work|works|like|long|years|friends) ")
    ):
        return "leads"
    if (
        not named
        and _has(
            t,
            r" (cast|stars in|starring|stars|star in|main actors?|actors|actresses|leads|"
            r"lead actors?|male lead|female lead|lead actress|lead actor|who (is|was|s) in it) ",
        )
        and not _has(t, r" (do|does|job|work|works|like) ")
    ):
        return "cast_list"
    if (
        not named
        and _has(
            t,
            r" (about|plot|premise|synopsis|story|storyline|summary|overview|summarize) ",
        )
        and not _has(t, r" (end|ending|ends|happens|happen|episode) ")
        and not _has(t, r" (director|directors|writer|screenwriter|cast|actors?|actress) ")
        and episode is None  # "what's ep 1 about": that episode's
        and not songish  # "what does the reviewer say about the OST"
        and not _has(t, r" (review|reviewer|reviewers|interview|article) ")
    ):
        return "premise"
    if _has(t, r" (music|art|photography|casting|action) (director|directors|directed) "):
        return None  # another crew role than the show's director: passages only
    # "what did Han So-hee text the director": what someone said, not who directed.
    said = named and _has(t, _SAYING)
    if not said and _has(t, r" (direct|directed|directs|director|directing|pd) "):
        return "director"
    if not said and (_has(t, _SCREENPLAY) or (write and not named)):
        return "show_writer"
    made = r" who (made|makes|created|creates|create|make|is behind|was behind) "
    if not named and not songish and (_has(t, made) or _has(t, r" (creator|creators|makers) ")):
        return "makers"  # the show's: a song or a person would be named
    if episode is not None:
        if _has(t, r" is (the )?(episode|ep) \d+ the (last|final|finale|last one) "):
            return "episode_count"  # "is episode 4 the last": how many there are
        when = (
            r" (when|what time|what date|what day|which day|date|air|airs|aired|airing"
            r"|release|out|drop) "
        )
        if _has(t, when) and not _has(t, r" (happen|happens|happened|plot|story|summary|recap) "):
            return "episode_air"
        return "episode_plot"
    if _has(
        t,
        r" how many (episodes|eps|ep) | number of (episodes|eps) | episode count "
        r"| episodes are there ",
    ):
        return "episode_count"
    if _has(t, r" how (long|many) (is|are) (it|the show|the drama|the series|episodes) "):
        return "episode_count"
    if (
        _has(t, r" (stream|streaming|platform|netflix|viki|service|network) ")
        or _has(t, r" where (can|do|to|should|could) .*watch ")
        or _has(t, r" is it (on|streaming|available) ")
    ):
        return "platform"
    if _has(
        t,
        r" (what day|which day|what days|weekday|what time|time slot|timeslot|slot|"
        r"schedule|weekly|every week|each week|how often|new episodes|air time|"
        r"kst|wib|time zone|timezone) ",
    ):
        return "slot"
    released = _has(
        t,
        r" (premiere|premiered|premieres|premier|released|release|come out|came out|"
        r"debut|debuted|launch|launched|first aired|start airing|started airing|"
        r"air date|release date) ",
    )
    # The OST came out before the show ("when did the OST come out"), and photos are
    # released too: neither is the premiere. ("Soundtrack" alone is what fans call the show.)
    songs = _has(t, r" (ost|osts|songs?|tracks?|singles?|album) ")
    if (released and not songs and not _has(t, _MEDIA)) or _has(
        t, r" when .*(air|aired|start|begin) "
    ):
        return "premiere"
    if _has(t, r" (genre|kind of (show|drama|series)|type of (show|drama|series)) ") or (
        not named and _has(t, rf" (is|was) (it|the show|this) (a |an )?{_GENRE_WORDS} ")
    ):
        return "genre"  # "is it a romcom": what the documents call it answers it
    if _has(t, r" (set in|setting|set during|what season|which season|is it set) "):
        return "setting"
    if named:
        asked = set(t.split()) - name_words
        if has_person and _SONG_NOUNS & asked and not _has(t, _SAYING):
            return "song_singer"  # "Kyuhyun song": what they sing ("Song Kang" is a name)
        if _has(t, r" (group|band|member) "):
            return "member_of"
        if _has(t, r" (job|jobs|living|occupation|profession|career) "):
            return "occupation"
        show = r"(it|the show|this show|the drama|this drama|the series|this)"
        if _has(t, rf" (appear|appears|appearing|feature|features|featured) (in )?{show} $") or (
            _has(t, rf"^ (does|did|do) .* (star|act|play|appear) in {show} $")
        ):
            return "identity"  # "does Jin appear in the show": whether, and as whom
        # A filmography is an actor's: of a character alone ("Eun-soo zombie movies") only
        # when asked for in so many words ("what else has she been in").
        strong = _has(
            t,
            r" (starred|starring|star in|stars in|else|other|another|before|previous|"
            r"previously|next|upcoming|filmography|known for|famous for|appeared|been in) ",
        ) or _has(t, r" (what|which) .*(was|been|were) (.* )?in $")  # "what was Han So-hee in"
        weak = _has(t, r" (dramas|shows|movies|films|works|drama|series|projects?) ")
        character_only = has_character and not has_person
        if (
            (strong or (weak and not character_only))
            and not _has(t, _SAYING)  # "what does Park Hyung-sik say about the drama"
            and not (character_only and _has(t, _TASTE))  # "what movies does Eun-soo like"
        ):
            return "works"
        if _has(t, r" (name of|character name|called|named) "):
            return "played_by"  # "the name of Park Hyung-sik's character"
        if _has(
            t,
            r" (play|plays|played|playing|actor|actress|portray|portrays|portrayed|"
            r"cast|role|acts|acted|who is behind|voices|voiced) ",
        ):
            return "played_by"
        # "work with" is a partner ("who did Han So-hee want to work with"), not a job.
        if _has(t, r" (job|jobs|living|occupation|profession|career|work|works|do) (?!with )"):
            return "occupation"
        if _has(t, r" (like|personality|traits?|kind of|describe|character|habits?) "):
            return "traits"
        if _has(t, r" (who|whos|who's|tell me about|info|information|profile) ") or _has(
            t, r"^ (is|was|are|were) .* in (it|the show|this show|the drama|this) $"
        ):
            return "identity"  # "is Seo In-guk in Soundtrack #1"
        if not [w for w in words if w not in name_words and w not in _ASKING]:
            return "identity"  # only a name
        return None
    if _has(t, r" (play|plays|played|playing|portrays?|portrayed) ") or _has(
        t, r" (which|what) (actor|actress|one|person|cast member) "
    ):
        return "played_by"  # "which actor plays the lyricist": the role noun names them
    if _has(t, r" (who|which character|whos|who's|name of) "):
        return "identity"  # "who is the manager": the role noun names the entity
    return None
