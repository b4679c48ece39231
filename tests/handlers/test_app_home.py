"""App Home end to end: `app_home_opened` (Events API, JSON) → views.publish for that person, via the policy.

Slack's limits: a Home tab view holds at most 100 blocks (https://api.slack.com/reference/block-kit/blocks);
Events API deliveries are retried, so they are de-duplicated by `event_id`.
"""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from typing import Any

from sqlmodel import select

from storage.models import CheckinAnswer, Occurrence, Project, Schedule
from tests.handlers.conftest import START
from tests.handlers.test_digest_commands import SECRET, seed
from tests.harness.app import ALICE, BOB, CAROL, HOME_TEAM, Clock, Liaison, reply_text

_ids = itertools.count(1)


def home_opened(user: str, *, event_id: str | None = None, tab: str = "home") -> bytes:
    """The event_callback envelope Slack posts when someone opens the app's Home tab."""
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": HOME_TEAM,
            "api_app_id": "A0LIAISON",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(START.timestamp()),
            "authorizations": [{"team_id": HOME_TEAM, "user_id": "U0BOT", "is_bot": True}],
            "event": {
                "type": "app_home_opened",
                "user": user,
                "channel": "D0HOME",
                "tab": tab,
                "event_ts": f"{int(START.timestamp())}.000100",
            },
        }
    ).encode()


async def open_home(app: Liaison, user: str, **kw: Any) -> dict[str, Any]:
    before = len([c for c in app.fake.calls_to("views.publish") if c.args["user_id"] == user])
    response = await app.post(home_opened(user, **kw), content_type="application/json")
    assert response.status_code == 200
    calls = await app.wait_for("views.publish", count=before + 1, where=lambda c: c.args["user_id"] == user)
    view: dict[str, Any] = calls[-1].args["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert app.fake.home_views[user]["blocks"] == view["blocks"]
    return view


async def test_team_member_sees_their_items_and_projects_with_internal_records(app: Liaison) -> None:
    await seed(app)
    text = reply_text(await open_home(app, ALICE))  # in Chinese: Alice's Slack locale is zh-CN
    assert "你的未完成行动项" in text and "SECRET negotiate discount" in text
    assert "ACME ERP" in text and "有风险" in text
    assert "SECRET cutover drill" in text  # the next milestone, for the team
    assert "SECRET vendor insolvency" in text  # the top risk, for the team


async def test_client_user_sees_only_client_records(app: Liaison) -> None:
    await seed(app)
    text = reply_text(await open_home(app, CAROL))
    assert "Provide test data" in text
    assert "/digest" not in text and "What's waiting for me" in text  # a client can't run our commands
    assert "ACME ERP" in text and "UAT sign-off" in text and "Test data late" in text
    assert not SECRET.search(text), SECRET.search(text)


async def test_a_person_slack_cannot_place_is_treated_as_from_the_client(app: Liaison) -> None:
    await seed(app)
    app.fake.fail_next("users.info", "internal_error", times=3)
    text = reply_text(await open_home(app, ALICE))
    assert "ACME ERP" in text and not SECRET.search(text)


async def test_checkins_waiting_and_retried_events_publish_once(app: Liaison) -> None:
    await seed(app)
    async with app.svc.sessions.begin() as s:
        project = (await s.exec(select(Project))).one()
        schedule = (await s.exec(select(Schedule))).one()
        assert schedule.id is not None and project.id is not None
        occurrence = Occurrence(schedule_id=schedule.id, occurs_at=START, status="posted")
        s.add(occurrence)
        await s.flush()
        assert occurrence.id is not None
        s.add(
            CheckinAnswer(
                occurrence_id=occurrence.id,
                project_id=project.id,
                user_id=BOB,
                prompted_at=START - timedelta(hours=2),
            )
        )
    text = reply_text(await open_home(app, BOB, event_id="EvSAME"))
    assert "Check-ins waiting for you" in text and "answer from the message in your DM" in text
    response = await app.post(home_opened(BOB, event_id="EvSAME"), content_type="application/json")
    assert response.status_code == 200
    await open_home(app, ALICE)  # a later event is handled, so the retry had its chance to run
    assert len([c for c in app.fake.calls_to("views.publish") if c.args["user_id"] == BOB]) == 1


async def test_the_messages_tab_publishes_nothing_and_a_newcomer_gets_a_welcome(app: Liaison) -> None:
    response = await app.post(home_opened(ALICE, tab="messages"), content_type="application/json")
    assert response.status_code == 200
    text = reply_text(await open_home(app, BOB))
    assert "No open action items" in text and "ACME ERP" not in text
    assert [c.args["user_id"] for c in app.fake.calls_to("views.publish")] == [BOB]


async def test_overdue_items_are_marked_with_their_age(app: Liaison, clock: Clock) -> None:
    # START is Tuesday 24 Nov, 08:00 in Shanghai (the project's zone).
    await app.command("/action", f"add Send the plan <@{BOB}|bob> due:2026-11-25")
    await app.command("/action", f"add Call the vendor <@{BOB}|bob> due:today 5pm")
    await app.command("/action", f"add 准备测试数据 <@{ALICE}|alice> due:2026-11-23")

    def line(text: str, what: str) -> str:
        return next(row for row in text.splitlines() if what in row)

    clock.now = START + timedelta(hours=8)  # 16:00: the 17:00 item is not due yet
    text = reply_text(await open_home(app, BOB))
    assert "overdue" not in text, text
    clock.now = START + timedelta(hours=10)  # 18:00: due today at 17:00 is overdue now
    text = reply_text(await open_home(app, BOB))
    assert "_overdue since today_" in line(text, "Call the vendor")
    assert "overdue" not in line(text, "Send the plan")
    clock.now = START + timedelta(days=4, hours=1)  # Saturday 28 Nov, 09:00
    text = reply_text(await open_home(app, BOB))
    assert "_overdue 3 days_" in line(text, "Send the plan")
    assert "_overdue 4 days_" in line(text, "Call the vendor")
    zh = reply_text(await open_home(app, ALICE))  # Alice's Slack locale is zh-CN
    assert "_逾期 5 天_" in line(zh, "准备测试数据")
    clock.now = START + timedelta(days=1)  # 1 day late
    assert "_逾期 2 天_" in line(reply_text(await open_home(app, ALICE)), "准备测试数据")
    assert "_overdue 1 day_" in line(reply_text(await open_home(app, BOB)), "Call the vendor")
