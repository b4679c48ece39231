"""`/issue add|list|show|update|resolve|reopen`: the team's issue log (the client raises issues by the panel)."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.commands import ISSUE
from bot.domain import issues as domain
from bot.domain.records import require
from bot.domain.when import date_order_of
from bot.errors import UsageError
from bot.policy import Action
from handlers.builders.common import Reply
from handlers.builders.issues import (
    build_issue_detail,
    build_issue_list,
    build_issue_modal,
    build_issue_saved,
    resolved_client_text,
)
from handlers.commands.runner import CommandCall, actor_of, require_project, subcommand
from handlers.metadata import encode


@subcommand(ISSUE, "add")
async def _add(call: CommandCall) -> Reply | None:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.CREATE, domain.ADD_EXAMPLE)
    if not call.parsed.raw:  # no text: the form (title, details, severity), as the panel's
        assert project.id is not None
        metadata = encode(
            channel=call.where.place.channel_id, project=project.id, lang=call.lang, kind=domain.ISSUE
        )
        view = build_issue_modal(
            domain.ISSUE, call.lang, metadata=metadata, internal=not call.where.place.client_facing
        )
        try:
            await call.client.views_open(trigger_id=str(call.payload.get("trigger_id") or ""), view=view)
        except SlackApiError:
            raise UsageError("issue.form_failed_command", domain.ADD_EXAMPLE) from None
        return None
    draft = await domain.read_new_issue(
        call.parsed,
        now=call.svc.clock(),
        tz=project.tz,
        viewer_id=actor.viewer.user_id,
        country=project.holidays,
        date_order=date_order_of(project),
    )
    owner_team = await call.svc.users.team_of(call.client, draft.owner.user_id)
    async with call.svc.sessions.begin() as session:
        saved = await domain.create_issue(
            session,
            actor,
            draft,
            owner_team_id=owner_team,
            request_key=call.request_key,
            now=call.svc.clock(),
        )
    return build_issue_saved(saved, call.lang, verb="created", tz=project.tz, team_view=call.team_view)


@subcommand(ISSUE, "list")
async def _list(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    flt = domain.parse_filter(call.parsed.text)
    async with call.svc.sessions.begin() as session:
        found = await domain.list_issues(session, actor, flt)
    return build_issue_list(found, call.lang, flt=flt, tz=project.tz, client_facing=not call.team_view)


@subcommand(ISSUE, "show")
async def _show(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    ref = domain.read_ref_only(call.parsed, example=domain.SHOW_EXAMPLE)
    async with call.svc.sessions.begin() as session:
        detail = await domain.issue_detail(session, actor, ref)
    respond_by = domain.target_at(detail.issue, project)
    return build_issue_detail(
        detail, call.lang, tz=project.tz, team_view=call.team_view, respond_by=respond_by
    )


@subcommand(ISSUE, "update")
async def _update(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.UPDATE_EXAMPLE)
    edit = await domain.read_issue_edit(
        call.parsed,
        now=call.svc.clock(),
        tz=project.tz,
        viewer_id=actor.viewer.user_id,
        country=project.holidays,
        date_order=date_order_of(project),
    )
    owner_team = await call.svc.users.team_of(call.client, edit.values.get("owner_user_id"))
    async with call.svc.sessions.begin() as session:
        saved = await domain.update_issue(
            session, actor, edit, owner_team_id=owner_team, request_key=call.request_key, now=call.svc.clock()
        )
    return build_issue_saved(saved, call.lang, verb="updated", tz=project.tz, team_view=call.team_view)


@subcommand(ISSUE, "resolve")
async def _resolve(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.RESOLVE_EXAMPLE)
    ref, note = domain.read_resolve(call.parsed)
    async with call.svc.sessions.begin() as session:
        saved = await domain.resolve_issue(
            session, actor, ref, note, request_key=call.request_key, now=call.svc.clock()
        )
    if not saved.repeated:
        from handlers.actions.issues import tell_client_thread

        await tell_client_thread(call.client, saved.issue, resolved_client_text(saved.issue, project.lang))
    return build_issue_saved(saved, call.lang, verb="resolved", tz=project.tz, team_view=call.team_view)


@subcommand(ISSUE, "reopen")
async def _reopen(call: CommandCall) -> Reply:
    project = require_project(call)
    actor = actor_of(call)
    require(actor, Action.UPDATE, domain.REOPEN_EXAMPLE)
    ref = domain.read_ref_only(call.parsed, example=domain.REOPEN_EXAMPLE)
    async with call.svc.sessions.begin() as session:
        saved = await domain.reopen_issue(
            session, actor, ref, request_key=call.request_key, now=call.svc.clock()
        )
    return build_issue_saved(saved, call.lang, verb="reopened", tz=project.tz, team_view=call.team_view)
