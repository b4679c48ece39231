"""The team's Assign menu on a client's issue is the team's first response, in the playground as in Slack.

The playground walk that reported "I-3 escalated although it was assigned" had chosen Bob in the *last* Assign
menu of the team channel: that was I-4's (the question Carol asked after raising I-3), so I-3 really had no
response. Here the menu is picked by its issue: the assigned critical issue is not escalated after its 4 h
target, while an unassigned one raised at the same time is.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from bot.commands import REGISTRY
from bot.playground.server import build_page_app
from bot.playground.world import ALICE, BOB, CAROL, INTERNAL_CHANNEL, SHARED_CHANNEL, Playground
from handlers import ids
from storage.models import Issue
from tests.harness.app import reply_text

pytestmark = pytest.mark.skipif("/issue" not in REGISTRY, reason="/issue is not registered")

TITLES = {
    "en": ("Export button greys out on the payroll screen", "Login page times out for every user"),
    "zh": ("工资界面上的导出按钮变灰", "所有用户的登录页面都超时"),
}
ESCALATED = {"en": "has had no response from the team within its target", "zh": "内尚无团队响应"}
ASSIGNED = {"en": "assigned *{ref}* to", "zh": "已将 {ref} 指派给"}


@pytest.fixture(params=["en", "zh"])
async def playground(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Playground]:
    world = Playground(lang=request.param, db_path=tmp_path / "playground.sqlite3")
    await world.start()
    try:
        yield world
    finally:
        await world.stop()


@pytest.fixture
async def page(playground: Playground) -> AsyncIterator[httpx.AsyncClient]:
    app = build_page_app(playground, manage_lifecycle=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://playground"
    ) as http:
        yield http


async def state(http: httpx.AsyncClient, user: str) -> dict[str, Any]:
    response = await http.get("/api/state", params={"user": user})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def messages(data: dict[str, Any], channel: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = next(c for c in data["channels"] if c["id"] == channel)["messages"]
    return found


def element(message: dict[str, Any], action_id: str) -> tuple[str, dict[str, Any]] | None:
    """(block_id, element) of the message's element with this action_id."""
    for block in message["blocks"]:
        elements = [block["accessory"]] if block.get("accessory") else block.get("elements", [])
        for e in elements:
            if e.get("action_id") == action_id:
                return block.get("block_id", ""), e
    return None


async def raise_critical(http: httpx.AsyncClient, title: str) -> None:
    """Carol's panel: Raise an issue, then the form with the title and severity critical."""
    panel = next(m for m in messages(await state(http, CAROL), SHARED_CHANNEL) if element(m, ids.PANEL_RAISE))
    found = element(panel, ids.PANEL_RAISE)
    assert found is not None
    block_id, button = found
    action = {
        "type": "button",
        "action_id": ids.PANEL_RAISE,
        "block_id": block_id,
        "value": button.get("value"),
    }
    clicked = await http.post("/api/click", json={"user": CAROL, "item": panel["id"], "action": action})
    assert clicked.json()["ok"], clicked.text
    view = (await state(http, CAROL))["modal"]["view"]
    severity = next(
        o
        for b in view["blocks"]
        if b.get("block_id") == ids.ISSUE_SEVERITY
        for o in b["element"]["options"]
        if o["value"] == "critical"
    )
    values = {
        ids.ISSUE_TITLE: {ids.ISSUE_TITLE: {"type": "plain_text_input", "value": title}},
        ids.ISSUE_DESCRIPTION: {ids.ISSUE_DESCRIPTION: {"type": "plain_text_input", "value": None}},
        ids.ISSUE_SEVERITY: {ids.ISSUE_SEVERITY: {"type": "static_select", "selected_option": severity}},
    }
    answer = (
        await http.post("/api/submit", json={"user": CAROL, "view_id": view["id"], "values": values})
    ).json()
    assert answer["ok"] and not answer.get("errors"), answer


def announcement(data: dict[str, Any], title: str) -> tuple[str, dict[str, Any]]:
    """The team channel's announcement of the issue with this title: its ref and the message."""
    found = [
        m for m in messages(data, INTERNAL_CHANNEL) if title in reply_text(m) and element(m, ids.ISSUE_ASSIGN)
    ]
    assert len(found) == 1, [reply_text(m) for m in messages(data, INTERNAL_CHANNEL)]
    ref = re.search(r"I-\d+", reply_text(found[0]))
    assert ref is not None
    return ref.group(0), found[0]


async def test_assigning_the_issue_in_time_stops_its_escalation(
    page: httpx.AsyncClient, playground: Playground
) -> None:
    lang = playground.lang
    assigned_title, left_title = TITLES[lang]
    await raise_critical(page, assigned_title)
    await raise_critical(page, left_title)  # its announcement comes last, as I-4's did in the walk
    alice = await state(page, ALICE)
    assigned_ref, message = announcement(alice, assigned_title)
    left_ref, _ = announcement(alice, left_title)
    found = element(message, ids.ISSUE_ASSIGN)
    assert found is not None and found[1]["type"] == "users_select"
    action = {
        "type": "users_select",
        "action_id": ids.ISSUE_ASSIGN,
        "block_id": found[0],
        "selected_user": BOB,
    }
    clicked = await page.post("/api/click", json={"user": ALICE, "item": message["id"], "action": action})
    assert clicked.json()["ok"], clicked.text
    team = "\n".join(reply_text(m) for m in messages(await state(page, ALICE), INTERNAL_CHANNEL))
    assert ASSIGNED[lang].format(ref=assigned_ref) in team

    for _ in range(5):  # past the 4 h target of a critical issue
        moved = (await page.post("/api/clock", json={"move": "hour"})).json()
        assert moved["ok"], moved

    lines = [reply_text(m) for m in messages(await state(page, ALICE), INTERNAL_CHANNEL)]
    escalations = [line for line in lines if ESCALATED[lang] in line]
    assert any(left_ref in line and left_title in line for line in escalations), lines
    assert not any(assigned_ref in line or assigned_title in line for line in escalations), escalations

    async with playground.svc.sessions() as session:
        rows = {i.title: i for i in (await session.exec(select(Issue))).all()}
    assert rows[assigned_title].owner_user_id == BOB and rows[assigned_title].first_response_at is not None
    assert rows[assigned_title].escalated_at is None
    assert rows[left_title].first_response_at is None and rows[left_title].escalated_at is not None
