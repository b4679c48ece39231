"""SQLAlchemy's aiosqlite adapter, one trip to aiosqlite's thread per statement instead of three or four.

SQLAlchemy's cursor asks aiosqlite's thread for a cursor, then to execute, then to fetch, then to close: each
a queue put, a thread wake-up and a wake-up of the event loop, while SQLite's one connection is held (every
other unit of work and the journal wait for it). Here the thread does all four in one call. Server-side
cursors (streamed results) keep SQLAlchemy's own.

`in_one_trip` goes further for the hottest writes (a command's claim and number, a new record with its
search and audit rows): several statements of the session's transaction in one trip, as plain sqlite3 calls
on `Prepared` inserts, without an execution context per statement.
"""

from __future__ import annotations

import functools
import sqlite3
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy import Table
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

# (description, rows, lastrowid, rowcount), as SQLAlchemy's cursor keeps them
Outcome = tuple[Any, Sequence[Any], int | None, int]
T = TypeVar("T")


BEGIN = "BEGIN IMMEDIATE"


def _execute(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool, begin: bool
) -> Outcome:
    """In aiosqlite's thread: the transaction's BEGIN when it is still to be sent, then the whole life of one
    cursor."""
    if begin:
        connection.execute(BEGIN)
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, (), cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> None:
        self._run(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        self._run(operation, seq_of_parameters, many=True)

    def _run(self, operation: Any, parameters: Any, *, many: bool) -> None:
        adapted: OneHopConnection = self._adapt_connection  # type: ignore[assignment]
        begin, adapted.begin_pending = adapted.begin_pending, False
        try:
            connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
            self.description, rows, self.lastrowid, self.rowcount = self.await_(
                connection._execute(_execute, connection._conn, operation, parameters, many, begin)  # type: ignore[no-untyped-call]
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._rows = deque(rows)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """`begin()` marks the transaction begun; its BEGIN IMMEDIATE goes to SQLite with the first statement, in
    the same trip (a transaction that sends none has nothing to commit or roll back)."""

    __slots__ = ("begin_pending",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.begin_pending = False

    def begin(self) -> None:
        self.begin_pending = True

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if not server_side:
            return OneHopCursor(self)
        if self.begin_pending:  # a streamed result's cursor is SQLAlchemy's own: BEGIN goes on its own first
            OneHopCursor(self).execute(BEGIN)
        return super().cursor(server_side=True)

    def commit(self) -> None:
        if self.begin_pending or not self._in_transaction():
            self.begin_pending = False  # nothing sent, or committed already (`in_one_trip(..., last=True)`)
            return
        super().commit()

    def rollback(self) -> None:
        if self.begin_pending or not self._in_transaction():
            self.begin_pending = False
            return
        super().rollback()

    def _in_transaction(self) -> bool:
        """Read between statements, while this connection is idle in aiosqlite's thread; True if unsure."""
        try:
            return bool(self._connection.in_transaction)
        except Exception:  # closed: let aiosqlite say so
            return True


class OneHopDbapi(AsyncAdapt_aiosqlite_dbapi):
    """Pass as `module=` to create_async_engine for a `sqlite+aiosqlite` URL."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


async def in_one_trip(
    connection: AsyncConnection, work: Callable[[sqlite3.Connection], T], *, last: bool = False
) -> T:
    """Run `work` in aiosqlite's thread on the transaction's connection (its BEGIN IMMEDIATE first, when still
    to be sent): several statements for one trip, where each would cost a trip and an execution context of
    SQLAlchemy's. `last`: the unit of work writes nothing after it, so when it is also the first (it sends the
    BEGIN) its COMMIT goes in the same trip and the session's commit has nothing left to send. A failure comes
    back as SQLAlchemy's error for it (IntegrityError, OperationalError, …) and leaves the transaction to the
    session's rollback, as any statement's would."""
    raw = await connection.get_raw_connection()
    adapted = raw.dbapi_connection
    if not isinstance(adapted, OneHopConnection):
        raise TypeError("in_one_trip needs an engine from storage.db.create_engine (OneHopDbapi)")
    begin, adapted.begin_pending = adapted.begin_pending, False
    driver: aiosqlite.Connection = adapted._connection

    def run(conn: sqlite3.Connection) -> T:
        if begin:
            conn.execute(BEGIN)
        done = work(conn)
        if begin and last:
            conn.execute("COMMIT")
        return done

    try:
        result: T = await driver._execute(run, driver._conn)
    except sqlite3.Error as error:
        raise DBAPIError.instance(None, None, error, sqlite3.Error, hide_parameters=True) from error
    return result


@dataclass(frozen=True)
class Prepared:
    """An INSERT as sqlite3 takes it: its text, and each column's bind processor for this dialect (the one
    SQLAlchemy applies: dates and times as SQLite stores them, JSON serialised), so a row written here reads
    back exactly as one written through SQLAlchemy."""

    sql: str
    keys: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]

    def params(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(
            values[key] if process is None else process(values[key])
            for key, process in zip(self.keys, self.processors, strict=True)
        )


@functools.lru_cache(maxsize=64)
def prepared_insert(table: Table, keys: tuple[str, ...], dialect: Dialect, *, returning_id: bool) -> Prepared:
    """Built once per table, column set and engine."""
    quote = dialect.identifier_preparer
    columns = [table.c[key] for key in keys]
    sql = (
        f"INSERT INTO {quote.format_table(table)} ({', '.join(quote.format_column(c) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    if returning_id:
        sql += f" RETURNING {quote.format_column(table.c.id)}"
    processors = tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns)
    return Prepared(sql=sql, keys=keys, processors=processors)
