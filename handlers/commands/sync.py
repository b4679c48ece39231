"""`/sync every tuesday 10am "Weekly sync" remind:15m [client]`, `list`, `pause|resume|cancel|skip S-n`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands import SYNC
from bot.domain import channels
from bot.domain import schedule_admin as admin
from bot.domain import schedules as engine
from bot.domain.records import visibility_from
from bot.errors import UsageError
from bot.i18n import t
from bot.mrkdwn import bold, escape
from bot.mrkdwn import channel as channel_link
from bot.policy import Action, Visibility, visible
from bot.timeexpr import Moment, render_duration, render_moment, render_recurrence
from handlers.builders.common import Reply, section
from handlers.builders.sync import ScheduleLine, build_schedule_list
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from storage.models import Schedule

KIND = "sync"


@subcommand(SYNC, "add")
async def _add(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    assert project.id is not None
    parsed = call.parsed
    now = call.svc.clock()
    if len(parsed.quoted) > 1:
        raise UsageError("grammar.unexpected_text", "cmd.sync.add.example", text=parsed.quoted[1][:80])
    title = parsed.quoted[0].strip() if parsed.quoted else t("sync.default_title", project.lang)
    if len(title) > 200:
        raise UsageError("sync.title_too_long", "cmd.sync.add.example")
    rule = await admin.read_rule(parsed.unquoted, project=project, now=now)
    lead = admin.read_lead(parsed.opt("remind"))
    grace = admin.read_grace(parsed.opt("grace"))
    visibility = visibility_from(parsed.flags, example="cmd.sync.add.example")
    role = channels.CLIENT if visibility is Visibility.CLIENT else channels.INTERNAL
    async with call.svc.sessions() as session:
        target = await channels.channel_for(session, project_id=project.id, role=role)
    if target is None:
        raise UsageError("sync.no_client_channel", "cmd.project.client_channel.example")
    draft = admin.ScheduleDraft(
        kind=KIND, title=title, rule=rule, lead=lead, grace=grace, visibility=visibility, options={}
    )
    async with call.svc.sessions.begin() as session:
        if not await channels.claim_request(session, key=call.request_key):
            return Reply(text=t("error.nothing_changed", call.lang))
        schedule = await admin.create_schedule(session, actor, draft, now=now)
    assert schedule.id is not None
    await call.svc.runner.schedule(schedule.id)
    lang = call.lang
    lead_text = (
        t("sync.lead_before", lang, duration=render_duration(lead, lang))
        if lead
        else t("sync.lead_none", lang)
    )
    text = t(
        "sync.created",
        lang,
        ref=f"S-{schedule.number}",
        title=bold(escape(title)),
        rule=render_recurrence(rule, lang, now=now),
        lead=lead_text,
        channel=channel_link(target),
    )
    return Reply(text=text, blocks=[section(f":calendar: {text}")])


@subcommand(SYNC, "list")
async def _list(call: CommandCall) -> Reply:
    return await list_reply(call, KIND)


@subcommand(SYNC, "pause", "resume", "cancel")
async def _steer(call: CommandCall) -> Reply:
    return await steer(call, KIND)


@subcommand(SYNC, "skip")
async def _skip(call: CommandCall) -> Reply:
    return await skip(call, KIND)


async def list_reply(call: CommandCall, kind: str) -> Reply:
    actor = actor_of(call)
    project = require_project(call)
    now = call.svc.clock()
    lines: list[ScheduleLine] = []
    async with call.svc.sessions() as session:
        rows = await admin.list_schedules(session, project_id=actor.project_id, kind=kind)
        for row in visible(actor.viewer, actor.place, rows):
            assert row.id is not None
            lines.append(
                _line(row, await admin.outcomes(session, schedule_id=row.id), call.lang, project.tz, now)
            )
    return build_schedule_list(lines, call.lang, empty_key=f"{kind}.list_empty")


def _line(row: Schedule, found: admin.Outcomes, lang: str, tz: str, now: datetime) -> ScheduleLine:
    rendered = render_recurrence(engine.rule_of(row), lang, now=now) if row.status == engine.ACTIVE else ""
    last = None
    if found.last is not None:
        when = _when(found.last.occurs_at, tz, lang)
        outcome = t(f"sync.outcome.{found.last.status}", lang, error=escape(found.last.error or "?"))
        if engine.lease_expired(found.last, now=now):
            outcome = t("sync.outcome.claimed_expired", lang)
        elif found.last.error in (engine.TOO_LATE, engine.EXHAUSTED):  # given up on after a takeover
            why = "too_late" if found.last.error == engine.TOO_LATE else "exhausted"
            outcome = t("sync.outcome.given_up", lang, error=t(f"occurrence.reason.{why}", lang))
        last = t("sync.last", lang, when=when, outcome=outcome)
    return ScheduleLine(
        ref=f"S-{row.number}",
        title=row.title,
        kind=row.kind,
        rendered=rendered or engine.rule_of(row).tz,
        status=row.status,
        where=row.visibility,
        last=last,
        missed=found.missed,
    )


def _when(at: datetime, tz: str, lang: str) -> str:
    return render_moment(Moment(at=at, local=at.astimezone(ZoneInfo(tz)), has_time=True), lang)


async def skip(call: CommandCall, kind: str) -> Reply:
    """skip S-n: its next occurrence does not happen, for any kind of schedule."""
    actor = actor_of(call)
    project = require_project(call)
    now = call.svc.clock()
    lang = call.lang
    async with call.svc.sessions.begin() as session:
        schedule = await admin.load_schedule(
            session, actor, call.parsed.text, kind=kind, action=Action.UPDATE
        )
        ref = f"S-{schedule.number}"
        skipped = await admin.skip_next(session, actor, schedule, now=now, instance=call.svc.runner.instance)
    text = (
        t("sync.skipped", lang, ref=ref, when=_when(skipped, project.tz, lang))
        if skipped
        else t("sync.nothing_to_skip", lang, ref=ref)
    )
    return Reply(text=text, blocks=[section(text)])


STATUS_OF = {"pause": engine.PAUSED, "resume": engine.ACTIVE, "cancel": engine.CANCELLED}


async def steer(call: CommandCall, kind: str) -> Reply:
    """pause / resume / cancel S-n (the subcommand's name says which), for any kind of schedule."""
    actor = actor_of(call)
    require_project(call)
    now = call.svc.clock()
    lang = call.lang
    status = STATUS_OF[call.parsed.sub.name]
    async with call.svc.sessions.begin() as session:
        schedule = await admin.load_schedule(
            session, actor, call.parsed.text, kind=kind, action=Action.UPDATE
        )
        ref = f"S-{schedule.number}"
        await admin.set_status(session, actor, schedule, status, now=now)
        schedule_id = schedule.id
        rule = engine.rule_of(schedule)
    assert schedule_id is not None
    if status == engine.ACTIVE:
        await call.svc.runner.schedule(schedule_id)
        text = t("sync.resumed", lang, ref=ref, rule=render_recurrence(rule, lang, now=now))
    else:
        call.svc.runner.unschedule(schedule_id)
        text = t("sync.paused" if status == engine.PAUSED else "sync.cancelled", lang, ref=ref)
    return Reply(text=text, blocks=[section(text)])
