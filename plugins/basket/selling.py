"""Cross- and up-selling on top of the basket rules: a product's best companions, what a
customer's segment's rules recommend that they have not bought, and the cheaper -> dearer moves
within a category (who made them, who has not yet). Per-row work is SQL."""

from __future__ import annotations

import difflib
import re

import pandas as pd

from custlens.errors import ParamsError

from . import mining


def match_product(items: pd.DataFrame, asked: str, level: str = "product") -> tuple[str, list[str]]:
    """The real item name meant by ``asked`` ("milk" -> "whole milk"), and the other candidates.

    Exact (any case) wins; then names holding the words asked, most frequent first; then close
    spellings. Nothing close: a ParamsError naming the nearest names."""
    names = items["item"].tolist()  # most frequent first
    wanted = asked.strip().lower()
    exact = [n for n in names if n.lower() == wanted]
    if exact:
        return exact[0], []
    words = re.findall(r"\w+", wanted)
    holding = [n for n in names if words and all(re.search(rf"\b{re.escape(w)}", n.lower()) for w in words)]
    if holding:
        return holding[0], holding[1:6]
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(wanted, list(lowered), n=6, cutoff=0.75)
    if close:
        return lowered[close[0]], [lowered[c] for c in close[1:]]
    near = difflib.get_close_matches(wanted, list(lowered), n=5, cutoff=0.3) or \
        [n.lower() for n in names[:5]]
    raise ParamsError(f"no {level} matching {asked!r} in the baskets. Close names: "
                      f"{', '.join(repr(lowered[n]) for n in near)}.")


def pair(dataset, baskets, item: str, asked: str, level: str, warnings: list[str]) -> pd.DataFrame:
    """Two products as a pair, whatever the thresholds: a row per product (``item``, then the one meant
    by ``asked``, fuzzy-matched as ``match_product`` does, the reading said in ``warnings``) with the
    baskets holding it, those holding both, the share of its baskets that hold the other, the share of
    all baskets holding both and the lift (how many times as often they are together as if bought
    independently)."""
    other, others = match_product(baskets.items, asked, level)
    if other.lower() != asked.strip().lower():
        warnings.append(f"{asked!r} read as {other!r}" + (f" (also close: {', '.join(others)})" if others else ""))
    if other == item:
        raise ParamsError(f"{asked!r} and the other product asked about are both read as {item!r}: name two "
                          "different products to see how often they are bought together.")
    a, b, both = dataset.query(f"""
        WITH per AS (SELECT basket, bool_or(item = ?) AS a, bool_or(item = ?) AS b FROM {mining.SOURCE} GROUP BY basket)
        SELECT count(*) FILTER (WHERE a), count(*) FILTER (WHERE b), count(*) FILTER (WHERE a AND b) FROM per""",
                                [item, other]).iloc[0].astype(int)
    n = baskets.n
    lift = both * n / (a * b) if a and b else float("nan")
    return pd.DataFrame({"item": [item, other], "baskets": [a, b], "baskets_together": [both, both],
                         "with_the_other": [both / a if a else float("nan"), both / b if b else float("nan")],
                         "support": [both / n, both / n], "lift": [lift, lift]})


def companions(dataset, item: str, n: int, min_support: float, min_lift: float) -> pd.DataFrame:
    """Every item bought with ``item`` in at least two baskets and ``min_support`` of them, as the
    rules "item -> other" and "other -> item": baskets together, confidences both ways, lift;
    ranked by lift x support."""
    frame = dataset.query(f"""
        WITH mine AS (SELECT DISTINCT basket FROM {mining.SOURCE} WHERE item = ?),
             counts AS (SELECT item, count(*) AS baskets FROM {mining.SOURCE} GROUP BY 1)
        SELECT s.item AS companion, count(*) AS baskets_together, any_value(c.baskets) AS companion_baskets
        FROM {mining.SOURCE} s JOIN mine USING (basket) JOIN counts c ON c.item = s.item
        WHERE s.item <> ? GROUP BY 1 HAVING count(*) >= 2""", [item, item])
    mine = dataset.scalar(f"SELECT count(DISTINCT basket) FROM {mining.SOURCE} WHERE item = ?", [item])
    frame["support"] = frame["baskets_together"] / n
    frame["confidence"] = frame["baskets_together"] / mine  # item -> companion
    frame["reverse_confidence"] = frame["baskets_together"] / frame["companion_baskets"]  # companion -> item
    frame["lift"] = frame["baskets_together"] * n / (mine * frame["companion_baskets"])
    frame = frame[(frame["lift"] >= min_lift) & (frame["support"] >= min_support)]
    frame = frame.assign(score=frame["lift"] * frame["support"])
    return frame.sort_values(["score", "companion"], ascending=[False, True]).reset_index(drop=True)


def check_customer(dataset, customer: str) -> None:
    """A ParamsError naming the closest ids when ``customer`` never bought anything."""
    if dataset.scalar("SELECT count(*) FROM transactions WHERE customer_id = ?", [customer]):
        return
    close = dataset.query("SELECT DISTINCT customer_id FROM transactions WHERE customer_id IS NOT NULL "
                          "ORDER BY jaro_winkler_similarity(customer_id, ?) DESC, customer_id LIMIT 3",
                          [customer])["customer_id"].tolist()
    raise ParamsError(f"no purchases by customer {customer!r}. Closest ids: {', '.join(close)}.")


def customer_segment(dataset, customer: str) -> str | None:
    if not dataset.has_segments:
        return None
    found = dataset.query("SELECT segment FROM segments WHERE customer_id = ?", [customer])
    return found["segment"].iloc[0] if len(found) else None


def recommendations(dataset, customer: str, column: str, rules: pd.DataFrame) -> pd.DataFrame:
    """Items the rules recommend to ``customer``: consequents of the rules whose whole antecedent
    they have bought, that they have never bought; the strongest rule per item (confidence, lift)."""
    bought = set(dataset.query(f"SELECT DISTINCT {column} AS item FROM transactions WHERE customer_id = ? "
                               f"AND {column} IS NOT NULL", [customer])["item"])
    fits = rules[rules["antecedents"].map(lambda a: set(a.split(" + ")) <= bought)
                 & rules["consequents"].map(lambda c: not set(c.split(" + ")) & bought)]
    fits = fits.sort_values(["confidence", "lift", "consequents"], ascending=[False, False, True])
    best = fits.drop_duplicates("consequents")
    return pd.DataFrame({"recommend": best["consequents"], "because_they_bought": best["antecedents"],
                         "confidence": best["confidence"], "lift": best["lift"],
                         "baskets": best["baskets"]}).reset_index(drop=True)


def fallback(dataset, customer: str, column: str, top: int = 10) -> tuple[pd.DataFrame, str]:
    """What to recommend to ``customer`` when no rule fits: the items most bought by similar
    customers (those who bought the same items, each weighted by how many they share), else the
    most bought items overall, never one the customer has bought. (frame, the rule used in words)."""
    from custlens.kit import named
    from custlens.sql import qi

    col = qi(column)
    sql, args = named(f"""
        WITH mine AS (SELECT DISTINCT {col} AS item FROM transactions WHERE customer_id = $customer
                      AND {col} IS NOT NULL),
             peers AS (SELECT customer_id, count(DISTINCT {col}) AS shared FROM transactions
                       WHERE {col} IN (SELECT item FROM mine) AND customer_id <> $customer GROUP BY 1),
             bought AS (SELECT DISTINCT t.customer_id, t.{col} AS item FROM transactions t
                        WHERE t.{col} IS NOT NULL AND t.{col} NOT IN (SELECT item FROM mine)
                          AND t.customer_id IS NOT NULL)
        SELECT b.item AS recommend, count(*) AS customers, sum(p.shared) AS weight,
               count(*) / (SELECT count(*) FROM peers) AS share
        FROM bought b JOIN peers p USING (customer_id) GROUP BY 1
        ORDER BY weight DESC, customers DESC, recommend LIMIT $top""", {"customer": customer, "top": top})
    frame = dataset.query(sql, args)
    if len(frame):
        rule = ("no rule fits what they have bought, so these are the products most bought by similar customers "
                "(those who bought the same products, weighted by how many they share) that they have not bought")
        return pd.DataFrame({"recommend": frame["recommend"], "rule": "similar customers",
                             "customers": frame["customers"], "share of similar customers": frame["share"]}), rule
    sql, args = named(f"""
        SELECT {col} AS recommend, count(DISTINCT customer_id) AS customers,
               count(DISTINCT customer_id) / (SELECT count(DISTINCT customer_id) FROM transactions) AS share
        FROM transactions WHERE {col} IS NOT NULL AND {col} NOT IN (SELECT {col} FROM transactions
                                                                    WHERE customer_id = $customer AND {col} IS NOT NULL)
        GROUP BY 1 ORDER BY customers DESC, recommend LIMIT $top""", {"customer": customer, "top": top})
    frame = dataset.query(sql, args)
    rule = ("no rule fits what they have bought and no other customer bought the same products, so these are the "
            "most bought products overall that they have not bought")
    return pd.DataFrame({"recommend": frame["recommend"], "rule": "most bought overall", "customers": frame["customers"],
                         "share of customers": frame["share"]}), rule


FIRSTS, PATHS, CANDIDATES = "__upsell_firsts", "__upsell_paths", "__upsell_candidates"
#: the candidates listed (the likeliest first): a million customers give ~5M candidate rows, more than
#: a spreadsheet opens (1,048,576 rows) and ~20 s to sort and fetch; how many there are is counted in full
MAX_CANDIDATES = 100_000


def upsell(dataset, where: str, args: list, product: str | None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Cheaper -> dearer moves within a category: ``paths`` (from, to, prices, customers who moved
    after buying the cheaper one first, customers of the cheaper one who have not bought the dearer
    one, the move rate) and ``candidates`` (each customer who has not made the most-taken move from
    a product they bought). Prices are each product's median unit price; ``product`` keeps the
    paths from or to it. Each customer's first purchase of each product (with its category and
    price) and the paths are materialised once as temporary tables, both outputs read them. The third
    value counts the candidates in full (``rows``, ``customers``); at most MAX_CANDIDATES are listed."""
    from custlens.kit import temp_table

    firsts, paths = _materialise(where, args, product, dataset)
    with temp_table(dataset, FIRSTS, *firsts), temp_table(dataset, PATHS, *paths):
        paths = dataset.query(f"SELECT * FROM {PATHS} ORDER BY move_rate DESC, moved DESC, from_product, to_product")
        with temp_table(dataset, CANDIDATES, f"""
                WITH best AS (SELECT * FROM {PATHS} QUALIFY row_number() OVER (PARTITION BY from_product
                              ORDER BY move_rate DESC, moved DESC, to_product) = 1)
                SELECT a.customer_id, b.category, b.from_product AS bought, b.to_product AS suggest,
                       round(b.move_rate, 6) AS move_rate, CAST(a.last AS DATE) AS last_bought
                FROM {FIRSTS} a JOIN best b ON a.product = b.from_product
                WHERE NOT EXISTS (SELECT 1 FROM {FIRSTS} x WHERE x.customer_id = a.customer_id
                                  AND x.product = b.to_product)"""):
            rows, customers = dataset.rows(f"SELECT count(*), count(DISTINCT customer_id) FROM {CANDIDATES}")[0]
            candidates = dataset.query(f"SELECT * FROM {CANDIDATES} ORDER BY move_rate DESC, last_bought DESC, "
                                       f"customer_id, bought LIMIT {MAX_CANDIDATES}")
    return paths, candidates, {"rows": int(rows), "customers": int(customers)}


def _materialise(where: str, args: list, product: str | None, dataset=None) -> tuple[tuple[str, list], tuple[str, list]]:
    """``FIRSTS``: one row per (customer, product) with the first and last purchase dates and the
    product's category and median price. ``PATHS``: the cheaper -> dearer pairs of one category
    that at least two customers took in that order. The self-join is restricted to the same
    customer and category and a dearer product; the same pass counts the customers who bought
    both (in any order), so ``not_yet`` needs no per-path subquery. Returns the (SQL, parameters) of
    each, for ``kit.temp_table``."""
    price = "coalesce(t.unit_price, t.amount / nullif(t.quantity, 0), t.amount)"
    every = dataset is not None and " ".join(where.split()) == "true" and "product" in dataset.columns("transactions")
    firsts_sql = (f"SELECT customer_id, product, first, last FROM {dataset.per_customer_product_table()}" if every
                  else f"SELECT t.customer_id, t.product, min(t.order_date) AS first, max(t.order_date) AS last "
                       f"FROM transactions t WHERE {where} AND t.customer_id IS NOT NULL GROUP BY 1, 2")
    firsts = (f"""
        WITH price AS (SELECT t.product, any_value(t.category) AS category, median({price}) AS price
                       FROM transactions t WHERE {where} AND t.category IS NOT NULL GROUP BY 1),
             firsts AS ({firsts_sql})
        SELECT f.*, p.category, p.price FROM firsts f LEFT JOIN price p ON p.product = f.product""",
              [*args] if every else [*args, *args])
    paths = (f"""
        WITH buyers AS (SELECT product, count(*) AS customers FROM {FIRSTS} GROUP BY 1),
             pairs AS (SELECT a.category, a.product AS from_product, b.product AS to_product,
                              any_value(a.price) AS from_price, any_value(b.price) AS to_price,
                              count(*) FILTER (WHERE a.first < b.first) AS moved, count(*) AS bought_both
                       FROM {FIRSTS} a JOIN {FIRSTS} b
                         ON a.customer_id = b.customer_id AND a.category = b.category AND b.price > a.price
                       WHERE (CAST(? AS VARCHAR) IS NULL OR ? IN (a.product, b.product))
                       GROUP BY 1, 2, 3 HAVING count(*) FILTER (WHERE a.first < b.first) >= 2)
        SELECT p.category, p.from_product, p.to_product, p.from_price, p.to_price, p.moved,
               bu.customers AS from_customers, bu.customers - p.bought_both AS not_yet,
               p.moved / bu.customers AS move_rate
        FROM pairs p JOIN buyers bu ON bu.product = p.from_product""", [product, product])
    return firsts, paths
