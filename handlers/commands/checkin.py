"""`/checkin every friday 4pm @alice @bob question:"…"`, `list`, `now`, `away until:…`, pause/resume/cancel/skip."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.commands import CHECKIN
from bot.domain import channels, checkins
from bot.domain import schedule_admin as admin
from bot.domain.records import refusal
from bot.domain.when import date_order_of, due_date
from bot.errors import UsageError
from bot.i18n import t
from bot.mrkdwn import mention
from bot.policy import Action, Visibility, may
from bot.timeexpr import parse_duration, render_date, render_duration, render_recurrence
from handlers.builders.checkin import build_answer_modal
from handlers.builders.common import Reply, section
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from handlers.commands.sync import list_reply, skip, steer
from handlers.jobs.checkin import question_of
from storage.models import Schedule

KIND = "checkin"
CHANNEL_WORDS = {"channel", "频道", "全频道", "everyone"}


@subcommand(CHECKIN, "list")
async def _list(call: CommandCall) -> Reply:
    return await list_reply(call, KIND)


@subcommand(CHECKIN, "pause", "resume", "cancel")
async def _steer(call: CommandCall) -> Reply:
    return await steer(call, KIND)


@subcommand(CHECKIN, "skip")
async def _skip(call: CommandCall) -> Reply:
    return await skip(call, KIND)


def _deadline(text: str | None) -> timedelta:
    if not text:
        return checkins.DEFAULT_DEADLINE
    value = parse_duration(text)
    if not timedelta(minutes=15) <= value <= timedelta(hours=24):
        raise UsageError("checkin.bad_deadline", "cmd.checkin.add.example")
    return value


@subcommand(CHECKIN, "add")
async def _add(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    parsed = call.parsed
    now = call.svc.clock()
    words = parsed.unquoted.split()
    everyone = any(w.lower() in CHANNEL_WORDS for w in words)
    rule_text = " ".join(w for w in words if w.lower() not in CHANNEL_WORDS)
    if not (parsed.users or parsed.usergroups or everyone):
        raise UsageError("checkin.no_people", "cmd.checkin.add.example")
    rule = await admin.read_rule(rule_text, project=project, now=now)
    deadline = _deadline(parsed.opt("deadline"))
    question = (parsed.opt("question") or " ".join(parsed.quoted)).strip()
    if len(question) > 500:
        raise UsageError("sync.title_too_long", "cmd.checkin.add.example")
    draft = admin.ScheduleDraft(
        kind=KIND,
        title=question[:200] or t("checkin.title", call.lang),
        rule=rule,
        lead=timedelta(0),
        grace=timedelta(hours=1),
        visibility=Visibility.INTERNAL,
        options={
            "users": list(dict.fromkeys(parsed.users)),
            "usergroups": list(dict.fromkeys(parsed.usergroups)),
            "channel": everyone,
            "question": question,
            "deadline_minutes": int(deadline.total_seconds() // 60),
        },
    )
    async with call.svc.sessions.begin() as session:
        if not await channels.claim_request(session, key=call.request_key):
            return Reply(text=t("error.nothing_changed", call.lang))
        schedule = await admin.create_schedule(session, actor, draft, now=now)
    assert schedule.id is not None
    await call.svc.runner.schedule(schedule.id)
    people = [mention(u) for u in parsed.users] + [f"<!subteam^{g}>" for g in parsed.usergroups]
    if everyone:
        people.append(t("checkin.everyone_here", call.lang))
    text = t(
        "checkin.created",
        call.lang,
        ref=f"S-{schedule.number}",
        people=", ".join(people),
        rule=render_recurrence(rule, call.lang, now=now),
        deadline=render_duration(deadline, call.lang),
    )
    return Reply(text=text, blocks=[section(f":clipboard: {text}")])


@subcommand(CHECKIN, "away")
async def _away(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    until_text = call.parsed.opt("until") or call.parsed.text
    if not until_text:
        raise UsageError("checkin.away_missing", "cmd.checkin.away.example")
    now = call.svc.clock()
    until = await due_date(
        until_text, now=now, tz=project.tz, country=project.holidays, date_order=date_order_of(project)
    )
    async with call.svc.sessions.begin() as session:
        await checkins.set_away(
            session, actor, until=until, today=now.astimezone(ZoneInfo(project.tz)).date()
        )
    text = t("checkin.away_set", call.lang, date=render_date(until, call.lang))
    return Reply(text=text, blocks=[section(f":palm_tree: {text}")])


@subcommand(CHECKIN, "now")
async def _now(call: CommandCall) -> Reply | None:
    """Open the answer modal at once: the person's open check-in, or an occurrence of their own."""
    project = require_project(call)
    actor = actor_of(call)
    assert project.id is not None
    user_id = actor.viewer.user_id
    async with call.svc.sessions.begin() as session:
        answer = await checkins.open_occurrence_for(session, project_id=project.id, user_id=user_id)
        if answer is None:
            schedules = await admin.list_schedules(session, project_id=project.id, kind=KIND)
            if not schedules:
                raise UsageError("checkin.none_for_you", "cmd.checkin.add.example")
            if not may(actor.viewer, actor.place, Action.CREATE):
                raise refusal(actor.viewer)
            schedule: Schedule = schedules[0]
            occurrence_id = await checkins.adhoc_occurrence(
                session, actor, schedule=schedule, now=call.svc.clock()
            )
            answer = await checkins.prompt_row(
                session, occurrence_id=occurrence_id, project_id=project.id, user_id=user_id
            )
        else:
            schedule = await checkins.schedule_of(session, answer)
    view = build_answer_modal(
        occurrence_id=answer.occurrence_id,
        project=project.name,
        question=question_of(schedule, project, call.lang),
        lang=call.lang,
        answer=answer if answer.answered_at else None,
    )
    await call.client.views_open(trigger_id=call.payload["trigger_id"], view=view)
    return None
