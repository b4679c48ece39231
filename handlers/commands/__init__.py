"""Slash commands: one listener per command in the registry, dispatching to the bodies its modules declare.

Every module in this package is imported, so a new `handlers/commands/<command>.py` whose bodies carry
`@subcommand(SPEC, "name")` needs no other line; `register` refuses to start if any subcommand of
`bot.commands.REGISTRY` has no body.
"""

from __future__ import annotations

import importlib
import pkgutil

from slack_bolt.async_app import AsyncApp

from bot.commands import REGISTRY
from handlers.commands.runner import check_bodies, command_listener


def load_bodies() -> None:
    """Import every command module, so each declares its subcommand bodies."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def register(app: AsyncApp) -> None:
    load_bodies()
    check_bodies(REGISTRY)
    for command, spec in REGISTRY.items():
        app.command(command)(command_listener(spec))
