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
    with pytest.raises(ParamsError, match="no dates"):
        customers_only.ask("how many customers in 2024")
    plain = customers_only.ask("churn rate by contract")
    assert dict(plain.table("headline").rows)["churned"] == 10


def test_a_period_past_the_last_order_ends_there(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)  # the last order is on 2024-06-05
    a = s.ask("churn rate in 2024")
    assert "start=2024-01-01 · end=2024-12-31" in a.understood  # said as asked
    assert any("past the data's last order on 2024-06-05: it was counted to 2024-06-05" in w for w in a.warnings)
    assert "Counted back from 2024-06-05" in a.summary  # not from 2024-12-31, half a year after the data
