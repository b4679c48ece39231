"""The message catalogue: every user-visible string, in English and Simplified Chinese.

Each feature keeps its strings in a module of this package (`MESSAGES = {key: {"en": ..., "zh": ...}}`);
they are merged here, and a test checks that every key has both languages and that keys never collide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from bot.i18n import (
    actions,
    changes,
    closeout,
    core,
    digest,
    export,
    issues,
    journal,
    lessons,
    minutes,
    pulse,
    records,
    requirements,
    review,
    risks,
    schedules,
    signoff,
    stakeholders,
    time,
)

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

CATALOGUES: tuple[Mapping[str, Mapping[str, str]], ...] = (
    core.MESSAGES,
    records.MESSAGES,
    minutes.MESSAGES,
    risks.MESSAGES,
    schedules.MESSAGES,
    time.MESSAGES,
    digest.MESSAGES,
    export.MESSAGES,
    signoff.MESSAGES,
    requirements.MESSAGES,
    changes.MESSAGES,
    issues.MESSAGES,
    actions.MESSAGES,
    stakeholders.MESSAGES,
    pulse.MESSAGES,
    lessons.MESSAGES,
    closeout.MESSAGES,
    review.MESSAGES,
    journal.MESSAGES,
)


def _merge() -> dict[str, Mapping[str, str]]:
    merged: dict[str, Mapping[str, str]] = {}
    for catalogue in CATALOGUES:
        for key, texts in catalogue.items():
            if key in merged:
                raise RuntimeError(f"message key defined twice: {key}")
            merged[key] = texts
    return merged


MESSAGES = _merge()


def t(key: str, lang: str, /, **params: object) -> str:
    """Render `key` in `lang` (falling back to English), formatting `params` into it."""
    texts = MESSAGES[key]
    template = texts.get(lang) or texts["en"]
    return template.format(**params) if params else template


def normalise_lang(value: str | None, default: Lang = "en") -> Lang:
    """Map Slack locales (`zh-CN`, `en-US`) and our own codes onto a supported language."""
    if not value:
        return default
    low = value.lower()
    if low.startswith("zh") or low in {"cn", "中文"}:
        return "zh"
    if low.startswith("en"):
        return "en"
    return default
