"""The Python API for embedding: one Assistant, data loaded once, many conversations that never
see each other's state, answered from many threads, with a time limit and clear errors."""

import threading
import time

import pytest

from custlens import Assistant, cancel, hookimpl
from custlens.analysis import Analysis, Params
from custlens.answer import Answer
from custlens.errors import Busy, CannotAnswer, ParamsError, TimedOut, UnknownConversation


def revenue(answer):
    return answer.table("headline").frame.set_index("measure")["value"]["revenue"]


def test_ask_answers_on_its_own_and_keeps_nothing(assistant):
    before = assistant.conversations()
    answer = assistant.ask("total revenue by country")
    assert answer.analysis == "overview"
    assert assistant.conversations() == before
    with pytest.raises(CannotAnswer, match="can't answer 'why"):
        assistant.ask("why?")  # a question on its own: no earlier answer to explain


def test_conversations_keep_their_own_segments_and_filters(assistant):
    a, b = assistant.new_conversation(), assistant.new_conversation()
    assert a != b
    segmented = assistant.chat(a, "segment my customers")
    assert segmented.analysis == "segmentation"
    champions = assistant.chat(a, "revenue for the champions")
    assert champions.params["filters"] == {"segment": ["Champions"]}
    # b has no segments, neither as a filter nor as a table in its connection
    with pytest.raises(Exception, match="segments"):
        assistant.session(b).dataset.con.execute("SELECT * FROM segments")
    # a third conversation naming the champions computes its own (a's are not seen)
    c = assistant.new_conversation()
    theirs = assistant.chat(c, "revenue for the champions")
    assert any("no RFM segments were saved, so I computed" in w for w in theirs.warnings)
    assert not any("computed" in w for w in champions.warnings)
    whole = assistant.chat(b, "total revenue")
    assert revenue(whole) > revenue(champions)
    # the filter persists in a, not in b
    assert assistant.chat(a, "and by month").params["filters"] == {"segment": ["Champions"]}
    assert not assistant.chat(b, "and by month").params["filters"]


def test_a_mapping_changed_in_one_conversation_stays_there(assistant):
    a, b = "map-a", "map-b"
    gross = revenue(assistant.chat(b, "total revenue"))
    assistant.chat(a, "total revenue")
    net = revenue(assistant.chat(a, "use net_sales as the amount"))  # the last answer again, remapped
    assert net < gross
    assert revenue(assistant.chat(b, "total revenue")) == gross
    assert revenue(assistant.ask("total revenue")) == gross  # the shared data is untouched
    assert revenue(assistant.chat(a, "total revenue")) == net


def rounded(rows):
    """Floats to 9 significant digits: DuckDB's parallel sums may add in another order."""
    return [[float(f"{v:.9g}") if isinstance(v, float) else v for v in row] for row in rows]


def test_many_conversations_answer_in_parallel_threads_like_one_at_a_time(assistant):
    questions = ["total revenue by country", "segment my customers", "monthly cohort retention",
                 "what is bought together", "lifetime value of the top 10", "who is about to churn"]
    alone = {q: assistant.ask(q) for q in questions}
    results, errors = {}, []

    def converse(i):
        try:
            q = questions[i % len(questions)]
            results[i] = (q, assistant.chat(f"thread-{i}", q))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=converse, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert len(results) == 12
    for q, answer in results.values():
        assert answer.analysis == alone[q].analysis
        assert [rounded(t.rows) for t in answer.tables] == [rounded(t.rows) for t in alone[q].tables]


def test_one_question_at_a_time_per_conversation(assistant, misbehaving):
    misbehaving.gate.opened.clear()
    misbehaving.gate.entered.clear()
    worker = threading.Thread(target=assistant.chat, args=("busy", "open the pod bay doors hal"))
    worker.start()
    assert misbehaving.gate.entered.wait(10)
    with pytest.raises(Busy, match="still answering"):
        assistant.chat("busy", "total revenue")
    assert assistant.chat("not-busy", "total revenue").analysis == "overview"  # others go on
    misbehaving.gate.opened.set()
    worker.join(10)
    assert assistant.chat("busy", "total revenue").analysis == "overview"


def once_free(assistant, key, failure, seconds=10):
    """"total revenue" in conversation ``key`` as soon as it is no longer busy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return assistant.chat(key, "total revenue")
        except Busy:
            time.sleep(0.05)
    pytest.fail(failure)


def test_a_hanging_plugin_times_out_and_the_conversation_recovers(assistant, misbehaving):
    misbehaving.gate.opened.clear()
    started = time.monotonic()
    with pytest.raises(TimedOut, match="longer than 0.5 s"):
        assistant.chat("hang", "open the pod bay doors hal", timeout=0.5)
    assert time.monotonic() - started < 5
    with pytest.raises(Busy):
        assistant.chat("hang", "total revenue")
    misbehaving.gate.opened.set()
    assert once_free(assistant, "hang", "the conversation stayed busy after the plugin returned").analysis == "overview"


def test_a_long_query_is_interrupted_at_the_time_limit(assistant):
    started = time.monotonic()
    with pytest.raises(TimedOut):
        assistant.chat("grind", "grind the numbers forever", timeout=0.5)
    # the query was interrupted, so the conversation is free again within moments, not minutes
    assert once_free(assistant, "grind", "the query was not interrupted").analysis == "overview"
    assert time.monotonic() - started < 15


def test_unknown_conversation_and_limits(tmp_path, orders_csv):
    a = Assistant(data=[str(orders_csv)], entry_points=False, max_conversations=2)
    try:
        with pytest.raises(UnknownConversation, match="no conversation 'nope'"):
            a.chat("nope", "total revenue", create=False)
        for key in ("one", "two", "three"):
            a.chat(key, "total revenue")
        assert a.conversations() == ["two", "three"]  # the least recently used one was closed
        with pytest.raises(UnknownConversation):
            a.chat("one", "why?", create=False)
        assert a.close_session("two") and not a.close_session("two")
    finally:
        a.close()


def test_idle_conversations_are_closed(orders_csv):
    a = Assistant(data=[str(orders_csv)], entry_points=False, idle_seconds=0.2)
    try:
        a.chat("old", "total revenue")
        time.sleep(0.3)
        a.chat("new", "total revenue")
        assert a.conversations() == ["new"]
    finally:
        a.close()


def test_a_served_conversation_writes_exports_into_its_own_folder_only(assistant, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    turn = tmp_path / "turn"
    turn.mkdir()
    assistant.chat("export", "total revenue by country")
    answer = assistant.chat("export", f"export that to {elsewhere / 'mine.csv'}", export_dir=turn)
    assert answer.analysis == "export"
    assert not list(elsewhere.iterdir())  # a chat user does not choose where the server writes
    assert [p.name for p in turn.iterdir()]  # it went to this turn's folder, under its name
    assert all(p.name.startswith("mine") for p in turn.iterdir())


def test_a_file_loaded_in_one_conversation_stays_there_and_goes_with_it(assistant, tmp_path):
    feedback = tmp_path / "survey.csv"
    feedback.write_text("customer_id,date,score\nC000001,2024-01-05,9\nC000002,2024-01-06,3\n")
    session = assistant.session("loader")
    session.load(f"feedback={feedback}")
    relation = session.dataset.sources[-1].raw.relation
    assert session.dataset.scalar("SELECT count(*) FROM feedback") == 2
    other = assistant.session("no-loader")
    assert not other.dataset.has("feedback")
    with pytest.raises(Exception, match="feedback"):  # the view is the loading conversation's own
        other.dataset.con.execute("SELECT * FROM feedback")
    assert assistant.close_session("loader")
    left = assistant.base.dataset.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [relation]) + \
        assistant.base.dataset.scalar("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [relation])
    assert left == 0


class Patient(Analysis):
    """Works in Python, step by step, checking the documented flag (``custlens.cancel.check``)."""

    name, title, Params, requires = "patient", "Patient", Params, {}
    examples = ["count the sheep slowly", "sheep counting please", "count every sheep"]

    def __init__(self):
        self.done = []

    def run(self, dataset, params):
        for step in range(200):
            cancel.check()
            time.sleep(0.05)  # a step of work in Python
            self.done.append(step)
        return Answer(analysis=self.name, title="Counted")


class Stubborn(Analysis):
    """Never checks and swallows every error: each long query it starts must be interrupted."""

    name, title, Params, requires = "stubborn", "Stubborn", Params, {}
    examples = ["juggle the torches", "torch juggling now", "juggle every torch"]

    def __init__(self):
        self.queries = []

    def run(self, dataset, params):
        for _ in range(20):
            try:
                dataset.con.execute("SELECT count(*) FROM range(100000000) a, range(100000) b "
                                    "WHERE a.range + b.range = -1").fetchall()
            except Exception as exc:  # noqa: BLE001 - a careless plugin
                self.queries.append(type(exc).__name__)
        return Answer(analysis=self.name, title="Juggled")


class Steps:
    def __init__(self):
        self.patient, self.stubborn = Patient(), Stubborn()

    @hookimpl
    def register_analyses(self, register):
        register(self.patient)
        register(self.stubborn)


def test_the_time_limit_stops_work_that_checks_and_interrupts_work_that_does_not(orders_csv):
    steps = Steps()
    a = Assistant(data=[str(orders_csv)], plugins=[steps], entry_points=False)
    try:
        with pytest.raises(TimedOut) as caught:
            a.chat("sheep", "count the sheep slowly", timeout=0.5)
        assert caught.value.stopped.wait(10), "the analysis did not stop at its next check"
        stopped_at = len(steps.patient.done)
        assert 0 < stopped_at < 200
        time.sleep(0.3)
        assert len(steps.patient.done) == stopped_at  # nothing ran after the flag was set
        assert once_free(a, "sheep", "the conversation stayed busy").analysis == "overview"

        with pytest.raises(TimedOut) as caught:  # swallows every interrupt: each new query is interrupted too
            a.chat("torch", "juggle the torches", timeout=0.5)
        assert caught.value.stopped.wait(30), "queries started after the time limit were not interrupted"
        assert len(steps.stubborn.queries) == 20 and set(steps.stubborn.queries) == {"InterruptException"}

        with pytest.raises(TimedOut) as caught:  # a question on its own (Assistant.ask) too
            a.ask("count the sheep slowly", timeout=0.3)
        assert caught.value.stopped.wait(10)
    finally:
        a.close()


def test_conversations_never_asked_anything_are_closed_before_those_in_use(orders_csv):
    a = Assistant(data=[str(orders_csv)], entry_points=False, max_conversations=3)
    try:
        a.chat("in use", "total revenue")  # the least recently used, but the only one asked anything
        empty = [a.new_conversation(), a.new_conversation()]
        a.session("newcomer")
        assert a.has_conversation("in use") and not a.has_conversation(empty[0])
        a.session("another")
        assert a.conversations() == ["in use", "newcomer", "another"]
        assert a.chat("in use", "and for France?", create=False).understood.endswith("country = France")
        assert a.least_recent(["in use", "newcomer", "nope"]) == "newcomer"
    finally:
        a.close()
