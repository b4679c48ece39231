"""The client confirms minutes in the shared channel: send, Confirm, Request changes, edits after confirmation,
and everything a client from another organisation (Slack Connect) can and cannot see or do there.

Clients mostly cannot run our slash commands (Slack allows that only where the app is installed in their own
workspace too), so these flows are driven by buttons and modals on Liaison's messages.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.domain.minutes import Confirmation, confirmations_of
from handlers import ids
from storage.models import ActionItem, Minutes, SignOff
from tests.handlers.test_minutes_commands import (
    QUICK,
    audit,
    block_action,
    find_button,
    form_values,
    opened_view,
    press,
    rows,
    submission,
)
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    INTERNAL_CHANNEL,
    PLAIN_CHANNEL,
    SHARED_CHANNEL,
    Liaison,
    reply_text,
)


async def _sent(app: Liaison, quick: str = QUICK) -> dict[str, Any]:
    """Record the minutes, send them, and return the message as it now stands in the shared channel."""
    await app.command("/minutes", quick)
    reply = await app.command("/minutes", "send M-1")
    assert "Sent" in reply_text(reply) and SHARED_CHANNEL in reply_text(reply)
    return app.fake.messages(SHARED_CHANNEL)[-1]


async def confirmations(app: Liaison) -> list[Confirmation]:
    """The client's word on the minutes, as stored: decided sign-off versions, oldest first."""
    return confirmations_of(await rows(app, SignOff))


async def _current(app: Liaison) -> dict[str, Any]:
    return app.fake.messages(SHARED_CHANNEL)[-1]


async def test_send_posts_the_client_safe_text_with_buttons_and_stores_its_hash(app: Liaison) -> None:
    message = await _sent(app)
    text = message["text"]
    assert "Go live on 1 March" in text and "Send the cutover plan" in text and "Book the room" in text
    assert "margin" not in reply_text(message)  # the internal decision stays internal
    [minutes] = await rows(app, Minutes)
    assert minutes.sent_channel_id == SHARED_CHANNEL and minutes.sent_ts == message["ts"]
    assert minutes.sent_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    _, confirm = find_button(message, ids.MINUTES_CONFIRM)
    assert confirm["value"] == f"{minutes.id}:{minutes.sent_hash}"
    find_button(message, ids.MINUTES_REQUEST_CHANGES)
    find_button(message, ids.ACTION_DONE)  # Carol's own item
    assert ("minutes.send", "M-1", ALICE, "T0HOME") in await audit(app)


async def test_a_client_confirms_and_the_message_says_so(app: Liaison) -> None:
    message = await _sent(app)
    answer = await press(app, message, ids.MINUTES_CONFIRM)
    assert "you confirmed M-1" in reply_text(answer) and answer["response_type"] == "ephemeral"
    [row] = await confirmations(app)
    [minutes] = await rows(app, Minutes)
    assert (row.kind, row.user_id, row.team_id, row.is_external) == ("confirm", CAROL, CLIENT_TEAM, True)
    assert row.content_hash == minutes.sent_hash == minutes.confirmed_hash
    assert row.content_hash == hashlib.sha256(message["text"].encode("utf-8")).hexdigest()
    [update] = await app.wait_for("chat.update")
    assert update.args["ts"] == message["ts"]
    updated = await _current(app)
    assert "Confirmed by <@U0CAROL> <!date^" in reply_text(updated)
    assert updated["text"] == message["text"]  # the confirmed text itself is untouched
    assert ids.MINUTES_CONFIRM not in str(updated["blocks"])
    assert ("minutes.signoff_approved", "M-1", CAROL, CLIENT_TEAM) in await audit(app)
    # the team hears of the client's word on minutes too, with a link to the message
    [note] = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    assert "<@U0CAROL>" in reply_text(note.args) and "M-1" in reply_text(note.args)
    again = await press(app, message, ids.MINUTES_CONFIRM)
    assert "already confirmed" in reply_text(again)
    assert len(await confirmations(app)) == 1
    assert (
        len([c for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == INTERNAL_CHANNEL])
        == 1
    )
    listed = reply_text(await app.command("/minutes", "list"))
    assert "confirmed by the client" in listed


async def test_stale_text_is_not_confirmed(app: Liaison) -> None:
    message = await _sent(app)
    await app.send_command("/minutes", "edit M-1")
    view = await opened_view(app)
    await app.interaction(
        submission(
            view, form_values(title="Weekly sync with ACME", decisions="D-1: Go live on 8 March", share=True)
        )
    )
    answer = await press(app, message, ids.MINUTES_CONFIRM)
    assert "has changed since this message was sent" in reply_text(answer)
    assert await confirmations(app) == []
    assert "changed since sent" in reply_text(await app.command("/minutes", "show M-1"))


async def test_an_edit_after_confirmation_marks_the_minutes_changed(app: Liaison) -> None:
    message = await _sent(app)
    await press(app, message, ids.MINUTES_CONFIRM)
    await app.send_command("/minutes", "edit M-1")
    view = await opened_view(app)
    values = form_values(
        title="Weekly sync with ACME",
        notes="We walked through the plan.",
        decisions="D-1: Go live on 8 March\nD-2: Our margin is thin [internal]",
        actions=None,
        share=True,
    )
    await app.interaction(submission(view, values))
    [minutes] = await rows(app, Minutes)
    assert minutes.changed_since_confirmed is True
    assert "changed since confirmed" in reply_text(await app.command("/minutes", "show M-1"))
    assert "changed since confirmed" in reply_text(await app.command("/minutes", "list"))
    # Sending again and confirming the new text clears it.
    await app.command("/minutes", "send M-1")
    newer = await _current(app)
    assert newer["ts"] != message["ts"]
    [old] = [m for m in app.fake.messages(SHARED_CHANNEL) if m["ts"] == message["ts"]]
    assert "sent again" in reply_text(old) and ids.MINUTES_CONFIRM not in str(old["blocks"])
    await press(app, newer, ids.MINUTES_CONFIRM)
    [minutes] = await rows(app, Minutes)
    assert minutes.changed_since_confirmed is False
    assert len(await confirmations(app)) == 2


async def test_internal_only_edits_do_not_count_as_changes(app: Liaison) -> None:
    message = await _sent(app)
    await press(app, message, ids.MINUTES_CONFIRM)
    await app.send_command("/minutes", "edit M-1")
    view = await opened_view(app)
    values = form_values(
        title="Weekly sync with ACME",
        notes="We walked through the plan.",
        decisions="D-1: Go live on 1 March\nD-2: Our margin is thinner [internal]",
        actions=None,
        share=True,
    )
    await app.interaction(submission(view, values))
    [minutes] = await rows(app, Minutes)
    assert minutes.changed_since_confirmed is False


async def test_request_changes_opens_a_form_and_tells_the_author(app: Liaison) -> None:
    message = await _sent(app)
    payload, _key = block_action(app, message, ids.MINUTES_REQUEST_CHANGES)
    await app.interaction(payload)
    [call] = await app.wait_for("views.open")
    assert call.args["trigger_id"] == payload["trigger_id"]
    view = call.response["view"]
    assert view["callback_id"] == ids.MINUTES_CHANGES_MODAL
    empty = {
        ids.MINUTES_CHANGES_COMMENT: {ids.MINUTES_CHANGES_COMMENT: {"type": "plain_text_input", "value": " "}}
    }
    response = await app.interaction(submission(view, empty, user=CAROL, team=CLIENT_TEAM))
    assert ids.MINUTES_CHANGES_COMMENT in response.json()["errors"]
    comment = "Go-live is 8 March, not 1 March <!channel>"
    values = {
        ids.MINUTES_CHANGES_COMMENT: {
            ids.MINUTES_CHANGES_COMMENT: {"type": "plain_text_input", "value": comment}
        }
    }
    response = await app.interaction(submission(view, values, user=CAROL, team=CLIENT_TEAM))
    assert response.status_code == 200 and not response.text.strip()
    [row] = await confirmations(app)
    [minutes] = await rows(app, Minutes)
    assert (row.kind, row.user_id, row.team_id, row.is_external, row.comment) == (
        "changes",
        CAROL,
        CLIENT_TEAM,
        True,
        comment,
    )
    assert row.content_hash == minutes.sent_hash and minutes.confirmed_hash is None
    [dm] = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == ALICE)
    note = reply_text(dm.args)
    assert "<@U0CAROL> requested changes to" in note and "8 March" in note and "<!channel>" not in note
    await app.wait_for("chat.update")
    assert "Changes requested by <@U0CAROL>" in reply_text(await _current(app))
    assert ("minutes.signoff_rejected", "M-1", CAROL, CLIENT_TEAM) in await audit(app)
    shown = reply_text(await app.command("/minutes", "show M-1"))
    assert "8 March" in shown and "(client)" in shown


async def test_when_the_author_cannot_get_a_dm_the_internal_channel_hears(app: Liaison) -> None:
    message = await _sent(app)
    payload, _ = block_action(app, message, ids.MINUTES_REQUEST_CHANGES)
    await app.interaction(payload)
    view = await opened_view(app)
    app.fake.fail_next("chat.postMessage", "cannot_dm_bot")
    values = {
        ids.MINUTES_CHANGES_COMMENT: {
            ids.MINUTES_CHANGES_COMMENT: {"type": "plain_text_input", "value": "Fix A-1"}
        }
    }
    await app.interaction(submission(view, values, user=CAROL, team=CLIENT_TEAM))
    [post] = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    assert "Fix A-1" in reply_text(post.args)


async def test_send_refuses_internal_minutes_and_a_project_without_client_channel(app: Liaison) -> None:
    posted = len(app.fake.calls_to("chat.postMessage"))  # the client channel's panel, when it was bound
    await app.command("/minutes", "Internal retro")
    reply = reply_text(await app.command("/minutes", "send M-1"))
    assert "M-1 is internal" in reply and "[client]" in reply
    await app.command("/project", 'setup name:"Solo" client:"Beta" tz:UTC', channel=PLAIN_CHANNEL)
    await app.command("/minutes", "Shared sync [client]", channel=PLAIN_CHANNEL)
    reply = reply_text(await app.command("/minutes", "send M-1", channel=PLAIN_CHANNEL))
    assert "no client channel" in reply
    assert len(app.fake.calls_to("chat.postMessage")) == posted


# ---- Slack Connect: what Carol, from the client's organisation, sees and does ---------------------------


async def _two_sets(app: Liaison) -> None:
    await app.command("/minutes", QUICK)  # M-1, client; D-2 internal
    await app.command(
        "/minutes", "Internal retro\ndecision: Replace the vendor\naction: Chase invoice <@U0CAROL>"
    )
    await app.command("/action", "add Client task for Bob <@U0BOB> [client]")


async def test_a_client_sees_only_client_records_and_internal_ids_are_not_found(app: Liaison) -> None:
    await _two_sets(app)

    async def as_carol(command: str, text: str) -> str:
        reply = await app.command(command, text, user=CAROL, channel=SHARED_CHANNEL)
        assert reply["response_type"] == "ephemeral"
        return reply_text(reply)

    listed = await as_carol("/minutes", "list")
    assert "Minutes (1)" in listed and "M-1" in listed and "M-2" not in listed and "retro" not in listed
    assert "decisions: 1 · action items: 2" in listed  # counts only what she may see
    shown = await as_carol("/minutes", "show M-1")
    assert "Go live" in shown and "margin" not in shown and "Recorded by" not in shown
    assert "`client`" not in shown
    hidden = await as_carol("/minutes", "show M-2")
    missing = await as_carol("/minutes", "show M-9")
    assert hidden.replace("M-2", "M-?") == missing.replace("M-9", "M-?")
    assert hidden.startswith("There is no M-2 in this project.")
    decisions = await as_carol("/decision", "list")
    assert "Decisions (1)" in decisions and "vendor" not in decisions and "margin" not in decisions
    assert (await as_carol("/decision", "list M-2")).startswith("There is no M-2 in this project.")
    actions = await as_carol("/action", "list all")
    assert "(3)" in actions and "invoice" not in actions
    assert "Client task for Bob" in actions
    mine = await as_carol("/action", "list mine")
    assert "(1)" in mine and "Send the cutover plan" in mine
    internal_action = await as_carol("/action", "done A-3")
    assert "There is no A-3" in internal_action


async def test_a_client_marks_her_own_item_done_from_the_sent_minutes(app: Liaison) -> None:
    await _two_sets(app)
    await app.command("/minutes", "send M-1")
    message = await _current(app)
    carol_item = next(a for a in await rows(app, ActionItem) if a.number == 1)
    block_id, _ = find_button(message, ids.ACTION_DONE)
    assert block_id == f"{ids.ACTION_ITEM_BLOCK}{carol_item.id}"  # only her item; Zhang San's has none
    answer = await press(app, message, ids.ACTION_DONE)
    assert "Marked *A-1* done" in reply_text(answer)
    carol_item = next(a for a in await rows(app, ActionItem) if a.number == 1)
    assert (carol_item.status, carol_item.done_by) == ("done", CAROL)
    assert ("action.done", "A-1", CAROL, CLIENT_TEAM) in await audit(app)
    await app.wait_for("chat.update")
    updated = await _current(app)
    assert ids.ACTION_DONE not in str(updated["blocks"]) and ":white_check_mark: • *A-1*" in reply_text(
        updated
    )
    assert updated["text"] == message["text"]
    [minutes] = [m for m in await rows(app, Minutes) if m.number == 1]
    assert minutes.sent_hash == hashlib.sha256(updated["text"].encode()).hexdigest()  # still confirmable


async def test_a_client_cannot_complete_someone_elses_or_an_internal_item(app: Liaison) -> None:
    await _two_sets(app)
    items = {a.number: a for a in await rows(app, ActionItem)}
    message = {"ts": "1.0", "blocks": []}
    bobs = await press(app, message, ids.ACTION_DONE, value=str(items[4].id))  # Bob's client item
    assert "belongs to someone else" in reply_text(bobs)
    internal = await press(app, message, ids.ACTION_DONE, value=str(items[3].id))  # internal, Carol's
    assert "not in this project" in reply_text(internal)
    gone = await press(app, message, ids.ACTION_DONE, value="999")
    assert reply_text(gone) == reply_text(internal)
    assert all(a.status == "open" for a in await rows(app, ActionItem))
    assert not [a for a in await audit(app) if a[0] == "action.done"]


async def test_a_client_cannot_confirm_internal_minutes_by_crafting_a_click(app: Liaison) -> None:
    await _two_sets(app)
    [_, internal] = await rows(app, Minutes)
    answer = await press(
        app, {"ts": "1.0", "blocks": []}, ids.MINUTES_CONFIRM, value=f"{internal.id}:{'0' * 64}"
    )
    assert "not in this project" in reply_text(answer)
    payload, _ = block_action(
        app, {"ts": "1.0", "blocks": []}, ids.MINUTES_REQUEST_CHANGES, value=f"{internal.id}:x"
    )
    await app.interaction(payload)
    await app.wait_for("response_url", where=lambda c: "not in this project" in reply_text(c.args))
    assert app.fake.calls_to("views.open") == []
    assert await confirmations(app) == []


async def test_a_team_members_click_is_not_the_clients_word(app: Liaison) -> None:
    message = await _sent(app)
    answer = await press(app, message, ids.MINUTES_CONFIRM, user=BOB)
    assert "Only the client signs this" in reply_text(answer) and answer["response_type"] == "ephemeral"
    assert await confirmations(app) == []
    [minutes] = await rows(app, Minutes)
    assert minutes.confirmed_hash is None
    assert app.fake.calls_to("chat.update") == []
    assert "confirmed by the client" not in reply_text(await app.command("/minutes", "list"))
    payload, _ = block_action(app, message, ids.MINUTES_REQUEST_CHANGES, user=BOB)
    await app.interaction(payload)
    await app.wait_for("response_url", where=lambda c: "Only the client signs this" in reply_text(c.args))
    assert app.fake.calls_to("views.open") == []


async def test_a_payload_claiming_another_organisation_is_checked_with_users_info(app: Liaison) -> None:
    message = await _sent(app)
    # Bob is in the home workspace whatever the payload says: Slack's directory decides.
    answer = await press(app, message, ids.MINUTES_CONFIRM, user=BOB, team=CLIENT_TEAM)
    assert "Only the client signs this" in reply_text(answer)
    assert await confirmations(app) == []
    assert any(c.args.get("user") == BOB for c in app.fake.calls_to("users.info"))


async def test_a_client_payload_without_a_team_is_placed_by_users_info(app: Liaison) -> None:
    message = await _sent(app)
    answer = await press(app, message, ids.MINUTES_CONFIRM, team=None)
    assert "you confirmed M-1" in reply_text(answer)
    [row] = await confirmations(app)
    assert (row.user_id, row.team_id, row.is_external) == (CAROL, CLIENT_TEAM, True)


async def test_someone_slack_cannot_place_does_not_sign(app: Liaison) -> None:
    message = await _sent(app)
    app.fake.add_user("U0GHOST", team_id=CLIENT_TEAM)
    app.fake.fail_next("users.info", "user_not_found")
    answer = await press(app, message, ids.MINUTES_CONFIRM, user="U0GHOST", team=None)
    assert "Only the client signs this" in reply_text(answer)
    assert await confirmations(app) == []


async def test_the_sent_message_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    await app.command("/minutes", "周会 [客户]\n决定：3月1日上线\n行动: 发送计划 <@U0CAROL> 截止:2026-12-04")
    await app.command("/minutes", "发送 M-1")
    message = await _current(app)
    text = reply_text(message)
    assert (
        "决定" in text and "行动项" in text and "确认" in text and "申请修改" in text and "标记完成" in text
    )
    answer = await press(app, message, ids.MINUTES_CONFIRM)
    assert "你已确认 M-1" in reply_text(answer)
    await app.wait_for("chat.update")
    assert "已于" in reply_text(await _current(app))
