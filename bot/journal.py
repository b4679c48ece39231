"""Acked means kept: the Slack side of the command journal (the rules are in bot/domain/journal.py).

A slash command is journaled before its ack (handlers/commands/runner.py) and deleted once answered. What a
dead process left pending is carried out again, at start-up and then every `journal_replay_seconds`, by
dispatching the stored request through the Bolt app once more (as Socket Mode traffic: no signature to check),
so it answers through its own `response_url`. Its writes are claimed under the same request key, so a command
whose work had committed writes nothing twice and answers as a repeat. Payloads are never logged.

Journal writes go through the runtime's one domain.GroupCommit (Services.journal): acks waiting together are
journaled by one transaction, and answered commands' DELETEs ride with it (README "Performance").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.domain import journal as domain
from bot.services import Services

log = logging.getLogger(__name__)

REPLAY = "liaison_journal_replay"  # in a replayed request's context: already journaled, nobody to ack

# Keys of commands this process has journaled and not finished: their leases are given up at shutdown.
_in_flight: set[str] = set()


def lease_of(svc: Services) -> timedelta:
    return timedelta(seconds=svc.settings.journal_lease_seconds)


class Busy(Exception):
    """The journal could not take the command within the ack's budget (the database is saturated)."""


# Late journal writes being undone (a reference keeps each task alive until it ends).
_undoing: set[asyncio.Task[None]] = set()


async def accept(svc: Services, payload: dict[str, Any]) -> bool:
    """Journal a command before its ack; False when this exact command was journaled already.

    Raises domain.DatabaseUnavailable when it cannot be kept, and Busy when the write did not finish within
    `journal_ack_seconds` (Slack gives up on an ack after 3 s): either way it must not be acked as accepted.
    A write that lands after the budget is deleted at once, so a command the user was told to retry is never
    carried out behind their back (its lease keeps the replayer off it meanwhile)."""
    key = domain.command_key(payload)
    write = svc.journal.record(payload, now=svc.clock(), lease=lease_of(svc))  # with the acks waiting now
    try:
        fresh = await asyncio.wait_for(asyncio.shield(write), svc.settings.journal_ack_seconds)
    except TimeoutError:
        write.add_done_callback(lambda done: _undo_late(svc, key, done))
        raise Busy from None
    if fresh:
        _in_flight.add(key)
    return fresh


def _undo_late(svc: Services, key: str, write: asyncio.Future[bool]) -> None:
    if write.cancelled() or write.exception() is not None or not write.result():
        return
    task = asyncio.ensure_future(_forget(svc, key))
    _undoing.add(task)
    task.add_done_callback(_undoing.discard)


async def _forget(svc: Services, key: str) -> None:
    try:
        await svc.journal.finish(key)
    except Exception as exc:  # left to its lease: a replay would then answer it
        log.warning("journal: could not undo a late write (%s)", type(exc).__name__)


def adopt(payload: dict[str, Any]) -> None:
    """A replayed command is this process's now."""
    _in_flight.add(domain.command_key(payload))


async def done(svc: Services, payload: dict[str, Any]) -> None:
    """Answered (or answered with an error): forget it. If even that fails, a replay answers as a repeat.

    Returns once the DELETE committed (with the next batch, or within domain.DELETE_DELAY), so the listener's
    task, which the drain waits for, outlives its row: a SIGTERM leaves no answered command behind."""
    key = domain.command_key(payload)
    _in_flight.discard(key)
    try:
        await svc.journal.finish(key)
    except Exception as exc:  # the answer went out; at worst it is repeated, never the write
        log.warning("journal: could not mark a command done (%s)", type(exc).__name__)


def holds(payload: dict[str, Any]) -> bool:
    """This process is carrying out this very command already (Slack sent it again: the first ack was lost,
    as after a Socket Mode reconnect). The copy is acked plainly and left alone: the first one answers."""
    return domain.command_key(payload) in _in_flight


def in_flight() -> int:
    return len(_in_flight)


class Replayer:
    """Carries out commands whose process died before answering them; one loop per process."""

    def __init__(self, app: AsyncApp, svc: Services) -> None:
        self.app = app
        self.svc = svc
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        """One round: renew the leases this process holds, drop what can no longer be answered, replay what
        is due; how many were replayed. (Renewal comes first: a command waiting its turn in a busy process is
        never taken for dead, whatever the backlog.)"""
        now, lease = self.svc.clock(), lease_of(self.svc)
        if _in_flight:
            await domain.renew(self.svc.sessions, list(_in_flight), now=now, lease=lease)
        due = await domain.take_due(self.svc.sessions, now=now, lease=lease)
        if due.dropped:
            log.warning(
                "journal: %d command(s) too old to answer (or failing every time) dropped", due.dropped
            )
        for _key, payload in due.commands:
            adopt(payload)
            request = AsyncBoltRequest(body=payload, mode="socket_mode", context={REPLAY: True})
            try:
                await self.app.async_dispatch(request)  # returns at the ack; the work runs on as a task
            except Exception as exc:
                log.warning("journal: replay could not start (%s)", type(exc).__name__)
        if due.commands:
            log.info("journal: %d acked command(s) carried out again", len(due.commands))
        return len(due.commands)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="journal-replay")

    async def _loop(self) -> None:
        while True:
            try:
                while await self.run_once():  # a backlog: keep going
                    pass
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be down for a while: try again next round
                log.warning("journal: replay round failed (%s)", type(exc).__name__)
            await asyncio.sleep(self.svc.settings.journal_replay_seconds)

    async def stop(self) -> None:
        """The first step of shutdown: no more replays, and answered commands' DELETEs wait no more."""
        writer = self.svc.journal
        writer.delete_delay = 0.0
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await writer.flush()

    async def release_unfinished(self) -> int:
        """At shutdown, after the drain: leases on what is left are given up for the next start."""
        # Answered commands' DELETEs first: their rows are not left for a replay to answer again.
        await self.svc.journal.flush()
        left = list(_in_flight)
        if not left:
            return 0
        try:
            released = await domain.release(self.svc.sessions, left)
        except Exception as exc:
            log.warning("journal: could not release %d lease(s) (%s)", len(left), type(exc).__name__)
            return 0
        _in_flight.difference_update(left)
        log.warning("journal: %d unfinished command(s) left for the next start", released)
        return released
