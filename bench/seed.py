"""Rows for benchmarks, written straight to the store with bulk inserts: setting up 1,000 projects or
100,000 records through slash commands would take longer than the benchmark itself."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_core import PydanticUndefined
from sqlalchemy import insert
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.timeexpr import parse_recurrence
from storage.models import (
    ActionItem,
    AuditLog,
    Decision,
    Milestone,
    MilestoneSlip,
    Minutes,
    Project,
    ProjectChannel,
    ProjectCounter,
    Risk,
    Schedule,
)
from storage.repo.projects import get_or_create_workspace

HOME_TEAM = "T0HOME"
ALICE = "U0ALICE"
BOB = "U0BOB"


@dataclass(frozen=True)
class SeededProject:
    project_id: int
    schedule_id: int
    internal_channel: str
    client_channel: str


def channel_ids(prefix: str, i: int) -> tuple[str, str]:
    """(internal, client) channel ids for the i-th seeded project; the fake Slack needs the same ids."""
    return f"{prefix}I{i:05d}", f"{prefix}C{i:05d}"


def _defaults(model: type[SQLModel]) -> dict[str, Any]:
    """The model's Python-side defaults (created_at, status…): a Core insert does not apply them."""
    found: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        if info.default_factory is not None:
            found[name] = info.default_factory()  # type: ignore[call-arg]
        elif info.default is not PydanticUndefined:
            found[name] = info.default
    return found


async def _bulk(session: AsyncSession, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    if rows:
        defaults = _defaults(model)
        await session.execute(insert(model.__table__), [{**defaults, **row} for row in rows])  # type: ignore[attr-defined]


async def seed_scheduled_projects(
    session: AsyncSession,
    *,
    count: int,
    occurs_at: datetime,
    kind: str,
    prefix: str,
    options: dict[str, Any] | None = None,
) -> list[SeededProject]:
    """`count` projects, each with an internal and a shared client channel, a few live records for the
    agenda, and one `kind` schedule posting to the client channel, daily at `occurs_at` (UTC, whole minute)."""
    workspace = await get_or_create_workspace(session, team_id=HOME_TEAM)
    assert workspace.id is not None
    rule = parse_recurrence(
        f"daily {occurs_at:%H:%M}", tz=ZoneInfo("UTC"), now=occurs_at - timedelta(minutes=5)
    ).to_dict()
    projects = [
        Project(
            workspace_id=workspace.id,
            name=f"Bench project {i}",
            client_name="ACME",
            tz="UTC",
            lang="en" if i % 2 else "zh",
            created_by=ALICE,
        )
        for i in range(count)
    ]
    session.add_all(projects)
    await session.flush()
    today = occurs_at.date()
    channels: list[dict[str, Any]] = []
    schedules: list[Schedule] = []
    records: dict[type[SQLModel], list[dict[str, Any]]] = {Risk: [], ActionItem: [], Milestone: []}
    for i, project in enumerate(projects):
        assert project.id is not None
        internal, client = channel_ids(prefix, i)
        for channel_id, role in ((internal, "internal"), (client, "client")):
            channels.append(
                {
                    "workspace_id": workspace.id,
                    "project_id": project.id,
                    "channel_id": channel_id,
                    "role": role,
                    "is_ext_shared": role == "client",
                    "added_by": ALICE,
                }
            )
        schedules.append(
            Schedule(
                project_id=project.id,
                number=1,
                kind=kind,
                title="Bench client update",
                rule=rule,
                visibility="client",
                channel_id=client,
                options=dict(options or {}),
                active_since=occurs_at - timedelta(minutes=10),
                grace_minutes=60,
                created_by=ALICE,
            )
        )
        for n, visibility in enumerate(("client", "client", "internal"), start=1):
            records[Risk].append(
                _risk(project.id, n, visibility, open_=True, at=occurs_at - timedelta(days=n))
            )
            records[ActionItem].append(
                _action(project.id, n, visibility, open_=True, due=today + timedelta(days=n), at=occurs_at)
            )
        records[Milestone].append(
            _milestone(project.id, 1, "client", done=False, on=today + timedelta(days=5), at=occurs_at)
        )
    await _bulk(session, ProjectChannel, channels)
    for model, rows in records.items():
        await _bulk(session, model, rows)
    session.add_all(schedules)
    await session.flush()
    return [
        SeededProject(
            project_id=int(p.id or 0),
            schedule_id=int(s.id or 0),
            internal_channel=channel_ids(prefix, i)[0],
            client_channel=channel_ids(prefix, i)[1],
        )
        for i, (p, s) in enumerate(zip(projects, schedules, strict=True))
    ]


# ---- one project with a long history ---------------------------------------------------------------


def _risk(project_id: int, number: int, visibility: str, *, open_: bool, at: datetime) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "number": number,
        "visibility": visibility,
        "title": f"Risk {number}: interface spec may slip",
        "probability": 1 + number % 5,
        "impact": 1 + (number * 7) % 5,
        "owner_user_id": BOB,
        "strategy": "mitigate",
        "response": "Weekly check with the vendor",
        "status": "open" if open_ else "closed",
        "closed_at": None if open_ else at + timedelta(days=20),
        "created_by": ALICE,
        "created_at": at,
        "updated_at": at if open_ else at + timedelta(days=20),
    }


def _action(
    project_id: int, number: int, visibility: str, *, open_: bool, due: date, at: datetime
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "number": number,
        "visibility": visibility,
        "text": f"Action {number}: send the test data extract",
        "owner_user_id": BOB,
        "due_on": due,
        "status": "open" if open_ else "done",
        "done_at": None if open_ else at + timedelta(days=3),
        "done_by": None if open_ else BOB,
        "created_by": ALICE,
        "created_at": at,
        "updated_at": at,
    }


def _milestone(
    project_id: int, number: int, visibility: str, *, done: bool, on: date, at: datetime
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "number": number,
        "visibility": visibility,
        "title": f"Milestone {number}: UAT sign-off",
        "planned_on": on,
        "forecast_on": on,
        "done_on": on if done else None,
        "created_by": ALICE,
        "created_at": at,
        "updated_at": at,
    }


# The live part of a project stays the same size whatever its history: open work and this week's events.
LIVE = {
    "open_risks": 30,
    "closed_risks": 5,
    "open_actions": 40,
    "done_actions": 10,
    "open_milestones": 10,
    "done_milestones": 2,
    "slips": 3,
    "minutes": 10,
    "decisions": 20,
    "audit": 40,
}
# How the old records (closed, done, long past) split between kinds; only these grow.
OLD_SHARES = {
    "actions": 0.30,
    "risks": 0.20,
    "decisions": 0.15,
    "audit": 0.15,
    "minutes": 0.10,
    "milestones": 0.05,
    "slips": 0.05,
}
LIVE_TOTAL = sum(LIVE.values())


async def create_history_project(session: AsyncSession, *, channel_id: str = "C0HIST") -> int:
    workspace = await get_or_create_workspace(session, team_id=HOME_TEAM)
    assert workspace.id is not None
    project = Project(
        workspace_id=workspace.id,
        name="History project",
        client_name="ACME",
        tz="Asia/Shanghai",
        lang="en",
        created_by=ALICE,
    )
    session.add(project)
    await session.flush()
    assert project.id is not None
    for role, cid in (("internal", channel_id + "I"), ("client", channel_id + "C")):
        session.add(
            ProjectChannel(
                workspace_id=workspace.id,
                project_id=project.id,
                channel_id=cid,
                role=role,
                is_ext_shared=role == "client",
                added_by=ALICE,
            )
        )
    await session.flush()
    return project.id


class _History:
    """Rows for one project, numbered on from its counters, with a fixed random sequence per call."""

    def __init__(self, project_id: int, workspace_id: int, numbers: dict[str, int], now: datetime, seed: int):
        self.project_id, self.workspace_id, self.numbers, self.now = project_id, workspace_id, numbers, now
        self.rng = random.Random(seed)
        self.rows: dict[type[SQLModel], list[dict[str, Any]]] = {
            m: [] for m in (Risk, ActionItem, Milestone, Minutes, Decision, AuditLog)
        }
        self.slips: list[tuple[int, datetime]] = []  # (milestone number, when)

    def vis(self) -> str:
        return "client" if self.rng.random() < 0.4 else "internal"

    def number(self, kind: str) -> int:
        self.numbers[kind] += 1
        return self.numbers[kind]

    def old(self) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(60, 3 * 365))

    def this_week(self) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(0.1, 6.5))

    def risk(self, *, open_: bool, at: datetime, closed: datetime | None = None) -> None:
        row = _risk(self.project_id, self.number("R"), self.vis(), open_=open_, at=at)
        if closed is not None:
            row["closed_at"] = row["updated_at"] = closed
        self.rows[Risk].append(row)

    def action(self, *, open_: bool, due: date, at: datetime, done: datetime | None = None) -> None:
        row = _action(self.project_id, self.number("A"), self.vis(), open_=open_, due=due, at=at)
        if done is not None:
            row["done_at"] = row["updated_at"] = done
        elif not open_:
            row["updated_at"] = row["done_at"]
        self.rows[ActionItem].append(row)

    def milestone(self, *, done: bool, on: date, at: datetime) -> int:
        number = self.number("MS")
        self.rows[Milestone].append(_milestone(self.project_id, number, self.vis(), done=done, on=on, at=at))
        return number

    def minutes(self, at: datetime) -> None:
        self.rows[Minutes].append(
            {
                "project_id": self.project_id,
                "number": self.number("M"),
                "visibility": self.vis(),
                "title": "Weekly sync",
                "meeting_on": at.date(),
                "attendees": [ALICE, BOB],
                "notes": "Discussed the interface spec and the test data.",
                "created_by": ALICE,
                "created_at": at,
                "updated_at": at,
            }
        )

    def decision(self, at: datetime) -> None:
        self.rows[Decision].append(
            {
                "project_id": self.project_id,
                "number": self.number("D"),
                "visibility": self.vis(),
                "text": "Go with the phased cut-over",
                "decided_on": at.date(),
                "created_by": ALICE,
                "created_at": at,
                "updated_at": at,
            }
        )

    def audit(self, at: datetime) -> None:
        self.rows[AuditLog].append(
            {
                "workspace_id": self.workspace_id,
                "project_id": self.project_id,
                "actor_user_id": ALICE,
                "action": "risk.update",
                "record_ref": "R-1",
                "changes": {"impact": [3, 4]},
                "at": at,
            }
        )


async def grow_history(session: AsyncSession, *, project_id: int, old: int, now: datetime) -> int:
    """Add `old` closed/done/long-past records of every kind (over the last three years) to a project, and
    its live set (open work, this week's events) the first time; returns the project's record count."""
    project = await session.get(Project, project_id)
    assert project is not None
    numbers = await _counters(session, project_id)
    h = _History(project_id, project.workspace_id, numbers, now, seed=old)
    today = now.date()
    if not any(numbers.values()):
        for _ in range(LIVE["open_risks"]):
            h.risk(open_=True, at=now - timedelta(days=h.rng.uniform(1, 30)))
        for _ in range(LIVE["closed_risks"]):
            h.risk(open_=False, at=h.old(), closed=h.this_week())
        for i in range(LIVE["open_actions"]):
            h.action(open_=True, due=today + timedelta(days=i % 14 - 3), at=now - timedelta(days=10))
        for _ in range(LIVE["done_actions"]):
            h.action(open_=False, due=today, at=now - timedelta(days=10), done=h.this_week())
        live_milestones = [
            h.milestone(done=False, on=today + timedelta(days=3 * i), at=now - timedelta(days=40))
            for i in range(LIVE["open_milestones"])
        ]
        for _ in range(LIVE["done_milestones"]):
            h.milestone(done=True, on=today - timedelta(days=1), at=now - timedelta(days=1))
        h.slips += [(live_milestones[i], h.this_week()) for i in range(LIVE["slips"])]
        for _ in range(LIVE["minutes"]):
            h.minutes(h.this_week())
        for _ in range(LIVE["decisions"]):
            h.decision(h.this_week())
        for _ in range(LIVE["audit"]):
            h.audit(h.this_week())
    counts = {k: int(old * share) for k, share in OLD_SHARES.items()}
    counts["actions"] += old - sum(counts.values())
    for _ in range(counts["risks"]):
        at = h.old()
        h.risk(open_=False, at=at)
    for _ in range(counts["actions"]):
        at = h.old()
        h.action(open_=False, due=at.date() + timedelta(days=7), at=at)
    old_milestones = [
        h.milestone(done=True, on=(at := h.old()).date(), at=at) for _ in range(counts["milestones"])
    ]
    for _ in range(counts["minutes"]):
        h.minutes(h.old())
    for _ in range(counts["decisions"]):
        h.decision(h.old())
    for _ in range(counts["audit"]):
        h.audit(h.old())
    pool = old_milestones or [n for n in range(1, numbers["MS"] + 1)]
    h.slips += [(h.rng.choice(pool), h.old()) for _ in range(counts["slips"])]
    for model, rows in h.rows.items():
        await _bulk(session, model, rows)
    if h.slips:
        ids = dict(
            (
                await session.exec(
                    select(Milestone.number, Milestone.id).where(Milestone.project_id == project_id)
                )
            ).all()
        )
        await _bulk(
            session,
            MilestoneSlip,
            [
                {
                    "milestone_id": ids[number],
                    "from_on": at.date(),
                    "to_on": at.date() + timedelta(days=7),
                    "reason": "Vendor late",
                    "by_user_id": ALICE,
                    "at": at,
                }
                for number, at in h.slips
            ],
        )
    await _save_counters(session, project_id, numbers)
    return sum(numbers.values()) + await _count_extra(session, project_id)


async def _counters(session: AsyncSession, project_id: int) -> dict[str, int]:
    found = {k: 0 for k in ("R", "A", "MS", "M", "D")}
    for row in (
        await session.exec(select(ProjectCounter).where(ProjectCounter.project_id == project_id))
    ).all():
        found[row.kind] = row.last
    return found


async def _save_counters(session: AsyncSession, project_id: int, numbers: dict[str, int]) -> None:
    for kind, last in numbers.items():
        row = await session.get(ProjectCounter, (project_id, kind))
        if row is None:
            session.add(ProjectCounter(project_id=project_id, kind=kind, last=last))
        else:
            row.last = last
            session.add(row)
    await session.flush()


async def _count_extra(session: AsyncSession, project_id: int) -> int:
    """Audit entries and slips (not numbered) count as records too."""
    from sqlmodel import func

    audit = (await session.exec(select(func.count()).where(AuditLog.project_id == project_id))).one()
    slips = (
        await session.exec(
            select(func.count())
            .select_from(MilestoneSlip)
            .join(Milestone, Milestone.id == MilestoneSlip.milestone_id)  # type: ignore[arg-type]
            .where(Milestone.project_id == project_id)
        )
    ).one()
    return int(audit) + int(slips)


def minute_ahead(now: datetime, *, at_least: float) -> datetime:
    """The first whole minute at least `at_least` seconds after `now` (schedules fire on minutes)."""
    t = (now + timedelta(seconds=at_least)).astimezone(UTC)
    t = t.replace(second=0, microsecond=0)
    return t if t >= now + timedelta(seconds=at_least) else t + timedelta(minutes=1)
