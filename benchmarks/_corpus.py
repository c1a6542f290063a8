"""The evaluation corpus (benchmarks/corpus/*.yaml, written as corpus/SPEC.md says): the six data
shapes its questions are asked on, made small and synthetic here (no download, no shared/ folder),
and the scoring of routing and slots, of single questions and of whole conversations.

The corpus is split by author: DEVELOPMENT files may be read while changing the router; HELD_OUT
files (and HELD_OUT_2, HELD_OUT_3, HELD_OUT_4, HELD_OUT_5) are only ever scored (their errors are not to be read while tuning).
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from custlens.slots import rfm_name

CORPUS = Path(__file__).parent / "corpus"
DEVELOPMENT = ("shop_owner", "analyst", "marketer", "crm_admin",
               "founder", "product_manager", "ops_manager", "consultant", "executive",
               "data_scientist", "merchandiser", "intern", "subscription_owner",
               "student", "voice_user", "insights_manager", "developer",
               "customer_success", "mobile_typer", "agency_strategist", "board_investor",
               "cafe_owner", "lifecycle_marketer", "bookkeeper", "spreadsheet_user",
               "german_shopkeeper", "ecommerce_manager", "telecom_retention", "sales_director",
               "controller", "helpdesk_manager", "account_manager", "esl_owner",
               "fundraiser", "latam_owner", "growth_hacker",
               "uk_merchant", "marketplace_seller", "terse_engineer", "franchise_manager",
               "gym_manager", "indian_founder", "pricing_analyst", "chatty_florist",
               "wine_merchant", "loyalty_manager", "event_promoter", "hotel_manager",
               "bike_shop_owner", "subscription_ops", "vet_clinic_manager", "nordic_ecom_analyst",
               "surf_shop_owner", "wholesale_distributor", "genz_dropshipper", "dutch_webshop",
               "salon_owner", "restaurant_marketer", "polish_ecom", "singapore_seller",
               "nigerian_seller", "brazilian_ecom", "sql_analyst", "etsy_crafter", "south_african_retailer",
               "japanese_seller", "dubai_retailer", "filipino_va", "skeptical_cfo", "kiwi_farm_shop",
               "aussie_bottle_shop", "kenyan_duka_owner", "academic_researcher", "bank_relationship_manager",
               "chinese_ecom_manager", "spanish_clinic_manager", "ux_researcher", "scottish_tearoom",
               "german_b2b_engineer", "irish_pub_landlord", "dyslexic_owner", "statistician", "car_dealer",
               "italian_deli", "hinglish_kirana", "keyword_searcher", "prompt_engineer", "korean_beauty_seller",
               "indonesian_reseller", "russian_marketplace", "egyptian_electronics", "lisbon_pastelaria",
               "senegal_boutique", "thai_spa_owner",
               # written on 2026-12-07 (eighteenth session) from SPEC.md and a persona only
               "pakistani_textile_exporter", "ny_streetwear_reseller", "swiss_chocolatier",
               # written on 2026-12-07 (nineteenth session) from SPEC.md and a persona only: two Turkish, two
               # Vietnamese and two Québec authors, as the fourth held-out part's languages had none in development
               "izmir_olive_oil_exporter", "ankara_gym_chain_manager", "saigon_fashion_shop",
               "danang_hotel_revenue_manager", "montreal_hardware_store", "quebec_city_saas_founder",
               # the same session, a second batch: Greek and Malay voices (the fifth held-out part's) and two novices
               "athens_pharmacy_owner", "thessaloniki_ferry_agency", "penang_kopitiam_chain", "johor_telco_reseller",
               "new_candle_maker", "retired_teacher_bookshop",
               # written on 2026-12-07 (twentieth session) from SPEC.md and a persona only: French of France and Belgium
               # (the third held-out part's French voice had none from France in development) and a Moroccan seller
               "lyon_fromagerie", "paris_concept_store", "brussels_chocolate_shop", "casablanca_cosmetics",
               # written on 2026-12-07 (twenty-first session) from SPEC.md and a persona only: four newcomers who know none
               # of the trade's words (the third held-out part's first-time owner reads worst of all held-out authors)
               # and two second-language voices (Ukrainian, Bangladeshi English)
               "jam_maker_market_stall", "teen_helping_family_shop", "plant_nursery_owner", "charity_shop_volunteer",
               "kyiv_handmade_seller", "dhaka_garment_trader")
HELD_OUT = ("finance", "support_lead", "b2b_sales", "non_native")
#: a second held-out part, written on 2026-12-04 after the router's tuning of that day and never read
#: since (scored apart, so that the first part's figure stays comparable with earlier runs)
HELD_OUT_2 = ("pharmacy_owner", "saas_revops", "retiree_shopkeeper")
#: a third, written on 2026-12-04 (late) by helpers given only SPEC.md and a persona (a French boutique
#: owner writing English as a second language; a first-time owner who knows none of the words of the
#: trade), scored unseen once with the two authors that joined the development part, never read
HELD_OUT_3 = ("french_boutique", "first_timer")
#: a fourth, written on 2026-12-05 (fifth session) by helpers given only SPEC.md and a persona (an Istanbul
#: e-commerce manager with Turkish words, a Da Nang coffee roaster with Vietnamese ones, a Montréal bakery writing
#: Québec franglais), after that session's fixes; scored once, never read
HELD_OUT_4 = ("turkish_eticaret", "vietnamese_roaster", "quebec_bakery")
#: a fifth, written on 2026-12-07 (eighteenth session) by a helper given only SPEC.md and three personas (a
#: Thessaloniki taverna owner with Greek words, a US SaaS CFO, a Kuala Lumpur phone shop writing Manglish), scored at
#: that session's start commit and at its end, never read
HELD_OUT_5 = ("greek_taverna_owner", "us_saas_cfo", "malaysian_phone_shop")
#: the slots scored in a conversation's turns (what stays in force between turns)
SCOPE_SLOTS = ("filters", "start", "end", "compare", "segment")


def load(authors) -> list[dict]:
    """The corpus files of ``authors`` that exist, each with its ``author``."""
    out = []
    for name in authors:
        path = CORPUS / f"{name}.yaml"
        if path.exists():
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            doc["author"] = name
            out.append(doc)
    return out


# ---------------------------------------------------------------------- the data shapes
def _cdnow(folder: Path, rng: random.Random) -> list[str]:
    lines = []
    for c in range(1, 401):
        day = dt.date(1997, 1, 1) + dt.timedelta(days=rng.randrange(90))
        while day <= dt.date(1998, 6, 30):
            cds = rng.randint(1, 4)
            lines.append(f"{c:>6} {day:%Y%m%d} {cds:>3} {cds * rng.uniform(9, 16):>8.2f}")
            day += dt.timedelta(days=rng.randint(20, 300))
    (folder / "cdnow.txt").write_text("customer_id date number_of_cds dollar_value\n" + "\n".join(lines) + "\n")
    return [str(folder / "cdnow.txt")]


def _telco(folder: Path, rng: random.Random) -> list[str]:
    head = ("customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,InternetService,Contract,"
            "PaymentMethod,MonthlyCharges,TotalCharges,Churn")
    rows = []
    for i in range(400):
        contract = rng.choice(["Month-to-month", "One year", "Two year"])
        tenure = rng.randint(1, 72)
        monthly = round(rng.uniform(18, 118), 2)
        churn = "Yes" if rng.random() < (0.45 if contract == "Month-to-month" else 0.08) else "No"
        rows.append(f"{i:04d}-ABCDE,{rng.choice(['Male', 'Female'])},{int(rng.random() < 0.16)},"
                    f"{rng.choice(['Yes', 'No'])},{rng.choice(['Yes', 'No'])},{tenure},{rng.choice(['Yes', 'No'])},"
                    f"{rng.choice(['DSL', 'Fiber optic', 'No'])},{contract},"
                    f"{rng.choice(['Electronic check', 'Mailed check', 'Bank transfer (automatic)', 'Credit card (automatic)'])},"
                    f"{monthly},{round(monthly * tenure, 2)},{churn}")
    (folder / "telco.csv").write_text(head + "\n" + "\n".join(rows) + "\n")
    return [str(folder / "telco.csv")]


def _crm(folder: Path, rng: random.Random) -> list[str]:
    import pandas as pd

    accounts = pd.DataFrame({
        "Account ID": [f"A{i:04d}" for i in range(200)],
        "Account Name": [f"Company {i}" for i in range(200)],
        "Industry": [rng.choice(["Software", "Manufacturing", "Retail", "Healthcare", "Finance"]) for _ in range(200)],
        "Segment": [rng.choice(["Enterprise", "Mid-Market", "SMB"]) for _ in range(200)],
        "Region": [rng.choice(["EMEA", "North America", "APAC", "LATAM"]) for _ in range(200)],
        "Employees": [rng.randint(5, 20000) for _ in range(200)],
        "Created Date": [dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1000)) for _ in range(200)],
    })
    deals = pd.DataFrame([{
        "Deal ID": f"D{i:05d}", "Account ID": f"A{rng.randrange(200):04d}",
        "Stage": rng.choice(["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Won",
                             "Closed Lost"]),
        "Amount": round(rng.uniform(2000, 90000), 2),
        "Close Date": dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(912)),
        "Product": rng.choice(["Platform", "Analytics Add-on", "Support Plan", "Training"]),
    } for i in range(1500)])
    path = folder / "crm.xlsx"
    with pd.ExcelWriter(path) as xl:
        accounts.to_excel(xl, sheet_name="Accounts", index=False)
        deals.to_excel(xl, sheet_name="Deals", index=False)
    return [str(path)]


def _events(folder: Path, rng: random.Random) -> list[str]:
    stages = ["visit", "product_view", "add_to_cart", "checkout", "purchase"]
    lines = ["visitor_id,session_id,timestamp,event,channel,device"]
    for s in range(1500):
        visitor, channel = f"V{rng.randrange(600):05d}", rng.choice(
            ["organic search", "paid search", "email", "social", "direct", "referral"])
        device = rng.choice(["desktop", "mobile", "tablet"])
        # 2024-01-01 to 2025-12-31 as SPEC.md says (731 days: 2024 is a leap year; the last session on the last day)
        t = dt.datetime(2025, 12, 31, 9) if s == 0 else \
            dt.datetime(2024, 1, 1) + dt.timedelta(minutes=rng.randrange(731 * 24 * 60 - 120))
        for stage in stages[:rng.randint(1, 5)]:
            lines.append(f"{visitor},S{s:06d},{t:%Y-%m-%d %H:%M:%S},{stage},{channel},{device}")
            t += dt.timedelta(minutes=rng.randint(1, 20))
    (folder / "events.csv").write_text("\n".join(lines) + "\n")
    return [str(folder / "events.csv")]


def data_specs(folder: Path) -> dict[str, dict]:
    """{shape: Session keyword arguments} for the six data shapes, files written into ``folder``."""
    rng = random.Random(1)
    groceries = Path(__file__).parent.parent / "tests" / "data" / "groceries_500.csv"
    return {"demo": {"demo": True}, "cdnow": {"data": _cdnow(folder, rng)}, "telco": {"data": _telco(folder, rng)},
            "groceries": {"data": [f"baskets={groceries}"]}, "crm": {"data": _crm(folder, rng)},
            "events": {"data": _events(folder, rng)}}


def sessions(session_class) -> dict[str, Any]:
    """One Session (of ``session_class``) per data shape, lazily: ``sessions(cls)["crm"]``."""
    folder = Path(tempfile.mkdtemp(prefix="custlens-corpus-"))
    specs = data_specs(folder)

    class Lazy(dict):
        def __missing__(self, shape):
            self[shape] = session_class(entry_points=False, **specs[shape])
            return self[shape]

    return Lazy()


# ---------------------------------------------------------------------- scoring
def _norm(key: str, value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if key == "filters":  # a label's unquoted Yes/No is YAML's true/false: the file's Yes/No meant
        return {str(k).lower(): sorted(({True: "yes", False: "no"}[v] if isinstance(v, bool) else str(v).lower())
                                       for v in (vs if isinstance(vs, list) else [vs]))
                for k, vs in (value or {}).items() if vs}
    if key == "compare" and value:  # two periods, in either order
        return sorted([_norm("start", a), _norm("end", b)] for a, b in value)
    if isinstance(value, list):
        return sorted(str(v).lower() for v in value)
    if key == "segment" and isinstance(value, str):  # "Potential loyalists" is the segment "Potential loyalist"
        return (rfm_name(value) or value).lower()
    if isinstance(value, str):
        return value.lower()
    return value


def _segment_as_param(slots: dict) -> dict:
    """A filter on one segment as the ``segment`` slot (the same reading: see ``slots_match``); a
    share as a fraction (the params', 0.1) as the percentage SPEC.md labels (10); a breakdown by
    period beside a grain as the grain alone ("revenue by region per quarter": by region, quarterly)."""
    slots = dict(slots)
    if isinstance(slots.get("share"), float) and 0 < slots["share"] < 1:
        slots["share"] = round(slots["share"] * 100, 6)
    if slots.get("grain") and "period" in (slots.get("by") or []):  # "by region per quarter": over time is the grain
        slots["by"] = [b for b in slots["by"] if b != "period"]
    segment_filter = (slots.get("filters") or {}).get("segment")
    if segment_filter and not slots.get("segment") and len(segment_filter) == 1:
        slots["segment"] = segment_filter[0]
        slots["filters"] = {k: v for k, v in slots["filters"].items() if k != "segment"}
    return slots


def as_headers(session, params: dict) -> dict:
    """``params`` said in the data's own words, the way SPEC.md asks authors to label: a column by the
    header it was read from (a CRM's "Stage" is the canonical ``status``), and the won deals asked for
    (``status: won``, the sales themselves, no filter) as the filter on the won stages they are."""
    from custlens import kit, schema

    ds = session.dataset
    if not ds.has("transactions") and not ds.has("customers"):
        return params
    params = dict(params)
    filters = dict(params.get("filters") or {})
    if "churned" in filters and kit.source_header(ds, "customers", "churned") != "churned":
        # the churn flag read from the file's own Yes/No column ("Churn"): its values as the file writes them
        filters["churned"] = ["Yes" if str(v).lower() in ("true", "1", "yes") else "No" for v in filters["churned"]]
    if params.get("status") == "won" and "status" not in filters and ds.has("transactions"):
        won = [v for v, kind in kit.status_kinds(ds).items() if kind == "won"]
        if won:
            filters["status"] = won

    def header(column: str) -> str:  # the sales' header, else the customers' ("Employees" for company_size)
        said = next((h for role in ("transactions", "customers") if (h := kit.source_header(ds, role, column)) != column),
                    column)
        return schema.snake(said) if said != column else column
    if filters:
        params["filters"] = {header(k): v for k, v in filters.items()}
    if isinstance(params.get("by"), list):
        params["by"] = [header(b) for b in params["by"]]
    return params


def slot_diff(expected: dict, params: dict, keys) -> str:
    """The keys where ``slots_match`` fails, as "key: want X, got Y" (for the errors file)."""
    params, expected = _segment_as_param(params), _segment_as_param(expected)
    out = []
    for key in sorted(set(keys) | ({"segment"} if expected.get("segment") else set())):
        want, got = _norm(key, expected.get(key)), _norm(key, params.get(key))
        if not ((want in (None, [], {}, "")) and (got in (None, [], {}, ""))) and want != got:
            out.append(f"{key}: want {want!r}, got {got!r}")
    return "; ".join(out)


def slots_match(expected: dict, params: dict, keys) -> bool:
    """Every key in ``keys`` equal in ``expected`` and ``params`` (a key absent from ``expected`` must
    be empty in ``params``: a filter or period the question did not say is as wrong as a lost one).
    A segment named may arrive as the ``segment`` param or as a filter on segment: the same reading
    (on both sides: a label's filter on a data column called segment is that reading too)."""
    params, expected = _segment_as_param(params), _segment_as_param(expected)
    for key in set(keys) | ({"segment"} if expected.get("segment") else set()):
        want, got = _norm(key, expected.get(key)), _norm(key, params.get(key))
        if (want in (None, [], {}, "")) and (got in (None, [], {}, "")):
            continue
        if want != got:
            return False
    return True


class Score:
    """Counts of one part of the corpus: analysis right / asked back with the right reading offered /
    wrong / declined, exact slots, and the confusion of (expected, got)."""

    def __init__(self):
        self.outcomes = Counter()
        self.slots = Counter()
        self.confusion = Counter()
        self.by_author = Counter()
        self.n_author = Counter()
        self.key_misses = Counter()  # the slot keys read wrong, counted (never the questions: held-out too)
        self.slots_author = Counter()  # (author, exact or not): which voice's slots are read worst, counted only
        self.errors: list[tuple] = []

    def add(self, author, expected, also, got, readings, slots_ok, question, detail=""):
        ok = got == expected or got in also
        outcome = "right" if ok else "asked back" if got == "clarify" and (
            expected in readings or set(also) & set(readings)) else "declined" if got == "none" else "wrong"
        self.outcomes[outcome] += 1
        self.confusion[(expected, got)] += 1
        self.n_author[author] += 1
        self.by_author[author] += ok
        if slots_ok is not None:
            self.slots["exact" if slots_ok else "not exact"] += 1
            self.slots_author[(author, bool(slots_ok))] += 1
        if slots_ok is False:
            self.key_misses.update(part.split(":", 1)[0] for part in detail.split("; ") if part)
        if not ok or slots_ok is False:
            self.errors.append((author, question, expected, got, slots_ok, detail))

    @property
    def n(self) -> int:
        return sum(self.outcomes.values())

    def line(self, label: str) -> str:
        n, s = self.n, sum(self.slots.values())
        if not n:
            return f"{label:<28} (no questions)"
        return (f"{label:<28} {self.outcomes['right']}/{n} = {self.outcomes['right'] / n:.1%} analysis right, "
                f"{(self.outcomes['right'] + self.outcomes['asked back']) / n:.1%} right or asked back with it; "
                f"wrong {self.outcomes['wrong']}, declined {self.outcomes['declined']}; "
                f"exact slots {self.slots['exact']}/{s} = {self.slots['exact'] / max(s, 1):.1%}")

    def author_slots(self, author: str) -> str:
        """An author's exact slots, "120/130" (empty when none of the author's questions has slots)."""
        exact, n = self.slots_author[(author, True)], self.slots_author[(author, True)] + self.slots_author[(author, False)]
        return f"{exact}/{n}" if n else ""

    def key_line(self) -> str:
        """How many questions read each slot key wrong: "start 12, filters 9"."""
        return ", ".join(f"{k} {n}" for k, n in self.key_misses.most_common()) or "none"

    def confusion_table(self) -> str:
        """Expected (rows) x got (columns), only the analyses that occur."""
        names = sorted({e for e, _ in self.confusion} | {g for _, g in self.confusion})
        short = {n: n[:6] for n in names}
        out = ["expected \\ got".ljust(16) + " ".join(short[n].rjust(6) for n in names)]
        for e in names:
            if any(self.confusion[(e, g)] for g in names):
                out.append(e[:15].ljust(16) + " ".join(
                    (str(self.confusion[(e, g)]) if self.confusion[(e, g)] else ".").rjust(6) for g in names))
        return "\n".join(out)


def dry_session_class():
    """A Session whose analyses are not run (but segmentation, whose saved segments later turns use):
    each turn's answer is the analysis and validated params the conversation arrived at (what
    understanding is scored on), so a corpus run takes seconds."""
    from custlens.answer import Answer
    from custlens.session import Session

    class DrySession(Session):
        def run(self, analysis, params=None, from_question=None):
            # segmentation runs for real: it saves the segments later turns name ("the champions")
            if analysis not in self.analyses or analysis == "segmentation":
                return super().run(analysis, params, from_question)
            p = self.params_for(analysis, params or {})
            return Answer(analysis=analysis, title=analysis, params=p.model_dump(mode="json"),
                          understood=self._understood(analysis, p, from_question or {}))

    return DrySession


def score_questions(docs: list[dict], shapes, score: Score, latencies: list[float] | None = None) -> None:
    """Route each single question on its data shape; slots read for the expected analysis."""
    import time

    from custlens.errors import CustlensError

    for doc in docs:
        for item in doc.get("questions") or []:
            session = shapes[item.get("data", "demo")]
            expected, also = item["analysis"], item.get("also") or []
            t = time.perf_counter()
            try:  # as ``Session.ask`` reads it: cleaned first (shorthand spelt out), then routed
                text = session._clean(item["q"])[0]
                route = session._route(text)
            except CustlensError:
                text, route = item["q"], None
            if latencies is not None:
                latencies.append((time.perf_counter() - t) * 1000)
            got = "none" if route is None else "clarify" if route.decision == "clarify" else route.analysis
            readings = [] if route is None else [route.analysis] + [n for n, _ in route.alternatives]
            slots_ok, detail = None, ""
            if expected != "none" and item.get("slots"):
                try:
                    params = session._route(text, analysis=expected).params
                except CustlensError:
                    params = {}
                keys = set(item["slots"]) | {"filters", "start", "end"}
                params = as_headers(session, params)
                slots_ok = slots_match(item["slots"], params, keys)
                detail = "" if slots_ok else slot_diff(item["slots"], params, keys)
            score.add(doc["author"], expected, also, got, readings, slots_ok, item["q"], detail)


def score_conversations(docs: list[dict], shapes_factory, score: Score) -> None:
    """Each conversation turn by turn through ``Session.chat`` (analyses not run), on a fresh
    conversation of its data shape; scope slots (filters, period, segment) scored on every turn."""
    from custlens.conversation import Conversation
    from custlens.errors import CustlensError

    for doc in docs:
        for conv in doc.get("conversations") or []:
            session = shapes_factory[conv.get("data", "demo")]
            session.conversation, session.history = Conversation(), []
            for turn in conv["turns"]:
                expected, also = turn["analysis"], turn.get("also") or []
                try:
                    answer = session.chat(turn["q"])
                    got, params = answer.analysis, as_headers(session, answer.params or {})
                except CustlensError:
                    got, params = ("none" if expected == "none" else "error"), {}
                readings = []
                if got == "clarify":
                    readings = [n for n, _ in session.conversation.pending]
                slots_ok = None if expected == "none" else slots_match(turn.get("slots") or {}, params, SCOPE_SLOTS)
                detail = slot_diff(turn.get("slots") or {}, params, SCOPE_SLOTS) if slots_ok is False else ""
                score.add(doc["author"], expected, also, got, readings, slots_ok, turn["q"], detail)
