"""overview: the first look at the data. On sales: customers, orders, revenue, date range, average
order value and orders per customer; top products, categories and countries; sales by period; and
any breakdown asked for ("revenue by country", "top 10 products", "product distribution by
region", "revenue by acquisition channel"). On a customers table alone (a CRM export): how many
customers, and how they split by their attributes (with the churn rate where a churn flag exists).
All aggregation runs in DuckDB; pandas only reshapes the aggregated rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from typing import Literal

from pydantic import Field

from custlens import hookimpl, schema
from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.dataset import ALIKE_BUT_ID
from custlens.dataset import qi
from custlens.sql import ql
from custlens.errors import DataError, ScopeError
from custlens import kit, meant
from custlens.kit import dimension, joins, unknown
from custlens.meant import NO_CUSTOMER
from custlens.templates import filters_text, num, pct, period_label, period_name, period_said, period_value, render

#: above this many purchase lines, a breakdown shows the exact orders and customers per value only
#: when they are the metric asked for (each is a distinct count over every line: ~10x the sums)
EXACT_LINES = 2_000_000
#: above EXACT_LINES purchase lines, distinct orders and customers per value of a breakdown are
#: HyperLogLog estimates (DuckDB's approx_count_distinct) unless exact counts are asked for; the
#: bound the answers state, measured on DuckDB 2.0 (benchmarks/README.md "Approximate distinct
#: counts"; tests/test_cache.py checks it on planted data): a relative standard error of about 3%,
#: within 7% of the exact count for 19 values in 20 (95th percentile measured: 5.8%)
APPROX_SE, APPROX_BOUND = 0.03, 0.07
APPROX_NOTE = ("{what} per {dim} are approximate on {lines:,} lines (HyperLogLog estimates: typically within 3% and "
               "for 19 values in 20 within 7% of the exact count; the totals are exact): ask for \"exact counts\" "
               "for exact ones, which read every line once per value")
#: return lines worth at least this share of the sales put each group's returned value and net revenue
#: beside its revenue in a breakdown (``Overview._net_beside``): below it they change no ranking a reader
#: acts on, and the headline says them
NET_BESIDE = 0.0
#: an events export's own rows said: views, visits, sessions, clicks, events, added to cart
EVENTS_SAID = re.compile(r"\b(?:events?|event\s+types?|page\s*views?|views|viewed|visits|visited|visitors?|"
                         r"sessions?|clicks?|clicked|add(?:ed|s)?\s+to\s+(?:the\s+)?cart|looked\s+at)\b", re.I)
#: the question that asks for a breakdown an overview leaves out on many lines (``Overview._unasked``)
FOLLOW_UP = {"product": "top 10 products", "category": "revenue by category", "country": "revenue by country"}
#: the built-in breakdowns; ``by`` also takes any column of the transactions or customers data
DIMENSIONS = ("product", "category", "country", "region", "channel", "customer", "period")
Metric = Literal["revenue", "orders", "customers", "quantity", "aov", "refunds", "discount", "margin"]

METRIC_SQL = {
    "revenue": "sum(t.amount)",
    "orders": "count(DISTINCT t.order_id)",
    "customers": "count(DISTINCT t.customer_id)",
    "quantity": "sum(t.quantity)",
    # a blank amount is not a zero: orders without any amount are not in the average
    "aov": "sum(t.amount) / nullif(count(DISTINCT t.order_id) FILTER (WHERE t.amount IS NOT NULL), 0)",
    # what discounts cost: the discount column (an order's discount shared over its lines by value)
    "discount": "sum(t.discount)",
}
#: refunds and returns, over ``transactions_all t``: return lines (their value is negative) and
#: refunds recorded on orders (a refund column: partial refunds, and refunded orders' amounts)
#: refunds and returns, over ``transactions_all t``: return lines (their value is negative), orders
#: refunded or cancelled in full (status; their refund, else their value) and partial refunds (a
#: refund column on purchases)
#: (orders whose status is voided, pending, failed... are neither sales nor refunds: ``is_void``)
REFUND_VALUE = ("CASE WHEN t.is_return THEN -t.amount WHEN t.is_void THEN 0 WHEN NOT t.is_purchase THEN "
                "coalesce(nullif(t.refund, 0), t.amount) ELSE coalesce(t.refund, 0) END")
REFUND_LINE = "(t.is_return OR (NOT t.is_purchase AND NOT t.is_void) OR coalesce(t.refund, 0) > 0)"
METRIC_SQL["refunds"] = f"sum({REFUND_VALUE})"
#: gross profit of the purchase lines, for a breakdown that reads no returns (``Overview._margin`` nets them)
METRIC_SQL["margin"] = "sum(t.amount - coalesce(t.cost, 0))"


def metric_sql(metric: str, approx: bool = False) -> str:
    """SQL of ``metric`` over ``t``; with ``approx``, its distinct counts as HyperLogLog estimates."""
    sql = METRIC_SQL[metric]
    return sql.replace("count(DISTINCT ", "approx_count_distinct(") if approx else sql


#: revenue asked net of what came back: "net revenue", "net sales", "sales after returns", "revenue less refunds"
#: (not "net sales (after discount)": revenue already is after discounts)
NET_OF_RETURNS = re.compile(r"\bnet\s+(?:revenue|sales|turnover|takings|income|spend)\b(?!\s*\(?\s*(?:after|net\s+of|less)\s+"
                            r"(?:the\s+)?discounts?\b)|\b(?:revenue|sales|turnover|takings|spen[dt]|spending|paid|ma[dk]e|earn(?:ed)?)"
                            r"(?:\s+[\w']+){0,3}?\s+(?:after|net\s+of|less|minus)\s+(?:the\s+|any\s+|their\s+)?(?:returns|refunds)\b",
                            re.I)
#: the overall figures shown after the answer to a specific question
SHORT_HEADLINE = ("customers", "orders", "revenue", "average order value", "first order", "last order")
#: the column of a per-customer breakdown naming the customer beside the id (``kit.customer_name``)
NAME_COLUMN = "customer name"
METRIC_LABEL = {"revenue": "revenue", "orders": "orders", "customers": "customers", "quantity": "units",
                "aov": "average order value", "refunds": "refunds", "discount": "discounts", "margin": "gross profit"}


#: the label and SQL of revenue per customer in a breakdown (``OverviewParams.per_customer``)
PER_CUSTOMER = "revenue per customer"
PER_CUSTOMER_SQL = "sum(t.amount) / nullif(count(DISTINCT t.customer_id), 0)"


def _label(params) -> str:
    """The label of what a breakdown ranks by: the metric's, or revenue per customer where asked."""
    return PER_CUSTOMER if getattr(params, "per_customer", False) and params.metric == "revenue" else \
        METRIC_LABEL[params.metric]


def _said(value, share: bool = False) -> str:
    """A count, a summarised number or (``share``) a share as a narrative says it."""
    number = float(value)
    return pct(number) if share else f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


class OverviewParams(ScopedParams):
    by: list[str] = Field(default_factory=list, description="break down by these (first = rows): product, "
                          "category, country, region, channel, customer, period, or any column of the data")
    grain: Literal["day", "week", "month", "quarter", "year"] = "month"
    top: int = Field(10, ge=1, le=10_000, description="rows to show per breakdown")
    bottom: bool = Field(False, description="the lowest first (\"my 3 worst selling products\", \"bottom 20\")")
    metric: Metric = "revenue"
    share: float | None = Field(None, gt=0, lt=1, description="a share of customers (0.1: \"the top 10% of "
                                "customers\"): the share of the metric they bring (concentration)")
    share_top: int | None = Field(None, ge=1, description="a count of the top customers (or of the first breakdown) "
                                  "whose share of the metric is asked (\"what share of revenue comes from the top 10 "
                                  "customers\"): their total, the whole and the share, as ``share`` gives")
    focus: Literal["sales", "data", "no_customer", "duplicates", "events"] = Field(
        "sales", description="data: lead with what the data covers (sources, rows, columns, date range); no_customer: "
        "the purchases without a customer id (lines, orders, revenue and their share); duplicates: what the load "
        "checks found repeated (ids on several rows, customers copied under two ids, e-mails spelt two ways, exact "
        "duplicate lines) and how each is counted; events: the events themselves (views, carts, visits, sessions) "
        "where an events export is loaded, counted by type and by each breakdown asked")
    net: bool = Field(False, description="revenue net of returns (\"net revenue by year\", \"sales after returns\"): "
                      "the sales, the value of their return lines and what is left, in total and per breakdown")
    signups: bool = Field(False, description="the customers who signed up (by the customers table's signup date, "
                          "in the period asked or by period), buyers or not: \"how many customers signed up in 2025\"")
    exact: bool = Field(False, description="exact distinct orders and customers per value on large data (over "
                        "2M lines they are approximate, with their error bound said, unless this is set)")
    breakdowns: bool = Field(False, description="every breakdown not asked for (top products, categories, countries "
                             "and the period) whatever the data's size (over 2M lines only the period is shown unless "
                             "this is set, the others left for a follow-up): the report's overview")
    measure: str | None = Field(None, description="a numeric column of the customers table to summarise per group "
                                "(\"average monthly charges by contract\": monthly_charges)")
    stat: Literal["mean", "median", "sum", "min", "max", "nps", "share", "filled"] = Field(
        "mean", description="how ``measure`` is summarised (nps: % of 9-10 scores minus % of 0-6; share: of a "
        "yes/no or 0/1 column, the share of yes, \"response rate by education\", or with ``values`` the share "
        "holding one of them, \"share of customers with a PhD\"; filled: the share with any value in it, "
        "\"share of orders with a discount code\")")
    values: list[str] = Field(default_factory=list, description="with stat=share: the values of ``measure`` "
                              "counted (education = PhD), instead of a yes/no column's yes")
    unit: Literal["customers", "orders"] | None = Field(
        None, description="with stat=share or filled: what the share is of, the customers (their table, else those "
        "with a line that counts) or the orders (the sales lines: subscriptions, purchases, and the revenue they "
        "bring); by default the customers where their table has ``measure``")
    status: Literal["cancelled", "lost", "won", "open", "win rate"] | None = Field(
        None, description="count the orders (deals) of this status, over every line: \"how many orders were "
        "cancelled\", \"lost deals by reason\", \"open pipeline\" (every stage not closed); win rate: deals won of "
        "those closed; won, on a deal export: the sales, which are the won deals, said so (\"closed won revenue\"). "
        "A filter on status naming stages not won (filters.status=Negotiation) counts those")
    new_customers: bool = Field(False, description="new vs returning customers (kit.NEW_CUSTOMER): a customer is new "
                                "in the period of their first purchase")
    per_customer: bool = Field(False, description="revenue per customer beside each group of a breakdown, ranked by "
                               "it (\"average spend per customer by gender\", \"ARPU by plan\"): groups of different "
                               "sizes compared")
    spent: str | None = Field(None, pattern=r"^(>|>=|<|<=) ?\d+(\.\d+)?$", description="count the customers whose "
                              "revenue in the period compares so (\"how many customers spent more than 2000 in total\": "
                              "\"> 2000\"), or the orders worth so (spent_by=order: \"transactions over 90 dollars\")")
    spent_by: Literal["customer", "order"] = Field("customer", description="what spent, or a median, min or max "
                                                   "``stat`` of revenue without a ``measure`` (\"median spend per "
                                                   "customer\", \"our 10 biggest orders\"), is over: each customer's "
                                                   "revenue, or each order's value (metric aov is always per order)")
    min_orders: int | None = Field(None, ge=1, description="count the customers with at least this many orders "
                                   "(subscriptions, deals): \"how many accounts have more than one subscription\" is 2")
    lifecycle: Literal["ended", "active"] | None = Field(
        None, description="on subscriptions with an end date (Dataset.lifecycle): ended counts those that ended in the "
        "period, dated by their end (\"how many subscriptions ended in 2024\", \"churned subscriptions by month\"); "
        "active sums those active on the data's last day, or the period's (\"current MRR\", \"MRR by plan tier\", "
        "\"top accounts by MRR\"; by period: at each period's end)")
    columns: list[str] = Field(default_factory=list, description="sibling columns of the customers table compared "
                               "side by side (a wide table's AcceptedCmp1..5, MntWines..MntGoldProds): each one's rate "
                               "(stat=share, 0/1 columns) or sum (or mean), ranked, with its share of their total")
    any_of: bool = Field(False, description="with columns (0/1 flags): the share of customers with at least one of them "
                         "yes (\"accepted at least one campaign\"), and how many have 0, 1, 2... of them")
    highlight: list[str] = Field(default_factory=list, description="with columns: the ones the question named, whose "
                                 "share of the total leads (\"what percentage of total spend goes to wine\")")
    days_between: list[str] = Field(default_factory=list, max_length=2, description="two date columns of the sales "
                                    "lines, start and end: the days from one to the other, their mean and median "
                                    "(\"average time to close a deal\": engage_date, order_date)")
    days_of: Literal["won", "lost", "closed", "all"] = Field(
        "won", description="with days_between on a deal export: whose days, the won deals (by default), the lost, "
        "both (closed) or every line")
    last_before: str | None = Field(None, description="a date (YYYY-MM-DD): the customers whose last purchase is before "
                                    "it (\"which accounts haven't closed a deal since June 2017\": on a deal export "
                                    "their last won or lost deal), listed with that date")
    lead: str | None = Field(None, description="with lifecycle: a column of the lines summed beside the amount that "
                             "leads and ranks (its ARR column for \"ARR now\", \"top accounts by ARR\"; seats for \"top "
                             "accounts by seats\")")


class Overview(Analysis):
    name = "overview"
    title = "Sales overview"
    summary = ("What the dataset covers (sources, rows, columns, date range); customers, orders, revenue, average "
               "order value, top products and countries, sales by period; the share of revenue from the top customers.")
    examples = [
        "how many customers do we have and what do they spend?",
        "total revenue by country",
        "top 10 products",
        "sales by month in 2023",
        "give me an overview of the data",
        "what are our best selling categories",
        "revenue per quarter",
        "number of orders by channel",
        "average order value by country",
        "product distribution by region and period",
        "who are our top 20 customers by revenue",
        "summary of sales last 6 months",
        "how much revenue did we make in 2024",
        "weekly sales trend",
        "which regions buy the most",
        "units sold per category",
        "total orders and revenue",
        "revenue by product category",
        "the key numbers at a glance",
        "headline figures for the business",
        "where does our money come from by market",
        "how many customers bought something this year",
        "how many customers are there",
        "customers by contract type",
        "count of customers per region",
        "what did we sell last month",
        "orders per week this year",
        "which products sell best",
        "basic sales statistics",
        "top 10 customers",
        "our biggest clients",
        "sales Q3 2024 vs Q3 2025",
        "compare 2024 and 2025",
        "how did this month compare to last month",
        "revenue this year against last year by country",
        "compare the two periods side by side",
        "year over year change in orders",
        "how many refunds did we have",
        "returns by month",
        "refunds by product",
        "how much did we refund last year",
        "gross and net sales after discounts and refunds",
        "how is the business doing",
        "how is business going", "how are sales going this year",
        "how are we doing this year",
        "what is in this dataset",
        "which dates does the data cover",
        "who are our best customers",
        "what share of revenue comes from the top 20% of customers",
        "how much of our sales do the top 5 percent of buyers bring",
        "list our top clients",
        "what percentage of orders used a discount code",
        "what share of customers are from germany",
        "what fraction of subscriptions have auto renew on",
        "how many customers never placed an order",
        "customers who signed up but never bought anything",
        "are there duplicate customers",
        "any duplicate orders or dupes in the data",
    ]
    # "refunds by month" (not "units excluding refunds", "revenue net of returns": a measure left out)
    phrases = {"metric": {r"(?<!excluding )(?<!without )(?<!net of )(?<!less )(?<!minus )(?<!after )(?<!ignoring )"
                          r"\b(?:refunds?|refunded|returns|returned|returns and refunds)\b": "refunds"},
               # "what's in this dataset?", "what date range does the data cover": what the data is first
               "exact": {r"\bexact(?:ly)?\b|\bprecise(?:ly)?\b|\bnot\s+(?:an?\s+)?(?:approximat|estimat)\w*": True},
               # "net revenue by year", "sales after returns", "turnover net of refunds": revenue less what came back
               "net": {NET_OF_RETURNS.pattern: True},
               # "how much of our sales has no customer id", "lines without a customer", "guest orders"
               "focus": {NO_CUSTOMER.pattern: "no_customer",
                         # "are there duplicate customers", "any dupes in the orders", "customers entered twice"
                         r"\bduplicat\w*|\bdupes?\b|\bde-?dup\w*|\b(?:entered|listed|counted|recorded)\s+twice\b":
                         "duplicates",
                         r"\bdata\s*sets?\b|\bdate\s+range\b|\btime\s+(?:span|range|frame)\b|"
                         r"\b(?:what|which)\s+(?:data|files?|tables?|sources?|columns?|fields?)\b|"
                         r"\bdata\s+(?:cover|covers|span|spans|contain|contains|include|includes|go\s+back)\b|"
                         r"\bwhat(?:'s|\s+is)\s+in\s+(?:the|this|my|our)\s+(?:data|files?|tables?)\b|"
                         r"\b(?:rows|columns)\s+(?:and|or)\s+(?:rows|columns)\b|\bhow\s+far\s+back\b|"
                         r"\b(?:what|which)\s+(?:period|dates?|years?)\s+(?:does|do|is|are)\b": "data",
                         # "how many sessions", "which brands get the most views", "events by type": an events
                         # export's own rows, not its purchases (``_events_overview``, where events are loaded)
                         EVENTS_SAID.pattern: "events"}}
    Params = OverviewParams
    compares = True  # both periods in one table, with the change
    every_status = True  # "open pipeline", "deals in negotiation": the stages not won, over every line
    requires = {}  # sales (transactions) or, failing that, a customers table: checked in run
    requires_any = [{"transactions": ["order_date"]}, {"customers": ["customer_id"]}, {"baskets": ["product"]}]
    reads_alone = ("feedback",)  # tickets or reviews loaded alone: counted (``_feedback_overview``)

    def run(self, dataset, params: OverviewParams) -> Answer:
        units = params.metric == "revenue" and kit.sales_measure(dataset) == "quantity"
        if units:  # sales lines without money (a till's items): what sold is counted in units, and said
            params = params.model_copy(update={"metric": "quantity"})
        answer = self._run(dataset, params)
        if units:
            answer.warnings.insert(0, kit.UNITS_NOT_MONEY)
        answer.tables = kit.blank_uncounted(dataset, answer.tables)  # no customer or order column: no 0 counts
        stages = (params.filters or {}).get("status") or (kit.status_values(dataset, "won") if params.status == "won"
                                                          else [])
        if stages and params.status in (None, "won") and not kit.not_purchases(dataset, stages) \
                and kit.status_kinds(dataset):
            # "closed won revenue": the won deals are the sales; which stages were counted is said first
            answer.summary = f"{kit.stages_line(dataset, stages)}\n\n{answer.summary}"
        recurring = kit.recurring_amount(dataset) if not params.lifecycle and answer.title in (
            "Sales overview", "The data and its overview") or params.compare and not params.lifecycle else None
        if recurring and re.search(r"\brevenue\b", answer.summary, re.I):
            # "revenue in the last 3 months" on subscriptions: a sum of new subscriptions' MRR, said as such
            note = kit.recurring_note(dataset, recurring)
            answer.summary = f"{note}\n\n{answer.summary}"
            answer.warnings.insert(0, note)
        mixed = next((s.mixed_currencies for s in dataset.sources if s.role == "transactions" and s.mixed_currencies),
                     None)
        if mixed and not any("currency" in k for k in params.filters or {}) and (re.search(
                r"\b(?:revenue|worth|spent|value|refunds?|per order|per customer)\b", answer.summary, re.I)
                or params.measure in dataset.columns("transactions") and meant.holds_money(params.measure or "")):
            # a sum of EUR, GBP and CHF said first, not only in a note at the end
            answer.summary = (f"These figures add amounts in {mixed} as they are, unconverted: ask for one currency "
                              f"(\"only {mixed.split('(')[1].split(',')[0].rstrip(')')}\") or by currency.\n\n"
                              f"{answer.summary}")
        if params.focus == "data":  # what the data covers, first
            frame, lead = coverage(dataset)
            answer.summary = f"{lead}\n\n{answer.summary}"
            answer.tables.insert(0, Table.from_frame("data", frame, "What the data covers", max_rows=len(frame)))
            answer.title = "The data and its overview"
        return answer

    def _run(self, dataset, params: OverviewParams) -> Answer:
        if params.focus == "duplicates":
            return self._duplicates(dataset)
        if params.columns:
            return self._side_by_side(dataset, params)
        if not dataset.has("transactions") and not dataset.has("customers") and dataset.has("feedback"):
            return self._feedback_overview(dataset, params)  # a support desk's tickets alone: counted
        if params.focus == "events" and dataset.has("events") and "event" in dataset.columns("events"):
            return self._events_overview(dataset, params)  # "how many sessions", "which brands get the most views"
        shared = params.measure and params.stat in ("share", "filled")
        lines = shared and dataset.has("transactions") and params.measure in dataset.columns("transactions") and (
            params.unit == "orders" or params.lifecycle or not (dataset.has("customers") and params.measure in
                                                                dataset.columns("customers")))
        lines = lines and not (params.unit == "customers" and dataset.has("customers") and params.measure in
                               dataset.columns("customers"))
        mixed = self._mixed_by(dataset, params)
        if mixed or params.lifecycle == "active" and params.measure and params.stat in ("mean", "median", "min", "max") \
                and dataset.has("transactions") and params.measure in dataset.columns("transactions"):
            return self._line_stat(dataset, params, list(params.by))
        if not lines and (not dataset.has("transactions") and dataset.has("customers") or params.measure and
                          dataset.has("customers") and params.measure in dataset.columns("customers")):
            return self._customers_overview(dataset, params)
        if lines and params.lifecycle:
            return self._lifecycle(dataset, params)
        if lines:
            dataset.require({"transactions": ["order_date"]}, self.name)
            where, args = dataset.scope(params.filters, params.start, params.end)
            return self._line_share(dataset, params, where, args)
        if params.measure and params.stat in ("mean", "median", "sum", "min", "max") and \
                params.measure in kit.line_numbers(dataset):
            # "average age of Beauty buyers", "total gross income by product line": a number of the sales lines
            return self._line_stat(dataset, params, list(params.by))
        if params.measure:
            raise DataError(f"cannot average {params.measure!r}: it is not a numeric column of a customers table"
                            + (f" (its columns: {', '.join(sorted(dataset.columns('customers')))})"
                               if dataset.has("customers") else " (no customers table is loaded)") + ".")
        if params.signups and dataset.has("customers") and "signup_date" in dataset.columns("customers"):
            # signups are the customers table's, whatever the orders say: counted there, as on a customers table alone
            return self._customers_overview(dataset, params.model_copy(update={"new_customers": True}))
        if not dataset.has("transactions") and dataset.has("baskets"):
            return self._baskets_overview(dataset, params)
        dataset.require({"transactions": ["order_date"]}, self.name)
        if params.lifecycle:
            return self._lifecycle(dataset, params)
        where, args = dataset.scope(params.filters, params.start, params.end)
        dims = {d: dimension(dataset, d, params.grain) for d in params.by}  # an unknown one: the options
        if len(params.days_between) == 2:
            return self._days_between(dataset, params, dims, where, args)
        if params.last_before:
            return self._last_before(dataset, params, where, args)
        stages = (params.filters or {}).get("status") or []
        # deals not won, or a deal export by its stages ("pipeline by stage"): read over every line
        if params.status not in (None, "won") or params.status == "won" and not kit.deal_stages(dataset) or \
                kit.not_purchases(dataset, stages) or "status" in params.by and kit.deal_stages(dataset):
            return self._status(dataset, params, dims, where, args)
        if params.focus == "no_customer":
            return self._no_customer(dataset, params, dims, where, args)
        if params.new_customers:
            return self._new_customers(dataset, params, where, args)
        if params.min_orders:
            return self._many_orders(dataset, params, where, args)
        if params.spent:
            return self._spent(dataset, params, where, args)
        if params.stat in ("median", "min", "max") and params.metric in ("aov", "revenue") and not params.measure:
            return self._value_spread(dataset, params, dims, where, args)
        if params.metric in ("revenue", "aov") and (dims or params.compare or params.share or params.share_top):
            lacking = kit.no_amount(dataset, METRIC_LABEL[params.metric])  # orders without an amount column
            if lacking:
                raise DataError(lacking)
        if params.metric == "margin":
            return self._margin(dataset, params, dims, where, args)
        if params.net and params.metric == "revenue" and not (params.share or params.share_top):
            return self._net(dataset, params, dims, where, args)
        if params.compare:
            return self._compare(dataset, params, dims)
        if params.share or params.share_top:  # the top 10% of customers, or the top 10 customers: one figure
            return self._concentration(dataset, params, dims, where, args)
        # breakdowns not asked for, summed in one pass with the totals and the days of the trend; on
        # more lines than EXACT_LINES only the period, unless computed already (``_unasked``)
        extras, left_out = self._unasked(dataset, params, where) if not dims else ({}, [])
        agg = self._aggregates(dataset, params, where, args, extras)
        head = {**agg["total"], **self._counts(dataset, where, args)}
        missing = kit.uncounted(dataset)  # a distinct count of a column the data lacks is no 0
        if "customers" in missing:
            head.update(customers=None, priced_customers=None, customer_orders=None, customer_revenue=None)
        if "orders" in missing:
            head.update(orders=None, priced_orders=None, customer_orders=None)
        if not head["lines"]:
            period = f" between {params.start or 'the start'} and {params.end or 'the end'}" \
                if params.start or params.end else ""
            raise DataError(f"no purchases match{period}{filters_text(params.filters)}. Widen the period or the filters.")
        if head["first"] is None or head["first"] != head["first"]:  # no purchase has a date that reads
            raise DataError(f"none of the {int(head['lines']):,} purchases has an order date that reads as a date (the "
                            "order_date column is empty or not dates). Map the column that holds the date "
                            "(map order_date=COLUMN) or export the file again with its dates.")
        returns, voided, head["refunded_orders"] = self._returns_and_voided(dataset, where, args)
        facts = self._facts(head, returns, voided, dataset.definitions.revenue == "gross")
        facts["deal_stages"] = kit.deal_stages(dataset)  # a CRM's deals not won are open or lost, not voided
        facts["duplicates"] = dataset.duplicates_dropped()
        facts["duplicates_kept"] = dataset.duplicates_dropped(kept=True)
        asked = bool(dims)  # a specific question ("average order value by channel"): its answer leads
        headline = self._headline_frame(facts)
        if asked:  # the general figures follow, shorter
            headline = headline[headline["measure"].isin(SHORT_HEADLINE)].reset_index(drop=True)
        tables = [Table.from_frame("headline", headline, "Headline figures" if not asked else "Overall")]
        trend = None if asked else self._trend(agg["days"], facts)
        if trend is not None:
            tables.append(trend)
        charts: list[Chart] = []
        # small data, or exact counts asked for: every distinct count per value exact; else only the
        # metric's, approximate (APPROX_NOTE)
        exact = int(head["lines"] or 0) <= EXACT_LINES or params.exact
        if not dims:
            # breakdowns not asked for: from the same one pass of sums (no distinct counts per value)
            dims = extras
            breakdowns = [self._extra(dataset, params, d, agg["by"][name]) if params.metric != "refunds" else
                          self._group(dataset, params, d, where, args) for name, d in extras.items()]
        else:
            breakdowns = self._breakdowns(dataset, params, list(dims.values()), where, args, exact)
        warnings = [w for d in dims.values() for w in d.warnings]
        for table, name in breakdowns[:1] if params.by else []:  # "top 5 customers" cut inside a tie: said
            ranked = table.name == f"by_{name}" and dims.get(name) is not None and dims[name].origin != "period" \
                and not dims[name].order
            tie = kit.tie_at_cut(table.frame, name, METRIC_LABEL[params.metric], params.top) if ranked else None
            if tie:
                warnings.append(tie)
        if asked and breakdowns:  # return lines that would change the figures: net beside them, and said
            said = self._net_beside(dataset, params, breakdowns, dims, where, args, returns, head)
            if said:
                warnings.append(said)
        if "product" in dims:  # the service lines the product ranking left out, and their revenue, said
            aside = kit.services_set_aside(dataset, where, args, params.filters.get("product"))
            if aside:
                warnings.append(aside)
        if left_out:
            names = [kit.plural(d, 2) for d in left_out]
            said = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
            asks = [f'"{FOLLOW_UP[d]}"' for d in left_out]
            warnings.append(f"revenue by {said} is left out on {self._lines_read(dataset):,} lines (each breakdown "
                            f"reads every line again): ask {', '.join(asks[:-1]) + ' or ' + asks[-1] if len(asks) > 1 else asks[0]}")
        if not exact and params.by and params.metric not in ("orders", "customers", "aov", "refunds"):
            first = params.by[0] if params.by[0] != "period" else params.grain
            warnings.append(f"orders and customers per {first} are left out on {int(head['lines']):,} lines (an exact "
                            f"count per value reads every line again): ask \"orders by {first}\" or \"customers by "
                            f"{first}\" for them")
        if not exact and params.by and params.metric in ("orders", "customers", "aov"):
            first = params.by[0] if params.by[0] != "period" else params.grain
            what = {"orders": "orders", "customers": "customers", "aov": "average order values (revenue / orders)"}
            warnings.append(APPROX_NOTE.format(what=what[params.metric].capitalize(), dim=first,
                                               lines=int(head["lines"])))
        highlights = []
        for table, dim in breakdowns:
            if not asked:
                tables.append(table)
            if dim == "period":
                charts.append(Chart(kind="line", title=table.title, table=table.name, x=table.columns[0],
                                    y=[table.columns[1]]))
            elif "_x_" not in table.name:
                charts.append(Chart(kind="bar", title=table.title, table=table.name, x=table.columns[0],
                                    y=[table.columns[1]]))
            if table.rows and "_x_" not in table.name:
                said = self._highlight(table, dim, _label(params) if _label(params) in table.columns else
                                       METRIC_LABEL[params.metric], dataset.definitions.fiscal_year_start)
                if said["value"] is not None and said["value"] == said["value"]:  # a blank is no top nor peak
                    highlights.append(said)
        growth = None
        if trend is not None:
            before, recent = trend.column("revenue")
            growth = {"months": facts["trend_months"], "recent": recent, "before": before,
                      "change": (recent - before) / before if before else None}
        focus = self._focus(breakdowns[0][0], breakdowns[0][1], params, facts.get("last")) if asked and breakdowns else None
        if asked:  # what was asked first, then the overall figures
            tables = [t for t, _ in breakdowns] + tables[:1]
        summary = render("overview.md.j2", f=facts, highlights=[] if focus else highlights, metric=params.metric,
                         growth=growth, focus=focus, filters=filters_text(params.filters), start=params.start,
                         end=params.end)
        alone = self._one_customer(dataset, params, where, args, facts) if not asked else None
        if alone:  # "how much did customer 17850 spend": their figures lead, their products beside
            lead, products, aside = alone
            summary = lead + "\n\n" + summary
            if products is not None:
                tables.insert(1, products)
            if aside:
                warnings.append(aside)
        if params.metric == "customers" and not asked and dataset.has("customers") and not (params.start or params.end):
            listed = self._customers_listed(dataset, int(head["customers"] or 0), params.filters)
            if listed:
                summary = listed + "\n\n" + summary
        coded = next((d for d in dims.values() if kit.discount_code(dataset, d.name)), None) if asked else None
        if (coded or params.metric == "discount") and "discount" in dataset.columns("transactions"):
            summary = self._discount_cost(dataset, coded, facts, where, args) + "\n\n" + summary
        summary = kit.with_definitions(summary, dataset, "revenue", "currency",
                                       *(["fiscal_year_start"] if any(d.origin == "period" and params.grain in
                                                                      ("quarter", "year") for d in dims.values())
                                         else []))
        follow = ["total revenue by country", "top 10 products", "sales by quarter", "average order value by channel"]
        follow = list(dict.fromkeys([FOLLOW_UP[d] for d in left_out] + follow))
        return Answer(analysis=self.name, title=self.title, summary=summary, tables=tables, charts=charts,
                      warnings=list(dict.fromkeys(warnings)),
                      follow_ups=[f for f in follow if not any(d in f for d in params.by)][:3],
                      provenance=Provenance(method="SQL aggregation over the transactions view (purchases only; "
                                                   "returns and cancellations counted apart)",
                                            rows_used=int(head["lines"])))

    def _lifecycle(self, dataset, params: OverviewParams) -> Answer:
        """Subscriptions (lines with an end date, ``Dataset.lifecycle``) read by their lifecycle: those
        that ended in the period, dated by the end (``kit.ended_note``), or those active on one day, the
        data's last or the period's (``kit.active_sql``, ``kit.active_note``): current MRR, per plan,
        per account (the sum of its active subscriptions), and by period the MRR at each period's end.
        An account counted per value of one of its subscriptions' columns is under its latest
        subscription's value (the accounts' table, ``kit.per_account_rule``)."""
        import pandas as pd

        life = dataset.lifecycle()
        if life is None:
            raise DataError("the sales have no end date of their own (a subscription's end_date), so they cannot be "
                            "read as ended or active: map the lines as subscriptions with an end date column.")
        what = life.get("what") or "lines"
        amount = "MRR" if re.search(r"\bmrr\b", schema.normalise(
            next((m.column for s in dataset.sources if s.name == life["source"]
                  for c, m in dataset.mapping_of(s).items() if c == "amount"), "amount"))) else "revenue"
        end = qi(life["end"])
        count = {"revenue": amount, "orders": what, "customers": "accounts"}
        measures = {amount: "sum(t.amount)", what: "count(DISTINCT t.order_id)",
                    "accounts": "count(DISTINCT t.customer_id)"}
        cols = dataset.columns("transactions")
        label = {c: "ARR" if c == life.get("annual") else c for c in life["summed"].split(",") if c in cols}
        measures = {amount: measures.pop(amount), **{label[c]: f"sum(t.{qi(c)})" for c in label}, **measures}
        if params.lead and params.lead not in label:
            raise DataError(f"cannot rank the {what} by {params.lead!r}: the columns summed over them are "
                            f"{', '.join([amount, *label.values()])}.")
        if params.lead:
            count["revenue"] = label[params.lead]
        sort = count.get(params.metric, amount if params.lifecycle == "active" else what)
        ccols = dataset.columns("customers") if dataset.has("customers") else set()
        tables, charts, notes = [], [], []
        last = kit.as_date(dataset.last_order_date())
        if params.compare:
            return self._lifecycle_compare(dataset, params, life, measures, what, amount, last)
        if params.lifecycle == "ended":
            where, args = dataset.scope(params.filters, params.start, params.end, date=life["end"])
            where += f" AND t.{end} IS NOT NULL"
            notes.append(kit.ended_note(life))
            day = None
        else:
            day = min(params.end, last) if params.end else last
            where, args = dataset.scope(params.filters)
            clause, n = kit.active_sql(life)
            where, args = f"{where} AND {clause}", [*args, *[day] * n]
            notes.append(kit.active_note(life, day))
        head = dataset.query(f"SELECT {', '.join(f'{sql} AS {qi(k)}' for k, sql in measures.items())} "
                             f"FROM transactions t WHERE {where}", args).iloc[0].to_dict()
        counted = params.measure if params.stat in ("share", "filled") and params.measure in cols else None
        hit = None
        if counted:  # "what share of ARR comes from Enterprise": the part counted, of the whole, and by the column
            counted_sql = kit.share_value(counted, params.values, params.stat == "filled", alias="t")
            hit = dataset.query(f"SELECT {', '.join(f'{sql} AS {qi(k)}' for k, sql in measures.items())} "
                                f"FROM transactions t WHERE {where} AND {counted_sql} = 1", args).iloc[0].to_dict()
        for name in ([counted] if counted and counted not in params.by else []) + list(params.by):
            if name == "period" and params.lifecycle == "active":
                frame = self._active_by_period(dataset, params, life, measures, day)
                notes.append(f"by {params.grain}: those active on each {params.grain}'s last day (the last one on "
                             f"{day.isoformat()})")
            else:
                dim = dimension(dataset, name, params.grain, date=life["end"] if name == "period" else None)
                if name in ccols and dim.origin == "transactions" and sort == "accounts":
                    # an account once, under its latest subscription's value (the accounts' table)
                    dim = kit.Dimension(name, f"c.{qi(name)}", "LEFT JOIN customers c ON c.customer_id = t.customer_id",
                                        "customers")
                    notes.append(f"{kit.ACCOUNT_RULE}: each account counted once, under its latest subscription's "
                                 f"{name}")
                frame = dataset.query(
                    f"SELECT {dim.expr} AS {qi(name)}, {', '.join(f'{sql} AS {qi(k)}' for k, sql in measures.items())} "
                    f"FROM transactions t {dim.join} WHERE {where} GROUP BY 1 ORDER BY "
                    + ("1" if dim.origin == "period" else f"{qi(sort)} {'ASC' if params.bottom else 'DESC'}, 1"), args)
                if name == "customer":
                    frame = frame.drop(columns=["accounts"]).rename(columns={"customer": "account"})
                    notes.append(f"{kit.ACCOUNT_RULE}: an account's {sort} is the sum of its {what}' {sort}"
                                 + (" active on that day" if day else " that ended"))
                if dim.origin != "period":
                    frame = frame.head(params.top)
            if name == "period" or "period" in frame.columns:
                frame["period"] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start)
                                   for v in frame["period"]]
            key = frame.columns[0]
            table = Table.from_frame(f"{sort}_by_{name}".replace(" ", "_"), frame,
                                     f"{'Ended ' if day is None else ''}{sort} by {key.replace('_', ' ')}"
                                     + (f" (active on {day})" if day else ""), max_rows=400)
            tables.append(table)
            charts.append(Chart(kind="line" if name == "period" else "bar", title=table.title, table=table.name,
                                x=key, y=[sort]))
        value = lambda k: float(head[k] or 0) if k in (amount, "ARR") else int(head[k] or 0)  # noqa: E731
        scope = filters_text(params.filters)
        led = (f"**{sort} of the {what} active on {day.isoformat()}: {value(sort):,}**{scope} ({amount} "
               f"{value(amount):,.2f}), from {value(what):,} {what} ({value('accounts'):,} accounts)"
               if day is not None and sort not in (amount, "ARR", what, "accounts") else None)
        if day is None:
            span = f" between {params.start} and {params.end}" if params.start or params.end else ""
            summary = (f"**{value(what):,} {what} ended**{span}{scope} ({value('accounts'):,} accounts), dated by "
                       f"their {life['end']}: their {amount} was {value(amount):,.2f}"
                       + (f" (ARR {value('ARR'):,.2f})" if "ARR" in measures else "") + ".")
        else:
            lead = led or (f"**ARR on {day.isoformat()}: {value('ARR'):,.2f}**{scope} ({amount} {value(amount):,.2f}), from "
                    f"{value(what):,} {what} active that day ({value('accounts'):,} accounts)" if sort == "ARR" else
                    f"**{value('accounts'):,} accounts active on {day.isoformat()}**{scope}, with {value(what):,} {what} "
                    f"and {amount} {value(amount):,.2f}" if sort == "accounts" else
                    f"**{value(what):,} {what} active on {day.isoformat()}**{scope} ({value('accounts'):,} accounts), "
                    f"{amount} {value(amount):,.2f}" if sort == what else
                    f"**{amount} on {day.isoformat()}: {value(amount):,.2f}**{scope}, from {value(what):,} {what} "
                    f"active that day ({value('accounts'):,} accounts)")
            summary = (f"{lead}: started by then and not ended "
                       f"({life['end']} blank or after it)"
                       + (f"; trials ({life['trial']}) are left out, as they pay no {amount}" if life.get("trial")
                          else "") + ".")
        if hit is not None and value(sort):
            said = f"a {counted.replace('_', ' ')}" if params.stat == "filled" else \
                f"{counted} = {', '.join(params.values)}" if params.values else f"{counted} = yes"
            part, whole = float(hit[sort] or 0), value(sort)
            money = sort in (amount, "ARR")
            summary = (f"**{part:,.2f} of {whole:,.2f} {sort} ({pct(part / whole)})** is of the {what} with {said}"
                       if money else f"**{int(part):,} of {int(whole):,} {sort} ({pct(part / whole)})** have {said}"
                       ) + (f" ({int(hit[what] or 0):,} of {value(what):,} {what})" if money else "") + \
                (f", {'ended' if day is None else 'active on ' + day.isoformat()}" if whole else "") + ".\n\n" + summary
        if tables and tables[0].rows:
            first = tables[0].rows[0]
            if tables[0].columns[0] != "period":
                idx = tables[0].columns.index(sort)
                summary += (f"\n\n- The {'least' if params.bottom else 'most'} by {tables[0].columns[0].replace('_', ' ')}: "
                            f"**{first[0]}** ({sort} {first[idx]:,})." if first[idx] is not None else "")
        headline = pd.DataFrame([(k, value(k)) for k in measures], columns=["measure", "value"], dtype=object)
        tables.append(Table.from_frame("headline", headline, "Headline figures"))
        return Answer(analysis=self.name, title=(f"Ended {what}" if day is None else f"Current {sort}"),
                      summary=summary, tables=tables, charts=charts, warnings=notes,
                      provenance=Provenance(method=f"SQL over the {what} ({life['source']}): "
                                                   + ("dated by their end" if day is None else "active on one day"),
                                            rows_used=value(what)))

    def _lifecycle_compare(self, dataset, params: OverviewParams, life: dict, measures: dict, what: str,
                           amount: str, last) -> Answer:
        """Two periods side by side on subscriptions with an end date ("how many subscriptions ended in
        Q4 2024 vs Q4 2023"): those that ended in each, dated by the end (``kit.ended_note``), or
        those active on each period's last day (``kit.active_sql``), the later against the earlier."""
        import pandas as pd

        end = qi(life["end"])
        periods = sorted(params.compare, key=lambda ab: str(ab[0]))
        labels = [period_label(a, b) for a, b in periods]
        heads, notes = [], []
        for a, b in periods:
            if params.lifecycle == "ended":
                where, args = dataset.scope(params.filters, a, b, date=life["end"])
                where += f" AND t.{end} IS NOT NULL"
            else:
                day = min(kit.as_date(b), last) if b else last
                where, args = dataset.scope(params.filters)
                clause, n = kit.active_sql(life)
                where, args = f"{where} AND {clause}", [*args, *[day] * n]
                notes.append(kit.active_note(life, day))
            heads.append(dataset.query(f"SELECT {', '.join(f'{sql} AS {qi(k)}' for k, sql in measures.items())} "
                                       f"FROM transactions t WHERE {where}", args).iloc[0].to_dict())
        if params.lifecycle == "ended":
            notes.insert(0, kit.ended_note(life))
        rows = []
        for k in measures:
            before, after = (float(h[k] or 0) for h in heads)
            rows.append((k, before, after, after - before, (after - before) / before if before else None))
        frame = pd.DataFrame(rows, columns=["measure", labels[0], labels[1], "change", "change %"])
        for col in frame.columns[1:]:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").round(4 if col == "change %" else 2)
        frame = frame.astype({c: object for c in frame.columns[1:4]})
        for i, k in enumerate(frame["measure"]):  # counts stay whole numbers, money keeps its cents
            if k not in (amount, "ARR"):
                for col in frame.columns[1:4]:
                    frame.at[i, col] = int(frame.at[i, col])
        count = {"revenue": amount, "orders": what, "customers": "accounts"}
        sort = params.lead and next((k for k in measures if k == "ARR" and params.lead == life.get("annual")), None) \
            or count.get(params.metric, amount if params.lifecycle == "active" else what)
        focus = next(r for r in rows if r[0] == sort)
        money = (amount, "ARR")

        def said(k, v) -> str:
            return f"{v:,.2f}" if k in money else f"{int(v):,}"

        fmt = lambda v: said(sort, v)  # noqa: E731
        rel = f", {pct(focus[4], sign=True)}" if focus[4] is not None else ""
        scope = filters_text(params.filters)
        if params.lifecycle == "ended":
            summary = (f"**{what.capitalize()} ended, dated by their {life['end']}{scope}: {fmt(focus[1])} {sort} in "
                       f"{labels[0]} and {fmt(focus[2])} in {labels[1]}** ({'+' if focus[3] >= 0 else ''}"
                       f"{fmt(focus[3])}{rel}). Counted by the period they ended, not the one they started.")
        else:
            summary = (f"**{sort} of the {what} active at each period's end{scope}: {fmt(focus[1])} in {labels[0]} "
                       f"and {fmt(focus[2])} in {labels[1]}** ({'+' if focus[3] >= 0 else ''}{fmt(focus[3])}{rel}).")
        others = [f"{r[0]} {said(r[0], r[1])} and {said(r[0], r[2])}" for r in rows if r[0] != sort]
        if others:
            summary += f"\n\n- Also: {'; '.join(others)}."
        table = Table.from_frame("comparison", frame, f"{labels[1]} against {labels[0]}"
                                 + (f": {what} ended" if params.lifecycle == "ended" else f": {what} active"))
        return Answer(analysis=self.name, title=f"{labels[1]} against {labels[0]}", summary=summary, tables=[table],
                      charts=[Chart(kind="bar", title=table.title, table=table.name, x="measure",
                                    y=[labels[0], labels[1]])], warnings=notes,
                      provenance=Provenance(method=f"SQL over the {what} ({life['source']}) for each period: "
                                                   + ("dated by their end" if params.lifecycle == "ended"
                                                      else "active on the period's last day"),
                                            rows_used=int(sum(float(h[what] or 0) for h in heads))))

    @staticmethod
    def _active_by_period(dataset, params: OverviewParams, life: dict, measures: dict, day) -> "pd.DataFrame":
        """The figures of the lines active on each period's last day (the data's last day for the
        last period): MRR by month is the MRR at each month's end."""
        if dataset.engine.name != "duckdb":
            raise DataError(f"{params.grain} by {params.grain} figures of the active subscriptions are computed in "
                            "DuckDB only: load the file itself, or ask for the figures now without a breakdown by period.")
        start = kit.period_sql(dataset, "order_date", params.grain)
        step = {"day": "1 DAY", "week": "1 WEEK", "month": "1 MONTH", "quarter": "3 MONTH", "year": "1 YEAR"}[params.grain]
        where, args = dataset.scope(params.filters)
        clause, _ = kit.active_sql(life)
        # active on the period's last day e: started before e + 1 day, not ended by e
        cut = f"least(p.period + INTERVAL {step}, CAST(? AS DATE) + INTERVAL 1 DAY)"
        clause = (clause.replace("CAST(? AS DATE) + INTERVAL 1 DAY", cut, 1)
                  .replace(f"> CAST(? AS DATE)", f">= {cut}", 1))
        low = "AND p.period >= ?" if params.start else ""
        sql = (f"SELECT p.period, {', '.join(f'{sql} AS {qi(k)}' for k, sql in measures.items())} FROM "
               f"(SELECT CAST(unnest(generate_series(min({start}), max({start}), INTERVAL {step})) AS DATE) AS period "
               f"FROM transactions WHERE order_date < CAST(? AS DATE) + INTERVAL 1 DAY) p "
               f"LEFT JOIN transactions t ON {clause} AND {where} WHERE true {low} GROUP BY 1 ORDER BY 1")
        first = kit.as_date(params.start) if params.start else None
        if first:
            first = dataset.engine.rows(f"SELECT {kit.period_sql(dataset, 'CAST(? AS DATE)', params.grain)}",
                                        [first])[0][0]
        return dataset.query(sql, [day, day, day, *args, *([first] if first else [])])

    def _last_before(self, dataset, params: OverviewParams, where: str, args: list) -> Answer:
        """The customers whose last purchase is before a date ("which customers haven't bought since
        March", "accounts that haven't closed a deal since June 2017"): on a deal export a deal closed
        is won or lost (an open deal closes nothing); listed with their last date, of every customer
        with one. Customers with none at all (only open deals) are said apart."""
        import pandas as pd

        day = kit.as_date(params.last_before)
        deals = kit.deal_stages(dataset)
        closed_values = [v for v, k in kit.status_kinds(dataset).items() if k in ("won", "lost")] if deals else []
        closed = ("t.status IN (" + ", ".join(ql(v) for v in closed_values) + ")") if closed_values else "t.is_purchase"
        who = "accounts" if deals else "customers"
        what = "closed a deal (won or lost)" if deals else "bought"
        picked, picked_args = "true", []
        if params.start or params.end:  # "ordered in 2024 but not in 2025": 2024's buyers, their last purchase ever
            picked = (f"t.customer_id IN (SELECT t.customer_id FROM transactions_all t WHERE {closed} AND {where})")
            picked_args = args
            where, args = dataset.scope(params.filters)
        frame = dataset.query(f"""
            SELECT t.customer_id AS customer, max(CAST(t.order_date AS DATE)) FILTER (WHERE {closed}) AS "last",
                   count(DISTINCT t.order_id) FILTER (WHERE {closed}) AS {qi('deals closed' if deals else 'orders')},
                   sum(t.amount) FILTER (WHERE t.is_purchase) AS revenue
            FROM transactions_all t WHERE t.customer_id IS NOT NULL AND {where} AND {picked} GROUP BY 1""",
                              [*args, *picked_args])
        total = len(frame)
        never = frame[frame["last"].isna()]
        frame = frame.dropna(subset=["last"])
        lapsed = frame[pd.to_datetime(frame["last"]) < pd.Timestamp(day)].sort_values("last")
        lapsed = lapsed.assign(**{"last": lapsed["last"].astype(str)})
        n = len(lapsed)
        among = f" who {what.split(' (')[0]}{period_said(params.start, params.end)}" if params.start or params.end else ""
        summary = (f"**{n:,} of {total:,} {who}{among}** have not {what} since {day:%Y-%m-%d}"
                   + (": every one's last is on or after it." if not n else
                      f": their last was before it (the longest silent: {lapsed.iloc[0]['customer']}, last "
                      f"{lapsed.iloc[0]['last']}).") + filters_text(params.filters))
        if len(never):
            summary += f"\n\n{len(never):,} more have never {what} (only open deals)." if deals else ""
        table = Table.from_frame("last_before", lapsed.rename(columns={"last": f"last {'closed deal' if deals else 'purchase'}"}),
                                 f"{who.capitalize()} with nothing {'closed' if deals else 'bought'} since "
                                 f"{day:%Y-%m-%d}", max_rows=max(params.top, 50))
        headline = pd.DataFrame([(who, total), (f"silent since {day:%Y-%m-%d}", n)], columns=["measure", "value"],
                                dtype=object)
        warnings = [f"read as the {who} whose last {'won or lost deal' if deals else 'purchase'} is before "
                    f"{day:%Y-%m-%d}, not a churn model (say \"churn\" for that)"]
        return Answer(analysis=self.name, title=f"{who.capitalize()} silent since {day:%Y-%m-%d}", summary=summary,
                      tables=[Table.from_frame("headline", headline, "Headline figures"), table], warnings=warnings,
                      follow_ups=["churn rate", f"top 10 {who} by revenue"],
                      provenance=Provenance(method=f"each {who[:-1]}'s last {'closed deal' if deals else 'purchase'} "
                                                   f"date (max over every line), compared with {day:%Y-%m-%d}",
                                            rows_used=total))

    def _days_between(self, dataset, params: OverviewParams, dims: dict, where: str, args: list) -> Answer:
        """The days from one date of each line to another ("average time to close a deal", "days from
        engage date to close date"): mean, median, min and max over the lines with both dates, of the
        won deals by default on a deal export (``days_of``), said; per value of a breakdown."""
        import pandas as pd

        start, end = params.days_between
        cols = dataset.columns("transactions")
        for c in (start, end):
            if c not in cols:
                raise DataError(f"cannot count the days between {start} and {end}: {c!r} is not a column of the "
                                f"sales (its date columns: {', '.join(kit.date_columns(dataset))}).")
        days = kit.days_between_sql(start, end)
        kinds = {"won": ("won",), "lost": ("lost",), "closed": ("won", "lost"), "all": ()}[params.days_of]
        values = [v for v, k in kit.status_kinds(dataset).items() if k in kinds] if kinds else []
        whose = "t.status IN (" + ", ".join(ql(v) for v in values) + ")" if values else \
            ("t.is_purchase" if kinds == ("won",) else "true")
        noun = "deals" if kit.deal_stages(dataset) else "orders"
        said = {"won": f"won {noun}", "lost": f"lost {noun}", "closed": f"closed {noun} (won or lost)",
                "all": f"{noun}, every stage" if noun == "deals" else noun}[params.days_of]
        body = f"FROM transactions_all t {{join}} WHERE ({whose}) AND {where} AND ({days}) IS NOT NULL"
        stats = (f"count(DISTINCT t.order_id) AS {qi(noun)}, round(avg({days}), 1) AS {qi('average days')}, "
                 f"median({days}) AS {qi('median days')}, min({days}) AS {qi('fewest days')}, "
                 f"max({days}) AS {qi('most days')}")
        head = dataset.query(f"SELECT {stats}, count(*) FILTER (WHERE {days} < 0) AS negative "
                             f"{body.format(join='')}", args).iloc[0].to_dict()
        n = int(head[noun] or 0)
        label = {c: c for c in (start, end)}
        mapping = next((dataset.mapping_of(s) for s in dataset.sources if s.role == "transactions"), {})
        label.update({c: mapping[c].column for c in (start, end) if c in mapping})  # order_date: close_date
        if not n:
            raise DataError(f"no {said} have both {label[start]} and {label[end]}{filters_text(params.filters)}: "
                            "no days between them to count.")
        tables, charts = [], []
        for dim in dims.values():
            frame = dataset.query(f"SELECT {dim.expr} AS {qi(dim.name)}, {stats} {body.format(join=dim.join)} "
                                  f"GROUP BY 1 ORDER BY {'1' if dim.origin == 'period' else '3 DESC, 1'}", args)
            if dim.origin == "period":
                frame[dim.name] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start)
                                   for v in frame[dim.name]]
            table = Table.from_frame(f"days_by_{dim.name}", frame, f"Days from {label[start]} to {label[end]} by "
                                     f"{dim.name.replace('_', ' ')}", max_rows=400 if dim.origin == "period" else params.top)
            tables.append(table)
            charts.append(Chart(kind="line" if dim.origin == "period" else "bar", title=table.title, table=table.name,
                                x=dim.name, y=["average days"]))
        headline = pd.DataFrame([(noun, n), ("average days", float(head["average days"])),
                                 ("median days", float(head["median days"])), ("fewest days", int(head["fewest days"])),
                                 ("most days", int(head["most days"]))], columns=["measure", "value"], dtype=object)
        summary = (f"**{float(head['average days']):,.1f} days on average** from {label[start]} to {label[end]} "
                   f"(median {float(head['median days']):,.1f}), over {n:,} {said}{filters_text(params.filters)} "
                   f"with both dates.")
        for t in tables:
            top = t.frame.iloc[0]
            summary += (f"\n\n- By {t.columns[0].replace('_', ' ')}: {top.iloc[0]} takes longest on average "
                        f"({float(top['average days']):,.1f} days)." if t.total_rows > 1 and dims and
                        next(iter(dims.values())).origin != "period" else "")
        warnings = []
        if params.days_of == "won" and noun == "deals":
            warnings.append("days of the won deals only: say \"of lost deals\" or \"of closed deals\" for others")
        if head["negative"]:
            warnings.append(f"{int(head['negative']):,} line(s) have {label[end]} before {label[start]}: counted as "
                            "negative days")
        tables.insert(0, Table.from_frame("headline", headline, "Headline figures"))
        return Answer(analysis=self.name, title=f"Days from {label[start]} to {label[end]}", summary=summary,
                      tables=tables, charts=charts, warnings=warnings,
                      follow_ups=[f"days from {label[start]} to {label[end]} by product", "win rate by product"],
                      provenance=Provenance(method=f"date_diff in days from {label[start]} to {label[end]} per line "
                                                   f"of the {said} (SQL over every line)", rows_used=n))

    def _status(self, dataset, params: OverviewParams, dims: dict, where: str, args: list) -> Answer:
        """Orders (deals) of a status counted, over every line the data has (``transactions_all``:
        cancelled, refunded and lost ones are not sales): "how many orders were cancelled",
        "cancelled orders by month", "lost deals by reason"; the win rate is the deals won of those
        closed (won or lost), overall and per value of a breakdown."""
        import pandas as pd

        cols = dataset.columns("transactions")
        kinds = kit.status_kinds(dataset)
        named = [str(v) for v in (params.filters or {}).get("status") or []]
        if "status" in cols:
            def among(kind: str) -> str:
                return f"t.status IN ({', '.join(ql(v) for v in kit.status_values(dataset, kind)) or 'NULL'})"

            cancel_like = " OR ".join(f"lower(t.status) LIKE '%{w}%'" for w in kit.CANCEL_WORDS)  # "Storniert" too
            said = {"cancelled": f"({cancel_like})", "lost": among("lost"), "won": "t.is_purchase",
                    "open": among("open"), None: "true"}  # None: the stages a filter names (``where``)
        elif params.status == "cancelled":
            # no status column: the cancellation invoices ("C" + the number, the Online Retail layout),
            # else the return lines (negative quantity or amount), which cannot be told from cancellations
            invoices = any(s.cancellation_invoices for s in dataset.sources if s.role == "transactions")
            said = {"cancelled": "t.is_return AND starts_with(upper(t.order_id), 'C')" if invoices else "t.is_return"}
        else:
            raise DataError(f"no status column: cannot tell {params.status} deals apart (map the column that holds "
                            "the stage or status: map status=COLUMN).")
        if params.status == "win rate":
            if "lost" not in said:
                raise DataError("no status column: cannot tell won deals from lost ones.")
            measure = (f"count(DISTINCT t.order_id) FILTER (WHERE {said['won']}) / nullif(count(DISTINCT t.order_id) "
                       f"FILTER (WHERE {said['won']} OR {said['lost']}), 0)")
            cond, label = "true", "win rate"
        else:
            measure, cond, label = "count(DISTINCT t.order_id)", said[params.status], f"{params.status} orders"
        # no order id (nor a customer to derive one): the lines of the status are what can be counted
        by_line = "orders" in kit.uncounted(dataset) and params.status != "win rate"
        if by_line:
            measure, label = "count(*)", f"{params.status} lines" if params.status else "lines"
        stages = kit.deal_stages(dataset)
        counted: list[str] = []
        if "status" in cols and params.status != "win rate":
            # the stages counted, said first: those the filter names, else those of the status asked
            counted = named or [v for v, k in kinds.items() if k == params.status or not params.status or
                                params.status == "cancelled" and any(w in v.lower() for w in kit.CANCEL_WORDS)]
            noun = "deals" if stages else "lines" if by_line else "orders"
            label = (f"{params.status} {noun}" if stages else f"{noun} {params.status}") if params.status else noun
        value_word = kit.status_value_word(dataset, counted) if counted else "value"
        # orders refunded in full: their value is what was refunded (their refund, else their amount), as
        # the overview's "value refunded in full" reads it; their amount is net of the refund (about zero)
        refunded = "refund" in cols and bool(counted) and all(kinds.get(v) == "refunded" for v in counted)
        worth_sql = "coalesce(nullif(t.refund, 0), t.amount)" if refunded else "t.amount"
        body = f"FROM transactions_all t {{join}} WHERE ({cond}) AND {where}"
        head = dataset.query(f"SELECT {measure} AS value, count(DISTINCT t.order_id) FILTER (WHERE {said.get('won', 'false')}) "
                             f"AS won, count(DISTINCT t.order_id) FILTER (WHERE ({said.get('won', 'false')}) OR "
                             f"({said.get('lost', 'false')})) AS closed, count(DISTINCT t.order_id) AS orders, count(*) AS lines, "
                             f"sum({worth_sql}) AS amount {body.format(join='')}", args).iloc[0].to_dict()
        tables, charts = [], []
        for name, dim in dims.items():
            frame = dataset.query(f"SELECT {dim.expr} AS {qi(dim.name)}, {measure} AS {qi(label)}, "
                                  f"{'-' if 'status' not in cols else ''}sum({worth_sql}) AS {qi(value_word)} "  # returns: negative
                                  f"{body.format(join=dim.join)} GROUP BY 1 ORDER BY "
                                  f"{'1' if dim.origin == 'period' else '2 DESC, 1'}", args)
            if dim.origin == "period":
                frame[dim.name] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start)
                                   for v in frame[dim.name]]
            frame = frame.round(6)
            table = Table.from_frame(f"{(params.status or 'deals').replace(' ', '_')}_by_{dim.name}", frame,
                                     f"{label.capitalize()} by {dim.name.replace('_', ' ')}", max_rows=400)
            tables.append(table)
            charts.append(Chart(kind="line" if dim.origin == "period" else "bar", title=table.title,
                                table=table.name, x=dim.name, y=[label]))
        value = head["value"]
        if params.status == "win rate":
            figure = f"**Win rate: {pct(value, 0)}**" if value == value and value is not None else "No closed deals"
            summary = (f"{figure}{filters_text(params.filters)}: {int(head['won'] or 0):,} deals won of "
                       f"{int(head['closed'] or 0):,} closed (won or lost), of {int(head['orders'] or 0):,} deals.")
        elif "status" not in cols:
            summary, extra_rows = self._cancellations(dataset, params, head, invoices, where, args)
        else:
            amount = head["amount"]  # NULL (NaN) when none of them has an amount: not a zero, and never "nan"
            worth = f" (worth {float(amount):,.2f})" if amount is not None and amount == amount else \
                (" (none of them has an amount)" if "amount" in cols and value else "")
            # the statuses counted are said on a line of their own, not as a filter
            scope = filters_text({k: v for k, v in (params.filters or {}).items() if k != "status"})
            summary = f"**{int(value or 0):,} {label}**{scope}{worth}; they are not counted as sales."
            if refunded:  # refunded in full, and the partial refunds on purchases said apart
                summary, extra_rows = self._refunds(dataset, params, int(value or 0), amount, scope)
            if counted and not stages:  # an order's statuses: said after the count
                summary += f"\n\n{kit.stages_line(dataset, counted)}"
            elif counted:  # a deal's stages counted first, and their amount by its name (a pipeline value is no revenue)
                worth = f": {value_word} **{float(amount):,.2f}**" if amount is not None and amount == amount else \
                    (" (none of them has an amount)" if "amount" in cols and value else "")
                won = [v for v in counted if kinds.get(v) == "won"]
                deals = int(value or 0)
                if params.metric == "aov" and deals and amount is not None and amount == amount:
                    worth += f" (an average of **{float(amount) / deals:,.2f}** a deal)"
                summary = (f"{kit.stages_line(dataset, counted)}\n\n**{deals:,} {label}**{scope}{worth}"
                           + ("." if len(won) == len(counted) else "; they are not counted as sales." if not won else
                              f"; only those {' or '.join(won)} are sales (revenue), the others' is a pipeline value."))
        if tables and tables[0].rows:  # the largest row, whatever the table's order (periods are in time order)
            top = max(tables[0].rows, key=lambda r: r[1] if isinstance(r[1], (int, float)) else float("-inf"))
            summary += f"\n\n- The most by {tables[0].columns[0].replace('_', ' ')}: **{top[0]}** ({top[1]:,})." \
                if params.status != "win rate" else ""
        figure = None if value is None or value != value else int(value) if params.status != "win rate" \
            else round(float(value), 6)
        worth_row = [(value_word, round(float(head["amount"]), 2))] if counted and head["amount"] is not None \
            and head["amount"] == head["amount"] else []
        if worth_row and head["value"]:  # the average deal: "average deal size of open deals"
            worth_row.append((f"average per {'deal' if stages else 'line' if by_line else 'order'}",
                              round(float(head["amount"]) / float(head["value"]), 2)))
        headline = pd.DataFrame([(label, figure)] + worth_row + (extra_rows if "status" not in cols or refunded else []),
                                columns=["measure", "value"], dtype=object)
        return Answer(analysis=self.name, title=label.capitalize(), summary=summary,
                      tables=tables + [Table.from_frame("headline", headline, "Headline figures")], charts=charts,
                      provenance=Provenance(method="SQL counts of distinct orders over every line (transactions_all), "
                                                   "by the status column", rows_used=int(head["orders"] or 0)))

    @staticmethod
    def _refunds(dataset, params: OverviewParams, n: int, amount, scope: str) -> tuple[str, list]:
        """The narrative of "how many orders were refunded" (a status whose orders are refunds) and its
        headline rows: the orders refunded in full with the value refunded, and, said apart, the
        purchases partly refunded (still sales, net of their refund), with the refunded value in all:
        the same figures as the overview's "value refunded in full" and "refunds"."""
        others = {k: v for k, v in (params.filters or {}).items() if k != "status"}
        where, args = dataset.scope(others, params.start, params.end)
        part = dataset.query("SELECT count(DISTINCT t.order_id) AS orders, sum(t.refund) AS value FROM transactions_all t "
                             f"WHERE t.is_purchase AND NOT t.is_return AND t.refund > 0 AND {where}",
                             args).iloc[0].to_dict()
        full = float(amount) if amount is not None and amount == amount else 0.0
        p_n, p_value = int(part["orders"] or 0), float(part["value"] or 0)
        text = (f"**{n:,} order{'s' if n != 1 else ''} refunded in full**{scope}: refunded value **{full:,.2f}**; they are not counted as "
                "sales.")
        rows = [("orders partly refunded", p_n), ("value partly refunded", round(p_value, 2)),
                ("orders with a refund", n + p_n), ("refunded value in all", round(full + p_value, 2))]
        if p_n:
            text += (f" Besides, **{p_n:,} order{'s were' if p_n != 1 else ' was'} partly refunded** ({p_value:,.2f}): they stay sales, net of "
                     f"their refund. In all, {n + p_n:,} orders had a refund, worth {full + p_value:,.2f}.")
        else:
            text += " No other order was partly refunded."
        if any("a line's refund is at most its value" in note for src in dataset.sources
               if src.role == "transactions" for note in src.notes):
            text += (" The values are those of the items refunded; refunds of tax and shipping are left out, as they "
                     "are not sales here.")
        return text, rows

    @staticmethod
    def _cancellations(dataset, params: OverviewParams, head: dict, invoices: bool, where: str,
                       args: list) -> tuple[str, list]:
        """The narrative of "how many cancellations" on data without a status column, and its headline
        rows: the cancellation invoices ('C' + the number) with their lines and value, and the other
        return lines beside them, so the count agrees with the return lines the notes give; or, without
        such invoices, the return lines themselves (returns and cancellations cannot be told apart)."""
        n, lines, value = int(head["value"] or 0), int(head["lines"] or 0), -float(head["amount"] or 0)
        ret = dataset.query(f"SELECT count(*) AS lines, count(DISTINCT t.order_id) AS orders, -sum(t.amount) AS value "
                            f"FROM transactions_all t WHERE t.is_return AND {where}", args).iloc[0].to_dict()
        all_lines, all_value = int(ret["lines"] or 0), float(ret["value"] or 0)
        scope = filters_text(params.filters)
        if not all_lines and " ".join(where.split()) != "true":
            return f"**No cancelled orders**{scope}: no cancellation or return line matches.", []
        if not all_lines:
            return ("**No cancelled orders recorded**" + scope + ": the data has no order status column and no "
                    "cancellation lines (negative quantities or 'C' invoices), so cancellations cannot be told apart. "
                    "Map the column that holds the status (map status=COLUMN) if there is one."), []
        rows = [("cancelled lines", lines), ("cancelled value", round(value, 2))]
        if not invoices:
            return (f"**{n:,} orders with returns or cancellations**{scope}: {lines:,} return/cancellation lines "
                    f"(negative quantity or amount) worth {value:,.2f}. The data has no order status column, so "
                    "returns and cancellations are not told apart; they are not counted as sales."), rows
        text = (f"**{n:,} orders cancelled**{scope}: cancellation invoices (numbers starting with 'C'), {lines:,} lines "
                f"worth {value:,.2f}; they are not counted as sales.")
        other = all_lines - lines
        if other:
            text += (f" The other {other:,} of the {all_lines:,} return/cancellation lines are negative lines of "
                     f"ordinary invoices (returns or stock adjustments) worth {all_value - value:,.2f}.")
            rows += [("other return lines", other), ("other return value", round(all_value - value, 2))]
        return text, rows

    def _no_customer(self, dataset, params: OverviewParams, dims: dict, where: str, args: list) -> Answer:
        """"How much of our sales has no customer id": the purchase lines, orders and revenue without
        one, against all purchases (and per value of a breakdown asked). Such lines count in the
        shop-wide totals and are left out of every per-customer figure (``kit.known_customer``)."""
        import pandas as pd

        if "customer_id" not in dataset.columns("transactions"):
            raise DataError("the sales data has no customer id column, so no line can be told to have one or not: "
                            "map the column that holds it with --map customer_id=COLUMN.")
        anon = "t.customer_id IS NULL"
        measures = (f"count(*) FILTER (WHERE {anon}) AS lines_without, count(*) AS lines, "
                    f"count(DISTINCT t.order_id) FILTER (WHERE {anon}) AS orders_without, "
                    f"count(DISTINCT t.order_id) AS orders, sum(t.amount) FILTER (WHERE {anon}) AS revenue_without, "
                    "sum(t.amount) AS revenue")
        head = dataset.query(f"SELECT {measures} FROM transactions t WHERE {where}", args).iloc[0].to_dict()
        if not head["lines"]:
            raise DataError(f"no purchases match{filters_text(params.filters)}. Widen the period or the filters.")

        def num(x):
            return 0.0 if x is None or x != x else float(x)

        lines, without = int(head["lines"]), int(head["lines_without"] or 0)
        revenue, rev_without = num(head["revenue"]), num(head["revenue_without"])
        share = rev_without / revenue if revenue else None
        frame = pd.DataFrame([
            ("without a customer id", without, int(head["orders_without"] or 0), round(rev_without, 2)),
            ("with a customer id", lines - without, int(head["orders"]) - int(head["orders_without"] or 0),
             round(revenue - rev_without, 2)),
            ("all purchases", lines, int(head["orders"]), round(revenue, 2))],
            columns=["purchase lines", "lines", "orders", "revenue"])
        frame["share of revenue"] = (frame["revenue"] / revenue).round(6) if revenue else None
        tables = [Table.from_frame("no_customer", frame, "Purchases without a customer id")]
        for name, dim in dims.items():
            column = params.grain if dim.origin == "period" else dim.name
            by = dataset.query(f"""
                SELECT {dim.expr} AS {qi(column)}, count(*) FILTER (WHERE {anon}) AS "lines without",
                       sum(t.amount) FILTER (WHERE {anon}) AS "revenue without", sum(t.amount) AS revenue
                FROM transactions t {dim.join} WHERE {where} GROUP BY 1
                ORDER BY {'1' if dim.origin == 'period' else '3 DESC NULLS LAST, 1'}""", args)
            by["share without"] = (by["revenue without"].fillna(0) / by["revenue"]).round(6)
            by[["revenue without", "revenue"]] = by[["revenue without", "revenue"]].round(2)
            if dim.origin == "period":
                by[column] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start) for v in by[column]]
            tables.append(Table.from_frame(f"no_customer_by_{column}", by,
                                           f"Revenue without a customer id by {column.replace('_', ' ')}",
                                           max_rows=params.top if dim.origin != "period" else 400))
        if not without:
            summary = (f"**Every purchase line has a customer id**{filters_text(params.filters)} ({lines:,} lines, "
                       f"{int(head['orders']):,} orders).")
        else:
            summary = (f"**{without:,} of {lines:,} purchase lines ({pct(without / lines)}) have no customer id"
                       f"**{filters_text(params.filters)}: {int(head['orders_without'] or 0):,} orders worth "
                       f"{rev_without:,.2f}" + (f", **{pct(share)} of revenue** ({revenue:,.2f})" if share is not None
                                                else "") + ". They count in the shop-wide totals (revenue, orders) "
                       "and are left out of every per-customer figure (customers, top customers, RFM, CLV, repeat and "
                       "churn rates).")
        # the source notes say the same over the whole file: this answer says it once
        return Answer(analysis=self.name, title="Purchases without a customer id", summary=summary, tables=tables,
                      warnings=[w for d in dims.values() for w in d.warnings],
                      follow_ups=["top 10 customers by revenue", "revenue by country", "how many customers do we have"],
                      provenance=Provenance(method="SQL counts over the purchase lines (transactions view): lines "
                                                   "whose customer id is empty against all", rows_used=lines))

    def _many_orders(self, dataset, params: OverviewParams, where: str, args: list) -> Answer:
        """"How many accounts have more than one subscription", "customers with at least 3 orders":
        the customers with ``min_orders`` orders or more (distinct order ids: subscriptions on a
        subscriptions export) in the period and filters, of all who have one, and how many customers
        have each number of orders."""
        n = params.min_orders
        life = dataset.lifecycle()
        lines = any(s.role == "customers" and s.lines_of for s in dataset.sources)
        what = (life or {}).get("what") or ("subscriptions" if lines else "orders")
        who = "accounts" if lines else "customers"
        order = "t.order_id" if "order_id" in dataset.columns("transactions") else "t.order_date"
        cap = max(10, n)  # the last row of the table, "10+" (or "12+" where 12 or more were asked): counts at or over n
        per = dataset.query(f"""
            SELECT k, count(*) AS {qi(who)} FROM (SELECT least(count(DISTINCT {order}), {cap}) AS k FROM transactions t
            WHERE {where} AND t.customer_id IS NOT NULL GROUP BY t.customer_id) x GROUP BY k""", args)
        if per.empty:
            raise DataError(f"no {what} match{filters_text(params.filters)}.")
        frame = per.groupby("k", as_index=False)[who].sum().sort_values("k")
        total, hit = int(frame[who].sum()), int(frame.loc[frame["k"] >= n, who].sum())
        counts = dataset.rows(f"SELECT sum(k), median(k) FROM (SELECT count(DISTINCT {order}) AS k FROM transactions t "
                              f"WHERE {where} AND t.customer_id IS NOT NULL GROUP BY t.customer_id) x", args)[0]
        frame[f"{what} each"] = [f"{int(k)}+" if k == cap else str(int(k)) for k in frame["k"]]
        frame = frame[[f"{what} each", who]].reset_index(drop=True)
        frame[f"share of {who}"] = (frame[who] / total).round(6)
        said = "more than one" if n == 2 else f"more than {n - 1}" if n > 1 else "at least one"
        one = what[:-1] if n - 1 == 1 else what
        when = period_said(params.start, params.end)
        summary = (f"**{hit:,} of {total:,} {who} ({pct(hit / total)}) have {said} {one if n == 2 else what}**{when}"
                   f"{filters_text(params.filters)} ({n} or more), counted as distinct "
                   f"{'ids of ' + what if order == 't.order_id' else 'order days'}: {int(counts[0] or 0):,} {what} in "
                   f"all, a median of {float(counts[1] or 0):g} per {who[:-1]}.")
        table = Table.from_frame(f"{who}_by_{what}", frame, f"{who.capitalize()} by number of {what}", max_rows=20)
        return Answer(analysis=self.name, title=f"{who.capitalize()} with {n} or more {what}", summary=summary,
                      tables=[table], charts=[Chart(kind="bar", title=table.title, table=table.name,
                                                    x=f"{what} each", y=[who])],
                      provenance=Provenance(method=f"distinct {what} per {who[:-1]} in SQL over the sales lines",
                                            rows_used=total))

    def _value_spread(self, dataset, params: OverviewParams, dims: dict, where: str, args: list) -> Answer:
        """"Median order value", "what was our biggest order", "the 10 smallest deals", "median spend per
        customer", "median order value by country": how the orders' values (``metric=aov``), or the
        customers' revenue (``metric=revenue``), spread: the median beside the mean and the middle half, and
        the largest (``stat=max``) or smallest (``min``) of them listed; by a breakdown, the statistic per
        group. An average alone hid the spread (and "median order value" was answered with the mean)."""
        import pandas as pd

        by_order = params.metric == "aov" or params.spent_by == "order"
        lacking = kit.no_amount(dataset, METRIC_LABEL[params.metric])
        if lacking:
            raise DataError(lacking)
        unit = ("deals" if kit.deal_stages(dataset) else "orders") if by_order else "customers"
        if unit in kit.uncounted(dataset):
            raise DataError(f"the sales have no {'order' if by_order else 'customer'} id, so no "
                            f"{unit[:-1]}'s value can be told: map one with --map "
                            f"{'order_id' if by_order else 'customer_id'}=COLUMN.")
        key = "t.order_id" if by_order else "t.customer_id"
        dim = next(iter(dims.values()), None)
        group = f", {dim.expr} AS grp" if dim else ""
        named = kit.customer_name(dataset)
        values = f"""SELECT {key} AS k{group}, sum(t.amount) AS value, CAST(min(t.order_date) AS DATE) AS first_day,
                            CAST(max(t.order_date) AS DATE) AS last_day, any_value(t.customer_id) AS customer,
                            {named[0] if named else 'NULL'} AS name,
                            {'count(*) AS lines' if by_order else 'count(DISTINCT t.order_id) AS orders'}
                     FROM transactions t {dim.join if dim else ''} {named[1] if named else ''}
                     WHERE {where} AND {key} IS NOT NULL AND t.amount IS NOT NULL
                     GROUP BY {key}{', grp' if dim else ''}"""
        spread = """count(*) AS n, avg(value) AS mean, median(value) AS median, quantile_cont(value, 0.25) AS p25,
                    quantile_cont(value, 0.75) AS p75, quantile_cont(value, 0.9) AS p90, min(value) AS least,
                    max(value) AS most"""
        head = dataset.query(f"WITH v AS ({values}) SELECT {spread} FROM v", args).iloc[0]
        n = int(head["n"] or 0)
        if not n:
            raise DataError(f"no purchases match{filters_text(params.filters)}{period_said(params.start, params.end)}.")
        one, worth = unit[:-1], "is worth" if by_order else "spent"
        scope = f"{period_said(params.start, params.end)}{filters_text(params.filters)}"
        mean, median = float(head["mean"]), float(head["median"])
        lean = ("; the mean is higher: a few large ones pull it up" if mean > median * 1.1 else
                "; the mean is lower: a few small ones pull it down" if mean < median * 0.9 else "")
        middle = (f"Half the {n:,} {unit} {'are worth' if by_order else 'spent'} between {float(head['p25']):,.2f} "
                  f"and {float(head['p75']):,.2f}.")
        lowest = params.stat == "min" or params.bottom
        listed = dataset.query(f"""WITH v AS ({values}) SELECT k, customer, name, first_day, last_day,
                                   {'lines' if by_order else 'orders'}, value
                                   FROM v ORDER BY value {'ASC' if lowest else 'DESC'}, k LIMIT {int(params.top)}""",
                               args)
        ends = listed.iloc[0]

        def which(row) -> str:
            who = f"{row['name']} ({row['customer']})" if row["name"] is not None and row["name"] == row["name"] \
                else str(row["customer"])
            return (f"{one} {row['k']}, customer {who}, on {kit.as_date(row['first_day'])}" if by_order else
                    f"{who}, {kit.as_date(row['first_day'])} to {kit.as_date(row['last_day'])}")

        if params.stat in ("max", "min"):
            word = ("smallest" if lowest else "largest") if by_order else ("least" if lowest else "most")
            lead = (f"**The {word} {one}{scope} {worth} {float(ends['value']):,.2f}** ({which(ends)}); "
                    if by_order else f"**The customer who spent the {word}{scope} spent {float(ends['value']):,.2f}** "
                    f"({which(ends)}); ")
            summary = (f"{lead}the median {one} {worth} {median:,.2f} and the mean {mean:,.2f}, of {n:,} {unit}. "
                       f"{middle}")
        else:
            summary = (f"**The median {one}{scope} {worth} {median:,.2f}**, the mean {mean:,.2f}{lean}. {middle} "
                       f"The {'largest' if by_order else 'most'}: {float(head['most']):,.2f}; the "
                       f"{'smallest' if by_order else 'least'}: {float(head['least']):,.2f}.")
        title = f"{one.capitalize()} values" if by_order else "Customers' revenue"
        rows = [(unit, n), ("mean", round(mean, 2)), ("median", round(median, 2)),
                ("25th percentile", round(float(head["p25"]), 2)), ("75th percentile", round(float(head["p75"]), 2)),
                ("90th percentile", round(float(head["p90"]), 2)), ("smallest", round(float(head["least"]), 2)),
                ("largest", round(float(head["most"]), 2))]
        tables = [Table.from_frame("spread", pd.DataFrame(rows, columns=["measure", "value"], dtype=object),
                                   f"{title}{scope}")]
        if dim:
            stat = {"max": "most", "min": "least"}.get(params.stat, params.stat)
            frame = dataset.query(f"WITH v AS ({values}) SELECT grp AS {qi(dim.column)}, {spread} FROM v GROUP BY grp "
                                  f"ORDER BY {stat} {'ASC' if params.bottom else 'DESC'} NULLS LAST", args)
            frame = frame.rename(columns={"n": unit, "least": "smallest", "most": "largest", "p25": "25th percentile",
                                          "p75": "75th percentile", "p90": "90th percentile"})
            for c in frame.columns[2:]:
                frame[c] = frame[c].astype(float).round(2)
            if dim.name == "period":
                frame = frame.sort_values(dim.column).reset_index(drop=True)
                frame[dim.column] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start)
                                     for v in frame[dim.column]]
            stat_label = {"max": "largest", "min": "smallest"}.get(params.stat, params.stat)
            ranked = frame.sort_values(stat_label, ascending=bool(params.bottom)).reset_index(drop=True)
            top = ranked.iloc[0]
            beside = "" if stat_label == "median" else f", median {float(top['median']):,.2f}"
            summary = (f"**By {dim.name.replace('_', ' ')}, the {stat_label} {one} {worth} "
                       f"{'least' if params.bottom else 'most'} for {top[dim.column]}: {float(top[stat_label]):,.2f}** "
                       f"({int(top[unit]):,} {unit}{beside}).\n\nOverall: {summary}")
            tables.insert(0, Table.from_frame(f"{unit}_by_{dim.name}", frame.head(max(params.top, 10)),
                                              f"{stat_label.capitalize()} {one} value by {dim.name.replace('_', ' ')}"))
        listed = listed.drop(columns="last_day" if by_order else "k").rename(columns={
            "k": one, "first_day": "date" if by_order else "first purchase", "last_day": "last purchase"})
        if named is None or listed["name"].isna().all():
            listed = listed.drop(columns="name")
        listed["value"] = listed["value"].astype(float).round(2)
        tables.append(Table.from_frame(f"{'smallest' if lowest else 'largest'}_{unit}", listed,
                                       f"The {len(listed)} {'smallest' if lowest else 'largest'} {unit}{scope}"))
        warnings = []
        if by_order and "order_id" not in dataset.columns("transactions"):
            warnings.append("no order id column: an order here is the lines of one customer on one day")
        return Answer(analysis=self.name, title=tables[0].title, summary=summary, tables=tables, warnings=warnings,
                      follow_ups=["average order value by month", "top 10 customers", "revenue by country"],
                      provenance=Provenance(method=f"each {one}'s revenue summed in SQL over its purchase lines in "
                                            f"scope; median and percentiles over the {unit}", rows_used=n))

    def _spent(self, dataset, params: OverviewParams, where: str, args: list) -> Answer:
        """"How many customers spent more than 2000 in total", "how many transactions were over 90 dollars":
        the customers whose revenue in the period and filters compares so with the amount (``spent``), or the
        orders whose value does (``spent_by=order``), of all of them, and the revenue they bring."""
        import pandas as pd

        op, amount = re.fullmatch(r"(>=|<=|>|<) ?(\d+(?:\.\d+)?)", params.spent).groups()
        lacking = kit.no_amount(dataset, "revenue")
        if lacking:
            raise DataError(lacking)
        by_order = params.spent_by == "order"
        if by_order and "order_id" not in dataset.columns("transactions"):
            raise DataError("the sales have no order id, so no order's value can be told: map one with --map "
                            "order_id=COLUMN.")
        key, who = ("t.order_id", "orders") if by_order else ("t.customer_id", "customers")
        row = dataset.query(f"""
            WITH v AS (SELECT {key} AS k, sum(t.amount) AS value FROM transactions t
                       WHERE {where} AND {key} IS NOT NULL GROUP BY 1)
            SELECT count(*) AS n, count(*) FILTER (WHERE value {op} ?) AS hit, sum(value) AS total,
                   sum(value) FILTER (WHERE value {op} ?) AS hit_value, median(value) AS median, max(value) AS most
            FROM v""", [*args, float(amount), float(amount)]).iloc[0]
        n, hit = int(row["n"] or 0), int(row["hit"] or 0)
        if not n:
            raise DataError(f"no purchases match{filters_text(params.filters)}{period_said(params.start, params.end)}.")
        said = {">": "more than", ">=": "at least", "<": "less than", "<=": "at most"}[op]
        money = f"{float(amount):,.2f}".rstrip("0").rstrip(".")
        when = period_said(params.start, params.end)
        total, value = float(row["total"] or 0), float(row["hit_value"] or 0)
        verb = "are worth" if by_order else "spent"
        summary = (f"**{hit:,} of {n:,} {who} ({pct(hit / n)}) {verb} {said} {money}**{' in total' if not by_order else ''}"
                   f"{when}{filters_text(params.filters)}: {value:,.2f} of the {total:,.2f} of revenue "
                   f"({pct(value / total) if total else 'n/a'}). The median {who[:-1]} "
                   f"{'is worth' if by_order else 'spent'} {float(row['median'] or 0):,.2f}; the most, "
                   f"{float(row['most'] or 0):,.2f}.")
        rows = [(f"{who} {verb.split()[-1]} {said} {money}", hit), (f"all {who}", n), (f"share of {who}", hit / n),
                (f"their revenue", round(value, 2)), ("share of revenue", round(value / total, 6) if total else None),
                (f"median per {who[:-1]}", round(float(row["median"] or 0), 2))]
        table = Table.from_frame("headline", pd.DataFrame(rows, columns=["measure", "value"], dtype=object),
                                 f"{who.capitalize()} {'worth' if by_order else 'who spent'} {said} {money}")
        tables = [table]
        if hit:  # "which customers spent more than 1000": those customers (or orders), the largest first
            listed = dataset.query(f"""
                SELECT {key} AS {qi(who[:-1])}, round(sum(t.amount), 2) AS revenue, count(DISTINCT t.order_id) AS orders
                FROM transactions t WHERE {where} AND {key} IS NOT NULL GROUP BY 1 HAVING sum(t.amount) {op} ?
                ORDER BY 2 DESC, 1 LIMIT {int(params.top)}""", [*args, float(amount)])
            tables.append(Table.from_frame(f"{who}_listed", listed, f"The {len(listed)} {who} who spent the most, "
                                           f"of the {hit:,} over {money}" if hit > len(listed) else table.title))
        warnings = []
        if by_order and not any(s.role == "transactions" and "order_id" in dataset.mapping_of(s)
                                for s in dataset.sources):
            warnings.append("no order id column: an order here is the lines of one customer on one day or time")
        return Answer(analysis=self.name, title=table.title, summary=summary, tables=tables, warnings=warnings,
                      follow_ups=["top 10 customers", "average order value by month", "revenue by country"],
                      provenance=Provenance(method=f"revenue per {who[:-1]} in SQL over the purchase lines in scope, "
                                                   f"compared with {money}", rows_used=n))

    def _new_customers(self, dataset, params: OverviewParams, where: str, args: list) -> Answer:
        """New vs returning customers (``kit.NEW_CUSTOMER``): in each period of the grain (or over
        the period asked), the customers who bought, split by whether it held their first purchase."""
        first = kit.first_purchase_sql(dataset)
        by_period = "period" in params.by
        grain = params.grain
        if by_period:
            period = kit.period_sql(dataset, "t.order_date", grain)
            first_in = f"{kit.period_sql(dataset, 'f.first_order', grain)} = {period}"
            head_args = list(args)
        else:  # over the period asked (all dates: everyone is new): new = first purchase inside it
            period, first_in = "NULL", "f.first_order >= CAST(? AS DATE)"
            head_args = [params.start or dt.date.min] * 2 + list(args)
        frame = dataset.query(f"""
            SELECT {period} AS period,
                   count(DISTINCT t.customer_id) FILTER (WHERE {first_in}) AS new,
                   count(DISTINCT t.customer_id) FILTER (WHERE NOT ({first_in})) AS returning
            FROM transactions t JOIN ({first}) f ON f.customer_id = t.customer_id
            WHERE {where} GROUP BY 1 ORDER BY 1""", head_args)
        if frame.empty:
            raise DataError(f"no purchases match{filters_text(params.filters)}.")
        if not by_period:
            frame["period"] = [period_label(params.start, params.end) if params.start else "all dates"]
        new, returning = int(frame["new"].sum()), int(frame["returning"].sum())
        if by_period:
            frame["period"] = [period_value(v, grain, dataset.definitions.fiscal_year_start) for v in frame["period"]]
            frame = frame.rename(columns={"period": grain})
        table = Table.from_frame(f"new_vs_returning{'_by_' + grain if by_period else ''}", frame,
                                 f"New and returning customers{' by ' + grain if by_period else ''}", max_rows=400)
        when = f" {period_label(params.start, params.end)}" if params.start else ""
        summary = (f"**{new:,} new customers**{when}{filters_text(params.filters)}"
                   + (f" and {returning:,} returning" if params.start or by_period else "")
                   + (" (customer-periods)" if by_period else "") + f".\n\n{kit.NEW_CUSTOMER}")
        return Answer(analysis=self.name, title="New and returning customers", summary=summary, tables=[table],
                      charts=[Chart(kind="bar", title=table.title, table=table.name, x=table.columns[0],
                                    y=["new", "returning"])],
                      provenance=Provenance(method="customers who bought in each period, by whether their first "
                                                   "purchase ever falls in it (kit.first_purchase_sql)",
                                            rows_used=new + returning))

    #: the load checks' notes about repeats (Dataset: ids on several rows, copies under two ids,
    #: e-mails spelt two ways, exact duplicate lines, ids in two customers sources)
    DUPLICATE_NOTES = (r"appear on more than one row", r"same as another row in every column but the id",
                       r"written in more than one way", r"exact duplicate line", r"also in another customers source")

    def _duplicates(self, dataset) -> Answer:
        """"Are there duplicate customers?": what the load checks found repeated, source by source,
        and how each is counted, in plain words; the checks that found nothing said too."""
        import pandas as pd

        dataset.check()
        for src in dataset.sources:  # exact duplicate lines are counted with the first question: count them now
            if src.role == "transactions" and src.duplicate_lines is None:
                dataset._duplicate_lines(src)
        rows, clean = [], []
        for src in dataset.sources:
            if src.role not in ("transactions", "customers"):
                continue
            found = [w for w in src.warnings if any(re.search(k, w) for k in self.DUPLICATE_NOTES)]
            rows += [(src.name, w) for w in found]
            if src.role == "customers" and not src.lines_of and not src.duplicate_ids:
                clean.append(f"{src.name}: every customer id is on one row")
            if src.role == "customers" and src.alike_but_id:
                clean.append(f"{src.name}: {ALIKE_BUT_ID.format(n=src.alike_but_id)}")
            if src.role == "transactions" and not src.duplicate_lines:
                clean.append(f"{src.name}: no line is repeated exactly")
            if src.role == "customers" and src.lines_of:
                clean.append(f"{src.name}: one row per account by construction (made from the lines of "
                             f"{src.lines_of}, where an account is on many rows on purpose)")
        if rows:
            summary = (f"**Yes: the load checks found {len(rows)} kind{'s' if len(rows) != 1 else ''} of repeat** "
                       f"in {len({r[0] for r in rows})} source{'s' if len({r[0] for r in rows}) != 1 else ''}:\n\n"
                       + "\n".join(f"- {name}: {note}" for name, note in rows))
        else:
            summary = "**No duplicates found by the load checks.**"
        if clean:
            summary += "\n\nChecked and clean: " + "; ".join(clean) + "."
        frame = pd.DataFrame(rows or [("(all)", "no duplicates found")], columns=["source", "finding"])
        return Answer(analysis=self.name, title="Duplicates in the data", summary=summary,
                      tables=[Table.from_frame("duplicates", frame, "What the load checks found repeated",
                                               max_rows=len(frame))],
                      provenance=Provenance(method="the load checks of each source (ids per row, rows equal but the id, "
                                                   "e-mail spellings, exact duplicate lines)",
                                            rows_used=sum(int(s.rows or 0) for s in dataset.sources
                                                          if isinstance(getattr(s, "rows", None), int))))

    @staticmethod
    def _mixed_by(dataset, params: OverviewParams) -> list[str]:
        """"Average seats by plan tier" on subscriptions: the breakdown columns of the lines whose value
        differs between one account's subscriptions (an account holds Basic and Pro ones), so that
        an account put under one of them (its latest) would carry the others' seats. Such a
        summary of a lines column is taken over the subscriptions (``_line_stat``). [] otherwise."""
        if not (params.measure and params.stat in ("mean", "median", "sum", "min", "max") and params.by
                and not params.compare and dataset.has("transactions")
                and any(s.role == "customers" and s.lines_of for s in dataset.sources)):
            return []
        cols = dataset.columns("transactions")
        if params.measure not in cols or not all(b in cols and b not in ("customer_id", "order_id") for b in params.by):
            return []
        mixed = [b for b in params.by if dataset.rows(
            f"SELECT count(*) FROM (SELECT customer_id FROM transactions GROUP BY 1 "
            f"HAVING count(DISTINCT {qi(b)}) > 1) x")[0][0]]
        return list(params.by) if mixed else []

    def _line_stat(self, dataset, params: OverviewParams, by: list[str]) -> Answer:
        """A lines column summarised per value of columns that vary within an account ("average seats
        by plan tier"): over the subscriptions active on the data's last day where they have an end
        date (trials out, ``kit.active_sql``), else over every line in the period; said so, with why
        not over the accounts."""
        import pandas as pd

        life = dataset.lifecycle()
        what = (life or {}).get("what") or "lines"
        where, args = dataset.scope(params.filters, params.start, params.end)
        notes = []
        if life is not None:
            day = kit.as_date(dataset.last_order_date())
            clause, n = kit.active_sql(life)
            where, args = f"{where} AND {clause}", [*args, *[day] * n]
            notes.append(kit.active_note(life, day))
            whose = f"the {what} active on {day.isoformat()}"
        else:
            whose = f"the {what}"
        lines = "transactions t"
        if life is None and params.measure in kit.per_order_columns(dataset):
            # an order's shipping or total written on each of its lines: one value per order, once
            lines = (f"(SELECT * EXCLUDE (line_of_order) FROM (SELECT t.*, row_number() OVER (PARTITION BY t.order_id) "
                     f"AS line_of_order FROM transactions t WHERE {where}) WHERE line_of_order = 1) t")
            where, what, whose = "true", "orders", "the orders"
            notes.append(f"{params.measure} is the order's figure, repeated on each of its lines: taken once per order")
        m, stat = qi(params.measure), params.stat
        agg = {"mean": f"avg(t.{m})", "median": f"median(t.{m})", "sum": f"sum(t.{m})", "min": f"min(t.{m})",
               "max": f"max(t.{m})"}[stat]
        label = f"{'average' if stat == 'mean' else 'total' if stat == 'sum' else stat} {params.measure.replace('_', ' ')}"
        # accounts holding several lines (subscriptions) are said as such; plain sales lines are only lines
        accounts = any(s.role == "customers" and s.lines_of for s in dataset.sources) or life is not None
        dims = {b: kit.dimension(dataset, b, params.grain) for b in by}
        joined = " ".join(dict.fromkeys(d.join for d in dims.values() if d.join))
        notes += [w for d in dims.values() for w in d.warnings if w not in notes]
        frame = pd.DataFrame() if not by else dataset.query(f"""
            SELECT {', '.join(f"{d.expr} AS {qi(b)}" for b, d in dims.items())},
                   count(*) AS {qi(what)}, count(DISTINCT t.customer_id) AS accounts, round({agg}, 2) AS {qi(label)}
            FROM {lines} {joined} WHERE {where} GROUP BY {', '.join(str(i) for i in range(1, len(by) + 1))}
            ORDER BY {qi(label)} DESC NULLS LAST""", args)
        if "period" in dims and not frame.empty:  # a period in time order, as every breakdown by period is
            frame = frame.sort_values("period").reset_index(drop=True)
            frame["period"] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start)
                               for v in frame["period"]]
        if not accounts and not frame.empty:
            frame = frame.drop(columns="accounts") if "customer_id" not in dataset.columns("transactions") else \
                frame.rename(columns={"accounts": "customers"})
        total = dataset.query(f"SELECT count(*) AS n, count(DISTINCT t.customer_id) AS accounts, round({agg}, 2) AS v "
                              f"FROM {lines} WHERE {where}", args).iloc[0]
        if not int(total["n"]):
            raise DataError(f"no {what} match{filters_text(params.filters)}.")
        if len(frame) > params.top and "period" not in dims:  # every period of a time series
            frame = frame.head(params.top)
        said = " and ".join(b.replace("_", " ") for b in by)
        if by and accounts:
            notes.append(f"{kit.ACCOUNT_RULE}: not used, read over {whose} (one account holds {what} of several "
                         f"{said} values, so an account under one of them would carry the others' {params.measure})")
        whom = f" of {int(total['accounts']):,} accounts" if accounts else \
            f" of {int(total['accounts']):,} customers" if "customer_id" in dataset.columns("transactions") else ""
        summary = (f"**The {label} of {whose} is {float(total['v'] or 0):,.2f}**{filters_text(params.filters)} "
                   f"({int(total['n']):,} {what}{whom}).")
        if len(frame) > 1 and frame[label].notna().any():
            hi, lo = frame.loc[frame[label].idxmax()], frame.loc[frame[label].idxmin()]  # periods are in time order
            name = lambda r: " / ".join(str(r[b]) for b in by)  # noqa: E731
            summary += (f"\n\n- By {said}: highest for **{name(hi)}** ({float(hi[label]):,.2f}, {int(hi[what]):,} "
                        f"{what}), lowest for **{name(lo)}** ({float(lo[label]):,.2f}, {int(lo[what]):,} {what}).")
        if by and accounts:
            summary += f"\n\nRead over {whose}: one account holds {what} of several {said} values."
        heads = [(what, int(total["n"]))] + ([("accounts", int(total["accounts"]))] if accounts else
                                             [("customers", int(total["accounts"]))] if whom else [])
        headline = pd.DataFrame(heads + [(label, float(total["v"] or 0))], columns=["measure", "value"], dtype=object)
        head = Table.from_frame("headline", headline, "Headline figures")
        if not by:
            return Answer(analysis=self.name, title=f"{label[0].upper()}{label[1:]} of {whose}", summary=summary,
                          tables=[head], warnings=notes,
                          provenance=Provenance(method=f"SQL over {whose} ({stat} of {params.measure})",
                                                rows_used=int(total["n"])))
        table = Table.from_frame(f"{params.measure}_by_{'_'.join(by)}", frame,
                                 f"{label[0].upper()}{label[1:]} of {whose} by {said}", max_rows=400)
        return Answer(analysis=self.name, title=f"{label[0].upper()}{label[1:]} by {said}", summary=summary,
                      tables=[table, head],
                      charts=[Chart(kind="bar", title=table.title, table=table.name, x=by[0], y=[label])],
                      warnings=notes,
                      provenance=Provenance(method=f"SQL over {whose} ({stat} of {params.measure} per group)",
                                            rows_used=int(total["n"])))

    def _line_share(self, dataset, params: OverviewParams, where: str, args: list) -> Answer:
        """"What share of orders used a discount code", "% of subscriptions with auto renew on": the
        orders counted by ``measure`` (an order counts when any of its lines does: ``kit.share_value``)
        of those with it known, and the revenue they bring of the whole; then the column's values
        (its top ones by the metric) for the breakdown."""
        import pandas as pd

        measure, filled = params.measure, params.stat == "filled"
        if params.compare:
            raise DataError(f"a share of the orders by {measure} is one figure: ask for it without a comparison, "
                            f"or for each period in turn.")
        value = kit.share_value(measure, params.values, filled, alias="t")
        # of the customers, when their table has no such column: a customer counts when any of their lines does
        key = "customer_id" if params.unit == "customers" else "order_id"
        view, _ = self._lines(params, where)
        row = dataset.query(f"""
            WITH o AS (SELECT t.{key}, max({value}) AS hit, sum(t.amount) AS revenue
                       FROM {view} t WHERE {where}{" AND t.customer_id IS NOT NULL" if key == "customer_id" else ""}
                       GROUP BY 1)
            SELECT count(*) AS orders, count(hit) AS known, count(*) FILTER (WHERE hit = 1) AS hits,
                   sum(revenue) FILTER (WHERE hit IS NOT NULL) AS revenue,
                   sum(revenue) FILTER (WHERE hit = 1) AS hit_revenue FROM o""", args).iloc[0].to_dict()
        if not row["orders"]:
            raise DataError(f"no purchases match{filters_text(params.filters)}. Widen the period or the filters.")
        if not row["known"]:
            raise DataError(f"cannot take the share of yes of {measure!r}: it holds no yes/no or 0/1 values"
                            f"{filters_text(params.filters)}. Ask for orders by {measure} instead.")
        what = "customers" if key == "customer_id" else (dataset.lifecycle() or {}).get("what") or "orders"
        label = kit.share_label(measure, params.values, filled)
        said = (f"a {measure.replace('_', ' ')}" if filled else f"{measure} = {', '.join(params.values)}"
                if params.values else f"{measure} = yes")
        n, k, hits = int(row["orders"]), int(row["known"]), int(row["hits"])
        # a sum over lines without an amount is NaN (truthy): no revenue to say, never "nan of nan revenue"
        revenue, hit_revenue = (0.0 if row[c] is None or row[c] != row[c] else float(row[c]) for c in ("revenue", "hit_revenue"))
        by_orders = f"**{hits:,} of {k:,} {what} ({pct(hits / k)})** have {said}{filters_text(params.filters)}"
        by_revenue = (f"**{hit_revenue:,.2f} of {revenue:,.2f} revenue ({pct(hit_revenue / revenue)})**" if revenue
                      else None)
        if params.metric == "revenue" and by_revenue and params.values:
            lead = f"{by_revenue} comes from {what} with {said}{filters_text(params.filters)} ({hits:,} of {k:,} {what})."
        else:
            lead = by_orders + (f"; they bring {by_revenue.replace('**', '')}." if by_revenue else ".")
        if view == "transactions_all":
            lead += f" Counted over every {what[:-1] if what.endswith('s') else what} of the data, not only the purchases."
        if k < n:
            lead += f" {n - k:,} of the {what} {'has' if n - k == 1 else 'have'} no {measure} and {'is' if n - k == 1 else 'are'} left out."
        headline = pd.DataFrame([(what, k), (f"{what} with {said}", hits), (f"share of {what}", round(hits / k, 6)),
                                 *([("revenue", round(revenue, 2)), (f"revenue with {said}", round(hit_revenue, 2)),
                                    ("share of revenue", round(hit_revenue / revenue, 6))] if revenue else [])],
                                columns=["measure", "value"], dtype=object)
        grouped = params.model_copy(update={"metric": "revenue" if params.metric == "revenue" else
                                            "customers" if key == "customer_id" else "orders"})
        table, _ = self._group(dataset, grouped, dimension(dataset, measure, params.grain), where, args)
        tables = [Table.from_frame("headline", headline, "Headline figures"), table]
        for name in params.by:  # "... and how many upgraded": the share in each group of the breakdown
            dim = dimension(dataset, name, params.grain)
            frame = dataset.query(f"""
                WITH o AS (SELECT {dim.expr} AS {qi(name)}, t.{key}, max({value}) AS hit
                           FROM {view} t {dim.join} WHERE {where} GROUP BY 1, 2)
                SELECT {qi(name)}, count(*) AS {qi(what)}, count(*) FILTER (WHERE hit = 1) AS {qi(f"with {said}")},
                       round(avg(hit), 6) AS {qi(label)}
                FROM o GROUP BY 1 ORDER BY {"1" if dim.origin == "period" else "2 DESC, 1"}""", args)
            if dim.origin == "period":
                frame[name] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start) for v in frame[name]]
            tables.insert(1 + params.by.index(name), Table.from_frame(f"by_{name}", frame, f"{label[0].upper()}{label[1:]} "
                                                                     f"by {name.replace('_', ' ')}", max_rows=400))
            lead += f"\n\n- By {name.replace('_', ' ')}: " + ", ".join(
                f"**{r[0]}** {r[1]:,} {what}, {pct(r[3])} with {said}" for r in frame.head(4).itertuples(index=False)
                if r[3] == r[3]) + "."
        count = "customers" if key == "customer_id" and "customers" in table.columns else "orders"
        top = [r for r in table.rows if r[0] is not None and r[0] == r[0] and r[0] not in ("", "(blank)")][:3]  # blank: said above
        if top and not params.values:
            lead += "\n\n- By " + measure.replace("_", " ") + ": " + ", ".join(
                f"**{r[0] if r[0] is not None else '(blank)'}** {r[table.columns.index(count)]:,} {what}"
                for r in top) + (f", of {table.total_rows - (len(top) < len(table.rows[:3])):,} values."
                                 if table.total_rows > 3 else ".")
        return Answer(analysis=self.name, title=label[0].upper() + label[1:] + f" of the {what}", summary=lead,
                      tables=tables,
                      charts=[Chart(kind="bar", title=table.title, table=table.name, x=table.columns[0],
                                    y=[table.columns[1]])],
                      provenance=Provenance(method=f"SQL over the sales lines: {'a customer' if key == 'customer_id' else 'an order'} "
                                                   f"counts when any of {'their' if key == 'customer_id' else 'its'} lines has "
                                                   f"{said}", rows_used=n))

    def _compare(self, dataset, params: OverviewParams, dims: dict) -> Answer:
        """Two periods side by side ("Q3 2024 vs Q3 2025"): the headline measures of each and the
        change (absolute and %, the later period against the earlier), and each breakdown asked for
        with both periods' values and the change."""
        import pandas as pd

        labels = [period_label(a, b) for a, b in params.compare]
        # a later period the data ends inside ("this year" to 14 August) is set against as many days
        # of the earlier one (kit.like_for_like), and the answer says so
        last = dataset.last_order_date()
        periods, cut = kit.like_for_like(params.compare, last, dataset.first_order_date())
        heads, scopes = [], []
        for a, b in periods:
            where, args = dataset.scope(params.filters, a, b)
            scopes.append((where, args))
            heads.append(dataset.query(f"""
                SELECT count(DISTINCT t.customer_id) AS customers, count(DISTINCT t.order_id) AS orders,
                       sum(t.amount) AS revenue, sum(t.quantity) AS units,
                       {METRIC_SQL["aov"]} AS "average order value",
                       count(*) AS lines
                FROM transactions t WHERE {where}""", args).iloc[0].to_dict())
            for what in kit.uncounted(dataset):  # no column to count: blank, not 0
                heads[-1].update({what: None} | ({"average order value": None} if what == "orders" else {}))
        empty = [label for label, h in zip(labels, heads) if not h["lines"]]
        if len(empty) == 2:
            raise DataError(f"no purchases match {labels[0]} or {labels[1]}{filters_text(params.filters)}: "
                            "the data covers other dates.")

        def change(before, after):
            if before is None or after is None or before != before or after != after:
                return None, None
            return after - before, (after - before) / before if before else None

        measures = ["revenue", "orders", "customers", "units", "average order value"]
        nets = [dataset.query(kit.net_revenue_sql(None, where), [*args, *args]).iloc[0] for where, args in scopes]
        if any(float(n["returned"] or 0) for n in nets) and params.metric == "revenue":
            # returns (refunds, credit notes) in either period: what came back and the revenue net of it, beside the
            # sales (revenue as every answer counts it), so neither period's change hides them
            measures[1:1] = ["returned", "net revenue"]
            for head, n in zip(heads, nets):
                head["returned"], head["net revenue"] = float(n["returned"] or 0), float(n["net_revenue"] or 0)
        if params.metric == "refunds":  # "refunds this year vs last": what went back in each period
            measures.insert(1, "refunds")
            for head, (where, args) in zip(heads, scopes):
                head["refunds"] = dataset.scalar(f"SELECT coalesce({METRIC_SQL['refunds']}, 0) FROM transactions_all t "
                                                 f"WHERE {REFUND_LINE} AND {where}", args)
        rows = []
        for measure in measures:
            before, after = (heads[0][measure], heads[1][measure])
            diff, rel = change(before, after)
            rows.append((measure, before, after, diff, rel))
        frame = pd.DataFrame(rows, columns=["measure", labels[0], labels[1], "change", "change %"])
        for col in frame.columns[1:]:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").round(4 if col == "change %" else 2)
        tables = [Table.from_frame("comparison", frame, f"{labels[1]} against {labels[0]}")]
        charts = []
        label = METRIC_LABEL[params.metric]
        for dim in params.by:
            if dim == "period":
                continue
            parts = []
            for (where, args), name in zip(scopes, labels):
                table, _ = self._group(dataset, params.model_copy(update={"top": 10_000}), dims[dim], where, args)
                # the group and its figure by name: a customer's name column may stand between them
                value = label if label in table.frame.columns else table.frame.columns[1]
                parts.append(table.frame[[table.frame.columns[0], value]].rename(columns={value: name})
                             .set_index(table.frame.columns[0]))
            wide = pd.concat(parts, axis=1).fillna(0)
            wide["change"] = wide[labels[1]] - wide[labels[0]]
            wide["change %"] = (wide["change"] / wide[labels[0]].where(wide[labels[0]] != 0)).round(6)
            wide = wide.sort_values(labels[1], ascending=False).reset_index()
            # money to the cent, the change % (a fraction) to 4 places: rounded to 2 it read 38.0% for 37.7%
            table = Table.from_frame(f"compare_by_{dim}", wide.round({c: 2 for c in wide.columns if c != "change %"}),
                                     f"{label.capitalize()} by {dim.replace('_', ' ')}: {labels[1]} against {labels[0]}",
                                     max_rows=params.top)
            tables.append(table)
            charts.append(Chart(kind="bar", title=table.title, table=table.name, x=table.columns[0],
                                y=[labels[0], labels[1]]))
        metric_row = {"aov": "average order value", "quantity": "units"}.get(params.metric, params.metric)
        focus = next((r for r in rows if r[0] == metric_row), rows[0])  # a measure not compared: revenue
        summary = render("overview_compare.md.j2", labels=labels, focus=focus, rows=rows, empty=empty,
                         filters=filters_text(params.filters))
        if cut:
            summary = f"{summary.rstrip()}\n\nLike with like: {cut} (the data ends on {kit.as_date(last)})."
        return Answer(analysis=self.name, title=f"{labels[1]} against {labels[0]}", summary=summary, tables=tables,
                      charts=charts, follow_ups=["by country", "by product", "by channel"],
                      warnings=[f"{kit.LIKE_FOR_LIKE}: {cut}"] if cut else [],
                      provenance=Provenance(method="the same SQL aggregation over the transactions view for each "
                                                   "period (purchases only); change = later period minus earlier",
                                            rows_used=int(heads[0]["lines"] + heads[1]["lines"])))

    def _margin(self, dataset, params: OverviewParams, dims: dict, where: str, args: list) -> Answer:
        """Gross profit as the metric ("profit per month this year", "GM% by category", "total profit
        2025 vs 2024"): net revenue, cost of goods, gross profit and margin (``kit.gross_profit_sql``:
        the profitability's figures for the same lines) in total and per value of each breakdown asked
        (the period by ``grain`` when none is), or two periods side by side with the change. Cost to
        serve belongs to customers, not lines: the profitability analysis counts it."""
        import pandas as pd

        lacking = kit.no_amount(dataset, "gross profit") or kit.no_cost(dataset, "gross profit")
        if lacking:
            raise DataError(lacking)
        names = {"net_revenue": "net revenue", "cost_of_goods": "cost of goods", "profit": "gross profit",
                 "margin": "margin"}
        measure = {**names, "margin": "margin %"}  # a row of a table of measures: its values (and change) in %

        def head(where_p: str, args_p: list) -> dict:
            return dataset.query(kit.gross_profit_sql(None, where_p), [*args_p, *args_p]).iloc[0].to_dict()

        def by(dim, where_p: str, args_p: list) -> "pd.DataFrame":
            d = dims.get(dim) or dimension(dataset, dim, params.grain)
            return self._per_group(dataset, params, kit.gross_profit_sql(d, where_p), d, [*args_p, *args_p],
                                   "profit", names).drop(columns="no_cost")

        warnings, tables, charts = [], [], []
        # two periods set side by side are the comparison: not a breakdown by period too (as ``_compare``)
        wanted = [d for d in params.by if d != "customer" and not (params.compare and d == "period")] or \
            (["period"] if not params.compare else [])
        if params.compare:
            labels = [period_label(a, b) for a, b in params.compare]
            last = dataset.last_order_date()
            periods, cut = kit.like_for_like(params.compare, last, dataset.first_order_date())
            scopes = [dataset.scope(params.filters, a, b) for a, b in periods]
            heads = [head(*scope) for scope in scopes]
            rows = []
            for key, said in measure.items():
                before, after = (float(h[key]) if h[key] is not None else None for h in heads)
                diff = None if before is None or after is None else after - before
                rel = diff / abs(before) if diff is not None and before and key != "margin" else None
                rows.append((said, before, after, diff, rel))
            frame = pd.DataFrame(rows, columns=["measure", labels[0], labels[1], "change", "change %"])
            tables.append(Table.from_frame("comparison", frame, f"Gross profit: {labels[1]} against {labels[0]}"))
            for dim in wanted:
                parts = [by(dim, *scope).set_index(dim if dim != "period" else params.grain)["gross profit"]
                         .rename(label) for scope, label in zip(scopes, labels)]
                wide = pd.concat(parts, axis=1).fillna(0)
                wide["change"] = wide[labels[1]] - wide[labels[0]]
                wide["change %"] = (wide["change"] / wide[labels[0]].abs().where(wide[labels[0]] != 0)).round(6)
                wide = wide.sort_values(labels[1], ascending=False).reset_index().round(
                    {labels[0]: 2, labels[1]: 2, "change": 2})
                table = Table.from_frame(f"compare_by_{dim}", wide, f"Gross profit by {dim.replace('_', ' ')}: "
                                         f"{labels[1]} against {labels[0]}", max_rows=params.top)
                tables.append(table)
                charts.append(Chart(kind="bar", title=table.title, table=table.name, x=table.columns[0],
                                    y=[labels[0], labels[1]]))
            summary = render("overview_margin.md.j2", labels=labels, rows=rows, filters=filters_text(params.filters))
            if cut:
                summary = f"{summary.rstrip()}\n\nLike with like: {cut} (the data ends on {kit.as_date(last)})."
                warnings.append(f"{kit.LIKE_FOR_LIKE}: {cut}")
            no_cost, title = sum(int(h["no_cost"]) for h in heads), f"Gross profit: {labels[1]} against {labels[0]}"
        else:
            total = head(where, args)
            if not total["net_revenue"] and not total["cost_of_goods"]:
                raise DataError(f"no purchases match{filters_text(params.filters)}"
                                f"{' in ' + period_label(params.start, params.end) if params.start or params.end else ''}"
                                ": widen the period or the filters.")
            frame = pd.DataFrame([(measure[k], total[k]) for k in names], columns=["measure", "value"])
            tables.append(Table.from_frame("headline", frame, "Gross profit"))
            parts = []
            for dim in wanted:
                frame = by(dim, where, args)
                column = frame.columns[0]
                period = dim == "period"
                table = Table.from_frame(f"profit_by_{column}", frame, f"Gross profit by {column.replace('_', ' ')}",
                                         max_rows=400 if period else params.top, percent=["margin"])
                tables.append(table)
                charts.append(Chart(kind="line" if period else "bar", title=table.title, table=table.name,
                                    x=column, y=["gross profit"]))
                known = frame.dropna(subset=["margin"])
                parts.append({"dim": column.replace("_", " "), "period": period, "n": len(frame),
                              "rows": frame.head(3 if not period else len(frame)).to_dict("records"),
                              "best": known.loc[known["gross profit"].idxmax()].to_dict() if period and len(known) else None,
                              "latest": frame.iloc[-1].to_dict() if period and len(frame) else None,
                              "high": known.loc[known.margin.idxmax()].to_dict() if len(known) > 1 else None,
                              "low": known.loc[known.margin.idxmin()].to_dict() if len(known) > 1 else None,
                              "losing": [r[column] for r in frame.to_dict("records") if (r["gross profit"] or 0) < 0]})
            summary = render("overview_margin.md.j2", labels=None, total=total, parts=parts, filters=filters_text(params.filters),
                             period=period_label(params.start, params.end) if params.start or params.end else "",
                             bottom=params.bottom)
            no_cost, title = int(total["no_cost"]), "Gross profit"
        if no_cost:
            warnings.append(kit.no_cost_note(no_cost))
        return Answer(analysis=self.name, title=title, summary=summary, tables=tables, charts=charts,
                      warnings=warnings, follow_ups=["which customers lose us money", "margin by product",
                                                     "profit by month"],
                      provenance=Provenance(method="gross profit of the sales lines in scope, in SQL: net revenue "
                                                   "(sales less return lines) minus cost of goods (of what was sold "
                                                   "less what came back); margin = gross profit / net revenue; "
                                                   "cost to serve not counted"))

    @staticmethod
    def _per_group(dataset, params: OverviewParams, sql: str, d, args: list, sort: str, names: dict):
        """The rows of ``sql`` (``k``, a value of breakdown ``d``, and its measures) as a table's frame:
        periods in time order, written as the grain says; other groups by ``sort``, the highest first
        (the lowest with ``bottom``); the measures renamed by ``names``."""
        frame = dataset.query(f"SELECT * FROM ({sql}) AS g ORDER BY k", args)
        if d.origin == "period":
            frame["k"] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start) for v in frame["k"]]
        else:
            frame = frame.sort_values(sort, ascending=params.bottom, na_position="last", kind="stable")
        name = params.grain if d.origin == "period" else d.column
        return frame.rename(columns={"k": name, **names}).reset_index(drop=True)

    def _net_beside(self, dataset, params: OverviewParams, breakdowns: list, dims: dict, where: str, args: list,
                    returns: dict, head: dict) -> str | None:
        """A revenue breakdown of sales whose return lines take off at least ``NET_BESIDE`` of their
        value ("10 biggest customers by revenue" where upgrades are credited back): each group's
        returned value and net revenue beside its revenue (the table keeps its ranking, revenue as
        every answer counts it), and the note that says so, naming the first group net of returns
        where that is another. None (the table as it was) below that share or for other metrics."""
        table, name = breakdowns[0]
        sales, back = float(head.get("revenue") or 0), float(returns.get("value") or 0)
        if params.metric != "revenue" or not sales > 0 or not back >= NET_BESIDE * sales or not table.name.startswith("by_") \
                or name not in dims:
            return None
        d = dims[name]
        net = self._per_group(dataset, params, kit.net_revenue_sql(d, where), d, [*args, *args], "net_revenue",
                              {"returned": "returned", "net_revenue": "net revenue"})
        key = table.columns[0]
        net = net.rename(columns={net.columns[0]: key})[[key, "returned", "net revenue"]]
        frame = table.frame.merge(net, on=key, how="left")
        share = next(c for c in frame.columns if c.startswith("share of"))
        frame = frame[[c for c in frame.columns if c != share] + [share]]
        breakdowns[0] = (Table.from_frame(table.name, frame, table.title, max_rows=len(table.rows),
                                          priority=[key, *table.priority]), name)
        note = (f"{int(returns['n']):,} return lines ({num(back, 2)}, {back / sales:.1%} of sales) are not taken off "
                f"revenue here: each {key.replace('_', ' ')}'s returned value and net revenue are beside it")
        first = frame.sort_values("net revenue", ascending=params.bottom, kind="stable").iloc[0] if len(frame) else None
        if d.origin != "period" and not d.order and first is not None and str(first[key]) != str(frame.iloc[0][key]):
            named = f" – {first[NAME_COLUMN]}" if NAME_COLUMN in frame and isinstance(first[NAME_COLUMN], str) else ""
            note += (f"; net of returns, {first[key]}{named} comes {'last' if params.bottom else 'first'} "
                     f"({num(float(first['net revenue']), 2)})")
        return note + f' (ask "net revenue by {key.replace("_", " ")}")'

    def _net(self, dataset, params: OverviewParams, dims: dict, where: str, args: list) -> Answer:
        """Revenue net of returns ("net revenue by year", "sales after returns in 2024 vs 2025"): the sales
        (revenue as every other answer counts it), the value of their return lines and net revenue
        (``kit.net_revenue_sql``: the profitability's net revenue for the same lines), in total and per
        value of each breakdown asked, or two periods side by side with the change."""
        import pandas as pd

        names = {"sales": "sales", "returned": "returned", "net_revenue": "net revenue"}

        def head(where_p: str, args_p: list) -> dict:
            return dataset.query(kit.net_revenue_sql(None, where_p), [*args_p, *args_p]).iloc[0].to_dict()

        def by(d, where_p: str, args_p: list) -> "pd.DataFrame":
            frame = self._per_group(dataset, params, kit.net_revenue_sql(d, where_p), d, [*args_p, *args_p],
                                    "net_revenue", names)
            named = kit.customer_name(dataset) if d.name == "customer" else None
            if named and len(frame):  # Superstore's Customer Name beside its Customer ID, as in every ranking
                shown = frame.iloc[:, 0].head(params.top).tolist()
                names_of = dict(dataset.rows(
                    f"SELECT {d.expr} AS k, {named[0]} FROM transactions_all t {d.join} {named[1]} "
                    f"WHERE {d.expr} IN ({', '.join('?' * len(shown))}) GROUP BY 1", shown))
                frame.insert(1, NAME_COLUMN, [names_of.get(k) for k in frame.iloc[:, 0]])
            return frame

        tables, charts, warnings = [], [], []
        if params.compare:
            labels = [period_label(a, b) for a, b in params.compare]
            periods, cut = kit.like_for_like(params.compare, dataset.last_order_date(), dataset.first_order_date())
            heads = [head(*dataset.scope(params.filters, a, b)) for a, b in periods]
            rows = []
            for key, said in names.items():
                before, after = (float(h[key] or 0) for h in heads)
                rows.append((said, before, after, after - before, (after - before) / abs(before) if before else None))
            tables.append(Table.from_frame("comparison", pd.DataFrame(
                rows, columns=["measure", labels[0], labels[1], "change", "change %"]),
                f"Net revenue: {labels[1]} against {labels[0]}"))
            if cut:
                warnings.append(f"{kit.LIKE_FOR_LIKE}: {cut}")
            if [d for d in params.by if d != "period"]:
                warnings.append(f"not shown: net revenue by {', '.join(d for d in params.by if d != 'period')} in each "
                                "period (ask for it in one period at a time)")
            summary = render("overview_net.md.j2", labels=labels, rows=rows, filters=filters_text(params.filters))
        else:
            total = head(where, args)
            if total["sales"] is None and not total["returned"]:
                raise DataError(f"no purchases match{filters_text(params.filters)}"
                                f"{' in ' + period_label(params.start, params.end) if params.start or params.end else ''}"
                                ": widen the period or the filters.")
            tables.append(Table.from_frame("headline", pd.DataFrame(
                [(said, total[key]) for key, said in names.items()], columns=["measure", "value"]), "Net revenue"))
            parts = []
            for dim in params.by:
                d = dims.get(dim) or dimension(dataset, dim, params.grain)
                frame = by(d, where, args)
                column, period = frame.columns[0], d.origin == "period"
                table = Table.from_frame(f"net_revenue_by_{column}", frame, f"Net revenue by {column.replace('_', ' ')}",
                                         max_rows=400 if period else params.top)
                tables.append(table)
                charts.append(Chart(kind="line" if period else "bar", title=table.title, table=table.name,
                                    x=column, y=["net revenue"]))
                parts.append({"dim": column.replace("_", " "), "period": period, "n": len(frame),
                              "rows": frame.head(3).to_dict("records"),
                              "best": frame.loc[frame["net revenue"].idxmax()].to_dict() if len(frame) else None})
            summary = render("overview_net.md.j2", labels=None, total=total, parts=parts,
                             filters=filters_text(params.filters), bottom=params.bottom,
                             period=period_label(params.start, params.end) if params.start or params.end else "")
        return Answer(analysis=self.name, title="Net revenue", summary=summary, tables=tables, charts=charts,
                      warnings=warnings, follow_ups=["returns by month", "refunds by product", "profit by month"],
                      provenance=Provenance(method="the purchase lines in scope and their return lines, in SQL: net "
                                                   "revenue = sales (purchase lines, after discounts) less the value "
                                                   "of the return lines"))

    def _concentration(self, dataset, params: OverviewParams, dims: dict, where: str, args: list) -> Answer:
        """"What percent of revenue comes from the top 10% of customers": the share of the metric
        (revenue, orders or units) brought by the top ``share`` of customers (or of the first
        breakdown asked: "the top 20% of products"), ranked by it; and the same for a few usual
        shares, for scale. The top n is the share of the count, rounded up (at least one)."""
        import pandas as pd

        unit = next((d for d in dims.values() if d.origin != "period"), None) or dimension(dataset, "customer")
        metric = params.metric if params.metric in ("revenue", "orders", "quantity") else "revenue"
        label = METRIC_LABEL[metric]
        # ranked in the engine (one row number per unit, by value); only the sums of the top shares
        # and the asked top units come back
        # products ranked without the service lines (postage, fees: kit.service_products), shared of every line
        aside = kit.services_kept(dataset, params.filters.get("product")) if unit.name == "product" else []
        skip = f" AND CAST(t.product AS VARCHAR) NOT IN ({', '.join('?' * len(aside))})" if aside else ""
        ranked = f"""
            WITH b AS (SELECT {unit.expr} AS unit, {METRIC_SQL[metric]} AS value FROM transactions t {unit.join}
                       WHERE {where} AND {unit.expr} IS NOT NULL{skip} GROUP BY 1),
            r AS (SELECT unit, coalesce(CAST(value AS DOUBLE), 0.0) AS v,
                         row_number() OVER (ORDER BY value DESC NULLS LAST, unit) AS pos,
                         count(*) OVER () AS n FROM b)"""
        shares = sorted({*([params.share] if params.share else []), 0.01, 0.05, 0.1, 0.2, 0.5})
        tops = [f"greatest(1, CAST(ceil({float(s)!r} * n - 1e-9) AS BIGINT))" for s in shares]
        counted = params.share_top if not params.share else None  # "the top 10 customers": a count, not a share
        n, total, *sums = dataset.rows(f"{ranked} SELECT count(*), coalesce(sum(v), 0), "
                                       + ", ".join(f"coalesce(sum(v) FILTER (WHERE pos <= {top}), 0)"
                                                   for top in [*tops, *([str(int(counted))] if counted else [])])
                                       + " FROM r", [*args, *aside])[0]
        total = float(total)
        note = kit.services_set_aside(dataset, where, args, params.filters.get("product")) if aside else None
        if note:  # the shares are of every line's revenue, services too
            total = float(dataset.rows(f"SELECT coalesce(sum(v), 0) FROM (SELECT {METRIC_SQL[metric]} AS v "
                                       f"FROM transactions t WHERE {where}) x", args)[0][0] or 0)
        if not n or total <= 0:
            raise DataError(f"no {label} to share out{filters_text(params.filters)}: no purchases match.")
        noun = kit.plural(unit.name)
        rows = []
        for share, value in zip(shares, sums):
            top = max(1, math.ceil(share * n - 1e-9))
            rows.append((f"top {share * 100:g}%", top, round(float(value), 2), round(float(value) / total, 6),
                         share == params.share))
        scale = f"For scale: the top 1% bring {pct(rows[0][3])} and the top half {pct(rows[-1][3])}."
        if counted:
            k = min(int(counted), int(n))
            value = float(sums[-1])
            rows.append((f"top {k:,}", k, round(value, 2), round(value / total, 6), True))
            rows.sort(key=lambda r: r[1])
            head = f"The top {k:,} {noun if k != 1 else unit.name} (of {n:,})"
            named = f"top {k:,} {noun}"
        else:
            head = f"The top {params.share * 100:g}% of {noun} ({next(r for r in rows if r[4])[1]:,} of {n:,})"
            named = f"top {params.share * 100:g}% of {noun}"
        frame = pd.DataFrame(rows, columns=[f"{noun}", f"{noun} in it", label, f"share of {label}", "asked"])
        asked = next(r for r in rows if r[4])
        top = dataset.query(f"{ranked} SELECT unit AS {qi(unit.name)}, v AS {qi(label)} FROM r WHERE pos <= ? "
                            "ORDER BY pos", [*args, *aside, asked[1]])
        top[f"share of {label}"] = (top[label] / total).round(6)
        period = f" between {params.start or 'the start'} and {params.end or 'the end'}" \
            if params.start or params.end else ""
        whole = ""
        if unit.name == "customer":  # lines without a customer id are in no customer's figure: the whole said both ways
            every = float(dataset.rows(f"SELECT coalesce(sum(v), 0) FROM (SELECT {METRIC_SQL[metric]} AS v "
                                       f"FROM transactions t WHERE {where}) x", args)[0][0] or 0)
            whole = f", the {label} of customers with an id"
            if every > total + 0.005:
                whole += f"; {pct(asked[2] / every)} of all {every:,.2f}, with the lines without one"
        summary = (f"{head} bring **{pct(asked[3])}** of {label} ({asked[2]:,.2f} of {total:,.2f}{whole})"
                   f"{filters_text(params.filters)}{period}. " + scale)
        return Answer(analysis=self.name, title=f"Share of {label} from the {named}",
                      summary=summary,
                      tables=[Table.from_frame("concentration", frame, f"Share of {label} by the top {noun}"),
                              Table.from_frame(f"top_{noun.replace(' ', '_')}", top, f"The {named}",
                                               max_rows=params.top)],
                      charts=[Chart(kind="bar", title=f"Share of {label} by the top {noun}", table="concentration",
                                    x=noun, y=[f"share of {label}"])],
                      warnings=list(dict.fromkeys([*unit.warnings, *([note] if note else [])])),
                      follow_ups=["how concentrated is our revenue among customers", "top 20 customers",
                                  "which customers lose us money"],
                      provenance=Provenance(method=f"SQL: {label} per {unit.name} (purchases only), ranked; the top "
                                                   "share is the count times the share, rounded up",
                                            rows_used=n))

    @staticmethod
    def _trend(days, facts: dict) -> Table | None:
        """Revenue of the last 12 months against the 12 before (3 and 3 when the data spans less
        than two years but at least six months), counted back from the last order; from the
        revenue per day (``_aggregates``)."""
        import pandas as pd

        first, last = facts["first"], facts["last"]
        if first is None or facts["revenue"] is None:
            return None
        span = (last.year - first.year) * 12 + last.month - first.month
        months = 12 if span >= 24 else 3 if span >= 6 else None
        if months is None:
            return None
        end = pd.Timestamp(last + dt.timedelta(days=1))
        day = pd.to_datetime(days["value"])
        recent = day >= end - pd.DateOffset(months=months)
        keep = (day >= end - pd.DateOffset(months=2 * months)) & (day < end)
        frame = days.assign(day=day, period=[f"last {months} months" if r else f"the {months} months before"
                                            for r in recent])[keep]
        frame = frame.groupby("period", sort=False).agg(**{"from": ("first", "min"), "to": ("last", "max"),
                                                           "revenue": ("revenue", "sum")}).reset_index()
        if len(frame) != 2:
            return None
        frame["from"] = pd.to_datetime(frame["from"]).dt.date
        frame["to"] = pd.to_datetime(frame["to"]).dt.date
        frame["revenue"] = frame["revenue"].round(2)
        frame = frame.sort_values("from").reset_index(drop=True)
        facts["trend_months"] = months
        return Table.from_frame("trend", frame, f"Revenue: last {months} months against the {months} before")

    def _baskets_overview(self, dataset, params: OverviewParams) -> Answer:
        """A basket file alone (one basket a line, items only: the Groceries layout): how many
        baskets and items, the basket sizes, and the items in most baskets. No customers, dates or
        prices, so nothing about revenue or periods: the answer says so."""
        import pandas as pd

        wanted = [v for v in params.filters.get("product", [])]
        if len(wanted) >= 2 and "product" in params.by:  # "whole milk vs yogurt": each on its own, side by side
            return self._baskets_side_by_side(dataset, params, wanted)
        if wanted:  # "how many baskets contain whole milk": those baskets, and what else is in them
            marks = ", ".join("?" * len(wanted))
            found = dataset.query(f"""
                SELECT count(DISTINCT basket_id) AS with_it, (SELECT count(DISTINCT basket_id) FROM baskets) AS baskets
                FROM baskets WHERE product IN ({marks})""", wanted).iloc[0]
            if not found["with_it"]:
                raise DataError(f"no basket holds {' or '.join(wanted)}: check the item's name (custlens describe).")
            share = found["with_it"] / found["baskets"]
            top = dataset.query(f"""
                WITH b AS (SELECT DISTINCT basket_id FROM baskets WHERE product IN ({marks}))
                SELECT product AS item, count(DISTINCT basket_id) AS baskets,
                       count(DISTINCT basket_id) / (SELECT count(*) FROM b) AS "share of these baskets"
                FROM baskets WHERE basket_id IN (SELECT basket_id FROM b) AND product NOT IN ({marks})
                GROUP BY 1 ORDER BY 2 DESC, 1""", wanted + wanted).round(6)
            head = pd.DataFrame([("baskets", int(found["baskets"])), (f"baskets with {' or '.join(wanted)}",
                                                                     int(found["with_it"])),
                                 ("share of baskets", round(float(share), 6))], columns=["measure", "value"], dtype=object)
            summary = (f"**{int(found['with_it']):,} of {int(found['baskets']):,} baskets ({pct(share)})** hold "
                       f"{' or '.join(wanted)}." + (f" The item most often with it is **{top.iloc[0]['item']}** (in "
                                                    f"{pct(top.iloc[0]['share of these baskets'])} of them)."
                                                    if len(top) else ""))
            table = Table.from_frame("with_items", top, f"What else is in those baskets", max_rows=params.top)
            return Answer(analysis=self.name, title=f"Baskets with {' or '.join(wanted)}", summary=summary,
                          tables=[Table.from_frame("headline", head, "Headline figures"), table],
                          follow_ups=[f"what goes with {wanted[0]}"],
                          provenance=Provenance(method="SQL counts over the baskets view",
                                                rows_used=int(found["baskets"])))
        head = dataset.query("""
            SELECT count(DISTINCT basket_id) AS baskets, count(*) AS lines, count(DISTINCT product) AS items
            FROM baskets""").iloc[0].to_dict()
        if not head["lines"]:
            raise DataError("the basket file has no items: check that it has one basket a line, items separated "
                            "by commas.")
        sizes = dataset.query("""
            WITH b AS (SELECT basket_id, count(DISTINCT product) AS n FROM baskets GROUP BY 1)
            SELECT n AS "items in the basket", count(*) AS baskets,
                   count(*) / sum(count(*)) OVER () AS "share of baskets"
            FROM b GROUP BY 1 ORDER BY 1""").round(6)
        top = dataset.query("""
            SELECT product AS item, count(DISTINCT basket_id) AS baskets,
                   count(DISTINCT basket_id) / (SELECT count(DISTINCT basket_id) FROM baskets) AS "share of baskets"
            FROM baskets GROUP BY 1 ORDER BY 2 DESC, 1""").round(6)
        ranked = top.sort_values(["baskets", "item"], ascending=[True, True]) if params.bottom else top
        baskets, items = int(head["baskets"]), int(head["items"])
        mean = float((sizes["items in the basket"] * sizes["baskets"]).sum() / baskets)
        headline = pd.DataFrame([("baskets", baskets), ("item lines", int(head["lines"])), ("different items", items),
                                 ("items per basket", round(mean, 2)),
                                 ("largest basket", int(sizes["items in the basket"].max()))],
                                columns=["measure", "value"], dtype=object)
        first, last = top.iloc[0], ranked.iloc[0]
        summary = (f"**{baskets:,} baskets** hold {int(head['lines']):,} item lines of {items:,} different items: "
                   f"{mean:.2f} items per basket. The item in most baskets is **{first['item']}** "
                   f"({int(first['baskets']):,} baskets, {pct(first['share of baskets'])})."
                   + (f" The item in fewest is **{last['item']}** ({int(last['baskets']):,} "
                      f"{kit.plural('basket', int(last['baskets']))}, "
                      f"{pct(last['share of baskets'])})." if params.bottom else ""))
        n = min(params.top, len(top))
        table = Table.from_frame("bottom_items" if params.bottom else "top_items", ranked,
                                 f"Bottom {n} items by baskets" if params.bottom else f"Top {n} items by baskets",
                                 max_rows=params.top)
        return Answer(analysis=self.name, title="Basket overview", summary=summary,
                      tables=[Table.from_frame("headline", headline, "Headline figures"), table,
                              Table.from_frame("basket_sizes", sizes, "Basket sizes", max_rows=len(sizes))],
                      charts=[Chart(kind="bar", title=table.title, table=table.name, x="item", y=["baskets"]),
                              Chart(kind="bar", title="Basket sizes", table="basket_sizes", x="items in the basket",
                                    y=["baskets"])],
                      follow_ups=["which products are bought together?", "what goes with " + str(first["item"])],
                      warnings=["a basket file has items only (no customers, dates or prices): nothing here is about "
                                "revenue, customers or periods"] +
                               ([f"{', '.join(sorted(params.filters))}: not applied (a basket file has no such column)"]
                                if set(params.filters) - {"product"} else []),
                      provenance=Provenance(method="SQL counts over the baskets view", rows_used=int(head["lines"])))

    def _baskets_side_by_side(self, dataset, params: OverviewParams, wanted: list[str]) -> Answer:
        """Products set against each other in a basket file ("are rolls/buns or soda more popular?"):
        the baskets holding each, its share of all baskets and its rank among every item, one row each,
        and the baskets holding all of them; never their baskets counted together."""
        import pandas as pd

        marks = ", ".join("?" * len(wanted))
        frame = dataset.query(f"""
            WITH counts AS (SELECT product AS item, count(DISTINCT basket_id) AS baskets FROM baskets GROUP BY 1),
                 ranked AS (SELECT item, baskets, rank() OVER (ORDER BY baskets DESC) AS "rank among items",
                                   baskets / (SELECT count(DISTINCT basket_id) FROM baskets) AS "share of baskets"
                            FROM counts)
            SELECT item, baskets, "share of baskets", "rank among items" FROM ranked WHERE item IN ({marks})
            ORDER BY baskets DESC, item""", wanted).round(6)
        total = int(dataset.scalar("SELECT count(DISTINCT basket_id) FROM baskets"))
        missing = [w for w in wanted if w not in set(frame["item"])]
        if missing:
            raise DataError(f"no basket holds {' or '.join(missing)}: check the item's name (custlens describe).")
        both = int(dataset.scalar(f"""SELECT count(*) FROM (SELECT basket_id FROM baskets WHERE product IN ({marks})
                                      GROUP BY 1 HAVING count(DISTINCT product) = ?)""", [*wanted, len(wanted)]))
        rows = frame.to_dict("records")
        first, second = rows[0], rows[1]
        lead = "are in as many baskets" if first["baskets"] == second["baskets"] else \
            f"is in more baskets: **{int(first['baskets']):,}** ({pct(first['share of baskets'])} of {total:,})"
        others = "; ".join(f"**{r['item']}** {int(r['baskets']):,} ({pct(r['share of baskets'])})" for r in rows[1:])
        summary = (f"**{first['item']}** {lead}, against {others}" +
                   (f": {int(first['baskets'] - second['baskets']):,} more, {first['baskets'] / second['baskets']:.2f}x."
                    if first["baskets"] != second["baskets"] else ".") +
                   f" {both:,} baskets hold {'both' if len(wanted) == 2 else 'all of them'} "
                   f"({pct(both / total)}); each count is of the baskets holding that item, whatever else is in them.")
        head = pd.DataFrame([("baskets", total), *((f"baskets with {r['item']}", int(r["baskets"])) for r in rows),
                             (f"baskets with {'both' if len(wanted) == 2 else 'all of them'}", both)],
                            columns=["measure", "value"], dtype=object)
        table = Table.from_frame("by_product", frame, "Baskets per item, side by side", max_rows=len(frame))
        return Answer(analysis=self.name, title=f"{' vs '.join(wanted)}", summary=summary,
                      tables=[table, Table.from_frame("headline", head, "Headline figures")],
                      charts=[Chart(kind="bar", title=table.title, table=table.name, x="item", y=["baskets"])],
                      follow_ups=[f"what goes with {wanted[0]}", "top 10 products"],
                      warnings=["a basket file has items only (no customers, dates or prices): popularity is the "
                                "baskets holding each item"],
                      provenance=Provenance(method="SQL counts over the baskets view", rows_used=total))

    @staticmethod
    def _extra_dims(dataset, params) -> dict:
        """The breakdowns an overview shows when none is asked for: product, category, country and
        period, those the data has."""
        out = {}
        for d in ("product", "category", "country", "period"):
            try:
                out[d] = dimension(dataset, d, params.grain)
            except DataError:
                continue
        return out

    @staticmethod
    def _lines_read(dataset) -> int:
        """The lines of the orders sources (known at load, before any scan): what a pass reads."""
        return sum(int(s.rows or 0) for s in dataset.sources if s.role == "transactions")

    def _unasked(self, dataset, params, where: str) -> tuple[dict, list[str]]:
        """The breakdowns an overview shows unasked, and those it leaves for a follow-up: on more
        than EXACT_LINES lines (and no "exact counts") only the period (its sums group the lines into
        a few hundred days and months, as the trend does), unless the pass with all of them was made
        already for this data; products, categories and countries each add a grouping of every line
        (11.6M lines: ~4 CPU seconds with them against ~1.3 without, "Speed pass 6" of
        benchmarks/README.md), more than the count of customers asked for."""
        extras = self._extra_dims(dataset, params)
        if params.exact or params.breakdowns or self._lines_read(dataset) <= EXACT_LINES or set(extras) <= {"period"}:
            return extras, []
        dataset.check()  # the checks give the data its version, which the kept pass is under
        if " ".join(where.split()) == "true" and (dataset.data_version, self._aggregates_key(dataset, params, extras)) \
                in dataset.shared.facts:
            return extras, []
        return {n: d for n, d in extras.items() if n == "period"}, [n for n in extras if n != "period"]

    @staticmethod
    def _aggregates_key(dataset, params, extras: dict) -> str:
        return f"overview aggregates {params.grain} {dataset.definitions.fiscal_year_start} {sorted(extras)}"

    #: what ``_aggregates`` sums per value of each breakdown and over every line
    MEASURES = ("lines", "revenue", "units", "first", "last", "discounts", "refunds", "zero_lines")

    @staticmethod
    def _aggregates(dataset, params, where: str, args: list, extras: dict) -> dict:
        """One pass over the purchase lines: the totals, the sums per value of each breakdown in
        ``extras`` and per day (the trend). Over every purchase it is computed once per loaded data
        and shared (``Dataset.shared``): a re-asked or forked overview reads it back.

        The headline's distinct orders and customers are counted apart (``_counts``): as two more
        grouping sets of this statement (by order id, by customer id) every measure above was summed
        per order and per customer too, and the one statement took 1.8x the two apart on a quiet
        machine (11.6M Parquet lines: ~8 s against ~2 s + ~2.5 s; benchmarks/README.md, "Speed pass 5")."""
        import pandas as pd

        measures = list(Overview.MEASURES)

        def compute() -> dict:
            sets = {name: d.expr for name, d in extras.items()}
            sets["__day"] = "CAST(t.order_date AS DATE)"
            sums = """count(*) AS lines, sum(t.amount) AS revenue, sum(t.quantity) AS units,
                       min(t.order_date) AS "first", max(t.order_date) AS "last", sum(t.discount) AS discounts,
                       sum(t.refund) AS refunds, count(*) FILTER (WHERE t.amount = 0) AS zero_lines"""
            if set(sets) <= {"period", "__day"} and dataset.engine.name == "duckdb" \
                    and not any(d.join for d in extras.values()):
                # the trend alone: the lines grouped once, by period and day (a few thousand rows), and the
                # totals, periods and days summed from those rows; three grouping sets of every line took
                # twice the CPU (11.6M lines: ~1.2 against ~0.55 s, benchmarks/README.md "Speed pass 8")
                keys = ", ".join(f"{qi('k_' + n)}, GROUPING({qi('k_' + n)}) AS {qi('g_' + n)}" for n in sets)
                frame = dataset.query(f"""
                    WITH d AS (SELECT {', '.join(f"{e} AS {qi('k_' + n)}" for n, e in sets.items())}, {sums}
                               FROM transactions t WHERE {where} GROUP BY ALL)
                    SELECT {keys}, CAST(coalesce(sum(lines), 0) AS BIGINT) AS lines, sum(revenue) AS revenue,
                           sum(units) AS units, min("first") AS "first", max("last") AS "last",
                           sum(discounts) AS discounts, sum(refunds) AS refunds,
                           CAST(coalesce(sum(zero_lines), 0) AS BIGINT) AS zero_lines
                    FROM d GROUP BY GROUPING SETS ((), {', '.join(f"({qi('k_' + n)})" for n in sets)})""", args)
            else:
                keys = ", ".join(f"{e} AS {qi('k_' + n)}, GROUPING({e}) AS {qi('g_' + n)}" for n, e in sets.items())
                frame = dataset.query(f"""
                    SELECT {keys}, {sums}
                    FROM transactions t {joins(*extras.values())} WHERE {where}
                    GROUP BY GROUPING SETS ((), {', '.join(f'({e})' for e in sets.values())})""", args)
            grouped = {n: frame[f"g_{n}"] == 0 for n in sets}
            total_row = ~pd.concat(grouped.values(), axis=1).any(axis=1)
            total = frame.loc[total_row, measures].iloc[0].to_dict() if total_row.any() else \
                dict.fromkeys(measures) | {"lines": 0}
            by = {n: frame.loc[grouped[n], [f"k_{n}", *measures]].rename(columns={f"k_{n}": "value"})
                  .reset_index(drop=True) for n in sets}
            return {"total": total, "by": by, "days": by.pop("__day")}

        if " ".join(where.split()) != "true":
            return compute()
        dataset.check()  # the checks give the data its version
        if not extras:  # the totals and the days alone: those of any pass made already are the same
            made = next((f for (v, k), f in list(dataset.shared.facts.items())
                         if v == dataset.data_version and k.startswith("overview aggregates ")), None)
            if made is not None:
                return {"total": made["total"], "by": {}, "days": made["days"]}
        return dataset.shared.fact(dataset.data_version, Overview._aggregates_key(dataset, params, extras), compute)

    @staticmethod
    def _counts(dataset, where: str, args: list) -> dict:
        """The exact distinct customers and orders: over every purchase computed once per loaded
        data (``Dataset.exact_counts``), else over the lines the scope keeps (the same statements)."""
        if " ".join(where.split()) == "true":
            return {**dataset.exact_counts(), **dataset.customer_totals()}
        return dataset.distinct_counts("transactions t", where, args)

    def _extra(self, dataset, params, dim, sums) -> tuple[Table, str]:
        """A breakdown the question did not ask for, from the sums of ``_aggregates``: the metric
        (revenue or units; revenue for a metric counted in distinct orders or customers) and the
        share of revenue per value. Asked for by name ("top 10 products"), it has the exact orders
        and customers per value too (``_group``)."""
        metric = params.metric if params.metric in ("revenue", "quantity") else kit.sales_measure(dataset) or "revenue"
        label = METRIC_LABEL[metric]
        column = params.grain if dim.origin == "period" else dim.name
        frame = sums[["value"]].rename(columns={"value": column})
        frame[label] = sums["units" if metric == "quantity" else "revenue"]
        if label != "revenue":
            frame["revenue"] = sums["revenue"]
        total = frame["revenue"].sum()
        frame["share of revenue"] = frame["revenue"] / total if total else None
        if dim.origin == "period":
            frame = frame.sort_values(column, na_position="last")
        else:
            frame = frame.assign(__v=frame[column].astype(str)).sort_values(
                [label, "__v"], ascending=[False, True], na_position="last").drop(columns="__v")
        frame = frame.reset_index(drop=True)
        if dim.name == "product":  # postage, fees, manual adjustments: no products to rank (kit.service_products)
            frame = kit.without_services(dataset, frame, column, params.filters.get("product"))
        for col in frame.columns[1:]:
            if frame[col].dtype.kind == "f":
                frame[col] = frame[col].round(2 if col != "share of revenue" else 6)
        if dim.origin == "period":
            frame[column] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start) for v in frame[column]]
            return Table.from_frame(f"by_{params.grain}", frame, f"{label.capitalize()} by {params.grain}",
                                    max_rows=400), dim.name
        return Table.from_frame(f"by_{dim.name}", frame,
                                f"Top {min(params.top, len(frame))} {kit.plural(dim.name, min(params.top, len(frame)))} "
                                f"by {label}", max_rows=params.top), dim.name

    @staticmethod
    def _one_customer(dataset, params: OverviewParams, where: str, args: list, facts: dict):
        """(lead, their products, the service lines set aside) when the overview is of one customer (a
        filter on one customer id, nothing else): their revenue, orders, first and last order (and how
        long before the data's last day) and top products; None otherwise."""
        who = (params.filters or {}).get("customer_id")
        who = who if isinstance(who, list) else [who] if who else []
        if len(who) != 1 or set(params.filters) != {"customer_id"}:
            return None
        last_day = kit.as_date(dataset.last_order_date())
        last = kit.as_date(facts.get("last")) if facts.get("last") else None
        since = f" ({(last_day - last).days:,} days before the data's last day, {last_day})" \
            if last and last_day and last_day > last else " (the data's last day)" if last else ""
        products, aside = None, None
        if "product" in dataset.columns("transactions"):
            units = "sum(t.quantity)" if "quantity" in dataset.columns("transactions") else "count(*)"
            frame = dataset.query(f"""
                SELECT t.product AS product, {units} AS units, sum(t.amount) AS revenue,
                       count(DISTINCT t.order_id) AS orders, max(t.order_date) AS last_bought
                FROM transactions t WHERE {where} AND t.product IS NOT NULL
                GROUP BY 1 ORDER BY 3 DESC NULLS LAST, 2 DESC, 1""", args)
            frame = kit.without_services(dataset, frame, "product")
            aside = kit.services_set_aside(dataset, where, args)
            if not frame.empty:
                frame["revenue"] = frame["revenue"].round(2)
                frame["last_bought"] = [str(kit.as_date(d)) for d in frame["last_bought"]]
                products = Table.from_frame("customer_products", frame, f"What customer {who[0]} bought",
                                            max_rows=max(params.top, 10))
        top = "" if products is None else "; top products: " + ", ".join(
            f"{r[0]} ({r[2]:,.2f})" for r in products.rows[:3])
        revenue = facts.get("revenue")
        lead = (f"Customer **{who[0]}**: **{revenue:,.2f}** of revenue over **{int(facts.get('orders') or 0):,} "
                f"order{'s' if facts.get('orders') != 1 else ''}**"
                + (f" ({facts['aov']:,.2f} per order)" if facts.get("aov") is not None else "")
                + f"; first order {facts.get('first')}, last order {facts.get('last')}{since}{top}.")
        return lead, products, aside

    def _side_by_side(self, dataset, params: OverviewParams) -> Answer:
        """Sibling columns of a wide customers table compared: one row per column (its rate of yes for
        0/1 flags, else its sum or mean and its share of their total), ranked; ``any_of``: the share
        with at least one flag yes and how many customers have 0, 1, 2... of them; ``by``: each group
        beside each column. The first line names the columns compared."""
        import pandas as pd

        if not dataset.has("customers"):
            raise DataError("comparing columns side by side needs a customers table (one row per customer); "
                            + kit.loaded_line(dataset) + ".")
        cols = dataset.columns("customers")
        missing = [c for c in params.columns if c not in cols]
        if missing:
            raise DataError(f"cannot compare {', '.join(map(repr, missing))}: the customers table has no such column "
                            f"(its columns: {', '.join(sorted(cols))}).")
        columns = list(dict.fromkeys(params.columns))
        where, args = kit.customer_filters_sql(dataset, params.filters, alias="")
        flags = params.stat == "share" or params.any_of
        if flags:
            seen = dataset.query("SELECT " + ", ".join(
                f"count(*) FILTER (WHERE {qi(c)} IS NOT NULL AND {kit.flag_value(c)} IS NULL) AS {qi(c)}"
                for c in columns) + " FROM customers").iloc[0]
            odd = [c for c in columns if int(seen[c])]
            if odd:
                raise DataError(f"cannot take a rate of yes of {', '.join(odd)}: not yes/no or 0/1 columns. Ask for "
                                "their sums or averages instead (stat=sum).")
        agg = {"mean": "avg", "median": "median", "sum": "sum", "min": "min", "max": "max"}.get(params.stat, "sum")
        parts = []
        for i, c in enumerate(columns):
            if flags:
                parts.append(f"sum({kit.flag_value(c)}) AS y{i}, count({kit.flag_value(c)}) AS k{i}")
            else:
                parts.append(f"{agg}(TRY_CAST({qi(c)} AS DOUBLE)) AS v{i}, sum(TRY_CAST({qi(c)} AS DOUBLE)) AS s{i}, "
                             f"count(TRY_CAST({qi(c)} AS DOUBLE)) AS k{i}")
        anyof = f", sum({kit.any_of_sql(columns)}) AS any_yes, count({kit.any_of_sql(columns)}) AS any_known" \
            if flags else ""
        head = dataset.query(f"SELECT count(*) AS n, {', '.join(parts)}{anyof} FROM customers WHERE {where}",
                             args).iloc[0].to_dict()
        n = int(head["n"] or 0)
        if not n:
            raise DataError(f"no customers match{filters_text(params.filters)}.")
        rows = []
        if flags:
            for i, c in enumerate(columns):
                yes, known = int(head[f"y{i}"] or 0), int(head[f"k{i}"] or 0)
                rows.append((c, yes, known, round(yes / known, 6) if known else None))
            frame = pd.DataFrame(rows, columns=["column", "yes", "customers known", "rate"])
            frame = frame.sort_values(["rate", "column"], ascending=[False, True], na_position="last")
            value = "rate"
        else:
            total = sum(float(head[f"s{i}"] or 0) for i in range(len(columns)))
            for i, c in enumerate(columns):
                s = float(head[f"s{i}"] or 0)
                rows.append((c, round(float(head[f"v{i}"]), 6) if head[f"v{i}"] == head[f"v{i}"] and
                             head[f"v{i}"] is not None else None, round(s / total, 6) if total else None,
                             int(head[f"k{i}"] or 0)))
            value = {"mean": "average", "sum": "sum"}.get(params.stat, params.stat)
            frame = pd.DataFrame(rows, columns=["column", value, "share of their total", "customers"])
            frame = frame.sort_values([value, "column"], ascending=[False, True], na_position="last")
        frame = frame.reset_index(drop=True)
        frame.insert(0, "rank", range(1, len(frame) + 1))
        listed = ", ".join(columns)
        kind = "rate of yes (share of 1 among the customers with a value)" if flags else \
            f"{value} over the customers, and each one's share of their total"
        lines = [f"Compared side by side: {listed} ({len(columns)} columns; {kind}){filters_text(params.filters)}, "
                 f"{n:,} customers."]
        tables: list[Table] = []
        if params.any_of:
            hit, known = int(head["any_yes"] or 0), int(head["any_known"] or 0)
            lines.insert(0, f"**{hit:,} of {known:,} customers ({pct(hit / known)})** have at least one of {listed} "
                            f"= 1{filters_text(params.filters)}" + (f"; {n - known:,} have none of them filled and are "
                                                                    "left out" if known < n else "") + ".")
            counts = dataset.query(f"SELECT CAST({kit.yes_count_sql(columns)} AS INTEGER) AS \"how many of them\", "
                                   f"count(*) AS customers, count(*) / sum(count(*)) OVER () AS \"share of customers\" "
                                   f"FROM customers WHERE {where} GROUP BY 1 ORDER BY 1", args)
            counts = counts.round({"share of customers": 4})
            tables.append(Table.from_frame("how_many", counts, f"Customers by how many of {listed} are yes",
                                           max_rows=len(counts)))
        top, bottom = frame.iloc[0], frame.iloc[-1]
        fmt = (lambda v: f"{pct(v)}") if flags else (lambda v: f"{v:,.2f}")
        if not params.any_of:
            what = "highest rate" if flags else f"highest {value}"
            lines.insert(0, f"**{top['column']}** has the {what}: {fmt(top[value])}"
                            + (f" ({int(top['yes']):,} of {int(top['customers known']):,} customers)" if flags else
                               f" ({pct(top['share of their total'])} of their total)") +
                            f"; lowest: {bottom['column']} {fmt(bottom[value])}.")
        for c in params.highlight:
            row = frame[frame["column"] == c]
            if not row.empty and not flags:
                r = row.iloc[0]
                total = sum(float(head[f"s{i}"] or 0) for i in range(len(columns)))
                lines.insert(0, f"**{c} is {pct(r['share of their total'])} of the total of the {len(columns)} columns** "
                                f"({float(head[f's{columns.index(c)}']):,.2f} of {total:,.2f}; rank {int(r['rank'])} of "
                                f"{len(columns)}).")
        if not flags:  # another column that is their sum on every row (the marketing table's Spent)
            sums = self._sum_column(dataset, columns, where, args)
            if sums:
                lines.append(f"Their total equals {sums} on every customer: {sums} is the sum of these columns.")
        tables.insert(0, Table.from_frame("columns", frame, "Columns compared side by side", max_rows=len(frame)))
        for dim in params.by:
            if dim not in cols:
                raise DataError(unknown(dataset, dim) + " (only a customers table is loaded)")
            key = _customers_group(dataset, dim)
            edges = kit.numeric_bands(dataset, dim) if kit.quartile_edges(dataset, dim) is not None else None
            banded: list = []
            if edges:
                band, banded = kit.band_sql(f"TRY_CAST({qi(dim)} AS DOUBLE)", edges)
                key = f"{band} AS {qi(dim)}"
            each = ", ".join((f"avg({kit.flag_value(c)})" if flags else f"{agg}(TRY_CAST({qi(c)} AS DOUBLE))")
                             + f" AS {qi(c)}" for c in columns)
            if params.any_of:
                each = f"avg({kit.any_of_sql(columns)}) AS \"at least one\", " + each
            per = dataset.query(f"SELECT {key}, count(*) AS customers, {each} FROM customers WHERE {where} "
                                f"GROUP BY 1 ORDER BY 1", banded + args).round(6)
            table = Table.from_frame(f"by_{dim}", per, f"{'Rate' if flags else value.capitalize()} of each "
                                     f"column by {dim.replace('_', ' ')}", max_rows=max(params.top, 50))
            if flags:  # rates of yes: shown as percentages
                table.percent = list(dict.fromkeys([*table.percent, *columns, *(["at least one"] if params.any_of
                                                                                 else [])]))
            tables.append(table)
        chart = Chart(kind="bar", title="Columns compared side by side", table="columns", x="column", y=[value])
        warnings = self._period_not_applied(dataset, params) + ([] if dataset.has("transactions") else [
            "no sales data loaded: figures are about the customers table only"])
        return Answer(analysis=self.name, title="Columns compared side by side", summary="\n\n".join(lines),
                      tables=tables, charts=[chart], warnings=warnings,
                      follow_ups=[(f"{top['column']} rate by {d}" if flags else f"average {top['column']} by {d}")
                                  for d in list(dataset.values().get("customers", {}))[:2]],
                      provenance=Provenance(method="SQL sums and rates of each column over the customers view",
                                            rows_used=n))

    @staticmethod
    def _sum_column(dataset, columns: list[str], where: str, args: list) -> str | None:
        """Another numeric customers column equal to the sum of ``columns`` on every row, or None."""
        others = [c for c, t in dataset.relation_columns("customers").items() if c not in columns and c in
                  dataset.columns("customers") and str(t).upper().startswith(("INT", "BIGINT", "DOUBLE", "DECIMAL",
                                                                             "FLOAT", "SMALLINT", "HUGEINT"))]
        if not others:
            return None
        total = " + ".join(f"coalesce(TRY_CAST({qi(c)} AS DOUBLE), 0)" for c in columns)
        row = dataset.query("SELECT " + ", ".join(f"bool_and(abs(TRY_CAST({qi(c)} AS DOUBLE) - ({total})) < 1e-6) "
                                                  f"AS {qi(c)}" for c in others) + f" FROM customers WHERE {where}",
                            args).iloc[0]
        return next((c for c in others if row[c] is True or row[c] == True), None)  # noqa: E712

    @staticmethod
    def _no_sales(params: OverviewParams) -> str:
        """What a customers table alone answers, said once: its money column where one was summed or
        averaged (one row per customer and the money of their purchase: no orders and no dates)."""
        if params.measure and params.stat in ("sum", "mean", "median") and \
                {"amount", "amt", "usd", "spend", "spent", "revenue", "sales", "price", "paid", "value"} & \
                set(params.measure.split("_")):
            return (f"no sales data loaded: money is read from {params.measure}, one row per customer (a purchase "
                    "each, as the table holds it); it has no order dates, so no periods or repeat orders")
        return ("no sales data loaded: figures are about the customers table only; load orders for revenue, "
                "orders and periods")

    def _feedback_overview(self, dataset, params: OverviewParams) -> Answer:
        """Feedback alone (a support desk's tickets, app store reviews, survey answers): how many rows,
        by period and by each breakdown asked ("ticket volume by month", "which countries complain the
        most"), and a number of its rows summarised per group ("average resolution time by priority":
        ``measure``, ``stat``)."""
        import pandas as pd

        noun = kit.feedback_noun(dataset)
        cols = dataset.columns("feedback")
        where, args = kit.feedback_scope(dataset, params.filters, params.start, params.end)
        numbers = kit.line_numbers(dataset, "feedback")
        flag = params.stat == "share" and params.measure in cols  # "what share of tickets met the response SLA"
        if params.measure and params.measure not in numbers and not flag:
            raise DataError(f"cannot summarise {params.measure!r}: it is not a number of the {noun} "
                            f"(numbers: {', '.join(sorted(numbers)) or 'none'}).")
        stat = params.stat if params.stat in ("mean", "median", "sum", "min", "max", "share") and (
            flag or params.stat != "share") else "mean"
        said = {"mean": "average", "median": "median", "sum": "total", "min": "lowest", "max": "highest",
                "share": "share with"}[stat]
        label = f"{said} {params.measure.replace('_', ' ')}" if params.measure else None
        summed = f"round(avg({kit.flag_value(params.measure, 'f')}), 6)" if flag else \
            f"round({'avg' if stat == 'mean' else stat}(f.{qi(params.measure)}), 2)" if label else ""
        measures = f"count(*) AS {qi(noun)}" + (f", {summed} AS {qi(label)}" if label else "")
        dated = "date" in cols
        head = dataset.query(f"SELECT {measures}{', min(f.date) AS first, max(f.date) AS last' if dated else ''}"
                             f"{f', count(f.{qi(params.measure)}) AS valued' if label else ''} "
                             f"FROM feedback f WHERE {where}", args)
        total = int(head[noun].iloc[0])
        if not total:
            raise DataError(f"no {noun} match{filters_text(params.filters)}"
                            f"{' in ' + period_label(params.start, params.end) if params.start or params.end else ''}. "
                            "Widen the period or the filters.")
        valued = int(head["valued"].iloc[0]) if label else total
        rows = [(noun, total)] + ([(label, head[label].iloc[0])] if label else []) + \
            ([(f"{noun} with {params.measure.replace('_', ' ')}", valued)] if valued < total else [])
        span = (str(head["first"].iloc[0])[:10], str(head["last"].iloc[0])[:10]) \
            if dated and head["first"].iloc[0] is not None else None
        rows += [("first", span[0]), ("last", span[1])] if span else []
        tables = [Table.from_frame("headline", pd.DataFrame(rows, columns=["measure", "value"]), "Headline figures")]
        lines = [f"{total:,} {noun}{filters_text(params.filters)}" + (f", {span[0]} to {span[1]}" if span else "")
                 + (f"; {label} {_said(head[label].iloc[0], flag)}" if label else "")
                 + (f" (over the {valued:,} with a value; the other {total - valued:,} have none)" if valued < total else "")
                 + "."]
        warnings: list[str] = []
        wanted = list(params.by) or (["period"] if dated else [])
        sort = qi(label) if label else "2"
        for name in dict.fromkeys(wanted):
            if name == "period":
                if not dated:
                    raise DataError(f"the {noun} have no date, so they cannot be counted by {params.grain}.")
                expr, join, title = f"CAST(date_trunc('{params.grain}', f.date) AS DATE)", "", params.grain
            else:
                d = dimension(dataset, name, params.grain, alias="f", role="feedback", doing=f"count the {noun}")
                expr, join, title = d.expr, d.join, d.name
                warnings += [w for w in d.warnings if w not in warnings]
            order = "1" if name == "period" else f"{sort} {'ASC' if params.bottom else 'DESC'} NULLS LAST, 1"
            frame = dataset.query(f"SELECT {expr} AS {qi(title)}, {measures} FROM feedback f {join} WHERE {where} "
                                  f"GROUP BY 1 ORDER BY {order}", args)
            frame[f"share of {noun}"] = (frame[noun] / total).round(6)
            if name == "period":
                frame[title] = [period_value(v, params.grain) for v in frame[title]]
            tables.append(Table.from_frame(f"by_{'period' if name == 'period' else title}", frame,
                                           f"{noun.capitalize()} by {title.replace('_', ' ')}",
                                           max_rows=400 if name == "period" else params.top))
            ranked = frame if name != "period" else frame.sort_values([label or noun], ascending=False, kind="stable")
            if len(ranked) > 1:
                first, last, what = ranked.iloc[0], ranked.iloc[-1], label or noun
                ends = ("lowest", "highest") if params.bottom and name != "period" else ("highest", "lowest")
                lines.append(f"By {title.replace('_', ' ')}: {ends[0]} {first[title]} ({_said(first[what], flag)} "
                             f"{what}), {ends[1]} {last[title]} ({_said(last[what], flag)}), of {len(frame):,} "
                             f"{kit.plural(title, len(frame))}.")
        return Answer(analysis=self.name, title=f"{noun.capitalize()} overview", summary="\n\n".join(lines),
                      tables=tables, warnings=[f"no sales data loaded: these are counts of the {noun} "
                                               f"({kit.source_names(dataset, 'feedback')})"] + warnings,
                      provenance=Provenance(method=f"count of the {noun}" + (f", {said} of {params.measure}" if label
                                                                              else "") + " per group",
                                            rows_used=total))

    def _events_overview(self, dataset, params: OverviewParams) -> Answer:
        """An events export's own rows (views, carts, purchases of a shop's clickstream): how many events,
        visitors and sessions, events per session, each event type's count, and each breakdown asked
        ("which brands get the most views": events per brand, one column per event type, ranked by the
        most frequent type). Not its sales: "revenue" reads the purchase events as orders."""
        import pandas as pd

        cols = dataset.columns("events")
        where, args = dataset.scope(params.filters, params.start, params.end, alias="e", role="events")
        session = "session_id" in cols
        head = dataset.query(
            f"SELECT count(*) AS events, count(DISTINCT e.customer_id) AS visitors"
            f"{', count(DISTINCT e.session_id) AS sessions' if session else ''}, min(e.timestamp) AS first, "
            f"max(e.timestamp) AS last FROM events e WHERE {where}", args).iloc[0]
        total = int(head["events"])
        if not total:
            raise DataError(f"no events match{filters_text(params.filters)}"
                            f"{' in ' + period_label(params.start, params.end) if params.start or params.end else ''}"
                            ". Widen the period or the filters.")
        types = dataset.query(f"SELECT CAST(e.event AS VARCHAR) AS event, count(*) AS events, count(DISTINCT "
                              f"e.customer_id) AS visitors{', count(DISTINCT e.session_id) AS sessions' if session else ''}"
                              f" FROM events e WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1", args)
        types["share of events"] = (types["events"] / total).round(6)
        rows = [("events", total), ("visitors", int(head["visitors"]))]
        if session:
            rows += [("sessions", int(head["sessions"])), ("events per session", round(total / int(head["sessions"]), 2)
                                                           if int(head["sessions"]) else None)]
        span = (str(head["first"])[:16], str(head["last"])[:16])
        rows += [("first event", span[0]), ("last event", span[1])]
        tables = [Table.from_frame("headline", pd.DataFrame(rows, columns=["measure", "value"]), "Headline figures")]
        kinds = ", ".join(f"{r.events:,} {r.event}" for r in types.head(6).itertuples())
        lines = [f"{total:,} events from {int(head['visitors']):,} visitors"
                 + (f" in {int(head['sessions']):,} sessions ({total / int(head['sessions']):.2f} events per session)"
                    if session and int(head["sessions"]) else "")
                 + f"{filters_text(params.filters)}, {span[0]} to {span[1]}: {kinds}."]
        warnings: list[str] = []
        shown = [str(v) for v in types["event"].head(5)]
        counts = ", ".join(f"count(*) FILTER (WHERE CAST(e.event AS VARCHAR) = ?) AS {qi(v)}" for v in shown)
        own = {"event", *(schema.snake(m.column) for s in dataset.sources if s.role == "events"
                          for c, m in dataset.mapping_of(s).items() if c == "event")}
        by = [n for n in params.by if n not in own]  # "events by type": the types' own table
        for name in dict.fromkeys(by):
            if name == "period":
                expr, join, title = f"CAST(date_trunc('{params.grain}', e.timestamp) AS DATE)", "", params.grain
            else:
                ids = [c for c in cols if name not in cols and c.split("_")[0] == name]  # product: product_id
                d = dimension(dataset, ids[0] if len(ids) == 1 else name, params.grain, alias="e", role="events",
                              doing="count the events")
                expr, join, title = d.expr, d.join, d.name
                warnings += [w for w in d.warnings if w not in warnings]
            lead = qi(shown[0]) if shown else "events"
            order = "1" if name == "period" else f"{lead} {'ASC' if params.bottom else 'DESC'} NULLS LAST, 1"
            frame = dataset.query(f"SELECT {expr} AS {qi(title)}, {counts}{', ' if counts else ''}count(*) AS events, "
                                  f"count(DISTINCT e.customer_id) AS visitors FROM events e {join} WHERE {where} "
                                  f"GROUP BY 1 ORDER BY {order}", [*shown, *args])
            if name == "period":
                frame[title] = [period_value(v, params.grain) for v in frame[title]]
            tables.append(Table.from_frame(f"by_{'period' if name == 'period' else title}", frame,
                                           f"Events by {title.replace('_', ' ')}",
                                           max_rows=400 if name == "period" else params.top))
            if name != "period" and len(frame) and shown:
                first = frame.iloc[0]
                lines.append(f"By {title.replace('_', ' ')}: {first[title]} has the {'fewest' if params.bottom else 'most'}"
                             f" {shown[0]} events ({int(first[shown[0]]):,} of {int(types['events'].iloc[0]):,}), of "
                             f"{len(frame):,} {kit.plural(title, len(frame))}.")
        if not by:
            tables.append(Table.from_frame("by_event", types, "Events by type", max_rows=params.top))
        return Answer(analysis=self.name, title="Events overview", summary="\n\n".join(lines), tables=tables,
                      warnings=[f"the events themselves ({kit.source_names(dataset, 'events')}): every view, cart and "
                                "purchase counted; revenue and orders count the purchases only"] + warnings,
                      follow_ups=["show me the conversion funnel", "revenue by brand", "events by day"],
                      provenance=Provenance(method="count of the events, visitors and sessions, per event type and "
                                                   "per group", rows_used=total))

    def _customers_overview(self, dataset, params: OverviewParams) -> Answer:
        """A customers table alone: the count, and splits by the attributes that have few values."""
        cols = dataset.columns("customers")
        stood: list[str] = []  # "by region" read as the table's Location of states, said on the first line
        part = kit.date_part_column(cols, params.grain) if "period" in params.by and "signup_date" not in cols else None
        if part:  # "bookings by arrival month" of a table dated in parts (arrival_date_year, arrival_date_month)
            params = params.model_copy(update={"by": list(dict.fromkeys(part if d == "period" else d for d in params.by))})
            stood.append(kit.stood_in(f"by {params.grain}", part))
        # "customers by effective to date month": a date column of the table named, by the grain asked (its
        # days one group each would be no breakdown); the period said beside it is that column's
        types = dataset.relation_columns("customers") if params.by else {}
        dated = [d for d in params.by if d in cols and d != "signup_date" and
                 str(types.get(d, "")).upper().startswith(("DATE", "TIMESTAMP"))]
        if dated and "period" in params.by and "signup_date" not in cols and not part:
            params = params.model_copy(update={"by": [d for d in params.by if d != "period"]})
        if any(d not in cols for d in params.by):
            by = []
            for d in params.by:
                column = kit.stand_in(dataset, d, "customers") if d not in cols and d in kit.BUILT_IN else None
                if column:
                    stood.append(kit.stood_in(d, column))
                by.append(column or d)
            params = params.model_copy(update={"by": by})
        where, args = kit.customer_filters_sql(dataset, params.filters, alias="")
        year_part = self._year_part(dataset, params)
        if year_part:  # "bookings for 2016" of a table dated in parts: its year column
            where = f"{where} AND TRY_CAST({qi(year_part)} AS INTEGER) BETWEEN ? AND ?"
            args = [*args, params.start.year, params.end.year]
        if params.new_customers and (params.start or params.end) and "signup_date" in cols and "period" not in params.by:
            # "how many customers joined in 2013": the customers whose signup date is in the period
            where, args = self._signups_in(where, args, params)
        # of the churned (or the others) alone, the churn rate is 100% (0%): not said
        churn = "avg(CAST(churned AS DOUBLE))" if "churned" in cols and "churned" not in params.filters else "NULL"
        measure = stat_sql = label = None
        if params.measure:
            if params.measure not in cols:
                raise DataError(f"cannot summarise {params.measure!r}: the customers table has no such column "
                                f"(its columns: {', '.join(sorted(cols))}).")
            measure = params.measure
            # TRY_CAST: a text column of numbers with blanks (Telco's TotalCharges) still averages
            if params.stat == "nps":  # promoters (9-10) minus detractors (0-6), in % of those who scored
                stat_sql = kit.nps_sql(f"TRY_CAST({qi(measure)} AS DOUBLE)")
                label = "NPS"
            elif params.stat in ("share", "filled"):  # a yes/no column's yes, values named or any: of those known
                counted = kit.share_value(measure, params.values, params.stat == "filled")
                stat_sql = f"avg({counted})"
                label = kit.share_label(measure, params.values, params.stat == "filled")
            else:
                stat_sql = {"mean": "avg", "median": "median", "sum": "sum", "min": "min", "max": "max"}[params.stat] + \
                    f"(TRY_CAST({qi(measure)} AS DOUBLE))"
                named = re.sub(r"^(?:avg|average|mean)_", "", measure) if params.stat == "mean" else measure
                name = named.replace("_", " ")
                label = f"average {name}" if params.stat == "mean" else (
                    f"sum of {name}" if name.startswith("total") else f"total {name}") if params.stat == "sum" else \
                    f"{params.stat} {name}"
        counts = f", sum({counted}) AS hits, count({counted}) AS known" if measure and params.stat in (
            "share", "filled") else ""
        if counts and params.stat == "share" and not params.values:  # the value that counts, as written
            counts += f", any_value(CAST({qi(measure)} AS VARCHAR)) FILTER (WHERE {counted} = 1.0) AS yes"
        head = dataset.query(f"SELECT count(DISTINCT customer_id) AS customers, count(*) AS rows, "
                             f"{churn} AS churn_rate{f', {stat_sql} AS measure' if measure else ''}{counts} "
                             f"FROM customers WHERE {where}", args).iloc[0].to_dict()
        if not head["rows"]:
            raise DataError(f"no customers match{filters_text(params.filters)}.")
        if params.stat == "share" and measure and head.get("measure") != head.get("measure"):  # NULL: no yes or no
            if params.values:
                raise DataError(f"no customer has a {measure}{filters_text(params.filters)}: there is nothing to "
                                f"take the share of {', '.join(params.values)} of.")
            raise DataError(f"cannot take the share of yes of {measure!r}: it holds no yes/no or 0/1 values"
                            f"{filters_text(params.filters)}. Ask for its average instead (stat=mean).")
        if "customer" in params.by and measure and params.stat in ("max", "min"):
            return self._customers_ranked(dataset, params, where, args, int(head["customers"]))
        for dim in params.by:
            if dim == "period" and "signup_date" in cols:  # "signups per year": customers by their signup date
                continue
            if dim not in cols:
                raise DataError(unknown(dataset, dim) + " (only a customers table is loaded)")
        low = {c: v for c, v in dataset.values().get("customers", {}).items() if c in cols}
        preferred = ("country", "region", "segment", "contract", "industry", "company_size", "gender")
        # a column filtered to one value is no split ("for job = retired": by job would be the one group)
        low = {c: v for c, v in low.items() if len((params.filters or {}).get(c) or []) != 1}
        dims = list(params.by) or ([c for c in preferred if c in low] + [c for c in low if c not in preferred])[:4]
        counted_values = measure and (params.values or params.stat == "filled")
        if counted_values and not params.by:  # "share with a PhD": the column's values, counted, are its breakdown
            dims = [measure]
        tables, charts, splits = [], [], []
        churn_col = ', avg(CAST(churned AS DOUBLE)) AS "churn rate"' if "churned" in cols and \
            "churned" not in params.filters else ""
        measure_col = f', {stat_sql} AS "{label}"' if measure else ""
        plain = measure_col if not counted_values else ""  # the counted column by itself: its counts only
        measured, signups = [], []
        if measure and not params.by:  # "average monthly charges": the one figure, and its splits below
            dims = dims[:2]
        for dim in dims:
            # the churn flag as two named groups (its rate per group would be 100% and 0%)
            key = f"CASE WHEN churned THEN 'churned' WHEN NOT churned THEN 'not churned' END AS churned" \
                if dim == "churned" else _customers_group(dataset, dim)
            dim_where, dim_args = where, args
            if dim in dated:
                key = f"{kit.period_sql(dataset, qi(dim), params.grain)} AS {qi(dim)}"
            if dim == "period":  # signups per period, in time order
                key = f"{kit.period_sql(dataset, 'signup_date', params.grain)} AS period"
                if params.start or params.end:  # "joined each month in 2022": the signups of the period asked
                    dim_where, dim_args = self._signups_in(where, args, params)
            # a number of many values ("by age band" read as year_birth, "by income"): its quartile bands, fixed
            # from the whole column (kit.numeric_bands, as churn's), not one group per value
            edges = kit.numeric_bands(dataset, dim) if dim in params.by and dim not in ("period", "churned") \
                and kit.quartile_edges(dataset, dim) is not None else None
            banded: list = []
            if edges:
                band, banded = kit.band_sql(f"TRY_CAST({qi(dim)} AS DOUBLE)", edges)
                key = f"{band} AS {qi(dim)}"
            frame = dataset.query(f"""
                SELECT {key}, count(*) AS customers, count(*) / sum(count(*)) OVER () AS "share of customers"
                       {churn_col if dim != "churned" else ""}{measure_col if dim != measure else plain}
                FROM customers WHERE {dim_where} GROUP BY 1 ORDER BY {f'"{label}" DESC NULLS LAST' if measure and (
                    dim != measure or not counted_values) else '2 DESC'}, 1""", banded + dim_args)
            frame = frame.round({c: 4 for c in frame.select_dtypes("number").columns})  # a period column stays a date
            title = f"{label[0].upper()}{label[1:]} by {dim.replace('_', ' ')}" if measure and (
                dim != measure or not counted_values) else f"Customers by {dim.replace('_', ' ')}"
            if dim in dated:  # in time order, each period as every breakdown by period says it
                frame = frame.dropna(subset=[dim]).sort_values(dim).reset_index(drop=True)
                frame[dim] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start) for v in frame[dim]]
                title = f"{title} ({params.grain})"
            if dim == "period":
                frame = frame.dropna(subset=["period"]).sort_values("period")
                frame["period"] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start)
                                   for v in frame["period"]]
                frame = frame.rename(columns={"period": params.grain, "customers": "signups"}).reset_index(drop=True)
                dim, title = params.grain, f"Signups by {params.grain} (signup date)"
            table = Table.from_frame(f"by_{dim}", frame, title, max_rows=params.top if dim != params.grain else 400)
            tables.append(table)
            charts.append(Chart(kind="bar", title=table.title, table=table.name, x=dim,
                                y=[label] if measure else ["signups" if "signups" in table.columns else "customers"]))
            if dim == params.grain and "signups" in table.columns:
                scoped = f" in {period_label(params.start, params.end)}" if params.start or params.end else ""
                signups.append(f"Signups by {dim}{scoped}: " + ", ".join(f"{r[0]}: {r[1]:,}" for r in table.rows[-12:])
                               + "." + (f" {int(frame['signups'].sum()):,} in all (signup date)." if scoped else ""))
                continue
            splits.append({"dim": dim.replace("_", " "), "name": str(table.rows[0][0]), "customers": table.rows[0][1],
                           "share": table.rows[0][2], "n": table.total_rows})
            if measure and label in frame.columns:
                known = frame.dropna(subset=[label])
                if len(known):
                    # the group read from its own column: a row of numbers would make group 0 "0.0"
                    def few(row) -> str:  # an average over a handful of customers is no finding: said with its size
                        n = row.get("customers")
                        return f"; only {int(n):,} customers, a small sample" if n == n and kit.small(n) else ""

                    measured.append({"dim": dim.replace("_", " "), "high": str(known[dim].iloc[0]),
                                     "high_value": float(known.iloc[0][label]), "low": str(known[dim].iloc[-1]),
                                     "low_value": float(known.iloc[-1][label]), "n": len(known),
                                     "high_few": few(known.iloc[0]), "low_few": few(known.iloc[-1])})
        import pandas as pd

        crossed = self._customers_crossed(dataset, params, where, args, low) if not measure else None
        if crossed is not None:
            tables.append(crossed[0])
        churn_rate = head["churn_rate"] if head["churn_rate"] == head["churn_rate"] else None  # NaN: no churn flag
        overall = head.get("measure") if measure and head.get("measure") == head.get("measure") else None
        no_id = int(head["rows"]) - int(head["customers"])  # customer rows without an id: in the view, not in the count
        whole = None
        if params.stat == "sum" and overall is not None and params.filters:
            # a sum of part of the customers ("monthly charges of the churned"): and its share of everyone's
            whole = dataset.query(f"SELECT sum(TRY_CAST({qi(measure)} AS DOUBLE)) AS total, count(*) AS n "
                                  "FROM customers").iloc[0].to_dict()
        headline = pd.DataFrame([("customers", int(head["customers"]))] +
                                ([("customer rows without an id", no_id)] if no_id > 0 else []) +
                                ([("churn rate", round(churn_rate, 6))] if churn_rate is not None else []) +
                                ([(label, round(float(overall), 6))] if overall is not None else []) +
                                ([(f"{label} of all customers", round(float(whole["total"]), 6)),
                                  ("share of the total", round(float(overall) / float(whole["total"]), 6))]
                                 if whole and whole["total"] else []),
                                columns=["measure", "value"], dtype=object)
        summary = render("overview_customers.md.j2", customers=int(head["customers"]), churn_rate=churn_rate,
                         splits=[] if measure else splits, filters=filters_text(params.filters), label=label,
                         column=measure, overall=overall, measured=measured, percent=params.stat == "share",
                         over=int(head["known"]) if measure and params.stat == "share" else None)
        of_whole = self._flag_count_of(dataset, params, int(head["customers"])) if not measure else None
        if of_whole:  # "how many students subscribed": 269 of the 938 students
            first, _, rest = summary.partition("\n")
            summary = f"{first.rstrip()} {of_whole}\n{rest}"
        if whole and whole["total"]:
            first, _, rest = summary.partition("\n")
            summary = (f"{first} That is **{pct(float(overall) / float(whole['total']))}** of the "
                       f"{float(whole['total']):,.2f} of all {int(whole['n']):,} customers.\n{rest}")
        if params.stat in ("mean", "median") and overall is not None and params.filters and not params.by:
            # "do customers with kids at home spend less": the customers the filters leave out, beside
            others = dataset.query(f"SELECT {'avg' if params.stat == 'mean' else 'median'}(TRY_CAST({qi(measure)} AS "
                                   f"DOUBLE)) AS v, count(*) AS n FROM customers WHERE NOT coalesce(({where}), false)",
                                   args).iloc[0]
            if int(others["n"]) and others["v"] == others["v"] and others["v"] is not None:
                first, _, rest = summary.partition("\n")
                summary = (f"{first} Against **{float(others['v']):,.2f}** for the other {int(others['n']):,} "
                           f"customers.\n{rest}")
                headline = pd.concat([headline, pd.DataFrame([(f"{label} of the other customers",
                                                               round(float(others["v"]), 6))],
                                                             columns=["measure", "value"], dtype=object)],
                                     ignore_index=True)
        if counted_values and overall is not None:  # "486 of 2,240 customers (21.7%) have education = PhD"
            said = f"a {measure.replace('_', ' ')}" if params.stat == "filled" else \
                f"{measure} = {', '.join(params.values)}"
            hits, known = int(head["hits"] or 0), int(head["known"] or 0)
            summary = (f"**{hits:,} of {known:,} customers ({pct(hits / known)})** have {said}"
                       f"{filters_text(params.filters)}" + (f"; {int(head['rows']) - known:,} have no {measure} and are "
                                                            "left out" if known < int(head["rows"]) else "") + "."
                       + (f" Of all of them, {pct(churn_rate)} have churned." if churn_rate is not None else ""))
            if tables and tables[0].rows:
                summary += "\n\n- By " + measure.replace("_", " ") + ": " + ", ".join(
                    f"**{r[0] if r[0] is not None else '(blank)'}** {r[1]:,} ({pct(r[2])})" for r in tables[0].rows[:4]) + (
                    f", of {tables[0].total_rows:,} values." if tables[0].total_rows > 4 else ".")
        elif measure and params.stat == "share" and overall is not None:
            # a yes/no column: the one figure with its whole, and which customers the whole is
            summary = self._flag_lead(dataset, params, head, where, args, counted) + "\n\n" + summary
        if crossed is not None:
            summary = f"{summary.rstrip()}\n\n{crossed[1]}"
        if signups:
            summary = f"{summary.rstrip()}\n\n" + "\n".join(signups)
        if params.stat == "nps" and measure:
            summary = f"{summary.rstrip()}\n\nNPS = % promoters (scores 9-10) minus % detractors (0-6), of those who scored."
        return Answer(analysis=self.name, title="Customer overview", summary=summary,
                      tables=[Table.from_frame("headline", headline, "Headline figures"), *tables], charts=charts,
                      follow_ups=[f"customers by {d.replace('_', ' ')}" for d in low if d not in dims][:3],
                      warnings=stood + self._period_not_applied(dataset, params) + ([] if dataset.has("transactions")
                                                                             else [self._no_sales(params)])
                      + self._accounts_rule(dataset),
                      provenance=Provenance(method="SQL counts over the customers view", rows_used=int(head["rows"])))

    @staticmethod
    def _customers_crossed(dataset, params: OverviewParams, where: str, args: list, low: dict):
        """(table, sentence) of the customers counted by two columns of few values asked together
        ("satisfaction level by membership type"): one row per group of the second, a column per value
        of the first, and the first's commonest value in each group. None unless exactly two such
        columns are asked (each table alone gives only its own totals)."""
        by = list(params.by)
        if len(by) != 2 or any(d not in low or d in ("period", "churned") for d in by):
            return None
        across, down = by
        frame = dataset.query(f"SELECT {_customers_group(dataset, down)}, {_customers_group(dataset, across)}, "
                              f"count(*) AS customers FROM customers WHERE {where} GROUP BY 1, 2", args)
        if frame.empty:
            return None
        wide = frame.pivot_table(index=down, columns=across, values="customers", aggfunc="sum", fill_value=0)
        wide = wide.astype(int)
        wide.columns = [str(c) for c in wide.columns]
        wide["customers"] = wide.sum(axis=1)
        wide = wide.sort_values("customers", ascending=False).reset_index()
        wide[down] = wide[down].astype(str)
        name = f"Customers by {down.replace('_', ' ')} and {across.replace('_', ' ')}"
        table = Table.from_frame(f"by_{down}_and_{across}", wide, name, max_rows=params.top or 50)
        values = [c for c in wide.columns if c not in (down, "customers")]
        parts = []
        for _, row in wide.head(8).iterrows():
            top = max(values, key=lambda v: row[v])
            parts.append(f"**{row[down]}**: {top} ({int(row[top]):,} of {int(row['customers']):,})")
        sentence = (f"- The commonest {across.replace('_', ' ')} in each {down.replace('_', ' ')}: "
                    + ", ".join(parts) + ".")
        return table, sentence

    @staticmethod
    def _flag_count_of(dataset, params: OverviewParams, hits: int) -> str | None:
        """A count of customers filtered on a yes/no column's yes or a comparison ("how many students subscribed":
        job = student, subscription = yes), else on the last filter said ("what percentage are married or
        living together"), said of the customers the other filters pick: "That is 269 of the 938 customers
        for job = student (28.7%)." None without a filter."""
        filters = params.filters or {}
        values = dataset.values().get("customers", {})
        pairs = [*schema.YES_NO_PAIRS, ("1", "0")]
        flags = [c for c, v in filters.items() if len(v) == 1 and any(
            str(v[0]).lower() == yes and {str(x).lower() for x in values.get(c) or []} == {yes, no} for yes, no in pairs)]
        flags += [c for c, v in filters.items() if kit.condition(v)]  # "a negative balance": balance < 0
        named = len(flags) != 1 and filters and "segment" not in filters
        if named:
            flags = [list(filters)[-1]]  # "what percentage are married or living together": of them all
        if len(flags) != 1:
            return None
        rest = {c: v for c, v in filters.items() if c != flags[0]}
        where, args = ["true"], []
        for column, vals in rest.items():
            if column == "segment" and dataset.has_segments:
                where.append(f"customer_id IN (SELECT customer_id FROM segments WHERE segment IN "
                             f"({', '.join('?' * len(vals))}))")
                args += list(vals)
                continue
            clause, bound = kit.filter_sql(qi(column), vals)
            where.append(clause)
            args += bound
        whole = dataset.engine.rows(f"SELECT count(DISTINCT customer_id) FROM customers WHERE {' AND '.join(where)}",
                                    args)[0][0]
        if not whole:
            return None
        said = filters_text({flags[0]: filters[flags[0]]})[len(" for "):]
        if named and not rest:  # the filter is on the first line already
            return f"That is {pct(hits / whole)} of all {whole:,} customers."
        return f"That is {hits:,} of the {whole:,} customers{filters_text(rest)} ({pct(hits / whole)}) with {said}."

    def _customers_ranked(self, dataset, params: OverviewParams, where: str, args: list, customers: int) -> Answer:
        """"top 10 customers by total transaction amount" on a customers table alone: its rows (one per
        customer) in the order of the numeric column (``stat`` max: the highest first; min: the lowest),
        with the customers' few-valued attributes beside it."""
        import pandas as pd

        measure, high = params.measure, params.stat == "max"
        attributes = [c for c in dataset.values().get("customers", {}) if c in dataset.columns("customers")
                      and c != measure][:4]
        frame = dataset.query(
            f"SELECT customer_id AS customer, TRY_CAST({qi(measure)} AS DOUBLE) AS {qi(measure)}"
            + "".join(f", {qi(c)}" for c in attributes)
            + f" FROM customers WHERE {where} AND TRY_CAST({qi(measure)} AS DOUBLE) IS NOT NULL "
            f"ORDER BY 2 {'DESC' if high else 'ASC'}, 1 LIMIT {int(params.top)}", args)
        if frame.empty:
            raise DataError(f"no customer has a {measure} that reads as a number{filters_text(params.filters)}.")
        share = dataset.query(f"SELECT sum(TRY_CAST({qi(measure)} AS DOUBLE)) AS total FROM customers WHERE {where}",
                              args).iloc[0]["total"]
        which = "top" if high else "bottom"
        title = f"{which.capitalize()} {len(frame)} customers by {measure.replace('_', ' ')}"
        table = Table.from_frame("by_customer", frame, title, max_rows=int(params.top))
        shown = float(frame[measure].sum())
        lead = frame.iloc[0]
        summary = (f"**{which.capitalize()} {len(frame)} of {customers:,} customers by {measure}**"
                   f"{filters_text(params.filters)}: {'highest' if high else 'lowest'} is customer "
                   f"**{lead['customer']}** with {lead[measure]:,.2f}"
                   + (f", then {frame.iloc[1]['customer']} with {frame.iloc[1][measure]:,.2f}" if len(frame) > 1 else "")
                   + "." + (f" Together they hold {pct(shown / share)} of the sum of {measure} over all customers ({share:,.2f})."
                            if share and share > 0 and high else ""))
        headline = pd.DataFrame([("customers", customers)], columns=["measure", "value"], dtype=object)
        return Answer(analysis=self.name, title="Customer overview", summary=summary,
                      tables=[table, Table.from_frame("headline", headline, "Headline figures")],
                      charts=[Chart(kind="bar", title=title, table=table.name, x="customer", y=[measure])],
                      warnings=self._period_not_applied(dataset, params) + ([] if dataset.has("transactions") else [
                          "no sales data loaded: customers are ranked by the customers table's own column"]),
                      provenance=Provenance(method=f"customers ordered by {measure} over the customers view",
                                            rows_used=customers))

    @staticmethod
    def _flag_lead(dataset, params: OverviewParams, head: dict, where: str, args: list, counted: str) -> str:
        """"**1,067 of 1,511 customers (70.6%)** have accepts_email_marketing = yes": a yes/no column's
        share as a count with its whole, the whole named (every customer of the customers table, buyers
        or not, rows without an id included) and, where orders are loaded, the same share among the
        customers who bought."""
        hits, known, rows = int(head["hits"] or 0), int(head["known"] or 0), int(head["rows"])
        yes = head.get("yes") if head.get("yes") is not None else "yes"
        column = params.measure
        lead = (f"**{hits:,} of {known:,} customers ({pct(hits / known)})** have {column} = {yes}"
                f"{filters_text(params.filters)}")
        if known < rows:
            lead += f"; {rows - known:,} have no {column} and are left out"
        files = [s.raw.name for s in dataset.sources if s.role == "customers"]
        whole = f"every customer row of {', '.join(files)}" if files else "every customer row"
        missing = rows - int(head["customers"])
        if dataset.has("transactions"):
            whole += ", whether they bought or not"
        if missing > 0:
            whole += (f" ({missing:,} of them without a customer id "
                      f"({kit.source_header(dataset, 'customers', 'customer_id')}), counted as customers too)")
        lead += f". Counted over {whole}."
        if dataset.has("transactions"):
            bought = dataset.query(
                f"SELECT sum({counted}) AS hits, count({counted}) AS known, count(*) AS n FROM customers WHERE {where} "
                "AND customer_id IN (SELECT customer_id FROM transactions WHERE customer_id IS NOT NULL)",
                args).iloc[0].to_dict()
            b_hits, b_known = int(bought["hits"] or 0), int(bought["known"] or 0)
            if b_known:
                lead += (f" Of the {b_known:,} of them who bought (a purchase in the orders), {b_hits:,} "
                         f"({pct(b_hits / b_known)}) have {column} = {yes}.")
            else:
                lead += " None of them has a purchase in the orders (the ids do not meet)."
        return lead

    @staticmethod
    def _accounts_rule(dataset) -> list[str]:
        """The per-account rule of an accounts' table made from subscriptions (kit.accounts_note)."""
        life = dataset.lifecycle()
        if life is None or not any(s.lines_of == life["source"] for s in dataset.sources if s.role == "customers"):
            return []
        return [kit.accounts_note(life, dataset.last_order_date())]

    @staticmethod
    def _signups_in(where: str, args: list, params: OverviewParams) -> tuple[str, list]:
        """``where`` and ``args`` with the customers' signup date within the period asked."""
        import datetime as dt

        if params.start:
            where, args = f"{where} AND signup_date >= ?", [*args, params.start]
        if params.end:
            where, args = f"{where} AND signup_date < ?", [*args, params.end + dt.timedelta(days=1)]
        return where, args

    @staticmethod
    def _year_part(dataset, params: OverviewParams) -> str | None:
        """The customers table's year column of a date kept in parts (arrival_date_year) when the period
        asked is whole calendar years and the table has no signup date: the rows of those years."""
        if not (params.start and params.end) or not dataset.has("customers"):
            return None
        cols = dataset.columns("customers")
        if "signup_date" in cols or (params.start.month, params.start.day, params.end.month, params.end.day) != \
                (1, 1, 12, 31):
            return None
        return kit.date_part_column(cols, "year")

    @staticmethod
    def _period_not_applied(dataset, params: OverviewParams) -> list[str]:
        """The customers overview counts every customer: a period asked for is said not applied
        (its first line repeats it), never silently dropped; signups by period ("joined each month in
        2022") are the period's, said so."""
        if not (params.start or params.end):
            return []
        year_part = Overview._year_part(dataset, params)
        if year_part:
            return [f"{period_label(params.start, params.end)} is read by {year_part}: the rows of that year"]
        signup = dataset.mapping_of(next(s for s in dataset.sources if s.role == "customers")).get("signup_date") \
            if "signup_date" in dataset.columns("customers") else None
        if signup and params.new_customers and "period" not in params.by:
            return [f"{period_label(params.start, params.end)} is read by the signup date ({signup.column}): the "
                    "customers who joined in it"]
        if signup and "period" in params.by:
            return [f"{period_label(params.start, params.end)} is read by the signup date ({signup.column}): the signups "
                    "by period are those of the period; the other figures count every customer (no order dates are "
                    "loaded)"]
        dates = f" (signups by period show when they joined, by {signup.column})" if signup else ""
        return [f"not applied: {period_label(params.start, params.end)} (no order dates are loaded, only a customers "
                f"table: these figures count every customer{dates}; load the orders to limit them to a period)"]

    @staticmethod
    def _highlight(table: Table, dim: str, metric: str, fiscal: int = 1) -> dict:
        """The row the narrative names: the peak period, or the first of a ranked breakdown."""
        frame = table.frame
        if metric not in frame:  # "customers" per customer (a follow-up of "how many customers"): by revenue,
            # or by units where the lines have no money (a till's items)
            metric = next((c for c in ("revenue", "units") if c in frame and frame[c].notna().any()),
                          "revenue" if "revenue" in frame else str(frame.columns[1]))
        i = int(frame[metric].fillna(0).to_numpy().argmax()) if dim == "period" or dim in kit.CYCLES else 0
        col = next((c for c in frame.columns if c.startswith("share of")), None)
        share = frame[col].iloc[i] if col else None
        if col and col[len("share of "):] != metric:  # "top category with units of 1,965": not its share of revenue
            total = float(frame[metric].sum()) if metric == "units" else 0.0  # units add up; orders and customers may not
            share, col = (float(frame[metric].iloc[i]) / total, f"share of {metric}") if total else (None, None)
        name = table.rows[i][0] if i < len(table.rows) else frame.iloc[i, 0]
        return {"dim": dim, "name": period_name(name, table.columns[0], fiscal) if dim == "period"
                else str(name),
                "value": frame[metric].iloc[i].item(), "share": None if share is None else float(share),
                "peak": dim == "period", "metric": metric, "n": table.total_rows,
                "of": col[len("share of "):] if col else None}

    @staticmethod
    def _customers_listed(dataset, buyers: int, filters: dict | None = None) -> str | None:
        """"How many customers do we have (in China)" with orders and a customers table: those who
        bought, and those the customers table lists, buyers or not (a shop's export holds its newsletter
        sign-ups too), and how many of them never bought, each said with what it counts; under the
        filters when the customers have every column they name (else None: a sales filter)."""
        try:
            where, args = kit.customer_filters_sql(dataset, filters, alias="")
        except ScopeError:
            return None
        row = dataset.query(f"SELECT count(*) AS n, count(DISTINCT customer_id) AS ids, count(DISTINCT customer_id) "
                            f"FILTER (WHERE customer_id IN (SELECT customer_id FROM transactions)) AS bought "
                            f"FROM customers WHERE {where}", args).iloc[0].to_dict()
        n, ids, bought = int(row["n"]), int(row["ids"]), int(row["bought"] or 0)
        files = ", ".join(s.raw.name for s in dataset.sources if s.role == "customers")
        return (f"**{buyers:,} customers bought**{filters_text(filters)} (a purchase in the orders); the customers "
                f"table ({files}) lists **{n:,} customers**{filters_text(filters)}, buyers or not"
                + (f" ({n - ids:,} of them without a customer id)" if n > ids else "")
                + f", {bought:,} of whom bought: **{ids - bought:,} never bought**.")

    @staticmethod
    def _discount_cost(dataset, coded, facts: dict, where: str, args: list) -> str:
        """What discounts cost, said with its whole: their sum over the purchases (an order's discount
        column, refunds in full left out as they are no sales), the orders that had one and the share
        of gross sales; by a discount code column, the orders with no code, the code used on the most
        orders and the code that cost the most."""
        code = f", count(DISTINCT t.order_id) FILTER (WHERE ({coded.expr}) <> '(blank)') AS coded" if coded else ""
        row = dataset.query(f"SELECT sum(t.discount) AS cost, count(DISTINCT t.order_id) FILTER (WHERE t.discount > 0) "
                            f"AS discounted, count(DISTINCT t.order_id) AS orders{code} "
                            f"FROM transactions t {coded.join if coded else ''} WHERE {where}", args).iloc[0].to_dict()
        cost, orders = float(row["cost"] or 0), int(row["orders"] or 0)
        gross = facts.get("gross")
        text = (f"Discounts cost **{cost:,.2f}** in all, on {int(row['discounted'] or 0):,} of {orders:,} orders"
                + (f" ({pct(cost / gross)} of gross sales, {gross:,.2f})" if gross else "")
                + ": the sum of the discount column over the purchases"
                + (" (orders refunded in full left out: they are no sales)" if facts.get("voided") else "")
                + ", taken off revenue.")
        if coded:
            with_code = int(row["coded"] or 0)
            text += (f" {with_code:,} orders ({pct(with_code / orders)}) used a {coded.name.replace('_', ' ')} and "
                     f"{orders - with_code:,} none." if orders else "")
            per = dataset.query(f"SELECT ({coded.expr}) AS code, count(DISTINCT t.order_id) AS orders, "
                                f"sum(t.discount) AS cost FROM transactions t {coded.join} WHERE {where} "
                                f"AND ({coded.expr}) <> '(blank)' GROUP BY 1", args)
            if len(per):
                most = per.sort_values(["orders", "cost", "code"], ascending=[False, False, True]).iloc[0]
                dear = per.sort_values(["cost", "orders", "code"], ascending=[False, False, True]).iloc[0]
                text += (f" Used most: **{most['code']}** on {int(most['orders']):,} orders "
                         f"({float(most['cost'] or 0):,.2f} of discounts); cost most: **{dear['code']}**, "
                         f"{float(dear['cost'] or 0):,.2f} on {int(dear['orders']):,} orders.")
        return text

    @staticmethod
    def _focus(table: Table, dim: str, params: OverviewParams, until=None) -> dict:
        """What the narrative of a specific question leads with: the breakdown asked for, its first
        rows (the top, or for periods the peak and the latest, with its change on the period before when
        the data covers it whole to ``until``, the last day with sales) and its last."""
        frame = table.frame
        metric = _label(params)
        if metric not in frame:
            metric = str(next(c for c in frame.columns[1:] if c != NAME_COLUMN))
        key = frame.columns[0]
        averaged = (metric.startswith(("average", "mean", "median")) or metric == PER_CUSTOMER) \
            and dim not in ("period", "customer")
        share = next((c for c in frame.columns if c.startswith("share of")), None)
        if share and not share.endswith(metric):
            # "delivered 3,965 orders (97.9% of revenue)" would read as a share of the orders: a measure that
            # adds up is said as its own share ("discounts 180.00 (85.7% of discounts)"), any other with none
            total = float(frame[metric].sum()) if metric in ("units", "discounts") else 0.0
            frame = frame.assign(**{f"share of {metric}": frame[metric] / total}) if total else frame
            share = f"share of {metric}" if total else None
        rows = [{"name": (f"{r[key]} – {r[NAME_COLUMN]}" if NAME_COLUMN in frame and r[NAME_COLUMN] == r[NAME_COLUMN]
                          and r[NAME_COLUMN] is not None else str(r[key])) if dim != "period" else
                 period_name(r[key], params.grain),
                 "value": r[metric], "share": float(r[share]) if share and r[share] == r[share] else None,
                 # an average over a handful of customers is no finding: said with its size
                 "small": int(r["customers"]) if averaged and "customers" in frame and r["customers"] == r["customers"]
                 and kit.small(r["customers"]) else None}
                for _, r in frame.iterrows() if r[metric] == r[metric]]
        blank = next((r for r in rows if r["name"] == "(blank)"), None) if dim != "period" else None
        if blank:  # no city is no city to rank: said apart ("null" cities led a ranking, trial 23)
            rows = [r for r in rows if r is not blank]
            blank = None if kit.DISCOUNT_CODE.match(dim) else blank  # the orders with no code: said by _discount_cost
        out = {"metric": metric, "dim": dim.replace("_", " ") if dim != "period" else params.grain,
               "plural": kit.plural(dim if dim != "period" else params.grain, len(rows)),
               "n": len(rows), "period": dim == "period", "lowest": params.bottom and dim != "period", "of": share[len("share of "):] if share else None, "top": rows[:3], "last": rows[-1] if len(rows) > 3 else None,
               "blank": blank, "change": None}
        if dim == "period" and rows:
            out["top"] = [max(rows, key=lambda r: r["value"])]
            out["last"] = rows[-1]
            before = rows[-2] if len(rows) >= 2 else None
            if before and before["value"] and whole_period(frame[key].iloc[-1], params.grain, until):
                # "turnover each year and the YoY change": the latest against the one before, said
                out["change"] = {"name": before["name"], "rel": (rows[-1]["value"] - before["value"]) / abs(before["value"])}
        elif dim in kit.CYCLES and rows:  # shown Monday to Sunday; said from the highest (the lowest asked)
            ranked = sorted(rows, key=lambda r: r["value"], reverse=not params.bottom)
            out["top"], out["last"] = ranked[:3], ranked[-1] if len(ranked) > 3 else None
        return out

    @staticmethod
    def _facts(head: dict, returns: dict, voided: dict, gross: bool = False) -> dict:
        def val(x):
            return None if x is None or x != x else x

        f = {k: val(v) for k, v in head.items()}
        f["first"] = f["first"].date() if f["first"] is not None else None
        f["last"] = f["last"].date() if f["last"] is not None else None
        # a blank amount is not a zero: the average is over the orders with an amount
        priced = f.get("priced_orders", f["orders"])
        # no order with an amount at all (lines without money): no average to leave them out of; the load
        # notes say there is no amount
        f["unpriced_orders"] = int((f["orders"] or 0) - (priced or 0)) if priced else 0
        f["aov"] = f["revenue"] / priced if f["revenue"] is not None and priced else None
        # per customer: the orders and revenue of the lines with a customer id (those without one are
        # in the totals, not shared out over the customers)
        orders, revenue = f.get("customer_orders", f["orders"]), f.get("customer_revenue", f["revenue"])
        f["orders_per_customer"] = orders / f["customers"] if f["customers"] and orders is not None else None
        f["anonymous_orders"] = int(f["orders"] - orders) if f["orders"] is not None and orders is not None else 0
        f["anonymous_revenue"] = f["revenue"] - revenue if f["anonymous_orders"] and f["revenue"] is not None \
            and revenue is not None else None
        # ... and revenue per customer over the customers with an amount (orders with no amount are no spend)
        buyers = f.get("priced_customers") or f["customers"] if f.get("unpriced_orders") else f["customers"]
        f["revenue_per_customer"] = revenue / buyers if revenue is not None and buyers else None
        f["returns"] = int(returns["n"] or 0)
        f["returns_value"] = val(returns["value"])
        f["voided"] = int(voided["n"] or 0)
        f["voided_value"] = val(voided["value"])
        f["void"] = int(voided.get("void_n") or 0)  # neither sales nor refunds (voided, pending, failed...)
        f["void_value"] = val(voided.get("void_value"))
        f["refunded_orders"] = int(f["refunded_orders"] or 0)
        f["zero_lines"] = int(f["zero_lines"] or 0)
        # every refund, return and cancellation: what "how many refunds did we have" asks
        f["refund_orders"] = f["refunded_orders"] + f["voided"] + int(returns["orders"] or 0)
        f["refund_value"] = (f["refunds"] or 0) + (f["returns_value"] or 0) + (f["voided_value"] or 0)
        # revenue is net: gross sales are what discounts and refunds were taken off
        f["net"] = None
        if f["revenue"] is not None and (f["discounts"] is not None or f["refunds"] is not None):
            if gross:  # [definitions] revenue = "gross": revenue is before discounts and refunds
                f["gross"], f["net"] = f["revenue"], f["revenue"] - (f["discounts"] or 0) - (f["refunds"] or 0)
            else:
                f["gross"] = f["revenue"] + (f["discounts"] or 0) + (f["refunds"] or 0)
        else:
            f["gross"] = None
        return f

    @staticmethod
    def _headline_frame(f: dict):
        import pandas as pd

        money = [("gross sales", f["gross"]), ("discounts", f["discounts"] or 0.0),
                 *([("refunds", f["refunds"])] if f["refunds"] is not None else [])] if f["gross"] is not None else []
        if f.get("net") is not None:
            money.append(("net sales", f["net"]))
        rows = [("customers", f["customers"]), ("orders", f["orders"]), *money, ("revenue", f["revenue"]),
                ("average order value", f["aov"]), ("orders per customer", f["orders_per_customer"]),
                ("revenue per customer", f["revenue_per_customer"]), ("units", f["units"]),
                *([("units per order", f["units"] / f["orders"])] if f["units"] is not None and f["orders"] else []),
                ("first order", f["first"]), ("last order", f["last"]), ("return lines", f["returns"]),
                ("returned value", f["returns_value"])]
        if f["returns"] and f["revenue"] is not None and f["returns_value"]:
            rows.append(("revenue net of returns", f["revenue"] - f["returns_value"]))
        if f["refunds"] is not None:
            rows.append(("orders with a partial refund", f["refunded_orders"]))
        if f["voided"]:
            rows += [("orders refunded in full", f["voided"]), ("value refunded in full", f["voided_value"])]
        if f.get("void"):
            rows += [("orders voided or not completed (not sales)", f["void"]),
                     ("value voided or not completed", f["void_value"])]
        if f.get("unpriced_orders"):
            rows.append(("orders without an amount (not in the average)", f["unpriced_orders"]))
        if f["zero_lines"]:
            rows.append(("purchase lines worth zero", f["zero_lines"]))
        if f.get("anonymous_orders"):  # in the totals above, not in the per-customer figures
            rows.append(("orders without a customer id", f["anonymous_orders"]))
            if f.get("anonymous_revenue") is not None:
                rows.append(("revenue without a customer id", f["anonymous_revenue"]))
        frame = pd.DataFrame(rows, columns=["measure", "value"])
        frame["value"] = [int(v) if isinstance(v, float) and v.is_integer() else round(v, 2) if isinstance(v, float)
                          else v for v in frame["value"]]
        return frame

    def _group(self, dataset, params, dim, where, args, exact: bool = True):
        """One breakdown (a ``kit.Dimension``): the metric, revenue, orders and customers per value
        (without ``exact``, on more than EXACT_LINES lines: orders and customers only when they
        are the metric)."""
        label = _label(params)
        order = "1" if dim.origin == "period" or dim.order else \
            "2 ASC NULLS LAST, 1" if params.bottom else "2 DESC NULLS LAST, 1"
        if label == PER_CUSTOMER and dim.name != "customer":
            measures = {label: PER_CUSTOMER_SQL, "revenue": METRIC_SQL["revenue"], "orders": METRIC_SQL["orders"],
                        "customers": METRIC_SQL["customers"]}
            share, value = "share of revenue", "t.amount"
        elif params.metric == "refunds":
            measures = {label: METRIC_SQL["refunds"], "orders": METRIC_SQL["orders"],
                        "return lines": "count(*) FILTER (WHERE t.is_return)", "customers": METRIC_SQL["customers"]}
            share, value = "share of refunds", REFUND_VALUE
        else:
            measures = {label: METRIC_SQL[params.metric], "revenue": METRIC_SQL["revenue"],
                        "orders": METRIC_SQL["orders"], "customers": METRIC_SQL["customers"]}
            share, value = "share of revenue", "t.amount"
        coded = kit.discount_code(dataset, dim.name)  # "which codes were used most": the blank is no code
        if (coded or params.metric == "discount") and "discount" in dataset.columns("transactions") \
                and label != "discounts" and params.metric != "refunds":
            measures["discounts"] = METRIC_SQL["discount"]  # what each group's discounts cost
        if coded and not params.bottom:
            order = f"({dim.expr}) = '(blank)', {order}"
        if dim.name == "customer":
            del measures["customers"]
            if params.metric != "refunds" and dataset.no_customer()["lines"]:
                share = "share of customer revenue"  # the lines without a customer id are not in the ranking
        named = kit.customer_name(dataset) if dim.name == "customer" else None
        if named:  # Superstore's Customer Name beside its Customer ID
            measures[NAME_COLUMN], dim = named[0], dataclasses.replace(dim, join=f"{dim.join} {named[1]}")
        if not exact and params.metric != "refunds":  # the metric's distinct counts estimated (APPROX_NOTE)
            measures = {k: v for k, v in measures.items() if k not in ("orders", "customers") or k == label}
            if label in measures and params.metric in ("orders", "customers", "aov"):
                measures[label] = metric_sql(params.metric, approx=True)
        column = params.grain if dim.origin == "period" else dim.name
        select = ", ".join(f"{sql} AS {qi(name)}" for name, sql in measures.items())
        view, where = self._lines(params, where)
        frame = dataset.query(f"""
            SELECT {dim.expr} AS {qi(column)}, {select},
                   sum({value}) / nullif(sum(sum({value})) OVER (), 0) AS {qi(share)}
            FROM {view} t {dim.join} WHERE {where} GROUP BY 1 ORDER BY {order}""", args)
        for col in frame.columns[1:]:
            if frame[col].dtype.kind == "f":
                frame[col] = frame[col].round(2 if col != share else 6)
        if named:
            frame.insert(1, NAME_COLUMN, frame.pop(NAME_COLUMN))
        if dim.name == "product":  # postage, fees, manual adjustments: no products to rank (kit.service_products)
            if view == "transactions" and " ".join(where.split()) == "true" and not args and not dim.join \
                    and dim.origin == "transactions" and all(isinstance(v, str) for v in frame[column]):
                kit.products_read(dataset, frame[column])  # every product: services told from them, no second scan
            frame = kit.without_services(dataset, frame, column, params.filters.get("product"))
        if dim.origin == "period":
            frame[column] = [period_value(v, params.grain, dataset.definitions.fiscal_year_start) for v in frame[column]]
            table = Table.from_frame(f"by_{params.grain}", frame, f"{label.capitalize()} by {params.grain}",
                                     max_rows=400)
        elif dim.order:  # a cycle (Monday to Sunday, 00:00 to 23:00): every group, in the cycle's order
            # (put in order here: Spark cannot order by min(place) beside the share's window)
            frame = frame.iloc[sorted(range(len(frame)), key=lambda i: kit.cycle_place(dim.name, frame.iloc[i, 0]))]
            frame = frame.reset_index(drop=True)
            table = Table.from_frame(f"by_{dim.name}", frame, f"{label.capitalize()} by {dim.name.replace('_', ' ')}",
                                     max_rows=400)
        else:
            table = Table.from_frame(f"by_{dim.name}", frame,
                                     f"{'Bottom' if params.bottom else 'Top'} {min(params.top, len(frame))} "
                                     f"{kit.plural(dim.name, min(params.top, len(frame)))} by {label}",
                                     max_rows=params.top)
        return table, dim.name

    @staticmethod
    def _returns_and_voided(dataset, where: str, args: list) -> tuple[dict, dict, int]:
        """Return lines (count, value, orders), orders refunded or cancelled in full (their refund,
        else their value) and purchases with a partial refund (orders), in one pass over the lines
        that are any of these. Over every purchase, once per loaded data."""
        def compute():
            row = dataset.query(f"""
                SELECT count(*) FILTER (WHERE t.is_return) AS n, -sum(t.amount) FILTER (WHERE t.is_return) AS value,
                       count(DISTINCT t.order_id) FILTER (WHERE t.is_return) AS orders,
                       count(DISTINCT t.order_id) FILTER (WHERE NOT t.is_purchase AND NOT t.is_void) AS voided_n,
                       sum(coalesce(nullif(t.refund, 0), t.amount))
                           FILTER (WHERE NOT t.is_purchase AND NOT t.is_void) AS voided_value,
                       count(DISTINCT t.order_id) FILTER (WHERE t.is_void) AS void_n,
                       sum(t.amount) FILTER (WHERE t.is_void) AS void_value,
                       count(DISTINCT t.order_id) FILTER (WHERE t.is_purchase AND NOT t.is_return AND t.refund > 0)
                           AS refunded_orders
                FROM transactions_all t WHERE ({REFUND_LINE} OR t.is_void) AND {where}""", args).iloc[0].to_dict()
            return ({"n": row["n"], "value": row["value"], "orders": row["orders"]},
                    {"n": row["voided_n"], "value": row["voided_value"], "void_n": row["void_n"],
                     "void_value": row["void_value"]}, row["refunded_orders"])

        if " ".join(where.split()) != "true":
            return compute()
        returns, voided, refunded = dataset.shared.fact(dataset.data_version, "overview returns", compute)
        return dict(returns), dict(voided), refunded

    def _breakdowns(self, dataset, params, dims, where, args, exact: bool = True):
        out = [self._group(dataset, params, dims[0], where, args, exact)]
        for other in dims[1:]:
            out.append(self._pivot(dataset, params, dims[0], other, where, args, approx=not exact))
        return out

    @staticmethod
    def _lines(params, where: str) -> tuple[str, str]:
        """The view a metric counts over, and ``where`` with what it keeps: purchases, or for
        refunds every line that is a return, a refund or an order refunded or cancelled in full."""
        if params.metric == "refunds":
            return "transactions_all", f"{where} AND {REFUND_LINE}"
        if params.measure == "status" and params.stat in ("share", "filled"):
            return "transactions_all", where  # "what share of orders get cancelled": of every order, not the purchases
        return "transactions", where

    def _pivot(self, dataset, params, rows_dim, cols_dim, where, args, approx: bool = False):
        """Two breakdowns as one table: ``rows_dim`` down, ``cols_dim`` across. The top N (by the
        metric) is of the breakdown that is not time: over time ("monthly revenue by country") every
        period is a row, in time order, and the columns are the top N countries."""
        re_, ce, join = rows_dim.expr, cols_dim.expr, joins(rows_dim, cols_dim)
        # a cycle down (weekdays, hours) is like time: every value a row, in its order
        over_time = (rows_dim.origin == "period" or bool(rows_dim.order)) and cols_dim.origin != "period" \
            and not cols_dim.order
        ranked = ce if over_time else re_
        metric = metric_sql(params.metric, approx and params.metric != "refunds")
        view, where = self._lines(params, where)
        long = dataset.query(f"""
            WITH top AS (SELECT {ranked} AS k FROM {view} t {join} WHERE {where}
                         GROUP BY 1 ORDER BY {metric} DESC NULLS LAST LIMIT {int(params.top)})
            SELECT {re_} AS r, {ce} AS c, {metric} AS v FROM {view} t {join}
            WHERE {where} AND {ranked} IN (SELECT k FROM top) GROUP BY 1, 2""", args + args)
        wide = long.pivot_table(index="r", columns="c", values="v", aggfunc="sum", fill_value=0)
        if cols_dim.origin != "period":
            wide = wide[wide.sum().sort_values(ascending=False).index]
        wide = (wide.sort_index() if rows_dim.origin == "period"
                else wide.loc[sorted(wide.index, key=lambda v: kit.cycle_place(rows_dim.name, v))] if rows_dim.order
                else wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]).round(2)
        wide.columns = [period_value(c, params.grain, dataset.definitions.fiscal_year_start) if cols_dim.origin == "period" else str(c) for c in wide.columns]
        if rows_dim.origin == "period":
            wide.index = [period_value(r, params.grain, dataset.definitions.fiscal_year_start) for r in wide.index]
        wide = wide.reset_index().rename(columns={"r": rows_dim.name, "index": rows_dim.name})
        name = cols_dim.name if cols_dim.origin != "period" else params.grain
        label = METRIC_LABEL[params.metric].capitalize()
        if over_time:
            n = len(wide.columns) - 1
            down = params.grain if rows_dim.origin == "period" else rows_dim.name
            title = (f"{label} by {down.replace('_', ' ')} of the top {n} {kit.plural(cols_dim.name, n)}"
                     if n >= params.top else f"{label} by {down.replace('_', ' ')} and {cols_dim.name}")
            wide = wide.rename(columns={rows_dim.name: down})
            return Table.from_frame(f"{down}_x_{cols_dim.name}", wide, title), cols_dim.name
        title = f"{label} of the top {len(wide)} {kit.plural(rows_dim.name, len(wide))} by {name}"
        return Table.from_frame(f"{rows_dim.name}_x_{name}", wide, title), cols_dim.name




def whole_period(value, grain: str, until) -> bool:
    """Whether the period ``value`` starts (a period as a table shows it) ends by ``until`` (a day), so it is
    whole: a month the data stops inside is set against no other. A last week or a tenth of it missing, whichever
    is less, still counts whole (a year of gifts ending on 30 December, a December ending on the 28th)."""
    from custlens.templates import period_start

    start, last = period_start(value), kit.as_date(until) if until else None
    if start is None or last is None:
        return False
    months = {"month": 1, "quarter": 3, "year": 12}.get(grain)
    if months:
        m = start.month - 1 + months
        end = dt.date(start.year + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        end = start + dt.timedelta(days=7 if grain == "week" else 1) - dt.timedelta(days=1)
    return (end - last).days <= min(7, int(0.1 * ((end - start).days + 1)))


def _customers_group(dataset, dim: str) -> str:
    """A customers column as breakdown groups (the kit's: empty values "(blank)", never None)."""
    try:
        return f"{dimension(dataset, dim, alias='customers', role='customers').expr} AS {qi(dim)}"
    except DataError:  # a date or id column asked by name: its values as they are
        return qi(dim)


def coverage(dataset):
    """(frame, lead): what the data covers, source by source: role, rows, columns and the dates
    its role's date spans (orders, feedback, events, signups); the lead says it in a sentence."""
    import pandas as pd

    rows, parts = [], []
    for src in dataset.sources:
        date = schema.DATE_OF.get(src.role or "")
        first = last = None
        if date and dataset.has(src.role) and date in dataset.columns(src.role):
            first, last = dataset.rows(f"SELECT CAST(min({date}) AS DATE), CAST(max({date}) AS DATE) "
                                       f"FROM {src.role}")[0]
        rows.append((src.name, src.role or "unknown", int(src.rows), len(src.columns), first, last))
        span = f", {date.replace('_', ' ')}s from {first} to {last}" if first else ""
        parts.append(f"{src.name} ({src.role or 'role unknown'}: {int(src.rows):,} rows, {len(src.columns)} columns{span})")
    frame = pd.DataFrame(rows, columns=["source", "role", "rows", "columns", "from", "to"])
    dated = frame.dropna(subset=["from"])
    overall = f" The data runs from {min(dated['from'])} to {max(dated['to'])}." if len(dated) else \
        " No source has dates."
    lead = (f"**The data**: {len(rows)} source{'s' if len(rows) != 1 else ''}: " + "; ".join(parts) + "." + overall)
    return frame, lead


@hookimpl
def register_analyses(register):
    register(Overview())
