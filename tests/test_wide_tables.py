"""A wide customers table (one row per customer, one column per campaign, product category and
channel: the Kaggle marketing-campaign layout) answers questions across its columns (the sixth
new-user trial's retry, R6/R11/R13/R14): sibling columns side by side ("which of the five campaigns
had the highest acceptance rate" was a top-5 cut), any of several flags as one share, a category's
share of the total spend, days since the last purchase as churn, the drivers of a 0/1 column, and
k-means that a placeholder income does not split off. The file is written here with planted answers."""

import pytest

from helpers import session, write

from custlens.errors import CustlensError
from custlens.templates import pct

HEADER = ["ID", "Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome", "Dt_Customer",
          "Recency", "MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts",
          "MntGoldProds", "NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases", "AcceptedCmp3",
          "AcceptedCmp4", "AcceptedCmp5", "AcceptedCmp1", "AcceptedCmp2", "Complain", "Response", "Spent"]
N = 200
#: who accepted which campaign (customer numbers 0..199): Cmp3 30 (15%), Cmp4 20, Cmp5 16, Cmp1 10, Cmp2 4;
#: at least one: customers 0..53 = 54 (27%); two of them: 0-15 (3 and 5) and 20-29 (3 and 4) = 26, one: 28
ACCEPTED = {"AcceptedCmp3": range(0, 30), "AcceptedCmp4": range(20, 40), "AcceptedCmp5": range(0, 16),
            "AcceptedCmp1": range(40, 50), "AcceptedCmp2": range(50, 54)}
#: each customer's spend per category: wines 100, meat 50, gold 20, fish 15, sweets 10, fruits 5 (200 in all)
SPEND = {"MntWines": 100, "MntMeatProducts": 50, "MntGoldProds": 20, "MntFishProducts": 15,
         "MntSweetProducts": 10, "MntFruits": 5}
PLACEHOLDER = 666_666


def rows():
    out = [HEADER]
    for i in range(N):
        recency = i % 100  # 61..99 twice: 78 customers (39%) past 60 days
        rich = i % 2 == 0  # two planted groups: high income and spend, low income and spend
        income = PLACEHOLDER if i == 7 else (80_000 + 37 * i if rich else 25_000 + 29 * i)
        scale = 3 if rich else 1
        spend = {c: v * scale + (i % 5) for c, v in SPEND.items()}
        marital = "YOLO" if i == 11 else ("Married", "Single", "Together")[i % 3]
        row = {"ID": str(1000 + i), "Year_Birth": str(1950 + i % 40), "Education": ("PhD", "Master", "Graduation")[i % 3],
               "Marital_Status": marital, "Income": str(income), "Kidhome": str(i % 3), "Teenhome": str(i % 2),
               "Dt_Customer": f"{1 + i % 28:02d}/0{1 + i % 9}/2013", "Recency": str(recency),
               **{c: str(v) for c, v in spend.items()}, "NumWebPurchases": str(2 + i % 7),
               "NumCatalogPurchases": str(1 + i % 4), "NumStorePurchases": str(3 + i % 9),
               **{c: str(int(i in who)) for c, who in ACCEPTED.items()}, "Complain": str(int(i % 50 == 3)),
               # response: planted on a recent purchase (recency under 20: 40 of 200)
               "Response": str(int(recency < 20)), "Spent": str(sum(spend.values()))}
        out.append([row[h] for h in HEADER])
    return out


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    return session(write(tmp_path_factory.mktemp("wide") / "marketing_campaign.csv", rows()))


CAMPAIGNS = [f"accepted_cmp{n}" for n in range(1, 6)]


def by_column(answer):
    table = answer.table("columns")
    return {r[table.columns.index("column")]: dict(zip(table.columns, r)) for r in table.rows}


@pytest.mark.parametrize("question", ["Which of the five campaigns had the highest acceptance rate?",
                                      "which campaign had the best acceptance rate",
                                      "acceptance rate of each campaign"])
def test_sibling_flags_are_compared_side_by_side(wide, question):
    a = wide.ask(question)
    assert a.analysis == "overview" and a.params["columns"] == CAMPAIGNS and a.params["stat"] == "share"
    assert a.params["top"] == 10  # "the five campaigns" is no top-5 cut
    rows = by_column(a)
    assert {c: r["rate"] for c, r in rows.items()} == pytest.approx(
        {"accepted_cmp3": 0.15, "accepted_cmp4": 0.10, "accepted_cmp5": 0.08, "accepted_cmp1": 0.05,
         "accepted_cmp2": 0.02})
    assert [r["column"] for r in rows.values()][0] == "accepted_cmp3" and rows["accepted_cmp3"]["rank"] == 1
    # the first line names the columns compared, the narrative leads with the highest
    assert "columns: accepted_cmp1, accepted_cmp2, accepted_cmp3, accepted_cmp4, accepted_cmp5" in a.understood
    assert a.summary.startswith("**accepted_cmp3** has the highest rate: 15.0% (30 of 200 customers)")
    assert "Compared side by side: accepted_cmp1, accepted_cmp2" in a.summary


def test_any_of_several_flags_is_one_share(wide):
    a = wide.ask("What percentage of customers accepted at least one campaign?")
    assert a.params["any_of"] is True and a.params["columns"] == CAMPAIGNS
    assert "top" not in a.understood and "bottom" not in a.understood
    assert a.summary.startswith("**54 of 200 customers (27.0%)** have at least one of accepted_cmp1")
    counts = {r[0]: r[1] for r in a.table("how_many").rows}
    assert counts == {0: 146, 1: 28, 2: 26}


def test_a_category_share_of_the_total_spend(wide):
    a = wide.ask("What percentage of total spend goes to wine?")
    assert a.params["highlight"] == ["mnt_wines"] and len(a.params["columns"]) == 6 and a.params["stat"] == "sum"
    rows = by_column(a)
    total = sum(r["sum"] for r in rows.values())
    # planted: 100 of each 200 a low spender spends, 300 of 600 for a high one, plus i % 5 in each column
    extra = sum(i % 5 for i in range(N))
    assert rows["mnt_wines"]["sum"] == 100 * 100 + 300 * 100 + extra
    assert total == 200 * 100 + 600 * 100 + 6 * extra
    assert rows["mnt_wines"]["share of their total"] == pytest.approx(rows["mnt_wines"]["sum"] / total, abs=1e-6)
    assert a.summary.startswith(f"**mnt_wines is {pct(rows['mnt_wines']['sum'] / total)} of the total of the 6 columns**")
    assert "spent is the sum of these columns" in a.summary  # the table's own total column, found and said
    assert "read 'wine' as mnt_wines" in a.understood


def test_categories_listed_by_name_are_ranked(wide):
    a = wide.ask("Which product category brings the most spend: wines, fruits, meat, fish, sweets or gold?")
    assert a.params["columns"] == ["mnt_wines", "mnt_fruits", "mnt_meat_products", "mnt_fish_products",
                                   "mnt_sweet_products", "mnt_gold_prods"]
    assert [r["column"] for r in by_column(a).values()] == ["mnt_wines", "mnt_meat_products", "mnt_gold_prods",
                                                             "mnt_fish_products", "mnt_sweet_products", "mnt_fruits"]


def test_two_categories_against_each_other(wide):
    a = wide.ask("total spent on wines vs meat")
    assert a.params["columns"] == ["mnt_wines", "mnt_meat_products"]
    rows = by_column(a)
    extra = sum(i % 5 for i in range(N))
    assert rows["mnt_wines"]["sum"] == 40_000 + extra and rows["mnt_meat_products"]["sum"] == 20_000 + extra
    assert "1,356" not in a.summary and "sum spent" not in a.summary  # not the whole Spent column


def test_side_by_side_by_a_breakdown(wide):
    a = wide.ask("campaign acceptance rates by education")
    assert a.params["by"] == ["education"] and a.params["columns"] == CAMPAIGNS
    table = a.table("by_education")
    phd = dict(zip(table.columns, next(r for r in table.rows if r[0] == "PhD")))
    # PhD: customers 0, 3, 6, ... (67 of them); of Cmp3's 0..29, ten are PhD
    assert phd["customers"] == 67 and phd["accepted_cmp3"] == pytest.approx(10 / 67, abs=1e-4)
    assert "accepted_cmp3" in table.percent


def test_one_column_named_alone_is_that_column(wide):
    a = wide.ask("acceptance rate of campaign 3")
    assert a.params.get("measure") == "accepted_cmp3" and not a.params.get("columns")
    assert dict(a.table("headline").rows)["accepted cmp3 rate"] == pytest.approx(0.15)


def test_days_since_the_last_purchase_answer_recency_questions(wide):
    a = wide.ask("Which customers have not purchased for more than 60 days?")
    assert a.analysis == "churn" and a.params["inactive_days"] == 60
    assert "**78 of 200 customers (39.0%)** have not purchased for more than 60 days" in a.summary
    assert "Read from **recency**" in a.summary
    listed = a.table("inactive")
    assert listed.total_rows == 78
    assert all(r[1] > 60 for r in listed.rows) and listed.rows[0][1] == 99  # longest silent first
    b = wide.ask("how many customers have been inactive for 90 days?")
    assert "**18 of 200 customers (9.0%)**" in b.summary


def test_a_question_it_cannot_answer_says_what_is_loaded(tmp_path):
    s = session(write(tmp_path / "people.csv", [["ID", "Name", "Plan"], ["1", "a", "x"], ["2", "b", "y"]]))
    with pytest.raises(CustlensError) as err:
        s.ask("Which customers have not purchased for more than 60 days?")
    message = str(err.value)
    assert "loaded: people.csv as customers (2 rows; columns: contract, customer_id, name)" in message
    assert "neither is loaded" not in message


def test_what_drives_a_flag_gives_its_drivers(wide):
    a = wide.chat("reset filters. what drives response to the campaign?")
    assert a.analysis == "churn" and a.params["outcome"] == "response"
    head = dict(a.table("headline").rows)
    assert head["response = 1"] == 40 and head["response rate"] == pytest.approx(0.2)
    drivers = a.table("drivers")
    assert drivers.rows[0][drivers.columns.index("attribute")] == "recency"  # the planted driver
    assert "response" not in [r[0] for r in drivers.rows]  # never explained by itself
    assert "churn" not in a.summary.lower() or "as churn's" in a.summary
    assert "What drives response" in a.summary


def test_kmeans_sets_a_placeholder_income_aside(wide):
    a = wide.ask("Cluster customers into 2 groups by income and spent")
    sizes = [r[a.table("segments").columns.index("customers")] for r in a.table("segments").rows]
    # the planted halves; the placeholder income (a low spender's, held at the fence) joins one, not a cluster of one
    assert len(sizes) == 2 and min(sizes) >= 99 and sum(sizes) == N
    note = next(w for w in a.warnings if w.startswith("outliers set aside"))
    assert "1 customer(s)" in note and "income 666,666" in note


def test_kmeans_picks_sensible_features_when_none_are_named(wide):
    a = wide.ask("Cluster customers into 3 groups")
    chose = next(w for w in a.warnings if w.startswith("no sales data: clustered on"))
    assert "income" in chose and "mnt_wines" in chose
    used = chose.split("; left out")[0]
    assert "accepted_cmp1" not in used and "response" not in used  # 0/1 flags left out, said
    assert "yes/no flags accepted_cmp1" in chose
    assert any("YOLO" in w and "(other)" in w for w in a.warnings)  # a value of one customer is no cluster
    sizes = [r[a.table("segments").columns.index("customers")] for r in a.table("segments").rows]
    assert min(sizes) > 5


def test_a_follow_up_keeps_the_columns_and_names_them(wide):
    conversation = wide.fork()
    conversation.chat("Which of the five campaigns had the highest acceptance rate?")
    a = conversation.chat("only PhD")
    assert a.params["columns"] == CAMPAIGNS and a.params["filters"] == {"education": ["PhD"]}
    assert "columns: accepted_cmp1, accepted_cmp2" in a.understood
    # PhD: customers 0, 3, 6, ...: of Cmp3's 0..29, ten of 67
    assert by_column(a)["accepted_cmp3"]["rate"] == pytest.approx(10 / 67, abs=1e-4)
