"""Session: one conversation over one Dataset. Every front end (shell, ``custlens ask``, HTTP,
bots, tests) asks through ``Session.ask``, so there is one behaviour.

    s = Session(data=["orders.csv", "customers.xlsx"])
    answer = s.ask("total revenue by country")
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from pydantic import ValidationError

from . import cancel, joins, kit, meant, paths, rates, rx, schema, templates
from . import slots as slotlib
from .answer import Answer, Table
from .cache import AnswerCache, copy_answer
from .dataset import Dataset, qi
from .engines import TooManyRows
from .errors import CannotAnswer, CustlensError, ParamsError, PluginError, ScopeError
from .plugin_manager import build_registry, make_plugin_manager
from .conversation import EXPLAIN, HELP_WORDS, Conversation, Engine
from .router import Route, Router, concept_patterns, other_company, task_request, unused_slots

log = logging.getLogger("custlens.session")

#: a request to change the data ("delete all churned customers", "drop the table orders",
#: "update the prices"): custlens only reads. A filter is not the data: "remove the country filter"
#: and "drop the filter" are conversation turns.
CHANGE_DATA = re.compile(r"^(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:delete|remove|drop|erase|wipe|purge|truncate|"
                         r"update|overwrite|modify|edit|insert|rename|change)\b(?!.*\bfilters?\b)"
                         # "drop the channel split", "remove the breakdown": the answer's shape, not the data
                         r"(?!(?:\s+[\w-]+){0,3}?\s+(?:split|breakdown|break-?down|grouping|view|chart|comparison)\b)"
                         r"(?=.*\b(?:customers?|"
                         r"rows?|records?|tables?|files?|data|orders?|columns?|lines?|values?|prices?|entries|accounts?|"
                         r"duplicates?|sheets?)\b)", re.I)
MAX_QUESTION = 2000
MAX_HISTORY = 100  # answers kept in ``history`` (each holds its full tables): a long-lived conversation stays bounded
ASSIGNMENTS = re.compile(r"\w+(?:\.\w+)?\s*=\s*\S+(?:\s+\w+(?:\.\w+)?\s*=\s*\S+)*")
#: what looks like code in a question ("'; drop table orders; --", "$(rm -rf ~)"): cut off, never run
CODE = re.compile(r"(?:['\"`]\s*)?;\s*(?:drop|delete|insert|update|alter|create|truncate|select|exec)\b.*$|"
                  r"\b(?:drop|truncate)\s+table\b.*$|\$\(.*?\)|`[^`]*`|(?:&&|\|\||\|)\s*\w+.*$|\brm\s+-rf\b.*$|"
                  # a comment after a quote or a statement ("' --"); a " -- " between words is a dash
                  r"(?:['\";]|^)\s*--.*$",
                  re.I)
#: answers about answers (and the ask-back's readings): "export that" and "plot it" skip them to
#: reach the last result
META_ANSWERS = {"help", "export", "plot", "explain", "back", "map", "reset", "interview", "clarify"}


#: words for kinds of customer that analyses answer without a column of the data ("only returning
#: customers", "just the big spenders"): never reported as a filter the data does not hold
CUSTOMER_KINDS = set("""returning repeat existing new active inactive lapsed dormant loyal disloyal big small top best
worst high low value valuable spenders spender frequent occasional regular one-time first-time recent old older young
younger male female women men churned lost engaged happy unhappy satisfied unsatisfied dissatisfied profitable
unprofitable paying free trial likely unlikely risky""".split())


#: values that say yes or no of whatever column holds them: a filter of one never moves to another
#: column that holds it too (the customers' tax_exempt = yes is no filter on the orders' accepts_marketing)
FLAG_WORDS = frozenset({"yes", "no", "true", "false", "y", "n", "t", "f", "0", "1",
                        *(w for pair in schema.YES_NO_PAIRS for w in pair)})


def parse_assignment(text: str, what: str = "--param") -> tuple[str, str]:
    if "=" not in text:
        raise ParamsError(f"{what} {text!r}: expected key=value")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def _split_lists(model, values: dict[str, Any]) -> dict[str, Any]:
    """'country,product' -> ['country', 'product'] where the parameter is a list (from --param text)."""
    import typing

    out = dict(values)
    for name, info in model.model_fields.items():
        value = out.get(name)
        origin = typing.get_origin(info.annotation)
        if origin is list and isinstance(value, str):
            out[name] = [v.strip() for v in value.split(",") if v.strip()]
        elif origin is dict and isinstance(value, dict):
            args = typing.get_args(info.annotation)
            if len(args) == 2 and typing.get_origin(args[1]) is list:
                out[name] = {k: [x.strip() for x in v.split(",")] if isinstance(v, str) else v
                             for k, v in value.items()}
    return out


def _readable(text: str) -> bool:
    """False for words in another script only (Cyrillic, Greek, CJK...): a question the router
    cannot read must not be taken for a follow-up made of filler."""
    import unicodedata

    letters = [ch for ch in text if ch.isalpha()]
    return not letters or any(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


def segment_key(name: str) -> str:
    """A segment's name for comparison: case, spaces, punctuation, a plural s and the words
    customers/segment/the ignored ("the at-risk customers" is "At risk")."""
    name = rx.sub(r"\b(?:customers?|segments?|clients?|buyers?|group|the)\b", "", str(name).lower())
    return rx.sub(r"[^a-z0-9]", "", name).removesuffix("s") or rx.sub(r"[^a-z0-9]", "", str(name).lower())


#: RFM segment names that are everyday words too: alone they do not make a question about segments
EVERYDAY_SEGMENTS = {"new", "lost", "loyal", "promising", "at risk"}
UNREAD = "not read"  # the note of a breakdown asked for that nothing in the data holds
NOT_APPLIED = "not applied"  # the note of a period or filter asked for that the answer could not take
#: "revenue by flavour": a breakdown said after by/per/across (the word that names it)
BREAKDOWN_SAID = re.compile(r"\b(?:by|per|across|grouped\s+by|split\s+by|broken\s+down\s+by)\s+(?:the\s+|each\s+|their\s+|"
                            r"our\s+|customer'?s?\s+|rfm\s+)?(?P<word>[a-z][a-z-]{2,})\b"
                            r"(?:\s+of\s+(?:the\s+|their\s+)?(?P<of>[a-z][a-z-]{2,})\b)?", re.I)
#: a breakdown said as its noun: "gender split", "the age distribution", "breakdown of payment methods"
SPLIT_SAID = re.compile(r"\b(?P<word>[a-z][a-z-]{2,})(?=\s+(?:split|breakdown|distribution|mix|composition|make-?up)\b(?!\s+"
                        r"(?:by|per|across|into|in\s+two|between)\b))|\b(?:split|breakdown|distribution|mix|composition)\s+"
                        r"of\s+(?:the\s+|our\s+|my\s+|all\s+)?(?P<one>[a-z][a-z-]{2,})\b", re.I)
#: words before "split"/"breakdown" that are no breakdown's name ("can you split", "a rough breakdown")
_NOT_SPLIT_NAMES = frozenset("you me us we i they to and or please pls then now so can could would let lets a an the "
                             "rough quick full overall whole complete simple basic detailed even good nice".split())
#: groups compared said as "which <groups> <verb>": "which genres sell the most", "which artists bring in the most"
WHICH_GROUPS_SAID = re.compile(r"\bwhich\s+(?:of\s+(?:the|our)\s+)?(?:(?P<word>[a-z][a-z-]{2,}s)\s+(?:sell|sold|bring|"
                               r"brought|have|get|make|generate|earn|perform|do|are|were|drive|account)|"
                               r"(?P<one>[a-z][a-z-]{2,}[^s\W])\s+(?:sells|sold|brings|brought|has|had|gets|got|makes|"
                               r"made|generates|earns|performs|does|is|was|drives|accounts))\b|"
                               # "top 5 genres by units sold": the groups ranked
                               r"\b(?:top|bottom|best|worst)\s+\d{1,3}\s+(?P<ranked>[a-z][a-z-]{2,}s)\b", re.I)
#: words said after "by" that name no column: an order ("top products by revenue"), a method
#: ("segment by behaviour", "cluster by rfm"), a figure of speech ("by far", "by the way")
NOT_A_COLUMN = set("""revenue sales spend spending spent value values orders order purchases purchase buying bought
frequency recency monetary rfm behaviour behavior behaviours behaviors activity lift confidence support margin margins
profit profits count counts number numbers amount amounts total totals volume units quantity share percent percentage
far way default hand now then name names itself themselves how much many what which date dates time period periods
size rate rates score scores clv ltv lifetime loyalty churn risk growth change decline importance ranking rank
cohort cohorts signup acquisition first last month months week weeks day days year years quarter quarters
email mail phone post hook crook comparison contrast segment segments segmentation cluster clusters group groups
predicted expected forecast forecasted cust custs customer customers client clients avg average mean median step all
whole line lines profile profiles deal deals data overall everything""".split())
#: customers picked or split by the churn flag: "churned vs not churned", "who left", "by churn"
CHURN_WORDS = re.compile(r"\b(?:churn\w*|attrit\w*|cancel\w*|(?:who|that|have|has)\s+left|left\s+us|stayed|retained)\b", re.I)


def segments_named(text: str, labels: Iterable[str] = ()) -> list[str]:
    """Every segment ``text`` names, saved labels and RFM names ("champions", "at risk", "can't
    lose them"), in the order named, each once."""
    low, found = text.lower(), []
    names = [(re.escape(label.lower()), label) for label in labels] + list(slotlib.RFM_SEGMENTS.items())
    for pattern, name in names:
        pattern = rx.sub(r"(?<=[a-z])s$", "s?", pattern)  # "a champion" too
        m = rx.search(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", low)
        if m and name not in [n for _, n in found]:
            found.append((m.start(), name))
    return [n for _, n in sorted(found)]


def _wants_session(analysis) -> bool:
    import inspect

    try:
        return "session" in inspect.signature(analysis.run).parameters
    except (TypeError, ValueError):
        return False


#: the demo store's tables and their roles
DEMO_ROLES = {"orders": "transactions", "customers": "customers", "feedback": "feedback", "touchpoints": "events"}


#: a question that is only a measure by something: "customers by home", "revenue per flavour", "how many orders by
#: weekday", "sales split by colour please"
MEASURE_BY = re.compile(r"^\W*(?:(?:show|give|get)\s+(?:me\s+|us\s+)?)?(?:the\s+|our\s+|total\s+|number\s+of\s+|how\s+many\s+|"
                        r"count\s+of\s+)*(?:customers|clients|accounts|orders|revenue|sales|units|spend|profit)\s+"
                        r"(?:(?:split|broken\s+down|grouped)\s+)?(?:by|per|across)\s+[\w-]+(?:\s+[\w-]+){0,2}\s*"
                        r"(?:please|pls)?\W*$", re.I)


class Session:
    """A conversation: loaded data, registered plugins, the router, and what was asked so far."""

    def __init__(self, data: Iterable[str] = (), demo: bool = False, maps: Iterable[str] = (),
                 plugins_dirs: Iterable[str] = (), plugins: Iterable[object] = (), entry_points: bool = True,
                 engine: str | None = None):
        """``engine`` says where the SQL runs (``custlens.engines.open_engine``): None for the
        ``engine`` of a custlens.toml in the working directory or beside the data, else the
        embedded DuckDB; ``"postgresql://USER@HOST:PORT/DB"`` runs every query in PostgreSQL."""
        from .engines import engine_spec, open_engine

        data = list(data)
        pm, errors = make_plugin_manager(list(plugins_dirs), entry_points=entry_points, extra=list(plugins))
        registry = build_registry(pm, errors)
        sql_engine = open_engine(engine_spec(engine, data))
        try:
            self._start(pm, registry, Dataset({n: r.obj for n, r in registry.connectors.items()}, engine=sql_engine))
            for spec in data:
                self.dataset.add(spec, build=False)
            if demo:
                self.load_demo(build=False)
            self.dataset.build()
        except BaseException:
            sql_engine.close()
            raise
        for m in maps:
            self.map(m)

    def _start(self, pm, registry, dataset: Dataset, router: Router | None = None) -> None:
        self.pm = pm
        self.registry = registry
        self.dataset = dataset
        self.history: list[Answer] = []  # the last MAX_HISTORY answers
        self.history_dropped = 0  # answers dropped from its front: answer n is history[n - history_dropped]
        self.conversation = Conversation()
        self.engine = Engine(self)  # reads each line of ``chat`` as a typed turn (custlens.conversation)
        self.export_dir = "."  # where "export that to excel" and "plot it" write
        #: a served conversation (an Assistant's: HTTP, bots): a file named in "save it to x.xlsx"
        #: lands in export_dir by its name alone (no path a remote user picks on the server)
        self.confine_exports = False
        #: a front end's progress display: a long analysis (the report) calls progress(step, done, total)
        self.progress: Callable[[str, int, int], None] | None = None
        #: data this conversation loaded itself (``Assistant.load``): "demo", "files" or None
        self.own_data: str | None = None
        self._router = router
        #: this conversation's answers by (data version, segments version, analysis, params):
        #: asked again, gone back to or re-rendered, they are not recomputed (never shared)
        self.answers = AnswerCache()
        self._saved_by: dict[tuple, int] = {}  # answers that saved segments -> the labels' version they left
        self._data_end: tuple[int, dt.date | None] | None = None  # (the data version it was read on, the day)
        self._snake_values: tuple[dict, dict] | None = None
        self._flag_cache: tuple[dict, dict[str, str], dict[str, str]] | None = None  # (values read, yes, no values)
        self._numeric_cache: tuple[int, list[str]] | None = None  # (the data version, the numeric columns)
        self._known_cache: tuple | None = None  # (values, their words, by column, the pattern): _filter_not_in_data

    def fork(self) -> "Session":
        """A new, independent conversation over the same data and plugins: its own history,
        filters and saved segments, a DuckDB connection of its own (``Dataset.fork``), the same
        fitted router. Cheap (nothing is loaded or copied); the Python API and the HTTP service
        make one per conversation. This session's data must not change while forks use it."""
        child = Session.__new__(Session)
        child._start(self.pm, self.registry, self.dataset.fork(), router=self.router)
        child.export_dir, child.confine_exports = self.export_dir, self.confine_exports
        return child

    def close(self) -> None:
        """Close the data connection (a fork's: the shared data stays open)."""
        self.dataset.close()

    # ------------------------------------------------------------------ plugins and data
    @property
    def analyses(self) -> dict[str, Any]:
        return {name: reg.obj for name, reg in self.registry.analyses.items()}

    @property
    def plugin_errors(self) -> list[str]:
        return [str(e) for e in self.registry.errors]

    @property
    def router(self) -> Router:
        if self._router is None:
            self._router = Router(self.analyses)
        return self._router

    def load(self, spec: str):
        return self.dataset.add(spec)

    def load_demo(self, customers: int = 5000, seed: int = 42, build: bool = True, store=None):
        """Load the generated demo store (in memory): orders, customers, feedback, touchpoints
        (``store``: one generated before, e.g. kept by a server for its conversations)."""
        from . import demo

        store = store if store is not None else demo.generate(customers=customers, seed=seed)
        for name, frame in store.tables.items():
            self.dataset.add_frame(f"demo {name}", frame, DEMO_ROLES[name], build=False)
        if build:
            self.dataset.build()
        return store

    def map(self, spec: str) -> list[str]:
        canonical, column = parse_assignment(spec, "map")
        return self.dataset.map(canonical, column)

    # ------------------------------------------------------------------ asking
    def data_end(self) -> dt.date | None:
        """The last order date in the data (without sales: the last event, else the last feedback,
        else the latest date of a customers table that is not in the future: a gym's members list
        with join, last visit and cancel dates): "last 6 months" and "this year" count back from it."""
        role, column = next(((r, schema.DATE_OF[r]) for r in ("transactions", "events", "feedback")
                             if self.dataset.has(r) and schema.DATE_OF[r] in self.dataset.columns(r)), (None, None))
        dated = [] if role or not self.dataset.has("customers") else \
            [c for c, t in self.dataset.engine.describe("customers").items() if t.startswith("TIMESTAMP") or t == "DATE"]
        if role is None and not dated:
            return None
        self.dataset.check()
        version = self.dataset.data_version  # a new number whenever the data or a mapping changes (not segments)
        if self._data_end is None or self._data_end[0] != version:
            if role is None:  # a birth date or a renewal due next year is no date the data reaches
                value = self.dataset.engine.rows("SELECT max(d) FROM (" + " UNION ALL ".join(
                    f"SELECT max(CAST({qi(c)} AS TIMESTAMP)) AS d FROM customers WHERE {qi(c)} <= current_date"
                    for c in dated) + ")")[0][0]
            else:
                value = self.dataset.last_order_date() if role == "transactions" else \
                    self.dataset.engine.rows(f"SELECT max({column}) FROM {role}")[0][0]
            self._data_end = (version, value.date() if value is not None else None)
        return self._data_end[1]

    def ask(self, question: str, params: dict[str, Any] | None = None, analysis: str | None = None) -> Answer:
        """Answer one question in everyday words, on its own (no follow-ups, no remembered
        filters: ``chat`` is the conversation). ``params`` (as from ``--param``) override what the
        router read from the question; ``analysis`` skips routing. An ambiguous question gets the
        likeliest readings back (analysis "clarify"). Raises CustlensError with a message for the user."""
        text, warnings = self._clean(question)
        if text.lower().rstrip("!. ") in HELP_WORDS:
            return self._finish(self.help(), text)
        if analysis is None and EXPLAIN.match(text.lower()):  # "why?" asks about an answer: ask keeps none
            raise CannotAnswer(f"I can't answer {text!r} on its own: it asks about an earlier answer, and a question "
                               "asked alone has none. Ask it in a conversation (custlens chat, Session.chat) after "
                               "an answer, or ask a whole question, for example:", self.suggestions())
        route = self._checked_route(text, analysis)
        if route.decision == "clarify":
            return self._finish(self._clarify(route, "Ask again in other words, or name the analysis "
                                                     "(custlens ask --analysis NAME)."), text)
        merged = {**route.params, **(params or {})}
        answer = self.run(route.analysis, merged, from_question=route.params)
        answer.warnings = warnings + self._unused(route) + answer.warnings
        return self._finish(answer, text)

    def chat(self, line: str) -> Answer:
        """One turn of a conversation: a question, or a follow-up to the last answer ("and for
        France?", "by quarter instead", "why?", "export that to excel", "plot it", "go back",
        "reset filters", "no, use k=5", "use Net Sales as the amount"), or a pick among the readings
        offered ("2", "the second"). The filters and period in force persist until changed
        (``conversation.filters``, ``conversation.period``). The turn types and their handlers are
        custlens.conversation's ``Engine``."""
        return self.engine.turn(line)

    def follows_up(self, text: str) -> bool:
        """Whether a question is a follow-up to the last answer (``Engine.follows_up``)."""
        return self.engine.follows_up(text)

    def _unused(self, route: Route) -> list[str]:
        """Warnings for what the question asked that its analysis cannot use ("top 20" for one
        without ``top``)."""
        fields = self.analyses[route.analysis].Params.model_fields
        slots = route.slots if "customer" in fields or not (
            route.params.get("customer") or "customer_id" in (route.params.get("filters") or {})) else \
            {k: v for k, v in route.slots.items() if k != "customer"}  # applied another way (_one_customer_asked)
        notes = unused_slots(route.analysis, fields, slots)
        if route.slots.get("read_by"):
            notes.append(meant.read_as_note(*route.slots["read_by"]))
        notes += [meant.read_as_note(said, meant_word) for said, meant_word in route.slots.get("spelt") or []]
        if route.slots.get("period_read"):  # "7 december": the data's last 7 December, said
            notes.append(meant.read_as_note(*route.slots["period_read"]))
        if route.slots.get("period_unread"):  # "on 7/12": two readings, neither guessed
            notes.append(f"{UNREAD}: {route.slots['period_unread']}: this answer is not limited to a day")
        notes += [meant.qualifier_note(w, self.dataset) for w in route.slots.get("unread_words") or []]
        if route.slots.get("read_measure"):
            notes.append(meant.read_as_note(*route.slots["read_measure"]))
        if route.slots.get("stood_in"):  # "retention by contract" on a churn flag: churn answers, said so
            other, name, reading = route.slots["stood_in"]
            obj = self.analyses[other]
            needs = " and ".join(getattr(obj, "requires", None) or {}) or " or ".join(
                dict.fromkeys(r for alt in getattr(obj, "requires_any", None) or [] for r in alt)) or "other"
            notes.append(f"{meant.READ_AS}{other}' as {name}: {reading} ({other} needs {needs} data, which is not loaded)")
        notes += [meant.measure_note(said, column, self) for said, column in route.slots.get("unread_measures") or []]
        roles = self.roles_of(route.analysis)
        notes += [f"{NOT_APPLIED}: {column} = {'|'.join(map(str, vals))} ({route.analysis} reads the "
                  f"{' and '.join(roles)} data, which has no {column} column): this answer is not limited to it"
                  for column, vals in (route.slots.get("unapplied_filters") or {}).items()]
        notes += [f"{NOT_APPLIED}: {said} (customers who never bought something are not picked out: this answer is "
                  f"not limited by it; \"excluding {value}\" leaves out its lines)"
                  for said, value in route.slots.get("never_bought") or []]
        if route.slots.get("orders_unapplied"):  # "customers with 3 or more orders" beside an analysis without filters
            notes.append(f"{NOT_APPLIED}: customers with {route.slots['orders_unapplied']} or more orders ({route.analysis} "
                         "takes no filters): this answer is over every customer")
        if route.slots.get("churned_unapplied"):
            notes.append(f"{NOT_APPLIED}: {route.slots['churned_unapplied']} (the churn rate of the churned customers "
                         "alone is 100% by definition): this answer is over every customer")
        word = route.slots.get("unread_by")
        phrases = getattr(self.analyses[route.analysis], "phrases", {}) or {}
        if word and any(rx.search(pattern, f"by {word}", re.I) for pats in phrases.values() if isinstance(pats, dict)
                        for pattern in pats):
            word = None  # read by the analysis's own words ("by their attributes": the attribute segmentation)
        if word:
            columns = sorted({c for role in schema.ROLES if self.dataset.has(role) for c in self.dataset.columns(role)
                              if c not in schema.ID_COLUMNS})
            notes.append(f"{UNREAD}: by {word} (the data has no column or value {word!r}): this answer is not broken "
                         f"down by it. Columns: {', '.join(columns)}; ask by one of them.")
        return notes

    def _clean(self, question: str) -> tuple[str, list[str]]:
        question = rx.sub(r"\s+", " ", question or "").strip()  # before any reader: a run of spaces costs them time
        warnings = []
        if len(question) > MAX_QUESTION:  # before the readers too: their time grows with the length
            question = question[:MAX_QUESTION]
            warnings.append(f"the question was cut to its first {MAX_QUESTION} characters")
        if rx.search(r"(?i)\b(?:fiscal|financial|fin\.?|fy)\b|\bfy\s?['\u2019]?\d", question):
            # "last financial year", "FY24", "our fiscal year is April to March": the fiscal year's months
            question, start = slotlib.fiscal_years(question, self.dataset.definitions.fiscal_year_start,
                                                   self.data_end())
            if start == 1 and slotlib.FISCAL_NAMED.search(question):
                # "last financial year" in Australia is July to June: a calendar year read for it is said
                warnings.append("the financial year is read as the calendar year (January to December); if yours "
                                "starts in another month, say so (\"our fiscal year is July to June\") or set "
                                "fiscal_year_start in custlens.toml")
        text = slotlib.clean(question, slotlib.values_kept_whole(question, self._values()))  # "Rio de Janeiro" stays
        if not text:
            raise CannotAnswer("Ask a question about your customers.", self.suggestions())
        if not _readable(text):
            raise CannotAnswer(f"I can't read this: {text[:60]!r} has no word in Latin letters, and I understand "
                               "questions in English only. Ask in English, for example:", self.suggestions())
        if CHANGE_DATA.match(text):
            raise CannotAnswer("custlens only reads your data: it never deletes, changes or adds rows, tables or "
                               "files. Ask a question about the data instead, for example:", self.suggestions())
        code = CODE.search(text)
        if code:
            text = text[:code.start()].strip(" '\";")
            warnings.append(f"ignored what looks like code in the question ({code.group(0)[:40]!r}): "
                            "custlens never runs code from a question")
            if not rx.search(r"[A-Za-z]{2}", text):
                raise CannotAnswer("That looks like SQL or shell code, not a question: custlens never runs code "
                                   "from a question. Ask in words.", self.suggestions())
        return text, warnings

    def _stand_in(self, text: str, route: Route) -> Route:
        """``route`` to an analysis that cannot answer on the loaded data, answered by one that declares it
        stands in for it (``Analysis.stands_in_for``), can answer, and whose words the question says:
        "retention by contract" (cohort's) on a customers table with a churn flag and no purchases is
        churn's, said on the first line. The question was read as it was meant (``route`` stays what the
        router understood); the answer is the one the data allows, never a refusal it need not be."""
        if route.decision != "route" or self.applies(route.analysis):
            return route
        for name, obj in sorted(self.analyses.items()):
            words, reading = (getattr(obj, "stands_in_for", None) or {}).get(route.analysis) or (None, None)
            if words and rx.search(words, text, re.I) and self.applies(name):
                stood = self.router.route(text, self._values(), self.data_end(), analysis=name,
                                          customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
                if stood is not None:
                    stood.slots["stood_in"] = (route.analysis, name, reading)
                    stood.alternatives = [(route.analysis, route.confidence), *route.alternatives][:2]
                    return stood
        return route

    def _checked_route(self, text: str, analysis: str | None = None) -> Route:
        """A route, or the error that says why there is none: nothing fits (with suggestions), a
        name or customer the data does not have, or slots that contradict each other."""
        route = self._route(text, analysis)
        if route is None and analysis is None and self._measurer() and MEASURE_BY.match(text):
            # "customers by home", "revenue by flavour": a count or sum by something, however odd the word
            # after "by" (the breakdown is then read, or said unread), never "I can't answer"
            route = self._route(text, self._measurer())
        if route is None and task_request(text):
            raise CannotAnswer(f"I can't answer {text[:120]!r}: custlens answers questions about your data with tables, "
                               "charts and the figures behind them; it does not write messages or other texts, "
                               "design, translate or act outside the data. Ask about the data, for example:",
                               self.suggestions())
        other = other_company(text, self._values()) if route is None else None
        if other:
            raise CannotAnswer(f"I can't answer {text[:120]!r}: the data loaded here holds no figures of {other}. "
                               "custlens answers about your own customers; for example:", self.suggestions())
        if route is None:
            near = [n for n in self.router.suggest(text, n=len(self.analyses)) if self.applies(n)][:3]
            suggestions = [self.analyses[n].examples[0] for n in near if getattr(self.analyses[n], "examples", None)]
            raise CannotAnswer(f"I can't answer {text[:120]!r} with the analyses installed.",
                               suggestions or self.suggestions())
        if analysis is None:  # an analysis named is run as named
            route = self._stand_in(text, route)
        if route.slots.get("conflicts"):
            raise ParamsError(f"the question asks for {'; '.join(route.slots['conflicts'])}: which one? "
                              "Ask again with one of them.")
        if route.slots.get("unknown_customer"):
            raise ParamsError(f"I found no customer {route.slots['unknown_customer']!r} in the data.")
        if route.unknown_names and self.dataset.sources:
            columns = dict(route.slots.get("unknown_values") or [])
            name = route.unknown_names[0]
            raise ParamsError(self._not_in_data(name, columns.get(name)))
        missing = self._filter_not_in_data(text, route) if self.dataset.sources else None
        if missing:
            raise ParamsError(self._not_in_data(*missing))
        qualifiers = meant.unread_qualifiers(  # "delivered late", "staff discounts": words nothing reads, said
            text, route, {c for role in schema.ROLES if self.dataset.has(role) for c in self.dataset.columns(role)})
        if qualifiers:
            route.slots["unread_words"] = qualifiers
        return route

    #: "only premium customers", "just the vip ones", "and only gold members?": a whole line that
    #: narrows to a kind of customer
    ONLY_KIND = re.compile(r"^(?:and\s+|but\s+)?(?:only|just)\s+(?:the\s+|our\s+|my\s+)?(?P<x>[a-z][\w&'-]*"
                           r"(?:\s+[a-z][\w&'-]*)?)\s*(?:customers?|clients?|members?|buyers?|users?|accounts?|ones|"
                           r"people|subscribers?|shoppers?)?(?:\s+(?:only|please))?\s*[?.!]*$", re.I)
    #: "from the wholesale channel", "only the gold tier": a word said as a value of a column it is not in
    ANCHORED = r"\b(?:only|just|for|from|in|on|via|through|excluding|except|without)\s+(?:the\s+|our\s+)?" \
               r"(?P<x>[a-z][\w&'-]*)\s+(?P<col>{cols})s?\b"

    def _filter_not_in_data(self, text: str, route: Route) -> tuple[str, str | None] | None:
        """(words, column) of a filter the line names that nothing in the data holds, which would
        otherwise be dropped silently: a word said as a value of one of the data's columns ("orders
        from the wholesale channel": channel holds app, store, web), or a whole line narrowing to a
        kind of customer that no value, segment, flag or domain word explains ("only premium
        customers"); None when there is none."""
        from .conversation import FOLLOW_UP_WORDS

        raw = self._values()
        if self._known_cache is None or self._known_cache[0] is not raw:  # made again when the data changes
            values = self._values_by_column()
            known = {v.lower() for vs in values.values() for v in vs}
            known |= {w for v in known for w in rx.findall(r"[a-z][\w&'-]*", v)}
            cols = "|".join(sorted((re.escape(c.replace("_", " ")) for c in values), key=len, reverse=True))
            self._known_cache = (raw, known, values, re.compile(self.ANCHORED.format(cols=cols)) if cols else None)
        _, known, values, pattern = self._known_cache
        if not values:
            return None
        skip = FOLLOW_UP_WORDS | slotlib.FUNCTION_WORDS | {"same", "other", "each", "every", "whole", "main", "new",
                                                           "biggest", "largest", "sales", "total", "overall", "own"}
        low = text.lower()
        names = {c: c.replace("_", " ") for c in values}
        mentions = slotlib.column_mentions(low, list(values))
        for m in pattern.finditer(low):
            x, said = m.group("x"), m.group("col")
            column = next(c for c, n in names.items() if n == said)
            if x in known or x in skip or any(a <= m.start("x") < b for a, b, c in mentions if c != column) or \
                    column == "segment" and slotlib.rfm_name(x) or \
                    (route.slots.get("filters") or {}).get(column):  # "on monthly contracts": the value it names, read
                continue  # "the champions segment": RFM's, not the column's
            return x, column
        m = self.ONLY_KIND.match(low.strip())
        if m and not any(route.slots.get(k) for k in ("filters", "segment", "product", "customer", "start", "compare",
                                                       "top", "k", "by", "grain", "metric")) \
                and not (route.params.get("filters") or route.params.get("segment")):
            said = [w for w in m.group("x").split() if w not in skip]
            unknown = [w for w in said if w not in known and w not in CUSTOMER_KINDS and w not in self.router.domain_words
                       and w.rstrip("s") not in self.router.domain_words and w not in self.router._known]
            if said and unknown == said:
                return " ".join(said), None
        return None

    def _clarify(self, route: Route, how: str = 'Answer with a number ("1", "the second").') -> Answer:
        """The two or three likeliest readings, numbered; ``chat`` takes "1" or "the second" next."""
        import pandas as pd

        names = [route.analysis] + [n for n, _ in route.alternatives]
        self.conversation.pending = [(n, route.readings.get(n) or self.router.params_for(n, route.slots))
                                     for n in names]
        rows = [(i, n, self.analyses[n].title, (getattr(self.analyses[n], "examples", None) or [""])[0])
                for i, n in enumerate(names, 1)]
        return Answer(analysis="clarify", title="Which did you mean?",
                      summary=f"I am not sure which analysis you mean: {len(rows)} readings below. {how}",
                      tables=[Table.from_frame("readings", pd.DataFrame(rows, columns=["n", "analysis", "title",
                                                                                       "example"]), "Readings")],
                      follow_ups=[str(i) for i, *_ in rows])

    def last_answer(self, what: str = "use") -> Answer:
        """The last result (not a help, export, plot or explanation), for export and plot."""
        for answer in reversed(self.history):
            if answer.analysis not in META_ANSWERS:
                return answer
        raise CannotAnswer(f"There is no answer yet to {what}: ask a question first.", self.suggestions())

    def export(self, target: str | None = None) -> Answer:
        """"export that to excel": the full result of the last answer, to ``target`` (a file name)
        or, for a format only (".xlsx", ".csv"), a new file named after the analysis in
        ``export_dir``, never overwriting one."""
        from .export import export, source_paths

        answer = self.last_answer("export")
        target = target or ".xlsx"
        if rx.fullmatch(r"\.\w+", target):  # a format only: a new file named after the analysis, never overwriting
            folder = Path(self.export_dir).resolve()
            path = folder / f"{answer.analysis}{target}"
            n = 1
            while path.exists() or list(folder.glob(f"{path.stem}_*{target}")):
                n += 1
                path = folder / f"{answer.analysis}-{n}{target}"
        elif self.confine_exports:
            path = Path(self.export_dir).resolve() / Path(target).name
        else:
            path = Path(target).expanduser()
        written = export(answer, path, protect=source_paths(self.dataset))
        return Answer(analysis="export", title=f"Exported {answer.title}",
                      understood=f"export · {answer.analysis} · to {', '.join(p.name for p in written)}",
                      summary="Wrote " + ", ".join(f"`{p}`" for p in written) + " (the full result).")

    def _documents(self) -> dict[str, str]:
        """Noun -> analysis, for the analyses that write documents ("personas" -> persona)."""
        out = {}
        for name, obj in self.analyses.items():
            noun = getattr(obj, "documents", None)
            if noun and callable(getattr(obj, "write_documents", None)):
                out[noun.lower()] = out[noun.lower().rstrip("s")] = name
        return out

    def export_documents(self, analysis: str, fmt: str = "md") -> Answer:
        """"export personas": the documents of ``analysis`` (``Analysis.write_documents``), one file
        each (Markdown, or "html") in ``export_dir``, from its last answer, or from one made now
        (under the conversation's filters) when there is none yet."""
        obj = self.analyses[analysis]
        answer = next((a for a in reversed(self.history) if a.analysis == analysis), None)
        if answer is None:
            answer = self.engine.answer(f"create {obj.documents}", analysis, {}, {}, [])
        written = obj.write_documents(answer, Path(self.export_dir).resolve(), fmt)
        return Answer(analysis="export", title=f"Exported {len(written)} {obj.documents}",
                      summary="Wrote " + ", ".join(f"`{p}`" for p in written) + ".")

    def plot(self, chart: int | None = None, path: str | Path | None = None) -> Answer:
        """"plot it": the last answer's charts (or chart number ``chart``, 0-based) as PNG files in
        ``path`` (a folder or a .png name; default ``export_dir``). The shell's ``plot`` command and
        the conversation's "plot it" both come here."""
        from . import charts

        last = self.last_answer("plot")
        written = charts.save(last, Path(path) if path else Path(self.export_dir), chart)
        return Answer(analysis="plot", title=f"Chart of {last.title}",
                      summary="\n\n".join(f"Wrote `{p}`" for p in written))

    def _values(self) -> dict:
        """The data's values per role and column, columns by their snake_case names (as filters
        and ``Dataset.columns`` name them: "Country" is "country"); made again when the data changes."""
        if not self.dataset.sources:
            return {}
        values = self.dataset.values()
        if self._snake_values is None or self._snake_values[0] is not values:
            snake = {role: {schema.snake(c): v for c, v in cols.items()} for role, cols in values.items()}
            for column in self._numeric_attributes():  # "segment by age": a breakdown, never a filter value
                snake.setdefault("customers", {}).setdefault(column, [])
            for column in kit.calendar_copies(self.dataset):  # "by month" beside a Month column of "Nov", "Dec":
                snake.get("transactions", {}).pop(column, None)  # the date's months, each year apart
            for column in kit.line_numbers(self.dataset):  # "revenue by age" of the buyer on each line: in bands
                snake.setdefault("transactions", {}).setdefault(column, [])
            if self.dataset.has("events"):  # "funnel by device": the events' columns are breakdowns too
                for column in self.dataset.columns("events"):
                    if column not in schema.ID_COLUMNS and column not in ("timestamp", "event"):
                        snake.setdefault("events", {}).setdefault(column, [])
            self._snake_values = (values, snake)
        return self._snake_values[1]

    def _values_by_column(self) -> dict[str, list[str]]:
        """{column: its values in every role}: "channel" of the sales (app, web) and of the events
        (email, social) are one list, as a filter names them."""
        out: dict[str, list[str]] = {}
        for cols in self._values().values():
            for col, vs in cols.items():
                if vs:
                    out[col] = [*out.get(col, []), *(v for v in vs if v not in out.get(col, []))]
        return out

    def _numeric_attributes(self) -> list[str]:
        """The customers table's numeric columns (age, tenure...): named in a question, they are a
        breakdown (``by``) as the text attributes are."""
        if not self.dataset.has("customers"):
            return []
        version = self.dataset.data_version  # a new number whenever the data or a mapping changes
        if self._numeric_cache is None or self._numeric_cache[0] != version:
            types = self.dataset.relation_columns("customers").items()
            present = self.dataset.columns("customers")  # not the view's empty standard columns (age on Telco)
            numeric = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
            self._numeric_cache = (version, [c for c, t in types if t.startswith(numeric) and c in present
                                             and c not in schema.ID_COLUMNS])
        return list(self._numeric_cache[1])

    def _lines_amounts(self) -> set[str]:
        """The columns (as the customers view names them) that are the amount of a transactions
        source: a subscriptions table's mrr_amount, which its accounts' table also holds."""
        return {schema.snake(m.column) for src in self.dataset.sources if src.role == "transactions"
                for c, m in self.dataset.mapping_of(src).items() if c == "amount"}

    def _customer_exists(self, token: str) -> bool | str:
        """Whether the data has a customer with this id (the ``customer`` slot); for words said as a name
        ("Hartley & Finch"), the id of the one customer so named (``kit.customer_by_name``), else False."""
        for role in ("customers", "transactions"):
            if self.dataset.has(role) and "customer_id" in self.dataset.columns(role):
                hit = self.dataset.engine.rows(f"SELECT 1 FROM {role} WHERE CAST(customer_id AS VARCHAR) = ? LIMIT 1",
                                               [token])
                if hit:
                    return True
        return (" " in token and kit.customer_by_name(self.dataset, token)) or False

    def _route(self, text: str, analysis: str | None = None) -> Route | None:
        """A plugin's route (route_question, first answer wins), else the built-in router's.
        With ``analysis`` given, only the slots are read from the question."""
        text = kit.said_as_columns(self.dataset, text)  # "by lifecycle stage": the column it was mapped to
        # "customers who first bought in January 1997": an acquisition cohort, not a window on the purchases
        said = text
        text, acquired, acquired_words = meant.acquired_cohort(self, text)
        # "average monthly charges of churned customers", "customers who left": a filter on the churn flag
        text, gone = meant.churned_population(self, text)
        text, numbered = meant.numbered_columns(self, text)  # "campaign 3": accepted_cmp3, said so
        text, money = meant.money_said_per_period(self, text)  # "monthly bill": monthly_charges, not a grain
        text, initials = meant.acronym_columns(self, text)  # "average daily rate": adr, the column so named
        text, spent_on = meant.spend_on_column(self, text)  # "spend on wine": mnt_wines, the column of that spend
        spent_on = [*initials, *spent_on]
        text, spent = meant.money_said_of_customers(self, text)  # "revenue by season": purchase_amount_usd summed
        spent = [*spent_on, *spent]
        text, outcome = meant.outcome_said(self, text)  # "response rate" of a table whose one outcome is Output
        text, unsold = meant.non_sales_left_out(self, text)  # "revenue excluding cancelled orders": never sales
        numbered = [*numbered, *money, *spent, *outcome, *unsold]
        if analysis is None:
            for impl in reversed(self.pm.hook.route_question.get_hookimpls()):
                kwargs = {k: v for k, v in {"question": text, "session": self}.items() if k in impl.argnames}
                try:
                    routed = impl.function(**kwargs)
                except Exception as exc:  # noqa: BLE001
                    log.debug("route_question of %s failed", impl.plugin_name, exc_info=True)
                    raise PluginError(impl.plugin_name, f"route_question raised {type(exc).__name__}: {exc}") from exc
                if routed is None:
                    continue
                if routed.analysis not in self.analyses:
                    raise PluginError(impl.plugin_name, f"routed to unknown analysis {routed.analysis!r}")
                return routed
        elif analysis not in self.analyses:
            raise ParamsError(f"no analysis named {analysis!r}; installed: {', '.join(sorted(self.analyses))}")
        route = self.router.route(text, self._values(), self.data_end(), analysis=analysis,
                                  customers=self._customer_exists, applies=self.applies,
                                  vocabulary=self.dataset.vocabulary)
        if acquired and route is not None and getattr(self.analyses[route.analysis], "acquired_by_period", False):
            # cohorts read their period as when the customers were acquired (later purchases counted): as asked
            route = self.router.route(said, self._values(), self.data_end(), analysis=route.analysis,
                                      customers=self._customer_exists, applies=self.applies,
                                      vocabulary=self.dataset.vocabulary) or route
            route.slots["spelt"] = [*(route.slots.get("spelt") or []), (acquired_words, "the cohorts acquired then "
                                                                         "(their later purchases count)")]
            acquired = None
        if route is None and analysis is None and self._flag_asked(text):  # "what is the response rate"
            route = self.router.route(text, self._values(), self.data_end(), analysis=self._measurer(),
                                      customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
        # "what drives response to the campaign": the drivers of a yes/no column, as churn's of its flag
        outcome = meant.drivers_asked(self, text) if analysis is None and "churn" in self.analyses and \
            "outcome" in getattr(self.analyses["churn"].Params, "model_fields", {}) else None
        churn_said = CHURN_WORDS.search(text) if outcome else None
        if churn_said and churn_said.group(0).lower()[:6] not in outcome.replace("_", ""):
            # "why do customers who complained churn": churn's own drivers; but "what drives cancellations"
            # of a booking table's is_canceled is that flag's (its own name said)
            outcome = None
        if outcome:
            route = self.router.route(text, self._values(), self.data_end(), analysis="churn",
                                      customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route
            if route is not None:
                by = [b for b in route.params.get("by") or [] if b != outcome]
                filters = {k: v for k, v in (route.params.get("filters") or {}).items() if k != outcome}
                params = {k: v for k, v in {"by": by, "filters": filters, "outcome": outcome,
                                            "exclude": [], "top": route.params.get("top")}.items() if v}
                route = Route("churn", params, route.confidence, route.alternatives, [], "route",
                              {**{k: v for k, v in route.slots.items() if k in ("filters", "by")}, "by": by,
                               "filters": filters, "spelt": list(numbered)}, {"churn": params})
                return route  # "what drives response": read as output, said on the first line
        # "which of the five campaigns had the highest acceptance rate", "wines vs meat": sibling columns side by side
        siblings = meant.siblings_asked(self, text) if self._measurer() and analysis in (None, self._measurer()) \
            else None
        averaged = analysis is None and self._measurer() and (self.measure_named(text) or ("", ""))[1] in ("mean", "median")
        if route is not None and route.decision == "clarify" and averaged:
            route = None  # "average previous purchases for subscribers": the mean of that column, not an ask-back
        if route is None and (siblings or analysis is None and self._measurer() and (
                self.conditions_said(text) or self._ranked_by(text) or averaged)):
            # sibling columns side by side; "balance below 0", "average credit limit by card type": customers that
            # meet a comparison on a numeric column, counted; the average of a numeric customers column
            route = self.router.route(text, self._values(), self.data_end(), analysis=self._measurer(),
                                      customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
        if route is None and analysis is None and self._measurer() and slotlib.share_asked(text):
            # "what fraction of PhD customers are single": a share of a value, when nothing else was sure
            tentative = self.router.route(text, self._values(), self.data_end(), analysis=self._measurer(),
                                          customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
            shared = self._value_share(text, tentative) if tentative else None
            route = shared if shared is not None and shared.params.get("stat") in ("share", "filled") else None
        if analysis is None and meant.HOW_IT_DID.search(text) and self._measurer() and self.applies(self._measurer()) \
                and (route is None or route.analysis != self._measurer() or route.decision == "clarify"):
            # "how'd Kitchen do in Q3 2025": the sales of what was named, where a value was named
            routed = self.router.route(text, self._values(), self.data_end(), analysis=self._measurer(),
                                       customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
            if routed is not None and (routed.params.get("filters") or routed.params.get("product")):
                if route is not None:
                    routed.alternatives = [(a, c) for a, c in [(route.analysis, route.confidence), *route.alternatives]
                                           if a != routed.analysis][:2]
                route = routed
        counts_stages = next((n for n, a in self.analyses.items() if getattr(a, "every_status", False)), None)
        if route is None and analysis is None and counts_stages and meant.stage_named(self, text) and not (
                task_request(text) or other_company(text, self._values())):
            # "what's in negotiation right now": the deals of that stage, counted where every stage is read
            route = self.router.route(text, self._values(), self.data_end(), analysis=counts_stages,
                                      customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
        if route is None and analysis is None and self._measurer() and self.applies(self._measurer()) and \
                meant.money_threshold(text) and not (task_request(text) or other_company(text, self._values())):
            # "which customers spent more than 1000": the customers over the amount (``meant.reread``), not declined
            route = self.router.route(text, self._values(), self.data_end(), analysis=self._measurer(),
                                      customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
        if route is not None and analysis is None and route.slots.get("stat") == "median" and \
                rx.search(r"\bmedian\b", text, re.I) and route.slots.get("metric") == "aov" and self._measurer() and \
                route.analysis != self._measurer() and self.applies(self._measurer()):
            # "median invoice value": the orders' values (``Overview._value_spread``), not a lifetime value
            route = self.router.route(text, self._values(), self.data_end(), analysis=self._measurer(),
                                      customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route
        if route is not None and analysis is None:
            route = self._customers_counted_by(text, route)  # "customers by [x]": a count, not a segmentation
            route = self._column_words_not_the_question(text, route)  # "how many customers in each loyalty tier"
            route = self._own_segments_counted(text, route)  # "how many Enterprise accounts": the CRM's column
            route = self._share_of_the_top(text, route)  # "what share of revenue comes from the top 10 customers"
            route = self._own_column_over_unfit(text, route)  # "satisfaction level by tier": the table's column
            route = self._own_measure_over_unfit(text, route)  # "lifetime value by status": the numeric column
            route = self._feedback_rows_over_unfit(text, route)  # "which countries complain most": tickets counted
            route = self._values_over_unfit(text, route)  # "what percentage are married or living together"
            if meant.WHAT_BOUGHT.search(text) and not self.applies(route.analysis) and self._measurer() and \
                    self.applies(self._measurer()):  # "what do women buy" where baskets cannot be read: the sales
                route = self.router.route(text, self._values(), self.data_end(), analysis=self._measurer(),
                                          customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route
            route = meant.in_baskets(self, text, route)  # "how often does whole milk turn up": its share of baskets
            route = meant.pair_asked(self, text, route)  # "baskets with both milk and yogurt": the pair together
            self._how_value_asked(text, route)  # "how satisfied are customers in each city": the levels, by city
        if route is not None:
            self._not_a_segment(text, route)
            if getattr(self.analyses.get(route.analysis), "saves_segments", False) and route.params.get("by"):
                # "revenue per segment" of a segmentation: the segments it makes, not a breakdown by them
                # (by a CRM's own Segment column, while no labels hide it, it is one); nor over time
                mine = self.dataset.has_segments or not self.dataset.own_segment_values()
                route.params["by"] = [b for b in route.params["by"] if b != "period" and not (b == "segment" and mine)]
            self._add_flags(text, route)
            self._one_customer_asked(route)
            route = self._measured_groups(text, route)
            self._add_measure(text, route)
            route = self._flag_rate(text, route)
            route = self._value_share(text, route)
            self._leave_out(text, route)
            route = meant.reread(self, text, route)
            route = meant.measure_owner(self, route)  # "gross margin per month": the margin's analysis
            route = meant.losses_asked(self, text, route)  # "which sub-category loses the most money": profit
            route = meant.recommend_share(self, text, route)  # "percentage of reviewers who recommend": loyalty's
            meant.last_period_note(self, text, route)  # "last quarter" of data to 2019-12-30: 2019 Q3, said
            route = self._numeric_condition(text, route)  # "a negative balance", "inactive 3 months or more"
            route = meant.read_measure(self, text, route)  # "MRR by plan tier": the mrr column, or said unread
            unread = self.unread_breakdown(text, route)
            read = meant.read_breakdown(self, text, route, unread)
            if read and "by" in getattr(self.analyses[route.analysis].Params, "model_fields", {}):
                # "by contry", "by Lead Source", "by plan": read as the column, and said so
                route.slots["by"] = route.params["by"] = [read[1]]
                route.slots["read_by"] = read
                if meant.both_sides(read[0]):  # "inactive or active members": both groups, neither a filter
                    for held in (route.params, route.slots):
                        if isinstance(held.get("filters"), dict):
                            held["filters"] = {c: v for c, v in held["filters"].items() if c != read[1]}
            elif unread:
                route.slots["unread_by"] = unread
            meant.product_line_as_product(self, route, text)  # "by product line" where products have no category
            meant.at_risk_segment(self, route, text)  # "what should I ask at-risk customers": the RFM segment
            more = meant.more_breakdowns(self, text, route.params.get("by") or []) \
                if "by" in getattr(self.analyses[route.analysis].Params, "model_fields", {}) else []
            if more:  # "by age band and marital status": year_birth beside marital_status, said so
                route.slots["by"] = route.params["by"] = [*route.params["by"], *(c for _, c in more)]
                route.slots["spelt"] = [*(route.slots.get("spelt") or []),
                                        *(m for m in more if m[0].lower() != m[1].replace("_", " "))]
            meant.what_bought(self, text, route)  # "what do men buy vs women": by category beside gender
            meant.per_customer_asked(self, text, route)  # "average spend per customer by gender": each group's
            meant.visitors_asked(self, text, route)  # "how many unique users" of a clickstream: its visitors
            if siblings:
                route = self._siblings(route, siblings)
            route = self._customers_ranked(text, route)  # "top 10 customers by credit limit", customers alone
            route = self._never_bought(text, route)  # "customers who never bought X": no filter on X
            if route.params.get("filters") and route.analysis in self.analyses:
                asked = route.params["filters"]
                route.params["filters"] = self.fit_filters(route.analysis, asked)
                left = {c: v for c, v in asked.items()  # moved ("email" -> "Email", "website" -> "web"): applied
                        if not self.filter_applied(route.analysis, c, v, route.params["filters"])}
                if left:  # "For the Coffee category only." of feedback, whose rows have no category: said
                    route.slots["unapplied_filters"] = left
                if not route.params["filters"]:
                    route.params.pop("filters")
        if analysis is None and route is not None:
            route = self._about_segments(text, route)
            self._only_applicable_readings(route)
        if route is not None and acquired:
            fields = getattr(self.analyses[route.analysis].Params, "model_fields", {})
            if "filters" in fields:
                route.params["filters"] = {**(route.params.get("filters") or {}), kit.FIRST_PURCHASE: [acquired]}
                route.slots["filters"] = {**(route.slots.get("filters") or {}), kit.FIRST_PURCHASE: [acquired]}
        if route is not None and gone:
            route = self._churned_only(text, route, *gone)
        if route is not None and route.analysis == self._measurer() and not self.dataset.has("transactions") \
                and self.dataset.has("customers"):
            counted = not route.params.get("measure") or route.params.get("stat") in ("share", "filled")
            # "how many customers use paperless billing": a yes/no column's share is a count of customers, whatever
            # money word its name holds
            flag_words = route.params.get("metric") == "revenue" and route.params.get("measure") in self._flags()
            if counted and (route.params.get("metric") in (None, "orders", "customers") or flag_words) and \
                    "metric" in getattr(self.analyses[route.analysis].Params, "model_fields", {}):
                # a customers table alone: what the answer counts is customers ("how many senior citizens",
                # "gender split", "share of purchases that used a promo code"), said so on the first line
                if route.params.get("metric") != "customers":  # not said: a follow-up's change of measure it is not
                    route.params["metric"] = route.slots[slotlib.TABLE_METRIC] = "customers"
            elif not counted and route.params.get("metric") not in (None, "revenue", "aov"):
                # "average number of purchases" of a customers table: its measure is the answer; a metric of
                # orders or customers beside it is read by nothing there, so not said on the first line
                route.params.pop("metric")
        if route is not None and set(route.params.get("by") or []) & {"period", *kit.CYCLES}:
            # "by month" beside a Month column that repeats the date's: said as read, once
            for column in kit.calendar_copies(self.dataset):
                m = rx.search(r"\b" + slotlib.column_pattern(column) + r"s?\b", text)
                if m:
                    numbered = [*numbered, (m.group(0), f"the calendar of the order date ({column} repeats it)")]
        if route is not None and numbered:  # said on the first line: "read 'campaign 3' as accepted_cmp3"
            route.slots["spelt"] = [*(route.slots.get("spelt") or []),
                                    *(n for n in numbered if n not in (route.slots.get("spelt") or []))]
        return route

    #: "customers by plan", "how many clients per [x]": the customers counted per value, said without a
    #: word of segmenting them
    _CUSTOMERS_BY = re.compile(r"\W*(?:(?:the\s+)?(?:number|count)\s+of\s+|how\s+many\s+)?(?:customers|clients|accounts|"
                               r"members|subscribers)\s+(?:by|per|across)\s+\S")
    _SEGMENTING = re.compile(r"\b(?:segment\w*|cluster\w*|group\w*|rfm|personas?)\b")

    def _share_of_the_top(self, text: str, route: Route) -> Route:
        """"what share of revenue comes from the top 10 customers", "top 10% customers make what share of
        revenue" routed to an analysis with no field for such a share (the Five Forces guide, which the
        classifier leans to on the words of concentration): the one figure, by the analysis whose params
        take it, unless the question names the routed analysis in the words of its own title or summary
        ("... for the 5 forces", "Porter's").
        """
        measurer = self._measurer()
        asked = [k for k in ("share_top", "share") if route.slots.get(k) is not None]
        if not measurer or route.analysis == measurer or not asked:
            return route
        fields = set(getattr(self.analyses[route.analysis].Params, "model_fields", {}))
        if fields & set(asked) or not set(asked) <= set(getattr(self.analyses[measurer].Params, "model_fields", {})):
            return route
        own, mine = self.analyses[route.analysis], self.analyses[measurer]
        words = {w for w in rx.findall(r"[a-z][a-z']{4,}", f"{own.title} {own.summary}".lower())} - \
            set(rx.findall(r"[a-z][a-z']{4,}", f"{mine.title} {mine.summary}".lower()))
        said = set(rx.findall(r"[a-z][a-z']{4,}", text.lower()))
        # its words, or the lexicon's words for them ("buyer power", "too concentrated": the forces)
        lexicon = [pattern for pattern, hint in concept_patterns() if set(hint.split()) & words]
        if words & said or any(pattern.search(text.lower()) for pattern in lexicon):
            return route
        return self.router.route(text, self._values(), self.data_end(), analysis=measurer,
                                 customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route

    def _customers_counted_by(self, text: str, route: Route) -> Route:
        """"customers by [x]", "clients per plan" routed to a segmentation (the classifier's lean on the
        words "customers by"): the customers counted per value, by the analysis that summarises
        customers, unless the question says to segment, cluster or group them."""
        measurer = self._measurer()
        low = text.lower()
        if not measurer or not getattr(self.analyses.get(route.analysis), "saves_segments", False) or \
                not self._CUSTOMERS_BY.match(low) or self._SEGMENTING.search(low):
            return route
        return self.router.route(text, self._values(), self.data_end(), analysis=measurer,
                                 customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route

    def _column_words_not_the_question(self, text: str, route: Route) -> Route:
        """"how many customers do we have in each loyalty tier", "orders per churn risk band": a breakdown by a
        column of the data whose name holds another analysis's word (loyalty_tier) routed there by that word.
        Read with an everyday breakdown in its place ("... in each country"), the question is the one that
        summarises customers and sales: it is that one's, by the column."""
        measurer = self._measurer()
        by = [b for b in route.params.get("by") or [] if b not in slotlib.DIMENSIONS]
        if not measurer or route.analysis == measurer or not by or not self.applies(measurer):
            return route
        low = text.lower()
        own = meant.ANALYSES_NAMED.get(route.analysis)  # the column's name holds the analysis's own word
        mentions = [m for m in slotlib.column_mentions(low, by) if own and rx.search(own, m[2].replace("_", " "))]
        if not mentions:
            return route
        plain = low
        for start, end, _ in reversed(mentions):
            plain = plain[:start] + "country" + plain[end:]
        other = self.router.route(plain, self._values(), self.data_end(), customers=self._customer_exists,
                                  applies=self.applies, vocabulary=self.dataset.vocabulary)
        if other is None or other.decision != "route" or other.analysis != measurer:
            return route
        routed = self.router.route(text, self._values(), self.data_end(), analysis=measurer,
                                   customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
        if routed is None:
            return route
        routed.alternatives = [(route.analysis, route.confidence), *route.alternatives][:2]
        return routed

    #: asking to make segments, not to count or sum within the data's own Segment column
    _MAKE_SEGMENTS = re.compile(r"\b(?:segment(?:ation|ing)?\s+(?:my|our|the|them|those|these|customers|clients|accounts)|"
                                r"cluster\w*|rfm|k-?means|personas?|(?:split|group|divide)\w*\s+(?:\w+\s+){0,3}into|"
                                r"group\w*\s+(?:the\s+|my\s+|our\s+)?(?:accounts|customers|clients)|"
                                # which segments to focus on, the overlooked ones: the segmentation's own questions
                                r"focus\w*|prioriti[sz]\w*|go\s+after|lean\s+in(?:to)?|double\s+down|invest\s+in|target\w*|under-?served|overlooked|neglected|upside|"
                                r"put\s+(?:\w+\s+)?(?:time|effort)|effort)\b")
    _COUNTED = re.compile(r"\b(?:how\s+(?:many|much)|count|number\s+of|revenue|amount|spen[dt]\w*|"
                          r"sales(?!\s+(?:team|people|reps?|staff|guys|girls|ppl|force))|sell\w*|"
                          r"sold|deals?|won|distributed|split|turnover|bookings?|(?:by|per)\s+(?:day|week|month|quarter|year)|daily|weekly|"
                          r"monthly|quarterly|yearly|over\s+time|trend\w*)\b")

    def _own_segments_counted(self, text: str, route: Route) -> Route:
        """"how many Enterprise accounts in EMEA", "count accounts where segment = 'SMB'", "which product
        sells most in the SMB" on data with a Segment column of its own (a CRM's Enterprise, Mid-Market,
        SMB) routed to a segmentation on the word: a count or sum over that column's values, by the
        analysis that summarises customers and sales, unless the question asks to make segments."""
        measurer = self._measurer()
        low = text.lower()
        own = self.dataset.own_segment_values()
        named = "segment" in (route.slots.get("filters") or {}) or "segment" in (route.slots.get("by") or []) or \
            route.slots.get("segment") in own
        if not measurer or not named or not getattr(self.analyses.get(route.analysis), "saves_segments", False) or \
                self.dataset.has_segments or not own or \
                self._MAKE_SEGMENTS.search(low) or not self._COUNTED.search(low):
            return route
        return self.router.route(text, self._values(), self.data_end(), analysis=measurer,
                                 customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route

    def _own_column_over_unfit(self, text: str, route: Route) -> Route:
        """"Satisfaction level by membership type" on a customers table alone with a Satisfaction_Level
        column: the router's analysis (loyalty's satisfaction, which needs feedback data) cannot answer
        on the data loaded, and the question names a column of words of the customers table that no
        breakdown took ("by membership type" did): the customers counted by that column (and by the
        breakdown asked, one table across the other), by the analysis that summarises customers
        columns; said on the first line. It refused, naming feedback data, with the answer in the table.
        Where that analysis was routed to already with no measure ("membership type by city", customers
        alone), the column named before "by" is the first breakdown: it was dropped, the customers by city
        alone given."""
        measurer = self._measurer()
        if measurer is None or not self.applies(measurer) or not self.dataset.has("customers"):
            return route
        own = route.analysis == measurer and not route.params.get("measure") and not self.dataset.has("transactions")
        if not own and (route.analysis == measurer or self.applies(route.analysis)):
            return route
        if route.params.get("focus") == "recommend" and kit.recommend_column(self.dataset, "customers"):
            return route  # "what share would recommend us by plan": loyalty reads the customers' recommend column
        numeric = set(self._numeric_attributes())
        words = [c for c in self.dataset.columns("customers") if c not in numeric and c not in (
            "customer_id", "signup_date", "churned")]
        low = text.lower()
        by = list(route.slots.get("by") or [])
        if not by:  # a column broken down by another ("X by Y") only: "which categories are bought together" stays
            return route
        free = lambda start: not rx.search(r"\b(?:by|per|across|each|every)\s+(?:the\s+)?$",  # noqa: E731
                                           low[max(0, start - 20):start])
        # the numeric columns are looked for too, longest first, so that a word of one said whole is that
        # column's ("number of policies", "months since policy inception": not the Policy column)
        named = [(start, end, c) for start, end, c in slotlib.column_mentions(low, [*words, *numeric])
                 if c not in by and c not in numeric and free(start)]
        if own:
            cue = rx.search(r"\b(?:by|per|across|(?:for|in)\s+(?:each|every))\b", low)
            named = [n for n in named if cue and n[1] <= cue.start() and n[2] not in (route.params.get("filters") or {})]
            if not named:
                return route
            column = named[0][2]
            route.params["by"] = route.slots["by"] = [column, *by]
            return route
        if not named:  # "satisfaction by city": the one column whose first word is said (satisfaction_level)
            heads = {}
            # a word of a column said whole is no other column's first word ("vehicle class": not vehicle_size)
            taken = [(a, b) for a, b, _ in slotlib.column_mentions(low, by)]
            for c in words:
                head = rx.split(r"[_\s]+", c)[0]
                m = rx.search(r"(?<![\w-])" + re.escape(head) + r"(?![\w-])", low) if len(head) >= 5 else None
                if m and any(a <= m.start() < b for a, b in taken):
                    continue
                if m and c not in by and free(m.start()):
                    heads[c] = (m.start(), m.end(), c)
            named = list(heads.values()) if len(heads) == 1 else []
        if not named:
            return route
        start, end, column = named[0]
        routed = self.router.route(text, self._values(), self.data_end(), analysis=measurer,
                                   customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
        if routed is None:
            return route
        by = [column, *(b for b in routed.params.get("by") or by if b != column)]
        routed.params = {k: v for k, v in routed.params.items() if k not in ("measure", "stat", "values")}
        routed.params["by"] = routed.slots["by"] = by
        routed.params["metric"] = "customers"
        routed.params["filters"] = {c: v for c, v in (routed.params.get("filters") or {}).items() if c != column}
        if not routed.params["filters"]:
            routed.params.pop("filters")
        routed.alternatives = [(route.analysis, route.confidence), *route.alternatives][:2]
        routed.slots["spelt"] = [*(routed.slots.get("spelt") or []), (
            text[start:end], f"the customers table's column {column} ({route.analysis} cannot answer on the data "
                             "loaded)")]
        return routed

    def _own_measure_over_unfit(self, text: str, route: Route) -> Route:
        """"Lifetime value by employment status", "top 10 customers by lifetime value" on a customers
        table alone with a Customer Lifetime Value column: the router's analysis (CLV, which needs
        sales) cannot answer on the data loaded, and the question names one numeric column of the
        customers table: the question is the analysis's that summarises customers columns, which reads
        the column as its measure (``meant.read_measure``) or ranks the customers by it
        (``_customers_ranked``). It refused, naming transactions data, with the figure in the table."""
        measurer = self._measurer()
        if measurer is None or route.analysis == measurer or self.applies(route.analysis) or \
                not self.applies(measurer) or not self.dataset.has("customers"):
            return route
        numeric = set(self._numeric_attributes())
        named = {c for _, c in meant.measures_said(self, text) if c in numeric}
        ranked = self._ranked_by(text)
        if len(named) != 1 and not ranked:
            return route
        # the column must hold what the analysis computes (customer_lifetime_value for CLV): "lifetime value
        # from tenure and monthly charges" names the inputs of an estimate, not a column holding it
        about = {w for w in rx.findall(r"[a-z]{4,}", f"{route.analysis} {getattr(self.analyses[route.analysis], 'title', '')}"
                                                     .lower()) if w not in ("customer", "customers")}
        columns = named if len(named) == 1 else {ranked[0]}
        if not any(about & set(rx.findall(r"[a-z]{4,}", c.lower())) for c in columns):
            return route
        return self._rerouted(text, route, measurer) or route

    def _rerouted(self, text: str, route: Route, analysis: str) -> Route | None:
        """``text`` routed to ``analysis`` (the reading the data can answer), with ``route``'s analysis
        first among its alternatives; None when ``analysis`` cannot read it."""
        routed = self.router.route(text, self._values(), self.data_end(), analysis=analysis,
                                   customers=self._customer_exists, vocabulary=self.dataset.vocabulary)
        if routed is not None:
            routed.alternatives = [(route.analysis, route.confidence), *route.alternatives][:2]
        return routed

    def _values_over_unfit(self, text: str, route: Route) -> Route:
        """"What percentage of our customers are married or living together" on a customers table alone: the
        router's analysis (loyalty, by "together") cannot answer on the data loaded, and the question names
        values of the customers' columns (Married, Together) with a share or a count: the analysis that
        counts customers answers it. It refused, naming transactions data."""
        measurer = self._measurer()
        if measurer is None or route.analysis == measurer or self.applies(route.analysis) or \
                not self.applies(measurer) or not self.dataset.has("customers") or not route.slots.get("filters"):
            return route
        # a share or a count asked ("count" alone is no count: "do they count as our loyal base")
        if not rx.search(r"\b(?:how\s+many|percent(?:age)?|share|proportion|fraction|number\s+of)\b|%", text, re.I):
            return route
        return self._rerouted(text, route, measurer) or route

    def _feedback_rows_over_unfit(self, text: str, route: Route) -> Route:
        """"Which countries complain the most", "average resolution time by priority" on feedback alone
        with nothing the routed analysis needs (a support desk's tickets with no comment text, for the
        themes of comments): the overview counts the rows, per group, and summarises the number of
        them the question names (its ``measure``). It refused, asking for a text column."""
        measurer, ds = self._measurer(), self.dataset
        if measurer is None or route.decision != "route" or not self.applies(measurer) or ds.has("transactions") \
                or ds.has("customers") or not ds.has("feedback"):
            return route
        if route.analysis != measurer and self.applies(route.analysis):
            return route
        routed = route if route.analysis == measurer else self.router.route(
            text, self._values(), self.data_end(), analysis=measurer, customers=self._customer_exists,
            vocabulary=ds.vocabulary)
        if routed is None:
            return route
        numbers = kit.line_numbers(ds, "feedback")
        named = [c for _, c in meant.measures_said(self, text) if c in numbers]
        if named:
            routed.params["measure"] = named[0]
            routed.params["stat"] = next((stat for word, stat in (("median", "median"), ("total", "sum"), ("sum", "sum"))
                                          if rx.search(rf"\b{word}\b", text, re.I)), "mean")
        if routed is not route:
            routed.alternatives = [(route.analysis, route.confidence), *route.alternatives][:2]
        return routed

    def _how_value_asked(self, text: str, route: Route) -> None:
        """"How satisfied are customers in each city?": a value said after "how" ("how satisfied are",
        "how engaged is") asks how the customers spread over its column, not for those with the value:
        the column becomes the first breakdown, never a filter on the one value (it counted the
        Satisfied alone, by city)."""
        if route.analysis != self._measurer() or not isinstance(route.params.get("filters"), dict):
            return
        low = text.lower()
        for column, values in list(route.params["filters"].items()):
            if len(values) != 1 or not isinstance(values[0], str) or not rx.search(
                    r"\bhow\s+" + re.escape(values[0].lower()) + r"\s+(?:are|is|were|was|do|does|did|have|has)\b", low):
                continue
            route.params["filters"].pop(column)
            if isinstance(route.slots.get("filters"), dict):
                route.slots["filters"].pop(column, None)
            by = [b for b in route.params.get("by") or [] if b != column]
            route.params["by"] = route.slots["by"] = [column, *by]
            route.params.pop("measure", None), route.params.pop("stat", None), route.params.pop("values", None)
        if not route.params["filters"]:
            route.params.pop("filters")

    def _only_applicable_readings(self, route: Route) -> None:
        """An ask-back offers only readings the loaded data can answer (``applies``): loyalty, cohort
        or CLV, which need orders, are not offered on a customers table alone. With one reading left
        the question is routed to it; with none, to the likeliest (whose answer says what data it
        needs). Alternatives that cannot answer are dropped from every route, so nothing later
        (a follow-up pointing back) weighs them either."""
        if not self.dataset.sources:
            return
        route.alternatives = [(n, p) for n, p in route.alternatives if n in self.analyses and self.applies(n)]
        if route.decision != "clarify":
            return
        readings = [n for n in [route.analysis, *(n for n, _ in route.alternatives)] if self.applies(n)]
        if len(readings) >= 2:
            if readings[0] != route.analysis:
                first = readings[0]
                route.alternatives = [(n, p) for n, p in route.alternatives if n != first]
                route.analysis = first
                route.params = route.readings.get(first) or self.router.params_for(first, route.slots)
            return
        if readings and readings[0] != route.analysis:
            route.analysis = readings[0]
            route.params = route.readings.get(readings[0]) or self.router.params_for(readings[0], route.slots)
        route.decision = "route"

    @staticmethod
    def _not_a_segment(text: str, route: Route) -> None:
        """"who are the most loyal", "how loyal are they", "the newest customers": a segment name
        that is an everyday word, said as a degree, is that word, not the saved segment "Loyal"."""
        named = route.slots.get("segment") or (route.params.get("filters") or {}).get("segment", [None])[0] \
            if isinstance((route.params.get("filters") or {}).get("segment"), list) else route.slots.get("segment")
        if not named or str(named).lower() not in EVERYDAY_SEGMENTS:
            return
        if not rx.search(r"\b(?:most|more|less|least|very|how|so|really|too|quite|fairly)\s+" + re.escape(str(named).lower())
                         + r"\b", text.lower()):
            return
        route.slots.pop("segment", None)
        if route.params.get("segment") == named:
            route.params.pop("segment")
        filters = route.params.get("filters") or {}
        if filters.get("segment") == [named]:
            route.params["filters"] = {k: v for k, v in filters.items() if k != "segment"}
            if not route.params["filters"]:
                route.params.pop("filters")

    def roles_of(self, analysis: str) -> list[str]:
        """The loaded roles ``analysis`` reads, its first one first (``requires``, then each of its
        ``requires_any`` alternatives): journey reads events, else a deal export's transactions."""
        obj = self.analyses[analysis]
        roles = [*(getattr(obj, "requires", None) or {})]
        for alternative in getattr(obj, "requires_any", None) or []:
            roles += [r for r in alternative if r not in roles]
        return [r for r in roles if self.dataset.has(r)] + self._read_alone(analysis)

    def fit_filters(self, analysis: str, filters: dict[str, list], foreign: bool = False) -> dict[str, list]:
        """``filters`` on the columns ``analysis`` reads: a value the question (or an earlier turn)
        named under one column that the data holds under another read by this analysis moves there
        (its spelling there: "Email" of the events for "email" of the customers). ``foreign=False``
        leaves out a filter on a column that only tables the analysis does not read have (a
        feedback topic for basket rules), as the question's own slots are read; carried filters keep
        it, and the analysis then says it could not apply it.
        "only social" is the events' channel in a funnel (acquisition_channel of the customers in a
        sales question); "channel = social" carried from a funnel to sales is the customers'
        acquisition channel (the sales channel is app, store, web). A value held by the analysis's
        first role wins, then the column as named, then any column of a role it reads or the customers'."""
        roles = self.roles_of(analysis)
        if not filters or not roles:
            return filters
        values = self._values()
        primary, readable = roles[0], [*roles, *(["customers"] if "customers" not in roles else [])]
        ds = self.dataset

        def spelling(role: str, column: str) -> dict[str, str]:
            return {str(x).lower(): x for x in (values.get(role) or {}).get(column) or []}

        def holds(role: str, column: str, wanted: set[str]) -> bool:
            return bool(wanted) and {w.lower() for w in wanted} <= set(spelling(role, column))

        def spelt(column: str, vals) -> list:
            said = next((spelling(r, column) for r in readable if spelling(r, column)), {})
            return [said.get(str(v).lower(), v) for v in (vals if isinstance(vals, list) else [vals])]

        out: dict[str, list] = {}

        def short_form(wanted: set[str]) -> tuple[str, str] | None:
            """A value of a column this analysis cannot read ("the website" is a feedback topic): the one
            value of a column it reads that is its short form ("web" of "website"), or that it is another
            name of (``slots.VALUE_NAMES``: "online shop" of "web")."""
            if len(wanted) != 1:
                return None
            said = next(iter(wanted)).lower()
            found = {(c, v) for r in readable for c, vs in (values.get(r) or {}).items() for v in vs
                     if len(v) >= 3 and (said.startswith(v.lower()) or v.lower().startswith(said)
                                         or said in slotlib.VALUE_NAMES.get(v.lower(), ()))}
            return found.pop() if len(found) == 1 else None

        def put(column: str, vals) -> None:
            vals = vals if isinstance(vals, list) else [vals]
            out[column] = [*out.get(column, []), *(v for v in vals if v not in out.get(column, []))]

        for column, vals in filters.items():
            if column in (kit.FIRST_PURCHASE, kit.MIN_ORDERS):  # an acquisition cohort, customers with N orders:
                # of the sales, whatever the analysis reads
                put(column, vals)
                continue
            if kit.condition(vals) and any(column in ds.columns(r) for r in readable if ds.has(r)):
                put(column, vals)  # "balance < 0": a comparison on the column, as named
                continue
            wanted = {str(v) for v in (vals if isinstance(vals, list) else [vals])}
            held_by = {r for r, cols in values.items() if column in cols}
            if column in ds.product_attributes(primary) and holds("transactions", column, wanted):
                put(column, [spelling("transactions", column).get(str(v).lower(), v) for v in vals])
                continue  # "reviews of the Beauty category": the feedback on its products (``Dataset.scope``)
            short = short_form(wanted) if held_by and not held_by & set(readable) else None
            if short:  # "and the website?" (a feedback topic) after sales by channel: the channel "web"
                put(short[0], [short[1]])
                continue
            if not foreign and held_by and not held_by & set(readable):
                continue  # "support" (a feedback topic) asked of basket rules: not this analysis's data
            listed = (values.get(primary) or {}).get(column)
            coded = self._as_countries(listed, wanted) if listed and not holds(primary, column, wanted) else None
            if coded:  # "Canada" of the customers' country is "CA" in the orders' country (ISO codes)
                put(column, coded)
                continue
            if column == "segment" or holds(primary, column, wanted) or (
                    column in ds.columns(primary) and not listed):  # a numeric or unlisted column: as named
                put(column, vals)
                continue
            if {w.lower() for w in wanted} <= FLAG_WORDS and column in ds.columns("customers") and \
                    "customers" in readable:
                put(column, vals)  # "tax_exempt = yes" is the customers' column: a yes names no other column
                continue
            moved = next((c for c in (values.get(primary) or {}) if c != column and holds(primary, c, wanted)), None)
            if moved is None and not any(holds(r, column, wanted) for r in readable):
                moved = next((c for r in readable for c in (values.get(r) or {})
                              if c != column and holds(r, c, wanted)), None)
            if moved is None and not any(column in ds.columns(r) for r in readable):
                found = short_form(wanted)
                if found:
                    moved, vals = found[0], [found[1]]
            put(moved or column, spelt(moved, vals) if moved else vals)
        return out

    def filter_applied(self, analysis: str, column: str, values, used: dict[str, list]) -> bool:
        """Whether the filter ``column`` = ``values`` asked of ``analysis`` is among the filters it ``used``:
        on that column, or moved to the column it reads (``fit_filters``: "email" of the customers as the
        events' "Email", "the website" of feedback as the sales channel "web")."""
        def said(vs) -> set[str]:
            return {str(x).lower() for x in (vs if isinstance(vs, list) else [vs])}

        if column in used:
            return True
        fitted = self.fit_filters(analysis, {column: values}) if analysis in self.analyses else {}
        return any(said(values) <= said(w) for w in used.values()) or bool(fitted) and column not in fitted and all(
            c in used and said(v) <= said(used[c]) for c, v in fitted.items())

    @staticmethod
    def _as_countries(listed: list[str], wanted: set[str]) -> list[str] | None:
        """``wanted`` as ``listed`` (a column's values) spells them when both are countries, however
        each writes them ("Canada" is "CA" where the column holds ISO codes: a Shopify export's
        orders beside its customers file, which writes names); None unless every one is found."""
        from . import countries

        codes = all(rx.fullmatch(r"[A-Z]{2,3}", v) for v in listed)
        by_code: dict[str, str] = {}
        for v in listed:
            code = countries.country_of(v, allow_codes=codes)
            if code:
                by_code.setdefault(code, v)
        if len(by_code) < 2:
            return None
        out = [by_code.get(countries.country_of(w) or "") for w in sorted(wanted)]
        return out if all(out) else None

    def _add_flags(self, text: str, route: Route) -> None:
        """"how many female customers churned", "churn rate for senior citizens": a yes/no column of
        the customers named as a kind of customer filters on its yes value (``slots.flags_named``)."""
        named, by = slotlib.flags_named(text, self._flags(), self._flags(no=True))
        named = {c: v for c, v in named.items() if c not in (route.params.get("by") or [])
                 and c not in (route.params.get("filters") or {})}
        fields = getattr(self.analyses[route.analysis].Params, "model_fields", {})
        by = [c for c in by if c not in (route.params.get("by") or [])]
        if by:  # "churn for seniors vs non seniors": a breakdown by the column
            route.slots["by"] = [*(route.slots.get("by") or []), *by]
            if "by" in fields:
                route.params["by"] = [*(route.params.get("by") or []), *by]
        if not named:
            return
        route.slots["filters"] = {**(route.slots.get("filters") or {}), **named}
        if "filters" in fields:
            route.params["filters"] = {**(route.params.get("filters") or {}), **named}

    #: the statistic each word of a question asks for (the others are their own: mean, median, sum, min, max)
    STAT_WORDS = meant.STAT_WORDS

    def measure_named(self, text: str) -> tuple[str, str, str] | None:
        """(column, stat, words) of a numeric customers column the question summarises: "average
        monthly charges", "mean tenure", "median age", "total charges by contract" (a column whose
        name starts with total is summed only when asked: "sum of total charges"); a column named
        after "by"/"per" is a breakdown, not a measure. A number of the sales lines (the buyer's age,
        a rating on each line: ``kit.line_numbers``) is summarised over the lines."""
        columns = self._numeric_attributes()
        lines = [c for c in kit.line_numbers(self.dataset) if c not in columns]
        money = {c for c in lines if meant.holds_money(c)}
        columns += lines
        if not columns:
            return None
        low = text.lower()
        # "average cashback" for cashback_amount: a column said without its generic last word
        short: dict[str, list[str]] = {}
        for c in columns:
            name = rx.sub(r"_(?:amount|value|count|score|total|number|sum|amt|val)$", "", c)
            # "how much shipping did we charge": a line's order_shipping said without its first word too
            for name in {name, rx.sub(r"^(?:order|orders|line|item|invoice)_", "", name)}:
                if name != c and len(name) >= 4 and name not in columns:
                    short.setdefault(name, []).append(c)
        aliases = {name: cs[0] for name, cs in short.items() if len(cs) == 1}
        mentions = slotlib.column_mentions(low, columns) + [
            (start, end, aliases[name]) for start, end, name in slotlib.column_mentions(low, list(aliases))]
        for start, end, column in mentions:
            before = low[max(0, start - 40):start]
            if rx.search(r"\b(?:by|per|across|for\s+each|split\s+by|group(?:ed)?\s+by)\s+(?:the\s+)?$", before):
                continue
            # "how much balance did we lose with the churned": what they hold together, a sum
            m = rx.search(r"\b(?P<stat>average|avg|mean|typical|median|total|sum|min(?:imum)?|max(?:imum)?|highest|"
                          r"lowest|how much)(?:\s+(?:of|the|our|customer'?s?|customers'?))*\s+$", before)
            if not m and column in lines:  # "which product line brings the most gross income": summed per group
                m = rx.search(r"\b(?P<stat>most|least)\s+$", before)
                if m:
                    return column, "sum", low[m.start():end]
                # "paypal fees by month for 2024": money of the lines said bare, and no other measure, is summed
                if column in money and not rx.search(self.OTHER_MEASURE, low):
                    return column, "sum", low[start:end]
            # "monthly charges avg seniors vs non seniors": the statistic said after the column the question opens with
            after = None if m or low[:start].strip() else rx.match(r"\s+(?P<stat>average|avg|mean|median)\b", low[end:])
            if after:
                word = after.group("stat")
                return column, self.STAT_WORDS.get(word, word), low[start:end + after.end()]
            if m:
                word = m.group("stat")
                stat = self.STAT_WORDS.get(word, word)
                return column, stat, low[m.start():end]
        # "average number of transactions" (total_trans_ct), "average utilization ratio" (avg_utilization_ratio):
        # the words after the statistic, up to what splits or picks the customers, read loosely
        for m in self.STAT_PHRASE.finditer(low):
            if set(m.group("phrase").split()) <= meant._SLOT_WORDS | {"value", "size", "amount"}:
                continue  # "total sales", "average order value": what the metric reads, no column's parts (sales_tax)
            column = self.column_in_words(m.group("phrase"), columns)
            if column:
                word = m.group("stat")
                stat = self.STAT_WORDS.get(word, word)
                return column, stat, m.group(0).strip()
        return None

    #: money of the sales lines said bare is their sum ("fees by month", ``meant.holds_money``), unless the
    #: question names another measure
    OTHER_MEASURE = r"\b(?:revenue|sales|sold|orders?|customers?|units|turnover|spend|spent|aov|average|count|how\s+many)\b"
    #: a statistic and the words of what it is of, up to a breakdown, a group or the end
    STAT_PHRASE = re.compile(r"\b(?P<stat>average|avg|mean|typical|median|total|sum|min(?:imum)?|max(?:imum)?)\s+"
                             r"(?:(?:of|the|our|customer'?s?|customers'?)\s+)*(?P<phrase>(?:(?:number|count|amount|value)\s+of\s+)?"
                             r"[a-z][a-z0-9 ]*?)"
                             r"(?=\s+(?:by|per|for|of|vs\.?|versus|among|across|in|between|between|compared|against|"
                             r"split|grouped|broken|who|that|with|and)\b|\s*[?,.!]|\s*$)")
    #: what a count's and an amount's words are in column names
    _COUNT_PARTS = {"ct", "cnt", "count", "num", "number", "no", "qty", "quantity"}
    _AMOUNT_PARTS = {"amt", "amount", "value", "sum", "spend", "spent", "bal", "balance", "revenue"}

    def column_in_words(self, phrase: str, columns: list[str]) -> str | None:
        """The one numeric column a measure said in loose words names: every word said fits a part of
        its name (``meant._word_fits``: "transactions" for trans, "utilization" for utilization), a
        count said ("number of", "count of") a count column (ct, cnt, num) and an amount said an
        amount column (amt, value); the one column that fits, or the one the words are exactly."""
        words = [meant._singular(w) for w in rx.findall(r"[a-z0-9]+", phrase.lower())
                 if w not in {"of", "the", "a", "an", "our", "their", "customer", "customers", "client", "clients"}]
        count = any(w in ("number", "count", "no", "num") for w in words)
        amount = any(w in ("amount", "value", "sum") for w in words)
        content = [w for w in words if w not in ("number", "count", "no", "num", "amount", "value", "sum")]
        if not content:
            return None
        fits = []
        for column in columns:
            parts = [meant._singular(p) for p in rx.findall(r"[a-z]+|[0-9]+", column.lower())]
            squashed = "".join(parts)
            if not all(meant._word_fits(w, parts, squashed) for w in content):
                continue
            # "number of special requests": a count column (ct, num) or a total of them (total_of_special_requests)
            if count and not (self._COUNT_PARTS | {"total"}) & set(parts) or amount and not self._AMOUNT_PARTS & set(parts):
                continue
            fits.append((len(squashed) - sum(len(w) for w in content), column))
        fits.sort()
        if not fits or len(fits) > 1 and fits[0][0] != 0:
            return None  # two columns fit and neither is exactly the words ("charges": monthly, total): not guessed
        return fits[0][1]

    #: a purchase said as not made, before the value it names: "never bought X", "didn't order X"
    NEVER_BOUGHT = (r"(?:(?:\bnever|\bnot|n't|\bno\s+longer)\s+(?:ever\s+|yet\s+)?(?:bought|buy|buys|ordered|order|"
                    r"purchased|purchase|shopped\s+for|tried)|\bbut\s+(?:never|not))\s+"
                    r"(?:any(?:thing)?\s+(?:from\s+)?|the\s+|a\s+|an\s+|our\s+)*")

    def _never_bought(self, text: str, route: Route) -> Route:
        """A value said after a purchase not made ("customers who bought Classic Cars but never
        Motorcycles", "who never ordered Planes") is no filter on it: kept, it answered about the very
        purchases the question left out. Customers without a purchase of something cannot be picked out
        (a filter keeps lines), so the value is dropped and said on the first line, never reversed."""
        filters = route.params.get("filters")
        if not isinstance(filters, dict) or not filters:
            return route
        dropped, kept = [], {}
        for column, values in filters.items():
            vals = values if isinstance(values, list) else [values]
            left = []
            for v in vals:
                m = rx.search(self.NEVER_BOUGHT + r"(?:[\w&'-]+\s*(?:,|\s+(?:or|and|nor)\s+)\s*)*(" + re.escape(str(v)) +
                              r")s?\b", text, re.I)
                if m:  # said from the start of its word ("didn't order Planes", not "n't order Planes")
                    start = len(text[:m.start()]) - len(rx.search(r"[\w']*$", text[:m.start()]).group(0))
                    dropped.append((text[start:m.end()].strip(), str(v)))
                else:
                    left.append(v)
            if left:
                kept[column] = left if isinstance(values, list) else left[0]
        measurer = self._measurer()
        if dropped and route.analysis == "churn" and measurer and not CHURN_WORDS.search(text) \
                and self.applies(measurer) and not route.params.get("inactive_days"):
            # "revenue from customers who never bought Motorcycles": a thing not bought, no lapse of buying
            routed = self._rerouted(text, route, measurer)
            if routed is not None:
                return self._never_bought(text, routed)
        if dropped:
            route.slots["never_bought"] = dropped
            if kept:
                route.params["filters"] = kept
            else:
                route.params.pop("filters", None)
            if isinstance(route.slots.get("filters"), dict):
                route.slots["filters"] = dict(kept)
        return route

    def unread_breakdown(self, text: str, route: Route) -> str | None:
        """The word of a breakdown the question asked for that nothing read ("revenue by flavour" on
        data without a flavour): when the route has no breakdown and no period grain, the first word
        after by/per/across that names no column, no value and no breakdown custlens knows, and is
        no sort order or method ("by revenue", "by behaviour"). Said in the answer's first line, so
        that an answer without the breakdown is not taken for one with it."""
        if route.slots.get("by") or route.slots.get("grain") or route.params.get("by") or not self.dataset.sources:
            return None
        known = set(NOT_A_COLUMN)
        for role, columns in self._values().items():
            for column, values in columns.items():
                known.update(column.lower().split("_"))
                for value in values[:200]:
                    known.update(rx.findall(r"[a-z]+", str(value).lower()))
        for role in schema.ROLES:
            if self.dataset.has(role):
                for column in self.dataset.columns(role):
                    known.update(column.lower().split("_"))
        segments = self._segments_held()
        for m in [*BREAKDOWN_SAID.finditer(text), *WHICH_GROUPS_SAID.finditer(text), *SPLIT_SAID.finditer(text)]:
            word = next(w for w in (m.groupdict().get(g) for g in ("word", "one", "ranked")) if w).lower()
            if m.re is SPLIT_SAID and word in _NOT_SPLIT_NAMES:
                continue
            stem = word[:-1] if word.endswith("s") else word
            if stem == "segment" and not segments and not getattr(self.analyses.get(route.analysis), "saves_segments", False):
                return word  # "profit per segment" before any segments are saved: not silently the whole
            of = (m.groupdict().get("of") or "").lower()
            if word in ("number", "count", "amount", "size", "share", "total") and of and not self._known_word(of, known):
                return f"{word} of {of}"  # "by number of kids": what is counted names the breakdown
            if self._known_word(word, known):
                continue
            return word
        return None

    @staticmethod
    def _known_word(word: str, known: set[str]) -> bool:
        """Whether a word said after "by" names something the data or custlens knows (``known``: the
        columns' and values' words and ``NOT_A_COLUMN``), a plural s aside, or a built-in breakdown."""
        stems = {word[:-1] if word.endswith("s") else word, word[:-3] + "y" if word.endswith("ies") else word,
                 word[:-2] if word.endswith("es") else word}  # "cities": city
        return word in known or bool(stems & known) or any(rx.fullmatch(p, word) for p in slotlib.DIMENSIONS.values())

    def _measured_groups(self, text: str, route: Route) -> Route:
        """"average monthly charges for churned vs not churned", "median tenure of seniors vs the
        rest": an average or median of a numeric customers column asked of groups of customers is a
        measure per group, whatever analysis the other words pulled the router to (churn, by the
        word "churned"). The analysis that summarises a customers column (its Params take
        ``measure``: overview) answers it, by the churn flag when the question splits or picks
        customers by churn. Left alone when the groups cannot be told apart in the data (churn
        words without a churn flag: the churn analysis tells churn from purchases)."""
        measurer = self._measurer()
        if measurer is None:
            return route
        named = self.measure_named(text)
        if not named or named[1] not in ("mean", "median"):
            return route
        by = list(route.slots.get("by") or [])
        flags = {c: v for c, v in self._flags().items() if c != "churned" and c != named[0]}
        contrasted = slotlib.flag_contrasted(text, flags) if flags else None
        if CHURN_WORDS.search(text):
            if "churned" not in self.dataset.columns("customers"):
                return route
            by = [*by, "churned"] if "churned" not in by else by
        elif contrasted:  # "average age of clients who subscribed vs those who didn't": by subscription
            by = [*by, contrasted] if contrasted not in by else by
        slots = {**route.slots, "by": by} if by else {k: v for k, v in route.slots.items() if k != "by"}
        if contrasted and not CHURN_WORDS.search(text):
            # "who got a discount vs those who didn't": both sides of the flag, its yes said first no filter
            # (the filter discount_applied = TRUE left one group beside the breakdown by it)
            slots["filters"] = {c: v for c, v in (slots.get("filters") or {}).items() if c != contrasted}
            route.params["filters"] = {c: v for c, v in (route.params.get("filters") or {}).items() if c != contrasted}
            if not route.params["filters"]:
                route.params.pop("filters")
        params = self.router.params_for(measurer, slots)
        if route.analysis == measurer:
            route.slots, route.params = slots, {**route.params, **({"by": by} if by else {})}
            return route
        others = [(route.analysis, route.confidence)] + [a for a in route.alternatives if a[0] != measurer]
        return Route(measurer, params, route.confidence, others, route.unknown_names, "route", slots,
                     {measurer: params})

    def _siblings(self, route: Route, found: dict) -> Route:
        """Sibling columns compared side by side (``meant.siblings_asked``): the measurer's ``columns``,
        each column's rate (0/1 flags) or sum (amounts), ranked; ``any_of``: the share with at least one
        flag yes. What the other words read as a measure, a value share, a top or bottom cut ("the five
        campaigns" is no top 5) or a breakdown by the compared columns is dropped; filters, the period
        and a breakdown by another column stay. Said on the first line."""
        measurer = self._measurer()
        cols = set(self.dataset.columns("customers"))
        slots = {k: v for k, v in route.slots.items() if k in ("filters", "by", "start", "end", "segment")}
        params = {k: v for k, v in route.params.items() if k in ("filters", "by", "start", "end")}
        by = [b for b in params.get("by") or [] if b in cols and b not in found["columns"]]
        filters = {k: v for k, v in (params.get("filters") or {}).items() if k not in found["columns"]}
        params = {**params, "by": by, "filters": filters, "columns": list(found["columns"]),
                  "any_of": found["any_of"], "highlight": list(found["focus"]),
                  "stat": found["stat"]}
        params = {k: v for k, v in params.items() if v or k not in ("filters", "by", "highlight", "any_of")}
        slots.update({"by": by, "filters": filters})
        listed = ", ".join(found["columns"])
        slots["spelt"] = [(found["said"], f"{', '.join(found['focus'])} (its share of the total of {listed})")
                          if found["focus"] and found["said"] not in ("campaigns",) and not found["flags"] else
                          (found["said"], ("any of " if found["any_of"] else "") + listed)]
        others = [a for a in [(route.analysis, route.confidence), *route.alternatives] if a[0] != measurer]
        return Route(measurer, params, route.confidence, others[:2], [], "route", slots, {measurer: params})

    #: a comparison said before a number, and what it is
    _CMP_BEFORE = (("more than|over|above|greater than|higher than|bigger than|larger than|exceeding|in excess of|>",
                    ">"),
                   ("at least|no less than|not less than|a minimum of|minimum of|>=|=>", ">="),
                   ("less than|under|below|lower than|smaller than|fewer than|<", "<"),
                   ("at most|no more than|not more than|a maximum of|maximum of|up to|<=|=<", "<="),
                   ("exactly|equal to", "="))
    #: ... and said after it ("3 months or more")
    _CMP_AFTER = (("or more|and more|or above|and above|or over|or higher|plus|\\+|or greater", ">="),
                  ("or less|or fewer|or below|and below|or under|or lower", "<="))
    _NUMBER = r"(?P<num>-?\$?\d[\d,]*(?:\.\d+)?)\s*(?P<mult>k|m|thousand|million)?\b"
    #: a sign said as a word: "a negative balance", "balance is positive"
    _SIGN = {"negative": ("<", 0.0), "positive": (">", 0.0), "zero": ("=", 0.0)}
    #: money said as a verb of the customers: "spent", "paid"
    _SPENT = re.compile(r"\b(?:spen[dt]s?|spending|paid|pa(?:y|ys|ying))\b")
    #: words too common in column names to tell one from another
    _GENERIC_TOKENS = {"total", "count", "ct", "amt", "avg", "num", "number", "of", "the", "mon", "and", "per", "12"}

    @staticmethod
    def _a_year(m: re.Match) -> bool:
        """Whether the number after "over" or "up to" is a year said as a span ("by month over 2024")."""
        said = m.group("num").rstrip(",")
        return bool(rx.fullmatch(r"(?:199\d|20[1-3]\d)", said)) and not m.group("mult") and \
            bool(rx.match(r"(?:over|up to)\b", m.group(0)))

    def _condition_column(self, window: str, columns: list[str]) -> str | None:
        """The numeric column ``window`` (the words about a comparison) names: by its name in any
        spelling, else the one column sharing the most words with it ("inactive for 3 months":
        months_inactive_12_mon)."""
        named = slotlib.column_mentions(window, columns)
        if named:
            return min(named, key=lambda m: abs(m[0] - len(window) / 2))[2]
        words = {w.rstrip("s") for w in rx.findall(r"[a-z]+", window) if len(w) >= 3}
        scores = {}
        for c in columns:
            tokens = {t.rstrip("s") for t in rx.split(r"[_\d]+", c.lower()) if len(t) >= 3} - self._GENERIC_TOKENS
            scores[c] = sum(1 for t in tokens if any(w == t or len(t) >= 4 and w.startswith(t) for w in words))
        best = max(scores.values(), default=0)
        if not best and self._SPENT.search(window):
            # "how many customers spent more than 1000": the customers' money column (total_spend), as a
            # question asking their money reads it (``meant.money_column``), not an average of it beside
            money = meant.money_column(self, window)
            return money[0] if money and money[0] in columns else None
        top = [c for c, n in scores.items() if n == best]
        if best and len(top) > 1:  # "more than 50 transactions": the count column (ct), not the amount (amt)
            money = bool(rx.search(r"\$|\b(?:amount|value|spen[dt]|worth|dollars?|euros?|\d+\s*k)\b", window))
            kind = self._AMOUNT_PARTS if money else self._COUNT_PARTS
            top = [c for c in top if kind & set(rx.split(r"[_\d]+", c.lower()))]
        return top[0] if best and len(top) == 1 else None

    def conditions_said(self, text: str) -> list[tuple[str, str, float, str]]:
        """(column, operator, number, words) of each comparison on a numeric customers column the
        question says: "balance below 0", "a negative balance", "inactive for 3 months or more",
        "credit limit over 20k", "older than 60"; and on a numeric column of the order lines
        (``kit.LINE_CONDITIONS``): "orders with a discount above 20%" (the discount's rate: said in
        percent), "orders that got a discount" (above 0), "lines with negative profit"."""
        lines = self.dataset.columns("transactions") if self.dataset.has("transactions") else set()
        columns = self._numeric_attributes()
        columns += [c for c in kit.LINE_CONDITIONS if c in lines and c not in columns]
        # "revenue from customers over 50": the buyer's age written on each line (``kit.line_numbers``)
        columns += [c for c in kit.line_numbers(self.dataset) if c not in columns]
        if not columns:
            return []
        low = text.lower()
        found, taken = [], []

        def number(m) -> float:
            n = float(m.group("num").replace("$", "").replace(",", ""))
            return n * {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get(m.group("mult") or "", 1)

        def add(start: int, end: int, op: str, value: float, window: str) -> None:
            if any(a < end and start < b for a, b in taken):
                return
            column = self._condition_column(window, columns)
            if column:
                found.append((column, op, value, text[start:end].strip()))
                taken.append((start, end))

        clause = lambda a, b: rx.split(r"[,;?!]|\b(?:and|but|by|per|who|which|that)\b", low[a:b])  # noqa: E731
        if "age" in columns:
            # "average spend of customers over 40", "customers aged over 40": the people's age, before a measure
            # said earlier in the clause takes the number ("spend" read it as total_spend > 40)
            self._people_aged(text, low, number, found, taken, first=True)
        for words, op in self._CMP_BEFORE:
            for m in rx.finditer(r"(?<![\w-])(?:" + words + r")\s*" + self._NUMBER, low):
                if self._a_year(m):  # "unit price by month over 2024": the year's span, no condition
                    continue
                before = clause(max(0, m.start() - 50), m.start())[-1]
                after = clause(m.end(), m.end() + 30)[0]
                add(m.start() - len(before), m.end() + len(after), op, number(m), f"{before} {after}")
        for words, op in self._CMP_AFTER:
            for m in rx.finditer(self._NUMBER + r"(?:\s+[a-z]+)?\s*(?:" + words + r")(?![\w-])", low):
                before = clause(max(0, m.start() - 50), m.start())[-1]
                add(m.start() - len(before), m.end(), op, number(m), low[m.start() - len(before):m.end()])
        for word, (op, value) in self._SIGN.items():
            for m in rx.finditer(r"\b" + word + r"\b", low):
                # "negative profit", "a negative account balance": the words right after, up to a preposition
                # ("negative comments about price" is no condition on the price)
                after = rx.split(r"\b(?:about|on|of|for|regarding|re|with|in|from|to)\b", clause(m.end(), m.end() + 30)[0])[0]
                before = clause(max(0, m.start() - 30), m.start())[-1]
                window = after if self._condition_column(after, columns) else before
                add(m.start() - (len(before) if window is before else 0),
                    m.end() + (len(after) if window is after else 0), op, value, window)
        if "discount" in lines and "discount" in columns:
            # "the lines with a 10% discount", "sold at 15% off", "orders with a discount of 5%": the discount's rate
            # (the lines that had it: never "a 20% off code", "price them at 10% off", "we ran 20% off promos")
            for m in rx.finditer(r"\b(?:with|had|got|get|gets|given|received?|sold\s+at)\s+(?:an?\s+)?(?:(?P<n>\d+(?:\.\d+)?)"
                                 r"\s?(?:%|percent|per\s*cent)\s+(?:discount|off)\b|discount\s+of\s+(?P<m>\d+(?:\.\d+)?)"
                                 r"\s?(?:%|percent|per\s*cent))(?!\s+(?:codes?|coupons?|vouchers?|promos?|promotions?|offers?|"
                                 r"campaigns?|deals?|sales?|events?)\b)", low):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    found.append(("discount", "=", float(m.group("n") or m.group("m")), text[m.start():m.end()].strip()))
                    taken.append((m.start(), m.end()))
        if "discount" in lines and "discount" in columns and not rx.search(
                r"\b(?:more|less|vs\.?|versus|compared|than|by|per)\b", low):
            # "how many orders got a discount", "orders without a discount": the lines' discount above 0, or 0
            for m in self._GOT_DISCOUNT.finditer(low):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    found.append(("discount", "=" if m.group("no") else ">", 0.0, text[m.start():m.end()].strip()))
                    taken.append((m.start(), m.end()))
        for column in self._numeric_attributes():
            # "customers with an open complaint", "who have no open complaints" of Number of Open Complaints: a
            # count column's thing said as had (above 0) or not (0)
            thing = rx.fullmatch(r"(?:number_of|num_of|no_of|num|count_of|n)_(?P<a>[a-z_]+?)|(?P<b>[a-z_]+?)_(?:count|cnt|ct)",
                                 column)
            home = rx.fullmatch(r"(?P<h>kids?|teens?|child|children|teenagers?)_?(?:at_)?home", column)
            if home:  # iFood's Kidhome, Teenhome: "customers with kids at home", "with a teenager at home"
                stem = rx.sub(r"(?:ren|s)$", "", home.group("h"))
                words = re.escape(stem) + r"(?:s|ren|agers?)?(?:\s+at)?\s+home"
            elif not thing or len(thing.group("a") or thing.group("b")) < 4:
                continue
            else:
                words = r"[\s_-]+".join(re.escape(w) for w in (thing.group("a") or thing.group("b")).split("_"))
                words = rx.sub(r"(?:ies|s)$", "", words) + r"(?:s|es|ies|y)?"
            for m in rx.finditer(r"\b(?:(?P<no>without|no|never\s+(?:had|made|filed)|(?:do|does|did)\s*n[o']?t\s+have)\s+"
                                 r"(?:an?\s+|any\s+)?|(?:have|has|had|with|having|filed|made)\s+(?:an?\s+|any\s+|at\s+least\s+"
                                 r"(?:one|1)\s+|one\s+or\s+more\s+)?)" + words + r"\b", low):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    found.append((column, "=" if m.group("no") else ">", 0.0, text[m.start():m.end()].strip()))
                    taken.append((m.start(), m.end()))
        for m in rx.finditer(r"\b(older|younger)\s+than\s+" + self._NUMBER, low):
            if "age" in columns and not any(a < m.end() and m.start() < b for a, b in taken):
                found.append(("age", ">" if m.group(1) == "older" else "<", number(m), m.group(0)))
                taken.append((m.start(), m.end()))
        if "age" in columns and "age" not in {c for c, *_ in found}:
            # "customers over 50", "how many clients are under 30", "people aged 65 or over": the people's age
            self._people_aged(text, low, number, found, taken)
        return found

    def _people_aged(self, text: str, low: str, number, found: list, taken: list, first: bool = False) -> None:
        """The people's age compared (``_PEOPLE_AGED``: "customers over 50", "clients aged 65 or over"),
        added to ``found``. ``first``: before any other comparison is read, only an age said outright
        ("aged", "older than", "years old") or a number up to 100, so that a measure said earlier in the
        clause ("average spend of customers over 40") does not take it."""
        for m in self._PEOPLE_AGED.finditer(low):
            if not (m.group("cmp") or m.group("after") or "aged" in m.group(0)):
                continue
            if first and not (number(m) <= 100 or rx.search(r"aged|older|younger", m.group(0))):
                continue
            if not any(a < m.end() and m.start() < b for a, b in taken) and 0 < number(m) <= 120:
                op = {"over": ">", "above": ">", "older than": ">", "under": "<", "below": "<",
                      "younger than": "<"}.get(rx.sub(r"\s+", " ", m.group("cmp") or ""), "=")
                op = {">=": ">=", "<=": "<="}.get(m.group("after") and (">=" if rx.search(
                    r"more|over|above|older", m.group("after")) else "<="), op)
                found.append(("age", op, number(m), text[m.start():m.end()].strip()))
                taken.append((m.start(), m.end()))

    #: a discount said as had or not: "orders that got a discount", "with a discount", "discounted orders"
    _GOT_DISCOUNT = re.compile(
        r"\b(?:(?P<no>without|no|never\s+(?:got|get|had|received?)|(?:did|do|does)\s*n[o']?t\s+(?:get|have|receive))"
        r"\s+(?:a\s+|any\s+)?discounts?|(?:got|get|gets|had|have|has|with|received?|given|used)\s+(?:a\s+|any\s+)?"
        r"discounts?|discounted)\b(?!\s*(?:codes?|coupons?|vouchers?|promo\s*codes?)\b)")  # a code is its own column

    #: people said with a bare number as their age: "customers over 50", "clients aged 65 or over"
    _PEOPLE_AGED = re.compile(
        r"\b(?:customers?|clients?|people|persons?|members?|users?|buyers?|shoppers?|those|ones)\s+(?:who\s+are\s+|"
        r"that\s+are\s+|are\s+|is\s+|aged\s+|of\s+age\s+)?(?:(?P<cmp>over|above|under|below|older\s+than|younger\s+than)"
        r"\s+|aged\s+)?" + _NUMBER + r"(?P<after>\s*(?<![\w-])(?:or|and)\s+(?:more|over|above|older|less|under|below|younger))?"
        r"(?!\s*(?:%|percent|orders?|purchases?|days?|months?|weeks?|years?\b(?!\s+old\b)|times?|items?|products?|"
        r"dollars?|euros?|usd|eur|k\b))")

    #: customers ranked by something: "top 10 customers by X", "customers with the highest X"
    RANKED = re.compile(
        r"\b(?P<end>top|bottom|best|biggest|largest|highest|lowest|worst|smallest)\s+(?P<n>\d+\s+)?(?:customers|clients|"
        r"accounts|members|users)\s+(?:by|on|in\s+terms\s+of|ranked\s+by|with\s+the\s+(?:most|highest|largest|"
        r"biggest|lowest|least))\s+(?P<phrase>[a-z][a-z0-9_ ]*?)\s*(?=[?,.!]|$|\s+(?:in|for|among|who|with|and)\b)|"
        r"\b(?:customers|clients|accounts|members|users)\s+(?:with|have|having|has)\s+the\s+"
        r"(?P<end2>highest|lowest|most|least|largest|biggest|smallest)\s+(?P<phrase2>[a-z][a-z0-9_ ]*?)"
        r"\s*(?=[?,.!]|$|\s+(?:in|for|among|who|with|and)\b)", re.I)

    def _ranked_by(self, text: str) -> tuple[str, str, int | None, str] | None:
        """(column, "max" or "min", how many, words) where a question ranks the customers of a
        customers table without sales by one of its numeric columns ("top 10 customers by total
        transaction amount", "which clients have the highest credit limit"): its rows, one per
        customer, in that column's order. None where there are sales (revenue ranks them)."""
        if self.dataset.has("transactions") or not self.dataset.has("customers"):
            return None
        m = self.RANKED.search(text)
        if not m:
            return None
        phrase = (m.group("phrase") or m.group("phrase2") or "").lower()
        phrase = rx.sub(r"^(?:(?:their|the|total|overall)\s+)+(?=\w)", lambda x: "" if "total" not in x.group(0) else
                        x.group(0).replace("their ", "").replace("the ", ""), phrase)
        columns = self._numeric_attributes()
        named = slotlib.column_mentions(phrase, columns)
        column = named[0][2] if named else self.column_in_words(rx.sub(r"^total\s+", "", phrase), columns)
        if not column:
            return None
        end = (m.group("end") or m.group("end2") or "").lower()
        low = end in ("bottom", "lowest", "worst", "smallest", "least")
        return column, "min" if low else "max", int(m.group("n")) if m.group("n") else None, phrase

    def _customers_ranked(self, text: str, route: Route) -> Route:
        """"top 10 customers by total transaction amount" on a customers table alone, read as the
        measurer's (as the router reads it, or the question nothing else read): it lists the customers in that column's order (``by`` customer, ``measure`` the column, ``stat``
        max for the highest first, min for the lowest), said on the first line."""
        ranked = self._ranked_by(text)
        measurer = self._measurer()
        if not ranked or measurer is None or route.analysis != measurer:
            return route  # "which customers with the highest monthly charges churned": churn's question
        column, stat, n, said = ranked
        route.params = {k: v for k, v in route.params.items() if k not in ("by", "measure", "stat", "metric")}
        route.params.update({"by": ["customer"], "measure": column, "stat": stat, **({"top": n} if n else {})})
        route.slots["by"] = ["customer"]
        route.slots.pop("unread_by", None)
        if (route.slots.get("read_measure") or ("", ""))[1].endswith(column):  # ranked by it, not summed
            route.slots.pop("read_measure")
        spelt = [p for p in route.slots.get("spelt") or [] if p[1] != column]
        route.slots["spelt"] = spelt + ([(said, column)] if not rx.search(slotlib.column_pattern(column), said, re.I)
                                        else [])
        return route

    #: a count asked: "how many", "number of", "count of"
    COUNT_ASKED = re.compile(r"\bhow\s+many\b|\bnumber\s+of\s+(?:customers|clients|people|accounts|users|members)\b|"
                             r"\bcount\s+(?:of\s+)?(?:the\s+)?(?:customers|clients|people|accounts|users|members)\b",
                             re.I)

    def _numeric_condition(self, text: str, route: Route) -> Route:
        """"how many clients have a negative balance", "customers inactive for 3 months or more",
        "churn rate of customers with a credit limit over 20k": a comparison on a numeric customers
        column is a filter on it (``kit.condition``: "balance < 0"), said on the first line, never a
        sum of the column nor another analysis's window (churn's inactive days). A count asked
        ("how many") is the measurer's count of the customers that meet it."""
        said = self.conditions_said(text)
        if not said:
            return route
        measurer = self._measurer()
        fields = getattr(self.analyses[route.analysis].Params, "model_fields", {})
        counted = bool(self.COUNT_ASKED.search(text))
        if measurer and route.analysis != measurer and (counted or "filters" not in fields or not self.applies(
                route.analysis)):
            route = self.router.route(text, self._values(), self.data_end(), analysis=measurer,
                                      customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route
            fields = getattr(self.analyses[route.analysis].Params, "model_fields", {})
        if "filters" not in fields:  # read, and not applied: said on the first line, never dropped silently
            route.slots["unapplied_filters"] = {**(route.slots.get("unapplied_filters") or {}),
                                                **{c: [f"{op} {v:g}"] for c, op, v, _ in said}}
            return route
        columns = {c for c, *_ in said}
        filters = {k: v for k, v in (route.params.get("filters") or {}).items() if k not in columns}
        lines = self.dataset.columns("transactions") if self.dataset.has("transactions") else set()
        for column, op, value, words in said:
            percent = column == "discount" and rx.search(r"\d\s*(?:%|percent|per\s*cent)", words)
            filters[column] = [f"{op} {value:g}" + ("%" if percent else "")]
            if column in lines and column not in self._numeric_attributes():  # of the lines: how, said
                at = words.lower().find(column.replace("_", " "))
                words = words[at:] if at > 0 and rx.search(r"\d", words[at:]) else words  # "discount above 20%"
                route.slots["spelt"] = [*(route.slots.get("spelt") or []), (words, (
                    f"lines whose {column} is {op} {value:g}" + ("% of their list value" if percent else "")
                    + " (an order counts when one of its lines does)"))]
        route.params["filters"] = filters
        route.slots["filters"] = {**{k: v for k, v in (route.slots.get("filters") or {}).items() if k not in columns},
                                  **{c: filters[c] for c in columns}}
        # "customers who bought more than 10 items" on a customers table: the column compared, not also a
        # breakdown by the built-in dimension whose word ("items": products) is part of the comparison and
        # which no loaded lines hold
        inside = {d for d, pattern in slotlib.DIMENSIONS.items() if d not in lines
                  and any(rx.search(r"\b(?:" + pattern + r")\b", w.lower()) for *_, w in said)}
        route.params["by"] = [b for b in route.params.get("by") or [] if b not in columns and b not in inside]
        route.slots["by"] = [b for b in route.slots.get("by") or [] if b not in columns and b not in inside]
        if not route.params["by"]:
            route.params.pop("by")
        if route.params.get("measure") in columns and counted:  # "how many have a negative balance": no sum of it
            route.params.pop("measure"), route.params.pop("stat", None)
        return route

    def _churned_only(self, text: str, route: Route, column: str, value: str) -> Route:
        """The churned customers as the population of ``route`` (``meant.churned_population``): a filter
        on the churn flag's yes value, said on the first line; a breakdown by the flag is dropped (one
        side of it is left). A numeric customers column asked of them ("tenure of customers who left")
        is that measure, averaged, of the churned. Churn's own rates of the churned alone are 100% by
        definition: there the filter is not applied, and the first line says so."""
        measurer = self._measurer()
        money_asked = meant.money_column(self, text)
        if money_asked and "churn" in self.analyses and self.applies("churn") and \
                "lost" in getattr(self.analyses["churn"].Params, "model_fields", {}) and (
                    route.analysis == "churn" or meant.LOSS_SAID.search(text)):
            # "how much monthly revenue walked out with the churners": churn's own answer, with the money lost
            if route.analysis != "churn":
                route = self.router.route(text, self._values(), self.data_end(), analysis="churn",
                                          customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route
            route.params["lost"] = money_asked[0]
            route.slots["read_measure"] = (money_asked[1], f"{money_asked[0]} (the sum over the churned customers)")
            route.params = {k: v for k, v in route.params.items() if k not in ("grain",) and not (
                k == "by" and v == ["period"])}
            return route
        if measurer and (route.analysis != measurer or not route.params.get("measure")) and self.applies(measurer):
            low = text.lower()
            said = [(start, c) for start, _, c in slotlib.column_mentions(low, self._numeric_attributes())
                    if not rx.search(r"\b(?:by|per|across|each)\s+(?:the\s+)?$", low[max(0, start - 20):start])]
            money = meant.money_column(self, text) if not said else None
            if money:  # "how much monthly revenue did we lose to churned customers": their charges, summed
                said = [(0, money[0])]
                route.slots["read_measure"] = (money[1], f"{money[0]} (the sum over the churned customers)"
                                               if not self.AVERAGE_SAID.search(text) else
                                               f"{money[0]} (the average per churned customer)")
            if said:
                named = self.measure_named(text)  # "how much balance did we lose with the churned": their sum
                stat = named[1] if named and named[0] == said[0][1] else \
                    "median" if rx.search(r"\bmedian\b", low) else "mean"
                if money and not self.AVERAGE_SAID.search(text):
                    stat = "sum"
                slots = dict(route.slots)
                slots["unread_measures"] = [u for u in slots.get("unread_measures") or [] if u[1] != said[0][1]]
                if money:  # "monthly revenue": the column's own period (monthly_charges), no grain, no metric
                    slots = {k: v for k, v in slots.items() if k not in ("grain", "metric")}
                    slots["by"] = [b for b in slots.get("by") or [] if b != "period"]
                params = {**self.router.params_for(measurer, slots), "measure": said[0][1], "stat": stat}
                params = {k: v for k, v in params.items() if v or k not in ("by", "filters")}
                others = [(route.analysis, route.confidence), *route.alternatives]
                route = Route(measurer, params, route.confidence, others[:2], route.unknown_names, "route", slots,
                              {measurer: params})
        fields = getattr(self.analyses[route.analysis].Params, "model_fields", {})
        if "filters" not in fields:
            return route
        if route.params.get("by"):
            route.params["by"] = [b for b in route.params["by"] if b != column]
            route.slots["by"] = [b for b in route.slots.get("by") or [] if b != column]
        if route.analysis == "churn":
            route.slots["churned_unapplied"] = f"{column} = {value}"
            return route
        route.params["filters"] = {**(route.params.get("filters") or {}), column: [value]}
        route.slots["filters"] = {**(route.slots.get("filters") or {}), column: [value]}
        return route

    def _measurer(self) -> str | None:
        """The analysis that summarises a customers column (its Params take ``measure``: overview)."""
        return next((n for n, a in self.analyses.items() if "measure" in getattr(a.Params, "model_fields", {})), None)

    def _flag_asked(self, text: str) -> tuple[str, str] | None:
        """(column, "rate" or "count"): a yes/no or 0/1 column of the customers the question asks
        about as a whole (``slots.flag_rate_named``); never the churn flag, which is churn's."""
        if self._measurer() is None:
            return None
        flags = {c: v for c, v in self._flags().items() if c != "churned"}
        found = slotlib.flag_rate_named(text, flags) if flags else None
        outcome = self._outcome_said(text)
        if found is None and outcome:  # "conversion rate" of a table whose one outcome is subscription yes/no
            found = slotlib.flag_rate_named(text.replace(outcome[0], outcome[1]), {outcome[1]: flags[outcome[1]]})
        return found

    #: names of a yes/no column that is an outcome a campaign or a funnel aims at (not an attribute
    #: such as a housing loan): what "conversion rate", "success rate" mean on such a table
    OUTCOME_COLUMN = re.compile(r"^(?:y|target|output|label|outcome|result|success\w*|converted|conversion|convert|subscri\w*|"
                                r"respon\w*|purchased?|bought|accepted|enrolled|signed_up|signup|deposit|"
                                r"term_deposit|took_up|uptake|won|"
                                # a session's yes/no that it bought (UCI Online Shoppers' Revenue TRUE/FALSE):
                                # a flag named so is no money, only whether the visit brought some
                                r"revenue|made_(?:a_)?purchase|has_purchased|ordered|transaction|transacted)$")
    #: the generic words of such an outcome ("conversion rate", "how many converted")
    OUTCOME_WORD = re.compile(r"\b(?:conversions?|convert(?:ed|s)?|success(?:ful)?|outcome|take-?up|uptake)\b", re.I)

    def _outcome_said(self, text: str) -> tuple[str, str] | None:
        """(the word said, the column) where the question says a generic outcome word ("conversion
        rate", "how many converted", "success rate") that names no column of the data, and the
        customers table has exactly one yes/no column named as an outcome (``OUTCOME_COLUMN``: UCI
        Bank Marketing's subscription): that column, read so and said on the first line."""
        m = self.OUTCOME_WORD.search(text)
        if not m:
            return None
        flags = [c for c in self._flags() if c != "churned"]
        if any(rx.fullmatch(slotlib.column_pattern(c) + "s?", m.group(0).lower()) for c in flags) or \
                meant.outcome_word_own(self, m.group(0)):
            return None  # the word is a column's own name ("outcome" of poutcome): read as it is
        outcomes = [c for c in flags if self.OUTCOME_COLUMN.match(c)]
        return (m.group(0), outcomes[0]) if len(outcomes) == 1 else None

    def _flag_rate(self, text: str, route: Route) -> Route:
        """"response rate by education", "share who complained", "average response": a yes/no or
        0/1 column of the customers asked as a rate is its share of yes, overall or per group asked
        (the measurer's ``measure`` with stat "share"), never a filter on its own yes value (the
        word "response" read as "response = 1" made every rate 100%); "how many customers
        complained" is the same share, answered as a count with its whole ("2 of 20 customers"). It takes the question from the
        analysis the other words pulled towards when that one is unsure (an ask-back) or cannot
        answer on the data loaded (feedback for "complained" without feedback data)."""
        found = self._flag_asked(text)
        measurer = self._measurer()
        if not found or route.analysis != measurer and route.decision == "route" and self.applies(route.analysis) \
                and route.confidence >= self.SURE_OF_ANOTHER:
            # another analysis sure of its answer keeps it; an unsure one ("email marketing opt-in rate" at
            # 0.49 for the funnel, which had no events to read) gives the named flag's rate its place
            return route
        if route.analysis != measurer and found[1] == "rate" and found[0] in (
                kit.recommend_column(self.dataset, "customers") if self.dataset.has("customers") else None,
                kit.recommend_column(self.dataset) if self.dataset.has("feedback") else None):
            return route  # the share who recommend is loyalty's (focus=recommend, by any breakdown)
        column = found[0]
        if route.analysis != measurer:
            route = self.router.route(text, self._values(), self.data_end(), analysis=measurer,
                                      customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route
            self._add_flags(text, route)
        slots, params = dict(route.slots), dict(route.params)
        outcome = self._outcome_said(text)
        if outcome and outcome[1] == column:  # "conversion rate": read as subscription, said on the first line
            slots["spelt"] = [*(slots.get("spelt") or []), outcome]
        filters = {k: v for k, v in (params.get("filters") or {}).items() if k != column}
        by = [b for b in params.get("by") or [] if b != column]
        slots["by"] = [b for b in slots.get("by") or [] if b != column]
        params.pop("measure", None), params.pop("stat", None)
        # a rate or a count alike: the one figure with its whole ("1,067 of 1,511 customers (70.6%)"), over
        # the customers' table, never a filter on the column (which the sales overview read as buyers only,
        # or put on the orders' own yes/no column of a like name)
        params["measure"], params["stat"] = column, "share"
        slots["filters"] = {k: v for k, v in (slots.get("filters") or {}).items() if k != column}
        params = {k: v for k, v in {**params, "filters": filters, "by": by}.items() if v or k not in ("filters", "by")}
        others = [a for a in [(route.analysis, route.confidence), *route.alternatives] if a[0] != measurer]
        return Route(measurer, params, route.confidence, others[:2], route.unknown_names, "route", slots,
                     {measurer: params})

    def _leave_out(self, text: str, route: Route) -> None:
        """"churn rate by plan tier excluding Enterprise", "revenue except the US": a value the
        question leaves out (``slots.values_excluded``) is a filter on the column's other values,
        said on the first line ("read 'excluding Enterprise' as plan_tier = Basic, Pro"), never
        dropped, nor read as a filter on itself."""
        if "filters" not in getattr(self.analyses[route.analysis].Params, "model_fields", {}):
            return
        where: dict[str, list[int]] = {}
        found = slotlib.read_values(text, self._values(), None, where)[0]
        left = slotlib.values_excluded(text, found, where)
        every = self._values_by_column()
        filters = dict(route.params.get("filters") or {})
        for column, vals in slotlib.values_corrected(text, found, where).items():  # "social not paid search"
            kept = [v for v in filters.get(column) or [] if v not in vals]
            if column in filters and kept:
                filters[column] = kept
                route.params["filters"] = filters
                route.slots["filters"] = {**(route.slots.get("filters") or {}), column: kept}
        for column, vals in left.items():  # the other values of the role that holds them (not the touchpoints' channels)
            held = slotlib.values_of(self._values(), column, [str(v) for v in vals]) or set(every.get(column) or [])
            rest = [v for v in every.get(column) or [] if v not in vals and v in held]
            if not rest or column == (route.params.get("measure") if route.params.get("stat") in ("share", "filled")
                                      else None):
                continue
            filters[column] = rest
            route.slots["spelt"] = [*(route.slots.get("spelt") or []),
                                    (f"excluding {', '.join(map(str, vals))}", f"{column} = {', '.join(map(str, rest))}")]
        if left and filters:
            route.params["filters"] = filters
            route.slots["filters"] = {**(route.slots.get("filters") or {}), **{c: filters[c] for c in left if c in filters}}

    def _line_flags(self) -> dict[str, str]:
        """The sales lines' yes/no columns and the value that means yes (a subscription's
        auto_renew_flag True/False, an order's accepts_marketing yes/no), as ``_flags`` reads the
        customers'."""
        out = {}
        for column, vs in (self._values().get("transactions") or {}).items():
            low = {str(v).lower(): v for v in vs}
            pair = next((p for p in schema.YES_NO_PAIRS if set(p) == set(low)), None)
            if pair:
                out[column] = low[pair[0]]
        return out

    #: the confidence above which a share question stays with the analysis its other words pulled to
    #: ("what percentage of customers in Germany churned" is churn's)
    SURE_OF_ANOTHER = 0.5

    def _reads_data(self, name: str) -> bool:
        """Whether an analysis answers from the data (Five Forces and SPIN guide an interview and read none):
        one that does not is never sure of a question about a share of the data's revenue or customers."""
        a = self.analyses.get(name)
        return bool(getattr(a, "requires", None) or getattr(a, "requires_any", None))

    def _value_share(self, text: str, route: Route) -> Route:
        """"What share of customers have a PhD", "% of subscriptions with auto renew on", "what share
        of orders used a discount code", "what share of ARR comes from Enterprise": a share of the
        customers, of the orders (sales lines) or of the money holding a value, a yes/no column's yes
        or any value of a column (``slots.share_asked``) is that share, the measurer's ``measure``
        with stat "share" (``values`` the ones named) or "filled", never a filter on what it counts
        (which left the figure without its whole). What it is of follows the noun said ("of
        subscriptions": the lines; "of customers" or none: the customers' table when it has the
        column); the filters said before that noun stay filters ("share of Pro accounts with auto
        renew"), and a yes/no column asked "how many" beside it is a breakdown of it ("and how many
        upgraded")."""
        asked = slotlib.share_asked(text)
        measurer = self._measurer()
        if not asked or measurer is None or route.params.get("share") or route.analysis not in (
                measurer, "loyalty") and route.decision == "route" and self.applies(route.analysis) and \
                route.confidence >= self.SURE_OF_ANOTHER and self._reads_data(route.analysis) or \
                route.analysis == "loyalty" and \
                route.params.get("focus") == "recommend":
            # another analysis sure of its answer ("share of customers who churned": churn's), or
            # loyalty's own recommend rate ("what share of customers would recommend us")
            return route
        unit, at = asked
        lines = set(self.dataset.columns("transactions")) if self.dataset.has("transactions") else set()
        people = set(self.dataset.columns("customers")) if self.dataset.has("customers") else set()
        filters = dict(route.params.get("filters") or {})
        column, values, stat = None, [], "share"
        if route.analysis == measurer and route.params.get("stat") in ("share", "filled") and route.params.get("measure"):
            # a yes/no column's rate, read already (``_flag_rate``), or this share read before
            column, values, stat = route.params["measure"], list(route.params.get("values") or []), route.params["stat"]
        low = text.lower()
        if column is None:  # a value named after what the share is of: "have a PhD", "from the Enterprise tier"
            where: dict[str, list[int]] = {}
            slotlib.read_values(text, self._values(), None, where)  # "Canada" said, CA in the data
            for col, vs in filters.items():
                spots = {v: m for v in vs if (m := rx.search(r"(?<![\w-])" + re.escape(str(v).lower()) + r"(?![\w-])",
                                                             low[at:]))}
                said = [v for v, m in spots.items() if slotlib.share_object(text, at, at + m.start(), at + m.end(), unit)]
                if not spots and where.get(col) and min(where[col]) >= at:  # "Canada" said, CA in the data
                    first = min(where[col])
                    word = rx.match(r"[\w'-]+(?:\s+[A-Z][\w'-]*)*", text[first:])
                    said = list(vs) if slotlib.share_object(text, at, first, first + (word.end() if word else 0),
                                                            unit) else []
                if said and col != "segment":
                    if len(said) > 1 or col in (route.params.get("by") or []):
                        return route  # "what % of revenue is B2B vs B2C": a breakdown of them, shares of each
                    column, values = col, [str(v) for v in said]
                    break
        if column is None:  # a value the slots read as something else ("annual": a grain)
            spots: dict[str, list[int]] = {}
            later = {c: v for c, v in slotlib.read_values(text[at:], self._values(), None, spots)[0].items()
                     if c != "segment" and spots.get(c) and slotlib.share_object(
                         text, at, at + min(spots[c]), at + min(spots[c]) + len(str(v[0])), unit)}
            if not later:  # a value that is also a grain word ("are annual"), as written after the share
                later = {c: [v] for c, vs in self._values_by_column().items() if c != "segment" and 2 <= len(vs) <= 50
                         for v in vs if len(str(v)) >= 4 and rx.search(
                             r"\b(?:are|is|were|was|on|have|has|with|use|used|pay|paid)\s+(?:an?\s+|the\s+)?"
                             + re.escape(str(v).lower()) + r"(?![\w-])", low[at - 1 if at else 0:])}
                later = dict(list(later.items())[:1])
            if later:
                column, values = next(iter(later.items()))
                values = [str(v) for v in values]
                if len(values) > 1 or column in (route.params.get("by") or []):
                    return route  # "what % of revenue is B2B vs B2C": a breakdown of them, shares of each
                if not rx.search(r"\b(?:by|per|each|every|across)\s+(?:the\s+)?(?:day|week|month|quarter|year)", low):
                    route.params["by"] = [b for b in route.params.get("by") or [] if b != "period"]
                    route.slots["by"] = [b for b in route.slots.get("by") or [] if b != "period"]
                    route.params.pop("grain", None), route.slots.pop("grain", None)
        flags = {**self._line_flags(), **{c: v for c, v in self._flags().items() if c != "churned"}}
        if column is None:
            found = [f for f in (slotlib.flag_rate_named(text, flags), slotlib.flag_rate_named(text[at:], flags))
                     if f and f[1] == "rate"]
            column = found[0][0] if found else None
        if column is None:
            named = slotlib.column_said_as_had(text, sorted((lines | people) - set(flags)), at)
            column, stat = (named, "filled") if named else (None, stat)
        later = [c for c in slotlib.flags_named(text[at:], flags)[0] if c in filters and c != column]
        if column in flags and not values and len(later) == 1 and \
                not slotlib.flag_rate_named(text[at:], {column: flags[column]}):
            # "what share of won revenue comes from renewals": the flag said inside what the share is of
            # (won) qualifies the whole; the one said after it (the renewals, read as a filter) is what is
            # measured, never a filter that made the share 100%
            column = later[0]
        if column is None or column not in lines | people:
            return route
        if route.analysis != measurer:
            route = self.router.route(text, self._values(), self.data_end(), analysis=measurer,
                                      customers=self._customer_exists, vocabulary=self.dataset.vocabulary) or route
            filters = dict(route.params.get("filters") or {})
        params = {k: v for k, v in route.params.items() if k not in ("measure", "stat", "values", "unit", "share")}
        filters.pop(column, None)
        if stat == "share" and not values and column in flags and column not in people | lines:
            return route
        over_lines = column in lines and (unit in ("orders", "revenue") or column not in people)
        buyers = over_lines and unit == "customers"  # "share of customers from Germany": of the buyers, by their lines
        counted = [c for c in flags if c != column and rx.search(
            r"\bhow\s+many\b", text[at:], re.I) and (f := slotlib.flag_rate_named(text[at:], {c: flags[c]}))
                   and f[1] == "count" and (c in lines if over_lines else c in people)]
        by = [b for b in params.get("by") or [] if b != column] + counted
        filters = {k: v for k, v in filters.items() if k not in counted}
        params.update({"measure": column, "stat": stat, **({"values": values} if values else {}),
                       **({"unit": "customers", "metric": "customers"} if buyers else
                          {"unit": "orders", "metric": "revenue" if unit == "revenue" else "orders"} if over_lines
                          else {})})
        params = {k: v for k, v in {**params, "filters": filters, "by": by}.items() if v or k not in ("filters", "by")}
        slots = {**route.slots, "filters": filters, "by": by}
        if unit == "revenue" and not over_lines and not self.dataset.has("transactions"):
            # "what share of revenue comes from fiber optic customers" of a customers table alone: a share of
            # its customers, never passed off as one of money
            slots["unread_measures"] = [*(slots.get("unread_measures") or []), ("share of revenue", column)]
        others = [a for a in [(route.analysis, route.confidence), *route.alternatives] if a[0] != measurer]
        return Route(measurer, params, route.confidence, others[:2], route.unknown_names, "route", slots,
                     {measurer: params})

    def _add_measure(self, text: str, route: Route) -> None:
        """"average monthly charges by contract": the numeric column summarised per group, for an
        analysis whose Params take a ``measure`` (overview)."""
        fields = getattr(self.analyses[route.analysis].Params, "model_fields", {})
        named = self.measure_named(text) if "measure" in fields else None
        if named is None and "measure" in fields and not route.params.get("measure"):
            named = self._spend_column(text)
            if named:  # "what do they spend on average" on a customers table: its spent column, said so
                route.slots["read_measure"] = (named[2], f"{named[0]} ({'the average per customer' if named[1] == 'mean' else 'the sum over the customers'})")
        if named and named[1] in ("sum", "mean") and named[0] in self._lines_amounts() and "metric" in fields:
            # "total mrr_amount by plan": the amount of the lines (a subscriptions table), summed over
            # them, not over its accounts' latest rows: revenue (the average: per line, aov)
            route.params["metric"] = "revenue" if named[1] == "sum" else "aov"
            route.slots["read_measure"] = (named[2], f"{route.params['metric']} (the sum of {named[0]} over every "
                                                     "line" + (" / lines)" if named[1] == "mean" else ")"))
            return
        if named:
            said = rx.sub(r"^\S+\s+(?:(?:of|the|our)\s+)*", "", named[2])  # the words after the statistic
            if not rx.search(slotlib.column_pattern(named[0]), said, re.I) and (said, named[0]) not in (
                    route.slots.get("spelt") or []):  # "number of transactions": said as read
                route.slots["spelt"] = [*(route.slots.get("spelt") or []), (said, named[0])]
            route.params["measure"], route.params["stat"] = named[0], named[1]
            # "average seats per account": over the customers' rows, one per customer, not by customer
            route.params["by"] = [b for b in route.params.get("by") or [] if b not in (named[0], "customer")]
            if not route.params["by"]:
                route.params.pop("by")

    #: "what do they spend", "how much do customers spend on average": spending said as a verb
    SPEND_SAID = re.compile(r"\b(?P<verb>spends?|spent|spending)\b", re.I)
    AVERAGE_SAID = re.compile(r"\b(?:on\s+average|average|avg|mean|typical(?:ly)?|per\s+(?:customer|head|person)|"
                              r"each|a\s+head)\b", re.I)

    def _spend_column(self, text: str) -> tuple[str, str, str] | None:
        """(column, stat, words) where a question asks what customers spend of data with no sales but
        a customers table with one numeric column of spending (spent, total_spent, amount_spend): its
        average per customer when an average is said ("what do they spend on average"), else its sum.
        None where there are orders (spending is then their revenue) or no such one column."""
        said = self.SPEND_SAID.search(text)
        if not said or self.dataset.has("transactions"):
            return None
        columns = [c for c in self._numeric_attributes() if {"spent", "spend", "spending", "spends"} & set(c.split("_"))]
        part = meant.spend_part_said(self, text)  # "what do PhD customers spend on gold": MntGoldProds
        columns = [part] if part else columns
        if len(columns) != 1:
            return None
        stat = "mean" if self.AVERAGE_SAID.search(text) else "sum"
        return columns[0], stat, said.group(0)

    def _flags(self, no: bool = False) -> dict[str, str]:
        """The yes/no columns of the customers table and of the sales lines ("only B2B" where the
        orders have a B2B column of TRUE/FALSE) and the value that means yes (``no``: the value that
        means no): text columns of two values such as Yes/No or True/False, and the customers' numeric
        columns of 0 and 1 (made again when the data changes)."""
        alone = self._read_alone(self._measurer()) if self._measurer() else []  # a ticket export's SLA met yes/no
        if not self.dataset.has("customers") and not self.dataset.has("transactions") and not alone:
            return {}
        values = self.dataset.values()
        if self._flag_cache is not None and self._flag_cache[0] is values:
            return self._flag_cache[2 if no else 1]
        out, noes = {}, {}
        own = set(schema.CANONICAL["transactions"])
        # not a line's churn flag (a subscription's churn_flag): "churn" asks the churn analysis, not a filter
        lines = {c: vs for role in ("transactions", *alone) for c, vs in (values.get(role) or {}).items()
                 if c not in own and not schema.CHURN_WORDS & set(c.split("_"))}
        for column, vs in [*(values.get("customers") or {}).items(), *lines.items()]:
            low = {str(v).lower(): v for v in vs}
            pair = next((p for p in schema.YES_NO_PAIRS if set(p) <= set(low)), None)
            if pair is None and set(low) in ({"no"}, {"yes"}, {"true"}, {"false"}):
                # a yes/no column holding one side only (Shopify's Accepts SMS Marketing, every row "no"):
                # still a flag, its share of yes 0% (or 100%); the missing side spelt as the one there
                one = next(iter(low))
                pair = next(p for p in (("yes", "no"), ("true", "false")) if one in p)
                other = pair[1 - pair.index(one)]
                cased = low[one]
                low[other] = other.upper() if cased.isupper() else other.capitalize() if cased[:1].isupper() else other
            # Telco's "No internet service" beside Yes/No: still a yes/no column ("no tech support")
            others = set(low) - set(pair or ())
            if pair and (not others or len(others) <= 2 and all(o.startswith("no ") for o in others)):
                out[schema.snake(column)], noes[schema.snake(column)] = low[pair[0]], low[pair[1]]
        if not self.dataset.has("customers"):
            self._flag_cache = (values, out, noes)
            return noes if no else out
        for column, t in self.dataset.relation_columns("customers").items():  # a DataFrame's or Parquet's bool
            if t == "BOOLEAN" and column not in out and column not in schema.CANONICAL["customers"]:
                out[column], noes[column] = "true", "false"
        for column in self._numeric_attributes():
            if column in out or column in ("age", "tenure") or column.endswith(("_charges", "_amount", "_count")):
                continue
            seen = self.dataset.engine.rows(f"SELECT list(DISTINCT {qi(column)}) FROM customers "
                                            f"WHERE {qi(column)} IS NOT NULL")[0][0] or []
            if set(seen) == {0, 1} or seen and set(seen) <= {0, 1} and schema.record_flags([column]):
                # a 0/1 column holding one side only is still a flag where its name says one
                # (is_repeated_guest, 0 on every booking of an export): its share of yes 0%
                out[column], noes[column] = "1", "0"
        self._flag_cache = (values, out, noes)
        return noes if no else out

    def _about_segments(self, text: str, route: Route) -> Route:
        """"who are my champions and who is at risk": a question that names two or more segments
        (one of them not an everyday word such as "new" or "lost") asks about the segments
        themselves, so the analysis that makes them answers it when it is among the readings (the
        slots read one segment as a filter, and "at risk" alone would read as churn)."""
        maker = self._segmenter()
        if maker is None or route.analysis != maker and maker not in [n for n, _ in route.alternatives]:
            return route
        named = segments_named(text, self.segment_labels())
        if len(named) < 2 or all(n.lower() in EVERYDAY_SEGMENTS for n in named):
            return route
        slots = {k: v for k, v in route.slots.items() if k != "segment"}  # named to be shown, not a filter
        params = dict(route.params) if route.analysis == maker else self.router.params_for(maker, slots)
        filters = {k: v for k, v in (params.pop("filters", None) or {}).items() if k != "segment"}
        rfm = {segment_key(n) for n in slotlib.RFM_SEGMENTS.values()}
        params.update({"show": named, **({"filters": filters} if filters else {}),
                       **({"method": "rfm"} if all(segment_key(n) in rfm for n in named) else {})})
        params.pop("k", None)
        others = route.alternatives if route.analysis == maker else [(route.analysis, route.confidence)]
        return Route(maker, params, route.confidence, others, route.unknown_names, "route", slots, {maker: params})

    # ------------------------------------------------------------------ saved segments
    def _segmenter(self) -> str | None:
        """The installed analysis that saves segment labels (``saves_segments``), or None."""
        return next((n for n, a in self.analyses.items() if getattr(a, "saves_segments", False)), None)

    def segment_labels(self) -> list[str]:
        """The saved segment labels ("Champions", "At risk"...), none before a segmentation."""
        if not self.dataset.has_segments:
            return []
        return [r[0] for r in self.dataset.engine.rows("SELECT DISTINCT segment FROM segments ORDER BY 1")]

    def ensure_segments(self, wanted: Iterable[str] = ()) -> str | None:
        """Make sure saved segments hold the segments ``wanted`` (none named: any saved segments),
        computing them when they are not: an RFM segment name ("At risk", "Champions") with sales
        data runs the RFM segmentation (replacing saved segments of another method: "the at risk
        customers" after a segmentation by age are the RFM ones); nothing saved and nothing named runs
        the default segmentation. Returns a note saying what was computed (None when nothing was), or
        raises ParamsError naming the segments there are. The one way analyses get segments
        (persona; "for the champions" in any analysis through ``run``)."""
        wanted = [w for w in wanted if w]
        saved = {segment_key(s): s for s in self.segment_labels()}
        if self.dataset.has_segments and all(segment_key(w) in saved for w in wanted):
            return None
        ds = self.dataset
        if any(ds.has(r) and "segment" in ds.columns(r) for r in ("customers", "transactions")):
            column = {segment_key(v) for v in ds.own_segment_values()}
            if wanted and all(segment_key(w) in column and segment_key(w) not in saved for w in wanted):
                return None  # the data's column named segment (a CRM's Enterprise, SMB), saved labels or not
        maker = self._segmenter()
        rfm = {segment_key(n) for n in slotlib.RFM_SEGMENTS.values()}
        named = ", ".join(repr(w) for w in wanted)
        if maker and wanted and all(segment_key(w) in rfm for w in wanted) and ds.has("transactions"):
            before = ds.segment_method
            done = self.run(maker, {"method": "rfm"})
            replaced = f", in place of the saved {before} segments" if before else ""
            return (f"{named} is an RFM segment and no RFM segments were saved, so I computed the RFM segmentation "
                    f"first ({done.table('segments').total_rows} segments{replaced}; they are now the saved ones)")
        if maker and not wanted and not ds.has_segments:
            done = self.run(maker, {})
            return (f"no segments were saved, so I ran the {ds.segment_method} segmentation first "
                    f"({done.table('segments').total_rows} segments)")
        if not saved:
            raise ParamsError(f"there are no saved segments yet, so none called {named}: ask for a segmentation "
                              "first (e.g. \"segment my customers\"), then ask again.")
        import difflib

        close = difflib.get_close_matches(wanted[0], list(saved.values()), n=2, cutoff=0.4)
        hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise ParamsError(f"no segment {named} is saved ({ds.segment_method} segments).{hint} "
                          f"Segments: {', '.join(sorted(saved.values()))}.")

    def segment_profiles(self) -> dict[str, dict]:
        """What the data says about each saved segment (the segmenting analysis's ``profiles``):
        FACTS, SALES, satisfaction, comment words; see plugins/segmentation.py ``segment_profiles``."""
        maker = self._segmenter()
        if maker is None:
            raise CannotAnswer("no installed analysis makes segments (segmentation)", self.suggestions())
        return self.analyses[maker].profiles(self.dataset)

    def applies(self, analysis: str) -> bool:
        """Whether ``analysis`` can answer on the loaded data: its ``requires`` and one of its
        ``requires_any`` alternatives (when it declares any) are there."""
        obj = self.analyses[analysis]
        if not self.dataset.sources:
            return True
        alternatives = getattr(obj, "requires_any", None) or [{}]
        finer = getattr(obj, "applies_to", None)
        return self.dataset.satisfies(getattr(obj, "requires", None) or {}) and \
            (any(self.dataset.satisfies(alt) for alt in alternatives) or self._read_alone(analysis)) and \
            (finer is None or bool(finer(self.dataset)))

    def _read_alone(self, analysis: str) -> list[str]:
        """The loaded roles ``analysis`` reads because none of its ``requires_any`` is loaded
        (``Analysis.reads_alone``: a feedback table alone, for the overview)."""
        obj = self.analyses[analysis]
        if any(self.dataset.satisfies(alt) for alt in getattr(obj, "requires_any", None) or [{}]):
            return []
        return [r for r in getattr(obj, "reads_alone", ()) if self.dataset.has(r)]

    def describe_vocabulary(self) -> list[dict[str, Any]]:
        """The company's words and nicknames (custlens.toml ``[vocabulary]``) and what each means
        on the loaded data: a nickname's values as the data writes them, and those it does not have."""
        vocabulary = self.dataset.vocabulary
        out: list[dict[str, Any]] = [{"name": w, "means": m, "kind": "word", "file": vocabulary.files[w]}
                                     for w, m in vocabulary.words.items()]
        values = self._values()
        for name, items in vocabulary.nicknames.items():
            found: dict[str, list[str]] = {}
            missing = []
            for item in items:
                hits = slotlib.resolve_nickname(values, [item])
                for col, value in hits:
                    found.setdefault(col, []).append(value)
                if not hits:
                    missing.append(item)
            out.append({"name": name, "means": items, "kind": "values", "file": vocabulary.files[name],
                        "found": found, "missing": missing})
        return out

    def _not_in_data(self, name: str, column: str | None = None) -> str:
        """What to say of a value the question named that the data does not have: the column it
        was looked for in and that column's values ("I found no 'France' in country: Deutschland,
        Österreich, Schweiz."), else close values anywhere, else every column with a few values."""
        import difflib

        from . import countries

        values = self._values_by_column()

        def listed(col: str, n: int = 12) -> str:
            vs = values[col]
            return ", ".join(vs[:n]) + (f" and {len(vs) - n} more" if len(vs) > n else "")

        if column in values:
            return f"I found no {name!r} in {column}: {listed(column)}."
        pool = {v: col for col, vs in values.items() for v in vs}
        close = difflib.get_close_matches(name, list(pool), n=3, cutoff=0.6)
        if close:
            return f"I found no {name!r} in the data. Did you mean {', '.join(f'{c!r} ({pool[c]})' for c in close)}?"
        if countries.country_of(name):
            return (f"I found no {name!r} in the data: it has no column of countries"
                    + (f" (its columns with values: {', '.join(sorted(values))})." if values else "."))
        if values:
            every = f"I found no {name!r} in the data: " + "; ".join(f"not in {c}: {listed(c, 6)}"
                                                                      for c in sorted(values)) + "."
            if len(every) <= 400:  # a few columns: each with a few values
                return every
            # many: the column whose values look most like it, and its few closest ones
            said = name.lower()
            n_words = len(said.split())

            def likeness(v: str) -> float:
                low = v.lower()
                head = " ".join(low.split()[:n_words])  # "Foo Hoodie" beside "Leila Hoodie - Noire / S"
                shared = any(w in low.split() for w in said.split() if len(w) >= 4)  # a word of it, whole
                return shared + max(difflib.SequenceMatcher(None, said, low).ratio(),
                           difflib.SequenceMatcher(None, said, head).ratio())

            best = {c: sorted(vs, key=likeness, reverse=True)[:4] for c, vs in values.items()}
            column = max(best, key=lambda c: likeness(best[c][0]) if best[c] else 0.0)
            return (f"I found no {name!r} in the data. The closest values are in {column}: "
                    f"{', '.join(best[column])}" + (f" (of {len(values[column])})" if len(values[column]) > 4 else "")
                    + ". custlens describe lists every column's values.")
        return f"I found no {name!r} in the data."

    @staticmethod
    def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
        """``key=value`` pairs (``--param``) into a dict; ``a.b=v`` sets a key of a dict parameter
        (``filters.country=Germany``). Values stay text; validation converts and checks them."""
        out: dict[str, Any] = {}
        for pair in pairs:
            key, value = parse_assignment(pair)
            if not key:
                raise ParamsError(f"--param {pair!r}: the key is empty")
            if "." in key:
                outer, inner = key.split(".", 1)
                out.setdefault(outer, {})[inner] = value
            else:
                out[key] = value
        return out

    def params_for(self, analysis: str, values: dict[str, Any]):
        """Validate ``values`` into the analysis's Params, with messages that name the key and the fix."""
        model = self.analyses[analysis].Params
        try:
            return model.model_validate(_split_lists(model, values))
        except ValidationError as exc:
            problems = []
            for err in exc.errors():
                key = ".".join(str(p) for p in err["loc"]) or "params"
                if err["type"] == "extra_forbidden":
                    known = ", ".join(model.model_fields) or "none"
                    problems.append(f"{analysis} has no parameter {key!r} (its parameters: {known})")
                elif not err["loc"] and err["type"] == "value_error":
                    # a check of the parameters together (a model validator): its own sentence, not the
                    # whole dict of parameters and pydantic's "Value error, " before it
                    problems.append(str(err["msg"]).removeprefix("Value error, "))
                else:
                    problems.append(f"{key}={err.get('input')!r}: {err['msg']}")
            raise ParamsError("; ".join(problems)) from None

    def run(self, analysis: str, params: dict[str, Any] | None = None, from_question: dict | None = None) -> Answer:
        """Run a named analysis with params (validated); the path ``ask`` ends in."""
        if analysis not in self.analyses:
            raise ParamsError(f"no analysis named {analysis!r}; installed: {', '.join(sorted(self.analyses))}")
        obj = self.analyses[analysis]
        params, notes = self._with_segments(obj, dict(params or {}))
        params, per_customer = self._per_customer(obj, params)
        one = params.pop("customer", None) if "customer" not in obj.Params.model_fields else None
        params, unread = self._stages_unread(analysis, obj, params)
        notes = notes + unread
        p = self.params_for(analysis, params)
        asked = p
        p, clamped = self._within_the_data(p, params if from_question is None else from_question)
        notes = notes + clamped
        # said as asked ("2024") when only its end was held to the data; as run when a period was dropped
        shown = asked if getattr(p, "start", None) == getattr(asked, "start", None) else p
        if getattr(p, "compare", None) and not getattr(obj, "compares", False):
            return self._run_each_period(analysis, p, from_question)
        folder = Path(self.export_dir) if self.confine_exports else None
        if folder is not None:  # a served conversation: parameters that name files stay in its folder
            p = paths.confine_params(p, folder)
        self.dataset.require(getattr(obj, "requires", {}) or {}, analysis)
        self.dataset.check()  # a Parquet source's deferred load checks, before the data version is read
        while True:
            try:
                answer = self._computed(analysis, obj, p, folder)
                break
            except ScopeError as exc:
                # "on the website" of a funnel: web is a channel of the orders only, not of the visits it reads
                left = {k: v for k, v in (getattr(p, "filters", None) or {}).items() if k not in exc.filters}
                if not exc.elsewhere or left == getattr(p, "filters", None):
                    raise
                p, shown = p.model_copy(update={"filters": left}), shown.model_copy(update={"filters": left})
                notes = [*notes, f"{exc}: not applied to this answer"]
        answer.params = shown.model_dump(mode="json")
        answer.warnings = notes + answer.warnings
        answer.provenance.sources = answer.provenance.sources or [s.name for s in self.dataset.sources]
        # notes of the sources it may read: its required roles, else any source with a role
        used = list(getattr(obj, "requires", None) or schema.ROLES)
        answer.warnings += [w for w in self.dataset.warnings_for(used) if w not in answer.warnings]
        # a discount of rates, or a profit read as the cost: said where the answer shows discounts or profit
        answer.warnings += [w for w in rates.said_for(answer, self.dataset.rate_notes()) if w not in answer.warnings]
        # an answer that joined the customers to another table says how many of its rows found one
        answer.warnings += [w for w in joins.said_for_sql(self.dataset, answer.provenance.sql) if w not in answer.warnings]
        answer.understood = answer.understood or self._understood(analysis, shown, from_question or {},
                                                                  answer.readings)
        if one and getattr(obj, "per_customer", None):
            self._customer_row_first(answer, obj.per_customer, one)
        elif per_customer:
            first = [t for t in answer.tables if t.name == per_customer]
            if first:
                answer.tables = first + [t for t in answer.tables if t.name != per_customer]
                answer.understood = answer.understood.replace(analysis, f"{analysis} · per customer", 1)
        return answer

    def _stages_unread(self, analysis: str, obj, params: dict) -> tuple[dict, list[str]]:
        """A filter on status naming stages not won ("open deals", "Closed Lost") asked of an
        analysis that reads the purchases only (RFM, CLV, churn: the won deals): left out, with a
        note, never answered silently with the won deals under the stages' name. The answer's params
        then lack it, so its first line says it was not applied."""
        stages = (params.get("filters") or {}).get("status")
        if not stages or getattr(obj, "every_status", False):
            return params, []
        others = kit.not_purchases(self.dataset, stages if isinstance(stages, list) else [stages])
        if not others:
            return params, []
        filters = {k: v for k, v in params["filters"].items() if k != "status"}
        params = {**params, "filters": filters}
        said, deals = ", ".join(others), kit.deal_stages(self.dataset)
        what = "the won deals" if deals else "the purchases"
        return params, [f"{NOT_APPLIED}: status = {said}: {analysis} reads {what} (the sales) only, so this answer is "
                        f"about {what}, not those in {said}. The overview counts every "
                        + ("stage: ask \"open pipeline by region\" or \"lost deals by industry\"." if deals else
                           "status: ask \"how many orders were cancelled\" or \"refunded orders by month\".")]

    def _computed(self, analysis: str, obj, p, folder: Path | None) -> Answer:
        """What ``obj.run`` answers for ``p``, with the SQL it ran: from this conversation's answer
        cache when the same analysis ran with the same parameters on the same data and segments
        (a copy: the caller may change it); else computed and kept. An analysis that composes
        others (it takes the session: the report) is not kept, the answers it composes are; one
        that saves segments is reused only while the labels it saved are the ones in force."""
        cacheable = not _wants_session(obj)
        saves = bool(getattr(obj, "saves_segments", False))
        key = AnswerCache.key(self.dataset, analysis, p.model_dump(mode="json"))
        if saves:  # keyed by the labels it leaves, not by those it found
            key = key[:1] + (None,) + key[2:]
        if cacheable:
            hit = self.answers.get(key)
            if hit is not None and (not saves or self._saved_by.get(key) == self.dataset.segments_version):
                return hit
        start = len(self.dataset.sql_log)
        engine, sampled = self.dataset.engine, len(self.dataset.sampled_log)
        collected = engine.collected
        cancel.check()  # a stopped answer (the report's next section) runs nothing more
        try:
            # an analysis that composes others (the report) asks for the session by name
            with paths.confined(folder):
                answer = obj.run(self.dataset, p, session=self) if _wants_session(obj) else obj.run(self.dataset, p)
        except TooManyRows as exc:
            raise exc.during(analysis) from None
        except CustlensError:
            raise
        except Exception as exc:  # noqa: BLE001 - a plugin's bug must not take the front end down
            cancel.check()  # an interrupted query: the answer was stopped, not a bug
            plugin = self.registry.analyses[analysis].plugin
            log.debug("analysis %s failed", analysis, exc_info=True)
            raise PluginError(plugin, f"analysis {analysis!r} raised {type(exc).__name__}: {exc}") from exc
        if not isinstance(answer, Answer):
            raise PluginError(self.registry.analyses[analysis].plugin,
                              f"analysis {analysis!r} returned {type(answer).__name__}, not an Answer")
        if not answer.provenance.sql:
            answer.provenance.sql = self.dataset.sql_log[start:]
        answer.provenance.sampled += [n for n in self.dataset.sampled_log[sampled:] if n not in answer.provenance.sampled]
        if self.dataset.remote:  # what the engine sent back, bounded by CUSTLENS_ENGINE_MAX_ROWS
            answer.provenance.engine = engine.label
            answer.provenance.rows_collected = engine.collected - collected
        if cacheable:
            if self.answers.put(key, answer):
                answer = copy_answer(answer)  # the caller's copy: the kept one stays as computed
            if saves:
                self._saved_by[key] = self.dataset.segments_version
        return answer

    def _within_the_data(self, p, asked_now: dict) -> tuple[Any, list[str]]:
        """Periods held against the dates the data has: a period this question names on data without
        dates is refused (two periods compared would be answered twice alike), one carried from
        earlier in the conversation is dropped with a note; a period ending after the data's last
        order ends there, with a note (churn "in 1998" on data to June 1998 counts back from its
        last day, not from December)."""
        if not hasattr(p, "start"):
            return p, []
        ds = self.dataset
        dated = [role for role, col in schema.DATE_OF.items()
                 if role != "customers" and ds.has(role) and col in ds.columns(role)]
        asked = p.compare or ([(p.start, p.end)] if p.start or p.end else [])
        if asked and not dated and ds.sources:
            from .templates import period_label

            month = self._month_said_as_column(p, asked)
            if month is not None:
                return month

            said = " and ".join(period_label(a, b) for a, b in asked)
            signups = ds.has("customers") and "signup_date" in ds.columns("customers") and not p.compare and \
                "period" in (getattr(p, "by", None) or [])
            if signups:  # signups by period: the period is read by the signup date (overview says so)
                return p, []
            if not {"start", "end", "compare"} & set(asked_now):
                what = "the data has no order, feedback or event dates" + (
                    " (only the customers' signup dates)" if ds.has("customers") and "signup_date" in
                    ds.columns("customers") else "")
                return p.model_copy(update={"start": None, "end": None, "compare": None}), [
                    f"{what}: the period in force ({said}) was not applied"]
            if not p.compare:  # one period asked for: the analysis says what it can do without dates
                return p, []
            hint = kit.dates_hint(ds)
            signup = next((ds.mapping_of(s)["signup_date"].column for s in ds.sources if s.role == "customers"
                           and "signup_date" in ds.mapping_of(s)), None)
            if signup:  # the customers' own dates are there: what they can answer, said first
                hint = (f" The customers' signup dates ({signup}) are read: ask for the signups by year or by month "
                        f"(\"signups by year\", \"how many joined each month in {asked[-1][0].year}\") to see "
                        f"{said} side by side.") + (hint and " " + hint.strip())
            raise ParamsError(f"the data has no dates (no order, feedback or event dates), so it cannot be split by "
                              f"period: {said} cannot be told apart." + (hint or " Ask without the period, or load "
                                                                               "data with dates."))
        last = self.data_end()
        if last is not None and p.end and p.end > last and kit.deal_stages(ds):
            # a deal export's last won deal is not its last day: lost and open deals after it are data too
            every = ds.scalar("SELECT CAST(max(order_date) AS DATE) FROM transactions_all")
            last = max(last, kit.as_date(every)) if every is not None else last
        if last is None or not p.end or p.end <= last or p.compare:
            return p, []
        return p.model_copy(update={"end": last}), [
            f"the period asked for runs to {p.end}, past the data's last order on {last}: it was counted to {last}"]

    def _month_said_as_column(self, p, asked: list) -> tuple[Any, list[str]] | None:
        """One calendar month asked ("in November") of a customers table without dates whose column
        names the month of each row (UCI Online Shoppers' Month: Feb, Mar, May, June... with no year):
        a filter on that column's value for the month, said on the first line; None where the period
        is no single month or no column holds month names. A month the column does not have is said."""
        import calendar

        if p.compare or len(asked) != 1 or not hasattr(p, "filters") or not self.dataset.has("customers"):
            return None
        start, end = asked[0]
        if not (start and end and start.day == 1 and (start.year, start.month) == (end.year, end.month)
                and end.day == calendar.monthrange(end.year, end.month)[1]):
            return None
        for column, values in (self.dataset.values().get("customers") or {}).items():
            if column in (p.filters or {}) or len(values) < 2 or \
                    not all(str(v).strip().lower() in slotlib.MONTHS for v in values):
                continue
            found = [v for v in values if slotlib.MONTHS[str(v).strip().lower()] == start.month]
            name = calendar.month_name[start.month]
            if not found:
                raise ParamsError(f"I found no {name} in {column}: {', '.join(map(str, values))} (the data has no "
                                  "dates; that column names the month of each row).")
            return p.model_copy(update={"start": None, "end": None, "filters": {**(p.filters or {}), column: found}}), [
                f"read '{name}' as {column} = {', '.join(found)} (the data has no dates; its {column} column names "
                "the month of each row, without a year)"]
        return None

    def _run_each_period(self, analysis: str, p, from_question: dict | None) -> Answer:
        """"churn 2024 vs 2025" for an analysis that does not compare periods itself: it runs once
        per period and the two answers are shown together (``answer.side_by_side``)."""
        from .answer import side_by_side
        from .templates import period_label

        base = p.model_dump(exclude={"compare"})
        first = self.dataset.first_order_date() if self.dataset is not None else None
        periods, cut = kit.like_for_like(p.compare, self.data_end(), first)  # the same days of each, as overview does
        answers = [self.run(analysis, {**base, "start": a, "end": b, "compare": None}) for a, b in periods]
        answer = side_by_side(answers, [period_label(a, b) for a, b in p.compare])
        if cut:
            answer.warnings.insert(0, f"{kit.LIKE_FOR_LIKE}: {cut}")
        answer.params = p.model_dump(mode="json")
        answer.understood = self._understood(analysis, p, from_question or {})
        return answer

    def _one_customer_asked(self, route: Route) -> None:
        """"loyalty index for C000050", "how many orders has customer C000417 placed": a customer named
        to an analysis without a ``customer`` parameter is not left out. One with a per-customer table
        (``Analysis.per_customer``) runs as asked and shows that customer's row first (``run``); another
        that takes filters is limited to the customer (a filter on customer_id)."""
        who = route.slots.get("customer")
        obj = self.analyses.get(route.analysis)
        fields = getattr(getattr(obj, "Params", None), "model_fields", {})
        if not who or "customer" in fields:
            return
        if getattr(obj, "per_customer", None):
            route.params["customer"] = who  # taken out again by run, which shows the row
        elif "filters" in fields and self.dataset.has("transactions") and \
                "customer_id" in self.dataset.columns("transactions"):
            route.params["filters"] = {**(route.params.get("filters") or {}), "customer_id": [who]}

    def _customer_row_first(self, answer: Answer, table: str, who: str) -> None:
        """The row of customer ``who`` in the answer's per-customer ``table``, as a table of its own
        shown first and said first ("loyalty index for C000050"); an id the table lacks is an error."""
        rows = next((t for t in answer.tables if t.name == table), None)
        if rows is None:
            return
        frame = rows.frame
        key = next((c for c in ("customer_id", "customer") if c in frame.columns), frame.columns[0])
        row = frame[frame[key].astype(str) == str(who)]
        if row.empty:
            raise ParamsError(f"customer {who} is not among the {len(frame):,} customers of this answer (no purchases "
                              "in the period and filters asked?). Check the id (\"customer C000123\").")
        answer.tables.insert(0, Table.from_frame("customer", row.reset_index(drop=True), f"Customer {who}"))
        said = ", ".join(f"{c} {templates.num(v, 0 if float(v).is_integer() else 2)}" if isinstance(v, float)
                         else f"{c} {v}" for c, v in list(row.iloc[0].dropna().items())[:7] if c != key)
        answer.summary = f"Customer **{who}**: {said}.\n\n{answer.summary}"
        answer.understood = answer.understood.replace(answer.analysis, f"{answer.analysis} · customer={who}", 1)

    @staticmethod
    def _per_customer(obj, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """"loyalty score for each customer", "RFM scores per customer": "customer" is no breakdown
        of an analysis with a per-customer table (``Analysis.per_customer``): it asks for that table,
        shown first. Returns the params without it, and the table's name (None otherwise)."""
        table = getattr(obj, "per_customer", None)
        by = params.get("by")
        if isinstance(by, str):
            by = [b.strip() for b in by.split(",") if b.strip()]
        if not table or not isinstance(by, list) or "customer" not in by:
            return params, None
        return {**params, "by": [b for b in by if b != "customer"]}, table

    def _segments_held(self) -> bool:
        """Whether "segment" names something already: saved labels or the data's own column."""
        return self.dataset.has_segments or any(self.dataset.has(r) and "segment" in self.dataset.columns(r)
                                                for r in ("customers", "transactions"))

    def _with_segments(self, obj, params: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """``params`` with the segments a filter names made available first (``ensure_segments``:
        "for the champions" before any segmentation computes the RFM segments) and spelt as saved;
        and the note saying so. The analysis that makes segments handles its own."""
        filters = params.get("filters") or {}
        by = params.get("by")
        if isinstance(by, list) and "segment" in by and "segment" not in filters and not self._segments_held() \
                and not getattr(obj, "saves_segments", False):  # "profit per segment" before any: segments first
            note = self.ensure_segments()
            return params, [note] if note else []
        if "segment" not in filters or not isinstance(filters["segment"], list):
            return params, []
        if getattr(obj, "saves_segments", False):
            return self._segments_asked(params)
        note = self.ensure_segments(filters["segment"])
        saved = {segment_key(s): s for s in self.segment_labels()}
        spelt = [saved.get(segment_key(v), v) for v in filters["segment"]]
        return {**params, "filters": {**filters, "segment": spelt}}, [note] if note else []

    def _segments_asked(self, params: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """The segmenting analysis asked about RFM segments that are not saved ("who are my
        champions and who is at risk" before any segmentation, or after one by age): the question
        asks for the RFM segmentation, with the named segments shown first (``show``), not for a
        drill-down into saved segments that hold no such names. A drill-down into saved ones stays."""
        named = params["filters"]["segment"]
        rfm = {segment_key(n) for n in slotlib.RFM_SEGMENTS.values()}
        saved = {segment_key(s) for s in self.segment_labels()}
        if not self.dataset.has("transactions") or not all(segment_key(n) in rfm for n in named) or \
                self.dataset.segment_method == "rfm" and all(segment_key(n) in saved for n in named):
            return params, []
        filters = {k: v for k, v in params["filters"].items() if k != "segment"}
        out = {**params, "method": "rfm", "show": list(named), "filters": filters}
        out.pop("k", None)
        if not filters:
            out.pop("filters")
        which = " and ".join(named)
        return out, [f"{which} {'is an RFM segment' if len(named) == 1 else 'are RFM segments'}: this is the RFM "
                     f"segmentation of every customer, with the customers of {which} first in the per-customer table"]

    def _understood(self, analysis: str, params, from_question: dict, readings: dict[str, str] | None = None) -> str:
        """How the question was understood, in one line: the analysis, the params the question set
        (a value the analysis read as the data names it, with what was said: "product=bottled beer
        (said: beer)"), the source columns read as customer, date and value where their names
        differ from those, and the filters: "overview · top=5 · customers: Email · date: Created at
        · filter: country = Germany"."""
        parts, filters = [analysis], []
        readings = readings or {}
        said = ("by", "filters", "start", "end", "compare", "measure", "columns",
                *getattr(self.analyses.get(analysis), "narrowing", ()))
        dumped = params.model_dump(mode="json")
        fields = type(params).model_fields
        # what is measured, carried from the last question ("and by month?" after refunds, "and by country?"
        # after revenue per customer), is said as though asked
        carried = {k for k in ("metric", "per_customer")
                   if k in fields and dumped.get(k) not in (None, fields[k].default)}
        # "last 6 months": the window in words with its one rule (kit.period_wording), not two dates
        rolling = kit.period_wording(dumped.get("start"), dumped.get("end"), self.data_end()) \
            if dumped.get("start") and dumped.get("end") else None
        for key, value in dumped.items():
            if rolling and key in ("start", "end"):
                if key == "start":
                    parts.append(rolling)
                continue
            if key in readings and value is not None and str(value) != readings[key]:
                parts.append(f"{key}={readings[key]} (said: {value})")
                continue
            # the period and filters in force are always said, wherever they came from
            if key in from_question or key in said and value or key in carried:
                if key == "compare" and value:
                    from .templates import compare_label

                    parts.append("compare: " + compare_label(value))
                elif isinstance(value, dict):
                    filters += [kit.first_purchase_words(v) if k == kit.FIRST_PURCHASE else
                                kit.min_orders_words(v) if k == kit.MIN_ORDERS else
                                f"filter: {k} {v[0] if isinstance(v, list) else v}" if kit.condition(v) else
                                f"filter: {k} = {templates.values_text(v, ', ') if isinstance(v, list) else v}"
                                for k, v in value.items()]
                elif isinstance(value, list):
                    if value:
                        parts.append(f"{key}: {', '.join(map(str, value))}")
                elif value is not None:
                    parts.append(f"{key}={value}")
        return " · ".join(parts + self._columns_read() + filters)

    def _columns_read(self) -> list[str]:
        """"customers: Email", "date: Created at", "value: Total": the sales columns read under
        another name (nothing when the names already say it)."""
        labels = {"customer_id": "customers", "order_date": "date", "amount": "value"}
        for src in self.dataset.sources:
            if src.role == "transactions":
                mapping = self.dataset.mapping_of(src)
                return [f"{label}: {mapping[c].column}" + (f" (else {src.deal_start})" if c == "order_date"
                                                             and src.deal_start else "")
                        for c, label in labels.items() if c in mapping and schema.snake(mapping[c].column) != c]
        return []

    def _finish(self, answer: Answer, question: str) -> Answer:
        if answer.analysis not in META_ANSWERS:
            pairs = self._spelt_two_ways(answer)  # "CC" beside "Credit Card": said once, never merged
            if pairs and not any(w.startswith(kit.SPELT_TWO_WAYS) for w in answer.warnings):
                answer.warnings.append(kit.spelling_note(pairs))
        for note in answer.warnings:  # a breakdown asked for and not read: in the first line too
            if (note.startswith(UNREAD + ":") or note.startswith(NOT_APPLIED + ":")) and answer.understood \
                    and note.split(":", 1)[0] + ":" not in answer.understood:
                answer.understood += " · " + note.split(" (", 1)[0]
            # two periods cut like with like ("2024 cut to 1 Jan–14 Aug to match 2025"): said there too
            if note.startswith(kit.SET_ASIDE + " ") and answer.understood and kit.SET_ASIDE + " " not in answer.understood \
                    and (answer.analysis != "overview" or "product" in ((answer.params or {}).get("by") or [])):
                answer.understood += " · " + note.split(", postage, fees", 1)[0]  # "set aside 3 non-product lines: ..."
            if (note.startswith(kit.LIKE_FOR_LIKE + ":") or note.startswith(meant.READ_AS)) and answer.understood \
                    and note not in answer.understood:
                answer.understood += " · " + note
            # hours and weekdays: which clock they are read on (kit.clock_note), the data's local time or as written
            if note.startswith(kit.CLOCK + ":") and answer.understood and kit.CLOCK + ":" not in answer.understood:
                answer.understood += " · " + note.split(" (", 1)[0]
            # subscriptions read by their lifecycle: the day "current" is, that ends date them (kit.active_note)
            if note.startswith((kit.ACTIVE_ON + " ", kit.DATED_BY + " ", kit.ACCOUNT_RULE + ":")) and answer.understood \
                    and note.split(" (", 1)[0] not in answer.understood:
                answer.understood += " · " + note.split(" (", 1)[0] + (
                    ", trials out" if "trials (" in note else "")
        for impl in reversed(self.pm.hook.answer_ready.get_hookimpls()):
            try:
                result = impl.function(**{k: v for k, v in {"answer": answer, "session": self}.items()
                                          if k in impl.argnames})
            except Exception as exc:  # noqa: BLE001
                log.debug("answer_ready of %s failed", impl.plugin_name, exc_info=True)
                answer.warnings.append(f"plugin {impl.plugin_name!r} failed in answer_ready: "
                                       f"{type(exc).__name__}: {exc}")
                continue
            if isinstance(result, Answer):
                answer = result
        self.history.append(answer)
        if len(self.history) > MAX_HISTORY:
            drop = len(self.history) - MAX_HISTORY
            del self.history[:drop]
            self.history_dropped += drop
        return answer

    def _spelt_two_ways(self, answer: Answer) -> list[str]:
        """The look-alike values (``kit.spelling_pairs``) of the columns ``answer`` breaks down by: a column of
        the data heading one of its tables ("Churn by preferred payment mode"), a column named in
        a table of attributes and values ("Churn by every attribute"), or a ``by`` param."""
        if not self.dataset.sources:
            return []
        known: dict[str, str] = {}
        for role in ("customers", "transactions"):
            if self.dataset.has(role):
                known.update({c.replace("_", " "): c for c in self.dataset.columns(role) if c not in schema.ID_COLUMNS})
        said = lambda name: known.get(str(name).replace("_", " ").strip().lower())  # noqa: E731
        columns = [said(b) for b in (answer.params or {}).get("by") or []]
        for table in answer.tables:
            columns += [said(c) for c in table.columns]
            if "attribute" in table.columns and "value" in table.columns:
                i = table.columns.index("attribute")
                columns += [said(row[i]) for row in table.rows]
        return [pair for column in dict.fromkeys(c for c in columns if c)
                for pair in kit.spelling_pairs(self.dataset, column)]

    # ------------------------------------------------------------------ help
    def suggestions(self) -> list[str]:
        """A first example of each analysis the loaded data can answer (``applies``), at most six."""
        return [a.examples[0] for n, a in self.analyses.items() if getattr(a, "examples", None)
                and self.applies(n)][:6]

    def help(self) -> Answer:
        import pandas as pd

        rows = [(name, a.title, getattr(a, "summary", ""), (a.examples or [""])[0])
                for name, a in sorted(self.analyses.items())]
        frame = pd.DataFrame(rows, columns=["analysis", "title", "what it does", "ask for example"])
        lines = [f"- **{r[1]}** (`{r[0]}`): {r[2]} Try: \"{r[3]}\"" for r in rows]
        return Answer(analysis="help", title="What I can do", summary="\n".join(lines),
                      tables=[Table.from_frame("analyses", frame, "Analyses")],
                      follow_ups=[r[3] for r in rows if r[3]][:3])
