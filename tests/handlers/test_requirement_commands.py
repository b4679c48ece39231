"""/requirement end to end: add/list/show/edit/delete, and the baseline the client signs on the one sign-off
workflow; after approval a baselined requirement changes only under an approved change request.

The `app` fixture (tests/handlers/conftest.py) is a project in Asia/Shanghai with its client channel bound,
and a clock at Tue 24 Nov 2026, 08:00 in Shanghai. CAROL is the client (another organisation); ALICE and
BOB are the team.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from handlers import ids
from storage.models import AuditLog, ChangeRequest, Requirement, SignOff
from tests.handlers.test_minutes_commands import audit, block_action, opened_view, press, rows, submission
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


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def _live(app: Liaison) -> list[Requirement]:
    return [r for r in await rows(app, Requirement) if r.deleted_at is None]


async def _three(app: Liaison) -> None:
    await app.command("/requirement", "add Users sign in with their company account priority:must [client]")
    await app.command("/requirement", "add Monthly payroll export to the bank [client]")
    await app.command("/requirement", "add Keep our margin above 12% priority:could")


async def _baseline(app: Liaison) -> dict[str, Any]:
    reply = await app.command("/requirement", "baseline")
    assert "Sent Requirements baseline version" in reply_text(reply), reply_text(reply)
    return app.fake.messages(SHARED_CHANNEL)[-1]


async def _approve_cr(app: Liaison, clock: Clock, *, affects: list[str], number: int = 1) -> None:
    """A change request naming `affects`, sent with /change send and approved by the client's click (an hour
    on: the clock stands still otherwise, and what the client approves is ordered by when)."""
    clock.advance(hours=1)
    title = f"Change the sign-in {number}"
    created = await app.command("/change", f'add "{title}" affects:{",".join(affects)} [client]')
    assert f"Recorded CR-{number} as a draft" in reply_text(created), reply_text(created)
    sent = await app.command("/change", f"send CR-{number}")
    assert f"Sent CR-{number} version 1" in reply_text(sent), reply_text(sent)
    message = app.fake.messages(SHARED_CHANNEL)[-1]
    await press(app, message, ids.SIGNOFF_APPROVE)
    change = next(c for c in await rows(app, ChangeRequest) if c.number == number)
    assert change.status == "approved"


# ---- add, list, show, edit, delete --------------------------------------------------------------------


async def test_add_numbers_requirements_with_priority_and_visibility(app: Liaison) -> None:
    reply = await app.command(
        "/requirement", "add Users sign in with SSO &lt;Okta&gt; priority:must [client]"
    )
    text = reply_text(reply)
    assert "Added RQ-1" in text and "Must" in text and "SSO &lt;Okta&gt;" in text
    assert reply["response_type"] == "ephemeral"
    await app.command("/requirement", "add Payroll export")
    first, second = await rows(app, Requirement)
    assert (first.number, first.priority, first.visibility, first.text) == (
        1,
        "must",
        "client",
        "Users sign in with SSO <Okta>",
    )
    assert (second.number, second.priority, second.visibility) == (2, "should", "internal")
    assert ("requirement.create", "RQ-1", "U0ALICE", "T0HOME") in await audit(app)


async def test_list_orders_by_priority_and_a_client_sees_only_client_requirements(app: Liaison) -> None:
    await app.command("/requirement", "add Nice dashboard priority:could [client]")
    await _three(app)
    text = reply_text(await app.command("/requirement", "list"))
    order = [text.index(ref) for ref in ("RQ-2", "RQ-3", "RQ-1", "RQ-4")]
    assert order == sorted(order), text  # must, should, could (then by number)
    assert "Keep our margin" in text and "No baseline approved yet" in text
    shown = reply_text(await app.command("/requirement", "list", channel=SHARED_CHANNEL))
    assert "RQ-2" in shown and "RQ-4" not in shown and "margin" not in shown
    assert "Requirements (3)" in shown  # counts only what may be shown
    client = reply_text(await app.command("/requirement", "show RQ-4", user=CAROL, channel=SHARED_CHANNEL))
    assert "There is no RQ-4" in client and "margin" not in client


async def test_show_has_the_history_from_the_audit_log(app: Liaison) -> None:
    await app.command("/requirement", "add Payroll export [client]")
    await app.command("/requirement", "edit RQ-1 Payroll export to two banks priority:must", user=BOB)
    text = reply_text(await app.command("/requirement", "show RQ-1"))
    assert "RQ-1" in text and "Payroll export to two banks" in text and "Must" in text
    assert "added" in text and "changed" in text and "<@U0BOB>" in text and "should → must" in text
    client = reply_text(await app.command("/requirement", "show RQ-1", user=CAROL, channel=SHARED_CHANNEL))
    assert "changed" in client and "<@U0BOB>" not in client  # the client sees when, not who


async def test_edit_changes_text_priority_and_visibility(app: Liaison) -> None:
    await app.command("/requirement", "add Payroll export")
    reply = await app.command("/requirement", "edit RQ-1 Payroll export to the bank priority:must [client]")
    assert "Updated RQ-1" in reply_text(reply)
    [r] = await rows(app, Requirement)
    assert (r.text, r.priority, r.visibility) == ("Payroll export to the bank", "must", "client")
    same = await app.command("/requirement", "edit RQ-1 priority:must")
    assert "already says exactly that" in reply_text(same)
    edits = [a for a in await audit(app) if a[0] == "requirement.edit"]
    assert len(edits) == 1


async def test_delete_is_soft_and_the_requirement_is_gone_from_lists(app: Liaison) -> None:
    await app.command("/requirement", "add Payroll export")
    reply = await app.command("/requirement", "delete RQ-1")
    assert "Deleted RQ-1" in reply_text(reply)
    [r] = await rows(app, Requirement)
    assert r.deleted_at is not None
    assert "No requirements yet" in reply_text(await app.command("/requirement", "list"))
    assert "There is no RQ-1" in reply_text(await app.command("/requirement", "show RQ-1"))


MISTAKES = [
    ("add", "Write the requirement"),
    ("add Export priority:urgent", "“urgent” is not a priority"),
    ("add Export [client] [internal]", "not both"),
    ("add " + "x" * 2900, "keep it under 2800"),
    ("edit", "Name the requirement"),
    ("edit RQ-1", "Say what changes in RQ-1"),
    ("edit R-1 New text", "not a reference like `RQ-3`"),
    ("show", "Name the requirement"),
    ("show RQ-9", "There is no RQ-9"),
    ("delete RQ-1 now", "now"),
    ("frobnicate", "frobnicate"),
]


async def test_undo_brings_a_deleted_requirement_back_within_ten_minutes(app: Liaison, clock: Clock) -> None:
    await _three(app)
    reply = await app.command("/requirement", "delete RQ-2")
    assert "Deleted RQ-2" in reply_text(reply) and "undo this for 10 minutes" in reply_text(reply)
    assert "RQ-2" not in reply_text(await app.command("/requirement", "list"))
    answer = await press(
        app, reply, ids.REQUIREMENT_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "Restored *RQ-2*" in reply_text(answer) and "payroll" in reply_text(answer)
    assert "RQ-2" in reply_text(await app.command("/requirement", "list"))
    assert [a for a, r, *_ in await audit(app) if r == "RQ-2"] == [
        "requirement.create",
        "requirement.delete",
        "requirement.restore",
    ]
    again = await press(
        app, reply, ids.REQUIREMENT_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "RQ-2 is not deleted" in reply_text(again)

    late = await app.command("/requirement", "删除 RQ-3")
    assert "分钟内可以撤销" in reply_text(late) and "撤销" in str(late["blocks"])
    clock.advance(minutes=11)
    answer = await press(
        app, late, ids.REQUIREMENT_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "too late" in reply_text(answer) or "已无法撤销" in reply_text(answer)
    assert (await rows(app, Requirement))[2].deleted_at is not None


async def test_mistakes_answer_privately_with_a_working_example_and_write_nothing(app: Liaison) -> None:
    for text, expected in MISTAKES:
        reply = await app.command("/requirement", text)
        shown = reply_text(reply)
        assert expected in shown and "Example" in shown and "/requirement" in shown, (text, shown)
        assert reply["response_type"] == "ephemeral", text
        assert await rows(app, Requirement) == [], text


async def test_a_client_user_cannot_add_edit_or_send_a_baseline(app: Liaison) -> None:
    await app.command("/requirement", "add Payroll export [client]")
    for text in ("add Everything for free [client]", "edit RQ-1 Nothing", "delete RQ-1", "baseline"):
        reply = await app.command("/requirement", text, user=CAROL, channel=SHARED_CHANNEL)
        assert "keeps this for the project team" in reply_text(reply), text
    [r] = await rows(app, Requirement)
    assert (r.text, r.deleted_at) == ("Payroll export", None)
    assert await rows(app, SignOff) == []


async def test_a_retried_request_writes_once(app: Liaison) -> None:
    form = app.command_form("/requirement", "add Payroll export [client]")
    body = urlencode(form).encode()
    for _ in range(2):
        response = await app.post(body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    key = form["response_url"].rsplit("/", 1)[-1]
    answers = await app.wait_for("response_url", count=2, where=lambda c: c.args.get("_key") == key)
    assert any("already recorded by this request" in reply_text(a.args) for a in answers)
    assert len(await rows(app, Requirement)) == 1
    assert [a[0] for a in await audit(app)].count("requirement.create") == 1


# ---- the baseline ----------------------------------------------------------------------------------------


async def test_the_baseline_holds_only_client_requirements_by_priority(app: Liaison) -> None:
    await _three(app)
    message = await _baseline(app)
    text = message["text"]
    assert "RQ-1" in text and "RQ-2" in text and "RQ-3" not in text and "margin" not in text
    assert text.index("*Must*") < text.index("RQ-1") < text.index("*Should*") < text.index("RQ-2")
    assert "Sign-off requested: Requirements baseline (version 1)" in reply_text(message)
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Approve", "Approve with remarks", "Reject"]
    [row] = await rows(app, SignOff)
    assert (row.subject, row.version, row.status) == ("baseline", 1, "waiting")
    assert row.content == text and row.content_hash == sha(text)
    [project_id] = {r.project_id for r in await rows(app, Requirement)}
    assert row.subject_id == project_id
    again = await app.command("/requirement", "baseline")
    assert "already waiting" in reply_text(again)
    assert len(await rows(app, SignOff)) == 1


async def test_no_client_requirements_no_baseline(app: Liaison) -> None:
    await app.command("/requirement", "add Keep our margin above 12%")
    reply = await app.command("/requirement", "baseline")
    assert "no client requirements to baseline" in reply_text(reply) and "Example" in reply_text(reply)
    assert await rows(app, SignOff) == []
    assert [m for m in app.fake.messages(SHARED_CHANNEL) if "margin" in m.get("text", "")] == []


async def test_approved_baseline_locks_requirements_until_a_change_request_is_approved(
    app: Liaison, clock: Clock
) -> None:
    await _three(app)
    message = await _baseline(app)
    answer = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "you approved Requirements baseline" in reply_text(answer)
    first, second, internal = await rows(app, Requirement)
    assert (first.baseline_version, first.baseline_hash) == (1, sha(first.text))
    assert (second.baseline_version, second.baseline_hash) == (1, sha(second.text))
    assert (internal.baseline_version, internal.baseline_hash) == (None, None)
    [row] = await rows(app, SignOff)
    assert (row.status, row.decided_by, row.decided_team_id) == ("approved", CAROL, CLIENT_TEAM)
    [note] = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    assert "<@U0CAROL> (client) approved Requirements baseline version 1" in reply_text(note.args)
    assert ("requirement.baselined", "RQ-1", CAROL, CLIENT_TEAM) in await audit(app)

    listed = reply_text(await app.command("/requirement", "list"))
    assert "baseline v1" in listed and "Baseline version 1 approved on Tue 24 Nov 2026" in listed

    refused = reply_text(
        await app.command("/requirement", "edit RQ-1 Users sign in with `SSO` priority:must")
    )
    assert "needs a change request the client has approved" in refused and "Nothing was changed" in refused
    # a backtick in the new text would end the code span: the command to copy keeps its shape
    assert "/change add \"Change RQ-1: Users sign in with 'SSO'\" affects:RQ-1 [client]" in refused
    deleting = reply_text(await app.command("/requirement", "delete RQ-2"))
    assert '/change add "Remove RQ-2" affects:RQ-2 [client]' in deleting
    first, second, _ = await rows(app, Requirement)
    assert first.text == "Users sign in with their company account" and second.deleted_at is None
    # the internal one was never baselined: it changes freely
    assert "Updated RQ-3" in reply_text(await app.command("/requirement", "edit RQ-3 Keep margin above 15%"))

    await _approve_cr(app, clock, affects=["RQ-1"])
    allowed = reply_text(await app.command("/requirement", "edit RQ-1 Users sign in with SSO"))
    assert "Updated RQ-1 under the approved change request CR-1" in allowed
    assert "changed since baseline v1" in allowed
    first = (await rows(app, Requirement))[0]
    assert first.text == "Users sign in with SSO" and first.baseline_hash != sha(first.text)
    entry = next(
        a for a in await rows(app, AuditLog) if a.action == "requirement.edit" and a.record_ref == "RQ-1"
    )
    assert entry.changes["change_request"] == "CR-1"
    listed = reply_text(await app.command("/requirement", "list"))
    assert "changed since baseline v1" in listed
    still = reply_text(await app.command("/requirement", "delete RQ-2"))
    assert "needs a change request" in still  # CR-1 names RQ-1 only


async def test_a_new_baseline_after_a_change_records_the_text_as_sent(app: Liaison, clock: Clock) -> None:
    await _three(app)
    await press(app, await _baseline(app), ids.SIGNOFF_APPROVE)
    unchanged = reply_text(await app.command("/requirement", "baseline"))
    assert "Nothing changed since the client approved baseline version 1" in unchanged
    await _approve_cr(app, clock, affects=["rq-1"])
    await app.command("/requirement", "edit RQ-1 Users sign in with SSO")
    second = await _baseline(app)
    assert "Users sign in with SSO" in second["text"]
    await app.command("/requirement", "add Audit trail [client]")  # after v2 was sent: not in it
    await press(app, second, ids.SIGNOFF_APPROVE)
    first, payroll, _internal, audit_trail = await rows(app, Requirement)
    assert (first.baseline_version, first.baseline_hash) == (2, sha("Users sign in with SSO"))
    assert payroll.baseline_version == 2
    assert audit_trail.baseline_version is None


async def test_a_change_request_approved_before_a_later_baseline_opens_nothing(
    app: Liaison, clock: Clock
) -> None:
    """CR-1 let RQ-1 change under baseline v1; once the client signs v2 (which holds the change), editing
    RQ-1 again needs a new approved change request."""
    await _three(app)
    await press(app, await _baseline(app), ids.SIGNOFF_APPROVE)
    await _approve_cr(app, clock, affects=["RQ-1"])
    assert "under the approved change request CR-1" in reply_text(
        await app.command("/requirement", "edit RQ-1 Users sign in with SSO")
    )
    clock.advance(hours=1)
    await press(app, await _baseline(app), ids.SIGNOFF_APPROVE)
    assert (await rows(app, Requirement))[0].baseline_version == 2
    refused = reply_text(await app.command("/requirement", "edit RQ-1 Users sign in with SSO and MFA"))
    assert "baseline the client approved (version 2)" in refused and "Nothing was changed" in refused
    assert (await rows(app, Requirement))[0].text == "Users sign in with SSO"
    await _approve_cr(app, clock, affects=["RQ-1"], number=2)
    allowed = reply_text(await app.command("/requirement", "edit RQ-1 Users sign in with SSO and MFA"))
    assert "under the approved change request CR-2" in allowed


async def test_a_team_members_click_on_a_baseline_changes_nothing(app: Liaison) -> None:
    await _three(app)
    message = await _baseline(app)
    answer = await press(app, message, ids.SIGNOFF_APPROVE, user=BOB)
    assert "Only the client signs this" in reply_text(answer)
    [row] = await rows(app, SignOff)
    assert row.status == "waiting" and row.decided_by is None
    assert all(r.baseline_version is None for r in await rows(app, Requirement))
    assert "Updated RQ-1" in reply_text(await app.command("/requirement", "edit RQ-1 Users sign in with SSO"))


async def test_a_rejected_baseline_baselines_nothing(app: Liaison) -> None:
    await _three(app)
    message = await _baseline(app)
    await app.interaction(block_action(app, message, ids.SIGNOFF_REJECT)[0])
    view = await opened_view(app)
    values = {
        ids.SIGNOFF_TEXT: {ids.SIGNOFF_TEXT: {"type": "plain_text_input", "value": "RQ-2 is missing a bank"}}
    }
    await app.interaction(submission(view, values, user=CAROL, team=CLIENT_TEAM))
    await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    [row] = await rows(app, SignOff)
    assert (row.status, row.remarks) == ("rejected", "RQ-2 is missing a bank")
    assert all(r.baseline_version is None for r in await rows(app, Requirement))
    listed = reply_text(await app.command("/requirement", "list"))
    assert "Baseline version 1 was rejected on Tue 24 Nov 2026: RQ-2 is missing a bank" in listed


# ---- Chinese ---------------------------------------------------------------------------------------------


async def test_requirements_and_their_baseline_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    added = reply_text(await app.command("/requirement", "添加 用户使用公司账号登录 优先级:必须 [客户]"))
    assert "已添加 RQ-1" in added and "必须" in added
    await app.command("/requirement", "添加 每月向银行导出工资 优先级:应该 [客户]")
    await app.command("/requirement", "添加 保持利润率 优先级:可以")
    first, second, third = await rows(app, Requirement)
    assert (first.priority, second.priority, third.priority) == ("must", "should", "could")
    assert (first.visibility, third.visibility) == ("client", "internal")
    bad = reply_text(await app.command("/requirement", "添加 导出 优先级:紧急"))
    assert "“紧急”不是有效的优先级" in bad and "示例" in bad
    listed = reply_text(await app.command("/requirement", "列表"))
    assert "需求（3 条）" in listed and "尚无已批准的基线" in listed
    sent = reply_text(await app.command("/requirement", "基线"))
    assert "已将 需求基线 第 1 版发到" in sent
    message = app.fake.messages(SHARED_CHANNEL)[-1]
    text = reply_text(message)
    assert "请求签署：需求基线（第 1 版）" in text and "*必须*" in text and "保持利润率" not in text
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["批准", "附意见批准", "驳回"]
    refused = await press(app, message, ids.SIGNOFF_APPROVE, user=BOB)
    assert "只有客户可以签署" in reply_text(refused)
    assert "你已批准 需求基线" in reply_text(await press(app, message, ids.SIGNOFF_APPROVE))
    locked = reply_text(await app.command("/requirement", "编辑 RQ-1 用户通过单点登录登录"))
    assert "需要客户批准的变更申请" in locked
    assert '/change add "变更 RQ-1：用户通过单点登录登录" affects:RQ-1 [client]' in locked
    shown = reply_text(await app.command("/requirement", "查看 RQ-1"))
    assert "属于客户已批准的基线（第 1 版）" in shown and "经客户批准纳入基线" in shown
    assert "已删除 RQ-3" in reply_text(await app.command("/requirement", "删除 RQ-3"))
