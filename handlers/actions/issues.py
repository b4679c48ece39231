"""The client channel's panel (Raise an issue, Ask a question, What's waiting for me), the team's Assign menu
on an issue's announcement, the list's Details button and the check-in summary's Make it an issue.

A click is checked like a command: who clicked (their organisation, from Slack's directory when the payload
names another one), in which channel, and the policy.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import issues as domain
from bot.domain.records import Actor, require
from bot.errors import UsageError
from bot.i18n import normalise_lang
from bot.policy import Action, shows_internal_fields
from bot.services import Services
from handlers import ids
from handlers.actions.runner import Click, ClickBody, click_listener
from handlers.builders.issues import (
    assigned_client_text,
    assigned_team_text,
    build_assigned_reply,
    build_client_ack,
    build_issue_detail,
    build_issue_modal,
    build_team_announcement,
    build_waiting,
)
from handlers.context import Where, actor_for
from handlers.metadata import encode
from storage.models import Issue

log = logging.getLogger(__name__)
POST_OPTIONS: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}


async def placed_actor(svc: Services, client: AsyncWebClient, where: Where) -> Actor:
    """The actor with their organisation as Slack's directory has it when the payload names another one
    (a person Slack can't place stays external: fail closed)."""
    viewer = where.viewer
    if viewer.team_id != viewer.home_team_id:
        viewer = replace(viewer, team_id=await svc.users.team_of(client, viewer.user_id))
    return replace(actor_for(where), viewer=viewer)


# ---- telling people ------------------------------------------------------------------------------------


async def announce(svc: Services, client: AsyncWebClient, raised: domain.Raised) -> None:
    """The client's acknowledgement (a message whose thread gets the news) and the team's announcement with
    its Assign menu; both are remembered on the issue."""
    issue, project = raised.issue, raised.project
    assert issue.id is not None
    lang = normalise_lang(project.lang)
    respond_by = domain.target_at(issue, project)
    client_post: tuple[str, str] | None = None
    team_post: tuple[str, str] | None = None
    if raised.client_channel_id:
        text, blocks = build_client_ack(issue, lang, respond_by=respond_by)
        try:
            sent = await client.chat_postMessage(
                channel=raised.client_channel_id, text=text, blocks=blocks, **POST_OPTIONS
            )
            client_post = (raised.client_channel_id, str(sent["ts"]))
        except SlackApiError as exc:
            log.warning("could not acknowledge I-%s in the client channel (%s)", issue.number, exc)
    if raised.internal_channel_id:
        text, blocks = build_team_announcement(
            issue,
            lang,
            client_name=project.client_name,
            respond_by=respond_by if issue.first_response_at is None else None,
            tz=project.tz,
        )
        try:
            sent = await client.chat_postMessage(
                channel=raised.internal_channel_id, text=text, blocks=blocks, **POST_OPTIONS
            )
            team_post = (raised.internal_channel_id, str(sent["ts"]))
        except SlackApiError as exc:
            log.warning("could not tell the team about I-%s (%s)", issue.number, exc)
    async with svc.sessions.begin() as session:
        await domain.posted(session, issue_id=issue.id, client=client_post, team=team_post)


async def tell_client_thread(client: AsyncWebClient, issue: Issue, text: str) -> None:
    """News on a client-visible issue, in the thread of its acknowledgement in the client channel."""
    if issue.visibility != "client" or not issue.client_channel_id or not issue.client_ts:
        return
    try:
        await client.chat_postMessage(
            channel=issue.client_channel_id, thread_ts=issue.client_ts, text=text, **POST_OPTIONS
        )
    except SlackApiError as exc:
        log.warning("could not tell the client about I-%s (%s)", issue.number, exc)


async def open_view(client: AsyncWebClient, trigger_id: str, view: dict[str, Any]) -> None:
    """views.open at once (the trigger expires in 3 s); if Slack refuses, say so (no command to suggest)."""
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("views.open failed for the issue form: %s", exc)
        raise UsageError("issue.form_failed") from None


# ---- the panel -------------------------------------------------------------------------------------------


def _opener(kind: str) -> ClickBody:
    async def handle_open(click: Click) -> None:
        project = click.project
        assert project.id is not None
        actor = await placed_actor(click.svc, click.client, click.where)
        require(actor, Action.RAISE, domain.ADD_EXAMPLE)
        metadata = encode(channel=click.channel_id, project=project.id, lang=click.where.lang, kind=kind)
        view = build_issue_modal(kind, click.where.lang, metadata=metadata)
        await open_view(click.client, str(click.body.get("trigger_id") or ""), view)

    return handle_open


async def handle_waiting(click: Click) -> None:
    click.project  # noqa: B018 - a channel without a project answers "gone"
    actor = await placed_actor(click.svc, click.client, click.where)
    async with click.svc.sessions.begin() as session:
        waiting = await domain.waiting_for(session, actor)
    await click.say(build_waiting(waiting, click.where.lang))


# ---- the team's side ---------------------------------------------------------------------------------------


async def handle_assign(click: Click) -> None:
    block_id = str(click.action.get("block_id") or "")
    owner = str(click.action.get("selected_user") or "")
    tail = block_id.removeprefix(ids.ISSUE_ASSIGN_BLOCK)
    if not block_id.startswith(ids.ISSUE_ASSIGN_BLOCK) or not tail.isdigit() or not owner:
        return  # a cleared menu, or not ours: nothing to do
    actor = click.actor
    owner_team = await click.svc.users.team_of(click.client, owner)
    async with click.svc.sessions.begin() as session:
        done = await domain.assign(
            session, actor, int(tail), owner_user_id=owner, owner_team_id=owner_team, now=click.svc.clock()
        )
    issue = done.issue
    lang = normalise_lang(done.lang)
    if done.changed:
        await tell_client_thread(click.client, issue, assigned_client_text(issue, lang))
        if issue.team_channel_id and issue.team_ts:
            text, blocks = build_team_announcement(
                issue, lang, client_name=click.project.client_name, respond_by=None, tz=click.project.tz
            )
            try:  # the announcement shows the owner now (its menu stays, to reassign)
                await click.client.chat_update(
                    channel=issue.team_channel_id, ts=issue.team_ts, text=text, blocks=blocks
                )
            except SlackApiError as exc:
                log.info("could not show the owner of I-%s on its announcement (%s)", issue.number, exc)
            try:
                await click.client.chat_postMessage(
                    channel=issue.team_channel_id,
                    thread_ts=issue.team_ts,
                    text=assigned_team_text(issue, lang, who=actor.viewer.user_id),
                    **POST_OPTIONS,
                )
            except SlackApiError as exc:
                log.info("could not note the assignment of I-%s (%s)", issue.number, exc)
    await click.say(build_assigned_reply(issue, click.where.lang, changed=done.changed))


async def handle_show(click: Click) -> None:
    project = click.project
    async with click.svc.sessions.begin() as session:
        detail = await domain.issue_detail(session, click.actor, str(click.action.get("value") or ""))
    team_view = shows_internal_fields(click.where.viewer, click.where.place)
    respond_by = domain.target_at(detail.issue, project)
    await click.say(
        build_issue_detail(
            detail, click.where.lang, tz=project.tz, team_view=team_view, respond_by=respond_by
        )
    )


async def handle_from_blocker(click: Click) -> None:
    """A check-in blocker becomes an internal issue: the form opens prefilled, the team edits and sends it."""
    project = click.project
    assert project.id is not None
    answer_id, _ = click.value()
    async with click.svc.sessions.begin() as session:
        draft = await domain.blocker_draft(session, click.actor, answer_id)
    metadata = encode(channel=click.channel_id, project=project.id, lang=click.where.lang, kind=domain.ISSUE)
    view = build_issue_modal(
        domain.ISSUE,
        click.where.lang,
        metadata=metadata,
        title=draft.title,
        description=draft.description,
        internal=not click.where.place.client_facing,
    )
    await open_view(click.client, str(click.body.get("trigger_id") or ""), view)


def register(app: AsyncApp) -> None:
    app.action(ids.PANEL_RAISE)(click_listener(_opener(domain.ISSUE)))
    app.action(ids.PANEL_ASK)(click_listener(_opener(domain.QUESTION)))
    app.action(ids.PANEL_WAITING)(click_listener(handle_waiting))
    app.action(ids.ISSUE_ASSIGN)(click_listener(handle_assign))
    app.action(ids.ISSUE_SHOW)(click_listener(handle_show))
    app.action(ids.ISSUE_FROM_BLOCKER)(click_listener(handle_from_blocker))
