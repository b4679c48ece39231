"""Check-in prompts by DM (each person's language and zone), the nudge, and the summary at the deadline."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import channels, checkins, followups
from bot.domain import schedules as engine
from bot.i18n import normalise_lang, t
from bot.install import use_workspace_of
from bot.mrkdwn import bold, escape
from bot.services import Services
from bot.timeexpr import Moment, render_moment
from bot.users import UserDirectory
from handlers.builders.checkin import build_prompt, build_summary
from handlers.jobs.followups import carry_out
from handlers.jobs.slack_errors import delivery_error
from storage.models import Project, Schedule

log = logging.getLogger(__name__)
SLACK_ERRORS = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)


@dataclass(frozen=True)
class Person:
    user_id: str
    tz: str
    lang: str
    active: bool


async def person(
    directory: UserDirectory, client: AsyncWebClient, user_id: str, *, default_tz: str, default_lang: str
) -> Person:
    """Who a prompt goes to, in their own zone and language (users.info); the project's when unknown."""
    info = await directory.get(client, user_id)
    if info is None:
        return Person(user_id, default_tz, default_lang, True)
    tz = str(info.get("tz") or default_tz)
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        tz = default_tz
    lang = normalise_lang(info.get("locale"), default=normalise_lang(default_lang))
    return Person(user_id, tz, lang, not (info.get("is_bot") or info.get("deleted")))


def when(at: datetime, tz: str, lang: str) -> str:
    return render_moment(Moment(at=at, local=at.astimezone(ZoneInfo(tz)), has_time=True), lang)


async def people_of(svc: Services, client: AsyncWebClient, schedule: Schedule) -> list[str]:
    """Named people, members of the named user groups, and the internal channel's members if asked."""
    found: list[str] = list(schedule.options.get("users", []))
    for group in schedule.options.get("usergroups", []):
        try:
            found += (await client.usergroups_users_list(usergroup=group)).get("users") or []
        except SLACK_ERRORS as exc:
            log.warning("usergroup %s: %s", group, exc)
    if schedule.options.get("channel"):
        async with svc.sessions() as session:
            channel_id, _ = await engine.target_channel(session, schedule=schedule)
        try:
            found += (await client.conversations_members(channel=channel_id, limit=500)).get("members") or []
        except SLACK_ERRORS as exc:
            log.warning("members of %s: %s", channel_id, exc)
    return list(dict.fromkeys(found))  # unique, in order


async def _load(svc: Services, schedule_id: int, occurs_at: datetime) -> tuple[Schedule, Project, int]:
    async with svc.sessions() as session:
        schedule, project = await engine.schedule_and_project(session, schedule_id=schedule_id)
        occurrence_id = await engine.occurrence_id_of(session, schedule_id=schedule_id, occurs_at=occurs_at)
    return schedule, project, occurrence_id


def question_of(schedule: Schedule, project: Project, lang: str) -> str:
    return str(schedule.options.get("question") or t("checkin.default_question", lang, project=project.name))


async def post_checkin_prompts(
    svc: Services, client: AsyncWebClient, schedule_id: int, occurs_at: datetime
) -> engine.Delivery:
    schedule, project, occurrence_id = await _load(svc, schedule_id, occurs_at)
    assert project.id is not None
    today = occurs_at.astimezone(ZoneInfo(project.tz)).date()
    async with svc.sessions() as session:
        away = await checkins.away_users(session, project_id=project.id, today=today)
    deadline = occurs_at + checkins.deadline_of(schedule)
    failures: list[str] = []
    prompted = 0
    for user_id in await people_of(svc, client, schedule):
        if user_id in away:
            continue
        who = await person(svc.users, client, user_id, default_tz=project.tz, default_lang=project.lang)
        if not who.active:
            continue
        async with svc.sessions.begin() as session:
            row = await checkins.prompt_row(
                session, occurrence_id=occurrence_id, project_id=project.id, user_id=user_id
            )
            already = row.prompt_ts is not None
        if already:  # a retry after a partial failure: never prompt twice
            prompted += 1
            continue
        text, blocks = build_prompt(
            project=project.name,
            question=question_of(schedule, project, who.lang),
            deadline=when(deadline, who.tz, who.lang),
            occurrence_id=occurrence_id,
            lang=who.lang,
        )
        try:
            dm = (await client.conversations_open(users=user_id))["channel"]["id"]
            prompt_ts = await post_once(client, channel=dm, part=user_id, text=text, blocks=blocks)
        except SLACK_ERRORS as exc:
            failures.append(f"{user_id}: {delivery_error(exc).reason}")
            continue
        assert row.id is not None
        async with svc.sessions.begin() as session:
            await checkins.mark_prompted(
                session, answer_id=row.id, at=svc.clock(), dm_channel_id=dm, prompt_ts=prompt_ts
            )
        prompted += 1
    if failures:  # retried by the engine; those already prompted are skipped next time
        raise engine.DeliveryError("; ".join(failures)[:1000])
    return engine.Delivery()


async def checkin_followups(svc: Services, client: AsyncWebClient, now: datetime) -> None:
    """Nudge halfway to the deadline, summarise at the deadline; each claimed once across replicas (a
    follow-up claim under a lease per nudged person and per summary, taken over if its claimant died)."""
    instance = svc.runner.instance
    for kind in (checkins.NUDGE, checkins.SUMMARY):
        for held in await followups.take_over(svc.sessions, kind=kind, now=now, instance=instance):
            await _carry_out(svc, client, held)
    async with svc.sessions() as session:
        pending = await checkins.pending_followups(session, now=now)
    for occurrence, schedule in pending:
        assert occurrence.id is not None
        deadline = occurrence.occurs_at + checkins.deadline_of(schedule)
        if now >= deadline:
            async with svc.sessions.begin() as session:
                claimed = await checkins.claim_summary(
                    session,
                    occurrence_id=occurrence.id,
                    project_id=schedule.project_id,
                    post=occurrence.status != "adhoc",
                    instance=instance,
                    now=now,
                )
            for held in claimed:
                await _carry_out(svc, client, held)
        elif occurrence.status != "adhoc" and now >= checkins.nudge_at(schedule, occurrence.occurs_at):
            async with svc.sessions.begin() as session:
                claimed = await checkins.claim_nudges(
                    session,
                    occurrence_id=occurrence.id,
                    project_id=schedule.project_id,
                    instance=instance,
                    now=now,
                )
            for held in claimed:
                await _carry_out(svc, client, held)


async def _carry_out(svc: Services, client: AsyncWebClient, held: followups.Held) -> None:
    async def post(once: Once) -> None:
        if held.kind == checkins.NUDGE:
            await _nudge(svc, client, held, once)
        else:
            await _summarise(svc, client, held, once)

    await carry_out(svc, client, held, post)


async def _occurrence(svc: Services, occurrence_id: int) -> tuple[Schedule, Project, datetime] | None:
    async with svc.sessions() as session:
        occurrence = await engine.occurrence(session, occurrence_id)
        if occurrence is None:
            return None
        schedule, _ = await engine.schedule_and_project(session, schedule_id=occurrence.schedule_id)
        project = await channels.fresh_project(session, project_id=schedule.project_id)
    if project is None:
        return None
    return schedule, project, occurrence.occurs_at + checkins.deadline_of(schedule)


async def _nudge(svc: Services, client: AsyncWebClient, held: followups.Held, once: Once) -> None:
    """One person's nudge, in the thread of their prompt (looked for among its replies if an answer was lost)."""
    found = await _occurrence(svc, held.record_id)
    if found is None:
        return
    _schedule, project, deadline = found
    async with svc.sessions() as session:
        row = await checkins.answer_of(session, occurrence_id=held.record_id, user_id=held.part)
    if row is None or row.answered_at is not None or not row.dm_channel_id or svc.clock() >= deadline:
        return  # answered meanwhile, never prompted, or past its deadline: a nudge would say nothing true
    await use_workspace_of(svc, project_id=held.project_id)
    who = await person(svc.users, client, row.user_id, default_tz=project.tz, default_lang=project.lang)
    text = t(
        "checkin.nudge",
        who.lang,
        project=bold(escape(project.name)),
        deadline=when(deadline, who.tz, who.lang),
    )
    await post_once(client, once, channel=row.dm_channel_id, text=text, thread_ts=row.prompt_ts)
    assert row.id is not None
    async with svc.sessions.begin() as session:
        await checkins.mark_nudged(session, answer_id=row.id, at=svc.clock())


async def _summarise(svc: Services, client: AsyncWebClient, held: followups.Held, once: Once) -> None:
    found = await _occurrence(svc, held.record_id)
    if found is None:
        return
    schedule, project, _deadline = found
    await use_workspace_of(svc, project_id=held.project_id)
    async with svc.sessions() as session:
        rows = await checkins.answers(session, occurrence_id=held.record_id)
        try:
            channel_id, _ = await engine.target_channel(session, schedule=schedule)
        except engine.DeliveryError as exc:  # no channel to post in, so none to report in either
            log.error("check-in summary for occurrence %s: %s", held.record_id, exc.reason)
            return
    text, blocks = build_summary(project=project.name, answers=rows, lang=normalise_lang(project.lang))
    await post_once(client, once, channel=channel_id, text=text, blocks=blocks)
