"""JSON: an array of records, or newline-delimited JSON (one record a line). Read by DuckDB."""

from __future__ import annotations

from pathlib import Path

from custlens import hookimpl
from custlens.analysis import Connector
from custlens.dataset import RawSource, qi
from custlens.errors import DataError

from ._text import sql_str


class JsonRecords(Connector):
    name = "json"
    description = "JSON arrays of records and newline-delimited JSON (.json, .ndjson, .jsonl)"
    extensions = (".json", ".ndjson", ".jsonl", ".json.gz", ".ndjson.gz", ".jsonl.gz")

    def open(self, path: Path, con, name: str, selector: str | None = None) -> list[RawSource]:
        try:
            con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT * FROM read_json_auto({sql_str(str(path))})")
        except Exception as exc:  # noqa: BLE001
            first = str(exc).strip().splitlines()[0]
            raise DataError(f"{path}: not valid JSON records ({first}). Expected an array of objects or one "
                            "object per line.") from None
        cols = con.execute(f"DESCRIBE {qi(name)}").fetchall()
        if len(cols) == 1 and cols[0][1].startswith("STRUCT"):
            # {"orders": [...]}-style wrappers: unnest the one list inside
            con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT unnest({qi(cols[0][0])}, recursive := true) "
                        f"FROM {qi(name)}")
        return [RawSource(path.name, name, str(path), self.name)]


@hookimpl
def register_connectors(register):
    register(JsonRecords())
