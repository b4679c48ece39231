"""Liaison installed in several workspaces (OAuth v2) against the fake Slack's oauth.v2.access."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import inspect, text

from storage.installations import TokenCipher
from tests.handlers.conftest import START
from tests.harness.app import HOME_TEAM, Clock, Liaison, populate_world, running_liaison
from tests.harness.fake_slack import OAuthFakeSlack

CLIENT_ID = "1234567890.0987654321"
CLIENT_SECRET = "0123456789abcdef0123456789abcdef"
OTHER_TEAM = "T0OTHER"
STATE_COOKIE = "slack-app-oauth-state"
TOKEN_MARKERS = ("xoxb-", "xoxe-", "xapp-")


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def oauth_fake() -> Iterator[OAuthFakeSlack]:
    """Token rotation on, as a distributed app should have it; the single-workspace token is never given out."""
    fake = OAuthFakeSlack(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        rotation=True,
        bot_token=f"unused-{Fernet.generate_key().decode()[:12]}",
        team_id=HOME_TEAM,
    ).start()
    populate_world(fake)
    try:
        yield fake
    finally:
        fake.stop()


def oauth_settings(key: str) -> dict[str, Any]:
    return {"slack_client_id": CLIENT_ID, "slack_client_secret": CLIENT_SECRET, "liaison_encryption_key": key}


@pytest.fixture
async def oauth_app(
    database_url: str, clock: Clock, oauth_fake: OAuthFakeSlack, key: str
) -> AsyncIterator[Liaison]:
    async with running_liaison(
        database_url, clock=clock, fake=oauth_fake, settings_overrides=oauth_settings(key)
    ) as liaison:
        assert liaison.runtime.installs is not None
        yield liaison


def authorize_url(page: httpx.Response) -> dict[str, list[str]]:
    """The query of the "Add to Slack" link on the install page."""
    found = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.text)
    assert found, page.text
    return parse_qs(urlparse(html.unescape(found.group(1))).query)


async def install(app: Liaison, team_id: str, *, team_name: str | None = None) -> str:
    """What a person does: open /slack/install, approve in Slack, come back to the redirect URL."""
    page = await app.http.get(f"{app.url}/slack/install")
    assert page.status_code == 200, page.text
    query = authorize_url(page)
    state = query["state"][0]
    fake = app.fake
    assert isinstance(fake, OAuthFakeSlack)
    code = fake.authorize(team_id, team_name=team_name, scope=query["scope"][0])
    done = await redirect(app, code=code, state=state)
    assert done.status_code == 200, done.text
    return fake.token_of(team_id)


async def redirect(app: Liaison, *, code: str, state: str, cookie: str | None = None) -> httpx.Response:
    """Slack sends the browser back with code and state; the browser brings the cookie set with the state
    (Bolt marks it Secure, so the test sends it as a browser would over HTTPS)."""
    return await app.http.get(
        f"{app.url}/slack/oauth_redirect",
        params={"code": code, "state": state},
        headers={"Cookie": f"{STATE_COOKIE}={cookie if cookie is not None else state}"},
    )


async def dump_database(app: Liaison) -> str:
    """Every value of every column of every table, as text."""

    def tables(conn: Any) -> list[str]:
        return list(inspect(conn).get_table_names())

    parts: list[str] = []
    async with app.svc.engine.connect() as conn:
        for table in await conn.run_sync(tables):
            rows = (await conn.execute(text(f'SELECT * FROM "{table}"'))).all()
            parts.extend(f"{table}: {tuple(row)!r}" for row in rows)
    return "\n".join(parts)


def cipher(key: str) -> TokenCipher:
    return TokenCipher(key)
