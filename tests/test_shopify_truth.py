"""Shopify exports answered truthfully (the seventh trial, a Shopify orders and customers export):
a yes/no attribute of the customers is counted over the customers table, buyers or not, as one
figure with its whole; rows alike but the id that hold nothing telling people apart are not
copies of a person; discount codes are ranked by use and what discounts cost is their sum;
rules on variants too thin to read fall back to the product families; a combination ("Gift Card
+ Stripe") is no spelling of its part. Small files written here in the exports' own layouts, with
the answers planted and checked against pandas."""

import pandas as pd
import pytest

from helpers import numbers, session, write

from custlens import kit
from custlens.render import render
from custlens.templates import pct

CUSTOMERS_HEADER = ["First Name", "Last Name", "Email", "Accepts Email Marketing", "Company", "Address1", "Address2",
                    "City", "Province", "Province Code", "Country", "Country Code", "Zip", "Phone",
                    "Accepts SMS Marketing", "Total Spent", "Total Orders", "Tags", "Note", "Tax Exempt"]
ORDERS_HEADER = ["Name", "Email", "Financial Status", "Paid at", "Accepts Marketing", "Currency", "Subtotal",
                 "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Created at", "Lineitem quantity",
                 "Lineitem name", "Lineitem price", "Billing Country", "Payment Method", "Refunded Amount"]

#: six buyers (four accept e-mail marketing), with names and addresses of their own
BUYERS = [("Ann", "Lee", "ann@shop.com", "yes", "1 Oak St", "Austin", "78701", "(512) 555-0101"),
          ("Bob", "Ray", "bob@shop.com", "yes", "2 Elm St", "Dallas", "75201", "(214) 555-0102"),
          ("Cy", "Moe", "cy@shop.com", "no", "3 Ash St", "Waco", "76701", "(254) 555-0103"),
          ("Di", "Fox", "di@shop.com", "yes", "4 Fir St", "Tyler", "75701", "(903) 555-0104"),
          ("Ed", "Kim", "ed@shop.com", "no", "5 Yew St", "Plano", "75023", "(972) 555-0105"),
          ("Flo", "Orr", "flo@shop.com", "yes", "6 Bay St", "Frisco", "75034", "(469) 555-0106")]


def customer_rows():
    # Bob is tax exempt; nobody accepts SMS marketing (a yes/no column holding "no" only)
    rows = [[first, last, email, accepts, "", street, "", city, "Texas", "TX", "United States", "US", zip_, phone,
             "no", "100.00", "1", "", "", "yes" if first == "Bob" else "no"]
            for first, last, email, accepts, street, city, zip_, phone in BUYERS]
    # ten newsletter sign-ups: an e-mail and flags, alike in every other column; ten people, not copies
    rows += [["", "", f"news{i}@mail.com", "yes", "", "", "", "", "", "", "", "", "", "", "no", "0.00", "0",
              "newsletter", "", "no"] for i in range(10)]
    # one person entered under two e-mails: the same name, every other column the same
    rows += [["Rosie", "Ko", email, "no", "", "", "", "", "", "", "", "", "", "", "no", "0.00", "0", "", "", "no"]
             for email in ("rosie@work.com", "rosie@home.com")]
    # two customers without an e-mail (a phone order): customers of the table all the same
    rows += [["Gus", "Nye", "", "no", "", "7 Oak Rd", "", "Vancouver", "British Columbia", "BC", "Canada", "CA",
              "V6E1H2", "+16045550107", "no", "0.00", "0", "", "", "no"],
             ["Hal", "Pym", "", "no", "", "8 Elm Rd", "", "Toronto", "Ontario", "ON", "Canada", "CA", "M5V2T6",
              "+14165550108", "no", "0.00", "0", "", "", "no"]]
    return [CUSTOMERS_HEADER, *rows]


def order(name, email, lines, code="", discount=0.0, status="paid", method="Stripe", day="2021-03-01",
          marketing="no"):
    """A Shopify order: its first line holds the order's fields, the others only the line's."""
    subtotal = sum(q * p for _, q, p in lines)
    out = []
    for i, (product, qty, price) in enumerate(lines):
        head = [status, f"{day} 10:00:00 -0500", marketing, "USD", f"{subtotal - discount:.2f}", "0.00", "0.00",
                f"{subtotal - discount:.2f}", code, f"{discount:.2f}"] if i == 0 else [""] * 10
        out.append([name, email, *head, f"{day} 10:00:00 -0500", str(qty), product, f"{price:.2f}",
                    "US" if i == 0 else "", method if i == 0 else "", "0.00" if i == 0 else ""])
    return out


#: (family pairs bought together): Aria Top with Aria Legging in eight orders, each in other
#: variants (no variant pair in more than two), Cove Bra with Cove Short in five
ARIA = [("Aria Top - Black / S", "Aria Legging - Black / S"), ("Aria Top - Black / M", "Aria Legging - Black / M"),
        ("Aria Top - White / S", "Aria Legging - White / S"), ("Aria Top - White / M", "Aria Legging - White / M"),
        ("Aria Top - Black / S", "Aria Legging - Black / S"), ("Aria Top - Black / L", "Aria Legging - Black / L"),
        ("Aria Top - White / L", "Aria Legging - White / L"), ("Aria Top - Sand / S", "Aria Legging - Sand / S")]
COVE = [("Cove Bra - Red / S", "Cove Short - Red / S"), ("Cove Bra - Red / M", "Cove Short - Red / M"),
        ("Cove Bra - Blue / S", "Cove Short - Blue / S"), ("Cove Bra - Blue / M", "Cove Short - Blue / M"),
        ("Cove Bra - Red / L", "Cove Short - Red / L")]


def order_rows():
    rows, n = [], 1000
    emails = [b[2] for b in BUYERS]
    for i, pair in enumerate(ARIA + COVE):
        n += 1
        code, discount = ("WELCOME10", 10.0) if i < 5 else ("BIGSALE", 60.0) if i < 7 else ("", 0.0)
        method = ("Stripe", "Gift Card + Stripe", "PayPal Express Checkout", "Stripe + PayPal Express Checkout")[i % 4]
        rows += order(f"#{n}", emails[i % len(emails)], [(pair[0], 1, 80.0), (pair[1], 1, 70.0)], code, discount,
                      method=method, day=f"2021-{1 + i % 9:02d}-{10 + i:02d}", marketing="yes" if i % 2 else "no")
    for i in range(12):  # single caps, nothing bought with them
        n += 1
        rows += order(f"#{n}", emails[i % len(emails)], [("Solo Cap - One Size", 1, 25.0)],
                      day=f"2021-{1 + i % 9:02d}-0{1 + i % 9}")
    n += 1  # refunded in full: its code and discount are no sales and cost nothing here
    rows += order(f"#{n}", emails[0], [("Solo Cap - One Size", 2, 25.0)], "WELCOME10", 10.0, status="refunded")
    return [ORDERS_HEADER, *rows]


@pytest.fixture
def files(tmp_path):
    return (write(tmp_path / "orders_export.csv", order_rows()),
            write(tmp_path / "customers_export.csv", customer_rows()))


@pytest.fixture
def shop(files):
    return session(*files)


# --------------------------------------------------------------------------- a yes/no customers column

def reference_email_marketing(files):
    """pandas: yes over every row of the customers export, and over the customers who bought."""
    customers = pd.read_csv(files[1], dtype=str, keep_default_na=False)
    lines = pd.read_csv(files[0], dtype=str, keep_default_na=False)
    status = lines[lines["Financial Status"] != ""].set_index("Name")["Financial Status"]
    bought = set(lines.loc[lines["Name"].map(status) != "refunded", "Email"])
    yes = customers["Accepts Email Marketing"] == "yes"
    buyers = customers["Email"].isin(bought)
    return int(yes.sum()), len(customers), int((yes & buyers).sum()), int(buyers.sum())


@pytest.mark.parametrize("question", ["How many customers accept email marketing?",
                                      "What percentage of customers accept email marketing?"])
def test_a_customers_flag_is_counted_over_the_customers_table_with_its_whole(shop, files, question):
    hits, whole, buyer_hits, buyers = reference_email_marketing(files)
    assert (hits, whole, buyer_hits, buyers) == (14, 20, 4, 6)  # as planted
    a = shop.ask(question)
    assert a.analysis == "overview"
    assert (a.params["measure"], a.params["stat"]) == ("accepts_email_marketing", "share")
    assert not a.params.get("filters")  # never the orders' own Accepts Marketing, never buyers only
    assert a.summary.startswith(f"**{hits} of {whole} customers ({pct(hits / whole)})** have "
                                "accepts_email_marketing = yes")
    assert "whether they bought or not" in a.summary and "2 of them without a customer id (Email)" in a.summary
    assert f"Of the {buyers} of them who bought (a purchase in the orders), {buyer_hits} " \
           f"({pct(buyer_hits / buyers)})" in a.summary
    head = dict(a.table("headline").rows)
    assert head["accepts email marketing rate"] == pytest.approx(hits / whole, abs=1e-4)
    assert head["customer rows without an id"] == 2
    # the narrative's figures are the table's
    assert round(100 * hits / whole, 1) in numbers(a.summary)


def test_other_flags_of_the_customers_are_counted_the_same_way(shop, files):
    customers = pd.read_csv(files[1], dtype=str, keep_default_na=False)
    exempt = int((customers["Tax Exempt"] == "yes").sum())
    a = shop.ask("how many customers are tax exempt?")
    assert a.params["measure"] == "tax_exempt" and not a.params.get("filters")
    assert a.summary.startswith(f"**{exempt} of {len(customers)} customers ({pct(exempt / len(customers))})** have "
                                "tax_exempt = yes")
    # a column of "no" only is still a yes/no column: none of them, not a question for loyalty
    b = shop.ask("What share of customers accept SMS marketing?")
    assert b.analysis == "overview" and b.params["measure"] == "accepts_sms_marketing"
    assert b.summary.startswith(f"**0 of {len(customers)} customers (0.0%)** have accepts_sms_marketing = yes")
    # "yes" of the customers' column stays on it: never the orders' Accepts Marketing, which holds a yes too
    c = shop.ask("revenue from tax exempt customers")
    assert c.params["filters"] == {"tax_exempt": ["yes"]}
    assert "for tax_exempt = yes" in c.summary
    lines = pd.read_csv(files[0], dtype=str, keep_default_na=False)
    bob = lines[(lines["Email"] == "bob@shop.com") & (lines["Name"].isin(
        lines.loc[lines["Financial Status"].isin(["paid"]), "Name"]))]
    net = (bob["Lineitem quantity"].astype(float) * bob["Lineitem price"].astype(float)).sum() - \
        pd.to_numeric(bob["Discount Amount"], errors="coerce").fillna(0).sum()
    assert dict(c.table("headline").rows)["revenue"] == pytest.approx(net)


def test_how_many_customers_says_the_buyers_and_the_customers_table(shop, files):
    hits, whole, buyer_hits, buyers = reference_email_marketing(files)
    a = shop.ask("how many customers do we have?")
    assert a.summary.startswith(f"**{buyers} customers bought** (a purchase in the orders); the customers table "
                                f"(customers_export.csv) lists **{whole} customers**, buyers or not (2 of them "
                                f"without a customer id), {buyers} of whom bought: **{whole - 2 - buyers} never "
                                "bought**.")
    assert dict(a.table("headline").rows)["customers"] == buyers


def test_a_flag_said_as_an_opt_in_rate_is_not_left_to_an_unsure_analysis(shop, files):
    hits, whole, _, _ = reference_email_marketing(files)
    assert not shop.applies("journey")  # a shop's financial status ("paid") is no deal stage: no funnel to draw
    a = shop.ask("email marketing opt-in rate by country")
    assert a.analysis == "overview" and a.params["measure"] == "accepts_email_marketing"
    assert a.params["by"] == ["country"]
    assert a.summary.startswith(f"**{hits} of {whole} customers")


def test_the_verb_form_of_a_flag_is_read_as_the_flag():
    from custlens.slots import flag_rate_named

    flags = {"accepts_email_marketing": "yes", "accepts_sms_marketing": "yes"}
    assert flag_rate_named("how many customers accept email marketing", flags) == ("accepts_email_marketing", "count")
    assert flag_rate_named("share of customers who accepted sms marketing", flags) == ("accepts_sms_marketing", "rate")
    assert flag_rate_named("how many customers opted in to email marketing", flags) == \
        ("accepts_email_marketing", "count")
    assert flag_rate_named("email marketing opt-in rate", flags) == ("accepts_email_marketing", "rate")
    assert flag_rate_named("how many customers accept cookies", flags) is None


# --------------------------------------------------------------------------- rows alike but the id

def test_rows_alike_only_in_blanks_and_flags_are_not_copies(shop):
    a = shop.ask("how many customers do we have?")
    said = [w for w in a.warnings if "every column but the id" in w]
    # Rosie under two e-mails is the one copy; the ten sign-ups are ten people
    assert len(said) == 1 and said[0].startswith("customers_export.csv: 1 customer row(s) are the same as another")
    assert "the same first_name and last_name too" in said[0] and "rosie@" in said[0]
    assert "news" not in said[0]
    [info] = [s for s in shop.dataset.describe() if s["source"] == "customers_export.csv"]
    assert info["checked"] == [
        "9 customer row(s) differ from another only by the id but hold nothing that tells people apart (no name, "
        "address, phone or other value of their own: only blanks, yes/no flags, zeros, tags): different "
        "customers, not copies"]
    d = shop.ask("are there duplicate customers?")
    assert d.params.get("focus") == "duplicates"
    assert "1 customer row(s) are the same as another row" in d.summary and "9 customer row(s) differ" in d.summary


def test_copies_with_nothing_identifying_are_not_said_at_all(tmp_path):
    rows = customer_rows()
    rows = [rows[0], *[r for r in rows[1:] if not r[0] == "Rosie"]]
    a = session(write(tmp_path / "customers_export.csv", rows)).ask("how many customers do we have?")
    assert not [w for w in a.warnings if "every column but the id" in w]


# --------------------------------------------------------------------------- discount codes

def reference_discounts(path):
    lines = pd.read_csv(path, dtype=str, keep_default_na=False)
    first = lines[lines["Financial Status"] != ""].drop_duplicates("Name")
    sold = first[first["Financial Status"] != "refunded"].assign(cost=lambda f: f["Discount Amount"].astype(float))
    per = sold[sold["Discount Code"] != ""].groupby("Discount Code").agg(orders=("Name", "count"), cost=("cost", "sum"))
    return float(sold["cost"].sum()), per, len(sold), int((sold["Discount Code"] == "").sum())


def test_codes_used_most_are_ranked_by_orders_and_their_cost_is_said(shop, files):
    cost, per, orders, uncoded = reference_discounts(files[0])
    assert (cost, per.loc["WELCOME10", "orders"], per.loc["BIGSALE", "cost"]) == (170.0, 5, 120.0)  # as planted
    a = shop.ask("Which discount codes were used most and how much did discounts cost us?")
    assert a.params["metric"] == "orders" and a.params["by"] == ["discount_code"]
    table = a.table("by_discount_code")
    rows = {r[0]: dict(zip(table.columns, r)) for r in table.rows}
    assert table.rows[0][0] == "WELCOME10"  # used on 5 orders, though BIGSALE's 2 orders brought as much
    for code, ref in per.iterrows():
        assert (rows[code]["orders"], rows[code]["discounts"]) == (ref["orders"], pytest.approx(ref["cost"]))
    assert table.rows[-1][0] == "(blank)" and rows["(blank)"]["orders"] == uncoded  # no code: last, said apart
    assert f"Discounts cost **{cost:,.2f}** in all, on {orders - uncoded} of {orders} orders" in a.summary
    assert "Used most: **WELCOME10** on 5 orders (50.00 of discounts); cost most: **BIGSALE**, 120.00 on 2 orders" \
        in a.summary
    assert "Orders by discount code: **WELCOME10** is highest with 5" in a.summary


def test_what_discounts_cost_is_their_sum(shop, files):
    cost = reference_discounts(files[0])[0]
    a = shop.ask("how much did discounts cost us?")
    assert a.analysis == "overview" and a.params["metric"] == "discount"
    assert a.summary.startswith(f"Discounts cost **{cost:,.2f}** in all")
    b = shop.ask("discounts by month")
    assert b.params["metric"] == "discount"
    assert sum(b.table("by_month").column("discounts")) == pytest.approx(cost)


# --------------------------------------------------------------------------- families of variants

def reference_pair(path, a, b):
    """pandas: the purchase orders holding a product of family ``a`` and one of family ``b``."""
    lines = pd.read_csv(path, dtype=str, keep_default_na=False)
    status = lines[lines["Financial Status"] != ""].set_index("Name")["Financial Status"]
    lines = lines[lines["Name"].map(status) != "refunded"]
    family = lines["Lineitem name"].str.split(" - ").str[0]
    has = lambda f: set(lines.loc[family == f, "Name"])  # noqa: E731
    return len(has(a) & has(b)), len(has(a)), lines["Name"].nunique()


def test_thin_variant_rules_fall_back_to_product_families(shop, files):
    together, with_top, baskets = reference_pair(files[0], "Aria Top", "Aria Legging")
    assert (together, with_top, baskets) == (8, 8, 25)  # as planted
    a = shop.ask("Which products are bought together?")
    assert a.analysis == "basket"
    assert a.summary.startswith("Read by **product family**, the product's name before its variant")
    assert "By single product the strongest rules rested on 2 of 25 baskets each" in a.summary
    rules = a.table("rules")
    rule = next(dict(zip(rules.columns, r)) for r in rules.rows if (r[0], r[1]) == ("Aria Top", "Aria Legging"))
    assert (rule["baskets"], rule["antecedent_baskets"]) == (together, with_top)
    assert rule["confidence"] == pytest.approx(1.0)
    assert not any(" / " in r[0] or " / " in r[1] for r in rules.rows)  # no variant left
    # too thin to trust, said in the answer, not only in the notes
    assert "**Thin support:** the strongest rules below rest on as few as" in a.summary
    assert "products in" in a.summary and "families" in a.summary


def test_variants_asked_for_stay_variants(shop):
    a = shop.ask("which products are bought together by variant")
    assert a.params["level"] == "product" and "Read by **product family**" not in a.summary
    assert any(" / " in r[0] for r in a.table("rules").rows)
    assert "**Thin support:**" in a.summary


def test_families_are_the_names_before_the_variant():
    from custlens.slots import families

    found = families(["Aria Top - Black / S", "Aria Top - White / M", "Aria Legging - Black / S",
                      "Aria Legging - White / S", "Solo Cap - One Size", "whole milk"])
    assert found["Aria Top - White / M"] == "Aria Top" and found["Aria Legging - Black / S"] == "Aria Legging"
    assert found["Solo Cap - One Size"] == "Solo Cap"  # one variant, in the catalogue's own shape
    assert "whole milk" not in found
    assert families(["whole milk", "other vegetables", "rolls/buns", "yogurt"]) == {}


# --------------------------------------------------------------------------- combinations are no spellings

def test_a_combination_is_not_a_spelling_of_its_part(shop):
    assert kit.same_thing("Gift Card + Stripe", "Stripe") is None
    assert kit.same_thing("Stripe", "Stripe + PayPal Express Checkout") is None
    assert kit.same_thing("FREESHIP", "secretcode50 + freeship") is None
    assert kit.same_thing("SECRETCODE50 + SECRETSHIP10", "secretcode50 + secretship10") == "the same letters"
    assert kit.same_thing("Phone", "Mobile Phone") == "one ends the other"
    a = shop.ask("Average order value by payment method")
    assert a.params["by"] == ["payment_method"]
    assert not [w for w in a.warnings if "spelt two ways" in w]
    text = render(a, "text", width=160)
    assert "Gift Card + Stripe" in text


@pytest.mark.parametrize("question", ["Which discount codes are used the most?", "most used discount codes"])
def test_codes_used_most_said_without_by_are_ranked_too(shop, question):
    """Trial 34: "which discount codes are used the most" went to profitability (which needs a cost) and
    "most used discount codes" gave the whole overview: the codes are ranked by the orders that used them."""
    a = shop.fork().ask(question)
    assert a.analysis == "overview" and a.params["metric"] == "orders" and a.params["by"] == ["discount_code"]
    assert a.table("by_discount_code").rows[0][0] == "WELCOME10"


def test_the_share_of_orders_that_used_a_code_is_of_every_order(shop, files):
    """Trial 34: "what share of orders used a discount code" was read with a filter "discount > 0" as well, so
    912 of 917 orders (99.5%) had a code; the share is of every sale."""
    _, per, orders, uncoded = reference_discounts(files[0])
    a = shop.fork().ask("What share of orders used a discount code?")
    assert "filters" not in a.params or "discount" not in (a.params.get("filters") or {})
    assert a.summary.startswith(f"**{orders - uncoded:,} of {orders:,} orders")
