"""Dates written as text (3/4/2024, 12/1/10 8:26) are read in the order of day and month that the
values show, over the whole column, and what could not be told is said.

Each file here is planted: its true dates are known, and the answers must give them back (first
and last order, revenue per day, by hour), with the note that says how they were read. The
files are small, except one that puts the only day past 12 after the part of the file the CSV
reader and the sampled values look at (the Online Retail export's 12/13/10, on its last lines).
"""

from __future__ import annotations

import datetime as dt

import pytest

from custlens import Session
from custlens.errors import DataError

HEADER = ["customer_id", "order_id", "order_date", "amount"]


def write_orders(folder, rows, toml: str | None = None) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "orders.csv"
    path.write_text("\n".join([",".join(HEADER)] + [",".join(map(str, r)) for r in rows]) + "\n", encoding="utf-8")
    if toml is not None:
        (folder / "custlens.toml").write_text(toml, encoding="utf-8")
    return str(path)


def load(path: str) -> Session:
    return Session(data=[path], entry_points=False)


def span(s: Session) -> tuple[str, str]:
    head = dict(s.run("overview", {}).table("headline").rows)
    return str(head["first order"]), str(head["last order"])


def notes(s: Session) -> list[str]:
    return s.dataset.warnings_for(["transactions"])


def said(s: Session, *needles: str) -> str:
    hits = [w for w in notes(s) if all(n in w for n in needles)]
    assert hits, (needles, notes(s))
    return hits[0]


def by_day(s: Session) -> dict[str, float]:
    return {r[0]: r[1] for r in s.run("overview", {"by": ["period"], "grain": "day"}).table("by_day").rows}


def test_month_first_shown_by_a_day_past_12_on_the_last_lines(tmp_path):
    """The Online Retail case: 12/1/10 8:26 ... and the only dates that tell (12/13/10) come after
    the first 20,000 lines. Read month first (1 to 13 December 2010, not 0012-01-10 or 12
    January), the 13th's lines kept, the times kept, and the reading said with a value showing it."""
    rows, truth = [], {}
    n = 0
    for day in range(1, 14):
        lines = 1700 if day < 13 else 60  # 20,400 lines before the 13th
        for i in range(lines):
            n += 1
            amount = day + (i % 3)
            rows.append((f"C{i % 400}", f"O{day}-{i // 4}", f"12/{day}/10 {8 + i % 9}:{i % 60:02d}", amount))
            truth[f"2010-12-{day:02d}"] = truth.get(f"2010-12-{day:02d}", 0) + amount
    s = load(write_orders(tmp_path, rows))
    try:
        assert span(s) == ("2010-12-01", "2010-12-13")
        got = by_day(s)
        assert got == pytest.approx(truth) and len(got) == 13
        said(s, "column 'order_date'", "month/day/year", "'12/13/10")
        said(s, "two-digit years", "10 is 2010")
        assert not any("not a date" in w for w in notes(s))
        hours = {r[0] for r in s.run("overview", {"by": ["hour"]}).table("by_hour").rows}
        assert hours == {f"{h:02d}:00" for h in range(8, 17)}
    finally:
        s.close()


def test_the_same_with_four_digit_years(tmp_path):
    """12/1/2010 ... 12/13/2010 past the first 20,000 lines: not 12 January (the trial's 2010-01-12)."""
    rows = [(f"C{i % 50}", f"O{d}-{i}", f"12/{d}/2010", 1) for d in range(1, 13) for i in range(1750)]
    rows += [("C1", "O13", "12/13/2010", 5)]
    s = load(write_orders(tmp_path, rows))
    try:
        assert span(s) == ("2010-12-01", "2010-12-13")
        assert by_day(s)["2010-12-13"] == 5
        said(s, "month/day/year", "'12/13/2010'")
    finally:
        s.close()


def test_day_first_shown_by_a_day_past_12(tmp_path):
    rows = [("C1", "O1", "3/4/2024", 10), ("C2", "O2", "12/11/2024", 20), ("C3", "O3", "25/12/2024", 5)]
    s = load(write_orders(tmp_path, rows))
    try:
        assert span(s) == ("2024-04-03", "2024-12-25")
        assert by_day(s) == {"2024-04-03": 10, "2024-11-12": 20, "2024-12-25": 5}
        assert not any("cannot be told apart" in w or "month first" in w for w in notes(s))
    finally:
        s.close()


def test_all_ambiguous_is_said_and_date_order_changes_it(tmp_path):
    rows = [("C1", "O1", "3/4/2024", 10), ("C2", "O2", "12/11/2024", 20), ("C3", "O3", "1/2/2024", 5)]
    s = load(write_orders(tmp_path / "plain", rows))
    try:
        assert span(s) == ("2024-02-01", "2024-11-12")  # day first, the usual preference
        note = said(s, "column 'order_date'", "cannot be told apart", "read as day/month/year")
        assert "'3/4/2024' is 3 April 2024" in note and 'date_order = "month first"' in note
        assert "custlens.toml" in note
    finally:
        s.close()
    s = load(write_orders(tmp_path / "us", rows, toml='[definitions]\ndate_order = "month first"\n'))
    try:
        assert span(s) == ("2024-01-02", "2024-12-11")
        said(s, "read as month/day/year", "'3/4/2024' is 4 March 2024", 'date_order = "month first"')
    finally:
        s.close()


def test_date_order_does_not_override_what_the_values_show(tmp_path):
    rows = [("C1", "O1", "3/4/2024", 10), ("C2", "O2", "25/12/2024", 20)]
    s = load(write_orders(tmp_path, rows, toml='[definitions]\ndate_order = "month first"\n'))
    try:
        assert span(s) == ("2024-04-03", "2024-12-25")
        said(s, "read as day/month/year, not month first as date_order says", "'25/12/2024'")
    finally:
        s.close()


def test_a_bad_date_order_is_a_clear_error(tmp_path):
    path = write_orders(tmp_path, [("C1", "O1", "3/4/2024", 10)], toml='[definitions]\ndate_order = "sideways"\n')
    with pytest.raises(DataError, match=r"date_order = 'sideways' is not valid.*day first.*month first"):
        load(path)


def test_two_digit_years_are_years(tmp_path):
    """97 is 1997 and 10 is 2010 (the usual pivot: 69-99 are 19xx), never the year 0010; ambiguous
    all through, so the order taken is said too."""
    rows = [("C1", "O1", "3/4/97", 10), ("C2", "O2", "11/12/10", 20), ("C3", "O3", "1/2/68", 5)]
    s = load(write_orders(tmp_path, rows))
    try:
        first, last = span(s)
        assert (first[:4], last[:4]) == ("1997", "2068")
        assert set(by_day(s)) == {"1997-03-04", "2010-11-12", "2068-01-02"}  # month first, as said
        said(s, "two-digit years", "97 is 1997")
        said(s, "cannot be told apart", "read as month/day/year", "'3/4/97' is 4 March 1997", '"day first"')
    finally:
        s.close()


def test_times_after_the_date_are_kept(tmp_path):
    rows = [("C1", "O1", "12/13/2024 9:05", 10), ("C2", "O2", "12/14/2024 17:30", 20),
            ("C3", "O3", "1/2/2024 09:45", 5), ("C4", "O4", "1/3/2024 5:10 PM", 7)]
    s = load(write_orders(tmp_path, rows))
    try:
        got = {r[0]: r[1] for r in s.run("overview", {"by": ["hour"]}).table("by_hour").rows}
        assert got == {"09:00": 15, "17:00": 27}
        first = s.dataset.engine.rows("SELECT min(order_date) FROM transactions")[0][0]
        assert first == dt.datetime(2024, 1, 2, 9, 45)
    finally:
        s.close()


def test_some_unreadable_dates_are_counted_with_an_example_and_nothing_crashes(tmp_path):
    """Lines whose date does not read are said (how many, the line, the value), kept in the totals
    that need no date, and a customer with no dated purchase does not break the repeat analysis
    (it crashed in np.select on the missing tenure)."""
    rows = [("C1", "O1", "12/13/2024", 10), ("C1", "O2", "12/20/2024", 10), ("C2", "O3", "1/7/2025", 20),
            ("C3", "O4", "soon", 5), ("C4", "O5", "3/1/2025", 7), ("C4", "O6", "3/9/2025", 8),
            ("C5", "O7", "31/31/2024", 4)]
    s = load(write_orders(tmp_path, rows))
    try:
        note = said(s, "column 'order_date'", "2 value(s) are not a date")
        assert "line 5: 'soon'" in note and "line 8: '31/31/2024'" in note
        assert span(s) == ("2024-12-13", "2025-03-09")
        count = s.ask("how many customers bought more than once?")  # the count itself: 2 of the 5
        assert "3 (60.0%) bought once and **2 (40.0%) more than once**" in count.summary, count.summary
        a = s.ask("what is our repeat purchase rate?")
        assert a.analysis == "loyalty", a.summary
        head = dict(a.table("loyalty_headline").rows)
        assert head["repeat purchase rate"] == pytest.approx(2 / 5)
        assert any("2 customer(s) have no purchase with a date that reads" in w for w in a.warnings), a.warnings
        tenure = a.table("tenure").frame
        assert tenure["customers"].sum() == 3
    finally:
        s.close()


def test_iso_dates_read_as_text_are_never_day_month_ambiguous(tmp_path):
    rows = [("C1", "O1", "2024-01-05", 10), ("C2", "O2", "2024-02-03", 20), ("C3", "O3", "unknown", 5),
            ("C4", "O4", "2024-03-04", 1)]
    s = load(write_orders(tmp_path, rows))
    try:
        assert span(s) == ("2024-01-05", "2024-03-04")
        assert not any("told apart" in w or "month first" in w for w in notes(s))
    finally:
        s.close()
