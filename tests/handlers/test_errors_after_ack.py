"""An unexpected error after a listener's ack: the request stays acknowledged (Slack gets its 200 at once, not a
404 three seconds later) and the person is told, privately and in their language, that nothing was changed.

Bolt's runner, on a listener's error, resets the ack it has not yet seen (it looks every 10 ms); an error raised
right after the ack with no answer to send (no response_url: an App Home click, a modal) made the request look
unacknowledged, every time. CI's calendar leg met the same race through a pulse score, whose failing alert to the team also told the
client "something went wrong" although her score was kept.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlmodel import select

from bot.i18n import t
from handlers import ids
from storage.models import CommandJournal, PulseAnswer
from tests.handlers.test_minutes_commands import block_action
from tests.handlers.test_pulse import _pulse_message
from tests.harness.app import ALICE, CAROL, INTERNAL_CHANNEL, Liaison, reply_text


async def _fails(*_args: object, **_kw: object) -> Any:
    raise RuntimeError("the database went away")


def _click(app: Liaison, *, answerable: bool) -> tuple[dict[str, Any], str]:
    payload, key = block_action(
        app, {"ts": "1.0"}, ids.RISK_SHOW, user=ALICE, channel=INTERNAL_CHANNEL, value="1"
    )
    if not answerable:  # as from App Home: Slack sends no response_url
        payload.pop("response_url")
        payload["container"] = {"type": "view", "view_id": "V0HOME"}
    return payload, key


async def test_a_click_failing_at_once_with_nobody_to_answer_is_still_acked(
    app: Liaison, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("handlers.actions.runner.resolve_where", _fails)
    payload, _ = _click(app, answerable=False)
    with caplog.at_level(logging.ERROR, logger="liaison.errors"):
        response = await app.interaction(payload)
    assert response.status_code == 200, response.text
    assert "unhandled error in listener" in caplog.text
    assert "the database went away" in caplog.text


async def test_a_click_failing_after_its_ack_tells_the_clicker_privately(
    app: Liaison, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("handlers.actions.runner.resolve_where", _fails)
    payload, key = _click(app, answerable=True)
    response = await app.interaction(payload)
    assert response.status_code == 200, response.text
    [answer] = await app.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    assert t("error.generic", "en") in reply_text(answer.args)
    assert answer.args.get("replace_original") is False  # the message the button sat on stays
    assert answer.args.get("response_type", "ephemeral") == "ephemeral"


@pytest.mark.parametrize("text, lang", [("list", "en"), ("列表", "zh")])
async def test_a_command_failing_after_its_ack_answers_in_the_users_language_and_is_not_kept(
    app: Liaison, monkeypatch: pytest.MonkeyPatch, text: str, lang: str
) -> None:
    monkeypatch.setattr("handlers.commands.runner.resolve_where", _fails)
    answer = await app.command("/risk", text)
    assert t("error.generic", lang) in reply_text(answer)
    assert await app.svc.tasks.drain(timeout=10) == 0  # the listener has finished with the journal
    async with app.session() as session:
        pending = (await session.exec(select(CommandJournal).where(CommandJournal.state == "pending"))).all()
    assert pending == []  # answered, so never carried out again after a restart


async def test_a_low_score_whose_alert_fails_is_kept_and_the_client_only_thanked(
    app: Liaison, monkeypatch: pytest.MonkeyPatch
) -> None:
    await app.command("/pulse", "now")
    monkeypatch.setattr("bot.domain.followups.begin_attempt", _fails)
    payload, key = block_action(app, _pulse_message(app), f"{ids.PULSE_SCORE}2")
    response = await app.interaction(payload)
    assert response.status_code == 200, response.text
    assert await app.svc.tasks.drain(timeout=10) == 0
    answers = [reply_text(c.args) for c in app.fake.calls if c.args.get("_key") == key]
    assert len(answers) == 1 and t("error.generic", "en") not in answers[0]
    async with app.session() as session:
        [answer] = (await session.exec(select(PulseAnswer))).all()
    assert (answer.user_id, answer.score) == (CAROL, 2)
