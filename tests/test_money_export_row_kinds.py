"""Trial 55 (a PayPal "Activity download" of a leather-goods shop): the rows of a money export are of several
kinds, said by its Type column. Read by their sign alone, PayPal's "General Currency Conversion" rows (a credit
after each foreign payment) were sales again, its withdrawals to the bank and payments to suppliers refunds, a
"Reversed" payment a sale, and each refund, written from the shop's own address without the item, was the
shop's: no customer's spend was net of one, and refunds by item missed those without an item."""

import pandas as pd
import pytest

from custlens import Session

SHOP = "hello@shop.example"


def _row(n, date, name, kind, status, gross, email, to=SHOP, item="", ref="", country="United Kingdom"):
    fee = round(-0.03 * gross, 2) if kind.endswith("Payment") and gross > 0 else 0.0
    return {"Date": date, "Time": "10:00:00", "TimeZone": "Europe/London", "Name": name, "Type": kind,
            "Status": status, "Currency": "GBP", "Gross": f"{gross:,.2f}", "Fee": f"{fee:,.2f}",
            "Net": f"{gross + fee:,.2f}", "From Email Address": email, "To Email Address": to,
            "Transaction ID": f"TX{n:06d}", "Item Title": item, "Reference Txn ID": ref, "Country": country,
            "Balance Impact": "Credit" if gross > 0 else "Debit"}


@pytest.fixture(scope="module")
def paypal(tmp_path_factory):
    rows, n = [], 0
    people = [(f"Customer {i}", f"c{i}@mail.example") for i in range(12)]
    for i in range(120):
        n += 1
        name, email = people[i % 12]
        item = ["Leather Belt", "Tote Bag", "Wallet"][i % 3]
        date = f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025"
        status = "Reversed" if i == 5 else "Denied" if i == 7 else "Completed"
        rows.append(_row(n, date, name, "Website Payment" if i % 2 else "Express Checkout Payment", status,
                         50.0 + i, email, item=item))
        if i % 10 == 3:  # a foreign payment's conversion: a credit and a debit of the shop's own money
            n += 1
            rows.append(_row(n, date, "", "General Currency Conversion", "Completed", 40.0 + i, ""))
            n += 1
            rows.append(_row(n, date, "", "General Currency Conversion", "Completed", -(41.0 + i), ""))
        if item == "Leather Belt" and i % 4 == 0:  # belts come back; the refund row names no item half the time
            payment = rows[-1] if rows[-1]["Type"].endswith("Payment") else next(
                r for r in reversed(rows) if r["Type"].endswith("Payment"))
            n += 1
            rows.append(_row(n, date, name, "Payment Refund", "Completed", -float(payment["Gross"]), SHOP, to=email,
                             item=item if i % 8 == 0 else "", ref=payment["Transaction ID"], country=""))
    for m in range(1, 13, 3):  # withdrawals to the bank and a payment to a supplier
        n += 1
        rows.append(_row(n, f"28/{m:02d}/2025", "", "General Withdrawal", "Completed", -900.0, SHOP))
        n += 1
        rows.append(_row(n, f"27/{m:02d}/2025", "Hides Ltd", "General Payment", "Completed", -300.0, SHOP,
                         to="sales@hides.example", item="Leather and hardware"))
    frame = pd.DataFrame(rows)
    path = tmp_path_factory.mktemp("paypal") / "Download.CSV"
    frame.to_csv(path, index=False)
    num = lambda col: frame[col].str.replace(",", "").astype(float)  # noqa: E731
    frame = frame.assign(gross=num("Gross"), net=num("Net"))
    return Session(data=[str(path)], entry_points=False), frame


def _said(answer) -> str:
    return answer.summary.replace("**", "")


def test_only_completed_payments_are_sales(paypal):
    s, frame = paypal
    sales = frame[frame.Type.str.endswith("Payment") & (frame.Status == "Completed") & (frame.gross > 0)]
    a = s.fork().ask("how much did we sell")
    assert f"{len(sales):,} orders worth {sales.net.sum():,.0f}" in _said(a)
    buyers = sales["From Email Address"].nunique()
    assert f"{buyers} customers" in _said(a)
    said = " ".join(a.warnings)
    assert "'General Currency Conversion'" in said and "'General Withdrawal'" in said and "payments the shop made" in said


def test_refunds_are_the_refund_rows_not_withdrawals(paypal):
    s, frame = paypal
    refunds = frame[frame.Type == "Payment Refund"]
    a = s.fork().ask("how much did we refund")
    assert f"{-refunds.net.sum():,.2f}" in _said(a)
    assert f"{len(refunds)} return lines" in _said(a)


def test_a_refund_is_the_customer_and_the_item_of_its_payment(paypal):
    s, frame = paypal
    refunds = frame[frame.Type == "Payment Refund"]
    a = s.fork().ask("refunds by product")
    table = a.tables[0].frame.set_index("product")
    assert round(table.loc["Leather Belt", "refunds"], 2) == round(-refunds.net.sum(), 2)  # blank items too
    assert "Leather and hardware" not in table.index
    top = s.fork().ask("top customers by revenue").tables[0].frame
    refunded = refunds.groupby("To Email Address").net.sum()
    row = top[top.customer == refunded.index[0]].iloc[0]
    assert round(row["returned"], 2) == round(-refunded.iloc[0], 2)
    assert SHOP not in set(top.customer)


def test_refunds_of_two_periods_side_by_side(paypal):
    s, frame = paypal
    refunds = frame[frame.Type == "Payment Refund"]
    month = refunds.Date.str[3:5].astype(int)
    a = s.fork().ask("refunds in H1 2025 vs H2 2025")
    rows = a.tables[0].frame.set_index("measure")
    assert round(rows.loc["refunds"].iloc[0], 2) == round(-refunds[month <= 6].net.sum(), 2)
    assert round(rows.loc["refunds"].iloc[1], 2) == round(-refunds[month > 6].net.sum(), 2)


def test_a_type_column_of_other_words_changes_nothing(tmp_path):
    frame = pd.DataFrame({"order_id": range(1, 41), "customer_id": [f"C{i % 9}" for i in range(40)],
                          "order_date": [f"2025-01-{1 + i % 28:02d}" for i in range(40)],
                          "amount": [10.0 + i for i in range(40)], "Type": ["retail", "wholesale"] * 20})
    frame.loc[3, "amount"] = -13.0  # a return written negative stays a return
    path = tmp_path / "orders.csv"
    frame.to_csv(path, index=False)
    a = Session(data=[str(path)], entry_points=False).ask("how much did we sell")
    assert f"39 orders worth {frame.amount[frame.amount > 0].sum():,.0f}" in _said(a)
    assert not any("says what each row is" in w for w in a.warnings)


@pytest.mark.parametrize("question", ["paypal fees by month", "what were our fees by month"])
def test_money_of_the_lines_said_bare_is_summed(paypal, question):
    s, frame = paypal
    sales = frame[frame.Type.str.endswith("Payment") & (frame.Status == "Completed") & (frame.gross > 0)]
    fees = sales.Fee.str.replace(",", "").astype(float).groupby(sales.Date.str[6:] + "-" + sales.Date.str[3:5]).sum()
    a = s.fork().ask(question)
    assert (a.params["measure"], a.params["stat"]) == ("fee", "sum")
    table = a.table("fee_by_period").frame.set_index("period")
    assert {k: round(v, 2) for k, v in table["total fee"].items()} == {k: round(v, 2) for k, v in fees.items()}


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    names = {"c1@x.example": "Hartley & Finch Ltd", "c2@x.example": "Olivia Bennett", "c3@x.example": "Sam Lee",
             "c4@x.example": "Sam Lee", "c5@x.example": "Olivia Benson"}
    frame = pd.DataFrame([{"Order ID": f"O{i}", "Email": e, "Name": names[e], "Date": f"2025-03-{1 + i % 28:02d}",
                           "Amount": 10.0 * (1 + i % 5)} for i, e in enumerate(list(names) * 6)])
    path = tmp_path_factory.mktemp("named") / "orders.csv"
    frame.to_csv(path, index=False)
    return Session(data=[str(path)], entry_points=False), frame


@pytest.mark.parametrize("question, email", [("how much has Hartley & Finch spent with me in total?", "c1@x.example"),
                                             ("orders of Olivia Bennett", "c2@x.example")])
def test_a_customer_said_by_name(named, question, email):
    s, frame = named
    a = s.fork().ask(question)
    assert a.params["filters"] == {"customer_id": [email]}
    assert f"{frame[frame.Email == email].Amount.sum():,.2f}" in _said(a)


@pytest.mark.parametrize("question", ["how much has Sam Lee spent", "Revenue By Month"])
def test_a_name_of_several_customers_or_none_filters_nothing(named, question):
    s, frame = named
    assert "customer_id" not in (s.fork().ask(question).params.get("filters") or {})


def test_money_of_the_lines_in_several_currencies_says_so_first(tmp_path):
    frame = pd.DataFrame({"Order ID": [f"O{i}" for i in range(40)], "Email": [f"c{i % 7}@x.example" for i in range(40)],
                          "Date": [f"2025-{1 + i % 12:02d}-03" for i in range(40)], "Amount": [20.0 + i for i in range(40)],
                          "Fee": [-1.0 - i / 10 for i in range(40)], "Currency": ["EUR", "GBP"] * 20})
    path = tmp_path / "payments.csv"
    frame.to_csv(path, index=False)
    a = Session(data=[str(path)], entry_points=False).ask("fees by month")
    assert (a.params["measure"], a.params["stat"]) == ("fee", "sum")
    assert a.summary.startswith("These figures add amounts in 2 currencies")


@pytest.mark.parametrize("question", ["top 5 customers by what they've spent net of refunds",
                                      "who spent the most after refunds"])
def test_spend_net_of_refunds_ranks_by_it(paypal, question):
    s, frame = paypal
    sales = frame[frame.Type.str.endswith("Payment") & (frame.Status == "Completed") & (frame.gross > 0)]
    refunds = frame[frame.Type == "Payment Refund"]
    net = sales.groupby("From Email Address").net.sum().add(refunds.groupby("To Email Address").net.sum(), fill_value=0)
    a = s.fork().ask(question)
    assert a.params["net"] is True
    said = _said(a)
    assert f"{net.idxmax()} brings the most ({net.max():,.0f}" in said
