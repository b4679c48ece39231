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


@pytest.mark.parametrize(
    ("key", "params", "one", "many"),
    [
        ("issue.target.d", {}, "1 working day", "2 working days"),
        ("signoff.home.days", {}, "1 working day", "3 working days"),
        ("signoff.digest.waiting_days", {}, "client, 1 working day", "client, 3 working days"),
        ("pulse.summary", {"average": "5.0"}, "from 1 answer.", "from 4 answers."),
        ("pulse.status_open", {"closes": "Fri"}, "Fri, 1 answer", "Fri, 4 answers"),
        ("closeout.pulse.line", {"opened": "Nov", "average": "4"}, "(1 answer)", "(2 answers)"),
    ],
)
def test_english_counts_pick_singular_or_plural(
    key: str, params: dict[str, str], one: str, many: str
) -> None:
    """No "working day(s)" or "answer(s)": exactly 1 takes the singular; Chinese has no plural to pick."""
    count = next(f for f in _fields(MESSAGES[key]["en"]) if f not in params)
    n = int(next(w.strip("(,") for w in many.split() if w.strip("(,").isdigit()))
    singular = t(key, "en", **params, **{count: 1})
    plural = t(key, "en", **params, **{count: n})
    assert one in singular and many in plural and "(s)" not in singular + plural, (singular, plural)
    zh = t(key, "zh", **params, **{count: 1})
    assert "|" not in zh and "1" in zh


def test_a_plural_choice_only_changes_the_noun() -> None:
    from bot.i18n import Count

    assert (
        f"{Count(1):day|days} {Count(0):day|days} {Count(2):day|days} {Count(1234):,}"
        == "day days days 1,234"
    )
    assert not [k for k, texts in MESSAGES.items() if "answer(s)" in texts["en"] or "day(s)" in texts["en"]]
