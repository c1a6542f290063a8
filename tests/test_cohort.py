"""cohort: planted retention curves recovered exactly, the matrix equal to an independent pandas
computation, the demo's planted cohort change found, narratives against tables, bad input."""

import re

import numpy as np
import pandas as pd
import pytest

from custlens import Session
from custlens.errors import DataError
from custlens.templates import pct, period_name, period_value

# cohort start month -> (customers, share of them buying in months 1, 2, 3, ... after it)
PLANTED = {"2024-01": (100, [0.5, 0.4, 0.3, 0.25, 0.2, 0.2, 0.1]),
           "2024-03": (200, [0.6, 0.55, 0.5, 0.45, 0.4])}
LAST_MONTH = "2024-08"


def planted_orders() -> pd.DataFrame:
    """Cohorts that retain at exactly the PLANTED rates: the first round(rate x n) customers of a
    cohort buy once (10.00) in that month; every customer's first order is on the 3rd."""
    rows = []
    for start, (n, rates) in PLANTED.items():
        month0 = pd.Period(start, "M")
        for i in range(n):
            cid = f"{start}-{i:03d}"
            rows.append((cid, month0.to_timestamp() + pd.Timedelta(days=2), 10.0))
            for k, rate in enumerate(rates, start=1):
                if i < round(rate * n) and month0 + k <= pd.Period(LAST_MONTH, "M"):
                    rows.append((cid, (month0 + k).to_timestamp() + pd.Timedelta(days=9), 10.0))
    frame = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    frame["order_id"] = [f"O{i:05d}" for i in range(len(frame))]
    return frame


def session_for(folder, orders: pd.DataFrame, customers: pd.DataFrame | None = None) -> Session:
    folder.mkdir(exist_ok=True)
    data = [folder / "orders.csv"]
    orders.to_csv(data[0], index=False)
    if customers is not None:
        data.append(folder / "customers.csv")
        customers.to_csv(data[1], index=False)
    return Session(data=[str(p) for p in data], entry_points=False)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return session_for(tmp_path_factory.mktemp("planted"), planted_orders())


def test_planted_retention_curves_are_recovered(planted):
    a = planted.run("cohort", {})
    m = a.table("cohort_matrix").frame.set_index("cohort")
    assert list(m.index) == ["2024-01", "2024-03"]
    for start, (n, rates) in PLANTED.items():
        assert m.loc[start, "customers"] == n
        observed = (pd.Period(LAST_MONTH, "M") - pd.Period(start, "M")).n
        assert m.loc[start, "0"] == 1.0
        for k in range(1, observed + 1):
            assert m.loc[start, str(k)] == pytest.approx(rates[k - 1]), (start, k)
        for k in range(observed + 1, len(m.columns) - 1):
            assert np.isnan(m.loc[start, str(k)]), "a period after the data ends is not observed, not 0"
    assert a.charts[0].kind == "heatmap" and a.charts[0].table == "cohort_matrix"


def test_revenue_orders_and_cumulative_revenue(planted):
    long = planted.run("cohort", {"metric": "orders"}).table("cohort_periods").frame
    jan = long[long["cohort"] == "2024-01"].set_index("period")
    assert jan.loc[2, "revenue"] == 10.0 * 40 and jan.loc[2, "orders"] == 40
    assert jan.loc[2, "cumulative_revenue_per_customer"] == pytest.approx((100 + 50 + 40) * 10 / 100)
    assert "orders" not in planted.run("cohort", {}).table("cohort_periods").columns  # counted only when asked
    cum = planted.run("cohort", {"metric": "cumulative revenue"}).table("cohort_matrix").frame.set_index("cohort")
    assert cum.loc["2024-03", "1"] == pytest.approx((200 + 120) * 10 / 200)


def test_absolute_periods_and_horizon(planted):
    m = planted.run("cohort", {"periods": "absolute", "horizon": 2}).table("cohort_matrix").frame.set_index("cohort")
    assert list(m.columns) == ["customers", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert m.loc["2024-03", "2024-05"] == pytest.approx(0.55)
    assert np.isnan(m.loc["2024-03", "2024-02"])


def random_store(seed=3, customers=400) -> pd.DataFrame:
    """Random customers over two years: a geometric number of orders, several lines per order, and
    some returns (negative lines) that must not count as activity."""
    rng = np.random.default_rng(seed)
    rows, order = [], 0
    for c in range(customers):
        first = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 700)))
        for _ in range(rng.geometric(0.35)):
            day = first + pd.Timedelta(days=int(rng.exponential(120))) if rows and rows[-1][0] == f"C{c}" else first
            if day > pd.Timestamp("2024-12-31"):
                continue
            order += 1
            for _ in range(1 + rng.poisson(0.5)):
                rows.append((f"C{c}", f"O{order}", day + pd.Timedelta(hours=int(rng.integers(8, 20))),
                             round(float(rng.uniform(5, 80)), 2)))
            if rng.random() < 0.1:
                rows.append((f"C{c}", f"R{order}", day + pd.Timedelta(days=40), -5.0))
    return pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"])


def pandas_cohorts(frame: pd.DataFrame, freq: str):
    """The textbook pandas cohort matrix: first period per customer, period index, nunique."""
    sales = frame[frame.amount > 0].copy()
    sales["period"] = sales.order_date.dt.to_period(freq)
    sales["cohort"] = sales.groupby("customer_id").period.transform("min")
    sales["index"] = (sales.period - sales.cohort).apply(lambda d: d.n)
    active = sales.groupby(["cohort", "index"]).customer_id.nunique().unstack()
    revenue = sales.groupby(["cohort", "index"]).amount.sum().unstack()
    size = active[0]
    return active.div(size, axis=0), revenue, size


@pytest.mark.parametrize("grain,freq", [("month", "M"), ("quarter", "Q")])
def test_matrix_equals_an_independent_pandas_computation(tmp_path, grain, freq):
    frame = random_store()
    expected, revenue, size = pandas_cohorts(frame, freq)
    s = session_for(tmp_path, frame)
    a = s.run("cohort", {"grain": grain})
    m = a.table("cohort_matrix").frame
    assert len(m) == len(expected)
    assert list(m["customers"]) == list(size)
    values = m.drop(columns=["cohort", "customers"]).to_numpy(float)  # rounded to 4 places for reading
    theirs = expected.reindex(columns=range(values.shape[1])).fillna(0).to_numpy(float)
    assert np.abs(np.where(np.isnan(values), 0, values) - theirs).max() <= 0.5e-4
    long = a.table("cohort_periods").frame
    exact = long.pivot_table(index="cohort_start", columns="period", values="retention").fillna(0).to_numpy()
    assert np.abs(exact - theirs).max() < 1e-12
    got = long.pivot_table(index="cohort_start", columns="period", values="revenue").fillna(0).to_numpy()
    want = revenue.reindex(columns=range(got.shape[1])).fillna(0).to_numpy()
    assert np.abs(got - want).max() < 1e-6


@pytest.fixture(scope="module")
def demo():
    s = Session(entry_points=False)
    store = s.load_demo(customers=3000)
    return s, store.truth["cohorts"]


def test_demo_month3_retention_truth_is_reproduced(demo):
    s, truth = demo
    a = s.run("cohort", {"at": 3})
    long = a.table("cohort_periods").frame
    m3 = long[long["period"] == 3]

    def pooled(rows):
        return round(rows["active"].sum() / rows["cohort_customers"].sum(), 6)

    first_year = m3[(m3["cohort"] >= truth["first_year"][0]) & (m3["cohort"] <= truth["first_year"][1])]
    since = m3[m3["cohort_start"] >= pd.Timestamp(truth["split"])]
    assert pooled(first_year) == truth["month3_retention_first_year"]
    assert first_year["cohort_customers"].sum() == truth["customers_first_year"]
    assert pooled(since) == truth["month3_retention_since_split"]
    assert since["cohort_customers"].sum() == truth["customers_since_split"]
    # the narrative finds the planted change at the split and states the since-split figure
    assert f"since {period_name(truth['split'], 'month')} keep" in a.summary  # narrative: "March 2024"
    assert f"{pct(truth['month3_retention_since_split'])}" in a.summary
    assert "points more at month 3" in a.summary


def test_narrative_numbers_come_from_the_tables(demo):
    s, _ = demo
    a = s.run("cohort", {})
    m = a.table("cohort_matrix").frame.set_index("cohort")
    long = a.table("cohort_periods").frame
    best = re.search(r"Best cohort at month 3: \*\*(\w+ \d{4})\*\* \(([\d.]+)% retained, ([\d,]+) customers",
                     a.summary)
    worst = re.search(r"Worst cohort at month 3: \*\*(\w+ \d{4})\*\* \(([\d.]+)% retained", a.summary)
    assert best and worst
    # the narrative names months ("March 2024"), the tables label them "2024-03"
    best_label, worst_label = period_value(best.group(1), "month"), period_value(worst.group(1), "month")
    at3 = m["3"].dropna()
    assert round(100 * m.loc[best_label, "3"], 1) == float(best.group(2))
    assert int(best.group(3).replace(",", "")) == m.loc[best_label, "customers"]
    assert round(100 * m.loc[worst_label, "3"], 1) == float(worst.group(2))
    assert m.loc[best_label, "3"] >= at3[m.loc[at3.index, "customers"] >= 20].max() - 1e-9
    split = re.search(r"since (\w+ \d{4}) keep ([\d.]+) points .* ([\d.]+)% against ([\d.]+)%", a.summary)
    at = long[long["period"] == 3]
    since = period_value(split.group(1), "month")
    after = at[at["cohort"] >= since]
    before = at[at["cohort"] < since]
    rate_after = after["active"].sum() / after["cohort_customers"].sum()
    rate_before = before["active"].sum() / before["cohort_customers"].sum()
    assert float(split.group(3)) == round(100 * rate_after, 1)
    assert float(split.group(4)) == round(100 * rate_before, 1)
    assert float(split.group(2)) == round(100 * (rate_after - rate_before), 1)


def test_split_by_attribute_and_filter(tmp_path):
    """B2B customers (even ids) all buy again the next month; B2C customers (odd ids) never do."""
    rows = []
    for i in range(60):
        first = pd.Timestamp("2024-01-05") + pd.DateOffset(months=i % 3)
        rows.append((f"C{i}", first, 20.0))
        if i % 2 == 0:
            rows.append((f"C{i}", first + pd.DateOffset(months=1), 20.0))
    orders = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    # a sales column splits by its value on the first order: B2B first buy on the web, later in store
    orders["channel"] = ["web" if int(c[1:]) % 2 == 0 and i == orders.index[orders.customer_id == c][0] else "store"
                         for i, c in zip(orders.index, orders.customer_id)]
    customers = pd.DataFrame({"customer_id": [f"C{i}" for i in range(60)],
                              "customer_type": ["B2B" if i % 2 == 0 else "B2C" for i in range(60)]})
    s = session_for(tmp_path, orders, customers)
    a = s.run("cohort", {"by": ["customer_type"], "at": 1})
    groups = a.table("cohort_groups").frame.set_index("customer_type")
    assert groups.loc["B2B"].iloc[-1] == 1.0 and groups.loc["B2C"].iloc[-1] == 0.0
    m = a.table("cohort_matrix").frame
    assert set(m["customer_type"]) == {"B2B", "B2C"} and set(m[m.customer_type == "B2C"]["1"].dropna()) == {0.0}
    assert "customer_type B2B: 100.0% retained at month 1" in a.summary
    by_channel = s.run("cohort", {"by": ["channel"], "at": 1}).table("cohort_groups").frame.set_index("channel")
    assert by_channel.iloc[:, -1].to_dict() == {"web": 1.0, "store": 0.0}
    b2b = s.run("cohort", {"filters": {"customer_type": ["B2B"]}})
    assert b2b.table("cohort_matrix").frame["customers"].sum() == 30
    assert set(b2b.table("cohort_matrix").frame["1"].dropna()) == {1.0}
    assert "for customer_type = B2B" in b2b.summary
    # saved segment labels work like an attribute: by segment and "for the loyal"
    s.dataset.set_segments(customers.assign(segment=customers.customer_type.map({"B2B": "loyal", "B2C": "once"})),
                           "test labels")
    seg = s.run("cohort", {"by": ["segment"], "at": 1}).table("cohort_groups").frame.set_index("segment")
    assert seg.iloc[:, -1].to_dict() == {"loyal": 1.0, "once": 0.0}
    assert s.run("cohort", {"filters": {"segment": ["loyal"]}}).table("cohort_matrix").frame["customers"].sum() == 30


def test_signup_cohorts(tmp_path):
    """Customers signed up in January, some first buying in February: a signup cohort holds
    everyone who signed up, buyers or not."""
    customers = pd.DataFrame({"customer_id": ["A", "B", "C", "D"],
                              "signup_date": ["2024-01-10", "2024-01-20", "2024-01-25", "2024-02-02"]})
    orders = pd.DataFrame({"customer_id": ["A", "B", "B", "D", "E"],
                           "order_date": ["2024-01-11", "2024-02-03", "2024-03-01", "2024-03-05", "2024-03-09"],
                           "amount": [5.0, 5.0, 5.0, 5.0, 5.0]})
    s = session_for(tmp_path, orders, customers)
    a = s.run("cohort", {"basis": "signup"})
    m = a.table("cohort_matrix").frame.set_index("cohort")
    assert m.loc["2024-01", "customers"] == 3
    assert list(m.loc["2024-01", ["0", "1", "2"]]) == pytest.approx([1 / 3] * 3, abs=1e-4)
    assert any("E" not in w and "no signup date" in w for w in a.warnings)
    with pytest.raises(DataError, match="signup date"):
        session_for(tmp_path / "no_customers", orders).run("cohort", {"basis": "signup"})


def test_single_cohort_and_one_time_buyers_are_said(tmp_path):
    orders = pd.DataFrame({"customer_id": [f"C{i}" for i in range(20)],
                           "order_date": [f"2024-05-{1 + i:02d}" for i in range(20)], "amount": 9.0})
    a = session_for(tmp_path, orders).run("cohort", {})
    assert a.table("cohort_matrix").total_rows == 1
    assert any("one cohort (2024-05)" in w and "finer grain" in w for w in a.warnings)
    assert "no later month" in a.summary
    a = session_for(tmp_path / "weekly", orders).run("cohort", {"grain": "week"})
    assert a.table("cohort_matrix").total_rows > 1
    assert any("no customer bought again" in w for w in a.warnings)
    assert "No customer bought again after their first week" in a.summary


def test_bad_parameters_are_clear(planted):
    with pytest.raises(DataError, match="cannot split cohorts by 'planet'"):
        planted.run("cohort", {"by": ["planet"]})
    with pytest.raises(DataError, match="no customers acquired between 2030-01-01"):
        planted.run("cohort", {"start": "2030-01-01"})
    a = planted.run("cohort", {"at": 12})
    assert any("compared at month" in w for w in a.warnings)


def test_routing_smoke(planted):
    a = planted.ask("show me a cohort retention matrix by quarter")
    assert a.analysis == "cohort" and a.params["grain"] == "quarter"
    a = planted.ask("monthly cohorts by first purchase month")  # "first purchase" is not the orders metric
    assert a.analysis == "cohort" and a.params["metric"] == "retention"


@pytest.mark.parametrize("grain", ["month", "week"])
def test_cohorts_of_every_purchase_from_the_shared_per_day_table(tmp_path, grain):
    """Unscoped cohorts read each customer's periods from the shared per-day table when an earlier answer
    made it, else from the lines, not making it for cohorts alone (issue 20: the question asked first):
    the same cells either way, with two orders on one day and a line without a date; the orders metric
    (its distinct orders are counted from the lines) to hold them against."""
    orders = pd.DataFrame([("A", "O1", "2024-01-03 09:00", 10.0), ("A", "O2", "2024-01-03 18:00", 5.0),
                           ("A", "O3", "2024-02-10 12:00", 7.0), ("B", "O4", "2024-01-20 08:00", 3.0),
                           ("B", "O5", "2024-03-01 08:00", 4.0), ("C", "O6", None, 100.0),
                           ("C", "O7", "2024-02-05 10:00", 2.0)],
                          columns=["customer_id", "order_id", "order_date", "amount"])
    s = session_for(tmp_path / "d", orders)
    from_lines = s.run("cohort", {"grain": grain}).table("cohort_periods").frame
    assert not s.dataset.made("per_customer_day")
    table = s.dataset.per_customer_day_table()  # as churn, CLV or loyalty make it
    asked = len(s.dataset.sql_log)
    long = s.run("cohort", {"grain": grain, "start": "2023-01-01"}).table("cohort_periods").frame
    assert any(table in sql for sql in s.dataset.sql_log[asked:])
    pd.testing.assert_frame_equal(long, from_lines)
    if grain == "month":
        got = {(str(r.cohort_start)[:10], int(r.period)): (int(r.active), float(r.revenue))
               for r in long.itertuples()}
        assert got == {("2024-01-01", 0): (2, 18.0), ("2024-01-01", 1): (1, 7.0), ("2024-01-01", 2): (1, 4.0),
                       ("2024-02-01", 0): (1, 2.0), ("2024-02-01", 1): (0, 0.0)}
    scoped = s.run("cohort", {"grain": grain, "metric": "orders"}).table("cohort_periods")
    cols = ["cohort_start", "period", "cohort_customers", "active", "revenue"]
    pd.testing.assert_frame_equal(long[cols].reset_index(drop=True), scoped.frame[cols].reset_index(drop=True))
