"""The database goes away under an acked command's work (a restart, a fail-over): the command is kept, so it
waits for the database instead of answering "try again" — that answer would be false (its journal row stays,
and a replay would carry it out) and the user's retry a duplicate. A short outage is not even mentioned; a
longer one gets a note in the user's language, then the result. Stored once."""

from __future__ import annotations

import contextlib

import pytest
from sqlmodel import select

from handlers.commands import runner
from storage.models import Risk
from tests.chaos.harness import key_of
from tests.chaos.test_database_down import SETUP, database_down, journal_empty
from tests.harness.app import Liaison, reply_text


@pytest.mark.parametrize(
    ("text", "kept_note", "added"),
    [
        ("add Network freeze p:3 i:4", "Your command is kept", "Added R-1"),
        ("添加 网络冻结 p:3 i:4", "你的命令已保存", "R-1"),
    ],
)
async def test_an_acked_command_waits_for_the_database_and_is_carried_out_once(
    liaison: Liaison, monkeypatch: pytest.MonkeyPatch, text: str, kept_note: str, added: str
) -> None:
    monkeypatch.setattr(runner, "DATABASE_QUIET_SECONDS", 0.2)
    monkeypatch.setattr(runner, "DATABASE_PAUSE_SECONDS", (0.02, 0.05))
    await liaison.command("/project", SETUP)
    await journal_empty(liaison)
    work = liaison.svc.work
    async with contextlib.AsyncExitStack() as held:  # every worker busy: the command is acked, then waits
        for _ in range(work.workers):
            await held.enter_async_context(work.turn())
        response, form = await liaison.send_command("/risk", text)
        assert response.status_code == 200 and not response.text.strip()  # acked: journaled, kept
        await liaison.svc.engine.dispose()
        with database_down(liaison):
            await held.aclose()  # its turn comes while the database is gone
            key = key_of(form)
            note = await liaison.wait_for(
                "response_url",
                where=lambda c: c.args.get("_key") == key and kept_note in str(c.args.get("text", "")),
                timeout=30,
            )
            assert note[-1].args["response_type"] == "ephemeral"
        answered = await liaison.wait_for(  # back: carried out by the same process, no restart
            "response_url",
            where=lambda c: c.args.get("_key") == key and added in str(c.args.get("text", "")),
            timeout=30,
        )
    texts = [reply_text(c.args) for c in liaison.fake.calls_to("response_url") if c.args.get("_key") == key]
    assert len(texts) == 2 and kept_note in texts[0] and added in texts[1]  # the note once, then the result
    assert not any("try again" in t or "一分钟后再试" in t for t in texts)
    assert answered
    async with liaison.session() as s:
        assert len((await s.exec(select(Risk))).all()) == 1
    await journal_empty(liaison)
