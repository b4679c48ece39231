"""Sign-offs after they are sent (issue #11): `/milestone show` and `list` say where acceptance stands, digests
and the App Home list what waits for the client's word and what the client decided, and a version left
waiting reminds its author once in the team channel. End to end, in English and Chinese, with time travel.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select

from handlers import ids
from handlers.jobs.signoff import signoff_nudges
from storage.models import Milestone, Project, SignOff
from tests.handlers.conftest import SHANGHAI, START
from tests.handlers.test_milestone_acceptance import CRITERIA, _remarks
from tests.handlers.test_minutes_commands import block_action, opened_view, press, submission
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


async def _send(
    app: Liaison, *, ref: str = "MS-1", title: str = "UAT sign-off", flag: str = "[client]"
) -> dict[str, Any]:
    """Add a milestone with criteria and send it for acceptance; the message in the client channel."""
    await app.command("/milestone", f'add "{title}" due:2026-12-15 {flag}')
    await app.command("/milestone", f"criteria {CRITERIA.replace('MS-1', ref)}")
    reply = await app.command("/milestone", f"accept {ref}")
    assert f"Sent {ref} version" in reply_text(reply), reply_text(reply)
    await _sent_now(app)
    return app.fake.messages(SHARED_CHANNEL)[-1]


async def _sent_now(app: Liaison) -> None:
    """A version is stamped with the app's clock (the travelling one here), not the database's wall clock."""
    async with app.svc.sessions.begin() as session:
        latest = (await session.exec(select(SignOff).order_by(SignOff.id.desc()))).first()  # type: ignore[union-attr]
        assert latest is not None
        assert latest.requested_at == app.svc.clock()


async def _reject(app: Liaison, message: dict[str, Any], reason: str) -> None:
    before = len(app.fake.calls_to("views.open"))
    await app.interaction(block_action(app, message, ids.SIGNOFF_REJECT)[0])
    view = await opened_view(app, count=before + 1)
    done = await app.interaction(submission(view, _remarks(view, reason), user=CAROL, team=CLIENT_TEAM))
    assert done.status_code == 200 and not done.content


# ---- /milestone show and list -----------------------------------------------------------------------------


async def test_show_lists_criteria_and_says_the_acceptance_is_waiting(app: Liaison) -> None:
    await app.command("/milestone", 'add "UAT sign-off" due:2026-12-15 [client]')
    before = reply_text(await app.command("/milestone", "show MS-1"))
    assert "No acceptance criteria yet" in before and "Not sent to the client for acceptance yet" in before
    assert "/milestone accept MS-1" in before
    await app.command("/milestone", f"criteria {CRITERIA}")
    await app.command("/milestone", "accept MS-1")
    await _sent_now(app)
    shown = reply_text(await app.command("/milestone", "show MS-1"))
    assert "Acceptance criteria" in shown and "1. All P1 defects closed" in shown
    assert "2. Payroll run reconciled &lt;for November&gt; &amp; signed" in shown  # escaped once
    assert "Waiting for the client's acceptance (version 1, sent Tue 24 Nov 2026)" in shown
    client = reply_text(await app.command("/milestone", "show MS-1", user=CAROL, channel=SHARED_CHANNEL))
    assert "Waiting for the client's acceptance (version 1" in client and "/milestone accept" not in client


async def test_show_and_list_after_the_client_accepts_then_the_text_changes(app: Liaison) -> None:
    message = await _send(app)
    await press(app, message, ids.SIGNOFF_APPROVE)
    shown = reply_text(await app.command("/milestone", "show MS-1"))
    assert "Accepted by the client on Tue 24 Nov 2026: <@U0CAROL> (version 1)" in shown
    assert (
        "Changed since" not in shown
    )  # the acceptance itself marked it delivered: no change to what was accepted
    listed = reply_text(await app.command("/milestone", "list"))
    assert "MS-1" in listed and "Done" in listed and "accepted by the client" in listed
    await app.command("/milestone", 'add "Go-live" due:2026-12-20 [client]')
    await app.command("/milestone", "done MS-2")
    listed = reply_text(await app.command("/milestone", "list"))
    ms2 = next(line for line in listed.splitlines() if line.startswith("MS-2"))
    assert "Done" in ms2 and "accepted" not in ms2  # delivered is not accepted
    await app.command("/milestone", "criteria MS-1\nAll P1 defects closed\nTraining done")
    changed = reply_text(await app.command("/milestone", "show MS-1"))
    assert "Changed since the client accepted it" in changed and "Accepted by the client" in changed


async def test_show_says_who_rejected_and_why(app: Liaison) -> None:
    message = await _send(app)
    await _reject(app, message, "Payroll totals differ by 3% <b>")
    shown = reply_text(await app.command("/milestone", "show MS-1"))
    rejected = "Rejected by <@U0CAROL> on Tue 24 Nov 2026 (version 1): Payroll totals differ by 3% &lt;b&gt;"
    assert rejected in shown
    listed = reply_text(await app.command("/milestone", "list"))
    assert "accepted by the client" not in listed


async def test_show_and_list_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    await app.command("/milestone", 'add "UAT 签字" due:2026-12-15 [客户]')
    await app.command("/milestone", "验收标准 MS-1\n所有一级缺陷已关闭")
    await app.command("/milestone", "验收 MS-1")
    await _sent_now(app)
    waiting = reply_text(await app.command("/milestone", "show MS-1"))
    assert (
        "验收标准" in waiting
        and "1. 所有一级缺陷已关闭" in waiting
        and "等待客户验收（第 1 版，2026年11月24日（周二） 发出）" in waiting
    )
    await press(app, app.fake.messages(SHARED_CHANNEL)[-1], ids.SIGNOFF_APPROVE)
    shown = reply_text(await app.command("/milestone", "show MS-1"))
    assert "客户已于 2026年11月24日（周二） 验收：<@U0CAROL>（第 1 版）" in shown
    assert "客户已验收" in reply_text(await app.command("/milestone", "list"))


# ---- digests and the App Home -------------------------------------------------------------------------------

FRIDAY_10AM = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)  # three working days after START


def _posts(app: Liaison, channel: str) -> list[dict[str, Any]]:
    return [c.args for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]


async def _internal_version(app: Liaison) -> None:
    """An internal milestone with a version waiting and one decided: as if it was made internal after sending."""
    async with app.svc.sessions.begin() as session:
        project = (await session.exec(select(Project))).one()
        assert project.id is not None
        secret = Milestone(
            project_id=project.id,
            number=9,
            visibility="internal",
            title="SECRET rehearsal",
            planned_on=START.date(),
            forecast_on=START.date(),
            created_by=ALICE,
        )
        session.add(secret)
        await session.flush()
        assert secret.id is not None
        for version, status in ((1, "rejected"), (2, "waiting")):
            session.add(
                SignOff(
                    project_id=project.id,
                    subject="milestone",
                    subject_id=secret.id,
                    version=version,
                    title="SECRET rehearsal",
                    content="SECRET content",
                    content_hash=f"h{version}",
                    requested_by=ALICE,
                    requested_at=START,
                    status=status,
                    remarks="SECRET reason" if status == "rejected" else "",
                    decided_by=CAROL if status == "rejected" else None,
                    decided_at=START + timedelta(hours=1) if status == "rejected" else None,
                )
            )


async def test_digests_list_what_waits_for_the_client_and_never_an_internal_records_version(
    app: Liaison, clock: Clock
) -> None:
    await _send(app)
    await _internal_version(app)
    clock.now = FRIDAY_10AM
    await app.command("/digest", "now client charts:off")
    [client] = _posts(app, SHARED_CHANNEL)[-1:]
    text = reply_text(client)
    assert "Waiting for your sign-off" in text
    line = next(x for x in text.splitlines() if x.startswith("• `MS-1`"))
    assert "UAT sign-off — version 1 · sent Tue 24 Nov · <http" in line and "|see the message>" in line
    assert "/archives/C0SHARED/p" in line
    assert "SECRET" not in text and "MS-9" not in text
    await app.command("/digest", "now internal charts:off")
    team = reply_text(_posts(app, INTERNAL_CHANNEL)[-1])
    assert "Waiting for ACME's sign-off" in team
    assert "`MS-1` UAT sign-off — version 1 · waiting on the client, 3 working days" in team
    assert "`MS-9` SECRET rehearsal — version 2" in team  # the team sees its own records
    # the preview shows what the digest will: the same link to the message with the buttons
    preview = reply_text(await app.command("/digest", "preview client charts:off"))
    line = next(x for x in preview.splitlines() if x.startswith("• `MS-1`"))
    assert "|see the message>" in line and "/archives/C0SHARED/p" in line


async def test_what_the_client_decided_is_in_the_next_digests_what_moved(app: Liaison, clock: Clock) -> None:
    first = await _send(app)
    second = await _send(app, ref="MS-2", title="Data migration")
    await _internal_version(app)
    await app.command("/digest", "now client charts:off")  # before anything was decided
    clock.advance(hours=2)
    await press(app, first, ids.SIGNOFF_APPROVE)
    await _reject(app, second, "Totals differ <by> 3%")
    clock.advance(days=1)
    await app.command("/digest", "now client charts:off")
    text = reply_text(_posts(app, SHARED_CHANNEL)[-1])
    moved = next(x for x in text.splitlines() if x.startswith("Since the last digest"))
    assert "ACME accepted `MS-1`" in moved and "ACME rejected `MS-2`: Totals differ &lt;by&gt; 3%" in moved
    assert "SECRET" not in text and "MS-9" not in text
    assert "Waiting for your sign-off" not in text
    assert ":handshake: accepted by the client" in text  # MS-1 reached, and accepted


async def test_app_home_waiting_on_the_client_for_the_team_and_your_sign_off_for_the_client(
    app: Liaison, clock: Clock
) -> None:
    from tests.handlers.test_app_home import open_home

    await _send(app)
    await _internal_version(app)
    await app.command("/action", "add Send test data <@U0CAROL|carol> due:2026-12-01 [client]")
    clock.now = FRIDAY_10AM
    team = reply_text(await open_home(app, ALICE))  # Alice reads Chinese (Slack locale zh-CN)
    assert "等待客户确认：`MS-1` UAT sign-off (3 个工作日)" in team
    assert "`MS-9` SECRET rehearsal" in team
    client = reply_text(await open_home(app, CAROL))
    assert "Waiting for your sign-off: `MS-1` UAT sign-off (version 1)" in client
    assert "SECRET" not in client and "MS-9" not in client


async def test_digest_in_chinese(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "settings lang:zh")
    await app.command("/milestone", 'add "UAT 签字" due:2026-12-15 [客户]')
    await app.command("/milestone", "验收 MS-1")
    await _sent_now(app)
    clock.now = FRIDAY_10AM
    await app.command("/digest", "now client charts:off")
    text = reply_text(_posts(app, SHARED_CHANNEL)[-1])
    assert "等待您签署确认" in text and "`MS-1` UAT 签字 — 第 1 版" in text and "查看消息" in text
    await app.command("/digest", "now internal charts:off")
    assert "等待客户 3 个工作日" in reply_text(_posts(app, INTERNAL_CHANNEL)[-1])


# ---- the nudge -----------------------------------------------------------------------------------------------


def _nudges(app: Liaison) -> list[str]:
    texts = [reply_text(p) for p in _posts(app, INTERNAL_CHANNEL)]
    return [x for x in texts if "has waited" in x or "可以提醒一下对方" in x]


async def test_a_waiting_version_reminds_its_author_once_after_three_working_days(
    app: Liaison, clock: Clock
) -> None:
    await app.command("/milestone", 'add "UAT sign-off" due:2026-12-15 [client]', user=BOB)
    await app.command("/milestone", f"criteria {CRITERIA}", user=BOB)
    await app.command("/milestone", "accept MS-1", user=BOB)
    await _sent_now(app)
    clock.now = datetime(2026, 11, 27, 7, 59, tzinfo=SHANGHAI)  # Friday, a minute short of three working days
    await app.svc.runner.run_all()
    assert _nudges(app) == []
    clock.now = datetime(2026, 11, 27, 8, 1, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    await app.svc.runner.run_all()
    [nudge] = _nudges(app)
    assert nudge.startswith("<@U0BOB> MS-1 version 1 has waited 3 working days for ACME's word")
    assert "/archives/C0SHARED/p" in nudge and "|See the message>" in nudge
    [row] = await _versions(app)
    assert row.nudged_at == clock.now and row.status == "waiting"
    clock.advance(days=5)
    await app.svc.runner.run_all()
    assert len(_nudges(app)) == 1


async def test_the_weekend_and_the_projects_setting_count(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "settings signoff_nudge:5")
    await _send(app)
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)  # Monday: four working days, the weekend not
    await app.svc.runner.run_all()
    assert _nudges(app) == []
    clock.now = datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)  # Tuesday 08:00: five
    await app.svc.runner.run_all()
    assert len(_nudges(app)) == 1 and "has waited 5 working days" in _nudges(app)[0]


async def test_no_nudge_for_decided_or_superseded_versions(app: Liaison, clock: Clock) -> None:
    accepted = await _send(app)
    await press(app, accepted, ids.SIGNOFF_APPROVE)
    rejected = await _send(app, ref="MS-2", title="Data migration")
    await _reject(app, rejected, "Not yet")
    await _send(app, ref="MS-3", title="Training")
    clock.advance(days=2)
    await app.command("/milestone", "criteria MS-3\nTraining done for all sites")
    await app.command("/milestone", "accept MS-3")  # version 2 supersedes version 1, two days later
    await _sent_now(app)
    clock.now = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert _nudges(app) == []
    statuses = {(r.subject_id, r.version): (r.status, r.nudged_at) for r in await _versions(app)}
    assert [s for s, nudged in statuses.values() if nudged is not None] == []
    clock.now = datetime(2026, 12, 1, 8, 30, tzinfo=SHANGHAI)  # version 2 of MS-3 has waited three days
    await app.svc.runner.run_all()
    [nudge] = _nudges(app)
    assert "MS-3 version 2" in nudge


async def test_two_replicas_post_one_nudge(app: Liaison, clock: Clock) -> None:
    await _send(app)
    clock.now = FRIDAY_10AM
    client = app.runtime.app.client
    await asyncio.gather(*(signoff_nudges(app.svc, client, clock.now) for _ in range(4)))
    assert len(_nudges(app)) == 1


async def test_the_nudge_in_chinese(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "settings lang:zh")
    await app.command("/milestone", 'add "UAT 签字" due:2026-12-15 [客户]')
    await app.command("/milestone", "验收 MS-1")
    await _sent_now(app)
    clock.now = FRIDAY_10AM
    await app.svc.runner.run_all()
    [nudge] = _nudges(app)
    assert nudge.startswith("<@U0ALICE> MS-1 第 1 版已等待 ACME 确认 3 个工作日") and "查看消息" in nudge


async def _versions(app: Liaison) -> list[SignOff]:
    async with app.session() as session:
        return list((await session.exec(select(SignOff).order_by(SignOff.id))).all())  # type: ignore[arg-type]
