"""The Undo button under a deleted decision."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain import decisions as domain
from bot.errors import UsageError
from bot.policy import shows_internal_fields
from handlers import ids
from handlers.actions.runner import Click, click_listener
from handlers.builders.common import build_usage_error
from handlers.builders.decisions import build_decision_restored


async def handle_undo_delete(click: Click) -> None:
    decision_id, _ = click.value()
    try:
        async with click.svc.sessions.begin() as session:
            decision = await domain.undo_delete(session, click.actor, decision_id, now=click.svc.clock())
    except UsageError as err:  # too late, or already restored: the Undo button goes away either way
        await click.say(build_usage_error(err, click.where.lang), replace=True)
        return
    team_view = shows_internal_fields(click.where.viewer, click.where.place)
    await click.say(build_decision_restored(decision, click.where.lang, team_view=team_view), replace=True)


def register(app: AsyncApp) -> None:
    app.action(ids.DECISION_UNDO_DELETE)(click_listener(handle_undo_delete))
