"""The built-in router: which analysis a question is for, and with which params.

This first router scores each analysis by the weighted words its example questions, title and
summary share with the question (IDF weights over all analyses, light stemming), after the slot
words (periods, numbers, data values) are taken out. Below a threshold it declines with
suggestions rather than guessing. A plugin may route instead through the ``route_question`` hook.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from . import slots as slotlib

STOPWORDS = set("""a an the of to in on for by per and or is are was were be been do does did we our us you your i me my
it its this that these those what which who whom how many much show me tell give list get let see please can could would
should with from at as all any each every have has had there their them they than then so some about into over under
up down out more most less least also just only very vs versus want need know find make much whats""".split())


def tokens(text: str) -> list[str]:
    words = re.findall(r"[a-z][a-z0-9']+", text.lower())
    out = []
    for w in words:
        w = w.replace("'", "")
        if w in STOPWORDS or len(w) < 2:
            continue
        for suffix in ("ies", "es", "s"):
            if w.endswith(suffix) and len(w) > len(suffix) + 3:
                w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
                break
        out.append(w)
    return out


@dataclass
class Route:
    analysis: str
    params: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)  # named in the question, found nowhere in the data


class Router:
    threshold = 0.3

    def __init__(self, analyses: dict[str, Any]):
        self.analyses = analyses
        docs: dict[str, Counter] = {}
        for name, a in analyses.items():
            text = " ".join([name.replace("_", " "), getattr(a, "title", ""), getattr(a, "summary", ""),
                             *getattr(a, "examples", [])])
            docs[name] = Counter(tokens(text))
        df = Counter(w for c in docs.values() for w in c)
        n = max(len(docs), 1)
        self.idf = {w: math.log(1 + n / d) for w, d in df.items()}
        self.vocab = {name: set(c) for name, c in docs.items()}

    def score(self, question: str, used: list[str]) -> list[tuple[str, float]]:
        text = question.lower()
        for u in used:
            text = text.replace(u.lower(), " ")
        words = tokens(text)
        if not words:
            return []
        unknown_weight = math.log(1 + max(len(self.vocab), 1))
        total = sum(self.idf.get(w, unknown_weight) for w in words)
        scores = []
        for name, vocab in self.vocab.items():
            hit = sum(self.idf[w] for w in words if w in vocab)
            scores.append((name, hit / total if total else 0.0))
        return sorted(scores, key=lambda x: -x[1])

    def route(self, question: str, values: dict | None = None, end=None, analysis: str | None = None) -> Route | None:
        """The likeliest analysis and the params the question gives it; None when nothing fits.
        With ``analysis`` named, only its params are read."""
        slots, used = slotlib.extract(question, values, end)
        if analysis is not None:
            ranked, (name, conf) = [], (analysis, 1.0)
        else:
            ranked = self.score(question, used)
            if not ranked or ranked[0][1] < self.threshold:
                return None
            name, conf = ranked[0]
        fields = getattr(self.analyses[name].Params, "model_fields", {})
        params = {k: v for k, v in slots.items() if k in fields and v is not None}
        return Route(name, params, conf, ranked[1:3], slots.get("unknown_names", []))
