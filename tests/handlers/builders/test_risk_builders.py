"""Risk and milestone builders, alone: valid Block Kit within Slack's limits, user text escaped, and
nothing for the team only in what the client audience gets.

Limits: https://docs.slack.dev/reference/block-kit/blocks (50 blocks per message, section text ≤ 3,000,
header ≤ 150, modal title/submit/close ≤ 24).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from bot.domain.milestones import Detail as MilestoneDetail
from bot.domain.milestones import Listing as MilestoneListing
from bot.domain.milestones import MilestoneStatus, Row
from bot.domain.risks import Detail, Listing, RiskFilter, Saved
from handlers import ids
from handlers.builders.milestones import build_milestone_detail, build_milestone_list
from handlers.builders.risks import build_risk_detail, build_risk_list, build_risk_modal, build_risk_saved
from storage.models import AuditLog, Milestone, MilestoneSlip, Risk
from tests.harness.app import reply_text
from tests.harness.fake_slack import validate_blocks, validate_view

EVIL = "<!channel> <@U0BOB> <https://evil.example|x> & co"


def risk(number: int = 7, *, title: str = EVIL, p: int = 4, i: int = 4, **kw: object) -> Risk:
    values: dict[str, object] = {
        "project_id": 1,
        "number": number,
        "title": title,
        "probability": p,
        "impact": i,
        "created_by": "U0ALICE",
        "response": EVIL,
        "owner_name": EVIL,
        "visibility": "client",
    }
    values.update(kw)
    return Risk(**values)  # type: ignore[arg-type]


def entry(action: str, changes: dict[str, object]) -> AuditLog:
    return AuditLog(
        workspace_id=1,
        project_id=1,
        actor_user_id="U0ALICE",
        action=action,
        record_ref="R-7",
        changes=changes,
        at=datetime(2026, 12, 1, 1, 30, tzinfo=UTC),
    )


def assert_inert(text: str) -> None:
    assert "<!channel>" not in text and "<@U0BOB>" not in text  # `<https://…|x>`: a link Slack made stays one


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_long_list_stays_within_limits_and_counts_the_rest(lang: str) -> None:
    risks = [risk(n, title="x" * 300) for n in range(1, 61)]
    reply = build_risk_list(Listing(risks=risks, total=75), lang, flt=RiskFilter.ALL, search=EVIL)
    kwargs = reply.as_kwargs()
    assert validate_blocks(kwargs["blocks"], surface="message") == []
    assert len(kwargs["blocks"]) <= 50
    shown = sum(1 for b in kwargs["blocks"] if b.get("accessory"))
    last = kwargs["blocks"][-1]["elements"][0]["text"]
    assert str(75 - shown) in last
    assert_inert(reply_text(kwargs))
    assert len(kwargs["text"]) <= 3000


def test_list_rows_offer_details_with_the_reference() -> None:
    reply = build_risk_list(Listing(risks=[risk(3)], total=1), "en", flt=RiskFilter.OPEN, search="")
    [row] = [b for b in reply.blocks if b.get("accessory")]
    assert (row["accessory"]["action_id"], row["accessory"]["value"]) == (ids.RISK_SHOW, "R-3")
    assert "R-3" in reply.text


def test_empty_list_says_how_to_add() -> None:
    reply = build_risk_list(Listing(risks=[], total=0), "zh", flt=RiskFilter.HIGH, search="")
    assert "/risk add" in reply_text(reply.as_kwargs())


def test_saved_reply_escapes_everything_but_a_real_owner() -> None:
    reply = build_risk_saved(Saved(risk=risk(owner_user_id="U0CAROL")), "en", verb="created", team_view=True)
    text = reply_text(reply.as_kwargs())
    assert_inert(text)
    assert "&lt;!channel&gt;" in text and "&amp; co" in text
    assert "<@U0CAROL>" in text
    assert validate_blocks(reply.blocks, surface="message") == []


def test_detail_for_the_client_hides_visibility_actors_and_old_values() -> None:
    history = [
        entry("risk.create", {"title": "secret", "request": "cmd:1"}),
        entry("risk.update", {"title": ["Vendor X is hopeless", "Vendor staffing"], "probability": [4, 2]}),
        entry("risk.close", {"note": "internal musing"}),
    ]
    detail = Detail(risk=risk(), history=history, earlier=3)
    client = reply_text(build_risk_detail(detail, "en", tz="Asia/Shanghai", team_view=False).as_kwargs())
    team = reply_text(build_risk_detail(detail, "en", tz="Asia/Shanghai", team_view=True).as_kwargs())
    for hidden in ("U0ALICE", "hopeless", "internal musing", "Visibility", "4 → 2", "cmd:1"):
        assert hidden not in client
    assert "Tue 1 Dec 2026 09:30" in client  # local out: 01:30 UTC in Shanghai
    assert "<@U0ALICE>" in team and "Probability 4 → 2" in team and "internal musing" in team
    assert "hopeless" not in team and "cmd:1" not in team  # text changes are named, not quoted
    assert "3 earlier" in team
    assert_inert(team)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_form_is_a_valid_modal(lang: str) -> None:
    view = build_risk_modal(lang, metadata=json.dumps({"channel": "C1", "project": 1, "lang": lang}))
    assert validate_view(view) == []
    assert view["callback_id"] == ids.RISK_MODAL
    block_ids = [b["block_id"] for b in view["blocks"]]
    assert block_ids == [
        ids.RISK_TITLE,
        ids.RISK_P,
        ids.RISK_I,
        ids.RISK_OWNER,
        ids.RISK_DUE,
        ids.RISK_STRATEGY,
        ids.RISK_RESPONSE,
        ids.RISK_SHARE,
    ]
    kinds = [b["element"]["type"] for b in view["blocks"]]
    assert kinds == [
        "plain_text_input",
        "static_select",
        "static_select",
        "users_select",
        "datepicker",
        "static_select",
        "plain_text_input",
        "checkboxes",
    ]


def milestone(number: int, **kw: object) -> Milestone:
    values: dict[str, object] = {
        "project_id": 1,
        "number": number,
        "title": EVIL,
        "planned_on": date(2026, 12, 15),
        "forecast_on": date(2027, 1, 10),
        "created_by": "U0ALICE",
    }
    values.update(kw)
    return Milestone(**values)  # type: ignore[arg-type]


def test_milestone_list_limits_and_escaping() -> None:
    rows = [Row(milestone(n), MilestoneStatus.AT_RISK) for n in range(1, 70)]
    reply = build_milestone_list(MilestoneListing(rows=rows, total=69), "en", open_only=False)
    assert validate_blocks(reply.blocks, surface="message") == []
    assert len(reply.as_kwargs()["blocks"]) <= 50
    text = reply_text(reply.as_kwargs())
    assert_inert(text)
    assert "Planned Tue 15 Dec 2026 · Forecast Sun 10 Jan 2027" in text
    assert "…and 21 more." in text


def test_milestone_detail_shows_slips_and_hides_reasons_from_the_client() -> None:
    slip = MilestoneSlip(
        milestone_id=1,
        from_on=date(2026, 12, 15),
        to_on=date(2027, 1, 10),
        reason="our dev left <!here>",
        by_user_id="U0ALICE",
        at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    detail = MilestoneDetail(
        milestone=milestone(2), status=MilestoneStatus.AT_RISK, slips=[slip], history=[], earlier=0
    )
    team = reply_text(build_milestone_detail(detail, "en", tz="UTC", team_view=True).as_kwargs())
    client = reply_text(build_milestone_detail(detail, "en", tz="UTC", team_view=False).as_kwargs())
    assert "Tue 15 Dec 2026 → Sun 10 Jan 2027" in team and "our dev left &lt;!here&gt;" in team
    assert "Tue 15 Dec 2026 → Sun 10 Jan 2027" in client
    assert "our dev" not in client and "U0ALICE" not in client
