"""Milestone acceptance on the one sign-off workflow: criteria, sent to the client channel, and only the client's
Accept / Accept with remarks / Reject counts (buttons and a modal: clients in Slack Connect can't run commands).
"""

from __future__ import annotations

import hashlib
from typing import Any

from handlers import ids
from storage.models import ActionItem, Milestone, SignOff
from tests.handlers.test_minutes_commands import audit, block_action, opened_view, press, rows, submission
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Liaison,
    reply_text,
)

# As Slack sends command text: `<`, `>` and `&` typed by the user arrive escaped.
CRITERIA = "MS-1\n- All P1 defects closed\n- Payroll run reconciled &lt;for November&gt; &amp; signed"


async def _sent(app: Liaison, *, title: str = "UAT sign-off", flag: str = "[client]") -> dict[str, Any]:
    await app.command("/milestone", f'add "{title}" due:2026-12-15 {flag}')
    await app.command("/milestone", f"criteria {CRITERIA}")
    reply = await app.command("/milestone", "accept MS-1")
    assert "Sent MS-1 version 1" in reply_text(reply), reply_text(reply)
    return app.fake.messages(SHARED_CHANNEL)[-1]


def _remarks(view: dict[str, Any], text: str) -> dict[str, Any]:
    return {ids.SIGNOFF_TEXT: {ids.SIGNOFF_TEXT: {"type": "plain_text_input", "value": text}}}


async def test_criteria_are_sent_with_buttons_and_the_exact_text_hashed(app: Liaison) -> None:
    message = await _sent(app)
    text = message["text"]
    assert "MS-1 · UAT sign-off" in text and "1. All P1 defects closed" in text
    assert "2. Payroll run reconciled &lt;for November&gt; &amp; signed" in text  # escaped, kept as typed
    assert "Acceptance requested: MS-1 (version 1)" in reply_text(message)
    [row] = await rows(app, SignOff)
    assert row.content == text and row.content_hash == hashlib.sha256(text.encode()).hexdigest()
    assert (row.status, row.version, row.channel_id, row.message_ts) == (
        "waiting",
        1,
        SHARED_CHANNEL,
        message["ts"],
    )
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Accept", "Accept with remarks", "Reject"]
    [post] = [c for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == SHARED_CHANNEL]
    assert post.args.get("unfurl_links") in (False, "false", "0", 0)
    [milestone] = await rows(app, Milestone)
    assert milestone.criteria == ["All P1 defects closed", "Payroll run reconciled <for November> & signed"]


async def test_the_client_accepts_the_message_shows_it_and_the_team_is_told(app: Liaison) -> None:
    message = await _sent(app)
    answer = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "you accepted MS-1" in reply_text(answer) and answer["response_type"] == "ephemeral"
    [row] = await rows(app, SignOff)
    assert (row.status, row.decided_by, row.decided_team_id, row.decided_external) == (
        "approved",
        CAROL,
        CLIENT_TEAM,
        True,
    )
    [milestone] = await rows(app, Milestone)
    assert milestone.accepted_at is not None and milestone.done_on is not None
    [update] = await app.wait_for("chat.update")
    assert update.args["ts"] == message["ts"]
    shown = app.fake.messages(SHARED_CHANNEL)[-1]
    assert "Accepted by <@U0CAROL>" in reply_text(shown) and ids.SIGNOFF_APPROVE not in str(shown["blocks"])
    assert shown["text"] == message["text"]
    [note] = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    assert "<@U0CAROL> (client) accepted MS-1 version 1" in reply_text(note.args)
    assert "/archives/C0SHARED/p" in reply_text(note.args)
    assert ("milestone.signoff_approved", "MS-1", CAROL, CLIENT_TEAM) in await audit(app)
    again = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "already decided" in reply_text(again)
    assert len(await rows(app, SignOff)) == 1


async def test_a_team_members_click_changes_nothing(app: Liaison) -> None:
    message = await _sent(app)
    for user in (ALICE, BOB):
        answer = await press(app, message, ids.SIGNOFF_APPROVE, user=user)
        assert "Only the client signs this" in reply_text(answer)
    payload, _ = block_action(app, message, ids.SIGNOFF_REJECT, user=BOB)
    await app.interaction(payload)
    await app.wait_for("response_url", where=lambda c: "Only the client signs this" in reply_text(c.args))
    assert app.fake.calls_to("views.open") == []
    [row] = await rows(app, SignOff)
    assert row.status == "waiting" and row.decided_by is None
    [milestone] = await rows(app, Milestone)
    assert milestone.accepted_at is None


async def test_rejection_needs_a_reason_reopens_and_makes_an_action_for_the_owner(app: Liaison) -> None:
    await app.command("/milestone", 'add "UAT sign-off" due:2026-12-15 [client]', user=BOB)
    await app.command("/milestone", "done MS-1")
    reply = await app.command("/milestone", "accept MS-1")
    assert "Sent MS-1 version 1" in reply_text(reply)
    message = app.fake.messages(SHARED_CHANNEL)[-1]
    assert "No acceptance criteria were set." in message["text"]
    await app.interaction(block_action(app, message, ids.SIGNOFF_REJECT)[0])
    view = await opened_view(app)
    empty = await app.interaction(submission(view, _remarks(view, "  "), user=CAROL, team=CLIENT_TEAM))
    assert empty.json()["response_action"] == "errors"
    assert "Say why" in empty.json()["errors"][ids.SIGNOFF_TEXT]
    assert (await rows(app, SignOff))[0].status == "waiting"
    done = await app.interaction(
        submission(view, _remarks(view, "Payroll totals differ by 3%"), user=CAROL, team=CLIENT_TEAM)
    )
    assert done.status_code == 200 and not done.content
    [row] = await rows(app, SignOff)
    assert (row.status, row.remarks, row.decided_by) == ("rejected", "Payroll totals differ by 3%", CAROL)
    [milestone] = await rows(app, Milestone)
    assert milestone.done_on is None and milestone.accepted_at is None
    [item] = await rows(app, ActionItem)
    assert item.owner_user_id == BOB and "Payroll totals differ by 3%" in item.text and "MS-1" in item.text
    [note] = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    assert "rejected MS-1 version 1: Payroll totals differ by 3%" in reply_text(note.args)


async def test_a_new_version_supersedes_the_waiting_one(app: Liaison) -> None:
    first = await _sent(app)
    again = await app.command("/milestone", "accept MS-1")
    assert "already waiting" in reply_text(again)
    await app.command("/milestone", "criteria MS-1\nAll P1 defects closed\nTraining done")
    reply = await app.command("/milestone", "accept MS-1")
    assert "Sent MS-1 version 2" in reply_text(reply)
    old, new = await rows(app, SignOff)
    assert (old.status, new.status, new.version) == ("superseded", "waiting", 2)
    stale = await press(app, first, ids.SIGNOFF_APPROVE)
    assert "no longer current" in reply_text(stale)
    assert (await rows(app, SignOff))[0].decided_by is None
    shown_old = next(m for m in app.fake.messages(SHARED_CHANNEL) if m["ts"] == first["ts"])
    assert "Superseded" in reply_text(shown_old)


async def test_approvers_named_on_the_project_are_the_only_signers(app: Liaison) -> None:
    app.fake.add_user("U0DAN", team_id=CLIENT_TEAM, name="dan")
    await app.command("/project", "settings approvers:<@U0DAN|dan>")
    message = await _sent(app)
    refused = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "named approvers" in reply_text(refused)
    assert (await rows(app, SignOff))[0].status == "waiting"
    accepted = await press(app, message, ids.SIGNOFF_APPROVE, user="U0DAN", team=CLIENT_TEAM)
    assert "you accepted MS-1" in reply_text(accepted)


async def test_internal_milestones_are_not_sent_and_nothing_is_stored(app: Liaison) -> None:
    await app.command("/milestone", 'add "Internal rehearsal" due:2026-12-15')
    reply = await app.command("/milestone", "accept MS-1")
    assert "MS-1 is internal" in reply_text(reply)
    assert await rows(app, SignOff) == []
    assert [m for m in app.fake.messages(SHARED_CHANNEL) if "MS-1" in m.get("text", "")] == []


async def test_acceptance_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    await app.command("/milestone", 'add "UAT 签字" due:2026-12-15 [客户]')
    await app.command("/milestone", "验收标准 MS-1\n所有一级缺陷已关闭")
    reply = await app.command("/milestone", "验收 MS-1")
    assert "已将 MS-1 第 1 版发到" in reply_text(reply)
    message = app.fake.messages(SHARED_CHANNEL)[-1]
    text = reply_text(message)
    assert "请求验收：MS-1（第 1 版）" in text and "验收标准" in text and "1. 所有一级缺陷已关闭" in text
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["验收通过", "附意见验收", "驳回"]
    answer = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "你已验收 MS-1" in reply_text(answer)
    refused = await press(app, message, ids.SIGNOFF_APPROVE, user=BOB)
    assert "只有客户可以签署" in reply_text(refused)


async def test_a_named_approver_with_nothing_else_to_do_sees_the_project_and_what_waits_on_app_home(
    app: Liaison,
) -> None:
    """Dan owns no action item and never checked in: being named to approve is enough for App Home."""
    from tests.handlers.test_app_home import open_home

    app.fake.add_user("U0DAN", team_id=CLIENT_TEAM, name="dan")
    await app.command("/project", "settings approvers:<@U0DAN|dan>")
    await _sent(app)
    text = reply_text(await open_home(app, "U0DAN"))
    assert "UAT sign-off" in text and "waiting for your sign-off" in text.lower(), text
