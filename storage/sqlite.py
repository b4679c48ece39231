"""SQLAlchemy's aiosqlite adapter, one trip to aiosqlite's thread per statement instead of three or four.

SQLAlchemy's cursor asks aiosqlite's thread for a cursor, then to execute, then to fetch, then to close: each
a queue put, a thread wake-up and a wake-up of the event loop, while SQLite's one connection is held (every
other unit of work and the journal wait for it). Here the thread does all four in one call. Server-side
cursors (streamed results) keep SQLAlchemy's own.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

# (description, rows, lastrowid, rowcount), as SQLAlchemy's cursor keeps them
Outcome = tuple[Any, Sequence[Any], int | None, int]


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
        if self.begin_pending:
            self.begin_pending = False
            return
        super().commit()

    def rollback(self) -> None:
        if self.begin_pending:
            self.begin_pending = False
            return
        super().rollback()


class OneHopDbapi(AsyncAdapt_aiosqlite_dbapi):
    """Pass as `module=` to create_async_engine for a `sqlite+aiosqlite` URL."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)
