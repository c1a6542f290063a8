"""CLV on an engine other than the embedded DuckDB: every customer stays in the engine.

The per-customer summary (``Clv._customers_sql``) is the engine's temporary table
``__clv_customers``. What comes back to this machine:

- sums over it (customers, purchases, revenue, lifespan, cost, returns, repeat buyers);
- BG/NBD: its distinct (frequency, recency, T) rows with how many customers share each (the
  collapsed rows the in-memory fit reads too: the same fit); past three quarters of the bound
  (CUSTLENS_ENGINE_MAX_ROWS), the fit reads those of a sample of customers drawn in the engine by
  the md5 of their id (said) and every distinct row is scored in keyset pages of that size;
- Gamma-Gamma: the distinct frequencies of the repeat buyers with their counts and sums of
  log(x m + v) per likelihood evaluation (``_btyd.fit_gamma_gamma_by_sums``): the same maximum,
  without one row per buyer;
- the scores of the distinct (frequency, recency, T) rows go back into the engine (a small table)
  and each customer's expected spend and CLV are computed there (``__clv_scored``); the answer's
  views are read from it: the top customers (ORDER BY ... LIMIT), totals, the median, the
  distribution's band counts, the at-risk count and first rows, per-group sums.

So what crosses is bounded by the distinct summary rows, never by the customers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from custlens import kit
from custlens.answer import MAX_ROWS, Table
from custlens.errors import ParamsError
from custlens.kit import per_customer
from custlens.plugins.clv import (AT_RISK_ALIVE, CUSTOMER_COLUMNS, DAYS_PER_YEAR, HIGH_VALUE_SHARE,
                                  MAX_SPEND_CORRELATION, MIN_REPEAT_BUYERS, at_risk_table, fit_failed)
from custlens.templates import pct

CUSTOMERS, SCORED = "__clv_customers", "__clv_scored"


class InEngine:
    """The views of ``clv.InMemory`` with the customers kept in the engine."""

    def __init__(self, clv, dataset, where: str, args: list, params, obs_end, warnings: list[str]):
        self.clv, self.dataset, self.where, self.args, self.params = clv, dataset, where, args, params
        self.obs_end, self.warnings = obs_end, warnings
        ds = dataset
        ds.execute(f"CREATE OR REPLACE TEMP TABLE {CUSTOMERS} AS {clv._customers_sql(ds, where, params.grain)}",
                   [*args, *args, obs_end])
        row = ds.rows(f"""
            SELECT count(*), sum(purchases), sum(net_revenue),
                   avg(epoch(last_order) - epoch(first_order)), sum(return_lines), sum(returned),
                   count(*) FILTER (WHERE frequency > 0), count(cost), sum(cost),
                   sum(net_revenue) FILTER (WHERE cost IS NOT NULL)
            FROM {CUSTOMERS}""")[0]
        n, purchases, revenue, span, returns, returned, repeat, costed, cost, costed_revenue = row
        self.n, self.rows_used, self.repeat = int(n), int(purchases or 0), int(repeat)
        if returns:
            warnings.append(f"{int(returns):,} return line(s) worth {float(returned):,.2f} are subtracted from "
                            "historical revenue; the predictive model counts purchases only (as Lifetimes does).")
        self.has_cost = "cost" in ds.columns("transactions") and bool(costed)
        lifespan = float(span) / 86400 / DAYS_PER_YEAR
        margin = float(revenue) - float(cost or 0) if self.has_cost else None
        self.hist = clv._historical_from(self.n, self.rows_used, float(revenue), lifespan, margin)
        self.costed = (float(costed_revenue or 0), float(cost or 0)) if self.has_cost else None
        self.fit_rows = self.distinct = 0
        self.model, self.reasons = self._predict()
        margin_col = ", c.net_revenue - c.cost AS margin" if self.has_cost else ""
        if self.model is None:
            ds.execute(f"CREATE OR REPLACE TEMP TABLE {SCORED} AS SELECT c.*{margin_col} FROM {CUSTOMERS} c")
        self.shown = [c for c in CUSTOMER_COLUMNS if c in ds.relation_columns(SCORED)]
        self.method_note = (f"; every customer's summary and scores stayed in the {ds.engine.name} engine (temporary "
                            f"table {SCORED}): {self.fit_rows:,} distinct (frequency, recency, T) rows came back for "
                            "the fit and the spend fit read sums over the repeat buyers" if self.model else
                            f"; every customer's summary stayed in the {ds.engine.name} engine (temporary table "
                            f"{SCORED})")

    # ------------------------------------------------------------------ the model
    def _predict(self):
        from custlens.plugins import _btyd  # scipy: imported when a model is fitted, not at start-up

        ds, params, warnings = self.dataset, self.params, self.warnings
        reasons = []
        if self.repeat < MIN_REPEAT_BUYERS:
            reasons.append(f"only {self.repeat} customer(s) bought on more than one {params.grain}; the models "
                           f"need at least {MIN_REPEAT_BUYERS} repeat buyers to learn how often people buy again")
            return None, reasons
        from custlens.engines import max_rows

        budget = max(2, max_rows() * 3 // 4)  # the rest of the bound for the answer's other queries
        self.distinct = int(ds.scalar(f"SELECT count(*) FROM (SELECT frequency, recency, T FROM {CUSTOMERS} "
                                      "GROUP BY 1, 2, 3) AS d"))
        source = CUSTOMERS
        if self.distinct > budget:  # a deterministic sample's rows, said; every row is scored below, in pages
            source = (f"(SELECT frequency, recency, T FROM {CUSTOMERS} ORDER BY md5(CAST(customer_id AS VARCHAR)) "
                      f"LIMIT {budget}) AS sample")
            note = (f"CLV: the purchase model (BG/NBD) fitted on a sample of {budget:,} of the {self.n:,} customers "
                    "drawn in the engine by the md5 of the customer id (their distinct frequency, recency and age "
                    f"are {self.distinct:,}, more than three quarters of the bound of {max_rows():,} rows); every "
                    f"customer is scored, in pages of {budget:,} distinct rows")
            warnings.append(note)
            ds.note_sampled(note)
        rows = ds.rows(f"SELECT frequency, recency, T, count(*) FROM {source} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
        self.fit_rows = len(rows)
        x, t_x, T = (np.array([r[i] for r in rows], float) for i in range(3))
        weights = np.array([r[3] for r in rows], np.int64)
        bg = kit.fitted(ds, "bgnbd", (x, t_x, T, weights), lambda _: _btyd.fit_bgnbd(x, t_x, T, weights))
        if not bg.converged:
            reasons.append(fit_failed("BG/NBD", bg, params.grain))
        spenders = f"(SELECT frequency, monetary FROM {CUSTOMERS} WHERE frequency > 0 AND monetary > 0) AS s"
        n_spenders, corr, mean_m, sum_log, sum_xlog = ds.rows(
            f"SELECT count(*), corr(frequency, monetary), avg(monetary), sum(ln(monetary)), "
            f"sum(frequency * ln(monetary)) FROM {spenders}")[0]
        dropped = self.repeat - int(n_spenders)
        if dropped:
            warnings.append(f"{dropped:,} repeat buyer(s) whose repeat purchases are worth zero or less are left out of "
                            "the spend (Gamma-Gamma) fit; their expected spend is the population's, shrunk to it.")
        corr = float(corr) if n_spenders > 2 and corr is not None else (0.0 if n_spenders <= 2 else math.nan)
        if abs(corr) > MAX_SPEND_CORRELATION:
            reasons.append(f"how much customers spend per purchase is correlated with how often they buy "
                           f"(r = {corr:.2f}); the Gamma-Gamma spend model assumes they are independent")
        gg = None
        if n_spenders >= MIN_REPEAT_BUYERS:
            counts = ds.rows(f"SELECT frequency, count(*) FROM {spenders} GROUP BY 1 ORDER BY 1")
            xs, cs = np.array([c[0] for c in counts], float), np.array([c[1] for c in counts], float)
            sums_sql = (f"SELECT sum(ln(frequency * monetary * ? + ?)), sum(frequency * ln(frequency * monetary * ? + ?)), "
                        f"sum(1 / (frequency * monetary * ? + ?)), sum(frequency / (frequency * monetary * ? + ?)) "
                        f"FROM {spenders}")
            logged = []

            def sums(scale: float, v: float):
                # the first evaluation is logged with the answer's SQL; the others are the same statement
                run = ds.rows if not logged else ds.engine.rows
                logged.append(1)
                return run(sums_sql, [scale, v] * 4)[0]

            inputs = ("gamma-gamma sums", xs, cs, float(mean_m), float(sum_log), float(sum_xlog))
            gg = kit.fitted(ds, "gamma-gamma", inputs, lambda _: _btyd.fit_gamma_gamma_by_sums(
                xs, cs, float(mean_m), float(sum_log), float(sum_xlog), sums))
        if gg is None:
            reasons.append(f"only {int(n_spenders)} repeat buyer(s) with a positive spend to fit the spend model")
        elif not gg.converged or gg.params["q"] <= 1:
            reasons.append("the Gamma-Gamma spend fit did not give a finite average spend (q <= 1)"
                           if gg.converged else fit_failed("Gamma-Gamma", gg, params.grain))
        if reasons:
            return None, reasons
        margin, margin_note = self.clv._margin_from(params, self.costed, ds.definitions.margin)
        if margin_note:
            warnings.append(margin_note)
        horizon = params.horizon * _btyd.PERIODS_PER_MONTH[params.grain]
        def scored(x, t_x, T) -> pd.DataFrame:
            return pd.DataFrame({
                "frequency": x.astype(np.int64), "recency": t_x.astype(np.int64), "T": T.astype(np.int64),
                "expected_purchases": _btyd.expected_purchases(bg.params, horizon, x, t_x, T),
                "p_alive": _btyd.probability_alive(bg.params, x, t_x, T),
                "value_per_spend": _btyd.discounted_clv(bg.params, x, t_x, T, 1.0, params.horizon, params.grain,
                                                        params.discount_rate)})

        pages = []  # the scored distinct rows go back to the engine (in pages when they are many)
        if source == CUSTOMERS:
            pages.append(scored(x, t_x, T))
        else:
            last = None
            while True:  # keyset pages of the distinct rows, each at most ``budget``
                after = "true" if last is None else ("(frequency > ? OR (frequency = ? AND (recency > ? OR (recency = ? "
                                                     "AND T > ?))))")
                page = ds.engine.rows(f"SELECT frequency, recency, T FROM {CUSTOMERS} WHERE {after} GROUP BY 1, 2, 3 "
                                      f"ORDER BY 1, 2, 3 LIMIT {budget}",
                                      [] if last is None else [last[0], last[0], last[1], last[1], last[2]])
                if not page:
                    break
                pages.append(scored(*(np.array([r[i] for r in page], float) for i in range(3))))
                last = page[-1]
                if len(page) < budget:
                    break
        for i, frame in enumerate(pages):
            ds.engine.register(f"__clv_rows{i}", frame)
        try:
            ds.execute(f"CREATE OR REPLACE TEMP TABLE __clv_rows AS "
                       + " UNION ALL ".join(f"SELECT * FROM __clv_rows{i}" for i in range(len(pages))))
            gp = gg.params
            weight = "($p * c.frequency / ($p * c.frequency + $q - 1))"
            spend = f"((1 - {weight}) * ($v * $p / ($q - 1)) + {weight} * c.monetary)"
            margin_col = ", c.net_revenue - c.cost AS margin" if self.has_cost else ""
            ds.execute(*kit.named(f"""
                CREATE OR REPLACE TEMP TABLE {SCORED} AS
                SELECT c.*{margin_col}, s.expected_purchases, s.p_alive, {spend} AS expected_spend,
                       s.value_per_spend * {spend} * $margin AS clv
                FROM {CUSTOMERS} c JOIN __clv_rows s
                  ON s.frequency = c.frequency AND s.recency = c.recency AND s.T = c.T""",
                {"p": float(gp["p"]), "q": float(gp["q"]), "v": float(gp["v"]), "margin": float(margin)}))
        finally:
            for i in range(len(pages)):
                ds.engine.unregister(f"__clv_rows{i}")
        total, average, median, alive, purchases = ds.rows(
            f"SELECT sum(clv), avg(clv), quantile_cont(clv, 0.5), avg(p_alive), sum(expected_purchases) "
            f"FROM {SCORED}")[0]
        from custlens.plugins.clv import DEFINED_MARGIN, fit_table

        table = fit_table(bg, gg, len(x), corr)

        return {"bg": bg, "gg": gg, "table": table, "margin": margin, "corr": corr,
                "margin_from": "definitions" if margin_note == DEFINED_MARGIN else None,
                "total": float(total), "average": float(average), "median": float(median), "alive": float(alive),
                "purchases": float(purchases)}, []

    # ------------------------------------------------------------------ the views
    def headline(self) -> pd.DataFrame:
        from custlens.plugins.clv import headline_table

        return headline_table(self.n, self.repeat, self.hist, self.model, self.params)

    def _select(self) -> str:
        return ", ".join(kit.qi(c) for c in self.shown)

    def _first(self, value: str, limit: int, where: str = "true", params=()) -> pd.DataFrame:
        return self.dataset.query(f"SELECT {self._select()} FROM {SCORED} WHERE {where} "
                                  f"ORDER BY {value} DESC, customer_id LIMIT {int(limit)}", list(params))

    def _cut(self, table: Table, total: int, what: str) -> Table:
        """``table`` holds the first rows of ``total``: the rest stayed in the engine (and is said)."""
        if total > len(table.rows):
            table.total_rows, table._frame = total, None
            self.dataset.note_sampled(f"{what}: the first {len(table.rows)} of {total:,} customers came back; every "
                                      f"customer's CLV stays in the engine (temporary table {SCORED})")
        return table

    def customers_table(self, value: str, title: str) -> Table:
        frame = self._first(value, self.params.top)
        self._top = frame
        table = Table.from_frame("customers", frame, title, max_rows=self.params.top,
                                 priority=["customer_id", "clv", "p_alive", "net_revenue", "purchases", "last_order",
                                           "expected_purchases"])
        return self._cut(table, self.n, "customers table")

    def distribution(self, value: str, bins: int = 10) -> pd.DataFrame:
        """``Clv._distribution`` with the band counts made in the engine."""
        ds = self.dataset
        cap, low, high = ds.rows(f"SELECT quantile_cont({value}, 0.99), min({value}), max({value}) FROM {SCORED}")[0]
        cap, low, high = float(cap), float(low), float(high)
        lo = min(low, 0.0)
        if cap <= lo:
            cap = high if high > lo else lo + 1
        edges = np.linspace(lo, cap, bins + 1)
        band = " + ".join(f"CASE WHEN {value} >= ? THEN 1 ELSE 0 END" for _ in edges[1:-1])
        counted = ds.rows(f"SELECT b, count(*) FROM (SELECT CASE WHEN {value} > ? THEN -1 ELSE {band} END AS b "
                          f"FROM {SCORED} WHERE {value} IS NOT NULL) AS banded GROUP BY b",
                          [float(cap), *map(float, edges[1:-1])])
        by_band = {int(b): int(c) for b, c in counted}
        counts = np.array([by_band.get(i, 0) for i in range(bins)], np.int64)
        over = by_band.get(-1, 0)
        labels = [f"{a:,.0f}-{b:,.0f}" for a, b in zip(edges[:-1], edges[1:])]
        frame = pd.DataFrame({"range": labels, "from": edges[:-1].round(2), "to": edges[1:].round(2),
                              "customers": counts})
        if over:
            frame.loc[len(frame)] = [f"over {cap:,.0f}", round(cap, 2), high, over]
        return frame

    def at_risk(self) -> dict:
        ds = self.dataset
        cut = float(ds.scalar(f"SELECT quantile_cont(net_revenue, {1 - HIGH_VALUE_SHARE!r}) FROM {SCORED}"))
        where = "net_revenue >= ? AND p_alive < ?"
        n, value = ds.rows(f"SELECT count(*), sum(net_revenue) FROM {SCORED} WHERE {where}", [cut, AT_RISK_ALIVE])[0]
        cols = ["customer_id", "net_revenue", "purchases", "last_order", "p_alive", "clv"]
        frame = ds.query(f"SELECT {', '.join(cols)} FROM {SCORED} WHERE {where} ORDER BY net_revenue DESC, "
                         f"customer_id LIMIT {int(self.params.top)}", [cut, AT_RISK_ALIVE])
        table = at_risk_table(frame, self.params.top)
        if n > len(frame):
            table.total_rows, table._frame = int(n), None
        return {"table": table, "n": int(n), "value": float(value or 0)}

    def by(self, dim: str, value: str) -> Table:
        """``Clv._by`` with the groups summed in the engine."""
        sql, args = per_customer(self.dataset, dim, self.where, self.args, doing="show CLV")
        alive = ", avg(s.p_alive) AS \"average p_alive\"" if self.model else ""
        out = self.dataset.query(f"""
            WITH labels AS ({sql})
            SELECT coalesce(CAST(l.{kit.qi(dim)} AS VARCHAR), '(none)') AS {kit.qi(dim)}, count(*) AS customers,
                   avg(s.{value}) AS "average {value}", sum(s.{value}) AS "total {value}"{alive}
            FROM {SCORED} s LEFT JOIN labels l ON l.customer_id = s.customer_id GROUP BY 1""", args)
        out.insert(2, "share of customers", out["customers"] / out["customers"].sum())
        out = out.sort_values([f"average {value}", dim], ascending=[False, True]).reset_index(drop=True).round(6)
        out["small sample"] = out["customers"] < kit.SMALL_SAMPLE
        return Table.from_frame(f"by_{dim}", out, f"{'Predicted CLV' if value == 'clv' else 'Revenue to date'} "
                                f"by {dim.replace('_', ' ')}")

    def asked(self, value: str, what: str):
        """``Clv._asked``: one customer's row and rank, or the top share's count and sums, in the engine."""
        ds, params = self.dataset, self.params
        if params.customer:
            row = ds.query(f"SELECT {self._select()} FROM {SCORED} WHERE CAST(customer_id AS VARCHAR) = ?",
                           [str(params.customer)])
            if not len(row):
                raise ParamsError(f"customer {params.customer} has no purchases in the data (or in the period and "
                                  f"filters asked): no CLV for them. Check the id (\"customer C000123\").")
            mine, me = float(row[value].iloc[0]), row["customer_id"].iloc[0]
            rank = int(ds.scalar(f"SELECT count(*) FROM {SCORED} WHERE {value} > ? OR ({value} = ? AND "
                                 "customer_id < ?)", [mine, mine, me])) + 1
            text = (f"Customer {params.customer}: {what} {mine:,.2f}, number {rank:,} of {self.n:,} customers.")
            return Table.from_frame("customer", row, f"Customer {params.customer}"), text
        if params.share:
            n = max(1, math.ceil(params.share * self.n - 1e-9))
            total, held = ds.rows(f"SELECT (SELECT sum({value}) FROM {SCORED}), (SELECT sum(v) FROM (SELECT {value} "
                                  f"AS v FROM {SCORED} ORDER BY {value} DESC, customer_id LIMIT {n}) AS best)")[0]
            total, held = float(total or 0), float(held or 0)
            part = f" ({pct(held / total)} of the total {total:,.2f})" if total > 0 else ""
            text = (f"The top {params.share * 100:g}% of customers by {what} are {n:,} of {self.n:,}; "
                    f"together {held:,.2f}{part}.")
            frame = self._first(value, min(n, max(MAX_ROWS, params.top)))
            table = Table.from_frame("top_share", frame, f"The top {params.share * 100:g}% of customers by {what}",
                                     max_rows=n)
            return self._cut(table, n, "top share"), text
        return None

    def top(self, value: str) -> dict:
        row = self._top.iloc[0]
        return {"customer": str(row["customer_id"]), "value": float(row[value])}

    def active(self, days: int) -> int:
        since = (pd.Timestamp(self.obs_end) - pd.Timedelta(days=days + 1)).to_pydatetime()
        return int(self.dataset.scalar(f"SELECT count(*) FROM {SCORED} WHERE last_order > ?", [since]))
