"""When the client asks for changes to minutes: the team channel hears it with an Edit M-n button (team only),
the client's message keeps showing what was asked until a new version is sent, and the unchanged text can no
longer be confirmed from any stale copy (a digest's Confirm, "What's waiting for me")."""

from __future__ import annotations

from typing import Any

from handlers import ids
from storage.models import AuditLog, Minutes, SignOff
from tests.handlers.test_minutes_commands import (
    QUICK,
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
    SHARED_CHANNEL,
    Liaison,
    reply_text,
)

COMMENT = "Go-live is *8 March* & not 1 March <!channel>"
ESCAPED = "Go-live is *8 March* &amp; not 1 March &lt;!channel&gt;"


async def _panel(app: Liaison) -> dict[str, Any]:
    await app.command("/project", "panel", channel=SHARED_CHANNEL)
    found = [m for m in app.fake.messages(SHARED_CHANNEL) if ids.PANEL_WAITING in str(m.get("blocks"))]
    assert found, "no panel in the client channel"
    return found[-1]


def _message(app: Liaison, ts: str) -> dict[str, Any]:
    [found] = [m for m in app.fake.messages(SHARED_CHANNEL) if m["ts"] == ts]
    return found


def _team_posts(app: Liaison) -> list[dict[str, Any]]:
    return [
        c.args for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == INTERNAL_CHANNEL
    ]


async def _send(app: Liaison, quick: str = QUICK, send: str = "send M-1") -> dict[str, Any]:
    await app.command("/minutes", quick)
    await app.command("/minutes", send)
    message: dict[str, Any] = app.fake.messages(SHARED_CHANNEL)[-1]
    find_button(message, ids.MINUTES_CONFIRM)
    return message


async def _request_changes(app: Liaison, message: dict[str, Any], comment: str = COMMENT) -> None:
    views = len(app.fake.calls_to("views.open"))
    await app.interaction(block_action(app, message, ids.MINUTES_REQUEST_CHANGES)[0])
    view = await opened_view(app, views + 1)
    values = {
        ids.MINUTES_CHANGES_COMMENT: {
            ids.MINUTES_CHANGES_COMMENT: {"type": "plain_text_input", "value": comment}
        }
    }
    response = await app.interaction(submission(view, values, user=CAROL, team=CLIENT_TEAM))
    assert response.status_code == 200 and not response.text.strip()
    await app.wait_for("chat.update")


def _private_to_carol(app: Liaison) -> list[str]:
    return [m["text"] for m in app.fake.ephemerals(SHARED_CHANNEL) if m["user"] == CAROL]


async def _team_note(app: Liaison, marker: str) -> dict[str, Any]:
    [call] = await app.wait_for(
        "chat.postMessage",
        where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL and marker in reply_text(c.args),
    )
    return dict(call.args)


async def _audit(app: Liaison) -> list[str]:
    return [a.action for a in await rows(app, AuditLog)]


async def test_the_team_hears_with_an_edit_button_and_the_new_version_replaces_the_request(
    app: Liaison,
) -> None:
    message = await _send(app)
    await _request_changes(app, message)
    assert _private_to_carol(app) == [
        "Thank you: the team has your changes to M-1 and will send a new version to confirm."
    ]
    note = await _team_note(app, "requested changes to")
    text = reply_text(note)
    assert "<@U0CAROL> requested changes to" in text and "M-1" in text
    assert ESCAPED in text and "<!channel>" not in text  # escaped, kept as typed
    assert f"<@{ALICE}>" in text  # the author is named where the team reads
    [minutes] = await rows(app, Minutes)
    _, edit = find_button(note, ids.MINUTES_EDIT)
    assert edit["text"]["text"] == "Edit M-1" and edit["value"] == str(minutes.id)
    [dm] = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == ALICE)
    assert ESCAPED in reply_text(dm.args)

    shown = _message(app, message["ts"])  # the client's message keeps what was asked
    assert "Changes requested by <@U0CAROL>" in reply_text(shown) and ESCAPED in reply_text(shown)
    assert ids.MINUTES_CONFIRM not in str(shown["blocks"])

    await app.interaction(block_action(app, note, ids.MINUTES_EDIT, user=BOB, channel=INTERNAL_CHANNEL)[0])
    view = await opened_view(app, 2)
    assert view["callback_id"] == ids.MINUTES_MODAL and view["title"]["text"] == "Edit M-1"
    values = form_values(title="Weekly sync with ACME", decisions="D-1: Go live on 8 March", share=True)
    await app.interaction(submission(view, values, user=BOB))
    await app.wait_for("chat.postMessage", where=lambda c: "Updated" in reply_text(c.args))
    assert "changed since sent" in reply_text(await app.command("/minutes", "show M-1"))
    shown = _message(app, message["ts"])  # edited but not sent: still what the client asked
    assert ESCAPED in reply_text(shown) and "Go live on 1 March" in shown["text"]

    reply = await app.command("/minutes", "send M-1")
    assert "Sent" in reply_text(reply)
    new = app.fake.messages(SHARED_CHANNEL)[-1]
    assert new["ts"] != message["ts"] and "Go live on 8 March" in new["text"]
    find_button(new, ids.MINUTES_CONFIRM)
    assert "Changes requested" not in reply_text(new) and ESCAPED not in reply_text(new)
    old = _message(app, message["ts"])
    assert ESCAPED not in reply_text(old) and "sent again" in reply_text(old)
    answer = await press(app, new, ids.MINUTES_CONFIRM)
    assert "you confirmed M-1" in reply_text(answer)
    versions = await rows(app, SignOff)
    assert [(v.version, v.status) for v in sorted(versions, key=lambda v: v.version)] == [
        (1, "rejected"),
        (2, "approved"),
    ]


async def test_a_clients_click_on_edit_is_refused_privately(app: Liaison) -> None:
    message = await _send(app)
    await _request_changes(app, message)
    note = await _team_note(app, "requested changes to")
    views = len(app.fake.calls_to("views.open"))
    answer = await press(app, note, ids.MINUTES_EDIT, user=CAROL, channel=SHARED_CHANNEL)
    assert answer["response_type"] == "ephemeral" and "Only the team edits minutes" in reply_text(answer)
    assert len(app.fake.calls_to("views.open")) == views


async def test_the_unchanged_text_cannot_be_confirmed_after_asking_for_changes(app: Liaison) -> None:
    message = await _send(app)
    waiting = await press(app, await _panel(app), ids.PANEL_WAITING)  # a copy with Approve, taken before
    find_button(waiting, ids.SIGNOFF_APPROVE)
    await _request_changes(app, message)
    before = (await _audit(app), [(v.status, v.decided_at) for v in await rows(app, SignOff)])

    stale = await press(app, message, ids.MINUTES_CONFIRM)  # the message as first posted (a digest's copy)
    assert stale["response_type"] == "ephemeral"
    assert "Changes to M-1 were requested, so this version can't be confirmed" in reply_text(stale)
    approve = await press(app, waiting, ids.SIGNOFF_APPROVE)
    assert approve["response_type"] == "ephemeral"
    assert "You asked for changes to M-1 version 1; the team will send a new version" in reply_text(approve)
    remarks = await press(app, waiting, ids.SIGNOFF_REMARKS)
    assert "You asked for changes to M-1 version 1" in reply_text(remarks)

    after = (await _audit(app), [(v.status, v.decided_at) for v in await rows(app, SignOff)])
    assert after == before and "minutes.signoff_approved" not in after[0]
    [minutes] = await rows(app, Minutes)
    assert minutes.confirmed_hash is None
    again = await app.command("/minutes", "send M-1")  # and the team can't resend it unchanged
    assert "edit it before sending again" in reply_text(again)


async def test_rejecting_from_whats_waiting_tells_the_team_with_an_edit_button(app: Liaison) -> None:
    message = await _send(app)
    waiting = await press(app, await _panel(app), ids.PANEL_WAITING)
    await app.interaction(block_action(app, waiting, ids.SIGNOFF_REJECT)[0])
    view = await opened_view(app)
    reason = {ids.SIGNOFF_TEXT: {ids.SIGNOFF_TEXT: {"type": "plain_text_input", "value": COMMENT}}}
    done = await app.interaction(submission(view, reason, user=CAROL, team=CLIENT_TEAM))
    assert done.status_code == 200
    note = await _team_note(app, "rejected M-1 version 1")
    assert ESCAPED in reply_text(note) and f"<@{ALICE}>" in reply_text(note)
    _, edit = find_button(note, ids.MINUTES_EDIT)
    assert edit["text"]["text"] == "Edit M-1"
    shown = _message(app, message["ts"])  # the minutes' own message, not a generic sign-off one
    assert "Changes requested by <@U0CAROL>" in reply_text(shown) and ESCAPED in reply_text(shown)
    assert shown["text"] == message["text"] and ids.MINUTES_CONFIRM not in str(shown["blocks"])
    await app.interaction(block_action(app, note, ids.MINUTES_EDIT, user=ALICE, channel=INTERNAL_CHANNEL)[0])
    assert (await opened_view(app, 2))["title"]["text"] == "Edit M-1"


async def test_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    message = await _send(
        app, "周会 [客户]\n决定：3月1日上线\n行动: 发送计划 <@U0CAROL> 截止:2026-12-04", "发送 M-1"
    )
    await _request_changes(app, message, "上线日期是 3月8日 <!here>")
    assert _private_to_carol(app) == ["谢谢，团队已收到你对 M-1 的修改意见，会发送新版本供你确认。"]
    note = await _team_note(app, "申请修改")
    assert "上线日期是 3月8日 &lt;!here&gt;" in reply_text(note)
    _, edit = find_button(note, ids.MINUTES_EDIT)
    assert edit["text"]["text"] == "编辑 M-1"
    shown = _message(app, message["ts"])
    assert "申请修改" in reply_text(shown) and "上线日期是 3月8日 &lt;!here&gt;" in reply_text(shown)
    stale = await press(app, message, ids.MINUTES_CONFIRM)
    assert "此版本不能再确认" in reply_text(stale)
    refused = await press(app, note, ids.MINUTES_EDIT, user=CAROL, channel=SHARED_CHANNEL)
    assert "只有团队可以编辑会议纪要" in reply_text(refused)
    await app.interaction(block_action(app, note, ids.MINUTES_EDIT, user=BOB, channel=INTERNAL_CHANNEL)[0])
    assert (await opened_view(app, 2))["title"]["text"] == "编辑 M-1"
    assert [s.status for s in await rows(app, SignOff)] == ["rejected"]
