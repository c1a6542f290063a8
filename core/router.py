"""The built-in router: which analysis a question is for, and with which params.

A scikit-learn text classifier learned from every registered analysis's example questions (and
its name, title, summary and optional ``keywords``): TF-IDF over word 1-2-grams and over
character 2-5-grams inside word boundaries (robust to typos, case and punctuation) in a
FeatureUnion, then a linear SVM whose margins a softmax turns into scores. A built-in class of
off-topic questions (weather, poems, code, sport...) is learned beside the analyses, so "write
me a poem" has somewhere to go other than a random analysis.

Before classifying, the slot words (periods, numbers, data values, products, customer ids) are
taken out, a few abbreviations are spelt out (``SYNONYMS``), a word no example uses read as the
nearest one they use when it is one slip away ("revnue" is "revenue"), function words dropped and
concept hints added (``CONCEPTS``): "top 10 products in Germany in 2024" is classified as "products",
the way the examples are.

A question is
- never declined when it names a product, customer or segment of the data (the off-topic class
  is then left out);
- declined (``Route.decision == "decline"``) when the off-topic class wins, or when it is not
  similar enough to the likeliest analysis's examples (cosine similarity to the nearest one
  below ``min_similarity``), unless it speaks of customer analysis (``DOMAIN``, or a word of an
  analysis's name, title or summary): a polite no with suggestions;
- asked back (``"clarify"``) when the likeliest analysis is below ``min_confidence`` and the
  runner-up is close (unless the question is a known one, ``KNOWN_QUESTION``), or when a question
  in the domain would have been declined: the two or three likeliest readings, numbered;
- sent to the headline (``HEADLINE``) when it says nothing but a scope ("how did kitchen do in Q3");
- routed (``"route"``) otherwise.

scikit-learn only fits: the fitted pipeline is exported to numpy arrays (``textmodel``, which
reproduces its analyzers and decision function exactly), so routing never imports scikit-learn
and scipy (1-2 s). The export is cached under the user cache dir (``CUSTLENS_CACHE_DIR`` to
change it), keyed by a hash of the analyses' names, examples and this module's version, so a
new or changed plugin refits at once and an unchanged set loads in milliseconds. A plugin may
route instead through the ``route_question`` hook (see examples/llm_router).
"""

from __future__ import annotations

import bisect
import difflib
import math
import functools
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import slots as slotlib
from . import rx, textmodel

log = logging.getLogger("custlens.router")

#: bump when what the model learns from changes outside router.py, slots.py and textmodel.py (their
#: code is in the fingerprint): old caches are then ignored
ROUTER_VERSION = "9"
OUT_OF_SCOPE = "_out_of_scope"

#: abbreviations and everyday synonyms, spelt out the same way in training and in questions
SYNONYMS = {
    r"ltv|clv|cltv": "lifetime value",
    r"aov|(?:average |mean )?basket (?:size|value|spend)s?": "average order value",
    r"nps": "net promoter score",
    r"csat": "customer satisfaction score",
    r"rfm": "rfm recency frequency monetary",
    r"mba": "market basket",
    r"custs?|clients?|shoppers?|buyers?|consumers?": "customers",
    r"qtrs?": "quarter",
    r"rev|by (?:total |their |amount )?spend(?:ing)?": "revenue",  # "top 10 customers by spend": a ranking by revenue
    r"yoy": "year over year",
    r"xsell|x-sell|cross sell": "cross-sell",
    r"upsell|up sell": "up-sell",
    r"pls|plz": "please",
    r"u": "you",
    r"ur": "your",
    r"w/": "with",
    r"yrs?": "year",
    r"ppl|peeps|folks|persons": "people",
    r"(?:the\s+)?lay\s+of\s+the\s+land": "overview summary",
    r"thru": "through",
    r"tmrw|tmr": "tomorrow",
    r"accts?|accounts?|logos?": "customers",
    r"verbatims?": "comments",
    # "which country spends the most", "spend by gender", "customer spend": the money, as "revenue" (not "big
    # spenders", nor the verb of "how much do they spend", a segment's own figure)
    r"spends|(?<=customer )spend(?:ing)?|(?<=total )spend(?:ing)?|spend(?:ing)?(?= (?:by|per|across|split|broken|over|breakdown)\b)":
        "revenue",
    # "what's the average order worth", "average deal worth": its value, not a customer's worth
    r"(?:(?:average|avg|mean|typical)\s+)?(?:order|deal|basket|sale|transaction)s?\s+(?:is\s+)?worth": "average order value",
    # "could you report the average order value", "please report descriptives": a request to show, not a report
    r"(?:(?<=you )|(?<=please )|(?<=kindly )|(?<=pls ))report(?= (?:the|descriptives|back|how|whether|which|what))": "show",
    r"&": "and",
}
_SYNONYMS = [(re.compile(r"(?<![\w/-])(?:" + k + r")(?![\w/-])"), v) for k, v in SYNONYMS.items()]
#: everyday words for the ideas analyses are about, mapped to the word their examples tend to use
#: (hints: they only help questions and examples meet, never pick an analysis by themselves)
CONCEPTS = {
    r"stick around|stay(?:s|ed)? with us|come back|came back|return(?:s|ing)? customers|"
    r"still\s+(?:buying|ordering|shopping|active|around)": "retention",
    r"buy again|reorder\w*|between (?:orders|purchases|deals)|how often|frequency|regulars?|repeat buyers?|"
    r"(?:order|buy|purchase)s? again|(?:ordered|bought|purchased) again|more than once|second (?:order|purchase)|"
    r"one[- ](?:and|n)[- ]done|one[- ]time (?:buyers|customers|shoppers)|one[- ]offs?|repeaters?|"
    r"(?:more than|over|>)\s*(?:one|1)\s+(?:orders?|purchases?)":
        "repeat frequency",
    r"sell\w*|sold|turnover|turn(?:s|ed)?\s+over|revenue|sales|(?:fly|flies|flying|flew) off the shel(?:f|ves)|"
    r"(?:big|whole|overall|full|general|complete)\s+picture|refunds?|refunded|credit\s+notes?|wallet\s+share|share\s+of\s+wallet": "sales",
    r"how many|how much|number of|count of|total number|totals?": "count total",
    r"leav(?:e|es|ing)|quit\w*|stopp?(?:ed|s)? (?:buying|ordering)|lapsed|(?:lost|los(?:e|ing))(?! (?:us |me |them )?money)|"
    r"attrition|defect\w*|"
    r"hasn'?t bought|haven'?t bought|inactive|chrun|churn\w*|at[- ]risk|win[- ]?backs?|win\s+(?:\w+\s+)?back|"
    r"reactivat\w*|re-?engag\w*|ghost\w*|high[- ]risk|gone (?:quiet|dark|cold)|went (?:quiet|dark|cold)|dormant|disappear\w*|vanish\w*|"
    r"stopp?(?:ed|s)? (?:doing business|coming|shopping)|laps(?:e|es|ing)|"
    r"(?:customers?|clients?|subscribers?|accounts?|members?|users?|people|folks) (?:have |had )?left(?! (?:side|join|column|over|in the))|"
    r"(?:about|going|likely|set|ready|gonna) to drop (?:off|out)|bail(?:s|ed|ing)? (?:on|out)|jump(?:s|ed|ing)? ship|"
    r"walk(?:s|ed|ing)? (?:away|out|off)|go(?:es)? away|going away|"
    r"(?:before|after|since|till|until) they walked|survival|hazards?|(?:have|has|had|already|who|that|they) left(?! (?:side|join|column))":
        "churn",
    r"(?<!were they )(?<!was it )(?<!were those )(?<!are they )(?<!is it )(?<!it's )(?<!its )(?<!it is )worth|valuable|lifetime|long[- ]term value|future (?:spend|value|purchases)|will spend|forecast\w*":
        "lifetime value",
    r"(?<!years )(?<!months )(?<!quarters )(?<!periods )(?<!weeks )together|pairs?|(?:in|into) the (?:cart|trolley) with|"
    r"(?:same|one) (?:cart|trolley)|paired|pair well|combinations?|alongside|bundles?|also bought|go(?:es)?(?: well)? with|"
    r"(?:bought|buy|buys|purchased|recommend\w*) with|appear(?:s|ed|ing)? (?:\w+ )?with|"
    r"go(?:es)? (?:(?:most|more|often|usually|best|well|frequently|normally) ){1,2}with|"
    r"cross[- ]sell\w*|up[- ]sell\w*|basket|rides? (?:along )?with|co-?purchas\w*|co-?occurr\w*|(?:plus|\+)\s+what|(?:bundle|pack|combo)\s+ideas?": "basket together",
    r"complain\w*|say|says|saying|said|opinions?|reviews?|comments?|tickets?|sentiment|praise\w*|feedba\w*|"
    r"moan\w*|gripe\w*|rave\w*|grumbl\w*|giv(?:e|es|ing) out (?:about|to)|"
    r"(?:what|wat)\s+(?:do |did |are |were )?(?:they|folks|people|customers)\s+(?:writ\w*|wrote)|love about|like about|angry|unhappy about|claims?|vex\w*": "feedback",
    r"competitors?|competition|competitive|rivals?|rivalry|entrants?|substitutes?|suppliers?|porter'?s?|"
    r"concentrat\w*|buyer power|bargaining power|competencia|concorr[eê]ncia|concurrence|konkurren\w*": "forces",
    r"funnel|drop[- ]?offs?|touchpoints?|conversion|visits?|visitors?|sessions?|checkout|cart|journey|journy|"
    r"attribution|paths?|product views?|win rates?|win ratios?|won vs lost|closed won vs|deal stages?|pipeline stages?|"
    r"first click|last click|stages?|prospecting|qualification|negotiation|closed won|closed lost|"
    r"clos(?:ing|e) (?:ratios?|rates?)|clos(?:e|es|ing) (?:the |a |their |our )?deals?|convert(?:s|ed|ing)?|taxa de (?:ganho|convers[aã]o)|all the way to (?:buying|purchase|checkout)|"
    r"mak(?:e|es|ing) it (?:from|to|through|past|all the way)|friction|abandon\w*|wander(?:s|ed)? off|"
    r"add(?:s|ed|ing)? (?:\w+ )?(?:to|tae|into) (?:the |their |a )?(?:basket|cart|bag|trolley)|before (?:they )?(?:finally )?(?:pay|buy|purchase|check\s*out|convert)":
        "funnel",
    r"profit\w*|loss[- ]?mak\w*|los(?:e|es|ing|t) (?:us |me |them )?money|money[- ]los\w*|in the red|"
    r"unprofitable|under\s?water|cost us money|make us money|margins?|(?:my|our|the|of|on|in|much) gross(?!\s+(?:sales|revenue|orders?|amount|value|turnover))|"
    r"(?:after|net of|minus|less) (?:all )?(?:the |our )?costs|cost to serve|cost of goods|cogs|"
    r"cost(?:ing|s)? (?:us )?more than (?:they'?re|they are|it'?s|it is) worth|mak(?:e|es|ing) (?:a )?loss(?:es)?":
        "profit",
    r"personas?|perosna|avatar|ideal (?:customer|client)|typical (?:customer|client|shopper|buyer)|"
    r"(?:the )?(?:people|person) (?:behind|in)|pen portraits?|humani[sz]e|archetypes?|paint (?:me )?a picture|vibes?|"
    r"(?:customer|pretend|fictional|made[- ]up|imaginary) characters?|portraits?": "persona",
    r"segments?|segemnt|clusters?|clustering|kmeans|k-means|groups|rfm|buckets?|tiers?|bands|"
    r"(?:kinds?|types?|sorts?) of customers|organi[sz](?:e|es|ed|ing)|deciles?|quartiles?|quintiles?|layer(?:s|ing|ed)?": "segment",
    r"date range|earliest|latest|how far back|go(?:es)? back|time span|fields?|columns?|missing|blank|empty|"
    r"nulls?|data quality|duplicates?|workbook|dataset|data set|sheets?|rows|records|"
    r"(?:first|earliest)\s+and\s+(?:the\s+)?(?:last|latest)\s+(?:\w+\s+)?dates?": "dataset describe",
    r"cohorts?|cohrot|acquired|signup|sign-up|signed up|retention triangle|first bought in|safras?": "cohort",
    r"loyal\w*|faithful\w*|satisf\w*|nps|net promoter|fiel|fi[eé]is|fidelidade": "loyalty satisfaction",
    r"reports?|reprot|write[- ]up|writ(?:e|ing) (?:it|this|everything|things)(?: all)? up|document|relat[oó]rios?": "report",
    r"spin|discovery|sales (?:call|meeting|conversation|script)|questionn?aire|survey|interview|qbrs?|"
    r"business reviews?|(?:ring|rang|call|called|phone|phoned)\s+(?:a few|some|them|em|a couple)\s+up": "questions spin",
}
_CONCEPTS = [(re.compile(r"(?<![\w-])(?:" + k + r")(?![\w-])"), v) for k, v in CONCEPTS.items()]


def concept_patterns() -> list[tuple[re.Pattern, str]]:
    """(pattern, hint words) of the domain lexicon (``CONCEPTS``), compiled."""
    return _CONCEPTS


_WORD = re.compile(r"[\w'-]+")
_VOWELS = re.compile(r"[aeiouy]")
#: a question's word of at least MIN_TYPO_LENGTH letters that no training text uses is read as the
#: closest word they use, when at least TYPO_SIMILARITY similar (difflib's ratio; one letter wrong
#: in five is 0.8, not enough: "cross" is not "gross"): "revnue by categroy" is revenue by category
MIN_TYPO_LENGTH, TYPO_SIMILARITY = 5, 0.82
#: the words slots read a measure, breakdown or grain from: misspelt, they are corrected before the
#: slots are read (``Router.slot_typos``)
SLOT_WORDS = frozenset("""revenue sales turnover customers customer orders order purchases purchase products product
countries country regions region categories category channels channel quarter quarters quarterly month months monthly
year years yearly weekly weeks daily acquisition average margin profit units quantity segment segments
compare compared against versus""".split())
#: function words: taken out so that the content words decide
STOPWORDS = set("""a an the of to in on by and or is are was were be been do does did we our us you your i me my it its
this that these those what which who whom how much many show tell give get let see can could would should
with from at as all any each have has had there their them they than then so some about into up out also just very
want need know find make whats what's please for""".split())

#: questions no customer analysis answers: the off-topic class the router learns beside the analyses
OFF_TOPIC = [
    "what's the weather like tomorrow", "will it rain this weekend", "weather forecast for Paris",
    "write me a poem", "write a poem about the sea", "tell me a joke", "sing me a song", "tell me a story",
    "who won the football match yesterday", "what's the score of the game", "who is the president of France",
    "what is the capital of Australia", "how tall is mount everest", "translate hello into spanish",
    "what time is it", "what day is it today", "set an alarm for 7am", "remind me to call mom",
    "book a flight to london", "order a pizza", "find a restaurant nearby", "what's a good recipe for lasagne",
    "how do I cook rice", "play some music", "open my email", "send a message to John",
    "write python code to sort a list", "fix my javascript bug", "how do I install windows",
    "what is the meaning of life", "who are you", "are you a robot", "do you love me", "hello there",
    "good morning", "thanks", "how are you today", "what's 2 plus 2", "calculate the square root of 81",
    "explain quantum physics", "what is photosynthesis", "summarise this news article", "latest news headlines",
    "how old is the universe", "recommend a good movie", "what should I watch tonight",
    "how do I lose weight", "what are the symptoms of flu", "stock price of apple", "bitcoin price today",
    "convert 10 miles to kilometres", "spell necessary", "define serendipity", "draw a cat",
    "write an essay about world war two", "what's the traffic like", "how far is the moon",
    "who wrote hamlet", "lyrics of bohemian rhapsody", "plan my holiday in italy",
    "write a letter to my landlord", "write a song about love", "compose a limerick", "recommend a restaurant",
    "recommend a good book", "what's the best phone to buy", "how do I fix my bike", "where is the nearest station",
    "what's the population of china", "how do you say cat in french", "tell me something interesting",
    "what should I have for dinner", "is it sunny outside", "how hot will it be", "knock knock",
]

#: a request for work custlens does not do, whatever data it names: writing a text to send ("write an
#: email to customer C000233", "an insta caption for the yoga mat"), a design, a translation, or acting
#: outside the data (send, book, set up); declined even when it names a product or customer
TASK_REQUEST = re.compile(
    r"\b(?:write|draft|compose|design|create|make|translate|send|book|schedule|set\s+up|tweet|come\s+up\s+with)\b"
    r"(?:\s+(?!(?:segments?|lists?|reports?|charts?|tables?|analys[ie]s|personas?|questions?|breakdowns?|summary|"
    r"to)\b)[\w'/-]+){0,5}?\s+(?:e-?mails?|letters?|captions?|posts?|tweets?|logos?|slogans?|taglines?|poems?|sonnets?|haikus?|limericks?|songs?|"
    r"jingles?|tickets?|contracts?|press\s+releases?|ad\s+copy|adverts?|newsletters?|reminders?|messages?|"
    r"subject\s+lines?|invoices?|a/b\s+tests?|memes?|videos?|banners?|flyers?|blog\s+posts?|cover\s+letters?|"
    r"job\s+ads?|jira|notifications?|push\s+notifs?)\b(?!\s+(?:marketing|campaigns?|lists?|channels?|traffic|opens?|"
    r"clicks?|subscribers?|sign-?ups?|engagement)\b)", re.I)

#: what comes between a request for figures and the reason for it: "top 20 customers by CLV - I want to
#: make sure their tickets get escalated", "show me the at risk segment, my boss wants to send them an email"
_WHY_AFTER = re.compile(r"\s[-\u2013\u2014]+\s|[,;]\s*(?=(?:i|we|my|our|so|because)\b)|\b(?:i|we)\s+(?:think|want|wanna|need|"
                        r"guess|plan|would\s+like|am\s+going)\b|\b(?:my\s+|the\s+|our\s+)?(?:boss|manager|team)\s+(?:wants?|needs?|asked|"
                        r"said|will|is)\b|\bmy\s+(?:boss|manager|team)\b|\bso\s+(?:that\s+)?(?:i|we)\b|"
                        r"\bbecause\b|\bbefore\s+(?:i|we)\b", re.I)


def task_request(text: str) -> bool:
    """Whether ``text`` asks for a task outside the data (``TASK_REQUEST``: "write an email to the
    churned customers"), not for figures followed by what they are for ("top 20 customers by CLV - I
    want to make sure their tickets get escalated"): three words or more before the reason."""
    m = TASK_REQUEST.search(text)
    if not m:
        return False
    why = _WHY_AFTER.search(text, 0, m.start())
    return not (why and len(text[:why.start()].split()) >= 3)


#: subjects no customer data speaks to, whatever data words come with them ("a recipe with whole milk
#: and butter", "a regex for ids like C000001", "our share price", "who won the champions league")
OFF_DOMAIN = re.compile(r"\brecipes?\b|\bregex(?:es|p)?\b|\bregular\s+expressions?\b|\b(?:share|stock)\s+price\b|"
                        r"\bchampions\s+league\b|\bpremier\s+league\b|\bworld\s+cup\b|\bsuper\s+bowl\b|"
                        r"\bproduct\s+descriptions?\b|\b(?:tax|vat|kra|irs|hmrc)\s+returns?\b|\bfile\s+(?:my|our)\s+(?:\w+\s+)?(?:tax(?:es)?|returns)\b|"
                        r"\b(?:fed(?:eral)?\s+funds|interest|mortgage|exchange)\s+rates?\b|\b(?:shares?|stocks?)\s+(?:\w+\s+)?today\b|\b(?:figma|photoshop|illustrator|canva)\b", re.I)

#: "Verizon's churn rate", "our competitor's revenue", "Amazon's share price": a figure of another
#: company, which no data loaded here holds (``other_company``)
_OWNER = re.compile(r"\b([a-z][\w&.-]*)(?:'s|\u2019s|s')\s+(?:[\w-]+\s+){0,3}?(?:revenue|sales|turnover|churn|"
                    r"share\s+price|stock|followers|market\s+share|valuation|profits?|margins?|customers|growth|income|"
                    r"earnings|nps)\b", re.I)
_OWN_WORDS = set("""what who that it there here let he she one everyone everybody someone today tonight year month
quarter week day period customer client company business store shop team brand segment group cohort account
subscriber buyer user member product item category country region channel firm
boss manager owner director ceo cfo founder partner colleague wife husband sister brother friend mum mom dad""".split())
#   (the people the asker works or lives with: "SPIN questions for my boss's sales call")


def other_company(text: str, values: dict | None = None) -> str | None:
    """The other company whose figure ``text`` asks for ("what's verizon's churn rate" -> "verizon"),
    else None: an owner that is neither an everyday word ("what's", "last year's", "the client's")
    nor a word of the data's values ("Germany's revenue", "the Yoga Mat's sales") or columns ("the support
    rep's customers")."""
    m = _OWNER.search(text)
    owner = m.group(1).lower() if m else ""
    if not m or owner in _OWN_WORDS or owner.rstrip("s") in _OWN_WORDS or slotlib.rfm_name(owner) or \
            slotlib.rfm_name(owner + "s"):  # "the champions' revenue": a segment of ours
        return None
    words = {w for cols in (values or {}).values() for vs in cols.values() for v in vs
             for w in rx.findall(r"[\w&.-]+", str(v).lower())}
    # or of a column's name: "which sales support rep's customers spend the most" (SupportRepId)
    words |= {w for cols in (values or {}).values() for c in cols for w in str(c).lower().split("_")}
    return None if m.group(1).lower() in words else m.group(1)


#: words of customer analysis: a question with one of them (or a word of an analysis's name, title
#: or summary) is never declined as off-topic; when unsure it is asked back instead
DOMAIN = re.compile(r"^(?:customer|client|order|sale|sell|sold|revenue|turnover|product|item|categor|basket|bundle|"
                    r"segment|cluster|cohort|churn|retention|retain|repeat|loyal|satisf|purchas|bought|buy|spend|"
                    r"profit|margin|funnel|conversion|feedback|review|complain|channel|region|countr|persona|"
                    r"lifetime|report|forces|spin|rfm|promoter|detractor|shopper|checkout|cart|discount|return|traffic|visit|"
                    r"session|pipeline|deal|bestsell|shelf|shelves)")
#: a question is declined below this cosine similarity to its nearest training question
MIN_SIMILARITY = 0.12
TEMPERATURE = 4.0
#: the weight of an analysis that cannot answer on the loaded data (``Analysis.requires_any``)
NOT_APPLICABLE = 0.15
#: an off-topic score this high declines even a question with a word of the domain ("remind me to
#: order more stock", "who won the champions league")
SURELY_OFF_TOPIC = 0.6
#: below this score, with a close runner-up, the router asks back
MIN_CONFIDENCE = 0.38
CLOSE_RUNNER_UP = 0.6  # the runner-up has at least this share of the winner's score
#: an ask-back offers a reading only when it has at least this share of the likeliest's score (a
#: basket file's "most popular items" was offered Five Forces at a tenth of basket's score)
MIN_READING = 0.25
#: the analysis that answers a question saying nothing but a scope (its headline figures)
HEADLINE = "overview"
#: a question this similar to training questions that all name the likeliest analysis was asked
#: before and its reading told: it is not asked back ("who are my best customers" is the overview's
#: ranking however close segmentation and CLV come)
KNOWN_QUESTION = 0.95


@dataclass
class Route:
    analysis: str
    params: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)  # named in the question, found nowhere in the data
    decision: str = "route"  # "route", "clarify" (ask back with the alternatives) or "decline"
    slots: dict[str, Any] = field(default_factory=dict)  # everything the question said, kept or not
    readings: dict[str, dict[str, Any]] = field(default_factory=dict)  # params of each alternative, when asked back


def expand(text: str, spell: Callable[[str], str] | None = None) -> str:
    """Lowercase, abbreviations spelt out (``SYNONYMS``), misspelt words corrected (``spell``, for
    questions), function words out, concept hints added (``CONCEPTS``)."""
    text = text.lower()
    for pattern, replacement in _SYNONYMS:
        text = pattern.sub(replacement, text)
    if spell is not None:
        text = _WORD.sub(lambda m: spell(m.group(0)), text)
    hints = [word for pattern, word in _CONCEPTS if pattern.search(text)]
    words = [w for w in _WORD.findall(text) if w not in STOPWORDS]
    return " ".join(words + hints)


def apply_vocabulary(text: str, words: dict[str, str] | None) -> str:
    """``text`` with a company's words replaced by the words questions are read with (custlens.toml
    ``[vocabulary]``: "ARR by SKU" -> "revenue by product"): whole words, any case, longest first."""
    for word in sorted(words or {}, key=len, reverse=True):
        text = rx.sub(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", lambda _m, w=words[word]: w, text, flags=re.I)
    return text


def strip_slots(text: str, used: list[str]) -> str:
    """The question without its slot words: what is left says which analysis it is for."""
    low = text.lower()
    for words in sorted((w.strip() for w in used if w.strip()), key=len, reverse=True):  # "q4 " read with its space
        low = rx.sub(r"(?<!\w)" + re.escape(words.lower()) + r"(?!\w)", " ", low)
    return " ".join(low.split())


#: a count of personas ("3 personas", "five buyer personas"): its number is a slot (k), its noun says
#: what is counted, so the noun stays for the classifier ("make 3 personas" is not a segmentation)
_COUNTED = re.compile(r"^\S+\s+(?:\w+\s+)?(personas?)$", re.I)


#: what the figures asked are for, said at the end: "..., for the boss report", "for my board deck", "for the
#: monthly review" (the figures asked, not the report or the meeting)
_PURPOSE = re.compile(r"[,;-]?\s*\bfor\s+(?:the|my|our|a|an|his|her|their|boss'?s?|tomorrow'?s)\s+(?:[\w'-]+\s+){0,3}?"
                      r"(?:report|deck|slides?|meeting|presentation|update|review|board|call|newsletter|qbr|stand-?up|huddle|all-hands|9am)\s*[.!?]*$", re.I)


#: "what percentage are female?", "what share is B2B": the share of customers holding a value (read as a filter)
SHARE_OF_VALUES = re.compile(r"\s*(?:and\s+)?(?:what|which)\s+(?:percentage|percent|%|share|proportion|fraction)\s+"
                             r"(?:of\s+(?:them|those|all)\s+)?(?:are|is|were|was)\b", re.I)
#: the words of a line that says nothing but a scope ("only Germany", "just customers in France",
#: "show me 2024 please"): its headline figures are asked for
SCOPE_ONLY = frozenset("only just for in from of at the our my all customers customer clients client buyers people "
                       "please pls show me what about and then so ok okay data numbers figures".split())


def classifier_text(text: str, slots: dict[str, Any], used: list[str]) -> str:
    """What the classifier reads of a question (or a training example) whose slots were read:
    ``text`` without its slot words, the nouns of counts kept (``_COUNTED``), with its
    ``shape_hints``. The one way, in training and in routing alike."""
    rest = strip_slots(text, used)
    purpose = _PURPOSE.search(rest)
    if purpose and rest[:purpose.start()].split():  # "top 10 products, for the boss report": what it is for
        rest = rest[:purpose.start()]
    counted = [m.group(1).lower() for u in used for m in [_COUNTED.match(u.strip())] if m]
    rest = " ".join([rest, *counted]).strip()
    return f"{rest} {shape_hints(slots, rest)}".strip()


def shape_hints(slots: dict[str, Any], rest: str = "") -> str:
    """Words for the shape of a question whose slot words were taken out: a ranking ("top 20"), a
    breakdown ("by country"), a product named, two periods compared ("comparison"), a segment named without a measure it scopes ("namedsegment": "what does the hibernating
    group look like", "how many champions, what do they spend" are about the segment, though its name
    is taken out; "revenue of the champions", "sales for the at risk group by month" are the measure, for them); and, when hardly a word is left (``rest``), what the
    slots were about: "who are my champions" is about a segment, "make 4 groups" about segments; a
    number of groups asked for ("groupcount"). They go with what is left, in training and in questions alike."""
    by = [d for d in slots.get("by") or [] if d != "customer"]  # "which customers ..." names whom, not a breakdown
    hints = [w for w, on in (("ranking", slots.get("top")), ("breakdown", by), ("product", slots.get("product")),
                             ("namedsegment", slots.get("segment") and not (
                                 slots.get("metric") and (by or slots.get("grain") or slots.get("segment_scopes")
                                                          and slots["metric"] != "customers"))),
                             ("comparison", slots.get("compare"))) if on]
    if len(expand(rest).split()) <= 1 and not hints:
        hints += [w for w, on in (("segment", slots.get("segment")), ("segments", slots.get("k")),
                                  ("customer", slots.get("customer"))) if on]
    if slots.get("k"):
        hints.append("groupcount")  # "kindly make 5 clusters of customers": a number of groups asked for
    return " ".join(hints)


#: how many fitted routers the cache keeps (the ones used last): one per set of analyses and version
KEEP_FITS = 8


def cache_dir() -> Path:
    """Where fitted routers are kept: CUSTLENS_CACHE_DIR, else the platform's user cache dir."""
    env = os.environ.get("CUSTLENS_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "custlens" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "custlens"


@functools.lru_cache(maxsize=4096)
def english_word(word: str) -> bool:
    """Whether ``word`` is an English word (pyspellchecker's dictionary, loaded the first time a word
    could be a slip of a data value): such a word is meant as written, never read as a value."""
    return word in _english()


@functools.lru_cache(maxsize=1)
def _english():
    from spellchecker import SpellChecker

    return SpellChecker(distance=1).word_frequency


@functools.lru_cache(maxsize=1)
def routing_examples() -> dict[str, tuple[str, ...]]:
    """Questions people wrote, labelled with the analysis they meant ("none": off-topic), shipped
    in prompts_and_templates/routing_examples.yaml (made from the development part of the
    evaluation corpus by benchmarks/corpus/make_routing_examples.py; the held-out part never goes
    in). They teach the router everyday wordings beyond each analysis's own examples."""
    import yaml

    text = routing_examples_text()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 0.02 s against 0.7 s for 3,500 questions
    data = yaml.load(text, Loader=loader) if text else {}  # noqa: S506 - a safe loader
    return {name: tuple(questions) for name, questions in (data or {}).items()}


def routing_examples_text() -> str:
    """The text of prompts_and_templates/routing_examples.yaml ("" without it): what
    ``routing_examples`` reads, and what ``fingerprint`` hashes (a router loaded from the cache
    never parses it)."""
    import importlib.resources

    res = importlib.resources.files("custlens.prompts_and_templates").joinpath("routing_examples.yaml")
    return res.read_text(encoding="utf-8") if res.is_file() else ""


def training_texts(analyses: dict[str, Any], corpus: dict[str, Any] | None = None) -> tuple[list[str], list[str]]:
    """(texts, labels): each analysis's examples, name, title, summary and keywords, and the
    ``corpus`` questions labelled with it (``routing_examples()`` by default), slot words taken out
    as they are from questions (``readings``); then the off-topic questions."""
    corpus = routing_examples() if corpus is None else corpus
    named = [(name, doc) for name, a in sorted(analyses.items())
             for doc in [*getattr(a, "examples", []), name.replace("_", " "), getattr(a, "title", ""),
                         getattr(a, "summary", ""), *getattr(a, "keywords", []), *corpus.get(name, ())]]
    read = readings([doc for _, doc in named])
    texts, labels = [], []
    for (name, _), text in zip(named, read):
        if text:
            texts.append(text)
            labels.append(name)
    off_topic = [*OFF_TOPIC, *corpus.get("none", ())]
    texts += [expand(t) for t in off_topic]
    labels += [OUT_OF_SCOPE] * len(off_topic)
    return texts, labels


def reading(doc: str) -> str:
    """What the classifier reads of one training question: slot words out, shape hints in."""
    found, used = slotlib.extract(doc)
    return expand(classifier_text(slotlib.clean(doc), found, used))


@functools.lru_cache(maxsize=1)
def reading_key() -> str:
    """A hash of the code that turns a question into what the classifier reads (``reading``): this
    module, slots and the modules it reads words from. A change to any of them changes what is learnt."""
    from . import countries, kit, schema

    code = b"".join(Path(m.__file__).read_bytes() for m in (slotlib, textmodel, rx, countries, kit, schema))
    return hashlib.sha256(ROUTER_VERSION.encode() + code + Path(__file__).read_bytes()).hexdigest()[:20]


#: ``reading`` of the questions read so far in this process (the code cannot change within it)
_READ: dict[str, str] = {}
#: the readings files merged into ``_READ``
_READ_FILES: set[Path] = set()
_READ_LOCK = threading.Lock()  # two conversations of a server may fit at once


def readings(docs: list[str]) -> list[str]:
    """``reading`` of each of ``docs``, kept in memory and in the cache dir (``readings-KEY.json``,
    one per ``reading_key``): reading the ~28,000 shipped questions takes about two minutes (the slot
    lexicon runs on each), fitting on them seconds, so a new set of plugins refits in seconds and
    only the questions never read before are read."""
    path = cache_dir() / f"readings-{reading_key()}.json"
    with _READ_LOCK:
        return _readings(path, docs)


def _readings(path: Path, docs: list[str]) -> list[str]:
    if path not in _READ_FILES:
        _READ_FILES.add(path)
        try:
            _READ.update(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass  # none yet, or unreadable: read again
    new = {doc: reading(doc) for doc in dict.fromkeys(docs) if doc not in _READ}
    _READ.update(new)
    if new or not path.exists():
        _write_atomically(path, json.dumps(_READ, ensure_ascii=False).encode())
        try:
            for old in path.parent.glob("readings-*.json"):  # those of other code: never read again
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            log.debug("readings cache not pruned", exc_info=True)
    return [_READ[doc] for doc in docs]


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (another process never reads half a file); a cache that
    cannot be written is not fatal."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        log.debug("cache %s not written", path, exc_info=True)


def fingerprint(analyses: dict[str, Any], corpus: dict[str, Any] | None = None) -> str:
    """A hash of everything the model learns from: refit when a plugin is added, removed or edited.
    scikit-learn's version is left out: the cache holds plain numpy arrays, which read the same
    whatever the version, and importing scikit-learn to ask it costs 1-2 s. The shipped routing
    examples (``corpus`` None) count by their file's text, unparsed: parsing it is for fitting."""
    examples = routing_examples_text() if corpus is None else sorted((k, list(v)) for k, v in corpus.items())
    parts = [reading_key(), OFF_TOPIC, sorted(SYNONYMS.items()), sorted(CONCEPTS.items()),
             sorted(STOPWORDS), examples]
    for name, a in sorted(analyses.items()):
        parts.append([name, getattr(a, "title", ""), getattr(a, "summary", ""), list(getattr(a, "examples", [])),
                      list(getattr(a, "keywords", []))])
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:20]


def build_model():
    """The classifier: word and character n-gram TF-IDF, then a linear SVM (one-vs-rest; fits in
    tens of milliseconds where a logistic regression needs seconds; seeded, so the same examples
    always give the same model)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=textmodel.WORD_NGRAMS, sublinear_tf=True,
                                  token_pattern=textmodel.WORD_TOKEN)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=textmodel.CHAR_NGRAMS, sublinear_tf=True)),
    ])
    return Pipeline([("features", features),
                     ("classify", LinearSVC(C=1.0, class_weight="balanced", random_state=0))])


def scores(margins):
    """SVM margins as scores that sum to 1 (a softmax at a fixed temperature, ``TEMPERATURE``):
    comparable across questions, so one threshold fits all."""
    import numpy as np

    z = np.asarray(margins) * TEMPERATURE
    e = np.exp(z - z.max())
    return e / e.sum()


#: a word of the training texts is one of their typos when a word at least this many times as common
#: (by documents) is spelt like it ("revnue" in one question, "revenue" in hundreds)
TYPO_RARITY = 20


def typo_of(word: str, idf: dict[str, float], by_idf: list[tuple[float, str]]) -> str | None:
    """The word ``word`` is a typo of, among the training texts' words, else None: a rare word
    (``idf``: ln((1 + n) / (1 + df)) + 1) one slip from a ``TYPO_RARITY`` times commoner one
    (``by_idf``: (idf, word), commonest first). The people who wrote the corpus misspell as users
    do; their typos are read as the word meant. Asked per word of a question (cached), not for the
    whole vocabulary at start-up."""
    value = idf.get(word)
    if value is None or len(word) < MIN_TYPO_LENGTH or not word.isalpha():
        return None
    commoner = [w for v, w in by_idf[:bisect.bisect_right(by_idf, (value - math.log(TYPO_RARITY), "\uffff"))]]
    close = [w for w in difflib.get_close_matches(word, commoner, n=3, cutoff=TYPO_SIMILARITY)
             if w[0] == word[0] and (word not in w and w not in word or abs(len(w) - len(word)) == 1)
             and w.rstrip("s") != word.rstrip("s")
             and edits(word, w) <= (1 if len(word) <= 6 else 2)]
    return close[0] if close else None


def typos_of(idf: dict[str, float]) -> dict[str, str]:
    """{typo: word} of every word of ``idf`` (``typo_of``): what the corpus misspells."""
    by_idf = sorted((v, w) for w, v in idf.items())
    return {w: t for w in idf for t in [typo_of(w, idf, by_idf)] if t}


def edits(a: str, b: str) -> int:
    """Letters to insert, delete, replace or swap with the next one to make ``a`` into ``b``
    (optimal string alignment: a typist's slips)."""
    d = [[i + j if not i * j else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


class Router:
    min_similarity = MIN_SIMILARITY
    min_confidence = MIN_CONFIDENCE

    def __init__(self, analyses: dict[str, Any], cache: bool = True, corpus: dict[str, Any] | None = None):
        """``corpus``: labelled questions to learn from besides the analyses' examples
        ({analysis or "none": [questions]}); ``routing_examples()`` when None (read only to fit)."""
        self.analyses = analyses
        self.corpus = corpus
        self.key = fingerprint(analyses, corpus)
        self.from_cache = False
        fitted = self._load() if cache else None
        if fitted is None:
            fitted = self._fit()
            if cache:
                self._save(fitted)
        self.model: textmodel.TextModel = fitted
        self._idf = {g: float(part.idf[j]) for part in self.model.parts if part.analyzer == "word"
                     for g, j in part.vocabulary.items() if " " not in g}
        self._by_idf = sorted((v, w) for w, v in self._idf.items())
        self.known_words = sorted(set(self._idf) | STOPWORDS)
        self._known = set(self.known_words)
        self.spell = functools.lru_cache(maxsize=4096)(self._spell)
        self._kin: dict[str, str] | None = None  # ``_vowel_kin``
        self._phrases: dict[str, list[tuple[str, re.Pattern, Any]]] = {}  # ``phrases``, compiled on first use
        # a word the off-topic questions use ("time", "good") says nothing of the domain
        everyday = {w for q in OFF_TOPIC for w in expand(q).split()}
        self.domain_words = {w for name, a in analyses.items() for w in
                             expand(" ".join([name.replace("_", " "), getattr(a, "title", ""),
                                              getattr(a, "summary", "")])).split() if len(w) > 3} - everyday

    def phrases(self, analysis: str) -> list[tuple[str, re.Pattern, Any]]:
        """An analysis's ``phrases``, compiled (``compile_phrases``) the first time they are read: a
        question reads those of one or two analyses, not all of them. [] for a name that is no analysis."""
        if analysis not in self._phrases:
            found = self.analyses.get(analysis)
            self._phrases[analysis] = compile_phrases(analysis, found) if found is not None else []
        return self._phrases[analysis]

    # ------------------------------------------------------------------ fitting and the cache
    def _fit(self) -> textmodel.TextModel:
        """Fit the scikit-learn pipeline and export what prediction needs (the only place
        scikit-learn is imported)."""
        texts, labels = training_texts(self.analyses, self.corpus)
        model = build_model()
        model.fit(texts, labels)
        return textmodel.TextModel.from_pipeline(model, texts, labels)

    @property
    def cache_path(self) -> Path:
        return cache_dir() / f"router-{self.key}.npz"

    def _load(self) -> textmodel.TextModel | None:
        try:
            fitted = textmodel.TextModel.load(self.cache_path)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a stale or broken cache is refitted, never fatal
            log.debug("router cache %s unreadable; refitting", self.cache_path, exc_info=True)
            return None
        self.from_cache = True
        try:
            os.utime(self.cache_path)  # used: kept by ``_prune`` before fits not used lately
        except OSError:
            pass
        return fitted

    def _prune(self) -> None:
        """Remove the cached fits beyond the ``KEEP_FITS`` used last: each is ~30 MB, and every change
        of the installed plugins or of custlens makes a new one."""
        try:
            fits = sorted(self.cache_path.parent.glob("router-*.npz"), key=lambda f: f.stat().st_mtime, reverse=True)
            for old in fits[KEEP_FITS:]:
                old.unlink(missing_ok=True)
        except OSError:
            log.debug("router cache not pruned", exc_info=True)

    def _save(self, fitted: textmodel.TextModel) -> None:
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, suffix=".tmp")
            os.close(fd)
            fitted.save(Path(tmp))
            os.replace(tmp, self.cache_path)  # atomic: another process never reads half a file
        except OSError:
            log.debug("router cache not written", exc_info=True)
            return
        self._prune()

    # ------------------------------------------------------------------ classifying
    def _spell(self, word: str) -> str:
        """``word``, or the closest word of the training texts when ``word`` is none of them (a
        typo): at least ``MIN_TYPO_LENGTH`` letters and ``TYPO_SIMILARITY`` similar. A known word that
        holds it whole is another word, not its spelling ("cross" is not "across")."""
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha():
            return word
        if word in self._known:  # a typo the training questions share ("revnue", "chern"): the word it stands for
            return typo_of(word, self._idf, self._by_idf) or self._written_by_ear(word) or word
        # a word written by ear ("cohart") before a nearer match that drops a letter ("charts")
        kin = self._written_by_ear(word)
        close = [kin] if kin else [w for w in difflib.get_close_matches(
            word, self.known_words, n=3, cutoff=TYPO_SIMILARITY) if word not in w]
        meant = (typo_of(close[0], self._idf, self._by_idf) or close[0]) if close else word
        # a word English uses as often as the one it is near is meant as written ("surely" is no "survey")
        return word if _english()[word] >= max(_english()[meant], 1) else meant

    def _written_by_ear(self, word: str) -> str | None:
        """The training word ``word`` differs from in its vowels alone (``_vowel_kin``), when ``word`` is
        no English word ("drove" is no "drive") and, if the training texts hold it too, is
        ``TYPO_RARITY`` times rarer ("chern" in one question, "churn" in hundreds)."""
        if english_word(word):
            return None
        kin = self._vowel_kin().get(_VOWELS.sub("*", word))
        if kin is None or kin == word or word in self._idf and self._idf[word] - self._idf[kin] < math.log(TYPO_RARITY):
            return None
        return kin

    def _vowel_kin(self) -> dict[str, str]:
        """{word with its vowels starred: the commonest training word spelt so}: a word that differs from
        a known one only in its vowels, letter for letter, is that word written by ear ("chern" for
        churn, "cohart" for cohort, "segmant" for segment), though one letter in five is below
        ``TYPO_SIMILARITY``; its consonants keep "cross" from "gross". Built on first use."""
        if self._kin is None:  # built whole before it is seen: a served conversation's thread never reads half
            kin: dict[str, str] = {}
            for _, w in self._by_idf:  # commonest first
                if len(w) >= MIN_TYPO_LENGTH and w.isalpha():
                    kin.setdefault(_VOWELS.sub("*", w), w)
            self._kin = kin
        return self._kin

    def slot_typos(self, text: str, values: dict | None = None) -> tuple[str, list[tuple[str, str]]]:
        """``text`` with the misspelt words of what slots read corrected ("revnue by regoin", "churn
        per quater", "custmers by countrys"): a word the training texts do not hold whose spelling
        (``spell``) is one of ``SLOT_WORDS``; never a word of the data's values. And the (word as
        written, word meant) pairs, which the answer says."""
        held = slotlib.value_words(values)

        def fixed(m: re.Match) -> str:
            word = m.group(0)
            low = word.lower()
            if len(low) < MIN_TYPO_LENGTH or low in SLOT_WORDS or low in held:
                return word
            spelt = self.spell(low)
            if low.startswith(spelt) and english_word(low):
                return word  # a slot word with an ending is meant as written ("nothing purchased" is no "purchase")
            if spelt not in SLOT_WORDS and (spelt not in held or english_word(low)):
                # "trailing 12 months": an English word is no slip of a value ("Training")
                spelt = self._value_spelling(low, held) if low not in self._known and low.isalpha() \
                    and not english_word(low) else None
                if spelt is None:
                    return word
            corrected.append((word, spelt))
            return spelt

        corrected: list[tuple[str, str]] = []
        return rx.sub(r"[A-Za-z]+", fixed, text), corrected

    @staticmethod
    def _value_spelling(word: str, held: frozenset[str]) -> str | None:
        """The word of the data's values that ``word``, a word neither the training texts nor the
        data hold, misspells ("germny": germany, "netherlnds": netherlands): one of the same first
        letter, ``TYPO_SIMILARITY`` similar and at most two slips away (one for five letters), when
        only one is that close. None when there is none."""
        near = [w for w in held if w[:1] == word[:1] and abs(len(w) - len(word)) <= 2 and len(w) >= MIN_TYPO_LENGTH]
        close = difflib.get_close_matches(word, near, n=2, cutoff=TYPO_SIMILARITY)
        slips = 1 if len(word) <= 5 else 2
        close = [w for w in close if edits(word, w) <= slips]
        return close[0] if len(close) == 1 else None

    def classify(self, text: str) -> tuple[list[tuple[str, float]], float, bool]:
        """(every class with its score, best first; cosine similarity of ``text`` to the
        nearest training question of the likeliest analysis; whether it is a known question of
        that analysis, ``KNOWN_QUESTION``). ``text`` has its slot words out."""
        text = expand(text, self.spell)
        if not rx.search(r"[a-z]{2}", text):
            return [], 0.0, False
        vector = self.model.vector(text)
        margins = self.model.margins(vector)
        if len(margins) == 1:  # two classes (one analysis and off-topic): one margin, for the second
            margins = [-margins[0], margins[0]]
        ranked = sorted(zip(self.model.classes, scores(margins)), key=lambda x: -x[1])
        sims = self.model.similarities(vector)
        labels = self.model.train_labels
        alike = set(labels[sims >= KNOWN_QUESTION])
        in_scope = [n for n, _ in ranked if n != OUT_OF_SCOPE]
        if len(alike) == 1 and (label := next(iter(alike))) in in_scope[1:]:
            # the question is one the examples hold, all under an analysis the model ranks lower: that
            # analysis ("who are my best customers" is an overview example, and a fit on questions about
            # "the best ones" as a group can put segmentation and CLV above it), its score swapped with the first's
            first = in_scope[0]
            scored = dict(ranked)
            scored[first], scored[label] = scored[label], scored[first]
            ranked = sorted(scored.items(), key=lambda x: -x[1])
        best = next((n for n, _ in ranked if n != OUT_OF_SCOPE), None)
        rows = self.model.label_rows.get(best, ())
        similarity = float(sims[rows].max()) if len(rows) else 0.0
        return [(str(n), float(p)) for n, p in ranked], similarity, alike == {best}

    def in_domain(self, text: str) -> bool:
        """Whether ``text`` speaks of customer analysis (``DOMAIN``, or a word of an analysis's
        name, title or summary)."""
        return any(DOMAIN.match(w) or w in self.domain_words for w in expand(text, self.spell).split())

    def decide(self, ranked: list[tuple[str, float]], similarity: float, in_domain: bool = False,
               known: bool = False) -> str:
        """"route", "clarify" or "decline" for a classification (see the module docstring). A
        question in the domain is never declined: where it would be, it is asked back; a known
        question (``KNOWN_QUESTION``) is not asked back."""
        in_scope = [(n, p) for n, p in ranked if n != OUT_OF_SCOPE]
        off_topic = not ranked or ranked[0][0] == OUT_OF_SCOPE or similarity < self.min_similarity
        surely_off = bool(ranked) and ranked[0][0] == OUT_OF_SCOPE and ranked[0][1] >= SURELY_OFF_TOPIC
        if not in_scope or off_topic and (not in_domain or surely_off):
            return "decline"
        if len(in_scope) > 1 and (off_topic or in_scope[0][1] < self.min_confidence and not known and
                                  in_scope[1][1] >= CLOSE_RUNNER_UP * in_scope[0][1]):
            return "clarify"
        return "route"

    def route(self, question: str, values: dict | None = None, end=None, analysis: str | None = None,
              customers=None, applies: Callable[[str], bool] | None = None, vocabulary=None) -> Route | None:
        """The likeliest analysis and the params the question gives it; None when nothing fits
        (declined). With ``analysis`` named, only its params are read. ``applies(name)`` says
        whether an analysis can answer on the loaded data: the scores of those that cannot are
        weighed down (``NOT_APPLICABLE``), so a near tie goes to one that can, while a question
        clearly for another still reaches it (and is told what data it needs). ``vocabulary``
        (a ``Vocabulary``: a company's words and nicknames) is applied before anything is read."""
        text = apply_vocabulary(slotlib.clean(question, slotlib.values_kept_whole(question, values)),
                                getattr(vocabulary, "words", None))
        nicknames = getattr(vocabulary, "nicknames", None)
        if analysis is None and (task_request(text) or OFF_DOMAIN.search(text) or other_company(text, values)):
            return None  # "write an email to customer C000233", "verizon's churn": no analysis, though in its words
        text, spelt = self.slot_typos(text, values)
        slots, used = slotlib.extract(text, values, end, customers, nicknames)
        if spelt:
            slots["spelt"] = spelt
        if analysis is not None:
            ranked, decision, conf = [], "route", 1.0
        else:
            # a deal stage read as a value ("closed won", "negotiation") also says which analysis (the
            # funnel's words): it stays for the classifier, as it does in training (no data values there)
            from .meant import STATUS_WORDS

            if "status" in (slots.get("by") or []) and STATUS_WORDS["win rate"].search(text):
                # "closed won vs closed lost ratio per industry": the two stages set against each other are
                # the win rate, not a breakdown by stage
                slots["by"] = [b for b in slots["by"] if b != "status"]
            stages = [str(v).lower() for v in ((values or {}).get("transactions") or {}).get("status") or []]
            rest = classifier_text(text, slots, [u for u in used if not any(
                u.strip().lower() in v or v in u.strip().lower() for v in stages)])
            ranked, similarity, known = self.classify(rest)
            if applies is not None and ranked:
                weighed = [(n, p if n == OUT_OF_SCOPE or applies(n) else p * NOT_APPLICABLE) for n, p in ranked]
                total = sum(p for _, p in weighed) or 1.0
                ranked = sorted(((n, p / total) for n, p in weighed), key=lambda x: -x[1])
            # "what to recommend with the espresso machine", "how did March compare to February": never off-topic
            about_data = names_data(slots) or bool(slots.get("compare"))
            if about_data:
                ranked = [(n, p) for n, p in ranked if n != OUT_OF_SCOPE]
            if (not ranked or set(rx.findall(r"[a-z']+", rest.lower())) <= SCOPE_ONLY) and HEADLINE in self.analyses \
                    and (slots.get("filters") or slots.get("start") or slots.get("compare")):
                # "how did kitchen do in q3 2025", "and germany last year?", "only Germany", "just customers in
                # France": nothing but a scope is said, so its headline figures are asked for
                ranked, similarity, known = [(HEADLINE, 1.0)], 1.0, True
            decision = self.decide(ranked, similarity, self.in_domain(rest) or about_data,
                                   known=known and ranked[0][0] != OUT_OF_SCOPE)
            if decision == "decline" and slots.get("filters") and HEADLINE in self.analyses and SHARE_OF_VALUES.match(text):
                # "what percentage are married or living together?": the share of customers holding values of
                # the data, though the words left once the values are read out are too few to route on
                ranked, decision = [(HEADLINE, 1.0)], "route"
            if decision == "decline":
                return None
            conf = max(p for n, p in ranked if n != OUT_OF_SCOPE)
        in_scope = [(n, p) for n, p in ranked if n != OUT_OF_SCOPE]
        name = analysis or in_scope[0][0]
        likely = in_scope[:1] + [(n, p) for n, p in in_scope[1:] if p >= MIN_READING * in_scope[0][1]]
        if len(likely) > 1 or decision != "clarify":  # an ask-back offers two readings at least
            in_scope = likely
        readings = {n: self.read(n, text, slots, values, end, customers, nicknames)
                    for n in ([name] + [n for n, _ in in_scope[1:3]] if decision == "clarify" else [name])}
        params, slots = readings[name]
        return Route(name, params, conf, in_scope[1:3], slots.get("unknown_names", []), decision, slots,
                     {n: p for n, (p, _) in readings.items()})

    def read(self, analysis: str, text: str, slots: dict[str, Any], values=None, end=None,
             customers=None, nicknames=None) -> tuple[dict[str, Any], dict[str, Any]]:
        """(params, slots) of ``text`` for ``analysis``: its phrases' params over the slots it has;
        the slots read again without what the phrases captured, when they captured something."""
        found, captured = phrase_params(self.phrases(analysis), self.analyses[analysis].Params, text)
        whole = slots
        if captured:
            rest = text
            for words in captured:
                rest = rest.replace(words, " ", 1)
            slots, _ = slotlib.extract(rest, values, end, customers, nicknames)
            # "funnel by channel (email, social etc)": the values of a column broken down by, read as its
            # examples from the whole question, stay examples when a phrase took the breakdown's words
            kept = slots.get("filters") or {}
            for column in [c for c in kept if c in (whole.get("by") or []) and c not in (whole.get("filters") or {})]:
                kept.pop(column)
            if "filters" in slots and not kept:
                slots.pop("filters")
        if isinstance(found.get("product"), str):  # "espresso machine" is the data's "Espresso Machine"
            products = (values or {}).get("transactions", {}).get("product") or \
                (values or {}).get("baskets", {}).get("product", [])
            said = found["product"]
            found["product"] = slotlib.product_said(said, products) or said
            first, low = whole.get("product"), text.lower()
            at, then = (low.find(first.lower()), low.find(said.lower())) if first else (-1, -1)
            between = low[at + len(first or ""):then] if 0 <= at < then else ""
            if first and first != found["product"] and between and not rx.search(r"[,;:?!]", between) \
                    and len(between.split()) <= 5:
                found["product"] = first  # "is yogurt bought with tropical fruit": the subject, said first
        return {**self.params_for(analysis, slots), **found}, slots

    def suggest(self, question: str, n: int = 3) -> list[str]:
        """Analyses nearest to a question, best first (for a polite no)."""
        ranked, _, _ = self.classify(slotlib.clean(question).lower())
        return [name for name, _ in ranked if name != OUT_OF_SCOPE][:n]

    def params_for(self, analysis: str, slots: dict[str, Any]) -> dict[str, Any]:
        """The slots the analysis's Params has. A product or segment named for an analysis without
        such a field narrows its data instead (a filter), where it takes filters."""
        return slot_params(getattr(self.analyses[analysis].Params, "model_fields", {}), slots)


def names_data(slots: dict[str, Any]) -> bool:
    """Whether the question named a product, customer or segment of the data (a country or city
    alone does not make "the weather in Berlin" a question for us)."""
    return any(slots.get(k) for k in ("product", "customer", "segment"))


def compile_phrases(name: str, analysis: Any) -> list[tuple[str, re.Pattern, Any]]:
    """An analysis's ``phrases`` as (param, compiled pattern, value), for the params its Params has;
    a pattern that does not compile is left out with a warning in the log (one plugin's typo must
    not stop routing)."""
    fields = getattr(getattr(analysis, "Params", None), "model_fields", {})
    out = []
    for param, patterns in (getattr(analysis, "phrases", None) or {}).items():
        if param not in fields:
            log.warning("analysis %s: phrases for %r, which its Params does not have, are ignored", name, param)
            continue
        for pattern, value in patterns.items():
            try:
                out.append((param, re.compile(pattern, re.I), value))
            except re.error as exc:
                log.warning("analysis %s: phrase %r for %r does not compile (%s): ignored", name, pattern, param, exc)
    return out


def phrase_params(phrases: list[tuple[str, re.Pattern, Any]], model: Any, text: str) -> tuple[dict[str, Any], list[str]]:
    """({param: validated value}, captured texts) of the phrases that match ``text``: the first
    match of each param wins; a value the Params model refuses is dropped (logged)."""
    from pydantic import ValidationError

    found: dict[str, Any] = {}
    captured: list[str] = []
    for param, pattern, value in phrases:
        if param in found:
            continue
        m = pattern.search(text)
        if m is None:
            continue
        if isinstance(value, str) and "\\" in value:
            value = m.expand(value).strip()
            value = slotlib._NUM_WORDS.get(value.lower(), value)
        try:
            found[param] = getattr(model.model_validate({param: value}), param)
        except ValidationError as exc:
            log.debug("phrase %r gave %s=%r, refused: %s", pattern.pattern, param, value, exc)
            continue
        captured += [g for g in m.groups() if g]
    return found, captured


def slot_params(fields: dict[str, Any], slots: dict[str, Any]) -> dict[str, Any]:
    """``slots`` as params for a Params model with these ``fields``."""
    params = {k: v for k, v in slots.items() if k in fields and v is not None}
    if "filters" in fields:
        filters = {k: list(v) for k, v in params.get("filters", {}).items()}
        for key, column in (("product", "product"), ("segment", "segment")):
            if key in slots and key not in fields:  # two products named: both ("yoga mat vs camping tent")
                said = slots.get("products") if key == "product" else None
                filters.setdefault(column, list(said or [slots[key]]))
        if filters:
            params["filters"] = filters
    return params


#: slots worth a warning when the analysis cannot use them (a metric or breakdown word is often
#: just a word of the question, so those are not reported)
REPORTED = {"top": "top {}", "bottom": "the lowest first", "k": "{} segments", "grain": "by {}", "start": "the period", "customer": "customer {}",
            "product": "product {!r}", "segment": "segment {!r}", "filters": "the filter"}


def unused_slots(analysis: str, fields: dict[str, Any], slots: dict[str, Any]) -> list[str]:
    """Warnings for what the question asked that the analysis has no parameter for."""
    params = slot_params(fields, slots)
    notes = []
    for key, text in REPORTED.items():
        if key in slots and key not in params and not (key in ("product", "segment") and key in
                                                        params.get("filters", {})):
            notes.append(f"{analysis} cannot use {text.format(slots[key])} from the question: it was not applied")
    return notes
