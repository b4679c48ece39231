"""The store: migrations, SQLite pragmas, UTC round trips, on SQLite and (when set) PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import select

from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import AuditLog, Workspace
from storage.repo import projects

HEAD = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


async def test_migrations_apply_and_are_idempotent(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == HEAD
    finally:
        await engine.dispose()


async def test_sqlite_runs_wal_with_foreign_keys_and_busy_timeout(tmp_path: pytest.TempPathFactory) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/nested/dir/db.sqlite3")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
    finally:
        await engine.dispose()


async def test_sqlite_rolls_back_what_a_returned_connection_left_open(
    tmp_path: pytest.TempPathFactory,
) -> None:
    """The pool skips its ROLLBACK after a COMMIT, never while a transaction is open: the next unit of work on
    the one connection inherits neither the half-done write nor its lock."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/db.sqlite3")
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    try:
        async with engine.connect() as conn:

            def leave_open(sync_conn: Any) -> None:
                cursor = sync_conn.connection.dbapi_connection.cursor()
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(
                    "INSERT INTO workspace (team_id, created_at) VALUES ('T-LEFT-OPEN', '2026-01-01 00:00:00')"
                )

            await conn.run_sync(leave_open)
        async with sessions.begin() as s:
            await projects.get_or_create_workspace(s, team_id="T1")
        async with sessions() as s:
            assert [w.team_id for w in (await s.exec(select(Workspace))).all()] == ["T1"]
    finally:
        await engine.dispose()


async def test_sqlite_transactions_take_the_write_lock_with_their_first_statement(
    tmp_path: pytest.TempPathFactory,
) -> None:
    """BEGIN IMMEDIATE rides with a transaction's first statement (storage/sqlite.py), a read included: from
    then on another writer (another process, `liaison db …`) waits, as if BEGIN had gone on its own. A
    transaction that sends nothing commits and rolls back cleanly."""
    path = f"{tmp_path}/db.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        async with sessions.begin():
            pass  # nothing sent: nothing to commit
        async with sessions() as s:
            async with s.begin():
                pass
            await s.rollback()
        async with sessions.begin() as s:
            assert (await s.exec(select(Workspace))).all() == []
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            await projects.get_or_create_workspace(s, team_id="T1")
        other.execute("BEGIN IMMEDIATE")  # the lock went with the commit
        assert other.execute("SELECT team_id FROM workspace").fetchall() == [("T1",)]
        other.execute("ROLLBACK")
    finally:
        other.close()
        await engine.dispose()


async def test_timestamps_come_back_as_aware_utc(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    shanghai = timezone(timedelta(hours=8))
    try:
        async with sessions.begin() as s:
            ws = await projects.get_or_create_workspace(s, team_id="T1")
            assert ws.id is not None
            at = datetime(2026, 3, 29, 9, 30, tzinfo=shanghai)
            s.add(AuditLog(workspace_id=ws.id, actor_user_id="U1", actor_team_id="T1", action="x", at=at))
        async with sessions() as s:
            [row] = (await s.exec(select(AuditLog))).all()
        assert row.at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        assert row.at.utcoffset() == timedelta(0)
        with pytest.raises(Exception, match="naive"):
            async with sessions.begin() as s:
                s.add(AuditLog(workspace_id=ws.id, actor_user_id="U", action="y", at=datetime(2026, 1, 1)))  # noqa: DTZ001
    finally:
        await engine.dispose()


async def test_workspace_is_created_once(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    try:
        for _ in range(2):
            async with sessions.begin() as s:
                await projects.get_or_create_workspace(s, team_id="T1")
        async with sessions() as s:
            assert len((await s.exec(select(Workspace))).all()) == 1
    finally:
        await engine.dispose()


async def test_backend_matches_what_was_asked(database_url: str) -> None:
    import os

    expected = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    engine = create_engine(database_url)
    try:
        assert engine.dialect.name == expected
    finally:
        await engine.dispose()
