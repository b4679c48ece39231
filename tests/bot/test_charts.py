"""Digest charts: real PNGs, headless, and no words in them but the ids and labels passed in."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import time
from datetime import date

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot import charts
from bot.charts import PNG_MAGIC, ChartText, pick_text, render_charts
from bot.domain.digest import ChartData, HeatCell, TimelineRow

EN = ChartText("Open risks", "Probability", "Impact", "Milestones", "planned", "forecast", "done", "today")
ZH = ChartText("未关闭风险", "可能性", "影响", "里程碑", "计划", "预测", "完成", "今天")
TODAY = date(2026, 11, 24)
DATA = ChartData(
    heat=(HeatCell(4, 4, ("R-1", "R-2", "R-3", "R-4", "R-5")), HeatCell(1, 2, ("R-9",))),
    timeline=(
        TimelineRow("MS-1", date(2026, 11, 20), date(2026, 11, 27), None, "late"),
        TimelineRow("MS-2", date(2026, 12, 1), date(2026, 12, 8), None, "at_risk"),
        TimelineRow("MS-3", date(2026, 11, 18), date(2026, 11, 18), date(2026, 11, 19), "done"),
    ),
    today=TODAY,
)


def _size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk follows the 8-byte signature
    return int(width), int(height)


def _texts(figure: Figure) -> set[str]:
    found = {t.get_text() for t in figure.findobj(Text)}
    for ax in figure.axes:
        legend = ax.get_legend()
        if legend is not None:
            found |= {t.get_text() for t in legend.get_texts()}
    return {t for t in found if t}


def test_both_charts_render_as_real_pngs() -> None:
    pictures = render_charts(DATA, EN, EN)
    assert [p.filename for p in pictures] == ["risk-heatmap.png", "milestone-timeline.png"]
    for picture in pictures:
        assert picture.content.startswith(PNG_MAGIC)
        assert len(picture.content) > 5000
        width, height = _size(picture.content)
        assert width >= 400 and height >= 150


def test_an_empty_side_is_not_drawn() -> None:
    assert render_charts(ChartData(heat=(), timeline=(), today=TODAY), EN, EN) == []
    only_risks = render_charts(ChartData(heat=DATA.heat, timeline=(), today=TODAY), EN, EN)
    assert [p.filename for p in only_risks] == ["risk-heatmap.png"]


def test_the_heat_map_draws_only_ids_numbers_and_the_given_labels() -> None:
    texts = _texts(charts.heatmap_figure(DATA.heat, EN))
    allowed_words = {EN.heat_title, EN.probability, EN.impact}
    for text in texts - allowed_words:
        for part in text.split("\n"):
            assert part in {"R-1", "R-2", "R-3", "R-9", "+2"} or part.isdigit(), part
    assert "R-4" not in "\n".join(texts)  # a crowded cell says "+2", it does not list everyone


def test_the_timeline_draws_only_ids_dates_and_the_given_labels() -> None:
    texts = _texts(charts.timeline_figure(DATA.timeline, TODAY, EN))
    allowed = {EN.timeline_title, EN.planned, EN.forecast, EN.done, EN.today, "MS-1", "MS-2", "MS-3"}
    for text in texts - allowed:
        month, _, day = text.partition("-")
        assert month.isdigit() and day.isdigit(), text  # an axis date, 11-24


def test_labels_fall_back_to_english_when_no_font_can_draw_them() -> None:
    assert pick_text(EN, EN) is EN
    chosen = pick_text(ZH, EN)
    assert chosen is (ZH if charts.drawable("可能性影响") else EN)
    assert len(render_charts(DATA, ZH, EN)) == 2  # and drawing never fails for want of glyphs


def test_accepted_milestones_get_their_own_marker_and_legend_entry() -> None:
    rows = (
        TimelineRow(
            "MS-1", date(2026, 11, 18), date(2026, 11, 18), date(2026, 11, 19), "done", accepted=True
        ),
        TimelineRow("MS-2", date(2026, 11, 18), date(2026, 11, 18), date(2026, 11, 20), "done"),
    )
    figure = charts.timeline_figure(rows, TODAY, EN)
    assert EN.accepted in _texts(figure) and EN.accepted == "accepted by the client"
    markers = [line.get_marker() for line in figure.axes[0].get_lines()]
    assert markers.count("P") == 1  # only MS-1 is marked accepted; MS-2 is delivered, not accepted
    assert EN.accepted not in _texts(charts.timeline_figure(rows[1:], TODAY, EN))
    assert len(render_charts(ChartData(heat=(), timeline=rows, today=TODAY), ZH, EN)) == 1


def test_chinese_labels_render_with_the_bundled_font_and_no_missing_glyphs() -> None:
    """Works on a fresh machine: the labels resolve to the font shipped in bot/fonts/, not a system one."""
    import warnings

    from matplotlib import font_manager

    assert pick_text(ZH, EN) is ZH  # never a silent fall back to English
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pictures = render_charts(DATA, ZH, EN)
        figures = [charts.heatmap_figure(DATA.heat, ZH), charts.timeline_figure(DATA.timeline, TODAY, ZH)]
        for figure in figures:
            charts._png(figure)
    assert len(pictures) == 2
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    title = next(t for t in figures[0].findobj(Text) if t.get_text() == ZH.heat_title)
    assert font_manager.findfont(title.get_fontproperties()) == str(charts.BUNDLED_FONT)


def test_the_bundled_font_draws_every_chinese_catalogue_character() -> None:
    """The subset covers the catalogue (rebuild with tools/make_cjk_font.py when this names a character)."""
    from matplotlib.ft2font import FT2Font

    from bot.i18n import MESSAGES

    codes = set(FT2Font(str(charts.BUNDLED_FONT)).get_charmap())
    wanted = {ch for texts in MESSAGES.values() for ch in texts["zh"] if not ch.isspace()}
    assert sorted(ch for ch in wanted if ord(ch) not in codes) == []
    assert all(ord(ch) in codes for ch in "项目周例会验收里程碑风险甲方乙方鑫")  # common and GB 2312 level 2


async def test_the_pool_draws_in_another_process_what_the_renderer_draws() -> None:
    pool = charts.ChartPool(workers=1)
    try:
        pictures = await pool.render(DATA, EN, EN)
        [worker] = pool.pids
    finally:
        await pool.close()
    assert worker != os.getpid()
    assert [p.filename for p in pictures] == ["risk-heatmap.png", "milestone-timeline.png"]
    assert [_size(p.content) for p in pictures] == [_size(p.content) for p in render_charts(DATA, EN, EN)]
    assert pool.pids == []  # closed with its owner: no worker left behind


async def test_a_killed_worker_fails_one_render_and_the_next_gets_a_new_pool() -> None:
    pool = charts.ChartPool(workers=1)
    try:
        await pool.render(DATA, EN, EN)
        [first] = pool.pids
        os.kill(first, signal.SIGKILL)
        with pytest.raises(charts.ChartsUnavailable):
            await pool.render(DATA, EN, EN)
        again = await pool.render(DATA, EN, EN)
        assert len(again) == 2 and pool.pids != [first]
    finally:
        await pool.close()


async def test_without_a_runtime_charts_are_drawn_in_a_thread() -> None:
    assert charts._pool is None  # no runtime in this test
    assert len(await charts.draw(DATA, EN, EN)) == 2


APP = """
import asyncio, time
from bot import charts

async def main():
    pool = charts.ChartPool(workers=1)
    pool.start()
    [warming] = pool._warming
    print(await asyncio.wrap_future(warming), flush=True)
    time.sleep(600)

asyncio.run(main())
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return not any(line.startswith("State:") and "Z" in line for line in status)
    except FileNotFoundError:
        return False


def test_a_killed_app_leaves_no_chart_worker_behind() -> None:
    app = subprocess.Popen([sys.executable, "-c", APP], stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None
        worker = int(app.stdout.readline())
        assert _running(worker)
    finally:
        app.kill()
        app.wait()
    deadline = time.monotonic() + 10 * charts.WATCH_SECONDS
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(worker)  # matplotlib's worker does not outlive the app
