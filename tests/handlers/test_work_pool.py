"""Bounded listener work (bot/workpool.py), end to end through the signed endpoint: a flood past the bound is
answered "busy, try again" in the ack itself and writes nothing; every command admitted is carried out and
answered; no request goes unacknowledged. One aiohttp session for every Slack call (bot/services.SharedHttp).
English and Chinese; SQLite and PostgreSQL (TEST_DATABASE_URL).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlmodel import func, select

from bot.workpool import WorkPool
from storage.models import Risk
from tests.harness.app import Liaison, reply_text, running_liaison


class GatedPool(WorkPool):
    """A pool whose workers start only when the test opens the gate, so what is admitted stays admitted."""

    def __init__(self, *, workers: int, max_pending: int) -> None:
        super().__init__(workers=workers, max_pending=max_pending)
        self.gate = asyncio.Event()

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        await self.gate.wait()
        async with super().turn():
            yield


async def _risks(app: Liaison) -> int:
    async with app.session() as session:
        return int((await session.exec(select(func.count()).select_from(Risk))).one())


async def _settled(pool: WorkPool) -> None:
    """Replies go out before a listener's task ends (the journal row is removed after): wait for the end."""
    for _ in range(500):
        if pool.admitted == 0 and pool.running == 0:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"work still admitted: {pool.admitted}, running: {pool.running}")


def _ack_text(response: Any) -> str:
    return str(response.json().get("text", "")) if response.content else ""


async def test_a_flood_past_the_bound_is_answered_busy_and_nothing_is_lost(app: Liaison) -> None:
    pool = GatedPool(workers=1, max_pending=3)
    app.svc.work = pool
    before = await _risks(app)

    # Three are admitted (held at the gate), two more are past the bound: every one is acked at once.
    sent = await asyncio.gather(*(app.send_command("/risk", f"add Flood risk {i} p:3 i:4") for i in range(3)))
    assert all(response.status_code == 200 and _ack_text(response) == "" for response, _ in sent)
    assert pool.admitted == 3
    busy_en, _ = await app.send_command("/risk", "add One too many p:3 i:4")
    busy_zh, _ = await app.send_command("/risk", '添加 "太多了" 概率:高 影响:4')
    assert busy_en.status_code == 200 and busy_zh.status_code == 200
    assert "busy right now" in _ack_text(busy_en) and "nothing was changed" in _ack_text(busy_en)
    assert busy_en.json().get("response_type") == "ephemeral"
    assert "太忙" in _ack_text(busy_zh) and "没有做任何修改" in _ack_text(busy_zh)
    assert pool.refused == 2

    # Open the gate: the three admitted are carried out and answered; the busy ones wrote nothing.
    pool.gate.set()
    for _response, form in sent:
        key = form["response_url"].rsplit("/", 1)[-1]
        calls = await app.wait_for("response_url", where=lambda c, key=key: c.args.get("_key") == key)
        assert "R-" in reply_text(calls[-1].args)
    assert await _risks(app) == before + 3
    await _settled(pool)
    assert pool.peak == 3 and pool.peak_running == 1

    # Once drained, the next command is admitted again, in either language.
    again = await app.command("/risk", '添加 "又来了" 概率:高 影响:4')
    assert "R-" in reply_text(again)
    assert await _risks(app) == before + 4


async def test_work_runs_on_at_most_the_pools_workers(app: Liaison) -> None:
    app.svc.work = pool = WorkPool(workers=2, max_pending=64)
    replies = await asyncio.gather(
        *(app.command("/risk", f"add Parallel risk {i} p:2 i:2") for i in range(8))
    )
    assert all("R-" in reply_text(r) for r in replies)
    await _settled(pool)
    assert pool.peak_running == 2 and pool.refused == 0
    assert await _risks(app) >= 8


def test_the_pool_refuses_a_bound_below_its_workers() -> None:
    with pytest.raises(ValueError):
        WorkPool(workers=4, max_pending=2)


async def test_one_http_session_for_every_slack_call(app: Liaison, monkeypatch: pytest.MonkeyPatch) -> None:
    """Web API calls (users.info, conversations.info, chat.postMessage) and response_url replies all go
    through the one session opened at start: no aiohttp session is created per call."""
    shared = app.svc.http.session
    assert shared is not None and not shared.closed
    assert app.runtime.app.client.session is shared
    created: list[aiohttp.ClientSession] = []
    original = aiohttp.ClientSession.__init__

    def counting(self: aiohttp.ClientSession, *args: Any, **kwargs: Any) -> None:
        created.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(aiohttp.ClientSession, "__init__", counting)
    app.svc.users._cache.clear()  # make the commands ask Slack again
    app.svc.channels._cache.clear()
    calls_before = len(app.fake.calls)
    for text in ("add Session risk p:3 i:4 owner:<@U0BOB|bob>", '添加 "会话风险" 概率:高 影响:4'):
        assert "R-" in reply_text(await app.command("/risk", text))
    assert "R-" in reply_text(await app.command("/risk", "list"))
    methods = {c.method for c in app.fake.calls[calls_before:]}
    assert "response_url" in methods and "conversations.info" in methods, methods
    assert created == []
    assert app.svc.http.session is shared and not shared.closed


async def test_the_shared_session_lives_from_start_to_stop(database_url: str) -> None:
    async with running_liaison(database_url) as liaison:
        session = liaison.svc.http.session
        assert session is not None and not session.closed
    assert session.closed and liaison.svc.http.session is None
    assert liaison.runtime.app.client.session is None  # after stop, a stray call would open its own


async def test_the_ack_never_waits_for_slack(app: Liaison, monkeypatch: pytest.MonkeyPatch) -> None:
    """users.info and conversations.info happen after the ack: a command is acked while both are stuck."""
    release = asyncio.Event()
    facts, get = app.svc.channels.facts, app.svc.users.get

    async def stuck_facts(*args: Any, **kwargs: Any) -> Any:
        await release.wait()
        return await facts(*args, **kwargs)

    async def stuck_get(*args: Any, **kwargs: Any) -> Any:
        await release.wait()
        return await get(*args, **kwargs)

    monkeypatch.setattr(app.svc.channels, "facts", stuck_facts)
    monkeypatch.setattr(app.svc.users, "get", stuck_get)
    response, form = await asyncio.wait_for(
        app.send_command("/risk", "add Acked while Slack is slow p:3 i:4 owner:<@U0BOB|bob>"), 5
    )
    assert response.status_code == 200 and _ack_text(response) == ""
    key = form["response_url"].rsplit("/", 1)[-1]
    assert not [c for c in app.fake.calls_to("response_url") if c.args.get("_key") == key]
    release.set()
    calls = await app.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    assert "R-" in reply_text(calls[-1].args)


async def test_a_copy_of_a_command_being_carried_out_is_acked_plainly_never_busy(
    app: Liaison, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack sends a command again when its ack was lost (a Socket Mode reconnect): while this process is
    carrying out the first copy, the second is acked — never "busy, nothing was changed", which would be false
    once the first copy stores it, even when the pool is full — and the record is stored once."""
    from urllib.parse import urlencode

    pool = GatedPool(workers=1, max_pending=1)  # the first copy fills it
    app.svc.work = pool
    before = await _risks(app)
    first, form = await app.send_command("/risk", "add Sent twice p:3 i:4")
    assert first.status_code == 200 and _ack_text(first) == "" and pool.admitted == 1
    again = await app.post(urlencode(form).encode(), content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200 and _ack_text(again) == ""  # not "busy": the first copy will store it
    other, _ = await app.send_command("/risk", "add Someone else p:3 i:4")
    assert "busy right now" in _ack_text(other)  # the bound still holds for other commands
    pool.gate.set()
    key = form["response_url"].rsplit("/", 1)[-1]
    answers = await app.wait_for("response_url", count=2, where=lambda c: c.args.get("_key") == key)
    assert any("Added R-" in reply_text(a.args) for a in answers)
    await _settled(pool)
    assert await _risks(app) == before + 1
