"""Digest composition, pure: the status rule, the period, what changed, Slack's limits, and the leak property.

Slack's limits (https://api.slack.com/reference/block-kit/blocks): 50 blocks a message, 3,000 characters
of text a section, 150 a header.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import REGISTRY
from bot.domain.digest import (
    ChartData,
    DigestAudience,
    DigestData,
    DigestRequest,
    Lens,
    OverallStatus,
    Period,
    chart_data,
    client_owned,
    compose,
    lens_for,
    overall_status,
    period_since,
    read_request,
)
from bot.domain.kinds import BY_NAME
from bot.domain.milestones import MilestoneStatus
from bot.errors import UsageError
from bot.grammar import parse_command
from bot.policy import Place, Viewer, visible, visible_in
from handlers.builders.common import MAX_BLOCKS, SECTION_LIMIT
from handlers.builders.digest import build_digest, build_fallback_text, content_hash
from handlers.builders.home import HomeAction, HomeData, HomeProject, build_home
from storage.models import (
    ActionItem,
    CheckinAnswer,
    Decision,
    Issue,
    Milestone,
    MilestoneSlip,
    Minutes,
    PulseAnswer,
    Risk,
    SignOff,
    Stakeholder,
)

HOME, CLIENT_TEAM = "T0HOME", "T0ACME"
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
PERIOD = Period(start=NOW - timedelta(days=7), end=NOW)
IN = NOW - timedelta(days=2)
TODAY = date(2026, 11, 30)
SHARED = Place(channel_id="C0SHARED", shared=True, client_channel=True)
TEAM = Place(channel_id="C0TEAM", shared=False)
DIGEST = REGISTRY["/digest"]


def data(**records: Any) -> DigestData:
    values: dict[str, Any] = {
        "project_name": "ACME ERP",
        "client_name": "ACME",
        "lang": "en",
        "tz": "Asia/Shanghai",
        "home_team_id": HOME,
        "period": PERIOD,
    }
    values.update(records)
    return DigestData(**values)


def risk(number: int, vis: str = "client", p: int = 3, i: int = 3, **kw: Any) -> Risk:
    kw.setdefault("created_at", NOW - timedelta(days=30))
    kw.setdefault("title", f"Risk {number}")
    return Risk(
        id=number,
        project_id=1,
        number=number,
        visibility=vis,
        probability=p,
        impact=i,
        created_by="U1",
        **kw,
    )


def milestone(
    number: int, planned: date, forecast: date | None = None, vis: str = "client", **kw: Any
) -> Milestone:
    return Milestone(
        id=number,
        project_id=1,
        number=number,
        visibility=vis,
        title=f"Milestone {number}",
        planned_on=planned,
        forecast_on=forecast or planned,
        created_by="U1",
        **kw,
    )


def action(number: int, vis: str = "client", **kw: Any) -> ActionItem:
    return ActionItem(
        id=number, project_id=1, number=number, visibility=vis, text=f"Action {number}", created_by="U1", **kw
    )


def text_of(text: str, blocks: list[dict[str, Any]]) -> str:
    return text + "\n" + json.dumps(blocks, ensure_ascii=False)


# ---- rules -----------------------------------------------------------------------------------------------


def test_overall_status_rule() -> None:
    from bot.domain.digest import MilestoneRow

    def row(status: MilestoneStatus) -> MilestoneRow:
        return MilestoneRow(milestone(1, TODAY), status)

    assert overall_status([], []) is OverallStatus.ON_TRACK
    assert overall_status([row(MilestoneStatus.ON_TRACK)], [risk(1, p=4, i=3)]) is OverallStatus.ON_TRACK
    assert overall_status([], [risk(1, p=4, i=4)]) is OverallStatus.AT_RISK  # critical
    assert overall_status([row(MilestoneStatus.AT_RISK)], []) is OverallStatus.AT_RISK
    late = [row(MilestoneStatus.AT_RISK), row(MilestoneStatus.LATE)]
    assert overall_status(late, [risk(1, p=5, i=5)]) is OverallStatus.LATE


def test_an_internal_critical_risk_does_not_colour_the_client_status() -> None:
    found = data(open_risks=[risk(1, "internal", 5, 5), risk(2, "client", 2, 2)])
    assert (
        compose(found, lens_for(DigestAudience.CLIENT, SHARED), DigestAudience.CLIENT).status
        is OverallStatus.ON_TRACK
    )
    assert (
        compose(found, lens_for(DigestAudience.INTERNAL, TEAM), DigestAudience.INTERNAL).status
        is OverallStatus.AT_RISK
    )


def test_client_owned_means_another_organisation_or_a_named_person() -> None:
    assert client_owned(action(1, owner_user_id="U9", owner_team_id=CLIENT_TEAM), home_team_id=HOME)
    assert client_owned(action(2, owner_name="Dave at ACME"), home_team_id=HOME)
    assert not client_owned(action(3, owner_user_id="U1", owner_team_id=HOME), home_team_id=HOME)
    assert not client_owned(action(4), home_team_id=HOME)


def test_the_period_runs_from_the_last_digest_else_seven_days() -> None:
    assert period_since(None, NOW) == Period(NOW - timedelta(days=7), NOW)
    last = NOW - timedelta(days=3)
    assert period_since(last, NOW) == Period(last, NOW)
    assert period_since(NOW + timedelta(hours=1), NOW) == Period(NOW - timedelta(days=7), NOW)


def test_a_client_digest_is_filtered_wherever_it_goes() -> None:
    lens = lens_for(DigestAudience.CLIENT, TEAM)
    assert lens.client_audience
    assert [r.number for r in lens.admit([risk(1, "internal"), risk(2)])] == [2]
    assert not lens_for(DigestAudience.INTERNAL, TEAM).client_audience
    external = Viewer(user_id="U9", team_id=CLIENT_TEAM, home_team_id=HOME)
    assert Lens(target=TEAM, viewer=external, here=TEAM).client_audience


# ---- composition --------------------------------------------------------------------------------------------


def test_actions_split_into_waiting_on_the_client_overdue_due_soon_and_done() -> None:
    found = data(
        actions_open_due=[
            action(1, owner_user_id="U9", owner_team_id=CLIENT_TEAM, due_on=TODAY - timedelta(days=2)),
            action(2, owner_user_id="U1", owner_team_id=HOME, due_on=TODAY - timedelta(days=1)),
            action(3, owner_user_id="U1", owner_team_id=HOME, due_on=TODAY + timedelta(days=3)),
            action(
                4, owner_user_id="U1", owner_team_id=HOME, due_on=TODAY + timedelta(days=30)
            ),  # not soon: left out
        ],
        actions_done=[
            action(5, status="done", done_at=IN),
            action(6, status="done", done_at=NOW - timedelta(days=9)),
        ],
    )
    digest = compose(found, lens_for(DigestAudience.CLIENT, SHARED), DigestAudience.CLIENT)
    assert [a.number for a in digest.waiting_on_client] == [1]
    assert [a.number for a in digest.overdue] == [2]
    assert [a.number for a in digest.due_soon] == [3]
    assert [a.number for a in digest.actions_done] == [5]
    assert digest.summary["overdue"] == 2


@pytest.mark.parametrize(
    ("lang", "three_days", "since_today"),
    [("en", "overdue 3 days (due", "overdue since today (due"), ("zh", "逾期 3 天，", "今天已逾期，")],
)
def test_overdue_items_show_their_age_and_a_due_time_counts(
    lang: str, three_days: str, since_today: str
) -> None:
    # NOW is Monday 30 Nov, 09:00 in Shanghai.
    at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC) - timedelta(hours=8)  # 08:00 in Shanghai: an hour ago
    found = data(
        lang=lang,
        actions_open_due=[
            action(2, owner_user_id="U1", owner_team_id=HOME, due_on=TODAY - timedelta(days=3)),
            action(3, owner_user_id="U1", owner_team_id=HOME, due_on=TODAY, due_at=at),
            action(
                4, owner_user_id="U1", owner_team_id=HOME, due_on=TODAY, due_at=at + timedelta(hours=9)
            ),  # 17:00 today
        ],
    )
    digest = compose(found, lens_for(DigestAudience.INTERNAL, TEAM), DigestAudience.INTERNAL)
    assert [a.number for a in digest.overdue] == [2, 3]
    assert [a.number for a in digest.due_soon] == [4]
    assert digest.summary["overdue"] == 2
    text = text_of(*build_digest(digest))
    rows = re.split(r"\\n|\n", text)  # lines of the blocks' text, escaped in their JSON
    lines = {n: next(row for row in rows if f"Action {n}" in row) for n in (2, 3, 4)}
    assert three_days in lines[2], lines
    assert since_today in lines[3], lines
    assert "overdue" not in lines[4] and "逾期" not in lines[4], lines


def test_milestones_slips_and_their_reasons() -> None:
    uat = milestone(1, date(2026, 12, 10), date(2026, 12, 15))
    slip = MilestoneSlip(
        id=1,
        milestone_id=1,
        from_on=date(2026, 12, 10),
        to_on=date(2026, 12, 15),
        reason="vendor is late",
        by_user_id="U1",
        at=IN,
    )
    found = data(
        open_milestones=[uat, milestone(2, date(2026, 11, 20))],
        done_milestones=[milestone(3, date(2026, 11, 25), done_on=date(2026, 11, 26))],
        slips=[(slip, uat)],
    )
    client = compose(found, lens_for(DigestAudience.CLIENT, SHARED), DigestAudience.CLIENT)
    assert [(r.ref, r.status) for r in client.upcoming] == [
        ("MS-2", MilestoneStatus.LATE),
        ("MS-1", MilestoneStatus.AT_RISK),
    ]
    assert client.status is OverallStatus.LATE
    assert [r.ref for r in client.done] == ["MS-3"]
    text = text_of(*build_digest(client))
    assert "MS-1" in text and "10 Dec" in text and "vendor is late" not in text  # reasons stay with the team
    team = compose(found, lens_for(DigestAudience.INTERNAL, TEAM), DigestAudience.INTERNAL)
    assert "vendor is late" in text_of(*build_digest(team))


def test_progress_for_the_team_and_only_the_average_for_the_client() -> None:
    answers = [
        CheckinAnswer(
            id=1, occurrence_id=1, project_id=1, user_id="U1", progress=50, blockers="legal", answered_at=IN
        ),
        CheckinAnswer(id=2, occurrence_id=1, project_id=1, user_id="U2", progress=90, answered_at=IN),
        CheckinAnswer(
            id=3,
            occurrence_id=1,
            project_id=1,
            user_id="U3",
            progress=10,
            answered_at=NOW - timedelta(days=20),
        ),
    ]
    team = compose(data(checkins=answers), lens_for(DigestAudience.INTERNAL, TEAM), DigestAudience.INTERNAL)
    assert team.progress is not None and (team.progress.average, team.progress.reports) == (70, 2)
    assert team.progress.blockers == (("U1", "legal"),)
    client = compose(data(checkins=answers), lens_for(DigestAudience.CLIENT, SHARED), DigestAudience.CLIENT)
    assert client.progress is not None and (client.progress.reporters, client.progress.blockers) == ((), ())
    text = text_of(*build_digest(client))
    assert "70%" in text and "legal" not in text and "U1" not in text


def test_what_changed_since_the_last_digest() -> None:
    lens = lens_for(DigestAudience.CLIENT, SHARED)
    first = compose(data(open_risks=[risk(1), risk(2)]), lens, DigestAudience.CLIENT)
    assert first.change.first
    closed = risk(2, status="closed", closed_at=IN)
    second = compose(
        data(open_risks=[risk(1, p=4, i=4)], closed_risks=[closed], previous=first.summary),
        lens,
        DigestAudience.CLIENT,
    )
    assert not second.change.first and second.change.open_risks_before == 2
    text = text_of(*build_digest(second))
    assert (
        "on track → At risk".lower() in text.lower()
        and "open risks 2 → 1" in text
        and "Closed: `R-2`" in text
    )


def test_a_team_summary_is_never_compared_with_a_client_view() -> None:
    team = compose(
        data(open_risks=[risk(1, "internal"), risk(2)]),
        lens_for(DigestAudience.INTERNAL, TEAM),
        DigestAudience.INTERNAL,
    )
    external = Viewer(user_id="U9", team_id=CLIENT_TEAM, home_team_id=HOME)
    lens = Lens(target=TEAM, viewer=external, here=TEAM)
    preview = compose(
        data(open_risks=[risk(1, "internal"), risk(2)], previous=team.summary), lens, DigestAudience.INTERNAL
    )
    assert preview.change.first  # "open risks 2 → 1" would tell the client about the internal one


def test_an_empty_period_says_so() -> None:
    digest = compose(data(), lens_for(DigestAudience.CLIENT, SHARED), DigestAudience.CLIENT)
    assert digest.is_empty
    text, blocks = build_digest(digest)
    assert "Nothing to report" in text_of(text, blocks) and len(blocks) <= 5


def test_long_lists_fit_slack_and_count_only_what_the_audience_may_see() -> None:
    long = "x" * 290
    risks = [risk(n, "client" if n % 3 == 0 else "internal", 4, 4, response=long) for n in range(1, 151)]
    risks = [Risk(**{**r.model_dump(), "title": f"{long} {r.number}"}) for r in risks]
    actions = [
        action(
            n,
            "client" if n % 2 else "internal",
            due_on=TODAY - timedelta(days=1),
            owner_user_id="U1",
            owner_team_id=HOME,
        )
        for n in range(1, 121)
    ]
    actions = [ActionItem(**{**a.model_dump(), "text": long * 10}) for a in actions]
    digest = compose(
        data(open_risks=risks, actions_open_due=actions),
        lens_for(DigestAudience.CLIENT, SHARED),
        DigestAudience.CLIENT,
    )
    assert len(digest.top_risks) == 50 and len(digest.overdue) == 60
    text, blocks = build_digest(digest, charts_as_text=True)
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= SECTION_LIMIT
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
    rendered = text_of(text, blocks)
    assert "…and 45 more" in rendered  # 50 client risks, 5 shown
    assert re.search(r"…and 5\d more", rendered)  # 60 client actions, a few shown


def test_user_text_is_escaped_and_never_pings() -> None:
    evil = risk(1, title="<!channel> & <@U999> <https://evil|click>")
    text, blocks = build_digest(
        compose(data(open_risks=[evil]), lens_for(DigestAudience.CLIENT, SHARED), DigestAudience.CLIENT)
    )
    rendered = text_of(text, blocks)
    assert "<!channel>" not in rendered and "<@U999>" not in rendered and "&lt;!channel&gt; &amp;" in rendered


def test_chinese_digest() -> None:
    found = data(
        lang="zh", open_risks=[risk(1, p=4, i=4)], open_milestones=[milestone(1, date(2026, 12, 10))]
    )
    text, blocks = build_digest(
        compose(found, lens_for(DigestAudience.CLIENT, SHARED), DigestAudience.CLIENT)
    )
    rendered = text_of(text, blocks)
    assert "致 ACME 的进展简报" in rendered and "有风险" in rendered and "12月10日" in rendered


def test_content_hash_is_of_exactly_the_text_and_blocks() -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "a"}}]
    assert content_hash("x", blocks) == content_hash("x", [dict(b) for b in blocks])
    assert content_hash("x", blocks) != content_hash("y", blocks)


# ---- the command's words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("preview", DigestRequest()),
        ("preview client", DigestRequest(audience=DigestAudience.CLIENT)),
        ("now [internal] charts:off", DigestRequest(audience=DigestAudience.INTERNAL, charts=False)),
        (
            "now 客户 to:<#C0SHARED|acme-shared>",
            DigestRequest(audience=DigestAudience.CLIENT, channel_id="C0SHARED"),
        ),
        (
            "every monday 9am to:<#C0PLAIN|random> internal",
            DigestRequest(audience=DigestAudience.INTERNAL, channel_id="C0PLAIN", rule_text="monday 9am"),
        ),
        ("每周一上午9点 客户", DigestRequest(audience=DigestAudience.CLIENT, rule_text="每周一上午9点")),
    ],
)
def test_read_request(text: str, expected: DigestRequest) -> None:
    parsed = parse_command(DIGEST, text)
    assert read_request(parsed, example="x", wants_rule=parsed.sub.name == "every") == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("preview client internal", "digest.two_audiences"),
        ("now charts:maybe", "digest.bad_charts"),
        ("now tomorrow", "grammar.unexpected_text"),
        ("every client", "digest.need_rule"),
        ("now to:<#C1|a> <#C2|b>", "digest.one_channel"),
    ],
)
def test_read_request_mistakes(text: str, key: str) -> None:
    parsed = parse_command(DIGEST, text)
    with pytest.raises(UsageError) as err:
        read_request(parsed, example="x", wants_rule=parsed.sub.name == "every")
    assert err.value.key == key


# ---- sign-offs ---------------------------------------------------------------------------------------------


def version(n: int, record: Any, status: str = "waiting", **kw: Any) -> SignOff:
    decided = status in ("approved", "remarks", "rejected")
    kw.setdefault("decided_at", IN if decided else None)
    return SignOff(
        id=n,
        project_id=1,
        subject=kw.pop("subject", "milestone"),
        subject_id=record.id or 0,
        version=kw.pop("version", 1),
        title=record.title,
        content=f"content {n}",
        content_hash=f"h{n}",
        requested_by="U1",
        requested_at=kw.pop("requested_at", NOW - timedelta(days=8)),
        status=status,
        decided_by="U9" if decided else None,
        **kw,
    )


def test_signoffs_waiting_and_decided_as_the_client_and_the_team_read_them() -> None:
    shared, secret, late = milestone(1, TODAY), milestone(2, TODAY, vis="internal"), milestone(3, TODAY)
    shared.title, secret.title, late.title = "UAT sign-off", "SECRET rehearsal", "Go-live"
    rows = [
        (version(1, shared, requested_at=datetime(2026, 11, 25, 2, 0, tzinfo=UTC)), shared),  # Wed 10:00
        (version(2, secret), secret),
        (version(3, secret, "rejected", remarks="SECRET reason"), secret),
        (version(4, late, "rejected", remarks="Totals <differ>"), late),
        (
            version(5, late, "approved", version=2, decided_at=NOW - timedelta(days=9)),
            late,
        ),  # before the period
        (version(6, shared, "superseded"), shared),
    ]
    found = data(signoffs=rows, holidays="CN")
    client = compose(found, lens_for(DigestAudience.CLIENT, SHARED), DigestAudience.CLIENT)
    assert [(r.ref, r.signoff.id) for r in client.signoffs_waiting] == [("MS-1", 1)]
    assert [(r.ref, r.signoff.id) for r in client.signoffs_decided] == [("MS-3", 4)]
    assert client.signoffs_waiting[0].waiting_days == 3  # Thu, Fri, Mon in Shanghai
    text = text_of(
        *build_digest(client, links={1: "https://acme.slack.com/archives/C0SHARED/p1", 2: "SECRET"})
    )
    assert "Waiting for your sign-off" in text
    assert (
        "• `MS-1` UAT sign-off — version 1 · sent Wed 25 Nov · <https://acme.slack.com/archives/C0SHARED/p1|see the message>"
        in text
    )
    assert "ACME rejected `MS-3`: Totals &lt;differ&gt;" in text
    assert "SECRET" not in text and "MS-2" not in text and "content" not in text
    unlinked = text_of(*build_digest(client))
    assert "The buttons are on the message it was sent in." in unlinked
    team = compose(found, Lens(target=TEAM), DigestAudience.INTERNAL)
    assert [r.ref for r in team.signoffs_waiting] == ["MS-2", "MS-1"]  # oldest first
    team_text = text_of(*build_digest(team))
    assert "Waiting for ACME's sign-off" in team_text
    assert "`MS-1` UAT sign-off — version 1 · waiting on the client, 3 working days" in team_text
    assert "ACME rejected `MS-2`: SECRET reason" in team_text
    assert team.summary["signoffs_waiting"] == 2 and client.summary["signoffs_waiting"] == 1


def test_only_decided_signoffs_make_a_digest_worth_posting() -> None:
    accepted = milestone(1, TODAY)
    digest = compose(
        data(signoffs=[(version(1, accepted, "approved"), accepted)]),
        lens_for(DigestAudience.CLIENT, SHARED),
        DigestAudience.CLIENT,
    )
    assert not digest.is_empty
    text = text_of(*build_digest(digest))
    assert "The first digest of this kind: no earlier one to compare with. ACME accepted `MS-1`" in text


def test_minutes_versions_keep_to_their_own_list_and_read_as_confirmed() -> None:
    sent = Minutes(
        id=1,
        project_id=1,
        number=1,
        visibility="client",
        title="Weekly sync",
        meeting_on=TODAY,
        created_by="U1",
    )
    asked = Minutes(
        id=2, project_id=1, number=2, visibility="client", title="Kick-off", meeting_on=TODAY, created_by="U1"
    )
    rows = [
        (version(1, sent, subject="minutes"), sent),
        (version(2, asked, "rejected", subject="minutes", remarks="Add the dates"), asked),
        (version(3, sent, "approved", subject="minutes", version=2), sent),
    ]
    digest = compose(data(signoffs=rows), lens_for(DigestAudience.CLIENT, SHARED), DigestAudience.CLIENT)
    assert digest.signoffs_waiting == ()  # waiting minutes are listed, with their buttons, under `awaiting`
    text = text_of(*build_digest(digest))
    assert "ACME asked for changes to `M-2`: Add the dates" in text and "ACME confirmed `M-1`" in text


def test_accepted_milestones_on_the_timeline_and_in_its_text() -> None:
    reached = milestone(1, TODAY, done_on=TODAY - timedelta(days=1), accepted_at=IN)
    delivered = milestone(2, TODAY, done_on=TODAY - timedelta(days=1))
    digest = compose(data(done_milestones=[reached, delivered]), Lens(target=TEAM), DigestAudience.INTERNAL)
    rows = {r.ref: r.accepted for r in chart_data(digest).timeline}
    assert rows == {"MS-1": True, "MS-2": False}
    text = text_of(*build_digest(digest, charts_as_text=True))
    assert "MS-1: done Sun 29 Nov, accepted by the client" in text and "MS-2: done Sun 29 Nov" in text
    zh = text_of(
        *build_digest(
            compose(data(lang="zh", done_milestones=[reached]), Lens(target=TEAM), DigestAudience.INTERNAL),
            charts_as_text=True,
        )
    )
    assert "客户已验收" in zh


# ---- App Home ------------------------------------------------------------------------------------------------


def test_home_view_stays_within_100_blocks() -> None:
    many = [HomeAction(action(n, due_on=TODAY), "ACME ERP") for n in range(1, 80)]
    projects = [HomeProject(f"P{n}", "C", OverallStatus.ON_TRACK, None, ()) for n in range(1, 40)]
    view = build_home(HomeData(lang="en", actions=many, checkins=[], projects=projects))
    assert view["type"] == "home" and len(view["blocks"]) <= 100  # type: ignore[arg-type]
    assert "…and 64 more" in json.dumps(view, ensure_ascii=False)


# ---- the leak property --------------------------------------------------------------------------------------


@dataclass
class World:
    """Random records; every text carries a unique marker, and `forbidden` lists what a client must not see."""

    records: dict[str, list[Any]] = field(default_factory=dict)
    forbidden: set[str] = field(default_factory=set)  # markers and refs of internal records and fields
    links: dict[int, str] = field(default_factory=dict)  # permalinks of sign-off messages, by version id
    counter: int = 0

    def marker(self) -> str:
        self.counter += 1
        return f"MK{self.counter:04d}X"


KINDS = (
    "risk",
    "closed_risk",
    "milestone",
    "done_milestone",
    "slip",
    "action",
    "done_action",
    "decision",
    "minutes",
    "awaiting",
    "checkin",
    "issue",
)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    world = World()
    numbers: dict[str, int] = {}
    for _ in range(draw(st.integers(min_value=0, max_value=40))):
        kind = draw(st.sampled_from(KINDS))
        internal = draw(st.booleans())
        vis = "internal" if internal else "client"
        text = world.marker()
        day = TODAY + timedelta(days=draw(st.integers(min_value=-20, max_value=20)))
        at = NOW - timedelta(hours=draw(st.integers(min_value=1, max_value=24 * 10)))
        owner = draw(st.sampled_from([("U1", HOME, None), ("U9", CLIENT_TEAM, None), (None, None, "name")]))
        owner_name = world.marker() if owner[2] else None

        def number(prefix: str) -> tuple[int, str]:
            numbers[prefix] = numbers.get(prefix, 0) + 1
            return numbers[prefix], f"{prefix}-{numbers[prefix]}"

        record: Any
        if kind in ("risk", "closed_risk"):
            n, ref = number("R")
            response = world.marker()
            closed = kind == "closed_risk"
            record = Risk(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                title=text,
                probability=draw(st.integers(1, 5)),
                impact=draw(st.integers(1, 5)),
                owner_user_id=owner[0],
                owner_team_id=owner[1],
                owner_name=owner_name,
                response=response,
                status="closed" if closed else "open",
                closed_at=at if closed else None,
                created_at=at,
                created_by="U1",
            )
            extra = [response]
            world.records.setdefault("closed_risks" if closed else "open_risks", []).append(record)
        elif kind in ("milestone", "done_milestone", "slip"):
            n, ref = number("MS")
            done = kind == "done_milestone"
            record = Milestone(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                title=text,
                planned_on=day,
                forecast_on=day + timedelta(days=draw(st.integers(0, 9))),
                done_on=day if done else None,
                created_by="U1",
            )
            extra = []
            world.records.setdefault("done_milestones" if done else "open_milestones", []).append(record)
            extra += _signoffs(draw, world, record, at)
            if kind == "slip":
                reason = world.marker()
                world.forbidden.add(reason)  # slip reasons are the team's, even on client milestones
                slip = MilestoneSlip(
                    id=n,
                    milestone_id=n,
                    from_on=day,
                    to_on=record.forecast_on,
                    reason=reason,
                    by_user_id="U1",
                    at=at,
                )
                world.records.setdefault("slips", []).append((slip, record))
        elif kind in ("action", "done_action"):
            n, ref = number("A")
            done = kind == "done_action"
            record = ActionItem(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                text=text,
                owner_user_id=owner[0],
                owner_team_id=owner[1],
                owner_name=owner_name,
                due_on=day,
                status="done" if done else "open",
                done_at=at if done else None,
                created_by="U1",
            )
            extra = []
            world.records.setdefault("actions_done" if done else "actions_open_due", []).append(record)
        elif kind == "decision":
            n, ref = number("D")
            record = Decision(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                text=text,
                decided_on=day,
                created_at=at,
                created_by="U1",
            )
            extra = []
            world.records.setdefault("decisions", []).append(record)
        elif kind in ("minutes", "awaiting"):
            n, ref = number("M")
            awaiting = kind == "awaiting"
            record = Minutes(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                title=text,
                meeting_on=day,
                created_at=at,
                created_by="U1",
                sent_hash="h" if awaiting else None,
            )
            extra = []
            world.records.setdefault("awaiting" if awaiting else "minutes", []).append(record)
        elif kind == "issue":  # a kind the registry lists generically (Shown.OPEN)
            n, ref = number("I")
            record = Issue(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                title=text,
                severity=draw(st.sampled_from(["critical", "high", "medium", "low"])),
                owner_user_id=owner[0],
                owner_team_id=owner[1],
                owner_name=owner_name,
                due_at=at + timedelta(days=3),
                status=draw(st.sampled_from(["open", "resolved"])),
                raised_by="U1",
                created_by="U1",
            )
            extra = []
            issues = world.records.setdefault("open_records", [(BY_NAME["issue"], [])])
            issues[0][1].append(record)
        else:
            answer = CheckinAnswer(
                id=world.counter,
                occurrence_id=1,
                project_id=1,
                user_id="U1",
                progress=draw(st.integers(0, 100)),
                blockers=text,
                done=world.marker(),
                answered_at=at,
            )
            world.forbidden.add(text)  # check-ins carry no visibility: their words are the team's
            world.records.setdefault("checkins", []).append(answer)
            continue
        if internal:
            world.forbidden |= {text, ref, *extra}
            if owner_name:
                world.forbidden.add(owner_name)
    # Satisfaction pulses reach a digest only as the team's trend of averages: never in a client view.
    trend = draw(st.lists(st.integers(10, 50).map(lambda v: v / 10), max_size=5))
    world.records["pulse_trend"] = trend
    if trend:
        world.forbidden |= {"Client satisfaction", "客户满意度", " ← ".join(f"{v:.1f}" for v in trend)}
    return world


SIGNOFF_STATUSES = ("waiting", "approved", "remarks", "rejected", "superseded")


def _signoffs(draw: st.DrawFn, world: World, milestone: Milestone, at: datetime) -> list[str]:
    """Versions sent for the client's word about `milestone`, whatever its visibility is now (it may have been
    made internal after it was sent); returns their words, which are forbidden when the milestone is internal."""
    words: list[str] = []
    for version in range(1, draw(st.integers(0, 2)) + 1):
        status = draw(st.sampled_from(SIGNOFF_STATUSES))
        decided = status in ("approved", "remarks", "rejected")
        content, remarks, link = world.marker(), world.marker(), world.marker()
        row = SignOff(
            id=world.counter,
            project_id=1,
            subject="milestone",
            subject_id=milestone.id or 0,
            version=version,
            title=world.marker(),
            content=content,
            content_hash=content,
            requested_by="U1",
            requested_at=at,
            channel_id="C0SHARED",
            message_ts="1.2",
            status=status,
            decided_by="U9" if decided else None,
            decided_at=at + timedelta(hours=draw(st.integers(0, 30))) if decided else None,
            remarks=remarks if decided else "",
        )
        world.links[row.id or 0] = f"https://acme.slack.com/archives/C0SHARED/p{link}"
        world.forbidden.add(content)  # the version's text is never repeated in a digest
        world.forbidden.add(row.title)  # nor its stored title: the record's current one is shown
        world.records.setdefault("signoffs", []).append((row, milestone))
        words += [remarks, link]
    return words


def _leaks(world: World, rendered: str) -> list[str]:
    found = []
    for item in world.forbidden:
        pattern = (
            rf"(?<![\w-]){re.escape(item)}(?!\d)" if re.fullmatch(r"[A-Z]+-\d+", item) else re.escape(item)
        )
        if re.search(pattern, rendered):
            found.append(item)
    return found


def _chart_labels(charts: ChartData) -> str:
    return " ".join([r for cell in charts.heat for r in cell.refs] + [row.ref for row in charts.timeline])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    world=worlds(),
    asked=st.sampled_from(list(DigestAudience)),
    as_text=st.booleans(),
    lang=st.sampled_from(["en", "zh"]),
    previous_first=st.booleans(),
)
def test_nothing_internal_ever_reaches_a_shared_channel(
    world: World, asked: DigestAudience, as_text: bool, lang: str, previous_first: bool
) -> None:
    """Whatever the digest was asked to be, a shared channel gets no internal record's id or words:
    not in the blocks, the notification text, the charts' labels, nor the summary kept for next time."""
    found = data(lang=lang, **world.records)
    lens = lens_for(asked, Place(channel_id="C0SHARED", shared=True))
    if previous_first:
        found = data(lang=lang, previous=compose(found, lens, asked).summary, **world.records)
    digest = compose(found, lens, asked)
    assert digest.client_view
    text, blocks = build_digest(digest, charts_as_text=as_text, links=world.links)
    rendered = "\n".join(
        [
            text,
            json.dumps(blocks, ensure_ascii=False),
            build_fallback_text(digest),
            _chart_labels(chart_data(digest)),
            json.dumps(digest.summary, ensure_ascii=False),
        ]
    )
    assert not _leaks(world, rendered), _leaks(world, rendered)
    assert len(blocks) <= MAX_BLOCKS


def test_the_team_digest_shows_the_satisfaction_trend() -> None:
    found = data(pulse_trend=[4.2, 3.8, 4.0], open_risks=[risk(1)])
    _text, blocks = build_digest(
        compose(found, lens_for(DigestAudience.INTERNAL, TEAM), DigestAudience.INTERNAL)
    )
    assert "Client satisfaction (newest first): 4.2 ← 3.8 ← 4.0" in json.dumps(blocks, ensure_ascii=False)
    zh = data(lang="zh", pulse_trend=[4.2], open_risks=[risk(1)])
    _text, blocks = build_digest(
        compose(zh, lens_for(DigestAudience.INTERNAL, TEAM), DigestAudience.INTERNAL)
    )
    assert "客户满意度（最新在前）：4.2" in json.dumps(blocks, ensure_ascii=False)


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(0, 6),
    external=st.booleans(),
    shared=st.booleans(),
    client_channel=st.booleans(),
)
def test_stakeholders_and_pulse_answers_never_reach_a_client_view(
    n: int, external: bool, shared: bool, client_channel: bool
) -> None:
    """The register and each person's score are the team's: internal rows, which the policy never lets a client
    (another organisation, or any client-facing place) see, whatever the team typed on them."""
    rows: list[Any] = []
    for i in range(n):
        rows.append(Stakeholder(id=i, project_id=1, user_id="U9", name=f"MK{i}", role="CIO", created_by="U1"))
        rows.append(PulseAnswer(id=i, pulse_id=1, user_id="U9", team_id=CLIENT_TEAM, score=1 + i % 5))
    place = Place(channel_id="C1", shared=shared, client_channel=client_channel)
    viewer = Viewer(
        user_id="U9" if external else "U1", team_id=CLIENT_TEAM if external else HOME, home_team_id=HOME
    )
    if external or place.client_facing:
        assert visible(viewer, place, rows) == []
    if place.client_facing:
        assert visible_in(place, rows) == []
    assert all(r.visibility == "internal" for r in rows)
