"""five_forces: Porter's Five Forces as a guided interview, with evidence from the data.

The questions, what a 1 and a 5 mean and the actions come from an editable YAML guide
(prompts_and_templates/five_forces.yaml, or a company's copy via ``guide=FILE``). Where the
sales data speaks, the analysis brings evidence itself, marked as evidence and never as a
verdict: buyer power from revenue concentration (share of the top 10 customers and the top 20%,
Herfindahl index) and from lost customers; rivalry from the sales trend and discount levels;
substitutes from categories that shrink; supplier power from the gross margin trend.

Three ways in:
- ``ask "five forces"`` (and HTTP, bots): the guide, the data evidence and how to continue;
- "interview five forces" (``interview five_forces [FILE]`` in the shell), in any conversation (shell,
  HTTP, bots): one force at a time (its questions, a 1-5 rating, the user's evidence), each answer a
  turn of the conversation (``Guided``), ``pause`` saves to FILE (YAML; by default in the
  conversation's folder), the same command resumes;
- ``--param interview=FILE``: the scorecard of a saved interview (complete or not).
The interview itself is :class:`Interview`, a pure state machine; :class:`Guided` holds it as the
state of a conversation (custlens.conversation's interview turns).
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field

from custlens import hookimpl
from custlens.analysis import Analysis, InputFile, Params
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.errors import CustlensError, DataError
from custlens.paths import load_yaml_mapping
from custlens.templates import guide as load_guide
from custlens.templates import pct, render

GUIDE = "five_forces.yaml"
DEFAULT_FILE = "five_forces_interview.yaml"
PAUSE_WORDS = {"pause", "stop", "quit", "exit", "later"}
SKIP_WORDS = {"skip", "-", "pass", "n/a"}


# ---------------------------------------------------------------------- the interview (pure)
class Interview:
    """One Five Forces interview: for each force its questions, then a 1-5 rating, then the
    evidence the rating rests on. Feed it answers with :meth:`answer`; :meth:`prompt` says what
    it asks next. ``to_state`` / ``from_state`` (and ``save`` / ``load``, YAML) pause and resume."""

    def __init__(self, guide: dict, guide_path: str | None = None):
        self.guide, self.guide_path = guide, guide_path
        self.forces: list[dict] = list(guide["forces"])
        self.force_index, self.step_index = 0, 0
        self.records = {f["key"]: {"answers": [None] * len(f["questions"]), "rating": None, "evidence": ""}
                        for f in self.forces}

    # where we are
    @property
    def done(self) -> bool:
        return self.force_index >= len(self.forces)

    @property
    def force(self) -> dict | None:
        return None if self.done else self.forces[self.force_index]

    @property
    def step(self) -> str | None:
        """'question', 'rating' or 'evidence'; None when done."""
        if self.done:
            return None
        n = len(self.force["questions"])
        return "question" if self.step_index < n else "rating" if self.step_index == n else "evidence"

    def prompt(self) -> str:
        force, step = self.force, self.step
        if step is None:
            return ""
        if step == "question":
            return f"{self.step_index + 1}. {force['questions'][self.step_index]}"
        if step == "rating":
            return f"How strong is {force['name'].lower()}, from 1 (weak) to 5 (strong)?"
        return "What is this rating based on (facts, figures, examples)?"

    # moving on
    def answer(self, text: str) -> str | None:
        """Record ``text`` for the current step and move on. Returns a message (and stays on the
        step) when the answer is not usable, e.g. a rating that is not 1-5."""
        if self.done:
            return "the interview is complete"
        text = (text or "").strip()
        skip = text.lower() in SKIP_WORDS
        record = self.records[self.force["key"]]
        if self.step == "question":
            record["answers"][self.step_index] = None if skip else text
        elif self.step == "rating":
            if not skip:
                rating = parse_rating(text)
                if rating is None:
                    return f"please rate from 1 to 5 (or `skip`): {self.force['name']} — 1 means " \
                           f"{self.force['low']}; 5 means {self.force['high']}"
                record["rating"] = rating
        else:
            record["evidence"] = "" if skip else text
            self.force_index, self.step_index = self.force_index + 1, 0
            return None
        self.step_index += 1
        return None

    @property
    def rated(self) -> int:
        return sum(r["rating"] is not None for r in self.records.values())

    # pause and resume
    def to_state(self) -> dict:
        return {"framework": "five_forces", "guide": self.guide_path,
                "position": {"force": self.force_index, "step": self.step_index},
                "forces": {k: dict(v) for k, v in self.records.items()}}

    @classmethod
    def from_state(cls, state: dict, guide: dict | None = None) -> "Interview":
        if not isinstance(state, dict) or state.get("framework") != "five_forces":
            raise DataError("this file is not a saved Five Forces interview (framework: five_forces is missing)")
        guide = guide or load_guide(GUIDE, state.get("guide"))
        iv = cls(guide, state.get("guide"))
        for key, saved in (state.get("forces") or {}).items():
            if key not in iv.records or not isinstance(saved, dict):
                continue
            record = iv.records[key]
            answers = list(saved.get("answers") or [])
            record["answers"] = (answers + [None] * len(record["answers"]))[:len(record["answers"])]
            rating = saved.get("rating")
            record["rating"] = rating if isinstance(rating, int) and 1 <= rating <= 5 else None
            record["evidence"] = str(saved.get("evidence") or "")
        pos = state.get("position") or {}
        iv.force_index = min(int(pos.get("force", 0)), len(iv.forces))
        iv.step_index = 0 if iv.done else min(int(pos.get("step", 0)), len(iv.force["questions"]) + 1)
        return iv

    def save(self, path: str | Path) -> Path:
        import yaml

        path = Path(path)
        path.write_text("# custlens Five Forces interview: resume with `interview five_forces "
                        f"{path}`\n" + yaml.safe_dump(self.to_state(), sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> "Interview":
        return cls.from_state(load_yaml_mapping(path, "interview"))

    # the result
    def scorecard(self):
        import pandas as pd

        scale = self.guide.get("scale", {})
        rows = [(f["name"], r["rating"], scale.get(r["rating"], "") if r["rating"] else "not rated",
                 r["evidence"], sum(a is not None for a in r["answers"]))
                for f in self.forces for r in [self.records[f["key"]]]]
        frame = pd.DataFrame(rows, columns=["force", "rating", "strength", "your evidence", "questions answered"])
        frame["rating"] = frame["rating"].astype("Int64")
        return frame


def parse_rating(text: str) -> int | None:
    """'4', '4/5', 'a 4', 'rating: 5' -> the rating; None unless exactly one number 1-5 is given."""
    numbers = re.findall(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])", text.replace("/5", " "))
    if len(numbers) != 1:
        return None
    value = float(numbers[0])
    return int(value) if value.is_integer() and 1 <= value <= 5 else None


def reading(guide: dict, average: float) -> dict:
    """The guide's overall reading for an average force strength."""
    for level in guide["readings"]:
        if average <= level["max_average"]:
            return level
    return guide["readings"][-1]


# ---------------------------------------------------------------------- evidence from the data
def data_evidence(dataset, filters: dict[str, list[str]] | None = None, top: int = 10) -> tuple[object, list[str]]:
    """Rows (force, evidence, value, points to) the sales data supports, and notes on what it
    could not say. Every row is evidence for the user to weigh, never a verdict. ``filters`` ("five
    forces for the Coffee category", "for the software accounts") keep the evidence to those sales; ``top``
    is how many of the biggest customers the concentration names ("the top 5 accounts' share")."""
    import pandas as pd

    rows: list[tuple] = []
    notes: list[str] = []
    if not dataset.has("transactions"):
        notes.append("no sales data loaded: load orders for evidence on buyer power, rivalry and substitutes")
        return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS), notes
    cols = dataset.columns("transactions")
    if not {"customer_id", "amount", "order_date"} <= cols:
        notes.append("the sales data lacks customer_id, amount or order_date: no evidence from it")
        return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS), notes
    where, args = dataset.scope(filters or {})
    if filters:
        said = "; ".join(f"{col} = {', '.join(map(str, vs))}" for col, vs in filters.items())
        notes.append(f"the evidence is from the sales of {said} only")
    _concentration(dataset, rows, where, args, top)
    span = dataset.query(f"SELECT min(order_date) AS first, max(order_date) AS last FROM transactions t WHERE {where}",
                         args).iloc[0]
    if pd.isna(span["first"]):
        notes.append("no sales in that scope: no evidence from the data")
        return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS), notes
    months = (span["last"].year - span["first"].year) * 12 + span["last"].month - span["first"].month
    end = (span["last"] + pd.Timedelta(days=1)).to_pydatetime()
    if months >= 12:
        _lost_customers(dataset, rows, end, where, args)
    else:
        notes.append("less than a year of sales: no evidence on lost customers")
    window = 12 if months >= 24 else 6 if months >= 12 else None
    if window:
        _trends(dataset, rows, end, window, cols, where, args)
    else:
        notes.append("less than a year of sales: no trend evidence (rivalry, substitutes, suppliers)")
    if dataset.has("customers") and "churned" in dataset.columns("customers"):
        rate = dataset.scalar("SELECT avg(CAST(churned AS DOUBLE)) FROM customers")
        if rate is not None:
            rows.append(("buyer_power", f"{pct(rate)} of customers are marked as churned in the customers data",
                         round(rate, 6), "stronger force" if rate >= 0.25 else "no clear sign"))
    notes.append("nothing in sales data speaks to the threat of new entrants: rate it from market knowledge")
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS), notes


EVIDENCE_COLUMNS = ["force", "evidence", "value", "points to"]


def _concentration(dataset, rows: list, where: str = "true", args: list | None = None, top: int = 10) -> None:
    c = dataset.query(f"""
        WITH c AS (SELECT t.customer_id, sum(t.amount) AS r FROM transactions t
                   WHERE t.customer_id IS NOT NULL AND {where} GROUP BY 1),
             ranked AS (SELECT r, row_number() OVER (ORDER BY r DESC, customer_id) AS rn, count(*) OVER () AS n,
                               sum(r) OVER () AS total FROM c WHERE r > 0)
        SELECT max(n) AS customers, sum(r) FILTER (WHERE rn <= ?) / max(total) AS top10,
               sum(r) FILTER (WHERE rn <= ceil(n * 0.2)) / max(total) AS top20,
               sum(power(100 * r / total, 2)) AS hhi
        FROM ranked""", [*(args or []), int(top)]).iloc[0]
    if not c["customers"]:
        return
    top10, top20, hhi = float(c["top10"]), float(c["top20"]), float(c["hhi"])
    rows.append(("buyer_power", f"the top {min(int(top), int(c['customers'])):,} of {int(c['customers']):,} customers "
                                f"bring {pct(top10)} of revenue",
                 round(top10, 6), "stronger force" if top10 >= 0.3 else "weaker force" if top10 < 0.1 else "no clear sign"))
    rows.append(("buyer_power", f"the top 20% of customers bring {pct(top20)} of revenue", round(top20, 6),
                 "stronger force" if top20 >= 0.8 else "no clear sign"))
    level = "highly concentrated" if hhi > 2500 else "moderately concentrated" if hhi >= 1500 else "unconcentrated"
    rows.append(("buyer_power", f"Herfindahl index of revenue across customers: {hhi:,.0f} of 10,000 ({level})",
                 round(hhi, 1), "stronger force" if hhi >= 1500 else "weaker force"))


def _lost_customers(dataset, rows: list, end, where: str = "true", args: list | None = None) -> None:
    """Customers who bought in the year before the last 6 months and not since: switching or churn."""
    lost = dataset.query(f"""
        WITH b AS (SELECT CAST(? AS TIMESTAMP) AS e),
             c AS (SELECT t.customer_id,
                          sum(t.amount) FILTER (WHERE t.order_date >= e - INTERVAL 18 MONTH
                                                  AND t.order_date < e - INTERVAL 6 MONTH) AS before,
                          count(*) FILTER (WHERE t.order_date >= e - INTERVAL 6 MONTH) AS since
                   FROM transactions t, b WHERE t.customer_id IS NOT NULL AND {where} GROUP BY 1)
        SELECT count(*) FILTER (WHERE before IS NOT NULL) AS active,
               count(*) FILTER (WHERE before IS NOT NULL AND since = 0) AS lost,
               sum(before) FILTER (WHERE since = 0) / sum(before) AS lost_revenue
        FROM c""", [end, *(args or [])]).iloc[0]
    if not lost["active"]:
        return
    share = lost["lost"] / lost["active"]
    rows.append(("buyer_power", f"{pct(share)} of the {int(lost['active']):,} customers who bought in the year before "
                 f"the last 6 months have not bought since ({pct(float(lost['lost_revenue'] or 0))} of that year's "
                 "revenue): customers switch or stop", round(float(share), 6),
                 "stronger force" if share >= 0.5 else "no clear sign"))
    rows.append(("rivalry", f"{int(lost['lost']):,} customers lost in the last 6 months: some may buy from rivals",
                 int(lost["lost"]), "stronger force" if share >= 0.5 else "no clear sign"))


def _trends(dataset, rows: list, end, months: int, cols: set, where: str = "true", args: list | None = None) -> None:
    discount = "sum(t.discount)" if "discount" in cols else "NULL"
    cost = "sum(t.cost)" if "cost" in cols else "NULL"
    category = "t.category" if "category" in cols else "'all'"
    frame = dataset.query(f"""
        WITH b AS (SELECT CAST(? AS TIMESTAMP) AS e)
        SELECT {category} AS category,
               CASE WHEN t.order_date >= e - INTERVAL {months} MONTH THEN 'recent' ELSE 'before' END AS period,
               sum(t.amount) AS revenue, {discount} AS discount, {cost} AS cost
        FROM transactions t, b
        WHERE t.order_date >= e - INTERVAL {2 * months} MONTH AND t.order_date < e AND {where} GROUP BY 1, 2""",
        [end, *(args or [])])
    total = frame.groupby("period")[["revenue", "discount", "cost"]].sum(min_count=1)
    if {"recent", "before"} - set(total.index) or not total.loc["before", "revenue"]:
        return
    span = f"the last {months} months against the {months} before"
    growth = total.loc["recent", "revenue"] / total.loc["before", "revenue"] - 1
    rows.append(("rivalry", f"revenue changed {pct(growth, sign=True)} in {span}: "
                 + ("a shrinking market makes rivals fight harder" if growth < 0 else "growth eases rivalry"),
                 round(float(growth), 6), "stronger force" if growth < 0 else "weaker force" if growth > 0.1
                 else "no clear sign"))
    if "discount" in cols:
        share = total["discount"] / (total["revenue"] + total["discount"])
        rows.append(("rivalry", f"discounts were {pct(share['recent'])} of list price in the last {months} months "
                     f"({pct(share['before'])} before): price competition", round(float(share["recent"]), 6),
                     "stronger force" if share["recent"] > share["before"] + 0.01 else "no clear sign"))
    if "category" in cols:
        wide = frame.pivot_table(index="category", columns="period", values="revenue", aggfunc="sum").fillna(0)
        wide = wide[wide.get("before", 0) > 0]
        if "recent" in wide and len(wide):
            change = (wide["recent"] / wide["before"] - 1).sort_values()
            falling = change[change < 0]
            text = (f"{len(falling)} of {len(change)} categories sold less in {span} (steepest: "
                    f"{falling.index[0]}, {pct(falling.iloc[0], sign=True)}): customers may be turning to substitutes"
                    if len(falling) else f"none of {len(change)} categories sold less in {span}")
            rows.append(("substitutes", text, int(len(falling)),
                         "stronger force" if len(falling) >= len(change) / 2 else "no clear sign"))
    if "cost" in cols and total["cost"].notna().all():
        margin = 1 - total["cost"] / total["revenue"]
        rows.append(("supplier_power", f"gross margin was {pct(margin['recent'])} in the last {months} months "
                     f"({pct(margin['before'])} before): falling margins may mean suppliers charge more",
                     round(float(margin["recent"]), 6),
                     "stronger force" if margin["recent"] < margin["before"] - 0.01 else "no clear sign"))


# ---------------------------------------------------------------------- the analysis
class FiveForcesParams(Params):
    guide: InputFile | None = Field(None, description="a company's own guide (YAML, same shape as the built-in)")
    interview: InputFile | None = Field(None, description="a saved interview (YAML) to score")
    filters: dict[str, list[str]] = Field(default_factory=dict, description="the part of the business the "
                                          "evidence is from (\"five forces for the Coffee category\"), as "
                                          "Dataset.scope takes them")
    top: int = Field(10, ge=1, le=100_000, description="how many of the biggest customers the concentration names "
                                                      "(\"what do the top 5 accounts represent\")")


class FiveForces(Analysis):
    name = "five_forces"
    title = "Five Forces"
    summary = "Porter's Five Forces: a guided interview on your industry, with evidence from your data."
    examples = [
        "five forces analysis",
        "run porter's five forces",
        "how attractive is our industry",
        "industry analysis with porter",
        "how strong is the bargaining power of our buyers",
        "what is the threat of substitutes for us",
        "how intense is competitive rivalry in our market",
        "threat of new entrants",
        "how much power do our suppliers have",
        "guide me through a five forces interview",
        "are we too dependent on a few big customers",
        "how concentrated is our revenue among customers",
        "herfindahl index of our customers",
        "competitive landscape assessment",
        "is our market attractive to compete in",
        "porter analysis scorecard",
        "customer concentration risk",
        "how much of our revenue comes from our biggest customers",
    ]
    Params = FiveForcesParams
    requires = {}

    def run(self, dataset, params: FiveForcesParams) -> Answer:
        evidence, notes = data_evidence(dataset, params.filters, params.top)
        if params.interview:
            iv = Interview.load(params.interview)
            return scorecard_answer(iv, evidence, notes, saved=params.interview)
        return guide_answer(load_guide(GUIDE, params.guide), evidence, notes, params.guide)

    # the guided interview, as conversation state (custlens.conversation): "interview five forces"
    # starts or resumes it in any front end, each line is an answer, "pause" saves it
    def guided_interview(self, session, path: Path, paused: "Guided | None" = None) -> "Guided":
        """The interview saved at ``path`` (resumed), else the one ``paused`` in this conversation,
        else a new one; its answers are written to ``path`` when paused or done."""
        if path.exists():
            return Guided(session, Interview.load(path), path, resumed=True)
        if paused is not None:
            paused.path = path
            paused.resumed = True
            return paused
        if not path.parent.exists():
            raise CustlensError(f"{path.parent}: folder does not exist")
        return Guided(session, Interview(load_guide(GUIDE)), path)


class Guided:
    """A Five Forces interview in a conversation: ``start`` says where it stands and asks the first
    question, ``answer(text)`` records a line and asks the next ("pause" saves it to ``path``), and
    the last answer is the scorecard. ``done`` / ``paused`` say when it has stopped."""

    name = "five_forces"

    def __init__(self, session, iv: Interview, path: Path, resumed: bool = False):
        self.session, self.iv, self.path, self.resumed = session, iv, path, resumed
        self.evidence, self.notes = data_evidence(session.dataset)
        self.shown: int | None = None
        self.done = self.paused = False

    def _step(self, lines: list[str]) -> Answer:
        iv = self.iv
        force = iv.force
        if self.shown != iv.force_index:
            self.shown = iv.force_index
            lines.append(f"Force {iv.force_index + 1} of {len(iv.forces)}: {force['name']}")
            lines.append(f"  1 means {force['low']}; 5 means {force['high']}.")
            for row in self.evidence[self.evidence.force == force["key"]].itertuples(index=False):
                lines.append(f"  data (evidence, not verdict): {row.evidence}")
        lines.append(iv.prompt())
        return Answer(analysis="interview", title=f"Five Forces interview: {force['name']}",
                      understood=f"interview five_forces · force {iv.force_index + 1} of {len(iv.forces)}",
                      summary="\n".join(lines), follow_ups=["pause"])

    def start(self) -> Answer:
        iv = self.iv
        self.paused = False
        if self.resumed:
            lines = [f"resuming {self.path}: {iv.rated} of {len(iv.forces)} forces rated"]
        else:
            lines = [f"{iv.guide['title']}. {' '.join(iv.guide['intro'].split())} (`pause` saves the interview; "
                     "the same command resumes it.)"]
        self.shown = None
        return self.finish() if iv.done else self._step(lines)

    def answer(self, text: str) -> Answer:
        if text.strip().lower().rstrip(".!") in PAUSE_WORDS:
            return self.pause()
        problem = self.iv.answer(text)
        if self.iv.done:
            return self.finish()
        return self._step([problem] if problem else [])

    def pause(self) -> Answer:
        iv = self.iv
        iv.save(self.path)
        self.paused = True
        return Answer(analysis="interview", title="Five Forces interview paused",
                      understood="interview five_forces · paused",
                      summary=f"paused with {iv.rated} of {len(iv.forces)} forces rated; saved {self.path}. "
                              f"Resume with: interview five_forces "
                              f"{self.path.name if self.session.confine_exports else self.path}",
                      follow_ups=["interview five_forces"])

    def finish(self) -> Answer:
        self.iv.save(self.path)
        self.done = True
        answer = scorecard_answer(self.iv, self.evidence, self.notes, saved=str(self.path))
        answer.understood = "interview five_forces · scorecard"
        return answer


def guide_answer(guide: dict, evidence, notes: list[str], guide_path: str | None) -> Answer:
    import pandas as pd

    frame = pd.DataFrame([(f["name"], len(f["questions"]), f["low"], f["high"]) for f in guide["forces"]],
                         columns=["force", "questions", "1 means", "5 means"])
    questions = pd.DataFrame([(f["name"], i, q) for f in guide["forces"] for i, q in enumerate(f["questions"], 1)],
                             columns=["force", "number", "question"])
    names = {f["key"]: f["name"] for f in guide["forces"]}
    evidence = evidence.assign(force=evidence.force.map(names).fillna(evidence.force))
    summary = render("five_forces_guide.md.j2", guide=guide, evidence=evidence.to_dict("records"), notes=notes,
                     guide_option=f" --param guide={guide_path}" if guide_path else "")
    return Answer(analysis="five_forces", title=guide["title"], summary=summary,
                  tables=[Table.from_frame("guide", frame, "The forces and what a 1 and a 5 mean"),
                          Table.from_frame("questions", questions, "The questions, force by force"),
                          Table.from_frame("evidence", evidence, "Data evidence (evidence, not verdict)")],
                  follow_ups=["interview five_forces", "how concentrated is our revenue among customers"],
                  warnings=[n for n in notes if n.startswith("no sales") or "lacks" in n],
                  provenance=Provenance(method="guide from five_forces.yaml; evidence by SQL over the transactions "
                                               "view (revenue concentration, lost customers, trends of the last "
                                               "period against the one before)"))


def scorecard_answer(iv: Interview, evidence, notes: list[str], saved: str | None = None) -> Answer:
    import pandas as pd

    card = iv.scorecard()
    ratings = card["rating"].dropna().astype(int)
    names = {f["key"]: f["name"] for f in iv.forces}
    evidence = evidence.assign(force=evidence.force.map(names).fillna(evidence.force))
    tables = [Table.from_frame("scorecard", card, "Five Forces scorecard (1 = weak force, 5 = strong force)")]
    warnings = []
    overall = None
    if len(ratings):
        average = round(float(ratings.mean()), 2)
        level = reading(iv.guide, average)
        overall = {"average": average, "attractiveness": round(6 - average, 2), "reading": level["reading"],
                   "meaning": level["meaning"], "rated": len(ratings)}
        tables.append(Table.from_frame("overall", pd.DataFrame(
            [("forces rated", len(ratings)), ("average force strength (1-5)", average),
             ("attractiveness (1-5)", round(6 - average, 2)), ("reading", level["reading"])],
            columns=["measure", "value"], dtype=object), "Overall"))
    if len(ratings) < len(iv.forces):
        warnings.append(f"{len(iv.forces) - len(ratings)} of {len(iv.forces)} forces are not rated yet"
                        + (f": resume with `interview five_forces {saved}`" if saved else ""))
    tables.append(Table.from_frame("evidence", evidence, "Data evidence (evidence, not verdict)"))
    by_name = {f["name"]: f for f in iv.forces}
    rated = [(row.force, int(row.rating)) for row in card.itertuples(index=False) if pd.notna(row.rating)]
    strong = [{"name": n, "rating": r, "actions": by_name[n].get("actions", [])} for n, r in
              sorted(rated, key=lambda x: -x[1]) if r >= 4]
    weak = [{"name": n, "rating": r} for n, r in rated if r <= 2]
    pushback = [n for n, r in rated if r <= 2 and (evidence[evidence.force == n]["points to"] == "stronger force").any()]
    summary = render("five_forces.md.j2", overall=overall, strong=strong, weak=weak, pushback=pushback,
                     middle=[n for n, r in rated if r == 3], total=len(iv.forces))
    return Answer(analysis="five_forces", title="Five Forces scorecard", summary=summary, tables=tables,
                  charts=[Chart(kind="bar", title="Strength of each force (1-5)", table="scorecard", x="force",
                                y=["rating"])],
                  warnings=warnings, follow_ups=["interview five_forces", "who are our top 20 customers by revenue"],
                  provenance=Provenance(method="ratings and evidence from the interview; the average force "
                                               "strength read against the guide's thresholds"))


@hookimpl
def register_analyses(register):
    register(FiveForces())
