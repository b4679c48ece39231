"""Rebuild bot/fonts/LiaisonSansSC-Regular.otf: a subset of Noto Sans CJK SC Regular (SIL OFL 1.1).

Run by hand when the catalogue gains characters the font lacks (tests/bot/test_fonts.py says which):

    apt-get install fonts-noto-cjk
    .venv/bin/python tools/make_cjk_font.py [/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]

What it keeps, and why (the README in bot/fonts/ says the same):
- the 6,763 hanzi of GB 2312 (levels 1 and 2), which cover well over 99.9 % of the characters in
  modern Simplified Chinese text, so users' titles as well as our own words;
- every character of the Chinese catalogue (bot/i18n), whatever its block;
- ASCII, Latin-1, general punctuation, CJK symbols and punctuation, and the full-width forms.
The family is renamed "Liaison Sans SC" (the OFL lets a modified font keep any name but a Reserved Font
Name; Noto's is "Source", which we don't use) so that it is never mistaken for a full Noto install.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bot" / "fonts" / "LiaisonSansSC-Regular.otf"
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FAMILY = "Liaison Sans SC"
RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2190, 0x21FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))


def gb2312_hanzi() -> set[int]:
    found: set[int] = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def catalogue_chars() -> set[int]:
    sys.path.insert(0, str(ROOT))
    from bot.i18n import MESSAGES

    return {ord(ch) for texts in MESSAGES.values() for ch in texts["zh"] if not ch.isspace()}


def sc_font(path: Path) -> TTFont:
    if path.suffix.lower() == ".ttc":
        for font in TTCollection(str(path)).fonts:
            if font["name"].getDebugName(1) == "Noto Sans CJK SC":
                return font
        raise SystemExit(f"{path} has no Noto Sans CJK SC")
    return TTFont(str(path))


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    font = sc_font(source)
    wanted = gb2312_hanzi() | catalogue_chars()
    for first, last in RANGES:
        wanted.update(range(first, last + 1))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "") + "-Regular"
        elif record.nameID == 3:
            record.string = f"{FAMILY.replace(' ', '')}-Regular; subset of {record.toUnicode()}"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT))
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size:,} bytes, {len(font.getBestCmap()):,} characters")


if __name__ == "__main__":
    main()
