"""churn: who has stopped buying, how fast customers are lost, who is at risk now, and why.

Two kinds of data, two ways to tell a churned customer:

- Sales only (the ``inactivity`` method). A customer has churned when they have not bought for
  longer than their own rhythm allows: days since their last purchase day > max(floor, ``multiple``
  x their mean gap between purchase days). The floor is the population's median gap between purchase
  days, and never less than ``MIN_FLOOR_DAYS``; a one-time buyer gets the time within which 90% of
  the customers who came back made their second purchase (at least the floor). ``inactive_days``
  ("inactive for 90 days") replaces the rule with one fixed gap for everyone. A customer's churn
  date is the day their gap ran out; the loss rate of a period is the customers whose churn date
  falls in it over the customers active in it (bought before its end, not churned before its start).
  At risk now: not churned but silent for more than half-way from their usual gap to their churn
  threshold, ranked by the revenue per year at stake (revenue over the relationship, at least a year
  long).
- A customers table with a churn flag (the ``flag`` method; a CRM export, the telco layout): the
  churn rate overall and by every attribute, ranked by how strongly churn depends on it (Cramér's
  V); drivers from two models (logistic regression and gradient boosting on one-hot categoricals)
  with cross-validated ROC AUC and permutation importance; out-of-fold churn scores for the
  customers who have not churned.

Per-row work runs in DuckDB; scikit-learn works on the one-row-per-customer frame SQL returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from custlens import hookimpl
from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.column_sql import is_numeric, is_temporal
from custlens.dataset import qi
from custlens.errors import DataError, ParamsError, ScopeError
from custlens import kit, schema
from custlens.kit import SMALL_SAMPLE, customer_table, per_customer, temp_table
from custlens.schema import FALSE_WORDS, TRUE_WORDS
from custlens import slots as slotlib
from custlens.templates import filters_text, pct, period_name, period_value, render

Grain = Literal["day", "week", "month", "quarter", "year"]
#: ``by`` values that every churn answer already shows (the router may read them from the question)
ALWAYS_SHOWN = {"period", "customer"}
#: the share of second purchases a one-time buyer's default gap covers
RETURN_QUANTILE = 0.9
#: the least silence, in days, that counts as lost under the sales-only rule, whatever the population's median gap
#: (a customer who bought within the last four weeks is never called lost)
MIN_FLOOR_DAYS = 28
#: customers modelled at most (a random sample beyond it, said in a warning): the Telco table (7,043)
#: fits whole; on 100,000 purchase-based customers 20,000 took 20 s of a 27 s answer, 10,000 half that
MODEL_ROWS = 10_000
#: a text attribute with more distinct values than this is an identifier or free text, not a driver
#: (the US states with DC and a few territories are one: "churn by state" on a US telecom's table)
MAX_LEVELS = 60
#: numeric attributes with more distinct values than this are split into quartile bands for rates
#: (``kit.numeric_bands``: fixed from the whole column, whatever the filters)
MAX_NUMERIC_LEVELS = kit.BANDED_LEVELS
FOLDS = 5
#: Cramér's V from which one attribute is said to (almost) decide churn: a likely leak
LEAK_V = 0.9
#: a driver whose shuffling lowers the AUC by less than this is named only in the drivers table
MINOR = 0.01
PERMUTATIONS = 3  # shuffles per attribute and fold for permutation importance
#: gradient boosting's trees (at a learning rate of 0.2): scoring the shuffled folds is most of a drivers
#: answer's time, and 50 trees at 0.2 score the published Telco table and the Kaggle credit-card churn
#: table as 100 at 0.1 did (cross-validated AUC within 0.002), in half the time
HGB_TREES = 50
SEED = 0
#: what the churn rule reads of ``Dataset.per_customer_sql`` (the other measures are not computed)
PER_CUSTOMER = ["first_order", "last_order", "orders", "purchase_days", "revenue"]


class ChurnParams(ScopedParams):
    method: Literal["auto", "flag", "inactivity"] = Field(
        "auto", description="flag: a churn column of the customers table; inactivity: no purchase for longer "
                            "than the customer's own gap; auto: the flag when there is one")
    inactive_days: int | None = Field(None, ge=1, le=36_500,
                                      description="a fixed churn definition: no purchase for this many days")
    multiple: float = Field(3.0, ge=1.0, le=20.0,
                            description="churned after this many times the customer's own mean gap between purchases")
    grain: Grain = "month"
    by: list[str] = Field(default_factory=list, description="churn rate by these customer attributes")
    top: int = Field(20, ge=1, le=10_000, description="customers at risk to list")
    explain: bool = Field(False, description="also model why customers churn from the customers table's attributes "
                                            "(asked by 'why', 'drivers', 'predicts'...); a churn flag's rates and "
                                            "breakdowns do not wait for that model")
    outcome: str | None = Field(None, description="a yes/no or 0/1 column of the customers explained instead of churn "
                                "(\"what drives response to the campaign\": response): its rate by attribute, its "
                                "drivers from the same models, the customers without it most like those with it")
    risk: bool = Field(False, description="churn flag: score the current customers' risk of churning (the drivers "
                                         "model; asked by 'at risk', 'likely to', 'risk score', 'about to')")
    lost: str | None = Field(None, description="a money column of the customers table (monthly_charges): its sum over "
                             "the churned customers, what churn lost, and its share of every customer's sum (\"how much "
                             "monthly revenue did we lose to churned customers\")")
    exclude: list[str] = Field(default_factory=list,
                               description="customer attributes to leave out of the drivers (one that records "
                                           "the churn itself, such as a cancellation reason)")

    @field_validator("inactive_days", mode="before")
    @classmethod
    def _days(cls, value):
        """"90 days", "6 months", "six months", "a whole year" (from the question's phrases) in days."""
        return slotlib.days(value)


#: words of customers who stayed: what churn answers of retention on a churn flag (``Churn.stands_in_for``)
STAYED = (r"\bretention|\bretain\w*|\bstay(?:s|ed|ing)?\b|\bstuck\s+(?:with|around)|\bstick(?:s|ing)?\s+(?:with|around)|"
          r"\bstill\s+(?:with\s+us|here|around|active|subscribed|a\s+customer)|\bkept\b|\bsurviv\w*|\bcome\s+back")


class Churn(Analysis):
    name = "churn"
    title = "Churn"
    summary = ("Churn rate, churn per period, the customers at risk ranked by value at stake, and why "
               "customers churn (drivers from a model).")
    examples = [
        "what is our churn rate?",
        "why do customers churn?",
        "which customers are at risk of churning?",
        "churn rate by contract type",
        "how many customers did we lose each month?",
        "customer attrition per quarter",
        "who stopped buying from us?",
        "which customers have been inactive for 90 days?",
        "what drives churn?",
        "customers likely to leave",
        "lapsed customers ranked by revenue at risk",
        "customer loss rate by year",
        "which valuable customers have gone quiet?",
        "churn drivers and their importance",
        "what predicts that a customer cancels?",
        "churn risk score for current customers",
        "how many customers have we lost this year?",
        "retention risk: who is about to churn",
        "customers with no purchase in the last 3 months",
        "who has not ordered anything for 12 weeks",
        "clients that have gone silent for 60 days",
        "customers who stopped purchasing from us",
        "at-risk customers list",
        "customers we lost recently",
        "customers who haven't bought in a long while",
        "customers who left us",
        "attrition rate this year",
        "how many customers cancelled",
        "which customers have not bought for a while",
        "lapsed customers to win back",
    ]
    Params = ChurnParams
    #: "retention by contract", "how loyal are our customers" on a customers table with a churn flag and no
    #: purchases: who stayed is who has not churned
    stands_in_for = {"cohort": (STAYED, "retention is the share of customers who have not churned"),
                     "loyalty": (STAYED + r"|\bloyal\w*", "loyalty is the share of customers who have not churned")}
    #: "inactive for 90 days", "no purchase in 6 months", "not ordered for 12 weeks": a fixed churn gap
    #: "why do customers churn", "what drives churn": the drivers from the customers' attributes
    phrases = {"explain": {r"\bwhy\b|\bdriv\w*|\bpredict\w*|\breasons?\b|\bcaus\w*|\bexplain\w*": True},
               # "which customers are at risk", "likely to leave", "churn risk score": a churn flag's scores
               "risk": {r"\brisk\w*|\blikel\w*|\bscor\w*|\babout\s+to\b|\bgoing\s+to\s+(?:churn|leave|cancel)|"
                        r"\bprobab\w*|\bwill\s+(?:churn|leave|cancel)": True},
               "inactive_days": {
        r"(?:\binactive|\bno (?:(?:won |new |closed )?(?:purchases?|orders?|activity|sales|deals?|boxe?s?|deliver(?:y|ies)|"
        r"bookings?|visits?|renewals?|payments?|gifts?|donations?|transactions?|invoices?|bills?|appointments?|"
        r"reservations?|stays?))|"  # "no box in 90d", "no booking in 6 months", "no invoice in the last 6 months"
        # "wey no buy for 180 days" (pidgin), "dont close any deal since one year"
        r"(?:\bnot|n'?t|\bnever|\bno) (?:been back|come back|came back|back|"
        r"bought|ordered|purchased|shopped|returned|buy|order|purchase|shop|closed?|won|signed|placed|had|made|done|"
        # a subscriber's: "haven't paid in the last 30 days", "not renewed for 60 days"
        r"seen|been seen|visited|paid|pay|renewed|renew|logged in|log in|"
        # a charity's: "anyone who hasn't given in 12 months", "not donated for 6 months"
        r"given|give|gave|donated|donate|contributed)"
        r"(?: anything| again| with us| from us| an? (?:deal|order|purchase)| any (?:deals?|orders?|purchases?))?|"
        # "stopped coming back", "stopped buying": gone since
        r"\bstopped (?:coming(?: back)?|buying|ordering|shopping|visiting)|"
        r"\bsilent|\b(?:gone|went|go|going|been|are|is|was|were|stayed|staying) (?:quiet|cold|dark|silent)|\bgone(?= (?:for )?(?:over |more than )?\d)|\blapsed|"
        r"\bdormant|\b(?:disappear|vanish)\w*|"
        # "bought nothing in 90 days", "with nothing in 6 months", "without a purchase in 9 months", "no closed won"
        r"\b(?:bought|ordered|purchased|spent|with) nothing|\bnothing (?:bought|ordered|purchased|closed|won|signed)|"
        r"\bwithout (?:a |an |any )?(?:purchases?|orders?|deals?|sales?|"
        r"activity)|\bno (?:closed[- ])?won)\D{0,30}?\b(" + slotlib.DURATION + r"|(?:the\s+)?(?:last|past)\s+(?:year|month|week))\b":
            r"\1",
        # "a 120 days inactivity window", "an inactivity window of 90 days"
        # "90 days with no purchase", "6 months without an order"
        r"\b(" + slotlib.DURATION + r")\s+(?:of\s+|with\s+)?(?:inactivity|no purchases?|no orders?|no activity|no visits?)"
        r"(?:\s+(?:window|period|threshold|cut-?off|rule))?\b|\binactivity\s+(?:window|period|threshold|cut-?off)\s+"
        r"(?:of\s+)?(" + slotlib.DURATION + r")\b|\b(" + slotlib.DURATION + r")\s+without\s+(?:an?\s+|any\s+)?"
        r"(?:purchases?|orders?|activity|visits?)\b|"
        # the length first, its inactivity after a few words ("6 mahine se koi order nahi": "6 months no order";
        # "90 din se jinhone kuch nahi kharida": "90 days from who bought nothing"; "a year since inactive")
        r"\b(" + slotlib.DURATION + r")\s+(?:from\s+|since\s+)?(?:[\w']+\s+){0,3}?(?:inactive|(?:bought|ordered|purchased)"
        r"\s+nothing|no\s+(?:purchases?|orders?|deals?))\b": r"\1\2\3\4"}}
    requires = {}  # sales or a customers table with a churn flag: checked in run
    requires_any = [{"transactions": ["customer_id", "order_date"]}, {"customers": ["churned"]}]

    #: the customers an answer is about, by id ("how many is that per industry" after it counts among them)
    lists = "churned"

    def population(self, dataset, params: dict) -> tuple[str, str] | None:
        """Who "them" are after a churn answer told from a churn flag: the churned customers (an
        SQL condition over the customers table as ``c``), for "how many of them complained". None
        when churn is told from purchases (no column says who churned)."""
        has_flag = dataset.has("customers") and "churned" in dataset.columns("customers")
        has_sales = dataset.has("transactions") and "order_date" in dataset.columns("transactions")
        method = params.get("method") or "auto"
        if not has_flag or method == "inactivity" or \
                method == "auto" and params.get("inactive_days") is not None and has_sales:
            return None
        return "churned customers", "c.churned"

    def run(self, dataset, params: ChurnParams) -> Answer:
        if params.outcome:
            return OutcomeDrivers(dataset, params).answer()
        has_flag = dataset.has("customers") and "churned" in dataset.columns("customers")
        has_sales = dataset.has("transactions") and "order_date" in dataset.columns("transactions")
        method = params.method
        if method == "auto":  # the flag when there is one, unless a fixed gap was asked for on sales
            wants_gap = params.inactive_days is not None and has_sales
            method = "flag" if has_flag and not wants_gap else "inactivity"
        if method == "flag":
            if not has_flag:
                raise DataError("churn by flag needs a customers table with a churn column (churned, churn, "
                                "exited, attrition...); none is loaded" + flag_candidates(dataset) + ". Load one "
                                "with --data customers=PATH, map its flag with --map churned=COLUMN, or drop "
                                "--param method=flag to tell churn from purchases.")
            if "churned" in params.filters:
                # a rate of churn among those who churned (or stayed) is 100% (or 0%) in every group: a filter
                # on the flag, carried over from "how many of the churned customers complained", is left out
                raise ScopeError("churn cannot be measured among customers picked by their churn flag (churned = "
                                 f"{'|'.join(map(str, params.filters['churned']))}): every group would be "
                                 "all churned or none. Ask without that filter.", filters=["churned"])
            return FlagChurn(dataset, params).answer()
        if not has_sales and kit.recency_column(dataset) and (params.inactive_days is not None or not has_flag):
            # a customers table's days since the last purchase (a marketing table's Recency): who is past N days
            return recency_answer(dataset, params, kit.recency_column(dataset))
        if not has_sales:
            candidates = flag_candidates(dataset)
            raise DataError("churn needs sales (customer_id, order_date, amount: churn = no purchase for longer "
                            "than the customer's usual gap), or a customers table with a churn flag or with a column of "
                            "days since the last purchase (Recency, days_since_last_order); none of these is loaded ("
                            + kit.loaded_line(dataset) + ")" + (candidates + ". Map the one that says who churned with "
                                                                "--map churned=COLUMN (values such as yes/no, 1/0, "
                                                                "churned/active, attrited/existing)" if candidates else
                                                                ". Load orders with --data transactions=PATH, or map a "
                                                                "churn flag with --map churned=COLUMN") + ".")
        dataset.require({"transactions": ["customer_id", "order_date"]}, self.name)
        return InactivityChurn(dataset, params).answer()


def recency_answer(dataset, params: ChurnParams, column: str) -> Answer:
    """Churn read from a customers table's days since the last purchase (``kit.recency_column``): the
    customers past ``inactive_days`` (asked, else the company's definition, else 90, said), how many
    and what share, listed longest silent first, and by any breakdown asked. The days are as the file
    counts them: from the day it was exported, which the table does not say."""
    import pandas as pd

    warnings: list[str] = []
    days, origin = params.inactive_days, "asked"
    if days is None and dataset.definitions.inactive_days:
        days, origin = dataset.definitions.inactive_days, dataset.definitions.origin
    if days is None:
        days, origin = 90, "the default (ask 'inactive for N days' for another)"
    where, args = kit.customer_filters_sql(dataset, params.filters, "c")
    rec = kit.recency_sql(dataset, column, "c")
    dated = kit.recency_is_date(dataset, column)
    last_day = dataset.scalar(f"SELECT max(CAST({qi(column)} AS DATE)) FROM customers") if dated else None
    head = dataset.query(f"SELECT count(*) AS n, count({rec}) AS known, count(*) FILTER (WHERE {rec} > ?) AS over, "
                         f"median({rec}) AS median, max({rec}) AS longest FROM ({kit.customer_table(dataset)}) c "
                         f"WHERE {where}", [days, *args]).iloc[0]
    n, known, over = int(head["n"]), int(head["known"]), int(head["over"])
    if not known:
        raise DataError(f"no customer{filters_text(params.filters)} has a value in {column} (days since the last "
                        "purchase).")
    if known < n:
        warnings.append(f"{n - known:,} customers have no {column} and are left out")
    if params.start or params.end:
        warnings.append("not applied: the period (a customers table's days since the last purchase has no dates)")
    ccols = dataset.columns("customers")
    shown = [c for c in ("spent", "income", "revenue", "total_spent", "monetary", "orders") if c in ccols][:2]
    listed = dataset.query(f"SELECT c.customer_id, {rec} AS \"days since last purchase\""
                           + "".join(f", c.{qi(c)}" for c in shown) + f" FROM ({kit.customer_table(dataset)}) c "
                           f"WHERE {where} AND {rec} > ? ORDER BY 2 DESC, 1", [*args, days])
    headline = pd.DataFrame([("customers with a value", known), (f"no purchase for more than {days} days", over),
                             ("share", round(over / known, 6)), ("median days since last purchase",
                                                                 float(head["median"]))],
                            columns=["measure", "value"], dtype=object)
    tables = [Table.from_frame("headline", headline, "Days since the last purchase"),
              Table.from_frame("inactive", listed, f"Customers with no purchase for more than {days} days (longest "
                               "first)", max_rows=params.top)]
    for dim in [b for b in params.by if b != "customer"]:  # "which customers": the list itself
        if dim not in ccols:
            raise DataError(kit.unknown(dataset, dim, role="customers"))
        per = dataset.query(f"SELECT CAST(c.{qi(dim)} AS VARCHAR) AS {qi(dim)}, count({rec}) AS customers, "
                            f"count(*) FILTER (WHERE {rec} > ?) AS \"over {days} days\", "
                            f"round(avg(CASE WHEN {rec} > ? THEN 1.0 WHEN {rec} IS NOT NULL THEN 0.0 END), 6) AS share "
                            f"FROM ({kit.customer_table(dataset)}) c WHERE {where} GROUP BY 1 ORDER BY share DESC, 1",
                            [days, days, *args])
        tables.append(Table.from_frame(f"inactive_by_{dim}", per, f"No purchase for more than {days} days by "
                                       f"{dim.replace('_', ' ')}"))
    read = (f"the days from **{column}** (the date of the last purchase or payment) to the latest date in it, "
            f"{kit.as_date(last_day):%-d %B %Y} (the table says no other day it was brought up to date)"
            if dated else f"**{column}** (days since the last purchase, as the file counts them, from the day it "
            "was exported)")
    summary = (f"Read from {read}: **{over:,} of {known:,} customers ({pct(over / known)})** have not purchased for more "
               f"than {days} days{filters_text(params.filters)} (threshold: {days} days, {origin}). The median "
               f"customer last bought {float(head['median']):,.0f} days ago; the longest silence is "
               f"{float(head['longest']):,.0f} days.")
    if over:
        summary += f" The customers are listed longest silent first ({min(over, params.top):,} shown of {over:,})."
    return Answer(analysis="churn", title="Customers without a recent purchase", summary=summary, tables=tables,
                  charts=[], warnings=warnings,
                  follow_ups=[f"customers inactive for {d} days" for d in (30, 60, 90) if d != days][:2],
                  provenance=Provenance(method=f"SQL over the customers view: {column} > {days}", rows_used=known))


#: words of a column's name that suggest it records who left
FLAG_NAME_WORDS = ("churn", "attrit", "exit", "cancel", "left", "lost", "status", "active", "closed", "retain", "flag")


def flag_candidates(dataset) -> str:
    """The customers columns that could be the churn flag (two values, or a name that says so), as a
    clause for an error ("; columns that could hold it: Attrition_Flag ('Attrited Customer',
    'Existing Customer'), ..."), or "" when there are none."""
    found = []
    for src in dataset.sources:
        if src.role != "customers":
            continue
        mapping = dataset.mapping_of(src)
        key = mapping["customer_id"].column if "customer_id" in mapping else None
        cols = [c for c, t in src.columns.items() if c != key and not is_temporal(t)]
        if not cols:
            continue
        rel = qi(src.raw.relation)
        counts = dataset.engine.rows("SELECT " + ", ".join(f"count(DISTINCT {qi(c)})" for c in cols) + f" FROM {rel}")[0]
        for c, n in zip(cols, counts):
            named = any(w in c.lower() for w in FLAG_NAME_WORDS)
            if 2 <= n <= max(5, schema.STATUS_VALUES):
                values = [str(r[0]) for r in dataset.engine.rows(
                    f"SELECT DISTINCT {qi(c)} FROM {rel} WHERE {qi(c)} IS NOT NULL ORDER BY 1 LIMIT 6")]
                if n == 2 or named and n <= 5 or schema.churn_status(values):  # values of a status, however named
                    found.append((not named and not schema.churn_status(values), c, values[:5]))
    found.sort(key=lambda f: f[0])
    if not found:
        return ""
    return "; columns that could hold it: " + ", ".join(
        f"{c} ({', '.join(map(repr, vs))})" for _, c, vs in found[:6])


# ---------------------------------------------------------------------------------- attributes
def attribute_source(dataset, dim: str) -> str:
    """SQL giving customer_id and ``dim`` once per customer, for a breakdown (``kit.per_customer``):
    saved segment labels, a customers column, or a customer's most frequent value of a sales column."""
    sql, _ = per_customer(dataset, dim, doing="break churn down")  # over every line: no parameters
    return sql


# ---------------------------------------------------------------------------------- inactivity
class InactivityChurn:
    """Churn told from purchases alone (see the module docstring for the rule)."""

    def __init__(self, dataset, params: ChurnParams):
        self.ds, self.p = dataset, params
        self.warnings: list[str] = []

    def answer(self) -> Answer:
        ds, p = self.ds, self.p
        where, args = ds.scope(p.filters, None, p.end)
        asof = p.end or ds.scalar(f"SELECT CAST({kit.last_date_sql(ds)} AS DATE)")
        if asof is None:
            raise DataError("no purchase has a date: churn needs order dates. Map one with --map order_date=COLUMN.")
        if not ds.scalar(f"SELECT count(*) FROM transactions t WHERE t.customer_id IS NOT NULL AND {where}", args):
            raise DataError(f"no customer has purchases{filters_text(p.filters)} up to {asof}. "
                            "Widen the period or the filters.")
        rule = self._rule(where, args)
        with temp_table(ds, "__churn", *self._per_customer(where, args, asof, rule)):
            head = self._headline()
            periods = self._periods(asof)
            at_risk, churned = self._at_risk(), self._churned()
            breakdowns = [self._breakdown(dim) for dim in p.by if dim not in ALWAYS_SHOWN]
            asked = [d for d in p.by if d not in ALWAYS_SHOWN]
            if len(asked) == 2:  # "churn by country and channel": the groups of both, crossed, first
                breakdowns.insert(0, self._crossed(asked))
            why = self._why() if p.explain or p.exclude else None
            self._came_back_after(asof, head)
        return self._compose(head, rule, periods, at_risk, churned, breakdowns, asof, why)

    def _came_back_after(self, asof, head: dict) -> None:
        """"Which customers stopped buying in 2024" with data to 2025: those churned as of the period's end
        who bought again after it are said, so the list is not taken for customers lost for good."""
        last = self.ds.scalar(f"SELECT CAST({kit.last_date_sql(self.ds)} AS DATE)")
        if not self.p.end or last is None or kit.as_date(last) <= kit.as_date(asof) or not head.get("churned"):
            return
        where, args = self.ds.scope(self.p.filters, None, None)
        back = self.ds.scalar(*kit.named(
            f"SELECT count(*) FROM __churn ch WHERE ch.churned AND EXISTS (SELECT 1 FROM transactions t WHERE "
            f"t.customer_id = ch.customer_id AND CAST(t.order_date AS DATE) > CAST($asof AS DATE) AND $scope)",
            {"asof": asof, "scope": kit.Scope(where, args)}))
        if back:
            self.warnings.append(
                f"{back:,} of the {head['churned']:,} customers churned as of {kit.as_date(asof)} bought again after it "
                f"(the data runs to {kit.as_date(last)}): churned then, not lost for good; ask without the period for "
                "who is lost now")

    def _why(self) -> dict | None:
        """Why customers churn, from the customers' attributes (country, channel, age...) when a
        customers table has them: the same rates, models and drivers as the churn flag's, against
        the churned status told from purchases. None without attributes or matching customers."""
        ds = self.ds
        if not ds.has("customers") or not ds.scalar(
                "SELECT count(*) FROM __churn ch JOIN customers c USING (customer_id)"):
            return None
        explain = PurchaseDrivers(ds, self.p, "__churn")
        attrs, skipped = explain._attributes()
        if not attrs:
            return None
        frame = explain._frame(attrs, "true", [])
        frame["churned"] = frame["churned"].astype(bool)
        rates, strength, ranked = explain._associations(attrs, "true", [])
        model = explain._model(frame, attrs, skipped)
        self.warnings += explain.warnings
        drivers, minor, table, models = explain.drivers_facts(rates, model)
        return {"rates": rates, "strength": strength, "ranked": ranked, "model": model, "drivers": drivers,
                "minor": minor, "table": table, "models": models}

    def _rule(self, where: str, args: list) -> dict:
        """The population's gaps: the floor (median gap between purchase days), and the usual and
        90% times to a second purchase (the default for one-time buyers)."""
        days = (f"SELECT customer_id, d FROM {self.ds.per_customer_day_table()} WHERE d IS NOT NULL"
                if " ".join(where.split()) == "true" else  # every purchase: the shared per-day table
                f"SELECT DISTINCT t.customer_id, CAST(t.order_date AS DATE) AS d FROM transactions t "
                f"WHERE t.customer_id IS NOT NULL AND t.order_date IS NOT NULL AND {where}")
        row = self.ds.query(f"""
            WITH days AS ({days}),
                 gaps AS (SELECT date_diff('day', lag(d) OVER w, d) AS gap, row_number() OVER w AS k
                          FROM days WINDOW w AS (PARTITION BY customer_id ORDER BY d))
            SELECT median(gap) AS floor, quantile_cont(gap, 0.5) FILTER (WHERE k = 2) AS usual_return,
                   quantile_cont(gap, {RETURN_QUANTILE}) FILTER (WHERE k = 2) AS return_days,
                   count(*) FILTER (WHERE k = 2) AS repeat_customers
            FROM gaps WHERE gap IS NOT NULL""", args).iloc[0].to_dict()
        repeat = int(row["repeat_customers"] or 0)
        given = self.p.inactive_days or self.ds.definitions.inactive_days
        if repeat == 0 and not given:
            raise DataError("every customer bought on a single day, so there are no gaps between purchases to "
                            "learn when a customer is lost. Give a fixed definition: ask for customers "
                            "'inactive for 90 days', or --param inactive_days=90.")
        if 0 < repeat < SMALL_SAMPLE and not given:
            self.warnings.append(f"only {repeat} customers bought on more than one day: the churn rule rests on "
                                 "few gaps; a fixed one (--param inactive_days=N) may be more reliable")
        fixed, fixed_from = self.p.inactive_days, None
        if fixed is None and self.ds.definitions.inactive_days:  # the company's definition (custlens.toml)
            fixed, fixed_from = self.ds.definitions.inactive_days, self.ds.definitions.origin
        # never less than four weeks: a café's regulars come every 3 days, and one silent for 9 was "churned"
        floor = max(float(row["floor"]), MIN_FLOOR_DAYS)
        return {"fixed": fixed, "fixed_from": fixed_from, "multiple": self.p.multiple, "repeat_customers": repeat,
                "floor": None if fixed else round(floor, 1), "median_gap": round(float(row["floor"]), 1),
                "usual_return": None if row["usual_return"] is None else round(float(row["usual_return"]), 1),
                "return_days": None if fixed else round(max(float(row["return_days"]), floor), 1)}

    def _per_customer(self, where: str, args: list, asof, rule: dict) -> tuple[str, list]:
        """(SQL, parameters) of one row per customer (the temp table __churn): the gaps, the
        threshold, the status."""
        if rule["fixed"]:
            threshold = "CAST($fixed AS DOUBLE)"
        else:
            threshold = "CASE WHEN usual_gap IS NOT NULL THEN greatest($floor, $multiple * usual_gap) ELSE $return_days END"
        # the usual gap says when a silence is overdue; one-time buyers get the population's
        expected = "coalesce(usual_gap, CAST($usual_return AS DOUBLE), churn_after / 2)"
        return kit.named(f"""
            WITH pc AS ({self.ds.per_customer(where, measures=PER_CUSTOMER, placeholder="$scope")}),
            c AS (SELECT customer_id, orders, purchase_days, revenue, CAST(first_order AS DATE) AS first_order,
                         CAST(last_order AS DATE) AS last_order,
                         CASE WHEN purchase_days > 1 THEN date_diff('day', CAST(first_order AS DATE),
                              CAST(last_order AS DATE)) / (purchase_days - 1) END AS usual_gap,
                         date_diff('day', CAST(last_order AS DATE), CAST($asof AS DATE)) AS days_silent
                  FROM pc WHERE last_order IS NOT NULL),
            r AS (SELECT *, {threshold} AS churn_after FROM c),
            e AS (SELECT *, {expected} AS expected_gap FROM r)
            SELECT *, days_silent > churn_after AS churned,
                   CASE WHEN days_silent > churn_after THEN last_order + CAST(ceil(churn_after) AS INTEGER) END
                       AS churn_date,
                   NOT (days_silent > churn_after) AND days_silent > (expected_gap + churn_after) / 2 AS at_risk,
                   coalesce(revenue, 0) * 365.0 / greatest(365, date_diff('day', first_order, last_order)
                       + expected_gap) AS annual_value
            FROM e""", {**rule, "asof": asof, "scope": kit.Scope(where, args)})

    def _headline(self) -> dict:
        row = self.ds.query("""
            SELECT count(*) AS customers, count(*) FILTER (WHERE churned) AS churned,
                   count(*) FILTER (WHERE purchase_days > 1) AS repeat,
                   count(*) FILTER (WHERE churned AND purchase_days > 1) AS repeat_churned,
                   count(*) FILTER (WHERE at_risk) AS at_risk,
                   sum(annual_value) FILTER (WHERE at_risk) AS value_at_risk,
                   sum(annual_value) FILTER (WHERE churned) AS value_lost
            FROM __churn""").iloc[0].to_dict()
        f = {k: (None if v is None or v != v else int(v) if k not in ("value_at_risk", "value_lost") else float(v))
             for k, v in row.items()}
        n, rep = int(f["customers"]), int(f["repeat"])
        f["rate"] = f["churned"] / n if n else None
        f["repeat_rate"] = f["repeat_churned"] / rep if rep else None
        f["one_time"] = n - rep
        f["one_time_churned"] = int(f["churned"]) - int(f["repeat_churned"])
        f["one_time_rate"] = f["one_time_churned"] / f["one_time"] if f["one_time"] else None
        f["active"] = n - int(f["churned"]) - int(f["at_risk"])
        return f

    def _periods(self, asof):
        """New, lost and active customers per period; the churn rate = lost / active in the period."""
        g = self.p.grain
        frame = self.ds.query(f"""
            WITH ev AS (SELECT date_trunc('{g}', first_order) AS p, 1 AS new, 0 AS lost, 0.0 AS lost_value
                        FROM __churn
                        UNION ALL
                        SELECT date_trunc('{g}', churn_date), 0, 1, annual_value FROM __churn WHERE churned),
                 agg AS (SELECT p, sum(new) AS new, sum(lost) AS lost, sum(lost_value) AS lost_value
                         FROM ev GROUP BY p),
                 series AS (SELECT unnest(generate_series(min(p), date_trunc('{g}', CAST(? AS DATE)),
                                                          INTERVAL 1 {g})) AS p FROM agg),
                 run AS (SELECT s.p, coalesce(a.new, 0) AS new, coalesce(a.lost, 0) AS lost,
                                coalesce(a.lost_value, 0) AS lost_value,
                                coalesce(sum(coalesce(a.new, 0) - coalesce(a.lost, 0)) OVER (ORDER BY s.p
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS at_start
                         FROM series s LEFT JOIN agg a USING (p))
            SELECT CAST(p AS DATE) AS period, CAST(at_start + new AS BIGINT) AS "active customers",
                   CAST(new AS BIGINT) AS "new customers", CAST(lost AS BIGINT) AS "churned customers",
                   round(lost / nullif(at_start + new, 0), 6) AS "churn rate",
                   round(lost_value, 2) AS "revenue per year lost"
            FROM run ORDER BY p""", [asof])
        if self.p.start is not None:
            import pandas as pd

            frame = frame[pd.to_datetime(frame["period"]) >= pd.Timestamp(self._trunc(self.p.start))]
        return frame.reset_index(drop=True)

    def _trunc(self, day: dt.date):
        return self.ds.scalar(f"SELECT CAST(date_trunc('{self.p.grain}', CAST(? AS DATE)) AS DATE)", [day])

    def _at_risk(self):
        """Every customer at risk now, the most valuable first (the answer shows ``top``)."""
        return self.ds.query("""
            SELECT customer_id, orders, round(revenue, 2) AS revenue, last_order AS "last purchase",
                   days_silent AS "days silent", round(expected_gap) AS "usual gap (days)",
                   round(churn_after) AS "churned after (days)",
                   round(annual_value, 2) AS "revenue per year at stake"
            FROM __churn WHERE at_risk ORDER BY annual_value DESC, customer_id""" + self._limit())

    def _churned(self):
        """Every churned customer, the most valuable first."""
        return self.ds.query("""
            SELECT customer_id, CASE WHEN purchase_days > 1 THEN 'repeat' ELSE 'one-time' END AS buyer, orders,
                   round(revenue, 2) AS revenue, last_order AS "last purchase", days_silent AS "days silent",
                   round(churn_after) AS "churned after (days)", churn_date AS "churn date",
                   round(annual_value, 2) AS "revenue per year lost"
            FROM __churn WHERE churned ORDER BY annual_value DESC, customer_id""" + self._limit())

    def _limit(self) -> str:
        """On an engine other than DuckDB, the customers a list shows come back, not every one
        (``_compose`` keeps the count of all and says the rest stayed in the engine)."""
        return f" LIMIT {max(int(self.p.top), 3)}" if self.ds.remote else ""

    def _breakdown(self, dim: str):
        source = attribute_source(self.ds, dim)
        frame = self.ds.query(f"""
            SELECT coalesce(CAST(a.{qi(dim)} AS VARCHAR), '(blank)') AS {qi(dim)}, count(*) AS customers,
                   count(*) FILTER (WHERE c.churned) AS churned, round(avg(CAST(CAST(c.churned AS INTEGER) AS DOUBLE)), 6)
                   AS "churn rate", count(*) FILTER (WHERE c.at_risk) AS "at risk",
                   round(sum(c.annual_value) FILTER (WHERE c.at_risk), 2) AS "revenue per year at stake"
            FROM __churn c LEFT JOIN ({source}) a USING (customer_id)
            GROUP BY 1 ORDER BY "churn rate" DESC, customers DESC""")
        return dim, frame

    def _crossed(self, dims: list[str]):
        """Churn per combination of the values of two attributes (one table, a row per combination
        that has customers), for "churn by contract and payment method"; three or more stay apart."""
        joins = " ".join(f"LEFT JOIN ({attribute_source(self.ds, d)}) a{i} USING (customer_id)"
                         for i, d in enumerate(dims))
        labels = ", ".join(f"coalesce(CAST(a{i}.{qi(d)} AS VARCHAR), '(blank)') AS {qi(d)}" for i, d in enumerate(dims))
        frame = self.ds.query(f"""
            SELECT {labels}, count(*) AS customers,
                   count(*) FILTER (WHERE c.churned) AS churned, round(avg(CAST(CAST(c.churned AS INTEGER) AS DOUBLE)), 6)
                   AS "churn rate", count(*) FILTER (WHERE c.at_risk) AS "at risk",
                   round(sum(c.annual_value) FILTER (WHERE c.at_risk), 2) AS "revenue per year at stake"
            FROM __churn c {joins}
            GROUP BY ALL ORDER BY "churn rate" DESC, customers DESC""")
        return CROSS.join(dims), frame

    def _compose(self, head, rule, periods, at_risk, churned, breakdowns, asof, why=None) -> Answer:
        p = self.p
        import pandas as pd

        definition = pd.DataFrame([
            ("as of", str(asof)),
            ("fixed gap (days)", rule["fixed"]),
            ("multiple of own mean gap", None if rule["fixed"] else rule["multiple"]),
            ("floor (days)", rule["floor"]),
            ("one-time buyers (days)", rule["return_days"]),
        ], columns=["rule", "value"], dtype=object).dropna().reset_index(drop=True)
        headline = pd.DataFrame([
            ("customers", head["customers"]), ("churned", head["churned"]), ("churn rate", round(head["rate"], 6)),
            ("repeat customers", head["repeat"]), ("repeat customers churned", head["repeat_churned"]),
            ("one-time buyers", head["one_time"]), ("one-time buyers churned", head["one_time_churned"]),
            ("at risk", head["at_risk"]), ("revenue per year at stake", round(head["value_at_risk"] or 0, 2)),
            ("revenue per year lost", round(head["value_lost"] or 0, 2)),
        ], columns=["measure", "value"], dtype=object)
        periods_out = periods.assign(period=[period_value(v, p.grain) for v in periods["period"]])
        tables = [Table.from_frame("headline", headline, "Churn: headline figures"),
                  Table.from_frame("definition", definition, "How a churned customer is told"),
                  Table.from_frame("churn_by_period", periods_out, f"Customers lost per {p.grain}"),
                  Table.from_frame("at_risk", at_risk, "Customers at risk now, by revenue per year at stake",
                                   max_rows=p.top, priority=["customer_id", "revenue per year at stake", "days silent",
                                                             "last purchase", "usual gap (days)"]),
                  Table.from_frame("churned", churned, "Churned customers, by revenue per year lost", max_rows=p.top,
                                   priority=["customer_id", "revenue per year lost", "churn date", "last purchase",
                                             "days silent"])]
        if self.ds.remote:  # the lists came back as their first rows: the rest stayed in the engine
            for table, total in ((tables[3], head["at_risk"]), (tables[4], head["churned"])):
                if int(total) > len(table.rows):
                    table.total_rows, table._frame = int(total), None
                    self.ds.note_sampled(f"{table.name} table: the first {len(table.rows)} of {int(total):,} customers "
                                         "came back; every customer's status stays in the engine (temporary table "
                                         "__churn)")
        charts = [Chart(kind="line", title=f"Churn rate per {p.grain}", table="churn_by_period", x="period",
                        y=["churn rate"])]
        splits = []
        for dim, frame in breakdowns:
            name = f"churn_by_{dim}"
            tables.append(Table.from_frame(name, frame, f"Churn by {crossed_words(dim)}"))
            if CROSS not in dim:
                charts.append(Chart(kind="bar", title=f"Churn rate by {dim.replace('_', ' ')}", table=name, x=dim,
                                    y=["churn rate"]))
            splits.append(split_facts(dim, frame))
        complete = periods[pd.to_datetime(periods["period"]) < pd.Timestamp(self._trunc(asof))]
        worst = None
        if len(complete) and complete["churned customers"].sum() > 0:
            i = complete["churn rate"].fillna(-1).idxmax()
            worst = {"period": period_name(complete["period"][i], p.grain),
                     "rate": float(complete["churn rate"][i]), "lost": int(complete["churned customers"][i])}
        top = at_risk.head(3).to_dict("records")
        drivers, minor, models, best = [], 0, [], None
        if why is not None:
            long, strength_frame = attribute_tables(why["rates"], why["strength"], why["ranked"])
            tables += [Table.from_frame("churn_by_attribute", long, "Churn by every customer attribute", max_rows=200),
                       Table.from_frame("attributes", strength_frame, "Attributes by how much churn depends on them")]
            if why["model"] is not None:
                tables += [Table.from_frame("models", why["model"]["models"], f"Models ({FOLDS}-fold cross-validated)"),
                           why["table"]]
                charts.append(Chart(kind="bar", title="Churn drivers", table="drivers", x="attribute",
                                    y=["importance (AUC drop)"]))
                drivers, minor, models, best = why["drivers"], why["minor"], why["models"], why["model"]["best"]
            else:  # too few of one kind to model: the attribute most associated with churn, by its rates
                splits += [split_facts(a, why["rates"][a]) for a in why["ranked"][:2] if a not in p.by]
        summary = render("churn.md.j2", mode="inactivity", h=head, rule=rule, asof=asof, worst=worst,
                         grain=p.grain, top=top, splits=splits, filters=filters_text(self.p.filters),
                         drivers=drivers, minor=minor, minor_drop=MINOR, models=models, best=best)
        summary = kit.with_definitions(summary, self.ds, "inactive_days")
        if not rule["fixed_from"]:
            summary += f"\n\n{kit.ACTIVE_DEFINITIONS['churn'][0].upper()}{kit.ACTIVE_DEFINITIONS['churn'][1:]}."

        warnings = list(self.warnings)
        if head["one_time"]:
            warnings.append(f"{head['one_time']:,} customers bought on one day only; they count as churned once "
                            f"{rule['fixed'] or rule['return_days']:g} days pass without a second purchase")
        return Answer(analysis="churn", title="Churn from purchases", summary=summary, tables=tables, charts=charts,
                      warnings=warnings,
                      follow_ups=(["why do customers churn?"] if why is None and self.ds.has("customers") else [])
                      + ["churn rate by country", "customers inactive for 90 days", "churn per quarter"],
                      provenance=Provenance(method="DuckDB SQL: per customer, the gaps between purchase days and the "
                                                   "days since the last; churned when the silence exceeds "
                                                   + ("the fixed gap" if rule["fixed"] else
                                                      "max(floor, multiple x own mean gap)"),
                                            rows_used=int(head["customers"])))


#: the name of a crossed breakdown ("contract_x_payment_method")
CROSS = "_x_"


def crossed_words(dim: str) -> str:
    """"contract_x_payment_method" as said: "contract and payment method"."""
    return " and ".join(d.replace("_", " ") for d in dim.split(CROSS))


def split_facts(dim: str, frame) -> dict:
    """The highest and lowest churn rate of a breakdown: among the groups of at least
    ``kit.SMALL_SAMPLE`` customers when two or more are that large, else among the groups of at
    least 1% of customers, a small group then flagged (``high_small``, ``low_small``); a smaller
    group left out that churns more than the highest is given too (``beyond``), and one that churns less
    than the lowest (``beneath``)."""
    if CROSS in dim:  # a crossed breakdown: each group named by its values ("Month-to-month · Electronic check")
        dims = dim.split(CROSS)
        frame = frame.assign(group=frame[dims].astype(str).agg(" · ".join, axis=1))
        frame = frame[["group", *(c for c in frame.columns if c not in (*dims, "group"))]]
        dim = crossed_words(dim)
    big = frame[frame["customers"] >= max(1, 0.01 * frame["customers"].sum())]
    solid = big[big["customers"] >= kit.SMALL_SAMPLE]
    pool = solid if len(solid) >= 2 else big if len(big) else frame
    pool = pool.sort_values("churn rate", ascending=False, kind="stable")
    hi, lo = pool.iloc[0], pool.iloc[-1]
    # a group left out for its size that churns more is said, so the text never contradicts the table
    above = frame[~frame.index.isin(pool.index) & (frame["churn rate"] > hi["churn rate"])]
    above = above.sort_values("churn rate", ascending=False, kind="stable")
    beyond = {"beyond": str(above.iloc[0].iloc[0]), "beyond_rate": float(above.iloc[0]["churn rate"]),
              "beyond_n": int(above.iloc[0]["customers"])} if len(above) else {}
    below = frame[~frame.index.isin(pool.index) & (frame["churn rate"] < lo["churn rate"])]
    below = below.sort_values("churn rate", kind="stable")
    beneath = {"beneath": str(below.iloc[0].iloc[0]), "beneath_rate": float(below.iloc[0]["churn rate"]),
               "beneath_n": int(below.iloc[0]["customers"])} if len(below) else {}
    return {**beyond, **beneath, "dim": dim.replace("_", " "), "high": str(hi.iloc[0]), "high_rate": float(hi["churn rate"]),
            "low": str(lo.iloc[0]), "low_rate": float(lo["churn rate"]), "n": len(frame),
            "high_n": int(hi["customers"]), "low_n": int(lo["customers"]),
            "high_small": kit.small(hi["customers"]), "low_small": kit.small(lo["customers"])}


def attribute_tables(rates: dict, strength: dict, ranked: list):
    """The churn rate of every attribute value (long form), and the attributes ranked by how much
    churn depends on them, with their highest and lowest churn."""
    import pandas as pd

    long = pd.concat([rates[a].rename(columns={a: "value"}).assign(attribute=a).astype({"value": str})
                      for a in ranked], ignore_index=True)
    long = long[["attribute", "value", "customers", "churned", "churn rate"]]
    strength_frame = pd.DataFrame([(a, round(strength[a], 6), *extremes(rates[a])) for a in ranked],
                                  columns=["attribute", "association (Cramér's V)", "highest churn", "highest rate",
                                           "lowest churn", "lowest rate"])
    return long, strength_frame


# ---------------------------------------------------------------------------------- flag
#: on an engine other than DuckDB, the churn drivers are fitted on at most this many customers (a
#: deterministic sample drawn in the engine by the md5 of the customer id), never more than half the
#: bound on the rows an engine may send back (CUSTLENS_ENGINE_MAX_ROWS)
ENGINE_DRIVERS_SAMPLE = 50_000


class FlagChurn:
    """Churn from a customers table's churn flag: rates by attribute, model drivers, risk scores."""

    def __init__(self, dataset, params: ChurnParams):
        self.ds, self.p = dataset, params
        self.warnings: list[str] = []
        self.unreadable = 0  # flags that are neither blank nor a yes/no spelling
        self.totals: tuple[int, int, int] | None = None  # on an engine: customers, with a flag, churned
        self.say_sample, self.sample_note = True, None  # on an engine: the drivers' sample, and whether to say it

    def answer(self) -> Answer:
        self._check_flag()
        where, args = self._where()
        attrs, skipped = self._attributes()
        asked = self.p.explain or self.p.risk or bool(self.p.exclude)  # the drivers model (see below)
        self.say_sample = asked
        self.attrs = attrs
        frame = self._frame(attrs, where, args)
        known = frame["churned"].notna()
        if not (known.any() if self.totals is None else self.totals[1]):
            raise DataError(f"no customer{filters_text(self.p.filters)} has a readable churn flag.")
        blank = (int((~known).sum()) if self.totals is None else self.totals[0] - self.totals[1]) - self.unreadable
        if blank > 0:
            self.warnings.append(f"{blank:,} customers have a blank churn flag and are left out")
        if (~known).any():
            frame = frame[known].reset_index(drop=True)
        frame["churned"] = frame["churned"].astype(bool)
        rates, strength, ranked = self._associations(attrs, where, args)
        if self.p.start or self.p.end:
            self.warnings.append("the period is ignored: a customers table has no purchase dates to restrict")
        if self.p.inactive_days is not None:
            self.warnings.append(f"inactive_days={self.p.inactive_days} is ignored: churn comes from the churn flag "
                                 "(a gap of inactivity needs sales data with order dates)")
        for dim in self.p.by:
            if dim not in rates and dim not in ALWAYS_SHOWN:
                if dim in skipped:
                    raise DataError(f"cannot break churn down by {dim!r}: {skipped[dim]}.")
                attribute_source(self.ds, dim)  # raises with the list of columns
        # the drivers model (and its risk scores) only when asked: a rate or a breakdown does not wait for it
        # (a model fitted already for the same customers costs nothing: shown, as "why" then "by contract" does)
        model = self._model(frame, attrs, skipped) if asked else self._model_known(frame, attrs, skipped)
        if model is not None and not asked and self.sample_note:
            self.warnings.append(self.sample_note)
            self.ds.note_sampled(self.sample_note)
        return self._compose(frame, rates, strength, ranked, model, modelled=asked or model is not None)

    def _model_known(self, frame, attrs: dict[str, str], skipped: dict[str, str]) -> dict | None:
        """The drivers model of ``_model`` when it was fitted already for these customers, else None."""
        model = kit.fitted_before(self.ds, "churn drivers", (frame, attrs), self.warnings) if attrs else None
        if model is not None and skipped:
            self.warnings.append("left out of the drivers: " + "; ".join(f"{a} ({why})" for a, why in skipped.items()))
        return model

    def _associations(self, attrs: dict[str, str], where: str, args: list) -> tuple[dict, dict, list]:
        """Churn rate per value of each attribute, how strongly churn depends on each (Cramér's V),
        the attributes strongest first; an attribute that almost decides churn is warned about."""
        rates = self._rates(attrs, where, args)
        strength = {a: cramers_v(r) for a, r in rates.items()}
        ranked = sorted(rates, key=lambda a: -strength[a])
        for a in ranked:
            if strength[a] >= LEAK_V:
                self.warnings.append(f"{a} almost decides churn on its own (Cramér's V {strength[a]:.2f}): if it "
                                     f"records the churn itself (a cancellation date or reason), leave it out with "
                                     f"--param exclude={a}")
        return rates, strength, ranked

    def _subscriptions(self, shown: list[str]) -> tuple[str, list[Table]]:
        """Where the customers are the accounts of subscription lines with an end date
        (``Dataset.lifecycle``), an account has churned only when none of its subscriptions is open
        (``kit.per_account_rule``), which a table of long-lived accounts rarely shows: the
        subscriptions' own churn is said beside it, how many of them have ended by the data's last
        day (end date on or before it), in all and by each breakdown that is a column of the
        subscriptions ("churn by billing frequency": of the monthly and the annual subscriptions,
        not of the accounts under their latest one's). ("", []) for any other customers table."""
        import pandas as pd

        life = self.ds.lifecycle()
        if life is None or not any(s.role == "customers" and s.lines_of == life["source"] for s in self.ds.sources):
            return "", []
        end = qi(life["end"])
        where, args = self.ds.scope(self.p.filters, alias="t")
        last = self.ds.last_order_date()
        day = kit.as_date(last).isoformat()
        ended = f"t.{end} IS NOT NULL AND CAST(t.{end} AS DATE) <= CAST(? AS DATE)"
        total, done, accounts = self.ds.rows(
            f"SELECT count(*), count(*) FILTER (WHERE {ended}), count(DISTINCT t.customer_id) "
            f"FROM transactions t WHERE {where}", [day, *args])[0]
        if not total:
            return "", []
        what = life.get("what", "subscriptions")
        said = (f"An account has churned only when none of its {what} is open on {day} ({life['end']} blank or "
                f"after it). Of the {int(total):,} {what} of these {int(accounts):,} accounts, **{int(done):,} have "
                f"ended ({pct(done / total)})**: the {what}' own churn, by {life['end']}.")
        frame = pd.DataFrame([(what, int(total)), (f"{what} ended", int(done)),
                              (f"{what} churn rate", round(done / total, 6))],
                             columns=["measure", "value"], dtype=object)
        tables = [Table.from_frame(f"{what}_churn", frame, f"Churn of the {what} (ended by {day})")]
        cols = self.ds.columns("transactions")
        types = self.ds.relation_columns("transactions")
        for dim in shown:
            if dim not in cols or dim == "customer_id" or is_numeric(types.get(dim, "")) or is_temporal(
                    types.get(dim, "")) or self.ds.rows(f"SELECT count(DISTINCT {qi(dim)}) FROM transactions")[0][0] > 20:
                continue  # by a category of the subscriptions only (seats, MRR: their own bands are the accounts')
            by = self.ds.query(f"""
                SELECT coalesce(CAST(t.{qi(dim)} AS VARCHAR), '(blank)') AS {qi(dim)}, count(*) AS {qi(what)},
                       count(*) FILTER (WHERE {ended}) AS ended,
                       round(count(*) FILTER (WHERE {ended}) / count(*), 6) AS "churn rate"
                FROM transactions t WHERE {where} GROUP BY 1 ORDER BY "churn rate" DESC, 2 DESC""",
                [day, day, *args])
            tables.append(Table.from_frame(f"{what}_churn_by_{dim}", by,
                                           f"Churn of the {what} by {dim.replace('_', ' ')}"))
            if len(by) > 1:
                hi, lo = by.iloc[0], by.iloc[-1]
                said += (f" By {dim.replace('_', ' ')}: highest for **{hi[dim]}** ({pct(hi['churn rate'])} of "
                         f"{int(hi[what]):,}), lowest for **{lo[dim]}** ({pct(lo['churn rate'])} of {int(lo[what]):,}).")
        return said, tables

    def _model(self, frame, attrs: dict[str, str], skipped: dict[str, str]) -> dict | None:
        """The drivers model, or None (said in a warning) when one kind of customer is too rare."""
        if skipped:
            self.warnings.append("left out of the drivers: " + "; ".join(f"{a} ({why})" for a, why in skipped.items()))
        n, churned = len(frame), int(frame["churned"].sum())
        if churned < 10 or n - churned < 10:
            self.warnings.append(f"{churned} churned and {n - churned} current customers: too few of one kind "
                                 "to fit a model of the drivers; rates by attribute only")
            return None
        if not attrs:
            return None

        # fitted once per input: "churn by contract type" after "why do customers churn" reuses it
        return kit.fitted(self.ds, "churn drivers", (frame, attrs), lambda w: fit_drivers(frame, attrs, w),
                          self.warnings)

    def drivers_facts(self, rates: dict, model: dict | None) -> tuple[list, int, Table | None, list]:
        """The drivers the narrative names (the first, and any that lower the AUC by MINOR or more, at
        most five), how many more there are, the drivers table and the model rows."""
        if model is None:
            return [], 0, None, []
        imp = model["importance"]
        words = [driver_words(row, rates.get(row["attribute"])) for row in imp.to_dict("records")]
        imp = imp.assign(**{"in plain words": words})
        table = Table.from_frame("drivers", imp, f"Churn drivers (permutation importance, {model['best']})")
        drivers = [{"attribute": r["attribute"], "importance": r["importance (AUC drop)"], "words": w}
                   for r, w in zip(imp.to_dict("records"), words)]
        named = [d for i, d in enumerate(drivers) if i == 0 or d["importance"] >= MINOR][:5]
        return named, len(drivers) - len(named), table, model["models"].to_dict("records")

    # -- reading the flag
    def _check_flag(self) -> None:
        """Every customers source with a churn column: values that do not read as yes/no stop the
        analysis (most of them, with the spellings that do read) or are named in a warning (a few)."""
        for src in self.ds.sources:
            if src.role != "customers" or "churned" not in src.exprs:
                continue
            mapping = self.ds.mapping_of(src)
            if "churned" not in mapping:
                continue
            col = mapping["churned"].column
            rel = qi(src.raw.relation)
            raw = f"nullif(trim(CAST({qi(col)} AS VARCHAR)), '')"
            bad = self.ds.query(f"""
                SELECT {raw} AS value, count(*) AS n FROM {rel}
                WHERE {raw} IS NOT NULL AND ({src.exprs['churned']}) IS NULL GROUP BY 1 ORDER BY 2 DESC, 1""")
            if bad.empty:
                continue
            readable = int(self.ds.scalar(f"SELECT count(*) FROM {rel} WHERE ({src.exprs['churned']}) IS NOT NULL"))
            examples = ", ".join(f"{v!r} ({n:,})" for v, n in bad.head(5).itertuples(index=False))
            spellings = (f"yes: {', '.join(sorted(TRUE_WORDS))}; no: {', '.join(sorted(FALSE_WORDS))}")
            bad_n = int(bad["n"].sum())
            if bad_n >= readable:
                raise DataError(f"{src.name}: column {col!r} (the churn flag) holds values that do not read as "
                                f"yes/no: {examples}. Spellings understood: {spellings}. Recode the column, or "
                                f"map another one with --map churned=COLUMN.")
            self.unreadable += bad_n
            self.warnings.append(f"{src.name}: {bad_n:,} value(s) of {col!r} do not read as a churn flag "
                                 f"({examples}); those customers are left out")

    def _where(self) -> tuple[str, list]:
        return kit.customer_filters_sql(self.ds, self.p.filters, "c")

    def _the_others(self) -> dict | None:
        """The customers the filters leave out, and all of them: how many, and their churn rates (a
        filtered rate alone cannot say whether it is high). None when the filters leave nobody out."""
        where, args = self._where()
        n, churned, total, lost = self.ds.rows(
            f"SELECT count(*) FILTER (WHERE ({where}) IS NOT TRUE), count(*) FILTER (WHERE ({where}) IS NOT TRUE AND "
            f"c.churned), count(*), count(*) FILTER (WHERE c.churned) FROM {self._source()} "
            f"WHERE c.churned IS NOT NULL", [*args, *args])[0]
        if not n or not total:
            return None
        return {"n": int(n), "rate": churned / n, "all_rate": lost / total}

    def _attributes(self) -> tuple[dict[str, str], dict[str, str]]:
        """Customer attributes to explain churn with: name -> 'category' or 'number'; and the ones
        left out, with why (identifiers, dates, free text, empty columns)."""
        types = self.ds.relation_columns("customers")
        present = self.ds.columns("customers")
        unknown = [c for c in self.p.exclude if c not in present]
        if unknown:
            raise ParamsError(f"cannot exclude {', '.join(map(repr, unknown))}: the customers table has no such "
                              f"column. Columns: {', '.join(sorted(present))}.")
        cols = [c for c in types if c in present and c not in ("customer_id", "churned", *self.p.exclude)]
        if self.ds.has_segments:
            types["segment"] = "VARCHAR"
            cols = [c for c in cols if c != "segment"] + ["segment"]
        if not cols:
            return {}, {}
        source = self._source()
        counts = self.ds.query("SELECT " + ", ".join(
            f"count(DISTINCT {qi(c)}) AS {qi(c)}" for c in cols) + f" FROM {source}")
        counts = counts.iloc[0].to_dict()
        numbering = kit.row_numbers(self.ds, source, [c for c in cols if is_numeric(types[c])])
        attrs, skipped = {}, {}
        for c in cols:
            distinct, t = int(counts[c]), types[c]
            if distinct == 0:
                continue
            if c in numbering:
                skipped[c] = "a row number (1, 2, 3... one per row), no attribute"
            elif is_temporal(t):
                skipped[c] = "a date"
            elif distinct < 2:
                skipped[c] = "one value only"
            elif is_numeric(t):
                attrs[c] = "number" if distinct > 2 else "category"
            elif distinct > MAX_LEVELS:
                skipped[c] = f"{distinct:,} distinct values: an identifier or free text"
            else:
                attrs[c] = "category"
        return attrs, skipped

    def _source(self) -> str:
        return f"({customer_table(self.ds)}) c"

    def _frame(self, attrs: dict[str, str], where: str, args: list):
        """One row per customer with the churn flag and ``attrs``; on an engine other than DuckDB, a
        sample of at most ``ENGINE_DRIVERS_SAMPLE`` of them drawn in the engine by the md5 of the
        customer id (the counts of all are ``self.totals``, the sample is said)."""
        select = ", ".join(f"c.{qi(a)}" for a in attrs)
        sql = f"SELECT c.customer_id, c.churned{', ' + select if select else ''} FROM {self._source()} WHERE {where}"
        self.totals = None
        if self.ds.remote:
            from custlens.engines import max_rows

            total, known, churned = self.ds.rows(f"SELECT count(*), count(c.churned), count(*) FILTER (WHERE "
                                                 f"c.churned) FROM {self._source()} WHERE {where}", args)[0]
            size = max(2, min(ENGINE_DRIVERS_SAMPLE, max_rows() // 2))
            self.totals = (int(total), int(known), int(churned))
            if total > size:
                sql += f" ORDER BY md5(CAST(c.customer_id AS VARCHAR)) LIMIT {size}"
                note = (f"churn drivers and risk scores: fitted on a sample of {size:,} of the {int(total):,} customers "
                        "drawn in the engine by the md5 of the customer id (the same sample each time); the rates "
                        "by attribute count every customer")
                self.sample_note = note
                if self.say_sample:  # said where a model is fitted on it (a rate alone counts everyone)
                    self.warnings.append(note)
                    self.ds.note_sampled(note)
        frame = self.ds.query(sql, args)
        if frame.empty:
            raise DataError(f"no customers match{filters_text(self.p.filters)}.")
        return frame

    def _rates(self, attrs: dict[str, str], where: str, args: list) -> dict:
        """Churn rate per value of each attribute (numbers with many values in quartile bands), all in
        one scan of the customers (a grouping set per attribute): a table per attribute, a band's rows
        in the order of the bands, a value's the highest churn first."""
        import pandas as pd

        if not attrs:
            return {}
        names = {a: f"a{i}" for i, a in enumerate(attrs)}
        labels, banded, band_args = [], [], []
        for a, kind in attrs.items():
            label, extra, band = self._label(a, kind)
            labels.append(f"coalesce({label}, '(blank)') AS {names[a]}")
            band_args += extra
            banded += [names[a]] * band
        frame = self.ds.query(f"""
            SELECT {', '.join(names.values())}, {''.join(f'min(n_{n}) AS n_{n}, ' for n in banded)}
                   count(*) AS customers, count(*) FILTER (WHERE churned) AS churned,
                   round(avg(CAST(CAST(churned AS INTEGER) AS DOUBLE)), 6) AS "churn rate"
            FROM (SELECT {', '.join(labels + [f'c.{qi(a)} AS n_{n}' for a, n in names.items() if n in banded])},
                         c.churned
                  FROM {self._source()} WHERE {where} AND c.churned IS NOT NULL) t
            GROUP BY GROUPING SETS ({', '.join(f'({n})' for n in names.values())})""", [*band_args, *args])
        rates = {}
        for a, n in names.items():
            rows = frame[frame[n].notna()]
            order = ([f"n_{n}", "customers"], [True, False]) if n in banded else \
                (["churn rate", "customers"], [False, False])
            rows = rows.sort_values(order[0], ascending=order[1], kind="stable")
            rates[a] = pd.DataFrame({a: rows[n].to_numpy(), "customers": rows["customers"].to_numpy(),
                                     "churned": rows["churned"].to_numpy(), "churn rate": rows["churn rate"].to_numpy()})
        return rates

    def _label(self, attr: str, kind: str) -> tuple[str, list, bool]:
        """The SQL naming the value of ``attr`` a rate is counted under: a number's quartile band when it
        has many values (the bands come from the whole column, once per data: the same under any
        filter), else the value as text; its parameters, and whether it is a band."""
        col = f"c.{qi(attr)}"
        edges = kit.numeric_bands(self.ds, attr) if kind == "number" else None
        if edges:
            label, args = kit.band_sql(col, edges)
            return label, args, True
        return f"CAST({col} AS VARCHAR)", [], False

    def flag_reading(self) -> str:
        """Which values of the churn column were read as churned and which as not (a text column's:
        "Attrition_Flag: 'Attrited Customer' read as churned, 'Existing Customer' as not churned"),
        or "" for a numeric or boolean flag."""
        parts = []
        for src in self.ds.sources:
            mapping = self.ds.mapping_of(src) if src.role == "customers" and "churned" in src.exprs else {}
            if "churned" not in mapping or src.columns.get(mapping["churned"].column) != "VARCHAR":
                continue
            col = mapping["churned"].column
            raw = f"nullif(trim(CAST({qi(col)} AS VARCHAR)), '')"
            rows = self.ds.query(f"SELECT {raw} AS value, ({src.exprs['churned']}) AS churned, count(*) AS n "
                                 f"FROM {qi(src.raw.relation)} WHERE {raw} IS NOT NULL GROUP BY 1, 2 "
                                 f"ORDER BY 3 DESC, 1 LIMIT 12")
            said = [", ".join(repr(v) for v in rows["value"][rows["churned"] == side].head(3))
                    for side in (True, False)]
            parts.append(f"{col}{f' ({src.name})' if len(self.ds.sources) > 1 else ''}: {said[0] or 'no value'} "
                         f"read as churned, {said[1] or 'no value'} as not churned")
        return "; ".join(parts)

    def _crossed_rates(self, dims: list[str]):
        """Churn per combination of the values of two attributes (numbers in their quartile bands, as
        ``_rates``), a row per combination that has customers, the highest churn first."""
        labels, band_args = [], []
        for d in dims:
            label, extra, _ = self._label(d, self._kind(d) if d in self.ds.columns("customers") else "text")
            band_args += extra
            labels.append(f"coalesce({label}, '(blank)') AS {qi(d)}")
        where, args = self._where()
        return self.ds.query(f"""
            SELECT {', '.join(labels)}, count(*) AS customers, count(*) FILTER (WHERE c.churned) AS churned,
                   round(avg(CAST(CAST(c.churned AS INTEGER) AS DOUBLE)), 6) AS "churn rate"
            FROM {self._source()} WHERE {where} AND c.churned IS NOT NULL
            GROUP BY ALL ORDER BY "churn rate" DESC, customers DESC""", [*band_args, *args])

    def _lost(self, tables: list) -> str:
        """What churn lost of a money column of the customers (``lost``): its sum over the churned and its share
        of everyone's, added to the headline; the sentence that leads the answer."""
        import pandas as pd

        column = self.p.lost
        if column not in self.ds.columns("customers"):
            raise ParamsError(f"lost={column!r}: the customers table has no such column. Columns: "
                              f"{', '.join(sorted(self.ds.columns('customers')))}.")
        where, args = self._where()
        value = f"TRY_CAST(c.{qi(column)} AS DOUBLE)"
        lost, total = self.ds.rows(f"SELECT sum({value}) FILTER (WHERE c.churned), sum({value}) FROM {self._source()} "
                                   f"WHERE {where} AND c.churned IS NOT NULL", args)[0]
        if not total:
            raise DataError(f"{column} holds no numbers to sum{filters_text(self.p.filters)}.")
        lost, share, name = float(lost or 0), float(lost or 0) / float(total), column.replace("_", " ")
        head = tables[0]
        tables[0] = Table.from_frame("headline", pd.concat([head.frame, pd.DataFrame(
            [(f"{name} of churned customers", round(lost, 2)), (f"{name} of all customers", round(float(total), 2)),
             (f"share of {name} lost", round(share, 6))], columns=["measure", "value"])], ignore_index=True),
            head.title)
        return (f"Churned customers account for **{lost:,.2f}** of {name} (column {column}): **{pct(share)}** of the "
                f"{float(total):,.2f} of all customers{filters_text(self.p.filters)}.")

    def _kind(self, attr: str) -> str:
        attrs = getattr(self, "attrs", None)
        return (attrs if attrs is not None else self._attributes()[0]).get(attr, "text")

    def _compose(self, frame, rates, strength, ranked, model, modelled: bool = True) -> Answer:
        import pandas as pd

        p = self.p
        n, churned = len(frame), int(frame["churned"].sum())
        if self.totals is not None:  # an engine: the counts of every customer, the model's sample aside
            n, churned = self.totals[1], self.totals[2]
        headline = pd.DataFrame([("customers", n), ("churned", churned), ("churn rate", round(churned / n, 6)),
                                 ("current customers", n - churned), ("retention rate", round(1 - churned / n, 6))],
                                columns=["measure", "value"], dtype=object)
        others = self._the_others() if p.filters else None
        if others:  # "do electronic check payers churn more?": their rate, set against everyone else's
            headline = pd.concat([headline, pd.DataFrame(
                [("other customers", others["n"]), ("churn rate of the others", round(others["rate"], 6)),
                 ("churn rate of all", round(others["all_rate"], 6))], columns=["measure", "value"], dtype=object)],
                ignore_index=True)
        tables = [Table.from_frame("headline", headline, "Churn: headline figures")]
        charts: list[Chart] = []
        shown = [d for d in p.by if d in rates] or ranked[:3]
        crossed = None
        if len([d for d in p.by if d in rates]) == 2:  # "churn by contract and payment method": crossed, first
            dims = [d for d in p.by if d in rates]
            crossed = (CROSS.join(dims), self._crossed_rates(dims))
            name = f"churn_by_{crossed[0]}"
            tables.append(Table.from_frame(name, crossed[1], f"Churn by {crossed_words(crossed[0])}"))
        for dim in shown:
            name = f"churn_by_{dim}"
            tables.append(Table.from_frame(name, rates[dim], f"Churn by {dim.replace('_', ' ')}"))
            charts.append(Chart(kind="bar", title=f"Churn rate by {dim.replace('_', ' ')}", table=name, x=dim,
                                y=["churn rate"]))
        if ranked:
            long, strength_frame = attribute_tables(rates, strength, ranked)
            tables.append(Table.from_frame("churn_by_attribute", long, "Churn by every attribute", max_rows=200))
            tables.append(Table.from_frame("attributes", strength_frame,
                                           "Attributes by how much churn depends on them"))
        risk = None
        drivers, minor, drivers_table, models = self.drivers_facts(rates, model)
        if model is not None:
            tables.append(Table.from_frame("models", model["models"], f"Models ({FOLDS}-fold cross-validated)"))
            tables.append(drivers_table)
            charts.append(Chart(kind="bar", title="Churn drivers", table="drivers", x="attribute",
                                y=["importance (AUC drop)"]))
            imp = model["importance"]
            scores = frame.assign(**{"churn score": model["scores"]})
            current = scores[~scores["churned"] & scores["churn score"].notna()] \
                .sort_values(["churn score", "customer_id"], ascending=[False, True])
            keep = ["customer_id", "churn score"] + list(imp["attribute"][:3])
            risk = current[keep].round({"churn score": 4}).reset_index(drop=True)
            tables.append(Table.from_frame("at_risk", risk, "Current customers most likely to churn",
                                           max_rows=p.top))
        lost_lead = self._lost(tables) if p.lost else ""
        splits = ([split_facts(crossed[0], crossed[1])] if crossed else []) + [split_facts(d, rates[d]) for d in shown]
        lines_said, lines_tables = self._subscriptions(shown)
        tables[1:1] = lines_tables
        summary = render("churn.md.j2", mode="flag", n=n, churned=churned, rate=churned / n, splits=splits,
                         models=models, best=model["best"] if model else None, drivers=drivers,
                         minor=minor if model is not None else 0, minor_drop=MINOR,
                         top=risk.head(3).to_dict("records") if risk is not None else [],
                         filters=filters_text(p.filters), others=others)
        if lines_said:
            summary = lines_said + "\n\n" + summary
        if lost_lead:
            summary = f"{lost_lead}\n\n{summary}"
        reading = self.flag_reading()
        if reading:
            summary += f"\n\nThe churn flag: {reading}."
        if not modelled:
            summary += ("\n\nThe drivers of churn and each current customer's risk come from a model, fitted when "
                        "asked: \"why do customers churn?\", \"which customers are at risk of churning?\".")
        return Answer(analysis="churn", title="Churn and its drivers" if modelled else "Churn rates", summary=summary,
                      tables=tables, charts=charts,
                      warnings=self.warnings,
                      follow_ups=([] if modelled else ["why do customers churn?"])
                      + [f"churn rate by {a.replace('_', ' ')}" for a in ranked if a not in shown][:2]
                      + ["which customers are at risk of churning?"],
                      provenance=Provenance(
                          method="churn rates by attribute in DuckDB SQL" + (
                                 "; drivers: scikit-learn logistic regression "
                                 "and histogram gradient boosting on one-hot categoricals, "
                                 f"{FOLDS}-fold stratified cross-validated ROC AUC, permutation importance on the "
                                 "held-out folds; risk scores are out-of-fold probabilities" if modelled else
                                 " (the drivers model is fitted when asked: why, drivers, at risk)"),
                          rows_used=n))


class PurchaseDrivers(FlagChurn):
    """Why customers churn when churn is told from purchases: the customers table's attributes
    against the churned status in ``table`` (one row per customer, as InactivityChurn makes it),
    with the same rates, models and words as the churn flag's."""

    def __init__(self, dataset, params: ChurnParams, table: str):
        super().__init__(dataset, params)
        self.table = table

    def _source(self) -> str:
        # the columns by name (not * EXCLUDE, which a translating engine reads only over a table)
        segments = self.ds.has_segments
        cols = [c for c in self.ds.relation_columns("customers") if c != "churned" and (c != "segment" or not segments)]
        cols += ["segment"] if segments else []
        return (f"(SELECT {', '.join(f'c.{qi(c)}' for c in cols)}, ch.churned FROM {self.table} ch "
                f"JOIN ({customer_table(self.ds)}) c ON c.customer_id = ch.customer_id) c")


class OutcomeDrivers(FlagChurn):
    """What drives a yes/no or 0/1 column of the customers other than churn ("what drives response to
    the campaign"): the churn flag's rates, models and words with the column in its place, each said
    as the column (``response = 1``), never as churn."""

    def __init__(self, dataset, params: ChurnParams):
        super().__init__(dataset, params)
        self.outcome = params.outcome

    def answer(self) -> Answer:
        if not self.ds.has("customers") or self.outcome not in self.ds.columns("customers"):
            raise DataError(f"cannot explain {self.outcome!r}: the customers table has no such column"
                            + (f" (its columns: {', '.join(sorted(self.ds.columns('customers')))})"
                               if self.ds.has("customers") else f" ({kit.loaded_line(self.ds)})") + ".")
        odd = self.ds.scalar(f"SELECT count(*) FROM customers WHERE {qi(self.outcome)} IS NOT NULL AND "
                             f"{kit.flag_value(self.outcome)} IS NULL")
        if odd:
            raise DataError(f"cannot explain {self.outcome!r} as yes or no: {int(odd):,} of its values are neither "
                            "yes/no nor 0/1. Ask for its average by an attribute instead.")
        self.p = self.p.model_copy(update={"exclude": [*self.p.exclude, self.outcome]}) \
            if "churned" not in self.p.exclude else self.p
        return self._relabel(super().answer())

    def _check_flag(self) -> None:  # the outcome is checked in answer
        return None

    def _source(self) -> str:
        cols = [c for c in self.ds.relation_columns("customers") if c not in ("churned", self.outcome)
                and (c != "segment" or not self.ds.has_segments)]
        cols += ["segment"] if self.ds.has_segments else []
        return (f"(SELECT {', '.join(f'c.{qi(c)}' for c in cols)}, CAST({kit.flag_value(self.outcome, 'c')} = 1 AS "
                f"BOOLEAN) AS churned FROM ({customer_table(self.ds)}) c) c")

    def _attributes(self):
        attrs, skipped = super()._attributes()
        if "churned" in self.ds.columns("customers"):  # a churn flag beside it is an attribute like any other
            attrs.setdefault("churned", "category")
        return {a: k for a, k in attrs.items() if a != self.outcome}, skipped

    def _relabel(self, answer: Answer) -> Answer:
        """Churn's words as the outcome's: "have churned" -> "have response = 1", "churn rate" ->
        "response rate"."""
        o = self.outcome
        yes, rate = f"{o} = 1", f"{o} rate"
        words = [("have churned", f"have {yes}"), ("churned and", f"with {yes} and"),
                 ("current customers", f"customers with {o} = 0"), ("Current customers", f"Customers with {o} = 0"),
                 (" stayed (", f" with {o} = 0 ("), ("retention rate", f"share with {o} = 0"),
                 ("Why customers churn", f"What drives {o}"), ("most likely to churn", f"most likely to have {yes}"),
                 ("predict churn", f"predict {o}"), ("who churns", f"who has {yes}"), ("churn score", f"{o} score"),
                 ("churn rate", rate), ("Churn rate", rate[0].upper() + rate[1:]), ("churn is", f"{rate} is"),
                 ("Churn drivers", f"Drivers of {o}"), ("Churn by", f"{o[0].upper() + o[1:]} rate by"),
                 ("how much churn depends", f"how much {o} depends"), ("decides churn", f"decides {o}"),
                 ("Churn: headline", f"{o[0].upper() + o[1:]}: headline"), ("records the churn itself",
                                                                            f"records {o} itself"),
                 ("churned", yes), ("churn", o)]

        def said(text: str) -> str:
            for a, b in words:
                text = text.replace(a, b)
            return text

        answer.summary = said(answer.summary)
        answer.title = f"What drives {o}"
        answer.warnings = [said(w) for w in answer.warnings]
        for table in answer.tables:
            table.title = said(table.title)
            table.columns = [said(c) for c in table.columns]
            table.percent = [said(c) for c in table.percent]
            if table.name in ("headline", "attributes"):  # its measures' names are words too
                table.rows = [[said(r[0]) if isinstance(r[0], str) else r[0], *r[1:]] for r in table.rows]
        for chart in answer.charts:
            chart.title = said(chart.title)
            chart.y = [said(y) for y in chart.y]
            chart.x = said(chart.x) if chart.x else chart.x
        answer.follow_ups = [f"{o} rate by {a.replace('_', ' ')}" for a in
                             (f.split(" by ", 1)[1] for f in answer.follow_ups if " by " in f)][:2]
        answer.summary = (f"Explained: **{o}** ({yes} read as yes; its drivers from the customers' other columns, as "
                          f"churn's from a churn flag).\n\n" + answer.summary)
        return answer


def extremes(rates) -> tuple:
    facts = split_facts(rates.columns[0], rates)
    return facts["high"], facts["high_rate"], facts["low"], facts["low_rate"]


def cramers_v(rates) -> float:
    """Cramér's V of churned x attribute value from the rates table's counts (0: none, 1: decides)."""
    import numpy as np

    churned = rates["churned"].to_numpy(float)
    stayed = rates["customers"].to_numpy(float) - churned
    table = np.vstack([churned, stayed])
    table = table[:, table.sum(0) > 0]
    if table.shape[1] < 2 or (table.sum(1) == 0).any():
        return 0.0
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    chi2 = float(((table - expected) ** 2 / expected).sum())
    return (chi2 / table.sum()) ** 0.5  # min(rows, cols) - 1 = 1 for a yes/no outcome


def driver_words(row: dict, rates) -> str:
    """One sentence: how much a driver matters (AUC drop) and which way (highest vs lowest rate)."""
    drop = row["importance (AUC drop)"]
    size = "strong" if drop >= 0.05 else "moderate" if drop >= 0.01 else "weak" if drop > 0.001 else "no clear"
    text = f"{size} driver (shuffling it lowers the AUC by {drop:.3f})"
    if rates is not None and len(rates) > 1:
        hi, hi_rate, lo, lo_rate = extremes(rates)
        text += f"; churn is {pct(hi_rate)} where {row['attribute']} is {hi} against {pct(lo_rate)} " \
                f"where it is {lo}"
    return text


def encode(frame, attrs: dict[str, str]):
    """The attributes as one numeric matrix (categoricals one-hot, a blank its own level; numbers
    as they are, missing as NaN) and, per attribute, the matrix columns that hold it."""
    import numpy as np
    import pandas as pd

    blocks, groups, at = [], {}, 0
    for a, kind in attrs.items():
        if kind == "number":
            block = pd.to_numeric(frame[a], errors="coerce").astype(float).to_numpy()[:, None]
        else:
            text = frame[a].astype(object).where(frame[a].notna(), "(blank)").astype(str)
            block = pd.get_dummies(text).to_numpy(float)
        blocks.append(block)
        groups[a] = np.arange(at, at + block.shape[1])
        at += block.shape[1]
    return np.hstack(blocks), groups


def roc_auc(y, score) -> float:
    """ROC AUC as the Mann-Whitney statistic (ties count half): the share of (churned, current)
    pairs the score puts in the right order. The same figure as sklearn's, without its checks."""
    from scipy.stats import rankdata

    ranks = rankdata(score)
    pos = int(y.sum())
    neg = len(y) - pos
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def fit_drivers(frame, attrs: dict[str, str], warnings: list[str]) -> dict:
    """Logistic regression (imputed, scaled) and gradient boosting on the one-hot attributes:
    stratified k-fold ROC AUC for both; permutation importance of the better one on the held-out
    folds (an attribute's one-hot columns are shuffled together, so it is the attribute's
    importance); out-of-fold churn probabilities for every customer modelled."""
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn import config_context
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    if len(frame) > MODEL_ROWS:
        warnings.append(f"the drivers are modelled on a random sample of {MODEL_ROWS:,} of {len(frame):,} customers "
                        "(rates by attribute use everyone)")
        frame = frame.sample(MODEL_ROWS, random_state=SEED)
    X, groups = encode(frame, attrs)
    y = frame["churned"].to_numpy(bool)
    models = {
        "logistic regression": lambda: make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                                                     LogisticRegression(max_iter=2000)),
        "gradient boosting": lambda: HistGradientBoostingClassifier(
            max_iter=HGB_TREES, learning_rate=0.2, max_leaf_nodes=15, min_samples_leaf=20, random_state=SEED),
    }
    folds = list(StratifiedKFold(min(FOLDS, int(y.sum()), int((~y).sum())), shuffle=True,
                                 random_state=SEED).split(X, y))
    rng = np.random.default_rng(SEED)
    rows, oof, fitted = [], {}, {}
    # small fits: threads only contend; checks of arrays made here would repeat on every shuffle
    with threadpool_limits(1), config_context(assume_finite=True, skip_parameter_validation=True):
        for name, make in models.items():
            scores, aucs, fits = np.zeros(len(y)), [], []
            for train, test in folds:
                m = make().fit(X[train], y[train])
                scores[test] = m.predict_proba(X[test])[:, 1]
                aucs.append(roc_auc(y[test], scores[test]))
                fits.append(m)
            rows.append((name, round(float(np.mean(aucs)), 4), round(float(np.std(aucs)), 4)))
            oof[name], fitted[name] = scores, fits
        table = pd.DataFrame(rows, columns=["model", "ROC AUC", "AUC std across folds"])
        best = table.sort_values("ROC AUC", ascending=False)["model"].iloc[0]
        drops = dict.fromkeys(groups, 0.0)
        for m, (_, test) in zip(fitted[best], folds):
            base = roc_auc(y[test], m.predict_proba(X[test])[:, 1])
            for a, cols in groups.items():
                for _ in range(PERMUTATIONS):
                    shuffled = X[test].copy()
                    shuffled[:, cols] = shuffled[rng.permutation(len(test))][:, cols]
                    drops[a] += (base - roc_auc(y[test], m.predict_proba(shuffled)[:, 1])) \
                        / (len(folds) * PERMUTATIONS)
    importance = pd.DataFrame({"attribute": list(drops), "importance (AUC drop)": np.round(list(drops.values()), 4)}) \
        .sort_values(["importance (AUC drop)", "attribute"], ascending=[False, True]).reset_index(drop=True)
    return {"models": table, "best": best, "importance": importance,
            "scores": pd.Series(oof[best], index=frame.index)}  # aligned on the rows modelled


@hookimpl
def register_analyses(register):
    register(Churn())
