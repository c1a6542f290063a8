"""The engine layer: the same analyses on a real PostgreSQL server as on the embedded DuckDB.

A throwaway PostgreSQL (tests/postgres_server.py: initdb + pg_ctl in a temporary folder, a free
port) holds the demo store as tables of schema ``shop``; each analysis runs once on DuckDB over the
same frames and once with ``--engine postgresql://...`` over ``pg:shop.*``, and the answers must
hold the same tables (the same rows, ids and counts, money to 1e-6 relative) and the same summary.
Without the server binaries, psycopg or sqlglot these tests skip with one line saying which
(CUSTLENS_REQUIRE_POSTGRES=1, as .ci/run sets it, makes that a failure).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import postgres_server  # noqa: E402

from custlens import demo  # noqa: E402
from custlens.engines import DuckDBEngine, EngineError, open_engine  # noqa: E402
from custlens.errors import DataError  # noqa: E402
from custlens.kit import CYCLES  # noqa: E402
from custlens.ports import free_port  # noqa: E402
from custlens.session import Session  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "custlens.cli"]
TABLES = {"orders": "transactions", "customers": "customers", "feedback": "feedback", "touchpoints": "events"}
DATA = [f"{role}=pg:shop.{name}" for name, role in TABLES.items()]


@pytest.fixture(scope="module")
def server():
    try:
        srv = postgres_server.start()
    except postgres_server.Missing as exc:
        if os.environ.get("CUSTLENS_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL tests required but cannot run: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    store = demo.generate(customers=600, seed=7)
    try:
        postgres_server.load_demo(srv.url, store)
        yield srv, store
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def sessions(server):
    srv, store = server
    duck = Session(entry_points=False)
    duck.load_demo(store=store)
    pg = Session(data=DATA, engine=srv.url, entry_points=False)
    yield duck, pg
    duck.close()
    pg.close()


# --------------------------------------------------------------------------- comparing answers

def _key(row) -> str:
    return "|".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in row)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order: two engines may order rows that tie on an analysis's sort key differently."""
    frame = frame.reset_index(drop=True)
    keys = pd.Series([_key(r) for r in frame.itertuples(index=False)], index=frame.index, dtype=object)
    return frame.loc[keys.sort_values(kind="stable").index].reset_index(drop=True)


def _decimals(*values: float) -> int:
    """The decimals shown by the most precise of ``values`` when they look rounded (at most 4), else 9."""
    fractions = [repr(float(v)).split(".")[1] if "." in repr(float(v)) and "e" not in repr(float(v)) else "9" * 9
                 for v in values if v == v]
    shown = [9 if f == "0" else len(f) for f in fractions]  # whole numbers: no rounding to allow for
    d = max(shown, default=9)
    return d if d <= 4 else 9


def differences(a, b) -> list[str]:
    """How answer ``b`` differs from ``a``: tables missing, shapes, the first cell that differs per
    table (numbers to 1e-6 relative, everything else exactly), the summary."""
    out = []
    if [t.name for t in a.tables] != [t.name for t in b.tables]:
        out.append(f"tables {[t.name for t in a.tables]} vs {[t.name for t in b.tables]}")
    for ta in a.tables:
        tb = next((t for t in b.tables if t.name == ta.name), None)
        if tb is None:
            continue
        shown_only = not tb.complete  # the engine sent back the rows shown (the rest stayed there)
        fa, fb = ta.frame, tb.frame
        if shown_only:  # those rows and the count
            if tb.total_rows != ta.total_rows:
                out.append(f"{ta.name}: {ta.total_rows} rows vs {tb.total_rows}")
            # as the rows were shown (dates and times as text alike)
            fa = pd.DataFrame(ta.rows, columns=ta.columns).head(len(tb.rows)).reset_index(drop=True)
        if list(fa.columns) != list(fb.columns) or len(fa) != len(fb):
            out.append(f"{ta.name}: {fa.shape} {list(fa.columns)} vs {fb.shape} {list(fb.columns)}")
            continue
        fa, fb = _sorted(fa), _sorted(fb)
        for c in fa.columns:
            x, y = fa[c], fb[c]
            if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y) \
                    and not pd.api.types.is_bool_dtype(x):
                xv, yv = x.astype(float).to_numpy(), y.astype(float).to_numpy()
                # or rounded apart by one unit of the last decimal shown: a sum whose last bits differ
                # with the order each engine adds in, on a .xx5 boundary (3253.905 -> 3253.9 / 3253.91)
                unit = np.array([10.0 ** -_decimals(u, v) for u, v in zip(xv, yv)])
                ok = np.isclose(xv, yv, rtol=1e-6, atol=1e-9, equal_nan=True) | (np.abs(xv - yv) <= unit * 1.000001)
                if not ok.all():
                    i = int(np.argmin(ok))
                    out.append(f"{ta.name}.{c} row {i}: {xv[i]!r} vs {yv[i]!r}")
            else:
                xs, ys = [str(v) for v in x], [str(v) for v in y]
                if xs != ys:
                    i = next(i for i in range(len(xs)) if xs[i] != ys[i])
                    out.append(f"{ta.name}.{c} row {i}: {xs[i]!r} vs {ys[i]!r}")
    if a.summary != b.summary:
        out.append(f"summary: {a.summary[:300]!r} vs {b.summary[:300]!r}")
    return out


#: every built-in analysis, with parameters that exercise periods, filters, breakdowns and grains
CASES = [
    ("overview", {}),
    ("overview", {"by": ["country"], "filters": {"channel": ["web"]}, "start": dt.date(2024, 1, 1),
                  "end": dt.date(2024, 12, 31)}),
    ("overview", {"by": ["period"], "grain": "quarter"}),
    ("overview", {"share": 0.1}),
    ("overview", {"by": ["weekday"], "metric": "orders"}),  # kit.CYCLES: counted from a known Monday everywhere
    ("overview", {"by": ["part_of_week", "country"]}),
    ("overview", {"metric": "margin", "by": ["category"]}),  # gross profit: sales and returns, their costs
    ("overview", {"metric": "margin", "compare": [["2024-01-01", "2024-06-30"], ["2025-01-01", "2025-06-30"]],
                  "by": ["channel"]}),
    ("cohort", {}),
    ("cohort", {"grain": "quarter", "by": ["customer_type"]}),
    ("segmentation", {}),
    ("segmentation", {"method": "attributes", "by": ["gender", "customer_type"]}),
    ("churn", {}),
    ("churn", {"inactive_days": 90}),
    ("loyalty", {}),
    ("clv", {}),
    ("basket", {}),
    ("journey", {}),
    ("profitability", {}),
    ("feedback", {}),
    ("persona", {}),
    ("five_forces", {}),
    ("spin", {}),
    ("report", {}),
]


@pytest.mark.parametrize("analysis,params", CASES, ids=[f"{a}-{i}" for i, (a, _) in enumerate(CASES)])
def test_same_answer_on_postgres(sessions, analysis, params):
    duck, pg = sessions
    expected = duck.run(analysis, dict(params))
    got = pg.run(analysis, dict(params))
    assert expected.tables, f"{analysis}: the DuckDB answer has no table to compare"
    assert differences(expected, got) == []
    # the answer's provenance is the one SQL the analysis wrote (DuckDB's dialect), as on DuckDB; RFM
    # keeps the customers' scores in the engine (its own statements), and says what came back
    if analysis not in ENGINE_OWN:
        assert len(got.provenance.sql) == len(expected.provenance.sql)
    assert got.provenance.engine.startswith("PostgreSQL") and got.provenance.rows_collected is not None


#: analyses with statements of their own on an engine other than DuckDB (RFM segmentation, feedback's
#: count of responses before its sample, basket's itemsets counted in SQL, CLV's, loyalty's and
#: profitability's customers kept in the engine, the report of them)
ENGINE_OWN = {"segmentation", "feedback", "basket", "report", "clv", "loyalty", "profitability", "churn"}


def test_a_known_planted_answer_on_postgres(server):
    """Not only the same as DuckDB: the right figures. Orders planted in a table of their own."""
    srv, _ = server
    import psycopg

    with psycopg.connect(srv.url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS shop.planted")
        conn.execute("CREATE TABLE shop.planted (\"Customer ID\" text, \"Invoice\" text, \"Order Date\" timestamp, "
                     "\"Country\" text, \"Total\" numeric(10,2))")
        rows = [("C1", "O1", "2024-01-05", "Germany", 100), ("C1", "O2", "2024-02-05", "Germany", 100),
                ("C2", "O3", "2024-03-07", "France", 50), ("C3", "O4", "2024-04-01", "Spain", 25.5),
                ("C3", "O5", "2024-04-02", "Spain", -25.5)]
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO shop.planted VALUES (%s, %s, %s, %s, %s)", rows)
    s = Session(data=["pg:shop.planted"], engine=srv.url, entry_points=False)
    try:
        source = s.dataset.describe()[0]
        assert source["role"] == "transactions" and source["engine"].startswith("PostgreSQL")
        canonical = {c["column"]: c["canonical"] for c in source["columns"]}
        assert canonical == {"Customer ID": "customer_id", "Invoice": "order_id", "Order Date": "order_date",
                             "Country": "country", "Total": "amount"}
        answer = s.run("overview", {"by": ["country"]})
        by_country = answer.table("by_country").frame
        assert by_country[["country", "revenue", "orders", "customers"]].values.tolist() == [
            ["Germany", 200.0, 2, 1], ["France", 50.0, 1, 1], ["Spain", 25.5, 1, 1]]
        headline = dict(answer.table("headline").frame.values.tolist())
        assert (headline["customers"], headline["orders"], headline["revenue"]) == (3, 4, 275.5)
        assert any("1 return/cancellation line(s) kept apart" in w for w in answer.warnings)
        # an override works on a database table as on a file: the invoice as the customer
        s.map("customer_id=Invoice")
        assert dict(s.run("overview", {}).table("headline").frame.values.tolist())["customers"] == 4
    finally:
        s.close()


def test_bad_engines_say_one_line(server, tmp_path):
    srv, _ = server
    closed = free_port()
    orders = tmp_path / "orders.csv"
    orders.write_text("customer_id,order_date,amount\nC1,2024-01-01,5\n")
    cases = [
        (["--engine", f"postgresql://custlens:secret@127.0.0.1:{closed}/postgres", "--data", "pg:shop.orders"],
         ["cannot connect", f"127.0.0.1:{closed}", "Connection refused"]),
        (["--engine", f"postgresql://nobody_here@127.0.0.1:{srv.port}/postgres", "--data", "pg:shop.orders"],
         ["cannot connect", "nobody_here"]),
        (["--engine", srv.url.rsplit("/", 1)[0] + "/no_such_db", "--data", "pg:shop.orders"],
         ["cannot connect", "no_such_db"]),
        (["--engine", srv.url, "--data", "pg:shop.no_such_table"], ["no table or view 'shop.no_such_table'"]),
        (["--engine", srv.url, "--data", "pg:"], ["pg:SCHEMA.TABLE"]),
        (["--data", "pg:shop.orders"], ["needs the PostgreSQL engine", "--engine postgresql://"]),
        (["--engine", "sc://", "--demo"], ["a Spark Connect address is sc://HOST:PORT"]),
        (["--engine", "mysql://x@y/z", "--demo"], ["unknown engine 'mysql://x@y/z'"]),
    ]
    for args, words in cases:
        run = subprocess.run(CLI + ["describe", *args], capture_output=True, text=True, timeout=120, cwd=tmp_path)
        lines = run.stderr.strip().splitlines()
        assert run.returncode == 1, (args, run.stdout, run.stderr)
        assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in run.stderr, (args, run.stderr)
        for w in words:
            assert w in lines[0], (args, w, lines[0])
        assert "secret" not in run.stderr  # a password in --engine is never shown


def test_describe_says_which_engine(server, tmp_path):
    srv, _ = server
    run = subprocess.run(CLI + ["describe", "--engine", srv.url, "--data", "pg:shop.orders"], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert f"Queries run in PostgreSQL (postgresql://custlens@127.0.0.1:{srv.port}/postgres)" in run.stdout
    assert "pg:shop.orders" in run.stdout and "transactions" in run.stdout
    # the engine from custlens.toml in the working directory; --engine wins over it
    (tmp_path / "custlens.toml").write_text(f'engine = "{srv.url}"\n')
    run = subprocess.run(CLI + ["ask", "how many customers do we have", "--data", "pg:shop.orders", "--format",
                                "json"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert '"customers"' in run.stdout and "600" in run.stdout.replace(",", "")
    run = subprocess.run(CLI + ["describe", "--engine", "duckdb", "--data", "pg:shop.orders"], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 1 and "needs the PostgreSQL engine" in run.stderr


def test_same_sql_same_values_on_both_engines(server):
    """The dialect differences the engine translates, each with a known answer on both engines."""
    srv, _ = server
    pg, duck = open_engine(srv.url), DuckDBEngine()
    try:
        values = "(SELECT * FROM (VALUES (NULL, 'zz'), (1, 'ab'), (2, 'cb'), (3, 'cb')) v(x, y))"
        known = [
            ("SELECT round(CAST(88.5 AS DOUBLE)), round(CAST(2.345 AS DOUBLE), 2), 7 / 2", (89.0, 2.35, 3.5)),
            (f"SELECT any_value(y) FILTER (WHERE x = 2), arg_min(y, x), arg_max(y, x), mode(y) FROM {values}",
             ("cb", "ab", "cb", "cb")),
            (f"SELECT count(*) FILTER (WHERE ends_with(y, 'b')), count(*) FILTER (WHERE regexp_full_match(y, '[a-c]b')), "
             f"sum(CAST(x > 1 AS DOUBLE)), approx_count_distinct(y) FROM {values}", (3, 3, 2.0, 3)),
            (f"SELECT count(*) FROM (SELECT y, count(*) FROM {values} GROUP BY ALL)", (3,)),
            ("SELECT CAST(date_trunc('month', DATE '2024-05-17') + to_months(2) AS DATE)", (dt.date(2024, 7, 1),)),
            # a weekday, an hour and a part of the week (kit.CYCLES): 19 May 2024 was a Sunday, 31 Dec 1999 a Friday
            ("SELECT " + ", ".join(f"{label.format(date=d)}, {order.format(date=d)}" for label, order in CYCLES.values()
                                   for d in ("TIMESTAMP '2024-05-19 13:45:00'", "TIMESTAMP '1999-12-31 23:59:00'")),
             ("Sunday", 7, "Friday", 5, "13:00", 13, "23:00", 23, "weekend (Sat-Sun)", 2, "weekdays (Mon-Fri)", 1)),
        ]
        for sql, expected in known:
            assert duck.rows(sql) == [expected], sql
            assert pg.rows(sql) == [expected], sql
        pg.execute("CREATE OR REPLACE TABLE __t AS SELECT 1 AS a, 2 AS \"B\", 'x' AS c")
        pg.execute("CREATE OR REPLACE TABLE __t AS SELECT 1 AS a, 2 AS \"B\", 'y' AS c")  # replaced, not an error
        assert pg.rows("SELECT * EXCLUDE (a) FROM __t") == [(2, "y")]
        assert pg.describe("__t") == {"a": "INTEGER", "B": "INTEGER", "c": "VARCHAR"}
        # nothing custlens creates outlives its session: tables and views are temporary
        assert pg.rows("SELECT count(*) FROM pg_tables WHERE tablename = '__t' AND schemaname NOT LIKE 'pg_temp%'") \
            == [(0,)]
        frame = pd.DataFrame({"id": ["a", "b"], "when": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                              "n": pd.array([1, None], dtype="Int64")})
        pg.register("__f", frame)
        duck.register("__f", frame)
        q = "SELECT id, CAST(\"when\" AS DATE) AS d, n FROM __f ORDER BY id"
        pd.testing.assert_frame_equal(pg.frame(q), duck.frame(q), check_dtype=False)
        with pytest.raises(EngineError, match="relation \"no_such\" does not exist"):
            pg.rows("SELECT * FROM no_such")
    finally:
        pg.close()
        duck.close()


def test_fork_on_postgres_answers_alone(sessions):
    """A conversation of its own (the HTTP service, the report) on PostgreSQL: its own connection,
    its own saved segments, the same answers."""
    duck, pg = sessions
    pg.dataset.clear_segments()
    child = pg.fork()
    try:
        child.run("segmentation", {})
        assert child.dataset.has_segments and not pg.dataset.has_segments
        assert differences(pg.run("overview", {}), child.run("overview", {})) == []
    finally:
        child.close()
    assert pg.run("overview", {}).tables  # the parent's connection and views are untouched


def test_duckdb_start_pays_nothing_for_other_engines():
    """The default engine imports neither SQLGlot nor psycopg, nor does the first answer."""
    code = ("import sys; from custlens.session import Session; s = Session(demo=True); "
            "a = s.ask('how many customers do we have'); assert a.tables; "
            "print(sorted(m for m in ('sqlglot', 'psycopg', 'pyspark') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_session_engine_errors_are_data_errors(tmp_path):
    with pytest.raises(DataError, match="unknown engine 'oracle://x'"):
        Session(demo=True, engine="oracle://x", entry_points=False)
    (tmp_path / "custlens.toml").write_text("engine = 5\n")
    (tmp_path / "orders.csv").write_text("customer_id,order_date,amount\nC1,2024-01-01,5\n")
    with pytest.raises(DataError, match="engine must be text"):
        Session(data=[str(tmp_path / "orders.csv")], entry_points=False)


def test_assistant_conversations_on_postgres(server):
    """What the HTTP service and the bots hold: one Assistant over PostgreSQL, a forked
    conversation per key, each with its own connection and segments."""
    from custlens import Assistant

    srv, store = server
    assistant = Assistant(data=DATA, engine=srv.url, entry_points=False)
    try:
        first = assistant.chat("#a", "how many customers do we have")
        assert dict(first.table("headline").frame.values.tolist())["customers"] == store.tables["customers"][
            "customer_id"].nunique()
        assistant.chat("#b", "RFM segmentation")
        assert assistant.chat("#b", "revenue for the champions").tables
        sessions = {key: conv.session for key, conv in assistant._conversations.items()}
        assert sessions["#b"].dataset.has_segments and not sessions["#a"].dataset.has_segments
        assert sessions["#a"].dataset.engine is not sessions["#b"].dataset.engine  # a connection each
    finally:
        assistant.close()


def test_orders_in_two_tables_are_one_role(server, sessions):
    """Two tables of one role (orders split by year, one without the channel column) answer as the
    one table does: the role's view is their union by column name."""
    srv, store = server
    import psycopg

    with psycopg.connect(srv.url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS shop.orders_old, shop.orders_new")
        conn.execute("CREATE TABLE shop.orders_old AS SELECT * FROM shop.orders WHERE order_date < '2024-07-01'")
        conn.execute("CREATE TABLE shop.orders_new AS SELECT * FROM shop.orders WHERE order_date >= '2024-07-01'")
        conn.execute("ALTER TABLE shop.orders_old DROP COLUMN channel")
    split = Session(data=["transactions=pg:shop.orders_old", "transactions=pg:shop.orders_new",
                          "customers=pg:shop.customers"], engine=srv.url, entry_points=False)
    whole = Session(data=["transactions=pg:shop.orders", "customers=pg:shop.customers"], engine=srv.url,
                    entry_points=False)
    try:
        for params in ({}, {"by": ["country"]}):
            assert differences(whole.run("overview", params), split.run("overview", params)) == []
        by_channel = split.run("overview", {"by": ["channel"]}).table("by_channel").frame
        old = store.tables["orders"]
        old = old[(old.order_date < "2024-07-01") & ~((old.quantity < 0) | (old.amount < 0))]
        blank = by_channel["channel"] == "(blank)"  # the lines of the table without the column (never None)
        assert blank.sum() == 1 and not by_channel["channel"].isna().any()
        assert math.isclose(by_channel.loc[blank, "revenue"].iloc[0], old.amount.sum(),
                            rel_tol=1e-6)
    finally:
        split.close()
        whole.close()


def test_text_dates_in_the_database_are_read_as_dates(server, tmp_path):
    """Dates stored as text (ISO strings, day/month/year, YYYYMMDD numbers) are read as dates, as
    from a file: the same answers as DuckDB over the same values in a CSV file."""
    srv, store = server
    import psycopg

    with psycopg.connect(srv.url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS shop.orders_iso, shop.orders_eu, shop.orders_num, shop.text_tz")
        conn.execute("CREATE TABLE shop.orders_iso AS SELECT customer_id, order_id, product, amount, "
                     "to_char(order_date, 'YYYY-MM-DD HH24:MI:SS') AS order_date FROM shop.orders")
        conn.execute("CREATE TABLE shop.orders_eu AS SELECT customer_id, order_id, amount, "
                     "to_char(order_date, 'DD/MM/YYYY') AS \"Order Date\" FROM shop.orders")
        conn.execute("CREATE TABLE shop.orders_num AS SELECT customer_id, order_id, amount, "
                     "CAST(to_char(order_date, 'YYYYMMDD') AS integer) AS order_date FROM shop.orders")
        conn.execute("CREATE TABLE shop.text_tz (customer_id text, order_id text, order_date text, amount float)")
        conn.execute("INSERT INTO shop.text_tz VALUES ('C1', 'O1', '2024-01-05 10:00:00 +0200', 10), "
                     "('C2', 'O2', '2024-02-17 11:30:00 +0000', 5)")
    orders = store.tables["orders"]
    files = {
        "orders_iso": orders[["customer_id", "order_id", "product", "amount"]].assign(
            order_date=orders.order_date.dt.strftime("%Y-%m-%d %H:%M:%S")),
        "orders_eu": orders[["customer_id", "order_id", "amount"]].assign(
            **{"Order Date": orders.order_date.dt.strftime("%d/%m/%Y")}),
        "orders_num": orders[["customer_id", "order_id", "amount"]].assign(
            order_date=orders.order_date.dt.strftime("%Y%m%d").astype(int)),
    }
    for name, frame in files.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        duck = Session(data=[str(tmp_path / f"{name}.csv")], entry_points=False)
        pg = Session(data=[f"pg:shop.{name}"], engine=srv.url, entry_points=False)
        try:
            assert pg.dataset.sources[0].columns[next(c for c in pg.dataset.sources[0].columns
                                                      if "date" in c.lower())] != "TIMESTAMP"  # stored as text
            for analysis, params in (("overview", {"by": ["period"], "grain": "month"}), ("cohort", {})):
                expected, got = duck.run(analysis, dict(params)), pg.run(analysis, dict(params))
                assert differences(expected, got) == [], (name, analysis)
            first = dict(pg.run("overview", {}).table("headline").frame.values.tolist())["first order"]
            assert str(first) == str(orders.order_date.min().date())  # the right dates, not only the same
        finally:
            duck.close()
            pg.close()
    # text with a UTC offset: read in the time it was written in, as from a file (not converted to UTC)
    tz = Session(data=["pg:shop.text_tz"], engine=srv.url, entry_points=False)
    try:
        head = dict(tz.run("overview", {}).table("headline").frame.values.tolist())
        assert (str(head["first order"]), str(head["last order"])) == ("2024-01-05", "2024-02-17")
        assert any("offsets they were written with (+00:00, +02:00)" in w for w in tz.dataset.warnings_for(["transactions"]))
        first = tz.dataset.engine.rows("SELECT min(order_date) FROM transactions")[0][0]
        assert str(first) == "2024-01-05 10:00:00"  # 10:00 as written, not 08:00 UTC
    finally:
        tz.close()


def us_orders(days: int = 13, per_day: int = 1700, last: int = 60) -> pd.DataFrame:
    """Orders dated as the Online Retail export writes them (12/1/10 8:26): month first, two-digit
    years, a time; the only day past 12 (the 13th) on the last ``last`` lines, after the first
    20,000 that the formats are sampled from."""
    rows = []
    for day in range(1, days + 1):
        for i in range(per_day if day < days else last):
            rows.append((f"C{i % 300}", f"O{day}-{i // 4}", float(1 + (i % 7)),
                         f"12/{day}/10 {8 + i % 9}:{i % 60:02d}"))
    return pd.DataFrame(rows, columns=["customer_id", "order_id", "amount", "InvoiceDate"])


def test_month_first_text_dates_on_postgres(server, tmp_path):
    """Text dates whose order only the last lines tell are read month first on PostgreSQL too (the
    whole-column count runs in the engine), with the same days, hours and notes as DuckDB over the
    same values in a CSV file; two-digit years are the same years on both (97 is 1997)."""
    srv, _ = server
    import psycopg

    frame = us_orders()
    old = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "order_id": ["O1", "O2", "O3"], "amount": [1.0, 2.0, 3.0],
                        "order_date": ["3/4/97", "11/12/10", "1/2/69"]})
    with psycopg.connect(srv.url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS shop.orders_us, shop.orders_yy")
        conn.execute("CREATE TABLE shop.orders_us (customer_id text, order_id text, amount float, \"InvoiceDate\" text)")
        conn.execute("CREATE TABLE shop.orders_yy (customer_id text, order_id text, amount float, order_date text)")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO shop.orders_us VALUES (%s, %s, %s, %s)", frame.values.tolist())
            cur.executemany("INSERT INTO shop.orders_yy VALUES (%s, %s, %s, %s)", old.values.tolist())
    for name, data in (("orders_us", frame), ("orders_yy", old)):
        data.to_csv(tmp_path / f"{name}.csv", index=False)
        duck = Session(data=[str(tmp_path / f"{name}.csv")], entry_points=False)
        pg = Session(data=[f"pg:shop.{name}"], engine=srv.url, entry_points=False)
        try:
            for params in [{"by": ["period"], "grain": "day"}, {}] + [{"by": ["hour"]}] * (name == "orders_us"):
                assert differences(duck.run("overview", dict(params)), pg.run("overview", dict(params))) == [], \
                    (name, params)
            head = dict(pg.run("overview", {}).table("headline").frame.values.tolist())
            first, last = str(head["first order"]), str(head["last order"])
            if name == "orders_us":
                assert (first, last) == ("2010-12-01", "2010-12-13")
                notes = pg.dataset.warnings_for(["transactions"])
                assert any("month/day/year" in w and "'12/13/10" in w for w in notes), notes
                assert not any("not a date" in w for w in notes), notes
            else:
                assert (first, last) == ("1969-01-02", "2010-11-12")
        finally:
            duck.close()
            pg.close()


def test_a_file_beside_postgres_tables(server, tmp_path):
    """Orders in PostgreSQL, customers in a CSV file: the file is loaded into the engine as a
    temporary table, so the joins run there; the answers are DuckDB's over the same data, in a fork
    too, and the database gets no table of custlens's."""
    srv, store = server
    import psycopg

    store.tables["customers"].to_csv(tmp_path / "customers.csv", index=False)
    store.tables["orders"].to_csv(tmp_path / "orders.csv", index=False)
    mixed = Session(data=["transactions=pg:shop.orders", str(tmp_path / "customers.csv")], engine=srv.url,
                    entry_points=False)
    duck_files = Session(data=[str(tmp_path / "orders.csv"), str(tmp_path / "customers.csv")], entry_points=False)
    try:
        customers = next(s for s in mixed.dataset.describe() if s["source"] == "customers.csv")
        assert customers["role"] == "customers"
        assert any("loaded into PostgreSQL" in d and "temporary table" in d for d in customers["derived"])
        for analysis, params in (("overview", {"by": ["gender"]}), ("segmentation", {"method": "attributes",
                                                                                     "by": ["gender"]}),
                                 ("churn", {})):
            assert differences(duck_files.run(analysis, dict(params)), mixed.run(analysis, dict(params))) == [], \
                analysis
        child = mixed.fork()
        try:
            assert differences(mixed.run("overview", {"by": ["gender"]}), child.run("overview", {"by": ["gender"]})) \
                == []
        finally:
            child.close()
        with psycopg.connect(srv.url, autocommit=True) as conn:
            assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname NOT LIKE 'pg_temp%' AND "
                                "tablename LIKE 'src%'").fetchone()[0] == 0
    finally:
        duck_files.close()
        mixed.close()


def test_what_comes_back_is_bounded_and_said(server, sessions, monkeypatch, tmp_path):
    """CUSTLENS_ENGINE_MAX_ROWS bounds every result of a remote engine: past it the answer stops
    with one line naming the analysis and the rows; under it the provenance says which engine
    answered and how many rows came back."""
    srv, store = server
    duck, pg = sessions
    answer = pg.run("overview", {"by": ["country"]})
    assert answer.provenance.engine.startswith("PostgreSQL (postgresql://")
    assert 0 < answer.provenance.rows_collected < 5000
    assert duck.run("overview", {"by": ["country"]}).provenance.engine is None
    # the baskets stay in the engine: their itemsets are counted there, fewer rows come back than baskets
    rules = pg.run("basket", {"focus": "bundles"})
    assert rules.provenance.rows_collected < rules.provenance.rows_used and "counted level by level in SQL" in \
        rules.provenance.method
    # two periods compared by an analysis that runs once per period: both runs counted
    periods = [(dt.date(2024, 1, 1), dt.date(2024, 6, 30)), (dt.date(2025, 1, 1), dt.date(2025, 6, 30))]
    compared = pg.run("churn", {"compare": periods})
    assert compared.provenance.engine.startswith("PostgreSQL") and compared.provenance.rows_collected > 0
    n = store.tables["customers"]["customer_id"].nunique()
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", "100")
    with pytest.raises(EngineError) as stopped:
        pg.run("overview", {"by": ["period"], "grain": "day"})  # a row per day comes back: more than 100
    text = str(stopped.value)
    assert text.startswith("overview: the PostgreSQL engine would send ") and "more than the bound of 100" in text
    assert "CUSTLENS_ENGINE_MAX_ROWS" in text and "filter" in text
    rows = int(text.split("would send ")[1].split(" rows")[0].replace(",", ""))
    assert 100 < rows <= len(store.tables["orders"])
    assert pg.run("churn", {"inactive_days": 91}).provenance.rows_collected < 100  # its customers stay there
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", "many")
    with pytest.raises(EngineError, match="CUSTLENS_ENGINE_MAX_ROWS must be a whole number"):
        pg.run("cohort", {"grain": "week"})
    # the command line: one line, no traceback
    run = subprocess.run(CLI + ["ask", "revenue by day", "--engine", srv.url,
                                *[a for d in DATA for a in ("--data", d)]], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path, env=dict(os.environ, CUSTLENS_ENGINE_MAX_ROWS="50"))
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1 and len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert lines[0].startswith("error: overview: the PostgreSQL engine would send") and \
        "more than the bound of 50" in lines[0]


def test_a_kept_answer_is_not_given_back_under_another_bound(server, sessions, monkeypatch):
    """The bound on what a remote engine sends back is part of what an answer depends on: the same
    question computed under a larger bound is not reused under a smaller one (it stops, as it
    would have if asked first), and comes back from the cache under its own bound again. On
    DuckDB the bound applies to nothing, so it changes no kept answer."""
    duck, pg = sessions
    params = {"by": ["period"], "grain": "day", "top": 7}  # a row per day comes back: more than 100
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", "1000000")
    first = pg.run("overview", dict(params))
    assert first.provenance.rows_collected > 100
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", "100")
    with pytest.raises(EngineError, match="more than the bound of 100"):
        pg.run("overview", dict(params))
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", "1000000")
    hits = pg.answers.hits
    again = pg.run("overview", dict(params))
    assert pg.answers.hits == hits + 1 and differences(first, again) == []
    duck.run("overview", dict(params))
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", "100")
    hits = duck.answers.hits
    duck.run("overview", dict(params))
    assert duck.answers.hits == hits + 1


def test_frames_loaded_into_postgres_follow_a_fork(server):
    """Frames (the demo, the Python API) become temporary tables of the session's connection; a
    fork has a connection of its own, so it loads them again there and answers the same."""
    srv, _ = server
    store = demo.generate(customers=120, seed=3)
    s = Session(engine=srv.url, entry_points=False)
    try:
        s.load_demo(store=store)
        child = s.fork()
        try:
            assert differences(s.run("cohort", {}), child.run("cohort", {})) == []
            child.run("segmentation", {})
            assert child.dataset.has_segments and not s.dataset.has_segments
        finally:
            child.close()
        assert s.run("overview", {}).table("headline").frame is not None  # the parent's tables stay
    finally:
        s.close()


def test_rfm_and_top_customers_stay_in_the_engine(server, monkeypatch):
    """RFM on PostgreSQL: every customer's scores and the saved segments stay in the database
    (temporary tables), only the per-segment figures and the first rows of the customers table come
    back: it answers, as DuckDB does, with a bound on the rows collected below the number of
    customers. So does "the top 10% of customers", ranked in the engine."""
    srv, store = server
    duck = Session(entry_points=False)
    duck.load_demo(store=store)
    pg = Session(data=DATA, engine=srv.url, entry_points=False)
    n = store.tables["customers"]["customer_id"].nunique()
    try:
        pg.run("overview", {})  # the distinct values of the data (filters) are read once, before the bound
        monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", str(n // 2))
        for params in ({}, {"customer": "C000042"}, {"start": dt.date(2025, 1, 1)}):
            expected, got = duck.run("segmentation", dict(params)), pg.run("segmentation", dict(params))
            assert differences(expected, got) == [], params
            shown = got.table("customers")
            assert shown.total_rows == expected.table("customers").total_rows and len(shown.rows) == 50
            assert not shown.complete and any("rfm_scores" in s for s in got.provenance.sampled)
            assert 0 < got.provenance.rows_collected < n  # fewer rows in all than customers
        # the labels are saved in the engine: the segment filter and breakdown read them there (the
        # overview brings back a row per day of its period: the bound is lifted for it)
        monkeypatch.delenv("CUSTLENS_ENGINE_MAX_ROWS")
        assert pg.dataset.engine.rows("SELECT count(*) FROM segments")[0][0] == expected.provenance.rows_used
        for params in ({"filters": {"segment": ["Champions"]}}, {"by": ["segment"]}):
            assert differences(duck.run("overview", dict(params)), pg.run("overview", dict(params))) == [], params
        # the champions named after a segmentation are the saved segment, not segmented again, in the engine too
        again = {"filters": {"segment": ["Champions"]}}
        drilled = [duck.run("segmentation", dict(again)), pg.run("segmentation", dict(again))]
        for a in drilled:  # (the canvas's text rounds a mean spend that sits on a .xx5 boundary apart)
            a.tables = [t for t in a.tables if t.name in ("segments", "customers", "focus")]
            a.summary = ""
        assert differences(*drilled) == []
        assert pg.dataset.engine.rows("SELECT count(*) FROM segments")[0][0] == expected.provenance.rows_used
        top = pg.run("overview", {"share": 0.1})
        assert differences(duck.run("overview", {"share": 0.1}), top) == []
        assert top.table("top_customers").total_rows == math.ceil(0.1 * n)
        assert top.provenance.rows_collected < n
    finally:
        duck.close()
        pg.close()


#: per-customer analyses that answer with fewer rows collected than customers: (analysis, params,
#: the bound as a share of the customers). CLV's fit reads the distinct (frequency, recency, T)
#: rows: by month they are 329 of the 600 demo customers, so its bound is 5/6 of them
BOUNDED = [
    ("clv", {"grain": "month"}, 5 / 6),
    ("clv", {"grain": "month", "by": ["country"], "share": 0.1}, 5 / 6),
    ("clv", {"grain": "month", "customer": "C000042", "filters": {"channel": ["web"]}}, 5 / 6),
    ("loyalty", {}, 1 / 2),
    ("loyalty", {"by": ["gender"], "filters": {"channel": ["web"]}, "start": dt.date(2024, 1, 1)}, 1 / 2),
    ("segmentation", {"method": "attributes", "by": ["gender", "customer_type"]}, 0.6),
    ("segmentation", {"method": "attributes", "by": ["age"], "filters": {"channel": ["web"]}}, 0.7),
    ("segmentation", {"by": ["gender"]}, 0.6),
    ("churn", {}, 1 / 2),
    ("churn", {"inactive_days": 90, "by": ["country"], "filters": {"channel": ["web"]}}, 1 / 2),
    ("profitability", {}, 1 / 2),
    ("profitability", {"by": ["region", "category"], "shipping_cost": 2.5, "contact_cost": 3,
                       "filters": {"channel": ["web"]}}, 1 / 2),
]


@pytest.fixture(scope="module")
def bounded_sessions(server):
    """A DuckDB and a PostgreSQL session of their own (the bounded tests save segments)."""
    srv, store = server
    duck = Session(entry_points=False)
    duck.load_demo(store=store)
    pg = Session(data=DATA, engine=srv.url, entry_points=False)
    pg.run("overview", {})  # the distinct values of the data (filters) are read once, before the bound
    yield duck, pg, store.tables["customers"]["customer_id"].nunique()
    duck.close()
    pg.close()


@pytest.mark.parametrize("analysis,params,share", BOUNDED, ids=[f"{a}-{i}" for i, (a, _, _) in enumerate(BOUNDED)])
def test_per_customer_analyses_stay_in_the_engine(bounded_sessions, monkeypatch, analysis, params, share):
    """With CUSTLENS_ENGINE_MAX_ROWS below the number of customers, the analyses that work per
    customer still answer on PostgreSQL, with DuckDB's tables (a customers list as its first rows,
    said), and fewer rows collected in all than the bound."""
    duck, pg, n = bounded_sessions
    bound = int(n * share)
    expected = duck.run(analysis, dict(params))
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", str(bound))
    got = pg.run(analysis, dict(params))
    if analysis == "segmentation":  # the canvas's text rounds a mean spend on a .xx5 boundary apart
        for a in (expected, got):
            a.tables = [t for t in a.tables if t.name != "canvas"]
    assert differences(expected, got) == []
    assert 0 < got.provenance.rows_collected < bound < n
    if analysis == "segmentation":  # the labels are saved in the engine, the first customers came back
        assert pg.dataset.engine.rows("SELECT count(*) FROM segments")[0][0] == expected.provenance.rows_used
        assert not got.table("customers").complete and any("rfm_scores" in s for s in got.provenance.sampled)
    if analysis == "churn":
        assert not got.table("churned").complete and any("__churn" in s for s in got.provenance.sampled)
    if analysis == "profitability":
        assert not got.table("customers").complete and got.table("customers").total_rows == \
            expected.table("customers").total_rows
        assert any("__profit_customers" in s for s in got.provenance.sampled)
    if analysis == "loyalty":
        assert not got.table("loyalty_index").complete and any("__loyalty_scores" in s for s in got.provenance.sampled)
    if analysis == "clv":
        shown = got.table("customers")
        assert not shown.complete and shown.total_rows == expected.table("customers").total_rows
        assert any("stays in the engine" in s for s in got.provenance.sampled)
        assert "stayed in the postgresql engine" in got.provenance.method
        # every customer was scored: the engine's table holds them all, with the total the answer gives
        total = pg.dataset.engine.rows("SELECT count(*), sum(clv) FROM __clv_scored")[0]
        assert total[0] == shown.total_rows
        headline = dict(zip(expected.table("headline").frame["measure"], expected.table("headline").frame["value"]))
        assert total[1] == pytest.approx(headline["total predicted CLV"], rel=1e-6)


def test_clv_past_the_bound_fits_on_a_said_sample(bounded_sessions, monkeypatch):
    """By day, the fit's distinct (frequency, recency, T) rows are nearly one per demo customer (569
    of 600): under a bound below them CLV fits the purchase model on a sample of customers drawn in
    the engine (said, with its size), scores every customer in pages of distinct rows (no query
    brings back more than the bound), and its figures stay near DuckDB's: the total predicted CLV
    within 10%, the same customers counted, the spend model exact."""
    duck, pg, n = bounded_sessions
    expected = duck.run("clv", {})
    bound = n // 2
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", str(bound))
    got = pg.run("clv", {})  # every query is under the bound, or it would stop with TooManyRows
    size = bound * 3 // 4
    assert got.provenance.sampled[0].startswith(
        f"CLV: the purchase model (BG/NBD) fitted on a sample of {size:,} of the {n:,} customers drawn in the engine")
    assert got.provenance.sampled[0] in got.warnings
    head = [dict(zip(a.table("headline").frame["measure"], a.table("headline").frame["value"]))
            for a in (expected, got)]
    assert head[1]["customers"] == head[0]["customers"] == n
    assert head[1]["total predicted CLV"] == pytest.approx(head[0]["total predicted CLV"], rel=0.10)
    model = [a.table("model").frame.set_index(["model", "parameter"])["value"] for a in (expected, got)]
    assert model[1][("BG/NBD", "customers")] == size
    for p in ("p", "q", "v"):
        assert model[1][("Gamma-Gamma", p)] == pytest.approx(model[0][("Gamma-Gamma", p)], rel=1e-4)
    assert pg.dataset.engine.rows("SELECT count(*) FROM __clv_scored")[0][0] == n


def test_feedback_on_an_engine_is_a_said_sample_past_its_cap(server, monkeypatch):
    """Past ENGINE_SAMPLE responses, the feedback analysis works on a sample drawn in the engine
    (the same on every run), and its provenance says how many of how many."""
    from custlens.plugins import feedback

    srv, store = server
    responses = len(store.tables["feedback"])
    monkeypatch.setattr(feedback, "ENGINE_SAMPLE", responses // 3)
    answers = []
    for _ in range(2):
        pg = Session(data=DATA, engine=srv.url, entry_points=False)
        try:
            answers.append(pg.run("feedback", {}))
        finally:
            pg.close()
    first, second = answers
    assert first.provenance.rows_used == responses // 3
    assert first.provenance.sampled == [f"feedback: scores, themes and sentiment from a sample of {responses // 3:,} "
                                        f"of {responses:,} responses, drawn in the engine by a hash of each response"]
    assert differences(first, second) == []  # the same sample each time


def _planted_clusters(per_group: int = 200) -> pd.DataFrame:
    """Orders of three kinds of customers far apart in recency, frequency and spend: L (one small
    order in 2023), F (ten orders of ~100 through 2025) and B (three orders of ~1,000 in 2024)."""
    rng = np.random.default_rng(11)
    rows = []
    for kind, orders, spend, start, days in (("L", 1, 20, "2023-01-01", 150), ("F", 10, 100, "2025-01-01", 360),
                                             ("B", 3, 1000, "2024-03-01", 200)):
        for i in range(per_group):
            cid = f"{kind}{i:04d}"
            for j in range(orders):
                day = pd.Timestamp(start) + pd.Timedelta(days=int(rng.integers(0, days)))
                rows.append((cid, f"{cid}-{j}", day, round(float(spend * rng.uniform(0.8, 1.2)), 2)))
    return pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"])


def test_kmeans_on_an_engine_is_fitted_on_a_said_sample(server, monkeypatch, tmp_path):
    """k-means on PostgreSQL under a bound below the customers: fitted on a sample drawn in the
    engine (said, with its size), every customer labelled there by the nearest centre. On three
    planted groups it finds them: each group is one segment (all but 2% of its customers), and the
    segments' sizes are DuckDB's to 2% of the customers."""
    import types

    srv, _ = server
    orders = _planted_clusters()
    postgres_server.load_demo(srv.url, types.SimpleNamespace(tables={"orders": orders}), schema="planted")
    orders.to_parquet(tmp_path / "orders.parquet")
    duck = Session(data=[f"transactions={tmp_path / 'orders.parquet'}"], entry_points=False)
    pg = Session(data=["transactions=pg:planted.orders"], engine=srv.url, entry_points=False)
    n = orders["customer_id"].nunique()
    try:
        expected = duck.run("segmentation", {"method": "kmeans", "k": 3})
        # under the default bound the sample holds every customer: DuckDB's clusters, nothing said
        alone = Session(data=["transactions=pg:planted.orders"], engine=srv.url, entry_points=False)
        try:  # (a session of its own: an answer is reused for the same question)
            whole = alone.run("segmentation", {"method": "kmeans", "k": 3})
        finally:
            alone.close()
        assert not any("k-means" in s for s in whole.provenance.sampled)
        assert differences(types.SimpleNamespace(tables=[expected.table("segments")], summary=""),
                           types.SimpleNamespace(tables=[whole.table("segments")], summary="")) == []
        monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", str(n // 2))
        got = pg.run("segmentation", {"method": "kmeans", "k": 3})
        assert got.provenance.sampled[0] == (f"k-means fitted on a sample of {n // 4:,} of the {n:,} customers drawn in "
                                             "the engine by the md5 of the customer id (the same sample each time), "
                                             "every customer labelled in the engine with the nearest centre")
        assert got.provenance.sampled[0] in got.warnings
        assert 0 < got.provenance.rows_collected < n // 2
        monkeypatch.delenv("CUSTLENS_ENGINE_MAX_ROWS")
        labels = dict(pg.dataset.engine.rows("SELECT customer_id, segment FROM segments"))
        assert len(labels) == n
        for kind in "LFB":
            found = pd.Series([s for c, s in labels.items() if c.startswith(kind)]).value_counts()
            assert found.iloc[0] >= 0.98 * (n // 3), (kind, found.to_dict())
        sizes = [sorted(a.table("segments").frame["customers"]) for a in (expected, got)]
        assert len(sizes[1]) == 3 and all(abs(x - y) <= 0.02 * n for x, y in zip(*sizes)), sizes
    finally:
        duck.close()
        pg.close()


def test_churn_drivers_on_an_engine_are_fitted_on_a_said_sample(server, monkeypatch, tmp_path):
    """A churn flag on PostgreSQL under a bound below the customers: the rates by attribute count
    every customer (DuckDB's tables), the drivers model is fitted on a sample drawn in the engine
    (said, with its size) and still finds the planted driver: month-to-month contracts churn at
    60%, yearly ones at 10%, whatever the region."""
    import types

    srv, _ = server
    rng = np.random.default_rng(5)
    n = 800
    contract = rng.choice(["monthly", "yearly"], n)
    customers = pd.DataFrame({"customer_id": [f"K{i:04d}" for i in range(n)], "contract": contract,
                              "region": rng.choice(["north", "south", "east"], n),
                              "churned": np.where(rng.random(n) < np.where(contract == "monthly", 0.6, 0.1),
                                                  "yes", "no")})
    postgres_server.load_demo(srv.url, types.SimpleNamespace(tables={"customers": customers}), schema="flagged")
    customers.to_csv(tmp_path / "customers.csv", index=False)
    duck = Session(data=[f"customers={tmp_path / 'customers.csv'}"], entry_points=False)
    pg = Session(data=["customers=pg:flagged.customers"], engine=srv.url, entry_points=False)
    try:
        expected = duck.run("churn", {"explain": True})
        monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", str(n // 2))
        got = pg.run("churn", {"explain": True})
        note = (f"churn drivers and risk scores: fitted on a sample of {n // 4:,} of the {n:,} customers drawn in the "
                "engine by the md5 of the customer id (the same sample each time); the rates by attribute count "
                "every customer")
        assert got.provenance.sampled == [note] and note in got.warnings
        assert 0 < got.provenance.rows_collected < n // 2
        for name in ("headline", "churn_by_contract", "churn_by_region", "churn_by_attribute", "attributes"):
            assert differences(types.SimpleNamespace(tables=[expected.table(name)], summary=""),
                               types.SimpleNamespace(tables=[got.table(name)], summary="")) == [], name
        assert got.table("drivers").frame["attribute"].iloc[0] == "contract"
        assert got.table("at_risk").total_rows <= n // 4
    finally:
        duck.close()
        pg.close()
