"""The Details button on `/risk list` rows: the risk with its history, for the person who clicked.

The click is checked like a command: who clicked (their own organisation), in which channel, and the
policy; a risk that person may not see there is answered exactly like a missing one.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain import risks as domain
from bot.policy import shows_internal_fields
from handlers import ids
from handlers.actions.runner import Click, click_listener
from handlers.builders.risks import build_risk_detail


async def handle_risk_show(click: Click) -> None:
    project = click.project
    async with click.svc.sessions.begin() as session:
        detail = await domain.risk_detail(session, click.actor, str(click.action.get("value") or ""))
    team_view = shows_internal_fields(click.where.viewer, click.where.place)
    await click.say(build_risk_detail(detail, click.where.lang, tz=project.tz, team_view=team_view))


def register(app: AsyncApp) -> None:
    app.action(ids.RISK_SHOW)(click_listener(handle_risk_show))
