"""/change end to end: change requests with impact and affected records, the form, list/show/edit/withdraw, and
the client's approval on the one sign-off workflow (approval moves affected milestones' forecasts by working
days, kept as a slip naming the CR; a rejection keeps the client's reason). English and Chinese.

The `app` fixture (tests/handlers/conftest.py) is a project in Asia/Shanghai with its client channel bound, and a
clock at Tue 24 Nov 2026, 08:00 in Shanghai. CAROL is the client (another organisation); ALICE and BOB the team.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from handlers import ids
from storage.models import AuditLog, ChangeRequest, Milestone, MilestoneSlip, SignOff
from tests.handlers.test_minutes_commands import block_action, opened_view, press, rows, submission
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    reply_text,
)

QUICK = (
    'add "Add SSO login" why:"Required by the security audit" impact:+5d,+16h,cost:8000 affects:MS-1 [client]'
)


async def _milestone(
    app: Liaison, title: str = "UAT sign-off", due: str = "2026-12-15", flag: str = "[client]"
) -> None:
    reply = await app.command("/milestone", f'add "{title}" due:{due} {flag}')
    assert "MS-" in reply_text(reply), reply_text(reply)


async def _sent(app: Liaison, text: str = QUICK) -> dict[str, Any]:
    await _milestone(app)
    created = await app.command("/change", text)
    assert "Recorded CR-1 as a draft" in reply_text(created), reply_text(created)
    reply = await app.command("/change", "send CR-1")
    assert "Sent CR-1 version 1" in reply_text(reply), reply_text(reply)
    return app.fake.messages(SHARED_CHANNEL)[-1]


def _reason(text: str) -> dict[str, Any]:
    return {ids.SIGNOFF_TEXT: {ids.SIGNOFF_TEXT: {"type": "plain_text_input", "value": text}}}


def _form(
    *,
    title: str = "",
    why: str = "",
    days: str = "",
    hours: str = "",
    cost: str = "",
    affects: str = "",
    share: bool = False,
) -> dict[str, Any]:
    """`view.state.values` as Slack sends them for the change form."""

    def text(block: str, value: str) -> dict[str, Any]:
        return {block: {"type": "plain_text_input", "value": value or None}}

    option = {"text": {"type": "plain_text", "text": "Share with the client"}, "value": "client"}
    return {
        ids.CHANGE_TITLE: text(ids.CHANGE_TITLE, title),
        ids.CHANGE_WHY: text(ids.CHANGE_WHY, why),
        ids.CHANGE_DAYS: text(ids.CHANGE_DAYS, days),
        ids.CHANGE_HOURS: text(ids.CHANGE_HOURS, hours),
        ids.CHANGE_COST: text(ids.CHANGE_COST, cost),
        ids.CHANGE_AFFECTS: text(ids.CHANGE_AFFECTS, affects),
        ids.CHANGE_SHARE: {
            ids.CHANGE_SHARE: {"type": "checkboxes", "selected_options": [option] if share else []}
        },
    }


# ---- add -----------------------------------------------------------------------------------------------


async def test_add_records_a_draft_with_its_impact_and_affected_records(app: Liaison) -> None:
    await _milestone(app)
    reply = await app.command("/change", QUICK.replace("affects:MS-1", "affects:ms1, MS-1"))
    text = reply_text(reply)
    assert "Recorded CR-1 as a draft" in text and "/change send CR-1" in text
    assert "schedule +5 working days · effort +16 h · cost +8,000" in text
    assert reply["response_type"] == "ephemeral"
    [change] = await rows(app, ChangeRequest)
    assert (change.number, change.title, change.why, change.status, change.visibility) == (
        1,
        "Add SSO login",
        "Required by the security audit",
        "draft",
        "client",
    )
    assert (change.impact_days, change.impact_hours, change.impact_cost, change.affects) == (
        5,
        16.0,
        8000.0,
        ["MS-1"],
    )
    assert ("change.create", "CR-1") in [(a.action, a.record_ref) for a in await rows(app, AuditLog)]


async def test_impact_takes_any_subset_in_any_order_and_the_chinese_units(app: Liaison) -> None:
    await app.command("/change", "add Extra report impact:cost: 1.5k, 3 d")
    await app.command("/change", "add Less scope impact:-2天")
    await app.command("/change", "add Training 影响:12小时，费用:2万")
    first, second, third = await rows(app, ChangeRequest)
    assert (first.impact_days, first.impact_hours, first.impact_cost) == (3, 0.0, 1500.0)
    assert (second.impact_days, second.impact_hours, second.impact_cost) == (-2, 0.0, 0.0)
    assert (third.impact_days, third.impact_hours, third.impact_cost) == (0, 12.0, 20000.0)
    assert all(c.visibility == "internal" and c.affects == [] for c in (first, second, third))


MISTAKES = [
    ("add", None),  # opens the form: not a mistake (checked below)
    ('add why:"no title"', "Give the change request a title"),
    ('add "SSO" impact:+5w', "“+5w” is not an impact"),
    ('add "SSO" impact:+5d,+3d', "repeats a part of the impact"),
    ('add "SSO" affects:R-1', "“R-1” is not a milestone or requirement"),
    ('add "SSO" affects:MS-9', "There is no MS-9"),
    ('add "SSO" affects:rq1', "There is no RQ-1"),
    ('add "SSO" [client] [internal]', ""),
    ("show CR-1", "There is no CR-1"),
    ("show", "Say which change request"),
    ("show R-1", "is not a reference like"),
    ("list everything", "is not a list I know"),
    ("edit CR-1", "Say what to change"),
    ("send CR-1", "There is no CR-1"),
    ("withdraw CR-1", "There is no CR-1"),
    ("approve CR-1", "/change"),
]


async def test_mistakes_answer_privately_with_a_working_example_and_write_nothing(app: Liaison) -> None:
    for text, expected in MISTAKES[1:]:
        reply = await app.command("/change", text)
        shown = reply_text(reply)
        assert expected in shown and "Example" in shown, (text, shown)
        assert reply["response_type"] == "ephemeral", text
        assert await rows(app, ChangeRequest) == [], text
    assert [a.action for a in await rows(app, AuditLog) if a.action.startswith("change.")] == []


async def test_mistakes_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    shown = reply_text(await app.command("/change", '添加 "单点登录" 影响:五天'))
    assert "无法识别影响“五天”" in shown and "示例" in shown and "/change 添加" in shown
    shown = reply_text(await app.command("/change", '添加 "单点登录" 涉及:MS-3'))
    assert "本项目中没有 MS-3" in shown
    assert await rows(app, ChangeRequest) == []


async def test_a_retried_request_writes_once(app: Liaison) -> None:
    form = app.command_form("/change", 'add "Add SSO login" impact:+5d')
    body = urlencode(form).encode()
    for _ in range(2):
        response = await app.post(body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    key = form["response_url"].rsplit("/", 1)[-1]
    answers = await app.wait_for("response_url", count=2, where=lambda c: c.args.get("_key") == key)
    texts = [reply_text(a.args) for a in answers]
    assert any("Recorded CR-1" in t for t in texts) and any(
        "already recorded from this request" in t for t in texts
    )
    assert len(await rows(app, ChangeRequest)) == 1
    assert [a.action for a in await rows(app, AuditLog) if a.action.startswith("change.")] == [
        "change.create"
    ]


async def test_a_retried_send_posts_once(app: Liaison) -> None:
    await _milestone(app)
    await app.command("/change", QUICK)
    form = app.command_form("/change", "send CR-1")
    body = urlencode(form).encode()
    for _ in range(2):
        assert (await app.post(body, content_type="application/x-www-form-urlencoded")).status_code == 200
    key = form["response_url"].rsplit("/", 1)[-1]
    await app.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    assert len(await rows(app, SignOff)) == 1
    assert len([m for m in app.fake.messages(SHARED_CHANNEL) if "CR-1" in m.get("text", "")]) == 1


# ---- the form ------------------------------------------------------------------------------------------


async def test_add_without_text_opens_the_form_and_its_mistakes_show_on_their_fields(app: Liaison) -> None:
    await _milestone(app)
    response, _ = await app.send_command("/change", "add")
    assert response.status_code == 200
    view = await opened_view(app)
    assert view["callback_id"] == ids.CHANGE_MODAL
    assert view["title"]["text"] == "New change request"
    bad = await app.interaction(
        submission(view, _form(title=" ", days="five", hours="16", cost="8k", affects="MS-1, R-2"))
    )
    assert bad.json()["response_action"] == "errors"
    errors = bad.json()["errors"]
    assert set(errors) == {ids.CHANGE_TITLE, ids.CHANGE_DAYS, ids.CHANGE_AFFECTS}
    assert "“five” is not a number of working days" in errors[ids.CHANGE_DAYS]
    missing = await app.interaction(submission(view, _form(title="SSO", affects="MS-7")))
    assert missing.json()["errors"] == {ids.CHANGE_AFFECTS: "There is no MS-7 in this project."}
    assert await rows(app, ChangeRequest) == []
    good = await app.interaction(
        submission(
            view,
            _form(
                title="Add SSO login",
                why="Audit",
                days="5",
                hours="16",
                cost="8000",
                affects="ms-1",
                share=True,
            ),
        )
    )
    assert good.status_code == 200 and not good.content.strip(b"{} \n")
    [posted] = await app.wait_for("chat.postEphemeral")
    assert (posted.args["channel"], posted.args["user"]) == (INTERNAL_CHANNEL, ALICE)
    assert "Recorded CR-1 as a draft" in reply_text(posted.args)
    [change] = await rows(app, ChangeRequest)
    assert (change.title, change.why, change.impact_days, change.impact_hours, change.impact_cost) == (
        "Add SSO login",
        "Audit",
        5,
        16.0,
        8000.0,
    )
    assert (change.affects, change.visibility) == (["MS-1"], "client")
    again = await app.interaction(submission(view, _form(title="Add SSO login")))
    assert again.status_code == 200
    await app.wait_for("chat.postEphemeral", count=2)
    assert len(await rows(app, ChangeRequest)) == 1  # a retried submission of the same view writes once


async def test_the_form_speaks_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    await app.send_command("/change", "添加")
    view = await opened_view(app)
    assert view["title"]["text"] == "新建变更申请"
    bad = await app.interaction(submission(view, _form(title="单点登录", cost="很多")))
    assert bad.json()["errors"] == {ids.CHANGE_COST: "“很多”不是金额，应类似 8000。"}


# ---- send, approve, reject ------------------------------------------------------------------------------


async def test_the_client_approves_and_affected_milestones_move_by_working_days(app: Liaison) -> None:
    await _milestone(app, "Internal rehearsal", "2026-12-10", "")  # MS-1, internal
    await _milestone(app, "UAT sign-off", "2026-12-15")  # MS-2
    await app.command("/change", QUICK.replace("affects:MS-1", "affects:MS-1,MS-2"))
    await app.command("/change", "send CR-1")
    message = app.fake.messages(SHARED_CHANNEL)[-1]
    text = reply_text(message)
    assert "Change request approval requested: CR-1 (version 1)" in text
    assert (
        "CR-1 · Add SSO login" in message["text"] and "Why: Required by the security audit" in message["text"]
    )
    assert "Impact: schedule +5 working days · effort +16 h · cost +8,000" in message["text"]
    assert "MS-2 UAT sign-off" in message["text"]
    assert "MS-1" not in message["text"] and "rehearsal" not in message["text"]  # internal: never shown
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Approve", "Approve with remarks", "Reject"]
    [change] = await rows(app, ChangeRequest)
    assert change.status == "sent"

    for user in (ALICE, BOB):  # a team member's click is refused and changes nothing
        refused = await press(app, message, ids.SIGNOFF_APPROVE, user=user)
        assert "Only the client signs this" in reply_text(refused)
    assert (await rows(app, SignOff))[0].status == "waiting"
    assert [m.forecast_on for m in await rows(app, Milestone)] == [date(2026, 12, 10), date(2026, 12, 15)]

    answer = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "you approved CR-1" in reply_text(answer)
    [change] = await rows(app, ChangeRequest)
    assert change.status == "approved"
    internal, uat = await rows(app, Milestone)
    assert (internal.forecast_on, uat.forecast_on) == (date(2026, 12, 17), date(2026, 12, 22))  # Mon–Fri
    assert uat.planned_on == date(2026, 12, 15)
    slips = await rows(app, MilestoneSlip)
    assert len(slips) == 2 and all("Change request CR-1 approved by the client" in s.reason for s in slips)
    assert (slips[1].from_on, slips[1].to_on, slips[1].by_user_id) == (
        date(2026, 12, 15),
        date(2026, 12, 22),
        CAROL,
    )
    entries = [(a.action, a.record_ref) for a in await rows(app, AuditLog)]
    assert ("change.signoff_approved", "CR-1") in entries and ("milestone.slip", "MS-2") in entries
    [note] = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    assert "approved CR-1 version 1" in reply_text(note.args)
    shown = reply_text(await app.command("/milestone", "show MS-2"))
    assert "Change request CR-1 approved by the client" in shown
    again = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "already decided" in reply_text(again)
    assert len(await rows(app, MilestoneSlip)) == 2  # a second click moves nothing


async def test_schedule_impact_follows_the_projects_holiday_calendar(app: Liaison) -> None:
    await app.command("/project", "settings holidays:CN")
    await _milestone(app, "Go-live", "2026-12-28")
    await app.command("/change", '添加 "Data migration" 影响:+5天 涉及:MS-1 [客户]')
    await app.command("/change", "send CR-1")
    message = app.fake.messages(SHARED_CHANNEL)[-1]
    await press(app, message, ids.SIGNOFF_APPROVE)
    [milestone] = await rows(app, Milestone)
    assert milestone.forecast_on == date(2027, 1, 5)  # New Year's Day is not a working day (Mon–Fri: 4 Jan)


async def test_rejection_keeps_the_reason_and_show_says_it(app: Liaison) -> None:
    message = await _sent(app)
    await app.interaction(block_action(app, message, ids.SIGNOFF_REJECT)[0])
    view = await opened_view(app)
    empty = await app.interaction(submission(view, _reason(" "), user=CAROL, team=CLIENT_TEAM))
    assert "Say why" in empty.json()["errors"][ids.SIGNOFF_TEXT]
    done = await app.interaction(
        submission(view, _reason("Out of budget this year"), user=CAROL, team=CLIENT_TEAM)
    )
    assert done.status_code == 200
    [change] = await rows(app, ChangeRequest)
    assert change.status == "rejected"
    [row] = await rows(app, SignOff)
    assert (row.status, row.remarks) == ("rejected", "Out of budget this year")
    [milestone] = await rows(app, Milestone)
    assert milestone.forecast_on == date(2026, 12, 15) and await rows(app, MilestoneSlip) == []
    shown = reply_text(await app.command("/change", "show CR-1"))
    assert "The client's reason" in shown and "Out of budget this year" in shown
    assert "rejected by <@U0CAROL>" in shown
    refused = reply_text(await app.command("/change", "edit CR-1 impact:+2d"))
    assert "can't be edited" in refused
    assert "can't be sent" in reply_text(await app.command("/change", "send CR-1"))


async def test_internal_change_requests_are_never_sent_or_shown_to_the_client(app: Liaison) -> None:
    await app.command("/change", 'add "Our margin fix" impact:cost:500')
    reply = await app.command("/change", "send CR-1")
    assert "CR-1 is internal" in reply_text(reply)
    assert await rows(app, SignOff) == [] and (await rows(app, ChangeRequest))[0].status == "draft"
    for user in (CAROL, ALICE):  # in the shared channel an internal CR answers like a missing one
        shown = reply_text(await app.command("/change", "show CR-1", user=user, channel=SHARED_CHANNEL))
        assert "There is no CR-1" in shown
        listed = reply_text(await app.command("/change", "list all", user=user, channel=SHARED_CHANNEL))
        assert "margin" not in listed and "No change requests here" in listed


async def test_the_client_sees_a_client_cr_without_internal_records_or_names(app: Liaison) -> None:
    await _milestone(app, "Internal rehearsal", "2026-12-10", "")
    await _milestone(app, "UAT sign-off", "2026-12-15")
    await app.command("/change", QUICK.replace("affects:MS-1", "affects:MS-1,MS-2"))
    shown = reply_text(await app.command("/change", "show CR-1", user=CAROL, channel=SHARED_CHANNEL))
    assert "Add SSO login" in shown and "MS-2 UAT sign-off" in shown
    assert "MS-1" not in shown and "rehearsal" not in shown and "<@U0ALICE>" not in shown
    team = reply_text(await app.command("/change", "show CR-1"))
    assert "MS-1 Internal rehearsal" in team and "<@U0ALICE>" in team
    refused = reply_text(await app.command("/change", "withdraw CR-1", user=CAROL, channel=SHARED_CHANNEL))
    assert "can't do that here" in refused
    assert (await rows(app, ChangeRequest))[0].status == "draft"


# ---- list, show, edit, withdraw ---------------------------------------------------------------------------


async def test_list_shows_the_total_approved_impact(app: Liaison) -> None:
    message = await _sent(app)
    await press(app, message, ids.SIGNOFF_APPROVE)
    await app.command("/change", 'add "Extra report" impact:+2d,cost:1500 affects:MS-1 [client]')
    await app.command("/change", "send CR-2")
    await press(app, app.fake.messages(SHARED_CHANNEL)[-1], ids.SIGNOFF_APPROVE)
    await app.command("/change", 'add "Dashboards" impact:+3d,+4h')
    approved = reply_text(await app.command("/change", "list approved"))
    assert "Approved change requests" in approved
    assert "Approved so far (2): schedule +7 working days · effort +16 h · cost +9,500" in approved
    assert "CR-1" in approved and "CR-2" in approved and "CR-3" not in approved
    opened = reply_text(await app.command("/change", "list"))
    assert (
        "Open change requests" in opened
        and "CR-3 Dashboards" in opened
        and "CR-1" not in opened.split("\n", 2)[2]
    )
    client = reply_text(await app.command("/change", "list all", user=CAROL, channel=SHARED_CHANNEL))
    assert "CR-3" not in client and "Dashboards" not in client and "Approved so far (2)" in client


async def test_show_has_the_history_and_every_version(app: Liaison) -> None:
    message = await _sent(app)
    await app.command("/change", "edit CR-1 impact:+3d,cost:5000")
    await app.command("/change", "send CR-1")
    await press(app, app.fake.messages(SHARED_CHANNEL)[-1], ids.SIGNOFF_APPROVE)
    shown = reply_text(await app.command("/change", "show CR-1"))
    day = r"\w{3} \d{1,2} \w{3} \d{4}"  # render_date: one date style
    assert re.search(rf"Version 1, sent {day}: superseded", shown), shown
    assert re.search(rf"Version 2, sent {day}: approved by <@U0CAROL> on {day}", shown), shown
    for what in ("recorded it", "sent it to the client", "changed it: Impact", "approved it"):
        assert what in shown, what
    stale = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "no longer current" in reply_text(stale)


async def test_editing_a_sent_cr_keeps_the_version_waiting_until_it_is_sent_again(app: Liaison) -> None:
    first = await _sent(app)
    edited = reply_text(await app.command("/change", 'edit CR-1 title:"Add SSO and MFA login" why:none'))
    assert "Updated CR-1: Title, Why" in edited and "send CR-1 again" in edited
    [change] = await rows(app, ChangeRequest)
    assert (change.title, change.why, change.status) == ("Add SSO and MFA login", "", "sent")
    [waiting] = await rows(app, SignOff)
    assert waiting.status == "waiting"
    assert "Changed since version 1 was sent" in reply_text(await app.command("/change", "show CR-1"))
    assert "Sent CR-1 version 2" in reply_text(await app.command("/change", "send CR-1"))
    old, new = await rows(app, SignOff)
    assert (old.status, new.status, new.version) == ("superseded", "waiting", 2)
    assert "Add SSO and MFA login" in new.content
    shown_old = next(m for m in app.fake.messages(SHARED_CHANNEL) if m["ts"] == first["ts"])
    assert "Superseded" in reply_text(shown_old)
    unchanged = reply_text(await app.command("/change", 'edit CR-1 title:"Add SSO and MFA login"'))
    assert "already says that" in unchanged


async def test_an_approval_moves_what_the_client_saw_not_a_later_edit(app: Liaison) -> None:
    message = await _sent(app)  # +5 working days on MS-1
    await _milestone(app, "Go-live", "2026-12-28")
    await app.command("/change", "edit CR-1 impact:+1d affects:MS-1,MS-2")  # not sent again
    await press(app, message, ids.SIGNOFF_APPROVE)
    uat, go_live = await rows(app, Milestone)
    assert (uat.forecast_on, go_live.forecast_on) == (date(2026, 12, 22), date(2026, 12, 28))
    [change] = await rows(app, ChangeRequest)
    assert (change.status, change.impact_days, change.affects) == ("approved", 5, ["MS-1"])
    assert "schedule +5 working days" in reply_text(await app.command("/change", "list approved"))


async def test_withdraw_takes_a_waiting_version_off_the_table(app: Liaison) -> None:
    message = await _sent(app)
    reply = reply_text(await app.command("/change", "withdraw CR-1"))
    assert "Withdrew CR-1" in reply and "withdrawn" in reply
    [change] = await rows(app, ChangeRequest)
    assert change.status == "withdrawn"
    [row] = await rows(app, SignOff)
    assert row.status == "superseded"
    shown = next(m for m in app.fake.messages(SHARED_CHANNEL) if m["ts"] == message["ts"])
    assert "Withdrawn by the team" in reply_text(shown) and ids.SIGNOFF_APPROVE not in str(shown["blocks"])
    late = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "no longer current" in reply_text(late)
    assert (await rows(app, ChangeRequest))[0].status == "withdrawn"
    assert "can't be withdrawn" in reply_text(await app.command("/change", "withdraw CR-1"))
    assert "can't be edited" in reply_text(await app.command("/change", "edit CR-1 impact:+1d"))


async def test_the_whole_flow_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    await _milestone(app, "UAT 签字")
    created = reply_text(
        await app.command(
            "/change", '添加 "增加单点登录" 原因:"安全审计要求" 影响:+5天,16小时,费用:8000 涉及:MS-1 [客户]'
        )
    )
    assert "已登记 CR-1（草稿）" in created and "工期 +5 个工作日 · 工时 +16 小时 · 费用 +8,000" in created
    assert "已将 CR-1 第 1 版发到" in reply_text(await app.command("/change", "发送 CR-1"))
    message = app.fake.messages(SHARED_CHANNEL)[-1]
    text = reply_text(message)
    assert (
        "请求变更审批：CR-1（第 1 版）" in text and "原因：安全审计要求" in text and "MS-1 UAT 签字" in text
    )
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["批准", "附意见批准", "驳回"]
    refused = await press(app, message, ids.SIGNOFF_APPROVE, user=BOB)
    assert "只有客户可以签署" in reply_text(refused)
    assert "你已批准 CR-1" in reply_text(await press(app, message, ids.SIGNOFF_APPROVE))
    [milestone] = await rows(app, Milestone)
    assert milestone.forecast_on == date(2026, 12, 22)
    [slip] = await rows(app, MilestoneSlip)
    assert "客户已批准变更申请 CR-1" in slip.reason
    listed = reply_text(await app.command("/change", "列表 已批准"))
    assert "已批准的变更申请" in listed and "已批准（1 项）合计：工期 +5 个工作日" in listed
    shown = reply_text(await app.command("/change", "查看 CR-1"))
    day = r"\d{4}年\d{1,2}月\d{1,2}日（周.）"
    assert re.search(rf"第 1 版，{day} 发出：<@U0CAROL> 于 {day} 批准", shown), shown
    assert "撤回" in reply_text(await app.command("/change", "撤回 CR-1"))  # refused: approved


async def test_an_approved_cr_is_listed_in_the_next_digest(app: Liaison, clock: Clock) -> None:
    message = await _sent(app)
    await press(app, message, ids.SIGNOFF_APPROVE)
    clock.advance(hours=1)
    for audience in ("internal", "client"):
        preview = reply_text(await app.command("/digest", f"preview {audience}"))
        assert "ACME approved `CR-1`" in preview, (audience, preview)
