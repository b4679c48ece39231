"""Requirements (`RQ-n`) and the baseline the client signs.

`/requirement baseline` sends the project's client-visible requirements, as one text, through the one sign-off
workflow (bot/domain/signoff.py): the subject is the project's requirement set (subject "baseline", subject id
the project's id), not one record. When the client approves version N, every requirement that version held
gets `baseline_version = N` and `baseline_hash` = the sha256 of its text as sent. From then on a baselined
requirement is changed or deleted only under a change request the client approved that names it in `affects`;
otherwise the answer says so and offers a `/change add` to copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain import records, signoff
from bot.domain.records import Actor, flagged_visibility, load, log_change, number_for, ref_of, require
from bot.errors import UsageError
from bot.grammar import ParsedCommand
from bot.i18n import normalise_lang, t
from bot.mrkdwn import escape
from bot.policy import Action, Visibility, may, visible
from storage.models import AuditLog, Project, Requirement, SignOff
from storage.repo import audit, projects
from storage.repo import records as records_repo
from storage.repo import requirements as repo
from storage.repo.risks import find_created_by_request

PREFIX = "RQ"
SUBJECT = "baseline"  # the sign-off subject: a project's requirement set
CHANGE_SUBJECT = "change"  # the sign-off subject of change requests (bot/domain/changes.py)

ADD_EXAMPLE = "cmd.requirement.add.example"
LIST_EXAMPLE = "cmd.requirement.list.example"
SHOW_EXAMPLE = "cmd.requirement.show.example"
EDIT_EXAMPLE = "cmd.requirement.edit.example"
DELETE_EXAMPLE = "cmd.requirement.delete.example"
BASELINE_EXAMPLE = "cmd.requirement.baseline.example"

MAX_TEXT = 2800  # Requirement.text allows 3000; a baseline line adds its reference and must fit one section
MAX_BASELINE = 30_000  # characters of baseline text: one message, well inside Slack's block limits
HISTORY_LIMIT = 12
CR_TITLE_TEXT = 200  # how much of the new text the suggested change request's title quotes


class Priority(StrEnum):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"


PRIORITIES: tuple[Priority, ...] = (Priority.MUST, Priority.SHOULD, Priority.COULD)
PRIORITY_WORDS: dict[str, Priority] = {
    "must": Priority.MUST,
    "必须": Priority.MUST,
    "should": Priority.SHOULD,
    "应该": Priority.SHOULD,
    "could": Priority.COULD,
    "可以": Priority.COULD,
}


def text_hash(text: str) -> str:
    """What a baseline records of each requirement: the sha256 of its text."""
    return signoff.content_hash(text)


def changed_since_baseline(requirement: Requirement) -> bool:
    return requirement.baseline_hash is not None and requirement.baseline_hash != text_hash(requirement.text)


# ---- reading commands -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementDraft:
    text: str
    priority: Priority = Priority.SHOULD
    visibility: Visibility = Visibility.INTERNAL


@dataclass(frozen=True)
class RequirementEdit:
    ref: str
    text: str | None = None  # None: keep
    priority: Priority | None = None
    visibility: Visibility | None = None


def parse_priority(text: str, *, example: str) -> Priority:
    found = PRIORITY_WORDS.get(text.strip().lower())
    if found is None:
        raise UsageError("requirement.bad_priority", example, value=text.strip()[:40] or "—")
    return found


def _text(text: str, *, example: str) -> str:
    clean = text.strip()  # as typed (issue 15)
    if len(clean) > MAX_TEXT:
        raise UsageError("requirement.too_long", example, length=len(clean), limit=MAX_TEXT)
    return clean


def split_ref(text: str, *, example: str) -> tuple[str, str]:
    return records.split_ref(text, example=example, prefix=PREFIX)


def read_new(parsed: ParsedCommand) -> RequirementDraft:
    """`/requirement add <text> [priority:must|should|could] [client]`."""
    ex = ADD_EXAMPLE
    text = _text(parsed.text, example=ex)
    if not text:
        raise UsageError("requirement.need_text", ex)
    priority = parse_priority(p, example=ex) if (p := parsed.opt("priority")) is not None else Priority.SHOULD
    visibility = flagged_visibility(parsed.flags, example=ex) or Visibility.INTERNAL
    return RequirementDraft(text=text, priority=priority, visibility=visibility)


def read_edit(parsed: ParsedCommand) -> RequirementEdit:
    """`/requirement edit RQ-3 <new text> [priority:…] [client|internal]`: at least one of them."""
    ex = EDIT_EXAMPLE
    ref, rest = split_ref(parsed.text, example=ex)
    text = _text(rest, example=ex)
    priority = parse_priority(p, example=ex) if (p := parsed.opt("priority")) is not None else None
    visibility = flagged_visibility(parsed.flags, example=ex)
    if not text and priority is None and visibility is None:
        raise UsageError("requirement.edit_empty", ex, ref=ref.upper())
    return RequirementEdit(ref=ref, text=text or None, priority=priority, visibility=visibility)


def read_ref_only(parsed: ParsedCommand, *, example: str) -> str:
    return records.read_ref_only(parsed, example=example, prefix=PREFIX)


# ---- changes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    requirement: Requirement
    repeated: bool = False  # a retried request: nothing new was written
    changed: bool = True
    under: str | None = None  # the approved change request that allowed changing a baselined requirement


async def create_requirement(
    session: AsyncSession, actor: Actor, draft: RequirementDraft, *, request_key: str
) -> Saved:
    require(actor, Action.CREATE, ADD_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        earlier = await find_created_by_request(
            session,
            Requirement,
            project_id=actor.project_id,
            action="requirement.create",
            request_key=request_key,
        )
        if earlier is not None and may(actor.viewer, actor.place, Action.READ, earlier):
            return Saved(requirement=earlier, repeated=True, changed=False)
        raise UsageError("requirement.repeated_request")
    requirement = await repo.create_requirement(
        session,
        project_id=actor.project_id,
        number=await number_for(session, Requirement, actor.project_id),
        visibility=str(draft.visibility),
        text=draft.text,
        priority=str(draft.priority),
        created_by=actor.viewer.user_id,
    )
    changes = {
        "text": draft.text,
        "priority": str(draft.priority),
        "visibility": str(draft.visibility),
        "request": request_key,
    }
    await log_change(session, actor, "requirement.create", requirement, changes)
    return Saved(requirement=requirement)


_RQ_REF = re.compile(r"^#?RQ[-\s]?(\d{1,9})$", re.IGNORECASE)


def _names(affects: Sequence[str]) -> set[str]:
    """`affects` as typed (`RQ-3`, `rq3`, `#RQ-3`) in one form: `RQ-3`."""
    found = set()
    for item in affects:
        m = _RQ_REF.match(str(item).strip())
        if m:
            found.add(f"{PREFIX}-{int(m.group(1))}")
    return found


async def _baseline_signed_at(session: AsyncSession, project_id: int, version: int) -> datetime | None:
    """When the client approved baseline `version` (None when no such decision is on record)."""
    for row in await _versions(session, project_id):
        if row.version == version and row.status in (signoff.APPROVED, signoff.REMARKS):
            return row.decided_at
    return None


def change_command(requirement: Requirement, lang: str, *, new_text: str | None, deleting: bool) -> str:
    """The `/change add` the team can copy to ask the client for the change (quotes kept out of the title)."""
    ref = ref_of(requirement)
    if deleting:
        title = t("requirement.cr_title.delete", lang, ref=ref)
    else:
        wanted = " ".join((new_text or "").replace('"', "'").replace("“", "'").replace("”", "'").split())
        wanted = wanted.replace("`", "'")
        if len(wanted) > CR_TITLE_TEXT:
            wanted = wanted[: CR_TITLE_TEXT - 1] + "…"
        key = "requirement.cr_title.edit" if wanted else "requirement.cr_title.other"
        title = t(key, lang, ref=ref, text=wanted) if wanted else t(key, lang, ref=ref)
    flag = " [client]" if requirement.visibility == Visibility.CLIENT else ""
    return f'/change add "{title}" affects:{ref}{flag}'


async def _allowed_by(
    session: AsyncSession,
    actor: Actor,
    requirement: Requirement,
    *,
    lang: str,
    new_text: str | None,
    deleting: bool,
) -> str | None:
    """A baselined requirement changes only under an approved change request naming it (returns its ref).

    The approval must come after the client approved the baseline the requirement is in: a change request
    approved before a later baseline was signed was already part of what the client signed, and does not
    open the new baseline again.
    """
    if requirement.baseline_version is None:
        return None
    ref = ref_of(requirement)
    signed_at = await _baseline_signed_at(session, actor.project_id, requirement.baseline_version)
    for change in await repo.approved_changes(session, project_id=actor.project_id):
        if ref not in _names(change.affects or []):
            continue
        approved = await signoff.latest(session, subject=CHANGE_SUBJECT, subject_id=int(change.id or 0))
        approved_at = approved.decided_at if approved is not None else None
        if signed_at is None or (approved_at is not None and approved_at > signed_at):
            return ref_of(change)
    raise UsageError(
        "requirement.needs_change",
        None,
        ref=ref,
        version=requirement.baseline_version,
        command=change_command(requirement, lang, new_text=new_text, deleting=deleting),
    )


async def edit_requirement(
    session: AsyncSession, actor: Actor, edit: RequirementEdit, *, lang: str, request_key: str
) -> Saved:
    require(actor, Action.UPDATE, EDIT_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        found = await load(session, Requirement, actor, edit.ref, action=Action.READ, example=EDIT_EXAMPLE)
        return Saved(requirement=found, repeated=True, changed=False)
    requirement = await load(
        session, Requirement, actor, edit.ref, action=Action.UPDATE, example=EDIT_EXAMPLE
    )
    wanted = {
        "text": edit.text if edit.text is not None else requirement.text,
        "priority": str(edit.priority or requirement.priority),
        "visibility": str(edit.visibility or requirement.visibility),
    }
    delta = records.delta(requirement, wanted)
    if not delta:
        return Saved(requirement=requirement, changed=False)
    under = await _allowed_by(session, actor, requirement, lang=lang, new_text=edit.text, deleting=False)
    await repo.update_requirement(
        session, requirement=requirement, changes={k: v for k, (_, v) in delta.items()}
    )
    changes: dict[str, Any] = dict(delta)
    if under is not None:
        changes["change_request"] = under
    await log_change(session, actor, "requirement.edit", requirement, changes)
    return Saved(requirement=requirement, under=under)


async def delete_requirement(
    session: AsyncSession, actor: Actor, ref: str, *, lang: str, now: datetime, request_key: str
) -> Saved | None:
    """Soft delete; None when the same request was already handled (a retry)."""
    require(actor, Action.UPDATE, DELETE_EXAMPLE)
    if not await projects.claim_request(session, key=request_key):
        return None
    requirement = await load(session, Requirement, actor, ref, action=Action.UPDATE, example=DELETE_EXAMPLE)
    under = await _allowed_by(session, actor, requirement, lang=lang, new_text=None, deleting=True)
    await repo.delete_requirement(session, requirement=requirement, at=now)
    changes: dict[str, Any] = {"text": requirement.text}
    if under is not None:
        changes["change_request"] = under
    await log_change(session, actor, "requirement.delete", requirement, changes)
    return Saved(requirement=requirement, under=under)


async def undo_delete(
    session: AsyncSession, actor: Actor, requirement_id: int, *, lang: str, now: datetime
) -> Requirement:
    """The Undo button under a deleted requirement: a baselined one comes back only as it could go."""
    requirement = await records.undo_delete(
        session, Requirement, actor, requirement_id, now=now, example=DELETE_EXAMPLE
    )
    await _allowed_by(session, actor, requirement, lang=lang, new_text=None, deleting=True)
    return requirement


# ---- reading ----------------------------------------------------------------------------------------


def by_priority(requirements: Sequence[Requirement]) -> list[Requirement]:
    """Must, then should, then could; by number within each."""
    rank = {p.value: n for n, p in enumerate(PRIORITIES)}
    return sorted(requirements, key=lambda r: (rank.get(r.priority, len(rank)), r.number))


@dataclass(frozen=True)
class BaselineState:
    """Where the baseline stands: the last version the client approved, and a version waiting, if any."""

    approved: SignOff | None = None
    waiting: SignOff | None = None
    rejected: SignOff | None = None  # the latest version, when the client rejected it


def baseline_state(versions: Sequence[SignOff]) -> BaselineState:
    approved = [v for v in versions if v.status in (signoff.APPROVED, signoff.REMARKS)]
    latest = versions[-1] if versions else None
    return BaselineState(
        approved=approved[-1] if approved else None,
        waiting=latest if latest is not None and latest.status == signoff.WAITING else None,
        rejected=latest if latest is not None and latest.status == signoff.REJECTED else None,
    )


@dataclass(frozen=True)
class Row:
    requirement: Requirement
    changed: bool  # changed since the baseline that holds it


@dataclass(frozen=True)
class Listing:
    rows: list[Row]  # only what the viewer may see here
    baseline: BaselineState


async def _versions(session: AsyncSession, project_id: int) -> list[SignOff]:
    return await signoff.history(session, subject=SUBJECT, record=await find_baseline(session, project_id))


async def list_requirements(session: AsyncSession, actor: Actor) -> Listing:
    found = await repo.list_requirements(session, project_id=actor.project_id)
    shown = by_priority(visible(actor.viewer, actor.place, found))
    return Listing(
        rows=[Row(r, changed_since_baseline(r)) for r in shown],
        baseline=baseline_state(await _versions(session, actor.project_id)),
    )


@dataclass(frozen=True)
class Detail:
    requirement: Requirement
    changed: bool
    history: list[AuditLog]
    earlier: int


async def requirement_detail(session: AsyncSession, actor: Actor, ref: str) -> Detail:
    requirement = await load(session, Requirement, actor, ref, action=Action.READ, example=SHOW_EXAMPLE)
    entries = await audit.list_audit(
        session, project_id=actor.project_id, record_ref=ref_of(requirement), limit=500
    )
    shown = entries[-HISTORY_LIMIT:]
    return Detail(
        requirement=requirement,
        changed=changed_since_baseline(requirement),
        history=shown,
        earlier=len(entries) - len(shown),
    )


# ---- the baseline: the client's word on the requirement set ---------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """A project's requirement set as one sign-off subject (what the policy and the workflow need of it)."""

    id: int  # the project's id: the sign-off's subject id
    project_id: int
    title: str
    visibility: str = Visibility.CLIENT  # only client requirements are ever in it
    deleted_at: datetime | None = None


async def find_baseline(session: AsyncSession, project_id: int) -> Baseline | None:
    project = await session.get(Project, project_id)
    if project is None or project.id is None:
        return None
    name = t("requirement.baseline.name", normalise_lang(project.lang))
    return Baseline(id=project.id, project_id=project.id, title=name)


def _name_of(baseline: Any) -> str:
    return str(baseline.title)


def baseline_content(project: Project, requirements: Sequence[Requirement], lang: str) -> str:
    """The client-safe text the client signs, exactly as posted: client requirements only, user text escaped."""
    shown = by_priority([r for r in requirements if r.visibility == Visibility.CLIENT])
    lines = [t("requirement.baseline.intro", lang, project=escape(project.name), count=len(shown))]
    for priority in PRIORITIES:
        group = [r for r in shown if r.priority == priority]
        if group:
            lines.append(f"*{t(f'requirement.priority.{priority}', lang)}*")
            lines.extend(f"• *{ref_of(r)}* {escape(r.text)}" for r in group)
    return "\n".join(lines)


async def baseline_subject(session: AsyncSession, actor: Actor, *, lang: str) -> signoff.Subject:
    """The project's client-visible requirements, as version N+1 of the baseline."""
    require(actor, Action.UPDATE, BASELINE_EXAMPLE)
    project = await session.get(Project, actor.project_id)
    baseline = await find_baseline(session, actor.project_id)
    assert project is not None and baseline is not None
    found = await repo.list_requirements(session, project_id=actor.project_id)
    included = by_priority([r for r in found if r.visibility == Visibility.CLIENT])
    if not included:
        raise UsageError("requirement.baseline_empty", ADD_EXAMPLE)
    content = baseline_content(project, included, lang)
    if len(content) > MAX_BASELINE:
        raise UsageError("requirement.baseline_too_long", None, length=len(content), limit=MAX_BASELINE)
    state = baseline_state(await signoff.history(session, subject=SUBJECT, record=baseline))
    if state.approved is not None and state.approved.content_hash == signoff.content_hash(content):
        raise UsageError("requirement.baseline_unchanged", None, version=state.approved.version)
    items = {ref_of(r): text_hash(r.text) for r in included}
    return signoff.Subject(kind=SUBJECT, record=baseline, content=content, details={"requirements": items})


async def _on_baseline(
    session: AsyncSession, actor: Actor, baseline: Baseline, row: SignOff, now: datetime
) -> None:
    """Approved: every requirement that version held is baselined at it, with the hash of its text as sent.
    Rejected: nothing changes (the reason is on the version, and the team is told)."""
    if row.status not in (signoff.APPROVED, signoff.REMARKS):
        return
    items = await repo.sent_items(
        session, project_id=baseline.project_id, action=f"{SUBJECT}.signoff_sent", version=row.version
    )
    for ref, digest in items.items():
        number = int(ref.rsplit("-", 1)[-1])
        requirement = await records_repo.get_by_number(
            session, Requirement, project_id=baseline.project_id, number=number
        )
        if requirement is None:
            continue  # deleted since it was sent
        await repo.update_requirement(
            session,
            requirement=requirement,
            changes={"baseline_version": row.version, "baseline_hash": digest},
        )
        await log_change(session, actor, "requirement.baselined", requirement, {"baseline": row.version})


signoff.register(signoff.SubjectKind(SUBJECT, _on_baseline, find=find_baseline, name_of=_name_of))
