"""The database out of reach: the command is not acked as accepted; the user reads a short "try again" in
their language, ephemeral, and nothing is written. When it comes back, commands work again."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from storage.models import CommandJournal, Risk
from tests.chaos.harness import key_of
from tests.harness.app import Liaison, reply_text, running_liaison

SETUP = 'setup name:"ACME ERP rollout" client:"ACME" tz:Asia/Shanghai lang:en'


@contextmanager
def database_down(liaison: Liaison) -> Iterator[None]:
    """Every new connection is refused (the pooled ones are closed first), as when the server is gone."""
    engine = liaison.svc.engine.sync_engine
    original = engine.pool

    class Unreachable(type(original)):  # type: ignore[misc]
        def connect(self) -> Any:
            raise ConnectionRefusedError("database down")

    engine.pool = Unreachable.__new__(Unreachable)
    engine.pool.__dict__.update(original.__dict__)
    try:
        yield
    finally:
        engine.pool = original


async def journal_empty(liaison: Liaison) -> None:
    for _ in range(250):
        async with liaison.session() as s:
            if not (await s.exec(select(CommandJournal))).all():
                return
        await asyncio.sleep(0.02)
    raise AssertionError("the command journal did not empty")


async def test_a_command_while_the_database_is_down_is_refused_in_the_users_language(
    liaison: Liaison,
) -> None:
    await liaison.command("/project", SETUP)
    await journal_empty(liaison)  # the setup's work is over (its journal row goes last)
    await liaison.svc.engine.dispose()
    with database_down(liaison):
        english, _ = await liaison.send_command("/risk", "add Network freeze p:3 i:4")
        chinese, _ = await liaison.send_command("/risk", "添加 网络冻结 p:3 i:4")
    for response in (english, chinese):
        assert response.status_code == 200  # Slack shows the answer instead of "failed with the error…"
        assert response.json()["response_type"] == "ephemeral"
    assert "The database is not reachable right now — try again in a minute" in reply_text(english.json())
    assert "数据库暂时无法连接，请一分钟后再试" in reply_text(chinese.json())
    async with liaison.session() as s:
        assert (await s.exec(select(Risk))).all() == []
    reply = await liaison.command("/risk", "add Network freeze p:3 i:4")  # back: it works again
    assert "Added R-1" in reply_text(reply)


async def test_a_saturated_database_answers_busy_within_the_ack_and_keeps_nothing(database_url: str) -> None:
    """The journal's write waits at most JOURNAL_ACK_SECONDS; past it the user reads "busy, try again" (en, zh)
    well inside Slack's 3 s, and the write that lands later is undone: never carried out behind their back."""
    async with running_liaison(database_url, settings_overrides={"journal_ack_seconds": 1.0}) as liaison:
        await liaison.command("/project", SETUP)
        async with liaison.svc.sessions.begin() as session:  # SQLite: its one connection is ours
            conn = await session.connection()
            if conn.dialect.name == "postgresql":
                await conn.execute(text("LOCK TABLE commandjournal IN ACCESS EXCLUSIVE MODE"))
            english, en_form = await liaison.send_command("/risk", "add Network freeze p:3 i:4")
            chinese, zh_form = await liaison.send_command("/risk", "添加 网络冻结 p:3 i:4")
        for response in (english, chinese):
            assert response.status_code == 200 and response.elapsed.total_seconds() < 2.5
            assert response.json()["response_type"] == "ephemeral"
        assert "Liaison is busy right now; nothing was changed" in reply_text(english.json())
        assert "现在太忙" in reply_text(chinese.json())
        await journal_empty(liaison)  # the late writes are undone as soon as they land
        assert await liaison.runtime.replayer.run_once() == 0  # nothing left for a replay to carry out
        keys = {key_of(en_form), key_of(zh_form)}
        reply = await liaison.command("/risk", "list")
        assert "Network freeze" not in reply_text(reply) and "网络冻结" not in reply_text(reply)
        assert not [c for c in liaison.fake.calls_to("response_url") if c.args.get("_key") in keys]
        async with liaison.session() as s:
            assert (await s.exec(select(Risk))).all() == []
