"""The one error path: log the traceback, tell the user something short and true."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.domain.projects import lang_of
from handlers.builders.common import build_generic_error

log = logging.getLogger("liaison.errors")


async def handle_error(error: Exception, body: dict[str, Any], respond: AsyncRespond | None) -> None:
    log.error("unhandled error in listener", exc_info=error)
    if respond is None or not (body or {}).get("response_url"):
        return
    lang = lang_of(None, str((body or {}).get("text") or ""))
    try:
        await respond(**build_generic_error(lang).as_kwargs())
    except Exception:  # the error report must never raise in turn
        log.exception("could not tell the user about an error")


def register(app: AsyncApp) -> None:
    app.error(handle_error)
