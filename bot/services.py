"""The composition root's product: everything a listener or job needs, built once and passed explicitly."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import metrics
from bot.channels import ChannelInspector
from bot.domain.channels import BindingCache
from bot.domain.journal import GroupCommit
from bot.scheduler import SchedulerService, ScheduleRunner
from bot.settings import Settings
from bot.users import UserDirectory
from bot.workpool import WorkPool
from storage.db import SessionFactory
from storage.types import system_clock

log = logging.getLogger(__name__)

HTTP_TIMEOUT_SECONDS = 10  # what every Web API client is built with (bot.app.create_web_client)
HTTP_CONNECTIONS = 100  # to Slack at once; more calls wait for a free connection rather than open more


class SharedHttp:
    """One aiohttp session, so one connection pool, for every Web API call and every response_url POST.

    Without it slack_sdk opens (and closes) a session, a TCP connection and a TLS handshake per call. The
    session lives from the runtime's start to its stop (it must be made inside the running loop). Clients
    given to `serve` use it while it is open; Bolt's per-request clients copy the app client's session, and
    each request's `respond` is handed `session` (bot/app.py). Before `open` or after `close` the clients fall
    back to slack_sdk's session per call, so nothing breaks outside a running app.
    """

    def __init__(self, *, connections: int = HTTP_CONNECTIONS) -> None:
        self.connections = connections
        self.session: aiohttp.ClientSession | None = None
        self._clients: list[AsyncWebClient] = []

    def serve(self, client: AsyncWebClient) -> AsyncWebClient:
        """Make `client` use the shared session (now if open, else once it opens); returns it."""
        if all(c is not client for c in self._clients):
            self._clients.append(client)
        client.session = self.session
        return client

    async def open(self) -> aiohttp.ClientSession:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(
                # slack_sdk passes no timeout of its own to a session it is given: the session carries it. Per
                # connect and per read, never in total: a total would count the wait for a free connection,
                # and a burst of scheduled posts queued behind the pool would time out without being sent.
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=None,
                    sock_connect=HTTP_TIMEOUT_SECONDS,
                    sock_read=HTTP_TIMEOUT_SECONDS,
                ),
                connector=aiohttp.TCPConnector(limit=self.connections, ttl_dns_cache=300),
            )
        for client in self._clients:
            client.session = self.session
        return self.session

    async def close(self) -> None:
        session, self.session = self.session, None
        for client in self._clients:
            client.session = None
        if session is not None and not session.closed:
            await session.close()


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
    http: SharedHttp = field(default_factory=SharedHttp)  # one connection pool to Slack for everything
    # Bounds command work after the ack (bot/workpool.py); the runtime sizes it for its database.
    work: WorkPool = field(default_factory=WorkPool)
    workspace_ids: dict[str, int] = field(default_factory=dict)  # team id -> workspace row id
    bindings: BindingCache = field(default_factory=BindingCache)  # (workspace, channel) -> its project
    clock: Callable[[], datetime] = system_clock
    # The command journal's group commit (bot/journal.py): one per runtime, so it goes with it. (A module-level
    # map keyed by the session factory kept every test's engine alive: its value held its key.)
    journal: GroupCommit = field(init=False)

    def __post_init__(self) -> None:
        self.journal = GroupCommit(self.sessions)
