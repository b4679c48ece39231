"""Buttons of the one sign-off workflow: post a version to the client channel, and take the client's
Approve / Approve with remarks / Reject (buttons, then a modal for remarks or the reason).

Every kind that needs the client's word (milestone acceptance now) sends through `send_for_signoff`; the
clicks are the same for all of them. Only the client's click counts (`client_word_actor`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import signoff as domain
from bot.domain.minutes import SUBJECT as MINUTES
from bot.errors import UsageError
from bot.i18n import normalise_lang
from bot.services import Services
from handlers import ids
from handlers.actions.runner import Click, click_listener
from handlers.builders.signoff import (
    build_signoff_message,
    build_signoff_modal,
    build_team_note,
    build_thanks,
)
from handlers.commands.action import refresh_sent_minutes
from handlers.commands.minutes import open_view
from handlers.context import Where, client_word_actor
from storage.models import SignOff

log = logging.getLogger(__name__)

POST_OPTIONS: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}


async def post_version(
    client: AsyncWebClient, requested: domain.Requested, ref: str, *, lang: str, tz: str
) -> str:
    """Post a new version into the client channel (inside the caller's transaction: if Slack refuses, nothing
    is stored) and show the version it supersedes as such. Returns the message ts."""
    text, blocks = build_signoff_message(requested.row, ref, lang, tz)
    try:
        response = await client.chat_postMessage(
            channel=requested.channel_id, text=text, blocks=blocks, **POST_OPTIONS
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "error")
        raise UsageError(
            "signoff.sent_failed", None, ref=ref, channel=requested.channel_id, error=error
        ) from None
    old = requested.superseded
    if old is not None and old.channel_id and old.message_ts:
        old_text, old_blocks = build_signoff_message(old, ref, lang, tz)
        try:
            await client.chat_update(
                channel=old.channel_id, ts=old.message_ts, text=old_text, blocks=old_blocks
            )
        except SlackApiError as exc:
            log.info("could not mark version %s of %s superseded (%s)", old.version, ref, exc)
    return str(response["ts"])


@dataclass(frozen=True)
class Outcome:
    decided: domain.Decided
    ref: str


async def settle(
    svc: Services,
    client: AsyncWebClient,
    where: Where,
    *,
    signoff_id: int,
    shown: str,
    outcome: str,
    remarks: str,
) -> Outcome:
    actor = await client_word_actor(svc, client, where)
    async with svc.sessions.begin() as session:
        decided = await domain.decide(
            session, actor, signoff_id, shown_hash=shown, outcome=outcome, remarks=remarks, now=svc.clock()
        )
        ref = await domain.subject_ref(session, decided.row)
    if decided.created:
        own_message = decided.row.subject == MINUTES  # minutes have their own message in the client channel
        if own_message:
            await refresh_sent_minutes(
                svc, client, decided.row.subject_id, home_team_id=where.viewer.home_team_id
            )
        await announce(client, decided, ref, show_outcome=not own_message)
    return Outcome(decided, ref)


async def announce(
    client: AsyncWebClient, decided: domain.Decided, ref: str, *, show_outcome: bool = True
) -> None:
    """The message shows the outcome; the team hears of it, whatever it is, with a link to the message."""
    row: SignOff = decided.row
    lang = normalise_lang(decided.lang)
    link = ""
    if row.channel_id and row.message_ts:
        if show_outcome:
            text, blocks = build_signoff_message(row, ref, lang, decided.tz)
            try:
                await client.chat_update(channel=row.channel_id, ts=row.message_ts, text=text, blocks=blocks)
            except SlackApiError as exc:
                log.warning("could not show the outcome of %s version %s (%s)", ref, row.version, exc)
        try:
            found = await client.chat_getPermalink(channel=row.channel_id, message_ts=row.message_ts)
            link = str(found.get("permalink") or "")
        except SlackApiError as exc:
            log.info("no permalink for %s (%s)", ref, exc)
    if decided.internal_channel_id:
        note = build_team_note(row, ref, lang, link=link or f"#{row.channel_id}", record=decided.record)
        try:
            await client.chat_postMessage(
                channel=decided.internal_channel_id, text=note.text, blocks=note.blocks, **POST_OPTIONS
            )
        except SlackApiError:
            log.warning("could not tell the team about %s", ref, exc_info=True)


async def handle_approve(click: Click) -> None:
    signoff_id, shown = click.value()
    done = await settle(
        click.svc,
        click.client,
        click.where,
        signoff_id=signoff_id,
        shown=shown,
        outcome=domain.APPROVED,
        remarks="",
    )
    await click.say(
        build_thanks(
            done.decided.row,
            done.ref,
            click.where.lang,
            created=done.decided.created,
            viewer_id=click.where.viewer.user_id,
        )
    )


def _modal_opener(outcome: str) -> Any:
    async def handle_open(click: Click) -> None:
        signoff_id, shown = click.value()
        actor = await click.client_actor()
        async with click.svc.sessions.begin() as session:
            row = await domain.check_may_decide(session, actor, signoff_id)
            ref = await domain.subject_ref(session, row)
        if row.content_hash != shown:
            raise UsageError("signoff.superseded", None, ref=ref, version=row.version)
        if row.status != domain.WAITING:
            await click.say(
                build_thanks(row, ref, click.where.lang, created=False, viewer_id=click.where.viewer.user_id)
            )
            return
        view = build_signoff_modal(row, ref, outcome, click.where.lang, channel_id=click.channel_id)
        await open_view(click.client, str(click.body.get("trigger_id") or ""), view, click.where.lang)

    return handle_open


def register(app: AsyncApp) -> None:
    app.action(ids.SIGNOFF_APPROVE)(click_listener(handle_approve))
    app.action(ids.SIGNOFF_REMARKS)(click_listener(_modal_opener(domain.REMARKS)))
    app.action(ids.SIGNOFF_REJECT)(click_listener(_modal_opener(domain.REJECTED)))
