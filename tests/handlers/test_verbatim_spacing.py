"""Titles keep the spacing typed (issue 15: verbatim): runs of spaces inside an action's, a decision's or a
risk's title are stored and shown as typed; only the ends are trimmed. English and Chinese, end to end."""

from __future__ import annotations

from storage.models import ActionItem, Decision, Risk
from tests.handlers.test_minutes_commands import rows
from tests.harness.app import Liaison, reply_text


async def test_an_action_title_with_runs_of_spaces_is_stored_and_listed_as_typed(app: Liaison) -> None:
    added = reply_text(await app.command("/action", "add   Review  the   spec <@U0ALICE|alice> due:friday  "))
    assert "Review  the   spec" in added
    await app.command("/action", "add 评审  需求　文档 截止:下周五")  # a full-width space too
    first, second = await rows(app, ActionItem)
    assert first.text == "Review  the   spec"
    assert second.text == "评审  需求　文档"
    listed = reply_text(await app.command("/action", "list all"))
    assert "Review  the   spec" in listed and "评审  需求　文档" in listed

    await app.command("/action", "edit A-1 Review  the   spec  again")
    first, _ = await rows(app, ActionItem)
    assert first.text == "Review  the   spec  again"


async def test_a_decision_keeps_its_spacing_and_a_flag_leaves_one_space(app: Liaison) -> None:
    added = reply_text(await app.command("/decision", "add Go  live   on 1 March [client]"))
    assert "Go  live   on 1 March" in added
    await app.command("/decision", "Keep  the VPN [internal] until   March")
    await app.command("/decision", "添加 上线  日期 定在三月 [客户]")
    first, second, third = await rows(app, Decision)
    assert (first.text, first.visibility) == ("Go  live   on 1 March", "client")
    assert (second.text, second.visibility) == ("Keep  the VPN until   March", "internal")
    assert (third.text, third.visibility) == ("上线  日期 定在三月", "client")
    listed = reply_text(await app.command("/decision", "list"))
    assert "Go  live   on 1 March" in listed and "上线  日期 定在三月" in listed

    await app.command("/decision", "edit D-1 Go  live on   8 March")
    first, _, _ = await rows(app, Decision)
    assert first.text == "Go  live on   8 March"


async def test_a_risk_title_keeps_its_spacing_in_the_store_and_its_detail(app: Liaison) -> None:
    await app.command("/risk", "add Data  migration   slips p:high i:4")
    [risk] = await rows(app, Risk)
    assert risk.title == "Data  migration   slips"
    shown = reply_text(await app.command("/risk", "show R-1"))
    assert "Data  migration   slips" in shown
