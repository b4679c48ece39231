"""Shared fixtures. Every test runs on SQLite; set TEST_DATABASE_URL to run the same tests on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import normalise_database_url
from tests.harness.app import Liaison, postgres_url, reset_postgres, running_liaison


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    """A fresh, empty database for one test: PostgreSQL when TEST_DATABASE_URL is set, else a SQLite file."""
    url = postgres_url()
    if url:
        url = normalise_database_url(url)
        await reset_postgres(url)
        return url
    return f"sqlite+aiosqlite:///{tmp_path / 'liaison.sqlite3'}"


@pytest.fixture
async def liaison(database_url: str) -> AsyncIterator[Liaison]:
    async with running_liaison(database_url) as app:
        yield app
