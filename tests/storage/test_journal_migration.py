"""0016 (command journal): the `commandjournal` table matches the model, goes down and up (SQLite and, when
set, PostgreSQL); its claim takes a lapsed lease once and never a live one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - the tables the metadata holds
from bot.domain import journal
from storage import migrate
from storage.db import create_engine, create_session_factory
from tests.storage.test_issue_migration import _downgrade

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def _mine(diff: Any) -> bool:
    return "commandjournal" in repr(diff)


async def test_the_journal_migration_matches_the_model_and_goes_down_and_up(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0016")

        def differences(connection: Connection) -> list[Any]:
            found = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
            return [d for d in found if _mine(d)]

        async with engine.connect() as conn:
            assert await conn.run_sync(differences) == []
        await _downgrade(engine, "0015")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert "commandjournal" not in tables
        await migrate.upgrade(engine, "0016")
    finally:
        await engine.dispose()


async def test_a_lapsed_lease_is_taken_once_a_live_or_renewed_one_never_and_old_commands_are_dropped(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    lease = timedelta(seconds=60)
    try:
        await migrate.upgrade(engine)
        live = {"trigger_id": "1.live", "response_url": "https://hooks/1", "text": "add Live p:2 i:2"}
        dead = {"trigger_id": "2.dead", "response_url": "https://hooks/2", "text": "add 数据迁移 p:2 i:2"}
        old = {"trigger_id": "3.old", "response_url": "https://hooks/3", "text": "add Old p:2 i:2"}
        assert await journal.record(sessions, old, now=T0 - timedelta(minutes=31), lease=lease)
        assert await journal.record(sessions, dead, now=T0 - timedelta(minutes=2), lease=lease)
        assert await journal.record(sessions, live, now=T0, lease=lease)
        assert not await journal.record(sessions, live, now=T0, lease=lease)  # the same command twice

        due = await journal.take_due(sessions, now=T0, lease=lease)
        assert due.dropped == 1  # past response_url's 30 minutes
        assert due.commands == [("cmd:2.dead", dead)]  # the Chinese text kept verbatim
        again = await journal.take_due(sessions, now=T0 + timedelta(seconds=30), lease=lease)
        assert again.commands == []  # leased now: another replica does not take it too

        # still being worked on (or waiting for a worker): its lease is renewed, so it is never taken for dead
        assert await journal.renew(sessions, ["cmd:1.live"], now=T0 + timedelta(seconds=50), lease=lease) == 1
        renewed = await journal.take_due(sessions, now=T0 + timedelta(seconds=90), lease=lease)
        assert [key for key, _ in renewed.commands] == ["cmd:2.dead"]  # its own lease lapsed meanwhile
        await journal.finish(sessions, "cmd:2.dead")
        assert await journal.release(sessions, ["cmd:1.live"]) == 1  # shutdown gave it up: due at once
        later = await journal.take_due(sessions, now=T0 + timedelta(seconds=1), lease=lease)
        assert [key for key, _ in later.commands] == ["cmd:1.live"]
        assert await journal.pending(sessions) == 1
    finally:
        await engine.dispose()
