"""How a source column becomes a canonical column: one typed SQL expression per column.

Typed columns are cast; text is read: dates by the strptime formats that fit a sample of the
values (several when a column mixes formats, with a warning), day and month in the order the
whole column shows (a note says month first, and the order taken when no value tells, with
[definitions] date_order to change it), two-digit years as 1969-2068, numbers with currency signs, thousands separators, decimal commas and
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
               padded: bool = True, count=None, order: str | None = None, among=None, nothing=None) -> str:
    """SQL reading source ``column`` (DuckDB type ``t``) as ``canonical``; notes go to ``warnings``.
    ``padded=False`` says the text column holds no blank-padded or empty values, so it is used as
    it is instead of trimmed on every query. A date column: ``count`` and ``order`` as
    ``date_expression`` takes them. ``among(words)``: the column's values that are one of ``words``
    (lower case, trimmed), asked of the engine (a few rows, whatever bound a remote engine has);
    ``nothing()``: the words for a missing value (``NOTHING``) among the column's first values, read as
    blanks in a text column."""
    c = qi(column)
    if canonical in schema.DATE_COLUMNS:
        return date_expression(column, t, con, sample, warnings, count=count, order=order)
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
        return c if t == "BOOLEAN" else flag_expression(column, status=schema.churn_status(set(map(str, sample(2000)))))
    if canonical in PLACEHOLDER_COLUMNS and t == "VARCHAR":
        said = sorted(among(PLACEHOLDERS) if among else
                      {str(v).strip() for v in sample(2000) if str(v).strip().lower() in PLACEHOLDERS})
        if said:  # a till's "NONE" item: no product named, never a product of its own
            warnings.append(f"column {column!r}: {', '.join(repr(v) for v in said)} read as blank (no {canonical} named)")
            words = ", ".join(ql(w) for w in sorted(PLACEHOLDERS))
            return (f"CASE WHEN lower(trim(CAST({c} AS VARCHAR))) IN ({words}) THEN NULL "
                    f"ELSE nullif(trim(CAST({c} AS VARCHAR)), '') END")
    if canonical == "gender" and t == "VARCHAR" and among is not None:
        spelt = among(frozenset(GENDER_SPELLINGS))
        if len({GENDER_SPELLINGS[v.strip().lower()] for v in spelt}) < len({v.strip() for v in spelt}):
            # "M", "Male", "male" and "F", "Female": one value each, however spelt (a gym's members list)
            warnings.append(f"column {column!r}: {', '.join(repr(v) for v in sorted(spelt))} read as "
                            "Female and Male (the same values spelt more than one way)")
            cases = " ".join(f"WHEN {ql(k)} THEN {ql(v)}" for k, v in sorted(GENDER_SPELLINGS.items()))
            return f"CASE lower(trim(CAST({c} AS VARCHAR))) {cases} ELSE nullif(trim(CAST({c} AS VARCHAR)), '') END"
    if t == "VARCHAR" and canonical not in schema.ID_COLUMNS and nothing is not None:
        said = nothing()
        if said:  # a "null" city, an "N/A" region: nothing said, never a value of its own
            warnings.append(f"column {column!r}: {', '.join(repr(v) for v in said)} read as blank (a missing value)")
            return nothing_as_blank(column)
    if t == "VARCHAR" and not padded:
        return c
    return f"nullif(trim(CAST({c} AS VARCHAR)), '')"


#: the spellings of a gender column's two most common values, read as one where a column mixes them
GENDER_SPELLINGS = {**dict.fromkeys(("f", "female", "woman", "w", "femme", "feminino", "femenino", "weiblich"), "Female"),
                    **dict.fromkeys(("m", "male", "man", "homme", "masculino", "männlich", "maennlich"), "Male")}


def nothing_as_blank(column: str) -> str:
    """SQL reading text ``column`` with the words for a missing value (``NOTHING``) as blanks."""
    c = qi(column)
    words = ", ".join(ql(w) for w in sorted(NOTHING))
    return f"CASE WHEN lower(trim(CAST({c} AS VARCHAR))) IN ({words}) THEN NULL ELSE nullif(trim(CAST({c} AS VARCHAR)), '') END"


#: values that name nothing, in the columns that name what was sold ("NONE" in the Kaggle bakery's
#: Item): read as blanks
PLACEHOLDERS = frozenset({"none", "null", "nil", "nan", "n/a", "#n/a", "-", "--", "?"})
PLACEHOLDER_COLUMNS = frozenset({"product", "category"})
#: what a database or spreadsheet export writes for a missing value, in any text column ("null" cities):
#: read as blanks. Not "none" or "-", which a column may mean ("None" of a plan, a discount code)
NOTHING = frozenset({"null", "(null)", "nil", "nan", "#n/a", "n/a", "undefined"})


def email_key(column: str) -> str:
    """A customer id column holding e-mail addresses: each id trimmed and, when it is an e-mail,
    in lower case, so " Ann@Shop.com" and "ann@shop.com" are one customer (an address's case
    means nothing to the people it belongs to); other ids stay as written. The Dataset counts the
    ids this merges (``Dataset._email_spellings``)."""
    v = f"nullif(trim(CAST({qi(column)} AS VARCHAR)), '')"
    return f"CASE WHEN {v} LIKE '%@%' THEN lower({v}) ELSE {v} END"


def flag_expression(column: str, alias: str = "", status: bool = False) -> str:
    """Yes/No, 1/0, churned/active, true/false...: true, false, or NULL for anything else (blanks).
    ``alias`` qualifies the column (``f`` for ``f."Recommended"``). ``status``: a customer status
    (``schema.churn_status``): every value that is not a yes spelling is false, blanks NULL."""
    yes = ", ".join(ql(w) for w in schema.flag_spellings(schema.TRUE_WORDS))  # "attrited customer" too
    no = ", ".join(ql(w) for w in schema.flag_spellings(schema.FALSE_WORDS))
    v = f"lower(trim(CAST({alias + '.' if alias else ''}{qi(column)} AS VARCHAR)))"
    if status:
        return f"CASE WHEN {v} IN ({yes}) THEN true WHEN nullif({v}, '') IS NOT NULL THEN false END"
    return f"CASE WHEN {v} IN ({yes}) THEN true WHEN {v} IN ({no}) THEN false END"


def date_expression(column: str, t: str, con, sample: Sample, warnings: list[str],
                    count: Callable[[str, str], tuple] | None = None, order: str | None = None) -> str:
    """SQL reading the date column ``column``. Text: the formats that fit a sample of its values;
    where a format could be read day first or month first (3/4/2024), the order is decided over
    the whole column (``count(fmt, twin)``: the row of ``order_counts_sql``, asked of the engine),
    so that one 13/12/2024 or 12/13/2024 anywhere decides it; where every value is ambiguous,
    ``order`` ([definitions] date_order: "day first" or "month first") or the usual preference
    is taken and said."""
    c = qi(column)
    if is_temporal(t):
        return f"CAST({c} AS TIMESTAMP)"
    if is_integer(t):
        return f"try_strptime(CAST({c} AS VARCHAR), '%Y%m%d')"
    values = [str(v).strip() for v in sample(3000)]
    formats = date_formats(con, values)
    if not formats:
        warnings.append(f"column {column!r}: no date format fits values like {values[:3]}; "
                        "dates in it are treated as missing")
        return "CAST(NULL AS TIMESTAMP)"
    formats = day_month_order(column, formats, values, con, count, order, warnings)
    if len(formats) > 1:
        warnings.append(f"column {column!r} mixes date formats ({', '.join(formats)}); each value is read "
                        "with the first format that fits")
    # a two-digit year first: DuckDB's %Y would read the 10 of 12/1/10 as the year 10
    formats = sorted(formats, key=lambda f: "%y" not in f)
    v = f"trim(CAST({c} AS VARCHAR))"
    if any("%z" in f for f in formats):
        note = offsets_note(column, values)
        if note not in warnings:
            warnings.append(note)
        return f"CAST(coalesce({', '.join(wall_clock(v, f) for f in formats)}) AS TIMESTAMP)"
    if any("%y" in f for f in formats):
        warnings.append(f"column {column!r}: two-digit years read as 1969-1999 from 69 to 99 and as 2000-2068 "
                        "below (10 is 2010, 97 is 1997)")
    fmts = "[" + ", ".join(ql(f) for f in formats) + "]"
    read = f"CAST(try_strptime({v}, {fmts}) AS TIMESTAMP)"
    if any("%Y" in f and not f.startswith("%Y") for f in formats):
        # DuckDB's %Y takes the '10' of 12/1/10 as the year 10, the other engines as no date: none here
        return f"CASE WHEN year({read}) >= 1000 THEN {read} END"
    return read


#: the values of [definitions] date_order
DATE_ORDERS = ("day first", "month first")


def twin(fmt: str) -> str:
    """The format with day and month swapped ('%d/%m/%Y' <-> '%m/%d/%Y'); itself when it has no
    day and month side by side, or whose year comes first (ISO's %Y-%m-%d is never read day first)."""
    if fmt.startswith("%Y"):
        return fmt
    for a, b in (("%d/%m", "%m/%d"), ("%d.%m", "%m.%d"), ("%d-%m", "%m-%d")):
        if a in fmt:
            return fmt.replace(a, b)
        if b in fmt:
            return fmt.replace(b, a)
    return fmt


def _spelled(fmt: str) -> str:
    """'%m/%d/%y %H:%M' as people write it: 'month/day/year'."""
    words = {"%d": "day", "%m": "month", "%y": "year", "%Y": "year"}
    return re.sub(r"%[dmyY]", lambda m: words[m.group()], fmt.split(" ")[0])


def day_first(fmt: str) -> bool:
    return fmt.index("%d") < fmt.index("%m")


def order_counts_sql(v: str, f: str, other: str) -> str:
    """The select list, over text ``v``, of: how many values ``f`` reads, how many ``other``
    reads, a value only ``f`` reads and one only ``other`` reads (NULL for none); the same SQL on
    every engine (try_strptime is translated)."""
    a, b = f"try_strptime({v}, {ql(f)})", f"try_strptime({v}, {ql(other)})"
    return (f"count({a}), count({b}), min({v}) FILTER (WHERE {a} IS NOT NULL AND {b} IS NULL), "
            f"min({v}) FILTER (WHERE {b} IS NOT NULL AND {a} IS NULL)")


def day_month_order(column: str, formats: list[str], values: list[str], con, count, order: str | None,
                    warnings: list[str]) -> list[str]:
    """``formats`` with each day/month format put in the order the column's values show: a format
    and its twin are counted over the whole column (``count(f, other)``, the row of
    ``order_counts_sql``; the sample without it), and the one reading more is kept (a day past 12
    in the second place is month first). Every value reading both ways: the ``order`` asked for
    ([definitions] date_order), else the format found first; the order taken is said, with how to
    change it. Month first is said too, with a value that shows it."""
    out: list[str] = []
    undecided: list[tuple[int, str, str]] = []  # (place, format, twin) of formats whose values read both ways
    for f in formats:
        other = twin(f)
        if other == f or other in formats:  # no twin, or both read some values (mixed): each kept
            if f not in out:
                out.append(f)
            continue
        if count is not None:
            n_f, n_other, only_f, only_other = count(f, other)
        else:
            con.execute("CREATE OR REPLACE TEMP TABLE __dateorder(v VARCHAR)")
            con.executemany("INSERT INTO __dateorder VALUES (?)", [[v] for v in values])
            n_f, n_other, only_f, only_other = con.execute(
                f"SELECT {order_counts_sql('v', f, other)} FROM __dateorder").fetchall()[0]
            con.execute("DROP TABLE __dateorder")
        if n_f == n_other and not only_f and not only_other:  # nothing in the values tells day from month
            undecided.append((len(out), f, other))
            continue
        pick, shown = (f, only_f) if n_f >= n_other else (other, only_other)
        shown = f"{shown!r} can only be read so" if shown else ""
        if order in DATE_ORDERS and day_first(pick) != (order == "day first"):
            warnings.append(f"column {column!r}: read as {_spelled(pick)}, not {order} as date_order says: "
                            + (shown or "its values read so"))
        elif not day_first(pick):  # month first is said: the reading a day-first reader would not expect
            warnings.append(f"column {column!r}: dates read as {_spelled(pick)} (month first)"
                            + (f": {shown}" if shown else ""))
        if pick not in out:
            out.append(pick)
    # a column is written one way: where its other formats show the order (1/13/11 beside 01-02-11), a
    # format whose own values read both ways takes it, unless date_order says otherwise
    shown_orders = {day_first(f) for f in out if "%d" in f and "%m" in f and twin(f) != f}
    for place, f, other in reversed(undecided):
        if order not in DATE_ORDERS and len(shown_orders) == 1:
            pick = f if day_first(f) == next(iter(shown_orders)) else other
            example = next((v for v in values if _when(con, v, pick)), "")
            said = f" ({example!r} is {_when(con, example, pick)})" if example else ""
            warnings.append(f"column {column!r}: its {_spelled(pick)} dates have no day past 12; read "
                            f"{'day' if day_first(pick) else 'month'} first, as the column's other dates show{said}")
            if pick not in out:
                out.insert(place, pick)
            continue
        pick = f
        if order in DATE_ORDERS:
            pick = f if day_first(f) == (order == "day first") else other
        example = next((v for v in values[:50] if _when(con, v, pick)), "")
        said = f" ({example!r} is {_when(con, example, pick)})" if example else ""
        if order in DATE_ORDERS:
            warnings.append(f"column {column!r}: read as {_spelled(pick)}{said}, as date_order = \"{order}\" "
                            "says (no date in it has a day past 12)")
        else:
            warnings.append(
                f"column {column!r}: no date in it has a day past 12, so day and month cannot be told apart; "
                f"read as {_spelled(pick)}{said}. If that is wrong, set date_order = "
                f"\"{'month first' if day_first(pick) else 'day first'}\" under [definitions] in a custlens.toml "
                "next to the data")
        if pick not in out:
            out.insert(place, pick)
    return out


def _when(con, value: str, fmt: str) -> str:
    """The date ``value`` reads as with ``fmt``, in words ('1 December 2010'); '' if it does not."""
    got = con.execute("SELECT try_strptime(?, ?)", [value, fmt]).fetchall()[0][0]
    return f"{got.day} {got.strftime('%B %Y')}" if got and _shaped(value, fmt) else ""


def _shaped(value: str, fmt: str) -> bool:
    """Whether ``value`` has the shape of ``fmt``: a four-digit year where it says %Y (DuckDB's
    strptime reads '10' with %Y as the year 10)."""
    return bool(re.fullmatch(format_regex(fmt), value))


def format_regex(fmt: str) -> str:
    """A regular expression of the text ``fmt`` (a strptime format) reads: the directives the
    engines translate by their shape (engines._STRPTIME), any other as anything."""
    from .engines import _STRPTIME

    out, i = "", 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            out += _STRPTIME[fmt[i + 1]][0] if fmt[i + 1] in _STRPTIME else ".*"
            i += 2
            continue
        out += re.escape(fmt[i])
        i += 1
    return out


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


def date_formats(con, values: list[str], most: int = 4) -> list[str]:
    """The fewest formats, best first, that read ``values`` (greedy: the format reading most of
    what is left, up to ``most``); a format with a four-digit year (%Y) counts only the values
    with one. Which of day and month comes first is ``day_month_order``'s to decide."""
    if not values:
        return []
    con.execute("CREATE OR REPLACE TEMP TABLE __datesample(v VARCHAR)")
    con.executemany("INSERT INTO __datesample VALUES (?)", [[v] for v in values])
    # a format counts the values of its shape only: '12/1/10' is no %m/%d/%Y date (DuckDB reads the year 10)
    counts_sql = ", ".join(f"count(try_strptime(v, {ql(f)})) FILTER (WHERE regexp_full_match(v, {ql(format_regex(f))}))"
                           if "%Y" in f else f"count(try_strptime(v, {ql(f)}))" for f in schema.DATE_FORMATS)
    chosen: list[str] = []
    left = "true"
    for _ in range(most):
        row = con.execute(f"SELECT {counts_sql} FROM __datesample WHERE {left}").fetchall()[0]
        best = max(range(len(row)), key=lambda i: (row[i], -i))
        if row[best] == 0:
            break
        chosen.append(schema.DATE_FORMATS[best])
        read = f"try_strptime(v, {ql(schema.DATE_FORMATS[best])}) IS NOT NULL"
        if "%Y" in schema.DATE_FORMATS[best]:
            read += f" AND regexp_full_match(v, {ql(format_regex(schema.DATE_FORMATS[best]))})"
        left += f" AND NOT ({read})"
    con.execute("DROP TABLE __datesample")
    return chosen


#: the digits (and separators) of a number written as text, told apart by what their marks can only
#: mean: a comma with one, two or four and more digits after it, or after dot-grouped thousands, is
#: a decimal comma (74,69; 548,9715; 1.234,5); comma groups of three more than once, or before a
#: dot, are thousands (1,234,567; 1,234.50); a dot with other than three digits after it is a
#: decimal point (12.5; 4.761904). "1,234" and "1.234" could be either and tell nothing.
DECIMAL_COMMA = r"(\d{1,3}(\.\d{3})+,\d+|\d+,(\d{1,2}|\d{4,}))"
THOUSANDS_COMMA = r"(\d{1,3}(,\d{3}){2,}(\.\d+)?|\d{1,3}(,\d{3})+\.\d+)"
DECIMAL_POINT = r"(\d+\.(\d{1,2}|\d{4,}))"
#: a whole value written with a decimal comma and nothing else (an optional sign, dot-grouped
#: thousands): what a semicolon-separated export from a European spreadsheet holds
COMMA_NUMBER = r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?"


def decimal_comma(values) -> bool:
    """Whether the comma of these numbers written as text is their decimal mark: more values show
    it can only be (``DECIMAL_COMMA``) than show a thousands comma or a decimal point can only be
    there. Counted over the values, so that 548,9715 (four decimals, as a re-saved sheet keeps
    them) is as plain a decimal comma as 74,69."""
    digits = [re.sub(r"[^\d,.]", "", str(v)) for v in values]
    comma = sum(bool(re.fullmatch(DECIMAL_COMMA, d)) for d in digits)
    other = sum(bool(re.fullmatch(THOUSANDS_COMMA, d) or re.fullmatch(DECIMAL_POINT, d)) for d in digits)
    return comma > other


def number_expression(column: str, sample: Sample) -> str:
    """Numbers stored as text: currency signs, thousands separators, decimal commas, (negatives)."""
    values = [str(v).strip() for v in sample(2000)]
    comma_decimal = decimal_comma(values)
    c = f"trim(CAST({qi(column)} AS VARCHAR))"
    cleaned = f"regexp_replace({c}, '[^0-9,.\\-]', '', 'g')"
    cleaned = f"replace(replace({cleaned}, '.', ''), ',', '.')" if comma_decimal else f"replace({cleaned}, ',', '')"
    neg = f"CASE WHEN regexp_full_match({c}, '\\(.*\\)') THEN -1 ELSE 1 END"
    return f"({neg} * TRY_CAST(nullif({cleaned}, '') AS DOUBLE))"
