"""0014 (review before send): `project.review` / `project.review_lead` and the `reviewpreview` table match the
models; a project from before reads "off" and 120 minutes (it posts as it did); the downgrade removes them all
(SQLite and, when set, PostgreSQL)."""

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
    """A difference that concerns what 0014 adds (other slots are filled by others in parallel)."""
    text_of = repr(diff)
    return "reviewpreview" in text_of or "'review'" in text_of or "review_lead" in text_of


async def test_the_review_migration_matches_the_models_and_goes_down_and_up(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0013")
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
        await migrate.upgrade(engine, "0014")

        def differences(connection: Connection) -> list[Any]:
            found = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
            return [d for d in found if _mine(d)]

        async with engine.connect() as conn:
            assert await conn.run_sync(differences) == []
            row = (await conn.execute(text("SELECT review, review_lead FROM project WHERE id = 1"))).one()
        assert tuple(row) == ("off", 120)
        await _downgrade(engine, "0013")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
            project = await conn.run_sync(
                lambda c: [col["name"] for col in inspect(c).get_columns("project")]
            )
        assert "reviewpreview" not in tables and "review" not in project and "review_lead" not in project
        await migrate.upgrade(engine, "0014")
    finally:
        await engine.dispose()
