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
        tables = self._duckdb(path, con, name) if kind == "duckdb" else self._sqlite(path)
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
    def _duckdb(path: Path, con, name: str) -> list[str]:
        con.execute(f"ATTACH {sql_str(str(path))} AS {qi(name)} (READ_ONLY)")
        return [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? ORDER BY 1", [name]).fetchall()]

    @staticmethod
    def _sqlite(path: Path) -> list[str]:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return [r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name")]


@hookimpl
def register_connectors(register):
    register(DatabaseFile())
