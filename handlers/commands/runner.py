"""The shape every slash command shares: ack at once, resolve who/where, parse, act, reply once.

Each subcommand's body is declared next to its code with `@subcommand(SPEC, "name")`; the one listener
dispatches the parsed subcommand to it, and `check_bodies` refuses to start unless every subcommand of every
registered command has exactly one body. User mistakes (UsageError) become an ephemeral answer in the
user's language with an example; anything else is reported by `handlers.errors.report`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import journal, metrics
from bot.domain.closing import allowed_when_archived, refuse_if_archived
from bot.domain.journal import DatabaseUnavailable, retry_once
from bot.domain.projects import lang_of
from bot.domain.records import Actor
from bot.domain.refs import leading_ref
from bot.errors import Refusal, UsageError
from bot.grammar import CommandSpec, ParsedCommand, parse_command
from bot.i18n import t
from bot.logging import bind, current_context, new_request_id
from bot.policy import shows_internal_fields
from bot.services import Services
from handlers.builders.common import Reply, build_usage_error, section
from handlers.context import Where, actor_for, resolve_where
from handlers.errors import report
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
T = TypeVar("T")

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


def command_listener(specs: Mapping[str, CommandSpec]) -> Callable[..., Awaitable[None]]:
    async def handle_command(
        ack: AsyncAck,
        command: dict[str, Any],
        context: Any,
        client: AsyncWebClient,
        respond: AsyncRespond,
        svc: Services,
    ) -> None:
        text = command.get("text") or ""
        lang = lang_of(None, text)
        # Acked means kept: the command is journaled before its 200 (one INSERT), carried out again after a
        # crash (bot/journal.py); a replayed one is journaled already and has nobody waiting for an ack.
        # The same command sent again (its trigger_id) is carried out too: its writes are claimed under the
        # same request key, so it answers as a repeat; the journal row stays the first one's to finish.
        # Bounded work (bot/workpool.py): past the bound the ack itself says "busy", and nothing is kept.
        # A copy of a command this process is carrying out already (Slack sent it again: its ack was lost, as
        # after a Socket Mode reconnect) is never refused as "busy": that would be false once the first copy
        # stores it. It is acked, skips the journal, and answers as a repeat.
        copy = not context.get(journal.REPLAY) and journal.holds(command)
        if not svc.work.admit(force=bool(context.get(journal.REPLAY)) or copy):
            await ack(**_busy(lang).as_kwargs())
            return
        owner = not copy
        if owner and not context.get(journal.REPLAY):
            try:
                owner = await journal.accept(svc, command)
            except DatabaseUnavailable:  # not kept, so not accepted: the user is told, in their language
                await ack(**_warning("error.database_unreachable", lang).as_kwargs())
                return
            except journal.Busy:  # the journal's write did not fit the ack's budget: not kept either
                await ack(**_busy(lang).as_kwargs())
                return
        await ack()
        svc.tasks.track_current()
        finished = False
        try:
            async with svc.work.turn():  # one of the pool's workers (waits while all are busy)
                await _run(specs[command["command"]], command, context, client, respond, svc)
            finished = True
        except Exception as error:  # answered: done as well (after the ack, never Bolt's: handlers/errors.py)
            finished = True
            await report(error, respond, lang)
        finally:
            if finished and owner:
                await journal.done(svc, command)

    return handle_command


async def _run(
    spec: CommandSpec,
    command: dict[str, Any],
    context: Any,
    client: AsyncWebClient,
    respond: AsyncRespond,
    svc: Services,
) -> None:
    started = time.perf_counter()
    # This listener runs in a task of its own: fields bound here stay on its lines (and the error handler's).
    bind(command=spec.command, request_id=current_context().get("request_id") or new_request_id())
    subcommand, outcome = "", metrics.ERROR
    text = command.get("text") or ""
    lang = lang_of(None, text)
    where: Where | None = None

    async def attempt() -> Reply | None:
        """Resolve, parse, act: retried once on a fresh connection if the database connection was lost
        (safe: the writes are claimed under the request key, so a repeat writes nothing twice)."""
        nonlocal where, lang, subcommand
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
        return await body_for(spec.command, parsed.sub.name)(
            CommandCall(svc=svc, client=client, where=where, parsed=parsed, payload=command)
        )

    async def tell_kept() -> None:
        try:
            await respond(**_warning("error.database_kept", lang).as_kwargs())
        except Exception as exc:  # a courtesy note: the command carries on without it
            log.warning("%s: could not say the command is kept (%s)", spec.command, type(exc).__name__)

    try:
        reply = await until_reachable(attempt, what=spec.command, tell_kept=tell_kept)
        outcome = metrics.OK
    except UsageError as err:
        outcome = metrics.REFUSED if isinstance(err, Refusal) else metrics.USER_ERROR
        reply = build_usage_error(err, lang)
    except DatabaseUnavailable:  # down for DATABASE_GIVE_UP_SECONDS: say so, in the user's words
        reply = _warning("error.database_unreachable", lang)
    finally:  # never the command's text: it may be a client record's
        metrics.command_done(spec.command, subcommand, outcome)
        log.info("%s %s: %s in %.0f ms", spec.command, subcommand or "-", outcome, _ms(started))
    if reply is None:
        return
    if where is None or where.place.client_facing:
        reply.response_type = "ephemeral"  # records shown in a shared place are for the asker only
    await respond(**reply.as_kwargs())


# An acked command is kept (journaled), so when the database goes away under its work (a restart, a
# fail-over) it waits for it rather than answering "try again": its journal row could not be deleted either,
# so a replay would carry it out after the user was told to retry, and their retry would be a duplicate.
# After DATABASE_QUIET_SECONDS the user is told it is kept; past DATABASE_GIVE_UP_SECONDS the answer could
# soon no longer reach Slack (a response_url takes answers for 30 minutes from the command).
DATABASE_QUIET_SECONDS = 3.0
DATABASE_PAUSE_SECONDS = (0.25, 2.0)  # the first pause between tries, and the longest
DATABASE_GIVE_UP_SECONDS = 28 * 60.0


async def until_reachable(
    work: Callable[[], Awaitable[T]], *, what: str, tell_kept: Callable[[], Awaitable[None]]
) -> T:
    """Run `work` (retried once on a fresh connection), again and again while the database is unreachable:
    safe, since its writes are claimed under the request key (a COMMIT that landed as its connection died
    answers as a repeat). Raises DatabaseUnavailable after DATABASE_GIVE_UP_SECONDS."""
    started = time.monotonic()
    pause, longest = DATABASE_PAUSE_SECONDS
    told = False
    while True:
        try:
            return await retry_once(work, what=what)
        except DatabaseUnavailable:
            waited = time.monotonic() - started
            if waited >= DATABASE_GIVE_UP_SECONDS:
                raise
            if not told and waited >= DATABASE_QUIET_SECONDS:
                told = True
                await tell_kept()
        await asyncio.sleep(pause)
        pause = min(pause * 2, longest)


def _busy(lang: str) -> Reply:
    message = t("error.busy", lang)
    return Reply(text=message, blocks=[section(f":hourglass: {message}")], response_type="ephemeral")


def _warning(key: str, lang: str) -> Reply:
    message = t(key, lang)
    return Reply(text=message, blocks=[section(f":warning: {message}")], response_type="ephemeral")


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
