"""Order lines without a customer id (the UCI Online Retail layout: CustomerID empty on a fifth of the
lines, ids written as floats "17850.0", "C" cancellation invoices, lines quoted whole by an Excel
round-trip). Shop-wide totals keep the lines without a customer; every per-customer figure leaves
them out, no blank customer is ranked or counted, and the answer says once what was left out."""

import pytest

from custlens import Session
from custlens.errors import DataError

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
# (customer id, country, days of December 2010 with an order, value of each order): 10 orders, 2,160.00
CUSTOMERS = [("17850.0", "United Kingdom", [1, 2, 13], 300.0), ("13047.0", "United Kingdom", [1, 5], 200.0),
             ("12583.0", "France", [2], 150.0), ("12662.0", "Germany", [1], 120.0),
             ("14911.0", "EIRE", [1, 3], 250.0), ("16029.0", "United Kingdom", [3], 90.0)]
KNOWN = {"17850", "13047", "12583", "12662", "14911", "16029"}
# guest sales (no CustomerID): 7 lines in 4 orders worth 3,150.00, more than any customer (17850: 900.00)
GUEST_LINES, GUEST_ORDERS, GUEST_REVENUE, REVENUE = 7, 4, 3150.0, 5310.0


def lines() -> list[str]:
    out, invoice = [], 536000
    for customer, country, days, value in CUSTOMERS:
        for d in days:
            invoice += 1
            for code, item in (("85123A", "WHITE HANGING HEART"), ("71053", "WHITE METAL LANTERN")):
                out.append(f"{invoice},{code},{item},4,12/{d}/2010 9:{d:02d},{value / 8:.2f},{customer},{country}")
    for d in (1, 2, 13):
        invoice += 1
        out.append(f"{invoice},22633,HAND WARMER UNION JACK,100,12/{d}/2010 11:00,5.00,,United Kingdom")
        out.append(f"{invoice},22632,HAND WARMER RED POLKA DOT,100,12/{d}/2010 11:00,5.00,,United Kingdom")
    out.append(f"{invoice + 1},22633,HAND WARMER UNION JACK,30,12/1/2010 12:00,5.00,,EIRE")
    # two cancellation invoices (3 lines, 127.50) and two stock adjustments (negative, worth 0, no customer)
    out += ["C536379,D,Discount,-1,12/1/2010 9:41,27.50,17850.0,United Kingdom",
            "C536380,85123A,WHITE HANGING HEART,-2,12/2/2010 10:00,37.50,13047.0,United Kingdom",
            "C536380,71053,WHITE METAL LANTERN,-1,12/2/2010 10:00,25.00,13047.0,United Kingdom",
            "536414,22139,,-56,12/1/2010 11:52,0.00,,United Kingdom",
            "536415,22140,?,-10,12/2/2010 11:52,0.00,,United Kingdom"]
    return out


def write(path, rows: list[str]) -> str:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:  # a BOM, CRLF line ends, as exported
        fh.write("\r\n".join([HEADER, *rows]) + "\r\n")
    return str(path)


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    s = Session(data=[write(tmp_path_factory.mktemp("uci") / "online_retail.csv", lines())], entry_points=False)
    yield s
    s.close()


def blank(value) -> bool:
    return value is None or str(value).strip().lower() in ("", "nan", "none", "nat", "null", "<na>")


def customer_cells(answer) -> list:
    """Every value of a customer column of every table of ``answer``."""
    return [row[i] for t in answer.tables for i, c in enumerate(t.columns) if c in ("customer", "customer_id")
            for row in t.frame.itertuples(index=False)]


def said_once(answer) -> str:
    notes = [w for w in answer.warnings if "have no customer id" in w]
    assert len(notes) == 1, answer.warnings
    return notes[0]


def test_the_note_says_the_lines_and_the_revenue_without_a_customer(session):
    src = session.dataset.sources[0]
    assert src.no_customer == {"lines": GUEST_LINES, "orders": GUEST_ORDERS, "revenue": GUEST_REVENUE,
                               "total": REVENUE}
    note = said_once(session.ask("total revenue by country"))
    # 9 lines without a customer: the 7 purchases and the 2 stock adjustments
    assert note.startswith("online_retail.csv: 9 line(s) have no customer id (7 purchase line(s) worth 3,150.00, 59.3% of revenue)")
    assert "left out of per-customer figures" in note


def test_top_customers_leave_the_lines_without_a_customer_out(session):
    a = session.ask("top 10 customers by revenue")
    table = a.table("by_customer")
    assert [r[0] for r in table.rows][:3] == ["17850", "13047", "14911"] or \
        [r[0] for r in table.rows][:2] == ["17850", "14911"]
    assert set(r[0] for r in table.rows) == KNOWN and table.total_rows == 6
    assert table.rows[0][1] == 900.0
    assert sum(r[1] for r in table.rows) == REVENUE - GUEST_REVENUE
    assert "share of customer revenue" in table.columns  # the share is of what customers bought
    assert "of 6 customers" in a.summary and "**17850** is highest" in a.summary
    assert not any(w in a.summary.lower().split() for w in ("nan", "none", "**nan**"))
    assert dict(a.table("headline").rows)["customers"] == 6
    assert dict(a.table("headline").rows)["revenue"] == REVENUE  # the shop-wide total keeps them
    said_once(a)


def test_a_filtered_ranking_has_no_blank_customer(session):
    session.chat("start over")
    first = session.chat("who are my best customers")
    assert not any(blank(v) for v in customer_cells(first))
    eire = session.chat("only EIRE")
    assert [r[0] for r in eire.table("by_customer").rows] == ["14911"]  # the EIRE guest line (150.00) is no customer
    assert "of 1 customer" in eire.summary
    assert dict(eire.table("headline").rows)["customers"] == 1
    assert dict(eire.table("headline").rows)["revenue"] == 650.0


def test_per_customer_averages_divide_what_customers_bought(session):
    a = session.ask("how many customers do we have and what do they spend")
    h = dict(a.table("headline").rows)
    assert h["customers"] == 6 and h["orders"] == 14 and h["revenue"] == REVENUE
    assert h["orders per customer"] == round(10 / 6, 2) and h["revenue per customer"] == 360.0
    assert h["orders without a customer id"] == GUEST_ORDERS and h["revenue without a customer id"] == GUEST_REVENUE
    assert "1.67 orders and 360.00 per customer" in a.summary and "4 of them without a customer id" in a.summary
    uk = session.ask("how many customers do we have in the United Kingdom")
    h = dict(uk.table("headline").rows)  # 17850 (3 orders, 900), 13047 (2, 400), 16029 (1, 90)
    assert h["customers"] == 3 and h["orders per customer"] == 2 and h["revenue per customer"] == round(1390 / 3, 2)


@pytest.mark.parametrize("by", [["customer", "country"], ["country", "customer"]])
def test_a_pivot_by_customer_has_no_blank_customer(session, by):
    a = session.run("overview", {"by": by})
    pivot = next(t for t in a.tables if "_x_" in t.name)
    names = [r[0] for r in pivot.rows] if by[0] == "customer" else pivot.columns[1:]
    assert set(names) <= KNOWN and not any(blank(n) for n in names)


@pytest.mark.parametrize("question, table, column", [
    ("segment customers by RFM", "customers", "customer_id"),
    ("what is the lifetime value of our customers", "customers", "customer_id"),
    ("what is our repeat purchase rate", "loyalty_headline", None),
    ("what is our churn rate", "headline", None),
    ("what share of revenue comes from the top 20% of customers", "top_customers", "customer"),
    ("cohort retention by first purchase", "cohort_sizes", None),
])
def test_every_per_customer_analysis_counts_the_same_customers(session, question, table, column):
    a = session.ask(question)
    assert not any(blank(v) for v in customer_cells(a)), question
    frame = a.table(table).frame
    if column:
        assert set(frame[column].astype(str)) <= KNOWN
        if a.table(table).complete and table == "customers":
            assert set(frame[column].astype(str)) == KNOWN
    elif "measure" in frame:
        assert dict(zip(frame["measure"], frame["value"]))["customers"] == 6
    else:
        assert frame["customers"].sum() == 6
    assert not any(w in a.summary.lower().split() for w in ("nan", "none"))


def test_the_concentration_ranks_customers_only(session):
    a = session.ask("what share of revenue comes from the top 20% of customers")
    assert "(2 of 6)" in a.summary  # 6 customers, not 7
    assert a.table("top_customers").rows[0][0] == "17850"


@pytest.mark.parametrize("question", ["how much of our sales has no customer id", "lines without a customer",
                                      "how many orders have a blank customer id"])
def test_the_sales_without_a_customer_id_are_answered(session, question):
    a = session.ask(question)
    assert a.analysis == "overview" and a.params["focus"] == "no_customer", a.understood
    rows = {r[0]: r[1:] for r in a.table("no_customer").rows}
    assert rows["without a customer id"] == [GUEST_LINES, GUEST_ORDERS, GUEST_REVENUE, round(GUEST_REVENUE / REVENUE, 6)]
    assert rows["all purchases"][2] == REVENUE
    assert "7 of 27 purchase lines (25.9%) have no customer id" in a.summary
    assert "3,150.00" in a.summary and "59.3% of revenue" in a.summary


def test_the_sales_without_a_customer_id_in_a_scope(session):
    a = session.ask("how much of our revenue in EIRE has no customer id")
    assert a.params["focus"] == "no_customer"
    rows = {r[0]: r[1:] for r in a.table("no_customer").rows}
    assert rows["without a customer id"][:3] == [1, 1, 150.0] and rows["all purchases"][2] == 650.0


def test_cancellations_are_the_c_invoices_and_agree_with_the_returns(session):
    a = session.ask("how many cancellations did we have")
    h = dict(a.table("headline").rows)
    assert h["cancelled orders"] == 2 and h["cancelled lines"] == 3 and h["cancelled value"] == 127.5
    assert h["other return lines"] == 2 and h["other return value"] == 0
    assert "**2 orders cancelled**" in a.summary and "of the 5 return/cancellation lines" in a.summary
    assert any(w.startswith("5 return/cancellation line(s)") for w in (n.split(": ", 1)[1] for n in a.warnings))
    by = session.ask("cancelled orders by country")
    assert by.table("cancelled_by_country").rows == [["United Kingdom", 2, 127.5]]
    none = session.ask("how many orders were cancelled in Germany")
    assert dict(none.table("headline").rows)["cancelled orders"] == 0
    assert "no cancellation or return line matches" in none.summary


def test_without_c_invoices_returns_are_counted_as_returns_or_cancellations(tmp_path):
    rows = [r for r in lines() if not r.startswith("C")] + ["536900,85123A,WHITE HANGING HEART,-2,12/2/2010 10:00,"
                                                             "37.50,13047.0,United Kingdom"]
    s = Session(data=[write(tmp_path / "orders.csv", rows)], entry_points=False)
    a = s.ask("how many cancellations did we have")
    h = dict(a.table("headline").rows)
    assert h["cancelled orders"] == 3 and h["cancelled lines"] == 3 and h["cancelled value"] == 75.0
    assert "returns and cancellations are not told apart" in a.summary
    clean = Session(data=[write(tmp_path / "clean.csv", [r for r in lines() if "-" not in r.split(",")[3]])],
                    entry_points=False)
    assert "No cancelled orders recorded" in clean.ask("how many cancellations did we have").summary


def quoted(line: str) -> str:
    return '"' + line.replace('"', '""') + '"'


def test_lines_quoted_whole_are_read_as_their_fields(tmp_path):
    rows = lines()
    plain = write(tmp_path / "plain.csv", rows)
    wrapped = list(rows)
    wrapped[3] = quoted(rows[3])
    wrapped.insert(6, quoted('536999,82567,"AIRLINE LOUNGE,METAL SIGN",2,12/3/2010 9:03,11.25,17850.0,United Kingdom'))
    path = write(tmp_path / "excel.csv", wrapped)
    before = open(path, "rb").read()
    s = Session(data=[path], entry_points=False)
    assert open(path, "rb").read() == before  # the file itself is never changed
    assert s.dataset.sources[0].warnings[0].startswith("2 line(s) were quoted as a whole")
    sign = s.dataset.rows("SELECT product, quantity, amount, customer_id FROM transactions WHERE order_id = '536999'")
    assert sign == [("AIRLINE LOUNGE,METAL SIGN", 2.0, 22.5, "17850")]
    h = dict(s.ask("total revenue").table("headline").rows)
    ref = dict(Session(data=[plain], entry_points=False).ask("total revenue").table("headline").rows)
    assert h["revenue"] == ref["revenue"] + 22.5 and h["customers"] == ref["customers"]


def test_a_line_that_still_does_not_fit_is_named_with_its_number(tmp_path):
    rows = lines()
    rows[3] = quoted(rows[3])
    rows[8] = "536777,85123A,WHITE HANGING HEART,4"  # 4 fields of 8: no quoting explains it
    with pytest.raises(DataError, match=r"line 10 has 4 fields where the header has 8"):
        Session(data=[write(tmp_path / "bad.csv", rows)], entry_points=False)
    rows = lines()
    rows[5] = '"just a note, not a line"'  # one quoted field that does not split into the header's 8
    with pytest.raises(DataError, match=r"line 7 has 1 fields where the header has 8"):
        Session(data=[write(tmp_path / "note.csv", rows)], entry_points=False)
