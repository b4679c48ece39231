"""Tables. Every timestamp is UTC-aware; every record a client could ever see carries a visibility."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _ts(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, **kw))


class Workspace(SQLModel, table=True):
    """A Slack workspace (team) that installed Liaison."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, unique=True, index=True)
    enterprise_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = _ts()


class Project(SQLModel, table=True):
    """A client project; its channels live in ProjectChannel."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    name: str = Field(max_length=200)
    client_name: str = Field(max_length=200)
    tz: str = Field(default="UTC", max_length=64)
    lang: str = Field(default="en", max_length=8)
    holidays: str | None = Field(default=None, max_length=8)
    # Who may sign for the client (user ids); empty: any user of the client's organisation in the client channel.
    approvers: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    signoff_nudge: int = Field(default=3, sa_column_kwargs={"server_default": "3"})  # working days
    # Response targets for issues by severity ("4h" hours, "3d" working days); missing: the defaults.
    issue_targets: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    date_order: str | None = Field(default=None, max_length=3)  # "dmy" | "mdy" for 4/5; None: by language
    # When action item reminders go out, in minutes after midnight in the project's zone (9:00).
    morning: int = Field(default=540, sa_column_kwargs={"server_default": "540"})
    # Review before the client (bot/domain/review.py): "off" | "on" | "required", and the preview's lead time.
    review: str = Field(default="off", max_length=8, sa_column_kwargs={"server_default": "off"})
    review_lead: int = Field(default=120, sa_column_kwargs={"server_default": "120"})  # minutes
    # Closed and archived (bot/domain/closing.py): records read-only, schedules paused; None while it runs.
    archived_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class ProjectChannel(SQLModel, table=True):
    """A channel bound to a project: its one internal channel, or a client (possibly shared) channel."""

    __table_args__ = (UniqueConstraint("workspace_id", "channel_id", name="uq_project_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    project_id: int = Field(foreign_key="project.id", index=True)
    channel_id: str = Field(max_length=32)
    role: str = Field(max_length=16)  # "internal" | "client"
    is_ext_shared: bool = Field(default=False)
    shared_checked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    added_by: str = Field(max_length=32)
    created_at: datetime = _ts()


class AuditLog(SQLModel, table=True):
    """Who changed what, when: append-only."""

    __table_args__ = (Index("ix_auditlog_project_at", "project_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    project_id: int | None = Field(default=None, foreign_key="project.id")
    actor_user_id: str = Field(max_length=32)
    actor_team_id: str | None = Field(default=None, max_length=32)
    action: str = Field(max_length=64)
    record_ref: str | None = Field(default=None, max_length=32)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = _ts()


class ProcessedRequest(SQLModel, table=True):
    """Keys of requests already acted on, so a retried request does not act twice."""

    # The periodic prune deletes by age (storage/repo/requests.py): without this index each prune scans.
    __table_args__ = (Index("ix_processedrequest_created_at", "created_at"),)

    key: str = Field(primary_key=True, max_length=128)
    created_at: datetime = _ts()


class CommandJournal(SQLModel, table=True):
    """A command acked but not yet carried out (bot/journal.py): written before the ack, deleted once answered.

    `payload` is Slack's request (it may hold a client's text): kept only until done, never logged. A row whose
    lease ran out (its process died) is carried out again, answering through `response_url` (30 minutes).
    """

    __table_args__ = (Index("ix_commandjournal_state_received", "state", "received_at"),)

    key: str = Field(primary_key=True, max_length=128)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    response_url: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    received_at: datetime = _ts()
    state: str = Field(default="pending", max_length=16)  # "pending" | "done"
    attempts: int = Field(default=0)
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


# ---- project records (minutes, decisions, action items, risks, milestones) ---------------------------
# Numbered per project and kind (M-3, D-4, A-12, R-7, MS-2); soft-deleted so a delete can be undone.


def _record_args(kind: str) -> tuple[Any, ...]:
    return (
        UniqueConstraint("project_id", "number", name=f"uq_{kind}_number"),
        Index(f"ix_{kind}_project_updated", "project_id", "updated_at"),
    )


class ProjectCounter(SQLModel, table=True):
    """The last number handed out per project and record kind."""

    project_id: int = Field(foreign_key="project.id", primary_key=True)
    kind: str = Field(primary_key=True, max_length=8)
    last: int = Field(default=0)


class Minutes(SQLModel, table=True):
    __table_args__ = _record_args("minutes")

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    number: int
    visibility: str = Field(default="internal", max_length=16)
    title: str = Field(max_length=300)
    meeting_on: date
    attendees: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    client_attendees: str = Field(default="", max_length=1000)
    notes: str = Field(default="", max_length=3000)
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # Sent to the client for confirmation: where, and the hash of exactly what was shown.
    sent_channel_id: str | None = Field(default=None, max_length=32)
    sent_ts: str | None = Field(default=None, max_length=32)
    sent_hash: str | None = Field(default=None, max_length=64)
    confirmed_hash: str | None = Field(default=None, max_length=64)
    changed_since_confirmed: bool = Field(default=False)


class Decision(SQLModel, table=True):
    __table_args__ = _record_args("decision")

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    number: int
    visibility: str = Field(default="internal", max_length=16)
    minutes_id: int | None = Field(default=None, foreign_key="minutes.id")
    text: str = Field(max_length=3000)
    decided_on: date
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ActionItem(SQLModel, table=True):
    __table_args__ = (*_record_args("actionitem"), Index("ix_actionitem_owner", "owner_user_id", "status"))

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    number: int
    visibility: str = Field(default="internal", max_length=16)
    minutes_id: int | None = Field(default=None, foreign_key="minutes.id")
    text: str = Field(max_length=3000)
    owner_user_id: str | None = Field(default=None, max_length=32)  # a Slack user, maybe from the client
    owner_team_id: str | None = Field(default=None, max_length=32)  # their organisation (users.info)
    owner_name: str | None = Field(default=None, max_length=200)  # or a client person by name
    due_on: date | None = None  # the local date in the project's zone
    due_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )  # when a time was given
    status: str = Field(default="open", max_length=16)  # "open" | "done"
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    done_by: str | None = Field(default=None, max_length=32)
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ActionReminder(SQLModel, table=True):
    """A reminder of an action item, claimed (inserted) before it is posted: one per item, kind and due date."""

    __table_args__ = (UniqueConstraint("action_id", "kind", "due_on", name="uq_actionreminder"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="actionitem.id", index=True)
    kind: str = Field(max_length=8)  # "eve" (the working day before) | "due" (the due day)
    due_on: date  # the due date it reminds of: a moved date is reminded of again
    claimed_by: str = Field(max_length=120)
    sent_at: datetime = _ts()


class Risk(SQLModel, table=True):
    __table_args__ = (*_record_args("risk"), Index("ix_risk_project_status", "project_id", "status"))

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    number: int
    visibility: str = Field(default="internal", max_length=16)
    title: str = Field(max_length=300)
    probability: int  # 1..5
    impact: int  # 1..5
    owner_user_id: str | None = Field(default=None, max_length=32)
    owner_team_id: str | None = Field(default=None, max_length=32)
    owner_name: str | None = Field(default=None, max_length=200)
    due_on: date | None = None
    strategy: str = Field(default="mitigate", max_length=16)  # avoid | transfer | mitigate | accept
    response: str = Field(default="", max_length=3000)
    status: str = Field(default="open", max_length=16)  # "open" | "closed"
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    close_note: str = Field(default="", max_length=3000)
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Milestone(SQLModel, table=True):
    __table_args__ = (
        *_record_args("milestone"),
        Index("ix_milestone_project_forecast", "project_id", "forecast_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    number: int
    visibility: str = Field(default="internal", max_length=16)
    title: str = Field(max_length=300)
    planned_on: date
    forecast_on: date
    done_on: date | None = None  # delivered, as the team says
    # Acceptance criteria the client accepts against; accepted only when the client signs (see SignOff).
    criteria: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    accepted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class MilestoneSlip(SQLModel, table=True):
    """Each move of a milestone's forecast, kept so digests can say what slipped and why."""

    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="milestone.id", index=True)
    from_on: date
    to_on: date
    reason: str = Field(default="", max_length=1000)
    by_user_id: str = Field(max_length=32)
    at: datetime = _ts()


# ---- schedules (sync reminders, check-ins, digests) -----------------------------------------------


class Schedule(SQLModel, table=True):
    """A recurring job. The row is the truth; the in-process scheduler is rebuilt from these at start."""

    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_schedule_number"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    number: int
    kind: str = Field(max_length=16)  # "sync" | "checkin" | "digest"
    title: str = Field(default="", max_length=300)
    rule: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    lead_minutes: int = Field(default=0)
    visibility: str = Field(default="internal", max_length=16)  # where it posts: internal or client channel
    channel_id: str | None = Field(default=None, max_length=32)
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="active", max_length=16)  # active | paused | cancelled
    # Why the bot paused it ("archived": the project was archived; reopening resumes exactly these).
    paused_reason: str | None = Field(default=None, max_length=16)
    active_since: datetime = _ts()  # occurrences before this (created, resumed) are never due
    grace_minutes: int = Field(default=60)
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Occurrence(SQLModel, table=True):
    """One firing of a schedule, claimed before it is posted: the unique key makes it exactly once."""

    __table_args__ = (
        UniqueConstraint("schedule_id", "occurs_at", name="uq_occurrence"),
        Index("ix_occurrence_status", "status", "occurs_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: int = Field(foreign_key="schedule.id", index=True)
    occurs_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    status: str = Field(default="claimed", max_length=16)  # claimed | posted | failed | missed | skipped
    claimed_by: str = Field(default="", max_length=64)
    claimed_at: datetime = _ts()
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    attempts: int = Field(default=0)
    error: str = Field(default="", max_length=1000)
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    followup_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    summary_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # A claim is held until `lease_until` (renewed while its claimant works); after that another replica, or
    # the restarted one, takes it over and reconciles before any re-post (bot/domain/schedules.py).
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # When the team was told this occurrence was given up on (failed, or missed after it was claimed).
    reported_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ReviewPreview(SQLModel, table=True):
    """The team's preview of a client post, claimed (inserted) before it is posted: one per occurrence."""

    __table_args__ = (UniqueConstraint("schedule_id", "occurs_at", name="uq_reviewpreview"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: int = Field(foreign_key="schedule.id", index=True)
    occurs_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    state: str = Field(default="pending", max_length=16)  # pending | sent | skipped | held
    channel_id: str | None = Field(default=None, max_length=32)  # the preview's message
    message_ts: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, max_length=300)  # the PM's line on top, verbatim
    note_by: str | None = Field(default=None, max_length=32)
    decided_by: str | None = Field(default=None, max_length=32)  # who pressed Send now or Skip
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    claimed_by: str = Field(default="", max_length=120)
    created_at: datetime = _ts()


class CheckinAnswer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("occurrence_id", "user_id", name="uq_checkin_answer"),)

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    user_id: str = Field(max_length=32)
    progress: int | None = None
    done: str = Field(default="", max_length=3000)
    next: str = Field(default="", max_length=3000)
    blockers: str = Field(default="", max_length=3000)
    confidence: str = Field(default="", max_length=16)
    # A check-in with questions of its own keeps each answer with the question as asked: [{"question", "answer"}].
    answers: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    # Answered by a user of another organisation: their progress never counts in the team's average.
    by_client: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    prompted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    nudged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    dm_channel_id: str | None = Field(default=None, max_length=32)
    prompt_ts: str | None = Field(default=None, max_length=32)


class Away(SQLModel, table=True):
    """A person marked away from check-ins until a date (in the project's zone)."""

    __table_args__ = (UniqueConstraint("project_id", "user_id", name="uq_away"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    user_id: str = Field(max_length=32)
    until_on: date


class DigestDelivery(SQLModel, table=True):
    """Each digest posted (or that failed to post): where, which message, a hash of what was sent, when."""

    __table_args__ = (Index("ix_digestdelivery_project_at", "project_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    schedule_id: int | None = Field(default=None, foreign_key="schedule.id")
    audience: str = Field(max_length=16)  # "client" | "internal"
    channel_id: str = Field(max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    content_hash: str = Field(default="", max_length=64)
    period_start: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    period_end: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    status: str = Field(default="posted", max_length=16)  # posted | failed
    error: str = Field(default="", max_length=1000)
    summary: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = _ts()


class SignOff(SQLModel, table=True):
    """One version of something sent for the client's word: exactly the text shown, its hash, and the outcome.

    Every version is kept; sending a new one supersedes a waiting one, and a decided one stays as it was.
    """

    __table_args__ = (
        UniqueConstraint("subject", "subject_id", "version", name="uq_signoff_version"),
        Index("ix_signoff_project_status", "project_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    subject: str = Field(max_length=16)  # the record kind: "milestone", ...
    subject_id: int
    version: int
    title: str = Field(max_length=300)
    content: str = Field(sa_column=Column(Text, nullable=False))  # the client-safe text, exactly as posted
    content_hash: str = Field(max_length=64)
    requested_by: str = Field(max_length=32)
    requested_at: datetime = _ts()
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    status: str = Field(default="waiting", max_length=16)
    decided_by: str | None = Field(default=None, max_length=32)
    decided_team_id: str | None = Field(default=None, max_length=32)
    decided_external: bool | None = None
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    remarks: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    nudged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Requirement(SQLModel, table=True):
    """A requirement the client signs as part of a baseline; once baselined, changed only through a CR."""

    __table_args__ = _record_args("requirement")

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    number: int
    visibility: str = Field(default="internal", max_length=16)
    text: str = Field(max_length=3000)
    priority: str = Field(default="should", max_length=8)  # must | should | could
    # The approved baseline that last included it (version), and the hash of its text then.
    baseline_version: int | None = None
    baseline_hash: str | None = Field(default=None, max_length=64)
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ChangeRequest(SQLModel, table=True):
    """A change to agreed scope, schedule or cost, with its impact; the client approves or rejects it."""

    __table_args__ = _record_args("changerequest")

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    number: int
    visibility: str = Field(default="internal", max_length=16)
    title: str = Field(max_length=300)
    why: str = Field(default="", max_length=3000)
    impact_days: int = 0  # schedule impact, working days as typed ("+5d")
    impact_hours: float = 0.0  # effort
    impact_cost: float = 0.0  # in the project's currency, as typed
    affects: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    status: str = Field(default="draft", max_length=16)  # draft | sent | approved | rejected | withdrawn
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Issue(SQLModel, table=True):
    """An issue or a question (I-n): raised by the team, or by the client from the client channel's panel."""

    __table_args__ = (*_record_args("issue"), Index("ix_issue_project_status", "project_id", "status"))

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    number: int
    visibility: str = Field(default="internal", max_length=16)
    kind: str = Field(default="issue", max_length=16)  # issue | question
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=3000)
    severity: str = Field(default="medium", max_length=16)  # low | medium | high | critical
    owner_user_id: str | None = Field(default=None, max_length=32)
    owner_team_id: str | None = Field(default=None, max_length=32)
    owner_name: str | None = Field(default=None, max_length=200)
    due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    status: str = Field(default="open", max_length=16)  # open | resolved
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    resolution: str = Field(default="", max_length=3000)
    raised_by: str = Field(max_length=32)
    raised_team_id: str | None = Field(default=None, max_length=32)
    raised_external: bool = Field(default=False)  # raised by a user of the client's organisation
    # Where the client was told (the thread for later news) and where the team was told.
    client_channel_id: str | None = Field(default=None, max_length=32)
    client_ts: str | None = Field(default=None, max_length=32)
    team_channel_id: str | None = Field(default=None, max_length=32)
    team_ts: str | None = Field(default=None, max_length=32)
    first_response_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    escalated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Lesson(SQLModel, table=True):
    """A lesson learned (L-n): what went well or what to improve, typed with `/lesson` or answered in the
    closing form (`source`), attributed to whoever gave it."""

    __table_args__ = _record_args("lesson")

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    number: int
    visibility: str = Field(default="internal", max_length=16)
    text: str = Field(max_length=3000)
    kind: str = Field(default="general", max_length=16)  # went-well | to-improve | general
    source: str = Field(default="command", max_length=16)  # command | form
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


# ---- the client's side: the stakeholder register and satisfaction pulses --------------------------------


class Stakeholder(SQLModel, table=True):
    """Someone whose view counts on the project: role, organisation, influence, and what they sign for the
    client (`signs`: sign-off subjects, see bot/domain/stakeholders.py). The team's own register: internal."""

    __table_args__ = (Index("ix_stakeholder_project", "project_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    user_id: str | None = Field(default=None, max_length=32)  # a Slack user, or None for a name only
    name: str = Field(default="", max_length=200)
    role: str = Field(default="", max_length=300)
    org: str = Field(default="client", max_length=16)  # client | team
    influence: str = Field(default="medium", max_length=8)  # low | medium | high
    signs: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    visibility: str = Field(default="internal", max_length=16)
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Pulse(SQLModel, table=True):
    """One satisfaction question posted into the client channel; open for answers until `closes_at`."""

    __table_args__ = (
        UniqueConstraint("occurrence_id", name="uq_pulse_occurrence"),
        Index("ix_pulse_project_opens", "project_id", "opens_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    schedule_id: int | None = Field(default=None, foreign_key="schedule.id")  # None: `/pulse now`
    occurrence_id: int | None = Field(default=None, foreign_key="occurrence.id")  # one pulse per firing
    question: str = Field(max_length=500)
    visibility: str = Field(default="internal", max_length=16)  # the answers and results are the team's
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    opens_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    closes_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = _ts()


class PulseAnswer(SQLModel, table=True):
    """One client person's score (1–5) and comment for a pulse; changeable until the pulse closes."""

    __table_args__ = (UniqueConstraint("pulse_id", "user_id", name="uq_pulse_answer"),)

    id: int | None = Field(default=None, primary_key=True)
    pulse_id: int = Field(foreign_key="pulse.id", index=True)
    user_id: str = Field(max_length=32)
    team_id: str = Field(max_length=32)
    score: int
    comment: str = Field(default="", max_length=3000)
    visibility: str = Field(default="internal", max_length=16)
    at: datetime = _ts()
    alerted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


# ---- installations across workspaces (OAuth v2) ------------------------------------------------------
# Token columns hold Fernet ciphertext only: storage/installations.py encrypts on save, decrypts on load.


class SlackInstallation(SQLModel, table=True):
    """Liaison installed in one workspace (or organisation): its tokens, encrypted, and who installed it.

    One row per workspace: a reinstall or a token rotation updates it. Absent ids are "" (not NULL) so the
    unique key holds on every database.
    """

    __table_args__ = (
        UniqueConstraint("client_id", "enterprise_id", "team_id", name="uq_slackinstallation_team"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: str = Field(max_length=64)
    app_id: str | None = Field(default=None, max_length=32)
    enterprise_id: str = Field(default="", max_length=32)
    enterprise_name: str | None = Field(default=None, max_length=200)
    enterprise_url: str | None = Field(default=None, max_length=300)
    team_id: str = Field(default="", max_length=32, index=True)
    team_name: str | None = Field(default=None, max_length=200)
    is_enterprise_install: bool = Field(default=False)
    token_type: str | None = Field(default=None, max_length=16)
    bot_id: str | None = Field(default=None, max_length=32)
    bot_user_id: str | None = Field(default=None, max_length=32)
    bot_scopes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    bot_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # ciphertext
    bot_refresh_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # ciphertext
    bot_token_expires_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    user_id: str = Field(default="", max_length=32)
    user_scopes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    user_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # ciphertext
    user_refresh_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # ciphertext
    user_token_expires_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    incoming_webhook_url: str | None = Field(
        default=None, sa_column=Column(Text, nullable=True)
    )  # ciphertext
    incoming_webhook_channel: str | None = Field(default=None, max_length=200)
    incoming_webhook_channel_id: str | None = Field(default=None, max_length=32)
    incoming_webhook_configuration_url: str | None = Field(default=None, max_length=300)
    installed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class OAuthState(SQLModel, table=True):
    """A state handed to one browser on /slack/install, good once until it expires."""

    state: str = Field(primary_key=True, max_length=64)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class UninstallPause(SQLModel, table=True):
    """A schedule paused because its workspace uninstalled Liaison: reinstalling resumes exactly these."""

    schedule_id: int = Field(foreign_key="schedule.id", primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    paused_at: datetime = _ts()


class Followup(SQLModel, table=True):
    """A follow-up post (a nudge, an escalation, a reminder, an alert, a summary) claimed with a lease until it is
    posted: one row per (kind, record, part), so however many replicas look, one holds it; a claim whose lease ran
    out (its claimant died) is taken over and reconciled with the channel's history (bot/domain/followups.py)."""

    __table_args__ = (
        UniqueConstraint("kind", "record_id", "part", name="uq_followup"),
        Index("ix_followup_open", "done_at", "kind", "lease_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    record_id: int
    part: str = Field(default="", max_length=120)  # tells apart several posts of one record (a person, a day)
    project_id: int = Field(foreign_key="project.id", index=True)
    claimed_by: str = Field(default="", max_length=64)
    claimed_at: datetime = _ts()
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    attempts: int = Field(default=0)
    error: str = Field(default="", max_length=1000)
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # When the team was told this follow-up was given up on: once.
    reported_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
