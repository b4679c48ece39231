"""The close-out report, pure: one composition in two views, its figures, and the leak property (the client
view, its Markdown, its preview blocks and the text the client signs hold no internal record, field or lesson)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from bot.charts import PNG_MAGIC
from bot.domain.closeout import CloseoutData, compose, occurred, signoff_content
from bot.domain.digest import Lens
from bot.i18n import t
from bot.pdf import printable
from bot.policy import Place
from bot.reports.closeout import render_files, render_markdown, render_pdf
from bot.timeexpr.render import render_date
from handlers.builders.closeout import build_preview
from handlers.builders.common import MAX_BLOCKS, SECTION_LIMIT
from storage.models import (
    ActionItem,
    ChangeRequest,
    CheckinAnswer,
    Issue,
    Lesson,
    Milestone,
    Pulse,
    PulseAnswer,
    Risk,
)

NOW = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TODAY = date(2026, 12, 10)
TEAM = Lens(target=Place(channel_id="C0INTERNAL", shared=False))
CLIENT = Lens(target=Place(channel_id="C0SHARED", shared=True, client_channel=True))


def data(**records: Any) -> CloseoutData:
    return CloseoutData(
        project_name="ACME ERP", client_name="ACME", lang="en", tz="Asia/Shanghai", now=NOW, **records
    )


def milestone(n: int, vis: str = "client", **kw: Any) -> Milestone:
    values: dict[str, Any] = {"planned_on": date(2026, 12, 1), "forecast_on": date(2026, 12, 3)} | kw
    return Milestone(
        id=n, project_id=1, number=n, visibility=vis, title=f"Milestone {n}", created_by="U1", **values
    )


def risk(n: int, vis: str = "client", status: str = "open", note: str = "") -> Risk:
    return Risk(
        id=n,
        project_id=1,
        number=n,
        visibility=vis,
        title=f"Risk {n}",
        probability=3,
        impact=4,
        status=status,
        close_note=note,
        closed_at=NOW if status == "closed" else None,
        created_by="U1",
    )


def test_figures_of_each_section() -> None:
    report = compose(
        data(
            milestones=[
                milestone(1, done_on=date(2026, 12, 4), accepted_at=NOW),
                milestone(2, forecast_on=date(2026, 12, 20)),
            ],
            changes=[
                ChangeRequest(
                    id=1,
                    project_id=1,
                    number=1,
                    visibility="client",
                    title="SSO",
                    status="approved",
                    impact_days=5,
                    impact_hours=16,
                    impact_cost=8000,
                    created_by="U1",
                ),
                ChangeRequest(
                    id=2,
                    project_id=1,
                    number=2,
                    visibility="client",
                    title="Report",
                    status="approved",
                    impact_days=-1,
                    impact_hours=4,
                    created_by="U1",
                ),
                ChangeRequest(
                    id=3,
                    project_id=1,
                    number=3,
                    visibility="client",
                    title="No",
                    status="rejected",
                    impact_days=9,
                    created_by="U1",
                ),
            ],
            risks=[
                risk(1, status="closed", note="Occurred: the vendor was late"),
                risk(2, status="closed", note="已发生：供应商延期"),
                risk(3, status="closed", note="Rehearsal passed"),
                risk(4),
            ],
            issues=[
                Issue(
                    id=1,
                    project_id=1,
                    number=1,
                    title="a",
                    severity="high",
                    status="resolved",
                    created_at=NOW - timedelta(hours=30),
                    resolved_at=NOW - timedelta(hours=6),
                    raised_by="U1",
                    created_by="U1",
                    visibility="client",
                ),
                Issue(
                    id=2,
                    project_id=1,
                    number=2,
                    title="b",
                    severity="high",
                    status="resolved",
                    created_at=NOW - timedelta(days=5),
                    resolved_at=NOW - timedelta(days=1),
                    raised_by="U1",
                    created_by="U1",
                    visibility="client",
                ),
                Issue(
                    id=3,
                    project_id=1,
                    number=3,
                    title="c",
                    severity="low",
                    raised_by="U1",
                    created_by="U1",
                    visibility="client",
                ),
            ],
            actions=[
                ActionItem(id=1, project_id=1, number=1, text="done", status="done", created_by="U1"),
                ActionItem(
                    id=2, project_id=1, number=2, text="late", due_on=date(2026, 12, 9), created_by="U1"
                ),
                ActionItem(
                    id=3, project_id=1, number=3, text="open", due_on=date(2026, 12, 12), created_by="U1"
                ),
            ],
            checkins=[
                CheckinAnswer(
                    id=i,
                    occurrence_id=1,
                    project_id=1,
                    user_id="U1",
                    prompted_at=NOW,
                    answered_at=NOW if i < 3 else None,
                )
                for i in range(4)
            ],
        ),
        TEAM,
    )
    assert [m.days_late for m in report.milestones] == [3, 19]
    assert report.accepted_count == 1 and report.done_count == 1
    assert [c.ref for c in report.changes] == ["CR-1", "CR-2"]
    assert (report.approved_total.days, report.approved_total.hours, report.approved_total.cost) == (
        4,
        20,
        8000,
    )
    assert [r.ref for r in report.risks.occurred] == ["R-1", "R-2"] and [
        r.ref for r in report.risks.avoided
    ] == ["R-3"]
    [high, low] = report.issues
    assert (high.raised, high.resolved, high.average_hours, high.longest_hours) == (2, 2, 60.0, 96.0)
    assert (low.raised, low.still_open, low.average_hours) == (1, 1, None)
    assert report.actions.done == 1 and [a.ref for a in report.actions.overdue] == ["A-2"]
    assert [a.ref for a in report.actions.still_open] == ["A-3"]
    assert (report.participation.prompts, report.participation.answers, report.participation.percent) == (
        4,
        3,
        75,
    )
    markdown = render_markdown(report)
    assert "| MS-1 | Milestone 1 | 2026-12-01 | 2026-12-03 | 2026-12-04 | 2026-12-10 | +3 |" in markdown
    assert "2 approved · total impact: schedule +4 working days · effort +20 h · cost +8,000" in markdown
    assert "| High | 2 | 2 | 0 | 2.5 d | 4.0 d |" in markdown
    assert "3 answers to 4 check-in prompts (75%)." in markdown


def test_occurred_reads_the_close_notes_first_word() -> None:
    assert occurred(risk(1, status="closed", note="happened: yes"))
    assert not occurred(risk(1, status="closed", note="It never occurred"))
    assert not occurred(risk(1, status="open", note="occurred"))


def test_pdf_holds_the_words_and_charts_and_prints_a_missing_glyph_as_a_question_mark() -> None:
    report = compose(
        data(
            milestones=[milestone(1, done_on=date(2026, 12, 4))],
            risks=[risk(1)],
            lessons=[
                Lesson(
                    id=1,
                    project_id=1,
                    number=1,
                    text="上线前冻结需求 😀 𠀋",
                    kind="to-improve",
                    visibility="client",
                    created_by="U1",
                )
            ],
        ),
        CLIENT,
    )
    assert printable("𠀋😀")[1] == 2
    files = render_files(report, view="v1", title="Close-out report")
    assert [f.filename for f in files] == ["closeout-report-v1.pdf", "closeout-report-v1.md"]
    pdf = PdfReader(io.BytesIO(files[0].content))
    text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Close-out report: ACME ERP" in text and "上线前冻结需求 ? ?" in text
    assert "2 characters the PDF's font lacks" in text
    images = [image for page in pdf.pages for image in page.images]
    assert len(images) == 2  # the heat map and the timeline
    assert "上线前冻结需求 😀 𠀋" in files[1].content.decode()  # the Markdown keeps them
    assert render_pdf(report, []).startswith(b"%PDF") and PNG_MAGIC


# ---- the leak property --------------------------------------------------------------------------------------


@dataclass
class World:
    records: dict[str, list[Any]] = field(default_factory=dict)
    forbidden: set[str] = field(default_factory=set)
    client_counts: dict[str, int] = field(default_factory=dict)
    counter: int = 0

    def marker(self) -> str:
        self.counter += 1
        return f"MK{self.counter:04d}X"


KINDS = ("milestone", "change", "risk", "issue", "action", "lesson", "pulse")


@st.composite
def worlds(draw: st.DrawFn) -> World:
    world = World()
    numbers: dict[str, int] = {}
    for _ in range(draw(st.integers(min_value=0, max_value=30))):
        kind = draw(st.sampled_from(KINDS))
        internal = draw(st.booleans())
        vis = "internal" if internal else "client"
        text, hidden = world.marker(), world.marker()  # `hidden`: a team-only field, even on a client record
        world.forbidden.add(hidden)
        day = TODAY + timedelta(days=draw(st.integers(-20, 20)))
        at = NOW - timedelta(hours=draw(st.integers(1, 24 * 20)))
        numbers[kind] = n = numbers.get(kind, 0) + 1
        record: Any
        if kind == "milestone":
            done = draw(st.booleans())
            record = Milestone(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                title=text,
                planned_on=day,
                forecast_on=day + timedelta(days=draw(st.integers(0, 9))),
                done_on=day if done else None,
                accepted_at=at if done and draw(st.booleans()) else None,
                created_by="U1",
            )
            ref = f"MS-{n}"
        elif kind == "change":
            record = ChangeRequest(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                title=text,
                why=hidden,
                status=draw(st.sampled_from(["approved", "rejected", "sent"])),
                impact_days=draw(st.integers(-5, 20)),
                created_by="U1",
            )
            ref = f"CR-{n}"
        elif kind == "risk":
            closed = draw(st.booleans())
            note = draw(st.sampled_from(["occurred: ", "", "已发生："])) + hidden
            record = Risk(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                title=text,
                probability=draw(st.integers(1, 5)),
                impact=draw(st.integers(1, 5)),
                response=world.marker(),
                status="closed" if closed else "open",
                close_note=note if closed else "",
                closed_at=at if closed else None,
                created_by="U1",
            )
            world.forbidden.add(record.response)
            ref = f"R-{n}"
        elif kind == "issue":
            resolved = draw(st.booleans())
            record = Issue(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                title=text,
                description=hidden,
                severity=draw(st.sampled_from(["low", "medium", "high", "critical"])),
                status="resolved" if resolved else "open",
                resolved_at=NOW if resolved else None,
                resolution=world.marker(),
                created_at=at,
                raised_by="U1",
                created_by="U1",
            )
            world.forbidden.add(record.resolution)
            ref = f"I-{n}"
        elif kind == "action":
            record = ActionItem(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                text=text,
                owner_name=hidden,
                due_on=day,
                status=draw(st.sampled_from(["open", "done"])),
                created_by="U1",
            )
            ref = f"A-{n}"
        elif kind == "lesson":
            record = Lesson(
                id=n,
                project_id=1,
                number=n,
                visibility=vis,
                text=text,
                kind=draw(st.sampled_from(["went-well", "to-improve", "general"])),
                created_by="U1",
            )
            ref = f"L-{n}"
        else:
            pulse = Pulse(
                id=n, project_id=1, question=text, visibility=vis, opens_at=at, closes_at=at, created_by="U1"
            )
            answers = [
                PulseAnswer(
                    id=n * 10 + i,
                    pulse_id=n,
                    user_id="U9",
                    team_id="T9",
                    score=draw(st.integers(1, 5)),
                    comment=world.marker(),
                )
                for i in range(draw(st.integers(0, 3)))
            ]
            world.forbidden |= {text, *(a.comment for a in answers)}
            world.records.setdefault("pulses", []).append((pulse, answers))
            if not internal:
                world.client_counts["pulses"] = world.client_counts.get("pulses", 0) + 1
            continue
        world.records.setdefault(kind, []).append(record)
        if internal:
            world.forbidden |= {text, ref}
        else:
            world.client_counts[kind] = world.client_counts.get(kind, 0) + 1
    # check-in answers carry no visibility: only their counts may reach the client
    for i in range(draw(st.integers(0, 5))):
        blockers = world.marker()
        world.forbidden.add(blockers)
        world.records.setdefault("checkins", []).append(
            CheckinAnswer(
                id=i,
                occurrence_id=1,
                project_id=1,
                user_id=f"U{i}",
                blockers=blockers,
                prompted_at=NOW,
                answered_at=NOW if draw(st.booleans()) else None,
            )
        )
    return world


def _data(world: World) -> CloseoutData:
    r = world.records
    return data(
        milestones=r.get("milestone", []),
        changes=r.get("change", []),
        risks=r.get("risk", []),
        issues=r.get("issue", []),
        actions=r.get("action", []),
        lessons=r.get("lesson", []),
        pulses=r.get("pulses", []),
        checkins=r.get("checkins", []),
    )


def _refs_of(text: str, ref: str) -> bool:
    import re

    return re.search(rf"(?<![\w-]){re.escape(ref)}(?!\d)", text) is not None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_the_client_view_never_shows_or_counts_an_internal_record_or_field(world: World) -> None:
    report = compose(_data(world), CLIENT)
    assert report.client_view
    preview = build_preview(report, "en", notes=[])
    assert len(preview.blocks) <= MAX_BLOCKS
    assert all(len(b.get("text", {}).get("text", "")) <= SECTION_LIMIT for b in preview.blocks)
    shown = "\n".join([render_markdown(report), str(preview.blocks), signoff_content(report)])
    for example in (t("closeout.risks.how", "en"), t("closeout.risks.how", "en").replace("`", "")):
        shown = shown.replace(example, "")  # the fixed example names a made-up R-7
    for word in world.forbidden:
        if word.startswith("MK"):
            assert word not in shown
        else:
            assert not _refs_of(shown, word), word
    counts = world.client_counts
    assert len(report.milestones) == counts.get("milestone", 0)
    assert len(report.lessons) == counts.get("lesson", 0)
    assert len(report.pulses) == counts.get("pulses", 0)
    assert sum(g.raised for g in report.issues) == counts.get("issue", 0)
    risks = report.risks
    assert len(risks.occurred) + len(risks.avoided) + len(risks.still_open) == counts.get("risk", 0)
    actions = report.actions
    assert actions.done + len(actions.overdue) + len(actions.still_open) == counts.get("action", 0)
    team = compose(_data(world), TEAM)
    assert not team.client_view
    assert len(team.lessons) == len(world.records.get("lesson", []))


def test_the_text_the_client_signs_lists_at_most_thirty_milestones() -> None:
    report = compose(data(milestones=[milestone(n) for n in range(1, 36)]), CLIENT)
    content = signoff_content(report)
    assert "*MS-30*" in content and "*MS-31*" not in content
    assert "…and 5 more (in the full report)" in content
    assert "Milestones: 35 (0 delivered, 0 accepted)" in content


def test_the_text_the_client_signs_says_the_files_are_in_its_thread() -> None:
    """The files go up as a reply under the sign-off message (attach_to_signoff), not as an attachment."""
    for lang, where in (("en", "is posted in this message's thread"), ("zh", "发在本消息的话题中")):
        report = compose(replace(data(milestones=[milestone(n) for n in range(1, 36)]), lang=lang), CLIENT)
        content = signoff_content(report)
        assert where in content.splitlines()[-1]
        assert "attached" not in content and "附件" not in content


def test_the_text_the_client_signs_says_in_words_which_milestones_are_not_delivered_or_accepted() -> None:
    milestones = [
        milestone(1, done_on=date(2026, 12, 2), accepted_at=datetime(2026, 12, 4, 8, 0, tzinfo=UTC)),
        milestone(2, done_on=date(2026, 12, 2)),
        milestone(3),
    ]
    for lang, (delivered, accepted, not_accepted, not_delivered) in {
        "en": ("delivered {}", "accepted {}", "not accepted yet", "not delivered yet"),
        "zh": ("交付 {}", "验收 {}", "尚未验收", "尚未交付"),
    }.items():
        sep = "，" if lang == "zh" else ", "
        on_2nd = delivered.format(render_date(date(2026, 12, 2), lang))
        ends = [
            on_2nd + sep + accepted.format(render_date(date(2026, 12, 4), lang)),
            on_2nd + sep + not_accepted,
        ]
        content = signoff_content(compose(replace(data(milestones=milestones), lang=lang), CLIENT))
        lines = [line for line in content.splitlines() if line.startswith("    – ")]
        assert len(lines) == 3
        for line, end in zip(lines, [*ends, not_delivered], strict=True):
            assert line.endswith(end), line
            assert "—" not in line
