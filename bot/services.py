"""The composition root's product: everything a listener or job needs, built once and passed explicitly."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot import metrics
from bot.channels import ChannelInspector
from bot.scheduler import SchedulerService, ScheduleRunner
from bot.settings import Settings
from bot.users import UserDirectory
from storage.db import SessionFactory
from storage.types import system_clock

log = logging.getLogger(__name__)


class TaskTracker:
    """Listener work keeps running after the ack; shutdown waits for it instead of cutting it off."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[object]] = set()

    def track_current(self) -> None:
        task = asyncio.current_task()
        if task is not None and task not in self._tasks:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            metrics.track_in_flight(task)

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for tracked work; returns how many were still running."""
        me = asyncio.current_task()
        pending = {t for t in self._tasks if t is not me and not t.done()}
        if not pending:
            return 0
        _done, still = await asyncio.wait(pending, timeout=timeout)
        if still:
            log.warning("%d listener task(s) still running at shutdown", len(still))
        return len(still)


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    scheduler: SchedulerService
    runner: ScheduleRunner
    channels: ChannelInspector = field(default_factory=ChannelInspector)
    users: UserDirectory = field(default_factory=UserDirectory)
    tasks: TaskTracker = field(default_factory=TaskTracker)
    workspace_ids: dict[str, int] = field(default_factory=dict)  # team id -> workspace row id
    clock: Callable[[], datetime] = system_clock
