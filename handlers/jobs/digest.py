"""Posting a digest, now or on schedule: the channel's shared status is checked at posting time.

The order is the safety argument. Slack is asked whether the target channel is shared (`fresh=True`,
failing closed); an internal digest into a shared channel or the client channel is refused outright;
otherwise the digest is composed through the policy for that channel, so a shared channel only ever gets
client records whatever was asked for. Once the message is out nothing raises a retryable error (the
engine would post it again): a chart upload that fails turns into the charts' text, added to the message.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.charts import ChartText, Picture, render_charts
from bot.domain import schedules as engine
from bot.domain import signoff
from bot.domain.digest import (
    SOON_DAYS,
    ChartData,
    Digest,
    DigestAudience,
    DigestData,
    Lens,
    Period,
    chart_data,
    compose,
    lens_for,
    period_since,
    today_of,
)
from bot.i18n import normalise_lang, t
from bot.mrkdwn import channel as channel_link
from bot.mrkdwn import escape
from bot.policy import Place
from bot.services import Services
from handlers.builders.common import Block, section
from handlers.builders.digest import build_digest, content_hash
from handlers.jobs.slack_errors import delivery_error
from storage.models import DigestDelivery, Project, Schedule, Workspace
from storage.repo import digest as repo
from storage.repo import projects

log = logging.getLogger(__name__)

SLACK_FAILURES = (SlackClientError, aiohttp.ClientError, TimeoutError, OSError)
# How many times the engine tries an occurrence (`deliver`'s default): the last failure is the one reported.
ENGINE_ATTEMPTS: int = inspect.signature(engine.deliver).parameters["attempts"].default


class Refused(Exception):
    """The policy forbids this digest in this channel; `key` is the catalogue's reason."""

    def __init__(self, key: str, code: str, channel_id: str) -> None:
        super().__init__(code)
        self.key, self.code, self.channel_id = key, code, channel_id


class NoChannel(Exception):
    def __init__(self, role: str) -> None:
        super().__init__(f"the project has no {role} channel")
        self.role = role


@dataclass(frozen=True)
class Target:
    channel_id: str
    client_channel: bool  # the project's client channel


async def resolve_target(
    svc: Services, project: Project, audience: DigestAudience, explicit: str | None = None
) -> Target:
    """`to:#channel` if given, else the project's client channel (client) or team channel (internal)."""
    assert project.id is not None
    async with svc.sessions() as session:
        channels = await projects.list_channels(session, project_id=project.id)
    if explicit:
        role = next((c.role for c in channels if c.channel_id == explicit), None)
        return Target(explicit, role == projects.CLIENT)
    wanted = projects.CLIENT if audience is DigestAudience.CLIENT else projects.INTERNAL
    found = next((c.channel_id for c in channels if c.role == wanted), None)
    if found is None:
        raise NoChannel(wanted)
    return Target(found, wanted == projects.CLIENT)


async def place_now(svc: Services, client: AsyncWebClient, target: Target, *, fresh: bool = True) -> Place:
    """The target as the policy sees it, asked of Slack now (unknown counts as shared)."""
    facts = await svc.channels.facts(client, target.channel_id, fresh=fresh)
    return Place(channel_id=target.channel_id, shared=facts.shared, client_channel=target.client_channel)


def check_allowed(audience: DigestAudience, place: Place) -> None:
    """An internal digest never goes where the client reads."""
    if audience is not DigestAudience.INTERNAL:
        return
    if place.shared:
        raise Refused(
            "digest.refused.shared", "internal digest refused: the channel is shared", place.channel_id
        )
    if place.client_channel:
        raise Refused(
            "digest.refused.client_channel",
            "internal digest refused: it is the project's client channel",
            place.channel_id,
        )


async def home_team_of(svc: Services, project: Project) -> str:
    async with svc.sessions() as session:
        workspace = await session.get(Workspace, project.workspace_id)
    assert workspace is not None
    return workspace.team_id


async def load_data(
    svc: Services,
    project: Project,
    *,
    period: Period,
    home_team_id: str,
    previous: dict[str, Any] | None = None,
) -> DigestData:
    """Everything a digest of this project and period may draw on, by indexed, bounded queries."""
    assert project.id is not None
    pid = project.id
    today = today_of(period, project.tz)
    first_day = period.start.astimezone(ZoneInfo(project.tz)).date()
    async with svc.sessions() as session:
        return DigestData(
            project_name=project.name,
            client_name=project.client_name,
            lang=normalise_lang(project.lang),
            tz=project.tz,
            home_team_id=home_team_id,
            period=period,
            open_milestones=await repo.open_milestones(session, project_id=pid),
            done_milestones=await repo.milestones_done_between(
                session, project_id=pid, start=period.start, first_day=first_day, last_day=today
            ),
            slips=await repo.slips_between(session, project_id=pid, start=period.start, end=period.end),
            actions_done=await repo.actions_done_between(
                session, project_id=pid, start=period.start, end=period.end
            ),
            actions_open_due=await repo.open_actions_due_by(
                session, project_id=pid, by=today + timedelta(days=SOON_DAYS), limit=repo.LIMIT
            ),
            open_risks=await repo.open_risks_by_score(session, project_id=pid, limit=repo.LIMIT),
            closed_risks=await repo.risks_closed_between(
                session, project_id=pid, start=period.start, end=period.end
            ),
            decisions=await repo.decisions_between(
                session, project_id=pid, start=period.start, end=period.end
            ),
            minutes=await repo.minutes_between(session, project_id=pid, start=period.start, end=period.end),
            awaiting=await repo.minutes_awaiting_confirmation(session, project_id=pid),
            checkins=await repo.checkins_answered_between(
                session, project_id=pid, start=period.start, end=period.end
            ),
            signoffs=await signoff.with_subjects(
                session,
                [
                    *await signoff.waiting(session, project_id=pid),
                    *await signoff.decided_between(
                        session, project_id=pid, start=period.start, end=period.end
                    ),
                ],
            ),
            holidays=project.holidays,
            previous=previous,
        )


async def next_period(
    svc: Services, project: Project, audience: DigestAudience, *, now: datetime
) -> tuple[Period, DigestDelivery | None]:
    """The period the next digest of `audience` covers, and the last one delivered (if any)."""
    assert project.id is not None
    async with svc.sessions() as session:
        last = await repo.last_delivery(session, project_id=project.id, audience=str(audience))
    return period_since(last.period_end if last is not None else None, now), last


async def compose_for(
    svc: Services, project: Project, audience: DigestAudience, lens: Lens, *, now: datetime
) -> Digest:
    """The next digest of `audience`: since the last one delivered, as `lens` may read it."""
    period, last = await next_period(svc, project, audience, now=now)
    data = await load_data(
        svc,
        project,
        period=period,
        home_team_id=await home_team_of(svc, project),
        previous=last.summary if last is not None else None,
    )
    return compose(data, lens, audience)


# ---- charts ---------------------------------------------------------------------------------------------


def chart_text(lang: str) -> ChartText:
    def word(name: str) -> str:
        return t(f"digest.chart.{name}", lang)

    return ChartText(
        heat_title=word("heat_title"),
        probability=word("probability"),
        impact=word("impact"),
        timeline_title=word("timeline_title"),
        planned=word("planned"),
        forecast=word("forecast"),
        done=word("done"),
        today=word("today"),
        accepted=word("accepted"),
    )


def file_uploads(pictures: list[Picture], data: ChartData, lang: str) -> list[dict[str, Any]]:
    """files_upload_v2 entries: fixed names, catalogue titles, alt text with counts only."""
    uploads: list[dict[str, Any]] = []
    for picture in pictures:
        kind = "heat" if picture.filename.startswith("risk") else "timeline"
        n = sum(len(c.refs) for c in data.heat) if kind == "heat" else len(data.timeline)
        uploads.append(
            {
                "content": picture.content,
                "filename": picture.filename,
                "title": t(f"digest.chart.file.{kind}", lang),
                "alt_txt": t(f"digest.chart.alt.{kind}", lang, n=n),
            }
        )
    return uploads


async def attach_charts(client: AsyncWebClient, channel_id: str, ts: str, digest: Digest) -> None:
    """Render off the event loop and upload into the digest's thread; raises on any failure."""
    data = chart_data(digest)
    pictures = await asyncio.to_thread(render_charts, data, chart_text(digest.lang), chart_text("en"))
    if not pictures:
        return
    await client.files_upload_v2(
        channel=channel_id,
        thread_ts=ts,
        file_uploads=file_uploads(pictures, data, digest.lang),
        initial_comment=t("digest.chart.comment", digest.lang),
    )


# ---- posting --------------------------------------------------------------------------------------------

LINKS = 8  # permalinks asked for: as many waiting sign-offs as the digest lists before "…and N more"


async def signoff_links(client: AsyncWebClient, digest: Digest) -> dict[int, str]:
    """Permalinks of the messages waiting sign-offs were sent in (their buttons are there); none on failure."""
    links: dict[int, str] = {}
    for row in digest.signoffs_waiting[:LINKS]:
        version = row.signoff
        if version.id is None or not version.channel_id or not version.message_ts:
            continue
        try:
            found = await client.chat_getPermalink(channel=version.channel_id, message_ts=version.message_ts)
        except SLACK_FAILURES as exc:
            log.info("no permalink for sign-off %s: %s", version.id, failure_reason(exc))
            continue
        if found.get("permalink"):
            links[version.id] = str(found["permalink"])
    return links


@dataclass(frozen=True)
class Posted:
    channel_id: str
    ts: str
    content_hash: str
    digest: Digest
    charts_error: str | None = None


def failure_reason(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or "unknown_error")
    return type(exc).__name__


async def post_digest(
    svc: Services,
    client: AsyncWebClient,
    *,
    project: Project,
    audience: DigestAudience,
    target: Target,
    now: datetime,
    charts: bool,
    schedule_id: int | None = None,
) -> Posted:
    """Check the channel now, compose for it, post, attach charts (or their text), record the delivery.

    Raises `Refused` before anything is sent, or a Slack/network error when the message itself failed.
    """
    assert project.id is not None
    place = await place_now(svc, client, target)
    check_allowed(audience, place)
    digest = await compose_for(svc, project, audience, lens_for(audience, place), now=now)
    with_charts = charts and not digest.is_empty and not chart_data(digest).empty
    links = await signoff_links(client, digest)
    text, blocks = build_digest(digest, charts_as_text=not with_charts, links=links)
    response = await client.chat_postMessage(
        channel=target.channel_id, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
    )
    ts = str(response.get("ts"))
    charts_error: str | None = None
    if with_charts:
        try:
            await attach_charts(client, target.channel_id, ts, digest)
        except Exception as exc:  # the digest is out: a chart must never turn it into a failed (re)post
            charts_error = failure_reason(exc)
            log.warning(
                "digest charts for project %s failed (%s); adding them as text",
                project.id,
                charts_error,
                exc_info=not isinstance(exc, SLACK_FAILURES),
            )
            text, blocks = await _add_chart_text(client, target.channel_id, ts, digest, (text, blocks), links)
    digest_hash = content_hash(text, blocks)
    async with svc.sessions.begin() as session:
        existing = (
            await repo.find_scheduled_delivery(session, schedule_id=schedule_id, period_end=digest.period.end)
            if schedule_id is not None
            else None
        )
        values = {
            "project_id": project.id,
            "schedule_id": schedule_id,
            "audience": str(audience),
            "channel_id": target.channel_id,
            "message_ts": ts,
            "content_hash": digest_hash,
            "period_start": digest.period.start,
            "period_end": digest.period.end,
            "status": "posted",
            "error": f"charts: {charts_error}" if charts_error else "",
            "summary": digest.summary,
            "at": svc.clock(),
        }
        if existing is not None:  # an earlier attempt of this occurrence failed; this one went out
            for key, value in values.items():
                setattr(existing, key, value)
            session.add(existing)
        else:
            await repo.record_delivery(session, **values)
    return Posted(target.channel_id, ts, digest_hash, digest, charts_error)


async def _add_chart_text(
    client: AsyncWebClient,
    channel_id: str,
    ts: str,
    digest: Digest,
    sent: tuple[str, list[Block]],
    links: dict[int, str],
) -> tuple[str, list[Block]]:
    text, blocks = build_digest(digest, charts_as_text=True, links=links)
    try:
        await client.chat_update(channel=channel_id, ts=ts, text=text, blocks=blocks)
    except SLACK_FAILURES as exc:
        log.warning(
            "could not add the charts' text to digest %s in %s: %s", ts, channel_id, failure_reason(exc)
        )
        return sent
    return text, blocks


async def record_failure(
    svc: Services,
    *,
    project: Project,
    audience: DigestAudience,
    channel_id: str,
    period: Period,
    reason: str,
    schedule_id: int | None = None,
) -> None:
    """A digest that did not go out is recorded too (one row per scheduled occurrence)."""
    assert project.id is not None
    async with svc.sessions.begin() as session:
        existing = (
            await repo.find_scheduled_delivery(session, schedule_id=schedule_id, period_end=period.end)
            if schedule_id is not None
            else None
        )
        if existing is not None:
            existing.status, existing.error, existing.at = "failed", reason[:1000], svc.clock()
            session.add(existing)
            return
        await repo.record_delivery(
            session,
            project_id=project.id,
            schedule_id=schedule_id,
            audience=str(audience),
            channel_id=channel_id,
            period_start=period.start,
            period_end=period.end,
            status="failed",
            error=reason[:1000],
            at=svc.clock(),
        )


async def report_failure(
    svc: Services,
    client: AsyncWebClient,
    *,
    project: Project,
    schedule: Schedule,
    channel_id: str,
    reason: str,
) -> None:
    """Tell the team, in the project's internal channel, why a scheduled digest did not go out."""
    assert project.id is not None
    lang = normalise_lang(project.lang)
    audience = DigestAudience(schedule.options.get("audience", "internal"))
    text = t(
        "digest.report_failed",
        lang,
        audience=t(f"digest.audience.{audience}", lang),
        ref=f"S-{schedule.number}",
        channel=channel_link(channel_id) if channel_id else "—",
        reason=reason,
    )
    try:
        internal = await resolve_target(svc, project, DigestAudience.INTERNAL)
        await client.chat_postMessage(channel=internal.channel_id, text=text, blocks=[section(text)])
    except (NoChannel, *SLACK_FAILURES) as exc:
        log.error("could not report the failed digest of project %s: %s", project.id, exc)


# ---- the scheduled poster -----------------------------------------------------------------------------


class DigestPoster:
    """Posts scheduled digests for the engine; records and reports a failure once it is final."""

    def __init__(self, svc: Services, client: AsyncWebClient) -> None:
        self.svc, self.client = svc, client
        self._attempts: dict[tuple[int, datetime], int] = {}

    async def __call__(self, schedule_id: int, occurs_at: datetime) -> engine.Delivery:
        key = (schedule_id, occurs_at)
        self._attempts[key] = attempt = self._attempts.get(key, 0) + 1
        try:
            delivery = await self._post(schedule_id, occurs_at, attempt)
        except engine.DeliveryError as exc:
            if exc.retry and attempt < ENGINE_ATTEMPTS:
                raise  # the engine tries again: keep counting
            self._attempts.pop(key, None)
            raise
        except BaseException:
            self._attempts.pop(key, None)
            raise
        self._attempts.pop(key, None)
        return delivery

    async def _post(self, schedule_id: int, occurs_at: datetime, attempt: int) -> engine.Delivery:
        svc = self.svc
        async with svc.sessions() as session:
            schedule = await session.get(Schedule, schedule_id)
            assert schedule is not None
            project = await session.get(Project, schedule.project_id)
            assert project is not None and project.id is not None
        audience = DigestAudience(schedule.options.get("audience", "internal"))
        charts = bool(schedule.options.get("charts", True))
        try:
            target = await resolve_target(svc, project, audience, schedule.channel_id)
        except NoChannel as exc:
            why = t(f"digest.no_channel.{exc.role}", normalise_lang(project.lang))
            await self._failed(project, schedule, audience, "", occurs_at, str(exc), why)
            raise engine.DeliveryError(str(exc), retry=False) from None
        try:
            posted = await post_digest(
                svc,
                self.client,
                project=project,
                audience=audience,
                target=target,
                now=occurs_at,
                charts=charts,
                schedule_id=schedule_id,
            )
        except Refused as exc:
            lang = normalise_lang(project.lang)
            why = t(exc.key, lang, channel=channel_link(exc.channel_id))
            await self._failed(project, schedule, audience, target.channel_id, occurs_at, exc.code, why)
            raise engine.DeliveryError(exc.code, retry=False) from None
        except SLACK_FAILURES as exc:
            failure = delivery_error(exc)
            if not failure.retry or attempt >= ENGINE_ATTEMPTS:
                why = escape(failure.reason)
                await self._failed(
                    project, schedule, audience, target.channel_id, occurs_at, failure.reason, why
                )
            raise failure from exc
        return engine.Delivery(channel_id=posted.channel_id, message_ts=posted.ts)

    async def _failed(
        self,
        project: Project,
        schedule: Schedule,
        audience: DigestAudience,
        channel_id: str,
        occurs_at: datetime,
        code: str,
        why: str,
    ) -> None:
        period, _last = await next_period(self.svc, project, audience, now=occurs_at)
        await record_failure(
            self.svc,
            project=project,
            audience=audience,
            channel_id=channel_id,
            period=period,
            reason=code,
            schedule_id=schedule.id,
        )
        await report_failure(
            self.svc, self.client, project=project, schedule=schedule, channel_id=channel_id, reason=why
        )
