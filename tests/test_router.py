"""The router and the conversation: the question set (accuracy and exact slots), the off-topic
class, asking back and picking, the cache, slots, and scripted conversations through the CLI."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from custlens import slots as slotlib
from custlens import textmodel
from custlens.analysis import Analysis, Params
from custlens.cli import cli
from custlens.answer import Answer
from custlens.conversation import Conversation, Turn, classify_turn
from custlens.errors import CannotAnswer, ParamsError
from custlens.router import Router, build_model, expand, strip_slots, training_texts
from custlens.session import Session

QUESTIONS = yaml.safe_load((Path(__file__).parent / "data" / "routing_questions.yaml").read_text())
SLOT_KEYS = ("top", "k", "grain", "start", "end", "metric", "by", "filters", "product", "customer", "segment")


pytestmark = pytest.mark.usefixtures("router_cache")


@pytest.fixture(scope="module")
def real():
    s = Session(entry_points=False)
    s.load_demo(customers=1000)
    return s


class Throwaway(Analysis):
    """A plugin the tests add and edit to see the router refit."""

    name = "warranty"
    title = "Warranty claims"
    summary = "Warranty claims per product."
    examples = ["warranty claims per product", "which products get the most warranty claims",
                "how many items come back under warranty"]
    Params = Params


def routed(session: Session, item: dict) -> str:
    """The analysis a question reaches, nothing run: "none" when declined, "clarify" when asked
    back; a follow-up is read after its "after" question as the conversation would."""
    if "after" in item:
        first = session._route(item["after"])
        session.conversation = Conversation(turns=[Turn(item["after"], first.analysis, first.params,
                                                        Answer(analysis=first.analysis, title=""), {})])
        kind, _ = classify_turn(item["q"], False)
        if kind == "correct" or kind == "question" and session.follows_up(item["q"]):
            return first.analysis
    route = session._route(item["q"])
    return "none" if route is None else "clarify" if route.decision == "clarify" else route.analysis


def read_slots(session: Session, q: str) -> dict:
    found, _ = slotlib.extract(q, session._values(), session.data_end(), session._customer_exists)
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in found.items()
            if k in SLOT_KEYS and v is not None}  # "since March 2024": no end said


def score(session: Session, items: list[dict]) -> tuple[float, float, list]:
    wrong, slots_wrong = [], 0
    for item in items:
        got = routed(session, item)
        if got != item["analysis"]:
            wrong.append((item["q"], item["analysis"], got))
        slots_wrong += read_slots(session, item["q"]) != item["slots"]
    return 1 - len(wrong) / len(items), 1 - slots_wrong / len(items), wrong


def test_the_question_set_is_big_and_covers_every_analysis():
    assert len(QUESTIONS) >= 300
    names = {q["analysis"] for q in QUESTIONS}
    assert names >= {"overview", "segmentation", "persona", "basket", "clv", "cohort", "loyalty", "churn", "journey",
                     "profitability", "feedback", "five_forces", "spin", "report", "none"}
    assert sum("after" in q for q in QUESTIONS) >= 20


def test_the_installed_analyses_route_the_question_set(real):
    assert {q["analysis"] for q in QUESTIONS} - {"none"} <= set(real.analyses)
    accuracy, slots, wrong = score(real, QUESTIONS)
    assert accuracy >= 0.95, wrong
    assert slots >= 0.90


def test_off_topic_is_declined_with_suggestions(real):
    for q in ("what's the weather", "write me a poem", "who won the football last night"):
        with pytest.raises(CannotAnswer) as info:
            real.ask(q)
        assert "can't answer" in str(info.value) and info.value.suggestions


@pytest.mark.parametrize("question", [
    "write an email to customer C000012 apologising for the late delivery",  # names a customer of the data
    "write me a catchy instagram caption for our {product}",  # names a product of the data
    "could you draft a renewal contract for our biggest account",
    "translate this push notification into Spanish",
    "send a reminder to the sales team",
])
def test_a_task_outside_the_data_is_declined_though_it_names_the_data(real, question):
    product = real._values()["transactions"]["product"][0]
    with pytest.raises(CannotAnswer) as info:
        real.fork().ask(question.format(product=product))
    assert "does not write messages or other texts" in str(info.value) and info.value.suggestions


@pytest.mark.parametrize("question, company", [("what's verizon's churn rate these days", "verizon"),
                                               ("what was our main competitor's revenue last year", "competitor"),
                                               ("Amazon's share price today?", "Amazon")])
def test_another_companys_figure_is_declined(real, question, company):
    with pytest.raises(CannotAnswer) as info:
        real.fork().ask(question)
    assert f"holds no figures of {company}" in str(info.value)


@pytest.mark.parametrize("question, analysis", [("what's our churn rate", "churn"),
                                                ("last year's revenue by quarter", "overview"),
                                                ("{country}'s revenue by month", "overview"),
                                                ("each customer's lifetime value", "clv"),
                                                ("what is the champions' revenue by month", "overview")])
def test_a_possessive_of_our_own_is_no_other_company(real, question, analysis):
    country = real._values()["customers"]["country"][0]
    assert real.fork()._checked_route(question.format(country=country)).analysis == analysis


@pytest.mark.parametrize("question, analysis", [("what's the average basket size these days", "overview"),
                                                ("what's flying off the shelves", "overview"),  # never declined
                                                ("who are my top 10 customers by spend", "overview"),  # was asked back
                                                ("avg basket value germany vs france", "overview"),
                                                ("which items end up in the same basket", "basket")])
def test_a_baskets_size_or_value_is_the_average_order_not_the_basket_analysis(real, question, analysis):
    assert real.fork()._checked_route(question).analysis == analysis


@pytest.mark.parametrize("question, analysis", [
    ("write a persona for the at risk customers", "persona"),
    # (not "interview questions for our champions": a persona of the segment writes those too, SPEC's close call)
    ("draft an interview guide for our champions", "spin"),
    ("create segments for email marketing", "segmentation"),
    ("make a list of customers to email before they churn", "churn"),
])
def test_writing_words_about_an_analysis_still_reach_it(real, question, analysis):
    assert real.fork()._checked_route(question).analysis == analysis


def test_ask_back_and_pick(real, monkeypatch):
    real.conversation = Conversation()
    monkeypatch.setattr(real.router, "min_confidence", 1.01)  # every question is unsure now
    monkeypatch.setattr("custlens.router.CLOSE_RUNNER_UP", 0.0)
    monkeypatch.setattr("custlens.router.KNOWN_QUESTION", 1.01)  # not even a known question is sure
    a = real.chat("which customers are about to leave us")
    assert a.analysis == "clarify" and a.table("readings").total_rows in (2, 3)
    second = a.table("readings").column("analysis")[1]
    assert real.chat("the second").analysis == second
    real.chat("which customers are about to leave us")
    with pytest.raises(ParamsError, match="pick a number from 1 to"):
        real.chat("7")
    real.chat("which customers are about to leave us")
    assert real.chat("1.").analysis == a.table("readings").column("analysis")[0]


def test_the_fitted_router_is_cached_and_refitted_when_plugins_change(real):
    first = Router(real.analyses)
    again = Router(real.analyses)
    assert again.from_cache and again.key == first.key and again.cache_path.exists()
    other = Router({**real.analyses, "warranty": Throwaway()})  # a plugin added: refit, and routable at once
    assert other.key != first.key and not other.from_cache
    assert other.route("which products are claimed under warranty most").analysis == "warranty"
    edited = Throwaway()
    edited.examples = edited.examples + ["warranty returns by month"]  # a plugin edited: refit
    assert Router({**real.analyses, "warranty": edited}).key != other.key
    first.cache_path.write_bytes(b"not an npz file")  # a broken cache is refitted, never fatal
    again = Router(real.analyses)
    assert not again.from_cache and again.route("total revenue by country").analysis == "overview"


def test_the_cache_keeps_only_the_fits_used_last(real):
    """Each fit is ~30 MB: writing one removes all but the ``KEEP_FITS`` used last; the one in use
    (read, so touched) stays however old it was written."""
    import os

    from custlens import router as routermod

    used = Router(real.analyses)
    folder = used.cache_path.parent
    stale = []
    for i in range(routermod.KEEP_FITS + 3):  # older fits of other plugin sets and versions
        path = folder / f"router-stale{i:02d}.npz"
        path.write_bytes(b"old")
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
        stale.append(path)
    os.utime(used.cache_path, (500_000, 500_000))  # written long ago...
    assert Router(real.analyses).from_cache  # ...and read now: in use
    new = Throwaway()
    new.examples = new.examples + ["warranty claims kept in the cache test"]  # a set never fitted before
    assert not Router({**real.analyses, "warranty": new}).from_cache  # a new fit is written: the cache is pruned
    left = sorted(folder.glob("router-*.npz"))
    assert len(left) == routermod.KEEP_FITS and used.cache_path in left
    assert stale[0] not in left and stale[-1] in left  # the oldest go first


def test_a_new_plugin_refits_reading_only_the_questions_it_brings(real, monkeypatch):
    """Reading the shipped questions for the classifier takes minutes, fitting on them seconds: the
    readings are kept, in memory and in the cache dir for the next process, one file for the code
    that reads them (a file of older code is removed)."""
    import json

    from custlens import router as routermod

    Router(real.analyses)
    stale = routermod.cache_dir() / "readings-of-older-code.json"
    stale.write_text("{}")
    read = []
    reading = routermod.reading
    monkeypatch.setattr(routermod, "reading", lambda doc: read.append(doc) or reading(doc))
    new = Throwaway()
    new.examples = new.examples + ["warranty claims read once"]
    fitted = Router({**real.analyses, "warranty": new})
    assert not fitted.from_cache and fitted.route("warranty claims read once").analysis == "warranty"
    assert "warranty claims read once" in read and len(read) <= len(new.examples) + 4  # + name, title, summary
    kept = list(routermod.cache_dir().glob("readings-*.json"))
    assert [f.name for f in kept] == [f"readings-{routermod.reading_key()}.json"] and not stale.exists()
    assert json.loads(kept[0].read_text())["warranty claims read once"] == reading("warranty claims read once")


def test_routing_needs_no_scikit_learn_and_agrees_with_it_exactly(real):
    """The exported model (numpy only) gives scikit-learn's tokens, decision_function and
    similarities on every question of the set, as the router classifies it and as typed."""
    from sklearn.preprocessing import normalize

    texts, labels = training_texts(real.analyses)
    pipeline = build_model().fit(texts, labels)
    light = textmodel.TextModel.from_pipeline(pipeline, texts, labels)
    union, svm = pipeline.named_steps["features"], pipeline.named_steps["classify"]
    train = normalize(union.transform(texts))
    assert light.classes == list(svm.classes_)
    questions = [item["q"] for item in QUESTIONS]
    for q in questions:
        _, used = slotlib.extract(slotlib.clean(q), real._values(), real.data_end(), real._customer_exists)
        for text in (expand(strip_slots(slotlib.clean(q), used)), q):
            for (_, vectorizer), analyze in zip(union.transformer_list, (textmodel.word_ngrams, textmodel.char_wb_ngrams)):
                assert analyze(text) == vectorizer.build_analyzer()(text), text
            row = union.transform([text])
            vector = light.vector(text)
            assert np.abs(light.margins(vector) - svm.decision_function(row)[0]).max() < 1e-9, text
            expected = (train @ normalize(row).T).toarray().ravel()
            assert np.abs(light.similarities(vector) - expected).max() < 1e-9, text
    assert real.router.cache_path.exists()  # fitted (or loaded) here: the fresh process loads it
    routed_alone = subprocess.run([sys.executable, "-c", ROUTE_ALONE], capture_output=True, text=True, check=True)
    assert routed_alone.stdout.split() == ["overview", "False", "False"]


#: a fresh process routes a question from the cache: which analysis, and whether sklearn or scipy got imported
ROUTE_ALONE = """
import sys
from custlens.session import Session
print(Session(entry_points=False).router.route("total revenue by country").analysis,
      "sklearn" in sys.modules, "scipy" in sys.modules)
"""


def test_a_misspelt_word_is_read_as_the_nearest_word_of_the_examples(real):
    spell = real.router.spell
    assert (spell("revnue"), spell("categroy"), spell("custmers")) == ("revenue", "category", "customers")
    assert spell("cross") == "cross"  # one letter in five is too far: not "gross"
    assert spell("xylophone") == "xylophone"  # nothing near: left alone
    assert real.router.route("revnue by categroy").analysis == "overview"
    assert real.router.route("whats the wether tomorow") is None


def test_slots_product_customer_segment_k_metric(real):
    s = lambda q: read_slots(real, q)  # noqa: E731
    assert s("what goes with the espreso machine") == {"product": "Espresso Machine"}
    assert s("what do people buy with grinder") == {"product": "Coffee Grinder"}
    assert s("history of customer C000042")["customer"] == "C000042"
    assert s("cohorts for the champions")["segment"] == "Champions"
    assert s("split customers into 4 clusters")["k"] == 4
    assert s("margin by category") == {"metric": "margin", "by": ["category"]}
    with pytest.raises(ParamsError, match="no customer 'C999999'"):
        real.ask("revenue of customer C999999")
    with pytest.raises(ParamsError, match="top 10 and top 20"):
        real.ask("top 10 and top 20 products")
    with pytest.raises(ParamsError, match="by month and by quarter"):
        real.ask("monthly revenue by quarter")
    # an RFM segment before any segmentation: computed first (issue 16, item 6), said in a note
    fork = real.fork()
    champions = fork.ask("revenue for the champions segment")
    assert any("computed the RFM segmentation first" in w for w in champions.warnings)
    labels = fork.dataset.query("SELECT customer_id FROM segments WHERE segment = 'Champions'")
    assert dict(champions.table("headline").rows)["customers"] == len(labels) > 0
    # a segment that is no RFM name, before any are saved: what to do first
    with pytest.raises(ParamsError, match="no saved segments"):
        real.fork().run("overview", {"filters": {"segment": ["VIPs"]}})


def test_turn_rules():
    assert classify_turn("2", True) == ("pick", 2)
    assert classify_turn("the second", True) == ("pick", 2)
    assert classify_turn("2", False)[0] == "question"
    assert classify_turn("how did you compute that?", False)[0] == "explain"
    assert classify_turn("export that to excel", False) == ("export", ".xlsx")
    assert classify_turn("save as csv", False) == ("export", ".csv")
    assert classify_turn("plot it", False)[0] == "plot"
    assert classify_turn("go back", False)[0] == "back"
    assert classify_turn("reset filters", False)[0] == "reset"
    assert classify_turn("use Net Sales as the amount", False) == ("map", ("amount", "Net Sales"))
    assert classify_turn("no, use k=5", False) == ("correct", "k=5")


def chat(tmp_path, orders_csv, script: str) -> str:
    result = CliRunner().invoke(cli, ["chat", "--data", str(orders_csv), "--history", str(tmp_path / "h")],
                                input=script)
    assert result.exit_code == 0, result.output
    assert "unexpected" not in result.output and "Traceback" not in result.output
    return result.output


def section(out: str, line: str) -> str:
    """What the shell printed for one input line."""
    return out.split(line + "\n", 1)[1].split("\n> ", 1)[0].split("\n[", 1)[0]


def test_a_scripted_conversation(tmp_path, orders_csv, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = chat(tmp_path, orders_csv, "total revenue by country\nand for France?\ntop 1 products\nwhy?\n"
               "export that to excel\nsave as csv\nplot it\ngo back\nreset filters\nrevenue by quarter instead\n")
    assert "overview · by: country · metric=revenue" in out
    france = section(out, "> and for France?")
    assert "filter: country = France" in france and "150.00" in france and "600.00" not in france
    assert "[country=France]> top 1 products" in out  # filters persist and show in the prompt
    assert "Gadget" in section(out, "[country=France]> top 1 products")
    why = section(out, "[country=France]> why?")
    assert "Method:" in why and "SELECT" in why and "country" in why
    import pandas as pd

    sheets = pd.read_excel(tmp_path / "overview.xlsx", sheet_name=None)
    assert any("product" in f.columns and set(f["product"]) == {"Gadget"} for f in sheets.values())
    assert list(tmp_path.glob("overview_*.csv"))
    assert "overview-2.xlsx" in chat(tmp_path, orders_csv, "top 3 products\nexport that to excel\n")  # no overwrite
    plot = section(out, "[country=France]> plot it")
    assert "Wrote" in plot and list(tmp_path.glob("overview_*.png"))
    assert "filter: country = France · by: country" in section(out, "[country=France]> go back") or \
        "country = France" in section(out, "[country=France]> go back")
    reset = section(out, "[country=France]> reset filters")
    assert reset.splitlines()[0] == "overview · by: country" and "worth 800 " in reset  # every country again
    assert "> revenue by quarter instead" in out


def test_bad_input_in_a_conversation(tmp_path, orders_csv):
    paste = "revenue by country " + "x" * 10_000
    out = chat(tmp_path, orders_csv, "\x00\x07\n'; drop table orders; --\nrevenue in Atlantis\n"
               "revenue in Germani\ntop 10 and top 20 products\nwrite me a poem\n" + paste + "\nwhy?\n"
               "$(rm -rf ~)\ntables\n")
    assert "looks like SQL or shell code" in section(out, "> '; drop table orders; --")
    assert "no 'Atlantis' in the data" in out
    assert "read 'Germani' as germany" in section(out, "> revenue in Germani")  # a slip of a value: read, said
    assert "top 10 and top 20" in out
    assert "can't answer 'write me a poem'" in out
    assert "cut to its first 2000 characters" in out
    assert "orders.csv" in section(out, "> tables") and "12 rows" in section(out, "> tables")  # nothing dropped


def test_understood_names_the_columns_read_and_filters_by_any_header_case(tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text("Email,Created at,Total,Country\na@x.com,2024-01-03,10.5,Germany\nb@x.com,2024-02-03,20,France\n"
                    "a@x.com,2024-03-05,7,Germany\n")
    s = Session(data=[str(path)], entry_points=False)
    a = s.ask("revenue in Germany")
    assert a.understood == ("overview · metric=revenue · customers: Email · date: Created at · value: Total · "
                            "filter: country = Germany")
    assert dict(a.table("headline").rows)["revenue"] == 17.5


def test_prompt_shows_filters_and_quick_work_shows_no_spinner(orders_csv):
    import io

    from rich.console import Console

    from custlens.shell import Shell, prompt_text

    assert prompt_text(["orders.csv"], filters="country=France") == "custlens [orders.csv] country=France> "
    s = Session(data=[str(orders_csv)], entry_points=False)
    s.chat("revenue in France")
    assert s.conversation.describe_filters() == "country=France"
    shell = Shell(s)
    shell.console = Console(file=io.StringIO(), force_terminal=True)
    with shell.spinner(delay=60):  # done before the delay: the spinner never starts
        pass
    assert shell.console.file.getvalue() == ""


def test_saved_segment_labels_are_a_slot_and_a_filter():
    s = Session(entry_points=False)
    store = s.load_demo(customers=1000)
    s.dataset.set_segments(store.truth["segments"], "planted")
    a = s.ask("revenue for the vip segment")
    assert a.params["filters"] == {"segment": ["vip"]}
    vip = set(store.truth["segments"].query("segment == 'vip'").customer_id)
    orders = store.tables["orders"]
    expected = orders[orders.customer_id.isin(vip) & (orders.quantity > 0)].amount.sum()
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(expected, rel=1e-6)


def test_corrections_and_mappings_rerun_the_last_analysis(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    s.chat("top 3 products")
    a = s.chat("no, use top=1")
    assert a.params["top"] == 1 and a.table("by_product").total_rows == 4 and len(a.table("by_product").rows) == 1
    assert s.chat("make it top 2").params["top"] == 2
    a = s.chat("use unit_price as the amount")  # the revenue is now the unit prices, summed
    assert a.analysis == "overview" and a.params["top"] == 2
    with pytest.raises(CannotAnswer, match="no answer yet to explain"):
        Session(data=[str(orders_csv)], entry_points=False).chat("why?")


def test_one_shot_ask_back_says_how_to_choose(real, monkeypatch):
    monkeypatch.setattr(real.router, "min_confidence", 1.01)
    monkeypatch.setattr("custlens.router.CLOSE_RUNNER_UP", 0.0)
    monkeypatch.setattr("custlens.router.KNOWN_QUESTION", 1.01)  # not even a known question is sure
    a = real.ask("which customers are about to leave us")
    assert a.analysis == "clarify" and "--analysis NAME" in a.summary


def test_completion_offers_conversation_phrases(orders_csv):
    from custlens.shell import ShellCompleter

    completer = ShellCompleter(Session(data=[str(orders_csv)], entry_points=False))
    assert "export that to excel" in completer.candidates("export that")
    assert "go back" in completer.candidates("go b")


def test_what_an_analysis_cannot_use_is_said(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    # the analysis named, so the test is of the warning, not of which analysis this close call goes to
    a = s.ask("top 5 products in 4 segments", analysis="overview")
    assert "overview cannot use 4 segments from the question: it was not applied" in a.warnings
    assert not [w for w in s.ask("top 5 products").warnings if "cannot use" in w]


def test_a_line_without_words_is_not_a_follow_up(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    s.chat("top 3 products")
    with pytest.raises(CannotAnswer, match="nothing to pick from"):
        s.chat("2")
    with pytest.raises(CannotAnswer, match="'\\?\\?\\?' is not a question"):
        s.chat("???")


def test_export_personas_writes_one_file_per_persona(tmp_path, monkeypatch):
    from custlens import demo

    data = tmp_path / "data"
    demo.write(demo.generate(customers=1000, seed=5), data, format="parquet")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    result = CliRunner().invoke(cli, ["chat", "--data", str(data / "orders.parquet"), "--data",
                                      str(data / "customers.parquet"), "--history", str(tmp_path / "h")],
                                input="create personas for our segments\nexport personas\nexport the personas as html\n")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    markdown, html = sorted(out.glob("persona_*.md")), sorted(out.glob("persona_*.html"))
    assert markdown and [p.stem for p in markdown] == [p.stem for p in html]
    assert "Exported %d personas" % len(markdown) in result.output
    assert all(p.read_text().startswith("#") for p in markdown) and all("<html" in p.read_text() for p in html)


def test_export_personas_without_personas_makes_them(real, tmp_path):
    real.conversation, real.export_dir = Conversation(), str(tmp_path)
    real.history = [a for a in real.history if a.analysis != "persona"]
    a = real.chat("save personas")
    assert a.analysis == "export" and real.history[-2].analysis == "persona"
    assert len(list(tmp_path.glob("persona_*.md"))) == int(a.title.split()[1]) > 0
    docs = real._documents()
    assert classify_turn("export our personas as a web page", False, docs) == ("export_documents", ("persona", "html"))
    assert classify_turn("export that to excel", False)[0] == "export"


@pytest.mark.parametrize("question, analysis, params", [
    ("which products should we bundle", "basket", {"focus": "bundles"}),
    ("upsell opportunities to dearer products", "basket", {"focus": "up_sell"}),
    ("cross-sell ideas for the espresso machine", "basket", {"focus": "cross_sell", "product": "Espresso Machine"}),
    ("predict CLV for the next 6 months", "clv", {"horizon": 6}),
    ("customer lifetime value over 2 years", "clv", {"horizon": 24}),
    ("backtest the lifetime value model", "clv", {"validate_model": True}),
    ("cluster customers into 5 groups", "segmentation", {"method": "kmeans", "k": 5}),
    ("segment customers by age band and gender", "segmentation", {"method": "attributes", "by": ["age", "gender"]}),
    ("which four segments should we focus on", "segmentation", {"top": 4}),
    ("cohorts by cumulative revenue per customer", "cohort", {"metric": "cumulative_revenue"}),
    ("customers with no purchase in the last 6 months", "churn", {"inactive_days": 180}),
    ("what is our NPS", "loyalty", {"focus": "satisfaction"}),
    ("draft a survey about why customers buy", "spin", {"kind": "survey"}),
])
def test_the_analyses_phrases_set_their_params(real, question, analysis, params):
    route = real._route(question)
    assert route.analysis == analysis
    assert {k: route.params.get(k) for k in params} == params
    # what the phrase captured is no other slot: no k from "four segments", no period from "last 6 months"
    assert "k" not in route.params or "k" in params
    assert "start" not in route.params


def test_what_the_classifier_reads_keeps_what_slots_would_hide():
    from custlens.router import classifier_text

    def read(q):
        slots, used = slotlib.extract(slotlib.clean(q))
        return expand(classifier_text(slotlib.clean(q), slots, used)).split()

    # a count of personas: the number is the slot k, the noun stays (it is not "segments")
    assert "personas" in read("give me 5 buyer personas") and "5" not in read("give me 5 buyer personas")
    assert "segments" in read("make 4 groups")  # a bare count of segments: the hint
    # a segment named without a measure is about the segment; with one, a filter for the measure
    assert "namedsegment" in read("what do the champions look like")
    assert "namedsegment" not in read("revenue of the champions by month")
    # the domain lexicon, the same in training and questions
    assert {"dataset", "describe"} <= set(read("how far back does the data go"))
    assert {"repeat", "frequency"} <= set(read("share of buyers who purchased more than once"))
    assert "funnel" in read("how many deals stall at the negotiation stage")
    # two periods set against each other are a comparison, whatever the words around them
    assert "comparison" in read("did Q3 2024 do better than Q3 2025") and "comparison" in read("2024 vs 2025")
    # "people who" is everyday English, not a persona ("people behind the numbers" is)
    assert "persona" not in read("share of people who bought more than once")
    assert "persona" in read("the people behind our best accounts")


@pytest.mark.parametrize("question, analysis", [
    ("give me 5 buyer personas", "persona"),            # was segmentation: "5 buyer personas" read as k alone
    ("make 4 personas from our customers", "persona"),
    ("what do the champions look like", "segmentation"),
    ("tell me about the at risk group", "segmentation"),
    ("revenue of the champions by month", "overview"),  # a measure for a segment: the segment filters
    ("how many customers ordered again within 90 days", "loyalty"),  # was churn
    ("how far back does the data go", "overview"),
    ("which columns does this file have", "overview"),
])
def test_wordings_no_example_has_reach_their_analysis(real, question, analysis):
    route = real._route(question)
    assert (route.decision, route.analysis) == ("route", analysis)


def test_a_question_with_nothing_to_go_by_is_asked_back(real):
    # only "customers" is left to read: no analysis is likely enough, so the likeliest are offered
    route = real._route("tell me about our customers")
    assert route.decision == "clarify" and len(route.alternatives) >= 1


def test_typos_the_training_questions_share_are_read_as_the_word_meant():
    """A rare word of the training texts one slip from a far commoner one is its typo ("revnue");
    another word that merely looks alike ("clusters", "customers") or an inflection is not."""
    from custlens.router import typos_of

    idf = {"revenue": 1.5, "revnue": 6.0, "revenu": 6.0, "customers": 1.2, "clusters": 5.0, "quarter": 2.0,
           "quarters": 6.0}
    assert typos_of(idf) == {"revnue": "revenue", "revenu": "revenue"}


def test_the_size_of_a_named_segment_is_a_segmentation_question(real):
    for q in ("how many customers are in the at risk group", "how many champions have we got"):
        assert real.router.route(q, real._values(), real.data_end()).analysis == "segmentation", q


def test_a_known_question_is_not_asked_back(real):
    """A question the training examples hold, all under the likeliest analysis, was asked before and
    its reading told: it is routed however close the runner-up (issue 16: "who are my best customers"
    is the overview's ranking); a new question with the same scores is asked back."""
    router = real.router
    close = [("overview", 0.25), ("segmentation", 0.2), ("clv", 0.15)]
    assert router.decide(close, 0.9) == "clarify"
    assert router.decide(close, 0.9, known=True) == "route"
    assert router.classify("who are our best customers")[2] is True
    assert router.classify("which of the customers put most money on the table")[2] is False
    assert real._route("who are my best customers").decision == "route"


@pytest.mark.parametrize("question, analysis", [
    ("top 20 customers by lifetime value - I want to make sure their tickets get escalated fast", "clv"),
    ("show me the at risk segment i think my boss wants to send them an email", "segmentation"),
])
def test_figures_asked_for_with_the_task_they_serve_are_answered(real, question, analysis):
    assert real._route(question).analysis == analysis


@pytest.mark.parametrize("question", ["write an email to the at risk customers", "draft a newsletter for our champions",
                                      "for the churned customers, write a win-back email"])
def test_a_task_outside_the_data_is_still_declined(real, question):
    assert real._route(question) is None


@pytest.mark.parametrize("question, filters, start", [
    ("how did kitchen do in q3 2025", {"category": ["Kitchen"]}, "2025-07-01"),
    ("how did germany do last year", {"country": ["Germany"]}, "2024-01-01"),
    ("how did we do in 2024", None, "2024-01-01"),
])
def test_a_question_that_says_only_a_scope_asks_for_its_headline(real, question, filters, start):
    """Nothing is left for the classifier once the values and period are read: the headline figures
    of that scope (the overview), not a polite no."""
    route = real._route(question)
    assert route.analysis == "overview" and route.params.get("filters") == filters
    assert str(route.params["start"]) == start
    answer = real.fork().ask(question)
    assert answer.analysis == "overview" and answer.summary
