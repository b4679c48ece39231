"""Engine and session factory. SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL a small pool."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InvalidatePoolError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import PoolResetState
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.sqlite import OneHopDbapi

SessionFactory = async_sessionmaker[AsyncSession]
T = TypeVar("T")

log = logging.getLogger(__name__)

# asyncpg's names for a connection that is gone (pg_terminate_backend, a restart, a dropped socket).
_GONE = {
    "ConnectionDoesNotExistError",
    "AdminShutdownError",
    "CannotConnectNowError",
    "ConnectionFailureError",
    "CrashShutdownError",
    "ConnectionRejectionError",
}


class DatabaseUnavailable(Exception):
    """The database stayed unreachable through a retry on a fresh connection."""


def is_disconnect(exc: BaseException) -> bool:
    """True when `exc` means the connection (or the server) went away, not that the statement was wrong."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, ConnectionError | TimeoutError) or type(current).__name__ in _GONE:
            return True
        if isinstance(current, OSError) and not isinstance(current, FileNotFoundError):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


async def retry_once(work: Callable[[], Awaitable[T]], *, what: str = "unit of work") -> T:
    """Run `work`; if the connection was lost, once more on a fresh one (the pool drops the dead connection
    and pre-pings the next). Only for work that is safe to repeat: idempotent by its request key. A second
    loss raises DatabaseUnavailable; any other error propagates unchanged."""
    try:
        return await work()
    except Exception as first:
        if not is_disconnect(first):
            raise
        log.warning("%s: database connection lost (%s); retrying once", what, type(first).__name__)
    try:
        return await work()
    except Exception as second:
        if is_disconnect(second):
            raise DatabaseUnavailable(type(second).__name__) from second
        raise


def _ensure_sqlite_dir(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """One engine per process. SQLite is single-writer: one pooled connection, transactions BEGIN IMMEDIATE.

    `hide_parameters`: a database error's message names the statement but not its values (what users typed),
    so a logged traceback never carries the text of a record.

    A single connection turns lock contention inside the process into an asyncio queue (fair and fast)
    instead of SQLite's sleeping busy handler; BEGIN IMMEDIATE keeps a second process (`liaison db
    upgrade`) from deadlocking on a lock upgrade, and the busy timeout makes it wait rather than fail.
    """
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        # Under a burst every request queues for the one connection: waiting is right (a reply through
        # response_url stays valid for 30 minutes); giving up after SQLAlchemy's 30 s default lost writes
        # in the ack benchmark.
        engine = create_async_engine(
            url,
            echo=echo,
            pool_size=1,
            max_overflow=0,
            pool_timeout=300,
            hide_parameters=True,
            pool_reset_on_return=None,  # _on_reset below does it, only when there is something to undo
            module=OneHopDbapi(),  # one trip to aiosqlite's thread per statement (storage/sqlite.py)
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            # BEGIN IMMEDIATE, sent with the transaction's first statement (storage/sqlite.OneHopConnection):
            # one trip to aiosqlite's thread fewer per transaction.
            conn.connection.dbapi_connection.begin()

        @event.listens_for(engine.sync_engine, "reset")
        def _on_reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
            """Rollback-on-return only when a transaction is still open. After a COMMIT there is nothing to
            undo, and the ROLLBACK the pool would send anyway is one more hop to aiosqlite's thread while the
            one connection is held: about a quarter of a short transaction's CPU, on every unit of work."""
            if state.asyncio_safe and not state.transaction_was_reset and _in_transaction(dbapi_connection):
                dbapi_connection.rollback()
            dbapi_connection.begin_pending = False  # a transaction that never sent its BEGIN is over too

        return engine
    engine = create_async_engine(url, echo=echo, pool_size=10, max_overflow=5, hide_parameters=True)
    _ping_when_idle(engine)
    return engine


# A connection back in the pool for less than this is taken again without a ping.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Pre-ping, but only a connection that sat in the pool for PING_AFTER_IDLE_SECONDS or more.

    SQLAlchemy's pool_pre_ping pings at every checkout, and asyncpg's ping is three round trips (BEGIN, ";",
    ROLLBACK): under load that was half again as many round trips as the work itself. A connection in
    constant use needs none: if it died a moment ago its unit of work fails as a disconnect, which makes the
    pool drop every older connection, and retry_once runs the work again on a fresh one. A failed ping does
    the same as SQLAlchemy's: every pooled connection older than now is replaced."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            if engine.dialect.is_disconnect(exc, dbapi_connection, None):
                raise InvalidatePoolError() from exc
            raise


def _in_transaction(dbapi_connection: Any) -> bool:
    """Whether SQLite holds a transaction open on this (aiosqlite) connection; True when it cannot tell."""
    try:
        return bool(dbapi_connection.driver_connection.in_transaction)
    except Exception:  # closed, or not the driver expected: roll back as the pool would
        return True


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
