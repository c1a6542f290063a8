"""Profitability on an engine other than the embedded DuckDB: every customer stays in the engine.

Each customer's revenue, costs, profit and rates are the engine's temporary table
``__profit_customers`` (``Profitability._per_customer_sql`` plus profit, margin and the rates, as
the in-memory frame computes them). What comes back: the totals, the profit concentration curve at
its 101 ranks (a running sum in the engine), the profitable / loss-making / break-even sums, the
loss-maker share per attribute value, the most profitable and the biggest loss-makers
(ORDER BY ... LIMIT) and margin per attribute value: per-group rows, never a row per customer.
"""

from __future__ import annotations

import pandas as pd

from custlens.answer import Table
from custlens.kit import per_customer
from custlens.plugins.profitability import CUSTOMERS_TITLE, LEAST_TITLE, LOSERS_TITLE, MIN_TRAIT_CUSTOMERS, NOT_TRAITS
from custlens.sql import qi

TABLE = "__profit_customers"
COLUMNS = ["customer_id", "orders", "revenue", "discounts", "refunds", "net_revenue", "cost_of_goods", "gross_profit",
           "return_lines", "contacts", "cost_to_serve", "profit", "margin", "discount_rate", "return_rate"]


class InEngine:
    """``profitability.InMemory``'s views, each one SQL over ``__profit_customers``."""

    def __init__(self, analysis, dataset, params, where: str, args: list, warnings: list[str]):
        self.analysis, self.dataset, self.params = analysis, dataset, params
        sql, sql_args = analysis._per_customer_sql(dataset, params, where, args, warnings)
        dataset.execute(f"""
            CREATE OR REPLACE TEMP TABLE {TABLE} AS
            SELECT c.*, round(c.profit / nullif(c.net_revenue, 0), 6) AS margin,
                   round(c.discounts / nullif(c.revenue + c.discounts, 0), 6) AS discount_rate,
                   round(c.refunds / nullif(c.revenue, 0), 6) AS return_rate
            FROM (SELECT b.*, round(b.gross_profit - b.cost_to_serve, 2) AS profit FROM ({sql}) AS b) AS c""",
                        sql_args)
        orphans = dataset.scalar(f"SELECT sum(r.lines) FROM ({analysis._returners_sql(where)}) AS r "
                                 f"LEFT JOIN {TABLE} c ON c.customer_id = r.customer_id WHERE c.customer_id IS NULL",
                                 args)
        if orphans:
            warnings.append(f"{int(orphans):,} return line(s) belong to customers with no purchase in the period and "
                            "filters: left out (widen the period to count them against their purchases)")
        self.n = int(dataset.scalar(f"SELECT count(*) FROM {TABLE}"))
        self.empty = self.n == 0

    def facts(self) -> dict:
        ds, n = self.dataset, self.n
        (revenue, discounts, refunds, net, cogs, serve, total, peak, profitable, losers, loss, no_cost,
         orders) = ds.rows(f"""
            SELECT sum(revenue), sum(discounts), sum(refunds), sum(net_revenue), sum(cost_of_goods), sum(cost_to_serve),
                   sum(profit), sum(profit) FILTER (WHERE profit > 0), count(*) FILTER (WHERE profit > 0),
                   count(*) FILTER (WHERE profit < 0), sum(profit) FILTER (WHERE profit < 0), sum(no_cost), sum(orders)
            FROM {TABLE}""")[0]
        total, peak, loss = float(total or 0), float(peak or 0), float(loss or 0)
        reach = None
        if total > 0:  # the fewest customers, most profitable first, whose running profit reaches the total
            below = ds.scalar(f"SELECT count(*) FROM (SELECT sum(profit) OVER (ORDER BY profit DESC, customer_id ROWS "
                              f"BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum FROM {TABLE}) AS r WHERE round(cum, 2) < ?",
                              [round(total, 2)])
            reach = int(below) + 1
        self.rows_used = int(orders or 0)
        unit = {k: getattr(self.params, k) for k in ("contact_cost", "shipping_cost", "return_cost")
                if getattr(self.params, k)}
        return {
            "customers": n, "revenue": round(float(revenue), 2), "discounts": round(float(discounts), 2),
            "refunds": round(float(refunds), 2), "net_revenue": round(float(net), 2),
            "cost_of_goods": round(float(cogs), 2), "cost_to_serve": round(float(serve), 2), "profit": round(total, 2),
            "margin": round(total / float(net), 6) if net else None, "profitable": int(profitable),
            "loss_makers": int(losers), "loss": round(loss, 2), "peak": round(peak, 2),
            "give_back": round(-loss / peak, 6) if peak else None, "all_profit_customers": reach,
            "all_profit_share": round(reach / n, 6) if reach else None, "unit_costs": unit,
            "no_cost_lines": int(no_cost or 0)}

    def _first(self, name: str, title: str, where: str, order: str, top: int, total: int, what: str) -> Table:
        frame = self.dataset.query(f"SELECT {', '.join(qi(c) for c in COLUMNS)} FROM {TABLE} WHERE {where} "
                                   f"ORDER BY {order} LIMIT {int(top)}")
        table = Table.from_frame(name, frame, title, max_rows=top)
        if total > len(frame):
            table.total_rows, table._frame = total, None
            self.dataset.note_sampled(f"{what}: the first {len(frame)} of {total:,} customers came back; every "
                                      f"customer's profit stays in the engine (temporary table {TABLE})")
        return table

    def table(self, top: int, bottom: bool = False) -> Table:
        return self._first("customers", LEAST_TITLE if bottom else CUSTOMERS_TITLE, "true",
                           f"profit {'ASC' if bottom else 'DESC'}, customer_id", top, self.n,
                           "customers table")

    def losers(self, top: int) -> Table:
        total = int(self.dataset.scalar(f"SELECT count(*) FROM {TABLE} WHERE profit < 0"))
        return self._first("loss_makers", LOSERS_TITLE, "profit < 0", "profit, customer_id", top, total,
                           "loss-makers table")

    def curve(self) -> pd.DataFrame:
        """``Profitability._curve``: the running profit at the 101 percentile ranks, summed in the engine."""
        n = self.n
        ranks = sorted({max(1, round(n * q / 100)) for q in range(0, 101)})
        rows = self.dataset.rows(f"""
            SELECT rn, cum, total FROM (
                SELECT row_number() OVER (ORDER BY profit DESC, customer_id) AS rn,
                       sum(profit) OVER (ORDER BY profit DESC, customer_id ROWS BETWEEN UNBOUNDED PRECEDING
                                         AND CURRENT ROW) AS cum,
                       sum(profit) OVER () AS total
                FROM {TABLE}) AS r
            WHERE rn IN ({', '.join(str(r) for r in ranks)}) ORDER BY rn""")
        cum = {int(r[0]): float(r[1]) for r in rows}
        total = float(rows[0][2]) if rows else 0.0
        return pd.DataFrame({
            "customers": ranks, "share of customers": [round(r / n, 6) for r in ranks],
            "cumulative profit": [round(cum[r], 2) for r in ranks],
            "share of total profit": [round(cum[r] / total, 6) if total else None for r in ranks]})

    def groups(self) -> pd.DataFrame:
        """``Profitability._groups`` from per-group sums."""
        frame = self.dataset.query(f"""
            SELECT CASE WHEN profit > 0 THEN 'profitable' WHEN profit < 0 THEN 'loss-making' ELSE 'break-even' END
                       AS g,
                   count(*) AS customers, sum(revenue) AS revenue, sum(discounts) AS discounts, sum(profit) AS profit,
                   sum(net_revenue) AS net_revenue, sum(refunds) AS refunds, avg(orders) AS orders,
                   avg(contacts) AS contacts
            FROM {TABLE} GROUP BY 1""").set_index("g")
        rows = []
        for name in ("profitable", "loss-making", "break-even"):
            if name not in frame.index:
                continue
            g = frame.loc[name]
            gross = g.revenue + g.discounts
            rows.append({"group": name, "customers": int(g.customers),
                         "share of customers": round(int(g.customers) / self.n, 6),
                         "revenue": round(g.revenue, 2), "profit": round(g.profit, 2),
                         "margin": round(g.profit / g.net_revenue, 6) if g.net_revenue else None,
                         "discount rate": round(g.discounts / gross, 6) if gross else None,
                         "return rate": round(g.refunds / g.revenue, 6) if g.revenue else None,
                         "orders per customer": round(float(g.orders), 2),
                         "contacts per customer": round(float(g.contacts), 2)})
        return pd.DataFrame(rows)

    def traits(self):
        """``Profitability._traits``: the loss-maker share per attribute value, counted in the engine."""
        ds = self.dataset
        losers = int(ds.scalar(f"SELECT count(*) FROM {TABLE} WHERE profit < 0"))
        if not losers:
            return None
        attrs = ds.values().get("customers", {}) if ds.has("customers") else {}
        sources = [(a, f"(SELECT customer_id, {qi(a)} AS v FROM customers)") for a in attrs
                   if a not in NOT_TRAITS and a != "segment"]
        if ds.has_segments:
            sources.append(("segment", "(SELECT customer_id, segment AS v FROM segments)"))
        rows, base = [], losers / self.n
        for attr, source in sources:
            stats = ds.query(f"""
                SELECT CAST(a.v AS VARCHAR) AS value, count(*) AS size,
                       avg(CAST(CASE WHEN c.profit < 0 THEN 1 ELSE 0 END AS DOUBLE)) AS share
                FROM {TABLE} c LEFT JOIN {source} AS a ON a.customer_id = c.customer_id
                WHERE a.v IS NOT NULL GROUP BY 1""")
            stats = stats.sort_values("value", kind="stable")
            for row in stats[stats["size"] >= MIN_TRAIT_CUSTOMERS].itertuples(index=False):
                rows.append({"attribute": attr, "value": row.value, "customers": int(row.size),
                             "loss-maker share": round(float(row.share), 6), "lift": round(float(row.share) / base, 2)})
        if not rows:
            return None
        return pd.DataFrame(rows).sort_values(["lift", "customers"], ascending=[False, False], kind="stable")

    def by_attribute(self, dim: str) -> pd.DataFrame:
        """Profit per value of a customer attribute or saved segment, summed in the engine."""
        sql, args = per_customer(self.dataset, dim)
        frame = self.dataset.query(f"""
            WITH labels AS ({sql})
            SELECT CAST(l.{qi(dim)} AS VARCHAR) AS {qi(dim)}, count(*) AS customers, sum(c.net_revenue) AS net_revenue,
                   sum(c.cost_of_goods) AS cost_of_goods, sum(c.cost_to_serve) AS cost_to_serve,
                   sum(c.profit) AS profit, count(*) FILTER (WHERE c.profit < 0) AS loss_makers
            FROM {TABLE} c LEFT JOIN labels l ON l.customer_id = c.customer_id GROUP BY 1""", args)
        frame[dim] = frame[dim].astype("string")
        return frame.sort_values(dim, kind="stable", na_position="last").reset_index(drop=True)
