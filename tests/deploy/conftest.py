"""The deploy tests' one rule: the Docker tests (image build, compose smoke test) run once, on the SQLite leg.

They use no test database (the image runs its own SQLite, compose its own PostgreSQL), so on the PostgreSQL
leg (TEST_DATABASE_URL set) they are deselected, with a line in the summary saying so, instead of building
the image twice; where no Docker daemon answers they skip with a message on the leg that runs them.
"""

from __future__ import annotations

import os

import pytest

_deselected: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "docker: needs a Docker daemon; runs on the SQLite leg only")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    docker = [item for item in items if item.get_closest_marker("docker")]
    if docker:
        _deselected.extend(item.nodeid for item in docker)
        config.hook.pytest_deselected(items=docker)
        items[:] = [item for item in items if not item.get_closest_marker("docker")]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _deselected:
        terminalreporter.write_line(
            f"tests/deploy: {len(_deselected)} Docker test(s) deselected on the PostgreSQL leg "
            "(they use no test database; the SQLite leg runs them, or skips them with the reason)"
        )
