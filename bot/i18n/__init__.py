"""The message catalogue: every user-visible string, in English and Simplified Chinese.

Each feature keeps its strings in a module of this package (`MESSAGES = {key: {"en": ..., "zh": ...}}`);
every module here is found and merged at import (a new kind's catalogue needs no line in this file), and a
test checks that every key has both languages and that keys never collide.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


def _catalogues() -> tuple[Mapping[str, Mapping[str, str]], ...]:
    """Every module of this package, in name order (merging does not depend on it: keys never collide)."""
    found: list[Mapping[str, Mapping[str, str]]] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(module.MESSAGES)
    return tuple(found)


CATALOGUES = _catalogues()


def _merge() -> dict[str, Mapping[str, str]]:
    merged: dict[str, Mapping[str, str]] = {}
    for catalogue in CATALOGUES:
        for key, texts in catalogue.items():
            if key in merged:
                raise RuntimeError(f"message key defined twice: {key}")
            merged[key] = texts
    return merged


MESSAGES = _merge()


class Count(int):
    """A whole number in a template, which also picks its noun's form: `{n} working {n:day|days}` reads
    "1 working day", "3 working days" (singular for exactly 1). Chinese templates have no plural to pick."""

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return one if self == 1 else many
        return super().__format__(spec)


def t(key: str, lang: str, /, **params: object) -> str:
    """Render `key` in `lang` (falling back to English), formatting `params` into it; whole numbers may
    choose a plural (`Count`)."""
    texts = MESSAGES[key]
    template = texts.get(lang) or texts["en"]
    if not params:
        return template
    return template.format(**{k: Count(v) if type(v) is int else v for k, v in params.items()})


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
