"""The Details button on `/risk list` rows: the risk with its history, for the person who clicked.

The click is checked like a command: who clicked (their own organisation), in which channel, and the
policy; a risk that person may not see there is answered exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import risks as domain
from bot.domain.records import Actor
from bot.errors import UsageError
from bot.policy import shows_internal_fields
from bot.services import Services
from handlers import ids
from handlers.builders.common import Reply, build_usage_error
from handlers.builders.risks import build_risk_detail
from handlers.context import resolve_where


def clicked_channel(body: dict[str, Any]) -> str:
    return str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")


async def handle_risk_show(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    context: Any,
    client: AsyncWebClient,
    respond: AsyncRespond,
    svc: Services,
) -> None:
    await ack()
    svc.tasks.track_current()
    user = body.get("user") or {}
    where = await resolve_where(
        svc,
        client,
        context=context,
        user_id=str(user.get("id") or ""),
        user_team_id=user.get("team_id"),
        channel_id=clicked_channel(body),
    )
    reply: Reply
    try:
        project = where.project
        if project is None or project.id is None:
            raise UsageError("grammar.no_project", "cmd.project.setup.example")
        actor = Actor(
            viewer=where.viewer, place=where.place, project_id=project.id, workspace_id=where.workspace_id
        )
        async with svc.sessions.begin() as session:
            detail = await domain.risk_detail(session, actor, str(action.get("value") or ""))
        reply = build_risk_detail(
            detail, where.lang, tz=project.tz, team_view=shows_internal_fields(where.viewer, where.place)
        )
    except UsageError as err:
        reply = build_usage_error(err, where.lang)
    kwargs = reply.as_kwargs()
    kwargs["response_type"] = "ephemeral"
    await respond(**kwargs, replace_original=False)


def register(app: AsyncApp) -> None:
    app.action(ids.RISK_SHOW)(handle_risk_show)
