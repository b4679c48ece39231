"""The stakeholder register (干系人): who on either side matters, their role and influence, and what each
signs for the client. It is the team's view of the client (influence!): internal, never shown to a client.

Who may sign a sign-off subject (one rule, `approvers_for`): the stakeholders whose `signs` names it; when no
stakeholder signs that kind, the project's `approvers` (`/project settings approvers:`); when there are none
either, any user of the client's organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.records import Actor, check_text, log_change, refusal, require
from bot.errors import UsageError
from bot.grammar import ParsedCommand
from bot.policy import Action
from storage.models import Project, Stakeholder
from storage.repo import stakeholders as repo

ADD_EXAMPLE = "cmd.stakeholder.add.example"
REMOVE_EXAMPLE = "cmd.stakeholder.remove.example"

# Sign-off subjects (bot/domain/signoff.py registrations) by the words people use for them.
SUBJECTS = ("baseline", "change", "milestone", "minutes")
SUBJECT_WORDS: dict[str, str] = {
    "baseline": "baseline",
    "requirements": "baseline",
    "基线": "baseline",
    "需求基线": "baseline",
    "change": "change",
    "changes": "change",
    "变更": "change",
    "acceptance": "milestone",
    "accept": "milestone",
    "milestone": "milestone",
    "验收": "milestone",
    "minutes": "minutes",
    "纪要": "minutes",
    "会议纪要": "minutes",
}
ALL_WORDS = frozenset({"all", "everything", "全部", "所有"})
WORD_OF_SUBJECT = {
    "baseline": "baseline",
    "change": "change",
    "milestone": "acceptance",
    "minutes": "minutes",
}
ORGS: dict[str, str] = {
    "client": "client",
    "客户": "client",
    "甲方": "client",
    "team": "team",
    "团队": "team",
}
ORGS |= {"我方": "team", "乙方": "team"}
INFLUENCES: dict[str, str] = {"low": "low", "低": "low", "medium": "medium", "mid": "medium", "中": "medium"}
INFLUENCES |= {"high": "high", "高": "high"}
INFLUENCE_ORDER = {"high": 0, "medium": 1, "low": 2}
MAX_NAME, MAX_ROLE = 200, 300
_SPLIT = re.compile(r"[\s,，、;；/]+")


@dataclass(frozen=True)
class StakeholderDraft:
    user_id: str | None
    name: str
    role: str
    org: str
    influence: str
    signs: tuple[str, ...]


def read_signs(text: str | None) -> tuple[str, ...]:
    """`baseline,change,acceptance` / `基线、变更、验收` / `all` → sign-off subjects, in a fixed order."""
    if not text:
        return ()
    found: set[str] = set()
    for word in (w for w in _SPLIT.split(text.strip().lower()) if w):
        if word in ALL_WORDS:
            found |= set(SUBJECTS)
        elif word in SUBJECT_WORDS:
            found.add(SUBJECT_WORDS[word])
        else:
            raise UsageError("stakeholder.bad_signs", ADD_EXAMPLE, word=word[:40])
    return tuple(s for s in SUBJECTS if s in found)


def _choice(text: str | None, choices: dict[str, str], default: str, key: str) -> str:
    if text is None or not text.strip():
        return default
    found = choices.get(text.strip().lower())
    if found is None:
        raise UsageError(key, ADD_EXAMPLE, word=text.strip()[:40])
    return found


def read_add(parsed: ParsedCommand, *, default_org: str = "client") -> StakeholderDraft:
    """`@carol role:"CIO, sponsor" org:client influence:high signs:baseline,change` or a plain name; without
    `org:`, `default_org` (a Slack user's own organisation, as the directory has it)."""
    users = list(dict.fromkeys(parsed.users))
    name = " ".join(parsed.text.split())
    if len(users) > 1:
        raise UsageError("stakeholder.one_person", ADD_EXAMPLE)
    if users and name:
        raise UsageError("grammar.unexpected_text", ADD_EXAMPLE, text=name[:80])
    if not users and not name:
        raise UsageError("stakeholder.missing_who", ADD_EXAMPLE)
    check_text(name, what="title", limit=MAX_NAME, example=ADD_EXAMPLE)
    role = " ".join((parsed.opt("role") or "").split())
    check_text(role, what="title", limit=MAX_ROLE, example=ADD_EXAMPLE)
    org = _choice(parsed.opt("org"), ORGS, default_org, "stakeholder.bad_org")
    influence = _choice(parsed.opt("influence"), INFLUENCES, "medium", "stakeholder.bad_influence")
    signs = read_signs(parsed.opt("signs"))
    if signs and not users:
        raise UsageError("stakeholder.signs_need_slack", ADD_EXAMPLE)
    if signs and org != "client":
        raise UsageError("stakeholder.signs_client_only", ADD_EXAMPLE)
    return StakeholderDraft(
        user_id=users[0] if users else None, name=name, role=role, org=org, influence=influence, signs=signs
    )


def label_of(row: Stakeholder) -> str:
    """What the audit log names a stakeholder by (they have no reference of their own)."""
    return f"SH:{row.user_id or row.name}"[:32]


def _team_only(actor: Actor, example: str) -> None:
    """The register is the team's own view: created, read and changed only where no client reads."""
    require(actor, Action.CREATE, example)
    if actor.place.client_facing:
        raise refusal(actor.viewer)


async def add(session: AsyncSession, actor: Actor, draft: StakeholderDraft) -> tuple[Stakeholder, bool]:
    """Add someone to the register, or update them when already there (by Slack user). True: newly added."""
    _team_only(actor, ADD_EXAMPLE)
    existing = None
    if draft.user_id:
        existing = await repo.find_by_user(session, project_id=actor.project_id, user_id=draft.user_id)
    else:
        wanted = draft.name.casefold()
        for row in await repo.list_stakeholders(session, project_id=actor.project_id):
            if row.user_id is None and row.name.casefold() == wanted:
                existing = row
    fields = {
        "name": draft.name,
        "role": draft.role,
        "org": draft.org,
        "influence": draft.influence,
        "signs": list(draft.signs),
    }
    if existing is not None:
        for key, value in fields.items():
            setattr(existing, key, value)
        session.add(existing)
        await session.flush()
        await log_change(session, actor, "stakeholder.update", existing, fields, ref=label_of(existing))
        return existing, False
    row = await repo.add_stakeholder(
        session,
        project_id=actor.project_id,
        user_id=draft.user_id,
        created_by=actor.viewer.user_id,
        name=draft.name,
        role=draft.role,
        org=draft.org,
        influence=draft.influence,
        signs=list(draft.signs),
    )
    await log_change(session, actor, "stakeholder.add", row, fields, ref=label_of(row))
    return row, True


async def listing(session: AsyncSession, actor: Actor) -> list[Stakeholder]:
    """The register, client side first, then by influence (high first)."""
    _team_only(actor, "cmd.stakeholder.list.example")
    rows = await repo.list_stakeholders(session, project_id=actor.project_id)
    return sorted(rows, key=lambda r: (r.org != "client", INFLUENCE_ORDER.get(r.influence, 1), r.id or 0))


async def remove(session: AsyncSession, actor: Actor, parsed: ParsedCommand) -> Stakeholder:
    """`remove @carol` or `remove Zhang Wei`: off the register (the audit log keeps what they were)."""
    _team_only(actor, REMOVE_EXAMPLE)
    users = list(dict.fromkeys(parsed.users))
    name = " ".join(parsed.text.split())
    if len(users) > 1 or (users and name) or not (users or name):
        raise UsageError("stakeholder.missing_who", REMOVE_EXAMPLE)
    found = None
    for row in await repo.list_stakeholders(session, project_id=actor.project_id):
        if (users and row.user_id == users[0]) or (name and row.name.casefold() == name.casefold()):
            found = row
            break
    if found is None:
        raise UsageError("stakeholder.not_found", REMOVE_EXAMPLE, who=name or f"<@{users[0]}>")
    await log_change(
        session,
        actor,
        "stakeholder.remove",
        found,
        {"name": found.name, "role": found.role, "signs": list(found.signs)},
        ref=label_of(found),
    )
    await repo.delete_stakeholder(session, row=found)
    return found


async def approvers_for(session: AsyncSession, project: Project, subject: str) -> list[str]:
    """Who may sign `subject` for the client: stakeholders who sign it, else the project's approvers
    (both empty: anyone of the client's organisation, which the caller decides)."""
    assert project.id is not None
    signers = [
        row.user_id
        for row in await repo.list_stakeholders(session, project_id=project.id)
        if row.user_id and subject in (row.signs or [])
    ]
    return signers or list(project.approvers or [])
