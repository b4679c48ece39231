"""Exports: a project's records as tables with stable columns, in CSV, XLSX or Markdown.

One `KindExport` per record kind (bot/domain/kinds.py) names its columns, which of them only the team sees,
and the columns search finds it by (bot/domain/search.py): adding a kind to exports and search is its line
in `EXPORTS`. Columns are documented in the README ("Exports"); never rename one, add new ones at the end.

Who sees what is the policy's: a client viewer, or anyone in a client-facing place, gets only `client` records
and no team-only column. Dates are ISO 8601: a day as `2026-12-08`, an instant with the project's offset
(`2026-12-08T10:00:00+08:00`); every row carries the project's `zone`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.kinds import BY_NAME, RecordKind
from bot.domain.records import ref_of
from bot.errors import UsageError
from bot.policy import Place, Viewer, shows_internal_fields, visible
from storage.models import Project
from storage.repo import search as repo

Format = Literal["csv", "xlsx", "md"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "md")
Value = str | int | float | None


@dataclass(frozen=True)
class Col:
    name: str
    get: Callable[[Any, str], Value]  # (record, project zone) → value
    team_only: bool = False  # internal field: never in a client's export
    typed: bool = False  # people's text: kept verbatim, guarded against spreadsheet formulas


@dataclass(frozen=True)
class KindExport:
    kind: str  # the registry name ("risk")
    plural: str  # the export's name for it: file, sheet and section ("risks")
    columns: tuple[Col, ...]
    search: tuple[str, ...]  # the model's columns search finds a record by (client-safe text only)
    status: Callable[[Any], str]

    @property
    def record_kind(self) -> RecordKind:
        return BY_NAME[self.kind]


def instant(at: datetime | None, tz: str) -> str | None:
    return at.astimezone(ZoneInfo(tz)).isoformat(timespec="seconds") if at is not None else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _attr(name: str) -> Callable[[Any, str], Value]:
    return lambda record, _tz: getattr(record, name)


def _instant(name: str) -> Callable[[Any, str], Value]:
    return lambda record, tz: instant(getattr(record, name), tz)


def _day(name: str) -> Callable[[Any, str], Value]:
    return lambda record, _tz: day(getattr(record, name))


def _text(name: str, *, team_only: bool = False) -> Col:
    return Col(name, _attr(name), team_only=team_only, typed=True)


def _minutes_status(m: Any) -> str:
    if m.changed_since_confirmed:
        return "changed"
    if m.confirmed_hash:
        return "confirmed"
    return "sent" if m.sent_hash else "draft"


def _milestone_status(m: Any) -> str:
    if m.accepted_at is not None:
        return "accepted"
    return "done" if m.done_on is not None else "open"


def _requirement_status(r: Any) -> str:
    return "baselined" if r.baseline_version is not None else "draft"


ID = Col("id", lambda record, _tz: ref_of(record))
STATUS = Col("status", lambda record, _tz: EXPORT_OF_MODEL[type(record)].status(record))
OWNER = (_text("owner_name"), Col("owner_user_id", _attr("owner_user_id")))
TAIL = (
    Col("visibility", _attr("visibility"), team_only=True),
    Col("created_by", _attr("created_by"), team_only=True),
    Col("created_at", _instant("created_at")),
    Col("updated_at", _instant("updated_at")),
    Col("zone", lambda _record, tz: tz),
)

EXPORTS: tuple[KindExport, ...] = (
    KindExport(
        "minutes",
        "minutes",
        (
            ID,
            _text("title"),
            Col("meeting_on", _day("meeting_on")),
            _text("client_attendees"),
            _text("notes"),
            STATUS,
            *TAIL,
        ),
        search=("title", "client_attendees", "notes"),
        status=_minutes_status,
    ),
    KindExport(
        "action",
        "actions",
        (
            ID,
            _text("text"),
            *OWNER,
            Col("due_on", _day("due_on")),
            Col("due_at", _instant("due_at")),
            STATUS,
            Col("done_at", _instant("done_at")),
            *TAIL,
        ),
        search=("text", "owner_name"),
        status=lambda a: str(a.status),
    ),
    KindExport(
        "decision",
        "decisions",
        (ID, _text("text"), Col("decided_on", _day("decided_on")), STATUS, *TAIL),
        search=("text",),
        status=lambda _d: "decided",
    ),
    KindExport(
        "risk",
        "risks",
        (
            ID,
            _text("title"),
            Col("probability", _attr("probability")),
            Col("impact", _attr("impact")),
            Col("score", lambda r, _tz: int(r.probability) * int(r.impact)),
            Col("strategy", _attr("strategy")),
            *OWNER,
            Col("due_on", _day("due_on")),
            STATUS,
            _text("response"),
            Col("closed_at", _instant("closed_at")),
            _text("close_note"),
            *TAIL,
        ),
        search=("title", "response", "close_note"),
        status=lambda r: str(r.status),
    ),
    KindExport(
        "milestone",
        "milestones",
        (
            ID,
            _text("title"),
            Col("planned_on", _day("planned_on")),
            Col("forecast_on", _day("forecast_on")),
            Col("done_on", _day("done_on")),
            Col("accepted_at", _instant("accepted_at")),
            Col("criteria", lambda m, _tz: "\n".join(m.criteria or []), typed=True),
            STATUS,
            *TAIL,
        ),
        search=("title",),
        status=_milestone_status,
    ),
    KindExport(
        "change",
        "changes",
        (
            ID,
            _text("title"),
            _text("why"),
            Col("impact_days", _attr("impact_days")),
            Col("impact_hours", _attr("impact_hours")),
            Col("impact_cost", _attr("impact_cost")),
            Col("affects", lambda c, _tz: ", ".join(c.affects or []), team_only=True),
            STATUS,
            *TAIL,
        ),
        search=("title", "why"),
        status=lambda c: str(c.status),
    ),
    KindExport(
        "requirement",
        "requirements",
        (
            ID,
            _text("text"),
            Col("priority", _attr("priority")),
            Col("baseline_version", _attr("baseline_version")),
            STATUS,
            *TAIL,
        ),
        search=("text",),
        status=_requirement_status,
    ),
    KindExport(
        "issue",
        "issues",
        (
            ID,
            Col("type", _attr("kind")),  # issue | question
            _text("title"),
            _text("description"),
            Col("severity", _attr("severity")),
            *OWNER,
            Col("due_at", _instant("due_at")),
            STATUS,
            Col("first_response_at", _instant("first_response_at")),
            Col("resolved_at", _instant("resolved_at")),
            _text("resolution"),
            Col("raised_by_client", lambda i, _tz: "yes" if i.raised_external else "no"),
            Col("raised_by", _attr("raised_by"), team_only=True),
            *TAIL,
        ),
        search=("title", "description", "resolution"),
        status=lambda i: str(i.status),
    ),
    KindExport(
        "lesson",
        "lessons",
        (ID, _text("text"), Col("kind", _attr("kind")), Col("source", _attr("source")), STATUS, *TAIL),
        search=("text",),
        status=lambda lesson: str(lesson.kind),  # went-well | to-improve | general
    ),
)

BY_PLURAL: dict[str, KindExport] = {e.plural: e for e in EXPORTS}
EXPORT_OF_MODEL: dict[type[Any], KindExport] = {e.record_kind.model: e for e in EXPORTS}


# ---- composing -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    kind: KindExport
    columns: tuple[Col, ...]
    rows: list[list[Value]]

    @property
    def name(self) -> str:
        return self.kind.plural

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Export:
    project: str
    zone: str
    sheets: list[Sheet]

    @property
    def empty(self) -> bool:
        return not any(sheet.rows for sheet in self.sheets)

    @property
    def counts(self) -> dict[str, int]:
        return {sheet.name: len(sheet.rows) for sheet in self.sheets}


def columns_for(kind: KindExport, *, team: bool) -> tuple[Col, ...]:
    return tuple(c for c in kind.columns if team or not c.team_only)


def sheet(kind: KindExport, records: Sequence[Any], *, viewer: Viewer, place: Place, tz: str) -> Sheet:
    """The rows and columns of `records` that `viewer`, in `place`, may see (the policy decides both)."""
    columns = columns_for(kind, team=shows_internal_fields(viewer, place))
    return Sheet(kind, columns, [[c.get(r, tz) for c in columns] for r in visible(viewer, place, records)])


async def compose(
    session: AsyncSession, *, project: Project, kinds: Sequence[KindExport], viewer: Viewer, place: Place
) -> Export:
    """What `viewer`, in `place`, may export of `project`."""
    assert project.id is not None
    sheets = []
    for kind in kinds:
        records = await repo.list_live(session, kind.record_kind.model, project_id=project.id)
        sheets.append(sheet(kind, records, viewer=viewer, place=place, tz=project.tz))
    return Export(project=project.name, zone=project.tz, sheets=sheets)


# The command line runs where the database is, for the team that operates Liaison: the team's view.
OFFLINE_VIEWER = Viewer(user_id="cli", team_id="cli", home_team_id="cli")
OFFLINE_PLACE = Place(channel_id="cli", shared=False)


async def find_projects(session: AsyncSession, name_or_id: str) -> list[Project]:
    return await repo.find_projects(session, name_or_id=name_or_id)


# ---- formats ---------------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class File:
    filename: str
    content: bytes


def slug(name: str) -> str:
    """A file-name-safe form of a project name; Chinese letters kept."""
    return re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-").lower() or "project"


def _csv_cell(col: Col, value: Value) -> Value:
    # A spreadsheet runs a cell that starts like a formula; people's text gets a leading apostrophe (OWASP).
    if col.typed and isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(export: Export, *, stem: str) -> list[File]:
    """One file per kind, UTF-8 with a BOM (so Excel reads Chinese), a header row of the stable names."""
    files = []
    for sh in export.sheets:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(sh.header)
        for row in sh.rows:
            writer.writerow([_csv_cell(c, v) for c, v in zip(sh.columns, row, strict=True)])
        files.append(File(f"{stem}-{sh.name}.csv", out.getvalue().encode("utf-8-sig")))
    return files


def to_xlsx(export: Export, *, stem: str) -> list[File]:
    """One workbook, one sheet per kind; text cells stay text (never formulas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for sh in export.sheets:
        ws = book.create_sheet(sh.name)
        ws.append(sh.header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(sh.rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # "=1+1" typed by someone stays those characters
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return [File(f"{stem}.xlsx", out.getvalue())]


def md_cell(value: Value) -> str:
    if value is None:
        return ""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "\n").replace("\n", "<br>")


def to_markdown(export: Export, *, stem: str, title: str) -> list[File]:
    """One file: a table per kind (pipes escaped, line breaks as <br>)."""
    lines = [f"# {md_cell(title)}", "", f"zone: {export.zone}", ""]
    for sh in export.sheets:
        lines += [f"## {sh.name}", ""]
        lines.append("| " + " | ".join(sh.header) + " |")
        lines.append("|" + "---|" * len(sh.header))
        lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in sh.rows]
        lines.append("")
    return [File(f"{stem}.md", "\n".join(lines).encode("utf-8"))]


def render(export: Export, fmt: Format, *, stem: str, title: str) -> list[File]:
    if fmt == "csv":
        return to_csv(export, stem=stem)
    if fmt == "xlsx":
        return to_xlsx(export, stem=stem)
    return to_markdown(export, stem=stem, title=title)


def file_stem(project: Project, now: datetime) -> str:
    """`liaison-acme-erp-2026-12-06`: the project and its local date."""
    return f"liaison-{slug(project.name)}-{now.astimezone(ZoneInfo(project.tz)).date().isoformat()}"


# ---- reading `/liaison export [format] [kinds]` ------------------------------------------------------------

EXAMPLE = "export.example"
FORMAT_WORDS: dict[str, Format] = {
    "csv": "csv",
    "xlsx": "xlsx",
    "excel": "xlsx",
    "表格": "xlsx",
    "md": "md",
    "markdown": "md",
}
KIND_WORDS: dict[str, str] = {
    "minute": "minutes",
    "纪要": "minutes",
    "会议纪要": "minutes",
    "action": "actions",
    "行动项": "actions",
    "待办": "actions",
    "decision": "decisions",
    "决策": "decisions",
    "决定": "decisions",
    "risk": "risks",
    "风险": "risks",
    "milestone": "milestones",
    "里程碑": "milestones",
    "change": "changes",
    "变更": "changes",
    "requirement": "requirements",
    "需求": "requirements",
    "issue": "issues",
    "问题": "issues",
    "lesson": "lessons",
    "经验": "lessons",
    "教训": "lessons",
    "经验教训": "lessons",
}
ALL_WORDS = frozenset({"all", "全部", "所有"})


@dataclass(frozen=True)
class ExportRequest:
    fmt: Format
    kinds: tuple[KindExport, ...]


def read_request(text: str, *, default: Format = "xlsx") -> ExportRequest:
    """`xlsx risks actions`, `csv 全部`, `md` (default: XLSX of every kind); an unknown word is a UsageError."""
    fmt: Format | None = None
    chosen: list[KindExport] = []
    for raw in text.replace(",", " ").replace("，", " ").replace("、", " ").split():
        word = raw.lower()
        if word in FORMAT_WORDS:
            if fmt is not None and FORMAT_WORDS[word] != fmt:
                raise UsageError("export.two_formats", EXAMPLE)
            fmt = FORMAT_WORDS[word]
            continue
        if word in ALL_WORDS:
            chosen.extend(EXPORTS)
            continue
        plural = KIND_WORDS.get(word, word)
        if plural not in BY_PLURAL:
            raise UsageError("export.unknown_word", EXAMPLE, word=raw[:40], kinds=", ".join(BY_PLURAL))
        chosen.append(BY_PLURAL[plural])
    kinds = tuple(dict.fromkeys(chosen)) or EXPORTS
    return ExportRequest(fmt or default, kinds)


def kinds_from_names(names: Sequence[str]) -> tuple[KindExport, ...]:
    """The CLI's `--kinds risks,actions` (empty: all); unknown names are a ValueError naming the known ones."""
    if not names or any(n.lower() in ALL_WORDS for n in names):
        return EXPORTS
    unknown = [n for n in names if KIND_WORDS.get(n.lower(), n.lower()) not in BY_PLURAL]
    if unknown:
        raise ValueError(f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(BY_PLURAL)}")
    return tuple(dict.fromkeys(BY_PLURAL[KIND_WORDS.get(n.lower(), n.lower())] for n in names))
