"""Whether a channel is shared with another organisation, asked of Slack and cached briefly. Fails closed."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelFacts:
    channel_id: str
    shared: bool  # True when shared with another organisation OR when Slack could not tell us
    known: bool  # False when the answer is the fail-closed default
    name: str | None = None


class ChannelInspector:
    """Answers `conversations.info` questions with a short TTL so busy channels don't cost a call each."""

    def __init__(self, ttl_seconds: float = 300.0) -> None:
        self.ttl = ttl_seconds
        self._cache: dict[str, tuple[float, ChannelFacts]] = {}

    def forget(self, channel_id: str) -> None:
        self._cache.pop(channel_id, None)

    async def facts(self, client: AsyncWebClient, channel_id: str, *, fresh: bool = False) -> ChannelFacts:
        now = time.monotonic()
        cached = self._cache.get(channel_id)
        if cached and not fresh and now - cached[0] < self.ttl:
            return cached[1]
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
        self._cache[channel_id] = (now, facts)
        return facts
