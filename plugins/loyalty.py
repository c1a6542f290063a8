"""loyalty: how customers keep buying, how loyal each one is, and how satisfied they are.

- Retention (``focus="retention"``, also part of ``loyalty``): the repeat purchase rate (share of
  customers with two orders or more), the period-over-period retention rate (share of a period's
  buyers who buy again in the next period), the purchase frequency distribution, the time between
  purchases and the tenure (days from the first purchase to the last).
- Loyalty index (``focus="loyalty"``, the default): one score per customer from 0 to 100, the mean
  of its available components:

    frequency     percentile rank of the customer's orders (0 = fewest, 100 = most)
    recency       percentile rank of the days since the last purchase, most recent = 100
    tenure        percentile rank of the days from the first purchase to the last
    satisfaction  the customer's mean feedback score on a 0-100 scale (NPS 0-10 -> x10,
                  CSAT 1-5 -> (score-1) x 25), only where the customer answered

  Its distribution, and the most loyal 20% against the least loyal 20% (spend, orders, and the
  customer attributes over-represented in each).
- Satisfaction (``focus="satisfaction"``): NPS (promoters 9-10, passives 7-8, detractors 0-6; NPS
  = % promoters - % detractors) or CSAT (1-5; % of answers 4 or 5), overall and by period,
  region, product and segment, with the scores' distribution and, where the feedback has a yes/no
  recommend column (a review's "Recommended IND"), the share who recommend; the 20% most and 20%
  least satisfied customers (by their mean score) and what sets them apart: attributes, spend,
  products (only where the answers carry a customer id). NPS asked of 1-5 ratings is not computed:
  the answer says NPS needs a 0-10 likelihood to recommend and gives what the ratings support.
- Recommendation (``focus="recommend"``): the share who recommend (the recommend column), else the
  share of promoters on a 0-10 score, by the same breakdowns; on 1-5 ratings without such a column it
  says there is no recommend question and gives the share satisfied.

Per-row work is SQL over the canonical views; pandas works on one row per customer or per group.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from custlens import hookimpl, kit
from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.dataset import qi
from custlens.errors import DataError
from custlens.kit import customer_table, dimension
from custlens.templates import filters_text, pct, period_value, render

FREQUENCY_BUCKETS = [(1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 4, "4"), (5, 9, "5-9"), (10, None, "10+")]
DAY_BUCKETS = [(0, 0, "same day"), (1, 7, "1-7 days"), (8, 30, "8-30 days"), (31, 90, "31-90 days"),
               (91, 180, "91-180 days"), (181, 365, "181-365 days"), (366, None, "over a year")]
#: the three groups every comparison is made of, by ntile(5) of a score
GROUPS = {5: "top 20%", 1: "bottom 20%"}


class LoyaltyParams(ScopedParams):
    focus: Literal["loyalty", "retention", "satisfaction", "recommend"] = Field(
        "loyalty", description="loyalty: retention and the loyalty index; retention: repeat and retention rates, "
                               "frequency, time between purchases, tenure; satisfaction: NPS or CSAT from feedback; "
                               "recommend: the share who would recommend us")
    grain: Literal["day", "week", "month", "quarter", "year"] = Field(
        "quarter", description="periods of the period-over-period retention rate and of satisfaction over time")
    by: list[str] = Field(default_factory=list, description="extra breakdowns: customer attributes, 'segment', "
                          "feedback columns")
    scale: Literal["auto", "nps", "csat"] = Field(
        "auto", description="feedback scores: NPS 0-10 or CSAT 1-5 (auto: from their range); nps on scores that "
                            "never pass 5 says NPS cannot be computed from them")
    top: int = Field(10, ge=1, le=1000, description="rows shown per breakdown")
    bottom: bool = Field(False, description="a breakdown asked for lists the lowest first (\"which agents have the "
                                            "lowest satisfaction\")")

    @model_validator(mode="after")
    def _recommend_is_the_measure(self):
        """"what share of customers would recommend us": the recommend column is what is measured, not a
        filter on its yes answers (a share of 100% by construction)."""
        if self.focus == "recommend":
            self.filters = {k: v for k, v in self.filters.items() if not kit.RECOMMEND_NAME.search(k)}
        return self


class Loyalty(Analysis):
    name = "loyalty"
    title = "Loyalty, retention and satisfaction"
    summary = ("Repeat purchase and retention rates, purchase frequency, time between purchases, a loyalty index "
               "per customer, and satisfaction (NPS or CSAT) with the most and least satisfied customers.")
    examples = [
        "how loyal are our customers",
        "what is our repeat purchase rate",
        "what share of customers buy more than once",
        "how often do customers come back to buy again",
        "average time between purchases",
        "customer retention rate quarter over quarter",
        "who are our most loyal customers",
        "loyalty index per customer",
        "how long do customers stay with us",
        "what is our NPS",
        "net promoter score by region",
        "customer satisfaction by product",
        "CSAT score over time",
        "who are the most satisfied and least satisfied customers",
        "what characterises our dissatisfied customers",
        "how many promoters and detractors do we have",
        "are customers happy with us",
        "distribution of orders per customer",
        "customers by number of orders",
        "how many customers ordered only once",
        "how many one-time buyers do we have",
        "how many times does a customer buy",
        "share of repeat customers",
        "how often do customers reorder",
        "retention rate by year",
        "how satisfied are our customers",
        "what share of customers would recommend us",
        "how many customers would recommend the product",
        "share of reviewers who recommend the item by department",
        "recommendation rate by product category",
        "percentage of customers who would recommend us",
        "how many reviews recommend the item",
        "what percentage of reviewers recommend the product",
        "share of 5-star reviews that recommend the product",
        "what is the average rating",
    ]
    Params = LoyaltyParams
    per_customer = "loyalty_index"  # "... for each customer": this table first (Session._per_customer)
    #: a question about satisfaction ("what is our NPS?") reads the feedback scores, not the orders
    phrases = {"focus": {# "customers by number of orders", "who bought only once": the purchase frequency
                         r"\b(?:number\s+of\s+(?:orders|purchases)|(?:ordered|bought|purchased|shopped)\s+(?:only\s+|just\s+)?"
                         r"(?:once|twice|more\s+than\s+once)|one[- ]time\s+(?:buyers?|customers?|shoppers?|purchasers?))\b":
                             "retention",
                         # "what share would recommend us": the recommend column (a review's Recommended IND)
                         r"\brecommend\w*\b": "recommend",
                         r"\b(?:nps|net promoter|csat|satisf\w*|dissatisf\w*|promoters?|detractors?|"
                         r"(?:un)?happ(?:y|ier|iest)|ratings?|rated)\b": "satisfaction"},
               # "what is our NPS": the 0-10 scale asked for; on 1-5 ratings the answer says NPS needs it
               "scale": {r"\b(?:nps|net promoter)\b": "nps"}}
    requires = {}  # transactions, or feedback for satisfaction: checked in run with a message per focus
    requires_any = [{"transactions": ["customer_id", "order_date"]}, {"feedback": ["score"]}]

    def run(self, dataset, params: LoyaltyParams) -> Answer:
        if params.focus in ("satisfaction", "recommend"):
            return self._satisfaction(dataset, params)
        if not dataset.has("transactions") and dataset.has("feedback") and "score" in dataset.columns("feedback"):
            # a survey's or a ticket system's export alone: its scores are what loyalty can be read from
            answer = self._satisfaction(dataset, params.model_copy(update={"focus": "satisfaction"}))
            answer.warnings.insert(0, "there are no orders to measure repeat buying on: this is satisfaction, from "
                                      "the feedback scores")
            return answer
        dataset.require({"transactions": ["customer_id", "order_date"]}, self.name)
        where, args = dataset.scope(params.filters, params.start, params.end)
        if dataset.remote:  # every customer's index stays in the engine: only per-group rows come back
            scored = InEngine(dataset, self._scores_sql(dataset, params), [*args, params.end], params)
        else:
            scored = InMemory(dataset.query(self._scores_sql(dataset, params) + " ORDER BY s.loyalty_index DESC, "
                                            "s.customer_id", [*args, params.end]).drop(columns="index_rank"))
        if scored.empty:
            raise DataError(f"no purchases match{filters_text(params.filters)}{period_text(params)}. "
                            "Widen the period or the filters.")
        head, tables, charts, warnings = self._retention(dataset, params, where, args, scored)
        groups = None
        if params.focus == "loyalty":
            groups = self._loyalty_tables(dataset, scored, params, tables, charts, warnings)
        summary = render("loyalty.md.j2", focus=params.focus, h=head, g=groups, s=None,
                         filters=filters_text(params.filters), grain=params.grain)
        return Answer(analysis=self.name, title=self.title, summary=summary, tables=tables, charts=charts,
                      warnings=warnings,
                      follow_ups=["who are our most loyal customers", "what is our NPS", "cohort retention matrix"],
                      provenance=Provenance(method=METHOD[params.focus], rows_used=head["customers"]))

    # ------------------------------------------------------------------ retention
    def _retention(self, dataset, params, where, args, scored: "InMemory"):
        """Repeat and retention rates, frequency, time between purchases and tenure; ``scored`` is
        the one row per customer of ``_scores_sql`` (in memory or in the engine)."""
        g = params.grain
        freq = scored.frequency()
        head = scored.head()
        gaps = dataset.query(f"""
            WITH o AS (SELECT t.customer_id, t.order_id, min(t.order_date) AS placed FROM transactions t
                       WHERE t.customer_id IS NOT NULL AND {where} GROUP BY 1, 2),
            g AS MATERIALIZED (SELECT datediff('day', lag(placed) OVER (PARTITION BY customer_id ORDER BY placed), placed) AS days
                               FROM o),
            stats AS (SELECT median(days) AS median_days, avg(days) AS mean_days FROM g)
            SELECT {bucket_sql('days', DAY_BUCKETS)} AS "time between purchases", count(*) AS "repeat purchases",
                   count(*) / sum(count(*)) OVER () AS share, min(days) AS d,
                   any_value(median_days) AS median_days, any_value(mean_days) AS mean_days
            FROM g CROSS JOIN stats WHERE days IS NOT NULL GROUP BY 1 ORDER BY d""", args)
        if " ".join(where.split()) == "true":  # every purchase: from the shared per-day table (churn, CLV)
            ap = f"SELECT customer_id, date_trunc('{g}', d) AS p FROM {dataset.per_customer_day_table()} GROUP BY 1, 2"
        else:
            ap = (f"SELECT t.customer_id, date_trunc('{g}', t.order_date) AS p FROM transactions t "
                  f"WHERE t.customer_id IS NOT NULL AND {where} GROUP BY 1, 2")
        per_period = dataset.query(f"""
            WITH ap AS ({ap}),
            lagged AS (SELECT p, datediff('{g}', lag(p) OVER (PARTITION BY customer_id ORDER BY p), p) AS since FROM ap),
            per AS (SELECT p, count(*) AS active, count(*) FILTER (WHERE since IS NULL) AS new,
                           count(*) FILTER (WHERE since = 1) AS retained, count(*) FILTER (WHERE since > 1) AS back
                    FROM lagged GROUP BY 1)
            SELECT CAST(p AS DATE) AS {qi(g)}, active AS "active customers", new AS "new customers",
                   back AS "returning customers", retained AS "retained from the previous {g}",
                   CASE WHEN datediff('{g}', lag(p) OVER (ORDER BY p), p) = 1 THEN lag(active) OVER (ORDER BY p) END
                       AS "active the previous {g}",
                   CASE WHEN datediff('{g}', lag(p) OVER (ORDER BY p), p) = 1
                        THEN retained / lag(active) OVER (ORDER BY p) END AS "retention rate"
            FROM per ORDER BY p""", args)
        prev = per_period[f"active the previous {g}"]
        head["retention_rate"] = (per_period[f"retained from the previous {g}"][prev.notna()].sum() / prev.sum()
                                  if prev.sum() else None)
        head["periods"] = int(prev.notna().sum())
        head["median_days_between"] = float(gaps["median_days"].iloc[0]) if len(gaps) else None
        head["mean_days_between"] = float(gaps["mean_days"].iloc[0]) if len(gaps) else None
        head["one_time_share"] = float(freq["share of customers"].iloc[0]) if freq["orders"].iloc[0] == "1" else 0.0
        warnings = []
        if not len(gaps):
            warnings.append("every customer bought once: there is no time between purchases and no repeat "
                            "purchase to measure; retention needs customers with two orders or more")
        if head["periods"] == 0:
            warnings.append(f"the purchases span a single {g}: a period-over-period retention rate needs two; "
                            "ask for a finer grain (monthly, weekly)")
        tenure = scored.tenure()
        undated = scored.n - int(tenure["customers"].sum())
        if undated:  # their dates did not read (the data's notes say which values): no tenure to bucket
            warnings.append(f"{undated:,} customer(s) have no purchase with a date that reads: left out of the "
                            "tenure and time-between-purchases figures (see the notes on the date column)")
        tenure.insert(2, "share", tenure["customers"] / scored.n)
        tenure = tenure.rename(columns={"revenue": "revenue per customer"})
        tenure["tenure"] = tenure["tenure"].astype(str).replace("same day", "one day")
        freq["orders"] = freq["orders"].astype(str)
        gaps = gaps.drop(columns=["d", "median_days", "mean_days"])
        headline = pd.DataFrame([
            ("customers", head["customers"]), ("repeat purchase rate", head["repeat_rate"]),
            ("orders per customer", head["orders_per_customer"]),
            (f"retention rate ({g} over {g})", head["retention_rate"]),
            ("median days between purchases", head["median_days_between"]),
            ("median tenure (days, first to last purchase)", head["median_tenure_days"])],
            columns=["measure", "value"])
        headline["value"] = [None if v is None else round(float(v), 6) for v in headline["value"]]
        tables = [Table.from_frame("loyalty_headline", headline, "Repeat purchase and retention"),
                  Table.from_frame("retention_by_period",
                                   rounded(per_period.assign(**{g: [period_value(v, g) for v in per_period[g]]})),
                                   f"Retention {g} over {g}", max_rows=400),
                  Table.from_frame("purchase_frequency", freq.round(6), "Customers by number of orders"),
                  Table.from_frame("time_between_purchases", gaps.round(6), "Days between a customer's orders"),
                  Table.from_frame("tenure", tenure.round(6), "Tenure: days from the first purchase to the last")]
        charts = [Chart(kind="line", title=f"Retention rate {g} over {g}", table="retention_by_period", x=g,
                        y=["retention rate"]),
                  Chart(kind="bar", title="Customers by number of orders", table="purchase_frequency", x="orders",
                        y=["customers"]),
                  Chart(kind="bar", title="Days between purchases", table="time_between_purchases",
                        x="time between purchases", y=["repeat purchases"])]
        return head, tables, charts, warnings

    # ------------------------------------------------------------------ loyalty index
    @staticmethod
    def _scores_sql(dataset, params) -> str:
        """One row per customer: the components, the index and the quintile (5 = most loyal).
        Recency counts back from the end of the period asked for, else from the last order. Bind the
        scope's parameters, then the period's end."""
        where, _ = dataset.scope(params.filters, params.start, params.end)
        sat_join, sat_col = "", "CAST(NULL AS DOUBLE)"
        if dataset.has("feedback") and "score" in dataset.columns("feedback"):
            low, high = score_range(dataset, params.scale)
            sat_join = (f"LEFT JOIN (SELECT customer_id, 100 * (avg(score) - {low}) / {high - low} AS s FROM feedback "
                        f"WHERE score IS NOT NULL GROUP BY 1) sat ON sat.customer_id = pc.customer_id")
            sat_col = "sat.s"
        attrs = profile_columns(dataset)
        attr_sql, attr_join = profile_joins(dataset, attrs)
        return f"""
            WITH pc AS ({dataset.per_customer(where, measures=['first_order', 'last_order', 'orders', 'revenue'])}),
            ref AS (SELECT coalesce(CAST(? AS TIMESTAMP), {kit.last_date_sql(dataset)}) AS today),
            base AS (SELECT pc.customer_id, pc.orders, pc.revenue, datediff('day', pc.last_order, ref.today) AS recency_days,
                            datediff('day', pc.first_order, pc.last_order) AS tenure_days, {sat_col} AS satisfaction
                     FROM pc CROSS JOIN ref {sat_join}),
            s AS (SELECT *, 100 * percent_rank() OVER (ORDER BY orders) AS frequency_score,
                         100 * percent_rank() OVER (ORDER BY recency_days DESC) AS recency_score,
                         100 * percent_rank() OVER (ORDER BY tenure_days) AS tenure_score
                  FROM base),
            i AS (SELECT *, (frequency_score + recency_score + tenure_score + coalesce(satisfaction, 0))
                            / (3 + (satisfaction IS NOT NULL)::INT) AS loyalty_index FROM s)
            SELECT s.customer_id, round(s.loyalty_index, 1) AS loyalty_index,
                   ntile(5) OVER (ORDER BY s.loyalty_index, s.customer_id) AS quintile,
                   s.orders, round(s.revenue, 2) AS revenue, s.recency_days, s.tenure_days,
                   round(s.satisfaction, 1) AS satisfaction, round(s.frequency_score, 1) AS frequency_score,
                   round(s.recency_score, 1) AS recency_score, round(s.tenure_score, 1) AS tenure_score
                   {attr_sql}, s.loyalty_index AS index_rank
            FROM i s {attr_join}"""

    def _loyalty_tables(self, dataset, scored, params, tables, charts, warnings: list[str]) -> dict:
        distribution = pd.DataFrame({"loyalty index": [f"{10 * b}-{10 * b + 10}" for b in range(10)],
                                     "customers": scored.tenths()})
        distribution["share"] = (distribution["customers"] / scored.n).round(6)
        compare = scored.compare({"top 20%": "most loyal 20%", "bottom 20%": "least loyal 20%"},
                                 ["loyalty_index", "orders", "revenue", "recency_days", "tenure_days", "satisfaction"])
        profile = scored.profile(profile_columns(dataset) + (["segment"] if dataset.has_segments else []))
        tables += [scored.table(params.top),
                   Table.from_frame("loyalty_distribution", distribution, "Customers by loyalty index"),
                   Table.from_frame("loyalty_groups", compare, "The most and least loyal 20% of customers")]
        if len(profile):
            tables.append(Table.from_frame("loyalty_profile", profile,
                                           "What sets the most and least loyal apart (over-represented values)"))
        for dim in params.by:
            if dim in scored.columns:
                by = scored.by(dim).sort_values("loyalty_index", ascending=False).round(2)
                tables.append(Table.from_frame(f"loyalty_by_{dim}", by, f"Loyalty index by {dim.replace('_', ' ')}",
                                               max_rows=params.top))
            elif dim == "period":  # "do they buy every year again": the repeat rate from one period to the next
                warnings.append(f"not broken down by period: a customer's loyalty index spans all their purchases; the "
                                f"share who bought again in the next {params.grain or 'quarter'} is the retention "
                                "rate above (ask \"cohort retention by month\" for each period's)")
            else:
                raise DataError(f"cannot break loyalty down by {dim!r}: it is not a customer attribute here. "
                                f"Attributes: {', '.join(profile_columns(dataset)) or 'none (no customers table)'}.")
        charts.append(Chart(kind="histogram", title="Customers by loyalty index", table="loyalty_distribution",
                            x="loyalty index", y=["customers"]))
        return {"groups": compare.to_dict("records"), "profile": profile.to_dict("records"),
                "with_satisfaction": scored.answered(), "customers": scored.n, "median": scored.median_index()}

    # ------------------------------------------------------------------ satisfaction
    def _satisfaction(self, dataset, params) -> Answer:
        has_feedback = dataset.has("feedback")
        recommend = kit.recommend_column(dataset) if has_feedback else None
        has_score = has_feedback and "score" in dataset.columns("feedback")
        in_customers = kit.recommend_column(dataset, "customers") \
            if not has_score and not recommend and params.focus == "recommend" else None
        if in_customers:  # a CRM's would_recommend: the share of customers
            return self._recommend_customers(dataset, params, in_customers)
        if not has_score and not (recommend and params.focus == "recommend"):
            loaded = ", ".join(f"{s.name} ({s.role or 'unknown'})" for s in dataset.sources) or "nothing"
            raise DataError(
                "satisfaction (NPS or CSAT) needs feedback data: one row per survey answer or review with the "
                "customer id, a score (NPS 0-10 or CSAT 1-5) and ideally the date and product. Loaded: "
                f"{loaded}. Load it with --data feedback=PATH (map the score with --map score=COLUMN).")
        nps_asked = params.scale == "nps"
        low, high = score_range(dataset, "auto" if nps_asked else params.scale) if has_score else (None, None)
        kind = "nps" if high == 10 else "csat" if has_score else "recommend"
        header = kit.source_header(dataset, "feedback", "score")
        where, args = kit.feedback_scope(dataset, params.filters, params.start, params.end)
        known = "customer_id" in dataset.columns("feedback") and bool(dataset.scalar(
            "SELECT count(customer_id) FROM feedback"))
        rec = kit.flag_value(recommend, "f") if recommend else None
        measures = measures_sql(kind, rec, known)
        scored = "f.score IS NOT NULL" if has_score else f"{rec} IS NOT NULL"
        overall = dataset.query(f"SELECT {measures} FROM feedback f WHERE {scored} AND {where}", args)
        if not overall["answers"].iloc[0]:
            raise DataError(f"no feedback scores match{filters_text(params.filters)}{period_text(params)}. "
                            "Widen the period or the filters.")
        # what the breakdowns rank by: the share who recommend when that is the question
        rank = "recommend" if params.focus == "recommend" and rec else "promoters" \
            if params.focus == "recommend" and kind == "nps" else kind
        title = {"nps": "NPS", "csat": "CSAT", "recommend": "Recommendation"}[kind]
        tables = [Table.from_frame("satisfaction", overall.round(6), title, percent=SHARES)]
        warnings: list[str] = []
        if has_score:
            distribution = dataset.query(f"""
                SELECT f.score AS {qi(header.lower())}, count(*) AS answers, count(*) / sum(count(*)) OVER () AS share
                       {f', avg({rec}) AS recommend' if rec else ''}
                FROM feedback f WHERE f.score IS NOT NULL AND {where} GROUP BY 1 ORDER BY 1""", args)
            if (distribution.iloc[:, 0] % 1 == 0).all():  # whole stars: 1, not 1.00
                distribution.iloc[:, 0] = distribution.iloc[:, 0].astype("int64")
            tables.append(Table.from_frame("score_distribution", rounded(distribution),
                                           f"Answers by {header} ({low:g}-{high:g})", max_rows=20))
        breakdowns, asked_tables = [], []
        for label, expr, join, notes, asked in satisfaction_dimensions(dataset, params):
            warnings += [n for n in notes if n not in warnings]
            # a breakdown asked for is ranked by what is measured ("which agents score lowest": the lowest
            # first); the others list their biggest groups first
            order = "1" if label == params.grain else \
                f"{qi(rank)} {'ASC' if params.bottom else 'DESC'} NULLS LAST, 2 DESC, 1" if asked else "2 DESC, 1"
            frame = dataset.query(f"""
                SELECT {expr} AS {qi(label)}, {measures} FROM feedback f {join}
                WHERE {scored} AND {where} GROUP BY 1 ORDER BY {order}""", args)
            frame = rounded(frame)
            if label == params.grain:
                frame[label] = [period_value(v, label) for v in frame[label]]
            name = f"satisfaction_by_{'period' if label == params.grain else label}"
            measured = rank.upper() if rank in ("nps", "csat") else rank
            ranked_by = f", the {'lowest' if params.bottom else 'highest'} {measured} first" if asked else ""
            table = Table.from_frame(name, frame, f"{title} by {label.replace('_', ' ')}{ranked_by}",
                                     max_rows=400 if label == params.grain else params.top, percent=SHARES)
            if asked:  # right after the overall figures
                asked_tables.append(table)
                tables.insert(len(asked_tables), table)
            else:
                tables.append(table)
            if label != params.grain and len(frame) > 1:
                ranked = frame[frame["answers"] >= max(5, 0.2 * frame["answers"].median())]
                # a group of 18 answers proves little: the extremes among the groups of kit.SMALL_SAMPLE or more
                solid = ranked[ranked["answers"] >= kit.SMALL_SAMPLE]
                among = len(solid) >= 2 and len(solid) < len(ranked)
                ranked = (solid if len(solid) >= 2 else ranked).sort_values([rank, label], ascending=[False, True],
                                                                             kind="stable")
                if len(ranked) > 1:
                    breakdowns.append({"dim": label, "best": ranked.iloc[0].to_dict(), "worst": ranked.iloc[-1].to_dict(),
                                       "among": kit.SMALL_SAMPLE if among else None,
                                       "small": [int(g["answers"]) if kit.small(g["answers"]) else None
                                                 for g in (ranked.iloc[0], ranked.iloc[-1])]})
        by_period = next((t for t in tables if t.name == "satisfaction_by_period"), None)
        charts = [Chart(kind="line", title=by_period.title, table=by_period.name, x=params.grain, y=[rank])] \
            if by_period is not None else []
        if has_score:
            charts.append(Chart(kind="bar", title=f"Answers by {header} ({low:g}-{high:g})", table="score_distribution",
                                x=header.lower(), y=["answers"]))
        compare = profile = products = pd.DataFrame()
        people = pd.DataFrame()
        if known and has_score:
            people = self._satisfied_customers(dataset, params, where, args, low, high)
            compare = compare_groups(people, "quintile", {"top 20%": "most satisfied 20%",
                                                          "bottom 20%": "least satisfied 20%"},
                                     ["mean_score", "answers", "orders", "revenue"])
            profile = profile_groups(people, "quintile", profile_columns(dataset) +
                                     (["segment"] if dataset.has_segments else []))
            products = self._group_products(dataset, people)
            tables += [Table.from_frame("satisfaction_groups", compare, "The most and least satisfied 20% of customers"),
                       Table.from_frame("satisfaction_customers", people, "Customers by mean feedback score "
                                        "(quintile 5 = the most satisfied 20%)", max_rows=params.top)]
        elif has_score:
            warnings.append("the feedback has no customer id: each answer counts on its own, and who the most and "
                            "least satisfied customers are (and what sets them apart) cannot be told")
        if len(profile):
            tables.append(Table.from_frame("satisfaction_profile", profile,
                                           "What sets the most and least satisfied apart (attributes)"))
        if len(products):
            tables.append(Table.from_frame("satisfaction_products", products,
                                           "Products bought more often by one group than by all"))
        facts = {"kind": kind, "overall": overall.iloc[0].to_dict(), "breakdowns": breakdowns, "rank": rank,
                 "groups": compare.to_dict("records"), "profile": profile.to_dict("records"),
                 "products": products.to_dict("records"), "customers": len(people), "known": known,
                 "scale": (low, high), "header": header, "not_nps": nps_asked and kind == "csat",
                 "focus": params.focus, "recommend": kit.source_header(dataset, "feedback", recommend)
                 if recommend else None}
        summary = render("loyalty.md.j2", focus="satisfaction", h=None, g=None, s=facts,
                         filters=filters_text(params.filters), grain=params.grain)
        if params.scale == "auto" and has_score:
            warnings.insert(0, f"scores read as {'NPS (0-10)' if kind == 'nps' else 'CSAT (1-5)'} from their range "
                               f"({header} runs {low:g}-{high:g} here)"
                            + ("; set scale=csat if that is wrong" if kind == "nps" else ""))
        method = METHOD[kind] + (f"; recommend = share of answers with {facts['recommend']} = yes (1)"
                                 if rec and kind != "recommend" else "")
        if facts["not_nps"]:
            method = "NPS not computed: it needs 0-10 likelihood-to-recommend scores; " + method
        follow_ups = ["NPS by region", "customer satisfaction by product", "how loyal are our customers"] \
            if kind == "nps" else ["what share of customers would recommend us" if rec else "CSAT score over time",
                                   "what do the 1 and 2 star reviews say", "customer satisfaction by product"]
        return Answer(analysis=self.name, title="Customer satisfaction", summary=summary, tables=tables,
                      charts=charts, warnings=warnings, follow_ups=follow_ups,
                      provenance=Provenance(method=method, rows_used=int(overall["answers"].iloc[0])))

    def _recommend_customers(self, dataset, params, column: str) -> Answer:
        """The share of customers whose recommend column (a CRM's or survey export's would_recommend)
        says yes, overall and by ``by`` (columns of the customers)."""
        rec = kit.flag_value(column, "c")
        ccols = dataset.columns("customers")
        where, args = ["true"], []
        for key, values in params.filters.items():
            if key not in ccols:
                raise DataError(f"cannot filter the customers' {column} on {key!r}: the customers have no such "
                                f"column. Columns: {', '.join(sorted(ccols))}.")
            values = [values] if isinstance(values, str) else list(values)
            where.append(f"c.{qi(key)} IN ({', '.join('?' * len(values))})")
            args += values
        if params.start or params.end:
            raise DataError(f"the customers' {column} has no date, so it cannot be limited to a period: ask without "
                            "one.")
        measures = f"count(*) AS customers, count({rec}) AS answered, avg({rec}) AS recommend"
        sql_where = " AND ".join(where)
        overall = dataset.query(f"SELECT {measures} FROM customers c WHERE {sql_where}", args)
        header = kit.source_header(dataset, "customers", column)
        tables = [Table.from_frame("satisfaction", rounded(overall), "Recommendation")]
        breakdowns, warnings = [], []
        for dim in params.by:
            col = dim if dim in ccols else kit.stand_in(dataset, dim, "customers")
            if col is None:
                raise DataError(f"cannot break the share who recommend down by {dim!r}: the customers have no such "
                                f"column. Columns: {', '.join(sorted(ccols))}.")
            if col != dim:
                warnings.append(kit.stood_in(dim, col))
            frame = rounded(dataset.query(f"SELECT c.{qi(col)} AS {qi(col)}, {measures} FROM customers c "
                                          f"WHERE {sql_where} GROUP BY 1 ORDER BY 4 DESC NULLS LAST, 1", args))
            tables.append(Table.from_frame(f"satisfaction_by_{col}", frame,
                                           f"Recommendation by {col.replace('_', ' ')}", max_rows=params.top))
            ranked = frame[frame["answered"] >= 5].dropna(subset=["recommend"])
            if len(ranked) > 1:
                breakdowns.append({"dim": col, "best": ranked.iloc[0].to_dict(), "worst": ranked.iloc[-1].to_dict()})
        o = overall.iloc[0]
        lines = [f"**{pct(float(o['recommend'] or 0))}** of the {int(o['answered']):,} customers with an answer in "
                 f"{header} would recommend us{filters_text(params.filters)}"
                 + (f" ({int(o['customers']) - int(o['answered']):,} of {int(o['customers']):,} have none)."
                    if o["answered"] < o["customers"] else ".")]
        lines += [f"- By {b['dim'].replace('_', ' ')}: most recommend in **{b['best'][b['dim']]}** "
                  f"({pct(b['best']['recommend'])}), fewest in **{b['worst'][b['dim']]}** "
                  f"({pct(b['worst']['recommend'])})."
                  for b in breakdowns]
        return Answer(analysis=self.name, title="Customers who would recommend us", summary="\n".join(lines),
                      tables=tables, warnings=warnings, follow_ups=["how loyal are our customers"],
                      provenance=Provenance(method=f"recommend = share of customers whose {header} says yes (1)",
                                            rows_used=int(o["customers"])))

    @staticmethod
    def _satisfied_customers(dataset, params, where, args, low, high) -> pd.DataFrame:
        """One row per customer who answered: mean score, answers, spend, attributes, quintile
        (5 = most satisfied; ties broken by the number of answers, then the customer id)."""
        attrs = profile_columns(dataset)
        spend = (f"LEFT JOIN ({dataset.per_customer(measures=['orders', 'revenue'])}) p "
                 "ON p.customer_id = s.customer_id") \
            if dataset.has("transactions") else ""
        spend_cols = ", coalesce(p.orders, 0) AS orders, round(coalesce(p.revenue, 0), 2) AS revenue" if spend else \
            ", CAST(NULL AS BIGINT) AS orders, CAST(NULL AS DOUBLE) AS revenue"
        attr_sql, attr_join = profile_joins(dataset, attrs)
        return dataset.query(f"""
            WITH s AS (SELECT f.customer_id, avg(f.score) AS mean_score, count(*) AS answers FROM feedback f
                       WHERE f.customer_id IS NOT NULL AND f.score IS NOT NULL AND {where} GROUP BY 1)
            SELECT s.customer_id, round(s.mean_score, 2) AS mean_score, s.answers,
                   ntile(5) OVER (ORDER BY s.mean_score, s.answers, s.customer_id) AS quintile{spend_cols}
                   {attr_sql}
            FROM s {spend} {attr_join} ORDER BY s.mean_score DESC""", args)

    @staticmethod
    def _group_products(dataset, people: pd.DataFrame) -> pd.DataFrame:
        """Per extreme group, the products its customers bought (or rated) most over the share of
        all answering customers who did."""
        source = ("transactions", "t.product") if dataset.has("transactions") and "product" in dataset.columns(
            "transactions") else ("feedback", "t.product") if "product" in dataset.columns("feedback") else None
        if source is None or people.empty:
            return pd.DataFrame()
        groups = people[["customer_id", "quintile"]]
        dataset.register("__satisfaction_groups", groups)
        try:
            if source[0] == "transactions":  # each customer's products once: the shared table (up-sell's)
                frame = dataset.query(f"""
                    SELECT t.product, g.quintile, count(*) AS buyers
                    FROM {dataset.per_customer_product_table()} t JOIN __satisfaction_groups g
                         ON g.customer_id = t.customer_id
                    WHERE t.product IS NOT NULL GROUP BY 1, 2""")
            else:
                frame = dataset.query(f"""
                    SELECT {source[1]} AS product, g.quintile, count(DISTINCT t.customer_id) AS buyers
                    FROM {source[0]} t JOIN __satisfaction_groups g ON g.customer_id = t.customer_id
                    WHERE {source[1]} IS NOT NULL GROUP BY 1, 2""")
        finally:
            dataset.unregister("__satisfaction_groups")
        sizes = groups["quintile"].value_counts()
        frame["share"] = frame["buyers"] / frame["quintile"].map(sizes)
        overall = frame.groupby("product")["buyers"].sum() / len(groups)
        rows = []
        for q, label in ((5, "most satisfied 20%"), (1, "least satisfied 20%")):
            part = frame[frame["quintile"] == q].copy()
            if part.empty:  # few answering customers: no one in this fifth bought a product
                continue
            part["share of all"] = part["product"].map(overall)
            part["difference"] = part["share"] - part["share of all"]
            for _, r in part.sort_values("difference", ascending=False).head(3).iterrows():
                rows.append((label, r["product"], round(r["share"], 6), round(r["share of all"], 6),
                             round(r["difference"], 6)))
        return pd.DataFrame(rows, columns=["group", "product", "share of group buying", "share of all buying",
                                           "difference"])


# ---------------------------------------------------------------------- the customers' scores
class InMemory:
    """The loyalty index of every customer as one frame (the embedded DuckDB); ``InEngine`` gives
    the same views with the scores kept in another engine."""

    def __init__(self, frame: pd.DataFrame):
        self.frame, self.n, self.empty, self.columns = frame, len(frame), frame.empty, list(frame.columns)

    def frequency(self) -> pd.DataFrame:
        scored = self.frame
        freq = scored.groupby(buckets(scored["orders"], FREQUENCY_BUCKETS), observed=True).agg(
            customers=("customer_id", "size"), revenue=("revenue", "sum")).reset_index(names="orders")
        freq["share of customers"] = freq["customers"] / len(scored)
        freq["share of revenue"] = freq.pop("revenue") / scored["revenue"].sum()
        return freq

    def head(self) -> dict:
        scored = self.frame
        return {"customers": len(scored), "repeat_rate": float((scored["orders"] >= 2).mean()),
                "orders_per_customer": float(scored["orders"].mean()),
                "median_tenure_days": float(scored["tenure_days"].median())}

    def tenure(self) -> pd.DataFrame:
        scored = self.frame
        return scored.groupby(buckets(scored["tenure_days"], DAY_BUCKETS), observed=True).agg(
            customers=("customer_id", "size"), revenue=("revenue", "mean")).reset_index(names="tenure")

    def tenths(self):
        tenth = (self.frame["loyalty_index"] // 10).clip(0, 9).astype(int)
        return tenth.value_counts().reindex(range(10), fill_value=0).to_numpy()

    def compare(self, labels: dict[str, str], columns: list[str]) -> pd.DataFrame:
        return compare_groups(self.frame, "quintile", labels, columns)

    def profile(self, attributes: list[str]) -> pd.DataFrame:
        return profile_groups(self.frame, "quintile", attributes)

    def table(self, top: int) -> Table:
        return Table.from_frame("loyalty_index", self.frame, INDEX_TITLE, max_rows=top, priority=INDEX_PRIORITY)

    def by(self, dim: str) -> pd.DataFrame:
        return self.frame.groupby(dim, dropna=False).agg(customers=("customer_id", "size"),
                                                         loyalty_index=("loyalty_index", "mean"),
                                                         revenue=("revenue", "mean")).reset_index()

    def answered(self) -> int:
        return int(self.frame["satisfaction"].notna().sum())

    def median_index(self) -> float:
        return float(self.frame["loyalty_index"].median())


INDEX_TITLE = "Loyalty index per customer (0-100)"
INDEX_PRIORITY = ["customer_id", "loyalty_index", "quintile", "orders", "revenue", "recency_days", "satisfaction"]


class InEngine:
    """``InMemory``'s views with every customer's scores in the engine's temporary table
    ``__loyalty_scores``: each view is one SQL that returns per-group rows (buckets, tenths,
    quintiles, attribute values) or the first customers by ORDER BY ... LIMIT."""

    TABLE = "__loyalty_scores"

    def __init__(self, dataset, sql: str, args: list, params):
        self.dataset = dataset
        dataset.execute(f"CREATE OR REPLACE TEMP TABLE {self.TABLE} AS {sql}", args)
        self.n = int(dataset.scalar(f"SELECT count(*) FROM {self.TABLE}"))
        self.empty = self.n == 0
        self.columns = [c for c in dataset.relation_columns(self.TABLE) if c != "index_rank"]

    def _buckets(self, column: str, spec, measure: str) -> pd.DataFrame:
        frame = self.dataset.query(f"SELECT {bucket_sql(column, spec)} AS b, count(*) AS customers, {measure} "
                                   f"AS revenue FROM {self.TABLE} GROUP BY 1")
        labels = [label for _, _, label in spec]
        frame = frame[frame["b"].notna()].copy()  # NULL: a customer with no value (no dated purchase), in none
        frame["b"] = pd.Categorical(frame["b"], categories=labels, ordered=True)
        return frame.sort_values("b").reset_index(drop=True)

    def frequency(self) -> pd.DataFrame:
        freq = self._buckets("orders", FREQUENCY_BUCKETS, "sum(revenue)").rename(columns={"b": "orders"})
        freq["share of customers"] = freq["customers"] / self.n
        freq["share of revenue"] = freq.pop("revenue") / float(self.dataset.scalar(
            f"SELECT sum(revenue) FROM {self.TABLE}"))
        return freq

    def head(self) -> dict:
        repeat, orders, tenure = self.dataset.rows(
            f"SELECT avg(CAST(CASE WHEN orders >= 2 THEN 1 ELSE 0 END AS DOUBLE)), avg(orders), quantile_cont(tenure_days, 0.5) "
            f"FROM {self.TABLE}")[0]
        return {"customers": self.n, "repeat_rate": float(repeat), "orders_per_customer": float(orders),
                "median_tenure_days": float(tenure)}

    def tenure(self) -> pd.DataFrame:
        return self._buckets("tenure_days", DAY_BUCKETS, "avg(revenue)").rename(columns={"b": "tenure"})

    def tenths(self):
        counts = dict(self.dataset.rows(f"SELECT least(greatest(CAST(floor(loyalty_index / 10) AS INTEGER), 0), 9), "
                                        f"count(*) FROM {self.TABLE} GROUP BY 1"))
        return pd.Series([int(counts.get(b, 0)) for b in range(10)]).to_numpy()

    def compare(self, labels: dict[str, str], columns: list[str]) -> pd.DataFrame:
        """``compare_groups`` over the top and bottom quintiles and everyone, summed in the engine."""
        groups = ((labels["top 20%"], "quintile = 5"), (labels["bottom 20%"], "quintile = 1"),
                  ("all customers", "quintile IS NOT NULL"))
        parts = [f"count(*) FILTER (WHERE {w}), sum(revenue) FILTER (WHERE {w}), "
                 + ", ".join(f"avg({qi(c)}) FILTER (WHERE {w})" for c in columns) for _, w in groups]
        row = self.dataset.rows(f"SELECT count(revenue), sum(revenue), {', '.join(parts)} FROM {self.TABLE}")[0]
        total_revenue = row[1] if row[0] else None
        rows, at = [], 2
        for name, _ in groups:
            customers, revenue, means = row[at], row[at + 1], row[at + 2: at + 2 + len(columns)]
            at += 2 + len(columns)
            out = {"group": name, "customers": int(customers)}
            for c, mean in zip(columns, means):
                label = c.replace("_", " ")
                out[label if label.startswith(("mean ", "average ")) else f"mean {label}"] = \
                    None if mean is None else round(float(mean), 2)
            if total_revenue:
                out["share of revenue"] = round(float((revenue or 0) / total_revenue), 6)
            rows.append(out)
        return pd.DataFrame(rows)

    def profile(self, attributes: list[str]) -> pd.DataFrame:
        """``profile_groups`` from the counts of each attribute's values per extreme quintile."""
        rows = []
        counted = {}
        for attr in [a for a in attributes if a in self.columns]:
            counted[attr] = self.dataset.query(
                f"SELECT {qi(attr)} AS value, count(*) AS n, count(*) FILTER (WHERE quintile = 5) AS q5, "
                f"count(*) FILTER (WHERE quintile = 1) AS q1 FROM {self.TABLE} GROUP BY 1")
        for q, label in GROUPS.items():
            found = []
            for attr, counts in counted.items():
                size = counts[f"q{q}"].sum()
                if not size:
                    continue
                present = counts[counts[f"q{q}"] > 0].sort_values([f"q{q}", "n"], ascending=False, kind="stable")
                share = present[f"q{q}"] / size
                overall = present["n"] / self.n
                diff = share - overall
                keep = present["value"].notna() & (diff >= 0.02)
                if keep.any():
                    i = diff[keep].idxmax()
                    found.append((label, attr, str(present.loc[i, "value"]), round(float(share[i]), 6),
                                  round(float(overall[i]), 6), round(float(diff[i]), 6)))
            rows += sorted(found, key=lambda r: -r[-1])[:3]
        return pd.DataFrame(rows, columns=["group", "attribute", "value", "share of group", "share of all",
                                           "difference"])

    def table(self, top: int) -> Table:
        shown = ", ".join(qi(c) for c in self.columns)
        first = self.dataset.query(f"SELECT {shown} FROM {self.TABLE} ORDER BY index_rank DESC, customer_id "
                                   f"LIMIT {int(top)}")
        table = Table.from_frame("loyalty_index", first, INDEX_TITLE, max_rows=top, priority=INDEX_PRIORITY)
        if self.n > len(first):
            table.total_rows, table._frame = self.n, None
            self.dataset.note_sampled(f"loyalty index table: the first {len(first)} of {self.n:,} customers came "
                                      f"back; every customer's index stays in the engine (temporary table "
                                      f"{self.TABLE})")
        return table

    def by(self, dim: str) -> pd.DataFrame:
        return self.dataset.query(f"SELECT {qi(dim)}, count(*) AS customers, avg(loyalty_index) AS loyalty_index, "
                                  f"avg(revenue) AS revenue FROM {self.TABLE} GROUP BY 1 ORDER BY 1")

    def answered(self) -> int:
        return int(self.dataset.scalar(f"SELECT count(satisfaction) FROM {self.TABLE}"))

    def median_index(self) -> float:
        return float(self.dataset.scalar(f"SELECT quantile_cont(loyalty_index, 0.5) FROM {self.TABLE}"))


# ---------------------------------------------------------------------- helpers
METHOD = {
    "loyalty": "loyalty index = mean of the percentile ranks (0-100) of orders, recency (recent = high) and tenure "
               "(first to last purchase), and the mean feedback score on 0-100 where the customer answered; "
               "groups are quintiles of the index",
    "retention": "repeat rate = share of customers with 2+ orders; retention rate = buyers of a period who also "
                 "bought in the period before, over the buyers of that period before (pooled)",
    "nps": "NPS = % promoters (9-10) - % detractors (0-6) of the answers; customers ranked by their mean score",
    "csat": "CSAT = % of answers scoring 4 or 5 on 1-5; customers ranked by their mean score",
    "recommend": "recommend = share of answers whose recommend column says yes (1)",
}


def buckets(values: pd.Series, spec) -> pd.Categorical:
    """Each value's bucket (lo..hi inclusive) as an ordered categorical, in the order of ``spec``;
    a missing value (a customer whose dates did not read: no tenure) is in none, as in
    ``bucket_sql``. The values are read as floats: a column with NULLs comes back as objects or
    a nullable integer, whose comparisons are no boolean arrays for np.select."""
    import numpy as np

    labels = [label for _, _, label in spec]
    numbers = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    named = np.select([numbers <= hi for _, hi, _ in spec[:-1]], labels[:-1], labels[-1]).astype(object)
    named[np.isnan(numbers)] = None
    return pd.Categorical(named, categories=labels, ordered=True)


def bucket_sql(expr: str, spec) -> str:
    """CASE expression naming the bucket (lo..hi inclusive) of ``expr``; NULL for a NULL value."""
    whens = " ".join(f"WHEN {expr} <= {hi} THEN '{label}'" for lo, hi, label in spec if hi is not None)
    return f"CASE WHEN {expr} IS NULL THEN NULL {whens} ELSE '{spec[-1][2]}' END"


def score_range(dataset, scale: str) -> tuple[int, int]:
    """(low, high) of the feedback scale: NPS (0, 10) or CSAT (1, 5), from ``scale`` or the scores."""
    low, high, n = dataset.rows("SELECT min(score), max(score), count(score) FROM feedback")[0]
    if not n:
        raise DataError("the feedback data has no scores: satisfaction needs a score per answer (NPS 0-10 or "
                        "CSAT 1-5). Map the score column with --map score=COLUMN.")
    if low < 0 or high > 10:
        raise DataError(f"feedback scores run from {low:g} to {high:g}: neither NPS (0-10) nor CSAT (1-5). "
                        "Rescale them, or map another column with --map score=COLUMN.")
    if scale == "nps" or scale == "auto" and (high > 5 or low < 1):
        return 0, 10
    if high > 5 or low < 1:
        raise DataError(f"feedback scores run from {low:g} to {high:g}, outside CSAT's 1-5: use scale=nps.")
    return 1, 5


#: the measures of ``measures_sql`` that are shares of the answers (shown as percentages)
SHARES = ["satisfied", "neutral", "dissatisfied", "promoters", "passives", "detractors", "recommend"]


def measures_sql(kind: str, recommend: str | None = None, customers: bool = True) -> str:
    """The measures of a group of answers (``feedback AS f``): answers, customers (where answers carry
    a customer id), the NPS or CSAT split and mean score, and the share who recommend where the
    feedback has a recommend column (``recommend``: its 1/0 SQL, ``kit.flag_value``)."""
    out = "count(*) AS answers" + (", count(DISTINCT f.customer_id) AS customers" if customers else "")
    if kind == "nps":
        out += (", avg((f.score >= 9)::INT) AS promoters, avg((f.score BETWEEN 7 AND 8.999)::INT) AS passives, "
                "avg((f.score < 7)::INT) AS detractors, "
                "round(100 * (avg((f.score >= 9)::INT) - avg((f.score < 7)::INT)), 1) AS nps, "
                "avg(f.score) AS \"mean score\"")
    elif kind == "csat":
        out += (", avg((f.score >= 4)::INT) AS satisfied, avg((f.score >= 3 AND f.score < 4)::INT) AS neutral, "
                "avg((f.score < 3)::INT) AS dissatisfied, round(100 * avg((f.score >= 4)::INT), 1) AS csat, "
                "avg(f.score) AS \"mean score\"")
    if recommend:
        out += f", avg({recommend}) AS recommend"
    return out


def satisfaction_dimensions(dataset, params):
    """(label, SQL expression over feedback f, join, notes, asked) for period, ``by`` (asked, first), region,
    product and segment (a breakdown the data has under another name, "by department" for its Department Name, is
    labelled by that column, with a note)."""
    ccols = dataset.columns("customers") if dataset.has("customers") else set()
    fcols = dataset.columns("feedback")
    out = []
    if "date" in fcols:
        out.append((params.grain, f"CAST(date_trunc('{params.grain}', f.date) AS DATE)", "", [], False))
    asked = [d for d in params.by if d not in ("period", "customer")]
    for dim in dict.fromkeys(asked + ["region", "product", "segment"]):  # what was asked for first
        if dim == "region" and "region" not in fcols | ccols and "country" in ccols:
            dim = "country"
        if any(label == dim for label, *_ in out):
            continue
        try:
            d = dimension(dataset, dim, alias="f", role="feedback", doing="break satisfaction down")
        except DataError:
            if dim in params.by:
                raise
            continue
        if d.name != dim and dim not in params.by or any(label == d.name for label, *_ in out):
            continue  # a stand-in column only when asked for
        out.append((d.name, d.expr, d.join, [w for w in d.warnings if w == kit.stood_in(dim, d.name)], dim in asked))
    return out


def profile_columns(dataset) -> list[str]:
    """The customer attributes worth comparing groups on: text columns with 2-30 values."""
    values = dataset.values(max_distinct=30).get("customers", {}) if dataset.has("customers") else {}
    return [c for c, vs in values.items() if c != "segment" and 2 <= len(vs) <= 30 and c in dataset.columns("customers")]


def profile_joins(dataset, attrs: list[str]) -> tuple[str, str]:
    """SQL pieces that add each customer's attributes and saved segment (``kit.customer_table``, as
    ``a``) to a per-customer relation aliased ``s``: (the columns, the join)."""
    cols = attrs + (["segment"] if dataset.has_segments else [])
    if not cols:
        return "", ""
    return ("".join(f", a.{qi(c)}" for c in cols),
            f"LEFT JOIN ({customer_table(dataset)}) a ON a.customer_id = s.customer_id")


def compare_groups(frame: pd.DataFrame, by: str, labels: dict[str, str], columns: list[str]) -> pd.DataFrame:
    """The top and bottom quintiles against everyone: customers, the means of ``columns`` and the
    share of revenue."""
    rows = []
    total_revenue = frame["revenue"].sum() if "revenue" in frame and frame["revenue"].notna().any() else None
    for name, mask in ((labels["top 20%"], frame[by] == 5), (labels["bottom 20%"], frame[by] == 1),
                       ("all customers", frame[by].notna())):
        part = frame[mask]
        row = {"group": name, "customers": len(part)}
        for c in columns:  # "mean score" is already a mean: its group mean keeps the name
            label = c.replace("_", " ")
            row[label if label.startswith(("mean ", "average ")) else f"mean {label}"] = round(float(part[c].mean()), 2) if part[c].notna().any() else None
        if total_revenue:
            row["share of revenue"] = round(float(part["revenue"].sum() / total_revenue), 6)
        rows.append(row)
    return pd.DataFrame(rows)


def profile_groups(frame: pd.DataFrame, by: str, attributes: list[str]) -> pd.DataFrame:
    """Per extreme group, the attribute values most over-represented against everyone, by at least
    two points of share (blanks aside), three per group."""
    rows = []
    for q, label in GROUPS.items():
        part = frame[frame[by] == q]
        found = []
        for attr in attributes:
            if attr not in frame or part.empty:
                continue
            overall = frame[attr].value_counts(normalize=True, dropna=False)
            share = part[attr].value_counts(normalize=True, dropna=False)
            diff = (share - overall.reindex(share.index)).dropna()
            diff = diff[diff.index.notna() & (diff >= 0.02)]
            if len(diff):
                value = diff.idxmax()
                found.append((label, attr, str(value), round(float(share[value]), 6), round(float(overall[value]), 6),
                              round(float(diff[value]), 6)))
        rows += sorted(found, key=lambda r: -r[-1])[:3]
    return pd.DataFrame(rows, columns=["group", "attribute", "value", "share of group", "share of all", "difference"])


def rounded(frame: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
    """Round the float columns only (dates and text stay as they are)."""
    return frame.round({c: digits for c in frame.columns if frame[c].dtype.kind == "f"})


def period_text(params) -> str:
    if not (params.start or params.end):
        return ""
    return f" between {params.start or 'the start'} and {params.end or 'the end'}"


@hookimpl
def register_analyses(register):
    register(Loyalty())
