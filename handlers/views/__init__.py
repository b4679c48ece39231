"""Interactive views (modal submissions), one module per feature, each exposing `register(app)`.

Every module of the package is found and registered at start (the runner, which holds the shared plumbing,
registers nothing): a new kind's module needs no line here.
"""

from __future__ import annotations

import importlib
import pkgutil

from slack_bolt.async_app import AsyncApp

PLUMBING = frozenset({"runner"})


def register(app: AsyncApp) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in PLUMBING:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(app)
