"""Every subcommand in the registry has exactly one body, declared next to its code; else the app won't start."""

from __future__ import annotations

import pytest

from bot.commands import REGISTRY, RISK
from bot.grammar import CommandSpec, Subcommand
from handlers.commands import load_bodies
from handlers.commands.runner import CommandCall, body_for, check_bodies, subcommand


async def _body(call: CommandCall) -> None:
    return None


def test_every_subcommand_of_the_registry_has_a_body() -> None:
    load_bodies()
    check_bodies(REGISTRY)
    for command, spec in REGISTRY.items():
        for sub in spec.subcommands:
            assert callable(body_for(command, sub.name))


def test_a_subcommand_without_a_body_stops_the_start() -> None:
    load_bodies()
    extra = CommandSpec(
        command="/nobody",
        summary="cmd.nobody",
        example="cmd.nobody.example",
        subcommands=(Subcommand("add", "cmd.nobody.add", "cmd.nobody.add.example"),),
    )
    with pytest.raises(RuntimeError, match="no body for /nobody add"):
        check_bodies({**REGISTRY, extra.command: extra})


def test_a_body_for_a_command_the_registry_lacks_stops_the_start() -> None:
    load_bodies()
    without_risk = {command: spec for command, spec in REGISTRY.items() if command != "/risk"}
    with pytest.raises(RuntimeError, match="a body for /risk add"):
        check_bodies(without_risk)


def test_a_second_body_for_a_subcommand_is_refused() -> None:
    load_bodies()
    with pytest.raises(ValueError, match="/risk add has two bodies"):
        subcommand(RISK, "add")(_body)
    check_bodies(REGISTRY)  # the refused declaration left the registry as it was


def test_an_unknown_or_alias_name_is_refused() -> None:
    with pytest.raises(ValueError, match="no subcommand named 'frobnicate'"):
        subcommand(RISK, "frobnicate")
    with pytest.raises(ValueError, match="no subcommand named '添加'"):
        subcommand(RISK, "添加")  # bodies are declared by the canonical name; aliases follow from the spec
