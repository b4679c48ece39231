"""A record written without the ORM (storage/repo/records.insert_numbered, what `/risk add` uses): numbered
R-1… without gaps or twins under concurrent writers, each with its audit entry and its search index row, and
a repeat of the same request writing nothing; on SQLite and (when set) PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel, select

import bot.domain.search  # noqa: F401  (registers the searchable kinds)
from bot.domain import channels, risks
from bot.domain.records import Actor
from bot.policy import Place, Viewer
from storage import migrate
from storage.db import SessionFactory, create_engine, create_session_factory, is_disconnect, retry_once
from storage.models import AuditLog, Milestone, Risk
from storage.repo import audit as audit_repo
from storage.repo import projects, records, search
from storage.repo.records import new_record

WRITERS = 12


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[tuple[SessionFactory, Actor]]:
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
            tz="UTC",
            lang="en",
            created_by="U1",
        )
        assert project.id is not None
    actor = Actor(
        viewer=Viewer(user_id="U1", team_id="T1", home_team_id="T1"),
        place=Place(channel_id="C1", shared=False, client_channel=False),
        project_id=project.id,
        workspace_id=workspace_id,
    )
    yield sessions, actor
    await engine.dispose()


async def add(sessions: SessionFactory, actor: Actor, title: str, key: str) -> risks.Saved:
    draft = risks.RiskDraft(title=title, probability=3, impact=4, owner=risks.Owner(user_id="U2"))
    async with sessions.begin() as s:
        return await risks.create_risk(s, actor, draft, owner_team_id="T1", request_key=key)


async def test_concurrent_writers_number_without_gaps_and_index_every_risk(
    world: tuple[SessionFactory, Actor],
) -> None:
    sessions, actor = world
    saved = await asyncio.gather(
        *(add(sessions, actor, f"Vendor slip {i}", f"cmd:{i}") for i in range(WRITERS))
    )
    assert sorted(s.risk.number for s in saved) == list(range(1, WRITERS + 1))
    async with sessions() as s:
        stored = list((await s.exec(select(Risk).order_by(Risk.number))).all())  # type: ignore[arg-type]
        entries = list((await s.exec(select(AuditLog).where(AuditLog.action == "risk.create"))).all())
        hits = await search.find(s, project_id=actor.project_id, words=["vendor", "slip"], limit=100)
    assert [(r.id, r.number, r.title) for r in stored] == sorted(
        (s.risk.id, s.risk.number, s.risk.title) for s in saved
    )
    assert sorted(e.record_ref or "" for e in entries) == sorted(f"R-{n}" for n in range(1, WRITERS + 1))
    assert {e.changes["request"] for e in entries} == {f"cmd:{i}" for i in range(WRITERS)}
    assert sorted(h.record_id for h in hits) == sorted(r.id for r in stored if r.id is not None)


async def test_a_repeat_writes_nothing_and_answers_with_the_first(
    world: tuple[SessionFactory, Actor],
) -> None:
    sessions, actor = world
    first = await add(sessions, actor, "Late hardware", "cmd:same")
    again = await add(sessions, actor, "Late hardware", "cmd:same")
    assert again.repeated and again.risk.id == first.risk.id and again.risk.number == 1
    async with sessions() as s:
        assert len((await s.exec(select(Risk))).all()) == 1
        assert len((await s.exec(select(AuditLog).where(AuditLog.action == "risk.create"))).all()) == 1


async def test_the_written_risk_is_a_row_like_any_loaded_one(world: tuple[SessionFactory, Actor]) -> None:
    """It can be changed in a later session (an UPDATE, not a second INSERT) and the index follows."""
    sessions, actor = world
    saved = await add(sessions, actor, "Data migration slips", "cmd:1")
    async with sessions.begin() as s:
        s.add(saved.risk)
        saved.risk.title = "Data cut-over slips"
    async with sessions() as s:
        [row] = (await s.exec(select(Risk))).all()
        assert row.title == "Data cut-over slips" and row.status == "open" and row.created_at is not None
        assert [
            h.record_id
            for h in await search.find(s, project_id=actor.project_id, words=["cut-over"], limit=5)
        ] == [row.id]
        assert await search.find(s, project_id=actor.project_id, words=["migration"], limit=5) == []


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Risk, {"project_id": 1, "number": 2, "title": "Vendor late", "probability": 3, "impact": 4,
                "created_by": "U1", "due_on": date(2026, 12, 15), "owner_user_id": "U2"}),
        (Milestone, {"project_id": 1, "number": 1, "title": "Go-live", "planned_on": date(2027, 3, 1),
                     "forecast_on": date(2027, 3, 8), "created_by": "U1"}),
    ],
)  # fmt: skip
def test_new_record_builds_what_the_model_builds(model: type[SQLModel], values: dict[str, Any]) -> None:
    """storage/repo/records.new_record (the command path's constructor) fills the same fields, defaults
    included, as the model's own constructor; lists and dicts are never shared between records."""
    with time_machine.travel(datetime(2026, 12, 7, 9, 30, tzinfo=UTC), tick=False):
        expected, built = model(**values), new_record(model, **values)
        again = new_record(model, **values)
    assert built.model_dump() == expected.model_dump()
    assert built.model_fields_set == expected.model_fields_set == set(values)
    for name, value in built.model_dump().items():
        if isinstance(value, list | dict):
            assert getattr(built, name) is not getattr(again, name)
    with pytest.raises(TypeError, match="no field colour"):
        new_record(model, **values, colour="red")
    with pytest.raises(TypeError, match="needs title"):
        new_record(model, **{k: v for k, v in values.items() if k != "title"})


async def _stored(sessions: SessionFactory, table: str, where: str) -> dict[str, Any]:
    """A row as the database driver hands it back (SQLite: dates and times as the text it stores)."""
    async with sessions() as s:
        connection = await s.connection()
        row = (await connection.exec_driver_sql(f"SELECT * FROM {table} WHERE {where}")).mappings().one()
    return dict(row)


async def test_the_fast_insert_stores_each_row_exactly_as_the_orm_does(
    world: tuple[SessionFactory, Actor],
) -> None:
    """insert_numbered writes its record, search row and audit row without SQLAlchemy's unit of work (one trip
    to aiosqlite's thread on SQLite, one statement straight to asyncpg on PostgreSQL): what it stores must be
    what the ORM and the audit log's own insert store, value for value, so every reader sees one format."""
    sessions, actor = world
    at = datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=UTC)
    values = {"project_id": actor.project_id, "title": "Vendor <late> & over budget", "probability": 3,
              "impact": 4, "created_by": "U1", "due_on": date(2026, 12, 15), "owner_user_id": "U2",
              "closed_at": at, "created_at": at, "updated_at": at}  # fmt: skip
    audit = {"workspace_id": actor.workspace_id, "project_id": actor.project_id, "actor_user_id": "U1",
             "actor_team_id": None, "action": "risk.create", "record_ref": None,
             "changes": {"title": "Vendor <late>", "due": "2026-12-15", "n": [1, 2]}, "at": at}  # fmt: skip
    async with sessions.begin() as s:
        fast = await records.insert_numbered(s, new_record(Risk, number=0, **values), key="k1", kind="R",
                                             audit=audit)  # fmt: skip
    assert fast is not None and fast.number == 1
    async with sessions.begin() as s:
        orm = Risk(number=2, **values)
        s.add(orm)
        await s.flush()
        await audit_repo.append(s, {**audit, "record_ref": "R-2"})
    one, two = await _stored(sessions, "risk", "number = 1"), await _stored(sessions, "risk", "number = 2")
    assert {**one, "id": None, "number": None} == {**two, "id": None, "number": None}
    first = await _stored(sessions, "auditlog", "record_ref = 'R-1'")
    second = await _stored(sessions, "auditlog", "record_ref = 'R-2'")
    assert {**first, "id": None, "record_ref": None} == {**second, "id": None, "record_ref": None}
    async with sessions() as s:
        hits = await search.find(s, project_id=actor.project_id, words=["budget"], limit=5)
        loaded = await s.get(Risk, fast.id)
    assert sorted(h.record_id for h in hits) == sorted([fast.id, orm.id]) and loaded is not None
    assert (loaded.closed_at, loaded.due_on, loaded.title) == (at, date(2026, 12, 15), values["title"])


async def test_a_failing_fast_insert_raises_sqlalchemys_error_and_leaves_nothing(
    world: tuple[SessionFactory, Actor],
) -> None:
    """A statement refused inside the one trip or the one statement (here a project that does not exist) comes
    back as SQLAlchemy's IntegrityError, and nothing of it stays: not the request's claim, not the number."""
    sessions, actor = world
    orphan = new_record(Risk, project_id=actor.project_id + 99, number=0, title="Nowhere", probability=1,
                        impact=1, created_by="U1")  # fmt: skip
    with pytest.raises(IntegrityError):
        async with sessions.begin() as s:
            await records.insert_numbered(s, orphan, key="cmd:lost", kind="R")
    async with sessions.begin() as s:  # the same request again: not claimed, numbered from 1 again
        mine = new_record(Risk, project_id=actor.project_id, number=0, title="Here", probability=1, impact=1,
                          created_by="U1")  # fmt: skip
        again = await records.insert_numbered(s, mine, key="cmd:lost", kind="R")
    assert again is not None and again.number == 1
    async with sessions() as s:
        assert [r.title for r in (await s.exec(select(Risk))).all()] == ["Here"]


async def test_a_connection_lost_under_the_one_statement_is_retried_on_a_fresh_one(
    world: tuple[SessionFactory, Actor], database_url: str
) -> None:
    """PostgreSQL: the one statement goes straight to asyncpg, so SQLAlchemy does not see its connection die;
    storage/pg.py says so itself (invalidated, a disconnect), and the command's retry writes the risk once."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no connection to lose")
    sessions, actor = world
    admin = create_async_engine(database_url, isolation_level="AUTOCOMMIT", pool_size=1)
    errors: list[Exception] = []

    async def attempt() -> Risk | None:
        async with sessions.begin() as s:
            connection = await s.connection()
            if not errors:  # the first attempt's connection dies under it, as pg_terminate_backend does
                pid = (await connection.get_raw_connection()).driver_connection.get_server_pid()
                async with admin.connect() as kill:
                    await kill.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            risk = new_record(Risk, project_id=actor.project_id, number=0, title="Cut", probability=2,
                              impact=2, created_by="U1")  # fmt: skip
            try:
                return await records.insert_numbered(s, risk, key="cmd:cut", kind="R")
            except Exception as error:
                errors.append(error)
                raise

    try:
        written = await retry_once(attempt, what="test")
    finally:
        await admin.dispose()
    assert written is not None and written.number == 1
    assert len(errors) == 1 and is_disconnect(errors[0])
    assert isinstance(errors[0], DBAPIError) and errors[0].connection_invalidated
    async with sessions() as s:
        assert [r.title for r in (await s.exec(select(Risk))).all()] == ["Cut"]
