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
from bot.mrkdwn import escape, mention
from bot.policy import Action, Visibility, may
from bot.timeexpr import parse_duration, render_date, render_duration, render_recurrence
from handlers.builders.checkin import build_answer_modal
from handlers.builders.common import Reply, section
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from handlers.commands.sync import list_reply, skip, steer
from handlers.jobs.checkin import question_of
from storage.models import Schedule

KIND = "checkin"
QUESTIONS_EXAMPLE = "cmd.checkin.questions.example"
ADD_EXAMPLE = "checkin.questions_add.example"
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
    asked = parsed.opt("questions")
    questions = checkins.read_questions(asked, example=ADD_EXAMPLE) if asked is not None else ()
    progress = checkins.read_switch(parsed.opt("progress"), example=ADD_EXAMPLE)
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
            "questions": list(questions),
            "progress": True if progress is None else progress,
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
    if asked is None and progress is None:
        return Reply(text=text, blocks=[section(f":clipboard: {text}")])
    listing = _questions_text(schedule, call.lang)
    return Reply(text=f"{text}\n{listing}", blocks=[section(f":clipboard: {text}"), section(listing)])


def _questions_text(schedule: Schedule, lang: str) -> str:
    """What a check-in asks, as its people will see it in the form."""
    lines = [t("checkin.questions_title", lang, ref=f"S-{schedule.number}")]
    own = checkins.questions_of(schedule)
    lines += [f"{n}. {escape(q)}" for n, q in enumerate(own, start=1)] or [t("checkin.questions_usual", lang)]
    lines.append(
        t(
            "checkin.progress_asked" if checkins.asks_progress(schedule) else "checkin.progress_not_asked",
            lang,
        )
    )
    return "\n".join(lines)


@subcommand(CHECKIN, "questions")
async def _questions(call: CommandCall) -> Reply:
    """`/checkin questions S-n "…|…" progress:on|off`: what the next prompts ask; alone, what they ask now."""
    require_project(call)
    actor = actor_of(call)
    parsed = call.parsed
    words = parsed.text.split(maxsplit=1)
    ref = words[0] if words else ""
    # Each quoted phrase is a question; unquoted text keeps its line breaks (one question per line).
    typed = parsed.opt("questions") or "\n".join(parsed.quoted) or (words[1] if len(words) > 1 else "")
    typed = typed.strip()
    progress = checkins.read_switch(parsed.opt("progress"), example=QUESTIONS_EXAMPLE)
    questions: tuple[str, ...] | None = None
    if typed.lower() in checkins.DEFAULT_WORDS:
        questions = ()
    elif typed:
        questions = checkins.read_questions(typed, example=QUESTIONS_EXAMPLE)
    changed = questions is not None or progress is not None
    async with call.svc.sessions.begin() as session:
        try:
            schedule = await admin.load_schedule(
                session, actor, ref, kind=KIND, action=Action.UPDATE if changed else Action.READ
            )
        except UsageError as err:
            raise err.with_example(QUESTIONS_EXAMPLE) from None
        # A retried request (Slack retries) changes nothing twice.
        if changed and await channels.claim_request(session, key=call.request_key):
            await checkins.set_questions(session, actor, schedule, questions=questions, progress=progress)
        listing = _questions_text(schedule, call.lang)
    if changed:
        listing = f"{t('checkin.questions_changed', call.lang)}\n{listing}"
    return Reply(text=listing, blocks=[section(f":clipboard: {listing}")])


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
        questions=checkins.questions_of(schedule),
        progress=checkins.asks_progress(schedule),
    )
    await call.client.views_open(trigger_id=call.payload["trigger_id"], view=view)
    return None
