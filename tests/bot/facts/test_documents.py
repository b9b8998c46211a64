"""The corpus is read again on every pass, one document at a time, and a later pass
refuses a document that changed since the first (the build would mix two versions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.facts.documents import Corpus, DocumentError, load_documents


def test_every_pass_yields_the_same_documents(data_copy: tuple[Path, Path]) -> None:
    documents, _ = data_copy
    corpus = Corpus(documents)
    first = [(d.id, d.sha256) for d in corpus]
    assert (
        first
        == [(d.id, d.sha256) for d in corpus]
        == [(d.id, d.sha256) for d in load_documents(documents)]
    )


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_a_document_changed_between_passes_fails_the_pass(
    data_copy: tuple[Path, Path], change: str
) -> None:
    documents, _ = data_copy
    corpus = Corpus(documents)
    list(corpus)
    first = sorted(documents.glob("*.txt"))[0]
    if change == "edit":
        first.write_text(first.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    elif change == "add":
        (documents / "zz_new.txt").write_text("A new one\n\nText.\n", encoding="utf-8")
    else:
        (documents / "metadata.toml").write_text("", encoding="utf-8")  # no entry to miss
        first.unlink()
    with pytest.raises(DocumentError, match="during the build"):
        list(corpus)
