"""Slots: the parameters a question carries in everyday words, extracted by pure functions.

``extract(question, values, end, customers)`` returns what it found: ``top`` ("top 20"), ``k``
("4 segments"), ``grain`` ("monthly", "by quarter"), ``start``/``end`` ("in 2024", "Q3 2023",
"last 6 months", "since March 2023"), ``metric`` ("revenue", "orders", "margin"), ``by``
(dimensions: "by country", "top 10 products"), ``filters`` matched against values that occur in
the data ("in Germany", "for B2B"; also said otherwise: "only Germany" finds "Deutschland",
``read_values``), ``product`` (a product of the data, also misspelt or by one
of its words: "what goes with espreso machine"), ``customer`` (an id the data has: "customer
C000123") and ``segment`` (a saved segment label, or an RFM segment name: "for the champions").
Two different values for one slot ("top 10 ... top 20", "monthly ... by quarter") are reported
in ``conflicts``; the session says so instead of picking one. The router keeps the slots an
analysis's Params has (``product`` and ``segment`` become filters for one that has no such field).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Any
from . import rx

#: a grain's words, in English, short ("mnth", "by moth" typed fast) and in Spanish and Portuguese ("por mes")
_OTHER_GRAIN_WORDS = {"day": r"(?:per|by|por)\s+d[ií]a|diari[oa]s?", "week": r"(?:per|by|por)\s+semana|semanal(?:es|mente)?",
                      "month": r"mnths?|mnthly|(?:per|by)\s+moth|(?:per|by|por)\s+m[eê]s|mensual(?:es|mente)?|mensais",
                      "quarter": r"(?:per|by|por)\s+trimestre|trimestral(?:es|mente)?",
                      "year": r"(?:per|by|por)\s+a[nñ]o|anual(?:es|mente)?|(?:per|by|por)\s+ano"}
GRAINS = {
    "day": r"daily|per day|by day|each day|a day|days?|" + _OTHER_GRAIN_WORDS["day"],
    "week": r"weekly|per week|by week|each week|weeks?|" + _OTHER_GRAIN_WORDS["week"],
    "month": r"monthly|per month|by month|each month|months?|mo|" + _OTHER_GRAIN_WORDS["month"],
    "quarter": r"quarterly|per quarter|by quarter|each quarter|quarters?|qtrs?|" + _OTHER_GRAIN_WORDS["quarter"],
    "year": r"yearly|annual(?:ly)?|per year|by year|each year|years?|yr|" + _OTHER_GRAIN_WORDS["year"],
}
#: a grain's unit written short after a number ("12 mo", "24m", "a 2-yr forecast"): a length of time, no grain
_UNIT_SHORT = {"day": r"d", "week": r"wks?|w", "month": r"mos?|mths?|m", "quarter": r"qtrs?|q", "year": r"yrs?|y"}
#: a grain said outright ("monthly", "by quarter"): two different ones in one question contradict
EXPLICIT_GRAINS = {
    "day": r"daily|(?:per|by|each) day|" + _OTHER_GRAIN_WORDS["day"],
    "week": r"weekly|(?:per|by|each) week|" + _OTHER_GRAIN_WORDS["week"],
    "month": r"monthly|(?:per|by|each) month|" + _OTHER_GRAIN_WORDS["month"],
    "quarter": r"quarterly|(?:per|by|each) (?:quarter|qtr)|" + _OTHER_GRAIN_WORDS["quarter"],
    "year": r"yearly|annual(?:ly)?|(?:per|by|each) year|" + _OTHER_GRAIN_WORDS["year"],
}
#: a grain set aside: "by quarter rather than by month", "quarterly cohorts, monthly is too noisy"
_NOT_GRAIN = re.compile(r"\b(?:rather\s+than|instead\s+of|not)\s+(?:by\s+|per\s+|the\s+)?(?:daily|weekly|monthly|quarterly|"
                        r"yearly|days?|weeks?|months?|quarters?|years?)\b|\b(?:daily|weekly|monthly|quarterly|yearly)\s+"
                        r"(?:is|was|are|gets?|would\s+be)\s+(?:too|very|a\s+bit)\s+\w+|"
                        r"\b(?:these|those|the\s+old|in\s+the\s+early|good\s+old)\s+days\b")  # "these days": now, no grain


def _column_words(canonical: str) -> str:
    """The schema's multi-word names of a sales column ("number of cds", "dollar value"), as a
    regex that also reads them as column names ("number_of_cds"): said in a question, that metric."""
    from .schema import SYNONYMS

    names = [n for n in SYNONYMS["transactions"][canonical] if " " in n]
    return "|".join(r"[\s_]".join(map(re.escape, n.split())) for n in sorted(names, key=len, reverse=True))


#: the slot of a metric that is the data's, not the question's (a customers table alone counts customers)
TABLE_METRIC = "metric_of_the_table"

METRICS = {
    # a charity's words too: donors are its customers, gifts its orders, giving its revenue ("average gift")
    # a wholesaler's "drop" (one delivery's order): "average drop size"
    "aov": r"average order value|aov|avg order value|(?:average|avg|mean|typical)\s+drop(?:\s+size|\s+value)?\b|drop\s+size|(?:average|avg|mean|typical)\s+(?:gift|donation)(?:\s+(?:size|amount|value))?|gift\s+size|basket size(?!\s+in\s+(?:units|items|pieces))|(?<!in an )(?<!in the )(?<!in one )(?<!in a )average basket(?!\s+size\s+in\s+(?:units|items))|deal size|"
           # "what does someone usually spend when they check out", "the usual sum spent on a single visit", "what does a
           # customer typically spend on each occasion": the order's value, said by a novice
           r"(?:usually|typically|normally|generally)\s+spend\w*(?:\s+\w+){0,3}?\s+(?:each|every|per|a\s+single|one|when)\s+"
           r"(?:time|visit|occasion|order|purchase|trip|checkout|they\s+(?:check\s*out|buy|order|shop|come|visit))|"
           r"(?:usual|typical|normal)\s+(?:sum|amount|spend)\s+(?:spent\s+)?(?:on|per|for)\s+(?:a\s+single|one|each|every|an?)\s+"
           r"(?:visit|order|purchase|trip|occasion|sale)|"
           # "what's the average order on the web shop": its value, not a count (not "average orders per
           # customer", "average order frequency")
           r"(?<!in an )(?<!in a )(?<!in the )(?<!in one )(?<!in each )"  # "items in an average order": its units
           r"(?:average|avg|mean|typical)\s+order\b(?!\s+(?:count|number|frequency|rate|per|cycle|interval|gaps?|"
           r"quantity|size\s+in|lines?|items?|units?|days?|times?|lead))|"
           # "avg ticket" (a shop's word for the order's value), not a support ticket's time
           r"(?:average|avg|mean|typical)\s+(?:ticket|check|cheque)(?:\s+size)?(?!\s+(?:resolution|response|time|clos\w*|handling|volume|counts?))|"
           r"(?:average|avg|mean)\s+per\s+(?:order|purchase|transaction)\b|"  # "the média por encomenda"
           r"(?:average|mean|avg|typical)\s+(?:value|amount|worth)\s+(?:of|per)\s+(?:an?\s+|each\s+|the\s+)?(?:orders?|purchases?|deals?)|"
           r"(?:average|mean|typical|avg)\s+(?:deal|order|ticket|purchase|payment|charge|transaction|invoice|sale)\s+"
           r"(?:size|amount|amt|value|val|worth|\$)|"
           r"(?:average|mean|typical)\s+(?:spend|revenue|sales|value|amount|ticket|dollar[_ ]value)\s+(?:per|an?|each)\s+"
           r"(?:order|deal|purchase)|(?:average|typical)\s+order\s+(?:is\s+worth|worth|comes?\s+to)|"
           r"(?:spend|value|amount)\s+per\s+(?:order|deal|trip|visit|transaction|basket|purchase|checkout|membership)|"
           # "avg ACV for healthcare accts", "p95 order value", "median order value"
           r"acv|(?:average|avg|mean)\s+contract\s+value|(?:p\d{2}|median|percentile|typical)\s+order\s+values?|"
           # "do members spend more per visit", "what people spend per transaction": per order
           r"(?:spends?|spent|spending)\s+(?:the\s+(?:clients|customers|people|buyers)\s+)?(?:(?:more|less|most|least)\s+)?"
           r"(?:money\s+)?(?:on\s+average\s+)?"
           r"(?:per|a|each)\s+(?:visit|trip|transaction|"
           r"purchase|basket|receipt|checkout|order)\b|"
           # "avg $ per purchase", "the average amount people spend each time they order", "is the average
           # order bigger on the app"
           r"(?:average|mean|typical)\s+(?:\$|\u00a3|\u20ac|spend|amount)\s+(?:per|a|an|each)\s+(?:order|deal|purchase|"
           r"transaction|basket|sale|checkout)|"
           r"(?:average|mean|typical)\s+(?:amount|spend)\b[\w' ]{0,30}?\beach\s+time\b|"
           r"(?:average|mean|typical)\s+order\s+(?:is\s+)?(?:bigger|larger|smaller|higher|lower)",
    # "sum(amount) - sum(cost)", "revenue less cost of goods": a spreadsheet's profit
    "margin": r"margins?|profits?|profitab\w*|gross profit|(?:sum\(\s*)?(?:amount|revenue|sales)\s*\)?\s*(?:-|minus|less)\s*"
              r"(?:the\s+)?(?:sum\(\s*)?(?:cost|cogs)\b",
    # "how many coffee grinders did we sell": units; "order volume" is orders; "number_of_cds": the
    # data's units column by its name
    "quantity": r"units|quantity|quantities|pieces|(?<!order )(?<!orders )(?<!deal )(?<!deals )volume|"
                r"how many\b(?!\s+(?:orders?|deals?|purchases?|baskets?|parcels?|packages?)\b)[\w' -]{0,40}?\b(?:sell|sold|shift|"
                r"shifted|ship|shipped|move|moved|went\s+out(?:\s+the\s+door)?)\b|"
                r"(?:items|units|pieces|cds|bottles)\s+(?:(?:are|is|go|come)\s+)?(?:per|an?|each|in\s+(?:an?|one|each|the)"
                r"(?:\s+(?:average|avg|typical|usual))?)\s+"
                r"(?:order|basket|purchase|trip|transaction)|"
                r"basket\s+size\s+in\s+(?:units|items|pieces)|"
                # "how many CDs do people buy each time", "how many items do people put in one basket"
                r"how\s+many\s+(?:cds|items|units|pieces|products|things|copies)\s+(?:do|does|did)\s+(?:people|customers|"
                r"they|buyers|shoppers|members)\s+(?:usually\s+|typically\s+|normally\s+)?(?:buy|put|get|purchase|order)|"
                r"(?:cds?|units|items|pieces|copies)\s+(?:sold|shifted|shipped|moved|vendid[oa]s|vendus|venduti|verkauft|"
                r"terjual)|"
                # "total CDs per quarter", "number of CD by quarter", "jumlah CD": the units counted
                r"(?:number|no\.?|count|total|jumlah|n[uú]mero|nombre|anzahl)\s+(?:of\s+|de\s+|d'|der\s+)?"
                r"(?:cds?|units|pieces|copies)\b(?!\s+(?:sales|revenue|spend\w*|turnover|income|value))|"
                r"\bcds?\s+(?:per|by|each|every|a|al|par|por|pro)\s+"
                r"(?:month|mese|mois|mes|monat|quarter|trimest\w*|week|year|day)|" + _column_words("quantity"),
    # a shop's takings, a subscription's charges, a CRM's bookings and deal value
    "revenue": r"revenue|sales(?! (?:channels|reps?|team|agents?|people|staff|calls?|meetings?|stages?|managers?|funnel|"
               r"process|cycles?)\b)|"
               # "what was the sale on 18th oct", "sale split by category" (the takings; not "on sale", "sale price"),
               # "which products sell less", "Camping Tent sells between june and august" (not "sells best", a
               # ranking of its own, nor "sells well alongside")
               r"(?<!on )(?<!for )(?<!a )sale(?!\s+(?:price|prices|items?|events?|period|season|days?|tags?|signs?|racks?|"
               r"sections?|stock|products?|reps?|channel)\b)|sells?\s+(?:the\s+)?(?:less|more|most|least|worst|better|worse)\b|"
               r"sells(?=\s+(?:between|in|during|from|since|over|per|each|by|last|this)\b|\s*(?:$|[?.!,]))|"
               r"turnover|takings|spend|spends|spending|income|money|sold|earn\w*|amounts?|amt|gmv|total value|"
               # "which countries bring in the most cash", "platform vs add-on, which brings in more" (not a way to pay)
               r"(?<!in )(?<!by )(?<!with )(?<!paid )(?<!pay )(?<!pays )cash(?!\s*(?:flow|on\s+delivery|payments?|back|"
               r"customers?|buyers?))|(?:brings?|brought|bringing)\s+in\s+(?:the\s+)?(?:most|more|less|least)(?!\s+"
               r"(?:customers?|clients?|orders?|people|users?|visitors?|members?|units|deals?|leads?|sign[- ]?ups?|purchases?|"
               r"transactions?|baskets?|trips?|memberships?|subscriptions?|bookings?|tickets?))|"
               r"how\s+much\s+did\s+(?:[\w-]+\s+){0,3}?(?:take|do|book|bring\s+in|sell)|what\s+did\s+(?:[\w-]+\s+){0,3}?(?:sell|book)|"
               r"(?:total |monthly )?charges|billing|billed|bookings|booked|(?:deal|pipeline) value|value of (?:the )?deals|"
               r"h(?:o)?w much (?:did|have|has) (?:we|they|the team) (?:close|closed|book|booked)|"
               r"(?:dollars?|pounds?|euros?|quid|bucks|money|amount)\s+(?:they\s+|we\s+)?spent|"
               r"h(?:o)?w much\b[\w' -]{0,30}?\b(?:sell|make|made|bring in|brought in|take in|took in|bought|buy|purchased|"
               r"spent|spend|paid|pay|taken|turn(?:ed)? over|"
               r"give|gave|donate|donated|contribute|contributed|raise|raised)|"
               r"(?:total|annual|their|our|cumulative)\s+giving|giving\s+(?:by|per|from|in|across)|"
               # "how much business did we do with them", "kitna business hua": the sales, not business customers
               r"h(?:o)?w\s+much\s+(?:[\w-]+\s+){0,2}?business\b(?!\s+(?:customers?|clients?|accounts?|buyers?|users?))|"
               r"gift\s+(?:income|amounts?|revenue|value)|(?:total|amount|money)\s+raised|"
               r"closed[- ]won(?!\s+(?:deals?|opportunit\w+|count))|"
               # "total dollars in 1997", "what did we turn over since july", "our biggest month ever"
               # (what a value said took in: its words are blank here; not "what did the spring campaign bring in")
               r"dollars|bucks|quid|what\s+did\s+(?:[\w-]+\s+){0,3}?turn\s+over|"
               r"what\s+did\s+(?:[\w-]+\s+)?(?:bring\s+in|take\s+in|make|earn)\b|"
               # "top line", "monthly run rate", "show me pipe by stage", "15 biggest deals", "sum of the won deals",
               # "how much came in through the website"
               r"top[- ]?line|run[- ]?rate|(?<![\w-])pipe(?![\w-])|(?:biggest|largest)\s+(?:\d+\s+)?deals?|"
               r"sum\s+(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+)?(?:deals|orders|sales)|how\s+much\s+(?:money\s+)?(?:came|comes|come|"
               r"has\s+come|have\s+come)\s+in|"
               r"(?:biggest|strongest|weakest)\s+(?:month|week|day|quarter|year)s?|"
               + _column_words("amount"),
    # how many customers (accounts, in a CRM) before "orders": "how many accounts had a deal in 2024"
    "customers": r"(?:(?:number of|no\.? of|how many(?: of (?:the|our|my|them|those))?|counts? of|# of|new|active|nunique)"
                 r"(?: (?!customers?\b|clients?\b)[a-z0-9-]+)?|"
                 r"(?:the\s+)?(?:most|fewest|more|fewer|least)|"
                 r"(?:unique|distinct|different)(?: [a-z]+)?) (?:customers?|"
                 r"clients?|buyers?|shoppers?|people|accounts?|accts?|custs?|subs|subscribers?|members?|users?|visitors?|logos|"
                 r"donors?|supporters?|punters|patrons|guests|consumers|households|men|women|males|females|blokes|"
                 r"ladies|gents|seniors|heads|folks?|peeps|ppl|souls|"
                 r"customer_?ids?|visitor_?ids?)|(?:customers?|accounts?|clients?|custs?|subs|subscribers?|members?|users?) "
                 r"counts?|sign[- ]?ups|registrations|"
                 r"how many (?:people|persons|of them) (?:bought|ordered|purchased|shopped)|"
                 # "how many are month to month", "how many have fiber optic", "how many pay by electronic check"
                 r"how many (?:are|were|have|has|had|use|used|pay|paid|live|come|came|on)\b|how many (?:they|there) are\b|"
                 # "fiber customers on month to month, how many", "the accounts in Healthcare, how many are they?"
                 r"\b(?:customers|clients|accounts|subs|subscribers|members|folks|people)\s+how\s+many\b|"
                 r"\b(?:customers|clients|accounts|subs|subscribers|members|folks|people)\b[^?.]{0,60},\s*how many"
                 r"(?:\s+(?:are\s+(?:they|there)|they\s+are|are))?\s*[?!.]*\s*$|"
                 r"(?:customer|client|member|subscriber|account|user)\s+numbers?(?!\s*[#:]?\s*[a-z]*\d)|"
                 # "# clients by payment method", "total subs on the book"
                 r"(?:(?<=#)|(?<=#\s))(?:customers|clients|accounts|accts|subs|subscribers|users|members)\b|"
                 r"total\s+(?:subs|subscribers|customers|clients|accounts|members|users)\b(?!\s+(?:revenue|sales|spend|"
                 r"value|charges|orders|purchases|deals))|"
                 r"\b(?:split|breakdown|distribution|mix)\s+(?:for|of|across|among)\s+(?:the\s+|our\s+|all\s+)?(?:[a-z]+\s+)?"
                 r"(?:customers|clients|members|subscribers|subs)\b|"
                 r"accounts? (?:per|in each|for each)\b|"
                 # "customers by contract type", "custs per payment method", "sub count by payment method"
                 r"^(?:(?:the|our|all)\s+)?(?:customers?|clients?|custs?|accounts?|subs|subscribers?|members?|buyers?|"
                 r"users?)\s+(?:by|per|across)\b|"
                 r"(?:customers?|clients?|custs?|subs?|subscribers?)\s+count\b|(?:the|total|just|our|a)\s+head\s?count\b|"
                 r"count\s+(?:the\s+|all\s+|our\s+)?(?:customers|clients|accounts|members|subscribers|donors|users)\b|"
                 r"^(?!.*\b(?:orders?|deals?|purchases?|transactions?|units?|baskets?)\b).*\bcount\s+only\b|"
                 # "the gender breakdown of customers", "split of payment methods across the base"
                 r"(?:breakdown|split|distribution|mix|composition|make-?up) of (?:the |our |all )?(?:customers|clients|accounts|"
                 r"members|subscribers|subs|"
                 r"custs|shoppers|users|donors)|(?:daily|weekly|monthly|unique|total|returning)\s+visitors|"
                 r"visitors\s+(?:by|per|each|a|in|over)\b|"
                 r"across (?:the|our|my) (?:whole |entire )?(?:customer )?base",
    # "first purchase", "repeat orders", "last order" name an event, not the orders metric; a CRM's
    # deals are its orders
    # a supermarket's "trips" (shopping visits)
    "orders": r"(?<!first )(?<!repeat )(?<!last )(?:orders?|purchases?|transactions?|deals?|donations?|(?<!road )trips?|invoices?|"
              r"gifts?(?!\s*(?:cards?|wrap\w*|sets?|box\w*|baskets?|vouchers?|certificates?|bags?|shop|ideas?)\b))|"
              r"(?:how many|number of|no\.? of|count of|# of|n)\s+(?:shopping\s+)?(?:baskets|carts|trolleys)",
}
DIMENSIONS = {
    "product": r"products?(?!\s+(?:lines?|categor(?:y|ies)|groups?|types?|famil(?:y|ies))\b)|items?|skus?|articles?|"
               r"best[- ]?sellers?|top[- ]?sellers?|(?:best|top)\s+\d+\s+sellers?|(?<=most common )(?:stuff|things?)|(?<=most popular )(?:stuff|things?)|"
               # "biggest selling thing in Kitchen", "the best selling things"
               r"(?<=biggest selling )things?|(?<=best selling )things?|(?<=top selling )things?|"
               # "which goods are bought most", "which of my things sell the most", "what stuff sells best"
               r"goods|(?<=which )(?:things|stuff)|(?<=what )(?:things|stuff)|(?<=of my )(?:things|stuff)|"
               r"(?<=of our )(?:things|stuff)",
    "category": r"categor(?:y|ies)|product lines?|departments?",
    "country": r"countr(?:y|ies)|nations?|markets?",
    "region": r"regions?|territor(?:y|ies)|areas?|states?",
    "channel": r"channels?|traffic\s+sources?|sources?\s+of\s+traffic",
    "customer": r"customers?|clients?|buyers?|accounts?|donors?|members?|shoppers?|patrons|subscribers?",
    # "profit per segment", "which rfm segment is most profitable": the saved segments (made first when none are)
    "segment": r"(?:rfm\s+|customer\s+|cust\s+)?segments?",
    # not "each time they order", "every time", "at a time"
    "period": "|".join(GRAINS.values()) + r"|periods?|time(?!\s+(?:they|we|you|people|someone|somebody|customers?|"
              r"he|she|i)\b)|over time|trend",
}
#: a breakdown said as the groups apart: "for the different age groups", "across all the various categories" ("each
#: of the regions" is "each region" by then: ``each_of_them``)
_GROUPS_APART = (r"\b(?:(?:the|our|my|all\s+the)\s+(?:different|various|separate|individual|respective)|"
                 r"(?:different|various)(?=\s+\w+(?:s|ies|groups?|bands?)\b))\s+")
#: a measure said as what rows are ranked on: "(products) by revenue", "(customers) on gross profit", "(categories)
#: in terms of units sold"
_RANKED_ON = re.compile(r"\s+(?:by|on|in\s+terms\s+of|ranked\s+by|sorted\s+by|according\s+to)\s+(?:the\s+|their\s+|its\s+|"
                        r"total\s+|net\s+|gross\s+)*(?:revenue|sales|turnover|takings|spend\w*|gmv|profits?|margins?|"
                        r"units|quantity|volume|orders|income|money|value|amounts?|sum\(|dollar\w*)\b")
#: the breakdowns a plural said after "show me the", "list our" asks for: one row each ("show me the
#: countries"); not the customers (a list of them), the segments (a segmentation) or periods
_LISTED = ("product", "category", "country", "region", "channel")
#: a breakdown by where the date falls in a repeating cycle (kit.CYCLES): not a grain ("day of the
#: week" is seven groups, not one per day)
#: "weekends vs weekdays", "at the weekend than during the week", "on Saturdays compared with other days"
_VERSUS = r"\s+(?:vs\.?|versus|and|or|than|against|compared\s+(?:to|with)|over)\s+(?:(?:on|at|in|during|over)\s+)?(?:the\s+)?"
CYCLE_WORDS = {  # the parts of the week first: "weekends vs weekdays" is two groups, not seven weekdays
    # "weekends busier than weekdays": a comparative between
    "part_of_week": r"week\s?ends?(?:\s+[a-z]+er)?" + _VERSUS + r"(?:week\s?days?|(?:the\s+)?(?:rest\s+of\s+the\s+)?week)|"
                    r"week\s?days?(?:\s+[a-z]+er)?" + _VERSUS + r"week\s?ends?|week\s?day\s*(?:/|-|vs\.?)\s*week\s?end|"
                    r"week\s?end\s*(?:/|-|vs\.?)\s*week\s?day|parts?\s+of\s+(?:the\s+)?week",
    "weekday": r"days?\s+of\s+(?:the\s+)?week|day-of-week|week\s?days?|dow|"
               r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?" + _VERSUS + r"(?:(?:any\s+|the\s+)?other|rest\s+of\s+the)\s+(?:days?|week)",
    "hour": r"(?:by|per|each|every)\s+(?:the\s+)?(?:(?:hour|time)s?\s+of\s+(?:the\s+)?day|hour)|"
            r"(?:hour|time)s?\s+of\s+(?:the\s+)?day|hour-of-day|hourly|"
            # "in the morning or the evening", "mornings vs afternoons": the hours, set side by side
            r"(?:morning|afternoon|evening|night)s?" + _VERSUS + r"(?:morning|afternoon|evening|night)s?\b|"
            # "our busiest hours", "which hour is quietest", "peak hours": hours of the day ranked
            r"(?<=busiest\s)hours?|(?<=quietest\s)hours?|(?<=slowest\s)hours?|peak\s+hours?|"
            r"(?:which|what)\s+hours?(?=\s+(?:is|are|was|were|do|does|did|has|have|brings?|sees?|gets?)\b)",
}
#: "on weekends", "at the weekend", "weekdays only", "on Saturdays": a scope on where a line's date
#: falls in the week (kit.CYCLES's groups), not a breakdown ("weekends vs weekdays") nor a date
_ON_CYCLE = r"(?:(?:just|only)\s+(?:on\s+|at\s+|over\s+|during\s+|in\s+)?|(?:on|at|over|during|in)\s+)(?:the\s+)?"
_NOT_VERSUS = r"(?!" + _VERSUS + r")"


def cycle_scope(t: str) -> tuple[dict[str, list[str]], str]:
    """The filter a question's "on weekends" / "on weekdays" / "on Saturdays" makes ({"part_of_week":
    ["weekend (Sat-Sun)"]}, {"weekday": ["Saturday"]}) and the words read; ({}, "") when none."""
    from .kit import WEEK_PARTS, WEEKDAYS

    for part, pattern in ((WEEK_PARTS[1], r"week\s?ends?"), (WEEK_PARTS[0], r"week\s?days?")):
        m = rx.search(r"\b(?:" + _ON_CYCLE + r"(?:" + pattern + r")|(?:" + pattern + r")\s+only)\b" + _NOT_VERSUS, t)
        if m and rx.search(r"\b(?:i'?ll|i\s+will|i'?m|we'?ll|read|look|go\s+through|check|review|print|skim)\b[^.?!]{0,30}$",
                           t[:m.start()]):
            continue  # "I'll read it over the weekend": when the asker reads it, not the sales of weekends
        if m and not rx.search(_VERSUS + r"$", t[:m.start()]):
            return {"part_of_week": [part]}, m.group(0)
    # "in the afternoon", "on weekday mornings": the hours of that part of the day, said hour by hour in
    # the answer (morning 06-11, afternoon 12-17, evening 18-23, night 00-05)
    m = rx.search(r"\b(?:(?:in|during)\s+the\s+(morning|afternoon|evening)|(?:on|in)\s+(?:\w+\s+)?(morning|afternoon|evening)s"
                  r"|at\s+(night))\b" + _NOT_VERSUS, t)
    if m:
        first = {"night": 0, "morning": 6, "afternoon": 12, "evening": 18}[next(g for g in m.groups() if g)]
        return {"hour": [f"{h:02d}:00" for h in range(first, first + 6)]}, m.group(0)
    days = "|".join(d.lower() for d in WEEKDAYS)
    m = rx.search(r"\bon\s+(" + days + r")s\b" + _NOT_VERSUS, t)  # plural: "on Saturdays", not "on Saturday"
    if m:
        return {"weekday": [m.group(1).capitalize()]}, m.group(0)
    return {}, ""


MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | \
    {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {"sept": 9}
_MONTHS_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
#: what may follow a month's three letters in a word: the rest of its name, with letters left out as people
#: type them ("septmber", "febuary"), or the German, French, Spanish and Italian names that start alike
#: ("januar", "octubre"); so "market", "maybe", "decent" or "junk" name no month ("win rate for mid market
#: last year" was March of last year)
#: words that set one period against another: "from A to B" is then two periods, not one span
_SET_AGAINST = re.compile(r"\b(?:compar\w*|improv\w*|chang\w*|grow\w*|grew|drop\w*|fell|fall|rose|rise|differ\w*|vs\.?|"
                          r"versus|against|better|worse|up\s+or\s+down|increas\w*|decreas\w*|declin\w*|moved?)\b")


def _month_tail() -> str:
    def loose(rest: str) -> str:  # each letter of the rest of the name may be left out, in order
        return "".join(f"{c}?" for c in rest)
    tails = {"jan": ["uary", "uar", "vier"], "feb": ["ruary", "ruar", "rero"], "mar": ["ch", "s", "z", "zo"],
             "apr": ["il", "ile"], "jun": ["e", "i", "io"], "jul": ["y", "i", "io"], "aug": ["ust", "usti", "usto"],
             "sep": ["tember", "tembre", "tiembre"], "oct": ["ober", "obre", "ubre"], "nov": ["ember", "embre", "iembre"],
             "dec": ["ember", "embre"]}
    return "(?:" + "|".join(f"(?<={m})(?:{'|'.join(forms[1:] + [loose(forms[0])])})" for m, forms in tails.items()) + \
        r")?(?![a-z])"


_MONTH_TAIL = _month_tail()
_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
              "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-five": 25,
              "thirty": 30, "thirty-six": 36, "forty": 40, "forty-eight": 48, "fifty": 50, "sixty": 60,
              "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "one hundred": 100}
_NUM = r"(\d+|" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True)) + r")"
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _int(token: str) -> int:
    return _NUM_WORDS.get(token.lower(), None) or int(token)


#: a length of time in everyday words: "90 days", "6 months", "six months", "a whole year",
#: "a year", "two years", "half a year", "a fortnight" (``days``/``months`` convert it). For
#: analyses' phrases: ``r"\binactive for (" + DURATION + r")"``.
DURATION = (r"(?:(?:\d+\+?|" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True)) + r"|an?)\s*(?:whole\s+|full\s+|entire\s+)?(?:days?|weeks?|months?|years?)"
            r"|half\s+a\s+year|a\s+fortnight)")
_DAYS_PER = {"d": 1, "w": 7, "m": 30, "y": 365}


def _duration(value: Any) -> tuple[int, str] | None:
    """(count, unit letter d/w/m/y) of a DURATION text, None for anything else."""
    if not isinstance(value, str):
        return None
    t = " ".join(value.lower().replace("+", " ").split())  # "120+ days": 120
    if t == "half a year":
        return 6, "m"
    if t == "a fortnight":
        return 2, "w"
    m = rx.fullmatch(r"(\d+|" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True)) + r"|an?|(?:the\s+)?(?:last|past))\s*"
                     r"(?:whole\s+|full\s+|entire\s+)?(day|week|month|year)s?", t)
    if not m:
        return None
    n = 1 if m.group(1) in ("a", "an") or rx.search(r"last|past", m.group(1)) else _int(m.group(1))  # "the last year": one
    return n, m.group(2)[0]


def days(value: Any) -> Any:
    """A DURATION in days ("6 months" -> 180, "a whole year" and "12 months" -> 365, "two weeks" -> 14); any
    other value unchanged (for a ``field_validator(mode="before")``)."""
    d = _duration(value)
    if d and d[1] == "m" and d[0] % 12 == 0:  # "12 months", "24 months": whole years, 365 days each
        return d[0] // 12 * 365
    return d[0] * _DAYS_PER[d[1]] if d else value


def months(value: Any) -> Any:
    """A DURATION in months ("two years" -> 24, "18 months" -> 18, "a year" -> 12); days and weeks
    are not whole months and stay as given (validation then says so)."""
    d = _duration(value)
    return d[0] * {"m": 1, "y": 12}[d[1]] if d and d[1] in "my" else value


#: words for no product in particular: "does soda pair with anything", "bought with other items"
_ANYTHING = r"anything|something|everything|else|stuff|items?|products?|things?|others|other\s+(?:items?|products?|things?|stuff)"
#: "does soda pair with anything", "is coffee bought together with anything in particular": the
#: product is the subject (group 1, up to three words)
SUBJECT_WITH_ANYTHING = (r"\b(?:is|are|does|do|did)\s+(?:the\s+|a\s+|an\s+)?([a-z][\w'&/-]*(?:\s+[a-z][\w'&/-]*){0,2}?)\s+"
                         r"(?:\w+ly\s+)?(?:get\s+|gets\s+|being\s+)?(?:bought|purchased|sold|paired|pair|go|goes|combined)\s+"
                         r"(?:together\s+|along\s+|well\s+)?with\s+(?:" + _ANYTHING + r")\b")
#: "what goes with beer", "which items are bought with yogurt", "what goes well with whole milk",
#: "what to recommend with the espresso machine": group 1 is the product asked about (up to four
#: words; a pronoun, a period or a rule measure ends it). For the basket analysis's phrases.
WITH_PRODUCT = (r"\b(?:go(?:es)?|going|pairs?|paired|pairing|bought|buy|buys|buying|purchased|sold|sells?|recommend\w*|"
                r"suggest\w*|combined?|together)\s+(?:well\s+|best\s+|together\s+|along\s+|alongside\s+)?with\s+"
                r"(?:a\s+|an\s+|the\s+|our\s+|some\s+|my\s+)?"
                r"((?!(?:it|that|this|them|those|these|what|which|whatever|each|one|lift|support|confidence|" + _ANYTHING + r")\b)"
                r"[a-z][\w'&/-]*"
                r"(?:\s+(?!(?:in|for|during|since|by|among|at|from|on|over|last|this|per|and|or|customers?|orders?|"
                r"baskets?|most|often|the|than|with|to)\b)[a-z0-9][\w'&/-]*){0,3})")

#: a word that neither begins nor continues a product's name said in a pair ("how often are beer and ...")
_NOT_ITEM = (r"(?:and|or|with|both|the|a|an|our|my|are|is|was|were|do|does|did|how|often|what|which|who|many|much|"
             r"share|percent\w*|of|in|on|at|for|baskets?|orders?|carts?|receipts?|transactions?|customers?|people|"
             r"shoppers?|buyers?|bought|buy|buys|purchased?|sold|ordered|get|gets|got|together|same|have|has|had|"
             r"contains?|holds?|show|appear|go|goes|there|times?|we|they|you|that|this|these|those|usually|ever|"
             r"also|then|than|vs|versus|more|most|less|along|alongside|well|best|good|nicely|together)")
_ITEM = (r"(?!" + _NOT_ITEM + r"\b)[a-z][\w'&/.-]*(?:\s+(?!" + _NOT_ITEM + r"\b)[a-z0-9][\w'&/.-]*){0,3}")
_FEWEST_ITEM = _ITEM + "?"  # as few words as leave the rest a match ("croissant", then "end up together")
#: two products asked about as a pair (groups 1 and 2), for the basket analysis's phrases: "both whole milk
#: and yogurt" ...
BOTH_PRODUCTS = (r"\bboth\s+(?:the\s+|an?\s+)?(" + _FEWEST_ITEM + r")\s+(?:and|&|\+)\s+(?:the\s+|an?\s+)?(" + _ITEM
                 + r")")
#: ... "beer and sausage bought together", "whole milk and yogurt in the same basket" (a verb before
#: "together": "Electronics + Beauty together" sums two categories, "by gender and country together" is two
#: breakdowns) ...
PRODUCTS_TOGETHER = (r"\b(" + _FEWEST_ITEM + r")\s+(?:and|&|\+|with)\s+(?:the\s+|an?\s+)?(" + _FEWEST_ITEM + r")\s+(?:(?:are|is|"
                     r"were|was|get|gets|got)\s+)?(?:\w+ly\s+)?(?:(?:bought|purchased|sold|ordered|found|appear|show\s+up|"
                     r"go|end\s+up)\s+together|in\s+the\s+same\s+(?:baskets?|orders?|carts?|transactions?|receipts?))\b")
#: ... "baskets with whole milk and yogurt", "orders holding coffee and filters" ...
BASKETS_WITH_TWO = (r"\b(?:baskets?|orders?|carts?|receipts?)\s+(?:with|holding|containing|that\s+(?:have|hold|contain))\s+"
                    r"(?:both\s+)?(?:the\s+|an?\s+)?(" + _FEWEST_ITEM + r")\s+(?:and|&|\+)\s+(?:the\s+|an?\s+)?(" + _ITEM + r")")
#: ... "do people buy rolls/buns with sausage"
BUY_PRODUCT_WITH = (r"\b(?:buy|buys|bought|purchase[sd]?|order|orders|ordered|get|gets)\s+(?:the\s+)?(" + _FEWEST_ITEM
                    + r")\s+(?:with|along\s+with|together\s+with)\s+(?:the\s+|a\s+|an\s+)?(" + _ITEM + r")")


#: things a question counts: "n" said before them is "the number of" ("n customers by contract")
COUNTED = r"(?:customers|clients|accounts|orders|deals|subscribers|users|visitors|sessions|baskets|buyers|donors|transactions)"
#: what follows "6 aydır" (for 6 months) when nothing was bought: "hiç sipariş vermeyen", "bişey almayan"
_TR_NOT_BOUGHT = (r"\s+(?:hi[çc]\s+)?(?:bi[şs]ey\s+|hi[çc]bir\s+[şs]ey\s+)?(?:sipari[şs]\s+verme(?:yen|mi[şs])\w*|"
                  r"al[ıi][şs]veri[şs]\s+yapma(?:yan|m[ıi][şs])\w*|almayan\w*|almam[ıi][şs]\w*|gelmeyen\w*)")
#: Turkish month names (ASCII or not) with the endings that say "from" and "to" ("ocak'tan", "aralık'a kadar")
_TURKISH_MONTHS: dict[str, str] = {}
for _stem, _month in (("ocak", "january"), ("[şs]ubat", "february"), ("mart", "march"), ("nisan", "april"),
                      ("may[ıi]s", "may"), ("haziran", "june"), ("temmuz", "july"), ("a[ğg]ustos", "august"),
                      ("eyl[üu]l", "september"), ("ekim", "october"), ("kas[ıi]m", "november"), ("aral[ıi]k", "december")):
    _TURKISH_MONTHS[_stem + r"'?(?:dan|den|tan|ten)(?:\s+(?:beri|itibaren))?"] = "from " + _month
    _TURKISH_MONTHS[_stem + r"'?(?:ya|ye|a|e)(?:\s+kadar)?|" + _stem + r"'?(?:\w+)?\s+kadar"] = "to " + _month
    _TURKISH_MONTHS[_stem + r"(?:'\w+)?"] = _month
#: French inactivity said by its length ("qui n'ont plus rien commandé depuis 90 jours", "pas racheté depuis un an",
#: "sans nouveau deal depuis 9 mois"): inactive that long, not a period since
_FRENCH_NOT_BOUGHT = (r"(?:(?:qui\s+)?(?:n'ont\s+|n'a\s+|ont\s+|a\s+)?(?:pas|plus|jamais|rien)\s+(?:rien\s+|aucun\s+|de\s+|d')?"
                      r"(?:re|r)?(?:command[eé]|achet[eé]|sign[eé]|pass[eé]\s+(?:de\s+)?commande)(?:\s+(?:rien|aucun|aucune|de|"
                      r"d'|un|une|nouveau|nouvelle))?(?:\s+(?:deals?|commandes?|achats?|contrats?))?|sans\s+(?:nouveau\s+|"
                      r"nouvelle\s+|aucun\s+|aucune\s+)?(?:deal|commande|achat|contrat)s?)\s+depuis\s+")
_FRENCH_INACTIVE = {_FRENCH_NOT_BOUGHT + r"(?:un|1)\s+an": "not ordered in a year",
                    _FRENCH_NOT_BOUGHT + r"(\d+)\s+mois": r"not ordered in \1 months",
                    _FRENCH_NOT_BOUGHT + r"(\d+)\s+jours": r"not ordered in \1 days",
                    _FRENCH_NOT_BOUGHT + r"(\d+)\s+semaines": r"not ordered in \1 weeks",
                    _FRENCH_NOT_BOUGHT + r"(\d+)\s+ans": r"not ordered in \1 years"}
#: shorthand people type, spelt out before anything reads the question (slots and the router
#: alike): "rev by month last yr", "custs inactive > 1yr", "120-day window", "hasnt ordered"
ABBREVIATIONS = {
    r"yrs?": "year", r"rev": "revenue",
    # a newcomer's grain and lengths: "sales every 3 months", "the takings for each three months" (quarterly); "not bought
    # for half of year" (half a year, not the first half); Ukrainian and Russian sales and orders in Latin or Cyrillic letters
    r"(?:for\s+)?(?:every|each)\s+(?:3|three)\s+months": "quarterly",
    r"(?<!first )(?<!second )(?<!1st )(?<!2nd )(?<!the )half\s+of\s+(?:a\s+)?year": "half a year",
    r"prodazh\w*|prodaj\w*|продаж\w*": "sales", r"zamovlen\w*|zakaz\w*|замовлен\w*|заказ\w*": "orders",
    r"skilky|skolko|скільки|сколько": "how many",
    # Greek, in its letters (with or without accents) or in Latin ones (Greeklish), mixed into English or written whole
    # ("πωλήσεις ανά μήνα πέρσι", "tziros persi vs fetos", "posoi pelates", "τους τελευταίους 6 μήνες", "μέση αξία
    # παραγγελίας", "δεν έχουν αγοράσει τίποτα εδώ και 6 μήνες", "για τους επόμενους 12 μήνες")
    r"δεν\s+(?:έχουν\s+|εχουν\s+|έχει\s+|εχει\s+)?(?:αγορ|ψων|παραγγ)\w*\s+(?:τίποτα\s+|τιποτα\s+)?(?:εδώ\s+και|εδω\s+και|για|τους\s+"
    r"τελευταίους|τους\s+τελευταιους)\s+(\d+)\s+μ[ήη]ν\w*": r"not bought in \1 months",
    r"(?:για\s+|gia\s+)?(?:τους\s+|tous\s+)?(?:επόμεν|επομεν|epomen)\w*\s+(\d+)\s+(?:μ[ήη]ν\w*|mines|mhnes)": r"next \1 months",
    r"(?:τους\s+|tous\s+|τις\s+|tis\s+)?(?:τελευταί|τελευται|teleutai|teleftai)\w*\s+(\d+)\s+(?:μ[ήη]ν\w*|mines|mhnes)":
        r"last \1 months",
    r"(?:τους\s+|tous\s+|τις\s+|tis\s+)?(?:τελευταί|τελευται|teleutai|teleftai)\w*\s+(\d+)\s+(?:ημέρ\w*|ημερ\w*|μέρ\w*|μερ\w*|meres)":
        r"last \1 days",
    r"(?:τις\s+)?(?:τελευταί|τελευται)\w*\s+(\d+)\s+εβδομάδ\w*|(?:τελευταί|τελευται)\w*\s+(\d+)\s+εβδομαδ\w*": r"last \1\2 weeks",
    r"(?:τον\s+|ton\s+)?(?:προηγούμενο|προηγουμενο|περασμένο|περασμενο|proigoumeno|perasmeno)\s+(?:μήνα|μηνα|mina|mhna)":
        "last month",
    r"(?:το\s+)?(?:προηγούμενο|προηγουμενο|περασμένο|περασμενο)\s+τρίμηνο|(?:το\s+)?(?:προηγουμενο|περασμενο)\s+τριμηνο":
        "last quarter",
    r"(?:τον\s+)?(?:αυτό\s+τον|αυτο\s+τον|αυτόν\s+τον|τρέχοντα|τρεχοντα)\s+μ[ήη]να": "this month",
    r"π[έε]ρυ?σι|persi|perisi|perysi|perusi": "last year", r"φ[έε]τος|fetos": "this year",
    r"σε\s+σ(?:ύ|υ)γκριση\s+με|σε\s+σχ[έε]ση\s+με|se\s+sxesi\s+me|se\s+sygkrisi\s+me": "compared to",
    r"σ[ύυ]γκρι\w*|sygkrisi|sigkrisi|sygkrine": "compare",
    r"μ[έε]ση\s+αξ[ίι]α\s+παραγγελ[ίι]\w*|mesi\s+aksia\s+paraggelias": "average order value",
    r"(?:πρώτο|πρωτο|1ο)\s+εξ[άα]μηνο": "first half", r"(?:δεύτερο|δευτερο|2ο)\s+εξ[άα]μηνο": "second half",
    r"(?:τον\s+)?(?:τελευτα[ίι]ο|προηγο[ύυ]μενο)\s+μ[ήη]να": "last month", r"(?:το\s+)?τελευτα[ίι]ο\s+τρ[ίι]μηνο": "last quarter",
    r"καθ[άα]ρισε\s+(?:τα\s+)?φ[ίι]λτρα|katharise\s+(?:ta\s+)?filtra|(?:σβ[ήη]σε|βγ[άα]λε)\s+(?:τα\s+)?φ[ίι]λτρα": "reset filters",
    r"φ[ίι]λτρα|filtra": "filters", r"κορυφα[ίι]\w*|koryfai\w*|korufai\w*": "top", r"ilikia|ilikies": "age",
    r"αν[άα]\s+μ[ήη]να|ana\s+(?:mina|mhna)|μηνιαί\w*|μηνιαι\w*": "by month",
    r"αν[άα]\s+εβδομ[άα]δα|ana\s+evdomada|εβδομαδιαί\w*|εβδομαδιαι\w*": "by week",
    r"αν[άα]\s+τρ[ίι]μηνο|ana\s+trimino": "by quarter", r"αν[άα]\s+(?:έτος|ετος|χρόνο|χρονο)|ετήσι\w*|ετησι\w*": "by year",
    r"αν[άα]|ana(?=\s+(?:kanali|xora|xwra|proion|pelati|katigoria|kathgoria|perioxi|category|product|customer|country|channel))":
        "by",
    r"πωλ[ήη]σ\w*|poliseis|polisi|pwlhseis": "sales", r"πουλ\w*|poulisame|poulane": "sold",
    r"τζ[ίι]ρο\w*|tziro\w*|[έε]σοδα|esoda": "revenue", r"κ[έε]ρδ\w*|kerdos|kerdi": "profit",
    r"περιθ[ώω]ρι\w*": "margin", r"ζημι\w*|zimia": "losses", r"κ[όο]στο\w*|kostos": "cost",
    r"[έε]κπτωσ\w*|εκπτωσ\w*|ekptosi\w*": "discounts", r"επιστροφ\w*|epistrofes": "returns",
    r"πελ[άα]τισσ\w*": "female customers", r"πελ[άα]τ\w*|pelat\w*": "customers", r"παραγγελ\w*|paraggel\w*|paragel\w*": "orders",
    r"προ[ϊιί][όο]ντ\w*|προ[ϊιί][όο]ν|proion\w*": "products", r"κατηγορ[ίι]\w*|katigori\w*|kathgori\w*": "category",
    r"καν[άα]λι\w*|kanali\w*": "channel", r"χ[ώω]ρ\w*|xora|xwra|xores": "country", r"περιοχ\w*": "region",
    r"φ[ύυ]λο|fylo": "gender", r"ηλικ\w*": "age", r"π[όο]λη|π[όο]λεις": "city", r"γυνα[ίι]κ\w*|gynaik\w*": "women",
    r"[άα]νδρ\w*|[άα]ντρ\w*": "men", r"τεμ[άα]χι\w*|κομμ[άα]τι\w*|temaxia|kommatia": "units",
    r"καλ[άα]θι\w*|kalathi\w*": "baskets", r"μαζ[ίι]|mazi": "together", r"αγοράζ\w*|αγοραζ\w*|αγόρασ\w*|αγορασ\w*|agoras\w*|agoraz\w*":
        "bought",
    r"αγορ[έεάα]\w*|agores": "purchases", r"πιστ[οό]ί|πιστοι|πιστ\w+|pistoi": "loyal",
    r"ικανοπο[ίι]ησ\w*|ikanopoiisi": "satisfaction", r"παρ[άα]πον\w*|parapona": "complaints", r"σχ[όο]λι\w*|sxolia": "comments",
    r"κριτικ\w*": "reviews", r"χ[άα]σαμε|xasame": "lost", r"φε[ύυ]γουν|fevgoun|feugoun": "leaving",
    r"ομ[άα]δ\w*|omades": "groups", r"(\d+)\s+(?:χρ[όο]νο|χρ[όο]νια|xrono|xronia)(?:\s+και\s+π[άα]νω)?": r"\1 years",
    r"(\d+)\s+(?:μ[ήη]νες|μ[ήη]να|mines|mhnes)": r"\1 months", r"(\d+)\s+(?:ημ[έε]ρες|μ[έε]ρες|meres)": r"\1 days",
    r"μ[ήη]ν\w*|mines|mhnes": "month", r"εβδομ[άα]δ\w*|evdomada": "week", r"τρ[ίι]μην\w*|trimino": "quarter",
    r"(?:έτος|ετος|χρ[όο]νο\w*)": "year", r"εξ[άα]μηνο": "half year",
    r"μ[έε]σ(?:ος|η|ο|ου|ης)|mesos|mesi": "average", r"συνολικ\w*|synolika|συνολο|σύνολο": "total",
    r"π[όο]σο(?=\s)|poso(?=\s)": "how much", r"π[όο]σ(?:α|οι|ες|ους)|posa|posoi|poses|posous": "how many",
    r"ποι(?:ο|α|οι|ες|ος|ους|ων)|ποιό|ποιά|poia|poio|poioi|poies": "which", r"γιατ[ίι]|giati": "why",
    r"(?:το\s+)?(\d{4})\s*(?:vs|με|και)\s*(?:το\s+)?(\d{4})": r"\1 vs \2",
    # a conversation's turns in Greek: "kai sto APAC", "mono gia support", "ana device", "poioi apo autous kindinevoun na
    # fygoun", "10 πιο συχνά είδη"
    r"(?-i:kai)(?=\s)": "and", r"γι[αά](?=\s)|(?-i:gia)(?=\s)": "for", r"(?-i:ana)(?=\s+\w)": "by",
    r"κινδυνε[ύυ]ουν|kindinevoun|kindyneuoun": "at risk", r"(?:να|na)\s+(?:φ[ύυ]γουν|fygoun|figoun)": "of leaving",
    r"π[έε]φτει|peftei|[έε]πεσαν|epesan": "dropped", r"πιο|pio": "most", r"συχν\w*|sixna|syxna": "frequent",
    r"ε[ίι]δη|eidi": "items", r"γενικ[άα]|genika": "overall", r"αυτο[ύυ]ς|autous": "them", r"εκε[ίι]|ekei": "there",
    r"τ[ώω]ρα|tora": "now",
    r"κα[ίι]": "and", r"(?<=\s)ή(?=\s)": "or", r"απ[όο](?=\s)|apo(?=\s+\d)": "from", r"[έε]ως|μ[έε]χρι|mexri": "to",
    r"με(?=\s)": "with", r"μ[όο]νο|mono": "only", r"στ(?:ο|η|ην|ον|α|ις)(?=\s)|stin(?=\s)|sto(?=\s)": "in",
    r"(?:το|τα|τον|την|της|του|των|οι|η|ο|τις|τους)(?=\s)": "",
    r"Ιανου[άα]ρ\w*|ianouario": "january", r"Φεβρου[άα]ρ\w*|fevrouario": "february", r"Μ[άα]ρτ\w*|martio": "march",
    r"Απρ[ίι]λ\w*|aprilio": "april", r"Μ[άα][ιΐ]\w*|Μ[άα]η|maio": "may", r"Ιο[ύυ]ν\w*|iounio": "june",
    r"Ιο[ύυ]λ\w*|ioulio": "july", r"Α[ύυ]γουστ\w*|avgousto|augousto": "august", r"Σεπτ[έε]μβρ\w*|septemvrio": "september",
    r"Οκτ[ώω]βρ\w*|oktovrio": "october", r"Νο[έε]μβρ\w*|noemvrio": "november", r"Δεκ[έε]μβρ\w*|dekemvrio": "december",
    # Turkish superlatives ("en sadık 20", "en çok satan", "en değerli"), before Spanish and French read "en" as "in"
    r"en\s+plus(?!\s+(?:de|d'|du|des|gros|grand|vendu|fid|rentab))": "too",  # French "as well", not "in plus"
    # the French chiffre d'affaires ("le CA par catégorie", "CA total", "ca yoy", "combien de CA j'ai fait", "en CA"),
    # never Canada's code after a French word or before one; and units ("quantités vendues", "en unités", "d'unités")
    r"combien\s+(?:de\s+|d')ca(?![\w'])": "how much revenue",
    r"(?:(?:le|du|de|en|mon|notre|votre|ton|son|leur|the|quel|total|tout\s+le|un)\s+|d')ca(?![\w'])": "revenue",
    r"ca(?=\s+(?:total|totale|global|par|du|de|des|d'|mensuel|hebdo\w*|yoy|annuel|trimestriel|sur|depuis|semaine|en|ht|"
    r"ttc|cumul[eé]|net|brut|j'ai|j'|on|nous|fait|r[ée]alis[ée]|(?:19|20)\d{2})(?![\w']))": "revenue",
    r"(?:en\s+|d'|de\s+)?(?:quantit[eé]s?|unit[eé]s)(?:\s+vendue?s?)?": "units sold", r"articles\s+vendus": "units sold",
    # a telco's French words ("seulement les contrats mensuels", "montant mensuel moyen", "taux de résiliation par
    # service internet"), before "montant" is an amount and "taux" a rate
    r"contrats?\s+(?:mensuels?|au\s+mois|mois\s+par\s+mois)": "month-to-month contracts",
    r"(?:montants?|factures?|frais|charges?)\s+mensuel(?:le)?s?": "monthly charges",
    r"taux\s+de\s+(?:r[ée]siliation|d[ée]sabonnement|d[ée]part|churn|perte)": "churn rate",
    r"services?\s+internet": "internet service",
    r"en\s+[çc]ok\s+satan\w*": "best selling", r"en\s+az\s+satan\w*": "least sold",
    r"en\s+[çc]ok\s+harcayan\w*": "top spending", r"en\s+sad[ıi]k": "the most loyal", r"en\s+k[âa]rl[ıi]": "the most profitable",
    r"en\s+de[ğg]erli": "the most valuable", r"en\s+b[üu]y[üu]k": "the biggest", r"en\s+y[üu]ksek": "the highest",
    r"en\s+d[üu][şs][üu]k": "the lowest", r"en\s+memnuniyetsiz": "the least satisfied", r"en\s+memnun": "the most satisfied",
    r"en\s+[çc]ok": "the most", r"en\s+az": "the least", r"en\s+iyi": "the best", r"en\s+k[öo]t[üu]": "the worst",
    # a percentage with its sign first, as Turkish writes it ("top %10 musteri"): 10%
    r"%\s?(\d+(?:[.,]\d+)?)": r"\1%",
    # a quarter as French writes it ("T3 2024 vs T3 2025", "au T1"): Q3
    r"(?-i:T)([1-4])(?=\s*(?:vs|et|and|,|$|(?:19|20)\d{2}\b|\d{2}\b))": r"Q\1",
    # a month written with its year as many countries do ("03/2025", "3.2025", "12/2024"): the ISO month
    r"0?([1-9])[/.]((?:19|20)\d{2})": r"\2-0\1", r"(1[0-2])[/.]((?:19|20)\d{2})": r"\2-\1",
    # Swahili: "how many wateja do we have", "the typical mteja who churned"
    r"wateja": "customers", r"mteja": "customer",
    # a researcher's breakdown: "average order value stratified by gender", "disaggregated by region"
    r"(?:stratified|disaggregated|cross-?tabulated|tabulated)(?=\s+(?:by|across)\b)": "broken down",
    r"(?:a\s+)?cross-?tab(?:ulation|ulate)?s?\s+of": "broken down by", r"custs?": "customers", r"ppl": "people", r"qty": "quantity",
    # a guesthouse's or a hotel's customers ("my best regular guests"); not a shop's guest checkouts, nor the
    # "repeated guests" a hotel table's is_repeated_guest flag names
    r"(?<!repeated\s)(?<!repeat\s)guests(?!\s+(?:checkouts?|orders?|accounts?|users?))": "customers",
    r"avg\.?": "average", r"qtd": "quarter to date", r"mom|m/m|m-o-m": "month over month",
    r"qoq|q/q|q-o-q": "quarter over quarter", r"yoy|y/y|y-o-y": "year over year", r"per\s+annum|p\.a\.": "per year", r"ytd": "year to date", r"ly": "last year", r"mtd": "month to date", r"thru": "through",
    r"(?<=[a-z]\s)n(?=\s+(?!baskets?\b|orders?\b|customers?\b|=)[a-z])": "and",  # "tiktok n ig", "reset n show"
    # Polish words for the measures, grains and places ("sprzedaż by month", "klienci", "zamówienia per miesiąc",
    # "zysk", "per kraj", "this rok")
    r"sprzeda[żz]y?|obr[óo]t": "sales", r"klient[óo]w|klienci|klientami": "customers", r"klient": "customer",
    r"zam[óo]wie[ńn]|zam[óo]wienia": "orders", r"zam[óo]wienie": "order", r"zysku?": "profit", r"mar[żz]a": "margin",
    r"miesi[ąa]c(?:a|e|u)?|miesi[ęe]cy": "month", r"miesi[ęe]cznie": "monthly", r"kwarta[łl](?:u|y)?": "quarter",
    r"(?<=\bper\s)rok|(?<=\bthis\s)rok|(?<=\blast\s)rok|roku": "year", r"kraj(?:u|e|ach)?": "country",
    r"czy\s+ro[śs]nie": "is it growing",
    # "since 3 months", "since two weeks" (as German, Dutch and Polish say it): the last 3 months
    r"since\s+(\d+|a\s+few|two|three|four|five|six|nine|twelve)\s+(days|weeks|months|mths|years)": r"last \1 \2",
    # Singlish: "blender go with wat", "growing anot", "how many pax", "last 6 mths", "handphone", "survey qns",
    # and the particles that end a clause ("SG only leh", "who ah", "can lah")
    r"wat|wut": "what", r"anot": "or not", r"pax": "people", r"mths?": "months", r"handphones?": "mobile",
    r"qns|qns\.": "questions", r"wan": "want", r"tks|thks": "thanks",
    r"(?<=\w\s)(?:lah|leh|lor|meh|hor|ah)(?=\s*(?:[?.!,]|$))": "", r"jialat|paiseh|shiok|sia": "",
    # Filipino politeness and softeners: "for B2B only po", "reset filters po and ...", "curious lang", "pls naman"
    r"(?<=\w\s)(?:po|naman|lang)(?=\s*(?:[?.!,]|$)|\s+(?:and|then|pls|please)\b)": "",
    # a texter's fillers and letters for words ("which customers r high risk rn ngl", "who r they")
    r"ngl|lowkey|highkey|tbh|imo|imho|rn|no\s+cap": "", r"(?<=[a-z]\s)r(?=\s+[a-z]{2})": "are",
    # "last financial year", "this fin year so far", "last fy": the calendar's year, never a period dropped (a
    # fiscal start set in custlens.toml or said in the question is read before, by ``fiscal_years``)
    r"(this|last|previous|prior|current)\s+(?:financial|fiscal|fin\.?)\s+year|(this|last|previous|prior|current)\s+fy":
        r"\1\2 year",
    # "segments on age and gender", "split on kanaal": a breakdown's "on" as Dutch and German say it (op, auf)
    r"(?<=\bsegments\s)on|(?<=\bsegment\s)on|(?<=\bsplit\s)on|(?<=\bclusters\s)on|(?<=\bgrouped\s)on|"
    r"(?<=\bsegmented\s)on|(?<=\bbreakdown\s)on": "by",
    # "deal amount on industries", "charges on contract and gender", "conversion on channels": a measure "on" a
    # column's name, as Russian says it (po)
    r"(?:" + "|".join(rf"(?<=\b{w}\s)" for w in ("sales", "revenue", "turnover", "amount", "charges", "conversion",
                                                  "deals", "orders", "customers", "clients", "accounts", "churn",
                                                  "profit", "margin", "spend", "rate"))
    + r")on(?=\s+(?:the\s+)?(?:categor(?:y|ies)|channels?|countr(?:y|ies)|regions?|industr(?:y|ies)|segments?|"
      r"contracts?|gender|products?|cit(?:y|ies)|devices?|stages?|payment\s+methods?|internet\s+service|tenure)\b)": "by",
    # a CRM's opportunities are its deals ("how many opportunities are still open"); not a cross-sell's
    r"(?<!sell\s)(?<!selling\s)(?<!bundle\s)(?<!bundling\s)(?<!growth\s)(?<!upsell\s)(?:opportunities|opps|oppties)": "deals",
    r"(?<!sell\s)(?<!selling\s)(?<!bundle\s)(?<!growth\s)(?<!upsell\s)opportunity": "deal",
    r"chuck|bung|lob": "put", r"'em|em(?=\s+(?:into|in|up|out|by|a|an|the|all|some|for|to)\b)": "them",  # "chuck the customers into 4 clusters" (not churn misspelt)
    r"w/o": "without", r"w/": "with", r"(?<=[a-z]\s)w(?=\s+[a-z])": "with", r"excl\.?": "excluding", r"incl\.?": "including", r"pls|plz": "please", r"#\s?of": "number of",
    r"(did|has|have|do|does|is|are|was|were|wo|could|would|should)nt": r"\1n't",
    r"(?:last|past|previous)\s+(?:half[- ]year|semest(?:er|re))": "last 6 months",  # a semester: half a year
    r"(?:first|1st)\s+semest(?:er|re)": "first half", r"(?:second|2nd)\s+semest(?:er|re)": "second half",
    r"trimest(?:er|re)s?": "quarter", r"(?<=\d{4}\s)x(?=\s+(?:19|20)\d{2}\b)": "vs",  # "3rd trimestre", "2024 x 2025"
    # "how'd december go compared to the december before": the same month a year earlier, not the month before it
    r"the\s+(?:" + _MONTHS_ALT + r")\s+(?:before|prior)\b(?!\s+(?:that|last|this|\d))": "the same month the year before",
    # attribution's two models set side by side ("first vs last touch"): no period against the last one
    r"first(?:[- ]touch)?\s+(?:vs\.?|versus|v|against|or)\s+last[- ](touch|click)": r"first \1 and last \1",
    r"(?:the\s+)?ranking\s+of": "top",  # "the ranking of categories by orders": ranked
    r"quantity\s+of(?=\s+(?:orders|deals|clients|customers|accounts|purchases|baskets|invoices|visits|sessions)\b)":
        "number of",
    r"yoghurts?": "yogurt", r"veg|veggies": "vegetables",  # the British spelling, shortened vegetables
    r"no\.?\s+of(?=\s+[a-z])": "number of",  # "no of customers who purchased in november"
    r"prods": "products", r"prod": "product", r"freqs?": "frequency", r"groupby": "by", r"acq": "acquisition", r"cntry|ctry": "country",
    # a growth team's shorthand: "L6M", "LTM", "wow", "enterprise v smb", "at risk seg", "profit per acct"
    r"l(\d{1,2})m": r"last \1 months", r"l(\d{1,3})d": r"last \1 days", r"l(\d{1,2})w": r"last \1 weeks",
    r"ltm|ttm": "last 12 months", r"wow|w/w": "week over week", r"(?<=\w\s)v(?=\s+\w)": "vs", r"segs": "segments", r"seg": "segment",
    r"gm\s?%|gm\s?\$|gm": "gross margin", r"gp\s?%|gp": "gross profit", r"accts": "accounts", r"acct": "account", r"(?:num|nbr)(?:\s+of)?": "number of",
    r"dau": "daily active users", r"wau": "weekly active users", r"mau": "monthly active users",
    r"top(\d{1,3})": r"top \1", r"(?:desc(?:ending)?\s+)?limit\s+(\d{1,3})": r"top \1",
    r"countrys|cntrys|contrys|contries|countrie": "countries", r"bitte": "please",
    # words written by ear or with letters swapped that are too short or too far for the spelling
    # correction ("wich contry", "havent bort", "agenst q4 2025", "lastyear", "acounts", "adn")
    r"wich|whcih|wihch|whihc": "which", r"bort|baught|bougth": "bought", r"agenst|aginst|agianst|agaisnt": "against",
    r"lastyear": "last year", r"thisyear": "this year",
    r"(?:for|in|of|during)\s+((?:19|20)\d{2})\s+year(?!\s*(?:over|on|to|by|end|ended|ending)\b)": r"in \1",  # "for 2024 year"
    r"acounts|accouts": "accounts", r"acount|accout": "account",
    r"add\s+(.{2,40}?)\s+as\s+(?:a|an)\s+(?:second|another|further|extra|additional|2nd)?\s*(?:condition|filter|restriction|"
    r"constraint)": r"only \1",
    # "net sales after discounts and refunds": the refunds first, as "after refunds" is read (net of what came back)
    r"(after|net\s+of|less|minus|excluding|without)\s+(?:the\s+)?discounts?\s+(?:and|&|\+|,)\s+(?:the\s+)?(refunds|returns)":
        r"\1 \2 and discounts",
    r"in\s+average": "on average", r"(?:for|of|per)\s+one\s+(order|purchase|transaction|deal|basket)": r"per \1",
    r"deal\s*\$+": "deal value", r"\$\$+": "money",
    r"adn": "and", r"feed\s+back": "feedback", r"(?<=how many )sono": "are",
    # German words for the measures ("Umsatz per Quartal", "how many Kunden", "Bestellungen")
    r"ums[a\u00e4]tze?": "revenue", r"kunden": "customers", r"bestellungen": "orders", r"bestellung": "order",
    # "Umsatz per Monat", "im Vorjahr", "das letzte Quartal", "Marge per Kunde", "pro Woche"
    r"(?:im\s+|des\s+|dem\s+|the\s+)?vorjahr(?:es|s)?": "last year",
    r"(?:das\s+|im\s+|the\s+)?letzte[nsm]?\s+quartal": "last quarter", r"(?:der\s+|im\s+|the\s+)?letzte[nsm]?\s+monat": "last month",
    r"pro(?=\s+(?:monat|jahr|woche|quartal|tag|kunde|bestellung)\b)": "per", r"monatlich(?:e[nrs]?)?": "monthly",
    r"monat(?:e|en|s)?": "month", r"wochen": "weeks", r"woche": "week", r"jahre?(?=\s+(?:19|20)\d{2}\b)": "year",
    r"kunde": "customer",
    r"quartale?": "quarter", r"auftr[äa]ge": "orders", r"auftrag": "order", r"resp\.": "and", r"z\.\s?b\.": "e.g.", r"(?:durchschnittliche[rn]?\s+)?bestellwert": "average order value",
    # the same words in Portuguese, Spanish, French and Italian, and the noun "sells" for sales that
    # people writing in a second language use ("faturamento by country", "the sells of last month",
    # "quantos pedidos", "ticket medio", "primeiro semestre", "mes a mes")
    r"faturamento|fatura[cç][aã]o|receitas?|vendas|ventas|ingresos|fatturato|chiffre\s+d'affaires|omzet|"
    r"factura[cç]i[oó]n|facturaci[oó]nes|"
    r"sells": "sales",  # only as a noun (``_spell_out``)
    # money said in the same languages: what was billed, spent, the amounts and money itself ("cuánto
    # facturamos", "gasto por cliente", "importe medio por deal", "montant des ventes", "fulus", "dolares")
    r"facturamos|facturaron|factur[eé]|factur[oó]|faturamos|faturaram|faturou": "did we sell",
    r"gastos?|gastaron|gastado|gastou|gastaram|d[eé]penses?": "spend",
    r"(?:importe|monto|montant|montante|valor|valeur)\s+(?:medio|promedio|moyen|m[eé]dio)": "average amount",
    r"importes?|montos?|montants?|montante": "amount", r"d[oó]lares": "dollars", r"fulus|flous|felous": "money",
    r"(?:ganad[oa]s?|ganhos|ganhas|gagn[eé]e?s|vinti|gewonnene?n?|jeete|jeeta(?:\s+hua)?|jeeti)": "won",
    r"pedidos|encomendas|commandes|ordini|bestellingen": "orders", r"pedido|encomenda|commande|ordine": "order",
    r"clientes|clienti|klanten": "customers", r"cliente|klant": "customer",
    # "which of our produtos sells more", "produk apa yg paling laku" (Indonesian for both)
    r"produtos|productos|produits|prodotti|produkte|produk": "products", r"produto|producto|produit|prodotto": "product",
    r"lucros?|beneficios?|ganancias?|b[eé]n[eé]fices?|utili|gewinn": "profit",
    r"preju[ií]zos?|p[eé]rdidas?|perdite|verluste?": "losses",
    r"ticket\s+m[eé]dio|ticket\s+promedio|panier\s+moyen|scontrino\s+medio": "average order value",
    r"quantos|quantas|cu[aá]ntos|cu[aá]ntas|combien\s+de|quanti|quante": "how many",
    r"quanto|cu[aá]nto|combien": "how much",
    r"m[eê]s\s+a\s+m[eê]s|mes\s+a\s+mes|m[eo]s\s+por\s+m[eo]s": "month by month",
    r"primeiro\s+semestre|primer\s+semestre|premier\s+semestre|primo\s+semestre|first\s+semester": "first half",
    r"segundo\s+semestre|second\s+semestre|secondo\s+semestre|second\s+semester": "second half",
    r"taxa\s+de\s+recompra|tasa\s+de\s+recompra|taux\s+de\s+r[eé]achat": "repeat purchase rate",
    r"fi[eé]is|fi[eé]les|fedeli|fiel|fid[eè]le|fedele": "loyal",
    r"fidelidade|fidelidad|fid[eé]lit[eé]|fedelt[aà]": "loyalty",
    r"inativos|inactivos|inattivi|inactifs": "inactive",
    r"compras|achats|acquisti": "purchases", r"compra|achat|acquisto": "purchase",
    r"produtos|productos|produits|prodotti|produkte": "products", r"produto|producto|produit|prodotto|produkt": "product",
    r"pa[ií]ses|pays|paesi|l\u00e4nder": "countries", r"pa[ií]s|paese": "country",
    r"categorias|categor\u00edas|cat\u00e9gories|categorie": "categories", r"categoria|categor\u00eda|cat\u00e9gorie": "category",
    r"(?:do\s+|del\s+)?(?:ano\s+passado|a[nñ]o\s+pasado|l'ann[eé]e\s+derni[eè]re|anno\s+scorso|letzte[ns]?\s+jahr(?:es)?)":
        "last year",
    r"(?:este|esse|cette|quest'|dieses)\s*(?:ano|a[nñ]o|ann[eé]e|anno|jahr)": "this year",
    r"por(?=\s+(?:deal|order|pedido|encomenda|cliente|customer|client|compra|venta|venda|transac\w+)s?\b)": "per",
    r"por(?=\s+(?:pa[ií]s|mes|m[eê]s|categor\w+|canal|cliente|produto|producto|regi[aã]o|regi[oó]n|semana|a[nñ]o|ano|"
    r"g[eé]nero|edad|idade|ciudad|cidade|trimestre|d[ií]a|dia|segmento|industria|contrato|m[eé]todo|dispositivo|"
    r"stages?|devices?|regions?|industr(?:y|ies)|products?|contracts?|segments?|categor(?:y|ies)|months?|quarters?|"
    r"years?|weeks?|days?|countr(?:y|ies)|channels?|customers?|clients?|gender|age)\b)":
        "by",
    # periods, grains and groups in Spanish and Portuguese ("ventas mes pasado", "el ultimo trimestre",
    # "los ultimos 6 meses", "ventas mensuales", "4 grupos", "segmento en riesgo")
    r"(?:el\s+|o\s+)?m[eê]s\s+pas+ado": "last month",
    r"(?:el\s+|o\s+)?(?:[uú]ltimo\s+trimestre|trimestre\s+pas+ado)": "last quarter",
    r"(?:los\s+|os\s+)?[uú]ltimos\s+(\d+)\s+(?:meses|m[eê]ses)": r"last \1 months",
    r"(?:los\s+|os\s+)?[uú]ltimos\s+(\d+)\s+d[ií]as": r"last \1 days",
    # "el mismo trimestre del año anterior": the same quarter a year earlier
    r"(?:el\s+)?mismo\s+trimestre\s+del?\s+a[nñ]o\s+(?:anterior|pasado)": "the same quarter the year before",
    r"(?:el\s+)?mismo\s+mes\s+del?\s+a[nñ]o\s+(?:anterior|pasado)": "the same month the year before",
    # "en los próximos 12 meses", "a 2 años": a span ahead (a CLV's horizon)
    r"(?:en\s+|nos\s+)?(?:los\s+|las\s+|os\s+)?pr[oó]xim[oa]s\s+(\d+)\s+m[eê]ses": r"next \1 months",
    r"(?:en\s+|nos\s+)?(?:los\s+|os\s+)?pr[oó]ximos\s+(\d+)\s+a[nñ]os": r"next \1 years",
    r"a\s+(\d+)\s+m[eê]ses": r"over \1 months", r"a\s+(\d+)\s+a[nñ]os": r"over \1 years",
    r"mensual(?:es)?|mensais": "monthly", r"trimestral(?:es)?|trimestrais": "quarterly",
    r"semanal(?:es)?|semanais": "weekly", r"diari[ao]s|di[aá]ri[ao]s": "daily", r"anual(?:es)?|anuais": "yearly",
    r"unidades": "units", r"grupos": "groups", r"cohortes|coortes": "cohorts", r"segmentos": "segments",
    r"segmento": "segment", r"en\s+riesgo|em\s+risco": "at risk", r"campeones|campe[oõ]es": "champions",
    r"leales": "loyal", r"recompra": "repeat purchase", r"filtros|filtres|filtri": "filters",
    r"g[eé]neros?": "gender", r"edad|idade": "age", r"ciudad(?:es)?|cidades?": "city",
    r"canal(?:es)?\s+de\s+(?:adquisici[oó]n|aquisi[cç][aã]o)": "acquisition channel", r"canal(?:es)?": "channel",
    r"semanas?": "week", r"trimestres?": "quarter", r"mujeres|mulheres": "women", r"hombres|homens": "men",
    r"dinero|dinheiro": "money", r"vendimos|vendemos|vendieron|venderam|vendeu|vendi[oó]": "sold",
    # month names of Spanish, Portuguese, Italian, French and German (not those that are also everyday words:
    # "mai", "mars", "mayo")
    r"enero|janeiro|gennaio|janvier|januar": "january", r"febrero|fevereiro|febbraio|f[eé]vrier|februar": "february",
    r"marzo|mar[cç]o|m[aä]rz": "march", r"abril|aprile|avril": "april", r"maio|maggio": "may",
    r"junio|junho|giugno|juin|juni": "june", r"julio|julho|luglio|juillet|juli": "july",
    r"agosto|ao[uû]t": "august", r"septiembre|setiembre|setembro|settembre|septembre": "september",
    r"octubre|outubro|ottobre|octobre|oktober": "october", r"noviembre|novembro|novembre": "november",
    r"diciembre|dezembro|dicembre|d[eé]cembre|dezember": "december",
    # Spanish words for the ideas analyses are about, as a Spanish speaker mixes them into English ("qué va
    # con coffee", "tasa de baja en Month-to-month", "rentabilidad por categoría", "pacientes perdidos")
    r"qu[eé]\s+va\s+(?:bien\s+)?con|qu[eé]\s+combina\s+con": "what goes with",
    r"tasa\s+de\s+(?:baja|abandono|churn)": "churn rate", r"tasa\s+de\s+(?:cierre|[eé]xito)": "win rate",
    r"tasa\s+de\s+conversi[oó]n": "conversion rate", r"rentabilidad|rentables?": "profitability",
    r"fidelizaci[oó]n": "loyalty", r"(?:se\s+)?(?:dan|dieron)\s+de\s+baja|darse\s+de\s+baja": "churn",
    r"perdimos|perdemos|perdidos|perdidas": "lost", r"(?:a\s+punto\s+de\s+)?(?:irse|perder)": "about to leave",
    r"repiten\s+compra|repite\s+compra|repiten|repite|volvieron|vuelven": "buy again",
    r"(?:tiempo|d[ií]as)\s+(?:medio|promedio)s?\s+entre\s+(?:compras|pedidos)|(?:tiempo|d[ií]as)\s+entre\s+"
    r"(?:compras|pedidos)": "average days between orders",
    r"cestas": "baskets", r"cesta": "basket", r"encuestas?": "survey", r"entrevistas?": "interview",
    r"preguntas": "questions", r"pacientes": "customers", r"paciente": "customer", r"cuentas": "accounts",
    r"visitantes": "visitors", r"caminos": "paths", r"antes\s+de\s+comprar": "before buying",
    r"por\s+qu[eé]": "why", r"valiosos|de\s+alto\s+valor": "valuable", r"competidores": "competitors",
    r"rivalidad": "rivalry", r"recetas?": "recipe", r"traduce|traducir": "translate", r"fechas?": "dates",
    r"siguen\s+comprando": "still buying", r"de\s+ellos|de\s+ellas": "of them", r"de\s+esos|de\s+esas": "of those",
    r"desde(?:\s+el)?": "since", r"hasta(?:\s+el)?": "until", r"del(?=\s+\d)": "from", r"(?<=\d\s)al(?=\s+\d)": "to",
    r"por\s+favor": "please", r"una\s+sola\s+vez|s[oó]lo\s+una\s+vez": "only once",
    r"no\s+(?:repitieron|repiten|volvieron|vuelven)": "never bought again",
    r"y(?=\s)(?!\s+ax[ie]s\b)": "and",
    # Scots ("who hasnae ordered in 6 months", "add tae basket", "a bus tour fae munich", "folk wi higher charges")
    r"hasnae": "hasn't", r"havenae": "haven't", r"cannae": "can't", r"dinnae": "don't", r"didnae": "didn't",
    r"isnae": "isn't", r"wasnae": "wasn't", r"wouldnae": "wouldn't", r"couldnae": "couldn't", r"willnae": "won't",
    r"tae": "to", r"fae": "from", r"wi": "with", r"sesiones": "sessions", r"visitas": "visits", r"s[oó]lo|solamente|nada\s+m[aá]s": "only", r"en(?=\s)": "in",
    r"quer[ií]a\s+decir|quise\s+decir": "i meant", r"compran": "buy", r"compraron": "bought", r"m[aá]s": "more",
    r"qu[eé](?=\s)(?!\s+(?:va|combina)\b)": "what", r"cu[aá]l(?:es)?|cuales": "which", r"tiene": "has",
    r"riesgo": "risk", r"margen": "margin",
    r"esos|esas": "those", r"(?<=ellos\s)son|(?<=ellas\s)son|(?<=esos\s)son|(?<=esas\s)son": "are",
    r"(?<=\btenure\s)medio": "average",
    # Swedish, Danish and Norwegian words for the measures and grains ("försäljning per månad", "kunder",
    # "omsättning per kvartal", "per vecka"), and "pcs" (pieces) for units
    # Korean words, in Hangul or Latin letters, that a Korean seller mixes into English ("maechul by month",
    # "gogaek 수", "재구매 주기", "같이 사는거 top 5")
    r"(?:gogaek|고객)\s*수": "number of customers", r"maechul|매출": "sales", r"gogaek|고객": "customers",
    r"(?:jaegumae|재구매)\s*(?:jugi|주기)": "days between orders", r"jaegumae|재구매": "repeat purchase",
    r"같이\s*(?:사는\s*(?:거|것)|구매|산)": "bought together", r"주문": "orders", r"객단가": "average order value", r"월별": "by month", r"이탈": "churn",
    # French "par" before a period, a column or a word of the data ("ventes par mois", "pipeline par stage", "churn par
    # type de contrat"): a breakdown, before Hindi's "par" (on) below
    r"par\s+rapport\s+(?:à\s+la|à\s+l'|a\s+la|à|a|au|aux)": "compared to",
    r"par(?=\s+(?:mois|an|ann[eé]e|semaine|jour|trimestre|pays|ville|cat[eé]gorie|produit|canal|client|r[eé]gion|"
    r"industrie|contrat|type|topic|th[eè]me|sujet|device|appareil|internet|payment|paiement|acquisition|partner|source|"
    r"plan|tier|statut|status|sessions?|[âa]ge|genre|sexe|moyens?|modes?|secteur|taille|tranches?|anciennet[ée]|[ée]tapes?|partenaires?|services?|"
    r"comptes?|abonn[ée]s?|"
    r"months?|years?|weeks?|days?|quarters?|countr(?:y|ies)|categor(?:y|ies)|products?|channels?|"
    r"customers?|clients?|regions?|segments?|contracts?|gender|age|city|cities|industr(?:y|ies)|stages?)\b|"
    r"\s+(?-i:[A-Z][a-z]+[A-Z]\w*)\b)": "by",  # "par PaymentMethod": a column's own name
    # Hindi and Urdu in Latin letters, as Hinglish mixes them into English ("kitne customer hai", "pichle 3 mahine
    # ki sale", "kaun sa product sabse zyada bikta hai", "category wise profit", "chhod ke chale gaye")
    r"pichl[ae]\s+saal": "last year", r"is\s+saal": "this year", r"agl[ae]\s+saal": "next year",
    r"saal\s+bhar(?:\s+se)?": "in a year", r"pichl[ae]\s+mahin[ae]": "last month", r"is\s+mahin[ae]": "this month",
    r"pichl[ae]": "last", r"agl[ae]": "next",
    r"mahin[ae]\s+(?:ke\s+hisaab\s+se|wise|dar\s+mahin[ae])|har\s+mahin[ae]": "by month", r"mahin[aeo]": "months",
    r"hafte\s+(?:ke\s+hisaab\s+se|wise)|har\s+hafte": "by week", r"haft[ae]": "weeks", r"roz(?:ana)?|har\s+din": "daily",
    r"saal": "year",
    r"kaun(?:\s+|-)?s[aei]|kaun\s+kaun": "which", r"kaun": "who", r"kahan\s+se": "where from", r"kahan": "where",
    r"kitn[ei]": "how many", r"kitna": "how much", r"kyun|kyon": "why", r"kaise|kaisi|kaisa": "how",
    r"sabse\s+(?:zyada|jyada|adhik)": "the most", r"sabse\s+kam": "the least", r"zyada|jyada": "more",
    # "category ke hisab se": by category; "customers ke hisab se top 5 countries": ranked on how many customers
    r"aakhri|akhri|aakhiri": "last", r"(customers|clients|grahak|buyers)\s+ke\s+his(?:a|aa)b\s+se": "by number of customers",
    r"([a-z]+)\s+ke\s+his(?:a|aa)b\s+se": r"by \1",
    r"bikr[ie]|sale(?=\s+(?:kitni|mahine|is|pichle))": "sales", r"bik(?:i|a|e)(?=\s*(?:$|[?.!,]|hain?\b))": "sold",
    r"bik(?:ta|te|ti|a|e|i)?(?:\s+rah[aei])?": "sells",
    r"grahak": "customers", r"paisa|paise": "money", r"dhanda|kamai": "revenue", r"munafa|fayda|faydemand": "profit",
    r"ghat[ae](?:\s+me)?|nuksan": "losing money", r"shikayat(?:ein|e)?": "complaints", r"naraz": "unhappy",
    r"wafadar|vafadar": "loyal", r"dobara|dubara|(?:ph|f)ir\s+se": "again", r"wapas": "back", r"tike(?:\s+rahe)?": "stayed",
    r"chhod\s+(?:ke\s+)?(?:chale\s+gaye|gaye|diya|diye)|chale\s+gaye|chala\s+gaya": "left",
    r"chhod\s+rahe|bhag(?:te|\s+rahe)|bhaag\w*|katwa\s+rahe|khisak\s+rahe": "leaving",
    r"(?:jaane|nikalne)\s+wale|haath\s+se\s+nikal\w*": "about to leave", r"kho\s+di(?:ye|ya)|khoye": "lost",
    r"gayab": "gone", r"kharch(?:a)?|kharcha\s+kiya": "spend", r"kh(?:a|aa)r(?:i|ee)d\w*": "bought", r"naye": "new",
    r"jude|jud[ae]": "joined", r"aaye": "came", r"umar": "age", r"tareekh": "date", r"(?:ke\s+)?saath": "with",
    r"aur(?=\s)": "and", r"sirf": "only", r"bina": "without", r"dono": "both", r"alag\s+alag": "distinct", r"abhi\s+bhi": "still",
    r"kuch\s+(?:nahi|nahin)\s+(?:liya|li|kharida|khareeda|kharidi|manga(?:ya)?)": "bought nothing",
    r"koi\s+(deal|order)\s+(?:nahi|nahin)\s+(?:ki|kiya|kiye|hui|hua|aaya|aayi|kar(?:\s+rah[aei])?)": r"no \1",
    r"ek(?=\s+(?:saal|mahin[ae]|haft[ae]|din)\b)": "one",
    # "2024 ke mukable" (compared with 2024, said after it), "2024 se compare karo", "usse pehle wale 6 mahine"
    r"((?:19|20)\d{2})\s+ke\s+muk(?:a|aa)b(?:a|i)?le(?:\s+me(?:in)?)?": r"compared to \1",
    r"((?:19|20)\d{2})\s+se\s+compare(?:\s+(?:karo|kar\s+do|kijiye))?": r"compared to \1",
    r"(?:us|is)se\s+pehle\s+(?:wale|waale|vale)": "the previous",
    r"batao|bata\s+do|dikhao|dekho|dikha\s+do": "show", r"nahi|nahin": "no", r"mera\s+matlab|matlab": "i meant",
    r"inme\s+se|unme\s+se|in\s+me\s+se": "of them", r"ye(?:h)?\s+log|wo(?:h)?\s+log": "those",
    r"inko|unko|inka|unka|inhe|unhe|inki|unki": "them", r"(?-i:log)(?!\s+(?:in|on|out|into|file|files)\b)": "people",
    r"wal[aeio]n?|waal[aeio]": "ones", r"(?-i:k[aei])(?=\s+\w)": "of", r"(?<!\bon\s)(?<!\bat\s)(?<!above\s)(?<!below\s)(?<!under\s)(?-i:pe|par)(?=\s|$|[?.!,])(?!\s+(?:mois|an|ann[eé]e|semaine|jour|trimestre|pays|ville|cat[eé]gorie|produit|canal|client)\b)": "on",
    r"(?:ke\s+)?liye": "for", r"chahiye|chaht[aei]": "want", r"(?-i:hai|hain|tha|thi|hota|hote|hoti|yaar|bhai|ji)(?=\s|$|[?.!,])": " ",
    r"ko[nu]n?s[aei]|kaun?s[aei]": "which", r"pahuch\w*": "make it", r"uthate|lete|le\s+jaate|kharidte": "buy",
    r"cheez(?:ein|e)?|sa+ma+n|maal": "items", r"jaat[ai]": "goes", r"beech": "between", r"din": "days", r"baad": "after",
    r"pehle": "before", r"ek\s+se\s+zyada": "more than one", r"inke|unke": "them", r"bhi": "also",
    # "jan 2024 se ab tak" (from January 2024 until now), "15-08-2025 se 15-09-2025 tak" (from one day to the other)
    r"(?<=\d\s)se\s+ab\s+tak": "onwards", r"(?<=\d\s)se(?=\s+[\w/.-]+(?:\s+[\w/.-]+)?\s+tak\b)": "to",
    r"bana\s+do|banao|bana\s+dijiye": "make", r"(?-i:karo|kar\s+do|kijiye|hi|se)(?=\s|$|[?.!,])": " ", r"(?<=\d\s)me(?=\s)|me(?=\s+(?:kitn[aei]|kya|koi|ki|ke|ka)\b)|mein": "in", r"(?<=\d\s)se(?=\s)": "from", r"(?<=\d\s)tak": "to",
    # Italian words for the measures and grains ("vendite al mese", "quanti clienti", "il margine", "ogni
    # settimana"; fatturato, clienti, ordini, quanti are above)
    # a statistician's words: "marginal counts of customers by channel" (the totals of one margin of a table,
    # not profit), "n customers who ever purchased" (the number of)
    r"marginal(?=\s+(?:revenue|sales|counts?|totals?|frequenc(?:y|ies)|distributions?|numbers?|means?|shares?|rates?)\b)":
        "overall",
    r"(?:^|(?<=the\s)|(?<=show\s)|(?<=give\s)|(?<=report\s)|(?<=tabulate\s))n(?=\s+" + COUNTED + r"\b)": "number of",
    r"day\s+after\s+day": "day by day", r"week\s+after\s+week": "week by week", r"month\s+after\s+month": "month by month",
    r"quarter\s+after\s+quarter": "quarter by quarter", r"year\s+after\s+year": "year by year",
    r"vendite|vendita": "sales", r"(?:al|ogni|per)\s+mese|mensil[ei]": "per month", r"mesi": "months",
    r"mese": "month", r"(?:all'|ogni\s+)anno|annual[ei]": "per year", r"(?:ogni|alla|per)\s+settimana|settimanal[ei]": "per week",
    r"settimane": "weeks", r"trimestral[ei]": "quarterly", r"margine": "margin", r"guadagn[oi]": "profit",
    r"scont[oi]": "discount", r"negozio": "shop",
    r"f[öo]rs[äa]ljning(?:en)?|oms[äa]ttning(?:en)?|salg(?:et)?|oms[æa]tning(?:en)?": "sales",
    r"kunder(?:na)?|kunderne": "customers", r"m[åa]nad(?:en)?|m[åa]ned(?:en)?": "month",
    r"m[åa]nader(?:na)?|m[åa]neder": "months", r"kvartal(?:et)?": "quarter", r"veck(?:a|an|or)|uge|uke": "week",
    r"l[öo]nsamhet(?:en)?|l[øo]nsomhed": "profitability", r"vinst(?:en)?|fortjeneste": "profit",
    r"best[äa]llningar(?:na)?|ordrer": "orders", r"pcs\.?": "units",
    # Dutch words for the measures, grains, periods and topics ("omzet per maand vorig jaar", "klachten per
    # product", "het laatste kwartaal", "retouren", "winst per jaar", "in januari"; omzet, klanten and
    # bestellingen are above)
    r"vorig(?:e)?\s+jaar": "last year", r"dit\s+jaar": "this year", r"(?<=\bper\s)jaar": "year",
    r"maanden": "months", r"maand": "month", r"kwartalen": "quarters", r"kwartaal": "quarter", r"weken": "weeks",
    r"winst": "profit", r"marge": "margin", r"retouren|retouren?s": "returns", r"retour": "return",
    r"klachten": "complaints", r"klacht": "complaint", r"kanalen": "channels", r"kanaal": "channel",
    r"bestelling": "order", r"gemiddelde\s+orderwaarde|gemiddelde\s+bestelwaarde": "average order value",
    r"gemiddeld(?:e)?": "average", r"jaarverslag": "annual report", r"rapport": "report",
    r"januari": "january", r"februari": "february", r"maart": "march", r"mei": "may", r"augustus": "august",
    # words as dictation mishears them ("how many sails last month", "the are eff em thing", "customer
    # person as", "average order valley", "co-hearts", "turn rate", "came means")
    r"sails": "sales", r"(?<=order\s)valley|(?<=order\s)valu": "value", r"(?<=customer\s)person\s+as": "personas",
    r"see\s+el\s+vee": "clv", r"are\s+eff\s+em": "rfm", r"cross[\s-]cell(?:ing)?": "cross sell",
    r"co-?\s?hearts?": "cohorts", r"turn\s+rate": "churn rate", r"came\s+means": "k means",
    # "rev by cat", "margin per cat": the category only after by/per (a "cat litter" stays one)
    r"(?<=\bby\s)cat|(?<=\bper\s)cat": "category", r"(?<=\bby\s)cats|(?<=\bper\s)cats": "categories",
    # French of France, Belgium and Morocco beyond the Québec words below: "le CA par catégorie", "CA total", "ca yoy" (the
    # chiffre d'affaires, never Canada's code after a French word), "du 01/03/2025 au 30/06/2025", "le S1 2024",
    # "1er trimestre 1998", "quantités vendues", "les 5 premiers", "les 15 clients les plus fidèles", "4 groupes",
    # "qui n'ont plus rien commandé depuis 90 jours", "sans nouveau deal depuis 9 mois", "CLV prédite à 2 ans"
    r"(?:du|de)\s+(?:le\s+)?(\d{1,2})(?:er)?([/.-]\d{1,2}(?:[/.-]\d{2,4})?)\s+(?:au|à|a|jusqu'au)\s+(?:le\s+)?"
    r"(\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?)": r"from \1\2 to \3",
    r"entre\s+(?:le\s+)?(\d{1,2})(?:er)?([/.-]\d{1,2}(?:[/.-]\d{2,4})?)\s+et\s+(?:le\s+)?(\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?)":
        r"between \1\2 and \3",
    r"s([12])\s*((?:19|20)\d{2}|\d{2})": r"h\1 \2",
    r"(?:le\s+|au\s+)?(?:1er|premier|1[eè]re?|premi[eè]re)\s+(?:trimestre|quarter)": "q1",
    r"(?:le\s+|au\s+)?(?:2n?d|2e|2[eè]me|deuxi[eè]me|second)\s+(?:trimestre|quarter)": "q2",
    r"(?:le\s+|au\s+)?(?:3e|3[eè]me|troisi[eè]me)\s+(?:trimestre|quarter)": "q3",
    r"(?:le\s+|au\s+)?(?:4e|4[eè]me|quatri[eè]me)\s+(?:trimestre|quarter)": "q4",
    r"(?:le\s+|au\s+)?(?:1er|premier)\s+semestre": "first half", r"(?:le\s+|au\s+)?(?:2n?d|2e|2[eè]me|deuxi[eè]me|second)\s+semestre":
        "second half",
    r"(?:les\s+)?(\d+)\s+premi(?:er|[eè]re)s": r"top \1", r"the\s+(\d+)\s+more\s+(profitable|valuable|loyal|active|frequent|important|expensive|engaged|satisfied)":
        r"the \1 most \2",
    r"(?:les\s+)?plus\s+fid[eè]les": "most loyal", r"(?:les\s+)?moins\s+rentables": "least profitable",
    r"groupes": "groups", r"groupe": "group", r"comptes": "accounts", r"compte(?=\s)": "account",
    r"visiteurs\s+uniques": "unique visitors", r"visiteurs": "visitors",
    r"pr[eé]dite?s?|pr[eé]vue?s?": "predicted", r"pr[eé]visions?": "forecast",
    r"(?:à|a)\s+(\d+)\s+ans": r"over \1 years",
    **_FRENCH_INACTIVE,
    r"secteurs?\s+d'activit[ée]|secteurs?": "industry", r"(?:moyens?|modes?)\s+de\s+(?:paiement|payement)": "payment method",
    r"anciennet[ée]": "tenure", r"(?<=\bpar\s)genre|(?<=\bet\s)genre": "gender", r"sexe": "gender",
    r"taille\s+moyenne": "average size", r"(?:à|a|pour|dans)\s+chaque": "for each", r"maand(?:en)?": "month",
    r"(?:qui\s+(?:sont|ont)\s+)?(?:partis|r[ée]sili[ée]e?s?)": "who churned",
    r"de\s+((?:19|20)\d{2})\s+(?:à|a|au|jusqu'(?:à|a|en))\s+((?:19|20)\d{2})": r"from \1 to \2",
    r"(?:les|mes|nos)\s+(\d+)\s+([^\W\d_]+)\s+(?:les\s+)?plus": r"top \1 \2 most",
    r"(?:les|mes|nos)\s+(\d+(?:[.,]\d+)?\s?%)(?:\s+(?:de|des))?(?:\s+meilleur(?:e?s)?)?": r"the top \1",
    # words of a stranger's French trial: "seulement les contrats mensuels", "montant mensuel moyen", "clients avec
    # personnes à charge", "note moyenne des avis", "par tranche d'âge et par genre", "par partenaire"
    r"personnes?\s+[àa]\s+charge": "dependents", r"partenaires?": "partner",
    r"notes?\s+moyennes?": "average score", r"(?:des\s+)?avis(?:\s+clients?)?": "reviews",
    r"tranches?\s+d'[âa]ge": "age band",
    # a French conversation's own words: "zoom sur les Month-to-month svp", "filtre France + Italie", "ajoute les
    # Pays-Bas aussi", "même chose pour desktop", "et social à la place", "parmi eux"
    r"s'il\s+(?:vous|te)\s+pla[iî]t|svp|stp|merci(?:\s+beaucoup)?": "please", r"filtre(?:r)?(?:\s+sur)?(?!\s*(?:kald|s[ıi]f[ıi]rla|yi|leri))": "filter",
    r"ajout(?:e|er|ez)": "add", r"aussi|[ée]galement": "too", r"(?:m[êe]me\s+chose|pareil)": "same",
    r"[àa]\s+la\s+place": "instead", r"zoom(?:e|er)?\s+sur": "zoom in on", r"focus(?:er)?\s+sur": "focus on",
    r"parmi\s+(?:eux|elles|ceux-ci|celles-ci)": "among them", r"ceux|celles": "those",
    # Darija in Latin letters, as a Moroccan seller mixes it in ("chhal mn client 3andi", "wach france kat achete
    # plus", "had l3am", "bzaf")
    r"(?:chhal|ch7al|shhal|chh?al)\s+(?:mn|men|min)": "how many", r"chhal|ch7al|shhal": "how much",
    r"(?:had|hed)\s+l3am|l3am\s+hada": "this year", r"l3am\s+li\s+fat|l3am\s+lifat|l3am\s+lmadi": "last year",
    r"(?:had|hed)\s+ch?har": "this month", r"ch?har\s+li\s+fat|ch?har\s+lifat": "last month",
    r"3andi|3ndi|3endi": "I have", r"wach": "does", r"bzaf|bzzaf": "a lot", r"dyal": "of",
    # Québec French beyond the French words above ("le mois passé", "l'an passé", "les 6 derniers mois", "depuis
    # janvier", "par rapport à", "pis", "checker", "c'est quoi", "les rabais", "les désabonnements")
    # a conversation's turns in Québec French: "juste 1998", "month-to-month seulement", "efface les filtres", "on repart à
    # zéro", "pis pour la Camping Tent?", "pk ils partent", "sur mobile"
    r"(?:on\s+)?(?:efface|enl[eè]ve|retire|oublie|supprime|r[ée]initialise)r?z?\s+(?:tous\s+)?(?:les\s+|mes\s+)?filtres|sans\s+(?:les\s+|aucun\s+)?filtres?|"
    r"(?:on\s+)?(?:efface|enl[eè]ve|retire|oublie|remets?)r?\s+tout(?:\s+[àa]\s+z[ée]ro)?|(?:reset|clear)\s+tout": "reset filters",
    r"on\s+repart\s+[àa]\s+z[ée]ro|(?:on\s+)?recommence|repartir\s+[àa]\s+z[ée]ro": "start over",
    r"(?:en\s+train\s+de\s+)?partir": "about to leave", r"lesquel(?:le)?s": "which ones", r"leurs?": "their",
    r"le\s+monde": "people", r"pas\s+contente?s?": "unhappy", r"comment\s+[çc]a\s+se\s+fait\s+que": "why",
    r"(?:[çc]a\s+)?a\s+baiss[eé]|baiss[eé]": "dropped", r"de\s+m[êe]me": "", r"plut[ôo]t": "instead",
    r"(?-i:et)(?=\s+\w)": "and", r"partent|quittent|s'en\s+vont": "leave", r"juste|seulement|uniquement": "only", r"pkoi|pq|pk(?=\s+(?:ils|elles|on|c'est|ça|le|la|les|[a-z]+\s+(?:est|sont|a|ont)\b))": "why", r"pour(?:\s+(?:la|le|les))?": "for",
    r"sur(?:\s+(?:le|la|les))?(?=\s+(?:web|mobile|app|desktop|tablet|tablette|magasin|store|les?\s))": "on",
    r"cmb|combien(?=\s+d')": "how many", r"nb\.?(?:\s+de|\s+d')?": "number of", r"ds": "in",
    r"(?:sur|dans)\s+(\d+)\s+ans": r"over \1 years", r"chialent|chiale|se\s+plaignent": "complain",
    r"livraisons?": "delivery", r"revenus?": "revenue", r"industries|industrie": "industry", r"r[eé]gions?": "region",
    r"type\s+de\s+contrat|contrats?": "contract", r"type\s+d'internet": "internet service",
    r"(?:les\s+)?plus\s+rentables": "most profitable", r"fais-moi|fais\s+moi": "make", r"liste-moi": "list",
    r"(?:le\s+)?mois\s+(?:pass[eé]|dernier)": "last month", r"(?:ce\s+)?mois-ci|ce\s+mois": "this month",
    r"(?:l'|l\s)?(?:an|ann[eé]e)\s+(?:pass[eé]e?|derni[eè]re?)": "last year", r"l'an\s+prochain|l'ann[eé]e\s+prochaine":
        "next year",
    r"(?:le\s+)?trimestre\s+(?:pass[eé]|dernier)|(?:le\s+)?dernier\s+trimestre": "last quarter",
    r"(?:les\s+)?(\d+)\s+derniers\s+mois": r"last \1 months", r"(?:les\s+)?(\d+)\s+derniers\s+jours": r"last \1 days",
    r"(?:les\s+)?(\d+)\s+derni[eè]res\s+semaines": r"last \1 weeks", r"(?:les\s+)?(\d+)\s+derni[eè]res\s+ann[eé]es":
        r"last \1 years",
    r"(?:dans\s+)?(?:les\s+)?(\d+)\s+prochains\s+mois": r"next \1 months", r"depuis\s+(\d+)\s+mois": r"last \1 months",
    r"depuis\s+(\d+)\s+jours": r"last \1 days", r"depuis(?:\s+le)?": "since", r"jusqu'(?:à|a|au)|jusqu'en": "until",
    r"compar[eé]e?s?\s+(?:à|a|au|avec)": "compared to", r"comparer|comparez": "compare",
    r"pis": "and", r"mettons|coudonc|tsé": "", r"checker|checke": "check", r"quels?|quelles?": "which",
    r"qui\s+(?:vont|va)\s+avec": "that go with", r"(?:vont|va)\s+avec": "go with", r"avec": "with",
    r"moyenne|moyen": "average", r"remboursements?": "refunds", r"retours": "returns", r"rabais|escomptes?": "discounts",
    r"acheteurs": "buyers", r"ach[eè]tent": "buy", r"achet[eé]e?s": "bought", r"d[eé]sabonnements?": "churn",
    r"d[eé]sabonn[eé]e?s": "churned", r"taux\s+de\s+r[eé]tention": "retention rate", r"r[eé]tention": "retention",
    r"(?<!\w\s)taux(?=\s+de\s+\w)": "rate", r"hebdo(?:madaire)?s?": "weekly",
    r"mensuel(?:le)?s?": "monthly", r"annuel(?:le)?s?": "yearly", r"trimestriel(?:le)?s?": "quarterly",
    r"jours": "days", r"(?:le\s+)?plus\s+(?:gros|grands?)": "biggest", r"le\s+plus": "the most", r"le\s+moins": "the least",
    r"pires?": "worst", r"en\s+ligne": "online", r"magasin": "store", r"fournisseurs": "suppliers",
    r"concurrents": "competitors", r"sondage": "survey", r"entrevues?": "interview",
    r"d[eé]c\.": "dec", r"janv\.?": "jan", r"f[eé]vr?\.": "feb", r"avr\.": "apr", r"juil\.": "jul", r"sept\.": "sep",
    # French words a francophone mixes into English beyond those above ("les ventes par mois", "which ville",
    # "the abonnés who go", "taux de départ", "valeur vie client", "accounts perdus", "the colonnes")
    r"(?:les\s+)?moins\s+vendu(?:e)?s?": "least sold", r"(?:les\s+)?plus\s+vendu(?:e)?s?": "best selling",
    r"ventes": "sales", r"vente": "sale", r"les(?=\s)": "the", r"(?-i:l[ae])(?=\s+[^\W\d_])": "the", r"fibre(?:\s+optique|\s+optic)?": "fiber optic", r"colonnes": "columns", r"colonne": "column",
    r"villes": "cities", r"ville": "city", r"abonn[eé]e?s": "subscribers", r"abonn[eé]e?": "subscriber",
    r"perdue?s|perdue": "lost", r"taux\s+de\s+(?:d[eé]part|d[eé]sabonnement|r[eé]siliation|churn|perte)": "churn rate",
    r"taux\s+de\s+conversion": "conversion rate", r"taux\s+de\s+(?:r[eé]ussite|succ[eè]s|gain)": "win rate",
    r"valeur\s+(?:vie|à\s+vie|a\s+vie)\s+(?:du\s+)?client|valeur\s+client": "customer lifetime value",
    r"fid[eè]les": "loyal",
    r"mois": "month", r"ann[eé]es": "years", r"ann[eé]e": "year", r"semaines?": "week", r"pourquoi": "why",
    r"meilleurs?|meilleures?": "best", r"(?<=\d\s)et(?=\s+\d)": "and",
    r"paniers": "baskets", r"panier(?!\s+moyen)": "basket", r"c'est\s+quoi": "what is",
    r"juntos|juntas|ensemble|insieme": "together",
    # Portuguese beyond the words above ("clientes que desistiram", "taxa de sucesso", "a média", "negócios")
    r"desistiram|desistem|desistir|desistiu": "churned", r"taxa\s+de\s+(?:sucesso|fecho|ganho)": "win rate",
    r"taxa\s+de\s+(?:abandono|desist[eê]ncia|cancelamento)": "churn rate", r"m\u00e9dias?": "average",
    r"por(?=\s+(?:encomenda|pedido|compra|cliente|order|purchase|customer|cabe[cç]a)\b)": "per",  # "média por encomenda"
    r"neg[oó]cios": "deals", r"neg[oó]cio": "deal", r"descontos": "discounts", r"desconto": "discount",
    # Russian in Latin letters and Cyrillic ("vyruchka po mesyatsam", "ottok by contract", "sredniy chek",
    # "kogorty po kvartalam", "klienty", "za god", "сумма сделок по кварталам", "отзывы клиентов")
    r"vyruchk[aiu]|выручк[аиу]|оборот": "revenue", r"klient(?:y|ov|ami)|клиент(?:ы|ов|ами)|покупател(?:и|ей)": "customers",
    r"klient|клиент": "customer", r"abonent(?:y|ov|s)|абонент(?:ы|ов)": "subscribers", r"zakaz(?:y|ov)|заказ(?:ы|ов)": "orders",
    r"zakaz|заказ": "order", r"ottok|отток": "churn", r"kogort(?:y|a|nyi|nyy)|когорт(?:ы|а|ный)": "cohort",
    r"otch[eyё]t|отч[её]т": "report", r"(?:sredn(?:iy|ij|ii)|средний)\s+(?:chek|check|чек)": "average order value",
    r"pribyl|прибыль": "profit", r"sdel(?:ki|ok)|сдел(?:ки|ок)": "deals", r"summ?a|сумма": "total", r"отзывы": "reviews",
    r"(?:po|по)\s+(?:mesyatsam|месяцам)": "by month", r"(?:po|по)\s+(?:kvartalam|кварталам)": "by quarter",
    r"(?:po|по)\s+(?:godam|годам)": "by year", r"(?:po|по)\s+(?:nedelyam|неделям)": "by week",
    r"(?:po|по)\s+(?:dnyam|дням)": "by day", r"(?:po|по)\s+(?:stranam|странам)": "by country",
    r"(?:po|по)\s+(?:kategoriyam|категориям)": "by category", r"(?:po|по)\s+(?:regionam|регионам)": "by region",
    r"(?-i:po)(?=\s+(?:[a-z_]+\s+)?(?:months?|quarters?|years?|weeks?|days?|countr(?:y|ies)|categor(?:y|ies)|"
    r"products?|channels?|regions?|segments?|contracts?|industr(?:y|ies)|stages?|gender|city|cities|device)\b)": "by",
    r"(?:za|за)\s+(?:god|год)": "per year", r"(?:za|за)(?=\s+(?:\d{4}|q[1-4]|h[12])\b)": "in", r"за(?=\s)": "in",
    r"dinamik[aiu]|динамик[аиу]": "trend", r"dynamics\s+of": "trend of",
    r"skolko|сколько": "how many", r"kakaya|kakoy|kakie|какая|какой|какие": "what", r"u\s+nas|у\s+нас": "",
    # Egyptian Arabic in Latin letters and digits, as Arabizi writes it ("kam order fel shahr da", "el mabi3at
    # per country", "3ayez a3raf", "leh accounts el Retail mesh byrga3o", "el zaboon byrga3 ba3d kam yom")
    r"(?:el\s+)?mabi3at": "sales", r"(?:el\s+)?(?:zaboon|zbon|zeboon)": "customer",
    r"(?:el\s+)?(?:zabayen|zbayen|zabayn)": "customers", r"kam(?=\s)": "how many", r"be\s+kam": "how much",
    r"(?:el\s+)?sana\s+(?:di|de|dih)": "this year", r"(?:el\s+)?sana\s+elli\s+fatet": "last year",
    r"(?:el\s+)?shahr\s+(?:da|dah|dh)": "this month", r"(?:el\s+)?shahr\s+elli\s+fat": "last month",
    r"akher\s+(\d+)\s+(?:shohor|ashhor|shhor)": r"last \1 months", r"akher\s+(\d+)\s+(?:ayam|yom)": r"last \1 days",
    r"shohor|ashhor": "months", r"shahr": "month", r"sana": "year", r"(?:el\s+)?(?:yom|youm)": "days", r"ayam": "days",
    r"fel|fil": "in", r"(?-i:fe)(?=\s+(?:el|kol|\d))": "in", r"kol": "each", r"3ayez|3ayz|3ayza|3awez": "i want",
    r"a3raf": "know", r"leh": "why", r"meen|min\s+elli": "who", r"ba3d": "after", r"2abl": "before",
    r"eshtara|eshtaro|eshtarou": "bought", r"(?:bi|b)?yeshtery|yeshtro|bysht(?:e|i)ry": "buy",
    r"(?:bi|b)?yrga3(?:o|u)?|rege3(?:o|u)?|rag3(?:in|een)": "come back", r"tany|tani": "again",
    r"khasarna(?:h|hom)?|khsarna": "we lost", r"(?:bi|b)?nekhsar\s+fehom": "we lose money on",
    r"elli|illi": "who", r"msh|mesh(?=\s+(?:fulus|flous|felous)\b)": "not", r"wala\s+la2": "or not", r"ya3ni|yalla|khalas|ba2a|keda": "",
    r"kaman": "also", r"aktar": "most", r"a2al": "least", r"kteer": "a lot", r"mena|menna": "from us",
    r"(?-i:el)(?=\s+[A-Z0-9])": "the",
    # Thai in Latin letters, and its polite particles ("customer come back how many na", "yod khai per duean",
    # "tao rai ka", "convert mai ka")
    r"(?:luk\s*kha|lukkha|ลูกค้า)": "customers", r"(?:yod\s*khai|yodkhai|ยอดขาย)": "sales",
    r"(?:tao|thao)\s*rai|เท่าไหร่|เท่าไร": "how much", r"duean|deuan|เดือน": "month", r"(?-i:pee)(?=\s|$|[?.!,])": "year",
    r"(?<=\w\s)(?:mai\s+)?(?:ka|kha|krub|krap|khrap|kub|na|na\s+ka|jaa?)(?=\s*(?:[?.!,]|$))": "",
    r"(?<=\w\s)mai(?=\s*(?:[?.!,]|$))": "",
    # Malay beside the Indonesian below ("jualan bulan lepas", "tahun ni banding tahun lepas", "suku pertama 2025",
    # "ikut jenis kontrak", "berhenti langganan", "90 hari tak order", "6 bulan boh beli", "Dis 2025", "Mac 2025")
    r"(\d+)\s+bulan\s+(?:tak|tidak|x|boh|belum)\s+(?:beli|order|membeli|datang)\w*(?:\s+(?:apa-apa|lagi))?": r"not bought in \1 months",
    r"(?:tak|tidak|x|boh|belum)\s+(?:beli|order|membeli)\w*(?:\s+(?:apa-apa|lagi))?,?\s+(?:(?:dalam|sejak|selama|lebih(?:\s+dari(?:pada)?)?)\s+)?(\d+)\s+bulan":
        r"not bought in \1 months",
    r"(\d+)\s+hari\s+(?:tak|tidak|x|boh|belum)\s+(?:beli|order|membeli|datang)\w*(?:\s+(?:apa-apa|lagi))?": r"not bought in \1 days",
    r"(?:tak|tidak|x|boh|belum)\s+(?:beli|order|membeli)\w*(?:\s+(?:apa-apa|lagi))?,?\s+(?:(?:dalam|sejak|selama|lebih(?:\s+dari(?:pada)?)?)\s+)?(\d+)\s+hari":
        r"not bought in \1 days",
    r"(\d+)\s+minggu\s+(?:tak|tidak|x|boh|belum)\s+(?:beli|order|membeli|datang)\w*(?:\s+(?:apa-apa|lagi))?": r"not bought in \1 weeks",
    r"(?:tak|tidak|x|boh|belum)\s+(?:beli|order|membeli)\w*(?:\s+(?:apa-apa|lagi))?,?\s+(?:(?:dalam|sejak|selama|lebih(?:\s+dari(?:pada)?)?)\s+)?(\d+)\s+minggu":
        r"not bought in \1 weeks",
    r"(\d+)\s+bulan\s+(?:lepas|lalu|kebelakangan(?:\s+ini)?)": r"last \1 months", r"bulan\s+lepas": "last month",
    r"tahun\s+lepas": "last year", r"suku\s+(?:tahun\s+)?lepas": "last quarter", r"bulan\s+ni": "this month",
    r"tahun\s+ni": "this year", r"suku\s+(?:tahun\s+)?(?:pertama|satu|1)": "Q1", r"suku\s+(?:tahun\s+)?(?:kedua|dua|2)": "Q2",
    r"suku\s+(?:tahun\s+)?(?:ketiga|tiga|3)": "Q3", r"suku\s+(?:tahun\s+)?(?:keempat|empat|4)": "Q4",
    r"suku\s+tahun|suku": "quarter", r"berbanding(?:\s+dengan)?": "compared to", r"banding\w*": "compare",
    r"(?:meng)?ikut": "by", r"berhenti\s+langgan\w*|henti\s+langgan\w*|putus\s+langgan\w*": "churned",
    r"langganan": "subscription", r"kadar": "rate", r"jenis\s+kontrak": "contract type", r"kontrak": "contract",
    r"kaedah\s+(?:pembayaran|bayaran)": "payment method", r"senarai(?:kan)?": "list", r"berisiko": "at risk",
    r"jualan|jualn|hasil\s+jualan|pendapatan": "sales", r"pelangan": "customers", r"pulangan|bayaran\s+balik": "returns",
    r"diskaun": "discount", r"kos": "cost", r"jumlah": "total", r"berapa\s+ramai": "how many", r"saluran": "channel",
    r"jantina": "gender", r"umur": "age", r"bandar": "city", r"rantau|wilayah": "region", r"bagi": "for",
    r"boleh\s+(?:tunjuk|tunjukkan|bagi|senaraikan)": "please show", r"tunjukkan|tunjuk": "show", r"produk2": "products",
    r"(?-i:Dis)(?=\s+(?:19|20)?\d\d)|disember": "december", r"(?-i:Mac)(?=\s+(?:19|20)\d\d)": "march", r"ogos": "august",
    # a conversation's turns in Malay: "reset penapis", "Electronics sahaja", "tahun ni pula?", "bagaimana pula dengan
    # referral?", "tukar kepada champions", "pecahkan ikut kategori"
    r"(?:reset|buang|lupakan|padam|kosongkan)\s+(?:semua\s+)?penapis|reset\s+semua": "reset filters", r"penapis": "filters",
    r"bagaimana\s+(?:pula\s+)?dengan|macam\s+mana\s+dengan": "what about", r"tukar\s+(?:kepada|ke)": "only",
    r"sahaja|hanya": "only", r"(?<=\w\s)pula(?=\s*(?:[?.!,]|$))": "instead", r"pecahkan|pecah": "break down",
    r"peranti": "device", r"keseluruhan": "overall", r"menguntungkan": "profitable", r"mereka": "they",
    r"kumpulan": "group", r"tersebut": "that", r"guna": "use", r"apakah": "what are", r"faktor": "factors",
    r"utama": "main", r"datang": "came", r"sediakan": "prepare", r"laporan\s+penuh": "full report", r"untuk": "for",
    r"julai": "july", r"(?-i:Jun)(?=\s+(?:19|20)\d\d)": "june", r"ady|liao|walao": "", r"dengan": "with",
    r"lebih\s+(?:dari(?:pada)?\s+)?(?=\d)": "more than ",
    # Indonesian and Malay ("berapa pelanggan per bulan", "penjualan tahun lalu", "yg sering dibeli bareng",
    # "kenapa pelanggan berhenti", "laporan lengkap", "rata2", "3 bulan terakhir"); omzet is above
    r"(\d+)\s+bulan\s+terakhir": r"last \1 months", r"(\d+)\s+hari\s+terakhir": r"last \1 days",
    r"(\d+)\s+minggu\s+terakhir": r"last \1 weeks", r"bulan\s+(?:lalu|kemarin)": "last month",
    # "12 bulan ke depan", "2 tahun ke depan", "setahun ke depan": a span ahead (a CLV's horizon)
    r"(\d+)\s+bulan\s+(?:ke\s*depan|mendatang)": r"next \1 months", r"(\d+)\s+tahun\s+(?:ke\s*depan|mendatang)": r"next \1 years",
    r"setahun\s+(?:ke\s*depan|mendatang)": "next year",
    r"tahun\s+(?:lalu|kemarin)": "last year", r"sampai|sampe|hingga": "to", r"sejak|semenjak": "since",
    r"dibanding(?:kan)?(?:\s+(?:dengan|sama))?": "compared to", r"januari": "january", r"februari": "february",
    r"maret": "march", r"(?-i:mei)(?=\s+(?:19|20)\d\d)|mei(?=\s+(?:19|20)\d\d)": "may", r"juni": "june", r"juli": "july",
    r"agustus": "august", r"oktober": "october", r"desember": "december",
    r"kuartal\s+(?:terakhir|lalu|kemarin)": "last quarter", r"kuartal": "quarter", r"bulan\s+ini": "this month", r"tahun\s+ini": "this year",
    r"(?:per|tiap|setiap)\s+bulan|bulanan": "per month", r"(?:per|tiap|setiap)\s+tahun|tahunan": "per year",
    r"(?:per|tiap|setiap)\s+minggu|mingguan": "per week", r"bulan": "month", r"tahun": "year", r"minggu": "week",
    r"hari": "days", r"pelanggan|konsumen": "customers", r"penjualan(?:nya)?|omzetnya": "sales", r"pesanan": "orders",
    r"pembelian": "purchases", r"produk": "product", r"barang": "items", r"keranjang": "basket",
    r"berapa\s+banyak|berapa|brp|brapa": "how many", r"rata2|rata-rata|rata\s+rata|rerata": "average",
    r"(?:sering\s+)?(?:dibeli|kebeli|beli)\s+(?:barengan|bareng|bersamaan)|sekeranjang|dibarengin|barengan": "bought together",
    r"kenapa|mengapa": "why", r"berhenti(?:\s+beli)?|kabur|cabut|hilang": "left", r"setia": "loyal",
    r"(?:balik|kembali)\s+beli(?:\s+lagi)?|beli\s+lagi|repeat\s+order": "repeat purchase",
    r"laporan\s+lengkap": "full report", r"laporan": "report", r"untung\s+bersih": "net profit",
    r"keuntungan|untung|laba": "profit", r"rugi|merugi": "losing money", r"retensi": "retention",
    r"konversi": "conversion", r"kepuasan": "satisfaction", r"ringkasan": "summary", r"segmen": "segment",
    r"ancaman": "threat", r"pendatang\s+baru": "new entrants", r"produk\s+pengganti": "substitutes",
    r"kuesioner|survei": "survey", r"pertanyaan": "questions", r"kategori": "category", r"negara": "country",
    r"kota": "city", r"diskon|potongan": "discount", r"siapa(?:\s+aja|\s+saja)?": "who", r"(?-i:yg|yang)": "that",
    r"paling\s+(?:banyak|laris|gede|besar|tinggi)": "the most", r"paling": "most", r"sering": "often",
    r"(?-i:sama)(?=\s)": "with", r"(?-i:dan)(?=\s)": "and", r"(?-i:dari)(?=\s)": "from", r"(?-i:di)(?=\s)": "in",
    r"(?-i:ga|gak|nggak|ngga|tidak|enggak)(?=\s|$|[?.!,])": "not", r"gmn|gimana|bagaimana": "how",
    r"(?<=\w\s)(?:dong|ya|kak|sih|tuh|nih|deh|aja|saja|kok)(?=\s*(?:[?.!,]|$))": "",
    r"(?:nilai\s+)?seumur\s+hidup": "lifetime value", r"nilai\s+(?:pesanan|order|belanja|transaksi)": "order value",
    r"nilai(?:nya)?": "value", r"cuan": "profit",
    r"(?-i:ga|gak|tidak)\s+puas": "unhappy", r"puas": "satisfied", r"antar": "between", r"ilang": "left",
    r"gabung|daftar": "joined", r"persen": "percent", r"skrg|sekarang": "now", r"masih\s+aktif": "still active",
    r"konsentrasi": "concentration", r"numpuk": "concentrated", r"analisa|analisis": "analysis",
    r"dokumen": "document", r"harga\s+saham": "share price", r"kurs": "exchange rate", r"biasanya": "usually",
    r"apa\s+lagi": "what else", r"juga": "also", r"(?-i:ambil)": "buy",
    r"ma3(?=\s)": "with", r"nafs\s+el": "the same", r"momken": "could", r"yemshu|yebattal(?:o|u)?": "leave",
    r"3ala\s+wesh(?:\s+enhom|\s+en)?": "about to", r"(?:el\s+)?ghalyeen": "valuable", r"si3r": "price of",
    r"(?:el\s+)?naharda": "today",
    # follow-ups said the same ways ("kalo yg Germany aja?", "eh bukan, maksud aku France", "hapus filternya", "w fel
    # Japan bas?", "la2 sorry, B2C I mean", "desculpe, I meant 2024", "enlève les filtres")
    r"kalo|kalau": "what about", r"maksud(?:nya|\s+aku|\s+saya|\s+gue|\s+ku)?": "i meant", r"bukan": "no",
    r"doang": "only", r"jg": "also", r"hapus\s+(?:semua\s+)?filter(?:nya)?": "reset filters", r"setaun": "a year",
    r"semester\s+1(?=\s)": "first half", r"semester\s+2(?=\s)": "second half",
    r"(?<=\w\s)bas(?=\s*(?:[?.!,]|$))": "only", r"^w(?=\s+\w)": "and", r"la2": "no", r"desculp[ea]": "sorry",
    r"se\s+faz\s+favor": "please", r"margem": "margin", r"enl[eè]ve[sz]?\s+(?:les|tous\s+les)\s+filtres": "reset filters",
    # "best-selling product in 2018": the words apart, as "best selling product" is read
    r"best-selling": "best selling", r"top-selling": "top selling", r"worst-selling": "worst selling",
    r"fastest-selling": "fastest selling", r"slowest-selling": "slowest selling", r"biggest-selling": "biggest selling",
    r"highest-selling": "highest selling", r"lowest-selling": "lowest selling",
    # Turkish, with its own letters or without them, mixed into English or written whole ("2025 toplam ciro ne
    # kadar", "kategori bazında satış", "geçen yıl ile karşılaştır", "müşterilerimiz", "6 aydır sipariş vermeyen",
    # "Almanya müşterileri", "aralık'a kadar"); a suffix after an apostrophe belongs to the word ("2025'te")
    # "6 aydır sipariş vermeyen", "3 aydır bişey almayan", "bir yıldır alışveriş yapmayan": inactive that long
    r"(?:son\s+)?(\d+)\s+ayd[ıi]r" + _TR_NOT_BOUGHT: r"who have not ordered in \1 months",
    r"(?:son\s+)?(\d+)\s+g[üu]nd[üu]r" + _TR_NOT_BOUGHT: r"who have not ordered in \1 days",
    r"bir\s+y[ıi]ld[ıi]r" + _TR_NOT_BOUGHT: "who have not ordered in a year",
    # the months, with "from" and "to" said as endings ("mart'tan mayıs'a": from March to May)
    **_TURKISH_MONTHS,
    r"ge[çc]en\s+y[ıi]l(?:[ıi]n|a|da|dan|la|ki)?|ge[çc]en\s+sene(?:nin|ye|de|den)?|[öo]nceki\s+y[ıi]l(?:[ıi]n|a|da)?":
        "last year",
    r"bu\s+y[ıi]l(?:[ıi]n|da|ki)?|bu\s+sene(?:nin|de)?": "this year",
    r"ge[çc]en\s+ay(?:[ıi]n|da|dan|ki)?|[öo]nceki\s+ay(?:[ıi]n|da)?": "last month", r"bu\s+ay(?:[ıi]n|da|ki)?": "this month",
    r"(?:ge[çc]en|[öo]nceki|son)\s+[çc]eyre[kğg](?:in|de|te)?": "last quarter",
    r"son\s+(\d+)\s+ay(?:da|d[ıi]r|l[ıi]k|[ıi]n)?": r"last \1 months", r"son\s+(\d+)\s+g[üu]n(?:de|d[üu]r|l[üu]k|[üu]n)?":
        r"last \1 days",
    r"son\s+(\d+)\s+hafta(?:da|d[ıi]r|l[ıi]k|n[ıi]n)?": r"last \1 weeks", r"son\s+(\d+)\s+y[ıi]l(?:da|d[ıi]r|l[ıi]k)?":
        r"last \1 years",
    r"(\d+)\s+ayd[ıi]r": r"in \1 months", r"(\d+)\s+g[üu]nd[üu]r": r"in \1 days", r"bir\s+y[ıi]ld[ıi]r": "in a year",
    r"(\d+)\s+y[ıi]ld[ıi]r": r"in \1 years",
    r"y[ıi]l\s+y[ıi]l": "year by year", r"ay\s+ay": "month by month",
    r"ayl[ıi]k": "monthly", r"haftal[ıi]k": "weekly", r"y[ıi]ll[ıi]k": "yearly", r"g[üu]nl[üu]k": "daily",
    r"[çc]eyrek\s+baz[ıi]nda|[çc]eyreklik": "quarterly", r"[çc]eyre[kğg](?:ler|in|de|te)?": "quarter",
    r"(\d+)\s+ay(?=\s|$|[?.!,])": r"\1 months", r"(\d+)\s+g[üu]n(?:l[üu]k)?": r"\1 days", r"(\d+)\s+hafta(?:l[ıi]k)?":
        r"\1 weeks",
    r"(\d+)\s+y[ıi]l(?:l[ıi]k)?": r"\1 years", r"y[ıi]l(?:[ıi]|da|lar)?": "year",
    # "kategori bazında", "ülkeye göre": a breakdown said after its column, as "wise" is (read by ``_WISE``)
    r"baz[ıi]nda|bazl[ıi]|g[öo]re": "wise",
    # a conversation's turns in Turkish: "filtreleri sıfırla", "baştan başla", "B2B olanlar", "aynısı 2024 için", "Q3 2024
    # ile kıyasla", "Healthcare yerine Finance"
    r"filtre\w*\s+(?:s[ıi]f[ıi]rla|kald[ıi]r|temizle)\w*|s[ıi]f[ıi]rla\w*": "reset filters",
    r"ba[şs]tan\s+ba[şs]la\w*|s[ıi]f[ıi]rdan\s+ba[şs]la\w*": "start over",
    r"(?:k[ıi]yaslama\w*|kar[şs][ıi]la[şs]t[ıi]rma\w*)\s+(?:b[ıi]rak|kald[ıi]r|unut|iptal)\w*": "drop the comparison",
    r"((?:q[1-4]\s+|h[12]\s+)?(?:19|20)\d{2})\s+ile\s+(?:k[ıi]yasla|kar[şs][ıi]la[şs]t[ıi]r)\w*": r"compared to \1",
    r"bunlar[ıi]n\s+ka[çc][ıi]|ka[çc][ıi]": "how many of them", r"bunlar\w*|bunlarin": "them", r"nas[ıi]l": "how",
    r"da[ğg][ıi]l[ıi]m\w*": "split", r"yan\s+yana": "side by side", r"ne\s+olmu[şs]": "what happened", r"ki[şs]i": "people",
    r"k[ıi]yasla\w*": "compare", r"ikisini": "the two", r"ayn[ıi]s[ıi](?:n[ıi])?": "the same", r"yerine": "instead of",
    r"(?<=\w\s)olan(?:lar|larda|lar[ıi]|lara)?(?=\s|$|[?.!,])": "only", r"peki": "ok",
    # a year with its case ending ("2025te", "2025'te", "2023ten beri": in 2025, since 2023)
    r"((?:19|20)\d{2})'?(?:ten|tan|den|dan)\s+(?:beri|bu\s+yana|itibaren)": r"since \1",
    r"((?:19|20)\d{2})'?(?:deki|teki|daki|taki|te|ta|de|da)": r"in \1",
    # a suffix after an apostrophe on a name or a word of the data ("mobile'da", "Avrupa'daki", "industry'e", "Blender'la")
    # (the longest ending first: the pattern is applied again to the words it found)
    r"([a-z0-9]{2,})'(?:daki|deki|taki|teki|lara|lere|ları|leri|dan|den|tan|ten|nın|nin|yla|yle|lar|ler|da|de|ta|te|"
    r"yı|yi|ya|ye|ın|in|un|ün|la|le|ı|i|u|ü|a|e)": r"\1",
    r"avrupa\w*": "Europe",
    # the future ("önümüzdeki 12 ay", "gelecek 6 ay", "seneye"): a CLV's horizon
    r"(?:gelecek|[öo]n[üu]m[üu]zdeki|sonraki)\s+(\d+)\s+ay\w*": r"next \1 months",
    r"(?:gelecek|[öo]n[üu]m[üu]zdeki|sonraki)\s+(\d+)\s+y[ıi]l\w*": r"next \1 years",
    r"gelecek\s+y[ıi]l\w*|[öo]n[üu]m[üu]zdeki\s+y[ıi]l\w*|seneye": "next year",
    # "4 gruba böl", "3 segmente ayır": split into that many groups
    r"(\d+)\s+(?:gruba|segmente|k[üu]meye|par[çc]aya|kategoriye)(?:\s+(?:b[öo]l|ay[ıi]r)\w*)?": r"into \1 groups",
    r"(\d+)\s+grup\w*": r"\1 groups",
    # "ilk 5" (the first 5), "en sadık 20", "en çok satan": tops and superlatives
    r"ilk\s+(\d+)": r"top \1",
    # "müşteri sayısı", "sipariş sayısı", "üye sayısı": the number of
    r"m[üu][şs]teri\w*\s+say[ıi]s[ıi]\w*": "number of customers", r"sipari[şs]\w*\s+say[ıi]s[ıi]\w*": "number of orders",
    r"[üu]ye\w*\s+say[ıi]s[ıi]\w*": "number of members", r"iade\w*\s+say[ıi]s[ıi]\w*": "number of returns",
    r"say[ıi]s[ıi]\w*": "count", r"ortalama\s+(?:sipari[şs]\s+)?tutar\w*": "average order value", r"tutar\w*": "amount",
    r"harca\w*": "spent", r"kazan[ıi]lan\w*|kazand[ıi][ğg][ıi]m[ıi]z\w*": "won", r"kaybet\w*": "lost",
    r"kad[ıi]n\s*(?:/|-|ve|,)?\s*erkek": "by gender", r"kad[ıi]n\w*": "women", r"erkek\w*": "men",
    r"s[öo]zle[şs]me\w*\s+tip\w*|s[öo]zle[şs]me\w*": "contract", r"[öo]deme\s+(?:y[öo]ntem|[şs]ekl)\w*": "payment method",
    r"kredi\s+kart\w*": "credit card", r"ayl[ıi]k\s+[üu]cret\w*": "monthly charges", r"kargo\w*|teslimat\w*": "delivery",
    r"fiyat\w*": "price", r"kalite\w*": "quality", r"destek\w*": "support", r"cihaz\w*": "device", r"mobil": "mobile",
    r"d[öo]n[üu][şs][üu]m\w*": "conversion",
    r"m[üu][şs]teri\s+kayb[ıi]\w*|kay[ıi]p\s+oran[ıi]\w*|terk\s+oran[ıi]\w*|[üu]yelik\s+iptal\w*": "churn",
    r"sipari[şs]\s+verme(?:yen|mi[şs])\w*": "who have not ordered",
    r"al[ıi][şs]veri[şs]\s+yapma(?:yan|m[ıi][şs])\w*|(?:hi[çc]\s+)?almayan\w*|gelmeyen\w*": "who have not bought",
    r"tekrar\s+(?:al[ıi]m|sipari[şs]|al[ıi][şs]veri[şs]|sat[ıi]n\s+alma)\w*": "repeat purchase",
    r"(?:birlikte|beraber)\s+(?:sat[ıi]n\s+)?al[ıi]n\w*|birlikte\s+sat[ıi]lan\w*|beraber\s+sat[ıi]lan\w*": "bought together",
    r"ile\s+(?:beraber|birlikte)": "together with", r"ortalama\s+sepet(?:\s+tutar[ıi])?|sepet\s+ortalamas[ıi]":
        "average order value",
    r"ciro\w*|has[ıi]lat\w*": "revenue", r"sat[ıi][şs](?!f)\w*": "sales", r"m[üu][şs]teri\w*": "customers",
    r"sipari[şs]\w*": "orders", r"[üu]r[üu]n\w*": "products", r"iade\w*": "returns", r"indirim\w*": "discounts",
    r"k[âa]rl[ıi]l[ıi][kğg]\w*": "profitability", r"k[âa]rl[ıi]": "profitable", r"k[âa]r[ıi](?:n[ıi])?|k\u00e2r": "profit",
    r"zarar\w*": "losses", r"marj\w*": "margin", r"maliyet\w*": "cost", r"toplam": "total", r"ortalama": "average",
    r"sepet\w*": "basket", r"adet": "units", r"ka[çc]\s+tane|ka[çc]": "how many", r"ne\s+kadar": "how much",
    r"neden|niye|ni[çc]in": "why", r"hangi(?:si|leri)?": "which", r"kimler(?:dir)?|kimdir|kim(?=\s*(?:[?]|$))": "who",
    r"kar[şs][ıi]la[şs]t[ıi]r\w*": "compare", r"ile": "and", r"ve": "and", r"veya|ya\s+da": "or", r"i[çc]in": "for",
    r"sadece|yaln[ıi]zca": "only", r"hari[çc]": "excluding", r"g[öo]ster\w*": "show", r"listele\w*": "list",
    r"l[üu]tfen": "please", r"kanal\w*": "channel", r"kategori\w*": "category", r"[üu]lke\w*": "country",
    r"b[öo]lge\w*": "region", r"[şs]ehir\w*": "city", r"cinsiyet\w*": "gender", r"ya[şs]\s+grub\w*": "age group",
    r"sad[ıi]k": "loyal", r"sadakat\w*": "loyalty", r"memnuniyetsiz\w*": "unsatisfied", r"memnuniyet\w*": "satisfaction",
    r"memnun": "satisfied", r"[şs]ikayet\w*": "complaints", r"yorum\w*": "comments", r"b[ıi]rak\w*": "leaving",
    r"iptal\w*": "cancelled", r"[üu]ye\w*": "members", r"yeni": "new", r"k[üu]me\w*": "clusters",
    r"grupla\w*|gruplar\w*": "segments", r"veri(?:de|deki)?|data(?:da|daki)": "data",
    r"var\s+m[ıi]": "are there", r"(?<=\w\s)(?:m[ıuü]|mi(?=\s*[?]))(?=\s|$|[?.!,])": "", r"abi|yani|mesela|hocam": "",
    # Vietnamese, with its marks or without them ("doanh thu theo tháng", "khach hang o Duc", "so sánh cùng kỳ năm
    # trước", "sản phẩm bán chạy nhất quý 3", "tháng 3/2025", "3 tháng gần đây", "giúp em nhé")
    # a conversation's turns in Vietnamese: "bỏ hết filter", "reset lại", "còn web thì sao", "ở Úc thôi", "so với 2024"
    r"(?:b[ỏo]|x[óo]a)\s+(?:h[ếe]t\s+)?(?:c[áa]c\s+)?(?:filters?|b[ộo]\s+l[ọo]c)(?:\s+[đd]i)?|reset\s+l[ạa]i": "reset filters",
    r"l[àa]m\s+l[ạa]i\s+t[ừu]\s+[đd][ầa]u": "start over", r"th[ếe]\s+còn|còn\s+ri[êe]ng|còn": "and",
    r"th[ìi]\s+sao|th[ếe]\s+n[àa]o": "?", r"th[ôo]i|ri[êe]ng": "only", r"so\s+v[ớo]i": "compared to", r"thêm": "also",
    r"c[ảa]m\s+[ơo]n": "thanks", r"nữa": "too",
    r"chia\s+theo": "split by", r"nh[óo]m\s+n[àa]y": "this segment", r"(?:m[ấa]y|nh[ữu]ng)\s+kh[áa]ch\s+n[àa]y": "these customers",
    r"giao\s+h[àa]ng": "delivery", r"nguy\s+c[ơo]": "risk", r"b[ỏo]\s+(?:shop|[đd]i|ch[úu]ng\s+(?:ta|t[ôo]i|em|m[ìi]nh))": "leave us", r"giờ(?=\s)": "now",
    r"c[ùu]ng\s+k[ỳy]\s+n[ăa]m\s+(?:tr[ưu][ớo]c|ngo[áa]i)": "the same period last year",
    # "12 tháng tới", "trong 6 tháng tới": ahead (a CLV's horizon); "6 tháng rồi chưa quay lại mua", "ko mua gì hơn 90
    # ngày": inactive that long
    r"(?:trong\s+)?(\d+)\s+th[áa]ng\s+t[ớo]i": r"next \1 months", r"(?:trong\s+)?(\d+)\s+n[ăa]m\s+t[ớo]i": r"next \1 years",
    r"(\d+)\s+th[áa]ng\s+(?:r[ồo]i\s+)?(?:ch[ưu]a|kh[ôo]ng|ko)\s+(?:quay\s+l[ạa]i\s+)?mua\w*": r"not bought in \1 months",
    r"(?:ch[ưu]a|kh[ôo]ng|ko)\s+(?:quay\s+l[ạa]i\s+)?mua\s+(?:g[ìi]\s+)?(?:h[ơo]n\s+|trong\s+)?(\d+)\s+ng[àa]y": r"not bought in \1 days",
    r"(?:ch[ưu]a|kh[ôo]ng|ko)\s+(?:quay\s+l[ạa]i\s+)?mua\s+(?:g[ìi]\s+)?(?:h[ơo]n\s+|trong\s+)?(\d+)\s+th[áa]ng": r"not bought in \1 months",
    # "số lượng khách hàng" (the number of customers), "bao nhiêu cái/món" (units), "bao nhiêu tiền" (money)
    r"s[ốo]\s+l[ưu][ợo]ng\s+kh[áa]ch(?:\s+h[àa]ng)?": "number of customers",
    r"s[ốo]\s+l[ưu][ợo]ng\s+[đd][ơo]n(?:\s+h[àa]ng)?": "number of orders", r"s[ốo]\s+[đd][ơo]n(?:\s+h[àa]ng)?": "number of orders",
    r"s[ốo]\s+l[ưu][ợo]ng|bao\s+nhi[êe]u\s+(?:c[áa]i|m[óo]n|chi[ếe]c|s[ảa]n\s+ph[ẩa]m)": "units",
    r"bao\s+nhi[êe]u\s+ti[ềe]n|chi\s+(?:ti[êe]u|bao\s+nhi[êe]u)": "how much money spent", r"nhi[êe]u\s+ti[ềe]n": "money",
    r"kh[áa]ch\s+n[ữu]": "female customers", r"[đd]i[ệe]n\s+tho[ạa]i": "mobile", r"m[áa]y\s+t[íi]nh": "desktop",
    r"t[ớo]i(?=\s+(?:19|20)\d{2})": "to", r"ko(?=\s+mua)|kh[ôo]ng": "not", r"(?<=\w\s)ko(?=\s*(?:[?.!]|$))": "or not",
    r"gi[áa]\s+tr[ịi]\s+(?:trung\s+b[ìi]nh\s+(?:m[ỗo]i\s+)?[đd][ơo]n(?:\s+h[àa]ng)?|[đd][ơo]n(?:\s+h[àa]ng)?\s+trung\s+b[ìi]nh)":
        "average order value",
    r"bi[êe]n\s+l[ợo]i\s+nhu[ậa]n": "margin", r"doanh\s+thu": "revenue", r"doanh\s+s[ốo]": "sales",
    r"kh[áa]ch\s+h[àa]ng|kh[áa]ch": "customers", r"[đd][ơo]n\s+h[àa]ng|đơn": "orders",
    r"s[ảa]n\s+ph[ẩa]m|m[ặa]t\s+h[àa]ng": "products",
    r"b[áa]n\s+ch[ạa]y(?:\s+nh[ấa]t)?": "best selling", r"b[áa]n\s+(?:[íi]t|ch[ậa]m)\s+nh[ấa]t": "least sold",
    r"ho[àa]n\s+ti[ềe]n": "refunds", r"tr[ảa]\s+h[àa]ng": "returns", r"gi[ảa]m\s+gi[áa]|khuy[ếe]n\s+m[ãa]i": "discount",
    r"l[ợo]i\s+nhu[ậa]n|lãi": "profit", r"lỗ": "losses", r"chi\s+ph[íi]": "cost",
    r"trung\s+b[ìi]nh": "average", r"t[ổo]ng(?:\s+c[ộo]ng)?": "total",
    r"th[áa]ng\s+tr[ưu][ớo]c": "last month", r"th[áa]ng\s+n[àa]y": "this month",
    r"n[ăa]m\s+ngo[áa]i|n[ăa]m\s+tr[ưu][ớo]c|n[ăa]m\s+r[ồo]i": "last year", r"n[ăa]m\s+nay": "this year",
    r"qu[ýy]\s+tr[ưu][ớo]c": "last quarter", r"qu[ýy]\s+n[àa]y": "this quarter",
    r"qu[ýy]\s+([1-4])(?:\s*(?:/|n[ăa]m)\s*((?:19|20)\d{2}))?": r"Q\1 \2",
    r"th[áa]ng\s+0?([1-9])\s*(?:/|-|n[ăa]m)\s*((?:19|20)\d{2})": r"\2-0\1",
    r"th[áa]ng\s+(1[0-2])\s*(?:/|-|n[ăa]m)\s*((?:19|20)\d{2})": r"\2-\1", r"\u1edf|(?-i:o)(?=\s+[A-Z\u0110])": "in",
    r"(\d+)\s+th[áa]ng\s+(?:g[ầa]n\s+(?:[đd][âa]y|nh[ấa]t)|qua|v[ừu]a\s+qua|tr[ởo]\s+l[ạa]i\s+[đd][âa]y|cu[ốo]i)":
        r"last \1 months",
    r"(\d+)\s+ng[àa]y\s+(?:g[ầa]n\s+(?:[đd][âa]y|nh[ấa]t)|qua|v[ừu]a\s+qua)": r"last \1 days",
    r"(\d+)\s+tu[ầa]n\s+(?:g[ầa]n\s+(?:[đd][âa]y|nh[ấa]t)|qua|v[ừu]a\s+qua)": r"last \1 weeks",
    r"(\d+)\s+th[áa]ng": r"\1 months", r"(\d+)\s+ng[àa]y": r"\1 days", r"(\d+)\s+tu[ầa]n": r"\1 weeks",
    r"(\d+)\s+n[ăa]m": r"\1 years",
    r"theo\s+th[áa]ng|h[àa]ng\s+th[áa]ng|t[ừu]ng\s+th[áa]ng": "by month",
    r"theo\s+qu[ýy]|h[àa]ng\s+qu[ýy]|t[ừu]ng\s+qu[ýy]": "by quarter",
    r"theo\s+tu[ầa]n|h[àa]ng\s+tu[ầa]n|t[ừu]ng\s+tu[ầa]n": "by week", r"theo\s+n[ăa]m|h[àa]ng\s+n[ăa]m|t[ừu]ng\s+n[ăa]m":
        "by year",
    r"theo\s+ng[àa]y|h[àa]ng\s+ng[àa]y|t[ừu]ng\s+ng[àa]y": "by day", r"theo|t[ừu]ng": "by",
    r"th[áa]ng": "month", r"n[ăa]m": "year", r"qu[ýy]": "quarter", r"tu[ầa]n": "week", r"ng[àa]y": "days",
    r"k[êe]nh\s+(?:thu\s+h[úu]t(?:\s+kh[áa]ch(?:\s+h[àa]ng)?)?|k[ée]o\s+kh[áa]ch(?:\s+v[ềe])?|ti[ếe]p\s+th[ịi])":
        "acquisition channel", r"k[êe]nh": "channel", r"danh\s+m[ụu]c|ng[àa]nh\s+h[àa]ng|lo[ạa]i\s+h[àa]ng": "category",
    r"qu[ốo]c\s+gia|n[ưu][ớo]c": "country", r"khu\s+v[ựu]c": "region", r"gi[ớo]i\s+t[íi]nh": "gender",
    r"[đd][ộo]\s+tu[ổo]i": "age", r"th[àa]nh\s+ph[ốo]": "city",
    r"so\s+s[áa]nh(?:\s+v[ớo]i)?": "compare", r"v[ớo]i": "with", r"v\u00e0": "and", r"ho[ặa]c": "or",
    r"chỉ(?=\s)": "only", r"t[ừu](?=\s+(?:\d|th[áa]ng|ng[àa]y|n[ăa]m))": "from", r"[đd][ếe]n(?=\s+(?:\d|th[áa]ng|ng[àa]y|n[ăa]m|nay))": "to",
    r"bao\s+nhi[êe]u": "how many", r"t[ạa]i\s+sao|v[ìi]\s+sao": "why", r"n[àa]o": "which",
    r"nhi[ềe]u\s+nh[ấa]t": "the most", r"cao\s+nh[ấa]t": "the highest", r"th[ấa]p\s+nh[ấa]t|[íi]t\s+nh[ấa]t": "the lowest",
    r"s[ắa]p\s+(?:r[ờo]i\s+b[ỏo]|b[ỏo]\s+[đd]i|ng[ừu]ng\s+mua)": "about to leave", r"r[ờo]i\s+b[ỏo]|b[ỏo]\s+[đd]i|ng[ừu]ng\s+mua": "churn", r"m[ấa]t\s+kh[áa]ch": "lost customers",
    r"trung\s+th[àa]nh": "loyal", r"mua\s+l[ạa]i|quay\s+l[ạa]i\s+mua": "repeat purchase", r"quay\s+l[ạa]i": "come back",
    r"(?:hay\s+)?(?:[đd][ưu][ợo]c\s+)?mua\s+(?:c[ùu]ng|k[èe]m|chung)(?:\s+v[ớo]i)?": "bought together with",
    r"gi[ỏo]\s+h[àa]ng": "basket", r"[đd][áa]nh\s+gi[áa]": "reviews", r"ph[ảa]n\s+h[ồo]i": "feedback",
    r"h[àa]i\s+l[òo]ng": "satisfied", r"khi[ếe]u\s+n[ạa]i": "complaints", r"ph[âa]n\s+kh[úu]c|nh[óo]m": "segments",
    r"mới": "new", r"b\u00e1n": "sold", r"mua": "bought",
    r"gi[úu]p\s+(?:em|m[ìi]nh|t[ôo]i)|cho\s+(?:em|m[ìi]nh|t[ôo]i)\s+xem": "please show",
    r"(?<=\w\s)(?:\u1ea1|nh[ée]|nha|v[ậa]y|[ơo]i)(?=\s*(?:[?.!,]|$))": "",
    # a German shop owner's words, mixed into English or not ("Umsatz by month", "how many Stornos", "nur Österreich")
    r"gesamtumsatz|umsatz|ums[aä]tze|umsaetze": "revenue", r"nettoumsatz": "net revenue",
    r"stornos?|stornierungen|stornierung": "cancellations", r"storniert(?:e|en)?": "cancelled",
    r"retourenquote|retourquote|r[uü]cksendequote": "return rate", r"retouren|retoure": "returns",
    r"bestellungen": "orders", r"bestellung": "order", r"kunden": "customers", r"artikel": "products",
    r"wie\s+viele": "how many", r"wie\s+hoch": "how much", r"welche[rs]?": "which",
    r"dieses\s+jahr": "this year", r"letztes\s+jahr|letzten\s+jahr|vorjahr": "last year",
    r"zusammen\s+gekauft": "bought together", r"(?:alles\s+)?zur[uü]cksetzen": "reset",
    # ("im", "je" and "pro" are left alone: "im" is a hurried "I'm", "Pro" a plan's name, "je" French)
    r"nur": "only", r"und": "and", r"oder": "or", r"f[uü]r|fuer": "for",
    r"frauen": "women", r"m[aä]nner|maenner": "men", r"ohne": "without", r"au[sß]er|ausser": "except",
}
_ABBREVIATIONS = rx.Alternatives(r"(?<![\w/'.-])", [(f"a{i}", k) for i, k in enumerate(ABBREVIATIONS)],
                                 r"(?![\w/'-]|\.\w)", re.I)  # a word, never part of a file name ("cust.xlsx")
_UNITS = re.compile(r"\b(\d+)\+?\s?-?\s?(?:(d|days?)|(wks?|weeks?)|(months?|mos?)|(y|yrs?|years?))\b(?!-)|"
                    r"(?<![$\u20ac\u00a3\u00a5\d.,])\b(\d{1,3})(m)\b(?![\w-])", re.I)  # "24m": 24 months, not "$24m"


_SHARE_WORDS = {"half": 0.5, "a half": 0.5, "a third": 1 / 3, "a quarter": 0.25, "a fifth": 0.2, "a tenth": 0.1,
                "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1, "quartile": 0.25, "quintile": 0.2,
                "decile": 0.1}
_SHARE = re.compile(r"\b(?:the\s+)?(?:top|best|biggest|largest|richest|most\s+valuable)\s+(?:(\d+(?:\.\d+)?)\s*"
                    r"(?:%|per\s*cent\b|percent\b|pct\b)|(" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True))
                    + r")\s+per\s*cent\b|(" + "|".join(sorted(_SHARE_WORDS, key=len, reverse=True)) + r")\b)"
                    r"(?:\s+of)?(?:\s+(?:our|my|the|all))?(?:\s+(?:customers?|clients?|buyers?|accounts?))?")


_SHARE_SAID = r"(?:share|percent(?:age)?|proportion|fraction|portion|part|how\s+much|what\s+%)"
_UNITS_RANKED = r"(?:customers?|clients?|buyers?|accounts?|products?|items?|countries|country|categor(?:y|ies))"
#: "what share of revenue comes from the top 10 customers", "how much of our sales do the top 5 products
#: account for", "the top 10 customers' share of revenue": the share of the whole that a count of the top brings
_SHARE_OF_TOP = re.compile(
    r"\b" + _SHARE_SAID + r"\b(?:\s+[\w'%]+){0,6}?\s+(?:from|by|of|do|does|did|are|is|come\s+from|comes\s+from|"
    r"made\s+by|brought\s+by|generated\s+by|go(?:es)?\s+to)\s+(?:the\s+|our\s+|my\s+)?(?:top|biggest|largest|best)\s+"
    + _NUM + r"\s+" + _UNITS_RANKED + r"\b|"
    r"\b(?:the\s+)?(?:top|biggest|largest|best)\s+" + _NUM + r"\s+" + _UNITS_RANKED + r"(?:'s?|\u2019s?)?\s+"
    r"(?:combined\s+|total\s+|joint\s+)?(?:share|percent(?:age)?|proportion)\b", re.I)


def share_of_top(text: str) -> int | None:
    """N of "what share of revenue comes from the top N customers" (one concentration figure: the top
    N's total, the whole and the share), or None when the question asks no such thing."""
    m = _SHARE_OF_TOP.search(text)
    if not m:
        return None
    n = _int(next(g for g in m.groups() if g))
    return n if n >= 1 else None


def share(text: str) -> tuple[float | None, str]:
    """(fraction, words) of a share of customers: "the top 10% of customers" -> 0.1, "top twenty
    percent" -> 0.2, "the best fifth" -> 0.2; (None, "") when there is none. A share is never a
    count: "top 10%" is not "top 10"."""
    m = _SHARE.search(text.lower())
    if not m:
        return None, ""
    value = float(m.group(1)) / 100 if m.group(1) else _NUM_WORDS[m.group(2)] / 100 if m.group(2) \
        else _SHARE_WORDS[m.group(3)]
    return (value, m.group(0).strip()) if 0 < value < 1 else (None, "")
#: words after which "sells" is the noun sales ("the sells", "total sells", "compare the sells")
_SALES_NOUN_AFTER = {"the", "of", "in", "my", "our", "your", "their", "its", "total", "top", "and", "me", "by", "per",
                     "for", "only", "all", "with", "compare", "show", "see", "monthly", "weekly", "daily", "yearly",
                     "online", "app", "store", "web", "shop"}


def _spell_out(m: re.Match) -> str:
    word = m.group(0)
    if len(word) > 1 and word.isupper() and word.isalpha():  # "YTD" stays readable, but "US" or "MOM" as a code...
        word = word.lower()
    if word.lower() == "sells":  # the noun of a second language ("the sells of 2024"), not the verb ("what sells?")
        before = rx.findall(r"[a-z]+", m.string[:m.start()].lower())[-1:]
        if before and before[0] not in _SALES_NOUN_AFTER:
            return word
    key = list(ABBREVIATIONS)[int(m.lastgroup[1:])]  # the a<i> around the shorthand's pattern closes last
    replacement = ABBREVIATIONS[key]
    return rx.sub(key, replacement, word, flags=re.I) if "\\" in replacement else replacement


_DIGIT_SAID = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
               "seven": "7", "eight": "8", "nine": "9"}


def spoken_codes(text: str) -> str:
    """Codes said out loud, as a voice assistant writes them: an id letter by digit ("c zero zero
    zero one two three" -> "c000123"), "b two b" -> "b2b", letters one by one ("e m e a", "r f m")
    -> "emea", "rfm"; and "top_n=20" -> "top 20"."""
    digits = "|".join(_DIGIT_SAID)
    text = rx.sub(r"\b([a-z])((?:\s+(?:" + digits + r")){3,})\b",
                  lambda m: m.group(1) + "".join(_DIGIT_SAID[w.lower()] for w in m.group(2).split()), text, flags=re.I)
    text = rx.sub(r"\b([bc])\s+(?:two|2)\s+([bc])\b", r"\g<1>2\g<2>", text, flags=re.I)
    text = rx.sub(r"\b(?:[a-z]\s){2,}[a-z]\b", lambda m: m.group(0).replace(" ", ""), text, flags=re.I)
    return rx.sub(r"\btop_?n\s*[=:]\s*(\d+)", r"top \1", text, flags=re.I)


#: "Fiber optic churn rate compare DSL", "app AOV compare with web AOV": "compare" between two things
#: said as "vs" (not "can you compare ...", "I want to compare ...", nor a line that opens with it)
_COMPARE_BETWEEN = re.compile(r"(?<=[\w%)])(?<!\byou)(?<!\bto)(?<!\bi)(?<!\bwe)(?<!\bplease)(?<!\bpls)(?<!\band)"
                              r"(?<!\bthen)(?<!\blets)(?<!\blet's)(?<!\bcan)(?<!\balso)(?<!\bnow)(?<!\bjust)(?<!\bkindly)"
                              r"\s+compare\s+(?:(?P<sep>with|to|against)\s+)?(?=[\w'])", re.I)


#: the shop set against "online" ("are we selling more in the shop or online", "repeat rate in the store versus
#: online"): the shop is the store channel and online the app and the web, so every channel is named, a breakdown
_SHOP_WORD = r"(?:the\s+|our\s+)?(?:shops?|stores?)"
_AGAINST = r"(?:\s+or|\s+vs\.?|\s+versus|\s+than|\s+against|\s+compared\s+(?:to|with)|\s*/)\s+"
_SHOP_OR_ONLINE = re.compile(r"\b(?:in\s+|at\s+)?(?P<shop>" + _SHOP_WORD + r")(?P<mid>(?:\s+[\w']+){0,3}?" + _AGAINST
                             + r"(?:we\s+do\s+|we\s+are\s+)?)(?P<on>online)\b|\b(?P<on2>online)(?P<mid2>(?:\s+[\w']+){0,3}?"
                             + _AGAINST + r")(?:in\s+|at\s+)?(?P<shop2>" + _SHOP_WORD + r")\b", re.I)


def shop_or_online(text: str) -> str:
    """The shop and online set against each other as the channels they are: "in the shop or online" -> "in store
    or on app and web" (alone, "the shop" and "online" name the business: ``VALUE_NAMES``)."""
    def said(m: re.Match) -> str:
        if m.group("shop"):
            return f"in store{m.group('mid')}on app and web"
        return f"on app and web{m.group('mid2')}in store"
    return _SHOP_OR_ONLINE.sub(said, text)


def _compare_between(text: str) -> str:
    """``_COMPARE_BETWEEN`` said as "vs": where "compare" is followed by "with"/"to", or by what is set
    against the words before it and no "with", "to" or "and" after ("A compare B"); "actually compare
    H1 1998 with H1 1997" and "how does that compare with H1" are the verb."""
    def one(m: re.Match) -> str:
        if rx.search(r"\b(?:how|does|do|did|will|would|can|could|should|to)\b", m.string[:m.start()], re.I):
            return m.group(0)  # "how does that win rate compare with H1": the verb of a question
        if m.group("sep") or not rx.search(r"\b(?:with|to|and|against|vs\.?|versus)\b", m.string[m.end():], re.I):
            return " vs "
        return m.group(0)
    return _COMPARE_BETWEEN.sub(one, text)
#: "gender wise", "contract type wise", "month-wise" (Indian English): a breakdown, "by gender"
_WISE = re.compile(r"\b(?:([a-z]+)\s+)?([a-z]+)[\s-]wise\b(?!\s+(?:to|than)\b)", re.I)
#: the last words of two-word column names ("contract type", "payment method", "acquisition channel")
_COLUMN_TAILS = {"type", "types", "method", "methods", "channel", "source", "size", "band", "group", "stage", "status",
                 "service", "level", "tier", "plan", "code", "name", "category", "segment", "region", "city", "state"}


#: South Asian business English for a customer: "party-wise sales", "party wise profit"
_WISE_WORDS = {"party": "customer", "parties": "customer", "buyer": "customer", "client": "customer"}


def _by_wise(m: re.Match) -> str:
    first, word = m.group(1), m.group(2)
    word = _WISE_WORDS.get(word.lower(), word)
    # "last year category wise": the period before is no part of the column's name ("product category wise" is)
    if first and word.lower() in _COLUMN_TAILS and first.lower() not in FUNCTION_WORDS and \
            first.lower() not in ("year", "month", "quarter", "week", "day", "today", "yesterday", "ytd", "mtd", "qtd"):
        return f"by {first} {word}"
    return (first + " " if first else "") + "by " + word


#: a slip put right inside a line: "only Nigeria... sorry i mean United Kingdom", "by country, no wait, by channel"
_SLIP = re.compile(r"\b(?:(?:sorry|sry|oops|no|nope|err|erm|uh|um|wait)[,.!]*\s+)+"
                   r"(?:i\s+mean[t]?|i\s+meant\s+to\s+say|make\s+that|rather)\b[,:]?\s+(?=\S)", re.I)
#: the words a slip's correction takes the place of begin after the last of these
_SLIP_FROM = re.compile(r".*\b(only|just|for|in|by|from|of|to|at|on|and|the|with|per)\s", re.I | re.S)


def slip_put_right(text: str) -> str:
    """``text`` with a slip put right where it was said: the words after the last little word before
    "sorry I mean" give way to what follows it ("only Nigeria... sorry i mean United Kingdom" -> "only
    United Kingdom"); a correction that starts with a word said before replaces as many words from
    there ("top 10 products, no wait I meant top 20" -> "top 20 products"). A line that opens with the
    correction is a conversation's correction, left as it is."""
    m = _SLIP.search(text)
    if not m or not rx.sub(r"\b(?:aiyo|aiyah|oh|ah|hmm+|ok|okay|no|nope|nah|wait|oops|um|uh|er|erm|actually|so|well)\b|\W",
                           "", text[:m.start()].lower()):
        return text  # "aiyo sorry i mean app not web": the line's own correction, the conversation's to read
    head, fix = text[:m.start()].rstrip(" .,;-"), text[m.end():]
    first = fix.split()[0].lower()
    words = head.lower().split()
    if first in words:  # "top 10 products, no wait I meant top 20": as many words from its last "top"
        at = len(words) - 1 - words[::-1].index(first)
        said = head.split()
        return slip_put_right(" ".join([*said[:at], fix, *said[at + len(fix.split()):]]))
    before = _SLIP_FROM.match(head)
    kept = head[:before.end()] if before else " ".join(head.split()[:-1])
    return slip_put_right((kept.rstrip() + " " + fix).strip())


#: a fiscal year's start said in the question: "our fiscal year is April to March", "FY runs july-june",
#: "financial year starts in March"
_FISCAL_STATED = re.compile(
    r"\(?\b(?:(?:our|the|my)\s+)?(?:(?:fiscal|financial|fin\.?)\s+years?|fy)\s*(?:\(|is|runs|goes|=|:)?\s*(?:from\s+)?"
    r"(?:(?P<start>" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s*(?:to|-|\u2013|through|thru|till|until)\s*(?:" + _MONTHS_ALT +
    r")" + _MONTH_TAIL + r"\.?|(?:starts?|begins?|starting|beginning)\s+(?:in|on)?\s*(?:the\s+)?(?:1st\s+(?:of\s+)?)?"
    r"(?P<begins>" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?)\s*\)?[.;,]?", re.I)
FISCAL_NAMED = re.compile(r"\b(?:(?P<rel>this|last|previous|prior|current)\s+(?:(?:financial|fiscal|fin\.?)\s+year|fy)|"
                           r"(?:fy|fiscal\s+year|financial\s+year)\s*['\u2019]?(?P<a>(?:19|20)?\d{2})\s*(?:-|/|\u2013)\s*"
                           r"(?P<b>(?:19|20)?\d{2})(?![-/\d])|"
                           r"(?:fiscal|financial)\s+year\s+(?P<year>(?:19|20)\d{2})(?![-/\d])|"
                           r"fy\s?['\u2019]?(?P<fy>(?:19|20)?\d{2})(?![-/\d]))\b", re.I)


def fiscal_years(question: str, start_month: int, last_day: dt.date | None) -> tuple[str, int]:
    """The question with its fiscal years said as their months, and the start month read: the
    start said in the question ("our fiscal year is April to March"), else ``start_month`` (custlens.toml's
    ``fiscal_year_start``). With a start other than January, "last financial year" is the last whole
    fiscal year before the one holding the data's last day, "this fiscal year" the one holding it (since
    its start), and "fiscal year 2024" / "FY24" the fiscal year most of whose months fall in 2024 (April
    2024 to March 2025; July 2023 to June 2024). A January start leaves the question as it is."""
    stated = _FISCAL_STATED.search(question)
    start = MONTHS[(stated.group("start") or stated.group("begins")).lower()[:3]] if stated else start_month
    if stated:
        question = (question[:stated.start()] + " " + question[stated.end():]).strip()
    if start == 1:
        return question, start

    def months(first_year: int) -> str:
        end_year, end_month = (first_year + 1, start - 1)
        return (f"{calendar.month_name[start].lower()} {first_year} through "
                f"{calendar.month_name[end_month].lower()} {end_year}")

    def said(m: re.Match) -> str:
        if m.group("rel"):
            if last_day is None:
                return m.group(0)
            holding = last_day.year if last_day.month >= start else last_day.year - 1
            if m.group("rel").lower() in ("this", "current"):  # so far: to the data's last day
                return f"since {calendar.month_name[start].lower()} {holding}"
            return months(holding - 1)
        if m.group("a"):  # "FY 2024-25": from the first year's start
            return months(_year(m.group("a"))) if _year(m.group("b")) == _year(m.group("a")) + 1 else m.group(0)
        year = int(m.group("year")) if m.group("year") else _year(m.group("fy"))
        return months(year if start <= 6 else year - 1)  # the calendar year holding most of its months
    return FISCAL_NAMED.sub(said, question), start


#: a chatbot prompt's frame around the question: its role ("Act as a retention analyst.", "You are a BI
#: assistant."), its steps ("Step 1:"), the labels of its parts ("Context: ... Task: ... Output: ...") and
#: how the answer should read ("Answer in one sentence.")
_PROMPT_ROLE = re.compile(r"(?:^|(?<=[.!?;]\s))(?:please\s+)?(?:act\s+as|you\s+are|you're|pretend\s+(?:to\s+be|you(?:'re|\s+are))|"
                          r"imagine\s+you(?:'re|\s+are)|take\s+the\s+role\s+of)\s+(?:an?|the|my|our)\b[^.!?;:]*[.!?;:]?\s*", re.I)
_PROMPT_STEP = re.compile(r"\bstep\s+(?:\d{1,2}|one|two|three|four|five)\s*[:.)-]\s*", re.I)
_PROMPT_PART = re.compile(r"(?:^|(?<=[.!?;]\s))(?:context|background|task|question|goal|ask|output|format|constraints?|filters?|"
                          r"scope|deliverable)\s*:\s*", re.I)
_PROMPT_HOW = re.compile(r"(?:^|(?<=[.!?;]\s))(?:answer|respond|reply)\s+in\b[^.!?;]*[.!?;]?\s*|"
                         r"\b(?:keep\s+it\s+|in\s+)?under\s+\d+\s+words\b[.!?;]?", re.I)


def prompt_frame(text: str) -> str:
    """``text`` without a chatbot prompt's frame (``_PROMPT_ROLE``, ``_PROMPT_STEP``, ``_PROMPT_PART``,
    ``_PROMPT_HOW``): "You are a growth analyst. Context: orders export. Question: how many orders each month
    in 2025? Output: top 5 months" is "orders export. how many orders each month in 2025? top 5 months" (what
    the parts say stays: a period, a filter or "top 5" may be in any of them); ``text`` itself when nothing
    would be left."""
    out = _PROMPT_HOW.sub(" ", _PROMPT_ROLE.sub(" ", _PROMPT_PART.sub(" ", _PROMPT_STEP.sub(" ", text))))
    out = rx.sub(r"\s+", " ", out).strip()
    return out if rx.search(r"[^\W\d_]{2}", out) else text


def values_kept_whole(question: str, values: dict[str, dict[str, list[str]]] | None) -> tuple[str, ...]:
    """The data's values said in ``question`` that shorthand would change ("Rio de Janeiro", whose
    "janeiro" is Portuguese for January): ``clean`` keeps them as written, so they are read as values."""
    low = question.lower()
    said = {str(v) for cols in (values or {}).values() for vs in cols.values() for v in vs
            if isinstance(v, str) and len(v) >= 4 and v.lower() in low}
    return tuple(sorted((v for v in said if rx.search(r"(?<!\w)" + re.escape(v.lower()) + r"(?!\w)", low)
                         and _ABBREVIATIONS.sub(_spell_out, v) != v), key=len, reverse=True))


#: French number words before what they count ("nonante jours", "cinq clusters", "douze prochains mois", "top
#: septante"), as figures: Belgian and Swiss 70, 80 and 90 too; "sept" and "neuf" only before a unit (September, new)
_FRENCH_NUMBER = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
                  "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
                  "soixante": 60, "septante": 70, "huitante": 80, "octante": 80, "nonante": 90, "cent": 100}
_FRENCH_COUNTED = (r"derni[eè]re?s|prochaine?s|premi[eè]re?s|meilleure?s|plus|mois|jours|semaines|ans|ann[eé]es|clients|"
                   r"groupes|segments|clusters|personas|produits|articles|comptes|abonn[eé]s|cat[eé]gories|pays|fois|"
                   r"trimestres|customers|groups|months|days|weeks|years|products|accounts")
_FRENCH_NUMBERS = re.compile(r"(?<![\w'-])(?:(" + "|".join(w for w in _FRENCH_NUMBER if w not in ("sept", "neuf")) +
                             r")(?=\s+(?:" + _FRENCH_COUNTED + r")\b)|(sept|neuf)(?=\s+(?:mois|jours|semaines|ans|ann[eé]es|"
                             r"clients|groupes|segments|clusters)\b)|(?<=\btop\s)(" + "|".join(_FRENCH_NUMBER) + r"))(?![\w'-])",
                             re.I)


#: French elision before a name ("ajoute l'Italie", "ventes d'Allemagne"): the name alone, as a value is read
_FRENCH_ELISION = re.compile(r"(?<![\w'])[ldLD]['\u2019](?=[A-ZÀ-Ý][a-zà-ÿ])")


def french_numbers(text: str) -> str:
    """French number words before what they count, as figures: "les nonante derniers jours" -> "les 90 derniers
    jours", "cinq clusters" -> "5 clusters" (``_FRENCH_NUMBERS``)."""
    return _FRENCH_NUMBERS.sub(lambda m: str(_FRENCH_NUMBER[next(g for g in m.groups() if g).lower()]), text)


@functools.lru_cache(maxsize=1024)  # a question is cleaned by the router, the slots and the Session
def clean(question: str, keep: tuple[str, ...] = ()) -> str:
    """Drop control characters, squeeze white space, spell out shorthand (``ABBREVIATIONS``),
    breakdowns said with "wise" ("state wise" -> "by state") and glued units ("180d", "1yr",
    "12-month" -> "180 days", "1 year", "12 month"). The phrases of ``keep`` (``values_kept_whole``)
    stay as written."""
    text = rx.sub(r"\s+", " ", "".join(ch if ch.isprintable() else " " for ch in question)).strip()
    kept = {}
    for i, phrase in enumerate(keep[:26]):
        mark = f"qqkept{chr(97 + i)}qq"
        text, n = rx.subn(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", mark, text, flags=re.I)
        if n:
            kept[mark] = phrase
    if kept:
        text = clean(text)
        for mark, phrase in kept.items():
            text = text.replace(mark, phrase)
        return text
    text = prompt_frame(text)
    text = slip_put_right(text)
    text = french_numbers(_FRENCH_ELISION.sub("", text))
    text = _ABBREVIATIONS.sub(_spell_out, text)
    text = shop_or_online(text)
    text = _compare_between(text)
    text = _WISE.sub(_by_wise, text)
    text = spoken_codes(text)
    text = spoken_numbers(text)
    text = buddhist_years(text)
    text = _UNITS.sub(lambda m: (m.group(1) or m.group(6)) + " " + (
        "days" if m.group(2) else "weeks" if m.group(3) else "months" if m.group(4) or m.group(7) else "years"), text)
    return rx.sub(r"\s+", " ", text).strip()


def _year(text: str) -> int:
    """"2024" -> 2024, "97" or "'97" -> 1997, "24" -> 2024 (two digits: 1951-2050)."""
    digits = text.lstrip("'")
    n = int(digits)
    return n if len(digits) == 4 else 1900 + n if n > 50 else 2000 + n


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 - months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_UNITS_SAID = {w: i for i, w in enumerate("one two three four five six seven eight nine".split(), 1)}
_TEENS_SAID = {w: i for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                                          "nineteen".split(), 10)}
_TENS_SAID = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
#: a year said in words: "twenty twenty-five", "nineteen ninety seven", "two thousand and twenty four",
#: "twenty oh five"
_SPOKEN_YEAR = re.compile(
    r"(?<!top )(?<!bottom )(?<!best )\b(?:(?P<century>nineteen|twenty)|two\s+thousand(?:\s+and)?)[\s-]+(?:(?P<teen>" + "|".join(_TEENS_SAID) +
    r")|(?P<tens>" + "|".join(_TENS_SAID) + r")(?:[\s-]+(?P<unit>" + "|".join(_UNITS_SAID) + r"))?|(?:oh|o)[\s-]+"
    r"(?P<oh>" + "|".join(_UNITS_SAID) + r"))\b")

_MONTH_NAMES = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
                r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_TWO_SAID = (r"(?:(?P<tens>" + "|".join(_TENS_SAID) + r")(?:[\s-]+(?P<unit>" + "|".join(_UNITS_SAID) + r"))?|(?P<teen>"
             + "|".join(_TEENS_SAID) + r")|(?P<one>" + "|".join(_UNITS_SAID) + r"))")
#: a rank or a count said in words before what it counts: "top twenty", "the last three months", "q four"
_RANK_SAID = re.compile(r"\b(?P<head>top|bottom|best|worst|first|last|past|next|biggest|largest|q|quarter|h|half)\s+"
                        + _TWO_SAID + r"\b(?![\s-]+(?:thousand|hundred|million|percent|%|oh\b|"
                        + "|".join([*_UNITS_SAID, *_TEENS_SAID, *_TENS_SAID]) + r"))", re.I)  # not "quarter twenty twenty four"
#: a year said in two words after a month, a season or a scope word: "march ninety seven", "just ninety eight"
_YEAR_SAID = re.compile(r"\b(?P<head>" + _MONTH_NAMES + r"|summer|winter|spring|autumn|fall|in|just|only|since|during|of|"
                        r"for)\s+(?P<tens>" + "|".join(_TENS_SAID) + r")[\s-]+(?P<unit>" + "|".join(_UNITS_SAID) + r")\b"
                        r"(?![\s-]+(?:days?|weeks?|months?|years?|customers?|orders?|percent|%))", re.I)


def _said_number(m: re.Match) -> int:
    g = m.groupdict()
    if g.get("teen"):
        return _TEENS_SAID[g["teen"].lower()]
    if g.get("one"):
        return _UNITS_SAID[g["one"].lower()]
    return _TENS_SAID[g["tens"].lower()] + (_UNITS_SAID[g["unit"].lower()] if g.get("unit") else 0)


#: a year of the Buddhist era, as Thailand dates (2567 is 2024): after a period word or a month, or before or
#: after another such year ("songkran 2568", "high season nov 2567 to feb 2568", "pee 2566 vs 2567"), never a
#: count ("2560 orders", "top 2560")
_BUDDHIST_YEAR = re.compile(r"\b((?:in|of|since|from|to|until|till|through|vs|and|year|pee|songkran|fy|q[1-4]|h[12]|"
                            + _MONTH_NAMES + r")\s+)(25[5-7]\d)\b(?![.,]\d)|\b()(25[5-7]\d)(?=\s*(?:-|to|vs|and)\s*25[5-7]\d\b)",
                            re.I)


def buddhist_years(text: str) -> str:
    """Years of the Buddhist era as the common era's: "yod khai songkran 2568" -> "... 2025"."""
    return _BUDDHIST_YEAR.sub(lambda m: (m.group(1) or "") + str(int(m.group(2) or m.group(4)) - 543), text)


def spoken_numbers(text: str) -> str:
    """Numbers said in words where a figure is meant, as dictation writes them: "top twenty" ->
    "top 20", "the last three months" -> "last 3 months", "q four" -> "q 4", "march ninety seven" ->
    "march 97" (a year: two words after a month, a season or "in", "just", "since")."""
    text = _RANK_SAID.sub(lambda m: m.group("head") + ("" if len(m.group("head")) == 1 else " ") + str(_said_number(m)),
                          text)
    return _YEAR_SAID.sub(lambda m: f"{m.group('head')} {_year(f'{_said_number(m):02d}')}", text)



#: a year of the eighties or nineties said without its century after a period word: "first half of
#: ninety eight", "in ninety seven" (not "in ninety days")
_SPOKEN_SHORT_YEAR = re.compile(r"\b(of|in|since|from|until|through|to|during|" + "|".join(m for m in MONTHS if len(m) > 3)
                                + r")\s+(eighty|ninety)[\s-](" + "|".join(_UNITS_SAID)
                                + r")\b(?!\s*(?:%|per\s*cent|percent|days?|weeks?|months?|years?|customers?|orders?))")


def _spoken_year(m: re.Match) -> str:
    century = 1900 if m.group("century") == "nineteen" else 2000
    if m.group("teen"):
        return str(century + _TEENS_SAID[m.group("teen")])
    if m.group("oh"):
        return str(century + _UNITS_SAID[m.group("oh")])
    return str(century + _TENS_SAID[m.group("tens")] + _UNITS_SAID.get(m.group("unit") or "", 0))


#: "the twelve months ended 31/12/2025", "the year ended 2024-12-31", "the quarter ending 30 June 2025"
#: (the day already in ISO form): the length of time up to that day
_ENDED = re.compile(r"\b(?:the\s+)?(?:(?P<n>\d{1,2}|" + "|".join(w for w, n in _NUM_WORDS.items() if n <= 24) +
                    r")\s+(?P<unit>months?|weeks?)|(?P<one>year|quarter|month|half[- ]year|fiscal\s+year|financial\s+year))"
                    r"\s+(?:ended|ending|up\s+to|to)\s+(?P<day>\d{4}-\d{2}-\d{2})\b")


def _ended(m: re.Match) -> str:
    last = dt.date.fromisoformat(m["day"])
    unit = (m["unit"] or m["one"]).rstrip("s")
    n = _int(m["n"]) if m["n"] else 1
    if unit == "week":
        first = last - dt.timedelta(days=7 * n - 1)
    else:
        months = n * {"month": 1, "quarter": 3, "half-year": 6, "half year": 6}.get(unit, 12)
        first = _shift_months(last + dt.timedelta(days=1), months)  # months back
    return f"{first.isoformat()} to {last.isoformat()}"


#: a fiscal year said with its two calendar years ("FY 2024-25", "fy24/25", "financial year 2024-2025");
#: it starts in April (India, the UK, Japan, Canada's governments): the first line says the months read
_FISCAL_SPAN = (r"\b(?:fy|fiscal\s+year|financial\s+year)\s*['\u2019]?((?:19|20)?\d{2})\s*(?:-|/|\u2013)\s*"
                r"((?:19|20)?\d{2})\b(?!\s*[-/]\s*\d)")
FISCAL_SPAN_START = 4


def _fiscal_span(m: re.Match) -> str:
    first, second = _year(m.group(1)), _year(m.group(2))
    if second != first + 1:
        return m.group(0)
    return (f"{calendar.month_name[FISCAL_SPAN_START].lower()} {first} through "
            f"{calendar.month_name[(FISCAL_SPAN_START - 2) % 12 + 1].lower()} {second}")


#: ISO week numbers with their year: "week 12 2025", "weeks 10-14 2025", "wk 36-39 of 2024"
_ISO_WEEKS = (r"\b(?:weeks?|wks?|w)\s*(\d{1,2})(?:\s*(?:-|\u2013|to|through|thru|until|and)\s*(?:weeks?|wks?|w)?\s*"
              r"(\d{1,2}))?\s*(?:of\s+|in\s+|,\s*)?((?:19|20)\d{2})\b")


def _iso_weeks(m: re.Match) -> str:
    year, first = int(m.group(3)), int(m.group(1))
    last = int(m.group(2) or first)
    try:
        return f"{dt.date.fromisocalendar(year, first, 1)} to {dt.date.fromisocalendar(year, last, 7)}" \
            if 1 <= first <= last else m.group(0)
    except ValueError:  # no week 53 that year
        return m.group(0)


#: the seasons as months of the northern hemisphere (meteorological: whole months); a winter is named by
#: the year of its January ("winter 2024" is December 2023 to February 2024), "winter 2024/25" by both
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_SEASON_WORD = r"(spring|summer|autumn|fall|winter)(?:\s+(?:season|months|period|time))?"
_SEASON_YEAR = re.compile(
    r"\b(?:the\s+)?(?:" + _SEASON_WORD + r"(?:\s+of)?\s+(?:(?P<y>(?:19|20)\d{2})|(?<!fall\s)(?<!fall\sof\s)'?(?P<yy>\d{2})"
    r"(?![\d%.,:]|\s*(?:per\s*cent|percent|pct|days?|weeks?|months?|years?|customers?|orders?|units?)\b))"
    r"(?:\s*(?:/|-|\u2013)\s*'?(?P<y2>(?:19|20)?\d{2}))?|(?P<lead>(?:19|20)\d{2})\s+" + _SEASON_WORD.replace("(spring", "(?P<s2>spring")
    + r")\b(?![\d/-])")


#: holidays said with their year (or "this/last year"), as the month or months they fall in: the trade
#: around Christmas is December's, the holiday season November's and December's, Valentine's February's
HOLIDAYS = {"christmas": "december", "xmas": "december", "x-mas": "december", "festive": "december",
            "holiday": "november to december", "holidays": "november to december", "valentine": "february",
            # days of one month every year, wherever they are kept (not Cyber Monday: 1 December in 2025)
            "black friday": "november", "white friday": "november", "halloween": "october", "boxing day": "december",
            "songkran": "april"}
_HOLIDAY = (r"\b(?:the\s+)?(?:(?P<y0>(?:19|20)\d{2})\s+)?(?P<h>christmas|xmas|x-mas|festive|holidays?|valentine|"
            r"black\s+friday|white\s+friday|halloween|boxing\s+day|songkran)(?:'?s)?"
            r"(?:\s+(?:day|season|period|rush|time|trade|trading|peak))?(?:\s+of)?(?(y0)|\s+(?:(?P<y>(?:19|20)\d{2})\b|"
            r"(?P<rel>this|last)\s+year\b))")


#: a month said right before a year that a season or a holiday follows: "the july 2025 summer sale", "oct-nov 2024
#: festive sale": the months said are the period, the season or holiday only names it
_MONTH_BEFORE = re.compile(r"\b(?:" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s*$")


def _month_said_before(m: re.Match, group: str) -> bool:
    return m[group] is not None and bool(_MONTH_BEFORE.search(m.string[:m.start(group)]))


def _holiday_said(m: re.Match) -> str:
    if _month_said_before(m, "y0"):
        return m.group(0)
    months = HOLIDAYS[" ".join(m["h"].lower().split())]
    if m["rel"]:  # "valentine's this year": "february this year" (``_of_this_or_last_year``); a span of two: as said
        return m.group(0) if " to " in months else f"{months} {m['rel']} year"
    year = m["y0"] or m["y"]
    return " to ".join(f"{mo} {year}" for mo in months.split(" to "))


def season_span(name: str, year: int, own: dict[str, tuple[int, int]] | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of a season (``SEASONS``, or its months said beside it: ``seasons_said``) of
    ``year`` (a winter: the one ending in it)."""
    first, last = (own or {}).get(name) or SEASONS[name]
    start = dt.date(year - (first > last), first, 1)
    return start, _month_end(year, last)


#: a season's months said beside it: "winter 2025 (jun to aug, our winter)", "spring (sept-nov)"
_SEASON_MONTHS = re.compile(r"\b(spring|summer|autumn|fall|winter)\b[^()]{0,30}?\(\s*(" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s*"
                            r"(?:to|-|\u2013|through|till|until)\s*(" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?[^)]*\)")


def seasons_said(t: str) -> dict[str, tuple[int, int]]:
    """{season: (first month, last month)} of the seasons whose months the question says beside one of
    them ("spring 2025 vs spring 2024 (sept-nov)": spring is September to November, both times)."""
    return {m.group(1).lower(): (MONTHS[m.group(2)[:3]], MONTHS[m.group(3)[:3]]) for m in _SEASON_MONTHS.finditer(t)}


def _season_said(m: re.Match, own: dict[str, tuple[int, int]] | None = None) -> str:
    if _month_said_before(m, "lead"):
        return m.group(0)
    name = (m.group(1) or m["s2"]).lower()
    first, last = (own or {}).get(name) or SEASONS[name]
    if m["lead"]:
        year = int(m["lead"])
    else:
        year = int(m["y"]) if m["y"] else _year(m["yy"])
        if m["y2"] and _year(m["y2"][-2:]) == year + 1 and (name in ("winter", "summer") or first > last):
            # "winter 2024/25", "summer 24/25" (the southern one): December to February, ending in the second year
            first, last = (first, last) if first > last else (12, 2)
            year += 1
        elif m["y2"]:
            return m.group(0)
    start = dt.date(year - (first > last), first, 1)
    return (f"{calendar.month_name[start.month].lower()} {start.year} to "
            f"{calendar.month_name[last].lower()} {year}")


_MONTH_NN = re.compile(r"\b(" + _MONTHS_ALT + r")(" + _MONTH_TAIL + r"\.?)\s+(\d{2})\b(?!\s*(?:st|nd|rd|th|[,:/.-]?\s*\d))")
#: "the year 2024-25", "sales trend, 2024-25": two calendar years (not "2024-12", a month)
_YEAR_SPAN = re.compile(r"(?<![\w/-])((?:19|20)(\d{2}))\s*[-\u2013]\s*(\d{2})(?![\w/-])")


def _months_of_two_digit_years(t: str) -> str:
    """A month said with two digits that may be a day or a year ("dec 25"): a year when the question
    says two such months that differ only in the month ("dec 25 vs nov 25") or only in the number
    ("jan 24 cohort vs jan 25 cohort"), or when a cohort follows; else left for the day reading.
    And "2024-25" (no fiscal year said) is the two calendar years."""
    said = list(_MONTH_NN.finditer(t))
    pairs = [(MONTHS[m.group(1)], m.group(3)) for m in said]
    years = len(said) >= 2 and (len({n for _, n in pairs}) == 1 < len({k for k, _ in pairs}) or
                                len({k for k, _ in pairs}) == 1 < len({n for _, n in pairs}))
    for m in reversed(said):
        if years or rx.match(r"\s*cohorts?\b", t[m.end():]):
            t = t[:m.start()] + f"{m.group(1)}{m.group(2)} {_year(m.group(3))}" + t[m.end():]
    if not rx.search(r"\b(?:fy|fiscal|financial)\b", t):
        t = _YEAR_SPAN.sub(lambda m: (f"{m.group(1)} to {m.group(1)[:2]}{m.group(3)}"
                                      if int(m.group(3)) == (int(m.group(2)) + 1) % 100 and int(m.group(3)) > 12
                                      else m.group(0)), t)
    return t


#: a period's start said before its end ("from 2023 till the end of 2025")
_FROM_SAID = re.compile(r"\b(?:from|since|between)\b")


def period_words(t: str) -> str:
    """Periods said in words, in the forms ``period`` reads: "the third quarter of 2024" -> "q3 2024",
    "2024-Q2" -> "q2 2024", "fy2024" -> "2024" (a fiscal year starting in another month is the
    definitions' ``fiscal_year_start``, for grains), "the past fortnight" -> "the past 14 days"."""
    t = _SPOKEN_YEAR.sub(_spoken_year, t)
    t = _SPOKEN_SHORT_YEAR.sub(lambda m: f"{m.group(1)} {1900 + _TENS_SAID[m.group(2)] + _UNITS_SAID[m.group(3)]}", t)
    # "the first and second halves of 2025": each half with its year, as a comparison reads them
    t = rx.sub(r"\b(?:the\s+)?(first|1st)\s+and\s+(?:the\s+)?(second|2nd)\s+(halves|half|quarters?)\s+(?:of\s+)?((?:19|20)\d{2})\b",
               lambda m: (f"h1 {m.group(4)} and h2 {m.group(4)}" if m.group(3).startswith("hal")
                          else f"q1 {m.group(4)} and q2 {m.group(4)}"), t)
    t = rx.sub(r"\b(" + "|".join(_ORDINALS) + r")\s+quarter(?:\s+of)?\b", lambda q: f"q{_ORDINALS[q.group(1)]}", t)
    # "q three", "h two" (spoken, so a space: "hone" is a word, Hindi's "to be")
    t = rx.sub(r"\b([qh])\s+(one|two|three|four)\b", lambda q: f"{q.group(1)}{_NUM_WORDS[q.group(2)]}", t)
    t = rx.sub(r"\b((?:19|20)\d{2})[-\s]?q([1-4])\b", r"q\2 \1", t)
    # "from 2023 till the end of 2025", "march 2024 to end of 2025": to the end of that year (or month), all of it
    t = rx.sub(r"\b(to|till|until|through|thru)\s+(?:the\s+)?end\s+of\s+(?:(" + _MONTHS_ALT + r")\s+)?((?:19|20)\d{2})\b",
               lambda m: f"{m.group(1) if _FROM_SAID.search(t, 0, m.start()) else 'until'} {m.group(2) or 'december'} "
                         f"{m.group(3)}", t)
    # "from 2024/04/01 to 2025/03/31", "2025.12.01": a day written with slashes or dots, as ISO
    t = rx.sub(r"(?<![\w/.-])((?:19|20)\d{2})[/.](0?[1-9]|1[0-2])[/.](0?[1-9]|[12]\d|3[01])(?![\w/-]|\.\d)",
               lambda m: f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", t)
    # "2025-01-25~2025-02-02" (a tilde between two days, as Korean and Japanese write a span): from one to the other
    t = rx.sub(r"\b((?:19|20)\d{2}-\d{2}-\d{2})\s*[~\uff5e]\s*((?:19|20)\d{2}-\d{2}-\d{2})\b", r"from \1 to \2", t)
    # "2024/10-2024/12", "1997.01~1997.03": those months, both kept
    t = rx.sub(r"(?<![\w/.-])((?:19|20)\d{2})[/.](0?[1-9]|1[0-2])\s*[-\u2013~\uff5e]\s*((?:19|20)\d{2})[/.](0?[1-9]|1[0-2])(?![\w/-]|\.\d)",
               lambda m: f"{calendar.month_name[int(m.group(2))].lower()} {m.group(1)} through "
                         f"{calendar.month_name[int(m.group(4))].lower()} {m.group(3)}", t)
    # "in 2025-03", "since 2024-06", "the 2025-01 cohort": that month (a date 2025-03-14 stays a day)
    t = rx.sub(r"(?<![\w/.-])((?:19|20)\d{2})[-/.](0[1-9]|1[0-2])(?![\w/-]|\.\d)",
               lambda m: f"{calendar.month_name[int(m.group(2))].lower()} {m.group(1)}", t)
    t = _months_of_two_digit_years(t)
    # "the most recent six months", "the two most recent quarters": the last ones
    t = rx.sub(r"\b(?:the\s+)?most\s+recent\s+" + _NUM + r"\s+(days|weeks|months|quarters|years)\b", r"the last \1 \2", t)
    t = rx.sub(r"\b(?:the\s+)?" + _NUM + r"\s+most\s+recent\s+(days|weeks|months|quarters|years)\b", r"the last \1 \2", t)
    # "revenue by quarter, 2024 and 2025": both years, in periods; "revenue 2024 and 2025": the two side by side
    # (it was read as 2024 alone); "between 2024 and 2025" and "2023, 2024 and 2025" are read elsewhere
    two = rx.search(r"(?<!between )(?<!\d, )(?<!\d,)\b((?:19|20)\d{2})\s+(?:and|&)\s+((?:19|20)\d{2})\b(?!\s*[-/,])", t)
    if two and int(two.group(1)) < int(two.group(2)):
        over_time = rx.search(r"\b(?:by|per|each|every|over)\s+(?:the\s+)?(?:days?|weeks?|months?|quarters?|quartals?|"
                              r"years?|annum|time)\b|\b(?:daily|weekly|monthly|quarterly|yearly|annually|trend)\b|"
                              r"\b(?:day|week|month|quarter|year)[\s-]?(?:wise|by[\s-]\w+|on[\s-]\w+|over[\s-]\w+)\b|"
                              r"\b(?:together|across|through(?:out)?)\b", t)
        t = t[:two.start()] + (f"january {two.group(1)} through december {two.group(2)}" if over_time else
                               f"{two.group(1)} vs {two.group(2)}") + t[two.end():]
    # "since mid-2024": from its July; "until mid 2024": to its June
    t = rx.sub(r"\b(since|from|after|starting(?:\s+in)?)\s+(?:the\s+)?mid(?:dle)?[- ]?(?:of\s+)?((?:19|20)\d{2})\b",
               r"\1 july \2", t)
    t = rx.sub(r"\b(until|till|to|through|before|up\s+to)\s+(?:the\s+)?mid(?:dle)?[- ]?(?:of\s+)?((?:19|20)\d{2})\b",
               r"\1 june \2", t)
    # "mar 2023-feb 2024", "2024/10-2024/12" (as "october 2024-december 2024"): the months between, both kept
    t = rx.sub(r"\b((?:" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s+(?:19|20)\d{2})\s*[-\u2013]\s*((?:" + _MONTHS_ALT +
               r")" + _MONTH_TAIL + r"\.?\s+(?:19|20)\d{2})\b", r"\1 through \2", t)
    # "since jan 98", "march '24": a month's year in two digits (without the apostrophe only when it cannot be a day)
    t = rx.sub(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(" + _MONTH_TAIL + r"\.?)\s*(?:['\u2019](\d{2})|(3[2-9]|[4-9]\d))\b"
               r"(?![\d,:/-]|\.\d)", lambda m: f"{m.group(1)}{m.group(2)} {_year(m.group(3) or m.group(4))}", t)
    # "q4 24", "Q1'97", "h1-25": a quarter or half of a year said in two digits
    t = rx.sub(r"\b([qh][1-4])\s*['\u2019/-]?\s*(\d{2})\b(?!\s*(?:%|per\s*cent|days?|weeks?|months?|years?|[.,:]\d))",
               lambda m: f"{m.group(1)} {_year(m.group(2))}", t)
    t = rx.sub(_FISCAL_SPAN, _fiscal_span, t)  # "FY 2024-25": april 2024 through march 2025
    # "Q1 2024 thru Q4 2025", "from h2 2024 to q1 2025": from the first one's first month to the last one's last
    # ("q1 2024 and q1 2025", "the change between h1 and h2 2025" are two periods, set side by side)
    def quarters(m: re.Match) -> str:
        (k1, n1, y1), (k2, n2, y2) = (m.group(1), int(m.group(2)), m.group(3)), (m.group(4), int(m.group(5)), m.group(6))
        if k1 == "h" and n1 > 2 or k2 == "h" and n2 > 2 or (y1, n1 * (3 if k1 == "q" else 6)) >= (y2, n2 * (3 if k2 == "q" else 6)) \
                or _SET_AGAINST.search(m.string):
            return m.group(0)  # "compare Q4 2025 to Q4 2024", "has NPS improved from H1 2025 to H2 2025": two periods
        first, last = (n1 - 1) * (3 if k1 == "q" else 6) + 1, n2 * (3 if k2 == "q" else 6)
        return f"{calendar.month_name[first].lower()} {y1} through {calendar.month_name[last].lower()} {y2}"
    span = r"([qh])([1-4])\s+((?:19|20)\d{2})\s*(?:{sep})\s*(?:the\s+end\s+of\s+)?([qh])([1-4])\s+((?:19|20)\d{2})\b"
    t = rx.sub(r"\b(?:from\s+)?" + span.replace("{sep}", r"to|through|thru|until|till|up\s+to|-|\u2013|~"), quarters, t)
    own = seasons_said(t)  # "winter 2025 (jun to aug)": the months said, not the northern ones
    t = _SEASON_YEAR.sub(lambda m: _season_said(m, own), t)  # "summer 2024", "the winter of 2024/25": their months
    t = rx.sub(_HOLIDAY, _holiday_said, t)  # "christmas 2023", "the xmas 2024 rush", "valentine's this year": their month
    t = rx.sub(_ISO_WEEKS, _iso_weeks, t)  # "weeks 10-14 2025": their days
    t = rx.sub(r"\b(?:fy|fiscal\s+year\s*)((?:19|20)\d{2})\b", r"\1", t)
    t = rx.sub(r"\bfy\s?['\u2019]?(\d{2})\b", lambda m: str(_year(m.group(1))), t)  # "FY24"
    # "CY1997", "cy 24", "calendar year 2024": the calendar year
    t = rx.sub(r"\b(?:cy|calendar\s+year)\s?['\u2019]?((?:19|20)\d{2}|\d{2})\b", lambda m: str(_year(m.group(1))), t)
    t = rx.sub(r"\b(year|month|quarter)-to-date\b", r"\1 to date", t)
    # "the first 3 months of 1997", "the last two months of 2024": those months of that year
    t = rx.sub(r"\b(?:the\s+)?(first|last)\s+" + _NUM + r"\s+months\s+of\s+((?:19|20)\d{2}|'?\d{2}(?![\d%]))\b",
               lambda m: (lambda n: f"{calendar.month_name[1 if m.group(1) == 'first' else 13 - n].lower()} to "
                                    f"{calendar.month_name[n if m.group(1) == 'first' else 12].lower()} "
                                    f"{_year(m.group(3))}")(min(max(_int(m.group(2)), 1), 12)), t)  # "of 97" too
    # "FY ending March 2025", "the year ended june 2024": the twelve months to that month's end
    t = rx.sub(r"\b(?:the\s+)?(?:fy|fiscal\s+year|financial\s+year|year)\s+(?:ending|ended|to)\s+(?:in\s+)?(" + _MONTHS_ALT
               + r")" + _MONTH_TAIL + r"\.?\s+((?:19|20)\d{2})\b",
               lambda m: (lambda k, y: f"{calendar.month_name[k % 12 + 1].lower()} {y - (k < 12)} through "
                                       f"{calendar.month_name[k].lower()} {y}")(MONTHS[m.group(1)], int(m.group(2))), t)
    # "NPS for the year", "margin by category for the year": the data's last year
    # ("sales by month for 2024, to get a feel for the year": the year named)
    if not rx.search(r"\b(?:19|20)\d{2}\b", t):
        t = rx.sub(r"\bfor\s+the\s+year\b(?!\s*(?:\d|before|after|end|ending|ended|to|of|so\s+far))", "for this year", t)
    t = rx.sub(r"\b(through|thru)\s+to\b", r"\1", t)  # "from january 2023 through to december 2025"
    # "as of the last day of the data": no period; "as of end of jun 98", "as at 30 june": the data up to then
    t = rx.sub(r"\bas\s+(?:of|at)\s+(?:the\s+)?(?:last\s+day(?:\s+of\s+(?:the\s+)?data)?|today|now|the\s+latest(?:\s+date)?|"
               r"end\s+of\s+(?:the\s+)?data)\b", " ", t)
    t = rx.sub(r"\bas\s+(?:of|at)\s+(?=(?:the\s+)?(?:end|start|\d|" + _MONTHS_ALT + r"))", "up to ", t)
    # "from march 2024 until now", "from 2023 to date": a start, to the data's last day (it was March alone)
    t = rx.sub(r"\bfrom\s+((?:(?!\b(?:to|till|til|until|through|thru|up)\b)[\w' -]){1,30}?)\s+(?:till|til|until|to|up\s+to|"
               r"through|thru)\s+(?:now|date|today|(?:the\s+)?(?:present|latest|most\s+recent)(?:\s+(?:month|week|day|quarter|data|figures|numbers))?|"
               r"the\s+end(?:\s+of\s+(?:the\s+)?data|(?!\s+of\b))|"
               r"the\s+last\s+day(?!\s+of\b))\b",
               r"since \1", t)
    # "yearly deal amount from 2023", "sales per year from 2022": from that year on, a year at a time
    if rx.search(r"\b(?:yearly|annual(?:ly)?|per\s+year|by\s+year|each\s+year|year\s+(?:by|on|over)\s+year)\b", t):
        t = rx.sub(r"\bfrom\s+((?:19|20)\d{2})\b(?!\s*(?:-|to|till|until|through|thru|and|vs)\b)", r"since \1", t)
    # "cohorts from Q1 1997", "the cohort of cd buyers from january 1997": the cohort of that period
    t = rx.sub(r"\b(cohorts?(?:\s+of\s+(?:[\w-]+\s+){0,3}?(?:buyers|customers|clients|shoppers))?)\s+from\s+"
               r"(?=(?:q[1-4]\b|h[12]\b|" + _MONTHS_ALT + r"|(?:19|20)\d{2}))(?![^.?!]*\b(?:to|until|till|through|thru|"
               r"onwards?|and\s+after)\b)", r"\1 in ", t)
    t = rx.sub(r"\bfrom\s+(?=(?:the\s+)?(?:q[1-4]\s+|h[12]\s+|(?:" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s+)?(?:19|20)\d{2}\s+cohorts?\b)",
               "", t)  # "from january 2025 cohort how many still buy": that cohort
    # "from jan 2024 onwards", "2024 on", "q2 2024 and after", "from may 2025" (no end said): a start
    t = rx.sub(r"\b(?:(?:from|starting(?:\s+from|\s+in)?)\s+)?((?:q[1-4]\s+|(?:" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s+)?"
               r"(?:19|20)\d{2})\s+(?:onwards?|on(?=\s*(?:$|[,.;:!?)]|and\b|only\b))|and\s+(?:after|later|beyond))\b",
               r"since \1", t)  # not "dec 2024 on # of shoppers"
    t = rx.sub(r"\b(?:from|starting(?:\s+from|\s+in)?)\s+((?:q[1-4]\s+|(?:" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s+)(?:19|20)\d{2})\b"
               r"(?!\s*(?:-|\u2013|(?:to|through|thru|until|till|and|up\s+to|vs|versus|v|compared|against|or)\b))",
               r"since \1", t)
    t = rx.sub(r"\bfinal\s+(?=(?:\d+|few|couple|" + "|".join(_NUM_WORDS) + r")\b)", "last ", t)  # "the final 3 months"
    # "the last few months", "the past couple of weeks": three and two (the first line says the dates read)
    t = rx.sub(r"\b(last|past|previous)\s+(?:few|several)\s+(?=(?:days|weeks|months|years)\b)", r"\1 3 ", t)
    t = rx.sub(r"\b(last|past|previous)\s+couple(?:\s+of)?\s+(?=(?:days|weeks|months|years)\b)", r"\1 2 ", t)
    # "since the relaunch in march", "since we moved shop in july 2024": the event's time is the edge
    t = rx.sub(r"\b(since|after)\s+(?:(?!(?:" + _MONTHS_ALT + r"|q[1-4]\b|\d|since\b|after\b|and\b|vs\b|by\b|per\b))"
               r"[\w'-]+\s+){1,6}?(?:(?:in|on|during|back\s+in|around|from)\s+|\(\s*)(?=(?:q[1-4]\b|(?:" + _MONTHS_ALT
               + r")" + _MONTH_TAIL + r"\.?(?:\s|$)|(?:19|20)\d{2}\b))", r"\1 ", t)
    # "from 2023 right through to 2025", "2023 -> 2025", "up to the middle of 2025": the span's plain words
    t = rx.sub(r"\b(?:right|all\s+the\s+way|straight)\s+(?=(?:through|thru|to|up\s+to|until|till)\b)", "", t)
    t = rx.sub(r"(?<=\d)\s*(?:->|\u2192|=>)\s*(?=[a-z]*\s*(?:19|20)\d{2}\b)", " to ", t)
    t = rx.sub(r"\b(to|through|thru|until|till|up\s+to)\s+(?:the\s+)?(?:middle|mid)(?:\s+of|-)?\s*(?=(?:19|20)\d{2}\b)",
               r"\1 june ", t)
    t = rx.sub(r"\bupto\b", "up to", t)
    t = rx.sub(r"\b(from|between)\s+((?:19|20)\d{2})\s+(?:up\s+)?(to|through|thru|until|till|and)\s+(?=(?:" + _MONTHS_ALT
               + r")" + _MONTH_TAIL + r"\.?\s+(?:19|20)\d{2}\b)", r"\1 january \2 \3 ", t)  # "from 2023 to june 2025"
    # "from march 2023 up to 2025": to that year's end
    t = rx.sub(r"\b(from\s+(?:" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s+(?:19|20)\d{2})\s+(?:up\s+)?(to|through|thru|"
               r"until|till)\s+(?=(?:19|20)\d{2}\b(?![-/.]\d))", r"\1 \2 december ", t)
    t = rx.sub(r"\b(from|between)\s+((?:19|20)\d{2})\s+up\s+to\s+(?=(?:19|20)\d{2}\b)", r"\1 \2 to ", t)  # "from 2023 up to 2025"
    t = _numeric_dates(t)
    t = _DAY_RANGE.sub(_day_range, t)
    t = _MONTH_DAY_RANGE.sub(_month_day_range, t)
    t = _DAY_MONTH_YEAR.sub(lambda m: _iso(m.group(4), m.group(3), m.group(1)) or m.group(0), t)
    t = _MONTH_DAY_YEAR.sub(lambda m: _iso(m.group(3), m.group(1), m.group(2)) or m.group(0), t)
    t = _WEEK_OF.sub(lambda m: f"{m.group(1)} to {dt.date.fromisoformat(m.group(1)) + dt.timedelta(days=6)}", t)
    t = _ENDED.sub(_ended, t)
    # "over the last year", "in the last year": the past twelve months ("last year" alone is the year before)
    t = rx.sub(r"\b(over|in|during|within|for) the last year\b(?!\s+(?:of|and))", r"\1 the past year", t)  # as written
    t = rx.sub(r"\b([12])(?:\.|st|nd)\s*(?=half\b)", lambda m: "first " if m.group(1) == "1" else "second ", t)  # "1. half year"
    # "date>=2024-07-01", "order_date < 2025-01-01": an edge written as a condition
    t = rx.sub(r"(?:\b[a-z_]*date\s*)?(>=?|<=?)\s*(?=(?:19|20)\d{2}-\d{2}-\d{2}\b)",
               lambda m: {">": " after ", ">=": " since ", "<": " before ", "<=": " until "}[m.group(1)], t)
    # "apr 24 - mar 25", "dec 25 vs dec 24": two months each with the next or the same year in two figures are
    # months of years, not days (April 24th to March 25th would run backwards)
    t = _MONTH_SHORT_YEARS.sub(_month_short_years, t)
    t = rx.sub(r"\b(?:the\s+)?prior\s+year\b", "last year", t)  # "same qtr prior year"
    t = _YEAR_LIST.sub(_year_list, t)
    t = _TWO_YEARS_OVER.sub(lambda m: (lambda span: m.group(0) if span == m.group(0) else f"{m.group(1)} {span}")(
        _year_list(m)), t)  # "by month over 2024 and 2025": a span
    t = _MONTH_LIST.sub(_month_list, t)  # "jun jul aug", "nov + dec 2025": a run of months, first to last
    # "since the start of 2024": from its first day on; "to the end of march 2025": to that month's last day
    t = rx.sub(r"\bsince\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?=(?:19|20)\d{2}\b)", "since ", t)
    t = rx.sub(r"\bfrom\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?=(?:19|20)\d{2}\b)", "from january ", t)
    t = rx.sub(r"\b(to|until|till|through|thru)\s+(?:the\s+)?end\s+of\s+(?=(?:" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s)", r"\1 ", t)
    # "last qtr", "q before", "this mo", "last yr": the unit's short forms
    t = rx.sub(r"\b(this|last|previous|prev|past|prior|same|the|that)\s+(q|qtr|mo|yr)\b(?!\s*\d)",
               lambda m: f"{m.group(1)} {dict(q='quarter', qtr='quarter', mo='month', yr='year')[m.group(2)]}", t)
    t = rx.sub(r"\b(q|qtr)\s+(before|prior|earlier)\b", r"quarter \2", t)
    return rx.sub(r"\b(past|last)\s+fortnight\b", r"\1 14 days", t)


_MONTHS_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
#: a day said with its month and year: "1st March 2024", "the 2nd of dec 2010", "March 1, 2024",
#: "december 2 2010" (read as the ISO date, which ``period`` and ``comparison`` read)
_DAY_MONTH_YEAR = re.compile(r"\b(?:the\s+)?(\d{1,2})(st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTHS_RE + r")" + _MONTH_TAIL + r"\.?,?\s+"
                             r"((?:19|20)\d{2})\b")
_MONTH_DAY_YEAR = re.compile(r"\b(" + _MONTHS_RE + r")" + _MONTH_TAIL + r"\.?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b")
#: a day said with its month, no year: "1st march", "march 3rd", "the 5th of may", "7 december", "dec 7"
#: (without an ordinal, not after a count: "top 5 march buyers"; "may" without one only after "on", "since"...)
_DAY_EDGE = r"(?:on|for|since|from|after|before|until|till|to|and|of|by|through|thru|starting|beginning)"
_DAY_TAIL = (r"\b(?!\s*(?:[/.:,-]\s*\d|%|\+|days?\b|weeks?\b|months?\b|years?\b|customers?\b|products?\b|orders?\b|"
             r"items?\b|clients?\b))")
#: a month as written: its name, or the name cut short after three letters or more ("sept", "febr"),
#: never a word that only starts like one ("5 markets" is no 5 March)
_MONTH_OF_WORD = {name[:n].lower(): i for i, name in enumerate(calendar.month_name) if name
                  for n in range(3, len(name) + 1)} | {"sept": 9}
_MONTH_WORD = r"(?:" + "|".join(sorted(_MONTH_OF_WORD, key=len, reverse=True)) + r")(?![a-z])"
_DAY_NO_YEAR = re.compile(
    r"\b(?:the\s+)?(?P<d1>\d{1,2})(?:st|nd|rd|th)\s+(?:of\s+)?(?P<m1>" + _MONTH_WORD + r")|"
    r"\b(?P<m2>" + _MONTH_WORD + r")\.?\s+(?:the\s+)?(?P<d2>\d{1,2})(?:st|nd|rd|th)\b|"
    r"(?<!\d)(?<!top )(?<!last )(?<!past )(?<!next )(?<!first )(?<!bottom )(?<!best )"
    r"\b(?P<d3>\d{1,2})\s+(?!may\b)(?P<m3>" + _MONTH_WORD + r")\.?(?![\w-])(?!\s*\d)|"
    r"\b" + _DAY_EDGE + r"\s+(?P<m4>may)\s+(?P<d4>\d{1,2})" + _DAY_TAIL + "|"
    r"\b(?!may\b)(?P<m5>" + _MONTH_WORD + r")\.?\s+(?P<d5>\d{1,2})" + _DAY_TAIL, re.I)
_RANGE_SEP = r"\s*(?:-|\u2013|to|and|until|till|through|thru)\s*"
_DAY_RANGE_NO_YEAR = re.compile(r"\b(?:between\s+|from\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(" + _MONTHS_RE
                                + r")" + _MONTH_TAIL + r"\.?)?(" + _RANGE_SEP + r")(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?("
                                + _MONTHS_RE + r")" + _MONTH_TAIL + r"\.?(?![\w-])(?!\s*,?\s*\d)")
_MONTH_DAY_RANGE_NO_YEAR = re.compile(r"\b(?:between\s+|from\s+)?(" + _MONTHS_RE + r")" + _MONTH_TAIL + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?("
                                      + _RANGE_SEP + r")(?:(" + _MONTHS_RE + r")" + _MONTH_TAIL + r"\.?\s+)?(\d{1,2})(?:st|nd|rd|th)?\b"
                                      r"(?!\s*,?\s*\d)(?!\s*(?:%|days?|weeks?|months?|years?|customers?|products?|orders?)\b)")
#: a day in figures without a year: "on 7/12", "since 13.12" (``day_named``: read only when one reading is a day)
_NUMERIC_NO_YEAR = re.compile(r"\b(" + _DAY_EDGE[3:-1] + r")\s+(?:the\s+)?(\d{1,2})[/.](\d{1,2})\b(?![/.]\d)")


#: a day in figures with no word before it, said as a day of the year: "11.11 this year", "12.12 last year",
#: "9.9 sale" (the shopping festivals of South-East Asia: day and month the same, so one reading)
_SALE_DAY = re.compile(r"(\b)(\d{1,2})[/.](\d{1,2})\b(?![/.]\d)(?=\s+(?:day|sale|campaign|promo|(?:this|last)\s+year)\b)")


def day_named(text: str) -> tuple[int, int, str] | None:
    """(month, day, the words) of a day ``text`` names without a year: "7 december", "the 7th of
    december", "dec 7", "on 13/12" (figures only when one order of day and month makes a day:
    "7/12" could be 7 December or 12 July, and is not guessed: ``day_ambiguous``)."""
    for m in _DAY_NO_YEAR.finditer(text):
        i = next(i for i in "12345" if m.group("m" + i))
        month, day = _MONTH_OF_WORD.get(m.group("m" + i).lower()), m.group("d" + i)
        start = m.start("m4") if i == "4" else m.start()
        if month and 1 <= int(day) <= calendar.monthrange(2000, month)[1]:
            return month, int(day), text[start:m.end()].strip()
    for m in list(_NUMERIC_NO_YEAR.finditer(text)) + list(_SALE_DAY.finditer(text)):
        a, b = int(m.group(2)), int(m.group(3))
        readings = {(mo, d) for d, mo in ((a, b), (b, a)) if 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(2000, mo)[1]}
        if len(readings) == 1:
            month, day = readings.pop()
            return month, day, m.group(0)[len(m.group(1)):].strip()
    return None


def day_ambiguous(text: str) -> str | None:
    """A day in figures without a year that reads two ways ("7/12": 7 December or 12 July), with
    both readings, for the answer to say it was not read; None when there is none."""
    for m in _NUMERIC_NO_YEAR.finditer(text.lower()):
        a, b = int(m.group(2)), int(m.group(3))
        if a != b and a <= 12 and b <= 12:
            said = m.group(0)[len(m.group(1)):].strip()
            return (f"{said!r} (day {a} of {calendar.month_name[b]} or {calendar.month_name[a]} {b}? "
                    f"say the month's name, e.g. '{a} {calendar.month_name[b].lower()}')")
    return None


def yearless_said(words: str, start: dt.date | None, stop: dt.date | None) -> tuple[str, str] | None:
    """(the words, how they were read) of a day or an edge month said without a year ("7 december",
    "since march"), for the first line: "read '7 december' as 2010-12-07 (no year said: ...)"."""
    if rx.search(r"(?:19|20)\d{2}|'\d{2}", words) or not (day_named(words) or rx.search(
            r"\b(?:since|from|starting|after|until|till|up\s+to|through|thru|before|between)\b", words)):
        return None
    if not rx.search(r"\b(?:" + _MONTHS_RE + r")|\d[/.]\d", words):
        return None
    if start and stop:
        read = start.isoformat() if start == stop else f"{start.isoformat()} to {stop.isoformat()}"
    else:
        read = f"from {start.isoformat()}" if start else f"until {stop.isoformat()}" if stop else ""
    return (words.strip(), f"{read} (no year said: the data's last year with it)") if read else None


def year_of_day(month: int, day: int, ref: dt.date, first: dt.date | None = None) -> int:
    """The year of a day said without one: the data's last year that has it (``ref``: the data's last
    day; a day later in the year than ``ref`` is the year before)."""
    return ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1


#: a day written in figures: "01/04/2024", "30.06.2024" (``_numeric_dates``)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})\b")
#: two days of one year said once: "1 april and 30 june 2025", "1-15 march 2024", "5th-20th june 2025"
_DAY_RANGE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(" + _MONTHS_RE + r")" + _MONTH_TAIL + r"\.?)?(" + _RANGE_SEP
                        + r")(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTHS_RE + r")" + _MONTH_TAIL + r"\.?,?\s+((?:19|20)\d{2})\b")
#: the same, month first: "march 3 and april 9 2025", "nov 24-30 2025", "nov 24 to dec 1, 2025"
_MONTH_DAY_RANGE = re.compile(r"\b(" + _MONTHS_RE + r")" + _MONTH_TAIL + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?(" + _RANGE_SEP + r")(?:("
                              + _MONTHS_RE + r")" + _MONTH_TAIL + r"\.?\s+)?(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b")
#: "the week commencing 2025-12-01", "week beginning ...", "the week of ...": that day and the six after
_WEEK_OF = re.compile(r"\bweek\s+(?:commencing|beginning|starting|of)\s+(?:the\s+|on\s+)?((?:19|20)\d{2}-\d{2}-\d{2})\b")
#: three or more years listed one after the other: "2023, 2024 and 2025", "2023 / 2024 / 2025"
#: three or more years in a row: "2023, 2024 and 2025", "2023 2024 2025", "2023, 2024 e 2025", "2023, 24 and 25"
_YEAR_LIST = re.compile(r"\b(?:19|20)\d{2}(?:\s*(?:,\s*(?:and\b|&)?|/|&|\band\b|\be\b|\bet\b|\bund\b|\ben\b|(?<=\d)\s(?=\d))\s*"
                        r"(?:19|20)?\d{2}\b(?![.,:/]\d)){2,}")
#: two years said as the span a series runs over ("by month over 2024 and 2025"); "in 2024 and 2025"
#: and "compare 2024 and 2025" stay as they are (a comparison reads them)
_TWO_YEARS_OVER = re.compile(r"\b(over|across|during|throughout|spanning)\s+(?:both\s+)?(?:19|20)\d{2}\s*(?:,|/|&|\+|\band\b)\s*"
                             r"(?:19|20)\d{2}\b")
#: two or more months in a row said as a list ("jun jul aug", "nov + dec", "june, july and august")
_MONTH_LIST = re.compile(r"\b(?:" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?(?:(?:\s*(?:,|\+|&|/)\s*|\s+and\s+|\s+)(?:" + _MONTHS_ALT
                         + r")" + _MONTH_TAIL + r"\.?(?![\w-])){1,11}")


def _numeric_dates(t: str) -> str:
    """Days written in figures as ISO dates. Day first ("01/04/2024" is 1 April) unless a date of the
    text can only be month first ("04/30/2024"); the dates read are in the answer's first line."""
    # "15-08-2025 to 15-09-2025": dashes as slashes (an ISO date starts with its year, never read here)
    t = rx.sub(r"(?<![\w-])(\d{1,2})-(\d{1,2})-((?:19|20)\d{2})(?![\w-])", r"\1/\2/\3", t)
    found = list(_NUMERIC_DATE.finditer(t))
    if not found:
        return t
    day_first = not any(int(m.group(2)) > 12 >= int(m.group(1)) for m in found)

    def iso(m: re.Match) -> str:
        day, month = (m.group(1), m.group(2)) if day_first else (m.group(2), m.group(1))
        try:
            return dt.date(int(m.group(3)), int(month), int(day)).isoformat()
        except ValueError:
            return m.group(0)
    return _NUMERIC_DATE.sub(iso, t)


def _day_range(m: re.Match) -> str:
    first = _iso(m.group(6), m.group(2) or m.group(5), m.group(1))
    last = _iso(m.group(6), m.group(5), m.group(4))
    return f"{first}{m.group(3)}{last}" if first and last else m.group(0)


def _month_day_range(m: re.Match) -> str:
    first = _iso(m.group(6), m.group(1), m.group(2))
    last = _iso(m.group(6), m.group(4) or m.group(1), m.group(5))
    return f"{first}{m.group(3)}{last}" if first and last else m.group(0)


def _month_list(m: re.Match) -> str:
    """ "jun jul aug" -> "jun to aug" when each month follows the one before; other lists as they are."""
    said = rx.findall(r"[a-z]+", m.group(0))
    months = [MONTHS.get(w) for w in said if w not in ("and",)]
    if None in months or any(b != a % 12 + 1 for a, b in zip(months, months[1:])):
        return m.group(0)
    words = [w for w in said if w != "and"]
    return f"{words[0]} to {words[-1]}"


_MONTH_SHORT_YEARS = re.compile(r"\b(" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s+'?(\d{2})\s*(-|\u2013|to|through|thru|until|till|vs\.?|"
                                r"versus|against|compared\s+(?:to|with))\s*(" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s+'?(\d{2})\b"
                                r"(?!\s*(?:st|nd|rd|th|,?\s*(?:19|20)\d{2})\b)")


def _month_short_years(m: re.Match) -> str:
    (m1, y1), (m2, y2), joint = (MONTHS[m.group(1)], int(m.group(2))), (MONTHS[m.group(4)], int(m.group(5))), m.group(3)
    ranged = joint in ("-", "\u2013", "to", "through", "thru", "until", "till")
    if ranged and y2 == y1 + 1 and m2 < m1 or not ranged and m1 == m2 and abs(y1 - y2) == 1:
        return f"{m.group(1)} 20{y1:02d} {joint} {m.group(4)} 20{y2:02d}"
    return m.group(0)


def _year_list(m: re.Match) -> str:
    said = rx.findall(r"\d{2,4}", m.group(0))
    years = [int(y) if len(y) == 4 else int(said[0][:2] + y) for y in said if len(y) in (2, 4)]
    years = sorted(set(years))  # "2023, 2025 and 2024": the same three
    consecutive = years == list(range(years[0], years[0] + len(years)))
    return f"{years[0]} to {years[-1]}" if consecutive else m.group(0)


def _iso(year: str, month: str, day: str) -> str | None:
    """"2024-03-01" for a real day, else None (the words are left as they were)."""
    try:
        return dt.date(int(year), MONTHS[month], int(day)).isoformat()
    except (ValueError, KeyError):
        return None


def _days(t: str, ref: dt.date) -> tuple[dt.date | None, dt.date | None, str]:
    """A period bounded by days: "from 2024-03-01 to 2024-03-15", "since 1st March 2025" (no
    end), "until 2024-06-30" (no start), "on 2010-12-02" or a day alone (that day); a day without
    a year is in the data's last year (a month later in the year than its last day: the year before)."""
    for rng, (d1, m1, d2, m2) in ((_DAY_RANGE_NO_YEAR, (1, 2, 4, 5)), (_MONTH_DAY_RANGE_NO_YEAR, (2, 1, 5, 4))):
        m = rng.search(t)  # "1-7 december", "between dec 1 and dec 7": a range of days of the data's last year with them
        if m and MONTHS.get(m.group(m1) or m.group(m2)) and MONTHS.get(m.group(m2) or m.group(m1)):
            first_m, last_m = MONTHS[m.group(m1) or m.group(m2)], MONTHS[m.group(m2) or m.group(m1)]
            try:
                year = year_of_day(last_m, int(m.group(d2)), ref)
                a = dt.date(year - ((first_m, int(m.group(d1))) > (last_m, int(m.group(d2)))), first_m, int(m.group(d1)))
                b = dt.date(year, last_m, int(m.group(d2)))
            except ValueError:
                break
            return a, b, m.group(0).strip()
    said = day_named(t)
    iso_said = None
    if said:  # "7 december": the data's last 7 December (``year_of_day``), said on the first line
        month, number, words = said
        at = t.find(words)
        which = rx.match(r",?\s+(this|last)\s+year\b", t[at + len(words):])
        year = year_of_day(month, number, ref) if not which else ref.year - (which.group(1) == "last")
        if which:  # "12 december last year": that day of the year named
            words = t[at:at + len(words) + which.end()]
            said = (month, number, words)
        iso_said = dt.date(year, month, number).isoformat()
        t = t[:at] + iso_said + t[at + len(words):]
    start, stop, words = _iso_days(t)
    if iso_said and iso_said in words:
        words = words.replace(iso_said, said[2])
    return start, stop, words


def _iso_days(t: str) -> tuple[dt.date | None, dt.date | None, str]:
    iso = r"((?:19|20)\d{2}-\d{2}-\d{2})"
    m = rx.search(r"\b(?:from|between)?\s*" + iso + r"\s*(?:-|\u2013|to|and|through|thru|until|till|up\s+(?:to|until))\s*"
                  r"(?:the\s+)?" + iso, t)
    if m:
        a, b = dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))
        if a <= b:
            return a, b, m.group(0).strip()
    m = rx.search(r"\b(since|from|starting|beginning|after|until|till|up\s+to|through|thru|before)\s+(?:the\s+)?" + iso, t)
    if m:
        day = dt.date.fromisoformat(m.group(2))
        if m.group(1) in ("since", "from", "starting", "beginning", "after"):
            return day + dt.timedelta(days=m.group(1) == "after"), None, m.group(0)
        return None, day - dt.timedelta(days=m.group(1) == "before"), m.group(0)
    m = rx.search(r"(?:\b(?:on|for)\s+)?" + iso, t)
    if m:
        day = dt.date.fromisoformat(m.group(1))
        return day, day, m.group(0).strip()
    return None, None, ""


#: a part of a period said before it: "the first fortnight of january 2025", "the last week of june",
#: "the first 3 months of 97", "the second half of march"
_PART_OF = re.compile(r"\b(?:the\s+)?(?P<which>first|last|final|opening|closing|second)\s+(?:(?P<n>\d{1,3}|"
                      + "|".join(w for w, n in _NUM_WORDS.items() if n <= 31) + r"|few|couple(?:\s+of)?)\s+)?"
                      r"(?P<unit>days?|weeks?|fortnight|months?|half)\s+(?P<rest>of\s+[^(]+)")  # "(jan to jun)" restates it
#: an end said as today's: "FY 25-26 till date", "this quarter so far" (no later than the data's last day)
_TO_DATE = re.compile(r"\b(?:till|to|until|up\s+to)\s+date\b|\bso\s+far\b|\bytd\b|\bto\s+this\s+day\b")


def period(text: str, end: dt.date | None = None) -> tuple[dt.date | None, dt.date | None, str]:
    """(start, end, the words matched) for the period named in ``text``; ``end`` is the data's last day,
    which "last 6 months" and "this year" count back from (the data's, not the clock's: answers stay
    reproducible). A part said before it ("the first two weeks of february") narrows it; an end said
    as "till date" is no later than the data's last day."""
    t = _MONEY_THAN.sub(lambda m: m.group(0)[:m.start("n") - m.start()] + "#" * len(m.group("n")), period_words(text.lower()))
    ref = end or dt.date.today()
    t = _SHORT_YEAR.sub(lambda m: _short_year(m, ref), t)
    part = _PART_OF.search(t)
    if part:
        start, stop, words = _period(part.group("rest"), ref)
        if start and stop and words:
            narrowed = _part_of(part, start, stop)
            at = part.group("rest").find(words)
            if narrowed and at >= 0:
                return narrowed[0], narrowed[1], t[part.start():part.start("rest") + at + len(words)]
    since = rx.search(r"\b(?:ever\s+)?since\s+(?:the\s+(?:start|beginning)\s+of\s+)?", t)
    if since:  # "since march last year", "since the start of last year", "since q3 2024": from its first day on
        start, stop, words = _period(t[since.end():], ref)
        if start and words and t.find(words, since.end()) == since.end():
            return start, None, t[since.start():since.end() + len(words)]
    start, stop, words = _period(t, ref)
    if words and not _YEAR_OR_RELATIVE.search(words) and words in t:
        # "revenue by month for 2025? ... the dip over the summer", "signed up jun-aug 2024 during the summer
        # campaign", "first bought in nov 2024 (11.11 campaign)": a period said without its year gives way to
        # one said with a year, unless it lies inside that one in the same clause ("2025, over the summer")
        at = t.find(words)
        a, b, said = _period(t[:at] + " " * len(words) + t[at + len(words):], ref)
        if said and a and b and rx.search(r"\b(?:19|20)\d{2}\b", said) and said in t:
            inside = start and stop and a <= start and stop <= b
            between = t[min(at + len(words), t.find(said) + len(said)):max(at, t.find(said))]
            if not inside or _ASIDE_CLAUSE.search(between):
                start, stop, words = a, b, said
    if stop and stop > ref and _TO_DATE.search(t):
        stop = ref
    return start, stop, words


#: a year said in two figures after in/for/during ("cds sold per month in 97"): the data's, when one of its last ten
#: (one space at most after it: a word read already is blanked, "in 97 stores" is no year)
_SHORT_YEAR = re.compile(r"\b(in|during|for|of)\s+'?(\d{2})(?= ?(?:$|[?!.,;)])| (?:and|or|vs|only|please|pls|by|per)\b)")


def _short_year(m: re.Match, ref: dt.date) -> str:
    n = int(m.group(2))
    year = ref.year // 100 * 100 + n if n <= ref.year % 100 else (ref.year // 100 - 1) * 100 + n
    return f"{m.group(1)} {year}" if ref.year - 9 <= year <= ref.year else m.group(0)


#: money compared with a number: "customers who spent more than 2000 in total", "orders worth over 1999": an
#: amount, never the year 2000
_MONEY_THAN = re.compile(r"\b(?:(?:spent|spend|spends|spending|paid|pay|pays|worth|bought\s+for)\b[^.?!;]{0,20}?\b(?:more|less|"
                         r"fewer|over|above|under|below|at\s+least|at\s+most|greater|higher|lower|exceeding|exceeds?)|"
                         r"(?:revenue|sales|value|amount|totall?(?:ing|ed)?|dollars?|euros?)\b[^.?!;]{0,20}?\b(?:more|less|"
                         r"fewer|above|below|at\s+least|at\s+most|greater|higher|lower|exceeding|exceeds?))"
                         r"\s+(?:than\s+|of\s+)?[$\u20ac\u00a3]?\s*(?P<n>(?:19|20)\d{2})\b(?!\s*-\s*\d)")
#: a period's words that hold its year or count from the data's end ("last summer", "the past 90 days")
_YEAR_OR_RELATIVE = re.compile(r"\b(?:19|20)\d{2}\b|['\u2019]\d{2}\b|\b(?:this|last|past|previous|prior|next|ago|since|"
                               r"ytd|to\s+date|so\s+far|recent|latest|current|rolling|trailing)\b|\d+\s*(?:d|days?|w|wks?|"
                               r"weeks?|m|mos?|months?|y|yrs?|years?)\b")
#: words that open a clause of another kind: a period said after them is an aside, not the scope ("sales by
#: month in 2025 and why they go down in august", "by month for 2025? I'd like to see whether the dip over
#: the summer was real"); a full stop or "i.e." is no such break ("in 2024? june thru august, sales wise")
_ASIDE_CLAUSE = re.compile(r"\b(?:why|whether|because|but|so\s+i|i\s+want|i'?d\s+like|to\s+see)\b")


def _part_of(part: re.Match, start: dt.date, stop: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days of ``start``..``stop`` that ``part`` (a ``_PART_OF`` match) names, or None when it
    names none inside (the first 40 days of a week)."""
    which, unit = part.group("which"), part.group("unit").rstrip("s")
    said = part.group("n").split()[0] if part.group("n") else ""
    n = 3 if said == "few" else 2 if said == "couple" else _int(said) if said else 1
    first = which in ("first", "opening")
    if unit == "half":  # "the second half of march": from the 16th; "the first half of 2025": six months
        months = (stop.year - start.year) * 12 + stop.month - start.month + 1
        if start.day == 1 and stop == _month_end(stop.year, stop.month) and months >= 2 and months % 2 == 0:
            half = _shift_months(start, 1 - months // 2)
            mid = _month_end(half.year, half.month)
        else:
            mid = start + dt.timedelta(days=14 if months == 1 else (stop - start).days // 2)
        return (start, mid) if first else (mid + dt.timedelta(days=1), stop)
    if which == "second":
        return None
    if unit == "month":
        last = _shift_months(start, 1 - n)
        a, b = (start, _month_end(last.year, last.month)) if first else (_shift_months(stop.replace(day=1), n - 1), stop)
    else:
        days = n * {"day": 1, "week": 7, "fortnight": 14}[unit]
        a, b = (start, start + dt.timedelta(days=days - 1)) if first else (stop - dt.timedelta(days=days - 1), stop)
    return (a, b) if start <= a <= b <= stop else None


def _period(t: str, ref: dt.date) -> tuple[dt.date | None, dt.date | None, str]:
    start, stop, words = _days(t, ref)
    if words:
        return start, stop, words
    months_alt = "|".join(sorted(MONTHS, key=len, reverse=True))
    m = rx.search(r"\b(?:from\s+|between\s+)?(" + months_alt + r")" + _MONTH_TAIL + r"\s*(?:-|to|through|until|and|thru)\s*("
                  + months_alt + r")" + _MONTH_TAIL + r"\s+(?:of\s+)?(this|last|previous)\s+year\b", t)
    if m and MONTHS[m.group(1)] <= MONTHS[m.group(2)]:  # "october to december of this year", "jan-mar last year"
        year = ref.year - (m.group(3) != "this")
        return dt.date(year, MONTHS[m.group(1)], 1), _month_end(year, MONTHS[m.group(2)]), m.group(0)
    said = _of_this_or_last_year(t, ref)
    if said[2]:
        return said
    m = rx.search(r"\bq([1-4])\s*(?:-|to|through|thru|until)\s*q([1-4])\s*((?:19|20)\d{2})?\b", t)
    if m and m.group(1) < m.group(2):  # "q1-q3 2025"
        year = int(m.group(3)) if m.group(3) else ref.year
        return dt.date(year, 3 * int(m.group(1)) - 2, 1), _month_end(year, 3 * int(m.group(2))), m.group(0)
    m = rx.search(r"\b(?:between\s+(?P<m1>" + months_alt + r")" + _MONTH_TAIL + r"\s+(?P<y1>(?:19|20)\d{2})\s+and|(?:from\s+)?(?P<m2>"
                  + months_alt + r")" + _MONTH_TAIL + r"\s+(?P<y2>(?:19|20)\d{2})\s*(?:to|through|thru|until|till|-|\u2013))\s+(?P<m3>"
                  + months_alt + r")" + _MONTH_TAIL + r"\s+(?P<y3>(?:19|20)\d{2})\b", t)
    if m:  # "between march 2024 and june 2025", "from january 2023 through december 2025": a range
        a = dt.date(int(m["y1"] or m["y2"]), MONTHS[m["m1"] or m["m2"]], 1)
        b = _month_end(int(m["y3"]), MONTHS[m["m3"]])
        if a <= b:
            return a, b, m.group(0)
    m = rx.search(r"\bq([1-4])\s+(?:of\s+)?(this|last|previous)\s+year\b", t)
    if m:  # "q3 last year"
        year = ref.year - (m.group(2) != "this")
        q = int(m.group(1))
        return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), m.group(0)
    m = rx.search(r"\bthis\s+(month|quarter)\b", t)
    if m:  # the data's last month or quarter
        months = 1 if m.group(1) == "month" else 3
        first = dt.date(ref.year, ref.month if months == 1 else 3 * ((ref.month - 1) // 3) + 1, 1)
        return first, _shift_months(first, -months) - dt.timedelta(days=1), m.group(0)
    m = rx.search(r"\bsince\s+q([1-4])\s*((?:19|20)\d{2})?\b", t)
    if m:  # "since q2 2024"
        return dt.date(int(m.group(2)) if m.group(2) else ref.year, 3 * int(m.group(1)) - 2, 1), None, m.group(0)
    m = rx.search(r"\b(?:between|from)\s+((?:19|20)\d{2})\s+(?:and|to|-|through|until|till)\s+((?:19|20)\d{2})\b|"
                  r"\b((?:19|20)\d{2})\s*(?:-|\u2013|~|\.\.|to|through|until|till)\s*((?:19|20)\d{2})\b", t)
    if m and int(m.group(1) or m.group(3)) < int(m.group(2) or m.group(4)):  # "2023 through 2025", "2023-2025"
        return dt.date(int(m.group(1) or m.group(3)), 1, 1), dt.date(int(m.group(2) or m.group(4)), 12, 31), m.group(0)
    months_re = "|".join(sorted(MONTHS, key=len, reverse=True))
    m = rx.search(r"\b(?:(?:through|thru)\s+(?:the\s+)?end\s+of|until|till|up\s+(?:to|until))\s+(?:the\s+)?"
                  r"(?:end\s+of\s+)?(?:(" + months_re + r")" + _MONTH_TAIL + r"\s+)?((?:19|20)\d{2})\b", t)
    if m:  # "through end of 1997", "up to march 2024": an end, no start
        year = int(m.group(2))
        return None, _month_end(year, MONTHS[m.group(1)]) if m.group(1) else dt.date(year, 12, 31), m.group(0)
    m = rx.search(r"\b(?:from\s+|between\s+)?(" + months_re + r")" + _MONTH_TAIL + r"\s*(?:-|to|through|until|and|thru)\s*(" + months_re
                  + r")" + _MONTH_TAIL + r"\s+((?:19|20)?\d{2})\b", t)
    if m:  # "jan-sep 2025", "from march to june 2024"
        year = _year(m.group(3))
        first, last = MONTHS[m.group(1)], MONTHS[m.group(2)]
        if first <= last:
            return dt.date(year, first, 1), _month_end(year, last), m.group(0)
    m = rx.search(r"\b(?:(?:this|the)\s+)?(year|month|quarter)\s+to\s+date\b", t)
    if m:  # "year to date": from the start of the data's last year (month, quarter) to its last day
        unit = m.group(1)
        first = dt.date(ref.year, 1 if unit == "year" else ref.month if unit == "month" else 3 * ((ref.month - 1) // 3) + 1, 1)
        return first, ref, m.group(0)
    m = rx.search(r"\b(?:(last|previous)|last\s+to\s+(?:the\s+)?last|the(?=\s+\w+\s+before\s+(?:the\s+)?last))\s+(month|quarter|year)"
                  r"(\s+before\s+(?:the\s+)?last)?\b(?!\s+(?:or|and)\b)", t)
    if m and not m.group(1) and not m.group(3) and not m.group(0).startswith("last"):
        m = None  # "the year before" alone: not this rule
    if m and not rx.search(r"\b(?:last|past|previous)\s+" + _NUM + r"\s*(?:month|quarter|year)", t):
        # "last year": the calendar one before the data's last one; "last quarter", "last month": the
        # last complete one, as reporting says it (the data's own last quarter or month when the data
        # ends on its last day); "last to last month", "the quarter before last": the one before that
        months = {"month": 1, "quarter": 3, "year": 12}[m.group(2)]
        first = dt.date(ref.year, 1 if months == 12 else ref.month if months == 1 else 3 * ((ref.month - 1) // 3) + 1, 1)
        if months == 12 or _shift_months(first, -months) - dt.timedelta(days=1) != ref:
            first = _shift_months(first, months)
        if not m.group(1):
            first = _shift_months(first, months)
        return first, _shift_months(first, -months) - dt.timedelta(days=1), m.group(0)
    m = rx.search(r"\b(?:last|past|previous|trailing|rolling)\s+" + _NUM + r"?\s*(day|week|month|quarter|year)s?\b", t)
    if m:
        n = _int(m.group(1)) if m.group(1) else 1
        unit = m.group(2)
        # whole months back from the day after the data's last (kit.ROLLING_RULE): 15 Feb-14 Aug, and
        # 1 Jan-30 Jun on data ending on a month's last day
        after = ref + dt.timedelta(days=1)
        start = {"day": lambda: ref - dt.timedelta(days=n - 1), "week": lambda: after - dt.timedelta(weeks=n),
                 "month": lambda: _shift_months(after, n), "quarter": lambda: _shift_months(after, 3 * n),
                 "year": lambda: _shift_months(after, 12 * n)}[unit]()
        return start, ref, m.group(0)
    m = rx.search(r"\b(since|from|starting(?:\s+from|\s+in)?|after|until|till|up\s+to|through|thru|before)\s+(?:the\s+)?"
                  r"(?:(start|beginning|end)\s+of\s+)?(" + months_re + r")" + _MONTH_TAIL + r"\.?\b(?!\s*(?:['\u2019]?\d|-|\u2013|to\b|and\b|"
                  r"through\b|thru\b|until\b|till\b))", t)
    if m and rx.search(r"\b(?:" + months_re + r")" + _MONTH_TAIL + r"\.?\s*$", t[:m.start()]):
        m = None  # "june thru august": a range of months (``months_named``), not an edge
    if m and (m.group(3) != "may" or m.group(1) in ("since", "until", "before", "after")):
        # "since march", "until june": an edge in the data's last year with that month (said on the first line)
        month = MONTHS[m.group(3)]
        year = ref.year if month <= ref.month else ref.year - 1
        if m.group(1) in ("since", "from", "after") or m.group(1).startswith("starting"):
            start = dt.date(year, month, 1) if m.group(1) != "after" else _month_end(year, month) + dt.timedelta(days=1)
            return start, None, m.group(0)
        stop = dt.date(year, month, 1) - dt.timedelta(days=1) if m.group(1) == "before" else _month_end(year, month)
        return None, stop, m.group(0)
    m = rx.search(r"\bsince\s+(?:(" + "|".join(MONTHS) + r")\w*\s+)?((?:19|20)\d{2})\b", t)
    if m:
        month = MONTHS[m.group(1)] if m.group(1) else 1
        return dt.date(int(m.group(2)), month, 1), None, m.group(0)
    m = rx.search(r"\b(?:h|half\s*)([12])\s*(?:of\s+)?((?:19|20)?\d{2})?\b|\b(first|second|1st|2nd)\s+half"
                  r"(?:\s+of)?(?:\s+(?:the\s+)?year)?\s*((?:19|20)?\d{2})?\b", t)
    if m:  # "h1 2025", "second half of 2024", "the 1st half" (of the data's last year)
        half = int(m.group(1)) if m.group(1) else 1 if m.group(3) in ("first", "1st") else 2
        year = m.group(2) or m.group(4)
        year = ref.year if not year else int(year) if len(year) == 4 else 1900 + int(year) if int(year) > 50 \
            else 2000 + int(year)
        return dt.date(year, 6 * half - 5, 1), _month_end(year, 6 * half), m.group(0).strip()
    m = rx.search(r"\bq([1-4])\s*(?:of\s+)?((?:19|20)\d{2})?\b", t)
    if m:
        q = int(m.group(1))
        year = int(m.group(2)) if m.group(2) else ref.year
        return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), m.group(0)
    m = rx.search(r"\b(" + months_re + r")\s+(?:of\s+)?((?:19|20)\d{2}|'?\d{2})\b", t)
    if m:  # "march 2024", "march 97", "dec '24"
        month, year = MONTHS[m.group(1)], _year(m.group(2))
        return dt.date(year, month, 1), _month_end(year, month), m.group(0)
    m = rx.search(r"\b(this|last)\s+year\b", t)
    if m:
        year = ref.year - (m.group(1) == "last")
        return dt.date(year, 1, 1), dt.date(year, 12, 31), m.group(0)
    m = rx.search(r"\b(?:in|during|for|of|year)?\s*((?:19|20)\d{2})\b", t)
    if m:
        year = int(m.group(1))
        months = months_named(t)
        if months and months[0] <= months[1] and not _ASIDE_CLAUSE.search(
                t[min(m.end(), t.find(months[2]) + len(months[2])):max(m.start(), t.find(months[2]))]):
            # "summer 2025, june to august": the months of that year (not "by month 2025 and why they go down in august")
            at = t.find(months[2])
            return (dt.date(year, months[0], 1), _month_end(year, months[1]),
                    t[min(at, m.start()):max(at + len(months[2]), m.end())].strip())
        return dt.date(year, 1, 1), dt.date(year, 12, 31), m.group(0).strip()
    months = months_named(t)
    lone = _LONE_MONTH.search(t)
    if not months and lone:  # "weekly orders nov", "december's headline numbers": that month, as "in december"
        months = MONTHS[lone.group(1)], MONTHS[lone.group(1)], lone.group(0)
    if months:  # "in december", "jan to june": the data's last ones (months later in the year than its last day: the year before)
        first, last, words = months
        year = ref.year if last <= ref.month else ref.year - 1
        return dt.date(year - (first > last), first, 1), _month_end(year, last), words
    return None, None, ""


#: a month named alone, without a year or a word before it ("weekly orders nov", "december's numbers"):
#: not the months that are also everyday words or names (may, march, jan)
_LONE_MONTH = re.compile(r"\b(?<!always )(?<!every )(?<!usually )(?<!normally )(?<!typically )(?!may\b|march\b|mar\b|jan\b)(" + "|".join(sorted(MONTHS, key=len, reverse=True))
                         + r")(?:['\u2019]s)?\b(?!\s*['\u2019]?\d)")
#: months named without a year: a range ("jan to june", "between march and may", "feb-apr"), or one
#: month said as a period ("in december", "only march", "march only"); not "it may be", "may only"
_MONTH_RANGE = None


def months_named(text: str) -> tuple[int, int, str] | None:
    """(first month, last month, the words) of the months ``text`` names as a period without a
    year; a range may run over a new year ("nov to feb": 11, 2). None when it names none, or a
    month only as an edge ("since march", "until june": ``period`` reads those)."""
    global _MONTH_RANGE
    if _MONTH_RANGE is None:
        alt = "|".join(sorted(MONTHS, key=len, reverse=True))
        _MONTH_RANGE = (
            re.compile(r"\b(?:from\s+(?:the\s+start\s+of\s+)?)?(" + alt + r")" + _MONTH_TAIL + r"\s*(?:-|\u2013|to|through|thru|until|till)\s*(?:the\s+end\s+of\s+)?("
                       + alt + r")" + _MONTH_TAIL + r"\b(?!\s*['\u2019]?\d)|\bbetween\s+(" + alt + r")" + _MONTH_TAIL + r"\s+and\s+(" + alt + r")" + _MONTH_TAIL + r"\b(?!\s*['\u2019]?\d)"),
            re.compile(r"\b(?:in|for|during|over|only|just)\s+(?:the\s+month\s+of\s+)?(" + alt + r")\b"
                       r"(?!\s+(?:be|have|not|also|still|need|want|i|we|you|they)\b)(?!\s*['\u2019]?\d)|"
                       r"\b(?!may\b)(" + alt + r")\s+(?:only|alone)\b|^\W*(" + alt + r")\W*$"))
    rng, one = _MONTH_RANGE
    m = rng.search(text)
    if m:
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if MONTHS[a] != MONTHS[b]:
            return MONTHS[a], MONTHS[b], m.group(0)
    m = one.search(text)
    if m:
        month = MONTHS[next(g for g in m.groups() if g)]
        return month, month, m.group(0).strip()
    return None


#: words that set two periods against each other: "Q3 2024 vs Q3 2025", "compare 2024 and 2025"
COMPARE = re.compile(r"\s+(?:vs\.?|versus|v\.?|against|contra|compar(?:e|ed|ing)\s+(?:to|with|w/?)|in\s+comparison\s+(?:to|with)|"
                     r"relative\s+to|than|differ(?:s|ed)?\s+from|(?:is\s+|was\s+)?different(?:ly)?\s+(?:from|than)|"
                     # "our aov this year, is it up on last year": up or down on a period compares with it
                     r"(?<!follow\s)(?<!catch\s)(?<!pick\s)(?<!back\s)(?<!sign\s)(?<!set\s)(?<!wrap\s)(?:up|down)\s+(?:on|from))\s+")
# "between march 2024 and june 2024" alone is a range (``period``); "the difference between" compares
_COMPARE_VERB = re.compile(r"\b(?:compare|comparing|comparison\s+of|(?:difference|gap|change)\s+between)\s+(.+?)\s+"
                           r"(?:and|with|to|vs\.?|versus|against)\s+(.+)$")
#: the same with a word that only sets sides against each other: "compare june to august 2024 against the same
#: months in 2025" is split at "against", not inside the range at "to"
_COMPARE_VERB_STRONG = re.compile(_COMPARE_VERB.pattern.replace("(?:and|with|to|vs", "(?:with|vs"))
#: "has it moved between 2023 and 2025", "how did conversion change between h1 and h2": a change
#: between two periods compares them (a bare "between march and june" is a range)
_CHANGE_BETWEEN = re.compile(r"\b(?:chang|mov|differ|grow|grew|grown|shift|evolv|develop|improv|declin|drop|ris|rose|"
                             r"fell|fall|increas|decreas|went|gone|go)\w*\b.*?\bbetween\s+(.+?)\s+and\s+(.+)$|"
                             # "which countries grew the most from 2024 to 2025": growth from one period to the next
                             r"\b(?:grow|grew|grown|growth|increas|decreas|declin|dropp|fell|rose|chang|improv|worsen|"
                             r"deteriorat|recover)\w*\b.*?\bfrom\s+"
                             r"(.+?)\s+to\s+(.+)$")


def _window_in_each_year(t: str, ref: dt.date) -> tuple[list[tuple[dt.date, dt.date]], str] | None:
    """"BFCM 2025 vs 2024, window nov 24 to dec 1 both years", "cyber week 2025 vs 2024 (nov 24-30)": two
    years set against each other and a window said without a year: that window in each of the two."""
    m = rx.search(r"\b((?:19|20)\d{2})\s*(?:vs\.?|versus|v\.?|against|compared\s+(?:to|with)|and)\s*((?:19|20)\d{2})\b", t)
    if not m or m.group(1) == m.group(2):
        return None
    rest = t[:m.start()] + " " * (m.end() - m.start()) + t[m.end():]
    years = int(m.group(1)), int(m.group(2))
    start, stop, words = period(rest, dt.date(years[0], 12, 31))
    if not (start and stop and words) or rx.search(r"(?:19|20)\d{2}|\b(?:last|this|past|previous|next|ytd|so\s+far)\b",
                                                   words) or (stop - start).days > 200 or stop.year != years[0]:
        return None
    shift = 12 * (years[1] - years[0])
    other = _shift_months(start, -shift), _shift_months(stop, -shift)
    if stop == _month_end(stop.year, stop.month):
        other = other[0], _month_end(other[1].year, other[1].month)
    return sorted([(start, stop), other]), f"{m.group(0)}|{words}"


def _season_of(t: str, ref: dt.date, alone: bool = True) -> tuple[dt.date | None, dt.date | None, str]:
    """"last summer", "this winter", "summer last year": a season (``SEASONS``) counted from ``ref``. "This
    summer" is the latest to have begun by ``ref``; "last summer" the latest to have ended by it (not
    ``alone``, beside "this summer": the one before that); "summer last year" the one of the year before
    ``ref``'s."""
    m = rx.search(r"\b(?:(?:(this|last|past|previous)|(?:over|during|in|through|across|for)\s+the)\s+" + _SEASON_WORD + r"|"
                  + _SEASON_WORD.replace("(spring", "(?P<s2>spring") + r"\s+(?:of\s+)?(?P<which>this|last|the\s+previous)\s+year)\b",
                  t)
    # "over the summer last year": the year said after the season
    year_after = m and not m.group(1) and not m["which"] and rx.match(r"\s+(?:of\s+)?(this|last|the\s+previous)\s+year\b",
                                                                       t[m.end():])
    if not m or not m.group(1) and not m["which"] and not year_after and rx.search(r"\b(?:more|less|fewer|busier|quieter|slower|usually|always|every|each|typically|"
                                       r"normally|seasonal\w*|compared?|vs|versus)\b", t):
        return None, None, ""  # "over the winter": the latest one; "do we sell more in the summer?": summers at large
    if not m.group(1) and not m["which"] and rx.search(r"\b(?:read|print|look|go\s+through|review|study|think|mull|"
                                                       r"digest|check)\b[^.,;!?]*$", t[:m.start()]):
        return None, None, ""  # "print it and read it over the winter": when the person reads, no period
    name = (m.group(2) or m["s2"]).lower()
    own = seasons_said(t)  # "over winter this yr (jun to aug)": the southern winter, as said
    across = (own.get(name) or SEASONS[name])[0] > (own.get(name) or SEASONS[name])[1]  # over a new year
    which, said = m["which"], m.group(0)
    if year_after:
        which, said = year_after.group(1), m.group(0) + year_after.group(0)
    if which:
        year = ref.year - (which != "this")
        if across:  # the winter that begins in that year's December
            year += 1
        start, stop = season_span(name, year, own)
        return start, stop, said
    year = ref.year + across
    start, stop = season_span(name, year, own)
    while start > ref or m.group(1) != "this" and stop > ref:
        year -= 1
        start, stop = season_span(name, year, own)
    if m.group(1) != "this" and not alone and rx.search(r"\bthis\s+" + name, t) is None:
        this = _season_of(f"this {name}", ref)  # "this summer vs last summer": the summer before this one
        if stop >= this[0]:
            start, stop = season_span(name, this[1].year - 1)
    return start, stop, m.group(0)


def _of_this_or_last_year(t: str, ref: dt.date, alone: bool = True) -> tuple[dt.date | None, dt.date | None, str]:
    """"december last year", "q1 last year", "february this year": that month, quarter or half (a season:
    ``_season_of``)."""
    season = _season_of(t, ref, alone)
    if season[2]:
        return season
    t = rx.sub(r"\b(?:the\s+)?(first|1st|second|2nd)\s+half\b", lambda h: "h1" if h.group(1) in ("first", "1st") else "h2", t)
    m = rx.search(r"\b(?:(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")" + _MONTH_TAIL + r"|(q[1-4]|h[12]))\s+(?:of\s+)?"
                  r"(last|the\s+previous|this)\s+year\b", t)
    named = None if m else rx.search(r"\b(this|last|previous)\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b", t)
    if named and named.group(2) == "may" and not rx.match(r"\s*(?:$|[,.;:!?)]|(?:vs|versus|and|or|compared|against|to)\b)",
                                                           t[named.end():]):
        named = None  # "this may be a silly question"
    if named and len(named.group(2)) >= 3:  # "this november vs last november": the month's latest, and the one before
        month = MONTHS[named.group(2)]
        year = ref.year if month <= ref.month else ref.year - 1
        if named.group(1) != "this" and not alone:
            year -= 1
        return dt.date(year, month, 1), _month_end(year, month), named.group(0)
    if not m:
        return None, None, ""
    year = ref.year - (m.group(3) != "this")
    if m.group(2):
        k, n = int(m.group(2)[1]), 3 if m.group(2)[0] == "q" else 6
        return dt.date(year, n * k - n + 1, 1), _month_end(year, n * k), m.group(0)
    month = MONTHS[m.group(1)]
    return dt.date(year, month, 1), _month_end(year, month), m.group(0)


def _calendar_period(text: str, ref: dt.date, alone: bool = True) -> tuple[dt.date | None, dt.date | None, str]:
    """A period one side of a comparison names: what ``period`` reads, or a calendar month, quarter
    or half without a year ("March", "this month", "last quarter", "h1 2025"), counted from ``ref``
    (a month later in the year than ``ref`` is last year's). ``alone``: no side says "this", so
    "last month" is read as ``period`` reads it (at a month's close, that month); beside "this
    month" it is the one before. A side is a whole period: "from jan 2024 vs jan 2025" is January's."""
    t = rx.sub(r"\b(?:from|starting(?:\s+from|\s+in)?)\s+(?=(?:q[1-4]\s+|(?:" + _MONTHS_ALT + r")" + _MONTH_TAIL + r"\.?\s+)(?:19|20)\d{2}\b)",
               "", text.lower())
    said = _of_this_or_last_year(t, ref, alone)
    if said[2]:
        return said
    m = rx.search(r"\b(this|last|previous)\s+(month|quarter|year)\b", t)
    if m and alone and m.group(1) == "last" and m.group(2) != "year":  # as ``period`` reads it
        start, stop, words = period(m.group(0), ref)
        if words:
            return start, stop, m.group(0)
    if m:
        months = {"month": 1, "quarter": 3, "year": 12}[m.group(2)]
        first = dt.date(ref.year, 1 if months == 12 else ref.month if months == 1 else 3 * ((ref.month - 1) // 3) + 1, 1)
        if m.group(1) != "this":
            first = _shift_months(first, months)
        return first, _shift_months(first, -months) - dt.timedelta(days=1), m.group(0)
    start, stop, words = period(t, ref)
    if words:
        return start, stop, words
    m = rx.search(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b", t)
    # "may" and "mar" are words too: months after in/for/of, or where the side begins or ends next to the
    # other side ("april vs may revenue", "how did May compare to April")
    if m and (m.group(1) not in ("may", "mar") or rx.search(r"\b(?:in|for|of)\s+" + m.group(1) + r"\b", t)
              or not t[:m.start()].strip() or not t[m.end():].strip()):
        month = MONTHS[m.group(1)]
        year = ref.year if month <= ref.month else ref.year - 1
        return dt.date(year, month, 1), _month_end(year, month), m.group(0)
    return None, None, ""


#: "the year before", "a year earlier", "of the previous year" after a month, quarter or half one side names
_YEAR_BEFORE = re.compile(r"\s*(?:,\s*)?(?:of\s+|in\s+)?(?:the\s+(?:previous\s+|prior\s+)?year\s+before|the\s+(?:previous|prior)\s+year|"
                          r"a\s+year\s+(?:before|earlier|ago))\b")


#: the span "the same ..." repeats from the other side of a comparison ("the same quarter last year")
_SAME_SPAN = (r"(?:months?|quarters?|weeks?|period|time|days?|dates?|stretch|halves|half(?:[- ]year)?|semest(?:er|re)s?|"
              r"season)")


def comparison(text: str, end: dt.date | None = None) -> tuple[list[tuple[dt.date, dt.date]] | None, str]:
    """Two periods a question compares, earlier first, and the words they took: "Q3 2024 vs Q3
    2025", "compare 2024 and 2025", "this year against last year", "how did March compare to
    February". None unless both sides name a complete period."""
    t = text.lower()
    ref = end or dt.date.today()
    sides = None
    m = rx.search(r"\b(?:how\s+(?:did|does|do|is|was)\s+)(.+?)\s+compare\s+(?:to|with|against)\s+(.+)$", t)
    if m:
        sides = m.group(1), m.group(2)
        if rx.fullmatch(r"(?:it|that|this|they|those|these|that\s+figure|the\s+number)", sides[0].strip()):
            sides = t[:m.start()], sides[1]  # "churn in 2025 and how does it compare with 2024": what came before
    if sides is None:
        m = _CHANGE_BETWEEN.search(t)
        if m:
            sides = tuple(g for g in m.groups() if g)[:2]
    if sides is None and rx.search(_COMPARATIVE, t):  # "did we lose more people in 2024 or in 2025?"
        parts = rx.split(r"\s+or\s+(?=(?:in\s+|during\s+|from\s+|of\s+|since\s+)?(?:the\s+)?(?:(?:ones?|cohorts?|groups?|batch|class|customers|people|"
                         r"those)\s+(?:of|from|in|acquired\s+in|who\s+joined\s+in)\s+)?(?:q[1-4]\s+|h[12]\s+)?(?:19|20)\d{2}\b)",
                         t, maxsplit=1)
        if len(parts) == 2:  # "cohorts from q1 2024 or from q1 2025": the second "from" (read as "since") a whole one too
            sides = parts[0], rx.sub(r"^(\s*(?:the\s+)?)since\s+", r"\1", parts[1])
    if sides is None:  # "do customers acquired in 2025 stick with us as well as those from 2023 did?"
        m = rx.search(r"^(.*\b(?:19|20)\d{2}\b.*?)\s+as\s+(?:well|much|often|long|good|loyal|strongly)\s+as\s+"
                      r"(.*\b(?:19|20)\d{2}\b.*)$", t)
        if m:
            sides = m.group(1), m.group(2)
    if sides is None:  # "orders in H1 2025, and in the same half one year before": a period and the same a year away
        m = rx.search(r"^(.*\b(?:19|20)\d{2}\b[^;?]*?)\s*,?\s+and\s+((?:in\s+|for\s+|during\s+)?(?:the\s+)?same\s+"
                      + _SAME_SPAN + r"\s+(?:of\s+|in\s+)?(?:last\s+year|(?:a|one|1)\s+years?\s+(?:before|earlier|ago)|"
                      r"the\s+(?:previous\s+)?year\s+before|(?:19|20)\d{2})\b.*)$", t)
        if m:
            sides = m.group(1), m.group(2)
    if sides is None:  # "how many customers bought in 2023 and how many in 2024": the question asked of each year
        m = rx.search(r"^(.*\b(?:in|for|during)\s+(?:19|20)\d{2}\b[^,;?]*?)\s*,?\s+and\s+((?:how\s+many|how\s+much|what"
                      r"(?:\s+about)?|the\s+same)\b[^,;?]*\b(?:19|20)\d{2}\b.*)$", t)
        if m:
            sides = m.group(1), m.group(2)
    if sides is None:
        m = _COMPARE_VERB_STRONG.search(t) or _COMPARE_VERB.search(t) or _SIDE_BY_SIDE.search(t)
        if m:
            sides = tuple(g for g in m.groups() if g)[:2]
    if sides is None:
        for i, versus in enumerate(COMPARE.finditer(t)):
            parts = t[:versus.start()], t[versus.end():]
            # each side is the clause next to "vs" when that clause names a period: "is turnover up on last
            # year? like for like, 2025 v 2024" sets 2025 against 2024, not last year against 2024
            near = rx.split(r"[,;:?!]\s*|\.\s+", parts[0])[-1], rx.split(r"[,;:?!]\s*|\.\s+", parts[1])[0]
            if i == 0:
                sides = tuple(n if n != p and period(n, ref)[2] else p for n, p in zip(near, parts))
            if all(_calendar_period(n, ref)[2] for n in near):  # "kitchen vs home, 2024 vs 2025": the periods' "vs"
                sides = near
                break
    if sides is None:
        return None, ""
    window = _window_in_each_year(t, ref)
    if window:
        return window
    years = [rx.findall(r"\b(?:19|20)\d{2}\b", period_words(side)) for side in sides]
    relative = [rx.search(r"\b(?:this|last|previous|prior|past|ago|before|earlier)\b", side) for side in sides]
    refs = [ref, ref]
    for i in (0, 1):  # "first half of 1997 vs the second half": the side without a year is in the other's
        if not years[i] and not relative[i] and len(set(years[1 - i])) == 1:
            refs[i] = dt.date(int(years[1 - i][0]), 12, 31)
    alone = rx.search(r"\bthis\b", t) is None
    a0, a1, aw = _calendar_period(sides[0], refs[0], alone)
    b0, b1, bw = _calendar_period(sides[1], refs[1], alone)
    before = _YEAR_BEFORE.search(sides[1])
    if before and a0 and bw and rx.search(r"\b(?:" + _MONTHS_ALT + r"|q[1-4]|h[12]|(?:first|second)\s+half)", sides[1][:before.start()]):
        # "december vs dec the year before": that month (quarter, half) of the year before the first side's
        b0, b1, bw = _calendar_period(sides[1][:before.start()], dt.date(a0.year - 1, 12, 31), True)
    # "this year so far compared with the same months last year", "2025 to date": to the data's last day
    a1, b1 = (min(a1, ref) if a1 and _TO_DATE.search(sides[0]) else a1), (min(b1, ref) if b1 and _TO_DATE.search(sides[1]) else b1)
    # "since march vs the same period last year": a side with a start and no end runs to the data's last day
    a1, b1 = (a1 or (ref if a0 and aw else None)), (b1 or (ref if b0 and bw else None))
    for first, second in ((0, 1), (1, 0)):  # "this year vs last", "Q3 against the one before"
        known, other = (a0, a1, aw), (b0, b1, bw)
        if first == 1:
            known, other = other, known
        year_ago = rx.match(r"\s*(?:in\s+|for\s+|during\s+)?(?:the\s+)?same\s+(?:" + _NUM + r"\s+)?" + _SAME_SPAN + r"\s+"
                            r"(?:of\s+)?(?:last\s+year|"
                            r"(?:a|one|1)\s+years?\s+(?:before|earlier|ago)|the\s+(?:previous\s+)?year\s+before)\b", sides[second])
        # "last 6 months vs the 6 months before": as long a window, just before the one named
        window = rx.match(r"\s*(?:the\s+|over\s+the\s+)?(?:" + _NUM + r"\s+)?(day|week|month|quarter|year)s?\s+"
                          r"(?:before|prior|preceding|earlier)\b|\s*(?:the\s+)?(?:previous|preceding|prior)\s+"
                          + _NUM + r"\s+(day|week|month|quarter|year)s?\b|\s*(?:the\s+)?" + _NUM +
                          r"\s+(?:before|prior|preceding|earlier)\b", sides[second])
        # "weeks 10-14 2025 vs the same weeks 2024", "q1 2025 vs same period in 2023": those days that year
        same_year = rx.match(r"\s*(?:in\s+|for\s+|during\s+)?(?:the\s+)?same\s+(?:" + _NUM + r"\s+)?" + _SAME_SPAN
                             + r"\s+(?:in\s+|of\s+)?((?:19|20)\d{2})\b", sides[second])
        if known[2] and known[0] and known[1] and same_year:
            back = 12 * (known[0].year - int(same_year.group(2)))
            stop = _shift_months(known[1], back)
            if known[1] == _month_end(known[1].year, known[1].month):
                stop = _month_end(stop.year, stop.month)
            other = (_shift_months(known[0], back), stop, same_year.group(0).strip())
            if rx.search(r"\bweeks?\b", same_year.group(0)):  # the same ISO weeks, Monday to Sunday
                year, weeks = int(same_year.group(2)), (known[0].isocalendar()[1], known[1].isocalendar()[1])
                try:
                    other = (dt.date.fromisocalendar(year, weeks[0], 1), dt.date.fromisocalendar(year, weeks[1], 7),
                             other[2])
                except ValueError:  # no week 53 that year: the same days
                    pass
            (a0, a1, aw), (b0, b1, bw) = (known, other) if first == 0 else (other, known)
            break
        unit_of_known = rx.search(r"\b(day|week|month|quarter|year)s?\b", known[2] or "")
        # ("the previous 6 months" reads alone as the last 6: set against them, it is the 6 before)
        if known[2] and window and not year_ago and (not other[2] or other[:2] == known[:2]) and (
                window.group(2) or window.group(4) or unit_of_known):
            n = _int(window.group(1) or window.group(3) or window.group(5) or "1")
            unit = window.group(2) or window.group(4) or unit_of_known.group(1)  # "the 6 before that": months
            if unit in ("day", "week"):
                days = n * (7 if unit == "week" else 1)
                start = known[0] - dt.timedelta(days=days)
            else:
                start = _shift_months(known[0], n * {"month": 1, "quarter": 3, "year": 12}[unit])
            other = (start, known[0] - dt.timedelta(days=1), window.group(0).strip())
            (a0, a1, aw), (b0, b1, bw) = (known, other) if first == 0 else (other, known)
            break
        m = year_ago or rx.match(r"\s*(?:the\s+)?(last|previous|prior|the\s+one\s+before|(?:the\s+)?(?:year|period|"
                                 r"quarter|month)\s+before)(?:\s+(?:one|year|period))?\b", sides[second])
        if known[2] and m and (year_ago or not other[2]):  # "last month vs the same month last year": a year before
            months = 12 if year_ago else \
                (known[1].year - known[0].year) * 12 + known[1].month - known[0].month + 1
            start = _shift_months(known[0], months)
            stop = _shift_months(start, -months) - dt.timedelta(days=1) if not year_ago else \
                _month_end(known[1].year - 1, known[1].month) if known[1] == _month_end(known[1].year, known[1].month) \
                else _shift_months(known[1], 12)
            other = (start, stop, m.group(0).strip())
            (a0, a1, aw), (b0, b1, bw) = (known, other) if first == 0 else (other, known)
            break
    if not (aw and bw and a0 and a1 and b0 and b1):
        return None, ""
    if aw == bw and (a0, a1) == (b0, b1):
        return None, ""
    periods = sorted([(a0, a1), (b0, b1)])
    return periods, f"{aw}|{bw}"


#: "put 2024 and 2025 side by side", "2024 next to 2025"
_SIDE_BY_SIDE = re.compile(r"^(.+?)\s+(?:and|vs\.?|versus|with)\s+(.+?)\s+side\s+by\s+side\b|^(.+?)\s+next\s+to\s+(.+)$")
_CONTRAST = r"(?:\s+[\w'-]+){0,6}?\s+(?:vs\.?|versus|v\.?|against|compared\s+(?:to|with)|than)\s+(?:the\s+|our\s+)?"


def values_of(values: dict[str, dict[str, list[str]]], column: str, named: list[str]) -> set[str]:
    """The values of ``column`` in the role whose column holds every value ``named`` (a sales
    table's channel, not the touchpoints' channel of the same name)."""
    low = {v.lower() for v in named}
    sets = [set(cols[column]) for cols in values.values() if column in cols
            and low <= {v.lower() for v in cols[column]}]
    return min(sets, key=len) if sets else set()


#: words that ask which of two things is more: with them "X or Y" sets X against Y
_COMPARATIVE = r"\b(?:more|less|fewer|better|worse|higher|lower|bigger|smaller|most|least|best|worst|faster|slower|mostly|mainly)\b"




#: a column with at most this many values is shown whole when two of them are set against each other
#: ("app vs web": every channel, side by side, with nothing left in force for the next question);
#: one with more keeps the filter ("EMEA vs APAC" of four regions, "social vs referral" of six
#: acquisition channels, "speaker vs desk lamp"). Over the development corpus, two of three values
#: set against each other are labelled as the whole column about 90 times against 45 as the two,
#: two of four or more as the two 16 times against 5
FEW_VALUES = 3


def _spoken(value: str) -> str:
    """A regex of the ways a value is said: as written, its everyday names ("website" for web), the
    words for a gender ("women" for F)."""
    low = value.lower()
    return "|".join([re.escape(n) for n in (low, *VALUE_NAMES.get(low, ()))] +
                    [words for words, spellings in _GENDER_WORDS.items() if low in spellings])


def contrasted_columns(text: str, filters: dict[str, list[str]], values, said: list[str] = ()) -> list[str]:
    """Columns two of whose values the question sets against each other ("web vs app", "b2b versus
    b2c customers", "aov uk vs france": ``said``, the words values were read from): the person
    wants them side by side, a breakdown by that column."""
    t = text.lower()
    out = []
    for column, vs in filters.items():
        names = "|".join([_spoken(v) for v in vs] + [re.escape(w.lower()) for w in said if w.strip()])
        if len(vs) >= 2 and (
                rx.search(r"\b(?:" + names + r")\b(?:-\w+)?" + _CONTRAST + r"(?:\w+\s+){0,3}?(?:" + names + r")\b", t)
                # "compare churn for DSL and Fiber optic", "the difference between web and app"
                # "sales split app / web / store", "revenue across app, store and web", "b2b and b2c differ"
                or rx.search(r"\b(?:split|splits|across|breakdown|mix|differ\w*)\b", t) and rx.search(
                    r"\b(?:" + names + r")\b\s*(?:/|,|&|and|or)\s*(?:the\s+)?(?:" + names + r")\b", t)
                or rx.search(r"\b(?:compar\w*|differen\w*|between|side\s+by\s+side)\b.*\b(?:" + names
                             + r")\b\s*(?:,|and|&|or|with|to)\s+(?:the\s+)?(?:" + names + r")\b", t)
                # "brazil and mexico, which one has more", "uk and france side by side"
                or rx.search(r"\b(?:" + names + r")\b\s*(?:,|and|&|or)\s+(?:the\s+)?(?:" + names + r")\b.*\b(?:side\s+by\s+"
                             r"side|which\s+(?:one|ones|of\s+(?:them|the\s+two)|is|has|was|does|did)\b)", t)
                # "whether they're men or women", "the revenue for men, for women and ...": each of them apart
                or rx.search(r"\bwhether\s+(?:they(?:'re|\s+are|re)\s+|it(?:'s|\s+is)\s+|the\s+)?(?:" + names + r")\b\s+or\s+"
                             r"(?:the\s+)?(?:" + names + r")\b", t)
                or rx.search(r"\bfor\s+(?:the\s+)?(?:" + names + r")\b\s*,?\s+(?:and\s+)?for\s+(?:the\s+)?(?:" + names + r")\b", t)
                # "do I lose more on the app or the website", "which is better, web or app?"
                or rx.search(_COMPARATIVE, t) and rx.search(
                    r"\b(?:" + names + r")\b(?:\s+[\w'-]+){0,3}?\s*,?\s+or\s+(?:on\s+|in\s+|via\s+|through\s+)?"
                    r"(?:the\s+|our\s+)?(?:" + names + r")\b", t)):
            out.append(column)
    return out


#: one value set against the rest: "senior citizens vs everyone else", "seniors vs non", "=1 vs 0", "higher
#: for senior citizens than for other customers"
_THE_REST = re.compile(r"\b(?:vs\.?|versus|against|compared\s+(?:to|with)|than)\s+(?:(?:for|among|in|with|from)\s+)?"
                       r"(?:the\s+|all\s+)?(?:everyone|everybody|"
                       r"all|rest|others?|other\s+\w+|non\b|non[- ]?\w+|not|0|no|none|"
                       r"(?:an?\s+)?(?:normal|regular|ordinary|usual|everyday|typical|average)\s+(?:ones?|customers?|people|folks|buyers?|"
                       r"clients?|accounts?|members?))\b|"
                       r"\band\s+(?:everyone|everybody)\s+else\b|\b(?:or|and)\s+the\s+(?:rest|others)\b|"
                       # "businesses as well as ordinary people", "business customers or normal ones", "the businesses or
                       # the ordinary folk": one kind of customer and the everyday kind
                       r"\b(?:or|and|as\s+well\s+as|compared\s+(?:to|with))\s+(?:the\s+|all\s+the\s+)?(?:normal|regular|"
                       r"ordinary|everyday|usual)\s+(?:ones?|customers?|people|folks?|shoppers?|buyers?|clients?|punters)\b")
#: comparatives that set a kind of customer against the rest ("do senior citizens churn more?"); not
#: "most", "best" (a ranking within), "getting worse" (over time), "than" a number or a period
_AGAINST = re.compile(r"(?<!getting )(?<!got )(?<!get )\b(?:more|less|fewer|better|worse|higher|lower)\b(?!\s+than\s+(?:[\d$\u20ac\u00a3]|"
                      r"(?:the\s+)?(?:last|previous|prior|year|month|quarter|week|before|a\s+year|in\s+\d)))")


def against_the_rest(text: str, said_at: list[int]) -> bool:
    """Whether what was said at ``said_at`` in ``text`` is set against the rest ("do senior citizens
    leave more?", "electronic check payers vs everyone else"): not when said as a scope ("in
    Germany", "for b2b", "only app"), which stays a filter whatever the question compares."""
    scoped = any(rx.search(r"\b(?:in|for|from|only|just|within|among|at|of)\s+(?:the\s+|our\s+|my\s+)?$",
                           text[:at].lower()) for at in said_at if at >= 0)
    return bool(said_at) and (bool(_THE_REST.search(text)) or not scoped and bool(_AGAINST.search(text)))


def _holding_column(values: dict[str, dict[str, list[str]]], column: str, named: list[str], text: str) -> str:
    """The column to break down by for ``named`` values of ``column``: the sales' own column when it holds
    them (or the visits' when the question is about visits: "conversion for channels like email and
    social"), else a customers' column named for it that does ("sales from socials, referrals etc": the
    acquisition channel, not the sales channel app/store/web)."""
    said = {str(v).lower() for v in named}
    sales = (values.get("transactions") or {}).get(column)
    if sales is None or said <= {str(v).lower() for v in sales} or rx.search(
            r"\b(?:traffic|visit\w*|sessions?|funnel|conver\w*|clicks?|touch\w*|journey|attribut\w*)\b", text):
        return column
    return next((c for cols in values.values() for c, vs in cols.items()
                 if c.endswith("_" + column) and said <= {str(v).lower() for v in vs}), column)


_FOR_EXAMPLE = re.compile(r"\b(?:like|such\s+as|e\.?g\.?|for\s+example|for\s+instance|say)\s*[:,(]?\s*(?:the\s+)?$", re.I)
_AND_SO_ON = re.compile(r"[\w\s/&'+,-]{0,40}?[,\s]\s*(?:etc\b\.?|and\s+so\s+on\b|and\s+the\s+like\b|or\s+whatever\b|\.\.\.|\u2026)", re.I)


def listed_as_examples(cased: str, said_at: list[int], count: int) -> bool:
    """Whether values said at ``said_at`` are listed as examples of their column's rows: two or more after
    "like"/"such as"/"e.g.", or any followed by "etc"/"and so on"/"..." ("socials, referrals, google ads etc")."""
    said_at = [at for at in said_at if at >= 0]
    if not said_at:
        return False
    return count >= 2 and bool(_FOR_EXAMPLE.search(cased[:min(said_at)])) or bool(_AND_SO_ON.match(cased[max(said_at):]))


def set_against_the_rest(cased: str, filters: dict[str, list[str]], said_at: dict[str, list[int]]) -> list[str]:
    """Columns one of whose values the question sets against the others in so many words ("electronic
    check payers vs everyone else", "email vs the rest"): a breakdown by the column, not a filter on
    the value. A comparative alone keeps the filter ("do electronic check payers churn more?": their
    rate, which the answer sets against the whole)."""
    return [column for column, vs in filters.items()
            if len(vs) == 1 and said_at.get(column) and _THE_REST.search(cased.lower())]


#: the other side of a yes/no column said in one word ("trial vs paid", "members vs regular customers")
_OTHER_SIDE = r"regular|normal|ordinary|standard|non[- ]?\w+"
#: a flag's first word -> the everyday word for its no side ("paid" subscriptions are not trials)
_FLAG_OPPOSITES = {"trial": r"paid|paying", "trials": r"paid|paying", "free": r"paid|paying"}
#: the other side said only when set against the flag ("seniors vs the young"): never a filter alone
_FLAG_OPPOSITES_VS = {"senior": r"young\w*|juniors?"}
#: a flag's first word -> everyday words for its yes side ("older customers" are the senior citizens)
_FLAG_SAID = {"senior": r"older(?=\s+(?:" + r"customers?|clients?|people|folks|members?|users?|subscribers?|ones|"
                        r"buyers?|shoppers?)\b)|elderly|pensioners?|retirees?|oaps?"}
#: people words that may follow a flag's words ("senior clients vs the young")
_FLAG_PEOPLE = r"customers?|clients?|clientes|people|folks|members?|users?|subscribers?|accounts?|ones|buyers?|shoppers?"


def flags_named(text: str, flags: dict[str, str], noes: dict[str, str] | None = None,
                words_said: list[str] | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """Yes/no columns a question names as a kind of customer ("female customers", "senior
    citizens", "customers with paperless billing", "those with a partner"): a filter of each on its
    true value (``flags``: column -> the value that means yes); said with no/without/non ("subs
    with no partner", "non-seniors") on its no value (``noes``: column -> the value that means
    no). Named after "by", "per", "across" or "each", or set against its opposite ("with and
    without dependents", "seniors vs non seniors", "do senior citizens churn more?"), a column is
    a breakdown, not a filter: returned second. The words that named them are added to
    ``words_said`` when given."""
    t = text.lower()
    words_said = [] if words_said is None else words_said
    out: dict[str, list[str]] = {}
    by: list[str] = []
    noes = noes or {}
    for column, true in flags.items():
        m = rx.search(r"(?<![\w-])" + column_pattern(column) + r"\s*(?:==?|:)\s*[\"']?(\w+)", t)
        if m and _THE_REST.search(t[m.end():]):  # "SeniorCitizen=1 vs 0": the column, side by side
            by.append(column)
            words_said.append(m.group(0))
            continue
        if m:  # "SeniorCitizen=1", "partner: no": the column's yes or no value, as written
            said_value = m.group(1)
            if said_value in (str(true).lower(), "yes", "true", "y") or said_value == "1" and true == "1":
                out[column] = [true]
                words_said.append(m.group(0))
                continue
            if column in noes and said_value in (str(noes[column]).lower(), "no", "false", "n", "0"):
                out[column] = [noes[column]]
                words_said.append(m.group(0))
                continue
        # has_cr_card: "credit card"; is_repeated_guest: "repeat guests" (a word in -ed said as its stem too)
        said_word = lambda w: _COLUMN_SHORT.get(w, f"(?:{re.escape(w)}|{re.escape(w[:-2])})" if  # noqa: E731
                                                w.endswith("ed") and len(w) >= 7 else re.escape(w))
        words = r"\s+".join(map(said_word, column.split("_")))
        if glossed := _column_glossed(column.split("_")):  # emprestimo: "with a loan"
            words = f"(?:{words}|{glossed})"
        if rx.match(r"(?:is|has)_\w", column):  # is_active_member: "active members"
            words = r"(?:" + words + r"|" + r"\s+".join(map(said_word, column.split("_")[1:])) + r")"
        if rx.search(r"\w_(?:flag|yn|status|applied|used|given)$", column):  # auto_renew_flag: "auto renew"
            head_words = column.split("_")[:-1]
            words = r"(?:" + words + r"|" + r"\s+".join(map(said_word, head_words)) + r")"
            stem = rx.sub(r"(?:p?tion|sion)$", "", head_words[-1])
            if len(head_words) == 1 and stem != head_words[-1] and len(stem) >= 5:
                # subscription_status: "subscribers", "subscribed" (the noun of a status flag, as people say it)
                words = r"(?:" + words + r"|" + re.escape(stem) + r"(?:bers?|bed|bing|ed|ing|ers?|ors?))"
        gender = _GENDER_FLAGS.get(rx.sub(r"^(?:is|gender|sex)_", "", column))
        if gender:  # a 0/1 column "female": "women" is its yes, "men" its no, "men vs women" both sides
            own = rx.search(r"(?<![\w-])(?:" + gender[0] + r")(?![\w-])", t)
            other = rx.search(r"(?<![\w-])(?:" + gender[1] + r")(?![\w-])", t)
            if own and other:
                by.append(column)
                words_said += [own.group(0), other.group(0)]
                continue
            if other and column in noes:
                out[column] = [noes[column]]
                words_said.append(other.group(0))
                continue
            words = f"(?:{words}|{gender[0]})"
        if everyday := _FLAG_SAID.get(rx.sub(r"^(?:is|has)_", "", column).split("_")[0]):
            words = f"(?:{words}|{everyday})"  # senior_citizen: "older customers", "pensioners"
        if consent := _CONSENT_COLUMN.fullmatch(column):  # email_opt_in: "those who opted in to email", "opted in"
            thing = column_pattern(consent.group("a") or consent.group("b")) if consent.group("a") or consent.group("b") \
                else None
            words = f"(?:{words}|opt(?:s|ed|ing)?[\\s-]?in(?![\\w-])" + (
                f"(?:\\s+(?:to|for|into)\\s+(?:the\\s+|our\\s+)?{thing}s?(?![\\w-]))?|{_CONSENT_SAID}\\s+(?:to|for|into)\\s+"
                f"(?:the\\s+|our\\s+)?{thing}s?|{thing}\\s+(?:opt[\\s-]?ins?|consents?)" if thing else "") + ")"
            out_ = rx.search(r"(?<![\w-])opt(?:s|ed|ing)?[\s-]?out(?![\w-])(?:\s+(?:of|from)\s+(?:the\s+|our\s+)?"
                             + (thing or r"\w+") + r"s?(?![\w-]))?", t)
            if out_ and column in noes:  # "those who opted out (of email)": the flag's no
                out[column] = [noes[column]]
                words_said.append(out_.group(0))
                continue
        head = column.split("_")[0]  # "only seniors": the first word of "senior citizen", as a plural noun
        # "senior customers", "the senior clientes": the first word before a word for people too
        if "_" in column and len(head) >= 5 and not column.endswith("_service"):
            said = (r"(?:(?:" + words + r")s?|" + re.escape(head) + r"s|" + re.escape(head) + r"(?=\s+(?:" + _FLAG_PEOPLE
                    + r")\b))")
        elif "_" in column and len(head) >= 5:  # a service's: "the phone customers" of a phone company are all of them
            said = r"(?:" + words + r")s?"
        else:
            said = r"(?:" + words + r")(?:s|e?d|ing|e?rs?)?"  # complain: "complained", "complainers"
        # "senior vs non senior": the first word alone, when it is set against its own negation
        said_or_head = r"(?:" + said + (r"|" + re.escape(head) if "_" in column and len(head) >= 5 else "") + r")"
        spots = list(rx.finditer(r"(?<![\w-])" + said + r"(?![\w-])", t))
        if spots and all(any(rx.search(r"(?<![\w-])" + column_pattern(o) + r"\s+$", t[:m.start()]) for o in flags
                             if o != column) for m in spots):
            continue  # "a housing loan": the noun of another yes/no column said before it, no kind of its own
        if rx.search(r"\bwith\s+(?:and|or)\s+without\s+(?:an?\s+)?" + said + r"(?![\w-])|"
                     # "churn for customers with dependents vs without", "without a partner vs with one"
                     r"\b(?:with|without)\s+(?:an?\s+)?" + said + r"\s+(?:vs\.?|versus|or|and|compared\s+(?:to|with)|against|"
                     r"than)\s+(?:those\s+|the\s+ones\s+|ones\s+|people\s+|customers\s+)?(?:with|without)\b"
                     # not "without partner and without dependents": two kinds, each a filter
                     r"(?!\s+(?:an?\s+|the\s+)?(?!(?:one|ones|it|them|any|those)\b)[a-z]{3,})|(?<![\w-])" + said_or_head
                     + r"\s+(?:vs\.?|versus|or|and)\s+(?:non[- ]?|not\s+|no\s+)" + said_or_head + r"(?![\w-])|"
                     r"(?<![\w-])" + said + r"\s+(?:vs\.?|versus|compared\s+(?:to|with)|against)\s+(?:the\s+)?(?:others?|rest|"
                     r"everyone\s+else|everybody\s+else|all\s+(?:the\s+)?others|non[- ]?" + re.escape(head) + r"\w*)\b|"
                     r"\bdo(?:es)?\s+(?:the\s+|our\s+)?" + said + r"\s+\w+\s+(?:more|less|faster|slower|longer|"
                     r"earlier|later)\b|"
                     # "does having a partner cut churn?", "does having Partner/Dependents matter": its effect, both sides
                     r"\b(?:does|do|did|would|will)\s+(?:having|being|using)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s*/\s*)*" + said
                     + r"(?![\w-])", t) or against_the_rest(t, [m.start() for m in rx.finditer(
                         r"(?<![\w-])" + said + r"(?![\w-])", t)]):  # "seniors vs non", "senior citizens churn more?"
            by.append(column)
            words_said += [w.group(0) for w in rx.finditer(r"(?<![\w-])" + said + r"(?![\w-])", t)]
            continue
        first = rx.sub(r"^(?:is|has)_|_(?:flag|yn|yes_no)$", "", column).split("_")[0]
        other = _FLAG_OPPOSITES.get(first)
        other_vs = "|".join(o for o in (other, _FLAG_OPPOSITES_VS.get(first)) if o)
        if rx.search(r"(?<![\w-])" + said_or_head + r"(?:\s+(?:" + _FLAG_PEOPLE + r"))?\s+(?:vs\.?|versus|or|compared\s+(?:to|with)|"
                     r"against)\s+(?:the\s+)?(?:" + _OTHER_SIDE + (f"|{other_vs}" if other_vs else "") + r")(?![\w-])", t):
            by.append(column)  # "trial vs paid subscriptions", "members vs regular customers": the column, both sides
            words_said += [w.group(0) for w in rx.finditer(r"(?<![\w-])" + said + r"(?![\w-])", t)]
            continue
        non = rx.search(r"(?<![\w-])non[- ]?" + re.escape(head) + r"s?(?![\w-])", t) \
            if "_" in column and len(head) >= 5 and column in noes else None
        if non:  # "and for non senior?": the first word alone, negated
            out[column] = [noes[column]]
            words_said.append(non.group(0))
            continue
        m = rx.search(r"(?<![\w-])(?:(by|per|across|each|vs\.?|versus)\s+(?:the\s+)?|(no|without|non[- ]?|"
                      r"not(?:\s+(?:counting|including))?|"
                      # "who don't have a partner", "do not subscribe to phone service", "never had a partner"
                      r"(?:do|does|did)(?:\s+not|n't)\s+(?:have|has|got|use|take|want|subscribe\s+to|pay\s+for)|"
                      r"(?:have|has)(?:\s+not|n't)\s+got|never\s+(?:had|have|has|took|used)|"
                      r"exclud(?:e|ing)|except(?:\s+for)?|ignor(?:e|ing)|leav(?:e|ing)\s+out|minus|other\s+than|"
                      r"apart\s+from)\s*(?:the\s+|all\s+|any\s+|an?\s+)?)?" + said + r"(?![\w-])", t)  # "without a partner"
        negated = bool(m and (m.group(2) or not m.group(1) and rx.match(r"\s+(?:excluded|left\s+out|removed)\b",
                                                                          t[m.end():])))  # "trials excluded"
        if m and not m.group(1) and not negated and other and rx.search(r"(?<![\w-])(?:" + other + r")(?![\w-])", t) \
                and column in noes:
            out[column] = [noes[column]]  # "paid subscriptions" beside "trial": the flag's no
            words_said.append(m.group(0))
            continue
        if m is None and other and column in noes:
            o = rx.search(r"(?<![\w-])(?:" + other + r")(?![\w-])", t)
            if o:  # "paid only", "churn of paying accounts": the flag's no value
                out[column] = [noes[column]]
                words_said.append(o.group(0))
                continue
        if m and not m.group(1):
            words_said.append(m.group(0))
            if negated:
                if column in noes:
                    out[column] = [noes[column]]
            else:
                out[column] = [true]
    return out, by


#: who a share or a count is of: "share of customers who ...", "how many of our clients ..."
_WHO = r"(?:(?:of\s+)?(?:the\s+|our\s+|all\s+)?(?:customers?|clients?|people|members?|users?|accounts?|" \
       r"households?|buyers?|shoppers?|subscribers?|respondents?|them|those|orders?|subscriptions?|purchases?|" \
       r"transactions?|deals?|contracts?)\s+)?"
#: "who complained", "that have responded", "with a complaint": what ties the share to the flag
_THAT = r"(?:who|that|which|with|having)\s+(?:(?:have|has|had|did|do|does|ever|an?|the)\s+)*"


#: "subscriptions have auto renew on", "orders used a voucher": a share's object tied without who/that
_HAS = r"(?:have|has|had|are|is|were|was|use|used|got|get|with|on)\s+(?:an?\s+|the\s+|any\s+)?"


#: a yes/no column of consent named by it: email_opt_in, opt_in_sms, marketing_consent, optin ("a" or "b" its object)
_CONSENT_COLUMN = re.compile(r"(?:(?P<a>[a-z]+)_)?(?:opt_?in|opted_in|consent|consented|consents)(?:_(?P<b>[a-z]+))?")

#: verbs of a yes/no column of consent (accepts_email_marketing, agrees_terms, subscribes_newsletter): it is
#: also said as opting in or subscribing to its object, or as its object's opt-in
_CONSENT_VERBS = {"accept", "agree", "opt", "consent", "subscribe"}
_CONSENT_SAID = r"(?:accept\w*|agree\w*|opt(?:s|ed|ing)?[\s-]?in|consent\w*|subscrib\w*|signed[\s-]up)"


def flag_said(column: str) -> str:
    """A regex for a yes/no column said by its name in any spelling, or for a one-word name by its
    verb and noun forms ("complained", "responders"; a noun in -tion/-sion by its verb: "subscribed"
    for subscription, "converted" for conversion)."""
    name = rx.sub(r"^(?:is|has)_|_(?:flag|yn|yes_no|status|applied|used|given)$", "", column)
    said = column_pattern(name) + r"s?"
    parts = name.split("_")
    if len(parts) > 1 and any(p.endswith("ed") and len(p) >= 7 for p in parts):
        # is_repeated_guest: "repeat guests" too (a word in -ed said as its stem)
        stemmed = "_".join(p[:-2] if p.endswith("ed") and len(p) >= 7 else p for p in parts)
        said = f"(?:{said}|{column_pattern(stemmed)}s?)"
    if "_" not in name and len(name) >= 6:  # "complained", "complaints", "responded", "responders"
        verb = rx.sub(r"(?:p?tion|sion)$", "", name)
        stem = verb if len(verb) >= 5 and verb != name else name[:-2]
        said = f"(?:{said}|{re.escape(min(stem, name[:-2], key=len))}\\w*)"
    done = rx.match(r"(.+)_(met|achieved|reached|passed|breached|missed|hit|completed|resolved|renewed)$", name)
    if done:  # response_sla_met: "met the response SLA", "the response SLA was met"
        said = (f"(?:{said}|{done.group(2)}\\s+(?:the\\s+|its\\s+|their\\s+|our\\s+)?{column_pattern(done.group(1))}|"
                f"{column_pattern(done.group(1))}\\s+(?:was|were|is|are|got|being)\\s+{done.group(2)})")
    verb = rx.match(r"([a-z]{3,}?)s_(.+)$", name)
    if verb and not verb.group(1).endswith("s"):  # accepts_email_marketing: "accept email marketing", "accepted ..."
        said = f"(?:{said}|{re.escape(verb.group(1))}(?:s|ed|ing)?[\\s_-]+{column_pattern(verb.group(2))})"
        if verb.group(1) in _CONSENT_VERBS:  # "opted in to email marketing", "email marketing opt-in"
            thing = column_pattern(verb.group(2))
            said = (f"(?:{said}|{_CONSENT_SAID}[\\s_-]+(?:in[\\s_-]+)?(?:to|for|into)?[\\s_-]*{thing}|"
                    f"{thing}[\\s_-]+(?:opt[\\s-]?ins?|consents?|subscriptions?|sign[\\s-]?ups?))")
    return r"(?<![\w-])" + said + r"(?![\w-])"


#: a group set against the others: "who subscribed vs those who didn't", "those who did or did not"
_AGAINST_THE_REST = re.compile(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against|or\s+not|did\s*n[o']?t|have\s*n[o']?t|"
                               r"has\s*n[o']?t|never|non-?)\b", re.I)


def flag_contrasted(text: str, flags) -> str | None:
    """The yes/no column a question sets its yes against its no ("average age of clients who
    subscribed vs those who didn't", "balance of converters compared to the rest"): a breakdown by
    it. None when no flag is said beside such a contrast."""
    t = text.lower()
    if not _AGAINST_THE_REST.search(t):
        return None
    said = [(m.start(), c) for c in flags if (m := rx.search(flag_said(c), t))]
    return min(said)[1] if said else None


def flag_rate_named(text: str, flags) -> tuple[str, str] | None:
    """A yes/no (or 0/1) column of the customers the question asks about as a whole, and how:
    ("response", "rate") for its share of yes, however said ("response rate", "rate of response",
    "share who responded", "% of customers that complained", "average response": the mean of a
    0/1 column is that share), ("complain", "count") for how many have it ("how many customers
    complained"). ``flags`` names the columns (snake_case). A column is said by its name in any
    spelling, or for a one-word name by its verb and noun forms ("complained", "responders":
    its first letters but the last two). None when no flag is asked that way."""
    t = text.lower()
    # the earliest said first: "response rate of customers who complained" is the response rate (of them)
    order = {c: (m.start() if (m := rx.search(r"(?<![\w-])" + column_pattern(rx.sub(r"^(?:is|has)_|_(?:flag|yn|yes_no)$",
                                                                                   "", c)), t)) else len(t), -len(c))
             for c in flags}
    for column in sorted(flags, key=order.get):
        said = flag_said(column)
        rate = (said + r"\s+(?:rate|ratio|share|percentage|percent|%)" +
                r"|\b(?:rate|ratio|share|percentage|proportion|percent|fraction)\s+(?:of\s+)?" + _WHO +
                r"(?:" + _THAT + r")?" + said +
                r"|%\s*" + _WHO + _THAT + said +
                r"|\b(?:share|percentage|proportion|fraction)\s+of\s+(?:the\s+|our\s+)?\w+\s+(?:are|is|were|was)\s+"
                r"(?:(?:in|on)\s+)?(?:an?\s+)?" + said +  # "what share of customers are in default"
                r"|\b(?:rate|share|percentage|proportion|percent|fraction)\s+of\s+" + _WHO + _HAS + said +
                r"|%\s*" + _WHO + _HAS + said +
                r"|\b(?:average|avg|mean)\s+(?:of\s+)?(?:the\s+)?" + said +
                # "do people with a housing loan subscribe less?", "are students more likely to subscribe"
                r"|" + said + r"\s+(?:less|more|most|least)\b(?!\s+than\s+\d)" +
                r"|\b(?:more|less|most|least)\s+(?:likely\s+)?(?:to\s+)?(?:have\s+)?" + said)
        # "what share of tickets met the response SLA": the rows named, then the flag said
        rate += (r"|\b(?:share|percentage|proportion|fraction|percent)\s+of\s+(?:the\s+|our\s+|all\s+)?[a-z]+\s+"
                 r"(?:that\s+|which\s+|who\s+)?" + said)
        # "what fraction of unemployed customers responded": a kind of customer between the share and the verb
        rate += (r"|\b(?:share|percentage|proportion|fraction|percent)\s+of\s+(?:the\s+|our\s+|all\s+)?"
                 r"(?:[a-z][\w'-]*\s+){0,3}?(?:customers?|clients?|people|members?|users?|buyers?|shoppers?|"
                 r"subscribers?|respondents?|accounts?)\s+(?:(?:[a-z][\w'-]*\s+){1,3}?" + _THAT + r"|(?:" + _THAT +
                 r")?)(?:(?:have|has|had|did|ever)\s+)*" + said)
        if rx.search(rate, t):
            return column, "rate"
        if rx.search(r"\bhow\s+many\s+" + _WHO + r"(?:" + _THAT + r")?(?:(?:have|has|had|did|ever|are|is|were|was)\s+)*"
                     + said, t):  # "how many customers complained", "how many customers are tax exempt"
            return column, "count"
        # "how many students subscribed", "how many retired clients converted": a kind of customer, then the verb
        if rx.search(r"\bhow\s+many\s+(?:[a-z][\w.'-]*\s+){1,3}?(?:(?:have|has|had|did|ever)\s+)*" + said
                     + r"(?!\s+(?:rate|ratio|share|percentage|percent|%))", t):
            return column, "count"
    return None


#: a share asked: "what share of", "percentage of", "how many % of", "what fraction", "proportion of"
_SHARE_ASKED = re.compile(r"\b(?:what|which)\s+(?:share|percentage|proportion|fraction|percent|portion|part)\b|"
                    r"\b(?:share|percentage|proportion|fraction|portion)\s+of\b|\bhow\s+many\s+(?:%|percent|per\s*cent)|"
                    r"(?:%|\bpercent)\s+of\b", re.I)
#: what a share is of, by the noun said after it: the customers (their table), the orders (sales
#: lines: subscriptions, purchases), or the money (revenue, ARR, MRR, sales)
_SHARE_OF = (("customers", r"customers?|clients?|accounts?|users?|members?|people|buyers?|shoppers?|subscribers?|"
                           r"households?|respondents?"),
             ("orders", r"orders?|subscriptions?|purchases?|transactions?|deals?|contracts?|baskets?|invoices?"),
             ("revenue", r"revenue|sales|arr|mrr|turnover|spend(?:ing)?|money|income|bookings?"))
#: the words of the whole a share is of, after the share word: "of (the) total", "of all our"
_OF_WHOLE = r"\s*(?:of\s+)?(?:the\s+|our\s+|all\s+|total\s+|my\s+|overall\s+|recurring\s+|annual\s+)*"


def share_asked(text: str) -> tuple[str, int] | None:
    """A share of a value, a flag or a filled column asked ("what share of customers have a PhD",
    "% of subscriptions with auto renew on", "how many percent of orders used a discount code",
    "what fraction of ARR comes from Enterprise"): (what it is a share of, where in ``text`` the
    thing counted starts). What it is of is "customers", "orders" or "revenue" by the noun said
    after the share word, "" without one; the thing counted is said after that noun. None when no
    share is asked, or a share of the top customers is (overview's concentration: "share of
    revenue from the top 10% of customers")."""
    m = _SHARE_ASKED.search(text)
    if not m or rx.search(r"\btop\s+\d+(?:\.\d+)?\s*(?:%|percent)", text, re.I):
        return None
    after = text[m.end():]
    for unit, nouns in _SHARE_OF:
        noun = rx.match(_OF_WHOLE + r"(?:\w+\s+){0,2}?(?:" + nouns + r")(?![\w-])", after, re.I)
        if noun:
            return unit, m.end() + noun.end()
    return "", m.end()


def column_said_as_had(text: str, columns, at: int = 0) -> str | None:
    """A column said after ``at`` as a thing had or used ("used a discount code", "with any note",
    "have a coupon code"): its share is of those with a value in it. None when none is."""
    for start, end, column in column_mentions(text[at:], columns):
        if rx.search(r"\b(?:an?|any|some)\s+$", text[at:][:start].lower()) and \
                share_object(text, at, at + start, at + end):
            return column
    return None


#: what ties a share's whole to what it counts: "customers ARE Gold", "orders HAVE a coupon", "ARR
#: COMES FROM Enterprise"; "customers in Canada" or "from the US" alone qualify the whole instead
_TIE = re.compile(r"\b(?:are|is|were|was|have|has|had|use|used|with|on|pay|paid|comes?\s+from|came\s+from|"
                  r"goes?\s+to|went\s+to|belongs?\s+to|get|gets|got|hold|holds|own|owns)\b", re.I)


def share_object(text: str, at: int, start: int, end: int, unit: str = "") -> bool:
    """Whether what is said at ``start``-``end`` is what a share asked at ``at`` counts (``share_asked``):
    tied to the whole ("customers have a PhD", "revenue from Canada") and ending the clause (at
    most three words after it: "the Enterprise tier?"), not a qualifier of the whole followed by
    what is counted ("customers from the US bought more than once", "customers in Canada churned")."""
    between = text[at:start]
    if not (_TIE.search(between) or unit == "revenue" and rx.search(r"\bfrom\b", between, re.I)):
        return False
    tail = rx.split(r"[?.;,!]|\s+(?:and|but|or)\s+", text[end:], maxsplit=1)[0]
    return len(rx.findall(r"[\w'-]+", tail)) <= 3


#: words that leave out what follows: "excluding Enterprise", "except the US", "other than web"
_LEAVE_OUT = re.compile(r"(?:^\W*(?:(?:and|but|so|ok|now)\W+)?not|\b(?:every(?:thing|one|body)|any(?:thing|one)|all)\s+"
                        r"(?:but|except)|\b(?:exclud(?:e|ing)|except(?:\s+for)?|other\s+than|apart\s+from|but\s+not(?:\s+(?:in|from|for|on|via|through))?|not\s+(?:in|from|for|on|via|through)|"
                        r"outside(?:\s+of)?|minus|leav(?:e|ing)\s+out|ignor(?:e|ing)|without|not\s+(?:counting|including)|"
                        r"discounting|barring|(?:leaving|setting)\s+aside|aside\s+from|save\s+for))\s+(?:the\s+|our\s+|any\s+)?"
                        r"(?:[\w&.'-]+(?:\s*,\s*|\s+(?:and|or)\s+)(?:the\s+)?)*$", re.I)


def values_excluded(text: str, found: dict[str, list[str]], said_at: dict[str, list[int]]) -> dict[str, list[str]]:
    """The values of ``found`` (as ``read_values`` gives them, with where each was said) that the
    question leaves out rather than keeps: said after excluding, except, other than, without...
    ("churn by plan tier excluding Enterprise", "revenue except the US and Canada"), or before
    excluded ("Enterprise excluded")."""
    out: dict[str, list[str]] = {}
    for column, values in found.items():
        spots = [at for at in said_at.get(column) or [] if at >= 0]
        if not spots or len(spots) != len(values):
            continue
        for value, at in zip(values, spots):
            after = text[at + len(str(value)):]
            if _LEAVE_OUT.search(text[:at]) or rx.match(r"[\w-]*\s+(?:excluded|left\s+out|removed)\b", after, re.I):
                out.setdefault(column, []).append(value)
    return out


def values_corrected(text: str, found: dict[str, list[str]], said_at: dict[str, list[int]]) -> dict[str, list[str]]:
    """The values of ``found`` said right after "not" that follows another value of the same column: the
    one meant, then the one not meant ("sorry, meant social not paid search", "Spain, not Portugal"):
    the second is no filter (nor a value left out of the first)."""
    out: dict[str, list[str]] = {}
    for column, values in found.items():
        spots = [at for at in said_at.get(column) or [] if at >= 0]
        if len(values) < 2 or len(spots) != len(values):
            continue
        first = min(spots)
        for value, at in zip(values, spots):
            if at > first and rx.search(r"(?:^|[\s,;])not\s+(?:just\s+|only\s+|the\s+)?$", text[max(first, at - 20):at], re.I):
                out.setdefault(column, []).append(value)
    return out


#: words that are values of a marketing channel or a category, said in their everyday sense: an e-mail
#: written or sent ("a cross-sell email", "the next email", "send them an email", "grumpy emails",
#: "email them"), a referral scheme, "on the books" (the ledger): never a filter
EVERYDAY_USE = re.compile(
    # "here at home", "the ones who miss home", "back home": where people live, not a Home category
    r"\b(?:(?:at|miss(?:es|ed|ing)?|back|from|for)\s+home|home\s+(?:country|town|countries|market))\b|"
    r"\b(?:an?|next|this|that|my|our|the\s+next|the\s+post[- ]purchase|post[- ]purchase|follow[- ]?up|welcome|"
    r"cross[- ]?sell|up[- ]?sell|reminder|win[- ]?back|grumpy|angry|nice|thank[- ]you|recap|summary|newsletter|promo|"
    r"campaign)\s+(?:[\w-]+\s+)?e-?mail\b(?!\s+"
    r"(?:channel|customers?|clients?|buyers?|signups?|sign-ups|acquired|acquisition|traffic|visitors?|sessions?|leads?)\b)|"
    r"\b(?:send|sending|sent|write|writing|wrote|draft|drafting)\s+(?:\w+\s+){0,2}?(?:an?\s+)?e-?mails?\b|"
    # "which ones to email first", "a 'you might also love' email": an e-mail to write, no channel
    r"\be-?mail\s+(?:them|him|her|me|us|it|out)\b|\b(?:ones|who|whom|which|what)\s+to\s+e-?mail\b|['\u2019\"]\s*e-?mail\b|"
    r"\b(?:grumpy|angry|nice|few|couple\s+of)\s+(?:[\w-]+\s+)?e-?mails\b|"
    r"\breferral\s+(?:program(?:me)?|scheme|bonus|codes?|links?|rewards?|fees?)\b|\b(?:on|off)\s+(?:the|our|my)\s+books\b|"
    # "which products are bought together": a basket's word, not the marital status Together
    r"\b(?:bought|buy|buys|buying|purchased|ordered|sold|sell|go|goes|going|went|paired|bundled|used)\s+(?:\w+\s+)?"
    r"together\b",
    re.I)


#: a shop of a kind said with the kind's word: "the web store", "our online shop", "the app store" (group 1
#: is the shop, no channel of its own then)
_KIND_OF_SHOP = re.compile(r"\b(?:web|online|internet|e-?commerce|app|mobile)[\s-]+((?:store|shop)s?)\b", re.I)


#: the short names of world regions people use, read as the region the data writes out ("esp latam":
#: Latin America), only where the data holds one of them
REGION_NICKNAMES = {"latam": ["Latin America", "South America"], "apac": ["Asia Pacific", "Asia-Pacific", "APAC"],
                    "emea": ["Europe, Middle East and Africa", "EMEA"], "nam": ["North America"],
                    "anz": ["Australia and New Zealand", "Oceania"],
                    # the regions in the languages of the questions ("ventas en Europa", "di Eropa", "latinoamérica")
                    "europa|eropa|europ[ae]": ["Europe"], "latinoam[eé]rica|am[eé]rica\\s+latina|amerika\\s+latin": ["Latin America"],
                    "norteam[eé]rica|am[eé]rica\\s+del\\s+norte": ["North America"], "asia[- ]pac[ií]fico": ["Asia Pacific"]}


def match_values(text: str, values: dict[str, dict[str, list[str]]],
                 nicknames: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Filters: data values named in the question (``read_values`` without the words and misses).
    ``values`` is {role: {column: [values]}} as Dataset.values() returns it."""
    return read_values(text, values, nicknames)[0]


def read_values(text: str, values: dict[str, dict[str, list[str]]],
                nicknames: dict[str, list[str]] | None = None, positions: dict[str, list[int]] | None = None
                ) -> tuple[dict[str, list[str]], list[str], list[tuple[str, str | None]]]:
    """The data values a question names, however it says them, as filters; the words they came
    from; and the values it named that the data does not have (misses).

    In this order, each consuming its words:
    1. a company's nicknames (custlens.toml ``[vocabulary]``: "DACH" = ["Germany", "Austria",
       "Switzerland"]): a filter of each of its values the data has;
    2. a column and a value said together, "country = Narnia", "segment: Enterprise" (a value the
       column does not have is a miss, in that column);
    3. values as written in the data, as whole words, longest first ("United Kingdom" before
       "United"); a value that is also an everyday function word ("us", "it", "no", "yes") only
       as in 2;
    4. countries, in any of the major languages or as ISO codes (``countries.mentions``): "only
       Germany" finds "Deutschland", "Österreich" finds "Austria", "USA" finds "United States",
       codes only when written as codes; a country the data does not have is a miss, in the
       data's column of countries (None when it has none), when it was named deliberately
       (capitalised, or after in/for/from/only). Without ``values`` (no data) nothing is read.
    ``positions``, when given, is filled with {column: [where in ``text`` each value was said]}."""
    from . import countries

    index = _value_index(values)
    found: dict[str, list[str]] = {}
    words: list[str] = []
    misses: list[tuple[str, str | None]] = []
    where = positions if positions is not None else {}

    def add(col: str, value: str, at: int = -1) -> None:
        if value not in found.get(col, []):
            found.setdefault(col, []).append(value)
        where.setdefault(col, []).append(at)

    for nickname, targets in _nickname_targets(index, nicknames or {}):
        m = rx.search(r"(?<![\w-])" + re.escape(nickname.lower()) + r"(?![\w-])", text.lower())
        if m:
            for col, value in targets:
                add(col, value, m.start())
            if not targets:
                misses.append((text[m.start():m.end()], None))
            words.append(text[m.start():m.end()])
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    for nickname, names in REGION_NICKNAMES.items():  # "esp latam": Latin America, when held
        m = rx.search(r"(?<![\w-])" + nickname + r"(?![\w-])", text.lower())
        targets = resolve_nickname(index, names) if m else []  # resolved only when said: it reads every value
        if m and targets and not any(v.lower() == nickname for _, v in targets):  # "LATAM" held as is: read as written
            for col, value in targets:
                add(col, value, m.start())
            words.append(text[m.start():m.end()])
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    for col, value, said, span in _column_values(text, index):
        if value is None:
            misses.append((said, col))
        else:
            add(col, value, span[0])
        words.append(said)
        text = text[:span[0]] + " " * (span[1] - span[0]) + text[span[1]:]
    for col, value, span in _none_of_column(text, index):  # "folks with no internet": InternetService "No"
        add(col, value, span[0])
        words.append(text[span[0]:span[1]])
        text = text[:span[0]] + " " * (span[1] - span[0]) + text[span[1]:]
    for m in EVERYDAY_USE.finditer(text):  # "send them an email", "the referral program": no value meant
        text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    for m in _KIND_OF_SHOP.finditer(text):  # "the web store" is the web channel, not the store beside it
        if not any(m.group(0).lower() == str(v).lower() for cols in values.values() for vs in cols.values() for v in vs):
            text = text[:m.start(1)] + " " * (m.end(1) - m.start(1)) + text[m.end(1):]
    if index.literal_re is not None:  # "month to month" is "Month-to-month", "prices" is "price"
        for m in list(index.literal_re.finditer(text)):
            value, col, _ = index.literal[int(m.lastgroup[1:])]
            col, value, said = _value_of_column_named(text, m, col, value, index)
            add(col, value, m.start())
            words.append(said)
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    for mention in countries.mentions(text) if values else ():  # no data (the router's examples): no countries
        hits = [(col, by_code[mention.code]) for col, by_code in index.countries.items() if mention.code in by_code]
        if hits:
            add(*hits[0], mention.start)
            words.append(mention.words)
        elif mention.deliberate and (index.countries or not _bare_code(mention.words)):
            # on data without countries a bare code is a word ("the CD data"), a name is a miss
            misses.append((mention.words, next(iter(index.countries), None)))
            words.append(mention.words)
    for col, pattern, names in index.subdivisions:  # "only customers in California": the data's CA
        for m in pattern.finditer(text):
            add(col, names[countries.plain(m.group(0))], m.start())
            words.append(m.group(0))
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    for col, value, said in gender_values(text, index.columns):
        add(col, value, text.find(said))
        words.append(said)
    _with_its_kin(found, where, index)
    _with_its_other_cases(found, where, index)
    return found, words, misses


def _with_its_other_cases(found: dict[str, list[str]], where: dict[str, list[int]], index: "_Index") -> None:
    """A value read is every spelling of its letters the column holds: "only Baldwin Bikes" where some
    lines say "BALDWIN BIKES" filters on both (it filtered on the one read first, 140 lines of 2,000)."""
    for col, vals in found.items():
        said = {str(v).lower() for v in vals}
        more = [v for v in index.columns.get(col, []) if str(v).lower() in said and v not in vals]
        for v in more:
            vals.append(v)
            at = where.get(col) or [-1]
            where.setdefault(col, []).append(at[0])


def _value_of_column_named(text: str, m: re.Match, col: str, value: str, index: "_Index") -> tuple[str, str, str]:
    """(column, value, words) of a value read as written that several columns hold ("unknown" of job,
    education and contact): the column whose name is said next to it ("unknown education",
    "education unknown", "education is unknown"), with that name among the words; else as read."""
    low = str(value).lower()
    holders = {c: v for c, vs in index.columns.items() for v in vs if str(v).lower() == low}
    if len(holders) < 2:
        return col, value, m.group(0)
    named = []
    for c in holders:
        name = column_pattern(c)
        after = rx.match(r"\s+(?:" + name + r")s?(?![\w-])", text[m.end():], re.I)
        before = rx.search(r"(?<![\w-])(?:" + name + r")\s*(?:(?:is|was|=|:|of)\s*)?$", text[:m.start()], re.I)
        if after or before:
            named.append((c, text[before.start():m.end()] if before else text[m.start():m.end() + after.end()]))
    if len(named) != 1:
        return col, value, m.group(0)
    return named[0][0], holders[named[0][0]], named[0][1]


def _with_its_kin(found: dict[str, list[str]], where: dict[str, list[int]], index: "_Index") -> None:
    """A value read as written in one column that is the everyday name (``VALUE_NAMES``) of a value of
    another column the question also names is that column's: "the app or the website" is two
    channels (app, web), not a channel and the feedback topic "website"."""
    for col in list(found):
        for value in list(found.get(col, [])):
            kin = [(other, held) for other in found if other != col for held in index.columns.get(other, [])
                   if str(value).lower() in VALUE_NAMES.get(str(held).lower(), ())]
            if len(kin) != 1:
                continue
            other, held = kin[0]
            at = where.get(col, [-1])[found[col].index(value)] if len(where.get(col, [])) == len(found[col]) else -1
            found[col].remove(value)
            if not found[col]:
                del found[col]
                where.pop(col, None)
            if held not in found[other]:
                found[other].append(held)
                where.setdefault(other, []).append(at)


#: everyday words for the values of a gender column, by the values data use for them
def _not_staff(word: str) -> str:
    """"girls" as a gender only where it is not "the girls", "my girls" (often the staff: "the girls keep asking
    what to push"), or when a word for customers or "who" follows ("the girls who shop here")."""
    return (r"(?<!the )(?<!my )(?<!our )(?<!his )(?<!her )" + word + r"|" + word +
            r"(?=\s+(?:who|that|buying|shopping|customers?|clients?|buyers?|shoppers?)\b)")


_GENDER_WORDS = {r"women|woman|females?|ladies|lady|" + _not_staff("girls"): ("f", "female", "w", "woman", "women",
                                                                                   # a salutation column's (Anrede)
                                                                                   "frau", "mrs", "ms", "mrs.", "ms.",
                                                                                   "mme", "madame", "sra", "señora"),
                 r"men|man|males?|gentlemen|blokes?|fellas|chaps|" + _not_staff("boys") +
                 # "guys" set against girls or women is the men ("do guys or girls spend more")
                 r"|guys(?=\s+(?:or|and|vs\.?|versus)\s+(?:the\s+)?(?:girls|gals|women|ladies)\b)|(?<=girls or )guys|"
                 r"(?<=girls and )guys|(?<=women or )guys|(?<=ladies or )guys": ("m", "male", "man", "men",
                                                                                           "herr", "mr", "mr.", "monsieur",
                                                                                           "sr", "señor")}  # not "guys": people, colloquially


def gender_values(text: str, columns: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(column, value, words) for "only women", "n men?" on a column named gender or sex whose
    values say it their way ("F"/"M", "Female"/"Male")."""
    out = []
    for col, vs in columns.items():
        if not rx.fullmatch(r"(?:\w+_)?(?:gender|sex)", col):
            continue
        for words, spellings in _GENDER_WORDS.items():
            m = rx.search(r"(?<![\w-])(?:" + words + r")(?![\w-])", text, re.I)
            value = next((v for v in vs if v.lower() in spellings), None)
            if m and value is not None:
                out.append((col, value, m.group(0)))
    return out


#: short ways of writing a word of a value: "2 yr contract" is "Two year"
_SHORT = {"year": r"years?|yrs?", "month": r"months?|mos?|mths?", "years": r"years?|yrs?", "months": r"months?|mos?|mths?"}


#: where the case of a value's name changes inside a word ("GTXPro": GTX Pro, "MacBook": Mac Book)
_CASE_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")


_TOGETHER, _APART = r"(?:[^\w&+.]|_)*", r"(?:[^\w&+.]|_)+"


def spoken_tokens(value: str) -> tuple[list[str], list[str]]:
    """(words, separators between them) of a value as people say it, lower case: its words, and
    those of a word whose case changes inside it ("GTXPro": gtx, pro; "iPhone": i, phone), which may
    be said apart or together; words the data writes apart may run together when all have two letters
    or more and five in all ("MG Advanced" said "mgadvanced"), else they keep a separator."""
    words = [w for w in rx.findall(r"(?:[^\W_]|[&+.])+", str(value).strip())]
    tokens: list[str] = []
    seps: list[str] = []
    letters = "".join(words)
    loose = len(letters) >= 5 and all(len(w) >= 2 for w in words)
    for i, word in enumerate(words):
        pieces = [p.lower() for p in _CASE_BREAK.sub(" ", word).split()]
        if i:
            seps.append(_TOGETHER if loose else _APART)
        seps += [_TOGETHER] * (len(pieces) - 1)
        tokens += pieces
    return tokens, seps


def _joined(tokens: list[str], seps: list[str], said=re.escape) -> str:
    return "".join((seps[i - 1] if i else "") + said(t) for i, t in enumerate(tokens))


@functools.lru_cache(maxsize=65536)
def spelt(value: str) -> str:
    """A pattern for a value of the data as people write it, its letters compared and not its spacing
    (``spoken_tokens``): "GTXPro" is "gtx pro" too, "MG Advanced" "mgadvanced" and "mg-advanced". For
    lower-cased text."""
    tokens, seps = spoken_tokens(value)
    return _joined(tokens, seps) if tokens else re.escape(str(value).lower())


def _token_said(token: str) -> str:
    """A pattern for one word of a value as people write it: a number as a word or in digits
    ("Two year" said "2 year"), a unit in short ("2 yr")."""
    number = _NUM_WORDS.get(token)
    if number is not None and number <= 12:
        return f"(?:{token}|{number})"
    if token.isdecimal() and int(token) <= 12:
        word = next((w for w, n in _NUM_WORDS.items() if n == int(token)), None)
        return f"(?:{token}|{word})" if word else token
    return f"(?:{_SHORT[token]})" if token in _SHORT else re.escape(token)


#: nouns of what a table's rows are, after which a grain word that is a column's value is that value
#: ("annual subscriptions" on a billing_frequency column of monthly/annual), never a grain
VALUE_NOUNS = (r"subscriptions?", r"subscribers?", r"plans?", r"contracts?", r"accounts?", r"customers?", r"members?",
               r"ones", r"clients?",  # "compare with the annual ones" on a membership plan of Monthly/Annual
               r"orders?(?!\s+(?:by|per|each|over|trend))")  # "subscriptions" is read "orders" on subscriptions


def _none_of_column(text: str, index: "_Index") -> list[tuple[str, str, tuple[int, int]]]:
    """(column, its value "No" or "None", where) for a column said after "no" or "without" ("customers
    with no internet", "without internet service") whose values are kinds of it and "No" for none
    (Telco's InternetService: DSL, Fiber optic, No); a yes/no column is a flag, read elsewhere."""
    out = []
    for col, vs in index.columns.items():
        none = next((v for v in vs if str(v).lower() in ("no", "none")), None)
        if none is None or len(vs) < 3:
            continue
        first = rx.split(r"[\s_-]+|(?<=[a-z])(?=[A-Z])", col)[0].lower()
        words = column_pattern(col) + (f"|{re.escape(first)}" if len(first) >= 5 else "")
        m = rx.search(r"\b(?:no|without(?:\s+any)?|not\s+on\s+any|(?:don'?t|do\s+not|doesn'?t)\s+have(?:\s+any)?)\s+"
                      r"(?:the\s+)?(?:" + words + r")\b(?:\s+(?:at\s+all|service))?", text, re.I)
        if m:
            out.append((col, none, (m.start(), m.end())))
    return out


class _Index:
    """What ``read_values`` matches against, made once per set of value lists. The columns and
    their words are made at once; the countries and the patterns of the values (one large
    pattern: a tenth of a second or more to compile) when first read, so ``value_words`` costs
    neither."""

    def __init__(self, values: dict[str, dict[str, list[str]]]):
        self.values = values
        #: {column: [values]}, for "column = value"
        self.columns: dict[str, list[str]] = {}
        for cols in values.values():
            for col, vs in cols.items():
                self.columns.setdefault(col, []).extend(v for v in vs if v not in self.columns.get(col, []))
        #: every word of the values, lower case: words a spelling correction must leave alone
        self.words = frozenset(w for vs in self.columns.values() for v in vs for w in rx.findall(r"[a-z]+", str(v).lower()))

    @functools.cached_property
    def countries(self) -> dict[str, dict[str, str]]:
        """{column: {alpha-2: the data's value}} of the columns that hold countries."""
        from . import countries

        out: dict[str, dict[str, str]] = {}
        states = {col for col, _, _ in self.subdivisions}  # US states as codes: AL is Alabama, not Albania
        for cols in self.values.values():
            for col, vs in cols.items():
                named = rx.search(r"(?:^|_)(?:countr\w*|land|pays|pais|nation\w*|ctry)(?:_|$)", col) is not None
                if col in states and not named:
                    continue
                codes = {v: countries.country_of(v, allow_codes=named or v.isupper()) for v in vs}
                known = {v: c for v, c in codes.items() if c}
                if known and (named or len(known) >= 2 and 2 * len(known) >= len(vs)):
                    out.setdefault(col, {})
                    for v, c in known.items():
                        out[col].setdefault(c, v)
        return out

    @functools.cached_property
    def subdivisions(self) -> list[tuple[str, re.Pattern, dict[str, str]]]:
        """(column, pattern of the names, {name: the data's value}) of the columns that hold the codes of one
        country's states or provinces (``countries.subdivision_names``: "California" is the data's CA)."""
        from . import countries

        out = []
        for cols in self.values.values():
            for col, vs in cols.items():
                names = countries.subdivision_names(vs, 2 if col == "region" else 5)
                if names:
                    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(r"\s+".join(map(re.escape, n.split()))
                                                                       for n in sorted(names, key=len, reverse=True))
                                         + r")(?![\w-])", re.I)
                    out.append((col, pattern, names))
        return out

    def _distinct_parts(self, taken: set[str]) -> list[tuple[str, str, str]]:
        """(value, column, pattern) of the part of each value that tells it from the others of its column,
        where every value of the column shares the rest: a chain's locations "Larkspur Bakehouse - Riverside",
        "... - Elm St" are said "Riverside", "Elm St" (it was "I found no 'Riverside'"). Only a part of two
        letters or more, no number, said by no other value and no value of another column as a whole."""
        whole = {str(v).lower() for vs in self.columns.values() for v in vs} | taken
        out = []
        for col, vs in self.columns.items():
            spoken = {v: spoken_tokens(v) for v in vs if isinstance(v, str)}
            if len(spoken) < 2 or any(not tokens for tokens, _ in spoken.values()):
                continue
            shared = set.intersection(*(set(tokens) for tokens, _ in spoken.values()))
            if not shared:
                continue
            parts: dict[str, tuple[str, str]] = {}
            for v, (tokens, seps) in spoken.items():
                keep = [i for i, t in enumerate(tokens) if t not in shared]
                if not keep or keep != list(range(keep[0], keep[-1] + 1)):
                    continue  # nothing of its own, or its own words apart
                part = tokens[keep[0]:keep[-1] + 1]
                said = " ".join(part)
                if len(said) < 2 or any(t.isdecimal() for t in part) or said in FUNCTION_WORDS or said in whole:
                    continue
                parts[said] = (v, "" if said in parts else r"(?<![\w-])" + _joined(part, seps[keep[0]:keep[-1]],
                                                                                   _token_said) + _VALUE_END)
            out += [(v, col, pattern) for v, pattern in parts.values() if pattern]
        return out

    @functools.cached_property
    def literal(self) -> list[tuple[str, str, str]]:
        """(value, column, pattern) of the values matched as written (any separator between their
        words, a plural s), longest first, then the everyday names of ``VALUE_NAMES``."""
        values = self.values
        country_values = {(col, v) for col, by_code in self.countries.items() for v in by_code.values()}
        out = []
        # a country's name in another column ("Singapore" the city) is read as the country
        country_names = {v.lower() for _, v in country_values}
        for value, col in sorted(((v, col) for cols in values.values() for col, vs in cols.items() for v in vs),
                                 key=lambda x: -len(x[0])):
            v = value.lower().strip()
            names = [part for part in col.lower().split("_") if len(part) >= 4]
            if rx.fullmatch(DIMENSIONS["period"], v) and names and len(self.columns[col]) >= 2:
                # "annual billing", "monthly plan", "monthly vs annual billing": a value that is a grain word,
                # said with its column's name (after it, or after the other value it is set against)
                # or with the rows' own noun: "annual subscriptions", "monthly plans", "annual accounts"
                name = r"(?:" + "|".join([*map(re.escape, names), *VALUE_NOUNS]) + r")\b"
                others = "|".join(re.escape(o.lower()) for o in self.columns[col] if o.lower() != v)
                out.append((value, col, r"(?<![\w-])" + re.escape(v) + r"(?=\s+" + name + r"|\s+(?:vs\.?|versus|or|and|"
                            r"against)\s+(?:" + others + r")\s+" + name + r")"))
                continue
            if v in _EVERYONE_NOUNS and names:
                # a CRM's Lifecycle Stage "Customer": "won revenue by customer country" says no stage; "customer
                # stage", "customers in the lifecycle stage" do
                name = r"(?:" + "|".join(map(re.escape, names)) + r")\b"
                out.append((value, col, r"(?<![\w-])" + re.escape(v) + r"s?(?=\s+(?:(?:in|at)\s+(?:the\s+)?)?" + name + r")"))
                continue
            if len(v) < 2 or v.isdecimal() or rx.fullmatch(DIMENSIONS["period"] + "|" + METRICS["orders"], v) or \
                    (col, value) in country_values or v in FUNCTION_WORDS or \
                    v in country_names and (col, value) not in country_values or len(self.columns[col]) < 2:
                continue  # a column of one value restricts nothing ("Closed Won" when only won deals are loaded)
            # "credit_card" is said "credit card" too; "GTXPro" "GTX Pro" (the words of a name run together
            # split where its case changes), and "MG Advanced" "MGAdvanced": compared by its letters only
            tokens, seps = spoken_tokens(value)
            if tokens and all(t.isdecimal() for t in tokens):
                # "10%", "$50", "3.5": a number said with its own signs, never a bare number ("top 10 products"
                # is no filter on a discount of 10%)
                out.append((value, col, r"(?<![\w-])" + re.escape(v).replace("%", r"\s?%") + r"(?![\w%.,-]?\d)"))
                continue
            if tokens:
                last = tokens[-1]
                ending = r"(?:s|es)?" if last.isalpha() and len(last) >= 3 else ""
                if not ending and last.isalpha() and rx.fullmatch(r"[A-Za-z]{3,}", value.strip()):
                    ending = r"s?"  # "among PhDs": one word whose case splits it into short parts (PhD, ProMax)
                if last.isalpha() and len(last) >= 4 and last[-1] == "y" and last[-2] not in "aeiou":
                    tokens[-1], ending = last[:-1], r"(?:y|ies)"  # "deliveries being late": the topic delivery
                elif last.isalpha() and len(last) >= 4 and last[-1] in "ae":  # "european customers": Europe
                    ending = r"(?:s|es|" + ("n|an" if last[-1] == "a" else "an|n") + r"(?=\s+" + _PEOPLE_OR_MARKETS + r"\b))?"
                    if last[-1] == "e":
                        tokens[-1] = last[:-1]
                        ending = r"(?:e|es|ean(?=\s+" + _PEOPLE_OR_MARKETS + r"\b))"
                # "delivery-topic comments", "app-only customers": the value, then a compound's tail
                # "in 2 years", "next two years": a period, not the value "Two year"
                period = r"(?<!\bin )(?<!\bnext )(?<!\blast )(?<!\bpast )(?<!\bwithin )(?<!\bover )" \
                    if tokens[0] in _NUM_WORDS or tokens[0].isdecimal() else ""
                # "carrying the whole store": all of the business, not the store channel (a name the data
                # writes with a capital is that value: "the whole Europe region")
                whole = r"(?<!\bwhole )(?<!\bentire )" if value == value.lower() else ""
                if v in _PEOPLE_ADJECTIVES:  # a size "Regular": "my regulars", "regular customers" are people, not it
                    ending = r"(?!s\b)(?!\s+" + _PEOPLE + r"\b)(?!\s+(?:ones|guests?|visitors?|folks|members?)\b)"
                out.append((value, col, r"(?<![\w-])" + whole + period + _joined(tokens, seps, _token_said)
                            + ending + _VALUE_END))
        out += self._distinct_parts(country_names)
        # the everyday names of common values ("website" for web, "fibre" for Fiber optic), when the
        # data has the value and no value of its own spelt like the name. A name longer than its value is
        # tried before the values, so the longer words win where both start ("the web shop customers" is
        # web, not web and then "shop customers"); a shorter one after them ("fiber" after "Fiber optic")
        written = {v.lower() for vs in self.columns.values() for v in vs}
        before, after = [], []
        for value, col in [(v, col) for col, vs in self.columns.items() for v in vs]:
            names = sorted((n for n in VALUE_NAMES.get(value.lower(), ()) if n not in written), key=len, reverse=True)
            if not names or len(self.columns[col]) < 2:
                continue
            for side, kept in ((before, [n for n in names if len(n) > len(value)]),
                               (after, [n for n in names if len(n) <= len(value)])):
                if kept:
                    side.append((value, col, r"(?<![\w-])(?:" + "|".join(r"\s+".join(map(re.escape, n.split()))
                                                                        for n in kept) + r")(?![\w-])"))
        return before + out + after

    @functools.cached_property
    def literal_re(self) -> re.Pattern | None:
        """All of ``literal`` in one pattern (one compile, one scan; the longest value wins where
        several start), group ``v<i>`` for ``literal[i]``. The ending most of them share
        (``_VALUE_END``) is written once after each run of them, ``(?:(?P<v0>a)|(?P<v1>b))END`` for
        ``(?P<v0>aEND)|(?P<v1>bEND)``: the same matches in the same order, from a pattern a third as
        long (compiling the longer one was most of the value index's time)."""
        parts: list[str] = []
        run: list[str] = []
        start = r"(?<![\w-])"  # where every value starts: tested once at each place, not once per value
        common = all(p.startswith(start) for _, _, p in self.literal)
        for i, (_, _, p) in enumerate(self.literal):
            p = p[len(start):] if common else p
            if p.endswith(_VALUE_END):
                run.append(f"(?P<v{i}>{p[:-len(_VALUE_END)]})")
                continue
            if run:
                parts.append(f"(?:{'|'.join(run)}){_VALUE_END}")
                run = []
            parts.append(f"(?P<v{i}>{p})")
        if run:
            parts.append(f"(?:{'|'.join(run)}){_VALUE_END}")
        if not parts:
            return None
        return re.compile((start if common else "") + "(?:" + "|".join(parts) + ")", re.I)


#: everyday names of values that exports write one way and people say another: {value as the data
#: writes it (lower case): [names]}
VALUE_NAMES = {
    "fiber optic": ["fiber", "fibre", "fibre optic"],
    # not "online" (the app is online too: "store vs online (web + app)") nor "the online shop", which is
    # how a web business names itself ("how many customers in the online shop")
    "web": ["website", "web site", "webshop", "web shop"],
    # the shops in the plural; "the shop" in the singular is how a shopkeeper names the business ("how
    # many customers in the shop", "rfm for the shop customers")
    "store": ["in-store", "in store", "instore", "physical store", "physical shop", "brick and mortar",
              "retail store", "bricks and mortar", "in the shops", "the shops",
              "our shops", "shop sales", "at the till", "at the tills", "through the till",
              "through the tills", "on the till", "over the counter"],
    "app": ["mobile app"],
    "mobile": ["phones", "smartphones", "smartphone", "mobile phones", "cell phones", "cellphones"],
    "b2b": ["business customers", "businesses", "business buyers", "business accounts", "trade customers",
            "trade clients", "trade accounts", "trade buyers", "corporate customers", "corporate clients"],
    "b2c": ["consumers", "private customers", "individual customers", "individuals", "private buyers"],
    "credit card (automatic)": ["credit card", "credit cards"],
    "bank transfer (automatic)": ["bank transfer", "bank transfers"],
    "electronic check": ["e-check", "echeck", "electronic cheque"],
    "mailed check": ["mailed cheque", "paper check", "paper cheque"],
    # a feedback topic said short: "complaints about quality", "negative quality feedback"
    "product quality": ["quality"],
    # contracts said the everyday way ("churn on monthly contracts", "annual plans")
    "month-to-month": ["monthly contract", "monthly contracts", "monthly plan", "monthly plans", "rolling contract",
                       "rolling contracts", "month to month"],
    "one year": ["annual contract", "annual contracts", "yearly contract", "yearly contracts", "1 year contract",
                 "1 year contracts", "12 month contract", "12 month contracts"],
    "two year": ["2 year contract", "2 year contracts", "24 month contract", "24 month contracts"],
    # traffic and acquisition sources by the platform's name ("does tiktok traffic convert", "google ads")
    "social": ["social media", "socials", "tiktok", "instagram", "ig", "facebook", "fb", "snapchat", "pinterest"],
    "paid search": ["google ads", "adwords", "ppc", "sem", "paid ads"],
    "organic search": ["seo", "organic traffic"],
}

#: the tails of compounds a value starts ("delivery-topic", "app-only", "email-driven")
_COMPOUND_TAILS = r"(?:topic|topics|related|based|only|driven|first|acquired|focused|type|channel|customers?|users?|buyers?|orders?)"
#: the end of a value's words as written: not inside a longer word, nor before a hyphen but a compound's tail
_VALUE_END = r"(?!\w)(?!-(?!" + _COMPOUND_TAILS + r"\b))"

#: values that are also how people are called by how they buy ("my regulars", "the locals", "loyal customers"):
#: the value only where no word for people follows it and not in the plural
_PEOPLE_ADJECTIVES = frozenset({"regular", "local", "loyal", "frequent", "usual", "occasional", "casual", "returning",
                                "repeat", "new"})

#: words for people: after an adjective of a value ("european customers") the value is meant
_PEOPLE = r"(?:customers?|clients?|buyers?|shoppers?|users?|accounts?|consumers?|people|subscribers?)"
#: "the european countries", "the asian markets": a region's adjective before its parts
_PEOPLE_OR_MARKETS = r"(?:" + _PEOPLE + r"|countries|markets?)"

#: words of every sentence: a data value spelt like one ("US", "IT", "No") is never read from the
#: question's words alone (only as "country = US", or a code written as one)
FUNCTION_WORDS = set("""a an the of to in on by and or is are was were be do did we our us you your i me my it its
this that these those what which who how much many all any each have has had there their them they than then so
some about into up out also just very for from at as with not no yes none other others true false""".split())

#: values that are the everyday word for everyone counted ("Customer", a CRM's lifecycle stage): read as a
#: value only said with their column's name, never from "customer" alone
_EVERYONE_NOUNS = frozenset({"customer", "customers", "client", "clients", "user", "users", "buyer", "buyers",
                             "account", "accounts"})

#: {ids of the value lists: (their index, the lists (kept: ids stay unique))}, the last few data sets
_INDEX: dict = {}


def _value_index(values: dict[str, dict[str, list[str]]]) -> _Index:
    """The index of ``values``, made again only when the value lists change (a Dataset makes new
    ones whenever its data changes; the dicts around them are made per question)."""
    key = tuple((col, id(vs)) for cols in values.values() for col, vs in cols.items())
    if key not in _INDEX:
        if len(_INDEX) >= 8:  # a few sessions on different data (a server, the benchmark): each keeps its own
            _INDEX.pop(next(iter(_INDEX)))
        _INDEX[key] = (_Index(values), values)
    return _INDEX[key][0]


def value_words(values: dict[str, dict[str, list[str]]] | None) -> frozenset[str]:
    """Every word of the data's ``values``, lower case (kept with their index, made once per value lists)."""
    return _value_index(values).words if values else frozenset()


def _candidates(values: dict[str, dict[str, list[str]]]) -> list[tuple[str, str, str]]:  # (value, column, regex)
    """(value, column, " normalised words ") for every value a question may name as written."""
    return _value_index(values).literal


def _nickname_targets(index: _Index, nicknames: dict[str, list[str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(nickname, [(column, value)]) of each nickname, longest first: its values as the data
    writes them (found as a question naming them would find them: "Germany" is "Deutschland")."""
    out = []
    for nickname in sorted(nicknames, key=len, reverse=True):
        out.append((nickname, resolve_nickname(index, nicknames[nickname])))
    return out


def resolve_nickname(index: "_Index | dict", items: list[str]) -> list[tuple[str, str]]:
    """[(column, value)] of the data that ``items`` (a nickname's values) name; an item the data
    does not have is left out (``describe`` says which)."""
    from . import countries

    if isinstance(index, dict):
        index = _value_index(index)
    out = []
    for item in items:
        hit = next(((col, v) for col, vs in index.columns.items() for v in vs
                    if v.lower() == str(item).lower().strip()), None)
        if hit is None:
            code = countries.country_of(str(item))
            hit = next(((col, by_code[code]) for col, by_code in index.countries.items() if code in by_code), None)
        if hit and hit not in out:
            out.append(hit)
    return out


def _bare_code(words: str) -> bool:
    """Whether a country was said as a two or three letter code other than the everyday US, USA
    and UK ("CD", "DE")."""
    return rx.fullmatch(r"[A-Za-z]{2,3}", words) is not None and words.upper() not in ("US", "USA", "UK")


#: a period's first word: said after "category:" it begins the period asked about, not a value of the column
_PERIOD_SAID = re.compile(r"(?:q[1-4]|h[12]|fy\d{0,4}|(?:19|20)\d{2}|last|this|next|previous|prior|since|from|between|"
                          r"before|after|during|ytd|mtd|qtd|" + _MONTH_NAMES + r")(?![\w-])", re.I)


def _column_values(text: str, index: _Index) -> list[tuple[str, str | None, str, tuple[int, int]]]:
    """(column, value or None, the words, their span) of "column = value" and "column: value"
    ("country = US", "segment: Enterprise"): the column's value named (None when it has no such
    value: a miss to report)."""
    out = []
    if "=" not in text and ":" not in text:
        return out
    for col in sorted(index.columns, key=len, reverse=True):
        if not index.columns[col]:  # values not listed (a 0/1 column): read elsewhere ("SeniorCitizen=1": a flag)
            continue
        name = column_pattern(col)
        for m in rx.finditer(r"(?<![\w-])" + name + r"\s*(?:==?|:)\s*[\"']?", text, re.I):
            rest = text[m.end():]
            value = next((v for v in sorted(index.columns[col], key=len, reverse=True)
                          if rx.match(re.escape(v) + r"(?![\w-])", rest, re.I)), None)
            if value is None:
                code = None
                token = rx.match(r"[\w&+.'-]+(?:\s+[A-Z][\w&+.'-]*)*", rest)
                if not token or _PERIOD_SAID.match(token.group(0)):
                    continue  # "kitchen category: Q1 2024 vs Q1 2025": a period after the colon, not a value
                said = token.group(0).rstrip("'")  # "country = 'DE'": the value inside its quotes
                from . import countries

                code = countries.country_of(said) if col in index.countries else None
                value = index.countries.get(col, {}).get(code) if code else None
                width = len(said)
            else:
                width = len(value)
            end = m.end() + width
            end += 1 if text[end:end + 1] in "\"'" and text[end:end + 1] else 0
            out.append((col, value, text[m.start():end].strip() if value else text[m.end():m.end() + width],
                        (m.start(), end)))
            text = text[:m.start()] + " " * (end - m.start()) + text[end:]
    return out


_UPPER = "A-Z" + "".join(ch for ch in map(chr, range(0xC0, 0x2000)) if ch.isupper())  # Ü, Ж, Σ...: any script
_NAMED = re.compile(r"\b(?:in|for|from|at|only|just|except|excluding)\s+((?:[" + _UPPER + r"][\w&.'-]*)(?:\s+(?:[" + _UPPER
                    + r"][\w&.'-]*|of|and|de|du))*)")


_NAME = r"[" + _UPPER + r"][\w&.'-]*(?:\s+(?:[" + _UPPER + r"][\w&.'-]*|\d+))*"
#: a name set against a value of the data that was read ("GTX Ultra vs MG Advanced"): the value's place is
#: marked once it is taken out of the text
_TAKEN = "\x00"
_VERSUS_NAMED = re.compile(r"(?P<a>" + _NAME + r")\s+(?:vs\.?|versus|against|or)\s+" + _TAKEN + r"|" + _TAKEN +
                           r"\s+(?:vs\.?|versus|against|or)\s+(?P<b>" + _NAME + r")")


def versus_unmatched(text: str, consumed: list[str]) -> list[str]:
    """Capitalised names set against a data value the question named ("GTX Ultra vs MG Advanced",
    "MG Advanced or GTX Ultra") that no value, period or number explained: the comparison would
    lose one side, so the caller says it was not found."""
    for word in sorted(consumed, key=len, reverse=True):
        text = rx.sub(re.escape(word), f" {_TAKEN} ", text, flags=re.I)
    names = []
    for m in _VERSUS_NAMED.finditer(text):
        name = (m.group("a") or m.group("b")).strip()
        first = name.split()[0].lower()
        if first in MONTHS or rx.fullmatch(r"q[1-4]", first) or first in FUNCTION_WORDS or first in _NOT_A_SIDE:
            continue
        names.append(name)
    return names


#: first words of what a value may be set against that is no value: a period, a measure, the rest
_NOT_A_SIDE = frozenset("last this next previous prior current same year years month months quarter week today "
                        "revenue sales profit margin orders customers total rest everyone everything average "
                        "target budget plan forecast".split())


def unmatched_names(text: str, consumed: list[str]) -> list[str]:
    """Capitalised names after in/for/from/at that no data value, period or number explained
    ("revenue in Atlantis"): the caller says so instead of answering for everything."""
    for word in sorted(consumed, key=len, reverse=True):
        text = rx.sub(re.escape(word), " ", text, flags=re.I)
    names = []
    for m in _NAMED.finditer(text):
        name = m.group(1).strip()
        first = name.split()[0].lower()
        # "for Q4-25", "in H1'24", "from W40", "FY24-25": periods written short, no name
        if first in MONTHS or rx.fullmatch(r"[qh][1-4](?:\s*['\u2019/-]?\s*\d{2}(?:\d{2})?)?|w\d{1,2}|"
                                           r"fy\s?['\u2019]?\d{2}(?:\d{2})?(?:[-/]\d{2}(?:\d{2})?)?", first) \
                or name.isupper() and len(name) <= 3:
            continue
        names.append(name)
    return names


#: short words of column names and how questions say them
_COLUMN_SHORT = {"num": r"(?:num|number|no\.?)", "qty": r"(?:qty|quantity)", "amt": r"(?:amt|amount)",
                 "cnt": r"(?:cnt|count)", "avg": r"(?:avg|average)", "pct": r"(?:pct|percent(?:age)?)",
                 "cr": r"(?:cr|credit)", "acct": r"(?:acct|account)", "cust": r"(?:cust|customer)"}


#: the words of each side of a yes/no column of gender ("female": 1 for women): (its yes, its no)
_WOMEN, _MEN = r"wom[ae]n|females?|ladies|lady|girls", r"m[ae]n|males?|gents|guys|blokes"
_GENDER_FLAGS = {"female": (_WOMEN, _MEN), "woman": (_WOMEN, _MEN), "male": (_MEN, _WOMEN), "man": (_MEN, _WOMEN)}

#: the second word of a column's name that "type" or "kind" may stand for ("payment type": payment_method)
_KIND_NOUNS = frozenset({"method", "service", "channel", "option", "plan", "status", "mode", "tier"})


@functools.lru_cache(maxsize=4096)  # asked for each column on every question
def column_pattern(column: str) -> str:
    """A regex for a column's name however a question spells it: "payment_method", "PaymentMethod",
    "payment method" and "paymentmethod" all name the column ``paymentmethod`` (or ``payment_method``).
    Use it case-insensitively, between word boundaries."""
    letters = [ch for ch in column.lower() if ch.isalnum()]
    plain = r"[\s_-]?".join(map(re.escape, letters))
    tokens = [t for t in rx.split(r"[\s_-]+|(?<=[a-z])(?=[A-Z])", column) if t]
    tokens = [t.lower() for t in tokens]
    if len(tokens) == 2 and len(tokens[0]) >= 5 and tokens[1] in _KIND_NOUNS:
        # "payment type" for payment_method, "internet type" for InternetService: the first word with a word for
        # a kind (never the first word alone: "payment" may be the money)
        plain = f"(?:{plain}|{re.escape(tokens[0])}[\\s_-]+(?:type|kind)|(?:type|kind|sort)s?\\s+of\\s+{re.escape(tokens[0])})"
    if len(tokens) == 2 and tokens[1] in ("type", "kind"):  # customer_type: "by type of customer", "kinds of customers"
        plain = f"(?:{plain}|(?:type|kind)s?\\s+of\\s+{re.escape(tokens[0])}s?)"
    glossed = _column_glossed(tokens)
    if glossed:
        plain = f"(?:{plain}|{glossed})"
    if not any(t in _COLUMN_SHORT for t in tokens):
        return plain
    said = r"[\s_-]+".join(_COLUMN_SHORT.get(t, re.escape(t)) for t in tokens)  # num_of_products: "number of products"
    return f"(?:{plain}|{said})"


#: what a column's name may not be cut down to: words every question says ("customer_name" is never
#: named by "customers")
_NOT_ALONE = frozenset({"customer", "customers", "client", "clients", "cliente", "kunde", "klant", "product", "order",
                        "item", "company", "account", "user", "contact", "first", "last", "full", "file", "row"})


def _column_glossed(tokens: list[str]) -> str | None:
    """Other ways a question says a column's name of ``tokens``: its words in English where the
    name is another language's (``schema.COLUMN_GLOSS``: "Nome Loja" as "store name", "Tipo Cliente"
    as "customer type" in either order), without a key word ("store" for "store_name", "Nome Loja"),
    and without the prepositions of a Romance name ("Ano do Carro": "car year"). None when there is
    no other way."""
    from .schema import CANONICAL, COLUMN_GLOSS, COLUMN_KEY_WORDS, COLUMN_PREPOSITIONS

    words = [t for t in tokens if t not in COLUMN_PREPOSITIONS] or tokens
    kept = [t for t in words if t not in COLUMN_KEY_WORDS]
    # never the name of a column every data may have: "country" is the country, not also country_code
    if len(words) == 2 and len(kept) == 1 and len(kept[0]) >= 4 and kept[0] not in _NOT_ALONE and \
            not any(kept[0] in names for names in CANONICAL.values()):
        words = kept  # "store" for store_name
    if words == tokens and not any(t in COLUMN_GLOSS for t in words):
        return None
    said = [f"(?:{re.escape(t)}|{COLUMN_GLOSS[t]})" if t in COLUMN_GLOSS else re.escape(t) for t in words]
    orders = [said, said[::-1]] if len(said) == 2 and any(t in COLUMN_GLOSS for t in words) else [said]
    return "|".join(r"[\s_-]+".join(order) for order in orders)


def column_mentions(text: str, columns) -> list[tuple[int, int, str]]:
    """(start, end, column) of each of ``columns`` the text names, in any spelling (``column_pattern``;
    a plural s too), longest names first, each span once."""
    out: list[tuple[int, int, str]] = []
    for col in sorted(set(columns), key=lambda c: -len(c)):
        said = _column_said(col)
        for m in said.finditer(text) if said else ():
            if not any(a < m.end() and m.start() < b for a, b, _ in out):
                out.append((m.start(), m.end(), col))
    return sorted(out)


@functools.lru_cache(maxsize=4096)
def _column_said(col: str) -> re.Pattern | None:
    """``column_mentions``' pattern for one column (None for a name of under three letters or digits)."""
    if len([ch for ch in col if ch.isalnum()]) < 3:
        return None
    words = column_pattern(col) + (f"|{column_pattern(col[:-1] + 'ie')}" if col.endswith("y") else "")
    if rx.search(r"[^su]s$", col.lower()) and len(col) >= 6:  # employees: "employee count", "by employee"
        words += f"|{column_pattern(col[:-1])}"
    return re.compile(r"(?<![\w-])(?:" + words + r")s?(?![\w-])", re.I)  # "sub categories" too


#: a list of breakdowns after by/per, its items set apart by "&", "+", "/", "," or "n" as well as
#: "and" ("by country & channel", "by category/channel", "by seniorcitizen / partner / dependents"):
#: the separator just before the next item (group 1, which is never a number)
_LIST_SEP = r"(?:&|\+|/|,|\band\b|\bn\b|\bx\b)"
_LISTED_AFTER_BY = re.compile(r"\b(?:by|per|across)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?(?:\s*" + _LIST_SEP
                              + r"\s*(?:the\s+)?[\w-]+(?:\s+[\w-]+)?){0,4}?\s*(&|\+|/|,|\bn\b) ?(?:the )?$")  # one space: a value read between leaves more


#: words that make a column a grouping of another ("category_age", "age_bracket", "income_band")
_GROUPING_WORDS = frozenset({"group", "band", "bracket", "range", "category", "bucket", "class"})


def attribute_dimensions(t: str, values: dict[str, dict[str, list[str]]]) -> list[tuple[int, str, int]]:
    """Breakdowns by any column of ``values`` (low-cardinality text, and numeric customer attributes
    listed without values) named after by/per/across ("by contract", "per payment method", "by
    acquisition channel", "by age band and gender", "add InternetService"): (position, column, width
    of the words that named it)."""
    found = []
    for col in sorted({c for cols in values.values() for c in cols}, key=len, reverse=True):
        if col in DIMENSIONS and col != "segment" or not any(ch.isalnum() for ch in col):
            continue  # a column named segment (labels saved, a CRM's) is read here; "*" names nothing
        m = None
        for said in _attribute_said(col):
            m = m or said.search(t)
        if m:  # "gender breakdown", "the split of payment methods"
            g = next(i for i in range(1, len(m.groups()) + 1) if m.group(i) is not None)
            # "by age group" names the column age_group, not also age inside it (longer names come first)
            if not any(at <= m.start(g) and m.end(g) <= at + width for at, _, width in found):
                found.append((m.start(g), col, m.end(g) - m.start(g)))
    return found


#: the words of a place: a column named by two of them ("State/Province") is either
_PLACE_WORDS = frozenset({"state", "province", "county", "city", "town", "zip", "postal", "postcode", "district",
                          "territory", "prefecture", "municipality", "suburb"})


#: the first words of a name column that name the customers themselves (account_name is who, not a breakdown)
_WHO_NAMED = frozenset("account accounts client clients company companies contact contacts buyer buyers member members "
                       "user users person people customer customers billing shipping full first last given family "
                       "organization organisation org business firm".split())


@functools.lru_cache(maxsize=4096)
def _attribute_said(col: str) -> tuple[re.Pattern, ...]:
    """``attribute_dimensions``' patterns for ``col``, in the order they are tried: the column after by/per
    or top, its breakdown, the column as what may make the difference."""
    words = column_pattern(col)  # "by payment method" is the column paymentmethod
    parts = col.split("_")
    grouping = [p for p in parts if p in _GROUPING_WORDS]
    if len(parts) == 2 and len(grouping) == 1 and parts[0] != parts[1]:
        # category_age, age_bracket: a grouping of age however it is said ("by age group", "age bands")
        base = next(p for p in parts if p not in _GROUPING_WORDS)
        words = rf"(?:{words}|{re.escape(base)}[\s_-]+(?:{'|'.join(sorted(_GROUPING_WORDS))}))"
    places = [p for p in parts if p in _PLACE_WORDS]
    if len(places) >= 2 and all(p in _PLACE_WORDS or p == "code" for p in parts):
        # "State/Province", "Zip/Postal Code", "City/Town": either word names the column ("by state")
        words = rf"(?:{words}|{'|'.join(places)})"
    if len(parts) == 2 and parts[1] in ("name", "names") and parts[0] not in DIMENSIONS and len(parts[0]) >= 4 and \
            parts[0] not in _WHO_NAMED:
        words = f"(?:{words}|{re.escape(parts[0])})"  # "which device rings up the most": Square's Device Name
    if len(parts) == 1:  # "by event type", "each device kind": a one-word column said with "type"
        words = rf"(?:{words})(?:\s+(?:type|kind))?"
    if len(parts) == 1 and rx.search(r"[^su]s$", col) and len(col) >= 6:
        words = f"(?:{words}|{column_pattern(col[:-1])})"  # employees: "by employee count", "per employee band"
    if col.endswith("y"):  # "industries": the name's own pattern with y as ie, a whole alternative
        words = f"(?:{words}|{column_pattern(col[:-1] + 'ie')})"  # (cutting the pattern's last character
        # broke the regex where the pattern ends in a group: "avg_open_to_buy")
    # "by region x customer_type", "top 5 industries", "which segment is most profitable"
    after_by = (r"\b(?:(?:by|per|across|for each|split by|broken down by|add)\s+(?:(?:[\w-]+\s+){0,2}?[\w-]+\s*"
                + _LIST_SEP + r"\s*){0,4}?|(?:top|best|worst|bottom|biggest|largest|smallest|highest|lowest)\s+"
                r"(?:\d+\s+)?|(?:which|each|every)\s+(?:(?:type|kind|sort)s?\s+of\s+)?|" + _GROUPS_APART + r")"
                # "by customer industry": the customers' industry
                r"(?:the\s+)?(?:(?:customer|client|account)'?s?\s+)?(?:(?:type|kind|sort)s?\s+of\s+(?:the\s+)?)?(" + words
                + r")s?\b")
    # "gender breakdown", "the split of payment methods"
    breakdown = (r"\b(" + words + r")s?\s+(?:breakdown|distribution|split|mix|composition|make-?up)\b|"
                 r"\b(?:breakdown|distribution|split|mix|composition|make-?up)\s+of\s+(?:the\s+|our\s+)?(" + words
                 + r")s?\b")
    # the column as what may make the difference: "does payment method matter for churn", "the effect of
    # contract on churn", "churn vs tenure": a breakdown by it
    difference = (r"\b(?:does|do|did|is|are|has|have|can|could|would)\s+(?:the\s+|their\s+|a\s+)?(" + words
                  + r")s?\s+(?:really\s+|actually\s+|even\s+)?(?:matters?|affects?|impacts?|influences?|drives?|changes?|"
                  r"make\s+(?:a|any)\s+(?:\w+\s+)?difference|have\s+(?:a|an|any)\s+(?:real\s+)?(?:bearing|effect|"
                  r"impact|influence)|play\s+(?:a|any)\s+(?:\w+\s+)?role)\b|"
                  r"\b(?:effect|impact|influence|role)\s+(?:of|that)\s+(?:the\s+)?(" + words + r")s?\b|"
                  r"\bdepend\w*\s+on\s+(?:the\s+)?(" + words + r")s?\b|"
                  # "the relationship between monthly charges and churn", "correlation of tenure with churn", "the
                  # link between churn and contract"
                  r"\b(?:relationships?|relations?|correlations?|links?|connections?|associations?)\s+(?:between|of)\s+"
                  r"(?:the\s+)?(" + words + r")s?\b|"
                  r"\b(?:relationships?|relations?|correlations?|links?|connections?|associations?)\s+between\s+(?:\w+\s+){1,3}?"
                  r"and\s+(?:the\s+)?(" + words + r")s?\b|"
                  # "is attrition associated with payment method", "conditional on contract type", "a
                  # threshold in monthly charges above which churn rises"
                  r"\b(?:(?:related|associated|linked|correlated|connected|tied)\s+(?:to|with)|correlates?\s+with|"
                  r"conditional\s+on|conditioning\s+on|controlling\s+for|threshold\s+(?:in|of|on))\s+(?:the\s+)?(" + words
                  + r")s?\b(?!\s+(?:is|=|of)\s)|"
                  r"\b(?:vs\.?|versus)\s+(?:the\s+)?(" + words + r")s?\b(?!\s*(?:and|or|,|/)\s)|"
                  # "do klanten with short tenure churn more", "are high monthly charges customers leaving faster": the
                  # column's low or high end set against the rest, a breakdown by it
                  r"\b(?:low|lower|short|shorter|high|higher|long|longer)\s+(" + words + r")s?\b(?=.*\b(?:more|less|higher|"
                  r"lower|faster|slower|sooner|earlier|most|least|likelier)\b)|"
                  r"\b(?:more|less|faster|slower|sooner|likelier)\b.*?\b(?:low|lower|short|shorter|high|higher|long|longer)\s+("
                  + words + r")s?\b")
    return tuple(map(re.compile, (after_by, breakdown, difference)))


#: data columns whose name says they group customers (a CRM's or Superstore's "Segment", a "Tier"): a
#: value said with the column's name ("the Corporate segment") is that column's filter, and the name
#: is no request for a segmentation
GROUP_COLUMN = re.compile(r"segment|tier|group|cluster|bucket")


def group_column_words(t: str, words: list[str], filters: dict[str, list[str]]) -> list[str]:
    """``words`` (those the filters were read from), each with the name of its column when the
    question says the two together: "the Corporate segment", "segment: Corporate", "Corporate
    customers segment" are read whole, so "segment" does not route "sales for the Corporate segment"
    to a segmentation, and "the Kitchen category split across channels", "category Kitchen", "the
    Outdoor and Fitness categories" make no breakdown by category beside the filter."""
    names = list(filters)
    if not names:
        return words
    out = []
    for w in words:
        said = re.escape(w.lower())
        for col in names:
            group = GROUP_COLUMN.search(col)
            plural = r"|" + re.escape(col[:-1]) + r"ies" if col.endswith("y") and "_" not in col else ""  # categories
            name = r"(?:" + column_pattern(col) + (r"|" + group.group(0) if group else "") + plural + r")s?"
            m = rx.search(r"(?<![\w-])" + said + r"\s+(?:(?:customers?|accounts?|clients?)\s+)?" + name + r"(?![\w-])",
                          t) or rx.search(r"(?<![\w-])(?<!\bby )(?<!\bper )(?<!\beach )(?<!\bevery )(?<!\bacross )" + name
                                          + r"\s*[:=]?\s*(?:the\s+)?" + said + r"(?![\w-])", t)
            if m:
                w = m.group(0)
                break
        out.append(w)
    return out


#: RFM segment names (segmentation's map), recognised before any labels are saved; the short,
#: everyday ones ("new", "lost", "loyal") only with the word "segment" next to them
RFM_SEGMENTS = {"champions?|champs": "Champions", "can't lose them": "Can't lose them", "cant lose them": "Can't lose them",
                "hibernating": "Hibernating", "need attention": "Need attention", "about to sleep": "About to sleep",
                "potential loyalists?": "Potential loyalist", "promising": "Promising", "at[- ]risk": "At risk",
                "loyal": "Loyal", "new": "New", "lost": "Lost"}
_SHORT_SEGMENTS = {"loyal", "new", "lost", "at[- ]risk", "promising"}


def rfm_name(text: str) -> str | None:
    """The RFM segment ``text`` is, however written ("at-risk", "champion", "Potential Loyalists"), else None."""
    t = " ".join(text.lower().split())
    return next((name for pattern, name in RFM_SEGMENTS.items() if rx.fullmatch(pattern, t)), None)


#: "at risk" names the RFM segment when it is used as a name: after "the", "in", "as", "who's"
#: ("sitting in at risk", "classified as at risk", "the at risk bunch") or before an informal word for
#: them ("at risk custs", "at-risk ones", "the at risk persona"); never when something is at risk of or
#: from something ("at risk of churning", "revenue at risk"), and "at-risk customers" alone is churn's
#: (customers likely to leave) unless "the" makes it a name
_AT_RISK_NAMED = re.compile(
    r"(?:\b(?:the|in|into|as|who'?s|whos)\s+at[- ]risk\b(?!\s+(?:of|from|to|for)\b)(?:\s+(?:segment|group)\b)?"
    r"|(?<!\bare )(?<!\bis )\bat[- ]risk\s+(?:custs?|people|ppl|ones|lot|bunch|folks|persona|personas|group|segment)\b)")


def labels_named(t: str, labels: list[str]) -> list[str]:
    """The saved labels (other than everyday words such as "loyal") said in ``t`` as words."""
    return [label for label in labels if not any(rx.fullmatch(p, label.lower()) for p in _SHORT_SEGMENTS)
            and rx.search(r"(?<![\w-])" + re.escape(label.lower()) + r"(?![\w-])", t)]


#: a segment said as the one not meant: "I meant the at risk group, not champions", "lost rather than hibernating"
_NOT_MEANT = r"(?:\bnot|\brather\s+than|\binstead\s+of)\s+(?:the\s+|our\s+)?"


def segments_set_aside(t: str, labels: list[str]) -> tuple[str, str | None, str]:
    """(words, meant, its words): the words of ``t`` that name a segment as the one not meant ("no, I
    meant at risk, not champions"), never the segment asked about; and the segment said right before
    them, which such a line names without a cue ("at risk rather than the champions": At risk)."""
    names = [(re.escape(label.lower()), label) for label in sorted(labels, key=len, reverse=True)] + \
        [(pattern, name) for pattern, name in RFM_SEGMENTS.items()]
    either = "|".join(p for p, _ in names)
    people = r"(?:\s+(?:segments?|group|cluster|customers|ones|people))?"
    m = rx.search(_NOT_MEANT + r"(?:" + either + r")" + people + r"(?!\w)", t)
    if not m:
        return "", None, ""
    before = rx.search(r"(?:\bthe\s+)?\b(?:" + either + r")" + people + r"\s*,?\s*$", t[:m.start()])
    meant = before and next((name for p, name in names if rx.match(r"(?:the\s+)?(?:" + p + r")\b", before.group(0))), None)
    return m.group(0), meant, before.group(0) if meant else ""


def segment_named(t: str, labels: list[str]) -> tuple[str | None, str]:
    """(segment, words matched): a saved label ("vip"), else an RFM name with a cue ("for the
    champions", "champions segment", "the at-risk segment")."""
    for label in sorted(labels, key=len, reverse=True):
        word = re.escape(label.lower()).replace(r"\-", r"[\s-]?").replace(r"\ ", r"[\s-]")  # "mid market": Mid-Market
        if label.lower() in _EVERYONE_NOUNS:  # a lifecycle stage "Customer": never from "by customer country"
            m = rx.search(r"\b" + word + r"s?\s+(?:segments?|stage|lifecycle\s+stage|group)\b|\b(?:segment|stage)\s*"
                          r"(?:=|:|is)\s*['\"]?" + word + r"\b", t)
        elif any(rx.fullmatch(p, label.lower()) for p in _SHORT_SEGMENTS):
            # an everyday word ("loyal", "new") names the label only with a cue: "the loyal segment",
            # "loyal customers", "for the new"; "how loyal are our customers" asks about loyalty
            # "new customers" are those of their first purchase ("new customers each quarter") unless
            # the segment is meant: "the new segment", "for the new"
            people = "" if label.lower() == "new" else "|customers"
            m = rx.search(r"(?<!how )\b(?:(?:the|for|in|of)\s+)?" + word + r"\s+(?:segments?" + people + r"|group|cluster)\b", t) \
                or rx.search(r"\b(?:for|in|of)\s+the\s+" + word + r"(?!\s*\w)", t)
        else:  # "only hotels", "for the cafés": a label said in the plural too
            plural = r"(?:s|es)?" if label[-1:].isalpha() and len(label) >= 3 else ""
            m = rx.search(r"\b(?:the\s+)?" + word + plural + r"(?:\s+segment|\s+customers)?(?!\w)", t)
        if m:
            return label, m.group(0)
    rfm = rx.search(r"\brfm\b", t) is not None  # "the loyal customers, the rfm kind": about RFM segments
    # "the 'at risk' group": a name in quotes is the name
    t = rx.sub(r"['\"\u2018\u201c]([a-z][a-z' -]{1,30}?)['\"\u2019\u201d](?=\s|$|[,.?!])", r"\1", t)
    people = r"customers|accounts|clients|members|subscribers|buyers|shoppers|users"
    for pattern, name in RFM_SEGMENTS.items():
        cue = r"(?:(?:customers?\s+|accounts?\s+)?(?:segments?|group|cluster)" + (r"|" + people if rfm else "") + ")" \
            if pattern in _SHORT_SEGMENTS else r"(?:segments?|group|cluster|" + people + r")?"
        counted = pattern in _SHORT_SEGMENTS and pattern not in ("new", "lost") and rx.search(
            # "how many at risk customers", "loyal customers in germany", "are the loyal customers different":
            # an everyday word names the segment when its customers are counted, listed first or set apart
            r"(?:\b(?:how\s+many|number\s+of|no\.?\s+of|count\s+of|share\s+of|%\s+of)\s+(?:(?:our|the|my)\s+)?|^\s*(?:the\s+)?|"
            r"(?<!most )(?<!more )(?<!less )(?<!how )\b(?:the|our|my)\s+)(?P<seg>(?:" + pattern + r")\s+(?:customers|custs?|accounts|"
            r"clients|members|subscribers|buyers|shoppers))\b"
            r"(?!\s+(?:of|to|for)\b)", t)
        if counted:  # the segment's words only: "how many" still says the metric
            return name, counted.group("seg")
        m = rx.search(r"\b(?:the\s+)?(?:" + pattern + r")(?:\s+" + cue + r")" + ("" if pattern in _SHORT_SEGMENTS
                                                                                  else "?") + r"(?!\w)", t) or \
            rx.search(r"\bsegments?\s+(?:of\s+)?(?:the\s+)?[\"']?(?:" + pattern + r")\b[\"']?"
                      r"(?!\s+(?:us\s+|me\s+|them\s+)?money)", t)  # "which segments lost money": profit
        if m:
            return name, m.group(0)
    if m := _AT_RISK_NAMED.search(t) or rfm and rx.search(r"\bat[- ]risk\b(?!\s+of\b)", t):
        return "At risk", m.group(0)  # "how many customers are at risk in rfm terms": the segment
    return None, ""


_PRODUCT_CUE = re.compile(r"(?=\b(?P<cue>with|buy|buys|bought|buying|purchase[sd]?|orders?|ordered|ordering|of|for|"
                          r"product|item|like|besides|alongside|next to)\s+(?:a\s+|an\s+|the\s+|our\s+)?"
                          r"(?P<words>[a-z][\w'&-]*(?:\s+[a-z][\w'&-]*){0,2}))")
#: a product said after these is the one the items listed go with ("which items are bought alongside
#: Cat Litter", "in the same basket as yogurt", "people who bought a camping tent"), not one of the
#: products a breakdown lists
_BOUGHT_WITH = (r"\b(?:with|alongside|besides|next\s+to|same\s+(?:basket|order|cart|trolley|receipt|invoice|"
                r"transaction)s?\s+as|bought|buys?|buying|purchased|purchases?|orders?|ordered|ordering|grab(?:s|bed)?)\s+"
                r"(?:a\s+|an\s+|the\s+|our\s+|some\s+)?$")
#: after these a single word names a product by one of its words ("what goes with grinder")
_BUYING_CUES = {"with", "buy", "buys", "bought", "buying", "purchased", "purchases", "purchase", "order", "orders",
                "ordered", "ordering", "like", "besides", "alongside", "next to"}


def _product_by_its_words(phrase: str, lowered: dict[str, str], least: int = 2) -> str | None:
    """The product whose name holds every word of ``phrase`` (``least`` words or more, in any order,
    a plural s aside): "the house blend beans" is "Coffee Beans House Blend"; the shortest such name
    when several hold them, none when the words are everyday ones."""
    words = [w for w in phrase.split() if w not in ("a", "an", "the", "our", "my")]
    if not least <= len(words) <= 4 or any(len(w) < 3 or w in STOP_PHRASES for w in words):
        return None
    stems = {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words}

    def holds(value: str) -> bool:
        own = {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in rx.split(r"[\s/,&()-]+", value)}
        return stems <= own
    having = sorted((v for v in lowered if holds(v)), key=len)
    if len(words) == 1 and len(having) > 1:
        return None  # "coffee" of coffee beans and a coffee grinder: no one of them
    return lowered[having[0]] if having else None


#: words that set a product aside just before it ("forget the shopping bags, what else comes with root
#: vegetables"): not the product asked about
_LEFT_ASIDE = re.compile(r"\b(?:forget|forgetting|except|excluding|exclude|without|ignore|ignoring|not\s+counting|minus|"
                         r"leave\s+out|leaving\s+out|drop|dropping|apart\s+from|other\s+than)\s+(?:about\s+)?(?:the\s+|all\s+the\s+)?$", re.I)


def product_named(t: str, products: list[str], fuzzy: bool = True) -> tuple[str | None, str]:
    """(product, words matched): a product of the data named in the question: exactly, or (with
    ``fuzzy``) misspelt ("espreso machine"), or by one distinctive word after a buying cue ("what
    goes with grinder"): the shortest product with that word, so "milk" is "whole milk" when that
    is the only milk."""
    import difflib

    lowered = {p.lower(): p for p in products}
    for value in sorted(lowered, key=len, reverse=True):
        m = rx.search(r"(?<!\w)" + spelt(lowered[value]) + (r"(?:s|es)?" if value[-1:].isalpha() else "") + r"(?!\w)", t)
        if m and len(value) > 2 and not _LEFT_ASIDE.search(t[:m.start()]):
            return lowered[value], m.group(0)
    if not fuzzy:
        return None, ""
    for m in _PRODUCT_CUE.finditer(t):
        words = m.group("words").split()
        for n in range(len(words), 0, -1):
            phrase = " ".join(words[:n])
            if len(phrase) < 4 or phrase in STOP_PHRASES:
                continue
            close = difflib.get_close_matches(phrase, list(lowered), n=1, cutoff=0.85)
            if close:
                return lowered[close[0]], phrase
            if by_words := _product_by_its_words(phrase, lowered):
                return by_words, phrase
            if n == 1 and m.group("cue") in _BUYING_CUES:
                having = sorted((v for v in lowered if rx.search(r"\b" + re.escape(phrase) + r"s?\b", v)), key=len)
                if having:
                    return lowered[having[0]], phrase
    return None, ""


def product_said(phrase: str, products: list[str]) -> str | None:
    """The product of the data that ``phrase``, words a basket question said a product in ("what goes
    with the grinder", "bought with whole mik"), names: as written, misspelt, or by its words in any
    order ("house blend beans"); None when it names none."""
    import difflib

    lowered = {p.lower(): p for p in products}
    phrase = rx.sub(r"^(?:a|an|the|our|my|your|their|his|her|some)\s+", "", phrase.lower().strip())
    words = phrase.split()
    for n in range(len(words), 0, -1):  # "sausage top 5", "soda tend to": the leading words that name one
        said = " ".join(words[:n])
        if said in lowered or (said[-1:] == "s" and said[:-1] in lowered):
            return lowered.get(said) or lowered[said[:-1]]
    close = difflib.get_close_matches(phrase, list(lowered), n=1, cutoff=0.85) if len(phrase) >= 4 else []
    return lowered[close[0]] if close else _product_by_its_words(phrase, lowered, least=1)


def products_named(t: str, products: list[str]) -> list[tuple[str, str]]:
    """(product, words) of every product of the data named in ``t`` as written (a plural s
    allowed), in the order said; a longer name wins where two overlap ("coffee beans house blend"
    over "coffee")."""
    lowered = {p.lower(): p for p in products}
    taken: list[tuple[int, int, str, str]] = []
    for value in sorted(lowered, key=len, reverse=True):
        if len(value) <= 2:
            continue
        for m in rx.finditer(r"(?<!\w)" + spelt(lowered[value]) + (r"(?:s|es)?" if value[-1:].isalpha() else "") +
                             r"(?!\w)", t):
            if not any(m.start() < end and start < m.end() for start, end, _, _ in taken) and \
                    not _LEFT_ASIDE.search(t[:m.start()]):  # "forget the shopping bags, what goes with ...": not it
                taken.append((m.start(), m.end(), lowered[value], m.group(0)))
    named = {}
    for _, _, product, words in sorted(taken):
        named.setdefault(product, words)
    return list(named.items())


#: {(id, length) of a product list: (its family heads, the list)}, the last few lists
_HEADS: dict = {}


def _family_heads(products: list[str]) -> dict[str, list[str]]:
    """{leading words, lower case: the products they lead} of the leading words that several
    products share before a separator or another word, everyday words left out."""
    heads: dict[str, list[str]] = {}
    for p in products:
        words = rx.findall(r"[^\W_][\w'&.+]*", p)
        for n in range(1, min(len(words), 6)):
            head = " ".join(words[:n]).lower()
            rest = p[len(" ".join(words[:n])):] if p.lower().startswith(head) else None
            if rest is None or not rx.match(r"\s*[-/|,:(]|\s+\w", rest):
                continue
            heads.setdefault(head, []).append(p)
    return {h: ms for h, ms in heads.items()
            if len(ms) >= 2 and len(h) >= 4 and h not in FUNCTION_WORDS and h not in STOP_PHRASES}


def families(products: list[str]) -> dict[str, str]:
    """{product: its family as written} of the products whose name is a family's before a variant
    suffix ("Leila Pullover" of "Leila Pullover - Noire / S" and "Leila Pullover - Sand / M": the
    longest leading words several products share that end at a separator, `` - ``, ``/``, ``(``...,
    the heads ``product_family`` reads a family said in a question by; where most end at one spaced
    separator, the title before it). Products of no such family are left out (each is its own)."""
    out: dict[str, tuple[int, str]] = {}
    for head, members in _family_heads(products).items():
        for p in members:
            if rx.match(r"\s*[-/|,:(]", p[len(head):]) and len(head) > out.get(p, (0, ""))[0]:
                out[p] = (len(head), p[:len(head)].strip())
    # a catalogue in the "Title - Variant" shape (Shopify's line item names): the title before the
    # separator most families end at, for every product written so ("Sahara Bra Top (Tie-Dye)" is a
    # title of its own; a product of one variant has its title too)
    cuts = [m.group(0) for p, (n, _) in out.items() if (m := rx.match(r"\s*[-/|,:(]\s*", p[n:]))]
    sep = max(set(cuts), key=cuts.count) if cuts else None
    if sep and sep.strip() and cuts.count(sep) >= 0.8 * len(cuts) and sep != sep.strip():
        for p in products:
            if sep in p and p.split(sep)[0].strip():
                out[p] = (0, p.split(sep)[0].strip())
    return {p: name for p, (_, name) in out.items()}


#: the most products a word of their names is looked for in (``products_of_word``)
WORD_PRODUCTS = 2000


def products_of_word(text: str, products: list[str], others: frozenset[str] = frozenset()
                     ) -> tuple[str | None, list[str], str]:
    """(the word, the products whose names hold it, the words said): a noun of product names said for
    all of them ("only mugs" for "Personalized Name Mug | ...", "Custom Photo Mug | ..."; "sales of
    planners"): it was "I found no 'mugs'", or nothing at all. A word of three letters or more, in two
    products' names or more and not in all, said in the plural after a word that picks things ("only",
    "from", "of") or before what is counted of them ("mug sales"), that is no function word, no word another
    slot reads (a metric, a period, a breakdown), and no value of another column (``others``: the category
    "Mugs" is that filter)."""
    if len(products) < 3 or len(products) > WORD_PRODUCTS:
        return None, [], ""
    held: dict[str, list[str]] = {}
    for p in products:
        for w in {_singular_word(w) for w in rx.findall(r"[a-z]{3,}", str(p).lower())}:
            held.setdefault(w, []).append(p)
    reads = [METRICS[k] for k in METRICS] + [DIMENSIONS[k] for k in DIMENSIONS]
    low = text.lower()
    for m in rx.finditer(r"(?<![\w-])[a-z]{3,}(?![\w-])", low):
        said, word = m.group(0), _singular_word(m.group(0))
        members = held.get(word, [])
        if len(members) < 2 or len(members) == len(products) or {said, word} & (
                FUNCTION_WORDS | STOP_PHRASES | _NOT_PRODUCT_WORDS | others) or \
                any(rx.fullmatch(r, said) or rx.fullmatch(r, word) for r in reads):
            continue
        # said as things: in the plural after a word that picks them ("only mugs", "money from planners"), or
        # before what is counted of them ("mug sales"); "giving them free beans" names none
        picked = rx.search(r"\b(?:only|just|of|for|from|excluding|except|without|all)\s+(?:(?:the|our|my|those|these)\s+)?$",
                           low[:m.start()])
        if picked and (said != word or _THING_AFTER.match(low[m.end():])) \
                or rx.match(r"\s+(?:sales|revenue|orders|units|sold|refunds)\b", low[m.end():]):
            return word, sorted(members), text[m.start():m.end()]
    return None, [], ""


#: nouns for things that follow a word of product names said for all of them in the singular ("only the
#: sourdough course", "just the mug ones", "sales of the sourdough line")
THING_NOUNS = frozenset("course courses class classes workshop workshops product products item items one ones range "
                        "line lines kit kits bundle bundles package packages model models variant variants version "
                        "versions stuff thing things service services treatment treatments".split())
#: what follows such a word: one of those nouns, or the end of the clause
_THING_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(THING_NOUNS)) + r")\b|\s*(?:[?.!,;:]|$)")


#: words of product names that a question says for something else ("top 10", "new customers", "best sellers")
_NOT_PRODUCT_WORDS = frozenset("top best worst new old big small high low first last next total average share rate "
                               "sold sell buy bought item items product products thing things stuff show list give "
                               "make made like only free sale gift gifts "
                               # "top 10 cats by rev": categories, said short
                               "cat cats".split())


def _singular_word(word: str) -> str:
    """A word in the singular as ``meant._singular`` reads it ("mugs" -> "mug", "diaries" -> "diary"), imported
    when called (meant reads slots)."""
    from .meant import _singular

    return _singular(word)


def product_family(text: str, products: list[str], others: frozenset[str] = frozenset()
                   ) -> tuple[str | None, list[str], str]:
    """(family, its products, words matched): the leading words of several products, said in
    ``text`` as written: "Leila Pullover" of "Leila Pullover - Noire / S", "Leila Pullover - Sand / M"...
    (a shop's variants). The longest such words win; a single word counts only written with a
    capital ("Velour", not "top"), and never an everyday word."""
    key = (id(products), len(products))
    if key not in _HEADS:
        if len(_HEADS) >= 8:
            _HEADS.pop(next(iter(_HEADS)))
        _HEADS[key] = (_family_heads(products), products)  # the list kept: its id stays unique
    heads = _HEADS[key][0]
    best: tuple[int, int, str, list[str]] | None = None
    low = text.lower()
    for head, members in heads.items():
        if head.split()[0] not in low or head in others:  # not said; a value of another column ("Coffee" the category)
            continue
        pattern = r"(?<![\w-])" + r"[\s_-]+".join(map(re.escape, head.split())) + r"(?:s|es)?(?![\w-])"
        m = rx.search(pattern, text, re.I)
        if m is None or " " not in head and (not m.group(0)[:1].isupper() or not text[:m.start()].strip()):
            # one word: a name only capitalised inside the sentence ("Items sold" opens it)
            continue
        if any(o != head and (w := rx.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", low)) and
               w.start() <= m.start() and m.end() <= w.end() for o in others if head.split()[0] in o):
            continue  # part of another column's value said whole: the "Bikes" of the store "Baldwin Bikes"
        if best is None or len(head) > len(best[2]):
            best = (m.start(), m.end(), head, members)
    if best is None:
        return None, [], ""
    start, end, head, members = best
    family = members[0][:len(head)].strip()
    if " " not in head:  # "just the Sourdough one": every product that names it, "Payment for Sourdough Masterclass" too
        word = r"(?<![\w-])" + re.escape(head) + r"(?:s|es)?(?![\w-])"
        members = [*members, *(p for p in products if p not in members and rx.search(word, str(p), re.I))]
    return family, sorted(members), text[start:end]


#: words after a product cue that are never a product, whatever the catalogue says
#: the things a count names the top of: "which 50 customers", "our 10 accounts", "which 5 pairs of items"
#: a ranking from the low end said with no count: "the worst selling products", "unhappiest customers"
_LOWEST = re.compile(r"\b(?:worst|lowest|(?<!at\s)least(?!\s+(?:one|once|\d))|fewest|smallest|weakest|poorest|unhappiest|"
                     r"bottom(?!\s+line))\b")
#: the high end said as well: the ranking is not from the low end alone ("top 10" is only a count)
_HIGHEST = re.compile(r"\b(?:most|highest|best|biggest|largest|greatest|strongest|happiest)\b")


def lowest_ranked(text: str) -> bool:
    """Whether a question ranks from the low end and only from it, with no count ("the worst selling
    products", "which agents have the lowest satisfaction scores? top 10"): the lowest first."""
    return bool(_LOWEST.search(text)) and not _HIGHEST.search(text)


_RANKED_THINGS = (r"(?:customers?|clients?|accounts?|buyers?|donors?|products?|items?|articles?|skus?|pairs?|pairings?|"
                  r"countries|categories|cities|regions|rules|bundles|members?|subscribers?|users?|shoppers?|add-?ons)\b")

STOP_PHRASES = {"each", "every", "customers", "customer", "the", "this", "that", "what", "which", "them", "it",
                "more", "most", "less", "other", "others", "same", "sale", "sales", "revenue", "orders",
                # words of how or when one buys, never one word of a product's name ("buy over the app" is no
                # Pour-Over Kettle, "bought online" no Online Gift Card)
                "over", "online", "again", "often", "once", "twice", "back", "from", "through", "via", "into", "onto",
                "only", "just", "also", "together", "both", "there", "here", "then", "now", "still", "anything",
                "something", "nothing", "everything", "things", "stuff", "much", "many", "some", "any", "all", "lot"}

_ID_WORD = re.compile(r"(?<![\w-])([A-Za-z]{0,4}[-_#]?\d{2,}[\w-]*)(?![\w-])")


#: words said as a name: capitalised, two to four of them, "&" or "and" between ("Hartley & Finch", "Olivia Bennett")
_NAME_WORDS = re.compile(r"(?<![\w&])[A-Z][\w'’.-]+(?:\s+(?:(?:&|and|of|de|van|von)\s+)?[A-Z][\w'’.-]+){1,3}")


def customer_named(text: str, exists) -> tuple[str | None, str, str | None]:
    """(customer id, words matched, unknown id): a token shaped like an id ("C000123", "#4711",
    "customer 1042") that ``exists(token)`` confirms; an id after "customer"/"client" that the data
    does not have is returned as unknown, so the caller can say so. Else a customer said by name
    ("how much has Hartley & Finch spent"), whose id ``exists(words)`` gives."""
    if exists is not None:
        for m in _NAME_WORDS.finditer(text):
            found = exists(m.group(0))
            if isinstance(found, str):
                return found, m.group(0), None
    for m in _ID_WORD.finditer(text):
        token = m.group(1).lstrip("#")
        before = text[max(0, m.start() - 12):m.start()].lower()
        cued = rx.search(r"\b(?:customer|client|buyer|account|id|cust)\.?\s*(?:id|no|number|#)?\s*$", before)
        if rx.fullmatch(r"(?:19|20)\d{2}|q[1-4]|\d{1,3}", token, re.I) and not cued:
            continue
        if exists is not None and exists(token):
            return token, m.group(0), None
        if cued and rx.fullmatch(r"(?:19|20)\d{2}", token) and not rx.search(r"(?:id|no|number|#)\s*$", before):
            continue  # "profit per customer 2025": the year, no customer the data lacks
        if cued:
            return None, m.group(0), token
    return None, "", None


#: columns said as a clause ("by how they found us", "split by how they pay"): the column's name
COLUMN_CLAUSES = {
    "acquisition_channel": r"(?:how|where)\s+(?:they|customers|people|we|members|clients)\s+(?:first\s+)?(?:found\s+us|"
                           r"came\s+from|come\s+from|heard\s+(?:about|of)\s+us|got\s+to\s+us|found\s+them|were\s+"
                           r"acquired|got\s+them)",
    # "churn by how long they've been with us", "does how long they've been a customer make a difference"
    "tenure": r"how\s+long\s+(?:they|customers|people|members|clients|subscribers)(?:'ve|\s+have|ve)?\s+(?:been|stayed)\s+"
              r"(?:with\s+us|a\s+customer|customers?|subscribed|a\s+member|members?|around)",
    "payment_method": r"how\s+(?:they|customers|people|members|clients)\s+(?:pay|paid)(?:\s+us)?|(?:ways?|means|methods?)\s+of\s+"
                      r"pay(?:ing|ment)|(?:ways?|how)\s+(?:they|people|customers)\s+pay",
    # "split by what trade the companies are in", "by what line of business they're in"
    "industry": r"what\s+(?:trade|line\s+of\s+business|sector|field|business)\s+(?:they(?:'re|\s+are|re)?|the\s+(?:companies|"
                r"accounts|firms|customers)\s+are|it(?:'s|\s+is)|each\s+(?:one|company)\s+is)\s+in",
    # "groups by how old they are", "spend by the type of product", "each type of thing"
    "age": r"how\s+old\s+(?:they|customers|people|clients|members)\s+(?:are|were)",
    "category": r"(?:types?|kinds?|sorts?)\s+of\s+(?:products?|things?|goods|items?|stuff)",
    # "where are my guests coming from", "where do our customers come from": the customers by country
    "country": r"where\s+(?:are|do|did|does|is)\s+(?:my\s+|our\s+|the\s+|all\s+)?(?P<who>customers|people|clients|members|"
               r"buyers|shoppers|visitors|users|students)\s+(?:(?:coming|come|came|comes|based|located|living|live)\s+)?"
               r"(?:from|based|located)",
}


#: the young set against the old, either way round: a breakdown by age
_YOUNG_OLD = re.compile(r"\b(?:younger|young)\b[^.?!]{0,60}?\b(?:than|vs\.?|versus|or|compared\s+(?:to|with)|against)\s+"
                        r"(?:the\s+)?(?:older|old)\b|\b(?:older|old)\b[^.?!]{0,60}?\b(?:than|vs\.?|versus|or|"
                        r"compared\s+(?:to|with)|against)\s+(?:the\s+)?(?:younger|young)\b", re.I)


def column_clauses(text: str, values: dict[str, dict[str, list[str]]]) -> str:
    """``text`` with a column said as a clause (``COLUMN_CLAUSES``) named as the column, when the data
    has it: "lifetime value by where they came from" -> "... by acquisition channel"."""
    held = {c for cols in values.values() for c in cols}
    if "age" in held and "by age" not in text.lower() and _YOUNG_OLD.search(text):
        text = f"{text.rstrip(' ?.!')} by age"  # "are the younger members quitting more than the older ones"
    for column, clause in COLUMN_CLAUSES.items():
        if column in held:  # the people said as the subject stay, broken down by the column
            text = rx.sub(r"\b" + clause + r"\b", lambda m, c=column: (f"{m['who']} by " if "who" in m.groupdict() else "")
                          + c.replace("_", " "), text, flags=re.I)
    return text


_EACH_OF = re.compile(r"\beach\s+of\s+(?:the\s+|our\s+|my\s+|these\s+|those\s+)(?:(?:\d+|two|three|four|five|six|seven|"
                     r"eight|nine|ten|twelve)\s+)?(?P<noun>[a-z]+?)(?P<plural>ies|(?<=ch)es|(?<=sh)es|(?<=ss)es|(?<=x)es|s)?\b",
                     re.I)


def each_of_them(text: str) -> str:
    """"for each of the three locations", "across each of our cafes": each location, as "by location" reads."""
    return _EACH_OF.sub(lambda m: f"each {m['noun']}{'y' if (m['plural'] or '').lower() == 'ies' else ''}", text)


def after_as_by(text: str, values: dict[str, dict[str, list[str]]]) -> str:
    """"sales of 2024 after country", "churn rate after contract type", "segments after age group":
    "after" before a breakdown (a built-in one but customer and period, or a column of the data) is
    "by", as German "nach" says it; "after March", "after the first order" stay."""
    if "after" not in text.lower():
        return text
    names = [p for d, p in DIMENSIONS.items() if d not in ("customer", "period")] + \
        [column_pattern(c) for c in {c for cols in values.values() for c in cols}
         if len([ch for ch in c if ch.isalnum()]) > 2]  # "***" would be an empty pattern: any word
    return rx.sub(r"\bafter(?=\s+(?:the\s+)?(?:" + "|".join(names) + r")s?\b)", "by", text, flags=re.I)


#: a sentence after a question that only tells a story ("? a lovely lady from Berlin keeps ordering",
#: "? I might put some near the till", "? my sister reckons it's about 40"): its words are no scope
_ASIDE = re.compile(
    r"\?\s+(?=(?:a|an|she|he|they|it|it's|its|that's|there's|bless|lol|haha|thanks|thank\s+you|cheers|"
    r"(?:my|our)\s+(?:sister|brother|husband|wife|nephew|niece|accountant|boss|mum|mom|dad|friend|partner|daughter|son|"
    r"bank|bookkeeper|manager)|i\s+(?:think|feel|felt|reckon|guess|was|might|may|wonder|keep|kept|don't|didn't|know|"
    r"have\s+a|suspect|heard|remember)|i'm\s+(?:trying|thinking|curious|not\s+sure|wondering|planning|worried|just)|"
    r"just\s+(?:wondering|curious)|trying|thinking|wondering)\b)", re.I)


#: words of a sentence: a question without any is keywords stacked as in a search box
_SENTENCE_WORDS = frozenset("""what whats what's how which who whom is are was were do does did show give tell list me
the of for in on with by per please can could would i we our my you your a an to from at and or than that this these
those it its they them their have has had be been get got make want need among amongst only just without where
who not no all any each every between than over under after before since during across within into about like as
but if so very more less most least among is""".split())


def keyword_query(text: str) -> bool:
    """Whether ``text`` is a few nouns stacked as in a search box ("churn payment method", "revenue
    country:france 2023..2024"): two to seven words, none of a sentence's (``_SENTENCE_WORDS``)."""
    words = rx.findall(r"[a-z][\w'-]*", text.lower())
    return 2 <= len(words) <= 7 and not _SENTENCE_WORDS.intersection(words) and "=" not in text


def without_aside(text: str) -> str:
    """``text`` less a story told after its question (``_ASIDE``)."""
    m = _ASIDE.search(text)
    return text[:m.start() + 1] if m else text


#: a measure set aside in the question: "(the sales number, not the margin one)"
#: what one purchase is called: an order, a deal, a basket...
_ONE_PURCHASE = r"(?:orders?|deals?|purchases?|transactions?|baskets?|carts?|tickets?|checks?|invoices?|receipts?|sales?|payments?|charges?)"
#: "median order value", "the typical deal size", "median spend per order": the median of the orders' values
_MEDIAN_ORDER = re.compile(
    r"\b(?:median|typical|middle)\s+(?:(?:single|one)\s+)?" + _ONE_PURCHASE + r"(?:\s+(?:values?|sizes?|amounts?|worth|totals?|"
    r"\$|dollars?))?\b(?!-)(?!\s+(?:count|number|frequency|gaps?|intervals?|lines?|items?|units?|days?|time|quantity|per\s+"
    r"(?:customer|client|account|buyer|month|year|week|day))\b)|"
    r"\bmedian\s+(?:spend|spending|amount|value|revenue|sales|\$)\s+(?:per|an?|each)\s+" + _ONE_PURCHASE + r"\b")
#: "median spend per customer", "the median customer's revenue", "median customer value": each customer's revenue
_MEDIAN_CUSTOMER = re.compile(
    r"\bmedian\s+(?:(?:total|lifetime|annual|yearly)\s+)?(?:spend|spending|revenue|sales|value|amount|\$)\s+"
    r"(?:per|of\s+an?|of\s+each|by\s+an?|an?|each)\s+(?:customer|client|buyer|account|member|shopper)\b|"
    r"\bmedian\s+(?:customer|client|buyer|account|member|shopper)(?:'?s)?\s+(?:(?:total|lifetime|annual)\s+)?"
    r"(?:spend|spending|revenue|sales|value|worth)\b")
#: "our biggest order ever", "the 10 largest deals", "smallest single purchase": orders listed by their value
_EXTREME_ORDERS = re.compile(
    r"\b(?P<word>biggest|largest|highest[- ]value|most\s+expensive|priciest|smallest|lowest[- ]value|cheapest|tiniest)"
    r"\s+(?:\d+\s+)?(?:(?:single|individual|one)\s+)?(?P<what>orders?|deals?|purchases?|transactions?|baskets?|carts?|payments?|charges?|"
    r"invoices?|receipts?|sale)\b"
    r"(?!\s+(?:values?|sizes?|amounts?|volumes?|counts?|numbers?|growth|months?|days?|weeks?|years?|quarters?|"
    r"channels?|regions?|countr(?:y|ies)|by|per|in\s+each|for\s+each)\b)|"
    r"\btop\s+(?:\d+\s+)?(?:(?:single|individual)\s+)?(?P<top>orders?|deals?|purchases?|transactions?|baskets?|invoices?)"
    r"(?:\s+by\s+(?:value|size|amount|revenue|\$))?(?=\s*(?:$|[?.!,;:]|ever|of\b|in\b|this\b|last\b|from\b|since\b|so\b|"
    r"we\b|by\s+(?:value|size|amount|revenue|\$)))")


def value_stat(text: str, dims: list[str]) -> dict[str, Any]:
    """The slots of a question about how single purchases' (or customers') values spread: "median
    order value" (metric aov, stat median), "median spend per customer" (revenue per customer, median),
    "our biggest order ever", "the 10 largest deals" (each order's revenue, the largest: stat max,
    spent_by order), "the smallest purchases" (min). A ranking of groups ("the highest order value by
    country", "which accounts have the largest deal amount") is no such question."""
    m = _MEDIAN_ORDER.search(text)
    # "how many items does a typical order have": its units; "typical ... like the average spend": the mean said
    if m and not rx.search(r"\bhow\s+many\b|\bnumber\s+of\b", text) and not (
            m.group(0).startswith(("typical", "middle")) and rx.search(r"\b(?:average|avg|mean)\b", text)):
        return {"metric": "aov", "stat": "median"}
    if _MEDIAN_CUSTOMER.search(text):
        return {"metric": "revenue", "stat": "median"}
    m = _EXTREME_ORDERS.search(text)
    if m and not dims:
        low = rx.match(r"smallest|lowest|cheapest|tiniest", m.group("word") or "")
        return {"metric": "revenue", "stat": "min" if low else "max", "spent_by": "order"}
    return {}


_NOT_MEASURE = (r"\b(?:not|without|rather\s+than|instead\s+of)\s+(?:the\s+|a\s+|any\s+)?(?:margins?|profits?|revenue|"
                r"sales|orders?|units|money|amounts?|spend|dollars)\b")


def extract(question: str, values: dict[str, dict[str, list[str]]] | None = None,
            end: dt.date | None = None, customers=None,
            nicknames: dict[str, list[str]] | None = None) -> tuple[dict[str, Any], list[str]]:
    """All slots found in ``question`` and the words they consumed (the router does not count those
    against an analysis). ``customers(token)`` says whether the data has that customer id;
    ``nicknames`` are a company's names for sets of values ("DACH": its countries)."""
    values = values or {}
    text = without_aside(after_as_by(column_clauses(each_of_them(clean(question, values_kept_whole(question, values))),
                                                    values), values))
    slots: dict[str, Any] = {}
    used: list[str] = []
    conflicts: list[str] = []
    contrasted_products = False
    customer, words, unknown_id = customer_named(text, customers)
    if customer:
        slots["customer"] = customer
    if unknown_id:
        slots["unknown_customer"] = unknown_id
    if words:
        used.append(words)
        text = text.replace(words, " ")
    t = text.lower()
    # the products of the sales lines, else of a basket file (whose items are never filters)
    products = values.get("transactions", {}).get("product") or values.get("baskets", {}).get("product", [])
    # a saved label that is a value of another column (a segmentation by industry saves "Healthcare") is that
    # column's value, a filter every analysis applies, unless said as the segment ("the Healthcare segment")
    labels = values.get("customers", {}).get("segment", [])
    if labels:
        held = {str(v).lower() for cols in values.values() for c, vs in cols.items() if c != "segment" for v in vs or ()}
        labels = [v for v in labels if str(v).lower() not in held or rx.search(
            r"(?<![\w-])" + re.escape(str(v).lower()) + r"\s+(?:segments?|groups?|clusters?)\b|\b(?:segments?|groups?|"
            r"clusters?)\s*[:=]?\s*(?:the\s+)?" + re.escape(str(v).lower()) + r"(?![\w-])", text.lower())]
    # two labels named ("enterprise vs smb"): the segment column's values set side by side, read as values
    several = len(labels_named(t, labels)) > 1
    rest = {role: {c: v for c, v in cols.items() if not (role in ("transactions", "feedback") and c == "product") and
                   not (role == "customers" and c == "segment" and not several)}
            for role, cols in values.items() if role != "baskets"}
    aside, segment, words = segments_set_aside(t, labels)
    if aside:  # "I meant the at risk group, not champions": the one not meant is no segment
        used.append(aside)
        t = t.replace(aside, " ")
    if not segment:
        segment, words = segment_named(t, [] if several else labels)
    if segment and values and not labels and "transactions" not in values:
        segment = None  # no purchases, no saved labels: no RFM segment ("who's at risk next" on a churn table)
    others = "|".join(p for p, n in RFM_SEGMENTS.items() if n != segment)
    contrasted_segments = bool(segment and not labels and rx.search(
        r"(?:" + re.escape(words) + r")\s+(?:vs\.?|versus|against|compared\s+(?:to|with)|or)\s+(?:the\s+)?(?:" + others
        + r")\b|\b(?:" + others + r")\s+(?:vs\.?|versus|against|compared\s+(?:to|with)|or)\s+(?:the\s+)?(?:" + re.escape(words)
        + r")", t))
    if contrasted_segments:  # "segment profitability champs vs at risk": the RFM segments side by side
        used.append(words)
        t = t.replace(words, " ")
        segment = None
    if segment:
        slots["segment"] = segment
        # "revenue for the champions", "sales of the at risk group": the segment scopes a measure
        if rx.search(r"\b(?:for|of|from|among|in|by)\s+(?:the\s+|our\s+|my\s+|those\s+)?$", t[:t.find(words)]):
            slots["segment_scopes"] = True
        used.append(words)
        t = t.replace(words, " ")
    named = products_named(t, products)
    product_words = [w for _, w in named]
    if named:  # the first named is the basket's ("is yogurt bought with tropical fruit": yogurt)
        slots["product"] = named[0][0]
        if len(named) > 1:  # "csat for the yoga mat vs the camping tent": both, as a filter
            slots["products"] = [p for p, _ in named]
            if contrasted_columns(t, {"product": [w for _, w in named]}, {}):
                contrasted_products = True
        for _, words in named:
            used.append(words)
            t = t.replace(words, " ")
    elif values.get("transactions", {}).get("product"):
        # "how many Leila Pullover did we sell": every variant of the product named by its leading words
        others = frozenset(str(v).lower() for cols in rest.values() for vs in cols.values() for v in vs)
        family, members, words = product_family(text, products, others)
        if not family:  # "only mugs": the products whose names say the word
            family, members, words = products_of_word(text, products, others)
        if family:
            slots["product"], slots["products"] = family, members
            named = [(family, words)]
            product_words = [words]
            used.append(words)
            t = rx.sub(r"(?<!\w)" + re.escape(words.lower()) + r"(?!\w)", " ", t)
    cased = text  # the question as written, less what was read so far: codes count by their case
    for words in used:
        cased = rx.sub(r"(?<!\w)" + re.escape(words) + r"(?!\w)", " ", cased, flags=re.I)
    said_at: dict[str, list[int]] = {}
    filters, words, misses = read_values(cased, rest, nicknames, said_at)
    stars, said = stars_named(t) if "feedback" in values else ([], "")
    if stars:  # "only 1 and 2 star reviews": a filter on the feedback's score
        filters["score"] = stars
        used.append(said)
        t = t.replace(said, " ", 1)
    cycle, said = cycle_scope(t) if "transactions" in values or not values else ({}, "")
    if cycle:  # "top 5 items on weekends", "sales on Saturdays": the lines whose date falls there
        filters.update(cycle)
        used.append(said)
        t = t.replace(said, " ", 1)
    contrasted = contrasted_columns(t, filters, rest, words)
    for column in contrasted:  # "b2b vs b2c", "app vs web": a breakdown by the column, not a filter on both
        if len(values_of(rest, column, filters[column])) <= FEW_VALUES:
            filters.pop(column)
    for column in [] if contrasted else set_against_the_rest(cased, filters, said_at):
        filters.pop(column)  # "email vs the rest": email against the other channels
        contrasted.append(column)
    for column in [c for c, vs in filters.items() if len(vs) >= 2 and c not in contrasted]:
        # "break the takings down by app, store and web", "store vs online (web + app)": every value of
        # the column named restricts nothing; the person listed them to see each, a breakdown by it
        held = {v.lower() for v in values_of(rest, column, filters[column])}
        if held and held <= {str(v).lower() for v in filters[column]}:
            filters.pop(column)
            contrasted.append(column)
    for column in [c for c, vs in filters.items() if listed_as_examples(cased, said_at.get(c, []), len(vs))]:
        # "where do our sales come from - socials, referrals, google ads etc", "by how people found us, like
        # social vs search vs referral": the values are examples of the column's rows, a breakdown by it
        by = _holding_column(rest, column, filters.pop(column), t)
        contrasted = [c for c in contrasted if c != column] + [by]
    if filters:
        slots["filters"] = filters
    for said, w in zip(words, group_column_words(t, words, filters)):
        # the column's name said with its value makes no breakdown; the router still reads it ("how much did
        # the Pet category bring in": the sales of a category), unless it names a kind of customer group
        # ("sales for the Corporate segment" is no segmentation)
        used.append(w if w == said or GROUP_COLUMN.search(w.lower()) else said)
        t = rx.sub(r"(?<!\w)" + re.escape(w.lower()) + r"(?!\w)", " ", t)
    if misses:
        slots["unknown_values"] = misses
    t = period_words(t)  # "the third quarter of 2024": as ``period`` reads it, so its words can be taken out
    compared, words = comparison(t, end)
    if compared:
        slots["compare"] = compared
        for w in words.split("|"):
            used.append(w)
            t = t.replace(w, " ", 1)
        t = COMPARE.sub(" ", t)
    start, stop, words = (None, None, "") if compared else period(t, end)
    if words:
        slots["start"], slots["end"] = start, stop
        used.append(words)
        t = t.replace(words, " ")
        yearless = yearless_said(words, start, stop)
        if yearless:
            slots["period_read"] = yearless
    ambiguous = None if words and rx.search(r"\d[/.]\d", words) else day_ambiguous(t)
    if ambiguous:  # "on 7/12": 7 December or 12 July, not guessed
        slots["period_unread"] = ambiguous
        if start and stop and start > stop:
            conflicts.append(f"the period starts ({start}) after it ends ({stop})")
    product, words = (None, "") if named or not products else product_named(t, products)
    if product and "product" not in slots:
        slots["product"] = product
        used.append(words)
        t = t.replace(words, " ")
    fraction, words = share(t)  # "the top 10% of customers": a share, not top=10
    if fraction is not None:
        slots["share"] = fraction
        used.append(words)
        t = t.replace(words, " ")
    tops = [(m.group(0), _int(m.group(1))) for m in
            rx.finditer(r"\b(?:top|best|biggest|largest|first)(?:\s+|\s*[=:]\s*)" + _NUM + r"\b", t)] + \
           [(m.group(0), _int(m.group(1))) for m in rx.finditer(r"\b" + _NUM + r"\s+(?:best|top|biggest|largest|most|"
                                                                 r"strongest|highest|greatest)\b", t)] + \
           [(m.group(0), _int(m.group(1))) for m in rx.finditer(  # "which ten products sold most", "the 50 customers most likely"
               r"\b(?:which|the)\s+" + _NUM + r"\s+(?:[\w-]+\s+){1,5}?(?:most|highest|best|biggest|largest|at\s+least)\b", t)]
    bottoms = [(m.group(0), _int(m.group(1) or m.group(2))) for m in rx.finditer(
        # "at least one open complaint" is a condition, no count of the lowest
        r"\b(?:bottom|worst|lowest|(?<!at )least|fewest|smallest|weakest)(?:\s+|\s*[=:]\s*)" + _NUM + r"\b|\b" + _NUM +
        r"\s+(?:worst|lowest|least|fewest|smallest|bottom|weakest)\b", t)] + \
        [(m.group(0), _int(m.group(1))) for m in rx.finditer(  # "the 2 products least sold", "which 5 sell least"
            r"\b(?:which|the)\s+" + _NUM + r"\s+(?:[\w-]+\s+){1,3}?(?<!at\s)(?:least|lowest|worst|fewest)\b", t)]
    if bottoms and not tops:  # "my 3 worst selling products", "10 least profitable", "bottom 20": the lowest first
        tops, slots["bottom"] = bottoms, True
    elif lowest_ranked(t):  # "what are the worst selling products", "which agents score lowest? top 10"
        slots["bottom"] = True
    if not tops:  # "10 accounts with the highest lifetime value", "best selling 3 products", "recommend 3 products"
        tops = [(n.group(0), _int(n.group(1))) for m in rx.finditer(
            r"\b" + _NUM + r"\s+(?:[\w-]+\s+)?" + _RANKED_THINGS + r"(?=\s+(?:with|by)\s+the\s+(?:highest|most|biggest|largest|"
            r"best)\b)|\b(?:best[- ]selling|recommend|suggest)\s+" + _NUM + r"(?=\s+(?:[\w-]+\s+)?" + _RANKED_THINGS + ")", t)
            for n in [rx.search(r"\b" + _NUM + r"\b", m.group(0))]][:1]  # the count's words only: the rest still routes
    if not tops:  # "most loyal 25 custs", "which 50 customers", "our 10 accounts": a count of the things ranked
        tops = [(m.group("said"), _int(m.group(1))) for m in rx.finditer(  # the count's words: "loyal" still routes
            r"\b(?:(?:most|least)\s+[\w-]+|which|our|my|the)\s+(?P<said>" + _NUM + r")\s+(?:[\w-]+\s+)?" + _RANKED_THINGS, t)][:1]
    if tops and fraction is None and share_of_top(text) == tops[0][1]:
        slots["share_top"] = tops[0][1]  # "what share of revenue comes from the top 10 customers": their share
    if tops:
        slots["top"] = tops[0][1]
        used += [w for w, _ in tops]
        if len({n for _, n in tops}) > 1:
            conflicts.append("top " + " and top ".join(str(n) for n in dict.fromkeys(n for _, n in tops)))
    ks = [(m.group(0), _int(m.group(1))) for m in
          rx.finditer(r"\b" + _NUM + r"\s+(?:\w+\s+){0,2}?(?:segments?|clusters?|groups?|personas?|audiences?|tiers?|buckets?|"
                      r"bands|types|kinds|sorts|profiles)\b", t)] + \
         [(m.group(0), _int(m.group(1))) for m in  # "into segments, four say", "clusters (5)"
          rx.finditer(r"\b(?:segments?|clusters?|groups?|personas?|types|kinds)\s*[-\u2013\u2014,:(]+\s*(?:about|around|roughly|maybe|"
                      r"say|perhaps)?\s*" + _NUM + r"\b(?!\s*(?:%|per\s*cent|percent|days?|weeks?|months?|years?|customers?)\b)",
                      t)] + \
         [(m.group(0), _int(m.group(1))) for m in  # "cluster my customers into 5"
          rx.finditer(r"\b(?:cluster|segment|split|group|divide|break|tier|band|bucket|sort)\w*\b[^.?!%]{0,40}?\binto\s+" + _NUM +
                      r"\b(?!\s*(?:%|per\s*cent|percent|days?|weeks?|months?|quarters?|years?|segments?|clusters?|groups?|"
                      r"personas?|audiences?|tiers?|buckets?)\b)", t)] + \
         [(m.group(0), int(m.group(1))) for m in rx.finditer(r"\bk\s*=\s*(\d+)\b", t)] + \
         [(m.group(0), 2) for m in rx.finditer(  # "a couple of buyer personas"
             r"\ba\s+couple\s+(?:of\s+)?(?:\w+\s+)?(?:segments|clusters|groups|personas|audiences|tiers|types|kinds)\b", t)] + \
         [(m.group(0), int(m.group(1))) for m in rx.finditer(  # "crm personas x4"
             r"\b(?:segments|clusters|groups|personas)\s+x\s?(\d{1,2})\b", t)] + \
         [(m.group("said"), _int(m.group(2))) for m in rx.finditer(  # "personas for the accounts, 4 max", "segments, 4 of em"
             r"\b(?:segment|cluster|group|persona|audience|tier|bucket)s?\b[^.?!%]{0,40}?[,;(-]\s*(?P<said>(?:at\s+most\s+|"
             r"max\.?\s+|no\s+more\s+than\s+)?" + _NUM + r"\s*(?:max\b|tops\b|at\s+most\b|of\s+(?:em|them)\b|or\s+so\b|"
             r"\)|$))", t)]
    if not ks and keyword_query(question):  # "clusters 6 country:germany", "kmeans 3 cd buyers", "icp profiles x4"
        ks = [(m.group(0), int(m.group(1))) for m in rx.finditer(
            r"\b(?:segments?|clusters?|groups?|personas?|profiles?|k-?means|tiers?)\b(?:\s+[a-z][\w-]*){0,2}?\s+x?(\d{1,2})\b"
            r"(?!\s*(?:%|days?|weeks?|months?|mo|years?))", t)]
    if ks:
        slots["k"] = ks[0][1]
        used += [w for w, _ in ks]
        if len({n for _, n in ks}) > 1:
            conflicts.append(" and ".join(f"{n} segments" for n in dict.fromkeys(n for _, n in ks)))
    cycles = []  # "sales by day of the week": the weekday breakdown, whose words are no daily or weekly grain
    for name, pattern in CYCLE_WORDS.items():
        for m in rx.finditer(r"\b(?:" + pattern + r")\b", t):
            cycles.append((m.start(), name))
            used.append(m.group(0))
            t = t[:m.start()] + " " * (m.end() - m.start()) + t[m.end():]
    # "over a whole year", "for a full month": a length of time, neither a grain nor a breakdown
    t = rx.sub(r"\b(?:an?|one)\s+(?:whole|full|entire)\s+(?:day|week|month|quarter|year)\b", " ", t)
    t = _NOT_GRAIN.sub(" ", t)  # "by quarter rather than by month": not by month
    # a column named with a grain ("monthly charges") is neither a grain nor a metric ("charges"), but may be
    # a breakdown ("the relationship between monthly charges and churn"): its words are out of these two
    timed = t
    for column in {c for cols in values.values() for c in cols if "_" in c}:
        words = column.replace("_", " ")
        if rx.search(r"(?:daily|weekly|monthly|quarterly|yearly|annual)\b", words):
            timed = rx.sub(r"\b" + re.escape(words) + r"\b", " ", timed)
    said = [g for g, pattern in EXPLICIT_GRAINS.items() if rx.search(r"\b(?:" + pattern + r")\b", timed)]
    if len(said) > 1:
        conflicts.append(" and ".join(f"by {g}" for g in said))
    for grain, pattern in GRAINS.items():
        if said and grain != said[0]:
            continue
        if said:  # "monthly cohorts ... by months since first order": said outright
            slots["grain"] = grain
            break
        # "last 6 months", "inactive for 90 days", "next year", "days between orders": no grain
        # "how many days before they order again": days counted, no grain
        if rx.search(r"\b(?:" + pattern + r")\b", timed) and not rx.search(
                r"\b(?:(?:last|past|previous|next|nxt|coming)\s+\S*|" + _NUM + r"|(?:how many|number of|average|avg|mean|"
                r"median|typical)(?:\s+\w+)?)[\s-]*(?:" + grain + r"s?|" + _UNIT_SHORT[grain] + r")\b|\b" + grain
                + r"s?\s+(?:between|since|after|before|until|from)\b", timed):
            slots["grain"] = grain
            break
    # a column of the data named as the breakdown is no metric: "revenue by deal size" (a DEALSIZE
    # column) asks revenue, not the average deal size
    measured = timed
    for start, _col, width in attribute_dimensions(timed, values):
        # "how many deals did each sales agent win", "deals won by each sales agent": sales_agent, no revenue
        if rx.search(r"\b(?:by|per|across|(?:for |in )?each|every|split by|broken down by)\s+(?:the\s+|each\s+|every\s+)?$",
                     t[:start]):
            measured = measured[:start] + " " * width + measured[start + width:]
    # "orders by sales channel status": a text column named whole is no metric either
    named_columns = {c for cols in (values or {}).values() for c, vs in cols.items() if vs and "_" in c}
    for start, end, col in column_mentions(measured, named_columns):
        if rx.sub(r"[\W_]", "", measured[start:end]).startswith(col.replace("_", "")):  # said whole, not "deal" alone
            measured = measured[:start] + " " * (end - start) + measured[end:]
    # "profit, i mean total revenue", "by profit i mean the sales": the measure said after "i mean";
    # "(the sales number, not the margin one)": not the one said after "not"
    meant_tail = rx.search(r"\b(?:i\s+mean|i\s+meant|meaning|by\s+that\s+i\s+mean)\b(.*)$", measured) or rx.search(
        r"(?:^|[(;:-])\s*([^();:]*?)" + _NOT_MEASURE, measured)
    measured = rx.sub(_NOT_MEASURE + r"(?:\s+(?:one|number|figure))?\b", " ", measured)
    measured = rx.sub(r"\s+", " ", measured)  # "number of B2B customers": the value's blank is no word
    candidates = list(METRICS.items())
    if meant_tail:
        candidates = [(m, p) for m, p in candidates if rx.search(r"\b(?:" + p + r")(?!\w)", meant_tail.group(1))] + candidates
    for metric, pattern in candidates:
        if rx.search(r"\b(?:" + pattern + r")(?!\w)", measured):  # not \b: "average order $" ends in a sign
            slots["metric"] = metric
            break
    else:
        # "the most closed-won $$", "closed won $ by quarter", "$ per month": a currency sign said alone
        if rx.search(r"[$\u20ac\u00a3]{2}|(?<![\w$\u20ac\u00a3])[$\u20ac\u00a3](?![\w$\u20ac\u00a3.,])", t):
            slots["metric"] = "revenue"
        elif cycles and rx.search(r"\b(?:busiest|busier|quietest|quieter|slowest)\b", t):
            slots["metric"] = "orders"  # "the busiest day of the week", "our quietest hour": by orders
    if rx.search(r"\bthan\s+(?:in\s+|for\s+|with\s+|among\s+)?(?:the\s+)?others?\b", t):
        # "is churn worse in some countries than others": a breakdown by country
        t = rx.sub(r"\b(?:some|certain)\s+(?:of\s+(?:the|our|my)\s+)?(?=[a-z])", "by ", t)  # "in some of the regions"
    loose_customer = False
    named = attribute_dimensions(t, values)
    dims = [(start, col) for start, col, _ in named] + list({n: (at, n) for at, n in reversed(cycles)}.values())
    for start, col, width in named:  # "by acquisition channel" is that column, not also the channel dimension
        # "revenue by segment" (a column of the data): a breakdown, so its words do not route the question
        cue = rx.search(r"\b(?:by|per|across|for each|split by|broken down by|add)\s+(?:the\s+)?$", t[:start])
        if cue:
            used.append(t[cue.start():start + width].strip())
        t = t[:start] + " " * width + t[start + width:]
    for dim, pattern in DIMENSIONS.items():
        for m in rx.finditer(r"\b(?:" + pattern + r")\b", t):
            before = t[max(0, m.start() - 25):m.start()]
            after = t[m.end():m.end() + 20]
            if dim == "customer" and any(at == m.end() + 1 for at, _, _ in named):
                continue  # "by customer industry": the customers' industry, one breakdown
            if rx.match(r"\s+(?:distribution|breakdown|mix|split|ranking|share|frequenc(?:y|ies))\b", after) or \
                    rx.fullmatch(r"(?:best|top)(?:[- ]?|\s+\d+\s+)sellers?", m.group(0)) or \
                    rx.search(r"\bmost\s+(?:common|popular|frequent|frequently\s+bought|bought)\s+$", before) and \
                    not rx.match(r"\s+(?!(?:in|on|at|for|from|of|by|this|last|that|we|you|people|do|does|did|are|were|is|"
                                 r"and|or|with|among|across|over|during|per)\b)[a-z]", after):  # not "most common customer paths"
                dims.append((m.start(), dim))  # "top sellers", "the most common stuff": a ranking of them
                break
            grouping = rx.search(r"\b(by|per|each|every|across|top|best|worst|lowest|bottom|least|which|split|breakdown|"
                                 r"biggest|largest|smallest|highest|"
                                 r"distribution|and|x|"
                                 r"over|\d+)\s+(?:\w+\s+)?$|"
                                 # "across the three sales channels", "by all our regions"
                                 r"\b(?:by|per|across)\s+(?:(?:the|our|all|its|their|these|those)\s+){1,2}(?:(?:two|three|four|"
                                 r"five|six|seven|eight|nine|ten|\d+)\s+)?(?:\w+\s+)?$|\b(?:top|best|worst|bottom|\d+)\s+(?:\w+\s+){2}$|"
                                 r"\b(?:most|least)\s+(?!of\b)[a-z]+\s+$|(?<!\ba\s)\b(?:different|various|respective)\s+$|"
                                 # "which of our products sells more"
                                 r"\b(?:which|what)\s+(?:one\s+)?of\s+(?:our|the|my|these|those|all)\s+$", before) \
                or _LISTED_AFTER_BY.search(t[max(0, m.start() - 60):m.start()]) \
                or rx.search(r"\bwhat\s+$", before) and rx.search(  # "what items turn up most", "what stuff sells best"
                    r"\b(?:most|best|least|worst|highest|lowest|biggest)\b", t[m.end():m.end() + 40])
            if not grouping and dim in _LISTED and m.group(0).endswith("s") and rx.match(
                    r"\s*(?:$|[,.;:!?]|(?:again|please|pls|too|only|instead|in|for|from|during|last|this|and|by)\b)",
                    after) and rx.search(
                    r"\b(?:show|list|see|view|give)\s+(?:me\s+|us\s+)?(?:all\s+)?(?:(?:the|our|my)\s+)?(?:[a-z]+\s+)?$", before):
                dims.append((m.start(), dim))  # "show me the countries", "list our categories": one row each
                break
            if not grouping and dim in _LISTED and m.group(0).endswith("s") and rx.match(
                    r"\s+(?:by|per|in\s+each|for\s+each|in\s+every|for\s+every|across|split\s+by|"
                    r"broken\s+down\s+by)\b", after) and rx.fullmatch(
                    r"\s*(?:(?:could|can|would)\s+you\s+|please\s+)?(?:(?:show|list|see|give|sort|rank|order)\s+"
                    r"(?:me\s+|us\s+)?)?(?:(?:all|the|our|my)\s+)*", before):
                dims.append((m.start(), dim))  # "products by country", "sort the products by turnover": one row each
                break
            if dim in (*_LISTED, "customer") and (m.group(0).endswith("s") and _RANKED_ON.match(t, m.end()) or rx.search(
                    r"\b(?:un|non-?)profitable\s+$", before)) or dim in _LISTED and rx.match(r"\s+(?:profitability|margins)\b",
                                                                                         after) or \
                    dim == "period" and rx.fullmatch(r"over\s+time", m.group(0)) and "grain" not in slots and \
                    not rx.search(r"\b(?:worth|lifetime)\b", t[:m.start()]):
                # "the hero products by revenue", "the ten largest customers by turnover", "rank the categories on
                # gross profit": one row each, ranked by the measure; "has it changed over time": by period
                dims.append((m.start(), dim))
                break
            if dim == "segment" and (not values or not rx.search(r"\b(?:by|per|each|every|across|which|what)\s+(?:\w+\s+)?$",
                                                               before)):
                continue  # "into 3 segments", "top 3 segments": how many; no data (the router's examples): no segments
            if dim == "period" and ("grain" in slots or grouping and not (grouping.group(1) or "0").isdecimal()) or \
                    grouping and dim not in ("customer", "period") or \
                    dim == "customer" and rx.search(r"\b(top|best|biggest|by|per|each|every|which|list|\d+)\s+"
                                                    r"(?:(?:most|least|highest|lowest)\s+[\w-]+\s+)?$|"
                                                    # "the most profitable customers", "our least loyal clients"
                                                    r"\b(?:most|least)\s+(?:profitable|valuable|loyal|lucrative|"
                                                    r"engaged)\s+$|"
                                                    # "top 10 cd customers", "the 20 trade accounts": a word between
                                                    r"\b(?:top|best|biggest|largest)\s+\d+\s+[a-z][\w-]*\s+$", before) \
                    and not rx.match(r"\s+(?:groups?|segments?|base|lifetime|journey|profiles?|personas?|types?|how\s+many|"
                                     # "by customer country": the customers' country, one breakdown
                                     r"countr(?:y|ies)|regions?|cit(?:y|ies)|states?|locations?)\b", after):
                if dim == "customer" and rx.search(r"\b(?:average|avg|mean|typical)\s+(?:[a-z]+\s+){0,3}per\s+$", before):
                    continue  # "the average spend per customer": one figure (revenue per customer), no ranking
                if dim == "customer" and not rx.search(r"\b(?:top|by|each|every|\d+)\s+(?:\w+\s+)?$", before):
                    loose_customer = True  # "which accounts ...", "the best customers", "profit per customer"
                dims.append((m.start(), dim))
                break
    # "what's my best seller", "what sold best in kitchen", "what did we sell most of": a ranking of products
    best_seller = rx.search(r"\bbest[- ]?sell(?:er|ers|ing)\b|\bwhat\s+(?:\w+\s+){0,2}?(?:sold|sells?|moved|shifted)\s+"
                            r"(?:the\s+)?(?:best|most)\b", t)
    if best_seller and "product" not in {d for _, d in dims}:
        dims.append((best_seller.start(), "product"))
    said_by = {d for _, d in dims}  # the breakdowns said in words ("churn by acquisition channel")
    dims += [(-1, c) for c in contrasted + ["product"] * contrasted_products + ["segment"] * contrasted_segments
             if c not in said_by]
    if not dims and values and keyword_query(question):
        # "churn payment method", "sales acquisition channel 2024", "avg monthly charges internet service": a search
        # box's nouns stacked without "by"; a column of the data named there is its breakdown
        attributes = {c for role, cols in values.items() if role != "baskets" for c in cols} - set(DIMENSIONS) - \
            set(slots.get("filters") or {})
        dims = [(at, col) for at, _, col in column_mentions(t, attributes)]
    if loose_customer and len(dims) > 1:  # "segments by acquisition channel - which gives the best customers":
        dims = [d for d in dims if d[1] != "customer"]  # the customers said in passing, not a second breakdown
    # "CLV by acquisition channel - which channel ...": the one column said again, not also the sales channel
    dims = [(at, d) for at, d in dims if not any(o != d and o.endswith("_" + d) and 0 <= o_at < at for o_at, o in dims)]
    if dims:
        slots["by"] = [d for _, d in sorted(dims)]
        if "country" in slots["by"] and values and not any("country" in cols for cols in values.values()):
            held = list(_value_index(values).countries)  # "by country" on a Geography column of countries
            if len(held) == 1:
                slots["by"] = [held[0] if d == "country" else d for d in slots["by"]]
        # "product distribution by country": the word for a breakdown goes with it (it says no analysis)
        used += rx.findall(r"\b(?:distribution|distributed|breakdown)\b", t)
        # "churn by payment method - is electronic check that bad?": the values of a column broken
        # down by are examples of its rows, not a filter
        def scoped(said: str, at: int) -> bool:  # "by country in France", "by category, kitchen + coffee only"
            return bool(rx.search(r"\b(?:in|for|from|only|just|within|to|at|on|among|of)\s+(?:the\s+|our\s+)?$|"
                                  # "where category in ('Coffee','Kitchen')", "where channel = 'app'"
                                  r"\bin\s*\(\s*(?:['\"]?[\w\s&-]+['\"]?\s*,\s*)*['\"]?$|[=:]\s*['\"]?$", said[:at])
                        or rx.match(r"[^.,;:!?]*?\b(?:only|alone)\b|[\w ]+?\s*(?:==?|\bin\s*\()", said[at:]))

        # the column broken down by, or one that holds its kind ("funnel by channel (email, social etc)":
        # the acquisition channel's values as examples of the channels)
        for column in [c for c in slots.get("filters", {}) if any(c == b or c.endswith("_" + b) for b in slots["by"])]:
            # "app vs web": both; "revenue by region, europe vs asia": every region, the breakdown said
            if (column not in contrasted or column in said_by) and not any(
                    scoped(cased, at) for at in said_at.get(column, []) if at >= 0):
                slots["filters"].pop(column)
        every = len(slots.get("products") or ()) > 1 and \
            {str(p).lower() for p in slots["products"]} >= {str(p).lower() for p in products}
        if "product" in slots["by"] and (contrasted_products and "product" in said_by or every):
            # "which product brings in the most, Platform or the Add-on?", "amount per product: Platform, Add-on, Support
            # Plan and Training": the breakdown said (or every product named) shows each, no filter on those named
            slots.pop("product", None)
            slots.pop("products", None)
        if "product" in slots["by"] and slots.get("product") and "product" not in contrasted and not contrasted_products:
            low = text.lower()  # "top 25 items, how far down is bottled beer", "by product, esp the Platform"
            if not any(scoped(low, m.start()) or rx.search(_BOUGHT_WITH, low[:m.start()]) or
                       rx.match(r"\s*(?:buyers?|purchas\w*|shoppers?)\b|"  # "yogurt buyers", "sausage combine with"
                                r"\s+(?:\w+\s+){0,2}?(?:with|alongside)\b", low[m.end():])
                       for words in product_words
                       for m in rx.finditer(r"(?<!\w)" + re.escape(words.lower()) + r"(?!\w)", low)):
                slots.pop("product")
                slots.pop("products", None)
        if "filters" in slots and not slots["filters"]:
            slots.pop("filters")
    spread = value_stat(t, [b for b in slots.get("by") or [] if b != "customer"])
    if spread:  # "median spend per customer": one figure over the customers, no ranking of them
        slots.update(spread)
        if spread["metric"] == "revenue" and spread.get("spent_by") != "order" and "customer" in slots.get("by", []):
            slots["by"] = [b for b in slots["by"] if b != "customer"]
            if not slots["by"]:
                slots.pop("by")
    unknown = [w for w, _ in misses] + [n for n in unmatched_names(text, used)]
    versus = [n for n in versus_unmatched(text, used) if n not in unknown]
    if versus:  # "GTX Ultra vs MG Advanced": the side not found is said, in the column of the other
        unknown += versus
        columns = ["product"] if slots.get("product") else [c for c in slots.get("filters") or {} if c != "status"] \
            or list(slots.get("filters") or {})  # a stage ("won value") is what is compared, not a side
        if len(columns) == 1:
            slots["unknown_values"] = [*(slots.get("unknown_values") or []), *((n, columns[0]) for n in versus)]
    if unknown:
        slots["unknown_names"] = unknown
    if conflicts:
        slots["conflicts"] = conflicts
    return slots, used


# ------------------------------------------------------------------ ratings said as stars
_STAR_NUM = r"(?:\d{1,2}|zero|" + "|".join(w for w, n in _NUM_WORDS.items() if n <= 10) + ")"  # a score: 0-10
_STAR_LIST = _STAR_NUM + r"(?:\s*-?\s*stars?)?(?:\s*-?\s*(?:,|and|or|&|/|-|to|through)\s*" + _STAR_NUM + \
    r"(?:\s*-?\s*stars?)?)*"
_STAR_UP = r"(?:and|or)\s+(?:above|up|upwards|more|higher|better|over)|\+|plus"
_STAR_DOWN = r"(?:and|or)\s+(?:below|under|less|lower|fewer|worse)"
STARS = re.compile(
    r"\b(?P<cmp>(?:below|under|less than|fewer than|lower than|at most|above|over|more than|higher than|at least)\s+)?"
    r"(?P<list>" + _STAR_LIST + r")(?P<plus>\+)?\s*-?\s*(?P<unit>stars?|star ratings?)\b(?:\s*(?P<dir>" + _STAR_UP
    + "|" + _STAR_DOWN + r"))?"
    r"|\b(?P<rword>rated|ratings?(?:\s+of)?|scores?\s+of|scored)\s+(?P<rcmp>(?:below|under|less than|above|over|more "
    r"than|at least|at most)\s+)?(?P<rlist>" + _STAR_LIST + r")\b(?:\s*(?P<rdir>" + _STAR_UP + "|" + _STAR_DOWN + r"))?",
    re.I)


def stars_named(text: str) -> tuple[list[str], str]:
    """(scores, words) of a filter on review ratings said as stars or ratings: "only 1 and 2 star
    reviews" -> ["1", "2"]; "5-star", "1-2 stars", "4 stars and above", "below 3 stars", "rated 4 or
    5", "ratings of 1 or 2". Stars count on 1-5, a rating above 5 on 0-10. A range that holds every
    score ("rated 1-5") restricts nothing and is no filter: ([], "")."""
    for m in STARS.finditer(text):
        if rx.search(r"\b(?:average|avg|mean|median|overall|typical)\s+(?:of\s+|is\s+|was\s+)?$", text[:m.start()]):
            continue  # "departments with an average rating below 4": a threshold on averages, not on reviews
        listed = m.group("list") or m.group("rlist")
        cmp = (m.group("cmp") or m.group("rcmp") or "").strip().lower()
        direction = (m.group("dir") or m.group("rdir") or "").lower()
        parts = rx.findall(_STAR_NUM, listed, re.I)
        numbers = [int(p) if p.isdecimal() else _NUM_WORDS.get(p.lower(), 0) for p in parts]
        low, high = (0, 10) if max(numbers) > 5 else (1, 5)
        if rx.search(r"\d\s*(?:-|to|through)\s*\d|(?:one|two|three|four|five)\s*(?:-|to|through)\s*\w", listed) \
                and len(numbers) == 2:  # "1-2 stars", "one to three stars": the range
            wanted = list(range(min(numbers), max(numbers) + 1))
        else:
            wanted = sorted(set(numbers))
        n = wanted[0]
        if cmp in ("below", "under", "less than", "fewer than", "lower than"):
            wanted = list(range(low, n))
        elif cmp in ("above", "over", "more than", "higher than"):
            wanted = list(range(n + 1, high + 1))
        elif cmp == "at least" or m.group("plus") or rx.match(r"(?:and|or)\s+(?:above|up|upwards|more|higher|better|"
                                                              r"over)|\+|plus", direction):
            wanted = list(range(wanted[0], high + 1))
        elif cmp == "at most" or direction:
            wanted = list(range(low, wanted[-1] + 1))
        wanted = [w for w in wanted if low <= w <= high]
        if not wanted or wanted == list(range(low, high + 1)) or wanted == list(range(1, high + 1)):
            return [], ""
        return [str(w) for w in wanted], m.group(0)
    return [], ""
