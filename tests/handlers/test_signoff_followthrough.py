"""Sign-offs after they are sent (issue #11): `/milestone show` and `list` say where acceptance stands, digests
and the App Home list what waits for the client's word and what the client decided, and a version left
waiting reminds its author once in the team channel. End to end, in English and Chinese, with time travel.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from handlers import ids
from storage.models import SignOff
from tests.handlers.test_milestone_acceptance import CRITERIA, _remarks
from tests.handlers.test_minutes_commands import block_action, opened_view, press, submission
from tests.harness.app import (
    CAROL,
    CLIENT_TEAM,
    SHARED_CHANNEL,
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
    """`requested_at` is stamped by the database's wall clock, not the app's: put it on the travelling clock."""
    async with app.svc.sessions.begin() as session:
        latest = (await session.exec(select(SignOff).order_by(SignOff.id.desc()))).first()  # type: ignore[union-attr]
        assert latest is not None
        latest.requested_at = app.svc.clock()
        session.add(latest)


async def _reject(app: Liaison, message: dict[str, Any], reason: str) -> None:
    await app.interaction(block_action(app, message, ids.SIGNOFF_REJECT)[0])
    view = await opened_view(app, count=len(app.fake.calls_to("views.open")))
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
    assert "Waiting for the client's acceptance (version 1, sent 2026-11-24)" in shown
    client = reply_text(await app.command("/milestone", "show MS-1", user=CAROL, channel=SHARED_CHANNEL))
    assert "Waiting for the client's acceptance (version 1" in client and "/milestone accept" not in client


async def test_show_and_list_after_the_client_accepts_then_the_text_changes(app: Liaison) -> None:
    message = await _send(app)
    await press(app, message, ids.SIGNOFF_APPROVE)
    shown = reply_text(await app.command("/milestone", "show MS-1"))
    assert "Accepted by the client on 2026-11-24: <@U0CAROL> (version 1)" in shown
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
    assert "Rejected by <@U0CAROL> on 2026-11-24 (version 1): Payroll totals differ by 3% &lt;b&gt;" in shown
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
        and "等待客户验收（第 1 版，2026-11-24 发出）" in waiting
    )
    await press(app, app.fake.messages(SHARED_CHANNEL)[-1], ids.SIGNOFF_APPROVE)
    shown = reply_text(await app.command("/milestone", "show MS-1"))
    assert "客户已于 2026-11-24 验收：<@U0CAROL>（第 1 版）" in shown
    assert "客户已验收" in reply_text(await app.command("/milestone", "list"))
