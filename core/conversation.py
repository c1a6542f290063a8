"""The conversation engine: each line of a conversation is read as one typed turn, and each
turn type has its own handler. ``Session.chat(line)`` is ``Engine(session).turn(line)``; the
engine keeps the conversation's state (``Conversation``) and answers through the Session's one
path: route -> validate -> run -> finish (``Session._checked_route``, ``Session.run``,
``Session._finish``).

A line is read (``read_turn``, a pure function) in this order:

1. Pick:        "1", "2.", "#3", "the second", "second one"   while readings are pending
2. Back:        "go back", "back", "undo", "previous answer"
3. Reset:       "reset filters", "no filters", "show all data" (filters and period cleared, the
                last analysis run again); "clear the period", "all time" (the period only);
                "remove the country filter" (that filter only);
                "start over", "new conversation"
                (everything forgotten). Always works, even before any answer or after an error.
4. Explain:     only a bare "why?", "why is that?", "how come?", "how did you compute that?",
                "explain", "show me the sql", "what method": the method, params and SQL of the last
                answer. "why do customers churn?" is a question. A bare "why?" after an analysis
                that can say why and did not (an ``explain`` param: churn from purchases) is that
                analysis again, saying why (its drivers).
5. Export:      "export that to excel", "save as csv", "save it to results.xlsx";
   ExportDocuments: "export personas" (or "... as html"; the documents an analysis writes,
                one file each, see Analysis.documents)
6. Plot:        "plot it", "chart that", "draw a graph", "visualise it"
7. Map:         "use Net Sales as the amount", "no, use Created at as the order date"
8. Correction:  "no, use k=5", "use top 20", "make it 4 segments"
9. Question, or FollowUp: a line made only of slot words (a country, a period, "top 20",
                "by quarter", "only B2B", "for the champions") and filler ("and", "what about",
                "only", "instead", "the same"...) is a follow-up to the last analysis; so is one that
                starts with a follow-up cue ("and ...", "what about ...", "only ...") when the
                classifier finds no analysis for it or the last one again ("only rules with lift above
                2" after a product's rules: the product stays) (``Engine.follows_up``, which needs the
                data's values). A follow-up the last analysis cannot take ("top 20 customers" after
                bundles) is asked as a new question; so is a line with a number of groups or a share
                the last analysis has no field for ("segment customers into 4" after churn).
                Everything else is a new question.

Scope lasts until changed: the filters and the period in force (``Conversation.filters`` and
``.period``) apply to every later answer that can take them, are shown in the answer's first line
(``understood``) and in the shell's prompt, and change only when a line names new ones, "go back"
or a reset. One an analysis cannot apply (no such column; a basket file has no dates) is dropped
for that answer with a note, never an error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable

from . import kit, rx
from .answer import Answer
from .errors import CannotAnswer, CustlensError, DataError, ParamsError, ScopeError
from .slots import COUNTED, TABLE_METRIC
from .templates import pct

if TYPE_CHECKING:  # pragma: no cover
    from .session import Session

ORDINALS = {"first": 1, "one": 1, "second": 2, "two": 2, "third": 3, "three": 3, "1st": 1, "2nd": 2, "3rd": 3}
PICK = re.compile(r"^(?:#|no\.?\s*|number\s+|option\s+)?(\d)\s*[.)]?$|^(?:the\s+)?(" + "|".join(ORDINALS)
                  + r")(?:\s+(?:one|reading|option))?\s*[.!]?$")
BACK = re.compile(r"^(?:go\s+back|back|undo|previous(?:\s+answer)?|go\s+to\s+the\s+previous\s+(?:one|answer))\s*[.!]?$")
_SCOPE_WORDS = r"(?:filters?|periods?|dates?|date\s+ranges?|time\s+ranges?|years?|comparisons?|scope|segments?)"
#: a request's polite opening before a reset: "could you reset the filters", "pls clear the dates", "let's start over"
_ASKING = (r"(?:(?:please|pls|plz|kindly|could\s+you|can\s+you|would\s+you|will\s+you|let'?s|let\s+us|i\s+(?:want|need)\s+(?:you\s+)?to|"
           r"now|then|next|and(?:\s+now)?|ok|okay|right|actually|alright|so|oh|ah)[,]?\s+)*")  # "now reset the filters and ...", "actually, scrap the filters"
RESET = re.compile(r"^" + _ASKING + r"(?:(?:reset|clear|remove|drop|forget|undo|take\s+(?:away|off|out)|get\s+rid\s+of|ditch|"
                   r"scrap|lose|turn\s+off|switch\s+off)\s+(?:all\s+)?(?:of\s+)?"
                   r"(?:the\s+|my\s+|those\s+|these\s+|any\s+)?" + _SCOPE_WORDS + r"(?:\s+and\s+(?:the\s+)?"
                   + _SCOPE_WORDS + r")?\b|no\s+(?:more\s+)?filters?\b|(?:without|with\s+no)\s+(?:any\s+|the\s+)?filters?\b|(?:show\s+)?all\s+(?:the\s+)?data\s*$|"
                   r"(?:for\s+|over\s+)?all\s+time\s*$|reset\s*$|clear\s*$|(?:stop|quit)\s+comparing\b|no\s+(?:more\s+)?comparisons?\b)")
_START_OVER = (r"^" + _ASKING + r"(?:start\s+(?:over|again|afresh|fresh|from\s+scratch)|begin\s+again|fresh\s+start|clean\s+slate|"
               r"new\s+conversation|forget\s+(?:everything|it\s+all|all\s+that)|"
               r"(?:reset|clear)\s+(?:everything|all|the\s+conversation))")
START_OVER = re.compile(_START_OVER + r"\s*[.!]*$")
#: "reset filters. churn by tenure", "start over - what's the win rate", "drop the filter and show
#: revenue by month": a reset, then a question asked without the old scope (``Reset.then``)
_THEN = re.compile(r"\s*(?:(?:please|pls|plz|po|kindly)\b\s*)*(?:[.;:!,]+|\s[-\u2013\u2014]+|\band\b|\bthen\b)\s*"
                   r"(?:(?:and\s+)?then\b\s*)?")  # "reset filters pls then how many customers", "reset filters po and ..."
#: a line that is only a year or a month in figures ("2024?", "2025-03"): the period of the last question changed
PERIOD_ALONE = re.compile(r"(?:19|20)\d{2}(?:-\d{2})?\s*[?.!]*")
#: "in that quarter", "same period": the period in force, named by reference
SAME_PERIOD = re.compile(r"\b(?:that|this|the\s+same|same)\s+(?:period|quarter|year|month|week|time\s*frame|window|range)\b")
#: words that open a line without meaning anything: "ok reset filters", "cool, now by quarter"
DISCOURSE = re.compile(r"^(?:(?:ok(?:ay)?|k|cool|alright|all\s+right|right|great|nice|thanks|thank\s+you|cheers|perfect|"
                       r"got\s+it|lovely|brilliant|excellent|awesome|good|fine|well|yes|yeah|yep|hm+|hmm+|so|sure|righto|"
                       r"right-o|sweet(?:\s+as)?|chur|choice|ta|kia\s+ora|noted|understood|yalla|sawa|sasa|haya|poa|"
                       # Irish, Italian, Spanish, German and radio words; "grand" and "super" only set apart by a comma
                       # ("grand, and for Spain?", not "grand total")
                       r"(?:grand|sound|deadly|super|class)(?=\s*[,.!:;-])|sure\s+look|allora|ecco|va\s+bene|perfetto|grazie|"
                       r"bene|gotcha|roger|bueno|vale|genau|prima|dank\s*je|please|tamam|"
                       # French: "bon, on enlève tous les filtres", "d'accord. et pour 2024 ?" (merci is "please" once cleaned)
                       r"bon|d'accord|parfait|nickel|g[ée]nial|voil[àa]|alors|bref|donc|ben|bah)\b"
                       r"[\s,.!:;-]+)+(?=\S)", re.I)
#: ``Reset.column`` of "drop the filter", "remove that filter": whichever filters are in force
ANY_FILTER = "*"
#: one filter: "remove the country filter", "drop the filter on segment" (the web page's filter chips send it)
UNFILTER = re.compile(r"^(?:please\s+)?(?:remove|drop|clear|forget|undo)\s+(?:the\s+)?(?:filter\s+(?:on|for|by)\s+"
                      r"(?:the\s+)?(?P<a>[a-z][\w ]*?)|(?P<b>[a-z][\w ]*?)\s+filter)\s*[.!]?$")
#: only a bare request to explain the last answer; "why do customers churn?" is a question
EXPLAIN = re.compile(r"^(?:(?:and|but|so|ok|okay|hm+|hmm)[,.]?\s+)?(?:"
                     r"why(?:\s+(?:is|was|are|were)\s+(?:that|this|it|these|those))?(?:\s+so)?|how\s+come|"
                     r"explain(?:\s+(?:that|it|this|the\s+(?:answer|result|numbers?|figures?)))?(?:\s+please)?|"
                     r"how\s+(?:did|do)\s+you\s+(?:compute|calculate|get|work\s+out|arrive\s+at|come\s+up\s+with|do|"
                     r"figure\s+out)(?:\s+(?:that|it|this|these|those|the\s+(?:numbers?|figures?|result|answer)))?"
                     r"(?:\s+(?:number|figure|result)s?)?|"
                     r"how\s+(?:was|is|were|are)\s+(?:that|this|it|these|those)\s+(?:computed|calculated|worked\s+out|"
                     r"done|made)|where\s+(?:does|did|do)\s+(?:that|this|it|these|those)\s+come\s+from|"
                     r"(?:show\s+(?:me\s+)?)?(?:the\s+)?sql|(?:what|which)\s+method(?:\s+did\s+you\s+use)?|"
                     # "what's driving it, do you reckon?", "what's behind that", "any reasons?"
                     r"what(?:'s|\u2019s|\s+is|\s+are)?\s+(?:driving|behind|causing)\s+(?:it|that|this|those|these)|"
                     r"what\s+(?:drives|causes)\s+(?:it|that|this)|(?:any|the)\s+reasons?(?:\s+(?:for\s+)?(?:it|that|this))?)"
                     r"(?:[,\s]+(?:tho|though|then|exactly|please|do\s+you\s+(?:reckon|think)|you\s+think|any\s+ideas?))*"
                     r"\s*[?.!]*$")
#: the explain requests that ask for causes, not for the method: after an answer that can say why and
#: did not, they run it again saying why ("why?", "what's driving it?", "how come", "any reasons?")
WHY = re.compile(r"\W*(?:(?:and|but|so|ok|okay|hm+)[,.]?\s+)?(?:why\b|how\s+come\b|what(?:'s|\u2019s|\s+is|\s+are)?\s+"
                 r"(?:driving|behind|causing|drives|causes)\b|(?:any|the)\s+reasons?\b)")
#: "export personas (as html)": the documents an analysis writes, one file each (Analysis.documents)
DOCUMENTS = re.compile(r"^(?:export|save|write|download)\s+(?:the\s+|all\s+|our\s+|my\s+)*(?P<noun>[a-z]+)\b"
                       r"(?:.*?\b(?P<html>html|web\s*pages?))?", re.I)
EXPORT = re.compile(r"^(?:export|save|write|download)\b(?:\s+(?:that|it|this|them|the\s+(?:result|answer|table)s?))?"
                    r"(?:\s+(?:to|as|in|into))?(?:\s+(?:an?\s+)?)?(?P<what>.*)$")
FORMATS = {"excel": ".xlsx", "xlsx": ".xlsx", "spreadsheet": ".xlsx", "csv": ".csv", "json": ".json",
           "html": ".html", "web page": ".html", "markdown": ".md", "md": ".md", "text": ".txt", "txt": ".txt"}
PLOT = re.compile(r"^(?:plot|chart|graph|draw|visuali[sz]e|show\s+(?:me\s+)?(?:a\s+|the\s+)?(?:chart|graph|plot))\b"
                  r"(?:\s+(?:it|that|this|them|a\s+(?:chart|graph)))?\s*[.!]?$")
MAP = re.compile(r"^(?:no[,.!]?\s+)?use\s+[\"']?(?P<column>.+?)[\"']?\s+as\s+(?:the\s+)?(?P<canonical>[a-z][a-z _]*?)\s*[.!]?$",
                 re.I)
CORRECTION = re.compile(r"^(?:(?:no|nope|nah|actually|rather|sorry|oops|my\s+bad|nvm|never\s*mind|wait|scrap\s+that|"
                        r"forget\s+that|ah|oh|aiyo|aiyah|hmm+)[,.!]?\s+)+"
                        r"(?:wrong\s+[\w ]{1,20}?\s*[-,:;\u2013]+\s*)?(?:use\s+|make\s+(?:it|that)\s+|with\s+)?(?P<rest>.+)$|"
                        r"^(?:use|make\s+(?:it|that)|try|change\s+(?:it\s+)?to)\s+(?P<rest2>.+)$", re.I)
#: the words of a line that only asks for the last answer again ("same again", "do that again please")
REPEAT_WORDS = set("same again please pls the thing one ok okay do it that this show me once more repeat".split())
#: the words of what a reset asks besides the reset itself, when it only asks for the last answer
#: again over all the data ("reset filters, show me everybody again", "clear it and run it again on everything")
AGAIN_WORDS = REPEAT_WORDS | set("""everybody everyone everything all whole lot data customers run rerun re-run on for
over give let us see again now then period periods time dates range history entire full pls please""".split())
_WORDS = re.compile(r"[\w'-]+")
#: the words besides its scope of a line that says the scope in force again ("only Germany" twice)
SCOPE_AGAIN = set("and only just for in from of the again still alone please pls ok okay then so".split())
#: words a follow-up is made of besides its slot words ("and what about France instead?")
FILLER = set("""and what about how but now then only just also instead same the a an for in on at of with by per from
show me do it that this again please same thing one those them let's lets see try same for only ok okay
segment segments group customer customers client clients rather than versus vs compared deals accounts users buyers
members people shoppers payers subscribers ones lot companies firms businesses organisations organizations
related""".split())  # "only delivery related", "and price related?"
#: slots that say which analysis is meant (a number of groups, a share of customers, the rows of a
#: ranking: "top 3 customers" after a cohort table): a line with one the last analysis has no field
#: for is a new question, not a follow-up
ANALYSIS_SLOTS = ("k", "share", "top")
#: "n" said of things counted ("n customers by payment method"): the number of them, not "and"
N_COUNTED = r"\bn(?=\s+" + COUNTED + r"\b)"
FOLLOW_UP_CUE = re.compile(r"^(?:and|(?!" + N_COUNTED + r")n|&|what\s+about|how\s+about|same|now|only|just|instead|"
                           r"but|then|also)\b")
#: the words a follow-up may have besides FILLER, its slot words and the data's column names: how
#: it changes the last analysis ("restrict to B2C", "quarterly grain instead", "extend to 24 months",
#: "bottom 15 only", "add InternetService to the breakdown", "where Partner = Yes", "the ones
#: involving whole milk"); never words that ask something new
FOLLOW_UP_WORDS = FILLER | set("""ok okay cool alright so n tho though too well restrict restricted restricting limit
limited limiting narrow narrowed filter filtered filtering keep keeping switch change swap add adding to into where
whose group ones involving containing contain contains including include includes without grain granularity level
view breakdown break down split broken out bottom worst lowest highest least top most best side put extend extended
plus as
horizon window all again still whole does did compare compared comparing comparison against versus each every used
be were was differ differs differ vary varies look looks like conditional given among amongst over count counts
specifically particularly especially is further additionally stratify stratified stratifying stratum strata
if you would could can kindly thanks thank cheers mind lot bunch folks crowd guys
open lah leh lor ah meh hor pls plz tks mate nvm alone solely exclusively abeg oya o sef na
excluding exclude excludes excluded except leave leaving left out other apart aside minus ignore ignoring not
everything everyone everybody anything else""".split())  # "restrict that to EMEA, if you would", "SG only leh"
#: a follow-up that narrows the rows ("only closed won deals", "just the 2025 orders") and one that counts them
ONLY_THOSE = re.compile(r"^\W*(?:(?:and|ok|now|but)\s+)?(?:only|just)\b", re.I)
#: the words of a narrowing line before what it narrows to: "only those who", "just the donors with"
NARROWED_TO = re.compile(r"^\W*(?:(?:and|ok|now|but)\s+)?(?:only|just)\s+(?:(?:the|those|these|our|my)\s+)?(?:(?:ones?|people|"
                         r"customers?|clients?|donors?|members?|guests?|users?|accounts?|buyers?|subscribers?)\s+)?"
                         r"(?:(?:who|that|which|with|whose)\s+(?:are|were|is|have|had|has)?\s*)?", re.I)
COUNT_SAID = re.compile(r"\b(?:how\s+many|number\s+of|counts?|#|how\s+often)\b", re.I)
#: "is there any difference between ...": the values named after it set side by side (a breakdown)
DIFFERENCE = re.compile(r"\b(?:is\s+there\s+)?(?:(?:any|a|real|big)\s+)*differences?\s+between\b")
#: a line that points back at the last answer's rows: "how many of them are in the US", "which of
#: those are about to lapse", "churn rate for that group"
BACK_REFERENCE = re.compile(r"\b(?:of\s+(?:them|those|these)|those|these|them|they|their|"
                            r"th(?:at|is|ose|ese)\s+(?:group|groups|segments?|cohorts?|lists?|customers|accounts|ones))\b")
#: question words a line pointing back may have and still be a follow-up ("how many of them ...")
BACK_WORDS = set("how many much which who what what's whats are is was were there have has do does did".split())
#: a line that only asks which of a breakdown the last answer's rows are ("which products", "which
#: countries are they in?", "what categories are those from")
WHICH_BREAKDOWN = re.compile(r"^\W*(?:and\s+|so\s+|ok\s+)?(?:which|what)\s+[\w-]+(?:\s+[\w-]+)?(?:\s+(?:are|is|were|was|do|does|"
                             r"did)\s+(?:they|it|those|these|them)(?:\s+(?:about|in|from|for|on|of))?)?\W*$")
#: what moved between two periods compared, asked by what drove it: "which products drove the difference?", "what
#: categories are behind the growth", "where did the drop come from, by country" (the comparison by that breakdown)
DROVE_THE_CHANGE = re.compile(
    r"\b(?:drove|drives?|driven|driving|behind|explains?|explained|account(?:s|ed)?\s+for|caused?|responsible\s+for|"
    r"contribut\w*(?:\s+most)?\s+to|made\s+up)\b.*\b(?:difference|change|gap|growth|increase|decrease|drop|decline|jump|"
    r"rise|fall|dip|swing|uplift|shift)\b|\bwhere\s+(?:did|does|do)\s+(?:the|that|this|all\s+the)?\s*(?:growth|increase|"
    r"drop|decline|difference|change|gap|uplift)\s+come\s+from\b")
#: the words pointing back themselves, allowed in a line that asks a measure of the last answer's rows
#: ("and how much did they spend", "how many orders did they place"), not in one asking who they are
THEY = set("they them those these their of".split())
#: words that say how customers hold a value, in a line that only narrows to them ("only those who
#: log in on a computer", "customers who pay by UPI", "the ones using a phone"): no analysis of their own
RELATION_WORDS = set("""focus focusing zoom zooming drill drilling down into us
who that which whose whom use uses using used user users pay pays paying paid prefer prefers
preferring preferred log logs logged logging login sign signs signed live lives living based located shop shops
shopping come comes coming from with via through by mostly usually mainly mostly primarily tend tends tended
are is have has had people person ones one came ordering order orders ordered buy buys buying bought acquired
joined arrived found traffic visitors visits sessions stuff things customers clients accounts buyers shoppers
specifically instead within together lot""".split())
#: a line that narrows: a follow-up cue, a back reference, or a relative clause ("customers who ...")
NARROWS = re.compile(r"\b(?:who|whose|that\s+(?:use|pay|prefer|log|live|shop|are|have)\w*|using|with|paying|"
                     r"living|based\s+in|conditional\s+on|conditioning\s+on|given|focus(?:ing)?\s+(?:on|in)|"
                     r"zoom(?:ing)?\s+in|drill(?:ing)?\s+(?:down\s+)?(?:into|in|on))\b")
#: "how many of them complained", "what share of those are female": a count among the customers the
#: last answer was about (``Engine.count_of_them``)
COUNT_OF_THEM = re.compile(r"^(?:(?:and|so|but|ok|okay)[,\s]+)?(?:how\s+many|what\s+(?:share|percentage|percent|"
                           r"proportion|fraction|part|number)|what\s*%)\s+(?:of\s+)?(?:them|those|these|they)\b"
                           r"(?:\s+(?:churned\s+)?(?:customers|clients|ones|people))?\s*(?P<rest>.*?)[\s?.!]*$", re.I)


#: a line asking where the customers just listed stand on one column: "which country are they from?",
#: "and their countries?", "split them by channel"
OF_THEM = re.compile(r"\b(?:they|them|those|these|their)\b|\bhow\s+many\s+(?:is|are|was|were)\s+that\b", re.I)


def listed_customers(last: "Turn", analysis: Any = None) -> tuple[str, list[str]] | None:
    """The customers the last answer named one by one because a top N was asked ("top 10
    customers", "best 5 clients by orders"), or every customer it is about (the table ``analysis.lists``
    names: churn's churned customers): its table's title and their ids. "How many of them are
    in Germany" then counts among those (``Engine.count_of_them``), not the whole base."""
    own = getattr(analysis, "lists", None)
    for table in last.answer.tables if own else ():
        if table.name == own and table.columns and table.columns[0] in ("customer", "customer_id") and table.rows \
                and table.complete:  # every one of them, not only the rows shown ("Churned customers, by ...": the first words)
            return (table.title or own).split(", by ")[0], [str(v) for v in table.frame.iloc[:, 0]]
    top = last.params.get("top")
    if not isinstance(top, int) or top < 1:
        return None
    for table in last.answer.tables:
        if table.columns and table.columns[0] in ("customer", "customer_id") and 0 < len(table.rows) <= top:
            return table.title or f"top {len(table.rows)} customers", [str(row[0]) for row in table.rows]
    return None


# ---------------------------------------------------------------------- the turn types
@dataclass(frozen=True)
class TurnType:
    """A line of the conversation, read: ``kind`` names its type (and its handler)."""

    text: str
    kind = "question"


@dataclass(frozen=True)
class Question(TurnType):
    kind = "question"


@dataclass(frozen=True)
class FollowUp(TurnType):
    kind = "follow_up"


@dataclass(frozen=True)
class Pick(TurnType):
    number: int = 1
    kind = "pick"


@dataclass(frozen=True)
class Back(TurnType):
    kind = "back"


@dataclass(frozen=True)
class Reset(TurnType):
    everything: bool = False  # "start over": the answers are forgotten too
    period_only: bool = False  # "clear the period", "remove the dates": the filters stay
    column: str = ""  # "remove the country filter": that filter only (the period and other filters stay);
    # ANY_FILTER for "drop the filter": the filters in force, the period kept
    then: str = ""  # "reset filters. churn by tenure": the question asked after the reset
    kind = "reset"


@dataclass(frozen=True)
class Explain(TurnType):
    kind = "explain"


@dataclass(frozen=True)
class Export(TurnType):
    target: str | None = None
    kind = "export"


@dataclass(frozen=True)
class ExportDocuments(TurnType):
    analysis: str = ""
    fmt: str = "md"
    kind = "export_documents"


@dataclass(frozen=True)
class Plot(TurnType):
    kind = "plot"


@dataclass(frozen=True)
class Map(TurnType):
    canonical: str = ""
    column: str = ""
    kind = "map"


@dataclass(frozen=True)
class Correction(TurnType):
    rest: str = ""
    kind = "correct"


@dataclass(frozen=True)
class Help(TurnType):
    kind = "help"


@dataclass(frozen=True)
class StartInterview(TurnType):
    """"interview five forces", "start the five forces interview", "resume the interview"."""

    analysis: str = ""  # "" for "resume the interview": the one paused in this conversation
    file: str | None = None
    kind = "interview"


@dataclass(frozen=True)
class InterviewAnswer(TurnType):
    """A line while a guided interview runs: its answer ("pause" saves and leaves it)."""

    kind = "interview_answer"


#: "interview five forces [FILE]", "start the five forces interview", "resume my interview"
INTERVIEW = re.compile(r"^(?:(?:start|begin|do|run|resume|continue|restart)\s+(?:with\s+)?(?:the\s+|a\s+|an\s+|my\s+|our\s+)?)?"
                       r"(?:(?:guided\s+)?interview\s+(?P<name>[a-z][\w' -]*?)|(?P<name2>[a-z][\w' -]*?)\s+interview|"
                       r"(?P<bare>(?:the\s+|my\s+)?interview))"
                       r"(?:\s+(?:from\s+|in\s+|to\s+)?(?P<file>[\w~-]*[./][^\s]*))?\s*[.!]?$", re.I)


HELP_WORDS = {"help", "?", "what can you do", "what can you do?", "commands", "analyses", "what do you do"}


def read_turn(text: str, pending: bool, documents: dict[str, str] | None = None) -> TurnType:
    """The type of a line of the conversation, in the order of the module docstring (a follow-up
    is told from a question later, by the engine, which knows the data). ``documents`` maps the
    nouns of the documents analyses write ("personas", "persona") to the analysis that writes them."""
    low = text.lower().strip().rstrip("?").strip()
    if text.lower().rstrip("!. ") in HELP_WORDS:
        return Help(text)
    m = PICK.match(low)
    if pending and m:
        return Pick(text, int(m.group(1)) if m.group(1) else ORDINALS[m.group(2)])
    if BACK.match(low):
        return Back(text)
    if START_OVER.match(low):
        return Reset(text, everything=True)
    m = UNFILTER.match(low)
    if m and (m.group("a") or m.group("b")) not in ("all", "all the", "every", "any", "my", "those", "these"):
        column = rx.sub(r"\s+", "_", (m.group("a") or m.group("b")).strip())
        if rx.fullmatch(r"period|dates?|date_range|time_range|years?", column):
            return Reset(text, period_only=True)
        if column in ("the", "that", "this"):  # "drop the filter": the filter in force, not the period
            column = ANY_FILTER
        return Reset(text, column=column)
    compound = _reset_then(text)
    if compound is not None:
        return compound
    if RESET.match(low):
        return Reset(text, period_only=_period_only(low))
    if EXPLAIN.match(low):
        return Explain(text)
    m = DOCUMENTS.match(low)
    # "write personas for those" asks for personas; "write the personas to files / as html" saves them
    if m and m.group("noun") in (documents or {}) and not (
            low.startswith("write") and not rx.search(r"\b(?:to|into|as|html|markdown|md|files?|disk|folder)\b",
                                                      low[m.end("noun"):])):
        return ExportDocuments(text, documents[m.group("noun")], "html" if m.group("html") else "md")
    m = EXPORT.match(low)
    if m and (_export_target(text) or m.group("what").strip() in FORMATS or not m.group("what").strip()):
        return Export(text, _export_target(text))
    if PLOT.match(low):
        return Plot(text)
    m = MAP.match(text.strip().rstrip("?"))
    if m and not rx.fullmatch(r"\w+\s*=\s*\S+", m.group("column")):
        return Map(text, m.group("canonical").strip().replace(" ", "_").lower(), m.group("column").strip())
    m = CORRECTION.match(text.strip())
    if m:
        return Correction(text, (m.group("rest") or m.group("rest2")).strip())
    return Question(text)


def _period_only(low: str) -> bool:
    """Whether a reset names only the period ("clear the period", "all time"), not the filters."""
    return bool(rx.search(r"\b(?:periods?|dates?|date\s+ranges?|time\s+ranges?|years?|comparisons?|comparing|all\s+time)\b", low)) \
        and not rx.search(r"\b(?:filters?|scope|data|segments?)\b|^reset\s*$|^clear\s*$", low)


#: a question that follows a reset without a stop between them ("reset filters whats the overall count")
_ASKED = re.compile(r"\s+(?:what|whats|what's|how|which|who|whos|who's|where|when|show|give|list|tell|plot|compare|"
                    r"overall|total|number|count|top|n)\b", re.I)


def _reset_then(text: str) -> "Reset | None":
    """"reset filters. churn by tenure", "start over - what is the win rate", "drop the filter and
    show revenue by month": a reset followed by a question (``Reset.then``), else None."""
    line = text.strip()
    low = line.lower()
    for pattern, everything in ((re.compile(_START_OVER), True), (RESET, False),
                                (re.compile(r"^" + _ASKING + r"(?:reset|clear)(?:\s+(?:that|this|it|them|those|these))?\b"
                                            r"(?=\s*(?:[,.;:!-]|and\b|then\b))"), False)):
        m = pattern.match(low)
        if not m:
            continue
        sep = _THEN.match(line, m.end())
        rest = line[sep.end():].strip() if sep and sep.end() > m.end() else ""
        if not rest and _ASKED.match(line[m.end():]):  # "reset filters whats the overall customer count": said on
            rest = line[m.end():].strip()  # without a stop, the question is still asked (never dropped)
        if set(_WORDS.findall(rest.lower())) <= AGAIN_WORDS:  # "reset filters, show me everybody again"
            rest = ""
        if rx.search(r"[^\W\d_]{2}", rest) and not RESET.match(rest.lower()):
            head = low[:m.end()]
            return Reset(text, everything=everything, period_only=not everything and _period_only(head), then=rest)
    return None


def strip_discourse(text: str) -> str:
    """``text`` without the words that open a line and mean nothing ("ok reset filters", "cool, by
    quarter"); ``text`` itself when nothing else is left ("ok")."""
    rest = DISCOURSE.sub("", text).strip()
    return rest if rx.search(r"[^\W\d_]", rest) else text


def classify_turn(text: str, pending: bool, documents: dict[str, str] | None = None) -> tuple[str, Any]:
    """(kind, detail) of ``read_turn``, for callers that only need the kind (webhooks refuse file
    turns before answering)."""
    turn = read_turn(text, pending, documents)
    detail = {Pick: lambda t: t.number, Export: lambda t: t.target,
              ExportDocuments: lambda t: (t.analysis, t.fmt), Map: lambda t: (t.canonical, t.column),
              Correction: lambda t: t.rest}.get(type(turn), lambda t: None)(turn)
    return turn.kind, detail


# ---------------------------------------------------------------------- the state
@dataclass
class Turn:
    """One answered question: what ran, with which params (as asked, before validation), and the
    scope in force after it (for "go back")."""

    question: str
    analysis: str
    params: dict[str, Any]
    answer: Answer
    filters: dict[str, list[str]]
    period: tuple[Any, Any] | None = None
    compare: list | None = None


@dataclass
class Conversation:
    """What a conversation remembers: the scope in force (filters and period), the answered turns
    (a stack, for "go back"), and the readings offered when a question was ambiguous."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    period: tuple[Any, Any] | None = None  # (start, end), either may be None
    #: two periods compared ("aov 2024 vs 2025"): in force like a period, and instead of one
    compare: list | None = None
    turns: list[Turn] = field(default_factory=list)
    pending: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: the guided interview running (every line is its answer), and those paused, by analysis
    interview: Any = None
    paused: dict[str, Any] = field(default_factory=dict)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def describe_filters(self) -> str:
        """"country=Germany, customer_type=B2B"."""
        return ", ".join(f"{k}={'|'.join(map(str, v))}" for k, v in self.filters.items())

    def describe_period(self) -> str:
        """"1998", "Q3 2024", "since 2023-03-01", "2024 vs 2025" (nothing without a period)."""
        from .templates import compare_label, period_label

        if self.compare:
            return compare_label(self.compare)
        return period_label(*self.period) if self.period else ""

    def describe_scope(self) -> str:
        """The period and filters in force, for the prompt: "1998, country=Germany"."""
        return ", ".join(p for p in (self.describe_period(), self.describe_filters()) if p)

    def clear_scope(self) -> None:
        self.filters, self.period, self.compare = {}, None, None


# ---------------------------------------------------------------------- the engine
class Engine:
    """Reads each line as a turn type and answers it with that type's handler. Stateless itself:
    the state is ``session.conversation`` (a front end or test may replace it)."""

    def __init__(self, session: "Session"):
        self.session = session
        self.handlers: dict[type, Callable[[Any, list[str]], Answer]] = {
            Help: self._help, Pick: self._pick, Back: self._back, Reset: self._reset, Explain: self._explain,
            Export: self._export, ExportDocuments: self._export_documents, Plot: self._plot, Map: self._map,
            Correction: self._correction, FollowUp: self._follow_up, Question: self._question,
            StartInterview: self._start_interview, InterviewAnswer: self._interview_answer}

    @property
    def conversation(self) -> Conversation:
        return self.session.conversation

    def read(self, text: str) -> TurnType:
        """The turn type of a cleaned line (a question is told from a follow-up here). While a
        guided interview runs, every line is its answer."""
        if self.conversation.interview is not None:
            return InterviewAnswer(text)
        started = self.interview_named(text)
        if started is not None:
            return started
        turn = read_turn(text, bool(self.conversation.pending), self.session._documents())
        if isinstance(turn, Question) and (rx.search(r"[^\W\d_]", text) or PERIOD_ALONE.fullmatch(text.strip())) \
                and self.follows_up(text):
            return FollowUp(text)
        return turn

    def turn(self, line: str) -> Answer:
        """One line of the conversation, answered."""
        text, warnings = self.session._clean(line)
        if self.conversation.interview is None:
            text = strip_discourse(text)
        m = NEW_TOPIC.match(text) if self.conversation.interview is None else None
        if m and rx.search(r"[^\W\d_]{2}", text[m.end():]):
            text = text[m.end():]
            had = self.conversation.describe_scope()
            self.conversation.clear_scope()
            last = self.conversation.last
            if last is not None:  # a follow-up after it starts from the last params without their scope
                self.conversation.turns[-1] = replace(last, params={k: v for k, v in last.params.items()
                                                                    if k not in ("filters", "segment", *PERIOD_KEYS)})
            if had:
                warnings.append(f"a new question: {had} no longer in force")
        m = DROP_SPLIT.match(text) if self.conversation.last is not None and \
            self.conversation.interview is None else None
        if m:
            text = self._drop_split(m, warnings)
            if not text:  # "drop the channel split" alone: the last answer again without it
                last = self.conversation.last
                answer = self.answer(line, last.analysis, last.params, {}, warnings)
                return answer
        m = DROP_FILTER.match(text) if self.conversation.filters and self.conversation.interview is None else None
        key = self._filter_named(m.group("what")) if m else None
        if key is not None:  # "drop the b2b bit, ...", "forget delivery", "cancel the Books filter and ..."
            rest = (m.group("rest") or "").strip()
            if not rx.search(r"[^\W\d_]{2}", POLITE.sub("", rest)):  # "..., if you would"
                return self._unfilter(Reset(text, column=key), warnings)
            warnings.append(f"filter {key}={'|'.join(map(str, self.conversation.filters.pop(key)))} removed")
            last = self.conversation.last
            if last is not None:
                kept = {k: v for k, v in (last.params.get("filters") or {}).items() if k != key}
                self.conversation.turns[-1] = replace(last, params={**last.params, "filters": kept})
            text = rest
        turn = self.read(text)
        if not isinstance(turn, (Pick, Help)):
            self.conversation.pending = []
        answer = self.handlers[type(turn)](turn, warnings)
        scope = self.conversation.describe_scope()
        if scope and not answer.understood and answer.analysis not in ("reset", "help", "interview"):
            # an ask-back, an explanation, an export: the scope in force is still said first
            answer.understood = f"{answer.analysis} · in force: {scope}"
        return answer

    def _filter_named(self, said: str) -> str | None:
        """The column of the filter in force that ``said`` names, by its column ("the country") or one
        of its values ("b2b", "delivery", "the Books"), else None."""
        said = rx.sub(r"\s+", " ", said.strip().lower())
        for column, values in self.conversation.filters.items():
            name = column.replace("_", " ")
            if said in {name, name + "s", name.split()[-1]} or said in {str(v).lower() for v in values}:
                return column
        return None

    def _drop_split(self, m: re.Match, warnings: list[str]) -> str:
        """"drop the channel split - what share ...": the breakdown named leaves the last answer's
        params (so a follow-up no longer has it); returns the rest of the line to answer."""
        from . import slots as slotlib

        conv = self.conversation
        last = conv.last
        said = rx.sub(r"^(?:that|this|those|these|any)\b", "", m.group("col").strip().lower()).strip()
        by = list(last.params.get("by") or [])
        named = {c for _, _, c in slotlib.column_mentions(said, by)} | \
            {b for b in by if said and set(said.split()) <= set(b.replace("_", " ").split())}
        kept = [b for b in by if b not in named] if said else []  # "drop the split": every breakdown
        conv.turns[-1] = replace(last, params={**last.params, "by": kept})
        if kept != by:
            warnings.append(f"breakdown by {', '.join(b for b in by if b not in kept)} dropped")
        return (m.group("rest") or "").strip()

    def guided(self) -> dict[str, str]:
        """Name as said ("fiveforces", "porter") -> the analysis with a guided interview
        (``Analysis.guided_interview``)."""
        out = {}
        for name, obj in self.session.analyses.items():
            if callable(getattr(obj, "guided_interview", None)):
                out[rx.sub(r"[^a-z0-9]", "", name.lower())] = name
                out[rx.sub(r"[^a-z0-9]", "", getattr(obj, "title", name).lower())] = name
        return out

    def interview_named(self, text: str) -> StartInterview | None:
        """A request to start or resume a guided interview, or None ("write a customer interview
        guide" is a question: no analysis of that name has a guided interview)."""
        m = INTERVIEW.match(text.strip())
        if not m:
            return None
        if m.group("bare"):
            return StartInterview(text, "", m.group("file")) if self.conversation.paused and \
                rx.match(r"(?:resume|continue)\b", text.strip(), re.I) else None
        said = rx.sub(r"^(?:the|my|our|a)\s+", "", (m.group("name") or m.group("name2") or "").lower())
        said = rx.sub(r"\b(?:porter'?s?|analysis|guided)\b", "", said)
        name = self.guided().get(rx.sub(r"[^a-z0-9]", "", said))
        return StartInterview(text, name, m.group("file")) if name else None

    def follows_up(self, text: str) -> bool:
        """Whether a question is a follow-up to the last answer (rule 9): only slot words and
        filler, or a follow-up cue and no analysis of its own (or the last one again)."""
        from . import slots as slotlib
        from .router import apply_vocabulary

        s, last = self.session, self.conversation.last
        if last is None:
            return False
        vocabulary = s.dataset.vocabulary  # a company's words and nicknames (custlens.toml)
        said = apply_vocabulary(text, vocabulary.words)
        values = s._values()
        found, used = slotlib.extract(said, values, s.data_end(), s._customer_exists, vocabulary.nicknames)
        fields = s.analyses[last.analysis].Params.model_fields if last.analysis in s.analyses else {}
        if any(key in found and key not in fields for key in ANALYSIS_SLOTS):
            return False  # "segment customers into 4" after churn: a number of groups asks for another analysis
        flagged, _ = slotlib.flags_named(said, s._flags(), s._flags(no=True), used)  # "only seniors": a yes/no column
        if COUNT_OF_THEM.match(text.strip()) and (found.get("filters") or flagged) and \
                (callable(getattr(s.analyses.get(last.analysis), "population", None)) or
                 listed_customers(last, s.analyses.get(last.analysis))):
            return True  # "what share of them are female" after churn: of the churned ones (count_of_them)
        if "measure" in fields:
            measure = s.measure_named(said)  # "and avg monthly charges for each group"
            used += [measure[2]] if measure else []
        # the words that set a param of the last analysis ("predicted", "cumulative", "bundles")
        used += [m.group(0) for _, pattern, _ in s.router.phrases(last.analysis)
                 for m in pattern.finditer(said) if m.group(0).strip()]
        low = said.lower()
        back = bool(BACK_REFERENCE.search(low))
        # a metric word changes the last analysis's metric ("units instead"), narrows its rows ("2025
        # orders only") or counts the rows it showed ("how many of them"); else it asks something new
        metrics = "metric" in fields or back or bool(rx.search(r"\b(?:only|just|restrict\w*|limit\w*)\b", low))
        columns = {c for cols in values.values() for c in cols} | set(self._columns())
        from . import meant

        breakdown = meant.breakdown_said(s, said)  # "and by contry?": a breakdown by another name
        if breakdown:
            used = [*used, breakdown.strip()]
        if only_slots(said, used, columns, metrics, back, extra=THEY if back and "metric" in found else set()):
            return True
        if found.get("by") and "by" in fields and WHICH_BREAKDOWN.match(low):
            return True  # "which products are they about?" after the complaints: the last answer by product
        if found.get("by") and "by" in fields and self.conversation.compare and DROVE_THE_CHANGE.search(low):
            return True  # "which products drove the difference?" after two periods: the comparison by product
        if adds_filter_only(low, {**(found.get("filters") or {}), **flagged}, used):
            return True  # "only those who log in on a computer": the last analysis, narrowed
        if "product" in fields and self.product_said(said):  # "and beer?" after "what goes with whole milk"
            return True
        if found.get("product") and "filters" in fields and "product" not in fields and \
                only_slots(said, used, columns, metrics, back, extra=slotlib.THING_NOUNS):
            return True  # "only the sourdough course" after the monthly sales: the last answer, for those products
        if FOLLOW_UP_CUE.match(low):
            route = s._route(text)
            # "only rules with lift above 2" after "and sausage?": a cue, and the same analysis again,
            # narrows the last answer (its product, k, breakdown stay) rather than starting afresh
            if route is None or route.decision == "route" and route.analysis == last.analysis or \
                    route.decision == "clarify" and (found.get("filters") or flagged):
                return True  # "Only the corporate ones (B2B), please": unsure of another, the last one narrowed
        return back and self._points_back(text, last.analysis)

    def product_said(self, text: str) -> str | None:
        """The product a follow-up names by itself ("and beer?", "what about the lamp", "how about
        yogurt instead"): the words left after the cue and filler, when the data has products
        holding them all ("bottled beer" and "canned beer" hold "beer") or spelt close to one;
        the analysis matches them to one product and says which (never silently all rules)."""
        import difflib

        m = PRODUCT_FOLLOW_UP.match(text.strip().lower())
        if not m:
            return None
        words = [w for w in rx.findall(r"[^\W\d_][\w'&/-]*", m.group("rest")) if w not in FILLER]
        if not words or len(words) > 3:
            return None
        values = self.session._values()
        products = values.get("transactions", {}).get("product") or values.get("baskets", {}).get("product") or []
        lowered = [p.lower() for p in products]
        phrase = " ".join(words)
        holding = [p for p in lowered if all(rx.search(r"(?<![\w])" + re.escape(w) + r"s?(?![\w])", p) for w in words)]
        if holding or difflib.get_close_matches(phrase, lowered, n=1, cutoff=0.8):
            return phrase
        return None

    def _columns(self) -> list[str]:
        """The data's column names (any role): named in a follow-up they are what it is about."""
        ds = self.session.dataset
        out = []
        for role in ("transactions", "customers", "feedback", "events"):
            if ds.has(role):
                out += [c for c in ds.columns(role) if c not in ("customer_id", "order_id", "session_id")]
        return out

    def _points_back(self, text: str, last: str) -> bool:
        """A line that points back at the last answer's rows ("which of those are about to lapse")
        follows it up unless it clearly asks another analysis: when nothing else fits, when it is
        asked back with the last analysis among the readings, or when the last analysis scores
        close to the likeliest one."""
        from .errors import CustlensError

        own = getattr(self.session.analyses.get(last), "about_its_rows", None)
        if own and rx.search(own, text, re.I):  # "which of those are about to lapse" after CLV: its own rows
            return True
        try:
            route = self.session._route(text)
        except CustlensError:
            return False
        if route is None or route.analysis == last:
            return True
        scores = dict(route.alternatives)
        return last in scores and (route.decision == "clarify" or scores[last] >= BACK_CLOSE * route.confidence
                                   or route.confidence < BACK_UNSURE)

    # ------------------------------------------------------------------ answering under the scope
    def answer(self, text: str, analysis: str, params: dict[str, Any], from_question: dict[str, Any],
               warnings: list[str]) -> Answer:
        """Run ``analysis`` with ``params`` under the conversation's scope (the filters and period
        in force, where the line did not name its own), remember the turn and the new scope."""
        s, conv = self.session, self.conversation
        fields = s.analyses[analysis].Params.model_fields
        params, notes = dict(params), list(warnings)
        self._widen(text, params, from_question, notes)
        if "filters" in fields:
            carried = dict(conv.filters)
            if "product" in carried and "product" in fields and \
                    not getattr(s.analyses[analysis], "product_narrows", False):
                # a product in force is not the product a basket's rules are about ("what goes with X")
                notes.append(f"{analysis} reads a product as what it is about, not as a filter: "
                             f"product={'|'.join(map(str, carried.pop('product')))} was not applied to this answer")
            held = s.fit_filters(analysis, carried, foreign=True)
            named = s.fit_filters(analysis, params.get("filters") or {}, foreign=True)
            if ADDS_VALUES.search(text) and not rx.search(r"\b(?:only|just)\b", text, re.I):
                # "and Italy too", "add Spain as well": more values, not others ("include only B2B": in its place)
                named = {c: list(dict.fromkeys([*held.get(c, []), *v])) for c, v in named.items()}
            if isinstance(from_question.get("segment"), str) and "segment" not in (from_question.get("filters") or {}):
                held.pop("segment", None)  # "now the champions" after "for the at risk ones": the segment named
                named.pop("segment", None)
                conv.filters.pop("segment", None)
            if from_question.get("customer") and "customer_id" not in (from_question.get("filters") or {}):
                held.pop("customer_id", None)  # another customer named: not also the one before
                conv.filters.pop("customer_id", None)
            params["filters"] = {**held, **named}
            if not params["filters"]:
                params.pop("filters")
        elif conv.filters:
            notes.append(f"{analysis} takes no filters: {conv.describe_filters()} not applied")
        if params.get("product") and "filters" in fields and getattr(s.analyses[analysis], "product_narrows", False):
            # "only the camping tent" in feedback: the product narrows the data, so it is a filter (scope)
            params["filters"] = {**(params.get("filters") or {}), "product": [params.pop("product")]}
        segment_in_force = conv.filters.get("segment") or []
        if "segment" in fields and "filters" not in fields and not params.get("segment") and len(segment_in_force) == 1:
            params["segment"] = segment_in_force[0]  # "a persona for them" after "for the champions, ..."
        takes_period = "start" in fields or "end" in fields
        named_period = any(params.get(k) for k in PERIOD_KEYS)
        if "compare" in fields and conv.compare and not named_period:
            params["compare"] = conv.compare
        elif takes_period and conv.period and not named_period:
            start, end = conv.period
            params.update({k: v for k, v in (("start", start), ("end", end)) if v is not None})
        elif not takes_period and (conv.period or conv.compare):
            notes.append(f"{analysis} takes no period: {conv.describe_period()} not applied")
        answer = self._run_or_widen(analysis, params, from_question, notes)
        unapplied = self._unapplied(analysis, params, answer.params or {})
        if unapplied:  # the scope in force that this answer could not take: said in its first line too
            answer.understood = f"{answer.understood} · not applied: {unapplied}" if answer.understood else \
                f"{analysis} · not applied: {unapplied}"
        if "filters" in fields:
            conv.filters = dict(params.get("filters") or {})
            # "lost deals", "cancelled orders", "how many orders were rejected": a status that is no sale is the
            # question's own, not scope (kept, the next "total revenue" was of the rejected orders); a CRM's
            # stages are scope ("and in Proposal", then "questions for the calls of those deals")
            if params.get("status") or not kit.deal_stages(s.dataset) and \
                    kit.not_purchases(s.dataset, conv.filters.get("status")):
                conv.filters.pop("status", None)
        if isinstance(from_question.get("segment"), str) and params.get("segment") == from_question["segment"]:
            # "for the champions, build me a persona": the segment named is scope, as a filter, for "they" next
            conv.filters = {**conv.filters, "segment": [params["segment"]]}
        if takes_period:
            period = (params.get("start"), params.get("end"))
            conv.compare = params.get("compare") or None
            conv.period = period if any(v is not None for v in period) and not conv.compare else None
        conv.turns.append(Turn(text, analysis, params, answer, dict(conv.filters), conv.period, conv.compare))
        del conv.turns[:-MAX_TURNS]
        return s._finish(answer, text)

    def _unapplied(self, analysis: str, params: dict[str, Any], used: dict[str, Any]) -> str:
        """The filters and period in force (``params`` carries them, or the conversation holds them
        for an analysis without filters or periods) that the answer's ``used`` params do not hold:
        "country=Germany, 2024" (a value the analysis read under another column, "the website" as the
        channel "web", is applied)."""
        conv = self.conversation
        wanted = {**conv.filters, **(params.get("filters") or {})}
        got = used.get("filters") or {}
        out = [f"{k}={'|'.join(map(str, v))}" for k, v in wanted.items()
               if k not in got and not (k == "segment" and used.get("segment"))
               and not (k == "product" and used.get("product"))
               and not (analysis in self.session.analyses and self.session.filter_applied(analysis, k, v, got))]
        period = conv.compare or conv.period
        if period and not any(used.get(k) for k in PERIOD_KEYS) and not any(params.get(k) for k in PERIOD_KEYS):
            out.append(conv.describe_period())
        elif any(params.get(k) for k in PERIOD_KEYS) and not any(used.get(k) for k in PERIOD_KEYS):
            out.append(_period_said(params))
        return ", ".join(o for o in out if o)

    def _widen(self, text: str, params: dict[str, Any], from_question: dict[str, Any], notes: list[str]) -> None:
        """"all countries again", "csat across all topics", "across the whole base": the line widens
        the scope, so the filters in force on those columns (on every column, and the period, for
        the whole base) end here: taken out of the conversation's scope and of ``params`` (a
        follow-up's, which hold the last answer's), unless the line itself named them."""
        conv = self.conversation
        columns = set(conv.filters) | set(params.get("filters") or {})
        everything, dropped = widened(text, columns)
        # "by country" said while a filter on country is in force: the breakdown asks for every country
        # (or by its day of the week when a part of the week is: "weekends vs weekdays" after "on saturdays")
        dropped += [c for b in (from_question.get("by") or []) for c in (b, *kit.NESTED_CYCLES.get(b, ()))
                    if c in conv.filters and c not in dropped]
        asked = from_question.get("filters") or {}
        dropped = [c for c in (columns if everything else dropped) if c not in asked]
        period = everything and (conv.period or conv.compare or any(params.get(k) for k in PERIOD_KEYS)) and \
            not any(from_question.get(k) for k in PERIOD_KEYS)
        if not dropped and not period:
            return
        said = [f"{c}={'|'.join(map(str, conv.filters.get(c) or (params.get('filters') or {}).get(c) or []))}"
                for c in dropped]
        conv.filters = {k: v for k, v in conv.filters.items() if k not in dropped}
        if params.get("filters"):
            params["filters"] = {k: v for k, v in params["filters"].items() if k not in dropped}
        if period:
            said.append(conv.describe_period() or _period_said(params))
            conv.period = conv.compare = None
            for key in PERIOD_KEYS:
                params.pop(key, None)
        notes.append(f"{', '.join(s for s in said if s)} no longer in force (the question asks about all of them)")

    def _run(self, analysis: str, params: dict[str, Any], from_question: dict[str, Any], notes: list[str]) -> Answer:
        """``Session.run``; a filter or period carried over from earlier turns that this analysis
        cannot apply is left out of this answer, with a note (what the line itself named is not:
        that error is the user's to see)."""
        params = dict(params)
        asked = from_question.get("filters") or {}
        while True:
            try:
                answer = self.session.run(analysis, params, from_question=from_question)
                break
            except ScopeError as exc:
                filters = params.get("filters") or {}
                columns = [c for c in exc.filters if c in filters and c not in asked]
                period = exc.period and any(params.get(k) for k in PERIOD_KEYS) and \
                    not any(from_question.get(k) for k in PERIOD_KEYS)
                if not columns and not period:
                    raise
                for column in columns:
                    notes.append(f"{analysis} cannot filter on {column}: {column}={'|'.join(map(str, filters[column]))} "
                                 "was not applied to this answer (it stays in force for the next ones)")
                params["filters"] = {k: v for k, v in filters.items() if k not in columns}
                if period:
                    notes.append(f"{analysis} cannot limit this data to a period: "
                                 f"{_period_said(params)} was not applied to this "
                                 "answer (it stays in force for the next ones)")
                    for key in PERIOD_KEYS:
                        params.pop(key, None)
        answer.warnings = notes + answer.warnings
        return answer

    def _run_or_widen(self, analysis: str, params: dict[str, Any], from_question: dict[str, Any],
                      notes: list[str]) -> Answer:
        """``_run``; when nothing in the data matches the scope carried over from earlier turns
        ("no customers acquired between ..." under a period the line did not name), the answer over
        the data without that carried scope, saying so (what the line itself named is not widened)."""
        try:
            return self._run(analysis, params, from_question, notes)
        except ScopeError:
            raise  # about what the line itself named (``_run`` left out what was carried)
        except DataError as exc:
            asked = from_question.get("filters") or {}
            filters = params.get("filters") or {}
            carried = {k: v for k, v in filters.items() if k not in asked}
            period = any(params.get(k) for k in PERIOD_KEYS) and not any(from_question.get(k) for k in PERIOD_KEYS)
            if not carried and not period:
                raise
            wider = dict(params)
            if carried:
                wider["filters"] = {k: v for k, v in filters.items() if k in asked}
            said = [f"{k}={'|'.join(map(str, v))}" for k, v in carried.items()]
            if period:
                said.insert(0, _period_said(params))
                for key in PERIOD_KEYS:
                    wider.pop(key, None)
            try:
                answer = self._run(analysis, wider, from_question, list(notes))
            except CustlensError:
                raise exc from None
            answer.warnings.insert(0, f"with {', '.join(said)} in force (from earlier questions) {exc} "
                                      "So this answer is over all the data; the scope stays in force for the next "
                                      "questions (\"reset filters\" clears it).")
            return answer

    def last(self, what: str) -> Turn:
        if self.conversation.last is None:
            raise CannotAnswer(f"There is no answer yet to {what}: ask a question first.", self.session.suggestions())
        return self.conversation.last

    # ------------------------------------------------------------------ the handlers
    def _help(self, turn: Help, warnings: list[str]) -> Answer:
        return self.session._finish(self.session.help(), turn.text)

    def _pick(self, turn: Pick, warnings: list[str]) -> Answer:
        conv = self.conversation
        if not 1 <= turn.number <= len(conv.pending):
            raise ParamsError(f"pick a number from 1 to {len(conv.pending)}")
        name, params = conv.pending[turn.number - 1]
        conv.pending = []
        return self.answer(turn.text, name, params, params, warnings)

    def _question(self, turn: Question, warnings: list[str]) -> Answer:
        s, text = self.session, turn.text
        if not rx.search(r"[^\W\d_]", text):  # "2", "???": no words, so neither a question nor a follow-up
            raise CannotAnswer(f"{text[:40]!r} is not a question" + (" and there is nothing to pick from"
                                                                      if rx.fullmatch(r"\W*\d+\W*", text) else "")
                               + ": ask about your customers.", s.suggestions())
        conv, last = self.conversation, self.conversation.last
        if last is not None and OF_THEM.search(text) and listed_customers(last, s.analyses.get(last.analysis)):
            # "split them by country" after "top 10 customers": about the list, not a new question
            try:
                listed = self.breakdown_of_them(text, last, s._checked_route(text, last.analysis), warnings)
            except CustlensError:  # the last analysis cannot read the line: a question of its own
                listed = None
            if listed is not None:
                return listed
        route = s._checked_route(text)
        if route.decision == "clarify":
            return s._finish(s._clarify(route), text)
        params = route.params
        if conv.compare and last is not None and (own_shape(text) or route.analysis != last.analysis and getattr(
                s.analyses.get(route.analysis), "whole_history", False)) and not any(params.get(k) for k in PERIOD_KEYS):
            # two periods compared stay in force like one ("the margins on those", "where do they drop off":
            # both periods, side by side), but not into a ranking of its own shape ("top 10 products") or a
            # model of the whole history: "customer lifetime value" after "revenue 1997 vs 1998" is over all the data
            warnings = warnings + [f"a new question: the comparison {conv.describe_period()} no longer in force"]
            conv.compare = None
        if self.conversation.period and (SAME_SHIFT.search(text) or COMPARED_WITH_IT.search(text)):
            # "the same quarter a year earlier": the period in force, moved; "how does that compare with H1 2025": both
            params = changed_params(text, {}, params, s.analyses[route.analysis].Params.model_fields,
                                    self.conversation.period)
        return self.answer(text, route.analysis, params, params, warnings + s._unused(route))

    def _follow_up(self, turn: FollowUp, warnings: list[str]) -> Answer:
        """The last analysis again with the line's slots over its params; when the last analysis
        cannot take them ("top 20 customers" after bundles), the line as a new question."""
        s, last = self.session, self.conversation.last
        if self.conversation.compare and own_shape(turn.text):
            # "top 10 products" after "sales 2024 vs 2025": a question of its own shape, not compared
            return self._question(Question(turn.text), warnings)
        route = s._checked_route(turn.text, last.analysis)
        counted = self.count_of_them(turn.text, last, route, warnings) or \
            self.breakdown_of_them(turn.text, last, route, warnings)
        if counted is not None:
            return counted
        fields = s.analyses[last.analysis].Params.model_fields
        said = {k: v for k, v in route.params.items() if not (k == "metric" and route.slots.get(TABLE_METRIC) == v)}
        if said.get("metric") == "orders" and ONLY_THOSE.match(turn.text) and not COUNT_SAID.search(turn.text):
            said.pop("metric")  # "only closed won deals" after an average deal size: the deals narrowed, not counted
        given = changed_params(turn.text, last.params, said, fields, self.conversation.period)
        if last.params.get("status") and "status" in given and not given["status"] and \
                not (given.get("filters") or {}).get("status"):
            # the status shape dropped ("sales last 3 months" after "cancelled orders"): its stages go with it
            import copy

            last = copy.copy(last)
            last.params = {**last.params, "filters": {k: v for k, v in (last.params.get("filters") or {}).items()
                                                      if k != "status"}}
        stages = (last.params.get("filters") or {}).get("status") or []
        if given.get("metric") and given["metric"] != last.params.get("metric") and stages and \
                not (given.get("filters") or {}).get("status") and \
                set(kit.not_purchases(s.dataset, stages)) == set(map(str, stages)):
            # "and refunds?" after "how many payments failed": the failed ones were what the question counted,
            # not a scope of the next one (it kept them, and showed the failed payments again as refunds)
            import copy

            last = copy.copy(last)
            last.params = {**last.params, "filters": {k: v for k, v in (last.params.get("filters") or {}).items()
                                                      if k != "status"}}
        if "product" in fields and not given.get("product"):
            product = self.product_said(turn.text)
            if product:
                given["product"] = product
                if given.get("filters", {}).get("product"):
                    given["filters"] = {k: v for k, v in given["filters"].items() if k != "product"}
        own = getattr(s.analyses.get(last.analysis), "about_its_rows", None)
        if merge_params(last.params, given) == last.params and not s._unused(route) and not (
                own and BACK_REFERENCE.search(turn.text.lower()) and rx.search(own, turn.text, re.I)):
            # nothing of the last answer changes ("segments pls" after churn, "show me all the countries"
            # after bundles): its answer again would drop what the line asks; another analysis that
            # reads the line as its own question answers it
            words = rx.findall(r"[^\W\d_][\w'-]*", turn.text.lower())
            from . import slots as slotlib
            from .router import strip_slots

            # "same again", or the scope in force said again ("only Germany" twice): no question of its own
            _, used = slotlib.extract(turn.text, s._values(), s.data_end(), s._customer_exists)
            rest = rx.findall(r"[^\W\d_][\w'-]*", strip_slots(turn.text, used))
            again = all(w in REPEAT_WORDS for w in words) or bool(used) and all(w in SCOPE_AGAIN for w in rest)
            fresh = None if again else s._route(turn.text)
            if fresh is not None and fresh.decision == "route" and fresh.analysis != last.analysis:
                return self._question(Question(turn.text), warnings)
        if ONLY_THOSE.match(turn.text) and merge_params(last.params, given) == last.params and not s._unused(route):
            from . import slots as slotlib

            _, used = slotlib.extract(turn.text, s._values(), s.data_end(), s._customer_exists)
            said = NARROWED_TO.sub("", turn.text).strip(" ?.!")
            if not used and said:  # "only those who volunteered": nothing of the data, so no narrower answer (was the same again)
                raise ParamsError(s._not_in_data(said) + " The last answer stands as it was; name a value or a yes/no "
                                  "column of the data to narrow it.")
        try:
            return self.over_last(turn.text, last, given, warnings + s._unused(route))
        except ParamsError as exc:  # the last analysis cannot take what the line says (no data in a period: said as is)
            try:
                fresh = s._checked_route(turn.text)
            except CustlensError:
                raise exc from None
            if fresh.decision != "route" or fresh.analysis == last.analysis:
                raise
            return self.answer(turn.text, fresh.analysis, fresh.params, fresh.params, warnings + s._unused(fresh))

    def count_of_them(self, text: str, last: Turn, route, warnings: list[str]) -> Answer | None:
        """"how many of them complained" after "why do customers churn?": "them" are the customers
        the last answer was about (``Analysis.population``: the churned ones, under the filters in
        force; or the customers it listed for a top N, ``listed_customers``), and the answer is how
        many of them hold the filter the line adds (complain = 1), out of how many, phrased from them.
        The filter joins the scope (not after a list: the count asks about the list), and the last
        analysis stays the one a next follow-up goes on from. None when the line is no such count, adds no filter,
        or the last analysis names no population beyond its filters (its answer again, narrowed,
        already counts them: "how many of them are in Germany" after a segment)."""
        import pandas as pd

        from . import kit
        from .answer import Provenance, Table
        from .templates import filters_text

        m = COUNT_OF_THEM.match(text.strip())
        population = getattr(self.session.analyses.get(last.analysis), "population", None)
        s, ds = self.session, self.session.dataset
        held = dict(last.params.get("filters") or {})
        asked = dict(route.params.get("filters") or {})
        if not asked and route.params.get("stat") == "share" and route.params.get("measure") and route.params.get("values"):
            asked = {route.params["measure"]: list(route.params["values"])}  # "what share of them are B2B"
        added = {k: v for k, v in asked.items() if held.get(k) != v}
        if not m or not added:
            return None
        them = population(ds, dict(last.params)) if callable(population) else None
        listed = None if them else listed_customers(last, s.analyses.get(last.analysis))
        try:
            hit, hit_args = kit.customer_filters_sql(ds, added, "c")
            if listed:  # the customers the last answer named, picked under the filters in force already
                title, ids = listed
                label = title[:1].lower() + title[1:]
                base, base_args = f"CAST(c.customer_id AS VARCHAR) IN ({', '.join('?' * len(ids))})", ids
            elif them:
                label, condition = them
                base, base_args = kit.customer_filters_sql(ds, held, "c")
                base = f"{base} AND ({condition})"
            else:
                return None
        except ParamsError:  # a filter on a column the customers table has not (a sales channel): narrowed instead
            return None
        sql = f"SELECT count(*), count(*) FILTER (WHERE {hit}) FROM ({kit.customer_table(ds)}) c WHERE {base}"
        n, k = (int(x or 0) for x in ds.rows(sql, [*hit_args, *base_args])[0])
        said = (m.group("rest") or "").strip() or "match"
        if k == 1 and said.startswith("are "):
            said = "is " + said[4:]
        # a list is what its title says (it was made under the scope in force then); it stays in force
        scope = "" if listed else filters_text(held)
        group = f"the {label}" if listed else f"the {n:,} {label}{scope}"
        share = f"{pct(k / n)}" if n else "n/a"
        summary = (f"Of {group}, **{k:,} {said} ({share})** ({filters_text(added)[5:]})." if n else
                   f"There are no {label}{scope}, so none of them {said}.")
        notes = list(warnings)
        if n and kit.small(n) and not listed:  # a top N is every one of them, not a sample
            notes.append(kit.small_sample_note(group[4:], n))
        frame = pd.DataFrame([(label + scope, n), (f"of whom {filters_text(added)[5:]}", k),
                              ("share", round(k / n, 6) if n else None)], columns=["measure", "value"], dtype=object)
        tables = [Table.from_frame("count", frame, f"{label.capitalize()}: how many of them")]
        if listed:  # each of them with what the line asked of them, in the last answer's order
            columns = ", ".join(f"c.{kit.qi(c)}" for c in added if c != "segment")
            each = ds.query(f"SELECT CAST(c.customer_id AS VARCHAR) AS customer{', ' + columns if columns else ''} "
                            f"FROM ({kit.customer_table(ds)}) c WHERE {base}", base_args)
            each = each.set_index("customer").reindex([i for i in listed[1] if i in set(each.customer)]).reset_index()
            tables.append(Table.from_frame("customers", each, label.capitalize()))
        # counting among a list asks about the list: the scope in force stays as it was
        merged = dict(held) if listed else {**held, **added}
        said_of = lambda filters: ", ".join(f"{c} = {'|'.join(map(str, v))}" for c, v in filters.items())  # noqa: E731
        understood = f"{last.analysis} · count of them ({label}) · "
        if listed:
            understood += f"of whom {said_of(added)}" + (f" · filter: {said_of(held)}" if held else "")
        else:
            understood += f"filter: {said_of(merged)}"
        answer = Answer(analysis=last.analysis, title=f"How many of the {label}: {filters_text(added)[5:]}",
                        understood=understood, summary=summary, warnings=notes,
                        tables=tables, params={**last.params, "filters": merged},
                        provenance=Provenance(method=f"a count of the {label} the last answer was about, under the "
                                                     "filters in force, and of those among them the line names",
                                              sql=[sql], rows_used=n))
        self.conversation.filters = merged
        return self._kept(text, last.analysis, {**last.params, "filters": merged}, answer)

    def _kept(self, text: str, analysis: str, params: dict[str, Any], answer: Answer) -> Answer:
        """``answer``, made here rather than by an analysis, kept as the conversation's last turn under
        the scope in force (for "go back" and the next follow-up), and finished."""
        conv = self.conversation
        conv.turns.append(Turn(text, analysis, params, answer, dict(conv.filters), conv.period, conv.compare))
        del conv.turns[:-MAX_TURNS]
        return self.session._finish(answer, text)

    def breakdown_of_them(self, text: str, last: Turn, route, warnings: list[str]) -> Answer | None:
        """"which country are they from?" after "top 10 customers": the customers the last answer listed
        (``listed_customers``), each with the customers column the line asks about, and how many of them
        hold each value; the scope in force stays as it was (the line asks about the list). None when the
        last answer listed no customers, the line adds a filter or names no customers column."""
        import pandas as pd

        from . import kit
        from .answer import Provenance, Table

        listed = listed_customers(last, self.session.analyses.get(last.analysis))
        by = [d for d in route.params.get("by") or [] if d not in ("customer", "period")]
        ds = self.session.dataset
        cols = ds.columns("customers") if ds.has("customers") else set()
        if not listed or not OF_THEM.search(text) or len(by) != 1 or route.params.get("filters"):
            return None
        column = by[0] if by[0] in cols else kit.stand_in(ds, by[0], "customers") if by[0] in kit.BUILT_IN else None
        if column not in cols:  # "and their channel?" where the customers' Traffic Source stands for it
            return None
        title, ids = listed
        label = title[:1].lower() + title[1:]
        base = f"CAST(c.customer_id AS VARCHAR) IN ({', '.join('?' * len(ids))})"
        each = ds.query(f"SELECT CAST(c.customer_id AS VARCHAR) AS customer, c.{kit.qi(column)} "
                        f"FROM ({kit.customer_table(ds)}) c WHERE {base}", ids)
        each = each.set_index("customer").reindex([i for i in ids if i in set(each.customer)]).reset_index()
        counts = each[column].fillna("(blank)").astype(str).value_counts(sort=True)
        frame = pd.DataFrame({column: counts.index, "customers": counts.values})
        said = ", ".join(f"{v} {n:,}" for v, n in counts.items())
        summary = f"Of the {label}, by {column.replace('_', ' ')}: **{said}**."
        if len(each) < len(ids):
            summary += f" {len(ids) - len(each):,} of them are not in the customers table."
        answer = Answer(analysis=last.analysis, title=f"{title}: by {column.replace('_', ' ')}",
                        understood=f"{last.analysis} · the {label} by {column}", summary=summary,
                        warnings=list(warnings), params=dict(last.params),
                        tables=[Table.from_frame(f"by_{column}", frame, f"{title}: how many by {column}"),
                                Table.from_frame("customers", each, title)],
                        provenance=Provenance(method=f"the {label} the last answer listed, each with its {column} "
                                                     "from the customers table, counted per value", rows_used=len(each)))
        return self._kept(text, last.analysis, dict(last.params), answer)

    def _correction(self, turn: Correction, warnings: list[str]) -> Answer:
        """"no, use k=5": key=value pairs, or the slots of the rest of the line, over the last params."""
        from .session import ASSIGNMENTS

        s, last = self.session, self.last("change")
        if ASSIGNMENTS.fullmatch(turn.rest):
            given = s.parse_params(turn.rest.split())
        else:
            from . import meant

            asked = rx.split(r"[.;!?]\s+", turn.rest.strip())
            then = s._route(asked[-1]) if len(asked) > 1 else None
            if then is not None and then.decision == "route" and then.analysis != last.analysis and \
                    then.analysis in meant.analyses_named(s, asked[-1]):
                # "no, I meant the at risk group, not champions. persona for at risk": the slip put right,
                # then a request naming another analysis: that analysis, with the whole line's slots ("no, I
                # meant store. the store channel" names none: the last analysis)
                params = s._checked_route(turn.rest, then.analysis).params
                return self.answer(turn.text, then.analysis, params, params, warnings)
            given = s._checked_route(turn.rest, last.analysis).params
        return self.over_last(turn.text, last, given, warnings)

    def over_last(self, text: str, last: Turn, given: dict[str, Any], warnings: list[str]) -> Answer:
        """The last analysis with ``given`` over its params. When that set of params is refused
        ("make it 5 groups" after an RFM segmentation: k goes with k-means, not RFM), the line
        asked for a change the last params' own choices do not allow: asked again with the line's
        params over the scope alone (filters, period, segment), saying which were left out."""
        try:
            return self.answer(text, last.analysis, merge_params(last.params, given), given, warnings)
        except ParamsError:
            scope = {k: v for k, v in last.params.items() if k in ("filters", "segment", *PERIOD_KEYS)}
            dropped = {k: v for k, v in last.params.items() if k not in scope and k not in given
                       and v not in (None, [], {}, "")}
            if not given or not dropped:
                raise
            note = ", ".join(f"{k}={v}" for k, v in dropped.items())
            return self.answer(text, last.analysis, merge_params(scope, given), given,
                               warnings + [f"the last answer's {note} does not go with what you asked: left out"])

    def _map(self, turn: Map, warnings: list[str]) -> Answer:
        s, conv = self.session, self.conversation
        s.map(f"{turn.canonical}={turn.column}")
        if conv.last is None:
            return s._finish(Answer(analysis="map", title=f"Using {turn.column!r} as {turn.canonical}"), turn.text)
        return self.answer(turn.text, conv.last.analysis, conv.last.params, {}, warnings)

    def _reset(self, turn: Reset, warnings: list[str]) -> Answer:
        """Filters and period cleared ("start over": the answers too), then the last analysis again
        without them. Never fails: when that answer cannot be made, the reset itself is the answer."""
        s, conv = self.session, self.conversation
        if turn.column:
            return self._unfilter(turn, warnings)
        if turn.period_only:
            had = conv.describe_period()
            conv.period = conv.compare = None
        elif turn.then and not turn.everything and SAME_PERIOD.search(turn.then.lower()):  # "reset filters - nps in that quarter"
            had = conv.describe_filters()
            conv.filters = {}
        else:
            had = conv.describe_scope()
            conv.clear_scope()
        conv.pending = []
        cleared_keys = PERIOD_KEYS if turn.period_only else ("filters",) if conv.period or conv.compare \
            else ("filters", *PERIOD_KEYS)
        if not turn.period_only and conv.last is not None:
            # what narrows the last answer like a filter (basket's product: "what goes with yogurt") goes too:
            # "reset filters" is the whole data again
            narrowing = getattr(s.analyses.get(conv.last.analysis), "narrowing", ())
            cleared_keys = (*cleared_keys, *narrowing)
            had = ", ".join([had, *(f"{k}={conv.last.params[k]}" for k in narrowing
                                    if conv.last.params.get(k))]).strip(", ")
        cleared = f"Cleared {had}." if had else "No filters or period were in force."
        if turn.then:  # "reset filters. churn by tenure": the question, without the old scope
            if turn.everything:
                conv.turns = []
            elif conv.turns:  # a follow-up of the last answer ("reset filters. by country") takes its params less the scope
                last = conv.turns[-1]
                conv.turns[-1] = replace(last, params={k: v for k, v in last.params.items() if k not in cleared_keys})
            then = self.read(turn.then)
            return self.handlers[type(then)](then, warnings + ([cleared] if had else []))
        if turn.everything or conv.last is None:
            if turn.everything:
                conv.turns = []
            title = "Starting over" if turn.everything else "Filters cleared"
            return s._finish(Answer(analysis="reset", title=title, understood="reset · no filters, no period",
                                    summary=f"{cleared} Ask a question about your customers.",
                                    follow_ups=s.suggestions()[:3]), turn.text)
        last = conv.last
        params = {k: v for k, v in last.params.items() if k not in cleared_keys}
        try:
            return self.answer(turn.text, last.analysis, params, {}, warnings)
        except CustlensError as exc:
            return s._finish(Answer(analysis="reset", title="Filters cleared", understood="reset · no filters, no period",
                                    summary=f"{cleared} The last question ({last.question!r}) could not be answered "
                                            f"again: {exc}", warnings=warnings), turn.text)

    def _unfilter(self, turn: Reset, warnings: list[str]) -> Answer:
        """"remove the country filter": that filter dropped, the period and the other filters kept,
        and the last analysis run again without it."""
        s, conv = self.session, self.conversation
        # "drop the filter" (ANY_FILTER): every filter in force, the period kept
        named = [k for k in conv.filters if turn.column in (k, k.rstrip("s"), k + "s", ANY_FILTER)]
        if not named:
            held = conv.describe_filters() or "none"
            what = "No filter" if turn.column == ANY_FILTER else f"No filter on {turn.column!r}"
            return s._finish(Answer(analysis="reset", title="No such filter",
                                    summary=f"{what} is in force (filters in force: {held}).",
                                    warnings=warnings), turn.text)
        removed = ", ".join(f"{key}={'|'.join(map(str, conv.filters.pop(key)))}" for key in named)
        warnings = [*warnings, f"filter {removed} removed"]
        conv.pending = []
        last = conv.last
        if last is None:
            return s._finish(Answer(analysis="reset", title="Filter removed", summary=f"Removed {removed}."),
                             turn.text)
        params = dict(last.params)
        params["filters"] = {k: v for k, v in (params.get("filters") or {}).items() if k not in named}
        if not params["filters"]:
            params.pop("filters")
        try:
            return self.answer(turn.text, last.analysis, params, {}, warnings)
        except CustlensError as exc:
            return s._finish(Answer(analysis="reset", title="Filter removed",
                                    summary=f"Removed {removed}. The last question ({last.question!r}) could not "
                                            f"be answered again: {exc}", warnings=warnings), turn.text)

    def _back(self, turn: Back, warnings: list[str]) -> Answer:
        s, conv = self.session, self.conversation
        self.last("go back to")
        conv.turns.pop()
        if not conv.turns:
            conv.clear_scope()
            return s._finish(Answer(analysis="back", title="Back to the start: no earlier answer"), turn.text)
        conv.filters, conv.period, conv.compare = dict(conv.turns[-1].filters), conv.turns[-1].period, \
            conv.turns[-1].compare
        return s._finish(conv.turns[-1].answer, turn.text)

    def _explain(self, turn: Explain, warnings: list[str]) -> Answer:
        """How the last answer was computed; but a bare "why?" after an analysis that can say why
        and did not (an ``explain`` param, and no drivers table: "what's our churn rate" on
        purchases, then "why?") runs it again saying why."""
        s, last = self.session, self.last("explain")
        fields = s.analyses[last.analysis].Params.model_fields if last.analysis in s.analyses else {}
        # the drivers said (a churn flag's rates by every attribute are no reason: its model waits for "why")
        said_why = any(t.name == "drivers" for t in last.answer.tables)
        if "explain" in fields and not last.params.get("explain") and not said_why and WHY.match(turn.text.lower()):
            return self.over_last(turn.text, last, {"explain": True}, warnings)
        return s._finish(explain(last.answer), turn.text)

    def _export(self, turn: Export, warnings: list[str]) -> Answer:
        return self.session._finish(self.session.export(turn.target), turn.text)

    def _export_documents(self, turn: ExportDocuments, warnings: list[str]) -> Answer:
        return self.session._finish(self.session.export_documents(turn.analysis, turn.fmt), turn.text)

    def _plot(self, turn: Plot, warnings: list[str]) -> Answer:
        return self.session._finish(self.session.plot(), turn.text)

    def _start_interview(self, turn: StartInterview, warnings: list[str]) -> Answer:
        """Start a guided interview, or resume it: from its file (``FILE``, else the analysis's
        default file in the conversation's folder) or the one paused in this conversation."""
        from pathlib import Path

        s, conv = self.session, self.conversation
        name = turn.analysis or next(iter(conv.paused))
        obj = s.analyses[name]
        folder = Path(s.export_dir)
        if turn.file:
            path = folder / Path(turn.file).name if s.confine_exports else Path(turn.file).expanduser()
        else:
            path = folder / getattr(obj, "interview_file", f"{name}_interview.yaml")
        guided = obj.guided_interview(s, path, conv.paused.pop(name, None))
        conv.interview = guided
        return self._interview_step(guided.start(), turn.text)

    def _interview_answer(self, turn: InterviewAnswer, warnings: list[str]) -> Answer:
        return self._interview_step(self.conversation.interview.answer(turn.text), turn.text)

    def _interview_step(self, answer: Answer, text: str) -> Answer:
        """After each step: a paused interview is kept (the same command resumes it), a finished
        one leaves the conversation, its last answer (the scorecard) an answer like any other."""
        conv = self.conversation
        guided = conv.interview
        if guided is not None and (guided.done or guided.paused):
            conv.interview = None
            if guided.paused:
                conv.paused[guided.name] = guided
        return self.session._finish(answer, text)


MAX_TURNS = 50  # answers kept for "go back"
#: a line pointing back follows the last analysis up when that scores at least this share of the likeliest
BACK_CLOSE = 0.5
#: ... or when the likeliest one scores below this (the line is more about the rows than a new analysis)
BACK_UNSURE = 0.5
#: words that open a line going on from the last answer ("and by country?", "what about units")
CONTINUES = re.compile(r"\s*(?:and|also|plus|now|then|but|what\s+about|how\s+about|same|just|only|instead|again|"
                       r"split|break\s+(?:it|that|this)\s+down|by|per|with|without|for|in)\b", re.I)
#: words that narrow or point back at the last answer anywhere in a line: "top 5 only", "orders instead"
POINTS_ON = re.compile(r"\b(?:only|instead|just|that|those|them|these|again|same|too|also|then|there)\b", re.I)
#: a ranking asked for: a question of its own shape
RANKING = re.compile(r"\b(?:top|bottom|best|worst|biggest|largest|smallest)\s+\d*", re.I)


def own_shape(text: str) -> bool:
    """A line that asks a question of its own shape rather than going on from the last answer (two
    periods compared are the shape of the question that asked for them): a ranking ("top 10
    products") that neither opens with a word that goes on ("and by country?", "what about units")
    nor narrows or points back ("top 5 only", "top customers there")."""
    from . import meant

    if CONTINUES.match(text) or COMPARE_CUE.search(text) or POINTS_ON.search(text):
        return False
    return bool(RANKING.search(text) or meant.status_asked(text) or meant.FORCED_NEW.search(text)
                or meant.NEW_VS_RETURNING.search(text))


#: the params of the period in force: one period (start, end) or two compared (compare)
PERIOD_KEYS = ("start", "end", "compare")


#: "drop the channel split", "remove the country breakdown - what share ...", "no split": the
#: last answer's breakdown removed, then the rest of the line (if any) answered
DROP_SPLIT = re.compile(r"^(?:drop|remove|lose|forget|no|without|undo)\s+(?:the\s+)?(?P<col>(?:[\w-]+\s+){0,2}?)"
                        r"(?:split|breakdown|break-?down|grouping)\b(?:\s+(?:by\s+)?[\w-]+)??"
                        r"(?:\s*(?:[,.;:!]+|\s[-\u2013\u2014]+|\band\b|\bthen\b)\s*(?P<rest>.*))?$", re.I)
#: "and Italy too", "add Spain as well", "plus Germany", "include France also": a value added to the
#: filter in force on its column, not put in its place
ADDS_VALUES = re.compile(r"\b(?:too|also|as\s+well|plus|add|adding|include|including)\b", re.I)
#: "drop the b2b bit, can you give me bundle ideas", "forget delivery, what do happy customers say",
#: "cancel the Books filter and show refunds per year", "drop canada": a filter in force named by
#: its column or a value (``Engine._filter_named``) leaves the scope; the rest of the line is asked
POLITE = re.compile(r"\b(?:please|pls|thanks?|thank\s+you|cheers|if\s+you\s+(?:would|could|can|don'?t\s+mind|please))\b",
                    re.I)
DROP_FILTER = re.compile(r"^(?:please\s+)?(?:drop|remove|forget|cancel|lose|ditch|scrap|ignore|disregard|clear|undo|"
                         r"take\s+off|get\s+rid\s+of)\s+(?:the\s+|that\s+|my\s+)?(?P<what>[\w' -]+?)"
                         r"(?:\s+(?:filter|bit|part|restriction|one|ones|thing|stuff))?"
                         r"(?:\s*(?:[,.;:!]+|\s[-\u2013\u2014]+|\band\b|\bthen\b)\s*(?P<rest>.*)|\s*[.!?]*)$", re.I)
#: a follow-up naming a product by itself: "and beer?", "what about the lamp", "how about yogurt instead"
PRODUCT_FOLLOW_UP = re.compile(r"^(?:and|n|&|what\s+about|how\s+about|same\s+(?:for|with)|now|then|also)\s+"
                               r"(?:(?:for|with)\s+)?(?P<rest>.+?)[\s?.!]*$")
#: "across the whole base", "for all customers", "everyone": no filter and no period carried over
WIDEN_ALL = re.compile(r"\b(?:whole|entire|full|total)\s+(?:customer\s+|client\s+)?(?:base|list|data\s*set|data)\b|"
                       r"\ball\s+(?:of\s+)?(?:our\s+|my\s+|the\s+)?(?:customers|clients|accounts|users|buyers)\b|"
                       r"\b(?:everyone|everybody|overall)\b", re.I)
#: "separate q - which products sell together", "new question: ...": the scope ends, the rest is asked
NEW_TOPIC = re.compile(r"^(?:(?:a|one|another)\s+)?(?:separate|new|different|unrelated|other)\s+(?:q|qu|question|topic|"
                       r"thing|subject)\b[\s:,.;!?\u2013\u2014-]*(?=\S)", re.I)


def widened(text: str, columns) -> tuple[bool, list[str]]:
    """(the whole base, the filter columns of ``columns`` the line asks about all of): "all
    countries again", "all topics", "every channel", "regardless of region", "the whole base"."""
    low = text.lower()
    out = []
    for column in columns:
        words = column.replace("_", " ")
        names = {words, words.split()[-1]}
        forms = "|".join(re.escape(n) + (r"|" + re.escape(n[:-1]) + "ies" if n.endswith("y") else "") + r"|"
                         + re.escape(n) + "e?s" for n in names)
        if rx.search(r"\b(?:all|every|any)\s+(?:(?:of\s+)?(?:the|our|my)\s+)?(?:" + forms + r")\b|"
                     r"\bregardless\s+of\s+(?:the\s+)?(?:" + forms + r")\b", low):
            out.append(column)
    if rx.search(r"\b(?:whole|entire|full)\s+(?:product\s+)?(?:range|catalog(?:ue)?|assortment)\b|\ball\s+(?:of\s+)?(?:our\s+|the\s+)?"
                 r"products\b", low):  # "across the whole range": every product
        out += [c for c in columns if c in ("product", "category") and c not in out]
    return bool(WIDEN_ALL.search(low)), out


def _period_said(params: dict[str, Any]) -> str:
    """"2024", "2024 vs 2025": the period or the periods compared in ``params``."""
    from .templates import compare_label, period_label

    if params.get("compare"):
        return compare_label(params["compare"])
    return period_label(params.get("start"), params.get("end"))


def _export_target(text: str) -> str | None:
    """The file named ("results.xlsx") or the format ("excel" -> ".xlsx") of an export request."""
    m = rx.search(r"(?:^|\s)([\w./~-]+\.(?:xlsx|xlsm|csv|json|html?|md|markdown|txt))\b", text, re.I)
    if m:
        return m.group(1)
    low = text.lower()
    for word, suffix in FORMATS.items():
        if rx.search(r"\b" + re.escape(word) + r"\b", low):
            return suffix
    return None


def only_slots(text: str, used: list[str], columns=(), metrics: bool = False, back: bool = False,
               extra: set[str] = frozenset()) -> bool:
    """True when ``text`` is made only of slot words, breakdowns ("by quarter", "per country"),
    grains, durations ("24 months"), the data's ``columns`` in any spelling ("InternetService",
    "payment_method", "device"), metric words (with ``metrics``: "units instead"), the question
    words of a line pointing back (with ``back``: "how many of them"), follow-up words
    (``FOLLOW_UP_WORDS``) and ``extra`` words: "and for France?", "by quarter instead", "top 20",
    "restrict to B2C"."""
    from . import slots as slotlib
    from .router import strip_slots

    rest = strip_slots(slotlib.period_words(text.lower()), used)  # the words as slots read them ("jan 98": "jan 1998")
    rest = rx.sub(N_COUNTED, "number", rest)  # "n customers by contract" asks a count
    breakdowns = "|".join([*slotlib.DIMENSIONS.values(), *slotlib.EXPLICIT_GRAINS.values()])
    rest = rx.sub(r"\b(?:(?:by|per|across|for each)\s+(?:" + breakdowns + r")|" +
                  "|".join(slotlib.EXPLICIT_GRAINS.values()) + r")\b", " ", rest.lower())
    rest = rx.sub(slotlib.DURATION, " ", rest)
    for start, end, _ in reversed(slotlib.column_mentions(rest, columns)):
        rest = rest[:start] + " " + rest[end:]
    if metrics:
        rest = rx.sub(r"\b(?:" + "|".join(slotlib.METRICS.values()) + r")\b", " ", rest)
    rest = rx.sub(r"\b(?:" + "|".join(slotlib.DIMENSIONS.values()) + r")\b", " ", rest)
    rest = DIFFERENCE.sub(" ", rest)  # "any difference between men and women?": the values side by side
    allowed = FOLLOW_UP_WORDS | (BACK_WORDS if back else set()) | extra
    words = [w for w in rx.findall(r"[^\W\d_][\w'-]*", rest) if w not in allowed]  # any script
    return not words


def _stem(word: str) -> str:
    """"logs", "logged", "logging": "log" (a crude stem, to meet a column's name)."""
    return rx.sub(r"(?:ging|ged|ing|ed|es|s)$", "", word) if len(word) > 4 else word


def adds_filter_only(low: str, filters: dict[str, list], used: list[str]) -> bool:
    """Whether a line only narrows the last answer to customers holding values of the data
    (``filters``, read from it): it opens like a follow-up, points back or is a relative clause
    ("only those who log in on a computer", "customers who pay by UPI", "just the ones using a
    phone"), and its other words are follow-up words, words of how customers hold a value
    (``RELATION_WORDS``) or words of the filtered columns' names ("log in" for
    preferred_login_device). Such a line keeps the analysis in force; one with any other word
    ("only computer users: what is their lifetime value") asks something of its own."""
    from .router import strip_slots

    if not filters or not (FOLLOW_UP_CUE.match(low) or BACK_REFERENCE.search(low) or NARROWS.search(low)
                           or rx.match(r"(?:for|in|from|among)\s", low)):  # "for paid search traffic"
        return False
    names = {_stem(part) for column in filters for part in column.split("_") if part}
    words = rx.findall(r"[^\W\d_][\w'-]*", strip_slots(low, used))
    allowed = FOLLOW_UP_WORDS | BACK_WORDS | RELATION_WORDS
    i = 0
    while i < len(words):
        word = words[i]
        if i + 1 < len(words) and _stem(word) + words[i + 1] in names:  # "log in": login
            i += 2
            continue
        if word not in allowed and _stem(word) not in names:
            return False
        i += 1
    return True


#: "compare it with 2024", "against 2023", "2024 side by side": the period named set against the one in force
COMPARE_CUE = re.compile(r"\b(?:compare[sd]?|comparing|comparison|vs\.?|versus|against|side\s+by\s+side|next\s+to)\b", re.I)
#: "add InternetService to the breakdown", "also by gender": a breakdown added to the last one
ADD_BREAKDOWN = re.compile(r"\b(?:add|adding|also|as\s+well|too|plus)\b", re.I)


#: "the same quarter in 2024", "same period last year", "the same months a year earlier"
#: the answer in force set against a period the line names: "how does that win rate compare with the first half of
#: 2025?", "compare it to 2024", "how do those numbers stack up against last year"
COMPARED_WITH_IT = re.compile(r"\b(?:compare[sd]?|comparing|set|stack(?:s|ed)?\s+up|hold(?:s)?\s+up)\s+(?:it|that|this|them|those|"
                              r"these)\b|\b(?:it|that|this|they|those|these)\b(?:\s+[\w-]+){0,3}?\s+(?:compare[sd]?|stack(?:s|ed)?"
                              r"\s+up)\s+(?:to|with|against)\b", re.I)
SAME_SHIFT = re.compile(r"\bsame\s+(?:quarter|month|period|week|half|time(?:\s*frame)?|months|weeks|days|window|dates)\s+"
                        r"(?:(?:in|of|for|from|during)\s+)?(?:(?P<year>(?:19|20)\d{2})|(?:the\s+)?(?:last|previous|prior)\s+"
                        r"year|(?:a|one|the)\s+year\s+(?:before|earlier|ago)|(?:a\s+)?year\s+(?:before|earlier|ago))", re.I)


def same_period_in(text: str, period: tuple[Any, Any] | None) -> tuple[dt.date, dt.date] | None:
    """The period in force moved to the year the line names ("the same quarter in 2024"), or one
    year back ("same period last year"); None when the line says no such thing or no whole period
    is in force."""
    m = SAME_SHIFT.search(text)
    if not m or not period or not all(period):
        return None
    start, end = (dt.date.fromisoformat(str(d)[:10]) for d in period)
    years = int(m.group("year")) - start.year if m.group("year") else -1

    def move(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)

    return move(start), move(end)


def _whole_year(period: tuple[Any, Any]) -> bool:
    start, end = (dt.date.fromisoformat(str(d)[:10]) for d in period)
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year


def month_of(text: str, period: tuple[Any, Any] | None) -> tuple[dt.date, dt.date] | None:
    """"how about april", "only jan to june", "march only": months named without a year, in the
    year of the period in force (None without one, when the line names a year, or names a month
    only as an edge: "since march")."""
    import calendar

    from . import slots as slotlib

    if not period or not period[0] or rx.search(r"\b(?:19|20)\d{2}\b|'\d{2}\b", text) or \
            rx.search(r"\b(?:since|after|before|until|till|up\s+to)\s+(?:the\s+)?(?:end\s+of\s+|start\s+of\s+)?[a-z]+\b(?!\s*(?:-|to|and))",
                      text.lower()):
        return None
    low = text.lower()
    day = slotlib.day_named(slotlib.period_words(low))
    if day:  # "and on 8 december?": that day in the year in force
        year = dt.date.fromisoformat(str(period[0])[:10]).year
        try:
            return dt.date(year, day[0], day[1]), dt.date(year, day[0], day[1])
        except ValueError:  # 29 February of a year without one
            return None
    months = slotlib.months_named(low)
    if not months and rx.search(r"\b(?:and|about|of|than|vs)\s+may\b", low):
        months = (5, 5, "may")  # "and in May?" reads above; "how about may": the month
    if not months:
        named = {i for name, i in slotlib.MONTHS.items() if len(name) >= 3 and name != "may" and rx.search(r"\b" + re.escape(name) + r"\b", low)}
        if len(named) != 1:
            return None
        months = (*[named.pop()] * 2, "")
    first, last, _ = months
    year = dt.date.fromisoformat(str(period[0])[:10]).year
    return dt.date(year - (first > last), first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def quarter_of(text: str, period: tuple[Any, Any] | None) -> tuple[dt.date, dt.date] | None:
    """"Q4 only", "and h1?": a quarter or half named without a year, in the year of the period in
    force (None without one, or when the line names a year)."""
    if not period or not period[0] or rx.search(r"\b(?:19|20)\d{2}\b|'\d{2}\b", text):
        return None
    m = rx.search(r"\b([qh])\s*([1-4])\b(?!\s*['\u2019/-]?\s*\d{2}\b)", text.lower())  # not "h1 98"
    if not m or m.group(1) == "h" and m.group(2) > "2":
        return None
    year, n = dt.date.fromisoformat(str(period[0])[:10]).year, int(m.group(2))
    first, months = (3 * n - 2, 3) if m.group(1) == "q" else (6 * n - 5, 6)
    last = first + months - 1
    import calendar

    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


#: params that give a question its shape (the overview's orders of a status, new vs returning
#: customers, subscriptions ended or active and the column that leads them): kept by a follow-up that
#: narrows, dropped by one that names a metric or another shape
QUESTION_SHAPES = {"status": None, "new_customers": False, "lifecycle": None, "lead": None, "last_before": None,
                   "spent": None, "min_orders": None, "stat": "mean"}


def changed_params(text: str, old: dict[str, Any], new: dict[str, Any], fields,
                   period: tuple[Any, Any] | None = None) -> dict[str, Any]:
    """What a follow-up changes, over the slots read from it (``new``): a breakdown added to the
    last one ("add InternetService to the breakdown"), a length of time said alone as the
    horizon of an analysis that has one ("extend to 24 months"), and a period compared with the
    ``period`` in force ("compare it with 2024")."""
    from . import slots as slotlib

    out = dict(new)
    if "measure" in fields and out.get("metric") and not out.get("measure"):  # "how many customers" after an average
        out["measure"] = None
    said = [k for k in QUESTION_SHAPES if new.get(k)]
    for key, empty in QUESTION_SHAPES.items():  # "sales last 3 months" after "cancelled orders by month": sales
        if key in fields and old.get(key) and not new.get(key) and (said or new.get("metric")):
            out[key] = empty
    shifted = same_period_in(text, period)
    if shifted and "start" in fields:  # "the same quarter in 2024": the period in force, in that year
        out["start"], out["end"] = shifted
        out.pop("compare", None)
    elif "start" in fields and not out.get("compare") and quarter_of(text, period):
        out["start"], out["end"] = quarter_of(text, period)  # "Q4 only" after 2024: Q4 2024
    elif "start" in fields and not out.get("compare") and month_of(text, period):
        month = month_of(text, period)  # "how about april" after March 2025: April 2025
        if month:
            out["start"], out["end"] = month
    if "compare" in fields and COMPARE_CUE.search(text) and period and all(period) and not shifted and \
            rx.search(r"\b(?:last|previous|prior|the\s+year\s+before)\s+year\b|\ba\s+year\s+(?:ago|earlier|before)\b|"
                      r"\bthe\s+year\s+before\b", text, re.I) and not _whole_year(period):
        # "vs last year" after Q2 2025: Q2 2024 against Q2 2025, not all of 2024 against a quarter
        out["start"], out["end"] = same_period_in("same period last year", period)
    named = (out.get("start"), out.get("end"))
    if "compare" in fields and not out.get("compare") and all(named) and period and all(period) and \
            tuple(period) != named and COMPARE_CUE.search(text):
        out["compare"] = sorted([tuple(period), named])
        out.pop("start")
        out.pop("end")
    if COMPARE_CUE.search(text) and out.get("filters") and old.get("filters"):
        # "compared to two year contracts" after month-to-month: both values, side by side
        for column, values in list(out["filters"].items()):
            before = old["filters"].get(column) or []
            if before and set(values) - set(before):
                out["filters"] = {**out["filters"], column: list(dict.fromkeys([*before, *values]))}
                if "by" in fields and column not in (old.get("by") or []) + (out.get("by") or []):
                    out["by"] = [*(out.get("by") or old.get("by") or []), column]
    if out.get("by") and old.get("by") and ADD_BREAKDOWN.search(text):
        out["by"] = list(dict.fromkeys([*old["by"], *out["by"]]))
    if "horizon" in fields and "horizon" not in out:
        m = rx.search(slotlib.DURATION, text.lower())
        horizon = slotlib.months(m.group(0)) if m else None
        if isinstance(horizon, int):
            out["horizon"] = horizon
    return out


def merge_params(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Last params updated by a follow-up's: a filter replaces that column's values only; a period
    named replaces the whole period ("since 2023" has no end, whatever the last one had)."""
    out = dict(old)
    if any(new.get(k) for k in PERIOD_KEYS):  # a period, or two compared: one replaces the other
        for key in PERIOD_KEYS:
            out.pop(key, None)
    for key, value in new.items():
        if key == "filters":
            out["filters"] = {**(old.get("filters") or {}), **value}
        else:
            out[key] = value
    return out


def explain(answer: Answer) -> Answer:
    """"why?" / "how did you compute that?": the method, the parameters and the SQL of ``answer``."""
    import pandas as pd

    from .answer import Table

    p = answer.provenance
    params = ", ".join(f"{k}={v}" for k, v in answer.params.items() if v not in (None, [], {})) or "the defaults"
    lines = [f"**{answer.title}** (`{answer.analysis}`).",
             f"Method: {p.method or 'not described by the analysis'}.",
             f"Parameters: {params}.",
             f"Data: {', '.join(p.sources) or 'none'}" + (f", {p.rows_used:,} rows used." if p.rows_used else ".")]
    if p.sql:
        lines.append(f"It ran {len(p.sql)} SQL statement(s), listed below.")
    tables = [Table.from_frame("sql", pd.DataFrame({"statement": p.sql}), "SQL run", max_rows=len(p.sql))] \
        if p.sql else []
    return Answer(analysis="explain", title=f"How I computed: {answer.title}", summary="\n\n".join(lines),
                  tables=tables)
