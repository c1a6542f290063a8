"""Parquet: a file, a folder of files (read recursively) or a glob. Scanned by DuckDB in place
(a view), so a 10M-row dataset is not copied into memory."""

from __future__ import annotations

from pathlib import Path

from custlens import hookimpl
from custlens.analysis import Connector
from custlens.dataset import RawSource, qi
from custlens.errors import DataError

from ._text import sql_str


class ParquetFiles(Connector):
    name = "parquet"
    description = "Parquet files, folders of them (Hive partitions too) and globs"
    extensions = (".parquet", ".pq")

    def sniff(self, path: Path) -> float:
        if path.is_dir():
            return 0.8 if any(path.rglob("*.parquet")) else 0.0
        return super().sniff(path)

    def open(self, path: Path, con, name: str, selector: str | None = None) -> list[RawSource]:
        pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
        try:
            con.execute(f"CREATE OR REPLACE VIEW {qi(name)} AS SELECT * FROM read_parquet({sql_str(pattern)}, "
                        "union_by_name=true, hive_partitioning=true)")
        except Exception as exc:  # noqa: BLE001
            raise DataError(f"{path}: could not be read as Parquet ({str(exc).splitlines()[0]}).") from None
        return [RawSource(path.name, name, str(path), self.name)]


@hookimpl
def register_connectors(register):
    register(ParquetFiles())
