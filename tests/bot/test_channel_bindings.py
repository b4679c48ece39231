"""The channel → project cache (bot/domain/channels.BindingCache), on SQLite and (when set) PostgreSQL: a burst
reads a binding once, a change made in this process is seen by the next read, one made by another replica
within the cache's age bound, and what it hands out is the caller's own copy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event, insert, text

from bot.domain import channels
from storage import migrate
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import ProjectChannel
from storage.repo import projects


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Store:
    sessions: SessionFactory
    workspace_id: int
    project_id: int
    statements: list[str]


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    async with sessions.begin() as s:
        workspace_id = await channels.workspace_id_of(s, team_id="T1")
        project = await projects.create_project(
            s,
            workspace_id=workspace_id,
            channel_id="C1",
            name="ERP",
            client_name="ACME",
            tz="Asia/Shanghai",
            lang="en",
            created_by="U1",
        )
        assert project.id is not None
    statements: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "projectchannel" in statement.lower():
            statements.append(statement)

    yield Store(sessions=sessions, workspace_id=workspace_id, project_id=project.id, statements=statements)
    await engine.dispose()


async def find(
    cache: channels.BindingCache, store: Store, channel_id: str = "C1"
) -> channels.ChannelBinding | None:
    return await cache.find(store.sessions, workspace_id=store.workspace_id, channel_id=channel_id)


async def test_a_burst_reads_the_binding_once(store: Store) -> None:
    cache = channels.BindingCache()
    found = [await find(cache, store) for _ in range(20)]
    assert {b.project.name for b in found if b is not None} == {"ERP"}
    assert len(found) == 20 and all(b is not None for b in found)
    assert len(store.statements) == 1


async def test_a_change_made_here_is_seen_by_the_next_read(store: Store) -> None:
    cache = channels.BindingCache()
    before = await find(cache, store)
    assert before is not None and before.project.tz == "Asia/Shanghai"
    async with store.sessions.begin() as s:
        await projects.update_project(s, project=before.project, changes={"tz": "Europe/Berlin"})
    after = await find(cache, store)
    assert after is not None and after.project.tz == "Europe/Berlin"
    assert len(store.statements) == 2  # read again, not served stale


async def test_a_read_that_raced_a_change_is_not_kept(store: Store) -> None:
    """Read before a change commits elsewhere in this process, put after it: never served."""
    cache = channels.BindingCache()
    stamp = cache.stamp()
    async with store.sessions.begin() as s:
        stale = await channels.find_binding(s, workspace_id=store.workspace_id, channel_id="C1")
    assert stale is not None
    async with store.sessions.begin() as s:
        project = await channels.fresh_project(s, project_id=store.project_id)
        assert project is not None
        await projects.update_project(s, project=project, changes={"lang": "zh"})
    cache.put(stale, workspace_id=store.workspace_id, channel_id="C1", stamp=stamp)
    assert cache.get(workspace_id=store.workspace_id, channel_id="C1") is None
    fresh = await find(cache, store)
    assert fresh is not None and fresh.project.lang == "zh"


async def test_another_replicas_change_is_seen_once_the_entry_ages_out(store: Store) -> None:
    clock = Clock()
    cache = channels.BindingCache(clock=clock)
    assert (await find(cache, store)) is not None
    async with store.sessions.begin() as s:  # another process: plain SQL, no flush of this one's
        await s.exec(text("UPDATE project SET tz = 'UTC' WHERE id = :p").bindparams(p=store.project_id))  # type: ignore[call-overload]
    clock.now += channels.BINDING_TTL_SECONDS - 0.1
    served = await find(cache, store)
    assert served is not None and served.project.tz == "Asia/Shanghai"
    clock.now += 0.2
    seen = await find(cache, store)
    assert seen is not None and seen.project.tz == "UTC"


async def test_an_unbound_channel_is_not_cached(store: Store) -> None:
    cache = channels.BindingCache()
    assert (await find(cache, store, "C2")) is None
    row = ProjectChannel(
        workspace_id=store.workspace_id,
        project_id=store.project_id,
        channel_id="C2",
        role="client",
        added_by="U1",
    )
    async with (
        store.sessions.begin() as s
    ):  # bound by another replica: a plain INSERT, no flush of this one's
        connection = await s.connection()
        await connection.execute(insert(ProjectChannel), [row.model_dump(exclude={"id"})])
    bound = await find(cache, store, "C2")
    assert bound is not None and bound.channel.role == channels.CLIENT


async def test_each_caller_gets_its_own_copy(store: Store) -> None:
    cache = channels.BindingCache()
    first = await find(cache, store)
    assert first is not None
    first.project.approvers.append("U9")
    first.project.name = "changed in memory only"
    second = await find(cache, store)
    assert second is not None
    assert second.project.name == "ERP" and second.project.approvers == []
    assert second.project is not first.project
    async with store.sessions.begin() as s:  # a copy is a detached row: saving it updates, never inserts
        await projects.update_project(s, project=second.project, changes={"name": "ERP 2"})
    third = await find(cache, store)
    assert third is not None and third.project.name == "ERP 2" and third.project.id == store.project_id
