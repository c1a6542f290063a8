"""Writing an answer to a file: the rendered answer (.json .md .html .txt) or its tables in full
(.csv: the main table, or one file per table; .xlsx: one sheet per table). Exports use the full
result each table keeps, not the rows shown on screen."""

from __future__ import annotations

from pathlib import Path

from .answer import Answer
from .errors import CustlensError
from .render import render

RENDERED = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".txt": "text"}


def export(answer: Answer, path: str | Path, table: str | None = None) -> list[Path]:
    path = Path(path)
    suffix = path.suffix.lower()
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
            tables[0].frame.to_csv(path, index=False)
            return [path]
        # the first breakdown (not the headline) is "the result"; every table is written beside it
        written = []
        for t in tables:
            p = path.with_name(f"{path.stem}_{t.name}{path.suffix}")
            t.frame.to_csv(p, index=False)
            written.append(p)
        return written
    if suffix in (".xlsx", ".xlsm"):
        import pandas as pd

        with pd.ExcelWriter(path, engine="openpyxl") as xw:
            for t in tables:
                t.frame.to_excel(xw, sheet_name=(t.name or "table")[:31], index=False)
        return [path]
    raise CustlensError(f"cannot export to {suffix or 'a file without extension'}: use .csv, .xlsx, .json, .md, "
                        ".html or .txt")
