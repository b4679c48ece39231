"""The running bot: start (migrate, scheduler; caches warmed behind it) and stop (drain, stop, close)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from sqlalchemy import text

import handlers.jobs as jobs
from bot import charts, metrics
from bot.app import create_app
from bot.install import Installs
from bot.journal import Replayer
from bot.scheduler import SchedulerService, ScheduleRunner
from bot.services import Services
from bot.settings import Mode, Settings
from bot.workpool import WorkPool
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.types import system_clock, use_clock

log = logging.getLogger(__name__)


class Runtime:
    def __init__(
        self, settings: Settings, *, mode: Mode, clock: Callable[[], datetime] = system_clock
    ) -> None:
        self.settings = settings
        self.mode = mode
        engine = create_engine(settings.database_url)
        sessions = create_session_factory(engine)
        scheduler = SchedulerService()
        self.svc = Services(
            settings=settings,
            engine=engine,
            sessions=sessions,
            scheduler=scheduler,
            runner=ScheduleRunner(sessions, scheduler, clock=clock),
            clock=clock,
            work=WorkPool.for_dialect(engine.dialect.name),  # bounded command work (bot/workpool.py)
        )
        use_clock(clock)  # rows are stamped with the same clock the app reads
        # Installed in several workspaces (OAuth): tokens come from the database, per workspace.
        self.installs = Installs.create(settings, self.svc) if settings.oauth_enabled else None
        self.app: AsyncApp = create_app(settings, self.svc, mode=mode, installs=self.installs)
        jobs.install(self.svc, self.installs.job_client if self.installs else self.app.client)
        if self.installs:
            self.installs.route_jobs(self.svc)
        self.replayer = Replayer(self.app, self.svc)  # acked commands a dead process left (bot/journal.py)
        self.started = False
        self.exporter: metrics.MetricsServer | None = None
        # After warm-up, move start-up's objects out of every later collection (gc.freeze): with 1,000 digests
        # in flight full collections fell from 0.3-0.6 s to 29 ms (bench/README.md). Set by `liaison run`; tests,
        # which start many runtimes in one process, leave it off.
        self.freeze_gc = False
        # Digest charts are drawn in worker processes (bot/charts.py), so the event loop never runs matplotlib.
        self.charts = charts.ChartPool()
        self._charts_starting: asyncio.Future[None] | None = None
        self._warming: asyncio.Future[None] | None = None

    async def start(self) -> None:
        metrics.instrument_engine(self.svc.engine)
        # /metrics on its own port (METRICS_PORT), up and down with the app; a taken port stops the start.
        self.exporter = await metrics.start_metrics(self.settings.metrics_host, self.settings.metrics_port)
        try:
            await migrate.upgrade(self.svc.engine)
            await self.svc.http.open()  # one connection pool to Slack for the app's life (bot/services.py)
            charts.use_pool(self.charts)
            await self.svc.scheduler.start()
            self.replayer.start()
        except BaseException:
            await self._close_charts()
            await self.svc.http.close()
            if self.exporter is not None:
                await self.exporter.stop()
                self.exporter = None
            raise
        self.started = True
        # The app answers now; what only makes first calls faster runs behind it, so /healthz no longer waits
        # for the time parser's warm-up (~0.2 s) nor shares the cores with the chart workers' start. A command
        # that comes first is answered, only slower (tests/test_http.py).
        self._warming = asyncio.ensure_future(self._warm())
        log.info("liaison started (%s mode, %s)", self.mode, self.svc.engine.dialect.name)

    async def _warm(self) -> None:
        try:
            await asyncio.to_thread(_warm_up)
            if self.freeze_gc:
                # A long-lived process (liaison run, the bench servers) starts its chart workers now, in the
                # background; tests, starting a runtime per test, start them on their first chart.
                self._charts_starting = asyncio.ensure_future(asyncio.to_thread(self.charts.start))
                gc.collect()
                gc.freeze()
        except Exception:  # a cache left cold is no reason to stop a running app: its first calls are slower
            log.exception("start-up warm-up failed")
        finally:
            if self.freeze_gc:
                gc.enable()  # `liaison run` starts with automatic collection off (bot/cli.py)

    async def warmed(self) -> None:
        """Wait for the warm-up after start (benchmarks measure a warm app)."""
        if self._warming is not None:
            await asyncio.shield(self._warming)

    async def _close_charts(self) -> None:
        charts.stop_using(self.charts)
        if self._charts_starting is not None:  # let a start in progress finish, so close finds its workers
            with contextlib.suppress(Exception):
                await self._charts_starting
            self._charts_starting = None
        await self.charts.close()

    async def stop(self, *, drain_timeout: float | None = None) -> None:
        """Drain: no new replays, wait (up to DRAIN_SECONDS, 25 s) for every command in flight; what is still
        running then stays in the journal, its lease given up so the next start carries it out at once."""
        if self._warming is not None:  # a warm-up thread still running finishes on its own, unawaited
            self._warming.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._warming
            self._warming = None
        await self.replayer.stop()
        left = await self.svc.tasks.drain(
            self.settings.drain_seconds if drain_timeout is None else drain_timeout
        )
        if left:
            await self.replayer.release_unfinished()
        self.svc.scheduler.shutdown()
        await self._close_charts()
        await self.svc.http.close()
        await self.svc.engine.dispose()
        use_clock(None)
        self.started = False
        if self.exporter is not None:
            await self.exporter.stop()
            self.exporter = None
        log.info("liaison stopped")

    async def health(self) -> tuple[bool, dict[str, Any]]:
        """Database reachable within 2 s, and the scheduler's state: what /healthz reports."""
        database: dict[str, Any] = {"dialect": self.svc.engine.dialect.name}
        try:
            async with asyncio.timeout(2):
                async with self.svc.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
            database["ok"] = True
        except Exception as exc:  # any failure means unhealthy; the reason goes in the answer
            database.update(ok=False, error=type(exc).__name__)
        scheduler = {"running": self.svc.scheduler.running, "jobs": self.svc.scheduler.job_count}
        ok = bool(database["ok"]) and self.started
        return ok, {"status": "ok" if ok else "unavailable", "database": database, "scheduler": scheduler}


def _warm_up() -> None:
    """Pay slow first-call costs (date parsing) before the first user does."""
    try:
        from bot import timeexpr
    except ImportError:  # pragma: no cover - the time module arrives with the schedules feature
        return
    warm = getattr(timeexpr, "warm_up", None)
    if warm is not None:
        warm()
