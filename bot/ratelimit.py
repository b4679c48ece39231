"""Slack's rate limits as Slack means them (issue 15): a 429's Retry-After holds for every later call of that
method to that channel (chat.postMessage, chat.postEphemeral: Slack limits posting per channel) or, for every
other method, to that workspace, from whichever task or client makes it. One RateLimits object per app, shared
by every Web API client it builds, instead of each call sleeping on its own and the next one walking into the
same limit.

It rides in the clients' `retry_handlers` (never retrying by itself) because that list is the one thing Bolt
copies into the client it builds for each request; bot.posting.QuietWebClient does the waiting and the retries,
where the channel is known (slack_sdk's retry handlers see the URL but not a JSON body). It is a kind of
slack_sdk's rate-limit handler, which it replaces: code that takes that handler out of a client (to let the
schedule engine do its own backoff) takes this one out too, and 429s then reach the caller.

Slack also limits posting per workspace, across channels. A 429 found there costs its Retry-After for every
post queued behind it, so `Pace` spends that budget ahead of Slack (`WORKSPACE_PACE`): a fan-out of digests
goes at the pace Slack allows and never meets the limit, and a person's post waiting for a token goes before
every scheduled one (`scheduled()`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

# Slack: "chat.postMessage has special rate limiting conditions … one message per second per channel"
# (https://api.slack.com/methods/chat.postMessage#rate_limiting); other methods are limited per method and
# workspace by tier.
PER_CHANNEL = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage"})
MAX_KEYS = 10_000

Key = tuple[str, ...]


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: int


# Calls per minute paced per workspace, ahead of Slack. Slack publishes no workspace-wide figure for posting
# ("several hundred messages a minute"); bench/fanout's fake enforces 1,200/min (the least that fits 1,000
# digests in a minute) and file uploads at Tier 4's 100/min. Paced at 95% of those, with smaller bursts: posts
# sent evenly may still reach Slack bunched.
WORKSPACE_PACE: Mapping[str, Rate] = {
    "chat.postMessage": Rate(per_minute=1140, burst=10),
    "files.getUploadURLExternal": Rate(per_minute=95, burst=5),
    "files.completeUploadExternal": Rate(per_minute=95, burst=5),
}

_scheduled: ContextVar[bool] = ContextVar("liaison_scheduled_post", default=False)


@contextlib.contextmanager
def scheduled() -> Iterator[None]:
    """Calls made inside are scheduled work (digests, reminders): paced after any person's call waiting."""
    token = _scheduled.set(True)
    try:
        yield
    finally:
        _scheduled.reset(token)


class Pace:
    """A token bucket with a queue: each call waits for a token, people's calls before scheduled ones, then
    in order of arrival. One task hands the tokens out as they refill, so no waiter polls."""

    def __init__(
        self, rate: Rate, *, clock: Callable[[], float], sleep: Callable[[float], Awaitable[Any]]
    ) -> None:
        self.per_second = rate.per_minute / 60
        self.burst = rate.burst
        self.clock, self.sleep = clock, sleep
        self.tokens = float(rate.burst)
        self.stamp = clock()
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._giver: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        return sum(1 for *_rest, future in self._queue if not future.done())

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(float(self.burst), self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now

    async def take(self) -> None:
        self._refill()
        if not self._queue and self.tokens >= 1:
            self.tokens -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (1 if _scheduled.get() else 0, next(self._order), future))
        if self._giver is None or self._giver.done():
            self._giver = asyncio.create_task(self._give())
        await future  # cancelled: the giver skips it

    async def _give(self) -> None:
        while self._queue:
            if self._queue[0][2].done():
                heapq.heappop(self._queue)
                continue
            self._refill()
            if self.tokens < 1:
                await self.sleep((1 - self.tokens) / self.per_second)
                continue
            *_rest, future = heapq.heappop(self._queue)
            if not future.done():
                self.tokens -= 1
                future.set_result(None)


def retry_after_of(headers: Mapping[str, Any] | None, default: float = 1.0) -> float:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            first = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(first))
            except (TypeError, ValueError):
                return default
    return default


@dataclass
class _Recovery:
    """A key Slack answered 429 for: its calls go one at a time until none is waiting."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    queued: int = 0


class RateLimits(AsyncRateLimitErrorRetryHandler):
    """Deadlines announced by Slack's 429s, by (workspace, method[, channel]); waits them out before a call."""

    def __init__(
        self,
        *,
        max_retries: int = 3,
        max_wait: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        pace: Mapping[str, Rate] = WORKSPACE_PACE,
    ) -> None:
        """A call is retried `max_retries` times after a 429, and beyond that for as long as the Retry-Afters
        it waited out add up to less than `max_wait` seconds (a storm of short ones is waited out). The
        methods in `pace` go at most at their rate per workspace."""
        super().__init__(max_retry_count=0)
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.clock = clock
        self.sleep = sleep
        self.pace = dict(pace)
        self._until: dict[Key, float] = {}
        self._recovering: dict[Key, _Recovery] = {}
        self._paces: dict[Key, Pace] = {}

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return False  # the waiting and retrying happen in QuietWebClient.api_call, which knows the channel

    @staticmethod
    def of(client: AsyncWebClient) -> RateLimits | None:
        return next((h for h in client.retry_handlers or () if isinstance(h, RateLimits)), None)

    @staticmethod
    def key(api_method: str, args: Mapping[str, Any] | None, *, token: str | None) -> Key:
        workspace = hashlib.sha256((token or "").encode()).hexdigest()[:16]
        channel = str((args or {}).get("channel") or "")
        if api_method in PER_CHANNEL and channel:
            return (workspace, api_method, channel)
        return (workspace, api_method)

    def hold(self, key: Key, seconds: float) -> None:
        """Slack said: nothing more for `key` during `seconds`."""
        deadline = self.clock() + seconds
        self._until[key] = max(deadline, self._until.get(key, 0.0))
        self._recovering.setdefault(key, _Recovery())
        if len(self._until) > MAX_KEYS:
            now = self.clock()
            for old in [k for k, until in self._until.items() if until <= now]:
                del self._until[old]
                recovery = self._recovering.get(old)
                if recovery is not None and recovery.queued == 0:
                    del self._recovering[old]

    def gives_up(self, attempt: int, waited: float) -> bool:
        """After `attempt` retries that waited `waited` seconds in all: let the 429 reach the caller?"""
        return attempt >= self.max_retries and waited >= self.max_wait

    def waiting(self, key: Key) -> float:
        """Seconds until `key` may be called again (0 when it may now)."""
        until = self._until.get(key)
        if until is None:
            return 0.0
        left = until - self.clock()
        if left <= 0:
            self._until.pop(key, None)
            return 0.0
        return left

    async def wait(self, key: Key) -> None:
        """Return once no Retry-After holds `key` (another 429 meanwhile extends the wait)."""
        while (left := self.waiting(key)) > 0:
            await self.sleep(left)

    async def _paced(self, key: Key) -> None:
        rate = self.pace.get(key[1]) if len(key) > 1 else None
        if rate is None:
            return
        workspace = key[:2]
        pace = self._paces.get(workspace)
        if pace is None:
            if len(self._paces) > MAX_KEYS:  # workspaces gone quiet start again with a full bucket
                self._paces = {k: p for k, p in self._paces.items() if p.waiting}
            pace = self._paces[workspace] = Pace(rate, clock=self.clock, sleep=self.sleep)
        await pace.take()

    @asynccontextmanager
    async def turn(self, key: Key) -> AsyncIterator[None]:
        """The call to `key` may go once its Retry-After passed. After a 429 its calls then go one at a time,
        each after the previous one's answer, until none is waiting: a burst released together at the
        deadline would otherwise walk into the next 429 together (and spend its retries on it). A paced method
        first waits for its workspace's token."""
        await self._paced(key)
        await self.wait(key)
        recovery = self._recovering.get(key)
        if recovery is None:
            yield
            return
        recovery.queued += 1
        try:
            async with recovery.lock:
                await self.wait(key)  # a 429 answered to the call before this one holds it again
                yield
        finally:
            recovery.queued -= 1
            if recovery.queued == 0 and self.waiting(key) == 0 and self._recovering.get(key) is recovery:
                del self._recovering[key]
