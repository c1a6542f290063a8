"""feedback: what customers say in comments, reviews and tickets (the qualitative data).

- Themes: TF-IDF over the comments and NMF (scikit-learn); each theme with its top words, size,
  average score and sentiment, trend over time, example comments, and where and when it
  concentrates (the place, a customer's country or region, and the months where the theme's share
  of comments is highest).
- Sentiment per comment from an offline lexicon (``prompts_and_templates/sentiment_lexicon.yaml``,
  documented there).
- Complaints (detractor scores, or negative sentiment where there is no score) by product, topic
  or department, period, country/region, saved segment or any attribute (``by``).
- What promoters praise and what detractors complain about (themes and words), where scores exist
  (on 1-5 ratings: what 4-5 ratings praise and 1-2 ratings complain about; NPS words only on 0-10).
- A subject named in the question ("what do customers say about fit", "reviews that mention size"):
  only the comments that mention it (the word and its forms: fit, fits, fitting), how many, and
  their themes, sentiment and examples; a subject that is a value of the data (a topic "delivery",
  a product) is a filter on that value instead.
- Consultations (enquiries by department/topic and product, time to resolution) where the data has
  a resolution date or time.

SQL selects the comments (with the customer's country and region); text work runs in
scikit-learn on the distinct comments; pandas aggregates one row per comment.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import re
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from custlens import hookimpl, kit, schema
from custlens.analysis import Analysis, ScopedParams
from custlens.answer import Answer, Chart, Provenance, Table
from custlens.dataset import qi
from custlens.errors import DataError
from custlens.templates import period_value, render

LEXICON = "sentiment_lexicon.yaml"
#: comments the theme and word models are fitted on at most (a random sample; every comment is then assigned)
FIT_SAMPLE = 20_000
#: responses an engine other than DuckDB sends back at most (a sample drawn in the engine by a hash
#: of each response, the same on every run); the answer's provenance says when it was drawn
ENGINE_SAMPLE = 200_000
#: fewest comments with text to look for themes
MIN_COMMENTS = 20
#: a hotspot cell needs this many comments of the theme
MIN_HOTSPOT = 8
#: column types whose frame through Arrow is the one ``Dataset.query`` gives (``Dataset.query_arrow``)
ARROW_SAME = frozenset({"VARCHAR", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "DOUBLE", "TIMESTAMP"})
#: column-name words that say a feedback column holds when an enquiry was resolved, or how long it took
RESOLVED_WORDS = ("resolved", "resolution", "closed", "solved")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
#: NMF's rounds at most: coordinate descent on a few hundred short comments can need over 500 to
#: converge (500 left a ConvergenceWarning on the real reviews of one department); one that still has
#: not converged is said in the answer's notes
NMF_MAX_ITER = 3000
#: words after "about" that name no subject of the comments ("what do customers say about us",
#: "complain about most", "how about april"): no scope
NOT_SUBJECTS = frozenset("""
    us you we it them they this that these those our their your my me him her its what which who how why when where
    there here anything everything something nothing stuff things thing product products item items company brand
    store shop business us? all most more less much many lot lots overall general generally the a an
    in on at by for from of to with and or but not no only just last this next each every any some other others
    today yesterday week month quarter year time times january february march april may june july august september
    october november december people reviews review comments comment feedback
""".split())


def _read_dates(values: pd.Series) -> pd.Series | None:
    """``values`` as dates by the first of ``schema.DATE_FORMATS`` that reads nine in ten of them
    (a day-first "01-06-2023 12:15" as written, never guessed value by value), or None when no
    format does: free text is no dates."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return None
    sample = text.head(500)
    for fmt in schema.DATE_FORMATS:
        if pd.to_datetime(sample, format=fmt, errors="coerce").notna().mean() >= 0.9:
            return pd.to_datetime(values.astype("string").str.strip(), format=fmt, errors="coerce")
    return None


# ---------------------------------------------------------------------- sentiment
@functools.lru_cache(maxsize=None)
def lexicon() -> dict:
    import yaml

    text = importlib.resources.files("custlens.prompts_and_templates").joinpath(LEXICON).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {"words": {str(k): float(v) for k, v in data["words"].items()},
            "negators": {str(w).replace("'", "") for w in data["negators"]},
            "intensifiers": {str(w) for w in data["intensifiers"]},
            "theme_stop_words": {str(w) for w in data.get("theme_stop_words", [])}}


def tokens(text: str) -> list[str]:
    return [t.replace("'", "") for t in _TOKEN.findall(str(text).lower())]


def sentiment(text: str) -> float:
    """-1 (negative) .. +1 (positive) from the lexicon, with negation and intensifiers."""
    lex = lexicon()
    words, total = tokens(text), 0.0
    for i, w in enumerate(words):
        score = lex["words"].get(w)
        if not score:
            continue
        if i and words[i - 1] in lex["intensifiers"]:
            score *= 1.3
        if any(p in lex["negators"] for p in words[max(0, i - 3):i]):
            score *= -0.74
        total += score
    return total / math.sqrt(total * total + 15)


@functools.lru_cache(maxsize=None)
def _known_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | frozenset(lexicon()["words"])


def looks_english(text: str) -> bool:
    """False for a comment of 3+ words of which almost none is an English function word or a
    lexicon word (another language: the lexicon and the theme stop words are English)."""
    words = tokens(text)
    if len(words) < 3:
        return True
    known_words = _known_words()
    known = sum(w in known_words for w in words)
    return known / len(words) >= 0.15


def _sample(texts: pd.Series) -> pd.Series:
    """At most FIT_SAMPLE of the comments (a fixed random sample): enough to learn words and themes."""
    return texts.sample(FIT_SAMPLE, random_state=0) if len(texts) > FIT_SAMPLE else texts


def theme_phrase(words: list[str], comments: list[str], longest: int = 6) -> str:
    """A theme's label as a person would say it: the shortest run of words (at most ``longest``)
    in one of its most typical ``comments`` that holds the most of its top ``words`` ("far too
    expensive" for the words far, far expensive, expensive); when no comment holds two of them
    together, the shortest sentence with its top word (or the two top words).
    A comment's words are data: the label is built from them, never read as markup."""
    import re

    keys = list(dict.fromkeys(w for term in words[:6] for w in term.split()))[:4]
    said = [" ".join(t.lower() for t in re.findall(r"[A-Za-z][A-Za-z'-]*", c)) for c in comments]
    runs: dict[str, int] = {}  # each run of words from a top word to another -> how many top words it holds
    for lower in (x.split() for x in said):
        for i in range(len(lower)):
            if lower[i] not in keys:
                continue
            for j in range(i + 1, min(len(lower), i + longest)):
                if lower[j] in keys:
                    runs[" ".join(lower[i:j + 1])] = len(set(lower[i:j + 1]) & set(keys))
    if runs:
        # the top words held, times the typical comments that say the run: a theme whose top words two
        # complaints share ("far too expensive", "far too big and wasteful") is named after the one most
        # of its comments make; then fewer words in all
        def score(run: str) -> tuple[int, int, str]:
            support = sum(f" {run} " in f" {x} " for x in said)
            return runs[run] * support if runs[run] > 1 else support // 2, -len(run.split()), run
        best = max(runs, key=score)
        if score(best)[0] > 0:
            return best
    # else the shortest sentence of a typical comment that holds the top word ("very well made and sturdy")
    sentences = [" ".join(re.findall(r"[A-Za-z][A-Za-z'-]*", part)).lower() for c in comments
                 for part in re.split(r"[.!?;]+", c)]
    fitting = [x for x in sentences if keys and keys[0] in x.split() and len(x.split()) <= 8]
    return min(fitting, key=lambda x: (len(x.split()), x)) if fitting else " / ".join(keys[:2]) or "(no words)"


def _label(value: float) -> str:
    return "positive" if value >= 0.05 else "negative" if value <= -0.05 else "neutral"


# ---------------------------------------------------------------------- params and analysis
class FeedbackParams(ScopedParams):
    k: int = Field(5, ge=2, le=20, description="themes to find among the complaints, and among the other comments")
    by: list[str] = Field(default_factory=list, description="complaints by these: product, topic, period, country, "
                          "region, segment or any column")
    grain: Literal["day", "week", "month", "quarter", "year"] = "quarter"
    top: int = Field(10, ge=1, le=10_000, description="rows to show per table")
    about: list[str] = Field(default_factory=list, description="subjects the comments must mention (any of them): "
                             "'about fit', 'mention size'; a subject that is a value of the data is a filter instead")

    @field_validator("about", mode="before")
    @classmethod
    def _subjects(cls, value):
        """"about the fit and sizing" -> ["fit", "sizing"]; "mentioning 'runs small'" -> ["runs small"]; a
        word that names no subject ("about us", "complain about most") is left out."""
        if not isinstance(value, str):
            return value
        text = re.sub(r"^\W*(?:talk(?:s|ed|ing)?\s+)?(?:about|regarding|concerning|that\s+mentions?|mention(?:s|ed|ing)?"
                      r"(?:\s+of)?)\s+", "", value.strip().lower())
        quoted = re.findall(r"['\"]([^'\"]{2,40})['\"]", text)
        if quoted:
            return [q.strip() for q in quoted]
        out = []
        for part in re.split(r"\s*(?:,|/|&|\band\b|\bor\b)\s*", text):
            words = [w.strip("'\"?.!,") for w in part.split() if w not in ("the", "a", "an", "our", "their", "its")]
            if words and words[0] not in NOT_SUBJECTS and not words[0][:1].isdecimal() and len(words[0]) > 1:
                # "customer service": the customer's what, one subject of two words
                two = words[0] in ("customer", "customers", "client") and len(words) > 1 and words[1] not in NOT_SUBJECTS
                out.append(" ".join(words[:2]) if two else words[0])
        return [w for w in dict.fromkeys(out) if w]

    @model_validator(mode="after")
    def _not_a_value(self):
        """A subject the question also named as a value of the data ("about delivery" where the topic
        delivery is the filter) is that filter, not words to find: left out (and off the first line)."""
        said = {str(v).lower() for vs in self.filters.values() for v in (vs if isinstance(vs, list) else [vs])}
        self.about = [a for a in self.about if not any(re.search(mention_pattern(a), v) or a.rstrip("s") in v
                                                       for v in said)]
        return self


def mention_pattern(subject: str) -> str:
    """A regex for ``subject`` and its forms in a comment: "size" finds size, sizes, sized, sizing;
    "shipping" finds ship, shipped; "delivery" finds delivered (each word from its stem on)."""
    parts = []
    for word in subject.split():
        stem = word
        m = re.match(r"^(.{3,}?)(?:ies|es|s|ing|ed|y|e)$", word)
        if m:
            stem = m.group(1)
            if re.search(r"(ing|ed)$", word) and re.search(r"([b-df-hj-np-tv-z])\1$", stem):
                stem = stem[:-1]  # "shipping" -> "ship"
        parts.append(re.escape(stem) + r"\w*")
    return r"\b" + r"\W+".join(parts)


class Feedback(Analysis):
    name = "feedback"
    title = "Customer feedback: themes, sentiment and complaints"
    summary = "Themes in comments and reviews, sentiment, complaints by product/region/period, promoters vs detractors."
    examples = [
        "what do customers complain about",
        "main themes in the customer comments",
        "analyse the reviews",
        "sentiment of customer feedback",
        "complaints by product",
        "complaints by region and month",
        "what do promoters praise and detractors complain about",
        "what are people saying in the survey comments",
        "topics in the support tickets",
        "negative reviews by country",
        "customer opinions about our products",
        "how long do we take to resolve enquiries",
        "enquiries by department",
        "is there a spike in complaints",
        "why are detractors unhappy",
        "text analysis of the NPS comments",
        "what do customers like about us",
        "what do unhappy customers write in their comments",
        "detractor comments and their topics",
        "what do the reviews say about delivery",
        "support tickets by topic",
        "what do customers say about fit",
        "reviews that mention size",
        "what do the 1 and 2 star reviews say",
    ]
    Params = FeedbackParams
    requires = {"feedback": ["text"]}
    #: its ``product`` narrows the feedback to that product: in a conversation it is scope, as a filter
    product_narrows = True
    narrowing = ("about",)
    #: "what do customers say about fit", "reviews that mention size": the comments that mention it
    #: (no group: the words stay in the question, so "about delivery" is still the topic delivery where
    #: the data has it, and ``run`` then does not also match the word)
    phrases = {"about": {r"(?<!how )\b(?:about|regarding|concerning|mention(?:s|ed|ing)?(?:\s+of)?)\s+(?:the\s+|our\s+|"
                         r"their\s+|its\s+|an?\s+)?(?:'[^']{2,40}'|\"[^\"]{2,40}\"|[a-z][\w'-]*(?:\s*(?:,|/|&|and|or)"
                         r"\s*(?:the\s+)?[a-z][\w'-]*)*)": r"\g<0>"}}

    def run(self, dataset, params: FeedbackParams) -> Answer:
        warnings: list[str] = []
        rows = self._rows(dataset, params)
        rows, about = self._about(rows, params)
        total = len(rows)
        has_text = rows.text.notna()
        if not has_text.any():
            raise DataError(f"the feedback has no comment text in any of its {total:,} rows (in this period and "
                            "filters), so there are no themes or sentiment to find. Map the column that holds the "
                            "comments with --map text=COLUMN.")
        if (~has_text).any():
            warnings.append(f"{int((~has_text).sum()):,} of {total:,} feedback rows have an empty comment: left out of "
                            "themes and sentiment (their scores still count in complaint rates)")
        texts = rows.text[has_text]
        english = {t: looks_english(t) for t in texts.unique()}
        foreign = has_text & ~rows.text.map(english).fillna(True).astype(bool)
        if foreign.any():
            example = rows.text[foreign].iloc[0]
            warnings.append(f"{int(foreign.sum()):,} comment(s) look like another language (e.g. {example[:60]!r}): the "
                            "sentiment lexicon and the theme stop words are English, so they are left out of themes "
                            "and sentiment")
        usable = has_text & ~foreign
        if not usable.any():
            raise DataError(f"all {int(has_text.sum()):,} comments look like another language than English (e.g. "
                            f"{rows.text[has_text].iloc[0][:60]!r}); themes and sentiment work on English text only.")
        rows["sentiment"] = np.nan
        texts = rows.text[usable]
        scores = {t: sentiment(t) for t in texts.unique()}
        rows.loc[usable, "sentiment"] = texts.map(scores).round(4)
        scale = self._scale(rows)
        rows["complaint"] = self._complaints(rows, scale)
        tables, charts = [], []
        theme_facts: list[dict] = []
        themes = vec = None
        if usable.sum() >= MIN_COMMENTS:
            themes, vec = self._themes(rows, usable, params)
        if themes is not None and themes["unconverged"]:
            warnings.append(f"the theme model had not settled after {NMF_MAX_ITER:,} rounds: the themes are "
                            "approximate (comments near two themes may fall in either)")
        if themes is not None:
            theme_table, trend, hotspots = self._theme_tables(rows, themes, params)
            tables += [t for t in (theme_table, trend, hotspots) if t is not None]
            charts.append(Chart(kind="bar", title="Themes by number of comments", table="themes", x="theme",
                                y=["comments"]))
            if trend is not None:
                charts.append(Chart(kind="line", title=trend.title, table=trend.name, x=trend.columns[0],
                                    y=trend.columns[1:]))
            theme_facts = self._theme_facts(theme_table, hotspots)
        else:
            warnings.append(f"only {int(usable.sum())} comments with English text: at least {MIN_COMMENTS} (among the "
                            "complaints or the other comments) are needed to find themes")
        tables.insert(0, Table.from_frame("comments", self._comment_frame(rows), "Comments with their sentiment and "
                                          "theme", max_rows=params.top))
        dims = list(params.by) or [d for d in ("product", "topic", "period", "country", "region")
                                   if d == "period" and rows.date.notna().any() or d in rows and rows[d].notna().any()]
        for i, d in enumerate(dims):  # "complaints by department" (category) in a reviews file: its Department Name
            column = None if d in rows or d in ("period", "customer", "customer_id") or \
                self._customer_attr(dataset, d) is not None else kit.stand_in(dataset, d, "feedback")
            if column is not None:
                dims[i] = column
                warnings.append(kit.stood_in(d, column))
        complaint_tables = [self._by(dataset, rows, d, params) for d in dims if d not in ("customer", "customer_id")]
        tables += complaint_tables
        charts += [Chart(kind="bar", title=t.title, table=t.name, x=t.columns[0], y=["complaints"])
                   for t in complaint_tables]
        groups = None
        if scale and themes is not None:
            groups = self._promoters_vs_detractors(rows, usable, themes, vec, scale)
            tables += list(groups)
        consult = self._consultations(rows)
        tables += consult
        summary = render(
            "feedback.md.j2", f=self._facts(rows, usable, scale), themes=theme_facts, about=about,
            complaints=[self._top_row(t) for t in complaint_tables],
            words=groups[1].frame["words"].tolist() if groups else None,
            consult=[self._top_row(t, "enquiries") for t in consult])
        return Answer(analysis=self.name, title=self.title, summary=summary, tables=tables, charts=charts,
                      warnings=warnings,
                      follow_ups=["complaints by product", "complaints by region and month",
                                  "what do the 1 and 2 star reviews say" if scale and scale["name"] == "1-5" else
                                  "what do promoters praise and detractors complain about"],
                      provenance=Provenance(method="themes: TF-IDF (English stop words, 1-2 word terms) and NMF "
                                                   f"(scikit-learn, k={params.k} in the complaints and k in the other comments); sentiment: the offline lexicon "
                                                   f"{LEXICON}; complaints: "
                                                   + (f"scores <= {scale['detractor']}" if scale else
                                                      "negative sentiment"),
                                            rows_used=total))

    # ------------------------------------------------------------------ rows
    def _rows(self, dataset, params) -> pd.DataFrame:
        fcols = dataset.columns("feedback")
        ccols = dataset.columns("customers") if dataset.has("customers") else set()
        # "complaints about the blender": a filter on product (the router's); "only 1 and 2 star
        # reviews": on the score, compared as numbers
        filters, stars, star_args = kit.score_filter(dict(params.filters), alias="f")
        if star_args and "score" not in fcols:
            raise DataError("the feedback has no score column, so it cannot be limited to "
                            f"{', '.join(map(str, params.filters['score']))} stars. Map the rating with --map "
                            "score=COLUMN.")
        where, args = dataset.scope(filters, params.start, params.end, alias="f", role="feedback")
        where, args = f"{where} AND {stars}", [*args, *star_args]
        place = [kit.dimension(dataset, c, alias="f", role="feedback") for c in ("country", "region")
                 if c in ccols and c not in fcols and "customer_id" in fcols]  # the customer's, one row each
        sample = ""
        if dataset.remote:  # a bounded sample of the responses comes back, drawn in the engine
            responses = dataset.scalar(f"SELECT count(*) FROM feedback f WHERE {where}", args)
            if responses > ENGINE_SAMPLE:
                keys = [f"coalesce(CAST(f.{qi(c)} AS VARCHAR), '')" for c in ("customer_id", "date", "score", "text")
                        if c in fcols]
                sample = f" ORDER BY md5(concat_ws('|', {', '.join(keys)})) LIMIT {ENGINE_SAMPLE}"
                dataset.note_sampled(f"feedback: scores, themes and sentiment from a sample of {ENGINE_SAMPLE:,} of "
                                     f"{responses:,} responses, drawn in the engine by a hash of each response")
        # through Arrow where it gives the same frame (text, whole numbers, doubles, timestamps: the
        # text ~2.5x faster at 700k rows); a date, a decimal or another type the usual way
        types = dataset.relation_columns("feedback")
        if place:
            types = {**types, **{d.name: dataset.relation_columns("customers").get(d.name, "?") for d in place}}
        fetch = dataset.query_arrow if set(types.values()) <= ARROW_SAME else dataset.query
        rows = fetch(f"""
            SELECT f.* EXCLUDE (text), nullif(trim(CAST(f.text AS VARCHAR)), '') AS text
                   {''.join(f', {d.expr} AS {qi(d.name)}' for d in place)}
            FROM feedback f {kit.joins(*place)} WHERE {where}{sample}""", args)
        if rows.empty:
            raise DataError("no feedback matches the period and filters: widen them.")
        # one order whatever the engine or its join strategy returned the rows in: the sample the
        # themes are fitted on, and so the themes, depend on it
        rows = rows.sort_values([c for c in ("date", "customer_id", "text", "score") if c in rows], kind="stable",
                                na_position="last").reset_index(drop=True)
        for c in ("score", "text", "date", "product", "topic"):
            if c not in fcols and c in rows:
                rows[c] = rows[c].where(rows[c].notna(), None)
        rows["score"] = pd.to_numeric(rows["score"], errors="coerce")
        return rows

    @staticmethod
    def _about(rows: pd.DataFrame, params) -> tuple[pd.DataFrame, dict | None]:
        """The rows whose comment mentions a subject of ``params.about`` (any), and what to say of it:
        {subjects, names, matched, of}."""
        subjects = params.about  # those the filters already name are left out (FeedbackParams._not_a_value)
        if not subjects:
            return rows, None
        pattern = re.compile("|".join(f"(?:{mention_pattern(a)})" for a in subjects), re.I)
        mentions = rows.text.fillna("").astype(str).map(lambda t: bool(pattern.search(t)))
        have = int(rows.text.notna().sum())
        names = " or ".join(f"'{a}'" for a in subjects)
        if not mentions.any():
            raise DataError(f"none of the {have:,} comments mentions {names} (nor its forms: {pattern.pattern}). "
                            "Ask about another word, or without one for every comment.")
        return rows[mentions].reset_index(drop=True), {"subjects": subjects, "names": names,
                                                        "matched": int(mentions.sum()), "of": have}

    @staticmethod
    def _scale(rows: pd.DataFrame) -> dict | None:
        """Promoter and detractor thresholds from the score range: 0-10 (NPS), 1-5 (stars), else a share."""
        if rows.score.notna().sum() == 0:
            return None
        top = float(rows.score.max())
        if top <= 5:  # ratings: satisfied and dissatisfied, never NPS's promoters and detractors
            return {"name": "1-5", "promoter": 4, "detractor": 2, "high": "4-5 ratings", "low": "1-2 ratings"}
        if top <= 10:
            return {"name": "0-10", "promoter": 9, "detractor": 6, "high": "promoters", "low": "detractors"}
        return {"name": f"0-{top:g}", "promoter": 0.9 * top, "detractor": 0.6 * top, "high": "promoters",
                "low": "detractors"}

    @staticmethod
    def _complaints(rows: pd.DataFrame, scale: dict | None) -> pd.Series:
        by_sentiment = rows.sentiment <= -0.05
        if scale is None:
            return by_sentiment
        return (rows.score <= scale["detractor"]).where(rows.score.notna(), by_sentiment)

    # ------------------------------------------------------------------ themes
    def _themes(self, rows, usable, params):
        """Themes found apart in the complaints and in the other comments (k each), so a complaint
        theme is not drowned by the praise that shares its words ("arrived late" / "arrived early");
        every comment gets the strongest theme of its group. Returns the themes and a vectorizer
        fitted on all comments (for the words that set promoters and detractors apart)."""
        labels, words, kinds, unconverged = [], [], [], False
        rows["theme"], rows["theme_weight"] = None, np.nan
        for kind, mask in (("complaints", usable & rows.complaint), ("other comments", usable & ~rows.complaint)):
            if mask.sum() < MIN_COMMENTS:
                continue
            found = self._nmf(rows.text[mask], params.k)
            if found is None:
                continue
            assign, strength, group_words, converged = found
            unconverged = unconverged or not converged
            group_labels = []
            for j, ws in enumerate(group_words):
                typical = sorted((t for t, a in assign.items() if a == j), key=lambda t: -strength[t])[:20]
                label = theme_phrase(ws, typical)
                n = 1
                while label in labels or label in group_labels:
                    n += 1
                    label = f"{theme_phrase(ws, typical)} ({n})"
                group_labels.append(label)
            labels += group_labels
            words += group_words
            kinds += [kind] * len(group_labels)
            texts = rows.text[mask]
            label_of = {t: group_labels[a] if a >= 0 else None for t, a in assign.items()}
            rows.loc[mask, "theme"] = texts.map(label_of)
            rows.loc[mask, "theme_weight"] = texts.map(strength)
        if not labels:
            return None, None
        return {"labels": labels, "words": words, "kinds": kinds, "unconverged": unconverged}, self._vectorizer(len(rows)).fit(
            _sample(rows.text[usable]))

    @staticmethod
    def _vectorizer(n: int):
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

        stop = sorted(ENGLISH_STOP_WORDS | lexicon()["theme_stop_words"])
        return TfidfVectorizer(stop_words=stop, ngram_range=(1, 2), min_df=2 if n >= 100 else 1, max_df=0.5,
                               sublinear_tf=True, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b")

    def _nmf(self, texts: pd.Series, k: int):
        """TF-IDF + NMF on (a sample of) ``texts``: ({text: theme index or -1}, {text: weight}, top words,
        whether the fit converged within ``NMF_MAX_ITER`` rounds: scikit-learn's warning is caught, never
        printed, and the answer says it)."""
        import warnings

        from sklearn.decomposition import NMF
        from sklearn.exceptions import ConvergenceWarning

        fit = _sample(texts)
        vec = self._vectorizer(len(fit))
        try:
            x = vec.fit_transform(fit)
        except ValueError:  # no term left after the stop words
            return None
        k = min(k, x.shape[1] - 1, len(fit) - 1)
        if k < 2:
            return None
        with np.errstate(invalid="ignore"), warnings.catch_warnings(record=True) as caught:
            # a perfect fit of few, repeated comments: sqrt of -0.0
            warnings.simplefilter("always", ConvergenceWarning)
            nmf = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=NMF_MAX_ITER).fit(x)
            uniq = texts.unique()
            w = nmf.transform(vec.transform(uniq))  # each comment's weights: iterated too
        converged = not any(issubclass(c.category, ConvergenceWarning) for c in caught)
        best = np.where(w.max(axis=1) > 0, w.argmax(axis=1), -1)
        terms = vec.get_feature_names_out()
        return (dict(zip(uniq, best)), dict(zip(uniq, w.max(axis=1))),
                [self._top_words(terms, comp) for comp in nmf.components_], converged)

    @staticmethod
    def _top_words(terms, comp, n: int = 8) -> list[str]:
        """The heaviest terms, a two-word term dropped when both its words are already shown."""
        out: list[str] = []
        for i in comp.argsort()[::-1]:
            if comp[i] <= 0:
                break
            term = terms[i]
            if " " in term and all(any(part == o for o in out) for part in term.split()):
                continue
            if any(" " in o and term in o.split() for o in out):
                continue
            out.append(term)
            if len(out) == n:
                break
        return out

    def _theme_tables(self, rows, themes, params):
        # the columns read, each theme's rows once (in their order): a filter of every column of
        # every comment per theme copied the text 10 times over at 700k comments
        have = rows.loc[rows.theme.notna(), ["theme", "theme_weight", "text", "score", "sentiment"]]
        n = len(have)
        by_theme = dict(tuple(have.groupby("theme", sort=False)))
        trend = self._trend(rows, params) if rows.date.notna().any() else None
        records = []
        for label, words, kind in zip(themes["labels"], themes["words"], themes["kinds"]):
            t = by_theme.get(label)
            if t is None or t.empty:
                continue
            examples = t.sort_values("theme_weight", ascending=False).text.drop_duplicates().head(3).tolist()
            records.append({"theme": label, "found in": kind, "top words": ", ".join(words), "comments": len(t),
                            "share": round(len(t) / n, 6),
                            "average score": round(float(t.score.mean()), 2) if t.score.notna().any() else None,
                            "average sentiment": round(float(t.sentiment.mean()), 3),
                            "negative share": round(float((t.sentiment <= -0.05).mean()), 6),
                            "trend": trend[1].get(label, "n/a") if trend else "n/a",
                            "examples": " | ".join(examples)})
        frame = pd.DataFrame(records).sort_values("comments", ascending=False, kind="stable")
        table = Table.from_frame("themes", frame, f"{len(frame)} themes in {n:,} comments",
                                 priority=["theme", "comments", "share", "average score", "negative share", "trend"])
        trend_table = Table.from_frame("theme_trend", trend[0], f"Share of comments per theme by {params.grain}",
                                       max_rows=400) if trend else None
        hotspots = self._hotspots(rows, params) if rows.date.notna().any() else None
        return table, trend_table, hotspots

    @staticmethod
    def _trend(rows, params):
        """(period x theme share table, theme -> rising/falling/steady over the last third of the span)."""
        have = rows.loc[rows.theme.notna() & rows.date.notna(), ["theme", "date"]].copy()
        freq = {"day": "D", "week": "W-MON", "month": "M", "quarter": "Q", "year": "Y"}[params.grain]
        have["period"] = pd.to_datetime(have.date).dt.to_period(freq).dt.start_time.dt.date
        wide = pd.crosstab(have.period, have.theme, normalize="index").round(6)
        wide = wide.reset_index().rename(columns={"period": params.grain})
        wide[params.grain] = [period_value(v, params.grain) for v in wide[params.grain]]
        wide.columns.name = None
        dates = pd.to_datetime(have.date)
        cut = dates.min() + (dates.max() - dates.min()) * 2 / 3
        recent, earlier = have[dates >= cut], have[dates < cut]
        labels = {}
        for theme in have.theme.unique():
            a = (recent.theme == theme).mean() if len(recent) else 0
            b = (earlier.theme == theme).mean() if len(earlier) else 0
            labels[theme] = ("rising" if a > 1.25 * b and a - b > 0.01 else
                             "falling" if a < 0.8 * b and b - a > 0.01 else "steady")
        return wide, labels

    @staticmethod
    def _hotspots(rows, params) -> Table | None:
        """Per theme: the place (country, else region) where its share of comments is highest against
        everywhere else, and the months there where it runs at half its peak share or more."""
        place = next((c for c in ("country", "region") if c in rows and rows[c].notna().any()), None)
        if place is None:
            return None
        data = rows.loc[rows.text.notna() & rows[place].notna() & rows.date.notna(), [place, "date", "theme"]].copy()
        data["month"] = pd.to_datetime(data.date).dt.to_period("M")
        out = []
        comments = data.groupby(place).size()  # per place, once: each theme's hits are counted apart
        for theme in data.theme.dropna().unique():
            hit = data.theme == theme
            stats = pd.DataFrame({"n": comments,
                                  "k": data[hit].groupby(place).size().reindex(comments.index, fill_value=0)})
            stats = stats[stats.k >= MIN_HOTSPOT]
            if stats.empty:
                continue
            stats["share"] = stats.k / stats.n
            stats["elsewhere"] = (hit.sum() - stats.k) / (len(data) - stats.n).clip(lower=1)
            stats["lift"] = stats.share / stats.elsewhere.where(stats.elsewhere > 0, 1 / len(data))
            value = stats.lift.idxmax()
            best = stats.loc[value]
            if best.lift < 3:
                continue
            there = data[data[place] == value]
            monthly = there.groupby("month").theme.agg(lambda s: (s == theme).mean())
            counts = there[there.theme == theme].groupby("month").size()
            hot = monthly[(monthly >= monthly.max() / 2) & (counts.reindex(monthly.index, fill_value=0) >= 2)]
            if hot.empty:
                continue
            first, last = hot.index.min(), hot.index.max()
            window = there[(there.month >= first) & (there.month <= last)]
            inside = int((window.theme == theme).sum())
            # everywhere else is every comment but the window's: its share from the counts
            others = len(data) - len(window)
            out.append({"theme": theme, "place": place, "value": value, "from": first.start_time.date(),
                        "to": last.end_time.date(), "comments": inside,
                        "share there": round(float((window.theme == theme).mean()), 6),
                        "share elsewhere": round((int(hit.sum()) - inside) / others, 6) if others else float("nan"),
                        "lift": round(float(best.lift), 1)})
        if not out:
            return None
        frame = pd.DataFrame(out).sort_values("lift", ascending=False, kind="stable")
        return Table.from_frame("theme_hotspots", frame, f"Where and when each theme concentrates (by {place} and month)")

    @staticmethod
    def _theme_facts(table: Table, hotspots: Table | None) -> list[dict]:
        hot = {} if hotspots is None else {r["theme"]: r for r in hotspots.frame.to_dict("records")}
        return [{**r, "hotspot": hot.get(r["theme"])} for r in table.frame.to_dict("records")]

    # ------------------------------------------------------------------ complaints
    def _by(self, dataset, rows, dim: str, params) -> Table:
        data = rows
        if dim == "period":
            if not rows.date.notna().any():
                raise DataError("the feedback has no dates: complaints cannot be split by period.")
            freq = {"day": "D", "week": "W-MON", "month": "M", "quarter": "Q", "year": "Y"}[params.grain]
            data = rows[[c for c in ("complaint", "score", "sentiment", "theme") if c in rows]].assign(
                period=pd.to_datetime(rows.date).dt.to_period(freq).dt.start_time.dt.date)
            key = "period"
        elif dim in rows and rows[dim].notna().any():
            key = dim
        else:
            extra = self._customer_attr(dataset, dim)
            if extra is None:
                options = sorted({"period"} | {c for c in rows.columns if rows[c].notna().any() and (
                    rows[c].dtype == object or pd.api.types.is_string_dtype(rows[c]))
                    and c not in ("text", "customer_id", "theme", "sentiment label")})
                raise DataError(f"cannot split the feedback by {dim!r}: no such column. Split by one of: "
                                f"{', '.join(options)}.")
            data = rows.merge(extra, on="customer_id", how="left")
            key = dim
        keys = data[key].astype("string")  # once: the complaint themes below group by it too
        g = data.groupby(keys, dropna=True)
        frame = pd.DataFrame({"comments": g.size(), "complaints": g.complaint.sum().astype(int)})
        frame["complaint rate"] = (frame.complaints / frame.comments).round(6)
        if data.score.notna().any():
            frame["average score"] = g.score.mean().round(2)
        frame["average sentiment"] = g.sentiment.mean().round(3)
        if "theme" in data:
            hit = data.complaint & data.theme.notna()
            top = data.theme[hit].groupby(keys[hit]).agg(lambda s: s.value_counts().index[0])
            frame["top complaint theme"] = top
        name = params.grain if dim == "period" else dim
        frame = frame.reset_index().rename(columns={key: name})
        frame = frame.sort_values(name if dim == "period" else ["complaints", name],
                                  ascending=True if dim == "period" else [False, True], kind="stable")
        if dim == "period":
            frame[name] = [period_value(v, name) for v in frame[name]]
        return Table.from_frame(f"complaints_by_{name}", frame, f"Complaints by {name.replace('_', ' ')}",
                                max_rows=400 if dim == "period" else params.top)

    @staticmethod
    def _customer_attr(dataset, dim: str) -> pd.DataFrame | None:
        """Each customer's saved segment or customers attribute (``kit.per_customer``), or None."""
        if dim == "segment" and dataset.has_segments or \
                dataset.has("customers") and dim in dataset.columns("customers") and dim != "customer_id":
            return dataset.query(*kit.per_customer(dataset, dim))
        return None

    # ------------------------------------------------------------------ promoters and detractors
    def _promoters_vs_detractors(self, rows, usable, themes, vec, scale):
        high, low = scale["high"], scale["low"]
        group = np.select([rows.score >= scale["promoter"], rows.score <= scale["detractor"]],
                          [high, low], None)
        kept = usable & pd.notna(group)
        data = rows.loc[kept, ["theme", "text"]].assign(group=group[kept.to_numpy()])
        shares = pd.crosstab(data.theme, data.group, normalize="columns").reindex(
            columns=[high, low], fill_value=0).round(6)
        shares["difference"] = (shares[high] - shares[low]).round(6)
        shares = shares.sort_values("difference", ascending=False).reset_index()
        shares.columns.name = None
        terms = vec.get_feature_names_out()
        means = {}
        for name in (high, low):
            texts = _sample(data.text[data.group == name])
            means[name] = np.asarray(vec.transform(texts).mean(axis=0)).ravel() if len(texts) else np.zeros(len(terms))
        diff = means[high] - means[low]
        words = pd.DataFrame({"group": [f"{high} praise", f"{low} complain about"],
                              "comments": [int((data.group == high).sum()), int((data.group == low).sum())],
                              "words": [", ".join(self._top_words(terms, np.clip(diff, 0, None), 8)),
                                        ", ".join(self._top_words(terms, np.clip(-diff, 0, None), 8))]})
        return (Table.from_frame("promoters_vs_detractors", shares,
                                 f"Themes of {high} (score >= {scale['promoter']:g}) and {low} "
                                 f"(score <= {scale['detractor']:g})"),
                Table.from_frame("praise_and_complaints", words, f"Words that set {high} and {low} apart"))

    # ------------------------------------------------------------------ consultations
    @staticmethod
    def _consultations(rows) -> list[Table]:
        """Enquiries by department/topic and product, with time to resolution, where a column says when
        (a date) or how long (a number) resolving took."""
        # the first column named for the resolution whose values say when (dates) or how long (numbers):
        # a ticket's "Resolution" of free text ("We seat culture plan.") is neither, and read as dates it
        # made every ticket open
        col = resolved = None
        for c in (c for c in rows.columns if any(w in c.lower() for w in RESOLVED_WORDS)):
            if pd.api.types.is_numeric_dtype(rows[c]):
                col = c
                break
            resolved = _read_dates(rows[c])
            if resolved is not None:
                col = c
                break
        if col is None:
            return []
        if resolved is None:
            days = rows[col].astype(float)
            if "hour" in col.lower():
                days = days / 24
            done = days.notna()
        else:
            start = _read_dates(rows.date) if "date" in rows and rows.date.notna().any() else None
            done = resolved.notna()  # resolved when it has a resolution date, with or without a start
            days = (resolved - start).dt.total_seconds() / 86400 if start is not None else \
                pd.Series(np.nan, index=rows.index)
        data = rows.assign(days=days, done=done)
        dims = [c for c in ("department", "topic", "product") if c in data and data[c].notna().any()]
        out = []
        for dim in dims[:2]:
            g = data.groupby(data[dim].astype("string"), dropna=True)
            frame = pd.DataFrame({"enquiries": g.size(), "resolved": g.done.sum().astype(int),
                                  "median days to resolution": g.days.median().round(2),
                                  "complaint rate": g.complaint.mean().round(6)})
            frame["open"] = frame.enquiries - frame.resolved
            frame = frame.reset_index().rename(columns={dim: dim}).sort_values(["enquiries", dim],
                                                                                ascending=[False, True], kind="stable")
            out.append(Table.from_frame(f"consultations_by_{dim}", frame,
                                        f"Enquiries and time to resolution by {dim} (from {col!r})"))
        return out

    # ------------------------------------------------------------------ facts
    @staticmethod
    def _facts(rows, usable, scale) -> dict:
        s = rows.sentiment[usable]
        dates = pd.to_datetime(rows.date, errors="coerce").dropna()
        f = {"rows": len(rows), "comments": int(usable.sum()),
             "first": dates.min().date() if len(dates) else None, "last": dates.max().date() if len(dates) else None,
             "positive": round(float((s >= 0.05).mean()), 6), "negative": round(float((s <= -0.05).mean()), 6),
             "complaints": int(rows.complaint.sum()), "complaint_rate": round(float(rows.complaint.mean()), 6),
             "scale": scale}
        if scale:
            scored = rows.score.dropna()
            f["promoters"] = round(float((scored >= scale["promoter"]).mean()), 6)
            f["detractors"] = round(float((scored <= scale["detractor"]).mean()), 6)
            f["nps"] = round(100 * (f["promoters"] - f["detractors"]), 1) if scale["name"] == "0-10" else None
        return f

    @staticmethod
    def _comment_frame(rows) -> pd.DataFrame:
        cols = [c for c in ("customer_id", "date", "score", "product", "topic", "text", "sentiment", "theme")
                if c in rows and (rows[c].notna().any() or c in ("sentiment", "theme"))]
        frame = rows[cols].copy()
        frame.insert(frame.columns.get_loc("sentiment") + 1, "sentiment label",
                     frame.sentiment.map(lambda v: _label(v) if v == v else None))
        return frame

    @staticmethod
    def _top_row(table: Table, measure: str = "complaints") -> dict:
        frame = table.frame
        if frame.empty:
            return {"dim": table.columns[0], "name": None}
        row = frame.loc[frame[measure].idxmax()]
        return {"dim": table.columns[0].replace("_", " "), "name": str(row.iloc[0]), "n": int(row[measure]),
                "rate": row.get("complaint rate"), "days": row.get("median days to resolution"),
                "total": table.total_rows}


@hookimpl
def register_analyses(register):
    register(Feedback())
