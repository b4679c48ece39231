"""0013 (lessons and archived projects): the lesson table, `project.archived_at` and `schedule.paused_reason`
match the models; a project and a schedule from before keep working (running, not paused by archiving); the
downgrade removes all three (SQLite and, when set, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - the tables the metadata holds
from storage import migrate
from storage.db import create_engine
from tests.storage.test_issue_migration import _downgrade

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _mine(diff: Any) -> bool:
    """A difference that concerns what 0013 adds (other slots are filled by others in parallel)."""
    text_of = repr(diff)
    return (
        "'lesson'" in text_of
        or "archived_at" in text_of
        or "paused_reason" in text_of
        or "ix_lesson_" in text_of
    )


async def test_the_lessons_migration_matches_the_models_and_goes_down_and_up(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0012")
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO workspace (id, team_id, created_at) VALUES (1, 'T0HOME', :t)"), {"t": T0}
            )
            await conn.execute(
                text(
                    "INSERT INTO project (id, workspace_id, name, client_name, tz, lang, created_by, created_at,"
                    " updated_at) VALUES (1, 1, 'ERP', 'ACME', 'UTC', 'en', 'U0ALICE', :t, :t)"
                ),
                {"t": T0},
            )
        await migrate.upgrade(engine, "0013")

        def differences(connection: Connection) -> list[Any]:
            found = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
            return [d for d in found if _mine(d)]

        async with engine.connect() as conn:
            assert await conn.run_sync(differences) == []
            archived = (await conn.execute(text("SELECT archived_at FROM project WHERE id = 1"))).scalar_one()
        assert archived is None
        await _downgrade(engine, "0012")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
            project = await conn.run_sync(
                lambda c: [col["name"] for col in inspect(c).get_columns("project")]
            )
            schedule = await conn.run_sync(
                lambda c: [col["name"] for col in inspect(c).get_columns("schedule")]
            )
        assert "lesson" not in tables and "archived_at" not in project and "paused_reason" not in schedule
        await migrate.upgrade(engine, "0013")
    finally:
        await engine.dispose()
