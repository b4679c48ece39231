"""Installing Liaison in several workspaces (OAuth v2): Bolt's async OAuth flow on our own stores.

When SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and LIAISON_ENCRYPTION_KEY are set, `/slack/install` offers "Add to
Slack" and `/slack/oauth_redirect` stores the workspace's tokens (encrypted, `storage/installations.py`).
Requests are served with their own workspace's token (Bolt's authorize reads the store and refreshes a
rotating token before it expires); scheduled posts are too, through `job_client`, once `use_workspace_of`
has named the project's workspace. Uninstalling pauses the workspace's schedules; reinstalling resumes them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.domain import installs
from bot.domain.schedules import Delivery
from bot.logging import TokenRedactingFilter
from bot.ratelimit import RateLimits
from bot.settings import Settings
from storage.installations import SqlInstallationStore, SqlOAuthStateStore, TokenCipher

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.services import Services

log = logging.getLogger(__name__)

MANIFEST = Path(__file__).resolve().parent.parent / "deploy" / "manifest.yml"
# Refresh a rotating token this long before it expires (Slack's tokens live 12 hours; Bolt's default).
ROTATION_MINUTES = 120
STATE_SECONDS = 600
# slack_sdk prints request and response bodies at DEBUG, and oauth.v2.access answers carry tokens: the
# clients made here log through this logger, whose filter rewrites tokens before any handler sees a record.
API_LOGGER = "slack_sdk.web.liaison"

_WORKSPACE: ContextVar[str | None] = ContextVar("liaison_workspace", default=None)


def manifest_bot_scopes(path: Path = MANIFEST) -> list[str]:
    """The bot scopes deploy/manifest.yml declares (one truth for the install URL and the manifest)."""
    scopes: list[str] = []
    section: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if stripped.endswith(":") and not stripped.startswith("-"):
            section = [*section[: indent // 2], stripped[:-1]]
            continue
        if section == ["oauth_config", "scopes", "bot"] and stripped.startswith("- "):
            scopes.append(stripped[2:].strip())
        elif not stripped.startswith("- "):
            section = section[: indent // 2]
    if not scopes:
        raise RuntimeError(f"no oauth_config.scopes.bot in {path}")
    return scopes


def api_logger() -> logging.Logger:
    logger = logging.getLogger(API_LOGGER)
    if not any(isinstance(f, TokenRedactingFilter) for f in logger.filters):
        logger.addFilter(TokenRedactingFilter())
    return logger


def expiring(installation: Installation, *, minutes_before_expiration: int, now: float) -> bool:
    """Whether a bot or user token of `installation` is due for a refresh (slack_sdk's own test)."""
    horizon = now + minutes_before_expiration * 60
    return any(
        expires_at is not None and int(expires_at) <= horizon
        for expires_at in (installation.bot_token_expires_at, installation.user_token_expires_at)
    )


def _same_tokens(a: Installation, b: Installation) -> bool:
    return (a.bot_token, a.bot_refresh_token, a.user_token, a.user_refresh_token) == (
        b.bot_token,
        b.bot_refresh_token,
        b.user_token,
        b.user_refresh_token,
    )


class CoordinatedTokenRotator(AsyncTokenRotator):
    """Refresh a workspace's token once though requests, jobs and replicas all see it expiring.

    Slack revokes a refresh token once used, so a second refresh from it fails (and Bolt then refuses the
    request). The caller's installation may be stale: it was read before another request's refresh was saved.
    So a refresh reads the stored installation again with its row locked, refreshes only if that one is still
    expiring, and saves the new tokens before the lock goes (`SqlInstallationStore.refresh`); whoever waited
    gets the winner's tokens. The asyncio lock keeps this process's waiters off the database connections.
    """

    def __init__(
        self, *, store: SqlInstallationStore, client_id: str, client_secret: str, client: AsyncWebClient
    ):
        super().__init__(client_id=client_id, client_secret=client_secret, client=client)
        self.store = store
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def perform_token_rotation(
        self, *, installation: Installation, minutes_before_expiration: int = ROTATION_MINUTES
    ) -> Installation | None:
        """The current installation when it differs from `installation` (already saved); None otherwise."""
        if not expiring(installation, minutes_before_expiration=minutes_before_expiration, now=time.time()):
            return None  # the common case: no lock, no query
        rotate_stored = super().perform_token_rotation

        async def rotate(stored: Installation) -> Installation | None:
            return await rotate_stored(
                installation=stored, minutes_before_expiration=minutes_before_expiration
            )

        key = (installation.enterprise_id or "", installation.team_id or "")
        async with self._locks.setdefault(key, asyncio.Lock()):
            current = await self.store.refresh(installation, rotate)
        if current is None or _same_tokens(current, installation):
            return None
        return current


@dataclass
class WorkspaceTokens:
    """Each workspace's current bot token from the store, refreshed (and saved) when it is about to expire."""

    store: SqlInstallationStore
    rotator: CoordinatedTokenRotator  # saves what it refreshes
    minutes_before_expiration: int = ROTATION_MINUTES

    async def bot_token(self, team_id: str) -> str | None:
        installation = await self.store.find_for_team(team_id)
        if installation is None:
            return None
        if installation.bot_refresh_token is not None:
            refreshed = await self.rotator.perform_token_rotation(
                installation=installation, minutes_before_expiration=self.minutes_before_expiration
            )
            if refreshed is not None:  # already saved by the rotator
                installation = refreshed
        return installation.bot_token


def _routed(client: AsyncWebClient, tokens: WorkspaceTokens) -> AsyncWebClient:
    """Make `client` call with the bot token of the workspace `use_workspace_of` named in this context."""
    plain: Callable[..., Awaitable[AsyncSlackResponse]] = client.api_call

    async def api_call(api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        team = _WORKSPACE.get()
        if team is None and kwargs.get("auth") is None:
            log.warning(
                "%s from a job that named no workspace (use_workspace_of): sent without a token", api_method
            )
        elif team is not None and kwargs.get("auth") is None:
            token = await tokens.bot_token(team)
            if token is not None:  # none: uninstalled, and Slack answers not_authed as it would
                kwargs["headers"] = {**(kwargs.get("headers") or {}), "Authorization": f"Bearer {token}"}
        return await plain(api_method, **kwargs)

    client.api_call = api_call  # type: ignore[method-assign]
    return client


async def use_workspace_of(svc: Services, *, project_id: int) -> None:
    """Scheduled work for this project calls Slack with its workspace's token (no-op with one workspace)."""
    if not svc.settings.oauth_enabled:
        return
    async with svc.sessions() as session:
        _WORKSPACE.set(await installs.team_of_project(session, project_id=project_id))


async def use_workspace_of_schedule(svc: Services, *, schedule_id: int) -> None:
    if not svc.settings.oauth_enabled:
        return
    from storage.models import Schedule

    async with svc.sessions() as session:
        schedule = await session.get(Schedule, schedule_id)
    if schedule is not None:
        await use_workspace_of(svc, project_id=schedule.project_id)


def _bound_to_schedule(
    svc: Services, poster: Callable[[int, datetime], Awaitable[Delivery]]
) -> Callable[[int, datetime], Awaitable[Delivery]]:
    async def post(schedule_id: int, occurs_at: datetime) -> Delivery:
        await use_workspace_of_schedule(svc, schedule_id=schedule_id)
        return await poster(schedule_id, occurs_at)

    return post


@dataclass
class Installs:
    """Everything installs across workspaces need, built once by the runtime."""

    settings: Settings
    store: SqlInstallationStore
    state_store: SqlOAuthStateStore
    tokens: WorkspaceTokens
    client: AsyncWebClient  # token-less: the app's client, oauth.v2.access and refreshes
    job_client: AsyncWebClient  # scheduled posts: the token of the workspace named in the context

    @classmethod
    def create(cls, settings: Settings, svc: Services) -> Installs:
        from bot.app import create_web_client

        assert settings.slack_client_id and settings.slack_client_secret and settings.liaison_encryption_key
        cipher = TokenCipher(settings.liaison_encryption_key.get_secret_value())
        store = SqlInstallationStore(svc.sessions, cipher, client_id=settings.slack_client_id)
        client = create_web_client(settings, logger=api_logger())
        client.token = None  # each request and job names its workspace's token; SLACK_BOT_TOKEN is not used
        rotator = CoordinatedTokenRotator(
            store=store,
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret.get_secret_value(),
            client=client,
        )
        tokens = WorkspaceTokens(store, rotator)
        # One limiter for both clients (issue 15): a 429's Retry-After for a channel holds for whichever of them
        # calls it next (bot/ratelimit.py), as Slack counts the app's calls in a workspace, not each client's.
        job_client = create_web_client(settings, logger=api_logger(), limits=RateLimits.of(client))
        job_client.token = None
        return cls(
            settings=settings,
            store=store,
            state_store=SqlOAuthStateStore(svc.sessions, expiration_seconds=STATE_SECONDS),
            tokens=tokens,
            client=client,
            job_client=_routed(job_client, tokens),
        )

    def app_kwargs(self, svc: Services) -> dict[str, Any]:
        """What AsyncApp needs to serve the install pages and authorize every request by its workspace."""
        settings = self.settings
        assert settings.slack_client_id and settings.slack_client_secret
        secret = settings.slack_client_secret.get_secret_value()

        async def on_success(args: AsyncSuccessArgs) -> BoltResponse:
            team_id = args.installation.team_id
            if team_id:
                await resume_workspace(svc, team_id)
            return await args.default.success(args)

        async def on_failure(args: AsyncFailureArgs) -> BoltResponse:
            log.warning("installation refused: %s", args.reason)
            return await args.default.failure(args)

        oauth_settings = AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=secret,
            scopes=manifest_bot_scopes(),
            user_scopes=[],
            redirect_uri=settings.slack_redirect_uri,
            installation_store=self.store,
            state_store=self.state_store,
            state_expiration_seconds=STATE_SECONDS,
            token_rotation_expiration_minutes=ROTATION_MINUTES,
            callback_options=AsyncCallbackOptions(success=on_success, failure=on_failure),
            logger=log,
        )
        authorize = AsyncInstallationStoreAuthorize(
            logger=log,
            installation_store=self.store,
            client_id=settings.slack_client_id,
            client_secret=secret,
            token_rotation_expiration_minutes=ROTATION_MINUTES,
            client=self.client,  # refreshes go to SLACK_API_URL like every other call
            # auth.test once per token, not before every ack (a new token after a refresh is a new entry)
            cache_enabled=True,
        )
        authorize.token_rotator = self.tokens.rotator  # one refresh per workspace, requests and jobs alike
        return {"oauth_settings": oauth_settings, "authorize": authorize}

    def route_jobs(self, svc: Services) -> None:
        """Every scheduled post (whatever its kind) calls Slack with its project's workspace's token."""
        for kind, poster in list(svc.runner.posters.items()):
            svc.runner.register(kind, _bound_to_schedule(svc, poster))

    def register(self, app: AsyncApp, svc: Services) -> None:
        """Uninstalling, or revoking the bot's token, forgets the workspace's tokens and pauses its schedules."""

        @app.event("app_uninstalled")
        async def handle_app_uninstalled(context: dict[str, Any]) -> None:
            svc.tasks.track_current()
            await self.forget_workspace(
                svc, enterprise_id=context.get("enterprise_id"), team_id=context.get("team_id")
            )

        @app.event("tokens_revoked")
        async def handle_tokens_revoked(event: dict[str, Any], context: dict[str, Any]) -> None:
            svc.tasks.track_current()
            tokens = event.get("tokens") or {}
            enterprise_id, team_id = context.get("enterprise_id"), context.get("team_id")
            if tokens.get("bot"):
                await self.forget_workspace(svc, enterprise_id=enterprise_id, team_id=team_id)
                return
            for user_id in tokens.get("oauth") or []:
                await self.store.async_delete_installation(
                    enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
                )

    async def forget_workspace(
        self, svc: Services, *, enterprise_id: str | None, team_id: str | None
    ) -> None:
        if not team_id:
            return
        async with svc.sessions.begin() as session:
            paused = await installs.pause_for_uninstall(session, team_id=team_id)
        for schedule_id in paused:
            svc.runner.unschedule(schedule_id)
        await self.store.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)  # last: the end state
        log.info("workspace %s uninstalled: tokens removed, %d schedule(s) paused", team_id, len(paused))


async def resume_workspace(svc: Services, team_id: str) -> list[int]:
    async with svc.sessions.begin() as session:
        resumed = await installs.resume_after_install(session, team_id=team_id, now=svc.clock())
    for schedule_id in resumed:
        await svc.runner.schedule(schedule_id)
    if resumed:
        log.info("workspace %s reinstalled: %d schedule(s) resumed", team_id, len(resumed))
    return resumed
