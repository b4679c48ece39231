"""Shared bench plumbing: results and tables, percentiles, process memory, signed Slack requests, and the
server and load-generator processes, so every benchmark measures the same way."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import signal
import sys
import time
import uuid
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.harness.signing import signed_headers

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
LOGS = RESULTS / "logs"
PYTHON = sys.executable
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"

# The same identities the end-to-end tests use (tests/harness/app.py), repeated here so the load
# generator process does not import the app to build its requests.
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
HOME_TEAM = "T0HOME"
ALICE = "U0ALICE"
BOB = "U0BOB"
INTERNAL_CHANNEL = "C0INTERNAL"

RISK_TEXT = "add Bench risk {tag} {i} p:3 i:4 owner:<@U0BOB|bob> due:2026-12-15 strategy:mitigate"
SETUP_TEXT = 'setup name:"Bench ERP" client:"ACME" tz:Asia/Shanghai lang:en'


# ---- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One row of the summary table; `met` is None when the metric has no target or was skipped."""

    metric: str
    value: str
    target: str = ""
    met: bool | None = None


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: a value that was actually observed, never an interpolation."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_ms(seconds: Sequence[float]) -> dict[str, float]:
    if not seconds:
        return {"n": 0}
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 50), 3),
        "p90": round(percentile(ms, 90), 3),
        "p99": round(percentile(ms, 99), 3),
        "max": round(max(ms), 3),
        "mean": round(sum(ms) / len(ms), 3),
    }


def fmt(value: float, unit: str = "", digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}{unit}"


def machine() -> dict[str, Any]:
    """What the numbers depend on: cores, load (other people's test runs share this box), Python."""
    return {
        "cpus": os.cpu_count(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now and at its peak, from /proc (psutil is not a dependency)."""
    found: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found["rss_mb" if key == "VmRSS" else "peak_mb"] = round(int(value.split()[0]) / 1024, 1)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far, from /proc (0.0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def markdown_table(checks: Iterable[Check]) -> str:
    lines = ["| metric | value | target | met? |", "| --- | --- | --- | --- |"]
    for c in checks:
        met = "—" if c.met is None else ("yes" if c.met else "**NO**")
        lines.append(f"| {c.metric} | {c.value} | {c.target or '—'} | {met} |")
    return "\n".join(lines)


def write_result(
    name: str,
    *,
    params: dict[str, Any],
    results: dict[str, Any],
    checks: list[Check],
    load_before: list[float],
    notes: list[str] | None = None,
) -> Path:
    """Write bench/results/<name>.json and print the benchmark's table."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = machine()
    env["loadavg_before"] = load_before
    env["loadavg_after"] = env.pop("loadavg")
    payload = {
        "bench": name,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": env,
        "params": params,
        "notes": notes or [],
        "checks": [asdict(c) for c in checks],
        "results": results,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    print(f"\n## {name}  (load average {load_before} -> {env['loadavg_after']}, {env['cpus']} cores)\n")
    for note in notes or []:
        print(f"> {note}")
    print(markdown_table(checks))
    print(f"\n(written to {path.relative_to(REPO)})")
    return path


def base_parser(description: str, *, seconds: float, quick_seconds: float) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=float, default=None, help=f"timed phase length (default {seconds})")
    parser.add_argument("--quick", action="store_true", help=f"shorter run (timed phase {quick_seconds} s)")
    parser.set_defaults(_seconds=seconds, _quick_seconds=quick_seconds)
    return parser


def seconds_of(args: argparse.Namespace) -> float:
    if args.seconds is not None:
        return float(args.seconds)
    return float(args._quick_seconds if args.quick else args._seconds)


# ---- Slack-shaped requests -------------------------------------------------------------------------


def command_form(command: str, text: str, *, response_url: str, trigger: str | None = None) -> dict[str, str]:
    """A slash command payload as Slack posts it (same fields as tests.harness.app.Liaison.command_form)."""
    return {
        "token": "legacy-verification-token",
        "team_id": HOME_TEAM,
        "team_domain": "home",
        "channel_id": INTERNAL_CHANNEL,
        "channel_name": INTERNAL_CHANNEL.lower(),
        "user_id": ALICE,
        "user_name": ALICE.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A0LIAISON",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger or f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex[:12]}",
    }


def raw_request(form: dict[str, str], *, host: str, port: int, secret: str = SIGNING_SECRET) -> bytes:
    """The whole HTTP/1.1 request, signed v0 with the current timestamp, ready to write to a socket."""
    body = urlencode(form).encode()
    headers = signed_headers(secret, body, content_type="application/x-www-form-urlencoded")
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {len(body)}\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        + "\r\n"
    )
    return head.encode() + body


async def send_command(base_url: str, command: str, text: str, *, response_url: str) -> int:
    """One signed slash command through httpx (set-up steps, not the timed path); returns the status."""
    form = command_form(command, text, response_url=response_url)
    body = urlencode(form).encode()
    headers = signed_headers(SIGNING_SECRET, body, content_type="application/x-www-form-urlencoded")
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(f"{base_url}/slack/events", content=body, headers=headers)
    return response.status_code


# ---- processes -------------------------------------------------------------------------------------


class ServerProcess:
    """A server (`python -m bench.server`) in its own process, so it never shares a GIL with the load."""

    def __init__(self, proc: asyncio.subprocess.Process, info: dict[str, Any], log_path: Path) -> None:
        self.proc = proc
        self.port = int(info["port"])
        self.pid = int(info["pid"])
        self.started_in = float(info.get("started_in", math.nan))
        self.info = info
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{self.port}"

    @classmethod
    async def start(
        cls,
        kind: str,
        *,
        fake_url: str,
        name: str,
        database_url: str | None = None,
        profile: bool = False,
        gc_freeze: bool = False,
        workers: int = 0,
        no_journal: bool = False,
        ack_event: bool = False,
    ) -> ServerProcess:
        LOGS.mkdir(parents=True, exist_ok=True)
        log_path = LOGS / f"{name}.log"
        args = [PYTHON, "-m", "bench.server", kind, "--fake-url", fake_url]
        if database_url:
            args += ["--database-url", database_url]
        if profile:
            args += ["--profile", str(RESULTS / f"profile-{name}.txt")]
        if gc_freeze:
            args.append("--gc-freeze")
        if workers:
            args += ["--workers", str(workers)]
        if no_journal:
            args.append("--no-journal")
        if ack_event:
            args.append("--ack-event")
        with log_path.open("wb") as log:
            proc = await asyncio.create_subprocess_exec(
                *args, cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=log
            )
        assert proc.stdout is not None
        try:
            line = await asyncio.wait_for(proc.stdout.readline(), 90)
        except TimeoutError:
            proc.kill()
            raise RuntimeError(f"{name} server did not start; see {log_path}") from None
        if not line:
            raise RuntimeError(
                f"{name} server exited at start; see {log_path}:\n{log_path.read_text()[-3000:]}"
            )
        return cls(proc, json.loads(line), log_path)

    async def get(self, path: str) -> Any:
        async with httpx.AsyncClient(timeout=60) as http:
            response = await http.get(self.url + path)
            response.raise_for_status()
            return response.json()

    async def post(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        async with httpx.AsyncClient(timeout=120) as http:
            response = await http.post(self.url + path, json=payload or {})
            response.raise_for_status()
            return response.json()

    def memory(self) -> dict[str, float]:
        return memory_mb(self.pid)

    async def wait_drained(self, *, timeout: float, background: bool = True) -> tuple[dict[str, Any], float]:
        """Poll until no listener work (and, if asked, no bench background work) is running: what was
        acked has been processed. Returns the last stats and how long it took."""
        start = time.monotonic()
        stats: dict[str, Any] = {}
        while time.monotonic() - start < timeout:
            stats = await self.get("/bench/stats")
            busy = background and stats.get("background", {}).get("running")
            if stats["tasks"] == 0 and not busy:
                break
            await asyncio.sleep(0.2)
        return stats, time.monotonic() - start

    async def stop(self, timeout: float = 30) -> int | None:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        return self.proc.returncode


async def run_load(
    *,
    tag: str,
    port: int,
    response_base: str,
    seconds: float,
    connections: int = 8,
    warmup_seconds: float = 1.0,
    max_rate: int = 3000,
    rate: float = 0.0,
    on_start: Callable[[], Coroutine[Any, Any, None]] | None = None,
) -> dict[str, Any]:
    """Drive `/risk add` at a server from a separate load-generator process; returns its figures.

    Closed loop unless `rate` (requests/s) is given. `on_start` runs when the timed phase begins (after
    the warm-up), e.g. to kick off background work; the result's `timed_started_mono` says when.
    """
    (RESULTS / "tmp").mkdir(parents=True, exist_ok=True)
    spec = {
        "tag": tag,
        "host": "127.0.0.1",
        "port": port,
        "seconds": seconds,
        "warmup_seconds": warmup_seconds,
        "connections": connections,
        "max_rate": max_rate,
        "rate": rate,
        "text": RISK_TEXT,
        "response_base": response_base,
    }
    spec_path = RESULTS / "tmp" / f"load-{tag}.json"
    spec_path.write_text(json.dumps(spec))
    proc = await asyncio.create_subprocess_exec(
        PYTHON, "-m", "bench.loadgen", str(spec_path), cwd=REPO, stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None
    result: dict[str, Any] | None = None
    start_task: asyncio.Task[None] | None = None
    started = math.nan
    while line := await asyncio.wait_for(proc.stdout.readline(), seconds + warmup_seconds + 300):
        text = line.decode().strip()
        if text == "START":
            started = time.monotonic()
            if on_start is not None:
                start_task = asyncio.create_task(on_start())
        elif text.startswith("RESULT "):
            result = json.loads(text.removeprefix("RESULT "))
    await proc.wait()
    if start_task is not None:
        await start_task
    if result is None:
        raise RuntimeError(f"load generator for {tag} exited with {proc.returncode} and no result")
    result["timed_started_mono"] = started
    return result


def start_fake() -> Any:
    """A fake Slack (tests/harness/fake_slack.py) in this process's background thread, with the test world."""
    from tests.harness.app import populate_world
    from tests.harness.fake_slack import FakeSlack

    fake = FakeSlack(bot_token=BOT_TOKEN, team_id=HOME_TEAM).start()
    populate_world(fake)
    return fake


async def postgres_ready(url: str = PG_URL) -> str | None:
    """None if PostgreSQL answers, else why not (the benchmark then skips it and says so)."""
    import asyncpg  # type: ignore[import-untyped]

    try:
        conn = await asyncio.wait_for(asyncpg.connect(url.replace("+asyncpg", "")), 5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None


async def reset_postgres(url: str = PG_URL) -> None:
    from tests.harness.app import reset_postgres as reset

    await reset(url)


async def setup_project(base_url: str, fake: Any) -> None:
    """Make the test world's internal channel a project's, through the real `/project setup` command."""
    key = f"setup-{uuid.uuid4().hex[:8]}"
    status = await send_command(base_url, "/project", SETUP_TEXT, response_url=fake.response_url(key))
    if status != 200:
        raise RuntimeError(f"/project setup answered HTTP {status}")
    await asyncio.to_thread(
        fake.wait_for, "response_url", where=lambda c: c.args.get("_key") == key, timeout=30
    )
