"""Classes of failure found by the sixteenth new-user trial (a hotel's booking export without a
guest id; a marketing team's customers table of spend per product family, Customer Personality
Analysis). Each test plants the pattern in a small file written here and checks the figure against
pandas and the answer's first line."""

import pandas as pd
import pytest

from helpers import numbers, session, write
from custlens.templates import pct


def first_line(answer) -> str:
    return answer.summary.strip().splitlines()[0]


# --- a table of records with yes/no flags and no id (a booking export) ---------------------------

BOOKINGS = ["hotel", "is_canceled", "lead_time", "country", "deposit_type", "is_repeated_guest", "adr"]


def booking_rows():
    rows = []
    for i in range(60):
        hotel = "Resort" if i % 3 else "City"
        canceled = 1 if (i % 4 == 0 or (hotel == "City" and i % 2 == 0)) else 0
        rows.append([hotel, canceled, 10 + (i * 7) % 90, ["PRT", "GBR", "ESP"][i % 3 if i % 5 else 0],
                     "Non Refund" if i % 6 == 0 else "No Deposit", 1 if i % 10 == 0 else 0, 50.0 + i])
    return rows


@pytest.fixture
def bookings(tmp_path):
    path = write(tmp_path / "bookings.csv", [BOOKINGS] + booking_rows())
    return path, pd.read_csv(path)


def test_a_table_of_flagged_records_without_an_id_is_read_a_row_each(bookings):
    """It was of an unknown role, so every question failed with 'needs transactions data'."""
    path, frame = bookings
    s = session(path)
    assert s.dataset.sources[0].role == "customers"
    answer = s.ask("cancellation rate by hotel")
    want = frame["is_canceled"].mean()
    assert pct(want) in first_line(answer)
    by = answer.table("by_hotel").frame.set_index("hotel")
    truth = frame.groupby("hotel")["is_canceled"].mean()
    for hotel, rate in truth.items():
        assert by.loc[hotel].iloc[-1] == pytest.approx(rate, abs=1e-4)
    mean = s.ask("average lead time")
    assert numbers(first_line(mean))[0] == pytest.approx(round(frame["lead_time"].mean(), 2))


def test_a_table_without_flags_or_people_stays_unknown(tmp_path):
    path = write(tmp_path / "things.csv", [["a", "b", "c", "d"]] + [[i, i * 2, "x", "y"] for i in range(5)])
    s = session(path)
    assert s.dataset.sources[0].role is None


# --- a customers table of spend per product family (MntWines, MntMeatProducts...) -----------------

SPEND = ["ID", "Education", "Marital_Status", "Kidhome", "MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts",
         "MntSweetProducts", "MntGoldProds", "NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases",
         "Recency", "Response", "Z_Revenue"]


def spend_rows():
    rows = []
    for i in range(40):
        edu = ["PhD", "Master", "Graduation"][i % 3]
        rows.append([1000 + i, edu, ["Married", "Together", "Single"][i % 3 if i % 7 else 1], i % 2,
                     100 + 13 * i, 5 + i % 4, 40 + 7 * i, 10 + i % 9, 3 + i % 5, 20 + i % 6,
                     1 + i % 5, i % 3, 2 + i % 7, (i * 11) % 100, 1 if i % 5 == 0 else 0, 11])
    return rows


@pytest.fixture
def spend(tmp_path):
    path = write(tmp_path / "campaign.csv", [SPEND] + spend_rows())
    return session(path), pd.read_csv(path)


def test_spend_on_a_thing_is_the_column_of_that_spend(spend):
    """'spend on wine' read the constant Z_Revenue (11.00 for everyone) or counted the customers."""
    s, frame = spend
    total = s.ask("how much did customers spend in total on wine?")
    assert numbers(first_line(total))[0] == pytest.approx(frame["MntWines"].sum())
    avg = s.ask("average spend on wine by education")
    assert numbers(first_line(avg))[0] == pytest.approx(round(frame["MntWines"].mean(), 2))
    by = avg.table("by_education").frame.set_index("education").iloc[:, -1]
    for edu, mean in frame.groupby("Education")["MntWines"].mean().items():
        assert by.loc[edu] == pytest.approx(mean, abs=0.01)
    meat = s.ask("total meat spend by marital status")
    assert numbers(first_line(meat))[0] == pytest.approx(frame["MntMeatProducts"].sum())


def test_a_constant_column_is_no_customers_money(spend):
    s, _ = spend
    from custlens import meant
    assert meant.customers_money(s) is None


def test_one_columns_share_of_the_total_is_of_the_widest_family(spend):
    """'what percentage of total spend goes to meat' was meat's share of MntMeat/Fish/SweetProducts only."""
    s, frame = spend
    mnt = [c for c in frame if c.startswith("Mnt")]
    want = frame["MntMeatProducts"].sum() / frame[mnt].sum().sum()
    answer = s.ask("what percentage of total spend goes to meat?")
    assert pct(want) in first_line(answer)
    assert len(answer.table("columns").frame) == len(mnt)


def test_buying_is_no_outcome_where_the_columns_count_purchases(spend):
    """'which channel do customers buy through most' filtered response = 1 ('buy' read as the outcome)."""
    s, frame = spend
    answer = s.ask("which channel do customers buy through most: web, catalog or store?")
    cols = ["NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases"]
    best = frame[cols].sum().idxmax()
    assert numbers(first_line(answer))[0] == pytest.approx(frame[best].sum())
    assert "response" not in (answer.params.get("filters") or {})


def test_bought_together_is_a_basket_question_not_a_value(spend):
    """'which products are bought together' filtered marital_status = Together and compared columns."""
    s, _ = spend
    from custlens.errors import DataError
    with pytest.raises(DataError, match="basket"):
        s.ask("which products are bought together?")
    together = s.ask("response rate of customers living together")
    assert (together.params.get("filters") or {}).get("marital_status") in (["Together"], "Together")


def test_a_value_of_one_word_said_in_the_plural_is_that_value(spend):
    """'the complaint rate among PhDs' gave everyone's rate: 'PhDs' (PhD split by its case) read nothing."""
    s, frame = spend
    answer = s.ask("what is the response rate among PhDs?")
    phd = frame[frame["Education"] == "PhD"]
    assert pct(phd["Response"].mean()) in first_line(answer)
    assert f"{len(phd)}" in first_line(answer)


def test_joined_in_a_period_counts_the_customers_whose_signup_is_in_it(tmp_path):
    """'how many customers joined in 2013' on a customers table alone said 'not applied: 2013' and counted all."""
    rows = [["ID", "Education", "Dt_Customer", "Income"]]
    for i in range(30):
        rows.append([i, ["PhD", "Master"][i % 2], f"{2012 + i % 3}-0{1 + i % 9}-1{i % 9}", 1000 * i])
    path = write(tmp_path / "people.csv", rows)
    frame = pd.read_csv(path, parse_dates=["Dt_Customer"])
    s = session(path)
    answer = s.ask("how many customers joined in 2013?")
    want = int((frame["Dt_Customer"].dt.year == 2013).sum())
    assert numbers(first_line(answer))[0] == want
    everyone = s.ask("how many customers do we have?")
    assert numbers(first_line(everyone))[0] == len(frame)


def test_drivers_of_a_flag_said_by_its_own_name_that_is_also_a_churn_word(bookings):
    """'what drives cancellations' of a table with is_canceled and no churn flag failed: 'cancel' read as churn."""
    path, frame = bookings
    s = session(path)
    answer = s.ask("what drives cancellations?")
    assert answer.params.get("outcome") == "is_canceled"
    assert pct(frame["is_canceled"].mean()) in answer.summary


def test_a_named_flag_holding_one_side_only_is_still_a_flag(tmp_path):
    """is_repeated_guest, 0 on every row, was no flag: 'how many repeated guests' found no column."""
    rows = [["hotel", "is_canceled", "is_repeated_guest", "lead_time"]] + \
        [["A" if i % 2 else "B", i % 3 == 0, 0, i] for i in range(20)]
    rows = [rows[0]] + [[r[0], int(r[1]), r[2], r[3]] for r in rows[1:]]
    s = session(write(tmp_path / "b.csv", rows))
    answer = s.ask("how many repeated guests do we have?")
    assert answer.params.get("measure") == "is_repeated_guest"
    assert "0.0%" in answer.summary


# --- a booking table dated in parts (arrival_date_year, arrival_date_month...) -------------------

PARTS = ["hotel", "is_canceled", "arrival_date_year", "arrival_date_month", "arrival_date_week_number",
         "arrival_date_day_of_month", "adr", "customer_type", "total_of_special_requests"]
MONTHS = ["January", "February", "March", "April"]


@pytest.fixture
def dated_in_parts(tmp_path):
    rows = []
    for i in range(48):
        rows.append(["City" if i % 2 else "Resort", 1 if i % 3 == 0 or i >= 40 else 0, 2015 + i % 3, MONTHS[i % 4],
                     1 + i % 15, 1 + i % 28, 60.0 + 3 * i, ["Transient", "Group"][i % 2 if i % 5 else 0], i % 4])
    path = write(tmp_path / "hotel.csv", [PARTS] + rows)
    return session(path), pd.read_csv(path)


def test_a_dates_parts_are_no_sibling_figures_and_a_period_breakdown_is_its_part(dated_in_parts):
    """'bookings by arrival month' summed arrival_date_year, _week_number and _day_of_month side by side."""
    s, frame = dated_in_parts
    answer = s.ask("bookings by arrival month")
    assert not answer.params.get("columns")
    table = answer.table("by_arrival_date_month").frame.set_index("arrival_date_month")
    for month, n in frame["arrival_date_month"].value_counts().items():
        assert table.loc[month, "customers"] == n
    yearly = s.ask("cancellation rate by arrival year")
    by = yearly.table("by_arrival_date_year").frame.set_index("arrival_date_year").iloc[:, -1]
    for year, rate in frame.groupby("arrival_date_year")["is_canceled"].mean().items():
        assert by.loc[year] == pytest.approx(rate, abs=1e-4)


def test_a_whole_year_is_read_by_the_year_part(dated_in_parts):
    """'how many bookings were made for 2016' said 'not applied: 2016' and counted every row."""
    s, frame = dated_in_parts
    answer = s.ask("how many bookings were made for 2016?")
    assert numbers(first_line(answer))[0] == int((frame["arrival_date_year"] == 2016).sum())


def test_a_column_named_by_the_initials_of_the_words_said(dated_in_parts):
    """'average daily rate by hotel' failed: 'daily' was a grain, and nothing read adr."""
    s, frame = dated_in_parts
    answer = s.ask("average daily rate by hotel")
    assert numbers(first_line(answer))[0] == pytest.approx(round(frame["adr"].mean(), 2))
    by = answer.table("by_hotel").frame.set_index("hotel").iloc[:, -1]
    for hotel, mean in frame.groupby("hotel")["adr"].mean().items():
        assert by.loc[hotel] == pytest.approx(mean, abs=0.01)


def test_a_number_of_things_is_their_total_column(dated_in_parts):
    """'average number of special requests' read nothing: total_of_special_requests has no count word."""
    s, frame = dated_in_parts
    answer = s.ask("average number of special requests by customer type")
    assert answer.params.get("measure") == "total_of_special_requests"
    assert numbers(first_line(answer))[0] == pytest.approx(round(frame["total_of_special_requests"].mean(), 2))


def test_initials_of_little_words_name_no_column(dated_in_parts):
    """'a different room' spelt adr: the share asked became the total daily rate."""
    s, _ = dated_in_parts
    answer = s.ask("what share of bookings got a different room type than reserved?")
    assert answer.params.get("measure") != "adr"


def test_revenue_asked_of_a_table_without_money_is_said_not_read(bookings):
    """'how much revenue did we make' of a booking table answered a count of rows, the missing money said last."""
    path, _ = bookings  # its adr is a rate, no money received
    s = session(path)
    answer = s.ask("how much revenue did we make?")
    assert any(w.startswith("not read: revenue") for w in answer.warnings)


def test_a_flag_whose_word_ends_in_ed_is_said_by_its_stem(tmp_path):
    """'what share of guests are repeat guests' went to loyalty (no sales: an error); the flag is is_repeated_guest."""
    rows = [["hotel", "is_canceled", "is_repeated_guest", "lead_time"]] + \
        [["A" if i % 2 else "B", int(i % 3 == 0), int(i % 4 == 0), i] for i in range(20)]
    path = write(tmp_path / "b.csv", rows)
    frame = pd.read_csv(path)
    answer = session(path).ask("what share of guests are repeat guests?")
    assert answer.params.get("measure") == "is_repeated_guest"
    assert pct(frame["is_repeated_guest"].mean()) in first_line(answer)
