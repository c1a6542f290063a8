"""clv: customer lifetime value, historical and predictive.

Historical: each customer's revenue to date (net of returns; and margin where cost exists), and the
textbook formula average purchase value x purchase frequency per year x average lifespan computed
from the data, step by step ($100 x 5 a year x 3 years = $1,500).

Predictive: BG/NBD for how many purchases a customer will make and whether they are still active,
Gamma-Gamma for how much they will spend per purchase (``_btyd``; the formulas of the Lifetimes
package), giving per customer the expected purchases over a horizon, the probability of being
alive, the expected spend per purchase and the CLV discounted at a monthly rate. The RFM summary
(frequency = repeat purchase periods, recency and age T in the time unit, monetary = mean value of
the repeat periods) is computed in DuckDB per day (or week or month), like Lifetimes'
summary_data_from_transaction_data; identical (frequency, recency, T) rows are collapsed in SQL so
the fit runs over a few thousand weighted rows. "How good is the model?" splits at a calibration
date and compares predicted with actual purchases in the holdout.

When the model cannot be fitted honestly (too few repeat buyers, spend strongly correlated with
frequency, a fit that does not converge) the answer says why and gives the historical CLV.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from custlens import hookimpl
from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.errors import DataError, ParamsError
from custlens import slots as slotlib
from custlens import kit
from custlens.kit import per_customer
from custlens.templates import pct, render

#: fewer repeat buyers than this and the BG/NBD and Gamma-Gamma fits say little
MIN_REPEAT_BUYERS = 20
#: |correlation| between repeat purchases and mean spend above this breaks Gamma-Gamma's independence
MAX_SPEND_CORRELATION = 0.3
#: the at-risk list: customers in the top HIGH_VALUE_SHARE by revenue whose P(alive) is below AT_RISK_ALIVE
HIGH_VALUE_SHARE, AT_RISK_ALIVE = 0.2, 0.5
#: validation groups customers by calibration repeat purchases 0..VALIDATION_GROUPS-1 and "N+"
VALIDATION_GROUPS = 7
#: below this average lifespan the historical formula's purchases a year is not shown
MIN_LIFESPAN_YEARS = 30 / 365.25
DAYS_PER_YEAR = 365.25



def fit_table(bg, gg, rows_fitted: int, corr: float) -> pd.DataFrame:
    """The fitted models' parameters, log-likelihoods and sizes: one table (model, parameter, value),
    the same whether the customers were scored here or in the engine (plugins/_clv_engine.py)."""
    table = pd.DataFrame(
        [("BG/NBD", k, v) for k, v in bg.params.items()] + [("BG/NBD", "log-likelihood", bg.log_likelihood),
                                                             ("BG/NBD", "customers", bg.customers),
                                                             ("BG/NBD", "distinct rows fitted", rows_fitted)]
        + [("Gamma-Gamma", k, v) for k, v in gg.params.items()]
        + [("Gamma-Gamma", "log-likelihood", gg.log_likelihood), ("Gamma-Gamma", "customers", gg.customers),
           ("Gamma-Gamma", "spend-frequency correlation", corr)],
        columns=["model", "parameter", "value"])
    table["value"] = table["value"].astype(float)
    return table

def headline_table(customers: int, repeat: int, hist: dict, model: dict | None, params) -> pd.DataFrame:
    """CLV's headline figures, the same whether customers were scored here or in the engine."""
    rows = [("customers", customers), ("repeat buyers", repeat), ("historical CLV (net revenue per customer)", hist["clv"])]
    if hist["margin_clv"] is not None:
        rows.append(("historical CLV on margin", hist["margin_clv"]))
    if model:
        rows += [("horizon (months)", params.horizon), ("monthly discount rate", params.discount_rate),
                 ("margin applied", model["margin"]), ("expected purchases", model["purchases"]),
                 ("total predicted CLV", model["total"]), ("average predicted CLV", model["average"]),
                 ("median predicted CLV", model["median"]), ("average probability alive", model["alive"])]
    out = pd.DataFrame(rows, columns=["measure", "value"])
    out["value"] = out["value"].astype(float).round(6)
    return out


class ClvParams(ScopedParams):
    horizon: int = Field(12, ge=1, le=120, description="months ahead to value")
    grain: Literal["day", "week", "month"] = Field("day", description="the model's time unit")
    discount_rate: float = Field(0.01, ge=0, lt=1, description="monthly discount rate")
    margin: float | None = Field(None, gt=0, le=1, description="profit margin applied to predicted spend; "
                                 "default: the margin in the cost data, or 1 (revenue) without cost")
    calibration_end: dt.date | None = Field(None, description="validate: fit up to this date, compare after it")
    validate_model: bool = Field(False, description="check predictions against a holdout period")
    top: int = Field(10, ge=1, le=10_000)
    share: float | None = Field(None, gt=0, lt=1, description="a share of customers (0.1: \"the top 10% of "
                                "customers by CLV\"): how many they are and the share of the value they hold")
    customer: str | None = Field(None, description="one customer's CLV (\"clv for customer C000777\")")
    by: list[str] = Field(default_factory=list, description="CLV by segment or any customer attribute")
    end: dt.date | None = Field(None, description="the observation end (default: the last purchase)")
    focus: Literal["value", "at_risk"] = Field(
        "value", description="at_risk: lead with the valuable customers who may have stopped buying (probability "
        "alive below 50%), \"which of those are about to lapse\"")

    @field_validator("horizon", mode="before")
    @classmethod
    def _months(cls, value):
        """"12 months", "2 years", "two years" (from the question's phrases) in months."""
        return slotlib.months(value)


#: said of customers who may stop buying: "about to lapse", "about to go", "still active" (churn's own words,
#: "churn", "at risk", "inactive", "gone quiet", stay churn's questions)
LAPSING = (r"\b(?:about\s+to\s+(?:lapse|leave|go|stop|drop\s+off|lose)|(?:might|may|could|will)\s+(?:we\s+)?lose|"
           r"next\s+to\s+(?:go|leave|lapse)|lapsing|lapse[ds]?|(?:likely|going)\s+to\s+(?:leave|"
           r"lapse|stop|come\s+back|buy\s+again)|still\s+(?:active|alive|around|buying)|slipping(?:\s+away)?|"
           r"drifting\s+(?:away|off)|stopped\s+buying|(?:may|might|could)\s+(?:leave|stop|lapse)|alive)\b")


class Clv(Analysis):
    name = "clv"
    whole_history = True  # a comparison in force is not carried into it (Analysis.whole_history)
    title = "Customer lifetime value"
    summary = "Historical and predicted customer lifetime value (BG/NBD + Gamma-Gamma), who is still active."
    examples = [
        "what is the lifetime value of our customers?",
        "customer lifetime value",
        "predict CLV for the next 12 months",
        "which customers will be worth the most next year",
        "top 10 customers by CLV",
        "CLV by segment",
        "what's the average customer lifetime value",
        "how many purchases will each customer make in the next 6 months",
        "probability that a customer is still alive",
        "which valuable customers are we about to lose",
        "historical CLV with average purchase value, frequency and lifespan",
        "how good is the lifetime value model",
        "fit a BG/NBD and gamma-gamma model",
        "expected future spend per customer",
        "how much is a customer worth over their lifetime",
        "discounted customer value at 1% a month",
        "LTV of our customers by country",
        "high value customers at risk of dropping out",
        "how much will each customer spend over the next year",
        "future spend forecast per customer",
        "valuable customers who may leave soon and what they are worth",
    ]
    Params = ClvParams
    per_customer = "customers"  # "... for each customer": this table first (Session._per_customer)
    #: what CLV tells of the customers it listed: who is about to lapse or still active (probability alive)
    about_its_rows = LAPSING
    phrases = {"focus": {LAPSING: "at_risk"},
               "horizon": {r"\b(?:next|over|coming|following|within)\s+(?:the\s+)?(?:next\s+)?"
                           r"(" + slotlib.DURATION + r")\b": r"\1",
                           # "two years out", "18 months ahead", "a year from now"
                           r"\b(" + slotlib.DURATION + r")\s+(?:out|ahead|forward|from now|into the future)\b": r"\1",
                           # "12 months horizon", "3 years ltv forecast", "predicted 12 months clv"
                           r"\b(" + slotlib.DURATION + r")\s+(?:horizon|(?:ltv|clv|lifetime value)?\s*"
                           r"(?:forecast|prediction|projection)|(?:predicted\s+)?(?:ltv|clv))\b": r"\1",
                           r"\bhorizon\s+of\s+(" + slotlib.DURATION + r")\b": r"\1",
                           # "predicted clv 12 months", "clv forecast accounts 12 mo" (not "clv of the last 12 months")
                           r"\b(?:clv|ltv|forecast|prediction|predicted)\b[^.?!]{0,20}?(?<!last )(?<!past )(?<!previous )"
                           r"(?<!prior )\b(" + slotlib.DURATION + r")\b(?!\s+(?:ago|back|before)\b)": r"\1",
                           # "horizon=24", "horizon 24m", "nxt 12 mo", "predicted 12m": months in short
                           r"\b(?:horizon|next|nxt|over|coming|following|within|predicted|forecast|projected)\s*(?:=|:|of|is)?"
                           r"\s*(?:the\s+)?(?:next\s+)?(\d{1,3})\s*(?:m|mo|mos|mths?|months?)?\b"
                           r"(?![\s-]*(?:y|yrs?|years?|w|wks?|weeks?|d|days?|%|customers?)\b)": r"\1 months",
                           # "predicted 2-year lifetime value", "a three-year CLV"
                           r"\b(\d{1,2}|two|three|four|five)[- ](?:year|yr)s?\b(?=[\w\s-]{0,25}?\b(?:clv|ltv|lifetime|value|"
                           r"forecast|prediction|horizon|worth))": r"\1 years",
                           # "which clients will buy more in 2 years", "prognose of the customer value for 2 years"
                           r"\b(?:predict\w*|forecast\w*|prognos\w*|will|value|worth|ltv|clv)\b[^.?!]{0,40}?\b(?:for|in|over)\s+"
                           r"(?:the\s+)?(?:next\s+)?(" + slotlib.DURATION + r")\b": r"\1",
                           r"\bnext year\b": 12},
               "validate_model": {r"\bhow (?:good|accurate|reliable|well)\b.*\b(?:model|predict\w*)|\bvalidat\w*|"
                                  r"\bback-?test\w*|\bhold-?out\b": True}}
    requires = {"transactions": ["customer_id", "order_date", "amount"]}

    def run(self, dataset, params: ClvParams) -> Answer:
        warnings: list[str] = []
        where, args, first, last = self._scope(dataset, params, warnings)
        if params.end is None and params.filters:
            # a segment or filter narrows whose purchases count, not when the data ends: a customer's
            # age and recency run to the data's last day ("At risk" customers last bought long before)
            last = max(last, dataset.scalar("SELECT CAST(max(order_date) AS DATE) FROM transactions "
                                            "WHERE order_date < CAST(? AS DATE) + INTERVAL 1 DAY",
                                            [dt.date.today()]))
        obs_end = params.end or last
        if dataset.remote:  # every customer's summary and scores stay in the engine (_clv_engine.py)
            from custlens.plugins._clv_engine import InEngine

            view = InEngine(self, dataset, where, args, params, obs_end, warnings)
        else:
            view = InMemory(self, dataset, where, args, params, obs_end, warnings)
        hist, model, reasons = view.hist, view.model, view.reasons
        value = "clv" if model else "net_revenue"
        what = f"predicted {params.horizon}-month CLV" if model else "revenue to date (historical CLV)"
        tables = [Table.from_frame("headline", view.headline(), "Headline figures"),
                  Table.from_frame("historical", hist["table"], "Historical CLV, step by step")]
        tables.append(view.customers_table(value, f"Top {min(params.top, view.n)} customers by {what}"))
        charts = [Chart(kind="bar", title=f"Customers by {what}", table="distribution", x="range", y=["customers"])]
        tables.append(Table.from_frame("distribution", view.distribution(value), f"Distribution of {what}"))
        at_risk = None
        if model:
            tables.append(Table.from_frame("model", model["table"], "Fitted BG/NBD and Gamma-Gamma parameters"))
            at_risk = view.at_risk()
            tables.append(at_risk["table"])
        groups = []
        if "period" in params.by:
            warnings.append("CLV is per customer over a horizon, not per period: 'by period' is ignored (see cohorts "
                            "for value by acquisition period)")
        for dim in [d for d in params.by if d not in ("customer", "period")]:  # per customer is the default view
            table = view.by(dim, value)
            tables.append(table)
            charts.append(Chart(kind="bar", title=table.title, table=table.name, x=dim, y=[f"average {value}"]))
            groups.append(group_facts(table, dim, f"average {value}"))
        validation = None
        if params.validate_model or params.calibration_end:
            validation = self._validate(dataset, where, args, params, first, obs_end, warnings)
            tables += validation["tables"]
            charts.append(Chart(kind="bar", title="Holdout purchases per customer: actual and predicted",
                                table="holdout", x="calibration purchases", y=["actual", "predicted"]))
        asked = view.asked(value, what)
        if asked:
            tables.insert(1, asked[0])
        summary = render("clv.md.j2", hist=hist, model=model, reasons=reasons, params=params, obs_end=obs_end,
                         top=view.top(value),
                         at_risk=None if at_risk is None else {"n": at_risk["n"], "value": at_risk["value"],
                                                               "share": HIGH_VALUE_SHARE, "alive": AT_RISK_ALIVE},
                         groups=groups, validation=validation and validation["facts"])
        active = None
        if dataset.definitions.inactive_days:  # the company's "active": a purchase in the last N days
            days = dataset.definitions.inactive_days
            n_active = view.active(days)
            active = {"days": days, "n": n_active, "share": n_active / view.n}
            tables[0] = Table.from_frame("headline", pd.concat([tables[0].frame, pd.DataFrame(
                [(f"active customers (a purchase in the last {days} days)", float(active["n"])),
                 ("share active", round(active["share"], 6))], columns=["measure", "value"])], ignore_index=True),
                "Headline figures")
            summary += (f"\n\nBy the company's definition, {active['n']:,} customers ({pct(active['share'])}) are "
                        f"active: they bought in the last {days} days to {obs_end}.")
        if asked:
            summary = asked[1] + "\n\n" + summary
        if params.focus == "at_risk" and at_risk is not None:  # "which of those are about to lapse": them first
            at = next(i for i, t in enumerate(tables) if t.name == "at_risk")
            table = tables.pop(at)
            tables.insert(1, table)
            summary = self._lapsing(at_risk, table) + "\n\n" + summary
        elif params.focus == "at_risk":
            warnings.append("who is about to lapse needs the fitted model (probability alive), which did not fit here: "
                            "the customers are shown by revenue to date")
        if model:
            summary += f"\n\n{kit.ACTIVE_DEFINITIONS['clv'][0].upper()}{kit.ACTIVE_DEFINITIONS['clv'][1:]}."
        summary = kit.with_definitions(summary, dataset, "inactive_days", "currency",
                                       *(["margin"] if model and model["margin_from"] == "definitions" else []))
        follow = ["top 10 customers by CLV", "CLV by segment", "how good is the lifetime value model"]
        method = ("BG/NBD + Gamma-Gamma maximum likelihood (Lifetimes' formulas) over the per-"
                  f"{params.grain} RFM summary computed in SQL" if model else "historical revenue per customer")
        method += view.method_note
        return Answer(analysis=self.name, title=self.title, summary=summary, tables=tables, charts=charts,
                      warnings=warnings, follow_ups=follow,
                      provenance=Provenance(method=method, rows_used=view.rows_used))

    @staticmethod
    def _asked(frame: pd.DataFrame, value: str, what: str, params: ClvParams) -> tuple[Table, str] | None:
        """The table and sentence for what the question asked beyond the overall view: one customer
        (their value and rank) or the top share of customers (how many, the value they hold and its
        share of the total). ``frame`` is sorted by ``value``, highest first."""
        shown = [c for c in CUSTOMER_COLUMNS if c in frame.columns]
        if params.customer:
            hit = frame.index[frame["customer_id"].astype(str) == str(params.customer)]
            if not len(hit):
                raise ParamsError(f"customer {params.customer} has no purchases in the data (or in the period and "
                                  f"filters asked): no CLV for them. Check the id (\"customer C000123\").")
            rank = int(hit[0]) + 1
            row = frame.iloc[[hit[0]]]
            text = (f"Customer {params.customer}: {what} {float(row[value].iloc[0]):,.2f}, number {rank:,} of "
                    f"{len(frame):,} customers.")
            return Table.from_frame("customer", row[shown], f"Customer {params.customer}"), text
        if params.share:
            n = max(1, math.ceil(params.share * len(frame) - 1e-9))
            total = float(frame[value].sum())
            held = float(frame[value].head(n).sum())
            part = f" ({pct(held / total)} of the total {total:,.2f})" if total > 0 else ""
            text = (f"The top {params.share * 100:g}% of customers by {what} are {n:,} of {len(frame):,}; "
                    f"together {held:,.2f}{part}.")
            return Table.from_frame("top_share", frame[shown].head(n), f"The top {params.share * 100:g}% of customers "
                                    f"by {what}", max_rows=n), text
        return None

    # ---------------------------------------------------------------------------------- the data
    @staticmethod
    def _scope(dataset, params: ClvParams, warnings: list[str]) -> tuple[str, list, dt.date, dt.date]:
        """The WHERE clause over transactions, with purchases dated after today left out (and
        said), and the first and last purchase dates it keeps; one scan, after counting the lines
        without a customer id apart: as a WHERE, that count comes from the file's statistics or
        dictionary, and the scan then reads no ids when there are none (0.85 s -> 0.47 s for
        both on 11.6M Parquet lines)."""
        where, args = dataset.scope(params.filters, params.start, params.end)
        today = dt.date.today()
        anonymous = dataset.scalar(f"SELECT count(*) FROM transactions t WHERE {where} AND t.customer_id IS NULL",
                                   args)
        kept = ("t.customer_id IS NOT NULL AND " if anonymous else "") + \
            "t.order_date < CAST($today AS DATE) + INTERVAL 1 DAY"
        row = dataset.query(*kit.named(f"""
            SELECT count(*) FILTER (WHERE t.order_date >= CAST($today AS DATE) + INTERVAL 1 DAY) AS future,
                   count(*) FILTER (WHERE t.amount = 0) AS zero, count(*) FILTER (WHERE t.amount IS NULL) AS missing,
                   CAST(min(t.order_date) FILTER (WHERE {kept}) AS DATE) AS first,
                   CAST(max(t.order_date) FILTER (WHERE {kept}) AS DATE) AS last
            FROM transactions t WHERE $scope""", {"today": today, "scope": kit.Scope(where, args)})).iloc[0]
        if pd.isna(row["last"]):
            raise DataError("no purchases with a customer id match the period and filters; CLV needs each "
                            "customer's purchases. Widen the period or the filters, or map --map customer_id=COLUMN.")
        if row["future"]:
            warnings.append(f"{int(row['future']):,} purchase line(s) are dated after today ({today}): left out, "
                            "a purchase cannot have happened yet. Check the date column.")
            where += " AND t.order_date < CAST(? AS DATE) + INTERVAL 1 DAY"
            args = [*args, today]
        if row["zero"]:
            warnings.append(f"{int(row['zero']):,} purchase line(s) have a zero amount: counted as purchases "
                            "worth nothing (free items lower a customer's average spend).")
        if row["missing"]:
            warnings.append(f"{int(row['missing']):,} purchase line(s) have no amount: counted as purchases, "
                            "left out of spend.")
        if anonymous:
            warnings.append(f"{int(anonymous):,} purchase line(s) have no customer id: left out of CLV.")
        return where, args, row["first"].date(), row["last"].date()

    @staticmethod
    def _customers(dataset, where: str, args: list, unit: str, obs_end, warnings: list[str]) -> pd.DataFrame:
        """One row per customer, in one pass over the purchases grouped per customer and day:
        history to date (purchases = days with a purchase, revenue, returns, cost) and the RFM
        summary in ``unit`` (frequency, recency, T, monetary). (Distinct order ids would need a
        count(DISTINCT) per customer: several times slower at a million customers.) In days, the
        days are the periods, so one group-by of the days gives both the history and the summary
        (a second group-by of 8.6M customer-days cost ~2.5 s at a million customers)."""
        frame = dataset.query(Clv._customers_sql(dataset, where, unit) + " ORDER BY h.customer_id",
                              [*args, *args, obs_end])
        returns = int(frame.pop("return_lines").sum())
        if returns:
            warnings.append(f"{returns:,} return line(s) worth {frame['returned'].sum():,.2f} are subtracted from "
                            "historical revenue; the predictive model counts purchases only (as Lifetimes does).")
        return frame

    @staticmethod
    def _customers_sql(dataset, where: str, unit: str) -> str:
        """``_customers``' SQL: one row per customer (bind the scope's parameters twice, then the
        observation end); its rows in no particular order."""
        history = ("count(*) AS purchases, min(first_ts) AS first_order, max(last_ts) AS last_order, "
                   "sum(v) AS revenue, sum(c) AS cost")
        if unit == "day":
            days = "SELECT customer_id, d AS p, v, first_ts, last_ts, c FROM days"
            summary = f"summary AS ({rfm_sql(days, unit, ', ' + history)})"
        else:
            periods = f"SELECT customer_id, {period_sql(unit, 'd')} AS p, sum(v) AS v FROM days GROUP BY 1, 2"
            summary = (f"hist AS (SELECT customer_id, {history} FROM days GROUP BY 1), "
                       f"rfm AS ({rfm_sql(periods, unit)}), "
                       "summary AS (SELECT * FROM hist JOIN rfm USING (customer_id))")
        if " ".join(where.split()) == "true":  # every purchase: the shared per-day table (churn reads it too)
            days = (f"SELECT customer_id, d, first_ts, last_ts, coalesce(revenue, 0) AS v, cost AS c "
                    f"FROM {dataset.per_customer_day_table()}")
        else:
            days = (f"SELECT t.customer_id, CAST(t.order_date AS DATE) AS d, min(t.order_date) AS first_ts, "
                    f"max(t.order_date) AS last_ts, coalesce(sum(t.amount), 0) AS v, sum(t.cost) AS c "
                    f"FROM transactions t WHERE t.customer_id IS NOT NULL AND {where} GROUP BY 1, 2")
        return f"""
            WITH days AS ({days}),
                 ret AS (SELECT t.customer_id, count(*) AS lines, -sum(t.amount) AS returned,
                                -sum(t.cost) AS returned_cost
                         FROM returns t WHERE t.customer_id IS NOT NULL AND {where} GROUP BY 1),
                 {summary}
            SELECT h.customer_id, h.purchases, h.first_order, h.last_order, h.revenue,
                   coalesce(r.returned, 0) AS returned, h.revenue - coalesce(r.returned, 0) AS net_revenue,
                   h.cost - coalesce(r.returned_cost, 0) AS cost, coalesce(r.lines, 0) AS return_lines,
                   h.frequency, h.recency, h.T, h.monetary
            FROM summary h LEFT JOIN ret r USING (customer_id)"""

    # ---------------------------------------------------------------------------- historical CLV
    @staticmethod
    def _historical(frame: pd.DataFrame, has_cost: bool) -> dict:
        """The seed's formula from the data: average purchase value (net revenue per purchase) x
        purchases per year (purchases per customer / average lifespan) x average lifespan (years
        from first to last purchase, averaged over customers). The product equals net revenue per
        customer; the steps show where it comes from."""
        customers, purchases = len(frame), int(frame["purchases"].sum())
        revenue = float(frame["net_revenue"].sum())
        span = (frame["last_order"] - frame["first_order"]).dt.total_seconds() / 86400 / DAYS_PER_YEAR
        margin = revenue - float(frame["cost"].fillna(0).sum()) if has_cost else None
        return Clv._historical_from(customers, purchases, revenue, float(span.mean()), margin)

    @staticmethod
    def _historical_from(customers: int, purchases: int, revenue: float, lifespan: float,
                         margin: float | None) -> dict:
        """``_historical`` from its sums: customers, purchases, net revenue, the mean lifespan in
        years and the margin (net revenue - cost; None without cost)."""
        apv = revenue / purchases
        # a lifespan under a month (customers who bought once, or twice days apart: the "At risk" of a
        # short history) makes purchases a year meaningless (75 a year x 0.02 years): not shown
        per_year = purchases / customers / lifespan if lifespan >= MIN_LIFESPAN_YEARS else None
        why_not = ("undefined: no customer bought twice, so no lifespan can be measured" if lifespan <= 0 else
                   f"not shown: the average lifespan ({lifespan * DAYS_PER_YEAR:,.0f} days) is under a month, too "
                   "short to count purchases a year")
        clv = apv * per_year * lifespan if per_year is not None else revenue / customers
        rows = [("customers", customers, "customers with a purchase"),
                ("average purchase value", apv, f"{revenue:,.2f} net revenue / {purchases:,} purchases (days "
                                                                   "with a purchase)"),
                ("purchase frequency per year", per_year,
                 f"{purchases / customers:,.4f} purchases per customer / {lifespan:,.4f} years" if per_year is not None
                 else why_not),
                ("average lifespan (years)", lifespan, "mean time from a customer's first to last purchase"),
                ("historical CLV", clv, f"{apv:,.2f} x {per_year:,.4f} x {lifespan:,.4f}" if per_year is not None
                 else "net revenue per customer")]
        out = {"customers": customers, "apv": apv, "per_year": per_year, "lifespan": lifespan, "clv": clv,
               "margin_clv": None,
               "why_not": None if per_year is not None else
               "no customer bought twice, so purchase frequency and lifespan cannot be measured" if lifespan <= 0
               else f"their average lifespan ({lifespan * DAYS_PER_YEAR:,.0f} days) is under a month, too short to "
                    "count purchases a year"}
        if margin is not None:
            out["margin_apv"] = margin / purchases
            out["margin_clv"] = out["margin_apv"] * per_year * lifespan if per_year is not None else margin / customers
            rows += [("average margin per purchase", out["margin_apv"], f"{margin:,.2f} margin (net revenue - cost) / "
                                                                        f"{purchases:,} purchases"),
                     ("historical CLV on margin", out["margin_clv"], "average margin per purchase x frequency "
                                                                     "per year x lifespan")]
        out["table"] = pd.DataFrame(rows, columns=["step", "value", "how"])
        out["table"]["value"] = out["table"]["value"].astype(float).round(6)
        return out

    # ---------------------------------------------------------------------------- predictive CLV
    def _predict(self, frame: pd.DataFrame, params: ClvParams, has_cost: bool,
                 warnings: list[str], defined_margin: float | None = None,
                 dataset=None) -> tuple[dict | None, list[str]]:
        """Fit both models and score every customer (adds columns to ``frame``); or the reasons
        the model cannot be trusted, and None."""
        from custlens.plugins import _btyd  # scipy: imported when a model is fitted, not at start-up

        repeat = frame["frequency"] > 0
        reasons = []
        if repeat.sum() < MIN_REPEAT_BUYERS:
            reasons.append(f"only {int(repeat.sum())} customer(s) bought on more than one {params.grain}; the models "
                           f"need at least {MIN_REPEAT_BUYERS} repeat buyers to learn how often people buy again")
            return None, reasons
        # identical (frequency, recency, T) rows collapse to one weighted row: ~30x fewer at a million
        # customers a day; a window function numbering them in SQL took longer than the whole fit
        (x, t_x, T), weights, idx = _btyd.collapse(frame["frequency"], frame["recency"], frame["T"])
        # fitted once per input (a follow-up "CLV by country" reuses them)
        bg = kit.fitted(dataset, "bgnbd", (x, t_x, T, weights), lambda _: _btyd.fit_bgnbd(x, t_x, T, weights))
        if not bg.converged:
            reasons.append(fit_failed("BG/NBD", bg, params.grain))
        spenders = frame[repeat & (frame["monetary"] > 0)]
        dropped = int(repeat.sum()) - len(spenders)
        if dropped:
            warnings.append(f"{dropped:,} repeat buyer(s) whose repeat purchases are worth zero or less are left out of "
                            "the spend (Gamma-Gamma) fit; their expected spend is the population's, shrunk to it.")
        corr = float(np.corrcoef(spenders["frequency"], spenders["monetary"])[0, 1]) if len(spenders) > 2 else 0.0
        if abs(corr) > MAX_SPEND_CORRELATION:
            reasons.append(f"how much customers spend per purchase is correlated with how often they buy "
                           f"(r = {corr:.2f}); the Gamma-Gamma spend model assumes they are independent")
        gg = kit.fitted(dataset, "gamma-gamma", (spenders["frequency"], spenders["monetary"]),
                        lambda _: _btyd.fit_gamma_gamma(spenders["frequency"], spenders["monetary"])) \
            if len(spenders) >= MIN_REPEAT_BUYERS else None
        if gg is None:
            reasons.append(f"only {len(spenders)} repeat buyer(s) with a positive spend to fit the spend model")
        elif not gg.converged or gg.params["q"] <= 1:
            reasons.append("the Gamma-Gamma spend fit did not give a finite average spend (q <= 1)"
                           if gg.converged else fit_failed("Gamma-Gamma", gg, params.grain))
        if reasons:
            return None, reasons
        margin, margin_note = self._margin(frame, params, has_cost, defined_margin)
        if margin_note:
            warnings.append(margin_note)
        horizon = params.horizon * _btyd.PERIODS_PER_MONTH[params.grain]
        frame["expected_purchases"] = _btyd.expected_purchases(bg.params, horizon, x, t_x, T)[idx]
        frame["p_alive"] = _btyd.probability_alive(bg.params, x, t_x, T)[idx]
        frame["expected_spend"] = _btyd.expected_average_spend(gg.params, frame["frequency"], frame["monetary"])
        # the purchase model is scored once per distinct (x, t_x, T) row, spend per customer
        purchases = _btyd.discounted_clv(bg.params, x, t_x, T, 1.0, params.horizon, params.grain, params.discount_rate)
        frame["clv"] = purchases[idx] * frame["expected_spend"].to_numpy() * margin
        table = fit_table(bg, gg, len(x), corr)
        return {"bg": bg, "gg": gg, "table": table, "margin": margin, "corr": corr,
                "margin_from": "definitions" if margin_note == DEFINED_MARGIN else None,
                "total": float(frame["clv"].sum()), "average": float(frame["clv"].mean()),
                "median": float(frame["clv"].median()), "alive": float(frame["p_alive"].mean()),
                "purchases": float(frame["expected_purchases"].sum())}, []

    @staticmethod
    def _margin(frame: pd.DataFrame, params: ClvParams, has_cost: bool,
                defined: float | None = None) -> tuple[float, str | None]:
        """The share of predicted spend that is value: the parameter, else the cost data's margin,
        else the company's default margin (custlens.toml [definitions] margin)."""
        costed = (float(frame.loc[frame["cost"].notna(), "net_revenue"].sum()), float(frame["cost"].sum())) \
            if has_cost and params.margin is None else None
        return Clv._margin_from(params, costed, defined)

    @staticmethod
    def _margin_from(params: ClvParams, costed: tuple[float, float] | None,
                     defined: float | None = None) -> tuple[float, str | None]:
        """``_margin`` from the net revenue of the customers with a cost and their cost (``costed``;
        None without cost)."""
        if params.margin is not None:
            return params.margin, None
        if costed is None:
            return (defined, DEFINED_MARGIN) if defined else (1.0, None)
        revenue, cost = costed
        margin = (revenue - cost) / revenue if revenue > 0 else 0.0
        if margin <= 0:
            return 1.0, ("the cost data shows no positive margin overall: CLV is on revenue; give --param "
                         "margin=0.3 to value it on a margin")
        return margin, (f"CLV is on margin: predicted spend x {pct(margin)}, the margin in the cost data "
                        "(give --param margin=... to use another, margin=1 for revenue)")

    # ---------------------------------------------------------------------------------- views
    @staticmethod
    def _headline(frame: pd.DataFrame, hist: dict, model: dict | None, params: ClvParams) -> pd.DataFrame:
        return headline_table(len(frame), int((frame["frequency"] > 0).sum()), hist, model, params)

    @staticmethod
    def _distribution(values: pd.Series, bins: int = 10) -> pd.DataFrame:
        """Customers per value band: equal-width bands up to the 99th percentile, then one open band."""
        cap = float(values.quantile(0.99))
        lo = min(float(values.min()), 0.0)
        if cap <= lo:
            cap = float(values.max()) if values.max() > lo else lo + 1
        edges = np.linspace(lo, cap, bins + 1)
        counts = np.histogram(values.clip(upper=cap), bins=edges)[0]
        over = int((values > cap).sum())
        counts[-1] -= over
        labels = [f"{a:,.0f}-{b:,.0f}" for a, b in zip(edges[:-1], edges[1:])]
        frame = pd.DataFrame({"range": labels, "from": edges[:-1].round(2), "to": edges[1:].round(2),
                              "customers": counts})
        if over:
            frame.loc[len(frame)] = [f"over {cap:,.0f}", round(cap, 2), float(values.max()), over]
        return frame

    @staticmethod
    def _lapsing(at_risk: dict, table: Table) -> str:
        """The lead of an answer about who is about to lapse: how many valuable customers, what they
        brought, the first few with their probability alive."""
        if not at_risk["n"]:
            return (f"**No customer** of the top {pct(HIGH_VALUE_SHARE, 0)} by revenue has less than a "
                    f"{pct(AT_RISK_ALIVE, 0)} chance of still being active (the model's probability alive).")
        first = ", ".join(f"{r[0]} ({pct(r[4], 0)} alive, {r[1]:,.2f} to date)" for r in table.rows[:3])
        return (f"**{at_risk['n']:,} high-value customers** (the top {pct(HIGH_VALUE_SHARE, 0)} by revenue) are about to "
                f"lapse: each has less than a {pct(AT_RISK_ALIVE, 0)} chance of still being active (probability alive, "
                f"BG/NBD), and they brought {at_risk['value']:,.2f} to date. Most valuable first: {first}.")

    @staticmethod
    def _at_risk(frame: pd.DataFrame) -> pd.DataFrame:
        """Customers in the top HIGH_VALUE_SHARE by net revenue whose P(alive) is below AT_RISK_ALIVE."""
        cut = frame["net_revenue"].quantile(1 - HIGH_VALUE_SHARE)
        risky = frame[(frame["net_revenue"] >= cut) & (frame["p_alive"] < AT_RISK_ALIVE)]
        cols = ["customer_id", "net_revenue", "purchases", "last_order", "p_alive", "clv"]
        return risky.sort_values(["net_revenue", "customer_id"], ascending=[False, True])[cols].reset_index(drop=True)

    @staticmethod
    def _by(dataset, frame: pd.DataFrame, dim: str, value: str, where: str, args: list) -> Table:
        """CLV per saved segment, customer attribute, or (most frequent per customer) sales column."""
        labels = dataset.query(*per_customer(dataset, dim, where, args, doing="show CLV"))
        merged = frame[["customer_id", value] + (["p_alive"] if "p_alive" in frame else [])].merge(
            labels.rename(columns={labels.columns[1]: dim}), on="customer_id", how="left")
        merged[dim] = merged[dim].fillna("(none)").astype(str)
        agg = {"customers": ("customer_id", "size"), f"average {value}": (value, "mean"),
               f"total {value}": (value, "sum")}
        if "p_alive" in merged:
            agg["average p_alive"] = ("p_alive", "mean")
        out = merged.groupby(dim, as_index=False).agg(**agg)
        out.insert(2, "share of customers", out["customers"] / out["customers"].sum())
        out = out.sort_values([f"average {value}", dim], ascending=[False, True]).reset_index(drop=True).round(6)
        out["small sample"] = out["customers"] < kit.SMALL_SAMPLE
        return Table.from_frame(f"by_{dim}", out, f"{'Predicted CLV' if value == 'clv' else 'Revenue to date'} "
                                f"by {dim.replace('_', ' ')}")

    # ---------------------------------------------------------------------------------- validation
    def _validate(self, dataset, where: str, args: list, params: ClvParams, first, obs_end,
                  warnings: list[str]) -> dict:
        """Fit on purchases up to the calibration end, predict the holdout that follows, compare."""
        from custlens.plugins import _btyd  # scipy: imported when a model is fitted, not at start-up

        cal = params.calibration_end
        if cal is None:
            cal = first + (obs_end - first) * 2 // 3
            warnings.append(f"calibration end not given: the model is fitted on purchases to {cal} (two thirds of "
                            f"the data) and checked on {cal + dt.timedelta(days=1)} to {obs_end}")
        if not first <= cal < obs_end:
            raise ParamsError(f"calibration end {cal} is outside the data, which runs from {first} to {obs_end}: "
                              "pick a date in between (the holdout is what follows it).")
        unit = params.grain
        select = f"""
            WITH periods AS ({periods_sql(where + " AND t.order_date < CAST(? AS DATE) + INTERVAL 1 DAY", unit)}),
                 rfm AS ({rfm_sql("SELECT * FROM periods", unit)}),
                 hold AS (SELECT t.customer_id, count(DISTINCT {period_sql(unit)}) AS actual FROM transactions t
                          WHERE t.customer_id IS NOT NULL AND {where} AND t.order_date >= CAST(? AS DATE) + INTERVAL 1 DAY
                            AND t.order_date < CAST(? AS DATE) + INTERVAL 1 DAY GROUP BY 1)
            SELECT f.frequency, f.recency, f.T, coalesce(h.actual, 0) AS actual
            FROM rfm f LEFT JOIN hold h USING (customer_id)"""
        bound = [*args, cal, cal, *args, cal, obs_end]
        if dataset.remote:  # the customers stay in the engine: their distinct (frequency, recency, T) come back
            return self._validate_grouped(dataset, select, bound, cal, obs_end, unit)
        frame = dataset.query(select, bound)
        repeat = int((frame["frequency"] > 0).sum())
        if repeat < MIN_REPEAT_BUYERS:
            raise ParamsError(f"only {repeat} customer(s) bought more than once by the calibration end {cal}: too few "
                              "to fit the model. Pick a later calibration end.")
        grouped = frame.groupby(["frequency", "recency", "T"], as_index=False).agg(n=("actual", "size"))
        fit = _btyd.fit_bgnbd(grouped["frequency"], grouped["recency"], grouped["T"], grouped["n"])
        duration = self._duration(dataset, unit, cal, obs_end)
        frame["predicted"] = _btyd.expected_purchases(fit.params, duration, frame["frequency"], frame["recency"],
                                                      frame["T"])
        label = frame["frequency"].clip(upper=VALIDATION_GROUPS).map(
            lambda f: f"{VALIDATION_GROUPS}+" if f >= VALIDATION_GROUPS else str(int(f)))
        holdout = frame.groupby(label, sort=False).agg(customers=("actual", "size"), actual=("actual", "mean"),
                                                       predicted=("predicted", "mean"))
        order = [str(i) for i in range(VALIDATION_GROUPS)] + [f"{VALIDATION_GROUPS}+"]
        holdout = holdout.reindex([o for o in order if o in holdout.index]).rename_axis(
            "calibration purchases").reset_index().round(6)
        actual, predicted = float(frame["actual"].sum()), float(frame["predicted"].sum())
        return self._validation_tables(holdout, cal, obs_end, int(duration), unit, len(frame), actual, predicted)

    @staticmethod
    def _duration(dataset, unit: str, cal, obs_end) -> int:
        """Whole ``unit``s from the calibration end's period to the observation end's. The dates are
        written into the SQL: a translating engine may reorder a date difference's arguments, and
        with them the order its parameters bind in."""
        days = [f"CAST('{d.isoformat()}' AS DATE)" for d in (cal, obs_end)]
        return int(dataset.scalar(f"SELECT {diff_sql(unit, period_sql(unit, days[0]), period_sql(unit, days[1]))}"))

    def _validate_grouped(self, dataset, select: str, bound: list, cal, obs_end, unit: str) -> dict:
        """``_validate`` with the customers grouped in the engine by (frequency, recency, T): how many
        share each row and their actual holdout purchases; the same figures, fewer rows."""
        from custlens.plugins import _btyd

        grouped = dataset.query(f"SELECT frequency, recency, T, count(*) AS n, sum(actual) AS actual FROM ({select}) "
                                "AS f GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", bound)
        repeat = int(grouped.loc[grouped["frequency"] > 0, "n"].sum())
        if repeat < MIN_REPEAT_BUYERS:
            raise ParamsError(f"only {repeat} customer(s) bought more than once by the calibration end {cal}: too few "
                              "to fit the model. Pick a later calibration end.")
        fit = _btyd.fit_bgnbd(grouped["frequency"], grouped["recency"], grouped["T"], grouped["n"])
        duration = self._duration(dataset, unit, cal, obs_end)
        grouped["predicted"] = _btyd.expected_purchases(fit.params, duration, grouped["frequency"],
                                                        grouped["recency"], grouped["T"]) * grouped["n"]
        label = grouped["frequency"].clip(upper=VALIDATION_GROUPS).map(
            lambda f: f"{VALIDATION_GROUPS}+" if f >= VALIDATION_GROUPS else str(int(f)))
        sums = grouped.groupby(label, sort=False)[["n", "actual", "predicted"]].sum()
        holdout = pd.DataFrame({"customers": sums["n"], "actual": sums["actual"] / sums["n"],
                                "predicted": sums["predicted"] / sums["n"]})
        order = [str(i) for i in range(VALIDATION_GROUPS)] + [f"{VALIDATION_GROUPS}+"]
        holdout = holdout.reindex([o for o in order if o in holdout.index]).rename_axis(
            "calibration purchases").reset_index().round(6)
        return self._validation_tables(holdout, cal, obs_end, duration, unit, int(grouped["n"].sum()),
                                       float(grouped["actual"].sum()), float(grouped["predicted"].sum()))

    @staticmethod
    def _validation_tables(holdout, cal, obs_end, duration: int, unit: str, customers: int, actual: float,
                           predicted: float) -> dict:
        facts = {"calibration_end": cal, "obs_end": obs_end, "duration": int(duration), "unit": unit,
                 "customers": customers, "actual": actual, "predicted": predicted,
                 "error": (predicted - actual) / actual if actual else None}
        total = pd.DataFrame([("calibration end", str(cal)), ("holdout end", str(obs_end)),
                              (f"holdout length ({unit}s)", int(duration)), ("customers", customers),
                              ("actual holdout purchases", actual), ("predicted holdout purchases", round(predicted, 2)),
                              ("relative error", None if facts["error"] is None else round(facts["error"], 4))],
                             columns=["measure", "value"], dtype=object)
        return {"facts": facts, "tables": [
            Table.from_frame("holdout", holdout, "Holdout purchases per customer by calibration purchases"),
            Table.from_frame("holdout_total", total, "Predicted against actual holdout purchases")]}


class InMemory:
    """CLV's customers as one frame on this machine (the embedded DuckDB): what the answer shows is
    read from it. ``clv_engine.InEngine`` gives the same views with the customers kept in an engine."""

    method_note = ""

    def __init__(self, clv: "Clv", dataset, where: str, args: list, params: ClvParams, obs_end, warnings: list[str]):
        self.clv, self.dataset, self.where, self.args, self.params = clv, dataset, where, args, params
        self.obs_end = obs_end
        frame = clv._customers(dataset, where, args, params.grain, obs_end, warnings)
        has_cost = "cost" in dataset.columns("transactions") and frame["cost"].notna().any()
        if has_cost:
            frame["margin"] = frame["net_revenue"] - frame["cost"]
        self.hist = clv._historical(frame, has_cost)
        self.model, self.reasons = clv._predict(frame, params, has_cost, warnings, dataset.definitions.margin,
                                                dataset)
        value = "clv" if self.model else "net_revenue"
        # stable: ties stay in customer id order, as SQL returned them
        self.frame = frame.sort_values(value, ascending=False, kind="stable").reset_index(drop=True)
        self.n, self.rows_used = len(frame), int(frame["purchases"].sum())

    def headline(self) -> pd.DataFrame:
        return self.clv._headline(self.frame, self.hist, self.model, self.params)

    def customers_table(self, value: str, title: str) -> Table:
        shown = [c for c in CUSTOMER_COLUMNS if c in self.frame.columns]
        return Table.from_frame("customers", self.frame[shown], title, max_rows=self.params.top,
                                priority=["customer_id", "clv", "p_alive", "net_revenue", "purchases", "last_order",
                                          "expected_purchases"])

    def distribution(self, value: str) -> pd.DataFrame:
        return self.clv._distribution(self.frame[value])

    def at_risk(self) -> dict:
        frame = self.clv._at_risk(self.frame)
        return {"table": at_risk_table(frame, self.params.top), "n": len(frame),
                "value": float(frame["net_revenue"].sum())}

    def by(self, dim: str, value: str) -> Table:
        return self.clv._by(self.dataset, self.frame, dim, value, self.where, self.args)

    def asked(self, value: str, what: str):
        return self.clv._asked(self.frame, value, what, self.params)

    def top(self, value: str) -> dict:
        row = self.frame.iloc[0]
        return {"customer": str(row["customer_id"]), "value": float(row[value])}

    def active(self, days: int) -> int:
        recent = (pd.Timestamp(self.obs_end) - pd.to_datetime(self.frame["last_order"])).dt.days <= days
        return int(recent.sum())


def at_risk_table(frame: pd.DataFrame, top: int) -> Table:
    return Table.from_frame("at_risk", frame, "High-value customers who may have stopped buying", max_rows=top,
                            priority=["customer_id", "net_revenue", "p_alive", "last_order", "clv"])


#: the note for a margin taken from custlens.toml [definitions]
DEFINED_MARGIN = "CLV is on the company's default margin (custlens.toml [definitions]): the data has no cost"


def group_facts(table: Table, dim: str, column: str) -> dict:
    """The group a CLV breakdown's narrative names: the highest average among groups of at least
    ``kit.SMALL_SAMPLE`` customers; a smaller group that is higher still is named with its caveat."""
    rows = [dict(zip(table.columns, r)) for r in table.frame.astype(object).itertuples(index=False)]
    solid = [r for r in rows if not kit.small(r["customers"])]
    best = max(solid or rows, key=lambda r: r[column])
    top = max(rows, key=lambda r: r[column])
    out = {"dim": dim, "name": best[dim], "average": float(best[column]), "n": len(rows),
           "customers": int(best["customers"]), "small": kit.small(best["customers"]), "small_top": None}
    if top is not best and kit.small(top["customers"]):
        out["small_top"] = {"name": top[dim], "average": float(top[column]), "customers": int(top["customers"])}
    return out


#: the per-customer columns shown, in this order (those present)
CUSTOMER_COLUMNS = ["customer_id", "purchases", "first_order", "last_order", "net_revenue", "returned", "margin",
                    "frequency", "recency", "T", "monetary", "expected_purchases", "p_alive", "expected_spend", "clv"]


#: what each model estimates, in words
MODEL_WORDS = {"BG/NBD": "how often customers buy again and when they stop (the BG/NBD purchase model)",
               "Gamma-Gamma": "how much customers spend per purchase (the Gamma-Gamma spend model)"}


def fit_failed(model: str, fit, grain: str) -> str:
    """Why a fit is not used, for a person: what could not be estimated, what that means for the
    numbers and what to try. The optimiser's own message ("ABNORMAL: ") goes to the log only."""
    import logging

    logging.getLogger(__name__).debug("%s fit did not converge: %s", model, fit.message)
    coarser = {"day": "week", "week": "month"}.get(grain)
    tries = [f"a coarser time unit (--param grain={coarser})"] if coarser else []
    tries += ["a longer stretch of history", "leaving out a few extreme orders (a filter)"]
    return (f"the estimate of {MODEL_WORDS[model]} did not settle on stable values over {fit.customers:,} "
            f"customers, so nothing here is a forecast (to get predictions, try {', '.join(tries[:-1])} or "
            f"{tries[-1]})")


def period_sql(unit: str, column: str = "t.order_date") -> str:
    """The start of the day/week (Monday)/month a timestamp falls in, as a DATE."""
    return f"CAST(date_trunc('{unit}', CAST({column} AS TIMESTAMP)) AS DATE)"


def diff_sql(unit: str, start: str, end: str) -> str:
    """Whole units between two period starts (weeks are 7 days; months are calendar months)."""
    if unit == "month":
        return f"datediff('month', {start}, {end})"
    return f"datediff('day', {start}, {end})" + (" // 7" if unit == "week" else "")


def periods_sql(where: str, unit: str) -> str:
    """Purchases per customer and day/week/month: (customer_id, p = the period's start, v = value)."""
    return (f"SELECT t.customer_id, {period_sql(unit)} AS p, coalesce(sum(t.amount), 0) AS v FROM transactions t "
            f"WHERE t.customer_id IS NOT NULL AND {where} GROUP BY 1, 2")


def rfm_sql(periods: str, unit: str, extra: str = "") -> str:
    """Lifetimes' summary per customer from ``periods`` (SQL giving customer_id, p, v as
    ``periods_sql``): frequency = periods with a purchase after the first, recency = first to last
    period, T = first period to the observation end (the one parameter, bound after the
    parameters of ``periods``), monetary = mean value of the repeat periods (0 without any).
    ``extra`` adds aggregates over the same rows (", sum(c) AS cost")."""
    return f"""
        SELECT customer_id, CAST(count(*) - 1 AS INTEGER) AS frequency,
               CAST({diff_sql(unit, 'min(p)', 'max(p)')} AS INTEGER) AS recency,
               CAST({diff_sql(unit, 'min(p)', 'any_value(e)')} AS INTEGER) AS T,
               coalesce((sum(v) - arg_min(v, p)) / nullif(count(*) - 1, 0), 0) AS monetary{extra}
        FROM ({periods}), (SELECT {period_sql(unit, '?')} AS e)
        GROUP BY customer_id"""


@hookimpl
def register_analyses(register):
    register(Clv())
