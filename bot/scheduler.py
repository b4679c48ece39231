"""The scheduler behind a small domain API: APScheduler's asyncio scheduler, explicit UTC, jobs by id.

The database is the source of truth; jobs are rebuilt from rows at start and take only ids.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)


class SchedulerService:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1})
        self._starters: list[Callable[[], Awaitable[None]]] = []

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    @property
    def job_count(self) -> int:
        return len(self._scheduler.get_jobs())

    def on_start(self, rebuild: Callable[[], Awaitable[None]]) -> None:
        """Register a coroutine that rebuilds jobs from the database when the scheduler starts."""
        self._starters.append(rebuild)

    async def start(self) -> None:
        self._scheduler.start()
        for rebuild in self._starters:
            await rebuild()

    def add_job(self, job_id: str, func: Callable[..., Awaitable[None]], trigger: Any, **kwargs: Any) -> None:
        self._scheduler.add_job(
            func, trigger=trigger, id=job_id, replace_existing=True, kwargs=kwargs, misfire_grace_time=None
        )

    def remove_job(self, job_id: str) -> None:
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
