"""`/requirement add|list|show|edit|delete|baseline`."""

from __future__ import annotations

from bot.commands import REQUIREMENT
from bot.domain import channels, records, signoff
from bot.domain import requirements as domain
from bot.domain.records import ref_of, require
from bot.i18n import normalise_lang, t
from bot.policy import Action
from handlers.actions.signoff import post_version
from handlers.builders.common import Reply, section
from handlers.builders.requirements import (
    build_requirement_deleted,
    build_requirement_detail,
    build_requirement_list,
    build_requirement_saved,
)
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand


def _notice(message: str) -> Reply:
    return Reply(text=message, blocks=[section(message)])


@subcommand(REQUIREMENT, "add")
async def _add(call: CommandCall) -> Reply:
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.ADD_EXAMPLE)
    draft = domain.read_new(call.parsed)
    async with call.svc.sessions.begin() as session:
        saved = await domain.create_requirement(session, actor, draft, request_key=call.request_key)
    ref = ref_of(saved.requirement)
    message = t("requirement.repeated" if saved.repeated else "requirement.created", call.lang, ref=ref)
    return build_requirement_saved(
        saved.requirement, message, call.lang, changed=False, team_view=call.team_view
    )


@subcommand(REQUIREMENT, "list")
async def _list(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    async with call.svc.sessions.begin() as session:
        listing = await domain.list_requirements(session, actor)
    return build_requirement_list(listing, call.lang, tz=project.tz, team_view=call.team_view)


@subcommand(REQUIREMENT, "show")
async def _show(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    ref = domain.read_ref_only(call.parsed, example=domain.SHOW_EXAMPLE)
    async with call.svc.sessions.begin() as session:
        detail = await domain.requirement_detail(session, actor, ref)
    return build_requirement_detail(detail, call.lang, tz=project.tz, team_view=call.team_view)


@subcommand(REQUIREMENT, "edit")
async def _edit(call: CommandCall) -> Reply:
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.EDIT_EXAMPLE)
    edit = domain.read_edit(call.parsed)
    async with call.svc.sessions.begin() as session:
        saved = await domain.edit_requirement(
            session, actor, edit, lang=call.lang, request_key=call.request_key
        )
    r = saved.requirement
    ref = ref_of(r)
    if saved.repeated:
        message = t("requirement.repeated_request", call.lang)
    elif not saved.changed:
        return _notice(t("requirement.unchanged", call.lang, ref=ref))
    elif saved.under is not None:
        message = t("requirement.updated_under", call.lang, ref=ref, change=saved.under)
    else:
        message = t("requirement.updated", call.lang, ref=ref)
    changed = domain.changed_since_baseline(r)
    return build_requirement_saved(r, message, call.lang, changed=changed, team_view=call.team_view)


@subcommand(REQUIREMENT, "delete")
async def _delete(call: CommandCall) -> Reply:
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.DELETE_EXAMPLE)
    ref = domain.read_ref_only(call.parsed, example=domain.DELETE_EXAMPLE)
    async with call.svc.sessions.begin() as session:
        saved = await domain.delete_requirement(
            session, actor, ref, lang=call.lang, now=call.svc.clock(), request_key=call.request_key
        )
    if saved is None:
        return _notice(t("requirement.repeated_request", call.lang))
    shown = ref_of(saved.requirement)
    if saved.under is not None:
        message = t("requirement.deleted_under", call.lang, ref=shown, change=saved.under)
    else:
        message = t("requirement.deleted", call.lang, ref=shown)
    minutes = int(records.UNDO_WINDOW.total_seconds() // 60)
    return build_requirement_deleted(saved.requirement, message, call.lang, undo_minutes=minutes)


@subcommand(REQUIREMENT, "baseline")
async def _baseline(call: CommandCall) -> Reply | None:
    """Send the client requirements to the client channel as baseline version N+1 (the client's word)."""
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.BASELINE_EXAMPLE)
    lang = normalise_lang(project.lang)  # the client reads it in the project's language
    async with call.svc.sessions.begin() as session:
        if not await channels.claim_request(session, key=call.request_key):
            return None  # a retried request: the first one answered
        subject = await domain.baseline_subject(session, actor, lang=lang)
        requested = await signoff.request(
            session, actor, subject, example=domain.BASELINE_EXAMPLE, now=call.svc.clock()
        )
        name = subject.record.title
        ts = await post_version(call.client, requested, name, lang=lang, tz=project.tz)
        await signoff.posted(session, signoff_id=int(requested.row.id or 0), message_ts=ts)
    message = t(
        "signoff.sent", call.lang, ref=name, version=requested.row.version, channel=requested.channel_id
    )
    return _notice(message)
