"""Discount and margin columns that hold rates, and profit columns that stand in for cost.

Real exports do not all give money in their money columns. Tableau's "Sample - Superstore" has a
``Discount`` of 0-0.8 (a rate: 0.2 is 20% off) beside ``Sales`` already after that discount, and a
``Profit`` but no cost. Summed as money, the rates made "2,298,761.95 gross, less 1,561.09 in
discounts" (TRIAL4); without a cost column, profitability said it had nothing to go on.

A discount column is read as a rate when

- its header says so ("discount rate", "discount %", "discount pct") or its text values end in
  "%", and its values are within 0-1 (a fraction) or 0-100 (a percent); or
- its header is a plain "discount" (not "discount amount", "total discount"...), its values are
  within 0-1, not only 0 and 1 (a yes/no flag), and they are not money beside the line amounts:
  the median amount of a discounted line is at least ``MONEY_RATIO`` times the largest discount
  (a money discount of at most 0.80 on lines of 20 and more would be a token; a rate is usual).

The discount in money is then ``amount x rate / (1 - rate)`` when the amount is a column of its
own (read as after the discount, as Superstore's Sales are and as custlens reads every amount
column), or ``quantity x unit price x rate`` when the amount was derived from the list price (and
then taken off it, like any discount). Either reading is a note on the source
(``Source.rate_notes``) that answers mentioning discounts repeat (``said_for``).

A profit column ("profit", "gross profit", "margin"...) where there is no cost gives the cost:
``cost = amount (net of discount) - profit``; a margin column of rates gives
``cost = amount x (1 - margin)``. So profitability, overview's margin, CLV on margin and the
five forces' supplier power all read the one canonical ``cost``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import schema

#: a plain "discount" of 0-1 is money only if the lines it is on are small beside it
MONEY_RATIO = 25
RATE_WORDS = {"rate", "pct", "percent", "percentage", "ratio", "share"}
MONEY_WORDS = {"amount", "amt", "total", "value", "sum", "usd", "eur", "gbp", "dollars", "money", "net", "gross"}
#: headers of margins that may be rates rather than money
MARGIN_WORDS = {"margin", "marge", "margen", "marjin"}


@dataclass(frozen=True)
class Stats:
    low: float | None  # min of the column
    high: float | None  # max
    nonzero: int  # lines with a value other than 0
    flag: bool  # every value is 0 or 1
    median_amount: float | None  # median |amount| of the lines with a non-zero value
    percent_text: bool  # text values written with a "%"


def _words(header: str) -> set[str]:
    """The words of a header, camelCase split too (an ERP's LineDiscountPct: line, discount, pct)."""
    return set(schema.normalise(header).split()) | set(schema.snake(header).split("_")) | \
        ({"percent"} if "%" in str(header) else set())


def rate_scale(header: str, stats: Stats, signed: bool = False) -> float | None:
    """100 when the column holds percents, 1 when it holds fractions, None when it holds money.
    ``signed`` allows negative rates (a margin can be below zero)."""
    if stats.low is None or stats.high is None or not stats.nonzero:
        return None
    words = _words(header)
    floor = -1 if signed else 0
    if words & RATE_WORDS or stats.percent_text:
        if floor <= stats.low and stats.high <= 1 and not stats.percent_text:
            return 1.0
        if floor * 100 <= stats.low and stats.high <= 100:
            return 100.0
        return None
    if words & MONEY_WORDS or stats.flag:
        return None
    if floor <= stats.low and stats.high <= 1 and stats.median_amount is not None and \
            stats.median_amount >= MONEY_RATIO * max(abs(stats.low), abs(stats.high)):
        return 1.0
    return None


def stats(engine, relation: str, expr: str, amount: str | None, column: str, is_text: bool) -> Stats:
    """One pass over the source's lines for the figures ``rate_scale`` reads."""
    med = f"median(abs({amount})) FILTER (WHERE ({expr}) <> 0)" if amount else "NULL"
    pct = (f"count(*) FILTER (WHERE trim(CAST({column} AS VARCHAR)) LIKE '%\\%%' ESCAPE '\\')" if is_text
           else "0")
    row = engine.rows(
        f"SELECT min({expr}), max({expr}), count(*) FILTER (WHERE ({expr}) <> 0), "
        f"count(*) FILTER (WHERE ({expr}) NOT IN (0, 1)), {med}, {pct} FROM {relation}")[0]
    return Stats(None if row[0] is None else float(row[0]), None if row[1] is None else float(row[1]),
                 int(row[2] or 0), not row[3], None if row[4] is None else float(row[4]), bool(row[5]))


#: what an answer says when it shows discounts in money ("in discounts", a "discounts" column, gross
#: sales), not CLV's "discounted at 1% a month"; and profit, margin or cost
SHOWS_DISCOUNTS = (r"\bdiscounts\b", r"\bgross sales\b")
SHOWS_PROFIT = (r"\bprofit", r"\bmargin", r"\bcost of goods\b")


def said_for(answer, notes: list[tuple[tuple[str, ...], str]]) -> list[str]:
    """The notes an answer needs: those with a pattern (``SHOWS_DISCOUNTS``, ``SHOWS_PROFIT``) its
    text or tables say."""
    if not notes:
        return []
    text = " ".join([answer.summary or ""] + [" ".join(map(str, t.columns)) + " " + (t.title or "") +
                                             " " + " ".join(str(r[0]) for r in (t.rows or [])[:40] if r)
                                             for t in answer.tables]).lower()
    return [n for keys, n in notes if any(re.search(k, text) for k in keys)]
