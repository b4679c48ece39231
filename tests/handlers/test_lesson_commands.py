"""/lesson add|list|edit|delete (L-n, with Undo), in exports and search, and the closing DM form: end to end
through the signed endpoint and the fake Slack, in English and Chinese."""

from __future__ import annotations

import csv
import io
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from handlers import ids
from handlers.jobs.lessons import send_lesson_forms
from storage.models import Lesson, Project
from tests.handlers.test_minutes_commands import (
    audit,
    block_action,
    find_button,
    opened_view,
    press,
    rows,
    submission,
)
from tests.harness.app import (
    ALICE,
    BOB,
    BOT_TOKEN,
    CAROL,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    reply_text,
)


async def test_add_list_edit_and_delete_in_english(app: Liaison) -> None:
    reply = await app.command(
        "/lesson", "add Daily stand-ups with the client caught issues early [went-well]"
    )
    shown = reply_text(reply)
    assert "Lesson recorded" in shown and "L-1" in shown and "Went well" in shown
    await app.command("/lesson", "Agree test data before UAT [to-improve] [client]")  # no `add`: the default
    await app.command("/lesson", "add Keep one tracker", user=BOB)
    first, second, third = await rows(app, Lesson)
    assert (first.kind, first.visibility, first.source, first.created_by) == (
        "went-well",
        "internal",
        "command",
        ALICE,
    )
    assert (second.text, second.kind, second.visibility) == (
        "Agree test data before UAT",
        "to-improve",
        "client",
    )
    assert (third.kind, third.created_by) == ("general", BOB)

    listed = reply_text(await app.command("/lesson", "list"))
    assert "Lessons learned (3)" in listed
    # Went well first, then to improve, then the rest; each attributed for the team.
    assert (
        listed.index("Daily stand-ups") < listed.index("Agree test data") < listed.index("Keep one tracker")
    )
    assert "Went well" in listed and "To improve" in listed and f"<@{BOB}>" in listed
    assert reply_text(await app.command("/lesson", "")).startswith("Lessons learned (3)")  # no text: the list

    edited = reply_text(await app.command("/lesson", "edit L-3 Keep one tracker for both teams [to-improve]"))
    assert "Lesson updated" in edited and "both teams" in edited
    assert "already reads so" in reply_text(await app.command("/lesson", "edit L-3 [to-improve]"))
    deleted = await app.command("/lesson", "delete L-1")
    assert "Deleted" in reply_text(deleted) and "10 minutes" in reply_text(deleted)
    assert "Lessons learned (2)" in reply_text(await app.command("/lesson", "list"))
    actions = [(a, r) for a, r, _u, _t in await audit(app) if r and r.startswith("L-")]
    assert actions == [
        ("lesson.create", "L-1"),
        ("lesson.create", "L-2"),
        ("lesson.create", "L-3"),
        ("lesson.edit", "L-3"),
        ("lesson.delete", "L-1"),
    ]


async def test_lessons_in_chinese(app: Liaison) -> None:
    reply = reply_text(await app.command("/lesson", "添加 与客户的每日站会让问题及早暴露 [做得好] [客户]"))
    assert "已记录经验教训" in reply and "L-1" in reply and "做得好" in reply
    await app.command("/lesson", "添加 UAT 前应与客户约定测试数据 [教训]")
    first, second = await rows(app, Lesson)
    assert (first.text, first.kind, first.visibility) == (
        "与客户的每日站会让问题及早暴露",
        "went-well",
        "client",
    )
    assert second.kind == "to-improve"
    listed = reply_text(await app.command("/lesson", "列表"))
    assert "经验教训（2 条）" in listed and "待改进" in listed
    edited = reply_text(await app.command("/lesson", "编辑 L-2 UAT 前约定测试数据 [待改进]"))
    assert "已更新经验教训" in edited
    deleted = await app.command("/lesson", "删除 L-2")
    assert (
        "已删除" in reply_text(deleted)
        and find_button(deleted, ids.LESSON_UNDO_DELETE)[1]["text"]["text"] == "撤销"
    )
    mistake = reply_text(await app.command("/lesson", "添加 [做得好]"))
    assert "请写出经验教训的内容" in mistake and "/lesson 添加" in mistake


MISTAKES = [
    ("add [went-well]", "Say what the lesson is"),
    ("add Both [went-well] [to-improve]", "not both"),
    ("add Both [client] [internal]", "not both"),
    ("add " + "x" * 3001, "at most 3000"),
    ("edit", "Say which lesson"),
    ("edit L-9 New text", "There is no L-9"),
    ("edit L-1", "Say what L-1 should read"),
    ("delete L-1 please", "only the lesson's id"),
]


async def test_mistakes_answer_with_an_example_and_write_nothing(app: Liaison) -> None:
    await app.command("/lesson", "add Kept")
    before = len(await audit(app))
    for text, expected in MISTAKES:
        reply = await app.command("/lesson", text)
        shown = reply_text(reply)
        assert expected in shown and "Example" in shown, (text, shown)
        assert reply["response_type"] == "ephemeral", text
    [kept] = await rows(app, Lesson)
    assert (kept.text, kept.deleted_at) == ("Kept", None)
    assert len(await audit(app)) == before


async def test_the_client_sees_only_client_lessons_and_adds_none(app: Liaison) -> None:
    await app.command("/lesson", "add Shared lesson [client] [went-well]")
    await app.command("/lesson", "add Vendor was slow to answer [to-improve]")
    listed = reply_text(await app.command("/lesson", "list", user=CAROL, channel=SHARED_CHANNEL))
    assert "Lessons learned (1)" in listed and "Vendor" not in listed and "Shared lesson" in listed
    assert f"<@{ALICE}>" not in listed  # who gave it is the team's business
    refused = reply_text(
        await app.command("/lesson", "add Sneaky [client]", user=CAROL, channel=SHARED_CHANNEL)
    )
    assert "project team" in refused
    assert "project team" in reply_text(
        await app.command("/lesson", "delete L-2", user=CAROL, channel=SHARED_CHANNEL)
    )
    assert len(await rows(app, Lesson)) == 2


async def test_delete_and_undo(app: Liaison, clock: Clock) -> None:
    await app.command("/lesson", "add Write the cutover runbook early [to-improve]")
    deleted = await app.command("/lesson", "delete L-1")
    [lesson] = await rows(app, Lesson)
    assert lesson.deleted_at is not None
    restored = await press(
        app, deleted, ids.LESSON_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "Restored" in reply_text(restored) and "L-1" in reply_text(restored)
    [lesson] = await rows(app, Lesson)
    assert lesson.deleted_at is None
    assert "lesson.restore" in [a for a, *_ in await audit(app)]
    # Too late after the undo window.
    deleted = await app.command("/lesson", "delete L-1")
    clock.advance(minutes=11)
    late = await press(
        app, deleted, ids.LESSON_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "too late" in reply_text(late).lower() or "10 minutes" in reply_text(late)
    [lesson] = await rows(app, Lesson)
    assert lesson.deleted_at is not None


async def test_lessons_are_searched_and_exported(app: Liaison) -> None:
    await app.command("/lesson", "add Daily stand-ups caught login issues early [went-well] [client]")
    await app.command("/lesson", "add 登录问题应更早升级 [待改进]")
    found = reply_text(await app.command("/liaison", "search login"))
    assert "L-1" in found and "lesson · went well" in found, found
    found_zh = reply_text(await app.command("/liaison", "搜索 登录"))
    assert "L-2" in found_zh, found_zh
    # The client finds only the client lesson.
    client = reply_text(await app.command("/liaison", "search login", user=CAROL, channel=SHARED_CHANNEL))
    assert "L-1" in client
    assert "L-2" not in reply_text(
        await app.command("/liaison", "搜索 登录", user=CAROL, channel=SHARED_CHANNEL)
    )
    reply = reply_text(await app.command("/liaison", "export csv lessons"))
    assert "lessons 2" in reply, reply
    [upload] = list(app.fake.uploaded_files.values())
    assert upload["filename"].endswith("-lessons.csv")
    table = list(csv.DictReader(io.StringIO(upload["content"].decode("utf-8-sig"))))
    assert [(r["id"], r["kind"], r["status"], r["source"], r["created_by"]) for r in table] == [
        ("L-1", "went-well", "went-well", "command", ALICE),
        ("L-2", "to-improve", "to-improve", "command", ALICE),
    ]
    assert table[1]["text"] == "登录问题应更早升级"


# ---- the closing form ----------------------------------------------------------------------------------


async def _project(app: Liaison) -> Project:
    [project] = await rows(app, Project)
    assert isinstance(project, Project)
    return project


def _dm_of(app: Liaison, user: str) -> tuple[str, dict[str, Any]]:
    """The DM channel opened with `user` and the form message posted there."""
    channels = [
        c.response["channel"]["id"]
        for c in app.fake.calls_to("conversations.open")
        if c.args["users"] == user
    ]
    for channel in channels:
        for message in app.fake.messages(channel):
            if ids.LESSON_FORM_OPEN in str(message.get("blocks")):
                return channel, message
    raise AssertionError(f"no lessons form sent to {user}")


def _answers(went_well: str, to_improve: str) -> dict[str, Any]:
    return {
        ids.LESSON_WENT_WELL: {ids.LESSON_WENT_WELL: {"type": "plain_text_input", "value": went_well}},
        ids.LESSON_TO_IMPROVE: {ids.LESSON_TO_IMPROVE: {"type": "plain_text_input", "value": to_improve}},
    }


async def test_closing_dms_each_team_member_a_form_in_their_language(app: Liaison) -> None:
    # Alice set the project up; Bob records something; Carol (the client) owns an action item: not asked.
    await app.command("/decision", "Go live in March", user=BOB)
    await app.command("/action", f"add Send sign-off <@{CAROL}> due:friday [client]")
    client = AsyncWebClient(token=BOT_TOKEN, base_url=app.fake.base_url)
    sent = await send_lesson_forms(app.svc, client, await _project(app))
    assert sent == 2
    asked = {c.args["users"] for c in app.fake.calls_to("conversations.open")}
    assert asked == {ALICE, BOB}
    _, alice_dm = _dm_of(app, ALICE)  # zh-CN in Slack
    _, bob_dm = _dm_of(app, BOB)  # en-US
    assert (
        "正在结项" in reply_text(alice_dm)
        and find_button(alice_dm, ids.LESSON_FORM_OPEN)[1]["text"]["text"] == "填写经验教训"
    )
    assert "is being closed" in reply_text(bob_dm) and "ACME ERP" in reply_text(bob_dm)


async def test_answers_become_internal_lessons_by_whoever_answered(app: Liaison) -> None:
    await app.command("/decision", "Go live in March", user=BOB)
    client = AsyncWebClient(token=BOT_TOKEN, base_url=app.fake.base_url)
    await send_lesson_forms(app.svc, client, await _project(app))
    dm, message = _dm_of(app, BOB)
    payload, _ = block_action(app, message, ids.LESSON_FORM_OPEN, user=BOB, channel=dm)
    assert (await app.interaction(payload)).status_code == 200
    view = await opened_view(app)
    assert view["callback_id"] == ids.LESSON_MODAL
    assert reply_text(view).count("What") >= 2  # What went well, What to improve
    # Nothing in either box: the form stays open with the reason, nothing written.
    response = await app.interaction(submission(view, _answers("", "  "), user=BOB))
    assert response.json()["response_action"] == "errors"
    assert "at least one" in response.json()["errors"][ids.LESSON_WENT_WELL]
    assert await rows(app, Lesson) == []
    # Each line one lesson.
    response = await app.interaction(
        submission(view, _answers("Weekly demos\nA shared <risk> log", "Start UAT data earlier"), user=BOB)
    )
    assert response.status_code == 200 and not response.content
    lessons = await rows(app, Lesson)
    assert [(x.text, x.kind, x.visibility, x.source, x.created_by) for x in lessons] == [
        ("Weekly demos", "went-well", "internal", "form", BOB),
        ("A shared <risk> log", "went-well", "internal", "form", BOB),
        ("Start UAT data earlier", "to-improve", "internal", "form", BOB),
    ]
    # Answering again (a new form) adds more.
    await app.interaction(payload | {"trigger_id": "again.click"})
    second = await opened_view(app, count=2)
    await app.interaction(submission(second, _answers("", "Book the UAT room early"), user=BOB))
    assert len(await rows(app, Lesson)) == 4
    listed = reply_text(await app.command("/lesson", "list"))
    assert "A shared &lt;risk&gt; log" in listed and f"<@{BOB}>" in listed


async def test_the_form_in_chinese_and_refused_to_the_client(app: Liaison) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=app.fake.base_url)
    await send_lesson_forms(app.svc, client, await _project(app))
    dm, message = _dm_of(app, ALICE)
    payload, _ = block_action(app, message, ids.LESSON_FORM_OPEN, user=ALICE, channel=dm)
    await app.interaction(payload)
    view = await opened_view(app)
    assert view["title"]["text"] == "经验教训" and "做得好的" in reply_text(view)
    await app.interaction(submission(view, _answers("每周演示", ""), user=ALICE))
    [lesson] = await rows(app, Lesson)
    assert (lesson.text, lesson.kind, lesson.created_by) == ("每周演示", "went-well", ALICE)
    # A client user pressing a forwarded button is refused, and nothing opens.
    crafted, key = block_action(app, message, ids.LESSON_FORM_OPEN, user=CAROL, channel=dm)
    await app.interaction(crafted)
    answers = await app.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    assert "for the project's team" in reply_text(answers[-1].args)
    assert len(app.fake.calls_to("views.open")) == 1
