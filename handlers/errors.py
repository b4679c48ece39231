"""The one error path: log the traceback, tell the user something short and true.

An error before the ack reaches Bolt's error handler (`handle_error`). An error after it is reported by the
listener itself (`report`): Bolt's runner, on an error, resets the ack it saw (`ack.response = None`), and
it looks for the ack only every 10 ms, so an error within those 10 ms turned an acked request into a 404
"unhandled request" three seconds later (slack_bolt/listener/asyncio_runner.py).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.domain.projects import lang_of
from handlers.builders.common import build_generic_error

log = logging.getLogger("liaison.errors")


async def report(error: BaseException, respond: AsyncRespond | None, lang: str) -> None:
    log.error("unhandled error in listener", exc_info=error)
    if respond is None or respond.response_url is None:
        return
    try:
        # replace_original=False: a click's answer must never wipe the message the button sat on
        await respond(**build_generic_error(lang).as_kwargs(), replace_original=False)
    except Exception:  # the error report must never raise in turn
        log.exception("could not tell the user about an error")


async def handle_error(error: Exception, body: dict[str, Any], respond: AsyncRespond | None) -> None:
    await report(error, respond, lang_of(None, str((body or {}).get("text") or "")))


def register(app: AsyncApp) -> None:
    app.error(handle_error)
