"""The sign-off modal: the client's remarks (Approve with remarks) or reason (Reject)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UsageError
from bot.i18n import t
from bot.mrkdwn import truncate
from bot.services import Services
from handlers import ids
from handlers.actions.signoff import settle
from handlers.builders.signoff import build_thanks
from handlers.context import resolve_where
from handlers.metadata import decode

log = logging.getLogger(__name__)


async def handle_signoff_submission(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: Any,
    svc: Services,
) -> None:
    svc.tasks.track_current()
    meta = decode(view)
    user = body.get("user") or {}
    where = await resolve_where(
        svc,
        client,
        context=context,
        user_id=str(user.get("id") or ""),
        user_team_id=user.get("team_id"),
        channel_id=str(meta.get("c") or ""),
    )
    values = (view.get("state") or {}).get("values") or {}
    remarks = str(((values.get(ids.SIGNOFF_TEXT) or {}).get(ids.SIGNOFF_TEXT) or {}).get("value") or "")
    try:
        done = await settle(
            svc,
            client,
            where,
            signoff_id=int(meta.get("s") or 0),
            shown=str(meta.get("h") or ""),
            outcome=str(meta.get("o") or ""),
            remarks=remarks,
        )
    except UsageError as err:
        message = t(err.key, where.lang, **err.params)
        await ack(response_action="errors", errors={ids.SIGNOFF_TEXT: truncate(message, 2000)})
        return
    await ack()
    thanks = build_thanks(done.decided.row, done.ref, where.lang, created=done.decided.created)
    try:
        await client.chat_postEphemeral(
            channel=where.place.channel_id, user=where.viewer.user_id, text=thanks.text, blocks=thanks.blocks
        )
    except SlackApiError as exc:
        log.info("could not thank %s (%s)", where.viewer.user_id, exc)


def register(app: AsyncApp) -> None:
    app.view(ids.SIGNOFF_MODAL)(handle_signoff_submission)
