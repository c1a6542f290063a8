"""The report's sections overlapped (speed pass 10): the sections marked ``beside`` run in a second
conversation in a worker thread and the charts are drawn in another while the calling thread runs
the rest; the report is the same as the one made one section at a time (``overlap=False``,
``CUSTLENS_REPORT_SERIAL=1``): the same progress messages in the same order, the same sections,
summaries, warnings and tables, the same recommendations and the same chart PNG bytes."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import custlens
from custlens import Session, charts, demo
from custlens.analysis import Analysis
from custlens.answer import Answer, Table
from custlens.plugins import report as report_mod
from custlens.plugins.report import SECTIONS, Section, build_report, to_html

DEMO_FILES = ("orders.parquet", "customers.parquet", "feedback.parquet", "touchpoints.parquet")
RUN_SECTION = report_mod._run_section


class SegmentProbe(Analysis):
    """A stand-in that shows the segment labels its conversation holds, and the thread it ran in."""

    name = "stand_in_segment_probe"
    title = "Segment probe"
    examples = ["stand-in probe of the saved segments"]

    def run(self, dataset, params):
        if dataset.has_segments:
            frame = dataset.query("SELECT segment, count(*) AS customers FROM segments GROUP BY 1 ORDER BY 1")
        else:
            frame = pd.DataFrame({"segment": pd.Series([], dtype=object), "customers": pd.Series([], dtype="int64")})
        return Answer(analysis=self.name, title=self.title,
                      summary=f"{dataset.segment_method or 'no'} segments; in {threading.current_thread().name}",
                      tables=[Table.from_frame("labels", frame)])


class Crash(Analysis):
    """A stand-in with a bug, run beside: the report says it failed and goes on."""

    name = "stand_in_crash"
    title = "Crash"
    examples = ["stand-in that crashes"]

    def run(self, dataset, params):
        return {}["missing"]


class CostProbe(Analysis):
    """A stand-in that sums the cost its conversation reads."""

    name = "stand_in_cost_probe"
    title = "Cost probe"
    examples = ["stand-in probe of the cost"]

    def run(self, dataset, params):
        total = dataset.scalar("SELECT round(sum(cost), 2) FROM transactions")
        return Answer(analysis=self.name, title=self.title, summary=f"cost {total}")


class StandIns:
    @custlens.hookimpl
    def register_analyses(register):
        register(SegmentProbe())
        register(Crash())
        register(CostProbe())


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    demo.write(demo.generate(customers=1500, seed=3), out, format="parquet")
    return out


def _session(demo_dir, **kw):
    return Session(data=[str(demo_dir / name) for name in DEMO_FILES], entry_points=False, **kw)


def _built(demo_dir, overlap: bool, sections=None, monkeypatch=None):
    """(report, progress messages, {section title: thread name}) of one report in a fresh session."""
    ran: dict[str, str] = {}

    def recorded(session, section, scope):
        ran[section.title] = threading.current_thread().name
        return RUN_SECTION(session, section, scope)

    monkeypatch.setattr(report_mod, "_run_section", recorded)
    messages: list[tuple[int, str]] = []
    session = _session(demo_dir, plugins=[StandIns])
    report = build_report(session, sections=sections, progress=lambda i, t: messages.append((i, t)), overlap=overlap)
    return report, messages, ran, session


def _same_frame(a: pd.DataFrame, b: pd.DataFrame, where: str) -> None:
    """Equal up to the order of tied rows and the last bits of DuckDB's parallel float sums (two
    runs of the same serial code differ that much already)."""
    assert list(a.columns) == list(b.columns), where
    assert len(a) == len(b), where
    key = list(a.columns)
    try:
        a, b = a.sort_values(key, kind="stable"), b.sort_values(key, kind="stable")
    except TypeError:  # a column of mixed kinds: compared as shown
        pass
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=False,
                                  rtol=1e-9, atol=1e-9, obj=where)


def test_the_overlapped_report_is_the_report_made_one_section_at_a_time(demo_dir, monkeypatch):
    serial, said_serial, ran_serial, _ = _built(demo_dir, False, monkeypatch=monkeypatch)
    overlap, said_overlap, ran_overlap, _ = _built(demo_dir, True, monkeypatch=monkeypatch)
    # it did overlap: the beside sections ran in the worker thread, the others in the calling one
    main = threading.current_thread().name
    assert set(ran_serial.values()) == {main}
    for section in SECTIONS:
        assert (ran_overlap[section.title] != main) == section.beside, section.title
    assert any(s.beside for s in SECTIONS) and not all(s.beside for s in SECTIONS)
    # the same messages, in the plan's order
    assert said_overlap == said_serial == [(i, s.title) for i, s in enumerate(SECTIONS)] + \
        [(len(SECTIONS), "recommendations")]
    assert [p.section.title for p in overlap.parts] == [s.title for s in SECTIONS]
    assert len(overlap.present) == len(SECTIONS) == len(serial.present)
    assert overlap.recommendations == serial.recommendations
    for a, b in zip(serial.parts, overlap.parts):
        assert (a.missing, a.answer.summary, a.answer.warnings, a.answer.follow_ups) == \
            (b.missing, b.answer.summary, b.answer.warnings, b.answer.follow_ups), a.section.title
        assert [t.name for t in a.answer.tables] == [t.name for t in b.answer.tables]
        for ta, tb in zip(a.answer.tables, b.answer.tables):
            _same_frame(ta.frame, tb.frame, f"{a.section.title}: {ta.name}")
    # the charts: drawn beside the sections, the same PNG bytes as drawn after
    overlap.drawn()
    drawn = 0
    for a, b in zip(serial.parts, overlap.parts):
        for n in range(len(a.answer.charts)):
            try:
                expected = charts.png_bytes(a.answer, a.answer.charts[n])
            except custlens.errors.CustlensError:
                assert not charts.is_drawn(b.answer, n)
                continue
            assert charts.is_drawn(b.answer, n), (a.section.title, n)
            assert charts.chart_png(b.answer, n) == expected, (a.section.title, n)
            drawn += 1
    assert drawn >= 20
    assert to_html(overlap).count("data:image/png;base64,") == drawn


def test_a_section_beside_holds_the_segments_saved_by_the_sections_it_waits_for(demo_dir, monkeypatch):
    needs = "nothing"
    plan = [Section("Probe at the start", "stand_in_segment_probe", {}, needs, beside=True),
            Section("Segments", "segmentation", {"method": "rfm"}, needs),
            Section("Probe after the segments", "stand_in_segment_probe", {}, needs, beside=True,
                    after=("segmentation",), key="probe2"),
            Section("Crash beside", "stand_in_crash", {}, needs, beside=True, after=("segmentation",)),
            Section("Probe after the crash", "stand_in_segment_probe", {}, needs, beside=True,
                    after=("segmentation",), key="probe3")]
    serial, _, _, _ = _built(demo_dir, False, plan, monkeypatch)
    overlap, _, ran, session = _built(demo_dir, True, plan, monkeypatch)
    assert ran["Probe at the start"] != threading.current_thread().name
    first, seg, second, crash, third = overlap.parts
    # the first probe ran beside the segmentation and holds no labels, as when run before it
    assert first.answer.summary.startswith("no segments") and first.answer.table("labels").frame.empty
    # the later ones hold the RFM labels the report's conversation saved: the same counts per segment
    saved = session.dataset.query("SELECT segment, count(*) AS customers FROM segments GROUP BY 1 ORDER BY 1")
    assert len(saved) >= 4 and saved["customers"].sum() == seg.answer.table("segments").frame["customers"].sum()
    for probe in (second, third):
        assert probe.answer.summary.startswith("rfm segments")
        pd.testing.assert_frame_equal(probe.answer.table("labels").frame, saved, check_dtype=False)
    # a section beside that fails is said so, and the lane goes on
    assert crash.answer is None and crash.missing.startswith("The stand_in_crash analysis failed")
    for a, b in zip(serial.parts, overlap.parts):
        assert a.missing == b.missing
        if a.answer is not None:
            assert a.answer.summary.split("; in ")[0] == b.answer.summary.split("; in ")[0]
    # the copies of the labels handed to the second conversation are dropped
    left = session.dataset.engine.rows("SELECT count(*) FROM duckdb_tables() "
                                       "WHERE table_name LIKE '__custlens_report_segments%'")
    assert left == [(0,)]


def test_serial_by_switch(demo_dir, monkeypatch):
    """CUSTLENS_REPORT_SERIAL=1 runs every section in the calling thread, in the plan's order."""
    plan = [Section("Probe", "stand_in_segment_probe", {}, "nothing", beside=True),
            Section("Segments", "segmentation", {"method": "rfm"}, "nothing")]
    monkeypatch.setenv("CUSTLENS_REPORT_SERIAL", "1")
    ran: list[str] = []
    monkeypatch.setattr(report_mod, "_run_section",
                        lambda s, sec, scope: ran.append(threading.current_thread().name) or RUN_SECTION(s, sec, scope))
    report = build_report(_session(demo_dir, plugins=[StandIns]), sections=plan)
    assert ran == [threading.current_thread().name] * 2
    assert report.parts[0].answer.summary.startswith("no segments")
    monkeypatch.delenv("CUSTLENS_REPORT_SERIAL")
    ran.clear()
    build_report(_session(demo_dir, plugins=[StandIns]), sections=plan)
    assert ran[0] != threading.current_thread().name or ran[1] != threading.current_thread().name


def test_every_beside_section_names_the_sections_that_save_segments_before_it():
    """The plan's own rule: a section beside that comes after the segmentation waits for it (else it
    could run without the labels that the sections after the segmentation are meant to see)."""
    keys = [s.key or s.analysis for s in SECTIONS]
    for i, section in enumerate(SECTIONS):
        for key in section.after:
            assert key in keys[:i], (section.title, key)  # waits only for sections before it: no deadlock
        if section.beside and "segmentation" in keys[:i]:
            assert "segmentation" in section.after, section.title


def test_the_report_of_a_conversation_that_changed_a_mapping_reads_it_in_both_lanes(demo_dir):
    """A conversation's mapping lives in temporary views of its own connection; the report's
    conversation and its second one (forks of it) read the mapped data too, not the loaded data."""
    loaded = _session(demo_dir, plugins=[StandIns])
    conversation = loaded.fork()
    conversation.map("cost=discount")
    q = "SELECT round(sum(cost), 2) FROM transactions"
    mapped, unmapped = conversation.dataset.scalar(q), loaded.dataset.scalar(q)
    assert mapped == round(float(pd.read_parquet(demo_dir / "orders.parquet")["discount"].sum()), 2)
    assert mapped != unmapped
    own = conversation.fork()  # as the report does
    assert own.dataset.scalar(q) == own.fork().dataset.scalar(q) == mapped
    plan = [Section("Cost beside", "stand_in_cost_probe", {}, "nothing", beside=True),
            Section("Cost here", "stand_in_cost_probe", {}, "nothing")]
    report = build_report(own, sections=plan)
    assert [p.answer.summary for p in report.parts] == [f"cost {mapped}"] * 2
    # a fork of a conversation that changed nothing shares the loaded data's views and tables
    plain = loaded.fork().fork()
    assert plain.dataset.data_version == loaded.dataset.data_version and plain.dataset.scalar(q) == unmapped


def test_a_fork_of_a_conversation_that_loaded_a_frame_or_file_reads_it(demo_dir):
    """What a conversation loaded (a frame: a temporary table of its connection; a file) is there in
    the report's conversations too, and in forks of those."""
    loaded = Session(data=[str(demo_dir / "orders.parquet")], entry_points=False)
    conversation = loaded.fork()
    feedback = pd.read_parquet(demo_dir / "feedback.parquet")
    conversation.dataset.add_frame("survey", feedback, "feedback")
    events = loaded.fork()
    events.load(str(demo_dir / "touchpoints.parquet"))
    own = conversation.fork()
    assert own.dataset.scalar("SELECT count(*) FROM feedback") == own.fork().dataset.scalar(
        "SELECT count(*) FROM feedback") == len(feedback)
    assert events.fork().fork().dataset.scalar("SELECT count(*) FROM events") == \
        len(pd.read_parquet(demo_dir / "touchpoints.parquet"))
    assert not loaded.dataset.has("feedback")
