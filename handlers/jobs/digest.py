"""Posting a digest, now or on schedule: the channel's shared status is checked at posting time.

The order is the safety argument. Slack is asked whether the target channel is shared (`fresh=True`,
failing closed); an internal digest into a shared channel or the client channel is refused outright;
otherwise the digest is composed through the policy for that channel, so a shared channel only ever gets
client records whatever was asked for. Once the message is out nothing raises a retryable error (the
engine would post it again): a chart upload that fails turns into the charts' text, added to the message.
"""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot import charts as drawing
from bot.charts import ChartText, Picture
from bot.delivery import post_once
from bot.domain import channels, digest_data
from bot.domain import schedules as engine
from bot.domain.digest import ChartData, Digest, DigestAudience, chart_data, lens_for
from bot.i18n import normalise_lang, t
from bot.mrkdwn import channel as channel_link
from bot.mrkdwn import escape
from bot.policy import Place
from bot.services import Services
from handlers.builders.common import Block, section
from handlers.builders.digest import build_digest, content_hash
from handlers.builders.review import with_note
from handlers.jobs import review
from handlers.jobs.slack_errors import delivery_error
from storage.models import Project, Schedule

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
        bound = await channels.list_channels(session, project_id=project.id)
    if explicit:
        role = next((c.role for c in bound if c.channel_id == explicit), None)
        return Target(explicit, role == channels.CLIENT)
    wanted = channels.CLIENT if audience is DigestAudience.CLIENT else channels.INTERNAL
    found = next((c.channel_id for c in bound if c.role == wanted), None)
    if found is None:
        raise NoChannel(wanted)
    return Target(found, wanted == channels.CLIENT)


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
    """Render in the chart pool (off the event loop) and upload into the digest's thread; raises on any
    failure."""
    data = chart_data(digest)
    pictures = await drawing.draw(data, chart_text(digest.lang), chart_text("en"))
    if not pictures:
        return
    await client.files_upload_v2(
        channel=channel_id,
        thread_ts=ts,
        file_uploads=file_uploads(pictures, data, digest.lang),
        initial_comment=t("digest.chart.comment", digest.lang),
    )


# ---- posting --------------------------------------------------------------------------------------------

REPORT_PART = "failure-report"  # the report's key beside its occurrence's (bot/delivery.post_once)
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
    note: str | None = None,
) -> Posted:
    """Check the channel now, compose for it, post, attach charts (or their text), record the delivery.

    Raises `Refused` before anything is sent, or a Slack/network error when the message itself failed.
    """
    assert project.id is not None
    place = await place_now(svc, client, target)
    check_allowed(audience, place)
    async with svc.sessions() as session:
        digest = await digest_data.compose_for(session, project, audience, lens_for(audience, place), now=now)
    with_charts = charts and not digest.is_empty and not chart_data(digest).empty
    links = await signoff_links(client, digest)
    text, blocks = build_digest(digest, charts_as_text=not with_charts, links=links)
    text, blocks = with_note(note, digest.lang, text, blocks)  # the PM's line on top (review)
    ts = await post_once(  # scheduled: tagged, and looked for in history before any re-post
        client, channel=target.channel_id, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
    )
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
                exc_info=not isinstance(exc, (*SLACK_FAILURES, drawing.ChartsUnavailable)),
            )
            text, blocks = await _add_chart_text(
                client, target.channel_id, ts, digest, (text, blocks), links, note
            )
    digest_hash = content_hash(text, blocks)
    async with svc.sessions.begin() as session:
        await digest_data.record_posted(
            session,
            project_id=project.id,
            audience=audience,
            digest=digest,
            channel_id=target.channel_id,
            message_ts=ts,
            content_hash=digest_hash,
            charts_error=charts_error,
            at=svc.clock(),
            schedule_id=schedule_id,
        )
    return Posted(target.channel_id, ts, digest_hash, digest, charts_error)


async def _add_chart_text(
    client: AsyncWebClient,
    channel_id: str,
    ts: str,
    digest: Digest,
    sent: tuple[str, list[Block]],
    links: dict[int, str],
    note: str | None = None,
) -> tuple[str, list[Block]]:
    text, blocks = build_digest(digest, charts_as_text=True, links=links)
    text, blocks = with_note(note, digest.lang, text, blocks)
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
    now: datetime,
    reason: str,
    schedule_id: int | None = None,
) -> None:
    """A digest that did not go out is recorded too (one row per scheduled occurrence)."""
    async with svc.sessions.begin() as session:
        await digest_data.record_failure(
            session,
            project,
            audience,
            channel_id=channel_id,
            now=now,
            reason=reason,
            at=svc.clock(),
            schedule_id=schedule_id,
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
    """Tell the team, in the project's internal channel, why a scheduled digest did not go out: through
    post_once under the occurrence's claim (its own part), so a retry or a takeover never tells them twice."""
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
        await post_once(
            client, channel=internal.channel_id, part=REPORT_PART, text=text, blocks=[section(text)]
        )
    except engine.NotPosted:
        return  # only looked for (a takeover too late): the engine's given-up report tells the team
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
            schedule, project = await engine.schedule_and_project(session, schedule_id=schedule_id)
        audience = DigestAudience(schedule.options.get("audience", "internal"))
        charts = bool(schedule.options.get("charts", True))
        note = await review.gate(svc, self.client, schedule, project, occurs_at)  # held: raises
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
                note=note,
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
        await review.posted(svc, self.client, schedule, project, occurs_at)
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
        await record_failure(
            self.svc,
            project=project,
            audience=audience,
            channel_id=channel_id,
            now=occurs_at,
            reason=code,
            schedule_id=schedule.id,
        )
        await report_failure(
            self.svc, self.client, project=project, schedule=schedule, channel_id=channel_id, reason=why
        )
