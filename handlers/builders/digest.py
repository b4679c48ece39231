"""The digest as Block Kit: a pure function of an already-filtered `Digest`, user text escaped.

Slack's limits hold by construction: at most `MAX_BLOCKS` blocks, every section under 3,000 characters,
long lists cut with "…and N more" where N counts only what the digest holds (what the audience may see).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.actions import due_label, overdue_days, overdue_label
from bot.domain.digest import (
    SOON_DAYS,
    ChartData,
    Digest,
    DigestAudience,
    OpenList,
    OverallStatus,
    SignOffRow,
    chart_data,
)
from bot.domain.records import ref_of
from bot.domain.risks import risk_level, score
from bot.i18n import t
from bot.mrkdwn import bold, escape, mention, truncate
from bot.styles import ACCEPTED_STYLE, LEVEL_STYLE, STATUS_STYLE, status_emoji
from bot.timeexpr import render_date
from handlers import ids
from handlers.builders.common import (
    MAX_BLOCKS,
    SECTION_LIMIT,
    Block,
    context,
    divider,
    fields,
    header,
    section,
)
from handlers.builders.pulse import build_pulse_trend_section
from storage.models import ActionItem, Decision, Minutes, Risk

ITEMS = 8  # lines per list before "…and N more"
TOP_RISKS = 5
TITLE = 200  # characters of a record's title or text in one line
RESPONSE = 160
MORE_RESERVE = 60  # room kept in a section for the "…and N more" line

STATUS_EMOJI = {status: status_emoji(status) for status in OverallStatus}
MILESTONE_EMOJI = {status: style.emoji for status, style in STATUS_STYLE.items()}
ACCEPTED_EMOJI = ACCEPTED_STYLE.emoji
OUTCOMES_SHOWN = 8  # decided sign-offs named in "since the last digest"
LEVEL_EMOJI = {str(level): style.emoji for level, style in LEVEL_STYLE.items()}


def content_hash(text: str, blocks: Sequence[Block]) -> str:
    """SHA-256 of exactly what was sent: the text and the blocks, as canonical JSON."""
    payload = json.dumps({"text": text, "blocks": list(blocks)}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def day(value: date, lang: str) -> str:
    return render_date(value, lang, with_year=False)


def period_text(digest: Digest) -> str:
    zone = ZoneInfo(digest.tz)
    start = digest.period.start.astimezone(zone).date()
    end = digest.period.end.astimezone(zone).date()
    return t(
        "digest.period",
        digest.lang,
        start=render_date(start, digest.lang, with_year=start.year != end.year),
        end=render_date(end, digest.lang),
    )


def status_text(status: OverallStatus, lang: str) -> str:
    return t(f"digest.status.{status}", lang)


def owner(user_id: str | None, name: str | None, lang: str) -> str:
    if user_id:
        return mention(user_id)
    if name:
        return escape(truncate(name, 80))
    return t("digest.none", lang)


def _ref(record: Any) -> str:
    return f"`{ref_of(record)}`"


def _list(title: str, lines: Sequence[str], lang: str, *, limit: int = ITEMS) -> Block:
    """A titled list that fits one section; what does not fit is counted in "…and N more"."""
    body = [f"*{title}*"]
    size = len(body[0])
    shown = 0
    for line in lines[:limit]:
        if size + 1 + len(line) > SECTION_LIMIT - MORE_RESERVE:
            break
        body.append(line)
        size += 1 + len(line)
        shown += 1
    if len(lines) > shown:
        body.append(t("digest.and_more", lang, n=len(lines) - shown))
    return section("\n".join(body))


# ---- lines --------------------------------------------------------------------------------------------


def _action_line(item: ActionItem, lang: str, late: int | None) -> str:
    """`late`: days past due (`bot.domain.actions.overdue_days`), None when it is not overdue."""
    if item.status == "done" and item.done_at is not None:
        when = t("digest.action.done", lang, date=day(item.done_at.date(), lang))
    elif late is not None and item.due_on is not None:
        date_ = due_label(item, lang) if item.due_at is not None else day(item.due_on, lang)
        when = t("digest.action.overdue", lang, age=overdue_label(late, lang), date=date_)
    elif item.due_at is not None:
        when = t("digest.action.due", lang, date=due_label(item, lang))
    elif item.due_on is not None:
        when = t("digest.action.due", lang, date=day(item.due_on, lang))
    else:
        when = ""
    tail = f" · {when}" if when else ""
    return (
        f"• {_ref(item)} {escape(truncate(item.text, TITLE))} — "
        f"{owner(item.owner_user_id, item.owner_name, lang)}{tail}"
    )


def risk_score_text(risk: Risk, lang: str) -> str:
    level = t(f"digest.risk.level.{risk_level(risk)}", lang)
    return t(
        "digest.risk.score",
        lang,
        level=level,
        score=score(risk.probability, risk.impact),
        p=risk.probability,
        i=risk.impact,
    )


def _risk_line(risk: Risk, lang: str) -> str:
    parts = [
        f"{LEVEL_EMOJI[str(risk_level(risk))]} {_ref(risk)} {escape(truncate(risk.title, TITLE))}",
        risk_score_text(risk, lang),
        t("digest.risk.owner", lang, owner=owner(risk.owner_user_id, risk.owner_name, lang)),
    ]
    line = " · ".join(parts)
    if risk.response.strip():
        text = escape(truncate(" ".join(risk.response.split()), RESPONSE))
        line += "\n     " + t("digest.risk.response", lang, text=text)
    return line


def _decision_line(decision: Decision, lang: str) -> str:
    return f"• {_ref(decision)} {escape(truncate(decision.text, TITLE))} ({day(decision.decided_on, lang)})"


def _minutes_line(minutes: Minutes, lang: str) -> str:
    return f"• {_ref(minutes)} {escape(truncate(minutes.title, TITLE))} ({day(minutes.meeting_on, lang)})"


def _awaiting_line(minutes: Minutes, lang: str) -> str:
    state = t("digest.awaiting.changed" if minutes.changed_since_confirmed else "digest.awaiting.sent", lang)
    how = t("digest.awaiting.how", lang, ref=ref_of(minutes))
    return f"• {_ref(minutes)} {escape(truncate(minutes.title, TITLE))} — {state} · {how}"


# ---- sections -----------------------------------------------------------------------------------------


def _change_text(digest: Digest) -> str:
    lang, change = digest.lang, digest.change
    if change.first:
        outcomes = _outcomes(digest)
        first = t("digest.change.first", lang)
        return f"{first} {t('digest.change.sep', lang).join(outcomes)}" if outcomes else first
    parts: list[str] = []
    if change.status_before is not None and change.status_before != digest.status:
        parts.append(
            t(
                "digest.change.status",
                lang,
                before=status_text(change.status_before, lang),
                after=status_text(digest.status, lang),
            )
        )
    else:
        parts.append(t("digest.change.status_same", lang, status=status_text(digest.status, lang)))
    counts = (
        ("digest.change.open_risks", change.open_risks_before, len(digest.top_risks)),
        ("digest.change.open_milestones", change.open_milestones_before, len(digest.upcoming)),
        ("digest.change.overdue", change.overdue_before, digest.summary.get("overdue")),
    )
    for key, before, after in counts:
        if before is not None and after is not None and before != after:
            parts.append(t(key, lang, before=before, after=after))
    if change.moved:
        parts.append(t("digest.change.moved", lang, refs=", ".join(f"`{r}`" for r in change.moved[:10])))
    parts.extend(_outcomes(digest))
    return t("digest.change.since", lang, changes=t("digest.change.sep", lang).join(parts))


def _outcomes(digest: Digest) -> list[str]:
    """What the client decided in the period: "ACME accepted `MS-2`", "ACME rejected `MS-3`: reason"."""
    lang = digest.lang
    client = escape(truncate(digest.client_name, 80))
    lines = []
    for row in digest.signoffs_decided[:OUTCOMES_SHOWN]:
        kind = row.signoff.subject if row.signoff.subject in ("milestone", "minutes") else "other"
        remarks = escape(truncate(" ".join(row.signoff.remarks.split()), RESPONSE))
        lines.append(
            t(
                f"signoff.moved.{kind}.{row.signoff.status}",
                lang,
                client=client,
                ref=f"`{row.ref}`",
                remarks=remarks,
            )
        )
    more = len(digest.signoffs_decided) - len(lines)
    if more > 0:
        lines.append(t("digest.and_more", lang, n=more))
    return lines


def _milestone_sections(digest: Digest) -> list[Block]:
    lang = digest.lang
    blocks: list[Block] = []
    if digest.upcoming:
        lines = [
            f"{MILESTONE_EMOJI[str(row.status)]} `{row.ref}` {escape(truncate(row.milestone.title, TITLE))} — "
            + t(
                "digest.milestone.dates",
                lang,
                planned=day(row.milestone.planned_on, lang),
                forecast=day(row.milestone.forecast_on, lang),
            )
            + f" · {t(f'digest.milestone.status.{row.status}', lang)}"
            for row in digest.upcoming
        ]
        blocks.append(_list(t("digest.section.milestones", lang), lines, lang))
    if digest.done:
        lines = [
            f"{MILESTONE_EMOJI['done']} `{row.ref}` {escape(truncate(row.milestone.title, TITLE))} — "
            + t(
                "digest.milestone.done",
                lang,
                done=day(row.milestone.done_on or digest.today, lang),
                planned=day(row.milestone.planned_on, lang),
            )
            + (
                f" · {ACCEPTED_EMOJI} {t('milestone.accepted_mark', lang)}"
                if row.milestone.accepted_at
                else ""
            )
            for row in digest.done
        ]
        blocks.append(_list(t("digest.section.done_milestones", lang), lines, lang))
    if digest.slips:
        lines = []
        for row in digest.slips:
            moved = t("digest.slip", lang, before=day(row.slip.from_on, lang), to=day(row.slip.to_on, lang))
            line = f"• {_ref(row.milestone)} {escape(truncate(row.milestone.title, TITLE))}: {moved}"
            if not digest.client_view and row.slip.reason.strip():
                line += f" — {escape(truncate(row.slip.reason, RESPONSE))}"
            lines.append(line)
        blocks.append(_list(t("digest.section.slips", lang), lines, lang))
    return blocks


def _signoff_line(row: SignOffRow, digest: Digest, link: str | None) -> str:
    lang = digest.lang
    title = escape(truncate(str(getattr(row.record, "title", "") or row.signoff.title), TITLE))
    parts = [t("signoff.digest.version", lang, version=row.signoff.version)]
    if digest.client_view:
        sent = row.signoff.requested_at.astimezone(ZoneInfo(digest.tz)).date()
        parts.append(t("signoff.digest.sent", lang, date=day(sent, lang)))
    elif row.waiting_days:
        parts.append(t("signoff.digest.waiting_days", lang, days=row.waiting_days))
    else:
        parts.append(t("signoff.digest.waiting_today", lang))
    if link:
        parts.append(t("signoff.digest.see", lang, link=link))
    named = (
        f"`{row.ref}`" if title == escape(row.ref) else f"`{row.ref}` {title}"
    )  # a baseline is its own name
    return f"• {named} — " + " · ".join(parts)


def _signoff_section(digest: Digest, links: Mapping[int, str]) -> list[Block]:
    """What waits for the client's word. The buttons stay on the message each version was sent in."""
    if not digest.signoffs_waiting:
        return []
    lang = digest.lang
    if digest.client_view:
        title = t("signoff.digest.section.client", lang)
    else:
        title = t("signoff.digest.section.team", lang, client=escape(digest.client_name))
    lines = [_signoff_line(r, digest, links.get(r.signoff.id or 0)) for r in digest.signoffs_waiting]
    blocks = [_list(title, lines, lang)]
    if digest.client_view and not links:
        blocks.append(context(t("signoff.digest.buttons", lang)))
    return blocks


def _progress_section(digest: Digest) -> list[Block]:
    lang, progress = digest.lang, digest.progress
    if progress is None or not progress.reports:
        return []
    if digest.client_view:
        if progress.average is None:
            return []
        text = t("digest.progress.average_client", lang, percent=bold(f"{progress.average}%"))
        return [section(f"*{t('digest.section.progress', lang)}*\n{text}")]
    lines = [
        t("digest.progress.average", lang, percent=bold(f"{progress.average}%"), n=progress.reports)
        if progress.average is not None
        else t("digest.progress.no_average", lang, n=progress.reports)
    ]
    if progress.reporters:
        people = ", ".join(mention(u) for u in progress.reporters[:20])
        lines.append(t("digest.progress.reporters", lang, people=people))
    blockers = [
        f"• {mention(u)}: {escape(truncate(' '.join(text.split()), TITLE))}" for u, text in progress.blockers
    ]
    if blockers:
        lines.append(f"_{t('digest.progress.blockers', lang)}_")
        lines.extend(blockers)
    return [_list(t("digest.section.progress", lang), lines, lang, limit=ITEMS + 3)]


def _late(item: ActionItem, digest: Digest) -> int | None:
    return overdue_days(item, now=digest.period.end, tz=digest.tz)


def _action_sections(digest: Digest) -> list[Block]:
    lang = digest.lang
    lists = (
        (t("digest.section.waiting", lang, client=escape(digest.client_name)), digest.waiting_on_client),
        (t("digest.section.overdue", lang), digest.overdue),
        (t("digest.section.due_soon", lang, days=SOON_DAYS), digest.due_soon),
        (t("digest.section.actions_done", lang), digest.actions_done),
    )
    return [
        _list(title, [_action_line(a, lang, _late(a, digest)) for a in items], lang)
        for title, items in lists
        if items
    ]


def _risk_sections(digest: Digest) -> list[Block]:
    lang = digest.lang
    blocks: list[Block] = []
    if digest.top_risks:
        lines = [_risk_line(r, lang) for r in digest.top_risks]
        blocks.append(_list(t("digest.section.risks", lang), lines, lang, limit=TOP_RISKS))
    changes: list[str] = []
    if digest.new_risks:
        items = ", ".join(f"{_ref(r)} {escape(truncate(r.title, 80))}" for r in digest.new_risks[:ITEMS])
        more = len(digest.new_risks) - min(len(digest.new_risks), ITEMS)
        changes.append(t("digest.risk.new", lang, items=items) + _more(more, lang))
    if digest.closed_risks:
        items = ", ".join(f"{_ref(r)} {escape(truncate(r.title, 80))}" for r in digest.closed_risks[:ITEMS])
        more = len(digest.closed_risks) - min(len(digest.closed_risks), ITEMS)
        changes.append(t("digest.risk.closed", lang, items=items) + _more(more, lang))
    if changes:
        blocks.append(_list(t("digest.section.risk_changes", lang), changes, lang))
    return blocks


def _open_line(open_list: OpenList, record: Any, digest: Digest) -> str:
    """One open record of a generically listed kind: ref, title, rank, owner, due day in the project's zone."""
    kind, rule, lang = open_list.kind, open_list.kind.open, digest.lang
    assert rule is not None
    parts = [f"• {_ref(record)} {escape(truncate(str(getattr(record, kind.title_field)), TITLE))}"]
    if rule.rank_field:
        parts.append(t(f"{kind.catalogue}.{rule.rank_field}.{getattr(record, rule.rank_field)}", lang))
    user, name = getattr(record, rule.owner_field, None), getattr(record, "owner_name", None)
    if user or name:
        parts.append(t("digest.risk.owner", lang, owner=owner(user, name, lang)))
    due = getattr(record, rule.due_field, None) if rule.due_field else None
    if isinstance(due, datetime):
        parts.append(t("digest.action.due", lang, date=day(due.astimezone(ZoneInfo(digest.tz)).date(), lang)))
    return " · ".join(parts)


def _open_sections(digest: Digest) -> list[Block]:
    """Kinds the registry lists generically (bot/domain/kinds.py, Shown.OPEN), under their own title."""
    return [
        _list(
            t(f"{o.kind.catalogue}.list.open", digest.lang),
            [_open_line(o, r, digest) for r in o.records],
            digest.lang,
        )
        for o in digest.open_lists
        if o.records
    ]


def _more(n: int, lang: str) -> str:
    return f" {t('digest.and_more', lang, n=n)}" if n > 0 else ""


def _record_sections(digest: Digest) -> list[Block]:
    lang = digest.lang
    blocks: list[Block] = []
    if digest.decisions:
        lines = [_decision_line(d, lang) for d in digest.decisions]
        blocks.append(_list(t("digest.section.decisions", lang), lines, lang))
    if digest.minutes:
        lines = [_minutes_line(m, lang) for m in digest.minutes]
        blocks.append(_list(t("digest.section.minutes", lang), lines, lang))
    if digest.awaiting:
        lines = [_awaiting_line(m, lang) for m in digest.awaiting]
        title = t("digest.section.awaiting", lang, client=escape(digest.client_name))
        blocks.append(_list(title, lines, lang))
        if digest.client_view:
            blocks.extend(
                _confirm_buttons(m, lang) for m in digest.awaiting[:CONFIRM_BUTTONS] if _confirmable(m)
            )
    return blocks


CONFIRM_BUTTONS = 5


def _confirmable(minutes: Minutes) -> bool:
    return bool(minutes.sent_hash and minutes.sent_ts and not minutes.changed_since_confirmed)


def _confirm_buttons(minutes: Minutes, lang: str) -> Block:
    """The same Confirm / Request changes as on the minutes' own message: they carry the hash of the
    text that message shows, so what is confirmed is exactly what was sent."""
    value = f"{minutes.id}:{minutes.sent_hash}"
    ref = ref_of(minutes)
    return {
        "type": "actions",
        "block_id": f"digest_minutes_{minutes.id}",
        "elements": [
            {
                "type": "button",
                "action_id": ids.MINUTES_CONFIRM,
                "text": {
                    "type": "plain_text",
                    "text": truncate(f"{t('minutes.button.confirm', lang)} {ref}", 75),
                },
                "style": "primary",
                "value": value,
            },
            {
                "type": "button",
                "action_id": ids.MINUTES_REQUEST_CHANGES,
                "text": {
                    "type": "plain_text",
                    "text": truncate(f"{t('minutes.button.request_changes', lang)} {ref}", 75),
                },
                "value": value,
            },
        ],
    }


# ---- charts as text -------------------------------------------------------------------------------------


def build_chart_fallback(charts: ChartData, lang: str) -> list[Block]:
    """What the pictures say, as text: for when charts are off or could not be uploaded."""
    blocks: list[Block] = []
    if charts.heat:
        cells = sorted(charts.heat, key=lambda c: (-c.probability * c.impact, -c.impact))
        lines = [
            "• " + t("digest.chart.cell", lang, p=c.probability, i=c.impact, refs=", ".join(c.refs[:12]))
            for c in cells
        ]
        blocks.append(_list(t("digest.chart.text_heat", lang), lines, lang, limit=12))
    if charts.timeline:
        lines = []
        for row in charts.timeline:
            if row.done is not None and row.accepted:
                done = day(row.done, lang)
                lines.append("• " + t("digest.chart.row_accepted", lang, ref=row.ref, done=done))
            elif row.done is not None:
                lines.append("• " + t("digest.chart.row_done", lang, ref=row.ref, done=day(row.done, lang)))
            else:
                lines.append(
                    "• "
                    + t(
                        "digest.chart.row",
                        lang,
                        ref=row.ref,
                        planned=day(row.planned, lang),
                        forecast=day(row.forecast, lang),
                    )
                    + f" · {t(f'digest.milestone.status.{row.status}', lang)}"
                )
        blocks.append(_list(t("digest.chart.text_timeline", lang), lines, lang, limit=12))
    return blocks


# ---- the message ----------------------------------------------------------------------------------------


def build_fallback_text(digest: Digest) -> str:
    """The notification text: counts of what the digest holds, never a record's words."""
    lang = digest.lang
    head = t(
        "digest.fallback",
        lang,
        project=escape(truncate(digest.project_name, 80)),
        period=period_text(digest),
        status=status_text(digest.status, lang),
    )
    counts = t(
        "digest.fallback_counts",
        lang,
        milestones=len(digest.upcoming),
        risks=len(digest.top_risks),
        actions=len(digest.overdue) + len(digest.due_soon) + len(digest.waiting_on_client),
    )
    return f"{head} · {counts}"


def build_digest(
    digest: Digest,
    *,
    notes: Sequence[str] = (),
    charts_as_text: bool = False,
    links: Mapping[int, str] | None = None,
) -> tuple[str, list[Block]]:
    """(fallback text, blocks) for a digest; `notes` are shown first (a preview's explanation); `links` are
    permalinks of the messages waiting sign-offs were sent in, by sign-off id, when Slack gave them."""
    lang = digest.lang
    title_key = "digest.title.client" if digest.audience is DigestAudience.CLIENT else "digest.title.internal"
    top: list[Block] = [
        header(f"📊 {t(title_key, lang, project=digest.project_name, client=digest.client_name)}"),
    ]
    top.extend(context(note) for note in notes)
    status = f"{STATUS_EMOJI[digest.status]} {status_text(digest.status, lang)}"
    top.append(
        fields(
            [
                (t("digest.field.period", lang), period_text(digest)),
                (t("digest.field.status", lang), status),
            ]
        )
    )
    text = build_fallback_text(digest)
    footer_key = "digest.footer.client" if digest.client_view else "digest.footer.internal"
    footer = context(t(footer_key, lang, client=escape(digest.client_name)))
    if digest.is_empty:
        empty = t("digest.empty", lang, period=period_text(digest))
        return f"{text} · {empty}", [*top, section(empty), footer]
    top.append(context(_change_text(digest)))
    body: list[Block] = [
        *_signoff_section(digest, links or {}),
        *_milestone_sections(digest),
        *_progress_section(digest),
        *build_pulse_trend_section(digest),
        *_action_sections(digest),
        *_risk_sections(digest),
        *_open_sections(digest),
        *_record_sections(digest),
    ]
    if charts_as_text:
        body.extend(build_chart_fallback(chart_data(digest), lang))
    room = MAX_BLOCKS - len(top) - 2  # the divider and the footer
    if len(body) > room:
        body = [*body[: room - 1], context(t("digest.truncated", lang))]
    return text, [*top, divider(), *body, footer]
