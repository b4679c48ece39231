"""Whether a channel is shared with another organisation, asked of Slack and cached briefly. Fails closed.

The cache is bounded in size and age (bot/cache.py): a channel that becomes shared, or is renamed, is seen
within `ttl_seconds` even when nobody calls `forget`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.cache import BoundedTTLCache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelFacts:
    channel_id: str
    shared: bool  # True when shared with another organisation OR when Slack could not tell us
    known: bool  # False when the answer is the fail-closed default
    name: str | None = None


MAX_CHANNELS = 2_000  # a few hundred bytes each


class ChannelInspector:
    """Answers `conversations.info` questions with a short TTL so busy channels don't cost a call each."""

    def __init__(
        self,
        ttl_seconds: float = 300.0,
        *,
        maxsize: int = MAX_CHANNELS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl_seconds
        self._cache: BoundedTTLCache[str, ChannelFacts] = BoundedTTLCache(
            maxsize=maxsize, ttl=ttl_seconds, clock=clock
        )

    def __len__(self) -> int:
        return len(self._cache)

    def forget(self, channel_id: str) -> None:
        self._cache.pop(channel_id)

    async def facts(self, client: AsyncWebClient, channel_id: str, *, fresh: bool = False) -> ChannelFacts:
        cached = None if fresh else self._cache.get(channel_id)
        if cached is not None:
            return cached
        try:
            response = await client.conversations_info(channel=channel_id)
            channel = response.get("channel") or {}
            facts = ChannelFacts(
                channel_id=channel_id,
                shared=bool(channel.get("is_ext_shared") or channel.get("is_pending_ext_shared")),
                known=True,
                name=channel.get("name"),
            )
        except (SlackApiError, OSError, TimeoutError) as exc:
            log.warning("conversations.info failed for %s (%s); treating it as shared", channel_id, exc)
            return ChannelFacts(channel_id=channel_id, shared=True, known=False)
        self._cache.put(channel_id, facts)
        return facts
