"""Questions read as meant where the words pull the router elsewhere (issue 16): a breakdown said
as the source's own header ("by Lead Source"), misspelt ("by contry") or in another word ("by
plan" for contract); orders or deals of a status ("how many orders were cancelled", "lost deals by
reason", "win rate"), which are counted by the overview, not churn; new vs returning customers
("how many first-time buyers"); NPS of a 0-10 column; signups per period. Pure reading over the
Session's data; ``Session._route`` calls ``reread`` and ``read_breakdown``."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from typing import TYPE_CHECKING, Any, get_args

from . import rx, schema
from .slots import BASKETS_WITH_TWO, BOTH_PRODUCTS, PRODUCTS_TOGETHER, column_mentions, column_pattern, products_named
from .sql import qi

if TYPE_CHECKING:
    from .router import Route
    from .session import Session

#: the note (and first-line words) of a breakdown read under another name: "read 'plan' as contract"
READ_AS = "read '"
_CUE = (r"\b(?:by|per|across|(?:for|in|on|at)\s+(?:each|every)|split\s+by|broken\s+down\s+by|grouped\s+by)\s+"
        r"(?:the\s+|each\s+|their\s+|our\s+)?(?:(?:type|kind|sort)s?\s+of\s+)?")  # "in each type of contract"
#: "which ticket subjects have the lowest satisfaction": the groups of a column compared, said by its header
_WHICH = r"\bwhich\s+(?:of\s+(?:the|our|my)\s+)?"
_WHICH_VERB = r"(?:have|has|had|are|is|were|was|get|gets|got|do|does|did|score|scores|show|shows|bring|brings|" \
    r"sell|sells|sold|make|makes|made|generate|generates|generated|raise|raises|raised|earn|earns|earned|brought|" \
    r"take|takes|took|collect|collects|collected|drive|drives|drove)\b"  # "which mall sells the most shoes", "which appeal raised"
#: canonical columns that are breakdowns when the data has them
_BREAKDOWNS = ("product", "category", "country", "region", "channel", "city", "industry", "company_size", "segment",
               "contract", "gender", "topic", "device", "acquisition_channel", "customer_type", "status")


def _columns(session: "Session") -> dict[str, str]:
    """Breakdown columns of the loaded data: {column: role}, ids, amounts and dates left out."""
    out: dict[str, str] = {}
    for role in schema.ROLES:
        if session.dataset.has(role):
            for column in session.dataset.columns(role):
                if column in schema.ID_COLUMNS or column in ("amount", "quantity", "unit_price", "cost", "discount", "profit",
                                                             "refund", "order_date", "signup_date", "date",
                                                             "timestamp", "is_purchase", "is_return", "text", "email"):
                    continue
                out.setdefault(column, role)
    return out


def read_breakdown(session: "Session", text: str, route: "Route", unread: str | None) -> tuple[str, str] | None:
    """(what was said, column) for a breakdown the question asked for that the slots did not read:
    a source's own header in any spelling ("by Lead Source" is channel, "per billing_country" is
    country), a header's synonym ("by plan": contract), one word of a column's name ("by reason":
    loss_reason) or a misspelling ("by contry", "by chanel"). None when a breakdown was read, or
    nothing fits (the word stays unread)."""
    if route.slots.get("by") or route.params.get("by"):
        return None
    columns = _columns(session)
    if not columns:
        return None
    # "active vs inactive members", "smokers or non-smokers": a word and its negation, one word of one
    # column (is_active_member): the two groups of that column, side by side
    for m in _AND_ITS_NEGATION.finditer(text):
        word = (m.group("word") or m.group("neg")).lower()
        parts = [c for c in columns if word in c.split("_") or _singular(word) in c.split("_")]
        if len(parts) == 1:
            return m.group(0), parts[0]
    for src in session.dataset.sources:  # the source's own header names
        for canonical, match in session.dataset.mapping_of(src).items():
            if canonical not in columns or schema.snake(match.column) == canonical:
                continue
            m = rx.search(_CUE + r"(" + column_pattern(match.column) + r")s?\b", text, re.I) or \
                rx.search(_WHICH + r"(" + column_pattern(match.column) + r")s?\s+" + _WHICH_VERB, text, re.I)
            if m:
                return m.group(1), canonical
    if not unread:  # "by reason": one word of a column's name (loss_reason) the slots did not read
        # "how many deals did each agent close": "each" alone as well (sales_agent), a period after it no column
        # "top 5 malls by orders", "which malls have the most orders": the groups ranked, said by one word too
        said = re.compile(r"(?:" + _CUE + r"|\b(?:each|every)\s+(?!(?:day|week|month|quarter|year|time|one|other|"
                          r"of)s?\b)|\b(?:top|bottom|best|worst)\s+\d{1,3}\s+|" + _WHICH + r"(?=[a-z-]+\s+" + _WHICH_VERB +
                          # "only Maharashtra, which cities?", "which cities in Maharashtra": the groups asked for
                          r"|[a-z-]+\s*(?:[?,.]|$|\s+(?:in|for|from|during)\b)))(?P<word>[a-z][a-z-]{2,})\b", re.I)
        for m in said.finditer(text):
            word = m.group("word").lower()
            parts = [c for c in columns if word in c.split("_") and c != word]
            if not parts and word.endswith("s"):  # "top 5 malls": a plural of the word
                parts = [c for c in columns if _singular(word) in c.split("_") and c != _singular(word)]
            # a word custlens knows otherwise ("income": revenue) names the column where there are no sales
            if len(parts) == 1 and word not in columns and (not _everyday(word) or not session.dataset.has("transactions")):
                return m.group("word"), parts[0]
            if not parts and word not in columns and (named := _synonym_of(columns, word)):
                return m.group("word"), named  # "which of my groomers brings in the most": the staff column
            phrase = _phrase_after(text[m.start():], m.group("word"))  # "by number of cars": cars_owned
            column = loose_column(columns, phrase) if phrase and word not in columns else None
            if column:
                return phrase, column
        # "which support rep has the highest revenue", "which sales support rep's customers spend the most":
        # the groups said in two or three words before the verb, or before their customers
        for m in rx.finditer(_WHICH + r"(?P<phrase>(?:[a-z-]+\s+){1,2}[a-z-]+?)(?:'s|’s|s')?\s+(?:(?:customers?|clients?)"
                             r"\s+)?(?:spend|spends|spent|buy|buys|bought|" + _WHICH_VERB + ")", text, re.I):
            words = m.group("phrase").lower().split()
            for start in range(len(words) - 1):  # "sales support rep": the longest tail that names one column
                column = loose_column(columns, " ".join(words[start:]))
                if column:
                    return " ".join(m.group("phrase").split()[start:]), column
        return None
    column = _resolve(columns, unread)
    if column:
        return unread, column
    said = _phrase_after(text, unread)  # "by number of kids at home": the words that name it, loosely
    column = loose_column(columns, said) if said else None
    return (said, column) if column else None


#: a word said beside its own negation: "active vs inactive", "inactive or active", "smokers and non-smokers"
_AND_ITS_NEGATION = re.compile(
    r"\b(?P<word>[a-z][a-z-]{2,})\s+(?:vs\.?|versus|against|or|and|compared\s+(?:to|with))\s+"
    r"(?:in|un|non-?|not\s+)(?P=word)\b|"
    r"\b(?:in|un|non-?|not\s+)(?P<neg>[a-z][a-z-]{2,})\s+(?:vs\.?|versus|against|or|and|compared\s+(?:to|with))\s+"
    r"(?P=neg)\b", re.I)


def both_sides(said: str) -> bool:
    """Whether the words a breakdown was read from are a word and its negation ("active vs inactive")."""
    return bool(_AND_ITS_NEGATION.fullmatch(said))


#: words that end the phrase of a breakdown ("by number of kids at home and education", "... in 2024")
_PHRASE_END = re.compile(r"^(?:and|or|vs|versus|in|for|with|instead|only|last|this|next|over|from|to|during|since|"
                         r"where|who|which|that|than|please|then|but|as|is|are|was|were|each|per|by)$", re.I)
#: words of a breakdown phrase that name nothing themselves: "number of kids at home" is kids, home
_FILLERS = frozenset("number numbers count counts amount no of the a an at in on their our its his her per how many "
                     "band bands group groups bracket brackets range ranges bucket buckets level levels".split())
#: what "age" is read as where the data has no age column but the year or date of birth
_BIRTH = frozenset({"birth", "born", "dob", "birthday", "birthdate", "birthyear"})


_NUMBERED = re.compile(r"\b(?P<word>[a-z][a-z-]{2,})\s*(?:no\.?\s*|number\s+|#\s*)?(?P<n>\d{1,2})\b(?!\s*(?:%|percent|days?|weeks?|"
                       r"months?|quarters?|years?|hours?|minutes?|customers?|orders?|products?|items?|groups?|"
                       r"segments?|clusters?|rows?|[.,:/-]\d))", re.I)


def numbered_columns(session: "Session", text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with a column said as a word and its number put as the column's name, and what was
    read so: "acceptance rate of campaign 3" -> "... of accepted_cmp3" where one column holds the
    number 3 and a part the word names ("cmp" for campaign, ``_word_fits``). Columns numbered alike
    (AcceptedCmp1..5, Q1..Q9 answers of a survey) are told apart only by their number, which no other
    reading takes. Nothing changes where no column, or more than one, fits."""
    columns = [c for c in _columns(session) if rx.search(r"\d", c)]
    if not columns:
        return text, []
    read: list[tuple[str, str]] = []

    def put(m: re.Match) -> str:
        word, n = m.group("word").lower(), m.group("n")
        if _everyday(word) or word in ("top", "bottom", "first", "last", "past", "next", "previous", "over", "under",
                                       "above", "below", "than", "into", "from", "between"):
            return m.group(0)
        fits = []
        for column in columns:
            parts = [_singular(p) for p in rx.findall(r"[a-z]+|[0-9]+", column.lower())]
            if n.lstrip("0") in {p.lstrip("0") for p in parts if p.isdecimal()} and \
                    _word_fits(_singular(word), [p for p in parts if not p.isdecimal()], "".join(parts)):
                fits.append(column)
        if len(fits) != 1:
            return m.group(0)
        read.append((m.group(0), fits[0]))
        return fits[0]

    return _NUMBERED.sub(put, text), read


def more_breakdowns(session: "Session", text: str, by: list[str]) -> list[tuple[str, str]]:
    """(what was said, column) of the breakdowns said beside those read, in loose words: "segment by
    age band and marital status" read by marital_status is by year_birth too ("age band",
    ``loose_column``). Each part of the phrase after by/per (split at "and" and commas) that names a
    column not among ``by``; a part naming one of ``by``, a value or a word custlens knows is left."""
    if not by:
        return []
    from . import slots as slotlib

    columns = _columns(session)
    out: list[tuple[str, str]] = []
    text = slotlib.column_clauses(text, session._values())  # "by how old they are": as the slots read it
    headers = {schema.normalise(match.column): canonical for src in session.dataset.sources
               for canonical, match in session.dataset.mapping_of(src).items() if canonical in columns}
    for m in rx.finditer(_CUE + r"(?P<rest>[a-z][a-z0-9 ,&/+-]*)", text, re.I):
        for chunk in rx.split(r"\s*(?:,|&|/|\+|\band\b|\bn\b)\s*", m.group("rest")):
            words = rx.sub(r"^(?:by|per)\s+(?:the\s+)?", "", chunk).split()  # "by industry and by headcount"
            end = next((i for i, w in enumerate(words) if _PHRASE_END.match(w)), len(words))
            phrase = " ".join(words[:end])
            if not phrase or end < len(words) and not phrase:
                continue
            # a source's own header ("Employees": company_size), a header's synonym ("headcount"), loose words
            column = headers.get(schema.normalise(phrase)) or loose_column(columns, phrase) or \
                (None if _everyday(phrase.lower()) else _synonym_of(columns, phrase))
            if column and any(rx.search(r"(?<![\w-])" + re.escape(str(v).lower()) + r"(?![\w-])", phrase.lower())
                              for vs in session._values().values() for v in vs.get(column) or []):
                column = None  # "by month, Coffee category": a value of the column with its name, a filter
            if column and column not in by and all(column != c for _, c in out) and \
                    not any(loose_column([b], phrase) for b in by):
                out.append((phrase, column))
            if end < len(words):
                break
    # "category sales by mall", "product revenue per month": a column said as the kind of the money or the
    # orders broken down is a breakdown too (a value said so, "shoes sales by mall", is a filter)
    for m in rx.finditer(r"(?<![\w-])(?P<pre>[a-z][a-z ]{2,40}?)\s+(?:sales|revenue|turnover|orders|units|spend(?:ing)?)\s+"
                         + _CUE, text.lower()):
        words = m.group("pre").split()
        for n in (2, 1):
            phrase = " ".join(words[-n:])
            if len(words) < n or _everyday(phrase) and phrase not in columns:
                continue
            column = phrase.replace(" ", "_") if phrase.replace(" ", "_") in columns else \
                headers.get(schema.normalise(phrase))
            # "Kitchen category revenue by channel", "web channel sales per month": the column said after a
            # value of its own names the value's kind, a filter (read with it), no breakdown
            before = words[:-n]
            if column and before and any(str(v).lower() == " ".join(before[-k:]) for k in (1, 2, 3)
                                         for vs in session._values().values() for v in vs.get(column) or []):
                break
            if column and column not in by and all(column != c for _, c in out):
                out.append((phrase, column))
                break
    return out


#: how a part of the business did, and nothing more ("how'd Kitchen do in Q3 2025", "hows EMEA getting on in
#: 2025", "how did the Yoga Mat get on", "how is Germany performing this year"): the sales of that part
HOW_IT_DID = re.compile(
    r"^\W*(?:(?:so|and|ok|right|well)\W+)?how(?:'d|'s|s|\s+(?:did|does|do|is|are|was|were|has|have|had))\s+(?:the\s+|our\s+|my\s+)?"
    r"(?P<part>(?:(?!\b(?:we|i|you|they|it|things|business|cohorts?|segments?|churn\w*|funnel|baskets?|personas?|"
    r"champions|loyal\w*|customers|clients|people|folks)\b)[\w&'.-]+\s+){1,5}?)"
    r"(?:do|doing|done|go|going|gone|get\s+on|getting\s+on|got\s+on|gotten\s+on|perform\w*|fare|faring|fared|"
    r"look|looking|trend\w*|shape\s+up|shaping\s+up|stack\s+up|stacking\s+up)\b"
    r"(?:\s+(?:in|for|over|during|across|this|last|since|so\s+far|lately|recently|these\s+days)\b[^?!]*)?[\s?.!]*$", re.I)
#: how often an item is in a basket: "how often does whole milk turn up", "how often is whole milk in a
#: basket, in %", "what share of baskets have yogurt" (not what goes with it)
IN_BASKETS = re.compile(r"\bhow\s+(?:often|frequently)\s+(?:is|are|does|do|did)\b|\b(?:turn|show|pop)(?:s|ed)?\s+up\b|"
                        r"\bappears?\b|\b(?:share|percent(?:age)?|%|proportion|fraction|how\s+many)\s+(?:of\s+)?(?:the\s+|all\s+|"
                        r"our\s+)?(?:baskets|receipts|trips|transactions)\b", re.I)
_WITH_IT = re.compile(r"\b(?:with|together|alongside|along\s+with|pairs?|combos?|bundles?|same\s+(?:basket|cart|trip))\b",
                      re.I)


#: things a basket is: "both X and Y" said of them asks for the pair together ("customers who bought both" does not)
_BASKET_NOUNS = re.compile(r"\b(?:baskets?|orders?|carts?|receipts?|transactions?|tickets?|invoices?)\b", re.I)
_BUYER_NOUNS = re.compile(r"\b(?:customers?|clients?|shoppers?|buyers?|people|who|accounts?|members?)\b", re.I)


def pair_asked(session: "Session", text: str, route: "Route") -> "Route":
    """"How many baskets have both whole milk and yogurt", "are beer and sausage bought together": the
    basket analysis's answer about the two (how often together, each one's share with the other, lift),
    not a sales figure of the baskets holding either."""
    if route.analysis == "basket" or "basket" not in session.analyses or not session.applies("basket"):
        return route
    low = text.lower()
    if not (rx.search(PRODUCTS_TOGETHER, low) or rx.search(BASKETS_WITH_TWO, low) or rx.search(BOTH_PRODUCTS, low)
            and _BASKET_NOUNS.search(low) and not _BUYER_NOUNS.search(low)):
        return route
    routed = session.router.route(text, session._values(), session.data_end(), analysis="basket",
                                  customers=session._customer_exists, vocabulary=session.dataset.vocabulary)
    if routed is None or not routed.params.get("paired_with"):
        return route
    routed.alternatives = [(route.analysis, route.confidence), *route.alternatives][:2]
    return routed


def in_baskets(session: "Session", text: str, route: "Route") -> "Route":
    """"How often does whole milk turn up" on a basket file: the share of baskets holding the item, the
    sales summary's answer for a basket file (its baskets with the item, their share, what else is in
    them), not the loyalty's repeat frequency nor the rules of what goes with it."""
    ds, measurer = session.dataset, session._measurer()
    if measurer is None or route.analysis == measurer or ds.has("transactions") or not ds.has("baskets") \
            or not IN_BASKETS.search(text) or _WITH_IT.search(text):
        return route
    routed = session.router.route(text, session._values(), session.data_end(), analysis=measurer,
                                  customers=session._customer_exists, vocabulary=ds.vocabulary)
    if routed is None or not (routed.params.get("filters") or {}).get("product"):
        return route
    routed.alternatives = [(route.analysis, route.confidence), *route.alternatives][:2]
    return routed


#: "what do men buy vs women", "what does each mall sell most": the things bought asked of a group
WHAT_BOUGHT = re.compile(r"\bwhat\s+(?:(?:kinds?|sorts?|types?)\s+of\s+(?:things|stuff|products|items)\s+)?"
                          r"(?:do|does|did)\s+(?:[a-z'-]+\s+){1,4}?(?<!per\s)(?<!each\s)(?<!a\s)(?<!an\s)(?<!the\s)(?<!every\s)"
                          r"(?:buy|purchase|order|sell|shop\s+for)\b", re.I)  # not "what do they spend per order"


def what_bought(session: "Session", text: str, route: "Route") -> None:
    """"What do men buy vs women?" read as the sales by gender alone: the things bought are the
    categories (or the products, where the lines have no category) beside the groups asked, said on
    the first line. Only for a breakdown of the sales (its Params take ``by``) that names no product
    or category already."""
    if not WHAT_BOUGHT.search(text) or not session.dataset.has("transactions") or \
            "by" not in getattr(session.analyses[route.analysis].Params, "model_fields", {}) or route.params.get("product"):
        return  # "what do people buy with a latte": what goes with the product, at its own level
    lines = session.dataset.columns("transactions")
    thing = "category" if "category" in lines else "product" if "product" in lines else None
    by = list(route.params.get("by") or [])
    if thing is None or {"category", "product"} & set(by):
        return
    route.params["by"] = route.slots["by"] = [*by, thing]
    said = WHAT_BOUGHT.search(text).group(0)
    route.slots["spelt"] = [*(route.slots.get("spelt") or []), (said, f"by {thing}")]


_PRODUCT_LINE = re.compile(r"\bproduct[\s_-]*(?:lines?|groups?|types?|famil(?:y|ies)|ranges?)\b", re.I)


#: "at-risk customers" said to an analysis of segments' people (a persona, SPIN questions, bundles): the RFM segment
AT_RISK_PEOPLE = re.compile(r"\bat[- ]risk\s+(?:customers?|custs?|clients?|accounts?|accts?|buyers?|shoppers?|members?|donors?|ppl|ones|"
                            r"subscribers?|subs|people|users?|patients?|guests?)\b(?!\s+(?:of|from)\b)", re.I)


def at_risk_segment(session: "Session", route: "Route", text: str) -> None:
    """"what should I ask at-risk customers", "bundles to offer at-risk customers": for an analysis that takes a
    segment and is not churn's (where "at-risk customers" are those likely to leave, ``slots._AT_RISK_NAMED``),
    the RFM segment At risk."""
    fields = getattr(session.analyses.get(route.analysis), "Params", None)
    fields = getattr(fields, "model_fields", {})
    if "segment" in fields and route.analysis != "churn" and not route.params.get("segment") and \
            not (route.params.get("filters") or {}).get("segment") and AT_RISK_PEOPLE.search(text):
        route.params["segment"] = route.slots["segment"] = "At risk"


def product_line_as_product(session: "Session", route: "Route", text: str) -> None:
    """"margin by product line", "which product line brings in the most" on data whose products have
    no category column (a CRM's Platform, Support Plan, Training): the products themselves, said on
    the first line, rather than an error that the data has no category."""
    by = route.params.get("by") or []
    m = _PRODUCT_LINE.search(text)
    if "category" not in by or not m or "product" in by:
        return
    held = {c for role in schema.ROLES if session.dataset.has(role) for c in session.dataset.columns(role)}
    if "category" in held or "product" not in held:
        return
    route.params["by"] = ["product" if b == "category" else b for b in by]
    route.slots["by"] = ["product" if b == "category" else b for b in route.slots.get("by") or by]
    route.slots["spelt"] = [*(route.slots.get("spelt") or []),
                            (m.group(0), "product: the data has no category column above its products")]


def _phrase_after(text: str, unread: str) -> str | None:
    """The words of a breakdown said after by/per, from ``unread`` (its first words, as the Session
    found them) to the first word that ends it: "number of kids at home" in "response rate by number of
    kids at home instead". At most five words."""
    m = rx.search(_CUE + r"(" + r"\s+".join(map(re.escape, unread.split())) + r"(?:\s+[a-z][\w-]*){0,4})", text, re.I)
    if not m:
        return None
    words = m.group(1).split()
    n = len(unread.split())
    for i in range(n, len(words)):
        if _PHRASE_END.match(words[i]):
            words = words[:i]
            break
    return " ".join(words)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if rx.search(r"(?:ss|us|is)$", word):
        return word
    if word.endswith(("ches", "shes", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


#: everyday words for the short words column names use ("children at home": kidhome)
_ALIKE = {"child": "kid", "children": "kid", "kids": "kid", "teenager": "teen", "teenage": "teen"}


def _word_fits(word: str, parts: list[str], squashed: str) -> bool:
    """Whether one word said names a part of a column's name (``parts``, ``squashed`` run together):
    the part itself, inside a name run together ("home" in kidhome), its everyday word ("children":
    kid), a part that abbreviates it ("cmp" for campaign, "qty" for quantity: its first letter and
    then its letters in order) or one it starts with ("teenager": teenhome's teen)."""
    if word.isdecimal():
        return word in parts
    if word in _ALIKE and _word_fits(_ALIKE[word], parts, squashed):
        return True
    if word in parts or len(word) >= 3 and word in squashed:
        return True
    for part in parts:
        if len(part) >= 3 and part.isalpha() and part[0] == word[0] and len(part) < len(word) and \
                rx.fullmatch(".*".join(map(re.escape, part)) + ".*", word):
            return True  # "cmp": campaign
    common = len(os.path.commonprefix([word, squashed]))
    starts = [len(os.path.commonprefix([word, p])) for p in parts]
    return max([common, *starts]) >= max(4, (len(word) + 1) // 2)


def loose_column(columns, phrase: str) -> str | None:
    """The one column a breakdown said in loose words names, or None: its words are the column's
    words split from snake_case or CamelCase run together ("kids at home": kidhome, "teens at home":
    teenhome), singular or plural, and what is counted names the count ("number of kids": kidhome);
    "age" is a birth year or date where the data has no age ("age band": year_birth). Every word said,
    fillers aside ("number of", "at", "band"), must be found in the column's name, and one column
    must fit better than any other; no column is guessed from one common word alone."""
    words = [w for w in rx.findall(r"[a-z0-9]+", phrase.lower()) if w not in _FILLERS]
    if not words or all(_everyday(w) for w in words):
        return None
    words = [_singular(w) for w in words]
    fits: list[tuple[int, str]] = []
    for column in columns:
        parts = [_singular(p) for p in rx.findall(r"[a-z]+|[0-9]+", column.lower())]
        squashed = "".join(parts)
        birth = bool(_BIRTH & set(parts)) or "birth" in squashed
        said = [w for w in words if not (w == "age" and birth)]
        aged = len(said) < len(words)
        if not said and aged:
            fits.append((len(squashed), column))
            continue
        if all(_word_fits(w, parts, squashed) for w in said) and (said or aged):
            # the closer the words cover the name, the better: "kid home" covers kidhome
            fits.append((len(squashed) - sum(len(w) for w in said), column))
    if not fits:
        return None
    fits.sort()
    if len(fits) > 1 and fits[0][0] != 0:
        return None  # two columns fit and neither is exactly the words said ("by home": kidhome, teenhome): not guessed
    return fits[0][1]


def _everyday(word: str) -> bool:
    """A word after "by" that is no column's other name: a breakdown custlens knows ("customer",
    "month"), an order or method ("revenue", "behaviour")."""
    from . import slots as slotlib
    from .session import NOT_A_COLUMN

    return word in NOT_A_COLUMN or any(rx.fullmatch(p, word) for p in slotlib.DIMENSIONS.values()) or \
        any(rx.fullmatch(p, word) for p in slotlib.METRICS.values())


def _synonym_of(columns, said: str) -> str | None:
    """The column of ``columns`` whose header synonyms (``schema.SYNONYMS``) hold ``said``: "plan" is
    contract, "headcount" and "number of employees" company_size."""
    # "employee count bands", "size buckets": the column the bands are made of
    word = rx.sub(r"\s+(?:bands?|buckets?|groups?|ranges?|brackets?|tiers?|classes)$", "", said.lower())
    stem = word[:-1] if word.endswith("s") else word
    for role in schema.ROLES:
        for canonical, names in schema.SYNONYMS.get(role, {}).items():
            if canonical in columns and (word in names or stem in names):
                return canonical
    for words, named in TRADE_WORDS:  # "which of my groomers", "which cafe", "by appeal": the data's one such column
        if stem in words or word in words:
            found = [c for c in columns if rx.fullmatch(named, str(c))]
            if len(found) == 1:
                return found[0]
    return None


#: what a trade calls a kind of column, and the column names of that kind: (words, column pattern). Its words find
#: the data's one column of the kind, however the question says it
TRADE_WORDS = [
    # the people who serve the customers: "which of my groomers brings in the most money"
    (frozenset({"groomer", "stylist", "barber", "hairdresser", "therapist", "beautician", "trainer", "instructor", "coach",
                "employee", "staff", "staffer", "staff member", "team member", "worker", "technician", "tech", "vet",
                "practitioner", "consultant", "advisor", "adviser", "cashier", "waiter", "server", "salesperson",
                "sales rep", "rep", "agent", "seller", "clerk", "cleaner", "driver", "tutor", "teacher", "doctor",
                "dentist"}),
     r"(?:staff|staff_(?:member|name)|employee(?:_name)?|stylist|groomer|barber|therapist|trainer|instructor|"
     r"served_by|assigned_to|provider|practitioner|technician|agent(?:_name)?|sales_?rep|rep(?:_name)?|salesperson|"
     r"cashier|server|waiter|team_member|handled_by|owner)"),
    # a business's premises: "which cafe has the most refunds"
    (frozenset({"cafe", "café", "store", "shop", "branch", "outlet", "site", "restaurant", "venue", "location", "bar",
                "salon", "clinic", "studio", "gym", "hotel", "warehouse", "showroom", "pharmacy", "bakery"}),
     r"(?:store|shop|branch|outlet|site|venue|location|restaurant)(?:_(?:name|id|code))?"),
    # what a charity's gifts were given to: "which appeal raised the most", "average gift per campaign"
    (frozenset({"appeal", "campaign", "fund", "fundraiser", "fundraising campaign", "drive", "cause", "designation"}),
     r"(?:campaign|appeal|fund|designation|source_code|appeal_code|campaign_code)(?:_(?:name|code|id))?"),
]


#: a breakdown's name and the yes/no columns that hold it by one of its sides ("female": 1 or 0)
_ONE_SIDE = {w: {f"{p}{side}" for p in ("", "is_", "gender_", "sex_") for side in ("female", "male", "woman", "man")}
             for w in ("gender", "sex")}


def _resolve(columns: dict[str, str], said: str) -> str | None:
    """The column a breakdown word names that is not its name: a header synonym ("plan":
    contract), one word of one column's name ("reason": loss_reason), a misspelling ("contry")."""
    word = said.lower()
    stem = word[:-1] if word.endswith("s") else word
    if _everyday(word):
        return None
    synonym = _synonym_of(columns, word)
    if synonym:
        return synonym
    flags = [c for c in columns if c in _ONE_SIDE.get(stem, ())]
    if len(flags) == 1:  # "gender split" where the data holds gender as a 0/1 column "female"
        return flags[0]
    parts = [c for c in columns if stem in c.split("_") or word in c.split("_")]
    if len(parts) == 1:  # "by reason": loss_reason
        return parts[0]
    close = difflib.get_close_matches(stem, list(columns), n=1, cutoff=0.8) or \
        difflib.get_close_matches(word, list(columns), n=1, cutoff=0.8)
    return close[0] if close else None


def breakdown_said(session: "Session", text: str) -> str | None:
    """The words of a breakdown a line says by another name than its column's ("by contry", "by
    plan", "by Lead Source"), for the conversation: "and by contry?" is a follow-up."""
    columns = _columns(session)
    if not columns:
        return None
    for src in session.dataset.sources:
        for canonical, match in session.dataset.mapping_of(src).items():
            if canonical in columns and schema.snake(match.column) != canonical:
                m = rx.search(_CUE + column_pattern(match.column) + r"s?\b", text, re.I)
                if m:
                    return m.group(0)
    for m in rx.finditer(_CUE + r"(?P<word>[a-z][a-z-]{2,})\b", text, re.I):
        if m.group("word").lower() not in columns and _resolve(columns, m.group("word")):
            return m.group(0)
        phrase = _phrase_after(text[m.start():], m.group("word"))  # "by number of kids at home": kidhome
        if phrase and m.group("word").lower() not in columns and loose_column(columns, phrase):
            return text[m.start():m.start("word")] + phrase
    return None


def read_as_note(said: str, column: str) -> str:
    return f"{READ_AS}{said}' as {column}"


# ------------------------------------------------------------------ statuses
_ORDER_WORDS = r"(?:orders?|deals?|opportunit(?:y|ies)|purchases?|transactions?|invoices?|sales?)"
STATUS_WORDS = {
    "win rate": re.compile(r"\b(?:win|won|close|closing)\s*(?:rate|ratio|%|percent(?:age)?)\b|"
                           r"\b(?:won|win)\s+(?:deals?\s+)?(?:vs\.?|versus|against|to|and)\s+(?:closed[- ])?lost\b|"
                           # "which industry do we win most often in", "who wins the most often"
                           r"\bwin(?:s|ning)?\s+(?:\w+\s+)?(?:most|more|least|less)\s+often\b|\bhow\s+often\s+(?:do|does|did)\s+"
                           r"(?:we|they|\w+)\s+win\b", re.I),
    "cancelled": re.compile(r"\b(?:cancel(?:l?ed|l?ations?)|canceled|cancels)\b", re.I),
    "lost": re.compile(r"\b(?:closed[- ])?lost\s+" + _ORDER_WORDS + r"|\b" + _ORDER_WORDS + r"\s+(?:(?:were|was|we|that)\s+)*"
                       r"lost\b|\bclosed[- ]lost\b|\b" + _ORDER_WORDS + r"\s+(?:did|have|had)\s+we\s+(?:lose|lost)\b|"
                       r"\bwe(?:'ve|\s+have)?\s+lost\s+(?:\w+\s+){0,2}?" + _ORDER_WORDS +
                       r"|\blost\s+(?:pipeline|value|amount)\b|\bvalue\s+of\s+(?:the\s+|our\s+)?lost\b", re.I),
    # every stage not closed: "open pipeline", "open deals", "deals still open", "pipeline value"
    # "deals are currently open", "deals do we have open right now": a word of time between is no other reading
    "open": re.compile(r"\bopen\s+(?:pipeline|deals?|opportunit(?:y|ies)|orders?)\b|\b(?:deals?|opportunit(?:y|ies))\s+"
                       r"(?:that\s+are\s+|which\s+are\s+|are\s+|is\s+|still\s+|currently\s+|presently\s+|now\s+|"
                       r"(?:do|does|did)\s+(?:we|you|they|i)\s+(?:\w+\s+)?(?:have|hold|got)\s+|we(?:'ve|\s+have)\s+(?:got\s+)?)*"
                       r"(?:open|not\s+(?:yet\s+)?closed)\b|"
                       r"\bpipeline\s+value\b|\bvalue\s+of\s+(?:the\s+|our\s+)?pipeline\b|"
                       r"\b(?:how\s+much|what)(?:'s|\s+is)?\s+(?:is\s+)?(?:still\s+)?in\s+(?:the\s+|our\s+)pipeline\b", re.I),
    "won": re.compile(r"\bclosed[- ]won\b|(?<!\bno )(?<!without )\bwon\s+(?:deals?|opportunit(?:y|ies))\b|\b(?:deals?|opportunit(?:y|ies))\s+"
                      r"(?:(?:were|was|we|that|have|did|we've)\s+)*won\b|"
                      # "won revenue", "won amount by product", "just the ones that were won"
                      r"(?<!\bno )(?<!without )\bwon\s+(?:rev\w*|amounts?|amt|value|sales|business|bookings|deal\s+value|turnover)\b|"
                      # "how much did we win in deals", "the ones that closed", "how much did we actually win"
                      r"\bhow\s+much\s+(?:did|have|has)\s+(?:we|they|the\s+team)\s+(?:actually\s+|really\s+)?win\b|"
                      r"\b(?:only\s+|just\s+)(?:the\s+)?(?:ones|deals?)\s+(?:that|which)\s+(?:closed|were\s+closed)\b(?!\s+lost)|"
                      r"\b(?:ones|those)\s+(?:that\s+|which\s+)?(?:were|we|we've|have\s+been)\s+won\b|"
                      # "how many deals did we close", "new logos we closed"
                      r"\b(?:deals?|logos?|accounts?)\s+(?:did\s+|have\s+|had\s+)?we(?:'ve)?\s+(?:close|closed)\b|"
                      # "how many deals did we actually win", "amount won by account", "how much did we close-win"
                      r"\b(?:deals?|opportunit(?:y|ies))\s+(?:did\s+|have\s+|had\s+)?(?:we(?:'ve)?|\w+)\s+(?:actually\s+|really\s+)?"
                      r"(?:win|won|close[- ]?win|close[- ]?won)\b|"
                      r"(?<!\bno )(?<!without )\b(?:amount|amounts|value|money|revenue|sales|turnover)\s+won\b|"
                      r"\bclose[d]?[- ]?win(?:s|ning)?\b|\bclose[- ]won\b|"
                      r"\b(?:how\s+much|what)\s+(?:\w+\s+)?(?:did|have|has)\s+(?:we|they)\s+(?:actually\s+|really\s+)?(?:win|won)\b", re.I),
}
#: words that ask for the pipeline's funnel (journey), not for the deals of some stages: its
#: conversion, drop-off, win rate, or where deals are lost ("how many deals die at qualification",
#: "which region loses the most deals at negotiation")
FUNNEL_WORDS = re.compile(r"\b(?:funnel|conver(?:sion|t\w*)|drop[- ]?offs?|win\s*(?:rate|ratio)|attribution|paths?|"
                          r"from\s+\w+\s+to\s+\w+|pipeline\s+stages|deal\s+stages|where\s+do\s+we\s+lose)\b|"
                          r"\b(?:die|dies|dying|drop(?:s|ped)?|stall(?:s|ed)?|los(?:e|es|ing|t))\b(?:\s+\w+){0,4}?\s+at\s+"
                          r"(?:the\s+)?\w+", re.I)
#: a status said of customers, not orders: "customers who cancelled" is churn
_CUSTOMERS_CANCELLED = re.compile(r"\b(?:customers?|clients?|subscribers?|users?|accounts?|members?)\s+(?:who|that)\s+"
                                  r"(?:have\s+|has\s+)?cancel", re.I)


def status_asked(text: str) -> str | None:
    """The order status a question counts: "how many orders were cancelled" -> "cancelled", "lost
    deals by reason" -> "lost", "what's our win rate" -> "win rate", "open pipeline" -> "open",
    "closed won revenue" -> "won"; None for "customers who cancelled" (churn) and a status said
    without an order word."""
    if STATUS_WORDS["win rate"].search(text):
        return "win rate"
    if STATUS_WORDS["lost"].search(text):
        return "lost"
    if STATUS_WORDS["open"].search(text):
        return "open"
    if STATUS_WORDS["won"].search(text):
        return "won"
    if STATUS_WORDS["cancelled"].search(text) and not _CUSTOMERS_CANCELLED.search(text) and (
            rx.search(r"\b" + _ORDER_WORDS + r"\b", text, re.I) or rx.search(r"\bcancell?ations?\b", text, re.I)):
        return "cancelled"
    return None


# ------------------------------------------------------------------ new customers, NPS, signups
NEW_VS_RETURNING = re.compile(r"\bnew\s+(?:vs\.?|versus|and|or|against)\s+(?:returning|repeat|existing|old)\b|"
                              r"\b(?:first[- ]time|new)\s+(?:buyers?|customers?|shoppers?|purchasers?|clients?|accounts?|"
                              r"members?|subscribers?|donors?|patients?|guests?)\b|"
                              r"\breturning\s+(?:vs\.?|versus|and)\s+new\b", re.I)
#: joining said: "customers who joined in 2013", "signed up", "new customers in Q1" (a customers table's signup date)
JOINED = re.compile(r"\b(?:joined|join|joining|signed\s+up|sign(?:ed)?[- ]?ups?|registered|enrolled|onboarded|"
                    r"became\s+(?:a\s+|our\s+)?(?:customers?|clients?|members?)|new\s+(?:customers?|clients?|members?)|"
                    r"acquired)\b", re.I)
#: joining said as such, not as a first purchase ("new customers"): with orders loaded too, the signup dates
SIGNED_UP = re.compile(r"\b(?:signed\s+up|sign(?:ed)?[- ]?ups?|registered|registrations?|enrolled|"
                       r"created\s+(?:an?\s+|their\s+)?accounts?|opened\s+(?:an?\s+)?accounts?)\b", re.I)
#: said so, new customers are the overview's wherever the router went ("new vs returning by month": not cohorts)
FORCED_NEW = re.compile(r"\bnew\s+(?:vs\.?|versus|and|or|against)\s+(?:returning|repeat|existing)\b|\bfirst[- ]time\s+"
                        r"(?:buyers?|customers?|shoppers?|purchasers?|clients?)\b|\breturning\s+(?:vs\.?|versus|and)\s+new\b",
                        re.I)
#: the purchases without a customer id ("how much of our sales has no customer id", "lines without a
#: customer", "guest orders"): the overview's ``focus="no_customer"``
NO_CUSTOMER = re.compile(
    r"\b(?:without|missing)(?:\s+an?)?\s+(?:customer|client|buyer)s?(?:\s*(?:ids?|numbers?|names?))?\b"
    r"|\b(?:no|blank|empty|unknown|null|missing)\s+(?:customer|client|buyer)\s*(?:ids?|numbers?)\b"
    r"|\b(?:customer|client)\s*ids?\s+(?:is\s+|are\s+)?(?:missing|blank|empty)\b"
    r"|\b(?:guest|anonymous)\s+(?:orders?|sales|lines|purchases|checkouts?|buyers?)\b", re.I)
NPS = re.compile(r"\bnps\b|\bnet\s+promoter(?:\s+score)?\b", re.I)
SIGNUPS = re.compile(r"\b(?:sign[- ]?ups?|signed\s+up|registrations?|new\s+(?:customers?|accounts?|users?|members?|"
                     r"subscribers?))\b", re.I)


# ------------------------------------------------------------------ subscriptions: ended, current
#: an end said of subscriptions (or their MRR): counted by the end date ("how many subscriptions ended
#: in 2024", "churned subscriptions by month", "cancellations per quarter", "churned MRR")
_ENDING = r"(?:ended|ending|ends|churned|churning|cancell?ed|cancell?ations?|cancels|terminated|terminations?|expired|" \
          r"lapsed|stopped|lost|non[- ]renewed)"
_SUBSCRIPTION = r"(?:subscriptions?|subs|contracts?|plans?|mrr|arr|licen[cs]es?|seats)"
ENDED = re.compile(rf"\b{_ENDING}\s+(?:\w+\s+)?{_SUBSCRIPTION}\b|\b{_SUBSCRIPTION}\s+(?:(?:that|which|were|was|have|"
                   rf"has|got|had|been|we)\s+)*{_ENDING}\b|\bcancell?ations?\b|\b(?:churn|ends?|endings)\s+of\s+"
                   rf"{_SUBSCRIPTION}\b", re.I)
#: not a count of ends: the churn analysis's questions ("churn rate", "why do they churn", "at risk")
_CHURN_ANALYSIS = re.compile(r"\brates?\b|\bwhy\b|\bdrivers?\b|\brisk\b|\bpredict|\blikely\b|\breasons?\b|%|"
                             r"\bpercent", re.I)
#: a point-in-time figure: "current MRR", "what's our MRR now", "active subscriptions", "MRR by plan tier"
CURRENT = re.compile(r"\b(?:current(?:ly)?|now|today|active|live|as\s+of|at\s+the\s+moment|running)\b", re.I)
_MRR = re.compile(r"(?<![\w-])(?:mrr|arr|monthly\s+recurring\s+revenue|annual\s+recurring\s+revenue)(?![\w-])", re.I)
#: MRR that is not a point in time: what started ("new MRR", "MRR booked", "MRR added by month")
_STARTED = re.compile(r"\b(?:new|start(?:ed|ing|s)?|booked|added|signed|won|expansion|sold)\b", re.I)
_ACCOUNTS = re.compile(r"\b(?:accounts?|customers?|clients?)\b", re.I)
_COUNTED = re.compile(r"\b(?:subscriptions?|subs|contracts?|licen[cs]es?)\b", re.I)


def lifecycle_asked(session: "Session", text: str) -> tuple[str, str] | None:
    """(lifecycle, metric) of a question about subscriptions that have an end date of their own
    (``Dataset.lifecycle``): ("ended", ...) when it counts those that ended, churned or were
    cancelled (dated by the end, not the start); ("active", ...) for a point-in-time figure:
    "current", "now", "active", or MRR said without what started ("MRR by plan tier", "top accounts
    by MRR"), or accounts counted per plan ("accounts by plan tier": each under its latest plan).
    The metric: MRR (revenue) where MRR or revenue is said, else accounts (customers) or
    subscriptions (orders). None for other data or questions."""
    if session.dataset.lifecycle() is None:
        return None
    money = bool(_MRR.search(text) or rx.search(r"\b(?:revenue|worth|value)\b", text, re.I))
    if ENDED.search(text) and not _CHURN_ANALYSIS.search(text):
        return "ended", "revenue" if money and not rx.search(r"\bhow\s+many\b", text, re.I) else (
            "customers" if _ACCOUNTS.search(text) and not _COUNTED.search(text) else "orders")
    if rx.search(_ENDING, text, re.I):
        return None  # churn's own questions ("churn rate by plan", "which accounts churned")
    current = CURRENT.search(text)
    mrr = _MRR.search(text) and not _STARTED.search(text)
    # accounts counted or ranked ("accounts by plan tier", "how many accounts on each plan", "top accounts"),
    # not a measure averaged over them ("average seats per account": the accounts' table)
    per_account = rx.search(r"\b(?:how\s+many|number\s+of|count\s+of)\s+(?:\w+\s+)?(?:accounts?|customers?|clients?)\b|"
                            r"\b(?:accounts?|customers?|clients?)\s+(?:by|per|on|in)\b|\b(?:top|largest|biggest)\s+\d*\s*"
                            r"(?:accounts?|customers?|clients?)\b", text, re.I) and not rx.search(
        r"\b(?:average|avg|mean|median|per\s+(?:account|customer|client))\b", text, re.I)
    if not (current or mrr or per_account):
        return None
    metric = "revenue" if money else "customers" if _ACCOUNTS.search(text) and not _COUNTED.search(text) else \
        "orders" if _COUNTED.search(text) else "revenue"
    if per_account and not (current or mrr) and metric != "customers":
        return None  # "revenue per customer", "top customers": sales over every line
    if rx.search(r"\btop\s+\d*\s*(?:accounts?|customers?|clients?)\b|\b(?:accounts?|customers?|clients?)\s+by\s+(?:mrr|arr)\b",
                 text, re.I):
        metric = "revenue"  # "top 10 accounts by MRR": ranked by their MRR
    return "active", metric


def _lead(session: "Session", text: str) -> str | None:
    """The column summed over subscriptions (``Dataset.lifecycle``'s) that a question names to rank
    or lead by instead of the MRR: its ARR column for "ARR", else one said by name ("by seats")."""
    life = session.dataset.lifecycle()
    mrr = rx.search(r"(?<![\w-])(?:mrr|monthly\s+recurring\s+revenue)(?![\w-])", text, re.I)
    if life.get("annual") and not mrr and rx.search(r"(?<![\w-])(?:arr|annual\s+recurring\s+revenue)(?![\w-])",
                                                    text, re.I):
        return life["annual"]
    summed = {schema.snake(c): c for c in life["summed"].split(",") if c}
    for _, column in measures_said(session, text):
        if column in summed and column not in session._lines_amounts() and not mrr:
            return summed[column]
    return None


def _pipeline(session: "Session") -> int:
    """How many open or won stages the sales' status column holds (a deal export's pipeline; lost
    ones left out): the deal funnel needs two."""
    from . import kit

    kinds = kit.status_kinds(session.dataset)
    return sum(1 for v, k in kinds.items() if k in ("open", "won") and not any(
        w in v.lower() for w in kit.LOST_WORDS + kit.CANCEL_WORDS))


def nps_column(session: "Session") -> tuple[str, str] | None:
    """(role, column) of 0-10 scores: the feedback's score, else a customers column of whole numbers
    from 0 to 10 whose name says score, rating, nps or recommend."""
    ds = session.dataset
    candidates = []
    if ds.has("feedback") and "score" in ds.columns("feedback"):
        candidates.append(("feedback", "score"))
    if ds.has("customers"):
        candidates += [("customers", c) for c in sorted(ds.columns("customers"))
                       if rx.search(r"nps|score|rating|recommend|satisf", c)]
    for role, column in candidates:
        value = f"TRY_CAST({qi(column)} AS DOUBLE)"
        row = ds.engine.rows(f"SELECT min({value}), max({value}), count({value}) FROM {role}")[0]
        if row[2] and row[0] is not None and row[0] >= 0 and row[1] <= 10 and row[1] > 5:
            return role, column
    return None


#: "how many accounts have more than one subscription", "customers with at least 3 orders", "clients
#: who bought more than twice": customers counted by how many orders (subscriptions, deals) they have
_NUMBER_WORDS = {"one": 1, "once": 1, "two": 2, "twice": 2, "three": 3, "thrice": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}
MANY_ORDERS = re.compile(
    r"\b(?:customers?|accounts?|clients?|users?|buyers?|shoppers?|companies|members?)\s+(?:that\s+|who\s+|which\s+)?"
    r"(?:have|has|had|with|holding|hold|placed|made|bought|ordered|purchased|own|owns|"
    # a café's regulars: "customers who came back more than 5 times", "visited at least 3 times"
    r"c[oa]mes?\s+back|c[oa]mes?\s+in|visit(?:ed|s)?|shopped|returned)\s+"
    r"(?P<cmp>more\s+than|over|at\s+least|multiple|several|many|(?P<plus>\d+)\s*\+|(?P<ormore>\d+|one|two|three|four|"
    r"five|ten)\s+or\s+more)\s*(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|once|twice|thrice)?\s*"
    r"(?P<what>orders?|purchases?|subscriptions?|deals?|transactions?|contracts?|plans?|visits?|times)?\b", re.I)


#: money a customer spent, or an order was worth, compared with an amount: "how many customers spent more than
#: 2000 in total", "clients who paid over $500", "how many transactions were over 90 dollars", "orders worth at least
#: 100", "purchases above €50": (who, comparison, amount) by ``money_threshold``
_CMP_MONEY = (r"(?P<cmp>more\s+than|over|above|greater\s+than|at\s+least|less\s+than|under|below|at\s+most|"
              r"no\s+more\s+than)\s+(?:[$\u20ac\u00a3]\s*)?(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>k|thousand)?"
              r"(?:\s*(?:dollars?|euros?|pounds?|usd|eur|gbp|bucks))?\b(?!\s*(?:%|percent|orders?|purchases?|times|items?|"
              r"units?|days?|weeks?|months?|years?))")
_CUSTOMERS_SPENT = re.compile(r"\b(?:customers?|clients?|buyers?|shoppers?|people|accounts?|members?|users?|who|that)\b"
                              r"[^.?!;]{0,25}?\b(?:spent|spend|spends|paid|pay|pays|bought\s+for|purchased\s+for)\s+(?:a\s+total\s+of\s+|"
                              r"in\s+total\s+)?" + _CMP_MONEY, re.I)
_ORDERS_WORTH = re.compile(r"\b(?:orders?|transactions?|purchases?|invoices?|baskets?|sales|tickets?|receipts?)\b"
                           r"(?:\s+(?:that\s+|which\s+)?(?:were|was|are|is|worth|valued|of|with\s+a\s+value|totall?ing|"
                           r"came\s+to|amounting\s+to)){0,2}\s+(?:at\s+)?" + _CMP_MONEY, re.I)


#: revenue per customer said ("average spend per customer by gender", "revenue per customer by country", "ARPU by
#: plan"): of a breakdown, each group's revenue over its customers (``OverviewParams.per_customer``)
PER_CUSTOMER_SAID = re.compile(
    r"\b(?:average|avg|mean|typical)\s+(?:customer\s+|client\s+)?(?:spend(?:ing)?|revenue|sales|value|amount\s+spent|"
    r"money\s+spent)\s+(?:per|by\s+each|of\s+(?:a|each|the\s+average))\s+(?:customer|client|buyer|shopper|head|person|user)\b|"
    r"\b(?:spend(?:ing)?|revenue|sales)\s+per\s+(?:customer|client|buyer|shopper|head|person|user)\b|\barpu\b|"
    r"\b(?:average|avg|mean)\s+(?:customer|client)\s+(?:spend|value|revenue)\b", re.I)


#: the people of a clickstream said as users: "how many unique users are in the data", "distinct users by day"
USERS_SAID = re.compile(r"\b(?:users?|visitors?|shoppers?\s+(?:who\s+)?visit\w*)\b", re.I)


def visitors_asked(session: "Session", text: str, route: "Route") -> None:
    """Users counted where the sales are a clickstream's purchase events (``Source.purchases_of``) and
    nothing else: "how many unique users are in the data" is its visitors (the events overview, 1,747),
    not its 48 buyers. Set on the route in place; left alone where other sales are loaded (their
    customers are the users) or the question names buying."""
    ds = session.dataset
    sales = [s for s in ds.sources if s.role == "transactions"]
    if not sales or not all(s.purchases_of for s in sales) or not USERS_SAID.search(text) or \
            rx.search(r"\b(?:bought|buy|buyers?|purchas\w*|spent|spend|paid|ordered|orders?|revenue|sales)\b", text, re.I) or \
            "focus" not in getattr(session.analyses[route.analysis].Params, "model_fields", {}) or \
            route.params.get("focus") not in (None, "sales"):
        return
    route.params["focus"] = "events"


#: people of a kind said spending, set against each other: "how much do the business customers spend compared
#: with regular people", "do women spend more than men", "who spends more"; not "how much did we spend"
PEOPLE_SPEND = re.compile(r"\bhow\s+much\s+(?:do|does|did)\s+(?!(?:we|i|you)\b)(?:[\w'-]+\s+){1,5}spend\b|"
                          r"\b(?:do|does|did)\s+(?!(?:we|i|you)\b)(?:[\w'-]+\s+){1,5}spend\s+(?:more|less)\b|"
                          r"\bwho\s+spends?\s+(?:more|less|the\s+most|the\s+least)\b", re.I)


def per_customer_asked(session: "Session", text: str, route: "Route") -> None:
    """Revenue per customer asked of a breakdown of the sales ("average spend per customer by gender",
    "ARPU by plan": ``PER_CUSTOMER_SAID``), or kinds of customers said spending, set side by side
    ("how much do business customers spend compared with regular people": ``PEOPLE_SPEND``, a
    breakdown by customer attributes only): each group's revenue over its customers, ranked by it
    (``OverviewParams.per_customer``), not its total (the larger group's). Set on the route in place."""
    by = [b for b in route.params.get("by") or [] if b != "customer"]
    if not session.dataset.has("transactions") or route.params.get("metric") not in (None, "revenue") or \
            route.params.get("measure") or not by or \
            "per_customer" not in getattr(session.analyses[route.analysis].Params, "model_fields", {}):
        return
    people = session.dataset.columns("customers") - session.dataset.columns("transactions") \
        if session.dataset.has("customers") else set()
    if PER_CUSTOMER_SAID.search(text) or PEOPLE_SPEND.search(text) and all(b in people for b in by):
        route.params["per_customer"] = True


def money_threshold(text: str) -> tuple[str, str, float] | None:
    """("customer" or "order", operator, amount) of money compared with an amount a question counts by:
    "how many customers spent more than 2000 in total" is ("customer", ">", 2000.0), "how many
    transactions were over 90 dollars" ("order", ">", 90.0); None when it asks no such thing."""
    for who, pattern in (("customer", _CUSTOMERS_SPENT), ("order", _ORDERS_WORTH)):
        m = pattern.search(text)
        if m:
            n = float(m["n"].replace(",", "")) * (1000 if m["mult"] else 1)
            cmp = rx.sub(r"\s+", " ", m["cmp"].lower())
            op = {"more than": ">", "over": ">", "above": ">", "greater than": ">", "at least": ">=",
                  "less than": "<", "under": "<", "below": "<", "at most": "<=", "no more than": "<="}[cmp]
            return who, op, n
    return None


def orders_at_least(text: str) -> int | None:
    """The least number of orders a question counts customers by ("more than one subscription": 2,
    "at least 3 orders": 3, "multiple orders": 2), or None when it asks no such thing."""
    m = MANY_ORDERS.search(text)
    if not m:
        return None
    cmp = rx.sub(r"\s+", " ", m["cmp"].lower())
    if m["plus"] or m["ormore"]:
        n = m["plus"] or m["ormore"]
        return int(n) if n.isdecimal() else _NUMBER_WORDS[n.lower()]
    if cmp in ("multiple", "several", "many"):
        return 2 if m["what"] and not m["n"] else None  # "customers with multiple addresses" counts no orders
    if not m["n"] or not (m["what"] or m["n"].lower() in ("once", "twice", "thrice")):
        return None
    n = int(m["n"]) if m["n"].isdecimal() else _NUMBER_WORDS[m["n"].lower()]
    return n + 1 if cmp in ("more than", "over") else n


#: what discounts cost asked ("how much did discounts cost us", "total discounts given", "the value of
#: discounts allowed", "how much discount are we giving away"): the discount column summed
DISCOUNT_COST = re.compile(
    r"\bdiscounts?\b[\w\s',]{0,30}?\b(?:cost|costs|costing|cost\s+us)\b|"
    r"\b(?:cost|price|value|total|sum|amount)\s+of\s+(?:the\s+|our\s+|all\s+)?discounts?\b|"
    r"\b(?:total|much)\s+(?:in\s+|of\s+)?discounts?\b|\bdiscounts?\s+(?:total|amount|given|granted|allowed|spend|spent|"
    r"value)\b|\b(?:gave|give|giving|given)\s+away\s+in\s+discounts?\b|\bdiscount\s*(?:\$|dollars)|"
    r"^\W*(?:(?:show|give|list)\s+(?:me\s+)?)?(?:the\s+|our\s+|total\s+)*discounts?\s+(?:by|per|each|over|in)\b|"
    # "which customers got the most discount", "the biggest discounts": ranked by what discounts came to
    r"\b(?:most|biggest|largest|highest|greatest)\s+(?:in\s+)?discounts?\b(?!\s+(?:rates?|codes?|%|percent))", re.I)
#: a code, a product, a method used the most: ranked by how many orders used it, not by their revenue
USED_MOST = re.compile(r"\b(?:used|redeemed|applied)\s+(?:the\s+)?(?:most|more|most\s+often)\b|"
                       r"\bmost\s+(?:often\s+|frequently\s+|commonly\s+)?(?:used|redeemed|applied|popular)\b|"
                       r"\bused\s+(?:most\s+)?(?:often|frequently)\b", re.I)
#: profit said: what discounts cost of the margin is profitability's
PROFIT_SAID = re.compile(r"\b(?:profit\w*|margins?|unprofitab\w*)\b", re.I)


#: "customers who first bought in January 1997", "who signed up in 2024", "that joined during Q1": an
#: acquisition cohort, the customers whose first purchase is in the period (``kit.FIRST_PURCHASE``)
ACQUIRED = re.compile(
    r"\b(?:(?:who|that|which)\s+)?(?:(?:first|initially)\s+(?:bought|purchased|ordered|shopped|bought\s+from\s+us)|"
    r"(?:made|placed)\s+(?:their|a|the)\s+first\s+(?:purchase|order)|joined(?:\s+us)?|signed\s+up|"
    r"became\s+(?:a\s+)?customers?|(?:were|was|got)\s+(?:first\s+)?acquired|started\s+buying|"
    r"came\s+on\s*board|(?:first\s+)?(?:was|were)\s+won)\s+(?P<period>(?:in|during|since|from|between|before|"
    r"after|over)\s+[^,?;!]+)", re.I)


def acquired_cohort(session: "Session", text: str) -> tuple[str, str | None, str]:
    """``text`` without an acquisition cohort it names and the cohort's ``kit.FIRST_PURCHASE`` value
    ("revenue from customers who first bought in January 1997": "revenue from customers" and
    "1997-01-01..1997-01-31", and the words said: "who first bought in January 1997"), so the period is
    no window on the purchases: their later purchases count. Only where sales with dates are loaded; else (text, None). Joining or signing up is read so
    only where the customers have no signup date of their own (which then says when they joined)."""
    from . import kit, slots

    m = ACQUIRED.search(text)
    ds = session.dataset
    if not m or not ds.has("transactions") or "order_date" not in ds.columns("transactions"):
        return text, None, ""
    if rx.search(r"\bwon\b", m.group(0), re.I) and rx.search(r"\b" + _ORDER_WORDS + r"\s+(?:\w+\s+)?$",
                                                          text[:m.start()], re.I):
        return text, None, ""  # "how many deals were won in December": deals of a stage in a period, no cohort
    if rx.search(r"\b(?:joined|signed\s+up|came\s+on\s*board)\b", m.group(0), re.I) and ds.has("customers") \
            and "signup_date" in ds.columns("customers"):
        return text, None, ""  # a signup date of their own: joining is signing up (cohorts by signup), not buying
    said = m.group("period")
    start, end, words = slots.period(slots.clean(said), session.data_end())  # "the first Quartal 2024": Q1
    whole = slots.period(slots.clean(text), session.data_end())  # read in the whole question
    if whole[2] and whole[2] in slots.period_words(slots.clean(said).lower()) and len(whole[2]) > len(words or ""):
        start, end, words = whole
    if not words or (start is None and end is None):
        return text, None, ""
    low = slots.period_words(said.lower())
    at = low.find(words)
    # the period's own words end the cohort phrase ("in january 1997 came back": "came back" stays)
    cut = m.start("period") + (at + len(words) if at >= 0 and low == said.lower() else len(said))
    # said one way, so the rest routes as "customers who first bought ... came back" does
    rest = (text[:m.start()] + " who first bought " + text[cut:]).strip()
    return rx.sub(r"\s{2,}", " ", rest), kit.first_purchase_value(start, end), text[m.start():cut].strip()


#: money said of customers: what a customers table's charges column holds where there are no sales
MONEY_SAID = re.compile(r"\b(?:revenue|money|income|sales|turnover|charges?|billing|bills?|spend\w*|spent|paid|"
                        r"pay(?:ing|ments?)?|worth|mrr|arr|fees?|dollars?|euros?)\b", re.I)
#: money said as lost: "how much did we lose", "walks out the door", "leaked away"
LOSS_SAID = re.compile(r"\b(?:los[et]|losing|walk(?:s|ed|ing)?\s+out|gone|leak\w*|forfeit\w*|cost\s+us|drain\w*)\b", re.I)
_MONEY_COLUMN = re.compile(r"charge|revenue|spen[dt]|mrr|arr|amount|billing|bill|fee|price|payment|paid|value|income",
                           re.I)


def money_column(session: "Session", text: str) -> tuple[str, str] | None:
    """(column, words) of the customers column that holds money where a question asks for money of
    customers and no sales are loaded ("how much monthly revenue did we lose to churned customers" on a
    Telco table: monthly_charges): the one said as monthly/per month when the question says so, else the
    one said total/lifetime, else the only one. None with sales loaded (money is their revenue)."""
    said = MONEY_SAID.search(text)
    if not said or session.dataset.has("transactions"):
        return None
    columns = [c for c in session._numeric_attributes() if _MONEY_COLUMN.search(c)]
    if not columns:
        return None
    monthly = [c for c in columns if rx.search(r"month|mrr", c)]
    total = [c for c in columns if rx.search(r"total|lifetime|ltv|spent", c)]
    if rx.search(r"\b(?:monthly|per\s+month|a\s+month|each\s+month|mrr)\b", text, re.I) and monthly:
        return monthly[0], said.group(0)
    if rx.search(r"\b(?:total|lifetime|all\s+time|ever|so\s+far|to\s+date)\b", text, re.I) and total:
        return total[0], said.group(0)
    if len(columns) == 1:
        return columns[0], said.group(0)
    return (monthly or total or columns)[0], said.group(0)


_GONE = r"(?:churned|lost|departed|former|ex-?|cancell?ed|cancelling|lapsed)"
#: a word of the business between the churned and their noun ("churned telco subs", "customers telco that churn"):
#: never a word that starts a breakdown or a comparison
_KIND = r"(?:(?!(?:by|per|vs|versus|and|or|than|in|on|of|for|with|from|to|at|who|that|wey)\b)[a-z]+\s+)?"
_WHO_LEFT = r"(?:who|that|wey)\s+(?:(?:have|has|had|just|recently|already)\s+)*(?:left(?:\s+us)?|churned|churns|churn|leaves|leave|cancell?ed|cancels|quit|quits|stopped\s+paying)"
_PEOPLE = r"(?:customers?|clients?|users?|subscribers?|subs|accounts?|members?|people|folks|ones|those)"
#: "of the churned customers", "among churned customers", "customers who left", "churned customers'": the
#: churned customers as the population asked about (a filter on the churn flag), not a breakdown by it
CHURNED_POPULATION = re.compile(
    r"\b(?:(?:of|among(?:st)?|for|from|within|across|in|to|by|with)\s+(?:the\s+|our\s+|those\s+|all\s+|these\s+)?"
    # "personas for churned telco subs": a word of the business between ("telco", "phone", "mobile")
    + _GONE + r"\s+" + _KIND + _PEOPLE + r"(?:\s+" + _WHO_LEFT + r")?|(?:the\s+|our\s+|those\s+|all\s+)?" + _PEOPLE
    + r"\s+" + _KIND + _WHO_LEFT + r"|" + _GONE + r"\s+(?:customers|clients|users|subscribers|accounts)'|(?:with|to|from|of|among(?:st)?)\s+(?:the\s+|our\s+)?"
    r"churners|(?:(?<=personas )|(?<=persona )|(?<=personas of )|(?<=personas for )|(?<=persona of )|(?<=persona for ))"
    r"(?:the\s+)?churners\b|"
    r"(?:with|to|from|of|among(?:st)?|for)\s+(?:the\s+|our\s+|an?\s+)?(?:typical\s+|average\s+)?(?:\w+\s+)?churner|"
    # "where Churn = Yes", "conditional on churn=yes": the flag's own column said equal to its yes
    # "churned users' average monthly charge", "churned customers by contract": the churned as the subject
    r"^\s*(?:the\s+|our\s+|all\s+)?" + _GONE + r"\s+" + _PEOPLE + r"\b(?!')|"
    r"(?:where|when|with|for|given|conditional\s+on|conditioning\s+on|if|among)\s+(?:the\s+)?churn(?:ed)?\s*(?:==?|:|\s+is)\s*"
    r"['\"]?(?:yes|true|1)\b['\"]?)", re.I)
#: churned set against the others: a breakdown by the flag, not the churned alone
_BOTH_SIDES = re.compile(r"\b(?:vs\.?|versus|against|compared\s+(?:to|with)|than|and\s+(?:the\s+)?(?:non|not|"
                         r"retained|active|current|remaining|stayers|loyal|those\s+who\s+stayed)|or\s+not|non-?churn"
                         r"|(?:who|that)\s+stayed|by\s+churn|"
                         # "do customers who left pay more?": the churned set against those who stayed
                         r"\b(?:pay|paid|spend|spent|cost|use|used|buy|bought|order|ordered|complain\w*|call\w*)\s+"
                         r"(?:\w+\s+)?(?:more|less)\b(?!\s+than\s+[\d$\u20ac\u00a3])|\bmore\s+likely\b)", re.I)


#: the churned customers themselves listed ("which ones were paying the most", "who among the churned"):
#: churn's list of them, not a figure of the population
_WHICH_OF_THEM = re.compile(r"\b(?:which|what)\s+(?:ones?|of\s+(?:them|those)|customers?|clients?|accounts?)\b|"
                            r"\bwho\b(?!\s+(?:(?:just|recently|already)\s+)?(?:left|leaves?|leaving|churned|churns?|cancel\w*|quit\w*|have\s+left|had\s+left|"
                            r"stopped|stops?|(?:are|were)\s+(?:they|these|those)\b))|"
                            r"\b(?:list|names?)\b", re.I)


def churned_value(session: "Session") -> str | None:
    """The value of the customers' churn flag (``churned``) that means churned, as a filter takes it:
    "true" of a boolean column, the yes of a Yes/No one, "1" of 0/1; None without a churn flag."""
    ds = session.dataset
    if not ds.has("customers") or "churned" not in ds.columns("customers"):
        return None
    if session._flags().get("churned") is not None:
        return session._flags()["churned"]
    kind = str(ds.engine.rows("SELECT typeof(churned) FROM customers WHERE churned IS NOT NULL LIMIT 1")[0][0]
               if ds.engine.rows("SELECT count(churned) FROM customers")[0][0] else "")
    return "true" if kind.upper() == "BOOLEAN" else "1" if kind else None


def churned_population(session: "Session", text: str) -> tuple[str, tuple[str, str] | None]:
    """``text`` without the words naming the churned customers as the population asked about ("average
    monthly charges of churned customers", "among churned customers, which contract is most common",
    "tenure of customers who left") and the filter they make: (churn flag column, its yes value). Only
    where the customers table has a churn flag, and not when the churned are set against the rest
    ("churned vs not churned", "than those who stayed": a breakdown by the flag)."""
    m = CHURNED_POPULATION.search(text)
    if not m or _BOTH_SIDES.search(text) or _WHICH_OF_THEM.search(text):
        return text, None
    flag = churned_value(session)
    if flag is None:
        return text, None
    # "for the phone customers who left": the phone customers, of whom the churned
    rest = (text[:m.start()] + (" customers " if rx.match(_PEOPLE, m.group(0), re.I) else " of customers ")
            + text[m.end():]).strip()
    rest = rx.sub(r"^\s*of customers\s*,?\s*", "", rest)  # "among churned customers, which contract ..."
    return rx.sub(r"\s{2,}", " ", rest).strip(" ,"), ("churned", flag)


#: a question that is only a listed thing broken down by another ("products by country", "top 5 products in
#: each country", "show me categories per channel"): the sales overview's breakdown, whatever else is near
LISTED_BY = re.compile(r"^\s*(?:(?:show|list|give)\s+(?:me\s+|us\s+)?)?(?:(?:all|the|our|my)\s+)*(?:(?:top|best|"
                       r"best[- ]selling|worst|bottom)\s+(?:\d+\s+)?)?(?:products|categories|countries|regions|channels)\s+"
                       r"(?:by|per|in\s+each|for\s+each|in\s+every|across|split\s+by)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?"
                       r"\s*[?.!]*\s*$", re.I)
#: two products set against each other on how much they sell ("more popular", "sells more", "which is bought
#: more often", "X vs Y")
PRODUCTS_CONTESTED = re.compile(
    r"\b(?:more|less|most|least|better|worse)\s+(?:popular|often|frequent\w*|common|sold|bought|purchased|ordered|"
    r"in\s+demand|baskets|orders|sales|buyers|customers|units)\b|\b(?:sells?|sold|bought|buy|purchased|ordered|"
    r"selling|popular)\s+(?:more|better|less|most|best|worse)\b|\bwhich\s+(?:one\s+|of\s+(?:them|the\s+two)\s+)?"
    r"(?:is|are|was|were|does|do)?\s*(?:more|most|the\s+most|bigger|larger|better)\b|\bside\s+by\s+side\b|"
    r"\bcompar\w*\b|\bvs\.?(?!\w)|\bversus\b|\bhead\s+to\s+head\b", re.I)
#: words of what is bought together (the basket analysis's), which keep a question with two products there
TOGETHER = re.compile(r"\btogether\b|\b(?:goes?|go|going|bought|buy|sold|paired|pairs?)\s+with\b|\bbundl\w*|"
                      r"\bcross[- ]?sell\w*|\bup[- ]?sell\w*|\brecommend\w*|\balongside\b|\bcombination\w*|"
                      r"\bcompanion\w*|\blift\b|\brules?\b|\bassociat\w*|\bboth\b|\bbaskets?\s+with\s+both\b", re.I)


def _products_in(session: "Session", text: str) -> list[str]:
    """The products of the data (sales or baskets) named in ``text``, in the order said."""
    values = session._values()
    products = [*((values.get("transactions") or {}).get("product") or []),
                *((values.get("baskets") or {}).get("product") or [])]
    return [p for p, _ in products_named(text.lower(), products)] if products else []


_WHO_CUSTOMERS = r"(?:who|which\s+(?:customers?|clients?|buyers?|shoppers?|accounts?|people|users?)|" \
    r"(?:the\s+)?(?:customers?|clients?|buyers?|shoppers?|accounts?|people)\s+(?:who|that))"
#: customers ranked by what they bought: "which customers spent the most", "who spent the most money",
#: "our biggest spenders", "who bought the most", "the highest-spending clients"
TOP_SPENDERS = re.compile(
    _WHO_CUSTOMERS + r"\s+(?:have\s+|has\s+|had\s+|did\s+)?(?:spent|spend|spends|paid|pay|pays|bought|buy|buys|"
    r"purchased|ordered|order|orders|brought\s+in|generated)\s+(?:us\s+)?(?:the\s+)?most\b|"
    r"\b(?:highest|top|biggest)[\s-]+spending\s+(?:customers?|clients?|buyers?|shoppers?|accounts?)\b|"
    r"\b(?:biggest|largest|heaviest|top|big)\s+(?:\d+\s+)?spenders\b", re.I)
#: said of what customers will do: their predicted value (CLV), not what they bought
FUTURE = re.compile(r"\b(?:will|going\s+to|next|future|predict\w*|expected|forecast\w*|likely|lifetime|worth|"
                    r"value|lose|losing|lapse|quiet|disappear\w*|drift\w*|about\s+to)\b", re.I)


#: what one customer bought, spent or ordered, and when: "how much did customer 17850 spend", "how many orders
#: has 17850 placed", "what did 17850 buy", "when did customer 12583 last order", "17850's revenue"
ONE_CUSTOMER = re.compile(
    r"\bhow\s+much\b.*\b(?:spen[dt]|spending|paid|pay|pays|bought|buy|buys|ordered|worth|revenue|sales)\b|"
    r"\bhow\s+many\s+(?:orders?|purchases?|times|items?|units?|invoices?|transactions?)\b|"
    r"\bwhat\s+(?:did|has|have|does|do)\b.*\b(?:buy|bought|order|ordered|purchase|purchased|spend|spent)\b|"
    r"\bwhen\s+(?:did|was|has)\b.*\b(?:last|first|latest|recent)\b|"
    r"\b(?:last|first|latest|most\s+recent|recent)\s+(?:order|purchase|invoice|visit)s?\b|"
    r"\b(?:spend|spent|spending|revenue|sales|orders|purchases|purchase\s+history|order\s+history|total)\b", re.I)
#: another analysis named beside one customer: its own reading stands ("the RFM segment of customer 17850")
OTHER_OF_ONE = re.compile(r"\b(?:rfm|segments?|loyal\w*|clv|lifetime\s+value|predict\w*|future|churn\w*|risk\w*|"
                          r"recommend\w*|cross[\s-]?sell\w*|up[\s-]?sell\w*|next\s+best|persona\w*|profit\w*|"
                          r"margin\w*|cohort\w*|basket\w*|together|similar|likely)\b", re.I)


#: a customer's future said of one customer: "how much will customer C31 spend in the next 6 months", "what's
#: customer C512 worth to us", "how many more orders will C50 place next year"; and "probability alive" of anyone
FUTURE_OF_ONE = re.compile(r"\bworth\s+to\s+(?:us|me|the\s+(?:business|shop|company))\b|\bwill\b[^.?!]{0,30}?\b(?:spend|place|"
                           r"buy|order|purchase|bring)\b|\b(?:spend|place|buy|order|purchase)\w*\b[^.?!]{0,30}?\b(?:next\s+"
                           r"(?:year|month|quarter|\d+|few|six|twelve)|in\s+the\s+(?:next|coming))\b", re.I)
ALIVE = re.compile(r"\bprobability\s+(?:alive|of\s+being\s+alive)|\bp\s*\(?\s*alive\b|\bstill\s+alive\b", re.I)


def customers_future(session: "Session", text: str, route: "Route") -> "Route | None":
    """One customer's future ("how much will customer C31 spend in the next 6 months", "what's C512 worth to
    us") or anyone's probability of being alive, routed to the overview by the words of money and orders:
    the CLV model's (its expected purchases and value per customer), where it applies."""
    if "clv" not in session.analyses or not session.applies("clv") or route.analysis not in ("overview", "clv", None) \
            or not (route.slots.get("customer") and FUTURE_OF_ONE.search(text) or ALIVE.search(text)):
        return None
    if route.analysis == "clv":
        return route  # read as meant already: no other reading of its money words ("the top spenders")
    slots = {k: v for k, v in route.slots.items() if k not in ("metric", "by")}
    return _to(route, "clv", session.router.params_for("clv", slots), slots)


def one_customer(session: "Session", text: str, route: "Route", target: str) -> "Route | None":
    """"How much did customer 17850 spend", "what did 17850 buy", "when did customer 12583 last order":
    the overview of that customer alone (revenue, orders, first and last order, top products: its
    lead, ``Overview._one_customer``), not the RFM segment or basket rules the words pull toward."""
    who = route.slots.get("customer")
    ds = session.dataset
    if not who or not ds.has("transactions") or "customer_id" not in ds.columns("transactions") or \
            not ONE_CUSTOMER.search(text) or OTHER_OF_ONE.search(text) or FUTURE_OF_ONE.search(text) or \
            "filters" not in getattr(session.analyses[target].Params, "model_fields", {}):
        return None
    slots = {k: v for k, v in route.slots.items() if k not in ("customer", "product")}
    params = session.router.params_for(target, slots)
    for key in ("share", "share_top", "min_orders", "new_customers", "measure", "stat"):
        params.pop(key, None)
    if params.get("by") == ["customer"]:
        params.pop("by")
        slots.pop("by", None)
    params["filters"] = {**(params.get("filters") or {}), "customer_id": [who]}
    slots["filters"] = {**(slots.get("filters") or {}), "customer_id": [who]}
    route.params.pop("customer", None)
    return _to(route, target, params, slots)


#: an analysis a question names by its own words ("churn rate", "segment", "RFM", "CLV", "cohorts")
ANALYSES_NAMED = {
    "churn": r"\bchurn\w*|\battrition\b",
    # "by segment" is a breakdown by a segment column or saved labels, not a segmentation asked for
    "segmentation": r"(?<!\bby\s)(?<!\bper\s)(?<!\beach\s)\bsegment(?:s|ation|ing|ed)?\b|\brfm\b|\bclusters?\b|"
                    r"\bclustering\b",
    "clv": r"\bclv\b|\bltv\b|\blifetime\s+value\b",
    "cohort": r"\bcohorts?\b",
    "loyalty": r"\bloyal(?:ty)?\b",
    "persona": r"\bpersonas?\b",
    "profitability": r"\bprofitab\w*|\bprofits?\b",
    "basket": r"\bbaskets?\b|\bbought\s+together\b",
}


def analyses_named(session: "Session", text: str) -> list[str]:
    """The installed analyses a question names by their own words (``ANALYSES_NAMED``)."""
    return [n for n, pattern in ANALYSES_NAMED.items() if n in session.analyses and rx.search(pattern, text, re.I)]


def _orders_as_filter(session: "Session", text: str, route: "Route", n: int) -> "Route":
    """The route of an analysis the question names, with "customers with at least ``n`` orders" as a
    filter (``kit.MIN_ORDERS``, said on the first line) where its Params take filters, else said as not
    applied; the count is no top ("at least 3 orders" is not the top 3)."""
    from . import kit

    for holder in (route.params, route.slots):
        if holder.get("top") == n or holder.get("top") == n - 1:
            holder.pop("top", None)
            holder.pop("bottom", None)
    if "filters" in getattr(session.analyses[route.analysis].Params, "model_fields", {}):
        route.params["filters"] = {**(route.params.get("filters") or {}), kit.MIN_ORDERS: [str(n)]}
        route.slots["filters"] = {**(route.slots.get("filters") or {}), kit.MIN_ORDERS: [str(n)]}
    else:
        route.slots["orders_unapplied"] = n  # said: "not applied: customers with 3 or more orders (...)"
    route.decision = "route"
    return route


def reread(session: "Session", text: str, route: "Route") -> "Route":
    """The route of a question whose words pull elsewhere, read as meant (see the module): to the
    analysis whose Params take the field it needs (the overview's ``status``, ``new_customers``,
    ``stat="nps"``, a customers table's signups by period). Left alone when the data cannot
    answer it that way (no status column, no 0-10 score, no signup date)."""
    target = next((n for n, a in session.analyses.items()
                   if {"status", "new_customers"} <= set(getattr(a.Params, "model_fields", {}))), None)
    if target is None or route.decision != "route" and route.analysis is None:
        return route
    future = customers_future(session, text, route)
    if future is not None:  # "how much will customer C31 spend in the next 6 months": CLV's
        return future
    alone = one_customer(session, text, route, target)
    if alone is not None:  # "how much did customer 17850 spend": the overview of that customer
        return alone
    ds = session.dataset
    extra: dict[str, Any] = {}
    life = lifecycle_asked(session, text)
    if life and "lifecycle" in getattr(session.analyses[target].Params, "model_fields", {}):
        slots = dict(route.slots)
        params = session.router.params_for(target, slots)
        params.update(lifecycle=life[0], metric=life[1])
        lead = _lead(session, text)
        if lead and life[1] in ("revenue", "customers"):  # "ARR now", "top accounts by seats": that column leads
            params.update(lead=lead, metric="revenue")
            params["by"] = [b for b in params.get("by") or [] if b != schema.snake(lead)]
            if "customer" not in params["by"] and rx.search(r"\b(?:top|largest|biggest|best)\s+\d*\s*(?:accounts?|"
                                                            r"customers?|clients?)\b", text, re.I):
                params["by"] = ["customer", *params["by"]]
        averaged = route.params.get("stat") in ("mean", "median", "min", "max") and route.params.get("measure") in (
            ds.columns("transactions") if ds.has("transactions") else set())
        for key in ("measure", "stat"):
            params.pop(key, None)
            route.params.pop(key, None) if route.params.get("stat") not in ("share", "filled") and not averaged else None
        if averaged and life[0] == "active":  # "average seats of active subscriptions": over those active
            params.update({k: route.params[k] for k in ("measure", "stat")})
        if route.params.get("stat") in ("share", "filled"):  # "share of ARR from Enterprise" (Session._value_share)
            params.update({k: route.params[k] for k in ("measure", "stat", "values") if route.params.get(k)})
            params["filters"] = {k: v for k, v in (params.get("filters") or {}).items() if k != params["measure"]}
        if life[1] == "revenue" and rx.search(r"\b(?:top|largest|biggest|best)\s+\d*\s*(?:accounts?|customers?|clients?)\b"
                                              r"|\b(?:per|by|each)\s+(?:accounts?|customers?|clients?)\b", text, re.I) \
                and "customer" not in (params.get("by") or []):
            params["by"] = ["customer", *(params.get("by") or [])]
        return _to(route, target, params, slots)
    days = days_asked(session, text)
    if days:  # "average time to close a deal", "days from engage date to close date": the days between two dates
        slots = dict(route.slots)
        params = session.router.params_for(target, slots)
        for key in ("metric", "measure", "stat", "status", "top"):
            params.pop(key, None)
        if not rx.search(r"\b(?:by|per|each)\s+(?:month|quarter|year|week|day)\b", text, re.I):
            params["by"] = [b for b in params.get("by") or [] if b != "period"]  # "in days" is the unit, no grain
            params.pop("grain", None)
        params.update(days)
        for key in ("metric", "grain", "top") if route.analysis == target else ():
            route.params.pop(key, None)  # "in days" is the unit of the answer, no grain of a breakdown
        return _to(route, target, params, slots)
    lapsed = bought_then_not(session, text) if ds.has("transactions") and "customer_id" in ds.columns("transactions") \
        else None
    if lapsed is not None:  # "customers who ordered in 2024 but haven't ordered in 2025": those of 2024, lapsed since
        slots = {k: v for k, v in route.slots.items() if k not in ("start", "end", "compare")}
        params = session.router.params_for(target, slots)
        for key in ("metric", "by", "compare"):
            params.pop(key, None)
        params.update(start=lapsed[0], end=lapsed[1], last_before=str(lapsed[2])[:10])
        if route.analysis == target:
            route.params = {k: v for k, v in route.params.items() if k not in ("by", "metric", "compare")}
        return _to(route, target, params, slots)
    since = route.params.get("start") or route.slots.get("start")
    if since and NOT_SINCE.search(text) and ds.has("transactions") and "customer_id" in ds.columns("transactions"):
        slots = {k: v for k, v in route.slots.items() if k not in ("start", "end")}
        params = session.router.params_for(target, slots)
        for key in ("metric", "start", "end", "by"):
            params.pop(key, None)
        params["last_before"] = str(since)[:10]
        if route.analysis == target:
            route.params = {k: v for k, v in route.params.items() if k not in ("start", "end", "by", "metric")}
        return _to(route, target, params, slots)
    if route.analysis != target and STAGE_PASSAGE.search(text) and _pipeline(session) >= 2:
        # "how many deals make it from proposal through to won": the passage, the funnel's own; the stages
        # named are the ends of the passage, not filters on the deals
        for holder in (route.params, route.slots):
            if isinstance(holder.get("filters"), dict) and "status" in holder["filters"]:
                holder["filters"] = {k: v for k, v in holder["filters"].items() if k != "status"}
        return route
    status = status_asked(text)
    has_sales = ds.has("transactions")
    if status == "win rate":  # "closed won vs closed lost per industry": the stages set against each other are the rate
        for holder in (route.params, route.slots):
            if "status" in (holder.get("by") or []):
                holder["by"] = [b for b in holder["by"] if b != "status"]
    funnel = "journey" in session.analyses and session.applies("journey")
    if status == "win rate" and has_sales and _pipeline(session) >= 2 and (route.analysis not in (target, None) or funnel):
        # a pipeline of stages: the deal funnel (journey) answers its win rate, wherever the router leant ("which
        # industry do we win most often in" went to the overview, "... country ..." to the funnel, "how often do we
        # win" to loyalty) unless the question names that analysis; the stages it names are the funnel's own
        route.params["filters"] = {k: v for k, v in (route.params.get("filters") or {}).items() if k != "status"}
        if funnel and route.analysis != "journey" and route.analysis not in analyses_named(session, text):
            slots = {**route.slots, "filters": {k: v for k, v in (route.slots.get("filters") or {}).items()
                                                if k != "status"}}
            return _to(route, "journey", session.router.params_for("journey", slots), slots)
        return route
    stages = read_stages(session, text, route, status)
    if stages is not None:
        return stages
    if status and has_sales and ("status" in ds.columns("transactions") or status == "cancelled"):
        extra = {"status": status}
    elif has_sales and NO_CUSTOMER.search(text) and "customer_id" in ds.columns("transactions") \
            and "focus" in getattr(session.analyses[target].Params, "model_fields", {}):
        extra = {"focus": "no_customer"}  # "lines without a customer": read as the purchases without one
    elif NPS.search(text) and nps_column(session) \
            and not rx.search(r"\b(?:praise|complain|themes?|comments?|words?|say|said|why)\b", text, re.I):
        role, column = nps_column(session)
        if role == "customers":
            extra = {"measure": column, "stat": "nps"}
    elif has_sales and (FORCED_NEW.search(text) or NEW_VS_RETURNING.search(text) and route.analysis == target):
        extra = {"new_customers": True}
    elif has_sales and ds.has("customers") and "signup_date" in ds.columns("customers") and SIGNED_UP.search(text) \
            and route.analysis == target and "signups" in getattr(session.analyses[target].Params, "model_fields", {}):
        # "how many customers signed up in 2025" with orders loaded too: the customers table's signup dates
        extra = {"signups": True}
    elif not has_sales and ds.has("customers") and "signup_date" in ds.columns("customers") and JOINED.search(text) \
            and (route.params.get("start") or route.params.get("end")) and route.analysis == target \
            and "period" not in (route.params.get("by") or []):
        # "how many customers joined in 2013" on a customers table alone: those whose signup date is in it
        extra = {"new_customers": True}
    elif has_sales and orders_at_least(text) and route.analysis != target and \
            route.analysis in analyses_named(session, text):
        # "churn rate of customers with more than 2 orders", "segment customers with at least 3 orders": the
        # analysis named answers, of those customers where it takes filters, else saying it did not apply them
        return _orders_as_filter(session, text, route, orders_at_least(text))
    elif has_sales and orders_at_least(text) == 2 and route.analysis == "loyalty" and not rx.search(
            r"\b(?:subscriptions?|plans?|contracts?|deals?)\b", text, re.I):
        return route  # "what share of customers bought more than once": the repeat purchase rate, loyalty's own
    elif has_sales and orders_at_least(text) and "min_orders" in getattr(session.analyses[target].Params,
                                                                         "model_fields", {}):
        extra = {"min_orders": orders_at_least(text)}
    elif has_sales and (threshold := money_threshold(text)) and "spent" in getattr(
            session.analyses[target].Params, "model_fields", {}) and (
            route.decision == "clarify" or route.analysis in (target, "loyalty", "clv")):
        # "how many customers spent more than 2000 in total", "how many transactions were over 90 dollars"
        who, op, n = threshold
        extra = {"spent": f"{op} {n:g}", "spent_by": who}
    elif SIGNUPS.search(text) and not has_sales and ds.has("customers") \
            and "signup_date" in ds.columns("customers"):
        slots = dict(route.slots)
        if "period" not in (slots.get("by") or []):
            slots["by"] = ["period", *(slots.get("by") or [])]
        params = session.router.params_for(target, slots)
        params.pop("metric", None)
        return _to(route, target, params, slots)
    elif has_sales and LISTED_BY.match(text) and len(route.slots.get("by") or []) >= 2:
        # "products by country", "top products in each country": the one listed, broken down by the other
        slots = dict(route.slots)
        params = session.router.params_for(target, slots)
        return _to(route, target, params, slots)
    elif (has_sales or ds.has("baskets")) and "product" in (route.slots.get("by") or []) \
            and (route.decision == "clarify" or route.analysis in (target, "basket")) \
            and len(named := _products_in(session, text)) >= 2 and PRODUCTS_CONTESTED.search(text) \
            and not TOGETHER.search(text):
        # "are rolls/buns or soda more popular?", "which sells more, whole milk or yogurt": each product's
        # own figures side by side (the overview's breakdown by product, of those two), not their baskets
        slots = dict(route.slots)
        slots["by"] = ["product", *(b for b in slots["by"] if b != "product")]
        slots.pop("product", None)
        params = session.router.params_for(target, slots)
        params.pop("product", None)
        params["filters"] = {**(params.get("filters") or {}), "product": named}
        route.params.pop("product", None)
        return _to(route, target, params, slots)
    elif has_sales and "customer_id" in ds.columns("transactions") and TOP_SPENDERS.search(text) \
            and not FUTURE.search(text) and (route.decision == "clarify" or route.analysis in (target, "clv")) \
            and not rx.search(r"\b(?:those|them|these|they)\b", text, re.I):
        # "which customers spent the most", "who spent the most money", "our biggest spenders": the customers
        # ranked by what they bought (the overview's top customers), not their predicted value
        slots = dict(route.slots)
        slots["by"] = ["customer", *(b for b in slots.get("by") or [] if b != "customer")]
        params = session.router.params_for(target, slots)
        params["metric"] = "orders" if rx.search(r"\b(?:ordered|orders?)\b", TOP_SPENDERS.search(text).group(0)) \
            else "quantity" if rx.search(r"\bunits?|items\b", text, re.I) and not MONEY_SAID.search(text) else "revenue"
        for key in ("measure", "stat", "share"):
            params.pop(key, None)
        return _to(route, target, params, slots)
    if not extra and has_sales and "discount" in ds.columns("transactions") and not PROFIT_SAID.search(text):
        from . import kit

        codes = [b for b in route.params.get("by") or [] if kit.discount_code(ds, b)] or sorted(
            (c for c in ds.columns("transactions") if c != "discount" and column_mentions(text.lower(), [c])
             and kit.discount_code(ds, c)), key=lambda c: (-len(c), c))  # discount_code, not discount
        if codes and USED_MOST.search(text):  # "which codes were used most": ranked by the orders that used each
            extra = {"metric": "orders"}
            if not route.params.get("by"):  # "most used discount codes": by them
                extra["by"] = [codes[0]]
        elif DISCOUNT_COST.search(text):  # "how much did discounts cost us": the discount column summed
            extra = {"metric": "discount"}
    if not extra:
        return route
    slots = dict(route.slots)
    params = session.router.params_for(target, slots)
    params.update(extra)
    if "status" in extra or "new_customers" in extra or "focus" in extra or "min_orders" in extra or "spent" in extra:
        params.pop("metric", None)
    if "min_orders" in extra or "spent" in extra:  # "at least 3 orders" is the count asked, not the bottom 3
        for holder in (params, route.params, slots):
            holder.pop("top", None), holder.pop("bottom", None)
    return _to(route, target, params, slots)


def read_stages(session: "Session", text: str, route: "Route", status: str | None) -> "Route | None":
    """The deals (orders) of some stages, as a filter on ``status`` that reads every line: "open
    pipeline" (every stage not closed), "lost deals", "closed won", or a stage the slots read as a
    value ("in negotiation": status = Negotiation). The overview counts them and sums their amount
    (``OverviewParams.status``) when the router took the question there, to the deal funnel or to
    churn (whose words are near); another analysis ("RFM of the open deals") keeps it, with the
    filter, which it says it cannot apply (``Session.run``). A question asking for the funnel
    (``FUNNEL_WORDS``) keeps its route, the stages it names being the funnel's, not a filter. None
    when no stage is said, or the data's statuses are no deal stages or order statuses of that kind."""
    from . import kit

    ds = session.dataset
    kinds = kit.status_kinds(session.dataset)
    if not kinds:
        return None
    named = [v for v in (route.slots.get("filters") or {}).get("status") or [] if v in kinds]
    if status in ("open", "lost", "won") and not named:
        named = kit.status_values(ds, status)
    elif status not in (None, "open", "lost", "won"):
        return None
    if not named:
        return None
    ends = "|".join(re.escape(str(v).lower()) for v in named)
    if len(named) == 2 and kit.deal_stages(ds) and rx.search(
            rf"(?<![\w-])(?:{ends})\s*(?:thru|through|to|up\s+to|until|till|-|\u2013|->|\u2192)\s*(?:the\s+)?(?:{ends})(?![\w-])",
            text.lower()):
        # "open pipeline (prospecting thru negotiation)": every stage from the one to the other, not the two ends
        named = kit.stages_between(ds, *named) or named
        route.slots["filters"] = {**(route.slots.get("filters") or {}), "status": named}
    target = next((n for n, a in session.analyses.items()
                   if "status" in getattr(a.Params, "model_fields", {}) and "new_customers" in a.Params.model_fields))
    if FUNNEL_WORDS.search(text) or not kit.not_purchases(ds, named):
        # the funnel asked for (the stages named are its own), or only won deals: the sales themselves, so
        # no filter (in force, it would leave the funnel one stage); "closed won revenue" says them first
        route.params["filters"] = {k: v for k, v in (route.params.get("filters") or {}).items() if k != "status"}
        route.slots["filters"] = {k: v for k, v in (route.slots.get("filters") or {}).items() if k != "status"}
        if not FUNNEL_WORDS.search(text) and route.analysis == target and kit.deal_stages(ds):
            route.params["status"] = "won"
            if not route.slots.get("metric"):  # "how much have we closed won", "closed won Q2 vs Q2": the won amount
                route.slots = {**route.slots, "metric": "revenue"}
                route.params["metric"] = "revenue"
        return route
    slots = dict(route.slots)
    slots["filters"] = {**(slots.get("filters") or {}), "status": named}
    if route.analysis not in (target, "journey", "churn", None) and (
            route.analysis in analyses_named(session, text) or route.decision != "route" or
            not (getattr(session.analyses.get(route.analysis), "requires", None) or {}).get("transactions")):
        # another analysis asked for ("RFM of the open deals", "questions for an account stuck in Negotiation"; one
        # that needs the sales, CLV or cohorts, only when named: "lost deals by owner, how much value" is no CLV):
        # it keeps the question and says the stages it cannot apply (``Session.run``); won deals are its sales
        if kit.not_purchases(ds, named):
            route.slots = slots
            route.params = {**route.params, "filters": {**(route.params.get("filters") or {}), "status": named}}
        return route
    params = session.router.params_for(target, slots)
    params["filters"] = {**(params.get("filters") or {}), "status": named}
    if status in ("open", "lost"):  # said so: "lost deals", "open pipeline" (a stage named is a filter only)
        params["status"] = status
    params.pop("metric", None)
    return _to(route, target, params, slots)


#: a line asking to change the data ("set deal D-1042 to Closed Won"): no question about the deals
EDIT_REQUEST = re.compile(r"\s*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:set|update|change|move|mark|close|"
                          r"create|delete|remove|assign|add|edit|rename)\b", re.I)


def stage_named(session: "Session", text: str) -> bool:
    """Whether a question no analysis took names deals of a stage ("what's in negotiation right
    now", "open pipeline"): the overview counts them (``read_stages``)."""
    from . import kit
    from . import slots as slotlib

    if not kit.status_kinds(session.dataset) or EDIT_REQUEST.match(text):
        return False
    if status_asked(text) in ("open", "lost", "won"):
        return True
    found, _ = slotlib.extract(text, session._values(), session.data_end())
    return bool(kit.not_purchases(session.dataset, (found.get("filters") or {}).get("status") or []))


#: money lost said of what is ranked ("which sub-category loses the most money", "loss-making products",
#: "which regions are in the red"): profit, the losses first, not what sells the most
LOSES_MONEY = re.compile(
    r"\b(?:los(?:e|es|ing)|lost|bleed(?:s|ing)?)\s+(?:us\s+|the\s+|our\s+)?(?:most\s+|more\s+|the\s+most\s+)?money\b|"
    r"\bloss[- ]?(?:making|makers?)\b|\bunprofitable\b|\bin\s+the\s+red\b|\bmoney[- ]?losing\b|"
    r"\b(?:biggest|largest|most)\s+loss(?:es)?\b", re.I)


def losses_asked(session: "Session", text: str, route: "Route") -> "Route":
    """"Which sub-category loses the most money", "loss-making products": profitability's profit by what
    is named, the losses first, where the router read a ranking of sales (overview) or was unsure, and
    the data has what profit needs (a cost or profit column: ``applies``). Money lost to churn stays
    churn's."""
    target = "profitability"
    if target not in session.analyses or not LOSES_MONEY.search(text) or route.analysis != target and (
            not (route.decision == "clarify" or route.analysis == "overview") or not session.applies(target)
            or rx.search(r"\b(?:churn\w*|to\s+(?:the\s+)?(?:churned|lost\s+customers)|customers?\s+(?:who|that)\s+left)\b",
                         text, re.I)):
        return route
    if route.analysis != target:
        rerouted = session.router.route(text, session._values(), session.data_end(), analysis=target,
                                        customers=session._customer_exists, vocabulary=session.dataset.vocabulary)
        if rerouted is None:
            return route
        rerouted.alternatives = [(route.analysis, route.confidence)] + [a for a in route.alternatives
                                                                        if a[0] != target]
        route = rerouted
    if not route.params.get("by") and session.dataset.has("transactions"):
        named = column_mentions(text, session.dataset.columns("transactions"))  # "loss-making sub categories"
        if named:
            route.params["by"] = route.slots["by"] = [named[0][2]]
    return route


#: the share who recommend asked ("percentage of reviewers who recommend by department", "how many would
#: recommend us"): loyalty's recommend rate, not the themes of what they wrote
RECOMMEND_SHARE = re.compile(r"\b(?:share|percent(?:age)?|proportion|fraction|how\s+many|rate|%)\b[\w\s',-]{0,40}?"
                             r"\b(?:would|who|that|to)\s+(?:\w+\s+)?recommend\b", re.I)


def recommend_share(session: "Session", text: str, route: "Route") -> "Route":
    """"Percentage of reviewers who recommend by department": loyalty's share who recommend
    (``focus="recommend"``, by any breakdown), where the router read the reviews' themes (feedback) or
    was unsure, and the data has a recommend column."""
    from . import kit

    ds = session.dataset
    if route.analysis == "loyalty" or "loyalty" not in session.analyses or not RECOMMEND_SHARE.search(text) or \
            route.analysis != "feedback" and route.decision != "clarify" or not session.applies("loyalty") or not (
                (ds.has("feedback") and kit.recommend_column(ds)) or
                (ds.has("customers") and kit.recommend_column(ds, "customers"))):
        return route
    rerouted = session.router.route(text, session._values(), session.data_end(), analysis="loyalty",
                                    customers=session._customer_exists, vocabulary=ds.vocabulary)
    if rerouted is None:
        return route
    rerouted.params["focus"] = "recommend"
    rerouted.alternatives = [(route.analysis, route.confidence)] + [a for a in route.alternatives if a[0] != "loyalty"]
    return rerouted


#: "last quarter", "the previous month", "last year": the period before the one the data's last day is in
LAST_PERIOD = re.compile(r"\b(?:last|previous|prior)\s+(month|quarter|year)\b", re.I)


def last_period_note(session: "Session", text: str, route: "Route") -> None:
    """Where "last quarter" (month, year) was read as the one before the data's last day's, and that
    day is within a few days of its own period's end (data to 2019-12-30), say so on the first line,
    with the words for the period the data ends in: a person may have meant that one."""
    from . import slots as slotlib
    from .templates import period_label

    m = LAST_PERIOD.search(text)
    last = session.data_end()
    if not m or last is None:
        return
    unit = m.group(1).lower()
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    first_month = 1 if unit == "year" else last.month if unit == "month" else 3 * ((last.month - 1) // 3) + 1
    own_start = dt.date(last.year, first_month, 1)
    own_end = slotlib._shift_months(own_start, -months) - dt.timedelta(days=1)  # (_shift_months counts back)
    before_start = slotlib._shift_months(own_start, months)
    read = {(str(route.params.get("start")), str(route.params.get("end")))} | {
        (str(a), str(b)) for a, b in route.params.get("compare") or []}
    if not (0 < (own_end - last).days <= 3) or (str(before_start), str(own_start - dt.timedelta(days=1))) not in read:
        return
    note = (f"{period_label(before_start, own_start - dt.timedelta(days=1))}, the {unit} before the one the data ends "
            f"in ({last.isoformat()}); \"this {unit}\" is {period_label(own_start, own_end)}")
    route.slots["spelt"] = [*(route.slots.get("spelt") or []), (m.group(0), note)]


#: a duration between two dates of each deal: "average time to close a deal", "how long does it take to
#: win a deal", "sales cycle length", "days to close"
TIME_TO_CLOSE = re.compile(r"\b(?:time|days?|weeks?|how\s+long(?:\s+(?:does|did|do)\s+it\s+take)?)\s+(?:it\s+takes?\s+)?"
                           r"(?:us\s+)?(?:to|until)\s+(?:close|win|closing|winning)\b|\b(?:sales|deal)\s+cycle|"
                           r"\bcycle\s+(?:time|length)\b|\btime[- ]to[- ](?:close|win)\b", re.I)
#: "days from engage date to close date", "time between created and closed"
DAYS_FROM_TO = re.compile(r"\b(?:days?|weeks?|time|duration|how\s+long)\s+(?:from|between)\s+(?:the\s+)?(?P<a>[\w ]+?)"
                          r"\s+(?:to|and|until|till)\s+(?:the\s+)?(?P<b>[\w ]+?)(?=\s+(?:by|per|for|of|in|across|"
                          r"on)\b|\s*[?.!,]|\s*$)", re.I)
_DATE_FILLER = {"date", "dates", "day", "time", "the", "a", "deal", "deals", "its", "their", "at", "on"}


def _date_column(session: "Session", said: str) -> str | None:
    """The dated column of the sales a phrase names ("engage date" -> engage_date, "close date" ->
    order_date where the close_date column is read as the date); None where none or two fit."""
    from . import kit

    words = {w for w in schema.normalise(said).split() if w not in _DATE_FILLER}
    words |= {w[:-2] for w in words if w.endswith("ed") and len(w) > 4} | {w[:-1] for w in words if w.endswith("d")}
    if not words:
        return None
    src = next((s for s in session.dataset.sources if s.role == "transactions"), None)
    mapping = session.dataset.mapping_of(src) if src else {}
    fits = []
    for col in kit.date_columns(session.dataset):
        name = mapping[col].column if col in mapping else col
        parts = set(schema.normalise(name).split()) | set(col.split("_"))
        parts |= {p[:-2] for p in parts if p.endswith("ed")} | {p + "d" for p in parts} | {p[:-1] for p in parts
                                                                                          if p.endswith("e")}
        if words & parts - _DATE_FILLER:
            fits.append(col)
    return fits[0] if len(fits) == 1 else None


def days_asked(session: "Session", text: str) -> dict | None:
    """The overview's ``days_between`` (and ``days_of``) of a question about the time between two
    dates of each deal or order: the two columns it names ("days from engage date to close date"),
    or, for "time to close a deal", the deal's first date (``Source.deal_start``, else a created or
    engage date column) to its close (order_date)."""
    from . import kit

    ds = session.dataset
    if not ds.has("transactions"):
        return None
    pair = None
    m = DAYS_FROM_TO.search(text)
    if m:
        a, b = _date_column(session, m.group("a")), _date_column(session, m.group("b"))
        if a and b and a != b:
            pair = [a, b]
    if pair is None and TIME_TO_CLOSE.search(text):
        src = next((s for s in ds.sources if s.role == "transactions"), None)
        first = schema.snake(src.deal_start) if src is not None and src.deal_start else next(
            (c for c in kit.date_columns(ds) if c != "order_date" and rx.search(r"engage|creat|open|start", c)), None)
        if first and first in ds.columns("transactions"):
            pair = [first, "order_date"]
    if pair is None:
        return None
    low = text.lower()
    of = "closed" if rx.search(r"\bclosed\s+deals?\b|\bwon\s+(?:and|or|&)\s+lost\b|\ball\s+closed\b", low) else \
        "lost" if rx.search(r"\blost\b|\blose\b", low) else "won"
    return {"days_between": pair, "days_of": of}


#: the passage of deals from one stage to another: "make it from proposal through to won", "how many
#: progress to negotiation", "convert from qualification to proposal"
STAGE_PASSAGE = re.compile(r"\b(?:mak(?:e|es|ing)\s+it|progress(?:es|ed|ing)?|convert(?:s|ed|ing)?|advanc(?:e|es|ed|ing)|"
                           r"mov(?:e|es|ed|ing)\s+on|get(?:s|ting)?|got)\s+(?:from|to|through|past|into|all\s+the\s+way)\b", re.I)
#: "customers who ordered in 2024 but haven't ordered in 2025", "bought in 2017 but not in 2018": the first
#: period's buyers whose last purchase is before the second (``bought_then_not``)
BOUGHT_THEN_NOT = re.compile(
    r"\b(?:ordered|bought|purchased|shopped|spent|order|buy|purchase)\s+(?:\w+\s+){0,2}?(?:(?:in|during)\s+)?"
    r"(?P<first>[^,;]+?)\s*,?\s+but\s+(?:(?:they\s+)?(?:have\s*n[o']?t|haven'?t|has\s*n[o']?t|hasn'?t|did\s*n[o']?t|"
    r"didn'?t|never|not)\b(?:\s+(?:ordered|bought|purchased|shopped|order|buy|purchase|since|yet|again|anything))*)\s+"
    r"(?:in|during|so\s+far\s+in)?\s*(?P<second>[^,;?.!]+)", re.I)


def bought_then_not(session: "Session", text: str) -> tuple | None:
    """(start, end, day) of "which customers ordered in 2024 but haven't ordered in 2025": the buyers of the
    first period whose last purchase is before the second one's start (it was read as churn at the end of
    2024, listing customers who did buy again in 2025); None when the question says no such two periods."""
    from . import slots as slotlib

    m = BOUGHT_THEN_NOT.search(text)
    if not m:
        return None
    end = session.data_end()
    first = slotlib.period(slotlib.period_words(m.group("first").lower()), end)
    second = slotlib.period(slotlib.period_words(m.group("second").lower()), end)
    if not (first[0] and first[1] and second[0]) or second[0] <= first[0]:
        return None
    return first[0], first[1], second[0]


#: "which accounts haven't closed a deal since June 2017", "customers who have not bought since March": those
#: whose last purchase is before a date (the overview's ``last_before``), not a churn model
NOT_SINCE = re.compile(r"\b(?:have\s*n[o']?t|havent|has\s*n[o']?t|hasnt|did\s*n[o']?t|didnt|not|never|no\s+longer)\s+"
                       r"(?:\w+\s+){0,2}?(?:clos(?:ed|e)|bought|buy|ordered|order|purchased|purchase|won|win|signed|"
                       r"placed|made|spent|shopped)\b(?:\s+\w+){0,4}?\s+since\b", re.I)


def measure_owner(session: "Session", route: "Route") -> "Route":
    """A measure said that the analysis routed to cannot answer: "gross margin by category H1 2025"
    routed to the overview, whose metrics have no margin, goes to the analysis that declares the
    measure (``Analysis.measures``), instead of an error about a metric the question never chose;
    "do members spend more per visit" routed to the journey on a sales file (which the journey
    cannot read) goes to the next reading that can and takes the measure (the overview's aov)."""
    def takes(name: str) -> bool:
        field = getattr(getattr(session.analyses.get(name), "Params", None), "model_fields", {}).get("metric")
        return field is not None and metric in get_args(field.annotation)

    metric = route.slots.get("metric")
    if not metric or route.analysis not in session.analyses:
        return route
    if not session.applies(route.analysis):  # "do members spend more per visit" on a sales file: not the funnel
        other = next((n for n, _ in route.alternatives if n in session.analyses and session.applies(n) and takes(n)), None)
        fields = getattr(getattr(session.analyses.get(other), "Params", None), "model_fields", {})
        if other is not None and any(v not in (None, [], {}, False) and k not in fields for k, v in route.params.items()):
            other = None  # "how many subscribers haven't paid in 30 days": churn's own inactive_days, kept with it
        if other is not None:
            return _to(route, other, session.router.params_for(other, route.slots), route.slots)
    if "metric" not in getattr(session.analyses[route.analysis].Params, "model_fields", {}) or takes(route.analysis):
        return route
    owner = next((n for n, a in session.analyses.items() if metric in getattr(a, "measures", ())), None)
    if owner is None or owner == route.analysis:
        return route
    slots = {k: v for k, v in route.slots.items() if k != "metric"}
    return _to(route, owner, session.router.params_for(owner, slots), route.slots)


def _to(route: "Route", target: str, params: dict, slots: dict) -> "Route":
    from .router import Route

    if route.analysis == target:
        route.params = {**route.params, **params}
        route.decision = "route"
        return route
    others = [(route.analysis, route.confidence)] + [a for a in route.alternatives if a[0] != target]
    return Route(target, params, route.confidence, others, route.unknown_names, "route", slots, {target: params})


#: words that say which orders are meant by how they went ("delivered late", "arrived damaged"),
#: which no built-in analysis reads: an answer that counts every order instead says it (``unread_qualifiers``)
QUALIFIERS = re.compile(r"\b(late|delayed|overdue|on[\s-]time|in\s+time|damaged|broken|slow(?:ly)?)\b", re.I)


#: a kind of discount or refund said that no column tells ("how much are staff discounts costing us": every
#: discount was summed, unsaid); not the words that say how much, which or whose
KIND_OF_MONEY_BACK = re.compile(r"\b(?P<kind>[a-z][a-z-]{2,})\s+(?P<what>discounts|refunds|comps|promos|coupons|vouchers)\b",
                                re.I)
_NO_KIND = frozenset("""the our my all any total average avg mean median big bigger biggest large larger largest high higher
highest low lower lowest more less much many most few fewer no with without of on in for and or how what which whose
give gave given giving applied apply order orders line lines item items product products customer customers net gross
monthly weekly yearly daily annual percent percentage deep heavy usual typical these those such its their your
number count share rate value amount sum were was are did does do got get has have had them they per each every
sales revenue partial full after once before incl including include includes excluding exclude excl minus less plus
not just off through thru via from into ignoring ignore counting send ask want wanna offer offered offering using
use used returns ama""".split())


def unread_qualifiers(text: str, route: "Route", columns: set[str] = frozenset()) -> list[str]:
    """The words of ``QUALIFIERS`` a question said that its route did not read as a value of the
    data (a status "Late" is a filter, and is read): "how many orders were delivered late" counts
    the delivered orders, late or not, and must say that "late" was not read. And a kind of
    discount or refund (``KIND_OF_MONEY_BACK``) that is no value read and no column: "staff discounts"."""
    read = {str(v).lower() for values in (route.params.get("filters") or {}).values() for v in values}
    out = []
    for m in QUALIFIERS.finditer(text):
        word = rx.sub(r"\s+", " ", m.group(1).lower())
        if word not in read and not any(word in v for v in read) and word not in out:
            out.append(word)
    for m in KIND_OF_MONEY_BACK.finditer(text):
        kind = m["kind"].lower()
        if kind not in _NO_KIND and not kind.isdecimal() and kind not in columns and \
                not any(kind in v for v in read) and not any(kind in c for c in columns):
            out.append(f"{kind} {m['what'].lower()}")
    return out


def qualifier_note(word: str, dataset) -> str:
    """The "not read" note of such a word, with the dates the data has that could tell it."""
    if KIND_OF_MONEY_BACK.fullmatch(word):  # "staff discounts": a kind of money given back no column tells
        return (f"not read: {word!r} (this answer does not tell {word} from the others: the figures below count "
                f"them all; ask for {word.split()[-1]} by a column that names them, such as a note or a reason)")
    dates = sorted({c for s in dataset.sources if s.role for c, t in s.columns.items()
                    if ("DATE" in t.upper() or "TIME" in t.upper())})
    hint = (f"; the data has the dates {', '.join(dates[:6])}, which custlens does not compare" if len(dates) > 1
            else "")
    return (f"not read: {word!r} (no analysis here tells {word} orders from the others: the figures below count "
            f"them all{hint})")


# ------------------------------------------------------------------ measures said
#: everyday names of measures that a table may hold under a column of its own (and that no slot reads)
KNOWN_MEASURES = {"mrr": "monthly recurring revenue", "arr": "annual recurring revenue"}
#: a column's generic last word: "cashback_amount" is said "cashback", "mrr_amount" "MRR"
_GENERIC_TAIL = re.compile(r"_(?:amount|value|count|score|total|number|sum|amt|val|usd|eur)$")
#: words other slots read (grains, metrics, dates): a column named so is no measure said
_SLOT_WORDS = {"month", "months", "year", "years", "week", "weeks", "day", "days", "quarter", "quarters", "date",
               "time", "revenue", "sales", "orders", "order", "customers", "customer", "units", "quantity", "price",
               "cost", "profit", "margin", "discount", "total", "count", "number", "id", "age", "tenure"}
#: the note of a numeric column read as the measure a question named without saying how ("MRR by plan")
SUM_OF = "the sum of "
#: the words of a column that holds a level of each customer, not an amount that adds up across them
#: (months_since_last_claim, customer_lifetime_value, age, credit_score): named bare, it is averaged
_A_LEVEL = re.compile(r"(?:^|_)(?:since|age|tenure|score|rating|rate|ratio|pct|percent|percentage|lifetime|income|"
                      r"level|years|months|days|satisfaction)(?:_|$)")
#: a statistic's words and the statistic they ask ("average call duration": mean)
STAT_WORDS = {"avg": "mean", "average": "mean", "typical": "mean", "total": "sum", "minimum": "min",
              "maximum": "max", "highest": "max", "lowest": "min", "how much": "sum"}


def measures_said(session: "Session", text: str) -> list[tuple[str, str | None]]:
    """(words said, column) of each numeric column of the data the question names ("MRR" for
    mrr_amount, "seats", "arr_amount"), or (word, None) for a known measure word no column holds
    (``KNOWN_MEASURES``). The company's words (``[vocabulary]``, a table's own: "MRR" where it is
    the amount) are applied first: what they turn into is read by the slots."""
    from .router import apply_vocabulary

    low = apply_vocabulary(text, session.dataset.vocabulary.words).lower()
    columns: list[str] = []
    for role in ("customers", "transactions", "feedback"):
        if session.dataset.has(role):
            numeric = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
            present = session.dataset.columns(role)
            columns += [c for c, t in session.dataset.relation_columns(role).items()
                        if t.upper().startswith(numeric) and c in present and c not in schema.ID_COLUMNS
                        and c not in schema.CANONICAL[role] and c not in columns]
    names = {c: c for c in columns if c not in _SLOT_WORDS}
    for c in columns:
        head = _GENERIC_TAIL.sub("", c)
        if head != c and len(head) >= 3 and head not in _SLOT_WORDS and head not in names:
            names[head] = c
        # "resolution time" for resolution_hours, "first response time" for first_response_minutes
        timed = rx.sub(r"_(?:hours?|hrs?|minutes?|mins?|days?|seconds?|secs?)$", "", c)
        if timed != c and len(timed) >= 3 and f"{timed}_time" not in names:
            names[f"{timed}_time"] = c
        # "lifetime value" for customer_lifetime_value: the row's own word before it goes unsaid
        tail = rx.sub(r"^(?:customer|client|account|member)_(?=[a-z]+_)", "", c)
        if tail != c and tail not in _SLOT_WORDS and tail not in names and tail not in columns:
            names[tail] = c
    # every column of the data is looked for, longest first, so that "by shipping country" is the
    # text column shipping_country, not the numeric shipping followed by a word
    others = {c for role in schema.ROLES if session.dataset.has(role) for c in session.dataset.columns(role)}
    out: list[tuple[str, str | None]] = []
    for start, end, name in column_mentions(low, list(names) + sorted(others - set(names))):
        if name in names and names[name] not in [c for _, c in out]:
            out.append((text[start:end] if len(text) == len(low) else low[start:end], names[name]))
    for word in KNOWN_MEASURES:
        m = rx.search(rf"(?<![\w-]){word}(?![\w-])", low)
        if m and not any(said.lower() == word for said, _ in out):
            out.append((text[m.start():m.end()] if len(text) == len(low) else word, None))
    return out


def unread_measures(session: "Session", text: str, route: "Route") -> list[tuple[str, str | None]]:
    """The measures the question names (``measures_said``) that its route does not read: not its
    measure, breakdown or filter. "MRR by plan tier" on a customers table with an mrr column, read
    as a count of customers by plan, must say that MRR was not read."""
    params = route.params or {}
    used = {params.get("measure"), *(params.get("by") or []), *(params.get("filters") or {})}
    used |= set(route.slots.get("by") or [])
    used |= session._lines_amounts()  # the amount of the lines: what revenue is, read by every sales figure
    life = session.dataset.lifecycle() if params.get("lifecycle") else None
    if life:  # subscriptions read by their lifecycle show their summed columns (ARR, seats) beside the MRR
        used |= {schema.snake(c) for c in life["summed"].split(",") if c}
    # a measure's word said as part of the name of a column the route reads is that column's: "credit card"
    # read as has_cr_card is no mention of credit_score (the word after it is one of that column's words)
    words = {w for c in used if isinstance(c, str) for w in c.split("_")}
    low = text.lower()

    def within_used(said: str) -> bool:
        m = rx.search(rf"(?<![\w-]){re.escape(said.lower())}\s+([a-z]+)", low)
        return bool(m) and (m.group(1) in words or _singular(m.group(1)) in words)

    return [(said, column) for said, column in measures_said(session, text)
            if column is None or column not in used and not within_used(said)]


#: money asked for as a figure: "how much revenue", "total sales", "what did we earn"
_MONEY_UNHELD = re.compile(r"\b(?:revenue|turnover|sales|earnings|income|money)\b(?!\s+(?:channel|rep|team|person|"
                           r"people|stage|type|region|manager)s?\b)|\b(?:earn(?:ed)?|made\s+in\s+total)\b", re.I)


def measure_note(said: str, column: str | None, session: "Session") -> str:
    """The "not read" note of a measure said and not read, with how to ask for it."""
    if said == "share of revenue":
        money = sorted(c for c in session._numeric_attributes() if _MONEY_PART & set(c.lower().split("_")))
        ask = f" (ask for \"total {money[0].replace('_', ' ')} by {column.replace('_', ' ')}\")" if money else ""
        return (f"not read: {said} (no sales are loaded: this answer is the share of customers with {column}, not of "
                f"money{ask})")
    if column is None and rx.search(r"\s(?:rate|ratio)s?$", said, re.I):
        flags = sorted(c for c in session._flags() if c != "churned")
        some = f"; its yes/no columns: {', '.join(flags)} (ask for \"{flags[0].replace('_', ' ')} rate\")" if flags else ""
        return (f"not read: {said} (no yes/no column of the data is {said.split()[0]!r}: this answer counts customers "
                f"and shows no rate{some})")
    if column is None and _AVERAGE_OF.fullmatch(said.lower()):
        numeric = session._numeric_attributes()
        some = f"; its numeric columns: {', '.join(numeric[:8])}{', ...' if len(numeric) > 8 else ''} (ask for " \
            f"\"average {numeric[0].replace('_', ' ')}\")" if numeric else ""
        return f"not read: {said} (no column of the data is named so: this answer shows no average{some})"
    if column is None:
        return (f"not read: {said} (no column of the data holds {KNOWN_MEASURES.get(said.lower(), said)}: this "
                "answer does not show it. Map the column that holds it, or name a column of the data)")
    if session.dataset.has("transactions") and column in session.dataset.columns("transactions"):
        how = f"to read it as the sales' amount: map amount={column}"
    else:
        how = f"ask for \"total {column} by ...\" or \"average {column} by ...\""
    return f"not read: {said} ({column} is not summed or averaged in this answer; {how})"


def read_measure(session: "Session", text: str, route: "Route") -> "Route":
    """"MRR by plan tier", "current MRR" on a customers table with an mrr column: the one numeric
    customers column the question names and nothing reads becomes the measure of the analysis that
    summarises customers columns (its Params take ``measure``: overview), summed, and said on the
    first line ("read 'MRR' as the sum of mrr_amount"). Other unread measures are kept in
    ``route.slots["unread_measures"]`` for the "not read" note."""
    unread = unread_measures(session, text, route)
    money = _MONEY_UNHELD.search(text)
    if money and not unread and not route.params.get("measure") and not route.params.get("columns") \
            and not session.dataset.has("transactions") and session.dataset.has("customers") \
            and customers_money(session) is None and "measure" in getattr(
                session.analyses[route.analysis].Params, "model_fields", {}):
        # "how much revenue did we make" of a booking table without money: said on the first line, not
        # answered with a count of its rows as though it were the revenue
        route.slots["unread_measures"] = [(money.group(0), None)]
        return route
    if not unread:
        rate = unread_rate(session, text, route) or unread_average(session, text, route)
        if rate:
            route.slots["unread_measures"] = rate
        return route
    fields = getattr(session.analyses[route.analysis].Params, "model_fields", {})
    # a column of the lines too (the accounts made from a subscriptions table): its sum over the
    # customers would be of one row per account, not of the lines, so it is said unread instead
    lines = session.dataset.columns("transactions") if session.dataset.has("transactions") else set()
    customers = set(session._numeric_attributes()) - lines
    summable = [(said, c) for said, c in unread if c in customers]
    if "measure" in fields and not route.params.get("measure") and len(summable) == 1:
        said, column = summable[0]
        # "average call duration": the statistic said a word or two before the column's name is the one
        # asked (read as the sum, the average was answered with a total)
        at = rx.search(rf"(?<![\w-]){re.escape(said.lower())}(?![\w-])", text.lower())
        stat_said = rx.search(r"\b(average|avg|mean|typical|median|total|sum|min(?:imum)?|max(?:imum)?|highest|lowest)"
                              r"\s+(?:[a-z]+\s+){0,2}$", text.lower()[:at.start()]) if at else None
        # "what do they pay in monthly charges on average": the statistic said after
        stat_after = None if stat_said else rx.search(r"\b(average|avg|typical|median|mean)\b", text.lower())
        stat = STAT_WORDS.get(stat_said.group(1), stat_said.group(1)) if stat_said else \
            STAT_WORDS.get(stat_after.group(1), stat_after.group(1)) if stat_after else \
            "mean" if _A_LEVEL.search(column) else "sum"
        route.params["measure"], route.params["stat"] = column, stat
        route.params["by"] = [b for b in route.params.get("by") or [] if b != column]
        if stat_said or said.lower().replace(" ", "_") != column:  # a column put by its name ("CLV" read so) is said once
            route.slots["read_measure"] = (text[stat_said.start():at.end()] if stat_said else said,
                                           (SUM_OF if stat == "sum" else f"the {stat} of ") + column)
        unread = [u for u in unread if u != summable[0]]
    unread += unread_rate(session, text, route) if not route.params.get("measure") else []
    unread += unread_average(session, text, route) if not route.params.get("measure") and not unread else []
    if unread:
        route.slots["unread_measures"] = unread
    return route


#: words before "rate" that name no rate of their own ("what rate", "the overall rate")
_NOT_A_RATE = frozenset("what which the a an our their its this that overall total average current same high low "
                        "higher lower highest lowest best worst good bad typical usual mean median".split())


def unread_rate(session: "Session", text: str, route: "Route") -> list[tuple[str, None]]:
    """"open rate by category" answered as a count of customers (the analysis that summarises
    customers columns, no measure read): the rate asked is said not read (``measure_note``), never
    dropped in silence. [] when the answer reads a measure or a column, a value or the analysis's own
    words read the word."""
    if route.analysis != session._measurer() or route.params.get("measure") or route.params.get("metric") not in (
            None, "customers"):
        return []
    m = rx.search(r"(?<![\w-])([a-z][a-z-]+)\s+(?:rate|ratio)s?(?![\w-])", text.lower())
    if not m or m.group(1) in _NOT_A_RATE:
        return []
    word = m.group(1)
    columns = [c for role in schema.ROLES if session.dataset.has(role) for c in session.dataset.columns(role)]
    if column_mentions(word, columns) or any(word in str(v).lower().split() for cols in session._values().values()
                                             for vs in cols.values() for v in vs or ()):
        return []
    return [(text[m.start():m.end()], None)]


#: "average time spent on product pages": a statistic and the words after it, up to a breakdown's word
_AVERAGE_OF = re.compile(r"(?<![\w-])(?:average|avg|mean|median|typical)\s+(?!(?:of\s+)?(?:customers?|orders?)\b)"
                         r"([a-z][a-z -]{2,50}?)\s*(?=\b(?:by|per|for|of|in|across|among|between|vs|versus)\b|[?.!]|$)")


def unread_average(session: "Session", text: str, route: "Route") -> list[tuple[str, None]]:
    """"average time spent on product pages" answered as a count of customers (the analysis that
    summarises customers columns read no measure): the average asked is said not read
    (``measure_note``), never dropped in silence. [] when the answer reads a measure or the words
    name a column or a value of the data."""
    if route.analysis != session._measurer() or route.params.get("measure") or route.params.get("metric") not in (
            None, "customers"):
        return []
    m = _AVERAGE_OF.search(text.lower())
    if not m:
        return []
    words = m.group(1).strip()
    columns = [c for role in schema.ROLES if session.dataset.has(role) for c in session.dataset.columns(role)]
    if column_mentions(words, columns) or any(str(v).lower() in words for cols in session._values().values()
                                              for vs in cols.values() for v in vs or () if len(str(v)) > 2):
        return []
    return [(text[m.start():m.end()].strip(), None)]


#: words for money charged or paid: "monthly bill", "monthly fee", "yearly payment"
_MONEY_WORDS = r"(?:bills?|charges?|charged|fees?|payments?|paid|costs?|prices?|amounts?|spend|spending|" \
    r"subscriptions?|plan\s+costs?)"
#: the adverbs of a grain a column's name opens with ("monthly_charges", "annual_fee")
_GRAIN_ADVERB = re.compile(r"^(monthly|yearly|annual|weekly|daily|quarterly)_")
#: the period each adverb of a grain is paid per ("pay each month": monthly_charges)
_ADVERB_GRAIN = {"monthly": "month", "yearly": "year", "annual": "year", "weekly": "week", "daily": "day",
                 "quarterly": "quarter"}


#: orders that are never sales left out in words: "excluding cancelled and refunded orders", "without the
#: failed ones" (a cancel, fail or void word, or refunds said of orders: "excluding refunds" is net revenue)
_NON_SALES = r"(?:cancel(?:l?ed|l?ations?|s)|canceled|failed|voided|void|refund(?:ed|s)?|returned|returns)"
NON_SALES_LEFT_OUT = re.compile(
    r"\s*,?\s*\b(?:exclud(?:e|es|ed|ing)|except(?:\s+for)?|without|not\s+counting|leav(?:e|ing)\s+out|ignor(?:e|ing)|"
    r"other\s+than|apart\s+from|but\s+not|after|net\s+of|less|minus)\s+(?:the\s+|any\s+|all\s+)?(?P<what>" + _NON_SALES +
    r"(?:\s*(?:,|and|or|&|/)\s*(?:the\s+)?" + _NON_SALES + r")*)(?:\s+(?P<noun>orders?|purchases?|sales|transactions|ones|lines|"
    r"invoices|payments?|charges?))?\b", re.I)
#: the same said after: "cancelled orders excluded (obviously)", "failed payments left out"
NON_SALES_EXCLUDED_AFTER = re.compile(
    r"\s*,?\s*\b(?P<what>" + _NON_SALES + r"(?:\s*(?:,|and|or|&|/)\s*(?:the\s+)?" + _NON_SALES + r")*)(?:\s+(?P<noun>orders?|"
    r"purchases?|sales|transactions|ones|lines|invoices|payments?|charges?))?\s+(?:(?:are|is|to\s+be|should\s+be)\s+)?"
    r"(?:excluded|left\s+out|removed|taken\s+out|not\s+counted|not\s+included)\b(?:\s*,?\s*(?:obviously|of\s+course|"
    r"please|too|as\s+well))?", re.I)


def non_sales_left_out(session: "Session", text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` without the words that leave out orders that are never sales ("revenue in Q2 excluding
    cancelled and refunded orders": cancelled, failed and refunded orders never count as sales or orders),
    and [(words said, how read)] for the first line. Read as words of their own they made the question
    one about cancellations or refunds. "Excluding refunds" alone is left to mean net revenue."""
    if not session.dataset.has("transactions"):
        return text, []
    m = next((m for pattern in (NON_SALES_LEFT_OUT, NON_SALES_EXCLUDED_AFTER) for m in pattern.finditer(text)
              if m.group("noun") or rx.search(r"cancel|fail|void", m.group("what"), re.I)), None)
    if not m:
        return text, []
    said = m.group(0).strip(" ,")
    return (text[:m.start()] + text[m.end():],
            [(said, "what sales already leave out (cancelled, failed and refunded orders are never sales)")])


def money_said_per_period(session: "Session", text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with "monthly bill", "monthly fee", "monthly payment" (money said after the adverb of
    a grain) put as the one numeric customers column that names that money per period ("monthly
    charges" for MonthlyCharges), so that "average monthly bill by contract" reads the column, not
    a monthly breakdown; and [(words said, column)] for the first line. Nothing changes where no
    such single column exists."""
    if not session.dataset.has("customers") or not rx.search(r"\b(?:monthly|yearly|annual|weekly|daily|quarterly|"
                                                              r"(?:each|per|a|an|every|the)\s+(?:month|year|week|day|quarter))\b",
                                                              text, re.I):
        return text, []
    money = _MONEY_WORDS  # not "monthly revenue"/"monthly billing": revenue per month, read as before
    by_adverb: dict[tuple[str, str], list[str]] = {}
    for column in session._numeric_attributes():
        m = _GRAIN_ADVERB.match(column)
        rest = column[m.end():] if m else ""
        first = rest.replace("_", " ").split()[0] if rest else ""
        if m and rx.fullmatch(money + r"(?:_\w+)?", first, re.I):
            by_adverb.setdefault((m.group(1), money), []).append(column)
        elif m and len(first) >= 4 and first not in ("revenue", "sales", "orders", "customers", "active"):
            # "monthly premium" for Monthly Premium Auto: the adverb and the column's own next word
            by_adverb.setdefault((m.group(1), re.escape(first) + "s?"), []).append(column)
    read: list[tuple[str, str]] = []
    for (adverb, words), columns in by_adverb.items():
        if len(columns) != 1:
            continue
        column = columns[0]
        spoken = column.replace("_", " ")
        # said by its own words, it is put as its name ("monthly premium auto" would still read a grain)
        put_as = spoken if words == money else column

        def put(m: re.Match, column=column, spoken=spoken, put_as=put_as) -> str:
            if m.group(0).lower() != spoken:
                read.append((m.group(0), column))
            return put_as
        tail = r"(?:\s+" + r"\s+".join(spoken.split()[2:]) + ")?" if len(spoken.split()) > 2 else ""
        text = rx.sub(r"(?<![\w-])" + adverb + r"\s+" + words + tail + r"(?![\w-])", put, text, flags=re.I)
        if words == money and not session.dataset.has("transactions"):
            # "what do they pay each month", "how much are they charged a month": the money paid per period
            # said with a verb, on a table without sales (no period to break down by)
            # what a customer pays is one customer's: the average, unless a total is said or "we" charge
            each = not rx.search(r"\b(?:total|totals|altogether|all\s+together|combined|sum|in\s+all|we|median|"
                                 r"average|avg|mean|typical)\b", text, re.I)

            def put_verb(m: re.Match, column=column, spoken=spoken, each=each) -> str:
                read.append((m.group(0), column))
                # "in fees every month": the money's noun is the column's own word, said once
                verb = "" if rx.match(r"(?:in\s+)?(?:fee|charge|bill|payment|subscription|due|membership)", m.group("verb"),
                                      re.I) else m.group("verb") + (m.group("mid") or "") + " "
                return verb + ("average " if each else "") + spoken
            text = rx.sub(r"(?<![\w-])(?P<verb>pay|pays|paying|paid|charge|charges|charged|billed|bill|spend|spends|spending|"
                          # "how much do we take in fees every month": the money said as a noun before the period
                          r"(?:in\s+)?(?:fees?|charges|bills?|payments?|subscriptions?|dues|membership\s+fees?))"
                          r"(?P<mid>(?:\s+(?:us|you|me|on\s+average|roughly|about|in\s+total))*)\s+"
                          r"(?:each|per|a|an|every|in\s+a|by\s+the|the)\s+" + _ADVERB_GRAIN[adverb] + r"(?![\w-])",
                          put_verb, text, flags=re.I)
    return text, read


#: the words of a column name that say it holds money (purchase_amount_usd, total_spent, sales_value)
_MONEY_PART = frozenset({"amount", "amt", "usd", "eur", "gbp", "dollars", "euros", "spend", "spent", "spending",
                         "revenue", "sales", "price", "paid", "payment", "value", "charges", "charge", "billing",
                         "mrr", "arr", "turnover"})  # not income: a household's income is no money it spent with us
#: money of the sales lines besides their amount, by its column's name ("fee", "order_shipping"): said bare, summed
#: (``Session.measure_named``); in the sales' currencies (``Overview.run`` says when they are mixed): ``holds_money``
LINE_MONEY = frozenset({"fee", "fees", "shipping", "tax", "tip", "tips", "commission", "freight", "postage", "vat"})


def holds_money(name: str) -> bool:
    """Whether a column's name says it holds money (``_MONEY_PART``, ``LINE_MONEY``)."""
    return bool((_MONEY_PART | LINE_MONEY) & set(name.lower().split("_")))


#: money said as a noun of a customers table that has no sales: "revenue by season", "average spend"
_MONEY_NOUN = re.compile(r"(?<![\w-])(?P<avg>(?:the\s+)?(?:average|avg|mean|typical)\s+(?:(?:customer|order|purchase)\s+)?)?"
                         r"(?P<total>total\s+)?(?P<word>revenue|sales|turnover|spend(?:ing)?|money\s+spent|"
                         r"amount\s+spent|order\s+value|basket\s+size)(?![\w-])", re.I)
#: spending said as a verb compared: "do customers who got a discount spend less", "who spends more"
#: ("spent more than 1000" is a comparison with a number: a filter on the money column, ``Session.conditions_said``)
_SPEND_VERB = re.compile(r"(?<![\w-])(?:spend|spends|spent)\s+(?P<way>less|more|the\s+most|the\s+least|most|least)"
                         r"(?![\w-])(?!\s+than\s+(?:[$€£]\s*)?\d)", re.I)


def customers_money(session: "Session") -> str | None:
    """The numeric column of a customers table that holds money where no sales are loaded: the one the
    user mapped as ``amount`` (``--map amount=purchase_amount_usd``), else the only one whose name says
    money (``_MONEY_PART``: purchase_amount_usd, total_spent). None with sales loaded (money is their
    revenue) or where two columns or none say so (monthly and total charges: which is asked decides)."""
    ds = session.dataset
    if ds.has("transactions") or not ds.has("customers"):
        return None
    numeric = session._numeric_attributes()
    mapped = [schema.snake(c) for src in ds.sources if src.role == "customers"
              for c in [getattr(src, "money", None)] if c]
    if mapped and mapped[0] in numeric:
        return mapped[0]
    named = [c for c in numeric if _MONEY_PART & set(c.lower().split("_"))]
    if len(named) != 1:
        return None
    # a column of one value throughout is no customer's money (Customer Personality Analysis's
    # Z_Revenue, 11 on every row: "average spend" read it as 11.00)
    distinct = ds.engine.rows(f'SELECT count(DISTINCT "{named[0]}") FROM customers')
    return named[0] if distinct and distinct[0][0] > 1 else None


def acronym_columns(session: "Session", text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with the words a numeric column's name is the initials of put as that column: "average
    daily rate by hotel" -> "average adr by hotel" (a booking export's ADR), "average order value" ->
    "average aov"; and [(words said, how read)]. The column's name is one word of 3 to 5 letters; the
    words said are as many, their first letters its letters, in order. Said "average ..." it stays an
    average ("daily" is then no grain)."""
    if not session.dataset.has("customers"):
        return text, []
    read: list[tuple[str, str]] = []
    for column in session._numeric_attributes():
        if not rx.fullmatch(r"[a-z]{3,5}", column) or rx.search(r"(?<![\w-])" + column + r"(?![\w-])", text, re.I):
            continue
        said = r"\s+".join(f"{ch}[a-z]*" for ch in column)
        m = rx.search(r"(?<![\w-])" + said + r"(?![\w-])", text, re.I)
        if not m or len(m.group(0).split()) != len(column) or any(
                len(w) < 3 or w.lower() in ("the", "and", "for", "our", "all", "any", "got", "get", "than", "that", "with")
                for w in m.group(0).split()):
            continue  # "a different room" is no ADR: the initials of words that carry meaning only
        first = m.group(0).split()[0].lower()
        stat = "average " if first in ("average", "avg", "mean") else ""
        read.append((m.group(0), column))
        text = text[:m.start()] + stat + column + text[m.end():]
    if session.dataset.has("transactions"):
        return text, read  # "CLV" with sales loaded is the analysis of that name
    # the other way: the initials said of a column written in words ("average CLV by state" of a customers
    # table's Customer Lifetime Value; its CLV analysis needs sales): the column, where one fits
    by_initials: dict[str, list[str]] = {}
    for column in session._numeric_attributes():
        words = [w for w in rx.split(r"[_\s]+", column) if w]
        if 3 <= len(words) <= 5:
            by_initials.setdefault("".join(w[0] for w in words).lower(), []).append(column)
    for initials, columns in by_initials.items():
        m = rx.search(r"(?<![\w-])" + initials + r"s?(?![\w-])", text, re.I)
        if len(columns) != 1 or not m:
            continue
        read.append((m.group(0), columns[0]))
        text = text[:m.start()] + columns[0] + text[m.end():]
    return text, read


#: spending said of one thing: "spend on wine", "spent in total on meat", "spend less on wine"; what
#: follows "on" up to a breakdown, a comparison or the end
_SPEND_ON = re.compile(r"(?<![\w-])(?:spend|spends|spent|spending|money\s+spent)\s+(?P<way>less|more|the\s+most|"
                       r"the\s+least|most|least)?\s*(?P<total>in\s+total\s+|overall\s+|altogether\s+)?on\s+"
                       r"(?:the\s+|our\s+|their\s+)?(?P<what>[a-z][a-z ]*?)"
                       r"(?=\s+(?:by|per|for|vs\.?|versus|than|among|across|in|between|and|or|compared|against|who|"
                       r"with|without|each|every|last|this|during)\b|\s*[?,.!]|\s*$)", re.I)
#: words before "spend" that say how it is summed or whose it is, not what it is spent on
_NOT_A_THING = frozenset("average avg mean median total typical overall customer customers client clients our their the "
                         "your my per monthly annual yearly weekly daily marketing ad".split())
#: spending said after the thing: "wine spend", "meat spending by education"
_THING_SPEND = re.compile(r"(?<![\w-])(?P<what>[a-z]+)\s+(?:spend|spending)(?![\w-])", re.I)


def spend_on_column(session: "Session", text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with spending said of one thing a numeric customers column names put as that column:
    "average spend on wine by education" -> "average mnt wines by education", "how much did they
    spend in total on meat" -> "how much did they total mnt meat products", "wine spend" -> "total mnt
    wines", "do customers with kids spend less on wine" -> "... have a lower average mnt wines" (a
    customers table of spend per product family: MntWines, MntMeatProducts); and [(words said, how
    read)] for the first line. Only where the words fit exactly one numeric column (``column_in_words``)
    and there are no sales (spending is then their revenue)."""
    ds = session.dataset
    if ds.has("transactions") or not ds.has("customers"):
        return text, []
    numeric = session._numeric_attributes()
    read: list[tuple[str, str]] = []
    average = rx.search(r"\b(?:average|avg|mean|typical(?:ly)?|on\s+average|per\s+(?:customer|head|person))\b",
                        text, re.I)

    def on(m: re.Match) -> str:
        what = m.group("what").strip()
        if what.lower() in ("average", "avg") or (column := session.column_in_words(what, numeric)) is None:
            return m.group(0)
        spoken = column.replace("_", " ")
        way = (m.group("way") or "").lower()
        if way:
            read.append((m.group(0).strip(), "the average of " + column))
            return ("have the highest" if "most" in way else "have the lowest" if "least" in way else
                    "have a higher" if way == "more" else "have a lower") + " average " + spoken
        mean = bool(average) and not m.group("total")
        before = text[:m.start()]
        stat = "" if rx.search(r"\b(?:average|avg|mean|total|median|sum)\s+(?:of\s+)?$", before, re.I) else \
            "average " if mean else "total "
        read.append((m.group(0).strip(), ("the average of " if mean else SUM_OF) + column))
        return stat + spoken

    text = _SPEND_ON.sub(on, text)

    def thing(m: re.Match) -> str:
        if m.group("what").lower() in _NOT_A_THING:  # "average spend": a statistic, no thing spent on
            return m.group(0)
        column = session.column_in_words(m.group("what"), numeric)
        if column is None:
            return m.group(0)
        before = text[:m.start()]
        stated = rx.search(r"\b(?:average|avg|mean|total|median|sum)\s+(?:of\s+)?(?:the\s+)?$", before, re.I)
        read.append((m.group(0).strip(), ("the average of " if average else SUM_OF) + column))
        return ("" if stated else "average " if average else "total ") + column.replace("_", " ")

    text = _THING_SPEND.sub(thing, text)
    return text, read


#: the kind of product money was spent on, said after it: "spend on gold", "sell in wine", "sales of fish"
_SPENT_ON = re.compile(r"(?<![\w-])(?:spend(?:s|ing)?|spent|sell|sold|sales|revenue|money)\s+(?:on|in|of|for)\s+"
                       r"(?:the\s+)?(?P<kind>[a-z]{3,})", re.I)


def spend_part_said(session: "Session", text: str) -> str | None:
    """The customers column of the spend on the kind of product a question names after its money
    ("How much do PhD customers spend on gold": mnt_gold_prods, one of the columns ``total_spend``
    adds up; "how much do we sell in wine": mnt_wines), or None. The kind is one word of the column's
    name, or its first four letters and more ("wine" in mnt_wines)."""
    m = _SPENT_ON.search(text)
    if not m:
        return None
    kind = m.group("kind").lower()
    parts = [c for c in session._numeric_attributes() if c != "total_spend"
             and set(c.split("_")) & session.dataset.SPEND_PART]
    hits = [c for c in parts if any(w == kind or len(kind) >= 4 and w.startswith(kind[:4]) and kind.startswith(w[:4])
                                     for w in c.split("_")[1:])]
    return hits[0] if len(hits) == 1 else None


def money_said_of_customers(session: "Session", text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with money said of a customers table that has no sales ("revenue by season", "which
    category brings the most revenue", "average spend of subscribers", "do customers who got a discount
    spend less") put as its money column (``customers_money``): a total of it for revenue or sales, its
    average where an average is said or spending is compared; and [(words said, how read)] for the first
    line ("read 'revenue' as the sum of purchase_amount_usd"). Each row is read as one customer with the
    money of their purchase: such a table has no dates, so it is no orders table. Nothing changes where
    the question names the column itself or there is no one money column."""
    column = customers_money(session)
    if column is None or column_mentions(text.lower(), [column]):
        return text, []
    column = spend_part_said(session, text) or column  # "spend on gold": MntGoldProds, not the total
    spoken = column.replace("_", " ")
    read: list[tuple[str, str]] = []

    on_average = rx.search(r"\b(?:on\s+average|per\s+(?:customer|head|person|purchase)|a\s+head)\b", text, re.I)

    def noun(m: re.Match) -> str:
        if m.group("word").lower().startswith("spend") and not (m.group("avg") or m.group("total")) and rx.search(
                r"\b(?:they|we|you|i|customers?|clients?|people|shoppers?|buyers?|who|do|does|did|to)\s+$",
                text[:m.start()], re.I):
            return m.group(0)  # "what do they spend": the verb, read by ``Session._spend_column``
        mean = bool(m.group("avg") or on_average) or m.group("word").lower() in ("order value", "basket size")
        read.append((m.group(0).strip(), ("the average of " if mean else SUM_OF) + column))
        return ("average " if mean else "total ") + spoken

    def verb(m: re.Match) -> str:
        read.append((m.group(0), "the average of " + column))
        way = m.group("way").lower()
        return ("have the highest" if "most" in way else "have the lowest" if "least" in way else
                "have a higher" if way == "more" else "have a lower") + " average " + spoken

    text = _SPEND_VERB.sub(verb, text)
    text = _MONEY_NOUN.sub(noun, text)
    said = _SPENT_ON.search(text) if not read and column != customers_money(session) else None
    if said and not said.group(0).lower().startswith("spen"):  # "how much do we sell in wine": its total
        read.append((said.group(0), SUM_OF + column))
        text = text[:said.start()] + "total " + spoken + text[said.end():]
    return text, read


# ------------------------------------------------------------------ a campaign's outcome said in everyday words
#: the everyday words of a campaign's or a funnel's outcome, by family: (nouns, doers, verb forms).
#: "response rate", "subscribers vs non-subscribers", "customers who subscribed", "what drives response"
_OUTCOME_FAMILIES = (
    (r"responses?", r"responders?", r"respond(?:ed|s|ing)?"),
    (r"subscriptions?", r"subscribers?", r"subscrib(?:e|ed|es|ing)"),
    (r"conversions?", r"converters?", r"convert(?:ed|s|ing)?"),
    (r"success(?:es)?|successful", None, r"succeed(?:ed|s|ing)?"),
    (r"sign[- ]?ups?|take[- ]?up|uptake|outcome", None, r"sign(?:ed|s|ing)?[- ]up|took[- ]up|taken[- ]up"),
    # a visit's purchase (UCI Online Shoppers' Revenue TRUE/FALSE): "sessions that bought vs those that
    # did not", "returning visitors who made a purchase", "what drives purchases"; a word that is part of a
    # column's own name (iFood's NumWebPurchases) stays as said, and with sales loaded they are the sales'
    (_PURCHASES := r"purchases?", r"buyers?|purchasers?",
     r"bought|purchased|made\s+(?:a\s+|any\s+)?purchases?|buy|purchase|ordered|placed\s+(?:an?\s+)?orders?"),
)
_GROUP = r"(?:(?:the\s+)?(?:those|customers|clients|people|members|ones|users)\s+)?"
_AGAINST = r"\s+(?:vs\.?|versus|compared\s+(?:to|with)|against|and|or)\s+(?:the\s+)?"
_DID_NOT = r"(?:who|that)?\s*(?:did\s*n[o']?t|have\s*n[o']?t|had\s*n[o']?t|never|not)(?:\s+[a-z]+)?"


def outcome_column(session: "Session") -> str | None:
    """The one yes/no column of the customers named as an outcome a campaign or a funnel aims at
    (``Session.OUTCOME_COLUMN``: y, output, target, subscription, response...); None when the table
    has none or more than one."""
    flags = [c for c in session._flags() if c != "churned"]
    outcomes = [c for c in flags if session.OUTCOME_COLUMN.match(c)]
    return outcomes[0] if len(outcomes) == 1 else None


def outcome_word_own(session: "Session", word: str, tokens: set[str] | None = None,
                     vocabulary: set[str] | None = None) -> bool:
    """Whether an outcome word said ("response", "outcome") is (part of) a column's own name (its
    first six letters within one of the names' words: "outcome" in poutcome, "subscribers" in
    subscription_status) or a company word (``[vocabulary]``): then it is read as it is."""
    if tokens is None:
        tokens = {t for role in schema.ROLES if session.dataset.has(role) for c in session.dataset.columns(role)
                  for t in c.lower().split("_")}
    if vocabulary is None:
        vocabulary = {w.lower() for w in getattr(session.dataset.vocabulary, "words", {}) or {}}
    stem = rx.sub(r"[^a-z]", "", word.lower())[:6]
    return word.lower() in vocabulary or any(stem in t for t in tokens)


def outcome_said(session: "Session", text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with a campaign's outcome said in everyday words put as the table's one outcome
    column (``outcome_column``: UCI Bank Marketing's y, a re-export's Output): "response rate by job"
    -> the column's rate, "what drives response" -> its drivers, "subscribers vs non-subscribers"
    -> a breakdown by it, "customers who subscribed" / "subscribers" -> its yes value, "non-subscribers"
    -> its no value; and [(words said, how read)] for the first line ("read 'response' as output").
    A word stays as said where it is part of a column's own name ("subscribers" beside a
    subscription_status column, "outcome" beside poutcome) or a company word (``[vocabulary]``)."""
    column = outcome_column(session) if session.dataset.has("customers") else None
    if column is None:
        return text, []
    yes = session._flags().get(column)
    no = session._flags(no=True).get(column)
    tokens = {t for role in schema.ROLES if session.dataset.has(role) for c in session.dataset.columns(role)
              for t in c.lower().split("_")}
    vocabulary = {w.lower() for w in getattr(session.dataset.vocabulary, "words", {}) or {}}

    def own(word: str) -> bool:  # the word is (part of) a column's own name, or the company's word
        return outcome_word_own(session, word, tokens, vocabulary)

    read: list[tuple[str, str]] = []
    others = [c for role in schema.ROLES if session.dataset.has(role) for c in session.dataset.columns(role)
              if c != column]

    def put(said: str, as_: str) -> str:
        read.append((said.strip(), as_))
        return as_

    sales = session.dataset.has("transactions")
    for nouns, doers, verbs in _OUTCOME_FAMILIES:
        if sales and nouns == _PURCHASES:
            continue  # with sales loaded, buying is theirs ("customers who bought X"), never the flag
        words = [w for w in (nouns, doers, verbs) if w]
        if not rx.search(r"(?<!\w)(?:" + "|".join(words) + r")(?![\w-])", text, re.I):
            continue
        if any(own(m.group(0)) for w in words for m in rx.finditer(r"(?<!\w)(?:" + w + r")(?![\w-])", text, re.I)):
            continue
        noun = rx.match(r"[a-z]+", nouns).group(0)
        if any(noun[:6] in t for c in others for t in c.lower().split("_")):
            # the family's noun is in other columns' names (iFood's NumWebPurchases beside Response):
            # the data counts purchases itself, so "where do customers buy most" is no outcome
            continue
        said_yes = (r"(?:" + doers + r"|" if doers else r"(?:") + r"(?:who|that)\s+(?:have\s+|had\s+)?(?:" + verbs + r"))"
        # both sides set against each other: a breakdown by the column
        text = rx.sub(r"(?:\b(?:of|for|among|between|from)\s+)?" + _GROUP + said_yes + _AGAINST + _GROUP + r"(?:non[- ]?(?:" + (doers or verbs) + r")|" + _DID_NOT +
                      r"|the\s+rest|(?:all\s+the\s+)?others|everyone\s+else)(?![\w-])",
                      lambda m: put(m.group(0), f"by {column}"), text, flags=re.I)
        if doers and no is not None:
            text = rx.sub(r"(?<![\w-])non[- ]?(?:" + doers + r")(?![\w-])",
                          lambda m: put(m.group(0), f"{column} = {no}"), text, flags=re.I)
        if yes is not None:
            if doers:
                text = rx.sub(r"(?<![\w-])(?:" + doers + r")(?![\w-])",
                              lambda m: put(m.group(0), f"{column} = {yes}"), text, flags=re.I)
            text = rx.sub(r"(?<![\w-])(?:who|that)\s+(?:have\s+|had\s+)?(?:" + verbs + r")(?![\w-])",
                          lambda m: put(m.group(0), f"with {column} = {yes}"), text, flags=re.I)
        text = rx.sub(r"(?<![\w-])(?:" + nouns + "|" + verbs + r")(?![\w-])",
                      lambda m: put(m.group(0), column), text, flags=re.I)
    return text, read


# ------------------------------------------------------------------ sibling columns compared
#: a family of columns said as a whole: "which of the five campaigns", "each campaign", "by category",
#: "the campaigns", "any campaign", "at least one campaign"
_WHOLE = r"(?:which(?:\s+of\s+(?:the|our|my)\s+(?:\w+\s+)?)?|what|each|every|all(?:\s+the)?|any(?:\s+of\s+the)?|" \
         r"at\s+least\s+one(?:\s+of\s+the)?|(?:one\s+or\s+more|none)(?:\s+of\s+the)?|by|per|across|compare(?:\s+the)?|" \
         r"the\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+))"
_ANY_OF = re.compile(r"\b(?:at\s+least\s+one|any(?:\s+of\s+the)?|one\s+or\s+more|ever\s+accepted|none\s+of\s+the|"
                     r"(?:no|never\s+(?:accepted|responded\s+to))\s+(?:\w+\s+)?)\b", re.I)
#: the share of a whole: "what percentage of total spend goes to wine", "share of spending on meat"
_OF_TOTAL = re.compile(r"\b(?:percent(?:age)?|share|fraction|proportion|portion|part|%)\b.{0,40}?\b(?:total|all|overall|"
                       r"spend(?:ing)?|spent|money|sales|revenue|purchases)\b|\bgoes\s+to\b|\bgo\s+to\b|\bcomes?\s+from\b",
                       re.I)
#: words that name a family of money columns (mnt_*, amount_*, spend_*) as categories of what is bought
_CATEGORY_WORDS = r"(?:product\s+)?(?:categor(?:y|ies)|product(?:\s+line)?s?|product\s+types?|kinds?\s+of\s+products?)"
_MONEY_PREFIX = frozenset({"mnt", "amt", "amount", "spend", "spent", "sales", "revenue", "total", "sum"})


def _sibling_columns(session: "Session") -> tuple[list[str], set[str]]:
    """The customers table's numeric columns and which of them are 0/1 flags."""
    columns = session._numeric_attributes()
    flags = {c for c, v in session._flags().items() if v == "1"}
    return columns, flags


#: a question of what is bought together (the basket analysis's), said in everyday words
_BASKET_SAID = re.compile(r"\b(?:bought|buy|buys|purchased|ordered|sold|go|goes|paired)\s+(?:\w+\s+)?together\b|"
                          r"\bbundl\w*|\bgo(?:es)?\s+(?:well\s+)?with\b|\bmarket\s+basket\b", re.I)


def siblings_asked(session: "Session", text: str) -> dict | None:
    """A question comparing sibling columns of a wide customers table (``kit.sibling_families``):
    {columns, any_of, focus, said} where it names two or more of them ("total spent on wines vs meat";
    "which brings the most: wines, fruits, meat, fish, sweets or gold"), names the family as a whole
    ("which of the five campaigns had the highest acceptance rate", "spend by product category"), asks
    whether any of its flags is yes ("accepted at least one campaign": ``any_of``) or asks one
    column's share of the family's total ("what percentage of total spend goes to wine": ``focus``).
    None otherwise: one column named alone ("acceptance rate of campaign 3") is that column's."""
    if not session.dataset.has("customers") or _BASKET_SAID.search(text):
        return None  # "which products are bought together": a basket's question, not columns side by side
    columns, flags = _sibling_columns(session)
    from . import kit

    families = kit.sibling_families(columns)
    if not families:
        return None
    low = text.lower()
    best = None
    for family in families:
        words = kit.sibling_words(family)
        named: list[tuple[int, str, str]] = []
        spans = []
        for start, end, column in column_mentions(low, family):
            named.append((start, column, low[start:end]))
            spans.append((start, end))
        whole_names = {c for _, c, _ in named}  # said by their full names, not one distinctive word
        for column, ws in words.items():
            if any(c == column for _, c, _ in named):
                continue
            for w in ws:
                if w.isdecimal() or len(w) < 3:
                    continue
                m = rx.search(r"(?<![\w-])" + re.escape(_singular(w)) + r"(?:s|es)?(?![\w-])", low)
                if m:
                    named.append((m.start(), column, m.group(0)))
                    break
        named.sort()
        members = list(dict.fromkeys(c for _, c, _ in named))
        all_flags = all(c in flags for c in family)
        # the family said as a whole: a word naming its shared part ("campaign" for cmp), after a word
        # that takes them all ("which of the five campaigns", "each campaign", "at least one campaign")
        shared = [p for p in set.intersection(*(set(rx.findall(r"[a-z]+", c.lower())) for c in family))
                  if p not in ("is", "has")]
        whole = None
        money = not all_flags and all(rx.findall(r"[a-z]+", c.lower())[0] in _MONEY_PREFIX for c in family)
        for m in rx.finditer(r"\b(?P<w>[a-z][a-z-]{2,})\b", low):
            word = m.group("w")
            if any(a <= m.start() < b for a, b in spans):
                continue  # "products" of "mnt meat products": a word of one column's name, not the family's
            category = money and rx.match(_CATEGORY_WORDS + r"\b", low[m.start():]) is not None
            fits = category or any(_word_fits(_singular(word), [p], p) for p in shared if len(p) >= 3 and p.isalpha()
                                   and p not in kit.SIBLING_GENERIC) and not _everyday(_singular(word))
            if not fits:
                continue
            before = low[max(0, m.start() - 40):m.start()]
            plural = word.endswith("s") and not word.endswith("ss")
            after = low[m.end():m.end() + 40]
            if rx.search(r"\b" + _WHOLE + r"\s+(?:\w+\s+)?$", before) or plural or \
                    rx.match(r"\s+(?:\w+\s+)?(?:rates|results|figures|totals|sums|shares|numbers)\b", after):
                whole = m.group(0) if not category else rx.match(_CATEGORY_WORDS, low[m.start():]).group(0)
                break
        any_of = bool(all_flags and whole and _ANY_OF.search(low))
        focus: list[str] = []
        if len(members) >= 2:
            chosen = members
        elif whole:
            chosen = list(family)
            focus = members
        elif len(members) == 1 and not all_flags and members[0] not in whole_names and _OF_TOTAL.search(low):
            # "what percentage of total spend goes to wine": one category said by its own word
            chosen, focus = list(family), members
        else:
            continue
        said = ", ".join(s for _, _, s in named) if len(members) >= 2 else (whole or named[0][2])
        stat = "share" if all_flags else "mean" if rx.search(r"\b(?:average|avg|mean|typical(?:ly)?|per\s+customer)\b",
                                                             low) else "sum"
        found = {"columns": chosen, "any_of": any_of, "focus": focus, "said": said, "flags": all_flags, "stat": stat}
        # the tightest family that holds everything named: the first found that is wider loses
        # except one column's share of a total ("what percentage of total spend goes to meat"): of the
        # widest family (every mnt_ column), not the tighter one its name is also in (mnt_*_products)
        # and the family said as a whole by a word both families take ("products": mnt_* as categories,
        # mnt_*_products by their shared word): the widest
        tighter = len(family) > best[2] if best is not None and len(members) <= 1 else \
            best is not None and len(family) < best[2]
        if best is None or len(members) > len(best[1]) or (set(members) == set(best[1]) and tighter):
            best = (found, members, len(family))
    return best[0] if best else None


# ------------------------------------------------------------------ drivers of a yes/no column
#: drivers asked: "what drives X", "what predicts X", "drivers of X", "why do customers X", "what makes customers X"
DRIVERS_ASKED = re.compile(r"\b(?:what|which\s+\w+(?:\s+\w+)?)\s+(?:drives?|predicts?|explains?|influences?|affects?|"
                           r"determines?|impacts?|makes?\s+(?:customers?|people|them)|leads?\s+to)\b|"
                           r"\bdrivers?\s+(?:of|for|behind)\b|\bpredictors?\s+of\b|\bwhy\s+(?:do|does|did|would)\s+"
                           r"(?:customers?|people|they|clients?|some)\b|\bwho\s+is\s+(?:most\s+)?likely\s+to\b", re.I)


def drivers_asked(session: "Session", text: str) -> str | None:
    """The yes/no or 0/1 customers column whose drivers a question asks ("what drives response to the
    campaign": response; "why do customers complain": complain), never the churn flag (churn's own);
    None when no drivers are asked or no such column is named after the words that ask."""
    m = DRIVERS_ASKED.search(text)
    if not m or not session.dataset.has("customers"):
        return None
    flags = [c for c in session._flags() if c != "churned"]
    rest = text[m.start():].lower()
    found = []
    for column in flags:
        name = rx.sub(r"^(?:is|has)_|_(?:flag|yn|yes_no)$", "", column)
        said = column_pattern(name) + r"s?"
        if "_" not in name and len(name) >= 6:  # "complained", "responders", "respond"
            said = f"(?:{said}|{re.escape(name[:-2])}\\w*|{re.escape(name[:-3])}(?:d|ds|ding)?)"
        hit = rx.search(r"(?<![\w-])" + said + r"(?![\w-])", rest)
        if hit:
            found.append((hit.start(), column))
    return min(found)[1] if found else None
