"""One rate limiter in OAuth mode (issue 15): the app's client (which Bolt copies for every request) and the
scheduled-post client share it, so a 429's Retry-After for a channel holds for whichever of them posts there
next. Time is virtual: the shared limiter's clock and sleep are the test's, nothing waits for real."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.install import _WORKSPACE
from bot.posting import quiet
from bot.ratelimit import RateLimits
from tests.harness.app import HOME_TEAM, INTERNAL_CHANNEL, PLAIN_CHANNEL, Liaison
from tests.install.conftest import install

RETRY_AFTER = 30

Post = Callable[[str, str], Awaitable[object]]


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


def _posts(app: Liaison, channel: str) -> list[str]:
    return [
        f"{c.status}:{c.args.get('text')}"
        for c in app.fake.calls_to("chat.postMessage", include_errors=True)
        if c.args.get("channel") == channel
    ]


def _poster(app: Liaison, which: str, token: str) -> Post:
    installs = app.runtime.installs
    assert installs is not None
    if which == "app":  # a request's client, as Bolt builds it from the app's client (AsyncApp._init_context)
        base = installs.client
        handlers = base.retry_handlers.copy() if base.retry_handlers is not None else None
        per_request = quiet(AsyncWebClient(token=token, base_url=base.base_url, retry_handlers=handlers))

        async def by_app(channel: str, text: str) -> object:
            return await per_request.chat_postMessage(channel=channel, text=text)

        return by_app

    async def by_job(channel: str, text: str) -> object:  # as a scheduled post: the project's workspace named
        reset = _WORKSPACE.set(HOME_TEAM)
        try:
            return await installs.job_client.chat_postMessage(channel=channel, text=text)
        finally:
            _WORKSPACE.reset(reset)

    return by_job


@pytest.mark.parametrize(("first", "second"), [("job", "app"), ("app", "job")])
async def test_a_429_from_one_client_holds_the_other_clients_post_to_that_channel(
    oauth_app: Liaison, first: str, second: str
) -> None:
    installs = oauth_app.runtime.installs
    assert installs is not None
    clients: list[AsyncWebClient] = [installs.client, installs.job_client]
    limits = RateLimits.of(installs.client)
    assert limits is not None and all(RateLimits.of(c) is limits for c in clients)
    time = VirtualTime()
    limits.clock, limits.sleep = time.clock, time.sleep
    limits.max_retries, limits.max_wait = 0, 0.0  # the first post's 429 reaches its caller: nothing waits yet
    token = await install(oauth_app, HOME_TEAM)

    oauth_app.fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=RETRY_AFTER)
    with pytest.raises(SlackApiError):
        await _poster(oauth_app, first, token)(INTERNAL_CHANNEL, "refused")
    assert time.sleeps == []

    time.now += 10
    await _poster(oauth_app, second, token)(PLAIN_CHANNEL, "other channel")  # another channel: not held
    assert time.sleeps == []
    await _poster(oauth_app, second, token)(INTERNAL_CHANNEL, "held")
    assert time.sleeps == [RETRY_AFTER - 10]  # waited out the rest of the other client's Retry-After
    assert _posts(oauth_app, INTERNAL_CHANNEL) == ["429:refused", "200:held"]
    assert _posts(oauth_app, PLAIN_CHANNEL) == ["200:other channel"]
