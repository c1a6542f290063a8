"""Slots: the parameters a question carries in everyday words, extracted by pure functions.

``extract(question, values, end)`` returns what it found: ``top`` ("top 20"), ``k`` ("4
segments"), ``grain`` ("monthly", "by quarter"), ``start``/``end`` ("in 2024", "Q3 2023", "last
6 months", "since March 2023"), ``metric`` ("revenue", "orders"), ``by`` (dimensions: "by
country", "top 10 products"), and ``filters`` matched against values that occur in the data
("in Germany", "for B2B"). The router keeps the slots an analysis's Params has.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

GRAINS = {
    "day": r"daily|per day|by day|each day|a day|days?",
    "week": r"weekly|per week|by week|each week|weeks?",
    "month": r"monthly|per month|by month|each month|months?|mo",
    "quarter": r"quarterly|per quarter|by quarter|each quarter|quarters?|qtrs?",
    "year": r"yearly|annual(?:ly)?|per year|by year|each year|years?|yr",
}
METRICS = {
    "aov": r"average order value|aov|avg order value|basket size|average basket",
    "revenue": r"revenue|sales|turnover|spend|spending|income|money|sold|earn\w*",
    # "first purchase", "repeat orders", "last order" name an event, not the orders metric
    "orders": r"(?<!first )(?<!repeat )(?<!last )(?:orders?|purchases?|transactions?)",
    "quantity": r"units|quantity|quantities|pieces|volume",
    "customers": r"(?:number of|how many|count of|unique|new|active) (?:customers?|clients?|buyers?|shoppers?)",
}
DIMENSIONS = {
    "product": r"products?|items?|skus?|articles?|best[- ]?sellers?",
    "category": r"categor(?:y|ies)|product lines?|departments?",
    "country": r"countr(?:y|ies)|nations?|markets?",
    "region": r"regions?|territor(?:y|ies)|areas?|states?",
    "channel": r"channels?",
    "customer": r"customers?|clients?|buyers?",
    "period": "|".join(GRAINS.values()) + r"|periods?|time|over time|trend",
}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | \
    {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "twelve": 12, "twenty": 20, "fifty": 50, "hundred": 100}
_NUM = r"(\d+|" + "|".join(_NUM_WORDS) + r")"


def _int(token: str) -> int:
    return _NUM_WORDS.get(token.lower(), None) or int(token)


def clean(question: str) -> str:
    """Drop control characters and squeeze white space."""
    text = "".join(ch if ch.isprintable() else " " for ch in question)
    return re.sub(r"\s+", " ", text).strip()


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 - months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period(text: str, end: dt.date | None = None) -> tuple[dt.date | None, dt.date | None, str]:
    """(start, end, the words matched) for the period named in ``text``; ``end`` is the data's last day,
    which "last 6 months" and "this year" count back from (the data's, not the clock's: answers stay
    reproducible)."""
    t = text.lower()
    ref = end or dt.date.today()
    m = re.search(r"\b(?:between|from)\s+((?:19|20)\d{2})\s+(?:and|to|-)\s+((?:19|20)\d{2})\b", t)
    if m:
        return dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(2)), 12, 31), m.group(0)
    m = re.search(r"\b(?:last|past|previous)\s+" + _NUM + r"?\s*(day|week|month|quarter|year)s?\b", t)
    if m:
        n = _int(m.group(1)) if m.group(1) else 1
        unit = m.group(2)
        start = {"day": lambda: ref - dt.timedelta(days=n - 1), "week": lambda: ref - dt.timedelta(weeks=n),
                 "month": lambda: _shift_months(ref, n), "quarter": lambda: _shift_months(ref, 3 * n),
                 "year": lambda: _shift_months(ref, 12 * n)}[unit]()
        if unit != "day":
            start += dt.timedelta(days=1)
        return start, ref, m.group(0)
    m = re.search(r"\bsince\s+(?:(" + "|".join(MONTHS) + r")\w*\s+)?((?:19|20)\d{2})\b", t)
    if m:
        month = MONTHS[m.group(1)] if m.group(1) else 1
        return dt.date(int(m.group(2)), month, 1), None, m.group(0)
    m = re.search(r"\bq([1-4])\s*(?:of\s+)?((?:19|20)\d{2})?\b", t)
    if m:
        q = int(m.group(1))
        year = int(m.group(2)) if m.group(2) else ref.year
        return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), m.group(0)
    m = re.search(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\s+((?:19|20)\d{2})\b", t)
    if m:
        month, year = MONTHS[m.group(1)], int(m.group(2))
        return dt.date(year, month, 1), _month_end(year, month), m.group(0)
    m = re.search(r"\b(this|last)\s+year\b", t)
    if m:
        year = ref.year - (m.group(1) == "last")
        return dt.date(year, 1, 1), dt.date(year, 12, 31), m.group(0)
    m = re.search(r"\b(?:in|during|for|of|year)?\s*((?:19|20)\d{2})\b", t)
    if m:
        year = int(m.group(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31), m.group(0).strip()
    return None, None, ""


def match_values(text: str, values: dict[str, dict[str, list[str]]]) -> dict[str, list[str]]:
    """Filters: data values named in the question as whole words, longest first ("United Kingdom" before
    "United"). ``values`` is {role: {column: [values]}} as Dataset.values() returns it."""
    t = " " + re.sub(r"[^\w&+.-]+", " ", text.lower()) + " "
    found: dict[str, list[str]] = {}
    candidates = sorted(((v, col) for cols in values.values() for col, vs in cols.items() for v in vs),
                        key=lambda x: -len(x[0]))
    for value, col in candidates:
        v = value.lower().strip()
        if len(v) < 2 or v.isdigit() or re.fullmatch(DIMENSIONS["period"] + "|" + METRICS["orders"], v):
            continue
        pattern = " " + re.sub(r"[^\w&+.-]+", " ", v).strip() + " "
        if pattern.strip() and pattern in t:
            if value not in found.get(col, []):
                found.setdefault(col, []).append(value)
            t = t.replace(pattern, " ")
    return found


_NAMED = re.compile(r"\b(?:in|for|from|at)\s+((?:[A-Z][\w&.'-]*)(?:\s+(?:[A-Z][\w&.'-]*|of|and|de|du))*)")


def unmatched_names(text: str, consumed: list[str]) -> list[str]:
    """Capitalised names after in/for/from/at that no data value, period or number explained
    ("revenue in Atlantis"): the caller says so instead of answering for everything."""
    for word in sorted(consumed, key=len, reverse=True):
        text = re.sub(re.escape(word), " ", text, flags=re.I)
    names = []
    for m in _NAMED.finditer(text):
        name = m.group(1).strip()
        first = name.split()[0].lower()
        if first in MONTHS or re.fullmatch(r"q[1-4]", first) or name.isupper() and len(name) <= 3:
            continue
        names.append(name)
    return names


def attribute_dimensions(t: str, values: dict[str, dict[str, list[str]]]) -> list[tuple[int, str]]:
    """Breakdowns by any low-cardinality column of the data named after by/per/across ("by contract",
    "per payment method", "by acquisition channel"): (position, column)."""
    found = []
    for col in sorted({c for cols in values.values() for c in cols}, key=len, reverse=True):
        if col in DIMENSIONS:
            continue
        words = re.escape(col.replace("_", " ")).replace(r"\ ", r"[\s_]+")
        m = re.search(r"\b(?:by|per|across|for each|split by|broken down by)\s+(?:the\s+)?(" + words + r")s?\b", t)
        if m:
            found.append((m.start(1), col))
    return found


def extract(question: str, values: dict[str, dict[str, list[str]]] | None = None,
            end: dt.date | None = None) -> tuple[dict[str, Any], list[str]]:
    """All slots found in ``question`` and the words they consumed (the router does not count those
    against an analysis)."""
    text = clean(question)
    t = text.lower()
    slots: dict[str, Any] = {}
    used: list[str] = []
    filters = match_values(text, values or {})
    if filters:
        slots["filters"] = filters
        used += [v for vs in filters.values() for v in vs]
        for vs in filters.values():
            for v in vs:
                t = re.sub(r"\b" + re.escape(v.lower()) + r"\b", " ", t)
    start, stop, words = period(t, end)
    if words:
        slots["start"], slots["end"] = start, stop
        used.append(words)
        t = t.replace(words, " ")
    m = re.search(r"\b(?:top|best|biggest|largest|first)\s+" + _NUM + r"\b", t) or \
        re.search(r"\b" + _NUM + r"\s+(?:best|top|biggest|largest|most)\b", t)
    if m:
        slots["top"] = _int(m.group(1))
        used.append(m.group(0))
    m = re.search(r"\b" + _NUM + r"\s+(?:segments?|clusters?|groups?)\b", t) or \
        re.search(r"\bk\s*=\s*(\d+)\b", t)
    if m:
        slots["k"] = _int(m.group(1))
        used.append(m.group(0))
    for grain, pattern in GRAINS.items():
        if re.search(r"\b(?:" + pattern + r")\b", t) and not re.search(r"\b(?:last|past|previous)\s+\S*\s*"
                                                                          + grain, t):
            slots["grain"] = grain
            break
    for metric, pattern in METRICS.items():
        if re.search(r"\b(?:" + pattern + r")\b", t):
            slots["metric"] = metric
            break
    dims = attribute_dimensions(t, values or {})
    for start, col in dims:  # "by acquisition channel" is that column, not also the channel dimension
        width = len(col)
        t = t[:start] + " " * width + t[start + width:]
    for dim, pattern in DIMENSIONS.items():
        for m in re.finditer(r"\b(?:" + pattern + r")\b", t):
            before = t[max(0, m.start() - 25):m.start()]
            after = t[m.end():m.end() + 20]
            if re.match(r"\s+(?:distribution|breakdown|mix|split|ranking|share)\b", after):
                dims.append((m.start(), dim))
                break
            grouping = re.search(r"\b(by|per|each|every|across|top|best|which|split|breakdown|distribution|and|"
                                 r"over|\d+)\s+(?:\w+\s+)?$", before)
            if dim == "period" and "grain" in slots or grouping and dim != "customer" or \
                    dim == "customer" and re.search(r"\b(top|best|biggest|by|per|each|which|\d+)\s+$", before):
                dims.append((m.start(), dim))
                break
    if dims:
        slots["by"] = [d for _, d in sorted(dims)]
    unknown = unmatched_names(text, used)
    if unknown:
        slots["unknown_names"] = unknown
    return slots, used
