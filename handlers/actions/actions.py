"""The client's buttons on their action item in the client channel: **Mark done** and **Need more time**.

Only the owner's click counts (the Slack user who owns it, or, for a client person named in words, a user of
the client's organisation as Slack's directory has it); anyone else is told privately and nothing changes.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import actions as domain
from bot.domain.minutes import owner_text
from bot.domain.records import Actor, ref_of
from bot.errors import UsageError
from bot.i18n import normalise_lang, t
from bot.mrkdwn import bold
from bot.services import Services
from handlers import ids
from handlers.actions.runner import Click, click_listener
from handlers.builders.actions import (
    build_client_action_state,
    build_more_time_modal,
    done_state,
)
from handlers.builders.common import Reply, section
from handlers.commands.action import refresh_sent_minutes, tell_team_of_client_done
from handlers.context import Where, actor_for, client_word_actor
from handlers.metadata import encode
from storage.models import ActionItem

log = logging.getLogger(__name__)


async def load_item(svc: Services, where: Where, item_id: int) -> ActionItem:
    async with svc.sessions() as session:
        return await domain.load_for_owner(session, actor_for(where), item_id)


async def acting_owner(
    svc: Services, client: AsyncWebClient, where: Where, item: ActionItem, *, verb: str
) -> Actor:
    """The owner acting on `item` (`verb`: "done" or "more_time"); anyone else gets "only the owner can…"."""
    actor = actor_for(where)
    if item.owner_user_id is None and item.owner_name:
        # A client person named in words: any user of the client's organisation, checked with Slack; a team
        # member is refused just below, in the owner's words.
        with suppress(UsageError):
            actor = await client_word_actor(svc, client, where)
    domain.ensure_owner(actor, item, verb=verb, owner=owner_text(item, where.lang))
    return actor


async def refused(click: Click, err: UsageError) -> bool:
    """Say "only the owner can…" privately, with the owner's mention as written (True when it was that)."""
    if not err.key.startswith("action.only_owner."):
        return False
    # The owner is already mrkdwn (a mention, or a name escaped): not escaped again as a usage error would be.
    text = t(err.key, click.where.lang, **err.params)
    await click.say(Reply(text=text, blocks=[section(f":warning: {text}")]))
    return True


async def handle_owner_done(click: Click) -> None:
    item_id, _ = click.value()
    project = click.project
    item = await load_item(click.svc, click.where, item_id)
    try:
        actor = await acting_owner(click.svc, click.client, click.where, item, verb="done")
    except UsageError as err:
        if await refused(click, err):
            return
        raise
    now = click.svc.clock()
    async with click.svc.sessions.begin() as session:
        item = await domain.load_for_owner(session, actor, item_id)
        domain.ensure_owner(actor, item, verb="done", owner=owner_text(item, click.where.lang))
        await domain.complete(session, actor, item, now=now)
    lang = normalise_lang(project.lang)
    text, blocks = build_client_action_state(item, lang, done_state(actor.viewer.user_id, now, lang))
    await click.say(Reply(text=text, blocks=blocks), replace=True)
    thanks = t("action.done_thanks", click.where.lang, ref=bold(ref_of(item)))
    await click.say(Reply(text=thanks, blocks=[section(thanks)]))
    await tell_team_of_client_done(click.svc, click.client, actor.viewer, item, project)
    if item.minutes_id is not None:
        await refresh_sent_minutes(
            click.svc, click.client, item.minutes_id, home_team_id=click.where.viewer.home_team_id
        )


async def handle_more_time(click: Click) -> None:
    item_id, _ = click.value()
    item = await load_item(click.svc, click.where, item_id)
    try:
        await acting_owner(click.svc, click.client, click.where, item, verb="more_time")
    except UsageError as err:
        if await refused(click, err):
            return
        raise
    lang = click.where.lang
    view = build_more_time_modal(
        item,
        lang,
        private_metadata=encode(i=item_id, c=click.channel_id, ts=click.message_ts or "", lang=lang),
        initial=item.due_on,
    )
    try:
        await click.client.views_open(trigger_id=str(click.body.get("trigger_id") or ""), view=view)
    except SlackApiError as exc:
        log.warning("could not open the more-time form (%s)", exc.response.get("error"))


def register(app: AsyncApp) -> None:
    app.action(ids.ACTION_OWNER_DONE)(click_listener(handle_owner_done))
    app.action(ids.ACTION_MORE_TIME)(click_listener(handle_more_time))
