"""custlens-acme: an example plugin a company writes for itself.

It adds one analysis, ``mrr`` (subscription MRR and revenue churn, month by month), and one
connector, ``acme_export`` (ACME's nested JSON export of subscriptions and their invoices,
flattened to transactions). custlens finds this module through the ``custlens`` entry point in
pyproject.toml and calls the two hooks below.
"""

from __future__ import annotations

from custlens import hookimpl

from .connector import AcmeExport
from .mrr import Mrr

__all__ = ["AcmeExport", "Mrr"]


@hookimpl
def register_analyses(register):
    register(Mrr())


@hookimpl
def register_connectors(register):
    register(AcmeExport())
