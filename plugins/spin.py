"""spin: question sets for talking to customers, filled from the data.

- ``kind="spin"`` (default): SPIN questions (situation, problem, implication, need-payoff) for a
  sales or discovery conversation, tailored to a customer, a product, a segment or the whole base:
  "You ordered every 3 weeks until March 2025 and have not since: what changed?". With the order to
  ask them in and what to listen for at each stage.
- ``kind="interview"``: a customer-interview guide for building a persona (who the person is, what
  they do, what affects and troubles them, what gives them value).
- ``kind="survey"``: a survey draft on purchase drivers (buying criteria, purchase process and
  patterns, demographics), its answer options taken from the values in the data.

The questions live in editable YAML guides (prompts_and_templates/spin.yaml, persona_interview.yaml,
purchase_survey.yaml); each is a Jinja2 template over the facts below, and a question whose facts
the data cannot give is left out. Facts per target, all computed in SQL:

- customer: customer, orders, first_month, last_month, cadence_days, cadence, days_since, lapsed, top_category,
  top_product, revenue, returns, score, scale, unhappy;
- segment / all: group, among, customers, orders_per_customer, cadence_days, cadence, lapsed_share, one_time_share,
  top_category, revenue_share, acquisition;
- product: product, category, buyers, repeat_share, paired_with, trend, falling.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import jinja2
from pydantic import Field

from custlens import hookimpl
from custlens.analysis import Analysis, InputFile, Params
from custlens.answer import Answer, Provenance, Table
from custlens.errors import DataError
from custlens.templates import guide as load_guide
from custlens.templates import pct, period_name, render

GUIDES = {"spin": "spin.yaml", "interview": "persona_interview.yaml", "survey": "purchase_survey.yaml"}
LAPSED_DAYS = 180  # no order for this long (6 months) counts as lapsed


class SpinParams(Params):
    kind: Literal["spin", "interview", "survey"] = "spin"
    customer: str | None = Field(None, description="tailor the questions to this customer id")
    product: str | None = Field(None, description="tailor the questions to the buyers of this product")
    segment: str | None = Field(None, description="tailor the questions to this segment")
    filters: dict[str, list[str]] = Field(default_factory=dict)
    guide: InputFile | None = Field(None, description="a company's own guide (YAML, same shape as the built-in)")


class Spin(Analysis):
    name = "spin"
    title = "SPIN questions and customer interviews"
    summary = "SPIN questions for a sales or discovery talk, persona interview guides and a purchase-driver survey, filled from your data."
    examples = [
        "spin questions for customer C000123",
        "prepare a sales conversation with this customer",
        "what should I ask in a discovery call",
        "spin selling questions for the espresso machine",
        "situation problem implication need-payoff questions",
        "write a customer interview guide",
        "interview questions to build a persona",
        "draft a survey about why customers buy",
        "survey on purchase drivers and buying criteria",
        "questionnaire for our customers",
        "questions for a customer who has gone quiet",
        "discovery call questions for a segment",
        "help me prepare a customer interview",
        "questions for a call with a lapsed customer",
        "customer survey draft with demographics",
        "talking points for a sales meeting",
        "what to ask a new prospect on a call",
        "questions to ask our best customers in a meeting",
    ]
    Params = SpinParams
    #: a question that asks for a survey or an interview guide outright picks that kind
    phrases = {"kind": {
        r"\b(?:draft|write|design|create|prepare|make|build)\b.*\b(?:survey|questionnaire)\b|"
        r"\b(?:survey|questionnaire) (?:draft|questions)\b": "survey",
        r"\binterview (?:guide|questions)\b|\bpersona interview": "interview"}}
    requires = {}

    def run(self, dataset, params: SpinParams) -> Answer:
        guide = load_guide(GUIDES[params.kind], params.guide)
        target, facts = target_facts(dataset, params)
        shown = present(facts)
        if params.kind == "spin":
            return self._spin(guide, target, facts, shown)
        if params.kind == "interview":
            return self._interview(guide, facts, shown)
        return self._survey(dataset, guide, facts)

    def _spin(self, guide, target, facts, shown) -> Answer:
        import pandas as pd

        stages, rows = [], []
        for stage in guide["stages"]:
            questions = [fill(q["text"], shown) for q in stage["questions"] if applies(q, target, facts)]
            stages.append({**stage, "asked": questions})
            rows += [(stage["name"], i, q, stage["listen_for"]) for i, q in enumerate(questions, 1)]
        frame = pd.DataFrame(rows, columns=["stage", "number", "question", "listen for"])
        summary = render("spin.md.j2", guide=guide, stages=stages, about=shown.get("about"))
        return self._answer(guide["title"], summary, frame, facts, "SPIN question templates from spin.yaml, "
                            "filled with facts computed in SQL over the transactions view")

    def _interview(self, guide, facts, shown) -> Answer:
        import pandas as pd

        sections = [{"name": s["name"], "asked": [fill(q, shown) for q in s["questions"]]} for s in guide["sections"]]
        frame = pd.DataFrame([(s["name"], i, q) for s in sections for i, q in enumerate(s["asked"], 1)],
                             columns=["section", "number", "question"])
        summary = render("persona_interview.md.j2", guide=guide, sections=sections, about=shown.get("about"))
        return self._answer(guide["title"], summary, frame, facts, "interview guide from persona_interview.yaml")

    def _survey(self, dataset, guide, facts) -> Answer:
        import pandas as pd

        values = dataset.values() if dataset.sources else {}
        pool: dict = {}
        for role in values.values():  # the sales lines' channel before the web events' (values lists them first)
            for col, vals in role.items():
                pool.setdefault(col, vals)
        sections, rows, dropped = [], [], []
        for s in guide["sections"]:
            asked = []
            for q in s["questions"]:
                options = q.get("options") or []
                if q.get("options_from"):
                    options = pool.get(q["options_from"], [])
                    if not options:
                        dropped.append(f"{q['text']} (no {q['options_from']} in the data)")
                        continue
                asked.append({"text": q["text"], "answer": q["answer"], "options": options})
            sections.append({"name": s["name"], "asked": asked})
            rows += [(s["name"], i, q["text"], q["answer"], ", ".join(map(str, q["options"])))
                     for i, q in enumerate(asked, 1)]
        frame = pd.DataFrame(rows, columns=["section", "number", "question", "answer", "options"])
        summary = render("purchase_survey.md.j2", guide=guide, sections=sections)
        answer = self._answer(guide["title"], summary, frame, facts, "survey draft from purchase_survey.yaml; "
                              "answer options from the distinct values in the data")
        answer.warnings += [f"left out: {d}" for d in dropped]
        return answer

    def _answer(self, title, summary, frame, facts, method) -> Answer:
        import pandas as pd

        fact_rows = pd.DataFrame([(k, v if not isinstance(v, (dt.date, bool)) else str(v))
                                  for k, v in facts.items() if v is not None and k != "about"],
                                 columns=["fact", "value"], dtype=object)
        return Answer(analysis=self.name, title=title, summary=summary,
                      tables=[Table.from_frame("questions", frame, "Questions"),
                              Table.from_frame("facts", fact_rows, "Facts from the data used in the questions")],
                      follow_ups=["spin questions for the customers who stopped ordering",
                                  "write a customer interview guide", "draft a survey about why customers buy"],
                      provenance=Provenance(method=method))


# ---------------------------------------------------------------------- templates
_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


def applies(question: dict, target: str, facts: dict) -> bool:
    """A question fits when it suits the target, its needed facts are known and its condition holds."""
    if target not in question.get("for", [target]):
        return False
    if any(facts.get(n) is None for n in question.get("needs", [])):
        return False
    return not question.get("when") or bool(facts.get(question["when"]))


def fill(text: str, shown: dict) -> str:
    return _ENV.from_string(text).render(**shown)


def cadence(days: float | None) -> str | None:
    """A typical gap between orders in words: 'every 3 weeks', 'every month', 'every 10 days'."""
    if days is None or days != days or days <= 0:
        return None
    if days < 6.5:
        n = round(days)
        return "every day" if n <= 1 else f"every {n} days"
    if 27 <= days < 38:
        return "every month"
    if days < 60:
        n = round(days / 7)
        return "every week" if n == 1 else f"every {n} weeks"
    return f"every {round(days / 30.44)} months"


def present(facts: dict) -> dict:
    """Facts as the questions show them: shares as percentages, months by name, money rounded."""
    out = dict(facts)
    for key in ("lapsed_share", "one_time_share", "repeat_share", "revenue_share"):
        if facts.get(key) is not None:
            out[key] = f"{pct(facts[key], 0)}"
    for key in ("first_month", "last_month"):
        if facts.get(key) is not None:
            out[key] = period_name(facts[key], "month")
    if facts.get("trend") is not None:
        out["trend"] = f"{pct(facts['trend'], 0, sign=True)}"
    if facts.get("orders_per_customer") is not None:
        out["orders_per_customer"] = f"{facts['orders_per_customer']:.1f}"
    if facts.get("score") is not None:
        out["score"] = f"{facts['score']:.1f}"
    subject = facts.get("top_category") or facts.get("product")
    out["need"] = f"buying and using {subject}" if subject else "getting what you need"
    for key in ("top_category", "acquisition", "cadence"):
        out.setdefault(key, None)
    return out


# ---------------------------------------------------------------------- facts from the data
def target_facts(dataset, params: SpinParams) -> tuple[str, dict]:
    """Which target the questions are for, and its facts (empty without sales data)."""
    target = "customer" if params.customer else "product" if params.product else \
        "segment" if params.segment else "all"
    if not dataset.has("transactions"):
        if target != "all":
            raise DataError(f"spin questions for a {target} need sales data (customer_id, order_date, amount); "
                            "load orders with --data transactions=PATH, or ask without a target for generic questions")
        return target, {"group": "our customers", "among": "like you",
                        "about": "your customers (no sales data loaded: generic questions)"}
    dataset.require({"transactions": ["customer_id", "order_date", "amount"]}, "spin")
    filters = dict(params.filters)
    if params.segment:
        filters["segment"] = [params.segment]
    end = dataset.last_order_date()
    if params.customer:
        where, args = dataset.scope({**filters, "customer_id": [params.customer]})
        return target, customer_facts(dataset, params.customer, where, args, end)
    if params.product:
        where, args = dataset.scope(filters)
        return target, product_facts(dataset, params.product, where, args, end)
    where, args = dataset.scope(filters)
    group = f"customers in the {params.segment} segment" if params.segment else "our customers"
    facts = group_facts(dataset, group, where, args, end)
    facts["among"] = f"in the {params.segment} segment" if params.segment else "like you"
    return target, facts


def _top(dataset, column: str, where: str, args: list) -> str | None:
    if column not in dataset.columns("transactions"):
        return None
    return dataset.scalar(f"SELECT t.{column} FROM transactions t WHERE {where} AND t.{column} IS NOT NULL "
                          "GROUP BY 1 ORDER BY sum(t.amount) DESC NULLS LAST, 1 LIMIT 1", args)


def customer_facts(dataset, customer: str, where: str, args: list, end) -> dict:
    head = dataset.query(f"""
        WITH d AS (SELECT DISTINCT CAST(t.order_date AS DATE) AS d FROM transactions t WHERE {where}),
             g AS (SELECT d, d - lag(d) OVER (ORDER BY d) AS gap FROM d)
        SELECT min(d) AS first, max(d) AS last, median(gap) AS gap, count(gap) AS gaps,
               (SELECT count(DISTINCT t.order_id) FROM transactions t WHERE {where}) AS orders,
               (SELECT sum(t.amount) FROM transactions t WHERE {where}) AS revenue
        FROM g""", args * 3).iloc[0]
    gap = float(head["gap"]) if head["gaps"] >= 2 else None
    days_since = (end.date() - head["last"].date()).days
    facts = {"about": f"customer {customer}", "customer": customer, "orders": int(head["orders"]),
             "first_month": head["first"].date(), "last_month": head["last"].date(), "cadence_days": gap,
             "cadence": cadence(gap),
             "days_since": days_since, "revenue": round(float(head["revenue"]), 2),
             "top_category": _top(dataset, "category", where, args), "top_product": _top(dataset, "product", where, args)}
    facts["lapsed"] = days_since > (max(2 * gap, 90) if gap else LAPSED_DAYS)
    facts["returns"] = int(dataset.scalar("SELECT count(*) FROM returns WHERE customer_id = ?", [customer]))
    if dataset.has("feedback") and {"customer_id", "score"} <= dataset.columns("feedback"):
        score, top = dataset.query("SELECT (SELECT avg(score) FROM feedback WHERE customer_id = ?) AS s, "
                                   "max(score) AS top FROM feedback", [customer]).iloc[0]
        if score == score and score is not None:
            scale = 10 if top > 5 else 5
            facts.update(score=round(float(score), 2), scale=scale, unhappy=score < 0.6 * scale)
    return facts


def group_facts(dataset, group: str, where: str, args: list, end) -> dict:
    per = dataset.per_customer(where)
    head = dataset.query(f"""
        WITH c AS ({per})
        SELECT count(*) AS customers, avg(orders) AS orders_per_customer, sum(revenue) AS revenue,
               median(date_diff('day', first_order, last_order) / (purchase_days - 1))
                   FILTER (WHERE purchase_days > 1) AS gap,
               avg(CAST(last_order < CAST(? AS TIMESTAMP) - INTERVAL {LAPSED_DAYS} DAY AS DOUBLE)) AS lapsed_share,
               avg(CAST(orders = 1 AS DOUBLE)) AS one_time_share,
               (SELECT sum(amount) FROM transactions) AS all_revenue
        FROM c""", [*args, end]).iloc[0]
    if not head["customers"]:
        raise DataError(f"no purchases for {group}: widen the filters")
    gap = None if head["gap"] != head["gap"] or head["gap"] is None else round(float(head["gap"]), 1)
    facts = {"about": group, "group": group, "customers": int(head["customers"]),
             "orders_per_customer": round(float(head["orders_per_customer"]), 2),
             "cadence_days": gap, "cadence": cadence(gap),
             "lapsed_share": round(float(head["lapsed_share"]), 6),
             "one_time_share": round(float(head["one_time_share"]), 6),
             "revenue_share": round(float(head["revenue"] / head["all_revenue"]), 6),
             "top_category": _top(dataset, "category", where, args)}
    if dataset.has("customers") and "acquisition_channel" in dataset.columns("customers"):
        facts["acquisition"] = dataset.scalar(
            f"SELECT acquisition_channel FROM customers WHERE acquisition_channel IS NOT NULL AND customer_id IN "
            f"(SELECT t.customer_id FROM transactions t WHERE {where}) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
            args)
    return facts


def product_facts(dataset, product: str, where: str, args: list, end) -> dict:
    if "product" not in dataset.columns("transactions"):
        raise DataError("spin questions for a product need a product column in the sales data: map one with "
                        "--map product=COLUMN")
    pwhere, pargs = dataset.scope({"product": [product]})
    where, args = f"{where} AND {pwhere}", [*args, *pargs]
    head = dataset.query(f"""
        WITH b AS (SELECT t.customer_id, count(DISTINCT t.order_id) AS orders FROM transactions t
                   WHERE {where} GROUP BY 1)
        SELECT count(*) AS buyers, avg(CAST(orders > 1 AS DOUBLE)) AS repeat_share FROM b""", args).iloc[0]
    trend = dataset.query(f"""
        WITH e AS (SELECT CAST(? AS TIMESTAMP) AS e)
        SELECT sum(t.amount) FILTER (WHERE t.order_date > e - INTERVAL 6 MONTH) AS recent,
               sum(t.amount) FILTER (WHERE t.order_date <= e - INTERVAL 6 MONTH
                                       AND t.order_date > e - INTERVAL 12 MONTH) AS before
        FROM transactions t, e WHERE {where}""", [end, *args]).iloc[0]
    paired = dataset.scalar(f"""
        SELECT o.product FROM transactions o
        WHERE o.order_id IN (SELECT t.order_id FROM transactions t WHERE {where}) AND o.product <> ?
        GROUP BY 1 ORDER BY count(DISTINCT o.order_id) DESC, 1 LIMIT 1""", [*args, product])
    change = None
    if trend["before"] and trend["before"] == trend["before"]:
        change = round(float((trend["recent"] or 0) / trend["before"] - 1), 6)
    return {"about": f"the buyers of {product}", "product": product, "buyers": int(head["buyers"]),
            "repeat_share": round(float(head["repeat_share"]), 6), "paired_with": paired, "trend": change,
            "falling": change is not None and change < 0, "category": _top(dataset, "category", where, args),
            "group": f"the buyers of {product}"}


@hookimpl
def register_analyses(register):
    register(Spin())
