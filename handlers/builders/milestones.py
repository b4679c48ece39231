"""Milestone replies: planned vs forecast vs actual, a status, and the slips that moved it. Pure."""

from __future__ import annotations

from datetime import datetime

from bot.domain import signoff
from bot.domain.milestones import AT_RISK_WINDOW_DAYS, Acceptance, Detail, Listing, MilestoneStatus, Row
from bot.domain.records import ref_of
from bot.i18n import t
from bot.mrkdwn import escape, mention, truncate
from bot.styles import ACCEPTED_STYLE, status_emoji
from bot.timeexpr import render_date, render_local_date
from handlers.builders.common import MAX_BLOCKS, Block, Reply, context, divider, fields, header, section
from handlers.builders.risks import day, history_line, visibility_text
from storage.models import Milestone, MilestoneSlip, SignOff

STATUS_EMOJI = {status: status_emoji(status) for status in MilestoneStatus}
ACCEPTED_EMOJI = ACCEPTED_STYLE.emoji
ROW_TITLE = 200


def status_text(status: MilestoneStatus, lang: str) -> str:
    return f"{STATUS_EMOJI[status]} {t(f'milestone.status.{status}', lang)}"


def dates_text(milestone: Milestone, lang: str) -> str:
    return t(
        "milestone.dates",
        lang,
        planned=day(milestone.planned_on, lang),
        forecast=day(milestone.forecast_on, lang),
        actual=day(milestone.done_on, lang),
    )


def title_line(milestone: Milestone, *, limit: int = 300) -> str:
    return f"*{ref_of(milestone)}* {escape(truncate(milestone.title, limit))}"


def accepted_text(milestone: Milestone, lang: str) -> str:
    """Shown beside the status when the client accepted the milestone (delivery and acceptance differ)."""
    return f"{ACCEPTED_EMOJI} {t('milestone.accepted_mark', lang)}" if milestone.accepted_at else ""


def plain_line(milestone: Milestone, status: MilestoneStatus, lang: str) -> str:
    title = escape(truncate(milestone.title, 80))
    state = t(f"milestone.status.{status}", lang)
    if milestone.accepted_at:
        state += t("time.render.list_sep", lang) + t("milestone.accepted_mark", lang)
    date = render_date(milestone.forecast_on, lang)
    return t("milestone.plain_line", lang, ref=ref_of(milestone), title=title, state=state, date=date)


def build_milestone_card(
    milestone: Milestone, status: MilestoneStatus, lang: str, *, team_view: bool
) -> list[Block]:
    pairs = [
        (t("milestone.field.status", lang), status_text(status, lang)),
        (t("milestone.field.planned", lang), day(milestone.planned_on, lang)),
        (t("milestone.field.forecast", lang), day(milestone.forecast_on, lang)),
        (t("milestone.field.actual", lang), day(milestone.done_on, lang)),
    ]
    if milestone.accepted_at:
        pairs.append((t("milestone.field.acceptance", lang), accepted_text(milestone, lang)))
    if team_view:
        pairs.append((t("milestone.field.visibility", lang), visibility_text(milestone.visibility, lang)))
    return [section(title_line(milestone)), fields(pairs)]


def build_milestone_saved(
    milestone: Milestone, status: MilestoneStatus, lang: str, *, message: str, team_view: bool
) -> Reply:
    """`message` is already rendered (and escaped) by the caller's choice of catalogue key."""
    blocks = [
        section(f":white_check_mark: {message}"),
        *build_milestone_card(milestone, status, lang, team_view=team_view),
    ]
    return Reply(text=f"{message} {plain_line(milestone, status, lang)}", blocks=blocks)


def milestone_row(row: Row, lang: str) -> Block:
    m = row.milestone
    accepted = f" · {accepted_text(m, lang)}" if m.accepted_at else ""
    return section(
        f"{title_line(m, limit=ROW_TITLE)} — {status_text(row.status, lang)}{accepted}\n{dates_text(m, lang)}"
    )


def build_milestone_list(listing: Listing, lang: str, *, open_only: bool) -> Reply:
    title = t("milestone.list.open" if open_only else "milestone.list.all", lang)
    blocks: list[Block] = [header(title)]
    if not listing.rows:
        empty = t("milestone.list.none", lang)
        blocks.append(section(empty))
        return Reply(text=f"{title}: {empty}", blocks=blocks)
    rows = listing.rows[: MAX_BLOCKS - len(blocks) - 1]
    blocks.extend(milestone_row(r, lang) for r in rows)
    lines = [title, *(plain_line(r.milestone, r.status, lang) for r in rows)]
    more = listing.total - len(rows)
    if more:
        footer = t("milestone.more", lang, count=more)
        lines.append(footer)
    else:
        footer = t("milestone.legend", lang, days=AT_RISK_WINDOW_DAYS)
    blocks.append(context(footer))
    return Reply(text="\n".join(lines), blocks=blocks)


def slip_line(slip: MilestoneSlip, lang: str, *, tz: str, team_view: bool) -> str:
    """A move of the forecast. Reasons and who moved it are the team's; the client sees the dates."""
    moved = t(
        "milestone.slip_line", lang, before=render_date(slip.from_on, lang), to=render_date(slip.to_on, lang)
    )
    when = render_local_date(slip.at, tz, lang)
    if not team_view:
        return f"`{when}` {moved}"
    reason = f" — {escape(truncate(slip.reason, 300))}" if slip.reason else ""
    return f"`{when}` {mention(slip.by_user_id)} {moved}{reason}"


def _local_day(at: datetime, tz: str, lang: str) -> str:
    return render_local_date(at, tz, lang)


def _decided_line(row: SignOff, lang: str, tz: str) -> str:
    assert row.decided_at is not None
    key = {signoff.REJECTED: "rejected", signoff.REMARKS: "remarks"}.get(row.status, "accepted")
    return t(
        f"milestone.acceptance.{key}",
        lang,
        who=mention(row.decided_by) if row.decided_by else t("signoff.team.client_org", lang),
        date=_local_day(row.decided_at, tz, lang),
        version=row.version,
        remarks=escape(truncate(row.remarks, 500)),
    )


def acceptance_lines(
    milestone: Milestone, acceptance: Acceptance, lang: str, *, tz: str, team_view: bool
) -> list[str]:
    """Where the client's acceptance stands: waiting, accepted (by whom, when), rejected (why), changed since."""
    ref = ref_of(milestone)
    latest, accepted = acceptance.latest, acceptance.accepted
    lines: list[str] = []
    if latest is None or latest.status == signoff.SUPERSEDED:
        lines.append(t("milestone.acceptance.none", lang))
        if team_view:
            lines.append(t("milestone.acceptance.how", lang, ref=ref))
        return lines
    if latest.status == signoff.WAITING:
        sent = _local_day(latest.requested_at, tz, lang)
        lines.append(
            f":hourglass_flowing_sand: {t('milestone.acceptance.waiting', lang, version=latest.version, date=sent)}"
        )
        if accepted is not None:
            lines.append(f"{ACCEPTED_EMOJI} {_decided_line(accepted, lang, tz)}")
    elif latest.status == signoff.REJECTED:
        lines.append(f":x: {_decided_line(latest, lang, tz)}")
    elif accepted is not None:
        lines.append(f"{ACCEPTED_EMOJI} {_decided_line(accepted, lang, tz)}")
    if acceptance.changed:
        lines.append(f":warning: {t('milestone.acceptance.changed', lang, ref=ref)}")
    return lines


def criteria_lines(milestone: Milestone, lang: str, *, team_view: bool) -> list[str]:
    criteria = list(milestone.criteria or [])
    if criteria:
        return [f"{n}. {escape(truncate(c, 300))}" for n, c in enumerate(criteria, 1)]
    lines = [t("milestone.acceptance.no_criteria", lang)]
    if team_view:
        lines.append(t("milestone.acceptance.criteria_how", lang, ref=ref_of(milestone)))
    return lines


def build_milestone_detail(detail: Detail, lang: str, *, tz: str, team_view: bool) -> Reply:
    m = detail.milestone
    blocks = build_milestone_card(m, detail.status, lang, team_view=team_view)
    criteria = "\n".join(criteria_lines(m, lang, team_view=team_view))
    blocks.append(section(truncate(f"*{t('milestone.field.criteria', lang)}*\n{criteria}", 3000)))
    state = acceptance_lines(m, detail.acceptance, lang, tz=tz, team_view=team_view)
    blocks.append(section(truncate(f"*{t('milestone.field.acceptance', lang)}*\n" + "\n".join(state), 3000)))
    slips = [slip_line(s, lang, tz=tz, team_view=team_view) for s in detail.slips[-15:]]
    blocks.append(
        section(
            f"*{t('milestone.field.slips', lang)}*\n" + ("\n".join(slips) or t("milestone.no_slips", lang))
        )
    )
    blocks.append(divider())
    history = [history_line(e, lang, tz=tz, team_view=team_view) for e in detail.history]
    blocks.append(section(f"*{t('risk.field.history', lang)}*\n" + "\n".join(history)))
    if detail.earlier:
        blocks.append(context(t("risk.history.earlier", lang, count=detail.earlier)))
    return Reply(text=f"{plain_line(m, detail.status, lang)}\n{state[0]}", blocks=blocks)
