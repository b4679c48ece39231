"""A 429 storm (issue 15): Slack answers 30% of `chat.postMessage` calls HTTP 429 with `Retry-After: 1`.

Held: everything arrives once (no loss, no duplicate), and no call to the same method and channel goes out
after the app received a Retry-After and before it passed (bot/ratelimit.py: one limiter per app, shared by
every task): each HTTP attempt is watched just below the limiter. The fake (tests/harness/fake_slack.
StormFakeSlack) also answers a call arriving inside a hold 429 again and counts it (`seen_inside_hold`: calls
already on their way when the 429 was answered). Real time, bounded: Retry-After is whole seconds.

Two sources of posts: due reminders run concurrently (as APScheduler fires them), and a burst of concurrent
posts through the app's own Web API client to several channels (what listeners and jobs share).
The longer versions carry the `chaos` marker (`pytest -m chaos`, `python -m bench.chaos_rate_limits`).
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from unittest.mock import patch

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from bot.delivery import EVENT_TYPE
from bot.posting import QuietWebClient
from bot.ratelimit import RateLimits, retry_after_of
from storage.models import Schedule
from tests.bot.test_ratelimit import VirtualTime
from tests.handlers.conftest import SHANGHAI, START
from tests.harness.app import (
    BOT_TOKEN,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    Clock,
    Liaison,
    populate_world,
    reply_text,
    running_liaison,
)
from tests.harness.fake_slack import FakeSlack, StormFakeSlack

DUE = datetime(2026, 11, 24, 18, 0, tzinfo=SHANGHAI)
SHARE = 0.30
RETRY_AFTER = 1
CHANNELS = ("C0STORM1", "C0STORM2", "C0STORM3")


def storm_fake(seed: int) -> StormFakeSlack:
    fake = StormFakeSlack(bot_token=BOT_TOKEN, team_id=HOME_TEAM)
    fake.start()
    populate_world(fake)
    for channel in CHANNELS:
        fake.add_channel(channel, name=channel.lower())
    return fake


class Watch:
    """The app's side of the contract, seen just below the limiter (every HTTP attempt): a chat.postMessage
    that starts after the app received a 429 for its channel and before that Retry-After passed is early."""

    def __init__(self) -> None:
        self.held: dict[str, float] = {}
        self.early = 0
        self.attempts = 0

    @contextmanager
    def watching(self) -> Iterator[None]:
        real = AsyncWebClient.api_call
        watch = self

        async def watched(client: AsyncWebClient, api_method: str, **kw: Any) -> Any:
            args = kw.get("json") or kw.get("data") or {}
            channel = str(args.get("channel") or "") if api_method == "chat.postMessage" else None
            if channel is not None:
                watch.attempts += 1
                if time.monotonic() < watch.held.get(channel, 0.0):
                    watch.early += 1
            try:
                return await real(client, api_method, **kw)
            except SlackApiError as exc:
                if channel is not None and exc.response.status_code == 429:
                    until = time.monotonic() + retry_after_of(exc.response.headers)
                    watch.held[channel] = max(until, watch.held.get(channel, 0.0))
                raise

        with patch.object(AsyncWebClient, "api_call", watched):
            yield


def verdict(fake: StormFakeSlack) -> tuple[int, float]:
    """(calls Slack saw inside a hold: sent before the app could know, or late; the shortest wait after a 429)"""
    return len(fake.early), min(fake.waited, default=float("nan"))


async def due_reminders_in_a_storm(database_url: str, count: int, seed: int) -> dict[str, float]:
    clock = Clock(START)
    fake = storm_fake(seed)
    try:
        async with running_liaison(database_url, clock=clock, fake=fake) as app:
            await app.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:en')
            titles = [f"Reminder-{n:03d}" for n in range(count)]
            for title in titles:
                await app.command("/sync", f'daily 18:00 "{title}"')
            async with app.session() as session:
                ids = [s.id for s in (await session.exec(select(Schedule))).all()]
            fake.storm("chat.postMessage", probability=SHARE, retry_after=RETRY_AFTER, seed=seed)
            clock.now = DUE
            started = time.monotonic()
            watch = Watch()
            with watch.watching():  # all due at once, as APScheduler fires them
                await asyncio.gather(*(app.svc.runner.run(i) for i in ids))
            elapsed = time.monotonic() - started
            fake.storm("chat.postMessage", probability=0)
            seen = _tagged_titles(app, titles)
            inside_hold, shortest = verdict(fake)
            figures = {
                "due": count,
                "posted": sum(1 for t in titles if seen[t] >= 1),
                "duplicated": sum(seen[t] - 1 for t in titles if seen[t] > 1),
                "lost": sum(1 for t in titles if seen[t] == 0),
                "answered_429": fake.storm_429s,
                "attempts": watch.attempts,
                "early_after_429": watch.early,
                "seen_inside_hold": inside_hold,
                "shortest_wait_s": round(shortest, 3),
                "seconds": round(elapsed, 1),
            }
    finally:
        fake.stop()
    _print("due reminders, run concurrently", figures)
    return figures


def _tagged_titles(app: Liaison, titles: list[str]) -> Counter[str]:
    seen: Counter[str] = Counter()
    for message in app.fake.messages(INTERNAL_CHANNEL):
        meta = message.get("metadata") or {}
        if meta.get("event_type") != EVENT_TYPE:
            continue
        for title in set(re.findall(r"Reminder-\d{3}", reply_text(message))) & set(titles):
            seen[title] += 1
    return seen


async def concurrent_posts_in_a_storm(database_url: str, per_channel: int, seed: int) -> dict[str, float]:
    fake = storm_fake(seed)
    try:
        async with running_liaison(database_url, fake=fake) as app:
            client = app.runtime.app.client  # the one every listener's and job's client shares limits with
            fake.storm("chat.postMessage", probability=SHARE, retry_after=RETRY_AFTER, seed=seed)
            started = time.monotonic()
            texts = [f"{channel}-post-{n:03d}" for channel in CHANNELS for n in range(per_channel)]
            watch = Watch()
            with watch.watching():
                results = await asyncio.gather(
                    *(client.chat_postMessage(channel=t.split("-")[0], text=t) for t in texts),
                    return_exceptions=True,
                )
            elapsed = time.monotonic() - started
            fake.storm("chat.postMessage", probability=0)
            landed = Counter(m.get("text") for channel in CHANNELS for m in fake.messages(channel))
            inside_hold, shortest = verdict(fake)
            figures = {
                "sent": len(texts),
                "posted": sum(1 for t in texts if landed[t] >= 1),
                "duplicated": sum(landed[t] - 1 for t in texts if landed[t] > 1),
                "failed": sum(1 for r in results if isinstance(r, BaseException)),
                "answered_429": fake.storm_429s,
                "attempts": watch.attempts,
                "early_after_429": watch.early,
                "seen_inside_hold": inside_hold,
                "shortest_wait_s": round(shortest, 3),
                "seconds": round(elapsed, 1),
            }
    finally:
        fake.stop()
    _print(f"concurrent posts to {len(CHANNELS)} channels", figures)
    return figures


def _print(scenario: str, figures: dict[str, float]) -> None:
    shown = " ".join(f"{k}={v}" for k, v in figures.items())
    print(f"\n[chaos] 429 storm ({SHARE:.0%} answered 429, Retry-After {RETRY_AFTER}), {scenario}: {shown}")


def _holds(figures: dict[str, float], total: str) -> None:
    assert figures["posted"] == figures[total] and figures["duplicated"] == 0
    assert figures["early_after_429"] == 0
    assert figures["answered_429"] == 0 or figures["shortest_wait_s"] >= RETRY_AFTER


async def test_due_reminders_in_a_429_storm_arrive_once_and_respect_retry_after(database_url: str) -> None:
    _holds(await due_reminders_in_a_storm(database_url, count=12, seed=1), "due")


async def test_concurrent_posts_in_a_429_storm_arrive_once_and_respect_retry_after(database_url: str) -> None:
    figures = await concurrent_posts_in_a_storm(database_url, per_channel=8, seed=2)
    _holds(figures, "sent")
    assert figures["failed"] == 0


LONG = int(os.environ.get("LIAISON_CHAOS_SCALE", "1"))


@pytest.mark.chaos
async def test_long_429_storm(database_url: str) -> None:
    """The longer version: 60 reminders and 3 × 40 concurrent posts (× LIAISON_CHAOS_SCALE), three seeds."""
    for seed in (11, 12, 13):
        _holds(await due_reminders_in_a_storm(database_url, count=60 * LONG, seed=seed), "due")
        _holds(await concurrent_posts_in_a_storm(database_url, per_channel=40 * LONG, seed=seed), "sent")
        await _fresh(database_url)


async def _fresh(database_url: str) -> None:
    """The next round starts from an empty database."""
    if database_url.startswith("sqlite"):
        from pathlib import Path

        Path(database_url.split("///", 1)[1]).unlink(missing_ok=True)
    else:
        from tests.harness.app import reset_postgres

        await reset_postgres(database_url)


# ---- the limiter's own rules, in virtual time -----------------------------------------------------------


async def test_after_a_429_a_burst_to_that_channel_goes_one_answer_at_a_time() -> None:
    """Released together at the deadline, a burst would meet the next 429 together: after a 429 the calls to
    that channel go one at a time, each once the previous one was answered; other channels are not slowed."""
    time_ = VirtualTime()
    with FakeSlack() as fake:
        for channel in ("C1", "C2"):
            fake.add_channel(channel, name=channel.lower())
        limits = RateLimits(max_retries=3, clock=time_.clock, sleep=time_.sleep)
        client = QuietWebClient(token="xoxb-test-token", base_url=fake.base_url, retry_handlers=[limits])
        fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=1)
        await client.chat_postMessage(channel="C1", text="first")  # 429, waited out, landed
        key = RateLimits.key("chat.postMessage", {"channel": "C1"}, token="xoxb-test-token")
        in_flight: list[int] = []
        most = 0
        real = AsyncWebClient.api_call

        async def counting(self: Any, method: str, **kw: Any) -> Any:
            nonlocal most
            in_flight.append(1)
            most = max(most, len(in_flight))
            try:
                await asyncio.sleep(0.01)
                return await real(self, method, **kw)
            finally:
                in_flight.pop()

        limits.hold(key, 1)  # Slack said so again
        with patch.object(AsyncWebClient, "api_call", counting):
            await asyncio.gather(
                *(client.chat_postMessage(channel="C1", text=f"burst {n}") for n in range(5))
            )
        texts = [c.args["text"] for c in fake.calls_to("chat.postMessage", include_errors=True)]
        print(
            f"\n[chaos] limiter: a burst of 5 after a 429 → at most {most} in flight to the channel at once"
        )
        assert most == 1 and sorted(texts) == sorted(["first", "first", *[f"burst {n}" for n in range(5)]])
        assert limits.waiting(key) == 0 and key not in limits._recovering  # back to normal once drained


async def test_a_storm_of_short_retry_afters_is_waited_out_and_long_ones_retried_three_times() -> None:
    time_ = VirtualTime()
    with FakeSlack() as fake:
        fake.add_channel("C1", name="c1")
        limits = RateLimits(max_retries=3, max_wait=30, clock=time_.clock, sleep=time_.sleep)
        client = QuietWebClient(token="xoxb-test-token", base_url=fake.base_url, retry_handlers=[limits])
        fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=1, times=10)
        await client.chat_postMessage(channel="C1", text="after ten 429s")
        assert time_.sleeps == [1.0] * 10
        fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=60, times=4)
        with pytest.raises(SlackApiError):
            await client.chat_postMessage(channel="C1", text="never")
        assert time_.sleeps[10:] == [60.0] * 3
