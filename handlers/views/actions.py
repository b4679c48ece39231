"""The "Need more time" form: the owner's new due date and reason move the item (kept in the audit log), the
client channel shows the new date, and the team is told in its channel."""

from __future__ import annotations

import logging
from datetime import date

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.domain import actions as domain
from bot.domain.minutes import owner_text
from bot.domain.records import ref_of
from bot.errors import UsageError
from bot.i18n import Lang, normalise_lang, t
from bot.mrkdwn import bold, truncate
from handlers import ids
from handlers.actions.actions import acting_owner, load_item
from handlers.builders.actions import build_client_action_state, build_team_more_time, moved_state
from handlers.builders.common import Reply, section
from handlers.commands.action import post_for_client, refresh_sent_minutes, tell_team
from handlers.views.runner import AfterAck, Fields, Submission, confirm, view_listener

log = logging.getLogger(__name__)
DATE_ERRORS = ("action.more_time.no_date", "action.more_time.past_date")


def field_errors(err: UsageError, lang: Lang) -> dict[str, str]:
    block = ids.ACTION_NEW_DATE if err.key in DATE_ERRORS else ids.ACTION_REASON
    return {block: truncate(t(err.key, lang, **err.params), 300)}


def _picked(fields: Fields) -> date | None:
    raw = str(fields.element(ids.ACTION_NEW_DATE).get("selected_date") or "")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


async def submit_more_time(sub: Submission) -> AfterAck:
    where, svc = sub.where, sub.svc
    project = where.project
    item_id = sub.meta.get("i")
    if project is None or project.id is None or not isinstance(item_id, int):
        raise UsageError("refs.gone")
    lang = sub.lang
    fields = Fields(sub.values)
    item = await load_item(svc, where, item_id)
    actor = await acting_owner(svc, sub.client, where, item, verb="more_time")
    now = svc.clock()
    day, reason = domain.read_more_time(
        _picked(fields), fields.text(ids.ACTION_REASON), item, now=now, tz=project.tz, lang=lang
    )
    async with svc.sessions.begin() as session:
        item = await domain.load_for_owner(session, actor, item_id)
        domain.ensure_owner(actor, item, verb="more_time", owner=owner_text(item, lang))
        before = item.due_on, item.due_at
        await domain.move_due(
            session, actor, item, day=day, at=domain.moved_instant(item, day, project.tz), reason=reason
        )
    project_lang = normalise_lang(project.lang)
    old = domain.due_text(*before, project_lang) if before[0] else t("action.no_due", project_lang)

    async def after() -> None:
        channel_id, ts = str(sub.meta.get("c") or ""), str(sub.meta.get("ts") or "")
        if channel_id and ts:
            text, blocks = build_client_action_state(
                item, project_lang, moved_state(item, actor.viewer.user_id, project_lang)
            )
            try:
                await sub.client.chat_update(channel=channel_id, ts=ts, text=text, blocks=blocks)
            except SlackApiError as exc:
                log.info("could not update the item's message %s (%s)", ts, exc.response.get("error"))
        await post_for_client(
            svc, sub.client, item, project, where.viewer.home_team_id, intro_key="action.client.moved_intro"
        )
        assert project.id is not None
        await tell_team(
            svc,
            sub.client,
            project.id,
            build_team_more_time(
                item,
                project_lang,
                who=actor.viewer.user_id,
                client=project.client_name,
                old=old,
                reason=reason,
            ),
        )
        thanks = t("action.more_time.thanks", lang, ref=bold(ref_of(item)), date=domain.due_label(item, lang))
        await confirm(
            sub.client,
            channel_id=where.place.channel_id,
            user_id=where.viewer.user_id,
            reply=Reply(text=thanks, blocks=[section(thanks)]),
        )
        if item.minutes_id is not None:
            await refresh_sent_minutes(
                svc, sub.client, item.minutes_id, home_team_id=where.viewer.home_team_id
            )

    return after


def register(app: AsyncApp) -> None:
    app.view(ids.ACTION_MORE_TIME_MODAL)(view_listener(submit_more_time, errors=field_errors))
