"""Search: records of every kind found by their title and text, best and newest first, as the policy allows.

The index (storage/repo/search.py) finds candidates by trigram, so a Chinese word is found inside Chinese
text with no spaces; which columns each kind is found by is its `KindExport.search` (bot/domain/export.py).
Every word must occur (case-insensitive). Results are ranked: all words in the title first, then by how
many words the title holds, then newest (last updated) first. Records the viewer may not see in this place
are dropped before anything is counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.export import EXPORTS, KindExport
from bot.domain.kinds import BY_NAME
from bot.domain.records import ref_of
from bot.errors import UsageError
from bot.policy import Place, Viewer, visible
from storage.models import Project
from storage.repo import search as repo

EXAMPLE = "search.example"
MAX_WORDS = 8
MAX_WORD = 100
CANDIDATES = 200  # index entries read per search: ranked here, the first few shown
SNIPPET = 60  # characters of context around the match

SEARCHABLE: dict[str, KindExport] = {e.kind: e for e in EXPORTS}


def start_indexing() -> None:
    """Keep the index in step with every searchable kind, in this process (idempotent)."""
    repo.index_models({e.record_kind.model: (e.kind, e.search) for e in EXPORTS})


# On import: the app imports this module (through /liaison's handlers) before it serves anything, so every
# record it writes is indexed; `liaison db reindex` repairs rows written around the ORM.
start_indexing()


def read_words(text: str) -> list[str]:
    """The words asked for (quotes dropped, duplicates once); none is a UsageError with an example."""
    cleaned = text
    for mark in "\"“”「」『』'":
        cleaned = cleaned.replace(mark, " ")
    words = list(dict.fromkeys(w for w in cleaned.split() if w))
    if not words:
        raise UsageError("search.empty", EXAMPLE)
    if len(words) > MAX_WORDS or any(len(w) > MAX_WORD for w in words):
        raise UsageError("search.too_long", EXAMPLE, words=MAX_WORDS)
    return words


@dataclass(frozen=True)
class Snippet:
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Result:
    ref: str
    kind: str  # registry name: "risk"
    status: str
    title: str
    snippet: Snippet
    record: Any


@dataclass(frozen=True)
class Found:
    words: list[str]
    results: list[Result]  # every visible match among the newest CANDIDATES, best first
    capped: bool = False  # more entries matched than were read: "at least" that many

    @property
    def total(self) -> int:
        return len(self.results)


def snippet(doc: str, words: Sequence[str], *, width: int = SNIPPET) -> Snippet:
    """The text around the first place a word occurs, on one line."""
    flat = " ".join(doc.split())
    low = flat.casefold()
    spots = [(low.find(w.casefold()), w) for w in words]
    spots = [(i, w) for i, w in spots if i >= 0]
    if not spots:
        return Snippet("", "", flat[: width * 2])
    at, word = min(spots)
    start = max(0, at - width)
    end = min(len(flat), at + len(word) + width)
    before = ("…" if start > 0 else "") + flat[start:at]
    after = flat[at + len(word) : end] + ("…" if end < len(flat) else "")
    return Snippet(before, flat[at : at + len(word)], after)


def _rank(result: Result, words: Sequence[str]) -> tuple[int, int, float]:
    title = result.title.casefold()
    in_title = sum(1 for w in words if w.casefold() in title)
    updated = getattr(result.record, "updated_at", None)
    return (
        0 if in_title == len(words) else 1,
        -in_title,
        -(updated.timestamp() if updated is not None else 0.0),
    )


def results(
    kind: str,
    records: Sequence[Any],
    docs: dict[int, str],
    *,
    viewer: Viewer,
    place: Place,
    words: Sequence[str],
) -> list[Result]:
    """The matches of one kind that `viewer`, in `place`, may see (`docs`: each record's indexed text)."""
    spec = SEARCHABLE[kind]
    title_field = BY_NAME[kind].title_field
    return [
        Result(
            ref=ref_of(record),
            kind=kind,
            status=spec.status(record),
            title=str(getattr(record, title_field)),
            snippet=snippet(docs.get(int(record.id), ""), words),
            record=record,
        )
        for record in visible(viewer, place, records)
    ]


def ranked(found: list[Result], words: Sequence[str]) -> list[Result]:
    return sorted(found, key=lambda r: _rank(r, words))


async def search(
    session: AsyncSession, *, project: Project, viewer: Viewer, place: Place, words: Sequence[str]
) -> Found:
    """What `viewer`, in `place`, may find in `project` holding every word."""
    assert project.id is not None
    hits = await repo.find(session, project_id=project.id, words=words, limit=CANDIDATES)
    by_kind: dict[str, dict[int, str]] = defaultdict(dict)
    for hit in hits:
        if hit.kind in SEARCHABLE:
            by_kind[hit.kind][hit.record_id] = hit.doc
    found: list[Result] = []
    for kind, docs in by_kind.items():
        records = await repo.load(session, BY_NAME[kind].model, project_id=project.id, ids=list(docs))
        found += results(kind, records, docs, viewer=viewer, place=place, words=words)
    return Found(words=list(words), results=ranked(found, words), capped=len(hits) >= CANDIDATES)


async def rebuild_index(session: AsyncSession) -> dict[str, int]:
    """Index every record of every searchable kind again (`liaison db reindex`); counts per kind."""
    return await repo.rebuild(session)
