"""Action items the client owns, end to end: posted into the client channel with Mark done / Need more time,
only the owner's click counts, the team is told; `/action edit|reopen|due`; in English and Chinese."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers import ids
from storage.models import ActionItem, AuditLog
from tests.handlers.test_minutes_commands import audit, block_action, rows
from tests.harness.app import (
    ALICE,
    CAROL,
    CLIENT_TEAM,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Liaison,
    reply_text,
)


def posts(app: Liaison, channel: str) -> list[dict[str, Any]]:
    """Messages posted into `channel`; in the client channel, only those about an action item (its buttons)."""
    found = []
    for call in app.fake.calls_to("chat.postMessage"):
        if call.args.get("channel") != channel:
            continue
        if channel == SHARED_CHANNEL and ids.ACTION_OWNER_DONE not in str(call.args.get("blocks")):
            continue
        found.append({**call.args, "ts": call.response.get("ts")})
    return found


async def click(app: Liaison, message: dict[str, Any], action_id: str, *, answers: int = 1, **kw: Any) -> str:
    """Press a button; everything the app answered through the click's response_url."""
    payload, key = block_action(app, message, action_id, **kw)
    response = await app.interaction(payload)
    assert response.status_code == 200, response.text
    calls = await app.wait_for("response_url", count=answers, where=lambda c: c.args.get("_key") == key)
    return "\n".join(reply_text(c.args) + f" replace={c.args.get('replace_original')}" for c in calls)


def submission(view: dict[str, Any], *, day: str | None, reason: str, user: str = CAROL) -> dict[str, Any]:
    values = {
        ids.ACTION_NEW_DATE: {ids.ACTION_NEW_DATE: {"type": "datepicker", "selected_date": day}},
        ids.ACTION_REASON: {ids.ACTION_REASON: {"type": "plain_text_input", "value": reason}},
    }
    return {
        "type": "view_submission",
        "team": {"id": HOME_TEAM},
        "user": {"id": user, "team_id": CLIENT_TEAM if user == CAROL else HOME_TEAM},
        "api_app_id": "A0LIAISON",
        "trigger_id": "7.view-submit",
        "view": {
            "id": view["id"],
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "hash": view.get("hash", ""),
            "state": {"values": values},
        },
    }


async def told(app: Liaison) -> str:
    """The latest line in the team channel (told after the click is answered: wait for it)."""
    calls = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    return reply_text(calls[-1].args)


async def carols_item(app: Liaison, text: str = "Send the signed cutover plan") -> dict[str, Any]:
    reply = reply_text(await app.command("/action", f"add {text} <@U0CAROL|carol> due:2026-12-04 [client]"))
    assert "Posted in the client channel" in reply or "已发到客户频道" in reply
    return posts(app, SHARED_CHANNEL)[-1]


# ---- posted into the client channel -------------------------------------------------------------------


async def test_a_client_item_goes_to_the_client_channel_with_its_buttons(app: Liaison) -> None:
    message = await carols_item(app)
    shown = reply_text(message)
    assert "<@U0CAROL>" in shown and "*A-1*" in shown and "Send the signed cutover plan" in shown
    assert "due Fri 4 Dec 2026" in shown and "ACME ERP" in shown
    assert "Mark done" in shown and "Need more time" in shown
    assert "/action" not in shown and "/liaison" not in shown  # buttons, never commands
    # Not for the client: an internal item Carol owns, a client item the team owns.
    await app.command("/action", "add Internal note for carol <@U0CAROL|carol>")
    await app.command("/action", "add Ours to do <@U0ALICE|alice> [client]")
    assert len(posts(app, SHARED_CHANNEL)) == 1
    # A client person named in words is the client's too.
    await app.command("/action", "add Approve the budget owner:Dan Client due:2026-12-10 [client]")
    assert "Dan Client" in reply_text(posts(app, SHARED_CHANNEL)[-1])


async def test_times_in_the_client_channel_are_date_tokens(app: Liaison) -> None:
    await app.command("/action", "add Call back <@U0CAROL|carol> due:friday 5pm [client]")
    shown = reply_text(posts(app, SHARED_CHANNEL)[-1])
    assert "<!date^" in shown and "UTC>" in shown  # each reader's own zone, with a fallback


async def test_the_owner_marks_it_done_and_the_team_is_told(app: Liaison) -> None:
    message = await carols_item(app)
    answered = await click(app, message, ids.ACTION_OWNER_DONE, user=CAROL, answers=2)
    assert "Done — marked by <@U0CAROL>" in answered and "replace=True" in answered
    assert "The team has been told" in answered
    [item] = await rows(app, ActionItem)
    assert (item.status, item.done_by) == ("done", CAROL)
    assert ("action.done", "A-1", CAROL, CLIENT_TEAM) in await audit(app)
    assert "<@U0CAROL> (ACME) marked *A-1* done" in await told(app)
    again = await click(app, message, ids.ACTION_OWNER_DONE, user=CAROL)
    assert "already done" in again
    assert [a for a, *_ in await audit(app)].count("action.done") == 1


async def test_anyone_else_is_told_only_the_owner_can(app: Liaison) -> None:
    message = await carols_item(app)
    refused = await click(app, message, ids.ACTION_OWNER_DONE, user=ALICE)
    assert "Only <@U0CAROL> can mark A-1 done" in refused and "replace=False" in refused
    refused = await click(app, message, ids.ACTION_MORE_TIME, user=ALICE)
    assert "Only <@U0CAROL> can ask for more time on A-1" in refused
    [item] = await rows(app, ActionItem)
    assert item.status == "open" and item.due_on == date(2026, 12, 4)
    assert app.fake.calls_to("views.open") == []
    assert [a for a, *_ in await audit(app)] == ["project.setup", "project.client_channel", "action.create"]


async def test_in_chinese_the_owner_and_the_others(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    message = await carols_item(app, "发送签字版切换计划")
    shown = reply_text(message)
    assert "给你的行动项" in shown and "标记完成" in shown and "需要更多时间" in shown
    refused = await click(app, message, ids.ACTION_OWNER_DONE, user=ALICE)
    assert "只有 <@U0CAROL> 可以将 A-1 标记为完成" in refused
    answered = await click(app, message, ids.ACTION_OWNER_DONE, user=CAROL, answers=2)
    assert "已完成——由 <@U0CAROL>" in answered
    assert "（ACME）已将 *A-1* 标记为完成" in await told(app)


async def test_a_named_client_owner_is_acted_for_by_the_client_only(app: Liaison) -> None:
    await app.command("/action", "add Approve the budget owner:Dan Client due:2026-12-10 [client]")
    message = posts(app, SHARED_CHANNEL)[-1]
    refused = await click(app, message, ids.ACTION_OWNER_DONE, user=ALICE)
    assert "Only Dan Client can mark A-1 done" in refused
    await click(app, message, ids.ACTION_OWNER_DONE, user=CAROL, answers=2)
    [item] = await rows(app, ActionItem)
    assert (item.status, item.done_by) == ("done", CAROL)


# ---- Need more time -----------------------------------------------------------------------------------


async def test_need_more_time_moves_the_due_date_with_the_reason(app: Liaison) -> None:
    message = await carols_item(app)
    await click(app, message, ids.ACTION_MORE_TIME, user=CAROL, answers=0)
    [opened] = await app.wait_for("views.open")
    view = opened.response["view"]
    assert "2026-12-04" in str(view["blocks"])  # the datepicker starts at the current due date
    response = await app.interaction(submission(view, day="2026-12-11", reason="Waiting for <legal> review"))
    assert response.status_code == 200 and "errors" not in response.text
    await app.wait_for("chat.update")
    [item] = await rows(app, ActionItem)
    assert item.due_on == date(2026, 12, 11) and item.status == "open"
    async with app.session() as s:
        from sqlmodel import select

        entry = (await s.exec(select(AuditLog).where(AuditLog.action == "action.due"))).one()
    assert entry.actor_user_id == CAROL and entry.actor_team_id == CLIENT_TEAM
    assert entry.changes["reason"] == "Waiting for <legal> review"
    assert entry.changes["due_on"] == ["2026-12-04", "2026-12-11"]
    line = await told(app)
    assert "asked for more time on *A-1*" in line and "Fri 4 Dec 2026 → Fri 11 Dec 2026" in line
    assert "Waiting for &lt;legal&gt; review" in line
    reposted = reply_text(posts(app, SHARED_CHANNEL)[-1])
    assert "due date of this action item has changed" in reposted and "Fri 11 Dec 2026" in reposted
    [update] = app.fake.calls_to("chat.update")
    assert update.args["ts"] == message["ts"] and "Moved to Fri 11 Dec 2026" in reply_text(update.args)


async def test_the_more_time_form_refuses_mistakes_and_writes_nothing(app: Liaison) -> None:
    message = await carols_item(app)
    await click(app, message, ids.ACTION_MORE_TIME, user=CAROL, answers=0)
    [opened] = await app.wait_for("views.open")
    view = opened.response["view"]
    cases = [
        (dict(day="2026-12-11", reason="  "), ids.ACTION_REASON, "Say briefly why"),
        (dict(day=None, reason="Busy"), ids.ACTION_NEW_DATE, "Pick the new due date"),
        (dict(day="2026-12-03", reason="Busy"), ids.ACTION_NEW_DATE, "must be after Fri 4 Dec 2026"),
        (dict(day="2026-12-11", reason="x" * 501), ids.ACTION_REASON, "at most 500"),
        (dict(day="2026-12-11", reason="Busy", user=ALICE), ids.ACTION_REASON, "Only <@U0CAROL>"),
    ]
    for kw, block, expected in cases:
        response = await app.interaction(submission(view, **kw))  # type: ignore[arg-type]
        body = response.json()
        assert body["response_action"] == "errors" and expected in body["errors"][block], kw
    [item] = await rows(app, ActionItem)
    assert item.due_on == date(2026, 12, 4)
    assert "action.due" not in [a for a, *_ in await audit(app)]


# ---- /action edit | reopen | due ------------------------------------------------------------------------


async def test_edit_changes_text_owner_due_and_visibility(app: Liaison) -> None:
    await app.command("/action", "add Draft the plan <@U0ALICE|alice>")
    reply = reply_text(await app.command("/action", "edit A-1 Send the signed plan due:2026-12-08"))
    assert "Updated A-1" in reply and "Send the signed plan" in reply and "Tue 8 Dec 2026" in reply
    assert posts(app, SHARED_CHANNEL) == []
    reply = reply_text(await app.command("/action", "edit A-1 owner:<@U0CAROL|carol> [client]"))
    assert "Posted in the client channel for <@U0CAROL>" in reply
    [item] = await rows(app, ActionItem)
    assert (item.text, item.owner_user_id, item.owner_team_id, item.visibility, item.due_on) == (
        "Send the signed plan",
        CAROL,
        CLIENT_TEAM,
        "client",
        date(2026, 12, 8),
    )
    assert "Send the signed plan" in reply_text(posts(app, SHARED_CHANNEL)[-1])
    entries = [a for a, *_ in await audit(app)]
    assert entries.count("action.edit") == 2
    reply = reply_text(await app.command("/action", "编辑 A-1 发送签字版计划 截止:2026-12-09"))
    assert "A-1" in reply and "发送签字版计划" in reply
    assert "changed" in reply_text(posts(app, SHARED_CHANNEL)[-1])  # a new due date is posted again


async def test_reopen_and_due_in_both_languages(app: Liaison) -> None:
    await app.command("/action", "add Send plan <@U0BOB|bob> due:2026-12-04")
    assert "already open" in reply_text(await app.command("/action", "reopen A-1"))
    await app.command("/action", "done A-1")
    assert "*A-1* is open again" in reply_text(await app.command("/action", "reopen A-1"))
    [item] = await rows(app, ActionItem)
    assert (item.status, item.done_at, item.done_by) == ("open", None, None)
    moved = reply_text(await app.command("/action", "due A-1 next friday"))
    assert "*A-1* is now due Fri 4 Dec 2026" in moved
    moved = reply_text(await app.command("/action", "改期 A-1 12月10日"))
    assert "*A-1* 的截止日期已改为 2026年12月10日" in moved
    await app.command("/action", "done A-1")
    assert "已重新打开" in reply_text(await app.command("/action", "重开 A-1"))
    assert [a for a, *_ in await audit(app)].count("action.due") == 2
    assert [a for a, *_ in await audit(app)].count("action.reopen") == 2


MISTAKES = [
    ("edit", "Which action item"),
    ("edit A-1", "Nothing to change"),
    ("edit A-9 New text", "There is no A-9"),
    ("edit A-1 due:when pigs fly", "when pigs fly"),
    ("edit A-1 " + "x" * 3001, "at most 3000"),
    ("edit A-1 <@U0ALICE> <@U0BOB>", "one owner"),
    ("reopen", "is not a reference"),
    ("reopen A-9", "There is no A-9"),
    ("due A-1", "When is it due"),
    ("due A-1 when pigs fly", "when pigs fly"),
    ("due A-9 friday", "There is no A-9"),
]


async def test_mistakes_answer_with_an_example_and_write_nothing(app: Liaison) -> None:
    await app.command("/action", "add Plan <@U0BOB|bob> due:2026-12-04")
    [before] = await rows(app, ActionItem)
    for text, expected in MISTAKES:
        reply = await app.command("/action", text)
        shown = reply_text(reply)
        assert expected in shown and "Example" in shown, (text, shown)
        assert reply["response_type"] == "ephemeral", text
    [after] = await rows(app, ActionItem)
    assert (after.text, after.due_on, after.owner_user_id, after.status) == (
        before.text,
        before.due_on,
        before.owner_user_id,
        before.status,
    )
    zh = reply_text(await app.command("/action", "改期 A-1"))
    assert "截止到什么时候" in zh and "示例" in zh


async def test_a_client_user_cannot_edit_or_move_items(app: Liaison) -> None:
    await carols_item(app)
    for text in ("edit A-1 New text", "due A-1 friday", "reopen A-1"):
        shown = reply_text(await app.command("/action", text, user=CAROL, channel=SHARED_CHANNEL))
        assert "project team" in shown, text
    [item] = await rows(app, ActionItem)
    assert item.text == "Send the signed cutover plan" and item.due_on == date(2026, 12, 4)


async def test_the_team_hears_of_a_client_completing_by_command_not_of_its_own(app: Liaison) -> None:
    await carols_item(app)
    await app.command("/action", "add Ours <@U0ALICE|alice>")
    await app.command("/action", "done A-2")  # the team's own: nothing to tell
    shown = reply_text(await app.command("/action", "done A-1", user=CAROL, channel=SHARED_CHANNEL))
    assert "Marked *A-1* done" in shown
    assert "<@U0CAROL> (ACME) marked *A-1* done" in await told(app)
    lines = [
        reply_text(c.args)
        for c in app.fake.calls_to("chat.postMessage")
        if c.args["channel"] == INTERNAL_CHANNEL
    ]
    assert len(lines) == 1 and "A-2" not in lines[0]


async def test_digests_show_overdue_age_and_the_client_never_sees_internal_items(
    app: Liaison, clock: Any
) -> None:
    await app.command("/action", "add Secret team chore <@U0ALICE|alice> due:2026-11-25")
    await app.command("/action", "add Sign the plan <@U0CAROL|carol> due:2026-11-25 [client]")
    clock.advance(days=3)  # Friday 27 Nov: both two days past due
    internal = reply_text(await app.command("/digest", "preview internal"))
    assert "Secret team chore" in internal and "Sign the plan" in internal
    assert "overdue 2 days" in internal
    shown = reply_text(await app.command("/digest", "preview client"))
    assert "Sign the plan" in shown and "overdue 2 days" in shown
    assert "Secret team chore" not in shown and "A-1" not in shown
