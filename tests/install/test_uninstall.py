"""Uninstalling (app_uninstalled, or the bot's token revoked) forgets the workspace's tokens and pauses its
schedules; reinstalling resumes exactly those, never one a person paused."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest
from sqlmodel import select

from storage.models import AuditLog, Schedule, SlackInstallation, UninstallPause
from tests.handlers.conftest import SHANGHAI
from tests.harness.app import HOME_TEAM, INTERNAL_CHANNEL, Clock, Liaison, reply_text
from tests.harness.fake_slack import OAuthFakeSlack
from tests.install.conftest import OTHER_TEAM, install

SETUP = 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:en'


def _event(team_id: str, event: dict[str, Any]) -> bytes:
    """An Events API callback as Slack sends it (https://docs.slack.dev/reference/events/app_uninstalled)."""
    return json.dumps(
        {
            "token": "legacy",
            "team_id": team_id,
            "api_app_id": "A0LIAISON",
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "event": {**event, "event_ts": f"{time.time():.6f}"},
        }
    ).encode()


async def _eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    """The listener runs after the ack: wait until what it writes is there."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "the listener did not finish in time"
        await asyncio.sleep(0.02)


async def _state(app: Liaison) -> tuple[list[str], dict[int, str], list[int]]:
    async with app.session() as s:
        teams = [r.team_id for r in (await s.exec(select(SlackInstallation))).all()]
        statuses = {r.number: r.status for r in (await s.exec(select(Schedule))).all()}
        pauses = [r.schedule_id for r in (await s.exec(select(UninstallPause))).all()]
    return sorted(teams), statuses, pauses


def _posts(app: Liaison, channel: str) -> list[Any]:
    return [c for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]


UNINSTALLS = {
    "app_uninstalled": {"type": "app_uninstalled"},
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [f"UB{HOME_TEAM[-6:]}"]}},
}


@pytest.mark.parametrize("event", list(UNINSTALLS))
async def test_uninstall_pauses_and_reinstall_resumes_only_what_it_paused(
    oauth_app: Liaison, clock: Clock, event: str
) -> None:
    fake = oauth_app.fake
    assert isinstance(fake, OAuthFakeSlack)
    await install(oauth_app, HOME_TEAM)
    await install(oauth_app, OTHER_TEAM)
    await oauth_app.command("/project", SETUP)
    await oauth_app.command("/sync", 'every tuesday 10am "Weekly sync" remind:15m')
    await oauth_app.command("/sync", 'every friday 4pm "Friday wrap-up"')
    reply = await oauth_app.command("/sync", "pause S-2")  # a person paused this one
    assert "S-2" in reply_text(reply)

    fake.revoke(HOME_TEAM)  # Slack revokes the tokens, then tells the app
    response = await oauth_app.post(_event(HOME_TEAM, UNINSTALLS[event]), content_type="application/json")
    assert response.status_code == 200

    async def forgotten() -> bool:
        teams, statuses, _ = await _state(oauth_app)
        return teams == [OTHER_TEAM] and statuses[1] == "paused"

    await _eventually(forgotten)
    teams, statuses, pauses = await _state(oauth_app)
    assert statuses == {1: "paused", 2: "paused"}
    async with oauth_app.session() as s:
        [s1] = (await s.exec(select(Schedule).where(Schedule.number == 1))).all()
        audit = [
            (a.action, a.actor_user_id, a.changes.get("why")) for a in (await s.exec(select(AuditLog))).all()
        ]
    assert pauses == [s1.id]
    assert ("sync.paused", "liaison", "uninstalled") in audit
    assert not oauth_app.svc.scheduler.has_job(f"schedule:{s1.id}")

    clock.now = datetime(2026, 11, 24, 9, 46, tzinfo=SHANGHAI)
    await oauth_app.svc.runner.run_all()
    assert _posts(oauth_app, INTERNAL_CHANNEL) == []  # nothing is posted for an uninstalled workspace

    token = await install(oauth_app, HOME_TEAM)  # reinstalled
    teams, statuses, pauses = await _state(oauth_app)
    assert (teams, statuses, pauses) == ([HOME_TEAM, OTHER_TEAM], {1: "active", 2: "paused"}, [])
    assert oauth_app.svc.scheduler.has_job(f"schedule:{s1.id}")

    clock.now = datetime(2026, 12, 1, 9, 46, tzinfo=SHANGHAI)
    await oauth_app.svc.runner.run_all()
    [post] = _posts(oauth_app, INTERNAL_CHANNEL)
    assert post.token == token
    async with oauth_app.session() as s:
        actions = [a.action for a in (await s.exec(select(AuditLog).order_by(AuditLog.id))).all()]  # type: ignore[arg-type]
    assert actions[-1] == "sync.active"


async def test_revoking_only_a_user_token_keeps_the_workspace(oauth_app: Liaison) -> None:
    await install(oauth_app, HOME_TEAM)
    await oauth_app.command("/project", SETUP)
    await oauth_app.command("/sync", 'every tuesday 10am "Weekly sync"')
    event = {"type": "tokens_revoked", "tokens": {"oauth": ["U0ADMIN"], "bot": []}}
    response = await oauth_app.post(_event(HOME_TEAM, event), content_type="application/json")
    assert response.status_code == 200
    await oauth_app.svc.tasks.drain(5)  # the listener has run
    assert await _state(oauth_app) == ([HOME_TEAM], {1: "active"}, [])
    reply = await oauth_app.command("/project", "info")
    assert "ACME ERP" in reply_text(reply)
