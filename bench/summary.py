"""Combine the benchmarks' JSON into bench/results/summary.json and one markdown table, so a run ends
with every figure, its target and whether it was met, next to the machine load it was measured under.

Run: .venv/bin/python -m bench.summary [--since UNIX_TIME]   (bench/run_all does this at the end)
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from bench.common import RESULTS, Check, machine, markdown_table

ORDER = ("ack", "ack_background", "digest_scaling", "fanout", "timeparse", "startup", "memory_hostile")


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
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print("\n# Liaison benchmarks\n")
    print(markdown_table(rows))
    print(f"\n{met} of {len(targeted)} targets met. Load average now {summary['machine']['loadavg']}.")
    for name, bench in benches.items():
        for note in bench["notes"]:
            print(f"- {name}: {note}")
        print(
            f"- {name}: load average {bench['machine']['loadavg_before']} -> {bench['machine']['loadavg_after']}"
        )
    print(f"\n(written to {(RESULTS / 'summary.json').relative_to(RESULTS.parent.parent)})")


if __name__ == "__main__":
    main()
