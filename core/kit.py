"""The kit: pieces of SQL that every analysis needs the same way, written once.

``dimension(dataset, name)`` says how to break figures over the purchase lines (``transactions
AS t``) down by ``name``: the SQL expression, the join it needs and the warnings an answer that
uses it must carry. A breakdown column holds one value per customer whatever the source: the
``customers`` view is one row per customer id (the Dataset collapses duplicates, see
``Dataset._one_row_per_customer``), saved segment labels are one per customer, and
``per_customer(dataset, name)`` gives a sales column as each customer's most frequent value.
``dimensions(dataset)`` lists what can be broken down by, the same list for every analysis.

    from custlens.kit import dimension, joins
    d = dimension(dataset, "gender")
    dataset.query(f"SELECT {d.expr} AS gender, sum(t.amount) FROM transactions t {d.join} "
                  f"WHERE {where} GROUP BY 1", args)
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

from . import rx, schema
from .errors import DataError, ParamsError
from .sql import qi, ql

#: breakdowns every sales analysis knows, besides the columns of the data
BUILT_IN = ("product", "category", "country", "region", "channel", "customer", "period")
#: columns that are measures, ids or dates, never a breakdown
NOT_DIMENSIONS = frozenset({"amount", "quantity", "unit_price", "cost", "unit_cost", "discount", "refund", "profit",
                            "order_id", "customer_id", "order_date", "signup_date", "score", "text",
                            "event", "session_id", "timestamp"})
GRAINS = ("day", "week", "month", "quarter", "year")
#: breakdowns by where in a repeating cycle the date falls ("sales by day of the week", "orders by
#: hour of the day", "weekends vs weekdays"): one group per weekday, hour or part of the week, not
#: per period. Each is (the SQL of a line's group, the SQL of its place in the cycle) over the date
#: column ``{date}``, shown in the cycle's order (Monday to Sunday, 00:00 to 23:00), never
#: alphabetically. The weekday is counted from a known Monday (2000-01-03), not read from the engine's
#: day names or numbering, which differ (Spark counts from Sunday, PostgreSQL names days in its locale)
_ISO_DAY = "((((date_diff('day', DATE '2000-01-03', CAST({date} AS DATE)) % 7) + 7) % 7) + 1)"  # 1 = Monday
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_HOUR = "CAST(extract(hour FROM CAST({date} AS TIMESTAMP)) AS INTEGER)"
#: the parts of the week, as "weekends vs weekdays" groups them
WEEK_PARTS = ("weekdays (Mon-Fri)", "weekend (Sat-Sun)")
CYCLES = {
    "weekday": ("CASE " + _ISO_DAY + " " + " ".join(f"WHEN {i} THEN '{d}'" for i, d in enumerate(WEEKDAYS, 1))
                + " END", _ISO_DAY),
    "hour": ("lpad(CAST(" + _HOUR + " AS VARCHAR), 2, '0') || ':00'", _HOUR),
    "part_of_week": (f"CASE WHEN {_ISO_DAY} >= 6 THEN '{WEEK_PARTS[1]}' ELSE '{WEEK_PARTS[0]}' END",
                     f"CASE WHEN {_ISO_DAY} >= 6 THEN 2 ELSE 1 END"),
}
#: cycles that one of the other holds: a breakdown by either sets a filter on the other aside ("weekends vs weekdays"
#: after "on saturdays" asks about every day, not Saturday's one part of the week)
NESTED_CYCLES = {"weekday": ("part_of_week",), "part_of_week": ("weekday",)}
#: the first words of the note saying which clock a cycle's hours and weekdays are read on (first line too)
CLOCK = "clock"


@dataclass
class Dimension:
    """How to break purchase lines (``transactions AS t``) down by one column."""

    name: str  # as asked: "gender", "period", "customer"
    expr: str  # SQL for the value of a line: "c.gender", "t.country", "CAST(date_trunc(...) AS DATE)"
    join: str = ""  # the join ``expr`` needs after ``FROM transactions t`` ("" for a column of the lines)
    origin: str = "transactions"  # transactions, customers, segments, period
    warnings: list[str] = field(default_factory=list)  # what an answer using it must say
    #: for a breakdown by a cycle (``CYCLES``): SQL of a line's place in it, so that groups are shown in
    #: the cycle's order, not ranked (``cycle_place`` puts labels in it in Python); "" for every other breakdown
    order: str = ""

    @property
    def column(self) -> str:
        """The name of the breakdown's column in a table."""
        return self.name


def _ccols(dataset) -> set[str]:
    return dataset.columns("customers") if dataset.has("customers") else set()


def _tcols(dataset) -> set[str]:
    return dataset.columns("transactions") if dataset.has("transactions") else set()


def join_warnings(dataset, role: str = "transactions") -> list[str]:
    """What an answer joining the customers to the rows of ``role`` must say: the customers sources
    that few of the orders' customers are found in, and the rows of ``role`` without a matching
    customer (``joins.said``)."""
    from . import joins

    return [f"{s.name}: {s.join['warning']}" for s in dataset.sources
            if s.role == "customers" and s.join.get("warning")] + joins.said(dataset, role)


def dimensions(dataset, role: str = "transactions") -> list[str]:
    """Everything the rows of ``role`` (the sales by default) can be broken down by: the built-in
    names the data has, the columns of the role and of the customers data, and ``segment`` once
    labels are saved."""
    own, ccols = (dataset.columns(role) if dataset.has(role) else set()), _ccols(dataset)
    date = dataset.SCOPE_DATE.get(role, "order_date")
    out = [d for d in BUILT_IN if d == "period" and date in own or d == "customer" and "customer_id" in own
           or d in own and d not in NOT_DIMENSIONS | {date} or d in ccols]
    out += [d for d in CYCLES if date in own and d not in own | ccols]
    out += sorted((own | ccols | ({"segment"} if dataset.has_segments else set()))
                  - NOT_DIMENSIONS - {date} - set(out))
    return out


def dimension(dataset, name: str, grain: str = "month", alias: str = "t", doing: str = "break down",
              role: str = "transactions", date: str | None = None) -> Dimension:
    """How to break the rows of ``role`` (transactions, feedback or events, as ``alias``) down by
    ``name``: ``period`` (its date by ``grain``, or ``date``'s: a subscription's end for "ended
    by month"), ``customer``, a column of the role, ``segment`` (saved labels first), or a customers
    attribute (one row per customer, joined on the customer id). An unknown name is a DataError
    listing the options ("cannot {doing} by 'colour'...")."""
    a = alias
    own = dataset.columns(role) if dataset.has(role) else set()
    ccols = _ccols(dataset)
    if date and name == "period" and date in own:
        return Dimension(name, period_sql(dataset, f"{a}.{qi(date)}", grain), origin="period")
    date = dataset.SCOPE_DATE.get(role, "order_date")
    if name == "period" and date in own:
        return Dimension(name, period_sql(dataset, f"{a}.{date}", grain), origin="period")
    if name == "customer" and "customer_id" in own:  # rows without a customer id are no customer: left out
        return Dimension(name, f"{a}.customer_id", known_customer(a), origin=role)
    if name == "segment" and dataset.has_segments:
        return Dimension(name, "seg.segment", f"LEFT JOIN segments seg ON seg.customer_id = {a}.customer_id",
                         "segments")
    # groups are never None or nan: rows without a customer are "(no contact)", empty values "(blank)"
    from . import joins

    # a customers table's own column is its own even where a sales line's would be no group ("amount" of a list of
    # people: was a join to itself under another name, and a crash)
    if name in own and (name not in NOT_DIMENSIONS | {date} or role == "customers" and name not in schema.ID_COLUMNS):
        edges = numeric_bands(dataset, name, role) if name in line_numbers(dataset, role) else None
        if edges:  # "revenue by age" of the lines: quartile bands of the whole column, as a customers number's
            label, said = _banded(f"{a}.{qi(name)}", edges)
            return Dimension(name, label, origin=role,
                             warnings=[f"{name.replace('_', ' ')} in its quartile bands over every line ({said})"])
        raw = f"{a}.{qi(name)}"
        expr, notes = merged_cases(dataset, role, name, raw, joins.labelled(dataset, raw, _type(dataset, role, name)))
        return Dimension(name, expr, origin=role, warnings=notes)
    lost = joins.no_match(dataset, role) if name in ccols and name != "customer_id" else None
    if lost:  # no row finds a customer: one "(no contact)" group would answer nothing
        raise DataError(f"cannot {doing} by {name!r}: {lost}")
    if name in ccols and name != "customer_id" and "customer_id" in own:
        t = _type(dataset, "customers", name)
        nulls = t != "VARCHAR" and bool(dataset.engine.rows(
            f"SELECT count(*) FROM customers WHERE {qi(name)} IS NULL")[0][0])
        expr = joins.labelled(dataset, f"c.{qi(name)}", t, "c.customer_id", role, nulls)
        edges = numeric_bands(dataset, name) if t.split("(")[0] in _NUMBER_TYPES else None
        notes = []
        if edges:  # "revenue by age" (a customers number): its quartile bands over the customers, not one row per age
            band, said = _banded(f"c.{qi(name)}", edges)
            lack = joins.unmatched(dataset, role) > 0
            expr = f"CASE WHEN c.customer_id IS NULL THEN {ql(joins.missing_label(dataset))} ELSE {band} END" if lack \
                else band
            notes = [f"{name.replace('_', ' ')} in its quartile bands over the customers ({said})"]
        else:
            expr, notes = merged_cases(dataset, "customers", name, f"c.{qi(name)}", expr)
        return Dimension(name, expr, f"LEFT JOIN customers c ON c.customer_id = {a}.customer_id",
                         "customers", join_warnings(dataset, role) + notes)
    if name in CYCLES and date in own:
        return _cycle(dataset, name, f"{a}.{date}", date, doing, role)
    column = read_as(dataset, name, role) or (stand_in(dataset, name, role) if name in BUILT_IN else None)
    if column is not None:  # "by department" (category) in a reviews file: its Department Name
        d = dimension(dataset, column, grain, alias, doing, role)
        d.warnings = [*d.warnings, stood_in(name, column)]
        return d
    raise DataError(unknown(dataset, name, doing, role))


_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL")


def _banded(column: str, edges: list[float]) -> tuple[str, str]:
    """SQL naming the quartile band (``numeric_bands``) of ``column`` (blank: "(blank)"), with the
    edges written in (a breakdown's expression takes no parameters), and the bands as said."""
    from . import joins

    bounds = [None, *edges, None]
    expr = f"TRY_CAST({column} AS DOUBLE)"
    whens = " ".join(f"WHEN {expr} <= {hi!r} THEN {ql(band_label(lo, hi))}" for lo, hi in zip(bounds[:-2], bounds[1:-1]))
    label = f"CASE {whens} WHEN {expr} IS NOT NULL THEN {ql(band_label(bounds[-2], None))} ELSE {ql(joins.BLANK)} END"
    return label, ", ".join(band_label(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:]))


def _cycle(dataset, name: str, column: str, date: str, doing: str, role: str) -> Dimension:
    """A breakdown by weekday, hour or part of the week of ``column`` (``CYCLES``), said with the clock
    its times are read on (``clock_note``). By hour only when the dates have a time of day: dates
    alone are all at midnight, and one "00:00" group would answer nothing."""
    if name == "hour":
        hours = dataset.engine.rows(f"SELECT count(DISTINCT {_HOUR.format(date=qi(date))}) FROM {role}")[0][0]
        if (hours or 0) <= 1:
            raise DataError(f"cannot {doing} by hour: {date} has dates without a time of day, so every "
                            f"{'order' if role == 'transactions' else 'row'} falls in the same hour. Break down by "
                            "weekday or by a period (day, week, month) instead.")
    label, order = CYCLES[name]
    return Dimension(name, label.format(date=column), origin=role, order=order.format(date=column),
                     warnings=[clock_note(dataset, role, date, name)])


def cycle_place(name: str, value) -> tuple:
    """Where a group label of a cycle breakdown (``CYCLES``) falls in the cycle, for sorting in Python:
    Monday before Sunday, "09:00" before "23:00", weekdays before the weekend."""
    text = str(value)
    if name == "weekday" and text in WEEKDAYS:
        return (0, WEEKDAYS.index(text))
    if name == "part_of_week" and text in WEEK_PARTS:
        return (0, WEEK_PARTS.index(text))
    return (1, text)


def clock_note(dataset, role: str, date: str, name: str) -> str:
    """Which clock the hours and weekdays of a cycle breakdown are read on: the data's own local time
    as written when its times carry UTC offsets (Shopify's "2022-01-11 04:32:31 -0500" is 04:00 on a
    Tuesday, not 09:00 UTC), else the times as written, the data naming no time zone."""
    what = {"hour": "hours", "weekday": "weekdays", "part_of_week": "weekdays and weekends"}.get(name, name)
    written = [w for s in dataset.sources if s.role == role for w in s.warnings
               if "times are read in the offsets they were written with" in w]
    if written:
        offsets = rx.search(r"\(([^)]*)\)", written[0])
        return (f"{CLOCK}: {what} in the data's own local time, as written (UTC offsets "
                f"{offsets.group(1) if offsets else 'seen'} read as written, not converted to UTC)")
    from .column_sql import is_temporal

    stored = []
    for src in dataset.sources:
        match = dataset.mapping_of(src).get(date) if src.role == role else None
        if match is not None and is_temporal(str(src.columns.get(match.column, ""))):
            stored.append(str(match.column))
    if stored:  # read as timestamps by the engine or the file itself (Spark reads an offset into its own zone)
        return (f"{CLOCK}: {what} of {stored[0]} as its timestamps are stored (the engine's clock: any UTC "
                "offset in the file was applied when it was read, not kept as written)")
    return f"{CLOCK}: {what} as the times of {date} are written (the data names no time zone)"


def stood_in(name: str, column: str) -> str:
    """The note of a breakdown read as the data's column that stands for it (``stand_in``), in the
    form the first line of an answer repeats (``meant.READ_AS``)."""
    return f"read '{name}' as {column}"


def known_customer(alias: str = "t") -> str:
    """The join of a breakdown by customer: it keeps only the rows with a customer id (an inner join
    on a one-row relation), so no query that takes the breakdown's join ranks or counts the lines
    without one as a customer ("nan", "None" or a blank name at the top of "top 10 customers").
    Shop-wide totals never take it; the lines left out are said once per answer, in the source's
    note ("N line(s) have no customer id ... worth X")."""
    return f"JOIN (SELECT 1 AS known) known_customer ON {alias}.customer_id IS NOT NULL"


def _type(dataset, relation: str, column: str) -> str | None:
    """The type of a column of a canonical view (None when it cannot be told)."""
    try:
        return dataset.relation_columns(relation).get(column)
    except Exception:  # noqa: BLE001 - a view that cannot be described: treated as text
        return None


def period_sql(dataset, column: str, grain: str = "month") -> str:
    """SQL for the start (a DATE) of the ``grain`` period that ``column`` falls in; years and
    quarters are fiscal when custlens.toml [definitions] sets fiscal_year_start (label them with
    ``templates.period_value(day, grain, fiscal_start=...)``)."""
    if grain not in GRAINS:
        raise ValueError(f"grain {grain!r}: one of {', '.join(GRAINS)}")
    shift = dataset.definitions.fiscal_year_start - 1 if grain in ("year", "quarter") else 0
    if shift:
        return (f"CAST(date_trunc('{grain}', {column} - INTERVAL {shift} MONTH) + INTERVAL {shift} MONTH AS DATE)")
    return f"CAST(date_trunc('{grain}', {column}) AS DATE)"


def joins(*dims: Dimension) -> str:
    """The joins of several dimensions, each once."""
    return " ".join(dict.fromkeys(d.join for d in dims if d.join))


def unread_dates(dataset) -> list[tuple[Any, list[str]]]:
    """(source, its date columns) of the loaded sources whose dates no period reads: columns typed as
    dates, or named as one ("close_date", "created_at"), in a source read as customers (only a signup
    date is read there) or not read as the role's date. For saying, where the data "has no dates",
    which columns it has and how to use one."""
    from .column_sql import is_temporal

    out = []
    for src in dataset.sources:
        mapping = dataset.mapping_of(src) if src.role else {}
        used = {m.column for m in mapping.values()}
        own = schema.DATE_OF.get(src.role or "")
        if src.role not in ("customers", None) and own in mapping:
            continue
        dates = [c for c, t in src.columns.items() if c not in used and (
            is_temporal(t) or rx.search(r"(?:^|[_\s])(?:date|datetime|timestamp)(?:$|[_\s])|_at$", c.lower()))]
        if dates:
            out.append((src, dates))
    return out


def dates_hint(dataset) -> str:
    """" crm.csv has the dates close_date, engage_date but is read as customers: to read its rows as
    sales dated by one, load it with --data transactions=PATH --map order_date=close_date." (empty when no
    source has unread dates)."""
    parts = []
    for src, dates in unread_dates(dataset):
        path = src.raw.path if src.raw.path and not src.raw.path.startswith("<") else src.name
        parts.append(f"{src.name} has the date column(s) {', '.join(dates)} but is read as {src.role or 'nothing'}"
                     f"{' (one row per customer)' if src.role == 'customers' else ''}: to read its rows as sales "
                     f"dated by one, load it with --data transactions={path} --map order_date={dates[0]} "
                     "(and --map amount=COLUMN, --map customer_id=COLUMN for the money and the customer)")
    return (" " + "; ".join(parts) + ".") if parts else ""


def unknown(dataset, name: str, doing: str = "break down", role: str = "transactions") -> str:
    """The message for a breakdown the data does not have: the options, and how to map one."""
    if name == "period" and unread_dates(dataset):
        return (f"cannot {doing} by period: no loaded source is dated as sales, feedback or events."
                + dates_hint(dataset))
    hint = " No segment labels are saved yet: run a segmentation first." if name == "segment" else ""
    return (f"cannot {doing} by {name!r}: no loaded source has it.{hint} Break down by one of: "
            f"{', '.join(dimensions(dataset, role))}; or map a column with "
            f"--map {name if name != 'customer' else 'customer_id'}=COLUMN.")


#: a column of the codes a discount was given by (Shopify's Discount Code, WooCommerce's coupon, a
#: promo or voucher code): its blank is "no code", not a code, and its cost is the discount column
DISCOUNT_CODE = re.compile(r"^(?:discount|coupon|promo(?:tion)?|voucher)s?(?:_codes?|_used|_name)?$", re.I)


def discount_code(dataset, column: str) -> bool:
    """Whether a breakdown ``column`` of the sales lines is a discount code column beside a discount
    amount (``DISCOUNT_CODE``, and a canonical ``discount`` to say what the codes cost)."""
    return bool(DISCOUNT_CODE.match(column or "")) and dataset.has("transactions") and \
        column in dataset.columns("transactions") and "discount" in dataset.columns("transactions")


# --------------------------------------------------------------------------- service lines

#: words of a sales line's name that say it is no product but a service, fee or adjustment (UCI Online
#: Retail's POSTAGE, DOTCOM POSTAGE, CARRIAGE, AMAZON FEE, Bank Charges, Manual, Discount, SAMPLES)
SERVICE_WORDS = re.compile(r"\b(?:postage|shipping|shipment|carriage|freight|delivery|handling|fees?|charges?|"
                           r"surcharges?|manual|adjust(?:ment|ments|ed)?|discounts?|samples?|commission|"
                           r"returns?\s+label)\b", re.I)
#: a name of at most this many words is read by ``SERVICE_WORDS`` ("ZINC HEART LATTICE CHARGER LARGE" is a product)
SERVICE_NAME_WORDS = 3
#: a stock code column's codes hold a digit on at least this share of the lines for codes of letters only
#: (POST, DOT, M, AMAZONFEE, BANK CHARGES) to be read as services
CODED = 0.9
#: the note's opening, said on the answer's first line too
SET_ASIDE = "set aside"
_CODE_COLUMN = re.compile(r"(?:^|_)(?:stock_?code|sku|item_?(?:code|no|number)|product_?(?:code|no|number)|"
                          r"article_?(?:code|no|number)|stock_?(?:no|number))$")


def _code_column(dataset) -> str | None:
    """The stock code column of the sales lines beside their product (``_CODE_COLUMN``), or None."""
    cols = dataset.columns("transactions")
    return next((c for c in sorted(cols) if c != "product" and _CODE_COLUMN.search(c)), None)


def _services(codes: dict[str, list[str]], code: str | None, coded: bool) -> dict[str, str]:
    """{product: why} of ``service_products`` from each product's stock codes (``codes``)."""
    found: dict[str, str] = {}
    for product, cs in codes.items():
        words = SERVICE_WORDS.search(product)
        if words and len(product.split()) <= SERVICE_NAME_WORDS:
            found[product] = f"the name says {words.group(0).lower()}"
        elif coded and all(c and not rx.search(r"\d", c) for c in cs):
            found[product] = f"{code} {cs[0]}: letters only, where the other codes have digits"
    return found


def service_products(dataset) -> dict[str, str]:
    """{product: why} of the sales lines that are no product but postage, fees, charges or manual
    adjustments, once per loaded data: a name of a few words saying so (``SERVICE_WORDS``), or, where
    a stock code column's codes hold digits on most lines (``CODED``), a code of letters only. Every
    analysis that ranks or pairs products sets them aside (``set_aside_services``, ``service_note``);
    they stay in every total. Without a stock code column, a breakdown of every line by product made
    first gives the products (``products_read``)."""
    def compute() -> dict[str, str]:
        if not dataset.has("transactions") or "product" not in dataset.columns("transactions"):
            return {}
        code = _code_column(dataset)
        pick = f", CAST({qi(code)} AS VARCHAR)" if code else ", NULL"
        rows = dataset.engine.rows(f"SELECT CAST(product AS VARCHAR){pick}, count(*) FROM transactions "
                                   f"WHERE product IS NOT NULL GROUP BY 1, 2")
        lines = sum(int(n) for _, _, n in rows) or 1
        coded = code is not None and sum(int(n) for _, c, n in rows if c and rx.search(r"\d", c)) / lines >= CODED
        codes: dict[str, list[str]] = {}
        for product, c, _ in rows:
            codes.setdefault(product, []).append((c or "").strip())
        return _services(codes, code, coded)

    return dict(dataset.shared.fact(dataset.data_version, "service products", compute))


def products_read(dataset, products) -> None:
    """``products``: every value of an unscoped breakdown of the purchases by product (a query the
    answer made anyway, ``(blank)`` for lines without one). Without a stock code column a service line is
    told by its name alone, so ``service_products`` is taken from these names instead of grouping every
    line again ("top 10 products" on 11.6M lines: 0.2-0.3 s of its ~0.5 s). ``(blank)`` names no
    service, whether it is a product or the lines without one, so the set is the same either way."""
    if not dataset.has("transactions") or "product" not in dataset.columns("transactions") \
            or _code_column(dataset) is not None:
        return
    names = {str(p) for p in products if p is not None}
    dataset.shared.fact(dataset.data_version, "service products", lambda: _services(
        {p: [""] for p in names}, None, False))


def services_kept(dataset, named=()) -> list[str]:
    """The service products (``service_products``) to set aside, but those a question named."""
    asked = {str(n).lower() for n in named or ()}
    return sorted(p for p in service_products(dataset) if p.lower() not in asked)


def service_note(dataset, products: list[str], revenue: float | None) -> str:
    """"set aside 3 non-product lines: DOTCOM POSTAGE, POSTAGE, Manual (12,345.00 of revenue) ...": what a
    ranking or pairing of products left out, why, and that the totals keep them."""
    why = service_products(dataset)
    listed = ", ".join(products[:8]) + (f" and {len(products) - 8} more" if len(products) > 8 else "")
    rules = "; ".join(dict.fromkeys(f"{p}: {why[p]}" for p in products[:4] if p in why))
    worth = f" ({revenue:,.2f} of revenue)" if revenue is not None else ""
    return (f"{SET_ASIDE} {len(products)} non-product line{'s' if len(products) != 1 else ''}: {listed}{worth}, "
            f"postage, fees or adjustments, not products ({rules}); they stay in the totals. Ask about one by "
            "name for its figures.")


def without_services(dataset, frame, column: str, named=()):
    """A ranking of products (``column`` holds the product) without the service products' rows
    (``services_kept``); ``services_in_scope`` and ``service_note`` say what it left out."""
    products = services_kept(dataset, named)
    if not products or frame is None or column not in frame.columns or frame.empty:
        return frame
    return frame[~frame[column].astype(str).isin(products)].reset_index(drop=True)


def services_in_scope(dataset, where: str, args: list, named=()) -> tuple[list[str], float]:
    """(the service products the lines of ``where`` hold, by revenue, and their revenue)."""
    products = services_kept(dataset, named)
    if not products:
        return [], 0.0
    marks = ", ".join("?" * len(products))
    rows = dataset.rows(f"SELECT CAST(t.product AS VARCHAR), sum(t.amount) FROM transactions t WHERE {where} "
                        f"AND CAST(t.product AS VARCHAR) IN ({marks}) GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1",
                        [*args, *products])
    return [r[0] for r in rows], float(sum(r[1] or 0 for r in rows))


def services_set_aside(dataset, where: str, args: list, named=()) -> str | None:
    """The note of the service lines a ranking or pairing of products left out within ``where``, or None."""
    products, revenue = services_in_scope(dataset, where, args, named)
    return service_note(dataset, products, revenue) if products else None


# --------------------------------------------------------------------------- product families

#: the relation of (product, family) an analysis reads families through (``family_relation``)
FAMILIES = "__product_families"


def product_families(dataset) -> dict[str, str]:
    """{product: its family} of the sales lines' products whose names are a family's before a variant
    suffix ("Leila Pullover - Noire / S" -> "Leila Pullover"): the family heads a question's product
    is read by (``slots.families``), once per loaded data."""
    from .slots import families

    def compute() -> dict[str, str]:
        if not dataset.has("transactions") or "product" not in dataset.columns("transactions"):
            return {}
        products = [r[0] for r in dataset.engine.rows(
            "SELECT DISTINCT CAST(product AS VARCHAR) FROM transactions WHERE product IS NOT NULL")]
        return families(sorted(products))

    return dict(dataset.shared.fact(dataset.data_version, "product families", compute))


def has_families(dataset) -> bool:
    """Whether some of the products fall into families of several variants."""
    found = product_families(dataset)
    return bool(found) and len(set(found.values())) < len(found)


def family_relation(dataset) -> str:
    """The relation (product, family) of ``product_families``, registered for this question's SQL
    (``drop_families`` removes it)."""
    import pandas as pd

    found = product_families(dataset)
    dataset.register(FAMILIES, pd.DataFrame({"product": list(found), "family": list(found.values())},
                                            dtype=object))
    return FAMILIES


def drop_families(dataset) -> None:
    try:
        dataset.engine.unregister(FAMILIES)
    except Exception:  # noqa: BLE001 - never registered
        pass


def plural(name: str, n: int | None = None) -> str:
    """A breakdown's name as the noun for ``n`` of its values, made here for every answer: "segment"
    -> "segments", "category" -> "categories", "status" -> "statuses", "sub_category" -> "sub
    categories"; a name already plural ("sales") stays; one of them is the name itself ("of 1
    country")."""
    words = name.replace("_", " ").strip()
    if n == 1 or not words:
        return words
    noun, of, rest = words.partition(" of ")
    if of:  # "part of week" -> "parts of week"
        return f"{plural(noun)} of {rest}"
    head, _, last = words.rpartition(" ")
    if rx.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif rx.search(r"(?:ss|us|x|z|ch|sh)$", last):
        last += "es"
    elif not last.endswith("s"):
        last += "s"
    return f"{head} {last}" if head else last


#: columns of the sales lines (first) or the customers that name the customer beside its id
CUSTOMER_NAMES = ("customer_name", "client_name", "buyer_name", "account_name", "company_name", "contact_name",
                  "full_name", "customer_full_name", "billing_name", "name",
                  # a European export's ("Firma", "Kundenname", "Raison sociale", "Nombre del cliente")
                  "kundenname", "firma", "firmenname", "nom_client", "nom_du_client", "raison_sociale",
                  "nombre_cliente", "nombre_del_cliente", "razon_social", "klantnaam", "bedrijfsnaam",
                  # Stripe's payments export: the customer's description, which holds their name
                  "customer_description")


def customer_name(dataset, alias: str = "t") -> tuple[str, str] | None:
    """(SQL of a customer's name over a group of lines ``alias``, its join) when the data has a
    column naming customers beside their ids (Superstore's Customer Name), else None. A company's name
    comes before its contact's (Northwind's Customers: QUICK-Stop, not Patricia Steel)."""
    tcols, ccols = _tcols(dataset), _ccols(dataset)
    for col in CUSTOMER_NAMES:
        if col in tcols and col != "customer_id":
            return f"any_value({alias}.{qi(col)})", ""
    for col in CUSTOMER_NAMES:
        if col in ccols and col != "customer_id":
            return (f"any_value(cn.{qi(col)})", f"LEFT JOIN customers cn ON cn.customer_id = {alias}.customer_id")
    for first, last in GIVEN_AND_FAMILY:  # Chinook's Customer: FirstName and LastName
        if first in ccols and last in ccols:
            return (f"any_value(nullif(trim(concat_ws(' ', cn.{qi(first)}, cn.{qi(last)})), ''))",
                    f"LEFT JOIN customers cn ON cn.customer_id = {alias}.customer_id")
    return None


def customer_by_name(dataset, said: str) -> str | None:
    """The id of the one customer whose name (``customer_name``) is ``said``, in any case, or starts
    with it before a word ("Hartley & Finch" for "Hartley & Finch Ltd"); None for no such customer or
    several."""
    named = customer_name(dataset) if dataset.has("transactions") and \
        "customer_id" in dataset.columns("transactions") else None
    if named is None:
        return None
    rows = dataset.engine.rows(
        f"SELECT customer_id FROM (SELECT t.customer_id, lower(trim({named[0]})) AS n FROM transactions t {named[1]} "
        f"WHERE t.customer_id IS NOT NULL GROUP BY 1) WHERE n = lower(?) OR starts_with(n, lower(?) || ' ') LIMIT 2",
        [said, said])
    return str(rows[0][0]) if len(rows) == 1 else None


#: a person's name in two columns (given, family), read as one name beside the customer's id
GIVEN_AND_FAMILY = (("first_name", "last_name"), ("firstname", "lastname"), ("given_name", "family_name"),
                    ("vorname", "nachname"), ("prenom", "nom"), ("nombre", "apellido"), ("voornaam", "achternaam"))


def per_customer(dataset, name: str, where: str = "true", args=(), alias: str = "t",
                 doing: str = "break down") -> tuple[str, list]:
    """(SQL, parameters) giving ``customer_id`` and ``name`` once per customer: saved segment
    labels, a customers attribute (the customers view holds one row per id), or a sales column as
    the customer's most frequent value over the lines ``where`` keeps (``args`` are its parameters,
    from ``Dataset.scope``)."""
    a = alias
    tcols, ccols = _tcols(dataset), _ccols(dataset)
    if name == "segment" and dataset.has_segments:
        return "SELECT customer_id, segment FROM segments", []
    if name in ccols and name != "customer_id":
        from . import joins

        lost = joins.no_match(dataset, "transactions") if "customer_id" in tcols else None
        if lost:
            raise DataError(f"cannot {doing} by {name!r}: {lost}")
        t = _type(dataset, "customers", name)
        if t not in (None, "VARCHAR"):  # numbers stay numbers (a feature to segment on, an age to bin)
            return f"SELECT customer_id, {qi(name)} FROM customers WHERE customer_id IS NOT NULL", []
        # text: "(blank)" for empty values, and the buyers without a customers row as "(no contact)"
        keys = "SELECT customer_id FROM customers WHERE customer_id IS NOT NULL"
        if "customer_id" in tcols and joins.unmatched(dataset, "transactions"):
            keys += " UNION SELECT customer_id FROM transactions WHERE customer_id IS NOT NULL"
        value, _ = merged_cases(dataset, "customers", name, f"c.{qi(name)}",
                                joins.labelled(dataset, f"c.{qi(name)}", t, "c.customer_id", "transactions"))
        return (f"SELECT k.customer_id, {value} AS {qi(name)} FROM ({keys}) k "
                f"LEFT JOIN customers c ON c.customer_id = k.customer_id"), []
    if name in tcols and name not in NOT_DIMENSIONS:
        value, _ = merged_cases(dataset, "transactions", name, f"{a}.{qi(name)}", f"{a}.{qi(name)}")
        return (f"SELECT {a}.customer_id, mode({value}) AS {qi(name)} FROM transactions {a} "
                f"WHERE {a}.customer_id IS NOT NULL AND {where} GROUP BY 1", list(args))
    raise DataError(unknown(dataset, name, doing))


def no_cost(dataset, doing: str = "profit") -> str | None:
    """The sentence for a profit question on sales without a cost of goods (``doing``: what needed
    it), naming the columns there are and how to give one; None when the sales have a cost."""
    tcols = dataset.columns("transactions") if dataset.has("transactions") else set()
    if "cost" in tcols:
        return None
    return (f"{doing} needs the cost of goods of each sales line (a column such as 'cost', 'COGS' or 'cost of goods "
            f"sold'), and the sales data has none (its columns: {', '.join(sorted(tcols))}). Add one to the export, "
            "or map it with --map cost=COLUMN; revenue alone cannot tell profit.")


def no_cost_note(lines: int) -> str:
    """What an answer says of sales lines without a cost (``gross_profit_sql``'s ``no_cost``)."""
    return (f"{lines:,} purchase line(s) have no cost: counted at cost 0, so their profit is overstated. Fill the "
            "cost column to count them.")


def gross_profit_sql(d: Dimension | None, where: str) -> str:
    """SQL of the gross profit of the sales ``where`` keeps, net of what came back, per value ``k`` of
    ``d`` (one row without it): ``net_revenue`` (sales less the value of their return lines),
    ``cost_of_goods`` (of what was sold less what came back), ``profit``, ``margin`` (profit over net
    revenue) and ``no_cost`` (sale lines without a cost, counted at 0). The same figures whichever
    analysis asks ("profit by month" in the overview, "margin by product" in the profitability); cost
    to serve belongs to customers, not lines. Its parameters are ``where``'s, twice."""
    key = f"{d.expr} AS k, " if d else ""
    join = d.join if d else ""
    return f"""
        WITH lines AS (SELECT {key}t.amount, coalesce(t.cost, 0) AS cost, t.cost IS NULL AS no_cost
                       FROM transactions t {join} WHERE {where}
                       UNION ALL
                       SELECT {key}t.amount, coalesce(t.cost, 0), false FROM returns t {join} WHERE {where})
        SELECT {'k, ' if d else ''}round(sum(amount), 2) AS net_revenue, round(sum(cost), 2) AS cost_of_goods,
               round(sum(amount) - sum(cost), 2) AS profit,
               round((sum(amount) - sum(cost)) / nullif(sum(amount), 0), 6) AS margin,
               count(*) FILTER (WHERE no_cost) AS no_cost
        FROM lines{' GROUP BY 1' if d else ''}"""


def net_revenue_sql(d: Dimension | None, where: str) -> str:
    """SQL of the revenue of the sales ``where`` keeps net of what came back, per value ``k`` of ``d``
    (one row without it): ``sales`` (the purchase lines: revenue as every other answer counts it),
    ``returned`` (the value of their return lines, positive) and ``net_revenue`` (sales less returned:
    the net revenue ``gross_profit_sql`` starts from). Its parameters are ``where``'s, twice."""
    key = f"{d.expr} AS k, " if d else ""
    join = d.join if d else ""
    return f"""
        WITH lines AS (SELECT {key}t.amount, false AS back FROM transactions t {join} WHERE {where}
                       UNION ALL
                       SELECT {key}t.amount, true FROM returns t {join} WHERE {where})
        SELECT {'k, ' if d else ''}round(sum(amount) FILTER (WHERE NOT back), 2) AS sales,
               coalesce(round(-sum(amount) FILTER (WHERE back), 2), 0) AS returned,
               round(sum(amount), 2) AS net_revenue
        FROM lines{' GROUP BY 1' if d else ''}"""


def customer_table(dataset) -> str:
    """SQL of the customers' attributes, one row per customer id (the ``customers`` view already is,
    see ``Dataset._one_row_per_customer``), with ``segment`` the saved labels while labels are saved
    (a customers column of that name is then hidden, as in ``dimension``): the relation that
    analyses comparing customers by their attributes read, or join to a per-customer table.

        f"SELECT s.*, a.gender FROM ({per_customer_sql}) s LEFT JOIN ({customer_table(ds)}) a USING (customer_id)"
    """
    if not dataset.has("customers"):
        return ("SELECT customer_id, segment FROM segments" if dataset.has_segments else
                "SELECT CAST(NULL AS VARCHAR) AS customer_id WHERE false")
    if not dataset.has_segments:
        return "SELECT * FROM customers"
    hide = " EXCLUDE (segment)" if "segment" in dataset.relation_columns("customers") else ""
    return f"SELECT c.*{hide}, seg.segment FROM customers c LEFT JOIN segments seg USING (customer_id)"


#: a filter that is a comparison on a numeric column, not values of it: "< 0" for "a negative
#: balance", ">= 3" for "inactive for 3 months or more" (``Session._numeric_condition``)
CONDITION = re.compile(r"^\s*(<=|>=|<|>|=|!=)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$")
#: the columns of order lines a comparison can be said on ("a discount above 20%", "negative profit",
#: "more than 5 units"): the lines' own numbers, not their amount (an order's value is the sum of its lines)
LINE_CONDITIONS = ("discount", "profit", "quantity", "unit_price", "cost")


def condition(values) -> tuple[str, float] | None:
    """(operator, number) of a filter's values that are one comparison ("< 0", ">= 3"), else None; a
    percentage ("> 20%") is its fraction (0.2)."""
    vals = [values] if isinstance(values, str) else list(values or [])
    if len(vals) == 1 and isinstance(vals[0], str) and (m := CONDITION.match(vals[0])):
        return m.group(1), float(m.group(2)) / (100 if m.group(3) else 1)
    return None


def is_percent_condition(values) -> bool:
    """Whether a filter's comparison was said in percent ("> 20%"): of a discount, its rate."""
    vals = [values] if isinstance(values, str) else list(values or [])
    return bool(condition(vals)) and str(vals[0]).strip().endswith("%")


def line_condition_sql(column: str, values, alias: str, own: set[str]) -> tuple[str, list]:
    """A comparison on a column of the order lines as SQL over ``alias``: a discount said in percent
    ("a discount above 20%") is the discount's rate of the list value (discount / (amount + discount),
    the amount being after the discount), to the whole percent (a rate column read as money, rounded to
    cents, gives its rate back so: Superstore's 0.2);
    any other comparison is on the column as it is (``filter_sql``)."""
    if column == "discount" and is_percent_condition(values) and "amount" in own:
        op, value = condition(values)
        # to the whole percent: a rate read back from money rounded to cents (0.2 as 0.19988) is the rate written
        return (f"round({alias}.discount / nullif({alias}.amount + coalesce({alias}.discount, 0), 0), 2) {op} ?",
                [value])
    return filter_sql(f"{alias}.{qi(column)}", values)


def filter_sql(expr: str, values, as_text: bool = False) -> tuple[str, list]:
    """A filter's clause over ``expr`` and its parameters: a comparison compared as numbers
    ("balance < 0": TRY_CAST(balance AS DOUBLE) < 0), else ``expr IN (values)`` (as text with
    ``as_text``). The one place a filter becomes SQL over a column."""
    cond = condition(values)
    if cond:
        return f"TRY_CAST({expr} AS DOUBLE) {cond[0]} ?", [cond[1]]
    vals = [values] if isinstance(values, str) else list(values)
    marks = ", ".join("?" * len(vals))
    if as_text:
        return f"CAST({expr} AS VARCHAR) IN ({marks})", [str(v) for v in vals]
    return f"{expr} IN ({marks})", vals


def customer_filters_sql(dataset, filters: dict | None, alias: str = "c") -> tuple[str, list]:
    """A WHERE clause over ``customer_table AS alias`` (one row per customer; ``alias=""`` for the
    bare view) for ``filters`` (column -> values, compared as text or as numbers, ``filter_sql``;
    ``segment`` the saved labels while labels are saved), and its parameters: how every analysis
    filters its customers. A column the customers do not have is a ``ScopeError``: a filter carried
    over from earlier turns is then left out of that answer with a note (``Conversation._run``)."""
    from .errors import ScopeError

    cols = dataset.columns("customers") if dataset.has("customers") else set()
    prefix = f"{alias}." if alias else ""
    where, args = ["true"], []
    for column, values in (filters or {}).items():
        values = [values] if isinstance(values, str) else list(values)
        if column == "segment" and dataset.has_segments:
            where.append(f"{prefix}customer_id IN (SELECT customer_id FROM segments WHERE segment IN "
                         f"({', '.join('?' * len(values))}))")
            args += [str(v) for v in values]
        elif column in cols:
            clause, vals = filter_sql(f"{prefix}{qi(column)}", values, as_text=True)
            where.append(clause)
            args += vals
        else:
            raise ScopeError(f"cannot filter on {column!r}: the customers table has no such column. "
                             f"Columns: {', '.join(sorted(cols))}.", filters=[column])
    return " AND ".join(where), args


#: the name of a column that is a word of the calendar: "Month", "Day", "Year", "Month Name", "Order Month"
CALENDAR_NAME = re.compile(r"(?:(?:order|sale|sales|purchase|invoice|transaction)_)?"
                           r"(?:month|months|month_name|month_of_year|year|years|quarter|qtr|week|week_of_year|"
                           r"weekday|week_day|day|day_name|day_of_week|dow)")


def calendar_copies(dataset, role: str = "transactions") -> list[str]:
    """The columns of ``role`` named a word of the calendar (``CALENDAR_NAME``) whose value is one
    and the same on every line of a date: a copy of the date's month, weekday or year written beside
    it ("Nov", "Fri", 2023, as a sheet's added columns hold them). "By month" is then the calendar's
    months of the date, each year apart and in order, not the copy's 12 names summed over the
    years; the copies are no breakdown or filter of their own (``Session._values``). Computed once
    per loaded data."""
    date = dataset.SCOPE_DATE.get(role, "order_date")
    if not dataset.has(role) or date not in dataset.columns(role):
        return []
    named = sorted(c for c in dataset.columns(role) if CALENDAR_NAME.fullmatch(c) and c not in NOT_DIMENSIONS)
    if not named:
        return []

    def compute():
        most = dataset.engine.rows("SELECT " + ", ".join(f"max(n{i})" for i in range(len(named))) + " FROM (SELECT "
                                   + ", ".join(f"count(DISTINCT {qi(c)}) AS n{i}" for i, c in enumerate(named))
                                   + f" FROM {role} WHERE {qi(date)} IS NOT NULL GROUP BY CAST({qi(date)} AS DATE))")[0]
        return [c for c, n in zip(named, most) if n is not None and int(n) <= 1]

    return list(dataset.shared.fact(dataset.data_version, f"calendar copies {role}", compute))


def tie_at_cut(frame, column: str, measure: str, top: int) -> str | None:
    """What a ranking cut to its ``top`` rows must say when the cut falls inside a tie: the row
    after the last shown has the same ``measure`` (49 customers at 2,000 and a "top 5"), so which
    of them are shown is no ranking. None when the cut is clean or nothing is cut."""
    if top < 1 or len(frame) <= top or measure not in frame.columns:
        return None
    values = list(frame[measure])
    edge = values[top - 1]
    if edge is None or edge != edge or values[top] != edge:
        return None
    tied = sum(1 for v in values if v == edge)
    shown = sum(1 for v in values[:top] if v == edge)
    value = f"{edge:,.2f}".rstrip("0").rstrip(".") if isinstance(edge, float) else f"{edge:,}"
    return (f"{tied:,} {plural(column, tied)} share the {measure} of {value} at the cut of the top {top}: "
            f"the {shown:,} shown of them are not ranked among themselves (ask for a longer list, or export it)")


#: a numeric attribute with more distinct values than this is read in quartile bands
BANDED_LEVELS = 10
#: the name of a numeric column that numbers kinds, not amounts (UCI Online Shoppers' TrafficType 1-20,
#: Browser 1-13, OperatingSystems): each value is its own group however many, never a band ("<= 2"
#: would merge traffic types 1 and 2 into one answer to "which traffic type brings the most")
CODE_NAME = re.compile(r"(?:^|_)(?:type|types|code|codes|category|categories|class|kind|browser|browsers|os|"
                       r"operating_systems?|platform|channel|source|segment|cluster|tier|region|regions|zone|"
                       r"district|store|branch|id|ids|no|nr|number)$")


def numeric_bands(dataset, column: str, role: str = "customers") -> list[float] | None:
    """The inner edges of the quartile bands of the customers' numeric ``column`` ([8.0, 15.0, 24.0]:
    "<= 8", "8 - 15", "15 - 24", "> 24"), or None when it has ``BANDED_LEVELS`` values or fewer or is
    named as a code of kinds (``CODE_NAME``: each value is then its own group). Computed once per loaded data over the whole column, never over a
    filtered subset, so "churn by tenure" and "churn by tenure for Computer users" have the same bands
    and can be compared. ``role="transactions"``: a number of the sales lines (the buyer's age, a
    rating written on each line), its quartiles over the lines."""
    if CODE_NAME.search(column):
        return None

    def compute():
        col = qi(column)
        rel = customer_table(dataset) if role == "customers" else f"SELECT * FROM {role}"
        distinct, cuts = dataset.rows(f"SELECT count(DISTINCT {col}), quantile_disc({col}, [0.25, 0.5, 0.75]) "
                                      f"FROM ({rel}) c")[0]
        if int(distinct or 0) <= BANDED_LEVELS or not cuts:
            return None
        return sorted({float(x) for x in cuts if x is not None}) or None

    key = f"numeric bands {column}" if role == "customers" else f"numeric bands {role} {column}"
    return dataset.shared.fact(dataset.data_version, key, compute)


def line_numbers(dataset, role: str = "transactions") -> list[str]:
    """The numeric columns of ``role`` that are none of its standard columns (amount, quantity, ids,
    the date...) nor a copy of the date's calendar (``calendar_copies``): the buyer's age, a rating, a
    tax written on each sales line. Named after "by", a breakdown in quartile bands (``dimension``)."""
    if not dataset.has(role):
        return []
    numeric = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
    present = dataset.columns(role)
    standard = set(schema.CANONICAL.get(role, ())) | NOT_DIMENSIONS | set(schema.ID_COLUMNS)
    # a "Year" that is no copy of the date (a model year) stays out too: "by year" is the calendar's, as
    # before; and a column named only with a metric's words (Sales, Net Sales) is a measure, never a group
    return sorted(c for c, t in dataset.relation_columns(role).items()
                  if t.startswith(numeric) and c in present and c not in standard and not CALENDAR_NAME.fullmatch(c)
                  and not set(c.split("_")) <= _METRIC_NAME_WORDS)


#: the words of a column name that says a measure of sales, not a group of them
_METRIC_NAME_WORDS = frozenset("sales sale revenue revenues turnover orders order units unit quantity qty amount "
                               "value price total net gross profit margin discount cost costs spend spent".split())


def quartile_edges(dataset, column: str) -> list[float] | None:
    """[min, q1, median, q3, max] of the customers' numeric ``column`` (interpolated, to two
    decimals), computed once per loaded data over the whole column: the edges the segmentation's
    attribute bands ("tenure 8-15") are cut at whatever customers a question picks. None when the
    customers table has no such column."""
    if not dataset.has("customers") or column not in dataset.columns("customers"):
        return None
    kind = dataset.relation_columns("customers").get(column, "VARCHAR").split("(")[0]
    if kind not in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL"):
        return None  # a text, date or yes/no column: no quartiles

    def compute():
        col = qi(column)
        qs = dataset.rows(f"SELECT {', '.join(f'quantile_cont({col}, {q})' for q in (0, .25, .5, .75, 1))} "
                          f"FROM ({customer_table(dataset)}) c")[0]
        return [round(float(q), 2) for q in qs] if all(q is not None for q in qs) else None

    return dataset.shared.fact(dataset.data_version, f"quartile edges {column}", compute)


def band_label(lo, hi) -> str:
    """The name of a numeric band: '<= 9', '9 - 29', '> 55'."""
    text = f"<= {hi:g}" if lo is None else f"> {lo:g}" if hi is None else f"{lo:g} - {hi:g}"
    return text


def band_sql(expr: str, edges: list[float]) -> tuple[str, list]:
    """A CASE naming the band of ``expr`` among ``edges`` (``numeric_bands``), NULL for a blank
    value, and its parameters."""
    bounds = [None, *edges, None]
    whens, args = [], []
    for lo, hi in zip(bounds[:-2], bounds[1:-1]):
        whens.append(f"WHEN {expr} <= ? THEN ?")
        args += [hi, band_label(lo, hi)]
    whens.append(f"WHEN {expr} IS NOT NULL THEN ?")
    args.append(band_label(bounds[-2], None))
    return "CASE " + " ".join(whens) + " END", args


# --------------------------------------------------------------------------- one value spelt two ways

#: words that never make two values one ("No" beside "No phone service" is a value of its own)
GENERIC_VALUE_WORDS = frozenset("no yes none not other others unknown n a na true false all any missing blank "
                                "null nan".split())
#: words an abbreviation may leave out ("COD" for "Cash on Delivery" keeps them, "B2C" not)
LINK_WORDS = frozenset("of on and the to for in a an at by per with or".split())
#: a column with more distinct values than this is no breakdown's column (products, ids): of its values only
#: those with the same letters are paired (a city in two cases), up to ``MANY_VALUES`` of them, on up to
#: ``MANY_LINES`` rows
LOOKALIKE_LEVELS = 50
MANY_VALUES, MANY_LINES = 200_000, 2_000_000
#: pairs of one column an answer names (the others counted)
SAID_PAIRS = 5


def _words(value: str) -> list[str]:
    return rx.findall(r"[a-z0-9]+", str(value).lower())


#: what joins several values into one ("Gift Card + Stripe", Shopify's payment and discount codes; Olist's
#: "credit_card + voucher"; "Cash & Cheque")
COMBINED = re.compile(r"\s*(?:\+|&|,|;|\band\b)\s*", re.I)


def combines(whole: str, part: str) -> bool:
    """Whether ``whole`` is a combination of values of which ``part`` is one ("Gift Card + Stripe" of
    "Stripe"; "secretcode50 + freeship" of "FREESHIP", in any case): such values are two things used
    together, never one thing spelt two ways."""
    pieces = [p for p in COMBINED.split(str(whole)) if p.strip()]
    return len(pieces) >= 2 and _words(str(part)) in [_words(p) for p in pieces]


def same_thing(a: str, b: str) -> str | None:
    """Why two values of one column look like one thing spelt two ways, or None. A deterministic
    rule: the same letters and digits ("E wallet", "E-Wallet"); one is the initials of the other
    ("CC" and "Credit Card", "COD" and "Cash on Delivery", with or without its link words); or one
    is the other's first or last words ("Phone" and "Mobile Phone", "Mobile" and "Mobile Phone").
    Values of one word each are otherwise distinct ("Male" and "Female"), as are values that only
    share a word ("One year" and "Two year"), a value made of generic words or numbers ("No"
    beside "No phone service", "1000+" beside "201-1000") and a word with a letter before it ("T-shirt"
    beside "Shirt")."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb or a == b:
        return None
    if "".join(wa) == "".join(wb):
        return "the same letters"
    if combines(a, b) or combines(b, a):  # "Gift Card + Stripe" beside "Stripe": two things, not one spelt twice
        return None
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) == len(long_) or all(w in GENERIC_VALUE_WORDS or not w.isalpha() for w in short):
        return None  # "No" beside "No phone service", "1000+" beside "201-1000": values of their own
    if any(len(w) == 1 for w in long_ if w not in short):
        return None  # "T-shirt" beside "Shirt", "e-Book" beside "Book": a letter before a word makes another thing
    if len(short) == 1 and len(short[0]) >= 2 and short[0].isalpha():
        initials = {"".join(w[0] for w in long_), "".join(w[0] for w in long_ if w not in LINK_WORDS)}
        if short[0] in initials:
            return "initials"
    if long_[:len(short)] == short:
        return "one starts the other"
    if long_[-len(short):] == short:
        return "one ends the other"
    return None


def lookalike_pairs(values) -> list[tuple[str, str, str]]:
    """(value, value, why) for each pair of ``values`` that ``same_thing`` finds, in the order given."""
    values = [str(v) for v in values if v is not None]
    out = []
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            why = same_thing(a, b)
            if why:
                out.append((a, b, why))
    return out


def spelling_pairs(dataset, column: str) -> list[str]:
    """The pairs of ``column``'s values that look like one thing spelt two ways (``same_thing``),
    each with how many customers (or purchase lines) hold it: 'preferred_payment_mode: "CC" (279
    customers) and "Credit Card" (1,229)'. Computed once per loaded data; empty when none."""
    def compute():
        for role, noun in (("customers", "customers"), ("transactions", "lines")):
            if column not in dataset.columns(role):
                continue
            values = (dataset.values().get(role) or {}).get(column)
            if values and len(values) <= LOOKALIKE_LEVELS:
                pairs = lookalike_pairs(values)
                if not pairs:
                    return []
                counts = {str(v): int(n) for v, n in dataset.rows(
                    f"SELECT CAST({qi(column)} AS VARCHAR), count(*) FROM {role} GROUP BY 1")}
            else:  # many values (cities): only the same letters, in another case or spacing ("MUMBAI", "Mumbai")
                lines = sum(int(s.rows or 0) for s in dataset.sources if s.role == role)
                if "CHAR" not in str(dataset.relation_columns(role).get(column, "")).upper() or lines > MANY_LINES:
                    return []  # on millions of lines a grouping of every line is more than a note is worth
                counts = {str(v): int(n) for v, n in dataset.rows(
                    f"SELECT CAST({qi(column)} AS VARCHAR), count(*) FROM {role} WHERE {qi(column)} IS NOT NULL "
                    f"GROUP BY 1 LIMIT {MANY_VALUES + 1}")}
                if len(counts) > MANY_VALUES:
                    return []
                first: dict[str, str] = {}
                pairs = []
                for v in sorted(counts, key=lambda v: -counts[v]):
                    key = "".join(_words(v))
                    if key and key in first:
                        pairs.append((first[key], v, "the same letters"))
                    first.setdefault(key, v)
            merged = case_variants(dataset, role, column)  # one value in breakdowns already: not said again
            pairs = [(a, b, why) for a, b, why in pairs if merged.get(a, a) != merged.get(b, b)]
            said = [f'{column}: "{a}" ({counts.get(a, 0):,} {noun}) and "{b}" ({counts.get(b, 0):,})'
                    for a, b, _ in pairs[:SAID_PAIRS]]
            return said + ([f"and {len(pairs) - SAID_PAIRS:,} more such pairs of {column}"]
                           if len(pairs) > SAID_PAIRS else [])
        return []

    return list(dataset.shared.fact(dataset.data_version, f"spelling pairs {column}", compute))


def one_spelling(spellings) -> str:
    """The spelling that stands for the same letters written in several cases ("Consumer" for CONSUMER,
    consumer): one in mixed case, else the first in order ("US" for us)."""
    texts = sorted(str(s) for s in spellings)
    return next((t for t in texts if t != t.upper() and t != t.lower()), texts[0])


def case_variants(dataset, role: str, column: str) -> dict[str, str]:
    """Each value of ``column`` that is another value's letters in another case ("CONSUMER", "consumer"
    beside "Consumer"), to the one spelling that stands for them (``one_spelling``): the
    same thing, so one group in every breakdown and every filter (``with_case_variants``). Read from
    the values the router knows (no scan); empty when there are none."""
    from . import countries

    groups: dict[str, list[str]] = {}
    places = "country" in column.lower()  # GB, UK and United Kingdom; DE and Deutschland: one country each
    for v in (dataset.values().get(role) or {}).get(column) or []:
        if isinstance(v, str):
            code = countries.country_of(v, allow_codes=v.isupper()) if places else None
            groups.setdefault(f"country {code}" if code else v.lower(), []).append(v)
    out: dict[str, str] = {}
    for key, spellings in groups.items():
        if len(spellings) > 1:
            english = countries.english_name(key.split()[-1]) if key.startswith("country ") else None
            canon = english if english in spellings else one_spelling(spellings)
            out.update({v: canon for v in spellings if v != canon})
    return out if len(out) <= MERGED_CASES else {}  # so many: kept apart, and said as pairs


def with_case_variants(dataset, role: str, column: str, values: list) -> list:
    """A filter's values with every spelling of them in another case (``case_variants``): "latte" takes
    "Latte" too, as a breakdown counts them as one (a filter on the one a kiosk wrote in lower case
    kept its 80 lines of 4,937)."""
    merged = case_variants(dataset, role, column)
    if not merged:
        return values
    canon = {merged.get(str(v), str(v)) for v in values}
    return list(dict.fromkeys([*values, *sorted(canon), *(v for v, c in merged.items() if c in canon)]))


def merged_cases(dataset, role: str, column: str, raw: str, expr: str) -> tuple[str, list[str]]:
    """(expr, notes): ``expr`` (the group of ``raw``, a column of ``role``) with the values that are one
    spelling in another case counted as that spelling (``case_variants``), and the note that says so."""
    merged = case_variants(dataset, role, column)
    if not merged:
        return expr, []
    whens = " ".join(f"WHEN {ql(v)} THEN {ql(c)}" for v, c in merged.items())
    by = {}
    for v, c in merged.items():
        by.setdefault(c, []).append(v)
    said = "; ".join(f'"{c}" counts ' + " and ".join(f'"{v}"' for v in vs) for c, vs in list(by.items())[:SAID_PAIRS])
    more = f" and {len(by) - SAID_PAIRS:,} more" if len(by) > SAID_PAIRS else ""
    return (f"CASE {raw} {whens} ELSE {expr} END",
            [f"{column.replace('_', ' ')}: values written in another case{' or language' if 'country' in column.lower() else ''}"
             f" are one value here ({said}{more})"])


#: at most this many spellings are merged into others in one breakdown (more: kept apart, and said)
MERGED_CASES = 2_000

#: how an answer says values that look like one thing spelt two ways (``spelling_pairs``)
SPELT_TWO_WAYS = "values that look like the same thing spelt two ways"


def spelling_note(pairs: list[str]) -> str:
    """One note for every such pair an answer shows: said once, never merged."""
    return (f"{SPELT_TWO_WAYS}, kept apart here (not merged; clean them in the data to count them as one): "
            + "; ".join(pairs))


# --------------------------------------------------------------------------- what answers must say

#: a group of fewer customers than this is a small sample: its figures carry a caveat and no
#: recommendation rests on them without one
SMALL_SAMPLE = 30


def small(n) -> bool:
    """Whether a group of ``n`` customers is too small to generalise from."""
    return n is not None and int(n) < SMALL_SAMPLE


def small_sample_note(group: str, n: int) -> str:
    """The caveat a figure from a small group carries: "(only 19 customers: a small sample, ...)"."""
    return (f"{group} has only {int(n):,} customers (fewer than {SMALL_SAMPLE}): a small sample, so its figure may "
            "not hold; check it on more data before acting on it")


def with_definitions(summary: str, dataset, *keys: str) -> str:
    """The summary with the line naming the company's definitions (custlens.toml [definitions])
    that the answer used, when the file set any of ``keys``."""
    line = dataset.definitions.said(*keys)
    return f"{summary}\n\n{line}" if line else summary


#: how each analysis tells an active customer from a lost one, as the answers name it where
#: another analysis uses a different definition
ACTIVE_DEFINITIONS = {
    "clv": "\"still active\" in CLV is the BG/NBD model's probability that a customer has not stopped buying "
           "(averaged over customers); churn counts a customer as churned after a silence longer than their own "
           "usual gap, so the two figures need not add up to 100%",
    "churn": "\"churned\" here is a silence longer than the customer's own usual gap between purchases; CLV's "
             "\"still active\" is a model's probability and need not match 100% minus the churn rate",
}


# --------------------------------------------------------------------------- fitted once

def fitted(dataset, kind: str, inputs: tuple, fit, said: list[str] | None = None):
    """``fit()``'s result for these ``inputs`` (frames, arrays, plain values), fitted the first time
    they are seen over this loaded data and reused after (``Dataset.shared``, keyed by their
    content): a follow-up that does not change a model's inputs does not refit it. ``fit`` may
    append to a list of warnings it is given: pass ``said`` (the answer's) and they are repeated
    on reuse.

        model = kit.fitted(dataset, "churn drivers", (frame, attrs), lambda w: fit_drivers(frame, attrs, w), warnings)
    """
    def run():
        notes: list[str] = []
        return fit(notes), notes

    shared = getattr(dataset, "shared", None)
    result, notes = shared.model(kind, inputs, run)[0] if shared is not None else run()
    if said is not None:
        said += notes
    return result


def fitted_before(dataset, kind: str, inputs: tuple, said: list[str] | None = None):
    """``fitted``'s result when these ``inputs`` were fitted already over this loaded data, else None;
    never fits ("churn by contract type" after "why do customers churn?" shows the drivers it has)."""
    shared = getattr(dataset, "shared", None)
    found, ok = shared.known(kind, inputs) if shared is not None else (None, False)
    if not ok:
        return None
    result, notes = found
    if said is not None:
        said += notes
    return result


# --------------------------------------------------------------------------- running SQL

@contextlib.contextmanager
def temp_table(dataset, name: str, sql: str, params=()):
    """A temporary table for the length of a ``with`` block: created from ``sql`` (logged like
    every query) and dropped when the block ends, however it ends.

        with temp_table(ds, "__churn", "SELECT ...", args) as t:
            ds.query(f"SELECT count(*) FROM {t}")
    """
    dataset.query(f"CREATE OR REPLACE TEMP TABLE {qi(name)} AS {sql}", list(params))
    try:
        yield qi(name)
    finally:
        dataset.execute(f"DROP TABLE IF EXISTS {qi(name)}")


def named(sql: str, values: dict) -> tuple[str, list]:
    """SQL written with named parameters (``$start``, ``$customer``) as the positional form DuckDB
    binds with the scoping clauses (``?``) of ``Dataset.scope``: each ``$name`` becomes ``?`` and
    its value is put in place, in order, however often it is used. A name without a value is an
    error, so callers never repeat or reorder positional lists by hand."""
    args: list = []

    def put(m):
        key = m.group(1)
        if key not in values:
            raise KeyError(f"SQL parameter ${key} has no value (given: {', '.join(values)})")
        value = values[key]
        if isinstance(value, Scope):
            args.extend(value.args)
            return value.where
        args.append(value)
        return "?"

    return rx.sub(r"\$([A-Za-z_]\w*)", put, sql), args


@dataclass
class Scope:
    """A WHERE clause with its parameters (from ``Dataset.scope``), to pass to ``named`` as one
    value: ``named("... WHERE $where AND t.order_date < $end", {"where": Scope(w, a), "end": d})``."""

    where: str
    args: list


# ------------------------------------------------------------------ period wording
#: the one rule for "last 6 months", "past 3 months", "the last 12 months": whole months counted back
#: from the data's last day (15 Feb-14 Aug 2025 on data ending 14 August; 1 Jan-30 Jun on data ending
#: 30 June), said on the answer's first line
ROLLING_RULE = "counted back from the data's last day"


def _add_months(day, months: int):
    """``day`` moved by ``months`` (negative: back), its day of the month held to the month's end."""
    import calendar
    import datetime as dt

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def span_words(start, end, year: bool = True) -> str:
    """Two days as a span in words: "15 Feb–14 Aug 2025", "1–14 Jul 2025", "3 Dec 2024–2 Feb 2025";
    without ``year``, the year left out when both days share it ("1 Jan–14 Aug")."""
    start, end = as_date(start), as_date(end)
    tail = f" {end.year}" if year else ""
    if start.year != end.year:
        return f"{start.day} {start:%b} {start.year}–{end.day} {end:%b} {end.year}"
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b}{tail}"
    return f"{start.day} {start:%b}–{end.day} {end:%b}{tail}"


def last_date_sql(dataset) -> str:
    """The last order date of the purchases as SQL (a TIMESTAMP): on DuckDB the value read once
    per loaded data (``Dataset.last_order_date``, shared with forks) written as a literal, instead
    of one more scan of every purchase (``(SELECT max(order_date) FROM transactions)``: 0.3-0.6 s at
    11.6M lines, in each analysis that counts back from it); that scan on another engine (the
    statement runs there whole) or when there is no such date."""
    import datetime as dt

    scan = "(SELECT max(order_date) FROM transactions)"
    if dataset.remote or dataset.engine.name != "duckdb":
        return scan
    value = dataset.last_order_date()
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"CAST(DATE '{value.isoformat()}' AS TIMESTAMP)"
    return scan


def as_date(value):
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def rolling_months(start, end, last) -> int | None:
    """N when ``start``-``end`` is "the last N months" by ``ROLLING_RULE``: it ends on the data's last
    day ``last`` and starts the day after that day N months back."""
    import datetime as dt

    if not (start and end and last) or as_date(end) != as_date(last):
        return None
    start, end = as_date(start), as_date(end)
    for n in range(1, 61):
        if _add_months(end + dt.timedelta(days=1), -n) == start:
            return n
    return None


def period_wording(start, end, last) -> str | None:
    """A period read from "last 6 months" in words, with its rule: "last 6 months = 15 Feb–14 Aug
    2025 (counted back from the data's last day)"; None for any other period."""
    from .templates import period_label

    n = rolling_months(start, end, last)
    if n is None or " to " not in period_label(start, end):  # a calendar year, half, quarter or month: its name
        return None
    return f"last {n} month{'s' if n != 1 else ''} = {span_words(start, end)} ({ROLLING_RULE})"


#: the first words of the note that a comparison was cut like with like (on the first line too)
LIKE_FOR_LIKE = "like with like"


def like_for_like(periods, last, first=None) -> tuple[list, str | None]:
    """Two periods compared, earlier first, of which the later runs past the data's last day
    ``last`` ("this year vs last year" on data ending 14 August): both cut to the same span, the
    later to ``last`` and the earlier to the day as far into it ("2024" becomes 1 Jan-14 Aug 2024),
    and the note that says so ("2024 cut to 1 Jan–14 Aug to match 2025"). Periods that both end
    by ``last``, or open ones, are left as they are (None). An earlier period the data starts inside
    (``first``, the first day of any purchase) is not cut (its first weeks may have had no sales), but
    said: "2024 has data only from 17 Jun 2024 (...)", with the span that would be like with like."""
    from .templates import period_label

    if not periods or len(periods) != 2 or last is None or not all(a and b for a, b in periods):
        return periods, None
    (a0, a1), (b0, b1) = [(as_date(a), as_date(b)) for a, b in periods]
    said_a, said_b = period_label(a0, a1), period_label(b0, b1)
    months = (b0.year - a0.year) * 12 + b0.month - a0.month
    last, out, notes = as_date(last), periods, []
    # calendar periods: the same day of the month, that many months back; else as many days into it
    cut = _add_months(last, -months) if a0.day == b0.day and months > 0 else a0 + (last - b0)
    if b0 <= last < b1 and cut < a1:
        out = [(a0, cut), (b0, last)]
        notes.append(f"{said_a} cut to {span_words(a0, cut, year=False)} to match {said_b}")
    first = as_date(first) if first is not None else None
    end = as_date(out[0][1])
    if first is not None and a0 < first <= end and (first - a0).days > (end - a0).days / 10:
        notes.append(f"{said_a} has data only from {first.day} {first:%b} {first.year} ({(end - first).days + 1:,} of its "
                     f"{(end - a0).days + 1:,} days), so the change may be more than the business grew; like with like would be "
                     f"{span_words(first, end, year=False)} of each")
    return out, "; ".join(notes) or None


# ------------------------------------------------------------------ new customers, NPS
#: the one definition of a new customer, said in the answers that count them
NEW_CUSTOMER = ("A customer is **new** in the period of their first purchase ever (in all the data, not only the "
                "period shown) and **returning** in any later period they buy in.")


def first_purchase_sql(dataset) -> str:
    """SQL of each customer's first purchase day (``customer_id``, ``first_order``) over every
    purchase: what makes a customer new (``NEW_CUSTOMER``)."""
    return "SELECT customer_id, min(order_date) AS first_order FROM transactions GROUP BY 1"


#: the filter key of an acquisition cohort ("customers who first bought in January 1997"): the customers
#: whose first purchase ever is in the period, every purchase of theirs counted (before or after it: none
#: is before), not a window on the purchases. Its value is "START..END" (either side may be empty).
FIRST_PURCHASE = "first_purchase"


def first_purchase_value(start, end) -> str:
    """The value of a ``FIRST_PURCHASE`` filter for a period (dates or None)."""
    return f"{start or ''}..{end or ''}"


def first_purchase_range(value) -> tuple[str | None, str | None]:
    """(start, end) as ISO days of a ``FIRST_PURCHASE`` filter's value; a ParamsError for one that is not."""
    value = value[0] if isinstance(value, list) and len(value) == 1 else value
    m = rx.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})?\s*\.\.\s*(\d{4}-\d{2}-\d{2})?\s*", str(value))
    if not m or not (m.group(1) or m.group(2)):
        raise ParamsError(f"{FIRST_PURCHASE} takes a period as START..END (ISO days, either may be empty: "
                          f"2024-01-01..2024-03-31), not {value!r}.")
    return m.group(1), m.group(2)


def first_purchase_clause(value, alias: str = "t") -> tuple[str, list]:
    """SQL keeping the lines of the customers whose first purchase (``first_purchase_sql``) is in the
    period of a ``FIRST_PURCHASE`` value, and its parameters."""
    start, end = first_purchase_range(value)
    having, args = [], []
    if start:
        having.append("min(order_date) >= CAST(? AS DATE)")
        args.append(start)
    if end:
        having.append("min(order_date) < CAST(? AS DATE) + INTERVAL 1 DAY")
        args.append(end)
    return (f"{alias}.customer_id IN (SELECT customer_id FROM transactions WHERE customer_id IS NOT NULL "
            f"GROUP BY customer_id HAVING {' AND '.join(having)})", args)


#: the filter key of "customers with at least N orders" beside an analysis that names itself ("churn rate of
#: customers with more than 2 orders"): the customers with N or more distinct orders over all their purchases
MIN_ORDERS = "orders_at_least"


def min_orders_value(value) -> int:
    """N of a ``MIN_ORDERS`` filter's value; a ParamsError for one that is not a whole number of at least 1."""
    value = value[0] if isinstance(value, list) and len(value) == 1 else value
    try:
        n = int(str(value).strip())
    except ValueError:
        n = 0
    if n < 1:
        raise ParamsError(f"{MIN_ORDERS} takes a whole number of orders of at least 1, not {value!r}.")
    return n


def min_orders_clause(value, alias: str = "t") -> tuple[str, list]:
    """SQL keeping the rows of the customers with at least ``MIN_ORDERS`` orders (distinct order ids, or
    order days without them) over all their purchases, and its parameters."""
    n = min_orders_value(value)
    return (f"{alias}.customer_id IN (SELECT customer_id FROM transactions WHERE customer_id IS NOT NULL "
            f"GROUP BY customer_id HAVING count(DISTINCT order_id) >= ?)", [n])


def min_orders_words(value) -> str:
    """The filter said on an answer's first line: "filter: customers with 3 or more orders (...)"."""
    n = min_orders_value(value)
    return f"filter: customers with {n} or more orders (distinct orders over all their purchases)"


def first_purchase_words(value) -> str:
    """The acquisition cohort said on an answer's first line: "acquired: first purchase in 1997-01-01 –
    1997-01-31 (customers whose first purchase is in it; all their purchases count)"."""
    from .templates import period_label

    start, end = first_purchase_range(value)
    when = period_label(start, end)
    return (f"acquired: first purchase {'in ' if start and end else ''}{when} (the customers whose first purchase is in it; all their "
            "purchases count, later ones too)")


def flag_value(column: str, alias: str = "") -> str:
    """SQL of a yes/no or 0/1 column as 1.0 (yes), 0.0 (no) or NULL (blank, anything else): its
    average is the share of yes ("response rate", "share who complained", "share who recommend").
    ``alias`` qualifies the column (``f`` for ``f."Recommended IND"``)."""
    from .column_sql import flag_expression

    number = f"TRY_CAST({alias + '.' if alias else ''}{qi(column)} AS DOUBLE)"
    return (f"(CASE WHEN {number} = 1 THEN 1.0 WHEN {number} = 0 THEN 0.0 "
            f"ELSE CAST({flag_expression(column, alias)} AS DOUBLE) END)")


def share_value(column: str, values=None, filled: bool = False, alias: str = "") -> str:
    """SQL of what a share counts, as 1.0 (counted), 0.0 (not) or NULL (not known): a yes/no or
    0/1 column's yes (``flag_value``); with ``values``, the column holding one of them ("a PhD":
    education = PhD; a blank is not known); with ``filled``, holding any value at all (an order
    "with a discount code": a blank is no). Its average is the share."""
    col = f"{alias + '.' if alias else ''}{qi(column)}"
    text = f"nullif(trim(CAST({col} AS VARCHAR)), '')"
    if filled:
        return f"(CASE WHEN {text} IS NULL THEN 0.0 ELSE 1.0 END)"
    if values:
        listed = ", ".join(ql(str(v).lower()) for v in values)
        return f"CAST(CASE WHEN {text} IS NULL THEN NULL WHEN lower({text}) IN ({listed}) THEN 1 ELSE 0 END AS DOUBLE)"
    return flag_value(column, alias)


def share_label(column: str, values=None, filled: bool = False) -> str:
    """How a share of ``share_value`` is named: "response rate" (a flag), "share with education =
    PhD", "share with a discount code"."""
    plain = rx.sub(r"^(?:is|has)_|_(?:flag|yn|yes_no)$", "", column).replace("_", " ")
    if filled:
        return f"share with a {column.replace('_', ' ')}"
    if values:
        return f"share with {column} = {', '.join(map(str, values))}"
    return f"{plain} rate"


def nps_sql(score: str) -> str:
    """SQL of the Net Promoter Score of 0-10 scores ``score``: % promoters (9-10) minus % detractors
    (0-6) of those who scored, from -100 to 100."""
    return (f"round(100.0 * (count(*) FILTER (WHERE {score} >= 9) - count(*) FILTER (WHERE {score} <= 6)) "
            f"/ nullif(count({score}), 0), 1)")


# --------------------------------------------------------------------------- breakdowns said by header

_SAID_BY = r"(?P<by>\b(?:by|per|across|for each|split by|broken down by)\s+)"


def said_as_columns(dataset, text: str) -> str:
    """``text`` with a breakdown said by a source's own header put as the column it was mapped to:
    "contacts by lifecycle stage" -> "contacts by segment" where the header 'Lifecycle Stage' of a
    contacts export is the customers' segment, so the question is read with the data's columns.
    Only after by/per/across, and only headers that are not themselves a column name. A header's
    synonyms of two words or more (``schema.SYNONYMS``) are its names too: "by employee size" or "by
    number of employees" where the header is 'Employees', in bands or not ("employee count bands")."""
    from . import schema

    names: dict[str, str] = {}
    taken = {c.replace("_", " ") for cols in schema.CANONICAL.values() for c in cols} | set(BUILT_IN)
    for src in dataset.sources:
        if not src.role:
            continue
        for canonical, match in dataset.mapping_of(src).items():
            phrase = schema.normalise(match.column)
            if canonical in NOT_DIMENSIONS or phrase in taken or not phrase:
                continue
            names.setdefault(phrase, canonical)
            for synonym in schema.SYNONYMS.get(src.role, {}).get(canonical, []):
                if len(synonym.split()) > 1 and synonym not in taken:
                    names.setdefault(synonym, canonical)
    for phrase in sorted(names, key=len, reverse=True):
        pattern = _SAID_BY + r"(?:the\s+)?" + r"[\s/_-]+".join(map(re.escape, phrase.split())) + \
            r"s?(?:\s+(?:bands?|buckets?|groups?|ranges?|brackets?))?(?![\w-])"
        text = rx.sub(pattern, lambda m, c=names[phrase]: m.group("by") + c, text, flags=re.I)
    return text


def row_numbers(dataset, source: str, columns: list[str]) -> set[str]:
    """The numeric ``columns`` of ``source`` (a relation, aliased or not) that only number its rows:
    whole numbers, one per row, in a range at most twice the rows (consecutive, or with the gaps of
    rows left out), under a name that says so (a RowNumber, an index saved with the export as
    "Unnamed: 0" or "c_0": 1, 2, 3...).
    They say nothing of a customer, and where the export was sorted (by the outcome, by date) they
    would pass for a driver: no attribute."""
    if not columns:
        return set()
    parts = ", ".join(f"count(DISTINCT {qi(c)}), min({qi(c)}), max({qi(c)}), "
                      f"count(*) FILTER (WHERE {qi(c)} <> round({qi(c)}))" for c in columns)
    row = dataset.rows(f"SELECT count(*), {parts} FROM {source}")[0]
    n, out = row[0], set()
    for i, c in enumerate(columns):
        distinct, low, high, fractional = row[1 + 4 * i: 5 + 4 * i]
        # and named so: a small table's tenure of 1, 2, 3... is still a tenure; with gaps where rows were
        # left out of the export (RowNumber 1..4000 on 3,978 rows), at most one number in two missing
        if n > 2 and distinct == n and not fractional and low is not None and n <= high - low + 1 <= 2 * n \
                and ROW_NUMBER_WORDS & set(str(c).lower().split("_")):
            out.add(c)
    return out


#: words of a column name that say it numbers rows (RowNumber, "Unnamed: 0", index, Sr No, record no)
ROW_NUMBER_WORDS = {"row", "rows", "rownum", "rownumber", "index", "idx", "unnamed", "serial", "sno", "srno", "sr",
                    "record", "line", "c", "column", "column0", "column00"}


#: the figures of an answer that count customers or orders, or are made from those counts
UNCOUNTED_FIGURES = {
    "customers": ("customers", "orders per customer", "revenue per customer", "share of customers",
                  "new customers", "returning customers"),
    "orders": ("orders", "average order value", "orders per customer", "orders refunded in full",
               "orders voided or not completed (not sales)", "orders with a partial refund",
               "orders without an amount (not in the average)"),
}


def uncounted(dataset) -> set[str]:
    """What the sales cannot count: "customers" where no sales source has a customer id, "orders" where
    none has an order id (nor one derived from a customer and a date). Their counts would read 0 (a
    distinct count of nothing), which is no figure: answers leave them blank (``blank_uncounted``) and
    the load notes say which column to map."""
    if not dataset.has("transactions"):
        return set()
    cols = dataset.columns("transactions")
    return {what for what, key in (("customers", "customer_id"), ("orders", "order_id")) if key not in cols}


def blank_uncounted(dataset, tables: list) -> list:
    """``tables`` with the counts ``uncounted`` names (and the figures made from them: average order
    value, per customer) blank, in columns of those names and in the rows of a table of measures."""
    from .answer import MEASURE_COLUMNS, Table

    missing = uncounted(dataset)
    names = {n for what in missing for n in UNCOUNTED_FIGURES[what]}
    if not names:
        return tables
    out = []
    for table in tables:
        measures = bool(table.columns) and table.columns[0] in MEASURE_COLUMNS
        hit = [c for c in table.columns[1:] if c in names]
        if not (hit or measures and any(r and r[0] in names for r in table.rows)):
            out.append(table)
            continue
        frame = table.frame.copy().astype(object)
        if measures:
            rows = frame[frame.columns[0]].isin(names)
            frame.loc[rows, list(frame.columns[1:])] = None
        for col in hit:
            frame[col] = None
        out.append(Table.from_frame(table.name, frame, table.title, max_rows=max(len(table.rows), 1),
                                    priority=table.priority, recent_last=table.recent_last,
                                    percent=table.percent))
    return out


def sales_measure(dataset) -> str | None:
    """What sales are measured in: "revenue" where the sales lines have an amount, else "quantity"
    (units) where they say how many items each holds (a till's item lines: one each, ``Dataset``),
    else None. A ranking or a peak by revenue on lines without money would name the first of a
    column of blanks ("Top product: Afternoon with the baker with revenue of n/a")."""
    if not dataset.has("transactions"):
        return None
    cols = dataset.columns("transactions")
    return "revenue" if "amount" in cols else "quantity" if "quantity" in cols else None


#: said where sales are counted in units because the lines have no money
UNITS_NOT_MONEY = ("no amount column: sales are counted in units (items sold), not money; map the money column with "
                   "--map amount=COLUMN for revenue")


def no_amount(dataset, what: str = "revenue") -> str | None:
    """The sentence for a money question (``what``: revenue, average order value) on orders that
    have no amount (an orders export without totals, e.g. Olist's orders file loaded alone): which
    files and columns there are, and how to give the amount. None when some orders source has one."""
    srcs = [s for s in dataset.sources if s.role == "transactions"]
    if not srcs or "amount" in dataset.columns("transactions"):
        return None
    listing = "; ".join(f"{s.name}: {', '.join(s.columns)}" for s in srcs)
    name = srcs[0].name
    unused = [s.name for s in dataset.sources if s.role is None]
    return (f"{what} can't be computed: the orders have no amount column ({listing}). Map the column that holds "
            f"it with --map amount=COLUMN, or in a custlens.toml beside the data: [sources.\"{name}\"] map = "
            "{amount = \"COLUMN\"}; or load the file of amounts per order (a payments file with an order id and a "
            "value) with another --data PATH, and it is joined to the orders on the order id"
            + (f" ({', '.join(unused)} is loaded but not used: see custlens describe)" if unused else "")
            + ". Counts work without it: ask \"orders by month\" or \"how many customers do we have\".")


# --------------------------------------------------------------------------- feedback scores and flags

#: a column that says whether the customer would recommend us (a review's "Recommended IND", a
#: survey's would_recommend): its name says recommend, its values are yes/no
RECOMMEND_NAME = re.compile(r"recommend", re.I)


def recommend_column(dataset, role: str = "feedback") -> str | None:
    """The yes/no column of ``role`` whose name says recommend (``Recommended IND``, ``would_recommend``,
    ``recommend``): 1/0, yes/no or true/false, blanks aside. None when there is none (a 0-10
    "likelihood to recommend" is a score, not this)."""
    if not dataset.has(role):
        return None
    for column in sorted(dataset.columns(role)):
        if not RECOMMEND_NAME.search(column) or column in NOT_DIMENSIONS:
            continue
        said = {str(r[0]).strip().lower() for r in dataset.engine.rows(
            f"SELECT DISTINCT CAST({qi(column)} AS VARCHAR) FROM {role} WHERE {qi(column)} IS NOT NULL LIMIT 5")}
        if said and said <= RECOMMEND_YES | RECOMMEND_NO:
            return column
    return None


RECOMMEND_YES = frozenset({"1", "1.0", "true", "t", "yes", "y"})
RECOMMEND_NO = frozenset({"0", "0.0", "false", "f", "no", "n"})


def source_header(dataset, role: str, column: str) -> str:
    """The header a canonical ``column`` of ``role`` was read from ("Rating" for score), else the column."""
    from . import schema

    for src in dataset.sources:
        if src.role == role:
            match = dataset.mapping_of(src).get(column)
            if match is not None:
                return str(match.column)
            kept = next((c for c in src.columns if schema.snake(c) == column), None)  # an attribute kept as is
            if kept is not None:
                return str(kept)
    return column


#: what a feedback table's rows are, by the words of its file name and columns (first found)
FEEDBACK_NOUNS = (("ticket", "tickets"), ("review", "reviews"), ("complaint", "complaints"), ("case", "cases"),
                  ("response", "answers"), ("survey", "answers"))


def feedback_noun(dataset) -> str:
    """What the feedback's rows are called in an answer: "tickets" for a support desk's export (a
    ticket_id, a tickets file), "reviews" for reviews, else "answers"."""
    from . import schema

    words = set()
    for src in dataset.sources:
        if src.role == "feedback":
            words |= set(schema.normalise(src.name.rsplit(".", 1)[0]).split())
            words |= {w for c in src.columns for w in schema.normalise(c).split()}
    return next((noun for word, noun in FEEDBACK_NOUNS if any(w.startswith(word) for w in words)), "answers")


def source_names(dataset, role: str) -> str:
    """The names of the sources read as ``role``, as an answer lists them."""
    return ", ".join(s.name for s in dataset.sources if s.role == role)


def feedback_scope(dataset, filters, start, end) -> tuple[str, list]:
    """A WHERE clause over ``feedback AS f``: its date in the period; a filter on a feedback column
    applies to the answers, one on a product attribute of the sales where the answers name the
    product (``Dataset.product_attributes``: the answers about its products), any other (a customer
    attribute, a segment, a sales column) to the customers who answered."""
    filters, clause, args = score_filter(filters)  # "only 1 and 2 star reviews": scores as numbers
    where = [clause]
    if start is not None:
        where.append("f.date >= ?")
        args.append(start)
    if end is not None:
        where.append("f.date < CAST(? AS DATE) + INTERVAL 1 DAY")
        args.append(end)
    fcols = dataset.columns("feedback")
    tcols = dataset.columns("transactions") if dataset.has("transactions") else set()
    for column, values in filters.items():
        values = [values] if isinstance(values, str) else list(values)
        if column in fcols and column != "customer_id":
            where.append(f"f.{qi(column)} IN ({', '.join('?' * len(values))})")
            args += values
        elif column in dataset.product_attributes("feedback"):
            clause, more = dataset.scope({column: values}, alias="f", role="feedback")
            where.append(clause)
            args += more
        elif column in tcols and not (column == "segment" and dataset.has_segments):
            clause, more = dataset.scope({column: values})
            where.append(f"f.customer_id IN (SELECT t.customer_id FROM transactions t WHERE {clause})")
            args += more
        else:
            clause, more = dataset.scope({column: values}, alias="f")
            where.append(clause)
            args += more
    return " AND ".join(where), args


def score_filter(filters: dict, alias: str = "f") -> tuple[dict, str, list]:
    """``filters`` split into the others and the clause of a filter on the feedback ``score`` ("only 1
    and 2 star reviews": score = 1, 2), compared as numbers (a score of 4.0 is 4): (the other filters,
    the clause or "true", its bound values). A value that is no number is an error that says so."""
    values = (filters or {}).get("score")
    if not values:
        return dict(filters or {}), "true", []
    values = [values] if isinstance(values, (str, int, float)) else list(values)
    numbers = []
    for v in values:
        try:
            numbers.append(float(v))
        except (TypeError, ValueError):
            raise DataError(f"a filter on the score takes numbers (score = 1, 2); {v!r} is not one.") from None
    rest = {k: v for k, v in filters.items() if k != "score"}
    return rest, f"{alias}.score IN ({', '.join('?' * len(numbers))})", numbers


#: headers that stand for a built-in breakdown no synonym names: a shop's "Location" of US states is its
#: region ("top 5 states by revenue"); an "Item Purchased" its product (by the generic tail "purchased")
STAND_IN_WORDS = {"region": {"location", "customer location", "us state", "geography", "geo"}}


def read_as(dataset, name: str, role: str) -> str | None:
    """The canonical column of ``role`` read from a header called ``name`` ("by category" in a tickets
    file whose Category is its feedback topic), else None."""
    from . import schema

    for src in dataset.sources:
        if src.role == role:
            found = [c for c, m in dataset.mapping_of(src).items() if schema.snake(m.column) == name and c != name]
            if found and found[0] in dataset.columns(role):
                return found[0]
    return None


def stand_in(dataset, name: str, role: str) -> str | None:
    """The column of ``role`` (else of the customers) that stands for a built-in breakdown the data has
    under no such name: one whose header is a header synonym of ``name`` (``schema.SYNONYMS``),
    alone or before a generic word ("Department Name" for category: "by department" in a reviews
    file), of few values (``Dataset.values``). None when there is none or more than one."""
    from . import schema

    vague = {"title", "description", "name", "id", "family", "count", "total", "date", "created"}  # a review's Title
    said = {s for cols in schema.SYNONYMS.values() for c, syns in cols.items() if c == name for s in syns
            if s not in vague} | {name} | STAND_IN_WORDS.get(name, set())
    generic = r"(?:\s+(?:name|type|code|label|group|title|desc|description|purchased|bought|sold|ordered))?"
    # or after a word that says what the row is: a ticket's "Ticket Channel" for "by channel"
    qualifier = r"(?:(?:" + "|".join(sorted(set().union(*schema.QUALIFIERS.values()))) + r")\s+)?"
    pattern = re.compile(r"^" + qualifier + r"(?:" + "|".join(re.escape(s) for s in sorted(said, key=len, reverse=True))
                         + r")" + generic + r"$")
    values = dataset.values()
    for r in (role, "customers"):
        if not dataset.has(r):
            continue  # a column of few values only: a review's Title is no product
        cols = [c for c in sorted((values.get(r) or {})) if c not in NOT_DIMENSIONS and c != name
                and pattern.match(c.replace("_", " "))]
        if len(cols) == 1:
            return cols[0]
        if cols:
            return None
    return None


# ------------------------------------------------------------------ subscriptions: ends, the active set, accounts
#: the first words of the notes that say how lines with an end date were read (on the first line too)
DATED_BY = "dated by"
ACTIVE_ON = "active on"
ACCOUNT_RULE = "per account"


def per_account_rule(lifecycle: dict, date: str) -> str:
    """The one rule of an account's figures over its subscriptions (the accounts' table made from
    them, ``Dataset._subscription_lines``), as answers say it."""
    summed = [c for c in lifecycle.get("summed", "").split(",") if c]
    trial = lifecycle.get("trial")
    return (f"{ACCOUNT_RULE}: {', '.join(summed) or 'no amount'} summed over its subscriptions active on the data's "
            f"last day (started by then, {lifecycle['end']} blank or after it"
            + (f", trials ({trial}) left out" if trial else "") + f"); churned only when none of its subscriptions is "
            f"open ({lifecycle['end']} blank or after the last day)"
            + f", any other yes/no flag (upgraded...) yes when any of its subscriptions has it; its plan"
            + (f", {trial}" if trial else "") + f" and other values from its latest subscription (by {date}), "
            f"{date} its first")


def accounts_note(lifecycle: dict, day) -> str:
    """The per-account rule said by an answer over the accounts' table (first line and notes)."""
    summed = [c for c in lifecycle.get("summed", "").split(",") if c]
    return (f"{ACCOUNT_RULE}: {', '.join(summed)} summed over its subscriptions active on {as_date(day).isoformat()}"
            + (", trials out" if lifecycle.get("trial") else "") + "; churned when none is open, other yes/no flags when any has "
            "them" + (f", {lifecycle['trial']} its latest's" if lifecycle.get("trial") else "")
            + "; other columns from its latest subscription")


def active_sql(lifecycle: dict, alias: str = "t") -> tuple[str, int]:
    """(a WHERE clause over the lines ``transactions AS alias`` keeping those active on a day, how
    many times it binds the day): started by the day, not ended by it (the end blank or after
    it), trials left out. The one definition of "current" ("current MRR", "active subscriptions")."""
    from .column_sql import flag_expression

    end = f"{alias}.{qi(lifecycle['end'])}"
    clause = (f"{alias}.order_date < CAST(? AS DATE) + INTERVAL 1 DAY AND ({end} IS NULL OR "
              f"CAST({end} AS DATE) > CAST(? AS DATE))")
    if lifecycle.get("trial"):
        clause += f" AND ({flag_expression(lifecycle['trial'], alias)}) IS NOT TRUE"
    return clause, 2


def active_note(lifecycle: dict, day) -> str:
    """What "current" was read as, said on the answer's first line and in its notes."""
    trial = lifecycle.get("trial")
    return (f"{ACTIVE_ON} {as_date(day).isoformat()} (subscriptions started by then and not ended: "
            f"{lifecycle['end']} blank or after it"
            + (f"; trials ({trial}) left out, they pay no MRR" if trial else "") + ")")


#: words of an amount column that holds a recurring level (monthly or annual recurring revenue), not a sale
RECURRING_WORDS = {"mrr", "arr", "recurring", "monthly", "annual", "yearly", "subscription"}


def recurring_amount(dataset) -> str | None:
    """The sales lines' amount column where it is a recurring level (a subscription's mrr_amount,
    ARR, a monthly fee) on lines read as subscriptions (``Dataset._subscription_lines``), not monthly
    snapshots of the accounts, else None: summed by start date it is new MRR, not money received in the
    period."""
    from .schema import normalise

    for src in dataset.sources:
        if src.role != "transactions" or src.snapshots or not any(c.role == "customers" and c.lines_of == src.name
                                                                  for c in dataset.sources) and not src.lifecycle:
            continue  # (monthly snapshots: each row's fee is that month's revenue)
        m = dataset.mapping_of(src).get("amount")
        if m is not None and set(normalise(m.column).split()) & RECURRING_WORDS:
            return m.column
    return None


def recurring_note(dataset, amount: str) -> str:
    """What a sum of a recurring amount over the lines started in a period is, said first by a
    revenue answer over them ("revenue in the last 3 months" on subscriptions): new MRR, a level
    each subscription keeps while it runs, not the money of that period; and the figure now."""
    what = (dataset.lifecycle() or {}).get("what") or "subscriptions"
    said = (f"Revenue here is new {'MRR' if 'mrr' in amount.lower() else 'recurring revenue'}: the {amount} of the "
            f"{what} started in each period, summed (ended ones included). It is a monthly level each keeps while it "
            f"runs, not money received in the period")
    life = dataset.lifecycle()
    if life is not None:
        day = dataset.last_order_date()
        clause, n = active_sql(life)
        now = dataset.rows(f"SELECT sum(t.amount) FROM transactions t WHERE {clause}", [day] * n)[0][0]
        said += (f"; the {'MRR' if 'mrr' in amount.lower() else amount} of the {what} active on "
                 f"{as_date(day).isoformat()} is {float(now or 0):,.2f} (ask 'current MRR')")
    return said + "."


def ended_note(lifecycle: dict) -> str:
    """What "ended", "churned" or "cancelled" subscriptions were read as (first line and notes)."""
    return (f"{DATED_BY} {lifecycle['end']} (subscriptions counted in the period they ended, not the one they "
            f"started; those with {lifecycle['end']} blank have not ended)")


# ------------------------------------------------------------------ order statuses and deal stages
#: words of a status (a CRM's deal stage) that say the deal was lost, and those that say the order
#: was cancelled (in a deal export, a cancelled deal is lost too)
LOST_WORDS = ("lost", "dead", "disqualif")
CANCEL_WORDS = ("cancel", "storn", "annul", "anulad", "geannuleerd")
#: statuses of an order that was refused or whose payment failed: no purchase, and not open either
REJECT_WORDS = ("reject", "declin", "denied", "fail", "abgelehnt", "fehlgeschlagen", "rechaz", "echou", "échou",
                "mislukt", "afgewezen")
#: what each kind of status is called in an answer: the amount of won deals is revenue; of open or
#: lost ones it is a pipeline value, never revenue
STATUS_VALUE_WORDS = {"won": "revenue", "open": "open pipeline value", "lost": "lost pipeline value",
                      "cancelled": "cancelled value", "refunded": "refunded value", "rejected": "rejected value"}


def status_kinds(dataset) -> dict[str, str]:
    """{status value: kind} over every line of the sales (``transactions_all``, not only the
    purchases): "won" for a value whose lines are purchases (a CRM's Closed Won, a shop's paid),
    "lost" (Closed Lost, dead, disqualified), "cancelled", "rejected" (refused, declined, failed),
    "refunded" (neither a purchase nor void), "open" (every other stage not closed: Prospecting,
    Negotiation; a pending order). Empty without
    a status column. Read once per data version."""
    if not dataset.has("transactions") or "status" not in dataset.columns("transactions"):
        return {}

    def read() -> dict[str, str]:
        rows = dataset.engine.rows("SELECT CAST(status AS VARCHAR), bool_or(is_purchase), bool_or(is_void) "
                                   "FROM transactions_all WHERE status IS NOT NULL GROUP BY 1 ORDER BY 1")
        stage = deal_stages(dataset)
        out = {}
        for value, purchase, void in rows:
            low = value.lower()
            if purchase:
                out[value] = "won"
            elif any(w in low for w in LOST_WORDS) or stage and any(w in low for w in CANCEL_WORDS):
                out[value] = "lost"
            elif any(w in low for w in CANCEL_WORDS):
                out[value] = "cancelled"
            elif void and any(w in low for w in REJECT_WORDS):
                out[value] = "rejected"
            elif not void:
                out[value] = "refunded"
            else:
                out[value] = "open"
        return out

    return dataset.shared.fact(dataset.data_version, "status_kinds", read)


def repeated_per_order(rows, relation: str, order: str, values: dict[str, str], sampled: bool = False) -> frozenset[str]:
    """The names of ``values`` (SQL over ``relation``) that hold the order's figure repeated on each of its
    lines (a WooCommerce export's Discount Amount, Order Shipping): in the orders (``order``) of several lines
    that have one, the same non-blank value on every line, in at least ``REPEATED_SHARE`` of at least
    ``REPEATED_ORDERS`` such orders. One pass over the lines for every column asked (``rows(sql)``: the
    engine's), over a sample of the orders when ``sampled`` (``over_orders``)."""
    if not values:
        return frozenset()
    names = list(values)

    def sql(where: str) -> str:
        return "SELECT " + ", ".join(
            f"count(*) FILTER (WHERE lo{i} = hi{i} AND f{i} = n AND a{i} > 0), count(*) FILTER (WHERE a{i} > 0)"
            for i in range(len(names))) + " FROM (SELECT count(*) AS n, " + ", ".join(
            f"min(v{i}) AS lo{i}, max(v{i}) AS hi{i}, count(v{i}) AS f{i}, max(abs(coalesce(v{i}, 0))) AS a{i}"
            for i in range(len(names))) + " FROM (SELECT (" + order + ") AS o, " + ", ".join(
            f"({values[n]}) AS v{i}" for i, n in enumerate(names)) + f" FROM {relation} WHERE {where}) " \
            "GROUP BY o HAVING count(*) > 1)"

    row = over_orders(rows, sql, order, lambda r: all(r[2 * i + 1] >= SAMPLE_ENOUGH for i in range(len(names))),
                      sampled)
    return frozenset(n for i, n in enumerate(names)
                     if row[2 * i + 1] >= REPEATED_ORDERS and row[2 * i] >= REPEATED_SHARE * row[2 * i + 1])


#: a load check over the orders of many lines reads first the orders whose id hashes to 0 modulo SAMPLE_EVERY
#: (``over_orders``): their answer stands when each share it tests is of at least SAMPLE_ENOUGH orders, else
#: every order is read. The checks test shares (95% of the orders...), which a few hundred orders tell.
SAMPLE_EVERY, SAMPLE_ENOUGH = 16, 200


def over_orders(rows, sql_of, order: str, enough, sampled: bool = True) -> tuple:
    """The first row of ``rows(sql_of(where))``: over a sample of the orders (``SAMPLE_EVERY``) when ``sampled``
    (DuckDB's ``hash``) and ``enough(row)`` says the sample tells, else over all of them."""
    if sampled:
        row = rows(sql_of(f"hash({order}) % {SAMPLE_EVERY} = 0"))[0]
        if enough(row):
            return row
    return rows(sql_of("TRUE"))[0]


def per_order_columns(dataset) -> frozenset[str]:
    """The numeric columns of the sales lines (``line_numbers``) that hold the order's figure repeated on
    each of its lines (``repeated_per_order``: Order Shipping, Order Total). Summed or averaged over lines
    such a column counts an order once per line; over orders, once. Read once per data version."""
    numbers = line_numbers(dataset)
    if not numbers or "order_id" not in dataset.columns("transactions"):
        return frozenset()
    return dataset.shared.fact(dataset.data_version, "per_order_columns", lambda: repeated_per_order(
        dataset.engine.rows, "transactions_all", "order_id", {c: qi(c) for c in numbers},
        sampled=dataset.engine.name == "duckdb"))


#: how many orders of several lines must hold a figure, and what share of them repeat it on every line,
#: for it to be the order's figure repeated rather than each line's (``repeated_per_order``)
REPEATED_ORDERS, REPEATED_SHARE = 10, 0.95


#: the usual order of CRM pipeline stages, told by words in their names
DEAL_ORDER = ("lead", "new", "contact", "appointment", "prospect", "engag", "discovery", "qualif", "needs", "meeting",
              "analysis", "value", "demo", "trial", "pilot", "presentation", "decision",
              "perception", "proposal", "quote", "negotiat", "review", "contract", "commit", "won")


def stage_rank(stage: str) -> int:
    """Where a deal stage stands in the pipeline (``DEAL_ORDER``), -1 when no word of its name places it."""
    low = str(stage).lower()
    return next((i for i, w in enumerate(DEAL_ORDER) if w in low), -1)


def stages_between(dataset, first: str, last: str) -> list[str]:
    """The open stages of the data from ``first`` to ``last`` in pipeline order, both included
    ("prospecting through negotiation": Prospecting, Qualification, Proposal, Negotiation); empty
    when either is not placed."""
    low, high = sorted((stage_rank(first), stage_rank(last)))
    if low < 0:
        return []
    kinds = status_kinds(dataset)
    return sorted((v for v, k in kinds.items() if k == "open" and low <= stage_rank(v) <= high), key=stage_rank)


def deal_stages(dataset) -> bool:
    """Whether the sales' status is a CRM's deal stage (only the won deals are sales)."""
    return any(s.role == "transactions" and "'%won%'" in (getattr(s, "exprs", None) or {}).get("is_purchase", "")
               for s in dataset.sources)


def days_between_sql(start: str, end: str, alias: str = "t") -> str:
    """The days from one date column of a line to another (a deal's engage date to its close date)."""
    return (f"date_diff('day', TRY_CAST({alias}.{start} AS DATE), TRY_CAST({alias}.{end} AS DATE))")


def date_columns(dataset) -> list[str]:
    """The columns of the sales lines that hold dates: order_date first, then any other dated column
    (a deal's engage_date, a created_at), by their type in the view."""
    if not dataset.has("transactions"):
        return []
    types = dataset.engine.describe("transactions_all")
    return sorted((c for c, t in types.items() if t.startswith("TIMESTAMP") or t == "DATE"),
                  key=lambda c: (c != "order_date", c))


def status_values(dataset, kind: str) -> list[str]:
    """The status values of one kind (``status_kinds``): "open" -> every stage not closed."""
    return [v for v, k in status_kinds(dataset).items() if k == kind]


def not_purchases(dataset, values) -> list[str]:
    """Of the status values a filter names, those whose lines are no purchase (a stage not won): a
    filter on them reads every line (``transactions_all``), which only some answers can do."""
    kinds = status_kinds(dataset)
    return [str(v) for v in values or [] if kinds.get(str(v), "won") != "won"]


def stages_line(dataset, values) -> str:
    """The first line of an answer counting deals (orders) of some statuses: which were counted,
    and what their amount is called. "Stages counted: Negotiation (open)."."""
    kinds = status_kinds(dataset)
    named = [str(v) for v in values]
    said = ", ".join(v if kinds.get(v, "won") in v.lower() else f"{v} ({kinds.get(v, 'won')})" for v in named)
    deals = deal_stages(dataset)
    what = "stages" if deals else "statuses"
    if all(kinds.get(v, "won") == "won" for v in named):
        return f"{what.capitalize()} counted: {said}: the {'won deals' if deals else 'purchases'}, which are the sales."
    return (f"{what.capitalize()} counted: {said}, over every line of the data (not only the "
            f"{'won deals' if deals else 'purchases'}).")


def status_value_word(dataset, values) -> str:
    """What the amount of the deals of these statuses is called: revenue only when all are won."""
    kinds = {status_kinds(dataset).get(str(v), "won") for v in values}
    if len(kinds) == 1:
        return STATUS_VALUE_WORDS[kinds.pop()]
    return "pipeline value" if "won" not in kinds else "deal value"


# --------------------------------------------------------------------------- sibling columns of a wide table

#: words of a column's name that say what kind of figure it is, which siblings share, not which one it is
SIBLING_GENERIC = frozenset("products product prods prod purchases purchase amount amounts amt mnt num count "
                            "total sum value".split())


#: first words that several columns share without being siblings (a total of orders beside a total spent)
SIBLING_NOT_A_FAMILY = frozenset("total sum avg average mean median max min is has last first days date".split())


#: words that make a column a part of a date (arrival_date_year, arrival_date_week_number,
#: arrival_date_day_of_month): numbers that are no figures to sum or compare side by side
_DATE_PART_WORDS = frozenset("date year month week day quarter weekday hour".split())


def date_part(column: str) -> bool:
    """Whether a column is a part of a date by its name: a date word and a calendar word
    (arrival_date_year, order_date_month, arrival_date_day_of_month)."""
    parts = set(_name_parts(column))
    return "date" in parts and bool(parts & (_DATE_PART_WORDS - {"date"}))


def date_part_column(columns, grain: str) -> str | None:
    """The one column among ``columns`` that is the ``grain`` part of a date by its name
    (arrival_date_month for month, arrival_date_year for year; a day of month or a week number is
    neither a month nor a year), None when there is none or more than one."""
    others = {"year": {"month", "week", "day", "quarter"}, "month": {"day", "week"}, "quarter": {"day", "week", "month"},
              "week": {"day"}, "day": {"week", "month"}}.get(grain, set())
    fits = [c for c in columns if date_part(c) and grain in _name_parts(c) and not set(_name_parts(c)) & others]
    return fits[0] if len(fits) == 1 else None


def _name_parts(column: str) -> list[str]:
    """A column's name in its words and numbers: accepted_cmp3 -> accepted, cmp, 3."""
    return rx.findall(r"[a-z]+|[0-9]+", column.lower())


def sibling_families(columns) -> list[list[str]]:
    """Groups of sibling columns of a wide table (one row per customer, one column per campaign,
    product category or channel): numbered alike (accepted_cmp1..accepted_cmp5, q1..q9: the name
    with its number taken out is the same, two or more) or sharing their first word (mnt_wines,
    mnt_fruits, mnt_meat_products...: three or more) and, within those, their last word too
    (num_web_purchases, num_store_purchases... apart from num_web_visits_month). Each family in the
    columns' own order, the tighter families after the wider ones they are part of."""
    columns = [c for c in dict.fromkeys(columns) if not date_part(c)]  # a date's parts are no siblings
    out: list[list[str]] = []
    numbered: dict[str, list[str]] = {}
    for c in columns:
        if rx.search(r"\d", c):
            numbered.setdefault(rx.sub(r"\d+", "#", c.lower()), []).append(c)
    # in the order of their numbers: AcceptedCmp1..5, whatever the file's order of columns
    out += [sorted(cs, key=lambda c: [int(n) for n in rx.findall(r"\d+", c)]) for cs in numbered.values()
            if len(cs) >= 2]
    first: dict[str, list[str]] = {}
    for c in columns:
        parts = _name_parts(c)
        if len(parts) >= 2 and parts[0].isalpha():
            first.setdefault(parts[0], []).append(c)
    for word, cs in first.items():
        if word in SIBLING_NOT_A_FAMILY:  # total_orders, total_spent, total_refunds: figures of other kinds
            continue
        if len(cs) >= 3 and not any(set(cs) == set(o) for o in out):
            out.append(cs)
            last: dict[str, list[str]] = {}
            for c in cs:
                last.setdefault(_name_parts(c)[-1], []).append(c)
            out += [ls for ls in last.values() if 3 <= len(ls) < len(cs) and not any(set(ls) == set(o) for o in out)]
    return out


def sibling_words(family: list[str]) -> dict[str, set[str]]:
    """The words that tell each column of a family apart ({column: words}): its name's words that the
    family does not all share and that say no kind of figure (``SIBLING_GENERIC``): mnt_meat_products
    -> meat; accepted_cmp3 -> 3. A word two columns of the family hold names neither."""
    parts = {c: set(_name_parts(c)) for c in family}
    shared = set.intersection(*parts.values()) if parts else set()
    words = {c: {p for p in ps - shared if p not in SIBLING_GENERIC} for c, ps in parts.items()}
    count: dict[str, int] = {}
    for ws in words.values():
        for w in ws:
            count[w] = count.get(w, 0) + 1
    return {c: {w for w in ws if count[w] == 1} for c, ws in words.items()}


def any_of_sql(columns, alias: str = "") -> str:
    """SQL of "at least one of these yes/no or 0/1 columns is yes": 1.0, 0.0 when every known one is
    no, NULL when none is known (``flag_value`` of each)."""
    each = [flag_value(c, alias) for c in columns]
    return f"greatest({', '.join(each)})" if len(each) > 1 else each[0]


def yes_count_sql(columns, alias: str = "") -> str:
    """SQL of how many of these yes/no or 0/1 columns are yes (a blank counts as no)."""
    return " + ".join(f"coalesce({flag_value(c, alias)}, 0)" for c in columns)


# --------------------------------------------------------------------------- days since the last purchase

#: headers of a customers column that holds the days since the customer's last purchase (a marketing
#: table's Recency; days_since_last_order...)
RECENCY_NAMES = re.compile(r"^(?:recency(?:_days)?|days_since_(?:the_)?last_(?:purchase|order|buy|visit|transaction)s?|"
                           r"days_since_(?:purchase|order)|last_(?:purchase|order)_days(?:_ago)?|"
                           r"days_(?:since_)?last_(?:purchase|order))$")


#: headers of a customers column that holds the date of the customer's last purchase or payment (a
#: subscriber table's "Last Payment Date", last_order_date, last_purchase_at)
LAST_DATE_NAMES = re.compile(r"^(?:date_(?:of_)?)?last_(?:payment|purchase|order|transaction|billing|invoice|paid|"
                             r"renewal|visit|login|activity|active|seen)(?:_(?:date|at|on|day))?$")


def recency_column(dataset) -> str | None:
    """The customers table's numeric column of days since the last purchase (Recency), else its column
    of the date of the last purchase or payment (``LAST_DATE_NAMES``, typed as a date), or None;
    ``recency_sql`` reads either as days."""
    if not dataset.has("customers"):
        return None
    numeric = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "UTINYINT",
               "USMALLINT", "UINTEGER", "UBIGINT")
    present = dataset.columns("customers")
    kinds = dataset.relation_columns("customers")
    for column, kind in kinds.items():
        if column in present and RECENCY_NAMES.match(column) and str(kind).startswith(numeric):
            return column
    for column, kind in kinds.items():
        if column in present and LAST_DATE_NAMES.match(column) and str(kind).startswith(("DATE", "TIMESTAMP")):
            return column
    return None


def recency_is_date(dataset, column: str) -> bool:
    """Whether the recency column (``recency_column``) is a date of the last purchase, not days."""
    return str(dataset.relation_columns("customers").get(column, "")).startswith(("DATE", "TIMESTAMP"))


def recency_sql(dataset, column: str, alias: str = "c") -> str:
    """SQL of the days since the last purchase of the customers row ``alias``: the recency column as
    it is, or, for a date of the last purchase, the days from it to the latest date the column holds
    (the day the table was last brought up to date: it says no other)."""
    if recency_is_date(dataset, column):
        return (f"CAST(date_diff('day', CAST({alias}.{qi(column)} AS DATE), "
                f"(SELECT max(CAST({qi(column)} AS DATE)) FROM customers)) AS DOUBLE)")
    return f"TRY_CAST({alias}.{qi(column)} AS DOUBLE)"


def loaded_line(dataset) -> str:
    """What is loaded, in one line, for a message saying what an answer would need: each source with
    its role and rows ("marketing_campaign.csv as customers (2,240 rows; columns: ...)")."""
    if not dataset.sources:
        return "nothing is loaded"
    parts = []
    for src in dataset.sources:
        role = src.role or "no role"
        try:
            rows = f"{int(dataset.scalar(f'SELECT count(*) FROM {role}')):,} rows; " if src.role and \
                dataset.has(src.role) else ""
        except Exception:  # noqa: BLE001 - a count is a courtesy here
            rows = ""
        cols = sorted(dataset.columns(src.role)) if src.role and dataset.has(src.role) else []
        shown = ", ".join(cols[:12]) + (f" and {len(cols) - 12} more" if len(cols) > 12 else "")
        parts.append(f"{src.name} as {role} ({rows}columns: {shown})" if cols else f"{src.name} as {role}")
    return "loaded: " + "; ".join(parts)
