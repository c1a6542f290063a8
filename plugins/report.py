"""report: the full customer analysis as one document (HTML or Markdown), composed of the other
analyses.

It follows the steps of writing a customer analysis: data overview, segments with their sizes and
value, personas, purchase patterns and bundles, the purchase journey, customer lifetime value,
cohorts and retention, churn and loyalty, profitability and opinions, then recommendations drawn
from the results. Each section runs one analysis through ``session.run(name, params)``; a section
whose analysis is not installed, or whose data is missing, says what would enable it instead of
failing. ``SECTIONS`` is the whole plan, as data: edit it to add, drop or re-parameterise sections.

    custlens report --data orders.csv --data customers.csv --out report.html   (or report.md)

The HTML is self-contained (charts are PNG data URIs, the stylesheet is inline, no external URL),
with a table of contents and a print stylesheet. The Markdown writes its charts as PNG files in a
folder beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

from pydantic import Field

from custlens import hookimpl
from custlens.analysis import Analysis, Params
from custlens.answer import Answer, Provenance, Table
from custlens.errors import CustlensError, ParamsError, PluginError
from custlens.templates import environment, render


class Section(NamedTuple):
    """One section of the report: its title, the analysis that fills it and with which params,
    what data it needs (said when it cannot run), and the step of the analysis it serves."""

    title: str
    analysis: str
    params: dict
    needs: str
    why: str = ""


SECTIONS: list[Section] = [
    Section("Data overview", "overview", {},
            "sales data (customer_id, order_id, order_date, amount) or a customers table",
            "What the data holds: customers, orders, revenue, the best products, markets and periods."),
    Section("Segments: sizes and value", "segmentation", {},
            "the segmentation analysis and sales data with customer_id, order_date and amount",
            "Segmenting existing customers shows which groups bring the value and deserve the focus."),
    Section("Personas", "persona", {},
            "the persona analysis; customer attributes (age, gender, country, industry) make personas richer",
            "A persona puts a face on each segment: who they are, what they buy, what they need."),
    Section("Purchase patterns and bundles", "basket", {},
            "the basket analysis and order lines with order_id and product",
            "What is bought together: the raw material for bundles and cross-selling."),
    Section("Purchase journey", "journey", {},
            "the journey analysis and touchpoint events (customer or session id, timestamp, stage or event)",
            "Where in the purchase process customers drop off."),
    Section("Customer lifetime value", "clv", {},
            "the clv analysis and at least a year of sales with customer_id, order_date and amount",
            "What a customer is worth over time: how much to spend on winning and keeping them."),
    Section("Cohorts and retention", "cohort", {},
            "the cohort analysis and sales with customer_id and order_date over several months",
            "How well each generation of customers comes back."),
    Section("Churn", "churn", {},
            "the churn analysis and sales over at least a year (or a churn flag in the customers data)",
            "Who has stopped or is about to stop buying."),
    Section("Loyalty", "loyalty", {},
            "the loyalty analysis and repeat purchases (customer_id, order_date), or NPS scores in feedback",
            "Who keeps coming back and recommends you."),
    Section("Profitability", "profitability", {},
            "the profitability analysis and a cost column in the sales data (map one with --map cost=COLUMN)",
            "Which customers and products earn money, and which cost more than they bring."),
    Section("Opinions and feedback", "feedback", {},
            "the feedback analysis and feedback data (score and/or comment text)",
            "What customers say: scores, themes and complaints."),
]

#: the recommendation topics and the analyses whose results speak to them, most specific first
TOPICS: list[tuple[str, list[str], str]] = [
    ("Segments to focus on", ["segmentation", "clv", "persona"],
     "Put marketing and account care where the value is; describe each focus segment as a persona and "
     "check it in interviews (`spin` with kind=interview)."),
    ("Retention", ["churn", "cohort", "loyalty"],
     "Contact customers before they lapse, win back the lapsed with a reason to return, and ask what "
     "changed (`spin` with a customer)."),
    ("Up-sell", ["clv", "loyalty", "segmentation"],
     "Offer the next tier (larger sizes, premium lines, subscriptions) to repeat buyers with room to grow."),
    ("Cross-sell", ["basket"],
     "Bundle and recommend the products bought together; show the partner product at checkout."),
    ("Profit and experience", ["profitability", "feedback", "journey"],
     "Fix what loses money or customers: deep discounts, returns, the step where most drop off, recurring complaints."),
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


class ReportParams(Params):
    out: str | None = Field(None, description="also write the document here (.html or .md)")


@dataclass
class Part:
    """A section as built: the analysis's answer, or why it is not there."""

    section: Section
    answer: Answer | None = None
    missing: str = ""

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.section.title.lower()).strip("-")


@dataclass
class Report:
    parts: list[Part]
    recommendations: list[dict]
    sources: list[str]
    created: str = field(default_factory=lambda: dt.datetime.now().strftime("%Y-%m-%d %H:%M"))

    @property
    def present(self) -> list[Part]:
        return [p for p in self.parts if p.answer is not None]


# ---------------------------------------------------------------------- building
def build_report(session, sections: list[Section] | None = None,
                 progress: Callable[[int, str], None] | None = None) -> Report:
    """Run each section's analysis; ``progress(steps done, title)`` is called before each one."""
    parts = []
    for i, section in enumerate(sections or SECTIONS):
        if progress:
            progress(i, section.title)
        if section.analysis not in session.analyses:
            parts.append(Part(section, missing=f"The {section.analysis} analysis is not installed. "
                                               f"This section needs {section.needs}."))
            continue
        try:
            parts.append(Part(section, answer=session.run(section.analysis, dict(section.params))))
        except PluginError as exc:  # a bug in the analysis: said as such, the report goes on
            parts.append(Part(section, missing=f"The {section.analysis} analysis failed ({' '.join(str(exc).split())}); "
                                               "run it alone with --debug for the details."))
        except CustlensError as exc:
            reason = " ".join(str(exc).split())
            parts.append(Part(section, missing=f"Not available with this data: {reason} "
                                               f"This section needs {section.needs}."))
    if progress:
        progress(len(parts), "recommendations")
    return Report(parts, recommend(parts), [s.name for s in session.dataset.sources])


def first_sentence(markdown: str) -> str:
    """The first sentence of a narrative, without Markdown emphasis."""
    text = " ".join(markdown.replace("**", "").split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return (match.group(1) if match else text)[:400]


def recommend(parts: list[Part]) -> list[dict]:
    """One recommendation per topic from the results present: what the data shows (a specific
    reading where the answer's tables allow one, else its first finding) and the action. A topic
    no present analysis speaks to says which analysis would enable it."""
    present = {p.section.analysis: p.answer for p in parts if p.answer is not None}
    out = []
    for topic, analyses, action in TOPICS:
        findings = []
        for name in analyses:
            if name in present:
                specific = READERS.get(name, lambda a: None)(present[name])
                findings.append(specific or first_sentence(present[name].summary))
        if findings:
            out.append({"topic": topic, "findings": findings[:2], "action": action, "enabled": True})
        else:
            out.append({"topic": topic, "findings": [], "enabled": False,
                        "action": f"Run {' or '.join(analyses)} to recommend this (see the sections above)."})
    overview = present.get("overview")
    if overview is not None:
        growth = _read_growth(overview)
        if growth:
            out.insert(0, {"topic": "Growth", "findings": [growth], "enabled": True,
                           "action": "Double down on the categories and markets that lead; check the ones that fall "
                                     "behind against the segments above."})
    return out


def _table_with(answer: Answer, *patterns: str):
    """The first table having a column matching each regex pattern, with those columns."""
    for table in answer.tables:
        found = [next((c for c in table.columns if re.search(p, c, re.I)), None) for p in patterns]
        if all(found) and table.rows:
            return table, found
    return None, []


def _read_growth(answer: Answer) -> str | None:
    try:
        trend = answer.table("trend")
        category = answer.table("by_category")
    except KeyError:
        return None
    before, recent = trend.column("revenue")
    if not before:
        return None
    top = category.rows[0]
    share = dict(zip(category.columns, top)).get("share of revenue")
    return (f"Revenue of the {trend.rows[1][0]} is {'up' if recent >= before else 'down'} "
            f"{abs(recent / before - 1):.1%} on the period before; {top[0]} leads with "
            f"{share:.1%} of revenue." if share is not None else "")


def _read_segments(answer: Answer) -> str | None:
    table, cols = _table_with(answer, r"^segment", r"share.*revenue|revenue.*share")
    if table is None:
        return None
    segment, value = cols
    frame = table.frame
    best = frame.loc[frame[value].astype(float).idxmax()]
    size = ""
    if "customers" in table.columns:
        size = f" ({int(best['customers']):,} customers)"
    elif "share of customers" in table.columns:
        size = f" ({float(best['share of customers']):.1%} of customers)"
    return f"The {best[segment]} segment{size} brings the largest share of revenue: {float(best[value]):.1%}."


def _read_basket(answer: Answer) -> str | None:
    table, cols = _table_with(answer, r"antecedent|^item_?a|^product_?a|^if", r"consequent|^item_?b|^product_?b|^then",
                              r"lift")
    if table is None:
        return None
    a, b, lift = table.rows[0][table.columns.index(cols[0])], table.rows[0][table.columns.index(cols[1])], \
        table.rows[0][table.columns.index(cols[2])]
    return f"{b} is bought with {a} {float(lift):.1f} times more often than chance: offer it to {a} buyers."


READERS: dict[str, Callable[[Answer], str | None]] = {"segmentation": _read_segments, "basket": _read_basket}


# ---------------------------------------------------------------------- as an Answer
def to_answer(report: Report) -> Answer:
    """The report as an Answer: a summary (findings, recommendations, what is missing) and every
    section's tables and charts, named ``<analysis>__<table>``."""
    import pandas as pd

    tables = [Table.from_frame("sections", pd.DataFrame(
        [(p.section.title, p.section.analysis, "included" if p.answer else "not available",
          first_sentence(p.answer.summary) if p.answer else p.missing) for p in report.parts],
        columns=["section", "analysis", "status", "finding or what would enable it"]), "Sections")]
    charts = []
    for p in report.present:
        prefix = p.section.analysis + "__"
        for t in p.answer.tables:
            table = Table.from_frame(prefix + t.name, t.frame, f"{p.section.title}: {t.title or t.name}",
                                     max_rows=max(len(t.rows), 1))
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
    """(title, data URI) per chart; a chart its table cannot draw is left out."""
    from custlens import charts

    out = []
    for c in answer.charts:
        try:
            out.append((c.title, charts.data_uri(answer, c)))
        except CustlensError:
            continue
    return out


def to_html(report: Report) -> str:
    from custlens.render import _md_to_html, cell

    env = environment().overlay(autoescape=True)
    return env.get_template("report.html.j2").render(
        report=report, cell=cell, md=_md_to_html, images=_images, first_sentence=first_sentence,
        next_steps=NEXT_STEPS)


# ---------------------------------------------------------------------- the analysis
class CustomerReport(Analysis):
    name = "report"
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

    def run(self, dataset, params: ReportParams, session=None) -> Answer:
        if session is None:
            raise CustlensError("the report composes other analyses and needs a session: run it through "
                                "Session.run or `custlens report`")
        report = build_report(session)
        answer = to_answer(report)
        if params.out:
            written = write(report, params.out)
            answer.summary += f"\n\nWritten to {written[0]}."
        return answer


@hookimpl
def register_analyses(register):
    register(CustomerReport())
