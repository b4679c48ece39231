"""Fault tests: quick versions run with the suite; `-m chaos` (or bench/chaos_journal.py) runs the long ones."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "chaos: long fault runs (pytest -m chaos, or LIAISON_CHAOS=1)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("LIAISON_CHAOS") or "chaos" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="long fault run: pytest -m chaos or LIAISON_CHAOS=1")
    for item in items:
        if item.get_closest_marker("chaos") is not None:
            item.add_marker(skip)
