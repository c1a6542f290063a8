"""Narratives are Jinja2 templates filled with computed facts. Templates are package resources
(importlib.resources), so they work installed, editable or zipped; a plugin passes its own package."""

from __future__ import annotations

import functools
import importlib.resources
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import jinja2

BUILTIN = "custlens.prompts_and_templates"
#: templates that produce HTML (or XML): every value they show is escaped, whatever the data holds.
#: "answer.html.j2" ends in ".html.j2", so the bare "html" extension would miss it.
HTML_TEMPLATES = ("html", "htm", "xml", "html.j2", "htm.j2", "xml.j2", "html.jinja", "html.jinja2")


def num(value, digits: int = 0) -> str:
    """A number with thousands separators and ``digits`` decimals, first rounded to 9 places: the noise
    of the order a parallel engine added a sum in never flips the last digit shown (32.824999999999996
    and 32.825000000000003, the same mean summed two ways, both read 32.82)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, float):
        value = round(value, 9)
    return f"{value:,.{digits}f}"


#: money reads as any number does (its currency is said once, on the answer's first line)
money = num


#: places a fraction (a rate, a share) is kept to in a table: 6, so that the percentage shown at one
#: decimal is the exact figure's (0.375524 for 448 of 1,193 is 37.6%, as 448 / 1193 is). Rounded to 4,
#: 0.37549 was kept as 0.3755 and shown 37.6% where the exact figure, in the narrative, is 37.5%.
RATE_PLACES = 6


def pct(value, digits: int = 1, sign: bool = False) -> str:
    """A fraction as a percentage, the one way every table cell and every narrative shows it (0.3755 is
    "37.6%"): rounded half up in decimal, not from the binary float (0.3755 * 100 is 37.549999...,
    which Python's format shows as 37.5%), and first to ``RATE_PLACES`` places, as tables keep it,
    so that the exact figure and the one a table holds read the same. ``sign``: "+31.3%" / "-2.0%"."""
    if value is None or isinstance(value, bool):
        return "n/a" if value is None else str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "n/a"
    if math.isinf(number):
        return f"{'+' if sign and number > 0 else ''}{100 * number:.{digits}f}%"
    kept = Decimal(repr(number)).quantize(Decimal(1).scaleb(-RATE_PLACES), rounding=ROUND_HALF_UP)
    shown = (kept * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if shown == 0:
        shown = abs(shown)  # never "-0.0%"
    return f"{shown:{'+' if sign else ''}.{digits}f}%"


def period_label(start, end) -> str:
    """A period in words, one style everywhere: "2024", "2024 Q3", "2025 H1", "March 2025", else
    "2024-01-05 to 2024-02-01", "2024-12-02" (one day; dates or ISO strings; an open end is "since ..." /
    "until ...")."""
    import calendar
    import datetime as dt

    s = dt.date.fromisoformat(str(start)[:10]) if start else None
    e = dt.date.fromisoformat(str(end)[:10]) if end else None
    if s is None or e is None:
        return f"since {s}" if s else f"until {e}" if e else "all dates"
    if s.day == 1 and e.day == calendar.monthrange(e.year, e.month)[1] and s.year == e.year:
        months = e.month - s.month + 1
        if months == 12:
            return f"{s.year}"
        if months == 6 and s.month in (1, 7):
            return f"{s.year} H{(s.month + 5) // 6}"
        if months == 3 and s.month % 3 == 1:
            return f"{s.year} Q{(s.month + 2) // 3}"
        if months == 1:
            return s.strftime("%B %Y")
    return f"{s}" if s == e else f"{s} to {e}"  # one day: the day


def period_said(start, end) -> str:
    """A period as it follows a figure, with its space: " in 2024", " in March 2025", " since 2024-03-01";
    "" when no period is set."""
    if not start and not end:
        return ""
    label = period_label(start, end)
    return f" {label}" if label.startswith(("since", "until")) else f" in {label}"


def compare_label(periods) -> str:
    """Two periods compared, earlier first: "2024 Q3 vs 2025 Q3"."""
    return " vs ".join(period_label(a, b) for a, b in periods)


def filters_text(filters: dict | None) -> str:
    """Filters as an answer says them: " for country = Germany or France, channel = B2B" ("" for none)."""
    if not filters:
        return ""
    from .kit import FIRST_PURCHASE, MIN_ORDERS, condition, first_purchase_range, min_orders_value

    def said(k, v) -> str:
        if k == MIN_ORDERS:  # "customers with 3 or more orders"
            return f"customers with {min_orders_value(v)} or more orders"
        if k == FIRST_PURCHASE:  # an acquisition cohort: "customers whose first purchase is in 1997-01-01 to ..."
            start, end = first_purchase_range(v)
            return ("customers whose first purchase is " + ("in " if start and end else "")
                    + period_label(start, end))
        if condition(v):
            return f"{k} {v[0] if isinstance(v, list) else v}"
        return f"{k} = {values_text([v] if isinstance(v, str) else v)}"

    return " for " + ", ".join(said(k, v) for k, v in filters.items())


def values_text(values, joiner: str = " or ") -> str:
    """A filter's values as said: all of a few; of more, the leading words they share and how many
    ("Leila Pullover (9 variants)": a shop's variants), else the first three and how many more."""
    import os

    from .kit import one_spelling

    cases: dict[str, list[str]] = {}
    for v in values:  # a value with every case of its letters (a filter takes them all): said once
        cases.setdefault(str(v).lower(), []).append(str(v))
    texts = [one_spelling(vs) + (" (in any case)" if len(vs) > 1 else "") for vs in cases.values()]
    if len(texts) <= 3:
        return joiner.join(texts)
    common = os.path.commonprefix([t.lower() for t in texts])
    head = re.match(r"(.*\w)(?=\s*[-/|,:(]|\s+\w)", texts[0][:len(common)] + " x")
    if head and len(head.group(1)) >= 4 and all(t[len(head.group(1)):][:1] in " -/|,:(" for t in texts):
        return f"{head.group(1)} ({len(texts)} variants)"
    return ", ".join(texts[:3]) + f" and {len(texts) - 3} more"


def period_start(value):
    """The first day of the period ``value`` names: a date or datetime, a pandas Timestamp, an ISO
    string ("2025-01-01", "2025-01-01 00:00:00"), or a value ``period_value`` or ``period_name``
    wrote ("2025-01", "2025 Q1", "2025", "March 2025"). None when it names no period."""
    import datetime as dt
    import re

    if value is None or value != value:  # None, NaN, NaT
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?", text):
        return dt.date(*map(int, m.groups()))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return dt.date(int(m[1]), int(m[2]), 1)
    if m := re.fullmatch(r"(\d{4}) Q([1-4])", text):
        return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 1, 1)
    try:  # what period_name writes for a month: "March 2025"
        return dt.datetime.strptime(text, "%B %Y").date()
    except ValueError:
        return None


def period_value(day, grain: str, fiscal_start: int = 1) -> str:
    """A period as a table shows it, one style in every analysis: "2025-01" (month), "2025 Q1"
    (quarter), "2025" (year), the first day for a week or a day ("2025-01-06"). ``day`` is the
    period's start (``period_start`` reads it); a value that is no period is returned as text.
    With a fiscal year starting in month ``fiscal_start`` (custlens.toml [definitions]), years and
    quarters are fiscal and say so: "FY2025/26", "FY2025/26 Q1"."""
    d = period_start(day)
    if d is None:
        return "" if day is None or day != day else str(day)
    if grain in ("year", "quarter") and fiscal_start != 1:
        first = d.year if d.month >= fiscal_start else d.year - 1
        fy = f"FY{first}/{(first + 1) % 100:02d}"
        return fy if grain == "year" else f"{fy} Q{(d.month - fiscal_start) % 12 // 3 + 1}"
    if grain == "month":
        return f"{d.year}-{d.month:02d}"
    if grain == "quarter":
        return f"{d.year} Q{(d.month - 1) // 3 + 1}"
    if grain == "year":
        return str(d.year)
    return d.isoformat()


def period_name(day, grain: str, fiscal_start: int = 1) -> str:
    """A period as a narrative says it: "October 2025", "2025 Q4", "2025", "the week of
    2025-11-10", "2025-11-12" (a day); fiscal years and quarters as ``period_value``."""
    d = period_start(day)
    if d is None:
        return "" if day is None or day != day else str(day)
    if grain == "month":
        return d.strftime("%B %Y")
    if grain == "week":
        return f"the week of {d}"
    return period_value(d, grain, fiscal_start)


def extremes(high, high_text: str, low, low_text: str, n: int | None = None, high_word: str = "highest for",
             low_word: str = "lowest for", bold: bool = True) -> str:
    """The highest and the lowest group of a breakdown in one phrase ("highest for **Fall** (60,018),
    lowest for **Summer** (55,777)"), the one way every narrative says them. With one group (a
    breakdown filtered to one value) it is not compared with itself: "only **Technology** (18.6%):
    one group, nothing to compare it with"."""
    b = (lambda x: f"**{x}**") if bold else str
    if n == 1 or (n is None and high == low):
        return f"only {b(high)} ({high_text}): one group, nothing to compare it with"
    return f"{high_word} {b(high)} ({high_text}), {low_word} {b(low)} ({low_text})"


@functools.lru_cache(maxsize=None)
def environment(package: str = BUILTIN) -> jinja2.Environment:
    def load(name: str):
        res = importlib.resources.files(package).joinpath(name)
        if not res.is_file():
            return None
        return res.read_text(encoding="utf-8")

    env = jinja2.Environment(loader=jinja2.FunctionLoader(load), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
                             autoescape=jinja2.select_autoescape(enabled_extensions=HTML_TEMPLATES,
                                                                 default_for_string=False, default=False))
    env.filters.update(money=money, num=num, pct=pct, period=lambda p: period_label(*p),
                       period_name=period_name, period_value=period_value, filters_text=filters_text)
    env.globals.update(extremes=extremes)
    return env


def render(name: str, package: str = BUILTIN, **facts) -> str:
    """Render template ``name`` from ``package`` with ``facts``; a missing fact is an error, not a blank."""
    return environment(package).get_template(name).render(**facts).strip()


def guide(name: str, path: str | None = None, package: str = BUILTIN) -> dict:
    """A YAML guide (interview questions, survey drafts): the file at ``path`` when given (a
    company's edited copy), else ``name`` from ``package``."""
    import yaml

    from .errors import DataError

    if path:  # a company's file: errors say what is wrong and never quote it
        from .paths import load_yaml_mapping

        return load_yaml_mapping(path, "guide")
    text = importlib.resources.files(package).joinpath(name).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataError(f"the built-in guide {name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DataError(f"the built-in guide {name} should be a YAML mapping")
    return data
