"""Writing an answer to a file: the rendered answer (.json .md .html .txt) or its tables in full
(.csv: the main table, or one file per table; .xlsx: one sheet per table). Exports use the full
result each table keeps, not the rows shown on screen."""

from __future__ import annotations

import re
from pathlib import Path

from .answer import Answer
from .errors import CustlensError
from .render import render

#: a text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection"):
#: "=HYPERLINK(...)", "+cmd|...", "-2+3", "@SUM(...)", and tab or carriage return before any of them
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d[\d,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def neutralise(value):
    """A text cell a spreadsheet would run as a formula, prefixed with a single quote (OWASP), so it
    shows as the text it is. Numbers, and text that is a plain number ("-12.5"), are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame):
    """``frame`` with every text cell and column name neutralised; numeric columns stay numbers.
    Every spreadsheet-bound output (CSV, .xlsx, downloads, chat uploads) goes through it."""
    from pandas.api import types

    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if not (types.is_numeric_dtype(col) or types.is_datetime64_any_dtype(col) or types.is_bool_dtype(col)):
            out.isetitem(i, col.map(neutralise, na_action="ignore"))
    return out


def to_csv(frame, path=None):
    """A table as CSV (RFC 4180: CRLF between rows, so a value holding a bare CR or LF is quoted and
    cannot start a row of its own), safe to open in a spreadsheet; text when ``path`` is None."""
    return safe_frame(frame).to_csv(path, index=False, lineterminator="\r\n")


def csv_text(frame) -> str:
    """A table as CSV text, safe to open in a spreadsheet (HTTP downloads, chat uploads)."""
    return to_csv(frame)

RENDERED = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".txt": "text"}


def source_paths(dataset) -> list[str]:
    """The files a Dataset reads (demo and in-memory frames have none)."""
    return [s.raw.path for s in getattr(dataset, "sources", []) if not s.raw.path.startswith("<")]


def check_target(path: str | Path, sources=()) -> None:
    """Refuse to write ``path`` when it is one of the loaded ``sources`` (or inside a source
    folder): custlens only ever reads its data."""
    target = Path(path).expanduser().resolve()
    for src in sources:
        try:
            source = Path(src).expanduser().resolve()
        except (OSError, RuntimeError):
            continue
        same = target == source or (source.is_dir() and source in target.parents)
        if not same and target.exists() and source.exists():
            try:
                same = target.samefile(source)  # a link or another spelling of the same file
            except OSError:
                same = False
        if same:
            raise CustlensError(f"refusing to write {Path(path).name}: it is the loaded data source {src}, and "
                                "custlens never changes its data. Give another file name.")


def export(answer: Answer, path: str | Path, table: str | None = None, protect=()) -> list[Path]:
    """Write ``answer`` to ``path`` (by its extension); ``protect`` lists files never to write
    (the loaded sources: ``source_paths(dataset)``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    check_target(path, protect)
    if path.exists() and path.is_dir():
        raise CustlensError(f"{path} is a folder; give a file name such as {path / 'answer.xlsx'}")
    if not path.parent.exists():
        raise CustlensError(f"{path.parent}: folder does not exist")
    if suffix in RENDERED:
        path.write_text(render(answer, RENDERED[suffix]), encoding="utf-8")
        return [path]
    tables = [answer.table(table)] if table else [t for t in answer.tables]
    if not tables:
        raise CustlensError("this answer has no table to export")
    if suffix == ".csv":
        if len(tables) == 1:
            to_csv(tables[0].frame, path)
            return [path]
        # the first breakdown (not the headline) is "the result"; every table is written beside it
        written = [path.with_name(f"{path.stem}_{t.name}{path.suffix}") for t in tables]
        for p in written:
            check_target(p, protect)
        for t, p in zip(tables, written):
            to_csv(t.frame, p)
        return written
    if suffix in (".xlsx", ".xlsm"):
        import pandas as pd

        with pd.ExcelWriter(path, engine="openpyxl") as xw:
            for t in tables:
                safe_frame(t.frame).to_excel(xw, sheet_name=(t.name or "table")[:31], index=False)
        return [path]
    raise CustlensError(f"cannot export to {suffix or 'a file without extension'}: use .csv, .xlsx, .json, .md, "
                        ".html or .txt")
