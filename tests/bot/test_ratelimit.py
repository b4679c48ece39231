"""Rate limits as Slack means them (issue 15): a 429's Retry-After holds for every later call of that method to
that channel (chat.postMessage: Slack limits posting per channel, https://api.slack.com/methods/chat.postMessage
#rate_limiting) or, for other methods, to that workspace; other channels and methods go on. Time is virtual:
the limiter's clock and sleep are the test's, nothing waits for real."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import pytest
from slack_sdk.errors import SlackApiError

from bot.posting import QuietWebClient
from bot.ratelimit import Pace, Rate, RateLimits, retry_after_of, scheduled
from tests.harness.fake_slack import FakeSlack


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        for channel in ("C1", "C2"):
            fake.add_channel(channel, name=channel.lower())
        fake.add_user("U1", team_id="T0HOME")
        fake.add_user("U2", team_id="T0HOME")
        yield fake


def client_for(
    fake: FakeSlack, time: VirtualTime, *, max_retries: int = 3
) -> tuple[QuietWebClient, RateLimits]:
    limits = RateLimits(max_retries=max_retries, clock=time.clock, sleep=time.sleep)
    return QuietWebClient(token="xoxb-test-token", base_url=fake.base_url, retry_handlers=[limits]), limits


def posts(fake: FakeSlack, channel: str) -> list[str]:
    return [
        f"{c.status}:{c.args.get('text')}"
        for c in fake.calls_to("chat.postMessage", include_errors=True)
        if c.args.get("channel") == channel
    ]


async def test_a_429_is_retried_after_its_retry_after_and_lands_once(fake: FakeSlack) -> None:
    time = VirtualTime()
    client, _ = client_for(fake, time)
    fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=30)
    await client.chat_postMessage(channel="C1", text="one")
    assert posts(fake, "C1") == ["429:one", "200:one"]
    assert time.sleeps == [30]


async def test_the_retry_after_holds_for_every_later_post_to_that_channel_only(fake: FakeSlack) -> None:
    time = VirtualTime()
    client, limits = client_for(fake, time, max_retries=0)
    fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=30)
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C1", text="refused")
    time.now += 10
    await client.chat_postMessage(channel="C2", text="other channel")  # not held
    await client.conversations_info(channel="C1")  # another method: not held
    assert time.sleeps == []
    seen_when_waiting: list[list[str]] = []

    async def sleep(seconds: float) -> None:
        seen_when_waiting.append(posts(fake, "C1"))
        await time.sleep(seconds)

    limits.sleep = sleep
    await client.chat_postMessage(channel="C1", text="later")
    assert time.sleeps == [20]  # the 30 s announced, 10 of them already gone
    assert seen_when_waiting == [["429:refused"]]  # nothing reached C1 before the deadline
    assert posts(fake, "C1") == ["429:refused", "200:later"]
    assert time.now >= 30


async def test_concurrent_posts_to_a_limited_channel_all_wait_for_the_deadline(fake: FakeSlack) -> None:
    """Several tasks posting to a held channel all wait (none slips through early); another channel doesn't."""
    time = VirtualTime()
    client, limits = client_for(fake, time, max_retries=0)
    fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=5)
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C1", text="first")
    deadline_passed = asyncio.Event()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await deadline_passed.wait()

    limits.sleep = sleep
    burst = [asyncio.create_task(client.chat_postMessage(channel="C1", text=f"burst {n}")) for n in range(3)]
    await client.chat_postMessage(channel="C2", text="elsewhere")  # goes at once
    await asyncio.sleep(0.05)
    assert posts(fake, "C1") == ["429:first"] and posts(fake, "C2") == ["200:elsewhere"]
    assert waits == [5, 5, 5]
    time.now += 5
    deadline_passed.set()
    await asyncio.gather(*burst)
    assert sorted(posts(fake, "C1")) == ["200:burst 0", "200:burst 1", "200:burst 2", "429:first"]


async def test_other_methods_are_held_workspace_wide(fake: FakeSlack) -> None:
    time = VirtualTime()
    client, _ = client_for(fake, time, max_retries=0)
    fake.fail_next("users.info", "ratelimited", status=429, retry_after=20)
    with pytest.raises(SlackApiError):
        await client.users_info(user="U1")
    await client.users_info(user="U2")  # another person, same method and workspace: waits
    assert time.sleeps == [20]
    held = RateLimits.key("users.info", {"user": "U2"}, token="xoxb-test-token")
    elsewhere = RateLimits.key("users.info", {"user": "U2"}, token="xoxb-other-workspace")
    limits = RateLimits.of(client)
    assert held != elsewhere and limits is not None
    limits.hold(held, 60)
    assert limits.waiting(elsewhere) == 0  # another workspace's token: not held


def test_retry_after_is_read_whatever_the_header_case() -> None:
    assert retry_after_of({"retry-after": ["7"]}) == 7.0
    assert retry_after_of({"Retry-After": "2"}) == 2.0
    assert retry_after_of({}) == 1.0
    assert retry_after_of({"Retry-After": "soon"}) == 1.0


async def test_the_workspace_pace_spreads_calls_and_a_persons_call_goes_before_scheduled_ones() -> None:
    time = VirtualTime()
    pace = Pace(Rate(per_minute=60, burst=2), clock=time.clock, sleep=time.sleep)
    granted: list[str] = []

    async def take(name: str, *, background: bool) -> None:
        with scheduled() if background else contextlib.nullcontext():
            await pace.take()
        granted.append(name)

    digests = [asyncio.create_task(take(f"digest-{i}", background=True)) for i in range(4)]
    await asyncio.sleep(0)  # the burst goes at once, the rest queue
    person = asyncio.create_task(take("person", background=False))
    await asyncio.gather(*digests, person)
    assert granted == ["digest-0", "digest-1", "person", "digest-2", "digest-3"]
    assert time.sleeps == [1.0, 1.0, 1.0]  # one a second once the burst is spent


async def test_posts_over_the_workspace_pace_wait_for_it_instead_of_meeting_a_429(fake: FakeSlack) -> None:
    time = VirtualTime()
    limits = RateLimits(
        clock=time.clock, sleep=time.sleep, pace={"chat.postMessage": Rate(per_minute=60, burst=1)}
    )
    client = QuietWebClient(token="xoxb-test-token", base_url=fake.base_url, retry_handlers=[limits])
    with scheduled():
        await asyncio.gather(*(client.chat_postMessage(channel=c, text=c) for c in ("C1", "C2", "C1")))
    await client.conversations_info(channel="C1")  # not a paced method
    assert [c.status for c in fake.calls_to("chat.postMessage", include_errors=True)] == [200, 200, 200]
    assert time.sleeps == [1.0, 1.0]  # one a second, across channels: the workspace's pace
