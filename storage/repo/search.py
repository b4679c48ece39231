"""The search index: one `search_entry` row per record (kind, record id, project, its searchable text).

Rows are written on every flush that adds or changes a searchable record (`index_models` says which models
and which of their columns; the domain registers them), so a new record kind is indexed by naming its
columns, with no trigger to add. Trigram indexes make substring search fast, Chinese included (no spaces to
split on):

- SQLite: an FTS5 table with `tokenize='trigram'` over `search_entry.doc` (external content, kept in step
  by three triggers on `search_entry`); `MATCH` uses it.
- PostgreSQL: a pg_trgm GIN index on `search_entry.doc`; `ILIKE '%word%'` uses it.

A word shorter than three characters has no trigram: a query made only of such words reads the project's
own entries (`ix_search_entry_project`) with LIKE instead of the trigram index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    delete,
    event,
    func,
    insert,
    inspect,
)
from sqlalchemy import select as sa_select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Project

MIN_TRIGRAM = 3  # shorter words cannot use a trigram index
DOC_LIMIT = 20_000  # characters of a record's text kept in the index

SEARCH_ENTRY = Table(
    "search_entry",
    MetaData(),  # not SQLModel's: the migration owns this table and its dialect-specific indexes
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("record_id", Integer, nullable=False),
    Column("project_id", Integer, nullable=False),
    Column("doc", Text, nullable=False),
)


# ---- schema (used by the migration; both dialects) ---------------------------------------------------------


def schema_ddl(dialect: str) -> list[str]:
    """The table, its indexes, and on SQLite the FTS5 trigram table and the triggers that keep it in step."""
    table = (
        "CREATE TABLE search_entry (id {pk}, kind VARCHAR(16) NOT NULL, record_id INTEGER NOT NULL, "
        "project_id INTEGER NOT NULL, doc TEXT NOT NULL)"
    ).format(pk="SERIAL PRIMARY KEY" if dialect == "postgresql" else "INTEGER PRIMARY KEY")
    common = [
        table,
        "CREATE UNIQUE INDEX uq_search_entry_record ON search_entry (kind, record_id)",
        "CREATE INDEX ix_search_entry_project ON search_entry (project_id)",
    ]
    if dialect == "postgresql":
        return [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            *common,
            # Writes are few (people typing); fastupdate off puts each straight into the index instead of a
            # pending list that reads must scan and that makes the planner prefer a sequential scan.
            "CREATE INDEX ix_search_entry_doc_trgm ON search_entry USING gin (doc gin_trgm_ops) "
            "WITH (fastupdate = off)",
        ]
    return [
        *common,
        "CREATE VIRTUAL TABLE search_fts USING fts5(doc, content='search_entry', content_rowid='id', "
        "tokenize='trigram')",
        "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN "
        "INSERT INTO search_fts(rowid, doc) VALUES (new.id, new.doc); END",
        "CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, doc) VALUES ('delete', old.id, old.doc); END",
        "CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, doc) VALUES ('delete', old.id, old.doc); "
        "INSERT INTO search_fts(rowid, doc) VALUES (new.id, new.doc); END",
    ]


def drop_ddl(dialect: str) -> list[str]:
    """Undo `schema_ddl` (the pg_trgm extension stays: other things may use it)."""
    if dialect == "postgresql":
        return ["DROP TABLE IF EXISTS search_entry"]
    return [
        "DROP TRIGGER IF EXISTS search_entry_ai",
        "DROP TRIGGER IF EXISTS search_entry_ad",
        "DROP TRIGGER IF EXISTS search_entry_au",
        "DROP TABLE IF EXISTS search_fts",
        "DROP TABLE IF EXISTS search_entry",
    ]


def backfill_sql(dialect: str, *, kind: str, table: str, columns: Sequence[str]) -> str:
    """Index the rows a table already holds (a migration's backfill; columns frozen in the migration)."""
    parts = [f"COALESCE({c}, '')" for c in columns]
    if dialect == "postgresql":
        doc = f"concat_ws(E'\\n', {', '.join(parts)})"
    else:
        doc = " || char(10) || ".join(parts)
    return (
        f"INSERT INTO search_entry (kind, record_id, project_id, doc) "
        f"SELECT '{kind}', id, project_id, substr({doc}, 1, {DOC_LIMIT}) FROM {table}"
    )


# ---- writing: on every flush -------------------------------------------------------------------------------

_INDEXED: dict[type[Any], tuple[str, tuple[str, ...]]] = {}


def index_models(models: Mapping[type[Any], tuple[str, Sequence[str]]]) -> None:
    """Keep `search_entry` in step with these models: {model: (kind name, searchable columns)}."""
    _INDEXED.update({model: (kind, tuple(columns)) for model, (kind, columns) in models.items()})
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def document(record: Any, columns: Iterable[str]) -> str:
    """The text a record is found by: its searchable columns, one per line, empty ones left out."""
    values = (getattr(record, c, None) for c in columns)
    return "\n".join(str(v) for v in values if v not in (None, ""))[:DOC_LIMIT]


def _changed(record: Any, columns: Iterable[str]) -> bool:
    state = inspect(record)
    return any(state.attrs[c].history.has_changes() for c in columns)


def _after_flush(session: Session, _context: Any) -> None:
    """Write the index rows of what this flush added, changed or deleted (in the same transaction)."""
    if not _INDEXED:
        return
    stale: list[tuple[str, int]] = []  # changed or deleted: their old row goes
    fresh: list[dict[str, Any]] = []
    for record in (*session.new, *session.dirty, *session.deleted):
        found = _INDEXED.get(type(record))
        if found is None or getattr(record, "id", None) is None:
            continue
        kind, columns = found
        new = record in session.new
        if not new:
            if record not in session.deleted and not _changed(record, columns):
                continue
            stale.append((kind, record.id))
        if record not in session.deleted:
            fresh.append(
                {
                    "kind": kind,
                    "record_id": record.id,
                    "project_id": record.project_id,
                    "doc": document(record, columns),
                }
            )
    if not stale and not fresh:
        return
    connection = session.connection()
    for kind, record_id in stale:
        connection.execute(
            delete(SEARCH_ENTRY).where(
                and_(SEARCH_ENTRY.c.kind == kind, SEARCH_ENTRY.c.record_id == record_id)
            )
        )
    if fresh:
        connection.execute(insert(SEARCH_ENTRY), fresh)  # one executemany for the whole flush


ENTRY_INSERT = insert(SEARCH_ENTRY)


def entry_of(record: Any) -> dict[str, Any] | None:
    """The index row of a record written with a core INSERT (no flush, so `_after_flush` does not see it), but
    its id; None for a kind that is not searchable. `records.insert_numbered` writes it."""
    found = _INDEXED.get(type(record))
    if found is None:
        return None
    kind, columns = found
    return {"kind": kind, "project_id": record.project_id, "doc": document(record, columns)}


# ---- reading ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: int
    doc: str


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_query(words: Sequence[str]) -> str:
    """Each word a quoted FTS5 phrase (so punctuation and operators in it are plain text), all required."""
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


def search_statement(dialect: str, *, project_id: int, words: Sequence[str], limit: int) -> Any:
    """The query for entries of a project holding every word (case-insensitive), newest first.

    Words of three characters or more go through the trigram index; shorter ones only narrow what it found,
    or, when no word is long enough, the project's own entries are read with LIKE.
    """
    e = SEARCH_ENTRY.c
    long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
    short_words = [w for w in words if len(w) < MIN_TRIGRAM]
    query = sa_select(e.kind, e.record_id, e.doc).where(e.project_id == project_id)
    if dialect == "postgresql":
        query = query.where(*(e.doc.ilike(_like(w), escape="\\") for w in words))
    else:
        if long_words:
            fts = sql_text("search_entry.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH :fts)")
            query = query.where(fts.bindparams(fts=_fts_query(long_words)))
        query = query.where(*(e.doc.like(_like(w), escape="\\") for w in short_words))
    return query.order_by(e.id.desc()).limit(limit)


async def find(session: AsyncSession, *, project_id: int, words: Sequence[str], limit: int) -> list[Hit]:
    if not words:
        return []
    connection = await session.connection()
    statement = search_statement(connection.dialect.name, project_id=project_id, words=words, limit=limit)
    rows = (await connection.execute(statement)).all()
    return [Hit(kind=str(r.kind), record_id=int(r.record_id), doc=str(r.doc)) for r in rows]


async def load(session: AsyncSession, model: type[Any], *, project_id: int, ids: Sequence[int]) -> list[Any]:
    """Live records of one kind by id, within the project."""
    if not ids:
        return []
    query = select(model).where(model.id.in_(ids), model.project_id == project_id, model.deleted_at.is_(None))
    return list((await session.exec(query)).all())


async def list_live(session: AsyncSession, model: type[Any], *, project_id: int) -> list[Any]:
    """Every live record of one kind in a project, by number (exports)."""
    query = select(model).where(model.project_id == project_id)
    if hasattr(model, "deleted_at"):
        query = query.where(model.deleted_at.is_(None))
    return list((await session.exec(query.order_by(model.number))).all())


async def find_projects(session: AsyncSession, *, name_or_id: str) -> list[Project]:
    """Projects whose id is `name_or_id`, or whose name is it (case-insensitive): the CLI's `--project`."""
    key = name_or_id.strip()
    if key.isdigit():
        found = await session.get(Project, int(key))
        if found is not None:
            return [found]
    query = select(Project).where(func.lower(Project.name) == key.lower()).order_by(Project.id)  # type: ignore[arg-type]
    return list((await session.exec(query)).all())


async def rebuild(session: AsyncSession, *, batch: int = 1000) -> dict[str, int]:
    """Index every record again from its table (after a bulk import or a restore that bypassed the ORM)."""
    connection = await session.connection()
    await connection.execute(delete(SEARCH_ENTRY))
    counts: dict[str, int] = {}
    for model, (kind, columns) in _INDEXED.items():
        counts[kind] = 0
        result = await session.stream_scalars(select(model).execution_options(yield_per=batch))
        async for chunk in result.partitions(batch):
            rows = [
                {"kind": kind, "record_id": r.id, "project_id": r.project_id, "doc": document(r, columns)}
                for r in chunk
            ]
            await connection.execute(insert(SEARCH_ENTRY), rows)
            counts[kind] += len(rows)
            session.expunge_all()
    return counts
