"""acme_export: ACME's JSON export of its subscriptions, flattened to one transaction per invoice.

The export nests invoices inside subscriptions::

    {"exported_at": "2024-07-01T00:00:00Z",
     "subscriptions": [
        {"customer": "C001", "plan": "pro", "country": "DE",
         "invoices": [{"id": "INV-1", "date": "2024-01-03", "amount": 100.0},
                      {"id": "INV-9", "date": "2024-02-03", "amount": 150.0, "plan": "business"}]}]}

Each invoice becomes a row ``customer_id, order_id, order_date, amount, product`` (the invoice's
plan, else its subscription's) and ``country`` when the subscription has one: canonical names,
so custlens needs no mapping. The file is read with Python's json module rather than DuckDB so
that a bad record can be named (``subscriptions[3] (customer C004), invoices[2]``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd

from custlens.analysis import Connector
from custlens.dataset import RawSource, qi
from custlens.errors import DataError

#: the keys that mark a JSON file as an ACME export when its name does not say so
MARKER_KEYS = ('"exported_at"', '"subscriptions"')
SNIFF_BYTES = 64 * 1024


class AcmeExport(Connector):
    name = "acme_export"
    description = "ACME's JSON export of subscriptions and their invoices (*.acme.json, or JSON with exported_at and subscriptions)"
    extensions = (".acme.json",)

    def sniff(self, path: Path) -> float:
        """Sure of ``*.acme.json``; fairly sure of another ``.json`` whose start has both marker
        keys (ahead of the generic JSON reader's 0.5); not interested in anything else."""
        name = path.name.lower()
        if name.endswith(".acme.json"):
            return 0.9
        if not name.endswith(".json") or not path.is_file():
            return 0.0
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES).decode("utf-8", errors="replace")
        return 0.8 if all(key in head for key in MARKER_KEYS) else 0.0

    def open(self, path: Path, con, name: str, selector: str | None = None) -> list[RawSource]:
        frame = flatten(read_export(path), path)
        con.register(f"{name}_frame", frame)
        con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT * FROM {qi(name + '_frame')}")
        con.unregister(f"{name}_frame")
        customers = frame["customer_id"].nunique()
        raw = RawSource(path.name, name, str(path), self.name, role="transactions")
        raw.notes.append(f"ACME export: {len(frame):,} invoices of {customers:,} subscriptions, "
                         "one transaction per invoice")
        return [raw]


def read_export(path: Path) -> dict:
    """The parsed export, or a DataError that names the file and says what is wrong."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
                        "Export it again from ACME.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the ACME export ({exc}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("subscriptions"), list):
        raise DataError(f'{path}: not an ACME export: expected an object with a "subscriptions" list '
                        '(each with "customer" and "invoices").')
    return data


def flatten(data: dict, path: Path) -> pd.DataFrame:
    """One row per invoice, every record checked; the first bad one is named in the error."""
    rows = []
    for i, sub in enumerate(data["subscriptions"]):
        where = f"{path}: subscriptions[{i}]"
        if not isinstance(sub, dict):
            raise DataError(f"{where} is not an object.")
        customer = sub.get("customer")
        if customer in (None, "") or isinstance(customer, (dict, list, bool)):
            raise DataError(f'{where} has no "customer" (the customer id): fix the record or remove it.')
        where += f" (customer {customer})"
        invoices = sub.get("invoices", [])
        if not isinstance(invoices, list):
            raise DataError(f'{where}: "invoices" should be a list of {{"date", "amount"}} objects.')
        for j, inv in enumerate(invoices):
            rows.append(_invoice_row(inv, f"{where}, invoices[{j}]", str(customer), sub, j))
    if not rows:
        raise DataError(f"{path}: the ACME export has no invoices, so there is nothing to analyse.")
    frame = pd.DataFrame(rows)
    return frame.drop(columns=[c for c in ("product", "country") if frame[c].isna().all()])


def _invoice_row(inv, where: str, customer: str, sub: dict, j: int) -> dict:
    if not isinstance(inv, dict):
        raise DataError(f"{where} is not an object.")
    try:
        day = dt.date.fromisoformat(str(inv.get("date"))[:10])
    except ValueError:
        raise DataError(f"{where}: date {inv.get('date')!r} is not a date (expected YYYY-MM-DD).") from None
    amount = inv.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
        raise DataError(f"{where}: amount {amount!r} is not a number.")
    return {"customer_id": customer, "order_id": str(inv.get("id") or f"{customer}-{j + 1}"),
            "order_date": day, "amount": float(amount),
            "product": inv.get("plan") or sub.get("plan"), "country": sub.get("country")}
