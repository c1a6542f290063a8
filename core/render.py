"""Rendering an Answer for a front end: terminal (rich), Markdown, HTML (a Jinja2 template) and
JSON (exactly the Answer model). Front ends choose a format; none of them computes anything."""

from __future__ import annotations

import html
import re
from typing import Any

from .answer import Answer, Table, is_percent
from .templates import pct

FORMATS = ("text", "markdown", "html", "json")


def cell(value: Any, column: str = "", percent: bool | None = None) -> str:
    """A value as shown in a table: thousands separators, 2 decimals, fractions that are percentages
    as percentages (``percent``: ``Table.shows_percent`` of the cell; by default the column's name
    says, ``answer.is_percent``)."""
    if value is None:
        return ""
    if percent is None:
        percent = is_percent(column)
    if percent and isinstance(value, (int, float)) and not isinstance(value, bool):
        return pct(value)  # the narratives' own formatter: a table and its text show one figure
    if isinstance(value, float) and value.is_integer() and is_units(column):  # counted, not money
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1 or value == 0 else f"{value:.4f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def is_units(column: str) -> bool:
    """Whether a column holds counted units (units sold, quantity), shown as counts, never as money."""
    c = column.lower().strip()
    return c in ("units", "quantity", "units sold", "qty") or c.startswith("units ") or c.endswith(" units")


def render(answer: Answer, fmt: str = "text", width: int | None = None) -> str:
    if fmt == "json":
        return answer.model_dump_json(indent=2)
    if fmt == "markdown":
        return markdown(answer)
    if fmt == "html":
        return to_html(answer)
    if fmt == "text":
        return text(answer, width=width)
    raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")


def markdown_table(table: Table) -> str:
    head = "| " + " | ".join(table.columns) + " |"
    sep = "|" + "|".join("---:" if _numeric(table, i) else "---" for i in range(len(table.columns))) + "|"
    rows = ["| " + " | ".join(cell(v, c, table.shows_percent(row, i)).replace("|", "\\|")
                              for i, (v, c) in enumerate(zip(row, table.columns))) + " |"
            for row in table.rows]
    more = f"\n\n_{len(table.rows)} of {table.total_rows:,} rows shown._" if table.total_rows > len(table.rows) else ""
    return "\n".join([head, sep, *rows]) + more


def _numeric(table: Table, i: int) -> bool:
    vals = [r[i] for r in table.rows if r[i] is not None]
    return bool(vals) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals)


def markdown(answer: Answer) -> str:
    parts = [f"# {answer.title}"]
    if answer.understood:
        parts.append(f"_{answer.understood}_")
    if answer.summary:
        parts.append(answer.summary)
    for t in answer.tables:
        parts.append(f"## {t.title or t.name}\n\n{markdown_table(t)}")
    if answer.warnings:
        parts.append("## Notes\n\n" + "\n".join(f"- {w}" for w in answer.warnings))
    if answer.follow_ups:
        parts.append("## You could ask next\n\n" + "\n".join(f"- {q}" for q in answer.follow_ups))
    return "\n\n".join(parts) + "\n"


def to_html(answer: Answer) -> str:
    from .templates import environment

    return environment().get_template("answer.html.j2").render(answer=answer, cell=cell,
                                                              summary_html=_md_to_html(answer.summary))


def _md_to_html(text: str) -> str:
    """The small Markdown subset narratives use: paragraphs, '- ' lists, **bold**, _italic_, and
    '#' headings (inside an answer, so '#' is a level-3 heading and '##' a level 4)."""
    out, items = [], []
    for line in text.splitlines() + [""]:
        line = html.escape(line)
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", line)
        line = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"<em>\1</em>", line)
        heading = re.match(r"(#{1,6})\s+(.*?)\s*#*$", line)
        if heading:
            if items:
                out.append("<ul>" + "".join(items) + "</ul>")
                items = []
            level = min(6, len(heading.group(1)) + 2)
            out.append(f"<h{level}>{heading.group(2)}</h{level}>")
            continue
        if line.startswith("- "):
            items.append(f"<li>{line[2:]}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line.strip():
            out.append(f"<p>{line}</p>")
    return "\n".join(out)


def text(answer: Answer, width: int | None = None) -> str:
    """Terminal text via rich: tables fit the width; colours only when printing to a terminal."""
    from rich.console import Console

    console = Console(width=width or 100, record=True, force_terminal=False, color_system=None,
                      file=_Null())
    print_answer(answer, console)
    return console.export_text().rstrip() + "\n"


class _Null:
    def write(self, _):
        return 0

    def flush(self):
        pass


#: a value that must stay on one line: a date, a month, a time, a timestamp, a number
UNBREAKABLE = re.compile(r"^[-+]?[\d.,:%]+$|^\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2}(:\d{2})?)?$|^\d{4} [QH]\d$")
#: a text column gets at least this many characters when the screen has room (fewer: it wraps more)
TEXT_WIDTH = 18
#: a word of text longer than this may be cut across lines
LONG_WORD = 24
#: rows a screen shows of a table whose newest rows matter most (``Table.recent_last``)
RECENT_ROWS = 24


def column_order(table: Table) -> list[int]:
    """The table's columns in the order a narrow screen keeps them: its ``priority`` columns
    first (as declared), then the others in table order."""
    first = [table.columns.index(c) for c in dict.fromkeys(table.priority) if c in table.columns]
    return first + [i for i in range(len(table.columns)) if i not in first]


def _header(column: str) -> str:
    return column.replace("_", " ")


def fit_columns(table: Table, width: int) -> tuple[list[int], list[int]]:
    """Which columns a screen ``width`` characters wide shows, and each one's width: the
    priority columns first, then the others, as long as each gets the room its values need
    (dates, times and numbers on one line, text wrapped at words, headers at words). Returns the
    shown columns' indexes in table order and their widths."""
    mins, naturals = [], []
    for i, col in enumerate(table.columns):
        values = [cell(r[i], col, table.shows_percent(r, i)) for r in table.rows]
        head_words = _header(col).split() or [""]
        numeric = _numeric(table, i)
        words = [len(v) if numeric or UNBREAKABLE.match(v) else min(LONG_WORD, max(map(len, v.split() or [""])))
                 for v in values]
        natural = max([len(_header(col)), *map(len, values)])
        least = max([*map(len, head_words), *words, 1])
        wraps = not numeric and natural > least
        mins.append(min(natural, max(least, TEXT_WIDTH)) if wraps else least)
        naturals.append(natural)
    shown, used = [], 1  # the table's left border
    for i in column_order(table):
        if not shown or used + mins[i] + 3 <= width:  # a column: its cells, two spaces of padding, a border
            shown.append(i)
            used += mins[i] + 3
    shown.sort()
    widths = {i: mins[i] for i in shown}
    spare = width - used
    while spare > 0:  # room left: to the columns that wrap, one character at a time
        grow = [i for i in shown if widths[i] < naturals[i]]
        if not grow:
            break
        for i in grow[:spare]:
            widths[i] += 1
            spare -= 1
    return shown, [widths[i] for i in shown]


def rich_table(table: Table, width: int | None = None, max_rows: int | None = None):
    """A rich Table for the terminal: the columns that fit ``width`` (``fit_columns``; all when
    None), and a caption saying what was left out and how to get it."""
    from rich.table import Table as RichTable
    from rich.text import Text

    # titles, headers and cells as Text: a value of the data ("[x]", "[bold]") is shown, not read as markup
    rt = RichTable(title=Text(table.title or table.name), title_justify="left", show_lines=False)
    shown, widths = fit_columns(table, width) if width else (list(range(len(table.columns))), None)
    rows = table.rows
    if max_rows is not None and len(rows) > max_rows:
        rows = rows[-max_rows:] if table.recent_last else rows[:max_rows]
    for k, i in enumerate(shown):
        col = table.columns[i]
        numeric = _numeric(table, i)
        rt.add_column(Text(_header(col) if width else col), justify="right" if numeric else "left",
                      width=widths[k] if widths else None, overflow="fold")
    for row in rows:
        rt.add_row(*[Text(cell(row[i], table.columns[i], table.shows_percent(row, i))) for i in shown])
    notes = []
    if table.total_rows > len(rows):
        which = "last" if table.recent_last else "first"
        notes.append(f"the {which} {len(rows)} of {table.total_rows:,} rows")
    left_out = [table.columns[i] for i in range(len(table.columns)) if i not in shown]
    if left_out:
        names = ", ".join(_header(c) for c in left_out) if len(left_out) <= 4 else \
            ", ".join(_header(c) for c in left_out[:3]) + f" ... {_header(left_out[-1])}"
        notes.append(f"{len(shown)} of {len(table.columns)} columns (not shown: {names})")
    if notes:
        rt.caption = "; ".join(notes) + ". All of it: export (\"save as csv\"), or --format json"
        rt.caption_justify = "left"
    return rt


_LINK = re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"`+([^`]*)`+")


def plain(text: str) -> str:
    """A note as plain text for a terminal: Markdown's bold, code spans and links without their
    marks ("**12** orders in `status`" -> "12 orders in status"); brackets and single asterisks stay."""
    return _STRONG.sub(r"\2", _CODE.sub(r"\1", _LINK.sub(r"\1", text)))


def print_answer(answer: Answer, console) -> None:
    from rich.markdown import Markdown

    from rich.text import Text

    if answer.understood:  # a value of the data ("[x]") is text, not rich markup
        console.print(Text(answer.understood, style="dim"))
    console.print(Text(answer.title, style="bold"))
    if answer.summary:  # a value like "<b>" is text: escaped, or Markdown would drop it as inline HTML
        console.print(Markdown(re.sub(r"([<>])", r"\\\1", answer.summary)))
    for t in answer.tables:
        console.print(rich_table(t, width=console.width, max_rows=RECENT_ROWS if t.recent_last else None))
    for w in answer.warnings:  # plain text: a note's "[definitions]" is no markup, its ** no Markdown
        console.print(Text.assemble(("note:", "yellow"), " " + plain(w)))
    if answer.follow_ups:
        console.print(Text("next: " + " | ".join(plain(f) for f in answer.follow_ups), style="dim"))


def print_description(info: list[dict], console) -> None:
    """What ``describe`` shows (CLI and shell): per source its role and why, then each column's
    canonical name and why, derivations and notes."""
    from rich.table import Table as RichTable

    for src in info:
        console.print(f"[bold]{src['source']}[/bold]  ({src['connector']}, {src['rows']:,} rows)  "
                      f"role: [bold]{src['role'] or 'unknown'}[/bold]  because {src['role_reason']}")
        t = RichTable(show_header=True)
        for col in ("column", "type", "canonical", "why"):
            t.add_column(col, overflow="fold")
        for c in src["columns"]:
            t.add_row(c["column"], c["type"], c["canonical"] or "", c["reason"])
        console.print(t)
        for note in src["derived"]:
            console.print(f"  derived: {plain(note)}", markup=False)
        for note in src.get("checked") or []:
            console.print(f"  checked: {plain(note)}", markup=False)
        join = src.get("join") or {}
        for line in (join.get("text"), join.get("said") or join.get("no_match")):
            if line:
                console.print(f"  join: {plain(line)}", markup=False)
        for w in src["warnings"]:
            console.print(f"  note: {plain(w)}", markup=False)
    defined = info[0].get("definitions") if info else None
    if defined:  # the company's definitions, the same for every source
        console.print(f"[bold]definitions[/bold]  (from {info[0]['definitions_from']})")
        for d in defined:
            console.print(f"  {d['setting']} = {d['value']!r}: {d['meaning']}", markup=False)


def print_vocabulary(entries: list[dict], console) -> None:
    """The company's words and nicknames (custlens.toml ``[vocabulary]``, ``Session.describe_vocabulary``)
    and what each means on the loaded data."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    if not entries:
        return
    console.print(f"[bold]vocabulary[/bold]  (from {escape(', '.join(sorted({e['file'] for e in entries})))})")
    t = RichTable(show_header=True)
    for col in ("says", "means", "in the data"):
        t.add_column(col, overflow="fold")
    for e in entries:
        if e["kind"] == "word":
            t.add_row(escape(e["name"]), escape(e["means"]), "a word: questions are read with it")
            continue
        found = "; ".join(f"{col}: {', '.join(vs)}" for col, vs in e["found"].items()) or "none of them"
        if e["missing"]:
            found += f" (not in the data: {', '.join(e['missing'])})"
        t.add_row(escape(e["name"]), escape(", ".join(e["means"])), escape(found))
    console.print(t)
