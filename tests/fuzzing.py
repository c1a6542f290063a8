"""The fuzzers shared by tests/test_fuzz.py (bounded, in CI) and benchmarks/fuzz.py (at length):
Hypothesis strategies for questions and small tables, and the checks that every outcome is an
Answer or one of custlens's own errors."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import strategies as st

from custlens.answer import Answer
from custlens.errors import CustlensError
from custlens.session import Session

SEEDS = ["how many customers do we have and what do they spend?", "total revenue by country", "top 10 products",
         "sales by month in 2024", "RFM segmentation", "cluster customers into 3 groups",
         "which products are bought together?", "what is our churn rate?", "cohort analysis",
         "what is the lifetime value of our customers?", "create personas for our segments",
         "and for France?", "by quarter instead", "why?", "go back", "export that to excel", "no, use k=4",
         "top 5", "only B2B", "reset filters", "1", "the second", "what is our repeat purchase rate"]
FOLLOW = ["and for Germany?", "why?", "go back", "top 3", "by month instead", "no, use top=2"]


#: questions at the length limit in the shapes that make a pattern backtrack (runs of one character,
#: one word said again and again): each must be read as quickly as a short one
LONG = {"spaces": "total revenue" + " " * 3000, "tabs and new lines": "total revenue" + "\t\n " * 1000,
        "one word again": "revenue by country " * 200, "letters and spaces": "a " * 1900, "one long word": "x" * 3900,
        "digits": "1" * 3900, "digits and spaces": "1 " * 1900, "dots": "." * 3900, "dashes": "-" * 3900,
        "commas": "revenue, " * 400, "slips": "sorry " * 600 + "i mean by country", "no": "no " * 1200,
        "months": "jan " * 900, "by": "by " * 1200, "dates": "2024/10/01 " * 350, "years": "2024-" * 700,
        "quotes": "'" * 3900, "brackets": "(" * 3900, "wise": "state wise " * 350,
        "scope": "only germany and france, not uk, in 2024 vs 2023 by month " * 60,
        "without": "without partner and " * 190, "top": "top 10 " * 500}


def _mutate(draw_text: str, ops: list[tuple[str, int, str]]) -> str:
    text = draw_text
    for op, pos, piece in ops:
        pos = pos % (len(text) + 1)
        if op == "insert":
            text = text[:pos] + piece + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + len(piece):]
        elif op == "swap":
            words = text.split()
            if len(words) > 1:
                i = pos % (len(words) - 1)
                words[i], words[i + 1] = words[i + 1], words[i]
            text = " ".join(words)
        else:
            text = text.upper() if pos % 2 else text.lower()
    return text


def questions():
    """Real questions mutated (inserts of any unicode, deletes, swapped words, case), and random text."""
    op = st.tuples(st.sampled_from(["insert", "delete", "swap", "case"]), st.integers(0, 200),
                   st.text(min_size=1, max_size=6))
    mutated = st.builds(_mutate, st.sampled_from(SEEDS), st.lists(op, max_size=4))
    return st.one_of(mutated, st.text(max_size=80), st.sampled_from(SEEDS))


def store_rows(n: int = 60) -> list[dict]:
    rows = []
    for i in range(n):
        rows.append({"customer_id": f"C{i % 15:03d}", "order_id": f"O{i // 2:04d}",
                     "order_date": f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}", "product": f"P{i % 6}",
                     "amount": 10 + (i * 37) % 90, "country": ["Germany", "France", "Spain"][i % 3],
                     "customer_type": ["B2B", "B2C"][i % 2]})
    return rows


def store_session(folder: Path) -> Session:
    path = folder / "orders.csv"
    rows = store_rows()
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    session = Session(data=[str(path)], entry_points=False)
    session.export_dir = str(folder)
    session.confine_exports = True  # "export that to /x/y" stays in the folder
    return session


def outcome(call) -> str:
    """'answer' or 'error' (custlens's own); anything else propagates and fails the caller."""
    try:
        result = call()
    except CustlensError as exc:
        assert str(exc).strip(), "an error without a message"
        return "error"
    assert isinstance(result, Answer)
    return "answer"


def chat_fresh(session: Session, question: str) -> str:
    fork = session.fork()
    try:
        return outcome(lambda: fork.chat(question))
    finally:
        fork.close()


def chat_ongoing(session: Session, lines: list[str]) -> list[str]:
    fork = session.fork()
    try:
        out = [outcome(lambda: fork.chat("total revenue by country"))]
        for i, line in enumerate(lines):
            out.append(outcome(lambda: fork.chat(line)))
            out.append(outcome(lambda: fork.chat(FOLLOW[i % len(FOLLOW)])))
        return out
    finally:
        fork.close()


CELL = st.one_of(st.none(), st.integers(-10 ** 6, 10 ** 6), st.floats(allow_nan=True, allow_infinity=True),
                 st.text(max_size=12), st.sampled_from(["2024-01-05", "05/01/2024", "", "C001", "=1+1", "-", "N/A"]))
HEADERS = ["customer_id", "order_id", "order_date", "amount", "product", "quantity", "unit_price", "country",
           "email", "Total", "date", "x", ""]


def tables():
    """Small tables: 1-6 columns with common or odd headers, 0-25 rows of mixed values."""
    return st.integers(1, 6).flatmap(lambda ncol: st.tuples(
        st.lists(st.sampled_from(HEADERS) | st.text(max_size=8), min_size=ncol, max_size=ncol),
        st.lists(st.lists(CELL, min_size=ncol, max_size=ncol), max_size=25)))


def write_file(folder: Path, kind: str, table) -> Path:
    import pandas as pd

    headers, rows = table
    if kind == "basket":
        path = folder / "baskets.csv"
        path.write_text("\n".join(",".join("" if v is None else str(v) for v in row) for row in rows),
                        encoding="utf-8", errors="surrogatepass")
        return path
    if kind == "xlsx":
        path = folder / "data.xlsx"
        frame = pd.DataFrame(rows, columns=[f"{h}" for h in headers]) if rows else pd.DataFrame(columns=headers)
        try:
            frame.to_excel(path, index=False)
        except Exception:  # noqa: BLE001 - openpyxl refuses some characters and duplicate names: write text
            path.write_bytes(b"PK\x03\x04 not really a workbook")
        return path
    path = folder / "data.csv"
    with path.open("w", newline="", encoding="utf-8", errors="surrogatepass") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    return path


def load_and_ask(path: Path, question: str) -> list[str]:
    holder: dict = {}

    def load():
        holder["s"] = Session(data=[str(path)], entry_points=False)
        return Answer(analysis="load", title="loaded")

    out = [outcome(load)]
    if "s" in holder:
        out.append(outcome(lambda: holder["s"].ask(question)))
        out.append(outcome(lambda: (holder["s"].dataset.describe(), Answer(analysis="d", title="d"))[1]))
    return out
