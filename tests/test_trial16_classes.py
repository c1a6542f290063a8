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
