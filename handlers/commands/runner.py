"""The shape every slash command shares: ack at once, resolve who/where, parse, act, reply once.

Each subcommand's body is declared next to its code with `@subcommand(SPEC, "name")`; the one listener
dispatches the parsed subcommand to it, and `check_bodies` refuses to start unless every subcommand of every
registered command has exactly one body. User mistakes (UsageError) become an ephemeral answer in the
user's language with an example; anything else propagates to the app's one error handler.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics
from bot.domain.closing import allowed_when_archived, refuse_if_archived
from bot.domain.projects import lang_of
from bot.domain.records import Actor
from bot.domain.refs import leading_ref
from bot.errors import Refusal, UsageError
from bot.grammar import CommandSpec, ParsedCommand, parse_command
from bot.logging import bind, current_context, new_request_id
from bot.policy import shows_internal_fields
from bot.services import Services
from handlers.builders.common import Reply, build_usage_error
from handlers.context import Where, actor_for, resolve_where
from storage.models import Project

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommandCall:
    svc: Services
    client: AsyncWebClient
    where: Where
    parsed: ParsedCommand
    payload: dict[str, Any]

    @property
    def lang(self) -> str:
        return self.where.lang

    @property
    def team_view(self) -> bool:
        """Internal fields (audit actors, internal channels) are shown: the team asking in its own place."""
        return shows_internal_fields(self.where.viewer, self.where.place)

    @property
    def request_key(self) -> str:
        """Identifies this invocation, so a retried request is not acted on twice."""
        return f"cmd:{self.payload.get('trigger_id') or self.payload.get('response_url', '')}"


CommandBody = Callable[[CommandCall], Awaitable[Reply | None]]
Body = TypeVar("Body", bound=CommandBody)

_BODIES: dict[tuple[str, str], CommandBody] = {}


def subcommand(spec: CommandSpec, *names: str) -> Callable[[Body], Body]:
    """Declare the body of `spec`'s subcommand(s) `names` (canonical names, as in bot/commands.py)."""
    if not names:
        raise ValueError(f"@subcommand({spec.command}) names no subcommand")
    for name in names:
        found = spec.find(name)
        if found is None or found.name != name:
            raise ValueError(f"{spec.command} has no subcommand named {name!r}")

    def declare(body: Body) -> Body:
        for name in names:
            if (spec.command, name) in _BODIES:
                taken = _BODIES[(spec.command, name)].__qualname__
                raise ValueError(f"{spec.command} {name} has two bodies: {taken} and {body.__qualname__}")
        _BODIES.update({(spec.command, name): body for name in names})
        return body

    return declare


def body_for(command: str, name: str) -> CommandBody:
    return _BODIES[(command, name)]


def check_bodies(registry: Mapping[str, CommandSpec]) -> None:
    """Every subcommand of every registered command has a body, and every body a subcommand: else refuse to start."""
    wanted = {(command, sub.name) for command, spec in registry.items() for sub in spec.subcommands}
    missing = sorted(wanted - _BODIES.keys())
    stray = sorted(_BODIES.keys() - wanted)
    if missing or stray:
        raise RuntimeError(
            "command bodies do not match the registry:"
            + "".join(f"\n  no body for {c} {n} (declare one with @subcommand)" for c, n in missing)
            + "".join(f"\n  a body for {c} {n}, which the registry does not have" for c, n in stray)
        )


def command_listener(spec: CommandSpec) -> Callable[..., Awaitable[None]]:
    async def handle_command(
        ack: AsyncAck,
        command: dict[str, Any],
        context: Any,
        client: AsyncWebClient,
        respond: AsyncRespond,
        svc: Services,
    ) -> None:
        await ack()
        svc.tasks.track_current()
        started = time.perf_counter()
        # This listener runs in a task of its own: fields bound here stay on its lines (and the error handler's).
        bind(command=spec.command, request_id=current_context().get("request_id") or new_request_id())
        subcommand, outcome = "", metrics.ERROR
        text = command.get("text") or ""
        lang = lang_of(None, text)
        where: Where | None = None
        try:
            where = await resolve_where(
                svc,
                client,
                context=context,
                user_id=command["user_id"],
                user_team_id=command.get("user_team_id") or command.get("team_id"),
                channel_id=command["channel_id"],
                text=text,
            )
            lang = where.lang
            bind(project=where.project.id if where.project else None)
            parsed = parse_command(spec, text)
            subcommand = parsed.sub.name
            bind(command=f"{spec.command} {subcommand}", record=leading_ref(parsed.text))
            if not allowed_when_archived(spec.command, subcommand):  # archived: records are read-only
                refuse_if_archived(where.project, where.viewer)
            reply = await body_for(spec.command, parsed.sub.name)(
                CommandCall(svc=svc, client=client, where=where, parsed=parsed, payload=command)
            )
            outcome = metrics.OK
        except UsageError as err:
            outcome = metrics.REFUSED if isinstance(err, Refusal) else metrics.USER_ERROR
            reply = build_usage_error(err, lang)
        finally:  # never the command's text: it may be a client record's
            metrics.command_done(spec.command, subcommand, outcome)
            log.info("%s %s: %s in %.0f ms", spec.command, subcommand or "-", outcome, _ms(started))
        if reply is None:
            return
        if where is None or where.place.client_facing:
            reply.response_type = "ephemeral"  # records shown in a shared place are for the asker only
        await respond(**reply.as_kwargs())

    return handle_command


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def require_project(call: CommandCall) -> Project:
    project = call.where.project
    if project is None:
        raise UsageError("grammar.no_project", "cmd.project.setup.example")
    return project


def actor_of(call: CommandCall) -> Actor:
    """The policy's view of this call; commands about records need the channel's project."""
    return actor_for(call.where, missing="grammar.no_project")
