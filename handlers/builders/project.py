"""Project replies: setup confirmation and `/project info`, with internal fields for the team only."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.channels import CLIENT, INTERNAL
from bot.domain.issues import targets_of
from bot.domain.when import date_order_of
from bot.i18n import t
from bot.mrkdwn import bold, channel, escape, mention
from handlers.builders.common import Block, Reply, context, fields, section
from storage.models import Project, ProjectChannel


def _lang_name(code: str) -> str:
    return {"en": "English", "zh": "中文"}.get(code, code)


def _morning(project: Project) -> str:
    minutes = project.morning if project.morning is not None else 540
    return f"{minutes // 60}:{minutes % 60:02d}"


def _lead(minutes: int, lang: str) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return t("project.lead.hm", lang, h=str(hours), m=str(rest))
    return t("project.lead.h", lang, h=str(hours)) if hours else t("project.lead.m", lang, m=str(rest))


def _review(project: Project, lang: str) -> str:
    mode = project.review if project.review in ("on", "required") else "off"
    return t(f"project.review.{mode}", lang, lead=_lead(project.review_lead, lang))


def _targets(project: Project, lang: str) -> str:
    def words(amount: int, unit: str) -> str:
        key = "d_one" if (unit, amount) == ("d", 1) else unit
        return t(f"project.target.{key}", lang, n=str(amount))

    return ", ".join(
        f"{t(f'issue.severity.{severity}', lang)} {words(target.amount, target.unit)}"
        for severity, target in targets_of(project).items()
    )


def settings_pairs(project: Project, lang: str) -> list[tuple[str, str]]:
    """The settings `/project settings` changes besides name and client, as shown to the team."""
    none = t("project.none", lang)
    return [
        (t("project.field.tz", lang), escape(project.tz)),
        (t("project.field.lang", lang), _lang_name(project.lang)),
        (t("project.field.holidays", lang), escape(project.holidays or none)),
        (t("project.field.date_order", lang), t(f"project.date_order.{date_order_of(project)}", lang)),
        (
            t("project.field.approvers", lang),
            ", ".join(mention(u) for u in project.approvers or []) or t("project.approvers_anyone", lang),
        ),
        (t("project.field.morning", lang), _morning(project)),
        (t("project.field.response", lang), _targets(project, lang)),
        (t("project.field.review", lang), _review(project, lang)),
    ]


def build_project_info(
    project: Project, channels: Sequence[ProjectChannel], lang: str, *, team_view: bool
) -> Reply:
    name, client = escape(project.name), escape(project.client_name)
    if not team_view:
        text = t("project.client_view", lang, name=bold(name), client=bold(client))
        return Reply(text=text, blocks=[section(text)])
    internal = [channel(c.channel_id) for c in channels if c.role == INTERNAL]
    clients = [
        f"{channel(c.channel_id)} ({t('project.shared' if c.is_ext_shared else 'project.not_shared', lang)})"
        for c in channels
        if c.role == CLIENT
    ]
    none = t("project.none", lang)
    pairs = [
        (t("project.field.name", lang), name),
        (t("project.field.client", lang), client),
        (t("project.field.internal", lang), ", ".join(internal) or none),
        (t("project.field.client_channels", lang), "\n".join(clients) or none),
    ]
    # A section holds at most ten fields: the project and its channels, then its settings.
    blocks: list[Block] = [
        fields(pairs),
        fields(settings_pairs(project, lang)),
        context(t("project.settings_hint", lang)),
    ]
    return Reply(text=f"{name} — {client}", blocks=blocks)


def build_project_saved(project: Project, lang: str, *, created: bool) -> Reply:
    name, client = escape(project.name), escape(project.client_name)
    if created:
        text = t("project.created", lang, name=bold(name), client=bold(client))
        blocks = [
            section(f":white_check_mark: {text}"),
            context(t("project.next_steps", lang, client=client)),
        ]
    else:
        text = t("project.updated", lang, name=bold(name))
        blocks = [section(f":white_check_mark: {text}")]
    return Reply(text=text, blocks=blocks)


def build_notice(key: str, lang: str, **params: str) -> Reply:
    text = t(key, lang, **{k: escape(v) for k, v in params.items()})
    return Reply(text=text, blocks=[section(text)])
