"""Customer tables of a campaign's outcome (the eighth new-user trial: UCI Bank Marketing, one row per
client with no id column and a `subscription` yes/no outcome; a credit-card churn table). A table
without an id is customers, a row each, and says so; a yes/no outcome that is not churn is asked as
a rate or a count by its name or its verb; a comparison on a numeric column is a filter on it; a
statistic of a column said loosely, and a ranking of the customers by a column, read that column.
Small files the tests write, with planted answers computed here from the rows themselves."""

import pytest

from helpers import session, write
from custlens.templates import pct

BANK = ["age", "job", "marital", "balance", "housing", "loan", "contact", "subscription"]
#: (job, clients, subscribed)
JOBS = (("student", 10, 4), ("retired", 8, 2), ("blue-collar", 20, 1), ("management", 12, 3))


def bank_rows():
    rows, n = [], 0
    for job, clients, subscribed in JOBS:
        for i in range(clients):
            n += 1
            housing = "yes" if n % 3 else "no"
            # the subscribers mostly without a housing loan: a rate that differs by housing
            sub = "yes" if i < subscribed else "no"
            if sub == "yes":
                housing = "no" if i % 2 == 0 else "yes"
            balance = -50 * (n % 7) if n % 5 == 0 else 100 * n
            rows.append({"age": 20 + n, "job": job, "marital": "single" if n % 2 else "married", "balance": balance,
                         "housing": housing, "loan": "yes" if n % 4 == 0 else "no",
                         "contact": "cellular" if n % 2 else "telephone", "subscription": sub})
    return rows


ROWS = bank_rows()


def share(rows):
    return sum(r["subscription"] == "yes" for r in rows) / len(rows)


@pytest.fixture
def bank(tmp_path):
    return write(tmp_path / "bank.csv", [BANK] + [[r[c] for c in BANK] for r in ROWS])


@pytest.fixture
def plain(bank):
    return session(bank)


def headline(answer):
    return dict(answer.table("headline").rows)


def by(answer, column, value_column=None):
    table = answer.table(f"by_{column}")
    i = table.columns.index(value_column) if value_column else len(table.columns) - 1
    return {r[0]: r[i] for r in table.rows}


@pytest.mark.parametrize("how", ["plain", "customers="])
def test_a_table_without_an_id_is_customers_a_row_each(bank, how):
    s = session(bank) if how == "plain" else session(f"customers={bank}")
    a = s.ask("how many clients do we have?")
    assert a.analysis == "overview" and headline(a)["customers"] == len(ROWS) == 50
    assert any("each of its 50 rows is read as one customer" in w for w in a.warnings)
    seg = s.ask("segment the clients")
    assert seg.analysis == "segmentation" and "needs at least 2 customers" not in seg.summary


def test_a_yes_no_column_named_like_a_contract_is_not_one(plain):
    a = plain.ask("how many clients do we have?")
    assert "By contract" not in a.summary and "contract" not in " ".join(t.name for t in a.tables)
    assert "subscription" in plain.dataset.columns("customers")


def test_the_rate_of_an_outcome_by_a_breakdown(plain):
    a = plain.ask("subscription rate by job")
    assert (a.params["measure"], a.params["stat"]) == ("subscription", "share")
    want = {job: subscribed / clients for job, clients, subscribed in JOBS}
    assert by(a, "job", "subscription rate") == pytest.approx(want)
    assert ("highest for **student** (40.0%; only 10 customers, a small sample), lowest for **blue-collar** "
                           "(5.0%; only 20 customers, a small sample)") in a.summary


@pytest.mark.parametrize("question", ["what share of clients subscribed?", "what percentage of clients subscribed",
                                      "what is the subscription rate"])
def test_the_share_who_did_is_said_by_the_verb(plain, question):
    a = plain.ask(question)
    assert a.analysis == "overview" and (a.params["measure"], a.params["stat"]) == ("subscription", "share")
    assert headline(a)["subscription rate"] == pytest.approx(share(ROWS)) == pytest.approx(0.2)


def test_a_comparative_of_the_verb_is_the_rate_by_the_group(plain):
    a = plain.ask("do people with a housing loan subscribe less?")
    assert (a.params["measure"], a.params["stat"]) == ("subscription", "share") and "housing" in a.params["by"]
    want = {h: share([r for r in ROWS if r["housing"] == h]) for h in ("yes", "no")}
    assert want["yes"] < want["no"]
    assert by(a, "housing", "subscription rate") == pytest.approx(want, abs=1e-4)  # rounded to 4 places


def test_a_generic_outcome_word_is_the_one_outcome_column_and_said(plain):
    a = plain.ask("whats the conversion rate for retired clients")
    assert a.analysis == "overview" and a.params["filters"] == {"job": ["retired"]}
    assert "read 'conversion' as subscription" in a.understood
    assert headline(a)["subscription rate"] == pytest.approx(2 / 8)
    assert "By job" not in a.summary  # filtered to one job: no split by it


def test_how_many_of_a_kind_did_is_a_count(plain):
    """"how many students subscribed": the students who did, with their whole (one figure, never a
    filter on the yes/no column itself)."""
    a = plain.ask("how many students subscribed?")
    assert a.params["filters"] == {"job": ["student"]} and a.params["measure"] == "subscription"
    assert a.summary.startswith("**4 of 10 customers (40.0%)** have subscription = yes for job = student")
    b = plain.ask("how many clients where subscription is yes")
    yes = sum(r["subscription"] == "yes" for r in ROWS)
    assert yes == 10 and b.summary.startswith(f"**{yes} of {len(ROWS)} customers")


def test_an_average_of_those_who_did_against_those_who_did_not(plain):
    a = plain.ask("average age of clients who subscribed vs those who didn't")
    assert a.params["measure"] == "age" and a.params["by"] == ["subscription"]
    want = {v: sum(r["age"] for r in ROWS if r["subscription"] == v) / sum(r["subscription"] == v for r in ROWS)
            for v in ("yes", "no")}
    assert by(a, "subscription", "average age") == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize("question, op", [("how many clients have a negative balance?", lambda b: b < 0),
                                          ("balance below 0", lambda b: b < 0),
                                          ("how many clients have a balance of at least 2,000", lambda b: b >= 2000),
                                          ("how many clients have a balance over 2k", lambda b: b > 2000)])
def test_a_comparison_on_a_numeric_column_is_a_filter(plain, question, op):
    a = plain.ask(question)
    want = sum(op(r["balance"]) for r in ROWS)
    assert 0 < want < len(ROWS)
    assert a.analysis == "overview" and headline(a)["customers"] == want
    assert "filter: balance " in a.understood and a.params.get("measure") != "balance"
    assert "sum balance" not in a.summary
    assert f"That is {want:,} of the 50 customers ({pct(want / 50)}) with balance " in a.summary


def test_a_comparison_filters_an_average_too(plain):
    a = plain.ask("average age of clients with balance under 0")
    negative = [r["age"] for r in ROWS if r["balance"] < 0]
    assert headline(a)["average age"] == pytest.approx(sum(negative) / len(negative), abs=0.01)
    assert "filter: balance < 0" in a.understood


CARDS = ["CLIENTNUM", "Attrition_Flag", "Gender", "Income_Category", "Card_Category", "Months_Inactive_12_mon",
         "Credit_Limit", "Total_Trans_Amt", "Total_Trans_Ct", "Avg_Utilization_Ratio"]


def card_rows():
    rows = []
    incomes, cards = ("Less than $40K", "$40K - $60K", "$120K +"), ("Blue", "Silver", "Gold")
    for n in range(60):
        churned = n % 4 == 0
        rows.append({"CLIENTNUM": str(700000 + n), "Attrition_Flag": "yes" if churned else "no",
                     "Gender": "F" if n % 2 else "M", "Income_Category": incomes[n % 3], "Card_Category": cards[n % 5 % 3],
                     "Months_Inactive_12_mon": n % 6, "Credit_Limit": 1000.0 * (1 + n % 5 % 3) + n,
                     "Total_Trans_Amt": 500 + 37 * n, "Total_Trans_Ct": (20 if churned else 60) + n % 7,
                     "Avg_Utilization_Ratio": round(0.6 - 0.2 * (n % 3) + 0.001 * n, 3)})
    return rows


CARD_ROWS = card_rows()


@pytest.fixture
def cards(tmp_path):
    path = write(tmp_path / "churners.csv", [CARDS] + [[r[c] for c in CARDS] for r in CARD_ROWS])
    return Session_with_maps(path)


def Session_with_maps(path):
    from custlens import Session

    return Session(data=[f"customers={path}"], maps=["customer_id=CLIENTNUM", "churned=Attrition_Flag"],
                   entry_points=False)


def mean_by(rows, key, value):
    groups = {}
    for r in rows:
        groups.setdefault(r[key], []).append(r[value])
    return {k: sum(v) / len(v) for k, v in groups.items()}


def test_a_count_over_a_threshold_is_no_churn_window(cards):
    a = cards.ask("how many customers are inactive for 3 months or more?")
    assert a.analysis == "overview" and "inactive_days" not in a.params
    assert a.params["filters"] == {"months_inactive_12_mon": [">= 3"]}
    assert headline(a)["customers"] == sum(r["Months_Inactive_12_mon"] >= 3 for r in CARD_ROWS) == 30


def test_an_average_said_loosely_by_a_group_said_loosely(cards):
    a = cards.ask("average utilization ratio by income group")
    assert a.analysis == "overview" and a.params["measure"] == "avg_utilization_ratio"
    assert a.params["by"] == ["income_category"]
    got = by(a, "income_category", "average utilization ratio")
    assert got == pytest.approx(mean_by(CARD_ROWS, "Income_Category", "Avg_Utilization_Ratio"), abs=1e-4)


def test_an_average_by_a_header_synonym(cards):
    a = cards.ask("average credit limit by card type")
    assert a.params["by"] == ["card_category"] and a.params["measure"] == "credit_limit"
    assert by(a, "card_category", "average credit limit") == pytest.approx(
        mean_by(CARD_ROWS, "Card_Category", "Credit_Limit"), abs=0.01)


def test_an_average_of_a_count_column_of_churned_against_the_rest(cards):
    a = cards.ask("average number of transactions of churned vs existing customers")
    assert a.analysis == "overview" and a.params["measure"] == "total_trans_ct" and a.params["by"] == ["churned"]
    assert "read 'number of transactions' as total_trans_ct" in a.understood
    want = mean_by(CARD_ROWS, "Attrition_Flag", "Total_Trans_Ct")
    got = by(a, "churned", "average total trans ct")
    assert got == pytest.approx({"churned": want["yes"], "not churned": want["no"]}, abs=0.01)


def test_the_top_customers_by_a_column_of_the_customers_table(cards):
    a = cards.ask("top 5 customers by total transaction amount")
    assert a.params["by"] == ["customer"] and a.params["measure"] == "total_trans_amt"
    table = a.table("by_customer")
    want = sorted(CARD_ROWS, key=lambda r: -r["Total_Trans_Amt"])[:5]
    assert [r[0] for r in table.rows] == [r["CLIENTNUM"] for r in want]
    assert [r[1] for r in table.rows] == pytest.approx([r["Total_Trans_Amt"] for r in want])
    assert f"customer **{want[0]['CLIENTNUM']}**" in a.summary
    low = cards.ask("bottom 3 clients by credit limit")
    assert [r[0] for r in low.table("by_customer").rows] == [
        r["CLIENTNUM"] for r in sorted(CARD_ROWS, key=lambda r: (r["Credit_Limit"], r["CLIENTNUM"]))[:3]]


def test_a_count_column_over_a_number_of_things(cards):
    a = cards.ask("how many customers have more than 50 transactions")
    assert a.params["filters"] == {"total_trans_ct": ["> 50"]}
    assert headline(a)["customers"] == sum(r["Total_Trans_Ct"] > 50 for r in CARD_ROWS) == 45
