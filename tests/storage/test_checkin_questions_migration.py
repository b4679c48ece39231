"""0011 (a check-in's own questions): the answers' new columns match the models, an answer from before keeps
working (no own answers, given by the team), and the downgrade removes them (SQLite and, when set, PostgreSQL)."""

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
    """A difference that concerns what 0011 adds (other slots are filled by others in parallel)."""
    return "checkinanswer" in repr(diff)


async def _downgrade(engine: Any, revision: str) -> None:
    from alembic import command

    def go(connection: Connection) -> None:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(go)
        await conn.commit()


async def test_checkin_answers_columns_match_the_models_and_go_down_and_up(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0010")
        async with engine.begin() as conn:
            run = conn.execute
            await run(
                text("INSERT INTO workspace (id, team_id, created_at) VALUES (1, 'T0HOME', :t)"), {"t": T0}
            )
            await run(
                text(
                    "INSERT INTO project (id, workspace_id, name, client_name, tz, lang, created_by, created_at,"
                    " updated_at) VALUES (1, 1, 'ERP', 'ACME', 'UTC', 'en', 'U0ALICE', :t, :t)"
                ),
                {"t": T0},
            )
            await run(
                text(
                    "INSERT INTO schedule (id, project_id, number, kind, title, rule, lead_minutes, visibility,"
                    " options, status, active_since, grace_minutes, created_by, created_at, updated_at) VALUES"
                    " (1, 1, 1, 'checkin', 'Check-in', '{}', 0, 'internal', '{}', 'active', :t, 60, 'U0ALICE',"
                    " :t, :t)"
                ),
                {"t": T0},
            )
            await run(
                text(
                    "INSERT INTO occurrence (id, schedule_id, occurs_at, status, claimed_by, claimed_at, attempts,"
                    " error) VALUES (1, 1, :t, 'posted', '', :t, 1, '')"
                ),
                {"t": T0},
            )
            await run(
                text(
                    "INSERT INTO checkinanswer (id, occurrence_id, project_id, user_id, progress, done, next,"
                    " blockers, confidence) VALUES (1, 1, 1, 'U0BOB', 70, 'Mapping', '', '', 'high')"
                )
            )
        await migrate.upgrade(engine, "0011")

        def differences(connection: Connection) -> list[Any]:
            found = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
            return [d for d in found if _mine(d)]

        async with engine.connect() as conn:
            assert await conn.run_sync(differences) == []
            row = (
                await conn.execute(
                    text("SELECT progress, answers, by_client FROM checkinanswer WHERE id = 1")
                )
            ).one()
        assert row[0] == 70 and row[1] in ([], "[]") and not row[2]
        await _downgrade(engine, "0010")
        async with engine.connect() as conn:
            columns = await conn.run_sync(
                lambda c: [col["name"] for col in inspect(c).get_columns("checkinanswer")]
            )
        assert "answers" not in columns and "by_client" not in columns and "progress" in columns
        await migrate.upgrade(engine, "0011")
    finally:
        await engine.dispose()
