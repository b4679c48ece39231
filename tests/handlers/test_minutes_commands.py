"""/minutes end to end: the quick form, the form, list/show/edit/delete (with undo), in English and Chinese.

The `app` fixture (tests/handlers/conftest.py) is a project in Asia/Shanghai with its client channel bound,
and a clock at Tue 24 Nov 2026, 08:00 in Shanghai.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from sqlmodel import SQLModel, select

from handlers import ids
from storage.models import ActionItem, AuditLog, Decision, Minutes
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    PLAIN_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    reply_text,
)

QUICK = (
    "Weekly sync with ACME [client]\n"
    "decision: Go live on 1 March\n"
    "decision: Our margin is thin [internal]\n"
    "action: Send the cutover plan <@U0CAROL|carol> due:2026-12-04\n"
    "action: Book the room owner:Zhang San\n"
    "We walked through the plan."
)

# ---- helpers shared by the minutes, action, decision and confirmation tests ---------------------------


async def rows(liaison: Liaison, model: type[SQLModel]) -> list[Any]:
    async with liaison.session() as session:
        return list((await session.exec(select(model).order_by(model.id))).all())  # type: ignore[attr-defined]


async def audit(liaison: Liaison) -> list[tuple[str, str | None, str, str | None]]:
    return [(a.action, a.record_ref, a.actor_user_id, a.actor_team_id) for a in await rows(liaison, AuditLog)]


async def record_counts(liaison: Liaison) -> tuple[int, int, int]:
    return (
        len(await rows(liaison, Minutes)),
        len(await rows(liaison, Decision)),
        len(await rows(liaison, ActionItem)),
    )


async def opened_view(liaison: Liaison, count: int = 1) -> dict[str, Any]:
    """The view the app opened (as Slack stored it, with its id) with the `count`th views.open."""
    calls = await liaison.wait_for("views.open", count=count)
    view: dict[str, Any] = calls[count - 1].response["view"]
    return view


def form_values(
    *,
    title: str = "",
    day: str | None = "2026-11-24",
    attendees: tuple[str, ...] = (),
    client_attendees: str = "",
    notes: str = "",
    decisions: str | None = "",
    actions: str | None = "",
    share: bool = False,
) -> dict[str, Any]:
    """`view.state.values` as Slack sends them for the minutes form."""

    def text(value: str) -> dict[str, Any]:
        return {"type": "plain_text_input", "value": value or None}

    option = {"text": {"type": "plain_text", "text": "Share with the client"}, "value": "client"}
    values: dict[str, Any] = {
        ids.MINUTES_TITLE: {ids.MINUTES_TITLE: text(title)},
        ids.MINUTES_DATE: {ids.MINUTES_DATE: {"type": "datepicker", "selected_date": day}},
        ids.MINUTES_ATTENDEES: {
            ids.MINUTES_ATTENDEES: {"type": "multi_users_select", "selected_users": list(attendees)}
        },
        ids.MINUTES_CLIENT_ATTENDEES: {ids.MINUTES_CLIENT_ATTENDEES: text(client_attendees)},
        ids.MINUTES_NOTES: {ids.MINUTES_NOTES: text(notes)},
        ids.MINUTES_SHARE: {
            ids.MINUTES_SHARE: {"type": "checkboxes", "selected_options": [option] if share else []}
        },
    }
    if decisions is not None:
        values[ids.MINUTES_DECISIONS] = {ids.MINUTES_DECISIONS: text(decisions)}
    if actions is not None:
        values[ids.MINUTES_ACTIONS] = {ids.MINUTES_ACTIONS: text(actions)}
    return values


def submission(
    view: dict[str, Any], values: dict[str, Any], *, user: str = ALICE, team: str = HOME_TEAM
) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": HOME_TEAM},
        "user": {"id": user, "team_id": team, "username": user.lower()},
        "api_app_id": "A0LIAISON",
        "trigger_id": "5.view-submit",
        "view": {
            "id": view["id"],
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "hash": view["hash"],
            "state": {"values": values},
        },
    }


def find_button(
    message: dict[str, Any], action_id: str, value: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The block id and element of a button in a posted message."""
    for block in message.get("blocks", []):
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        for element in elements:
            if element.get("action_id") == action_id and (value is None or element.get("value") == value):
                return str(block.get("block_id") or ""), element
    raise AssertionError(f"no {action_id} button in {reply_text(message)}")


_clicks = iter(range(1, 1_000_000))


def block_action(
    liaison: Liaison,
    message: dict[str, Any],
    action_id: str,
    *,
    user: str = CAROL,
    channel: str = SHARED_CHANNEL,
    value: str | None = None,
    ephemeral: bool = False,
    team: str | None = "",
) -> tuple[dict[str, Any], str]:
    """A block_actions payload for clicking a button of `message`; returns it and its response_url key.

    `team` is the user's organisation as the payload states it: by default the user's real one; None omits it.
    """
    n = next(_clicks)
    key = f"click-{n}"
    try:
        block_id, element = find_button(message, action_id)
    except AssertionError:
        if value is None:
            raise
        block_id, element = "crafted", {"action_id": action_id, "value": value}
    if team == "":
        team = CLIENT_TEAM if user == CAROL else HOME_TEAM
    user_fields = {"id": user, "username": user.lower()} | ({"team_id": team} if team is not None else {})
    payload = {
        "type": "block_actions",
        "team": {"id": HOME_TEAM},
        "user": user_fields,
        "api_app_id": "A0LIAISON",
        "trigger_id": f"9{n}.click",
        "channel": {"id": channel},
        "container": {
            "type": "message",
            "message_ts": message.get("ts", "1.0"),
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "message": message,
        "response_url": liaison.fake.response_url(key),
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "value": value if value is not None else element["value"],
                "type": "button",
                "action_ts": "1",
            }
        ],
    }
    return payload, key


async def press(liaison: Liaison, message: dict[str, Any], action_id: str, **kw: Any) -> dict[str, Any]:
    """Click a button and return the app's answer through the click's response_url."""
    payload, key = block_action(liaison, message, action_id, **kw)
    response = await liaison.interaction(payload)
    assert response.status_code == 200, response.text
    calls = await liaison.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    return calls[-1].args


# ---- the quick form -----------------------------------------------------------------------------------


async def test_quick_form_records_minutes_decisions_and_actions_with_ids(app: Liaison) -> None:
    reply = await app.command("/minutes", QUICK)
    text = reply_text(reply)
    assert reply["response_type"] == "in_channel"
    for ref in ("M-1", "D-1", "D-2", "A-1", "A-2"):
        assert ref in text
    [minutes] = await rows(app, Minutes)
    assert (minutes.title, minutes.visibility, minutes.notes) == (
        "Weekly sync with ACME",
        "client",
        "We walked through the plan.",
    )
    assert minutes.meeting_on.isoformat() == "2026-11-24"  # today in Shanghai
    decisions = await rows(app, Decision)
    assert [(d.number, d.visibility, d.minutes_id) for d in decisions] == [
        (1, "client", 1),
        (2, "internal", 1),
    ]
    send, book = await rows(app, ActionItem)
    assert (send.owner_user_id, send.owner_team_id, send.due_on.isoformat(), send.visibility) == (
        CAROL,
        CLIENT_TEAM,
        "2026-12-04",
        "client",
    )
    assert (book.owner_name, book.owner_user_id, book.due_on) == ("Zhang San", None, None)
    assert [(a, r) for a, r, *_ in await audit(app)][-5:] == [
        ("minutes.create", "M-1"),
        ("decision.create", "D-1"),
        ("decision.create", "D-2"),
        ("action.create", "A-1"),
        ("action.create", "A-2"),
    ]


async def test_quick_form_in_chinese(app: Liaison) -> None:
    reply = await app.command(
        "/minutes",
        "ACME 周例会 🎉\n决定：3月1日上线\n行动: 发送切换计划 <@U0BOB|bob> 截止:下周五\n讨论了上线计划",
    )
    text = reply_text(reply)
    assert "已记录" in text and "M-1" in text and "截止" in text
    [item] = await rows(app, ActionItem)
    assert (item.text, item.owner_user_id, item.owner_team_id, item.visibility) == (
        "发送切换计划",
        BOB,
        HOME_TEAM,
        "internal",
    )
    assert item.due_on is not None and item.due_on.weekday() == 4  # a Friday
    [minutes] = await rows(app, Minutes)
    assert (minutes.title, minutes.notes) == ("ACME 周例会 🎉", "讨论了上线计划")


async def test_list_and_show_in_english_and_chinese(app: Liaison) -> None:
    await app.command("/minutes", QUICK)
    await app.command("/minutes", "Internal retro\ndecision: Hire a tester")
    listed = reply_text(await app.command("/minutes", "list"))
    assert "Minutes (2)" in listed and "M-1" in listed and "M-2" in listed
    assert "`client`" in listed and "`internal`" in listed
    shown = reply_text(await app.command("/minutes", "show M-1"))
    for part in (
        "Weekly sync with ACME",
        "Go live on 1 March",
        "Our margin is thin",
        "<@U0CAROL>",
        "Zhang San",
    ):
        assert part in shown
    assert "We walked through the plan." in shown
    listed_zh = reply_text(await app.command("/minutes", "列表"))
    assert "会议纪要（2）" in listed_zh
    shown_zh = reply_text(await app.command("/minutes", "查看 m2"))
    assert "Internal retro" in shown_zh and "决定" in shown_zh


# ---- the form -------------------------------------------------------------------------------------------


async def test_minutes_without_text_open_the_form_and_its_submission_records(app: Liaison) -> None:
    _response, form = await app.send_command("/minutes", "")
    [call] = await app.wait_for("views.open")
    assert call.args["trigger_id"] == form["trigger_id"]
    view = call.response["view"]
    assert view["callback_id"] == ids.MINUTES_MODAL
    date_block = next(b for b in view["blocks"] if b["block_id"] == ids.MINUTES_DATE)
    assert date_block["element"]["initial_date"] == "2026-11-24"
    values = form_values(
        title="Kick-off <!here>",
        attendees=(ALICE, CAROL),
        client_attendees="Zhang San",
        notes="First meeting",
        decisions="Weekly syncs on Tuesday\nBudget stays internal [internal]",
        actions="Send the plan @carol due:next friday\nBook a room owner:李雷",
        share=True,
    )
    response = await app.interaction(submission(view, values))
    assert response.status_code == 200 and not response.text.strip()
    [minutes] = await rows(app, Minutes)
    assert (minutes.title, minutes.visibility, minutes.attendees, minutes.client_attendees) == (
        "Kick-off <!here>",
        "client",
        [ALICE, CAROL],
        "Zhang San",
    )
    assert [(d.text, d.visibility) for d in await rows(app, Decision)] == [
        ("Weekly syncs on Tuesday", "client"),
        ("Budget stays internal", "internal"),
    ]
    plan, room = await rows(app, ActionItem)
    assert (plan.owner_user_id, plan.owner_team_id) == (CAROL, CLIENT_TEAM)
    assert plan.due_on is not None and plan.due_on.weekday() == 4
    assert room.owner_name == "李雷"
    [posted] = await app.wait_for(
        "chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL
    )
    text = reply_text(posted.args)
    assert "M-1" in text and "A-2" in text and "<!here>" not in text


async def test_the_start_minutes_button_on_a_reminder_opens_the_form(app: Liaison) -> None:
    button = {"type": "button", "action_id": ids.MINUTES_OPEN_MODAL, "value": "sync", "text": {}}
    reminder = {"ts": "1.0", "blocks": [{"type": "actions", "block_id": "b", "elements": [button]}]}
    payload, _ = block_action(app, reminder, ids.MINUTES_OPEN_MODAL, user=ALICE, channel=INTERNAL_CHANNEL)
    await app.interaction(payload)
    [call] = await app.wait_for("views.open")
    assert call.args["trigger_id"] == payload["trigger_id"]
    assert json.loads(call.response["view"]["private_metadata"])["c"] == INTERNAL_CHANNEL


async def test_form_mistakes_show_on_their_fields_and_write_nothing(app: Liaison) -> None:
    await app.send_command("/minutes", "")
    view = await opened_view(app)
    values = form_values(title="", day=None, actions="Send it @nobody\nCall due:when pigs fly")
    response = await app.interaction(submission(view, values))
    errors = response.json()["errors"]
    assert response.json()["response_action"] == "errors"
    assert set(errors) == {ids.MINUTES_TITLE, ids.MINUTES_DATE, ids.MINUTES_ACTIONS}
    assert "@nobody" in errors[ids.MINUTES_ACTIONS]
    response = await app.interaction(
        submission(view, form_values(title="T", actions="Call due:when pigs fly"))
    )
    assert "when pigs fly" in response.json()["errors"][ids.MINUTES_ACTIONS]
    assert await record_counts(app) == (0, 0, 0)


async def test_a_retried_form_submission_records_once(app: Liaison) -> None:
    await app.send_command("/minutes", "")
    view = await opened_view(app)
    payload = submission(view, form_values(title="Once", decisions="Only once"))
    await app.interaction(payload)
    await app.interaction(payload)
    assert await record_counts(app) == (1, 1, 0)


async def test_edit_opens_a_prefilled_form_and_the_submission_updates(app: Liaison) -> None:
    await app.command("/minutes", QUICK)
    await app.send_command("/minutes", "edit M-1")
    view = await opened_view(app)
    initial = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert initial[ids.MINUTES_TITLE]["initial_value"] == "Weekly sync with ACME"
    assert initial[ids.MINUTES_DECISIONS]["initial_value"] == (
        "D-1: Go live on 1 March\nD-2: Our margin is thin [internal]"
    )
    assert initial[ids.MINUTES_ACTIONS]["initial_value"] == (
        "A-1: Send the cutover plan @carol due:2026-12-04\nA-2: Book the room owner:Zhang San"
    )
    assert initial[ids.MINUTES_SHARE]["initial_options"][0]["value"] == "client"
    values = form_values(
        title="Weekly sync (v2)",
        decisions="D-1: Go live on 8 March\nNew: weekly report",
        actions="A-1: Send the cutover plan @carol due:2026-12-11\nA-2: Book the room owner:Zhang San",
        share=True,
    )
    response = await app.interaction(submission(view, values))
    assert not response.text.strip()
    [minutes] = await rows(app, Minutes)
    assert minutes.title == "Weekly sync (v2)"
    decisions = await rows(app, Decision)
    assert [(d.number, d.text, d.deleted_at is None) for d in decisions] == [
        (1, "Go live on 8 March", True),
        (2, "Our margin is thin", False),  # its line was removed from the form
        (3, "New: weekly report", True),
    ]
    plan = (await rows(app, ActionItem))[0]
    assert plan.due_on is not None and plan.due_on.isoformat() == "2026-12-11"
    assert plan.owner_team_id == CLIENT_TEAM
    actions = [a for a, *_ in await audit(app)]
    assert {"minutes.edit", "decision.edit", "decision.delete", "decision.create", "action.edit"} <= set(
        actions
    )


async def test_edit_with_a_reference_from_elsewhere_is_refused_and_changes_nothing(app: Liaison) -> None:
    await app.command("/minutes", QUICK)
    await app.command("/decision", "Unrelated decision")
    await app.send_command("/minutes", "edit M-1")
    view = await opened_view(app)
    response = await app.interaction(
        submission(view, form_values(title="Changed", decisions="D-3: steal it", actions=None, share=True))
    )
    assert "D-3" in response.json()["errors"][ids.MINUTES_DECISIONS]
    [minutes] = await rows(app, Minutes)
    assert minutes.title == "Weekly sync with ACME"


# ---- delete and undo -------------------------------------------------------------------------------------


async def test_delete_hides_minutes_and_undo_brings_them_back(app: Liaison) -> None:
    await app.command("/minutes", QUICK)
    reply = await app.command("/minutes", "delete M-1")
    assert "Deleted" in reply_text(reply) and "10 minutes" in reply_text(reply)
    assert "There is no M-1" in reply_text(await app.command("/minutes", "show M-1"))
    assert all(d.deleted_at is not None for d in await rows(app, Decision))
    answer = await press(
        app, reply, ids.MINUTES_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "Restored" in reply_text(answer) and answer["replace_original"] is True
    assert "Weekly sync" in reply_text(await app.command("/minutes", "show M-1"))
    assert all(d.deleted_at is None for d in await rows(app, Decision))
    assert [a for a, *_ in await audit(app)][-2:] == ["minutes.delete", "minutes.restore"]


async def test_undo_after_ten_minutes_is_too_late(app: Liaison, clock: Clock) -> None:
    await app.command("/minutes", QUICK)
    reply = await app.command("/minutes", "删除 M-1")
    assert "撤销" in reply_text(reply)
    clock.advance(minutes=11)
    answer = await press(
        app, reply, ids.MINUTES_UNDO_DELETE, user=ALICE, channel=INTERNAL_CHANNEL, ephemeral=True
    )
    assert "too late" in reply_text(answer)
    [minutes] = await rows(app, Minutes)
    assert minutes.deleted_at is not None


# ---- mistakes, retries, other projects, injection ------------------------------------------------------


MISTAKES = [
    ("Sync\naction: Plan due:when pigs fly", "when pigs fly"),
    ("Sync\ndecision: " + "x" * 3001, "at most 3000"),
    ("[client]\ndecision: no title", "title"),
    ("Sync [internal] [client]", "not both"),
    ("Sync\naction: Plan <@U0ALICE> <@U0BOB>", "one owner"),
    ("show M-99", "There is no M-99"),
    ("show R-1", "is not a reference like"),
    ("edit", "is not a reference like"),
    ("list everything", "didn't expect"),
]


async def test_mistakes_answer_with_an_example_and_write_nothing(app: Liaison) -> None:
    for text, expected in MISTAKES:
        reply = await app.command("/minutes", text)
        shown = reply_text(reply)
        assert expected in shown and "Example" in shown, text
        assert reply["response_type"] == "ephemeral", text
        assert await record_counts(app) == (0, 0, 0), text


async def test_a_bad_line_in_chinese_answers_in_chinese(app: Liaison) -> None:
    reply = reply_text(await app.command("/minutes", "周会\n行动: 发计划 截止:猴年马月"))
    assert "猴年马月" in reply and "示例" in reply
    assert await record_counts(app) == (0, 0, 0)


async def test_a_retried_command_records_once(app: Liaison) -> None:
    form = app.command_form("/minutes", QUICK)
    body = urlencode(form).encode()
    for _ in range(2):
        response = await app.post(body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    key = form["response_url"].rsplit("/", 1)[-1]
    answers = await app.wait_for("response_url", count=2, where=lambda c: c.args.get("_key") == key)
    assert any("already handled" in reply_text(a.args) for a in answers)
    assert await record_counts(app) == (1, 2, 2)


async def test_minutes_of_another_project_are_not_found(app: Liaison) -> None:
    await app.command("/minutes", QUICK)
    await app.command("/project", 'setup name:"Other" client:"Beta" tz:UTC', channel=PLAIN_CHANNEL)
    for sub in ("show M-1", "edit M-1", "delete M-1", "send M-1"):
        assert "There is no M-1" in reply_text(await app.command("/minutes", sub, channel=PLAIN_CHANNEL))
    assert "No minutes yet" in reply_text(await app.command("/minutes", "list", channel=PLAIN_CHANNEL))
    [minutes] = await rows(app, Minutes)
    assert minutes.deleted_at is None


async def test_outside_a_project_the_answer_says_how_to_start(liaison: Liaison) -> None:
    reply = reply_text(await liaison.command("/minutes", "Sync", channel=PLAIN_CHANNEL))
    assert "/project setup" in reply


async def test_injected_mentions_and_links_do_not_ping_or_spoof(app: Liaison) -> None:
    await app.command(
        "/minutes",
        "<!channel> <!here|here> hi <@U0BOB|bob> <https://evil.example|ACME> [client]\n"
        "decision: <!everyone> approve <https://evil.example|this>\n"
        "action: Pay &lt;@U0EVE&gt; now <@U0CAROL|carol>\n"
        "<!subteam^S123|@devs> notes",
    )
    [minutes] = await rows(app, Minutes)
    assert minutes.title == "@channel @here hi @bob <https://evil.example|ACME>"
    texts = [
        reply_text(await app.command("/minutes", "show M-1")),
        reply_text(await app.command("/minutes", "list")),
        reply_text(await app.command("/decision", "list")),
        reply_text(await app.command("/action", "list")),
    ]
    await app.command("/minutes", "send M-1")
    texts.append(reply_text(app.fake.messages(SHARED_CHANNEL)[-1]))
    for text in texts:
        for raw in (
            "<!channel>",
            "<!here",
            "<!everyone>",
            "<!subteam",
            "<@U0BOB",
            "<@U0EVE",
        ):  # links stay links
            assert raw not in text
    assert "<@U0CAROL>" in texts[0]  # a real owner mention stays a mention


# ---- who may write what, where -------------------------------------------------------------------------


async def test_in_the_shared_channel_even_the_team_only_reads(app: Liaison) -> None:
    """The policy keeps everyone in a client-facing place to what a client may do: read, confirm, complete."""
    await app.command("/minutes", QUICK)
    for text in ("Sync [client]\ndecision: fine", "", "edit M-1", "delete M-1", "send M-1"):
        reply = await app.command("/minutes", text, channel=SHARED_CHANNEL)
        assert "project team" in reply_text(reply), text
        assert reply["response_type"] == "ephemeral"
    assert app.fake.calls_to("views.open") == []
    assert await record_counts(app) == (1, 2, 2)
    assert app.fake.messages(SHARED_CHANNEL) == []
    shown = reply_text(await app.command("/minutes", "show M-1", channel=SHARED_CHANNEL))
    assert "Go live" in shown and "margin" not in shown and "`client`" not in shown


async def test_a_client_user_cannot_record_or_open_the_form(app: Liaison) -> None:
    reply = await app.command("/minutes", "Sync [client]", user=CAROL, channel=SHARED_CHANNEL)
    assert "project team" in reply_text(reply)
    reply = await app.command("/minutes", "", user=CAROL, channel=SHARED_CHANNEL)
    assert "project team" in reply_text(reply)
    assert app.fake.calls_to("views.open") == []
    assert await record_counts(app) == (0, 0, 0)


async def test_a_form_submitted_for_a_client_facing_channel_is_refused(app: Liaison) -> None:
    """A form opened elsewhere (say from a reminder) but bound to the shared channel writes nothing there."""
    await app.send_command("/minutes", "")
    view = await opened_view(app)
    meta = json.loads(view["private_metadata"])
    assert meta["c"] == INTERNAL_CHANNEL
    view["private_metadata"] = json.dumps({**meta, "c": SHARED_CHANNEL})
    response = await app.interaction(submission(view, form_values(title="Sync", share=True)))
    assert "project team" in response.json()["errors"][ids.MINUTES_SHARE]
    response = await app.interaction(
        submission(view, form_values(title="Sync"), user=CAROL, team=CLIENT_TEAM)
    )
    assert response.json()["response_action"] == "errors"
    assert await record_counts(app) == (0, 0, 0)
