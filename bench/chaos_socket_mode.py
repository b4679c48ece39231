"""Socket Mode under breaks, measured: the long version of tests/chaos/test_socket_mode.py on SQLite and
PostgreSQL. Commands over a fake Socket Mode server whose connection is broken along the way (a `disconnect`,
a cut TCP connection, lost acks, a closing frame); prints acked / stored / duplicated, reconnects, the slowest
ack and the longest time without a connection.

Run: .venv/bin/python -m bench.chaos_socket_mode [--quick] [--commands N] [--breaks N] [--no-postgres]
PostgreSQL: TEST_DATABASE_URL (default postgresql+asyncpg://postgres@127.0.0.1:5432/test), a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path
from typing import Any

from bench.common import Check, write_result
from tests.chaos.test_socket_mode import socket_mode_under_breaks
from tests.harness.app import create_private_database, drop_private_database

PG = os.environ.get("TEST_DATABASE_URL") or "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


async def on_each_database(run: Any, *, postgres: bool, label: str) -> dict[str, dict[str, Any]]:
    """Run `run(database_url)` on a SQLite file, then on a private PostgreSQL database (if reachable)."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as work:
        results["sqlite"] = await run(f"sqlite+aiosqlite:///{Path(work) / f'{label}.sqlite3'}")
        print(f"[chaos] {label} sqlite: {results['sqlite']}", flush=True)
    if postgres:
        try:
            private = await create_private_database(PG)
        except Exception as exc:  # not reachable: say so, go on
            print(f"[chaos] {label} postgresql skipped: {type(exc).__name__}: {exc}")
            return results
        try:
            results["postgresql"] = await run(private)
            print(f"[chaos] {label} postgresql: {results['postgresql']}", flush=True)
        finally:
            await drop_private_database(PG, private)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="60 commands, 4 breaks")
    parser.add_argument("--seconds", type=float, default=None, help="ignored (no timed phase)")
    parser.add_argument("--commands", type=int, default=None)
    parser.add_argument("--breaks", type=int, default=None)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    count = args.commands or (60 if args.quick else 300)
    breaks = args.breaks or (4 if args.quick else 12)
    load_before = list(os.getloadavg())

    async def run(url: str) -> dict[str, Any]:
        return await socket_mode_under_breaks(url, count=count, breaks=breaks)

    results = asyncio.run(on_each_database(run, postgres=not args.no_postgres, label="socket_mode"))
    checks: list[Check] = []
    for db, r in results.items():
        checks += [
            Check(
                f"{db}: acked / sent",
                f"{r['acked']} / {r['commands']}",
                "all",
                r["acked"] == r["commands"],
            ),
            Check(
                f"{db}: carried out + refused in the ack (busy)",
                f"{r['stored']} + {r['refused_in_ack']}",
                "= sent",
                r["stored"] + r["refused_in_ack"] == r["commands"],
            ),
            Check(
                f"{db}: answered / carried out",
                f"{r['answered']} / {r['stored']}",
                "all",
                r["answered"] == r["stored"],
            ),
            Check(
                f"{db}: refused in the ack yet stored",
                str(r["refused_but_stored"]),
                "0",
                r["refused_but_stored"] == 0,
            ),
            Check(f"{db}: duplicated", str(r["duplicated"]), "0", r["duplicated"] == 0),
            Check(
                f"{db}: reconnects after {r['breaks']} breaks",
                str(r["reconnects"]),
                ">= 1",
                r["reconnects"] >= 1,
            ),
            Check(f"{db}: slowest ack", f"{r['slowest_ack_ms']} ms", "< 3000 ms", r["slowest_ack_ms"] < 3000),
            Check(f"{db}: longest without a connection", f"{r['longest_reconnect_ms']} ms", ""),
        ]
    write_result(
        "chaos_socket_mode",
        params={"commands": count, "breaks": breaks},
        results=results,
        checks=checks,
        load_before=load_before,
    )


if __name__ == "__main__":
    main()
