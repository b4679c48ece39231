"""The command journal's rules: a command is journaled before its ack, deleted once answered, and carried out
again when its process died first (bot/journal.py does the Slack side). Payloads may hold a client's text:
nothing here logs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from storage.db import DatabaseUnavailable, SessionFactory, retry_once
from storage.repo import journal as repo

log = logging.getLogger(__name__)

__all__ = [
    "DatabaseUnavailable",
    "Due",
    "GroupCommit",
    "command_key",
    "finish",
    "record",
    "release",
    "renew",
    "retry_once",
    "take_due",
]

# Slack accepts posts to a response_url for 30 minutes: older commands can no longer be answered.
ANSWERABLE = timedelta(minutes=30)
# A command carried out this often without finishing (its process died each time) is given up on.
MAX_ATTEMPTS = 3
# How long an answered command's DELETE waits for a batch of INSERTs to ride with before it is written alone.
DELETE_DELAY = 0.1
# Rows per INSERT: 7 parameters each stays far below SQLite's and asyncpg's 32,767.
MAX_BATCH = 500


def command_key(payload: dict[str, Any]) -> str:
    """The request key a command's writes are claimed under (handlers/commands/runner.CommandCall)."""
    return f"cmd:{payload.get('trigger_id') or payload.get('response_url', '')}"


def entry_for(payload: dict[str, Any], *, now: datetime, lease: timedelta) -> repo.Entry:
    return repo.Entry(
        key=command_key(payload),
        payload=payload,
        response_url=str(payload.get("response_url") or ""),
        received_at=now,
        lease_until=now + lease,
    )


async def record(
    sessions: SessionFactory, payload: dict[str, Any], *, now: datetime, lease: timedelta
) -> bool:
    """Journal one command in a transaction of its own (tests, bench tools); acks go through GroupCommit.
    False if Slack sent the same command twice. Raises DatabaseUnavailable when the database stays down."""
    entry = entry_for(payload, now=now, lease=lease)

    async def insert() -> bool:
        async with sessions.begin() as session:
            return entry.key in await repo.record_many(session, entries=[entry])

    return await retry_once(insert, what="journal")


async def finish(sessions: SessionFactory, key: str) -> None:
    """The command was answered: its row (and the text it may hold) goes, in a transaction of its own."""

    async def delete() -> None:
        async with sessions.begin() as session:
            await repo.finish_many(session, keys=[key])

    await retry_once(delete, what="journal")


class GroupCommit:
    """Group commit for the journal: every ack waiting to be journaled is written by one transaction.

    A batch is everything queued when its transaction gets a connection; what arrives later waits for the next
    one, so a batch grows with the wait and the ack path costs one transaction per batch instead of one per
    command. Each waiter is released when the transaction holding its row commits: durable before its ack.

    Answered commands' DELETEs take no transaction of their own: they ride with the next batch of INSERTs
    (deleted first, in the order things happened: a command answered, then maybe sent again), or after
    `delete_delay` seconds when no INSERT comes. Until then the row stays leased by this process, so no
    replica replays it; if the process dies in that window, the row is replayed once its lease runs out and,
    its writes being claimed under the request key, answers as a repeat ("Already recorded"): acceptable.
    """

    def __init__(
        self, sessions: SessionFactory, *, delete_delay: float = DELETE_DELAY, max_batch: int = MAX_BATCH
    ) -> None:
        self.sessions = sessions
        self.delete_delay = delete_delay
        self.max_batch = max_batch
        self._entries: list[tuple[repo.Entry, asyncio.Future[bool]]] = []
        self._deletes: dict[str, list[asyncio.Future[None]]] = {}
        self._writer: asyncio.Task[None] | None = None
        self._wake: asyncio.Future[None] | None = None
        self._flushing = 0
        self.transactions = 0  # batches committed (figures, tests)
        self.rows = 0  # rows journaled by them

    def record(self, payload: dict[str, Any], *, now: datetime, lease: timedelta) -> asyncio.Future[bool]:
        """Queue a command's row; the future is True once its batch committed it, False if Slack sent it
        twice, or holds the batch's error (DatabaseUnavailable when the database stayed down)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._entries.append((entry_for(payload, now=now, lease=lease), future))
        self._wake_writer()
        return future

    def finish(self, key: str) -> asyncio.Future[None]:
        """Queue an answered command's DELETE; the future is done once it committed."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._deletes.setdefault(key, []).append(future)
        if self._flushing:
            self._wake_writer()
        else:
            self._ensure_writer()
        return future

    async def flush(self) -> None:
        """Write everything queued now, DELETEs without waiting for company (shutdown, after the drain)."""
        waiting: list[asyncio.Future[Any]] = [future for _entry, future in self._entries]
        waiting += [future for futures in self._deletes.values() for future in futures]
        if not waiting:
            return
        self._flushing += 1
        try:
            self._wake_writer()
            await asyncio.wait(waiting)
        finally:
            self._flushing -= 1

    def _wake_writer(self) -> None:
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)
        self._ensure_writer()

    def _ensure_writer(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_all(), name="journal-writer")

    async def _write_all(self) -> None:
        try:
            while self._entries or self._deletes:
                if not self._entries and not self._flushing:  # only DELETEs: give an INSERT a moment to come
                    self._wake = asyncio.get_running_loop().create_future()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake, self.delete_delay)
                    self._wake = None
                await self._write()
        except BaseException as exc:  # never leave a waiter hanging (cancelled with the loop, say)
            self._fail(self._take(everything=True), exc)
            raise

    def _take(self, *, everything: bool = False) -> Batch:
        cut = len(self._entries) if everything else self.max_batch
        batch = Batch(self._entries[:cut], self._deletes)
        self._entries, self._deletes = self._entries[cut:], {}
        return batch

    async def _write(self) -> None:
        """One transaction. The batch is taken once it holds a connection: on SQLite, whose one connection is
        queued for by the work in progress, the acks arriving during that wait join this batch instead of
        waiting for the connection once more."""
        taken: Batch | None = None

        async def transaction() -> set[str]:
            nonlocal taken
            async with self.sessions.begin() as session:
                await session.connection()
                if taken is None:
                    taken = self._take()
                return await repo.write_batch(session, done=taken.deletes, entries=taken.distinct())

        try:
            written = await retry_once(transaction, what="journal")
        except BaseException as exc:  # this batch's waiters hear of it; the next batch gets its own try
            self._fail(taken or self._take(), exc)
            if isinstance(exc, Exception):
                return
            raise
        assert taken is not None
        self.transactions += 1
        self.rows += len(written)
        for entry, future in taken.entries:  # a command twice in one batch: the first one holds the row
            fresh = entry.key in written
            written.discard(entry.key)
            if not future.done():
                future.set_result(fresh)
        for futures in taken.deletes.values():
            for done in futures:
                if not done.done():
                    done.set_result(None)

    @staticmethod
    def _fail(batch: Batch, exc: BaseException) -> None:
        futures: list[asyncio.Future[Any]] = [future for _entry, future in batch.entries]
        futures += [future for waiters in batch.deletes.values() for future in waiters]
        for future in futures:
            if future.done():
                continue
            if isinstance(exc, asyncio.CancelledError):
                future.cancel()
            else:
                future.set_exception(exc)


@dataclass(frozen=True)
class Batch:
    """What one journal transaction writes: rows to insert (each with its waiter) and answered keys to delete."""

    entries: list[tuple[repo.Entry, asyncio.Future[bool]]]
    deletes: dict[str, list[asyncio.Future[None]]]

    def distinct(self) -> list[repo.Entry]:
        """One row per key: the same command sent twice before its batch was written is inserted once."""
        return list({entry.key: entry for entry, _future in reversed(self.entries)}.values())


async def release(sessions: SessionFactory, keys: Iterable[str]) -> int:
    """Leases given up at shutdown: the next start carries these commands out without waiting."""
    async with sessions.begin() as session:
        return await repo.release(session, keys=keys)


async def renew(sessions: SessionFactory, keys: Iterable[str], *, now: datetime, lease: timedelta) -> int:
    """Keep the leases of commands this process holds (running or waiting for a worker) from running out."""
    async with sessions.begin() as session:
        return await repo.renew(session, keys=keys, lease_until=now + lease)


@dataclass(frozen=True)
class Due:
    dropped: int  # too old to answer, or tried too often: given up on (logged as a count only)
    commands: list[tuple[str, dict[str, Any]]]  # (key, payload), leased to this process


async def take_due(sessions: SessionFactory, *, now: datetime, lease: timedelta, limit: int = 200) -> Due:
    """Drop what can no longer be answered, then lease up to `limit` commands whose process died."""
    async with sessions.begin() as session:
        dropped = await repo.drop_stale(
            session, now=now, received_before=now - ANSWERABLE, max_attempts=MAX_ATTEMPTS
        )
    async with sessions.begin() as session:
        commands = await repo.claim(
            session, now=now, lease_until=now + lease, received_after=now - ANSWERABLE, limit=limit
        )
    return Due(dropped=dropped, commands=commands)


async def pending(sessions: SessionFactory) -> int:
    async with sessions() as session:
        return await repo.count_pending(session)
