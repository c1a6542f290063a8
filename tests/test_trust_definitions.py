"""No silent wrong answer (issue 17, items 6-10): definitions that disagree are named, small groups
carry a caveat, a customer's recommendation falls back, churn is explained by customer attributes,
cohorts by signup use the signup date, and a company's [definitions] in custlens.toml are used and
named. Each through Session on small files the tests write, with the answer known."""

import csv
import datetime as dt
import random

import pandas as pd
import pytest

from helpers import session, write

from custlens.errors import DataError
from custlens.plugins import report


def measures(answer, table="headline"):
    return dict(answer.table(table).rows)


END = dt.date(2025, 12, 31)


def plan_store(tmp_path, n=60):
    """Basic-plan customers stopped buying in 2024; premium ones buy every month to the end. The
    customers table holds the plan (the driver) and a region that has nothing to do with churn."""
    orders, customers = [["customer_id", "order_id", "order_date", "amount"]], [["customer_id", "club", "region"]]
    rng, k = random.Random(1), 0
    for i in range(2 * n):
        cid, plan = f"C{i:03d}", "basic" if i % 2 else "premium"
        customers.append([cid, plan, rng.choice(["North", "South"])])
        last = dt.date(2024, 6, 1) - dt.timedelta(days=rng.randrange(120)) if plan == "basic" else END
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(60))
        rate, spend = rng.uniform(15, 45), rng.lognormvariate(3.5, 0.6)  # each customer's own rhythm and spend
        while day <= last:
            k += 1
            orders.append([cid, str(k), day.isoformat(), str(round(spend * rng.uniform(0.5, 1.5), 2))])
            day += dt.timedelta(days=1 + int(rng.expovariate(1 / rate)))
    return write(tmp_path / "orders.csv", orders), write(tmp_path / "customers.csv", customers)


# --------------------------------------------------------------------------- 8. churn drivers from attributes

def test_why_do_customers_churn_uses_the_customer_attributes(tmp_path):
    a = session(*plan_store(tmp_path)).ask("why do customers churn?")
    assert a.analysis == "churn" and a.params.get("method", "auto") != "flag"
    drivers = a.table("drivers")
    assert drivers.rows[0][0] == "club"  # the planted driver first, region far behind
    assert dict((r[0], r[1]) for r in drivers.rows)["region"] < 0.05
    rates = {(r[0], r[1]): r[4] for r in a.table("churn_by_attribute").rows}
    assert rates[("club", "basic")] == 1.0 and rates[("club", "premium")] == 0.0
    assert "Why customers churn" in a.summary and "**club**" in a.summary
    s = session(*plan_store(tmp_path))
    assert s.ask("what drives churn?").table("drivers").rows[0][0] == "club"
    rate = s.ask("what is our churn rate?")  # no model fitted unless asked why
    assert "drivers" not in [t.name for t in rate.tables] and "why do customers churn?" in rate.follow_ups


def test_churn_drivers_when_attributes_say_nothing(tmp_path):
    """Churn unrelated to every attribute: the answer says no attribute predicts it."""
    orders, customers = plan_store(tmp_path)
    rows = list(csv.reader(open(customers)))
    rng = random.Random(7)
    write(tmp_path / "customers.csv", [rows[0]] + [[r[0], rng.choice(["basic", "premium"]), r[2]] for r in rows[1:]])
    a = session(orders, customers).ask("why do customers churn?")
    assert "No attribute of the customers predicts churn much better than chance" in a.summary


# --------------------------------------------------------------------------- 6. definitions that disagree

def test_churn_and_clv_each_name_their_definition_of_active(tmp_path):
    s = session(*plan_store(tmp_path))
    churn, clv = s.ask("what is our churn rate?"), s.ask("what is the lifetime value of our customers?")
    assert "CLV's \"still active\" is a model's probability" in churn.summary
    assert clv.analysis == "clv" and "probability alive" in " ".join(measures(clv))
    assert "\"still active\" in CLV is the BG/NBD model's probability" in clv.summary


def small_group_store(tmp_path):
    """100 regular customers worth about 600 each; 12 'New' ones worth 5,000 each."""
    rng = random.Random(3)
    orders, k, labels = [["customer_id", "order_id", "order_date", "amount"]], 0, []
    for i in range(112):
        cid, new = f"C{i:03d}", i >= 100
        labels.append((cid, "New" if new else "Regular"))
        day = dt.date(2025, 6, 1) if new else dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(30))
        for _ in range(2 if new else 12):
            k += 1
            orders.append([cid, str(k), day.isoformat(), str(2500 if new else rng.randrange(30, 70))])
            day += dt.timedelta(days=30 + rng.randrange(20))
    s = session(write(tmp_path / "orders.csv", orders))
    s.dataset.set_segments(pd.DataFrame(labels, columns=["customer_id", "segment"]), "test")
    return s


def test_a_small_group_is_never_a_recommendation_without_a_caveat(tmp_path):
    s = small_group_store(tmp_path)
    a = s.ask("CLV by segment")
    by = {r[0]: dict(zip(a.table("by_segment").columns, r)) for r in a.table("by_segment").rows}
    assert by["New"]["customers"] == 12 and by["New"]["small sample"] is True
    assert by["Regular"]["small sample"] is False
    # the narrative names the solid group first and the small one only with its caveat
    assert "**Regular** has the highest" in a.summary and "New is higher" in a.summary
    assert "only 12 customers" in a.summary
    section = next(x for x in report.SECTIONS if x.analysis == "clv")
    built = report.build_report(s, [section])
    [rec] = [r for r in built.recommendations if r["topic"] == "Segments to focus on"]
    finding = rec["findings"][0]
    assert finding.startswith("A Regular customer") and "only 12 customers: too few to recommend on" in finding


def test_churn_breakdown_prefers_groups_large_enough(tmp_path):
    orders, customers = plan_store(tmp_path)
    rows = list(csv.reader(open(customers)))
    # 3 customers in a tiny region, all basic (churned): highest churn, but only 3 customers
    write(tmp_path / "customers.csv", [rows[0]] + [[r[0], r[1], "Islands" if r[0] in ("C001", "C003", "C005")
                                                    else r[2]] for r in rows[1:]])
    a = session(orders, customers).ask("churn rate by region")
    table = {r[0]: r[1] for r in a.table("churn_by_region").rows}
    assert table["Islands"] == 3
    assert "highest for **Islands**" not in a.summary


# --------------------------------------------------------------------------- 9. cohorts by signup

def test_cohorts_by_signup_use_the_signup_date(tmp_path):
    orders = pd.DataFrame({"Customer ID": ["A", "A", "B", "B", "C"], "Order ID": [1, 2, 3, 4, 5],
                           "Order Date": pd.to_datetime(["2024-03-05", "2024-04-05", "2024-03-07", "2024-05-01",
                                                         "2024-04-02"]),
                           "Amount": [10, 20, 30, 40, 50]})
    customers = pd.DataFrame({"Customer ID": ["A", "B", "C"], "Country": ["DE", "FR", "DE"],
                              "Signup Date": pd.to_datetime(["2024-01-10", "2024-02-11", "2024-01-20"])})
    path = tmp_path / "store.xlsx"
    with pd.ExcelWriter(path) as w:
        orders.to_excel(w, sheet_name="Orders", index=False)
        customers.to_excel(w, sheet_name="Customers", index=False)
    s = session(path)
    for q in ("cohort analysis by signup", "cohorts by signup month", "signup cohorts",
              "retention by registration month"):
        a = s.ask(q)
        assert a.analysis == "cohort" and a.params["basis"] == "signup", q
        sizes = {r[0]: r[1] for r in a.table("cohort_sizes").rows}
        assert sizes == {"2024-01": 2, "2024-02": 1}, q  # not March/April, the first purchases
    assert s.ask("cohort analysis").params["basis"] == "first_purchase"


# --------------------------------------------------------------------------- 10. [definitions]

def definitions(tmp_path, text):
    (tmp_path / "custlens.toml").write_text("[definitions]\n" + text, encoding="utf-8")


def test_the_inactivity_window_defines_churn_and_active(tmp_path):
    orders, customers = plan_store(tmp_path)
    definitions(tmp_path, "inactive_days = 400\ncurrency = \"EUR\"\n")
    s = session(orders, customers)
    churn = s.ask("what is our churn rate?")
    rule = measures(churn, "definition")
    assert rule["fixed gap (days)"] == 400
    # basic customers stopped 2024-06 (about 580 days before the end): churned; premium buy to the end
    assert measures(churn)["churn rate"] == 0.5
    assert "400 days" in churn.summary and "custlens.toml" in churn.summary
    clv = s.ask("what is the lifetime value of our customers?")
    assert measures(clv)["share active"] == 0.5
    assert "active: they bought in the last 400 days" in clv.summary
    assert "amounts are in EUR" in clv.summary


def test_revenue_gross_and_the_fiscal_year(tmp_path):
    orders = write(tmp_path / "sales.csv", [["customer_id", "order_id", "order_date", "amount", "discount"],
                                            ["A", "1", "2024-03-15", "90", "10"],
                                            ["B", "2", "2024-04-02", "40", "0"],
                                            ["B", "3", "2025-03-31", "50", "5"]])
    net = session(orders).ask("total revenue")
    assert measures(net)["revenue"] == 180.0 and "Definitions" not in net.summary
    definitions(tmp_path, "revenue = \"gross\"\nfiscal_year_start = \"April\"\ncurrency = \"GBP\"\n")
    s = session(orders)
    a = s.ask("total revenue")
    h = measures(a)
    assert (h["revenue"], h["gross sales"], h["discounts"], h["net sales"]) == (195.0, 195.0, 15.0, 180.0)
    assert "revenue is gross" in a.summary and "amounts are in GBP" in a.summary
    years = s.ask("revenue by year")
    by = {r[0]: r[1] for r in years.table("by_year").rows}
    assert by == {"FY2023/24": 100.0, "FY2024/25": 95.0}  # March 2024 is in the fiscal year 2023/24
    assert "FY2023/24" in years.summary and "the fiscal year starts in April" in years.summary


def test_describe_shows_the_definitions_and_bad_ones_are_clear(tmp_path):
    orders = write(tmp_path / "sales.csv", [["customer_id", "order_id", "order_date", "amount"],
                                            ["A", "1", "2024-03-15", "90"]])
    definitions(tmp_path, "margin = 0.3\ninactive_days = 90\n")
    info = session(orders).dataset.describe()
    assert {d["setting"]: d["value"] for d in info[0]["definitions"]} == {"margin": 0.3, "inactive_days": 90}
    definitions(tmp_path, "inactive_days = \"ninety\"\n")
    with pytest.raises(DataError) as err:
        session(orders)
    assert "inactive_days = 'ninety'" in str(err.value) and "custlens.toml" in str(err.value)
    definitions(tmp_path, "fiscal_year = 4\n")
    with pytest.raises(DataError) as err:
        session(orders)
    assert "unknown setting(s) in [definitions]: 'fiscal_year'" in str(err.value)
    assert "fiscal_year_start" in str(err.value)


def test_the_default_margin_values_clv_without_cost(tmp_path):
    orders, customers = plan_store(tmp_path)
    plain = session(orders).ask("predict CLV for the next 12 months")
    definitions(tmp_path, "margin = 0.25\n")
    a = session(orders).ask("predict CLV for the next 12 months")
    assert measures(a)["margin applied"] == 0.25
    assert measures(a)["total predicted CLV"] == pytest.approx(0.25 * measures(plain)["total predicted CLV"], rel=1e-3)
    assert "the default margin is 25%" in a.summary


# --------------------------------------------------------------------------- 7. recommendations that fall back

def shop_lines(tmp_path, orders_by_customer):
    rows, k = [["customer_id", "order_id", "order_date", "product", "amount"]], 0
    for cid, orders in orders_by_customer.items():
        for j, items in enumerate(orders):
            k += 1
            rows += [[cid, str(k), f"2024-01-{j + 1:02d}", item, "5"] for item in items]
    return write(tmp_path / "orders.csv", rows)


def test_a_customer_no_rule_fits_gets_what_similar_customers_buy(tmp_path):
    """Tea drinkers buy tea and honey together and a kettle on its own: no rule starts from a
    kettle, so for a customer who bought only a kettle the similar customers (kettle buyers) say
    tea and honey, not the bread and butter most customers buy."""
    orders = {f"T{i}": [["tea", "honey"], ["kettle"]] for i in range(6)}
    orders.update({f"B{i}": [["bread", "butter"], ["jam"]] for i in range(12)})
    orders["C000123"] = [["kettle"]]
    s = session(shop_lines(tmp_path, orders))
    a = s.ask("what should we recommend to customer C000123")
    assert a.analysis == "basket" and a.params["customer"] == "C000123"
    recs = a.table("recommendations")
    assert recs.column("recommend")[:2] == ["honey", "tea"] or recs.column("recommend")[:2] == ["tea", "honey"]
    assert set(recs.column("rule")) == {"similar customers"} and "kettle" not in recs.column("recommend")
    assert "most bought by similar customers" in a.summary and "no rule fits" in a.summary.lower()


def test_a_customer_with_no_similar_customer_gets_the_most_bought_overall(tmp_path):
    orders = {f"B{i}": [["bread", "butter"], ["jam"]] for i in range(12)}
    orders.update({f"C{i}": [["bread", "milk"]] for i in range(5)})
    orders["C000123"] = [["caviar"]]
    a = session(shop_lines(tmp_path, orders)).ask("what should we recommend to customer C000123")
    recs = a.table("recommendations")
    assert recs.column("recommend")[0] == "bread" and set(recs.column("rule")) == {"most bought overall"}
    assert "most bought products overall" in a.summary


def test_a_frequent_products_strongest_companion_is_not_cut_by_the_global_support(tmp_path):
    """milk is in 30% of 300 baskets, with bread, eggs and rice often (the global minimum support
    adapts to 10% on those); 'roots' is in 4.7% of baskets, nearly always with milk: the strongest
    companion by lift, which a 10% minimum would leave out."""
    rng, baskets = random.Random(5), []
    for b in range(300):
        items = {"milk"} if b < 90 else set()
        if b < 13 or b == 200:
            items.add("roots")
        for other in ("bread", "eggs", "rice"):
            if rng.random() < (0.6 if b < 90 else 0.15):
                items.add(other)
        items.add(rng.choice(["salt", "soap", "tea", "jam"]))
        baskets.append(sorted(items))
    s = session(shop_lines(tmp_path, {f"K{b:03d}": [items] for b, items in enumerate(baskets)}))
    a = s.ask("what goes with milk")
    assert a.params["product"] == "milk", a.understood
    comp = a.table("companions")
    assert "roots" in comp.column("companion")
    assert a.params.get("min_support") is None and "adapted to its own frequency" in a.summary
    # asked for a minimum, it is kept as asked
    b = s.run("basket", {"product": "milk", "min_support": 0.05})
    assert "roots" not in b.table("companions").column("companion")


# --------------------------------------------------------------------------- the kit

def test_a_funnel_split_by_a_customer_attribute_goes_through_the_kit(tmp_path):
    """events keyed by customer; the customers file lists customer 1 twice (the first row wins);
    an unknown split names the options and how to map one."""
    rows = [["customer_id", "event", "timestamp"]]
    for i in range(8):
        rows.append([f"K{i}", "visit", f"2024-01-0{i + 1} 10:00:00"])
        if i % 2 == 0:
            rows.append([f"K{i}", "purchase", f"2024-01-0{i + 1} 11:00:00"])
    events = write(tmp_path / "touchpoints.csv", rows)
    customers = write(tmp_path / "customers.csv", [["customer_id", "colour"], ["K1", "gold"], ["K1", "silver"]] +
                      [[f"K{i}", "gold" if i % 2 == 0 else "silver"] for i in range(8) if i != 1])
    s = session(events, customers)
    a = s.run("journey", {"by": ["colour"]})
    by = {r[0]: r[1:] for r in a.table("funnel_by_colour").rows}
    assert by["gold"][:2] == [5, 4] and by["silver"][:2] == [3, 0]  # K1 counted once, as gold (its first row)
    with pytest.raises(DataError) as err:
        s.run("journey", {"by": ["shoe_size"]})
    assert "cannot split the funnel by 'shoe_size'" in str(err.value) and "--map shoe_size=" in str(err.value)
    assert "colour" in str(err.value)


def test_queries_of_segment_profiles_are_logged(tmp_path):
    orders, customers = plan_store(tmp_path)
    a = session(orders, customers).ask("RFM segmentation")
    assert a.analysis == "segmentation"
    assert any("FROM segments s JOIN customers c" in q or "FROM segments s" in q for q in a.provenance.sql)
    assert any("recency" in q and "monetary" in q for q in a.provenance.sql)  # the Arrow fetch too


def test_temporary_tables_go_when_the_answer_is_done_or_fails(tmp_path):
    from custlens import kit

    orders, customers = plan_store(tmp_path)
    s = session(orders, customers)
    s.ask("what is our churn rate?")
    con = s.dataset.con
    left = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE '\\_\\_%' "
                       "ESCAPE '\\'").fetchall()
    assert left == []
    with pytest.raises(RuntimeError):
        with kit.temp_table(s.dataset, "__probe", "SELECT 1 AS x") as t:
            assert con.execute(f"SELECT x FROM {t}").fetchall() == [(1,)]
            raise RuntimeError("stop")
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '__probe'").fetchall() == [(0,)]


def test_named_parameters_put_each_value_in_place():
    from custlens import kit

    sql, args = kit.named("SELECT * FROM t WHERE $scope AND d < $end AND d >= $start AND e < $end",
                          {"scope": kit.Scope("t.country IN (?, ?)", ["DE", "FR"]), "end": 9, "start": 1})
    assert sql == "SELECT * FROM t WHERE t.country IN (?, ?) AND d < ? AND d >= ? AND e < ?"
    assert args == ["DE", "FR", 9, 1, 9]
    with pytest.raises(KeyError, match=r"\$end"):
        kit.named("SELECT $end", {})


def test_fiscal_quarters_in_tables_and_narrative(tmp_path):
    orders = write(tmp_path / "sales.csv", [["customer_id", "order_id", "order_date", "amount"],
                                            ["A", "1", "2024-03-15", "90"], ["B", "2", "2024-04-02", "40"],
                                            ["B", "3", "2024-07-01", "50"]])
    definitions(tmp_path, "fiscal_year_start = 4\n")
    a = session(orders).ask("revenue by quarter")
    by = {r[0]: r[1] for r in a.table("by_quarter").rows}
    assert by == {"FY2023/24 Q4": 90.0, "FY2024/25 Q1": 40.0, "FY2024/25 Q2": 50.0}  # fiscal quarters in the table
    assert "FY2023/24 Q4" in a.summary  # the peak: January-March 2024 is the fourth fiscal quarter


def fiscal_store(tmp_path):
    """One order of 10 on the 15th of each month, January 2023 to December 2025, month m's worth m."""
    rows = [["customer_id", "order_id", "order_date", "amount"]]
    for i, (y, m) in enumerate((y, m) for y in (2023, 2024, 2025) for m in range(1, 13)):
        rows.append([f"C{i % 7}", str(i), f"{y}-{m:02d}-15", str(m)])
    return write(tmp_path / "sales.csv", rows)


def test_fiscal_years_said_are_read_by_the_fiscal_start(tmp_path):
    """fiscal_year_start = July: "last financial year" is July 2024 to June 2025 (the data ends in
    December 2025), "this fiscal year" since July 2025, "FY24" July 2023 to June 2024; the figures are
    those months' (it was the calendar year 2024, said nowhere)."""
    orders = fiscal_store(tmp_path)
    definitions(tmp_path, "fiscal_year_start = \"July\"\n")
    s = session(orders)
    a = s.ask("revenue last financial year")
    assert (str(a.params["start"]), str(a.params["end"])) == ("2024-07-01", "2025-06-30")
    assert "78" in a.summary  # July-December 2024 (7+..+12 = 57) and January-June 2025 (1+..+6 = 21)
    r = s._route(s._clean("how many customers have we had this fin year so far")[0])
    assert str(r.params["start"]) == "2025-07-01" and not r.params.get("end")
    r = s._route(s._clean("revenue FY24")[0])
    assert (str(r.params["start"]), str(r.params["end"])) == ("2023-07-01", "2024-06-30")


def test_a_fiscal_year_said_in_the_question_without_a_setting(tmp_path):
    s = session(fiscal_store(tmp_path))  # no custlens.toml: calendar years
    assert str(s._route(s._clean("revenue last financial year")[0]).params["start"]) == "2024-01-01"
    for said in ("compare fiscal year 2023 and fiscal year 2024. Our fiscal year is April to March.",
                 "fiscal year 2023 vs fiscal year 2024 (our FY starts in April)"):
        r = s._route(s._clean(said)[0])
        assert [tuple(map(str, side)) for side in r.params["compare"]] == [
            ("2023-04-01", "2024-03-31"), ("2024-04-01", "2025-03-31")], said


def test_the_best_cohort_is_not_a_small_one(tmp_path):
    """January (40 customers, half back in month 3), February (40, a quarter back) and March (12,
    all back): March is 'best' only on 12 customers; the answer names January and says why not."""
    rows, k = [["customer_id", "order_id", "order_date", "amount"]], 0
    for month, n, back in ((1, 40, 20), (2, 40, 10), (3, 12, 12)):
        for i in range(n):
            k += 1
            rows.append([f"M{month}-{i}", str(k), f"2024-{month:02d}-05", "20"])
            if i < back:
                k += 1
                rows.append([f"M{month}-{i}", str(k), f"2024-{month + 3:02d}-05", "20"])
    a = session(write(tmp_path / "orders.csv", rows)).ask("which acquisition cohort was the best")
    assert a.analysis == "cohort"
    assert "Best cohort at month 3: **January 2024**" in a.summary and "**March 2024**" not in a.summary
    assert "March 2024 is higher (100.0% retained) but has only 12 customers" in a.summary
