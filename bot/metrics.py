"""Prometheus metrics: every metric Liaison exports, the small functions hot paths call, and the /metrics server.

This is the one module that imports prometheus_client; handlers, the scheduler and the HTTP adapter call the
functions below. The metrics live in ONE process-global registry of our own (`REGISTRY`, not
prometheus_client's default, so nothing another library registers there leaks into our output and nothing of
ours collides with it). Global rather than per app, because the places that must be measured are not all
reachable from an app: Bolt builds a fresh AsyncWebClient for every request (copying the app client's retry
handlers, which is where `SlackApiObserver` sits), jobs may build clients of their own, and an engine is
instrumented where it is made. It stays safe with several apps in one process (the tests run many): metrics
are created once at import, `instrument_engine` is idempotent, and counters only ever add up, so a test
reads what its own actions changed as a difference between two scrapes. One process is one scrape target.

`/metrics` is served on its own port (`METRICS_PORT`; unset: off), never on the port Slack reaches, by a
second uvicorn server in the same event loop: it starts and stops with the app (`MetricsServer`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry()

# Command outcomes: the reply was the command's own answer; a user mistake (usage error); the policy said no;
# an unexpected exception (the user got the generic error).
OK, USER_ERROR, REFUSED, ERROR = "ok", "user_error", "refused", "error"

COMMANDS = Counter(
    "liaison_commands",
    "Slash commands handled, by command, subcommand and outcome (ok, user_error, refused, error).",
    ["command", "subcommand", "outcome"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "liaison_ack_seconds",
    "Seconds from a Slack request's arrival at /slack/events to its HTTP answer (the ack), by kind.",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
    registry=REGISTRY,
)
LISTENERS_IN_FLIGHT = Gauge(
    "liaison_listener_work_in_flight",
    "Listener work (commands, clicks, form submissions) acknowledged and still running.",
    registry=REGISTRY,
)
SLACK_API_CALLS = Counter(
    "liaison_slack_api_calls",
    "Slack Web API calls (every HTTP attempt, retries included) by method and outcome: ok, ratelimited "
    "(HTTP 429), Slack's error code, http_<status>, or network_error.",
    ["method", "outcome"],
    registry=REGISTRY,
)
OCCURRENCES = Counter(
    "liaison_schedule_occurrences",
    "Schedule occurrences by schedule kind and what became of them: claimed, posted, missed, failed.",
    ["kind", "status"],
    registry=REGISTRY,
)
DELIVERY_DELAY = Histogram(
    "liaison_delivery_delay_seconds",
    "Seconds from an occurrence's due time to its post (digests, sync reminders, check-ins), by kind.",
    ["kind"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200),
    registry=REGISTRY,
)
DB_POOL_WAIT = Histogram(
    "liaison_db_pool_wait_seconds",
    "Seconds to get a database connection from the pool: queueing for a free one (SQLite has one), plus "
    "opening or pre-pinging it when needed.",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
DB_CONNECTIONS_IN_USE = Gauge(
    "liaison_db_connections_in_use",
    "Database connections checked out of the pool right now.",
    registry=REGISTRY,
)


# ---- commands and listeners ------------------------------------------------------------------------------


def command_done(command: str, subcommand: str, outcome: str) -> None:
    COMMANDS.labels(command=command, subcommand=subcommand, outcome=outcome).inc()


def request_kind(body: bytes, content_type: str) -> str:
    """What Slack sent, read cheaply from the raw body: command, interaction, event (or other)."""
    if "json" in content_type:
        return "event"
    head = body[:2000]
    if head.startswith(b"payload=") or b"&payload=" in head:
        return "interaction"
    if head.startswith(b"command=") or b"&command=" in head:
        return "command"
    return "other"


def observe_ack(kind: str, seconds: float) -> None:
    ACK_SECONDS.labels(kind=kind).observe(seconds)


def track_in_flight(task: asyncio.Task[Any]) -> None:
    """Count the task as listener work until it finishes (call once per task)."""
    LISTENERS_IN_FLIGHT.inc()
    task.add_done_callback(lambda _task: LISTENERS_IN_FLIGHT.dec())


# ---- Slack Web API ---------------------------------------------------------------------------------------


def api_method(url: str) -> str:
    """`https://slack.com/api/chat.postMessage` -> `chat.postMessage`. A file's bytes go to a one-off URL
    (`https://files.slack.com/upload/v1/<id>`): `file_upload`, so no label value is ever unbounded."""
    path = urlsplit(url).path
    _head, api, method = path.rpartition("/api/")
    if api and method and "/" not in method:
        return method
    return "file_upload" if "/upload/" in path else "other"


def api_outcome(response: HttpResponse | None, error: Exception | None) -> str:
    if response is None:
        return "network_error" if error is not None else "unknown"
    if response.status_code == 429:
        return "ratelimited"
    body = response.body if isinstance(response.body, dict) else None
    if body is not None and body.get("ok") is False:
        return str(body.get("error") or "unknown_error")
    if response.status_code >= 400:
        return f"http_{response.status_code}"
    return OK


class SlackApiObserver(AsyncRetryHandler):
    """A retry handler that never retries: slack_sdk shows every HTTP attempt to its retry handlers (answers
    and connection errors alike), so the first handler in the list sees each call once, 429s included."""

    def __init__(self) -> None:
        super().__init__(max_retry_count=0)

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        SLACK_API_CALLS.labels(method=api_method(request.url), outcome=api_outcome(response, error)).inc()
        return False


# ---- schedules -------------------------------------------------------------------------------------------


def occurrence(kind: str, status: str) -> None:
    OCCURRENCES.labels(kind=kind, status=status).inc()


def delivery_delay(kind: str, seconds: float) -> None:
    DELIVERY_DELAY.labels(kind=kind).observe(max(seconds, 0.0))


# ---- database --------------------------------------------------------------------------------------------


def instrument_engine(engine: AsyncEngine) -> None:
    """Time every pool checkout and count connections in use (idempotent per engine).

    SQLAlchemy's pool events say when a checkout is done but not when it began, so the wait is timed around
    the engine's `raw_connection()` (the one call every Connection, sync or async, makes to the pool); the
    in-use gauge follows the `checkout`/`checkin` pool events, which hold across `dispose()`.
    """
    from sqlalchemy import event

    sync_engine = engine.sync_engine
    if getattr(sync_engine, "_liaison_metrics", False):
        return
    sync_engine._liaison_metrics = True  # type: ignore[attr-defined]
    raw_connection: Callable[[], Any] = sync_engine.raw_connection

    def timed_raw_connection() -> Any:
        start = time.perf_counter()
        try:
            return raw_connection()
        finally:
            DB_POOL_WAIT.observe(time.perf_counter() - start)

    sync_engine.raw_connection = timed_raw_connection  # type: ignore[method-assign]
    event.listen(sync_engine, "checkout", lambda *_: DB_CONNECTIONS_IN_USE.inc())
    event.listen(sync_engine, "checkin", lambda *_: DB_CONNECTIONS_IN_USE.dec())


# ---- exposition ------------------------------------------------------------------------------------------


def render() -> bytes:
    return generate_latest(REGISTRY)


async def _metrics(_request: Request) -> Response:
    return Response(render(), media_type=CONTENT_TYPE_LATEST)


def metrics_app() -> Starlette:
    return Starlette(routes=[Route("/metrics", _metrics, methods=["GET"])])


class _QuietServer(uvicorn.Server):
    """Signals belong to the app's own server (or Socket Mode's loop); this one stops when the app stops."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class MetricsServer:
    """`GET /metrics` on its own host and port, in the running event loop."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        config = uvicorn.Config(
            metrics_app(), host=host, port=port, log_config=None, access_log=False, lifespan="off"
        )
        self._server = _QuietServer(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))  # fails loudly (port taken) before the app reports started
        sock.listen(128)
        sock.setblocking(False)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError(f"/metrics could not start on {self.host}:{self.port}")
            await asyncio.sleep(0.01)
        log.info("metrics on http://%s:%d/metrics", self.host, self.port)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        await self._task
        self._task = None


async def start_metrics(host: str, port: int | None) -> MetricsServer | None:
    """Start /metrics when a port is set (METRICS_PORT); None means metrics are off."""
    if port is None:
        return None
    server = MetricsServer(host, port)
    await server.start()
    return server
