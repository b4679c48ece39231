"""Installing in several workspaces end to end: the install page, Slack's redirect, tokens per workspace."""

from __future__ import annotations

import time
from pathlib import Path

import time_machine
import yaml
from sqlmodel import select

from storage.models import SlackInstallation
from tests.harness.app import BOT_TOKEN, HOME_TEAM, Liaison, reply_text
from tests.harness.fake_slack import OAuthFakeSlack
from tests.install.conftest import (
    CLIENT_ID,
    OTHER_TEAM,
    STATE_COOKIE,
    authorize_url,
    cipher,
    install,
    redirect,
)

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "manifest.yml"


async def _rows(app: Liaison) -> list[SlackInstallation]:
    async with app.session() as s:
        return list((await s.exec(select(SlackInstallation).order_by(SlackInstallation.team_id))).all())  # type: ignore[arg-type]


def _tokens_used_since(app: Liaison, start: int) -> set[str]:
    return {c.token for c in app.fake.calls[start:] if c.token}


async def test_install_page_links_to_slack_with_a_state_and_the_manifest_scopes(oauth_app: Liaison) -> None:
    page = await oauth_app.http.get(f"{oauth_app.url}/slack/install")
    assert page.status_code == 200
    assert "Add to Slack" in page.text
    query = authorize_url(page)
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert query["scope"][0].split(",") == manifest["oauth_config"]["scopes"]["bot"]
    assert query["client_id"] == [CLIENT_ID]
    state = query["state"][0]
    assert len(state) >= 32
    assert f"{STATE_COOKIE}={state}" in page.headers["set-cookie"]


async def test_each_workspace_installs_and_is_served_with_its_own_token(oauth_app: Liaison, key: str) -> None:
    fake = oauth_app.fake
    assert isinstance(fake, OAuthFakeSlack)
    home_token = await install(oauth_app, HOME_TEAM, team_name="Home Co")
    other_token = await install(oauth_app, OTHER_TEAM, team_name="Other Co")
    assert home_token != other_token

    home, other = sorted(await _rows(oauth_app), key=lambda r: r.team_id != HOME_TEAM)
    assert (home.team_id, home.team_name, other.team_id, other.team_name) == (
        HOME_TEAM,
        "Home Co",
        OTHER_TEAM,
        "Other Co",
    )
    # stored encrypted: the column holds ciphertext that decrypts to the token Slack issued
    assert home.bot_token != home_token and home_token not in (home.bot_token or "")
    assert cipher(key).decrypt(home.bot_token) == home_token
    assert cipher(key).decrypt(other.bot_token) == other_token
    assert home.bot_refresh_token and not home.bot_refresh_token.startswith("xoxe-")
    assert home.bot_token_expires_at is not None

    start = len(fake.calls)
    reply = await oauth_app.command(
        "/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:en'
    )
    assert "ACME ERP" in reply_text(reply)
    assert _tokens_used_since(oauth_app, start) == {home_token}

    start = len(fake.calls)
    reply = await oauth_app.command(
        "/project", 'setup name:"华东项目" client:"华东" tz:Asia/Shanghai lang:zh', team=OTHER_TEAM
    )
    assert "已为客户" in reply_text(reply)
    assert _tokens_used_since(oauth_app, start) == {other_token}


async def test_a_workspace_that_never_installed_is_not_served(oauth_app: Liaison) -> None:
    await install(oauth_app, HOME_TEAM)
    response, form = await oauth_app.send_command("/project", "info", team="T0STRANGER")
    assert response.status_code == 200
    key = form["response_url"].rsplit("/", 1)[-1]
    [answer] = await oauth_app.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    assert "reinstall" in str(answer.args.get("text"))  # Bolt's answer: no installation for this workspace


async def test_a_bad_code_is_refused_and_stores_nothing(oauth_app: Liaison) -> None:
    page = await oauth_app.http.get(f"{oauth_app.url}/slack/install")
    state = authorize_url(page)["state"][0]
    response = await redirect(oauth_app, code="not-a-code", state=state)
    assert response.status_code == 401
    assert await _rows(oauth_app) == []
    [call] = oauth_app.fake.calls_to("oauth.v2.access", include_errors=True)
    assert call.response == {"ok": False, "error": "invalid_code"}


async def test_unknown_reused_or_foreign_states_are_refused(oauth_app: Liaison) -> None:
    fake = oauth_app.fake
    assert isinstance(fake, OAuthFakeSlack)
    made_up = await redirect(oauth_app, code=fake.authorize(HOME_TEAM), state="made-up-state")
    assert made_up.status_code == 401
    page = await oauth_app.http.get(f"{oauth_app.url}/slack/install")
    state = authorize_url(page)["state"][0]
    other_browser = await redirect(oauth_app, code=fake.authorize(HOME_TEAM), state=state, cookie="another")
    assert other_browser.status_code == 400  # the state was handed to another browser
    assert (await redirect(oauth_app, code=fake.authorize(HOME_TEAM), state=state)).status_code == 200
    reused = await redirect(oauth_app, code=fake.authorize(HOME_TEAM), state=state)
    assert reused.status_code == 401
    assert len(await _rows(oauth_app)) == 1
    assert fake.calls_to("oauth.v2.access", include_errors=True)[0].args["client_id"] == CLIENT_ID


async def test_an_expired_state_is_refused(oauth_app: Liaison) -> None:
    page = await oauth_app.http.get(f"{oauth_app.url}/slack/install")
    state = authorize_url(page)["state"][0]
    fake = oauth_app.fake
    assert isinstance(fake, OAuthFakeSlack)
    with time_machine.travel(time.time() + 11 * 60, tick=True):  # states live 10 minutes
        response = await redirect(oauth_app, code=fake.authorize(HOME_TEAM), state=state)
    assert response.status_code == 401
    assert await _rows(oauth_app) == []


async def test_one_workspace_mode_serves_no_install_pages(liaison: Liaison) -> None:
    assert liaison.runtime.installs is None
    assert (await liaison.http.get(f"{liaison.url}/slack/install")).status_code == 404
    assert (await liaison.http.get(f"{liaison.url}/slack/oauth_redirect?code=x&state=y")).status_code == 404
    reply = await liaison.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai')
    assert "ACME ERP" in reply_text(reply)
    assert {c.token for c in liaison.fake.calls if c.token} == {BOT_TOKEN}


async def test_a_client_in_the_shared_channel_confirms_without_installing_liaison(oauth_app: Liaison) -> None:
    """Slack Connect: the click's payload names the installing workspace (`team`) and the client's own
    (`user.team_id`); Liaison answers with the installing workspace's token and counts the client's word."""
    from bot.domain.minutes import confirmations_of
    from handlers import ids
    from storage.models import SignOff
    from tests.handlers.test_minutes_commands import QUICK, press, rows
    from tests.harness.app import CAROL, CLIENT_TEAM, SHARED_CHANNEL

    token = await install(oauth_app, HOME_TEAM)
    await oauth_app.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:en')
    await oauth_app.command("/project", "client-channel", channel=SHARED_CHANNEL)
    await oauth_app.command("/minutes", QUICK)
    await oauth_app.command("/minutes", "send M-1")
    message = oauth_app.fake.messages(SHARED_CHANNEL)[-1]
    start = len(oauth_app.fake.calls)
    answer = await press(oauth_app, message, ids.MINUTES_CONFIRM)
    assert "you confirmed M-1" in reply_text(answer)
    [row] = confirmations_of(await rows(oauth_app, SignOff))
    assert (row.kind, row.user_id, row.team_id, row.is_external) == ("confirm", CAROL, CLIENT_TEAM, True)
    assert _tokens_used_since(oauth_app, start) == {token}  # the message updated, the team told
