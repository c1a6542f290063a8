"""The demo store: shape, bookkeeping, determinism, writing, and every planted pattern measured with pandas."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from custlens import demo

N = 1500


@pytest.fixture(scope="module")
def store():
    return demo.generate(customers=N, seed=42)


@pytest.fixture(scope="module")
def orders(store):
    return store.tables["orders"]


@pytest.fixture(scope="module")
def sales(orders):
    return orders[orders["quantity"] > 0]


def end_of(store) -> pd.Timestamp:
    return pd.Timestamp(store.end) + pd.Timedelta(days=1)


# --- shape and bookkeeping ---------------------------------------------------------------------
def test_columns(store):
    assert set(store.tables) == {"customers", "orders", "feedback", "touchpoints"}
    assert list(store.tables["customers"].columns) == [
        "customer_id", "email", "signup_date", "country", "region", "city", "gender", "age", "customer_type",
        "industry", "company_size", "acquisition_channel"]
    assert list(store.tables["orders"].columns) == [
        "order_id", "order_date", "customer_id", "product", "category", "quantity", "unit_price", "discount",
        "amount", "cost", "channel", "country"]
    assert list(store.tables["feedback"].columns) == ["customer_id", "date", "score", "comment", "product", "topic"]
    assert list(store.tables["touchpoints"].columns) == [
        "customer_id", "session_id", "timestamp", "event", "channel", "device"]


def test_sizes_at_test_scale(store):
    t = store.tables
    assert len(t["customers"]) == N
    assert 8 * N <= len(t["orders"]) <= 14 * N
    assert 0.4 * N <= len(t["feedback"]) <= 1.2 * N
    assert 4 * N <= len(t["touchpoints"]) <= 10 * N


def test_sizes_at_default():
    t = demo.generate().tables
    assert len(t["customers"]) == 5000
    assert 40_000 <= len(t["orders"]) <= 70_000
    assert 2_000 <= len(t["feedback"]) <= 6_000
    assert 20_000 <= len(t["touchpoints"]) <= 60_000
    assert 60 <= t["orders"]["product"].nunique() <= 120
    assert 8 <= t["orders"]["category"].nunique() <= 10


def test_customers(store):
    c = store.tables["customers"]
    assert c["customer_id"].is_unique and c["customer_id"].str.fullmatch(r"C\d{6}").all()
    assert c["email"].is_unique and c["email"].str.fullmatch(r"[a-z]+\.[a-z]+\d+@example\.com").all()
    b2b = c["customer_type"] == "B2B"
    assert set(c["customer_type"]) == {"B2B", "B2C"} and 0.11 <= b2b.mean() <= 0.19
    assert c.loc[b2b, ["gender", "age"]].isna().all().all()
    assert c.loc[~b2b, ["industry", "company_size"]].isna().all().all()
    assert c.loc[b2b, ["industry", "company_size"]].notna().all().all()
    assert set(c.loc[~b2b, "gender"]) == {"F", "M", "X"} and c.loc[~b2b, "age"].between(18, 85).all()
    assert set(c["company_size"].dropna()) <= {"1-10", "11-50", "51-200", "201-1000", "1000+"}
    assert set(c["acquisition_channel"]) == {"organic search", "paid search", "social", "referral", "email", "marketplace"}
    assert {"Europe", "North America", "Asia Pacific"} <= set(c["region"])
    assert c["signup_date"].between(pd.Timestamp(store.start), pd.Timestamp(store.end)).all()
    assert (c.groupby("country")["region"].nunique() == 1).all()


def test_order_bookkeeping(store, orders, sales):
    assert np.allclose(orders["amount"], orders["quantity"] * orders["unit_price"] - orders["discount"], atol=0.005)
    for col in ("unit_price", "discount", "amount", "cost"):
        assert np.allclose(orders[col], orders[col].round(2), atol=1e-9)
    assert (orders["discount"] >= 0).all() and (orders["unit_price"] > 0).all()
    assert (sales["cost"] < sales["quantity"] * sales["unit_price"]).all()
    assert orders["order_date"].between(pd.Timestamp(store.start), end_of(store)).all()
    assert orders["order_date"].is_monotonic_increasing
    assert (orders["order_date"].dt.time != pd.Timestamp("2023-01-01").time()).mean() > 0.99  # times of day
    assert set(orders["channel"]) == {"web", "app", "store"}
    country = store.tables["customers"].set_index("customer_id")["country"]
    assert (orders["country"] == orders["customer_id"].map(country)).all()
    assert (sales.groupby("order_id")["customer_id"].nunique() == 1).all()
    assert not sales.duplicated(["order_id", "product"]).any()
    assert sales.groupby("order_id").size().max() > 1  # several lines share an order
    first_order = sales.groupby("customer_id")["order_date"].min().dt.normalize()
    signup = store.tables["customers"].set_index("customer_id")["signup_date"]
    assert (first_order >= signup.reindex(first_order.index)).all()


def test_returns(orders):
    ret = orders["quantity"] < 0
    assert 0.004 <= ret.mean() <= 0.025
    assert orders.loc[ret, "order_id"].str.fullmatch(r"R\d{7}").all()
    assert orders.loc[~ret, "order_id"].str.fullmatch(r"O\d{7}").all()
    assert (orders.loc[ret, "amount"] < 0).all() and (orders.loc[ret, "cost"] < 0).all()
    assert (orders.loc[ret, "discount"] == 0).all()
    assert (orders["quantity"] != 0).all()


def test_feedback_and_touchpoints_basics(store):
    f, t = store.tables["feedback"], store.tables["touchpoints"]
    assert f["score"].between(0, 10).all()
    assert set(f["topic"]) == {"delivery", "product quality", "price", "support", "website"}
    assert 0.1 <= f["comment"].isna().mean() <= 0.35 and f["comment"].nunique() > 200
    assert f["date"].between(pd.Timestamp(store.start), pd.Timestamp(store.end)).all()
    assert set(t["event"]) == set(demo.EVENTS)
    assert set(t["device"]) == {"desktop", "mobile", "tablet"}
    assert set(t["channel"]) == {"organic search", "paid search", "social", "email", "direct", "referral"}
    assert (t.groupby("session_id")["customer_id"].nunique() == 1).all()
    step = t["event"].map({e: i for i, e in enumerate(demo.EVENTS)})
    g = t.assign(step=step).sort_values(["session_id", "timestamp", "step"]).groupby("session_id")["step"]
    # each session is a prefix of the funnel, in order
    assert (g.apply(lambda s: list(s) == list(range(len(s))))).all()


# --- determinism -------------------------------------------------------------------------------
def test_deterministic(store):
    again = demo.generate(customers=N, seed=42)
    for name, df in store.tables.items():
        pd.testing.assert_frame_equal(df, again.tables[name])
    pd.testing.assert_frame_equal(store.truth["segments"], again.truth["segments"])
    assert store.truth["churned"] == again.truth["churned"]
    assert store.truth["cohorts"] == again.truth["cohorts"]
    other = demo.generate(customers=N, seed=43)
    assert not store.tables["orders"].equals(other.tables["orders"])
    assert len(store.tables["orders"]) != len(other.tables["orders"])


def test_bad_arguments():
    with pytest.raises(ValueError):
        demo.generate(customers=5)
    with pytest.raises(ValueError):
        demo.generate(start="2025-01-01", end="2025-06-30")


# --- planted patterns --------------------------------------------------------------------------
def rfm(store, sales, orders):
    g = sales.groupby("customer_id")
    out = pd.DataFrame({"R": (end_of(store) - g["order_date"].max()).dt.days,
                        "F": g["order_id"].nunique(),
                        "M": orders.groupby("customer_id")["amount"].sum()})
    return out.join(store.truth["segments"].set_index("customer_id"))


def test_segments_differ_in_rfm(store, sales, orders):
    seg = store.truth["segments"]
    assert list(seg.columns) == ["customer_id", "segment"] and len(seg) == N
    assert set(seg["segment"]) == {"vip", "regular", "bargain", "one_time", "lapsed"}
    assert seg["segment"].value_counts(normalize=True).min() > 0.04
    r = rfm(store, sales, orders)
    med = r.groupby("segment")[["R", "F", "M"]].median()
    assert (r.loc[r["segment"] == "one_time", "F"] == 1).all()
    assert (r.loc[r["segment"] != "one_time", "F"] >= 2).mean() > 0.95
    assert med["M"].idxmax() == "vip" and med.loc["vip", "M"] > 5 * med["M"].drop("vip").max()
    assert med["F"].idxmax() == "bargain"
    aov = r["M"] / r["F"]
    assert aov[r["segment"] == "bargain"].median() < 0.5 * aov[r["segment"] == "regular"].median()
    assert med.loc["lapsed", "R"] > 240 and med.loc[["vip", "regular", "bargain"], "R"].max() < 60


def test_segments_recoverable_by_kmeans(store, sales, orders):
    pytest.importorskip("sklearn")
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    r = rfm(store, sales, orders)
    x = np.log1p(r[["R", "F", "M"]].clip(lower=0))
    x = (x - x.mean()) / x.std()
    labels = KMeans(5, n_init=10, random_state=0).fit_predict(x)
    assert adjusted_rand_score(r["segment"], labels) > 0.55


def test_bundles_top_lift_times_support(store, sales):
    op = sales[["order_id", "product"]].drop_duplicates()
    n_orders = op["order_id"].nunique()
    p = op["product"].value_counts() / n_orders
    pairs = op.merge(op, on="order_id")
    pairs = pairs[pairs["product_x"] < pairs["product_y"]]
    support = pairs.groupby(["product_x", "product_y"]).size() / n_orders
    lift = support / (p.reindex(support.index.get_level_values(0)).to_numpy()
                      * p.reindex(support.index.get_level_values(1)).to_numpy())
    planted = {tuple(sorted(pair)) for b in store.truth["bundles"] for pair in itertools.combinations(b, 2)}
    assert len(store.truth["bundles"]) == 3
    for pair in planted:
        assert lift[pair] > 3 and support[pair] > 0.01, pair
    top = (lift * support).sort_values(ascending=False).index[:len(planted)]
    assert set(top) == planted


def test_churned_stopped(store, orders, sales):
    churned = set(store.truth["churned"])
    assert 0.08 * N <= len(churned) <= 0.12 * N
    cut = end_of(store) - pd.DateOffset(months=6)
    recent = set(orders.loc[orders["order_date"] >= cut, "customer_id"])
    before = sales[sales["order_date"] < cut].groupby("customer_id")["order_id"].nunique()
    assert not churned & recent
    assert (before.reindex(sorted(churned)) >= 4).all()
    lookalikes = set(before[before >= 4].index) - recent - churned
    assert len(lookalikes) < 0.1 * len(churned)
    # they bought roughly monthly while active
    gaps = sales[sales["customer_id"].isin(churned)].groupby("customer_id")["order_date"].apply(
        lambda s: s.drop_duplicates().diff().dt.days.median())
    assert gaps.between(20, 40).all()


def test_cohorts_retain_better_after_split(store, sales):
    truth = store.truth["cohorts"]
    month = sales["order_date"].dt.to_period("M")
    first = month.groupby(sales["customer_id"]).transform("min")
    active = pd.DataFrame({"customer_id": sales["customer_id"], "k": (month - first).apply(lambda d: d.n)})
    cohort = first.groupby(sales["customer_id"]).first()
    back3 = active[active["k"] == 3]["customer_id"].unique()
    retained = cohort.index.isin(back3)
    last = pd.Period(store.end, "M")
    early = (cohort.dt.year == 2023).to_numpy()
    late = ((cohort >= pd.Period(truth["split"], "M")) & (cohort + 3 <= last)).to_numpy()
    r_early, r_late = retained[early].mean(), retained[late].mean()
    assert truth["split"] == "2024-03-01"
    assert r_early == pytest.approx(truth["month3_retention_first_year"], abs=1e-3)
    assert r_late == pytest.approx(truth["month3_retention_since_split"], abs=1e-3)
    assert r_late - r_early > 0.05


def test_loss_makers(store, orders):
    profit = (orders["amount"] - orders["cost"]).groupby(orders["customer_id"]).sum()
    losers = set(store.truth["loss_makers"])
    assert 0.03 * N <= len(losers) <= 0.05 * N
    assert set(profit[profit < -0.005].index) == losers
    mine = orders[orders["customer_id"].isin(losers)]
    share = lambda df: (df["quantity"] < 0).mean()  # noqa: E731
    assert share(mine) > 5 * share(orders[~orders["customer_id"].isin(losers)])
    sale = mine[mine["quantity"] > 0]
    assert (sale["discount"] / (sale["quantity"] * sale["unit_price"])).min() >= 0.59


def test_complaint_theme(store):
    theme = store.truth["complaint_theme"]
    f = store.tables["feedback"].copy()
    country = store.tables["customers"].set_index("customer_id")["country"]
    f["country"] = f["customer_id"].map(country)
    f["late"] = f["comment"].fillna("").str.contains(theme["pattern"], case=False, regex=True)
    lo, hi = (pd.Timestamp(d) for d in theme["period"])
    hot = (f["country"] == theme["country"]) & f["date"].between(lo, hi)
    assert theme["country"] == "Germany" and theme["region"] == "Europe"
    assert theme["period"] == ("2024-10-01", "2025-01-31")
    assert hot.sum() >= 15
    assert f.loc[hot, "late"].mean() > 0.4
    assert f.loc[~hot, "late"].mean() < 0.02
    assert f.loc[f["late"], "score"].between(*theme["scores"]).all()
    assert (f.loc[f["late"], "topic"] == theme["topic"]).all()
    # the theme concentrates there: most late-delivery complaints come from that country and period
    assert hot[f["late"]].mean() > 0.5


def test_funnel_dropoff_at_checkout(store):
    t = store.tables["touchpoints"]
    reached = t.groupby("event")["session_id"].nunique().reindex(demo.EVENTS)
    lost = -reached.diff().iloc[1:]
    rate = 1 - (reached.shift(-1) / reached).iloc[:-1]
    assert lost.idxmax() == "purchase"  # the step into purchase loses the most sessions
    assert rate.idxmax() == "checkout" and rate["checkout"] > 0.5 and rate.drop("checkout").max() < 0.25
    assert store.truth["dropoff"]["from"] == "checkout" and store.truth["dropoff"]["to"] == "purchase"


def test_planted_documented():
    assert demo.PLANTED in demo.__doc__
    for key in ("segments", "bundles", "churned", "cohorts", "loss_makers", "complaint_theme", "dropoff"):
        assert f'truth["{key}"]' in demo.PLANTED


# --- writing -----------------------------------------------------------------------------------
def test_write_csv(store, tmp_path):
    out = tmp_path / "shop"
    paths = demo.write(store, out)
    assert sorted(p.name for p in paths) == ["customers.xlsx", "feedback.csv", "orders.csv", "touchpoints.csv"]
    assert all(p.exists() for p in paths)
    for name in ("orders", "feedback", "touchpoints"):
        back = pd.read_csv(out / f"{name}.csv")
        assert back.shape == store.tables[name].shape
        assert list(back.columns) == list(store.tables[name].columns)
    head = (out / "orders.csv").read_text().splitlines()[1]
    assert head.split(",")[1].count(":") == 2 and head.split(",")[1][:4] == "2023"  # ISO timestamp
    assert (out / "feedback.csv").read_text().splitlines()[1].split(",")[1].count("-") == 2
    sheets = pd.read_excel(out / "customers.xlsx", sheet_name=None)
    assert list(sheets) == ["customers", "regions"]
    assert sheets["customers"].shape == store.tables["customers"].shape
    assert list(sheets["regions"].columns) == ["country", "region"]
    assert set(sheets["regions"]["country"]) == set(store.tables["customers"]["country"])
    with pytest.raises(FileExistsError, match="overwrite"):
        demo.write(store, out)


def test_write_parquet(store, tmp_path):
    paths = demo.write(store, tmp_path, format="parquet")
    assert sorted(p.name for p in paths) == ["customers.parquet", "feedback.parquet", "orders.parquet",
                                             "touchpoints.parquet"]
    for name, df in store.tables.items():
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert back.shape == df.shape and list(back.columns) == list(df.columns)
    orders = pd.read_parquet(tmp_path / "orders.parquet")
    assert orders["amount"].sum() == pytest.approx(store.tables["orders"]["amount"].sum())
    with pytest.raises(FileExistsError):
        demo.write(store, tmp_path, format="parquet")
    with pytest.raises(ValueError):
        demo.write(store, tmp_path / "x", format="json")


def test_write_refuses_partial_overwrite(store, tmp_path):
    (tmp_path / "feedback.csv").write_text("keep me\n")
    with pytest.raises(FileExistsError):
        demo.write(store, tmp_path)
    assert (tmp_path / "feedback.csv").read_text() == "keep me\n"
    assert not (tmp_path / "orders.csv").exists()
