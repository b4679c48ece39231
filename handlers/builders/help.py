"""`/liaison help`, generated from the command registry so it cannot drift from the parser: an overview that
fits one screen, the details of one command, or — for the client, and anywhere the client reads — what the
client can do (the buttons on Liaison's messages) instead of commands they can't run."""

from __future__ import annotations

from collections.abc import Mapping

from bot.grammar import CommandSpec
from bot.i18n import t
from handlers.builders.common import Block, Reply, code, context, header, section


def build_help(registry: Mapping[str, CommandSpec], lang: str) -> Reply:
    """Every command: what it is for and one example; `/liaison help <command>` gives the rest."""
    blocks: list[Block] = [header(t("help.title", lang)), context(t("help.intro", lang))]
    plain: list[str] = [t("help.title", lang)]
    for spec in registry.values():
        blocks.append(section(f"*{spec.command}* — {t(spec.summary, lang)}\n{code(t(spec.example, lang))}"))
        plain.append(f"{spec.command}: {t(spec.summary, lang)}")
    blocks.append(context(t("help.more", lang, example=code(t("help.details.example", lang)))))
    plain.append(t("help.more", lang, example=t("help.details.example", lang)))
    return Reply(text="\n".join(plain), blocks=blocks)


def build_command_help(spec: CommandSpec, lang: str) -> Reply:
    """One command: each subcommand (with its Chinese name), what it does and an example."""
    blocks: list[Block] = [header(spec.command), context(t(spec.summary, lang))]
    plain: list[str] = [f"{spec.command}: {t(spec.summary, lang)}"]
    for sub in spec.subcommands:
        names = f"`{spec.command} {sub.name}`"
        if lang == "zh" and sub.aliases:
            names += "（" + "、".join(f"`{alias}`" for alias in sub.aliases) + "）"
        blocks.append(section(f"{names} — {t(sub.summary, lang)}\n{code(t(sub.example, lang))}"))
        plain.append(f"{spec.command} {sub.name}: {t(sub.summary, lang)}")
    blocks.append(context(t("help.footer", lang)))
    blocks.append(context(t("help.back", lang, example=code(t("cmd.liaison.help.example", lang)))))
    return Reply(text="\n".join(plain), blocks=blocks)


def build_client_help(lang: str, *, team_member: bool) -> Reply:
    """What the client does here: answer with the buttons on Liaison's messages, and look things up."""
    button = {
        "confirm": t("minutes.button.confirm", lang),
        "request_changes": t("minutes.button.request_changes", lang),
        "accept": t("signoff.button.accept", lang),
        "accept_remarks": t("signoff.button.accept_remarks", lang),
        "approve": t("signoff.button.approve", lang),
        "reject": t("signoff.button.reject", lang),
        "done": t("action.button.done", lang),
    }
    acts = [
        t("help.client.minutes", lang, **button),
        t("help.client.milestones", lang, **button),
        t("help.client.signoffs", lang, **button),
        t("help.client.actions", lang, **button),
        t(
            "help.client.panel",
            lang,
            raise_issue=t("panel.button.raise", lang),
            ask=t("panel.button.ask", lang),
            waiting=t("panel.button.waiting", lang),
        ),
        t("help.client.home", lang),
    ]
    lookups = " · ".join(code(t(key, lang)) for key in CLIENT_LOOKUPS)
    blocks: list[Block] = [
        header(t("help.client.title", lang)),
        section(t("help.client.intro", lang) + "\n" + "\n".join(f"• {line}" for line in acts)),
        context(t("help.client.lookups", lang, examples=lookups)),
    ]
    if team_member:
        blocks.append(context(t("help.client.team_member", lang)))
    text = "\n".join([t("help.client.title", lang), *acts])
    return Reply(text=text, blocks=blocks)


# Commands a client may run in the shared channel (reading only): a test runs each as the client.
CLIENT_LOOKUPS = (
    "cmd.milestone.list.example",
    "cmd.action.list.example",
    "cmd.risk.list.example",
    "cmd.change.list.example",
    "cmd.liaison.search.example",
    "cmd.liaison.export.example",
)
