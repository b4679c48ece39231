"""The command registry: what each slash command accepts. The parser, `/liaison help`, the handlers'
registration and the manifest test all read this one table, so they cannot drift apart."""

from __future__ import annotations

from bot.grammar import CommandSpec, Option, Subcommand

LIAISON = CommandSpec(
    command="/liaison",
    summary="cmd.liaison",
    example="cmd.liaison.help.example",
    default=None,
    empty="help",
    subcommands=(Subcommand("help", "cmd.liaison.help", "cmd.liaison.help.example", aliases=("帮助",)),),
)

PROJECT = CommandSpec(
    command="/project",
    summary="cmd.project",
    example="cmd.project.setup.example",
    empty="info",
    subcommands=(
        Subcommand(
            "setup",
            "cmd.project.setup",
            "cmd.project.setup.example",
            options=(
                Option("name", ("名称",)),
                Option("client", ("客户",)),
                Option("tz", ("时区", "timezone")),
                Option("lang", ("语言", "language")),
            ),
            aliases=("设置项目",),
        ),
        Subcommand("info", "cmd.project.info", "cmd.project.info.example", aliases=("信息",)),
        Subcommand(
            "client-channel",
            "cmd.project.client_channel",
            "cmd.project.client_channel.example",
            options=(Option("project", ("项目",)),),
            aliases=("客户频道",),
            takes_text=True,  # the internal channel, as a #mention
        ),
        Subcommand(
            "settings",
            "cmd.project.settings",
            "cmd.project.settings.example",
            options=(
                Option("name", ("名称",)),
                Option("client", ("客户",)),
                Option("tz", ("时区", "timezone")),
                Option("lang", ("语言", "language")),
                Option("holidays", ("节假日",)),
            ),
            aliases=("设置",),
        ),
    ),
)

REGISTRY: dict[str, CommandSpec] = {spec.command: spec for spec in (LIAISON, PROJECT)}
