"""`/liaison help`, generated from the command registry so it cannot drift from the parser."""

from __future__ import annotations

from collections.abc import Mapping

from bot.grammar import CommandSpec
from bot.i18n import t
from handlers.builders.common import Block, Reply, context, divider, header, section


def build_help(registry: Mapping[str, CommandSpec], lang: str) -> Reply:
    blocks: list[Block] = [header(t("help.title", lang)), context(t("help.intro", lang))]
    plain: list[str] = [t("help.title", lang)]
    for spec in registry.values():
        lines = [f"*{spec.command}* — {t(spec.summary, lang)}"]
        for sub in spec.subcommands:
            lines.append(
                f"• `{spec.command} {sub.name}` — {t(sub.summary, lang)}\n    `{t(sub.example, lang)}`"
            )
            plain.append(f"{spec.command} {sub.name}: {t(sub.summary, lang)}")
        blocks.append(divider())
        blocks.append(section("\n".join(lines)))
    blocks.append(context(t("help.footer", lang)))
    return Reply(text="\n".join(plain), blocks=blocks)
