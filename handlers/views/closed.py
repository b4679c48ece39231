"""`view_closed`: Slack tells the app a form was closed without submitting, for forms that ask
(`notify_on_close: true`). Only the forms whose answer someone waits on ask: a person's check-in, and the
client's sign-off with remarks or a reason. Closing one changes nothing (the prompt or the sign-off buttons
stay, and the nudge still comes); the listener acknowledges it so no request goes unanswered."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from handlers import ids

log = logging.getLogger(__name__)

NOTIFY_ON_CLOSE = (ids.CHECKIN_MODAL, ids.SIGNOFF_MODAL)  # the forms that set notify_on_close


async def handle_view_closed(ack: AsyncAck, body: dict[str, Any]) -> None:
    await ack()
    view = body.get("view") or {}
    log.debug(
        "form %s closed by %s without submitting (cleared: %s)",
        view.get("callback_id"),
        (body.get("user") or {}).get("id"),
        bool(body.get("is_cleared")),
    )


def register(app: AsyncApp) -> None:
    for callback_id in NOTIFY_ON_CLOSE:
        app.view_closed(callback_id)(handle_view_closed)
