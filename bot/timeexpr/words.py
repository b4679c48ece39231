"""Words people type instead of digits, folded before the grammar sees them.

* English numbers and ordinals up to 59 / the 31st: "twenty nine" -> "29", "twenty-second" -> "22nd",
  "the eleventh" -> "the 11th" (the grammar then deals in digits only).
* Traditional Chinese characters and regional words used in dates and times (禮拜一, 週三, 後天, 點, 號):
  the handful that matter here are folded to simplified ones by a small character map. A full converter
  (OpenCC, zhconv) would load megabytes of phrase tables to change these few characters.
"""

from __future__ import annotations

import re
from typing import Final

_UNITS: Final[dict[str, int]] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS: Final[dict[str, int]] = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS: Final[dict[str, int]] = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_UNIT_ORDINALS: Final[dict[str, int]] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_OTHER_ORDINALS: Final[dict[str, int]] = {
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}


def _alt(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_EN_NUMBER_WORDS: Final = re.compile(
    rf"\b(?:(?P<tens>{_alt(_TENS)})(?:[ -](?:(?P<tu>{_alt(_UNITS)})|(?P<to>{_alt(_UNIT_ORDINALS)})))?"
    rf"|(?P<teen>{_alt(_TEENS)})|(?P<unit>{_alt(_UNITS)})"
    rf"|(?P<uord>{_alt(_UNIT_ORDINALS)})|(?P<oord>{_alt(_OTHER_ORDINALS)}))\b"
)


def _suffix(n: int) -> str:
    if 11 <= n % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _number(m: re.Match[str]) -> str:
    if m["tens"]:
        value = _TENS[m["tens"]]
        if m["to"]:
            value += _UNIT_ORDINALS[m["to"]]
            return f"{value}{_suffix(value)}"
        if m["tu"]:
            value += _UNITS[m["tu"]]
        elif m[0].endswith("ieth"):  # pragma: no cover - "twentieth" is matched as an ordinal below
            return f"{value}th"
        return str(value)
    if m["teen"]:
        return str(_TEENS[m["teen"]])
    if m["unit"]:
        return str(_UNITS[m["unit"]])
    value = _UNIT_ORDINALS[m["uord"]] if m["uord"] else _OTHER_ORDINALS[m["oord"]]
    return f"{value}{_suffix(value)}"


def en_number_words(s: str) -> str:
    """Spelled-out numbers and ordinals as digits; "a"/"an" and "second(s)" as a unit are left alone."""
    if not any(ch.isalpha() for ch in s):
        return s
    s = re.sub(r"\b(\d+|a|an|one|a few) seconds?\b", r"\1 sec", s)  # "30 seconds" is a unit, not 2nd
    return _EN_NUMBER_WORDS.sub(_number, s)


_ZH_TRADITIONAL: Final = str.maketrans(
    "禮週後個號點鐘時兩這曆歷農節誕聖國慶勞動兒婦師親陽樹軍雙內開間過閏會頭單當",
    "礼周后个号点钟时两这历历农节诞圣国庆劳动儿妇师亲阳树军双内开间过闰会头单当",
)


def zh_simplified(s: str) -> str:
    """Fold the traditional characters that occur in dates and times to simplified ones."""
    return s.translate(_ZH_TRADITIONAL)


__all__ = ["en_number_words", "zh_simplified"]
