"""Classes of failure found by the seventeenth new-user trial (an insurer's customers table with a
lifetime value of each customer, IBM's Marketing Customer Value Analysis; a mall chain's invoice
lines, the Istanbul customer shopping data). Each test plants the pattern in a small file written
here and checks the answer against pandas and its first line."""

import pandas as pd
import pytest

from helpers import numbers, session, write
from custlens.templates import pct


def first_line(answer) -> str:
    return answer.summary.strip().splitlines()[0]


# --- a customers table of policies: a lifetime value column, a premium per month, counts of things ---

POLICIES = ["Customer", "State", "Customer Lifetime Value", "Response", "Coverage", "Employment Status",
            "Monthly Premium Auto", "Number of Policies", "Policy Type", "Policy", "Months Since Policy Inception",
            "Vehicle Class", "Vehicle Size", "Sales Channel"]


def policy_rows():
    rows = []
    for i in range(80):
        ptype = ["Personal Auto", "Corporate Auto", "Special Auto"][i % 3]
        rows.append([f"KX{10000 + i}", ["Oregon", "Nevada", "Utah"][i % 3 if i % 7 else 0],
                     round(2000.0 + (i * 397) % 9000 + (i % 5) * 13.25, 2), "Yes" if i % 6 == 0 else "No",
                     ["Basic", "Extended", "Premium"][i % 4 % 3], ["Employed", "Retired"][i % 5 == 0],
                     60 + (i * 11) % 70, 1 + i % 4, ptype, f"{ptype.split()[0]} L{1 + i % 2}", (i * 13) % 90,
                     ["SUV", "Sedan", "Van"][i % 3 if i % 4 else 1], ["Small", "Large"][i % 2],
                     ["Agent", "Web"][i % 3 == 0]])
    return rows


@pytest.fixture
def policies(tmp_path):
    path = write(tmp_path / "policyholders.csv", [POLICIES] + policy_rows())
    frame = pd.read_csv(path)
    s = session(path)
    assert s.dataset.sources[0].role == "customers"
    return s, frame


def test_initials_said_of_a_column_written_in_words(policies):
    """'average CLV by state' went to the CLV analysis, which needs sales: the column was there."""
    s, frame = policies
    for question in ("average CLV by state", "mean clv per state"):
        answer = s.ask(question)
        assert answer.params.get("measure") == "customer_lifetime_value", question
        by = answer.table("by_region").frame.set_index("region")
        truth = frame.groupby("State")["Customer Lifetime Value"].mean()
        for state, value in truth.items():
            assert by.loc[state].iloc[-1] == pytest.approx(value, rel=1e-6)
    answer = s.ask("average CLV of responders vs non-responders")
    assert answer.params.get("measure") == "customer_lifetime_value"


def test_a_column_said_without_its_leading_customer_word(policies):
    """'lifetime value by employment status', 'top 10 customers by lifetime value': refused for
    want of sales, though Customer Lifetime Value is a column of the table."""
    s, frame = policies
    answer = s.ask("lifetime value by employment status")
    assert answer.params.get("measure") == "customer_lifetime_value"
    assert "lifetime value" in answer.understood
    ranked = s.ask("top 5 customers by lifetime value")
    got = list(ranked.table("by_customer").frame["customer"])
    assert got == list(frame.nlargest(5, "Customer Lifetime Value")["Customer"])
    ranked = s.ask("which 3 clients have the highest lifetime value?")
    assert list(ranked.table("by_customer").frame["customer"])[:3] == \
        list(frame.nlargest(3, "Customer Lifetime Value")["Customer"])


def test_initials_are_the_analysis_where_there_are_sales(tmp_path):
    """With sales loaded, CLV is the analysis of that name, never a customers column."""
    orders = write(tmp_path / "orders.csv", [["customer_id", "order_id", "order_date", "amount"]] + [
        [f"C{i % 9}", f"O{i}", f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}", 10.0 + i] for i in range(60)])
    customers = write(tmp_path / "customers.csv", [["customer_id", "Customer Lifetime Value", "region"]] + [
        [f"C{i}", 100.0 * i, "North" if i % 2 else "South"] for i in range(9)])
    s = session(orders, customers)
    assert s._route("average CLV by region").analysis == "clv"


def test_a_grain_adverb_that_opens_a_column_name_is_that_column(policies):
    """'average monthly premium by coverage' read 'monthly' as a grain and failed: no sales dates."""
    s, frame = policies
    answer = s.ask("average monthly premium by coverage")
    by = answer.table("by_coverage").frame.set_index("coverage")
    for coverage, value in frame.groupby("Coverage")["Monthly Premium Auto"].mean().items():
        assert by.loc[coverage].iloc[-1] == pytest.approx(value, rel=1e-6)
    total = s.ask("total monthly premiums of web customers")
    want = frame.loc[frame["Sales Channel"] == "Web", "Monthly Premium Auto"].sum()
    assert numbers(first_line(total))[0] == pytest.approx(want)


def test_a_word_of_a_column_said_whole_is_no_other_column(policies):
    """'number of policies', 'months since policy inception', 'vehicle class': the Policy and
    Vehicle Size columns were added as breakdowns of their own."""
    s, frame = policies
    answer = s.ask("average number of policies by state")
    assert answer.params.get("by") == ["region"]
    answer = s.ask("median months since policy inception by policy type")
    assert answer.params.get("by") == ["policy_type"]
    by = answer.table("by_policy_type").frame.set_index("policy_type")
    for ptype, value in frame.groupby("Policy Type")["Months Since Policy Inception"].median().items():
        assert by.loc[ptype].iloc[-1] == pytest.approx(value)
    answer = s.ask("which vehicle class has the highest average lifetime value?")
    assert answer.params.get("by") == ["vehicle_class"]
    # the column said alone is still the breakdown
    assert s.ask("customers by policy").params.get("by") == ["policy"]


# --- a count column of things a customer has (Number of Open Complaints) ---------------------------

def test_a_count_column_said_as_had_is_above_zero(tmp_path):
    """'what share of customers have an open complaint' went to the feedback analysis (no feedback
    loaded): the customers with a count above 0, of all."""
    rows = [[f"C{i}", ["Oregon", "Utah"][i % 2], [0, 0, 1, 0, 2, 0, 3][i % 7], 50 + i] for i in range(70)]
    path = write(tmp_path / "members.csv", [["Customer", "State", "Number of Open Complaints", "Income"]] + rows)
    frame = pd.read_csv(path)
    s = session(path)
    had = int((frame["Number of Open Complaints"] > 0).sum())
    for question in ("what share of customers have an open complaint?", "how many customers have open complaints",
                     "share of clients with at least one open complaint"):
        answer = s.ask(question)
        assert answer.params.get("filters") == {"number_of_open_complaints": ["> 0"]}, question
        assert f"{had:,} of the {len(frame):,} customers" in first_line(answer), question
    none = s.ask("customers without open complaints by state")
    by = none.table("by_region").frame.set_index("region")["customers"]
    truth = frame[frame["Number of Open Complaints"] == 0].groupby("State").size()
    assert by.to_dict() == truth.to_dict()


# --- a date column written two ways, one of them ambiguous ------------------------------------------

def test_a_mixed_date_column_reads_its_ambiguous_format_in_the_order_its_other_dates_show(tmp_path):
    """'1/13/11' beside '01-02-11' (IBM's Effective To Date, days up to 12 written with dashes):
    the dashed dates were read day first ('02-12-11' as 2 December), the slashed month first."""
    days = [f"1/{d}/11" for d in range(13, 29)] + [f"0{m}-{d:02d}-11" for m in (1, 2) for d in range(1, 13)]
    rows = [[f"K{i}", days[i % len(days)], ["Basic", "Premium"][i % 2]] for i in range(80)]
    path = write(tmp_path / "policies.csv", [["Customer", "Effective To Date", "Coverage"]] + rows)
    s = session(path)
    got = s.dataset.query("SELECT min(effective_to_date) AS lo, max(effective_to_date) AS hi FROM customers").iloc[0]
    assert str(got["lo"])[:10] == "2011-01-01" and str(got["hi"])[:10] == "2011-02-12"
    answer = s.ask("customers by effective to date month")
    frame = answer.table("by_effective_to_date").frame
    assert list(frame["effective_to_date"]) == ["2011-01", "2011-02"]
    want = pd.Series([days[i % len(days)] for i in range(80)])
    january = int(want.str.startswith(("1/", "01-")).sum())
    assert list(frame["customers"]) == [january, 80 - january]


# --- a mall chain's invoice lines: a column said by one word, things bought, a kind of the sales ----

def invoice_rows():
    rows = []
    for i in range(90):
        rows.append([f"I{1000 + i}", f"C{100 + i % 70}", ["Female", "Male"][i % 2], 20 + i % 40,
                     ["Shoes", "Books", "Toys"][i % 3 if i % 4 else 0], 1 + i % 4, 10.0 + (i * 7) % 50,
                     ["Cash", "Credit Card"][i % 2], f"{1 + i % 28:02d}/{1 + i % 12:02d}/2022",
                     ["Kanyon", "Zorlu Center", "Forum Istanbul"][i % 3]])
    return rows


@pytest.fixture
def invoices(tmp_path):
    header = ["invoice_no", "customer_id", "gender", "age", "category", "quantity", "price", "payment_method",
              "invoice_date", "shopping_mall"]
    path = write(tmp_path / "invoices.csv", [header] + invoice_rows())
    frame = pd.read_csv(path)
    frame["revenue"] = frame["quantity"] * frame["price"]
    return session(path), frame


def test_groups_ranked_said_by_one_word_of_their_column(invoices):
    """'top 5 malls by number of orders' lost the malls (shopping_mall): the headline alone."""
    s, frame = invoices
    for question in ("top 2 malls by number of orders", "which malls have the most orders?",
                     "which mall sold the most orders"):
        answer = s.ask(question)
        assert answer.params.get("by") == ["shopping_mall"], question
        got = answer.table("by_shopping_mall").frame.set_index("shopping_mall")["orders"]
        assert got.to_dict() == frame.groupby("shopping_mall")["invoice_no"].nunique().to_dict()


def test_a_column_said_before_the_sales_is_a_breakdown_too(invoices):
    """'category sales by mall' was by mall alone; a value said so stays a filter."""
    s, frame = invoices
    answer = s.ask("category sales by mall")
    assert answer.params.get("by") == ["shopping_mall", "category"]
    crossed = answer.table("shopping_mall_x_category").frame
    assert crossed.select_dtypes("number").to_numpy().sum() == pytest.approx(frame["revenue"].sum(), rel=1e-6)
    assert s.ask("payment method revenue by mall").params.get("by") == ["shopping_mall", "payment_method"]
    shoes = s.ask("shoes sales by mall")
    assert shoes.params.get("filters") == {"category": ["Shoes"]} and shoes.params.get("by") == ["shopping_mall"]


def test_what_a_group_buys_is_the_categories_bought(invoices):
    """'what do men buy vs women?' gave revenue by gender alone."""
    s, frame = invoices
    answer = s.ask("what do men buy vs women?")
    assert answer.params.get("by") == ["gender", "category"]
    assert "category" in answer.understood
    answer = s.ask("what do customers at Kanyon buy?")
    assert answer.params.get("by") == ["category"] and answer.params.get("filters") == {"shopping_mall": ["Kanyon"]}
    by = answer.table("by_category").frame.set_index("category")["revenue"]
    truth = frame[frame["shopping_mall"] == "Kanyon"].groupby("category")["revenue"].sum()
    for category, value in truth.items():
        assert by[category] == pytest.approx(value)


def test_the_share_of_a_kind_of_customer_who_did_the_flag(policies):
    """'what fraction of unemployed customers responded?' was asked back (three readings): the
    share of yes of Response among the Retired (a kind said between the share and the verb)."""
    s, frame = policies
    retired = frame[frame["Employment Status"] == "Retired"]
    want = (retired["Response"] == "Yes").mean()
    for question in ("what fraction of retired customers responded?", "what percentage of retired clients have responded"):
        answer = s.ask(question)
        assert answer.params.get("measure") == "response" and answer.params.get("stat") == "share", question
        assert answer.params.get("filters") == {"employment_status": ["Retired"]}, question
        assert f"of {len(retired):,} customers" in first_line(answer)
    oregon = s.ask("share of customers in Oregon who responded")
    part = frame[frame["State"] == "Oregon"]
    assert f"{int((part['Response'] == 'Yes').sum()):,} of {len(part):,} customers" in first_line(oregon)
    assert want == pytest.approx(float(s.ask("what fraction of retired customers responded?")
                                       .table("headline").frame.set_index("measure").loc["response rate", "value"]),
                                 abs=1e-4)


def test_items_in_an_average_order_are_its_units(invoices):
    """'how many items are in an average order?' was answered with the order's value."""
    s, frame = invoices
    for question in ("how many items are in an average order?", "how many units in the average order"):
        answer = s.ask(question)
        assert answer.params.get("metric") == "quantity", question
        per_order = frame["quantity"].sum() / frame["invoice_no"].nunique()
        assert f"{per_order:,.2f} per order" in first_line(answer)
    assert s.ask("what's our average order value").params.get("metric") == "aov"


def test_the_top_group_of_units_is_said_as_its_share_of_units(invoices):
    """'Top category: Shoes with units of 1,965 (25.8% of revenue)': the revenue share beside units."""
    s, frame = invoices
    answer = s.ask("how many units did we sell?")
    top = frame.groupby("category")["quantity"].sum()
    line = next(l for l in answer.summary.splitlines() if l.startswith("- Top category"))
    assert f"({pct(top.max() / top.sum())} of units)" in line


def test_a_level_of_each_customer_named_bare_is_averaged_not_summed(policies):
    """'lifetime value by employment status' summed the lifetime values (73 million by status);
    'months since policy inception by state' summed months. A level of each customer (a lifetime
    value, months since, a score, an age) named without a statistic is its average; an amount that
    adds up (a claim amount, a premium) is still summed."""
    s, frame = policies
    answer = s.ask("lifetime value by employment status")
    assert answer.params.get("stat") == "mean"
    by = answer.table("by_employment_status").frame.set_index("employment_status")
    for status, value in frame.groupby("Employment Status")["Customer Lifetime Value"].mean().items():
        assert by.loc[status].iloc[-1] == pytest.approx(value, rel=1e-6)
    assert s.ask("months since policy inception by state").params.get("stat") == "mean"
    assert s.ask("monthly premium by state").params.get("stat") == "sum"


def test_a_column_read_from_other_words_is_said_once_and_ranks_the_customers(policies):
    """'CLV by gender' said "read 'CLV' as customer_lifetime_value · read 'customer_lifetime_value'
    as ..." (the column's own name read again); 'top 5 customers by monthly premium' failed: the
    column put by its name was no phrase of a ranking."""
    s, frame = policies
    answer = s.ask("CLV by state")
    assert answer.understood.count("customer_lifetime_value'") == 0 and answer.understood.count("read '") == 1
    ranked = s.ask("top 5 customers by monthly premium")
    top = frame.sort_values(["Monthly Premium Auto", "Customer"], ascending=[False, True]).head(5)
    assert list(ranked.table("by_customer").frame["monthly_premium_auto"]) == list(top["Monthly Premium Auto"])
