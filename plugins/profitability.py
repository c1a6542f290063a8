"""profitability: which customers bring profit and which cost more than they bring.

Per customer (DuckDB SQL over the canonical views): revenue (purchases, net of discounts), the
discounts given, returns (refunded value and the cost of the goods that came back), cost of goods,
and cost to serve where the data has it (support contacts = feedback/ticket rows, orders shipped,
return lines handled), each at a unit cost the user sets; then profit and margin.

    net revenue  = revenue - refunds
    cost of goods = cost of purchases - cost of returned goods
    gross profit = net revenue - cost of goods
    profit       = gross profit - cost to serve

From that one table (pandas only on one row per customer): the profit concentration curve
(cumulative profit by customer rank: how few customers bring all the profit and how much the
loss-makers give back), profitable against loss-making customers and what sets the loss-makers
apart (discount rate, return rate, attributes), and margin by product, category, region, segment
or any attribute (``by``).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field

from custlens import hookimpl
from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.dataset import qi
from custlens.errors import DataError
from custlens.kit import SMALL_SAMPLE, dimension, gross_profit_sql, no_cost, no_cost_note, per_customer
from custlens.templates import period_value, render

#: attributes a loss-maker profile never uses (ids, dates, free text)
NOT_TRAITS = {"customer_id", "email", "signup_date", "age", "city"}
#: a breakdown asked for shows every row up to this many (the loss-makers included)
MARGIN_ROWS = 50
#: a trait must hold this many customers to be named
MIN_TRAIT_CUSTOMERS = SMALL_SAMPLE  # a trait of fewer customers proves little (kit.SMALL_SAMPLE)


class ProfitabilityParams(ScopedParams):
    by: list[str] = Field(default_factory=list, description="margin by these: product, category, country, region, "
                          "channel, segment, period or any customer attribute")
    top: int = Field(10, ge=1, le=10_000, description="rows to show per table")
    bottom: bool = Field(False, description="the least profitable first (\"which products make me the least money\")")
    grain: Literal["day", "week", "month", "quarter", "year"] = "quarter"
    contact_cost: float = Field(0.0, ge=0, description="cost of one support contact (feedback/ticket row)")
    shipping_cost: float = Field(0.0, ge=0, description="cost of shipping one order")
    return_cost: float = Field(0.0, ge=0, description="cost of handling one returned line")


class Profitability(Analysis):
    name = "profitability"
    title = "Customer profitability"
    summary = "Profit and margin per customer after cost of goods, discounts, returns and cost to serve; loss-makers."
    examples = [
        "which customers are profitable",
        "which customers lose us money",
        "who are the loss-making customers",
        "profit per customer after returns and discounts",
        "customer profitability analysis",
        "how many customers bring all the profit",
        "profit concentration curve",
        "margin by product",
        "gross margin by region",
        "what does it cost to serve each customer",
        "unprofitable customers and why",
        "what sets loss makers apart",
        "profit and margin by segment",
        "which customers cost more than they bring in",
        "customer profit after cost of goods",
        "margin by category last year",
        "are heavy discounters unprofitable",
    ]
    Params = ProfitabilityParams
    measures = ("margin",)  # "gross margin by category", "GM% per month": margin is this analysis's measure
    per_customer = "customers"  # "... for each customer": this table first (Session._per_customer)
    requires = {"transactions": ["customer_id", "amount"]}

    def run(self, dataset, params: ProfitabilityParams) -> Answer:
        lacking = no_cost(dataset, "profitability")
        if lacking:
            raise DataError(lacking)
        tcols = dataset.columns("transactions")
        where, args = dataset.scope(params.filters, params.start, params.end)
        warnings: list[str] = []
        if dataset.remote:  # every customer's profit stays in the engine: sums and first rows come back
            from custlens.plugins._profit_engine import InEngine

            customers = InEngine(self, dataset, params, where, args, warnings)
        else:
            customers = InMemory(self, dataset, params, where, args, warnings)
        if customers.empty:
            raise DataError("no purchases with a customer id match the period and filters: widen them.")
        facts = customers.facts()
        tables = [Table.from_frame("headline", self._headline(facts), "Profit, revenue and costs"),
                  customers.table(params.top, params.bottom)]
        curve = customers.curve()
        tables.append(Table.from_frame("concentration", curve, "Cumulative profit by customer rank", max_rows=101))
        groups = customers.groups()
        tables.append(Table.from_frame("profitable_vs_unprofitable", groups,
                                       "Profitable against loss-making customers"))
        traits = customers.traits()
        if traits is not None:
            tables.append(Table.from_frame("loss_maker_traits", traits, "What sets the loss-makers apart",
                                           max_rows=params.top))
        tables.append(customers.losers(params.top))
        # "per customer" is the customers table itself
        dims = [d for d in params.by if d not in ("customer", "customer_id")] or [d for d in ("category", "region", "country") if d in tcols or
                                   d in (dataset.columns("customers") if dataset.has("customers") else set())][:2]
        margins = [self._margin_by(dataset, params, dim, customers, where, args, warnings) for dim in dims]
        if params.by and margins:  # "which sub-categories lose money": the breakdown asked for comes first
            tables = tables[:1] + margins + tables[1:]
        else:
            tables += margins
        charts = [Chart(kind="line", title="Profit concentration: cumulative profit by customer rank",
                        table="concentration", x="share of customers", y=["cumulative profit"]),
                  Chart(kind="bar", title="Profitable against loss-making customers",
                        table="profitable_vs_unprofitable", x="group", y=["profit"])]
        charts += [Chart(kind="bar", title=t.title, table=t.name, x=t.columns[0], y=["margin"]) for t in margins]
        summary = render("profitability.md.j2", f=facts, groups=self._group_facts(groups),
                         traits=[] if traits is None else traits.head(3).to_dict("records"),
                         margins=[self._margin_fact(t) for t in margins], asked=bool(params.by), bottom=params.bottom)
        if facts["no_cost_lines"]:
            warnings.append(no_cost_note(facts["no_cost_lines"]))
        return Answer(analysis=self.name, title=self.title, summary=summary, tables=tables, charts=charts,
                      warnings=warnings,
                      follow_ups=["margin by product", "profit and margin by segment", "who are the loss-making customers"],
                      provenance=Provenance(method="per customer in SQL: revenue net of discounts, minus refunds, "
                                                   "cost of goods (returned goods' cost reversed) and cost to serve "
                                                   "(unit costs x contacts, orders, return lines)",
                                            rows_used=customers.rows_used))

    # ------------------------------------------------------------------ per customer
    def _per_customer(self, dataset, params, where, args, warnings) -> pd.DataFrame:
        """One row per customer; every figure rounded to the cent so the sums reconcile."""
        sql, sql_args = self._per_customer_sql(dataset, params, where, args, warnings)
        frame = dataset.query(sql, sql_args)
        return self._per_customer_rest(dataset, frame, where, args, warnings)

    def _per_customer_sql(self, dataset, params, where, args, warnings) -> tuple[str, list]:
        """``_per_customer``'s SQL and its parameters (before profit, margin and the rates)."""
        contacts, contact_args = "SELECT NULL::VARCHAR AS customer_id, 0 AS contacts WHERE false", []
        if dataset.has("feedback") and "customer_id" in dataset.columns("feedback"):
            fb_where, contact_args = ["f.customer_id IS NOT NULL"], []
            if "date" in dataset.columns("feedback"):
                if params.start:
                    fb_where.append("f.date >= ?")
                    contact_args.append(params.start)
                if params.end:
                    fb_where.append("f.date < CAST(? AS DATE) + INTERVAL 1 DAY")
                    contact_args.append(params.end)
            contacts = (f"SELECT f.customer_id, count(*) AS contacts FROM feedback f "
                        f"WHERE {' AND '.join(fb_where)} GROUP BY 1")
        elif params.contact_cost:
            warnings.append("contact_cost is set but no feedback/ticket data with customer ids is loaded: "
                            "support contacts are not counted")
        sql = f"""
            WITH p AS ({dataset.per_customer(where, measures=['orders', 'revenue', 'cost', 'discount'])}),
            r AS (SELECT t.customer_id, count(*) AS return_lines, -sum(t.amount) AS refunds,
                         -sum(coalesce(t.cost, 0)) AS returned_cost
                  FROM returns t WHERE t.customer_id IS NOT NULL AND {where} GROUP BY 1),
            n AS (SELECT t.customer_id, count(*) AS no_cost FROM transactions t
                  WHERE t.customer_id IS NOT NULL AND t.cost IS NULL AND {where} GROUP BY 1),
            fb AS ({contacts}),
            c AS (SELECT p.customer_id, p.orders, p.revenue, p.cost, p.discount, coalesce(r.return_lines, 0) AS return_lines, coalesce(r.refunds, 0) AS refunds,
                         coalesce(r.returned_cost, 0) AS returned_cost, coalesce(fb.contacts, 0) AS contacts,
                         coalesce(n.no_cost, 0) AS no_cost
                  FROM p LEFT JOIN r USING (customer_id) LEFT JOIN n USING (customer_id)
                           LEFT JOIN fb USING (customer_id))
            SELECT customer_id, orders, round(revenue, 2) AS revenue, round(coalesce(discount, 0), 2) AS discounts,
                   round(refunds, 2) AS refunds, round(revenue - refunds, 2) AS net_revenue,
                   round(coalesce(cost, 0) - returned_cost, 2) AS cost_of_goods,
                   round(revenue - refunds - coalesce(cost, 0) + returned_cost, 2) AS gross_profit,
                   return_lines, contacts,
                   round(? * contacts + ? * orders + ? * return_lines, 2) AS cost_to_serve, no_cost
            FROM c"""
        return sql, [*args, *args, *args, *contact_args, params.contact_cost, params.shipping_cost, params.return_cost]

    @staticmethod
    def _returners_sql(where: str) -> str:
        return f"""SELECT t.customer_id, count(*) AS lines FROM returns t
                   WHERE t.customer_id IS NOT NULL AND {where} GROUP BY 1"""

    def _per_customer_rest(self, dataset, frame, where, args, warnings) -> pd.DataFrame:
        returners = dataset.query(self._returners_sql(where), args)
        # as Python objects: isin on Arrow strings converts every value to a list (6 s at 200,000 customers)
        bought = pd.Index(frame.customer_id.to_numpy(dtype=object)).unique()
        orphans = int(returners.lines[bought.get_indexer(returners.customer_id.to_numpy(dtype=object)) < 0].sum())
        if orphans:
            warnings.append(f"{orphans:,} return line(s) belong to customers with no purchase in the period and "
                            "filters: left out (widen the period to count them against their purchases)")
        frame["profit"] = (frame.gross_profit - frame.cost_to_serve).round(2)
        frame["margin"] = (frame.profit / frame.net_revenue.where(frame.net_revenue != 0)).round(6)
        gross = frame.revenue + frame.discounts
        frame["discount_rate"] = (frame.discounts / gross.where(gross != 0)).round(6)
        frame["return_rate"] = (frame.refunds / frame.revenue.where(frame.revenue != 0)).round(6)
        return frame

    @staticmethod
    def _facts(c: pd.DataFrame, params) -> dict:
        profit = c.profit.sort_values(ascending=False, kind="stable").to_numpy()
        cum = profit.cumsum()
        total, peak = float(profit.sum()), float(profit[profit > 0].sum())
        # fewest customers whose profit >= the total, to the cent (sums of cents added in another order
        # differ in their last bits, and the running sum can meet the total exactly)
        reach = int((cum.round(2) < round(total, 2)).sum()) + 1 if total > 0 else None
        losers = c[c.profit < 0]
        return {
            "customers": len(c), "revenue": round(float(c.revenue.sum()), 2),
            "discounts": round(float(c.discounts.sum()), 2), "refunds": round(float(c.refunds.sum()), 2),
            "net_revenue": round(float(c.net_revenue.sum()), 2), "cost_of_goods": round(float(c.cost_of_goods.sum()), 2),
            "cost_to_serve": round(float(c.cost_to_serve.sum()), 2), "profit": round(total, 2),
            "margin": round(total / float(c.net_revenue.sum()), 6) if c.net_revenue.sum() else None,
            "profitable": int((c.profit > 0).sum()), "loss_makers": len(losers),
            "loss": round(float(losers.profit.sum()), 2), "peak": round(peak, 2),
            "give_back": round(-float(losers.profit.sum()) / peak, 6) if peak else None,
            "all_profit_customers": reach,
            "all_profit_share": round(reach / len(c), 6) if reach else None,
            "unit_costs": {k: getattr(params, k) for k in ("contact_cost", "shipping_cost", "return_cost")
                           if getattr(params, k)},
            "no_cost_lines": int(c.no_cost.sum()),
        }

    @staticmethod
    def _headline(f: dict) -> pd.DataFrame:
        rows = [("customers", f["customers"]), ("revenue", f["revenue"]), ("discounts", f["discounts"]),
                ("refunds", f["refunds"]), ("net revenue", f["net_revenue"]), ("cost of goods", f["cost_of_goods"]),
                ("cost to serve", f["cost_to_serve"]), ("profit", f["profit"]), ("margin", f["margin"]),
                ("profitable customers", f["profitable"]), ("loss-making customers", f["loss_makers"]),
                ("loss of the loss-makers", f["loss"])]
        return pd.DataFrame(rows, columns=["measure", "value"], dtype=object)

    # ------------------------------------------------------------------ concentration and groups
    @staticmethod
    def _curve(c: pd.DataFrame) -> pd.DataFrame:
        """The cumulative profit at every percentile of customers ranked by profit (101 points)."""
        profit = c.profit.sort_values(ascending=False, kind="stable").to_numpy()
        cum = profit.cumsum()
        n, total = len(profit), float(profit.sum())
        ranks = sorted({max(1, round(n * q / 100)) for q in range(0, 101)})
        return pd.DataFrame({
            "customers": ranks, "share of customers": [round(r / n, 6) for r in ranks],
            "cumulative profit": [round(float(cum[r - 1]), 2) for r in ranks],
            "share of total profit": [round(float(cum[r - 1]) / total, 6) if total else None for r in ranks]})

    @staticmethod
    def _groups(c: pd.DataFrame) -> pd.DataFrame:
        group = pd.Series(pd.Categorical.from_codes((c.profit > 0).astype(int) + (c.profit < 0).astype(int) * 2,
                                                    ["break-even", "profitable", "loss-making"]), index=c.index)
        rows = []
        for name in ("profitable", "loss-making", "break-even"):
            g = c[group == name]
            if g.empty:
                continue
            gross = g.revenue.sum() + g.discounts.sum()
            rows.append({"group": name, "customers": len(g), "share of customers": round(len(g) / len(c), 6),
                         "revenue": round(g.revenue.sum(), 2), "profit": round(g.profit.sum(), 2),
                         "margin": round(g.profit.sum() / g.net_revenue.sum(), 6) if g.net_revenue.sum() else None,
                         "discount rate": round(g.discounts.sum() / gross, 6) if gross else None,
                         "return rate": round(g.refunds.sum() / g.revenue.sum(), 6) if g.revenue.sum() else None,
                         "orders per customer": round(g.orders.mean(), 2),
                         "contacts per customer": round(g.contacts.mean(), 2)})
        return pd.DataFrame(rows)

    @staticmethod
    def _group_facts(groups: pd.DataFrame) -> dict:
        return {row["group"]: row for row in groups.to_dict("records")}

    @staticmethod
    def _traits(dataset, c: pd.DataFrame) -> pd.DataFrame | None:
        """Customer attribute values (and saved segments) where loss-makers are over-represented."""
        losers = set(c.customer_id[c.profit < 0])
        if not losers:
            return None
        attrs = dataset.values().get("customers", {}) if dataset.has("customers") else {}
        # the customers' text attributes (one row per id: ``Dataset._one_row_per_customer``) and saved segments
        sources = [(a, f"(SELECT customer_id, {qi(a)} AS v FROM customers)") for a in attrs
                   if a not in NOT_TRAITS and a != "segment"]
        if dataset.has_segments:
            sources.append(("segment", "(SELECT customer_id, segment AS v FROM segments)"))
        rows, base = [], len(losers) / len(c)
        # each customer's attribute joined and counted per value in the engine (1M customers: a few rows
        # per attribute come back, not a 1M-row frame merged in pandas); the shares are divided here,
        # from the exact counts, over the values as pandas spells them
        dataset.register("__profit_losses", c[["customer_id"]].assign(loss=(c.profit < 0).astype(int)))
        try:
            for attr, source in sources:
                counts = dataset.query(f"""
                    SELECT a.v AS value, count(*) AS size, CAST(sum(i.loss) AS BIGINT) AS losses
                    FROM __profit_losses i LEFT JOIN {source} AS a ON a.customer_id = i.customer_id GROUP BY 1""")
                sums = counts.groupby(counts["value"].astype("string"), dropna=True)[["size", "losses"]].sum()
                stats = pd.DataFrame({"size": sums["size"], "mean": sums["losses"] / sums["size"]})
                for value, row in stats[stats["size"] >= MIN_TRAIT_CUSTOMERS].iterrows():
                    rows.append({"attribute": attr, "value": value, "customers": int(row["size"]),
                                 "loss-maker share": round(row["mean"], 6), "lift": round(row["mean"] / base, 2)})
        finally:
            dataset.unregister("__profit_losses")
        if not rows:
            return None
        return pd.DataFrame(rows).sort_values(["lift", "customers"], ascending=[False, False], kind="stable")

    # ------------------------------------------------------------------ margin by a dimension
    def _margin_by(self, dataset, params, dim: str, customers: "InMemory", where, args, warnings) -> Table:
        """Line-level dimensions (product, category, period...) from sales and returns (gross profit:
        cost to serve belongs to customers, not lines); customer attributes from the per-customer table."""
        d = dimension(dataset, dim, params.grain, doing="show margin")  # unknown: a DataError with the options
        if d.origin in ("transactions", "period"):
            name = params.grain if d.origin == "period" else dim
            order = "k" if d.origin == "period" else f"profit {'ASC' if params.bottom else 'DESC'} NULLS LAST, k"
            frame = dataset.query(f"SELECT k AS {qi(name)}, net_revenue, cost_of_goods, profit, margin "
                                  f"FROM ({gross_profit_sql(d, where)}) AS g ORDER BY {order}", [*args, *args])
            if d.origin == "period":
                frame[name] = [period_value(v, params.grain) for v in frame[name]]
            kind = "gross profit (before cost to serve)"
        else:  # a customer attribute or saved segment: one value per customer, over the per-customer table
            frame = customers.by_attribute(dim)
            frame["margin"] = frame.profit / frame.net_revenue.where(frame.net_revenue != 0)
            frame = frame.sort_values("profit", ascending=params.bottom, kind="stable").round(
                {"net_revenue": 2, "cost_of_goods": 2, "cost_to_serve": 2, "profit": 2, "margin": 4})
            name, kind = dim, "profit"
            warnings += [w for w in d.warnings if w not in warnings]
        # asked for, a short breakdown shows every row: the loss-makers sort last and must not be cut
        shown = 400 if d.origin == "period" else len(frame) if params.by and len(frame) <= MARGIN_ROWS else params.top
        least = " (least profitable first)" if params.bottom and d.origin != "period" else ""
        return Table.from_frame(f"margin_by_{name}", frame, f"Margin by {name.replace('_', ' ')}: {kind}{least}",
                                max_rows=shown)

    @staticmethod
    def _margin_fact(table: Table) -> dict:
        frame = table.frame.dropna(subset=["margin"])
        frame = frame[frame.net_revenue > 0]
        if frame.empty:
            return {"dim": table.columns[0].replace("_", " "), "best": None}
        best, worst = frame.loc[frame.margin.idxmax()], frame.loc[frame.margin.idxmin()]
        every = table.frame
        losing = every[every.profit < 0].sort_values("profit", kind="stable")
        least = every.dropna(subset=["profit"]).sort_values("profit", kind="stable").head(1)
        return {"dim": table.columns[0].replace("_", " "), "best": str(best.iloc[0]), "best_margin": best.margin,
                "worst": str(worst.iloc[0]), "worst_margin": worst.margin, "of": len(every),
                "losing": [(str(r.iloc[0]), float(r.profit)) for _, r in losing.head(MARGIN_ROWS).iterrows()],
                "losing_count": len(losing),
                "least": (str(least.iloc[0, 0]), float(least.profit.iloc[0])) if len(least) else None, "period": table.columns[0] in ("day", "week", "month", "quarter", "year")}


class InMemory:
    """Every customer's profit as one frame (the embedded DuckDB); ``_profit_engine.InEngine`` gives
    the same views with the customers kept in another engine."""

    def __init__(self, analysis: Profitability, dataset, params, where, args, warnings):
        self.analysis, self.dataset, self.params = analysis, dataset, params
        self.frame = analysis._per_customer(dataset, params, where, args, warnings)
        self.empty = self.frame.empty

    def facts(self) -> dict:
        facts = self.analysis._facts(self.frame, self.params)
        self.frame = self.frame.drop(columns="no_cost")
        self.rows_used = int(self.frame.orders.sum())
        return facts

    def table(self, top: int, bottom: bool = False) -> Table:
        return Table.from_frame("customers", self.frame.sort_values("profit", ascending=bottom, kind="stable"),
                                LEAST_TITLE if bottom else CUSTOMERS_TITLE, max_rows=top)

    def curve(self) -> pd.DataFrame:
        return self.analysis._curve(self.frame)

    def groups(self) -> pd.DataFrame:
        return self.analysis._groups(self.frame)

    def traits(self):
        return self.analysis._traits(self.dataset, self.frame)

    def losers(self, top: int) -> Table:
        c = self.frame
        return Table.from_frame("loss_makers", c[c.profit < 0].sort_values("profit", kind="stable"), LOSERS_TITLE,
                                max_rows=top)

    def by_attribute(self, dim: str) -> pd.DataFrame:
        attr = self.dataset.query(*per_customer(self.dataset, dim))
        joined = self.frame.merge(attr, on="customer_id", how="left")
        return joined.groupby(joined[dim].astype("string"), dropna=False).agg(
            customers=("customer_id", "size"), net_revenue=("net_revenue", "sum"),
            cost_of_goods=("cost_of_goods", "sum"), cost_to_serve=("cost_to_serve", "sum"),
            profit=("profit", "sum"), loss_makers=("profit", lambda p: int((p < 0).sum()))).reset_index()


CUSTOMERS_TITLE = "Profit per customer (most profitable first)"
LEAST_TITLE = "Profit per customer (least profitable first)"
LOSERS_TITLE = "Loss-making customers (biggest loss first)"


@hookimpl
def register_analyses(register):
    register(Profitability())
