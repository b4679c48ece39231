"""Tokens across workspaces: rotation before they expire, scheduled posts with the project's workspace's token,
re-encryption with a new key, and never a token in clear in any row or log line."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any

import pytest
import time_machine
from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store import Installation
from sqlmodel import select

from bot import cli
from storage.models import SlackInstallation
from tests.handlers.conftest import SHANGHAI
from tests.harness.app import HOME_TEAM, INTERNAL_CHANNEL, Clock, Liaison, reply_text
from tests.harness.fake_slack import OAuthFakeSlack
from tests.install.conftest import OTHER_TEAM, TOKEN_MARKERS, cipher, dump_database, install

SETUP_EN = 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:en'
SETUP_ZH = 'setup name:"华东项目" client:"华东" tz:Asia/Shanghai lang:zh'
HOURS_BEFORE_REFRESH = 11  # tokens live 12 hours; Liaison refreshes them in their last 2


def _fake(app: Liaison) -> OAuthFakeSlack:
    assert isinstance(app.fake, OAuthFakeSlack)
    return app.fake


async def _row(app: Liaison, team_id: str) -> SlackInstallation:
    async with app.session() as s:
        row = (await s.exec(select(SlackInstallation).where(SlackInstallation.team_id == team_id))).one()
    return row


def _refreshes(app: Liaison) -> list[str]:
    return [
        str(c.args.get("refresh_token"))
        for c in app.fake.calls_to("oauth.v2.access")
        if c.args.get("grant_type") == "refresh_token"
    ]


async def test_a_token_about_to_expire_is_refreshed_and_stored_encrypted(
    oauth_app: Liaison, key: str
) -> None:
    fake = _fake(oauth_app)
    first = await install(oauth_app, HOME_TEAM)
    before = await _row(oauth_app, HOME_TEAM)
    assert _refreshes(oauth_app) == []

    await oauth_app.command("/project", SETUP_EN)
    assert _refreshes(oauth_app) == []  # far from expiry: no refresh

    with time_machine.travel(time.time() + HOURS_BEFORE_REFRESH * 3600, tick=True):
        start = len(fake.calls)
        reply = await oauth_app.command("/project", "info")
    assert "ACME ERP" in reply_text(reply)
    assert _refreshes(oauth_app) == [cipher(key).decrypt(before.bot_refresh_token)]
    second = fake.token_of(HOME_TEAM)
    assert second != first
    assert {c.token for c in fake.calls[start:] if c.token} == {second}

    after = await _row(oauth_app, HOME_TEAM)
    assert cipher(key).decrypt(after.bot_token) == second
    assert after.bot_refresh_token != before.bot_refresh_token
    assert cipher(key).decrypt(after.bot_refresh_token) != cipher(key).decrypt(before.bot_refresh_token)
    assert after.bot_token_expires_at and before.bot_token_expires_at
    assert after.bot_token_expires_at > before.bot_token_expires_at


async def test_an_expired_token_is_refused_by_slack_and_refreshed_first(oauth_app: Liaison) -> None:
    fake = _fake(oauth_app)
    first = await install(oauth_app, HOME_TEAM)
    with time_machine.travel(time.time() + 13 * 3600, tick=True):
        refused = await oauth_app.http.post(
            fake.base_url + "auth.test", headers={"Authorization": f"Bearer {first}"}
        )
        assert refused.json() == {"ok": False, "error": "token_expired"}
        reply = await oauth_app.command("/project", SETUP_EN)
    assert "ACME ERP" in reply_text(reply)
    assert len(_refreshes(oauth_app)) == 1


async def test_scheduled_posts_use_their_project_workspace_token(
    oauth_app: Liaison, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    fake = _fake(oauth_app)
    home_token = await install(oauth_app, HOME_TEAM)
    other_token = await install(oauth_app, OTHER_TEAM)
    await oauth_app.command("/project", SETUP_EN)
    fake.add_channel("C0OTHER", name="huadong")
    await oauth_app.command("/project", SETUP_ZH, team=OTHER_TEAM, channel="C0OTHER")
    reply = await oauth_app.command("/sync", 'every tuesday 10am "Weekly sync" remind:15m')
    assert "S-1" in reply_text(reply)
    reply = await oauth_app.command(
        "/sync", '每周二上午10点 "周会" remind:15m', team=OTHER_TEAM, channel="C0OTHER"
    )
    assert "S-1" in reply_text(reply)

    clock.now = datetime(2026, 11, 24, 9, 46, tzinfo=SHANGHAI)
    await oauth_app.svc.runner.run_all()
    posts = {c.args["channel"]: c.token for c in fake.calls_to("chat.postMessage")}
    assert posts == {INTERNAL_CHANNEL: home_token, "C0OTHER": other_token}
    assert "named no workspace" not in caplog.text


async def test_keys_rotate_re_encrypts_every_row_with_the_new_key(
    oauth_app: Liaison,
    key: str,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tokens = {team: await install(oauth_app, team) for team in (HOME_TEAM, OTHER_TEAM)}
    before = {team: await _row(oauth_app, team) for team in tokens}
    new = Fernet.generate_key().decode()
    monkeypatch.setattr(cli, "configure_logging", lambda *a, **k: None)  # keep pytest's log capture
    monkeypatch.setenv("DATABASE_URL", database_url)

    monkeypatch.setenv("LIAISON_ENCRYPTION_KEY", Fernet.generate_key().decode())  # a key that never encrypted
    assert await asyncio.to_thread(cli.main, ["keys", "rotate"]) == 1
    assert "decrypts with none of the keys" in capsys.readouterr().err
    assert {team: (await _row(oauth_app, team)).bot_token for team in tokens} == {
        team: row.bot_token for team, row in before.items()
    }

    monkeypatch.setenv("LIAISON_ENCRYPTION_KEY", f"{new},{key}")
    assert await asyncio.to_thread(cli.main, ["keys", "rotate"]) == 0
    assert "re-encrypted the tokens of 2 installation(s)" in capsys.readouterr().out
    for team, token in tokens.items():
        row = await _row(oauth_app, team)
        assert row.bot_token != before[team].bot_token
        assert cipher(new).decrypt(row.bot_token) == token  # the new key alone reads every row
        assert cipher(new).decrypt(row.bot_refresh_token) == cipher(key).decrypt(
            before[team].bot_refresh_token
        )
        with pytest.raises(InvalidToken):
            cipher(key).decrypt(row.bot_token)


def test_keys_generate_prints_a_key_that_encrypts(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["keys", "generate"]) == 0
    key = capsys.readouterr().out.strip()
    assert cipher(key).decrypt(cipher(key).encrypt("xoxb-1")) == "xoxb-1"


async def test_no_row_and_no_log_line_holds_a_token_in_clear(
    oauth_app: Liaison, caplog: pytest.LogCaptureFixture, clock: Clock
) -> None:
    caplog.set_level(logging.DEBUG)
    fake = _fake(oauth_app)
    await install(oauth_app, HOME_TEAM)
    await install(oauth_app, OTHER_TEAM)
    fake.add_channel("C0OTHER", name="huadong")
    await oauth_app.command("/project", SETUP_EN)
    await oauth_app.command("/sync", 'every tuesday 10am "Weekly sync" remind:15m')
    with time_machine.travel(time.time() + HOURS_BEFORE_REFRESH * 3600, tick=True):
        await oauth_app.command("/project", "info")  # a refresh through a request
        await oauth_app.command("/project", SETUP_ZH, team=OTHER_TEAM, channel="C0OTHER")
        clock.now = datetime(2026, 11, 24, 9, 46, tzinfo=SHANGHAI)
        await oauth_app.svc.runner.run_all()  # and one through a scheduled post
    assert len(_refreshes(oauth_app)) == 2
    assert fake.calls_to("chat.postMessage")
    issued = [token for tokens in fake.issued.values() for token in tokens]
    assert len(issued) == 4

    dump = await dump_database(oauth_app)
    assert "slackinstallation" in dump
    for marker in TOKEN_MARKERS:
        assert marker not in dump
    assert caplog.records
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    for marker in TOKEN_MARKERS:
        assert marker not in logged
    for token in issued:
        assert token not in logged and token not in dump


async def test_a_token_is_refreshed_once_when_many_requests_see_it_expiring(oauth_app: Liaison) -> None:
    """Slack revokes a refresh token once used: concurrent requests must not each try to refresh."""
    await install(oauth_app, HOME_TEAM)
    await oauth_app.command("/project", SETUP_EN)
    installs = oauth_app.runtime.installs
    assert installs is not None
    stale = await installs.store.find_for_team(HOME_TEAM)
    assert stale is not None
    with time_machine.travel(time.time() + HOURS_BEFORE_REFRESH * 3600, tick=True):
        replies = await asyncio.gather(*(oauth_app.command("/project", "info") for _ in range(4)))
        # a replica holding the installation it read before the refresh gets the stored tokens, no new refresh
        newer = await installs.tokens.rotator.perform_token_rotation(installation=stale)
    assert all("ACME ERP" in reply_text(r) for r in replies)
    assert len(_refreshes(oauth_app)) == 1
    assert newer is not None and newer.bot_token == _fake(oauth_app).token_of(HOME_TEAM)
    assert len(_refreshes(oauth_app)) == 1


async def test_requests_that_lose_the_refresh_race_use_the_winners_token(
    oauth_app: Liaison, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interleaving CI met on PostgreSQL, forced: the winner has its new tokens from Slack but Bolt has not
    yet saved them when the other requests look at the token; none of them may be refused or refresh again."""
    fake = _fake(oauth_app)
    await install(oauth_app, HOME_TEAM)
    await oauth_app.command("/project", SETUP_EN)
    installs = oauth_app.runtime.installs
    assert installs is not None
    rotator, store = installs.tokens.rotator, installs.store
    rotate, save = rotator.perform_token_rotation, store.async_save
    requests, looked = 4, 0
    everyone_looked = asyncio.Event()

    async def counted(**kwargs: Any) -> Installation | None:
        nonlocal looked
        try:
            return await rotate(**kwargs)
        finally:
            looked += 1
            if looked == requests:
                everyone_looked.set()

    async def saved_last(installation: Installation) -> None:
        # Bolt saves what the rotator returned only once every request has looked at the token
        await everyone_looked.wait()
        await save(installation)

    monkeypatch.setattr(rotator, "perform_token_rotation", counted)
    monkeypatch.setattr(store, "async_save", saved_last)
    with time_machine.travel(time.time() + HOURS_BEFORE_REFRESH * 3600, tick=True):
        start = len(fake.calls)
        replies = await asyncio.gather(*(oauth_app.command("/project", "info") for _ in range(requests)))
    assert looked == requests
    assert [("ACME ERP" in reply_text(r)) for r in replies] == [True] * requests
    assert len(_refreshes(oauth_app)) == 1
    fresh = fake.token_of(HOME_TEAM)
    assert {c.token for c in fake.calls[start:] if c.token} == {fresh}
    row = await _row(oauth_app, HOME_TEAM)
    assert cipher(key).decrypt(row.bot_token) == fresh
