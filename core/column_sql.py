"""How a source column becomes a canonical column: one typed SQL expression per column.

Typed columns are cast; text is read: dates by the strptime formats that fit a sample of the
values (several when a column mixes formats, with a warning; a warning too when day/month
cannot be told apart), numbers with currency signs, thousands separators, decimal commas and
(negatives), yes/no flags in their usual spellings. Whatever does not read becomes NULL here and
is counted, with its rows, by the Dataset's diagnostics.
"""

from __future__ import annotations

import re
from typing import Callable

from . import schema
from .sql import qi, ql

Sample = Callable[[int], list]  # n -> up to n distinct non-null values of the column


_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}


def is_integer(t: str) -> bool:
    return t in _INTEGERS


def is_numeric(t: str) -> bool:
    return t in _INTEGERS or t.split("(")[0] in {"FLOAT", "DOUBLE", "DECIMAL", "REAL"}


def is_temporal(t: str) -> bool:
    return t.startswith("TIMESTAMP") or t == "DATE"


def typed_null(canonical: str) -> str:
    """NULL of the canonical column's type, for a column no source provides."""
    if canonical in schema.DATE_COLUMNS:
        return "CAST(NULL AS TIMESTAMP)"
    if canonical in schema.NUMBER_COLUMNS:
        return "CAST(NULL AS DOUBLE)"
    if canonical == "churned":
        return "CAST(NULL AS BOOLEAN)"
    return "CAST(NULL AS VARCHAR)"


def expression(canonical: str, column: str, t: str, con, sample: Sample, warnings: list[str],
               padded: bool = True) -> str:
    """SQL reading source ``column`` (DuckDB type ``t``) as ``canonical``; notes go to ``warnings``.
    ``padded=False`` says the text column holds no blank-padded or empty values, so it is used as
    it is instead of trimmed on every query."""
    c = qi(column)
    if canonical in schema.DATE_COLUMNS:
        return date_expression(column, t, con, sample, warnings)
    if canonical in schema.NUMBER_COLUMNS:
        if is_numeric(t) or t == "BOOLEAN":
            return f"CAST({c} AS DOUBLE)"
        return number_expression(column, sample)
    if canonical in schema.ID_COLUMNS and (t in ("DOUBLE", "FLOAT") or t.startswith("DECIMAL")):
        return f"CAST(CAST({c} AS BIGINT) AS VARCHAR)"  # 17850.0 -> '17850'
    if canonical == "customer_id" and t == "VARCHAR" and any("@" in str(v) for v in sample(20)):
        return email_key(column)
    if canonical == "churned":
        if is_numeric(t):  # 1.0/0.0 (a 1/0 column with blanks, read by pandas) is no text spelling
            return f"CASE WHEN {c} = 1 THEN true WHEN {c} = 0 THEN false END"
        return c if t == "BOOLEAN" else flag_expression(column)
    if t == "VARCHAR" and not padded:
        return c
    return f"nullif(trim(CAST({c} AS VARCHAR)), '')"


def email_key(column: str) -> str:
    """A customer id column holding e-mail addresses: each id trimmed and, when it is an e-mail,
    in lower case, so " Ann@Shop.com" and "ann@shop.com" are one customer (an address's case
    means nothing to the people it belongs to); other ids stay as written. The Dataset counts the
    ids this merges (``Dataset._email_spellings``)."""
    v = f"nullif(trim(CAST({qi(column)} AS VARCHAR)), '')"
    return f"CASE WHEN {v} LIKE '%@%' THEN lower({v}) ELSE {v} END"


def flag_expression(column: str, alias: str = "") -> str:
    """Yes/No, 1/0, churned/active, true/false...: true, false, or NULL for anything else (blanks).
    ``alias`` qualifies the column (``f`` for ``f."Recommended"``)."""
    yes = ", ".join(ql(w) for w in schema.flag_spellings(schema.TRUE_WORDS))  # "attrited customer" too
    no = ", ".join(ql(w) for w in schema.flag_spellings(schema.FALSE_WORDS))
    v = f"lower(trim(CAST({alias + '.' if alias else ''}{qi(column)} AS VARCHAR)))"
    return f"CASE WHEN {v} IN ({yes}) THEN true WHEN {v} IN ({no}) THEN false END"


def date_expression(column: str, t: str, con, sample: Sample, warnings: list[str]) -> str:
    c = qi(column)
    if is_temporal(t):
        return f"CAST({c} AS TIMESTAMP)"
    if is_integer(t):
        return f"try_strptime(CAST({c} AS VARCHAR), '%Y%m%d')"
    values = [str(v).strip() for v in sample(3000)]
    formats, ambiguous = date_formats(con, values)
    if ambiguous:
        warnings.append(f"column {column!r}: dates like {values[0]!r} read as {ambiguous[0]} (day/month or "
                        "month/day cannot be told apart from the values); check the dates if this is wrong")
    if not formats:
        warnings.append(f"column {column!r}: no date format fits values like {values[:3]}; "
                        "dates in it are treated as missing")
        return "CAST(NULL AS TIMESTAMP)"
    if len(formats) > 1:
        warnings.append(f"column {column!r} mixes date formats ({', '.join(formats)}); each value is read "
                        "with the first format that fits")
    v = f"trim(CAST({c} AS VARCHAR))"
    if any("%z" in f for f in formats):
        note = offsets_note(column, values)
        if note not in warnings:
            warnings.append(note)
        return f"CAST(coalesce({', '.join(wall_clock(v, f) for f in formats)}) AS TIMESTAMP)"
    fmts = "[" + ", ".join(ql(f) for f in formats) + "]"
    return f"CAST(try_strptime({v}, {fmts}) AS TIMESTAMP)"


#: a UTC offset ending a timestamp: "-0500", "-05:00", "+05:30", "-05"
_OFFSET = re.compile(r"\s*([+-])(\d{2}):?(\d{2})?$")


def wall_clock(v: str, fmt: str) -> str:
    """SQL reading the text ``v`` with ``fmt`` as the wall-clock time it was written in: for a
    format with a UTC offset (%z), the value is read without its offset (a value without one
    reads as it is), so "2021-12-31 19:30:00 -0500" is 31 December at 19:30 (the store's evening), not
    1 January 00:30 UTC; months and years are cut where the data's own calendar cuts them."""
    if "%z" not in fmt:
        return f"try_strptime({v}, {ql(fmt)})"
    bare = fmt.replace("%z", "").rstrip()
    # no backslashes: the same pattern in DuckDB's RE2, PostgreSQL and Spark (Java) string literals
    return f"try_strptime(regexp_replace({v}, ' *[+-][0-9]{{2}}(:?[0-9]{{2}})?$', ''), {ql(bare)})"


def offsets_note(column: str, values: list[str]) -> str:
    """The one note of a date column written with UTC offsets: the offsets seen, and that the
    times are read as written (``wall_clock``)."""
    seen = sorted({f"{m.group(1)}{m.group(2)}:{m.group(3) or '00'}" for m in map(_OFFSET.search, values) if m})
    shown = ", ".join(seen[:4]) + (", ..." if len(seen) > 4 else "")
    return (f"column {column!r}: times are read in the offsets they were written with ({shown}), not converted "
            "to UTC, so each date, month and year is the one the data was written in")


def date_formats(con, values: list[str], most: int = 4) -> tuple[list[str], list[str]]:
    """The fewest formats, best first, that read ``values`` (greedy: the format reading most of
    what is left, up to ``most``), and those among them whose day/month twin reads as many."""
    if not values:
        return [], []
    con.execute("CREATE OR REPLACE TEMP TABLE __datesample(v VARCHAR)")
    con.executemany("INSERT INTO __datesample VALUES (?)", [[v] for v in values])
    counts_sql = ", ".join(f"count(try_strptime(v, {ql(f)}))" for f in schema.DATE_FORMATS)
    chosen: list[str] = []
    left = "true"
    counts: dict[str, int] = {}
    for _ in range(most):
        row = con.execute(f"SELECT {counts_sql} FROM __datesample WHERE {left}").fetchall()[0]
        counts = counts or dict(zip(schema.DATE_FORMATS, row))  # over all values: for the ambiguity check
        best = max(range(len(row)), key=lambda i: (row[i], -i))
        if row[best] == 0:
            break
        chosen.append(schema.DATE_FORMATS[best])
        left += f" AND try_strptime(v, {ql(schema.DATE_FORMATS[best])}) IS NULL"
    con.execute("DROP TABLE __datesample")

    def twin(f: str) -> str:
        return f.replace("%d/%m", "%m/%d") if "%d/%m" in f else f.replace("%m/%d", "%d/%m")

    ambiguous = [f for f in chosen if ("%d/%m" in f or "%m/%d" in f) and counts.get(twin(f), 0) == counts[f]]
    return chosen, ambiguous


def number_expression(column: str, sample: Sample) -> str:
    """Numbers stored as text: currency signs, thousands separators, decimal commas, (negatives)."""
    values = [str(v).strip() for v in sample(2000)]
    comma_decimal = sum(bool(re.fullmatch(r"-?[^\d-]*\d{1,3}(\.\d{3})*,\d{1,2}\D*", v)) for v in values) > \
        0.5 * max(1, sum("," in v or "." in v for v in values))
    c = f"trim(CAST({qi(column)} AS VARCHAR))"
    cleaned = f"regexp_replace({c}, '[^0-9,.\\-]', '', 'g')"
    cleaned = f"replace(replace({cleaned}, '.', ''), ',', '.')" if comma_decimal else f"replace({cleaned}, ',', '')"
    neg = f"CASE WHEN regexp_full_match({c}, '\\(.*\\)') THEN -1 ELSE 1 END"
    return f"({neg} * TRY_CAST(nullif({cleaned}, '') AS DOUBLE))"
