"""The Spark engine: the analyses' SQL runs in Apache Spark (``--engine spark``, an in-process
local Spark; ``--engine sc://HOST:PORT``, Spark Connect to a cluster).

The SQL is translated from DuckDB's dialect by SQLGlot (``write="spark"``) plus the rewrites of
:class:`custlens.engines.SQLGlotEngine` shared with PostgreSQL and the few below that are Spark's
own. Spark has temporary views but no temporary tables: a ``CREATE TABLE x AS SELECT`` becomes the
select computed once (``localCheckpoint``) and kept as the temporary view ``x``, so nothing is ever
written to a catalog the user owns. Results come back through Arrow and DuckDB's pandas conversion,
typed as the embedded engine gives them.

Nothing here is imported unless a Spark engine is chosen (``open_engine``).
"""

from __future__ import annotations

import atexit
import functools
import itertools
import os
import re
import shutil
import tempfile
import threading
import warnings

from .engines import EngineError, SQLGlotEngine

#: Spark's type names -> DuckDB's (what column_sql and the analyses read)
_SPARK_TYPES = {"string": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER", "smallint": "SMALLINT",
                "tinyint": "TINYINT", "double": "DOUBLE", "float": "FLOAT", "boolean": "BOOLEAN", "date": "DATE",
                "timestamp": "TIMESTAMP", "timestamp_ntz": "TIMESTAMP", "void": "VARCHAR", "binary": "BLOB"}

_LOG4J = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""

#: how Spark says a statement was interrupted (``interrupt``: an answer's time limit)
_CANCELLED = re.compile(r"OPERATION_CANCELED|INTERRUPTED|\bcancell?ed\b", re.I)

_local_lock = threading.Lock()
_local_dir: str | None = None


def _scratch() -> str:
    """One temporary folder per process for the local Spark's warehouse, spill files and logs
    configuration, removed when the process ends."""
    global _local_dir
    if _local_dir is None:
        _local_dir = tempfile.mkdtemp(prefix="custlens-spark-")
        atexit.register(shutil.rmtree, _local_dir, True)
        with open(os.path.join(_local_dir, "log4j2.properties"), "w", encoding="utf-8") as f:
            f.write(_LOG4J)
    return _local_dir


def _first_line(exc: BaseException) -> str:
    """The useful line of a Spark error: its own message without the JVM stack or the SQL
    context Spark appends (a gRPC error of Spark Connect: its details)."""
    cause, details = exc, None
    while cause is not None and details is None:
        got = getattr(cause, "details", None)
        details = got() if callable(got) else None
        cause = cause.__cause__ or cause.__context__
    text = str(details or getattr(exc, "getMessage", lambda: None)() or exc)
    text = text.strip()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("==", "JVM stacktrace", "at ")):
            return re.sub(r"\s*SQLSTATE: \w+", "", line)[:300]
    return type(exc).__name__


class _LostJVM:
    """Drops py4j's "Exception while sending command." (with its stack) when the JVM has gone."""

    @staticmethod
    def filter(record) -> bool:
        return not str(record.msg).startswith("Exception while sending command")


def _quiet() -> None:
    """Spark's Python side logs every failed statement with its JVM stack: custlens says the
    failure itself, in one line."""
    from pyspark.logger import PySparkLogger

    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).disabled = True
    import logging

    logging.getLogger("py4j").setLevel(logging.CRITICAL)  # a lost JVM's stack: said in one line (local_stopped)
    if not any(isinstance(f, _LostJVM) for f in logging.getLogger().filters):
        logging.getLogger().addFilter(_LostJVM())  # py4j logs that one on the root logger
    warnings.filterwarnings("ignore", message=".*PySpark does not yet fully support pandas.*")


#: the local Spark's JVM heap when CUSTLENS_SPARK_DRIVER_MEMORY does not say: 4g, or half of this
#: machine's memory when that is less (at least 1g, Spark's own default)
DEFAULT_DRIVER_MEMORY_MB = 4096


def driver_memory() -> str:
    """The heap of the local Spark's JVM (``spark.driver.memory``; in local mode the executors run in
    it too): ``CUSTLENS_SPARK_DRIVER_MEMORY`` (``8g``, ``512m``...), else 4g or half of this
    machine's memory if less. It holds Spark's working memory (joins, sorts and aggregates spill past
    it) and a result on its way back, up to ``CUSTLENS_ENGINE_MAX_ROWS`` rows. Under load the JVM
    grows to about the heap plus its own overhead before it collects (a 10M-line RFM: 4.8 GB
    resident with 4g). Spark's own default, 1g, is tight for a million-row result."""
    given = os.environ.get("CUSTLENS_SPARK_DRIVER_MEMORY", "").strip().lower()
    if not given:
        try:
            half = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**21
        except (ValueError, OSError, AttributeError):  # not known here: the default as it is
            half = DEFAULT_DRIVER_MEMORY_MB
        return f"{max(1024, min(DEFAULT_DRIVER_MEMORY_MB, half))}m"
    if not re.fullmatch(r"\d+[kmgt]?", given) or re.fullmatch(r"0+[kmgt]?", given):
        raise EngineError(f"CUSTLENS_SPARK_DRIVER_MEMORY must be a size such as 4g or 512m; it is "
                          f"{os.environ['CUSTLENS_SPARK_DRIVER_MEMORY']!r}.")
    return given


def local_stopped(lost: bool = False) -> str | None:
    """Why the local Spark's JVM of this process has stopped (one line saying what to do), or None
    while it runs (or none was started). Out of memory it exits (``-XX:+ExitOnOutOfMemoryError``).
    ``lost``: the connection to it was just lost, so it is given a few seconds to finish exiting."""
    import subprocess

    from pyspark import SparkContext

    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None)
    if SparkContext._active_spark_context is None or proc is None:
        return None
    if lost:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    if proc.poll() is None:
        return None
    log = os.path.join(_scratch(), "spark.log")
    try:
        with open(log, "rb") as f:
            f.seek(max(0, os.path.getsize(log) - 20000))
            tail = f.read().decode("utf-8", "replace")
    except OSError:
        tail = ""
    if "OutOfMemoryError" in tail:
        return (f"the local Spark ran out of memory and stopped (its heap: {driver_memory()}). Give it more with "
                "CUSTLENS_SPARK_DRIVER_MEMORY (e.g. 8g) or narrow the question with a filter or a period, then "
                "start custlens again.")
    return (f"the local Spark stopped (its JVM exited with code {proc.returncode}; its log: {log}). Start custlens "
            "again.")


def local_session():
    """The in-process local Spark (local[2], 4 shuffle partitions, UTC, ``driver_memory()`` of heap,
    its temporary files and logs in a folder of its own): created once per process, shared by every
    engine. The JVM's output goes to ``spark.log`` in that folder, never to the terminal."""
    try:
        from pyspark import SparkConf, SparkContext
        from pyspark.java_gateway import launch_gateway
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("the Spark engine needs the pyspark package: pip install 'custlens[spark]' "
                          "(and Java 17 or newer).") from None
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        raise EngineError("the Spark engine needs Java 17 or newer (java is not on PATH and JAVA_HOME is not set).")
    memory = driver_memory()
    stopped = local_stopped()  # before SparkConf(), which asks the JVM of this process when there is one
    if stopped:
        raise EngineError(stopped)
    _quiet()
    scratch = _scratch()
    java = (f"-Djava.io.tmpdir={scratch} -Duser.timezone=UTC -Dderby.system.home={scratch} "
            f"-Dlog4j2.configurationFile=file:{scratch}/log4j2.properties")
    # out of memory, the JVM exits (said by local_stopped) instead of going on without the thread that
    # ran out (an OutOfMemoryError in Spark's scheduler left the answer waiting for ever)
    driver_java = java + " -XX:+ExitOnOutOfMemoryError"
    conf = (SparkConf().setMaster(os.environ.get("CUSTLENS_SPARK_MASTER", "local[2]")).setAppName("custlens")
            .set("spark.sql.shuffle.partitions", "4")
            .set("spark.default.parallelism", "2")
            .set("spark.driver.memory", memory)
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false")
            .set("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
            .set("spark.local.dir", os.path.join(scratch, "local"))
            .set("spark.driver.extraJavaOptions", driver_java)
            .set("spark.executor.extraJavaOptions", java))
    with _local_lock:
        try:
            if SparkContext._active_spark_context is None:
                log = open(os.path.join(scratch, "spark.log"), "ab")  # noqa: SIM115 - the JVM's, for its life
                SparkContext(conf=conf, gateway=launch_gateway(conf, popen_kwargs={"stdout": log, "stderr": log}))
            spark = SparkSession.builder.config(conf=conf).getOrCreate()
        except Exception as exc:  # noqa: BLE001 - a JVM that does not start is one line
            raise EngineError(f"cannot start the local Spark: {_first_line(exc)}. Check Java 17+ and pyspark "
                              f"(its log: {scratch}/spark.log).") from None
        spark.sparkContext.setLogLevel("ERROR")
    return spark


#: the Spark Connect sessions that set pyspark's process-wide SPARK_CONNECT_MODE_ENABLED (it was not
#: set before them): the variable goes when the last of them is released
_CONNECT_MARKED: set[int] = set()


def connect_session(url: str):
    """A Spark Connect session to ``sc://HOST:PORT``: one line when it cannot be reached."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("the Spark engine needs the pyspark package: pip install 'custlens[spark]'.") from None
    _quiet()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "retries exceeded": said in the one line below
        spark = None
        try:
            from pyspark.sql.connect.client.retries import DefaultPolicy

            preset = "SPARK_CONNECT_MODE_ENABLED" in os.environ
            spark = SparkSession.builder.remote(url).create()
            if not preset:  # pyspark marks the whole process as Spark Connect: undone when the last one closes
                _CONNECT_MARKED.add(id(spark))
            # Spark Connect connects lazily, retrying for ten minutes: reach it now, giving up in seconds
            spark.client.set_retry_policies([DefaultPolicy(max_retries=3, max_backoff=2000)])
            spark.sql("SELECT 1").collect()
            spark.client.set_retry_policies([DefaultPolicy()])  # once there, a busy cluster is waited for
        except ImportError as exc:
            raise EngineError(f"Spark Connect ({url}) needs the {exc.name} package: pip install 'custlens[spark]'."
                              ) from None
        except Exception as exc:  # noqa: BLE001 - every way to fail to connect is one line for the user
            if spark is not None:
                try:
                    spark.stop()  # now, quietly: not with retries and a warning when the process ends
                except Exception:  # noqa: BLE001
                    pass
                _CONNECT_MARKED.discard(id(spark))
                if not _CONNECT_MARKED and not preset:
                    os.environ.pop("SPARK_CONNECT_MODE_ENABLED", None)
            raise EngineError(f"cannot connect to Spark Connect at {url}: {_first_line(exc)}. Check the host and port "
                              "of --engine and that the Spark Connect server runs.") from None
    return spark


class SparkEngine(SQLGlotEngine):
    """Queries run in Spark: ``spec`` is "spark" (the local in-process Spark) or ``sc://HOST:PORT``.
    Each engine has a Spark session of its own (``newSession``: its own temporary views, the same
    cluster and catalog), so forks answer alone. Sources are catalog tables (``spark:DB.TABLE``)
    and Parquet/CSV paths Spark reads (``read``)."""

    name = "spark"
    dialect = "spark"
    title = "Spark engine"
    temporary_only = True  # what custlens creates are the session's temporary views
    table_prefix = "spark:"

    def __init__(self, spec: str = "spark", spark=None):
        try:
            import sqlglot  # noqa: F401 - used by translate
        except ImportError:
            raise EngineError("the Spark engine needs the sqlglot package: pip install 'custlens[spark]'.") from None
        self.spec = spec
        if spark is None:  # a session of its own: the local Spark's newSession, a new Spark Connect session
            spark = local_session().newSession() if spec == "spark" else connect_session(spec)
        self.spark = spark
        self.spark.conf.set("spark.sql.session.timeZone", "UTC")
        self.spark.conf.set("spark.sql.timestampType", "TIMESTAMP_NTZ")  # naive timestamps, as DuckDB's
        self.spark.conf.set("spark.sql.ansi.enabled", "false")  # x / 0 and a failed cast are NULL, as in DuckDB
        self.spark.conf.set("spark.sql.legacy.timeParserPolicy", "CORRECTED")  # a date that does not parse is NULL
        self.spark.conf.set("spark.sql.shuffle.partitions", "4")
        self.spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
        self.label = ("Spark (local[2], in this process)" if spec == "spark" else f"Spark Connect ({spec})")
        self._names = itertools.count(1)
        self._local = None
        self._tables: set[str] = set()

    # ------------------------------------------------------------------ translation
    @functools.lru_cache(maxsize=4096)
    def translate(self, sql: str) -> tuple[tuple[str, str], ...]:
        """DuckDB SQL -> what runs in Spark: ("sql", statement) with ``?`` markers, ("table", name,
        select) for a table (a checkpointed temporary view) or ("drop", name) for dropping one."""
        import sqlglot
        from sqlglot import exp

        out: list[tuple] = []
        for tree in sqlglot.parse(sql, read="duckdb"):
            if tree is None:
                continue
            if isinstance(tree, exp.Drop) and (tree.args.get("kind") or "").upper() in ("TABLE", "VIEW"):
                for table in tree.args.get("tables") or [tree.this]:
                    out.append(("drop", table.name))
                continue
            if isinstance(tree, exp.Create) and (tree.args.get("kind") or "").upper() in ("TABLE", "VIEW"):
                target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
                body = tree.expression
                if body is None:
                    raise EngineError(f"{self.title}: CREATE {tree.args.get('kind')} without AS SELECT is not "
                                      "supported; register a frame instead.")
                select = self._walk_rewrite(body).sql(dialect="spark")
                if tree.args["kind"].upper() == "TABLE":
                    out.append(("table", target.name, select))
                else:
                    out.append(("sql", f"CREATE OR REPLACE TEMPORARY VIEW `{target.name}` AS {select}"))
                continue
            out.append(("sql", self._walk_rewrite(tree).sql(dialect="spark")))
        return tuple(out)

    def _rewrite(self, node):
        from sqlglot import exp

        if isinstance(node, exp.Subquery) and not node.alias and isinstance(node.parent, (exp.From, exp.Join)):
            node.set("alias", exp.TableAlias(this=exp.to_identifier(f"_q{next(self._names)}")))
            return node
        if isinstance(node, exp.Table) and node.args.get("db") and node.db.lower() == "temp":
            node.set("db", None)  # DuckDB's temp.NAME: a temporary view here
            return node
        if isinstance(node, exp.AnyValue):
            # DuckDB's any_value skips NULLs; Spark's first(x, true) does too
            return exp.Anonymous(this="first", expressions=[node.this, exp.true()])
        if isinstance(node, exp.IgnoreNulls) and isinstance(node.this, exp.Anonymous) and \
                node.this.name.lower() == "first":
            return node.this
        if isinstance(node, exp.CTE) and node.args.get("materialized") is not None:
            node.set("materialized", None)  # a hint Spark has no syntax for (it plans CTEs itself)
            return node
        if isinstance(node, exp.PercentileCont) and not isinstance(node.parent, exp.WithinGroup):
            # DuckDB's quantile_cont(x, q): Spark's exact percentile interpolates the same way
            return exp.Anonymous(this="percentile", expressions=[node.this, node.expression])
        if isinstance(node, exp.PercentileDisc) and not isinstance(node.parent, exp.WithinGroup):
            qs = node.expression.expressions if isinstance(node.expression, exp.Array) else [node.expression]
            calls = [exp.WithinGroup(this=exp.Anonymous(this="percentile_disc", expressions=[q.copy()]),
                                     expression=exp.Order(expressions=[exp.Ordered(this=node.this.copy())]))
                     for q in qs]
            return exp.Array(expressions=calls) if isinstance(node.expression, exp.Array) else calls[0]
        if isinstance(node, exp.DateDiff):
            return self._date_diff(node)
        if isinstance(node, exp.Window) and node.args.get("order") is None and node.args.get("alias") is None \
                and node.args.get("over") is not None and isinstance(
                node.this, (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile, exp.Lag, exp.Lead, exp.PercentRank,
                            exp.CumeDist)):
            # DuckDB numbers rows in any order (OVER ()); Spark wants an ORDER BY, any will do
            node.set("order", exp.Order(expressions=[exp.Ordered(this=exp.null())]))
            return node
        if isinstance(node, exp.Anonymous) or isinstance(node, exp.Func):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).upper()
            args = node.expressions if isinstance(node, exp.Anonymous) else \
                [a for a in node.args.values() if isinstance(a, exp.Expression)]
            if name in ("TRY_STRPTIME", "STRPTIME") and len(args) == 2:
                # to_timestamp is NULL where the text does not parse (ANSI off); a list of formats
                # is the first that parses
                formats = args[1].expressions if isinstance(args[1], exp.Array) else [args[1]]
                tries = [self._two_digit_years(exp.StrToTime(this=args[0].copy(), format=f.copy()), f)
                         for f in formats]
                return tries[0] if len(tries) == 1 else exp.Coalesce(this=tries[0], expressions=tries[1:])
            if name == "REGEXP_SPLIT_TO_ARRAY" and len(args) == 2:
                return exp.RegexpSplit(this=args[0], expression=args[1])  # Spark's split takes a regex
            position = {"TO_YEARS": 0, "TO_MONTHS": 1, "TO_WEEKS": 2, "TO_DAYS": 3}.get(name)
            if position is not None and len(args) == 1:
                parts = [exp.Literal.number(0)] * position + [args[0]]
                return exp.Anonymous(this="make_interval", expressions=parts)
        return super()._rewrite(node)

    @staticmethod
    def _two_digit_years(read, fmt):
        """A format with a two-digit year (%y) read as DuckDB reads it: Spark's yy is 2000-2099,
        DuckDB's 1969-2068 (97 is 1997)."""
        import sqlglot
        from sqlglot import exp

        from .engines import PIVOT

        if not (isinstance(fmt, exp.Literal) and "%y" in fmt.this):
            return read
        x = read.sql(dialect="spark")
        return sqlglot.parse_one(f"CASE WHEN year({x}) >= {PIVOT} THEN {x} - INTERVAL 100 YEARS ELSE {x} END",
                                 read="spark")

    @staticmethod
    def _date_diff(node):
        """DuckDB's date_diff counts the boundaries of its unit between two dates (months of the
        calendar, days of the date), Spark's the whole units elapsed: spelled out as DuckDB counts."""
        import sqlglot

        unit = (node.args.get("unit").name if node.args.get("unit") is not None else "day").lower().rstrip("s")
        end, start = node.this.sql(dialect="spark"), node.expression.sql(dialect="spark")
        days = f"DATEDIFF(CAST({end} AS DATE), CAST({start} AS DATE))"
        spelled = {
            "day": days,
            "week": f"CAST({days} / 7 AS BIGINT)",
            "month": f"((YEAR({end}) - YEAR({start})) * 12 + MONTH({end}) - MONTH({start}))",
            "quarter": f"((YEAR({end}) - YEAR({start})) * 4 + QUARTER({end}) - QUARTER({start}))",
            "year": f"(YEAR({end}) - YEAR({start}))",
        }.get(unit)
        if spelled is None:
            return node
        return sqlglot.parse_one(spelled, read="spark")

    # ------------------------------------------------------------------ running
    def _sql(self, statement: str, params):
        from .cancel import Cancelled

        try:
            return self.spark.sql(statement, args=params) if params else self.spark.sql(statement)
        except Exception as exc:  # noqa: BLE001 - Spark's analysis and runtime errors are one line
            self._check_stopped(exc)
            if _CANCELLED.search(str(exc)[:5000]):
                raise Cancelled("the answer was stopped") from None
            raise EngineError(f"{self.label}: {_first_line(exc)} (in: {' '.join(statement.split())[:200]})"
                              ) from None

    def _check_stopped(self, exc: BaseException) -> None:
        """After a failure: when the local Spark's JVM has stopped (out of memory), that is the one line."""
        if self.spec != "spark":
            return
        from py4j.protocol import Py4JError, Py4JJavaError

        lost = isinstance(exc, (ConnectionError, EOFError)) or (isinstance(exc, Py4JError)
                                                                and not isinstance(exc, Py4JJavaError))
        stopped = local_stopped(lost)
        if stopped:
            raise EngineError(f"{self.label}: {stopped}") from None

    def _run(self, sql: str, params):
        """Run the translation of ``sql``; the DataFrame of its last statement (None for DDL)."""
        values = [self._value(v) for v in (params or [])] or None
        result = None
        steps = self.translate(sql)
        for i, step in enumerate(steps):
            bound = values if i == len(steps) - 1 else None
            if step[0] == "drop":
                self._drop(step[1])
                result = None
            elif step[0] == "table":
                frame = self._sql(step[2], bound)
                try:
                    frame = frame.localCheckpoint(eager=True)  # computed once, as a table is
                except Exception as exc:  # noqa: BLE001
                    self._check_stopped(exc)
                    raise EngineError(f"{self.label}: {_first_line(exc)} (in: {' '.join(step[2].split())[:200]})"
                                      ) from None
                frame.createOrReplaceTempView(step[1])
                self._tables.add(step[1])
                result = None
            else:
                result = self._sql(step[1], bound)  # DDL (a view) runs as spark.sql returns
                if step[1].startswith("CREATE "):
                    result = None
        return result

    def _drop(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        self._tables.discard(name)

    def _arrow(self, frame):
        """The DataFrame's rows as an Arrow table as DuckDB types them: decimals as doubles (or
        integers without a fraction), timestamps naive UTC; at most ``max_rows()`` of them (past it:
        ``TooManyRows``). Failures while computing it (not only while planning) are one line too."""
        import pyarrow as pa

        from .cancel import Cancelled
        from .engines import max_rows

        try:
            table = frame.limit(max_rows() + 1).toArrow()
            self._bounded(table.num_rows, frame.count)
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001
            self._check_stopped(exc)
            if _CANCELLED.search(str(exc)[:5000]):
                raise Cancelled("the answer was stopped") from None
            raise EngineError(f"{self.label}: {_first_line(exc)}") from None
        columns = []
        for col in table.columns:
            kind = col.type
            if pa.types.is_decimal(kind):
                col = col.cast(pa.int64()) if kind.scale == 0 and kind.precision <= 18 else col.cast(pa.float64())
            elif pa.types.is_timestamp(kind) and kind.tz is not None:
                col = col.cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
            elif pa.types.is_null(kind):
                col = col.cast(pa.string())
            columns.append(col)
        return pa.Table.from_arrays(columns, names=table.column_names)

    def execute(self, sql, params=None):
        self._run(sql, params)

    def rows(self, sql, params=None):
        frame = self._run(sql, params)
        if frame is None:
            return []
        table = self._arrow(frame)
        return [tuple(r) for r in self.local.from_arrow(table).fetchall()] if table.num_columns else []

    def frame(self, sql, params=None):
        import pandas as pd

        frame = self._run(sql, params)
        if frame is None:
            return pd.DataFrame()
        table = self._arrow(frame)
        return self.local.from_arrow(table).df() if table.num_columns else pd.DataFrame()

    def register(self, name, frame):
        """The pandas frame as the temporary view ``name`` (typed as DuckDB reads it: through Arrow)."""
        table = self.local.from_df(frame).to_arrow_table() if len(frame.columns) else None
        if table is None:
            raise EngineError(f"{self.title}: cannot load a frame without columns as {name!r}.")
        import pyarrow as pa

        cols = []
        for col in table.columns:  # Spark reads naive timestamps in microseconds and no null columns
            if pa.types.is_timestamp(col.type):
                col = col.cast(pa.timestamp("us"))
            elif pa.types.is_null(col.type):
                col = col.cast(pa.string())
            cols.append(col)
        table = pa.Table.from_arrays(cols, names=table.column_names)
        self.spark.createDataFrame(table).createOrReplaceTempView(name)

    def unregister(self, name):
        self._drop(name)

    def describe(self, relation):
        frame = self._run(f"SELECT * FROM {relation} LIMIT 0", None)
        return {f.name: self._type(f.dataType.simpleString()) for f in frame.schema.fields}

    @staticmethod
    def _type(simple: str) -> str:
        if simple.startswith("decimal"):
            return simple.upper()
        return _SPARK_TYPES.get(simple, "VARCHAR" if not simple.startswith(("array", "map", "struct")) else
                                simple.upper())

    def fork(self):
        return SparkEngine(self.spec, spark=self.spark.newSession() if self.spec == "spark" else None)

    def interrupt(self):
        try:
            self.spark.interruptAll()  # this engine's session only: other conversations go on
        except Exception:  # noqa: BLE001 - nothing running
            pass

    def close(self):
        for name in list(self._tables):
            try:
                self._drop(name)
            except Exception:  # noqa: BLE001 - the session may be gone
                pass
        if self._local is not None:
            self._local.close()
        if self.spec != "spark":
            self._release()
        if id(self.spark) in _CONNECT_MARKED:
            _CONNECT_MARKED.discard(id(self.spark))
            if not _CONNECT_MARKED:
                # left set, a local Spark in the same process takes Spark Connect's code paths and fails
                # ("Argument `col` should be Column or str, got Column")
                os.environ.pop("SPARK_CONNECT_MODE_ENABLED", None)

    def _release(self) -> None:
        """A Spark Connect session ends with its engine: released on the server (its views and
        state freed, not held until the server's idle timeout for every closed conversation) and
        its channel closed, giving up in seconds when the server is gone (pyspark would otherwise
        retry for minutes, also at the process's exit)."""
        if getattr(self.spark, "is_stopped", True):
            return
        try:
            from pyspark.sql.connect.client.retries import DefaultPolicy

            self.spark.client.set_retry_policies([DefaultPolicy(max_retries=1, max_backoff=500)])
        except Exception:  # noqa: BLE001 - an older pyspark: stop with its own retries
            pass
        try:
            self.spark.stop()
        except Exception:  # noqa: BLE001 - the server may be gone: nothing left to release
            pass

    # ------------------------------------------------------------------ sources
    def table_exists(self, db: str | None, table: str) -> bool:
        try:
            name = f"`{db}`.`{table}`" if db else f"`{table}`"
            return bool(self.spark.catalog.tableExists(name))
        except Exception:  # noqa: BLE001 - no such database
            return False

    def table_sql(self, parts: list[str]) -> str:
        return ".".join(f"`{p}`" for p in parts)

    def read(self, path: str, view: str) -> None:
        """Parquet or CSV files Spark reads (a path, folder or glob; local, hdfs://, s3a:// as
        the cluster is configured) as the temporary view ``view``."""
        lower = path.lower().rstrip("/")
        try:
            if lower.endswith((".csv", ".tsv", ".txt", ".csv.gz")):
                frame = (self.spark.read.option("header", True).option("inferSchema", True)
                         .option("sep", "\t" if lower.endswith(".tsv") else ",").csv(path))
            else:
                frame = self.spark.read.parquet(path)
            frame.createOrReplaceTempView(view)
        except Exception as exc:  # noqa: BLE001 - a missing path or unreadable file is one line
            raise EngineError(f"--data {path}: {self.label} cannot read it: {_first_line(exc)}") from None
