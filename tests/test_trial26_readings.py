"""What the twenty-sixth stranger's trial (a charity's gifts and donors exports) found, fixed by class and
checked on small files with planted answers written here:

1. A charity's gift export is sales: the donor (supporter, constituent) is the customer, the gift (donation)
   the order, the gift's date its date and its amount the money; a donors file's first gift date is when each
   became a donor. Read as a list of people, it had counted gift rows as donors, with no warning.
2. What a trade calls a kind of column finds it: "which appeal raised the most" is the campaign column.
3. A yes/no column of consent is said as opting in or out ("only those opted in to email").
4. A narrowing follow-up that names nothing of the data says so; it was the last answer again, silently.
5. A customers table's own "amount" column is a breakdown of it (it crashed the overview with SQL)."""

import pytest

from custlens.errors import ParamsError
from helpers import session, write


@pytest.fixture(scope="module")
def charity(tmp_path_factory):
    folder = tmp_path_factory.mktemp("charity")
    gifts = [["Gift ID", "Donor ID", "First Name", "Gift Date", "Amount", "Campaign", "Channel"]]
    # 2023: D1 gives 3 x £10 (Regular Giving), D2 £500 (Emergency Appeal), D3 £5 (Raffle) -> 535
    # 2024: D1 gives 3 x £10, D4 £80 (Christmas Appeal) -> 110
    plan = [("D1", "15/01/2023", 10, "Regular Giving", "Direct Debit"), ("D1", "15/02/2023", 10, "Regular Giving", "Direct Debit"),
            ("D1", "15/03/2023", 10, "Regular Giving", "Direct Debit"), ("D2", "02/05/2023", 500, "Emergency Appeal", "Online"),
            ("D3", "20/06/2023", 5, "Raffle", "Event"), ("D1", "15/01/2024", 10, "Regular Giving", "Direct Debit"),
            ("D1", "15/02/2024", 10, "Regular Giving", "Direct Debit"), ("D1", "15/03/2024", 10, "Regular Giving", "Direct Debit"),
            ("D4", "12/12/2024", 80, "Christmas Appeal", "Cheque")]
    for i, (donor, day, amount, campaign, channel) in enumerate(plan):
        gifts.append([f"G{100 + i}", donor, "Sam", day, f"£{amount:.2f}", campaign, channel])
    donors = [["Donor ID", "First Gift Date", "Email Opt In", "Status"],
              ["D1", "01/01/2019", "Y", "Active"], ["D2", "02/05/2023", "N", "Lapsed"], ["D3", "20/06/2023", "Y", "Lapsed"],
              ["D4", "12/12/2024", "Y", "Active"]]
    return session(write(folder / "gifts_export.csv", gifts), write(folder / "donors_export.csv", donors))


def test_a_gift_export_is_sales_of_the_donors(charity):
    a = charity.ask("how much did we raise each year?")
    assert "customers: Donor ID" in a.understood and "date: Gift Date" in a.understood
    assert {str(r[0]): r[1] for r in a.tables[0].rows} == {"2023": 535, "2024": 110}
    assert dict(charity.ask("how many donors do we have").table("headline").rows)["customers"] == 4


@pytest.mark.parametrize("question", ["Which appeal raised the most money?", "which campaign brought in the most",
                                      "how much did each appeal raise"])
def test_the_appeal_is_the_campaign_column(charity, question):
    a = charity.ask(question)
    assert a.params["by"] == ["campaign"]
    assert a.tables[0].rows[0][0] == "Emergency Appeal"


@pytest.mark.parametrize("follow_up, donors", [("only those opted in to email", 1), ("just the ones who opted out", 1)])
def test_opting_in_or_out_is_the_consent_flag(charity, follow_up, donors):
    charity.chat("start over")
    first = charity.chat("how many donors have lapsed?")
    assert first.params["filters"] == {"status": ["Lapsed"]}
    a = charity.chat(follow_up)
    assert a.params["filters"]["email_opt_in"] == (["Y"] if "in to" in follow_up else ["N"])
    assert dict(a.table("headline").rows)["customers"] == donors  # D3 opted in, D2 out


def test_a_narrowing_follow_up_that_names_nothing_of_the_data_says_so(charity):
    charity.chat("start over")
    charity.chat("how many donors have lapsed?")
    with pytest.raises(ParamsError, match=r"I found no 'volunteered' in the data.*last answer stands"):
        charity.chat("only those who volunteered")


def test_a_customers_table_s_own_amount_column_is_a_breakdown(tmp_path):
    path = write(tmp_path / "people.csv", [["Customer ID", "Amount", "Status"], ["1", "£10.00", "Active"],
                                           ["2", "£10.00", "Lapsed"], ["3", "£5.00", "Active"]])
    a = session(path).ask("customers by amount")
    assert {r[0]: r[1] for r in a.tables[-1].rows} == {"£10.00": 2, "£5.00": 1}
