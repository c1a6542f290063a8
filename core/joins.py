"""How each table meets the customers table: the key it joins on, and how many of its rows match.

The customers (or contacts) table is the one every other table (orders, deals, feedback,
touchpoints) joins to on the customer id. A header usually names that key (``schema``'s
synonyms: "Associated Contact ID", "Person - ID", "AccountId"...). When no header does, the key is
found by values (``key_by_values``): the column whose values are most often customer ids of the
customers table, given at least ``MIN_MATCH`` of the table's rows are. Either way the Dataset
counts how many rows of each table find a customer (``match_rows``): ``describe`` says it ("joined
on deals.Owner Contact = contacts.Record ID: 376 of 400 deals (94%) matched"), every answer that
breaks a table down by a customers column repeats what did not match, and a table none of whose
rows match is a clear error naming the columns tried and how to map the key. In breakdowns, rows
without a customer are "(no contact)" (the customers table's own word) and empty values
"(blank)", never None or nan (``labelled``).
"""

from __future__ import annotations

import re
from typing import Any

from . import column_sql, schema
from .schema import Match
from .sql import qi, ql
from .templates import pct

#: a column no header names is a table's customer key when at least this share of its rows hold
#: a customer id of the customers table (and it is the column where most do)
MIN_MATCH = 0.3
#: ... and its matching values are this many different customers at least (or every customer of a
#: smaller table): a column of small numbers (a quantity 1-5) that happens to meet ids 1-5 is no key
MIN_IDS = 10
BLANK = "(blank)"

_NOUNS = (("contact", "contact"), ("person", "person"), ("people", "person"), ("account", "account"),
          ("compan", "company"), ("organi", "organization"), ("client", "client"), ("member", "member"),
          ("user", "user"))
_ROWS = {"transactions": "order lines", "feedback": "feedback rows", "events": "events"}


def rows_word(role: str) -> str:
    """What a role's rows are called in a message ("order lines", "events", "customers")."""
    return _ROWS.get(role, role)


def table_name(name: str) -> str:
    """A source's name as a table: "deals.csv" -> "deals", "crm.xlsx#Contacts" -> "Contacts",
    "demo orders" -> "orders"."""
    name = name.split("#")[-1].split("/")[-1]
    name = re.sub(r"(\.(csv|tsv|txt|xlsx|xls|parquet|json|jsonl|gz|zip))+$", "", name, flags=re.I)
    return name[5:] if name.startswith("demo ") else name


def noun(dataset) -> str:
    """What a row of the customers table is, in its own word: "contact" for contacts.xlsx,
    "customer" otherwise."""
    for src in dataset.sources:
        if src.role == "customers":
            low = table_name(src.name).lower()
            for stem, word in _NOUNS:
                if stem in low:
                    return word
    return "customer"


def missing_label(dataset) -> str:
    """The group of rows without a matching customer: "(no contact)", "(no customer)"."""
    return f"(no {noun(dataset)})"


def rows_noun(src) -> str:
    """What the rows of a table are called: its name when it is a word ("deals"), else by role."""
    name = table_name(src.name)
    uncountable = name.lower() in ("feedback", "data", "export", "sales", "crm")
    return name.lower() if re.fullmatch(r"[A-Za-z][A-Za-z _-]*", name) and not uncountable else \
        _ROWS.get(src.role, "rows")


def _customers(pairs) -> tuple[str, list[str]]:
    """SQL of the customers' distinct ids over the customers sources' selects, and their
    "contacts.Record ID" names."""
    union = " UNION ".join(f"SELECT customer_id FROM ({select}) WHERE customer_id IS NOT NULL" for _, select in pairs)
    names = []
    for src, _ in pairs:
        key = src.mapping.get("customer_id")
        col = src.overrides.get("customer_id") or (key.column if key else "customer_id")
        names.append(f"{table_name(src.name)}.{col}")
    return union, names


def _candidates(src, used: set[str]) -> list[str]:
    return [c for c, t in src.columns.items()
            if c not in used and (t == "VARCHAR" or column_sql.is_integer(t))]


def _measure(dataset, src, columns: list[str], ids: str) -> dict[str, tuple[int, int]]:
    """Per column: (rows holding a customer id, different customer ids held)."""
    if not columns:
        return {}
    rel = qi(src.raw.relation)
    parts = []
    for i, col in enumerate(columns):
        v = column_sql.email_key(col)  # as a customer id is read: e-mails in any case are one
        parts.append(f"count(*) FILTER (WHERE {v} IN (SELECT customer_id FROM ids)) AS r{i}, "
                     f"count(DISTINCT {v}) FILTER (WHERE {v} IN (SELECT customer_id FROM ids)) AS d{i}")
    row = dataset.engine.rows(f"WITH ids AS ({ids}) SELECT {', '.join(parts)} FROM {rel}")[0]
    return {col: (int(row[2 * i] or 0), int(row[2 * i + 1] or 0)) for i, col in enumerate(columns)}


def key_by_values(dataset, src, select: str, customer_pairs) -> str:
    """``select`` of a table (orders, deals, feedback, events) with its customer key found by values
    when no header named one: the column holding the most rows with a customer id of the customers
    table, given ``MIN_MATCH`` of its rows do. What was tried is kept on ``src.join`` either way."""
    if src.role == "customers" or not customer_pairs or "customer_id" in dataset.mapping_of(src) or not src.rows:
        return select
    ids, names = _customers(customer_pairs)
    n_ids = dataset.engine.rows(f"SELECT count(*) FROM ({ids})")[0][0]
    if not n_ids:
        return select
    used = {m.column for m in dataset.mapping_of(src).values()}
    found = _measure(dataset, src, _candidates(src, used), ids)
    enough = min(MIN_IDS, n_ids)
    fits = [(rows, distinct, col) for col, (rows, distinct) in found.items()
            if rows >= MIN_MATCH * src.rows and distinct >= enough]
    src.join = {"tried": {c: r for c, (r, _) in found.items()}, "to_key": names}
    if not fits:
        return select
    rows, _, col = max(fits)
    src.exprs, src.notes, src.warnings = {}, list(src.raw.notes), list(src.raw.warnings)  # selected again
    src.derived, src.reads = set(), {}
    share = rows / src.rows
    src.mapping["customer_id"] = src.value_matches["customer_id"] = Match(
        col, f"values: {rows:,} of {src.rows:,} rows ({pct(share, 0)}) hold a customer id of {' / '.join(names)}")
    src.join["by_values"] = col
    return dataset._select(src)


def match_rows(dataset, src) -> None:
    """How many rows of a table (not the customers') find a customer in the ``customers`` view:
    ``src.join`` gets key, to_key, rows, matched; a note for ``describe``; the warning answers
    repeat (``said``) when some rows do not match, and the error (``no_match``) when none do."""
    tried = src.join.get("tried", {}) if src.join else {}
    by_values = src.join.get("by_values") if src.join else None
    src.join = {}
    if src.role in (None, "customers", "baskets", PAYMENTS, RETURNED, LINES) or not dataset.has("customers"):
        return
    pairs = [s for s in dataset.sources if s.role == "customers"]
    to_key = []
    for c in pairs:
        key = dataset.mapping_of(c).get("customer_id")
        to_key.append(f"{table_name(c.name)}.{key.column if key else 'customer_id'}")
    word, cname = noun(dataset), " and ".join(c.name for c in pairs)
    key = dataset.mapping_of(src).get("customer_id")
    what = rows_noun(src)
    if key is None:
        listing = ", ".join(f"{c} ({n:,} rows)" for c, n in sorted(tried.items(), key=lambda kv: -kv[1])[:6])
        src.join = {"key": None, "to_key": to_key, "rows": src.rows, "matched": 0, "tried": tried,
                    "no_match": (f"{src.name} has no column that joins it to {cname}: no header names a {word} id, "
                                 f"and no column's values are {word} ids of {' / '.join(to_key)}"
                                 + (f" (tried, with the rows that matched: {listing})" if listing else "")
                                 + f". {how_to_map(src)}")}
        return
    expr = src.exprs.get("customer_id") or "NULL"
    rows, keyed, matched = dataset.engine.rows(
        f"SELECT count(*), count(k), count(k) FILTER (WHERE k IN (SELECT customer_id FROM customers)) "
        f"FROM (SELECT {expr} AS k FROM {qi(src.raw.relation)})")[0]
    rows, matched = int(rows), int(matched)
    on = f"{table_name(src.name)}.{key.column} = {' / '.join(to_key)}"
    src.join = {"key": key.column, "to_key": to_key, "rows": rows, "keyed": int(keyed), "matched": matched,
                "by_values": by_values, "on": on}
    if not rows:
        return
    share = matched / rows
    src.join["text"] = (f"joined on {on}: {matched:,} of {rows:,} {what} ({pct(share, 0)}) matched a {word}"
                        + (" (the key found by its values: no header names it)" if by_values else ""))
    if matched == 0:
        ours = dataset.engine.rows(f"SELECT DISTINCT k FROM (SELECT {expr} AS k FROM {qi(src.raw.relation)}) "
                                   "WHERE k IS NOT NULL LIMIT 2")
        theirs = dataset.engine.rows("SELECT customer_id FROM customers WHERE customer_id IS NOT NULL LIMIT 2")
        like = (f" (values like {', '.join(repr(r[0]) for r in ours)} against "
                f"{', '.join(repr(r[0]) for r in theirs)})") if ours and theirs else ""
        used = {m.column for m in dataset.mapping_of(src).values()}
        tried = _measure(dataset, src, _candidates(src, used),
                         "SELECT customer_id FROM customers WHERE customer_id IS NOT NULL")
        others = [f"{c} ({n:,} rows)" for c, (n, _) in sorted(tried.items(), key=lambda kv: -kv[1][0])][:6]
        src.join["no_match"] = (f"none of the {rows:,} {what} of {src.name} matches a {word} of {cname}: joined on "
                                f"{on}{like}" + (f"; other columns tried, with the rows holding a {word} id: "
                                                 f"{', '.join(others)}" if others else "")
                                + f". {how_to_map(src)}")
    elif matched < rows:
        src.join["said"] = (f"{rows - matched:,} of {rows:,} {what} ({pct((rows - matched) / rows, 0)}) have no matching "
                            f"{word} in {cname}: shown as {missing_label(dataset)} (joined on {on})")


def how_to_map(src) -> str:
    return (f"Map the key with --map customer_id=COLUMN (the {src.name} column holding the customer's id; map the "
            f"customers table's key the same way), or in a custlens.toml beside the data: "
            f"[sources.\"{src.name}\"] map = {{customer_id = \"COLUMN\"}}.")


def said(dataset, role: str | None = None) -> list[str]:
    """What answers joining the customers must say about the tables of ``role`` (every role when
    None): rows without a matching customer, or none matching."""
    return [f"{s.name}: {s.join.get('no_match') or s.join['said']}" for s in dataset.sources
            if s.join and (role is None or s.role == role) and (s.join.get("said") or s.join.get("no_match"))]


def no_match(dataset, role: str) -> str | None:
    """The message when no row of the ``role`` tables matches a customer (all their sources)."""
    srcs = [s for s in dataset.sources if s.role == role]
    if srcs and all(s.join.get("no_match") for s in srcs):
        return " ".join(s.join["no_match"] for s in srcs)
    return None


def unmatched(dataset, role: str) -> int:
    """Rows of the ``role`` tables without a matching customer (or without a key)."""
    return sum(s.join.get("rows", 0) - s.join.get("matched", 0) for s in dataset.sources
               if s.role == role and s.join)


def labelled(dataset, expr: str, column_type: str | None, customer_key: str | None = None,
             role: str = "transactions", nulls: bool | None = None) -> str:
    """``expr`` as a breakdown group: rows whose customer was not found (``customer_key`` IS NULL,
    for a customers column joined on) are the missing label, NULL or empty values "(blank)". Text
    stays text; other types are written as text only when a label is needed (unmatched rows, or
    ``nulls``), so numbers still sort as numbers otherwise. The views' text is already trimmed, with
    empty values NULL (``Dataset._padded``), so NULL is the only blank left to name: a trim of every
    line here cost as much as the sums of a breakdown (11.6M lines: 0.65 s against 0.25 s)."""
    text = column_type is None or column_type == "VARCHAR"
    lack = customer_key is not None and unmatched(dataset, role) > 0
    if not text and not lack and not nulls:
        return expr
    value = f"coalesce({expr if column_type == 'VARCHAR' else f'CAST({expr} AS VARCHAR)'}, {ql(BLANK)})"
    if customer_key is None:
        return value
    return f"CASE WHEN {customer_key} IS NULL THEN {ql(missing_label(dataset))} ELSE {value} END"


def describe(src) -> dict[str, Any]:
    """The join as ``describe`` shows it."""
    return {k: v for k, v in (src.join or {}).items() if k in ("key", "to_key", "rows", "matched", "on", "by_values",
                                                                 "text", "said", "no_match", "found", "of")}


_READS = re.compile(r"\b(?:FROM|JOIN)\s+(customers|transactions_all|transactions|returns|feedback|events)\b", re.I)
_ROLE_OF = {"transactions_all": "transactions", "returns": "transactions"}


def said_for_sql(dataset, statements) -> list[str]:
    """What an answer whose queries (``statements``, its provenance) read the customers together
    with another table must say about that table's rows without a matching customer: every
    answer that uses two tables says it, whichever analysis wrote the join."""
    out: list[str] = []
    for sql in statements or []:
        read = {m.group(1).lower() for m in _READS.finditer(sql)}
        if "customers" not in read:
            continue
        for view in read - {"customers"}:
            out += [w for w in said(dataset, _ROLE_OF.get(view, view)) if w not in out]
    return out


# --- amounts kept in another table, keyed by order id (Olist's payments) -------------------------

#: the role a table of amounts per order id takes once joined to the orders (not a view of its own)
PAYMENTS = "payments"


def key_sql(column: str, t: str, alias: str = "") -> str:
    """SQL of an id column as text to compare ids across tables (1.0 and \"1\" alike, blanks as none)."""
    c = (f"{alias}." if alias else "") + qi(column)
    if t in ("DOUBLE", "FLOAT") or t.startswith("DECIMAL"):
        return f"CAST(CAST({c} AS BIGINT) AS VARCHAR)"
    return f"nullif(trim(CAST({c} AS VARCHAR)), '')"


#: the role of a table of order lines (or of their products) joined to its orders (``link_lines``)
LINES = "order lines"
#: a table of lines is joined to its orders when at least this share of its lines find their order
MIN_LINES_FOUND = 0.5


def link_lines(dataset) -> None:
    """Orders in one table (an order id, its customer and date, no amount: Olist's orders.csv,
    Northwind's Orders) and their lines in another (the order id and a price, amount or quantity,
    no customer: order_items.csv, Order Details): the orders are read joined to their lines, every
    order kept (one with no line has a blank amount), and a table of the lines' products keyed by
    the lines' product id (products.csv) is joined in too, its columns the products' (a category).
    Read apart, the lines were a second sales table with no customer, dated by their shipping date,
    and the orders had no amount: "revenue by state" was 100% "(no customer)". Done once per pair;
    the joined tables say so (``describe``) and are read through the orders."""
    if dataset._fork:
        return  # a fork reads its parent's sources, joined there
    for header in [s for s in dataset.sources if s.role == "transactions" and not s.joined]:
        hm = dataset.mapping_of(header)
        if not {"order_id", "customer_id", "order_date"} <= set(hm):
            continue
        # orders with money of their own (Etsy's EtsySoldOrders: Order Total, Number of Items) beside
        # their item lines (EtsySoldOrderItems): read apart, both were sales and every figure twice
        priced = any(c in hm for c in ("amount", "unit_price", "quantity"))
        # lines name what was sold (a product, a quantity, a price): a table of an order's payments (order id
        # and an amount alone, ``link_amounts``) is none; beside priced orders, the lines name their product
        # and are more than the orders. Told by their headers first: a file alone is never counted
        candidates = []
        for lines in dataset.sources:
            if lines is header or lines.role not in ("transactions", None) or lines.joined or \
                    lines.forced_role and lines.role != "transactions":
                continue
            lm = schema.match_headers(list(lines.columns), "transactions")
            if "order_id" in lm and "customer_id" not in lm and any(c in lm for c in ("product", "unit_price",
                                                                                     "quantity")) and \
                    not (priced and "product" not in lm):
                candidates.append((lines, lm))
        if not candidates:
            continue
        hcol = hm["order_id"].column
        hkey = key_sql(hcol, header.columns[hcol])
        rows, ids = dataset.engine.rows(f"SELECT count(*), count(DISTINCT {hkey}) FROM {qi(header.raw.relation)}")[0]
        if rows != ids:
            continue  # not one row per order: lines already
        best = None
        for lines, lm in candidates:
            lcol = lm["order_id"].column
            lkey = key_sql(lcol, lines.columns[lcol])
            n, found = dataset.engine.rows(
                f"SELECT count(*), count(*) FILTER (WHERE {lkey} IN (SELECT {hkey} FROM {qi(header.raw.relation)})) "
                f"FROM {qi(lines.raw.relation)}")[0]
            if n and found >= MIN_LINES_FOUND * n and (not priced or n > rows) and (best is None or found > best[1]):
                best = (lines, int(found), int(n), lcol)
        if best is not None:
            _join_lines(dataset, header, hcol, *best, priced=priced)


def _join_lines(dataset, header, hcol: str, lines, found: int, n: int, lcol: str, priced: bool = False) -> None:
    """The orders ``header`` read from a view of them joined to their ``lines`` (and the lines'
    products, where a table of them is loaded): ``link_lines``. Orders with money of their own
    (``priced``) are read by their lines' product, quantity, price and amount; their own columns, the
    same on each of their lines, are each order's (``Source.order_columns``: a discount or refund there is
    shared out over the order's lines by ``Dataset._derive_cost_and_net``)."""
    from .dataset import RawSource

    taken = set(header.columns)
    parts, joins_sql = [], [f"FROM {qi(header.raw.relation)} h LEFT JOIN {qi(lines.raw.relation)} l ON "
                            f"{key_sql(hcol, header.columns[hcol], 'h')} = {key_sql(lcol, lines.columns[lcol], 'l')}"]
    prefix = re.sub(r"\W+", "_", table_name(lines.name).lower())
    names: dict[str, str] = {}  # a line's column: its name in the view

    def carried(alias: str, src, skip: str) -> None:
        for c in src.columns:
            if c == skip:
                continue
            name = c if c not in taken else f"{prefix}_{c}"
            taken.add(name)
            parts.append(f"{alias}.{qi(c)} AS {qi(name)}")
            names.setdefault(c, name) if src is lines else None

    carried("l", lines, lcol)
    said = [f"{lines.name}: {found:,} of its {n:,} lines joined on {lcol} = {header.name}.{hcol}"]
    joined = [lines]
    for other in dataset.sources:  # the lines' products (or another thing of theirs) in a table of their own
        if other in (header, lines) or other.role not in (None, "customers") or other.forced_role or other.joined:
            continue
        for col in [c for c in other.columns if c in lines.columns and c != lcol and
                    schema.snake(c).replace("_", "").endswith("id")]:
            pkey = key_sql(col, other.columns[col])
            total, distinct = dataset.engine.rows(f"SELECT count(*), count(DISTINCT {pkey}) FROM "
                                                  f"{qi(other.raw.relation)}")[0]
            lkey = key_sql(col, lines.columns[col])
            n_lines, hit = dataset.engine.rows(
                f"SELECT count({lkey}), count(*) FILTER (WHERE {lkey} IN (SELECT {pkey} FROM {qi(other.raw.relation)})) "
                f"FROM {qi(lines.raw.relation)}")[0]
            if total != distinct or not n_lines or hit < MIN_LINES_FOUND * n_lines:
                continue
            alias = f"p{len(joined)}"
            joins_sql.append(f"LEFT JOIN {qi(other.raw.relation)} {alias} ON {key_sql(col, lines.columns[col], 'l')} = "
                             f"{key_sql(col, other.columns[col], alias)}")
            carried(alias, other, col)
            said.append(f"{other.name}: joined on {col} ({hit:,} of {n_lines:,} lines found theirs)")
            joined.append(other)
            break
    note = (f"read joined to its lines, every order kept (one with no line has no amount): " + "; ".join(said))
    _read_joined(dataset, header, f"SELECT h.*, {', '.join(parts)} " + " ".join(joins_sql), note, "joined")
    if priced:  # what was sold, how many and for how much: the lines' own columns, never the order's
        header.order_columns = frozenset(c for c in header.columns if c not in names.values())
        lm = schema.match_headers(list(lines.columns), "transactions")
        for c in ("product", "quantity", "unit_price", "amount"):
            header.mapping.pop(c, None)
            if c in lm:
                header.mapping[c] = Match(names[lm[c].column], f"{lines.name}: header {lm[c].column!r}")
        header.raw.notes.append(f"what was sold, how many and for how much are its lines' ({lines.name}); its "
                                f"own totals are each order's")
    header.joined = [s.name for s in joined]
    header.role_reason += f"; joined to {', '.join(header.joined)}"
    for src in joined:
        src.role, src.role_reason = LINES, f"read through {header.name}, joined to it ({note.split(': ', 1)[1]})"
        src.joined = [header.name]


def _read_joined(dataset, src, select: str, note: str, suffix: str) -> None:
    """``src`` read from now on from a view of ``select`` (its rows joined to another table's):
    its columns, their padding and its mapping read again from the view, ``note`` said."""
    from .dataset import RawSource

    relation = f"{src.raw.relation}__{suffix}"
    dataset.engine.execute(f"CREATE OR REPLACE VIEW {qi(relation)} AS {select}")
    raw = RawSource(name=src.name, relation=relation, path=src.raw.path, connector=src.raw.connector,
                    warnings=list(src.raw.warnings), notes=[*src.raw.notes, note])
    src.raw = raw
    src.columns = {c: t for c, t in dataset.engine.describe(qi(relation)).items() if not c.startswith("__")}
    src.rows = int(dataset.engine.rows(f"SELECT count(*) FROM {qi(relation)}")[0][0])
    src.padded = dataset._padded(raw, src.columns) if src.checked else set(src.padded) | {
        c for c, t in src.columns.items() if t == "VARCHAR"}
    src.padded_numbers = dataset._padded_numbers(raw, src.padded) if src.checked else set()
    src.mapping = schema.match_headers(list(src.columns), src.role)
    dataset._infer_by_values(src)


#: an id column of a customers table that may be the person behind several of its customer ids
_PERSON_ID = re.compile(r"unique|person|people|user|member|household|buyer|client|customer|cust")


def link_persons(dataset) -> None:
    """A customers table whose customer id is one per order and whose other id is the person
    (Olist's customers.csv: customer_id per order, customer_unique_id the person, several
    customer_ids each): the person's id is the customer, in the customers table (one row per
    person, their first) and on the orders (their customer id looked up there). Counted by
    customer_id, every customer bought once: no repeat buyers, no retention, no cohorts. Told by
    values: each customer id has one person, the persons are fewer (and at least half as many), and
    the orders' customer ids are the table's."""
    if dataset._fork:
        return
    customers = [s for s in dataset.sources if s.role == "customers" and "customer_id" in dataset.mapping_of(s)
                 and not s.forced_role and not s.lines_of and not s.joined]
    orders = [s for s in dataset.sources if s.role == "transactions" and "customer_id" in dataset.mapping_of(s)
              and "customer_id" not in s.overrides]
    for c in customers:
        kcol = dataset.mapping_of(c)["customer_id"].column
        key = key_sql(kcol, c.columns[kcol])
        for pcol in [x for x in c.columns if x != kcol and schema.snake(x).replace("_", "").endswith("id")
                     and _PERSON_ID.search(schema.snake(x))]:
            person = key_sql(pcol, c.columns[pcol])
            ids, persons, pairs = dataset.engine.rows(
                f"SELECT count(DISTINCT {key}), count(DISTINCT {person}), count(DISTINCT concat_ws('|', {key}, {person})) "
                f"FROM {qi(c.raw.relation)}")[0]
            if not (0.5 * ids <= persons < ids and pairs == ids):
                continue
            for o in orders:
                ocol = dataset.mapping_of(o)["customer_id"].column
                okey = key_sql(ocol, o.columns[ocol])
                n, found = dataset.engine.rows(
                    f"SELECT count({okey}), count(*) FILTER (WHERE {okey} IN (SELECT {key} FROM {qi(c.raw.relation)})) "
                    f"FROM {qi(o.raw.relation)}")[0]
                if not n or found < MIN_LINES_FOUND * n:
                    continue
                name = pcol if pcol not in o.columns else f"{table_name(c.name)}_{pcol}"
                note = (f"the customer is {c.name}'s {pcol}, the person: its {ids:,} {kcol} values are "
                        f"{persons:,} people (one {kcol} per order), looked up on {ocol}")
                _read_joined(dataset, o, f"SELECT o.*, c.{qi(pcol)} AS {qi(name)} FROM {qi(o.raw.relation)} o "
                                         f"LEFT JOIN (SELECT DISTINCT {key} AS __k, {qi(pcol)} FROM {qi(c.raw.relation)}) c "
                                         f"ON {key_sql(ocol, o.columns[ocol], 'o')} = c.__k", note, "persons")
                o.mapping["customer_id"] = Match(name, f"the person behind {ocol} ({c.name}.{pcol})")
                o.joined = [*o.joined, c.name]
            if any(c.name in o.joined for o in orders):
                c.mapping["customer_id"] = Match(pcol, f"the person: {ids:,} {kcol} values are {persons:,} people")
                c.raw.notes.append(f"{pcol} is the customer (the person, {persons:,}), not {kcol} (one per order, "
                                   f"{ids:,}): each person's first row is kept")
                c.joined = [o.name for o in orders if c.name in o.joined]
                break


#: the role of a table listing returned orders (Superstore's Returns sheet), read through the orders

#: the role of a table listing returned orders (Superstore's Returns sheet), read through the orders
RETURNED = "returned orders"
#: a header or a table name that says its rows are returned orders
_RETURNS_NAME = re.compile(r"return|retour|devoluci|refund|rma\b", re.I)


def link_returns(dataset) -> None:
    """A table of order ids whose name or header says they came back, and little else (Superstore's
    Returns sheet: Returned = Yes, Order ID): the orders of a sales table with those ids are returned
    in full, refunds as an order whose status says "Returned" is (``Source.returned_by``, read in
    ``Dataset._derive_transactions``), said in every answer. Before, "how many orders were returned"
    said 0, as if that were a finding. A table of that shape whose ids meet no orders is said unused."""
    for src in dataset.sources:
        if src.role == RETURNED and not src.forced_role:
            src.role = None
        src.returned_by = {}
    orders = [s for s in dataset.sources if s.role == "transactions" and "order_id" in dataset.mapping_of(s)
              and "status" not in dataset.mapping_of(s)]
    for src in dataset.sources:
        if src.role is not None or src.forced_role or len(src.columns) > 4 or not orders:
            continue
        key = schema.match_headers(list(src.columns), "transactions").get("order_id")
        named = _RETURNS_NAME.search(src.name) or any(_RETURNS_NAME.search(c) for c in src.columns)
        if key is None or not named:
            continue
        flag = next((c for c in src.columns if c != key.column and _RETURNS_NAME.search(c)), None)
        keep = "true"
        if flag is not None:  # Returned = Yes: the rows that say so (a blank or "No" is no return)
            keep = (f"coalesce(lower(trim(CAST({qi(flag)} AS VARCHAR))) IN ('yes', 'y', 'true', '1', 'returned', "
                    f"'x', 'ja', 'oui', 'si', 'sí'), false)")
        pkey = key_sql(key.column, src.columns[key.column])
        best = None
        for target in orders:
            okey_col = dataset.mapping_of(target)["order_id"].column
            okey = key_sql(okey_col, target.columns[okey_col])
            listed, found, lines = dataset.engine.rows(
                f"WITH p AS (SELECT DISTINCT {pkey} AS k FROM {qi(src.raw.relation)} WHERE {keep} AND {pkey} IS NOT NULL) "
                f"SELECT (SELECT count(*) FROM p), (SELECT count(DISTINCT {okey}) FROM {qi(target.raw.relation)} "
                f"WHERE {okey} IN (SELECT k FROM p)), (SELECT count(*) FROM {qi(target.raw.relation)} "
                f"WHERE {okey} IN (SELECT k FROM p))")[0]
            if found and (best is None or found > best[2]):
                best = (target, int(listed), int(found), int(lines), okey_col)
        if best is None or best[2] < 0.5 * best[1]:
            note = (f"not used: it lists order ids ({key.column}) as returned, but "
                    + ("few of them are orders of the sales loaded" if best else "no sales with an order id are loaded")
                    + ". Load the orders file too, or say its role with --data.")
            if note not in src.raw.warnings:
                src.raw.warnings.append(note)
            continue
        target, listed, found, lines, okey_col = best
        src.role = RETURNED
        src.role_reason = (f"order ids ({key.column}) of {target.name} that came back: {found:,} of its orders "
                           f"({lines:,} lines), read as returned in full")
        target.returned_by = {"source": src.name, "relation": src.raw.relation, "key": pkey, "keep": keep,
                              "order": okey_col, "orders": found, "lines": lines, "listed": listed}


def link_amounts(dataset) -> None:
    """Tables of amounts keyed by order id and nothing else (``schema.order_amounts``: Olist's
    payments, several lines per order) are joined to an orders table without an amount: each
    order's amount is the sum of its lines there (``amount_join``), never a union of the two
    tables. The table whose order ids meet most of the amount lines is chosen; the orders get
    ``paid_by`` (what was joined, with the counts) and a warning saying how many orders have no
    amount and how many amount lines found no order. A table of amounts that meets no orders
    table is said to be unused, with why."""
    for src in dataset.sources:
        if src.role == PAYMENTS and not src.forced_role:
            src.role, src.role_reason = None, src.pays_reason or src.role_reason
        src.paid_by, src.pays_for = {}, None
    candidates = []
    for src in dataset.sources:
        if src.role is not None or src.forced_role:
            continue
        found = schema.order_amounts(dataset.mapping_of(src))
        if found:
            candidates.append((src, found))
    if not candidates:
        return
    orders = [s for s in dataset.sources if s.role == "transactions" and "order_id" in dataset.mapping_of(s)
              and not any(c in dataset.mapping_of(s) for c in ("amount", "unit_price"))]
    for src, (key, amount) in candidates:
        src.pays_reason = src.role_reason
        best = None
        pkey = key_sql(key, src.columns[key])
        for target in orders:
            if target.paid_by:
                continue
            okey_col = dataset.mapping_of(target)["order_id"].column
            okey = key_sql(okey_col, target.columns[okey_col])
            row = dataset.engine.rows(
                f"WITH o AS (SELECT {okey} AS k FROM {qi(target.raw.relation)}), "
                f"p AS (SELECT {pkey} AS k FROM {qi(src.raw.relation)}) "
                "SELECT (SELECT count(*) FROM o), (SELECT count(DISTINCT k) FROM o), "
                "(SELECT count(*) FROM p), (SELECT count(*) FROM p WHERE k IN (SELECT k FROM o)), "
                "(SELECT count(DISTINCT k) FROM o WHERE k IN (SELECT k FROM p))")[0]
            if best is None or row[3] > best[1][3]:
                best = (target, tuple(int(x or 0) for x in row), okey_col)
        said = f"{key} and {amount} (amounts per order id: no date, no customer)"
        if best is None or best[1][3] == 0:
            why = ("no orders table without an amount is loaded" if not orders else
                   f"none of its {key} values is an order id of {', '.join(o.name for o in orders)}")
            src.warnings.append(f"not used: its headers {said} look like amounts to join to the orders on {key}, "
                                f"but {why}. Load the orders file too (with --data), or give its role with "
                                "--data transactions=PATH and map a date with --map order_date=COLUMN.")
            continue
        target, (rows, distinct, lines, matched_lines, paid), okey_col = best
        if rows != distinct:
            src.warnings.append(f"not used: {target.name} has {rows - distinct:,} line(s) sharing an order id with "
                                f"another, so a whole order's {amount} cannot be put on one line. Join the files "
                                "before loading, or load it with --data transactions=PATH and a date mapped.")
            continue
        src.role, src.pays_for = PAYMENTS, target.name
        src.role_reason = (f"headers {said}: summed per order and joined to {target.name} on "
                           f"{key} = {okey_col}")
        attributes = _attributes(dataset, src, {key, amount})
        target.paid_by = {"source": src.name, "relation": src.raw.relation, "key": key, "amount": amount,
                          "attributes": {schema.snake(c): c for c in attributes
                                         if schema.snake(c) not in {schema.snake(x) for x in target.columns}},
                          "amount_type": src.columns[amount], "key_type": src.columns[key], "order_key": okey_col,
                          "orders": distinct, "paid": paid, "lines": lines, "matched_lines": matched_lines}


#: a text column of a table of amounts with at most this many values is carried to its orders
#: (Olist's payment_type): "revenue by payment type", "only credit card payments"
MAX_ATTRIBUTE_VALUES = 50


def _attributes(dataset, src, used: set[str]) -> list[str]:
    """The text columns of a table of amounts that describe the payment (few values: a type, a
    method), carried to each order as its values joined with " + " (an order paid by card and
    voucher is "credit_card + voucher")."""
    text = [c for c, t in src.columns.items() if c not in used and t == "VARCHAR"]
    if not text:
        return []
    row = dataset.engine.rows("SELECT " + ", ".join(f"count(DISTINCT {qi(c)})" for c in text)
                              + f" FROM {qi(src.raw.relation)}")[0]
    return [c for c, n in zip(text, row) if 0 < int(n or 0) <= MAX_ATTRIBUTE_VALUES]


def amount_join(dataset, src, lines: str) -> str:
    """The relation an orders source without an amount is read from when a table of amounts
    per order id was joined to it (``link_amounts``): its lines with ``__paid``, the sum of the
    amounts of its order there (NULL when the order has none: blank, not zero)."""
    pay = src.paid_by
    amount = qi(pay["amount"])
    value = f"CAST({amount} AS DOUBLE)" if column_sql.is_numeric(pay["amount_type"]) else \
        column_sql.number_expression(pay["amount"], lambda n: [r[0] for r in dataset.engine.rows(
            f"SELECT DISTINCT {amount} FROM {qi(pay['relation'])} WHERE {amount} IS NOT NULL LIMIT {int(n)}")])
    attrs = pay.get("attributes") or {}
    carried = "".join(f", p.{qi(name)}" for name in attrs)
    per_order = "".join(f", string_agg(DISTINCT nullif(trim(CAST({qi(col)} AS VARCHAR)), ''), ' + ' "
                        f"ORDER BY nullif(trim(CAST({qi(col)} AS VARCHAR)), '')) AS {qi(name)}"
                        for name, col in attrs.items())
    return (f"(SELECT o.*, p.__paid{carried} FROM {lines} AS o LEFT JOIN (SELECT "
            f"{key_sql(pay['key'], pay['key_type'])} AS __key, round(sum({value}), 2) AS __paid{per_order} "
            f"FROM {qi(pay['relation'])} GROUP BY 1) AS p "
            f"ON {key_sql(pay['order_key'], src.columns[pay['order_key']], 'o')} = p.__key)")


def amount_notes(src) -> tuple[str, list[str]]:
    """What ``describe`` and every answer reading the orders say about amounts joined from
    another table: the derivation, and the orders without an amount and the amount lines without
    an order when the join is partial."""
    pay = src.paid_by
    note = (f"amount = the sum of {pay['amount']} of the order's lines in {pay['source']} (joined on "
            f"{pay['order_key']} = {pay['source']}.{pay['key']})")
    if pay.get("attributes"):
        note += (f"; {', '.join(pay['attributes'])} of the order: its lines' values, an order with several joined "
                 "with ' + ' (\"credit_card + voucher\")")
    out = []
    orders, paid, lines, matched = pay["orders"], pay["paid"], pay["lines"], pay["matched_lines"]
    if paid < orders:
        out.append(f"only {paid:,} of {orders:,} orders ({pct(paid / max(orders, 1))}) have an amount: "
                   f"{orders - paid:,} have no line in {pay['source']}, so their amount is blank (not zero) and they "
                   "are left out of revenue and of the average order value (order counts include them)")
    if matched < lines:
        out.append(f"{lines - matched:,} of {lines:,} lines of {pay['source']} ({pct((lines - matched) / max(lines, 1))}) "
                   f"are for orders not in {src.name}: not counted")
    return note, out
