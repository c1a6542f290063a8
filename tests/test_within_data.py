"""What the data can say, said before answering (found trying the product as a new user): a request
to change the data is refused politely, a period on data without dates is refused (or, carried from
earlier in a conversation, dropped with a note), and a period past the data's last order ends there."""

import pytest

from custlens import Session
from custlens.errors import CannotAnswer, ParamsError


@pytest.fixture
def customers_only(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("customer_id,contract,churned\n" + "".join(
        f"C{i},{['Monthly', 'Yearly'][i % 2]},{'yes' if i % 3 == 0 else 'no'}\n" for i in range(30)))
    return Session(data=[str(path)], entry_points=False)


@pytest.mark.parametrize("line", ["delete all churned customers from the file", "please update the prices",
                                  "drop the table orders", "remove duplicate rows from the customers"])
def test_a_request_to_change_the_data_is_refused(orders_csv, line):
    s = Session(data=[str(orders_csv)], entry_points=False)
    with pytest.raises(CannotAnswer, match="only reads your data"):
        s.chat(line)
    s.chat("top 3 products")
    assert s.chat("remove the country filter").analysis == "reset"  # a filter is not the data


def test_a_period_on_data_without_dates_is_refused_or_dropped_with_a_note(customers_only):
    with pytest.raises(ParamsError, match="no dates.*2023 and 2024 cannot be told apart"):
        customers_only.ask("churn in 2024 vs 2023")
    import datetime as dt

    customers_only.conversation.period = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))  # in force from before
    carried = customers_only.chat("churn rate by contract")
    assert dict(carried.table("headline").rows)["churned"] == 10
    assert any("2024" in w and "not applied" in w for w in carried.warnings), carried.warnings


def test_a_period_past_the_last_order_ends_there(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)  # the last order is on 2024-06-05
    a = s.ask("churn rate in 2024")
    assert "start=2024-01-01 · end=2024-12-31" in a.understood  # said as asked
    assert any("past the data's last order on 2024-06-05: it was counted to 2024-06-05" in w for w in a.warnings)
    assert "Counted back from 2024-06-05" in a.summary  # not from 2024-12-31, half a year after the data


@pytest.fixture
def flags(tmp_path):
    """40 customers: Female (0/1), SeniorCitizen (0/1), PaperlessBilling (Yes/No), Churn: churned
    when senior, or when female and the number is even."""
    rows = []
    for i in range(40):
        female, senior, paperless = i % 2, int(i % 5 == 0), ["Yes", "No"][i % 3 == 0]
        churn = "Yes" if senior or female and i % 4 == 1 else "No"
        rows.append(f"{i:03d}-A,{female},{senior},{paperless},{i + 1},{churn}")
    path = tmp_path / "telco.csv"
    path.write_text("customerID,Female,SeniorCitizen,PaperlessBilling,tenure,Churn\n" + "\n".join(rows) + "\n")
    return Session(data=[str(path)], entry_points=False), rows


def counts(answer):
    head = dict(answer.table("headline").rows)
    return head["customers"], head["churned"]


def test_a_yes_no_column_named_as_a_kind_of_customer_is_a_filter(flags):
    s, rows = flags
    fields = [r.split(",") for r in rows]
    def expect(keep):
        kept = [f for f in fields if keep(f)]
        return len(kept), sum(f[5] == "Yes" for f in kept)
    a = s.ask("how many female customers churned?")
    assert "filter: female = 1" in a.understood and counts(a) == expect(lambda f: f[1] == "1")
    b = s.ask("churn rate for senior citizens")
    assert counts(b) == expect(lambda f: f[2] == "1")
    c = s.ask("churn among customers with paperless billing")
    assert counts(c) == expect(lambda f: f[3] == "Yes")
    by = s.ask("churn rate by senior citizen")  # a breakdown, not a filter
    assert counts(by) == expect(lambda f: True) and "filter" not in by.understood
    assert s.ask("churn rate by tenure").understood.count("filter") == 0  # tenure is no yes/no column
