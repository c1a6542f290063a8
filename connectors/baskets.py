"""Basket files: one basket per line, items separated by commas, no header, no ids
(the Groceries layout). Each line becomes a basket_id; items are trimmed."""

from __future__ import annotations

import csv
from pathlib import Path

from custlens import hookimpl
from custlens.analysis import Connector
from custlens.dataset import RawSource, qi
from custlens.errors import DataError
from custlens.schema import SYNONYMS, normalise

from ._text import duckdb_readable, head_lines, sql_str

_KNOWN = {s for role in SYNONYMS.values() for syns in role.values() for s in syns}


def looks_like_baskets(lines: list[str]) -> bool:
    """Lines of comma-separated item names, varying in length, none of them numbers or known headers,
    and no tabs (a tab-separated table's cells may hold commas)."""
    if len(lines) < 5 or sum("\t" in ln for ln in lines) >= 0.8 * len(lines):
        return False  # a table with tabs between its columns (Amazon's All Orders report as .txt)
    rows = [next(csv.reader([ln])) for ln in lines[:200]]
    counts = [len(r) for r in rows]
    if len(set(counts)) < 3:
        return False
    items = [i.strip() for r in rows for i in r if i.strip()]
    numeric = sum(i.replace(".", "", 1).replace("-", "", 1).isdigit() for i in items)
    header_like = sum(normalise(i) in _KNOWN for i in rows[0])
    return numeric < 0.05 * len(items) and header_like < 2


class BasketFile(Connector):
    name = "baskets"
    description = "basket files: one basket per line, comma-separated items (Groceries layout)"
    extensions = (".csv", ".txt", ".basket", ".baskets")

    def sniff(self, path: Path) -> float:
        if path.suffix.lower() in (".basket", ".baskets"):
            return 1.0
        if not path.is_file() or path.suffix.lower() not in self.extensions:
            return 0.0
        lines, _ = head_lines(path, 200)
        return 0.9 if looks_like_baskets(lines) else 0.0

    def open(self, path: Path, con, name: str, selector: str | None = None) -> list[RawSource]:
        _, encoding = head_lines(path, 1)
        try:
            self._read(path, con, name, encoding)
        except DataError:
            raise
        except Exception:  # noqa: BLE001 - a stray CR (old Mac line end) stops DuckDB's line reader
            with duckdb_readable(path, encoding, newlines=True) as (src, enc):
                try:
                    self._read(src, con, name, enc)
                except Exception as exc:  # noqa: BLE001
                    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
                    raise DataError(f"{path}: could not be read as a basket file ({first}). Save it as plain "
                                    "text, one basket per line, items separated by commas.") from None
        return [RawSource(path.name, name, str(path), self.name, role="baskets")]


    @staticmethod
    def _read(path: Path, con, name: str, encoding: str) -> None:
        read = (f"read_csv({sql_str(str(path))}, columns={{'line': 'VARCHAR'}}, delim='\\x1f', quote='', "
                f"escape='', header=false, auto_detect=false, encoding={sql_str(encoding)})")
        con.execute(
            f"CREATE OR REPLACE TABLE {qi(name)} AS "
            f"SELECT basket_id, trim(item) AS product FROM ("
            f"  SELECT row_number() OVER () AS basket_id, unnest(string_split(line, ',')) AS item "
            f"  FROM {read} WHERE trim(line) <> '') WHERE trim(item) <> ''")


@hookimpl
def register_connectors(register):
    register(BasketFile())
