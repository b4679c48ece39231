"""A check-in's own questions end to end: set with `questions:` or `/checkin questions S-n`, asked in the DM's form,
kept per question, listed in the summary; progress on or off; only the team's progress in the digest's average;
mistakes answered privately with an example, nothing written. English and Chinese."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import select

from storage.models import AuditLog, CheckinAnswer, Schedule
from tests.handlers.conftest import SHANGHAI
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

FRIDAY_4PM = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)
AFTER_DEADLINE = datetime(2026, 11, 27, 18, 0, tzinfo=SHANGHAI)
QUESTIONS = ("What did you finish?", "What's next?", "Anything blocking?")
ZH_QUESTIONS = ("完成了什么？", "下一步做什么？", "有什么阻碍？")


def _team_of(user: str) -> str:
    return CLIENT_TEAM if user == CAROL else HOME_TEAM


async def _answers(app: Liaison) -> dict[str, CheckinAnswer]:
    async with app.session() as s:
        return {a.user_id: a for a in (await s.exec(select(CheckinAnswer))).all()}


async def _schedules(app: Liaison) -> list[Schedule]:
    async with app.session() as s:
        return list((await s.exec(select(Schedule).order_by(Schedule.number))).all())  # type: ignore[arg-type]


async def _open_form(app: Liaison, user: str, occurrence: int) -> dict[str, Any]:
    before = len(app.fake.calls_to("views.open"))
    payload = {
        "type": "block_actions",
        "team": {"id": _team_of(user)},
        "user": {"id": user, "team_id": _team_of(user)},
        "api_app_id": "A0LIAISON",
        "trigger_id": f"7.{user}",
        "channel": {"id": "D0"},
        "response_url": app.fake.response_url(f"click-{user}-{before}"),
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
    view: dict[str, Any] = calls[-1].args["view"]
    return view


async def _submit(app: Liaison, user: str, view: dict[str, Any], **fields: str) -> Any:
    values = {block: {block: {"type": "plain_text_input", "value": value}} for block, value in fields.items()}
    payload = {
        "type": "view_submission",
        "team": {"id": _team_of(user)},
        "user": {"id": user, "team_id": _team_of(user)},
        "api_app_id": "A0LIAISON",
        "trigger_id": "9.x",
        "view": {**view, "id": "V1", "state": {"values": values}},
    }
    return await app.interaction(payload)


def _inputs(view: dict[str, Any]) -> list[tuple[str, str]]:
    return [(b["block_id"], b["label"]["text"]) for b in view["blocks"] if b["type"] == "input"]


async def _run_at(app: Liaison, clock: Clock, at: datetime) -> None:
    clock.now = at
    await app.svc.runner.run_all()
    await app.svc.runner.run_all()


async def test_own_questions_are_asked_kept_per_question_and_summarised(app: Liaison, clock: Clock) -> None:
    reply = reply_text(
        await app.command(
            "/checkin",
            f'every friday 4pm <@{ALICE}|alice> <@{BOB}|bob> questions:"{"|".join(QUESTIONS)}"',
        )
    )
    assert "S-1" in reply and "`S-1` asks:" in reply
    for n, question in enumerate(QUESTIONS, start=1):
        assert f"{n}. {question}" in reply
    assert "Progress (%) is asked too." in reply
    [schedule] = await _schedules(app)
    assert schedule.options["questions"] == list(QUESTIONS) and schedule.options["progress"] is True

    await _run_at(app, clock, FRIDAY_4PM)
    occurrence = (await _answers(app))[BOB].occurrence_id
    view = await _open_form(app, BOB, occurrence)
    assert _inputs(view) == [
        ("progress", "Progress (%)"),
        ("q0", QUESTIONS[0]),
        ("q1", QUESTIONS[1]),
        ("q2", QUESTIONS[2]),
    ]  # the usual done / next / blockers / confidence are not asked
    ok = await _submit(
        app, BOB, view, progress="40", q0="Migration scripts", q2="VPN <access> & a *firewall* ticket"
    )
    assert ok.status_code == 200 and not ok.content
    bob = (await _answers(app))[BOB]
    assert bob.progress == 40 and bob.answered_at is not None
    assert bob.answers == [
        {"question": QUESTIONS[0], "answer": "Migration scripts"},
        {"question": QUESTIONS[1], "answer": ""},
        {"question": QUESTIONS[2], "answer": "VPN <access> & a *firewall* ticket"},
    ]
    assert (bob.done, bob.next, bob.blockers, bob.confidence) == ("", "", "", "")
    [update] = await app.wait_for("chat.update")
    assert "Recorded 40%" in reply_text(update.args)

    # Editing the answer: the form comes back filled in with what was given, question by question.
    again = await _open_form(app, BOB, occurrence)
    filled = {
        b["block_id"]: b["element"].get("initial_value") for b in again["blocks"] if b["type"] == "input"
    }
    assert filled == {"progress": "40", "q0": "Migration scripts", "q1": None, "q2": bob.answers[2]["answer"]}

    await _run_at(app, clock, AFTER_DEADLINE)
    [summary] = [
        reply_text(c.args)
        for c in app.fake.calls_to("chat.postMessage")
        if c.args["channel"] == INTERNAL_CHANNEL and "Check-in summary" in reply_text(c.args)
    ]
    assert f"<@{BOB}> · *40%*" in summary and "Average progress: 40%" in summary
    assert f"*{QUESTIONS[0]}* Migration scripts" in summary
    assert f"*{QUESTIONS[2]}* VPN &lt;access&gt; &amp; a *firewall* ticket" in summary  # user text escaped
    assert QUESTIONS[1] not in summary  # an unanswered question is not listed
    assert f"No answer from: <@{ALICE}>" in summary


async def test_chinese_questions_without_progress(app: Liaison, clock: Clock) -> None:
    await app.command("/project", "settings lang:zh")
    reply = reply_text(
        await app.command(
            "/checkin", f'每周五下午4点 <@{ALICE}|alice> 问题列表:"{"｜".join(ZH_QUESTIONS)}" 进度:关'
        )
    )
    assert "`S-1` 的问题：" in reply and f"1. {ZH_QUESTIONS[0]}" in reply and "不询问进度（%）。" in reply
    [schedule] = await _schedules(app)
    assert schedule.options["questions"] == list(ZH_QUESTIONS) and schedule.options["progress"] is False

    await _run_at(app, clock, FRIDAY_4PM)
    view = await _open_form(app, ALICE, (await _answers(app))[ALICE].occurrence_id)
    assert _inputs(view) == [("q0", ZH_QUESTIONS[0]), ("q1", ZH_QUESTIONS[1]), ("q2", ZH_QUESTIONS[2])]
    assert view["submit"]["text"] == "保存"
    # A progress figure sent anyway (an old form, a forged payload) is not kept: this check-in does not ask it.
    ok = await _submit(app, ALICE, view, progress="90", q0="数据迁移脚本", q2="等待 ACME 的测试数据")
    assert ok.status_code == 200 and not ok.content
    alice = (await _answers(app))[ALICE]
    assert alice.progress is None and alice.answers[0] == {
        "question": ZH_QUESTIONS[0],
        "answer": "数据迁移脚本",
    }
    [update] = await app.wait_for("chat.update")
    assert "未填写进度" in reply_text(update.args)

    await _run_at(app, clock, AFTER_DEADLINE)
    [summary] = [
        reply_text(c.args)
        for c in app.fake.calls_to("chat.postMessage")
        if c.args["channel"] == INTERNAL_CHANNEL and "进度签到汇总" in reply_text(c.args)
    ]
    assert (
        f"*{ZH_QUESTIONS[0]}* 数据迁移脚本" in summary
        and f"*{ZH_QUESTIONS[2]}* 等待 ACME 的测试数据" in summary
    )
    assert "平均进度" not in summary


async def test_changing_the_questions_and_back_to_the_usual_ones(app: Liaison, clock: Clock) -> None:
    await app.command("/checkin", f"every friday 4pm <@{BOB}|bob>")
    [schedule] = await _schedules(app)
    assert schedule.options["questions"] == [] and schedule.options["progress"] is True

    shown = reply_text(await app.command("/checkin", "questions S-1"))
    assert "the usual questions" in shown and "Progress (%) is asked too." in shown

    changed = reply_text(
        await app.command("/checkin", 'questions S-1 "Highlights?" "Risks you see?" progress:off')
    )
    assert "Changed" in changed and "1. Highlights?" in changed and "2. Risks you see?" in changed
    assert "Progress (%) is not asked." in changed
    [schedule] = await _schedules(app)
    assert schedule.options["questions"] == ["Highlights?", "Risks you see?"]
    assert schedule.options["progress"] is False
    async with app.session() as s:
        logged = (await s.exec(select(AuditLog).where(AuditLog.action == "checkin.questions"))).all()
    assert len(logged) == 1

    # One per line works too, and the form follows the change at once.
    await app.command("/checkin", "questions S-1\nWhat shipped?\nWhat slipped?")
    await _run_at(app, clock, FRIDAY_4PM)
    view = await _open_form(app, BOB, (await _answers(app))[BOB].occurrence_id)
    assert _inputs(view) == [("q0", "What shipped?"), ("q1", "What slipped?")]

    zh = reply_text(await app.command("/checkin", "问题列表 S-1 默认 进度:开"))
    assert "已修改" in zh, zh  # Chinese words: the answer is in Chinese
    [schedule] = await _schedules(app)
    assert schedule.options["questions"] == [] and schedule.options["progress"] is True
    view = await _open_form(app, BOB, (await _answers(app))[BOB].occurrence_id)
    assert [b for b, _ in _inputs(view)] == ["progress", "done", "next", "blockers", "confidence"]


async def test_the_usual_form_is_unchanged_without_questions(app: Liaison, clock: Clock) -> None:
    await app.command("/checkin", f'every friday 4pm <@{BOB}|bob> question:"What moved this week?"')
    await _run_at(app, clock, FRIDAY_4PM)
    view = await _open_form(app, BOB, (await _answers(app))[BOB].occurrence_id)
    assert _inputs(view) == [
        ("progress", "Progress (%)"),
        ("done", "Done since last time"),
        ("next", "Next"),
        ("blockers", "Blockers"),
        ("confidence", "Confidence"),
    ]
    await _submit(app, BOB, view, progress="70", done="Data mapping")
    bob = (await _answers(app))[BOB]
    assert (bob.progress, bob.done, bob.answers, bob.by_client) == (70, "Data mapping", [], False)


async def test_the_digest_averages_only_the_teams_progress_of_progress_checkins(
    app: Liaison, clock: Clock
) -> None:
    await app.command("/checkin", f"every friday 4pm <@{ALICE}|alice> <@{CAROL}|carol>")
    await app.command("/checkin", f'every friday 4pm <@{BOB}|bob> questions:"Highlights?" progress:off')
    await _run_at(app, clock, FRIDAY_4PM)
    async with app.session() as s:
        rows = (await s.exec(select(CheckinAnswer))).all()
    by_user = {(r.user_id, r.occurrence_id) for r in rows}
    occurrences = sorted({o for _, o in by_user})
    assert len(occurrences) == 2
    first, second = occurrences

    alice_form = await _open_form(app, ALICE, first)
    await _submit(app, ALICE, alice_form, progress="60", done="Mapping")
    carol_form = await _open_form(
        app, CAROL, first
    )  # a client user asked by the team: her view, not the team's
    await _submit(app, CAROL, carol_form, progress="0", done="Nothing yet")
    bob_form = await _open_form(app, BOB, second)
    assert "progress" not in [b for b, _ in _inputs(bob_form)]
    await _submit(app, BOB, bob_form, progress="10", q0="Demo went well")

    async with app.session() as s:
        rows = (await s.exec(select(CheckinAnswer))).all()
    stored = {r.user_id: (r.progress, r.by_client) for r in rows}
    assert stored == {ALICE: (60, False), CAROL: (0, True), BOB: (None, False)}

    clock.now = datetime(2026, 11, 27, 17, 0, tzinfo=SHANGHAI)  # the digest covers up to now
    client = reply_text(await app.command("/digest", "preview client", channel=SHARED_CHANNEL)).replace(
        "\u200b", ""
    )
    assert "Average progress reported by the team: *60%*" in client, client
    assert "Nothing yet" not in client and "Demo went well" not in client
    internal = reply_text(await app.command("/digest", "preview internal")).replace("\u200b", "")
    assert "Average progress *60%*" in internal, internal


async def test_bad_questions_answer_privately_with_an_example_and_write_nothing(app: Liaison) -> None:
    too_many = "|".join(f"Question {n}?" for n in range(1, 8))
    cases = [
        (f'every friday 4pm <@{BOB}|bob> questions:"{too_many}"', "at most 6 questions; that was 7"),
        (f'every friday 4pm <@{BOB}|bob> questions:"Fine?|{"x" * 151}"', "Question 2 is 151 characters long"),
        (f'every friday 4pm <@{BOB}|bob> questions:"| |"', "Write them with `|` between them"),
        (f"every friday 4pm <@{BOB}|bob> progress:maybe", "`progress:` takes `on` or `off`"),
    ]
    for text, expected in cases:
        reply = await app.command("/checkin", text)
        shown = reply_text(reply)
        assert expected in shown, shown
        assert reply.get("response_type", "ephemeral") == "ephemeral"
        assert (
            'questions:"What did you finish?|What\'s next?|Anything blocking?"' in shown
        )  # a working example
    assert await _schedules(app) == []

    await app.command("/checkin", f"every friday 4pm <@{BOB}|bob>")
    for text, expected in [
        (f'questions S-1 "{too_many}"', "at most 6 questions"),
        ('questions S-9 "Fine?"', "S-9"),
        ("questions", "/checkin questions S-1"),
        ("questions S-1 progress:perhaps", "`progress:` takes `on` or `off`"),
    ]:
        shown = reply_text(await app.command("/checkin", text))
        assert expected in shown, shown
        assert "/checkin questions S-1 " in shown
    [schedule] = await _schedules(app)
    assert schedule.options["questions"] == [] and schedule.options["progress"] is True

    await app.command("/project", "settings lang:zh")
    zh = reply_text(await app.command("/checkin", f'问题列表 S-1 "{too_many}"'))
    assert "一个签到最多 6 个问题，这里有 7 个。" in zh and "/checkin 问题列表 S-1" in zh
    zh = reply_text(await app.command("/checkin", "问题列表 S-1 进度:也许"))
    assert "`进度:` 只能是 `开` 或 `关`。" in zh
    [schedule] = await _schedules(app)
    assert schedule.options["questions"] == [] and schedule.options["progress"] is True
