"""Change request replies and the new-change form: pure functions from records to Block Kit, user text escaped.

`team_view` (the policy's `shows_internal_fields`) adds what only the team may see: visibility, who did what.
Affected records arrive already filtered for the viewer (bot/domain/changes.py `change_detail`).
"""

from __future__ import annotations

from typing import Any

from bot.domain import signoff
from bot.domain.changes import (
    DRAFT,
    SENT,
    ChangeFilter,
    Detail,
    Listing,
    Saved,
    impact_of,
    impact_text,
)
from bot.domain.records import ref_of
from bot.i18n import t
from bot.mrkdwn import escape, mention, truncate
from bot.timeexpr import render_instant, render_local_date
from handlers import ids
from handlers.builders.common import MAX_BLOCKS, Block, Reply, context, divider, fields, form, header, section
from handlers.builders.risks import visibility_text
from storage.models import AuditLog, ChangeRequest, SignOff

STATUS_EMOJI = {
    "draft": ":memo:",
    "sent": ":hourglass_flowing_sand:",
    "approved": ":white_check_mark:",
    "rejected": ":x:",
    "withdrawn": ":heavy_minus_sign:",
}
ROW_TITLE = 200
FIELD_KEYS = {
    "title": "change.field.title",
    "why": "change.field.why",
    "impact_days": "change.field.impact",
    "impact_hours": "change.field.impact",
    "impact_cost": "change.field.impact",
    "affects": "change.field.affects",
    "visibility": "change.field.visibility",
    "status": "change.field.status",
}


def status_text(change: ChangeRequest, lang: str) -> str:
    emoji = STATUS_EMOJI.get(change.status, "")
    return f"{emoji} {t(f'change.status.{change.status}', lang)}".strip()


def title_line(change: ChangeRequest, *, limit: int = 300) -> str:
    return f"*{ref_of(change)}* {escape(truncate(change.title, limit))}"


def plain_line(change: ChangeRequest, lang: str) -> str:
    title = escape(truncate(change.title, 80))
    return f"{ref_of(change)} {title} ({t(f'change.status.{change.status}', lang)})"


def affects_text(affected: list[tuple[str, str | None]], lang: str) -> str:
    if not affected:
        return t("change.no_affects", lang)
    lines = []
    for ref, title in affected:
        if title is None:
            lines.append(t("change.affect_gone", lang, ref=ref))
        else:
            lines.append(f"{ref} {escape(truncate(title, 120))}")
    return "\n".join(lines)


def build_change_card(
    change: ChangeRequest, affected: list[tuple[str, str | None]], lang: str, *, team_view: bool
) -> list[Block]:
    pairs = [
        (t("change.field.status", lang), status_text(change, lang)),
        (t("change.field.impact", lang), impact_text(impact_of(change), lang)),
        (t("change.field.affects", lang), affects_text(affected, lang)),
    ]
    if team_view:
        pairs.append((t("change.field.visibility", lang), visibility_text(change.visibility, lang)))
    blocks: list[Block] = [section(title_line(change)), fields(pairs)]
    if change.why:
        blocks.append(section(f"*{t('change.field.why', lang)}*\n{escape(truncate(change.why, 2800))}"))
    return blocks


def build_change_saved(saved: Saved, lang: str, *, verb: str, team_view: bool) -> Reply:
    """The answer to add/edit/withdraw: what happened, then the CR as it now is (the team's own places only:
    affected records are named by reference)."""
    change = saved.change
    ref = ref_of(change)
    if saved.repeated:
        message = t("change.repeated", lang, ref=ref)
    elif verb == "updated" and not saved.changed:
        message = t("change.unchanged", lang, ref=ref)
    elif verb == "updated":
        names = dict.fromkeys(t(FIELD_KEYS.get(f, "change.field.title"), lang) for f in saved.changed)
        message = t("change.updated", lang, ref=ref, fields=", ".join(names))
        if change.status == SENT:
            message = f"{message} {t('change.updated_sent', lang, ref=ref)}"
    else:
        message = t(f"change.{verb}", lang, ref=ref)
    affected: list[tuple[str, str | None]] = [(r, "") for r in change.affects or []] if team_view else []
    blocks = [
        section(f":white_check_mark: {message}"),
        *build_change_card(change, affected, lang, team_view=team_view),
    ]
    return Reply(text=f"{message} {plain_line(change, lang)}", blocks=blocks)


# ---- one change request ------------------------------------------------------------------------------


def _day(at: Any, tz: str, lang: str) -> str:
    return render_local_date(at, tz, lang) if at is not None else "—"


def version_line(row: SignOff, lang: str, *, tz: str) -> str:
    sent = _day(row.requested_at, tz, lang)
    if row.status in signoff.OUTCOMES and row.decided_by:
        return t(
            f"change.version.{row.status}",
            lang,
            version=row.version,
            date=sent,
            who=mention(row.decided_by),
            decided=_day(row.decided_at, tz, lang),
            remarks=escape(truncate(row.remarks, 500)),
        )
    key = "change.version.superseded" if row.status == signoff.SUPERSEDED else "change.version.waiting"
    return t(key, lang, version=row.version, date=sent)


def history_line(entry: AuditLog, lang: str, *, tz: str, team_view: bool) -> str:
    """One audit entry. The client audience sees when and what kind of change, never who."""
    when = render_instant(entry.at, tz, lang)
    key = f"change.history.{entry.action}"
    action = t(key if key in _HISTORY_KEYS else "change.history.other", lang)
    if not team_view:
        return f"`{when}` {action}"
    fields_changed = [
        FIELD_KEYS[k] for k in entry.changes if k in FIELD_KEYS and entry.action == "change.update"
    ]
    details = ", ".join(dict.fromkeys(t(k, lang) for k in fields_changed))
    line = f"`{when}` {mention(entry.actor_user_id)} {action}"
    return f"{line}: {details}" if details else line


_HISTORY_KEYS = frozenset(
    f"change.history.change.{a}"
    for a in (
        "create",
        "update",
        "withdraw",
        "signoff_sent",
        "signoff_approved",
        "signoff_remarks",
        "signoff_rejected",
    )
)


def build_change_detail(detail: Detail, lang: str, *, tz: str, team_view: bool) -> Reply:
    change = detail.change
    ref = ref_of(change)
    blocks = build_change_card(change, detail.affected, lang, team_view=team_view)
    latest = detail.latest
    if change.status == "rejected" and latest is not None and latest.status == signoff.REJECTED:
        reason = escape(truncate(latest.remarks, 2800))
        blocks.append(section(f"*{t('change.field.reason', lang)}*\n{reason}"))
    if detail.versions:
        lines = [version_line(v, lang, tz=tz) for v in detail.versions[-10:]]
    else:
        lines = [t("change.no_versions", lang, ref=ref)] if team_view and change.status == DRAFT else []
    if lines:
        blocks.append(section(f"*{t('change.field.versions', lang)}*\n" + "\n".join(lines)))
    if detail.changed_since_sent and team_view and latest is not None:
        blocks.append(context(t("change.changed_since_sent", lang, version=latest.version, ref=ref)))
    blocks.append(divider())
    history = [history_line(e, lang, tz=tz, team_view=team_view) for e in detail.history]
    blocks.append(section(f"*{t('change.field.history', lang)}*\n" + "\n".join(history)))
    if detail.earlier:
        blocks.append(context(t("risk.history.earlier", lang, count=detail.earlier)))
    return Reply(text=plain_line(change, lang), blocks=blocks)


# ---- lists -------------------------------------------------------------------------------------------


def change_row(change: ChangeRequest, lang: str) -> Block:
    facts = [status_text(change, lang), impact_text(impact_of(change), lang)]
    return section(f"{title_line(change, limit=ROW_TITLE)}\n{' · '.join(facts)}")


def build_change_list(listing: Listing, lang: str, *, flt: ChangeFilter) -> Reply:
    title = t(f"change.list.{flt}", lang)
    total = t(
        "change.list.total", lang, count=listing.approved_count, impact=impact_text(listing.approved, lang)
    )
    blocks: list[Block] = [header(title), context(total)]
    lines = [title, total]
    if not listing.changes:
        empty = t("change.list.none", lang)
        blocks.append(section(empty))
        return Reply(text="\n".join([*lines, empty]), blocks=blocks)
    rows = listing.changes[: MAX_BLOCKS - len(blocks) - 1]
    blocks.extend(change_row(c, lang) for c in rows)
    lines.extend(plain_line(c, lang) for c in rows)
    more = listing.total - len(rows)
    if more:
        footer = t("change.more", lang, count=more)
        blocks.append(context(footer))
        lines.append(footer)
    return Reply(text="\n".join(lines), blocks=blocks)


# ---- the form ----------------------------------------------------------------------------------------


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": {**element, "action_id": block_id},
    }
    if optional:
        block["optional"] = True
    return block


def _text_input(
    max_length: int, placeholder: str | None = None, *, multiline: bool = False
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "max_length": max_length}
    if multiline:
        element["multiline"] = True
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    return element


def build_change_modal(lang: str, *, metadata: str) -> dict[str, Any]:
    """The new-change form; `metadata` says where to confirm (channel) and for which project."""
    share = {"text": _plain(t("change.modal.share", lang)), "value": "client"}
    blocks: list[Block] = [
        _input(
            ids.CHANGE_TITLE,
            t("change.modal.title_label", lang),
            _text_input(300, t("change.modal.title_placeholder", lang)),
        ),
        _input(
            ids.CHANGE_WHY,
            t("change.modal.why_label", lang),
            _text_input(3000, multiline=True),
            optional=True,
        ),
        _input(ids.CHANGE_DAYS, t("change.modal.days_label", lang), _text_input(12, "5"), optional=True),
        _input(ids.CHANGE_HOURS, t("change.modal.hours_label", lang), _text_input(12, "16"), optional=True),
        _input(ids.CHANGE_COST, t("change.modal.cost_label", lang), _text_input(20, "8000"), optional=True),
        _input(
            ids.CHANGE_AFFECTS,
            t("change.modal.affects_label", lang),
            _text_input(300, t("change.modal.affects_placeholder", lang)),
            optional=True,
        ),
        {
            **_input(
                ids.CHANGE_SHARE,
                t("change.modal.share_label", lang),
                {"type": "checkboxes", "options": [share]},
                optional=True,
            ),
            "hint": _plain(t("change.modal.share_hint", lang)),
        },
    ]
    return form(
        {
            "type": "modal",
            "callback_id": ids.CHANGE_MODAL,
            "private_metadata": metadata,
            "title": _plain(truncate(t("change.modal.title", lang), 24)),
            "submit": _plain(truncate(t("change.modal.submit", lang), 24)),
            "close": _plain(truncate(t("change.modal.close", lang), 24)),
            "blocks": blocks,
        },
        lang,
    )
