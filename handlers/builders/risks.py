"""Risk replies and the new-risk form: pure functions from records to Block Kit, user text escaped.

`team_view` (from the policy's `shows_internal_fields`) adds what only the team may see: visibility,
who changed what, and old values in the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.domain.records import ref_of
from bot.domain.risks import Detail, Listing, RiskFilter, Saved, Strategy, risk_level, score
from bot.i18n import t
from bot.mrkdwn import escape, mention, truncate
from bot.styles import LEVEL_STYLE
from bot.timeexpr import render_date, render_instant
from handlers import ids
from handlers.builders.common import (
    MAX_BLOCKS,
    Block,
    Reply,
    code,
    context,
    divider,
    fields,
    form,
    header,
    section,
)
from storage.models import AuditLog, Risk

LEVEL_EMOJI = {level: style.emoji for level, style in LEVEL_STYLE.items()}
ROW_TITLE = 200
FALLBACK_TITLE = 80


def none(lang: str) -> str:
    return t("risk.none", lang)


def day(value: date | None, lang: str) -> str:
    return render_date(value, lang) if value else none(lang)


def owner_text(user_id: str | None, name: str | None, lang: str) -> str:
    """The one place a user's text may become a real mention: the owner, when Slack said who it is."""
    if user_id:
        return mention(user_id)
    if name:
        return escape(name)
    return none(lang)


def level_text(risk: Risk, lang: str) -> str:
    level = risk_level(risk)
    return t(
        "risk.score",
        lang,
        level=t(f"risk.level.{level}", lang),
        score=score(risk.probability, risk.impact),
        p=risk.probability,
        i=risk.impact,
    )


def strategy_text(value: str, lang: str) -> str:
    known = {str(s) for s in Strategy}
    return t(f"risk.strategy.{value}", lang) if value in known else escape(value)


def visibility_text(value: str, lang: str) -> str:
    return t("risk.visibility.client" if value == "client" else "risk.visibility.internal", lang)


def status_text(risk: Risk, lang: str) -> str:
    return t("risk.status.closed" if risk.status == "closed" else "risk.status.open", lang)


def title_line(risk: Risk, *, limit: int = 300) -> str:
    return f"{LEVEL_EMOJI[risk_level(risk)]} *{ref_of(risk)}* {escape(truncate(risk.title, limit))}"


def plain_line(risk: Risk, lang: str) -> str:
    """A fallback-text line: escaped, short, with the id so people can drill in."""
    level = t(f"risk.level.{risk_level(risk)}", lang)
    title = escape(truncate(risk.title, FALLBACK_TITLE))
    return f"{ref_of(risk)} {title} ({level} {score(risk.probability, risk.impact)})"


# ---- one risk ----------------------------------------------------------------------------------------


def build_risk_card(risk: Risk, lang: str, *, team_view: bool) -> list[Block]:
    pairs = [
        (t("risk.field.level", lang), level_text(risk, lang)),
        (t("risk.field.owner", lang), owner_text(risk.owner_user_id, risk.owner_name, lang)),
        (t("risk.field.due", lang), day(risk.due_on, lang)),
        (t("risk.field.strategy", lang), strategy_text(risk.strategy, lang)),
        (t("risk.field.status", lang), status_text(risk, lang)),
    ]
    if team_view:
        pairs.append((t("risk.field.visibility", lang), visibility_text(risk.visibility, lang)))
    blocks: list[Block] = [section(title_line(risk)), fields(pairs)]
    if risk.response:
        blocks.append(section(f"*{t('risk.field.response', lang)}*\n{escape(truncate(risk.response, 2800))}"))
    if risk.status == "closed" and risk.close_note:
        blocks.append(section(f"*{t('risk.field.note', lang)}*\n{escape(truncate(risk.close_note, 2800))}"))
    return blocks


def build_risk_saved(saved: Saved, lang: str, *, verb: str, team_view: bool) -> Reply:
    """The answer to add/update/close/reopen: what happened, then the risk as it now is."""
    ref = ref_of(saved.risk)
    if saved.repeated:
        message = t("risk.repeated", lang, ref=ref)
    elif verb == "updated" and not saved.changed:
        message = t("risk.unchanged", lang, ref=ref)
    elif verb == "updated":
        message = t(
            "risk.updated", lang, ref=ref, fields=", ".join(field_label(f, lang) for f in saved.changed)
        )
    else:
        message = t(f"risk.{verb}", lang, ref=ref)
    blocks = [
        section(f":white_check_mark: {message}"),
        *build_risk_card(saved.risk, lang, team_view=team_view),
    ]
    return Reply(text=f"{message} {plain_line(saved.risk, lang)}", blocks=blocks)


def build_risk_detail(detail: Detail, lang: str, *, tz: str, team_view: bool) -> Reply:
    risk = detail.risk
    blocks = build_risk_card(risk, lang, team_view=team_view)
    blocks.append(divider())
    lines = [history_line(entry, lang, tz=tz, team_view=team_view) for entry in detail.history]
    history = f"*{t('risk.field.history', lang)}*\n" + "\n".join(lines)
    blocks.append(section(history))
    if detail.earlier:
        blocks.append(context(t("risk.history.earlier", lang, count=detail.earlier)))
    return Reply(text=plain_line(risk, lang), blocks=blocks)


# ---- history -----------------------------------------------------------------------------------------

FIELD_KEYS = {
    "title": "risk.field.title",
    "probability": "risk.field.probability",
    "impact": "risk.field.impact",
    "owner_user_id": "risk.field.owner",
    "owner_name": "risk.field.owner",
    "due_on": "risk.field.due",
    "strategy": "risk.field.strategy",
    "response": "risk.field.response",
    "visibility": "risk.field.visibility",
    "status": "risk.field.status",
    "forecast_on": "milestone.field.forecast",
    "planned_on": "milestone.field.planned",
    "done_on": "milestone.field.actual",
}
TEXT_FIELDS = frozenset({"title", "response", "note", "reason"})


def field_label(name: str, lang: str) -> str:
    key = FIELD_KEYS.get(name)
    return t(key, lang) if key else escape(name)


def _value(name: str, value: Any, lang: str) -> str:
    if value is None or value == "":
        return none(lang)
    if name == "owner_user_id":
        return mention(str(value))
    if name == "strategy":
        return strategy_text(str(value), lang)
    if name == "visibility":
        return visibility_text(str(value), lang)
    return escape(truncate(str(value), 80))


def _changes(entry: AuditLog, lang: str) -> str:
    parts: list[str] = []
    for name, change in entry.changes.items():
        if name in TEXT_FIELDS and not (isinstance(change, list) and len(change) == 2):
            continue  # a note or reason shown below, or the creation's text
        if isinstance(change, list) and len(change) == 2:
            if name in TEXT_FIELDS:
                parts.append(field_label(name, lang))
            else:
                old, new = change
                parts.append(
                    f"{field_label(name, lang)} {_value(name, old, lang)} → {_value(name, new, lang)}"
                )
    for name in ("note", "reason"):
        text = entry.changes.get(name)
        if isinstance(text, str) and text:
            parts.append(f"“{escape(truncate(text, 200))}”")
    return ", ".join(parts)


def history_line(entry: AuditLog, lang: str, *, tz: str, team_view: bool) -> str:
    """One audit entry. The client audience sees when and what kind of change, never who or the values."""
    when = render_instant(entry.at, tz, lang)
    key = f"risk.history.{entry.action}"
    action = t(key if key in _HISTORY_KEYS else "risk.history.other", lang)
    if not team_view:
        return f"`{when}` {action}"
    details = _changes(entry, lang)
    line = f"`{when}` {mention(entry.actor_user_id)} {action}"
    return f"{line}: {details}" if details else line


_HISTORY_KEYS = frozenset(
    f"risk.history.{a}"
    for a in (
        "risk.create",
        "risk.update",
        "risk.close",
        "risk.reopen",
        "milestone.create",
        "milestone.done",
        "milestone.slip",
    )
)


# ---- lists -------------------------------------------------------------------------------------------


def risk_row(risk: Risk, lang: str) -> Block:
    facts = [
        level_text(risk, lang),
        f"{t('risk.field.owner', lang)} {owner_text(risk.owner_user_id, risk.owner_name, lang)}",
        f"{t('risk.field.due', lang)} {day(risk.due_on, lang)}",
        strategy_text(risk.strategy, lang),
    ]
    if risk.status == "closed":
        facts.append(status_text(risk, lang))
    block = section(f"{title_line(risk, limit=ROW_TITLE)}\n{' · '.join(facts)}")
    block["accessory"] = {
        "type": "button",
        "action_id": ids.RISK_SHOW,
        "text": {"type": "plain_text", "text": t("risk.details", lang)},
        "value": ref_of(risk),
    }
    return block


def build_risk_list(listing: Listing, lang: str, *, flt: RiskFilter, search: str) -> Reply:
    title = t(f"risk.list.{flt}", lang)
    blocks: list[Block] = [header(title)]
    lines = [title]
    if search:
        matching = t("risk.list.matching", lang, search=escape(search))
        blocks.append(context(matching))
        lines.append(matching)
    if not listing.risks:
        empty = t("risk.list.none", lang)
        blocks.append(section(empty))
        return Reply(text=f"{title}: {empty}", blocks=blocks)
    room = MAX_BLOCKS - len(blocks) - 1  # keep one for the footer
    rows = listing.risks[:room]
    blocks.extend(risk_row(r, lang) for r in rows)
    lines.extend(plain_line(r, lang) for r in rows)
    more = listing.total - len(rows)
    footer = t("risk.more", lang, count=more) if more else t("risk.list.sorted", lang)
    blocks.append(context(footer))
    if more:
        lines.append(footer)
    return Reply(text="\n".join(lines), blocks=blocks)


# ---- the form ----------------------------------------------------------------------------------------


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _scale_options(lang: str) -> list[dict[str, Any]]:
    return [{"text": _plain(t(f"risk.scale.{n}", lang)), "value": str(n)} for n in range(1, 6)]


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


def build_risk_modal(lang: str, *, metadata: str) -> dict[str, Any]:
    """The full new-risk form; `metadata` says where to confirm (channel) and for which project."""
    strategies = [{"text": _plain(t(f"risk.strategy.{s}", lang)), "value": str(s)} for s in Strategy]
    mitigate = next(o for o in strategies if o["value"] == Strategy.MITIGATE)
    share = {"text": _plain(t("risk.modal.share", lang)), "value": "client"}
    blocks: Sequence[Block] = (
        _input(
            ids.RISK_TITLE,
            t("risk.modal.title_label", lang),
            {
                "type": "plain_text_input",
                "max_length": 300,
                "placeholder": _plain(t("risk.modal.title_placeholder", lang)),
            },
        ),
        _input(
            ids.RISK_P,
            t("risk.modal.p_label", lang),
            {
                "type": "static_select",
                "options": _scale_options(lang),
                "placeholder": _plain(t("risk.modal.choose", lang)),
            },
        ),
        _input(
            ids.RISK_I,
            t("risk.modal.i_label", lang),
            {
                "type": "static_select",
                "options": _scale_options(lang),
                "placeholder": _plain(t("risk.modal.choose", lang)),
            },
        ),
        _input(ids.RISK_OWNER, t("risk.modal.owner_label", lang), {"type": "users_select"}, optional=True),
        _input(ids.RISK_DUE, t("risk.modal.due_label", lang), {"type": "datepicker"}, optional=True),
        _input(
            ids.RISK_STRATEGY,
            t("risk.modal.strategy_label", lang),
            {"type": "static_select", "options": strategies, "initial_option": mitigate},
        ),
        _input(
            ids.RISK_RESPONSE,
            t("risk.modal.response_label", lang),
            {
                "type": "plain_text_input",
                "multiline": True,
                "max_length": 3000,
                "placeholder": _plain(t("risk.modal.response_placeholder", lang)),
            },
            optional=True,
        ),
        {
            **_input(
                ids.RISK_SHARE,
                t("risk.modal.share_label", lang),
                {"type": "checkboxes", "options": [share]},
                optional=True,
            ),
            "hint": _plain(t("risk.modal.share_hint", lang)),
        },
    )
    return form(
        {
            "type": "modal",
            "callback_id": ids.RISK_MODAL,
            "private_metadata": metadata,
            "title": _plain(t("risk.modal.title", lang)),
            "submit": _plain(t("risk.modal.submit", lang)),
            "close": _plain(t("risk.modal.close", lang)),
            "blocks": list(blocks),
        },
        lang,
    )


def build_notice(key: str, lang: str, *, example: str | None = None, **params: Any) -> Reply:
    text = t(key, lang, **{k: escape(str(v)) for k, v in params.items()})
    blocks: list[Block] = [section(text)]
    if example:
        blocks.append(context(t("error.example", lang, example=code(t(example, lang)))))
    return Reply(text=text, blocks=blocks)
