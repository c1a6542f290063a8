"""Periods the readers lost or misread (development corpus, by class): a period after "category:" was taken for
a value of the column (and the comparison read whole years); "the previous 6 months" set against the last 6
was the same 6 months; "till the end of 2025" dropped the start; day-first dates written with dashes were the
whole year; "X se Y tak" (Hinglish), "dari X sampai Y", Indonesian month names and "dibanding" were not read."""

import datetime as dt

import pandas as pd
import pytest

from custlens import slots
from helpers import session

END = dt.date(2025, 12, 31)


def _period(question: str):
    return slots.period(slots.period_words(slots.clean(question)), END)[:2]


def _compared(question: str):
    return slots.comparison(slots.period_words(slots.clean(question)), END)[0]


@pytest.mark.parametrize("question,start,end", [
    ("sales from 2023 till the end of 2025", "2023-01-01", "2025-12-31"),
    ("sales from march 2024 to end of 2025", "2024-03-01", "2025-12-31"),
    ("orders from march 2024 to the end of june 2025", "2024-03-01", "2025-06-30"),
    ("clv through end of 1997", None, "1997-12-31"),
    ("sales from 15-08-2025 to 15-09-2025", "2025-08-15", "2025-09-15"),
    ("15-08-2025 se 15-09-2025 tak ki sale kitni thi", "2025-08-15", "2025-09-15"),
    ("omzet per quarter dari 2023 sampai 2025", "2023-01-01", "2025-12-31"),
    ("total order bulan desember 2025", "2025-12-01", "2025-12-31"),
    ("Support Plan kejual brp di kuartal terakhir", "2025-10-01", "2025-12-31"),
    ("jan 2024 se ab tak quarter wise", "2024-01-01", None),
    # quarters and halves as a span, a tilde between two days or months, "up to" a year
    ("quarterly order counts Q1 2024 thru Q4 2025", "2024-01-01", "2025-12-31"),
    ("revenue from h2 2024 to q1 2025", "2024-07-01", "2025-03-31"),
    ("seollal event period 2025.01.25~2025.02.02 sales", "2025-01-25", "2025-02-02"),
    ("weekly orders in first 3 month (1997.01~1997.03)", "1997-01-01", "1997-03-31"),
    ("monthly revenue trend from 2023 upto 2025", "2023-01-01", "2025-12-31"),
    ("sales from march 2023 up to 2025", "2023-03-01", "2025-12-31"),
    # a word that starts like a month is no month; months said beside a season or holiday are the period
    ("win rate for mid market last year", "2024-01-01", "2024-12-31"),
    ("marketplace orders in 2025", "2025-01-01", "2025-12-31"),
    ("customers who bought in oct-nov 2024 festive sale", "2024-10-01", "2024-11-30"),
    ("are the clients from the july 2025 summer sale still buying", "2025-07-01", "2025-07-31"),
    ("how many tents did we move over winter this yr (jun to aug)", "2025-06-01", "2025-08-31"),
    ("omzet lewat app sejak maret 2024", "2024-03-01", None)])
def test_periods_said_otherwise(question, start, end):
    got = _period(question)
    assert tuple(str(d) if d else None for d in got) == (start, end)


@pytest.mark.parametrize("question,first,second", [
    ("last 6 months vs the previous 6 months", ("2025-01-01", "2025-06-30"), ("2025-07-01", "2025-12-31")),
    ("the last 3 months compared to the prior 3 months", ("2025-07-01", "2025-09-30"), ("2025-10-01", "2025-12-31")),
    ("kategori Coffee omzetnya 2025 dibanding 2024", ("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")),
    ("revenue q1 2024 vs q4 2025", ("2024-01-01", "2024-03-31"), ("2025-10-01", "2025-12-31")),
    ("has NPS improved from H1 2025 to H2 2025?", ("2025-01-01", "2025-06-30"), ("2025-07-01", "2025-12-31")),
    ("could you compare traffic in Q4 2025 to Q4 2024?", ("2024-10-01", "2024-12-31"), ("2025-10-01", "2025-12-31"))])
def test_two_periods_set_against_each_other(question, first, second):
    assert [tuple(map(str, side)) for side in _compared(question)] == [first, second]


def test_a_period_after_a_column_and_a_colon_is_the_period(tmp_path):
    """"kitchen category: Q1 2024 vs Q1 2025 revenue": Q1 was read as a category nobody has (said so) and the
    comparison became 2024 against 2025 whole."""
    rows = pd.DataFrame({"order_id": [f"O{i}" for i in range(48)], "customer_id": [f"C{i % 9}" for i in range(48)],
                         "order_date": [f"{2024 + i // 24}-{1 + i % 12:02d}-10" for i in range(48)],
                         "category": ["Kitchen" if i % 2 else "Garden" for i in range(48)],
                         "amount": [float(10 + i) for i in range(48)]})
    rows.to_csv(tmp_path / "orders.csv", index=False)
    a = session(tmp_path / "orders.csv").ask("kitchen category: Q1 2024 vs Q1 2025 revenue")
    assert [tuple(str(d)[:10] for d in side) for side in a.params["compare"]] == [
        ("2024-01-01", "2024-03-31"), ("2025-01-01", "2025-03-31")]
    assert a.params["filters"] == {"category": ["Kitchen"]}
    q1 = rows[(rows.category == "Kitchen") & rows.order_date.str[5:7].isin(["01", "02", "03"])]
    said = a.summary.replace("**", "")
    for year in ("2024", "2025"):
        assert f"{q1[q1.order_date.str[:4] == year].amount.sum():,.0f}" in said
    assert "Q1" not in " ".join(a.warnings)


@pytest.mark.parametrize("question,cut", [("revenue by country -- only Germany please", False),
                                          ("revenue by country'; -- drop everything", True),
                                          ("-- revenue", True)])
def test_a_dash_between_words_is_no_code(tmp_path, question, cut):
    """" -- " written as a dash cut the question as an SQL comment ("not a one-pager -- the full writeup, for
    Germany" lost Germany); after a quote, a semicolon or at the start it is still cut (and never run)."""
    from custlens.session import CODE

    m = CODE.search(question)
    assert bool(m) == cut
    if not cut:
        rows = pd.DataFrame({"order_id": ["O1", "O2"], "customer_id": ["C1", "C2"], "order_date": ["2025-12-03", "2025-12-04"],
                             "amount": [10.0, 20.0], "country": ["Germany", "France"]})
        rows.to_csv(tmp_path / "orders.csv", index=False)
        a = session(tmp_path / "orders.csv").ask(question)
        assert a.params["filters"] == {"country": ["Germany"]} and not any("code" in w for w in a.warnings)


@pytest.mark.parametrize("question,start,end,said", [
    ("revenue last financial year", "2024-01-01", "2024-12-31", True),
    ("revenue last fy", "2024-01-01", "2024-12-31", True),
    ("revenue last fy, our fiscal year is july to june", "2024-07-01", "2025-06-30", False),
    ("revenue last year", "2024-01-01", "2024-12-31", False)])
def test_a_financial_year_read_as_the_calendar_year_is_said(tmp_path, question, start, end, said):
    """An Australian's "last financial year" is July to June: with no fiscal year start set or said, the
    calendar year is read, and the answer says so and how to say otherwise (it was silent)."""
    rows = pd.DataFrame({"order_id": [f"O{i}" for i in range(36)], "customer_id": [f"C{i % 5}" for i in range(36)],
                         "order_date": [f"{2023 + i // 12}-{1 + i % 12:02d}-10" for i in range(36)],
                         "amount": [float(10 + i) for i in range(36)]})
    rows.to_csv(tmp_path / "orders.csv", index=False)
    a = session(tmp_path / "orders.csv").chat(question)
    assert (str(a.params["start"])[:10], str(a.params["end"])[:10]) == (start, end)
    assert any("financial year is read as the calendar year" in w for w in a.warnings) == said
    kept = rows[(rows.order_date >= start) & (rows.order_date <= end)]
    assert f"{kept.amount.sum():,.0f}" in a.summary.replace("**", "")
