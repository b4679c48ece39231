"""A 429 storm, measured: the long version of tests/chaos/test_rate_limits.py on SQLite and PostgreSQL. Slack
(the fake) answers 30% of chat.postMessage calls 429 with Retry-After: 1; due reminders run concurrently, and a
burst of concurrent posts goes to three channels through the app's Web API client. Prints posted / duplicated /
lost, the 429s answered, HTTP attempts started after a 429 and before its Retry-After passed (target 0), the shortest wait after
a 429, and how long it took.

Run: .venv/bin/python -m bench.chaos_rate_limits [--quick] [--reminders N] [--posts N] [--seed N] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

from bench.chaos_socket_mode import on_each_database
from bench.common import Check, write_result
from tests.chaos.test_rate_limits import RETRY_AFTER, concurrent_posts_in_a_storm, due_reminders_in_a_storm


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="24 reminders, 3 × 12 posts")
    parser.add_argument("--seconds", type=float, default=None, help="ignored (no timed phase)")
    parser.add_argument("--reminders", type=int, default=None)
    parser.add_argument("--posts", type=int, default=None, help="per channel (three channels)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    reminders = args.reminders or (24 if args.quick else 120)
    posts = args.posts or (12 if args.quick else 40)
    load_before = list(os.getloadavg())

    async def run(url: str) -> dict[str, Any]:
        return {
            "reminders": await due_reminders_in_a_storm(url, count=reminders, seed=args.seed),
            "posts": await concurrent_posts_in_a_storm(url, per_channel=posts, seed=args.seed),
        }

    results = asyncio.run(on_each_database(run, postgres=not args.no_postgres, label="rate_limits"))
    checks: list[Check] = []
    for db, both in results.items():
        for name, r in both.items():
            total = r.get("due", r.get("sent"))
            checks += [
                Check(f"{db} {name}: posted / due", f"{r['posted']} / {total}", "all", r["posted"] == total),
                Check(f"{db} {name}: duplicated", str(r["duplicated"]), "0", r["duplicated"] == 0),
                Check(f"{db} {name}: 429s answered / attempts", f"{r['answered_429']} / {r['attempts']}", ""),
                Check(
                    f"{db} {name}: arrived inside a hold (already on their way)",
                    str(r["seen_inside_hold"]),
                    "",
                ),
                Check(
                    f"{db} {name}: calls inside a Retry-After",
                    str(r["early_after_429"]),
                    "0",
                    r["early_after_429"] == 0,
                ),
                Check(
                    f"{db} {name}: shortest wait after a 429",
                    f"{r['shortest_wait_s']} s",
                    f">= {RETRY_AFTER} s",
                    not r["answered_429"] or r["shortest_wait_s"] >= RETRY_AFTER,
                ),
                Check(f"{db} {name}: time", f"{r['seconds']} s", ""),
            ]
    write_result(
        "chaos_rate_limits",
        params={
            "reminders": reminders,
            "posts_per_channel": posts,
            "share_429": 0.3,
            "retry_after": RETRY_AFTER,
        },
        results=results,
        checks=checks,
        load_before=load_before,
    )


if __name__ == "__main__":
    main()
