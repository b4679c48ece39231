"""A local fake of Slack's Socket Mode server, and the real app run against it in-process.

Slack's side of Socket Mode, as documented (https://api.slack.com/apis/socket-mode): the app calls
`apps.connections.open` with its app-level token (`xapp-…`) and gets a one-time `wss://` URL; on connecting it
receives `{"type": "hello", …}`; then envelopes `{"envelope_id", "type": "slash_commands" | "interactive" |
"events_api", "payload", "accepts_response_payload"}` (events also carry `retry_attempt`/`retry_reason`), each
to be acknowledged with `{"envelope_id", "payload"?}` within 3 seconds. Slack asks the app to reconnect with
`{"type": "disconnect", "reason": "refresh_requested"}`, and re-delivers what was not acknowledged when a
connection went away.

FakeSocketMode does all that on loopback (plain `ws://`), in a thread of its own like the fake Web API, and
records every envelope, ack and connection. SocketModeFakeSlack (tests/harness/fake_slack.py) answers
`apps.connections.open` with `issue_url()`.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import WSMsgType, web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.runtime import Runtime
from bot.settings import Settings
from storage.types import system_clock
from tests.harness.app import BOT_TOKEN, HOME_TEAM, populate_world
from tests.harness.fake_slack import SocketModeFakeSlack

APP_TOKEN = "xapp-1-A0LIAISON-1234567890-fakesocketmodetoken"
APP_ID = "A0LIAISON"
ACK_DEADLINE = 3.0  # seconds Slack waits for an ack


@dataclass
class Envelope:
    envelope_id: str
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool
    sent_at: list[float] = field(default_factory=list)  # every delivery (re-deliveries included)
    sent_on: int | None = None  # the connection it was last sent on
    retry_attempt: int = 0

    def wire(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "envelope_id": self.envelope_id,
            "payload": self.payload,
            "type": self.type,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.type == "events_api":
            message["retry_attempt"] = self.retry_attempt
            message["retry_reason"] = "timeout" if self.retry_attempt else ""
        return message


@dataclass
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None
    after: float  # seconds since the envelope's latest delivery
    connection: int


class FakeSocketMode:
    """Slack's Socket Mode endpoint on 127.0.0.1: tickets, hello, envelopes, acks, disconnects, re-delivery."""

    def __init__(self, *, app_id: str = APP_ID) -> None:
        self.app_id = app_id
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._tickets: set[str] = set()
        self.urls_issued = 0
        self.connections = 0  # WebSocket connections accepted (each after a hello)
        self.refused = 0  # connection attempts with an unknown or used ticket
        self.envelopes: dict[str, Envelope] = {}
        self.pending: dict[str, Envelope] = {}  # delivered (or to deliver) and not acknowledged
        self.acks: list[Ack] = []
        self.unknown_acks: list[dict[str, Any]] = []
        self.connected_at: list[float] = []  # time.monotonic() of each connection
        self.acks_lost = 0
        self._lose_acks = 0
        self._ws: web.WebSocketResponse | None = None
        self._transports: dict[int, asyncio.Transport] = {}
        self._connection_id = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._port: int | None = None

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> FakeSocketMode:
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            app = web.Application()
            app.router.add_get("/link/", self._handle)
            runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            self._port = int(runner.addresses[0][1])
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(runner.cleanup())
                loop.close()

        self._thread = threading.Thread(target=serve, name="fake-socket-mode", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("FakeSocketMode did not start within 10 s")
        return self

    def stop(self) -> None:
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        self._thread = self._loop = None

    def issue_url(self) -> str:
        """What `apps.connections.open` returns: a URL with a ticket good for one connection."""
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets.add(ticket)
            self.urls_issued += 1
        return f"ws://127.0.0.1:{self._port}/link/?ticket={ticket}&app_id={self.app_id}"

    # ---------------------------------------------------------------- what Slack sends

    def deliver(
        self, type_: str, payload: dict[str, Any], *, accepts_response_payload: bool | None = None
    ) -> str:
        """Send an envelope now (or at the next connection, if none is open); returns its envelope_id."""
        accepts = type_ != "events_api" if accepts_response_payload is None else accepts_response_payload
        envelope = Envelope(str(uuid.uuid4()), type_, payload, accepts)
        with self._lock:
            self.envelopes[envelope.envelope_id] = envelope
            self.pending[envelope.envelope_id] = envelope
        self._call(self._send(envelope))
        return envelope.envelope_id

    def slash_command(self, form: dict[str, str]) -> str:
        return self.deliver("slash_commands", dict(form))

    def interactive(self, payload: dict[str, Any]) -> str:
        return self.deliver("interactive", payload)

    def event(self, event: dict[str, Any], *, team_id: str = HOME_TEAM) -> str:
        """An Events API callback, with an event_id of its own."""
        body = {
            "token": "legacy",
            "team_id": team_id,
            "api_app_id": self.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
        }
        return self.deliver("events_api", body)

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Slack's polite way: a `disconnect` message; the app is to open a new connection."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-socket-mode"}}
        self._call(self._send_raw(message))

    def drop(self) -> None:
        """The connection dies: the TCP connection is cut without a closing handshake."""
        self._call(self._abort())

    def lose_acks(self, count: int) -> None:
        """The next `count` acks never reach Slack: once the last of them is lost, the connection is cut (the
        envelopes stay unacknowledged, so they come again on the next connection)."""
        with self._lock:
            self._lose_acks = count

    def close(self) -> None:
        """The server closes the WebSocket with a closing frame (as a Slack host going away does)."""
        self._call(self._close())

    # ---------------------------------------------------------------- what tests wait for

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [a for a in self.acks if a.envelope_id == envelope_id]
                if found:
                    return found[0]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no ack for {envelope_id} within {timeout} s")
                self._cond.wait(left)

    def wait_connections(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.connections < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{self.connections} connection(s) within {timeout} s, wanted {count}"
                    )
                self._cond.wait(left)

    def acks_of(self, envelope_id: str) -> list[Ack]:
        with self._lock:
            return [a for a in self.acks if a.envelope_id == envelope_id]

    # ---------------------------------------------------------------- plumbing

    def _call(self, coroutine: Any) -> None:
        assert self._loop is not None, "FakeSocketMode is not started"
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(5)

    async def _send(self, envelope: Envelope) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            return  # delivered when the app connects again
        if envelope.sent_on == id(ws):
            return  # already sent on this connection (the hello's re-delivery overtook `deliver`)
        envelope.sent_on = id(ws)
        envelope.sent_at.append(time.monotonic())
        await ws.send_str(json.dumps(envelope.wire()))

    async def _send_raw(self, message: dict[str, Any]) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.send_str(json.dumps(message))

    async def _abort(self) -> None:
        ws, self._ws = self._ws, None
        transport = self._transports.pop(id(ws), None) if ws is not None else None
        if transport is not None:
            transport.abort()

    async def _close(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close(code=1001, message=b"going away")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        with self._lock:
            if ticket not in self._tickets:
                self.refused += 1
                return web.Response(status=401, text="invalid ticket")
            self._tickets.discard(ticket)
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        if isinstance(request.transport, asyncio.Transport):
            self._transports[id(ws)] = request.transport
        previous, self._ws = self._ws, ws
        if previous is not None and not previous.closed:
            await previous.close()  # one connection at a time, as the app keeps
        with self._cond:
            self._connection_id += 1
            connection = self._connection_id
            self.connections += 1
            self.connected_at.append(time.monotonic())
            self._cond.notify_all()
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {
                "host": "fake-socket-mode",
                "build_number": 1,
                "approximate_connection_time": 3600,
            },
            "connection_info": {"app_id": self.app_id},
        }
        await ws.send_str(json.dumps(hello))
        with self._lock:
            unacked = list(self.pending.values())
        for envelope in unacked:  # what was not acknowledged comes again, as Slack re-delivers
            if envelope.sent_at:
                envelope.retry_attempt += 1
            await self._send(envelope)
        async for message in ws:
            if message.type == WSMsgType.TEXT and self._on_text(message.data, connection):
                await self._abort()  # the last lost ack: the connection dies with it
        if self._ws is ws:
            self._ws = None
        self._transports.pop(id(ws), None)
        return ws

    def _on_text(self, data: str, connection: int) -> bool:
        """Record an ack; True when it was the last of the acks to lose (time to cut the connection)."""
        try:
            message = json.loads(data)
        except ValueError:
            return False
        with self._cond:
            envelope = self.envelopes.get(str(message.get("envelope_id")))
            if envelope is None:
                self.unknown_acks.append(message)
                return False
            if self._lose_acks > 0:
                self._lose_acks -= 1
                self.acks_lost += 1
                return self._lose_acks == 0
            self.pending.pop(envelope.envelope_id, None)
            after = time.monotonic() - (envelope.sent_at[-1] if envelope.sent_at else time.monotonic())
            self.acks.append(Ack(envelope.envelope_id, message.get("payload"), after, connection))
            self._cond.notify_all()
        return False


@dataclass
class SocketLiaison:
    """The real app connected over Socket Mode to the fakes."""

    fake: SocketModeFakeSlack
    socket: FakeSocketMode
    runtime: Runtime
    handler: AsyncSocketModeHandler

    @property
    def svc(self) -> Any:
        return self.runtime.svc

    async def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        return await asyncio.to_thread(self.socket.wait_ack, envelope_id, timeout)

    async def wait_connections(self, count: int, timeout: float = 10.0) -> None:
        await asyncio.to_thread(self.socket.wait_connections, count, timeout)

    async def wait_for(self, method: str, **kw: Any) -> Any:
        return await asyncio.to_thread(self.fake.wait_for, method, **kw)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Any]:
        async with self.svc.sessions() as session:
            yield session


@asynccontextmanager
async def running_socket_liaison(
    database_url: str,
    *,
    clock: Callable[[], datetime] = system_clock,
    ping_interval: float = 0.5,
) -> AsyncIterator[SocketLiaison]:
    """The app as `liaison run` starts it in Socket Mode (bot/server.serve_socket_mode, minus the signal
    handlers), with SLACK_APP_TOKEN and the Web API pointed at the fakes. `ping_interval` is how soon the
    client notices a dead connection (slack_sdk's default is 10 s; shorter keeps the tests quick)."""
    socket = FakeSocketMode().start()
    fake = SocketModeFakeSlack(
        app_token=APP_TOKEN, issue_url=socket.issue_url, bot_token=BOT_TOKEN, team_id=HOME_TEAM
    )
    fake.start()
    populate_world(fake)
    settings = Settings(
        slack_bot_token=BOT_TOKEN,  # type: ignore[arg-type]
        slack_app_token=APP_TOKEN,  # type: ignore[arg-type]
        slack_api_url=fake.base_url,
        database_url=database_url,
        _env_file=None,  # type: ignore[call-arg]
    )
    settings.check("socket")
    runtime = Runtime(settings, mode="socket", clock=clock)
    await runtime.start()
    handler = AsyncSocketModeHandler(runtime.app, APP_TOKEN, ping_interval=ping_interval)
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        # The client's handshake is done; the server (its own thread) counts the connection a moment later.
        await asyncio.to_thread(socket.wait_connections, 1)
        yield SocketLiaison(fake=fake, socket=socket, runtime=runtime, handler=handler)
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await runtime.stop()
        fake.stop()
        socket.stop()
