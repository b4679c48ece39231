"""The author's DM when the client asks for changes to minutes says where to make them: a DM belongs to no
project, so it names the team channel (with its Edit M-n button) and the commands, in the project's language.
The playground walk found a DM that quoted the request and left the author to guess."""

from __future__ import annotations

from tests.handlers.test_minutes_changes_requested import _request_changes, _send
from tests.harness.app import ALICE, INTERNAL_CHANNEL, Liaison, reply_text


async def _dm(app: Liaison) -> str:
    [dm] = await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == ALICE)
    return reply_text(dm.args)


async def test_the_authors_dm_points_at_the_team_channel_to_edit(app: Liaison) -> None:
    await _request_changes(app, await _send(app))
    text = await _dm(app)
    assert f"Edit M-1 in <#{INTERNAL_CHANNEL}>" in text, text
    assert "`/minutes edit M-1`" in text and "`/minutes send M-1`" in text


async def test_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    message = await _send(app, "周会 [客户]\n决定：3月1日上线", "发送 M-1")
    await _request_changes(app, message, "上线日期是 3月8日")
    text = await _dm(app)
    assert f"请到 <#{INTERNAL_CHANNEL}> 编辑 M-1" in text and "「编辑 M-1」" in text, text
