"""report: the full customer analysis as one document (HTML or Markdown), composed of the other
analyses.

It follows the steps of writing a customer analysis (seed 000): data overview; segment the
existing customers (RFM, saved, so the later sections speak per segment); what drives purchases
(bundles, up-sell paths, the journey) and what customers say (feedback, satisfaction); the CRM's
retention, loyalty and churn; the ideal customer (CLV by segment, profitability); the
hypothetical customer profiles (personas); then recommendations quoting the results' tables.
Each section runs one analysis through ``session.run(name, params)``; a section whose analysis
is not installed, or whose data is missing, says what would enable it instead of failing.
``SECTIONS`` is the whole plan, as data: edit it to add, drop or re-parameterise sections.

    custlens report --data orders.csv --data customers.csv --out report.html   (or report.md)

The HTML is self-contained (charts are PNG data URIs, the stylesheet is inline, no external URL),
with a table of contents and a print stylesheet. The Markdown writes its charts as PNG files in a
folder beside it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import itertools
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple

from pydantic import Field, field_validator

from custlens import cancel, hookimpl
from custlens.analysis import Analysis, OutputFile, ScopedParams
from custlens.answer import Answer, Provenance, Table
from custlens import kit
from custlens.errors import CustlensError, ParamsError, PluginError
from custlens.templates import environment, pct, render


class Section(NamedTuple):
    """One section of the report: its title, the analysis that fills it and with which params,
    what data it needs (said when it cannot run), the step of the analysis it serves, and a key
    naming its tables in the report's Answer (``<key>__<table>``; the analysis's name by default,
    set it when two sections run the same analysis)."""

    title: str
    analysis: str
    params: dict
    needs: str
    why: str = ""
    key: str = ""
    #: may run in a second conversation beside the report's own (``build_report``), taking the
    #: segment labels saved by then; it saves none itself
    beside: bool = False
    #: the keys of the sections this one waits for when sections overlap: for a beside section every
    #: earlier section that saves segments; otherwise to keep two large groupings apart (memory)
    after: tuple[str, ...] = ()


#: in the order of seed 000's steps: what the data holds; segment the existing customers; what
#: drives purchases (patterns, journey) and what customers and customer-facing staff hear (opinions,
#: satisfaction); what the CRM says about retention, loyalty and churn; the ideal customer (value,
#: profit); then the hypothetical customer profile (personas) built from all of it
SECTIONS: list[Section] = [
    Section("Data overview", "overview", {"breakdowns": True},
            "sales data (customer_id, order_id, order_date, amount) or a customers table",
            "What the data holds: customers, orders, revenue, the best products, markets and periods.",
            beside=True),
    Section("Segments: sizes and value", "segmentation", {"method": "rfm"},
            "sales data with customer_id, order_date and amount",
            "Step 1, segment the existing customers: which groups bring the value and deserve the focus. "
            "The RFM labels are saved, so the sections below can speak per segment."),
    Section("Purchase patterns and bundles", "basket", {},
            "order lines with order_id and product (two products or more in some orders)",
            "What drives purchases, part 1: what is bought together, the raw material for bundles and cross-selling."),
    Section("Up-sell paths", "basket", {"focus": "up_sell"},
            "order lines with product, price and order_date, with customers buying in the same category more than once",
            "Who moves from a cheaper product to a dearer one in the same category, and who has not yet.",
            key="upsell"),
    Section("Purchase journey", "journey", {},
            "touchpoint events (customer or session id, timestamp, stage or event)",
            "What drives purchases, part 2: the purchase process, and where customers drop off.",
            beside=True, after=("segmentation",)),
    Section("Opinions and feedback", "feedback", {},
            "feedback data (score and/or comment text)",
            "Steps 2 and 3, the survey and what customer-facing staff hear: scores, themes and complaints.",
            beside=True, after=("segmentation",)),
    Section("Satisfaction", "loyalty", {"focus": "satisfaction"},
            "feedback scores (NPS 0-10 or CSAT 1-5) with customer_id",
            "How satisfied customers are, and who the most and least satisfied are.", key="satisfaction",
            beside=True, after=("segmentation",)),
    Section("Cohorts and retention", "cohort", {},
            "sales with customer_id and order_date over several months",
            "Step 4, the CRM: how well each generation of customers comes back.",
            after=("journey", "feedback", "satisfaction")),
    Section("Loyalty", "loyalty", {},
            "repeat purchases (customer_id, order_date)",
            "Who keeps coming back: repeat purchase, retention and a loyalty index per customer."),
    Section("Churn", "churn", {},
            "sales over at least a year (or a churn flag in the customers data)",
            "Who has stopped or is about to stop buying, and the revenue at stake."),
    Section("Customer lifetime value by segment", "clv", {"by": ["segment"]},
            "at least a year of sales with customer_id, order_date and amount",
            "Step 5, the ideal customer: what a customer of each segment is worth over time."),
    Section("Profitability", "profitability", {},
            "a cost column in the sales data (map one with --map cost=COLUMN)",
            "The ideal customer, part 2: which customers and products earn money, and which cost more than they bring.",
            beside=True, after=("segmentation", "loyalty")),
    Section("Personas", "persona", {},
            "saved segments (the segmentation section); customer attributes (age, gender, country) make them richer",
            "Step 6, the hypothetical customer profile: a face on each segment, built from the findings above."),
]

#: the recommendation topics: the sections (keys) whose results speak to each, and the action
TOPICS: list[tuple[str, list[str], str]] = [
    ("Segments to focus on", ["segmentation", "clv", "persona"],
     "Put marketing and account care where the value is; describe each focus segment as a persona and "
     "check it in interviews (`spin` with kind=interview)."),
    ("Retention", ["churn", "cohort", "loyalty"],
     "Contact the customers at risk before they lapse (the churn section lists them), win back the lapsed with "
     "a reason to return, and ask what changed (`spin` with a customer)."),
    ("Up-sell", ["upsell"],
     "Offer the dearer product to the customers who buy the cheaper one and have not moved yet."),
    ("Cross-sell", ["basket"],
     "Bundle and recommend the products bought together; show the partner product at checkout."),
    ("Profit", ["profitability"],
     "Cap the discounts and returns of the loss makers, and check the traits they share before the next campaign."),
    ("Experience", ["feedback", "journey", "satisfaction"],
     "Fix the most frequent complaint first and the step of the purchase where most drop off; tell customers "
     "what changed."),
]


#: the steps of a customer analysis that the data alone cannot take, and the tool for each
NEXT_STEPS: list[tuple[str, str]] = [
    ("Survey what drives purchases (buying criteria, purchase process, demographics)",
     'ask "draft a survey about why customers buy"'),
    ("Interview customers of each focus segment to write and check its persona",
     'ask "write a customer interview guide"'),
    ("Collect what customer-facing staff hear most: share this report with sales and support",
     'ask "what should I ask in a discovery call" (SPIN questions)'),
    ("Rate the forces of your industry with evidence from this data", "`interview five_forces` in the shell"),
]


class ReportParams(ScopedParams):
    """The report of a period and/or some customers ("report for 2025", "full report for Germany"):
    every section whose analysis takes a period and filters answers for them (``SCOPE``)."""

    out: OutputFile | None = Field(None, description="also write the document here (.html or .md)")

    @field_validator("out")
    @classmethod
    def _document(cls, value):
        if value is not None and Path(value).suffix.lower() not in (".html", ".htm", ".md", ".markdown"):
            raise ValueError(f"cannot write a report to {Path(value).name}: use a name ending in .html or .md")
        return value


@dataclass
class Part:
    """A section as built: the analysis's answer, or why it is not there."""

    section: Section
    answer: Answer | None = None
    missing: str = ""

    @property
    def key(self) -> str:
        return self.section.key or self.section.analysis

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.section.title.lower()).strip("-")


@dataclass
class Report:
    parts: list[Part]
    recommendations: list[dict]
    sources: list[str]
    created: str = field(default_factory=lambda: dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    #: charts being drawn in a worker thread (``build_report``): waited for before the document is written
    _drawing: list = field(default_factory=list, repr=False, compare=False)

    def drawn(self) -> None:
        """Wait until the charts drawn beside the sections are done (an error is the document's to meet)."""
        while self._drawing:
            self._drawing.pop(0).exception()

    @property
    def present(self) -> list[Part]:
        return [p for p in self.parts if p.answer is not None]


# ---------------------------------------------------------------------- building
#: what a scoped report passes on to each section whose analysis has it
SCOPE = ("start", "end", "filters", "compare")


#: set to 1 to run the report's sections one at a time in its own conversation (no second
#: conversation, no chart thread): the reference the overlapped report is tested against
SERIAL_ENV = "CUSTLENS_REPORT_SERIAL"


def build_report(session, sections: list[Section] | None = None,
                 progress: Callable[[int, str], None] | None = None, scope: dict | None = None,
                 overlap: bool | None = None, draw: bool = True) -> Report:
    """Run each section's analysis; ``progress(steps done, title)`` is called before each one, in
    the plan's order, from the calling thread.
    ``scope`` (start, end, filters, compare) is passed on to the sections whose analyses take it;
    a section that cannot take it is run on all the data, and says so.

    ``overlap`` (default: on DuckDB, unless ``CUSTLENS_REPORT_SERIAL=1``): two lanes. The calling
    thread runs the sections not marked ``beside`` in ``session``, in the plan's order; one worker
    thread runs those marked ``beside``, in the plan's order, in a second conversation
    (``session.fork()``: a DuckDB connection of its own on the same database). A section first
    waits for the sections named in its ``after``; a beside section then takes the segment labels
    ``session`` held after the last of those run there (its labels at the start when none: so it
    names every earlier section that saves labels). ``draw`` (when overlapping):
    each section's charts are drawn (PNG, kept with its answer) in a third thread as soon as the
    section is done, so writing the document finds them drawn. Either way the report holds the
    same sections, in the same order, with the same answers as one run in the plan's order."""
    scope = {k: v for k, v in (scope or {}).items() if k in SCOPE and v}
    plan = list(sections or SECTIONS)
    if overlap is None:
        overlap = os.environ.get(SERIAL_ENV, "") not in ("1", "true", "yes") and \
            getattr(session.dataset.engine, "name", "") == "duckdb"
    if not overlap:
        parts = []
        for i, section in enumerate(plan):
            cancel.check()  # past the time limit: stop between sections (the running one was interrupted)
            if progress:
                progress(i, section.title)
            parts.append(_run_section(session, section, scope))
    else:
        parts = _overlapped(session, plan, scope, progress, draw)
    cancel.check()
    if progress:
        progress(len(parts), "recommendations")
    report = Report(parts, recommend(parts), [s.name for s in session.dataset.sources])
    report._drawing = parts.drawing if isinstance(parts, _Parts) else []
    return report


class _Parts(list):
    """The parts in the plan's order, with the chart drawings still running (``Report.drawn``)."""

    drawing: list


def _overlapped(session, plan: list[Section], scope: dict, progress, draw: bool) -> "_Parts":
    """``build_report``'s two lanes (see there). Shared between the threads: ``finished`` (an
    Event per section, set once, after what the section wrote), ``labels`` (written by the calling
    thread before the Event of the section it follows is set, read by the other after waiting on
    it), the parts list (each slot written by one thread) and ``drawing`` (appends). Sections run
    beside must have keys of their own (``Section.key``) when two run the same analysis."""
    from concurrent.futures import ThreadPoolExecutor

    keys = [s.key or s.analysis for s in plan]
    index = {k: i for i, k in enumerate(keys)}
    finished = {k: threading.Event() for k in keys}
    stop = threading.Event()
    pens = ThreadPoolExecutor(1, thread_name_prefix="custlens-report-charts") if draw else None
    drawing: list = []
    copies: list[str] = []
    parts: list = [None] * len(plan)
    #: main section index (-1: the start) -> (segments version, copy table, method) after it; written
    #: by the calling thread before the section's Event is set, read by the other after waiting on it
    labels: dict[int, tuple] = {}

    def done(i: int, part: Part) -> None:
        parts[i] = part
        if pens is not None and part.answer is not None and part.answer.charts:
            drawing.append(pens.submit(contextvars.copy_context().run, _draw, part.answer))

    def wait(section: Section) -> bool:
        for key in section.after:
            if key in finished:
                finished[key].wait()
        return not stop.is_set()

    def publish(i: int) -> None:
        """After main section ``i`` (or at the start): the saved segments as they are, copied to a
        table of the shared database when they changed (a temporary table is seen by its own
        connection only; made in the calling thread, which alone uses ``session``'s connection)."""
        ds = session.dataset
        before = labels[max(labels)] if labels else None
        if before is not None and before[0] == ds.segments_version:
            labels[i] = before
            return
        copy = None
        if ds.has_segments:
            copy = f"__custlens_report_segments_{next(_copies)}"
            ds.engine.execute(f"CREATE TABLE {copy} AS SELECT customer_id, segment FROM segments")
            copies.append(copy)
        labels[i] = (ds.segments_version, copy, ds.segment_method)

    def beside(side) -> None:
        try:
            _beside_lane(side)
        finally:  # stopped or failed: nothing left for the calling thread to wait for
            for event in finished.values():
                event.set()

    def _beside_lane(side) -> None:
        taken = labels[-1][0]
        if labels[-1][1] is not None:
            side.dataset.set_segments_sql(f"SELECT customer_id, segment FROM {labels[-1][1]}", labels[-1][2])
        for i, section in enumerate(plan):
            if not section.beside:
                continue
            if not wait(section):
                return
            # the labels saved by the last main section it waits for (the start's when none): the same
            # whichever lane is ahead
            version, copy, method = labels[max([index[k] for k in section.after
                                                if k in index and not plan[index[k]].beside] or [-1])]
            if version != taken:
                taken = version
                if copy is None:
                    side.dataset.clear_segments()
                else:
                    side.dataset.set_segments_sql(f"SELECT customer_id, segment FROM {copy}", method)
            try:
                done(i, _run_section(side, section, scope))
            finally:
                finished[keys[i]].set()

    side = session.fork()
    lane = ThreadPoolExecutor(1, thread_name_prefix="custlens-report-beside")
    try:
        publish(-1)
        running = lane.submit(contextvars.copy_context().run, beside, side)
        for i, section in enumerate(plan):
            cancel.check()  # past the time limit: stop between sections (the running one was interrupted)
            if not section.beside:
                wait(section)
                if running.done():
                    running.result()  # the other lane failed: its error, now
            if progress:
                progress(i, section.title)
            if section.beside:
                continue
            try:
                done(i, _run_section(session, section, scope))
                publish(i)
            finally:
                finished[keys[i]].set()
        running.result()
    finally:
        stop.set()
        for event in finished.values():  # a lane waiting for the other, which stopped: it stops too
            event.set()
        lane.shutdown(wait=True)
        side.close()
        for name in copies:
            try:
                session.dataset.engine.execute(f"DROP TABLE IF EXISTS {name}")
            except Exception:  # noqa: BLE001 - a closed connection: nothing left to drop
                pass
        if pens is not None:
            pens.shutdown(wait=False)
    out = _Parts(parts)
    out.drawing = drawing
    return out


def _run_section(session, section: Section, scope: dict) -> Part:
    """One section run through ``session.run``: its answer, or why it is not there."""
    if section.analysis not in session.analyses:
        return Part(section, missing=f"The {section.analysis} analysis is not installed. "
                                     f"This section needs {section.needs}.")
    try:
        params = params_for(section, session.dataset)
        fields = getattr(session.analyses[section.analysis].Params, "model_fields", {})
        params.update({k: v for k, v in scope.items() if k in fields})
        answer = session.run(section.analysis, params)
        unscoped = [k for k in scope if k not in fields]
        if unscoped:
            answer.warnings.insert(0, f"{section.title}: over all the data; {section.analysis} takes no "
                                      f"{' or '.join(dict.fromkeys('period' if k in ('start', 'end', 'compare') else k for k in unscoped))}")
        return Part(section, answer=answer)
    except cancel.Cancelled:
        raise  # stopped, not "not available with this data"
    except PluginError as exc:  # a bug in the analysis: said as such, the report goes on
        return Part(section, missing=f"The {section.analysis} analysis failed ({' '.join(str(exc).split())}); "
                                     "run it alone with --debug for the details.")
    except CustlensError as exc:
        reason = " ".join(str(exc).split())
        return Part(section, missing=f"Not available with this data: {reason} "
                                     f"This section needs {section.needs}.")


_copies = itertools.count(1)


def _draw(answer: Answer) -> None:
    """Draw every chart of ``answer`` into its PNG cache (``charts.chart_png``); one its table
    cannot draw is left for the document to leave out."""
    from custlens import charts

    for n in range(len(answer.charts)):
        try:
            charts.chart_png(answer, n)
        except CustlensError:
            continue


def scope_text(params: ReportParams) -> str:
    """"2025-01-01 to 2025-12-31; country = Germany": the scope a report was asked for, in words."""
    parts = []
    if params.compare:
        parts.append(" vs ".join(f"{a} to {b}" for a, b in params.compare))
    elif params.start or params.end:
        parts.append(f"{params.start or 'the start'} to {params.end or 'the end of the data'}")
    parts += [f"{c} = {', '.join(map(str, v))}" for c, v in params.filters.items()]
    return "; ".join(parts)


def params_for(section: Section, dataset) -> dict:
    """The section's params; a per-segment view (``by=["segment"]``) falls back to the whole when
    no segment labels are saved (the segmentation section could not run), rather than failing."""
    params = dict(section.params)
    if "segment" in params.get("by", []) and not dataset.has_segments:
        params["by"] = [b for b in params["by"] if b != "segment"]
    return params


def first_sentence(markdown: str) -> str:
    """The first sentence of a narrative, without Markdown emphasis or headings (a persona's
    "## Lukas, one of the Loyal" is its title, not a sentence)."""
    lines = [line for line in markdown.splitlines() if not re.match(r"\s*#{1,6}\s", line)]
    text = " ".join(" ".join(lines).replace("**", "").split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return (match.group(1) if match else text)[:400]


def recommend(parts: list[Part]) -> list[dict]:
    """One recommendation per topic from the results present: what the tables show (a reader per
    section, quoting their numbers; the first sentence of the narrative when it has none or its
    tables do not say) and the action. A topic no present section speaks to says which analysis would enable it."""
    present = {p.key: p.answer for p in parts if p.answer is not None}
    out = []
    for topic, keys, action in TOPICS:
        findings = []
        for key in keys:
            if key in present:
                reader = READERS.get(key)
                findings.append(reader and _read(reader, present[key]) or first_sentence(present[key].summary))
        if findings:
            out.append({"topic": topic, "findings": findings, "action": action, "enabled": True})
        else:
            names = dict.fromkeys(s.analysis for s in SECTIONS if s.key in keys or s.analysis in keys and not s.key)
            out.append({"topic": topic, "findings": [], "enabled": False,
                        "action": f"Run {' or '.join(names)} to recommend this (see the sections above)."})
    growth = _read(_read_growth, present["overview"]) if "overview" in present else None
    if growth:
        out.insert(0, {"topic": "Growth", "findings": [growth], "enabled": True,
                       "action": "Double down on the categories and markets that lead; check the ones that fall "
                                 "behind against the segments above."})
    return out


def _read(reader: Callable[[Answer], str | None], answer: Answer) -> str | None:
    """A reader's finding, or None when the answer lacks the table, rows or numbers it reads
    (another focus, an empty result, a rate that small data leaves empty)."""
    try:
        return reader(answer)
    except (KeyError, IndexError, ValueError, TypeError, StopIteration):
        return None


def _rows(answer: Answer, table: str) -> list[dict]:
    """The full frame of one of the answer's tables as dicts of plain values."""
    from custlens.answer import _plain

    frame = answer.table(table).frame
    return [{k: _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


def _measures(answer: Answer, table: str) -> dict:
    """A measure/value table as a dict."""
    return {r["measure"]: r["value"] for r in _rows(answer, table)}


def _read_growth(answer: Answer) -> str | None:
    trend, category = _rows(answer, "trend"), _rows(answer, "by_category")
    before, recent = trend[0]["revenue"], trend[1]["revenue"]
    if not before:
        return None
    top = category[0]
    return (f"Revenue of the {trend[1]['period']} is {'up' if recent >= before else 'down'} "
            f"{pct(abs(recent / before - 1))} on the period before; {top['category']} leads with "
            f"{pct(top['share of revenue'])} of revenue.")


def _read_segments(answer: Answer) -> str:
    focus = _rows(answer, "focus")[:2]
    said = " and ".join(f"{r['segment']} ({r['customers']:,} customers, {pct(r['share of customers'])} of customers, "
                        f"{pct(r['share of revenue'])} of revenue)" for r in focus)
    return f"Focus first on {said}."


def _read_clv(answer: Answer) -> str:
    """The segment worth most a customer: on the predicted CLV when the model ran, else on the
    net revenue to date (the historical CLV)."""
    head, segments = _measures(answer, "headline"), _rows(answer, "by_segment")
    if "average clv" in segments[0]:
        column, average = "average clv", head["average predicted CLV"]
        basis = f"predicted CLV over the next {head['horizon (months)']:.0f} months"
    else:
        column, average, basis = "average net_revenue", head["historical CLV (net revenue per customer)"], "net revenue"
    solid = [r for r in segments if not kit.small(r["customers"])]
    best = max(solid or segments, key=lambda r: r[column])
    said = (f"A {best['segment']} customer ({best['customers']:,} in the segment) is worth {best[column]:,.2f} of "
            f"{basis}, against {average:,.2f} for the average customer.")
    if kit.small(best["customers"]):
        said += f" Caveat: {kit.small_sample_note('the ' + str(best['segment']) + ' segment', best['customers'])}."
    top = max(segments, key=lambda r: r[column])
    if top is not best:
        said += (f" The {top['segment']} segment is higher ({top[column]:,.2f}) but has only {top['customers']:,} "
                 f"customers: too few to recommend on.")
    return said


def _read_personas(answer: Answer) -> str:
    first = _rows(answer, "personas")[0]
    return f"Meet the largest segment as {first['persona']} ({first['customers']:,} customers): see the personas section."


def _read_churn(answer: Answer) -> str:
    head = _measures(answer, "headline")
    return (f"{head['at risk']:,} customers are at risk, with {head['revenue per year at stake']:,.2f} of revenue a "
            f"year at stake; {pct(head['churn rate'])} of customers have already churned.")


def _read_cohorts(answer: Answer) -> str:
    at = answer.params.get("at", 3)
    sizes = {r["cohort"]: r["customers"] for r in _rows(answer, "cohort_sizes")}
    rows = [r for r in _rows(answer, "cohort_matrix") if r.get(str(at)) is not None]
    rows = [r for r in rows if not kit.small(sizes.get(r["cohort"]))] or rows  # small cohorts prove little
    best = max(rows, key=lambda r: r[str(at)])
    worst = min(rows, key=lambda r: r[str(at)])
    grain = answer.params.get("grain", "month")
    return (f"At {grain} {at}, the best cohort ({best['cohort']}) keeps {pct(best[str(at)])} of its customers buying, "
            f"the worst ({worst['cohort']}) {pct(worst[str(at)])}: find what the best did differently.")


def _read_loyalty(answer: Answer) -> str:
    head = _measures(answer, "loyalty_headline")
    retention = next(k for k in head if k.startswith("retention rate"))
    return (f"{pct(head['repeat purchase rate'])} of customers bought more than once; the {retention} is "
            f"{pct(head[retention])}.")


def _read_upsell(answer: Answer) -> str:
    path = _rows(answer, "upsell_paths")[0]
    return (f"{path['moved']:,} of {path['from_customers']:,} {path['from_product']} buyers ({pct(path['move_rate'])}) "
            f"moved up to {path['to_product']}; {path['not_yet']:,} have not yet.")


def _read_basket(answer: Answer) -> str:
    rule = _rows(answer, "rules")[0]
    return (f"{rule['consequents']} is bought with {rule['antecedents']} {rule['lift']:.1f} times more often than "
            f"chance ({pct(rule['confidence'])} of those baskets): offer it to {rule['antecedents']} buyers.")


def _read_profit(answer: Answer) -> str:
    head = _measures(answer, "headline")
    groups = {r["group"]: r for r in _rows(answer, "profitable_vs_unprofitable")}
    losing, earning = groups["loss-making"], groups["profitable"]
    said = (f"{head['loss-making customers']:,} customers lose money ({head['loss of the loss-makers']:,.2f}), "
            f"with a discount rate of {pct(losing['discount rate'])} against {pct(earning['discount rate'])} for the "
            f"profitable ones")
    traits = _rows(answer, "loss_maker_traits")
    if traits:
        t = traits[0]
        said += (f"; loss makers are {t['lift']:.2f} times as common where {t['attribute']} is {t['value']} "
                 f"({pct(t['loss-maker share'])} of {t['customers']:,} customers)")
    return said + "."


def _read_feedback(answer: Answer) -> str:
    complaints = [r for r in _rows(answer, "themes") if r["found in"] == "complaints"]
    top = max(complaints, key=lambda r: r["comments"])
    return (f"The most frequent complaint is \"{top['theme']}\": {top['comments']:,} comments ({pct(top['share'])} of "
            f"all), average score {top['average score']:.2f}.")


def _read_journey(answer: Answer) -> str:
    funnel = _rows(answer, "funnel")
    before, worst = max(zip(funnel, funnel[1:]), key=lambda pair: pair[1]["lost at step"])
    return (f"The biggest drop-off is from {before['stage']} to {worst['stage']}: {worst['lost at step']:,} lost, "
            f"{pct(worst['step conversion'])} go on.")


def _read_satisfaction(answer: Answer) -> str:
    s = _rows(answer, "satisfaction")[0]
    if "nps" in s:
        return (f"NPS is {s['nps']:.1f} over {s['answers']:,} answers: {pct(s['promoters'])} promoters, "
                f"{pct(s['detractors'])} detractors.")
    return first_sentence(answer.summary)


#: the section key -> the function reading its finding from the answer's tables
READERS: dict[str, Callable[[Answer], str | None]] = {
    "segmentation": _read_segments, "clv": _read_clv, "persona": _read_personas, "churn": _read_churn,
    "cohort": _read_cohorts, "loyalty": _read_loyalty, "upsell": _read_upsell, "basket": _read_basket,
    "profitability": _read_profit, "feedback": _read_feedback, "journey": _read_journey,
    "satisfaction": _read_satisfaction}


# ---------------------------------------------------------------------- as an Answer
def to_answer(report: Report) -> Answer:
    """The report as an Answer: a summary (findings, recommendations, what is missing) and every
    section's tables and charts, named ``<section key>__<table>``."""
    import pandas as pd

    tables = [Table.from_frame("sections", pd.DataFrame(
        [(p.section.title, p.section.analysis, "included" if p.answer else "not available",
          first_sentence(p.answer.summary) if p.answer else p.missing) for p in report.parts],
        columns=["section", "analysis", "status", "finding or what would enable it"]), "Sections")]
    charts = []
    for p in report.present:
        prefix = p.key + "__"
        for t in p.answer.tables:
            complete = t.complete  # a table an engine sent back the shown rows of stays so (its count too)
            table = Table.from_frame(prefix + t.name, t.frame, f"{p.section.title}: {t.title or t.name}",
                                     max_rows=max(len(t.rows), 1))
            if not complete:
                table.total_rows, table._frame = t.total_rows, None
            tables.append(table)
        charts += [c.model_copy(update={"table": prefix + c.table, "title": f"{p.section.title}: {c.title}"})
                   for c in p.answer.charts]
    summary = render("report.md.j2", report=report, full=False, first_sentence=first_sentence, images={},
                     md_table=None, folder="", next_steps=NEXT_STEPS)
    return Answer(analysis="report", title="Customer analysis", summary=summary, tables=tables, charts=charts,
                  warnings=[w for p in report.present for w in p.answer.warnings if w][:20],
                  follow_ups=["custlens report --out report.html", "what should I ask in a discovery call"],
                  provenance=Provenance(method="the analyses of each section run through the session; "
                                               "recommendations read from their results",
                                        sources=report.sources))


# ---------------------------------------------------------------------- documents
def write(report: Report, path: str | Path) -> list[Path]:
    """Write the report as HTML (.html, .htm) or Markdown (.md, with a folder of chart PNGs)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".markdown"):
        raise ParamsError(f"cannot write a report to {path.name}: use a name ending in .html or .md")
    if not path.parent.exists():
        raise ParamsError(f"{path.parent}: folder does not exist")
    if suffix in (".html", ".htm"):
        path.write_text(to_html(report), encoding="utf-8")
        return [path]
    from custlens.render import markdown_table

    folder = path.with_name(path.stem + "_charts")
    report.drawn()
    images = _chart_files(report, folder)
    path.write_text(render("report.md.j2", report=report, full=True, images=images, first_sentence=first_sentence,
                           md_table=markdown_table, folder=folder.name, next_steps=NEXT_STEPS) + "\n",
                    encoding="utf-8")
    return [path, *[p for files in images.values() for p, _ in files]]


def _chart_files(report: Report, folder: Path) -> dict[str, list[tuple[Path, str]]]:
    """Each present section's charts as PNG files in ``folder/<section>``; a chart its table
    cannot draw is left out."""
    from custlens import charts

    out: dict[str, list[tuple[Path, str]]] = {}
    for p in report.present:
        for i, c in enumerate(p.answer.charts):
            try:
                written = charts.save(p.answer, folder / p.anchor, chart=i)
            except CustlensError:
                continue
            out.setdefault(p.anchor, []).append((written[0], c.title))
    return out


def _images(answer: Answer) -> list[tuple[str, str]]:
    """(title, data URI) per chart, drawn once per answer (``charts.chart_png``: the report's worker
    thread has drawn them already); a chart its table cannot draw is left out."""
    import base64

    from custlens import charts

    out = []
    for n, c in enumerate(answer.charts):
        try:
            out.append((c.title, "data:image/png;base64," + base64.b64encode(charts.chart_png(answer, n)).decode("ascii")))
        except CustlensError:
            continue
    return out


def to_html(report: Report) -> str:
    from custlens.render import _md_to_html, cell

    report.drawn()  # one thread draws charts at a time
    env = environment()  # .html.j2 templates autoescape (custlens.templates.HTML_TEMPLATES)
    return env.get_template("report.html.j2").render(
        report=report, cell=cell, md=_md_to_html, images=_images, first_sentence=first_sentence,
        next_steps=NEXT_STEPS)


# ---------------------------------------------------------------------- the analysis
class CustomerReport(Analysis):
    name = "report"
    whole_history = True  # a comparison in force is not carried into it (Analysis.whole_history)
    title = "Customer analysis report"
    summary = "The full customer analysis in one document: segments, personas, bundles, CLV, retention, churn, profit, opinions and recommendations."
    examples = [
        "write the full customer analysis",
        "full customer analysis report",
        "make me a report of everything",
        "generate the complete customer report",
        "write a customer analysis document",
        "put all the analyses together in one report",
        "create an html report for management",
        "summarise everything about our customers in a report",
        "build the customer analysis report with recommendations",
        "end to end customer analysis",
        "export a complete report of our customers",
        "a report I can print for the board",
        "write up the whole customer study",
        "give me the complete analysis with charts",
        "full report with a table of contents",
    ]
    Params = ReportParams
    requires = {}
    requires_any = [{"transactions": ["customer_id"]}, {"customers": ["customer_id"]}]  # not a basket file alone

    def run(self, dataset, params: ReportParams, session=None) -> Answer:
        if session is None:
            raise CustlensError("the report composes other analyses and needs a session: run it through "
                                "Session.run or `custlens report`")
        steps = len(SECTIONS) + 2  # the sections, the recommendations, writing the file
        tell = session.progress or (lambda title, done, total: None)
        # in a conversation of its own: its RFM labels and its runs stay out of the user's (their
        # saved segments, their history), and it sees their mappings
        own = session.fork()
        try:
            scope = {k: getattr(params, k) for k in SCOPE}
            report = build_report(own, progress=lambda done, title: tell(title, done, steps), scope=scope,
                                  draw=params.out is not None)
        finally:
            own.close()
        answer = to_answer(report)
        said = scope_text(params)
        if said:
            answer.title += f" ({said})"
            answer.summary = f"Scope: {said}.\n\n" + answer.summary
        answer._document = lambda: to_html(report)  # the HTTP service's page opens it
        if params.out:
            tell("writing " + Path(params.out).name, steps - 1, steps)
            written = write(report, params.out)
            answer.summary += f"\n\nWritten to {written[0]}."
        tell("done", steps, steps)
        return answer


@hookimpl
def register_analyses(register):
    register(CustomerReport())
