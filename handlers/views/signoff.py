"""The sign-off modal: the client's remarks (Approve with remarks) or reason (Reject)."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.errors import UsageError
from bot.i18n import Lang, t
from bot.mrkdwn import truncate
from handlers import ids
from handlers.actions.signoff import settle
from handlers.builders.signoff import build_thanks
from handlers.views.runner import AfterAck, Submission, view_listener

log = logging.getLogger(__name__)


def field_errors(err: UsageError, lang: Lang) -> dict[str, str]:
    return {ids.SIGNOFF_TEXT: truncate(t(err.key, lang, **err.params), 2000)}


async def submit_signoff(sub: Submission) -> AfterAck:
    where, meta = sub.where, sub.meta
    remarks = str(((sub.values.get(ids.SIGNOFF_TEXT) or {}).get(ids.SIGNOFF_TEXT) or {}).get("value") or "")
    done = await settle(
        sub.svc,
        sub.client,
        where,
        signoff_id=int(meta.get("s") or 0),
        shown=str(meta.get("h") or ""),
        outcome=str(meta.get("o") or ""),
        remarks=remarks,
    )

    async def thank() -> None:
        thanks = build_thanks(done.decided.row, done.ref, where.lang, created=done.decided.created)
        try:
            await sub.client.chat_postEphemeral(
                channel=where.place.channel_id,
                user=where.viewer.user_id,
                text=thanks.text,
                blocks=thanks.blocks,
            )
        except SlackApiError as exc:
            log.info("could not thank %s (%s)", where.viewer.user_id, exc)

    return thank


def register(app: AsyncApp) -> None:
    app.view(ids.SIGNOFF_MODAL)(view_listener(submit_signoff, errors=field_errors))
