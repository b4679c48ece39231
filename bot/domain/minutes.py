"""Minutes: the quick form and the form, edits with undoable deletes, and the client's confirmation.

What the client confirms is `ClientContent.text`: the client-safe rendering of the minutes (only client
decisions and action items of client minutes). It is posted as the message's text, laid out line for line
in its blocks, and sent through the one sign-off workflow (bot/domain/signoff.py): each send is a version
with that text and its SHA-256; Confirm approves it and Request changes rejects it with the client's comment.
Status that changes after sending by design (done marks, "confirmed by") is shown beside that text, never
inside it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import MINUTES
from bot.domain import records, signoff
from bot.domain.actions import ActionDraft, due_label, insert_action, parse_action_line, resolve_due
from bot.domain.decisions import DecisionDraft, insert_decision, parse_decision, readable
from bot.domain.records import (
    PREFIX,
    Actor,
    Pending,
    check_length,
    claim,
    example_for,
    load,
    load_by_id,
    log_change,
    number_for,
    ref_of,
    require_writable,
    visibility_from,
)
from bot.domain.when import DateOrder, due_date
from bot.errors import UsageError
from bot.grammar import parse_line, plain_text
from bot.i18n import normalise_lang, t
from bot.mrkdwn import escape, mention, truncate
from bot.policy import Action, Visibility, client_safe, visible
from bot.timeexpr import render_date
from storage.models import ActionItem, Decision, Minutes, Project, SignOff
from storage.repo import actions as actions_repo
from storage.repo import decisions as decisions_repo
from storage.repo import minutes as repo
from storage.repo import projects

QUICK_EXAMPLE = "cmd.minutes.quick.example"
NEW_EXAMPLE = "cmd.minutes.new.example"
LIST_EXAMPLE = "cmd.minutes.list.example"
SHOW_EXAMPLE = "cmd.minutes.show.example"
EDIT_EXAMPLE = "cmd.minutes.edit.example"
DELETE_EXAMPLE = "cmd.minutes.delete.example"
SEND_EXAMPLE = "cmd.minutes.send.example"

MAX_TITLE = 300
MAX_NOTES = 3000
MAX_QUICK_LINES = 300  # `/minutes` typed or pasted: a long meeting, not a log (the form takes more)
MAX_QUICK_CHARS = 20_000  # half of what Slack keeps of a message (40,000)
MAX_CLIENT_ATTENDEES = 1000
UNDO_WINDOW = timedelta(minutes=10)

# What one message to the client can hold (Block Kit: 50 blocks; Slack cuts `text` past 40,000 characters).
MAX_CLIENT_DECISIONS = 15
MAX_CLIENT_ACTIONS = 20
CLIENT_LINE_LIMIT = 1000

CONFIRM = "confirm"
CHANGES = "changes"

_LINE = re.compile(r"^\s*(?:[-*•·]\s*)?(decision|决定|action|行动)\s*[:：]\s*(.*)$", re.IGNORECASE)
_FORM_REF = re.compile(r"^\s*(?:[-*•·]\s*)?#?([DA])-?(\d{1,9})\s*[:：]\s*(.*)$", re.IGNORECASE)
_AT_NAME = re.compile(r"(?<![\w.@])@([^\s@<>&,，;；:：()（）]+)")
_SPECIAL = {"here", "channel", "everyone"}
_USER_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")


# ---- drafts: parsed and checked input, nothing written yet -------------------------------------------


@dataclass
class MinutesDraft:
    title: str
    visibility: Visibility
    date_text: str | None = None
    meeting_on: date | None = None
    attendees: list[str] = field(default_factory=list)
    client_attendees: str = ""
    notes: str = ""
    decisions: list[DecisionDraft] | None = field(default_factory=list)  # None: leave as they are
    actions: list[ActionDraft] | None = field(default_factory=list)

    def all_actions(self) -> list[ActionDraft]:
        return list(self.actions or [])


def _title(raw: str, date_value: str | None, fallback: str) -> str:
    """The first line's plain text without its flags and its `date:` option."""
    if date_value:
        words = r"\s+".join(re.escape(escape(word)) for word in date_value.split())
        pattern = rf"(?:date|日期)\s*[:：]\s*[\"“「『]?\s*{words}\s*[\"”」』]?"
        raw, found = re.subn(pattern, " ", raw, count=1, flags=re.IGNORECASE)
        if not found:
            return " ".join(fallback.split())
    return readable(raw)


def check_title(title: str, *, example: str) -> str:
    if not title:
        raise UsageError("minutes.empty_title", example)
    return check_length(title, MAX_TITLE, key="minutes.title_too_long", example=example)


def check_quick_size(raw: str) -> None:
    """Refuse quick minutes past MAX_QUICK_LINES or MAX_QUICK_CHARS before any parsing: a pasted log of 10,000
    lines was 10,000 decisions and 18 s of work. Checked on the text as Slack sends it."""
    if len(raw) > MAX_QUICK_CHARS:
        raise UsageError("minutes.text_too_long", QUICK_EXAMPLE, length=len(raw), limit=MAX_QUICK_CHARS)
    lines = raw.count("\n") + 1
    if lines > MAX_QUICK_LINES:
        raise UsageError("minutes.too_many_lines", QUICK_EXAMPLE, lines=lines, limit=MAX_QUICK_LINES)


def parse_quick(raw: str) -> MinutesDraft:
    """`/minutes <title> [client] date:…` then lines: `decision: …`, `action: … @owner due:…`, or notes."""
    check_quick_size(raw)
    first, *rest = raw.replace("\r", "").split("\n")
    with example_for(QUICK_EXAMPLE):
        head = parse_line(MINUTES, MINUTES.sub("quick"), first)
    title = check_title(_title(first, head.opt("date"), head.text), example=QUICK_EXAMPLE)
    draft = MinutesDraft(
        title=title,
        visibility=visibility_from(head.flags, example=QUICK_EXAMPLE),
        date_text=head.opt("date"),
    )
    decisions: list[DecisionDraft] = []
    actions: list[ActionDraft] = []
    notes: list[str] = []
    for line in rest:
        m = _LINE.match(line)
        if m is None:
            notes.append(plain_text(line))
        elif m.group(1).lower() in ("decision", "决定"):
            decisions.append(parse_decision(m.group(2), example=QUICK_EXAMPLE))
        else:
            actions.append(parse_action_line(m.group(2), example=QUICK_EXAMPLE))
    draft.notes = check_length(
        "\n".join(notes).strip(), MAX_NOTES, key="minutes.notes_too_long", example=QUICK_EXAMPLE
    )
    draft.decisions, draft.actions = decisions, actions
    return draft


@dataclass(frozen=True)
class FormInput:
    """The minutes form's values as Slack sends them (raw text, not escaped)."""

    title: str
    meeting_on: date | None
    attendees: list[str]
    client_attendees: str
    notes: str
    decisions: str | None  # None: the field was not in the form (too long to edit there)
    actions: str | None
    share: bool


class FormErrors(Exception):
    """Every problem in a submitted form, by field, so the modal can show them all at once."""

    def __init__(self, errors: Mapping[str, UsageError]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


def resolve_people(text: str, people: Mapping[str, str], *, example: str) -> str:
    """Typed `@name`s in a form (Slack leaves them as text there) become mentions of known people."""

    def swap(m: re.Match[str]) -> str:
        name = m.group(1)
        bare = name.rstrip(".!?。！？")  # "… by @alice." ends a sentence, not a name
        trailing = name[len(bare) :]
        if bare.lower() in _SPECIAL:
            return m.group(0)
        if _USER_ID.match(bare):
            return f"<@{bare}>{trailing}"
        user_id = people.get(name.lower()) or people.get(bare.lower())
        if user_id is None:
            raise UsageError("minutes.unknown_person", example, name="@" + bare)
        return f"<@{user_id}>" + ("" if name.lower() in people else trailing)

    return _AT_NAME.sub(swap, text)


def _form_lines(text: str, kind: str, *, editing: bool) -> list[tuple[int | None, str]]:
    """Non-empty lines with the `D-4:` / `A-12:` reference the edit form puts in front of existing items."""
    lines: list[tuple[int | None, str]] = []
    for line in text.replace("\r", "").split("\n"):
        if not line.strip():
            continue
        m = _FORM_REF.match(line)
        if m and m.group(1).upper() == kind:
            if not editing:
                raise UsageError("minutes.ref_not_here", NEW_EXAMPLE, ref=f"{kind}-{m.group(2)}")
            lines.append((int(m.group(2)), m.group(3)))
        else:
            lines.append((None, line))
    return lines


def parse_form(form: FormInput, *, people: Mapping[str, str], editing: bool) -> MinutesDraft:
    """Check every field of the minutes form; raise FormErrors naming each bad one."""
    example = EDIT_EXAMPLE if editing else NEW_EXAMPLE
    errors: dict[str, UsageError] = {}
    draft = MinutesDraft(
        title="",
        visibility=Visibility.CLIENT if form.share else Visibility.INTERNAL,
        meeting_on=form.meeting_on,
        attendees=list(dict.fromkeys(form.attendees)),
    )
    try:
        draft.title = check_title(form.title.strip(), example=example)
    except UsageError as err:
        errors["title"] = err
    if form.meeting_on is None:
        errors["date"] = UsageError("minutes.missing_date", example)
    try:
        draft.client_attendees = check_length(
            form.client_attendees.strip(),
            MAX_CLIENT_ATTENDEES,
            key="minutes.client_attendees_too_long",
            example=example,
        )
    except UsageError as err:
        errors["client_attendees"] = err
    try:
        draft.notes = check_length(
            form.notes.strip(), MAX_NOTES, key="minutes.notes_too_long", example=example
        )
    except UsageError as err:
        errors["notes"] = err
    if form.decisions is None:
        draft.decisions = None
    else:
        try:
            decisions = []
            for ref, line in _form_lines(form.decisions, "D", editing=editing):
                decision = parse_decision(escape(line), example=example)
                decision.ref = ref
                decisions.append(decision)
            draft.decisions = decisions
        except UsageError as err:
            errors["decisions"] = err
    if form.actions is None:
        draft.actions = None
    else:
        try:
            actions = []
            for ref, line in _form_lines(form.actions, "A", editing=editing):
                action = parse_action_line(
                    resolve_people(escape(line), people, example=example), example=example
                )
                action.ref = ref
                actions.append(action)
            draft.actions = actions
        except UsageError as err:
            errors["actions"] = err
    if errors:
        raise FormErrors(errors)
    return draft


def form_lines(
    minutes: Minutes,
    decisions: Sequence[Decision],
    actions: Sequence[ActionItem],
    *,
    names: Mapping[str, str],
) -> tuple[str, str]:
    """The edit form's decision and action lines, in the grammar the form reads back."""

    def flag(visibility: str) -> str:
        return "" if visibility == minutes.visibility else f" [{visibility}]"

    decision_lines = [f"D-{d.number}: {d.text}{flag(d.visibility)}" for d in decisions]
    action_lines = []
    for a in actions:
        parts = [f"A-{a.number}: {a.text}"]
        if a.owner_user_id:
            parts.append("@" + names.get(a.owner_user_id, a.owner_user_id))
        elif a.owner_name:
            parts.append(f"owner:{a.owner_name}")
        if a.due_on:
            parts.append(f"due:{a.due_on.isoformat()}")
        action_lines.append(" ".join(parts) + flag(a.visibility))
    return "\n".join(decision_lines), "\n".join(action_lines)


async def resolve_dates(
    draft: MinutesDraft,
    *,
    now: datetime,
    tz: str,
    example: str,
    country: str | None = None,
    date_order: DateOrder | None = "mdy",
) -> None:
    """The meeting's date (`date:` or today in the project's zone) and every action's due date."""
    if draft.date_text:
        with example_for(example):
            draft.meeting_on = await due_date(
                draft.date_text, now=now, tz=tz, country=country, date_order=date_order
            )
    elif draft.meeting_on is None:
        draft.meeting_on = today_in(tz, now)
    await resolve_due(
        draft.all_actions(), now=now, tz=tz, example=example, country=country, date_order=date_order
    )


# ---- writing ----------------------------------------------------------------------------------------


@dataclass
class Recorded:
    minutes: Minutes
    decisions: list[Decision]
    actions: list[ActionItem]


def _check_writable(actor: Actor, draft: MinutesDraft, *, action: Action, example: str) -> None:
    require_writable(actor, Pending(draft.visibility.value), action=action, example=example)
    for decision in draft.decisions or []:
        visibility = decision.visibility or draft.visibility
        require_writable(actor, Pending(visibility.value), action=action, example=example)
    for item in draft.actions or []:
        visibility = item.visibility or draft.visibility
        require_writable(actor, Pending(visibility.value, item.owner.user_id), action=action, example=example)


async def record_minutes(
    session: AsyncSession, actor: Actor, draft: MinutesDraft, *, request_key: str | None, example: str
) -> Recorded | None:
    """Write minutes with their decisions and action items; None when the request was already handled."""
    assert draft.meeting_on is not None, "dates are resolved before the write transaction"
    _check_writable(actor, draft, action=Action.CREATE, example=example)
    if not await claim(session, request_key):
        return None
    minutes = await repo.create_minutes(
        session,
        project_id=actor.project_id,
        number=await number_for(session, Minutes, actor.project_id),
        visibility=draft.visibility.value,
        title=draft.title,
        meeting_on=draft.meeting_on,
        attendees=draft.attendees,
        client_attendees=draft.client_attendees,
        notes=draft.notes,
        created_by=actor.viewer.user_id,
    )
    await log_change(
        session,
        actor,
        "minutes.create",
        minutes,
        {"title": minutes.title, "visibility": minutes.visibility, "meeting_on": minutes.meeting_on},
    )
    decisions = [
        await insert_decision(session, actor, d, decided_on=minutes.meeting_on, minutes=minutes)
        for d in draft.decisions or []
    ]
    actions = [await insert_action(session, actor, a, minutes=minutes) for a in draft.actions or []]
    return Recorded(minutes=minutes, decisions=decisions, actions=actions)


async def load_with_items(
    session: AsyncSession, actor: Actor, text: str, *, action: Action, example: str
) -> Recorded:
    """Minutes by reference with the decisions and action items the actor may see here."""
    minutes = await load(session, Minutes, actor, text, action=action, example=example)
    return await _with_items(session, actor, minutes)


async def _with_items(session: AsyncSession, actor: Actor, minutes: Minutes) -> Recorded:
    assert minutes.id is not None
    decisions = await decisions_repo.list_decisions(
        session, project_id=actor.project_id, minutes_id=minutes.id
    )
    actions = await actions_repo.list_actions(session, project_id=actor.project_id, minutes_id=minutes.id)
    return Recorded(
        minutes=minutes,
        decisions=visible(actor.viewer, actor.place, decisions),
        actions=visible(actor.viewer, actor.place, actions),
    )


async def edit_minutes(
    session: AsyncSession,
    actor: Actor,
    number: int,
    draft: MinutesDraft,
    *,
    now: datetime,
    request_key: str | None,
) -> Recorded | None:
    """Apply the edit form: fields, and the decision/action lines (kept by reference, new, or removed).

    Only items the actor may see here are touched: lines for hidden ones were never in the form.
    """
    current = await load_with_items(session, actor, f"M-{number}", action=Action.UPDATE, example=EDIT_EXAMPLE)
    minutes = current.minutes
    _check_writable(actor, draft, action=Action.UPDATE, example=EDIT_EXAMPLE)
    assert draft.meeting_on is not None
    if not await claim(session, request_key):
        return None
    delta = records.delta(
        minutes,
        {
            "title": draft.title,
            "meeting_on": draft.meeting_on,
            "attendees": draft.attendees,
            "client_attendees": draft.client_attendees,
            "notes": draft.notes,
            "visibility": draft.visibility.value,
        },
    )
    if delta:
        await repo.update_minutes(session, minutes=minutes, changes={k: v[1] for k, v in delta.items()})
        await log_change(session, actor, "minutes.edit", minutes, delta)
    if draft.decisions is not None:
        await _edit_decisions(session, actor, minutes, current.decisions, draft, now=now)
    if draft.actions is not None:
        await _edit_actions(session, actor, minutes, current.actions, draft, now=now)
    assert minutes.id is not None
    await note_content_change(session, minutes_id=minutes.id)
    return await _with_items(session, actor, minutes)


def _matched(drafts: Sequence[Any], existing: Mapping[int, Any], prefix: str) -> None:
    seen: set[int] = set()
    for draft in drafts:
        if draft.ref is None:
            continue
        if draft.ref not in existing:
            raise UsageError("minutes.unknown_ref", EDIT_EXAMPLE, ref=f"{prefix}-{draft.ref}")
        if draft.ref in seen:
            raise UsageError("minutes.ref_twice", EDIT_EXAMPLE, ref=f"{prefix}-{draft.ref}")
        seen.add(draft.ref)


async def _edit_decisions(
    session: AsyncSession,
    actor: Actor,
    minutes: Minutes,
    existing: Sequence[Decision],
    draft: MinutesDraft,
    *,
    now: datetime,
) -> None:
    by_number = {d.number: d for d in existing}
    drafts = draft.decisions or []
    _matched(drafts, by_number, PREFIX[Decision])
    for d in drafts:
        visibility = (d.visibility or draft.visibility).value
        if d.ref is None:
            await insert_decision(
                session,
                actor,
                DecisionDraft(d.text, Visibility(visibility)),
                decided_on=minutes.meeting_on,
                minutes=minutes,
            )
            continue
        decision = by_number[d.ref]
        delta = records.delta(decision, {"text": d.text, "visibility": visibility})
        if delta:
            await decisions_repo.update_decision(
                session, decision=decision, changes={k: v[1] for k, v in delta.items()}
            )
            await log_change(session, actor, "decision.edit", decision, delta)
    kept = {d.ref for d in drafts}
    for number, decision in by_number.items():
        if number not in kept:
            await decisions_repo.delete_decision(session, decision=decision, at=now)
            await log_change(session, actor, "decision.delete", decision, {"minutes": ref_of(minutes)})


async def _edit_actions(
    session: AsyncSession,
    actor: Actor,
    minutes: Minutes,
    existing: Sequence[ActionItem],
    draft: MinutesDraft,
    *,
    now: datetime,
) -> None:
    by_number = {a.number: a for a in existing}
    drafts = draft.actions or []
    _matched(drafts, by_number, PREFIX[ActionItem])
    for a in drafts:
        visibility = (a.visibility or draft.visibility).value
        if a.ref is None:
            a.visibility = Visibility(visibility)
            await insert_action(session, actor, a, minutes=minutes)
            continue
        item = by_number[a.ref]
        wanted: dict[str, Any] = {
            "text": a.text,
            "visibility": visibility,
            "owner_user_id": a.owner.user_id,
            "owner_name": a.owner.name,
            "due_on": a.due_on,
        }
        if a.owner.user_id != item.owner_user_id:
            wanted["owner_team_id"] = a.owner.team_id
        delta = records.delta(item, wanted)
        if delta:
            await actions_repo.update_action(session, item=item, changes={k: v[1] for k, v in delta.items()})
            await log_change(session, actor, "action.edit", item, delta)
    kept = {a.ref for a in drafts}
    for number, item in by_number.items():
        if number not in kept:
            await actions_repo.delete_action(session, item=item, at=now)
            await log_change(session, actor, "action.delete", item, {"minutes": ref_of(minutes)})


async def delete_minutes(session: AsyncSession, actor: Actor, text: str, *, now: datetime) -> Minutes:
    """Soft-delete minutes with the items of theirs the actor may see here; undoable for ten minutes."""
    found = await load_with_items(session, actor, text, action=Action.UPDATE, example=DELETE_EXAMPLE)
    items: list[Decision | ActionItem] = [*found.decisions, *found.actions]
    await repo.set_deleted(session, minutes=found.minutes, items=items, at=now)
    await log_change(
        session, actor, "minutes.delete", found.minutes, {"items": [ref_of(item) for item in items]}
    )
    return found.minutes


async def undo_delete(session: AsyncSession, actor: Actor, minutes_id: int, *, now: datetime) -> Minutes:
    minutes = await repo.get_minutes(session, minutes_id=minutes_id, include_deleted=True)
    if minutes is None or minutes.project_id != actor.project_id:
        raise UsageError("refs.gone", DELETE_EXAMPLE)
    ref = ref_of(minutes)
    if minutes.deleted_at is None:
        raise UsageError("minutes.not_deleted", SHOW_EXAMPLE, ref=ref)
    require_writable(actor, minutes, action=Action.UPDATE, example=DELETE_EXAMPLE)
    if now - minutes.deleted_at > UNDO_WINDOW:
        raise UsageError(
            "minutes.undo_too_late", DELETE_EXAMPLE, ref=ref, minutes=int(UNDO_WINDOW.total_seconds() // 60)
        )
    assert minutes.id is not None
    decisions, actions = await repo.list_children(session, minutes_id=minutes.id)
    items: list[Decision | ActionItem] = [*decisions, *actions]
    deleted_with = [i for i in items if i.deleted_at is not None and i.deleted_at == minutes.deleted_at]
    await repo.set_deleted(session, minutes=minutes, items=deleted_with, at=None)
    await log_change(session, actor, "minutes.restore", minutes, {"items": [ref_of(i) for i in deleted_with]})
    return minutes


# ---- what the client sees and confirms ---------------------------------------------------------------


@dataclass(frozen=True)
class ClientItem:
    record_id: int
    ref: str
    line: str  # mrkdwn, exactly as in the text
    owner_user_id: str | None = None
    owner_team_id: str | None = None
    done: bool = False


@dataclass(frozen=True)
class ClientContent:
    minutes_id: int
    ref: str
    heading: str
    meta: str
    notes: str
    decisions_label: str
    decisions: tuple[ClientItem, ...]
    more_decisions: str
    actions_label: str
    actions: tuple[ClientItem, ...]
    more_actions: str
    text: str
    hash: str


def content_hash(text: str) -> str:
    """SHA-256 of exactly the text a client was shown."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def owner_text(item: ActionItem, lang: str) -> str:
    if item.owner_user_id:
        return mention(item.owner_user_id)
    if item.owner_name:
        return escape(item.owner_name)
    return t("action.no_owner", lang)


def decision_line(decision: Decision, *, limit: int = CLIENT_LINE_LIMIT) -> str:
    return f"• *{ref_of(decision)}* {escape(truncate(decision.text, limit))}"


def action_line(item: ActionItem, lang: str, *, limit: int = CLIENT_LINE_LIMIT) -> str:
    due = t("action.due", lang, date=due_label(item, lang)) if item.due_on else t("action.no_due", lang)
    return f"• *{ref_of(item)}* {escape(truncate(item.text, limit))} — {owner_text(item, lang)} — {due}"


def attendees_text(minutes: Minutes) -> str:
    people = [mention(u) for u in minutes.attendees]
    if minutes.client_attendees:
        people.append(escape(minutes.client_attendees))
    return ", ".join(people)


def compose_client(
    minutes: Minutes, decisions: Sequence[Decision], actions: Sequence[ActionItem], lang: str
) -> ClientContent:
    """The client-safe rendering of minutes: only client items, bounded to fit one message."""
    assert minutes.id is not None
    shown_decisions = client_safe(decisions)
    shown_actions = client_safe(actions)
    ref = ref_of(minutes)
    heading = f"*{ref} · {escape(minutes.title)}*"
    meta = t("minutes.label.date", lang, date=render_date(minutes.meeting_on, lang))
    if minutes.attendees or minutes.client_attendees:
        meta += "\n" + t("minutes.label.attendees", lang, people=attendees_text(minutes))
    notes = escape(minutes.notes)
    d_items = tuple(
        ClientItem(record_id=d.id or 0, ref=ref_of(d), line=decision_line(d))
        for d in shown_decisions[:MAX_CLIENT_DECISIONS]
    )
    a_items = tuple(
        ClientItem(
            record_id=a.id or 0,
            ref=ref_of(a),
            line=action_line(a, lang),
            owner_user_id=a.owner_user_id,
            owner_team_id=a.owner_team_id,
            done=a.status == actions_repo.DONE,
        )
        for a in shown_actions[:MAX_CLIENT_ACTIONS]
    )
    more_d = len(shown_decisions) - len(d_items)
    more_a = len(shown_actions) - len(a_items)
    content = ClientContent(
        minutes_id=minutes.id,
        ref=ref,
        heading=heading,
        meta=meta,
        notes=notes,
        decisions_label=f"*{t('minutes.label.decisions', lang)}*" if d_items else "",
        decisions=d_items,
        more_decisions=t("minutes.more", lang, count=more_d) if more_d > 0 else "",
        actions_label=f"*{t('minutes.label.actions', lang)}*" if a_items else "",
        actions=a_items,
        more_actions=t("minutes.more", lang, count=more_a) if more_a > 0 else "",
        text="",
        hash="",
    )
    lines = [
        content.heading,
        content.meta,
        content.notes,
        content.decisions_label,
        *(i.line for i in d_items),
        content.more_decisions,
        content.actions_label,
        *(i.line for i in a_items),
        content.more_actions,
    ]
    text = "\n".join(line for line in lines if line)
    return replace(content, text=text, hash=content_hash(text))


async def project_lang(session: AsyncSession, project_id: int) -> str:
    project = await session.get(Project, project_id)
    return normalise_lang(project.lang if project else None)


async def client_content(session: AsyncSession, minutes: Minutes) -> ClientContent:
    """What sending these minutes now would show the client (in the project's language)."""
    assert minutes.id is not None
    decisions = await decisions_repo.list_decisions(
        session, project_id=minutes.project_id, minutes_id=minutes.id
    )
    actions = await actions_repo.list_actions(session, project_id=minutes.project_id, minutes_id=minutes.id)
    return compose_client(minutes, decisions, actions, await project_lang(session, minutes.project_id))


async def note_content_change(session: AsyncSession, *, minutes_id: int) -> None:
    """After an edit: confirmed minutes whose client text now differs are marked changed since confirmed."""
    minutes = await repo.get_minutes(session, minutes_id=minutes_id)
    if minutes is None or minutes.confirmed_hash is None:
        return
    changed = (await client_content(session, minutes)).hash != minutes.confirmed_hash
    if changed != minutes.changed_since_confirmed:
        await repo.update_minutes(session, minutes=minutes, changes={"changed_since_confirmed": changed})


@dataclass(frozen=True)
class Confirmation:
    """The client's word on one sent version, as the minutes' messages and history show it."""

    kind: str  # CONFIRM | CHANGES
    user_id: str
    team_id: str | None
    is_external: bool
    content_hash: str
    comment: str
    at: datetime


def confirmations_of(versions: Sequence[SignOff]) -> list[Confirmation]:
    """Decided versions, oldest first: approved is a confirmation, rejected a request for changes."""
    found = []
    for v in versions:
        if v.status not in signoff.OUTCOMES or v.decided_by is None or v.decided_at is None:
            continue
        found.append(
            Confirmation(
                kind=CHANGES if v.status == signoff.REJECTED else CONFIRM,
                user_id=v.decided_by,
                team_id=v.decided_team_id,
                is_external=bool(v.decided_external),
                content_hash=v.content_hash,
                comment=v.remarks,
                at=v.decided_at,
            )
        )
    return found


async def list_confirmations(session: AsyncSession, minutes: Minutes) -> list[Confirmation]:
    assert minutes.id is not None
    return confirmations_of(await signoff.history(session, subject=SUBJECT, record=minutes))


SUBJECT = "minutes"


async def _on_decided(
    session: AsyncSession, actor: Actor, minutes: Minutes, row: SignOff, now: datetime
) -> None:
    """Confirmed: remember which text the client confirmed (lists, digests and edits compare against it)."""
    if row.status in (signoff.APPROVED, signoff.REMARKS):
        await repo.update_minutes(
            session,
            minutes=minutes,
            changes={"confirmed_hash": row.content_hash, "changed_since_confirmed": False},
        )


signoff.register(signoff.SubjectKind(SUBJECT, _on_decided))


@dataclass
class SendPlan:
    minutes: Minutes
    content: ClientContent
    channel_id: str
    confirmations: list[Confirmation]
    previous: tuple[str, str] | None  # the message sent before, to retire


async def plan_send(
    session: AsyncSession, actor: Actor, text: str, *, request_key: str | None
) -> SendPlan | None:
    """Check that the minutes can go to the client channel and render them; None for a retried request."""
    minutes = await load(session, Minutes, actor, text, action=Action.UPDATE, example=SEND_EXAMPLE)
    if minutes.visibility != Visibility.CLIENT:
        raise UsageError("minutes.send_internal", EDIT_EXAMPLE, ref=ref_of(minutes))
    channels = [
        c
        for c in await projects.list_channels(session, project_id=actor.project_id)
        if c.role == projects.CLIENT
    ]
    if not channels:
        raise UsageError("minutes.no_client_channel", "cmd.project.client_channel.example")
    assert minutes.id is not None
    content = await client_content(session, minutes)
    last = await signoff.latest(session, subject=SUBJECT, subject_id=minutes.id)
    if last is not None and last.status == signoff.REJECTED and last.content_hash == content.hash:
        raise UsageError("minutes.unchanged_since_changes", EDIT_EXAMPLE, ref=ref_of(minutes))
    if not await claim(session, request_key):
        return None
    previous = (
        (minutes.sent_channel_id, minutes.sent_ts) if minutes.sent_channel_id and minutes.sent_ts else None
    )
    return SendPlan(
        minutes=minutes,
        content=content,
        channel_id=channels[0].channel_id,
        confirmations=await list_confirmations(session, minutes),
        previous=previous,
    )


async def mark_sent(
    session: AsyncSession,
    actor: Actor,
    minutes_id: int,
    *,
    channel_id: str,
    ts: str,
    content: ClientContent,
    now: datetime,
) -> Minutes:
    """The message is posted: record it, and the version the client now confirms or asks to change."""
    minutes = await load_by_id(
        session, Minutes, actor, minutes_id, action=Action.UPDATE, example=SEND_EXAMPLE
    )
    await repo.update_minutes(
        session,
        minutes=minutes,
        changes={"sent_channel_id": channel_id, "sent_ts": ts, "sent_hash": content.hash},
    )
    requested = await signoff.request(
        session,
        actor,
        signoff.Subject(kind=SUBJECT, record=minutes, content=content.text),
        example=SEND_EXAMPLE,
        now=now,
        resend_same=True,
    )
    assert requested.row.id is not None
    await signoff.posted(session, signoff_id=requested.row.id, message_ts=ts)
    await log_change(
        session, actor, "minutes.send", minutes, {"channel": channel_id, "ts": ts, "hash": content.hash}
    )
    return minutes


@dataclass
class Confirmed:
    minutes: Minutes
    content: ClientContent
    confirmations: list[Confirmation]
    created: bool  # False: the client had already given their word on this text
    changes_requested: bool = False  # the client asked for changes to this text before
    decided: signoff.Decided | None = None  # the version's decision, for telling the team


async def _current_version(
    session: AsyncSession, actor: Actor, minutes_id: int, *, shown_hash: str
) -> tuple[Minutes, ClientContent, SignOff]:
    """The minutes and the sent version the clicked message shows, if it is still the current text."""
    if not actor.viewer.speaks_for_client:
        raise UsageError("policy.client_only")
    minutes = await load_by_id(
        session, Minutes, actor, minutes_id, action=Action.CONFIRM, example=SHOW_EXAMPLE
    )
    assert minutes.id is not None
    content = await client_content(session, minutes)
    version = await signoff.latest(session, subject=SUBJECT, subject_id=minutes.id)
    if version is None or shown_hash != content.hash or version.content_hash != shown_hash:
        raise UsageError("minutes.stale", None, ref=ref_of(minutes))
    return minutes, content, version


async def confirm(
    session: AsyncSession, actor: Actor, minutes_id: int, *, shown_hash: str, now: datetime
) -> Confirmed:
    """Record a client's Confirm click on the text they were shown, unless the minutes changed since."""
    minutes, content, version = await _current_version(session, actor, minutes_id, shown_hash=shown_hash)
    assert version.id is not None
    decided = await signoff.decide(
        session, actor, version.id, shown_hash=shown_hash, outcome=signoff.APPROVED, remarks="", now=now
    )
    return Confirmed(
        minutes=minutes,
        content=content,
        confirmations=await list_confirmations(session, minutes),
        created=decided.created,
        changes_requested=decided.row.status == signoff.REJECTED,
        decided=decided,
    )


async def check_can_confirm(
    session: AsyncSession, actor: Actor, minutes_id: int, *, shown_hash: str
) -> Minutes:
    """Before the Request changes form opens: the client may still give their word on this text."""
    minutes, _content, version = await _current_version(session, actor, minutes_id, shown_hash=shown_hash)
    assert version.id is not None
    await signoff.check_may_decide(session, actor, version.id)
    if version.status != signoff.WAITING:
        key = (
            "minutes.changes_already_requested"
            if version.status == signoff.REJECTED
            else "minutes.already_confirmed"
        )
        raise UsageError(key, None, ref=ref_of(minutes))
    return minutes


@dataclass
class ChangesRequested:
    minutes: Minutes
    confirmation: Confirmation
    internal_channel_id: str | None
    content: ClientContent
    confirmations: list[Confirmation]


async def request_changes(
    session: AsyncSession, actor: Actor, minutes_id: int, *, shown_hash: str, comment: str, now: datetime
) -> ChangesRequested:
    minutes, content, version = await _current_version(session, actor, minutes_id, shown_hash=shown_hash)
    assert version.id is not None
    decided = await signoff.decide(
        session, actor, version.id, shown_hash=shown_hash, outcome=signoff.REJECTED, remarks=comment, now=now
    )
    if not decided.created:
        key = (
            "minutes.changes_already_requested"
            if decided.row.status == signoff.REJECTED
            else "minutes.already_confirmed"
        )
        raise UsageError(key, None, ref=ref_of(minutes))
    confirmations = await list_confirmations(session, minutes)
    return ChangesRequested(
        minutes=minutes,
        confirmation=confirmations[-1],
        internal_channel_id=decided.internal_channel_id,
        content=content,
        confirmations=confirmations,
    )


@dataclass
class SentMessage:
    """What re-rendering the message in the client channel needs."""

    minutes: Minutes
    channel_id: str
    ts: str
    content: ClientContent
    confirmations: list[Confirmation]
    lang: str
    tz: str


async def sent_message_state(session: AsyncSession, minutes_id: int) -> SentMessage | None:
    """For refreshing the message in the client channel: None if it no longer shows the current text."""
    minutes = await repo.get_minutes(session, minutes_id=minutes_id)
    if minutes is None or not minutes.sent_ts or not minutes.sent_channel_id:
        return None
    content = await client_content(session, minutes)
    project = await session.get(Project, minutes.project_id)
    if content.hash != minutes.sent_hash or project is None:
        return None
    return SentMessage(
        minutes=minutes,
        channel_id=minutes.sent_channel_id,
        ts=minutes.sent_ts,
        content=content,
        confirmations=await list_confirmations(session, minutes),
        lang=normalise_lang(project.lang),
        tz=project.tz,
    )


# ---- reading ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    minutes: Minutes
    decisions: int  # only those the viewer may see
    actions: int


async def list_minutes(session: AsyncSession, actor: Actor) -> list[Summary]:
    rows = visible(actor.viewer, actor.place, await repo.list_minutes(session, project_id=actor.project_id))
    ids = [m.id for m in rows if m.id is not None]
    decisions = visible(
        actor.viewer, actor.place, await decisions_repo.list_for_minutes(session, minutes_ids=ids)
    )
    actions = visible(
        actor.viewer, actor.place, await actions_repo.list_for_minutes(session, minutes_ids=ids)
    )
    return [
        Summary(
            minutes=m,
            decisions=sum(1 for d in decisions if d.minutes_id == m.id),
            actions=sum(1 for a in actions if a.minutes_id == m.id),
        )
        for m in rows
    ]


@dataclass
class Detail:
    minutes: Minutes
    decisions: list[Decision]
    actions: list[ActionItem]
    confirmations: list[Confirmation]
    changed_since_sent: bool  # the client text differs from what was last sent


async def show_minutes(session: AsyncSession, actor: Actor, text: str) -> Detail:
    found = await load_with_items(session, actor, text, action=Action.READ, example=SHOW_EXAMPLE)
    minutes = found.minutes
    assert minutes.id is not None
    changed = False
    if minutes.sent_hash:
        changed = (await client_content(session, minutes)).hash != minutes.sent_hash
    return Detail(
        minutes=minutes,
        decisions=found.decisions,
        actions=found.actions,
        confirmations=await list_confirmations(session, minutes),
        changed_since_sent=changed,
    )


def status_key(minutes: Minutes) -> str | None:
    """The confirmation status shown in lists and details (a catalogue key), if any."""
    if minutes.changed_since_confirmed:
        return "minutes.status.changed"
    if minutes.confirmed_hash:
        return "minutes.status.confirmed"
    if minutes.sent_hash:
        return "minutes.status.sent"
    return None


def today_in(tz: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(tz)).date()
