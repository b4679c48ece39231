"""/project close end to end: the private preview (and the lessons forms, once), the internal report's PDF and
Markdown in the team channel; `send`: the client version as a sign-off in the client channel with its files;
CAROL's acceptance archives the project, a team member's click is refused, a rejection keeps it open;
`confirm` by the lead archives without the client. English and Chinese.

The `app` fixture (tests/handlers/conftest.py) is a project in Asia/Shanghai with its client channel bound, and a
clock at Tue 24 Nov 2026, 08:00 in Shanghai. CAROL is the client; ALICE (who set it up: the lead) and BOB the team.
Every internal record's text holds "SECRET": the client's files and message must never show it.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader

from bot.domain import closeout
from handlers import ids
from storage.models import AuditLog, Project, Schedule, SignOff
from tests.handlers.test_milestone_acceptance import _remarks
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

SECRET = re.compile("SECRET")


async def seed(app: Liaison, clock: Clock) -> None:
    """Two milestones (one client, delivered and accepted), risks that occurred / didn't / are open, an approved
    client change request, issues resolved after a day, action items done and overdue, lessons of both kinds."""
    for text in (
        '"UAT sign-off" due:2026-12-01 [client]',
        '"SECRET code freeze" due:2026-11-30',
    ):
        assert "MS-" in reply_text(await app.command("/milestone", f"add {text}"))
    await app.command("/milestone", "done MS-1")
    await app.command("/milestone", "accept MS-1")
    await press(app, app.fake.messages(SHARED_CHANNEL)[-1], ids.SIGNOFF_APPROVE)
    await app.command("/risk", "add Vendor ships late p:3 i:4 [client]")
    await app.command("/risk", "add SECRET key engineer leaves p:2 i:5")
    await app.command("/risk", "add Data migration slips p:4 i:4 [client]")
    await app.command("/risk", "close R-1 occurred: the vendor shipped a week late")
    await app.command("/risk", "close R-2 SECRET no longer relevant")
    await app.command("/change", 'add "Add SSO login" why:"Audit" impact:+5d,+16h,cost:8000 [client]')
    await app.command("/change", 'add "SECRET internal refactor" impact:+2d')
    await app.command("/change", "send CR-1")
    await press(app, app.fake.messages(SHARED_CHANNEL)[-1], ids.SIGNOFF_APPROVE)
    await app.command("/issue", "add SSO login fails severity:high [client]")
    await app.command("/issue", "add SECRET build server flaky severity:low")
    await app.command("/action", "add Send the cutover plan @alice due:2026-11-25 [client]")
    await app.command("/action", "add SECRET update the budget @bob due:2026-11-26")
    await app.command("/action", "add Book the training room @alice due:2026-12-20 [client]")
    await app.command(
        "/lesson", "add Daily stand-ups with the client caught issues early [went-well] [client]"
    )
    await app.command("/lesson", "add SECRET estimate integration work higher [to-improve]")
    clock.advance(days=1)
    await app.command("/issue", "resolve I-1 Fixed the SSO certificate")
    await app.command("/action", "done A-1")
    clock.advance(days=2)  # Fri 27 Nov: A-2 (due the 26th) is overdue


def _blocks_within_limits(message: dict[str, Any]) -> None:
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        text = block.get("text", {}).get("text", "")
        assert len(text) <= 3000


async def _files(app: Liaison, channel: str) -> dict[str, bytes]:
    """The report's files uploaded into `channel` (after the command answered: waits for the upload)."""
    await app.wait_for(
        "files.completeUploadExternal", where=lambda c: c.args.get("channel_id") == channel, timeout=30
    )
    return {
        f["filename"]: f["content"] for f in app.fake.uploaded_files.values() if f["channel_id"] == channel
    }


def _signoff_message(app: Liaison) -> dict[str, Any]:
    """The sign-off message (the files' comment is a message of its own, after it)."""
    return [m for m in app.fake.messages(SHARED_CHANNEL) if ids.SIGNOFF_BUTTONS in str(m.get("blocks"))][-1]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


async def test_close_previews_privately_asks_for_lessons_once_and_posts_the_internal_report(
    app: Liaison, clock: Clock
) -> None:
    await seed(app, clock)
    reply = await app.command("/project", "close")
    assert reply["response_type"] == "ephemeral"
    _blocks_within_limits(reply)
    text = reply_text(reply)
    assert "Draft close-out report" in text and "internal version" in text
    assert "2 milestones: 1 delivered, 1 accepted by the client." in text
    assert "*MS-1* UAT sign-off — planned Tue 1 Dec 2026" in text and "accepted Tue 24 Nov 2026" in text
    assert "1 approved · total impact: schedule +5 working days · effort +16 h · cost +8,000" in text
    assert "1 occurred · 1 closed without occurring · 1 still open" in text
    assert "1 done · 1 overdue · 1 still open" in text
    assert "SECRET estimate integration work higher" in text  # internal lessons in the internal view
    assert "Closing has started" in text and "lessons learned form by DM" in text
    assert "The internal report (PDF and Markdown) follows in <#C0INTERNAL>" in text
    files = await _files(app, INTERNAL_CHANNEL)
    forms = len(app.fake.calls_to("conversations.open"))
    assert forms >= 1
    assert sorted(files) == ["closeout-report-internal.md", "closeout-report-internal.pdf"]
    markdown = files["closeout-report-internal.md"].decode()
    assert "# Close-out report: ACME ERP" in markdown and "SECRET code freeze" in markdown
    for line in (  # the same numbers as the preview
        "2 milestones: 1 delivered, 1 accepted by the client.",
        "1 approved · total impact: schedule +5 working days · effort +16 h · cost +8,000",
        "1 occurred · 1 closed without occurring · 1 still open",
        "1 done · 1 overdue · 1 still open",
    ):
        assert line in markdown and line in text
    assert "| High | 1 | 1 | 0 | 24 h | 24 h |" in markdown
    pdf = _pdf_text(files["closeout-report-internal.pdf"])
    for heading in (
        "Milestones",
        "Approved change requests",
        "Risks",
        "Issues",
        "Action items",
        "Lessons learned",
    ):
        assert heading in pdf and f"## {heading}" in markdown
    assert [a.action for a in await rows(app, AuditLog)].count(closeout.STARTED) == 1
    again = await app.command("/project", "close")
    assert "Closing has started" not in reply_text(again)  # closing started already: no second form
    await app.wait_for("files.completeUploadExternal", count=2, timeout=30)
    assert len(app.fake.calls_to("conversations.open")) == forms
    [project] = await rows(app, Project)
    assert project.archived_at is None  # a preview archives nothing


async def test_send_posts_the_client_version_for_sign_off_and_the_clients_acceptance_archives(
    app: Liaison, clock: Clock
) -> None:
    await seed(app, clock)
    await app.command("/sync", "add Weekly sync every Tuesday 10am")
    reply = await app.command("/project", "close send")
    assert "Sent Close-out report version 1" in reply_text(reply), reply_text(reply)
    assert "Its PDF and Markdown follow in the message's thread." in reply_text(reply)
    message = _signoff_message(app)
    text = reply_text(message)
    assert "Final acceptance requested: Close-out report (version 1)" in text
    assert "Milestones: 1 (1 delivered, 1 accepted)" in text
    assert "Approved change requests: 1 (schedule 5 working days · effort 16 h · cost 8,000)" in text
    assert "Risks: 1 occurred, 0 closed without occurring, 1 still open" in text
    assert not SECRET.search(str(message))
    files = await _files(app, SHARED_CHANNEL)
    assert sorted(files) == ["closeout-report-v1.md", "closeout-report-v1.pdf"]
    markdown = files["closeout-report-v1.md"].decode()
    pdf = _pdf_text(files["closeout-report-v1.pdf"])
    assert "client version" in markdown and "client version" in pdf
    for content in (markdown, pdf):
        assert not SECRET.search(content)
        assert "UAT sign-off" in content and "Daily stand-ups with the client" in content
    [complete] = [c for c in app.fake.calls_to("files.completeUploadExternal") if c.args.get("thread_ts")]
    assert complete.args["thread_ts"] == message["ts"]

    refused = await press(app, message, ids.SIGNOFF_APPROVE, user=BOB)
    assert "Only the client signs this" in reply_text(refused)
    [project] = await rows(app, Project)
    assert project.archived_at is None

    answer = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "you approved Close-out report" in reply_text(answer)
    [project] = await rows(app, Project)
    assert project.archived_at is not None
    assert all(s.status == "paused" and s.paused_reason == "archived" for s in await rows(app, Schedule))
    note = app.fake.messages(INTERNAL_CHANNEL)[-1]
    assert "accepted the close-out report (version 1): the project is archived" in reply_text(note)
    [row] = [r for r in await rows(app, SignOff) if r.subject == closeout.SUBJECT]
    assert (row.status, row.decided_by) == ("approved", CAROL)
    archived = await app.command("/risk", "add Something new p:1 i:1")
    assert "archived" in reply_text(archived)


async def test_a_rejection_keeps_the_project_open_and_tells_the_team_why(app: Liaison, clock: Clock) -> None:
    await seed(app, clock)
    await app.command("/project", "close send")
    message = _signoff_message(app)
    await app.interaction(block_action(app, message, ids.SIGNOFF_REJECT)[0])
    view = await opened_view(app)
    await app.interaction(
        submission(view, _remarks(view, "Training is not delivered yet"), user=CAROL, team=CLIENT_TEAM)
    )
    await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    note = reply_text(app.fake.messages(INTERNAL_CHANNEL)[-1])
    assert "rejected the close-out report (version 1): Training is not delivered yet" in note
    [project] = await rows(app, Project)
    assert project.archived_at is None


async def test_confirm_by_the_lead_archives_and_anyone_else_is_refused(app: Liaison) -> None:
    refused = await app.command("/project", "close confirm", user=BOB)
    assert "Only the project lead (who set the project up)" in reply_text(refused)
    assert "/project close send" in reply_text(refused)
    [project] = await rows(app, Project)
    assert project.archived_at is None
    client = await app.command("/project", "close confirm", user=CAROL, channel=SHARED_CHANNEL)
    [project] = await rows(app, Project)
    assert project.archived_at is None and "archived" not in reply_text(client).lower()
    first = await app.command("/project", "close", user=ALICE)
    assert "Closing has started" in reply_text(first)
    reply = await app.command("/project", "close confirm", user=ALICE)
    assert "without the client's sign-off" in reply_text(reply) and "ACME ERP" in reply_text(reply)
    [project] = await rows(app, Project)
    assert project.archived_at is not None
    assert ("project.archive", ALICE) in [(a.action, a.actor_user_id) for a in await rows(app, AuditLog)]
    await app.command("/project", "reopen")
    closing = await app.command("/project", "close")  # closing again after a reopen asks for lessons again
    assert "Closing has started" in reply_text(closing)


async def test_mistakes_answer_with_an_example_and_write_nothing(app: Liaison) -> None:
    reply = await app.command("/project", "close now")
    assert "“now” is not something I can do" in reply_text(reply) and "/project close" in reply_text(reply)
    assert app.fake.uploaded_files == {}
    assert [a for a in await rows(app, AuditLog) if a.action == closeout.STARTED] == []
    client = await app.command("/project", "close", user=CAROL, channel=SHARED_CHANNEL)
    assert "Draft close-out report" not in reply_text(client)
    assert app.fake.uploaded_files == {}


async def test_in_chinese_the_pdf_holds_the_chinese_title_and_headings(app: Liaison, clock: Clock) -> None:
    await app.command("/project", 'settings name:"华东电网 ERP 升级" lang:zh')
    await app.command("/milestone", 'add "用户验收测试" due:2026-12-01 [client]')
    await app.command("/lesson", "添加 与客户的每日站会让问题及早暴露 [做得好] [客户]")
    reply = await app.command("/project", "结项")
    text = reply_text(reply)
    assert "结项报告草稿（仅你可见）" in text and "共 1 个里程碑" in text
    files = await _files(app, INTERNAL_CHANNEL)
    pdf = _pdf_text(files["closeout-report-internal.pdf"])
    assert "结项报告：华东电网 ERP 升级" in pdf
    for heading in (
        "里程碑",
        "已批准的变更",
        "风险",
        "问题",
        "行动项",
        "进度汇报参与度",
        "客户满意度",
        "经验教训",
    ):
        assert heading in pdf
    assert "用户验收测试" in pdf and "与客户的每日站会让问题及早暴露" in pdf
    markdown = files["closeout-report-internal.md"].decode()
    assert "# 结项报告：华东电网 ERP 升级" in markdown
    sent = await app.command("/project", "结项 发送")
    assert "已将 结项报告 第 1 版发到" in reply_text(sent), reply_text(sent)
    message = _signoff_message(app)
    assert "请求结项验收：结项报告（第 1 版）" in reply_text(message)
    client_pdf = _pdf_text((await _files(app, SHARED_CHANNEL))["closeout-report-v1.pdf"])
    assert "结项报告：华东电网 ERP 升级" in client_pdf and "客户版" in client_pdf
    answer = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "结项报告" in reply_text(answer)
    [project] = await rows(app, Project)
    assert project.archived_at is not None


async def test_a_failed_upload_is_told_to_whoever_asked_privately(app: Liaison) -> None:
    app.fake.fail_next("files.getUploadURLExternal", "internal_error")
    reply = await app.command("/project", "close")
    assert "Draft close-out report" in reply_text(reply)
    [told] = await app.wait_for("chat.postEphemeral", timeout=30)
    assert told.args["user"] == ALICE and told.args["channel"] == INTERNAL_CHANNEL
    assert "files could not be uploaded (internal_error); run the command again" in told.args["text"]
    assert app.fake.uploaded_files == {}
