"""`/change add|list|show|edit|withdraw|send`; `/change add` with no text opens the form."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.commands import CHANGE
from bot.domain import changes as domain
from bot.domain import signoff
from bot.domain.records import ref_of, require
from bot.i18n import normalise_lang, t
from bot.policy import Action
from handlers.actions.signoff import post_version
from handlers.builders.changes import (
    build_change_detail,
    build_change_list,
    build_change_modal,
    build_change_saved,
)
from handlers.builders.common import Reply, context, section
from handlers.builders.risks import build_notice
from handlers.builders.signoff import build_signoff_message
from handlers.commands.risk import form_metadata
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from storage.models import SignOff

log = logging.getLogger(__name__)


@subcommand(CHANGE, "add")
async def _add(call: CommandCall) -> Reply | None:
    parsed = call.parsed
    require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.ADD_EXAMPLE)
    if not parsed.raw:
        view = build_change_modal(call.lang, metadata=form_metadata(actor, call.lang))
        try:
            await call.client.views_open(trigger_id=str(call.payload.get("trigger_id") or ""), view=view)
        except SlackApiError as exc:  # e.g. expired_trigger_id: say so and offer the one-line form
            log.warning("views.open failed for /change add (%s)", exc.response.get("error"))
            return build_notice("change.form_failed", call.lang, example=domain.ADD_EXAMPLE)
        return None
    draft = domain.read_new_change(parsed)
    async with call.svc.sessions.begin() as session:
        saved = await domain.create_change(session, actor, draft, request_key=call.request_key)
    return build_change_saved(saved, call.lang, verb="created", team_view=call.team_view)


@subcommand(CHANGE, "list")
async def _list(call: CommandCall) -> Reply:
    parsed = call.parsed
    actor = actor_of(call)
    flt = domain.read_list(parsed)
    async with call.svc.sessions.begin() as session:
        found = await domain.list_changes(session, actor, flt)
    return build_change_list(found, call.lang, flt=flt)


@subcommand(CHANGE, "show")
async def _show(call: CommandCall) -> Reply:
    parsed = call.parsed
    project = require_project(call)
    actor = actor_of(call)
    ref = domain.read_ref_only(parsed, example=domain.SHOW_EXAMPLE)
    async with call.svc.sessions.begin() as session:
        detail = await domain.change_detail(session, actor, ref)
    return build_change_detail(detail, call.lang, tz=project.tz, team_view=call.team_view)


@subcommand(CHANGE, "edit")
async def _edit(call: CommandCall) -> Reply:
    parsed = call.parsed
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.EDIT_EXAMPLE)
    edit = domain.read_change_edit(parsed)
    async with call.svc.sessions.begin() as session:
        saved = await domain.update_change(session, actor, edit, request_key=call.request_key)
    return build_change_saved(saved, call.lang, verb="updated", team_view=call.team_view)


@subcommand(CHANGE, "withdraw")
async def _withdraw(call: CommandCall) -> Reply:
    parsed = call.parsed
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.WITHDRAW_EXAMPLE)
    ref = domain.read_ref_only(parsed, example=domain.WITHDRAW_EXAMPLE)
    async with call.svc.sessions.begin() as session:
        saved = await domain.withdraw_change(session, actor, ref, request_key=call.request_key)
    if saved.superseded is not None:
        await _show_withdrawn(call, saved.superseded, ref_of(saved.change), lang=normalise_lang(project.lang))
    return build_change_saved(saved, call.lang, verb="withdrawn", team_view=call.team_view)


async def _show_withdrawn(call: CommandCall, row: SignOff, ref: str, *, lang: str) -> None:
    """The client's message loses its buttons and says the team withdrew it."""
    if not (row.channel_id and row.message_ts):
        return
    text, blocks = build_signoff_message(row, ref, lang, require_project(call).tz)
    blocks = [*blocks, context(t("change.withdrawn_note", lang))]
    try:
        await call.client.chat_update(channel=row.channel_id, ts=row.message_ts, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.info("could not mark %s version %s withdrawn (%s)", ref, row.version, exc)


@subcommand(CHANGE, "send")
async def _send(call: CommandCall) -> Reply | None:
    parsed = call.parsed
    """Post the client-safe change request into the client channel for approval (the client's word)."""
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.SEND_EXAMPLE)
    ref = domain.read_ref_only(parsed, example=domain.SEND_EXAMPLE)
    lang = normalise_lang(project.lang)  # the client reads it in the project's language
    async with call.svc.sessions.begin() as session:
        sent = await domain.send_change(
            session, actor, ref, lang=lang, request_key=call.request_key, now=call.svc.clock()
        )
        if sent is None:
            return None  # a retried request: the first one answered
        shown_ref = ref_of(sent.change)
        ts = await post_version(call.client, sent.requested, shown_ref, lang=lang, tz=project.tz)
        await signoff.posted(session, signoff_id=int(sent.requested.row.id or 0), message_ts=ts)
    message = t(
        "signoff.sent",
        call.lang,
        ref=shown_ref,
        version=sent.requested.row.version,
        channel=sent.requested.channel_id,
    )
    return Reply(text=message, blocks=[section(message)])
