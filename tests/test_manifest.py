"""deploy/manifest.yml and the app agree: every command registered is declared, and nothing else."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.commands import REGISTRY
from tests.harness.app import Liaison

MANIFEST = Path(__file__).resolve().parent.parent / "deploy" / "manifest.yml"


def _manifest() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def test_manifest_declares_exactly_the_commands_the_registry_defines() -> None:
    declared = [c["command"] for c in _manifest()["features"]["slash_commands"]]
    assert sorted(declared) == sorted(REGISTRY)


async def test_the_running_app_answers_every_declared_command_and_no_other(liaison: Liaison) -> None:
    for command in (c["command"] for c in _manifest()["features"]["slash_commands"]):
        response, _form = await liaison.send_command(command, "help" if command == "/liaison" else "")
        assert response.status_code == 200, command
    response, _form = await liaison.send_command("/not-ours", "")
    assert response.status_code == 404  # Bolt: no listener matched


def test_every_command_escapes_mentions_and_interactivity_is_on() -> None:
    manifest = _manifest()
    for command in manifest["features"]["slash_commands"]:
        assert command["should_escape"] is True, command["command"]
        assert len(command["description"]) <= 100
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_every_scope_is_justified_by_a_comment() -> None:
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    scopes_at = next(i for i, line in enumerate(lines) if line.strip() == "bot:")
    previous = ""
    for line in lines[scopes_at + 1 :]:
        stripped = line.strip()
        if not stripped.startswith(("-", "#")):
            break
        if stripped.startswith("-"):
            assert previous.startswith("#"), f"scope without a justification: {stripped}"
        previous = stripped


def test_every_event_is_justified_and_message_events_need_only_the_history_scopes_declared() -> None:
    """message.channels / message.groups need channels:history / groups:history
    (https://docs.slack.dev/reference/events/message.channels): thread replies add no scope."""
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    events_at = next(i for i, line in enumerate(lines) if line.strip() == "bot_events:")
    previous = ""
    for line in lines[events_at + 1 :]:
        stripped = line.strip()
        if not stripped.startswith(("-", "#")):
            break
        if stripped.startswith("-") and not previous.startswith("-"):
            assert previous.startswith("#"), f"event without a justification: {stripped}"
        previous = stripped
    manifest = _manifest()
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert {"message.channels", "message.groups"} <= set(events)
    assert {"channels:history", "groups:history"} <= set(scopes)
    assert not {"message.im", "message.mpim", "mpim:history"} & (set(events) | set(scopes))
