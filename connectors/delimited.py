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
from custlens.column_sql import COMMA_NUMBER, DECIMAL_COMMA
from custlens.dataset import RawSource, qi
from custlens.errors import DataError

from ._layouts import fill_order_rows, with_notes
from ._text import duckdb_readable, head_lines, sql_str

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


def unwrap_quoted_lines(path: Path, encoding: str, delimiter: str, expected: int) -> tuple[Path, int] | None:
    """A temporary UTF-8 copy of the file in which each line quoted as a whole (an Excel round-trip
    turns ``a,"b,c",d`` into ``"a,""b,c"",d"``: one field where the header has several) is written
    as its fields, and how many were; every other line is copied as it is, so line numbers stay
    those of the file. None when no line is such (or the file cannot be read): the source file is
    never changed. A line counts only when its one field splits into exactly the header's fields."""
    import gzip
    import os
    import tempfile

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="custlens-unwrapped-")
    count, inside = 0, False  # inside: a quoted value runs on over the line end
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out, \
                opener(path, "rt", encoding=encoding, errors="replace", newline="") as fh:
            for line in fh:
                body = line.rstrip("\r\n")
                if not inside and len(body) > 1 and body[0] == '"' and body[-1] == '"' and body.count('"') % 2 == 0:
                    fields = next(csv.reader([body], delimiter=delimiter))
                    inner = next(csv.reader([fields[0]], delimiter=delimiter), []) \
                        if len(fields) == 1 and "\n" not in fields[0] and "\r" not in fields[0] else []
                    if len(inner) == expected:
                        out.write(fields[0] + line[len(body):])
                        count += 1
                        continue
                inside ^= line.count('"') % 2 == 1
                out.write(line)
    except (OSError, EOFError, UnicodeError, csv.Error):
        count = 0
    if not count:
        os.unlink(tmp)
        return None
    return Path(tmp), count


def trailing_footer(path: Path, encoding: str, delimiter: str, from_line: int, limit: int = 12) -> list[str] | None:
    """The lines from ``from_line`` to the end when they are a report footer: after a blank line,
    a few single-field lines (and blank ones), as Salesforce appends to a report export ("Grand
    Totals (12 records)", "Confidential Information - Do Not Distribute", "Copyright (c) ...
    salesforce.com"). None otherwise: then they are data rows that do not fit."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    texts: list[str] = []
    blank_before = False
    with opener(path, "rt", encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        for row in reader:
            empty = not any(field.strip() for field in row)
            if reader.line_num < from_line:
                blank_before = empty
                continue
            if empty:
                continue
            if not (blank_before or texts) or len(row) != 1 or len(texts) >= limit:
                return None
            texts.append(row[0].strip())
    return texts or None


class _Unwrap(Exception):
    """A read to do again over ``copy``, where ``count`` lines quoted as a whole are their fields."""

    def __init__(self, copy: Path, count: int):
        super().__init__(copy)
        self.copy, self.count = copy, count


class DelimitedText(Connector):
    name = "delimited"
    description = "CSV, TSV, semicolon or pipe separated, and whitespace-aligned text (.gz too)"
    extensions = (".csv", ".tsv", ".tab", ".txt", ".dat", ".psv", ".csv.gz", ".tsv.gz", ".txt.gz")

    def open(self, path: Path, con, name: str, selector: str | None = None) -> list[RawSource]:
        lines, encoding = head_lines(path)
        if not lines:
            raise DataError(f"{path}: the file is empty (or holds only blank lines). Export it again with its rows.")
        if is_whitespace_aligned(lines):
            with duckdb_readable(path, encoding) as (src, enc):
                self._read_whitespace(src, con, name, lines, enc, shown=path)
            return [RawSource(path.name, name, str(path), self.name)]
        delim = _delimiter(lines)
        if delim is None and len(lines) > 1:
            raise DataError(f"{path}: could not find the delimiter: the first lines do not split into columns on "
                            "',', ';', tab or '|'. Save the file as comma-separated CSV with a header row.")
        with duckdb_readable(path, encoding) as (src, enc):  # cp1252, UTF-16 without BOM: a UTF-8 copy
            warnings = self._read_delimited(path, con, name, enc, delim or ",", lines, src)
        warnings += self._drop_empty_rows(con, name)
        warnings += self._decimal_commas(con, name)
        warnings += self._duplicate_headers(lines, delim)
        raw = RawSource(path.name, name, str(path), self.name, warnings=warnings)
        return [with_notes(raw, fill_order_rows(con, name))]

    def _read_delimited(self, path: Path, con, name: str, encoding: str, delim: str, lines: list[str],
                        read: Path | None = None) -> list[str]:
        """Read the file (``read``: its readable copy) into table ``name``; returns warnings (a
        report footer left out). Messages name ``path``."""
        read = read or path
        unwrapped: Path | None = None
        try:
            return self._read_delimited_once(path, con, name, encoding, delim, read)
        except _Unwrap as again:  # lines quoted as a whole: read a copy with them as their fields
            unwrapped, count = again.copy, again.count
        try:
            warnings = self._read_delimited_once(path, con, name, "utf-8", delim, unwrapped, unwrap=False)
        finally:
            unwrapped.unlink(missing_ok=True)
        return [f"{count:,} line(s) were quoted as a whole (as an Excel round-trip leaves them) and were read as "
                "their fields; the file itself is unchanged"] + warnings

    def _read_delimited_once(self, path: Path, con, name: str, encoding: str, delim: str, read: Path,
                             unwrap: bool = True) -> list[str]:
        """``_read_delimited`` over ``read``; raises ``_Unwrap`` (with a copy to read instead) when a
        line that does not fit is quoted as a whole and ``unwrap`` allows it."""
        types: dict[str, str] = {}
        footer: list[str] | None = None
        for _ in range(20):
            # no BOOLEAN among the sniffed types: a gender column of F and M, or T/F, would read as false/true
            opts = (f"delim={sql_str(delim)}, encoding={sql_str(encoding)}, auto_type_candidates="
                    "['BIGINT', 'DOUBLE', 'TIME', 'DATE', 'TIMESTAMP', 'VARCHAR']")
            if types:
                opts += ", types={" + ", ".join(f"{sql_str(k)}: 'VARCHAR'" for k in types) + "}"
            if footer:
                opts += ", null_padding=true"
            sql = f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT * FROM read_csv({sql_str(str(read))}, {opts})"
            try:
                con.execute(sql)
                guessed = [c for c in self._guessed_dates(con, name, read, opts) if c not in types]
                if guessed:  # read as text: the Dataset reads day and month in the order the values show
                    types.update(dict.fromkeys(guessed, "VARCHAR"))
                    continue
                return self._drop_footer(con, name, footer) if footer else []
            except Exception as exc:  # noqa: BLE001 - duckdb raises several error classes; all become DataError
                msg = str(exc)
                m = re.search(r'converting column "([^"]+)"', msg)
                if m and m.group(1) not in types:
                    # a value late in the file does not fit the sniffed type: read that column as text and let
                    # the Dataset report the rows that do not read as numbers or dates
                    types[m.group(1)] = "VARCHAR"
                    continue
                text_encoding = "latin-1" if encoding == "latin-1" else "utf-8-sig"
                bad = first_bad_line(read, text_encoding, delim)
                if bad and footer is None:
                    footer = trailing_footer(read, text_encoding, delim, bad[0])
                    if footer:
                        continue  # read again, padding the footer's lines, then drop them
                if bad and unwrap and bad[1] == 1 and bad[2] > 1:
                    copy = unwrap_quoted_lines(read, text_encoding, delim, bad[2])
                    if copy:
                        raise _Unwrap(*copy)
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
    def _guessed_dates(con, name: str, read: Path, opts: str) -> list[str]:
        """The date and timestamp columns DuckDB's sniffer typed from text that is not ISO: a format
        it guessed from the first rows (3/4/2024 as %d/%m/%Y, when the file's 13th comes later or
        never), or '12/1/10 8:26' cast as the year 12. They are read again as text, for the
        Dataset's date reader (``column_sql.date_expression``), which decides day/month over the
        whole column and says what it assumed."""
        cols = {r[0]: r[1] for r in con.execute(f"DESCRIBE {qi(name)}").fetchall()}
        dated = [c for c, t in cols.items() if t == "DATE" or t.startswith("TIMESTAMP")]
        if not dated:
            return []
        date_format, stamp_format = con.execute(
            f"SELECT DateFormat, TimestampFormat FROM sniff_csv({sql_str(str(read))}, {opts})").fetchall()[0]
        iso = (None, "%Y-%m-%d")
        guessed = [c for c in dated if (cols[c] == "DATE" and date_format not in iso) or (
            cols[c] != "DATE" and stamp_format is not None and not stamp_format.startswith("%Y-%m-%d"))]
        rest = [c for c in dated if c not in guessed]
        if rest:  # the ISO cast reads 12/1/10 as the year 12: no customer data is that old
            years = con.execute("SELECT " + ", ".join(f"min(year({qi(c)}))" for c in rest)
                                + f" FROM {qi(name)}").fetchall()[0]
            guessed += [c for c, y in zip(rest, years) if y is not None and y < 1000]
        return guessed

    @staticmethod
    def _drop_empty_rows(con, name: str) -> list[str]:
        """Rows with every field blank (",,,,": a sheet saved as CSV with the empty rows below its data)
        are no lines: dropped and said, never read as duplicate lines, lines without a customer or
        customers without an id."""
        cols = [r[0] for r in con.execute(f"DESCRIBE {qi(name)}").fetchall()]
        blank = " AND ".join(f"{qi(c)} IS NULL" for c in cols) or "false"
        n = con.execute(f"SELECT count(*) FROM {qi(name)} WHERE {blank}").fetchone()[0]
        if not n:
            return []
        con.execute(f"DELETE FROM {qi(name)} WHERE {blank}")
        return [f"{n:,} empty row(s) (every field blank, as a sheet saved with the empty rows below its data "
                "leaves them) skipped"]

    @staticmethod
    def _decimal_commas(con, name: str) -> list[str]:
        """Text columns that are numbers written with a decimal comma (74,69; 548,9715; 1.234,5: a
        sheet saved as CSV in a European locale, usually ';'-separated) become numbers: every value
        is such a number (``column_sql.COMMA_NUMBER``) and at least one comma can only be a decimal
        mark (``column_sql.DECIMAL_COMMA``). Any column, not only the amount: a rating, a tax or a
        margin is a measure as well. Said in one note."""
        text = [r[0] for r in con.execute(f"DESCRIBE {qi(name)}").fetchall() if r[1] == "VARCHAR"]
        if not text:
            return []
        counts = []
        for c in text:
            v = f"nullif(trim({qi(c)}), '')"
            counts += [f"count({v})", f"count(*) FILTER (WHERE regexp_full_match({v}, {sql_str(COMMA_NUMBER)}))",
                       f"count(*) FILTER (WHERE regexp_full_match({v}, {sql_str(DECIMAL_COMMA)}))"]
        row = con.execute(f"SELECT {', '.join(counts)} FROM {qi(name)}").fetchone()
        numbers = [c for i, c in enumerate(text) if row[3 * i] and row[3 * i + 1] == row[3 * i] and row[3 * i + 2]]
        if not numbers:
            return []
        cols = [r[0] for r in con.execute(f"DESCRIBE {qi(name)}").fetchall()]
        read = {c: f"CAST(replace(replace(nullif(trim({qi(c)}), ''), '.', ''), ',', '.') AS DOUBLE) AS {qi(c)}"
                for c in numbers}
        con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT "
                    + ", ".join(read.get(c, qi(c)) for c in cols) + f" FROM {qi(name)}")
        shown = ", ".join(repr(c) for c in numbers[:6]) + (", ..." if len(numbers) > 6 else "")
        return [f"decimal commas read as decimal marks (74,69 is 74.69) in {len(numbers)} column(s): {shown}"]

    @staticmethod
    def _drop_footer(con, name: str, footer: list[str]) -> list[str]:
        cols = [r[0] for r in con.execute(f"DESCRIBE {qi(name)}").fetchall()]
        first, rest = qi(cols[0]), " AND ".join(f"{qi(c)} IS NULL" for c in cols[1:]) or "true"
        texts = ", ".join(sql_str(t) for t in footer)
        con.execute(f"DELETE FROM {qi(name)} WHERE {rest} AND (trim(CAST({first} AS VARCHAR)) IN ({texts}) "
                    f"OR {first} IS NULL)")
        shown = "; ".join(repr(t[:60]) for t in footer[:3]) + ("; ..." if len(footer) > 3 else "")
        return [f"the last {len(footer)} line(s) are a report footer, not data, and were left out ({shown})"]

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

    def _read_whitespace(self, path: Path, con, name: str, lines: list[str], encoding: str,
                         shown: Path | None = None) -> None:
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
            raise DataError(f"{shown or path}: line {line} has a different number of columns than the first line "
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
