"""/action add|list|done|reassign end to end, in English and Chinese; owners may be client people."""

from __future__ import annotations

from urllib.parse import urlencode

from handlers import ids
from storage.models import ActionItem
from tests.handlers.test_minutes_commands import audit, press, rows
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    reply_text,
)


async def test_add_with_a_client_owner_looks_up_their_organisation(app: Liaison) -> None:
    reply = await app.command(
        "/action", "add Send the cutover plan <@U0CAROL|carol> due:next friday [client]"
    )
    assert reply["response_type"] == "in_channel"
    text = reply_text(reply)
    assert "A-1" in text and "<@U0CAROL>" in text and "due Fri 4 Dec 2026" in text
    [item] = await rows(app, ActionItem)
    assert (item.text, item.owner_user_id, item.owner_team_id, item.visibility, item.minutes_id) == (
        "Send the cutover plan",
        CAROL,
        CLIENT_TEAM,
        "client",
        None,
    )
    assert [c.args["user"] for c in app.fake.calls_to("users.info")] == [CAROL]
    assert ("action.create", "A-1", ALICE, HOME_TEAM) in await audit(app)


async def test_add_in_chinese_with_a_named_owner(app: Liaison) -> None:
    reply = reply_text(await app.command("/action", "添加 准备测试数据 负责人:张三 截止:下周五"))
    assert "已添加行动项" in reply and "张三" in reply and "截止" in reply
    [item] = await rows(app, ActionItem)
    assert (item.text, item.owner_name, item.owner_user_id, item.visibility) == (
        "准备测试数据",
        "张三",
        None,
        "internal",
    )
    assert item.due_on is not None and item.due_on.isoformat() == "2026-12-04"


async def test_a_failed_owner_lookup_does_not_block(app: Liaison) -> None:
    app.fake.fail_next("users.info", "user_not_found")
    await app.command("/action", "add Review <@U0GHOST|ghost>")
    [item] = await rows(app, ActionItem)
    assert (item.owner_user_id, item.owner_team_id) == ("U0GHOST", None)


async def test_list_open_mine_overdue_all(app: Liaison, clock: Clock) -> None:
    await app.command("/action", "add Mine soon <@U0ALICE> due:2026-11-25")
    await app.command("/action", "add Bob later <@U0BOB> due:2026-12-20")
    await app.command("/action", "add Nobody's")
    await app.command("/action", "done A-3")
    open_ = reply_text(await app.command("/action", "list"))
    assert "Open action items (2)" in open_ and "A-3" not in open_
    assert reply_text(await app.command("/action", "")).startswith("Open action items (2)")
    mine = await app.command("/action", "list mine")
    assert "(1)" in reply_text(mine) and "Mine soon" in reply_text(mine)
    assert ids.ACTION_DONE in str(mine["blocks"])  # your own open items carry a Mark done button
    assert "(3)" in reply_text(await app.command("/action", "list all"))
    assert "No action items" in reply_text(await app.command("/action", "list overdue"))
    clock.advance(days=3)  # Friday 27 Nov, 08:00 in Shanghai: due on the 25th, two days ago
    overdue = reply_text(await app.command("/action", "列表 逾期"))
    assert "逾期的行动项（1）" in overdue and "Mine soon" in overdue and "_逾期 2 天_" in overdue
    assert "_overdue 2 days_" in reply_text(await app.command("/action", "list"))


async def test_an_item_due_today_at_five_is_overdue_from_five(app: Liaison, clock: Clock) -> None:
    await app.command("/action", "add Send the plan <@U0ALICE> due:today 5pm")  # Tue 24 Nov, Shanghai
    clock.advance(hours=8)  # 16:00
    assert "No action items" in reply_text(await app.command("/action", "list overdue"))
    assert "overdue" not in reply_text(await app.command("/action", "list"))
    clock.advance(hours=1, minutes=1)  # 17:01
    listed = reply_text(await app.command("/action", "list overdue"))
    assert "Overdue action items (1)" in listed and "_overdue since today_" in listed
    clock.advance(days=1)
    assert "_逾期 1 天_" in reply_text(await app.command("/action", "列表 逾期"))


async def test_done_in_both_languages_and_twice(app: Liaison) -> None:
    await app.command("/action", "add Send plan <@U0BOB>")
    assert "Marked *A-1* done" in reply_text(await app.command("/action", "done A-1"))
    assert "already done" in reply_text(await app.command("/action", "done a1"))
    [item] = await rows(app, ActionItem)
    assert (item.status, item.done_by) == ("done", ALICE)
    assert item.done_at is not None and item.done_at.tzinfo is not None
    await app.command("/action", "add 第二件事")
    assert "已将 *A-2* 标记为完成" in reply_text(await app.command("/action", "完成 A-2"))
    assert [a for a, *_ in await audit(app)].count("action.done") == 2


async def test_done_from_the_mine_list_button(app: Liaison) -> None:
    await app.command("/action", "add Mine <@U0ALICE>")
    listed = await app.command("/action", "list mine")
    answer = await press(app, listed, ids.ACTION_DONE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True)
    assert "Marked *A-1* done" in reply_text(answer)
    [item] = await rows(app, ActionItem)
    assert item.status == "done"


async def test_reassign_to_a_person_or_a_name(app: Liaison) -> None:
    await app.command("/action", "add Send plan <@U0ALICE>")
    reply = reply_text(await app.command("/action", "reassign A-1 <@U0CAROL|carol>"))
    assert "A-1" in reply and "<@U0CAROL>" in reply
    [item] = await rows(app, ActionItem)
    assert (item.owner_user_id, item.owner_team_id, item.owner_name) == (CAROL, CLIENT_TEAM, None)
    reply = reply_text(await app.command("/action", "转交 A-1 负责人:Zhang San"))
    assert "已交给 Zhang San" in reply
    [item] = await rows(app, ActionItem)
    assert (item.owner_user_id, item.owner_team_id, item.owner_name) == (None, None, "Zhang San")
    assert [a for a, *_ in await audit(app)].count("action.reassign") == 2


MISTAKES = [
    ("add Plan due:when pigs fly", "when pigs fly"),
    ("add " + "x" * 3001, "at most 3000"),
    ("add due:tomorrow", "no text"),
    ("add Plan <@U0ALICE> <@U0BOB>", "one owner"),
    ("add Plan owner:" + "n" * 201, "at most 200"),
    ("add Plan [client] [internal]", "not both"),
    ("list closed", "closed"),
    ("done", "is not a reference"),
    ("done A-9", "There is no A-9"),
    ("reassign A-9 <@U0BOB>", "There is no A-9"),
    ("reassign A-1", "Who should own it"),
    ("frobnicate A-1", "no subcommand"),
]


async def test_mistakes_answer_with_an_example_and_write_nothing(app: Liaison) -> None:
    for text, expected in MISTAKES:
        reply = await app.command("/action", text)
        shown = reply_text(reply)
        assert expected in shown and "Example" in shown, text
        assert reply["response_type"] == "ephemeral", text
        assert await rows(app, ActionItem) == [], text


async def test_a_retried_add_creates_one_item(app: Liaison) -> None:
    form = app.command_form("/action", "add Only once <@U0BOB>")
    body = urlencode(form).encode()
    await app.post(body, content_type="application/x-www-form-urlencoded")
    await app.post(body, content_type="application/x-www-form-urlencoded")
    key = form["response_url"].rsplit("/", 1)[-1]
    await app.wait_for("response_url", count=2, where=lambda c: c.args.get("_key") == key)
    [item] = await rows(app, ActionItem)
    assert item.owner_user_id == BOB


async def test_a_client_completes_only_her_own_visible_items(app: Liaison) -> None:
    await app.command("/action", "add Hers <@U0CAROL> [client]")
    await app.command("/action", "add Bobs <@U0BOB> [client]")
    await app.command("/action", "add Secret of hers <@U0CAROL>")

    async def carol(text: str) -> str:
        return reply_text(await app.command("/action", text, user=CAROL, channel=SHARED_CHANNEL))

    assert "project team" in await carol("add Sneaky [client]")
    assert "belongs to someone else" in await carol("done A-2")
    assert "There is no A-3" in await carol("done A-3")
    assert "project team" in await carol("reassign A-1 <@U0BOB>")
    assert "Marked *A-1* done" in await carol("done A-1")
    statuses = {i.number: (i.status, i.owner_user_id) for i in await rows(app, ActionItem)}
    assert statuses == {1: ("done", CAROL), 2: ("open", BOB), 3: ("open", CAROL)}
    assert ("action.done", "A-1", CAROL, CLIENT_TEAM) in await audit(app)
