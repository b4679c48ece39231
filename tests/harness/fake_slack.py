"""The fake Slack Web API now lives in the package (`bot.playground.standin`) so `liaison playground` can use it."""

from bot.playground.standin import *  # noqa: F403
from bot.playground.standin import (
    MAX_MESSAGE_BLOCKS,
    MAX_MESSAGE_TEXT,
    MAX_RESPONSE_URL_USES,
    MAX_VIEW_BLOCKS,
    Call,
    FakeSlack,
    Surface,
    validate_blocks,
    validate_view,
)

__all__ = [
    "MAX_MESSAGE_BLOCKS",
    "MAX_MESSAGE_TEXT",
    "MAX_RESPONSE_URL_USES",
    "MAX_VIEW_BLOCKS",
    "Call",
    "FakeSlack",
    "Surface",
    "validate_blocks",
    "validate_view",
]


# --- OAuth v2: installing the app in several workspaces -------------------------------------------------

import base64 as _base64
import random as _random
import secrets as _secrets
import threading as _threading
import time as _time
from collections.abc import Callable as _Callable
from typing import Any as _Any

from aiohttp import web as _web

from bot.playground.standin import _ApiError


class OAuthFakeSlack(FakeSlack):
    """The fake Slack, installable in several workspaces as Slack's OAuth v2 does it.

    `authorize(team_id)` is what Slack does when a person approves the install on its authorize page: it
    returns the `code` Slack appends to the redirect URL. `oauth.v2.access` exchanges that code (once) for a
    bot token, or, with token rotation on, refreshes one (`grant_type=refresh_token`); the client is
    authenticated with HTTP Basic or `client_id`/`client_secret` form fields, as Slack accepts both. Each
    workspace's tokens then work for every method, answering `auth.test` for that workspace; an expired one
    gets `token_expired`, an unknown or revoked one `invalid_auth`. The world (users, channels) is shared.
    https://docs.slack.dev/reference/methods/oauth.v2.access ·
    https://docs.slack.dev/authentication/using-token-rotation
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        rotation: bool = False,
        expires_in: int = 43200,
        **kw: _Any,
    ) -> None:
        super().__init__(**kw)
        self.client_id = client_id
        self.client_secret = client_secret
        self.rotation = rotation
        self.expires_in = expires_in
        self.workspaces: dict[str, str] = {}  # team id -> name
        self._codes: dict[str, tuple[str, str]] = {}  # code -> (team id, installer)
        self._access: dict[str, tuple[str, float | None]] = {}  # token -> (team id, expires at)
        self._refresh: dict[str, str] = {}  # refresh token -> team id
        self._scopes: dict[str, str] = {}  # team id -> scopes granted
        self.issued: dict[str, list[str]] = {}  # team id -> every access token issued, oldest first

    # ---------------------------------------------------------------- what tests do

    def authorize(
        self, team_id: str, *, team_name: str | None = None, installer: str = "U0ADMIN", scope: str = ""
    ) -> str:
        """A person approved the install in `team_id`: the code Slack puts on the redirect URL."""
        code = f"{_time.time():.0f}.{_secrets.token_hex(8)}"
        with self._lock:
            self.workspaces[team_id] = team_name or team_id
            self._codes[code] = (team_id, installer)
            self._scopes[team_id] = scope
        return code

    def token_of(self, team_id: str) -> str:
        """The workspace's newest bot token."""
        with self._lock:
            return self.issued[team_id][-1]

    def team_of(self, token: str | None) -> str | None:
        with self._lock:
            found = self._access.get(token or "")
            return found[0] if found else None

    def revoke(self, team_id: str) -> None:
        """Uninstalled: every token of the workspace stops working."""
        with self._lock:
            for token in [t for t, (team, _) in self._access.items() if team == team_id]:
                del self._access[token]
            for token in [t for t, team in self._refresh.items() if team == team_id]:
                del self._refresh[token]

    # ---------------------------------------------------------------- plumbing

    async def _read_args(self, request: _web.Request) -> tuple[dict[str, _Any], str | None, str | None]:
        args, token, parse_error = await super()._read_args(request)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                client_id, _, secret = _base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                client_id, secret = "", ""
            args.setdefault("client_id", client_id)
            args.setdefault("client_secret", secret)
        return args, token, parse_error

    def _process(
        self, method: str, args: dict[str, _Any], token: str | None, parse_error: str | None
    ) -> tuple[int, dict[str, _Any], dict[str, str]]:
        try:
            with self._lock:
                if method == "oauth.v2.access":
                    return 200, {"ok": True, **self._oauth_v2_access(args)}, {}
                found = self._access.get(token or "")
                if found is None:
                    return super()._process(method, args, token, parse_error)
                team_id, expires_at = found
                if expires_at is not None and _time.time() >= expires_at:
                    raise _ApiError("token_expired")
                if method == "auth.test":
                    return 200, {"ok": True, **self._auth_test_for(team_id)}, {}
                return super()._process(method, args, self.bot_token, parse_error)
        except _ApiError as exc:
            return exc.status, exc.body(), exc.headers

    def _bot_user_of(self, team_id: str) -> str:
        return f"UB{team_id[-6:]}"

    def _auth_test_for(self, team_id: str) -> dict[str, _Any]:
        name = self.workspaces.get(team_id, team_id)
        return {
            "url": f"https://{team_id.lower()}.slack.com/",
            "team": name,
            "user": self.bot_name,
            "team_id": team_id,
            "user_id": self._bot_user_of(team_id),
            "bot_id": f"B{team_id[-6:]}",
            "is_enterprise_install": False,
        }

    def _issue(self, team_id: str) -> dict[str, _Any]:
        token = f"xoxb-{team_id}-{_secrets.token_hex(12)}"
        expires_at = _time.time() + self.expires_in if self.rotation else None
        self._access[token] = (team_id, expires_at)
        self.issued.setdefault(team_id, []).append(token)
        issued: dict[str, _Any] = {
            "access_token": token,
            "token_type": "bot",
            "scope": self._scopes.get(team_id, ""),
            "bot_user_id": self._bot_user_of(team_id),
            "app_id": self.app_id,
            "team": {"id": team_id, "name": self.workspaces.get(team_id, team_id)},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if self.rotation:
            refresh = f"xoxe-1-{_secrets.token_hex(16)}"
            self._refresh[refresh] = team_id
            issued.update(refresh_token=refresh, expires_in=self.expires_in)
        return issued

    def _oauth_v2_access(self, args: dict[str, _Any]) -> dict[str, _Any]:
        secret = args.pop("client_secret", None)  # never kept in the call log
        if args.get("client_id") != self.client_id:
            raise _ApiError("invalid_client_id")
        if secret != self.client_secret:
            raise _ApiError("bad_client_secret")
        if args.get("grant_type") == "refresh_token":
            team_id = self._refresh.pop(str(args.get("refresh_token") or ""), None)
            if team_id is None:
                raise _ApiError("invalid_refresh_token")
            return self._issue(team_id)
        found = self._codes.pop(str(args.get("code") or ""), None)
        if found is None:
            raise _ApiError("invalid_code")
        team_id, installer = found
        self.add_user(self._bot_user_of(team_id), team_id=team_id, name=self.bot_name, is_bot=True)
        return {**self._issue(team_id), "authed_user": {"id": installer}}


# ---- unfurls (issue 15): what Liaison posts never unfurls unless a user asked --------------------------

POSTING_METHODS = (
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "chat.scheduleMessage",
    "response_url",
)


def _off(value: _Any) -> bool:
    return value is False or str(value).lower() in ("false", "0")


def unfurling_posts(fake: FakeSlack, methods: tuple[str, ...] = POSTING_METHODS) -> list[Call]:
    """Every recorded post or update that would unfurl: `unfurl_links` or `unfurl_media` not set to false.
    (Slack unfurls by default, so a missing flag counts as unfurling.)"""
    return [
        call
        for method in methods
        for call in fake.calls_to(method, include_errors=True)
        if not (_off(call.args.get("unfurl_links")) and _off(call.args.get("unfurl_media")))
    ]


def assert_nothing_unfurls(fake: FakeSlack, methods: tuple[str, ...] = POSTING_METHODS) -> int:
    """Fail with the offending calls if any post would unfurl; returns how many posts were checked."""
    offending = unfurling_posts(fake, methods)
    shown = "\n".join(
        f"  {c.method}: {dict((k, v) for k, v in c.args.items() if k != 'blocks')}"[:300] for c in offending
    )
    assert not offending, f"{len(offending)} post(s) would unfurl:\n{shown}"
    return sum(len(fake.calls_to(m, include_errors=True)) for m in methods)


# ---- Socket Mode (issue 15): apps.connections.open hands out the fake Socket Mode server's URL -----------


class SocketModeFakeSlack(FakeSlack):
    """The fake Web API for an app in Socket Mode: `apps.connections.open` takes only the app-level token
    (`xapp-…`, sent as the bearer token) and answers with a one-time WebSocket URL from `issue_url`
    (tests/harness/fake_socket_mode.py); a bot token gets `not_allowed_token_type`, as from Slack.
    https://api.slack.com/methods/apps.connections.open
    """

    def __init__(self, *, app_token: str, issue_url: _Callable[[], str], **kw: _Any) -> None:
        super().__init__(**kw)
        self.app_token = app_token
        self.issue_url = issue_url

    def _process(
        self, method: str, args: dict[str, _Any], token: str | None, parse_error: str | None
    ) -> tuple[int, dict[str, _Any], dict[str, str]]:
        if method != "apps.connections.open":
            return super()._process(method, args, token, parse_error)
        if token is None:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if not token.startswith("xapp-"):
            return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
        if token != self.app_token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        return 200, {"ok": True, "url": self.issue_url()}, {}


# ---- 429 storms (issue 15): Slack answering a share of calls 429, and calls that came too early --------


class StormFakeSlack(FakeSlack):
    """The fake Web API in a 429 storm: `storm(method, probability, retry_after)` answers that share of the
    method's calls (seeded) HTTP 429 with `Retry-After`, as Slack does over a limit. Slack's Retry-After holds
    per channel for chat.postMessage/chat.postEphemeral and per method (workspace-wide) for the others: a call
    arriving before its hold passed is answered 429 again and counted in `early`, with how early it was
    (https://api.slack.com/docs/rate-limits, https://api.slack.com/methods/chat.postMessage#rate_limiting)."""

    PER_CHANNEL = frozenset({"chat.postMessage", "chat.postEphemeral"})

    def __init__(self, **kw: _Any) -> None:
        super().__init__(**kw)
        self._storms: dict[str, tuple[float, int, _random.Random]] = {}
        # (method, channel or "") -> (when the 429 was answered, not before): time.monotonic()
        self._holds: dict[tuple[str, str], tuple[float, float]] = {}
        self._storm_lock = _threading.Lock()
        self.storm_429s = 0
        # calls inside a hold: (method, channel, seconds too early, seconds since the 429 was answered)
        self.early: list[tuple[str, str, float, float]] = []
        self.waited: list[float] = []  # for each hold, seconds from its 429 to the next call of its key

    def storm(
        self, method: str = "chat.postMessage", *, probability: float, retry_after: int = 1, seed: int = 0
    ) -> None:
        """Answer `probability` of `method`'s calls 429 + Retry-After; 0 ends the storm (holds still apply)."""
        with self._storm_lock:
            if probability <= 0:
                self._storms.pop(method, None)
            else:
                self._storms[method] = (probability, retry_after, _random.Random(seed))

    def _process(
        self, method: str, args: dict[str, _Any], token: str | None, parse_error: str | None
    ) -> tuple[int, dict[str, _Any], dict[str, str]]:
        channel = str(args.get("channel") or "") if method in self.PER_CHANNEL else ""
        key = (method, channel)
        now = _time.monotonic()
        with self._storm_lock:
            held = self._holds.get(key)
            if held is not None:
                answered, hold = held
                if now < hold:
                    self.early.append((method, channel, hold - now, now - answered))
                    wait = max(1, int(hold - now + 0.999))
                    return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
                del self._holds[key]
                self.waited.append(now - answered)
            storm = self._storms.get(method)
            if storm is not None and token == self.bot_token and storm[2].random() < storm[0]:
                self.storm_429s += 1
                self._holds[key] = (now, now + storm[1])
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(storm[1])}
        return super()._process(method, args, token, parse_error)
