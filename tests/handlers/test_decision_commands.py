"""/decision <text> [client], /decision add …, /decision list [M-n], end to end in English and Chinese."""

from __future__ import annotations

from urllib.parse import urlencode

from storage.models import Decision
from tests.handlers.test_minutes_commands import QUICK, audit, rows
from tests.harness.app import ALICE, CAROL, SHARED_CHANNEL, Liaison, reply_text


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
    ("Hmm [secret]", "[secret]"),
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
