"""five_forces: the guide and data evidence (checked against pandas on the demo and on a planted
concentrated store), the pure interview driver, a whole interview piped through `custlens chat`,
pause and resume from the saved YAML, and the scorecard outside the shell."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from custlens import Session, demo
from custlens.cli import cli
from custlens.errors import DataError
from custlens.plugins.five_forces import Interview, parse_rating
from custlens.templates import guide as load_guide, pct


@pytest.fixture(scope="module")
def store():
    return demo.generate(customers=1500, seed=3)


@pytest.fixture(scope="module")
def demo_dir(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    demo.write(store, out, format="parquet")
    return out


@pytest.fixture(scope="module")
def session(demo_dir):
    return Session(data=[str(demo_dir / "orders.parquet"), str(demo_dir / "customers.parquet")], entry_points=False)


def evidence(answer, force):
    t = answer.table("evidence")
    return [dict(zip(t.columns, r)) for r in t.rows if r[0] == force]


def test_the_guide_comes_from_the_yaml(session):
    guide = load_guide("five_forces.yaml")
    a = session.ask("run porter's five forces")
    assert a.analysis == "five_forces"
    assert a.table("guide").column("force") == [f["name"] for f in guide["forces"]]
    assert len(a.table("questions").rows) == sum(len(f["questions"]) for f in guide["forces"])
    assert "interview five_forces" in a.summary and "--param interview=FILE" in a.summary
    assert "evidence to weigh, not a verdict" in a.summary


def test_buyer_power_evidence_equals_pandas(session, store):
    orders = store.tables["orders"]
    sales = orders[(orders.amount > 0) & (orders.quantity > 0)]
    revenue = sales.groupby("customer_id").amount.sum().sort_values(ascending=False)
    total = revenue.sum()
    top10 = revenue.head(10).sum() / total
    top20 = revenue.head(math.ceil(len(revenue) * 0.2)).sum() / total
    hhi = ((100 * revenue / total) ** 2).sum()
    rows = evidence(session.run("five_forces"), "Buyer power")
    values = [r["value"] for r in rows]
    assert values[:3] == [round(top10, 6), round(top20, 6), round(hhi, 1)]
    assert f"{pct(top10)}" in rows[0]["evidence"] and "unconcentrated" in rows[2]["evidence"]
    assert rows[2]["points to"] == "weaker force"


def test_lost_customers_evidence_equals_pandas(session, store):
    orders = store.tables["orders"]
    sales = orders[(orders.amount > 0) & (orders.quantity > 0)]
    end = sales.order_date.max() + pd.Timedelta(days=1)
    cut, start = end - pd.DateOffset(months=6), end - pd.DateOffset(months=18)
    before = set(sales[(sales.order_date >= start) & (sales.order_date < cut)].customer_id)
    since = set(sales[sales.order_date >= cut].customer_id)
    lost = before - since
    row = next(r for r in evidence(session.run("five_forces"), "Buyer power") if "have not bought since" in r["evidence"])
    assert row["value"] == round(len(lost) / len(before), 6)
    rivalry = evidence(session.run("five_forces"), "Competitive rivalry")
    assert any(r["value"] == len(lost) for r in rivalry)


def test_concentrated_buyers_point_to_a_stronger_force(tmp_path):
    """One customer buys 9,000 of 10,000: the top 10 hold everything and the HHI is far above 2,500."""
    rows = [("BIG", f"O{i}", f"2024-{1 + i % 12:02d}-05", 900.0) for i in range(10)]
    rows += [(f"S{i}", f"P{i}", f"2024-{1 + i % 12:02d}-09", 10.0) for i in range(100)]
    path = tmp_path / "orders.csv"
    pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"]).to_csv(path, index=False)
    a = Session(data=[str(path)], entry_points=False).run("five_forces")
    buyer = evidence(a, "Buyer power")
    assert buyer[0]["value"] == round((9000 + 90) / 10000, 6) and buyer[0]["points to"] == "stronger force"
    assert buyer[2]["value"] == round(90 ** 2 + 100 * 0.1 ** 2, 1) and "highly concentrated" in buyer[2]["evidence"]
    # less than a year of data: no lost-customer or trend evidence, and it says so
    assert "less than a year of sales" in a.summary.lower()


def test_without_sales_data_it_says_what_would_help(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("customer_id,country\nc1,DE\nc2,FR\n")
    a = Session(data=[str(path)], entry_points=False).run("five_forces")
    assert a.table("evidence").rows == []
    assert any("load orders" in w for w in a.warnings)


# ---------------------------------------------------------------------- the pure driver
def test_interview_driver_steps_ratings_and_state():
    guide = load_guide("five_forces.yaml")
    iv = Interview(guide)
    first = guide["forces"][0]
    assert iv.step == "question" and iv.prompt() == f"1. {first['questions'][0]}"
    for _ in first["questions"][:-1]:
        assert iv.answer("an answer") is None
    assert iv.answer("skip") is None
    assert iv.step == "rating"
    assert "1 to 5" in iv.answer("7") and iv.step == "rating"
    assert "1 to 5" in iv.answer("3 or 4") and iv.step == "rating"
    assert iv.answer("4/5") is None and iv.step == "evidence"
    assert iv.answer("three price wars last year") is None
    assert iv.force["key"] == guide["forces"][1]["key"] and iv.step_index == 0
    record = iv.records[first["key"]]
    assert record["rating"] == 4 and record["answers"][-1] is None and record["evidence"] == "three price wars last year"
    again = Interview.from_state(yaml.safe_load(yaml.safe_dump(iv.to_state())))
    assert again.to_state() == iv.to_state()
    assert not again.done and again.rated == 1


@pytest.mark.parametrize("text, rating", [("4", 4), ("4/5", 4), ("rating: 5", 5), ("a 1", 1), ("0", None),
                                          ("6", None), ("3.5", None), ("high", None), ("2 or 3", None)])
def test_parse_rating(text, rating):
    assert parse_rating(text) == rating


# ---------------------------------------------------------------------- through the shell
RATINGS = {"rivalry": 4, "new_entrants": 2, "supplier_power": 3, "buyer_power": 1, "substitutes": 5}


def force_lines(key: str, rating: int, bad_rating: bool = False) -> str:
    n = len(next(f for f in load_guide("five_forces.yaml")["forces"] if f["key"] == key)["questions"])
    answers = [f"{key} answer {i}" for i in range(1, n)] + ["skip"]
    return "\n".join(answers + (["9"] if bad_rating else []) + [str(rating), f"{key} evidence"]) + "\n"


def chat(demo_dir, tmp_path, text):
    args = ["chat", "--data", str(demo_dir / "orders.parquet"), "--history", str(tmp_path / "h")]
    result = CliRunner().invoke(cli, args, input=text)
    assert result.exit_code == 0, result.output
    return result.output


def exported_ratings(path) -> dict[str, int]:
    """The scorecard the shell kept as its last answer, exported in full: force key -> rating."""
    keys = {f["name"]: f["key"] for f in load_guide("five_forces.yaml")["forces"]}
    card = pd.read_csv(path)
    return {keys[f]: int(r) for f, r in zip(card.force, card.rating)}


def test_a_whole_interview_through_piped_stdin(demo_dir, tmp_path):
    saved = tmp_path / "ff.yaml"
    text = f"interview five_forces {saved}\n" + "".join(
        force_lines(k, r, bad_rating=(k == "new_entrants")) for k, r in RATINGS.items())
    text += f"export {tmp_path / 'card.csv'}\nplot {tmp_path / 'card.png'}\n"
    out = chat(demo_dir, tmp_path, text)
    assert out.count("please rate from 1 to 5") == 1
    assert "Force 5 of 5: Threat of substitutes" in out
    assert "data (evidence, not verdict): the top 10 of" in out
    average = sum(RATINGS.values()) / 5
    assert f"average force strength is {average:.2f} of 5" in out
    assert "moderately attractive" in out  # 3.0: the guide's threshold
    assert "Threat of substitutes (5 of 5)" in out and "Competitive rivalry (4 of 5)" in out  # actions, strongest first
    state = yaml.safe_load(saved.read_text())
    assert {k: v["rating"] for k, v in state["forces"].items()} == RATINGS
    assert state["forces"]["rivalry"]["evidence"] == "rivalry evidence"
    # the scorecard became the last answer: export writes it
    assert exported_ratings(tmp_path / "card_scorecard.csv") == RATINGS
    assert "Wrote " in out and (tmp_path / "card.png").read_bytes()[:4] == b"\x89PNG"  # the path may wrap


def test_pause_and_resume_from_the_saved_file(demo_dir, tmp_path):
    saved = tmp_path / "paused.yaml"
    keys = list(RATINGS)
    first = f"interview five_forces {saved}\n" + force_lines(keys[0], 4) + force_lines(keys[1], 2) + "pause\ntables\n"
    out = chat(demo_dir, tmp_path, first)
    assert f"paused with 2 of 5 forces rated; saved {saved}" in out
    assert "> tables" in out  # the shell goes on after the pause
    state = yaml.safe_load(saved.read_text())
    assert state["position"] == {"force": 2, "step": 0}
    # an interview cut off by the end of input is saved too
    partial = force_lines(keys[2], 3).splitlines()[:2]
    out = chat(demo_dir, tmp_path, f"interview five_forces {saved}\n" + "\n".join(partial) + "\n")
    assert "resuming" in out and "2 of 5 forces rated" in out and "Force 3 of 5: Supplier power" in out
    assert yaml.safe_load(saved.read_text())["position"] == {"force": 2, "step": 2}
    rest = force_lines(keys[2], 3).splitlines()[2:]
    out = chat(demo_dir, tmp_path, f"interview five_forces {saved}\n" + "\n".join(rest) + "\n"
               + "".join(force_lines(k, RATINGS[k]) for k in keys[3:]) + f"export {tmp_path / 'c.csv'}\n")
    assert "Five Forces scorecard" in out
    assert exported_ratings(tmp_path / "c_scorecard.csv") == RATINGS
    answers = yaml.safe_load(saved.read_text())["forces"]["supplier_power"]["answers"]
    assert answers[:2] == ["supplier_power answer 1", "supplier_power answer 2"]


def test_scorecard_outside_the_shell(session, tmp_path):
    iv = Interview(load_guide("five_forces.yaml"))
    for key in ("rivalry", "new_entrants"):
        for line in force_lines(key, RATINGS[key]).splitlines():
            iv.answer(line)
    path = iv.save(tmp_path / "two.yaml")
    a = session.ask("five forces", params={"interview": str(path)})
    assert a.title == "Five Forces scorecard"
    overall = dict(a.table("overall").rows)
    assert overall["forces rated"] == 2 and overall["average force strength (1-5)"] == 3.0
    assert f"{overall['average force strength (1-5)']:.2f}" in a.summary
    assert overall["reading"] == "moderately attractive" and overall["reading"] in a.summary
    assert any("3 of 5 forces are not rated yet" in w and str(path) in w for w in a.warnings)
    assert a.charts[0].table == "scorecard"


def test_ratings_that_the_data_contradicts_are_flagged(tmp_path):
    """Buyer power rated 1 while one customer holds 90% of revenue: the narrative asks to check it."""
    rows = [("BIG", f"O{i}", f"2024-{1 + i % 12:02d}-05", 900.0) for i in range(10)]
    rows += [(f"S{i}", f"P{i}", "2024-03-09", 10.0) for i in range(100)]
    orders = tmp_path / "orders.csv"
    pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"]).to_csv(orders, index=False)
    iv = Interview(load_guide("five_forces.yaml"))
    for key, rating in RATINGS.items():
        for line in force_lines(key, rating).splitlines():
            iv.answer(line)
    assert iv.done
    a = Session(data=[str(orders)], entry_points=False).run("five_forces", {"interview": str(iv.save(tmp_path / "x.yaml"))})
    assert "Check these ratings: you rated Buyer power as weak" in a.summary


def test_bad_interview_files(session, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text("framework: spin\n")
    with pytest.raises(DataError, match="not a saved Five Forces interview"):
        session.run("five_forces", {"interview": str(other)})
    broken = tmp_path / "broken.yaml"
    broken.write_text("framework: [unclosed\n")
    with pytest.raises(DataError, match="not valid YAML"):
        session.run("five_forces", {"interview": str(broken)})
    with pytest.raises(DataError, match="there is no interview"):
        session.run("five_forces", {"interview": str(tmp_path / "missing.yaml")})


def test_a_company_guide_replaces_the_builtin(session, tmp_path):
    guide = load_guide("five_forces.yaml")
    guide["forces"][0]["questions"] = ["Who are our three biggest rivals?"]
    path = tmp_path / "ours.yaml"
    path.write_text(yaml.safe_dump(guide))
    a = session.run("five_forces", {"guide": str(path)})
    assert a.table("questions").rows[0] == ["Competitive rivalry", 1, "Who are our three biggest rivals?"]
    assert f"--param guide={path}" in a.summary


def test_interview_command_usage(demo_dir, tmp_path):
    out = chat(demo_dir, tmp_path, "interview\ninterview nothing\n")
    assert out.count("error: usage: interview NAME [FILE]; guided interviews: five_forces") == 2


def test_the_evidence_is_kept_to_the_part_of_the_business_named():
    """"five forces for the Coffee category": the concentration evidence counts the Coffee buyers
    only (as many as bought Coffee for more than nothing), the first line says the filter; without
    it, every buyer."""
    from custlens import Session

    s = Session(entry_points=False)
    s.load_demo(customers=600)
    buyers = s.dataset.scalar("SELECT count(*) FROM (SELECT customer_id FROM transactions WHERE category = 'Coffee' "
                              "AND customer_id IS NOT NULL GROUP BY 1 HAVING sum(amount) > 0)")
    everyone = s.dataset.scalar("SELECT count(*) FROM (SELECT customer_id FROM transactions WHERE customer_id IS NOT "
                                "NULL GROUP BY 1 HAVING sum(amount) > 0)")
    assert 0 < buyers < everyone
    a = s.fork().chat("five forces analysis for the Coffee category")
    assert a.analysis == "five_forces" and "filter: category = Coffee" in a.understood
    evidence = next(t for t in a.tables if t.name == "evidence")
    assert f"the top 10 of {buyers:,} customers" in evidence.rows[0][1]
    whole = s.fork().chat("five forces analysis")
    assert f"the top 10 of {everyone:,} customers" in next(t for t in whole.tables if t.name == "evidence").rows[0][1]


def test_the_number_of_biggest_customers_asked_is_the_one_the_concentration_names(session, store):
    # "what do the top 5 accounts represent" was answered with the top 10's share: the number asked is kept
    orders = store.tables["orders"]
    sales = orders[(orders.amount > 0) & (orders.quantity > 0)]
    revenue = sales.groupby("customer_id").amount.sum().sort_values(ascending=False)
    a = session.fork().ask("buyer power: what share of revenue do the top 5 customers represent? five forces")
    assert a.analysis == "five_forces" and a.params["top"] == 5
    row = evidence(a, "Buyer power")[0]
    assert row["value"] == round(revenue.head(5).sum() / revenue.sum(), 6)
    assert f"the top 5 of {len(revenue):,} customers" in row["evidence"]
