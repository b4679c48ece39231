"""Slash commands: one listener for every command in the registry, dispatching to the bodies its modules declare.

Every module in this package is imported, so a new `handlers/commands/<command>.py` whose bodies carry
`@subcommand(SPEC, "name")` needs no other line; `register` refuses to start if any subcommand of
`bot.commands.REGISTRY` has no body.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

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
    # One listener, not one per command: Bolt tries listeners in turn and builds every matcher's arguments, so
    # 16 command listeners cost a command up to 16 matchers and every click or submission all 16.
    every_command = re.compile("^(?:" + "|".join(re.escape(command) for command in REGISTRY) + ")$")
    app.command(every_command)(command_listener(REGISTRY))
