"""Column types that keep time honest across SQLite (which forgets tzinfo) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Accepts only aware datetimes, stores UTC, and returns aware UTC datetimes on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stamp: datetime = value
        if stamp.tzinfo is None:
            return stamp.replace(tzinfo=UTC)
        return stamp.astimezone(UTC)


def system_clock() -> datetime:
    return datetime.now(UTC)


_clock: Callable[[], datetime] = system_clock


def use_clock(clock: Callable[[], datetime] | None) -> None:
    """Stamp rows (created, updated, audited) with the app's clock, the one digests and schedules read.

    One clock per process: the wall clock in production, the playground's movable clock, a test's clock.
    Otherwise a record changed "now" on a moved clock would fall outside the period a digest reports.
    """
    global _clock
    _clock = clock or system_clock


def utcnow() -> datetime:
    return _clock().astimezone(UTC)
