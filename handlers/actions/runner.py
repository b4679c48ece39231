"""The shape every button click shares: ack at once, resolve who clicked (their own organisation) and where,
run the body, and answer a UsageError privately in the clicker's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.closing import refuse_if_archived
from bot.domain.records import Actor
from bot.errors import UsageError
from bot.services import Services
from handlers import ids
from handlers.builders.common import Reply, build_usage_error
from handlers.context import Where, actor_for, client_word_actor, resolve_where
from handlers.errors import report
from storage.models import Project


@dataclass(frozen=True)
class Click:
    svc: Services
    client: AsyncWebClient
    where: Where
    body: dict[str, Any]
    action: dict[str, Any]
    respond: AsyncRespond

    @property
    def project(self) -> Project:
        project = self.where.project
        if project is None or project.id is None:
            raise UsageError("refs.gone")
        return project

    @property
    def actor(self) -> Actor:
        return actor_for(self.where)

    async def client_actor(self) -> Actor:
        """The clicker, when the click is the client's word (refused privately for anyone else)."""
        return await client_word_actor(self.svc, self.client, self.where)

    @property
    def channel_id(self) -> str:
        return self.where.place.channel_id

    @property
    def message_ts(self) -> str | None:
        container = self.body.get("container") or {}
        ts = container.get("message_ts") or (self.body.get("message") or {}).get("ts")
        return str(ts) if ts else None

    @property
    def ephemeral(self) -> bool:
        return bool((self.body.get("container") or {}).get("is_ephemeral"))

    def value(self) -> tuple[int, str]:
        """Our button values are `<record id>` or `<record id>:<content hash>`."""
        head, _, tail = str(self.action.get("value") or "").partition(":")
        if not head.isdigit():
            raise UsageError("refs.gone")
        return int(head), tail

    async def say(self, reply: Reply, *, replace: bool = False) -> None:
        await self.respond(**reply.as_kwargs(), replace_original=replace)


ClickBody = Callable[[Click], Awaitable[None]]

# Buttons that only show something: they work on an archived project; every other button writes and is refused.
READ_ONLY_CLICKS = frozenset({ids.RISK_SHOW, ids.ISSUE_SHOW, ids.PANEL_WAITING})


def click_listener(body_fn: ClickBody) -> Callable[..., Awaitable[None]]:
    async def handle_click(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: Any,
        respond: AsyncRespond,
        svc: Services,
    ) -> None:
        await ack()
        svc.tasks.track_current()
        lang = "en"
        try:
            user = body.get("user") or {}
            channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
                "channel_id"
            )
            if not channel_id or not user.get("id"):
                raise UsageError("refs.gone")
            where = await resolve_where(
                svc,
                client,
                context=context,
                user_id=str(user["id"]),
                user_team_id=user.get("team_id"),
                channel_id=str(channel_id),
            )
            lang = where.lang
            if action.get("action_id") not in READ_ONLY_CLICKS:
                refuse_if_archived(where.project, where.viewer)
            await body_fn(
                Click(svc=svc, client=client, where=where, body=body, action=action, respond=respond)
            )
        except UsageError as err:
            await respond(**build_usage_error(err, lang).as_kwargs(), replace_original=False)
        except Exception as error:  # after the ack, never Bolt's to handle (handlers/errors.py says why)
            await report(error, respond, lang)

    return handle_click
