"""Frequent itemsets and association rules over baskets held in DuckDB.

The baskets (one per order, or one per line of a basket file) are written once into a temporary
table of integer (basket, item) pairs holding only the items that reach the minimum support, so
everything after the item count works on the pruned data. Two miners produce the same itemsets:

- ``mlxtend``: a scipy sparse one-hot matrix (never a dense frame) handed to mlxtend's fpgrowth,
  apriori or hmine;
- ``sql``: level-wise counting in DuckDB (pairs, then triples... each level grown only from the
  frequent itemsets of the level before, the support threshold in the HAVING clause), for data too
  large to hand to Python.

Rules always come from ``mlxtend.frequent_patterns.association_rules`` on those itemsets, so both
paths give the metrics mlxtend gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from custlens.errors import DataError

LINES = "__basket_lines"  # (b INTEGER, i INTEGER): one row per basket and frequent item
ITEMS = "__basket_items"  # (i INTEGER, item VARCHAR, baskets BIGINT)
SOURCE = "__basket_source"  # (basket, item): distinct, before pruning
BASKETS = "__basket_ids"  # (basket, size, b INTEGER): one row per basket, b its row number from 0
PAIRS = "__basket_pairs"  # (i1 INTEGER, i2 INTEGER, c BIGINT): frequent pairs, i1 < i2

#: candidate minimum supports, largest first; the adaptive default is the largest that gives a
#: readable number of rules
LADDER = (0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005, 0.003, 0.002, 0.001)
#: the adaptive default stops at the first support giving at least this many pair rules
READABLE_RULES = 30
READABLE_FOCUS = 3
#: above these, the threshold is raised (with a warning) before mining
MAX_ITEMS = 2_000
MAX_PAIRS = 20_000
#: baskets above which ``engine="auto"`` counts in SQL rather than handing a matrix to mlxtend
SQL_ABOVE_BASKETS = 50_000
METRICS = ["antecedent support", "consequent support", "support", "confidence", "lift", "leverage", "conviction"]


@dataclass
class Baskets:
    """The baskets of one question, loaded into the temporary SOURCE table."""

    n: int  # baskets, including those of one item
    items: pd.DataFrame  # item, baskets (count), support: every item, most frequent first
    multi: int  # baskets of two items or more
    largest: int  # items in the largest basket


def load(dataset, select: str, args: list, what: str) -> Baskets:
    """Materialise ``select`` (basket, item) as distinct pairs; count baskets and items."""
    dataset.query(f"CREATE OR REPLACE TEMP TABLE {SOURCE} AS SELECT DISTINCT basket, CAST(item AS VARCHAR) AS item "
                  f"FROM ({select}) "
                  f"WHERE basket IS NOT NULL AND item IS NOT NULL", args)
    # each basket's row in the one-hot matrix: numbered as grouped (no sort; any order will do)
    dataset.query(f"CREATE OR REPLACE TEMP TABLE {BASKETS} AS SELECT basket, count(*) AS size, "
                  f"(row_number() OVER () - 1)::INTEGER AS b FROM {SOURCE} GROUP BY basket")
    head = dataset.query(f"SELECT count(*) AS baskets, count(*) FILTER (WHERE size >= 2) AS multi, "
                         f"max(size) AS largest FROM {BASKETS}")
    n, multi, largest = (int(v) if pd.notna(v := head.iloc[0][c]) else 0 for c in ("baskets", "multi", "largest"))
    if n == 0:
        raise DataError(f"no baskets: {what} holds no basket with a product (lines with a negative amount or "
                        "quantity are returns, not purchases). Widen the period or the filters.")
    if multi == 0:
        raise DataError(f"every one of the {n:,} baskets in {what} holds a single item, so nothing is bought "
                        "together. Check that the order id groups the lines of one order (map another column "
                        "with --map order_id=COLUMN), or load the full basket file.")
    items = dataset.query(f"SELECT item, count(*) AS baskets FROM {SOURCE} GROUP BY 1 ORDER BY 2 DESC, 1")
    items["support"] = items["baskets"] / n
    return Baskets(n=n, items=items, multi=multi, largest=largest)


def prune(dataset, baskets: Baskets, min_support: float) -> dict[int, str]:
    """Keep the items that reach ``min_support`` in LINES/ITEMS under integer ids and count the
    pairs that reach it in PAIRS; return {id: item}. The comparison is mlxtend's own
    (count / n >= min_support)."""
    args = [float(baskets.n), min_support]
    dataset.query(f"CREATE OR REPLACE TEMP TABLE {ITEMS} AS SELECT (row_number() OVER (ORDER BY item) - 1)::INTEGER "
                  f"AS i, item, baskets FROM (SELECT item, count(*) AS baskets FROM {SOURCE} GROUP BY 1 "
                  f"HAVING count(*) / ? >= ?)", args)
    dataset.query(f"CREATE OR REPLACE TEMP TABLE {LINES} AS SELECT k.b, f.i FROM {SOURCE} s "
                  f"JOIN {BASKETS} k USING (basket) JOIN {ITEMS} f USING (item)")
    dataset.query(f"CREATE OR REPLACE TEMP TABLE {PAIRS} AS SELECT x.i AS i1, y.i AS i2, count(*) AS c FROM {LINES} x "
                  f"JOIN {LINES} y ON x.b = y.b AND x.i < y.i GROUP BY 1, 2 HAVING count(*) / ? >= ?", args)
    return item_names(dataset)


def narrow(dataset, n: int, min_support: float) -> dict[int, str]:
    """Raise the threshold of what ``prune`` kept to ``min_support`` (ids stay, nothing recounted)."""
    args = [float(n), min_support]
    dataset.query(f"DELETE FROM {ITEMS} WHERE baskets / ? < ?", args)
    dataset.query(f"DELETE FROM {PAIRS} WHERE c / ? < ?", args)
    dataset.query(f"DELETE FROM {LINES} WHERE i NOT IN (SELECT i FROM {ITEMS})")
    return item_names(dataset)


def item_names(dataset) -> dict[int, str]:
    frame = dataset.query(f"SELECT i, item FROM {ITEMS} ORDER BY i")
    return dict(zip(frame["i"].tolist(), frame["item"].tolist()))


def pair_rules(pairs: pd.DataFrame, count: dict[int, int], n: int, min_support: float,
               min_confidence: float, min_lift: float) -> int:
    """How many one-to-one rules (both directions of each pair) pass the thresholds at ``min_support``."""
    p = pairs[pairs["c"] / n >= min_support]
    if p.empty:
        return 0
    both = p["c"].to_numpy(float)
    ca = p["i1"].map(count).to_numpy(float)
    cb = p["i2"].map(count).to_numpy(float)
    ok = both * n / (ca * cb) >= min_lift
    return int(((both / ca >= min_confidence) & ok).sum() + ((both / cb >= min_confidence) & ok).sum())


def threshold(dataset, baskets: Baskets, min_support: float | None, min_confidence: float, min_lift: float,
              warnings: list[str], focus: str | None = None) -> tuple[float, dict[int, str]]:
    """The minimum support to mine at, with the data pruned to it (``prune``).

    Given: used as is, unless the frequent items (> MAX_ITEMS) or pairs (> MAX_PAIRS) would
    explode, when it is raised to the support that keeps them readable, with a warning. Not given
    (the adaptive default): the largest support on LADDER giving READABLE_RULES one-to-one rules,
    read off one pair count at the lowest support worth trying (with ``focus``, an item: the
    largest giving READABLE_FOCUS rules about it)."""
    n = baskets.n
    asked = min_support
    s = min_support if min_support is not None else max(LADDER[-1], 2 / n)
    support = baskets.items["support"].to_numpy()
    if (support >= s).sum() > MAX_ITEMS:
        s = float(np.nextafter(support[MAX_ITEMS], 1.0))
    names = prune(dataset, baskets, s)
    pruned_at = s
    if dataset.scalar(f"SELECT count(*) FROM {PAIRS}") > MAX_PAIRS:
        c = dataset.scalar(f"SELECT c FROM {PAIRS} ORDER BY c DESC LIMIT 1 OFFSET {MAX_PAIRS}")
        s = float(np.nextafter(c / n, 1.0))
    if asked is not None:
        if s > asked:
            warnings.append(f"a minimum support of {asked:.4g} gives too many frequent items or pairs to read "
                            f"(over {MAX_ITEMS:,} items or {MAX_PAIRS:,} pairs): raised to {s:.4g}. Ask about one "
                            "product, or for a period or segment, to look closer.")
        return s, narrow(dataset, n, s) if s > pruned_at else names
    pairs = dataset.query(f"SELECT i1, i2, c FROM {PAIRS}")
    readable = READABLE_RULES
    if focus is not None:
        ids = [i for i, name in names.items() if name == focus]
        pairs = pairs[pairs["i1"].isin(ids) | pairs["i2"].isin(ids)]
        readable = READABLE_FOCUS
    items = dataset.query(f"SELECT i, baskets FROM {ITEMS}")
    count = dict(zip(items["i"], items["baskets"]))
    chosen = next((rung for rung in LADDER if rung >= s and
                   pair_rules(pairs, count, n, rung, min_confidence, min_lift) >= readable), s)
    return chosen, narrow(dataset, n, chosen) if chosen > pruned_at else names


def one_hot(dataset, n: int, names: dict[int, str]):
    """LINES as a pandas frame of sparse booleans, one row per basket (mlxtend's input)."""
    import scipy.sparse as sp

    ids = np.fromiter(names, dtype=np.int64, count=len(names))
    lines = dataset.arrays(f"SELECT b, i FROM {LINES}")
    matrix = sp.csr_matrix((np.ones(len(lines["b"]), dtype=bool), (lines["b"], np.searchsorted(ids, lines["i"]))),
                           shape=(n, len(ids)), dtype=bool)
    return pd.DataFrame.sparse.from_spmatrix(matrix, columns=list(names.values()))


def mine_mlxtend(dataset, n: int, names: dict[int, str], min_support: float, max_len: int,
                 algorithm: str) -> pd.DataFrame:
    """Frequent itemsets (support, itemsets of item names) by an mlxtend miner on the sparse matrix."""
    from mlxtend import frequent_patterns as fp

    if not names:
        return pd.DataFrame({"support": pd.Series(dtype=float), "itemsets": pd.Series(dtype=object)})
    miner = {"fpgrowth": fp.fpgrowth, "apriori": fp.apriori, "hmine": fp.hmine}[algorithm]
    return miner(one_hot(dataset, n, names), min_support=min_support, use_colnames=True, max_len=max_len)


def mine_sql(dataset, n: int, names: dict[int, str], min_support: float, max_len: int) -> pd.DataFrame:
    """The same itemsets counted level by level in DuckDB: pairs come from PAIRS; level k joins
    the baskets' rows of the frequent (k-1)-itemsets with the basket's larger items, keeping a new
    item only where it forms a frequent pair with the first one (a cheap Apriori prune), and counts
    with the threshold in HAVING. No one-hot matrix is ever built."""
    counts = dataset.query(f"SELECT i, baskets FROM {ITEMS} ORDER BY i")
    frames = [pd.DataFrame({"support": counts["baskets"] / n, "ids": [(i,) for i in counts["i"]]})]
    args = [float(n), min_support]
    if max_len >= 2:
        frames.append(_level(dataset, PAIRS, 2, n))
    k = 3
    while k <= max_len and len(frames[-1]) >= k:
        if k == 3:
            dataset.query(f"CREATE OR REPLACE TEMP TABLE __basket_rows2 AS SELECT x.b, x.i AS i1, y.i AS i2 FROM "
                          f"{LINES} x JOIN {LINES} y ON x.b = y.b AND x.i < y.i "
                          f"SEMI JOIN {PAIRS} k ON k.i1 = x.i AND k.i2 = y.i")
        cols = ", ".join(f"r.i{j}" for j in range(1, k))
        dataset.query(f"CREATE OR REPLACE TEMP TABLE __basket_cand AS SELECT r.b, {cols}, l.i AS i{k} "
                      f"FROM __basket_rows{k - 1} r JOIN {LINES} l ON l.b = r.b AND l.i > r.i{k - 1} "
                      f"SEMI JOIN {PAIRS} p ON p.i1 = r.i1 AND p.i2 = l.i")
        ids = ", ".join(f"i{j}" for j in range(1, k + 1))
        dataset.query(f"CREATE OR REPLACE TEMP TABLE __basket_k{k} AS SELECT {ids}, count(*) AS c FROM __basket_cand "
                      f"GROUP BY ALL HAVING count(*) / ? >= ?", args)
        on = " AND ".join(f"k.i{j} = c.i{j}" for j in range(1, k + 1))
        dataset.query(f"CREATE OR REPLACE TEMP TABLE __basket_rows{k} AS SELECT c.* FROM __basket_cand c "
                      f"SEMI JOIN __basket_k{k} k ON {on}")
        frames.append(_level(dataset, f"__basket_k{k}", k, n))
        k += 1
    dataset.execute("DROP TABLE IF EXISTS __basket_cand")
    for j in range(2, k):
        dataset.execute(f"DROP TABLE IF EXISTS __basket_rows{j}; DROP TABLE IF EXISTS __basket_k{j}")
    out = pd.concat(frames, ignore_index=True)
    out["itemsets"] = [frozenset(names[i] for i in ids) for ids in out["ids"]]
    return out.drop(columns="ids")[["support", "itemsets"]]


def _level(dataset, table: str, k: int, n: int) -> pd.DataFrame:
    ids = [f"i{j}" for j in range(1, k + 1)]
    frame = dataset.query(f"SELECT {', '.join(ids)}, c FROM {table}")
    return pd.DataFrame({"support": frame["c"] / n, "ids": list(zip(*(frame[c] for c in ids)))})


def rules(itemsets: pd.DataFrame, n: int, min_confidence: float, min_lift: float,
          multi_consequent: bool) -> pd.DataFrame:
    """mlxtend's association rules, filtered by lift and (arules semantics) one consequent item."""
    from mlxtend.frequent_patterns import association_rules

    if (itemsets["itemsets"].map(len) >= 2).sum() == 0:
        return pd.DataFrame(columns=["antecedents", "consequents", *METRICS])
    out = association_rules(itemsets, num_itemsets=n, metric="confidence", min_threshold=min_confidence,
                            return_metrics=METRICS)
    out = out[out["lift"] >= min_lift]
    if not multi_consequent:
        out = out[out["consequents"].map(len) == 1]
    return out.reset_index(drop=True)


def label(items) -> str:
    """An itemset as readers write it: "herbs + whole milk"."""
    return " + ".join(sorted(items))


def rules_frame(found: pd.DataFrame, n: int) -> pd.DataFrame:
    """Rules as a table: readable sides, basket counts, metrics; strongest (lift, then confidence) first."""
    frame = pd.DataFrame({
        "antecedents": found["antecedents"].map(label), "consequents": found["consequents"].map(label),
        "baskets": (found["support"] * n).round().astype("int64"),
        "antecedent_baskets": (found["antecedent support"] * n).round().astype("int64"),
        "consequent_baskets": (found["consequent support"] * n).round().astype("int64"),
        "support": found["support"], "confidence": found["confidence"], "lift": found["lift"],
        "leverage": found["leverage"],
        # a rule that always holds has infinite conviction: shown empty (JSON has no infinity)
        "conviction": found["conviction"].replace([np.inf], np.nan),
        "antecedent_support": found["antecedent support"], "consequent_support": found["consequent support"]})
    return frame.sort_values(["lift", "confidence", "antecedents", "consequents"],
                             ascending=[False, False, True, True]).reset_index(drop=True)


def itemsets_frame(itemsets: pd.DataFrame, baskets: Baskets) -> pd.DataFrame:
    """Itemsets of two items or more with counts and their lift over independence
    (support / product of the items' supports); ranked by lift x support (the bundles)."""
    multi = itemsets[itemsets["itemsets"].map(len) >= 2]
    single = dict(zip(baskets.items["item"], baskets.items["support"]))
    expected = multi["itemsets"].map(lambda s: math.prod(single[i] for i in s))
    frame = pd.DataFrame({"items": multi["itemsets"].map(label), "size": multi["itemsets"].map(len),
                          "baskets": (multi["support"] * baskets.n).round().astype("int64"),
                          "support": multi["support"], "lift": multi["support"] / expected})
    frame["score"] = frame["lift"] * frame["support"]
    return frame.sort_values(["score", "items"], ascending=[False, True]).reset_index(drop=True)


def drop_tables(dataset) -> None:
    for table in (LINES, ITEMS, SOURCE, BASKETS, PAIRS):
        dataset.execute(f"DROP TABLE IF EXISTS {table}")
