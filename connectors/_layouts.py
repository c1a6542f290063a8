"""Reading help for export layouts whose rows mean more than their cells say.

Shopify's orders export writes one row per line item, and fills the order's own columns (Email,
Financial Status, Created at, Billing Country...) on the order's first row only: the other rows
of the order leave them blank. Read literally, a refunded order's second line would count as a
sale and land in no country. So the blank order columns of those rows are filled in from the
same order (same Name), in the table the connector made; the file itself is never touched.
Order-level money (Total, Subtotal, Shipping, Taxes, discounts, refunds) is left on the first row
only, so that summing a column still counts each order once.
"""

from __future__ import annotations

from custlens.dataset import qi
from custlens.schema import LAYOUTS, normalise

#: headers (normalised) that tell a Shopify orders export
SHOPIFY_ORDERS = next(lay.signature for lay in LAYOUTS if lay.name == "Shopify orders")

#: Shopify's order-level amounts: kept on the order's first row only
_ORDER_MONEY = frozenset({"subtotal", "shipping", "taxes", "total", "discount amount", "refunded amount",
                          "outstanding balance", "duties"})


def _per_line(norm: str) -> bool:
    return norm == "name" or norm.startswith("lineitem") or norm == "vendor" or norm in _ORDER_MONEY or \
        (norm.startswith("tax ") and norm.endswith(" value"))


def fill_order_rows(con, relation: str, columns: list[str] | None = None) -> list[str]:
    """Fill the blank order columns of a Shopify orders export's later line-item rows from the
    order's first row. ``relation`` must be a table. Returns notes for ``describe`` (empty when
    the layout is not Shopify's or no row needed filling)."""
    if columns is None:
        columns = [r[0] for r in con.execute(f"DESCRIBE {qi(relation)}").fetchall()]
    norm = {c: normalise(c) for c in columns}
    if not SHOPIFY_ORDERS <= set(norm.values()):
        return []
    key = next(c for c, n in norm.items() if n == "name")
    fill = [c for c, n in norm.items() if not _per_line(n)]
    if not fill:
        return []
    rel = qi(relation)
    rows = con.execute(f"SELECT count(*) FROM (SELECT {qi(key)} FROM {rel} GROUP BY 1 HAVING count(*) > 1)"
                       ).fetchall()[0][0]
    if not rows:
        return []
    window = f"(PARTITION BY {qi(key)} ORDER BY __row ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
    replace = ", ".join(f"coalesce({qi(c)}, first_value({qi(c)} IGNORE NULLS) OVER {window}) AS {qi(c)}"
                        for c in fill)
    con.execute(f"CREATE OR REPLACE TABLE {rel} AS SELECT * EXCLUDE (__row) REPLACE ({replace}) "
                f"FROM (SELECT *, rowid AS __row FROM {rel}) ORDER BY __row")
    return [f"Shopify orders layout: {rows:,} order(s) have several line-item rows; their order columns "
            "(Email, Financial Status, Created at, Billing Country...) were filled in on every row from the "
            "order's first row. Order totals stay on the first row only."]


def with_notes(raw, notes: list[str]):
    """Attach notes for ``describe`` to a RawSource (``RawSource.notes``, shown with its derivations)."""
    if notes:
        raw.notes = list(getattr(raw, "notes", None) or []) + notes
    return raw
