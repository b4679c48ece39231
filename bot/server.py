"""The two ways to run: an HTTP server (Starlette on uvicorn) or a Socket Mode connection."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import time
from collections.abc import AsyncIterator, Callable

import uvicorn
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import metrics
from bot.logging import log_context, new_request_id
from bot.runtime import Runtime
from bot.settings import Settings

log = logging.getLogger(__name__)


def build_http_app(runtime: Runtime) -> Starlette:
    handler = AsyncSlackRequestHandler(runtime.app)

    async def slack_events(request: Request) -> Response:
        """Each request gets a request id for its log lines; the time to its answer (the ack) is measured."""
        start = time.perf_counter()
        kind = metrics.request_kind(await request.body(), request.headers.get("content-type", ""))
        with log_context(request_id=new_request_id()):
            response = await handler.handle(request)
        metrics.observe_ack(kind, time.perf_counter() - start)
        return response

    async def healthz(_request: Request) -> Response:
        ok, report = await runtime.health()
        return JSONResponse(report, status_code=200 if ok else 503)

    async def slack_install(request: Request) -> Response:
        """The "Add to Slack" page and Slack's redirect back (Bolt's OAuth flow; bot/install.py)."""
        return await handler.handle(request)

    # Installed in several workspaces (OAuth): the install pages; otherwise they do not exist.
    oauth_routes = (
        [
            Route("/slack/install", slack_install, methods=["GET"]),
            Route("/slack/oauth_redirect", slack_install, methods=["GET"]),
        ]
        if runtime.installs
        else []
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            *oauth_routes,
        ],
        lifespan=lifespan,
    )


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (a dependency except on Windows): the loop's own overhead is a share of every
    command. uvicorn's default `loop="auto"` makes the same choice for `liaison run --http`."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def uvicorn_config(runtime: Runtime, *, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        build_http_app(runtime),
        host=host,
        port=port,
        log_config=None,  # our logging (with token redaction) stays in charge
        access_log=False,
        lifespan="on",
        # Requests still open at SIGTERM are acks (the journal's write is bounded by JOURNAL_ACK_SECONDS):
        # 4 s for them, then the lifespan drains work for DRAIN_SECONDS (25 s): 29 s, under Kubernetes' 30 s.
        timeout_graceful_shutdown=4,
    )


def run_http(settings: Settings, *, host: str, port: int) -> None:
    """Serve until SIGTERM/SIGINT; uvicorn stops accepting, finishes requests, then our lifespan drains."""
    runtime = Runtime(settings, mode="http")
    runtime.freeze_gc = True
    server = uvicorn.Server(uvicorn_config(runtime, host=host, port=port))
    server.run()
    if not server.started:
        raise SystemExit(1)


async def serve_socket_mode(settings: Settings) -> None:
    runtime = Runtime(settings, mode="socket")
    runtime.freeze_gc = True
    assert settings.slack_app_token is not None
    await runtime.start()
    handler = AsyncSocketModeHandler(runtime.app, settings.slack_app_token.get_secret_value())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("connected to Slack over Socket Mode")
        await stop.wait()
        log.info("shutting down")
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await runtime.stop()


def run_socket_mode(settings: Settings) -> None:
    with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
        runner.run(serve_socket_mode(settings))


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one); tests and benchmarks hand it to uvicorn."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock
