"""The close-out report as files: Markdown, and a PDF with the charts (risk heat map, milestone timeline).

Pure: a composed `Closeout` (already one view: internal or client) in, bytes out. Both files are made from
the same `lines` of the same composition, so they say the same numbers; people's text is kept verbatim in
the Markdown (with `|` escaped in tables) and printed with the bundled font in the PDF (bot/pdf.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from bot.charts import ChartText, Picture, render_charts
from bot.domain.changes import impact_text
from bot.domain.closeout import Closeout, IssueGroup
from bot.i18n import t
from bot.pdf import FAMILY, FontFile, printable

MD_NAME = "closeout-report-{view}.md"
PDF_NAME = "closeout-report-{view}.pdf"


@dataclass(frozen=True)
class ReportFile:
    filename: str
    title: str
    content: bytes


def chart_text(lang: str) -> ChartText:
    def word(name: str) -> str:
        return t(f"digest.chart.{name}", lang)

    return ChartText(
        heat_title=t("closeout.chart.heat_title", lang),  # every risk of the project, not only open ones
        probability=word("probability"),
        impact=word("impact"),
        timeline_title=word("timeline_title"),
        planned=word("planned"),
        forecast=word("forecast"),
        done=word("done"),
        today=word("today"),
        accepted=word("accepted"),
    )


def _duration(hours: float | None, lang: str) -> str:
    if hours is None:
        return "—"
    if hours < 48:
        return t("closeout.hours", lang, n=f"{hours:g}")
    return t("closeout.days", lang, n=f"{hours / 24:.1f}")


def _day(value: object) -> str:
    return value.isoformat() if value is not None else "—"  # type: ignore[attr-defined]


# ---- one structure, two renderings -----------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Part = Heading | Para | Table


def _severity(group: IssueGroup, lang: str) -> str:
    return t(f"issue.severity.{group.severity}", lang)


def parts(report: Closeout) -> list[Part]:
    """The report, section by section, in the report's language (plain text: no Slack markup)."""
    lang = report.lang
    view = t("closeout.view.client" if report.client_view else "closeout.view.internal", lang)
    f = report.figures()
    none = Para(t("closeout.none", lang))
    out: list[Part] = [
        Heading(t("closeout.title", lang, project=report.project_name), 1),
        Para(
            t(
                "closeout.subtitle",
                lang,
                client=report.client_name,
                today=report.today.isoformat(),
                tz=report.tz,
                view=view,
            )
        ),
        Heading(t("closeout.section.milestones", lang)),
        Para(
            t(
                "closeout.milestones.summary",
                lang,
                count=f["milestones"],
                done=f["done"],
                accepted=f["accepted"],
            )
        ),
    ]
    if report.milestones:
        out.append(
            Table(
                tuple(
                    t(f"closeout.col.{c}", lang)
                    for c in ("ref", "title", "planned", "forecast", "actual", "accepted", "late")
                ),
                tuple(
                    (
                        m.ref,
                        m.title,
                        m.planned.isoformat(),
                        m.forecast.isoformat(),
                        _day(m.done),
                        _day(m.accepted),
                        f"{m.days_late:+d}",
                    )
                    for m in report.milestones
                ),
            )
        )
    out.append(Heading(t("closeout.section.changes", lang)))
    out.append(
        Para(
            t(
                "closeout.changes.total",
                lang,
                count=len(report.changes),
                impact=impact_text(report.approved_total, lang),
            )
        )
    )
    if report.changes:
        out.append(
            Table(
                tuple(t(f"closeout.col.{c}", lang) for c in ("ref", "title", "impact")),
                tuple((c.ref, c.title, impact_text(c.impact, lang)) for c in report.changes),
            )
        )
    out.append(Heading(t("closeout.section.risks", lang)))
    out.append(
        Para(
            t(
                "closeout.risks.summary",
                lang,
                occurred=f["risks_occurred"],
                avoided=f["risks_avoided"],
                open=f["risks_open"],
            )
        )
    )
    for key, lines in (
        ("occurred", report.risks.occurred),
        ("avoided", report.risks.avoided),
        ("open", report.risks.still_open),
    ):
        if lines:
            label = t(f"closeout.risks.{key}", lang)
            out.append(Para(f"{label}: " + "; ".join(f"{r.ref} {r.title}" for r in lines)))
    if not report.client_view:  # how to mark one: the team's command
        out.append(Para(t("closeout.risks.how", lang).replace("`", "")))
    out.append(Heading(t("closeout.section.issues", lang)))
    if report.issues:
        out.append(
            Table(
                tuple(
                    t(f"closeout.col.{c}", lang)
                    for c in ("severity", "raised", "resolved", "open", "average", "longest")
                ),
                tuple(
                    (
                        _severity(g, lang),
                        str(g.raised),
                        str(g.resolved),
                        str(g.still_open),
                        _duration(g.average_hours, lang),
                        _duration(g.longest_hours, lang),
                    )
                    for g in report.issues
                ),
            )
        )
    else:
        out.append(none)
    out.append(Heading(t("closeout.section.actions", lang)))
    out.append(
        Para(
            t(
                "closeout.actions.summary",
                lang,
                done=f["actions_done"],
                overdue=f["actions_overdue"],
                open=f["actions_open"],
            )
        )
    )
    for key, items in (("overdue", report.actions.overdue), ("open", report.actions.still_open)):
        if items:
            out.append(
                Table(
                    (
                        t(f"closeout.actions.{key}", lang),
                        t("closeout.col.title", lang),
                        t("closeout.col.due", lang),
                    ),
                    tuple((a.ref, a.text, _day(a.due)) for a in items),
                )
            )
    out.append(Heading(t("closeout.section.checkins", lang)))
    percent = report.participation.percent
    out.append(
        Para(
            t(
                "closeout.checkins.line",
                lang,
                answers=report.participation.answers,
                prompts=report.participation.prompts,
                percent="—" if percent is None else f"{percent}%",
            )
        )
    )
    out.append(Heading(t("closeout.section.pulses", lang)))
    if report.pulses:
        out.append(
            Table(
                tuple(t(f"closeout.col.{c}", lang) for c in ("pulse", "score", "answers")),
                tuple(
                    (p.opened.isoformat(), "—" if p.average is None else f"{p.average:g}", str(p.answers))
                    for p in report.pulses
                ),
            )
        )
    else:
        out.append(none)
    out.append(Heading(t("closeout.section.lessons", lang)))
    if report.lessons:
        for kind in ("went-well", "to-improve", "general"):
            shown = [x for x in report.lessons if x.kind == kind]
            if shown:
                out.append(Heading(t(f"lesson.kind.{kind}", lang), 3))
                out.extend(Para(f"• {x.ref} {x.text}") for x in shown)
    else:
        out.append(none)
    return out


# ---- Markdown ------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def render_markdown(report: Closeout) -> str:
    lines: list[str] = []
    for part in parts(report):
        if isinstance(part, Heading):
            lines += ["#" * part.level + " " + part.text.replace("\n", " "), ""]
        elif isinstance(part, Para):
            lines += [part.text, ""]
        else:
            lines.append("| " + " | ".join(_cell(h) for h in part.head) + " |")
            lines.append("|" + "---|" * len(part.head))
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in part.rows]
            lines.append("")
    return "\n".join(lines)


# ---- PDF -----------------------------------------------------------------------------------------------

SIZES = {1: 18, 2: 14, 3: 12}
BODY = 10


def render_pdf(report: Closeout, pictures: list[Picture]) -> bytes:
    """A4, the bundled font for every word, the charts after the sections."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    content = parts(report)
    texts: list[str] = []
    for part in content:
        texts.extend(
            [part.text] if not isinstance(part, Table) else [*part.head, *(c for r in part.rows for c in r)]
        )
    extra = [t("closeout.section.charts", report.lang), t("closeout.missing_glyphs", report.lang, count=0)]
    missing = sum(printable(text)[1] for text in texts)
    characters = set("".join(printable(x)[0] for x in [*texts, *extra])) | set("0123456789")
    with FontFile(characters) as font_path:
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.set_title(printable(t("closeout.title", report.lang, project=report.project_name))[0])
        pdf.set_creator("Liaison")
        pdf.add_font(FAMILY, "", str(font_path))
        pdf.add_page()
        for part in content:
            if isinstance(part, Heading):
                pdf.set_font(FAMILY, size=SIZES[part.level])
                pdf.ln(2)
                pdf.multi_cell(
                    0, SIZES[part.level] * 0.6, printable(part.text)[0], new_x="LMARGIN", new_y="NEXT"
                )
                pdf.ln(1)
            elif isinstance(part, Para):
                pdf.set_font(FAMILY, size=BODY)
                pdf.multi_cell(0, 5.5, printable(part.text)[0], new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font(FAMILY, size=BODY - 1)
                with pdf.table(
                    headings_style=FontFace(emphasis=None, fill_color=(230, 236, 242)),
                    line_height=5,
                    text_align="LEFT",
                ) as table:
                    for row in (part.head, *part.rows):
                        cells = table.row()
                        for cell in row:
                            cells.cell(printable(cell)[0])
                pdf.ln(2)
        if pictures:
            pdf.add_page()
            pdf.set_font(FAMILY, size=SIZES[2])
            pdf.multi_cell(0, 8, t("closeout.section.charts", report.lang), new_x="LMARGIN", new_y="NEXT")
            for picture in pictures:
                pdf.image(io.BytesIO(picture.content), w=min(170, pdf.epw))
                pdf.ln(4)
        if missing:
            pdf.set_font(FAMILY, size=BODY - 1)
            pdf.multi_cell(
                0, 5, t("closeout.missing_glyphs", report.lang, count=missing), new_x="LMARGIN", new_y="NEXT"
            )
        return bytes(pdf.output())


def render_files(report: Closeout, *, view: str, title: str) -> list[ReportFile]:
    """The PDF (with the charts) and the Markdown of one view; slow (charts, fonts): run off the event loop."""
    pictures = render_charts(report.charts, chart_text(report.lang), chart_text("en"))
    return [
        ReportFile(PDF_NAME.format(view=view), title, render_pdf(report, pictures)),
        ReportFile(MD_NAME.format(view=view), title, render_markdown(report).encode("utf-8")),
    ]
