"""Build examples/store_workbook.xlsx: the kind of workbook a small shop keeps by hand.

    python examples/make_workbook.py            # writes examples/store_workbook.xlsx

Sheets:
  Orders     one row per order line (Order ID, Order Date, Customer ID, Product, Category, Quantity,
             Unit Price, Discount, Channel, Country); no amount column, so custlens derives it as
             quantity x unit price. One line is a return (negative quantity).
  Customers  one row per customer (Customer ID, Signup Date, City, Country, Segment, Age, Gender).
  Notes      free text, not a table of any role: custlens loads it, says it could not tell what it
             holds, and leaves it out of the analyses.

The data are fixed (a seeded generator): running the script again writes the same sheets.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).with_name("store_workbook.xlsx")

PRODUCTS = [  # product, category, unit price
    ("Espresso Beans 1kg", "Coffee", 24.90),
    ("Filter Beans 500g", "Coffee", 13.50),
    ("Decaf Beans 500g", "Coffee", 14.50),
    ("Hand Grinder", "Equipment", 69.00),
    ("Pour-Over Kettle", "Equipment", 49.00),
    ("Paper Filters (100)", "Accessories", 5.90),
    ("Ceramic Cup", "Accessories", 12.00),
    ("Barista Course", "Workshops", 85.00),
]
CUSTOMERS = [  # id, signup, city, country, segment, age, gender
    ("K-1001", dt.date(2023, 3, 14), "Hamburg", "Germany", "Regular", 34, "F"),
    ("K-1002", dt.date(2023, 5, 2), "Bremen", "Germany", "Occasional", 52, "M"),
    ("K-1003", dt.date(2023, 6, 21), "Hamburg", "Germany", "Regular", 28, "M"),
    ("K-1004", dt.date(2023, 8, 9), "Kiel", "Germany", "Café", 41, "F"),
    ("K-1005", dt.date(2023, 9, 30), "Lübeck", "Germany", "Occasional", 63, "F"),
    ("K-1006", dt.date(2023, 11, 11), "Copenhagen", "Denmark", "Regular", 37, "M"),
    ("K-1007", dt.date(2024, 1, 5), "Hamburg", "Germany", "Café", 45, "M"),
    ("K-1008", dt.date(2024, 1, 19), "Aarhus", "Denmark", "Occasional", 31, "F"),
    ("K-1009", dt.date(2024, 2, 8), "Groningen", "Netherlands", "Regular", 26, "F"),
    ("K-1010", dt.date(2024, 3, 3), "Hamburg", "Germany", "Occasional", 58, "M"),
    ("K-1011", dt.date(2024, 4, 16), "Hannover", "Germany", "Regular", 39, "F"),
    ("K-1012", dt.date(2024, 5, 27), "Bremen", "Germany", "Café", 47, "M"),
]
NOTES = [
    "Notes",
    "Exported from the till and the web shop on 1 July 2024 by Jule.",
    "Prices include VAT. Discounts are per line, in euro.",
    "K-1004, K-1007 and K-1012 are cafés on the wholesale price list (ask Tom before changing it).",
    "The return on 2024-04-09 is the grinder with the broken handle; the customer got a new one.",
    "TODO: add the market stall sales from May (still on paper).",
]


def orders(seed: int = 3) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    day = dt.datetime(2024, 1, 3, 9, 0)
    n = 0
    while len(rows) < 44:
        day += dt.timedelta(days=rng.randint(2, 8), hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
        n += 1
        cust = rng.choice(CUSTOMERS)
        if cust[1] > day.date():
            cust = CUSTOMERS[rng.randint(0, 5)]
        channel = "Shop" if cust[3] == "Germany" and rng.random() < 0.5 else "Web"
        for product, category, price in rng.sample(PRODUCTS, rng.choice([1, 1, 2, 2, 3])):
            qty = rng.choice([1, 1, 1, 2, 3]) * (5 if cust[4] == "Café" and category == "Coffee" else 1)
            discount = round(qty * price * 0.1, 2) if cust[4] == "Café" else 0.0
            rows.append((f"B-{2400 + n}", day.replace(second=0), cust[0], product, category, qty, price, discount,
                         channel, cust[3]))
    # a return: the hand grinder, sent back
    rows.append((f"B-{2400 + n + 1}", dt.datetime(2024, 4, 9, 11, 30), "K-1003", "Hand Grinder", "Equipment", -1, 69.00,
                 0.0, "Shop", "Germany"))
    return sorted(rows, key=lambda r: (r[1], r[0]))


def build(path: Path = OUT) -> Path:
    wb = Workbook()
    bold = Font(bold=True)

    ws = wb.active
    ws.title = "Orders"
    ws.append(["Order ID", "Order Date", "Customer ID", "Product", "Category", "Quantity", "Unit Price", "Discount",
               "Channel", "Country"])
    for row in orders():
        ws.append(list(row))
    for cell in ws["B"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    for col in ("G", "H"):
        for cell in ws[col][1:]:
            cell.number_format = "#,##0.00"

    ws = wb.create_sheet("Customers")
    ws.append(["Customer ID", "Signup Date", "City", "Country", "Segment", "Age", "Gender"])
    for row in CUSTOMERS:
        ws.append(list(row))
    for cell in ws["B"][1:]:
        cell.number_format = "yyyy-mm-dd"

    ws = wb.create_sheet("Notes")
    for line in NOTES:
        ws.append([line])
    ws.column_dimensions["A"].width = 90

    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = bold
        if sheet.title != "Notes":
            for letter in "ABCDEFGHIJ":
                sheet.column_dimensions[letter].width = 20
    wb.properties.created = dt.datetime(2024, 7, 1, 9, 0)
    wb.properties.creator = "custlens examples"
    wb.save(path)
    return path


if __name__ == "__main__":
    print(build())
