"""Where the SQL runs: one interface over the engines that answer (DuckDB, PostgreSQL, Spark).

Every statement of every analysis passes one :class:`Engine` (``Dataset.engine``): the analyses
and the kit write one SQL, in DuckDB's dialect, and an engine that speaks another dialect
translates it here, and only here (:meth:`PostgresEngine.translate`, SQLGlot plus the few rewrites
SQLGlot leaves to the caller). What an engine gives back is engine-neutral: rows as Python tuples
(numbers as ``int``/``float``), frames as DuckDB's own pandas conversion would make them, column
types in DuckDB's names (``VARCHAR``, ``DOUBLE``, ``TIMESTAMP``...), so the code above reads them
the same way whichever engine answered.

DuckDB is the default and costs nothing to choose: this module imports neither SQLGlot nor
psycopg until a PostgreSQL engine is opened (``open_engine``).

    engine = open_engine("postgresql://analyst@db.example.com:5432/shop")
    engine.frame("SELECT country, sum(amount) FROM transactions GROUP BY 1")
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any, Iterable

from .errors import DataError
from .sql import qi


class EngineError(DataError):
    """An engine cannot be reached or used (wrong address, credentials, a missing table): one line
    saying which engine and what to do, never a traceback."""


#: the most rows one query of an engine other than DuckDB may send back to this machine
DEFAULT_MAX_ROWS = 1_000_000


def max_rows() -> int:
    """The bound on one result of a remote engine: ``CUSTLENS_ENGINE_MAX_ROWS``, else 1,000,000."""
    import os

    given = os.environ.get("CUSTLENS_ENGINE_MAX_ROWS", "").strip().replace("_", "").replace(",", "")
    if not given:
        return DEFAULT_MAX_ROWS
    if not given.isdecimal() or int(given) < 1:
        raise EngineError(f"CUSTLENS_ENGINE_MAX_ROWS must be a whole number of rows such as 5000000; it is "
                          f"{os.environ['CUSTLENS_ENGINE_MAX_ROWS']!r}.")
    return int(given)


class TooManyRows(EngineError):
    """A query of a remote engine would bring back more rows than ``max_rows()``: stopped before
    they are collected, with one line saying which analysis, how many rows and what to do."""

    def __init__(self, engine: str, rows: int | None, limit: int, analysis: str | None = None):
        self.engine, self.rows, self.limit, self.analysis = engine, rows, limit, analysis
        super().__init__(self._text())

    def _text(self) -> str:
        many = f"{self.rows:,} rows" if self.rows is not None else f"more than {self.limit:,} rows"
        who = f"{self.analysis}: " if self.analysis else ""
        more = max(self.limit * 10, (self.rows or 0) + 1)
        return (f"{who}the {self.engine} would send {many} to this machine, more than the bound of {self.limit:,} "
                f"(CUSTLENS_ENGINE_MAX_ROWS). Narrow the question with a filter or a period, or raise the bound "
                f"(e.g. CUSTLENS_ENGINE_MAX_ROWS={more}).")

    def during(self, analysis: str) -> "TooManyRows":
        """The same stop named after the analysis that ran the query (the innermost one)."""
        return self if self.analysis else TooManyRows(self.engine, self.rows, self.limit, analysis)


class Engine:
    """What custlens needs of a SQL engine. SQL comes in DuckDB's dialect with ``?`` parameters."""

    #: rows this engine has sent back to the driver since it opened (what answers' provenance counts)
    collected = 0

    #: a short name ("duckdb", "postgresql") and what ``describe`` shows (no password)
    name = "engine"
    label = "engine"

    def execute(self, sql: str, params: Iterable[Any] | None = None) -> None:
        """Run a statement whose result is not read (DDL: views, temporary tables, drops)."""
        raise NotImplementedError

    def rows(self, sql: str, params: Iterable[Any] | None = None) -> list[tuple]:
        """The result's rows as tuples of plain Python values."""
        raise NotImplementedError

    def frame(self, sql: str, params: Iterable[Any] | None = None):
        """The result as a pandas DataFrame."""
        raise NotImplementedError

    def arrow_frame(self, sql: str, params: Iterable[Any] | None = None):
        """``frame`` fetched through Arrow where the engine gains from it (the same frame)."""
        return self.frame(sql, params)

    def numpy(self, sql: str, params: Iterable[Any] | None = None) -> dict:
        """The result as a dict of numpy arrays, one per column."""
        df = self.frame(sql, params)
        return {c: df[c].to_numpy() for c in df.columns}

    def register(self, name: str, frame) -> None:
        """Make a pandas frame queryable as the relation ``name`` until ``unregister``."""
        raise NotImplementedError

    def unregister(self, name: str) -> None:
        raise NotImplementedError

    def describe(self, relation: str) -> dict[str, str]:
        """Column name -> type (DuckDB's type names) of a table, view or registered frame."""
        raise NotImplementedError

    def fork(self) -> "Engine":
        """An engine of its own for another conversation over the same data (queries in parallel)."""
        raise NotImplementedError

    def interrupt(self) -> None:
        """Stop the statement running now (an answer's time limit)."""

    def close(self) -> None:
        raise NotImplementedError

    #: whether tables this engine creates are the session's own (dropped with its connection):
    #: True for engines on someone else's database, where custlens never leaves anything behind
    temporary_only = False
    #: how --data names a table of this engine's own catalog ("pg:", "spark:"); "" for none
    table_prefix = ""


class DuckDBEngine(Engine):
    """The embedded DuckDB: the default. ``con`` is the DuckDB connection (connectors read files
    into it); statements run as they are written."""

    name = "duckdb"
    label = "DuckDB (embedded, in this process)"

    def __init__(self, con=None):
        import duckdb

        self.con = con if con is not None else duckdb.connect()
        self.con.execute("SET TimeZone='UTC'")
        self.con.execute("SET enable_progress_bar=false")  # answers and JSON own stdout

    def _params(self, params):
        return list(params) if params is not None else None

    def execute(self, sql, params=None):
        self.con.execute(sql, self._params(params))

    def rows(self, sql, params=None):
        return self.con.execute(sql, self._params(params)).fetchall()

    def frame(self, sql, params=None):
        return self.con.execute(sql, self._params(params)).df()

    def arrow_frame(self, sql, params=None):
        """A million customers in ~0.13 s instead of ~0.4 s (the text ids). The frame is the same
        as ``frame`` gives for text, doubles, timestamps and integers without NULLs; integers with
        NULLs go through DuckDB's own conversion, which keeps them as nullable integers where
        Arrow would make them floats."""
        import pyarrow as pa

        table = self.con.sql(sql, params=self._params(params)).to_arrow_table()
        if any(pa.types.is_integer(c.type) and c.null_count for c in table.columns):
            return self.con.from_arrow(table).df()
        return table.to_pandas()

    def numpy(self, sql, params=None):
        return self.con.execute(sql, self._params(params)).fetchnumpy()

    def register(self, name, frame):
        self.con.register(name, frame)

    def unregister(self, name):
        self.con.unregister(name)

    def describe(self, relation):
        return {r[0]: r[1] for r in self.con.execute(f"DESCRIBE {relation}").fetchall()}

    def fork(self):
        child = DuckDBEngine.__new__(DuckDBEngine)
        child.con = self.con.cursor()  # the same database, a connection of its own
        return child

    def interrupt(self):
        self.con.interrupt()

    def close(self):
        self.con.close()


# --------------------------------------------------------------------------- PostgreSQL

#: PostgreSQL type OIDs -> DuckDB's type names (what column_sql and the analyses read)
_PG_TYPES = {16: "BOOLEAN", 20: "BIGINT", 21: "SMALLINT", 23: "INTEGER", 26: "BIGINT", 700: "FLOAT",
             701: "DOUBLE", 1700: "DECIMAL", 25: "VARCHAR", 1043: "VARCHAR", 1042: "VARCHAR", 19: "VARCHAR",
             18: "VARCHAR", 1082: "DATE", 1114: "TIMESTAMP", 1184: "TIMESTAMP WITH TIME ZONE", 1083: "TIME",
             1186: "INTERVAL", 2950: "UUID"}
_PARAM = "__custlens_param__"


def _pg(sql: str):
    import sqlglot

    return sqlglot.parse_one(sql, read="postgres")


def _redact(url: str) -> str:
    """The address without its password, for messages and ``describe``."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


#: DuckDB's (and Python's) strptime reads a two-digit year %y as 19xx from 69 on, 20xx below:
#: the year from which the other engines' readings (PostgreSQL: 2069, Spark: 2000-2099) go back 100
PIVOT = 2069

#: strptime directives -> (a regular expression of what they match, PostgreSQL's to_timestamp pattern)
_STRPTIME = {"Y": (r"\d{4}", "YYYY"), "y": (r"\d{2}", "YY"), "m": (r"(0?[1-9]|1[0-2])", "MM"),
             "d": (r"(0?[1-9]|[12]\d|3[01])", "DD"), "H": (r"([01]?\d|2[0-3])", "HH24"),
             "I": (r"(0?[1-9]|1[0-2])", "HH12"), "M": (r"[0-5]\d", "MI"), "S": (r"[0-5]\d", "SS"),
             "f": (r"\d{1,6}", "US"), "p": (r"[AaPp][Mm]", "AM"), "b": (r"[A-Za-z]{3}", "Mon"),
             "B": (r"[A-Za-z]{3,9}", "Month")}


def _pg_strptime(args):
    """DuckDB's ``try_strptime(text, format or [formats])`` in PostgreSQL: each format as a regular
    expression the text must match (so what does not fit is NULL, as in DuckDB, where
    ``to_timestamp`` would fail the query) and ``to_timestamp`` with its pattern; several formats:
    the first that fits. None for a format with a directive not translated (time zones)."""
    from sqlglot import exp

    if len(args) != 2:
        return None
    formats = args[1].expressions if isinstance(args[1], exp.Array) else [args[1]]
    if not formats or not all(isinstance(f, exp.Literal) and f.is_string for f in formats):
        return None
    text = args[0].sql(dialect="postgres")
    tries = []
    for fmt in (f.this for f in formats):
        regex, pattern, i = "", "", 0
        while i < len(fmt):
            ch = fmt[i]
            if ch == "%" and i + 1 < len(fmt):
                directive = _STRPTIME.get(fmt[i + 1])
                if directive is None:
                    return None
                regex, pattern, i = regex + directive[0], pattern + directive[1], i + 2
                continue
            regex += re.escape(ch)
            pattern += f'"{ch}"' if ch.isalnum() else ch  # a letter is a literal, not a pattern
            i += 1
        regex, pattern = "^" + regex + "$", pattern.replace("'", "''")
        read = f"CAST(to_timestamp({text}, '{pattern}') AS TIMESTAMP)"
        if "%y" in fmt:  # DuckDB's two-digit years: 69-99 are 19xx (PostgreSQL's YY makes 69 2069)
            read = f"CASE WHEN EXTRACT(YEAR FROM {read}) >= {PIVOT} THEN {read} - INTERVAL '100 years' ELSE {read} END"
        tries.append(f"CASE WHEN {text} ~ '{regex.replace(chr(39), chr(39) * 2)}' THEN {read} END")
    return _pg(tries[0] if len(tries) == 1 else f"COALESCE({', '.join(tries)})")


class SQLGlotEngine(Engine):
    """An engine that speaks another dialect than DuckDB's: the analyses' SQL is translated by
    SQLGlot (``dialect``), and the rewrites SQLGlot leaves that every such engine needs are here
    (several sources of one role by column name, GROUP BY ALL, SELECT * EXCLUDE, approximate
    distinct counts as exact ones, DuckDB's string predicates); each engine adds its own in
    ``_rewrite``."""

    dialect = ""
    #: how messages name the engine ("PostgreSQL engine")
    title = "engine"

    def _bounded(self, n: int, count) -> None:
        """Count ``n`` rows as collected; past ``max_rows()`` stop with :class:`TooManyRows`
        (``count()`` says how many the whole result holds, asked of the engine only then)."""
        limit = max_rows()
        if n > limit:
            try:
                total = int(count())
            except Exception:  # noqa: BLE001 - the count is for the message only
                total = None
            raise TooManyRows(self.title, total, limit)
        self.collected += n

    def _parse(self, sql: str):
        import sqlglot

        return sqlglot.parse_one(sql, read=self.dialect)

    def _walk_rewrite(self, tree):
        """``tree`` with ``_rewrite`` applied to every node, children first (a rewrite sees
        rewritten arguments), and every ``UNION ALL BY NAME`` spelled out."""
        from sqlglot import exp

        for union in [u for u in tree.find_all(exp.Union) if u.args.get("by_name")]:
            self._union_by_name(union)
        for node in reversed(list(tree.walk())):
            new = self._rewrite(node)
            if new is not node:
                if node is tree:
                    tree = new
                else:
                    node.replace(new)
        return tree

    def _rewrite(self, node):
        """What every translating engine rewrites; subclasses handle their own first."""
        from sqlglot import exp

        if isinstance(node, exp.ApproxDistinct):
            return exp.Count(this=exp.Distinct(expressions=[node.this]))  # the same counts as DuckDB's
        if isinstance(node, exp.Anonymous) or isinstance(node, exp.Func):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).upper()
            args = node.expressions if isinstance(node, exp.Anonymous) else \
                [a for a in node.args.values() if isinstance(a, exp.Expression)]
            if name == "ENDS_WITH" and len(args) == 2:
                return exp.EQ(this=exp.Anonymous(this="right", expressions=[
                    args[0], exp.Length(this=args[1].copy())]), expression=args[1])
            if name == "REGEXP_FULL_MATCH" and len(args) == 2 and isinstance(args[1], exp.Literal):
                return exp.RegexpLike(this=args[0], expression=exp.Literal.string(f"^(?:{args[1].this})$"))
        if isinstance(node, exp.Group) and node.args.get("all"):
            return self._group_by_all(node)
        if isinstance(node, exp.Select) and any(
                isinstance(e, exp.Star) and e.args.get("except_") or isinstance(e, exp.Column)
                and isinstance(e.this, exp.Star) and e.this.args.get("except_") for e in node.expressions):
            return self._expand_star(node)
        return node

    @staticmethod
    def _value(v):
        """A bound value as a driver adapts it: numpy scalars and pandas timestamps as Python's."""
        if hasattr(v, "to_pydatetime"):
            return v.to_pydatetime()
        if hasattr(v, "item") and type(v).__module__ == "numpy":
            return v.item()
        return v

    @staticmethod
    def _plain(v):
        from decimal import Decimal

        if isinstance(v, Decimal):  # as DuckDB gives it: a count or sum of integers an int, else a float
            return int(v) if v.as_tuple().exponent >= 0 and v.is_finite() else float(v)
        return v

    @property
    def local(self):
        """A small in-memory DuckDB for what is computed on the client: the pandas conversion of
        results, testing date formats on sampled values."""
        if getattr(self, "_local", None) is None:
            import duckdb

            self._local = duckdb.connect()
            self._local.execute("SET TimeZone='UTC'")
        return self._local

    def _union_by_name(self, union) -> None:
        """``UNION ALL BY NAME`` (several sources of one role): every leg selects every name, in
        one order, NULL where it has no such column (the engine types it from the other legs)."""
        from sqlglot import exp

        if not union.args.get("by_name"):
            return  # a leg of one already rewritten

        def legs(node):
            if isinstance(node, exp.Union) and node.args.get("by_name"):
                node.set("by_name", False)
                return legs(node.this) + legs(node.expression)
            return [node.this if isinstance(node, exp.Subquery) else node]

        selects = legs(union)
        if not all(isinstance(s, exp.Select) and not s.is_star for s in selects):
            raise EngineError(f"{self.title}: UNION ALL BY NAME is translated only over selects that name "
                              "their columns.")
        names = list(dict.fromkeys(n for s in selects for n in s.named_selects))
        for select in selects:
            by_name = {e.alias_or_name: e for e in select.expressions}
            select.set("expressions", [by_name.get(n) or exp.alias_(exp.null(), n, quoted=True) for n in names])

    def _group_by_all(self, group):
        """``GROUP BY ALL``: the positions of the select list's expressions without aggregates."""
        from sqlglot import exp

        select = group.parent
        keep = [exp.Literal.number(i + 1) for i, e in enumerate(select.expressions)
                if not (e.find(exp.AggFunc) or e.find(exp.WithinGroup))]
        return exp.Group(expressions=keep)

    def _expand_star(self, select):
        """``SELECT * EXCLUDE (a, b) FROM rel``: the relation's columns but those, read from the
        catalog (over one table or view)."""
        from sqlglot import exp

        source = select.args.get("from_")
        tables = [source.this] if source is not None else []
        tables += [j.this for j in select.args.get("joins") or []]
        out = []
        for e in select.expressions:
            star, qualifier = (e.this, e.table) if isinstance(e, exp.Column) and isinstance(e.this, exp.Star) \
                else (e, "")
            if isinstance(star, exp.Star) and star.args.get("except_"):
                table = next((t for t in tables if isinstance(t, exp.Table) and qualifier in ("", t.alias_or_name)),
                             None)
                if table is None or (not qualifier and len(tables) > 1):
                    raise EngineError(f"{self.title}: SELECT * EXCLUDE is translated only over a table or view.")
                dropped = {x.name for x in star.args["except_"]}
                out += [exp.column(c, table=qualifier or None, quoted=True) for c in self._columns_of(table)
                        if c not in dropped]
            else:
                out.append(e)
        select.set("expressions", out)
        return select

    def _columns_of(self, table) -> list[str]:
        """The columns of a table of a FROM: a CTE's named selects, else the catalog's."""
        from sqlglot import exp

        name = table.name
        scope = table
        while scope is not None:
            with_ = scope.args.get("with_") if isinstance(scope, exp.Expression) else None
            for cte in (with_.expressions if with_ else []):
                if cte.alias == name and isinstance(cte.this, exp.Select) and not cte.this.is_star:
                    return list(cte.this.named_selects)
            scope = scope.parent
        return list(self.describe(exp.Table(this=table.this.copy(), db=table.args.get("db")).sql(dialect=self.dialect)))


class PostgresEngine(SQLGlotEngine):
    """Queries run in a PostgreSQL database (``postgresql://USER[:PASSWORD]@HOST:PORT/DB``; a
    ``host=`` query parameter names a unix socket folder). Everything custlens creates there (the
    canonical views, its per-customer tables, saved segments) is temporary, the session's own:
    the database is only ever read. Results come back as DuckDB would give them (frames through
    DuckDB's pandas conversion of an Arrow table)."""

    name = "postgresql"
    table_prefix = "pg:"
    dialect = "postgres"
    title = "PostgreSQL engine"
    temporary_only = True

    def __init__(self, url: str):
        try:
            import psycopg
            import sqlglot  # noqa: F401 - checked here, used by translate
        except ImportError as exc:
            raise EngineError(f"the PostgreSQL engine needs the {exc.name} package: "
                              "pip install 'custlens[postgres]'") from None
        self.url = url
        self.label = f"PostgreSQL ({_redact(url)})"
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except Exception as exc:  # noqa: BLE001 - every way to fail to connect is one line for the user
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineError(f"cannot connect to {_redact(url)}: {first}. Check the host, port, user, password "
                              "and database of --engine.") from None
        self.conn.execute("SET TimeZone='UTC'")
        self._names = itertools.count(1)
        self._local = None

    # ------------------------------------------------------------------ translation
    @functools.lru_cache(maxsize=4096)
    def translate(self, sql: str) -> tuple[str, ...]:
        """DuckDB SQL -> the PostgreSQL statements that do the same (usually one; ``CREATE OR
        REPLACE`` is a drop and a create), placeholders as psycopg's ``%s``. SQLGlot translates
        the dialect; the rewrites below cover what it leaves as DuckDB wrote it."""
        import sqlglot
        from sqlglot import exp

        out: list[str] = []
        for tree in sqlglot.parse(sql, read="duckdb"):
            if tree is None:
                continue
            pre: list[str] = []
            if isinstance(tree, exp.Create):
                tree, pre = self._create(tree)
            if isinstance(tree, exp.Drop):
                for table in tree.args.get("tables") or [tree.this]:
                    if isinstance(table, exp.Table) and table.args.get("db") and table.db.lower() == "temp":
                        table.set("db", exp.to_identifier("pg_temp"))
            tree = self._walk_rewrite(tree)
            text = tree.sql(dialect="postgres")
            out += pre + [text]
        return tuple(s.replace("%", "%%").replace(_PARAM, "%s") for s in out)

    def _create(self, tree):
        """``CREATE [OR REPLACE] [TEMP] TABLE|VIEW``: always temporary here (the database is only
        read), and OR REPLACE as DROP IF EXISTS first (PostgreSQL replaces a view only with the
        same columns, and a table not at all)."""
        from sqlglot import exp

        kind = (tree.args.get("kind") or "").upper()
        pre = []
        if kind in ("TABLE", "VIEW"):
            props = tree.args.get("properties") or exp.Properties(expressions=[])
            if not any(isinstance(p, exp.TemporaryProperty) for p in props.expressions):
                props.append("expressions", exp.TemporaryProperty())
                tree.set("properties", props)
            if tree.args.get("replace"):
                tree.set("replace", False)
                name = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
                pre.append(f"DROP {kind} IF EXISTS {name.sql(dialect='postgres')}")
        return tree, pre

    def _rewrite(self, node):
        from sqlglot import exp

        if isinstance(node, exp.Placeholder):
            return exp.var(_PARAM)
        if isinstance(node, exp.Subquery) and not node.alias and isinstance(node.parent, (exp.From, exp.Join)):
            node.set("alias", exp.TableAlias(this=exp.to_identifier(f"_q{next(self._names)}")))
            return node
        if isinstance(node, exp.Round):
            # PostgreSQL rounds to decimals only a numeric, and a double half to even (DuckDB: away from 0)
            inner = exp.Round(this=exp.cast(node.this, "numeric"), decimals=node.args.get("decimals"))
            return exp.cast(inner, "double")
        if isinstance(node, exp.Identifier) and not node.quoted and node.this != node.this.lower():
            node.set("quoted", True)  # DuckDB keeps the case of a name ("AS T"), PostgreSQL folds it
            return node
        if isinstance(node, (exp.ArgMin, exp.ArgMax, exp.AnyValue)):
            # the value at the least (greatest) key, or any value: the first of an ordered array;
            # a FILTER of the call goes into the array's own
            a = node.this.sql(dialect="postgres")
            outer = node.parent.parent if isinstance(node.parent, exp.IgnoreNulls) else node.parent
            conds = [f"{a} IS NOT NULL"]
            if isinstance(outer, exp.Filter):
                conds.append(f"({outer.expression.this.sql(dialect='postgres')})")
            if isinstance(node, exp.AnyValue):
                return _pg(f"(ARRAY_AGG({a}) FILTER (WHERE {' AND '.join(conds)}))[1]")
            b = node.expression.sql(dialect="postgres")
            order = "" if isinstance(node, exp.ArgMin) else " DESC"
            conds.append(f"{b} IS NOT NULL")
            return _pg(f"(ARRAY_AGG({a} ORDER BY {b}{order}) FILTER (WHERE {' AND '.join(conds)}))[1]")
        if isinstance(node, exp.Filter) and isinstance(node.this, (exp.Bracket, exp.IgnoreNulls)):
            inner = node.this.this if isinstance(node.this, exp.IgnoreNulls) else node.this
            if isinstance(inner, exp.Bracket):
                return inner  # its FILTER went into the array above
        if isinstance(node, exp.IgnoreNulls) and isinstance(node.this, exp.Bracket):
            return node.this  # DuckDB's any_value skips NULLs: the array above was filtered of them
        if isinstance(node, exp.Explode) and isinstance(node.this, exp.GenerateSeries):
            return node.this  # PostgreSQL's generate_series is already a set of rows
        if isinstance(node, exp.Cast) and node.to.is_type("double", "float", "int", "bigint", "decimal") and \
                isinstance(node.this, (exp.Predicate, exp.Connector, exp.Not, exp.Boolean)):
            return exp.cast(exp.cast(node.this, "int"), node.to)  # true -> 1.0: PostgreSQL casts bool to int only
        if isinstance(node, exp.Anonymous) or isinstance(node, exp.Func):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).upper()
            args = node.expressions if isinstance(node, exp.Anonymous) else \
                [a for a in node.args.values() if isinstance(a, exp.Expression)]
            if name == "MODE" and len(args) == 1:
                return exp.WithinGroup(this=exp.Anonymous(this="mode", expressions=[]),
                                       expression=exp.Order(expressions=[exp.Ordered(this=args[0])]))
            if name in ("TRY_STRPTIME", "STRPTIME"):
                read = _pg_strptime(args)
                if read is not None:
                    return read
                cols = sorted({c.name for c in node.find_all(exp.Column)})
                formats = [f.this for f in (args[1].expressions if len(args) == 2 and isinstance(args[1], exp.Array)
                                            else args[1:])]
                raise EngineError(f"PostgreSQL engine: {', '.join(map(repr, cols)) or 'a column'} holds dates as text "
                                  f"written as {' or '.join(map(str, formats))}, which the PostgreSQL engine does not "
                                  "read: store them as date or timestamp in the database (or give a view that casts "
                                  "them).")
            unit = {"TO_DAYS": "day", "TO_WEEKS": "week", "TO_MONTHS": "month", "TO_YEARS": "year"}.get(name)
            if unit and len(args) == 1:
                return _pg(f"(({args[0].sql(dialect='postgres')}) * INTERVAL '1 {unit}')")
        return super()._rewrite(node)

    # ------------------------------------------------------------------ running
    def _run(self, sql: str, params):
        """Run the translation of ``sql``; the cursor of its last statement. A failure is one
        line: PostgreSQL's message (a missing relation, a function it lacks) and the statement."""
        import psycopg

        statements = self.translate(sql)
        values = [self._value(v) for v in (params or [])]
        cur = self.conn.cursor()
        for i, statement in enumerate(statements):
            try:
                cur.execute(statement, values if i == len(statements) - 1 else [])
            except psycopg.errors.QueryCanceled:
                from .cancel import Cancelled

                raise Cancelled("the answer was stopped") from None
            except psycopg.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise EngineError(f"PostgreSQL ({_redact(self.url)}): {first} (in: {' '.join(statement.split())[:200]})"
                                  ) from None
        return cur

    def execute(self, sql, params=None):
        self._run(sql, params).close()

    def _fetch(self, cur, sql, params) -> list[tuple]:
        """The cursor's rows, at most ``max_rows()`` (past it: :class:`TooManyRows`)."""
        rows = cur.fetchmany(max_rows() + 1)
        self._bounded(len(rows), lambda: self.rows(f"SELECT count(*) FROM ({sql}) AS _all", params)[0][0])
        return rows

    def rows(self, sql, params=None):
        cur = self._run(sql, params)  # a statement without a result (CREATE ... AS) gives no rows
        if not cur.description:
            cur.close()
            return []
        try:
            return [tuple(self._plain(v) for v in row) for row in self._fetch(cur, sql, params)]
        finally:
            cur.close()

    def frame(self, sql, params=None):
        cur = self._run(sql, params)
        if cur.description is None:  # a statement without a result (CREATE ... AS)
            import pandas as pd

            cur.close()
            return pd.DataFrame()
        try:
            table = self._arrow(cur, self._fetch(cur, sql, params))
        finally:
            cur.close()
        return self.local.from_arrow(table).df()

    def _arrow(self, cur, rows):
        """The cursor's ``rows`` as an Arrow table typed from the column OIDs."""
        import pyarrow as pa

        names = [d.name for d in cur.description]
        kinds = {20: pa.int64(), 21: pa.int64(), 23: pa.int64(), 700: pa.float64(), 701: pa.float64(),
                 1700: pa.float64(), 25: pa.string(), 1043: pa.string(), 1042: pa.string(), 16: pa.bool_(),
                 1082: pa.date32(), 1114: pa.timestamp("us"), 1184: pa.timestamp("us", tz="UTC")}
        arrays = []
        for i, d in enumerate(cur.description):
            values = [self._plain(r[i]) for r in rows]
            kind = kinds.get(d.type_code)
            if kind == pa.float64():
                values = [None if v is None else float(v) for v in values]
            try:
                arrays.append(pa.array(values, type=kind) if kind is not None else pa.array(values))
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                arrays.append(pa.array([None if v is None else str(v) for v in values], type=pa.string()))
        # duplicate names (SELECT a.x, b.x) are allowed in a result: Arrow tables take them too
        return pa.Table.from_arrays(arrays, names=names)

    def numpy(self, sql, params=None):
        df = self.frame(sql, params)
        return {c: df[c].to_numpy() for c in df.columns}

    def register(self, name, frame):
        """The frame becomes a temporary table (COPY), typed as DuckDB reads the frame."""
        columns, rows = frame_for_copy(self.local, frame)
        self.execute(f"DROP TABLE IF EXISTS {qi(name)}")
        self.conn.execute(f"CREATE TEMP TABLE {qi(name)} ({columns})")
        copy_rows(self.conn, qi(name), rows)

    def unregister(self, name):
        self.conn.execute(f"DROP TABLE IF EXISTS {qi(name)}")

    def describe(self, relation):
        cur = self._run(f"SELECT * FROM {relation} LIMIT 0", None)
        out = {d.name: _PG_TYPES.get(d.type_code, "VARCHAR") for d in cur.description}
        cur.close()
        return out

    def fork(self):
        return PostgresEngine(self.url)

    def interrupt(self):
        self.conn.cancel_safe() if hasattr(self.conn, "cancel_safe") else self.conn.cancel()

    def close(self):
        self.conn.close()
        if self._local is not None:
            self._local.close()

    def table_exists(self, schema_name: str | None, table: str) -> bool:
        row = self.rows("SELECT to_regclass(?) IS NOT NULL", [f"{qi(schema_name)}.{qi(table)}" if schema_name
                                                               else qi(table)])
        return bool(row[0][0])


def frame_for_copy(local, frame) -> tuple[str, list[tuple]]:
    """(PostgreSQL column definitions, rows) of a pandas frame, typed as DuckDB reads it."""
    local.register("__frame", frame)
    try:
        types = {r[0]: r[1] for r in local.execute("DESCRIBE __frame").fetchall()}
        pg = {"VARCHAR": "text", "DOUBLE": "double precision", "FLOAT": "real", "BIGINT": "bigint",
              "INTEGER": "integer", "SMALLINT": "smallint", "TINYINT": "smallint", "BOOLEAN": "boolean",
              "DATE": "date", "TIMESTAMP WITH TIME ZONE": "timestamptz", "HUGEINT": "numeric"}

        def pg_type(t: str) -> str:
            if t in pg:
                return pg[t]
            if t.startswith("TIMESTAMP"):
                return "timestamp"
            return "double precision" if t.startswith("DECIMAL") else "text"

        columns = ", ".join(f"{qi(c)} {pg_type(t)}" for c, t in types.items())
        select = ", ".join(f"CAST({qi(c)} AS VARCHAR)" if pg_type(t) == "text" and t != "VARCHAR" else qi(c)
                           for c, t in types.items())
        rows = local.execute(f"SELECT {select} FROM __frame").fetchall()
    finally:
        local.unregister("__frame")
    return columns, rows


def copy_rows(conn, table: str, rows: list[tuple]) -> None:
    """COPY ``rows`` into ``table`` (quoted) over a psycopg connection."""
    with conn.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def engine_spec(given: str | None, data=()) -> str | None:
    """The engine to use: ``given`` (``--engine``, ``Session(engine=)``), else ``engine = "..."``
    of a custlens.toml in the working directory, else of one beside a ``--data`` file."""
    if given:
        return given
    import tomllib
    from pathlib import Path

    folders = [Path.cwd()]
    for spec in data:
        path = Path(str(spec).split("=", 1)[-1] if re.match(r"^[a-z]+=", str(spec)) else str(spec))
        if path.exists():
            folders.append(path.resolve().parent if path.is_file() else path.resolve())
    for folder in dict.fromkeys(folders):
        config = folder / "custlens.toml"
        if config.is_file():
            try:
                value = tomllib.loads(config.read_text(encoding="utf-8")).get("engine")
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue  # a broken file is said when the data loads
            if value is not None:
                if not isinstance(value, str):
                    raise EngineError(f"{config}: engine must be text such as engine = \"postgresql://user@host/db\"; "
                                      f"it is {value!r}.")
                return value
    return None


def open_engine(spec: str | None) -> Engine:
    """The engine ``spec`` names: None, "" or "duckdb" -> the embedded DuckDB;
    ``postgresql://...`` (or ``postgres://``) -> PostgreSQL; ``spark`` -> a local Spark in this
    process; ``sc://HOST:PORT`` -> Spark Connect. Anything else is an EngineError."""
    if spec is None or str(spec).strip().lower() in ("", "duckdb"):
        return DuckDBEngine()
    spec = str(spec).strip()
    if re.match(r"^postgres(ql)?://", spec, re.I):
        return PostgresEngine(spec)
    if spec.lower() == "spark" or spec.lower().startswith("sc://"):
        from .spark_engine import SparkEngine  # pyspark is imported only when Spark is chosen

        if spec.lower().startswith("sc://") and not re.match(r"^sc://[^/:\s]+(:\d+)?/?(;.*)?$", spec, re.I):
            raise EngineError(f"engine {spec!r}: a Spark Connect address is sc://HOST:PORT (e.g. sc://localhost:15002).")
        return SparkEngine("spark" if spec.lower() == "spark" else spec)
    raise EngineError(f"unknown engine {spec!r}. Engines: duckdb (the default), spark (local), sc://HOST:PORT "
                      "(Spark Connect), postgresql://USER@HOST:PORT/DB.")
