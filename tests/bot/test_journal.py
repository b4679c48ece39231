"""The journal's group commit (bot/domain/journal.GroupCommit) against a real database (SQLite, and PostgreSQL
with TEST_DATABASE_URL): acks waiting together are journaled by one transaction and one INSERT; answered rows
go with the next batch, or alone after the delay, or at the shutdown's flush; each waiter hears its own
outcome."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, select

from bot.domain.journal import DatabaseUnavailable, GroupCommit, command_key
from storage import migrate
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.models import CommandJournal

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


@dataclass
class Store:
    sessions: SessionFactory
    commits: int = 0
    statements: list[str] = field(default_factory=list)  # the journal's, as sent to the database

    def journal_statements(self, verb: str) -> int:
        return sum(1 for s in self.statements if s.startswith(verb) and "COMMANDJOURNAL" in s)

    async def keys(self) -> set[str]:
        async with self.sessions() as session:
            return set((await session.exec(select(col(CommandJournal.key)))).all())


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    engine = create_engine(database_url)
    found = Store(create_session_factory(engine))

    def seen(statement: str) -> None:
        found.statements.append(statement.lstrip().upper())

    if engine.dialect.name == "sqlite":  # the journal writes around SQLAlchemy there: what SQLite itself runs

        @event.listens_for(engine.sync_engine, "connect")
        def _trace(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.await_(dbapi_connection._connection.set_trace_callback(seen))

    else:

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            seen(statement)

    @event.listens_for(engine.sync_engine, "commit")
    def _commit(_conn: Any) -> None:
        found.commits += 1

    await migrate.upgrade(engine)
    found.statements.clear()
    found.commits = 0
    try:
        yield found
    finally:
        await engine.dispose()


def command(n: int, text: str = "add Network freeze p:3 i:4") -> dict[str, Any]:
    return {"trigger_id": f"{n}.t", "response_url": f"https://hooks.example/{n}", "text": text}


async def test_acks_waiting_together_are_journaled_by_one_transaction_and_one_insert(store: Store) -> None:
    writer = GroupCommit(store.sessions)
    payloads = [
        command(n, "添加 数据迁移延期 p:2 i:3" if n % 2 else "add Vendor delay p:2 i:2") for n in range(20)
    ]
    before = store.commits
    writes = [writer.record(p, now=T0, lease=LEASE) for p in payloads]
    assert await asyncio.gather(*writes) == [True] * 20
    assert store.commits - before == 1
    assert store.journal_statements("INSERT") == 1
    assert await store.keys() == {command_key(p) for p in payloads}
    async with store.sessions() as session:
        row = await session.get(CommandJournal, command_key(payloads[1]))
        assert row is not None and row.payload["text"] == "添加 数据迁移延期 p:2 i:3"  # kept verbatim
        assert row.lease_until == T0 + LEASE


async def test_the_same_command_twice_is_fresh_once_in_one_batch_or_across_batches(store: Store) -> None:
    writer = GroupCommit(store.sessions)
    first, again = (
        writer.record(command(1), now=T0, lease=LEASE),
        writer.record(command(1), now=T0, lease=LEASE),
    )
    assert (await first, await again) == (True, False)  # Slack sent it twice: the first one holds the row
    assert await writer.record(command(1), now=T0, lease=LEASE) is False
    assert await store.keys() == {command_key(command(1))}


async def test_answered_rows_ride_with_the_next_batch_else_go_at_the_flush(store: Store) -> None:
    writer = GroupCommit(store.sessions, delete_delay=3600)  # no timer in this test: only company or a flush
    await asyncio.gather(*(writer.record(command(n), now=T0, lease=LEASE) for n in range(3)))
    commits = store.commits

    answered = writer.finish(command_key(command(0)))
    for _ in range(20):
        await asyncio.sleep(0)
    assert not answered.done() and store.commits == commits  # no transaction of its own
    assert command_key(command(0)) in await store.keys()  # answered, not yet deleted: still leased here

    assert await writer.record(command(3), now=T0, lease=LEASE) is True
    await answered
    assert store.commits == commits + 1  # the DELETE rode with the INSERT
    assert await store.keys() == {command_key(command(n)) for n in (1, 2, 3)}

    last = [writer.finish(command_key(command(n))) for n in (1, 2, 3)]
    await writer.flush()  # shutdown: nothing waits for company
    assert all(done.done() for done in last)
    assert store.commits == commits + 2 and store.journal_statements("DELETE") == 2
    assert await store.keys() == set()


async def test_answered_rows_go_after_the_delay_when_no_insert_comes(store: Store) -> None:
    writer = GroupCommit(store.sessions, delete_delay=0.01)
    await writer.record(command(1), now=T0, lease=LEASE)
    await writer.finish(command_key(command(1)))
    assert await store.keys() == set()
    assert writer.transactions == 2


async def test_a_batch_that_cannot_be_written_fails_its_own_waiters_only(store: Store) -> None:
    writer = GroupCommit(store.sessions)
    engine = store.sessions.kw["bind"]
    await engine.dispose()
    pool = engine.sync_engine.pool

    class Unreachable(type(pool)):  # type: ignore[misc]
        def connect(self) -> Any:
            raise ConnectionRefusedError("database down")

    engine.sync_engine.pool = Unreachable.__new__(Unreachable)
    engine.sync_engine.pool.__dict__.update(pool.__dict__)
    try:
        down = [writer.record(command(n), now=T0, lease=LEASE) for n in range(3)]
        for write in down:
            with pytest.raises(DatabaseUnavailable):
                await write
    finally:
        engine.sync_engine.pool = pool
    assert await writer.record(command(9), now=T0, lease=LEASE) is True  # back: the next batch is written
    assert await store.keys() == {command_key(command(9))}
