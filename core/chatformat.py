"""Answers as chat tools show them: shared by the Slack adapter (custlens.slack) and the webhook
mode (custlens.webhook). Chat messages are small and most chat tools render no Markdown tables,
so a table is shown as a few rows in a monospaced block (the full table goes out as a file where
the tool takes files), and errors become one friendly message, never a traceback."""

from __future__ import annotations

import re

from .answer import Answer, Table
from .errors import Busy, CannotAnswer, CustlensError, TimedOut
from .render import _numeric, cell, column_order, markdown_table

#: rows of a table shown in a chat message (a headline of a dozen figures fits whole)
CHAT_ROWS = 12
#: characters of a monospaced table line: readable on a laptop without wrapping
CHAT_WIDTH = 90
#: characters of one cell before it is cut with an ellipsis
CELL_WIDTH = 28
#: words that ask for a picture: a question with one of them gets its charts as images
CHART_WORDS = re.compile(r"\b(?:plot|chart|graph|visuali[sz]\w*|diagram)s?\b", re.I)


def wants_chart(question: str) -> bool:
    """Whether the question asks for a chart ("plot it", "show me a chart of revenue by month")."""
    return bool(CHART_WORDS.search(question or ""))


def monospace(table: Table, rows: int = CHAT_ROWS, width: int = CHAT_WIDTH) -> tuple[str, str]:
    """The first ``rows`` rows of ``table`` as aligned plain text (numbers right-aligned), keeping
    the columns that fit in ``width`` characters (the table's priority columns first); and a note saying what was left out
    ("" when nothing was)."""
    shown = table.rows[:rows]
    cols = {}
    for i, name in enumerate(table.columns):
        cells = [_cut(cell(r[i], name, table.shows_percent(r, i))) for r in shown]
        cols[i] = (_cut(name), cells, _numeric(table, i))
    kept, used = {}, 0
    for i in column_order(table):  # the table's priority columns first, the others as they fit
        name, cells, numeric = cols[i]
        w = max([len(name), *map(len, cells)])
        if kept and used + 2 + w > width:
            continue
        kept[i] = (name, cells, numeric, w)
        used += w + (2 if len(kept) > 1 else 0)
    kept = [kept[i] for i in sorted(kept)]

    def line(values):
        return "  ".join(v.rjust(w) if numeric else v.ljust(w)
                         for v, (_, _, numeric, w) in zip(values, kept)).rstrip()

    lines = [line([k[0] for k in kept]), line(["-" * k[3] for k in kept])]
    lines += [line([k[1][j] for k in kept]) for j in range(len(shown))]
    missing = []
    if table.total_rows > len(shown):
        missing.append(f"{len(shown)} of {table.total_rows:,} rows")
    if len(kept) < len(table.columns):
        missing.append(f"{len(kept)} of {len(table.columns)} columns")
    return "\n".join(lines), " · ".join(missing)


def _cut(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= CELL_WIDTH else text[:CELL_WIDTH - 1] + "…"


def to_mrkdwn(text: str) -> str:
    """custlens narratives (a small Markdown subset) as Slack mrkdwn: ``**bold**`` -> ``*bold*``,
    ``# heading`` -> a bold line, ``- item`` -> a bullet, ``[label](url)`` -> ``<url|label>``;
    ``&``, ``<`` and ``>`` escaped as Slack requires."""
    out = []
    for line in (text or "").splitlines():
        line = escape(line)
        line = re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r"<\2|\1>", line)
        heading = re.match(r"^#{1,6}\s+(.*)$", line)
        if heading:
            line = f"**{heading.group(1).strip('*')}**"
        line = re.sub(r"^(\s*)[-*]\s+", r"\1• ", line)
        line = re.sub(r"\*\*(.+?)\*\*", r"*\1*", line)
        line = re.sub(r"__(.+?)__", r"*\1*", line)
        out.append(line)
    return "\n".join(out)


def escape(text: str) -> str:
    """The three characters Slack wants escaped in any text it formats, code blocks included."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def error_text(exc: BaseException) -> str:
    """One friendly message for a failed turn: what went wrong and what to try. Expected errors say
    it in their own words; anything else names only its type (the traceback goes to the log)."""
    if isinstance(exc, Busy):
        return ("I'm still working on the previous question here. I'll post that answer first; "
                "ask again once it's in.")
    if isinstance(exc, TimedOut):
        return f"Sorry, that took too long: {exc}"
    if isinstance(exc, CannotAnswer):
        text = f"Sorry, {_lower_first(exc.args[0] if exc.args else str(exc))}"
        if exc.suggestions:
            text += "\nYou could ask for example:\n" + "\n".join(f"- {s}" for s in exc.suggestions[:5])
        return text
    if isinstance(exc, CustlensError):
        return f"Sorry, I couldn't answer that: {exc}"
    return (f"Sorry, something went wrong on my side ({type(exc).__name__}). It has been logged; "
            "try asking in other words.")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != "I " and not text[:2].isupper() else text


def chat_markdown(answer: Answer, tables: str = "markdown", headings: bool = True, limit: int = 16000) -> str:
    """The answer as one Markdown message for a chat tool that takes text only. ``tables``:
    "markdown" (tools that render Markdown tables, as Mattermost) or "monospace" (a preformatted
    block, for tools that render none, as Teams); ``headings``: whether the tool renders ``#``;
    ``limit``: the tool's message size, the text is cut there."""
    parts = [f"#### {answer.title}" if headings else f"**{answer.title}**"]
    if answer.understood:
        parts.append(f"_{answer.understood}_")
    if answer.summary:
        parts.append(answer.summary)
    for table in answer.tables:
        if tables == "markdown":
            shown = Table(name=table.name, title=table.title, columns=table.columns, rows=table.rows[:CHAT_ROWS],
                          total_rows=table.total_rows, percent=table.percent)
            parts.append(f"**{table.title or table.name}**\n\n{markdown_table(shown)}")
        else:
            text, missing = monospace(table)
            parts.append(f"**{table.title or table.name}**\n\n```\n{text}\n```" + (f"\n\n_{missing} shown_" if missing
                                                                                 else ""))
    if answer.warnings:
        parts.append("\n".join(f"> ⚠️ {w}" for w in answer.warnings[:3]))
    if answer.follow_ups:
        parts.append("_You could ask next: " + " · ".join(answer.follow_ups[:4]) + "_")
    text = "\n\n".join(parts)
    if len(text) > limit:
        text = text[:limit - 60].rsplit("\n", 1)[0] + "\n\n_(cut: the answer is longer than one message)_"
    return text
