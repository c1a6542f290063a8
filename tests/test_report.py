"""report: every section of SECTIONS is in the document; present ones carry exactly their
analysis's tables, absent ones say what would enable them; recommendations read the results;
the HTML is well-formed and self-contained; the Markdown and the CLI command."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from click.testing import CliRunner

import custlens
from custlens import Session, demo
from custlens.analysis import Analysis
from custlens.answer import Answer, Chart, Table
from custlens.cli import cli
from custlens.errors import DataError
from custlens.plugins.report import SECTIONS, Part, Section, build_report, recommend, to_answer, to_html, write


# ---------------------------------------------------------------------- stand-ins (named apart from the real ones)
class Basket(Analysis):
    """A stand-in basket: the most frequent pair of products in one order, from the data."""

    name = "stand_in_basket"
    title = "Bundles"
    examples = ["stand-in pairs of products"]

    def run(self, dataset, params):
        frame = dataset.query("""
            SELECT a.product AS antecedent, b.product AS consequent, count(DISTINCT a.order_id) AS orders
            FROM transactions a JOIN transactions b ON a.order_id = b.order_id AND a.product < b.product
            GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 5""")
        frame["lift"] = [9.5, 8.0, 7.0, 6.0, 5.0][:len(frame)]
        return Answer(analysis=self.name, title=self.title, summary="Pairs bought together.",
                      tables=[Table.from_frame("rules", frame, "Rules")],
                      charts=[Chart(kind="network", title="Bought together", table="rules", x="antecedent",
                                    y=["consequent"], options={"value": "lift"})])


class Churn(Analysis):
    name = "stand_in_churn"
    title = "Churn"
    examples = ["stand-in churn that fails"]

    def run(self, dataset, params):
        raise DataError("churn needs a churn flag or a year of orders; map one with --map churned=COLUMN")


class Broken(Analysis):
    name = "stand_in_broken"
    title = "Broken"
    examples = ["stand-in with a bug"]

    def run(self, dataset, params):
        return {}["missing"]


class StandIns:
    @custlens.hookimpl
    def register_analyses(register):
        register(Basket())
        register(Churn())
        register(Broken())


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    demo.write(demo.generate(customers=1200, seed=11), out, format="parquet")
    return out


@pytest.fixture(scope="module")
def session(demo_dir):
    return Session(data=[str(demo_dir / "orders.parquet"), str(demo_dir / "customers.parquet")], entry_points=False)


@pytest.fixture(scope="module")
def with_stand_ins(demo_dir):
    return Session(data=[str(demo_dir / "orders.parquet")], plugins=[StandIns], entry_points=False)


#: a plan whose analyses are known whatever else is installed: one that works, one that fails on
#: this data, one that does not exist
PLAN = [SECTIONS[0], Section("Bundles", "stand_in_basket", {}, "order lines with order_id and product"),
        Section("Churn", "stand_in_churn", {}, "a churn flag or a year of orders"),
        Section("Lifetime value", "no_such_analysis", {}, "the no_such_analysis plugin"),
        Section("Broken", "stand_in_broken", {}, "nothing")]


@pytest.fixture(scope="module")
def report(session):
    return build_report(session)


@pytest.fixture(scope="module")
def html(report):
    return to_html(report)


# ---------------------------------------------------------------------- sections
def test_every_section_is_there(report, session):
    assert [p.section.title for p in report.parts] == [s.title for s in SECTIONS]
    for part in report.parts:
        installed = part.section.analysis in session.analyses
        if part.answer is None:
            assert part.section.needs in part.missing
            assert ("is not installed" in part.missing) != installed
        else:
            assert installed


def test_present_sections_carry_their_analysis_tables(report, session):
    overview = next(p for p in report.parts if p.section.analysis == "overview").answer
    fresh = session.run("overview")
    assert [t.name for t in overview.tables] == [t.name for t in fresh.tables]
    for mine, theirs in zip(overview.tables, fresh.tables):
        assert mine.rows == theirs.rows
    answer = to_answer(report)
    assert answer.table("overview__headline").rows == fresh.table("headline").rows
    assert len(answer.table("overview__by_product").frame) == len(fresh.table("by_product").frame)
    assert [c.table for c in answer.charts] == [f"overview__{c.table}" for c in fresh.charts]


def test_absent_and_failing_sections_say_what_would_enable_them(with_stand_ins):
    built = build_report(with_stand_ins, PLAN)
    by = {p.section.analysis: p for p in built.parts}
    assert by["stand_in_basket"].answer is not None and by["stand_in_basket"].answer.table("rules").rows
    assert by["stand_in_churn"].answer is None
    assert "Not available with this data: churn needs a churn flag" in by["stand_in_churn"].missing
    assert "This section needs a churn flag or a year of orders." in by["stand_in_churn"].missing
    assert by["no_such_analysis"].missing == ("The no_such_analysis analysis is not installed. This section needs "
                                              "the no_such_analysis plugin.")
    assert by["stand_in_broken"].missing.startswith("The stand_in_broken analysis failed (plugin 'StandIns' failed: "
                                                    "analysis 'stand_in_broken' raised KeyError")
    # the summary lists the sections that are not there, and why
    summary = to_answer(built).summary
    assert "- Churn: Not available with this data" in summary
    assert "- Lifetime value: The no_such_analysis analysis is not installed" in summary


def test_recommendations_come_from_the_results(with_stand_ins):
    overview = with_stand_ins.run("overview")
    rules = with_stand_ins.run("stand_in_basket")
    recs = {r["topic"]: r for r in recommend([Part(SECTIONS[0], overview),
                                               Part(Section("Bundles", "basket", {}, ""), rules)])}
    a, b = rules.table("rules").rows[0][:2]
    assert recs["Cross-sell"]["enabled"]
    assert recs["Cross-sell"]["findings"] == [f"{b} is bought with {a} 9.5 times more often than chance: offer it "
                                              f"to {a} buyers."]
    assert not recs["Retention"]["enabled"] and "churn or cohort or loyalty" in recs["Retention"]["action"]
    # growth from the overview's own tables
    before, recent = overview.table("trend").column("revenue")
    growth = recs["Growth"]["findings"][0]
    assert f"{abs(recent / before - 1):.1%}" in growth and overview.table("by_category").rows[0][0] in growth
    # a segmentation answer with a share of revenue per segment names the segment that brings the most
    frame = pd.DataFrame({"segment": ["vip", "regular"], "customers": [100, 900], "share of revenue": [0.6, 0.4]})
    seg = Answer(analysis="segmentation", title="Segments", summary="Two segments.",
                 tables=[Table.from_frame("segments", frame)])
    recs = {r["topic"]: r for r in recommend([Part(SECTIONS[1], seg)])}
    assert recs["Segments to focus on"]["findings"] == [
        "The vip segment (100 customers) brings the largest share of revenue: 60.0%."]


def test_the_shell_question_routes_to_the_report(session, tmp_path):
    answer = session.ask("write the full customer analysis", params={"out": str(tmp_path / "r.html")})
    assert answer.analysis == "report"
    assert answer.table("sections").column("section") == [s.title for s in SECTIONS]
    assert (tmp_path / "r.html").exists() and f"Written to {tmp_path / 'r.html'}" in answer.summary


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


def test_text_from_the_data_is_escaped(tmp_path):
    orders = tmp_path / "orders.csv"
    pd.DataFrame({"customer_id": ["a", "b"], "order_id": ["1", "2"], "order_date": ["2024-01-01", "2024-02-01"],
                  "amount": [10.0, 20.0], "product": ["<script>alert(1)</script>", "Fine & dandy"]}).to_csv(orders, index=False)
    html = to_html(build_report(Session(data=[str(orders)], entry_points=False)))
    assert "<script>" not in html and "&lt;script&gt;" in html and "Fine &amp; dandy" in html


# ---------------------------------------------------------------------- Markdown and the CLI
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


def test_cli_report(demo_dir, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--data", str(demo_dir / "orders.parquet"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(rf"wrote {re.escape(str(out))}: \d+ of {len(SECTIONS)} sections", result.output)
    assert "Data overview" in out.read_text()
    bad = CliRunner().invoke(cli, ["report", "--data", str(demo_dir / "orders.parquet"), "--out", str(tmp_path / "r.pdf")])
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
