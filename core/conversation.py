"""Conversation state and the small rule set that recognises what a turn is.

``Session.chat(text)`` reads each line of a conversation through ``classify_turn``, in this order:

1. a pick:        "1", "2.", "#3", "the second", "second one"   while readings are pending
2. go back:       "go back", "back", "undo", "previous answer"
3. reset filters: "reset filters", "clear the filters", "remove all filters", "no filters"
4. explain:       "why?", "how did you compute that?", "explain", "show me the sql", "what method"
5. export:        "export personas" (the documents an analysis writes, one file each: Markdown, or
                  "... as html"; see Analysis.documents),
                  "export that to excel", "save as csv", "save it to results.xlsx"
6. plot:          "plot it", "chart that", "draw a graph", "visualise it"
7. map:           "use Net Sales as the amount", "no, use Created at as the order date"
8. correction:    "no, use k=5", "use top 20", "make it 4 segments", "... instead"
9. anything else is a question. A question whose words are all slot words (a country, a period,
   "top 20", "by quarter", "only B2B", "for the champions") and filler ("and", "what about",
   "only", "instead", "the same"...) is a follow-up to the last analysis; so is one that starts
   with a follow-up cue ("and ...", "what about ...") when the classifier finds no analysis for it.
   Everything else is routed as a new question (conversation filters still apply).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .answer import Answer

ORDINALS = {"first": 1, "one": 1, "second": 2, "two": 2, "third": 3, "three": 3, "1st": 1, "2nd": 2, "3rd": 3}
PICK = re.compile(r"^(?:#|no\.?\s*|number\s+|option\s+)?(\d)\s*[.)]?$|^(?:the\s+)?(" + "|".join(ORDINALS)
                  + r")(?:\s+(?:one|reading|option))?\s*[.!]?$")
BACK = re.compile(r"^(?:go\s+back|back|undo|previous(?:\s+answer)?|go\s+to\s+the\s+previous\s+(?:one|answer))\s*[.!]?$")
RESET = re.compile(r"^(?:reset|clear|remove|drop|forget)\s+(?:all\s+)?(?:the\s+)?filters?\b|^no\s+filters?\b|"
                   r"^(?:show\s+)?all\s+(?:the\s+)?data\s*$")
EXPLAIN = re.compile(r"^(?:why|explain(?:\s+(?:that|it|this))?|how\s+(?:did|do)\s+you\s+(?:compute|calculate|get|work out)|"
                     r"how\s+(?:was|is)\s+(?:that|this|it)\s+(?:computed|calculated)|show\s+(?:me\s+)?the\s+sql|sql|"
                     r"what\s+method|which\s+method|how\s+did\s+you\s+do\s+(?:that|it))\b")
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
CORRECTION = re.compile(r"^(?:no|nope|actually|rather)[,.!]?\s+(?:use\s+|make\s+it\s+|with\s+)?(?P<rest>.+)$|"
                        r"^(?:use|make\s+it|try|change\s+(?:it\s+)?to)\s+(?P<rest2>.+)$", re.I)
#: words a follow-up is made of besides its slot words ("and what about France instead?")
FILLER = set("""and what about how but now then only just also instead same the a an for in on at of with by per
show me do it that this again please same thing one those them let's lets see try same for only ok okay
segment segments group customer customers client clients rather than versus vs compared""".split())
FOLLOW_UP_CUE = re.compile(r"^(?:and|what\s+about|how\s+about|same|now|only|just|instead|but|then|also)\b")


@dataclass
class Turn:
    """One answered question: what ran, with which params (as asked, before validation)."""

    question: str
    analysis: str
    params: dict[str, Any]
    answer: Answer
    filters: dict[str, list[str]]


@dataclass
class Conversation:
    """What a conversation remembers: filters in force, the answered turns (a stack, for "go
    back"), and the readings offered when a question was ambiguous."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    pending: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def describe_filters(self) -> str:
        """"country=Germany, customer_type=B2B" (for the prompt)."""
        return ", ".join(f"{k}={'|'.join(map(str, v))}" for k, v in self.filters.items())


def classify_turn(text: str, pending: bool, documents: dict[str, str] | None = None) -> tuple[str, Any]:
    """(kind, detail) for a line of the conversation; kinds as in the module docstring.
    ``documents`` maps the nouns of the documents analyses write ("personas", "persona") to the
    analysis that writes them."""
    low = text.lower().strip().rstrip("?").strip()
    m = PICK.match(low)
    if pending and m:
        return "pick", int(m.group(1)) if m.group(1) else ORDINALS[m.group(2)]
    if BACK.match(low):
        return "back", None
    if RESET.match(low):
        return "reset", None
    if EXPLAIN.match(low):
        return "explain", None
    m = DOCUMENTS.match(low)
    if m and m.group("noun") in (documents or {}):
        return "export_documents", (documents[m.group("noun")], "html" if m.group("html") else "md")
    m = EXPORT.match(low)
    if m and (_export_target(text) or m.group("what").strip() in FORMATS or not m.group("what").strip()):
        return "export", _export_target(text)
    if PLOT.match(low):
        return "plot", None
    m = MAP.match(text.strip().rstrip("?"))
    if m and not re.fullmatch(r"\w+\s*=\s*\S+", m.group("column")):
        return "map", (m.group("canonical").strip().replace(" ", "_").lower(), m.group("column").strip())
    m = CORRECTION.match(text.strip())
    if m:
        return "correct", (m.group("rest") or m.group("rest2")).strip()
    return "question", None


def _export_target(text: str) -> str | None:
    """The file named ("results.xlsx") or the format ("excel" -> ".xlsx") of an export request."""
    m = re.search(r"(?:^|\s)([\w./~-]+\.(?:xlsx|xlsm|csv|json|html?|md|markdown|txt))\b", text, re.I)
    if m:
        return m.group(1)
    low = text.lower()
    for word, suffix in FORMATS.items():
        if re.search(r"\b" + re.escape(word) + r"\b", low):
            return suffix
    return None


def only_slots(text: str, used: list[str]) -> bool:
    """True when ``text`` is made only of slot words, breakdowns ("by quarter", "per country") and
    follow-up filler: "and for France?", "by quarter instead", "top 20", "only B2B"."""
    from . import slots as slotlib
    from .router import strip_slots

    rest = strip_slots(text, used)
    breakdowns = "|".join([*slotlib.DIMENSIONS.values(), *slotlib.EXPLICIT_GRAINS.values()])
    rest = re.sub(r"\b(?:(?:by|per|across|for each)\s+(?:" + breakdowns + r")|" +
                  "|".join(slotlib.EXPLICIT_GRAINS.values()) + r")\b", " ", rest.lower())
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", rest.lower()) if w not in FILLER]  # any script
    return not words


def merge_params(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Last params updated by a follow-up's: a filter replaces that column's values only."""
    out = dict(old)
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
