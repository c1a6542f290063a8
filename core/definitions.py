"""Definitions a company sets once: the ``[definitions]`` table of custlens.toml next to the data.

    [definitions]
    fiscal_year_start = "April"   # or 4: years and quarters of period breakdowns are fiscal
    inactive_days = 90            # "active" = a purchase in the last 90 days; "churned" = none for longer
    revenue = "net"               # or "gross": discounts and refunds not taken off
    currency = "EUR"              # named with the amounts
    margin = 0.3                  # the margin where the data has no cost (CLV on margin)
    duplicate_lines = "once"      # or "keep": exact duplicate order lines (export duplicates) counted once

Every analysis that depends on one reads it from ``dataset.definitions`` and names it in its
answer (``Definitions.said(...)``); ``describe`` shows them. Nothing is set unless the file says so.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from typing import Any

from .errors import DataError
from .templates import pct

KEYS = {
    "fiscal_year_start": "the month the fiscal year starts (1-12 or a month name)",
    "inactive_days": "days without a purchase after which a customer is no longer active (and has churned)",
    "revenue": "\"net\" (discounts and refunds taken off) or \"gross\"",
    "currency": "the currency of the amounts (EUR, USD, ...)",
    "margin": "the margin (0-1) to value sales on where the data has no cost",
    "duplicate_lines": "\"once\" (an orders file's exact duplicate lines, every column equal, counted once) or "
                       "\"keep\" (each counted)",
    "date_order": "\"day first\" (3/4/2024 is 3 April) or \"month first\" (4 March), for text dates whose values "
                  "do not tell (no day past 12)",
}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | \
    {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}


@dataclass
class Definitions:
    fiscal_year_start: int = 1
    inactive_days: int | None = None
    revenue: str = "net"
    currency: str | None = None
    margin: float | None = None
    duplicate_lines: str = "once"
    date_order: str | None = None  # None: the values decide, else the usual preference (said)
    origin: str | None = None  # the custlens.toml they came from
    given: list[str] = field(default_factory=list)  # the keys the file set

    @classmethod
    def parse(cls, table: Any, origin: str) -> "Definitions":
        """The ``[definitions]`` table of ``origin``; a bad key or value is a DataError naming both."""
        if not isinstance(table, dict):
            raise DataError(f"{origin}: [definitions] must be a table of settings ({', '.join(KEYS)}).")
        unknown = [k for k in table if k not in KEYS]
        if unknown:
            raise DataError(f"{origin}: unknown setting(s) in [definitions]: {', '.join(map(repr, unknown))}. "
                            "Settings: " + "; ".join(f"{k} ({why})" for k, why in KEYS.items()) + ".")
        d = cls(origin=origin, given=list(table))

        def bad(key: str, value) -> DataError:
            return DataError(f"{origin}: [definitions] {key} = {value!r} is not valid: it is {KEYS[key]}.")

        if "fiscal_year_start" in table:
            v = table["fiscal_year_start"]
            month = MONTHS.get(v.strip().lower()) if isinstance(v, str) else v if isinstance(v, int) else None
            if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
                raise bad("fiscal_year_start", v)
            d.fiscal_year_start = month
        if "inactive_days" in table:
            v = table["inactive_days"]
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 36_500:
                raise bad("inactive_days", v)
            d.inactive_days = v
        if "revenue" in table:
            v = table["revenue"]
            if not isinstance(v, str) or v.strip().lower() not in ("net", "gross"):
                raise bad("revenue", v)
            d.revenue = v.strip().lower()
        if "currency" in table:
            v = table["currency"]
            if not isinstance(v, str) or not v.strip() or len(v.strip()) > 8:
                raise bad("currency", v)
            d.currency = v.strip()
        if "margin" in table:
            v = table["margin"]
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 < v <= 1:
                raise bad("margin", v)
            d.margin = float(v)
        if "duplicate_lines" in table:
            v = table["duplicate_lines"]
            if not isinstance(v, str) or v.strip().lower() not in ("once", "keep"):
                raise bad("duplicate_lines", v)
            d.duplicate_lines = v.strip().lower()
        if "date_order" in table:
            v = table["date_order"]
            said = " ".join(v.strip().lower().replace("-", " ").replace("_", " ").split()) if isinstance(v, str) else v
            if said not in ("day first", "month first"):
                raise bad("date_order", v)
            d.date_order = said
        return d

    def words(self, key: str) -> str:
        """One setting as the answers say it."""
        if key == "fiscal_year_start":
            return f"the fiscal year starts in {calendar.month_name[self.fiscal_year_start]}"
        if key == "inactive_days":
            return (f"a customer is active with a purchase in the last {self.inactive_days} days and has churned "
                    f"after {self.inactive_days} days without one")
        if key == "revenue":
            return "revenue is net of discounts and refunds" if self.revenue == "net" else \
                "revenue is gross (discounts and refunds not taken off)"
        if key == "currency":
            return f"amounts are in {self.currency}"
        if key == "margin":
            return f"the default margin is {pct(self.margin, 0)}"
        if key == "duplicate_lines":
            return "exact duplicate order lines are counted once" if self.duplicate_lines == "once" else \
                "exact duplicate order lines are each counted"
        if key == "date_order":
            return f"text dates that could be read either way are read {self.date_order} ({'3/4/2024 is 3 April' if self.date_order == 'day first' else '3/4/2024 is 4 March'})"
        raise KeyError(key)

    def said(self, *keys: str) -> str:
        """The line an answer carries for the settings it used that the file gave ("" for none):
        'Definitions (custlens.toml): revenue is gross ...; amounts are in EUR.'"""
        used = [k for k in keys if k in self.given]
        if not used:
            return ""
        return f"Definitions ({self.origin}): " + "; ".join(self.words(k) for k in used) + "."

    def table(self) -> list[dict]:
        """What ``describe`` shows: each setting the file gave, in words."""
        return [{"setting": k, "value": getattr(self, k), "meaning": self.words(k)} for k in KEYS if k in self.given]
