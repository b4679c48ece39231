"""Record references as people type them: `R-7`, `r7`, `MS-2`, `#A-12`, `rq-3`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.kinds import KINDS
from bot.errors import UsageError

PREFIXES = {k.prefix: k.name for k in KINDS}
# Longest prefixes first, so `MS-2` is a milestone and not `M` followed by `S-2`.
_ALTERNATIVES = "|".join(sorted(PREFIXES, key=len, reverse=True))
_REF = re.compile(rf"^#?({_ALTERNATIVES})[-\s]?(\d{{1,9}})$", re.IGNORECASE)


@dataclass(frozen=True)
class Ref:
    prefix: str
    number: int

    def __str__(self) -> str:
        return f"{self.prefix}-{self.number}"


def format_ref(prefix: str, number: int) -> str:
    return f"{prefix}-{number}"


def parse_ref(text: str, prefix: str, *, example: str) -> Ref:
    """Read a reference of one kind; anything else is a UsageError naming what was expected."""
    m = _REF.match(text.strip())
    if not m or m.group(1).upper() != prefix:
        raise UsageError("refs.bad_ref", example, text=text.strip()[:40] or "—", prefix=prefix)
    return Ref(prefix, int(m.group(2)))


def leading_ref(text: str) -> str | None:
    """The reference a command's text starts with (`R-7` in `show R-7`), normalised; None if it starts otherwise."""
    words = text.split(maxsplit=1)
    m = _REF.match(words[0]) if words else None
    return format_ref(m.group(1).upper(), int(m.group(2))) if m else None
