"""A yes/no or 0/1 column of a customers table asked as a rate is its share of yes (the sixth
new-user trial, a marketing-campaign table: "response rate by education" was asked back, "average
response by education" became the filter response = 1 and read 1.00, "how many complained" went to
feedback text). Small files the test writes, shaped like the campaign table, with planted rates."""

import pytest

from helpers import numbers, session, write

from custlens import render

HEADER = ["ID", "Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Dt_Customer", "Recency",
          "MntWines", "AcceptedCmp1", "AcceptedCmp2", "Complain", "Response"]

#: (education, customers, responders): PhD 3 of 6 (50%), Graduation 2 of 10 (20%), Basic 0 of 4;
#: 5 of 20 overall (25%). Two complained, both Graduation and Married.
PLANTED = (("PhD", 6, 3), ("Graduation", 10, 2), ("Basic", 4, 0))


@pytest.fixture
def campaign(tmp_path):
    rows, n = [HEADER], 0
    for education, customers, responders in PLANTED:
        for i in range(customers):
            n += 1
            marital = "Married" if n % 2 else "Single"
            complain = 1 if education == "Graduation" and i < 4 and marital == "Married" and n in (7, 9) else 0
            rows.append([str(5000 + n), "1970", education, marital, str(40000 + 1000 * n), str(n % 2),
                         f"{n:02d}/03/2013", str(n), str(10 * n), "0", str(int(i == 0)), str(complain),
                         str(int(i < responders))])
    return session(write(tmp_path / "marketing_campaign.csv", rows))


def rate_by(answer, column):
    table = answer.table(f"by_{column}")
    i = table.columns.index(next(c for c in table.columns if c.endswith(" rate")))
    return {r[0]: r[i] for r in table.rows}


@pytest.mark.parametrize("question", ["what is the response rate", "What is the response rate to the last campaign?",
                                      "share of customers who responded", "% of customers that responded"])
def test_the_rate_of_a_flag_is_its_share_of_ones(campaign, question):
    a = campaign.ask(question)
    assert a.analysis == "overview" and (a.params["measure"], a.params["stat"]) == ("response", "share")
    assert not a.params.get("filters")
    assert dict(a.table("headline").rows)["response rate"] == pytest.approx(0.25)
    assert "The response rate (column response) is **25.0%** over 20 customers" in a.summary


def test_a_rate_by_a_breakdown_is_the_share_in_each_group(campaign):
    a = campaign.ask("response rate by education")
    assert a.params["by"] == ["education"] and not a.params.get("filters")
    assert rate_by(a, "education") == pytest.approx({"PhD": 0.5, "Graduation": 0.2, "Basic": 0.0})
    assert ("highest for **PhD** (50.0%; only 6 customers, a small sample), lowest for **Basic** (0.0%; only 4 "
                           "customers, a small sample)") in a.summary
    text = render.render(a, "text", width=160)
    assert "50.0%" in text and "0.5000" not in text
    # the narrative's figures are the table's
    assert 50.0 in numbers(a.summary) and 25.0 in numbers(a.summary)


def test_an_average_of_a_flag_invents_no_filter(campaign):
    a = campaign.ask("average response by education")
    assert "response" not in (a.params.get("filters") or {})
    assert "response = 1" not in a.understood and "over 5 customers" not in a.summary
    assert rate_by(a, "education") == pytest.approx({"PhD": 0.5, "Graduation": 0.2, "Basic": 0.0})


def test_a_rate_keeps_the_other_filters_asked(campaign):
    a = campaign.ask("response rate by marital status for PhD customers")
    assert a.params["filters"] == {"education": ["PhD"]}
    rates = rate_by(a, "marital_status")
    assert sum(rates[m] * n for m, n in (("Married", 3), ("Single", 3))) == pytest.approx(3)  # 3 of PhD's 6


def test_complained_is_the_complain_flag_not_feedback_text(campaign):
    a = campaign.ask("how many customers complained?")
    # a count of a yes/no column is the one figure with its whole, never a filter on the column
    assert a.analysis == "overview" and (a.params["measure"], a.params["stat"]) == ("complain", "share")
    assert not a.params.get("filters")
    assert a.summary.startswith("**2 of 20 customers (10.0%)** have complain = 1")
    b = campaign.ask("share who complained by marital status")
    assert rate_by(b, "marital_status") == pytest.approx({"Married": 0.2, "Single": 0.0})


def test_a_yes_no_text_flag_has_a_rate_too(tmp_path):
    rows = [["customerID", "Contract", "Partner", "MonthlyCharges"]]
    for i, (contract, partners, n) in enumerate((("Month-to-month", 1, 4), ("Two year", 3, 4))):
        rows += [[f"C{i}{k}", contract, "Yes" if k < partners else "No", "50"] for k in range(n)]
    a = session(write(tmp_path / "telco.csv", rows)).ask("partner rate by contract")
    assert (a.params["measure"], a.params["stat"]) == ("partner", "share")
    assert rate_by(a, "contract") == pytest.approx({"Month-to-month": 0.25, "Two year": 0.75})


def test_questions_that_name_no_flag_are_left_alone(campaign):
    a = campaign.ask("average income by education")
    assert (a.params["measure"], a.params["stat"]) == ("income", "mean")
    b = campaign.ask("how many customers do we have?")
    assert not b.params.get("measure") and not b.params.get("filters")


def test_a_share_of_a_column_that_is_no_flag_is_said(campaign):
    from custlens.errors import DataError

    with pytest.raises(DataError, match="cannot take the share of yes of 'education': it holds no yes/no"):
        campaign.ask("how many customers do we have", params={"measure": "education", "stat": "share"})


def test_the_rate_named_first_is_measured_among_the_other_flag(campaign):
    """"response rate of customers who complained vs everyone else": the response rate, by complain
    (it was the complain rate by response). Of the two complainers one responded (50%); of the other
    eighteen, four (22.2%)."""
    a = campaign.ask("what's the response rate of customers who complained vs everyone else")
    assert (a.params["measure"], a.params["stat"]) == ("response", "share") and a.params["by"] == ["complain"]
    assert rate_by(a, "complain") == {0: pytest.approx(4 / 18, abs=1e-4), 1: pytest.approx(0.5)}
