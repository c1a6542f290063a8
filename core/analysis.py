"""The contracts a plugin implements: ``Analysis`` (answers questions) and ``Connector`` (reads a
data-source format). Subclass them, or provide objects with the same attributes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .paths import InputFile, OutputFile  # noqa: F401 - the file parameter types plugins declare

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

    from .answer import Answer
    from .dataset import Dataset, RawSource


class Params(BaseModel):
    """Base for an analysis's parameters: unknown keys are refused, values are validated."""

    model_config = ConfigDict(extra="forbid")


class ScopedParams(Params):
    """Params of an analysis over part of the data: ``start`` and ``end`` (a period, both days
    included) and ``filters`` (column -> values), as ``Dataset.scope`` takes them. The router fills
    all three from the question ("in 2024", "for B2B in Germany")."""

    start: dt.date | None = None
    end: dt.date | None = None
    filters: dict[str, list[str]] = Field(default_factory=dict)
    compare: list[tuple[dt.date, dt.date]] | None = Field(
        None, description="two periods [(start, end), (start, end)] answered side by side, earlier first")

    @model_validator(mode="after")
    def _check_period(self):
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")
        if self.compare is not None:
            if len(self.compare) != 2:
                raise ValueError("compare takes exactly two periods")
            for a, b in self.compare:
                if a > b:
                    raise ValueError(f"a compared period starts ({a}) after it ends ({b})")
            self.compare = sorted(self.compare)
        return self


class Analysis:
    r"""One analysis. Class attributes describe it; ``run`` computes the Answer.

    - ``name``: stable lowercase id (``overview``, ``segmentation``...), used by ``--param``,
      the router and ``custlens plugins``.
    - ``title`` and ``summary``: one line each, shown in help.
    - ``examples``: questions in everyday words; the router learns from them.
    - ``Params``: a pydantic model with defaults; the router and ``--param key=value`` fill it.
    - ``requires``: {role: [canonical columns]} the data must have; checked before ``run`` with a
      message that says what is missing.
    - ``compares`` (optional): True when ``run`` handles ``params.compare`` (two periods) itself.
    - ``every_status`` (optional): True when ``run`` counts the lines of a filter on ``status`` that
      are no purchase (a deal in negotiation, a lost one: ``kit.not_purchases``) over every line;
      other analyses read the purchases only, so the Session leaves such a filter out and says so.
    - ``requires_any`` (optional): alternatives, [{role: [columns]}, ...], of which the data must
      satisfy one (besides ``requires``): overview answers on sales or on a customers table alone.
      The router weighs down an analysis whose data is not loaded, so an unsure question goes to
      one that can answer (``Session.applies``).
    - ``reads_alone`` (optional): roles read only where none of ``requires_any`` is loaded: the
      overview counts a feedback table loaded alone (tickets by month), and never reads it beside sales.
    - ``applies_to(dataset)`` (optional): a finer check than the columns, for what only the values
      tell (journey's funnel of deals needs a status holding deal stages, not an order's "paid").
    - ``stands_in_for`` (optional): {analysis: (words, how its question is read here)}: questions
      for those analyses, saying ``words`` (a regex), that this one answers when they cannot run on
      the loaded data (churn answers "retention by contract", cohort's question, on a customers
      table with a churn flag and no purchases). The router still reads the question as the one
      meant; the Session answers with this one (``Session._stand_in``) and says so on the first line.
    - ``phrases`` (optional): words of the question that set a param of this analysis, as
      {param: {regex: value}}. Once the router has picked this analysis it searches the question
      (case-insensitively) with each param's patterns in order; the first match sets the param.
      A str value may name what the pattern captured (``r"\1"``, ``r"\g<n>"``); a captured number
      word ("four") becomes its number; the value is then validated by ``Params`` (a
      ``field_validator(mode="before")`` may turn "6 months" into days), and one it refuses is
      dropped. What a matching phrase's groups captured is taken out of the question before the
      usual slots are read (write ``(?:...)`` for a group that should not be), so "inactive for
      90 days" sets ``inactive_days`` without also being a daily grain. Only params
      ``Params`` has are set; a phrase overrides the slot of the same name.
      Example: ``{"focus": {r"\bbundles?\b": "bundles"},
      "inactive_days": {r"\binactive for (\d+ days)": r"\1"}}``.
    - ``documents`` and ``write_documents(answer, folder, fmt) -> list[Path]`` (optional): an
      analysis whose answer holds documents (personas) names them with a plural noun, and
      "export personas" (or "... as html") in a conversation writes one file each (fmt "md" or
      "html").
    - ``guided_interview(session, path, paused) -> Guided`` (optional): a guided interview, held as
      conversation state (custlens.conversation): "interview NAME [FILE]" (``interview NAME`` in the
      shell) starts it in any front end, or resumes the one saved at ``path`` (else ``paused``, the
      one paused in this conversation). ``Guided`` has ``name``, ``path``, ``done``, ``paused``,
      ``start() -> Answer`` and ``answer(text) -> Answer`` (one line of the user's, "pause"
      included: it saves to ``path``). plugins/five_forces.py is the example.
    - ``per_customer`` (optional): the name of the answer's table with one row per customer;
      "loyalty score for each customer" asks for it (shown first; "customer" is then no breakdown).
    - ``saves_segments`` and ``profiles(dataset)`` (the segmentation): the analysis that saves
      segment labels, run by ``Session.ensure_segments`` when a question names segments not saved.
    - ``population(dataset, params) -> (label, condition) | None`` (optional): who "them" are after
      an answer, when that is more than the customers its filters pick: churn on a flag answers about
      the churned customers (``("churned customers", "c.churned")``, an SQL condition over the
      customers table as ``c``), so "how many of them complained" counts complainers among those,
      out of them (``conversation.Engine.count_of_them``).
    - ``lists`` (optional): the name of the answer's table that lists every customer it is about, by id first
      (churn from purchases: its churned customers): "how many is that per industry", "which country are
      they from" then count among those (``conversation.listed_customers``), not the whole base.
    - ``acquired_by_period`` (optional): True when the analysis reads its period as when its customers were
      acquired (cohort): "customers who first bought in PERIOD" keeps that period for it, not the
      ``first_purchase`` filter other analyses get (``meant.acquired_cohort``).
    - ``measures`` (optional): the measures (the ``metric`` slot's values: "margin") this analysis is
      the answer for when the one a question was routed to cannot take them: "gross margin by
      category" routed to the overview, whose metrics have no margin, is the profitability's
      (``meant.measure_owner``).
    - ``whole_history`` (optional): True when the analysis models the customers' whole history (CLV's fit,
      cohorts, RFM segments, the baskets' rules, the report): two periods compared in an earlier answer are
      not carried into it ("customer lifetime value" after "revenue 1997 vs 1998" is over all the data), as
      they are into the others ("the margins on those" after it: the margins of both periods, side by side).
    - ``about_its_rows`` (optional): a regular expression of what the analysis tells of the customers it
      listed (CLV: who is about to lapse, still active, likely to buy again: its probability alive and
      expected purchases). A line pointing back at them ("which of those are about to lapse") that says
      it stays with this analysis (``conversation.Engine._points_back``), whatever another's words pull.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    summary: ClassVar[str] = ""
    examples: ClassVar[list[str]] = []
    Params: ClassVar[type[Params]] = Params
    #: True when ``run`` answers ``ScopedParams.compare`` itself (two periods side by side); otherwise
    #: the Session runs the analysis once per period and shows the two answers together
    compares: ClassVar[bool] = False
    #: True when the analysis models the whole history: a comparison in force is not carried into it (see above)
    whole_history: ClassVar[bool] = False
    #: True when ``run`` reads a filter on status naming stages not won over every line (see above)
    every_status: ClassVar[bool] = False
    requires: ClassVar[dict[str, list[str]]] = {}
    requires_any: ClassVar[list[dict[str, list[str]]]] = []
    reads_alone: ClassVar[tuple[str, ...]] = ()
    phrases: ClassVar[dict[str, dict[str, Any]]] = {}
    #: params that narrow the data the answer is about (feedback's ``about``): said on the answer's
    #: first line whenever set, like the filters, also when carried from an earlier turn
    narrowing: ClassVar[tuple[str, ...]] = ()
    #: measures this analysis answers when the one routed to cannot take them (see above)
    measures: ClassVar[tuple[str, ...]] = ()
    #: {analysis: (words, reading)}: questions of analyses this one answers when they cannot run (see above)
    stands_in_for: ClassVar[dict[str, tuple[str, str]]] = {}

    def run(self, dataset: "Dataset", params: Params) -> "Answer":  # pragma: no cover - abstract
        """Compute the Answer. An analysis that composes others (the report) may declare a third
        parameter ``session`` and call ``session.run(name, params)``; most never need it."""
        raise NotImplementedError


class Connector:
    """Reads one data-source format into the DuckDB connection of a Dataset.

    - ``name`` and ``description``: shown by ``custlens plugins``.
    - ``extensions``: lowercase suffixes it reads (".csv"); ``sniff`` may look closer.
    - ``open`` registers one or more raw relations (tables or views) in ``con`` and returns a
      ``RawSource`` for each; the Dataset then infers roles and canonical columns. It must never
      write to the file it reads, and raises ``DataError`` with the file, row or column and what to
      do when it cannot read it.
    """

    name: ClassVar[str]
    description: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()

    def sniff(self, path: Path) -> float:
        """How sure (0..1) this connector is that it reads ``path``. Default: by extension."""
        name = path.name.lower()
        return 0.5 if any(name.endswith(ext) for ext in self.extensions) else 0.0

    def open(self, path: Path, con: "duckdb.DuckDBPyConnection", name: str,
             selector: str | None = None) -> "list[RawSource]":  # pragma: no cover - abstract
        """Register the source(s) in ``con``. ``name`` is a free identifier prefix for the
        relations; ``selector`` is what followed ``#`` in ``file.xlsx#Sheet`` (a sheet or table)."""
        raise NotImplementedError


#: a value beyond this is not an amount of money: sums, means and squares of it overflow
MAX_MAGNITUDE = 1e15


def usable_rows(frame, columns, analysis: str, warnings: list[str] | None = None, what: str = "amount"):
    """The rows of ``frame`` whose ``columns`` hold finite numbers within +-MAX_MAGNITUDE (the
    customers an analysis can compute on). Empty, NaN, infinite or absurd values (1e308) are
    left out with a warning; when no row is left, a DataError says which column to map instead."""
    import numpy as np
    import pandas as pd

    from .errors import DataError

    present = [c for c in columns if c in frame.columns]
    if not present or frame.empty:
        return frame
    values = frame[present].apply(pd.to_numeric, errors="coerce").astype(float)
    ok = np.isfinite(values).all(axis=1) & (values.abs() <= MAX_MAGNITUDE).all(axis=1)
    if ok.all():
        return frame
    if not ok.any():
        raise DataError(f"{analysis}: no customer has a usable {what}: the {', '.join(present)} values are empty, "
                        f"not numbers, infinite or beyond +-{MAX_MAGNITUDE:.0e}. Check the {what} column of the data, "
                        f"or map the right one (map {what}=COLUMN).")
    if warnings is not None:
        warnings.append(f"{int((~ok).sum()):,} of {len(frame):,} customers left out: their {', '.join(present)} "
                        f"is empty, infinite or beyond +-{MAX_MAGNITUDE:.0e}")
    return frame[ok.to_numpy()].reset_index(drop=True)
