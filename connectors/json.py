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
        notes = flatten(con, name)
        return [RawSource(path.name, name, str(path), self.name, notes=notes)]


#: a list of objects in each record that holds its lines (Shopify's line_items, an order's products)
LINE_LISTS = ("line_items", "lineitems", "items", "products", "lines", "order_lines", "orderlines", "line_item",
              "articles", "positions", "entries")


def _columns(con, name: str) -> list[tuple[str, str]]:
    return [(c, t) for c, t, *_ in con.execute(f"DESCRIBE {qi(name)}").fetchall()]


def _fields(con, name: str, column: str) -> list[str]:
    """The field names of an object column."""
    return [r[0] for r in con.execute(f"DESCRIBE SELECT {qi(column)}.* FROM {qi(name)}").fetchall()]


def flatten(con, name: str) -> list[str]:
    """Records as a shop's API writes them, nested, read as plain columns (what was done, for the notes):
    a list of objects that holds each record's lines (``LINE_LISTS``: products, line_items) gives one row
    per line, the record's own fields repeated on each and, where a line has a field of the same name (a
    line's category beside the order's list of categories), renamed order_NAME; an object's fields
    become columns of their own names (geoip.country_iso_code: country_iso_code; PARENT_NAME where the
    name is taken); a list of values is one text of them (", "). Kibana's sample orders: 4,675 orders,
    10,091 lines, the country in geoip."""
    notes: list[str] = []
    cols = _columns(con, name)
    lists = [c for c, t in cols if t.endswith("[]") and t.startswith("STRUCT(")]
    lines = [c for c in lists if c.lower() in LINE_LISTS] or (lists if len(lists) == 1 else [])
    if len(lines) == 1:
        col = lines[0]
        before = con.execute(f"SELECT count(*) FROM {qi(name)}").fetchone()[0]
        con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT * EXCLUDE ({qi(col)}), unnest({qi(col)}) AS "
                    f"{qi(col)} FROM {qi(name)}")
        fields = _fields(con, name, col)
        taken = {c for c, _ in _columns(con, name)} - {col}
        renamed = [c for c in taken if c in fields]
        outer = ", ".join(f"{qi(c)} AS {qi('order_' + c)}" if c in renamed else qi(c)
                          for c, _ in _columns(con, name) if c != col)
        inner = ", ".join(f"{qi(col)}.{qi(f)} AS {qi(f)}" for f in fields)
        con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT {outer}, {inner} FROM {qi(name)}")
        after = con.execute(f"SELECT count(*) FROM {qi(name)}").fetchone()[0]
        notes.append(f"{col}: one row per line ({before:,} records, {after:,} lines), each record's own fields "
                     "repeated on its lines" + (f"; {', '.join(renamed)} of the record read as "
                                                 f"{', '.join('order_' + c for c in renamed)}" if renamed else ""))
    for _ in range(4):  # objects in objects: geoip.location.lat
        cols = _columns(con, name)
        objects = [c for c, t in cols if t.startswith("STRUCT(") and not t.endswith("[]")]
        if not objects:
            break
        taken = {c for c, _ in cols if c not in objects}
        parts = [qi(c) for c, _ in cols if c not in objects]
        for obj in objects:
            fields = _fields(con, name, obj)
            named = [f if f not in taken else f"{obj}_{f}" for f in fields]
            taken |= set(named)
            parts += [f"{qi(obj)}.{qi(f)} AS {qi(n)}" for f, n in zip(fields, named)]
            notes.append(f"{obj}: its fields read as columns ({', '.join(named[:6])}{', ...' if len(named) > 6 else ''})")
        con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT {', '.join(parts)} FROM {qi(name)}")
    cols = _columns(con, name)
    listed = [c for c, t in cols if t.endswith("[]") and not t.startswith("STRUCT(")]
    if listed:  # ["Men's Clothing", "Women's Shoes"]: one text
        parts = [f"array_to_string({qi(c)}, ', ') AS {qi(c)}" if c in listed else qi(c) for c, _ in cols]
        con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT {', '.join(parts)} FROM {qi(name)}")
        notes.append(f"lists of values read as one text each ({', '.join(listed[:6])})")
    return notes


@hookimpl
def register_connectors(register):
    register(JsonRecords())
