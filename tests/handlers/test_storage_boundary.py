"""Handlers reach storage only through the domain: no repository, no SQL toolkit, no session queries.

Importing `storage.models` for types is fine. STILL_TO_MOVE listed the files that predated the rule
(issue 11); the test fails when one of them no longer needs its place on the list, so the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
FORBIDDEN = ("storage.repo", "sqlmodel", "sqlalchemy")
QUERIES = {"exec", "execute", "get", "add", "scalar", "scalars", "delete", "flush"}  # called on a `session`

STILL_TO_MOVE: set[str] = set()  # empty since the jobs moved (issue 11): keep it that way


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        bad = [name for name in names if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)]
        if bad:
            found.append(f"line {node.lineno}: imports {bad[0]}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERIES
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "session"
        ):
            found.append(f"line {node.lineno}: session.{node.func.attr}(...)")
    return found


def test_handlers_reach_storage_only_through_the_domain() -> None:
    offenders: dict[str, list[str]] = {}
    for path in sorted(HANDLERS.rglob("*.py")):
        problems = _problems(path)
        if problems:
            offenders[path.relative_to(HANDLERS).as_posix()] = problems
    new = {name: lines for name, lines in offenders.items() if name not in STILL_TO_MOVE}
    assert not new, f"handlers must call bot/domain/ instead: {new}"
    moved = STILL_TO_MOVE - offenders.keys()
    assert not moved, f"no longer reach storage directly; take them off STILL_TO_MOVE: {sorted(moved)}"


def test_the_scan_sees_what_it_forbids(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from sqlmodel import select\nimport sqlalchemy\nfrom storage.repo import projects\n"
        "from storage import repo\nfrom storage.models import Project\n"
        "async def f(session):\n    await session.get(Project, 1)\n",
        encoding="utf-8",
    )
    assert _problems(sample) == [
        "line 1: imports sqlmodel",
        "line 2: imports sqlalchemy",
        "line 3: imports storage.repo",
        "line 4: imports storage.repo",
        "line 7: session.get(...)",
    ]
