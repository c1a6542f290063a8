"""clv: the model maths recover known parameters from data simulated by the BG/NBD and
Gamma-Gamma processes; the historical formula reproduces the seed's $100 x 5 x 3 = $1,500; the
analysis finds the demo's planted VIPs and lapsed customers; bad input gets clear messages."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from helpers import numbers

from custlens import Session
from custlens.errors import DataError, ParamsError
from custlens.plugins import _btyd

BG_TRUE = {"r": 0.5, "alpha": 30.0, "a": 0.8, "b": 2.5}  # alpha in days: a purchase every ~2 months
GG_TRUE = {"p": 6.0, "q": 4.0, "v": 15.0}  # average spend per purchase v p / (q - 1) = 30
START = dt.datetime(2022, 1, 1)


def simulate(n, rng, days=700.0):
    """BG/NBD purchase histories: each customer buys at birth, then as a Poisson process of rate
    lambda ~ Gamma(r, alpha) and drops out after each repeat purchase with probability p ~ Beta(a, b);
    watched for T days. Returns (x, t_x, T) and each customer's purchase times (birth = 0)."""
    lam = rng.gamma(BG_TRUE["r"], 1 / BG_TRUE["alpha"], n)
    drop = rng.beta(BG_TRUE["a"], BG_TRUE["b"], n)
    T = rng.uniform(days / 3, days, n)
    times = []
    for i in range(n):
        t, mine = 0.0, [0.0]
        while True:
            t += rng.exponential(1 / lam[i])
            if t > T[i]:
                break
            mine.append(t)
            if rng.random() < drop[i]:
                break
        times.append(mine)
    x = np.array([len(m) - 1 for m in times], float)
    return x, np.array([m[-1] for m in times]), T, times


def spends(counts, rng):
    """Gamma-Gamma purchase values: nu ~ Gamma(q, v) per customer, each purchase ~ Gamma(p, nu)."""
    nu = rng.gamma(GG_TRUE["q"], 1 / GG_TRUE["v"], len(counts))
    return [rng.gamma(GG_TRUE["p"], 1 / nu[i], c) for i, c in enumerate(counts)]


def standard_errors(loglik, estimate):
    """Sampling error of an MLE: sqrt of the diagonal of the inverse observed information."""
    names = list(estimate)
    theta = np.array([estimate[k] for k in names], float)
    hessian = optimize.approx_fprime(theta, lambda t: loglik(t)[1], 1e-6 * theta)
    return dict(zip(names, np.sqrt(np.diag(np.linalg.inv(-(hessian + hessian.T) / 2)))))


def within(fit, truth, se, k=3.0):
    return {name: (round(fit[name], 4), truth[name], round(k * se[name], 4))
            for name in truth if abs(fit[name] - truth[name]) > k * se[name]}


@pytest.fixture(scope="module")
def histories():
    return simulate(4000, np.random.default_rng(7))


def test_bgnbd_fit_recovers_the_simulated_parameters(histories):
    x, t_x, T, _ = histories
    fit = _btyd.fit_bgnbd(x, t_x, T)
    assert fit.converged
    se = standard_errors(lambda p: _btyd.bgnbd_log_likelihood(p, x, t_x, T, gradient=True), fit.params)
    assert not within(fit.params, BG_TRUE, se)
    assert all(se[k] < 0.25 * BG_TRUE[k] for k in BG_TRUE)  # the check has teeth: errors are small


def test_gamma_gamma_fit_recovers_the_simulated_parameters(histories):
    x, *_ = histories
    rng = np.random.default_rng(11)
    repeat = x > 0
    values = spends(x[repeat].astype(int), rng)
    m = np.array([v.mean() for v in values])
    fit = _btyd.fit_gamma_gamma(x[repeat], m)
    assert fit.converged
    se = standard_errors(lambda p: _btyd.gamma_gamma_log_likelihood(p, x[repeat], m, gradient=True), fit.params)
    assert not within(fit.params, GG_TRUE, se)


def test_collapsed_weighted_rows_fit_like_every_customer(histories):
    x, t_x, T, _ = histories
    days = (np.floor(x), np.floor(t_x), np.floor(T))
    rows, weights = np.unique(np.column_stack(days), axis=0, return_counts=True)
    assert len(rows) < len(x)
    (cx, ct, cT), cw, inverse = _btyd.collapse(*days)
    np.testing.assert_array_equal(np.column_stack([cx, ct, cT]), rows)
    np.testing.assert_array_equal(cw, weights)
    np.testing.assert_array_equal(cx[inverse], days[0])
    np.testing.assert_array_equal(cT[inverse], days[2])
    full, collapsed = _btyd.fit_bgnbd(*days), _btyd.fit_bgnbd(rows[:, 0], rows[:, 1], rows[:, 2], weights)
    for k in BG_TRUE:
        assert collapsed.params[k] == pytest.approx(full.params[k], rel=1e-5)
    assert collapsed.log_likelihood == pytest.approx(full.log_likelihood, rel=1e-9)


def test_analytic_gradients_match_finite_differences(histories):
    x, t_x, T, _ = histories
    point = np.array([0.4, 20.0, 0.9, 3.0])
    _, grad = _btyd.bgnbd_log_likelihood(point, x, t_x, T, gradient=True)
    numeric = optimize.approx_fprime(point, lambda p: _btyd.bgnbd_log_likelihood(p, x, t_x, T).sum(), 1e-7)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4)


def test_predictions_behave_like_the_model():
    params = {"r": 0.5, "alpha": 30.0, "a": 0.8, "b": 2.5}
    # a new customer is alive; someone who bought often and recently is likelier alive than one gone quiet
    assert _btyd.probability_alive(params, 0, 0, 100) == 1.0
    recent, quiet = _btyd.probability_alive(params, [5, 5], [95, 20], [100, 100])
    assert recent > 0.8 > 0.5 > quiet
    month, two = (_btyd.expected_purchases(params, t, 5, 95, 100) for t in (30, 60))
    assert 0 < month < two
    spend = _btyd.expected_average_spend({"p": 6.0, "q": 4.0, "v": 15.0}, [0, 50], [0, 100.0])
    assert spend[0] == pytest.approx(30.0) and 30 < spend[1] < 100  # shrunk from 100 towards 30
    # CLV is the discounted sum of monthly expected purchases x spend
    undiscounted = _btyd.discounted_clv(params, 5, 95, 100, 40.0, months=6, unit="day", monthly_discount=0)
    assert undiscounted == pytest.approx(40.0 * _btyd.expected_purchases(params, 180, 5, 95, 100))
    assert _btyd.discounted_clv(params, 5, 95, 100, 40.0, 6, "day", 0.05) < undiscounted


# --------------------------------------------------------------------------------- the analysis
def write_orders(path, rows):
    pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"]).to_csv(path, index=False)
    return Session(data=[str(path)], entry_points=False)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """2,500 customers whose purchases follow BG/NBD + Gamma-Gamma, born over the first 400 days
    of a 700-day window, as an orders file; with the purchase times behind it."""
    rng = np.random.default_rng(3)
    n, days = 2500, 700.0
    x, t_x, T, times = simulate(n, rng, days)
    born = days - T
    values = spends([len(t) for t in times], rng)
    rows = []
    for i, (mine, vals) in enumerate(zip(times, values)):
        for j, (t, v) in enumerate(zip(mine, vals)):
            rows.append((f"S{i:05d}", f"S{i:05d}-{j}", START + dt.timedelta(days=born[i] + t), round(float(v), 2)))
    path = tmp_path_factory.mktemp("sim") / "orders.csv"
    session = write_orders(path, rows)
    return session, pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"])


def test_rfm_summary_matches_the_per_day_definition(simulated):
    session, orders = simulated
    a = session.run("clv", {"top": 10_000})
    got = a.table("customers").frame.set_index("customer_id").sort_index()
    orders = orders.assign(day=orders.order_date.dt.floor("D"))
    per_day = orders.groupby(["customer_id", "day"], as_index=False).amount.sum()
    end = orders.day.max()
    g = per_day.groupby("customer_id")
    first_value = per_day.sort_values("day").groupby("customer_id").amount.first()
    want = pd.DataFrame({"frequency": g.size() - 1, "recency": (g.day.max() - g.day.min()).dt.days,
                         "T": (end - g.day.min()).dt.days})
    want["monetary"] = ((g.amount.sum() - first_value) / want.frequency.where(want.frequency > 0)).fillna(0)
    assert len(got) == len(want)
    for col in ("frequency", "recency", "T"):
        assert (got[col] == want[col]).all(), col
    np.testing.assert_allclose(got["monetary"], want["monetary"], rtol=1e-9, atol=1e-9)


def test_analysis_recovers_the_simulated_parameters(simulated):
    session, _ = simulated
    a = session.run("clv", {"top": 10_000})
    model = {(m, p): v for m, p, v in a.table("model").rows}
    rows = a.table("customers").frame
    x, t_x, T = (rows[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    bg = {k: model[("BG/NBD", k)] for k in BG_TRUE}
    se = standard_errors(lambda p: _btyd.bgnbd_log_likelihood(p, x, t_x, T, gradient=True), bg)
    assert not within(bg, BG_TRUE, se)
    spenders = rows[rows.frequency > 0]
    gg = {k: model[("Gamma-Gamma", k)] for k in GG_TRUE}
    se = standard_errors(lambda p: _btyd.gamma_gamma_log_likelihood(p, spenders.frequency, spenders.monetary,
                                                                      gradient=True), gg)
    assert not within(gg, GG_TRUE, se)
    assert gg["v"] * gg["p"] / (gg["q"] - 1) == pytest.approx(30.0, rel=0.1)  # the average spend per purchase
    assert model[("BG/NBD", "distinct rows fitted")] < model[("BG/NBD", "customers")] == 2500


def test_holdout_validation_on_model_data_is_close(simulated):
    session, orders = simulated
    cal = (START + dt.timedelta(days=500)).date()
    a = session.run("clv", {"calibration_end": str(cal)})
    total = dict(a.table("holdout_total").rows)
    in_holdout = orders[orders.order_date.dt.date > cal]
    calibrated = set(orders[orders.order_date.dt.date <= cal].customer_id)
    actual = in_holdout[in_holdout.customer_id.isin(calibrated)].groupby("customer_id").order_date.apply(
        lambda d: d.dt.date.nunique()).sum()
    assert total["actual holdout purchases"] == actual
    assert total["customers"] == len(calibrated)
    assert abs(total["relative error"]) < 0.15
    holdout = a.table("holdout")
    assert sum(holdout.column("customers")) == len(calibrated)
    assert holdout.column("calibration purchases")[0] == "0" and holdout.column("calibration purchases")[-1] == "7+"
    assert any(c.table == "holdout" and c.y == ["actual", "predicted"] for c in a.charts)
    assert "How good is the model?" in a.summary and str(cal) in a.summary


@pytest.mark.parametrize("when", ["2021-06-30", "2099-01-01"])
def test_calibration_date_outside_the_data(simulated, when):
    session, _ = simulated
    with pytest.raises(ParamsError, match=f"calibration end {when} is outside the data, which runs from"):
        session.run("clv", {"calibration_end": when})


def seed_orders(customers=10, cost=None):
    """The seed's example: every customer buys 15 times for $100 across exactly 3 years."""
    gap = dt.timedelta(days=3 * 365.25 / 14)
    return [(f"C{c}", f"C{c}-{i}", dt.datetime(2020, 1, 1 + c) + i * gap, 100.0)
            + (() if cost is None else (cost,)) for c in range(customers) for i in range(15)]


def test_seed_example_100_x_5_x_3_is_1500(tmp_path):
    session = write_orders(tmp_path / "seed.csv", seed_orders())
    a = session.run("clv")
    steps = {step: value for step, value, _ in a.table("historical").rows}
    assert steps["average purchase value"] == 100.0
    assert steps["purchase frequency per year"] == 5.0
    assert steps["average lifespan (years)"] == 3.0
    assert steps["historical CLV"] == 1500.0
    assert "100.00 average purchase value x 5.00 purchases a year x 3.00 years average lifespan = **1,500.00**" \
        in a.summary
    # ten identical customers are too few repeat buyers for a model: said, and historical CLV given
    assert a.table("customers").column("net_revenue") == [1500.0] * 10
    assert "was not used: only 10 customer(s) bought" in a.summary
    assert "model" not in [t.name for t in a.tables]


def test_margin_variant_uses_cost(tmp_path):
    rows = seed_orders(cost=60.0)
    path = tmp_path / "seed_cost.csv"
    pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount", "cost"]).to_csv(path, index=False)
    a = Session(data=[str(path)], entry_points=False).run("clv")
    steps = {step: value for step, value, _ in a.table("historical").rows}
    assert steps["average margin per purchase"] == 40.0
    assert steps["historical CLV on margin"] == 600.0
    assert "(600.00 on margin)" in a.summary


# ------------------------------------------------------------------------------------- the demo
@pytest.fixture(scope="module")
def demo():
    s = Session(entry_points=False)
    store = s.load_demo(customers=2000)
    return s, store.truth


@pytest.fixture(scope="module")
def demo_answer(demo):
    return demo[0].run("clv", {"top": 10})



def test_narrative_numbers_come_from_the_tables(demo_answer):
    a = demo_answer
    said = [round(x, 2) for x in numbers(a.summary)]
    head = dict(a.table("headline").rows)
    for key in ("historical CLV (net revenue per customer)", "average predicted CLV", "median predicted CLV"):
        assert round(head[key], 2) in said, (key, a.summary)
    assert round(head["total predicted CLV"]) in said
    steps = {step: value for step, value, _ in a.table("historical").rows}
    assert round(steps["average purchase value"], 2) in said
    top = a.table("customers").rows[0]
    assert top[0] in a.summary and round(top[-1], 2) in said
    assert f"{len(a.table('at_risk').frame):,} high-value customers" in a.summary


def test_customers_ranked_by_clv_top_n_shown_all_kept(demo_answer):
    t = demo_answer.table("customers")
    clv = t.frame["clv"].to_numpy()
    assert len(t.rows) == 10 and t.total_rows == len(t.frame) == 2000  # every demo customer buys
    assert (np.diff(clv) <= 0).all()
    head = dict(demo_answer.table("headline").rows)
    assert head["average predicted CLV"] == pytest.approx(clv.mean(), rel=1e-4)
    assert sum(demo_answer.table("distribution").column("customers")) == 2000
    assert all(0 <= p <= 1 for p in t.frame["p_alive"])


def test_cost_data_puts_clv_on_margin_and_says_so(demo_answer):
    head = dict(demo_answer.table("headline").rows)
    assert 0.2 < head["margin applied"] < 0.7
    assert any("CLV is on margin" in w for w in demo_answer.warnings)


def test_vips_have_the_highest_clv_by_saved_segment(demo):
    s, truth = demo
    s.dataset.set_segments(truth["segments"], "planted")
    a = s.run("clv", {"by": ["segment"]})
    t = a.table("by_segment")
    assert t.rows[0][0] == "vip"
    assert t.column("segment")[-1] in ("one_time", "lapsed")
    assert "By segment: **vip**" in a.summary
    alive = dict(zip(t.column("segment"), t.column("average p_alive")))
    assert alive["lapsed"] == min(alive.values())


def test_at_risk_are_the_lapsed_customers(demo, demo_answer):
    _, truth = demo
    churned = set(truth["churned"])
    at_risk = demo_answer.table("at_risk").frame
    assert len(at_risk) >= 10
    assert (at_risk.p_alive < 0.5).all()
    assert at_risk.customer_id.isin(churned).mean() > 0.6


def test_by_customer_attribute_and_unknown_dimension(demo):
    s, _ = demo
    a = s.run("clv", {"by": ["country"]})
    t = a.table("by_country")
    assert sum(t.column("customers")) == 2000
    with pytest.raises(DataError, match="cannot show CLV by 'colour'"):
        s.run("clv", {"by": ["colour"]})


def test_routing_smoke(demo):
    s, _ = demo
    assert s.ask("predict the customer lifetime value for the next 12 months").analysis == "clv"


def test_by_segment_without_saved_segments_makes_them_first(tmp_path):
    """CLV by segment before any segmentation: the RFM segments are made first and said, and the
    CLV table is per segment of those labels."""
    session = write_orders(tmp_path / "seed.csv", seed_orders())
    assert not session.dataset.has_segments
    a = session.run("clv", {"by": ["segment"]})
    assert any("segmentation first" in w for w in a.warnings) and session.dataset.has_segments
    labels = set(session.segment_labels())
    table = next(t for t in a.tables if "segment" in t.columns)
    assert {r[table.columns.index("segment")] for r in table.rows} <= labels


# ---------------------------------------------------------------------------------- bad input
def test_single_purchase_customers_only(tmp_path):
    rows = [(f"C{i}", f"O{i}", dt.datetime(2024, 1, 1) + dt.timedelta(days=i), 20.0 + i) for i in range(50)]
    a = write_orders(tmp_path / "once.csv", rows).run("clv")
    assert "no customer bought twice" in a.summary
    assert "only 0 customer(s) bought on more than one day" in a.summary
    steps = {step: value for step, value, _ in a.table("historical").rows}
    assert steps["historical CLV"] == pytest.approx(sum(20.0 + i for i in range(50)) / 50)
    assert steps["purchase frequency per year"] is None


def test_zero_negative_and_future_amounts_are_said(simulated, tmp_path):
    _, orders = simulated
    extra = pd.DataFrame([("S00000", "Z1", dt.datetime(2023, 3, 1), 0.0),
                          ("S00001", "R1", dt.datetime(2023, 3, 2), -40.0),
                          ("S00002", "F1", dt.datetime(2099, 1, 1), 55.0)], columns=orders.columns)
    path = tmp_path / "bad.csv"
    pd.concat([orders, extra]).to_csv(path, index=False)
    a = Session(data=[str(path)], entry_points=False).run("clv")
    text = " ".join(a.warnings)
    assert "1 purchase line(s) have a zero amount" in text
    assert "1 return line(s) worth 40.00 are subtracted" in text
    assert "1 purchase line(s) are dated after today" in text
    customers = a.table("customers").frame.set_index("customer_id")
    assert customers.loc["S00001", "returned"] == 40.0
    assert customers.last_order.max() < pd.Timestamp("2099-01-01")


def test_lines_without_customer_are_said_and_do_not_move_the_period(simulated, tmp_path):
    """Anonymous lines, some dated after every customer's purchase: counted in the warning, and the
    observation end (so every T) is the same as without them; without any, no warning."""
    session, orders = simulated
    clean = session.run("clv", {"top": 10_000})
    assert not any("no customer id" in w for w in clean.warnings)
    end = orders.order_date.max()
    extra = pd.DataFrame([(None, "A1", end + dt.timedelta(days=30), 10.0),
                          (None, "A2", end + dt.timedelta(days=60), 12.0),
                          (None, "A3", end - dt.timedelta(days=5), 8.0)], columns=orders.columns)
    path = tmp_path / "anonymous.csv"
    pd.concat([orders, extra]).to_csv(path, index=False)
    a = Session(data=[str(path)], entry_points=False).run("clv", {"top": 10_000})
    assert "3 purchase line(s) have no customer id: left out of CLV." in a.warnings
    got, want = (x.table("customers").frame.set_index("customer_id").sort_index() for x in (a, clean))
    assert (got["T"] == want["T"]).all() and (got["frequency"] == want["frequency"]).all()


def test_spend_correlated_with_frequency_falls_back_to_historical(tmp_path):
    """Frequent buyers spend far more per purchase: Gamma-Gamma's independence is broken."""
    rng = np.random.default_rng(5)
    rows = []
    for c in range(300):
        n = 1 + c % 12
        for j in range(n):
            rows.append((f"K{c}", f"K{c}-{j}", dt.datetime(2023, 1, 1) + dt.timedelta(days=int(rng.integers(0, 600))),
                         round(10.0 * n * rng.uniform(0.9, 1.1), 2)))
    a = write_orders(tmp_path / "corr.csv", rows).run("clv")
    assert "was not used: how much customers spend per purchase is correlated with how often they buy" in a.summary
    assert "model" not in [t.name for t in a.tables]
    assert a.table("customers").columns[-1] != "clv"


def test_by_customer_and_by_period_are_not_breakdowns(demo):
    s, _ = demo
    a = s.run("clv", {"by": ["customer", "period"], "top": 3})
    assert not [t for t in a.tables if t.name.startswith("by_")]
    assert len(a.table("customers").rows) == 3
    assert any("'by period' is ignored" in w for w in a.warnings)


def test_a_filtered_clv_counts_ages_to_the_datas_last_day(tmp_path):
    """Customers in a country whose purchases end early (the "At risk" of a segment) are still
    watched to the data's last day (20 Dec 2024): T = first purchase to then, not to their own last purchase."""
    rows = []
    for i in range(30):  # Early: two purchases on 1 and 11 Jan 2024; Late: monthly all year
        rows += [(f"E{i}", f"EO{i}a", dt.datetime(2024, 1, 1), 50.0), (f"E{i}", f"EO{i}b", dt.datetime(2024, 1, 11), 50.0)]
        rows += [(f"L{i}", f"LO{i}{m}", dt.datetime(2024, m, 1 + i % 20), 30.0) for m in range(1, 13)]
    path = tmp_path / "orders.csv"
    frame = pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"])
    frame["country"] = ["Early" if c.startswith("E") else "Late" for c in frame["customer_id"]]
    frame.to_csv(path, index=False)
    session = Session(data=[str(path)], entry_points=False)
    early = session.run("clv", {"filters": {"country": ["Early"]}, "grain": "day"}).table("customers").frame
    assert frame["order_date"].max() == dt.datetime(2024, 12, 20)
    assert set(early["T"]) == {(dt.date(2024, 12, 20) - dt.date(2024, 1, 1)).days}  # 354, not 10
    assert set(early["recency"]) == {10}
    a = session.run("clv", {"filters": {"country": ["Early"]}})
    assert "too short to count purchases a year" in a.summary  # 10 days of lifespan: no "900 purchases a year"
    steps = {step: value for step, value, _ in a.table("historical").rows}
    assert steps["purchase frequency per year"] is None and steps["historical CLV"] == pytest.approx(100.0)
