"""Orders without an amount and the amounts kept in a file of their own (the Olist e-commerce
export's shape: an orders file with order id, customer id, status and a purchase date; a payments
file with several lines per order id): the payments are summed per order and joined to the orders,
never stacked or dropped; a partial join is said; a file that is not used is said; a money
question on orders without any amount gets a clear sentence; a word or a period the answer cannot
use is said, never silently ignored. Small fixtures of the same shape, with known answers."""

import datetime as dt

import pandas as pd
import pytest

from helpers import session

from custlens import schema
from custlens.errors import CustlensError

pytestmark = pytest.mark.usefixtures("router_cache")

N_ORDERS = 40
STATUS = {5: "canceled", 6: "unavailable", 7: "shipped"}  # the rest delivered
LATE = {1, 2, 3, 8, 13}  # delivered orders that arrived after the estimated date


def orders_frame() -> pd.DataFrame:
    rows = []
    for i in range(N_ORDERS):
        bought = dt.datetime(2017, 7, 3, 10) + dt.timedelta(days=15 * i)  # 2017-07 .. 2019-01
        estimated = bought + dt.timedelta(days=20)
        status = STATUS.get(i, "delivered")
        delivered = estimated + dt.timedelta(days=3 if i in LATE else -4) if status == "delivered" else None
        rows.append({"order_id": f"{i:032x}", "customer_id": f"c{i:031x}", "order_status": status,
                     "order_purchase_timestamp": bought.strftime("%Y-%m-%d %H:%M:%S"),
                     "order_approved_at": (bought + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
                     "order_delivered_customer_date": delivered.strftime("%Y-%m-%d %H:%M:%S") if delivered else "",
                     "order_estimated_delivery_date": estimated.strftime("%Y-%m-%d 00:00:00")})
    return pd.DataFrame(rows)


def payments_frame() -> pd.DataFrame:
    """Orders 0..29 are paid (orders 30..39 have no payment line); every third paid order in two
    lines (a voucher, then the card); 4 lines belong to orders the orders file does not have."""
    rows = []
    for i in range(30):
        if i % 3 == 0:
            rows.append({"order_id": f"{i:032x}", "payment_sequential": 1, "payment_type": "voucher",
                         "payment_installments": 1, "payment_value": 10.0})
            rows.append({"order_id": f"{i:032x}", "payment_sequential": 2, "payment_type": "credit_card",
                         "payment_installments": 3, "payment_value": 100.0 + i})
        else:
            rows.append({"order_id": f"{i:032x}", "payment_sequential": 1, "payment_type": "boleto",
                         "payment_installments": 1, "payment_value": 50.0 + i})
    for i in range(4):
        rows.append({"order_id": f"ff{i:030x}", "payment_sequential": 1, "payment_type": "boleto",
                     "payment_installments": 1, "payment_value": 999.0})
    return pd.DataFrame(rows)


def customers_frame() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [f"c{i:031x}" for i in range(0, 20, 2)],
                         "customer_unique_id": [f"u{i:031x}" for i in range(10)],
                         "customer_zip_code_prefix": ["01001"] * 10, "customer_city": ["sao paulo"] * 10,
                         "customer_state": ["SP", "RJ"] * 5})


@pytest.fixture
def olist(tmp_path):
    paths = {"orders": tmp_path / "shop_orders_dataset.csv", "payments": tmp_path / "shop_order_payments_dataset.csv",
             "customers": tmp_path / "shop_customers_dataset.csv"}
    orders_frame().to_csv(paths["orders"], index=False)
    payments_frame().to_csv(paths["payments"], index=False)
    customers_frame().to_csv(paths["customers"], index=False)
    return paths


def expected_revenue_by_month(year: int) -> dict[str, float]:
    o, p = orders_frame(), payments_frame()
    paid = p.groupby("order_id")["payment_value"].sum()
    o = o[~o["order_status"].isin(["canceled", "unavailable"])].copy()
    o["amount"] = o["order_id"].map(paid)
    o["month"] = pd.to_datetime(o["order_purchase_timestamp"]).dt.strftime("%Y-%m")
    o = o[o["month"].str.startswith(str(year)) & o["amount"].notna()]
    return o.groupby("month")["amount"].sum().round(2).to_dict()


def source(s, name):
    return next(x for x in s.dataset.describe() if x["source"].startswith(name))


def test_roles_orders_payments_joined_customers(olist):
    s = session(olist["orders"], olist["payments"], olist["customers"])
    orders, payments, customers = source(s, "shop_orders"), source(s, "shop_order_payments"), source(s, "shop_customers")
    assert orders["role"] == "transactions"
    assert {c["column"]: c["canonical"] for c in orders["columns"]}["order_purchase_timestamp"] == "order_date"
    assert payments["role"] == "payments" and "joined to shop_orders_dataset.csv" in payments["role_reason"]
    assert {c["column"]: c["canonical"] for c in payments["columns"]}["payment_value"] == "amount"
    assert customers["role"] == "customers"
    said = " ".join(orders["warnings"])
    # 30 of 40 orders paid; 4 of 44 payment lines for orders not loaded
    assert "only 30 of 40 orders (75.0%) have an amount" in said and "10 have no line" in said
    assert "4 of 44 lines of shop_order_payments_dataset.csv" in said and "not counted" in said
    assert any("sum of payment_value" in d for d in orders["derived"])


def test_revenue_is_payments_summed_per_order(olist):
    s = session(olist["orders"], olist["payments"], olist["customers"])
    answer = s.ask("total revenue by month in 2018")
    table = answer.tables[0]
    got = {str(r[0]): r[1] for r in table.rows}
    want = expected_revenue_by_month(2018)
    assert want and {k: round(v, 2) for k, v in got.items() if v == v and v is not None} == want
    assert any("only 30 of 40 orders" in w for w in answer.warnings)  # the partial join is said
    # orders are counted once each, not once per payment line (no stacking): 37 purchases
    total = s.dataset.scalar("SELECT count(*) FROM transactions")
    assert total == N_ORDERS - 2
    two_lines = s.dataset.scalar(f"SELECT amount FROM transactions WHERE order_id = '{0:032x}'")
    assert two_lines == 110.0  # voucher 10 + card 100


def test_order_counts_by_status_with_payments_loaded(olist):
    s = session(olist["orders"], olist["payments"])
    answer = s.ask("how many orders were canceled")
    assert answer.summary.startswith("**1 order") and "cancelled" in answer.summary
    assert "(worth 55.00)" in answer.summary  # order 5's payment, joined (not counted as sales)


def test_payments_without_orders_said_unused(olist):
    s = session(olist["payments"], olist["customers"])
    payments = source(s, "shop_order_payments")
    assert payments["role"] is None
    assert any("not used" in w and "no orders table without an amount" in w for w in payments["warnings"])
    answer = s.ask("how many customers do we have")
    assert any(w.startswith("shop_order_payments_dataset.csv: not used") for w in answer.warnings)


def test_unknown_file_said_in_answers(olist, tmp_path):
    products = tmp_path / "products.csv"
    pd.DataFrame({"sku_weight_g": [1, 2, 3], "height_cm": [4, 5, 6]}).to_csv(products, index=False)
    s = session(olist["orders"], olist["payments"], products)
    answer = s.ask("orders by month")
    assert any(w.startswith("products.csv: could not tell what it holds") and "not used" in w
               for w in answer.warnings)


def test_orders_with_several_lines_per_order_not_joined(olist, tmp_path):
    lines = tmp_path / "lines_orders.csv"
    frame = orders_frame()
    pd.concat([frame, frame.head(3)]).to_csv(lines, index=False)  # 3 orders on two lines
    s = session(lines, olist["payments"])
    payments = source(s, "shop_order_payments")
    assert payments["role"] is None
    assert any("not used" in w and "sharing an order id" in w for w in payments["warnings"])


def test_revenue_without_amount_is_a_clear_sentence(olist):
    s = session(f"transactions={olist['orders']}")
    with pytest.raises(CustlensError) as err:
        s.ask("revenue by month")
    text = str(err.value)
    assert "revenue can't be computed" in text and "no amount column" in text
    assert "order_purchase_timestamp" in text and "--map amount=COLUMN" in text and "custlens.toml" in text
    answer = s.ask("orders by month in 2018")  # counts still work
    got = {str(r[0]): r[1] for r in answer.tables[0].rows}
    o = orders_frame()
    o = o[~o["order_status"].isin(["canceled", "unavailable"])]
    months = pd.to_datetime(o["order_purchase_timestamp"]).dt.strftime("%Y-%m")
    assert got == months[months.str.startswith("2018")].value_counts().to_dict()


def test_revenue_in_a_period_without_any_amount_does_not_crash(olist):
    s = session(olist["orders"], olist["payments"])
    answer = s.ask("revenue by month in 2019")  # order 36..39 (no payment) fall in 2019
    assert answer.summary.startswith("No revenue by month")


def test_delivered_late_said_not_read(olist):
    s = session(olist["orders"], olist["payments"], olist["customers"])
    answer = s.ask("how many orders were delivered late")
    assert "not read: 'late'" in answer.understood
    note = next(w for w in answer.warnings if w.startswith("not read: 'late'"))
    assert "order_delivered_customer_date" in note and "order_estimated_delivery_date" in note
    plain = s.ask("how many orders were delivered")
    assert "not read" not in plain.understood


def test_period_on_customers_only_said_not_applied(olist):
    s = session(f"customers={olist['orders']}")
    answer = s.chat("customers by month")
    assert "not applied" not in answer.understood
    # signups by period: the period is read by the signup date, said so (trial 14: "joined each month in
    # 2022" listed every month and said the period not applied)
    answer = s.chat("only 2017")
    assert "not applied" not in answer.understood
    assert any(w.startswith("2017 is read by the signup date") for w in answer.warnings)
    answer = s.chat("by quarter instead")  # the period in force, carried: the signups of 2017 by quarter
    assert "not applied" not in answer.understood
    assert all(str(q).startswith("2017") for q in answer.table("by_quarter").frame["quarter"])
    answer = s.chat("by order status instead")  # no signups by period: the period is said not applied
    assert "not applied: 2017" in answer.understood


@pytest.mark.parametrize("headers", [
    ["Record ID", "First Name", "Email", "Create Date", "Contact ID"],  # a contacts export
    ["id", "customer_id", "created_at", "plan"],  # an accounts table
])
def test_not_every_table_with_ids_and_a_date_is_orders(headers):
    assert not schema.is_orders_without_amount(schema.match_headers(headers, "transactions"))


def test_schema_reads_olist_headers():
    orders = schema.infer_role(["order_id", "customer_id", "order_status", "order_purchase_timestamp"],
                               "olist_orders_dataset.csv")
    assert orders.role == "transactions" and orders.mapping["order_date"].column == "order_purchase_timestamp"
    pay = schema.infer_role(["order_id", "payment_sequential", "payment_type", "payment_installments",
                             "payment_value"], "olist_order_payments_dataset.csv")
    assert pay.role is None and schema.order_amounts(pay.mapping) == ("order_id", "payment_value")


def test_cancelled_orders_without_amounts_never_nan(olist):
    s = session(f"transactions={olist['orders']}")  # no amount column at all
    answer = s.ask("how many orders were canceled")
    assert answer.summary.startswith("**1 orders cancelled**;") and "nan" not in answer.summary
    s = session(olist["orders"], olist["payments"])
    s.dataset.map("status", "order_status")  # the same mapping: a rebuild keeps the join
    assert next(x for x in s.dataset.describe() if x["source"].startswith("shop_order_payments"))["role"] == "payments"


def test_revenue_by_payment_type_carried_to_orders(olist):
    s = session(olist["orders"], olist["payments"])
    answer = s.ask("revenue by payment type")
    assert answer.params["by"] == ["payment_type"]
    got = {r[0]: r[1] for r in answer.tables[0].rows if r[1] == r[1] and r[1] is not None}
    o, p = orders_frame(), payments_frame()
    o = o[~o["order_status"].isin(["canceled", "unavailable"])]
    per_order = p.groupby("order_id").agg(amount=("payment_value", "sum"),
                                         kind=("payment_type", lambda v: " + ".join(sorted(set(v)))))
    joined = o.merge(per_order, left_on="order_id", right_index=True)
    want = joined.groupby("kind")["amount"].sum().round(2).to_dict()
    assert want == {"boleto": want["boleto"], "credit_card + voucher": want["credit_card + voucher"]}
    assert got == want
    blank = next(r for r in answer.tables[0].rows if r[0] == "(blank)")  # the orders without a payment
    assert blank[2] == len(o) - len(joined)


def test_orders_by_status_not_given_a_share_of_revenue(olist):
    s = session(olist["orders"], olist["payments"])
    answer = s.ask("how many orders do we have by order status")
    first = answer.summary.splitlines()[0]
    assert first.startswith("Orders by status: **delivered** is highest with 37, then shipped (1)")
    assert "of revenue" not in first


def test_a_value_written_with_underscores_is_read_as_said(olist):
    """"credit card payments" is the data's credit_card (a payment type carried to the orders)."""
    payments = payments_frame()
    payments = payments[payments["payment_type"] != "voucher"]  # orders 0, 3, 6... paid by card alone
    card_only = olist["payments"].with_name("card_order_payments.csv")
    payments.to_csv(card_only, index=False)
    s = session(olist["orders"], card_only)
    answer = s.ask("revenue by month for credit card payments")
    assert answer.params["filters"] == {"payment_type": ["credit_card"]}
    o = orders_frame()
    card = [i for i in range(0, 30, 3) if o.loc[i, "order_status"] not in ("canceled", "unavailable")]
    assert dict(answer.table("headline").rows)["revenue"] == pytest.approx(sum(100.0 + i for i in card))
    s = session(olist["orders"], olist["payments"])
    answer = s.ask("revenue for boleto")
    total = dict(answer.table("headline").rows)["revenue"]
    paid = [i for i in range(30) if i % 3 and o.loc[i, "order_status"] not in ("canceled", "unavailable")]
    assert total == pytest.approx(sum(50.0 + i for i in paid))


def test_a_price_without_a_quantity_is_one_item_sold_at_its_price_per_line(tmp_path):
    """Trial 18 (KPMG's bike sales: list_price, one bike a line, no quantity): revenue was 'n/a' and every
    money question refused. Each line is one item at its price, said; units count the lines."""
    frame = pd.DataFrame({"transaction_id": range(1, 9), "customer_id": ["A", "A", "B", "B", "B", "C", "C", "D"],
                          "transaction_date": pd.date_range("2024-01-01", periods=8, freq="7D"),
                          "brand": ["Solex", "Giant", "Solex", "Solex", "Trek", "Giant", "Trek", "Solex"],
                          "list_price": [100.0, 250.5, 100.0, 120.0, 300.0, 250.5, 80.0, 99.5]})
    path = tmp_path / "bike_sales.csv"
    frame.to_csv(path, index=False)
    s = session(path)
    a = s.ask("revenue by brand")
    # Giant 250.5 x 2, Solex 100 + 100 + 120 + 99.5, Trek 300 + 80
    assert a.summary.startswith("Revenue by brand: **Giant** is highest with 501.00 (38.5% of revenue), then Solex "
                                "(419.50), Trek (380.00)"), a.summary
    assert any("each line is read as one item sold at its 'list_price'" in w for w in a.warnings), a.warnings
    total = s.ask("total revenue")
    assert dict(total.table("headline").rows)["revenue"] == 1300.5 and "8 orders worth 1,300" in total.summary
    units = s.ask("how many units did we sell")
    assert "8" in units.summary.split(".")[0], units.summary
