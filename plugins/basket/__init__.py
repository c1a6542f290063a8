"""basket: market basket analysis. Which products are bought together (association rules with
support, confidence, lift, leverage, conviction), the bundles worth selling as one, what goes
with one product ("what goes with coffee"), what to recommend to one customer (cross-sell), and
the cheaper -> dearer moves within a category (up-sell).

Baskets are the orders of the sales data (one per order id; returns excluded, as the
``transactions`` view does) or the lines of a basket file (Groceries layout). Counting and
pruning run in DuckDB (``mining``); the itemsets are mined by mlxtend on a sparse one-hot matrix,
or counted level by level in SQL when the data is large; rules always come from mlxtend's
``association_rules``.
"""

from __future__ import annotations

import re

from typing import Literal

from pydantic import Field, field_validator, model_validator

from custlens import hookimpl, kit
from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.errors import DataError, ParamsError, ScopeError
from custlens.slots import (BASKETS_WITH_TWO, BOTH_PRODUCTS, BUY_PRODUCT_WITH, PRODUCTS_TOGETHER, SUBJECT_WITH_ANYTHING,
                            WITH_PRODUCT)
from custlens.templates import render

#: a product's companions need at least this share of the baskets holding it (with the adaptive
#: minimum support): a frequent product's strongest companion is not cut by the global minimum
FOCUS_SHARE = 0.1



#: columns of the rules and bundles that are shares of baskets, shown as percentages
SHARES = ("support", "confidence", "antecedent support", "consequent support", "with_the_other")

class BasketParams(ScopedParams):
    focus: Literal["rules", "bundles", "cross_sell", "up_sell"] = Field(
        "rules", description="rules: what is bought together; bundles: itemsets of 2-4 items ranked by lift x "
        "support; cross_sell: companions of a product or recommendations for a customer; up_sell: cheaper -> "
        "dearer moves within a category")
    product: str | None = Field(None, description="rules with this product on either side (fuzzy-matched)")
    paired_with: str | None = Field(None, description="a second product (fuzzy-matched): how often it and `product` "
                                    "are bought together (baskets with both, each one's share with the other, lift)")
    customer: str | None = Field(None, description="recommend to this customer what their segment's rules suggest")
    segment: str | None = Field(None, description="only the baskets of this saved segment")
    level: Literal["auto", "product", "family", "category"] = Field(
        "auto", description="product; family: the product's name before its variant suffix (\"Leila Pullover\" "
        "of \"Leila Pullover - Noire / S\"); category; auto: products, or their families where the products' "
        "strongest rules rest on too few baskets and the families' on more (said in the answer)")
    min_support: float | None = Field(None, gt=0, le=1, description="share of baskets; default: adapts to the data")
    min_confidence: float = Field(0.2, gt=0, le=1)
    min_lift: float = Field(1.0, gt=0)
    max_len: int | None = Field(None, ge=2, le=10, description="largest itemset; default 3 (4 for bundles)")
    multi_consequent: bool = Field(False, description="allow several items on the right-hand side")
    algorithm: Literal["fpgrowth", "apriori", "hmine"] = "fpgrowth"
    engine: Literal["auto", "mlxtend", "sql"] = Field(
        "auto", description="mlxtend on a sparse matrix, or counting in SQL (auto: SQL for large data)")
    top: int = Field(10, ge=1, le=10_000)
    by: list[str] = Field(default_factory=list, description="category: rules between categories; segment: the "
                          "strongest rules of each saved segment")

    @field_validator("min_support", "min_confidence", mode="before")
    @classmethod
    def _share(cls, value):
        """"50%", "50" (a percentage) or "0.5": a share of baskets."""
        if isinstance(value, str) and value.strip().endswith("%"):
            return float(value.strip().rstrip("%").strip()) / 100
        if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", value) and float(value) > 1:
            return float(value) / 100
        return value

    @model_validator(mode="after")
    def _check(self):
        unknown = [d for d in self.by if d not in ("product", "category", "segment")]
        if unknown:
            raise ValueError(f"what is bought together is read over products, categories or saved segments, not "
                             f"{', '.join(unknown)}: ask \"which products are bought together\" or \"which "
                             f"categories are bought together\" (a column of yours: map category=COLUMN)")
        if "category" in self.by:
            self.level = "category"
        return self


class Basket(Analysis):
    name = "basket"
    whole_history = True  # a comparison in force is not carried into it (Analysis.whole_history)
    title = "Market basket analysis"
    summary = "Products bought together: association rules, bundles, cross-sell and up-sell suggestions."
    examples = [
        "which products are bought together?",
        "market basket analysis",
        "what goes with coffee",
        "what do people buy with the espresso machine",
        "customers who bought this also bought",
        "frequently bought together items",
        "association rules with lift above 2",
        "which products should we bundle",
        "best product bundles",
        "cross-sell ideas for running shoes",
        "what should we recommend to customer C000123",
        "up-sell opportunities: who moved to a dearer product",
        "which categories are bought together",
        "shelf placement: which items sit in the same basket",
        "product affinity for the champions",
        "basket rules with min support 1% and confidence 30%",
        "what else do yoga mat buyers put in their cart",
        "product pairs with the highest lift",
        "recommend products to go with a grinder",
        "what to suggest alongside an item",
        "which items to place next to each other on the shelf",
    ]
    Params = BasketParams
    #: "what goes with beer", "bought with yogurt", "recommend with the grinder": the product asked
    #: about (fuzzy-matched against the items in run), never a filter of the conversation
    #: thresholds in words: "rules with lift above 2", "confidence of at least 50%", "support > 1%"
    _AT_LEAST = r"\s*(?:of\s+)?(?:above|over|greater\s+than|more\s+than|higher\s+than|at\s+least|>=?|of\s+at\s+least)\s*"
    #: "both whole milk and yogurt", "beer and sausage bought together", "buy rolls/buns with sausage": a pair
    phrases = {"product": {BOTH_PRODUCTS: r"\1", PRODUCTS_TOGETHER: r"\1", BASKETS_WITH_TWO: r"\1", BUY_PRODUCT_WITH: r"\1",
                           WITH_PRODUCT: r"\1", SUBJECT_WITH_ANYTHING: r"\1"},
               "paired_with": {BOTH_PRODUCTS: r"\2", PRODUCTS_TOGETHER: r"\2", BASKETS_WITH_TWO: r"\2", BUY_PRODUCT_WITH: r"\2"},
               "min_lift": {r"\blift" + _AT_LEAST + r"(\d+(?:\.\d+)?)": r"\1"},
               # "by variant", "at SKU level": each product as sold; "product families": their names before
               # the variant ("Leila Pullover" of "Leila Pullover - Noire / S")
               "level": {r"\b(?:by|per|each|single|individual)\s+(?:variants?|skus?)\b|\b(?:variant|sku)[- ]level\b": "product",
                         r"\b(?:product\s+)?famil(?:y|ies)\b|\bstyles?\b": "family"},
               "min_confidence": {r"\bconf(?:idence)?" + _AT_LEAST + r"(\d+(?:\.\d+)?\s*%?)": r"\1"},
               "min_support": {r"\bsupport" + _AT_LEAST + r"(\d+(?:\.\d+)?\s*%?)": r"\1"},
               "focus": {r"\bbundl\w*": "bundles",
                         r"\bup[- ]?sell\w*|\bdearer\b|\bmore expensive\b|\btrade up\b": "up_sell",
                         r"\b(?:cross|x)[- ]?sell\w*|\brecommend\w*": "cross_sell"}}
    requires = {}  # sales lines with an order id, or a basket file: checked in run
    # "what goes with yogurt": the rules about one product, said on the first line while it is in force
    # ("top 5" after it keeps it) and cleared by "reset filters", like a filter
    narrowing = ("product", "paired_with")
    requires_any = [{"transactions": ["order_id", "product"]}, {"baskets": ["product"]}]

    def run(self, dataset, params: BasketParams) -> Answer:
        from . import mining  # numpy, pandas and scipy load on the first question, not at start-up

        named = params.filters.get("product", [])
        if not params.product and len(named) == 1:  # "what goes with X": X read as a filter is the focus
            params = params.model_copy(update={"product": named[0], "filters": {
                k: v for k, v in params.filters.items() if k != "product"}})
        if params.paired_with and not params.product:
            params = params.model_copy(update={"product": params.paired_with, "paired_with": None})
        if params.focus == "up_sell":
            return self._upsell(dataset, params)
        auto = params.level == "auto"
        if auto:  # products, unless their rules are too thin and their families' are not (below)
            params = params.model_copy(update={"level": "product"})
        warnings: list[str] = []
        select, args, what = self._source(dataset, params, warnings)
        try:
            mined = self._mine(dataset, params, select, args, what, warnings)
            if auto and self._may_group(dataset, params) and self._thin(mined[-1]):
                # variants too thin to trust ("Leila Pullover - S", each rule on 2 of 366 baskets): the
                # product families, when their rules rest on more baskets
                family = params.model_copy(update={"level": "family"})
                f_warnings: list[str] = []
                f_select, f_args, f_what = self._source(dataset, family, f_warnings)
                f_mined = self._mine(dataset, family, f_select, f_args, f_what, f_warnings)
                if self._stronger(f_mined[-1], mined[-1]):
                    family_of = {"products": int(len(mined[0].items)), "families": int(len(f_mined[0].items)),
                                 "variant_baskets": self._leading_baskets(mined[-1]), "example": self._example(dataset)}
                    return self._rules(dataset, family, f_select, f_args, f_what, f_warnings, f_mined, family_of)
            return self._rules(dataset, params, select, args, what, warnings, mined)
        finally:
            mining.drop_tables(dataset)
            kit.drop_families(dataset)

    @staticmethod
    def _may_group(dataset, params: BasketParams) -> bool:
        """Whether the rules may fall back to product families: no product or customer the rules are
        about, sales lines whose products fall into families."""
        return not params.product and not params.paired_with \
            and not params.customer and "segment" not in params.by and params.focus in ("rules", "bundles") \
            and dataset.has("transactions") and "product" in dataset.columns("transactions") \
            and kit.has_families(dataset)

    @staticmethod
    def _leading_baskets(rules) -> int | None:
        """The baskets the strongest rules (those the narrative leads with) rest on, the fewest."""
        return None if rules.empty else int(rules["baskets"].head(3).min())

    @classmethod
    def _thin(cls, rules) -> bool:
        """No rule, or the strongest rest on fewer than ``kit.SMALL_SAMPLE`` baskets each."""
        return rules.empty or kit.small(cls._leading_baskets(rules))

    @classmethod
    def _stronger(cls, families, products) -> bool:
        """Whether the family rules rest on more baskets than the product rules (or there are none)."""
        return not families.empty and (products.empty or
                                       cls._leading_baskets(families) > cls._leading_baskets(products))

    @staticmethod
    def _example(dataset) -> tuple[str, str] | None:
        """(a product, its family): how a family is read, for the narrative."""
        pairs = kit.product_families(dataset)
        return next(((p, f) for p, f in pairs.items() if p != f), None)

    # ------------------------------------------------------------------ baskets
    def _source(self, dataset, params: BasketParams, notes: list[str] | None = None) -> tuple[str, list, str]:
        """SQL for (basket, item) rows, its parameters, and what it holds in words. Products are paired
        without the service lines (postage, fees, adjustments: ``kit.service_products``), said in ``notes``."""
        from . import selling

        tcols = dataset.columns("transactions") if dataset.has("transactions") else set()
        if {"order_id", "product"} <= tcols:
            column = params.level if params.level != "family" else "product"
            if column not in tcols:
                raise DataError("basket by category needs a category column in the sales data; none is loaded. "
                                "Map one with --map category=COLUMN, or ask by product.")
            filters = dict(params.filters)
            segment = params.segment
            if params.customer:
                selling.check_customer(dataset, params.customer)
                segment = segment or selling.customer_segment(dataset, params.customer)
            if segment:
                if not dataset.has_segments:
                    raise ParamsError(f"no segment labels are saved, so there is no {segment!r} segment. Segment "
                                      "the customers first (\"segment my customers\"), then ask again.")
                filters["segment"] = [segment]
            where, args = dataset.scope(filters, params.start, params.end)
            what = "the orders" + self._scope_text(filters, params)
            if {"product", "category"} & set(filters):  # whole orders holding such a line, not just the line
                what = what.replace("the orders of", "the orders holding", 1)
                where = f"t.order_id IN (SELECT t.order_id FROM transactions t WHERE {where})"
            items, item_args = where, list(args)
            if column == "product":  # postage and fees are in many baskets, and no product to pair
                named = [*(params.filters.get("product") or []), *([params.product] if params.product else [])]
                aside = kit.services_kept(dataset, named)
                if aside:
                    items = f"({where}) AND CAST(t.product AS VARCHAR) NOT IN ({', '.join('?' * len(aside))})"
                    item_args = [*args, *aside]
                    note = kit.services_set_aside(dataset, where, args, named)
                    if note is not None and notes is not None:
                        notes.append(note)
            # "Morning Bun" and "Morning bun" are one item, as every breakdown counts them (``kit.merged_cases``)
            item, merged = kit.merged_cases(dataset, "transactions", column, f"t.{column}", f"t.{column}")
            if merged and notes is not None:
                notes += merged
            if params.level == "family":  # the product's family (kit.product_families), else the product
                fam = kit.family_relation(dataset)
                return (f"SELECT t.order_id AS basket, coalesce(f.family, {item}) AS item FROM transactions t "
                        f"LEFT JOIN {fam} f ON f.product = t.product WHERE {items}", item_args, what)
            return (f"SELECT t.order_id AS basket, {item} AS item FROM transactions t WHERE {items}", item_args, what)
        if dataset.has("baskets"):
            asked = [k for k, v in (("a period", params.start or params.end), ("filters", params.filters),
                                    ("a segment", params.segment), ("a customer", params.customer)) if v]
            if params.level == "category":
                asked.append("categories")
            if asked:
                raise ScopeError(f"a basket file has only baskets and items (no dates, customers or categories), "
                                 f"so {' and '.join(asked)} cannot be applied. Load sales lines with an order id, "
                                 "customer, date and category for that.", filters=list(params.filters),
                                 period=bool(params.start or params.end))
            return "SELECT basket_id AS basket, product AS item FROM baskets", [], "the basket file"
        have = ", ".join(f"{s.name} ({s.role or 'unknown'})" for s in dataset.sources) or "nothing loaded"
        missing = ("no sales data is loaded" if not tcols else "the sales data has no " +
                   " and no ".join(c for c in ("order_id", "product") if c not in tcols))
        raise DataError(f"basket analysis needs baskets: sales lines with an order id and a product (the lines of "
                        f"one order form a basket), or a basket file (one basket per line, items separated by "
                        f"commas, like groceries.csv). Loaded: {have}; {missing}. Map the "
                        f"columns with --map order_id=COLUMN / --map product=COLUMN, or load a basket file with "
                        f"--data baskets=PATH.")

    @staticmethod
    def _scope_text(filters: dict, params: BasketParams) -> str:
        """" of segment = vip, country = Germany from 2024-01-01 to the end" (or nothing)."""
        text = (" of " + ", ".join(f"{k} = {' or '.join(v)}" for k, v in filters.items())) if filters else ""
        if params.start or params.end:
            text += f" from {params.start or 'the start'} to {params.end or 'the end'}"
        return text

    # ------------------------------------------------------------------ rules, bundles, cross-sell
    def _mine(self, dataset, params: BasketParams, select: str, args: list, what: str, warnings: list[str]):
        """Load the baskets, pick the threshold, mine: (baskets, item asked about, support, engine,
        itemsets, rules frame)."""
        from . import mining, selling

        baskets = mining.load(dataset, select, args, what)
        item = None
        if params.product:
            item, others = selling.match_product(baskets.items, params.product, params.level)
            if item.lower() != params.product.strip().lower():
                warnings.append(f"{params.product!r} read as {item!r}" +
                                (f" (also close: {', '.join(others)})" if others else ""))
        max_len = params.max_len or (4 if params.focus == "bundles" else 3)
        support, names = mining.threshold(dataset, baskets, params.min_support, params.min_confidence,
                                          params.min_lift, warnings, focus=item)
        engine = params.engine
        if engine == "auto":
            # on an engine other than DuckDB the baskets stay there: itemsets are counted in its SQL
            engine = "sql" if baskets.n > mining.SQL_ABOVE_BASKETS or dataset.remote else "mlxtend"
        if engine == "sql":
            itemsets = mining.mine_sql(dataset, baskets.n, names, support, max_len)
        else:
            itemsets = mining.mine_mlxtend(dataset, baskets.n, names, support, max_len, params.algorithm)
        found = mining.rules(itemsets, baskets.n, params.min_confidence, params.min_lift, params.multi_consequent)
        rules = mining.rules_frame(found, baskets.n)
        if item is not None:
            holds = (rules["antecedents"] + " + " + rules["consequents"]).str.split(" + ", regex=False)
            rules = rules[holds.map(lambda items: item in items)].reset_index(drop=True)
        return baskets, item, support, engine, itemsets, rules

    def _rules(self, dataset, params: BasketParams, select: str, args: list, what: str,
               warnings: list[str], mined=None, family_of: dict | None = None) -> Answer:
        from . import mining, selling

        baskets, item, support, engine, itemsets, rules = mined or self._mine(dataset, params, select, args, what,
                                                                             warnings)
        bundles = mining.itemsets_frame(itemsets, baskets)
        bundles = bundles[bundles["size"] <= 4].reset_index(drop=True)
        level = {"category": "categories", "family": "product families"}.get(params.level, "products")
        tables = [Table.from_frame("rules", rules.round(6), f"Rules: {level} bought together", max_rows=params.top,
                                   priority=["antecedents", "consequents", "confidence", "lift", "support", "baskets"]),
                  Table.from_frame("bundles", bundles.round(6), f"Bundles: {level} bought together, by lift x "
                                   "support", max_rows=params.top),
                  Table.from_frame("items", baskets.items.head(max(params.top, 20)).round(6),
                                   f"The most frequent {level}")]
        facts = {"focus": params.focus, "what": what, "baskets": baskets.n, "multi": baskets.multi,
                 "support": support, "adaptive": params.min_support is None, "min_confidence": params.min_confidence,
                 "min_lift": params.min_lift, "rules": len(rules), "level": level, "item": item,
                 "itemsets": int((itemsets["itemsets"].map(len) >= 2).sum()),
                 "top_rules": self._distinct(rules).head(3).to_dict("records"),
                 "top_bundles": bundles.head(3).to_dict("records"), "companions": None,
                 "customer": params.customer, "recommendations": None, "segment": None, "by_segment": None,
                 "fallback": None, "focus_support": None, "family_of": family_of, "pair": None,
                 "thin": self._leading_baskets(rules) if self._thin(rules) and not rules.empty else None}
        if item is not None:
            # a product's companions are measured against its own frequency: the global minimum would
            # cut the strongest companion of a frequent product just under it (unless one was asked for)
            own = float(baskets.items.loc[baskets.items["item"] == item, "support"].iloc[0])
            floor = support if params.min_support is not None else min(support, FOCUS_SHARE * own)
            facts["focus_support"] = None if floor == support else {"support": floor, "share": FOCUS_SHARE, "own": own}
            comp = selling.companions(dataset, item, baskets.n, floor, params.min_lift)
            tables.insert(0, Table.from_frame("companions", comp.round(6), f"What goes with {item}",
                                              max_rows=params.top))
            facts["companions"] = comp.head(3).to_dict("records")
        if item is not None and params.paired_with:  # "are beer and sausage bought together": the pair first
            pair = selling.pair(dataset, baskets, item, params.paired_with, params.level, warnings)
            tables.insert(0, Table.from_frame("pair", pair.round(6), f"{pair['item'][0]} and {pair['item'][1]} "
                                              "bought together"))
            facts["pair"] = pair.to_dict("records")
        if params.customer:
            recs = selling.recommendations(dataset, params.customer, params.level, rules)
            facts["fallback"] = None
            if recs.empty:  # no rule fits: similar customers' products, else the most bought overall
                recs, facts["fallback"] = selling.fallback(dataset, params.customer, params.level, params.top)
            tables.insert(0, Table.from_frame("recommendations", recs.round(6),
                                              f"What to recommend to {params.customer}", max_rows=params.top))
            facts["recommendations"] = recs.head(3).to_dict("records")
            facts["segment"] = params.segment or selling.customer_segment(dataset, params.customer)
        if params.focus == "bundles":
            tables.insert(0, tables.pop(1))
        if "segment" in params.by:
            per_segment = self._by_segment(dataset, params, warnings)
            tables.insert(0, Table.from_frame("rules_by_segment", per_segment.round(6),
                                              "The strongest rules in each segment", max_rows=max(params.top, 30)))
            facts["by_segment"] = per_segment.drop_duplicates("segment").to_dict("records")
        for table in tables:  # shares of baskets: "0.5%" as the narrative says, not 0.0055
            table.percent += [c for c in SHARES if c in table.columns and c not in table.percent]
        if rules.empty:
            warnings.append("no rule passes the thresholds: lower min_support, min_confidence or min_lift")
        elif kit.small(rules["baskets"].head(3).min()):  # the rules the narrative leads with
            thin = int((rules["baskets"] < kit.SMALL_SAMPLE).sum())
            warnings.append(f"{thin:,} of the {len(rules):,} rules, among them the strongest shown, rest on fewer "
                            f"than {kit.SMALL_SAMPLE} baskets each: a small sample, so a lift may be chance; check "
                            "them on more data before acting on them (or raise min_support)")
        if baskets.largest >= 100:
            warnings.append(f"the largest basket holds {baskets.largest:,} items (wholesale or a data error?): it "
                            "counts once like any other basket")
        how = ("itemsets counted level by level in SQL (threshold in HAVING)" if engine == "sql" else
               f"mlxtend {params.algorithm} on a sparse one-hot matrix built in DuckDB")
        return Answer(analysis=self.name, title=self.title, summary=render("basket.md.j2", f=facts), tables=tables,
                      charts=self._charts(params) if len(rules) else [],
                      follow_ups=self._also_meant(baskets, params, item) + self._follow_ups(params),
                      warnings=warnings,
                      readings={"product": item} if item and item.lower() != params.product.strip().lower() else {},
                      provenance=Provenance(method=f"baskets from {what}; items below min support {support:.4g} "
                                                   f"pruned in SQL; {how}; rules by mlxtend association_rules",
                                            rows_used=baskets.n))

    def _by_segment(self, dataset, params: BasketParams, warnings: list[str]):
        """The ``top`` strongest rules mined in each saved segment's own baskets (its own threshold)."""
        import pandas as pd

        if not dataset.has_segments:
            raise ParamsError("no segment labels are saved, so there is nothing to break down by. Segment the "
                              "customers first (\"segment my customers\"), then ask again.")
        frames = []
        for label in dataset.values()["customers"]["segment"]:
            one = params.model_copy(update={"segment": label, "customer": None, "by": []})
            select, args, what = self._source(dataset, one)
            try:
                rules = self._mine(dataset, one, select, args, what, [])[-1]
            except (DataError, ParamsError) as exc:  # one-item baskets only, or not the product: say so, go on
                warnings.append(f"segment {label}: {exc}")
                continue
            frames.append(rules.head(params.top).assign(segment=label))
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["segment"])
        return frame[["segment", *[c for c in frame.columns if c != "segment"]]]

    @staticmethod
    def _charts(params: BasketParams) -> list[Chart]:
        return [Chart(kind="scatter", title="Rules: support against confidence, coloured by lift", table="rules",
                      x="support", y=["confidence"], options={"color": "lift",
                                                              "label": ["antecedents", "consequents"]}),
                Chart(kind="network", title="The strongest rules", table="rules", x="antecedents", y=["consequents"],
                      options={"source": "antecedents", "target": "consequents", "value": "lift",
                               "max_edges": min(params.top, 30)})]

    @staticmethod
    def _also_meant(baskets, params: BasketParams, item) -> list[str]:
        """"beer" read as bottled beer: the other products it may have meant, as the first follow-ups."""
        from . import selling

        if item is None or item.lower() == params.product.strip().lower():
            return []
        return [f"what goes with {o}" for o in selling.match_product(baskets.items, params.product, params.level)[1][:2]]

    @staticmethod
    def _follow_ups(params: BasketParams) -> list[str]:
        asks = {"bundles": "which products should we bundle", "category": "which categories are bought together",
                "up_sell": "up-sell opportunities: who moved to a dearer product"}
        return [q for k, q in asks.items() if k not in (params.focus, params.level)]

    @staticmethod
    def _distinct(rules):
        """The rules of distinct itemsets (a -> b, not also b -> a), for the narrative."""
        if rules.empty:  # none passed the thresholds (a handful of orders): nothing to tell apart
            return rules
        both = (rules["antecedents"] + " + " + rules["consequents"]).str.split(" + ", regex=False).map(frozenset)
        return rules[~both.duplicated()]

    # ------------------------------------------------------------------ up-sell
    def _upsell(self, dataset, params: BasketParams) -> Answer:
        from . import selling

        dataset.require({"transactions": ["customer_id", "order_date", "product", "category"]}, self.name + " up-sell")
        filters = dict(params.filters)
        if params.segment:
            filters["segment"] = [params.segment]
        where, args = dataset.scope(filters, params.start, params.end)
        product = None
        if params.product:
            items = dataset.query(f"SELECT t.product AS item, count(*) AS n FROM transactions t WHERE {where} "
                                  f"AND t.product IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1", args)
            product, _ = selling.match_product(items, params.product)
        paths, candidates, counted = selling.upsell(dataset, where, args, product)
        if paths.empty:
            raise DataError("no customer moved from a cheaper to a dearer product of the same category" +
                            (f" from or to {product}" if product else "") + " (at least two customers per move). "
                            "Widen the period or the filters.")
        paths = paths.round(6)
        facts = {"paths": paths.head(3).to_dict("records"), "n_paths": len(paths),
                 "candidates": counted["customers"], "product": product}
        warnings = [] if counted["rows"] <= len(candidates) else [
            f"the {len(candidates):,} likeliest of {counted['rows']:,} up-sell candidates (customer and product) are "
            "listed, by move rate and the latest purchase (more rows than a spreadsheet opens); ask about one product "
            "(\"up-sell from <product>\") for all of its candidates"]
        return Answer(analysis=self.name, title="Up-selling: cheaper -> dearer moves",
                      summary=render("basket_upsell.md.j2", f=facts),
                      tables=[Table.from_frame("upsell_paths", paths, "Cheaper -> dearer moves within a category",
                                               max_rows=params.top, priority=["from_product", "to_product", "move_rate",
                                                                             "not_yet", "moved"]),
                              Table.from_frame("upsell_candidates", candidates,
                                               "Customers who have not made the move yet", max_rows=params.top)],
                      charts=[Chart(kind="bar", title="Move rate of the up-sell paths", table="upsell_paths",
                                    x="to_product", y=["move_rate"])],
                      follow_ups=["which products are bought together", "which products should we bundle"],
                      warnings=warnings,
                      provenance=Provenance(method="SQL over the transactions view: each customer's first purchase "
                                                   "of each product; a move is a later first purchase of a product "
                                                   "with a higher median unit price in the same category",
                                            rows_used=counted["rows"]))


@hookimpl
def register_analyses(register):
    register(Basket())
