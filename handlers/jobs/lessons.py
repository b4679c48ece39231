"""The lessons-learned form, sent by DM to each team member when a project's closing starts."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Once, post_once
from bot.domain import closing
from bot.services import Services
from handlers.builders.lessons import build_form_dm
from handlers.jobs.checkin import SLACK_ERRORS, person
from handlers.jobs.slack_errors import delivery_error
from storage.models import Project

log = logging.getLogger(__name__)


async def send_lesson_forms(svc: Services, client: AsyncWebClient, project: Project) -> int:
    """DM the form to each of the project's own people (`closing.ask_team_for_lessons`), each in their
    language (users.info locale; the project's when unknown). Returns how many got it.

    Bots and deactivated users are skipped; a DM that fails is logged and skipped (the others still go).
    Every call sends again: the caller sends once per closing.
    """
    assert project.id is not None
    async with svc.sessions() as session:
        user_ids = await closing.ask_team_for_lessons(session, project, now=svc.clock())
    sent = 0
    for user_id in user_ids:
        who = await person(svc.users, client, user_id, default_tz=project.tz, default_lang=project.lang)
        if not who.active:
            continue
        text, blocks = build_form_dm(project=project.name, project_id=project.id, lang=who.lang)
        try:
            dm = (await client.conversations_open(users=user_id))["channel"]["id"]
            once = Once(f"lessons-form:{project.id}:{user_id}")  # a lost answer is looked up, not re-sent
            await post_once(client, once, channel=dm, text=text, blocks=blocks, unfurl_links=False)
        except SLACK_ERRORS as exc:
            log.warning("lessons form to %s failed: %s", user_id, delivery_error(exc).reason)
            continue
        sent += 1
    return sent
