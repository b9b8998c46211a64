"""Load the source documents and split them into paragraphs and sentences.

Every paragraph and sentence is an exact slice of the document text, so any sentence
the store cites can be found verbatim in its document.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

METADATA_FILE = "metadata.toml"
DOCUMENT_SUFFIX = ".txt"


class DocumentError(ValueError):
    """A document or its metadata entry is unusable; the message names it."""


@dataclass(frozen=True, slots=True)
class Sentence:
    position: int  # index within the document
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    position: int
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    filename: str
    title: str
    kind: str | None
    outlet: str | None
    author: str | None
    editor: str | None
    published: str | None
    spoiler_default: int
    text: str
    sha256: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)


# A sentence ends at . ! or ? (plus any closing quotes or brackets) followed by white
# space and something that can start a sentence ("14.00" and "etc.," never match), or at
# a line break: in these documents a line is a heading, a caption, a byline or a
# paragraph, never half a sentence.
_SENTENCE_END = re.compile(r"[.!?][”’\"')\]]*(?=[^\S\n]+[“‘\"'(\[A-Z0-9#◆])|\n")
# A number alone at the start of a line before the stop is a list number ("1. About").
_LIST_NUMBER = re.compile(r"\d+")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_ALLOWED_METADATA = {
    "id",
    "title",
    "kind",
    "outlet",
    "author",
    "editor",
    "published",
    "spoiler_default",
}


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text, shifted by offset, trimmed of space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if match.group() != "\n" and _LIST_NUMBER.fullmatch(text, line_start, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for a, b in spans:
        chunk = text[a:b]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            result.append((offset + a + lead, offset + a + lead + len(stripped)))
    return result


def split_document(text: str) -> tuple[Paragraph, ...]:
    paragraphs: list[Paragraph] = []
    position = 0
    for p_index, match in enumerate(m for m in _PARAGRAPH.finditer(text) if m.group().strip()):
        raw = match.group()
        lead = len(raw) - len(raw.lstrip())
        start, end = match.start() + lead, match.start() + len(raw.rstrip())
        sentences = []
        for s_start, s_end in split_sentences(text[start:end], start):
            sentences.append(Sentence(position, s_start, s_end, text[s_start:s_end]))
            position += 1
        paragraphs.append(Paragraph(p_index, start, end, text[start:end], tuple(sentences)))
    return tuple(paragraphs)


def _slug(filename: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", Path(filename).stem.lower()).strip("-")


def load_metadata(directory: Path) -> dict[str, dict[str, object]]:
    path = directory / METADATA_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DocumentError(f"{path.name}: {exc}") from None
    for filename, entry in data.items():
        if not isinstance(entry, dict):
            raise DocumentError(f"{path.name}: [{filename!r}] must be a table")
        unknown = set(entry) - _ALLOWED_METADATA
        if unknown:
            raise DocumentError(f"{path.name}: [{filename!r}] has unknown keys {sorted(unknown)}")
        # The upper bound is the show's last episode, known once the build has read the
        # documents (Build.check_levels refuses a level past it).
        level = entry.get("spoiler_default", 0)
        if not isinstance(level, int) or level < 0:
            raise DocumentError(
                f"{path.name}: [{filename!r}] spoiler_default must be an episode number (0 or more)"
            )
    return data


def load_documents(
    directory: Path, on_document: Callable[[int, int], None] | None = None
) -> list[Document]:
    """Every *.txt in directory, in file name order, with its metadata entry if any.

    on_document(done, total) is called after each document (a progress bar's hook)."""
    return list(iter_documents(directory, on_document))


def iter_documents(
    directory: Path, on_document: Callable[[int, int], None] | None = None
) -> Iterator[Document]:
    """load_documents one at a time, so a pass over the corpus holds one document."""
    metadata = load_metadata(directory)
    seen_ids: set[str] = set()
    seen_files: set[str] = set()
    paths = sorted(directory.glob(f"*{DOCUMENT_SUFFIX}"))
    for done, path in enumerate(paths, start=1):
        raw = path.read_bytes()
        text = raw.decode("utf-8").replace("\r\n", "\n")
        entry = metadata.get(path.name, {})
        first_line = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
        doc_id = str(entry.get("id") or _slug(path.name))
        if doc_id in seen_ids:
            raise DocumentError(f"{path.name}: document id {doc_id!r} is used twice")
        seen_ids.add(doc_id)
        seen_files.add(path.name)

        def optional(key: str, entry: dict[str, object] = entry) -> str | None:
            value = entry.get(key)
            return None if value is None else str(value)

        spoiler_default = entry.get("spoiler_default", 0)
        if not isinstance(spoiler_default, int):
            raise DocumentError(f"{path.name}: spoiler_default must be a whole number")
        yield Document(
            id=doc_id,
            filename=path.name,
            title=optional("title") or first_line,
            kind=optional("kind"),
            outlet=optional("outlet"),
            author=optional("author"),
            editor=optional("editor"),
            published=optional("published"),
            spoiler_default=spoiler_default,
            text=text,
            sha256=hashlib.sha256(raw).hexdigest(),
            paragraphs=split_document(text),
        )
        if on_document is not None:
            on_document(done, len(paths))
    missing = set(metadata) - seen_files
    if missing:
        raise DocumentError(f"{METADATA_FILE} describes missing documents: {sorted(missing)}")


class Corpus:
    """The documents of a directory, read again on every pass instead of held: the build
    makes one pass to derive facts and one to write, and its memory must not grow with
    the corpus. A later pass fails if a document changed since the first."""

    def __init__(
        self, directory: Path, on_document: Callable[[int, int], None] | None = None
    ) -> None:
        self.directory = directory
        self.on_document = on_document  # progress of the first pass (done, total)
        self._digests: dict[str, str] | None = None  # id -> sha256, after a complete pass

    def __iter__(self) -> Iterator[Document]:
        digests: dict[str, str] = {}
        first_pass = self._digests is None
        for doc in iter_documents(self.directory, self.on_document if first_pass else None):
            if self._digests is not None and self._digests.get(doc.id) != doc.sha256:
                raise DocumentError(f"{doc.filename}: added or changed during the build")
            digests[doc.id] = doc.sha256
            yield doc
        if self._digests is not None and digests.keys() != self._digests.keys():
            raise DocumentError("a document was removed during the build")
        self._digests = digests
