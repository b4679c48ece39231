"""Requests Slack did not send, or sent more than once (issue 15), through the signed HTTP endpoint.

- forged: signed with another secret, tampered after signing, unsigned → 401, nothing stored or answered;
- stale: correctly signed more than 5 minutes away from now, either way → 401 (Slack's replay window,
  https://api.slack.com/authentication/verifying-requests-from-slack);
- replayed: the very same signed request again inside the window → answered, acted on once (request key);
- Slack's event retries (`X-Slack-Retry-Num` / `X-Slack-Retry-Reason`, up to 3) → acted on once (event_id);
- a channel that became shared after an internal digest was scheduled for it → not posted, the team told once.
Each prints what it tried and what held (`-s`).
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode

import httpx
from sqlmodel import select

from storage.models import AuditLog, Risk
from tests.handlers.conftest import SHANGHAI, START
from tests.harness.app import (
    ALICE,
    CAROL,
    INTERNAL_CHANNEL,
    PLAIN_CHANNEL,
    SIGNING_SECRET,
    Clock,
    Liaison,
    reply_text,
    running_liaison,
)
from tests.harness.signing import signed_headers

FORM = "application/x-www-form-urlencoded"
WINDOW = 5 * 60  # seconds


async def _project(app: Liaison) -> None:
    await app.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:en')


async def _risks(app: Liaison) -> list[Risk]:
    async with app.session() as session:
        return list((await session.exec(select(Risk))).all())


async def _audit(app: Liaison) -> int:
    async with app.session() as session:
        return len((await session.exec(select(AuditLog).where(AuditLog.action == "risk.create"))).all())


async def _send(app: Liaison, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return await app.http.post(f"{app.url}/slack/events", content=body, headers=headers)


def _risk_body(app: Liaison, title: str) -> tuple[bytes, str]:
    form = app.command_form("/risk", f"add {title} p:2 i:3")
    return urlencode(form).encode(), form["response_url"].rsplit("/", 1)[-1]


def _answers(app: Liaison, key: str) -> int:
    return len([c for c in app.fake.calls_to("response_url") if c.args.get("_key") == key])


async def test_forged_and_stale_requests_are_refused_and_change_nothing(liaison: Liaison) -> None:
    await _project(liaison)
    now = int(time.time())
    tried: dict[str, int] = {}
    keys: list[str] = []
    cases: dict[str, tuple[bytes, dict[str, str]]] = {}

    body, key = _risk_body(liaison, "Forged by another secret")
    cases["other secret"] = (body, signed_headers("not-the-signing-secret", body, content_type=FORM))
    keys.append(key)
    body, key = _risk_body(liaison, "Tampered")
    headers = signed_headers(SIGNING_SECRET, body, content_type=FORM)
    cases["tampered body"] = (body.replace(b"Tampered", b"Tampered+and+more"), headers)
    keys.append(key)
    body, key = _risk_body(liaison, "Unsigned")
    cases["no signature"] = (body, {"Content-Type": FORM})
    keys.append(key)
    body, key = _risk_body(liaison, "Garbage signature")
    cases["garbage signature"] = (
        body,
        {**signed_headers(SIGNING_SECRET, body, content_type=FORM), "X-Slack-Signature": "v0=00"},
    )
    keys.append(key)
    for label, offset in (("stale, 6 min old", -WINDOW - 60), ("from the future, +6 min", WINDOW + 60)):
        body, key = _risk_body(liaison, label.split(",")[0].title())
        cases[label] = (body, signed_headers(SIGNING_SECRET, body, content_type=FORM, timestamp=now + offset))
        keys.append(key)

    for label, (body, headers) in cases.items():
        tried[label] = (await _send(liaison, body, headers)).status_code
    await asyncio.sleep(0.3)  # anything wrongly acted on would have answered by now

    body, key = _risk_body(liaison, "Four minutes old")
    accepted = await _send(
        liaison, body, signed_headers(SIGNING_SECRET, body, content_type=FORM, timestamp=now - 4 * 60)
    )
    await liaison.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    answered = sum(_answers(liaison, k) for k in keys)
    titles = [r.title for r in await _risks(liaison)]
    print(
        f"\n[chaos] forged/stale requests: {', '.join(f'{k} → {v}' for k, v in tried.items())}; "
        f"stored {len(titles) - 1}, answered {answered}; a 4-minute-old signed one → {accepted.status_code}"
    )
    assert set(tried.values()) == {401}
    assert titles == ["Four minutes old"] and answered == 0 and accepted.status_code == 200


async def test_a_replayed_request_is_answered_and_acted_on_once(liaison: Liaison) -> None:
    """Someone (or a proxy) sends the very same signed request again within the 5 minutes."""
    await _project(liaison)
    body, key = _risk_body(liaison, "Replayed once")
    headers = signed_headers(SIGNING_SECRET, body, content_type=FORM)
    statuses = [(await _send(liaison, body, headers)).status_code for _ in range(3)]
    statuses += [
        r.status_code for r in await asyncio.gather(*(_send(liaison, body, headers) for _ in range(3)))
    ]
    await liaison.wait_for("response_url", where=lambda c: c.args.get("_key") == key)
    await asyncio.sleep(0.5)
    risks = await _risks(liaison)
    audit = await _audit(liaison)
    print(
        f"\n[chaos] replayed request: sent 6 times (3 in a row, 3 at once) → {statuses}; "
        f"risks stored {len(risks)}, audit entries {audit}, answers {_answers(liaison, key)}"
    )
    assert set(statuses) == {200}
    assert [r.title for r in risks] == ["Replayed once"] and audit == 1


def _home_opened(event_id: str, user: str) -> bytes:
    return json.dumps(
        {
            "token": "x",
            "team_id": "T0HOME",
            "api_app_id": "A0LIAISON",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"},
        }
    ).encode()


async def test_slacks_event_retries_are_acted_on_once(liaison: Liaison) -> None:
    """Slack retries an event up to 3 times (X-Slack-Retry-Num 1..3, with a reason) when it saw no answer
    within 3 s; each user's App Home is published once per event, whatever the order the copies arrive in."""
    await _project(liaison)
    statuses: list[int] = []
    for n, user in enumerate((ALICE, CAROL)):
        body = _home_opened(f"EvRETRY{n}", user)
        first = _send(liaison, body, signed_headers(SIGNING_SECRET, body, content_type="application/json"))
        retries = [
            _send(
                liaison,
                body,
                {
                    **signed_headers(SIGNING_SECRET, body, content_type="application/json"),
                    "X-Slack-Retry-Num": str(num),
                    "X-Slack-Retry-Reason": reason,
                },
            )
            for num, reason in ((1, "http_timeout"), (2, "http_error"), (3, "http_timeout"))
        ]
        statuses += [r.status_code for r in await asyncio.gather(first, *retries)]
    await liaison.wait_for("views.publish", count=2)
    await asyncio.sleep(0.5)
    published = [c.args["user_id"] for c in liaison.fake.calls_to("views.publish")]
    print(
        f"\n[chaos] event retries: 2 events × (original + 3 retries) → {statuses}; "
        f"App Home published {published.count(ALICE)}× for Alice, {published.count(CAROL)}× for Carol"
    )
    assert set(statuses) == {200}
    assert sorted(published) == sorted([ALICE, CAROL])


MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)


async def test_a_channel_shared_after_an_internal_digest_was_scheduled_gets_nothing(
    database_url: str,
) -> None:
    """Scheduled while the channel was the team's own; by the time it is due, a client organisation is in it.
    In Chinese: the team is told in its language, once, however often the scheduler runs."""
    clock = Clock(START)
    async with running_liaison(database_url, clock=clock) as app:
        await app.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:zh')
        scheduled = reply_text(
            await app.command("/digest", f"every monday 9am internal to:<#{PLAIN_CHANNEL}|random>")
        )
        assert "S-1" in scheduled, scheduled
        app.fake.add_channel(PLAIN_CHANNEL, name="random", is_ext_shared=True, members=(ALICE, CAROL))
        for minutes in (0, 1, 5):
            clock.now = MONDAY_9AM + timedelta(minutes=minutes)
            await app.svc.runner.run_all()
        into_shared = [
            c for c in app.fake.calls_to("chat.postMessage") if c.args.get("channel") == PLAIN_CHANNEL
        ]
        reports = [
            m
            for m in app.fake.messages(INTERNAL_CHANNEL)
            if "S-1" in reply_text(m) and "未能发送" in reply_text(m)
        ]
        print(
            f"\n[chaos] channel shared after an internal digest was scheduled: due and run 3 times; posts into "
            f"the shared channel {len(into_shared)}, reports to the team {len(reports)} (zh)"
        )
        assert into_shared == [] and len(reports) == 1
