"""The issue log (问题的发现、分析、解决): issues and questions `I-n`, raised by the team with `/issue` or by the
client from the client channel's panel, their severity, owner and due time, and the response targets that
escalate a neglected one to the project's lead, once.

Response targets per severity are a project setting (`/project settings response:critical=4h,high=1d`):
`Nh` is hours on the clock, `Nd` working days in the project's calendar (the same local time, N working
days on). Defaults: critical 4 h, high 1 working day, medium 3, low 5. An open issue is escalated once, when
the team has not responded by its target, or when it is still open past its due time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import records, signoff
from bot.domain.records import (
    NONE_WORDS,
    Actor,
    check_text,
    load,
    load_by_id,
    log_change,
    number_for,
    require,
    visibility_from,
)
from bot.domain.risks import Owner, read_owner
from bot.domain.when import DateOrder, due
from bot.errors import UsageError
from bot.grammar import ParsedCommand
from bot.policy import Action, Visibility, may, visible
from bot.timeexpr.workdays import add_working_days
from storage.models import ActionItem, AuditLog, CheckinAnswer, Issue, Project, SignOff
from storage.repo import audit, projects
from storage.repo import issues as repo

ADD_EXAMPLE = "cmd.issue.add.example"
UPDATE_EXAMPLE = "cmd.issue.update.example"
LIST_EXAMPLE = "cmd.issue.list.example"
SHOW_EXAMPLE = "cmd.issue.show.example"
RESOLVE_EXAMPLE = "cmd.issue.resolve.example"
REOPEN_EXAMPLE = "cmd.issue.reopen.example"
TARGETS_EXAMPLE = "project.example_response"

PREFIX = "I"
MAX_TITLE = 300  # Issue.title
MAX_TEXT = 3000  # Issue.description, Issue.resolution, and any one command's text
MAX_OWNER_NAME = 200
OPEN, RESOLVED = "open", "resolved"
ISSUE, QUESTION = "issue", "question"

T = TypeVar("T")


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}

# Chinese defect grading as teams use it: 致命 / 严重 / 一般 / 轻微; and plain 高 / 中 / 低.
SEVERITY_WORDS: dict[str, Severity] = {
    "critical": Severity.CRITICAL,
    "crit": Severity.CRITICAL,
    "blocker": Severity.CRITICAL,
    "urgent": Severity.CRITICAL,
    "致命": Severity.CRITICAL,
    "紧急": Severity.CRITICAL,
    "关键": Severity.CRITICAL,
    "high": Severity.HIGH,
    "major": Severity.HIGH,
    "高": Severity.HIGH,
    "严重": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "med": Severity.MEDIUM,
    "normal": Severity.MEDIUM,
    "中": Severity.MEDIUM,
    "一般": Severity.MEDIUM,
    "low": Severity.LOW,
    "minor": Severity.LOW,
    "低": Severity.LOW,
    "轻微": Severity.LOW,
}


def parse_severity(text: str, *, example: str | None = ADD_EXAMPLE) -> Severity:
    found = SEVERITY_WORDS.get(" ".join(text.strip().lower().split()))
    if found is None:
        raise UsageError("issue.bad_severity", example, value=text.strip()[:40] or "—")
    return found


def severity_of(issue: Issue) -> Severity:
    try:
        return Severity(issue.severity)
    except ValueError:
        return Severity.MEDIUM


# ---- what people typed -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueDraft:
    title: str
    severity: Severity = Severity.MEDIUM
    description: str = ""
    owner: Owner = field(default_factory=Owner)
    due_at: datetime | None = None
    visibility: Visibility = Visibility.INTERNAL
    kind: str = ISSUE


def read_title(text: str, *, example: str | None = ADD_EXAMPLE) -> str:
    return records.read_title(text, example=example, missing="issue.need_title", limit=MAX_TITLE)


async def read_due_at(
    text: str,
    *,
    now: datetime,
    tz: str,
    example: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> datetime | None:
    """A due time in words; a date alone means the end of that day in the project's zone; `none` clears it."""
    if text.strip().lower() in NONE_WORDS:
        return None
    try:
        found = await due(text, now=now, tz=tz, country=country, date_order=date_order)
    except UsageError as err:
        raise err.with_example(example) from None
    if found.at is not None:
        return found.at
    return datetime.combine(found.day, time(23, 59), tzinfo=ZoneInfo(tz)).astimezone(UTC)


async def read_new_issue(
    parsed: ParsedCommand,
    *,
    now: datetime,
    tz: str,
    viewer_id: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> IssueDraft:
    """Validate `/issue add <title> severity:… owner:@x due:… [client]`: only the title is required."""
    ex = ADD_EXAMPLE
    check_text(parsed.raw, what="text", limit=MAX_TEXT, example=ex)
    title = read_title(parsed.text, example=ex)
    severity = parse_severity(s, example=ex) if (s := parsed.opt("severity")) else Severity.MEDIUM
    owner_value = parsed.options.get("owner")
    owner = read_owner(owner_value, viewer_id=viewer_id, example=ex) if owner_value else Owner()
    due_text = parsed.opt("due")
    due_at = (
        await read_due_at(due_text, now=now, tz=tz, example=ex, country=country, date_order=date_order)
        if due_text
        else None
    )
    return IssueDraft(
        title=title,
        severity=severity,
        owner=owner,
        due_at=due_at,
        visibility=visibility_from(parsed.flags, example=ex),
    )


@dataclass(frozen=True)
class IssueEdit:
    ref: str
    values: dict[str, Any] = field(default_factory=dict)


async def read_issue_edit(
    parsed: ParsedCommand,
    *,
    now: datetime,
    tz: str,
    viewer_id: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> IssueEdit:
    ex = UPDATE_EXAMPLE
    check_text(parsed.raw, what="text", limit=MAX_TEXT, example=ex)
    ref, rest = records.split_ref(parsed.text, example=ex, prefix=PREFIX)
    if rest:
        raise UsageError("grammar.unexpected_text", ex, text=rest[:80])
    values: dict[str, Any] = {}
    if (title := parsed.opt("title")) is not None:
        values["title"] = read_title(title, example=ex)
    if (s := parsed.opt("severity")) is not None:
        values["severity"] = str(parse_severity(s, example=ex))
    if (owner_value := parsed.options.get("owner")) is not None:
        owner = read_owner(owner_value, viewer_id=viewer_id, example=ex)
        values["owner_user_id"], values["owner_name"] = owner.user_id, owner.name
    if (d := parsed.opt("due")) is not None:
        values["due_at"] = await read_due_at(
            d, now=now, tz=tz, example=ex, country=country, date_order=date_order
        )
    if parsed.flags:
        values["visibility"] = str(visibility_from(parsed.flags, example=ex))
    if not values:
        raise UsageError("issue.nothing_to_update", ex)
    return IssueEdit(ref=ref, values=values)


def read_resolve(parsed: ParsedCommand) -> tuple[str, str]:
    ref, note = records.split_ref(parsed.text, example=RESOLVE_EXAMPLE, prefix=PREFIX)
    return ref, check_text(note, what="note", limit=MAX_TEXT, example=RESOLVE_EXAMPLE)


def read_ref_only(parsed: ParsedCommand, *, example: str) -> str:
    return records.read_ref_only(parsed, example=example, prefix=PREFIX)


@dataclass(frozen=True)
class IssueForm:
    """The panel's form, as Slack sends it (title, description, severity from a menu)."""

    title: str = ""
    description: str = ""
    severity: str = ""


def read_form(
    form: IssueForm, *, kind: str, visibility: Visibility
) -> tuple[IssueDraft | None, dict[str, UsageError]]:
    """Validate every field; errors keyed by field ("title", "description", "severity")."""
    errors: dict[str, UsageError] = {}

    def field_value(name: str, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except UsageError as err:
            errors[name] = err
            return None

    missing = "issue.need_question" if kind == QUESTION else "issue.need_title"
    title = field_value(
        "title", lambda: records.read_title(form.title, example=None, missing=missing, limit=MAX_TITLE)
    )
    description = field_value(
        "description",
        lambda: check_text(form.description.strip(), what="description", limit=MAX_TEXT, example=None),
    )
    severity = field_value("severity", lambda: parse_severity(form.severity or Severity.MEDIUM, example=None))
    if errors or title is None or severity is None:
        return None, errors
    draft = IssueDraft(
        title=title, severity=severity, description=description or "", visibility=visibility, kind=kind
    )
    return draft, {}


# ---- listing -----------------------------------------------------------------------------------------


class IssueFilter(StrEnum):
    OPEN = "open"
    MINE = "mine"
    ALL = "all"
    RESOLVED = "resolved"


FILTER_WORDS: dict[str, IssueFilter] = {
    "open": IssueFilter.OPEN,
    "未解决": IssueFilter.OPEN,
    "打开": IssueFilter.OPEN,
    "mine": IssueFilter.MINE,
    "my": IssueFilter.MINE,
    "我的": IssueFilter.MINE,
    "all": IssueFilter.ALL,
    "全部": IssueFilter.ALL,
    "所有": IssueFilter.ALL,
    "resolved": IssueFilter.RESOLVED,
    "closed": IssueFilter.RESOLVED,
    "已解决": IssueFilter.RESOLVED,
}


def parse_filter(text: str) -> IssueFilter:
    word = " ".join(text.strip().lower().split())
    if not word:
        return IssueFilter.OPEN
    found = FILTER_WORDS.get(word)
    if found is None:
        raise UsageError("issue.bad_filter", LIST_EXAMPLE, value=text.strip()[:40])
    return found


def by_severity(issues: Iterable[Issue]) -> list[Issue]:
    """Open first; then the most severe; then the oldest (it has waited longest); then the lowest number."""
    return sorted(issues, key=lambda i: (i.status != OPEN, RANK[severity_of(i)], i.created_at, i.number))


@dataclass(frozen=True)
class Listing:
    issues: list[Issue]
    total: int


LIST_LIMIT = 20
HISTORY_LIMIT = 12


async def list_issues(
    session: AsyncSession, actor: Actor, flt: IssueFilter, *, limit: int = LIST_LIMIT
) -> Listing:
    status = {IssueFilter.ALL: None, IssueFilter.RESOLVED: RESOLVED}.get(flt, OPEN)
    owner = actor.viewer.user_id if flt is IssueFilter.MINE else None
    found = await repo.list_issues(session, project_id=actor.project_id, status=status, owner_user_id=owner)
    chosen = by_severity(visible(actor.viewer, actor.place, found))
    return Listing(issues=chosen[:limit], total=len(chosen))


@dataclass(frozen=True)
class Detail:
    issue: Issue
    history: list[AuditLog]
    earlier: int


async def issue_detail(session: AsyncSession, actor: Actor, ref: str) -> Detail:
    issue = await load(session, Issue, actor, ref, action=Action.READ, example=SHOW_EXAMPLE)
    entries = await audit.list_audit(
        session, project_id=actor.project_id, record_ref=records.ref_of(issue), limit=500
    )
    shown = entries[-HISTORY_LIMIT:]
    return Detail(issue=issue, history=shown, earlier=len(entries) - len(shown))


# ---- changes, each in one transaction with its audit entry -------------------------------------------


@dataclass(frozen=True)
class Saved:
    issue: Issue
    repeated: bool = False
    changed: tuple[str, ...] = ()


def _created(issue: Issue, request_key: str) -> dict[str, Any]:
    return {
        "kind": issue.kind,
        "title": issue.title,
        "severity": issue.severity,
        "owner_user_id": issue.owner_user_id,
        "owner_name": issue.owner_name,
        "due_at": issue.due_at,
        "visibility": issue.visibility,
        "external": issue.raised_external,
        "request": request_key,
    }


async def _insert(
    session: AsyncSession,
    actor: Actor,
    draft: IssueDraft,
    *,
    owner_team_id: str | None,
    raised_team_id: str | None,
    external: bool,
    now: datetime,
    request_key: str,
) -> Issue:
    issue = await repo.create_issue(
        session,
        project_id=actor.project_id,
        number=await number_for(session, Issue, actor.project_id),
        visibility=str(draft.visibility),
        kind=draft.kind,
        title=draft.title,
        description=draft.description,
        severity=str(draft.severity),
        owner_user_id=draft.owner.user_id,
        owner_team_id=owner_team_id if draft.owner.user_id else None,
        owner_name=draft.owner.name,
        due_at=draft.due_at,
        raised_by=actor.viewer.user_id,
        raised_team_id=raised_team_id,
        raised_external=external,
        # The team knows of what it raises itself; the client waits for the team's first response.
        first_response_at=None if external else now,
        created_by=actor.viewer.user_id,
        created_at=now,
        updated_at=now,
    )
    await log_change(session, actor, "issue.create", issue, _created(issue, request_key))
    return issue


async def _earlier(session: AsyncSession, actor: Actor, request_key: str) -> Saved:
    from storage.repo.risks import find_created_by_request

    earlier = await find_created_by_request(
        session, Issue, project_id=actor.project_id, action="issue.create", request_key=request_key
    )
    if earlier is not None and may(actor.viewer, actor.place, Action.READ, earlier):
        return Saved(issue=earlier, repeated=True)
    raise UsageError("issue.already_recorded")


async def create_issue(
    session: AsyncSession,
    actor: Actor,
    draft: IssueDraft,
    *,
    owner_team_id: str | None,
    request_key: str,
    now: datetime,
) -> Saved:
    """`/issue add`: the team records an issue (internal unless `[client]`)."""
    require(actor, Action.CREATE, ADD_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _earlier(session, actor, request_key)
    issue = await _insert(
        session,
        actor,
        draft,
        owner_team_id=owner_team_id,
        raised_team_id=actor.viewer.team_id,
        external=False,
        now=now,
        request_key=request_key,
    )
    return Saved(issue=issue)


@dataclass(frozen=True)
class Raised:
    """An issue raised from the panel, and where to tell whom."""

    issue: Issue
    repeated: bool
    client_channel_id: str | None
    internal_channel_id: str | None
    project: Project


async def raise_issue(
    session: AsyncSession, actor: Actor, draft: IssueDraft, *, request_key: str, now: datetime
) -> Raised:
    """The panel's Raise an issue / Ask a question (or the check-in's Make it an issue): whoever may raise
    here. Where the client reads it is client-visible; `actor.viewer` is the raiser as Slack's directory
    places them (a user of the client's organisation makes it the client's issue)."""
    require(actor, Action.RAISE, ADD_EXAMPLE)
    visibility = Visibility.CLIENT if actor.place.client_facing else draft.visibility
    external = actor.viewer.speaks_for_client
    if external and visibility is not Visibility.CLIENT:
        raise records.refusal(actor.viewer)
    project = await session.get(Project, actor.project_id)
    assert project is not None
    client_channel = await signoff.client_channel_of(session, actor.project_id)
    internal_channel = await signoff.internal_channel_of(session, actor.project_id)

    def raised(issue: Issue, repeated: bool) -> Raised:
        return Raised(
            issue=issue,
            repeated=repeated,
            client_channel_id=client_channel if issue.visibility == Visibility.CLIENT else None,
            internal_channel_id=internal_channel,
            project=project,
        )

    if not await projects.claim_request(session, key=request_key):
        return raised((await _earlier(session, actor, request_key)).issue, True)
    issue = await _insert(
        session,
        actor,
        IssueDraft(
            title=draft.title,
            severity=draft.severity,
            description=draft.description,
            visibility=visibility,
            kind=draft.kind,
        ),
        owner_team_id=None,
        raised_team_id=actor.viewer.team_id,
        external=external,
        now=now,
        request_key=request_key,
    )
    return raised(issue, False)


async def posted(
    session: AsyncSession, *, issue_id: int, client: tuple[str, str] | None, team: tuple[str, str] | None
) -> None:
    """Remember the messages that announced an issue: the client's (its thread gets the news) and the team's."""
    issue = await repo.get_issue(session, issue_id=issue_id)
    if issue is None:
        return
    changes: dict[str, Any] = {}
    if client is not None:
        changes["client_channel_id"], changes["client_ts"] = client
    if team is not None:
        changes["team_channel_id"], changes["team_ts"] = team
    if changes:
        await repo.update_issue(session, issue=issue, changes=changes)


async def _responded(session: AsyncSession, actor: Actor, issue: Issue, now: datetime) -> bool:
    """A team member acting on an issue is the team's response (the first one is stamped)."""
    if actor.viewer.is_external or issue.id is None:
        return False
    if issue.first_response_at is None and await repo.claim_first_response(
        session, issue_id=issue.id, now=now
    ):
        issue.first_response_at = now
        return True
    return False


async def thread_reply(
    session: AsyncSession, actor: Actor, *, channel_id: str, thread_ts: str, now: datetime
) -> Issue | None:
    """A team member's reply in the thread of an issue's message (the client's acknowledgement or the team's
    announcement) is the team's response: the issue whose first response this stamped, else None (a client's
    reply, another thread, an issue already answered; a repeat stamps nothing)."""
    if actor.viewer.is_external:
        return None
    query = select(Issue).where(
        col(Issue.project_id) == actor.project_id,
        col(Issue.first_response_at).is_(None),
        col(Issue.deleted_at).is_(None),
        or_(
            and_(col(Issue.client_channel_id) == channel_id, col(Issue.client_ts) == thread_ts),
            and_(col(Issue.team_channel_id) == channel_id, col(Issue.team_ts) == thread_ts),
        ),
    )
    issue = (await session.exec(query)).first()
    if issue is None or not await _responded(session, actor, issue, now):
        return None
    return issue


async def _repeat(session: AsyncSession, actor: Actor, ref: str, example: str) -> Saved:
    issue = await load(session, Issue, actor, ref, action=Action.READ, example=example)
    return Saved(issue=issue, repeated=True)


async def update_issue(
    session: AsyncSession,
    actor: Actor,
    edit: IssueEdit,
    *,
    owner_team_id: str | None,
    request_key: str,
    now: datetime,
) -> Saved:
    require(actor, Action.UPDATE, UPDATE_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, edit.ref, UPDATE_EXAMPLE)
    issue = await load(session, Issue, actor, edit.ref, action=Action.UPDATE, example=UPDATE_EXAMPLE)
    values = dict(edit.values)
    if "owner_user_id" in values:
        values["owner_team_id"] = owner_team_id if values["owner_user_id"] else None
    diff = records.delta(issue, values)
    if not diff:
        return Saved(issue=issue)
    await repo.update_issue(session, issue=issue, changes={k: new for k, (_old, new) in diff.items()})
    diff.pop("owner_team_id", None)
    await _responded(session, actor, issue, now)
    if diff:
        await log_change(session, actor, "issue.update", issue, diff)
    return Saved(issue=issue, changed=tuple(diff))


async def resolve_issue(
    session: AsyncSession, actor: Actor, ref: str, note: str, *, request_key: str, now: datetime
) -> Saved:
    require(actor, Action.UPDATE, RESOLVE_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, ref, RESOLVE_EXAMPLE)
    issue = await load(session, Issue, actor, ref, action=Action.UPDATE, example=RESOLVE_EXAMPLE)
    if issue.status == RESOLVED:
        raise UsageError("issue.already_resolved", REOPEN_EXAMPLE, ref=records.ref_of(issue))
    await repo.update_issue(
        session, issue=issue, changes={"status": RESOLVED, "resolved_at": now, "resolution": note}
    )
    await _responded(session, actor, issue, now)
    await log_change(session, actor, "issue.resolve", issue, {"note": note})
    return Saved(issue=issue, changed=("status",))


async def reopen_issue(
    session: AsyncSession, actor: Actor, ref: str, *, request_key: str, now: datetime
) -> Saved:
    require(actor, Action.UPDATE, REOPEN_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return await _repeat(session, actor, ref, REOPEN_EXAMPLE)
    issue = await load(session, Issue, actor, ref, action=Action.UPDATE, example=REOPEN_EXAMPLE)
    if issue.status != RESOLVED:
        raise UsageError("issue.not_resolved", RESOLVE_EXAMPLE, ref=records.ref_of(issue))
    await repo.update_issue(session, issue=issue, changes={"status": OPEN, "resolved_at": None})
    await log_change(session, actor, "issue.reopen", issue, {})
    return Saved(issue=issue, changed=("status",))


@dataclass(frozen=True)
class Assigned:
    issue: Issue
    changed: bool
    lang: str


async def assign(
    session: AsyncSession,
    actor: Actor,
    issue_id: int,
    *,
    owner_user_id: str,
    owner_team_id: str | None,
    now: datetime,
) -> Assigned:
    """The team's Assign (a user menu on the announcement): set the owner; it counts as a response."""
    require(actor, Action.UPDATE, UPDATE_EXAMPLE)
    issue = await load_by_id(session, Issue, actor, issue_id, action=Action.UPDATE, example=UPDATE_EXAMPLE)
    project = await session.get(Project, actor.project_id)
    lang = project.lang if project is not None else "en"
    if issue.owner_user_id == owner_user_id:
        await _responded(session, actor, issue, now)
        return Assigned(issue=issue, changed=False, lang=lang)
    before = issue.owner_user_id
    await repo.update_issue(
        session, issue=issue, changes={"owner_user_id": owner_user_id, "owner_team_id": owner_team_id}
    )
    await _responded(session, actor, issue, now)
    await log_change(session, actor, "issue.assign", issue, {"owner_user_id": [before, owner_user_id]})
    return Assigned(issue=issue, changed=True, lang=lang)


# ---- from a check-in's blockers -------------------------------------------------------------------------


async def blocker_draft(session: AsyncSession, actor: Actor, answer_id: int) -> IssueDraft:
    """A check-in answer's blockers as a new internal issue's title and description (the team's own)."""
    require(actor, Action.CREATE, ADD_EXAMPLE)
    answer = await session.get(CheckinAnswer, answer_id)
    if answer is None or answer.project_id != actor.project_id or not answer.blockers.strip():
        raise UsageError("refs.gone")
    text = answer.blockers.strip()
    first = " ".join(text.splitlines()[0].split())
    title = first if len(first) <= MAX_TITLE else first[: MAX_TITLE - 1] + "…"
    return IssueDraft(title=title, description=text[:MAX_TEXT])


# ---- response targets and escalation -------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    amount: int
    unit: str  # "h" hours | "d" working days

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


DEFAULT_TARGETS: dict[Severity, Target] = {
    Severity.CRITICAL: Target(4, "h"),
    Severity.HIGH: Target(1, "d"),
    Severity.MEDIUM: Target(3, "d"),
    Severity.LOW: Target(5, "d"),
}
_TARGET = re.compile(r"^(\d{1,3})\s*(h|hr|hrs|hours?|小时|d|days?|天|工作日)$", re.IGNORECASE)
_PAIR = re.compile(r"^\s*([^=＝]+?)\s*[=＝]\s*(.+?)\s*$")
MAX_TARGET_HOURS = 24 * 30
MAX_TARGET_DAYS = 60


def parse_target(text: str) -> Target:
    m = _TARGET.match(text.strip())
    if not m:
        raise UsageError("issue.bad_target", TARGETS_EXAMPLE, value=text.strip()[:40] or "—")
    amount, unit = int(m.group(1)), m.group(2).lower()
    unit = "h" if unit.startswith("h") or unit == "小时" else "d"
    if amount < 1 or amount > (MAX_TARGET_HOURS if unit == "h" else MAX_TARGET_DAYS):
        raise UsageError("issue.bad_target", TARGETS_EXAMPLE, value=text.strip()[:40])
    return Target(amount, unit)


def read_targets(text: str, current: Mapping[str, str] | None = None) -> dict[str, str]:
    """`critical=4h,high=1d` (or `严重=1天`): the named severities change, the others stay; `default` resets."""
    if text.strip().lower() in {"default", "defaults", "默认"}:
        return {}
    targets = dict(current or {})
    parts = [p for p in re.split(r"[,，;；]", text) if p.strip()]
    if not parts:
        raise UsageError("issue.bad_target", TARGETS_EXAMPLE, value="—")
    for part in parts:
        m = _PAIR.match(part)
        if not m:
            raise UsageError("issue.bad_target", TARGETS_EXAMPLE, value=part.strip()[:40])
        severity = parse_severity(m.group(1), example=TARGETS_EXAMPLE)
        targets[str(severity)] = str(parse_target(m.group(2)))
    return targets


def targets_of(project: Project) -> dict[Severity, Target]:
    """The project's targets, each severity falling back to its default (a bad stored value too)."""
    found = dict(DEFAULT_TARGETS)
    for name, value in (project.issue_targets or {}).items():
        try:
            found[Severity(name)] = parse_target(str(value))
        except (ValueError, UsageError):
            continue
    return found


def target_at(issue: Issue, project: Project) -> datetime:
    """When the team's first response is due: hours on the clock, or working days in the project's
    calendar at the same local time of day."""
    target = targets_of(project)[severity_of(issue)]
    if target.unit == "h":
        return issue.created_at + timedelta(hours=target.amount)
    zone = ZoneInfo(project.tz)
    raised = issue.created_at.astimezone(zone)
    day = add_working_days(raised.date(), target.amount, signoff.calendar_of(project.holidays))
    return datetime.combine(day, raised.timetz()).astimezone(UTC)


class Reason(StrEnum):
    NO_RESPONSE = "no_response"
    OVERDUE = "overdue"


def escalation_reason(issue: Issue, project: Project, now: datetime) -> Reason | None:
    """Why an open issue goes to the lead now, or None: no team response by its target, or past its due."""
    if issue.status != OPEN or issue.escalated_at is not None:
        return None
    if issue.first_response_at is None and now >= target_at(issue, project):
        return Reason.NO_RESPONSE
    if issue.due_at is not None and now >= issue.due_at:
        return Reason.OVERDUE
    return None


async def escalation_candidates(session: AsyncSession) -> list[tuple[Issue, Project]]:
    found = await repo.escalation_candidates(session)
    return [(i, p) for i, p in found if p.archived_at is None]  # an archived project escalates nothing


async def claim_escalation(session: AsyncSession, *, issue_id: int, now: datetime) -> bool:
    return await repo.claim_escalation(session, issue_id=issue_id, now=now)


def lead_of(project: Project) -> str:
    """Who hears of an escalation: the person who set the project up."""
    return project.created_by


async def internal_channel_of(session: AsyncSession, project_id: int) -> str | None:
    return await signoff.internal_channel_of(session, project_id)


# ---- the panel's "What's waiting for me" ----------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    actions: list[ActionItem]
    signoffs: list[tuple[SignOff, str]]  # the version and its subject's name (MS-2)
    tz: str


async def waiting_for(session: AsyncSession, actor: Actor) -> Waiting:
    """This person's open action items and, for a client signer, the versions waiting for the client's word;
    only what the policy shows here."""
    require(actor, Action.READ, ADD_EXAMPLE)
    project = await session.get(Project, actor.project_id)
    assert project is not None
    items = await repo.open_actions_of(session, project_id=actor.project_id, user_id=actor.viewer.user_id)
    shown = visible(actor.viewer, actor.place, items)
    versions: list[tuple[SignOff, str]] = []
    approvers = list(project.approvers or [])
    if actor.viewer.speaks_for_client and (not approvers or actor.viewer.user_id in approvers):
        rows = await signoff.waiting(session, project_id=actor.project_id)
        for row, record in await signoff.with_subjects(session, rows):
            if may(actor.viewer, actor.place, Action.READ, record):
                versions.append((row, signoff.subject_name(row, record)))
    return Waiting(actions=shown, signoffs=versions, tz=project.tz)


def open_count(issues: Sequence[Issue]) -> int:
    return sum(1 for i in issues if i.status == OPEN)
