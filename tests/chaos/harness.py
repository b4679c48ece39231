"""A real `liaison run --http` process against a fake Slack, driven as Slack drives it, and killed.

Shared by the fault tests (tests/chaos/) and their longer runs (bench/chaos_*.py). Requests are signed with
the real clock (process_time), since the server checks signatures against its own.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.harness.app import ALICE, BOT_TOKEN, HOME_TEAM, INTERNAL_CHANNEL, SIGNING_SECRET
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import signed_headers
from tests.harness.wallclock import process_time

REPO = Path(__file__).resolve().parents[2]
SETUP = 'setup name:"Chaos" client:"ACME" tz:Asia/Shanghai lang:en'
_SETTINGS = ("SLACK_", "DATABASE_URL", "LOG_", "METRICS_", "JOURNAL_", "DRAIN_")
CTYPE = "application/x-www-form-urlencoded"


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SlowAnswers(FakeSlack):
    """A Slack whose response_url takes `delay` seconds to answer: work stays in flight after its ack."""

    delay = 0.0

    async def _handle_response_url(self, request: Any) -> Any:
        if self.delay:
            await asyncio.sleep(self.delay)
        return await super()._handle_response_url(request)


@dataclass
class Server:
    """One `liaison run --http` process; `repo` chooses the source tree it runs (for before/after figures)."""

    fake: FakeSlack
    database_url: str
    log_path: Path
    port: int = field(default_factory=free_port)
    repo: Path = REPO
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_SETTINGS)}
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=self.fake.base_url,
            DATABASE_URL=self.database_url,
            JOURNAL_LEASE_SECONDS="2",  # a killed process's commands are taken over after 2 s
            JOURNAL_REPLAY_SECONDS="0.5",
            PYTHONPATH=str(self.repo),
            **self.extra_env,
        )
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "run",
                "--http",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=self.repo,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def terminate(self, timeout: float = 40.0) -> tuple[int, float]:
        """SIGTERM; (exit code, seconds to exit)."""
        assert self.proc is not None
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        return code, time.monotonic() - started

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.terminate()


def command_form(fake: FakeSlack, command: str, text_: str, *, tag: str) -> dict[str, str]:
    return {
        "token": "legacy",
        "team_id": HOME_TEAM,
        "team_domain": "home",
        "channel_id": INTERNAL_CHANNEL,
        "channel_name": "acme-internal",
        "user_id": ALICE,
        "user_name": "alice",
        "command": command,
        "text": text_,
        "api_app_id": "A0LIAISON",
        "is_enterprise_install": "false",
        "response_url": fake.response_url(tag),
        "trigger_id": f"{tag}.{uuid.uuid4().hex[:12]}",
    }


async def send(http: httpx.AsyncClient, url: str, form: dict[str, str]) -> tuple[int, str, float]:
    """(status, body, seconds to the answer); status 0 when the connection failed (nobody acked)."""
    body = urlencode(form).encode()
    headers = signed_headers(SIGNING_SECRET, body, content_type=CTYPE, timestamp=process_time())
    started = time.perf_counter()
    try:
        response = await http.post(f"{url}/slack/events", content=body, headers=headers)
    except httpx.TransportError:
        return 0, "", time.perf_counter() - started
    return response.status_code, response.text, time.perf_counter() - started


@dataclass
class Burst:
    """What a burst of commands got: which were acked (200 with no error text), refused at the ack, lost."""

    forms: list[dict[str, str]]
    acked: list[str] = field(default_factory=list)  # response_url keys
    refused: list[str] = field(default_factory=list)  # 200 carrying "busy" or "database not reachable"
    failed: list[str] = field(default_factory=list)  # no 200: Slack would tell the user it failed
    latencies: list[float] = field(default_factory=list)


def key_of(form: dict[str, str]) -> str:
    return form["response_url"].rsplit("/", 1)[-1]


async def burst(
    url: str,
    forms: list[dict[str, str]],
    *,
    concurrency: int = 16,
    on_ack: Any = None,
) -> Burst:
    """Send every form, `concurrency` at a time; `on_ack(n)` is called after each acked command."""
    result = Burst(forms=forms)
    queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    for form in forms:
        queue.put_nowait(form)

    async def worker(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            form = queue.get_nowait()
            status, body, seconds = await send(http, url, form)
            if status == 200 and not body.strip():  # a bare ack; "busy" or "not reachable" carry text
                result.acked.append(key_of(form))
                result.latencies.append(seconds)
                if on_ack is not None:
                    on_ack(len(result.acked))
            elif status == 200:
                result.refused.append(key_of(form))
            else:
                result.failed.append(key_of(form))

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
    return result


def risk_forms(fake: FakeSlack, n: int, *, prefix: str) -> list[dict[str, str]]:
    return [
        command_form(fake, "/risk", f"add {prefix} risk {i:04d} p:2 i:2", tag=f"{prefix}-{i:04d}")
        for i in range(n)
    ]


async def setup_project(server: Server) -> None:
    form = command_form(server.fake, "/project", SETUP, tag="setup")
    async with httpx.AsyncClient(timeout=30) as http:
        status, _, _ = await send(http, server.url, form)
    assert status == 200
    await asyncio.to_thread(
        server.fake.wait_for, "response_url", where=lambda c: c.args.get("_key") == "setup", timeout=30
    )


async def stored_titles(database_url: str, prefix: str) -> Counter[str]:
    """Risk titles in the store that a burst with `prefix` created, with how often each is there."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT title FROM risk WHERE title LIKE :p"), {"p": f"{prefix} %"}
            )
            return Counter(str(r[0]) for r in rows)
    finally:
        await engine.dispose()


async def scalar(database_url: str, sql: str) -> Any:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar()
    finally:
        await engine.dispose()


def title_of(key: str, prefix: str) -> str:
    return f"{prefix} risk {key.rsplit('-', 1)[-1]}"


def answers(fake: FakeSlack, keys: Iterable[str]) -> dict[str, list[str]]:
    """What each response_url received (its text), for the given keys."""
    wanted = set(keys)
    got: dict[str, list[str]] = {k: [] for k in wanted}
    for call in fake.calls_to("response_url"):
        k = str(call.args.get("_key", ""))
        if k in wanted:
            got[k].append(str(call.args.get("text", "")))
    return got


async def wait_answered(
    fake: FakeSlack, keys: Iterable[str], timeout: float
) -> tuple[dict[str, list[str]], float]:
    """Poll until every key got an answer (or the timeout); (answers, seconds waited)."""
    wanted = list(keys)
    started = time.monotonic()
    while True:
        got = answers(fake, wanted)
        if all(got[k] for k in wanted) or time.monotonic() - started > timeout:
            return got, time.monotonic() - started
        await asyncio.sleep(0.1)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
