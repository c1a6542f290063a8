"""Two export shapes a stranger's trial brought (trial 19): a marketplace seller's order lines (an Amazon
seller report: Order ID, Date, Status with "Returned to Seller" and "Rejected by Buyer", Fulfilment,
ship-city, ship-state, a B2B column of TRUE/FALSE, no customer id) and a telecom churn table without an
id column (the BigML churn-80 layout). Small files of the same shape, with planted answers: returns
are refunds, not sales; a share of cancelled orders is of every order; "only B2B" filters on the
yes/no column of the lines; "by state" is the ship-state; a city written in two cases is said; a comparison of two
months names both; the churn table is read, a row a customer."""

import datetime as dt

import pytest

from helpers import numbers, session, write

from custlens import countries
from custlens.render import text

STATUSES = ["Shipped"] * 6 + ["Cancelled", "Returned to Seller", "Shipped", "Rejected by Buyer"]
#: a US churn table's states, as codes (AL is Alabama, not Albania; CA California, not Canada)
STATES = ["KS", "OH", "NJ", "CA", "AL", "TX", "NY", "IN"]
#: planted: order i is B2B when i % 8 == 0; April orders are 30 each, May orders 45 each
N = 80


def seller_report(folder) -> str:
    rows = [["index", "Order ID", "Date", "Status", "Fulfilment", "Category", "Qty", "Amount", "ship-city",
             "ship-state", "B2B"]]
    for i in range(N):
        day = dt.date(2022, 4, 1) + dt.timedelta(days=i % 60)  # April and May
        rows.append([i, f"171-{i:07d}-0000000", day.strftime("%m-%d-%y"), STATUSES[i % 10],
                     "Amazon" if i % 3 else "Merchant", "Kurta" if i % 2 else "Set", 1,
                     30 if day.month == 4 else 45, ["MUMBAI", "Pune", "Nagpur", "BENGALURU"][i % 4],
                     "KARNATAKA" if i % 4 == 3 else "MAHARASHTRA", "TRUE" if i % 8 == 0 else "FALSE"])
    return write(folder / "Amazon Sale Report.csv", rows)


@pytest.fixture(scope="module")
def seller(tmp_path_factory):
    return session(seller_report(tmp_path_factory.mktemp("seller")))


def _orders(pred) -> list[int]:
    return [i for i in range(N) if pred(i)]


def _amount(i: int) -> int:
    return 30 if (dt.date(2022, 4, 1) + dt.timedelta(days=i % 60)).month == 4 else 45


def test_returned_and_rejected_orders_are_refunds_not_sales(seller):
    returned = _orders(lambda i: STATUSES[i % 10] in ("Returned to Seller", "Rejected by Buyer"))
    sold = _orders(lambda i: STATUSES[i % 10] == "Shipped")
    answer = seller.ask("how many orders were returned?")
    said = text(answer, width=200)
    assert f"{len(returned)} orders worth {sum(map(_amount, returned)):,}" in said.replace(".00", ""), said
    headline = dict(answer.tables[0].rows)
    assert headline["orders"] == len(sold)  # the sales are the shipped orders alone
    assert float(str(headline["revenue"]).replace(",", "")) == sum(map(_amount, sold))


def test_a_share_of_cancelled_orders_is_of_every_order(seller):
    cancelled = _orders(lambda i: STATUSES[i % 10] == "Cancelled")
    answer = seller.ask("what share of orders get cancelled?")
    assert f"{len(cancelled)} of {N} orders ({len(cancelled) / N:.1%})" in answer.summary.replace("**", "")
    assert "not only the purchases" in answer.summary


def test_only_b2b_filters_on_the_lines_yes_no_column(seller):
    seller.chat("reset filters")
    seller.chat("revenue by fulfilment")
    answer = seller.chat("only B2B")
    b2b = _orders(lambda i: i % 8 == 0 and STATUSES[i % 10] == "Shipped")
    assert answer.params["filters"] == {"b2b": ["TRUE"]}
    assert "b2b = TRUE" in text(answer, width=200).splitlines()[0]
    assert sum(r[1] for r in answer.tables[0].rows) == pytest.approx(sum(map(_amount, b2b)))
    answer = seller.chat("reset filters")
    assert answer.params["filters"] == {}


def test_a_ship_state_is_the_region(seller):
    seller.chat("reset filters")
    answer = seller.ask("revenue by state")
    assert answer.params["by"] == ["region"]
    states = {r[0]: r[1] for r in answer.tables[0].rows}
    assert states["KARNATAKA"] == sum(_amount(i) for i in _orders(lambda i: i % 4 == 3 and STATUSES[i % 10] == "Shipped"))
    assert seller.ask("top 3 cities by orders").params["by"] == ["ship_city"]
    # a follow-up that narrows and asks for the groups inside: the cities of that state
    seller.chat("revenue by state")
    answer = seller.chat("and only Maharashtra, which cities?")
    assert answer.params["by"] == ["ship_city"] and answer.params["filters"] == {"region": ["MAHARASHTRA"]}
    assert {r[0] for r in answer.tables[0].rows} == {"MUMBAI", "Pune", "Nagpur"}
    seller.chat("reset filters")


def test_a_city_written_in_two_cases_is_one_city_and_said(tmp_path):
    """Among many cities, the ones written in two cases ("MUMBAI" and "Mumbai") are one city in the
    breakdown, under the spelling in mixed case, and the answer says which spellings it counted there;
    no note calls them a pair kept apart."""
    cities = [f"Town{i}" for i in range(60)] + ["MUMBAI"] * 5 + ["Mumbai"] * 2 + ["PUNE"] * 4 + ["Pune"]
    rows = [["Order ID", "Date", "Amount", "ship-city"]] + [
        [f"O{i}", f"2022-04-{1 + i % 28:02d}", 10, city] for i, city in enumerate(cities)]
    answer = session(write(tmp_path / "orders.csv", rows)).ask("orders by ship city")
    note = next(w for w in answer.warnings if "another case" in w)
    assert '"Mumbai" counts "MUMBAI"' in note and '"Pune" counts "PUNE"' in note and "Town1" not in note
    assert not any(w.startswith("values that look like the same thing") for w in answer.warnings)
    counts = {r[0]: r[1] for r in answer.tables[0].rows}
    assert counts["Mumbai"] == 7 and counts["Pune"] == 5 and "MUMBAI" not in counts


def test_two_months_compared_with_may_said_as_a_month(seller):
    answer = seller.ask("april vs may revenue")
    assert answer.params["compare"] is not None
    first = text(answer, width=200).splitlines()[0]
    assert "April 2022" in first and "May 2022" in first, first
    shipped = _orders(lambda i: STATUSES[i % 10] == "Shipped")
    april = sum(_amount(i) for i in shipped if _amount(i) == 30)
    may = sum(_amount(i) for i in shipped if _amount(i) == 45)
    assert {april, may} <= set(numbers(answer.summary)), answer.summary


def test_a_churn_table_without_an_id_is_read_a_row_a_customer(tmp_path):
    header = ["State", "Account length", "Area code", "International plan", "Voice mail plan",
              "Total day minutes", "Customer service calls", "Churn"]
    # planted: international plan on every fifth account; churned: half of those, a tenth of the rest
    rows = [[STATES[i % len(STATES)], 50 + i % 90, 415, "Yes" if i % 5 == 0 else "No", "No", 180.5, i % 4,
             "TRUE" if (i % 5 == 0 and i % 10 == 0) or (i % 5 and i % 10 == 1) else "FALSE"] for i in range(200)]
    s = session(write(tmp_path / "churn-bigml-80.csv", [header] + rows))
    answer = s.ask("what's our churn rate?")
    churned = sum(r[-1] == "TRUE" for r in rows)
    assert dict(answer.tables[0].rows)["churned"] == churned
    assert any("each of its 200 rows is read as one customer" in w for w in answer.warnings)
    plan = next(t for t in s.ask("churn by international plan").tables if t.name == "churn_by_international_plan")
    by_plan = {r[0]: r[3] for r in plan.rows}
    assert by_plan["Yes"] == pytest.approx(0.5) and by_plan["No"] == pytest.approx(0.125)
    # a state said by its name is the data's code, and the codes are states, not countries
    s.chat("churn by international plan")
    answer = s.chat("only customers in California")
    assert answer.params["filters"] == {"region": ["CA"]}
    in_ca = [r for i, r in enumerate(rows) if STATES[i % len(STATES)] == "CA"]
    assert f"Of {len(in_ca)} customers" in answer.summary.replace("**", "")
    s.chat("reset filters")
    answer = s.chat("churn in new york vs texas")
    assert answer.params["filters"] == {"region": ["NY", "TX"]}
    with pytest.raises(Exception, match="no column of countries"):
        s.ask("churn in Germany")


def test_subdivision_codes_are_told_from_country_codes():
    names = countries.subdivision_names(["CA", "TX", "NY", "AL", "WV", "DC"])
    assert names["california"] == "CA" and names["district of columbia"] == "DC"
    assert countries.subdivision_names(["DE", "FR", "IT", "ES", "NL", "GB"]) == {}  # countries
    assert countries.subdivision_names(["CA", "TX", "NY"]) == {}  # too few to tell
    assert countries.subdivision_names(["Kansas", "Ohio", "Texas", "Maine", "Iowa"]) == {}  # names: read as written
