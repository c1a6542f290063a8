"""journey: the customer journey as a funnel, from touchpoint events or from a CRM deal export.

From events (``events`` view: customer_id and/or session_id, timestamp, event, channel, device):
the stages in order (inferred from the order in which each unit, a session or else a customer,
first reaches them, ties by how many reach them; or given with ``stages``), how many units reach
each stage, step and overall conversion, the biggest drop-off (in rate and in units lost), the
median time between consecutive stages, the same funnel split by channel, device, period, saved
segment or a customer attribute (``by``), and for the customers who convert (reach the last
stage): first-touch, last-touch and linear shares per channel and the most common channel paths.

From a CRM deal export (Salesforce opportunities, HubSpot deals: a stage column on the sales
data, read as ``status``): each deal's current stage ordered along the usual pipeline (lead,
prospecting, qualification, ... proposal, negotiation, won, or ``stages``), a deal reaching a
stage when its current stage is that one or later; lost deals are counted at the first stage
(an export does not say where they were lost) and in the win rate.

All per-event work runs in DuckDB; pandas only reshapes the per-stage rows.
"""

from __future__ import annotations

import difflib
import uuid
from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from custlens import hookimpl
from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.dataset import qi
from custlens.errors import DataError, ParamsError
from custlens import kit
from custlens.templates import filters_text, period_value, render

#: stages shown at most when they are inferred (the most common ones)
MAX_STAGES = 10
LOST_WORDS = kit.LOST_WORDS + kit.CANCEL_WORDS  # a deal cancelled is lost (kit.status_kinds)


class JourneyParams(ScopedParams):
    stages: list[str] = Field(default_factory=list, description="the stages in order (event or deal-stage names); "
                              "empty: inferred from the data")
    by: list[str] = Field(default_factory=list, description="split the funnel by channel, device, period, segment "
                          "or a customer attribute")
    grain: Literal["day", "week", "month", "quarter", "year"] = "month"
    top: int = Field(10, ge=1, le=10_000, description="rows of splits and paths to show")
    unit: Literal["auto", "session", "customer"] = Field("auto", description="count sessions or customers "
                                                         "(auto: sessions where the events have them)")

    @model_validator(mode="after")
    def _check(self):
        if len(set(self.stages)) != len(self.stages):
            raise ValueError(f"stages are repeated: {self.stages}")
        return self


class Journey(Analysis):
    name = "journey"
    title = "Customer journey and funnel"
    summary = "Funnel stages, conversion and drop-off, time between stages, touchpoint attribution and paths."
    examples = [
        "show me the conversion funnel",
        "where do customers drop off in the funnel",
        "customer journey from visit to purchase",
        "funnel conversion by channel",
        "what is the biggest drop-off between stages",
        "how many sessions reach checkout",
        "conversion rate from visit to purchase by device",
        "which channel gets the first touch",
        "first touch and last touch attribution",
        "most common paths to purchase",
        "time between add to cart and checkout",
        "pipeline stages from lead to won",
        "deal funnel and win rate",
        "where do we lose deals in the pipeline",
        "touchpoint analysis for converting customers",
        "funnel chart of the customer journey",
        "cart abandonment rate",
        "which channels get credit for the sales",
        "sales attribution by touchpoint",
    ]
    Params = JourneyParams
    requires = {}  # events, or a CRM deal export with a stage column: checked in run
    requires_any = [{"events": []}, {"transactions": ["status"]}]

    @staticmethod
    def applies_to(dataset) -> bool:
        """Events, or sales whose status is a CRM's deal stage (a shop's "paid"/"refunded" is none)."""
        return dataset.has("events") or dataset.has("transactions") and "status" in dataset.columns("transactions") \
            and _deal_stages(dataset)

    def run(self, dataset, params: JourneyParams) -> Answer:
        if dataset.has("events"):
            return EventFunnel(dataset, params).answer(self)
        if dataset.has("transactions") and "status" in dataset.columns("transactions") and _deal_stages(dataset):
            return DealFunnel(dataset, params).answer(self)
        have = ", ".join(f"{s.name} ({s.role or 'unknown'})" for s in dataset.sources) or "nothing loaded"
        raise DataError("journey needs touchpoint events (an event or stage column with a timestamp, and a session "
                        "or customer id: --data events=PATH) or a CRM deal export with a stage column (Salesforce "
                        f"opportunities, HubSpot deals); loaded: {have}.")


def _deal_stages(dataset) -> list[str]:
    """The stage values of sales data that reads as a deal export (some stage says won or lost)."""
    values = [r[0] for r in dataset.rows("SELECT DISTINCT status FROM transactions_all WHERE status IS NOT NULL")]
    lowered = [str(v).lower() for v in values]
    return values if any("won" in v or "lost" in v for v in lowered) else []


def _check_stages(given: list[str], present: list[str], what: str) -> list[str]:
    """The user's stages, each matched to a value in the data (case-insensitively)."""
    by_lower = {str(v).lower(): str(v) for v in present}
    out = []
    for stage in given:
        found = by_lower.get(stage.lower()) or by_lower.get(stage.lower().replace(" ", "_"))
        if found is None:
            close = difflib.get_close_matches(stage.lower(), list(by_lower), n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(repr(by_lower[c]) for c in close)}?" if close else ""
            raise ParamsError(f"stage {stage!r} is not a {what} in the data.{hint} "
                              f"The {what}s are: {', '.join(sorted(map(str, present))[:20])}.")
        out.append(found)
    return out


def _steps(reached: list[int]) -> list[dict]:
    """Step conversion, units lost, for each stage after the first."""
    return [{"i": i, "rate": reached[i] / reached[i - 1] if reached[i - 1] else None,
             "lost": reached[i - 1] - reached[i]} for i in range(1, len(reached))]


def _biggest_drop(stages: list[str], reached: list[int]) -> dict | None:
    steps = [s for s in _steps(reached) if s["rate"] is not None]
    if not steps:
        return None
    worst = min(steps, key=lambda s: (s["rate"], -s["lost"]))
    most = max(steps, key=lambda s: s["lost"])
    return {"from": stages[worst["i"] - 1], "to": stages[worst["i"]], "rate": worst["rate"], "drop": 1 - worst["rate"],
            "lost": worst["lost"], "most_lost_same": most["i"] == worst["i"],
            "most_from": stages[most["i"] - 1], "most_to": stages[most["i"]], "most_lost": most["lost"]}


def _time_unit(seconds: float | None) -> tuple[str, float]:
    if seconds is None or seconds != seconds or seconds < 2 * 3600:
        return "minutes", 60.0
    if seconds < 3 * 86400:
        return "hours", 3600.0
    return "days", 86400.0


class EventFunnel:
    """The funnel over the ``events`` view for one question."""

    def __init__(self, dataset, params: JourneyParams):
        self.ds, self.p = dataset, params
        self.cols = dataset.columns("events")
        self.warnings: list[str] = []
        if "event" not in self.cols:
            raise DataError("journey needs an event or stage column in the events data (what happened: visit, "
                            "product view, checkout...). Map one with --map event=COLUMN.")
        self.unit = self._unit()
        self.has_ts = "timestamp" in self.cols and bool(dataset.scalar(
            "SELECT count(timestamp) FROM events"))
        self.where, self.args = self._scope()

    # ------------------------------------------------------------------ setup
    def _unit(self) -> str:
        want = self.p.unit
        if want in ("auto", "session") and "session_id" in self.cols:
            return "session"
        if "customer_id" in self.cols:
            if want == "session":
                self.warnings.append("the events have no session id: customers are counted instead")
            return "customer"
        raise DataError("journey needs a session id or a customer id on the events, to follow one visitor from "
                        "stage to stage. Map one with --map session_id=COLUMN or --map customer_id=COLUMN.")

    @property
    def unit_col(self) -> str:
        return "session_id" if self.unit == "session" else "customer_id"

    def _scope(self) -> tuple[str, list]:
        where, args = self.ds.scope(self.p.filters, self.p.start, self.p.end, alias="e", role="events")
        return f"e.{self.unit_col} IS NOT NULL AND e.event IS NOT NULL AND {where}", args

    def _base(self, stages: list[str]) -> tuple[str, list]:
        """CTEs: ``ev`` (the events in scope, with ``unit``), ``st`` (stage, pos) and ``reach``
        (one row per unit and stage it reached, with the first time it did)."""
        values = ", ".join("(?, ?)" for _ in stages)
        sql = (f"WITH ev AS (SELECT e.{self.unit_col} AS unit, e.* FROM events e WHERE {self.where}), "
               f"st(stage, pos) AS (VALUES {values}), "
               f"reach AS (SELECT f.unit, st.pos, f.ts FROM {self.firsts} f JOIN st ON f.event = st.stage)")
        args = list(self.args)
        for i, s in enumerate(stages):
            args += [s, i + 1]
        return sql, args

    # ------------------------------------------------------------------ stages
    def _stages(self) -> list[str]:
        order = "avg(r) NULLS LAST, units DESC, event" if self.has_ts else "units DESC, event"
        frame = self.ds.query(f"""
            WITH ranked AS (SELECT event, unit, CASE WHEN ts IS NULL THEN NULL ELSE
                                   rank() OVER (PARTITION BY unit ORDER BY ts) END AS r FROM {self.firsts})
            SELECT event, count(*) AS units, avg(r) AS position FROM ranked GROUP BY event
            ORDER BY {order}""")
        if frame.empty:
            raise DataError(f"no events match the period and filters{filters_text(self.p.filters)}: widen them.")
        present = [str(e) for e in frame.event]
        if self.p.stages:
            stages = _check_stages(self.p.stages, present, "event")
            left = [e for e in present if e not in stages]
            if left:
                self.warnings.append(f"events not among the stages given are left out: {', '.join(left[:10])}")
            return stages
        if len(frame) > MAX_STAGES:
            kept = frame.nlargest(MAX_STAGES, "units", keep="first")
            left = [str(e) for e in frame.event if e not in set(kept.event)]
            self.warnings.append(f"{len(frame)} kinds of event: the {MAX_STAGES} most common are the stages "
                                 f"({len(left)} left out: {', '.join(left[:5])}...). Give stages=... to choose.")
            frame = frame[frame.event.isin(kept.event)]
        how = "the order in which visitors first reach them" if self.has_ts else "how many reach them"
        self.inferred = f"stages inferred from {how}; give stages=a,b,c to set them"
        return [str(e) for e in frame.event]

    # ------------------------------------------------------------------ funnel
    def _funnel(self, stages: list[str]) -> pd.DataFrame:
        base, args = self._base(stages)
        reach = self.ds.query(f"{base} SELECT pos, count(*) AS reached FROM reach GROUP BY pos", args)
        reached = dict(zip(reach.pos, reach.reached))
        counts = [int(reached.get(i + 1, 0)) for i in range(len(stages))]
        # the time from each stage to the next and the units that skipped the one before, in one join
        steps = self.ds.query(f"""{base}
            SELECT b.pos, median(epoch(b.ts) - epoch(a.ts)) FILTER (WHERE b.ts >= a.ts) AS seconds,
                   count(*) FILTER (WHERE b.ts < a.ts) AS out_of_order,
                   count(*) FILTER (WHERE a.ts IS NOT NULL AND b.ts IS NOT NULL) AS timed,
                   count(*) FILTER (WHERE a.unit IS NULL) AS n, count(a.unit) AS joined
            FROM reach b LEFT JOIN reach a ON a.unit = b.unit AND a.pos = b.pos - 1
            WHERE b.pos > 1 GROUP BY 1""", args).set_index("pos")
        times = steps[steps.joined > 0]
        skipped = steps[steps.n > 0]
        self.time_unit, div = _time_unit(times.seconds.median() if self.has_ts and len(times) else None)
        rows = []
        for i, stage in enumerate(stages):
            pos = i + 1
            prev = counts[i - 1] if i else None
            # more reach it than the stage before (a purchase without a cart): no step, nothing lost (said below)
            step = prev is not None and counts[i] <= prev
            rows.append({"stage": stage, "reached": counts[i],
                         "overall conversion": round(counts[i] / counts[0], 6) if counts[0] else None,
                         "step conversion": round(counts[i] / prev, 6) if prev and step else None,
                         "lost at step": prev - counts[i] if step else None,
                         f"median {self.time_unit} from previous stage":
                             round(float(times.seconds[pos]) / div, 2) if pos in times.index and self.has_ts
                             and times.seconds[pos] == times.seconds[pos] else None})
            if i and pos in skipped.index and skipped.n[pos]:
                self.warnings.append(f"{int(skipped.n[pos]):,} {self.unit}s reached {stage} without "
                                     f"{stages[i - 1]}: the stages may be out of order, or visitors skip a step")
            if i and pos in times.index and times.out_of_order[pos]:
                self.warnings.append(f"{int(times.out_of_order[pos]):,} {self.unit}s reached {stage} before "
                                     f"{stages[i - 1]} (by timestamp): stages out of order for them; their time "
                                     "between the stages is left out")
        for i in range(1, len(counts)):
            if counts[i] > counts[i - 1]:
                self.warnings.append(f"more {self.unit}s reach {stages[i]} ({counts[i]:,}) than {stages[i - 1]} "
                                     f"({counts[i - 1]:,}): check the stage order (stages=...)")
        frame = pd.DataFrame(rows)
        frame["lost at step"] = frame["lost at step"].astype("Int64")
        return frame

    def _nulls(self) -> None:
        if not self.has_ts:
            self.warnings.append("the events have no timestamps: the stage order comes from how many reach each "
                                 "stage; time between stages, attribution and paths need times (--map timestamp=COLUMN)")
            return
        missing = self.ds.scalar(f"SELECT count(*) FROM events e WHERE {self.where} AND e.timestamp IS NULL",
                                 self.args)
        if missing:
            self.warnings.append(f"{missing:,} event(s) have no timestamp: counted for reaching stages, left out "
                                 "of times, attribution and paths")

    def _silent_customers(self) -> dict | None:
        """Customers of the customers table with no event at all (not in the funnel)."""
        if not self.ds.has("customers") or "customer_id" not in self.cols:
            return None
        # the customers view holds one row per customer id (Dataset._one_row_per_customer): no DISTINCT
        row = self.ds.query("""SELECT count(c.customer_id) AS customers,
                   count(c.customer_id) FILTER (WHERE e.customer_id IS NULL) AS silent
            FROM customers c LEFT JOIN (SELECT DISTINCT customer_id FROM events) e USING (customer_id)""").iloc[0]
        if row.silent:
            self.warnings.append(f"{int(row.silent):,} of {int(row.customers):,} customers have no events: "
                                 "they are not in the funnel")
        return {"customers": int(row.customers), "silent": int(row.silent)}

    # ------------------------------------------------------------------ splits
    def _dim_expr(self, dim: str) -> tuple[str, str]:
        """(SQL for a unit's value of ``dim`` over ``ev``, joins): the breakdown from the kit (its
        period, a column of the events, saved segments or a customers attribute, one row per
        customer), taken once per unit: its first period, the value of its first event, or its
        customer's value."""
        if dim == "period" and not self.has_ts:
            raise DataError("the events have no timestamps: the funnel cannot be split by period.")
        if dim in ("event", "timestamp", self.unit_col):
            raise DataError(kit.unknown(self.ds, dim, "split the funnel", role="events"))
        d = kit.dimension(self.ds, dim, self.p.grain, alias="ev", doing="split the funnel", role="events")
        if d.origin == "period":
            return f"min({d.expr})", ""
        if d.origin == "events":
            return (f"arg_min({d.expr}, ev.timestamp)" if self.has_ts else f"any_value({d.expr})"), ""
        self.warnings += [w for w in d.warnings if w not in self.warnings]
        return f"any_value({d.expr})", d.join

    def _split(self, dim: str, stages: list[str], drop: dict | None) -> Table:
        expr, join = self._dim_expr(dim)
        base, args = self._base(stages)
        long = self.ds.query(f"""{base},
            u AS (SELECT ev.unit, {expr} AS k FROM ev {join} GROUP BY ev.unit)
            SELECT u.k, reach.pos, count(*) AS n FROM reach JOIN u USING (unit) GROUP BY 1, 2""", args)
        name = self.p.grain if dim == "period" else dim
        wide = long.pivot_table(index="k", columns="pos", values="n", aggfunc="sum", fill_value=0)
        wide = wide.reindex(columns=range(1, len(stages) + 1), fill_value=0)
        wide.columns = stages
        wide.index = wide.index.astype(str)
        if dim == "period":  # dates sort as text; then labelled "2025-01", "2025 Q1" as every table is
            wide = wide.sort_index()
            wide.index = wide.index.map(lambda k: period_value(k, self.p.grain)).rename("k")
        else:
            wide = wide.sort_values(stages[0], ascending=False, kind="stable")
        wide["overall conversion"] = (wide[stages[-1]] / wide[stages[0]].where(wide[stages[0]] > 0)).round(6)
        if drop:
            wide[f"{drop['from']} → {drop['to']}"] = (wide[drop["to"]] / wide[drop["from"]].where(
                wide[drop["from"]] > 0)).round(6)
        frame = wide.reset_index().rename(columns={"k": name})
        return Table.from_frame(f"funnel_by_{name}", frame, f"Funnel by {name.replace('_', ' ')} ({self.unit}s)",
                                max_rows=400 if dim == "period" else self.p.top)

    # ------------------------------------------------------------------ attribution
    def _attribution(self, stages: list[str]) -> tuple[Table, Table] | None:
        """Channel shares of the converting customers' touches up to their first conversion."""
        if "customer_id" not in self.cols or "channel" not in self.cols or not self.has_ts:
            need = [c for c in ("customer_id", "channel") if c not in self.cols] + ([] if self.has_ts else ["timestamp"])
            self.warnings.append(f"no touchpoint attribution: the events need {', '.join(need)} for it")
            return None
        touch = "e.session_id" if "session_id" in self.cols else "CAST(e.timestamp AS VARCHAR)"
        sql = f"""
            WITH touches AS (SELECT e.customer_id, {touch} AS touch, min(e.timestamp) AS ts,
                                    arg_min(e.channel, e.timestamp) AS channel
                             FROM events e WHERE {self.where} AND e.customer_id IS NOT NULL
                                  AND e.timestamp IS NOT NULL AND e.channel IS NOT NULL GROUP BY 1, 2),
            conv AS (SELECT e.customer_id, min(e.timestamp) AS ts FROM events e
                     WHERE {self.where} AND e.customer_id IS NOT NULL AND e.event = ? GROUP BY 1),
            path AS (SELECT t.customer_id, t.channel, t.ts,
                            row_number() OVER (PARTITION BY t.customer_id ORDER BY t.ts, t.touch) AS rn,
                            count(*) OVER (PARTITION BY t.customer_id) AS n
                     FROM touches t JOIN conv c ON c.customer_id = t.customer_id AND t.ts <= c.ts)"""
        args = [*self.args, *self.args, stages[-1]]
        # the converters' paths are kept for both the shares and the paths (grouping the events once)
        with kit.temp_table(self.ds, f"__journey_path_{uuid.uuid4().hex[:12]}", f"{sql} SELECT * FROM path",
                            args) as path:
            return self._shares_and_paths(path, stages)

    def _shares_and_paths(self, path: str, stages: list[str]) -> tuple[Table, Table] | None:
        shares = self.ds.query(f"""
            SELECT channel, count(*) FILTER (WHERE rn = 1) AS first_touch, count(*) FILTER (WHERE rn = n) AS last_touch,
                   sum(1.0 / n) AS linear, count(*) AS touches
            FROM {path} GROUP BY 1""")
        if shares.empty:
            self.warnings.append(f"no customer reached {stages[-1]}: no attribution or paths")
            return None
        converters = int(shares.first_touch.sum())
        for col in ("first_touch", "last_touch", "linear"):
            shares[f"{col} share"] = (shares[col] / converters).round(6)
        shares["linear"] = shares["linear"].round(2)
        shares = shares.sort_values(["linear", "channel"], ascending=[False, True], kind="stable")
        paths = self.ds.query(f"""
            WITH steps AS (SELECT customer_id, channel, rn FROM (
                          SELECT *, lag(channel) OVER (PARTITION BY customer_id ORDER BY rn) AS prev FROM {path})
                      WHERE prev IS NULL OR prev <> channel),
            joined AS (SELECT customer_id, string_agg(channel, ' > ' ORDER BY rn) AS path, count(*) AS touches
                       FROM steps GROUP BY 1)
            SELECT path, count(*) AS customers, round(count(*) / sum(count(*)) OVER (), 6) AS share
            FROM joined GROUP BY 1 ORDER BY 2 DESC, 1""")
        self.converters = converters
        return (Table.from_frame("attribution", shares.reset_index(drop=True),
                                 f"Channel attribution of the {converters:,} customers who reached {stages[-1]}"),
                Table.from_frame("paths", paths, f"Most common channel paths to {stages[-1]} (repeats merged)",
                                 max_rows=self.p.top))

    # ------------------------------------------------------------------ answer
    def answer(self, analysis) -> Answer:
        """The first time each unit had each event is kept in a temporary table for the answer's
        queries (stage order, reach, times), so the events are grouped once."""
        with kit.temp_table(self.ds, f"__journey_firsts_{uuid.uuid4().hex[:12]}", f"""
                SELECT e.{self.unit_col} AS unit, e.event, min(e.timestamp) AS ts FROM events e
                WHERE {self.where} GROUP BY 1, 2""", self.args) as self.firsts:
            return self._answer(analysis)

    def _answer(self, analysis) -> Answer:
        self.inferred = ""
        self._nulls()
        stages = self._stages()
        if len(stages) < 2:
            raise DataError(f"the events hold {'a single stage (' + str(stages[0]) + ')' if stages else 'no stage'}: a funnel needs at least two kinds of "
                            "event. Map the column that holds the stage with --map event=COLUMN.")
        funnel = self._funnel(stages)
        reached = funnel.reached.tolist()
        drop = _biggest_drop(stages, reached)
        tables = [Table.from_frame("funnel", funnel, f"Funnel ({self.unit}s reaching each stage)", max_rows=MAX_STAGES * 5)]
        charts = [Chart(kind="funnel", title=f"Funnel: {stages[0]} to {stages[-1]}", table="funnel", x="stage",
                        y=["reached"])]
        dims = list(self.p.by) or [d for d in ("channel", "device") if d in self.cols]
        splits = [self._split(d, stages, drop) for d in dims]
        for t in splits:
            tables.append(t)
            by_period = "period" in dims and t.name == f"funnel_by_{self.p.grain}"
            charts.append(Chart(kind="line" if by_period else "bar", title=t.title, table=t.name, x=t.columns[0],
                                y=["overall conversion"]))
        att = self._attribution(stages)
        if att:
            tables += list(att)
            charts.append(Chart(kind="bar", title=att[0].title, table="attribution", x="channel",
                                y=["first_touch share", "last_touch share", "linear share"]))
        silent = self._silent_customers()
        timecol = f"median {self.time_unit} from previous stage"
        slowest = funnel.dropna(subset=[timecol])
        slowest = slowest.loc[slowest[timecol].idxmax()].to_dict() if not slowest.empty else None
        split_facts = [self._split_fact(t) for t in splits if t.name != f"funnel_by_{self.p.grain}" and t.total_rows > 1]
        summary = render("journey.md.j2", unit=self.unit, stages=stages, funnel=funnel.to_dict("records"), drop=drop,
                         slowest=slowest, time_unit=self.time_unit, timecol=timecol, splits=split_facts,
                         attribution=att[0].frame.to_dict("records") if att else None,
                         converters=getattr(self, "converters", 0),
                         path=att[1].frame.iloc[0].to_dict() if att and len(att[1].frame) else None,
                         silent=silent, inferred=self.inferred)
        return Answer(analysis=analysis.name, title=analysis.title, summary=summary, tables=tables, charts=charts,
                      warnings=self.warnings,
                      follow_ups=["funnel conversion by device", "most common paths to purchase",
                                  "funnel by month"],
                      provenance=Provenance(method=f"SQL over the events view: a {self.unit} reaches a stage when it "
                                                   "has that event; times from the first event of each stage",
                                            rows_used=int(reached[0])))

    @staticmethod
    def _split_fact(t: Table) -> dict:
        f = t.frame.dropna(subset=["overall conversion"])
        best, worst = f.loc[f["overall conversion"].idxmax()], f.loc[f["overall conversion"].idxmin()]
        return {"dim": t.columns[0].replace("_", " "), "best": str(best.iloc[0]), "best_rate": best["overall conversion"],
                "worst": str(worst.iloc[0]), "worst_rate": worst["overall conversion"]}


class DealFunnel:
    """The pipeline funnel of a CRM deal export (each deal's current stage)."""

    def __init__(self, dataset, params: JourneyParams):
        self.ds, self.p = dataset, params
        self.warnings: list[str] = []
        self.unplaced: list[str] = []  # open stages no word of kit.DEAL_ORDER places: the funnel leaves them out

    def _order(self, present: list[str]) -> tuple[list[str], list[str]]:
        """(open and won stages in pipeline order, lost stages)."""
        lost = [s for s in present if any(w in s.lower() for w in LOST_WORDS)]
        rest = [s for s in present if s not in lost]
        if self.p.stages:
            return _check_stages(self.p.stages, rest, "deal stage"), lost

        rank = kit.stage_rank
        unknown = [s for s in rest if rank(s) < 0]
        self.unplaced = unknown
        if unknown:
            self.warnings.append(f"could not place the stage(s) {', '.join(unknown)} in the pipeline, so they are "
                                 "left out; give the order with stages=a,b,c")
        return sorted((s for s in rest if rank(s) >= 0), key=lambda s: (rank(s), s)), lost

    def answer(self, analysis) -> Answer:
        where, args = self.ds.scope(self.p.filters, self.p.start, self.p.end)
        deals = self.ds.query(f"""
            SELECT t.status AS stage, count(DISTINCT coalesce(t.order_id, CAST(t.customer_id AS VARCHAR))) AS deals
            FROM transactions_all t WHERE t.status IS NOT NULL AND {where} GROUP BY 1""", args)
        if deals.empty:
            raise DataError("no deals match the period and filters: widen them.")
        stages, lost = self._order([str(s) for s in deals.stage])
        if len(stages) < 2 and not (stages and lost):  # won and lost deals alone (no open one in the period): a win rate
            raise DataError(f"the deal export holds fewer than two pipeline stages ({', '.join(stages) or 'none'}): "
                            "no funnel to show.")
        count = dict(zip(deals.stage.astype(str), deals.deals.astype(int)))
        n_lost = sum(count.get(s, 0) for s in lost)
        won = count.get(stages[-1], 0)
        reached = [sum(count.get(s, 0) for s in stages[i:]) + (n_lost if i == 0 else 0) for i in range(len(stages))]
        rows = [{"stage": s, "deals now": count.get(s, 0), "reached": reached[i],
                 "overall conversion": round(reached[i] / reached[0], 6),
                 "step conversion": round(reached[i] / reached[i - 1], 6) if i and reached[i - 1] else None,
                 "lost at step": reached[i - 1] - reached[i] if i else None} for i, s in enumerate(stages)]
        funnel = pd.DataFrame(rows)
        funnel["lost at step"] = funnel["lost at step"].astype("Int64")
        if n_lost:
            self.warnings.append(f"{n_lost:,} lost deal(s) ({', '.join(lost)}): the export does not say at which "
                                 f"stage they were lost, so they count at {stages[0]} only")
        drop = _biggest_drop(stages, reached)
        tcols = self.ds.columns("transactions")
        created = next((c for c in sorted(tcols) if "created" in c), None) or \
            next((c for c in sorted(tcols) if "engage" in c), None)
        days = None
        if created:
            days = self.ds.scalar(f"""
                SELECT median(date_diff('day', TRY_CAST(t.{qi(created)} AS DATE), CAST(t.order_date AS DATE)))
                FROM transactions_all t WHERE t.status = ? AND {where}""", [stages[-1], *args])
            if days is None:
                self.warnings.append(f"the column {created!r} does not read as dates: no time to close")
        tables = [Table.from_frame("funnel", funnel, "Pipeline funnel (deals reaching each stage)")]
        charts = [Chart(kind="funnel", title="Pipeline funnel", table="funnel", x="stage", y=["reached"])]
        splits = [self._split(d, stages, lost, where, args) for d in self.p.by if d not in ("customer", "customer_id")]
        tables += splits
        charts += [Chart(kind="bar", title=t.title, table=t.name, x=t.columns[0], y=["win rate"]) for t in splits]
        summary = render("journey_deals.md.j2", stages=stages, funnel=rows, drop=drop, won=won, lost=n_lost,
                         lost_stages=[s for s in lost if count.get(s)],
                         deals=reached[0], win_rate=won / (won + n_lost) if won + n_lost else None,
                         won_share=won / reached[0] if reached[0] else 0,
                         days=days, created=created, splits=[self._split_fact(t) for t in splits],
                         unplaced=[(s, count.get(s, 0)) for s in self.unplaced if count.get(s)])
        return Answer(analysis=analysis.name, title="Deal pipeline funnel", summary=summary, tables=tables,
                      charts=charts,
                      warnings=self.warnings, follow_ups=["revenue per quarter"],
                      provenance=Provenance(method="each deal's current stage in pipeline order; a deal reaches every "
                                                   "stage up to its current one; lost deals count at the first stage",
                                            rows_used=int(reached[0])))


    def _split(self, dim: str, stages: list[str], lost: list[str], where: str, args: list) -> Table:
        """Deals, won, lost, win rate and overall conversion per value of ``dim`` (a column of the deals,
        a customer attribute, or the period of the close date)."""
        if dim == "status":
            raise DataError(kit.unknown(self.ds, dim, "split the deals"))
        d = kit.dimension(self.ds, dim, self.p.grain, doing="split the deals")
        expr, join, name = d.expr, d.join, self.p.grain if d.origin == "period" else dim
        self.warnings += [w for w in d.warnings if w not in self.warnings]
        long = self.ds.query(f"""
            SELECT {expr} AS k, t.status AS stage,
                   count(DISTINCT coalesce(t.order_id, CAST(t.customer_id AS VARCHAR))) AS deals
            FROM transactions_all t {join} WHERE t.status IS NOT NULL AND {where} GROUP BY 1, 2""", args)
        wide = long.pivot_table(index="k", columns="stage", values="deals", aggfunc="sum", fill_value=0)
        wide = wide.reindex(columns=stages + lost, fill_value=0)
        frame = pd.DataFrame({"deals": wide.sum(axis=1), "won": wide[stages[-1]], "lost": wide[lost].sum(axis=1),
                              "open": wide[stages[:-1]].sum(axis=1)})
        frame["win rate"] = (frame.won / (frame.won + frame.lost).where(frame.won + frame.lost > 0)).round(6)
        frame["overall conversion"] = (frame.won / frame.deals.where(frame.deals > 0)).round(6)
        frame.index = frame.index.astype(str)
        if dim == "period":
            frame = frame.sort_index()
            frame.index = frame.index.map(lambda k: period_value(k, self.p.grain)).rename("k")
        else:
            frame = frame.sort_values(["deals", "won"], ascending=False, kind="stable")
        frame = frame.reset_index().rename(columns={"k": name})
        return Table.from_frame(f"deals_by_{name}", frame, f"Deals and win rate by {name.replace('_', ' ')}",
                                max_rows=400 if dim == "period" else self.p.top)

    @staticmethod
    def _split_fact(t: Table) -> dict:
        f = t.frame.dropna(subset=["win rate"])
        if f.empty:
            return {"dim": t.columns[0].replace("_", " "), "best": None}
        best = f.loc[f["win rate"].idxmax()]
        return {"dim": t.columns[0].replace("_", " "), "best": str(best.iloc[0]), "rate": best["win rate"],
                "won": int(best.won), "closed": int(best.won + best.lost)}


@hookimpl
def register_analyses(register):
    register(Journey())
