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
from collections.abc import Awaitable, Callable, Mapping
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


class RateLimits(AsyncRateLimitErrorRetryHandler):
    """Deadlines announced by Slack's 429s, by (workspace, method[, channel]); waits them out before a call."""

    def __init__(
        self,
        *,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        super().__init__(max_retry_count=0)
        self.max_retries = max_retries
        self.clock = clock
        self.sleep = sleep
        self._until: dict[Key, float] = {}

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
        if len(self._until) > MAX_KEYS:
            now = self.clock()
            for old in [k for k, until in self._until.items() if until <= now]:
                del self._until[old]

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
