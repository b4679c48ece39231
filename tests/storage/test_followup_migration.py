"""0019 (issue 15): `followup`, one table of claims with leases for every follow-up post. The migration matches
the model and goes down and up; one claim per (kind, record, part) however many replicas insert at once; a
claim whose lease ran out is taken over by exactly one of several looking at once. SQLite, and PostgreSQL when
TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, select

import storage.models  # noqa: F401 - the tables the metadata holds
from bot.domain import followups, housekeeping
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Followup, Project, Workspace
from tests.storage.test_issue_migration import _downgrade

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _tables(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return list(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_the_migration_matches_the_model_and_goes_down_and_up(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine, "0019")

    def differences(connection: Connection) -> list[Any]:
        found = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        return [d for d in found if "followup" in repr(d)]

    async with engine.connect() as conn:
        assert await conn.run_sync(differences) == []
    await _downgrade(engine, "0018")
    assert "followup" not in await _tables(engine)
    await migrate.upgrade(engine)
    assert "followup" in await _tables(engine)


async def _project(engine: AsyncEngine) -> int:
    async with create_session_factory(engine).begin() as session:
        workspace = Workspace(team_id="T0HOME")
        session.add(workspace)
        await session.flush()
        assert workspace.id is not None
        project = Project(
            workspace_id=workspace.id, name="ACME ERP", client_name="ACME", created_by="U0ALICE"
        )
        session.add(project)
        await session.flush()
        assert project.id is not None
        return project.id


async def test_one_claim_per_record_and_one_taker_of_an_expired_lease(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine)
    project_id = await _project(engine)
    sessions = create_session_factory(engine)

    async def claim(instance: str) -> followups.Held | None:
        async with sessions.begin() as session:
            return await followups.claim(
                session,
                kind=followups.SIGNOFF_NUDGE,
                record_id=7,
                project_id=project_id,
                instance=instance,
                now=NOW,
            )

    won = [h for h in await asyncio.gather(*(claim(f"replica-{n}") for n in range(4))) if h is not None]
    assert len(won) == 1 and won[0].key == "signoff-nudge:7"

    later = NOW + followups.LEASE + timedelta(seconds=1)
    assert await followups.take_over(sessions, kind=followups.SIGNOFF_NUDGE, now=NOW, instance="x") == []
    taken = await asyncio.gather(
        *(
            followups.take_over(sessions, kind=followups.SIGNOFF_NUDGE, now=later, instance=f"t{n}")
            for n in range(4)
        )
    )
    assert sum(len(t) for t in taken) == 1
    [held] = [h for t in taken for h in t]
    assert held.taken_over and held.claimed_at == NOW
    taker = f"t{[len(t) for t in taken].index(1)}"
    assert (
        await followups.begin_attempt(sessions, held, instance="replica-0", now=later) is None
    )  # not its own
    assert await followups.begin_attempt(sessions, held, instance=taker, now=later) == 1
    assert await followups.done(sessions, held, instance=taker, now=later)
    assert (
        await followups.take_over(
            sessions, kind=followups.SIGNOFF_NUDGE, now=later + timedelta(days=1), instance="y"
        )
        == []
    )


async def test_housekeeping_prunes_posted_follow_ups_after_a_week_and_keeps_the_rest(
    engine: AsyncEngine,
) -> None:
    await migrate.upgrade(engine)
    project_id = await _project(engine)
    sessions = create_session_factory(engine)
    rows = {  # record id: when it was posted (None: still held or given up)
        1: NOW - timedelta(days=8),
        2: NOW - timedelta(days=6),
        3: None,
    }
    async with sessions.begin() as session:
        for record_id, posted in rows.items():
            session.add(
                Followup(
                    kind=followups.SIGNOFF_NUDGE,
                    record_id=record_id,
                    project_id=project_id,
                    claimed_at=NOW - timedelta(days=9),
                    done_at=posted,
                )
            )
    async with sessions.begin() as session:
        assert await housekeeping.prune_followups(session, now=NOW) == 1
    async with sessions() as session:
        left = (await session.exec(select(Followup.record_id))).all()
    assert sorted(left) == [2, 3]
