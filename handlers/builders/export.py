"""`/liaison export` texts: the comment the uploaded files carry, the confirmation, an empty export."""

from __future__ import annotations

from bot.domain.export import Export
from bot.i18n import t
from bot.mrkdwn import bold, escape
from handlers.builders.common import Reply, section


def _counts(export: Export, lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    return sep.join(
        t("export.count", lang, kind=t(f"export.kind.{name}", lang), n=n) for name, n in export.counts.items()
    )


def upload_comment(export: Export, lang: str, *, team: bool) -> str:
    key = "export.comment" if team else "export.comment.client"
    return t(key, lang, project=bold(escape(export.project)), what=_counts(export, lang), zone=export.zone)


def build_export_empty(export: Export, lang: str) -> Reply:
    sep = "、" if lang == "zh" else ", "
    kinds = sep.join(t(f"export.kind.{sheet.name}", lang) for sheet in export.sheets)
    message = t("export.empty", lang, project=bold(escape(export.project)), kinds=kinds)
    return Reply(text=message, blocks=[section(message)])


def build_export_uploaded(export: Export, files: int, lang: str) -> Reply:
    message = t("export.uploaded", lang, files=t("export.files", lang, n=files), what=_counts(export, lang))
    return Reply(text=message, blocks=[section(f":white_check_mark: {message}")])


def build_upload_failed(error: str, lang: str) -> Reply:
    message = t("export.upload_failed", lang, error=f"`{escape(error)}`")
    return Reply(text=message, blocks=[section(f":warning: {message}")])
