"""bot/fonts/README.md tells the truth about who draws with the bundled font (issue 13): every module that
loads it is named there, and nothing is promised for "later"."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "bot" / "fonts" / "README.md"
FONT = "LiaisonSansSC-Regular.otf"


def test_the_fonts_readme_names_every_module_drawing_with_the_bundled_font() -> None:
    text = README.read_text(encoding="utf-8")
    users = sorted(
        str(path.relative_to(ROOT))
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
        if FONT in path.read_text(encoding="utf-8") or "BUNDLED_FONT" in path.read_text(encoding="utf-8")
    )
    assert {"bot/charts.py", "bot/pdf.py"} <= set(users), users
    assert [u for u in users if f"`{u}`" not in text] == []
    assert "later" not in text.lower()
    assert "PDF" in text.splitlines()[0]
