"""create_app: the Bolt AsyncApp with our listeners, wired to explicit settings and services."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

import handlers
from bot.delivery import PostOnceConnectionRetry, PostOnceServerErrorRetry
from bot.metrics import SlackApiObserver
from bot.posting import QuietRespond, QuietWebClient, quiet
from bot.ratelimit import RateLimits
from bot.services import Services

if TYPE_CHECKING:
    from bot.install import Installs
from bot.settings import Mode, Settings
from handlers.events.threads import is_thread_reply
from storage.repo.projects import claim_request

EVENT_CLAIM_SECONDS = 1.0


def create_web_client(
    settings: Settings,
    token: str | None = None,
    *,
    logger: logging.Logger | None = None,
    limits: RateLimits | None = None,
) -> AsyncWebClient:
    """Every Web API client goes through here so SLACK_API_URL and retries (429 Retry-After) apply to all."""
    return QuietWebClient(  # posts never unfurl unless asked (bot/posting.py)
        token=token or (settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None),
        base_url=settings.slack_api_url,
        timeout=10,
        logger=logger,
        retry_handlers=[
            SlackApiObserver(),  # first, so it sees every attempt (bot/metrics.py)
            # Retry-After held per method and channel (or workspace) for this client and every per-request
            # client Bolt copies from it; pass `limits` to share one between clients (bot/ratelimit.py). A
            # storm of short Retry-Afters is waited out (up to 30 s of them), long ones are retried 3 times.
            limits or RateLimits(max_retries=3, max_wait=30),
            # Connection errors and 5xx are retried, except for scheduled posts (bot/delivery.post_once), where
            # a blind retry after Slack took the message would post it twice: there, history is read first.
            PostOnceConnectionRetry(max_retry_count=2),
            PostOnceServerErrorRetry(max_retry_count=2),
        ],
    )


def _ignored_message(event: dict[str, Any]) -> bool:
    """A channel message no listener acts on (only thread replies are: handlers/events/threads.py): no event_id
    claimed for it, so ordinary chatter costs no transaction before its ack."""
    return event.get("type") == "message" and not is_thread_reply(event)


def create_app(
    settings: Settings, svc: Services, *, mode: Mode, installs: Installs | None = None
) -> AsyncApp:
    """`installs` (bot/install.py): installed in several workspaces, each request authorized by its own."""
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    # One connection pool for every call (bot.services.SharedHttp): Bolt's per-request clients copy this
    # client's session, scheduled posts use it (or the installs' job client), and so does every respond.
    client = svc.http.serve(installs.client if installs else create_web_client(settings))
    if installs:
        svc.http.serve(installs.job_client)
    app = AsyncApp(
        name="liaison",
        client=client,
        **(installs.app_kwargs(svc) if installs else {}),
        signing_secret=secret,
        # Socket Mode traffic is authenticated by the app-level token, not signatures.
        request_verification_enabled=mode == "http",
        process_before_response=False,
    )

    @app.middleware
    async def every_request(
        context: Any, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """One middleware, not three: Bolt builds each middleware's arguments for every request.

        It hands listeners the services; makes this request's client and respond never unfurl what they post
        unless asked (bot/posting.py); and acts on each event_id once, since Slack retries an event it thinks
        went unanswered."""
        context["svc"] = svc
        if context.get("client") is not None:
            context["client"] = quiet(context["client"])
        if context.response_url:
            context["respond"] = QuietRespond(
                response_url=context.response_url,
                proxy=context.client.proxy,
                ssl=context.client.ssl,
                session=svc.http.session,
            )
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not _ignored_message(body.get("event") or {}):
            try:  # this runs before the ack: never let a busy database make Slack wait (and retry)
                async with asyncio.timeout(EVENT_CLAIM_SECONDS), svc.sessions.begin() as session:
                    first = await claim_request(session, key=f"event:{event_id}")
            except TimeoutError:
                first = True  # acting twice on an event (App Home) is harmless; answering late is not
            if not first:
                return BoltResponse(status=200, body="")
        await next()
        return None

    handlers.register(app)
    if installs:
        installs.register(app, svc)
    return app
