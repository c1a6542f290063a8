"""The Answer: the one contract between analyses and every front end (terminal, JSON, HTML,
HTTP, bots). ``custlens ask --format json`` prints exactly this model."""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

#: rows of a table shown in an Answer; the full result stays on the Table for export
MAX_ROWS = 50


def _plain(value: Any) -> Any:
    """Turn numpy/pandas scalars into JSON-friendly Python values."""
    if value is None or type(value).__name__ in ("NaTType", "NAType"):  # NaT passes for a datetime, and
        return None  # pandas' NA (nullable integers) would print as "<NA>": missing, both
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ") if value.time() != _dt.time(0) else value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if type(value).__name__ == "Timestamp":
        return _plain(value.to_pydatetime())
    if isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


_PERCENT_WORDS = re.compile(r"%|\bpercent(?:age)?s?\b|\bpct\b")


def is_percent(label: Any) -> bool:
    """Whether a column or measure called ``label`` holds fractions that read as percentages
    (0.2032 is "20.3%"): a "%", "percent" or "pct" in it ("change %"), a share ("share of
    revenue"), a rate ("churn rate", "retention rate (quarter over quarter)", "repeat_rate", "churn rate of all")."""
    low = str(label).lower().replace("_", " ").strip()
    bare = re.sub(r"\s*\(.*\)$", "", low)
    return bool(_PERCENT_WORDS.search(low)) or bare.startswith("share") or bare == "rate" or bare.endswith(" rate") \
        or bool(re.search(r"(?:^|\s)rate\s+(?:of|for|among|in)\s", bare))  # "churn rate of the others"


#: the first column of a table whose rows are measures, one value each ("customers", "churn rate")
MEASURE_COLUMNS = ("measure", "metric")


class Table(BaseModel):
    """A named table: columns and (up to MAX_ROWS) rows; ``total_rows`` counts the full result."""

    name: str
    title: str = ""
    columns: list[str]
    rows: list[list[Any]]
    total_rows: int
    #: the columns that matter most, in order: a screen too narrow for every column (the terminal)
    #: shows these first, then the others as they fit, and says which it left out. Every column
    #: stays in the table, its export and its JSON. Empty: the columns in their order.
    priority: list[str] = Field(default_factory=list)
    #: rows run from oldest to newest and the newest matter most (cohorts, periods): ``rows``
    #: holds the last ones, and a screen that cannot show every row shows the last
    recent_last: bool = False
    #: the columns, and in a table of measures (first column "measure") the measures, whose values
    #: are fractions every renderer shows as percentages (0.2032 as "20.3%"); the values stay
    #: numbers. Named by ``is_percent`` from the names, plus any the analysis lists ("support").
    percent: list[str] = Field(default_factory=list)
    _frame: Any = PrivateAttr(default=None)

    def model_post_init(self, _context: Any) -> None:
        named = [c for c in self.columns if is_percent(c)]
        if self.columns and self.columns[0] in MEASURE_COLUMNS:
            named += [str(r[0]) for r in self.rows if r and isinstance(r[0], str) and is_percent(r[0])]
        self.percent = list(dict.fromkeys([*self.percent, *named]))

    def shows_percent(self, row: list[Any], i: int) -> bool:
        """Whether the value in column ``i`` of ``row`` is a fraction shown as a percentage: its
        column is one of ``percent``, or (a table of measures) its row's measure is."""
        if self.columns[i] in self.percent:
            return True
        return i > 0 and self.columns[0] in MEASURE_COLUMNS and bool(row) and isinstance(row[0], str) \
            and row[0] in self.percent

    @classmethod
    def from_frame(cls, name: str, frame, title: str = "", max_rows: int = MAX_ROWS,
                   priority: list[str] | None = None, recent_last: bool = False,
                   percent: list[str] | None = None) -> "Table":
        """Build from a pandas DataFrame; the whole frame is kept (not serialised) for export.
        ``percent``: columns of fractions shown as percentages beyond those their names say."""
        shown = frame.tail(max_rows) if recent_last else frame.head(max_rows)
        rows = [[_plain(v) for v in row] for row in shown.itertuples(index=False, name=None)]
        table = cls(name=name, title=title, columns=[str(c) for c in frame.columns], rows=rows,
                    total_rows=len(frame), priority=[str(c) for c in priority or []], recent_last=recent_last,
                    percent=[str(c) for c in percent or [] if c in frame.columns])
        table._frame = frame
        return table

    @property
    def frame(self):
        """The full result as a DataFrame (rebuilt from the rows if the table came from JSON)."""
        if self._frame is None:
            import pandas as pd

            frame = pd.DataFrame(self.rows, columns=self.columns)
            if self.total_rows > len(self.rows):
                return frame  # the rows shown only: the table stays incomplete (``complete``)
            self._frame = frame
        return self._frame

    @property
    def complete(self) -> bool:
        """Whether ``frame`` is the full result: False once a served process released it to stay
        within its memory bound (``Answer.release_frames``) and the rows shown are not all."""
        return self._frame is not None or self.total_rows <= len(self.rows)

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]


class Chart(BaseModel):
    """A chart spec: what to draw from which table. Rendered to PNG or inline HTML on request."""

    kind: Literal["bar", "line", "heatmap", "scatter", "pie", "funnel", "histogram", "network", "area"]
    title: str
    table: str
    x: str | None = None
    y: list[str] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)


class Provenance(BaseModel):
    """How an answer was computed: enough to answer "how did you compute that?"."""

    method: str = ""
    sql: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    rows_used: int | None = None
    #: the engine that answered when it is not the embedded DuckDB ("PostgreSQL (postgresql://...)")
    engine: str | None = None
    #: rows that engine sent back to this machine for the answer (each query's result counted)
    rows_collected: int | None = None
    #: what was cut, sampled or approximated on the way ("feedback texts: a sample of 20,000 of 85,112")
    sampled: list[str] = Field(default_factory=list)


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    analysis: str
    title: str
    params: dict[str, Any] = Field(default_factory=dict)
    understood: str = ""
    #: a value of the question read as the data names it ({"product": "bottled beer"} for "beer"),
    #: said in ``understood`` beside what was asked
    readings: dict[str, str] = Field(default_factory=dict)
    summary: str = ""
    tables: list[Table] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)
    follow_ups: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)
    #: chart number -> PNG, drawn once (``charts.chart_png``) and kept with the answer
    _pngs: dict[int, bytes] = PrivateAttr(default_factory=dict)
    _nbytes: int | None = PrivateAttr(default=None)
    #: makes the answer's own HTML document on request (the report's), kept with the answer
    _document: Any = PrivateAttr(default=None)

    def __str__(self) -> str:
        """The answer as the terminal shows it (``render(answer, "text")``): ``print(answer)`` reads as an answer."""
        from .render import render

        return render(self, "text")

    @property
    def document(self):
        """A function returning the answer's own HTML document (the full report's), or None:
        front ends render any other answer with ``render(answer, "html")``."""
        return self._document

    def nbytes(self) -> int:
        """The memory the answer holds beyond its JSON: its tables' full frames (pandas' deep
        count, measured once) and its drawn charts."""
        if self._nbytes is None:  # the frames' count, once (deep counting walks every string)
            self._nbytes = sum(int(t._frame.memory_usage(index=True, deep=True).sum())
                               for t in self.tables if t._frame is not None)
        return self._nbytes + sum(map(len, self._pngs.values()))

    def release_frames(self) -> int:
        """Drop the tables' full frames (the rows shown stay; ``Table.complete`` says what is lost)
        and return the bytes freed: how a served process bounds the memory its answers hold."""
        before = self.nbytes()
        self._document = None  # it holds the frames of the analyses it was made from
        for table in self.tables:
            table._frame = None
        self._nbytes = None
        return before - self.nbytes()

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(f"no table {name!r} in this answer (tables: {', '.join(t.name for t in self.tables)})")


def side_by_side(answers: list["Answer"], labels: list[str]) -> "Answer":
    """Answers of one analysis for two periods as one Answer: each period's narrative under its
    label, its tables and charts named after it ("2024: Churn by month"), the notes of both."""
    first = answers[0]
    tables, charts, parts, warnings = [], [], [], []
    for answer, label in zip(answers, labels):
        slug = "".join(ch if ch.isalnum() else "_" for ch in label.lower())
        rename = {t.name: f"{slug}_{t.name}" for t in answer.tables}
        tables += [t.model_copy(update={"name": rename[t.name], "title": f"{label}: {t.title or t.name}"})
                   for t in answer.tables]
        charts += [c.model_copy(update={"table": rename.get(c.table, c.table), "title": f"{label}: {c.title}"})
                   for c in answer.charts]
        parts.append(f"**{label}**\n\n{answer.summary}")
        warnings += [w for w in answer.warnings if w not in warnings]
    return Answer(analysis=first.analysis, title=f"{first.title}: {labels[1]} against {labels[0]}",
                  summary="\n\n".join(parts), tables=tables, charts=charts, follow_ups=first.follow_ups,
                  warnings=warnings, provenance=Provenance(
                      method=f"{first.provenance.method or first.analysis}, once for each period",
                      sql=[q for a in answers for q in a.provenance.sql], sources=first.provenance.sources,
                      rows_used=sum(a.provenance.rows_used or 0 for a in answers) or None,
                      engine=first.provenance.engine,
                      rows_collected=None if first.provenance.rows_collected is None else
                      sum(a.provenance.rows_collected or 0 for a in answers),
                      sampled=list(dict.fromkeys(s for a in answers for s in a.provenance.sampled))))
