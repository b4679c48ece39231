"""One server per process: the real Liaison app, or a bare Bolt app that only acks, on the same stack.

Both are built by bot.server.uvicorn_config (Starlette + uvicorn + AsyncSlackRequestHandler), so the
only difference measured is what the app does. The Liaison server also mounts bench-only routes under
/bench/ (stats, seeding, firing schedules) on its own Starlette app; the app's code is not changed.

Usage: python -m bench.server {liaison,bare} --fake-url URL [--database-url URL] [--profile FILE] [--gc-freeze]
Prints one JSON line ({"port", "pid", "started_in"}) once it is listening.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import signal
import sys
import time
from collections import Counter, deque
from datetime import datetime
from typing import Any, cast

import uvicorn
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bench.common import BOT_TOKEN, SIGNING_SECRET
from bot.runtime import Runtime
from bot.server import bind_socket, event_loop_factory, uvicorn_config
from bot.settings import Settings

log = logging.getLogger("bench.server")


class LevelCounter(logging.Handler):
    """Counts warnings and errors, so a benchmark can say whether work was lost and why to look in the log."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.levelname] += 1


class LoopLag:
    """Samples event-loop lag every 10 ms (cheap), keeping every stall over 20 ms: a slow ack is either
    queued behind other work or behind one long synchronous step, and this tells which."""

    def __init__(self, interval: float = 0.01, keep_over: float = 0.02) -> None:
        self.interval, self.keep_over = interval, keep_over
        self.stalls: deque[tuple[float, float]] = deque(maxlen=5000)  # (monotonic time, lag seconds)

    async def run(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(self.interval)
            lag = time.monotonic() - before - self.interval
            if lag > self.keep_over:
                self.stalls.append((time.monotonic(), lag))

    def summary(self, since: float = 0.0, until: float = float("inf")) -> dict[str, Any]:
        lags = [lag for at, lag in self.stalls if since <= at <= until]
        return {
            "over_20ms": len(lags),
            "over_50ms": sum(1 for lag in lags if lag > 0.05),
            "over_100ms": sum(1 for lag in lags if lag > 0.1),
            "max_ms": round(max(lags) * 1000, 1) if lags else 0.0,
        }


class GcPauses:
    """Times every garbage collection (gc.callbacks): with thousands of listener tasks alive, a full
    collection is a stop-the-world pause that no await can hide."""

    def __init__(self) -> None:
        self.started = 0.0
        self.pauses: deque[tuple[float, int, float]] = deque(maxlen=20000)  # (monotonic, generation, s)

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.pauses.append(
                (time.monotonic(), int(info["generation"]), time.perf_counter() - self.started)
            )

    def summary(self, since: float = 0.0, until: float = float("inf")) -> dict[str, Any]:
        enabled = gc.isenabled()
        gc.disable()  # a collection while copying would append to the deque being copied
        try:
            pauses = list(self.pauses)
        finally:
            if enabled:
                gc.enable()
        found = [(gen, s) for at, gen, s in pauses if since <= at <= until]
        full = [s for gen, s in found if gen == 2]
        return {
            "collections": len(found),
            "full": len(full),
            "total_ms": round(sum(s for _g, s in found) * 1000, 1),
            "max_ms": round(max((s for _g, s in found), default=0.0) * 1000, 1),
            "max_full_ms": round(max(full, default=0.0) * 1000, 1),
        }


LAG = LoopLag()
GC = GcPauses()
gc.callbacks.append(GC)


def warm_charts() -> None:
    """Draw one small chart so matplotlib (imported lazily by the first digest) is loaded before a freeze."""
    from datetime import date

    from bot.charts import render_charts
    from bot.domain.digest import ChartData, HeatCell, TimelineRow
    from handlers.jobs.digest import chart_text

    today = date(2026, 11, 24)
    data = ChartData(
        heat=(HeatCell(3, 4, ("R-1",)),),
        timeline=(TimelineRow("MS-1", today, today, None, "on_track"),),
        today=today,
    )
    render_charts(data, chart_text("en"), chart_text("en"))


def ack_without_poll() -> None:
    """Experiment: Bolt waits for `ack()` by sleeping 10 ms at a time (slack_bolt/listener/asyncio_runner.py),
    so an ack goes out up to 10 ms after it was called. Here the waiter is woken by the ack instead (each
    `AsyncAck.__call__` wakes the waiting requests, which look again at their own ack; a response set
    without a call is still seen within 50 ms). Upstream, the clean form is an asyncio.Event on AsyncAck that
    the runner awaits with the ack timeout; this patch measures what that would give."""
    import types

    from slack_bolt.context.ack import async_ack
    from slack_bolt.listener import asyncio_runner

    waiters: set[asyncio.Future[None]] = set()
    called = async_ack.AsyncAck.__call__

    async def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = await called(self, *args, **kwargs)
        for waiter in list(waiters):
            if not waiter.done():
                waiter.set_result(None)
        return result

    async def sleep(delay: float, result: Any = None) -> Any:
        if delay != 0.01:
            return await asyncio.sleep(delay, result)
        waiter = asyncio.get_running_loop().create_future()
        waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, 0.05)
        except TimeoutError:
            pass
        finally:
            waiters.discard(waiter)
        return result

    async_ack.AsyncAck.__call__ = call  # type: ignore[method-assign]
    shim = types.SimpleNamespace(**{k: getattr(asyncio, k) for k in dir(asyncio) if not k.startswith("__")})
    shim.sleep = sleep
    asyncio_runner.asyncio = shim  # type: ignore[attr-defined]


def window_of(request: Request) -> tuple[float, float]:
    """`?since=&until=` (monotonic seconds, comparable across processes on Linux) or everything."""
    return float(request.query_params.get("since", 0)), float(request.query_params.get("until", "inf"))


class BareRuntime:
    """What bot.server.build_http_app needs from a runtime, around a Bolt app whose one listener acks."""

    installs = None  # one workspace, no OAuth pages (bot.server.build_http_app reads it)

    def __init__(self, fake_url: str) -> None:
        self.app = AsyncApp(
            name="bare",
            client=AsyncWebClient(token=BOT_TOKEN, base_url=fake_url),
            signing_secret=SIGNING_SECRET,
            process_before_response=False,
        )

        @self.app.command("/risk")
        async def handle_risk(ack: AsyncAck) -> None:
            await ack()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def health(self) -> tuple[bool, dict[str, Any]]:
        return True, {"status": "ok"}


class Hooks:
    """Bench-only routes into the Liaison process: what ran, what is stored, and schedules to fire."""

    def __init__(self, runtime: Runtime, counter: LevelCounter) -> None:
        self.runtime = runtime
        self.counter = counter
        self.background: dict[str, Any] = {}
        self.task: asyncio.Task[None] | None = None

    def routes(self) -> list[Route]:
        return [
            Route("/bench/stats", self.stats, methods=["GET"]),
            Route("/bench/seed", self.seed, methods=["POST"]),
            Route("/bench/fire", self.fire, methods=["POST"]),
            Route("/bench/cancel", self.cancel, methods=["POST"]),
        ]

    async def stats(self, request: Request) -> Response:
        from storage.models import DigestDelivery, Occurrence, Risk

        svc = self.runtime.svc
        async with svc.sessions() as session:
            risks = (await session.exec(select(func.count()).select_from(Risk))).one()
            occurrences = await self._count_by(session, Occurrence.status)
            deliveries = await self._count_by(session, DigestDelivery.status)
        return JSONResponse(
            {
                "tasks": svc.tasks.running,
                "risks": int(risks),
                "occurrences": occurrences,
                "digest_deliveries": deliveries,
                "log_counts": dict(self.counter.counts),
                "loop_lag": LAG.summary(*window_of(request)),
                "gc": GC.summary(*window_of(request)),
                "background": self.background,
                "posters": sorted(svc.runner.posters),
                "workpool": {
                    "workers": svc.work.workers,
                    "max_pending": svc.work.max_pending,
                    "admitted": svc.work.admitted,
                    "running": svc.work.running,
                    "peak": svc.work.peak,
                    "refused": svc.work.refused,
                },
            }
        )

    @staticmethod
    async def _count_by(session: Any, column: Any) -> dict[str, int]:
        rows = (await session.exec(select(column, func.count()).group_by(column))).all()
        return {str(k): int(v) for k, v in rows}

    async def seed(self, request: Request) -> Response:
        """Seed N projects with a schedule due at `occurs_at`: a digest if the app has a digest poster,
        otherwise a sync reminder (the fallback the benchmark reports)."""
        from bench.seed import seed_scheduled_projects

        body = await request.json()
        svc = self.runtime.svc
        kind = "digest" if "digest" in svc.runner.posters else "sync"
        options = {"audience": "client", "charts": bool(body.get("charts", True))} if kind == "digest" else {}
        started = time.perf_counter()
        async with svc.sessions.begin() as session:
            seeded = await seed_scheduled_projects(
                session,
                count=int(body["projects"]),
                occurs_at=datetime.fromisoformat(body["occurs_at"]),
                kind=kind,
                prefix=str(body.get("prefix", "CB")),
                options=options,
            )
        return JSONResponse(
            {
                "kind": kind,
                "options": options,
                "seconds": round(time.perf_counter() - started, 3),
                "schedule_ids": [s.schedule_id for s in seeded],
            }
        )

    async def fire(self, request: Request) -> Response:
        """Start processing schedules in the background and answer at once.

        mode "run_all": `svc.runner.run_all()` (one after another, as tests do);
        mode "concurrent": `runner.run(id)` for every schedule at once, as APScheduler runs jobs due together;
        mode "scheduler": hand every active schedule to APScheduler (`runner.schedule`), which fires
        each at its next occurrence, all at once, as production does.
        """
        body = await request.json()
        mode = str(body.get("mode", "run_all"))
        runner = self.runtime.svc.runner
        self.background = {"mode": mode, "running": True, "started_mono": time.monotonic()}

        async def go() -> None:
            try:
                if mode == "scheduler":
                    from bot.domain.schedules import active_schedule_ids

                    async with self.runtime.svc.sessions() as session:
                        ids = await active_schedule_ids(session)
                    for schedule_id in ids:
                        await runner.schedule(schedule_id)
                    self.background["scheduled"] = len(ids)
                elif mode == "concurrent":
                    from bot.domain.schedules import active_schedule_ids

                    async with self.runtime.svc.sessions() as session:
                        ids = await active_schedule_ids(session)
                    outcomes = await asyncio.gather(*(runner.run(i) for i in ids), return_exceptions=True)
                    self.background["results"] = dict(
                        Counter(
                            type(v).__name__ if isinstance(v, BaseException) else str(v) for v in outcomes
                        )
                    )
                else:
                    results = await runner.run_all()
                    self.background["results"] = dict(Counter(str(v) for v in results.values()))
            except Exception as exc:  # report it to the benchmark rather than lose it in a task
                log.exception("bench background work failed")
                self.background["error"] = f"{type(exc).__name__}: {exc}"
            finally:
                self.background["finished_mono"] = time.monotonic()
                self.background["seconds"] = round(
                    self.background["finished_mono"] - self.background["started_mono"], 3
                )
                self.background["running"] = False

        self.task = asyncio.create_task(go())
        return JSONResponse({"started": True, "mode": mode})

    async def cancel(self, _request: Request) -> Response:
        """Stop the background work (a benchmark that measured enough of it), so shutdown is clean."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.background["cancelled"] = True
        return JSONResponse(self.background)


async def serve(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    # uvicorn re-raises the SIGTERM it handled once it has shut down gracefully; a no-op handler here
    # (restored by uvicorn afterwards) lets the process exit 0 and a profiler write its report.
    signal.signal(signal.SIGTERM, lambda *_: None)
    counter = LevelCounter()
    logging.getLogger().addHandler(counter)
    if args.ack_event:
        ack_without_poll()
    runtime: Any
    if args.kind == "liaison":
        settings = Settings(
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=args.fake_url,
            database_url=args.database_url,
            _env_file=None,
        )
        runtime = Runtime(settings, mode="http")
        runtime.freeze_gc = not args.no_gc_freeze  # as `liaison run` does
        if args.no_journal:  # experiment: what the journal's INSERT before each ack costs the ack path
            from bot import journal

            async def kept(_svc: Any, _payload: dict[str, Any]) -> bool:
                return True

            async def forgotten(_svc: Any, _payload: dict[str, Any]) -> None:
                return None

            journal.accept, journal.done = kept, forgotten  # type: ignore[assignment]
        if args.workers:  # experiment: another size of the work pool (bot/workpool.py)
            from bot.workpool import WorkPool

            runtime.svc.work = WorkPool(workers=args.workers, max_pending=runtime.svc.work.max_pending)
    else:
        runtime = BareRuntime(args.fake_url)
    sock = bind_socket("127.0.0.1", 0)
    config = uvicorn_config(cast(Runtime, runtime), host="127.0.0.1", port=sock.getsockname()[1])
    routes = cast(Starlette, config.app).router.routes
    if args.kind == "liaison":
        routes.extend(Hooks(runtime, counter).routes())
    else:

        async def bare_stats(request: Request) -> Response:
            window = window_of(request)
            return JSONResponse({"tasks": 0, "loop_lag": LAG.summary(*window), "gc": GC.summary(*window)})

        routes.append(Route("/bench/stats", bare_stats, methods=["GET"]))
    server = uvicorn.Server(config)
    lag = asyncio.create_task(LAG.run())
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
            return
        await asyncio.sleep(0.01)
    if args.kind == "liaison":
        await runtime.warmed()  # served before its warm-up (bot/runtime.py); benchmarks measure it warm
    if args.gc_freeze:  # experiment: keep start-up objects out of every later full collection
        await asyncio.to_thread(warm_charts)
        gc.collect()
        gc.freeze()
    info = {
        "port": sock.getsockname()[1],
        "pid": os.getpid(),
        "started_in": time.perf_counter() - started,
        "gc_tracked": len(gc.get_objects()),
        "gc_frozen": gc.get_freeze_count(),
    }
    print(json.dumps(info), flush=True)
    await task
    lag.cancel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("kind", choices=["liaison", "bare"])
    parser.add_argument("--fake-url", required=True, help="the fake Slack Web API base URL")
    parser.add_argument("--database-url", default="sqlite+aiosqlite:///bench/results/tmp/bench.sqlite3")
    parser.add_argument("--profile", default=None, help="write a pyinstrument profile of the run here")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="experiment: warm the chart renderer, then gc.freeze(), once started (not what the app does)",
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="experiment: the work pool's size (0: the app's)"
    )
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="experiment: no gc.freeze() after warm-up (`liaison run` freezes)",
    )
    parser.add_argument(
        "--ack-event",
        action="store_true",
        help="experiment: wake Bolt's ack wait on ack() instead of its 10 ms poll (both servers)",
    )
    parser.add_argument(
        "--no-journal",
        action="store_true",
        help="experiment: commands are not journaled before their ack (not what the app does)",
    )
    args = parser.parse_args()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().handlers[:] = [handler]
    logging.getLogger().setLevel(logging.WARNING)
    if args.profile is None:
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            runner.run(serve(args))
        return
    from pyinstrument import Profiler  # bench-only tool: pip install pyinstrument (not a project dependency)

    profiler = Profiler(async_mode="disabled", interval=0.0005)
    profiler.start()
    try:
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            runner.run(serve(args))
    finally:
        profiler.stop()
        with open(args.profile, "w") as out:
            out.write(profiler.output_text(unicode=True, color=False, show_all=False))
        session = profiler.last_session
        if session is not None:  # for a fuller view: pyinstrument --load FILE.pyisession -r text --show-all
            session.save(args.profile.replace(".txt", ".pyisession"))


if __name__ == "__main__":
    main()
