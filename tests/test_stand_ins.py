"""An analysis that stands in for another that cannot run on the loaded data (``Analysis.stands_in_for``):
retention and loyalty asked of a customers table with a churn flag and no purchases are churn's, said
on the first line, with the figures of who stayed; with purchases loaded, retention stays cohort's."""

import pandas as pd
import pytest

from helpers import demo_session

from custlens import Session
from custlens.errors import DataError


@pytest.fixture(scope="module")
def flagged(tmp_path_factory):
    """20 customers: month-to-month 6 churned of 10, yearly 1 of 10; card payers 5 of 8, the rest 2 of 12."""
    rows = [{"customer_id": f"K{i:02d}", "contract": "Month-to-month" if i < 10 else "One year",
             "payment_method": "Card" if i in (0, 1, 2, 3, 4, 10, 11, 12) else "Transfer",
             "tenure": 3 + i, "churn": "Yes" if i in (0, 1, 2, 3, 5, 6, 10) else "No"} for i in range(20)]
    path = tmp_path_factory.mktemp("flag") / "subscribers.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return Session(data=[str(path)], entry_points=False)


@pytest.mark.parametrize("question, other", [
    ("retention by contract", "cohort"),
    ("what does customer retention look like per contract type", "cohort"),
    ("who stayed with us, split by contract", "cohort"),
    ("how loyal are our subscribers by contract", "loyalty"),
])
def test_retention_on_a_churn_flag_is_the_share_not_churned(flagged, question, other):
    a = flagged.ask(question)
    assert a.analysis == "churn"
    assert f"read '{other}' as churn" in a.understood and "not churned" in a.understood
    assert "needs transactions" in a.understood  # why: what the other one would have needed
    rates = {r[0]: r for r in a.table("churn_by_contract").rows}
    assert rates["Month-to-month"][1:3] == [10, 6] and rates["One year"][1:3] == [10, 1]
    assert "7 have churned (35.0%)** and 13 stayed (65.0%)" in a.summary


def test_the_stand_in_is_said_only_when_it_stood_in(flagged):
    for question in ("what is the churn rate by payment method", "which customers churned most by contract"):
        a = flagged.ask(question)
        assert a.analysis == "churn" and "read '" not in a.understood, question
    assert "payment_method" in flagged.ask("what is the churn rate by payment method").understood


def test_with_purchases_loaded_retention_is_the_cohorts():
    s, _ = demo_session(600, 5)
    a = s.ask("retention by month")
    assert a.analysis == "cohort" and "read 'cohort'" not in (a.understood or "")


def test_the_question_is_understood_as_meant_and_answered_as_the_data_allows(flagged):
    """The router's reading stays the analysis meant (cohort, loyalty); the Session answers with the one
    that stands in for it, which is said first among the alternatives. Named outright, an analysis is
    run as named: it then says what data it needs."""
    assert flagged._route("retention by contract").analysis == "cohort"
    route = flagged._checked_route("retention by contract")
    assert route.analysis == "churn" and route.alternatives[0][0] == "cohort"
    with pytest.raises(DataError, match="cohort needs transactions"):
        flagged.ask("retention by contract", analysis="cohort")


def test_a_share_of_customers_with_an_attribute_is_not_retention(flagged):
    a = flagged.ask("what share of customers pay by card?")
    assert a.analysis != "churn" and "read '" not in (a.understood or "")
