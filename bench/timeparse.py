"""Benchmark 5: time-expression parsing, per phrase, warm (repeated in one process) and cold (the first
call in a fresh process, with and without the app's start-up `warm_up()`), because a user's first
`/sync every …` after a deploy must not be the slow one.

Run: .venv/bin/python -m bench.timeparse [--quick] [--repeats 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import PYTHON, REPO, Check, fmt, latency_ms, markdown_table, write_result

MOMENTS = (
    "tomorrow 9am",
    "next Friday 15:00",
    "in 3 days",
    "Dec 1 10:00",
    "2026-12-01",
    "明天上午10点",
    "下周五下午3点",
    "后天下午2点半",
    "12月1日 10:00",
    "3天后",
    "周五下午三点",
    # issue 14: phrases the way people type them
    "tonight at 8",
    "end of this week",
    "a quarter to seven",
    "2 weeks from jan 15",
    "the first friday of july",
    "2027-03-01T12:30:00",
    "in 4 business days",
    "thanksgiving",
    "christmas 2027",
    "下禮拜五下午3點",
    "十二月三十一日下午三点",
    "中秋节",
    "明年春节",
    "3个工作日后",
    "下个月最后一个工作日",
)
RECURRENCES = (
    "every Tuesday 10am",
    "every weekday at 9:30",
    "every 2 weeks on Monday 14:00",
    "every month on the 1st",
    "first Monday of the month 10:00",
    "daily 18:00",
    "每周二上午10点",
    "每个工作日9点半",
    "每两周周一下午2点",
    "每月1号上午10点",
    "每天18点",
    # issue 14
    "mondays and thursdays at 9",
    "weekday mornings at 8:30",
    "every other week on monday at 10am",
    "last working day of the month at 5pm",
    "每月最后一个工作日下午5点",
    "每季度第一个周一",
)
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=TZ)  # fixed, so every run parses the same thing
COUNTRY = "CN"  # a project with the Chinese holiday calendar: the slowest first use
WARM_P99_TARGET_MS = 5.0
FIRST_CALL_TARGET_MS = 100.0


def parse(kind: str, phrase: str) -> object:
    from bot.timeexpr import parse_moment, parse_recurrence

    if kind == "moment":
        return parse_moment(phrase, now=NOW, tz=TZ)
    return parse_recurrence(phrase, tz=TZ, now=NOW, country=COUNTRY)


def phrases() -> list[tuple[str, str]]:
    return [("moment", p) for p in MOMENTS] + [("recurrence", p) for p in RECURRENCES]


def first_call(kind: str, phrase: str, warm: bool) -> dict[str, Any]:
    """In a fresh process: import, optionally warm up as Runtime.start does, then time one parse."""
    t0 = time.perf_counter()
    import bot.timeexpr as timeexpr

    imported = time.perf_counter() - t0
    warmed = 0.0
    if warm:
        t0 = time.perf_counter()
        timeexpr.warm_up()
        warmed = time.perf_counter() - t0
    t0 = time.perf_counter()
    try:
        parse(kind, phrase)
        error = None
    except Exception as exc:  # a phrase the grammar refuses is a finding, not a crash
        error = f"{type(exc).__name__}: {exc}"
    return {
        "first_ms": round((time.perf_counter() - t0) * 1000, 3),
        "import_ms": round(imported * 1000, 1),
        "warm_up_ms": round(warmed * 1000, 1),
        "error": error,
    }


async def cold(kind: str, phrase: str, warm: bool) -> dict[str, Any]:
    args = [PYTHON, "-m", "bench.timeparse", "--first", kind, phrase] + (["--warm-up"] if warm else [])
    proc = await asyncio.create_subprocess_exec(*args, cwd=REPO, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return dict(json.loads(out.decode().strip().splitlines()[-1]))


def warm_figures(repeats: int) -> tuple[float, dict[str, dict[str, Any]]]:
    from bot.timeexpr import warm_up

    t0 = time.perf_counter()
    warm_up()
    warmed = time.perf_counter() - t0
    found: dict[str, dict[str, Any]] = {}
    for kind, phrase in phrases():
        try:
            result = repr(parse(kind, phrase))
        except Exception as exc:
            found[phrase] = {"kind": kind, "error": f"{type(exc).__name__}: {exc}"}
            continue
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            parse(kind, phrase)
            times.append(time.perf_counter() - t0)
        found[phrase] = {"kind": kind, "parsed": result[:160], "warm_ms": latency_ms(times)}
    return warmed, found


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer warm repetitions (100)")
    parser.add_argument("--seconds", type=float, default=None, help="(unused; accepted like every bench)")
    parser.add_argument("--repeats", type=int, default=None, help="warm calls per phrase (default 300)")
    parser.add_argument("--first", nargs=2, metavar=("KIND", "PHRASE"), help=argparse.SUPPRESS)
    parser.add_argument("--warm-up", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first:
        print(json.dumps(first_call(args.first[0], args.first[1], args.warm_up)))
        return
    load_before = [round(x, 2) for x in os.getloadavg()]
    repeats = args.repeats or (100 if args.quick else 300)
    warm_up_s, table = warm_figures(repeats)
    for kind, phrase in phrases():
        table[phrase]["cold"] = await cold(kind, phrase, warm=False)
        table[phrase]["after_warm_up"] = await cold(kind, phrase, warm=True)
    rows = []
    for phrase, row in table.items():
        warm = row.get("warm_ms", {})
        rows.append(
            Check(
                f"`{phrase}` ({row['kind']})",
                f"warm p50 {fmt(warm.get('p50', float('nan')), ' ms', 3)}, p99 {fmt(warm.get('p99', float('nan')), ' ms', 3)}; "
                f"first call {fmt(row['cold']['first_ms'], ' ms')} cold, "
                f"{fmt(row['after_warm_up']['first_ms'], ' ms')} after warm_up"
                + (
                    f"; ERROR {row.get('error') or row['cold']['error']}"
                    if row.get("error") or row["cold"]["error"]
                    else ""
                ),
            )
        )
    print("\n### per phrase\n")
    print(markdown_table(rows))
    ok = [r for r in table.values() if "warm_ms" in r]
    worst_warm = max(ok, key=lambda r: r["warm_ms"]["p99"])
    worst_cold = max(table.items(), key=lambda kv: kv[1]["cold"]["first_ms"])
    worst_after = max(table.items(), key=lambda kv: kv[1]["after_warm_up"]["first_ms"])
    errors = [p for p, r in table.items() if r.get("error")]
    warm_p99 = worst_warm["warm_ms"]["p99"]
    after_ms = worst_after[1]["after_warm_up"]["first_ms"]
    worst_warm_phrase = next(p for p, r in table.items() if r is worst_warm)
    checks = [
        Check(
            f"time parsing: warm p99, worst of {len(table)} phrases (`{worst_warm_phrase}`)",
            fmt(warm_p99, " ms", 3),
            f"≤ {WARM_P99_TARGET_MS:.0f} ms",
            warm_p99 <= WARM_P99_TARGET_MS,
        ),
        Check(
            f"time parsing: first call after warm_up(), worst (`{worst_after[0]}`)",
            fmt(after_ms, " ms", 2),
            f"≤ {FIRST_CALL_TARGET_MS:.0f} ms",
            after_ms <= FIRST_CALL_TARGET_MS,
        ),
        Check(
            f"time parsing: first call with no warm_up(), worst (`{worst_cold[0]}`)",
            fmt(worst_cold[1]["cold"]["first_ms"], " ms", 1),
        ),
        Check("time parsing: warm_up() at start-up", fmt(warm_up_s * 1000, " ms", 0)),
        Check(
            "time parsing: phrases refused",
            str(len(errors)) + (f" ({', '.join(errors)})" if errors else ""),
            "0",
            not errors,
        ),
    ]
    write_result(
        "timeparse",
        params={"repeats": repeats, "now": NOW.isoformat(), "tz": str(TZ), "country": COUNTRY},
        results={"warm_up_ms": round(warm_up_s * 1000, 1), "phrases": table},
        checks=checks,
        load_before=load_before,
        notes=[
            f"Warm: {repeats} calls per phrase after one untimed call, in one process after warm_up(). "
            "Cold: one fresh process per phrase and mode, timing only the first parse (not the import)."
        ],
    )


if __name__ == "__main__":
    asyncio.run(main())
