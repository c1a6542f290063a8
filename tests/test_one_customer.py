"""A customer named to an analysis without a ``customer`` parameter is not left out: an analysis with
a per-customer table shows that customer's row first, another is limited to the customer
(``Session._one_customer_asked``). Checked against the demo store's own rows."""

import pandas as pd
import pytest

from helpers import demo_session

from custlens import templates
from custlens.errors import ParamsError


@pytest.fixture(scope="module")
def demo():
    return demo_session(customers=600, seed=11)


def test_the_loyalty_index_of_a_named_customer_is_their_row(demo):
    s, store = demo
    everyone = s.fork().chat("loyalty index for each customer").table("loyalty_index").frame
    who = str(everyone.customer_id.iloc[7])
    a = s.fork().chat(f"how loyal is customer {who}")
    assert a.analysis == "loyalty" and f"customer={who}" in a.understood
    row = a.table("customer").frame.iloc[0]
    assert row.customer_id == who and row.loyalty_index == everyone.loyalty_index.iloc[7]
    assert a.summary.startswith(f"Customer **{who}**") and f"loyalty_index {templates.num(row.loyalty_index, 2)}" in a.summary
    assert not any("cannot use customer" in w for w in a.warnings)


def test_orders_of_a_named_customer_are_theirs(demo):
    s, store = demo
    orders = store.tables["orders"]
    who = orders.customer_id.value_counts().index[0]
    bought = orders[(orders.customer_id == who) & (orders.amount > 0)]
    a = s.fork().chat(f"how many orders has customer {who} placed in total?")
    assert a.params["filters"] == {"customer_id": [who]}
    assert dict(a.table("headline").rows)["orders"] == bought.order_id.nunique()


def test_a_second_customer_replaces_the_first(demo):
    s, store = demo
    ids = list(store.tables["orders"].customer_id.unique()[:2])
    c = s.fork()
    c.chat(f"how many orders has customer {ids[0]} placed?")
    a = c.chat(f"loyalty score for customer {ids[1]}")
    assert a.table("customer").frame.iloc[0].customer_id == ids[1]
    assert "customer_id" not in c.conversation.filters


def test_a_customer_without_purchases_in_the_scope_is_said(demo):
    s, store = demo
    orders = store.tables["orders"]
    first = orders.groupby("customer_id").order_date.min().sort_values()
    who, late = first.index[-1], first.iloc[-1]  # the last customer to arrive: none of their orders before
    before = str((pd.Timestamp(late) - pd.Timedelta(days=1)).date())
    with pytest.raises(ParamsError, match=f"customer {who} is not among"):
        s.fork().run("loyalty", {"customer": who, "start": "2023-01-01", "end": before})
