"""persona: one persona per customer segment (or the segment asked for), with the fields of the
Persona tool (seed 002): name, role/position, company or household, relationships, products used,
tasks, goals, circumstances, troubles, motivations and dreams.

What the data supports is filled from the data: typical age, location, products, spend, how often
they buy, channel, satisfaction (average score, NPS on a 0-10 scale) and the words of their comments
where feedback exists, company facts (industry, size) or household facts (partner, dependents) where
the customers table has them. Everything else is marked as an assumption to validate, with the
interview question to ask. The name is invented, as in the tool.

Personas describe the saved segments, which they get from the Session (``Session.ensure_segments``
and ``Session.segment_profiles``): with none saved, the default segmentation runs first (RFM with
sales, attribute segments on a customers table alone); an RFM segment asked for by name ("the at
risk customers") when the saved segments are of another kind computes the RFM segments.
``write_personas(answer, folder, fmt)`` writes one Markdown or HTML file per persona ("export
personas").
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, field_validator

from custlens import hookimpl
from custlens.analysis import Analysis, Params
from custlens.answer import Answer, Provenance, Table
from custlens.errors import CustlensError, ParamsError
from custlens.templates import environment, pct, render


#: the Persona tool's fields: (field, interview question to validate it)
QUESTIONS = {
    "role / position": "What is your position, and what part do you play when your company or household buys?",
    "company or household": "Tell us about your company (or household): what does it do, how big is it, who uses "
                            "what you buy from us?",
    "relationships": "Who do you work with, inside and outside, when you choose and use products like ours?",
    "products used": "Which of our products do you use, how much, and what for?",
    "tasks": "What tasks do you have to do that our products help with (or should)?",
    "goals": "What goals must you help your stakeholders (company, family) achieve?",
    "circumstances": "What affects when and how much you buy that neither of us controls?",
    "troubles": "What troubles you most in those tasks, responsibilities and room to manoeuvre?",
    "motivations": "Why did you choose us, and what would make you buy more often?",
    "dreams": "If we could solve one thing for you, personally or professionally, what would it be?",
}
NAMES = {"F": ("Anna", "Maria", "Sofia", "Laura", "Emma", "Julia", "Chloe", "Hannah", "Grace", "Nora", "Elena"),
         "M": ("Lukas", "David", "Thomas", "Max", "Daniel", "Paul", "Noah", "Marco", "Felix", "Oliver", "Adam"),
         "": ("Alex", "Sam", "Robin", "Kim", "Charlie", "Jordan", "Taylor", "Morgan", "Jamie", "Casey", "Riley")}
DEMOGRAPHIC = {"country", "region", "gender", "customer type", "industry", "company size"}
HOUSEHOLD = re.compile(r"partner|dependent|child|family|household|married|marital|senior")
PERSONAL = re.compile(r"\b(female|male|gender|sex|age|income|education)\b")
DATA = "data"
ASSUMED = "assumption to validate"


class PersonaParams(Params):
    segment: str | None = Field(None, description="the segment to describe (\"for the champions\"); all by default")
    top: int = Field(12, ge=1, le=50, description="most personas to write (largest segments first)")
    k: int | None = Field(None, ge=2, le=50, description="personas asked for (\"3 personas\"): the customers are "
                          "clustered into k segments first (k-means), one persona each")
    filters: dict[str, list[str]] = Field(default_factory=dict, description="personas of these customers only "
                                          "(\"personas for our B2B buyers\"): they are segmented first")
    by: list[str] = Field(default_factory=list, description="one persona per value of these attributes (\"personas per "
                          "industry\"): the customers are segmented by them first (attribute segmentation)")

    @field_validator("segment", mode="before")
    @classmethod
    def _rfm_name(cls, value):
        """"at-risk", "champion", "potential loyalists": the RFM segment's own name."""
        from custlens import slots as slotlib

        if isinstance(value, str):
            return slotlib.rfm_name(value) or value
        return value


class Persona(Analysis):
    name = "persona"
    title = "Personas"
    summary = "A persona per customer segment: who they are, what they buy and spend (from the data), and what " \
              "to ask in interviews about their goals, troubles, motivations and dreams."
    documents = "personas"  # "export personas" writes one file each (write_documents)
    examples = [
        "create personas for our segments",
        "describe a typical champion customer as a persona",
        "write a persona for the at risk customers",
        "who is our typical customer",
        "persona for each customer segment",
        "what does a typical loyal customer look like",
        "build buyer personas from the data",
        "give the segments a face",
        "describe our customer types in detail",
        "customer profile for the champions",
        "export personas",
        "personas with goals troubles motivations and dreams",
        "persona cards with the facts behind each trait",
        "imagine a customer from each group",
        "make a customer avatar for our best buyers",
        "what drives our customers as people",
        "the motivations and dreams of our buyers",
        "persona of a typical customer in each segment",
        "who is the person behind our best segment",
    ]
    Params = PersonaParams
    #: "a persona for the at risk customers": the segment named after for/of, an RFM name included
    #: (slots read "at risk" as a segment only beside the word segment)
    #: ("what does a typical champion look like", "a loyal pet buyer"); PersonaParams spells it as the RFM name
    phrases = {"segment": {r"\b(?:for|of|about|typical|an?)\s+(?:the\s+|our\s+|my\s+|an?\s+)?(?:typical\s+)?"
                           r"(champions?|loyal|at[- ]risk|new|lost|"
                           r"promising|hibernating|need\s+attention|about\s+to\s+sleep|can'?t\s+lose\s+them|"
                           r"potential\s+loyalists?)(?:\s+(?:customers?|clients|buyers?|accounts?|segment|group|ones|"
                           r"[a-z]+\s+(?:category\s+)?buyers?))?\b": r"\1"}}
    requires = {}  # sales or a customers table, as segmentation
    requires_any = [{"transactions": ["customer_id"]}, {"customers": ["customer_id"]}]

    @staticmethod
    def _segment_first(session, params: PersonaParams) -> str:
        """"3 personas", "personas for our B2B buyers", "a persona per industry": the segmentation that makes
        those segments runs first (k-means into k; by the attributes; of the filtered customers only), and its
        segments are saved;
        a named RFM segment ("a loyal pet buyer") is looked for among RFM segments."""
        from custlens import slots as slotlib

        maker = session._segmenter()
        if maker is None:
            raise CustlensError("personas of a number of segments or of some customers need an analysis that makes "
                                "segments (segmentation), and none is installed")
        asked: dict = {}
        if params.by:  # "personas per industry": one segment per value, then a persona each
            asked.update(method="attributes", by=list(params.by))
        elif params.k:
            asked["k"] = params.k
        elif params.segment and params.segment.lower() in {n.lower() for n in slotlib.RFM_SEGMENTS.values()}:
            asked["method"] = "rfm"
        if params.filters:
            asked["filters"] = params.filters
        done = session.run(maker, asked)
        scope = "; ".join(f"{c} = {', '.join(map(str, v))}" for c, v in params.filters.items())
        return (f"segmented {'the customers with ' + scope if scope else 'the customers'} first "
                f"({done.table('segments').total_rows} {session.dataset.segment_method} segments, now the saved ones)")

    @staticmethod
    def write_documents(answer: Answer, folder: Path, fmt: str = "md") -> list[Path]:
        return write_personas(answer, folder, fmt)

    def run(self, dataset, params: PersonaParams, session=None) -> Answer:
        if session is None:
            raise CustlensError("personas are made through a Session (session.run(\"persona\", ...)), which "
                                "provides the segments")
        # the segments come from the Session: saved ones, else computed ("the at risk customers"
        # after a segmentation by age are the RFM ones: Session.ensure_segments)
        if params.k or params.filters or params.by:
            note = self._segment_first(session, params)
        else:
            note = session.ensure_segments([params.segment] if params.segment else [])
        warnings = [note] if note else []
        profiles = session.segment_profiles()
        chosen = sorted(profiles.values(), key=lambda p: (-p["customers"], p["segment"]))
        if params.segment:
            chosen = [find_segment(params.segment, profiles)]
        elif len(chosen) > params.top:
            warnings.append(f"{params.top} personas for the largest of {len(chosen)} segments; ask for one by name "
                            "(\"persona for the at risk customers\")")
            chosen = chosen[:params.top]
        total = sum(p["customers"] for p in profiles.values())
        personas = [build_persona(p, i, total) for i, p in enumerate(chosen)]
        summary = "\n\n---\n\n".join(persona_markdown(p) for p in personas)
        fields = fields_frame(personas)  # every row kept, so the personas can be rebuilt from JSON
        return Answer(analysis=self.name, title=f"{self.title} ({dataset.segment_method} segments)", summary=summary,
                      tables=[Table.from_frame("personas", personas_frame(personas), "Personas"),
                              Table.from_frame("persona_fields", fields, "Persona fields: from the data or to "
                                               "validate in interviews", max_rows=len(fields))],
                      warnings=warnings,
                      follow_ups=["export personas", "which four segments should we focus on"],
                      provenance=Provenance(method="SQL profiles of the saved segments (customers, sales, feedback), "
                                                   "rendered with prompts_and_templates/persona.md.j2",
                                            rows_used=total))




def find_segment(asked: str, profiles: dict[str, dict]) -> dict:
    """The segment named by ``asked``, ignoring case, spaces, punctuation and a plural s
    ("at-risk customers" finds "At risk")."""
    import difflib

    from custlens.session import segment_key

    want = segment_key(asked)
    for name, p in profiles.items():
        if segment_key(name) == want:
            return p
    close = difflib.get_close_matches(asked, list(profiles), n=2, cutoff=0.4)
    hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise ParamsError(f"no segment {asked!r} is saved.{hint} Segments: {', '.join(sorted(profiles))}.")


def _fact(p: dict, attribute: str):
    return next((f for f in p["facts"] if f["attribute"] == attribute), None)


def build_persona(p: dict, index: int, total: int) -> dict:
    """One persona: the seed's fields (from data where it has them, else an assumption with its
    interview question) and the data facts behind them."""
    gender = _fact(p, "gender")
    pool = NAMES.get(str(gender["value"]).upper()[:1] if gender and gender["share"] >= 0.5 else "", NAMES[""])
    first = pool[index % len(pool)]
    b2b = p["b2b"] is not None and p["b2b"] >= 0.5
    industry, size = _fact(p, "industry"), _fact(p, "company size")
    sales = p["sales"]
    data: list[tuple[str, str]] = []  # (field, value) from the data
    if p["age"] is not None:
        data.append(("typical age", f"{p['age']:.0f} (median)"))
    place = [f for f in (_fact(p, "country"), _fact(p, "region")) if f]
    if place:
        data.append(("location", "; ".join(f"mostly {f['value']} ({pct(f['share'], 0)})" for f in place)))
    if sales:
        data.append(("spend", f"{sales['per_customer']:,.2f} per customer, {sales['per_order']:,.2f} per order"))
        often = f"{sales['orders']:.1f} orders per customer"
        often += f", one every {sales['days_between']:.0f} days" if sales["days_between"] else ", one order each"
        data.append(("frequency", often))
    if p["channel"]:
        data.append(("channel", f"{p['channel']['value']} ({pct(p['channel']['share'], 0)} of order lines)"))
    if p["satisfaction"]:
        s = p["satisfaction"]
        nps = f", NPS {s['nps']:+d}" if s["nps"] is not None else ""
        data.append(("satisfaction", f"average score {s['score']:.2f}{nps} ({s['responses']} answers)"))
    if p["words"]:
        data.append(("comment words", ", ".join(p["words"])))
    if p["churn_rate"] is not None:
        data.append(("churn rate", f"{pct(p['churn_rate'])}"))
    for column, value in p["numbers"].items():
        if value is not None:
            data.append((column.replace("_", " "), f"{value:,.4g} (median)"))

    fields = {}
    def assume(field: str, hypothesis: str = "not in the data"):
        fields[field] = (hypothesis, ASSUMED, QUESTIONS[field])

    if b2b:
        assume("role / position", "buys for a business (B2B): probably an owner, manager or purchaser")
        company = [f"{f['attribute']}: mostly {f['value']} ({pct(f['share'], 0)})" for f in (industry, size) if f]
        if company:
            fields["company or household"] = ("; ".join(company), DATA, QUESTIONS["company or household"])
        else:
            assume("company or household")
    else:
        assume("role / position", "private customer (B2C)" if p["b2b"] is not None else "not in the data")
        home = [f["phrase"] for f in p["facts"] if HOUSEHOLD.search(f["attribute"])]
        if home:
            fields["company or household"] = ("; ".join(home), DATA, QUESTIONS["company or household"])
        else:
            assume("company or household")
    assume("relationships")
    products = [c["value"] for c in p["top_products"]] or [c["value"] for c in p["top_categories"]]
    owned = [f["phrase"] for f in p["facts"] if f["attribute"] not in DEMOGRAPHIC
             and not HOUSEHOLD.search(f["attribute"]) and not PERSONAL.search(f["attribute"])]
    if products or owned:
        text = ("buys most: " + ", ".join(products)) if products else "; ".join(owned)
        if products and p["top_categories"]:
            text += " (categories: " + ", ".join(c["value"] for c in p["top_categories"]) + ")"
        fields["products used"] = (text, DATA, QUESTIONS["products used"])
    else:
        assume("products used")
    assume("tasks")
    assume("goals")
    assume("circumstances", "; ".join(v for k, v in data if k in ("location", "channel")) or "not in the data")
    if p["complaint_words"]:
        fields["troubles"] = (f"low-score comments mention: {', '.join(p['complaint_words'])}", ASSUMED,
                              QUESTIONS["troubles"])
    else:
        assume("troubles")
    assume("motivations")
    assume("dreams")
    label = p["segment"]
    return {"name": f"{first}, one of the {label}" if not label[0].isdecimal() else f"{first} ({label})",
            "segment": label, "customers": p["customers"], "share": p["customers"] / total if total else None,
            "data": data,
            "fields": [{"field": k, "value": v[0], "source": v[1], "question": v[2]} for k, v in fields.items()]}


def persona_markdown(persona: dict) -> str:
    return render("persona.md.j2", p=persona)


def persona_html(persona: dict) -> str:
    return environment().get_template("persona.html.j2").render(p=persona)


def personas_frame(personas: list[dict]):
    import pandas as pd

    rows = []
    for p in personas:
        data = dict(p["data"])
        rows.append({"persona": p["name"], "segment": p["segment"], "customers": p["customers"],
                     "share of customers": round(p["share"], 6) if p["share"] is not None else None,
                     **{k: data.get(k) for k in ("typical age", "location", "spend", "frequency", "channel",
                                                 "satisfaction", "churn rate")},
                     "to validate": sum(f["source"] == ASSUMED for f in p["fields"])})
    frame = pd.DataFrame(rows)
    return frame.dropna(axis=1, how="all")


def fields_frame(personas: list[dict]):
    """Every field of every persona, long: persona, segment, customers, field, value, source, question.
    The data facts come first (source "data"); ``write_personas`` rebuilds the personas from it."""
    import pandas as pd

    rows = []
    for p in personas:
        base = {"persona": p["name"], "segment": p["segment"], "customers": p["customers"], "share": p["share"]}
        rows += [{**base, "field": k, "value": v, "source": "data fact", "question": ""} for k, v in p["data"]]
        rows += [{**base, **f} for f in p["fields"]]
    return pd.DataFrame(rows, columns=["persona", "segment", "customers", "share", "field", "value", "source",
                                       "question"])


def personas_from_answer(answer: Answer) -> list[dict]:
    """The personas of a ``persona`` answer, rebuilt from its persona_fields table (works on an
    answer read back from JSON too)."""
    import pandas as pd

    try:
        frame = answer.table("persona_fields").frame
    except KeyError:
        raise CustlensError("this answer has no personas to export; ask for personas first "
                            "(\"create personas for our segments\").") from None
    out = []
    for name, rows in frame.groupby("persona", sort=False):
        first = rows.iloc[0]
        facts = rows[rows["source"] == "data fact"]
        fields = rows[rows["source"] != "data fact"]
        out.append({"name": name, "segment": first["segment"], "customers": int(first["customers"]),
                    "share": None if pd.isna(first["share"]) else float(first["share"]),
                    "data": list(zip(facts["field"], facts["value"])),
                    "fields": fields[["field", "value", "source", "question"]].to_dict("records")})
    return out


def write_personas(answer: Answer, folder: str | Path, fmt: str = "md") -> list[Path]:
    """Write one file per persona of a ``persona`` answer into ``folder`` (created if needed):
    ``persona_<segment>.md`` (or ``.html``). Returns the paths written."""
    if fmt not in ("md", "html"):
        raise ParamsError(f"personas export as md or html, not {fmt!r}")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise CustlensError(f"{folder} is a file; give a folder for the persona files")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for persona in personas_from_answer(answer):
        slug = re.sub(r"[^a-z0-9]+", "_", persona["segment"].lower()).strip("_") or "segment"
        path = folder / f"persona_{slug}.{fmt}"
        path.write_text(persona_markdown(persona) if fmt == "md" else persona_html(persona), encoding="utf-8")
        written.append(path)
    return written


@hookimpl
def register_analyses(register):
    register(Persona())
