"""`/liaison search` answers: the matches (reference, kind, status, a snippet with the match in bold), or
that nothing matched, with an example. Records arrive already filtered by the policy."""

from __future__ import annotations

from bot.domain.search import Found, Result
from bot.i18n import MESSAGES, t
from bot.mrkdwn import bold, escape, truncate
from handlers.builders.common import Reply, code, context, section

SHOWN = 10


def _words(words: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(f"“{escape(w)}”" for w in words)


def status_text(status: str, lang: str) -> str:
    key = f"search.status.{status}"
    return t(key, lang) if key in MESSAGES else escape(status)


def result_line(result: Result, lang: str) -> str:
    snip = result.snippet
    title = escape(truncate(result.title, 120))
    shown = f"{escape(snip.before)}{bold(escape(snip.match)) if snip.match else ''}{escape(snip.after)}"
    kind = t(f"search.kind.{result.kind}", lang)
    line = f"{bold(result.ref)} · {kind} · {status_text(result.status, lang)} — {title}"
    if snip.match:
        line += f"\n> {shown}"
    return line


def build_search_results(found: Found, project: str, lang: str) -> Reply:
    words = _words(found.words, lang)
    if not found.results:
        message = t("search.none", lang, project=bold(escape(project)), words=words)
        return Reply(
            text=f"{message} {t('search.example', lang)}",
            blocks=[section(message), context(code(t("search.example", lang)))],
        )
    key = "search.header.capped" if found.capped else "search.header"
    head = t(key, lang, n=found.total, project=bold(escape(project)), words=words)
    lines = [result_line(r, lang) for r in found.results[:SHOWN]]
    blocks = [section(head), *(section(line) for line in lines)]
    if found.total > SHOWN:
        blocks.append(context(t("search.more", lang, n=found.total - SHOWN)))
    return Reply(text="\n".join([head, *lines]), blocks=blocks)
