"""Posting the client channel's panel: a short welcome with Raise an issue, Ask a question and What's waiting
for me (handled in handlers/actions/issues.py)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import normalise_lang
from handlers.builders.issues import build_panel
from storage.models import Project

log = logging.getLogger(__name__)


async def post_panel(client: AsyncWebClient, project: Project, channel_id: str) -> bool:
    """True when Slack took it; a refusal is logged (binding the channel still counts)."""
    text, blocks = build_panel(project, normalise_lang(project.lang))
    try:
        await client.chat_postMessage(
            channel=channel_id, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
        )
    except SlackApiError as exc:
        log.warning("could not post the panel in %s (%s)", channel_id, exc.response.get("error"))
        return False
    return True
