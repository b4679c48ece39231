"""0018 (issue 15): the periodic prune of processed-request keys deletes by age through an index on
`processedrequest.created_at` (the query plan says so on SQLite and PostgreSQL) instead of scanning the table;
the migration matches the model and goes down and up. SQLite, and PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, insert, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - the tables the metadata holds
from bot.domain import housekeeping
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import ProcessedRequest
from tests.storage.test_issue_migration import _downgrade

INDEX = "ix_processedrequest_created_at"
NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
RECENT, OLD = 5000, 20


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _indexes(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        found = await conn.run_sync(lambda c: inspect(c).get_indexes("processedrequest"))
    return [str(i["name"]) for i in found]


async def test_the_migration_matches_the_model_and_goes_down_and_up(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine, "0018")

    def differences(connection: Connection) -> list[Any]:
        found = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        return [d for d in found if "processedrequest" in repr(d)]

    async with engine.connect() as conn:
        assert await conn.run_sync(differences) == []
    assert INDEX in await _indexes(engine)
    await _downgrade(engine, "0017")
    assert INDEX not in await _indexes(engine)
    await migrate.upgrade(engine)
    assert INDEX in await _indexes(engine)


async def test_the_prune_deletes_old_keys_through_the_index(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine)
    rows = [{"key": f"cmd:recent.{n}", "created_at": NOW - timedelta(seconds=n)} for n in range(RECENT)]
    rows += [{"key": f"cmd:old.{n}", "created_at": NOW - timedelta(days=2, seconds=n)} for n in range(OLD)]
    async with engine.begin() as conn:
        await conn.execute(insert(ProcessedRequest), rows)
        await conn.execute(
            text("ANALYZE processedrequest" if engine.dialect.name == "postgresql" else "ANALYZE")
        )

    ran: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            ran.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        async with create_session_factory(engine)() as session:
            assert await housekeeping.prune_request_keys(session, now=NOW) == OLD
            await session.commit()
            assert await housekeeping.request_key_count(session) == RECENT
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert len(ran) == 1, ran

    # The plan of exactly the statement the prune ran, with its parameters.
    statement, parameters = ran[0]
    postgres = engine.dialect.name == "postgresql"
    async with engine.connect() as conn:
        result = await conn.exec_driver_sql(
            ("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + statement, parameters
        )
        plan = "\n".join(" ".join(str(c) for c in row) for row in result.all())
        await conn.rollback()
    assert INDEX in plan, plan
    assert ("Seq Scan" if postgres else "SCAN processedrequest") not in plan, plan
