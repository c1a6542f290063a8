"""cohort: acquisition cohorts followed over time. Customers are grouped by the period of their
first purchase (or of their signup, ``basis="signup"``, when a customers table has signup dates);
each cohort is followed through the later periods: the share of its customers who buy (retention),
its revenue and orders, and the cumulative revenue per customer. Periods are relative (period 0 is
the acquisition period) or absolute (calendar periods). Cohorts can be split by a customer
attribute, a saved segment, or the value of a sales column on the first order ("by acquisition
channel"), and filtered ("for B2B").

The cohort x period cells are one DuckDB query over the transactions view (customer-periods first,
then cohorts and a grid of every observable period, so a period where nobody bought is a 0, and a
period after the data ends is absent); pandas only pivots those rows into the matrix and picks the
facts the narrative states. The narrative finds the strongest change point among the cohorts at
one period (``at``, default 3): the split of the time-ordered cohorts into "before" and "since"
with the smallest customer-weighted squared error, and compares the two pooled values, then names
the best and worst cohorts."""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import Field, field_validator

from custlens import hookimpl
from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.dataset import qi
from custlens.errors import DataError
from custlens import kit
from custlens.templates import filters_text, period_value, render

Grain = Literal["day", "week", "month", "quarter", "year"]
Metric = Literal["retention", "revenue", "orders", "cumulative_revenue"]

#: what the matrix shows for each metric, and the column of the long table that holds it
MATRIX_COLUMN = {"retention": "retention", "revenue": "revenue", "orders": "orders",
                 "cumulative_revenue": "cumulative_revenue_per_customer"}
#: the cohort total a metric is pooled from when cohorts are compared (divided by customers)
POOLED_FROM = {"retention": "active", "revenue": "revenue", "orders": "orders",
               "cumulative_revenue": "cumulative_revenue"}
METRIC_WORDS = {"retention": "retained", "revenue": "revenue per customer",
                "orders": "orders per customer", "cumulative_revenue": "cumulative revenue per customer"}
#: the router's metric words that mean one of ours
METRIC_ALIASES = {"customers": "retention", "active": "retention", "active customers": "retention",
                  "cumulative": "cumulative_revenue", "cumulative revenue": "cumulative_revenue",
                  "ltv": "cumulative_revenue", "sales": "revenue"}
ADJECTIVE = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly", "year": "yearly"}
STEP = {"day": "to_days({n})", "week": "to_days(7 * {n})", "month": "to_months({n})",
        "quarter": "to_months(3 * {n})", "year": "to_years({n})"}
UNKNOWN = "(unknown)"


class CohortParams(ScopedParams):
    basis: Literal["first_purchase", "signup"] = Field(
        "first_purchase", description="acquisition date: the first purchase, or signup_date of the customers table")
    grain: Grain = "month"
    metric: Metric = Field("retention", description="retention (share of the cohort buying in the period), revenue, "
                           "orders, or cumulative_revenue (per customer)")
    periods: Literal["relative", "absolute"] = Field(
        "relative", description="relative: period 0 is the acquisition period; absolute: calendar periods")
    by: list[str] = Field(default_factory=list, description="split cohorts by a customer attribute, 'segment', "
                          "or a sales column (its value on the first order)")
    start: dt.date | None = Field(None, description="first acquisition date of the cohorts shown")
    end: dt.date | None = Field(None, description="last acquisition date of the cohorts shown")
    at: int = Field(3, ge=1, le=1000, description="the period at which cohorts are compared (month 3)")
    horizon: int | None = Field(None, ge=0, le=10_000, description="show periods up to this one")

    @field_validator("metric", mode="before")
    @classmethod
    def _alias(cls, value):
        return METRIC_ALIASES.get(str(value).strip().lower().replace("_", " "), value)


class Cohort(Analysis):
    name = "cohort"
    whole_history = True  # a comparison in force is not carried into it (Analysis.whole_history)
    title = "Cohort analysis"
    summary = ("Acquisition cohorts over time: the share of each cohort that keeps buying, its orders and value, "
               "by months since the first purchase.")
    examples = [
        "cohort analysis",
        "show me a cohort retention matrix",
        "monthly cohorts by first purchase month",
        "how do our cohorts retain over time",
        "retention by acquisition cohort",
        "what share of each cohort comes back in month 3",
        "are newer cohorts retaining better than older ones",
        "cohort heatmap of customer retention",
        "quarterly cohorts of new customers and how many keep buying",
        "how much does each cohort spend over time",
        "cohort value by months since acquisition",
        "signup cohorts retention curve",
        "which acquisition cohort was the best",
        "customer cohorts by signup month",
        "compare cohorts acquired in 2024 with those of 2023",
        "weekly cohort retention for B2B",
        "retention curves of customer cohorts",
        "do new customers stick around month after month",
        "retention of new customers by months since their first order",
    ]
    Params = CohortParams
    #: the period is when the customers were acquired, their later purchases counted ("customers who first
    #: bought in January 2024"): the question's period stays the cohorts' (Session._route)
    acquired_by_period = True
    #: "cumulative revenue per customer": that metric (already per customer: no breakdown by customer)
    #: "by signup", "signup cohorts", "by registration month", "since they joined": cohorts by signup date
    phrases = {"metric": {r"\b(?:cumulative|running total)\b(?:[\w ]*?\b(per (?:customer|client|head)))?":
                          "cumulative_revenue"},
               "basis": {r"\b(?:sign(?:ed)?[- ]?ups?(?: (?:date|month|week|quarter|year))?|registration(?: (?:date|"
                         r"month|week|quarter|year))?|registered|since (?:they )?joined|join(?:ing)? date)\b": "signup"}}
    requires = {"transactions": ["customer_id", "order_date"]}

    def run(self, dataset, params: CohortParams) -> Answer:
        dims, warnings = self._dimensions(dataset, params), []
        if params.basis == "signup":
            if not dataset.has("customers") or "signup_date" not in dataset.columns("customers"):
                raise DataError("cohorts by signup need a customers table with a signup date column; none is "
                                "loaded. Load one with --data customers=PATH (map it with --map signup_date=COLUMN), "
                                "or use cohorts by first purchase (basis=first_purchase).")
            warnings += self._signup_gaps(dataset, params)
        life = dataset.lifecycle()
        if life is not None:  # subscriptions: a cohort's accounts are followed while a subscription is open
            warnings.append(f"cohorts of accounts by their first subscription's {params.grain}; an account counts as "
                            f"active in a {params.grain} when one of its subscriptions was open at some time in it "
                            f"(started by its end, {life['end']} blank or after its start; trials included), not "
                            f"when it started one; revenue is the MRR of those subscriptions")
        sql, args = self.cells_sql(dataset, params, dims)
        cells = dataset.query(sql, args)
        if cells.empty:
            raise DataError(self._nothing_matches(params))
        cells.insert(len(dims), "cohort", [period_value(d, params.grain) for d in cells["cohort_start"]])
        matrix = self.matrix(cells, params, dims)
        compare = compare_cohorts(cells, params, dims)
        warnings += compare.pop("warnings")
        # the newest cohorts and the first periods are what a narrow screen keeps
        rates = [c for c in matrix.columns if c not in (*dims, "cohort", "customers")] \
            if params.metric == "retention" else []
        title = self._matrix_title(params)
        if life is not None and params.metric == "retention":
            title = title.replace("Share of customers buying", f"Share of accounts with a {life.get('what', 'line')[:-1]} open")
        tables = [Table.from_frame("cohort_matrix", matrix, title, max_rows=60,
                                   recent_last=True, percent=rates),
                  Table.from_frame("cohort_sizes", self._sizes(cells, dims), "Customers acquired per cohort",
                                   max_rows=60),
                  Table.from_frame("cohort_periods", cells, "Every cohort and period (long form)",
                                   priority=[*dims, "cohort", "period", "cohort_customers", "active", "retention",
                                             "revenue_per_customer", "cumulative_revenue_per_customer"])]
        if compare["groups"] is not None:
            groups = compare.pop("groups")
            tables.append(Table.from_frame("cohort_groups", groups,
                                           f"{params.metric.replace('_', ' ').capitalize()} at "
                                           f"{params.grain} {compare['at']} by {', '.join(dims)}",
                                           percent=[groups.columns[-1]] if params.metric == "retention" else []))
        else:
            compare.pop("groups")
        value_columns = [c for c in matrix.columns if c not in (*dims, "cohort", "customers")]
        charts = [Chart(kind="heatmap", title=tables[0].title, table="cohort_matrix", x="cohort", y=value_columns,
                        options={"rows": [*dims, "cohort"], "columns": f"{params.grain}s since acquisition"
                                 if params.periods == "relative" else params.grain,
                                 "format": "pct" if params.metric == "retention" else "number"})]
        summary = render("cohort.md.j2", c=compare, p=params, dims=dims, metric_words=METRIC_WORDS[params.metric],
                         filters=filters_text(params.filters), adjective=ADJECTIVE[params.grain],
                         basis="signup" if params.basis == "signup" else "first subscription" if life is not None
                         else "first purchase",
                         still=f"with a {life.get('what', 'line')[:-1]} open" if life is not None else None)
        return Answer(analysis=self.name, title=self.title, summary=summary, tables=tables, charts=charts,
                      warnings=warnings,
                      follow_ups=["cohort revenue per customer", "cohorts by acquisition channel",
                                  "quarterly cohorts", "what is our repeat purchase rate"],
                      provenance=Provenance(
                          method=f"cohort = {params.grain} of each customer's "
                                 f"{'signup' if params.basis == 'signup' else 'first purchase'}; a customer is active "
                                 "in a period with at least one purchase (returns excluded); one DuckDB query "
                                 "builds every cohort x observable period cell",
                          rows_used=compare["customers"]))

    # ------------------------------------------------------------------ SQL
    @staticmethod
    def _dimensions(dataset, params: CohortParams) -> list[str]:
        tcols = dataset.columns("transactions")
        ccols = dataset.columns("customers") if dataset.has("customers") else set()
        # "by month" is the cohorts' own time axis; "by customer" is what a cohort already counts
        dims = [d for d in params.by if d not in ("period", "customer")]
        for dim in dims:
            if not (dim == "segment" and dataset.has_segments or dim in ccols or dim in tcols):
                raise DataError(kit.unknown(dataset, dim, "split cohorts"))
        return dims

    @staticmethod
    def cells_sql(dataset, params: CohortParams, dims: list[str]) -> tuple[str, list]:
        """One statement: every cohort (x split) and every period from its acquisition to the last
        period of the data, with cohort size, active customers, revenue (and orders for
        metric=orders) and the measures derived from them."""
        g = params.grain
        tfilters = {k: v for k, v in params.filters.items() if k in dataset.columns("transactions")
                    and not (k == "segment" and dataset.has_segments)}
        where, args = dataset.scope(params.filters)
        ccols = dataset.columns("customers") if dataset.has("customers") else set()
        kinds = {d: "segment" if d == "segment" and dataset.has_segments else "customer" if d in ccols else "sale"
                 for d in dims}
        names = [f"g{i}" for i in range(len(dims))]
        # distinct orders per customer and period cost more than everything else: only when asked for
        orders = "count(DISTINCT t.order_id) AS orders, " if params.metric == "orders" else ""
        # a sales column splits cohorts by its value on the customer's first order
        first_values = "".join(f", arg_min(t.{qi(d)}, t.order_date) AS {n}" for d, n in zip(dims, names)
                               if kinds[d] == "sale")
        if first_values:
            first_values += ", min(t.order_date) AS first_at"
        if params.basis == "signup":
            cfilters = {k: v for k, v in params.filters.items() if k not in tfilters}
            cwhere, cargs = dataset.scope(cfilters, alias="c")
            members_from = (f"(SELECT c.customer_id, date_trunc('{g}', min(c.signup_date)) AS cohort "
                            f"FROM customers c WHERE c.customer_id IS NOT NULL AND c.signup_date IS NOT NULL "
                            f"AND {cwhere} GROUP BY 1) s LEFT JOIN acts a ON a.customer_id = s.customer_id")
            cid, group_by, cohort_expr = "s.customer_id", "s.customer_id, s.cohort", "s.cohort"
        else:
            cargs = []
            members_from, cid, group_by, cohort_expr = "acts a", "a.customer_id", "a.customer_id", "min(a.period)"
        joins, picks = [], []
        for i, (d, n) in enumerate(zip(dims, names)):
            if kinds[d] == "sale":
                picks.append(f"coalesce(CAST(arg_min(a.{n}, a.first_at) AS VARCHAR), '{UNKNOWN}') AS {n}")
                continue
            source, _ = kit.per_customer(dataset, d, doing="split cohorts")  # one row per customer
            joins.append(f"LEFT JOIN ({source}) j{i} ON j{i}.customer_id = {cid}")
            picks.append(f"coalesce(CAST(any_value(j{i}.{qi(d)}) AS VARCHAR), '{UNKNOWN}') AS {n}")
        window, wargs = ["true"], []
        if params.start is not None:
            window.append(f"cohort >= date_trunc('{g}', CAST(? AS TIMESTAMP))")
            wargs.append(params.start)
        if params.end is not None:
            window.append("cohort <= CAST(? AS TIMESTAMP)")
            wargs.append(params.end)
        gsel = "".join(f"{n}, " for n in names)
        gon = "".join(f" AND c.{n} = grid.{n}" for n in names)
        gpart = ", ".join([*(f"grid.{n}" for n in names), "grid.cohort"])
        out = ", ".join([*(f"grid.{n} AS {qi(d)}" for d, n in zip(dims, names))])
        life = dataset.lifecycle()
        if life is not None:  # a subscription is in every period it was open in, from its start to its end
            step = {"day": "1 DAY", "week": "1 WEEK", "month": "1 MONTH", "quarter": "3 MONTH", "year": "1 YEAR"}[g]
            end = f"CAST(t.{qi(life['end'])} AS TIMESTAMP)"
            upto = (f"greatest(CAST(t.order_date AS TIMESTAMP), least(coalesce({end} - INTERVAL 1 DAY, "
                    f"{kit.last_date_sql(dataset)}), {kit.last_date_sql(dataset)}))")
            periods = (f", LATERAL (SELECT unnest(generate_series(date_trunc('{g}', CAST(t.order_date AS TIMESTAMP)), "
                       f"date_trunc('{g}', {upto}), INTERVAL {step})) AS period) p")
            period = "p.period"
        else:
            periods, period = "", f"date_trunc('{g}', t.order_date)"
        if life is None and not orders and not first_values and " ".join(where.split()) == "true" and \
                dataset.made("per_customer_day"):
            # every purchase: each customer's periods roll up from the shared per-day table when an earlier
            # answer made it (3 rows per customer against ~12 lines; loyalty, churn and CLV read it too). A
            # day's first timestamp truncates to the same period as each of its lines (grains of a day or more)
            acts = (f"SELECT t.customer_id, date_trunc('{g}', t.first_ts) AS period, sum(t.revenue) AS revenue "
                    f"FROM {dataset.per_customer_day_table()} t WHERE t.d IS NOT NULL GROUP BY 1, 2")
        else:
            acts = (f"SELECT t.customer_id, {period} AS period, {orders}sum(t.amount) AS revenue{first_values} "
                    f"FROM transactions t{periods} WHERE t.customer_id IS NOT NULL AND t.order_date IS NOT NULL "
                    f"AND {where} GROUP BY 1, 2")
        sql = f"""
            WITH acts AS MATERIALIZED ({acts}),
            members AS MATERIALIZED (
                SELECT * FROM (
                    SELECT {cid} AS customer_id, {cohort_expr} AS cohort{''.join(', ' + p for p in picks)}
                    FROM {members_from} {' '.join(joins)}
                    GROUP BY {group_by})
                WHERE {' AND '.join(window)}),
            last AS (SELECT date_trunc('{g}', {kit.last_date_sql(dataset)}) AS last_period),
            sizes AS (SELECT {gsel}cohort, count(*) AS cohort_customers FROM members GROUP BY ALL),
            grid AS (SELECT s.*, unnest(range(0, datediff('{g}', s.cohort, last.last_period) + 1)) AS period
                     FROM sizes s, last),
            cells AS (SELECT {''.join(f'm.{n}, ' for n in names)}m.cohort,
                             datediff('{g}', m.cohort, a.period) AS period, count(*) AS active,
                             {'sum(a.orders) AS orders, ' if orders else ''}sum(a.revenue) AS revenue
                      FROM members m JOIN acts a ON a.customer_id = m.customer_id AND a.period >= m.cohort
                      GROUP BY ALL)
            SELECT {out + ', ' if out else ''}CAST(grid.cohort AS DATE) AS cohort_start, grid.period,
                   CAST(grid.cohort + {STEP[g].format(n='grid.period')} AS DATE) AS period_start,
                   grid.cohort_customers, coalesce(c.active, 0) AS active,
                   coalesce(c.active, 0) / grid.cohort_customers AS retention,
                   {'coalesce(c.orders, 0) AS orders, ' if orders else ''}coalesce(c.revenue, 0) AS revenue,
                   coalesce(c.revenue, 0) / grid.cohort_customers AS revenue_per_customer,
                   sum(coalesce(c.revenue, 0)) OVER (PARTITION BY {gpart} ORDER BY grid.period) AS cumulative_revenue,
                   sum(coalesce(c.revenue, 0)) OVER (PARTITION BY {gpart} ORDER BY grid.period)
                       / grid.cohort_customers AS cumulative_revenue_per_customer
            FROM grid LEFT JOIN cells c ON c.cohort = grid.cohort AND c.period = grid.period{gon}
            ORDER BY {gpart}, grid.period"""
        return sql, [*args, *cargs, *wargs]

    @staticmethod
    def _signup_gaps(dataset, params: CohortParams) -> list[str]:
        """What signup cohorts leave out: buyers with no signup date, purchases before the signup."""
        g = params.grain
        row = dataset.query(f"""
            SELECT count(DISTINCT t.customer_id) FILTER (WHERE c.signup_date IS NULL) AS unknown,
                   count(DISTINCT t.customer_id) FILTER (WHERE date_trunc('{g}', t.order_date)
                                                         < date_trunc('{g}', c.signup_date)) AS early
            FROM transactions t LEFT JOIN ({kit.per_customer(dataset, "signup_date")[0]}) c
                 ON c.customer_id = t.customer_id
            WHERE t.customer_id IS NOT NULL""").iloc[0]
        out = []
        if row["unknown"]:
            out.append(f"{int(row['unknown']):,} buying customer(s) have no signup date in the customers table and "
                       "are left out of the signup cohorts")
        if row["early"]:
            out.append(f"{int(row['early']):,} customer(s) bought in a {g} before their signup {g}: those purchases "
                       "are left out (period < 0)")
        return out

    # ------------------------------------------------------------------ tables
    @staticmethod
    def matrix(cells, params: CohortParams, dims: list[str]):
        """Cohorts down, periods across, the metric in the cells (NaN: not observed yet)."""
        column = "period" if params.periods == "relative" else "period_start"
        frame = cells if params.horizon is None else cells[cells["period"] <= params.horizon]
        value = MATRIX_COLUMN[params.metric]
        keys = [*dims, "cohort_start", "cohort", "cohort_customers"]
        wide = frame.pivot_table(index=keys, columns=column, values=value, aggfunc="first", sort=True)
        wide.columns = [str(c) if column == "period" else period_value(c, params.grain) for c in wide.columns]
        wide = wide.round(4 if params.metric == "retention" else 2).reset_index()
        return wide.drop(columns="cohort_start").rename(columns={"cohort_customers": "customers"})

    @staticmethod
    def _sizes(cells, dims: list[str]):
        first = cells[cells["period"] == 0]
        return first[[*dims, "cohort", "cohort_customers", "active", "revenue"]].rename(
            columns={"cohort_customers": "customers", "active": "buying in period 0",
                     "revenue": "revenue in period 0"}).reset_index(drop=True)

    @staticmethod
    def _matrix_title(params: CohortParams) -> str:
        across = f"{params.grain}s since acquisition" if params.periods == "relative" else params.grain
        what = {"retention": "Share of customers buying", "revenue": "Revenue", "orders": "Orders",
                "cumulative_revenue": "Cumulative revenue per customer"}[params.metric]
        return f"{what} by {ADJECTIVE[params.grain]} cohort and {across}"

    @staticmethod
    def _nothing_matches(params: CohortParams) -> str:
        window = f" acquired between {params.start or 'the start'} and {params.end or 'the end'}" \
            if params.start or params.end else ""
        return f"no customers{window}{filters_text(params.filters)}. Widen the period or the filters."


# ---------------------------------------------------------------------- comparing cohorts
def compare_cohorts(cells, params: CohortParams, dims: list[str]) -> dict:
    """The facts the narrative states: the change point among the cohorts at period ``at``, the
    best and worst cohort, and each split group's pooled value. Values at a period are pooled over
    customers: the sum of the cohorts' totals divided by the sum of their sizes."""
    g = params.grain
    num = POOLED_FROM[params.metric]
    totals = [c for c in ("cohort_customers", "active", "orders", "revenue", "cumulative_revenue") if c in cells]
    pooled = cells.groupby(["cohort_start", "cohort", "period"], as_index=False)[totals].sum()
    cohorts = pooled[pooled["period"] == 0].reset_index(drop=True)
    facts = {"cohorts": len(cohorts), "customers": int(cohorts["cohort_customers"].sum()),
             "first": cohorts["cohort"].iloc[0], "last": cohorts["cohort"].iloc[-1], "grain": g,
             "at": None, "change": None, "best": None, "worst": None, "groups": None, "group_values": [],
             "small_best": None,
             "one_purchase": False, "warnings": []}
    later = pooled[pooled["period"] > 0]
    if len(cohorts) == 1:
        facts["warnings"].append(f"all {facts['customers']:,} customers fall in one cohort ({facts['first']}): there "
                                 "is nothing to compare; ask for a finer grain (weekly or daily cohorts)")
    if later.empty:
        facts["warnings"].append(f"the data ends in the {g} the last customers were acquired: no later {g} to "
                                 "follow the cohorts into")
        return facts
    if params.metric == "retention" and later["active"].sum() == 0 and params.basis == "first_purchase":
        facts["one_purchase"] = True
        facts["warnings"].append(f"no customer bought again in a later {g} (everyone bought in one {g} only): "
                                 "retention is 0 after the acquisition period")
    observed = later.groupby("period")["cohort"].nunique()
    at = params.at if params.at in observed.index else int(observed.index[observed.index <= params.at].max()
                                                           if (observed.index <= params.at).any() else observed.index.min())
    if at != params.at:
        facts["warnings"].append(f"no cohort is observed {params.at} {g}(s) after acquisition yet: cohorts are "
                                 f"compared at {g} {at}")
    facts["at"] = at
    row = pooled[pooled["period"] == at].reset_index(drop=True)
    row["value"] = row[num] / row["cohort_customers"]
    big = row[row["cohort_customers"] >= max(5, 0.25 * row["cohort_customers"].median())]
    solid = big[big["cohort_customers"] >= kit.SMALL_SAMPLE]  # small cohorts name the best only as a last resort
    if len(solid) >= 2:
        top = big.loc[big["value"].idxmax()]
        if top["value"] > solid["value"].max():
            facts["small_best"] = {"cohort": top["cohort"], "value": float(top["value"]),
                                   "customers": int(top["cohort_customers"])}
        big = solid
    if len(big) >= 2:
        best, worst = big.loc[big["value"].idxmax()], big.loc[big["value"].idxmin()]
        facts["best"] = {"cohort": best["cohort"], "value": float(best["value"]),
                         "customers": int(best["cohort_customers"]), "small": kit.small(best["cohort_customers"])}
        facts["worst"] = {"cohort": worst["cohort"], "value": float(worst["value"]),
                          "customers": int(worst["cohort_customers"]), "small": kit.small(worst["cohort_customers"])}
    facts["change"] = change_point(row, num, params.metric)
    if dims:
        at_rows = cells[cells["period"] == at]
        groups = at_rows.groupby(dims, as_index=False)[["cohort_customers", num]].sum()
        groups["value"] = groups[num] / groups["cohort_customers"]
        groups = groups.sort_values("value", ascending=False).rename(
            columns={"cohort_customers": "customers", "value": f"{params.metric} at {g} {at}"})
        groups = groups[[*dims, "customers", f"{params.metric} at {g} {at}"]].round(6).reset_index(drop=True)
        facts["groups"] = groups
        facts["group_values"] = [{"name": " / ".join(str(r[d]) for d in dims), "customers": int(r["customers"]),
                                  "value": float(r.iloc[-1])} for _, r in groups.iterrows()]
    return facts


def change_point(row, num: str, metric: str) -> dict | None:
    """The split of the time-ordered cohorts (at least two cohorts and a tenth of the customers on
    each side) whose pooled before and since values explain the cohorts' values best (least
    customer-weighted squared error)."""
    n = row["cohort_customers"].to_numpy(float)
    x = row[num].to_numpy(float)
    if len(row) < 4 or n.sum() == 0:
        return None
    v = x / n
    best = None
    for s in range(2, len(row) - 1):
        if min(n[:s].sum(), n[s:].sum()) < 0.1 * n.sum():
            continue
        m1, m2 = x[:s].sum() / n[:s].sum(), x[s:].sum() / n[s:].sum()
        cost = (n[:s] * (v[:s] - m1) ** 2).sum() + (n[s:] * (v[s:] - m2) ** 2).sum()
        if best is None or cost < best[0] - 1e-12:
            best = (cost, s, m1, m2)
    if best is None:
        return None
    _, s, before, after = best
    n1, n2 = n[:s].sum(), n[s:].sum()
    change = {"since": row["cohort"].iloc[s], "before_first": row["cohort"].iloc[0],
              "before_last": row["cohort"].iloc[s - 1], "after_last": row["cohort"].iloc[-1],
              "before": float(before), "after": float(after), "difference": float(after - before),
              "customers_before": int(n1), "customers_after": int(n2), "z": None, "clear": True}
    if metric == "retention":
        p = (x.sum()) / (n1 + n2)
        se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2)) if 0 < p < 1 else 0.0
        change["z"] = (after - before) / se if se else 0.0
        change["clear"] = abs(change["z"]) >= 2
    return change


@hookimpl
def register_analyses(register):
    register(Cohort())
