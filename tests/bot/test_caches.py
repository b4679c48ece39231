"""Every in-process cache forgets (issue 15): a size bound (least recently used out first) and an age bound,
so a long-running process stays flat and a renamed or newly shared channel is seen again."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.cache import BoundedTTLCache
from bot.channels import MAX_CHANNELS, ChannelInspector
from bot.users import MAX_USERS, UserDirectory
from tests.harness.fake_slack import FakeSlack


class Ticks:
    """A monotonic clock moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_cache_evicts_the_least_recently_used_past_its_size() -> None:
    cache: BoundedTTLCache[int, str] = BoundedTTLCache(maxsize=3, ttl=60, clock=Ticks())
    for n in range(3):
        cache.put(n, f"v{n}")
    assert cache.get(0) == "v0"  # 0 is now the most recently used
    cache.put(3, "v3")
    assert (len(cache), 1 in cache, cache.get(0), cache.get(2), cache.get(3)) == (3, False, "v0", "v2", "v3")
    for n in range(100):
        cache.put(100 + n, "x")
    assert len(cache) == 3


def test_the_cache_forgets_after_its_ttl() -> None:
    ticks = Ticks()
    cache: BoundedTTLCache[str, int] = BoundedTTLCache(maxsize=10, ttl=60, clock=ticks)
    cache.put("a", 1)
    ticks.now += 59.9
    assert cache.get("a") == 1
    ticks.now += 0.1
    assert cache.get("a") is None and len(cache) == 0


async def test_the_user_directory_is_bounded_and_sees_a_change_after_its_ttl() -> None:
    ticks = Ticks()
    with FakeSlack() as fake:
        for n in range(12):
            fake.add_user(f"U{n}", team_id="T0HOME", tz="Asia/Shanghai")
        client = AsyncWebClient(token="xoxb-test-token", base_url=fake.base_url)
        users = UserDirectory(ttl_seconds=600, maxsize=5, clock=ticks)
        for n in range(12):
            assert await users.team_of(client, f"U{n}") == "T0HOME"
        assert len(users) == 5
        assert len(fake.calls_to("users.info")) == 12
        await users.get(client, "U11")  # still cached
        assert len(fake.calls_to("users.info")) == 12
        await users.get(client, "U0")  # evicted: asked again
        assert len(fake.calls_to("users.info")) == 13
        fake.add_user("U11", team_id="T0ACME", tz="America/New_York")  # moved organisation
        assert await users.team_of(client, "U11") == "T0HOME"  # cached
        ticks.now += 600
        assert await users.team_of(client, "U11") == "T0ACME"
    assert MAX_USERS <= 10_000


async def test_the_channel_inspector_is_bounded_and_sees_a_channel_become_shared() -> None:
    ticks = Ticks()
    with FakeSlack() as fake:
        for n in range(12):
            fake.add_channel(f"C{n}", name=f"chan-{n}")
        client = AsyncWebClient(token="xoxb-test-token", base_url=fake.base_url)
        channels = ChannelInspector(ttl_seconds=300, maxsize=4, clock=ticks)
        for n in range(12):
            assert (await channels.facts(client, f"C{n}")).shared is False
        assert len(channels) == 4
        fake.add_channel("C11", name="renamed", is_shared=True, is_ext_shared=True)
        facts = await channels.facts(client, "C11")
        assert (facts.shared, facts.name) == (False, "chan-11")  # within the TTL: the cached answer
        ticks.now += 300
        facts = await channels.facts(client, "C11")
        assert (facts.shared, facts.name) == (True, "renamed")
    assert MAX_CHANNELS <= 10_000
