"""Events API: Slack's retries of one event are acted on once."""

from __future__ import annotations

import json

from sqlmodel import select

from storage.models import ProcessedRequest
from tests.harness.app import ALICE, Liaison


def _event(event_id: str) -> bytes:
    return json.dumps(
        {
            "token": "x",
            "team_id": "T0HOME",
            "api_app_id": "A0LIAISON",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1790000000,
            "event": {
                "type": "app_mention",
                "user": ALICE,
                "text": "hi",
                "channel": "C0INTERNAL",
                "ts": "1.0",
            },
        }
    ).encode()


async def test_a_retried_event_is_claimed_once(liaison: Liaison) -> None:
    first = await liaison.post(_event("Ev1"), content_type="application/json")
    retry = await liaison.post(
        _event("Ev1"),
        content_type="application/json",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert retry.status_code == 200
    assert first.status_code in (200, 404)  # 404: no listener for app_mention; still claimed
    async with liaison.session() as s:
        keys = [r.key for r in (await s.exec(select(ProcessedRequest))).all()]
    assert keys.count("event:Ev1") == 1


async def test_url_verification_is_answered(liaison: Liaison) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}).encode()
    response = await liaison.post(body, content_type="application/json")
    assert response.status_code == 200 and "abc123" in response.text
