"""Issue replies, the client channel's panel, the issue form and the messages about an issue: pure functions
from records to Block Kit, user text escaped.

Client-facing text (the panel, the acknowledgement, "Assigned", the waiting list) speaks in buttons and shows
times as Slack date tokens, so each reader sees their own zone; the team's lists show the project's zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.issues import (
    OPEN,
    QUESTION,
    Detail,
    IssueFilter,
    Listing,
    Reason,
    Saved,
    Severity,
    Target,
    Waiting,
    severity_of,
)
from bot.domain.records import ref_of
from bot.domain.risks import Level
from bot.i18n import t
from bot.mrkdwn import bold, date_time, escape, mention, truncate
from bot.styles import LEVEL_STYLE
from bot.timeexpr import render_date, render_instant
from handlers import ids
from handlers.builders.common import (
    MAX_BLOCKS,
    Block,
    Reply,
    context,
    divider,
    fields,
    form,
    header,
    section,
)
from storage.models import AuditLog, Issue, Project

ROW_TITLE = 200
FALLBACK_TITLE = 80


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, 150)}


def emoji(issue: Issue) -> str:
    return LEVEL_STYLE[Level(str(severity_of(issue)))].emoji


def severity_text(issue: Issue, lang: str) -> str:
    return t(f"issue.severity.{severity_of(issue)}", lang)


def none(lang: str) -> str:
    return t("issue.none", lang)


def owner_text(issue: Issue, lang: str) -> str:
    if issue.owner_user_id:
        return mention(issue.owner_user_id)
    if issue.owner_name:
        return escape(issue.owner_name)
    return none(lang)


def when_text(at: datetime | None, lang: str, *, tz: str, client_facing: bool) -> str:
    """A client reads a Slack date token (their own zone); the team reads the project's zone."""
    if at is None:
        return none(lang)
    return date_time(at) if client_facing else render_instant(at, tz, lang)


def title_line(issue: Issue, *, limit: int = 300) -> str:
    return f"{emoji(issue)} *{ref_of(issue)}* {escape(truncate(issue.title, limit))}"


def plain_line(issue: Issue, lang: str) -> str:
    return f"{ref_of(issue)} {escape(truncate(issue.title, FALLBACK_TITLE))} ({severity_text(issue, lang)})"


def target_text(target: Target, lang: str) -> str:
    return t(f"issue.target.{target.unit}", lang, n=target.amount)


# ---- one issue ---------------------------------------------------------------------------------------


def build_issue_card(
    issue: Issue, lang: str, *, tz: str, team_view: bool, respond_by: datetime | None = None
) -> list[Block]:
    status = t(f"issue.status.{issue.status if issue.status == OPEN else 'resolved'}", lang)
    pairs = [
        (
            t("issue.field.kind", lang),
            t(f"issue.kind.{'question' if issue.kind == QUESTION else 'issue'}", lang),
        ),
        (t("issue.field.severity", lang), severity_text(issue, lang)),
        (t("issue.field.owner", lang), owner_text(issue, lang)),
        (t("issue.field.due", lang), when_text(issue.due_at, lang, tz=tz, client_facing=not team_view)),
        (t("issue.field.status", lang), status),
        (t("issue.field.raised_by", lang), mention(issue.raised_by)),
    ]
    if team_view:
        pairs.append(
            (
                t("issue.field.visibility", lang),
                t(f"issue.visibility.{'client' if issue.visibility == 'client' else 'internal'}", lang),
            )
        )
        if issue.first_response_at is not None:
            answered = render_instant(issue.first_response_at, tz, lang)
            pairs.append((t("issue.field.response", lang), t("issue.response.done", lang, when=answered)))
        elif respond_by is not None and issue.status == OPEN:
            due = render_instant(respond_by, tz, lang)
            pairs.append((t("issue.field.response", lang), t("issue.response.waiting", lang, when=due)))
    blocks: list[Block] = [section(title_line(issue)), fields(pairs)]
    if issue.description:
        text = escape(truncate(issue.description, 2800))
        blocks.append(section(f"*{t('issue.field.description', lang)}*\n{text}"))
    if issue.status != OPEN and issue.resolution:
        text = escape(truncate(issue.resolution, 2800))
        blocks.append(section(f"*{t('issue.field.resolution', lang)}*\n{text}"))
    return blocks


def build_issue_saved(saved: Saved, lang: str, *, verb: str, tz: str, team_view: bool) -> Reply:
    ref = ref_of(saved.issue)
    if saved.repeated:
        message = t("issue.repeated", lang, ref=ref)
    elif verb == "updated" and not saved.changed:
        message = t("issue.unchanged", lang, ref=ref)
    elif verb == "updated":
        message = t(
            "issue.updated", lang, ref=ref, fields=", ".join(field_label(f, lang) for f in saved.changed)
        )
    else:
        message = t(f"issue.{verb}", lang, ref=ref)
    blocks = [
        section(f":white_check_mark: {message}"),
        *build_issue_card(saved.issue, lang, tz=tz, team_view=team_view),
    ]
    return Reply(text=f"{message} {plain_line(saved.issue, lang)}", blocks=blocks)


FIELD_KEYS = {
    "title": "issue.field.title",
    "severity": "issue.field.severity",
    "owner_user_id": "issue.field.owner",
    "owner_name": "issue.field.owner",
    "due_at": "issue.field.due",
    "visibility": "issue.field.visibility",
    "status": "issue.field.status",
}


def field_label(name: str, lang: str) -> str:
    key = FIELD_KEYS.get(name)
    return t(key, lang) if key else escape(name)


def _value(name: str, value: Any, lang: str) -> str:
    if value is None or value == "":
        return none(lang)
    if name == "owner_user_id":
        return mention(str(value))
    if name == "severity" and value in {str(s) for s in Severity}:
        return t(f"issue.severity.{value}", lang)
    if name == "visibility":
        return t(f"issue.visibility.{'client' if value == 'client' else 'internal'}", lang)
    return escape(truncate(str(value), 80))


def history_line(entry: AuditLog, lang: str, *, tz: str, team_view: bool) -> str:
    """One audit entry; the client audience sees when and what kind of change, never who or the values."""
    when = render_instant(entry.at, tz, lang)
    key = f"issue.history.{entry.action}"
    action = t(key if key in _HISTORY_KEYS else "issue.history.other", lang)
    if not team_view:
        return f"`{when}` {action}"
    parts = [
        f"{field_label(name, lang)} {_value(name, change[0], lang)} → {_value(name, change[1], lang)}"
        for name, change in entry.changes.items()
        if isinstance(change, list) and len(change) == 2 and name != "title"
    ]
    if isinstance(note := entry.changes.get("note"), str) and note:
        parts.append(f"“{escape(truncate(note, 200))}”")
    line = f"`{when}` {mention(entry.actor_user_id)} {action}"
    return f"{line}: {', '.join(parts)}" if parts else line


_HISTORY_KEYS = frozenset(
    f"issue.history.issue.{verb}" for verb in ("create", "update", "assign", "resolve", "reopen")
)


def build_issue_detail(
    detail: Detail, lang: str, *, tz: str, team_view: bool, respond_by: datetime | None = None
) -> Reply:
    issue = detail.issue
    blocks = build_issue_card(issue, lang, tz=tz, team_view=team_view, respond_by=respond_by)
    blocks.append(divider())
    lines = [history_line(e, lang, tz=tz, team_view=team_view) for e in detail.history]
    blocks.append(section(f"*{t('issue.field.history', lang)}*\n" + "\n".join(lines)))
    if detail.earlier:
        blocks.append(context(t("issue.history.earlier", lang, count=detail.earlier)))
    return Reply(text=plain_line(issue, lang), blocks=blocks)


# ---- lists ---------------------------------------------------------------------------------------------


def issue_row(issue: Issue, lang: str, *, tz: str, client_facing: bool) -> Block:
    facts = [
        severity_text(issue, lang),
        f"{t('issue.field.owner', lang)} {owner_text(issue, lang)}",
        f"{t('issue.field.due', lang)} {when_text(issue.due_at, lang, tz=tz, client_facing=client_facing)}",
        render_date(issue.created_at.astimezone(ZoneInfo(tz)).date(), lang),  # raised, in the project's zone
    ]
    if issue.status != OPEN:
        facts.append(t("issue.status.resolved", lang))
    block = section(f"{title_line(issue, limit=ROW_TITLE)}\n{' · '.join(facts)}")
    block["accessory"] = {
        "type": "button",
        "action_id": ids.ISSUE_SHOW,
        "text": _plain(t("issue.details", lang)),
        "value": ref_of(issue),
    }
    return block


def build_issue_list(listing: Listing, lang: str, *, flt: IssueFilter, tz: str, client_facing: bool) -> Reply:
    title = t(f"issue.list.{flt}", lang)
    blocks: list[Block] = [header(title)]
    if not listing.issues:
        empty = t("issue.list.none", lang)
        blocks.append(section(empty))
        return Reply(text=f"{title}: {empty}", blocks=blocks)
    room = MAX_BLOCKS - len(blocks) - 1
    rows = listing.issues[:room]
    blocks.extend(issue_row(i, lang, tz=tz, client_facing=client_facing) for i in rows)
    more = listing.total - len(rows)
    footer = t("issue.more", lang, count=more) if more else t("issue.list.sorted", lang)
    blocks.append(context(footer))
    lines = [title, *(plain_line(i, lang) for i in rows)]
    if more:
        lines.append(footer)
    return Reply(text="\n".join(lines), blocks=blocks)


# ---- the client channel's panel -----------------------------------------------------------------------


def _button(action_id: str, label: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {"type": "button", "action_id": action_id, "text": _plain(label), "value": value}
    if style:
        button["style"] = style
    return button


def build_panel(project: Project, lang: str) -> tuple[str, list[Block]]:
    text = t("panel.welcome", lang, project=bold(escape(project.name)), client=escape(project.client_name))
    blocks: list[Block] = [
        section(text),
        {
            "type": "actions",
            "block_id": "panel_buttons",
            "elements": [
                _button(ids.PANEL_RAISE, t("panel.button.raise", lang), "issue", "primary"),
                _button(ids.PANEL_ASK, t("panel.button.ask", lang), "question"),
                _button(ids.PANEL_WAITING, t("panel.button.waiting", lang), "waiting"),
            ],
        },
    ]
    return text, blocks


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


def build_issue_modal(
    kind: str, lang: str, *, metadata: str, title: str = "", description: str = "", internal: bool = False
) -> dict[str, Any]:
    """The panel's form (and the check-in's Make it an issue, prefilled): title, details, severity."""
    which = "question" if kind == QUESTION else "issue"
    options = [{"text": _plain(t(f"issue.severity.{s}", lang)), "value": str(s)} for s in Severity]
    medium = next(o for o in options if o["value"] == Severity.MEDIUM)
    title_input: dict[str, Any] = {"type": "plain_text_input", "max_length": 300}
    if title:
        title_input["initial_value"] = title[:300]
    details: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": True,
        "max_length": 3000,
        "placeholder": _plain(t("issue.modal.description_placeholder", lang)),
    }
    if description:
        details["initial_value"] = description[:3000]
    blocks: list[Block] = [
        _input(ids.ISSUE_TITLE, t(f"issue.modal.title_label.{which}", lang), title_input),
        _input(ids.ISSUE_DESCRIPTION, t("issue.modal.description_label", lang), details, optional=True),
    ]
    if kind != QUESTION:
        blocks.append(
            _input(
                ids.ISSUE_SEVERITY,
                t("issue.modal.severity_label", lang),
                {"type": "static_select", "options": options, "initial_option": medium},
            )
        )
    if internal:
        blocks.append(context(t("issue.modal.internal_hint", lang)))
    return form(
        {
            "type": "modal",
            "callback_id": ids.ISSUE_MODAL,
            "private_metadata": metadata,
            "title": _plain(t(f"issue.modal.title.{which}", lang)[:24]),
            "submit": _plain(t("issue.modal.submit", lang)),
            "close": _plain(t("issue.modal.close", lang)),
            "blocks": blocks,
        },
        lang,
    )


def build_client_ack(issue: Issue, lang: str, *, respond_by: datetime) -> tuple[str, list[Block]]:
    """In the client channel: who raised what, its id, and when the team aims to respond (reader's zone)."""
    which = "question" if issue.kind == QUESTION else "issue"
    text = t(
        f"issue.ack.{which}",
        lang,
        who=mention(issue.raised_by),
        ref=ref_of(issue),
        severity=severity_text(issue, lang),
        title=escape(truncate(issue.title, 300)),
        when=date_time(respond_by),
    )
    return text, [section(text)]


def build_team_announcement(
    issue: Issue, lang: str, *, client_name: str, respond_by: datetime | None, tz: str
) -> tuple[str, list[Block]]:
    """In the team channel: what was raised, by whom, the response target, and a menu to assign it."""
    who = mention(issue.raised_by)
    if issue.raised_external:
        who = f"{who}{t('issue.team.client_word', lang, client=escape(client_name))}"
    title = escape(truncate(issue.title, 300))
    if issue.visibility == "client":
        which = "question" if issue.kind == QUESTION else "issue"
        key = f"issue.team.raised.{which}"
    else:
        key = "issue.team.raised_internal"
    text = t(key, lang, who=who, ref=ref_of(issue), severity=severity_text(issue, lang), title=title)
    blocks: list[Block] = [section(text)]
    if issue.description:
        blocks.append(context(escape(truncate(issue.description, 1900))))
    if issue.owner_user_id or issue.owner_name:
        prompt = t("issue.team.owned", lang, owner=owner_text(issue, lang))
    elif respond_by is not None:
        prompt = t("issue.team.respond_by", lang, when=render_instant(respond_by, tz, lang))
    else:
        prompt = t("issue.team.assign_placeholder", lang)
    blocks.append(
        {
            "type": "section",
            "block_id": f"{ids.ISSUE_ASSIGN_BLOCK}{issue.id}",
            "text": {"type": "mrkdwn", "text": prompt},
            "accessory": {
                "type": "users_select",
                "action_id": ids.ISSUE_ASSIGN,
                "placeholder": _plain(t("issue.team.assign_placeholder", lang)),
            },
        }
    )
    return text, blocks


def assigned_client_text(issue: Issue, lang: str) -> str:
    return t("issue.assigned.client", lang, owner=owner_text(issue, lang), ref=ref_of(issue))


def assigned_team_text(issue: Issue, lang: str, *, who: str) -> str:
    return t("issue.assigned.team", lang, who=mention(who), ref=ref_of(issue), owner=owner_text(issue, lang))


def build_assigned_reply(issue: Issue, lang: str, *, changed: bool) -> Reply:
    key = "issue.assigned.you" if changed else "issue.assigned.same"
    text = t(key, lang, ref=ref_of(issue), owner=owner_text(issue, lang))
    return Reply(text=text, blocks=[section(text)])


def build_ack_private(issue: Issue, lang: str) -> Reply:
    text = t("issue.ack.private", lang, ref=ref_of(issue))
    return Reply(text=text, blocks=[section(text)])


def build_escalation(
    issue: Issue, project: Project, reason: Reason, *, lead: str, target: Target, lang: str
) -> str:
    common = {
        "lead": mention(lead),
        "ref": ref_of(issue),
        "severity": severity_text(issue, lang),
        "title": escape(truncate(issue.title, 300)),
    }
    if reason is Reason.NO_RESPONSE:
        return t(
            "issue.escalation.no_response",
            lang,
            target=target_text(target, lang),
            when=render_instant(issue.created_at, project.tz, lang),
            **common,
        )
    assert issue.due_at is not None
    return t("issue.escalation.overdue", lang, when=render_instant(issue.due_at, project.tz, lang), **common)


# ---- what's waiting for me (private, in the client channel) ------------------------------------------


def build_waiting(waiting: Waiting, lang: str) -> Reply:
    from handlers.builders.minutes import done_button

    title = t("waiting.header", lang)
    blocks: list[Block] = [header(title)]
    lines = [title]
    if not waiting.actions and not waiting.signoffs:
        empty = t("waiting.none", lang)
        blocks.append(section(empty))
        return Reply(text=f"{title}: {empty}", blocks=blocks)
    if waiting.actions:
        blocks.append(context(f"*{t('waiting.actions', lang)}*"))
        for item in waiting.actions[:20]:
            line = f"*{ref_of(item)}* {escape(truncate(item.text, 300))}"
            if item.due_at is not None:
                line += f" · {t('waiting.due', lang, when=date_time(item.due_at))}"
            elif item.due_on is not None:
                line += f" · {t('waiting.due', lang, when=render_date(item.due_on, lang))}"
            block = section(line)
            assert item.id is not None
            block["accessory"] = done_button(item.id, lang)
            blocks.append(block)
            lines.append(f"{ref_of(item)} {escape(truncate(item.text, FALLBACK_TITLE))}")
    if waiting.signoffs:
        blocks.append(context(f"*{t('waiting.signoffs', lang)}*"))
        for row, name in waiting.signoffs[:10]:
            value = f"{row.id}:{row.content_hash}"
            accept = row.subject == "milestone"
            version = t("waiting.version", lang, version=row.version)
            title = (
                "" if row.title == name else f" {escape(truncate(row.title, 200))}"
            )  # a baseline's name is its title
            blocks.append(section(f"*{escape(name)}*{title} · {version}"))
            blocks.append(
                {
                    "type": "actions",
                    "elements": [
                        _button(
                            ids.SIGNOFF_APPROVE,
                            t("signoff.button.accept" if accept else "signoff.button.approve", lang),
                            value,
                            "primary",
                        ),
                        _button(
                            ids.SIGNOFF_REMARKS,
                            t("signoff.button.accept_remarks" if accept else "signoff.button.remarks", lang),
                            value,
                        ),
                        _button(ids.SIGNOFF_REJECT, t("signoff.button.reject", lang), value, "danger"),
                    ],
                }
            )
            lines.append(f"{name} {escape(truncate(row.title, FALLBACK_TITLE))}")
    return Reply(text="\n".join(lines), blocks=blocks[:MAX_BLOCKS])


def resolved_client_text(issue: Issue, lang: str) -> str:
    note = escape(truncate(issue.resolution, 1000)) if issue.resolution else none(lang)
    return t("issue.resolved.client", lang, ref=ref_of(issue), note=note)
