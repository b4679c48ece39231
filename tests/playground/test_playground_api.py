"""The playground's JSON API without a browser: the seeded project, commands as the team and as the client,
a modal submitted, App Home, and the clock fast-forwarded until scheduled posts go out.

The playground always runs on its own SQLite file, so these tests run the same in both CI legs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.commands import REGISTRY
from bot.playground.server import build_page_app
from bot.playground.world import ALICE, BOB, CAROL, INTERNAL_CHANNEL, SHARED_CHANNEL, Playground
from tests.harness.app import reply_text

INTERNAL_RISK = "Vendor short of staff"  # seeded without [client]
CLIENT_RISK = "Test data late"  # seeded with [client]


@pytest.fixture
async def page(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    playground = Playground(lang="en", db_path=tmp_path / "playground.sqlite3")
    await playground.start()
    app = build_page_app(playground, manage_lifecycle=False)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://playground"
        ) as http:
            yield http
    finally:
        await playground.stop()


async def state(http: httpx.AsyncClient, user: str) -> dict[str, Any]:
    response = await http.get("/api/state", params={"user": user})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def channel_text(data: dict[str, Any], channel: str) -> str:
    found = [c for c in data["channels"] if c["id"] == channel]
    assert found, f"{channel} is not visible"
    return "\n".join(reply_text(m) for m in found[0]["messages"])


async def test_page_and_seeded_project(page: httpx.AsyncClient) -> None:
    index = await page.get("/")
    assert index.status_code == 200 and "local simulation" in index.text
    assert (await page.get("/static/app.js")).status_code == 200
    alice = await state(page, ALICE)
    text = channel_text(alice, INTERNAL_CHANNEL)
    assert "ACME ERP rollout" in text and INTERNAL_RISK in text and "Weekly sync with ACME" in text
    assert "Recorded M-1" in text
    assert alice["clock"]["next"] is not None
    assert {c["id"] for c in alice["channels"]} == {INTERNAL_CHANNEL, SHARED_CHANNEL}
    carol = await state(page, CAROL)
    assert [c["id"] for c in carol["channels"]] == [SHARED_CHANNEL]  # the client is not in the team's channel


async def test_team_command_and_client_view(page: httpx.AsyncClient) -> None:
    answer = await page.post(
        "/api/command",
        json={
            "user": ALICE,
            "channel": INTERNAL_CHANNEL,
            "text": "/risk add Payroll interface untested p:high i:4",
        },
    )
    assert answer.status_code == 200 and answer.json()["ok"], answer.text
    alice = await state(page, ALICE)
    last = alice["channels"][0]["messages"][-1]
    assert last["ephemeral"] and "Payroll interface untested" in reply_text(last)

    # As in Slack Connect, the client can't run Liaison's slash commands: the API refuses and nothing is posted.
    carol = await state(page, CAROL)
    assert carol["viewer"]["client"] and carol["viewer"]["commands"] is False
    assert alice["viewer"]["commands"] is True
    before = channel_text(carol, SHARED_CHANNEL)
    alice_before = channel_text(await state(page, ALICE), SHARED_CHANNEL)
    refused = await page.post(
        "/api/command", json={"user": CAROL, "channel": SHARED_CHANNEL, "text": "/risk list"}
    )
    assert refused.status_code == 400 and refused.json()["ok"] is False
    assert "clients use Liaison's buttons" in refused.json()["error"]
    assert channel_text(await state(page, CAROL), SHARED_CHANNEL) == before
    assert channel_text(await state(page, ALICE), SHARED_CHANNEL) == alice_before

    # The client uses the panel's buttons instead: What's waiting for me, only to her.
    panel = next(m for m in carol["channels"][0]["messages"] if "panel_waiting" in str(m["blocks"]))
    waiting = next(a for a in buttons(panel) if a["action_id"] == "panel_waiting")
    clicked = await page.post("/api/click", json={"user": CAROL, "item": panel["id"], "action": waiting})
    assert clicked.status_code == 200 and clicked.json()["ok"], clicked.text
    reply = (await state(page, CAROL))["channels"][0]["messages"][-1]
    assert reply["ephemeral"] and "MS-1" in reply_text(reply)
    seen = channel_text(await state(page, CAROL), SHARED_CHANNEL)
    assert INTERNAL_RISK not in seen and "Payroll interface untested" not in seen
    # ...and Alice does not see Carol's private answer.
    assert reply_text(reply) not in channel_text(await state(page, ALICE), SHARED_CHANNEL)

    refused = await page.post(
        "/api/command", json={"user": CAROL, "channel": INTERNAL_CHANNEL, "text": "/risk list"}
    )
    assert refused.status_code == 400


async def test_a_typed_title_is_kept_as_typed(page: httpx.AsyncClient) -> None:
    """The page sends a command as Slack does (`<`, `>`, `&` escaped, then mentions): a `<word>` is text."""
    answer = await page.post(
        "/api/command",
        json={
            "user": ALICE,
            "channel": INTERNAL_CHANNEL,
            "text": "/risk add Data <slips> & stalls p:high i:4 owner:@bob",
        },
    )
    assert answer.status_code == 200 and answer.json()["ok"], answer.text
    last = (await state(page, ALICE))["channels"][0]["messages"][-1]
    assert "Data &lt;slips&gt; &amp; stalls" in reply_text(
        last
    )  # shown as typed: escaped once, as Slack shows it
    assert f"<@{BOB}>" in reply_text(last)


async def test_modal_opened_by_a_command_is_submitted(page: httpx.AsyncClient) -> None:
    await page.post("/api/command", json={"user": ALICE, "channel": INTERNAL_CHANNEL, "text": "/risk add"})
    modal = (await state(page, ALICE))["modal"]
    assert modal is not None and modal["view"]["type"] == "modal"
    view = modal["view"]
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        value: dict[str, Any] = {"type": element["type"]}
        if element["type"] == "plain_text_input":
            value["value"] = "Licence server end of life" if not element.get("multiline") else None
        elif element["type"] == "static_select":
            value["selected_option"] = element.get("initial_option") or element["options"][-1]
        elif element["type"] == "checkboxes":
            value["selected_options"] = []
        block_values = {element["action_id"]: value}
        values[block["block_id"]] = block_values
    empty = {
        k: {a: {**v, "value": None} if "value" in v else v for a, v in b.items()} for k, b in values.items()
    }
    bad = (
        await page.post("/api/submit", json={"user": ALICE, "view_id": view["id"], "values": empty})
    ).json()
    assert bad["response_action"] == "errors" and bad["errors"]
    assert (await state(page, ALICE))["modal"]["errors"]  # the form stays open with its errors
    good = (
        await page.post("/api/submit", json={"user": ALICE, "view_id": view["id"], "values": values})
    ).json()
    assert good["ok"] and good["response_action"] is None
    alice = await state(page, ALICE)
    assert alice["modal"] is None
    assert "Licence server end of life" in channel_text(alice, INTERNAL_CHANNEL)


async def test_button_and_app_home(page: httpx.AsyncClient) -> None:
    await page.post("/api/command", json={"user": ALICE, "channel": INTERNAL_CHANNEL, "text": "/risk list"})
    listing = (await state(page, ALICE))["channels"][0]["messages"][-1]
    button = next(
        e
        for b in listing["blocks"]
        for e in ([b.get("accessory")] if b.get("accessory") else b.get("elements", []))
        if e and e.get("type") == "button"
    )
    block_id = next(b.get("block_id", "") for b in listing["blocks"] if b.get("accessory") is button)
    action = {
        "type": "button",
        "action_id": button["action_id"],
        "block_id": block_id,
        "value": button.get("value"),
    }
    clicked = await page.post("/api/click", json={"user": ALICE, "item": listing["id"], "action": action})
    assert clicked.status_code == 200 and clicked.json()["ok"]
    assert "R-1" in channel_text(await state(page, ALICE), INTERNAL_CHANNEL)

    assert (await page.post("/api/home", json={"user": CAROL})).status_code == 200
    home = (await state(page, CAROL))["home"]
    assert home is not None and "ACME ERP rollout" in reply_text(home)
    assert INTERNAL_RISK not in reply_text(home)


async def test_fast_forward_fires_scheduled_posts(page: httpx.AsyncClient) -> None:
    want = "update for ACME" if "/digest" in REGISTRY else "Weekly sync with ACME"
    before = channel_text(await state(page, CAROL), SHARED_CHANNEL)
    assert want not in before
    events = []
    for _ in range(12):
        moved = (await page.post("/api/clock", json={"move": "next"})).json()
        assert moved["ok"], moved
        events.append(moved["event"])
        if want in channel_text(await state(page, CAROL), SHARED_CHANNEL):
            break
    else:
        pytest.fail(f"no scheduled post with {want!r} after {events}")
    carol = await state(page, CAROL)
    assert INTERNAL_RISK not in channel_text(carol, SHARED_CHANNEL)
    # The check-in prompts went to the team's DMs on the way.
    alice = await state(page, ALICE)
    assert any("Check-in" in reply_text(m) for m in alice["dm"]["messages"]), events
    hour = (await page.post("/api/clock", json={"move": "hour"})).json()
    assert hour["ok"] and hour["now"] > moved["now"]


async def test_reset_seeds_again(page: httpx.AsyncClient) -> None:
    await page.post(
        "/api/command", json={"user": ALICE, "channel": INTERNAL_CHANNEL, "text": "/risk add Gone soon"}
    )
    assert (await page.post("/api/reset", json={})).status_code == 200
    text = channel_text(await state(page, ALICE), INTERNAL_CHANNEL)
    assert "Gone soon" not in text and INTERNAL_RISK in text


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The block_actions `action` for each button of a message, in order."""
    found = []
    for block in message["blocks"]:
        elements = [block["accessory"]] if block.get("accessory") else block.get("elements", [])
        for element in elements:
            if element.get("type") == "button":
                found.append(
                    {
                        "type": "button",
                        "action_id": element["action_id"],
                        "block_id": block.get("block_id", ""),
                        "value": element.get("value"),
                    }
                )
    return found


def checkin_prompt(data: dict[str, Any]) -> dict[str, Any]:
    """The latest check-in prompt in the viewer's DM (action item reminders may arrive there at the same time)."""
    prompts: list[dict[str, Any]] = [
        m for m in data["dm"]["messages"] if any(a["action_id"] == "checkin_open" for a in buttons(m))
    ]
    assert prompts, [reply_text(m) for m in data["dm"]["messages"]]
    return prompts[-1]


def first_button(message: dict[str, Any]) -> dict[str, Any]:
    """The block_actions `action` for the first button of a message."""
    found = buttons(message)
    assert found, f"no button in {reply_text(message)}"
    return found[0]


async def test_checkin_in_a_dm_is_answered_then_summarised(page: httpx.AsyncClient) -> None:
    moved = (await page.post("/api/clock", json={"move": "next"})).json()
    assert moved["event"].startswith("Check-in S-"), moved
    prompt = checkin_prompt(await state(page, ALICE))
    assert "What moved this week?" in reply_text(prompt)
    await page.post("/api/click", json={"user": ALICE, "item": prompt["id"], "action": first_button(prompt)})
    view = (await state(page, ALICE))["modal"]["view"]
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] == "input":
            element = block["element"]
            value: dict[str, Any] = {"type": element["type"]}
            if element["type"] == "static_select":
                value["selected_option"] = element["options"][0]
            else:
                value["value"] = "60" if block["block_id"] == "progress" else "Data mapping"
            values[block["block_id"]] = {element["action_id"]: value}
    answer = (
        await page.post("/api/submit", json={"user": ALICE, "view_id": view["id"], "values": values})
    ).json()
    assert answer["ok"] and answer["errors"] is None
    for _ in range(3):  # the nudge (to Bob, who has not answered), then the summary
        moved = (await page.post("/api/clock", json={"move": "next"})).json()
        if "summary" in str(moved["event"]):
            break
    summary = channel_text(await state(page, ALICE), INTERNAL_CHANNEL)
    assert "60%" in summary and "Data mapping" in summary


@pytest.fixture(params=["en", "zh"])
async def page_in(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The playground in each language."""
    playground = Playground(lang=request.param, db_path=tmp_path / "playground.sqlite3")
    await playground.start()
    app = build_page_app(playground, manage_lifecycle=False)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://playground"
        ) as http:
            yield http
    finally:
        await playground.stop()


async def open_checkin(page: httpx.AsyncClient) -> dict[str, Any]:
    prompt = checkin_prompt(await state(page, ALICE))
    await page.post("/api/click", json={"user": ALICE, "item": prompt["id"], "action": first_button(prompt)})
    modal = (await state(page, ALICE))["modal"]
    assert modal is not None
    view: dict[str, Any] = modal["view"]
    return view


async def test_closing_a_form_tells_the_app_and_a_reload_never_brings_it_back(
    page_in: httpx.AsyncClient,
) -> None:
    page = page_in
    await page.post("/api/clock", json={"move": "next"})  # Friday's check-in prompt, in Alice's DM
    view = await open_checkin(page)
    assert view["notify_on_close"] is True
    # Cancel: the app hears view_closed (a 404 from the app would be an error here) and the form is gone.
    closed = await page.post("/api/close", json={"user": ALICE, "view_id": view["id"]})
    assert closed.status_code == 200 and closed.json() == {"ok": True, "notified": [view["id"]]}
    assert (await state(page, ALICE))["modal"] is None
    # A reload of the page closes whatever was left open, for everyone, and it stays closed.
    again = await open_checkin(page)
    await page.post("/api/command", json={"user": BOB, "channel": INTERNAL_CHANNEL, "text": "/risk add"})
    assert (await state(page, BOB))["modal"] is not None
    reload = await page.post("/api/close", json={"everyone": True})
    assert reload.json() == {"ok": True, "notified": [again["id"]]}  # the risk form did not ask to be told
    for _ in range(2):
        assert (await state(page, ALICE))["modal"] is None and (await state(page, BOB))["modal"] is None
    # × closes the whole stack; a form that did not ask for view_closed closes without telling the app.
    await page.post("/api/command", json={"user": ALICE, "channel": INTERNAL_CHANNEL, "text": "/risk add"})
    risk_form = (await state(page, ALICE))["modal"]
    assert risk_form is not None and not risk_form["view"].get("notify_on_close")
    cleared = await page.post("/api/close", json={"user": ALICE, "clear": True})
    assert cleared.json() == {"ok": True, "notified": []}
    assert (await state(page, ALICE))["modal"] is None


async def test_client_commands_are_refused_in_the_playgrounds_language(page_in: httpx.AsyncClient) -> None:
    page = page_in
    lang = (await state(page, ALICE))["lang"]
    refused = await page.post(
        "/api/command", json={"user": CAROL, "channel": SHARED_CHANNEL, "text": "/liaison help"}
    )
    assert refused.status_code == 400
    expected = "clients use Liaison's buttons" if lang == "en" else "客户使用 Liaison 的按钮"
    assert expected in refused.json()["error"]
    team = await page.post(
        "/api/command", json={"user": BOB, "channel": SHARED_CHANNEL, "text": "/liaison help"}
    )
    assert team.status_code == 200 and team.json()["ok"]


async def test_seed_shows_the_client_side_flows(page: httpx.AsyncClient) -> None:
    """The demo opens on this session's client-side flows: the panel, an issue Carol raised from it (told to
    the team with its Assign menu), her [client] action item with its buttons, a pulse; the internal issue,
    the stakeholders and the lesson stay with the team."""
    if "/issue" not in REGISTRY:
        pytest.skip("/issue is not registered")
    carol = await state(page, CAROL)
    shared = carol["channels"][0]["messages"]
    actions = {
        e.get("action_id")
        for m in shared
        for b in m["blocks"]
        if b["type"] == "actions"
        for e in b.get("elements", [])
    }
    assert {"panel_raise", "panel_ask", "panel_waiting"} <= actions  # the panel
    assert {"action_owner_done", "action_more_time"} <= actions  # her action item's buttons
    assert {f"pulse_score_{n}" for n in range(1, 6)} <= actions  # the pulse
    text = channel_text(carol, SHARED_CHANNEL)
    assert "raised *I-2*" in text and "The payslip PDF shows last month's tax rate" in text
    assert "Confirm the payroll cut-off date" in text
    assert "Payroll interface untested" not in text  # the internal issue I-1
    assert "Dan Zhou" not in text and "Daily stand-ups" not in text  # stakeholders and lessons are the team's

    alice = await state(page, ALICE)
    team = next(c for c in alice["channels"] if c["id"] == INTERNAL_CHANNEL)["messages"]
    announced = [m for m in team if "The payslip PDF shows last month's tax rate" in reply_text(m)]
    assert len(announced) == 1 and not announced[0]["ephemeral"]
    assert any(b.get("accessory", {}).get("type") == "users_select" for b in announced[0]["blocks"])
    text = channel_text(alice, INTERNAL_CHANNEL)
    assert "Added I-1" in text and "Dan Zhou" in text and "L-1" in text


async def test_an_exported_file_downloads_and_a_chart_shows_inline(page: httpx.AsyncClient) -> None:
    answer = await page.post(
        "/api/command",
        json={"user": ALICE, "channel": INTERNAL_CHANNEL, "text": "/liaison export csv risks"},
    )
    assert answer.status_code == 200 and answer.json()["ok"], answer.text
    alice = await state(page, ALICE)
    files = [f for c in alice["channels"] for m in c["messages"] for f in m["files"]]
    csv = [f for f in files if f["name"].endswith(".csv")]
    assert csv and csv[0]["image"] is False
    response = await page.get(csv[0]["url"])
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert INTERNAL_RISK in response.text


async def test_next_event_stops_at_the_teams_review_preview(page: httpx.AsyncClient) -> None:
    """With review on, fast-forwarding to the client digest passes through its preview in the team channel
    first: jumping straight to the post would send it with no preview ever shown."""
    await page.post(
        "/api/command",
        json={
            "user": ALICE,
            "channel": INTERNAL_CHANNEL,
            "text": "/project settings review:on review_lead:2h",
        },
    )
    events = []
    for _ in range(12):
        moved = (await page.post("/api/clock", json={"move": "next"})).json()
        assert moved["ok"], moved
        events.append(moved["event"])
        if "update for ACME" in channel_text(await state(page, CAROL), SHARED_CHANNEL):
            break
    else:
        pytest.fail(f"the client digest never went out: {events}")
    assert "Review preview S-3" in events, events
    # The preview, once the digest went out with nobody's answer, says so in the team channel.
    team = channel_text(await state(page, ALICE), INTERNAL_CHANNEL)
    assert "The client digest S-3 went to <#C0SHARED> at its time" in team, team


async def _preview_due_inside_its_lead(page: httpx.AsyncClient) -> None:
    """Sunday 10:00, review turned on with a 24 h lead before Monday 09:00's client digest, then Next: the
    preview is the event it moves to."""
    for _ in range(4):  # Wednesday 10:00 to Sunday 10:00
        assert (await page.post("/api/clock", json={"move": "day"})).json()["ok"]
    await page.post(
        "/api/command",
        json={
            "user": ALICE,
            "channel": INTERNAL_CHANNEL,
            "text": "/project settings review:on review_lead:24h",
        },
    )
    moved = (await page.post("/api/clock", json={"move": "next"})).json()
    assert moved["event"] == "Review preview S-3", moved


async def test_next_event_posts_a_preview_already_due_before_the_post(page: httpx.AsyncClient) -> None:
    """Review turned on inside the lead (Sunday 10:00, a 24 h lead before Monday 09:00's digest): the scheduler
    would show the preview within a minute, so the next event is that preview, not the digest itself."""
    await _preview_due_inside_its_lead(page)
    assert "the client digest S-3 goes to <#C0SHARED>" in channel_text(
        await state(page, ALICE), INTERNAL_CHANNEL
    )
    assert "update for ACME" not in channel_text(await state(page, CAROL), SHARED_CHANNEL)


async def test_next_moves_on_once_the_preview_is_sent_now(page: httpx.AsyncClient) -> None:
    """Send now on the review preview posts the client digest at once: the Next line (computed on every state)
    then names the following event, not the post that already went out (the playground walk saw it stale)."""
    await _preview_due_inside_its_lead(page)
    alice = await state(page, ALICE)
    assert alice["clock"]["next"]["label"].startswith("Digest S-3"), alice["clock"]["next"]
    team = next(c for c in alice["channels"] if c["id"] == INTERNAL_CHANNEL)["messages"]
    preview = next(m for m in reversed(team) if any(a["action_id"] == "review_send" for a in buttons(m)))
    send = next(a for a in buttons(preview) if a["action_id"] == "review_send")
    clicked = await page.post("/api/click", json={"user": ALICE, "item": preview["id"], "action": send})
    assert clicked.status_code == 200 and clicked.json()["ok"], clicked.text
    assert "update for ACME" in channel_text(await state(page, CAROL), SHARED_CHANNEL)
    upcoming = (await state(page, ALICE))["clock"]["next"]
    assert upcoming is not None and "S-3" not in upcoming["label"], upcoming
    moved = (await page.post("/api/clock", json={"move": "next"})).json()
    assert moved["ok"] and "S-3" not in moved["event"], moved
