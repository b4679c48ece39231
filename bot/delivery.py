"""Exactly once when Slack's answer is lost (issue 15): every scheduled post goes through `post_once`.

A post carries its occurrence in Slack's message metadata (`event_type` "liaison_occurrence"). When a post may
have landed without our knowing (the connection dropped or timed out after Slack took it, a 5xx, or an
attempt by a replica that died), the channel's recent history is read (`conversations.history` with
`include_all_metadata`; for a reply in a thread, the thread's `conversations.replies`, since history leaves
replies out) and the post is made only if it is not there; if it is, its ts is the answer.

slack_sdk's own connection-error and server-error retries would re-post blindly; inside `post_once` they are
off (`PostOnceConnectionRetry` / `PostOnceServerErrorRetry` replace slack_sdk's handlers in every client
bot.app builds), and 429s are still waited out by bot.posting.QuietWebClient (nothing was posted then).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import schedules as engine

log = logging.getLogger(__name__)

EVENT_TYPE: Final = "liaison_occurrence"
# Slack's ts is Slack's clock, the claim time is ours: look a little further back than the claim.
MARGIN: Final = timedelta(minutes=5)
PAGE: Final = 50  # messages per conversations.history page
MAX_PAGES: Final = 4  # a channel busier than 200 messages since the claim is looked at no further
ATTEMPTS: Final = 3  # posts tried within one post_once when the answer is lost (each after a look)

AMBIGUOUS: Final = (aiohttp.ClientError, TimeoutError, OSError)  # the post may or may not have landed

_posting_once: ContextVar[bool] = ContextVar("liaison_posting_once", default=False)


@contextlib.contextmanager
def _no_blind_retries() -> Iterator[None]:
    token = _posting_once.set(True)
    try:
        yield
    finally:
        _posting_once.reset(token)


class PostOnceConnectionRetry(AsyncConnectionErrorRetryHandler):
    """slack_sdk's connection-error retry, except inside post_once (which looks before it posts again)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _posting_once.get():
            return False
        return bool(
            await super()._can_retry_async(state=state, request=request, response=response, error=error)
        )


class PostOnceServerErrorRetry(AsyncServerErrorRetryHandler):
    """slack_sdk's 5xx retry, except inside post_once (a 5xx after Slack stored the message is ambiguous)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _posting_once.get():
            return False
        return bool(
            await super()._can_retry_async(state=state, request=request, response=response, error=error)
        )


def metadata_for(key: str) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"occurrence": key}}


def _ambiguous(exc: Exception) -> bool:
    if isinstance(exc, SlackApiError):
        return bool(exc.response.status_code >= 500)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return False  # never connected: nothing was sent, so the engine's plain retry is safe
    return isinstance(exc, AMBIGUOUS)


async def find_posted(
    client: AsyncWebClient, *, channel: str, key: str, since: datetime, thread_ts: str | None = None
) -> str | None:
    """The ts of the message tagged `key` in `channel` (in the thread of `thread_ts`, if given) since `since`
    (less MARGIN), if there is one."""
    oldest = f"{(since - MARGIN).timestamp():.6f}"
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        args: dict[str, Any] = {
            "channel": channel,
            "oldest": oldest,
            "limit": PAGE,
            "include_all_metadata": True,
        }
        if cursor:
            args["cursor"] = cursor
        with _no_blind_retries():
            if thread_ts:
                page = await client.conversations_replies(ts=thread_ts, **args)
            else:
                page = await client.conversations_history(**args)
        for message in page.get("messages") or []:
            meta = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == EVENT_TYPE and str(payload.get("occurrence")) == key:
                return str(message.get("ts"))
        cursor = ((page.get("response_metadata") or {}).get("next_cursor")) or None
        if not page.get("has_more") or not cursor:
            return None
    return None


@dataclass(frozen=True)
class Once:
    """A post that must go out once, outside the schedule engine (a follow-up with its own claim row):
    `key` names it in the message metadata, `since` is when it was claimed (Slack's clock: the wall clock);
    `reconcile` looks in the history first, `lookup_only` only looks (out of attempts: never post again)."""

    key: str
    since: datetime = field(default_factory=lambda: datetime.now(UTC))
    reconcile: bool = False
    lookup_only: bool = False


def _once_of(claim: engine.Claim | Once, part: str) -> tuple[str, datetime, bool, bool]:
    if isinstance(claim, Once):
        key = f"{claim.key}:{part}" if part else claim.key
        return key, claim.since, claim.reconcile, claim.lookup_only
    key = f"{claim.occurrence_id}:{part}" if part else str(claim.occurrence_id)
    return key, claim.claimed_at, claim.reconcile, claim.lookup_only


async def post_once(
    client: AsyncWebClient,
    occurrence: engine.Claim | Once | None = None,
    *,
    channel: str,
    part: str = "",
    **message: Any,
) -> str:
    """Post `message` to `channel` once for this occurrence (the one being posted now, by default) and
    return its ts. `part` tells apart several posts of one occurrence (a check-in's DM to each person).

    Looks in the channel's history first when an earlier attempt may have landed, and after an attempt whose
    answer was lost; Slack's refusals propagate (nothing was posted). Raises `engine.NotPosted` when the
    occurrence is only to be looked for; a lost answer that cannot be cleared up propagates its error.
    """
    claim = occurrence or engine.current_claim()
    if claim is None:  # not a scheduled occurrence (a test calling a poster directly): post plainly
        with _no_blind_retries():
            response = await client.chat_postMessage(channel=channel, **message)
        return str(response.get("ts"))
    key, since, reconcile, lookup_only = _once_of(claim, part)
    look_first = reconcile or lookup_only
    thread_ts = message.get("thread_ts")
    last: Exception | None = None
    for _attempt in range(ATTEMPTS):
        if look_first:
            found = await find_posted(
                client, channel=channel, key=key, since=since, thread_ts=str(thread_ts) if thread_ts else None
            )
            if found is not None:
                log.info(
                    "occurrence %s was already posted in %s (ts %s): not posting again", key, channel, found
                )
                return found
            if lookup_only:
                raise engine.NotPosted()
        try:
            with _no_blind_retries():
                response = await client.chat_postMessage(
                    channel=channel, metadata=metadata_for(key), **message
                )
            return str(response.get("ts"))
        except Exception as exc:
            if not _ambiguous(exc):
                raise
            log.warning(
                "post of occurrence %s to %s unanswered (%s): looking before any retry", key, channel, exc
            )
            last, look_first = exc, True
    assert last is not None
    raise last
