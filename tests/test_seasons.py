"""Seasons said as periods: "summer 2024", "summer 25 vs summer 24", "the winter of 2024/25", "last summer",
"this summer vs last summer" are their months (northern meteorological seasons, whole months), and a
comparison said with "compare ... against ..." splits at the word that sets the sides against each
other, not inside a range ("compare june to august 2024 against the same months in 2025")."""

import datetime as dt

import pytest

from custlens import slots

D = dt.date
END = D(2025, 12, 31)


@pytest.mark.parametrize("said, span", [
    ("revenue summer 2024", (D(2024, 6, 1), D(2024, 8, 31))),
    ("orders in the spring of 2025", (D(2025, 3, 1), D(2025, 5, 31))),
    ("fall 2024 orders", (D(2024, 9, 1), D(2024, 11, 30))),
    ("autumn 97 spend", (D(1997, 9, 1), D(1997, 11, 30))),
    ("the 2024 summer season by channel", (D(2024, 6, 1), D(2024, 8, 31))),
    ("sales winter 2024/25", (D(2024, 12, 1), D(2025, 2, 28))),
    ("sales winter 2024", (D(2023, 12, 1), D(2024, 2, 29))),  # named by the year of its January
    ("revenue last summer", (D(2025, 6, 1), D(2025, 8, 31))),  # the latest to have ended
    ("summer last year by channel", (D(2024, 6, 1), D(2024, 8, 31))),
])
def test_a_season_with_its_year_is_its_months(said, span):
    assert slots.period(said, END)[:2] == span


def test_last_summer_before_the_summer_is_over_is_the_one_before():
    assert slots.period("revenue last summer", D(2025, 7, 15))[:2] == (D(2024, 6, 1), D(2024, 8, 31))
    assert slots.period("revenue this summer", D(2025, 7, 15))[:2] == (D(2025, 6, 1), D(2025, 8, 31))


@pytest.mark.parametrize("said", ["was summer 2025 better than summer 2024?", "summer 25 vs summer 24 revenue",
                                  "this summer vs last summer", "last summer against this summer",
                                  "compare the summer of 2024 with summer 2025"])
def test_two_summers_set_against_each_other(said):
    assert slots.comparison(said, END)[0] == [(D(2024, 6, 1), D(2024, 8, 31)), (D(2025, 6, 1), D(2025, 8, 31))]


def test_compare_splits_at_the_word_that_sets_sides_against_each_other_not_inside_a_range():
    assert slots.comparison("compare takings for june to august 2024 against the same months in 2025", END)[0] == [
        (D(2024, 6, 1), D(2024, 8, 31)), (D(2025, 6, 1), D(2025, 8, 31))]
    assert slots.comparison("compare march to february", END)[0] == [(D(2025, 2, 1), D(2025, 2, 28)),
                                                                      (D(2025, 3, 1), D(2025, 3, 31))]


@pytest.mark.parametrize("said", ["did sales fall 20% in 2024", "revenue in summer", "summer dresses by month",
                                  "did orders fall 15 percent"])
def test_words_that_only_look_like_a_season_with_a_year_are_not_one(said):
    start, stop, _ = slots.period(said, END)
    assert (start, stop) in ((None, None), (D(2024, 1, 1), D(2024, 12, 31)))


def test_a_season_asked_through_the_session_scopes_the_answer():
    from helpers import demo_session

    a = demo_session(300, 3)[0].chat("revenue summer 2024 vs summer 2025")
    assert a.params["compare"] == [["2024-06-01", "2024-08-31"], ["2025-06-01", "2025-08-31"]]
    assert "compare: 2024-06-01 to 2024-08-31 vs 2025-06-01 to 2025-08-31" in a.understood  # said on the first line


@pytest.mark.parametrize("said, span", [
    ("what sold best over Christmas 2023, like the whole of December?", (D(2023, 12, 1), D(2023, 12, 31))),
    ("retention for customers we picked up at the xmas 2024 rush (december)", (D(2024, 12, 1), D(2024, 12, 31))),
    ("did the holiday 2024 cohort stick around", (D(2024, 11, 1), D(2024, 12, 31))),
    ("holiday season 2024 revenue", (D(2024, 11, 1), D(2024, 12, 31))),
    ("complaints after Valentine's this year? in February I mean", (D(2025, 2, 1), D(2025, 2, 28))),
    ("christmas trees sold in 2024", (D(2024, 1, 1), D(2024, 12, 31))),  # a product, not the holiday
])
def test_a_holiday_with_its_year_is_its_month(said, span):
    assert slots.period(said.lower(), END)[:2] == span


def test_an_edge_said_after_an_event_in_brackets_and_a_part_of_a_two_digit_year():
    assert slots.period("the support complaints since the spring tour (april 2025)", END)[:2] == (D(2025, 4, 1), None)
    assert slots.period("how many customers bought in the first 3 months of 97", END)[:2] == (D(1997, 1, 1),
                                                                                             D(1997, 3, 31))


@pytest.mark.parametrize("said", ["which cohort is better the one of 2023 or the one of 2024",
                                  "do accounts created in 2023 keep buying as well as the 2024 cohort?",
                                  "Do customers acquired in 2024 stick with us as well as those from 2023 did?"])
def test_two_cohorts_set_against_each_other(said):
    assert slots.comparison(said, END)[0] == [(D(2023, 1, 1), D(2023, 12, 31)), (D(2024, 1, 1), D(2024, 12, 31))]
    assert slots.comparison("revenue as well as orders in 2024", END)[0] is None
