"""Excel workbooks (.xlsx, .xlsm with openpyxl; .xls with xlrd): each sheet is a source.
``file.xlsx#Sheet`` picks one sheet. Sheets are read by pandas (DuckDB's own Excel reader is an
extension that would need a download) and copied into a DuckDB table once."""

from __future__ import annotations

import warnings
from pathlib import Path

from custlens import hookimpl
from custlens.analysis import Connector
from custlens.dataset import RawSource, qi
from custlens.errors import DataError

from ._layouts import fill_order_rows, with_notes


class ExcelWorkbook(Connector):
    name = "excel"
    description = "Excel workbooks (.xlsx, .xlsm, .xls); every sheet a source, pick one with file.xlsx#Sheet"
    extensions = (".xlsx", ".xlsm", ".xls")

    def open(self, path: Path, con, name: str, selector: str | None = None) -> list[RawSource]:
        import pandas as pd

        engine = "xlrd" if path.suffix.lower() == ".xls" else "openpyxl"
        try:
            with warnings.catch_warnings():  # pandas 3 deprecates the xlrd engine; it is the one that reads .xls
                warnings.filterwarnings("ignore", message=".*xlrd engine is deprecated.*")
                book = pd.ExcelFile(path, engine=engine)
        except Exception as exc:  # noqa: BLE001 - zip/xml errors of a damaged workbook
            raise DataError(f"{path}: not a readable Excel workbook ({type(exc).__name__}: {exc}). "
                            "Open and save it again in Excel, or export the sheet as CSV.") from None
        sheets = book.sheet_names
        if selector is not None:
            match = [s for s in sheets if s == selector] or [s for s in sheets if s.lower() == selector.lower()]
            if not match:
                raise DataError(f"{path}: no sheet named {selector!r}. Sheets: {', '.join(sheets)}. "
                                f"Use {path.name}#SHEET with one of them.")
            sheets = match
        out = []
        for i, sheet in enumerate(sheets):
            frame = pd.read_excel(book, sheet_name=sheet)
            frame = frame.dropna(how="all").dropna(axis=1, how="all")
            if frame.empty:
                if selector is not None:
                    raise DataError(f"{path}#{sheet}: the sheet has no data rows.")
                continue
            frame.columns = [str(c) for c in frame.columns]
            for col in frame.columns:  # mixed-type object columns would confuse DuckDB's type detection
                if frame[col].dtype == object:
                    frame[col] = frame[col].astype("string")  # blanks stay missing
            rel = f"{name}_{i}"
            con.register(f"{rel}_df", frame)
            con.execute(f"CREATE OR REPLACE TABLE {qi(rel)} AS SELECT * FROM {qi(rel + '_df')}")
            con.unregister(f"{rel}_df")
            label = f"{path.name}#{sheet}" if len(book.sheet_names) > 1 else path.name
            out.append(with_notes(RawSource(label, rel, str(path), self.name), fill_order_rows(con, rel)))
        if not out:
            raise DataError(f"{path}: every sheet is empty ({', '.join(book.sheet_names)}).")
        return out


@hookimpl
def register_connectors(register):
    register(ExcelWorkbook())
