"""Nothing Liaison posts unfurls: every message it sends carries `unfurl_links=False, unfurl_media=False`
unless the call says otherwise (issue 15). A minutes summary for the client, a digest or a reminder with a link
in a title must not grow a preview of an internal document, and previews are noise in any case.

One place for it, below every call site: the Web API client Liaison builds (bot.app.create_web_client) is a
QuietWebClient, each request's client is made one (`quiet`, from a middleware), and each request's `respond`
is a QuietRespond. Call sites need not remember.
"""

from __future__ import annotations

from typing import Any, Final

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.ratelimit import RateLimits, retry_after_of

NO_UNFURL: Final[dict[str, bool]] = {"unfurl_links": False, "unfurl_media": False}
# The Web API methods that post or change a message (chat.update takes the flags too; Slack ignores what
# it does not need).
POSTING_METHODS: Final = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}
)


def without_unfurls(message: dict[str, Any] | None) -> dict[str, Any]:
    """The message's arguments with both unfurl flags off unless it sets them itself."""
    return {**NO_UNFURL, **(message or {})}


class QuietWebClient(AsyncWebClient):
    """An AsyncWebClient whose chat posts and updates never unfurl unless asked, and which waits out every
    Retry-After Slack announced for the same method and channel or workspace (bot/ratelimit.py), retrying a
    429 itself. No state of its own."""

    async def api_call(
        self, api_method: str, *, json: dict[str, Any] | None = None, **kwargs: Any
    ) -> AsyncSlackResponse:
        if api_method in POSTING_METHODS:
            data = kwargs.get("data")
            if json is not None or data is None:
                json = without_unfurls(json)
            elif isinstance(data, dict):
                kwargs["data"] = without_unfurls(data)
        limits = RateLimits.of(self)
        if limits is None:
            return await super().api_call(api_method, json=json, **kwargs)
        args = json if json is not None else (kwargs.get("data") or kwargs.get("params"))
        key = limits.key(api_method, args if isinstance(args, dict) else None, token=self._token_of(kwargs))
        attempt, waited = 0, 0.0
        while True:
            async with limits.turn(key):
                try:
                    return await super().api_call(api_method, json=json, **kwargs)
                except SlackApiError as exc:
                    if exc.response.status_code != 429:
                        raise
                    retry_after = retry_after_of(exc.response.headers)
                    limits.hold(key, retry_after)
                    if limits.gives_up(attempt, waited):
                        raise
            attempt, waited = attempt + 1, waited + retry_after

    def _token_of(self, kwargs: dict[str, Any]) -> str | None:
        auth = (kwargs.get("headers") or {}).get("Authorization")
        return str(auth).removeprefix("Bearer ") if auth else self.token


def quiet(client: AsyncWebClient) -> AsyncWebClient:
    """The same client (token, session, retry handlers and all), posting quietly. Bolt builds a plain
    AsyncWebClient for every request; QuietWebClient adds behaviour and no state, so the instance is re-classed
    rather than copied field by field (a copy would silently miss any field a later slack_sdk adds)."""
    if not isinstance(client, QuietWebClient) and type(client) is AsyncWebClient:
        client.__class__ = QuietWebClient
    return client


class QuietRespond(AsyncRespond):
    """`respond` through the response_url, unfurls off unless asked; with `session`, through that shared
    aiohttp session (bot.services.SharedHttp) rather than one opened and closed per call."""

    def __init__(self, *, session: aiohttp.ClientSession | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session

    async def __call__(self, *args: Any, **kwargs: Any) -> WebhookResponse:
        if kwargs.get("unfurl_links") is None:
            kwargs["unfurl_links"] = False
        if kwargs.get("unfurl_media") is None:
            kwargs["unfurl_media"] = False
        if (
            self.session is None
            or self.session.closed
            or self.response_url is None
            or args
            or not isinstance(kwargs.get("text", ""), str)
        ):
            return await super().__call__(*args, **kwargs)
        client = AsyncWebhookClient(
            url=self.response_url, proxy=self.proxy, ssl=self.ssl, session=self.session
        )
        return await client.send_dict(_build_message(**kwargs))
