"""Small helpers many test files share (import them: ``from helpers import numbers``)."""

import csv
import re

from custlens import Session


def numbers(text: str, signed: bool = False) -> list[float]:
    """The numbers a narrative states, thousands separators removed ("1,234.5" -> 1234.5); with
    ``signed``, a leading minus counts (not for text with dates: "2024-01" would give -1)."""
    pattern = r"-?\d[\d,]*\.?\d*" if signed else r"\d[\d,]*\.?\d*"
    return [float(n.replace(",", "")) for n in re.findall(pattern, text)]


def demo_session(customers: int, seed: int):
    """A Session on the in-memory demo store (no installed plugins), and the store with its truth."""
    session = Session(entry_points=False)
    return session, session.load_demo(customers=customers, seed=seed)


def write(path, rows) -> str:
    """Write ``rows`` (the header first) as a CSV file; its path as text."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return str(path)


def deal_export(folder):
    """A deal export in ``folder``: 40 deals in 2024, every fourth won (100 each), the others open or
    lost (1,000 each); its path as text."""
    import datetime as dt

    stages = ["Closed Won", "Negotiation", "Closed Lost", "Proposal"]
    return write(folder / "deals.csv", [["deal_id", "account_id", "close_date", "stage", "amount"]] + [
        [f"D{i}", f"A{i % 10}", dt.date(2024, 1, 5) + dt.timedelta(days=8 * i), stages[i % 4],
         100.0 if i % 4 == 0 else 1000.0] for i in range(40)])


def telco_export(folder, customers: int = 420) -> str:
    """A Telco-like churn table in ``folder`` (one row per customer: gender, SeniorCitizen, Partner,
    Dependents, tenure, Contract, InternetService with DSL, Fiber optic and No, PaymentMethod, charges,
    Churn Yes/No, every fourth customer churned); its path as text."""
    contracts, internet = ["Month-to-month", "One year", "Two year"], ["DSL", "Fiber optic", "No"]
    methods = ["Electronic check", "Mailed check", "Bank transfer (automatic)"]
    return write(folder / "telco.csv", [
        ["customerID", "gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "Contract", "InternetService",
         "PaymentMethod", "MonthlyCharges", "TotalCharges", "Churn"]] + [
        [f"C{i:04d}", "Female" if i % 2 else "Male", i % 5 == 0 and 1 or 0, "Yes" if i % 2 else "No",
         "Yes" if i % 3 else "No", 1 + i % 70, contracts[i % 3], internet[i % 7 % 3], methods[i % 3], 20 + i % 80,
         (20 + i % 80) * (1 + i % 70), "Yes" if i % 4 == 0 else "No"] for i in range(customers)])


def session(*paths):
    """A Session on the files (no installed plugins)."""
    return Session(data=[str(p) for p in paths], entry_points=False)


def http_ask(client):
    """``ask(question, cid=None, status=200)``: POST /ask through ``client`` (an httpx client of a
    served Assistant), check the status and return the JSON."""
    def ask(question, cid=None, status=200):
        r = client.post("/ask", json={"question": question} | ({"conversation_id": cid} if cid else {}))
        assert r.status_code == status, r.text
        return r.json()
    return ask
