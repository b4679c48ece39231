"""Shared fixtures. Every test runs on SQLite; set TEST_DATABASE_URL to run the same tests on PostgreSQL.

Set LIAISON_TEST_NOW to run the whole session from a chosen moment (see tests/harness/wallclock.py).
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import time_machine

from bot.settings import normalise_database_url
from tests.harness.app import (
    Liaison,
    create_private_database,
    drop_private_database,
    postgres_url,
    reset_postgres,
    running_liaison,
)
from tests.harness.wallclock import ENV, chosen_moment

# What outlives a test (SQLAlchemy's compiled caches hold each test's dialect, for one) is moved out of every
# later full collection, as `liaison run` freezes its start-up (bot/runtime.py): a full collection walks every
# tracked object, and in a 3,900-test session one that fell on a command waiting for its ack took seconds,
# past Slack's 3 s (CI, `handle_command didn't call ack()`). Collect, then freeze, every FREEZE_EVERY tests.
FREEZE_EVERY = 50
_finished = 0


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    global _finished
    _finished += 1
    if _finished % FREEZE_EVERY == 0:
        gc.collect()
        gc.freeze()


@pytest.fixture(scope="session", autouse=True)
def session_wall_clock() -> Iterator[None]:
    """Travel to LIAISON_TEST_NOW for the whole session (time keeps running from there); else the real clock."""
    moment = chosen_moment()
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


# Long runs asked for by name only: (marker, environment variable that asks for it). Deselected, with a line
# in the summary, rather than skipped: a skip on the PostgreSQL leg fails CI (.ci/run), and these are not
# database tests left out, they are longer versions of quick ones that do run.
LONG_RUNS = (("chaos", "LIAISON_CHAOS"), ("slow", "LIAISON_ALL_HOSTILE"))
_left_out: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    asked = config.getoption("-m") or ""
    wanted = {m for m, env in LONG_RUNS if os.environ.get(env) or m in asked}
    long = [
        item
        for item in items
        if any(item.get_closest_marker(m) is not None for m, _env in LONG_RUNS if m not in wanted)
    ]
    if long:
        _left_out.extend(item.nodeid for item in long)
        config.hook.pytest_deselected(items=long)
        items[:] = [item for item in items if item not in long]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _left_out:
        terminalreporter.write_line(
            f"{len(_left_out)} long run(s) deselected (chaos: -m chaos or LIAISON_CHAOS=1; "
            "every hostile title: LIAISON_ALL_HOSTILE=1)"
        )


def pytest_report_header() -> str:
    moment = chosen_moment()
    return f"wall clock: {moment.isoformat()} ({moment.tzinfo}) from {ENV}" if moment else "wall clock: real"


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[str | None]:
    """This session's own PostgreSQL database (when TEST_DATABASE_URL is set), dropped at the end."""
    url = postgres_url()
    if not url:
        yield None
        return
    url = normalise_database_url(url)
    private = asyncio.run(create_private_database(url))
    try:
        yield private
    finally:
        asyncio.run(drop_private_database(url, private))


@pytest.fixture
async def database_url(tmp_path: Path, private_postgres: str | None) -> str:
    """A fresh, empty database for one test: PostgreSQL when TEST_DATABASE_URL is set, else a SQLite file."""
    if private_postgres:
        await reset_postgres(private_postgres)
        return private_postgres
    return f"sqlite+aiosqlite:///{tmp_path / 'liaison.sqlite3'}"


@pytest.fixture
async def liaison(database_url: str) -> AsyncIterator[Liaison]:
    async with running_liaison(database_url) as app:
        yield app
