"""What custlens computes once and reuses (issue 20).

Two caches, each with its own scope:

- ``SharedWork``: per loaded data, shared by a Dataset and every fork of it (the conversations
  of one served process, the report's fork): the per-order and per-customer tables, exact counts
  read from them, and fitted models keyed by the content of their inputs. Entries are keyed by
  the Dataset's ``data_version``, which changes on every ``build`` (load, map, role), so changed
  data never meets an old entry; the Dataset that made a version drops its tables when it moves on.
- ``AnswerCache``: per conversation (one Session), never shared: answers by (data version,
  segments version, analysis, resolved parameters; on a remote engine its bound on the rows that
  come back), so the same question again, "go back", a
  follow-up that only re-renders, an export or a plot never recompute. Bounded by count and bytes.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from typing import Any, Callable

#: fitted models kept per loaded data (each a few KB to a few MB: scores of the customers modelled)
MAX_MODELS = 32
#: answers a conversation keeps for re-asking, and the bytes of their full tables
MAX_ANSWERS = 16
MAX_ANSWER_BYTES = 2**30  # shared with the history's copies: a kept answer in history costs nothing more


class SharedWork:
    """Tables, counts and models computed once per loaded data (see the module docstring)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._keys: dict[Any, threading.Lock] = {}
        self.tables: dict[tuple[int, str], str] = {}  # (data version, kind) -> table name
        self.facts: dict[tuple[int, str], Any] = {}  # (data version, name) -> value (exact counts)
        self.models: OrderedDict[tuple, Any] = OrderedDict()
        self.reused = 0  # models given back without a fit

    def key_lock(self, key) -> threading.Lock:
        """One lock per key: two conversations needing the same table build it once."""
        with self._lock:
            return self._keys.setdefault(key, threading.Lock())

    def table(self, version: int, kind: str, create: Callable[[str], None], name: str) -> str:
        """The table ``kind`` of data ``version``, made by ``create(name)`` the first time."""
        key = (version, kind)
        if key in self.tables:
            return self.tables[key]
        with self.key_lock(key):
            if key not in self.tables:
                create(name)
                self.tables[key] = name
        return self.tables[key]

    def fact(self, version: int, name: str, compute: Callable[[], Any]) -> Any:
        key = (version, name)
        if key not in self.facts:
            with self.key_lock(key):
                if key not in self.facts:
                    self.facts[key] = compute()
        return self.facts[key]

    def forget(self, version: int) -> list[str]:
        """Drop what data ``version`` held; the names of its tables (for the caller to drop)."""
        with self._lock:
            names = [n for (v, _), n in self.tables.items() if v == version]
            self.tables = {k: n for k, n in self.tables.items() if k[0] != version}
            self.facts = {k: f for k, f in self.facts.items() if k[0] != version}
            self._keys = {k: lk for k, lk in self._keys.items() if not (isinstance(k, tuple) and k[0] == version)}
        return names

    def known(self, kind: str, inputs: tuple) -> tuple[Any, bool]:
        """(result, True) when a model for ``inputs`` was fitted already, else (None, False): nothing
        is fitted (an answer that shows a model only when it costs nothing)."""
        return self._fitted((kind, fingerprint(inputs)))

    def _fitted(self, key: tuple) -> tuple[Any, bool]:
        with self._lock:
            if key in self.models:
                self.models.move_to_end(key)
                self.reused += 1
                return self.models[key], True
        return None, False

    def model(self, kind: str, inputs: tuple, fit: Callable[[], Any]) -> tuple[Any, bool]:
        """(result, reused): a fitted model for ``inputs`` (frames, arrays, plain values), fitted
        by ``fit()`` the first time these exact inputs are seen. Keyed by content, so it needs no
        invalidation: other data gives other inputs."""
        key = (kind, fingerprint(inputs))
        result, reused = self._fitted(key)
        if reused:
            return result, True
        result = fit()
        with self._lock:
            self.models[key] = result
            while len(self.models) > MAX_MODELS:
                self.models.popitem(last=False)
        return result, False


def fingerprint(value: Any) -> str:
    """A digest of ``value``'s content: DataFrames and Series (values, index, column names and
    types), NumPy arrays, and lists, tuples and dicts of those or of plain values."""
    h = hashlib.blake2b(digest_size=20)
    _feed(h, value)
    return h.hexdigest()


def _significant(values, digits: int = 12):
    """Floats to ``digits`` significant digits: DuckDB's parallel sums may differ in their last bits
    from one query to the next, and the same inputs must give the same fingerprint."""
    import numpy as np

    x = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(np.isfinite(x) & (x != 0), 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(x)))), 1.0)
        return np.where(np.isfinite(x), np.round(x * scale) / scale, x)


def _feed(h, value: Any) -> None:
    import numpy as np

    kind = type(value).__name__
    if kind in ("DataFrame", "Series"):
        import pandas as pd

        names = value.columns if kind == "DataFrame" else [value.name]
        h.update(repr((kind, list(map(str, names)),
                       [str(t) for t in (value.dtypes if kind == "DataFrame" else [value.dtype])],
                       value.shape)).encode())
        if kind == "DataFrame":
            value = value.assign(**{c: _significant(value[c]) for c in value.columns if value[c].dtype.kind == "f"})
        elif value.dtype.kind == "f":
            value = pd.Series(_significant(value), index=value.index, name=value.name)
        h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            value = _significant(value)
        h.update(repr((value.dtype.str, value.shape)).encode())
        h.update(np.ascontiguousarray(value).tobytes() if value.dtype != object else repr(value.tolist()).encode())
    elif isinstance(value, (list, tuple)):
        h.update(f"{kind}[{len(value)}]".encode())
        for v in value:
            _feed(h, v)
    elif isinstance(value, dict):
        h.update(f"dict[{len(value)}]".encode())
        for k in sorted(value, key=repr):
            _feed(h, k)
            _feed(h, value[k])
    else:
        h.update(repr((kind, value)).encode())


class AnswerCache:
    """A conversation's answers by (data version, segments version, analysis, parameters)."""

    def __init__(self, max_answers: int = MAX_ANSWERS, max_bytes: int = MAX_ANSWER_BYTES):
        self.max_answers, self.max_bytes = max_answers, max_bytes
        self._answers: OrderedDict[tuple, Any] = OrderedDict()
        self.hits = 0

    @staticmethod
    def key(dataset, analysis: str, params: dict) -> tuple:
        """(data version, segments version, analysis, params, today, bound): an analysis may read
        the date (CLV leaves out orders dated after today), so an answer is not kept past midnight;
        on a remote engine the bound on what comes back (``CUSTLENS_ENGINE_MAX_ROWS``) decides
        whether an answer stops and how large its samples are, so an answer computed under one
        bound is not given back under another (on DuckDB the bound applies to nothing: None)."""
        import datetime as dt
        import json

        bound = None
        if dataset.remote:
            from .engines import max_rows

            bound = max_rows()
        return (dataset.data_version, dataset.segments_version, analysis,
                json.dumps(params, sort_keys=True, default=str), dt.date.today().isoformat(), bound)

    def get(self, key: tuple):
        """A copy of the answer kept under ``key`` (the caller may change it), or None."""
        answer = self._answers.get(key)
        if answer is None:
            return None
        self._answers.move_to_end(key)
        self.hits += 1
        return copy_answer(answer)

    def put(self, key: tuple, answer) -> bool:
        """Keep ``answer`` (itself: give the caller a copy) under ``key``; False when it is too large."""
        if answer.nbytes() > self.max_bytes:
            return False
        for old in [k for k in self._answers if k[0] != key[0]]:  # answers of data that changed since
            del self._answers[old]
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.max_answers or \
                sum(a.nbytes() for a in self._answers.values()) > self.max_bytes:
            self._answers.popitem(last=False)
        return True

    def clear(self) -> None:
        self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)


def copy_answer(answer):
    """An Answer whose lists, tables and charts can be changed without touching ``answer``; the
    tables' full frames are shared (never changed in place: a served process releases them by
    dropping its table's reference, ``Answer.release_frames``)."""
    new = answer.model_copy()
    new.tables = [t.model_copy() for t in answer.tables]
    new.charts = [c.model_copy(deep=True) for c in answer.charts]
    new.follow_ups, new.warnings = list(answer.follow_ups), list(answer.warnings)
    new.params = copy.deepcopy(answer.params)
    new.provenance = answer.provenance.model_copy(deep=True)
    new._pngs = dict(answer._pngs)
    return new
