"""/issue end to end: signed commands in, Slack answers and stored rows out (English and Chinese), the client's
view of the log, mistakes that write nothing, and the response-target setting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import func, select

from storage.models import AuditLog, Issue, ProcessedRequest, Project
from tests.handlers.conftest import SHANGHAI
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    HOME_TEAM,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    reply_text,
)

BOB_MENTION = f"<@{BOB}|bob>"


async def issues(app: Liaison) -> list[Issue]:
    async with app.session() as s:
        return list((await s.exec(select(Issue).order_by(Issue.number))).all())  # type: ignore[arg-type]


async def audit(app: Liaison, ref: str) -> list[tuple[str, str]]:
    async with app.session() as s:
        rows = (await s.exec(select(AuditLog).where(AuditLog.record_ref == ref).order_by(AuditLog.id))).all()  # type: ignore[arg-type]
    return [(a.action, a.actor_user_id) for a in rows]


async def store(app: Liaison) -> tuple[list[tuple[Any, ...]], int, int]:
    """What a mistaken command must leave alone: the issues, the audit log, the claimed requests."""
    async with app.session() as s:
        claimed = (await s.exec(select(func.count()).select_from(ProcessedRequest))).one()
        entries = (await s.exec(select(func.count()).select_from(AuditLog))).one()
    rows = [
        (i.number, i.title, i.severity, i.status, i.owner_user_id, i.visibility) for i in await issues(app)
    ]
    return rows, int(entries), int(claimed)


async def test_add_list_show_update_resolve_reopen(app: Liaison, clock: Clock) -> None:
    reply = await app.command(
        "/issue", f"add SSO login fails severity:high owner:{BOB_MENTION} due:2026-12-15 [client]"
    )
    text = reply_text(reply)
    assert (
        "Added I-1" in text
        and "High" in text
        and f"<@{BOB}>" in text
        and reply["response_type"] == "ephemeral"
    )
    [issue] = await issues(app)
    assert (issue.title, issue.severity, issue.owner_user_id, issue.owner_team_id) == (
        "SSO login fails",
        "high",
        BOB,
        HOME_TEAM,
    )
    assert (issue.visibility, issue.kind, issue.status, issue.raised_by, issue.raised_external) == (
        "client",
        "issue",
        "open",
        ALICE,
        False,
    )
    # a date alone is due at the end of that day in the project's zone
    assert issue.due_at == datetime(2026, 12, 15, 23, 59, tzinfo=SHANGHAI).astimezone(UTC)
    assert issue.first_response_at == clock.now  # the team raised it: nothing to wait for

    clock.advance(hours=1)
    await app.command("/issue", "add Printer drivers missing severity:low")
    clock.advance(hours=1)
    await app.command("/issue", "add Payroll batch fails severity:critical owner:me")
    clock.advance(hours=1)
    await app.command("/issue", "add Second high one severity:high")
    listed = reply_text(await app.command("/issue", "list"))
    order = [listed.index(ref) for ref in ("I-3", "I-1", "I-4", "I-2")]
    assert order == sorted(order), listed  # critical, then high by age, then low
    mine = reply_text(await app.command("/issue", "list mine"))
    assert "I-3" in mine and "I-1" not in mine

    updated = reply_text(await app.command("/issue", "update I-2 severity:medium owner:me due:none"))
    assert "Updated I-2: Severity, Owner" in updated
    resolved = reply_text(await app.command("/issue", "resolve I-2 Installed the drivers"))
    assert "Resolved I-2" in resolved and "Installed the drivers" in resolved
    assert "I-2" not in reply_text(await app.command("/issue", "list"))
    assert "I-2" in reply_text(await app.command("/issue", "list all"))
    again = reply_text(await app.command("/issue", "resolve I-2 twice"))
    assert "I-2 is already resolved" in again
    assert "Reopened I-2" in reply_text(await app.command("/issue", "reopen I-2"))
    shown = reply_text(await app.command("/issue", "show I-2"))
    for words in ("raised it", "changed it", "resolved it", "reopened it", "“Installed the drivers”"):
        assert words in shown, shown
    assert [a for a, _ in await audit(app, "I-2")] == [
        "issue.create",
        "issue.update",
        "issue.resolve",
        "issue.reopen",
    ]


async def test_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    reply = reply_text(
        await app.command(
            "/issue", f"添加 客户无法登录 严重程度:致命 负责人:<@{CAROL}|carol> 截止:2026-12-15 [客户]"
        )
    )
    assert "已添加 I-1" in reply and "致命" in reply
    [issue] = await issues(app)
    assert (issue.title, issue.severity, issue.owner_user_id, issue.owner_team_id, issue.visibility) == (
        "客户无法登录",
        "critical",
        CAROL,
        CLIENT_TEAM,
        "client",
    )
    await app.command("/issue", "添加 打印机驱动缺失 严重程度:轻微")
    listed = reply_text(await app.command("/issue", "列表"))
    assert "未解决的问题" in listed and listed.index("I-1") < listed.index("I-2")
    assert "已解决 I-2" in reply_text(await app.command("/issue", "解决 I-2 已安装驱动"))
    assert "已重新打开 I-2" in reply_text(await app.command("/issue", "重开 I-2"))
    assert "严重程度" in reply_text(await app.command("/issue", "查看 I-1"))


async def test_mistakes_answer_privately_with_an_example_and_write_nothing(app: Liaison) -> None:
    await app.command("/issue", "add Existing one")
    before = await store(app)
    cases = [
        ("add severity:high", "Say what the issue is.", "/issue add SSO login fails"),
        ("add Broken thing severity:huge", "`huge` is not a severity", "/issue add SSO login fails"),
        ("add Broken thing due:someday maybe", "", "/issue add"),
        ("update I-1", "Tell me what to change", "/issue update I-3"),
        ("update I-9 severity:low", "There is no I-9", "/issue update I-3"),
        ("resolve", "", "/issue resolve I-3"),
        ("list everything", "is not a list I know", "/issue list mine"),
    ]
    for text, message, example in cases:
        reply = await app.command("/issue", text)
        shown = reply_text(reply)
        assert reply["response_type"] == "ephemeral", text
        assert ":warning:" in shown and message in shown and example in shown, (text, shown)
    zh = reply_text(await app.command("/issue", "添加 严重程度:高"))
    assert "请写明是什么问题" in zh and "/issue 添加" in zh
    zh_bad = reply_text(await app.command("/issue", "添加 坏了 严重程度:很大"))
    assert "不是有效的严重程度" in zh_bad
    assert await store(app) == before


async def test_a_client_sees_only_client_issues_and_cannot_write(app: Liaison) -> None:
    await app.command("/issue", "add Shared problem severity:high [client]")
    await app.command("/issue", "add Internal worry MARGIN severity:critical")

    async def as_carol(text: str) -> str:
        return reply_text(await app.command("/issue", text, user=CAROL, channel=SHARED_CHANNEL))

    listed = await as_carol("list all")
    assert "Shared problem" in listed and "MARGIN" not in listed and "I-2" not in listed
    assert "There is no I-2" in await as_carol("show I-2")
    assert await as_carol("show I-2") == (await as_carol("show I-9")).replace("I-9", "I-2")
    shown = await as_carol("show I-1")
    assert (
        "Shared problem" in shown and "Visibility" not in shown and ALICE not in shown.split("Raised by")[0]
    )
    assert "project team" in await as_carol("add Let me in")
    assert "project team" in await as_carol("resolve I-1 done")
    # the team in the shared channel sees only what the client may see, too
    team_there = reply_text(await app.command("/issue", "list all", channel=SHARED_CHANNEL))
    assert "MARGIN" not in team_there
    assert [i.status for i in await issues(app)] == ["open", "open"]


async def test_response_targets_are_a_project_setting(app: Liaison) -> None:
    await app.command("/project", "settings response:critical=2h,high=3d")
    await app.command("/project", "settings response:low=10d")
    async with app.session() as s:
        project = (await s.exec(select(Project))).one()
    assert project.issue_targets == {"critical": "2h", "high": "3d", "low": "10d"}
    bad = reply_text(await app.command("/project", "settings response:critical=soon"))
    assert "`soon` is not a response target" in bad and "response:critical=4h" in bad
    bad_severity = reply_text(await app.command("/project", "settings response:huge=2h"))
    assert "`huge` is not a severity" in bad_severity
    await app.command("/project", "settings response:default")
    async with app.session() as s:
        project = (await s.exec(select(Project))).one()
    assert project.issue_targets == {}


async def test_add_without_text_opens_the_form_and_records_an_internal_issue(app: Liaison) -> None:
    from handlers import ids
    from tests.handlers.test_issue_panel import form
    from tests.handlers.test_minutes_commands import opened_view

    await app.send_command("/issue", "add")
    view = await opened_view(app)
    assert view["callback_id"] == ids.ISSUE_MODAL and "the client does not see it" in str(view["blocks"])
    await app.interaction(form(view, title="Vendor licence audit", severity="critical", user=ALICE))
    await app.wait_for("chat.postMessage", where=lambda c: "I-1" in str(c.args.get("text")))
    assert await app.svc.tasks.drain(10) == 0
    [issue] = await issues(app)
    assert (issue.title, issue.severity, issue.visibility, issue.raised_by) == (
        "Vendor licence audit",
        "critical",
        "internal",
        ALICE,
    )
    assert not [m for m in app.fake.messages(SHARED_CHANNEL) if "I-1" in m["text"]]
    [ack] = app.fake.ephemerals()
    assert "I-1 is recorded" in ack["text"] and ack["user"] == ALICE
