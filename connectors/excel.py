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


#: limits checked before a workbook is parsed (an .xlsx is a zip: 22 MB can unpack to 5 GB and be
#: parsed for minutes). A real sheet of a million rows by 20 columns is about 1 GB of XML.
MAX_UNPACKED_BYTES = 2 * 1024 ** 3
MAX_CELLS = 30_000_000
_CHUNK = 1 << 20


def check_zip_limits(path: Path) -> None:
    """Refuse a workbook whose parts unpack beyond MAX_UNPACKED_BYTES or whose sheets hold more than
    MAX_CELLS cells, before any XML is parsed. Sizes come from the zip's directory; cells are counted
    in the unpacked sheet XML (``<c `` elements) while unpacking, stopping at the limit."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            declared = sum(i.file_size for i in infos)
            if declared > MAX_UNPACKED_BYTES:
                raise DataError(f"{path}: the workbook unpacks to {declared / 1024 ** 2:,.0f} MB, more than the "
                                f"{MAX_UNPACKED_BYTES / 1024 ** 2:,.0f} MB custlens reads from an Excel file. Export "
                                "the sheet as CSV (or Parquet), which is read without this limit.")
            cells = unpacked = 0
            for info in infos:
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                with zf.open(info) as fh:
                    tail = b""
                    while chunk := fh.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES:  # a directory that understates the sizes
                            raise DataError(f"{path}: the workbook unpacks to more than "
                                            f"{MAX_UNPACKED_BYTES / 1024 ** 2:,.0f} MB, the most custlens reads from "
                                            "an Excel file. Export the sheet as CSV (or Parquet).")
                        block = tail + chunk
                        cells += block.count(b"<c ") + block.count(b"<c>") - tail.count(b"<c ") - tail.count(b"<c>")
                        tail = block[-3:]
                        if cells > MAX_CELLS:
                            raise DataError(f"{path}: the workbook holds more than {MAX_CELLS:,} cells, more than "
                                            "custlens reads from an Excel file. Export the sheet as CSV (or "
                                            "Parquet), which is read without this limit.")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise DataError(f"{path}: not a readable Excel workbook ({type(exc).__name__}: {exc}). "
                        "Open and save it again in Excel, or export the sheet as CSV.") from None


class ExcelWorkbook(Connector):
    name = "excel"
    description = "Excel workbooks (.xlsx, .xlsm, .xls); every sheet a source, pick one with file.xlsx#Sheet"
    extensions = (".xlsx", ".xlsm", ".xls")

    def open(self, path: Path, con, name: str, selector: str | None = None) -> list[RawSource]:
        import pandas as pd

        engine = "xlrd" if path.suffix.lower() == ".xls" else "openpyxl"
        if engine == "openpyxl":
            check_zip_limits(path)
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
