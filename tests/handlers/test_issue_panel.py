"""The client channel's panel end to end: a client user from another organisation (Carol, T0ACME) raises an
issue or asks a question by buttons and a form, the team is told and assigns it, "What's waiting for me" lists
her own items and sign-offs privately, a neglected issue is escalated once (time travel), and a check-in
blocker becomes an issue. English and Chinese; the same tests run on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import func, select

from handlers import ids
from storage.models import AuditLog, CheckinAnswer, Issue, Occurrence, ProcessedRequest, Schedule, SignOff
from tests.handlers.conftest import SHANGHAI
from tests.handlers.test_milestone_acceptance import CRITERIA
from tests.handlers.test_minutes_commands import block_action, find_button, opened_view, press
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    reply_text,
)


async def issues(app: Liaison) -> list[Issue]:
    async with app.session() as s:
        return list((await s.exec(select(Issue).order_by(Issue.number))).all())  # type: ignore[arg-type]


def panel(app: Liaison) -> dict[str, Any]:
    found = [m for m in app.fake.messages(SHARED_CHANNEL) if ids.PANEL_RAISE in str(m.get("blocks"))]
    assert found, "no panel in the client channel"
    return found[-1]


def form(
    view: dict[str, Any],
    *,
    title: str,
    description: str = "",
    severity: str | None = "medium",
    user: str = CAROL,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        ids.ISSUE_TITLE: {ids.ISSUE_TITLE: {"type": "plain_text_input", "value": title or None}},
        ids.ISSUE_DESCRIPTION: {
            ids.ISSUE_DESCRIPTION: {"type": "plain_text_input", "value": description or None}
        },
    }
    if severity is not None:
        values[ids.ISSUE_SEVERITY] = {
            ids.ISSUE_SEVERITY: {
                "type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": severity}, "value": severity},
            }
        }
    team = CLIENT_TEAM if user == CAROL else HOME_TEAM
    return {
        "type": "view_submission",
        "team": {"id": HOME_TEAM},
        "user": {"id": user, "team_id": team, "username": user.lower()},
        "api_app_id": "A0LIAISON",
        "trigger_id": "7.view-submit",
        "view": {
            "id": view["id"],
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "hash": view["hash"],
            "state": {"values": values},
        },
    }


async def open_form(app: Liaison, action_id: str = ids.PANEL_RAISE, *, user: str = CAROL) -> dict[str, Any]:
    before = len(app.fake.calls_to("views.open"))
    payload, _ = block_action(app, panel(app), action_id, user=user)
    response = await app.interaction(payload)
    assert response.status_code == 200
    return await opened_view(app, count=before + 1)


async def raise_issue(
    app: Liaison, *, title: str, severity: str = "medium", user: str = CAROL, description: str = ""
) -> Issue:
    view = await open_form(app, user=user)
    count = len(await issues(app))
    done = await app.interaction(
        form(view, title=title, severity=severity, user=user, description=description)
    )
    assert done.status_code == 200 and not done.content.strip(b"{} \n"), done.text
    await app.wait_for(
        "chat.postMessage",
        where=lambda c: (
            c.args.get("channel") == INTERNAL_CHANNEL and f"I-{count + 1}" in str(c.args.get("text"))
        ),
    )
    assert await app.svc.tasks.drain(10) == 0  # the submission's work after its ack is done
    return (await issues(app))[-1]


def assign_payload(
    app: Liaison, message: dict[str, Any], owner: str, *, user: str = ALICE
) -> tuple[dict[str, Any], str]:
    payload, key = block_action(
        app, message, ids.ISSUE_ASSIGN, user=user, channel=INTERNAL_CHANNEL, value="x"
    )
    block = next(
        b for b in message["blocks"] if (b.get("accessory") or {}).get("action_id") == ids.ISSUE_ASSIGN
    )
    payload["actions"] = [
        {
            "type": "users_select",
            "action_id": ids.ISSUE_ASSIGN,
            "block_id": block["block_id"],
            "selected_user": owner,
            "action_ts": "2",
        }
    ]
    return payload, key


@pytest.fixture
async def app(app: Liaison) -> Liaison:
    """The project with its client channel (tests/handlers/conftest.py), and the panel posted there again."""
    await app.command("/project", "panel", channel=SHARED_CHANNEL)
    return app


def team_posts(app: Liaison) -> list[dict[str, Any]]:
    return app.fake.messages(INTERNAL_CHANNEL)


# ---- the panel -----------------------------------------------------------------------------------------


async def test_binding_the_client_channel_posts_the_panel_and_project_panel_posts_it_again(
    liaison: Liaison,
) -> None:
    app = liaison
    await app.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:en')
    await app.command("/project", "client-channel", channel=SHARED_CHANNEL)
    first = panel(app)
    text = reply_text(first)
    assert (
        "ACME" in text
        and "Raise an issue" in text
        and "Ask a question" in text
        and "What's waiting for me" in text
    )
    assert "/" not in first["text"]  # buttons, never "run /…"
    for action_id in (ids.PANEL_RAISE, ids.PANEL_ASK, ids.PANEL_WAITING):
        find_button(first, action_id)
    reply = await app.command("/project", "panel", channel=SHARED_CHANNEL)
    assert "Posted the panel" in reply_text(reply)
    assert panel(app)["ts"] != first["ts"]
    elsewhere = reply_text(await app.command("/project", "panel"))
    assert "client channel" in elsewhere and ":warning:" in elsewhere


async def test_a_client_raises_an_issue_the_team_assigns_it_and_the_client_hears(
    app: Liaison, clock: Clock
) -> None:
    issue = await raise_issue(
        app, title="Payroll export <!channel> fails", severity="high", description="Since Monday's patch"
    )
    assert (issue.number, issue.title, issue.severity, issue.kind) == (
        1,
        "Payroll export <!channel> fails",
        "high",
        "issue",
    )
    assert (issue.visibility, issue.raised_by, issue.raised_team_id, issue.raised_external) == (
        "client",
        CAROL,
        CLIENT_TEAM,
        True,
    )
    assert issue.first_response_at is None and issue.description == "Since Monday's patch"
    # the acknowledgement in the client channel: the id, escaped text, the target as a Slack date token
    ack = next(m for m in app.fake.messages(SHARED_CHANNEL) if "I-1" in m["text"])
    assert ack["ts"] == issue.client_ts and issue.client_channel_id == SHARED_CHANNEL
    assert "<!channel>" not in reply_text(ack) and "&lt;!channel&gt;" in ack["text"]
    target = datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI)  # high: one working day
    assert f"<!date^{int(target.timestamp())}^" in ack["text"] and "/issue" not in ack["text"]
    # the team hears, with who raised it from which client, and an Assign menu
    note = next(m for m in team_posts(app) if "I-1" in m["text"])
    assert f"<@{CAROL}> (from ACME)" in note["text"] and "High" in note["text"]
    assert issue.team_ts == note["ts"]
    payload, key = assign_payload(app, note, BOB)
    clock.advance(minutes=30)
    await app.interaction(payload)
    [answer] = await app.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    assert "Assigned I-1 to <@U0BOB>" in reply_text(answer.args)
    [issue] = await issues(app)
    assert (issue.owner_user_id, issue.owner_team_id, issue.first_response_at) == (BOB, HOME_TEAM, clock.now)
    thread = [m for m in app.fake.messages(SHARED_CHANNEL) if m.get("thread_ts") == ack["ts"]]
    assert [m["text"] for m in thread] == [f"Assigned: <@{BOB}> is on I-1."]
    announcement = next(m for m in team_posts(app) if m["ts"] == note["ts"])
    assert f"Owner: <@{BOB}>. Reassign:" in reply_text(announcement)
    # resolving tells the client thread too
    await app.command("/issue", "resolve I-1 Patched the exporter")
    replies = [m["text"] for m in app.fake.messages(SHARED_CHANNEL) if m.get("thread_ts") == ack["ts"]]
    assert replies[-1] == ":white_check_mark: I-1 is resolved: Patched the exporter"
    async with app.session() as s:
        actions = [
            a.action for a in (await s.exec(select(AuditLog).where(AuditLog.record_ref == "I-1"))).all()
        ]
    assert actions == ["issue.create", "issue.assign", "issue.resolve"]


async def test_a_team_members_raise_in_the_client_channel_is_the_teams(app: Liaison) -> None:
    issue = await raise_issue(app, title="Cut-over window too short", user=ALICE)
    assert (issue.visibility, issue.raised_by, issue.raised_external) == ("client", ALICE, False)
    assert issue.first_response_at is not None  # the team raised it itself
    note = next(m for m in team_posts(app) if "I-1" in m["text"])
    assert "from ACME" not in note["text"] and f"<@{ALICE}>" in note["text"]


async def test_mistakes_in_the_form_stay_under_their_fields_and_write_nothing(app: Liaison) -> None:
    view = await open_form(app)
    async with app.session() as s:
        before = (await s.exec(select(func.count()).select_from(ProcessedRequest))).one()
    empty = await app.interaction(form(view, title="  "))
    assert empty.json()["response_action"] == "errors"
    assert empty.json()["errors"] == {ids.ISSUE_TITLE: "Say what the issue is."}
    bad = await app.interaction(form(view, title="Broken", severity="huge"))
    assert (
        set(bad.json()["errors"]) == {ids.ISSUE_SEVERITY}
        and "`huge` is not a severity" in bad.json()["errors"][ids.ISSUE_SEVERITY]
    )
    assert await issues(app) == []
    async with app.session() as s:
        assert (await s.exec(select(func.count()).select_from(ProcessedRequest))).one() == before
        assert (
            await s.exec(
                select(func.count()).select_from(AuditLog).where(AuditLog.action.startswith("issue."))
            )
        ).one() == 0


async def test_a_question_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    await app.command("/project", "panel", channel=SHARED_CHANNEL)
    assert "提出问题" in reply_text(panel(app)) and "待我处理" in reply_text(panel(app))
    view = await open_form(app, ids.PANEL_ASK)
    assert view["title"]["text"] == "提个问题" and ids.ISSUE_SEVERITY not in str(view["blocks"])
    empty = await app.interaction(form(view, title="", severity=None))
    assert empty.json()["errors"] == {ids.ISSUE_TITLE: "请写下你的问题。"}
    done = await app.interaction(form(view, title="培训安排在哪一天？", severity=None))
    assert done.status_code == 200
    await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    [issue] = await issues(app)
    assert (issue.kind, issue.title, issue.severity, issue.visibility) == (
        "question",
        "培训安排在哪一天？",
        "medium",
        "client",
    )
    ack = next(m for m in app.fake.messages(SHARED_CHANNEL) if "I-1" in m["text"])
    assert "提了问题 I-1" in ack["text"] and "<!date^" in ack["text"]
    note = next(m for m in team_posts(app) if "I-1" in m["text"])
    assert "来自 ACME" in note["text"]


async def test_whats_waiting_for_me_is_private_and_offers_the_buttons(app: Liaison) -> None:
    await app.command("/action", f"add Send the test data <@{CAROL}|carol> due:2026-12-04 [client]")
    await app.command("/action", f"add Internal note about carol <@{CAROL}|carol>")
    await app.command("/action", f"add Bob's thing <@{BOB}|bob> [client]")
    await app.command("/milestone", 'add "UAT sign-off" due:2026-12-15 [client]')
    await app.command("/milestone", f"criteria {CRITERIA}")
    await app.command("/milestone", "accept MS-1")
    answer = await press(app, panel(app), ids.PANEL_WAITING)
    text = reply_text(answer)
    assert answer["response_type"] == "ephemeral"
    assert "A-1" in text and "Send the test data" in text and "A-2" not in text and "A-3" not in text
    assert "MS-1" in text and "UAT sign-off" in text and "/" not in answer["text"]
    find_button(answer, ids.ACTION_DONE, value=None)
    find_button(answer, ids.SIGNOFF_APPROVE)
    accepted = await press(app, answer, ids.SIGNOFF_APPROVE)
    assert "MS-1" in reply_text(accepted)
    async with app.session() as s:
        [row] = (await s.exec(select(SignOff))).all()
    assert (row.status, row.decided_by) == ("approved", CAROL)
    done = await press(app, answer, ids.ACTION_DONE)
    assert "A-1" in reply_text(done)
    empty = await press(app, panel(app), ids.PANEL_WAITING)
    assert "Nothing is waiting for you" in reply_text(empty)
    bob = await press(app, panel(app), ids.PANEL_WAITING, user=BOB)  # the team's own: items, no sign-offs
    assert "A-3" in reply_text(bob) and "Bob's thing" in reply_text(bob) and "UAT" not in reply_text(bob)


# ---- escalation ------------------------------------------------------------------------------------------


def escalations(app: Liaison) -> list[str]:
    return [m["text"] for m in team_posts(app) if m["text"].startswith(":warning:")]


async def test_an_unanswered_critical_issue_is_escalated_once_after_four_hours(
    app: Liaison, clock: Clock
) -> None:
    start = clock.now
    await raise_issue(app, title="Production is down", severity="critical")
    clock.now = start + timedelta(hours=3, minutes=59)
    await app.svc.runner.run_all()
    assert escalations(app) == []
    clock.now = start + timedelta(hours=4, minutes=1)
    await app.svc.runner.run_all()
    await app.svc.runner.run_all()
    [message] = escalations(app)
    assert (
        message.startswith(f":warning: <@{ALICE}> *I-1* (Critical) has had no response") and "4 h" in message
    )
    [issue] = await issues(app)
    assert issue.escalated_at == clock.now
    clock.advance(days=3)
    await app.svc.runner.run_all()
    assert len(escalations(app)) == 1


async def test_a_response_in_time_stops_it_and_working_days_skip_the_weekend(
    app: Liaison, clock: Clock
) -> None:
    start = clock.now  # Tuesday 08:00 in Shanghai
    await raise_issue(app, title="Report totals off", severity="medium")  # three working days: Friday 08:00
    await raise_issue(app, title="Label typo", severity="low")  # five working days: next Tuesday 08:00
    note = next(m for m in team_posts(app) if "I-1" in m["text"])
    await app.interaction(assign_payload(app, note, BOB)[0])
    await app.wait_for("chat.postMessage", where=lambda c: "Assigned" in str(c.args.get("text")))
    clock.now = datetime(2026, 11, 30, 7, 59, tzinfo=SHANGHAI)  # Monday: the weekend does not count
    await app.svc.runner.run_all()
    assert escalations(app) == []
    clock.now = datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    [message] = escalations(app)
    assert "I-2" in message and "5 working days" in message
    assert start < clock.now


async def test_an_issue_open_past_its_due_time_is_escalated_once(app: Liaison, clock: Clock) -> None:
    await app.command("/issue", "add Licence renewal severity:low due:2026-11-25 5pm")
    clock.now = datetime(2026, 11, 25, 16, 59, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert escalations(app) == []
    clock.now = datetime(2026, 11, 25, 17, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    await app.svc.runner.run_all()
    [message] = escalations(app)
    assert "*I-1* (Low) is still open past its due time" in message


async def test_escalation_in_chinese(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "settings lang:zh response:critical=1h")
    start = clock.now
    await raise_issue(app, title="系统宕机", severity="critical")
    clock.now = start + timedelta(hours=1)
    await app.svc.runner.run_all()
    [message] = escalations(app)
    assert "I-1（致命）在响应时限（1 小时" in message


# ---- a check-in blocker becomes an issue ------------------------------------------------------------------


async def test_a_checkin_blocker_becomes_an_internal_issue(app: Liaison) -> None:
    async with app.svc.sessions.begin() as s:
        schedule = Schedule(project_id=1, number=1, kind="checkin", created_by=ALICE)
        s.add(schedule)
        await s.flush()
        assert schedule.id is not None
        occurrence = Occurrence(schedule_id=schedule.id, occurs_at=datetime(2026, 11, 24, tzinfo=UTC))
        s.add(occurrence)
        await s.flush()
        assert occurrence.id is not None
        answer = CheckinAnswer(
            occurrence_id=occurrence.id,
            project_id=1,
            user_id=BOB,
            blockers="Waiting for VPN access from ACME IT\nsince last week",
            answered_at=datetime(2026, 11, 24, tzinfo=UTC),
        )
        s.add(answer)
        await s.flush()
        answer_id = answer.id
    from handlers.builders.checkin import build_summary

    _, blocks = build_summary(project="ACME ERP", answers=[answer], lang="en")
    summary = {"ts": "5.5", "text": "summary", "blocks": blocks}
    button = find_button(summary, ids.ISSUE_FROM_BLOCKER)[1]
    assert button["value"] == str(answer_id) and button["text"]["text"] == "Make it an issue"
    before = len(app.fake.calls_to("views.open"))
    payload, _ = block_action(app, summary, ids.ISSUE_FROM_BLOCKER, user=ALICE, channel=INTERNAL_CHANNEL)
    await app.interaction(payload)
    view = await opened_view(app, count=before + 1)
    title = view["blocks"][0]["element"]["initial_value"]
    assert title == "Waiting for VPN access from ACME IT"
    assert "since last week" in view["blocks"][1]["element"]["initial_value"]
    await app.interaction(form(view, title=title, severity="high", user=ALICE))
    await app.wait_for(
        "chat.postMessage",
        where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL and "I-1" in str(c.args.get("text")),
    )
    [issue] = await issues(app)
    assert (issue.visibility, issue.severity, issue.raised_by) == ("internal", "high", ALICE)
    assert not [m for m in app.fake.messages(SHARED_CHANNEL) if "I-1" in m["text"]]  # the client never hears
    # a client can't make one from a crafted click
    crafted = await press(app, {"ts": "1.0", "blocks": []}, ids.ISSUE_FROM_BLOCKER, value=str(answer_id))
    assert "project team" in reply_text(crafted)
    assert len(await issues(app)) == 1


async def test_whats_waiting_for_me_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    await app.command("/action", f"添加 提供测试数据 <@{CAROL}|carol> 截止:2026-12-04 [客户]")
    answer = await press(app, panel(app), ids.PANEL_WAITING)
    text = reply_text(answer)
    assert "待你处理" in text and "你的未完成行动项" in text and "提供测试数据" in text and "截止" in text
    assert answer["response_type"] == "ephemeral"
    find_button(answer, ids.ACTION_DONE)
