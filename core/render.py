"""Rendering an Answer for a front end: terminal (rich), Markdown, HTML (a Jinja2 template) and
JSON (exactly the Answer model). Front ends choose a format; none of them computes anything."""

from __future__ import annotations

import html
from typing import Any

from .answer import Answer, Table

FORMATS = ("text", "markdown", "html", "json")


def cell(value: Any, column: str = "") -> str:
    """A value as shown in a table: thousands separators, 2 decimals, shares and rates as percentages."""
    if value is None:
        return ""
    if (column.startswith("share") or column.endswith("rate")) and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        return f"{100 * value:.1f}%"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1 or value == 0 else f"{value:.4f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


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
    rows = ["| " + " | ".join(cell(v, c).replace("|", "\\|") for v, c in zip(row, table.columns)) + " |"
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
    """The small Markdown subset narratives use: paragraphs, '- ' lists, **bold**, _italic_."""
    import re

    out, items = [], []
    for line in text.splitlines() + [""]:
        line = html.escape(line)
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", line)
        line = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"<em>\1</em>", line)
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


def rich_table(table: Table):
    from rich.table import Table as RichTable

    rt = RichTable(title=table.title or table.name, title_justify="left", show_lines=False)
    for i, col in enumerate(table.columns):
        rt.add_column(col, justify="right" if _numeric(table, i) else "left", overflow="fold")
    for row in table.rows:
        rt.add_row(*[cell(v, c) for v, c in zip(row, table.columns)])
    if table.total_rows > len(table.rows):
        rt.caption = f"{len(table.rows)} of {table.total_rows:,} rows (export for all)"
    return rt


def print_answer(answer: Answer, console) -> None:
    from rich.markdown import Markdown

    if answer.understood:
        console.print(f"[dim]{answer.understood}[/dim]")
    console.print(f"[bold]{answer.title}[/bold]")
    if answer.summary:
        console.print(Markdown(answer.summary))
    for t in answer.tables:
        console.print(rich_table(t))
    for w in answer.warnings:
        console.print(f"[yellow]note:[/yellow] {w}")
    if answer.follow_ups:
        console.print("[dim]next: " + " | ".join(answer.follow_ups) + "[/dim]")


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
            console.print(f"  derived: {note}", markup=False)
        for w in src["warnings"]:
            console.print(f"  note: {w}", markup=False)
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
