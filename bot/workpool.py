"""A bounded pool for the work a listener does after its ack: a flood becomes backpressure, never a backlog.

Bolt runs every listener in a task of its own and answers Slack as soon as it calls `ack()`, so a burst of
commands used to become as many tasks doing their work at once: thousands pending, each holding its request,
its session and its replies, and the heap they made pushed full garbage collections into the acks.

Here a command is first *admitted* (cheap, before its ack): at most `max_pending` commands are admitted at a
time, waiting or working. Admitted ones take turns at `workers` slots (an asyncio.Semaphore) for their work
after the ack; the rest wait, holding little. Past `max_pending` the command is answered "busy, try again"
in its ack and nothing is done or written: the user knows at once, and Slack never waits. Acks go out fast
either way, because admission never waits.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

# Work running at once. A command whose post waits out Slack's Retry-After keeps its worker while it waits,
# so fewer would let a few rate-limited channels hold up every other command (tests/handlers/
# test_rate_limits.py); more would queue more transactions ahead of each ack's journal row on SQLite's one
# connection (bench/README.md has the figures for 2 and 8).
WORKERS = 8
SQLITE_WORKERS = 8
MAX_PENDING = 256  # admitted at once (running + waiting): beyond this the ack says "busy, try again"


class WorkPool:
    def __init__(self, *, workers: int = WORKERS, max_pending: int = MAX_PENDING) -> None:
        if workers < 1 or max_pending < workers:
            raise ValueError("need at least one worker and max_pending >= workers")
        self.workers = workers
        self.max_pending = max_pending
        self._slots = asyncio.Semaphore(workers)
        self.admitted = 0  # running + waiting now
        self.running = 0
        self.refused = 0  # answered busy since start
        self.peak = 0  # most admitted at once since start
        self.peak_running = 0  # most working at once since start (never above `workers`)

    @classmethod
    def for_dialect(cls, dialect: str) -> WorkPool:
        return cls(workers=SQLITE_WORKERS if dialect == "sqlite" else WORKERS)

    def admit(self, *, force: bool = False) -> bool:
        """Take a place for the current task (a listener's: Bolt runs each in its own), given back when the
        task ends however it ends; False when full. `force` (a replayed command, acked long ago) always gets
        one. Outside a task the caller must `leave()` itself."""
        if self.admitted >= self.max_pending and not force:
            self.refused += 1
            return False
        self.admitted += 1
        self.peak = max(self.peak, self.admitted)
        task = asyncio.current_task()
        if task is not None:
            task.add_done_callback(self._left)
        return True

    def leave(self) -> None:
        self.admitted -= 1

    def _left(self, _task: asyncio.Task[object]) -> None:
        self.leave()

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for a worker slot, then hold it for the work after the ack."""
        async with self._slots:
            self.running += 1
            self.peak_running = max(self.peak_running, self.running)
            try:
                yield
            finally:
                self.running -= 1

    @property
    def waiting(self) -> int:
        return self.admitted - self.running
