"""Who a Slack user is (their organisation, time zone, locale), asked of Slack and cached briefly.

One place for users.info: owners' organisations, check-in prompts in each person's language and zone, and
App Home all need it, often for the same people within minutes. A failed look-up answers None (and is not
cached): callers treat the person as unknown, which the access policy treats as external. The cache is bounded
in size and age (bot/cache.py): a person who moves organisation or zone is seen again within `ttl_seconds`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.cache import BoundedTTLCache

log = logging.getLogger(__name__)


MAX_USERS = 2_000  # a users.info answer is a few KB: a few MB at most, and more people than most teams meet


class UserDirectory:
    def __init__(
        self,
        ttl_seconds: float = 600.0,
        *,
        maxsize: int = MAX_USERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl_seconds
        self._cache: BoundedTTLCache[str, dict[str, Any]] = BoundedTTLCache(
            maxsize=maxsize, ttl=ttl_seconds, clock=clock
        )

    def __len__(self) -> int:
        return len(self._cache)

    async def get(self, client: AsyncWebClient, user_id: str) -> dict[str, Any] | None:
        """The users.info `user` object (with locale), or None when Slack can't say."""
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        try:
            response = await client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, OSError, TimeoutError) as exc:
            log.warning("users.info failed for %s (%s)", user_id, exc)
            return None
        user = response.get("user")
        if not isinstance(user, dict):
            return None
        self._cache.put(user_id, user)
        return user

    async def many(self, client: AsyncWebClient, user_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Several people at once; those Slack can't say are left out."""
        wanted = list(dict.fromkeys(u for u in user_ids if u))
        found = await asyncio.gather(*(self.get(client, u) for u in wanted))
        return {u: info for u, info in zip(wanted, found, strict=True) if info is not None}

    async def team_of(self, client: AsyncWebClient, user_id: str | None) -> str | None:
        """A person's organisation (Slack team id), or None if unknown."""
        if not user_id:
            return None
        user = await self.get(client, user_id)
        team = (user or {}).get("team_id")
        return str(team) if team else None
