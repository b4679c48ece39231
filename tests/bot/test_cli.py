"""`liaison` as a user runs it: a real process, real environment, a fake Slack on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from alembic.script import ScriptDirectory

from storage.migrate import alembic_config
from tests.harness.app import BOT_TOKEN, HOME_TEAM, INTERNAL_CHANNEL, SIGNING_SECRET, populate_world
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import signed_headers
from tests.harness.wallclock import process_time

SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "DATABASE_URL")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    env.update(extra)
    return env


def _liaison(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


def test_run_without_settings_exits_2_naming_each_variable(tmp_path: Path) -> None:
    result = subprocess.run(
        _liaison("run", "--http"),
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr
    assert "SLACK_SIGNING_SECRET is not set" in result.stderr
    assert "OAuth & Permissions" in result.stderr and "deploy/manifest.yml" in result.stderr


def test_run_without_settings_names_socket_mode_variables_first(tmp_path: Path) -> None:
    result = subprocess.run(
        _liaison("run"), cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    err = result.stderr
    assert "cannot start in Socket Mode" in err
    assert "SLACK_BOT_TOKEN is not set" in err and "SLACK_APP_TOKEN is not set" in err
    assert "SLACK_SIGNING_SECRET is not set" not in err  # not a variable of the mode being started
    assert err.index("SLACK_APP_TOKEN") < err.index(
        "SLACK_SIGNING_SECRET"
    )  # HTTP comes after, as the other way
    assert "liaison run --http" in err
    http = subprocess.run(
        _liaison("run", "--http"),
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "cannot start in HTTP mode" in http.stderr and "SLACK_APP_TOKEN" not in http.stderr


def test_malformed_settings_exit_2(tmp_path: Path) -> None:
    env = _env(tmp_path, SLACK_BOT_TOKEN="xoxp-user-token", SLACK_SIGNING_SECRET="s", PORT="http")
    result = subprocess.run(
        _liaison("run", "--http"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "PORT is malformed" in result.stderr
    env["PORT"] = "3000"
    result = subprocess.run(
        _liaison("run", "--http"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN should start with 'xoxb-'" in result.stderr
    assert "xoxp-user-token" not in result.stderr


def test_socket_mode_needs_an_app_token_or_http(tmp_path: Path) -> None:
    env = _env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xoxb-wrong-kind")
    result = subprocess.run(
        _liaison("run"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN should start with 'xapp-'" in result.stderr


def test_help_is_clear() -> None:
    out = subprocess.run(_liaison("--help"), capture_output=True, text=True, timeout=60).stdout
    assert "run" in out and "db" in out and "SLACK_BOT_TOKEN" in out
    out = subprocess.run(_liaison("run", "--help"), capture_output=True, text=True, timeout=60).stdout
    assert "--http" in out and "--port" in out and "Socket Mode" in out
    socket_mode, http = out.split("Socket Mode", 1)[1].split("HTTP (--http", 1)
    assert "SLACK_BOT_TOKEN" in socket_mode and "SLACK_APP_TOKEN" in socket_mode
    assert "SLACK_SIGNING_SECRET" not in socket_mode
    assert "SLACK_BOT_TOKEN" in http and "SLACK_SIGNING_SECRET" in http and "DATABASE_URL" in http


def test_db_alone_prints_its_own_help_and_touches_nothing(tmp_path: Path) -> None:
    result = subprocess.run(
        _liaison("db"), cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    out = " ".join(result.stdout.split())  # argparse wraps to the terminal's width
    assert "usage: liaison db" in out and "DATABASE_URL" in out
    assert "upgrade create the database if needed and apply every pending migration" in out
    assert "current print the schema revision" in out and "never creates a database" in out
    assert "INFO" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_db_current_never_creates_a_database(tmp_path: Path) -> None:
    result = subprocess.run(
        _liaison("db", "current"),
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"no database at {tmp_path.resolve() / 'data' / 'liaison.sqlite3'}" in result.stderr
    assert "liaison db upgrade" in result.stderr and result.stdout == ""
    assert list(tmp_path.iterdir()) == [], "reporting on a database must not create one"
    (tmp_path / "empty.db").touch()
    env = _env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    empty = subprocess.run(
        _liaison("db", "current"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert empty.returncode == 1 and "has no schema yet" in empty.stderr
    assert "INFO" not in empty.stdout + empty.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_http_mode_serves_healthz_answers_commands_and_stops_on_sigterm(tmp_path: Path) -> None:
    with FakeSlack(bot_token=BOT_TOKEN, team_id=HOME_TEAM) as fake:
        populate_world(fake)
        port = _free_port()
        env = _env(
            tmp_path,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.base_url,
            LOG_LEVEL="DEBUG",
        )
        log_path = tmp_path / "liaison.log"  # a file, not a pipe: DEBUG output would fill a pipe and block
        log_file = log_path.open("w")
        proc = subprocess.Popen(
            _liaison("run", "--http", "--port", str(port)),
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"server did not start: {log_path.read_text()}")
                    time.sleep(0.05)
            assert health.status_code == 200
            assert health.json()["database"] == {"dialect": "sqlite", "ok": True}
            assert (tmp_path / "data" / "liaison.sqlite3").exists(), "the default store is a file under data/"

            form = {
                "team_id": HOME_TEAM,
                "channel_id": INTERNAL_CHANNEL,
                "user_id": "U0ALICE",
                "command": "/liaison",
                "text": "help",
                "response_url": fake.response_url("cli"),
                "trigger_id": "1.cli",
            }
            body = urlencode(form).encode()
            headers = signed_headers(
                SIGNING_SECRET,
                body,
                content_type="application/x-www-form-urlencoded",
                timestamp=process_time(),
            )
            assert (
                httpx.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=headers).status_code
                == 200
            )
            fake.wait_for("response_url", timeout=10)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            log_file.close()
        output = log_path.read_text()
        # uvicorn finishes its graceful shutdown, then re-raises the signal (exit status 143), as is conventional
        assert proc.returncode in (0, -signal.SIGTERM), output
        assert "Waiting for application shutdown" in output
        assert "liaison stopped" in output
        assert BOT_TOKEN not in output and SIGNING_SECRET not in output


def test_db_upgrade_by_hand(tmp_path: Path) -> None:
    env = _env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    result = subprocess.run(
        _liaison("db", "upgrade"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert f"revision {head}" in result.stdout
    again = subprocess.run(
        _liaison("db", "current"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert again.stdout.strip().startswith(str(head))
    assert "(the newest)" in again.stdout and "INFO" not in again.stdout + again.stderr
    assert (
        "already at revision"
        in subprocess.run(
            _liaison("db", "upgrade"), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        ).stdout
    )
