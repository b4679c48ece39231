"""Requirement replies: the one just added, changed or deleted, `/requirement list` and `show`. Pure."""

from __future__ import annotations

from datetime import datetime

from bot.domain.records import ref_of
from bot.domain.requirements import BaselineState, Detail, Listing
from bot.i18n import t
from bot.mrkdwn import escape, mention, truncate
from bot.timeexpr import render_instant, render_local_date
from handlers import ids
from handlers.builders.common import MAX_BLOCKS, Block, Reply, context, divider, fields, section
from handlers.builders.minutes import sections, tag
from storage.models import AuditLog, Requirement

BASELINED = ":lock:"
CHANGED = ":warning:"


def priority_text(priority: str, lang: str) -> str:
    return t(f"requirement.priority.{priority}", lang)


def marks(requirement: Requirement, lang: str, *, changed: bool) -> str:
    """Baselined (and at which version), or changed since that baseline."""
    version = requirement.baseline_version
    if version is None:
        return ""
    if changed:
        return f" · {CHANGED} _{t('requirement.mark.changed', lang, version=version)}_"
    return f" · {BASELINED} _{t('requirement.mark.baselined', lang, version=version)}_"


def requirement_line(requirement: Requirement, lang: str, *, changed: bool, team_view: bool) -> str:
    return (
        f"*{ref_of(requirement)}* `{priority_text(requirement.priority, lang)}` "
        f"{escape(truncate(requirement.text, 2800))}"
        + marks(requirement, lang, changed=changed)
        + tag(requirement.visibility, lang, team_view=team_view)
    )


def plain_line(requirement: Requirement, lang: str) -> str:
    return f"{ref_of(requirement)} [{priority_text(requirement.priority, lang)}] {truncate(requirement.text, 200)}"


def build_requirement_saved(
    requirement: Requirement, message: str, lang: str, *, changed: bool, team_view: bool
) -> Reply:
    """`message` is already rendered by the caller's choice of catalogue key (references only, no user text)."""
    line = requirement_line(requirement, lang, changed=changed, team_view=team_view)
    return Reply(
        text=f"{message} {escape(plain_line(requirement, lang))}",
        blocks=[section(f":white_check_mark: {message}"), section(line)],
    )


def build_requirement_deleted(
    requirement: Requirement, message: str, lang: str, *, undo_minutes: int
) -> Reply:
    """The deletion, with an Undo button that works for `undo_minutes` (as for decisions and minutes)."""
    button = {
        "type": "button",
        "action_id": ids.REQUIREMENT_UNDO_DELETE,
        "text": {"type": "plain_text", "text": t("record.button.undo", lang)},
        "value": str(requirement.id),
    }
    note = t("requirement.undo_for", lang, minutes=undo_minutes)
    return Reply(
        text=f"{message} {note}",
        blocks=[section(f":wastebasket: {message} {note}"), {"type": "actions", "elements": [button]}],
    )


def build_requirement_restored(requirement: Requirement, lang: str, *, team_view: bool) -> Reply:
    text = t("record.restored", lang, ref=f"*{ref_of(requirement)}*")
    line = requirement_line(requirement, lang, changed=False, team_view=team_view)
    return Reply(text=text, blocks=[section(f"{text}\n{line}")])


def _day(at: datetime, tz: str, lang: str) -> str:
    return render_local_date(at, tz, lang)


def baseline_lines(state: BaselineState, lang: str, *, tz: str, team_view: bool) -> list[str]:
    lines: list[str] = []
    approved, rejected = state.approved, state.rejected
    if approved is not None and approved.decided_at is not None:
        lines.append(
            f"{BASELINED} "
            + t(
                "requirement.list.approved",
                lang,
                version=approved.version,
                date=_day(approved.decided_at, tz, lang),
            )
        )
    if state.waiting is not None:
        waiting = state.waiting
        lines.append(
            ":hourglass_flowing_sand: "
            + t(
                "requirement.list.waiting",
                lang,
                version=waiting.version,
                date=_day(waiting.requested_at, tz, lang),
            )
        )
    if rejected is not None and rejected.decided_at is not None:
        lines.append(
            ":x: "
            + t(
                "requirement.list.rejected",
                lang,
                version=rejected.version,
                date=_day(rejected.decided_at, tz, lang),
                remarks=escape(truncate(rejected.remarks, 500)),
            )
        )
    if not lines and team_view:
        lines.append(t("requirement.list.no_baseline", lang))
    return lines


def build_requirement_list(listing: Listing, lang: str, *, tz: str, team_view: bool) -> Reply:
    """`listing` holds only what the viewer may see here: every count counts only that."""
    if not listing.rows:
        empty = t("requirement.list.none", lang)
        return Reply(text=empty, blocks=[section(empty)])
    title = t("requirement.list.title", lang, count=len(listing.rows))
    lines = [
        requirement_line(row.requirement, lang, changed=row.changed, team_view=team_view)
        for row in listing.rows
    ]
    blocks: list[Block] = sections(title, lines)[: MAX_BLOCKS - 1]
    state = baseline_lines(listing.baseline, lang, tz=tz, team_view=team_view)
    if state:
        blocks.append(context("\n".join(state)))
    plain = [title, *(plain_line(row.requirement, lang) for row in listing.rows)]
    return Reply(text=escape("\n".join(plain)), blocks=blocks)


def _baseline_text(detail: Detail, lang: str) -> str:
    version = detail.requirement.baseline_version
    if version is None:
        return t("requirement.not_baselined", lang)
    if detail.changed:
        return f"{CHANGED} {t('requirement.changed_since', lang, version=version)}"
    return f"{BASELINED} {t('requirement.in_baseline', lang, version=version)}"


def history_line(entry: AuditLog, lang: str, *, tz: str, team_view: bool) -> str:
    """One audit entry. The client audience sees when and what kind of change, never who or the values."""
    when = render_instant(entry.at, tz, lang)
    key = f"requirement.history.{entry.action}"
    action = t(key if key in _HISTORY_KEYS else "requirement.history.other", lang)
    if entry.action == "requirement.baselined" and isinstance(entry.changes.get("baseline"), int):
        action += f" ({t('requirement.mark.baselined', lang, version=entry.changes['baseline'])})"
    if not team_view:
        return f"`{when}` {action}"
    parts: list[str] = []
    for name in ("priority", "visibility"):
        change = entry.changes.get(name)
        if isinstance(change, list) and len(change) == 2:
            label = t(f"requirement.field.{name}", lang)
            parts.append(f"{label} {escape(str(change[0]))} → {escape(str(change[1]))}")
    text = entry.changes.get("text")
    if isinstance(text, list) and len(text) == 2:
        parts.append(f"“{escape(truncate(str(text[1]), 200))}”")
    if isinstance(entry.changes.get("change_request"), str):
        parts.append(escape(entry.changes["change_request"]))
    line = f"`{when}` {mention(entry.actor_user_id)} {action}"
    return f"{line}: {', '.join(parts)}" if parts else line


_HISTORY_KEYS = frozenset(
    f"requirement.history.requirement.{verb}" for verb in ("create", "edit", "delete", "baselined")
)


def build_requirement_detail(detail: Detail, lang: str, *, tz: str, team_view: bool) -> Reply:
    r = detail.requirement
    pairs = [
        (t("requirement.field.priority", lang), priority_text(r.priority, lang)),
        (t("requirement.field.baseline", lang), _baseline_text(detail, lang)),
    ]
    if team_view:
        pairs.append(
            (t("requirement.field.visibility", lang), t(f"requirement.visibility.{r.visibility}", lang))
        )
    blocks: list[Block] = [
        section(f"*{ref_of(r)}* {escape(truncate(r.text, 2800))}"),
        fields(pairs),
        divider(),
    ]
    history = [history_line(e, lang, tz=tz, team_view=team_view) for e in detail.history]
    blocks.extend(sections(t("requirement.field.history", lang), history))
    if detail.earlier:
        blocks.append(context(t("requirement.history.earlier", lang, count=detail.earlier)))
    return Reply(text=escape(plain_line(r, lang)), blocks=blocks[:MAX_BLOCKS])
