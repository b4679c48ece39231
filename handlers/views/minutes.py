"""Form submissions: the minutes form (new or edit) and the client's Request changes comment.

Everything is checked before the ack, so a problem shows up on the field that caused it and nothing is
written; the reply goes to the channel the form was opened from.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import minutes as domain
from bot.domain.records import check_length, ref_of
from bot.domain.when import date_order_of
from bot.errors import Refusal, UsageError
from bot.i18n import Lang, normalise_lang
from bot.mrkdwn import truncate
from bot.policy import shows_internal_fields
from handlers import ids
from handlers.builders.common import Reply
from handlers.builders.minutes import (
    build_changes_notice,
    build_client_message,
    build_form_errors,
    build_minutes_recorded,
    notice,
)
from handlers.commands.action import fill_owner_teams, name_keys
from handlers.context import Where, actor_for, client_word_actor
from handlers.views.runner import AfterAck, Invalid, Submission, view_listener

log = logging.getLogger(__name__)


def _state(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    values = (view.get("state") or {}).get("values") or {}
    return {block: (fields or {}).get(block) or {} for block, fields in values.items()}


def _text(state: dict[str, dict[str, Any]], block: str) -> str | None:
    """A text input's value; None when the block was not in the form at all."""
    if block not in state:
        return None
    return str(state[block].get("value") or "")


def read_form(view: dict[str, Any]) -> domain.FormInput:
    state = _state(view)
    picked = state.get(ids.MINUTES_DATE, {}).get("selected_date")
    try:
        meeting_on = date.fromisoformat(str(picked)) if picked else None
    except ValueError:
        meeting_on = None
    share = state.get(ids.MINUTES_SHARE, {}).get("selected_options") or []
    return domain.FormInput(
        title=_text(state, ids.MINUTES_TITLE) or "",
        meeting_on=meeting_on,
        attendees=[str(u) for u in state.get(ids.MINUTES_ATTENDEES, {}).get("selected_users") or []],
        client_attendees=_text(state, ids.MINUTES_CLIENT_ATTENDEES) or "",
        notes=_text(state, ids.MINUTES_NOTES) or "",
        decisions=_text(state, ids.MINUTES_DECISIONS),
        actions=_text(state, ids.MINUTES_ACTIONS),
        share=any(o.get("value") == "client" for o in share),
    )


def _field_of(err: UsageError) -> str:
    """Which form field an error raised after parsing belongs to."""
    if err.key.startswith("time."):
        return "actions"
    if err.key in ("minutes.unknown_ref", "minutes.ref_twice"):
        return "decisions" if str(err.params.get("ref", "")).startswith("D") else "actions"
    if isinstance(err, Refusal) or err.key == "minutes.internal_here":
        return "share"
    return "title"


async def _tell(client: AsyncWebClient, where: Where, reply: Reply) -> None:
    """The answer to a form goes where it was opened: to the channel, or only to the user when client-facing."""
    kwargs: dict[str, Any] = {"text": truncate(reply.text, 3000), "blocks": reply.blocks[:50]}
    user_id = where.viewer.user_id
    try:
        if where.place.client_facing:
            await client.chat_postEphemeral(channel=where.place.channel_id, user=user_id, **kwargs)
        else:
            await client.chat_postMessage(channel=where.place.channel_id, **kwargs)
    except SlackApiError as exc:
        log.info("could not answer in %s (%s); sending a DM", where.place.channel_id, exc)
        try:
            await client.chat_postMessage(channel=user_id, **kwargs)
        except SlackApiError:
            log.warning("could not tell %s about their minutes", user_id, exc_info=True)


def minutes_field_errors(err: UsageError, lang: Lang) -> dict[str, str]:
    return build_form_errors({_field_of(err): err}, lang)


def comment_field_errors(err: UsageError, lang: Lang) -> dict[str, str]:
    return build_form_errors({"comment": err}, lang)


async def submit_minutes(sub: Submission) -> AfterAck | None:
    svc, client, where, meta, lang = sub.svc, sub.client, sub.where, sub.meta, sub.lang
    number = int(meta.get("m") or 0)
    example = domain.EDIT_EXAMPLE if number else domain.NEW_EXAMPLE
    actor = actor_for(where)
    if actor.project_id != meta.get("p"):
        raise UsageError("refs.gone")
    project = where.project
    assert project is not None
    form = read_form(sub.view)
    people = {str(k): str(v) for k, v in (meta.get("people") or {}).items()}
    for user_id, user in (await svc.users.many(client, form.attendees)).items():
        for key in name_keys(user):
            people.setdefault(key, user_id)
    try:
        draft = domain.parse_form(form, people=people, editing=number > 0)
        await domain.resolve_dates(
            draft,
            now=svc.clock(),
            tz=project.tz,
            example=example,
            country=project.holidays,
            date_order=date_order_of(project),
        )
        await fill_owner_teams(svc.users, client, (a.owner for a in draft.all_actions()))
        async with svc.sessions.begin() as session:
            if number:
                result = await domain.edit_minutes(
                    session, actor, number, draft, now=svc.clock(), request_key=sub.request_key
                )
            else:
                result = await domain.record_minutes(
                    session, actor, draft, request_key=sub.request_key, example=example
                )
    except domain.FormErrors as errs:
        raise Invalid(build_form_errors(errs.errors, lang)) from errs
    if result is None:
        return None  # a retried submission: the first one answered
    recorded = result

    async def tell() -> None:
        team_view = shows_internal_fields(where.viewer, where.place)
        await _tell(
            client, where, build_minutes_recorded(recorded, lang, team_view=team_view, updated=number > 0)
        )

    return tell


async def submit_changes(sub: Submission) -> AfterAck:
    svc, client, where, meta = sub.svc, sub.client, sub.where, sub.meta
    comment = (_text(_state(sub.view), ids.MINUTES_CHANGES_COMMENT) or "").strip()
    if not comment:
        raise UsageError("minutes.empty_comment")
    check_length(comment, 3000, key="minutes.comment_too_long", example=None)
    actor = await client_word_actor(svc, client, where)
    async with svc.sessions.begin() as session:
        outcome = await domain.request_changes(
            session,
            actor,
            int(meta.get("m") or 0),
            shown_hash=str(meta.get("h") or ""),
            comment=comment,
            now=svc.clock(),
        )

    async def tell() -> None:
        await _tell_changes(client, where, outcome, shown_hash=meta.get("h"))

    return tell


async def _tell_changes(
    client: AsyncWebClient, where: Where, outcome: domain.ChangesRequested, *, shown_hash: object
) -> None:
    """The client is thanked privately (as on Confirm), the team channel hears of the requested changes (with
    Edit M-n) and the author gets a DM; the client's message is refreshed."""
    project = where.project
    assert project is not None
    thanks = notice("minutes.changes_requested_thanks", where.lang, ref=ref_of(outcome.minutes))
    try:
        await client.chat_postEphemeral(
            channel=where.place.channel_id, user=where.viewer.user_id, text=thanks.text, blocks=thanks.blocks
        )
    except SlackApiError as exc:
        log.info("could not thank %s for requesting changes (%s)", where.viewer.user_id, exc)
    project_lang = normalise_lang(project.lang)
    reply = build_changes_notice(
        outcome.minutes, outcome.confirmation, project_lang, team_channel=outcome.internal_channel_id
    )
    try:
        await client.chat_postMessage(
            channel=outcome.minutes.created_by, text=reply.text, blocks=reply.blocks
        )
    except SlackApiError as exc:
        log.info("could not DM the author of minutes %s (%s)", outcome.minutes.id, exc)
    if outcome.internal_channel_id:
        note = build_changes_notice(outcome.minutes, outcome.confirmation, project_lang, for_team=True)
        try:
            await client.chat_postMessage(
                channel=outcome.internal_channel_id, text=note.text, blocks=note.blocks
            )
        except SlackApiError:
            log.warning("could not tell the team about requested changes", exc_info=True)
    ts, channel_id = outcome.minutes.sent_ts, outcome.minutes.sent_channel_id
    if ts and channel_id and outcome.content.hash == shown_hash:
        text, blocks = build_client_message(
            outcome.content,
            project_lang,
            home_team_id=where.viewer.home_team_id,
            confirmations=outcome.confirmations,
            tz=project.tz,
        )
        try:
            await client.chat_update(channel=channel_id, ts=ts, text=text, blocks=blocks)
        except SlackApiError as exc:
            log.info("could not update the minutes message (%s)", exc)


def register(app: AsyncApp) -> None:
    app.view(ids.MINUTES_MODAL)(view_listener(submit_minutes, errors=minutes_field_errors))
    app.view(ids.MINUTES_CHANGES_MODAL)(view_listener(submit_changes, errors=comment_field_errors))
