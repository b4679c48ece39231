"""Shared fixtures. Every test runs on SQLite; set TEST_DATABASE_URL to run the same tests on PostgreSQL.

Set LIAISON_TEST_NOW to run the whole session from a chosen moment (see tests/harness/wallclock.py).
"""

from __future__ import annotations

import asyncio
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


@pytest.fixture(scope="session", autouse=True)
def session_wall_clock() -> Iterator[None]:
    """Travel to LIAISON_TEST_NOW for the whole session (time keeps running from there); else the real clock."""
    moment = chosen_moment()
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


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
