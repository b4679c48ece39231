"""The HTTP endpoint as Slack reaches it: signatures, replay protection, health."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlencode

import pytest
from sqlmodel import select

from bot import runtime
from storage.models import ActionItem, AuditLog, Project, Workspace
from tests.harness.app import Liaison, reply_text, running_liaison

SETUP = 'setup name:"ACME ERP rollout" client:"ACME" tz:Asia/Shanghai lang:en'


async def _rows(liaison: Liaison) -> tuple[int, int, int]:
    async with liaison.session() as s:
        return (
            len((await s.exec(select(Workspace))).all()),
            len((await s.exec(select(Project))).all()),
            len((await s.exec(select(AuditLog))).all()),
        )


async def test_signed_command_round_trip(liaison: Liaison) -> None:
    reply = await liaison.command("/liaison", "help")
    text = reply_text(reply)
    assert "/project setup" in text
    assert reply["response_type"] == "ephemeral"
    assert liaison.fake.calls_to("auth.test"), "Bolt learns the installing team through auth.test"


async def _refused(liaison: Liaison, body: bytes, headers: dict[str, str]) -> int:
    response = await liaison.http.post(f"{liaison.url}/slack/events", content=body, headers=headers)
    return response.status_code


async def test_bad_missing_and_stale_signatures_get_401_and_write_nothing(liaison: Liaison) -> None:
    form = liaison.command_form("/project", SETUP)
    body = urlencode(form).encode()
    ctype = "application/x-www-form-urlencoded"

    wrong = liaison.secret
    liaison.secret = "not-the-secret"
    assert (await liaison.post(body, content_type=ctype)).status_code == 401
    liaison.secret = wrong

    assert await _refused(liaison, body, {"Content-Type": ctype}) == 401
    ts = str(int(time.time()))
    assert await _refused(liaison, body, {"Content-Type": ctype, "X-Slack-Request-Timestamp": ts}) == 401

    stale = int(time.time()) - 6 * 60
    assert (await liaison.post(body, content_type=ctype, timestamp=stale)).status_code == 401

    tampered = body.replace(b"ACME", b"EVIL")
    from tests.harness.signing import signed_headers

    headers = signed_headers(liaison.secret, body, content_type=ctype)
    assert await _refused(liaison, tampered, headers) == 401

    assert await _rows(liaison) == (0, 0, 0)
    assert not liaison.fake.calls_to("response_url")


async def test_healthz_names_database_and_scheduler(liaison: Liaison) -> None:
    response = await liaison.http.get(f"{liaison.url}/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["database"]["ok"] is True
    assert report["database"]["dialect"] in {"sqlite", "postgresql"}
    assert report["scheduler"]["running"] is True


async def test_healthz_is_503_when_the_database_is_unreachable(liaison: Liaison) -> None:
    await liaison.svc.engine.dispose()
    liaison.svc.engine.url  # noqa: B018 - the engine object stays; we break what it points at
    broken = liaison.svc.engine.sync_engine
    original = broken.pool

    class Unreachable(type(original)):  # type: ignore[misc]
        def connect(self):  # type: ignore[no-untyped-def]
            raise ConnectionRefusedError("database down")

    broken.pool = Unreachable.__new__(Unreachable)
    broken.pool.__dict__.update(original.__dict__)
    try:
        response = await liaison.http.get(f"{liaison.url}/healthz")
        assert response.status_code == 503
        assert response.json()["database"]["ok"] is False
    finally:
        broken.pool = original


async def test_healthz_and_a_dated_command_are_answered_while_the_warm_up_still_runs(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time parser's warm-up runs behind the start: held here, the app still answers."""
    release, warmed = threading.Event(), threading.Event()

    def held_warm_up() -> None:
        release.wait(30)
        warmed.set()

    monkeypatch.setattr(runtime, "_warm_up", held_warm_up)
    try:
        async with running_liaison(database_url) as app:
            assert (await app.http.get(f"{app.url}/healthz")).status_code == 200
            await app.command("/project", SETUP)
            reply = reply_text(await app.command("/action", "add Send the plan due:2026-12-04"))
            assert "A-1" in reply
            async with app.session() as s:
                [item] = (await s.exec(select(ActionItem))).all()
            assert item.due_on is not None and item.due_on.isoformat() == "2026-12-04"
            assert not warmed.is_set()
            release.set()
            await app.runtime.warmed()
            assert warmed.is_set()
    finally:
        release.set()
