"""Combine the benchmarks' JSON into bench/results/summary.json and one markdown table, so a run ends
with every figure, its target and whether it was met, next to the machine load it was measured under.

Run: .venv/bin/python -m bench.summary [--since UNIX_TIME]   (bench/run_all does this at the end)
"""

from __future__ import annotations

import argparse
import fnmatch
import json
from datetime import UTC, datetime
from typing import Any

from bench.common import RESULTS, Check, machine, markdown_table

ORDER = ("ack", "ack_background", "digest_scaling", "fanout", "timeparse", "startup", "memory_hostile")

# Issue 17's targets, each found among a benchmark's rows by the start of its metric's name (a glob).
ISSUE_17: tuple[tuple[str, str, str], ...] = (
    ("Completed commands ≥ 0.5 × bare acks/s (SQLite)", "ack", "Liaison/SQLite flood: completed commands"),
    ("Completed commands ≥ 0.5 × bare acks/s (PostgreSQL)", "ack", "Liaison/PostgreSQL flood: completed"),
    ("Every acked command answered (SQLite)", "ack", "Liaison/SQLite flood: acked →"),
    ("Every acked command answered (PostgreSQL)", "ack", "Liaison/PostgreSQL flood: acked →"),
    ("Ack p99 ≤ 30 ms at a paced 50/s (SQLite)", "ack", "Liaison/SQLite paced 50/s: ack p99"),
    ("Ack p99 ≤ 30 ms at a paced 50/s (PostgreSQL)", "ack", "Liaison/PostgreSQL paced 50/s: ack p99"),
    ("Ack p99 ≤ 100 ms, 8-connection flood (SQLite)", "ack", "Liaison/SQLite flood: ack p99"),
    ("Ack p99 ≤ 100 ms, 8-connection flood (PostgreSQL)", "ack", "Liaison/PostgreSQL flood: ack p99"),
    ("No ack near Slack's 3 s (SQLite flood)", "ack", "Liaison/SQLite flood: ack max"),
    ("No ack near Slack's 3 s (PostgreSQL flood)", "ack", "Liaison/PostgreSQL flood: ack max"),
    ("PostgreSQL ack throughput ≥ 0.7 × bare", "ack", "Liaison/PostgreSQL flood: ack throughput ÷ bare"),
    ("Ack p99 ≤ 100 ms while 1,000 client digests run", "ack_background", "Liaison/*: ack p99"),
    ("Fan-out: first delivery ≤ 2 s after due", "fanout", "fan-out/SQLite: first"),
    ("Fan-out: all within the minute", "fanout", "fan-out/SQLite: all"),
    ("Fan-out: 0 duplicates", "fanout", "fan-out/SQLite: duplicates"),
    ("Fan-out: 0 lost", "fanout", "fan-out/SQLite: losses"),
    ("Memory: idle RSS ≤ 150 MB", "startup", "resident memory idle"),
    ("Memory: under load ≤ 250 MB", "startup", "resident memory under load"),
    ("Memory: drained within 20% of idle", "startup", "resident memory once drained"),
    ("Memory: 4,000 hostile commands grow RSS < 50 MB", "memory_hostile", "RSS growth"),
    ("Start-up to /healthz ≤ 2 s (fresh database)", "startup", "start-up to /healthz 200, fresh"),
    ("Start-up to /healthz ≤ 2 s (existing database)", "startup", "start-up to /healthz 200, existing"),
)


def issue_17_rows(checks_by_bench: dict[str, list[dict[str, Any]]]) -> list[Check]:
    """One row per issue-17 target (several where a benchmark measures it more than once), with its value
    and met / missed; a target no benchmark measured in this run is a miss, named as such."""
    rows: list[Check] = []
    for target, bench, prefix in ISSUE_17:
        found = [
            c
            for c in checks_by_bench.get(bench, [])
            if fnmatch.fnmatchcase(c["metric"], prefix + "*") and c["met"] is not None
        ]
        if not found:
            rows.append(Check(target, f"not measured in this run ({bench})", "", False))
        for c in found:
            name = target if len(found) == 1 else f"{target} — {c['metric']}"
            rows.append(Check(name, c["value"], c["target"], c["met"]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--since", type=float, default=0.0, help="ignore result files older than this")
    args = parser.parse_args()
    benches: dict[str, Any] = {}
    rows: list[Check] = []
    missing: list[str] = []
    for number, name in enumerate(ORDER, start=1):
        path = RESULTS / f"{name}.json"
        if not path.exists() or path.stat().st_mtime < args.since:
            missing.append(name)
            rows.append(Check(f"{number}. {name}", "no result in this run (failed or not run)", "", False))
            continue
        data = json.loads(path.read_text())
        benches[name] = {
            "checks": data["checks"],
            "notes": data["notes"],
            "machine": data["machine"],
            "finished_at": data["finished_at"],
        }
        rows += [Check(f"{number}. {c['metric']}", c["value"], c["target"], c["met"]) for c in data["checks"]]
    targeted = [r for r in rows if r.met is not None]
    met = sum(1 for r in targeted if r.met)
    summary: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "targets_met": met,
        "targets": len(targeted),
        "missing": missing,
        "rows": [r.__dict__ for r in rows],
        "benches": benches,
    }
    issue = issue_17_rows({name: bench["checks"] for name, bench in benches.items()})
    summary["issue_17"] = [r.__dict__ for r in issue]
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print("\n# Liaison benchmarks\n")
    print(markdown_table(rows))
    print(f"\n{met} of {len(targeted)} targets met. Load average now {summary['machine']['loadavg']}.")
    print("\n## Issue 17: fast all the way through\n")
    print(markdown_table(issue).replace("| yes |", "| met |").replace("| **NO** |", "| **missed** |"))
    print(f"\n{sum(1 for r in issue if r.met)} of {len(issue)} met.")
    for name, bench in benches.items():
        for note in bench["notes"]:
            print(f"- {name}: {note}")
        print(
            f"- {name}: load average {bench['machine']['loadavg_before']} -> {bench['machine']['loadavg_after']}"
        )
    print(f"\n(written to {(RESULTS / 'summary.json').relative_to(RESULTS.parent.parent)})")


if __name__ == "__main__":
    main()
