"""0009 (the issue log): the table and the project's response targets match the models, a project from before
keeps working (targets default to none set), and the downgrade removes both (SQLite and, when set, PostgreSQL)."""

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

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _mine(diff: Any) -> bool:
    """A difference that concerns what 0009 adds (other slots are filled by others in parallel)."""
    text_of = repr(diff)
    return "'issue'" in text_of or "issue_targets" in text_of or "ix_issue_" in text_of


async def _downgrade(engine: Any, revision: str) -> None:
    from alembic import command

    def go(connection: Connection) -> None:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(go)
        await conn.commit()


async def test_the_issue_log_migration_matches_the_models_and_goes_down_and_up(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0008")
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
        await migrate.upgrade(engine, "0009")

        def differences(connection: Connection) -> list[Any]:
            found = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
            return [d for d in found if _mine(d)]

        async with engine.connect() as conn:
            assert await conn.run_sync(differences) == []
            targets = (
                await conn.execute(text("SELECT issue_targets FROM project WHERE id = 1"))
            ).scalar_one()
        assert targets in ({}, "{}")
        await _downgrade(engine, "0008")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
            columns = await conn.run_sync(
                lambda c: [col["name"] for col in inspect(c).get_columns("project")]
            )
        assert "issue" not in tables and "issue_targets" not in columns
        await migrate.upgrade(engine, "0009")
    finally:
        await engine.dispose()
