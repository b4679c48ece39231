"""Review before the client, the Slack side: the team's preview at `review_lead` before a client post, and the
hooks the digest and sync posters call just before and after posting it (bot/domain/review.py decides).

Previews are looked for by the runner's follow-ups (every minute, and at every `run_all` of a test): at most a
minute after (post time − review_lead), claimed once per (schedule, occurrence) however many replicas look.
The preview is the client's message composed exactly as the poster composes it (same functions, the client
channel's place as Slack reports it now), and composed again when it posts.
"""

from __future__ import annotations

import logging
from datetime import datetime

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import channels, followups, review
from bot.domain import schedules as engine
from bot.i18n import normalise_lang
from bot.services import Services
from handlers.builders.common import Block
from handlers.builders.review import build_decided, build_preview, with_note
from handlers.jobs.followups import carry_out
from storage.models import Project, ReviewPreview, Schedule

log = logging.getLogger(__name__)
SLACK_FAILURES = (SlackClientError, aiohttp.ClientError, TimeoutError, OSError)


def ref_of(schedule: Schedule) -> str:
    return f"S-{schedule.number}"


async def team_channel(svc: Services, project: Project) -> str | None:
    assert project.id is not None
    async with svc.sessions() as session:
        bound = await channels.list_channels(session, project_id=project.id)
    return next((c.channel_id for c in bound if c.role == channels.INTERNAL), None)


async def compose_client_post(
    svc: Services, client: AsyncWebClient, schedule: Schedule, project: Project, occurs_at: datetime
) -> tuple[str, str, list[Block]]:
    """(channel, text, blocks) the client would get now, by the poster's own composition."""
    from handlers.jobs import digest as digest_job  # they import this module for their hooks
    from handlers.jobs import sync as sync_job

    if schedule.kind == "sync":  # as the client reads it at its post time (or now, when sent late)
        read_at = max(svc.clock(), review.post_time(schedule, occurs_at))
        return await sync_job.compose_sync_reminder(svc, client, schedule, project, occurs_at, now=read_at)
    from bot.domain import digest_data
    from bot.domain.digest import DigestAudience, chart_data, lens_for
    from handlers.builders.digest import build_digest

    audience = DigestAudience(schedule.options.get("audience", "internal"))
    target = await digest_job.resolve_target(svc, project, audience, schedule.channel_id)
    place = await digest_job.place_now(svc, client, target)
    digest_job.check_allowed(audience, place)
    async with svc.sessions() as session:
        digest = await digest_data.compose_for(
            session, project, audience, lens_for(audience, place), now=occurs_at
        )
    charts = bool(schedule.options.get("charts", True))
    with_charts = charts and not digest.is_empty and not chart_data(digest).empty
    links = await digest_job.signoff_links(client, digest)
    text, blocks = build_digest(digest, charts_as_text=not with_charts, links=links)
    return target.channel_id, text, blocks


# ---- the preview ----------------------------------------------------------------------------------------


async def review_previews(svc: Services, client: AsyncWebClient, now: datetime, *, instance: str) -> None:
    """Post every preview whose time has come, each claimed once under a lease; a claim whose replica died
    before posting is taken over and looked for in the team channel's history first."""
    for held in await followups.take_over(
        svc.sessions, kind=followups.REVIEW_PREVIEW, now=now, instance=instance
    ):
        await _carry_out(svc, client, held)
    async with svc.sessions() as session:
        due = await review.previews_due(session, now=now)
    for item in due:
        claimed = await review.claim_preview(svc.sessions, due=item, instance=instance, now=now)
        if claimed is not None:  # else another replica has it
            await _carry_out(svc, client, claimed)


async def _carry_out(svc: Services, client: AsyncWebClient, held: followups.Held) -> None:
    """With review:on the client post still goes out at its time if the preview never does; required: held."""

    async def post(once: Once) -> None:
        async with svc.sessions() as session:
            row = await review.get(session, held.record_id)
        if row is None or row.message_ts:
            return  # gone, or posted and recorded before its claimant stopped
        await show_preview(svc, client, held.record_id, once=once)

    try:
        await carry_out(svc, client, held, post)
    except Exception:  # composing failed (not Slack): the claim's lease runs out and it is tried again
        log.exception("could not post the review preview %s", held.record_id)


async def _loaded(svc: Services, preview_id: int) -> tuple[ReviewPreview, Schedule, Project]:
    async with svc.sessions() as session:
        row = await review.get(session, preview_id)
        assert row is not None
        schedule, project = await engine.schedule_and_project(session, schedule_id=row.schedule_id)
    return row, schedule, project


async def show_preview(
    svc: Services, client: AsyncWebClient, preview_id: int, *, once: Once | None = None
) -> None:
    """Post the preview in the team channel (under its follow-up claim's `once`), or (when it was posted)
    replace it with a fresh composition."""
    row, schedule, project = await _loaded(svc, preview_id)
    lang = normalise_lang(project.lang)
    channel_id, text, blocks = await compose_client_post(svc, client, schedule, project, row.occurs_at)
    text, blocks = with_note(row.note, lang, text, blocks)
    text, blocks = build_preview(
        preview_id=preview_id,
        kind=schedule.kind,
        ref=ref_of(schedule),
        channel_id=channel_id,
        post_at=review.post_time(schedule, row.occurs_at),
        mode=project.review,
        lang=lang,
        client_text=text,
        client_blocks=blocks,
        note_by=row.note_by if row.note else None,
    )
    if row.channel_id and row.message_ts:
        await client.chat_update(channel=row.channel_id, ts=row.message_ts, text=text, blocks=blocks)
        return
    team = await team_channel(svc, project)
    if team is None:
        log.warning("project %s has no team channel for its review preview", project.id)
        return
    ts = await post_once(  # a lost answer is looked up in the channel's history, not re-sent blindly
        client,
        once or Once(f"{followups.REVIEW_PREVIEW}:{preview_id}"),
        channel=team,
        text=text,
        blocks=blocks,
        unfurl_links=False,
        unfurl_media=False,
    )
    async with svc.sessions.begin() as session:
        await review.preview_posted(session, preview_id=preview_id, channel_id=team, message_ts=ts)


async def show_decided(
    svc: Services,
    client: AsyncWebClient,
    preview_id: int,
    state: str,
    *,
    by: str | None = None,
    reason: str = "",
    tell: bool = False,
) -> None:
    """The preview says what happened (its buttons gone); with `tell`, the team channel is told too."""
    row, schedule, project = await _loaded(svc, preview_id)
    async with svc.sessions() as session:
        target = await review.client_channel_of(session, schedule)
    text, blocks = build_decided(
        state=state,
        kind=schedule.kind,
        ref=ref_of(schedule),
        channel_id=target,
        post_at=review.post_time(schedule, row.occurs_at),
        lang=normalise_lang(project.lang),
        by=by,
        reason=reason,
    )
    try:
        if row.channel_id and row.message_ts:
            await client.chat_update(channel=row.channel_id, ts=row.message_ts, text=text, blocks=blocks)
        if tell and (team := await team_channel(svc, project)) is not None:
            await post_once(
                client, Once(f"review-{state}:{preview_id}"), channel=team, text=text, blocks=blocks
            )
    except SLACK_FAILURES as exc:
        log.warning("could not show the review outcome of preview %s: %s", preview_id, exc)


# ---- the posters' hooks ---------------------------------------------------------------------------------


async def gate(
    svc: Services, client: AsyncWebClient, schedule: Schedule, project: Project, occurs_at: datetime
) -> str | None:
    """Just before a scheduled post: the note to put on top, or (held, or skipped meanwhile) a DeliveryError
    that posts nothing; a held occurrence is recorded skipped and the team told once."""
    async with svc.sessions() as session:
        if not await review.client_facing(session, schedule):
            return None
    decided = await review.gate(svc.sessions, schedule=schedule, project=project, occurs_at=occurs_at)
    if decided.post:
        return decided.note
    assert schedule.id is not None
    await review.hold_occurrence(svc.sessions, schedule_id=schedule.id, occurs_at=occurs_at)
    if decided.tell and decided.preview is not None and decided.preview.id is not None:
        await show_decided(svc, client, decided.preview.id, review.HELD, tell=True)
    raise engine.DeliveryError(review.HELD_REASON, retry=False)


async def posted(
    svc: Services, client: AsyncWebClient, schedule: Schedule, project: Project, occurs_at: datetime
) -> None:
    """Just after a scheduled post went out with no decision: its preview says so, buttons gone."""
    try:
        assert schedule.id is not None
        async with svc.sessions() as session:
            row = await review.find(session, schedule_id=schedule.id, occurs_at=occurs_at)
        if row is None or row.id is None or row.state != review.PENDING:
            return
        if await review.mark_posted(svc.sessions, preview_id=row.id, now=svc.clock()):
            await show_decided(svc, client, row.id, review.POSTED)
    except Exception:  # the client's post is out: nothing here may turn it into a failed (re)post
        log.exception("could not mark the preview of schedule %s as posted", schedule.id)
