"""Titles verbatim end to end (issue 15): what a user typed is what is stored and shown (escaped for mrkdwn once).

Commands are sent as Slack sends them with `should_escape: true` (../shared/SLACK_FACTS.md, "Slash commands"):
the typed text with `&`, `<`, `>` escaped, mentions as `<@U…|name>`, links Slack made as `<https://…|label>`.
A sample of the hostile titles in tests/fixtures/hostile_titles.txt runs here; all of them with
LIAISON_ALL_HOSTILE=1 (`pytest -m slow tests/handlers/test_verbatim_commands.py`).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from storage.models import ActionItem, Decision, Milestone, Risk
from tests.handlers.test_minutes_commands import rows
from tests.harness.app import Liaison, reply_text

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile_titles.txt"
DANA = "U0DANA"


def typed(text: str) -> str:
    """What Slack sends for text a user typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shown(text: str) -> str:
    """How Liaison shows user text in mrkdwn: escaped once."""
    return typed(text)


def hostile_titles() -> list[str]:
    lines = HOSTILE.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("## ")]


@pytest.fixture
async def dana(app: Liaison) -> str:
    app.fake.add_user(DANA, name="dana", real_name="Dana Li", tz="Asia/Shanghai")
    return DANA


async def test_a_url_in_a_title_with_an_owner_and_a_due_date(app: Liaison, dana: str) -> None:
    reply = await app.command("/action", f"add Review https://acme.example/spec <@{dana}|dana> due:friday")
    [item] = await rows(app, ActionItem)
    assert (item.text, item.owner_user_id, item.due_on) == (
        "Review https://acme.example/spec",
        dana,
        date(2026, 11, 27),  # the clock is Tue 24 Nov 2026 in Shanghai
    )
    text = reply_text(reply)
    assert "Review https://acme.example/spec" in text and f"<@{dana}>" in text
    assert "https: //" not in text


async def test_the_same_in_chinese_with_slacks_own_link(app: Liaison, dana: str) -> None:
    reply = await app.command(
        "/action", f"添加 评审 <https://acme.example/spec> 比例 3:1 <@{dana}|dana> 截止：周五"
    )
    [item] = await rows(app, ActionItem)
    assert (item.text, item.owner_user_id, item.due_on) == (
        "评审 https://acme.example/spec 比例 3:1",
        dana,
        date(2026, 11, 27),
    )
    assert "评审 https://acme.example/spec 比例 3:1" in reply_text(reply)


@pytest.mark.parametrize(
    "title",
    [
        "ABC<div",
        "ratio 3:1",
        "note: see the spec",
        "http: is not a link",
        "a < b > c & d",
        "<!channel> typed by hand",
        "[WIP] 登录页 & “测试”",
    ],
)
async def test_titles_are_stored_as_typed_and_shown_escaped(app: Liaison, title: str) -> None:
    reply = await app.command("/action", f"add {typed(title)} due:friday [client]")
    [item] = await rows(app, ActionItem)
    assert (item.text, item.visibility) == (title, "client")
    text = reply_text(reply)
    assert shown(title) in text
    assert "<!channel>" not in text


async def test_slacks_labelled_link_is_kept_and_shown_as_a_link(app: Liaison) -> None:
    link = "<https://acme.example/spec?a=1&amp;b=2|the spec &amp; notes>"
    reply = await app.command("/action", f"add Read {link} by Friday")
    [item] = await rows(app, ActionItem)
    assert item.text == f"Read {link} by Friday"  # as Slack sent it
    assert link in reply_text(reply)  # a link, not `&lt;https://…`


@pytest.mark.parametrize(
    ("command", "text", "model", "field"),
    [
        ("/decision", "{t}", Decision, "text"),
        ("/risk", "add {t} p:2 i:3", Risk, "title"),
        ("/milestone", "add {t} due:2026-12-15", Milestone, "title"),
    ],
)
async def test_other_records_keep_titles_too(
    app: Liaison, command: str, text: str, model: type[object], field: str
) -> None:
    title = "Go live https://acme.example/spec ratio 3:1 note: ABC<div & co"
    await app.command(command, text.format(t=typed(title)))
    [record] = await rows(app, model)  # type: ignore[arg-type]
    assert getattr(record, field) == title


async def _round_trip(app: Liaison, titles: list[str]) -> list[tuple[str, str]]:
    changed: list[tuple[str, str]] = []
    for title in titles:
        await app.command("/action", f"add {typed(title)}")
    items = await rows(app, ActionItem)
    assert len(items) == len(titles)
    for title, item in zip(titles, items, strict=True):
        if item.text != title:
            changed.append((title, item.text))
    return changed


async def test_a_sample_of_hostile_titles_comes_back_exactly(app: Liaison) -> None:
    titles = hostile_titles()
    assert len(titles) >= 300
    sample = random.Random(15).sample(titles, 50)
    assert await _round_trip(app, sample) == []


@pytest.mark.slow  # deselected unless LIAISON_ALL_HOSTILE=1 or -m slow (tests/conftest.py)
async def test_every_hostile_title_comes_back_exactly(app: Liaison) -> None:
    titles = hostile_titles()
    changed = await _round_trip(app, titles)
    print(f"{len(titles) - len(changed)} of {len(titles)} hostile titles came back exactly")
    assert changed == []
