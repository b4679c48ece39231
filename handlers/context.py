"""What every listener needs to know about who is asking, where, and in which project."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import channels
from bot.domain.records import Actor
from bot.errors import UsageError
from bot.i18n import Lang
from bot.policy import Place, Viewer
from bot.services import Services
from storage.models import Project


@dataclass(frozen=True)
class Where:
    """The request's viewer and place, the channel's project if any, and the reply language."""

    viewer: Viewer
    place: Place
    workspace_id: int
    binding: channels.ChannelBinding | None
    lang: Lang

    @property
    def project(self) -> Project | None:
        return self.binding.project if self.binding else None


def actor_for(where: Where, *, missing: str = "refs.gone") -> Actor:
    """The policy's view of someone acting on this channel's project (the channel decides the project)."""
    project = where.project
    if project is None or project.id is None:
        raise UsageError(missing, "cmd.project.setup.example")
    return Actor(
        viewer=where.viewer, place=where.place, project_id=project.id, workspace_id=where.workspace_id
    )


async def client_word_actor(svc: Services, client: AsyncWebClient, where: Where) -> Actor:
    """The actor for a client act (confirm, approve, accept): their organisation as Slack's directory has it.

    A payload naming the installing workspace is a team member and needs no look-up. Any other team, or
    none, is checked with users.info; a person Slack can't place never speaks for the client (fail closed).
    """
    viewer = where.viewer
    if viewer.team_id != viewer.home_team_id:
        viewer = replace(viewer, team_id=await svc.users.team_of(client, viewer.user_id))
    actor = actor_for(where)
    if not viewer.speaks_for_client:
        raise UsageError("policy.client_only")
    return replace(actor, viewer=viewer)


def home_team_id(context: Any) -> str:
    """The installing workspace, from the bot token's auth.test (cached by Bolt)."""
    result = context.get("authorize_result")
    team = getattr(result, "team_id", None) or context.get("team_id")
    if not team:
        raise RuntimeError("no installing team id in context")
    return str(team)


async def resolve_where(
    svc: Services,
    client: AsyncWebClient,
    *,
    context: Any,
    user_id: str,
    user_team_id: str | None,
    channel_id: str,
    text: str = "",
) -> Where:
    from bot.domain.projects import lang_of

    home = home_team_id(context)
    viewer = Viewer(user_id=user_id, team_id=user_team_id, home_team_id=home)
    workspace_id = svc.workspace_ids.get(home)
    if workspace_id is None:  # once per process: the installing workspace's row never changes
        async with svc.sessions.begin() as session:
            workspace_id = svc.workspace_ids[home] = await channels.workspace_id_of(session, team_id=home)
    # Cached for a burst (BindingCache says why that is safe): no transaction on most commands.
    binding = await svc.bindings.find(svc.sessions, workspace_id=workspace_id, channel_id=channel_id)
    facts = await svc.channels.facts(client, channel_id)
    place = Place(
        channel_id=channel_id,
        shared=facts.shared,
        client_channel=binding is not None and binding.channel.role == channels.CLIENT,
    )
    return Where(
        viewer=viewer,
        place=place,
        workspace_id=workspace_id,
        binding=binding,
        lang=lang_of(binding.project if binding else None, text),
    )
