"""mrr: subscription MRR and revenue churn, month by month.

A customer's MRR in a month is what they were invoiced in it (monthly billing: several invoices
in one month add up). Against the month before, each customer's change is one movement:

- new: first month with MRR; reactivation: MRR again after a month or more without;
- expansion / contraction: MRR up / down while subscribed;
- churned: MRR last month, none this month (the whole of last month's MRR is lost).

So MRR = previous MRR + new + reactivation + expansion - contraction - churned, every month.
Net revenue retention = (previous MRR + expansion - contraction - churned) / previous MRR and
gross revenue churn rate = (contraction + churned) / previous MRR: what the customers of last
month are worth this month, with and without their upgrades.

The customer x month grid and the movements are one DuckDB query; filters (a plan, a country)
scope the invoices; a period only picks the months shown, so its first month is still compared
with the month before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.errors import DataError
from custlens.templates import render

TEMPLATES = "custlens_acme.templates"
MOVEMENTS = ("new", "expansion", "reactivation", "contraction", "churned")


class MrrParams(ScopedParams):
    grain: Literal["month"] = Field("month", description="MRR is monthly; other grains are refused")


class Mrr(Analysis):
    name = "mrr"
    title = "MRR and revenue churn"
    summary = ("Monthly recurring revenue: new, expansion, contraction, churned and reactivated MRR, "
               "net revenue retention and gross revenue churn per month.")
    examples = [
        "what is our MRR",
        "monthly recurring revenue churn",
        "MRR by month",
        "what is our MRR churn by month",
        "how much recurring revenue did we lose to cancellations",
        "net revenue retention",
        "what is our NRR",
        "gross revenue churn rate per month",
        "expansion and contraction MRR",
        "how much MRR came from upgrades and how much did downgrades cost us",
        "new MRR versus churned MRR",
        "subscription revenue movements month over month",
        "show the MRR bridge",
        "how much subscription revenue are we losing each month",
        "MRR from reactivated subscribers",
        "recurring revenue waterfall: new, expansion, contraction, churn",
        "monthly recurring revenue trend",
        "net new MRR last year",
        "dollar churn of our subscriptions",
        "how fast is our recurring revenue growing",
    ]
    keywords = ["mrr", "monthly recurring revenue", "recurring revenue", "net revenue retention",
                "revenue churn", "subscription revenue", "expansion mrr", "contraction mrr"]
    Params = MrrParams
    requires = {"transactions": ["customer_id", "order_date", "amount"]}

    def run(self, dataset, params: MrrParams) -> Answer:
        where, args = dataset.scope(params.filters)
        first = dt.date(params.start.year, params.start.month, 1) if params.start else dt.date.min
        frame = dataset.query(MONTHLY_SQL.format(where=where), [*args, first, params.end or dt.date.max])
        if frame.empty:
            period = f" between {params.start or 'the start'} and {params.end or 'the end'}" \
                if params.start or params.end else ""
            raise DataError(f"no invoices match{period}{' the filters' if params.filters else ''}: "
                            "widen the period or the filters to see MRR.")
        frame["month"] = [f"{m:%Y-%m}" for m in frame["month"]]
        money = ["mrr", *MOVEMENTS, "net new mrr", "previous mrr"]
        frame[money] = frame[money].astype(float).fillna(0.0).round(2)
        prev = frame["previous mrr"].where(frame["previous mrr"] > 0)
        frame["net revenue retention rate"] = (prev + frame["expansion"] - frame["contraction"] - frame["churned"]) / prev
        frame["gross revenue churn rate"] = (frame["contraction"] + frame["churned"]) / prev
        monthly = frame[["month", "mrr", "customers", *MOVEMENTS, "net new mrr", "churned customers",
                         "net revenue retention rate", "gross revenue churn rate"]]
        headline = self._headline(frame)
        warnings = self._warnings(dataset, where, args, int(frame["summed months"].sum()))
        summary = render("mrr.md.j2", package=TEMPLATES, h=headline, last=monthly.iloc[-1].to_dict(),
                         filters=params.filters)
        return Answer(
            analysis=self.name, title=self.title, summary=summary,
            tables=[Table.from_frame("mrr_headline", self._headline_frame(headline), "MRR at a glance"),
                    Table.from_frame("mrr_by_month", monthly, "MRR movements by month")],
            charts=[Chart(kind="line", title="MRR by month", table="mrr_by_month", x="month", y=["mrr"]),
                    Chart(kind="bar", title="MRR movements by month", table="mrr_by_month", x="month",
                          y=list(MOVEMENTS))],
            follow_ups=["revenue by product", "net revenue retention last year", "customer lifetime value"],
            warnings=warnings,
            provenance=Provenance(method="each customer's invoices summed per month (monthly billing assumed), "
                                         "compared with the month before in DuckDB",
                                  rows_used=int(frame["invoices"].sum())))

    @staticmethod
    def _headline(frame) -> dict:
        first, last = frame.iloc[0], frame.iloc[-1]
        churn = frame["gross revenue churn rate"].dropna()
        worst = frame.loc[churn.idxmax()] if len(churn) else None
        return {"first": first["month"], "last": last["month"], "months": len(frame),
                "mrr_start": float(first["mrr"]), "mrr_now": float(last["mrr"]),
                "customers_now": int(last["customers"]),
                "growth": (last["mrr"] - first["mrr"]) / first["mrr"] if first["mrr"] else None,
                "churned_total": float(frame["churned"].sum()),
                "avg_gross_churn": float(churn.mean()) if len(churn) else None,
                "avg_nrr": float(frame["net revenue retention rate"].dropna().mean()) if len(churn) else None,
                "worst_month": worst["month"] if worst is not None else None,
                "worst_churn": float(worst["gross revenue churn rate"]) if worst is not None else None}

    @staticmethod
    def _headline_frame(h: dict):
        import pandas as pd

        rows = [("first month", h["first"]), ("last month", h["last"]),
                ("MRR in the first month", h["mrr_start"]), ("MRR in the last month", h["mrr_now"]),
                ("paying customers in the last month", h["customers_now"]),
                ("churned MRR over the period", h["churned_total"]),
                ("average monthly gross revenue churn", h["avg_gross_churn"]),
                ("average monthly net revenue retention", h["avg_nrr"]),
                ("month with the highest gross revenue churn", h["worst_month"])]
        return pd.DataFrame(rows, columns=["figure", "value"]).astype({"value": object})

    @staticmethod
    def _warnings(dataset, where: str, args: list, summed: int) -> list[str]:
        """Months where a customer was billed on several days (added up: MRR assumes monthly
        billing), and a last month that ends earlier in the month than the month before did:
        probably cut off by the export, so customers billed later in it would show as churned."""
        row = dataset.query(f"""
            WITH d AS (SELECT date_trunc('month', t.order_date) AS month, max(day(t.order_date)) AS last_day
                       FROM transactions t WHERE {where} GROUP BY 1)
            SELECT month, last_day, lag(last_day) OVER (ORDER BY month) AS before FROM d
            ORDER BY month DESC LIMIT 1""", args).iloc[0]
        warnings = []
        if summed:
            warnings.append(f"{summed:,} customer-month{'s' if summed != 1 else ''} had invoices on more than one day; "
                            "they were added up as that month's MRR (MRR assumes monthly billing).")
        if row["before"] == row["before"] and row["last_day"] < row["before"]:
            warnings.append(f"the last month ({row['month']:%Y-%m}) has invoices only up to day {row['last_day']} "
                            f"(the month before: day {int(row['before'])}); it may be incomplete, so its churn "
                            "may be overstated. Ask for the months up to the one before.")
        return warnings


#: one row per month from the first invoice to the last (those in the period): MRR, customers and
#: the movements; the period is applied after the comparison with the month before
MONTHLY_SQL = """
WITH inv AS (
    SELECT t.customer_id, CAST(date_trunc('month', t.order_date) AS DATE) AS month,
           sum(t.amount) AS mrr, count(*) AS invoices, count(DISTINCT CAST(t.order_date AS DATE)) AS bill_days
    FROM transactions t WHERE {where} GROUP BY 1, 2),
months AS (
    SELECT CAST(generate_series AS DATE) AS month
    FROM generate_series((SELECT CAST(min(month) AS TIMESTAMP) FROM inv),
                         (SELECT CAST(max(month) AS TIMESTAMP) FROM inv), INTERVAL 1 MONTH)),
firsts AS (SELECT customer_id, min(month) AS first FROM inv GROUP BY 1),
grid AS (
    SELECT f.customer_id, m.month, f.first, coalesce(i.mrr, 0) AS mrr, coalesce(i.invoices, 0) AS invoices,
           coalesce(i.bill_days, 0) AS bill_days
    FROM firsts f JOIN months m ON m.month >= f.first
    LEFT JOIN inv i ON i.customer_id = f.customer_id AND i.month = m.month),
moves AS (
    SELECT *, coalesce(lag(mrr) OVER (PARTITION BY customer_id ORDER BY month), 0) AS prev FROM grid)
SELECT month,
       sum(mrr) AS mrr,
       count(*) FILTER (WHERE mrr > 0) AS customers,
       sum(mrr) FILTER (WHERE prev <= 0 AND mrr > 0 AND month = first) AS new,
       sum(mrr - prev) FILTER (WHERE prev > 0 AND mrr > prev) AS expansion,
       sum(mrr) FILTER (WHERE prev <= 0 AND mrr > 0 AND month > first) AS reactivation,
       sum(prev - mrr) FILTER (WHERE prev > 0 AND mrr > 0 AND mrr < prev) AS contraction,
       sum(prev) FILTER (WHERE prev > 0 AND mrr <= 0) AS churned,
       sum(mrr) - sum(prev) AS "net new mrr",
       count(*) FILTER (WHERE prev > 0 AND mrr <= 0) AS "churned customers",
       sum(prev) AS "previous mrr",
       sum(invoices) AS invoices,
       count(*) FILTER (WHERE bill_days > 1) AS "summed months"
FROM moves GROUP BY month HAVING month >= ? AND month <= ? ORDER BY month
"""
