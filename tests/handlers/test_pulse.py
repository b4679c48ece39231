"""Satisfaction pulses end to end: asked in the client channel with five scores and a comment form, one answer
per client person (changeable until it closes), the team's clicks refused and not counted, results to the team
exactly once when it closes (with the trend), a low score alerting the lead at once, and a monthly pulse on
the last Friday in the project's zone. English and Chinese."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers import ids
from storage.models import Pulse, PulseAnswer, Schedule
from tests.handlers.conftest import SHANGHAI
from tests.handlers.test_minutes_commands import block_action, opened_view, press, rows, submission
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    INTERNAL_CHANNEL,
    SHARED_CHANNEL,
    Clock,
    Liaison,
    reply_text,
)

SCORE = ids.PULSE_SCORE


def _pulse_message(app: Liaison) -> dict[str, Any]:
    found = [m for m in app.fake.messages(SHARED_CHANNEL) if "pulse_score_1" in str(m.get("blocks"))]
    assert found, "no pulse in the client channel"
    return found[-1]


def _team_posts(app: Liaison, needle: str) -> list[str]:
    return [reply_text(m) for m in app.fake.messages(INTERNAL_CHANNEL) if needle in reply_text(m)]


async def _open_comment(app: Liaison, message: dict[str, Any], **kw: Any) -> dict[str, Any]:
    payload, _ = block_action(app, message, ids.PULSE_COMMENT, **kw)
    assert (await app.interaction(payload)).status_code == 200
    return await opened_view(app)


def _comment_values(comment: str, score: str | None = None) -> dict[str, Any]:
    select: dict[str, Any] = {"type": "static_select", "selected_option": {"value": score} if score else None}
    return {
        ids.PULSE_MODAL_SCORE: {ids.PULSE_MODAL_SCORE: select},
        ids.PULSE_MODAL_COMMENT: {ids.PULSE_MODAL_COMMENT: {"type": "plain_text_input", "value": comment}},
    }


async def test_pulse_now_one_changeable_answer_per_client_person_and_results_once(
    app: Liaison, clock: Clock
) -> None:
    reply = await app.command("/pulse", "now")
    assert f"Asked the client in <#{SHARED_CHANNEL}>" in reply_text(reply)
    message = _pulse_message(app)
    assert "How satisfied are you with the project this month?" in reply_text(message)
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["1", "2", "3", "4", "5", "Add a comment"]

    assert "you gave 4/5" in reply_text(await press(app, message, f"{SCORE}4"))
    assert "you gave 5/5" in reply_text(await press(app, message, f"{SCORE}5"))
    [answer] = await rows(app, PulseAnswer)
    assert (answer.user_id, answer.team_id, answer.score) == (CAROL, CLIENT_TEAM, 5)

    for user in (ALICE, BOB):  # the team's clicks are refused privately and not counted
        refused = await press(app, message, f"{SCORE}1", user=user)
        assert "Only the client's answers count" in reply_text(refused)
    assert [(a.user_id, a.score) for a in await rows(app, PulseAnswer)] == [(CAROL, 5)]
    assert _team_posts(app, "gave the satisfaction pulse") == []  # a refused 1 alerts nobody

    view = await _open_comment(app, message)
    assert view["blocks"][0]["element"]["initial_option"]["value"] == "5"  # their score, kept
    done = await app.interaction(
        submission(view, _comment_values("Great UAT support &lt;thanks&gt;"), user=CAROL, team=CLIENT_TEAM)
    )
    assert done.status_code == 200 and not done.content
    [answer] = await rows(app, PulseAnswer)
    assert (answer.score, answer.comment) == (5, "Great UAT support &lt;thanks&gt;")

    clock.advance(days=4, hours=23)
    await app.svc.runner.run_all()
    assert _team_posts(app, "Satisfaction pulse results") == []  # still open
    clock.advance(hours=2)
    await app.svc.runner.run_all()
    await app.svc.runner.run_all()  # a second pass (another replica) posts nothing more
    [results] = _team_posts(app, "Satisfaction pulse results")
    assert "Average 5.0 from 1 answer" in results.replace("\u200b", "").replace("*", "")
    assert "Great UAT support &amp;lt;thanks&amp;gt;" in results and f"<@{CAROL}> (5/5)" in results
    shown = next(m for m in app.fake.messages(SHARED_CHANNEL) if m["ts"] == message["ts"])
    assert "This pulse closed" in reply_text(shown)
    assert not [b for b in shown["blocks"] if b["type"] == "actions"]  # no buttons once closed
    late = await press(app, message, f"{SCORE}1")
    assert "This pulse has closed" in reply_text(late)
    assert [a.score for a in await rows(app, PulseAnswer)] == [5]
    [pulse] = await rows(app, Pulse)
    assert pulse.closed_at is not None and pulse.channel_id == SHARED_CHANNEL

    team = reply_text(await app.command("/pulse", "results"))
    assert "Average 5.0 from 1 answer" in team.replace("\u200b", "").replace("*", "")

    await app.command("/risk", 'add "Data migration slips" p:high i:4 [client]')
    internal = reply_text(await app.command("/digest", "preview internal"))
    assert "Client satisfaction (newest first): 5.0" in internal
    client = reply_text(await app.command("/digest", "preview client"))
    assert "satisfaction" not in client.lower() and "Great UAT" not in client and "5.0" not in client


async def test_a_low_score_alerts_the_lead_at_once_and_once(app: Liaison) -> None:
    await app.command("/pulse", 'now question:"How was the cut-over weekend?"')
    message = _pulse_message(app)
    assert "How was the cut-over weekend?" in reply_text(message)
    await press(app, message, f"{SCORE}2")
    await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    [alert] = _team_posts(app, "gave the satisfaction pulse")
    assert alert.startswith(f":rotating_light: <@{ALICE}>: <@{CAROL}> gave the satisfaction pulse 2/5.")
    await press(app, message, f"{SCORE}1")
    assert await app.svc.tasks.drain(10) == 0  # the click's work after its answer is done
    assert len(_team_posts(app, "gave the satisfaction pulse")) == 1
    assert "gave the satisfaction pulse" not in " ".join(
        reply_text(m) for m in app.fake.messages(SHARED_CHANNEL)
    )


async def test_monthly_pulse_on_the_last_friday_in_the_projects_zone_with_its_trend(
    app: Liaison, clock: Clock
) -> None:
    reply = reply_text(
        await app.command("/pulse", 'every month on the last friday 16:00 question:"How did it go?"')
    )
    assert "Scheduled `S-1`" in reply and "16:00" in reply
    [schedule] = await rows(app, Schedule)
    assert (schedule.kind, schedule.visibility) == ("pulse", "client")

    clock.now = datetime(2026, 11, 27, 15, 59, tzinfo=SHANGHAI)
    await app.svc.runner.run_all()
    assert await rows(app, Pulse) == []
    clock.now = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)  # 08:00 UTC, the last Friday of November
    await app.svc.runner.run_all()
    await app.svc.runner.run_all()
    [first] = await rows(app, Pulse)
    assert first.schedule_id == schedule.id and first.question == "How did it go?"
    await press(app, _pulse_message(app), f"{SCORE}4")

    clock.now = datetime(2026, 12, 25, 16, 0, tzinfo=SHANGHAI)  # closed in between; the next last Friday
    await app.svc.runner.run_all()
    assert len(_team_posts(app, "Satisfaction pulse results")) == 1
    first_pulse, second = await rows(app, Pulse)
    assert first_pulse.closed_at is not None and second.opens_at == clock.now
    await press(app, _pulse_message(app), f"{SCORE}3")
    clock.advance(days=5)
    await app.svc.runner.run_all()
    latest = _team_posts(app, "Satisfaction pulse results")[-1]
    assert "3.0 ← 4.0" in latest

    listed = reply_text(await app.command("/pulse", "list"))
    assert "S-1" in listed and "closed" in listed


async def test_pulses_in_chinese(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "settings lang:zh")
    reply = reply_text(await app.command("/pulse", "每月最后一个周五 16:00"))
    assert "已设置 `S-1`" in reply
    started = reply_text(await app.command("/pulse", "现在"))
    assert f"已在 <#{SHARED_CHANNEL}> 向客户发起调查" in started
    message = _pulse_message(app)
    assert "您对本月的项目进展满意吗？" in reply_text(message)
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels[-1] == "补充意见"
    thanks = reply_text(await press(app, message, f"{SCORE}4"))
    assert "您的评分是 4/5" in thanks
    refused = reply_text(await press(app, message, f"{SCORE}1", user=ALICE))
    assert "只统计客户的回答" in refused
    results = reply_text(await app.command("/pulse", "结果")).replace("\u200b", "").replace("*", "")
    assert "满意度调查（" in results and "平均分 4.0，共 1 份回答" in results
    app.fake.add_user("U0DAN", team_id=CLIENT_TEAM, name="dan")
    view = await _open_comment(app, message, user="U0DAN", team=CLIENT_TEAM)
    assert view["title"]["text"] == "补充意见" and "initial_option" not in view["blocks"][0]["element"]
    no_score = await app.interaction(
        submission(view, _comment_values("进度很好"), user="U0DAN", team=CLIENT_TEAM)
    )
    assert no_score.json() == {
        "response_action": "errors",
        "errors": {ids.PULSE_MODAL_SCORE: "请先选择分数（1 到 5），再补充意见。"},
    }
    assert [a.user_id for a in await rows(app, PulseAnswer)] == [CAROL]  # nothing written for Dan
    done = await app.interaction(
        submission(view, _comment_values("进度很好", score="2"), user="U0DAN", team=CLIENT_TEAM)
    )
    assert done.status_code == 200 and not done.content
    assert [(a.user_id, a.score, a.comment) for a in await rows(app, PulseAnswer)] == [
        (CAROL, 4, ""),
        ("U0DAN", 2, "进度很好"),
    ]
    await app.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == INTERNAL_CHANNEL)
    [alert] = _team_posts(app, "满意度调查中给了")
    assert alert.endswith(
        "<@U0DAN> 在满意度调查中给了 2/5。\n> 进度很好"
    )  # the comment quoted on its own line


async def test_mistakes_and_the_client_side_write_nothing(app: Liaison) -> None:
    cases = [
        ("now surprise me", INTERNAL_CHANNEL, ALICE, "/pulse now"),
        ("every blue moon", INTERNAL_CHANNEL, ALICE, "/pulse every month"),
        ("every", INTERNAL_CHANNEL, ALICE, "/pulse every month"),
        ("now", SHARED_CHANNEL, ALICE, "/liaison help"),
        ("results", SHARED_CHANNEL, ALICE, "/liaison help"),
        ("now", SHARED_CHANNEL, CAROL, "/liaison help"),
    ]
    for text, channel, user, example in cases:
        reply = await app.command("/pulse", text, channel=channel, user=user)
        assert reply["response_type"] == "ephemeral"
        assert example in reply_text(reply), (text, reply_text(reply))
    assert await rows(app, Pulse) == [] and await rows(app, Schedule) == []
    assert "no_pulse" not in str(app.fake.messages(SHARED_CHANNEL))


async def test_the_last_friday_is_the_projects_own_in_new_york(app: Liaison, clock: Clock) -> None:
    """16:00 on the last Friday in New York is 05:00 on Saturday in Shanghai: it fires then, not before."""
    await app.command("/project", "settings tz:America/New_York")
    await app.command("/pulse", "every month on the last friday 16:00")
    new_york = ZoneInfo("America/New_York")
    clock.now = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)  # 03:00 that Friday in New York
    await app.svc.runner.run_all()
    assert await rows(app, Pulse) == []
    clock.now = datetime(2026, 11, 27, 16, 0, tzinfo=new_york)
    await app.svc.runner.run_all()
    [pulse] = await rows(app, Pulse)
    assert pulse.opens_at == clock.now
