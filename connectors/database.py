"""Database files: DuckDB (attached read-only, tables become views) and SQLite (read through
Python's sqlite3, each table copied into DuckDB: DuckDB's SQLite reader is an extension that
would need a download). ``file.db#table`` picks one table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from custlens import hookimpl
from custlens.analysis import Connector
from custlens.dataset import RawSource, qi
from custlens.errors import DataError

from ._text import sql_str


def _kind(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    if head.startswith(b"SQLite format 3"):
        return "sqlite"
    if head[8:12] == b"DUCK":
        return "duckdb"
    return None


class DatabaseFile(Connector):
    name = "database"
    description = "DuckDB and SQLite database files; every table a source, pick one with file.db#table"
    extensions = (".duckdb", ".ddb", ".db", ".sqlite", ".sqlite3")

    def sniff(self, path: Path) -> float:
        return 0.95 if path.is_file() and _kind(path) else 0.0

    def open(self, path: Path, con, name: str, selector: str | None = None) -> list[RawSource]:
        kind = _kind(path)
        try:
            tables = self._duckdb(path, con, name, selector) if kind == "duckdb" else self._sqlite(path)
        except DataError:
            raise
        except Exception as exc:  # noqa: BLE001 - duckdb and sqlite3 raise many classes for a damaged file
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            raise DataError(f"{path}: not a readable {'DuckDB' if kind == 'duckdb' else 'SQLite'} database "
                            f"({first}). Check the file, or export the table as CSV.") from None
        if selector is not None:
            if selector not in tables:
                raise DataError(f"{path}: no table named {selector!r}. Tables: {', '.join(tables) or 'none'}. "
                                f"Use {path.name}#TABLE with one of them.")
            tables = [selector]
        if not tables:
            raise DataError(f"{path}: the database has no tables.")
        out = []
        for i, table in enumerate(tables):
            rel = f"{name}_{i}"
            if kind == "duckdb":
                con.execute(f"CREATE OR REPLACE VIEW {qi(rel)} AS SELECT * FROM {qi(name)}.{qi(table)}")
            else:
                import pandas as pd

                with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                    frame = pd.read_sql_query(f"SELECT * FROM {qi(table)}", db)
                con.register(f"{rel}_df", frame)
                con.execute(f"CREATE OR REPLACE TABLE {qi(rel)} AS SELECT * FROM {qi(rel + '_df')}")
                con.unregister(f"{rel}_df")
            out.append(RawSource(f"{path.name}#{table}", rel, str(path), self.name))
        return out

    @staticmethod
    def _duckdb(path: Path, con, name: str, selector: str | None = None) -> list[str]:
        checked = _checked_views(path, selector)
        con.execute(f"ATTACH {sql_str(str(path))} AS {qi(name)} (READ_ONLY)")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? ORDER BY 1", [name]).fetchall()]
        unchecked = [t for t in tables if t not in checked and (selector is None or t == selector)]
        if unchecked:  # the file changed between the check and the attach
            con.execute(f"DETACH {qi(name)}")
            raise DataError(f"{path}: changed while it was being opened ({', '.join(unchecked)}). Load it again.")
        return tables

    @staticmethod
    def _sqlite(path: Path) -> list[str]:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return [r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name")]


def _checked_views(path: Path, selector: str | None) -> set[str]:
    """The tables and views of a DuckDB file whose definitions read nothing but the file itself.

    A view is a query stored in the file; run in custlens's own connection it could read any local
    file (``read_text('/etc/hostname')``, a macro, a CSV or Parquet scan) or, with an extension, the
    network. So each relation is bound first in a connection of its own with external access off
    (no file but this one, no extension loading): one that reaches outside the file is refused,
    naming it. Binding (``LIMIT 0``) reads no rows."""
    import duckdb

    config = {"enable_external_access": False, "autoload_known_extensions": False,
              "autoinstall_known_extensions": False}
    with duckdb.connect(str(path), read_only=True, config=config) as box:
        found = box.execute("SELECT table_schema, table_name FROM information_schema.tables "
                            "WHERE table_catalog = current_database() ORDER BY 2").fetchall()
        names = {rel for _, rel in found}
        for schema, rel in found:
            if selector is not None and rel != selector:
                continue
            try:
                box.execute(f"SELECT * FROM {qi(schema)}.{qi(rel)} LIMIT 0")
            except duckdb.Error as exc:
                first = (str(exc).strip().splitlines() or [""])[0][:160]
                raise DataError(f"{path}: the view {rel!r} reads outside the database file ({first}); custlens "
                                f"does not run it. Load a table instead ({path.name}#TABLE), or make the view "
                                "a table in that database.") from None
    return names


@hookimpl
def register_connectors(register):
    register(DatabaseFile())
