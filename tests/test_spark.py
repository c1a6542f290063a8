"""The Spark engine: the same analyses on a real local Spark (local[2]) as on the embedded DuckDB.

One Spark per test session (starting the JVM is the slow part): the demo store is written as the
catalog tables ``shop.*`` of that Spark, each analysis runs once on DuckDB over the same frames and
once with ``engine="spark"`` over ``spark:shop.*``, and the answers must hold the same tables (the
same rows, ids and counts, money to 1e-6 relative). Marked ``spark`` (``.ci/run`` runs them as a
step of their own); without Java or pyspark they skip with one line saying which
(CUSTLENS_REQUIRE_SPARK=1, as .ci/run sets it, makes that a failure).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import postgres_server  # noqa: E402 - a free port
from custlens.kit import CYCLES  # noqa: E402
from test_engines import BOUNDED, CASES, ENGINE_OWN, differences, us_orders  # noqa: E402 - one way to compare answers across engines

from custlens import demo  # noqa: E402
from custlens.engines import DuckDBEngine, EngineError, open_engine  # noqa: E402
from custlens.errors import DataError  # noqa: E402
from custlens.ports import free_port, listening  # noqa: E402
from custlens.session import Session  # noqa: E402

pytestmark = pytest.mark.spark

CLI = [sys.executable, "-m", "custlens.cli"]
TABLES = {"orders": "transactions", "customers": "customers", "feedback": "feedback", "touchpoints": "events"}
DATA = [f"{role}=spark:shop.{name}" for name, role in TABLES.items()]


def _missing() -> str | None:
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        return "Java (17 or newer) is not installed"
    for module in ("pyspark", "sqlglot"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[spark]')"
    return None


@pytest.fixture(scope="session")
def spark_store():
    """The local Spark with the demo store as the tables shop.orders, shop.customers, ..."""
    missing = _missing()
    if missing:
        if os.environ.get("CUSTLENS_REQUIRE_SPARK"):
            pytest.fail(f"Spark tests required but cannot run: {missing}")
        pytest.skip(f"Spark tests skipped: {missing}")
    store = demo.generate(customers=600, seed=7)
    engine = open_engine("spark")
    engine.spark.sql("CREATE DATABASE IF NOT EXISTS shop")
    for name, frame in store.tables.items():
        engine.register(f"__load_{name}", frame)
        engine.spark.table(f"__load_{name}").write.mode("overwrite").saveAsTable(f"shop.{name}")
        engine.unregister(f"__load_{name}")
    yield engine, store
    engine.close()


@pytest.fixture(scope="session")
def sessions(spark_store):
    _, store = spark_store
    duck = Session(entry_points=False)
    duck.load_demo(store=store)
    spark = Session(data=DATA, engine="spark", entry_points=False)
    yield duck, spark
    duck.close()
    spark.close()


#: the analyses the brief starts with first, then the rest
FIRST = [c for c in CASES if c[0] in ("overview", "cohort", "segmentation", "churn")]
REST = [c for c in CASES if c not in FIRST]


@pytest.mark.parametrize("analysis,params", FIRST + REST,
                         ids=[f"{a}-{i}" for i, (a, _) in enumerate(FIRST + REST)])
def test_same_answer_on_spark(sessions, analysis, params):
    duck, spark = sessions
    expected = duck.run(analysis, dict(params))
    got = spark.run(analysis, dict(params))
    assert expected.tables, f"{analysis}: the DuckDB answer has no table to compare"
    assert differences(expected, got) == []
    if analysis not in ENGINE_OWN:  # RFM keeps the customers' scores in the engine: statements of its own
        assert len(got.provenance.sql) == len(expected.provenance.sql)
    assert got.provenance.engine.startswith("Spark") and got.provenance.rows_collected is not None


def test_same_sql_same_values_on_spark(spark_store):
    """The dialect differences the engine translates, each with a known answer on both engines."""
    engine, _ = spark_store
    spark, duck = engine.fork(), DuckDBEngine()
    try:
        values = "(SELECT * FROM (VALUES (NULL, 'zz'), (1, 'ab'), (2, 'cb'), (3, 'cb')) v(x, y))"
        known = [
            ("SELECT round(CAST(88.5 AS DOUBLE)), round(CAST(2.345 AS DOUBLE), 2), 7 / 2", (89.0, 2.35, 3.5)),
            (f"SELECT any_value(y) FILTER (WHERE x = 2), arg_min(y, x), arg_max(y, x), any_value(x) FROM {values}",
             ("cb", "ab", "cb", 1)),
            (f"SELECT count(*) FILTER (WHERE ends_with(y, 'b')), count(*) FILTER (WHERE regexp_full_match(y, "
             f"'[a-c]b')), sum(CAST(x > 1 AS DOUBLE)), approx_count_distinct(y) FROM {values}", (3, 3, 2.0, 3)),
            (f"SELECT count(*) FROM (SELECT y, count(*) FROM {values} GROUP BY ALL)", (3,)),
            ("SELECT CAST(date_trunc('month', DATE '2024-05-17') + to_months(2) AS DATE)", (dt.date(2024, 7, 1),)),
            # DuckDB counts calendar boundaries: one month from Jan 31 to Feb 1, one day from 23:00 to 01:00
            ("SELECT date_diff('month', DATE '2024-01-31', DATE '2024-02-01'), date_diff('day', TIMESTAMP "
             "'2024-01-01 23:00:00', TIMESTAMP '2024-01-02 01:00:00'), date_diff('week', DATE '2024-01-06', "
             "DATE '2024-01-08'), date_diff('quarter', DATE '2023-12-31', DATE '2024-01-01')", (1, 1, 0, 1)),
            ("SELECT CAST(try_strptime('17/02/2024', ['%Y-%m-%d', '%d/%m/%Y']) AS DATE), "
             "try_strptime('nonsense', '%d/%m/%Y')", (dt.date(2024, 2, 17), None)),
            (f"SELECT y FROM {values} ORDER BY x LIMIT 1", ("ab",)),  # NULLs sort last, as in DuckDB
            # a weekday, an hour and a part of the week (kit.CYCLES): Spark counts its days from Sunday, these from
            # a known Monday; 19 May 2024 was a Sunday, 31 Dec 1999 a Friday
            ("SELECT " + ", ".join(f"{label.format(date=d)}, {order.format(date=d)}" for label, order in CYCLES.values()
                                   for d in ("TIMESTAMP '2024-05-19 13:45:00'", "TIMESTAMP '1999-12-31 23:59:00'")),
             ("Sunday", 7, "Friday", 5, "13:00", 13, "23:00", 23, "weekend (Sat-Sun)", 2, "weekdays (Mon-Fri)", 1)),
            # numbering in any order (Spark wants an ORDER BY) beside a named window that has one
            (f"SELECT count(*), max(b), sum(l) FROM (SELECT row_number() OVER () AS b, lag(x) OVER w AS l "
             f"FROM {values} WINDOW w AS (ORDER BY x))", (4, 4, 6)),
        ]
        for sql, expected in known:
            assert duck.rows(sql) == [expected], sql
            assert spark.rows(sql) == [expected], sql
        spark.execute("CREATE OR REPLACE TABLE __t AS SELECT 1 AS a, 2 AS \"B\", 'x' AS c")
        spark.execute("CREATE OR REPLACE TEMP TABLE __t AS SELECT 1 AS a, 2 AS \"B\", 'y' AS c")  # replaced
        assert spark.rows("SELECT * EXCLUDE (a) FROM __t") == [(2, "y")]
        assert spark.describe("__t") == {"a": "INTEGER", "B": "INTEGER", "c": "VARCHAR"}
        # a table is computed once: what it was made from may go, it stays
        spark.execute("CREATE OR REPLACE TEMP VIEW __v AS SELECT 41 AS n")
        spark.execute("CREATE TABLE __u AS SELECT n + 1 AS n FROM __v")
        spark.execute("DROP VIEW __v")
        assert spark.rows("SELECT n FROM __u") == [(42,)]
        spark.execute("DROP TABLE IF EXISTS temp.__u")
        with pytest.raises(EngineError, match="__u"):
            spark.rows("SELECT * FROM __u")
        # nothing custlens creates goes to the catalog: tables and views are the session's own
        assert not [t for t in engine.spark.catalog.listTables("default") if t.name.startswith("__")]
        frame = pd.DataFrame({"id": ["a", "b"], "when": pd.to_datetime(["2024-01-01 10:30", "2024-02-01 00:00"]),
                              "n": pd.array([1, None], dtype="Int64"), "x": [0.5, None]})
        spark.register("__f", frame)
        duck.register("__f", frame)
        q = "SELECT id, CAST(\"when\" AS DATE) AS d, \"when\", n, x, n * 2.5 AS m FROM __f ORDER BY id"
        pd.testing.assert_frame_equal(spark.frame(q), duck.frame(q), check_dtype=False)
        assert spark.rows("SELECT id, \"when\" FROM __f WHERE n = ?", [1]) == [("a", dt.datetime(2024, 1, 1, 10, 30))]
        with pytest.raises(EngineError, match="no_such"):
            spark.rows("SELECT * FROM no_such")
    finally:
        spark.close()
        duck.close()


def test_a_known_planted_answer_from_parquet_on_spark(spark_store, tmp_path):
    """Files Spark reads itself, with the right figures (not only DuckDB's): Parquet and CSV."""
    orders = pd.DataFrame({"Customer ID": ["C1", "C1", "C2", "C3", "C3"], "Invoice": ["O1", "O2", "O3", "O4", "O5"],
                           "Order Date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-03-07", "2024-04-01",
                                                         "2024-04-02"]),
                           "Country": ["Germany", "Germany", "France", "Spain", "Spain"],
                           "Total": [100.0, 100.0, 50.0, 25.5, -25.5]})
    orders.to_parquet(tmp_path / "orders.parquet")
    orders.to_csv(tmp_path / "orders.csv", index=False)
    for path in (tmp_path / "orders.parquet", tmp_path / "orders.csv"):
        s = Session(data=[str(path)], engine="spark", entry_points=False)
        try:
            source = s.dataset.describe()[0]
            assert source["role"] == "transactions"
            assert {c["column"]: c["canonical"] for c in source["columns"]} == {
                "Customer ID": "customer_id", "Invoice": "order_id", "Order Date": "order_date",
                "Country": "country", "Total": "amount"}
            by_country = s.run("overview", {"by": ["country"]}).table("by_country").frame
            assert by_country[["country", "revenue", "orders", "customers"]].values.tolist() == [
                ["Germany", 200.0, 2, 1], ["France", 50.0, 1, 1], ["Spain", 25.5, 1, 1]], path
        finally:
            s.close()


def test_csv_dates_spark_does_not_infer(spark_store, tmp_path):
    """Dates in a CSV that Spark's own inference leaves as text (day/month/year) or numbers
    (YYYYMMDD) are read as dates through to_timestamp, as DuckDB reads the same file: the same
    months and cohorts, and the right first order (not only the same one)."""
    _, store = spark_store
    orders = store.tables["orders"]
    files = {
        "orders_eu": orders[["customer_id", "order_id", "amount"]].assign(
            **{"Order Date": orders.order_date.dt.strftime("%d/%m/%Y")}),
        "orders_num": orders[["customer_id", "order_id", "amount"]].assign(
            order_date=orders.order_date.dt.strftime("%Y%m%d").astype(int)),
    }
    for name, frame in files.items():
        path = tmp_path / f"{name}.csv"
        frame.to_csv(path, index=False)
        duck = Session(data=[str(path)], entry_points=False)
        spark = Session(data=[str(path)], engine="spark", entry_points=False)
        try:
            raw = spark.dataset.engine.spark.read.option("header", True).option("inferSchema", True).csv(str(path))
            column = next(c for c in raw.columns if "date" in c.lower())
            assert raw.schema[column].dataType.simpleString() in ("string", "int"), name  # not a date to Spark
            for analysis, params in (("overview", {"by": ["period"], "grain": "month"}), ("cohort", {})):
                expected, got = duck.run(analysis, dict(params)), spark.run(analysis, dict(params))
                assert differences(expected, got) == [], (name, analysis)
            head = dict(spark.run("overview", {}).table("headline").frame.values.tolist())
            assert (str(head["first order"]), str(head["last order"])) == (
                str(orders.order_date.min().date()), str(orders.order_date.max().date())), name
        finally:
            duck.close()
            spark.close()


def test_month_first_text_dates_on_spark(spark_store, tmp_path):
    """The Online Retail layout (12/1/10 8:26, the only day past 12 on the last lines) read by
    Spark itself: month first, two-digit years as DuckDB reads them (97 is 1997, not 2097), the
    same days and hours as DuckDB over the same file."""
    frame = us_orders()
    old = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "order_id": ["O1", "O2", "O3"], "amount": [1.0, 2.0, 3.0],
                        "order_date": ["3/4/97", "11/12/10", "1/2/69"]})
    for name, data in (("orders_us", frame), ("orders_yy", old)):
        path = tmp_path / f"{name}.csv"
        data.to_csv(path, index=False)
        duck = Session(data=[str(path)], entry_points=False)
        spark = Session(data=[str(path)], engine="spark", entry_points=False)
        try:
            for params in [{"by": ["period"], "grain": "day"}, {}] + [{"by": ["hour"]}] * (name == "orders_us"):
                assert differences(duck.run("overview", dict(params)), spark.run("overview", dict(params))) == [], \
                    (name, params)
            head = dict(spark.run("overview", {}).table("headline").frame.values.tolist())
            assert (str(head["first order"]), str(head["last order"])) == (
                ("2010-12-01", "2010-12-13") if name == "orders_us" else ("1969-01-02", "2010-11-12")), name
            if name == "orders_us":
                assert any("month/day/year" in w for w in spark.dataset.warnings_for(["transactions"]))
        finally:
            duck.close()
            spark.close()


OUT_OF_MEMORY = """
from custlens.engines import EngineError, open_engine
engine = open_engine("spark")
print("heap", engine.spark.sparkContext._jvm.java.lang.Runtime.getRuntime().maxMemory() // 2**20, flush=True)
engine.spark.range(2000000).createOrReplaceTempView("big")
for step in ("query", "again"):
    try:  # two million copies of 2,000 characters in one list: more than the heap
        engine = engine if step == "query" else open_engine("spark")
        engine.rows("SELECT size(collect_list(repeat(CAST(id AS VARCHAR), 2000))) FROM big")
        print(step, "answered", flush=True)
    except EngineError as exc:
        print(step, "error:", exc, flush=True)
"""


def test_the_local_spark_heap_is_set_and_running_out_of_it_is_said(spark_store, tmp_path):
    """CUSTLENS_SPARK_DRIVER_MEMORY is the local Spark's heap; a query that needs more stops with
    one line saying so and what to do (the JVM exits: it used to go on without the thread that ran
    out, and the answer waited for ever), and so does the next use of that Spark; a size that is
    not one is said before Spark starts."""
    env = dict(os.environ, CUSTLENS_SPARK_DRIVER_MEMORY="512m")
    run = subprocess.run([sys.executable, "-c", OUT_OF_MEMORY], capture_output=True, text=True, timeout=600,
                         cwd=tmp_path, env=env)
    lines = dict(line.split(" ", 1) for line in run.stdout.strip().splitlines())
    assert 400 <= int(lines["heap"]) <= 512, run.stdout  # the JVM's -Xmx (less a survivor space)
    said = ("error: Spark (local[2], in this process): the local Spark ran out of memory and stopped (its heap: "
            "512m). Give it more with CUSTLENS_SPARK_DRIVER_MEMORY")
    assert lines["query"].startswith(said), run.stdout + run.stderr[-2000:]
    assert lines["again"].startswith("error: the local Spark ran out of memory and stopped"), run.stdout
    assert "Traceback" not in run.stderr and "Exception while sending" not in run.stderr, run.stderr[-2000:]
    bad = subprocess.run(CLI + ["describe", "--engine", "spark", "--demo"], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path, env=dict(os.environ, CUSTLENS_SPARK_DRIVER_MEMORY="lots"))
    assert bad.returncode == 1 and bad.stderr.strip().splitlines() == [
        "error: CUSTLENS_SPARK_DRIVER_MEMORY must be a size such as 4g or 512m; it is 'lots'."], bad.stderr


def test_fork_on_spark_answers_alone(sessions):
    """A conversation of its own on Spark: its own Spark session (temporary views), its own saved
    segments, the same answers; the parent's views are untouched."""
    duck, spark = sessions
    spark.dataset.clear_segments()
    child = spark.fork()
    try:
        child.run("segmentation", {})
        assert child.dataset.has_segments and not spark.dataset.has_segments
        assert differences(spark.run("overview", {}), child.run("overview", {})) == []
    finally:
        child.close()
    assert spark.run("overview", {}).tables


def test_bad_spark_sources_say_one_line(spark_store, tmp_path):
    with pytest.raises(EngineError, match="has no table or view 'shop.no_such_table'") as err:
        Session(data=["spark:shop.no_such_table"], engine="spark", entry_points=False)
    assert "\n" not in str(err.value)
    with pytest.raises(EngineError, match="cannot read it") as err:
        Session(data=[str(tmp_path / "nothing-here" / "*.parquet")], engine="spark", entry_points=False)
    assert "\n" not in str(err.value)
    with pytest.raises(DataError, match="spark:DB.TABLE"):
        Session(data=["spark:"], engine="spark", entry_points=False)
    with pytest.raises(DataError, match="not a readable Excel workbook"):  # read here, as without --engine
        (tmp_path / "book.xlsx").write_bytes(b"PK")
        Session(data=[str(tmp_path / "book.xlsx")], engine="spark", entry_points=False)


def test_bad_spark_engines_say_one_line_in_the_cli(spark_store, tmp_path):
    """From the command line: one line on stderr (no JVM output, no traceback), which says what to do."""
    cases = [
        (["--data", "spark:shop.orders"], ["needs the Spark engine", "--engine spark"]),
        (["--engine", "sc://", "--demo"], ["sc://HOST:PORT"]),
        (["--engine", f"sc://127.0.0.1:{free_port()}", "--demo"],
         ["cannot connect to Spark Connect", "Connection refused", "Spark Connect server runs"]),
        (["--engine", "spark", "--data", "spark:shop.no_such_table"], ["no table or view 'shop.no_such_table'"]),
    ]
    for args, words in cases:
        run = subprocess.run(CLI + ["describe", *args], capture_output=True, text=True, timeout=600, cwd=tmp_path)
        lines = run.stderr.strip().splitlines()
        assert run.returncode == 1, (args, run.stdout, run.stderr)
        assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in run.stderr, (args, run.stderr)
        for w in words:
            assert w in lines[0], (args, w, lines[0])


def test_describe_says_spark_answers(sessions):
    _, spark = sessions
    source = spark.dataset.describe()[0]
    assert source["engine"] == "Spark (local[2], in this process)"
    assert source["source"] == "spark:shop.orders" and source["role"] == "transactions"


@pytest.fixture(scope="module")
def connect_server(spark_store, tmp_path_factory):
    """A Spark Connect server on localhost (local[2], its own JVM) from pyspark's own jars."""
    import time

    import pyspark

    home = Path(pyspark.__file__).parent
    if not list((home / "jars").glob("spark-connect_*.jar")):
        pytest.skip("Spark Connect test skipped: this pyspark has no spark-connect jar")
    port = free_port()
    folder = tmp_path_factory.mktemp("connect")
    env = dict(os.environ, SPARK_HOME=str(home), SPARK_NO_DAEMONIZE="1", SPARK_LOG_DIR=str(folder))
    log = open(folder / "server.log", "wb")
    server = subprocess.Popen(
        [str(home / "bin" / "spark-submit"), "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
         "--master", "local[2]", "--conf", f"spark.connect.grpc.binding.port={port}",
         "--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.ui.enabled=false",
         "--conf", f"spark.sql.warehouse.dir={folder / 'warehouse'}",
         "--conf", f"spark.driver.extraJavaOptions=-Djava.io.tmpdir={folder}", "--name", "custlens-test"],
        env=env, stdout=log, stderr=log, cwd=folder)
    try:
        for _ in range(600):
            if server.poll() is not None:
                pytest.fail(f"the Spark Connect server stopped: {(folder / 'server.log').read_text()[-500:]}")
            if listening(port):
                break
            time.sleep(1)
        else:
            pytest.fail("the Spark Connect server did not listen within 10 minutes")
        yield f"sc://127.0.0.1:{port}", folder
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_same_answers_through_spark_connect(connect_server, tmp_path):
    """--engine sc://HOST:PORT: the demo's orders and customers as Parquet files the server reads,
    the same overview and RFM segments as on DuckDB."""
    url, _ = connect_server
    tables = demo.generate(customers=600, seed=7).tables
    tables["orders"].to_parquet(tmp_path / "orders.parquet")
    tables["customers"].to_parquet(tmp_path / "customers.parquet")
    remote = Session(data=[f"transactions={tmp_path / 'orders.parquet'}", f"customers={tmp_path / 'customers.parquet'}"],
                     engine=url, entry_points=False)
    local = Session(data=[f"transactions={tmp_path / 'orders.parquet'}", f"customers={tmp_path / 'customers.parquet'}"],
                    entry_points=False)
    try:
        assert remote.dataset.describe()[0]["engine"] == f"Spark Connect ({url})"
        for analysis in ("overview", "segmentation"):
            assert differences(local.run(analysis, {}), remote.run(analysis, {})) == [], analysis
        child = remote.fork()  # a conversation of its own: a new Spark Connect session
        try:
            assert differences(local.run("overview", {}), child.run("overview", {})) == []
        finally:
            child.close()
    finally:
        remote.close()
        local.close()


def test_an_answers_time_limit_stops_the_spark_query(spark_store):
    """interrupt (an answer's time limit) stops the statement running in Spark: Cancelled, not a
    Spark error; the engine answers the next question."""
    import threading

    from custlens.cancel import Cancelled

    engine, _ = spark_store
    spark = engine.fork()
    try:
        spark.register("__big", pd.DataFrame({"k": range(100_000)}))
        caught = []

        def run():
            try:
                spark.rows("SELECT count(*) FROM __big a JOIN __big b ON a.k % 3 = b.k % 3 WHERE a.k + b.k > 7")
            except Exception as exc:  # noqa: BLE001 - what it raised is the assertion
                caught.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        worker.join(8)  # running (billions of pairs): stop it
        spark.interrupt()
        worker.join(300)
        assert not worker.is_alive() and len(caught) == 1 and isinstance(caught[0], Cancelled), caught
        assert spark.rows("SELECT count(*) FROM __big") == [(100_000,)]
    finally:
        spark.close()


def test_closing_a_spark_connect_session_releases_it_on_the_server(connect_server, tmp_path):
    """Session.close on sc:// releases that conversation's Spark Connect session (before, it was
    left open on the server until its idle timeout, and pyspark retried for minutes at exit when
    the server had gone); a fork's close leaves the parent answering, and the parent's close then
    releases its own."""
    url, _ = connect_server
    demo.generate(customers=200, seed=3).tables["orders"].to_parquet(tmp_path / "orders.parquet")
    parent = Session(data=[f"transactions={tmp_path / 'orders.parquet'}"], engine=url, entry_points=False)
    child = parent.fork()
    child_spark, parent_spark = child.dataset.engine.spark, parent.dataset.engine.spark
    assert child_spark is not parent_spark
    child.close()
    assert child_spark.is_stopped and not parent_spark.is_stopped
    local = Session(data=[f"transactions={tmp_path / 'orders.parquet'}"], entry_points=False)
    try:  # the parent still answers, as DuckDB does on the same file
        assert differences(local.run("overview", {}), parent.run("overview", {})) == []
    finally:
        local.close()
    parent.close()
    assert parent_spark.is_stopped
    parent.close()  # twice: no error


def test_rfm_in_spark_bounded_and_a_workbook_beside_its_tables(spark_store, sessions, monkeypatch, tmp_path):
    """On Spark as on PostgreSQL: RFM keeps every customer's scores and the saved segments in the
    engine (it answers with a bound below the number of customers, as DuckDB does); past the bound
    an answer stops with one line; a file Spark does not read itself (a workbook) beside its
    tables is loaded into it, so the joins run there."""
    _, store = spark_store
    duck, spark = sessions
    n = store.tables["customers"]["customer_id"].nunique()
    spark.run("overview", {})  # the data's distinct values (filters) are read once, before the bound
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", str(n - 1))
    expected, got = duck.run("segmentation", {}), spark.run("segmentation", {})
    assert differences(expected, got) == []
    assert not got.table("customers").complete and got.table("customers").total_rows == n
    assert got.provenance.engine.startswith("Spark (local") and 0 < got.provenance.rows_collected < n
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", "100")
    with pytest.raises(EngineError, match=r"^overview: the Spark engine would send [\d,]+ rows to this machine, "
                                          r"more than the bound of 100 \(CUSTLENS_ENGINE_MAX_ROWS\)"):
        spark.run("overview", {"by": ["period"], "grain": "day"})  # a row per day
    monkeypatch.delenv("CUSTLENS_ENGINE_MAX_ROWS")
    store.tables["customers"].to_excel(tmp_path / "customers.xlsx", index=False)
    mixed = Session(data=["transactions=spark:shop.orders", str(tmp_path / "customers.xlsx")], engine="spark",
                    entry_points=False)
    files = Session(data=["transactions=spark:shop.orders", "customers=spark:shop.customers"], engine="spark",
                    entry_points=False)
    try:
        book = next(s for s in mixed.dataset.describe() if s["source"].startswith("customers.xlsx"))
        assert book["role"] == "customers" and any("loaded into Spark" in d for d in book["derived"])
        params = {"by": ["gender"]}
        assert differences(files.run("overview", dict(params)), mixed.run("overview", dict(params))) == []
    finally:
        mixed.close()
        files.close()


#: one case of each per-customer analysis of test_engines.BOUNDED (Spark is slow to start each query)
SPARK_BOUNDED = [c for i, c in enumerate(BOUNDED) if c[0] not in [b[0] for b in BOUNDED[:i]]]


@pytest.mark.parametrize("analysis,params,share", SPARK_BOUNDED,
                         ids=[f"{a}-{i}" for i, (a, _, _) in enumerate(SPARK_BOUNDED)])
def test_per_customer_analyses_stay_in_spark(spark_store, sessions, monkeypatch, analysis, params, share):
    """As on PostgreSQL (test_engines.test_per_customer_analyses_stay_in_the_engine): with the bound
    below the number of customers, CLV, loyalty, profitability, attribute segmentation and churn
    answer on Spark with DuckDB's tables and fewer rows collected than the bound."""
    _, store = spark_store
    duck, spark = sessions
    n = store.tables["customers"]["customer_id"].nunique()
    spark.run("overview", {})  # the data's distinct values (filters) are read once, before the bound
    bound = int(n * share)
    params = dict(params, top=9)  # not a question asked before in these sessions (answers are reused)
    expected = duck.run(analysis, dict(params))
    monkeypatch.setenv("CUSTLENS_ENGINE_MAX_ROWS", str(bound))
    got = spark.run(analysis, dict(params))
    if analysis == "segmentation":  # the canvas's text rounds a mean spend on a .xx5 boundary apart
        for a in (expected, got):
            a.tables = [t for t in a.tables if t.name != "canvas"]
    assert differences(expected, got) == []
    assert 0 < got.provenance.rows_collected < bound < n and got.provenance.sampled
