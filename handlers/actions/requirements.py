"""The Undo button under a deleted requirement."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain import requirements as domain
from bot.errors import UsageError
from bot.policy import shows_internal_fields
from handlers import ids
from handlers.actions.runner import Click, click_listener
from handlers.builders.common import build_usage_error
from handlers.builders.requirements import build_requirement_restored


async def handle_undo_delete(click: Click) -> None:
    requirement_id, _ = click.value()
    lang = click.where.lang
    try:
        async with click.svc.sessions.begin() as session:
            requirement = await domain.undo_delete(
                session, click.actor, requirement_id, lang=lang, now=click.svc.clock()
            )
    except UsageError as err:  # too late, or already restored: the Undo button goes away either way
        await click.say(build_usage_error(err, lang), replace=True)
        return
    team_view = shows_internal_fields(click.where.viewer, click.where.place)
    await click.say(build_requirement_restored(requirement, lang, team_view=team_view), replace=True)


def register(app: AsyncApp) -> None:
    app.action(ids.REQUIREMENT_UNDO_DELETE)(click_listener(handle_undo_delete))
