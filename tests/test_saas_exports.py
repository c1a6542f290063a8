"""A SaaS company's three exports loaded together (trial 20: NovaSaaS): payments (the sales), accounts
(customer_id, plan, industry) and subscriptions (customer_id, status Active/Churned, end_date). The
accounts and the subscriptions are both read as customers, keyed by the same ids: each id is one
customer with the columns of both, whatever the order the files are given in (the subscriptions'
status was dropped when the accounts came first, and churn refused). Planted figures."""

import datetime as dt
import itertools

import pytest

from helpers import session, write

N = 120
PLANS = ["Starter", "Growth", "Enterprise"]


def plan(i: int) -> str:
    return "Enterprise" if i % 6 == 0 else PLANS[i % 2]  # Enterprise: 20 accounts, a small group


def churned(i: int) -> bool:
    # planted: Enterprise (every sixth) 1 of 20 churned, Growth (odd ids) 24 of 60, Starter (the other even ids) 8 of 40
    return i % 6 == 0 and i == 6 or i % 2 == 1 and i % 5 in (0, 1) or i % 2 == 0 and i % 6 and i % 5 == 0


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("saas")
    payments = write(folder / "payments.csv", [["payment_id", "customer_id", "payment_date", "amount", "status"]] + [
        [f"P{i}-{m}", f"C{i:03d}", dt.date(2023, 1 + m, 1).isoformat(), 100, "Paid"]
        for i in range(N) for m in range(3)])
    accounts = write(folder / "customers.csv", [["customer_id", "company_name", "plan", "industry", "signup_date"]] + [
        [f"C{i:03d}", f"Company {i}", plan(i), ["Retail", "Finance"][i % 2], "2022-06-01"] for i in range(N)])
    subscriptions = write(folder / "subscriptions.csv", [["subscription_id", "customer_id", "status", "start_date",
                                                           "end_date"]] + [
        [f"S{i}", f"C{i:03d}", "Churned" if churned(i) else "Active", "2022-06-01",
         "2023-09-30" if churned(i) else ""] for i in range(N)])
    return payments, accounts, subscriptions


@pytest.mark.parametrize("order", list(itertools.permutations(range(3)))[:3])
def test_two_customers_files_of_the_same_ids_are_one_customer_each(files, order):
    s = session(*[files[i] for i in order])
    answer = s.ask("what's our churn rate")
    want = sum(map(churned, range(N)))
    headline = dict(answer.tables[0].rows)
    assert (headline["customers"], headline["churned"]) == (N, want)
    assert any("also in another customers source" in w and "its columns from both" in w
               for src in s.dataset.describe() for w in src["warnings"])


def test_a_small_group_that_churns_less_than_the_lowest_is_said(files):
    answer = session(*files).ask("churn rate by plan")
    rates = {r[0]: r[3] for t in answer.tables if t.name == "churn_by_contract" for r in t.rows}
    assert rates["Enterprise"] == pytest.approx(1 / 20)
    assert "Enterprise**, only 20 customers, is lower still at 5.0%" in answer.summary


def test_a_count_of_customers_is_not_given_a_share_of_revenue(files):
    answer = session(*files).ask("how many customers by industry")
    assert answer.params["metric"] == "customers"
    lead = answer.summary.split("\n")[0]
    assert "Finance** is highest with 60" in lead or "Retail** is highest with 60" in lead, lead
    assert "of revenue" not in lead  # 60 customers are no share of the revenue
