"""Time expressions from handlers: parsed off the event loop (dateparser is CPU-bound), in the project's zone."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import timeexpr


async def due_date(text: str, *, now: datetime, tz: str) -> date:
    """A due date in words ("next friday", "下周五", "2026-12-15"), resolved in the project's zone."""
    return await asyncio.to_thread(timeexpr.parse_date, text, now=now, tz=ZoneInfo(tz))


async def moment(text: str, *, now: datetime, tz: str) -> timeexpr.Moment:
    return await asyncio.to_thread(timeexpr.parse_moment, text, now=now, tz=ZoneInfo(tz))
