"""The command journal (`CommandJournal`): commands acked but not yet carried out. Keyword-only, no Slack."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import TextClause, and_, bindparam, delete, func, or_, text, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CommandJournal
from storage.sqlite import in_one_trip, prepared_insert

PENDING = "pending"


@dataclass(frozen=True)
class Entry:
    """One command to journal: Slack's request and when its lease runs out."""

    key: str
    payload: dict[str, Any]
    response_url: str
    received_at: datetime
    lease_until: datetime


_COLUMNS = ("key", "payload", "response_url", "received_at", "state", "attempts", "lease_until")


@functools.lru_cache(maxsize=64)
def _insert_rows(count: int) -> TextClause:
    """INSERT … ON CONFLICT DO NOTHING … RETURNING key for `count` rows, as text: SQLAlchemy compiles a dialect's
    INSERT … ON CONFLICT anew on every execution (it has no cache key), about 1.5 ms a batch; text is cached."""
    table: Any = CommandJournal.__table__  # type: ignore[attr-defined]
    names = ", ".join(f'"{column}"' for column in _COLUMNS)
    rows = ", ".join("(" + ", ".join(f":{column}_{i}" for column in _COLUMNS) + ")" for i in range(count))
    binds = [
        bindparam(f"{column}_{i}", type_=table.c[column].type) for i in range(count) for column in _COLUMNS
    ]
    return text(
        f'INSERT INTO commandjournal ({names}) VALUES {rows} ON CONFLICT DO NOTHING RETURNING "key"'
    ).bindparams(*binds)


async def record_many(session: AsyncSession, *, entries: Sequence[Entry]) -> set[str]:
    """One multi-row INSERT … ON CONFLICT DO NOTHING … RETURNING key: the keys written now (a key journaled
    already, because Slack sent the command twice, is not among them). No ORM objects: a batch of acks costs
    one statement."""
    if not entries:
        return set()
    connection = await session.connection()
    values: dict[str, Any] = {}
    for i, entry in enumerate(entries):
        row = _values(entry)
        values.update({f"{column}_{i}": value for column, value in zip(_COLUMNS, row, strict=True)})
    result = await connection.execute(_insert_rows(len(entries)), values)
    return {str(key) for key in result.scalars().all()}


async def write_batch(session: AsyncSession, *, done: Iterable[str], entries: Sequence[Entry]) -> set[str]:
    """`finish_many(done)` then `record_many(entries)`, the group commit's whole unit of work: on SQLite in one
    trip to aiosqlite's thread with its BEGIN and COMMIT (`storage.sqlite.in_one_trip`), not three trips and
    two execution contexts of SQLAlchemy's."""
    connection = await session.connection()
    if connection.dialect.name != "sqlite":
        await finish_many(session, keys=done)
        return await record_many(session, entries=entries)
    wanted = list(done)
    table: Any = CommandJournal.__table__  # type: ignore[attr-defined]
    row = prepared_insert(table, _COLUMNS, connection.dialect, returning_id=False)
    params = [
        value for entry in entries for value in row.params(dict(zip(_COLUMNS, _values(entry), strict=True)))
    ]
    insert = _sqlite_insert_rows(len(entries), row.sql)

    def write(conn: sqlite3.Connection) -> set[str]:
        for start in range(0, len(wanted), _DELETE_CHUNK):  # SQLite takes so many values per statement
            chunk = wanted[start : start + _DELETE_CHUNK]
            conn.execute(_sqlite_delete_keys(len(chunk)), chunk)
        if not entries:
            return set()
        return {str(key) for (key,) in conn.execute(insert, params).fetchall()}

    return await in_one_trip(connection, write, last=True)


def _values(entry: Entry) -> tuple[Any, ...]:
    return (entry.key, entry.payload, entry.response_url, entry.received_at, PENDING, 0, entry.lease_until)


@functools.lru_cache(maxsize=64)
def _sqlite_insert_rows(count: int, one_row: str) -> str:
    """`one_row` (a prepared single-row INSERT) for `count` rows, a journaled key skipped, the new keys returned."""
    head, _, values = one_row.partition(" VALUES ")
    return f'{head} VALUES {", ".join([values] * count)} ON CONFLICT DO NOTHING RETURNING "key"'


_DELETE_CHUNK = 500


@functools.lru_cache(maxsize=64)
def _sqlite_delete_keys(count: int) -> str:
    return f'DELETE FROM commandjournal WHERE "key" IN ({", ".join("?" * count)})'


async def finish_many(session: AsyncSession, *, keys: Iterable[str]) -> int:
    """Done: the rows go (with the text they may hold), in one DELETE; how many went."""
    wanted = list(keys)
    if not wanted:
        return 0
    connection = await session.connection()
    result = await connection.execute(_DELETE_KEYS, {"keys": wanted})
    return int(result.rowcount or 0)


# One text statement, compiled once (its IN list expands at execution): the ORM's delete().where(in_()) was
# built and compiled anew for every batch, about 0.15 ms each on the command path.
_DELETE_KEYS = text('DELETE FROM commandjournal WHERE "key" IN :keys').bindparams(
    bindparam("keys", expanding=True)
)


async def release(session: AsyncSession, *, keys: Iterable[str]) -> int:
    """Give up the lease on rows this process will not finish: the next start carries them out at once."""
    wanted = list(keys)
    if not wanted:
        return 0
    connection = await session.connection()
    result = await connection.execute(
        update(CommandJournal)
        .where(col(CommandJournal.key).in_(wanted), col(CommandJournal.state) == PENDING)
        .values(lease_until=None)
    )
    return int(result.rowcount or 0)


async def renew(session: AsyncSession, *, keys: Iterable[str], lease_until: datetime) -> int:
    """Extend the lease on rows this process is still working on (waiting included): never taken over."""
    wanted = list(keys)
    if not wanted:
        return 0
    connection = await session.connection()
    result = await connection.execute(
        update(CommandJournal)
        .where(col(CommandJournal.key).in_(wanted), col(CommandJournal.state) == PENDING)
        .values(lease_until=lease_until)
    )
    return int(result.rowcount or 0)


def _lease_free(now: datetime) -> Any:
    return or_(col(CommandJournal.lease_until).is_(None), col(CommandJournal.lease_until) < now)


async def drop_stale(
    session: AsyncSession, *, now: datetime, received_before: datetime, max_attempts: int
) -> int:
    """Delete pending rows nobody holds that are too old to answer (response_url expired) or were tried too
    often; how many went."""
    connection = await session.connection()
    result = await connection.execute(
        delete(CommandJournal).where(
            col(CommandJournal.state) == PENDING,
            _lease_free(now),
            or_(
                col(CommandJournal.received_at) < received_before,
                col(CommandJournal.attempts) >= max_attempts,
            ),
        )
    )
    return int(result.rowcount or 0)


async def claim(
    session: AsyncSession, *, now: datetime, lease_until: datetime, received_after: datetime, limit: int
) -> list[tuple[str, dict[str, Any]]]:
    """Take the lease on up to `limit` pending rows whose lease ran out (oldest first): (key, payload) each.

    One UPDATE … WHERE the lease is free … RETURNING: two replicas never both take a row. The candidates are
    chosen in a subquery (SQLite and PostgreSQL both accept it); the lease test is repeated in the UPDATE so a
    row another replica took in between is skipped.
    """
    due = and_(
        col(CommandJournal.state) == PENDING,
        col(CommandJournal.received_at) >= received_after,
        _lease_free(now),
    )
    candidates = (
        select(col(CommandJournal.key))
        .where(due)
        .order_by(col(CommandJournal.received_at))
        .limit(limit)
        .scalar_subquery()
    )
    connection = await session.connection()
    result = await connection.execute(
        update(CommandJournal)
        .where(col(CommandJournal.key).in_(candidates), due)
        .values(lease_until=lease_until, attempts=col(CommandJournal.attempts) + 1)
        .returning(col(CommandJournal.key), col(CommandJournal.payload))
    )
    return [(str(key), dict(payload)) for key, payload in result.all()]


async def count_pending(session: AsyncSession) -> int:
    query = select(func.count()).select_from(CommandJournal).where(col(CommandJournal.state) == PENDING)
    return int((await session.exec(query)).one())
