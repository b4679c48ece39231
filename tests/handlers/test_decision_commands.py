"""/decision <text> [client], add …, list [M-n], edit D-n …, delete D-n (with Undo), end to end in English
and Chinese."""

from __future__ import annotations

from urllib.parse import urlencode

from handlers import ids
from storage.models import Decision, Minutes
from tests.handlers.test_minutes_commands import QUICK, audit, find_button, press, rows
from tests.harness.app import ALICE, CAROL, INTERNAL_CHANNEL, SHARED_CHANNEL, Clock, Liaison, reply_text


async def test_decision_text_alone_or_with_add(app: Liaison) -> None:
    reply = await app.command("/decision", "Use SSO for all client users [client]")
    assert reply["response_type"] == "in_channel"
    assert "D-1" in reply_text(reply) and "Use SSO" in reply_text(reply)
    await app.command("/decision", "add Keep the old VPN until March")
    first, second = await rows(app, Decision)
    assert (first.text, first.visibility, first.minutes_id) == (
        "Use SSO for all client users",
        "client",
        None,
    )
    assert (second.text, second.visibility) == ("Keep the old VPN until March", "internal")
    assert first.decided_on.isoformat() == "2026-11-24"  # today in the project's zone
    assert [a for a, r, u, _ in await audit(app) if u == ALICE and r and r.startswith("D-")] == [
        "decision.create",
        "decision.create",
    ]


async def test_decisions_in_chinese(app: Liaison) -> None:
    reply = reply_text(await app.command("/decision", "添加 所有客户用户使用单点登录 🔐 [客户]"))
    assert "已记录决定" in reply and "D-1" in reply
    [decision] = await rows(app, Decision)
    assert (decision.text, decision.visibility) == ("所有客户用户使用单点登录 🔐", "client")
    listed = reply_text(await app.command("/decision", "列表"))
    assert "决定（1）" in listed and "单点登录" in listed


async def test_list_all_or_those_of_one_set_of_minutes(app: Liaison) -> None:
    await app.command("/minutes", QUICK)
    await app.command("/decision", "Standalone")
    listed = reply_text(await app.command("/decision", "list"))
    assert "Decisions (3)" in listed and "from M-1" in listed and "`internal`" in listed
    of_minutes = reply_text(await app.command("/decision", "list M-1"))
    assert "Decisions in M-1 (2)" in of_minutes and "Standalone" not in of_minutes
    assert reply_text(await app.command("/decision", "")).startswith("Decisions (3)")  # no text: the list


async def test_the_client_sees_only_client_decisions_without_internal_sources(app: Liaison) -> None:
    await app.command("/minutes", "Internal retro\ndecision: Client may know this [client]\ndecision: secret")
    await app.command("/decision", "Public one [client]")
    listed = reply_text(await app.command("/decision", "list", user=CAROL, channel=SHARED_CHANNEL))
    assert "Decisions (2)" in listed and "secret" not in listed
    assert "M-1" not in listed  # its minutes are internal: not even their reference shows
    assert "project team" in reply_text(
        await app.command("/decision", "Sneaky [client]", user=CAROL, channel=SHARED_CHANNEL)
    )
    assert len(await rows(app, Decision)) == 3


MISTAKES = [
    ("[client]", "no text"),
    ("x" * 3001, "at most 3000"),
    ("Both [client] [internal]", "not both"),
    (
        "list [client]",
        "[client]",
    ),  # a flag where the subcommand takes none ([secret] is just part of a title)
    ("list M-9", "There is no M-9"),
    ("list A-1", "is not a reference like"),
]


async def test_mistakes_answer_with_an_example_and_write_nothing(app: Liaison) -> None:
    for text, expected in MISTAKES:
        reply = await app.command("/decision", text)
        shown = reply_text(reply)
        assert expected in shown and "Example" in shown, text
        assert reply["response_type"] == "ephemeral", text
        assert await rows(app, Decision) == [], text


async def test_a_retried_decision_is_recorded_once(app: Liaison) -> None:
    form = app.command_form("/decision", "Only once")
    body = urlencode(form).encode()
    await app.post(body, content_type="application/x-www-form-urlencoded")
    await app.post(body, content_type="application/x-www-form-urlencoded")
    key = form["response_url"].rsplit("/", 1)[-1]
    answers = await app.wait_for("response_url", count=2, where=lambda c: c.args.get("_key") == key)
    assert any("already handled" in reply_text(a.args) for a in answers)
    assert len(await rows(app, Decision)) == 1


# ---- edit, delete and undo (issue 11) -------------------------------------------------------------------


async def test_edit_changes_text_and_visibility_and_records_nothing_new(app: Liaison) -> None:
    await app.command("/decision", "Go live on 1 March")
    reply = await app.command("/decision", "edit D-1 Go live on 8 March [client]")
    shown = reply_text(reply)
    assert "Updated decision" in shown and "D-1" in shown and "Go live on 8 March" in shown
    assert reply["response_type"] == "ephemeral"  # an edit is not announced to the channel
    [decision] = await rows(app, Decision)
    assert (decision.number, decision.text, decision.visibility) == (1, "Go live on 8 March", "client")
    [edit] = [(a, r, u) for a, r, u, _ in await audit(app) if a == "decision.edit"]
    assert edit == ("decision.edit", "D-1", ALICE)
    # Only the flag: the text stays.
    await app.command("/decision", "edit D-1 [internal]")
    [decision] = await rows(app, Decision)
    assert (decision.text, decision.visibility) == ("Go live on 8 March", "internal")
    # The same text again changes nothing and logs nothing.
    again = reply_text(await app.command("/decision", "edit D-1 Go live on 8 March"))
    assert "already says exactly that" in again
    assert [a for a, *_ in await audit(app)].count("decision.edit") == 2


async def test_edit_and_delete_in_chinese(app: Liaison) -> None:
    await app.command("/decision", "添加 3月1日上线")
    edited = reply_text(await app.command("/decision", "编辑 D-1 3月8日上线 [客户]"))
    assert "已修改决定" in edited and "3月8日上线" in edited
    [decision] = await rows(app, Decision)
    assert (decision.text, decision.visibility) == ("3月8日上线", "client")
    deleted = await app.command("/decision", "删除 D-1")
    assert "已删除" in reply_text(deleted) and "10 分钟内可以撤销" in reply_text(deleted)
    assert find_button(deleted, ids.DECISION_UNDO_DELETE)[1]["text"]["text"] == "撤销"
    [decision] = await rows(app, Decision)
    assert decision.deleted_at is not None


async def test_delete_hides_the_decision_and_undo_brings_it_back(app: Liaison) -> None:
    await app.command("/decision", "Keep the old VPN until March")
    await app.command("/decision", "Use SSO [client]")
    reply = await app.command("/decision", "delete D-1")
    assert "Deleted *D-1*" in reply_text(reply) and "10 minutes" in reply_text(reply)
    assert reply["response_type"] == "ephemeral"
    listed = reply_text(await app.command("/decision", "list"))
    assert "Decisions (1)" in listed and "VPN" not in listed
    assert "There is no D-1" in reply_text(await app.command("/decision", "edit D-1 Back"))
    first, _ = await rows(app, Decision)
    assert first.deleted_at is not None and first.text == "Keep the old VPN until March"
    answer = await press(
        app, reply, ids.DECISION_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "Restored *D-1*" in reply_text(answer) and answer["replace_original"] is True
    assert "VPN" in reply_text(answer)
    assert "Decisions (2)" in reply_text(await app.command("/decision", "list"))
    first, _ = await rows(app, Decision)
    assert first.deleted_at is None
    assert [a for a, r, *_ in await audit(app) if r == "D-1"] == [
        "decision.create",
        "decision.delete",
        "decision.restore",
    ]
    # Pressing Undo again: it is not deleted any more, and nothing is written.
    logged = len(await audit(app))
    again = await press(
        app, reply, ids.DECISION_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "D-1 is not deleted" in reply_text(again)
    assert len(await audit(app)) == logged


async def test_undo_after_ten_minutes_is_too_late(app: Liaison, clock: Clock) -> None:
    await app.command("/decision", "Short lived")
    reply = await app.command("/decision", "delete D-1")
    clock.advance(minutes=11)
    answer = await press(
        app, reply, ids.DECISION_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "too late" in reply_text(answer) and "10 minutes" in reply_text(answer)
    [decision] = await rows(app, Decision)
    assert decision.deleted_at is not None


async def test_a_decision_of_minutes_stays_part_of_them(app: Liaison) -> None:
    await app.command("/minutes", QUICK)  # D-1 client, D-2 internal, in client minutes M-1
    await app.command("/minutes", "send M-1")
    message = app.fake.messages(SHARED_CHANNEL)[-1]
    await press(app, message, ids.MINUTES_CONFIRM)
    [minutes] = await rows(app, Minutes)
    assert minutes.confirmed_hash is not None and minutes.changed_since_confirmed is False
    # Changing an internal decision changes nothing the client confirmed.
    await app.command("/decision", "edit D-2 Our margin is very thin")
    [minutes] = await rows(app, Minutes)
    assert minutes.changed_since_confirmed is False
    # Changing the client decision does: the minutes show it, and say they changed since confirmed.
    await app.command("/decision", "edit D-1 Go live on 8 March")
    shown = reply_text(await app.command("/minutes", "show M-1"))
    assert "Go live on 8 March" in shown and "changed since confirmed" in shown
    [minutes] = await rows(app, Minutes)
    assert minutes.changed_since_confirmed is True
    first, _ = await rows(app, Decision)
    assert first.minutes_id == minutes.id  # still the minutes' decision
    # Deleting it takes it out of the minutes; undo puts it back (the text is still the edited one).
    reply = await app.command("/decision", "delete D-1")
    assert "Go live" not in reply_text(await app.command("/minutes", "show M-1"))
    assert ("decision.delete", "D-1") in [(a, r) for a, r, *_ in await audit(app)]
    await press(app, reply, ids.DECISION_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True)
    assert "Go live on 8 March" in reply_text(await app.command("/minutes", "show M-1"))
    # Editing it back to what the client confirmed clears the mark.
    await app.command("/decision", "edit D-1 Go live on 1 March")
    [minutes] = await rows(app, Minutes)
    assert minutes.changed_since_confirmed is False


async def test_only_the_team_edits_or_deletes_and_never_where_the_client_reads(app: Liaison) -> None:
    await app.command("/decision", "Public one [client]")
    await app.command("/decision", "Secret one")
    for user in (CAROL, ALICE):
        for text in ("edit D-1 Changed", "delete D-1", "edit D-2 Changed", "delete D-2"):
            reply = await app.command("/decision", text, user=user, channel=SHARED_CHANNEL)
            assert "project team" in reply_text(reply), (user, text)
            assert reply["response_type"] == "ephemeral"
    public, secret = await rows(app, Decision)
    assert (public.text, public.deleted_at, secret.text, secret.deleted_at) == (
        "Public one",
        None,
        "Secret one",
        None,
    )
    assert [a for a, *_ in await audit(app)].count("decision.edit") == 0


EDIT_MISTAKES = [
    ("edit", "Say which decision", "/decision edit D-2"),
    ("edit D-1", "Give D-1 its new text", "/decision edit D-2"),
    ("edit [client]", "Say which decision", "/decision edit D-2"),
    ("edit D-9 New text", "There is no D-9", "/decision edit D-2"),
    ("edit M-1 New text", "is not a reference like", "/decision edit D-2"),
    ("edit D-1 Both [client] [internal]", "not both", "/decision edit D-2"),
    ("edit D-1 " + "x" * 3001, "at most 3000", "/decision edit D-2"),
    ("delete D-1 [client]", "[client]", "/decision delete D-2"),
    ("delete", "Say which decision", "/decision delete D-2"),
    ("delete D-1 now please", "takes only the decision's reference", "/decision delete D-2"),
    ("delete D-9", "There is no D-9", "/decision delete D-2"),
    ("delete A-1", "is not a reference like", "/decision delete D-2"),
    # Not decisions: subcommand words of other commands, and near-misses of this one's.
    ("show D-1", "no subcommand `show`", "/decision add"),
    ("close D-1", "no subcommand `close`", "/decision add"),
    ("done D-1", "no subcommand `done`", "/decision add"),
    ("update D-1 Go live", "no subcommand `update`", "/decision add"),
    ("remove D-1", "Did you mean `delete`?", "/decision delete D-2"),
    ("delet D-1", "Did you mean `delete`?", "/decision delete D-2"),
    ("edti D-1 Go live", "Did you mean `edit`?", "/decision edit D-2"),
]


async def test_edit_and_delete_mistakes_answer_privately_with_a_working_example(app: Liaison) -> None:
    await app.command("/decision", "Go live on 1 March")
    before = await audit(app)
    for text, expected, example in EDIT_MISTAKES:
        reply = await app.command("/decision", text)
        shown = reply_text(reply)
        assert expected in shown and f"Example: `{example}" in shown, (text, shown)
        assert reply["response_type"] == "ephemeral", text
        [decision] = await rows(app, Decision)
        assert (decision.text, decision.visibility, decision.deleted_at) == (
            "Go live on 1 March",
            "internal",
            None,
        ), text
        assert await audit(app) == before, text


async def test_a_subcommand_word_in_chinese_is_refused_in_chinese(app: Liaison) -> None:
    reply = reply_text(await app.command("/decision", "查看 D-1"))
    assert "`/decision` 没有子命令 `查看`" in reply and "示例：`/decision add" in reply
    assert "/decision add 查看 …" in reply  # how to record a decision that starts with that word
    reply = reply_text(await app.command("/decision", "delet D-1 删除"))
    assert "你是想用 `delete` 吗" in reply and "示例：`/decision delete D-2`" in reply
    assert await rows(app, Decision) == []


async def test_the_words_can_still_start_a_decision_with_add(app: Liaison) -> None:
    reply = await app.command("/decision", "add Close the Beijing office [client]")
    assert reply["response_type"] == "in_channel"
    await app.command("/decision", "Lists of vendors are frozen")
    first, second = await rows(app, Decision)
    assert (first.text, first.visibility) == ("Close the Beijing office", "client")
    assert second.text == "Lists of vendors are frozen"
