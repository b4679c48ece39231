"""Slash commands: one listener per command in the registry."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.commands import REGISTRY
from handlers.commands.action import handle_action
from handlers.commands.change import handle_change
from handlers.commands.checkin import handle_checkin
from handlers.commands.decision import handle_decision
from handlers.commands.digest import handle_digest
from handlers.commands.liaison import handle_liaison
from handlers.commands.milestone import handle_milestone
from handlers.commands.minutes import handle_minutes
from handlers.commands.project import handle_project
from handlers.commands.requirement import handle_requirement
from handlers.commands.risk import handle_risk
from handlers.commands.runner import CommandBody, command_listener
from handlers.commands.sync import handle_sync

BODIES: dict[str, CommandBody] = {
    "/liaison": handle_liaison,
    "/project": handle_project,
    "/minutes": handle_minutes,
    "/action": handle_action,
    "/decision": handle_decision,
    "/risk": handle_risk,
    "/milestone": handle_milestone,
    "/sync": handle_sync,
    "/checkin": handle_checkin,
    "/digest": handle_digest,
    "/requirement": handle_requirement,
    "/change": handle_change,
}


def register(app: AsyncApp) -> None:
    for command, spec in REGISTRY.items():
        app.command(command)(command_listener(spec, BODIES[command]))
