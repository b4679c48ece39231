"""An archived project: every write command, writing button and form is refused in the user's language and
writes nothing; reads, search and export still work; its schedules stop, and `/project reopen` resumes exactly
the ones archiving paused. Archiving itself is bot/domain/closing.archive (the close-out report calls it)."""

from __future__ import annotations

from datetime import datetime

from bot.commands import REGISTRY
from bot.domain import closing
from bot.domain.records import Actor
from bot.policy import Place, Viewer
from handlers import ids
from storage.models import AuditLog, Decision, Lesson, Occurrence, Project, Schedule
from tests.handlers.conftest import SHANGHAI
from tests.handlers.test_minutes_commands import audit, press, rows
from tests.harness.app import (
    ALICE,
    CAROL,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    reply_text,
)

ARCHIVED = (
    "This project is archived (since 2026-11-24): records are read-only. Reopen it with /project reopen."
)


async def _archive(app: Liaison, clock: Clock) -> Project:
    [project] = await rows(app, Project)
    actor = Actor(
        viewer=Viewer(ALICE, HOME_TEAM, HOME_TEAM),
        place=Place(INTERNAL_CHANNEL, shared=False),
        project_id=project.id,
        workspace_id=project.workspace_id,
    )
    async with app.svc.sessions.begin() as session:
        return await closing.archive(session, actor, now=clock())


def _writes() -> list[tuple[str, str]]:
    return [
        (command, sub.name)
        for command, spec in REGISTRY.items()
        for sub in spec.subcommands
        if not closing.allowed_when_archived(command, sub.name)
    ]


async def test_every_write_command_is_refused_and_writes_nothing(app: Liaison, clock: Clock) -> None:
    await app.command("/decision", "Go live in March")
    await app.command("/sync", 'every tuesday 10am "Weekly sync"')
    await _archive(app, clock)
    writes = _writes()
    # Every command of the registry has something to refuse, and the list of reads is short and known.
    assert {c for c, _ in writes} == set(REGISTRY) - {"/liaison"}
    assert ("/lesson", "add") in writes and ("/digest", "now") in writes and ("/pulse", "every") in writes
    before_audit, before_schedules = len(await audit(app)), await rows(app, Schedule)
    for command, name in writes:
        reply = await app.command(command, name)
        assert reply_text(reply).startswith(f":warning: {ARCHIVED}") or ARCHIVED in reply_text(reply), (
            command,
            name,
            reply_text(reply),
        )
        assert reply["response_type"] == "ephemeral"
    # The default subcommand too (`/decision <text>`, `/lesson <text>`).
    for command, text in (
        ("/decision", "Another one [client]"),
        ("/lesson", "A lesson"),
        ("/minutes", "Retro"),
    ):
        assert ARCHIVED in reply_text(await app.command(command, text)), command
    assert len(await audit(app)) == before_audit
    assert await rows(app, Lesson) == []
    assert [d.text for d in await rows(app, Decision)] == ["Go live in March"]
    assert [(s.status, s.title) for s in await rows(app, Schedule)] == [
        (s.status, s.title) for s in before_schedules
    ]


async def test_refusals_in_chinese_and_for_the_client(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "settings lang:zh")
    await _archive(app, clock)
    zh = reply_text(await app.command("/risk", '添加 "供应商延期" 概率:高 影响:4'))
    assert "本项目已归档（自 2026-11-24 起）：记录只读。可用 /project 重新打开 恢复。" in zh
    client = reply_text(await app.command("/action", "done A-1", user=CAROL, channel=SHARED_CHANNEL))
    assert "已归档" in client and "重新打开" not in client  # a client is not told to reopen it


async def test_reads_search_and_export_still_work(app: Liaison, clock: Clock) -> None:
    await app.command("/decision", "Use SSO for login [client]")
    await app.command("/lesson", "add Login tests early [went-well]")
    await _archive(app, clock)
    assert "Use SSO" in reply_text(await app.command("/decision", "list"))
    assert "Login tests early" in reply_text(await app.command("/lesson", "list"))
    assert "Use SSO" in reply_text(await app.command("/decision", "", user=CAROL, channel=SHARED_CHANNEL))
    assert "D-1" in reply_text(await app.command("/liaison", "search login"))
    assert "ACME ERP" in reply_text(await app.command("/project", "info"))
    assert "Uploaded" in reply_text(await app.command("/liaison", "export csv decisions lessons"))
    assert ARCHIVED not in reply_text(await app.command("/liaison", "help"))


async def test_a_writing_button_is_refused(app: Liaison, clock: Clock) -> None:
    await app.command("/decision", "Go live in March")
    deleted = await app.command("/decision", "delete D-1")
    await _archive(app, clock)
    answer = await press(
        app, deleted, ids.DECISION_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert ARCHIVED in reply_text(answer)
    [decision] = await rows(app, Decision)
    assert decision.deleted_at is not None


async def _posts(app: Liaison) -> list[dict[str, object]]:
    return [
        c.args for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == INTERNAL_CHANNEL
    ]


async def test_schedules_stop_while_archived_and_reopen_resumes_only_those(
    app: Liaison, clock: Clock
) -> None:
    await app.command("/sync", 'every tuesday 10am "Weekly sync"')  # S-1: active
    await app.command("/sync", 'every wednesday 10am "Paused by hand"')  # S-2: paused before archiving
    await app.command("/sync", "pause S-2")
    project = await _archive(app, clock)
    assert closing.is_archived(project)
    first, second = await rows(app, Schedule)
    assert (first.status, first.paused_reason) == ("paused", "archived")
    assert (second.status, second.paused_reason) == ("paused", None)
    [entry] = [a for a in await rows(app, AuditLog) if a.action == "project.archive"]
    assert entry.changes["paused"] == ["S-1"]

    # Tuesday 10:00 comes and goes: nothing is posted, nothing is claimed.
    clock.now = datetime(2026, 11, 24, 10, 0, 30, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert await _posts(app) == [] and await rows(app, Occurrence) == []
    # Even a schedule made active behind the bot's back does not post for an archived project (the engine's guard).
    async with app.svc.sessions.begin() as session:
        row = await session.get(Schedule, first.id)
        row.status = "active"
        session.add(row)
    assert await app.svc.runner.run(first.id) is None
    async with app.svc.sessions.begin() as session:
        row = await session.get(Schedule, first.id)
        row.status = "paused"
        session.add(row)

    # Only the team reopens it.
    refused = reply_text(await app.command("/project", "reopen", user=CAROL, channel=SHARED_CHANNEL))
    assert "project team" in refused or "can't" in refused
    reply = reply_text(await app.command("/project", "reopen"))
    assert "ACME ERP is open again" in reply and "1 schedule(s)" in reply
    first, second = await rows(app, Schedule)
    assert (first.status, first.paused_reason) == ("active", None)
    assert (second.status, second.paused_reason) == ("paused", None)  # a person paused it: stays paused
    assert "project.reopen" in [a for a, *_ in await audit(app)]
    # What fell due while archived is not posted late; the next one is.
    await app.svc.runner.run_all()
    assert await _posts(app) == []
    clock.now = datetime(2026, 12, 1, 10, 0, 30, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert len(await _posts(app)) == 1
    # Writable again.
    assert "L-1" in reply_text(await app.command("/lesson", "add Reopened fine"))
    assert "not archived" in reply_text(await app.command("/project", "reopen"))


async def test_reopen_in_chinese_and_english(app: Liaison, clock: Clock) -> None:
    await _archive(app, clock)
    assert "ACME ERP 已重新打开：记录可以修改，0 个日程恢复运行。" in reply_text(
        await app.command("/project", "重新打开")
    )
    await _archive(app, clock)
    assert "ACME ERP is open again" in reply_text(await app.command("/project", "reopen"))


async def test_an_archived_project_reminds_nobody_of_its_action_items(app: Liaison, clock: Clock) -> None:
    from tests.handlers.test_action_reminders import at, local

    await app.command("/action", "add Check the data <@U0BOB|bob> due:2026-11-25")
    await app.command("/action", "add Sign the plan <@U0CAROL|carol> due:2026-11-25 [client]")
    await _archive(app, clock)
    assert await at(app, clock, local(24, 9)) == []  # the working day before
    assert await at(app, clock, local(25, 9)) == []  # the due day
    await app.command("/project", "reopen")
    assert len(await at(app, clock, local(25, 9, 1))) == 2  # once open again, the due day's reminders go out


async def test_a_form_opened_before_archiving_is_refused_when_submitted(app: Liaison, clock: Clock) -> None:
    from storage.models import Risk
    from tests.handlers.test_risk_commands import submission as risk_submission

    await app.send_command("/risk", "add")
    [call] = await app.wait_for("views.open")
    view = call.response["view"]
    await _archive(app, clock)
    answer = await app.interaction(risk_submission(view, title="Vendor", p="4", i="3", strategy="mitigate"))
    body = answer.json()
    assert body["response_action"] == "errors"
    assert any("archived (since 2026-11-24)" in text for text in body["errors"].values())
    assert await rows(app, Risk) == []
