"""Delimited text: CSV, TSV, semicolon/pipe files and whitespace-aligned columns (CDNOW).

Delimited files are scanned by DuckDB's own reader (delimiter, quoting, header and types
sniffed); the result is materialised once as a table, so later queries do not re-parse the text.
Whitespace-aligned files (columns separated by runs of blanks, leading blanks, CRLF) are split
with SQL. When DuckDB cannot read a file, the file is scanned once more in Python only to name
the first line that does not fit, so the message can say exactly where and what to do.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from custlens import hookimpl
from custlens.analysis import Connector
from custlens.dataset import RawSource, qi
from custlens.errors import DataError

from ._text import head_lines, sql_str

_DELIMS = [",", ";", "\t", "|"]


def _delimiter(lines: list[str]) -> str | None:
    """The delimiter that splits the head lines into the same number of fields most often."""
    best, best_score = None, 0.0
    for d in _DELIMS:
        counts = [len(next(csv.reader([ln], delimiter=d))) for ln in lines[:50]]
        if not counts or counts[0] < 2:
            continue
        same = sum(c == counts[0] for c in counts) / len(counts)
        score = same * min(counts[0], 20)
        if score > best_score:
            best, best_score = d, score
    return best


def is_whitespace_aligned(lines: list[str]) -> bool:
    if len(lines) < 2 or any(d in ln for ln in lines[:50] for d in _DELIMS):
        return False
    counts = {len(ln.split()) for ln in lines[:50]}
    return len(counts) == 1 and counts.pop() >= 2


def first_bad_line(path: Path, encoding: str, delimiter: str) -> tuple[int, int, int] | None:
    """(line number, fields found, fields expected) of the first line that does not fit the header."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        expected = None
        for row in reader:
            if not any(field.strip() for field in row):
                continue
            if expected is None:
                expected = len(row)
            elif len(row) != expected:
                return reader.line_num, len(row), expected
    return None


class DelimitedText(Connector):
    name = "delimited"
    description = "CSV, TSV, semicolon or pipe separated, and whitespace-aligned text (.gz too)"
    extensions = (".csv", ".tsv", ".tab", ".txt", ".dat", ".psv", ".csv.gz", ".tsv.gz", ".txt.gz")

    def open(self, path: Path, con, name: str, selector: str | None = None) -> list[RawSource]:
        lines, encoding = head_lines(path)
        if not lines:
            raise DataError(f"{path}: the file is empty (or holds only blank lines). Export it again with its rows.")
        if is_whitespace_aligned(lines):
            self._read_whitespace(path, con, name, lines, encoding)
            return [RawSource(path.name, name, str(path), self.name)]
        delim = _delimiter(lines)
        if delim is None and len(lines) > 1:
            raise DataError(f"{path}: could not find the delimiter: the first lines do not split into columns on "
                            "',', ';', tab or '|'. Save the file as comma-separated CSV with a header row.")
        self._read_delimited(path, con, name, encoding, delim or ",", lines)
        return [RawSource(path.name, name, str(path), self.name, warnings=self._duplicate_headers(lines, delim))]

    def _read_delimited(self, path: Path, con, name: str, encoding: str, delim: str, lines: list[str]) -> None:
        types: dict[str, str] = {}
        for _ in range(20):
            opts = f"delim={sql_str(delim)}, encoding={sql_str(encoding)}"
            if types:
                opts += ", types={" + ", ".join(f"{sql_str(k)}: 'VARCHAR'" for k in types) + "}"
            sql = f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT * FROM read_csv({sql_str(str(path))}, {opts})"
            try:
                con.execute(sql)
                return
            except Exception as exc:  # noqa: BLE001 - duckdb raises several error classes; all become DataError
                msg = str(exc)
                m = re.search(r'converting column "([^"]+)"', msg)
                if m and m.group(1) not in types:
                    # a value late in the file does not fit the sniffed type: read that column as text and let
                    # the Dataset report the rows that do not read as numbers or dates
                    types[m.group(1)] = "VARCHAR"
                    continue
                bad = first_bad_line(path, "latin-1" if encoding == "latin-1" else "utf-8-sig", delim)
                if bad:
                    line, found, expected = bad
                    raise DataError(
                        f"{path}: line {line} has {found} fields where the header has {expected}. A delimiter "
                        f"({delim!r}) or quote inside a value is the usual cause: quote that value or fix the line."
                    ) from None
                first = msg.strip().splitlines()[0]
                raise DataError(f"{path}: could not be read as delimited text ({first}). Check that it is a "
                                "CSV/TSV export with one header row.") from None

    @staticmethod
    def _duplicate_headers(lines: list[str], delim: str | None) -> list[str]:
        if not delim:
            return []
        header = next(csv.reader([lines[0].lstrip("\ufeff")], delimiter=delim))
        seen: dict[str, int] = {}
        warnings = []
        for i, h in enumerate(header, 1):
            key = h.strip().lower()
            if key in seen:
                warnings.append(f"columns {seen[key]} and {i} are both called {h.strip()!r}; the second was renamed "
                                f"{h.strip()}_1 (and so on). The first is used unless you --map one of them.")
            else:
                seen[key] = i
        return warnings

    def _read_whitespace(self, path: Path, con, name: str, lines: list[str], encoding: str) -> None:
        first = lines[0].split()
        has_header = not all(re.fullmatch(r"[-+.\d/:]+", tok) for tok in first) and \
            any(re.fullmatch(r"[-+.\d/:]+", tok) for tok in lines[1].split())
        ncols = len(first)
        names = [re.sub(r"\W+", "_", t).strip("_") or f"column{i}" for i, t in enumerate(first)] if has_header \
            else [f"column{i}" for i in range(ncols)]
        read = (f"read_csv({sql_str(str(path))}, columns={{'line': 'VARCHAR'}}, delim='\\x1f', quote='', "
                f"escape='', header=false, auto_detect=false, encoding={sql_str(encoding)})")
        split = f"SELECT regexp_split_to_array(trim(line), '\\s+') AS f FROM {read} WHERE trim(line) <> ''"
        if has_header:
            split += " OFFSET 1"
        text = f"__{name}_text"
        con.execute(f"CREATE OR REPLACE TEMP TABLE {qi(text)} AS SELECT " +
                    ", ".join(f"f[{i + 1}] AS {qi(n)}" for i, n in enumerate(names)) +
                    f", len(f) AS __n FROM ({split})")
        bad = next(iter(con.execute(f"SELECT n FROM (SELECT row_number() OVER () AS n, __n FROM {qi(text)}) "
                                    f"WHERE __n <> {ncols} LIMIT 1").fetchall()), None)
        if bad:
            line = bad[0] + (1 if has_header else 0)
            raise DataError(f"{path}: line {line} has a different number of columns than the first line "
                            f"({ncols}). Fix that line.")
        # type each column: integers (unless zero-padded ids), decimals, else text
        checks = []
        for n in names:
            c = qi(n)
            padded = f"bool_or(regexp_full_match({c}, '0\\d+'))"  # zero-padded ids stay text
            checks.append(f"bool_and(regexp_full_match({c}, '[-+]?\\d{{1,18}}')) AND NOT {padded}")
            checks.append(f"bool_and(TRY_CAST({c} AS DOUBLE) IS NOT NULL) AND NOT {padded}")
        flags = con.execute(f"SELECT {', '.join(checks)} FROM {qi(text)}").fetchall()[0]
        cols = []
        for i, n in enumerate(names):
            is_int, is_num = flags[2 * i], flags[2 * i + 1]
            t = "BIGINT" if is_int else "DOUBLE" if is_num else "VARCHAR"
            cols.append(f"CAST({qi(n)} AS {t}) AS {qi(n)}")
        con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT {', '.join(cols)} FROM {qi(text)}")
        con.execute(f"DROP TABLE {qi(text)}")


@hookimpl
def register_connectors(register):
    register(DelimitedText())
