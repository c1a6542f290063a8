"""An analysis that stands in for another that cannot run on the loaded data (``Analysis.stands_in_for``):
retention and loyalty asked of a customers table with a churn flag and no purchases are churn's, said
on the first line, with the figures of who stayed; with purchases loaded, retention stays cohort's."""

import pandas as pd
import pytest

from helpers import demo_session

from custlens import Session


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


def test_the_stand_in_takes_the_weight_of_the_one_that_cannot_run(flagged):
    """The router gives the stand-in what the analysis that cannot run loses; nothing when the
    stand-in cannot run either, or when the one that can is the one asked about."""
    from custlens.router import NOT_APPLICABLE

    router = flagged.router
    said = "retention by contract"
    ranked, stood_in = router.weigh_by_data([("cohort", 0.8), ("churn", 0.1), ("overview", 0.1)], flagged.applies, said)
    assert ranked[0][0] == "churn" and stood_in[:2] == ("cohort", "churn")
    assert dict(ranked)["cohort"] == pytest.approx(0.8 * NOT_APPLICABLE)  # sums to 1 as before: nothing lost
    ranked, stood_in = router.weigh_by_data([("cohort", 0.8), ("churn", 0.2)], lambda name: name == "cohort", said)
    assert stood_in is None and ranked[0] == ("cohort", pytest.approx(0.8 / (0.8 + 0.2 * NOT_APPLICABLE)))
    assert router.weigh_by_data([("churn", 0.5), ("cohort", 0.4)], flagged.applies, said)[1] is None
    # a question without the words of customers who stayed is not retention: nothing stands in
    ranked, stood_in = router.weigh_by_data([("loyalty", 0.6), ("overview", 0.4)], flagged.applies,
                                            "what share of customers have a credit card")
    assert stood_in is None and ranked[0][0] == "overview"


def test_a_share_of_customers_with_an_attribute_is_not_retention(flagged):
    a = flagged.ask("what share of customers pay by card?")
    assert a.analysis != "churn" and "read '" not in (a.understood or "")
