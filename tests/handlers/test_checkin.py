"""Progress check-ins end to end: DMs in each person's language and zone, answers, nudge, summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import select

from storage.models import CheckinAnswer
from tests.handlers.conftest import SHANGHAI
from tests.harness.app import ALICE, BOB, INTERNAL_CHANNEL, Clock, Liaison, reply_text

FRIDAY_4PM = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)


async def _setup(app: Liaison) -> None:
    reply = reply_text(
        await app.command(
            "/checkin", f'every friday 4pm <@{ALICE}|alice> <@{BOB}|bob> question:"What moved this week?"'
        )
    )
    assert "S-1" in reply and "Every Friday at 16:00 (Asia/Shanghai)" in reply


def _dms(app: Liaison) -> dict[str, list[dict[str, Any]]]:
    opened = {c.response["channel"]["id"]: c.args["users"] for c in app.fake.calls_to("conversations.open")}
    out: dict[str, list[dict[str, Any]]] = {}
    for call in app.fake.calls_to("chat.postMessage"):
        if call.args["channel"] in opened:
            out.setdefault(opened[call.args["channel"]], []).append(call.args)
    return out


async def _answers(app: Liaison) -> dict[str, CheckinAnswer]:
    async with app.session() as s:
        return {a.user_id: a for a in (await s.exec(select(CheckinAnswer))).all()}


def _submission(user: str, view: dict[str, Any], **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for block, value in fields.items():
        if block == "confidence":
            values[block] = {block: {"type": "static_select", "selected_option": {"value": value}}}
        else:
            values[block] = {block: {"type": "plain_text_input", "value": value}}
    return {
        "type": "view_submission",
        "team": {"id": "T0HOME"},
        "user": {"id": user, "team_id": "T0HOME"},
        "api_app_id": "A0LIAISON",
        "trigger_id": "9.x",
        "view": {**view, "id": "V1", "state": {"values": values}},
    }


async def _click_answer(app: Liaison, user: str, occurrence: int) -> dict[str, Any]:
    before = len(app.fake.calls_to("views.open"))
    payload = {
        "type": "block_actions",
        "team": {"id": "T0HOME"},
        "user": {"id": user, "team_id": "T0HOME"},
        "api_app_id": "A0LIAISON",
        "trigger_id": "7.trigger",
        "channel": {"id": "D0"},
        "response_url": app.fake.response_url(f"click-{user}"),
        "actions": [
            {
                "action_id": "checkin_open",
                "block_id": "checkin_actions",
                "value": str(occurrence),
                "type": "button",
            }
        ],
    }
    assert (await app.interaction(payload)).status_code == 200
    calls = await app.wait_for("views.open", count=before + 1)
    assert calls[-1].args["trigger_id"] == "7.trigger"
    view: dict[str, Any] = calls[-1].args["view"]
    return view


async def test_prompts_answers_nudge_and_summary(app: Liaison, clock: Clock) -> None:
    await _setup(app)
    clock.now = FRIDAY_4PM
    await app.svc.runner.run_all()
    dms = _dms(app)
    assert set(dms) == {ALICE, BOB}
    alice_prompt = reply_text(dms[ALICE][0])
    bob_prompt = reply_text(dms[BOB][0])
    assert "请在" in alice_prompt and "18:00 (Asia/Shanghai)" in alice_prompt.replace("（", " (").replace(
        "）", ")"
    )
    assert "Please answer by" in bob_prompt and "11:00 (Europe/Berlin)" in bob_prompt  # 18:00 in Shanghai

    occurrence = (await _answers(app))[ALICE].occurrence_id
    view = await _click_answer(app, ALICE, occurrence)
    bad = await app.interaction(_submission(ALICE, view, progress="150"))
    assert bad.json()["response_action"] == "errors" and "progress" in bad.json()["errors"]
    assert (await _answers(app))[ALICE].answered_at is None
    ok = await app.interaction(
        _submission(
            ALICE,
            view,
            progress="60",
            done="Data mapping",
            blockers="Waiting on ACME test data",
            confidence="medium",
        )
    )
    assert ok.status_code == 200 and not ok.content
    answer = (await _answers(app))[ALICE]
    assert (answer.progress, answer.blockers, answer.confidence) == (
        60,
        "Waiting on ACME test data",
        "medium",
    )
    [update] = await app.wait_for("chat.update")
    assert "已记录 60%" in reply_text(update.args)

    clock.now = datetime(2026, 11, 27, 17, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    await app.svc.runner.run_all()
    dms = _dms(app)
    assert len(dms[BOB]) == 2 and "Reminder" in reply_text(dms[BOB][1])
    assert len(dms[ALICE]) == 1, "people who answered are not nudged"

    clock.now = datetime(2026, 11, 27, 18, 0, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    await app.svc.runner.run_all()
    summaries = [
        c.args for c in app.fake.calls_to("chat.postMessage") if c.args["channel"] == INTERNAL_CHANNEL
    ]
    assert len(summaries) == 1
    summary = reply_text(summaries[0])
    assert "60%" in summary and "Waiting on ACME test data" in summary
    assert f"No answer from: <@{BOB}>" in summary

    late = await app.interaction(_submission(ALICE, view, progress="70"))
    assert late.json()["response_action"] == "errors"
    assert "汇总已发出" in late.json()["errors"]["progress"]  # Alice's Slack locale is zh-CN
    assert (await _answers(app))[ALICE].progress == 60


async def test_an_answer_without_progress_says_what_was_recorded(app: Liaison, clock: Clock) -> None:
    await _setup(app)
    clock.now = FRIDAY_4PM
    await app.svc.runner.run_all()
    answers = await _answers(app)
    for n, (user, expected) in enumerate(
        [
            (BOB, "Thanks! Your answer is recorded, without a progress figure."),
            (ALICE, "谢谢！已记录你的回答（未填写进度）。"),  # Alice's Slack locale is zh-CN
        ],
        start=1,
    ):
        view = await _click_answer(app, user, answers[user].occurrence_id)
        ok = await app.interaction(_submission(user, view, done="Data mapping"))
        assert ok.status_code == 200 and not ok.content
        update = reply_text((await app.wait_for("chat.update", count=n))[-1].args)
        assert expected in update, update
        assert "—" not in update
    assert {u: a.progress for u, a in (await _answers(app)).items()} == {ALICE: None, BOB: None}


async def test_away_people_are_skipped(app: Liaison, clock: Clock) -> None:
    await _setup(app)
    reply = reply_text(await app.command("/checkin", "away until:2026-11-28", user=BOB))
    assert "Sat 28 Nov 2026" in reply
    clock.now = FRIDAY_4PM
    await app.svc.runner.run_all()
    assert set(_dms(app)) == {ALICE}


async def test_a_failed_dm_is_retried_without_prompting_anyone_twice(app: Liaison, clock: Clock) -> None:
    async def no_wait(_seconds: float) -> None:
        return None

    app.svc.runner.sleep = no_wait
    await _setup(app)
    app.fake.fail_next("chat.postMessage", "fatal_error", times=1)
    clock.now = FRIDAY_4PM
    await app.svc.runner.run_all()
    dms = _dms(app)
    assert len(dms[ALICE]) == 1 and len(dms[BOB]) == 1


async def test_checkin_now_opens_the_form(app: Liaison) -> None:
    await _setup(app)
    response, form = await app.send_command("/checkin", "now", user=BOB)
    assert response.status_code == 200
    [call] = await app.wait_for("views.open")
    assert call.args["trigger_id"] == form["trigger_id"]
    assert call.args["view"]["callback_id"] == "checkin_modal"


async def test_checkin_input_errors(app: Liaison) -> None:
    assert "Who should I ask" in reply_text(await app.command("/checkin", "every friday 4pm"))
    assert "every Tuesday" in reply_text(await app.command("/checkin", f"whenever <@{ALICE}>"))
    assert "15 minutes" in reply_text(await app.command("/checkin", f"daily 9am <@{ALICE}> deadline:5m"))
    assert "Until when" in reply_text(await app.command("/checkin", "away"))
    async with app.session() as s:
        from storage.models import Schedule

        assert (await s.exec(select(Schedule))).all() == []


async def test_closing_the_form_tells_the_app_and_changes_nothing(app: Liaison, clock: Clock) -> None:
    await _setup(app)
    clock.now = FRIDAY_4PM
    await app.svc.runner.run_all()
    view = await _click_answer(app, BOB, (await _answers(app))[BOB].occurrence_id)
    assert view["notify_on_close"] is True  # so Slack sends view_closed when Bob backs out
    before = {u: (a.answered_at, a.progress) for u, a in (await _answers(app)).items()}
    closed = {
        "type": "view_closed",
        "team": {"id": "T0HOME"},
        "user": {"id": BOB, "team_id": "T0HOME"},
        "api_app_id": "A0LIAISON",
        "view": {**view, "id": "V1", "state": {"values": {}}},
        "is_cleared": False,
    }
    response = await app.interaction(closed)
    assert response.status_code == 200 and not response.content
    assert {u: (a.answered_at, a.progress) for u, a in (await _answers(app)).items()} == before
    assert app.fake.calls_to("chat.update") == []
