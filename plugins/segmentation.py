"""segmentation: divide customers into groups that behave or look alike, describe each group with
the FACTS / SALES / VALUE canvas of the B2B and B2C segmentation tools, look for potential
segments, and say which four to focus on. The labels are saved on the session
(``dataset.set_segments``), so every other analysis can then filter on ``segment`` ("CLV by
segment", "cohorts for the champions").

Three methods:

- ``rfm`` (default with sales data): recency (days from a customer's last order to the data's
  last order date), frequency (orders) and monetary (revenue) per customer, computed in SQL on
  ``Dataset.per_customer_sql``. Each gets a quintile score 1-5 (5 = best: most recent, most
  orders, most spend): NTILE(5)'s bucket for the first position of the customer's value in the
  sorted order (``rank() - 1``: how many customers have a worse value, a running count over the
  measure's distinct values; the bucket computed arithmetically, where NTILE plus a minimum over
  ties needs two windows over every customer). So customers with equal values share the
  lowest score of their group, and every one-time buyer has F = 1. FM is the average of F and M,
  rounded half up. The named map:

  | segment            | R    | FM   |
  |--------------------|------|------|
  | Champions          | 5    | 4-5  |
  | Loyal              | 3-4  | 4-5  |
  | Potential loyalist | 4-5  | 2-3  |
  | New                | 5    | 1    |
  | Promising          | 4    | 1    |
  | Need attention     | 3    | 3    |
  | About to sleep     | 3    | 1-2  |
  | Can't lose them    | 1-2  | 5    |
  | At risk            | 1-2  | 3-4  |
  | Hibernating        | 2    | 1-2  |
  | Lost               | 1    | 1-2  |

  Every (R, FM) cell has exactly one segment (``RFM_RULES`` below is the one source of the table,
  the SQL and the answer's ``rfm_rules`` table).
- ``kmeans``: k-means (scikit-learn) on standardised log(1 + R), log(1 + F), log(1 + M), plus any
  customer attributes named in ``by`` (numbers standardised, categories one-hot encoded). k from
  the question, else the best silhouette over 2..10 on a sample (reported). The model is fitted on
  at most 50,000 customers and predicts everyone. Each cluster is described by what sets it apart
  (ratios to the average, dominant categories) and named from its recency, frequency and spend.
  On a customers table alone the features are the customer attributes.
- ``attributes``: one segment per combination of the attributes in ``by`` ("by age band and
  gender", "by industry and company size"); ages become bands, other numbers with many values
  become quartile ranges. Works on a customers table alone (a CRM export).

Per-customer work runs in DuckDB; pandas and scikit-learn only see one row per customer.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import Field

from custlens import hookimpl, kit
from custlens.analysis import Analysis, ScopedParams, usable_rows
from custlens.answer import MAX_ROWS, Answer, Chart, Provenance, Table
from custlens.dataset import qi
from custlens.errors import DataError, ParamsError, ScopeError
from custlens.templates import pct, render

#: (segment, R scores, FM scores, what it means); the rules are checked in this order
RFM_RULES: list[tuple[str, tuple[int, ...], tuple[int, ...], str]] = [
    ("Champions", (5,), (4, 5), "bought very recently, buy often and spend the most"),
    ("Loyal", (3, 4), (4, 5), "buy often and spend well, fairly recently"),
    ("Potential loyalist", (4, 5), (2, 3), "recent customers with a few orders and average spend"),
    ("New", (5,), (1,), "bought for the first time very recently"),
    ("Promising", (4,), (1,), "recent, but few orders and low spend so far"),
    ("Need attention", (3,), (3,), "average on recency, frequency and spend"),
    ("About to sleep", (3,), (1, 2), "below average and not bought for a while"),
    ("Can't lose them", (1, 2), (5,), "were among the best customers, but have not bought for long"),
    ("At risk", (1, 2), (3, 4), "bought often and spent well, long ago"),
    ("Hibernating", (2,), (1, 2), "few orders, low spend, long ago"),
    ("Lost", (1,), (1, 2), "the lowest recency, frequency and spend"),
]
AGE_BANDS = [(25, "under 25"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64")]
#: customer attributes that describe FACTS (seed 002): geography, gender/industry, age/size, B2B or B2C
FACT_COLUMNS = ("country", "region", "gender", "customer_type", "industry", "company_size", "contract")
VALUE_QUESTIONS = [
    "Which goals do these customers want to achieve with our products?",
    "What value do we create for them, personally and professionally?",
    "Can this segment get the most value from our services and expertise?",
    "Can it give us the highest earnings, or strengthen our position in the value chain?",
    "Have we overlooked it so far? What other hypotheses or sources of knowledge do we have about it?",
]
#: words in a customer column's name that mark it as a value measure (a CRM export without orders)
VALUE_WORDS = ("revenue", "spend", "spent", "charges", "sales", "value", "ltv", "clv", "amount")
SAMPLE_FIT = 50_000
SAMPLE_SILHOUETTE = 2_000
Method = Literal["rfm", "kmeans", "attributes"]


class SegmentationParams(ScopedParams):
    method: Method | None = Field(None, description="rfm, kmeans or attributes; by default kmeans when k is "
                                  "given, attributes when only attributes are named or there are no sales, else rfm")
    k: int | None = Field(None, ge=2, le=50, description="clusters for kmeans; None: best silhouette over 2..10")
    by: list[str] = Field(default_factory=list, description="customer attributes to segment by (attributes) or "
                          "to add to the k-means features")
    top: int = Field(4, ge=1, le=20, description="segments to recommend focusing on")
    show: list[str] = Field(default_factory=list, description="segments named in the question (\"who are my "
                            "champions and who is at risk\"): their customers first in the per-customer table")
    customer: str | None = Field(None, description="one customer's segment and scores (\"rfm score for C000042\"): "
                                 "their row first, and said in the answer")


class Segmentation(Analysis):
    name = "segmentation"
    whole_history = True  # a comparison in force is not carried into it (Analysis.whole_history)
    title = "Customer segmentation"
    summary = ("RFM segments (champions, loyal, at risk...), k-means clusters or attribute segments, each "
               "described by FACTS, SALES and VALUE; potential segments and which ones to focus on.")
    examples = [
        "segment my customers",
        "RFM segmentation",
        "who is in the champions segment and who in the at risk segment",
        "cluster customers into 5 groups",
        "split customers into segments by behaviour",
        "segment customers by age band and gender",
        "segment by industry and company size",
        "which four segments should we focus on",
        "what customer segments do we have",
        "find potential customer segments we have overlooked",
        "k-means clustering of customers",
        "group customers by recency frequency and monetary value",
        "which customers can't we lose",
        "how big is each customer segment",
        "describe each segment with facts sales and value",
        "show me the hibernating segment",
        "customer groups with similar buying behaviour",
        "divide our customer base into groups",
        "what types of customers are there",
        "how many customers and how much value in each group",
        "list the hibernating customers",
        "champions, loyal, at risk and lost segments",
        "which customers are champions and which are at risk",
        "show me who is loyal and who is hibernating",
    ]
    Params = SegmentationParams
    phrases = {"method": {r"\bclust\w*|\bk-?means\b": "kmeans",
                          r"\brfm\b|\brecency\b": "rfm",
                          r"\b(?:by|on)\s+(?:their\s+)?(?:age|gender|industry|company size|contract|customer type|"
                          r"acquisition channel)": "attributes",
                          # "segment customers by their attributes": the customers' own columns, chosen
                          r"\bby\s+(?:their|its|the|customer|account)?\s*(?:attributes|characteristics|firmographics|"
                          r"demographics)\b": "attributes"},
               # "which four segments should we focus on": how many to focus on, not k
               # "which segment should sales prioritise": who is to focus may be said (we, sales, the team)
               "top": {r"\b(\w+)\s+(?:segments?|groups?)\s+(?:should|to|do|shall|could|must)\s+(?:(?:we|you|i|sales|"
                       r"marketing|the\s+(?:\w+\s+)?team|our\s+\w+(?:\s+team)?|(?:for\s+)?(?:sales|marketing))\s+)?"
                       r"(?:focus|target|prioriti[sz]e|concentrate|go after)": r"\1"}}
    requires = {}  # sales or a customers table: checked in run
    requires_any = [{"transactions": ["customer_id"]}, {"customers": ["customer_id"]}]
    saves_segments = True  # Session.ensure_segments runs it; "for the champions" does not filter it first
    per_customer = "customers"  # "RFM scores for each customer": this table, one row per customer

    @staticmethod
    def profiles(dataset) -> dict[str, dict]:
        """What the data says about each saved segment (``segment_profiles``); each fact carries its
        phrase ("country: mostly Germany (34%)"). ``Session.segment_profiles`` is the way in."""
        return segment_profiles(dataset)

    def run(self, dataset, params: SegmentationParams) -> Answer:
        warnings: list[str] = []
        has_sales = dataset.has("transactions")
        if not has_sales and not dataset.has("customers"):
            raise DataError("segmentation needs sales (transactions) or a customers table; load one with "
                            "--data PATH.")
        method = params.method or ("kmeans" if params.k else "attributes" if params.by or not has_sales else "rfm")
        if method == "rfm" and not has_sales:
            raise DataError(self._no_orders("RFM segmentation needs orders", dataset))
        if params.k and method != "kmeans":
            raise ParamsError(f"k={params.k} applies to k-means; ask for method=kmeans (\"cluster customers into "
                              f"{params.k} groups\") or leave k out.")
        named = (params.filters or {}).get("segment") or []
        if named and has_sales and dataset.has_segments and not params.by and not params.k \
                and params.method in (None, dataset.segment_method):
            saved_labels = {r[0] for r in dataset.engine.rows("SELECT DISTINCT segment FROM segments")}
            if all(v in saved_labels for v in named):
                return self._saved_segments(dataset, params, [str(v) for v in named], warnings)
        by = self._attributes(dataset, params, method, warnings)
        if dataset.remote and has_sales:  # the customers stay in the engine (k-means: fitted on a sample)
            return self._rfm_in_engine(dataset, params, warnings, method, by)
        importing = _import_in_background("sklearn.cluster", "sklearn.metrics") if method == "kmeans" else None
        try:
            frame = customer_frame(dataset, params, by)
        finally:
            if importing is not None:
                importing.join()
        if has_sales:  # a customers table's own "Recency" column is an attribute, not the RFM recency
            frame = usable_rows(frame, ["recency", "frequency", "monetary"], "segmentation", warnings)
        if method in ("rfm", "kmeans") and "amount" in dataset.columns("transactions") and not dataset.scalar(
                "SELECT count(*) FROM (SELECT 1 FROM transactions WHERE amount IS NOT NULL LIMIT 1)"):  # stops at one
            raise DataError("segmentation needs what each order was worth, and every amount in the sales data is "
                            "empty. Map the column that holds the order value (map amount=COLUMN), or export the "
                            "file again with its amounts.")
        n = len(frame)
        if n < 2:
            who = f" ({frame['customer_id'].iloc[0]})" if n else ""
            raise DataError(f"segmentation needs at least 2 customers; {n} match{who}. Load more data or widen "
                            "the filters.")
        extra: list[Table] = []
        k_table = None
        if method == "rfm":
            if _constant(frame, ["recency", "frequency", "monetary"]):
                raise DataError(_identical(n, "recency, frequency and spend"))
            frame["segment"] = frame["rfm_segment"]
            extra.append(Table.from_frame("rfm_rules", rules_frame(), "RFM segment rules (first match wins)"))
            description = {name: meaning for name, _, _, meaning in RFM_RULES}
        elif method == "kmeans":
            frame, k_table, description = kmeans_segments(frame, params.k, by, warnings, dataset)
            if k_table is not None:
                extra.append(Table.from_frame("k_selection", k_table, "Silhouette by number of clusters (sample)"))
        else:
            frame["segment"] = attribute_labels(frame, by, {c: kit.quartile_edges(dataset, c) for c in by})
            if frame["segment"].nunique() < 2:
                raise DataError(_identical(n, ", ".join(by)))
            description = {}
        value = _value_column(dataset, frame, warnings)
        table = segment_table(frame, method, value, description)
        # a drill-down into saved segments with another method, k or attributes ("cluster the at risk
        # segment into 3") segments those customers again but keeps the saved labels: the profiles below
        # read the new ones, then the old come back (named alone, a saved segment is shown: _saved_segments)
        kept = (dataset.query("SELECT * FROM segments"), dataset.segment_method) \
            if "segment" in (params.filters or {}) and dataset.has_segments else None
        saved = dataset.set_segments(frame[["customer_id", "segment"]], method)
        try:
            profiles = segment_profiles(dataset, frame if _rfm(frame) else None)
            canvas = canvas_frame(table, profiles)
            potential = potential_segments(dataset, frame, value, by)
            focus = focus_frame(table, segment_growth(dataset, value, profiles), params.top)
        finally:
            if kept is not None:
                dataset.set_segments(*kept)
        if kept is not None:
            warnings.append(f"these are the {n:,} customers of {', '.join(params.filters['segment'])} segmented "
                            f"again; the saved segments ({kept[1]}) stay as they were")
        customers = Table.from_frame("customers", customer_table(frame, table, by, params.show),
                                     "Each customer's segment" + (" and RFM scores" if method == "rfm" else ""))

        def lookup(customer: str):
            per_customer = customers.frame
            return per_customer[per_customer["customer_id"].astype(str) == str(customer)].reset_index(drop=True)

        return self._answer(params, method, n, value, table, extra, customers, lookup, canvas, focus, potential,
                            k_table, by, warnings, saved)

    def _saved_segments(self, dataset, params: SegmentationParams, named: list[str], warnings: list[str]) -> Answer:
        """"who are the champions", "how much do they spend" after a segmentation: the segments named, as
        the saved segmentation made them (their customers, size, spend and shares of every customer in
        the other filters and period), not their customers segmented again (11 RFM segments inside the
        Champions, a "Lost" among them, would contradict the segmentation the user just read)."""
        method = dataset.segment_method or "rfm"
        others = {k: v for k, v in (params.filters or {}).items() if k != "segment"}
        where, args = dataset.scope(others, params.start, params.end)
        # in the engine: the totals over every segmented customer in scope, then only the named segments' rows
        joined = f"FROM ({rfm_sql(where, dataset)}) r JOIN segments s ON s.customer_id = r.customer_id"
        n, total = dataset.query(f"SELECT count(*) AS n, sum(r.monetary) AS total {joined}", args).iloc[0]
        if not n:
            raise DataError(self._no_orders("no customer of the saved segments has an order that matches"
                                            + (" the filters or period" if others or params.start or params.end
                                               else ""), dataset))
        n, total = int(n), float(total or 0)
        members = dataset.query_arrow(f"SELECT r.*, s.segment AS segment {joined} WHERE s.segment IN "
                                      f"({', '.join('?' * len(named))}) ORDER BY r.customer_id", [*args, *named])
        if members.empty:
            raise DataError(f"no customer of {', '.join(named)} matches the other filters or period asked: "
                            "widen them.")
        description = {name: meaning for name, _, _, meaning in RFM_RULES} if method == "rfm" else {}
        table = segment_table(members, method, "revenue", description)
        table["share of customers"] = (table["customers"] / n).round(6)  # of every customer segmented, in scope
        table["share of revenue"] = (table["revenue"] / total).round(6) if total else float("nan")
        scope = " in the filters and period asked" if others or params.start or params.end else ""
        lines = []
        for r in table.to_dict("records"):
            lines.append(f"- **{r['segment']}: {int(r['customers']):,} customers** ({pct(r['share of customers'])} of the "
                         f"{n:,} customers segmented{scope}): they spend **{r['revenue']:,.2f}** in all, "
                         f"**{r['revenue per customer']:,.2f} per customer**, {pct(r['share of revenue'])} of revenue; "
                         f"on average {r['avg recency (days)']:,.1f} days since the last order, "
                         f"{r['avg orders']:,.2f} orders" + (f". {r['description'][:1].upper()}{r['description'][1:]}"
                                                            if r.get("description") else "") + ".")
        summary = (f"The {' and '.join(named)} segment{'s' if len(named) > 1 else ''} of the saved segmentation "
                   f"({method}), not segmented again:\n\n" + "\n".join(lines) + "\n\nEach customer's figures are in "
                   "the customers table, the biggest spenders first.")
        if len(table) > 1:
            total_all, total = total, table["revenue"].sum()
            summary += (f" Together: {int(table['customers'].sum()):,} customers, {total:,.2f} "
                        f"({pct(total / max(total_all, 1e-9))} of revenue).")
        customers = Table.from_frame("customers", customer_table(members, table, [], named),
                                     "Each customer's segment" + (" and RFM scores" if method == "rfm" else ""))
        tables = [Table.from_frame("segments", table, f"{', '.join(named)} (saved {method} segmentation)",
                                   priority=["segment", "customers", "share of customers", "revenue",
                                             "share of revenue", "revenue per customer", "description"]), customers]
        if params.customer:
            row = customers.frame[customers.frame["customer_id"].astype(str) == str(params.customer)]
            if row.empty:
                raise ParamsError(f"customer {params.customer} is not in {', '.join(named)}.")
            tables.insert(0, Table.from_frame("customer", row.reset_index(drop=True), f"Customer {params.customer}"))
        if method == "rfm":
            warnings.append("the RFM scores in the customers table are over the customers in the filters and period "
                            "asked; the segment is the saved one") if others or params.start or params.end else None
        return Answer(analysis=self.name, title=f"{' and '.join(named)} ({method} segments)", summary=summary,
                      tables=tables, warnings=warnings,
                      follow_ups=[f"overview for the {named[0]}", f"CLV of the {named[0]}", "segment our customers"],
                      provenance=Provenance(method="the saved segment labels (segments table) joined to each customer's "
                                                   "recency, orders and revenue in SQL", rows_used=len(members)))

    def _answer(self, params, method, n, value, table, extra, customers, lookup, canvas, focus, potential, k_table,
                by, warnings, saved) -> Answer:
        """The answer of a segmentation from its parts (computed here or in the engine)."""
        tables = [Table.from_frame("segments", table, f"{len(table)} segments ({method})",
                                   priority=["segment", "customers", "share of customers", "share of revenue",
                                             "revenue per customer", "description"]), *extra,
                  customers,
                  Table.from_frame("canvas", canvas, "FACTS, SALES and VALUE per segment"),
                  Table.from_frame("focus", focus, f"The {len(focus)} segments to focus on")]
        if potential is None:
            warnings.append("no potential segments looked for: it needs customer attributes with few values "
                            "and a value per customer (sales, or a spend/charges column)")
        elif potential.empty:
            warnings.append("no potential segment found: no attribute combination is small (under 5% of "
                            "customers) or under-represented and also worth more per customer than average")
        else:
            tables.append(Table.from_frame("potential_segments", potential,
                                           "Potential segments: small today, valuable per customer"))
        summary = render("segmentation.md.j2", method=method, customers=n, value=value,
                         segments=table.to_dict("records"), focus=focus.to_dict("records"),
                         k_table=None if k_table is None else k_table.to_dict("records"),
                         potential=[] if potential is None else potential.head(3).to_dict("records"),
                         questions=VALUE_QUESTIONS, by=by)
        if params.customer:  # "what's the rfm score for customer C000482": their row, first
            row = lookup(params.customer)
            if row.empty:
                raise ParamsError(f"customer {params.customer} is not among the {n:,} customers segmented (no "
                                  f"purchases in the period and filters asked?). Check the id (\"customer C000123\").")
            tables.insert(0, Table.from_frame("customer", row, f"Customer {params.customer}"))
            scores = ", ".join(f"{c} {row.iloc[0][c]}" for c in ("r_score", "f_score", "m_score") if c in row)
            summary = (f"Customer {params.customer} is in the segment **{row.iloc[0]['segment']}**"
                       + (f" (RFM scores: {scores})" if scores else "") + ".\n\n" + summary)
        charts = [Chart(kind="bar", title="Customers per segment", table="segments", x="segment", y=["customers"])]
        if value:
            charts.append(Chart(kind="bar", title=f"Share of {value} per segment", table="segments", x="segment",
                                y=[f"share of {value}"]))
        return Answer(analysis=self.name, title=f"{self.title} ({method})", summary=summary, tables=tables,
                      charts=charts, warnings=warnings,
                      follow_ups=["personas for these segments", "CLV by segment",
                                  f"overview for the {table['segment'].iloc[0]}"],
                      provenance=Provenance(method=_METHOD_TEXT[method], rows_used=saved))

    def _rfm_in_engine(self, dataset, params: SegmentationParams, warnings: list[str], method: str = "rfm",
                       by: list[str] = ()) -> Answer:
        """RFM or attribute segmentation on an engine other than DuckDB: every customer's recency,
        frequency, spend and scores are the engine's temporary table ``rfm_scores``, their attributes
        and label ``segment_customers`` (the label as SQL: ``attribute_labels_sql``) and the saved
        labels its ``segments``; what comes back are the per-segment sums (the segment table, canvas,
        focus, potential segments are made from them) and the first rows of the customers table."""
        import pandas as pd

        from custlens.analysis import MAX_MAGNITUDE

        dataset.require({"transactions": ["customer_id", "order_date"]}, "segmentation")
        where, args = dataset.scope(params.filters, params.start, params.end)
        dataset.execute(f"CREATE OR REPLACE TEMP TABLE rfm_scores AS {rfm_sql(where, dataset)}", args)
        joins, join_args = "", []
        for i, column in enumerate(by):  # each from the kit: the customers view, else the sales' mode
            sql, more = kit.per_customer(dataset, column, where, args, doing="segment")
            joins += f" LEFT JOIN ({sql}) a{i} ON a{i}.customer_id = r.customer_id"
            join_args += more
        attrs = "".join(f", a{i}.{qi(c)}" for i, c in enumerate(by))
        dataset.execute(f"CREATE OR REPLACE TEMP TABLE segment_attributes AS SELECT r.*{attrs} FROM rfm_scores r"
                        f"{joins}", join_args)
        ok = " AND ".join(f"{c} IS NOT NULL AND abs(CAST({c} AS DOUBLE)) <= {MAX_MAGNITUDE!r}"
                          for c in ("recency", "frequency", "monetary"))
        k_table, clusters, source, source_args = None, {}, "segment_attributes", []
        if method == "attributes":
            label, label_args = attribute_labels_sql(dataset, "segment_attributes", by)
        elif method == "kmeans":
            label, label_args, k_table, clusters, source, source_args = kmeans_labels_sql(
                dataset, f"(SELECT * FROM segment_attributes WHERE {ok}) AS s", "segment_attributes", params.k, by,
                warnings)
        else:
            label, label_args = "rfm_segment", []
        dataset.execute(f"CREATE OR REPLACE TEMP TABLE segment_customers AS SELECT *, {label} AS segment "
                        f"FROM {source}", [*label_args, *source_args])
        total, n, recencies, frequencies, spends = dataset.rows(
            f"SELECT count(*), count(*) FILTER (WHERE {ok}), count(DISTINCT recency), count(DISTINCT frequency), "
            "count(DISTINCT monetary) FROM rfm_scores")[0]
        if not total:
            raise DataError(Segmentation._no_orders("no customer has an order that matches"
                                                    + (" the filters or period" if params.filters or params.start
                                                       or params.end else ""), dataset))
        if not n:
            raise DataError("segmentation: no customer has a usable amount: the recency, frequency, monetary values "
                            f"are empty, not numbers, infinite or beyond +-{MAX_MAGNITUDE:.0e}. Check the amount "
                            "column of the data, or map the right one (map amount=COLUMN).")
        if n < total:
            warnings.append(f"{total - n:,} of {total:,} customers left out: their recency, frequency, monetary "
                            f"is empty, infinite or beyond +-{MAX_MAGNITUDE:.0e}")
        scored = f"(SELECT * FROM segment_customers WHERE {ok})"
        if "amount" in dataset.columns("transactions") and not dataset.scalar("SELECT count(amount) FROM transactions"):
            raise DataError("segmentation needs what each order was worth, and every amount in the sales data is "
                            "empty. Map the column that holds the order value (map amount=COLUMN), or export the "
                            "file again with its amounts.")
        if n < 2:
            who = dataset.scalar(f"SELECT min(customer_id) FROM {scored} AS r")
            raise DataError(f"segmentation needs at least 2 customers; {n} match ({who}). Load more data or widen "
                            "the filters.")
        if method == "rfm" and recencies <= 1 and frequencies <= 1 and spends <= 1:
            raise DataError(_identical(n, "recency, frequency and spend"))
        description = {name: meaning for name, _, _, meaning in RFM_RULES} if method == "rfm" else clusters
        groups = dataset.query(f"""
            SELECT segment, count(*) AS customers, sum(monetary) AS value, avg(recency) AS recency,
                   avg(frequency) AS frequency, avg(r_score) AS r_score, avg(f_score) AS f_score,
                   avg(m_score) AS m_score, min(customer_id) AS first_id
            FROM {scored} AS r GROUP BY 1 ORDER BY first_id""").drop(columns="first_id").set_index("segment")
        if method == "attributes" and len(groups) < 2:
            raise DataError(_identical(n, ", ".join(by)))
        table = segment_table_from(groups, n, float(groups["value"].sum()), method, "revenue", description)
        kept = None
        if "segment" in (params.filters or {}) and dataset.has_segments:  # kept in the engine too
            dataset.execute("CREATE OR REPLACE TEMP TABLE segments_kept AS SELECT * FROM segments")
            kept = dataset.segment_method
        saved = dataset.set_segments_sql(f"SELECT customer_id, segment FROM {scored} AS r", method)
        try:
            profiles = segment_profiles(dataset, "rfm_scores")
            canvas = canvas_frame(table, profiles)
            potential = potential_segments(dataset, scored, "revenue", list(by))
            focus = focus_frame(table, segment_growth(dataset, "revenue", profiles), params.top)
        finally:
            if kept is not None:
                dataset.set_segments_sql("SELECT * FROM segments_kept", kept)
        if kept is not None:
            warnings.append(f"these are the {n:,} customers of {', '.join(params.filters['segment'])} segmented "
                            f"again; the saved segments ({kept}) stay as they were")
        order = [*params.show, *[s for s in table["segment"] if s not in params.show]]
        rank = "CASE r.segment " + " ".join(f"WHEN ? THEN {i}" for i in range(len(order))) + f" ELSE {len(order)} END"
        select = ("SELECT r.customer_id, r.segment, r.recency AS \"recency (days)\", "
                  "r.frequency AS orders, round(r.monetary, 2) AS revenue, r.r_score, r.f_score, r.m_score, r.fm_score"
                  + "".join(f", r.{qi(c)}" for c in dict.fromkeys(by) if c not in ("segment",)) + f" FROM {scored} AS r")
        first = dataset.query(f"{select} ORDER BY {rank}, r.monetary DESC, r.customer_id LIMIT {MAX_ROWS}", order)
        customers = Table.from_frame("customers", first, "Each customer's segment" + (" and RFM scores"
                                                                                      if method == "rfm" else ""))
        customers.total_rows, customers._frame = n, None  # the rest stay in the engine (rfm_scores)
        if n > MAX_ROWS:
            dataset.note_sampled(f"customers table: the first {MAX_ROWS} of {n:,} customers came back; every "
                                 "customer's scores stay in the engine (temporary table rfm_scores)")

        def lookup(customer: str):
            return dataset.query(f"{select} WHERE CAST(r.customer_id AS VARCHAR) = ?", [str(customer)])

        extra = [Table.from_frame("rfm_rules", rules_frame(), "RFM segment rules (first match wins)")] \
            if method == "rfm" else []
        if k_table is not None:
            extra.append(Table.from_frame("k_selection", k_table, "Silhouette by number of clusters (sample)"))
        return self._answer(params, method, n, "revenue", table, extra, customers, lookup, canvas, focus, potential,
                            k_table, list(by), warnings, saved)

    # ---------------------------------------------------------------- checks
    @staticmethod
    def _no_orders(what: str, dataset) -> str:
        customers = dataset.scalar("SELECT count(*) FROM customers") if dataset.has("customers") else 0
        held = f"the customers table holds {customers:,} customers but " if customers else ""
        return (f"{what}; {held}no orders are loaded. Load the orders (--data transactions=PATH), or segment by "
                "customer attributes: \"segment by age band and gender\" or method=attributes / kmeans.")

    @staticmethod
    def _known(dataset) -> list[str]:
        cols = dataset.columns("customers") if dataset.has("customers") else set()
        if dataset.has("transactions"):
            cols |= {c for c in ("country", "region", "channel", "category") if c in dataset.columns("transactions")}
        # while labels are saved, "segment" means them (a customers column of that name is hidden)
        return sorted(cols - {"customer_id", "signup_date"} - ({"segment"} if dataset.has_segments else set()))

    def _attributes(self, dataset, params, method: str, warnings: list[str]) -> list[str]:
        """The attributes to use: those named (checked), or for k-means on a customers table alone, every
        numeric attribute and text attribute with few values."""
        known = self._known(dataset)
        for col in params.by:
            if col not in known:
                import difflib

                close = difflib.get_close_matches(col, known, n=2, cutoff=0.5)
                hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
                raise ParamsError(f"no customer attribute {col!r} in the data.{hint} Attributes: "
                                  f"{', '.join(known) or 'none'}.")
        if params.by or method == "rfm" or method == "kmeans" and dataset.has("transactions"):
            return list(dict.fromkeys(params.by))
        low = set(dataset.values().get("customers", {}))
        if method == "attributes":
            chosen = fact_columns(dataset)[:2]
            if not chosen:
                raise ParamsError("attribute segmentation needs attributes with few values: say which, e.g. "
                                  f"\"segment by age band and gender\". Attributes: {', '.join(known) or 'none'}.")
            warnings.append(f"segmented by {' and '.join(chosen)}; name others with by (\"segment by ...\")")
            return chosen
        numeric = _numeric_columns(dataset)
        candidates = _varying(dataset, [c for c in known if (c in numeric or c in low) and c != "churned"])
        chosen, left = _sensible_features(dataset, candidates, numeric)
        if not chosen:
            raise DataError("k-means on a customers table needs attributes with numbers or few values; "
                            "the customers table has none. Load orders for RFM clustering.")
        warnings.append(f"no sales data: clustered on the customer attributes {', '.join(chosen)}"
                        + (f"; left out: {'; '.join(left)} (name attributes with \"cluster by ...\" to choose)"
                           if left else ""))
        return chosen


_METHOD_TEXT = {
    "rfm": "RFM in SQL (recency in days to the last order date in the data, orders, revenue), NTILE(5) quintile "
           "scores, named segment map (table rfm_rules)",
    "kmeans": "k-means (scikit-learn) on standardised log R, F, M and the named attributes (one-hot for "
              "categories), fitted on up to 50,000 customers, predicting all",
    "attributes": "one segment per combination of customer attribute values (age in bands, numbers in quartiles)",
}


def _import_in_background(*modules: str):
    """Start importing ``modules`` on a thread and return it (None when they are loaded already).
    Importing scikit-learn takes ~2 s of Python; DuckDB releases the GIL while it runs the
    per-customer query, so the import overlaps that query instead of following it. The caller
    joins the thread before its own Python work, so the two never import at the same time; an
    import that fails here fails again, with its message, where the module is used."""
    import importlib
    import sys
    import threading

    missing = [m for m in modules if m not in sys.modules]
    if not missing:
        return None

    def load():
        for module in missing:
            try:
                importlib.import_module(module)
            except ImportError:
                return

    thread = threading.Thread(target=load, name="custlens-import", daemon=True)
    thread.start()
    return thread


# -------------------------------------------------------------------- per-customer data (SQL)
def rfm_sql(where: str, dataset=None) -> str:
    """One row per customer: recency, frequency, monetary, R/F/M/FM scores and the RFM segment.
    Bind the parameters ``Dataset.scope`` returned with ``where``. Sorted by customer id: the
    k-means sample is drawn by position, and DuckDB's parallel grouping returns customers in a
    different order every run (at 100,000 customers the clusters changed from run to run).
    Spend is to the cent: a sum of floating amounts in parallel differs in its last bits from run to
    run, so customers who spent the same (Chinook's 37.62) were scored apart, differently each run.
    With ``dataset``, the customers over every purchase come from its shared per-customer table."""
    case = " ".join(f"WHEN r_score IN ({', '.join(map(str, r))}) AND fm_score IN ({', '.join(map(str, fm))}) "
                    f"THEN '{name.replace(chr(39), chr(39) * 2)}'" for name, r, fm, _ in RFM_RULES)
    return f"""
        WITH pc AS ({_per_customer(where, dataset=dataset)}),
        base AS MATERIALIZED (SELECT pc.customer_id, date_diff('day', CAST(pc.last_order AS DATE),
                        CAST(max(pc.last_order) OVER () AS DATE)) AS recency,
                        pc.orders AS frequency, round(coalesce(pc.revenue, 0), 2) AS monetary, pc.first_order,
                        pc.last_order FROM pc),
        n AS (SELECT count(*) AS n, count(*) // 5 AS size, count(*) % 5 AS rest FROM base),
        {_positions('recency', 'r_pos', 'DESC')}, {_positions('frequency', 'f_pos')},
        {_positions('monetary', 'm_pos')},
        pos AS (SELECT base.*, n.size, n.rest, r_pos, f_pos, m_pos FROM base
                JOIN r_pos_by_value vr ON base.recency IS NOT DISTINCT FROM vr.recency
                JOIN f_pos_by_value vf ON base.frequency IS NOT DISTINCT FROM vf.frequency
                JOIN m_pos_by_value vm ON base.monetary IS NOT DISTINCT FROM vm.monetary, n),
        scored AS (SELECT *, {_ntile('r_pos')} AS r_score, {_ntile('f_pos')} AS f_score,
                          {_ntile('m_pos')} AS m_score FROM pos),
        fm AS (SELECT *, CAST(floor((f_score + m_score) / 2.0 + 0.5) AS INTEGER) AS fm_score FROM scored)
        SELECT customer_id, recency, frequency, monetary, first_order, last_order,
               CAST(r_score AS INTEGER) AS r_score,
               CAST(f_score AS INTEGER) AS f_score, CAST(m_score AS INTEGER) AS m_score, fm_score,
               CASE {case} END AS rfm_segment
        FROM fm ORDER BY customer_id"""


def _positions(measure: str, name: str, order: str = "ASC") -> str:
    """A CTE ``name_by_value(measure, name)``: per distinct value of ``measure``, ``rank() - 1`` of the
    customers who have it (how many come before it in ``order``, NULLs last as in rank()). A
    running count over the distinct values, not rank() over every customer: the windows then
    sort a few thousand values (a million for monetary) without the customers' other columns,
    0.3 s less at 1M customers."""
    return (f"{name}_by_value AS (SELECT {measure}, CAST(sum(count(*)) OVER (ORDER BY {measure} {order}) - count(*) AS BIGINT) "
            f"AS {name} FROM base GROUP BY {measure})")


def _ntile(position: str) -> str:
    """NTILE(5)'s bucket for a 0-based position: the first ``rest`` buckets hold ``size + 1`` rows."""
    return (f"CASE WHEN {position} < rest * (size + 1) THEN {position} // (size + 1) + 1 "
            f"ELSE ({position} - rest) // size + 1 END")


def _per_customer(where: str, measures=("first_order", "last_order", "orders", "revenue"), dataset=None) -> str:
    from custlens.dataset import Dataset

    if dataset is not None:  # over every purchase: the shared per-customer table
        return dataset.per_customer(where, measures)
    return Dataset.per_customer_sql(where, "t", measures)


def customer_frame(dataset, params: SegmentationParams, by: list[str]):
    """One row per customer: RFM (with sales) and the attributes in ``by``. With sales, the customers
    are the buyers in scope; on a customers table alone, every customer matching the filters."""
    import pandas as pd

    if dataset.has("transactions"):
        dataset.require({"transactions": ["customer_id", "order_date"]}, "segmentation")
        where, args = dataset.scope(params.filters, params.start, params.end)
        frame = dataset.query_arrow(rfm_sql(where, dataset), args)
        if frame.empty:
            raise DataError(Segmentation._no_orders("no customer has an order that matches"
                                                    + (" the filters or period" if params.filters or params.start
                                                       or params.end else ""), dataset))
        attrs = _attribute_frame(dataset, by, where, args)
        if attrs is not None:
            frame = frame.merge(attrs, on="customer_id", how="left")
        return frame
    if params.start or params.end:
        raise ScopeError("a period (start/end) needs sales data; only a customers table is loaded.", period=True)
    where, args = kit.customer_filters_sql(dataset, params.filters, "c")
    select = ", ".join(["c.customer_id"] + [f"c.{qi(col)}" for col in by])
    frame = dataset.query(f"SELECT {select} FROM customers c WHERE c.customer_id IS NOT NULL AND "
                          + where, args)
    return frame.drop_duplicates("customer_id") if not frame.empty else pd.DataFrame(columns=frame.columns)


def _attribute_frame(dataset, by, where, args):
    """The attributes of the buyers: customers columns, else a customer's most frequent value of a
    transactions column (country, channel)."""
    if not by:
        return None
    frame = None
    for column in by:  # each from the kit: the customers view (one row per id), else the sales' mode
        one = dataset.query(*kit.per_customer(dataset, column, where, args, doing="segment"))
        frame = one if frame is None else frame.merge(one, on="customer_id", how="outer")
    return frame


def fact_columns(dataset, most: int = 6) -> list[str]:
    """Customer attributes with few values that describe FACTS: the B2B/B2C ones of the seed's canvas
    first (geography, gender or industry, company size), then any other (a CRM's contract, plan)."""
    if not dataset.has("customers"):
        return []
    low = [c for c in dataset.values().get("customers", {}) if c not in ("segment", "churned", "city")]
    return ([c for c in FACT_COLUMNS if c in low] + sorted(c for c in low if c not in FACT_COLUMNS))[:most]


def _numeric_columns(dataset) -> set[str]:
    if not dataset.has("customers"):
        return set()
    desc = dataset.relation_columns("customers").items()
    return {c for c, t in desc if re.match(r"(BIG|SMALL|TINY|HUGE)?INT|DOUBLE|FLOAT|DECIMAL|REAL|U?INTEGER", t)
            and c != "customer_id"}


#: at most this many values for a text attribute chosen for k-means unasked (a city of 400 values, one-hot,
#: splits the customers into clusters of one)
KMEANS_TEXT_LEVELS = 12


def _sensible_features(dataset, columns: list[str], numeric: set[str]) -> tuple[list[str], list[str]]:
    """(the attributes k-means uses when none are named, what was left out and why): numbers of many
    values (spend, income, counts, age, days since the last purchase) and text of at most
    ``KMEANS_TEXT_LEVELS`` values; 0/1 flags (campaign acceptances, complaints: on/off, they split the
    customers into those who did and did not), ids and codes (a distinct number per customer) and text of
    many values are left out, said."""
    if not columns:
        return [], []
    n = int(dataset.scalar("SELECT count(*) FROM customers") or 0)
    counts = dataset.query("SELECT " + ", ".join(f"count(DISTINCT {qi(c)}) AS {qi(c)}" for c in columns)
                           + " FROM customers").iloc[0]
    chosen, flags, ids, many = [], [], [], []
    for c in columns:
        distinct = int(counts[c])
        if c in numeric:
            if distinct <= 2:
                flags.append(c)
            elif distinct >= 0.95 * n and n > 20 and re.search(r"(?:^|_)(?:id|code|zip|postcode|postal|phone|number)$",
                                                              c):
                ids.append(c)
            else:
                chosen.append(c)
        elif distinct > KMEANS_TEXT_LEVELS:
            many.append(c)
        elif distinct <= 2:  # yes/no text (tax exempt, accepts marketing): a flag as well
            flags.append(c)
        else:
            chosen.append(c)
    left = ([f"yes/no flags {', '.join(flags)}"] if flags else []) + ([f"ids or codes {', '.join(ids)}"] if ids else []) \
        + ([f"text of more than {KMEANS_TEXT_LEVELS} values {', '.join(many)}"] if many else [])
    return chosen, left


def _varying(dataset, columns: list[str]) -> list[str]:
    """The customers columns of ``columns`` holding more than one value: a constant column (the
    marketing table's Z_Revenue, 11 on every row) neither separates clusters nor values a segment."""
    if not columns:
        return []
    counts = dataset.query("SELECT " + ", ".join(f"count(DISTINCT {qi(c)}) AS {qi(c)}" for c in columns)
                           + " FROM customers").iloc[0]
    return [c for c in columns if int(counts[c]) > 1]


def _constant(frame, columns) -> bool:
    return all(frame[c].nunique(dropna=False) <= 1 for c in columns)


def _identical(n: int, what: str) -> str:
    return (f"all {n:,} customers have the same {what}: there is nothing to tell them apart. Segment by "
            "something that differs between them (other attributes, or more sales history).")


# -------------------------------------------------------------------- the methods
def rules_frame():
    import pandas as pd

    return pd.DataFrame([(name, "-".join(map(str, (r[0], r[-1]))) if len(r) > 1 else str(r[0]),
                          "-".join(map(str, (fm[0], fm[-1]))) if len(fm) > 1 else str(fm[0]), meaning)
                         for name, r, fm, meaning in RFM_RULES], columns=["segment", "R", "FM", "meaning"])


def _rfm(frame) -> bool:
    """Whether ``frame`` holds the recency, frequency and spend computed from sales (all three): a
    customers table's own column named like one of them ("Recency", days since the last purchase in
    a marketing table) is an attribute like any other, and k-means on it must not look for the rest."""
    return {"recency", "frequency", "monetary"} <= set(frame.columns)


#: a numeric attribute's value beyond Q1 - FAR_OUT x IQR or Q3 + FAR_OUT x IQR is an outlier (Tukey's "far
#: out"): a placeholder income of 666,666 among incomes of 2,000-160,000 made a cluster of one customer
FAR_OUT = 3.0
#: a text value held by fewer than this share of the customers (and fewer than 5) is "(other)" for k-means
RARE_LEVEL = 0.01


def outlier_fences(values) -> tuple[float, float, float, float] | None:
    """(low fence, high fence, median, IQR) of a numeric attribute, or None where its middle half is one
    value (no spread to measure outliers or scale by)."""
    import numpy as np

    known = np.asarray(values, dtype=float)
    known = known[np.isfinite(known)]
    if len(known) < 4:
        return None
    q1, med, q3 = np.percentile(known, [25, 50, 75])
    iqr = q3 - q1
    if iqr <= 0:
        return None
    return float(q1 - FAR_OUT * iqr), float(q3 + FAR_OUT * iqr), float(med), float(iqr)


def features(frame, by: list[str], notes: list[str] | None = None):
    """The k-means matrix: log(1 + R, F, M) where there are sales, numeric attributes (skewed amounts
    on a log scale), categorical attributes one-hot encoded (rare values as one "(other)"). A numeric
    attribute's far-out values (``outlier_fences``) are clipped to the fence before every column is
    standardised (so a category weighs like a number), so one extreme value neither stretches the
    scale nor makes a cluster of its own. ``notes`` gets one line per attribute with outliers: how many, the
    fence, the most extreme values. Returns (matrix, column names, categorical attributes, numeric
    attributes); the rows with an outlier are ``features.outliers`` of the last call (a boolean array)."""
    import numpy as np
    import pandas as pd

    parts, cats, nums = [], [], []
    robust: dict[str, pd.Series] = {}
    outlying = np.zeros(len(frame), dtype=bool)
    said: list[str] = []
    if _rfm(frame):
        parts.append(np.log1p(frame[["recency", "frequency", "monetary"]].clip(lower=0).astype(float)))
    for col in by:
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) and values.nunique() > 2:
            nums.append(col)
            filled = values.astype(float).fillna(values.median())
            # amounts and counts skewed to the right (spend, income, orders) are read on a log scale: a big
            # spender is no outlier, a placeholder income of 666,666 among 2,000-160,000 still is
            # a value is an outlier when it is far out as written and, for skewed amounts that cannot be
            # negative, on a log scale too: a big spender among skewed spends is not, a placeholder income is
            fences = outlier_fences(filled)
            if fences is None:
                parts.append(filled.to_frame(col))
                continue
            out = ((filled < fences[0]) | (filled > fences[1])).to_numpy()
            if filled.min() >= 0 and filled[~out].skew() > 1:  # skewed amounts: far out on a log scale too
                logs = outlier_fences(np.log1p(filled))
                if logs is not None:
                    out = out & ((np.log1p(filled) < logs[0]) | (np.log1p(filled) > logs[1])).to_numpy()
            logged = bool(filled.min() >= 0 and filled[~out].skew() > 1)
            scaled = np.log1p(filled) if logged else filled
            fences = outlier_fences(scaled[~out]) or outlier_fences(scaled)
            low, high, med, iqr = fences
            if out.any():
                ranked = filled[out].sort_values()
                extreme = list(dict.fromkeys([*ranked.index[:2], *ranked.index[-2:]]))
                shown = ", ".join((f"{v:.0f}" if abs(v) < 10_000 else f"{v:,.0f}") if float(v).is_integer() else
                                  f"{v:,.2f}" for v in filled[extreme])
                said.append(f"{col} {shown}" + (f" ({int(out.sum()):,} customers)" if out.sum() > len(extreme) else ""))
            outlying |= out
            robust[col] = scaled.clip(low, high)  # then standardised with the rest: the clip keeps it robust
        else:
            cats.append(col)
    if said and notes is not None:
        notes.append(f"outliers set aside: {int(outlying.sum()):,} customer(s) far outside the rest ({'; '.join(said)}; "
                     f"beyond the quartiles +- {FAR_OUT:g} x the interquartile range, skewed amounts on a log scale): "
                     "not used to fit the clusters, then each put in its nearest cluster with the value held at the "
                     "fence")
    if cats:
        # a value held by very few customers (a marital status of "YOLO" for 2 of 2,240) is one of
        # "(other)" here: one-hot, it would make a cluster of its own
        texts = frame[cats].astype("string").fillna("(missing)")
        rare = max(RARE_LEVEL * len(frame), 5)
        for col in cats:
            counts = texts[col].value_counts()
            few = [v for v, c in counts.items() if c < rare]
            if few and len(few) < len(counts):
                texts[col] = texts[col].where(~texts[col].isin(few), "(other)")
                if notes is not None:
                    notes.append(f"{col}: {len(few)} value(s) held by fewer than {rare:,.0f} customers "
                                 f"({', '.join(map(str, few[:5]))}{', ...' if len(few) > 5 else ''}) clustered as one "
                                 "'(other)'")
        parts.append(pd.get_dummies(texts, prefix_sep="=", dtype=float))
    if robust:
        parts.append(pd.DataFrame(robust, index=frame.index))
    matrix = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=frame.index)
    if robust:  # the features' order: R, F, M, the numbers as named, then the categories
        matrix = matrix[[c for c in (["recency", "frequency", "monetary"] if _rfm(frame) else []) + nums
                         if c in matrix.columns] + [c for c in matrix.columns if c not in nums and c not in
                                                   ("recency", "frequency", "monetary")]]
    matrix = (matrix - matrix.mean()) / matrix.std(ddof=0).replace(0, 1)
    features.outliers = outlying
    return matrix.to_numpy(dtype=float), list(matrix.columns), cats, nums


features.outliers = None


def kmeans_segments(frame, k: int | None, by: list[str], warnings: list[str], dataset=None):
    """Cluster, name and describe: (frame with segment, silhouette table or None, {name: description}).
    With ``dataset``, the clusters of the same features and k are fitted once (``kit.fitted``)."""
    import numpy as np
    import pandas as pd
    from threadpoolctl import threadpool_limits

    outlier_notes: list[str] = []
    x, _, cats, nums = features(frame, by, outlier_notes)
    outliers = features.outliers
    warnings.extend(outlier_notes)
    n = len(frame)
    distinct = _distinct_rows(x if n <= 200_000 else x[np.random.default_rng(0).choice(n, 200_000, replace=False)])
    if distinct < 2:
        what = "recency, frequency and spend" if _rfm(frame) else ", ".join(by)
        raise DataError(_identical(n, what + (" and " + ", ".join(by) if by and _rfm(frame) else "")))
    if k is not None and k > n:
        raise ParamsError(f"k={k} clusters is more than the {n:,} customers; ask for at most {min(n, 10)}.")
    if k is not None and k > distinct:
        raise ParamsError(f"k={k} clusters, but the customers have only {distinct} distinct profiles; ask for at "
                          f"most {distinct}.")
    with threadpool_limits(1):  # small matrices: threads cost more than they save on a busy machine
        fit_rows = ~outliers if outliers is not None and outliers.any() and (~outliers).sum() >= 2 else None
        labels, k_table = kit.fitted(dataset, "k-means", (x, k, fit_rows),
                                     lambda w: _kmeans_labels(x, n, k, w, fit_rows=fit_rows), warnings)
    names, description = cluster_names(frame, labels, cats, nums)
    out = frame.copy()
    codes = np.array(sorted(names))  # every label predicted, each with its name
    out["segment"] = pd.array([names[c] for c in codes], dtype="str").take(np.searchsorted(codes, labels))
    return out, k_table, description


def _distinct_rows(x) -> int:
    """How many distinct rows ``x`` has, to 9 decimals: hashed (0.015 s for 200,000 rows, where
    np.unique's sort takes 0.24 s). Hashing counts 0.0 and -0.0 as one value, as np.unique does
    (the + 0.0 makes them one); a matrix with NaN keeps np.unique, to which no NaN equals another."""
    import numpy as np
    import pandas as pd

    rounded = x.round(9)
    if not np.isfinite(rounded).all():
        return len(np.unique(rounded, axis=0))
    return int((~pd.DataFrame(rounded + 0.0).duplicated()).sum())


def _kmeans_labels(x, n, k, warnings, keep_model: bool = False, fit_rows=None):
    """(labels of every customer, silhouette table or None): k-means on the features ``x``, k chosen
    by silhouette when None (``keep_model``: the fitted model instead of the labels). ``fit_rows``: the
    rows fitted on (the outliers set aside); every row is labelled."""
    import numpy as np
    import pandas as pd
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(0)
    k_table = None
    every = x
    if fit_rows is not None:
        x, n = x[fit_rows], int(fit_rows.sum())
    if k is None:
        sample = x[rng.choice(n, SAMPLE_SILHOUETTE, replace=False)] if n > SAMPLE_SILHOUETTE else x
        top_k = min(10, len(np.unique(sample.round(9), axis=0)) - 1, len(sample) - 1)
        if top_k < 2:
            k = 2
            warnings.append("too few distinct customers to compare numbers of clusters: k = 2")
        else:
            scores = []
            for kk in range(2, top_k + 1):
                labels = KMeans(kk, n_init=2, random_state=0).fit_predict(sample)
                scores.append((kk, round(float(silhouette_score(sample, labels)), 4) if len(set(labels)) > 1
                               else float("nan")))
            k_table = pd.DataFrame(scores, columns=["k", "silhouette"])
            k = int(k_table.loc[k_table["silhouette"].idxmax(), "k"])
    fit_on = x[rng.choice(n, SAMPLE_FIT, replace=False)] if n > SAMPLE_FIT else x
    if n > SAMPLE_FIT:
        warnings.append(f"k-means fitted on a random {SAMPLE_FIT:,} of the {n:,} customers, then applied to all")
    model = KMeans(k, n_init=4, random_state=0).fit(fit_on)
    return (model if keep_model else model.predict(every)), k_table


def _percentile(values, x: float) -> float:
    return float((values < x).mean() + 0.5 * (values == x).mean())


def cluster_names(frame, labels, cats: list[str], nums: list[str]):
    """A readable name per cluster (recency, frequency and spend words where there are sales, else
    its most distinctive attributes) and a sentence of what sets it apart."""
    import numpy as np

    names, qualifier, description = {}, {}, {}
    rfm = _rfm(frame)
    measures = (["recency", "frequency", "monetary"] if rfm else []) + nums
    means = {m: frame[m].astype(float).mean() for m in measures}
    described = frame[list(dict.fromkeys(measures + cats))]  # the columns read below, not the text ids
    for c in (int(c) for c in np.unique(labels)):
        members = described[labels == c]
        traits = []  # (distinctiveness, phrase, name word)
        for m in measures:
            avg = means[m]
            ratio = members[m].astype(float).mean() / avg if avg else float("nan")
            if not math.isfinite(ratio) or ratio <= 0:
                continue
            phrase = {"recency": f"last ordered {ratio:.1f}x as long ago as average" if ratio >= 1 else
                      f"ordered more recently ({ratio:.1f}x the average days since the last order)",
                      "frequency": f"buys {ratio:.1f}x as often as average",
                      "monetary": f"spends {ratio:.1f}x the average"}.get(m, f"{m.replace('_', ' ')} {ratio:.1f}x "
                                                                        "the average")
            if 0.8 < ratio < 1.25:
                continue
            word = f"{'high' if ratio > 1 else 'low'} {m.replace('_', ' ')}"
            traits.append((abs(math.log(ratio)), phrase, word))
        for col in cats:
            share = members[col].astype("string").fillna("(missing)").value_counts(normalize=True)
            overall = frame[col].astype("string").fillna("(missing)").value_counts(normalize=True)
            value = share.index[0]
            lift = share.iloc[0] / overall[value]
            if share.iloc[0] >= 0.5 and lift >= 1.2:
                label = _value_label(col, value)
                if label == str(value) and not set(col.split("_")) & set(label.lower().split()):
                    label = f"{col.replace('_', ' ')} {value}"
                flag = str(value).lower() in ("0", "1", "true", "false", "yes", "no")
                traits.append((math.log(lift) + share.iloc[0], f"mostly {label} ({pct(share.iloc[0], 0)})", label)
                              + (() if flag else (str(value),)))
        # a value dominating several columns ("No internet service") names the cluster once, by itself
        values = [t[3] for t in traits if len(t) > 3]
        traits = [(*t[:2], t[3]) if len(t) > 3 and values.count(t[3]) > 1 else t[:3] for t in traits]
        traits.sort(key=lambda t: -t[0])
        description_text = ", ".join(t[1] for t in traits[:4]) or "close to the average on every feature"
        if rfm:
            name = _rfm_name(frame, members)
        else:
            words = list(dict.fromkeys(t[2].lower() for t in traits))[:2]
            name = ", ".join(words) or f"cluster {c + 1}"
            name = name[0].upper() + name[1:]
        names[c] = name
        qualifier[c] = next((t[2] for t in traits if t[1].startswith("mostly ")), None)
        description[c] = description_text[0].upper() + description_text[1:]
    # clusters sharing a name: a dominant category tells them apart, else a number
    for name in {n for n in names.values() if list(names.values()).count(n) > 1}:
        same = [c for c in names if names[c] == name]
        for i, c in enumerate(same):
            extra = qualifier[c]
            unique = extra and sum(qualifier[o] == extra for o in same) == 1
            names[c] = f"{name} ({extra})" if unique else f"{name} {i + 1}"
    return names, {names[c]: text for c, text in description.items()}


def _rfm_name(frame, members) -> str:
    r = _percentile(frame["recency"].to_numpy(), members["recency"].median())
    f = _percentile(frame["frequency"].to_numpy(), members["frequency"].median())
    m = _percentile(frame["monetary"].to_numpy(), members["monetary"].median())
    recency = "Recent" if r <= 0.35 else "Lapsed" if r >= 0.65 else ""
    often = "one-time" if members["frequency"].median() <= 1 else "frequent" if f >= 0.65 else "occasional"
    spend = "big spenders" if m >= 0.65 else "low spenders" if m <= 0.35 else "buyers"
    name = " ".join(w for w in (recency, often, spend) if w)
    return name[0].upper() + name[1:]


def _value_label(col: str, value: str) -> str:
    text = str(value)
    if text.lower() in ("1", "true", "yes"):
        return col.replace("_", " ")
    if text.lower() in ("0", "false", "no"):
        return f"no {col.replace('_', ' ')}"
    return text


def attribute_labels(frame, by: list[str], edges: dict[str, list[float] | None] | None = None):
    """One label per customer from the attributes: age in bands, other numbers with many values in
    quartile ranges, flags as words ("senior citizen", "no partner"), joined with " · ". ``edges``
    (``kit.quartile_edges``: of the whole column, whatever customers ``frame`` holds) fixes the
    ranges of a column; without them they are the quartiles of ``frame``."""
    import numpy as np
    import pandas as pd

    parts = []
    for col in by:
        values = frame[col]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if numeric and col == "age":
            bands = np.select([values < lim for lim, _ in AGE_BANDS], [label for _, label in AGE_BANDS], "65+")
            parts.append(pd.Series(np.where(values.isna(), "age unknown", bands), index=frame.index))
        elif numeric and values.nunique() > 10:
            fixed = (edges or {}).get(col)
            cuts = sorted(set(fixed or values.quantile([0, .25, .5, .75, 1]).round(2)))
            band = pd.cut(values, cuts, include_lowest=True, duplicates="drop")
            parts.append(band.map(lambda iv, c=col: f"{c.replace('_', ' ')} {iv.left:g}-{iv.right:g}", na_action="ignore")
                         .astype("string").fillna(f"{col} unknown"))
        else:
            parts.append(values.astype("string").fillna(f"{col} unknown").map(lambda v, c=col: _value_label(c, v)))
    label = parts[0].astype(str)
    for p in parts[1:]:
        label = label + " · " + p.astype(str)
    return label.to_numpy()


def attribute_labels_sql(dataset, relation: str, by: list[str]) -> tuple[str, list]:
    """``attribute_labels`` as one SQL expression over ``relation`` (one row per customer with the
    columns ``by``) and its parameters: the age bands and flag words as CASEs, the quartile edges of
    other numbers with many values computed in the engine first (their labels made by pandas' own
    ``cut`` of the edges, so they read as in memory), each other value's label from its distinct
    values. What comes back: the edges and the distinct values, never a row per customer."""
    import pandas as pd

    types = dataset.relation_columns(relation)
    numeric_types = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "REAL")
    parts, args = [], []
    for col in by:
        v = qi(col)
        numeric = types.get(col, "VARCHAR").split("(")[0] in numeric_types or types.get(col, "").startswith("DECIMAL")
        unknown = f"{col} unknown"
        if numeric and col == "age":
            whens = " ".join(f"WHEN {v} < {lim} THEN ?" for lim, _ in AGE_BANDS)
            parts.append(f"CASE WHEN {v} IS NULL THEN ? {whens} ELSE '65+' END")
            args += [f"age unknown", *[label for _, label in AGE_BANDS]]
            continue
        if numeric and int(dataset.scalar(f"SELECT count(DISTINCT {v}) FROM {relation}")) > 10:
            # the ranges of the whole column, once per data: the same whatever customers are segmented
            qs = kit.quartile_edges(dataset, col) or \
                dataset.rows(f"SELECT {', '.join(f'quantile_cont({v}, {q})' for q in (0, .25, .5, .75, 1))} "
                             f"FROM {relation}")[0]
            edges = sorted(set(pd.Series(qs, dtype=float).round(2)))
            bands = pd.cut(pd.Series(edges, dtype=float), edges, include_lowest=True, duplicates="drop").cat.categories
            whens = []
            for i, iv in enumerate(bands):
                low = f"{v} >= ?" if i == 0 else f"{v} > ?"
                whens.append(f"WHEN {low} AND {v} <= ? THEN ?")
                args += [float(edges[i]), float(edges[i + 1]), f"{col.replace('_', ' ')} {iv.left:g}-{iv.right:g}"]
            parts.append(f"CASE {' '.join(whens)} ELSE ? END")
            args.append(unknown)
            continue
        values = [r[0] for r in dataset.rows(f"SELECT DISTINCT {v} FROM {relation} WHERE {v} IS NOT NULL")]
        texts = pd.Series(values, dtype=types_dtype(types.get(col, "VARCHAR"))).astype("string") if values else []
        whens = " ".join(f"WHEN {v} = ? THEN ?" for _ in values)
        for raw, text in zip(values, texts):
            args += [raw, _value_label(col, text)]
        parts.append(f"CASE WHEN {v} IS NULL THEN ? {whens} END")
        args.insert(len(args) - 2 * len(values), _value_label(col, unknown))
    if len(parts) == 1:
        return parts[0], args
    return "concat(" + ", ' · ', ".join(parts) + ")", args


#: k-means on an engine other than DuckDB is fitted on at most this many customers (a deterministic
#: sample drawn in the engine by the md5 of the customer id), never more than half the bound on the
#: rows an engine may send back (CUSTLENS_ENGINE_MAX_ROWS)
ENGINE_KMEANS_SAMPLE = 50_000


def kmeans_labels_sql(dataset, relation: str, table: str, k: int | None, by: list[str], warnings: list[str]):
    """k-means on an engine: (the label as SQL, its parameters, the silhouette table or None, each
    cluster's description, the relation to label (``table`` with each customer's squared distance
    to each centre, d0, d1...), its parameters). The features are ``features``' (log R, F, M, numbers, one-hot
    categories), standardised with means and deviations computed in the engine over every customer
    of ``relation`` (``table`` gives the column types); the clusters are fitted and named on a
    sample of at most ``ENGINE_KMEANS_SAMPLE`` customers drawn in the engine by the md5 of their id
    (the same sample every time), and every customer is labelled in the engine with the nearest
    centroid (a CASE over the squared distances)."""
    import numpy as np
    import pandas as pd

    from custlens.engines import max_rows

    types = dataset.relation_columns(table)
    numeric_types = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL")
    exprs, args = [], []  # (SQL of a raw feature, its parameters) in features' column order
    for c in ("recency", "frequency", "monetary"):
        exprs.append((f"ln(1 + greatest(CAST({c} AS DOUBLE), 0))", []))
    cats, nums, onehot = [], [], []
    for col in by:
        v = qi(col)
        numeric = types.get(col, "VARCHAR").split("(")[0] in numeric_types
        if numeric and int(dataset.scalar(f"SELECT count(DISTINCT {v}) FROM {relation}")) > 2:
            nums.append(col)
            median = float(dataset.scalar(f"SELECT quantile_cont({v}, 0.5) FROM {relation}"))
            exprs.append((f"coalesce(CAST({v} AS DOUBLE), ?)", [median]))
        else:
            cats.append(col)
    for col in cats:
        values = [r[0] for r in dataset.rows(f"SELECT DISTINCT {qi(col)} FROM {relation}")]
        texts = pd.Series(values, dtype=types_dtype(types.get(col, "VARCHAR"))).astype("string").fillna("(missing)")
        for text in sorted(set(texts)):
            raws = [r for r, t in zip(values, texts) if t == text]
            hit = " OR ".join(f"{qi(col)} IS NULL" if r is None else f"{qi(col)} = ?" for r in raws)
            exprs.append((f"CAST(CASE WHEN {hit} THEN 1 ELSE 0 END AS DOUBLE)", [r for r in raws if r is not None]))
            onehot.append((col, text))
    stats = dataset.rows("SELECT count(*), " + ", ".join(f"avg({e}), stddev_pop({e})" for e, _ in exprs)
                         + f" FROM {relation}", [a for e, a in exprs for a in (a + a)])[0]
    n = int(stats[0])
    means = np.array([float(stats[1 + 2 * i] or 0) for i in range(len(exprs))])
    sds = np.array([float(stats[2 + 2 * i] or 0) for i in range(len(exprs))])
    sds[sds == 0] = 1.0
    size = max(2, min(ENGINE_KMEANS_SAMPLE, max_rows() // 2))
    cols = ", ".join(["customer_id", "recency", "frequency", "monetary", "first_order", "last_order",
                      *(qi(c) for c in by)])
    sample = dataset.query(f"SELECT {cols}, " + ", ".join(f"{e} AS f{i}" for i, (e, _) in enumerate(exprs))
                           + f" FROM {relation} ORDER BY md5(CAST(customer_id AS VARCHAR)) LIMIT {size}",
                           [a for _, a in exprs for a in a])
    # in customer id order, as in memory: with every customer in the sample, k-means sees DuckDB's rows
    sample = sample.sort_values("customer_id", kind="stable").reset_index(drop=True)
    x = (sample[[f"f{i}" for i in range(len(exprs))]].to_numpy(float) - means) / sds
    sample = sample.drop(columns=[f"f{i}" for i in range(len(exprs))])
    distinct = _distinct_rows(x)
    if distinct < 2:
        raise DataError(_identical(n, "recency, frequency and spend" + (" and " + ", ".join(by) if by else "")))
    if k is not None and k > n:
        raise ParamsError(f"k={k} clusters is more than the {n:,} customers; ask for at most {min(n, 10)}.")
    if k is not None and k > distinct:
        raise ParamsError(f"k={k} clusters, but the customers have only {distinct} distinct profiles; ask for at "
                          f"most {distinct}.")
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        model, k_table = kit.fitted(dataset, "k-means engine", (x, k),
                                    lambda w: _kmeans_labels(x, len(x), k, w, keep_model=True), warnings)
    labels = model.predict(x)
    names, description = cluster_names(sample, labels, cats, nums)
    centres = model.cluster_centers_
    standard = [f"(({e}) - {float(means[i])!r}) / {float(sds[i])!r}" for i, (e, _) in enumerate(exprs)]
    distances = [" + ".join(f"power({f} - {float(centre[i])!r}, 2)" for i, f in enumerate(standard))
                 for centre in centres]
    distance_args = [a for _ in centres for _, more in exprs for a in more]
    nearest = f"least({', '.join(f'd{j}' for j in range(len(centres)))})" if len(centres) > 1 else "d0"
    case = "CASE " + " ".join(f"WHEN d{j} = {nearest} THEN ?" for j in range(len(centres))) + " END"
    source = "(SELECT *, " + ", ".join(f"{d} AS d{j}" for j, d in enumerate(distances)) + f" FROM {table}) AS sa"
    note = (f"k-means fitted on a sample of {len(x):,} of the {n:,} customers drawn in the engine by the md5 of the "
            "customer id (the same sample each time), every customer labelled in the engine with the nearest centre")
    if len(x) < n:
        warnings.append(note)
        dataset.note_sampled(note)
    return case, [names[j] for j in range(len(centres))], k_table, description, source, distance_args


def types_dtype(sql_type: str) -> str:
    """The pandas dtype a column of ``sql_type`` has in a DuckDB frame (what its values print as)."""
    t = sql_type.split("(")[0]
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"):
        return "Int64"
    if t in ("FLOAT", "DOUBLE", "REAL", "DECIMAL"):
        return "float64"
    if t == "BOOLEAN":
        return "boolean"
    return "object"


# -------------------------------------------------------------------- describing segments
def _value_column(dataset, frame, warnings: list[str]) -> str | None:
    """What "value" means for sizing: revenue with sales; on a customers table alone, a numeric
    column whose name says spend (total charges before monthly), else none."""
    if _rfm(frame):
        return "revenue"
    numeric = _numeric_columns(dataset)
    candidates = sorted((c for c in _varying(dataset, sorted(numeric)) if any(w in c for w in VALUE_WORDS)),
                        key=lambda c: (not any(w in c for w in ("total", "lifetime", "ltv", "clv")), c))
    if not candidates:
        return None
    col = candidates[0]
    frame[col] = dataset.query(f"SELECT customer_id, {qi(col)} AS v FROM customers").drop_duplicates(
        "customer_id").set_index("customer_id")["v"].reindex(frame["customer_id"]).to_numpy()
    warnings.append(f"no sales data: segment value is the customers column {col!r}")
    return col


def customer_table(frame, segments, by: list[str], first: list[str] = ()):
    """One row per customer: segment, recency, frequency, monetary and the R, F, M and FM scores
    (RFM), the attributes segmented by; the segments ``first`` (named in the question) come first,
    then the segments in the order of ``segments``, each customer by spend within its segment."""
    import numpy as np
    import pandas as pd

    order = {name: i for i, name in enumerate(segments["segment"])}
    order.update({name: -len(first) + i for i, name in enumerate(first)})
    rfm = _rfm(frame)
    columns = ["customer_id", "segment", *[c for c in ("recency", "frequency", "monetary", "r_score", "f_score",
                                                      "m_score", "fm_score") if c in frame and rfm], *by]
    out = frame[list(dict.fromkeys(columns))]
    # numpy's stable lexsort on the segment's place and the spend, over the customers in id order: a
    # pandas sort on the text ids took ~3 s of an RFM answer at 1M customers (the ids factorised)
    if not out["customer_id"].is_monotonic_increasing:  # rfm_sql's frame is in id order already
        out = out.sort_values("customer_id", kind="stable")
    codes, names = pd.factorize(out["segment"], use_na_sentinel=False)
    place = np.array([order.get(name, len(order)) for name in names])[codes]
    keys = (-out["monetary"].to_numpy(dtype=float), place) if rfm else (place,)
    out = out.take(np.lexsort(keys))
    if rfm:
        out = out.rename(columns={"recency": "recency (days)", "frequency": "orders", "monetary": "revenue"})
    if "revenue" in out:
        out["revenue"] = out["revenue"].round(2)
    return out.reset_index(drop=True)


def segment_table(frame, method: str, value: str | None, description: dict[str, str]):
    """Size, value share and average R/F/M (and scores) per segment, largest value first."""
    import pandas as pd

    g = frame.groupby("segment", sort=False)
    groups = pd.DataFrame({"customers": g.size()})
    money = ("monetary" if value == "revenue" else value) if value else None
    if value:
        groups["value"] = g[money].sum()
    if _rfm(frame):
        groups["recency"] = g["recency"].mean()
        groups["frequency"] = g["frequency"].mean()
    if method == "rfm":
        for s in ("r_score", "f_score", "m_score"):
            groups[s] = g[s].mean()
    return segment_table_from(groups, len(frame), frame[money].sum() if value else None, method, value, description)


def segment_table_from(groups, n: int, total, method: str, value: str | None, description: dict[str, str]):
    """``segment_table`` from the sums per segment (indexed by segment, in order of first
    appearance: customers, and as the frame has them value, mean recency and frequency, mean
    R/F/M scores), made in pandas or in an engine."""
    import pandas as pd

    out = pd.DataFrame({"customers": groups["customers"]})
    out["share of customers"] = (out["customers"] / n).round(6)
    if value:
        out[value] = groups["value"].round(2)
        out[f"share of {value}"] = (out[value] / total).round(6) if total else float("nan")
        out[f"{value} per customer"] = (out[value] / out["customers"]).round(2)
    if "recency" in groups:
        out["avg recency (days)"] = groups["recency"].round(1)
        out["avg orders"] = groups["frequency"].round(2)
    if method == "rfm":
        for s in ("r_score", "f_score", "m_score"):
            out[f"avg {s[0].upper()}"] = groups[s].round(2)
    if description:
        out["description"] = [description.get(s, "") for s in out.index]
    order = [value] if value else ["customers"]
    out = out.sort_values(order + ["customers"], ascending=False)
    return out.reset_index()


def segment_profiles(dataset, customers=None) -> dict[str, dict]:
    """What the data says about each saved segment (the ``segments`` table): FACTS from customer
    attributes (dominant values, median age), SALES from purchases (spend, orders, days between
    orders, top categories and products, main channel, revenue growth), satisfaction and comment
    words from feedback, churn from a churn flag. Aggregation in SQL; ``customers`` (one row per
    customer with segment, frequency, monetary, first_order, last_order, as segmentation has it)
    saves recomputing the per-customer figures. Used by the canvas, the focus ranking and personas.

    Everything but the sales figures depends only on the data and the saved labels, so it is
    computed once per (data version, segments version) and shared (``Dataset.shared``): the
    report's segmentation and personas sections read the same profiles (the sales mix and the
    comment words were computed twice, ~12 s at a million customers)."""
    import copy

    if dataset.has_segments and dataset.segments_version:
        base = dataset.shared.fact(dataset.data_version, f"segment profiles {dataset.segments_version}",
                                   lambda: _profiles_base(dataset))
        profiles = copy.deepcopy(base)
    else:
        profiles = _profiles_base(dataset)
    if dataset.has("transactions"):  # the one part a segmentation's own customer frame may scope
        for row in _sales_per_segment(dataset, customers).to_dict("records"):
            if row["segment"] in profiles:
                profiles[row["segment"]]["sales"] = {k: _num(v) for k, v in row.items() if k != "segment"}
    return profiles


def _profiles_base(dataset) -> dict[str, dict]:
    """``segment_profiles`` without the sales figures (see there)."""
    seg = "SELECT segment, count(*) AS customers FROM segments GROUP BY 1"
    profiles = {r[0]: {"segment": r[0], "customers": int(r[1]), "facts": [], "age": None, "top_categories": [],
                       "top_products": [], "channel": None, "sales": None, "satisfaction": None, "words": [],
                       "churn_rate": None, "b2b": None, "numbers": {},
                       "complaint_words": [], "growth": None}
                for r in dataset.rows(seg)}
    if dataset.has("customers"):
        ccols = dataset.columns("customers")
        for col in fact_columns(dataset):
            for segment, value, share in _top_values(dataset, f"c.{qi(col)}", "customers c", 1):
                profiles[segment]["facts"].append({"attribute": col.replace("_", " "), "value": value, "share": share})
        labelled = f"({kit.customer_table(dataset)}) c WHERE c.segment IS NOT NULL"  # customers with a saved label
        if "age" in ccols:
            for segment, age in dataset.rows(
                    f"SELECT c.segment, median(c.age) FROM {labelled} AND c.age IS NOT NULL GROUP BY 1"):
                profiles[segment]["age"] = float(age)
        numeric = sorted(_numeric_columns(dataset) - {"age", "churned"})
        distinct = dict(zip(numeric, dataset.rows("SELECT " + ", ".join(
            f"count(DISTINCT {qi(c)})" for c in numeric) + " FROM customers")[0])) if numeric else {}
        flags = [c for c in numeric if distinct[c] == 2 and
                 dataset.scalar(f"SELECT bool_and({qi(c)} IN (0, 1)) FROM customers")]
        if flags:  # 0/1 columns (partner, dependents, senior citizen): the share that has it
            for segment, *shares in dataset.rows(
                    "SELECT c.segment, " + ", ".join(f"avg({qi(c)})" for c in flags) + f" FROM {labelled} GROUP BY 1"):
                profiles[segment]["facts"] += [{"attribute": c.replace("_", " "), "value": "1", "share": float(v)}
                                               for c, v in zip(flags, shares) if v is not None]
        numbers = [c for c in numeric if distinct[c] > 2][:4]
        if numbers:
            medians = "SELECT c.segment, " + ", ".join(f"median({qi(c)})" for c in numbers) + \
                f" FROM {labelled} GROUP BY 1"
            for segment, *values in dataset.rows(medians):
                profiles[segment]["numbers"] = {c: _num(v) for c, v in zip(numbers, values)}
        if "churned" in ccols:
            for segment, rate in dataset.rows(
                    f"SELECT c.segment, avg(CAST(c.churned AS DOUBLE)) FROM {labelled} GROUP BY 1"):
                profiles[segment]["churn_rate"] = None if rate is None else float(rate)
        if "customer_type" in ccols or "industry" in ccols:
            flag = "upper(c.customer_type) = 'B2B'" if "customer_type" in ccols else "c.industry IS NOT NULL"
            for segment, share in dataset.rows(
                    f"SELECT c.segment, avg(CAST({flag} AS DOUBLE)) FROM {labelled} GROUP BY 1"):
                profiles[segment]["b2b"] = None if share is None else float(share)
    if dataset.has("transactions"):
        _sales_mix(dataset, profiles)
    if dataset.has("feedback") and "score" in dataset.columns("feedback"):
        for segment, avg, top, low, n, hi in dataset.rows(
                "SELECT s.segment, avg(f.score), avg(CAST(f.score >= 9 AS DOUBLE)), avg(CAST(f.score <= 6 AS DOUBLE)), "
                "count(*), max(f.score) FROM segments s JOIN feedback f USING (customer_id) "
                "WHERE f.score IS NOT NULL GROUP BY 1"):
            nps = round(100 * (top - low)) if hi is not None and hi > 5 else None
            profiles[segment]["satisfaction"] = {"score": round(float(avg), 2), "nps": nps, "responses": int(n)}
        if "text" in dataset.columns("feedback"):
            every, low = _comment_words(dataset)
            for segment, words in every.items():
                profiles[segment]["words"] = words
            for segment, words in low.items():
                profiles[segment]["complaint_words"] = words
    for p in profiles.values():
        for f in p["facts"]:
            f["phrase"] = fact_phrase(f)
    return profiles


def _sales_per_segment(dataset, customers=None):
    """Buyers, revenue, revenue per customer and per order, orders and days between orders per
    segment: from the per-customer frame when given, else in SQL."""
    if customers is None:
        return dataset.query(f"""
            WITH pc AS ({_per_customer('true', dataset=dataset)})
            SELECT s.segment, count(*) AS buyers, sum(pc.revenue) AS revenue, avg(pc.revenue) AS per_customer,
                   avg(pc.orders) AS orders, sum(pc.revenue) / nullif(sum(pc.orders), 0) AS per_order,
                   avg(date_diff('day', pc.first_order, pc.last_order) / nullif(pc.orders - 1, 0)) AS days_between
            FROM segments s JOIN pc USING (customer_id) GROUP BY 1""")
    if isinstance(customers, str):  # the engine's table of every customer's figures (RFM on an engine)
        return dataset.query(f"""
            SELECT s.segment, count(*) AS buyers, sum(c.monetary) AS revenue, avg(c.monetary) AS per_customer,
                   avg(c.frequency) AS orders, sum(c.monetary) / nullif(sum(c.frequency), 0) AS per_order,
                   avg(CASE WHEN c.frequency > 1 THEN floor(date_diff('second', c.first_order, c.last_order) / 86400.0)
                            / (c.frequency - 1) END) AS days_between
            FROM segments s JOIN {customers} c ON s.customer_id = CAST(c.customer_id AS VARCHAR) GROUP BY 1""")
    c = customers
    span = (c["last_order"] - c["first_order"]).dt.days / (c["frequency"] - 1).where(c["frequency"] > 1)
    g = c.assign(days=span).groupby("segment")
    out = g.agg(buyers=("customer_id", "size"), revenue=("monetary", "sum"), per_customer=("monetary", "mean"),
                orders=("frequency", "mean"), days_between=("days", "mean"))
    out["per_order"] = out["revenue"] / g["frequency"].sum()
    return out.reset_index()


def _sales_mix(dataset, profiles: dict[str, dict]) -> None:
    """One pass over the purchases joined to the segments: the top 3 categories and products (by
    revenue), the main channel (by order lines) and revenue growth (last 6 months against the 6
    before, from the data's last order) of every segment. The lines carry a segment number, not
    its name, through the join and the grouping: names longer than 12 bytes are not stored inline
    in DuckDB, and carrying them cost 0.4 s of 2.1 s at 11.6M lines."""
    tcols = dataset.columns("transactions")
    dims = [c for c in ("category", "product", "channel") if c in tcols]
    # the data's last order date, read once per loaded data (``Dataset.last_order_date``), not by one more
    # scan of every purchase here; another engine reads it in the same statement
    last = None if dataset.remote else dataset.last_order_date()
    end = "SELECT ? AS d" if last is not None else "SELECT max(order_date) AS d FROM transactions"
    sql = f"""
        WITH e AS ({end}),
        codes AS (SELECT segment, row_number() OVER (ORDER BY segment) AS code FROM segments GROUP BY segment),
        s AS (SELECT segments.customer_id, codes.code FROM segments JOIN codes USING (segment)),
        m AS (SELECT s.code{''.join(f', t.{c}' for c in dims)}, sum(t.amount) AS revenue, count(*) AS lines,
                     sum(t.amount) FILTER (WHERE t.order_date > e.d - INTERVAL 6 MONTH) AS recent,
                     sum(t.amount) FILTER (WHERE t.order_date <= e.d - INTERVAL 6 MONTH
                                            AND t.order_date > e.d - INTERVAL 12 MONTH) AS before
              FROM transactions t JOIN s USING (customer_id), e GROUP BY ALL)
        SELECT codes.segment, m.* EXCLUDE (code) FROM m JOIN codes USING (code)"""
    if dataset.remote:  # the mix stays in the engine: only each segment's growth and top values come back
        _sales_mix_in_engine(dataset, profiles, dims, sql)
        return
    mix = dataset.query(sql, [last] if last is not None else None)
    for segment, rows in mix.groupby("segment"):
        p = profiles[segment]
        recent, before = rows["recent"].sum(), rows["before"].sum()
        p["growth"] = (recent - before) / before if before else None
        for col, key, measure, n in (("category", "top_categories", "revenue", 3),
                                     ("product", "top_products", "revenue", 3), ("channel", "channel", "lines", 1)):
            if col not in dims:
                continue
            # rounded before ranking: the mix's rows come back in no fixed order, so the last bits of a
            # float sum differ from run to run and two near-equal values would swap; ties go by value
            share = rows.groupby(col)[measure].sum()
            share = (share / share.sum()).round(9).sort_values(ascending=False, kind="stable").head(n)
            top = [{"value": str(v), "share": round(float(x), 6)} for v, x in share.items()]
            p[key] = top if n > 1 else (top[0] if top else None)


def _sales_mix_in_engine(dataset, profiles: dict[str, dict], dims: list[str], sql: str) -> None:
    """``_sales_mix`` on an engine other than DuckDB: the mix (segments x categories x products x
    channels) is a temporary table there, and each segment's growth and its top values per
    dimension are ranked there (ties by value, as pandas' stable sort of the grouped values)."""
    with kit.temp_table(dataset, "__sales_mix", sql) as mix:
        for segment, recent, before in dataset.rows(f"SELECT segment, coalesce(sum(recent), 0), coalesce(sum(before), 0) FROM {mix} GROUP BY 1"):
            if segment in profiles:
                profiles[segment]["growth"] = (recent - before) / before if before else None
        for col, key, measure, n in (("category", "top_categories", "revenue", 3),
                                     ("product", "top_products", "revenue", 3), ("channel", "channel", "lines", 1)):
            if col not in dims:
                continue
            top: dict[str, list] = {}
            for segment, value, share in dataset.rows(f"""
                    WITH g AS (SELECT segment, {col} AS v, sum({measure}) AS m FROM {mix} WHERE {col} IS NOT NULL
                               GROUP BY 1, 2),
                    r AS (SELECT segment, v, m / sum(m) OVER (PARTITION BY segment) AS share,
                                 row_number() OVER (PARTITION BY segment ORDER BY m DESC, v) AS pos FROM g)
                    SELECT segment, v, share FROM r WHERE pos <= {n} ORDER BY segment, pos"""):
                top.setdefault(segment, []).append({"value": str(value), "share": round(float(share), 6)})
            for segment, p in profiles.items():
                values = top.get(segment, [])
                p[key] = values if n > 1 else (values[0] if values else None)


def _num(v):
    """A figure of the profiles to 12 significant digits: DuckDB's parallel sums differ in the last
    bits from run to run, which would turn 32.825 into 32.82 in one persona and 32.83 in the next."""
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else float(f"{v:.12g}")


def _top_values(dataset, expr: str, source: str, n: int):
    """(segment, value, share) of the ``n`` most common values of ``expr`` per segment."""
    rows = dataset.rows(f"""
        WITH v AS (SELECT s.segment, CAST({expr} AS VARCHAR) AS value, count(*) AS m
                   FROM segments s JOIN {source} USING (customer_id) WHERE {expr} IS NOT NULL GROUP BY 1, 2)
        SELECT segment, value, m / sum(m) OVER (PARTITION BY segment) AS share FROM v
        QUALIFY row_number() OVER (PARTITION BY segment ORDER BY m DESC, value) <= {int(n)}
        ORDER BY segment, share DESC, value""")
    return [(s, v, round(float(sh), 6)) for s, v, sh in rows]


STOPWORDS = set("""a about after again all also am an and any are as at be been before being but by can could did
do does doing don for from had has have having he her here hers him his how i if in into is it its just me might
more most my no not of on once only or other our out over own same she should so some such than that the their
them then there these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours again got get really one order ordered""".split())


def _comment_words(dataset, n: int = 5) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The most frequent meaningful words in each segment's feedback comments (SQL word counts):
    over every comment, and over the comments with a low score only (the bottom 40% of the scale:
    0-6 of 10, 1-2 of 5). One pass splits the comments into words and counts both (each count
    split every comment again: ~1.2 CPU s each at 700k comments); each list ranks its own count."""
    words = ", ".join(f"'{w}'" for w in sorted(STOPWORDS))
    rows = dataset.rows(f"""
        WITH w AS (SELECT s.segment, unnest(regexp_split_to_array(lower(f.text), '[^a-z]+')) AS word,
                          coalesce(f.score <= CASE WHEN (SELECT max(score) FROM feedback) > 5 THEN 6 ELSE 2 END,
                                   false) AS low
                   FROM segments s JOIN feedback f USING (customer_id) WHERE f.text IS NOT NULL),
        c AS (SELECT segment, word, count(*) AS k, count(*) FILTER (WHERE low) AS k_low FROM w
              WHERE length(word) > 2 AND word NOT IN ({words}) GROUP BY 1, 2),
        ranked AS (SELECT segment, word, k, k_low,
                          row_number() OVER (PARTITION BY segment ORDER BY k DESC, word) AS r,
                          row_number() OVER (PARTITION BY segment ORDER BY k_low DESC, word) AS r_low FROM c)
        SELECT segment, word, k, k_low, r, r_low FROM ranked WHERE r <= {n} OR (k_low > 0 AND r_low <= {n})""")
    every: dict[str, list[tuple]] = {}
    low: dict[str, list[tuple]] = {}
    for segment, word, k, k_low, r, r_low in rows:
        if r <= n:
            every.setdefault(segment, []).append((r, word))
        if k_low > 0 and r_low <= n:
            low.setdefault(segment, []).append((r_low, word))
    return ({s: [w for _, w in sorted(v)] for s, v in sorted(every.items())},
            {s: [w for _, w in sorted(v)] for s, v in sorted(low.items())})


def fact_phrase(f: dict) -> str:
    """"country: mostly Germany (34%)"; a yes/no flag as the share that has it ("partner: 48%")."""
    value = str(f["value"]).lower()
    if value in ("1", "true", "yes", "0", "false"):  # 0/1 and true/false flags have two values
        have = f["share"] if value in ("1", "true", "yes") else 1 - f["share"]
        return f"{f['attribute']}: {pct(have, 0)}"
    if value == "no":
        return f"{f['attribute']}: mostly none ({pct(f['share'], 0)})"
    return f"{f['attribute']}: mostly {f['value']} ({pct(f['share'], 0)})"


def facts_text(p: dict) -> str:
    parts = [fact_phrase(f) for f in p["facts"]]
    parts += [f"median {c.replace('_', ' ')} {v:,.4g}" for c, v in p["numbers"].items() if v is not None]
    if p["age"] is not None:
        parts.append(f"median age {p['age']:.0f}")
    if p["b2b"] is not None:
        parts.append(f"{pct(p['b2b'], 0)} business customers (B2B)")
    if p["churn_rate"] is not None:
        parts.append(f"churn rate {pct(p['churn_rate'])}")
    return "; ".join(parts) or "no customer attributes loaded (load a customers table for FACTS)"


def sales_text(p: dict) -> str:
    s = p["sales"]
    if not s:
        return "no sales data loaded (load orders for SALES)"
    parts = [f"spends {s['per_customer']:,.2f} per customer over {s['orders']:.1f} orders"]
    if s["days_between"] is not None:
        parts.append(f"returns every {s['days_between']:.0f} days")
    else:
        parts.append("has not returned (one order each)")
    if p["top_categories"]:
        parts.append("buys " + ", ".join(c["value"] for c in p["top_categories"]))
    if p["channel"]:
        parts.append(f"mostly via {p['channel']['value']} ({pct(p['channel']['share'], 0)})")
    return "; ".join(parts)


def canvas_frame(table, profiles: dict[str, dict]):
    """The seed's segmentation canvas, one row per segment: FACTS and SALES from the data, VALUE left
    to interviews."""
    import pandas as pd

    rows = []
    for segment in table["segment"]:
        p = profiles[segment]
        rows.append((segment, facts_text(p), sales_text(p),
                     "needs interviews: which goals they want to achieve and what value we create for them"))
    return pd.DataFrame(rows, columns=["segment", "FACTS", "SALES", "VALUE"])


def segment_growth(dataset, value: str | None, profiles: dict[str, dict]):
    """Growth per saved segment: revenue of the last 6 months against the 6 before (from the data's
    last order); on a customers table alone, the share of customers who signed up in the last 12
    months of signups. None when neither can be measured."""
    if value == "revenue":
        import pandas as pd

        growth = pd.Series({name: p["growth"] for name, p in profiles.items()}, dtype=float)
        return growth, "revenue, last 6 months vs the 6 before"
    if dataset.has("customers") and "signup_date" in dataset.columns("customers") and \
            dataset.scalar("SELECT count(signup_date) FROM customers"):
        frame = dataset.query("""
            WITH e AS (SELECT max(signup_date) AS d FROM customers)
            SELECT s.segment, avg(CAST(c.signup_date > e.d - INTERVAL 12 MONTH AS DOUBLE)) AS growth
            FROM segments s JOIN customers c USING (customer_id), e GROUP BY 1""")
        return frame.set_index("segment")["growth"], "share of customers who signed up in the last 12 months"
    return None


def focus_frame(table, growth, top: int):
    """Rank segments by size, value and growth (the mean of their three ranks) and say why."""
    import pandas as pd

    out = table[["segment", "customers"]].copy()
    share = next((c for c in table.columns if c.startswith("share of ") and c != "share of customers"), None)
    out["share of customers"] = table["share of customers"]
    ranks = [out["customers"].rank(ascending=False, method="min")]
    if share:
        out[share] = table[share]
        ranks.append(out[share].rank(ascending=False, method="min"))
    label = None
    if growth is not None:
        series, label = growth
        out["growth"] = out["segment"].map(series).astype(float).round(6)
        ranks.append(out["growth"].rank(ascending=False, method="min", na_option="bottom"))
    out["score"] = (sum(ranks) / len(ranks)).round(2)
    out = out.sort_values(["score", "customers"], ascending=[True, False]).head(top).reset_index(drop=True)
    by_size = dict(zip(table["segment"], table["customers"].rank(ascending=False, method="min")))
    by_value = dict(zip(table["segment"], table[share].rank(ascending=False, method="min"))) if share else {}
    reasons = []
    for _, row in out.iterrows():
        why = [f"{_ordinal(by_size[row.segment])} largest ({pct(row['share of customers'], 0)} of customers)"]
        if share:
            if row[share] == row[share] and by_value[row.segment] == by_value[row.segment]:  # not NaN (no amounts)
                why.append(f"{_ordinal(by_value[row.segment])} by {share[len('share of '):]} ({pct(row[share], 0)})")
        if label and pd.notna(row["growth"]):
            why.append(f"growth {pct(row['growth'], 0, sign=True)} ({label})")
        reasons.append("; ".join(why))
    out.insert(0, "rank", range(1, len(out) + 1))
    out["why"] = reasons
    return out


def _ordinal(x) -> str:
    n = int(x)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def potential_segments(dataset, frame, value: str | None, by: list[str]):
    """Attribute combinations (pairs of FACT attributes with few values) that are small today (under
    5% of customers) or under-represented (fewer customers than their attributes' shares predict)
    but worth more per customer than average. None without attributes or a value; empty when no
    combination qualifies."""
    import itertools

    import pandas as pd

    if not value or not dataset.has("customers"):
        return None
    low = dataset.values().get("customers", {})
    attrs = list(dict.fromkeys([c for c in by if c in low] + fact_columns(dataset)))[:4]
    if not attrs:
        return None
    money = "monetary" if value == "revenue" else value
    combos = list(itertools.combinations(attrs, 2)) or [(attrs[0],)]
    if isinstance(frame, str):  # a relation of the engine (RFM on an engine): its sums come back
        n, avg, shares, groups = _potential_sums(dataset, frame, money, attrs, combos)
    else:
        data = frame[["customer_id", money]].merge(
            dataset.query("SELECT customer_id, " + ", ".join(qi(c) for c in attrs) + " FROM customers")
            .drop_duplicates("customer_id"), on="customer_id", how="left")
        n, avg = len(data), data[money].mean()
        shares = {c: data[c].value_counts(normalize=True) for c in attrs}
        groups = {combo: data.dropna(subset=list(combo)).groupby(list(combo))[money].agg(["size", "mean"])
                  .reset_index() for combo in combos} if avg and n >= 20 else {}
    if not avg or n < 20:
        return None
    rows = []
    for combo in combos:
        cols = list(combo)
        g = groups[combo]
        marg = [shares[c] for c in cols]
        for _, r in g.iterrows():
            expected = n * math.prod(m[r[c]] for m, c in zip(marg, cols))
            rows.append({"attributes": " · ".join(f"{c.replace('_', ' ')} = {r[c]}" for c in cols),
                         "customers": int(r["size"]), "share of customers": round(r["size"] / n, 6),
                         f"{value} per customer": round(r["mean"], 2), "vs average": round(r["mean"] / avg, 2),
                         "representation": round(r["size"] / expected, 2) if expected else None})
    out = pd.DataFrame(rows)
    if out.empty:
        return None
    floor = max(5, 0.002 * n)
    small = (out["share of customers"] < 0.05) & (out["vs average"] >= 1.2)
    under = (out["representation"] <= 0.75) & (out["vs average"] >= 1.0)
    out = out[(out["customers"] >= floor) & (small | under)].copy()
    out["why"] = [("small today" if s else "fewer customers than its attributes predict") +
                  f", worth {v:.1f}x the average per customer" for s, v in zip(small[out.index], out["vs average"])]
    return out.sort_values(["vs average", "customers"], ascending=False).head(10).reset_index(drop=True)


def _potential_sums(dataset, relation: str, money: str, attrs: list[str], combos):
    """What ``potential_segments`` reads of the customers, summed in the engine over ``relation``
    (customer_id and ``money`` per customer) joined to the customers' attributes: their count and
    mean value, each attribute's share of values, customers and mean value per combination."""
    import pandas as pd

    data = (f"(SELECT r.customer_id, CAST(r.{qi(money)} AS DOUBLE) AS money, "
            + ", ".join(f"c.{qi(a)}" for a in attrs) + f" FROM {relation} AS r LEFT JOIN customers c "
            "ON CAST(r.customer_id AS VARCHAR) = CAST(c.customer_id AS VARCHAR)) AS d")
    n, avg = dataset.rows(f"SELECT count(*), avg(money) FROM {data}")[0]
    shares = {}
    for a in attrs:
        counts = dataset.query(f"SELECT {qi(a)} AS v, count(*) AS k FROM {data} WHERE {qi(a)} IS NOT NULL GROUP BY 1")
        shares[a] = pd.Series(counts["k"].to_numpy() / counts["k"].sum(), index=counts["v"], dtype=float) \
            if len(counts) else pd.Series(dtype=float)
    groups = {}
    for combo in combos:
        cols = ", ".join(qi(c) for c in combo)
        groups[combo] = dataset.query(
            f"SELECT {cols}, count(*) AS size, avg(money) AS mean FROM {data} WHERE "
            + " AND ".join(f"{qi(c)} IS NOT NULL" for c in combo) + f" GROUP BY {cols}").sort_values(
            list(combo), kind="stable").reset_index(drop=True)
    return n, avg, shares, groups


@hookimpl
def register_analyses(register):
    register(Segmentation())
