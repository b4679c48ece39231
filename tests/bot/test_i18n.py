"""The catalogue: every key in both languages, placeholders matching, examples parseable."""

from __future__ import annotations

import string

import pytest

from bot.commands import REGISTRY
from bot.errors import UsageError
from bot.grammar import parse_command
from bot.i18n import LANGS, MESSAGES, normalise_lang, t


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    texts = MESSAGES[key]
    assert set(texts) == set(LANGS), key
    assert all(texts[lang].strip() for lang in LANGS), key
    assert _fields(texts["en"]) == _fields(texts["zh"]), key


def test_every_registered_command_has_summary_and_working_examples() -> None:
    for spec in REGISTRY.values():
        assert spec.summary in MESSAGES
        for sub in spec.subcommands:
            assert sub.summary in MESSAGES, sub.summary
            for lang in LANGS:
                example = t(sub.example, lang)
                command, _, text = example.partition(" ")
                assert command == spec.command, example
                try:
                    parsed = parse_command(spec, text)
                except UsageError as err:  # pragma: no cover - shown when an example drifts
                    pytest.fail(f"example does not parse: {example}: {err.key}")
                assert parsed.sub is sub, example


def test_locales_map_onto_supported_languages() -> None:
    assert normalise_lang("zh-CN") == "zh"
    assert normalise_lang("en-GB") == "en"
    assert normalise_lang("fr-FR") == "en"
    assert normalise_lang(None, "zh") == "zh"
