"""Run the real Liaison HTTP app on a loopback port, against a fake Slack, and talk to it as Slack does."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import httpx
import uvicorn
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.runtime import Runtime
from bot.server import bind_socket, uvicorn_config
from bot.settings import Settings
from storage.types import system_clock
from tests.harness.fake_slack import Call, FakeSlack
from tests.harness.signing import signed_headers

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
HOME_TEAM = "T0HOME"
CLIENT_TEAM = "T0ACME"

INTERNAL_CHANNEL = "C0INTERNAL"
SHARED_CHANNEL = "C0SHARED"
PLAIN_CHANNEL = "C0PLAIN"

ALICE = "U0ALICE"  # team member (home workspace)
BOB = "U0BOB"  # team member
CAROL = "U0CAROL"  # client user, from the other organisation

_counter = itertools.count(1)


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


async def create_private_database(url: str) -> str:
    """A database of this test session's own, beside the one TEST_DATABASE_URL names, so that concurrent
    runs (a developer's and CI's) never drop each other's tables."""
    base = make_url(url)
    name = f"{base.database}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


async def drop_private_database(url: str, private: str) -> None:
    admin = create_async_engine(make_url(url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(private).database}" WITH (FORCE)'))
    await admin.dispose()


async def reset_postgres(url: str) -> None:
    """Each test starts from an empty schema; migrations then run as they would on a fresh install."""
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def populate_world(fake: FakeSlack) -> None:
    fake.add_user(ALICE, name="alice", real_name="Alice Wang", tz="Asia/Shanghai", locale="zh-CN")
    fake.add_user(BOB, name="bob", real_name="Bob Smith", tz="Europe/Berlin", locale="en-US")
    fake.add_user(CAROL, team_id=CLIENT_TEAM, name="carol", real_name="Carol Client", tz="America/New_York")
    fake.add_channel(INTERNAL_CHANNEL, name="acme-internal", members=(ALICE, BOB))
    fake.add_channel(
        SHARED_CHANNEL, name="acme-shared", is_shared=True, is_ext_shared=True, members=(ALICE, CAROL)
    )
    fake.add_channel(PLAIN_CHANNEL, name="random", members=(ALICE, BOB))


class Clock:
    """The app's clock, moved by tests (time travel instead of waiting)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        from datetime import timedelta

        self.now += timedelta(**delta)
        return self.now


@dataclass
class Liaison:
    """The running app and the fake Slack around it."""

    fake: FakeSlack
    runtime: Runtime
    url: str
    http: httpx.AsyncClient
    secret: str = SIGNING_SECRET
    sent: list[dict[str, str]] = field(default_factory=list)

    @property
    def svc(self) -> Any:
        return self.runtime.svc

    # --- requests Slack would send -------------------------------------------------------------

    async def post(
        self,
        body: bytes,
        *,
        content_type: str,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        signed = signed_headers(self.secret, body, content_type=content_type, timestamp=timestamp)
        return await self.http.post(
            f"{self.url}/slack/events", content=body, headers={**signed, **(headers or {})}
        )

    def command_form(
        self,
        command: str,
        text: str,
        *,
        user: str = ALICE,
        channel: str = INTERNAL_CHANNEL,
        team: str | None = None,
    ) -> dict[str, str]:
        n = next(_counter)
        user_team = team or (CLIENT_TEAM if user == CAROL else HOME_TEAM)
        return {
            "token": "legacy-verification-token",
            "team_id": user_team,
            "team_domain": "home" if user_team == HOME_TEAM else "acme",
            "channel_id": channel,
            "channel_name": channel.lower(),
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0LIAISON",
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url(f"cmd-{n}"),
            "trigger_id": f"{n}.{uuid.uuid4().hex[:12]}",
        }

    async def send_command(
        self, command: str, text: str = "", **kw: Any
    ) -> tuple[httpx.Response, dict[str, str]]:
        form = self.command_form(command, text, **kw)
        self.sent.append(form)
        response = await self.post(urlencode(form).encode(), content_type="application/x-www-form-urlencoded")
        return response, form

    async def command(self, command: str, text: str = "", **kw: Any) -> dict[str, Any]:
        """Send a slash command and return the message the app answered with through response_url."""
        response, form = await self.send_command(command, text, **kw)
        assert response.status_code == 200, response.text
        key = form["response_url"].rsplit("/", 1)[-1]
        # A wait, not a speed target: a reply that takes 0.3 s alone took over 5 s with two suites on 2 cores.
        calls = await self.wait_for("response_url", where=lambda c: c.args.get("_key") == key, timeout=15)
        return calls[-1].args

    async def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, content_type="application/x-www-form-urlencoded")

    async def wait_for(self, method: str, **kw: Any) -> list[Call]:
        return await asyncio.to_thread(self.fake.wait_for, method, **kw)

    # --- the store -----------------------------------------------------------------------------

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Any]:
        async with self.svc.sessions() as session:
            yield session


def reply_text(message: dict[str, Any]) -> str:
    """Everything a user would read in a reply: fallback text plus every text in its blocks."""
    parts = [str(message.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                parts.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return "\n".join(parts)


@asynccontextmanager
async def running_liaison(
    database_url: str,
    *,
    clock: Callable[[], datetime] = system_clock,
    fake: FakeSlack | None = None,
    settings_overrides: dict[str, Any] | None = None,
) -> AsyncIterator[Liaison]:
    own_fake = fake is None
    fake = fake or FakeSlack(bot_token=BOT_TOKEN, team_id=HOME_TEAM).start()
    if own_fake:
        populate_world(fake)
    settings = Settings(
        slack_bot_token=BOT_TOKEN,  # type: ignore[arg-type]
        slack_signing_secret=SIGNING_SECRET,  # type: ignore[arg-type]
        slack_api_url=fake.base_url,
        database_url=database_url,
        _env_file=None,  # type: ignore[call-arg]
        **(settings_overrides or {}),  # e.g. metrics_port
    )
    runtime = Runtime(settings, mode="http", clock=clock)
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(runtime, host="127.0.0.1", port=port))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.005)
    async with httpx.AsyncClient(timeout=10) as http:
        try:
            yield Liaison(fake=fake, runtime=runtime, url=f"http://127.0.0.1:{port}", http=http)
        finally:
            server.should_exit = True
            await task
            sock.close()
            if own_fake:
                fake.stop()
