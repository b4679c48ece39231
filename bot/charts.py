"""Digest pictures as PNG: a probability × impact risk heat map and a milestone timeline.

Pure and headless: chart data in, PNG bytes out, through matplotlib's Agg canvas directly (no pyplot, so
no global figure state and no display). The only words drawn are those passed in `ChartText`; records
appear by id only (R-7, MS-2), so a picture can never show more than the ids the digest already lists.
Labels are drawn in the project's language: Chinese with the font shipped in `bot/fonts/` (a subset of Noto
Sans CJK SC, see its README), registered with matplotlib before the first chart, so a fresh machine needs no
system font; English only if a word still has a character no font can draw.

A running app draws in `ChartPool`'s worker processes (`draw`), never on its event loop: a digest's charts
take most of a second of CPU, which in a thread would still hold the GIL against every ack.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain.digest import ChartData, HeatCell, TimelineRow
from bot.domain.risks import Level, level_of
from bot.styles import ACCEPTED_STYLE, LEVEL_STYLE, STATUS_STYLE

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not when the bot starts
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DPI = 100
BUNDLED_FONT = Path(__file__).parent / "fonts" / "LiaisonSansSC-Regular.otf"
BUNDLED_FAMILY = "Liaison Sans SC"
FONT_FAMILIES = (
    BUNDLED_FAMILY,
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "DejaVu Sans",
)
LEVEL_COLOURS = {level: LEVEL_STYLE[level].chart for level in Level}
STATUS_COLOURS = {status: style.chart for status, style in STATUS_STYLE.items()}
ACCEPTED_COLOUR = ACCEPTED_STYLE.chart
REFS_PER_CELL = 3


@dataclass(frozen=True)
class ChartText:
    """Every word a chart draws, already in one language (from the message catalogue)."""

    heat_title: str
    probability: str
    impact: str
    timeline_title: str
    planned: str
    forecast: str
    done: str
    today: str
    accepted: str = "accepted by the client"


@functools.cache
def register_fonts() -> None:
    """Add the bundled CJK font to matplotlib's font list (once; on the first chart, since importing
    matplotlib's font manager at start-up would slow every start for a picture few projects draw)."""
    from matplotlib import font_manager

    if not any(entry.name == BUNDLED_FAMILY for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(BUNDLED_FONT))


@functools.cache
def _fonts() -> tuple[tuple[str, ...], frozenset[int]]:
    """Installed families from FONT_FAMILIES (the bundled one first), and every code point they can draw."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    register_fonts()
    found: dict[str, str] = {}
    for entry in font_manager.fontManager.ttflist:
        if entry.name in FONT_FAMILIES and entry.name not in found:
            found[entry.name] = entry.fname
    families = tuple(f for f in FONT_FAMILIES if f in found)
    codes: set[int] = set()
    for path in found.values():
        try:
            codes.update(FT2Font(path).get_charmap())
        except (OSError, RuntimeError):  # an unreadable font file is simply not used
            continue
    return families or ("DejaVu Sans",), frozenset(codes)


def drawable(text: str) -> bool:
    _families, codes = _fonts()
    return all(ch.isspace() or ord(ch) in codes for ch in text)


def pick_text(text: ChartText, fallback: ChartText) -> ChartText:
    """`text` if every word can be drawn with the installed fonts, else `fallback` (English)."""
    words = (
        text.heat_title,
        text.probability,
        text.impact,
        text.timeline_title,
        text.planned,
        text.forecast,
        text.done,
        text.today,
        text.accepted,
    )
    return text if all(drawable(w) for w in words) else fallback


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _cell_label(cell: HeatCell) -> str:
    shown = list(cell.refs[:REFS_PER_CELL])
    if len(cell.refs) > REFS_PER_CELL:
        shown.append(f"+{len(cell.refs) - REFS_PER_CELL}")
    return "\n".join(shown)


def render_heatmap(cells: Sequence[HeatCell], text: ChartText) -> bytes:
    return _png(heatmap_figure(cells, text))


def render_timeline(rows: Sequence[TimelineRow], today: date, text: ChartText) -> bytes:
    return _png(timeline_figure(rows, today, text))


def heatmap_figure(cells: Sequence[HeatCell], text: ChartText) -> Figure:
    """A 5×5 grid, probability across and impact up, coloured by level, with the risks' ids in it."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    families, _codes = _fonts()
    figure = Figure(figsize=(5.6, 5.0))
    ax = figure.add_subplot(1, 1, 1)
    for p in range(1, 6):
        for i in range(1, 6):
            colour = LEVEL_COLOURS[level_of(p * i)]
            ax.add_patch(
                Rectangle((p - 0.5, i - 0.5), 1, 1, facecolor=colour, edgecolor="white", linewidth=2)
            )
    for cell in cells:
        if 1 <= cell.probability <= 5 and 1 <= cell.impact <= 5:
            ax.text(
                cell.probability,
                cell.impact,
                _cell_label(cell),
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold",
                family=list(families),
            )
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_aspect("equal")
    ax.set_xlabel(text.probability, family=list(families))
    ax.set_ylabel(text.impact, family=list(families))
    ax.set_title(text.heat_title, family=list(families))
    for spine in ax.spines.values():
        spine.set_visible(False)
    figure.tight_layout()
    return figure


def _date_ticks(start: date, end: date, most: int = 8) -> list[date]:
    """Evenly spaced whole days across the axis, at most `most` of them."""
    span = (end - start).days
    step = max(1, -(-span // most))
    return [start + timedelta(days=n) for n in range(0, span + 1, step)]


def timeline_figure(rows: Sequence[TimelineRow], today: date, text: ChartText) -> Figure:
    """One line per milestone: planned (hollow), forecast (filled, by status), done (star), accepted by the
    client (a ringed plus over the done star), and today; the legend names "accepted" only when one is."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    families, _codes = _fonts()
    height = 1.6 + 0.45 * max(1, len(rows))
    figure = Figure(figsize=(7.0, height))
    ax = figure.add_subplot(1, 1, 1)
    days = [today] + [d for r in rows for d in (r.planned, r.forecast, r.done) if d is not None]
    start, end = min(days) - timedelta(days=3), max(days) + timedelta(days=3)
    for y, row in enumerate(reversed(rows)):
        colour = STATUS_COLOURS.get(row.status, "#37474f")
        planned, forecast = row.planned.toordinal(), row.forecast.toordinal()
        ax.plot([planned, forecast], [y, y], color=colour, linewidth=2, alpha=0.6)
        ax.plot([planned], [y], marker="o", markersize=8, markerfacecolor="white", markeredgecolor=colour)
        ax.plot([forecast], [y], marker="D", markersize=7, color=colour)
        if row.done is not None:
            ax.plot([row.done.toordinal()], [y], marker="*", markersize=12, color=STATUS_COLOURS["done"])
        if row.done is not None and row.accepted:
            ax.plot(
                [row.done.toordinal()],
                [y],
                marker="P",
                markersize=11,
                markerfacecolor=ACCEPTED_COLOUR,
                markeredgecolor="white",
                linestyle="",
            )
    ax.axvline(today.toordinal(), color="#1565c0", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r.ref for r in reversed(rows)], family=list(families))
    ax.set_ylim(-0.8, max(0, len(rows) - 1) + 0.8)
    ax.set_xlim(start.toordinal(), end.toordinal())
    ticks = _date_ticks(start, end)
    ax.set_xticks([d.toordinal() for d in ticks])
    ax.set_xticklabels([f"{d:%m-%d}" for d in ticks])
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(text.timeline_title, family=list(families))
    legend = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor="#37474f",
            label=text.planned,
        ),
        Line2D([], [], marker="D", linestyle="", color="#37474f", label=text.forecast),
        Line2D(
            [], [], marker="*", linestyle="", markersize=10, color=STATUS_COLOURS["done"], label=text.done
        ),
        Line2D([], [], linestyle="--", color="#1565c0", label=text.today),
    ]
    if any(row.accepted and row.done is not None for row in rows):
        legend.insert(
            3,
            Line2D(
                [],
                [],
                marker="P",
                linestyle="",
                markersize=10,
                markerfacecolor=ACCEPTED_COLOUR,
                markeredgecolor="white",
                label=text.accepted,
            ),
        )
    ax.legend(
        handles=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=len(legend),
        frameon=False,
        prop={"family": list(families)},
    )
    figure.tight_layout()
    return figure


@dataclass(frozen=True)
class Picture:
    filename: str
    content: bytes


def render_charts(data: ChartData, text: ChartText, fallback: ChartText) -> list[Picture]:
    """The pictures worth drawing for `data` (none for an empty side), in a stable order."""
    words = pick_text(text, fallback)
    pictures: list[Picture] = []
    if data.heat:
        pictures.append(Picture("risk-heatmap.png", render_heatmap(data.heat, words)))
    if data.timeline:
        pictures.append(Picture("milestone-timeline.png", render_timeline(data.timeline, data.today, words)))
    return pictures


# ---- drawing off the event loop -------------------------------------------------------------------------

# One worker on a 2-core machine: the event loop keeps a core; charts wait their turn rather than take it.
WORKERS = max(1, min(2, (os.cpu_count() or 2) - 1))
QUEUED_PER_WORKER = 2  # renders handed to the pool at once; the rest wait in the app, cheaply
# forkserver, not fork: the app has threads (aiosqlite, the fake Slack in tests) that a fork would copy
# mid-lock. The server imports matplotlib once, so each worker starts with it loaded.
PRELOAD = ["matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg", "bot.charts"]
WATCH_SECONDS = 2.0  # how often a worker checks that its app still runs


def _worker_start(app_pid: int, log_level: int, log_format: str) -> None:
    """In a worker: log as the app does (one JSON object per line when it does: a plain line from a worker
    would break every log shipper reading the app's stream), and exit once the app is gone. A worker whose
    app was killed (SIGKILL, the OOM killer) would otherwise wait on its task queue for ever, matplotlib and
    all."""
    import time

    from bot.logging import configure

    configure(logging.getLevelName(log_level), "json" if log_format == "json" else "text")
    # The bundled CJK subset has no bold face: matplotlib says so once per worker, which nobody can act on.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            try:
                os.kill(app_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid was taken by another user's process: ours is gone
                os._exit(0)

    threading.Thread(target=watch, name="liaison-chart-app-watch", daemon=True).start()


def _log_format() -> str:
    """How this process logs (bot.logging.configure set its root handler), for its workers to do the same."""
    from bot.logging import JsonLineFormatter

    handlers = logging.getLogger().handlers
    return "json" if any(isinstance(h.formatter, JsonLineFormatter) for h in handlers) else "text"


class ChartsUnavailable(Exception):
    """The pool could not draw (a worker died): the digest gets its charts as text, and the next one a new
    pool."""


def warm_up() -> int:
    """In a worker: load the fonts and draw once, so the first digest's charts cost what every later one does."""
    words = ChartText("Risks", "Probability", "Impact", "Milestones", "Planned", "Forecast", "Done", "Today")
    today = date(2026, 1, 5)
    render_charts(
        ChartData(
            heat=(HeatCell(3, 4, ("R-1",)),),
            timeline=(TimelineRow("MS-1", today, today, None, "on_track"),),
            today=today,
        ),
        words,
        words,
    )
    return os.getpid()


class ChartPool:
    """A bounded pool of worker processes that draw charts: data in, PNG bytes out.

    Started on the first chart, or warmed by `start` (a long-lived process pays the workers' start before its
    first digest); a broken pool (a worker killed) fails that render with `ChartsUnavailable` and is replaced
    on the next one; `close` stops the workers with the runtime.
    """

    def __init__(self, workers: int = WORKERS) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._warming: list[Future[int]] = []
        # `start` runs in a thread (starting a worker waits for the forkserver to import matplotlib: a second
        # or more that must not hold up the event loop, or /healthz at start-up); one executor whoever asks.
        self._lock = threading.Lock()

    @property
    def pids(self) -> list[int]:
        """The workers' process ids (a test kills one to see the fallback)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return sorted(processes)

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            return self._pool_locked()

    def _pool_locked(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_worker_start,
                initargs=(os.getpid(), logging.getLogger().getEffectiveLevel(), _log_format()),
            )
        return self._executor

    def start(self) -> None:
        """Start and warm every worker, without waiting for the warm-up; blocks until the workers exist (the
        forkserver imports matplotlib first), so a long-lived process calls it in a thread (Runtime.start)."""
        pool = self._pool()
        self._warming = [pool.submit(warm_up) for _ in range(self.workers)]

    async def render(self, data: ChartData, text: ChartText, fallback: ChartText) -> list[Picture]:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers * QUEUED_PER_WORKER)
        async with self._slots:
            pool = self._pool()
            try:
                return await asyncio.wrap_future(pool.submit(render_charts, data, text, fallback))
            except BrokenProcessPool as exc:
                if self._executor is pool:
                    self._executor = None
                    pool.shutdown(wait=False, cancel_futures=True)
                log.warning("the chart pool broke (%s): a new one draws the next charts", exc)
                raise ChartsUnavailable(str(exc)) from exc

    async def close(self) -> None:
        pool, self._executor = self._executor, None
        if pool is not None:
            # shutdown(wait=True) joins the workers: in a thread, so the loop keeps serving while a render ends
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


_pool: ChartPool | None = None


def use_pool(pool: ChartPool) -> None:
    """The runtime's chart pool draws every digest's charts in this process from now on."""
    global _pool
    _pool = pool


def stop_using(pool: ChartPool) -> None:
    """The runtime that owns `pool` stopped (another runtime in the process may have its own in use)."""
    global _pool
    if _pool is pool:
        _pool = None


async def draw(data: ChartData, text: ChartText, fallback: ChartText) -> list[Picture]:
    """The digest's pictures, drawn in the runtime's pool (in a thread when no runtime runs: a script)."""
    if _pool is None:
        return await asyncio.to_thread(render_charts, data, text, fallback)
    return await _pool.render(data, text, fallback)
