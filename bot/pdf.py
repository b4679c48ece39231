"""PDF documents in English or Chinese with the bundled font (bot/fonts/LiaisonSansSC-Regular.otf).

fpdf2 embeds a CID-keyed CFF font (ours: a subset of Noto Sans CJK SC) with an embedded encoding CMap that
some readers (pypdf among them) decode as one byte per character, so the text layer reads "\\x00结\\x00项".
A TrueType font gets the standard Identity-H encoding instead, so each document embeds a TrueType copy of
just the glyphs it uses: the bundled font subset to the document's characters (fontTools, already installed
with matplotlib) and its cubic outlines converted to quadratic ones (cu2qu). That takes a fraction of a
second for a report, and the PDF carries a few dozen kilobytes of font instead of megabytes.

The bundled font holds the 6,763 hanzi of GB 2312, Latin-1 and common punctuation, and every character of
the catalogue (a test checks that), so the fixed labels never fall back. A character of people's text
outside it (a rare hanzi, an emoji) is printed as "?" and counted (`Text.missing`), never as a box; the
Markdown file next to the PDF keeps the text verbatim.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.charts import BUNDLED_FONT

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

REPLACEMENT = "?"
FAMILY = "LiaisonSans"


@functools.cache
def font_characters() -> frozenset[int]:
    """Every code point the bundled font draws."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(BUNDLED_FONT), lazy=True)
    return frozenset(font.getBestCmap())


def printable(text: str) -> tuple[str, int]:
    """`text` with each character the font lacks replaced by "?", and how many were replaced."""
    codes = font_characters()
    out: list[str] = []
    missing = 0
    for ch in text:
        if ch in "\n\t" or ord(ch) in codes:
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        else:
            out.append(REPLACEMENT)
            missing += 1
    return "".join(out), missing


def truetype_subset(characters: Iterable[str]) -> bytes:
    """The bundled font cut to `characters` (plus "?"), with TrueType outlines."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(BUNDLED_FONT))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    options.layout_features = []
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(set(characters)) + REPLACEMENT + " ")
    subsetter.subset(font)
    _to_truetype(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by `glyf` ones (the conversion fontTools' otf2ttf example does)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyphs = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font.sfntVersion = "\x00\x01\x00\x00"
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0


class FontFile:
    """A TrueType subset on disk for the document's life (fpdf2 reads fonts from a path)."""

    def __init__(self, characters: Iterable[str]) -> None:
        handle, name = tempfile.mkstemp(prefix="liaison-font-", suffix=".ttf")
        with os.fdopen(handle, "wb") as out:
            out.write(truetype_subset(characters))
        self.path = Path(name)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)
