"""Buttons on Liaison's messages: the client's Confirm / Request changes, Mark done, Undo delete, and
"start the minutes". Clients from another organisation mostly cannot run our commands, so everything they
do happens here; the policy decides exactly as it does for commands.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.domain import actions as actions_domain
from bot.domain import minutes as domain
from bot.domain.records import load_by_id, ref_of, require
from bot.errors import UsageError
from bot.i18n import normalise_lang
from bot.policy import Action
from handlers import ids
from handlers.actions.runner import Click, click_listener
from handlers.actions.signoff import announce
from handlers.builders.actions import build_action_done
from handlers.builders.common import build_usage_error
from handlers.builders.minutes import (
    build_changes_modal,
    build_client_message,
    build_minutes_restored,
    notice,
)
from handlers.commands.action import refresh_sent_minutes, tell_team_of_client_done
from handlers.commands.minutes import edit_minutes_view, new_minutes_view, open_view
from handlers.metadata import encode
from storage.models import ActionItem, Minutes

log = logging.getLogger(__name__)


async def _update_sent_message(
    click: Click, minutes: Minutes, text: str, blocks: list[dict[str, Any]]
) -> None:
    """Show the new state on the minutes' own message, wherever the click came from (it may be a digest)."""
    if not minutes.sent_ts or not minutes.sent_channel_id:
        return
    try:
        await click.client.chat_update(
            channel=minutes.sent_channel_id, ts=minutes.sent_ts, text=text, blocks=blocks
        )
    except SlackApiError as exc:
        log.warning("could not update the minutes message %s (%s)", minutes.sent_ts, exc)


async def handle_confirm(click: Click) -> None:
    minutes_id, shown_hash = click.value()
    project = click.project
    async with click.svc.sessions.begin() as session:
        outcome = await domain.confirm(
            session, await click.client_actor(), minutes_id, shown_hash=shown_hash, now=click.svc.clock()
        )
    text, blocks = build_client_message(
        outcome.content,
        normalise_lang(project.lang),
        home_team_id=click.where.viewer.home_team_id,
        confirmations=outcome.confirmations,
        tz=project.tz,
    )
    await _update_sent_message(click, outcome.minutes, text, blocks)
    if outcome.created and outcome.decided is not None:  # the team hears of it, as of every client decision
        await announce(click.client, outcome.decided, ref_of(outcome.minutes), show_outcome=False)
    if outcome.created:
        key = "minutes.confirmed_thanks"
    else:
        key = (
            "minutes.changes_already_requested" if outcome.changes_requested else "minutes.already_confirmed"
        )
    await click.say(notice(key, click.where.lang, ref=ref_of(outcome.minutes)))


async def handle_request_changes(click: Click) -> None:
    minutes_id, shown_hash = click.value()
    actor = await click.client_actor()
    async with click.svc.sessions.begin() as session:
        minutes = await domain.check_can_confirm(session, actor, minutes_id, shown_hash=shown_hash)
    view = build_changes_modal(
        click.where.lang,
        private_metadata=encode(m=minutes_id, h=shown_hash, c=click.channel_id, ts=click.message_ts or ""),
        minutes=minutes,
    )
    await open_view(click.client, str(click.body.get("trigger_id") or ""), view, click.where.lang)


async def handle_action_done(click: Click) -> None:
    item_id, _ = click.value()
    actor = click.actor
    async with click.svc.sessions.begin() as session:
        item = await load_by_id(
            session, ActionItem, actor, item_id, action=Action.READ, example=actions_domain.DONE_EXAMPLE
        )
        actions_domain.ensure_may_complete(actor, item)
        changed = await actions_domain.complete(session, actor, item, now=click.svc.clock())
        ref, minutes_id = ref_of(item), item.minutes_id
    if changed and minutes_id is not None:
        await refresh_sent_minutes(
            click.svc, click.client, minutes_id, home_team_id=click.where.viewer.home_team_id
        )
    await click.say(build_action_done(ref, click.where.lang, already=not changed))
    if changed:
        await tell_team_of_client_done(click.svc, click.client, actor.viewer, item, click.project)


async def handle_undo_delete(click: Click) -> None:
    minutes_id, _ = click.value()
    try:
        async with click.svc.sessions.begin() as session:
            minutes = await domain.undo_delete(session, click.actor, minutes_id, now=click.svc.clock())
    except UsageError as err:  # too late, or already restored: the Undo button goes away either way
        await click.say(build_usage_error(err, click.where.lang), replace=True)
        return
    await click.say(build_minutes_restored(minutes, click.where.lang), replace=True)


async def handle_open_modal(click: Click) -> None:
    project = click.project
    require(click.actor, Action.CREATE, domain.QUICK_EXAMPLE)
    assert project.id is not None
    view = new_minutes_view(
        click.where.lang,
        channel_id=click.channel_id,
        project_id=project.id,
        tz=project.tz,
        now=click.svc.clock(),
        share=click.where.place.client_facing,
    )
    await open_view(click.client, str(click.body.get("trigger_id") or ""), view, click.where.lang)


async def handle_edit(click: Click) -> None:
    """Edit M-n on the team's "changes requested" note: the minutes form, for the team only."""
    minutes_id, _ = click.value()
    if click.where.viewer.speaks_for_client:
        raise UsageError("minutes.edit_team_only")
    project = click.project
    actor = click.actor
    async with click.svc.sessions.begin() as session:
        minutes = await load_by_id(
            session, Minutes, actor, minutes_id, action=Action.UPDATE, example=domain.EDIT_EXAMPLE
        )
    view = await edit_minutes_view(
        click.svc,
        click.client,
        actor,
        project,
        ref=ref_of(minutes),
        channel_id=click.channel_id,
        lang=click.where.lang,
    )
    await open_view(click.client, str(click.body.get("trigger_id") or ""), view, click.where.lang)


def register(app: AsyncApp) -> None:
    app.action(ids.MINUTES_EDIT)(click_listener(handle_edit))
    app.action(ids.MINUTES_CONFIRM)(click_listener(handle_confirm))
    app.action(ids.MINUTES_REQUEST_CHANGES)(click_listener(handle_request_changes))
    app.action(ids.ACTION_DONE)(click_listener(handle_action_done))
    app.action(ids.MINUTES_UNDO_DELETE)(click_listener(handle_undo_delete))
    app.action(ids.MINUTES_OPEN_MODAL)(click_listener(handle_open_modal))
