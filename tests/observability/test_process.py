"""`liaison run --http` as an operator runs it, with METRICS_PORT and LOG_FORMAT=json: /metrics answers on its
own port only, each log line on stderr is JSON, and SIGTERM takes both ports down."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.harness.app import BOT_TOKEN, HOME_TEAM, INTERNAL_CHANNEL, SIGNING_SECRET, populate_world
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import signed_headers
from tests.harness.wallclock import process_time
from tests.observability.conftest import free_port, parse, value

SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "DATABASE_URL")


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in SETTINGS and not k.startswith(("LOG_", "METRICS_"))
    }
    env.update(extra)
    return env


def _liaison(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


def test_run_http_serves_metrics_on_its_own_port_and_logs_json(tmp_path: Path) -> None:
    with FakeSlack(bot_token=BOT_TOKEN, team_id=HOME_TEAM) as fake:
        populate_world(fake)
        port, metrics_port = free_port(), free_port()
        env = _env(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.base_url,
            METRICS_PORT=str(metrics_port),
            METRICS_HOST="127.0.0.1",
            LOG_FORMAT="json",
        )
        log_path = tmp_path / "liaison.log"
        with log_path.open("w") as log_file:
            proc = subprocess.Popen(
                _liaison("run", "--http", "--port", str(port), "--host", "127.0.0.1"),
                cwd=tmp_path,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                text=True,
            )
            try:
                deadline = time.monotonic() + 30
                while True:  # a real process starting: poll until it answers
                    try:
                        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
                        break
                    except httpx.TransportError:
                        if proc.poll() is not None or time.monotonic() > deadline:
                            pytest.fail(f"server did not start: {log_path.read_text()}")
                        time.sleep(0.05)
                assert httpx.get(f"http://127.0.0.1:{port}/metrics").status_code == 404
                form = {
                    "team_id": HOME_TEAM,
                    "channel_id": INTERNAL_CHANNEL,
                    "user_id": "U0ALICE",
                    "command": "/liaison",
                    "text": "help",
                    "response_url": fake.response_url("obs"),
                    "trigger_id": "1.obs",
                }
                body = urlencode(form).encode()
                headers = signed_headers(
                    SIGNING_SECRET,
                    body,
                    content_type="application/x-www-form-urlencoded",
                    timestamp=process_time(),
                )
                response = httpx.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=headers)
                assert response.status_code == 200
                fake.wait_for("response_url", timeout=10)
                deadline = time.monotonic() + 10
                while True:  # the command's line is counted once its work ends, just after its reply
                    scraped = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics")
                    assert scraped.status_code == 200
                    samples = parse(scraped.text)
                    ok = value(
                        samples, "liaison_commands_total", command="/liaison", subcommand="help", outcome="ok"
                    )
                    if ok == 1 or time.monotonic() > deadline:
                        break
                    time.sleep(0.05)
                assert ok == 1
                assert value(samples, "liaison_ack_seconds_count", kind="command") == 1
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
        assert proc.returncode in (0, -signal.SIGTERM)
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{metrics_port}/metrics")
        lines = [json.loads(line) for line in log_path.read_text().splitlines()]
        [help_line] = [line for line in lines if line.get("command") == "/liaison help"]
        assert help_line["logger"] == "handlers.commands.runner" and help_line["request_id"]
        assert any(line["message"] == "liaison stopped" for line in lines)
        assert BOT_TOKEN not in log_path.read_text() and "xoxb-" not in log_path.read_text()


def test_metrics_port_equal_to_the_slack_port_is_refused(tmp_path: Path) -> None:
    env = _env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, METRICS_PORT="3999")
    result = subprocess.run(
        _liaison("run", "--http", "--port", "3999"), cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "METRICS_PORT is 3999, the port Slack reaches" in result.stderr
