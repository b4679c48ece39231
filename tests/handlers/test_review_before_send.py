"""Review before anything reaches the client, end to end with time travel: with `/project settings review:on`
a scheduled client digest (or client sync reminder) is previewed in the team channel `review_lead` before its
time, exactly as the client would get it, with Send now / Edit note / Skip this one; with no answer it goes
out at its time, with `review:required` only if someone pressed Send now (else the team is told once).
Exactly once throughout; only the team decides; English and Chinese."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sqlmodel import select

from handlers import ids
from storage.models import Occurrence, Project, ReviewPreview
from tests.handlers.conftest import SHANGHAI
from tests.handlers.test_minutes_commands import block_action, opened_view, press, submission
from tests.harness.app import ALICE, BOB, CAROL, INTERNAL_CHANNEL, SHARED_CHANNEL, Clock, Liaison, reply_text

DIGEST_AT = datetime(2026, 11, 24, 14, 0, tzinfo=SHANGHAI)  # Tuesday 14:00: the client digest's time
PREVIEW_AT = datetime(2026, 11, 24, 12, 0, tzinfo=SHANGHAI)  # two hours before


def _posts(app: Liaison, channel: str) -> list[dict[str, Any]]:
    """Posts into `channel`; in the client channel only the digests and sync reminders (not the action item
    the setup assigns to the client)."""
    found = [c.args for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]
    if channel == SHARED_CHANNEL:
        found = [p for p in found if "📊" in str(p.get("blocks")) or "ACME sync" in str(p.get("blocks"))]
    return found


def _preview_posts(app: Liaison) -> list[dict[str, Any]]:
    """The previews as they were posted (with their ts), whatever updated them since."""
    return [
        {**c.args, "ts": c.response["ts"]}
        for c in app.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == INTERNAL_CHANNEL and ids.REVIEW_SEND in str(c.args.get("blocks"))
    ]


def _client_blocks(preview: dict[str, Any]) -> list[dict[str, Any]]:
    """The blocks between the preview's two dividers: what the client would get."""
    blocks = preview["blocks"]
    first = next(i for i, b in enumerate(blocks) if b["type"] == "divider")
    last = max(i for i, b in enumerate(blocks) if b["type"] == "divider")
    return list(blocks[first + 1 : last])


def _labels(message: dict[str, Any]) -> list[str]:
    return [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def _message(app: Liaison, channel: str, ts: str) -> dict[str, Any]:
    return next(m for m in app.fake.messages(channel) if m["ts"] == ts)


async def _rows(app: Liaison, model: Any) -> list[Any]:
    async with app.session() as s:
        return list((await s.exec(select(model).order_by(model.id))).all())


async def _digest_with_review(app: Liaison, clock: Clock, mode: str = "on") -> None:
    await app.command("/action", "add Secret team chore <@U0ALICE|alice> due:2026-11-20")
    await app.command("/action", "add Sign the plan <@U0CAROL|carol> due:2026-11-20 [client]")
    reply = reply_text(await app.command("/project", f"settings review:{mode}"))
    assert "updated" in reply.lower() or "已更新" in reply, reply
    await app.command("/digest", "every tuesday 14:00 client charts:off")


async def _at(app: Liaison, clock: Clock, when: datetime, *, passes: int = 1) -> None:
    clock.now = when
    await asyncio.gather(*(app.svc.runner.run_all() for _ in range(passes)))


async def test_preview_once_at_the_lead_with_the_clients_blocks_then_posted_at_its_time(
    app: Liaison, clock: Clock
) -> None:
    await _digest_with_review(app, clock)
    await _at(app, clock, datetime(2026, 11, 24, 11, 59, tzinfo=SHANGHAI))
    assert _preview_posts(app) == []
    await _at(app, clock, PREVIEW_AT, passes=2)  # two replicas look at once
    await _at(app, clock, datetime(2026, 11, 24, 12, 30, tzinfo=SHANGHAI))
    [preview] = _preview_posts(app)
    shown = reply_text(preview)
    assert "Preview for review" in shown and "client digest S-1" in shown and f"<#{SHARED_CHANNEL}>" in shown
    assert "composed again when it posts" in shown and "With no answer it goes out at its time" in shown
    assert _labels(preview) == ["Send now", "Edit note", "Skip this one"]
    assert "Sign the plan" in shown
    assert "Secret team chore" not in shown  # the team's own overdue internal item: never by name
    assert _posts(app, SHARED_CHANNEL) == []
    [row] = await _rows(app, ReviewPreview)
    assert row.state == "pending" and row.channel_id == INTERNAL_CHANNEL

    await _at(app, clock, DIGEST_AT, passes=2)
    [posted] = _posts(app, SHARED_CHANNEL)
    assert posted["blocks"] == _client_blocks(preview)  # exactly what the team saw
    assert "Secret team chore" not in reply_text(posted)
    now_preview = _message(app, INTERNAL_CHANNEL, row.message_ts)
    assert "went to" in reply_text(now_preview) and "at its time" in reply_text(now_preview)
    assert _labels(now_preview) == []  # no buttons once it is out
    await _at(app, clock, datetime(2026, 11, 24, 15, 0, tzinfo=SHANGHAI))
    assert len(_posts(app, SHARED_CHANNEL)) == 1 and len(_preview_posts(app)) == 1
    [occurrence] = await _rows(app, Occurrence)
    assert occurrence.status == "posted"


async def test_required_and_nobody_pressed_is_not_sent_and_the_team_is_told_once(
    app: Liaison, clock: Clock
) -> None:
    await _digest_with_review(app, clock, "required")
    await _at(app, clock, PREVIEW_AT)
    [preview] = _preview_posts(app)
    assert "only if someone presses" in reply_text(preview)
    await _at(app, clock, DIGEST_AT, passes=2)
    await _at(app, clock, datetime(2026, 11, 24, 14, 5, tzinfo=SHANGHAI))
    assert _posts(app, SHARED_CHANNEL) == []
    told = [p for p in _posts(app, INTERNAL_CHANNEL) if "was not sent" in reply_text(p)]
    assert len(told) == 1 and "nobody pressed Send now" in reply_text(told[0])
    [occurrence] = await _rows(app, Occurrence)
    assert occurrence.status == "skipped" and "held for review" in occurrence.error
    [row] = await _rows(app, ReviewPreview)
    assert row.state == "held"
    late = await press(app, preview, ids.REVIEW_SEND, user=ALICE, channel=INTERNAL_CHANNEL)
    assert "Nothing changed" in reply_text(late)
    assert _posts(app, SHARED_CHANNEL) == []


async def test_send_now_posts_at_once_and_not_again_at_its_time(app: Liaison, clock: Clock) -> None:
    await _digest_with_review(app, clock, "required")
    await _at(app, clock, PREVIEW_AT)
    [preview] = _preview_posts(app)
    clock.now = datetime(2026, 11, 24, 12, 10, tzinfo=SHANGHAI)
    reply = await press(app, preview, ids.REVIEW_SEND, user=BOB, channel=INTERNAL_CHANNEL)
    assert "Sent to the client" in reply_text(reply)
    [posted] = _posts(app, SHARED_CHANNEL)
    assert "Sign the plan" in reply_text(posted)
    assert posted["metadata"]["event_type"] == "liaison_occurrence"  # tagged like any scheduled post
    updated = _message(app, INTERNAL_CHANNEL, preview["ts"])
    assert f"<@{BOB}> sent the client digest S-1" in reply_text(updated) and _labels(updated) == []
    again = await press(app, preview, ids.REVIEW_SEND, user=ALICE, channel=INTERNAL_CHANNEL)
    assert "already been sent" in reply_text(again)
    await _at(app, clock, DIGEST_AT, passes=2)
    await _at(app, clock, datetime(2026, 11, 24, 14, 30, tzinfo=SHANGHAI))
    assert len(_posts(app, SHARED_CHANNEL)) == 1
    assert not [p for p in _posts(app, INTERNAL_CHANNEL) if "was not sent" in reply_text(p)]
    [occurrence] = await _rows(app, Occurrence)
    assert occurrence.status == "posted" and occurrence.channel_id == SHARED_CHANNEL


async def test_skip_marks_the_occurrence_skipped_and_nothing_goes_out(app: Liaison, clock: Clock) -> None:
    await _digest_with_review(app, clock)
    await _at(app, clock, PREVIEW_AT)
    [preview] = _preview_posts(app)
    reply = await press(app, preview, ids.REVIEW_SKIP, user=ALICE, channel=INTERNAL_CHANNEL)
    assert "Skipped" in reply_text(reply)
    updated = _message(app, INTERNAL_CHANNEL, preview["ts"])
    assert f"<@{ALICE}> skipped the client digest S-1" in reply_text(updated) and _labels(updated) == []
    await _at(app, clock, DIGEST_AT)
    assert _posts(app, SHARED_CHANNEL) == []
    [occurrence] = await _rows(app, Occurrence)
    assert occurrence.status == "skipped"
    # the next week's digest is previewed and posted as usual
    await _at(app, clock, datetime(2026, 12, 1, 12, 0, tzinfo=SHANGHAI))
    await _at(app, clock, datetime(2026, 12, 1, 14, 0, tzinfo=SHANGHAI))
    assert len(_preview_posts(app)) == 2 and len(_posts(app, SHARED_CHANNEL)) == 1


async def test_edit_note_goes_on_top_of_the_client_post_escaped(app: Liaison, clock: Clock) -> None:
    await _digest_with_review(app, clock)
    await _at(app, clock, PREVIEW_AT)
    [preview] = _preview_posts(app)
    payload, _ = block_action(app, preview, ids.REVIEW_NOTE, user=ALICE, channel=INTERNAL_CHANNEL)
    assert (await app.interaction(payload)).status_code == 200
    view = await opened_view(app)
    note = "UAT moves to Friday <!channel> & thanks"
    values = {ids.REVIEW_NOTE_INPUT: {ids.REVIEW_NOTE_INPUT: {"type": "plain_text_input", "value": note}}}
    done = await app.interaction(submission(view, values, user=ALICE))
    assert done.status_code == 200 and not done.content
    await app.svc.tasks.drain(10)
    updated = _message(app, INTERNAL_CHANNEL, preview["ts"])
    escaped = "UAT moves to Friday &lt;!channel&gt; &amp; thanks"
    assert _client_blocks(updated)[0]["text"]["text"] == f":memo: {escaped}"
    assert f"The note on top is by <@{ALICE}>" in reply_text(updated)
    await _at(app, clock, DIGEST_AT)
    [posted] = _posts(app, SHARED_CHANNEL)
    assert posted["blocks"][0]["text"]["text"] == f":memo: {escaped}"
    assert "<!channel>" not in str(posted)
    [row] = await _rows(app, ReviewPreview)
    assert row.note == note  # kept verbatim

    two_lines = {
        ids.REVIEW_NOTE_INPUT: {ids.REVIEW_NOTE_INPUT: {"type": "plain_text_input", "value": "a\nb"}}
    }
    refused = await app.interaction(submission(view, two_lines, user=ALICE))
    assert "errors" in refused.json()
    [row] = await _rows(app, ReviewPreview)
    assert row.note == note


async def test_a_client_users_click_is_refused_and_changes_nothing(app: Liaison, clock: Clock) -> None:
    await _digest_with_review(app, clock)
    await _at(app, clock, PREVIEW_AT)
    [preview] = _preview_posts(app)
    for action in (ids.REVIEW_SEND, ids.REVIEW_SKIP, ids.REVIEW_NOTE):
        refused = await press(app, preview, action, user=CAROL, channel=INTERNAL_CHANNEL)
        assert "keeps this for the project team" in reply_text(refused)
    assert _posts(app, SHARED_CHANNEL) == [] and await _rows(app, Occurrence) == []
    [row] = await _rows(app, ReviewPreview)
    assert row.state == "pending" and row.note is None
    assert app.fake.calls_to("views.open") == []
    await _at(app, clock, DIGEST_AT)
    assert len(_posts(app, SHARED_CHANNEL)) == 1


async def test_a_client_sync_reminder_is_previewed_in_chinese(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "设置 语言:zh 审阅:开 审阅提前:90m")
    async with app.session() as s:
        project = (await s.exec(select(Project))).one()
    assert (project.lang, project.review, project.review_lead) == ("zh", "on", 90)
    await app.command("/sync", 'every wednesday 10am "ACME sync" remind:15m [client]')  # reminder at 09:45
    await _at(app, clock, datetime(2026, 11, 25, 8, 14, tzinfo=SHANGHAI))
    assert _preview_posts(app) == []
    await _at(app, clock, datetime(2026, 11, 25, 8, 15, tzinfo=SHANGHAI), passes=2)
    [preview] = _preview_posts(app)
    shown = reply_text(preview)
    assert "发送前预览" in shown and "例会提醒 S-1" in shown and "无人操作时，到点照常发送" in shown
    assert _labels(preview) == ["立即发送", "编辑备注", "跳过这次"]
    assert "ACME sync" in shown
    refused = await press(app, preview, ids.REVIEW_SKIP, user=CAROL, channel=INTERNAL_CHANNEL)
    assert "仅限项目团队成员" in reply_text(refused)
    await _at(app, clock, datetime(2026, 11, 25, 9, 45, tzinfo=SHANGHAI))
    [posted] = _posts(app, SHARED_CHANNEL)
    assert posted["blocks"] == _client_blocks(preview)
    assert "已按时" in reply_text(_message(app, INTERNAL_CHANNEL, preview["ts"]))


async def test_required_in_chinese_send_now(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "设置 语言:zh 审阅:必须")
    await app.command("/digest", "every tuesday 14:00 client charts:off")
    await _at(app, clock, PREVIEW_AT)
    [preview] = _preview_posts(app)
    assert "只有有人按下" in reply_text(preview)
    reply = await press(app, preview, ids.REVIEW_SEND, user=ALICE, channel=INTERNAL_CHANNEL)
    assert "已发给客户" in reply_text(reply)
    await _at(app, clock, DIGEST_AT)
    assert len(_posts(app, SHARED_CHANNEL)) == 1
    assert "立即把" in reply_text(_message(app, INTERNAL_CHANNEL, preview["ts"]))


async def test_review_off_by_default_posts_as_before_with_no_preview(app: Liaison, clock: Clock) -> None:
    await app.command("/digest", "every tuesday 14:00 client charts:off")
    await _at(app, clock, PREVIEW_AT)
    await _at(app, clock, DIGEST_AT)
    assert _preview_posts(app) == [] and len(_posts(app, SHARED_CHANNEL)) == 1
    assert await _rows(app, ReviewPreview) == []


async def test_bad_settings_get_an_example_and_write_nothing(app: Liaison) -> None:
    for text, needle in (
        ("settings review:maybe", "is not a review setting"),
        ("settings review_lead:soon", "is not a lead time"),
        ("settings review_lead:3d", "is not a lead time"),
    ):
        reply = await app.command("/project", text)
        assert reply["response_type"] == "ephemeral"
        shown = reply_text(reply)
        assert needle in shown and "/project settings review:on review_lead:2h" in shown
    zh = reply_text(await app.command("/project", "设置 审阅:也许"))
    assert "不是审阅设置" in zh
    async with app.session() as s:
        project = (await s.exec(select(Project))).one()
    assert (project.review, project.review_lead) == ("off", 120)


async def test_send_now_that_slack_refuses_is_recorded_failed_and_said(app: Liaison, clock: Clock) -> None:
    await _digest_with_review(app, clock)
    await _at(app, clock, PREVIEW_AT)
    [preview] = _preview_posts(app)
    app.fake.fail_next("chat.postMessage", "not_in_channel")
    reply = await press(app, preview, ids.REVIEW_SEND, user=ALICE, channel=INTERNAL_CHANNEL)
    assert "Could not send it now: not_in_channel" in reply_text(reply)
    assert _posts(app, SHARED_CHANNEL) == []
    [occurrence] = await _rows(app, Occurrence)
    assert occurrence.status == "failed" and "not_in_channel" in occurrence.error
    [row] = await _rows(app, ReviewPreview)
    assert row.state == "failed"
    assert "could not be sent now" in reply_text(_message(app, INTERNAL_CHANNEL, preview["ts"]))
    again = await press(app, preview, ids.REVIEW_SEND, user=BOB, channel=INTERNAL_CHANNEL)
    assert "recorded as failed" in reply_text(again)
    await _at(app, clock, DIGEST_AT)  # the occurrence is taken: not posted behind the team's back
    assert _posts(app, SHARED_CHANNEL) == []


async def test_required_turned_on_too_late_for_a_preview_holds_and_tells_once(
    app: Liaison, clock: Clock
) -> None:
    await app.command("/digest", "every tuesday 14:00 client charts:off")
    await _at(app, clock, PREVIEW_AT)
    assert _preview_posts(app) == []  # review is off: no preview
    await app.command("/project", "settings review:required")
    await _at(app, clock, DIGEST_AT, passes=2)
    await _at(app, clock, datetime(2026, 11, 24, 14, 1, tzinfo=SHANGHAI))
    assert _posts(app, SHARED_CHANNEL) == [] and _preview_posts(app) == []
    told = [p for p in _posts(app, INTERNAL_CHANNEL) if "was not sent" in reply_text(p)]
    assert len(told) == 1
    [row] = await _rows(app, ReviewPreview)
    assert row.state == "held" and row.message_ts is None


async def test_send_now_says_how_far_off_the_sync_really_is(app: Liaison, clock: Clock) -> None:
    """Sent 25 min early, the client's reminder counts the 40 min left, not the schedule's 15; the preview
    shows it as it reads at its post time."""
    await app.command("/project", "settings review:on")
    await app.command("/sync", 'every wednesday 10am "ACME sync" remind:15m [client]')
    await _at(app, clock, datetime(2026, 11, 25, 7, 45, tzinfo=SHANGHAI))
    [preview] = _preview_posts(app)
    assert "starts in 15 min" in reply_text(preview)
    clock.now = datetime(2026, 11, 25, 9, 20, tzinfo=SHANGHAI)
    reply = await press(app, preview, ids.REVIEW_SEND, user=BOB, channel=INTERNAL_CHANNEL)
    assert "Sent to the client" in reply_text(reply)
    [posted] = _posts(app, SHARED_CHANNEL)
    assert "starts in 40 min" in reply_text(posted) and "15 min" not in reply_text(posted)


async def test_send_now_hours_ahead_says_when_the_sync_starts_in_chinese(app: Liaison, clock: Clock) -> None:
    """Sent more than an hour ahead, no minute count at all: the meeting's time as a Slack date token."""
    await app.command("/project", "设置 语言:zh 审阅:开")
    await app.command("/sync", 'every wednesday 10am "ACME sync" remind:15m [client]')
    await _at(app, clock, datetime(2026, 11, 25, 7, 45, tzinfo=SHANGHAI))
    [preview] = _preview_posts(app)
    assert "15 分钟后开始" in reply_text(preview)
    clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI)
    reply = await press(app, preview, ids.REVIEW_SEND, user=ALICE, channel=INTERNAL_CHANNEL)
    assert "已发给客户" in reply_text(reply)
    [posted] = _posts(app, SHARED_CHANNEL)
    meeting = int(datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI).timestamp())
    shown = reply_text(posted)
    assert f"<!date^{meeting}^" in shown and "分钟后开始" not in shown and "即将开始" not in shown
