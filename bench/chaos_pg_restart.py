"""Chaos: PostgreSQL restarted under steady `/risk add` commands (issue 15's fault suite), on a throw-away
server of its own (initdb + pg_ctl in a temp dir, run as the `postgres` OS user when root): the shared
PostgreSQL is never touched. A real `liaison run --http` keeps serving through `pg_ctl restart -m fast` and
`-m immediate` (a crash, recovered at start). Prints what was sent, acked, refused in the ack, stored,
answered, lost, duplicated, how long the database was down and how soon commands succeeded again.
Figures, not assertions (tests/chaos/test_pg_restart.py holds the same scenario to its guarantees).

    .venv/bin/python -m bench.chaos_pg_restart                  # 1,200 commands at 20/s, 4 restarts: ~75 s
    .venv/bin/python -m bench.chaos_pg_restart --quick          # 400 commands, 2 restarts
    .venv/bin/python -m bench.chaos_pg_restart --repo /tmp/old  # another source tree, for before/after

Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin or initdb/pg_ctl on PATH): without them it
says so and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from tests.chaos.harness import REPO
from tests.chaos.scenarios import PG_HOME, postgres_bindir, restart_postgres, show


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument(
        "--quick", action="store_true", help="400 commands, one fast and one immediate restart"
    )
    parser.add_argument("--rate", type=float, default=20.0, help="commands a second (default 20)")
    parser.add_argument("--repo", type=Path, default=REPO, help="the source tree the server runs")
    args = parser.parse_args()
    bindir = postgres_bindir()
    if bindir is None:
        print(
            f"no PostgreSQL server binaries (initdb, pg_ctl) under {PG_HOME}/*/bin or on PATH",
            file=sys.stderr,
        )
        return 1
    modes = ("fast", "immediate") if args.quick else ("fast", "immediate", "fast", "immediate")
    n = 400 if args.quick else 1200
    print(
        f"PostgreSQL from {bindir}; {n} commands at {args.rate:g}/s; restarts: {', '.join(modes)}", flush=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        figures = await restart_postgres(Path(tmp), n=n, rate=args.rate, modes=modes, repo=args.repo)
    print(show(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
