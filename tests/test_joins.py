"""Tables that meet the customers table: the key (by CRM header, else by values), how many rows
match (said in describe and in every answer joining them), groups never None, a clear error when
nothing joins, contacts questions answered from the contacts table alone."""

import io
import math

import pandas as pd
import pytest
from rich.console import Console

from helpers import session

from custlens.errors import CustlensError
from custlens.render import print_description

COUNTRIES = ["Germany", "France", "Spain", None]  # every 4th contact has no country


def contacts_frame(n=200, first=1000):
    return pd.DataFrame({
        "Record ID": [first + i for i in range(n)],
        "First Name": [f"P{i}" for i in range(n)],
        "Email": [f"p{i}@crm.example" for i in range(n)],
        "Country/Region": [COUNTRIES[i % 4] for i in range(n)],
        "Lifecycle Stage": [["lead", "customer", "opportunity", None, "customer"][i % 5] for i in range(n)],
        "Create Date": pd.date_range("2023-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
    })


def deals_frame(key_header="Associated Contact ID", matched=312, n=400, first=1000, contacts=200):
    """``matched`` deals name a contact (ids first..first+contacts-1), the rest an id no contact has;
    deal i is worth 100 + i."""
    ids = [first + i % contacts for i in range(matched)] + [90000 + i for i in range(n - matched)]
    return pd.DataFrame({
        "Record ID": [500000 + i for i in range(n)],
        "Deal Name": [f"Deal {i}" for i in range(n)],
        "Amount": [100 + i for i in range(n)],
        "Close Date": pd.date_range("2024-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        "Deal Stage": "closedwon",
        "Priority": [1 + i % 3 for i in range(n)],  # small numbers: never a key, whatever ids they meet
        key_header: ids,
    })


def hubspot(tmp_path, **kw):
    contacts, deals = tmp_path / "contacts.xlsx", tmp_path / "deals.csv"
    contacts_frame().to_excel(contacts, index=False)
    deals_frame(**kw).to_csv(deals, index=False)
    return session(contacts, deals)


def expected_by_country(deals: pd.DataFrame, contacts: pd.DataFrame, key: str) -> dict:
    merged = deals.merge(contacts, how="left", left_on=key, right_on="Record ID", indicator=True)
    label = merged["Country/Region"].where(merged["_merge"] == "both", "(no contact)").fillna("(blank)")
    return merged.groupby(label)["Amount"].sum().astype(float).to_dict()


def join_of(s, name):
    return next(x for x in s.dataset.describe() if x["source"] == name)["join"]


def described(s) -> str:
    out = io.StringIO()
    print_description(s.dataset.describe(), Console(file=out, width=300))
    return out.getvalue()


# --------------------------------------------------------------------------- CRM key headers

def test_hubspot_deals_join_contacts_on_associated_contact_id_and_say_how_many_matched(tmp_path):
    s = hubspot(tmp_path)
    join = join_of(s, "deals.csv")
    assert join["key"] == "Associated Contact ID" and join["to_key"] == ["contacts.Record ID"]
    assert (join["rows"], join["matched"]) == (400, 312)
    text = described(s)
    assert "joined on deals.Associated Contact ID = contacts.Record ID: 312 of 400 deals (78%) matched a contact" in text
    assert "88 of 400 deals (22%) have no matching contact in contacts.xlsx: shown as (no contact)" in text


@pytest.mark.parametrize("contacts, deals, key, to_key", [
    # Salesforce: an Opportunity report against an Accounts report
    ({"Account ID": ["001A", "001B", "001C"], "Account Name": ["a", "b", "c"], "Industry": ["x", "y", "x"]},
     {"Id": ["006A", "006B", "006C", "006D"], "AccountId": ["001A", "001B", "001C", "001A"],
      "Amount": [10, 20, 30, 40], "CloseDate": ["2024-01-01"] * 4, "StageName": ["Closed Won"] * 4},
     "AccountId", "accounts.Account ID"),
    # Pipedrive: deals against persons
    ({"Person - ID": [1, 2, 3], "Person - Name": ["a", "b", "c"], "Industry": ["x", "y", "x"]},
     {"Deal - ID": [11, 12, 13, 14], "Deal - Title": ["d1", "d2", "d3", "d4"], "Deal - Value": [10, 20, 30, 40],
      "Deal - Person ID": [1, 2, 3, 1], "Deal - Close date": ["2024-01-01"] * 4, "Deal - Status": ["won"] * 4},
     "Deal - Person ID", "persons.Person - ID"),
    # HubSpot: deals against companies
    ({"Record ID": [7, 8, 9], "Company name": ["a", "b", "c"], "Industry": ["x", "y", "x"]},
     {"Record ID": [1, 2, 3, 4], "Deal Name": ["d1", "d2", "d3", "d4"], "Amount": [10, 20, 30, 40],
      "Associated Company ID": [7, 8, 9, 7], "Close Date": ["2024-01-01"] * 4, "Deal Stage": ["closedwon"] * 4},
     "Associated Company ID", "companies.Record ID"),
])
def test_crm_exports_join_on_their_key_headers(tmp_path, contacts, deals, key, to_key):
    table = to_key.split(".")[0]
    pd.DataFrame(contacts).to_csv(tmp_path / f"{table}.csv", index=False)
    pd.DataFrame(deals).to_csv(tmp_path / "deals.csv", index=False)
    s = session(tmp_path / f"{table}.csv", tmp_path / "deals.csv")
    join = join_of(s, "deals.csv")
    assert (join["key"], join["to_key"], join["rows"], join["matched"]) == (key, [to_key], 4, 4)
    by = {r[0]: r[1] for r in s.ask("revenue by industry").table("by_industry").rows}
    assert by == {"x": 10 + 30 + 40, "y": 20}


# --------------------------------------------------------------------------- key found by values

def test_a_key_no_header_names_is_found_by_its_values_and_said(tmp_path):
    contacts, deals = contacts_frame(), deals_frame("Owner Contact", matched=376)
    contacts.to_excel(tmp_path / "contacts.xlsx", index=False)
    deals.to_csv(tmp_path / "deals.csv", index=False)
    s = session(tmp_path / "contacts.xlsx", tmp_path / "deals.csv")
    [src] = [x for x in s.dataset.sources if x.name == "deals.csv"]
    mapping = s.dataset.mapping_of(src)
    assert mapping["customer_id"].column == "Owner Contact"  # not Priority, whose 1-3 are no contacts
    assert "376 of 400 rows (94%)" in mapping["customer_id"].reason
    text = described(s)
    assert "joined on deals.Owner Contact = contacts.Record ID: 376 of 400 deals (94%) matched a contact" in text
    assert "the key found by its values" in text
    a = s.ask("revenue by country")
    assert {r[0]: r[1] for r in a.table("by_country").rows} == expected_by_country(deals, contacts, "Owner Contact")
    said = [w for w in a.warnings if "24 of 400 deals (6%) have no matching contact" in w]
    assert said and "shown as (no contact)" in said[0]


def test_ids_written_as_text_in_one_file_and_numbers_in_the_other_still_meet(tmp_path):
    contacts = contacts_frame()
    deals = deals_frame("Owner Contact", matched=400)
    deals["Owner Contact"] = [f" {v} " for v in deals["Owner Contact"]]  # padded text against integers
    contacts.to_csv(tmp_path / "contacts.csv", index=False)
    deals.to_csv(tmp_path / "deals.csv", index=False)
    s = session(tmp_path / "contacts.csv", tmp_path / "deals.csv")
    assert (join_of(s, "deals.csv")["key"], join_of(s, "deals.csv")["matched"]) == ("Owner Contact", 400)


def test_a_column_below_the_minimum_overlap_is_no_key_and_the_error_says_what_was_tried(tmp_path):
    contacts, deals = contacts_frame(), deals_frame("Owner Contact", matched=40)  # 10% of the deals
    contacts.to_excel(tmp_path / "contacts.xlsx", index=False)
    deals.to_csv(tmp_path / "deals.csv", index=False)
    s = session(tmp_path / "contacts.xlsx", tmp_path / "deals.csv")
    assert join_of(s, "deals.csv")["key"] is None
    with pytest.raises(CustlensError) as err:
        s.ask("revenue by country")
    msg = str(err.value)
    assert "deals.csv has no column that joins it to contacts.xlsx" in msg
    assert "Owner Contact (40 rows)" in msg and "Priority" in msg  # the columns tried, with what matched
    assert "--map customer_id=COLUMN" in msg and '[sources."deals.csv"] map = {customer_id = "COLUMN"}' in msg
    # sales figures that need no contact still answer
    assert s.ask("total revenue").table("headline") is not None
    # mapping the key as told: joined, and the 90% without a contact said
    s.map("customer_id=Owner Contact")
    a = s.ask("revenue by country")
    by = {r[0]: r[1] for r in a.table("by_country").rows}
    assert by == expected_by_country(deals, contacts, "Owner Contact")
    assert any("360 of 400 deals (90%) have no matching contact" in w for w in a.warnings)
    # ... or in custlens.toml, as the message says
    (tmp_path / "custlens.toml").write_text('[sources."deals.csv"]\nmap = {customer_id = "Owner Contact"}\n')
    again = join_of(session(tmp_path / "contacts.xlsx", tmp_path / "deals.csv"), "deals.csv")
    assert (again["key"], again["rows"], again["matched"]) == ("Owner Contact", 400, 40)


# --------------------------------------------------------------------------- partial and no join

def test_partial_join_numbers_in_the_answer_match_its_table(tmp_path):
    s = hubspot(tmp_path)
    a = s.ask("revenue by country")
    rows = {r[0]: r for r in a.table("by_country").rows}
    deals, contacts = deals_frame(), contacts_frame()
    assert {k: r[1] for k, r in rows.items()} == expected_by_country(deals, contacts, "Associated Contact ID")
    assert rows["(no contact)"][2] == 88  # deals without a contact: the 88 the warning counts
    assert any("88 of 400 deals (22%) have no matching contact in contacts.xlsx" in w for w in a.warnings)
    # an answer that shows a contacts column says it, whichever analysis joined them
    overall = s.ask("total revenue")
    assert "(no contact)" in [r[0] for r in overall.table("by_country").rows]
    assert any("88 of 400 deals (22%) have no matching contact" in w for w in overall.warnings)


def test_groups_are_never_none_or_nan(tmp_path):
    s = hubspot(tmp_path)
    for question, table in [("revenue by country", "by_country"), ("revenue by segment", "by_segment"),
                            ("orders by lifecycle stage", "by_segment")]:
        labels = [r[0] for r in s.ask(question).table(table).rows]
        assert "(no contact)" in labels and "(blank)" in labels, (question, labels)
        assert not any(v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("None", "nan", "NaN")
                       for v in labels), (question, labels)


def test_per_customer_breakdowns_label_and_say_the_unmatched_too(tmp_path):
    s = hubspot(tmp_path)
    a = s.ask("cohorts by country")
    groups = [r[0] for r in a.table("cohort_groups").rows]
    assert set(groups) == {"(no contact)", "(blank)", "France", "Germany", "Spain"}
    # 88 unmatched deals are 88 different ids, each a customer of its own: one cohort group
    sizes = pd.DataFrame(a.table("cohort_sizes").rows, columns=a.table("cohort_sizes").columns)
    assert sizes.loc[sizes["country"] == "(no contact)", "customers"].sum() == 88
    assert any("88 of 400 deals (22%) have no matching contact" in w for w in a.warnings)


def test_customers_file_names_the_missing_group(tmp_path):
    contacts_frame().rename(columns={"Record ID": "Customer ID"}).to_csv(tmp_path / "customers.csv", index=False)
    deals_frame("Customer ID").to_csv(tmp_path / "orders.csv", index=False)
    s = session(tmp_path / "customers.csv", tmp_path / "orders.csv")
    labels = [r[0] for r in s.ask("revenue by country").table("by_country").rows]
    assert "(no customer)" in labels and "(no contact)" not in labels


def test_no_row_matching_is_a_clear_error_naming_the_join(tmp_path):
    s = hubspot(tmp_path, matched=0)
    assert (join_of(s, "deals.csv")["rows"], join_of(s, "deals.csv")["matched"]) == (400, 0)
    with pytest.raises(CustlensError) as err:
        s.ask("revenue by country")
    msg = str(err.value)
    assert "none of the 400 deals of deals.csv matches a contact of contacts.xlsx" in msg
    assert "deals.Associated Contact ID = contacts.Record ID" in msg and "'90000'" in msg and "'1000'" in msg
    assert "other columns tried, with the rows holding a contact id:" in msg and "Priority (0 rows)" in msg
    assert "--map customer_id=COLUMN" in msg and "custlens.toml" in msg
    assert "none of the 400 deals" in described(s)


def test_feedback_rows_are_counted_against_the_contacts_too(tmp_path):
    contacts_frame().to_excel(tmp_path / "contacts.xlsx", index=False)
    pd.DataFrame({"Contact ID": [1000 + i for i in range(45)] + [7] * 5, "NPS": [9] * 50,
                  "Comment": ["ok"] * 50}).to_csv(tmp_path / "feedback.csv", index=False)
    s = session(tmp_path / "contacts.xlsx", tmp_path / "feedback.csv")
    join = join_of(s, "feedback.csv")
    assert (join["key"], join["rows"], join["matched"]) == ("Contact ID", 50, 45)
    assert "5 of 50 feedback rows (10%) have no matching contact" in join["said"]


# --------------------------------------------------------------------------- contacts alone

def test_contacts_questions_are_answered_from_the_contacts_table(tmp_path):
    contacts = contacts_frame()
    contacts.to_excel(tmp_path / "contacts.xlsx", index=False)
    s = session(tmp_path / "contacts.xlsx")
    a = s.ask("how many contacts do we have")
    assert a.analysis == "overview" and a.summary.startswith("200 customers")
    assert dict(a.table("headline").rows)["customers"] == 200
    by_stage = {r[0]: r[1] for r in s.ask("contacts by lifecycle stage").table("by_segment").rows}
    assert by_stage == {"customer": 80, "lead": 40, "opportunity": 40, "(blank)": 40}
    by_country = {r[0]: r[1] for r in s.ask("contacts by country").table("by_country").rows}
    assert by_country == {"Germany": 50, "France": 50, "Spain": 50, "(blank)": 50}
