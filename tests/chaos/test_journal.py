"""Acked means kept: a real `liaison run --http` killed mid-burst, terminated with work in flight, and its
PostgreSQL connections cut. On SQLite, and on PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.chaos.scenarios import kill_mid_burst, show, sigterm_drain, terminate_backends


async def _kill(database_url: str, tmp_path: Path, n: int, kill_after: int) -> None:
    figures = await kill_mid_burst(database_url, tmp_path, n=n, kill_after=kill_after)
    print(show(figures))
    assert figures["acked"] >= kill_after and figures["killed_mid_burst"]
    assert figures["lost"] == [] and figures["duplicated"] == [] and figures["unanswered"] == []
    assert figures["failed_answers"] == []
    assert figures["stored_acked"] == figures["acked"]
    assert figures["journal_left"] == 0
    assert figures["integrity_check"] in {"ok", "n/a"}


async def test_every_acked_command_survives_sigkill_mid_burst(database_url: str, tmp_path: Path) -> None:
    await _kill(database_url, tmp_path, n=200, kill_after=60)


@pytest.mark.chaos
async def test_every_acked_command_survives_sigkill_mid_burst_long(database_url: str, tmp_path: Path) -> None:
    await _kill(database_url, tmp_path, n=2000, kill_after=200)


async def _term(database_url: str, tmp_path: Path, n: int) -> None:
    figures = await sigterm_drain(database_url, tmp_path, n=n, delay=0.3)
    print(show(figures))
    assert figures["in_flight_at_sigterm"] > 0
    assert figures["exit_code"] in (0, -signal.SIGTERM) and figures["exit_s"] < 25  # uvicorn re-raises it
    assert figures["answered"] == figures["acked"] == n - figures["refused_busy"]
    assert (
        figures["answered_before_exit"] == n and figures["left_in_journal_at_exit"] == 0
    )  # drained, not replayed
    assert figures["lost"] == [] and figures["duplicated"] == []
    assert figures["journal_left"] == 0


async def test_sigterm_completes_all_work_in_flight_before_exit(database_url: str, tmp_path: Path) -> None:
    await _term(database_url, tmp_path, n=60)


@pytest.mark.chaos
async def test_sigterm_completes_all_work_in_flight_before_exit_long(
    database_url: str, tmp_path: Path
) -> None:
    await _term(database_url, tmp_path, n=240)  # under the work pool's 256; 8 workers x 0.3 s: 9 s


async def _cut(database_url: str, tmp_path: Path, n: int) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_terminate_backend: PostgreSQL only (set TEST_DATABASE_URL)")
    figures = await terminate_backends(database_url, tmp_path, n=n, every=0.5)
    print(show(figures))
    assert figures["backends_terminated"] > 0
    assert figures["lost"] == [] and figures["duplicated"] == [] and figures["unanswered"] == []
    assert figures["other_answers"] == []
    assert figures["covered"] == figures["acked"]  # each answered: done, or a clear "try again"


async def test_postgres_connections_cut_under_steady_commands(database_url: str, tmp_path: Path) -> None:
    await _cut(database_url, tmp_path, n=80)


@pytest.mark.chaos
async def test_postgres_connections_cut_under_steady_commands_long(database_url: str, tmp_path: Path) -> None:
    await _cut(database_url, tmp_path, n=800)
