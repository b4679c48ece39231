"""Fault tests: quick versions run with the suite; `-m chaos` (or bench/chaos_*.py) runs the long ones.

Which long runs are left out of a plain run is decided in tests/conftest.py (deselected, not skipped: the
PostgreSQL leg of CI must skip nothing).
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "chaos: long fault runs (pytest -m chaos, or LIAISON_CHAOS=1)")
