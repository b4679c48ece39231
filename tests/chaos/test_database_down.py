"""The database out of reach: the command is not acked as accepted; the user reads a short "try again" in
their language, ephemeral, and nothing is written. When it comes back, commands work again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlmodel import select

from storage.models import Risk
from tests.harness.app import Liaison, reply_text

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


async def test_a_command_while_the_database_is_down_is_refused_in_the_users_language(
    liaison: Liaison,
) -> None:
    await liaison.command("/project", SETUP)
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
