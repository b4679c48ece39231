"""The issue log, pure: severities in English and Chinese, response targets in hours and working days, when an
issue escalates, the order of the list, and the leak property (a client never reads an internal issue)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import issues as domain
from bot.domain.issues import Reason, Severity
from bot.errors import UsageError
from bot.policy import Place, Viewer, visible
from handlers.builders.issues import build_client_ack, build_issue_card, build_issue_list, build_panel
from storage.models import Issue, Project

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOME, CLIENT_TEAM = "T0HOME", "T0ACME"
TUESDAY = datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI).astimezone(UTC)


def project(**kw: Any) -> Project:
    values: dict[str, Any] = {
        "id": 1,
        "workspace_id": 1,
        "name": "ERP",
        "client_name": "ACME",
        "tz": "Asia/Shanghai",
        "lang": "en",
        "created_by": "U0LEAD",
    }
    values.update(kw)
    return Project(**values)


def issue(number: int = 1, severity: str = "medium", **kw: Any) -> Issue:
    values: dict[str, Any] = {
        "id": number,
        "project_id": 1,
        "number": number,
        "title": f"Issue {number}",
        "severity": severity,
        "raised_by": "U0CAROL",
        "created_by": "U0CAROL",
        "created_at": TUESDAY,
        "updated_at": TUESDAY,
    }
    values.update(kw)
    return Issue(**values)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("critical", Severity.CRITICAL),
        ("致命", Severity.CRITICAL),
        ("紧急", Severity.CRITICAL),
        ("High", Severity.HIGH),
        ("严重", Severity.HIGH),
        ("高", Severity.HIGH),
        ("medium", Severity.MEDIUM),
        ("一般", Severity.MEDIUM),
        ("low", Severity.LOW),
        ("轻微", Severity.LOW),
    ],
)
def test_severity_words(word: str, expected: Severity) -> None:
    assert domain.parse_severity(word) is expected


def test_an_unknown_severity_names_the_word_and_gives_the_example() -> None:
    with pytest.raises(UsageError) as err:
        domain.parse_severity("huge")
    assert err.value.key == "issue.bad_severity" and err.value.example == domain.ADD_EXAMPLE


def test_targets_read_merge_and_refuse() -> None:
    assert domain.read_targets("critical=2h,high=3d") == {"critical": "2h", "high": "3d"}
    assert domain.read_targets("致命=1小时，高=2天") == {"critical": "1h", "high": "2d"}
    assert domain.read_targets("default") == {}
    for bad in ("critical", "critical=soon", "critical=0h", "huge=2h", "low=99d"):
        with pytest.raises(UsageError):
            domain.read_targets(bad)
    targets = domain.targets_of(project(issue_targets={"high": "2d", "low": "junk"}))
    assert (str(targets[Severity.HIGH]), str(targets[Severity.LOW]), str(targets[Severity.CRITICAL])) == (
        "2d",
        "5d",
        "4h",
    )


def test_targets_count_hours_on_the_clock_and_working_days_in_the_calendar() -> None:
    p = project()
    assert domain.target_at(issue(severity="critical"), p) == TUESDAY + timedelta(hours=4)
    friday = datetime(2026, 11, 27, 8, 0, tzinfo=SHANGHAI).astimezone(UTC)
    assert domain.target_at(issue(severity="medium"), p) == friday
    next_tuesday = datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI).astimezone(UTC)
    assert domain.target_at(issue(severity="low"), p) == next_tuesday
    # China's National Day week: raised on 30 September, one working day later is 8 October (a make-up day
    # falls inside the holiday in some years; the project's calendar decides)
    before_holiday = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI).astimezone(UTC)
    cn = project(holidays="CN")
    due = domain.target_at(issue(severity="high", created_at=before_holiday), cn).astimezone(SHANGHAI)
    assert due.date() > date(2026, 10, 7) and due.hour == 10


def test_escalation_reasons() -> None:
    p = project()
    fresh = issue(severity="critical")
    assert domain.escalation_reason(fresh, p, TUESDAY + timedelta(hours=3, minutes=59)) is None
    assert domain.escalation_reason(fresh, p, TUESDAY + timedelta(hours=4)) is Reason.NO_RESPONSE
    answered = issue(severity="critical", first_response_at=TUESDAY + timedelta(minutes=5))
    assert domain.escalation_reason(answered, p, TUESDAY + timedelta(days=30)) is None
    late = issue(first_response_at=TUESDAY, due_at=TUESDAY + timedelta(days=1))
    assert domain.escalation_reason(late, p, TUESDAY + timedelta(days=1)) is Reason.OVERDUE
    done = issue(status="resolved", due_at=TUESDAY)
    assert domain.escalation_reason(done, p, TUESDAY + timedelta(days=9)) is None
    once = issue(severity="critical", escalated_at=TUESDAY + timedelta(hours=4))
    assert domain.escalation_reason(once, p, TUESDAY + timedelta(days=9)) is None


def test_the_list_is_by_severity_then_age() -> None:
    rows = [
        issue(1, "low", created_at=TUESDAY),
        issue(2, "high", created_at=TUESDAY + timedelta(hours=2)),
        issue(3, "critical", created_at=TUESDAY + timedelta(hours=3)),
        issue(4, "high", created_at=TUESDAY + timedelta(hours=1)),
        issue(5, "critical", status="resolved"),
    ]
    assert [i.number for i in domain.by_severity(rows)] == [3, 4, 2, 1, 5]


def test_client_facing_texts_speak_in_buttons_and_slack_dates() -> None:
    text, blocks = build_panel(project(), "en")
    assert "run /" not in text and "/issue" not in json.dumps(blocks)
    ack, _ = build_client_ack(issue(severity="high"), "zh", respond_by=TUESDAY)
    assert f"<!date^{int(TUESDAY.timestamp())}^" in ack and "|2026-11-24 00:00 UTC>" in ack


# ---- the leak property --------------------------------------------------------------------------------------


@dataclass
class World:
    issues: list[Issue] = field(default_factory=list)
    forbidden: set[str] = field(default_factory=set)
    shared: set[str] = field(default_factory=set)
    counter: int = 0

    def marker(self) -> str:
        self.counter += 1
        return f"MK{self.counter:04d}X"


@st.composite
def worlds(draw: st.DrawFn) -> World:
    world = World()
    for n in range(1, draw(st.integers(min_value=0, max_value=18)) + 1):
        internal = draw(st.booleans())
        title, description, resolution, owner = (world.marker() for _ in range(4))
        resolved = draw(st.booleans())
        row = issue(
            n,
            draw(st.sampled_from([str(s) for s in Severity])),
            title=title,
            description=description,
            resolution=resolution if resolved else "",
            status="resolved" if resolved else "open",
            owner_name=owner,
            visibility="internal" if internal else "client",
            kind=draw(st.sampled_from(["issue", "question"])),
            created_at=TUESDAY - timedelta(hours=draw(st.integers(0, 500))),
            due_at=TUESDAY + timedelta(hours=draw(st.integers(-50, 50))) if draw(st.booleans()) else None,
        )
        world.issues.append(row)
        if internal:
            world.forbidden |= {title, description, resolution, owner, f"I-{n}"}
        else:
            world.shared.add(title)
    return world


CLIENT = Viewer(user_id="U0CAROL", team_id=CLIENT_TEAM, home_team_id=HOME)
TEAM_IN_SHARED = Viewer(user_id="U0ALICE", team_id=HOME, home_team_id=HOME)
SHARED_PLACE = Place(channel_id="C0SHARED", shared=True, client_channel=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.sampled_from(["en", "zh"]), st.sampled_from([CLIENT, TEAM_IN_SHARED]))
def test_no_internal_issue_reaches_the_client(world: World, lang: str, viewer: Viewer) -> None:
    """Whatever the log holds, what a client (or anyone in the shared channel) reads of it — the list for every
    filter, each issue's card — names no internal issue and none of its text, and shows every shared one."""
    seen = visible(viewer, SHARED_PLACE, world.issues)
    shown: list[str] = []
    for flt in domain.IssueFilter:
        chosen = [i for i in domain.by_severity(seen) if flt is domain.IssueFilter.ALL or i.status == "open"]
        listing = domain.Listing(issues=chosen[: domain.LIST_LIMIT], total=len(chosen))
        reply = build_issue_list(listing, lang, flt=flt, tz="Asia/Shanghai", client_facing=True)
        shown.append(reply.text + json.dumps(reply.blocks, ensure_ascii=False))
    for row in seen:
        shown.append(json.dumps(build_issue_card(row, lang, tz="UTC", team_view=False), ensure_ascii=False))
    everything = "\n".join(shown)
    for secret in world.forbidden:
        if secret.startswith("I-"):
            assert f"*{secret}*" not in everything and f'"{secret}"' not in everything
        else:
            assert secret not in everything
    for title in world.shared:
        assert title in everything
