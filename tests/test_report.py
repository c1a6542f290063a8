"""report: every section of SECTIONS is in the document; present ones carry exactly their
analysis's tables, absent ones say what would enable them; recommendations read the results;
the HTML is well-formed and self-contained; the Markdown and the CLI command."""

from __future__ import annotations

import base64
import math
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from click.testing import CliRunner

import custlens
from custlens import Session, demo
from custlens.analysis import Analysis
from custlens.answer import Answer, Table
from custlens.cli import cli
from custlens.plugins.report import (SECTIONS, Part, Report, Section, build_report, params_for, recommend, to_answer,
                                     to_html, write)
from custlens.templates import pct


# ---------------------------------------------------------------------- a stand-in for a bug
class Broken(Analysis):
    """An analysis with a bug: the report says it failed and goes on (no real analysis has one)."""

    name = "stand_in_broken"
    title = "Broken"
    examples = ["stand-in with a bug"]

    def run(self, dataset, params):
        return {}["missing"]


class StandIns:
    @custlens.hookimpl
    def register_analyses(register):
        register(Broken())


DEMO_FILES = ("orders.parquet", "customers.parquet", "feedback.parquet", "touchpoints.parquet")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    demo.write(demo.generate(customers=2000, seed=11), out, format="parquet")
    return out


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory):
    """A small store for the tests that build the whole report once more (the shell, the CLI)."""
    out = tmp_path_factory.mktemp("small")
    demo.write(demo.generate(customers=300, seed=5), out, format="parquet")
    return out


@pytest.fixture(scope="module")
def session(demo_dir):
    return Session(data=[str(demo_dir / name) for name in DEMO_FILES], entry_points=False)


@pytest.fixture(scope="module")
def report(session):
    return build_report(session)


@pytest.fixture(scope="module")
def html(report):
    return to_html(report)


@pytest.fixture(scope="module")
def fresh(report, session):
    """Each section's analysis run again through the session, after the report (whose
    segmentation saved the labels the per-segment sections read)."""
    return {p.key: session.run(p.section.analysis, params_for(p.section, session.dataset)) for p in report.parts}


@pytest.fixture(scope="module")
def sales_only(demo_dir):
    """A transactions-only load: no feedback, no touchpoints, no customer attributes."""
    return build_report(Session(data=[str(demo_dir / "orders.parquet")], entry_points=False))


def same_rows(mine: Table, theirs: Table) -> bool:
    """The same full result: every row of the whole frame, in any order (some analyses leave ties
    unordered), floats to 1e-9 relative (DuckDB's parallel sums may add in another order)."""
    from custlens.answer import _plain

    def canon(table: Table) -> list[list]:
        rows = [list(map(_plain, row)) for row in table.frame.astype(object).itertuples(index=False)]
        return sorted(rows, key=lambda row: repr([round(v, 4) if isinstance(v, float) else v for v in row]))
    def same(x, y) -> bool:
        if isinstance(x, float) and isinstance(y, float):
            return math.isclose(x, y, rel_tol=1e-9)
        return x == y

    a, b = canon(mine), canon(theirs)
    return len(a) == len(b) and all(len(x) == len(y) and all(map(same, x, y)) for x, y in zip(a, b))


def by_key(report) -> dict:
    return {p.key: p for p in report.parts}


# ---------------------------------------------------------------------- sections
def test_every_section_is_there_with_its_analysis_tables(report, fresh):
    assert [p.section.title for p in report.parts] == [s.title for s in SECTIONS]
    assert len({p.key for p in report.parts}) == len(SECTIONS)  # the table prefixes do not collide
    answer = to_answer(report)
    for part in report.parts:
        assert part.answer is not None, part.missing  # the demo has every kind of data
        theirs = fresh[part.key]
        assert [t.name for t in part.answer.tables] == [t.name for t in theirs.tables], part.key
        for mine, other in zip(part.answer.tables, theirs.tables):
            assert same_rows(mine, other) and mine.total_rows == other.total_rows, (part.key, mine.name)
            assert same_rows(answer.table(f"{part.key}__{mine.name}"), other)
        assert [c.table for c in answer.charts if c.table.startswith(part.key + "__")] == \
            [f"{part.key}__{c.table}" for c in theirs.charts]
    assert answer.table("sections").column("status") == ["included"] * len(SECTIONS)


def test_sections_use_the_saved_rfm_segments(report, session):
    parts = by_key(report)
    assert parts["segmentation"].answer.params["method"] == "rfm" and session.dataset.segment_method
    segments = set(parts["segmentation"].answer.table("segments").column("segment"))
    assert set(parts["clv"].answer.table("by_segment").frame["segment"]) == segments
    assert set(parts["persona"].answer.table("personas").frame["segment"]) <= segments
    assert parts["satisfaction"].answer.table("satisfaction").rows  # feedback scores are there
    assert parts["upsell"].answer.table("upsell_paths").rows and parts["basket"].answer.table("rules").rows


def test_the_report_leaves_the_conversations_segments_and_history_alone(small_dir):
    s = Session(data=[str(small_dir / name) for name in DEMO_FILES], entry_points=False)
    s.run("segmentation", {"method": "kmeans", "k": 3})
    before = s.dataset.query("SELECT * FROM segments ORDER BY customer_id")
    s.chat("write the full customer analysis")
    assert s.history[-1].analysis == "report" and len(s.history) == 1
    assert s.dataset.segment_method == "kmeans"
    assert s.dataset.query("SELECT * FROM segments ORDER BY customer_id").equals(before)


def test_a_per_segment_section_falls_back_to_the_whole_without_saved_segments(demo_dir):
    clv = next(s for s in SECTIONS if s.analysis == "clv")
    plain = Session(data=[str(demo_dir / "orders.parquet")], entry_points=False)
    assert "segment" in clv.params["by"] and "segment" not in params_for(clv, plain.dataset)["by"]


def test_missing_data_says_what_would_enable_the_section(sales_only):
    parts = by_key(sales_only)
    absent = {k for k, p in parts.items() if p.answer is None}
    assert absent == {"journey", "feedback", "satisfaction"}
    for key in absent:
        assert parts[key].missing.startswith("Not available with this data: ")
        assert parts[key].missing.endswith(f"This section needs {parts[key].section.needs}.")
    assert "--data events=PATH" in parts["journey"].missing
    assert "--data feedback=PATH" in parts["feedback"].missing
    recs = {r["topic"]: r for r in sales_only.recommendations}
    assert not recs["Experience"]["enabled"] and "feedback" in recs["Experience"]["action"]
    summary = to_answer(sales_only).summary
    assert f"- Purchase journey: {parts['journey'].missing}" in summary
    # the sections that do not need them are there, and written
    assert {"segmentation", "clv", "persona", "churn", "cohort", "basket"} <= set(parts) - absent
    text = to_html(Report([p for p in sales_only.parts if p.answer is None], [], []))  # no charts to draw
    for key in absent:
        assert parts[key].missing.replace("'", "&#39;").replace('"', "&#34;") in text


#: one installed section, one analysis that is not installed, one with a bug
PLAN = [SECTIONS[0], Section("Lifetime value", "no_such_analysis", {}, "the no_such_analysis plugin"),
        Section("Broken", "stand_in_broken", {}, "nothing")]


def test_absent_and_failing_analyses_are_said_and_the_report_goes_on(demo_dir):
    built = build_report(Session(data=[str(demo_dir / "orders.parquet")], plugins=[StandIns], entry_points=False),
                         PLAN)
    parts = {p.section.analysis: p for p in built.parts}
    assert parts["overview"].answer is not None
    assert parts["no_such_analysis"].missing == ("The no_such_analysis analysis is not installed. This section needs "
                                                 "the no_such_analysis plugin.")
    assert parts["stand_in_broken"].missing.startswith("The stand_in_broken analysis failed (plugin 'StandIns' failed: "
                                                       "analysis 'stand_in_broken' raised KeyError")
    summary = to_answer(built).summary
    assert "- Lifetime value: The no_such_analysis analysis is not installed" in summary
    recs = {r["topic"]: r for r in built.recommendations}
    assert not recs["Retention"]["enabled"] and "cohort or loyalty or churn" in recs["Retention"]["action"]


# ---------------------------------------------------------------------- recommendations
def test_recommendations_quote_the_tables(report, fresh):
    recs = {r["topic"]: r for r in report.recommendations}
    assert all(r["enabled"] and r["findings"] for r in recs.values())
    said = lambda topic: " ".join(recs[topic]["findings"])  # noqa: E731
    # the segments to focus on are segmentation's focus table, in its order, and bring the value
    focus = fresh["segmentation"].table("focus").frame
    first, second = focus.iloc[0], focus.iloc[1]
    assert said("Segments to focus on").startswith(
        f"Focus first on {first['segment']} ({first['customers']:,} customers, {pct(first['share of customers'])} "
        f"of customers, {pct(first['share of revenue'])} of revenue) and {second['segment']}")
    assert first["share of revenue"] > first["share of customers"]
    by_segment = fresh["clv"].table("by_segment").frame  # no predictive model on this demo: net revenue to date
    best = by_segment.loc[by_segment["average net_revenue"].idxmax()]
    assert (f"A {best['segment']} customer ({best['customers']:,} in the segment) is worth "
            f"{best['average net_revenue']:,.2f} of net revenue") in said("Segments to focus on")
    # retention: churn's customers at risk and revenue at stake, the cohorts at month 3
    churn = dict(fresh["churn"].table("headline").rows)
    assert f"{churn['at risk']:,} customers are at risk, with {churn['revenue per year at stake']:,.2f}" in said("Retention")
    month3 = fresh["cohort"].table("cohort_matrix").frame.set_index("cohort")["3"].dropna()
    assert f"the best cohort ({month3.idxmax()}) keeps {pct(month3.max())}" in said("Retention")
    # up-sell and cross-sell from basket
    path = fresh["upsell"].table("upsell_paths").frame.iloc[0]
    assert (f"{path['moved']:,} of {path['from_customers']:,} {path['from_product']} buyers ({pct(path['move_rate'])}) "
            f"moved up to {path['to_product']}; {path['not_yet']:,} have not yet") in said("Up-sell")
    rule = fresh["basket"].table("rules").frame.iloc[0]
    assert said("Cross-sell").startswith(f"{rule['consequents']} is bought with {rule['antecedents']} "
                                         f"{rule['lift']:.1f} times more often than chance")
    # profit: the loss makers; experience: the most frequent complaint theme and the worst funnel step
    profit = dict(fresh["profitability"].table("headline").rows)
    assert said("Profit").startswith(f"{profit['loss-making customers']:,} customers lose money "
                                     f"({profit['loss of the loss-makers']:,.2f})")
    themes = fresh["feedback"].table("themes").frame
    top = themes[themes["found in"] == "complaints"].sort_values("comments").iloc[-1]
    assert f"\"{top['theme']}\": {top['comments']:,} comments ({pct(top['share'])} of all)" in said("Experience")
    funnel = fresh["journey"].table("funnel").frame
    worst = funnel.iloc[1:]["lost at step"].astype(int).idxmax()
    assert (f"from {funnel.loc[worst - 1, 'stage']} to {funnel.loc[worst, 'stage']}: "
            f"{int(funnel.loc[worst, 'lost at step']):,} lost") in said("Experience")
    # growth from the overview's own tables
    before, recent = fresh["overview"].table("trend").column("revenue")
    assert f"{pct(abs(recent / before - 1))}" in recs["Growth"]["findings"][0]


def test_clv_by_segment_reads_the_predicted_clv_when_the_model_ran():
    head = pd.DataFrame({"measure": ["horizon (months)", "average predicted CLV"], "value": [12.0, 279.48]})
    by_segment = pd.DataFrame({"segment": ["Loyal", "Lost"], "customers": [1163, 900], "share of customers": [0.2, 0.2],
                               "average clv": [640.5, 12.0], "total clv": [744901.5, 10800.0]})
    clv = Answer(analysis="clv", title="CLV", summary="CLV.", tables=[Table.from_frame("headline", head),
                                                                      Table.from_frame("by_segment", by_segment)])
    clv_section = next(s for s in SECTIONS if s.analysis == "clv")
    recs = {r["topic"]: r for r in recommend([Part(clv_section, clv)])}
    assert recs["Segments to focus on"]["findings"] == [
        "A Loyal customer (1,163 in the segment) is worth 640.50 of predicted CLV over the next 12 months, against "
        "279.48 for the average customer."]


def test_a_reader_missing_its_table_falls_back_to_the_narrative():
    seg = Answer(analysis="segmentation", title="Segments", summary="Two segments. The first is larger.",
                 tables=[Table.from_frame("segments", pd.DataFrame({"segment": ["a"], "customers": [1]}))])
    recs = {r["topic"]: r for r in recommend([Part(SECTIONS[1], seg)])}
    assert recs["Segments to focus on"]["findings"] == ["Two segments."]
    assert not recs["Cross-sell"]["enabled"] and recs["Cross-sell"]["action"].startswith("Run basket")


def test_the_shell_question_routes_to_the_report(small_dir):
    small = Session(data=[str(small_dir / name) for name in DEMO_FILES], entry_points=False)
    answer = small.ask("write the full customer analysis")
    assert answer.analysis == "report"
    assert answer.table("sections").column("section") == [s.title for s in SECTIONS]
    assert answer.table("sections").column("status") == ["included"] * len(SECTIONS)


# ---------------------------------------------------------------------- HTML
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(HTMLParser):
    """Balanced tags, and every src/href and id collected."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.links, self.ids, self.images = [], [], [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("src", "href"):
            if attrs.get(key) is not None:
                self.links.append(attrs[key])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'} at {self.getpos()}")
        else:
            self.stack.pop()


def test_html_is_well_formed_and_self_contained(html, report):
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert html.startswith("<!doctype html>")
    assert not [link for link in checker.links if re.match(r"\s*(https?:)?//", link, re.I)]
    assert "http://" not in html and "https://" not in html
    # the table of contents points at sections that exist
    anchors = [link[1:] for link in checker.links if link.startswith("#")]
    assert len(anchors) == len(SECTIONS) + 1 and set(anchors) <= checker.ids
    # charts are embedded PNGs
    assert len(checker.images) == sum(len(p.answer.charts) for p in report.present) > 0
    for src in checker.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "@media print" in html


def test_html_holds_every_section_and_the_overview_numbers(html, report, session):
    for section in SECTIONS:
        assert f"{section.title}</h2>" in html
    for part in report.parts:
        if part.answer is None:
            assert part.missing.replace("'", "&#39;") in html
    from custlens.render import cell

    headline = session.run("overview").table("headline")
    for measure, value in headline.rows:
        assert f"<td>{measure}</td><td" in html and f">{cell(value, 'value')}</td>" in html


def test_text_from_the_data_is_escaped_and_out_writes_the_document(tmp_path):
    orders = tmp_path / "orders.csv"
    pd.DataFrame({"customer_id": ["a", "b"], "order_id": ["1", "2"], "order_date": ["2024-01-01", "2024-02-01"],
                  "amount": [10.0, 20.0], "product": ["<script>alert(1)</script>", "Fine & dandy"]}).to_csv(orders, index=False)
    out = tmp_path / "r.html"
    answer = Session(data=[str(orders)], entry_points=False).run("report", {"out": str(out)})
    assert f"Written to {out}" in answer.summary
    html = out.read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html and "Fine &amp; dandy" in html


def test_markdown_with_chart_files(report, tmp_path):
    written = write(report, tmp_path / "analysis.md")
    text = written[0].read_text()
    for i, section in enumerate(SECTIONS, 1):
        assert f"## {i}. {section.title}" in text
    assert "## Recommendations" in text and "## Contents" in text
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert images and len(images) == len(written) - 1
    for rel in images:
        assert (tmp_path / rel).read_bytes()[:4] == b"\x89PNG"
    for part in report.parts:
        if part.answer is None:
            assert part.missing in text


def test_cli_report(small_dir, tmp_path):
    """A sales-only load through the CLI: the sections it allows, and which are not available."""
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--data", str(small_dir / "orders.parquet"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (f"wrote {out}: {len(SECTIONS) - 3} of {len(SECTIONS)} sections (not available: Purchase journey, "
            "Opinions and feedback, Satisfaction)") in result.output
    text = out.read_text()
    assert all(f"{section.title}</h2>" in text for section in SECTIONS) and "data:image/png;base64," in text
    bad = CliRunner().invoke(cli, ["report", "--data", str(small_dir / "orders.parquet"), "--out", str(tmp_path / "r.pdf")])
    assert bad.exit_code != 0 and "use a name ending in .html or .md" in bad.output


def test_the_steps_beyond_the_data_point_at_the_guided_tools(html, report, session):
    from custlens.plugins.report import NEXT_STEPS

    summary = to_answer(report).summary
    for step, how in NEXT_STEPS:
        assert step in summary and step in html
    # each question named routes where it says
    assert session.ask("draft a survey about why customers buy").params["kind"] == "survey"
    assert session.ask("write a customer interview guide").params["kind"] == "interview"
    assert session.ask("what should I ask in a discovery call").analysis == "spin"
