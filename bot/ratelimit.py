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
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
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
    ) -> None:
        """A call is retried `max_retries` times after a 429, and beyond that for as long as the Retry-Afters
        it waited out add up to less than `max_wait` seconds (a storm of short ones is waited out)."""
        super().__init__(max_retry_count=0)
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.clock = clock
        self.sleep = sleep
        self._until: dict[Key, float] = {}
        self._recovering: dict[Key, _Recovery] = {}

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

    @asynccontextmanager
    async def turn(self, key: Key) -> AsyncIterator[None]:
        """The call to `key` may go once its Retry-After passed. After a 429 its calls then go one at a time,
        each after the previous one's answer, until none is waiting: a burst released together at the
        deadline would otherwise walk into the next 429 together (and spend its retries on it)."""
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
