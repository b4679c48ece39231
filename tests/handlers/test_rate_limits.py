"""A 429 in the running app holds that channel for everyone (issue 15): after Slack answers a post to the client
channel with Retry-After, the retry and a second command's post to that channel both wait for the deadline,
while a post to the internal channel goes at once. The limiter's clock and sleep are the test's (no real
waiting); the posts go through the signed endpoint, Bolt's per-request clients and the fake Slack."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.ratelimit import RateLimits
from tests.handlers.test_minutes_commands import QUICK
from tests.harness.app import INTERNAL_CHANNEL, SHARED_CHANNEL, Liaison


def _posts(app: Liaison, channel: str) -> list[int]:
    return [
        c.status
        for c in app.fake.calls_to("chat.postMessage", include_errors=True)
        if c.args.get("channel") == channel
    ]


async def _until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


async def test_a_429_holds_the_channel_for_every_later_post_and_no_other(app: Liaison) -> None:
    limits = RateLimits.of(app.runtime.app.client)
    assert limits is not None
    now = [0.0]
    waits: list[float] = []
    deadline = asyncio.Event()

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await deadline.wait()

    limits.clock, limits.sleep = (lambda: now[0]), sleep
    await app.command("/minutes", QUICK)
    shared_before, internal_before = len(_posts(app, SHARED_CHANNEL)), len(_posts(app, INTERNAL_CHANNEL))
    app.fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=30)

    await app.send_command("/minutes", "send M-1")  # its post is answered 429 (Retry-After: 30) and waits
    await _until(lambda: len(waits) == 1)
    await app.send_command("/digest", "now client charts:off")  # a second post to the same channel waits too
    await _until(lambda: len(waits) == 2)
    await app.send_command("/digest", "now internal charts:off")  # another channel: at once
    await _until(lambda: len(_posts(app, INTERNAL_CHANNEL)) > internal_before)
    await asyncio.sleep(0.2)
    assert _posts(app, SHARED_CHANNEL)[shared_before:] == [429]  # nothing more reached it before the deadline
    assert waits == [30, 30]

    now[0] = 30.0
    deadline.set()
    await _until(lambda: len(_posts(app, SHARED_CHANNEL)) >= shared_before + 3)
    assert _posts(app, SHARED_CHANNEL)[shared_before:] == [429, 200, 200]
