"""Questions in the French of France and Belgium, and with the Darija a Moroccan seller mixes in (issue 16): the
chiffre d'affaires said "CA" (never Canada's code after or before a French word), day ranges "du ... au ..." and
"entre le ... et le ...", halves "S1 2024", "1er trimestre", units, number words ("nonante", "douze"), tops "les 10
premiers" and "mes 8 clients les plus fidèles", a share "les 5% meilleurs", inactivity "n'ont plus rien commandé depuis
...", a horizon "à 3 ans", "par rapport à" (a comparison, not Hindi "par"), "par" before a column's own name, and the
turns of a conversation ("filtre", "ajoute ... aussi", "zoom sur", "en plus", "bon, on enlève tout"). The phrasings
are this file's own, not the corpus authors'; English words that look alike keep their meaning ("sales in CA",
"sept 2024", "the 10 more")."""
import datetime as dt

import pytest

from helpers import demo_session, session, telco_export

from custlens.conversation import Conversation
from custlens.slots import clean, extract

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Beauty", "Kitchen", "Pet"],
                           "product": ["Blender", "Yoga Mat", "Desk Lamp"],
                           "country": ["Canada", "France", "Germany", "Italy", "Japan", "Netherlands", "Spain"]},
          "customers": {"customer_type": ["B2B", "B2C"], "gender": ["F", "M", "X"],
                        "region": ["Asia Pacific", "Europe", "Latin America", "North America"]}}


def read(text: str) -> dict:
    return extract(clean(text), VALUES, END)[0]


def some(got: dict, expected: dict) -> dict:
    return {k: got.get(k) for k in expected}


@pytest.fixture(scope="module")
def demo():
    return demo_session(300, 7)[0]


@pytest.fixture(scope="module")
def telco(tmp_path_factory):
    return session(telco_export(tmp_path_factory.mktemp("telco")))


@pytest.mark.parametrize("said, expected", [
    # the chiffre d'affaires, never a filter on Canada
    ("le CA de la catégorie Pet en 2023", {"metric": "revenue", "filters": {"category": ["Pet"]}, "start": D(2023, 1, 1)}),
    ("CA mensuel 2024 svp", {"metric": "revenue", "grain": "month", "filters": None}),
    ("ca par pays depuis mars 2025", {"metric": "revenue", "by": ["country"], "start": D(2025, 3, 1), "filters": None}),
    ("combien de CA on a fait en Italie cette année", {"metric": "revenue", "filters": {"country": ["Italy"]}}),
    ("top 5 des catégories en CA", {"metric": "revenue", "top": 5, "filters": None}),
    # days written day first, as a range
    ("commandes du 05/02/2024 au 20/03/2024", {"start": D(2024, 2, 5), "end": D(2024, 3, 20)}),
    ("clients actifs entre le 1/9/2025 et le 15/11/2025", {"start": D(2025, 9, 1), "end": D(2025, 11, 15)}),
    ("ventes de 2023 à 2024 par trimestre", {"start": D(2023, 1, 1), "end": D(2024, 12, 31), "grain": "quarter"}),
    # halves and quarters said in French
    ("panier moyen S2 2024", {"metric": "aov", "start": D(2024, 7, 1), "end": D(2024, 12, 31)}),
    ("commandes du premier semestre 2025", {"start": D(2025, 1, 1), "end": D(2025, 6, 30)}),
    ("ventes du 3e trimestre 2023", {"start": D(2023, 7, 1), "end": D(2023, 9, 30)}),
    # units, number words, tops and shares
    ("quantités vendues par canal", {"metric": "quantity", "by": ["channel"]}),
    ("nombre d'unités de Blender en 2025", {"metric": "quantity", "product": "Blender"}),
    ("commandes des nonante derniers jours", {"start": D(2025, 10, 3), "end": END}),
    ("les 7 premiers produits", {"top": 7, "by": ["product"]}),
    ("mes 8 clients les plus gros", {"top": 8}),
    ("nos 20% meilleurs clients font combien du chiffre d'affaires", {"share": 0.2}),
    # a comparison said "par rapport à", not Hindi "par" (on)
    ("CA du T1 2025 par rapport au T1 2024", {"metric": "revenue", "compare": [(D(2024, 1, 1), D(2024, 3, 31)),
                                                                              (D(2025, 1, 1), D(2025, 3, 31))]}),
    # Darija in Latin letters
    ("chhal mn client 3andi f France", {"metric": "customers", "filters": {"country": ["France"]}}),
    ("chhal dyal orders had l3am", {"metric": "orders", "start": D(2025, 1, 1), "end": END}),
])
def test_french_and_darija_words(said, expected):
    got = read(said)
    assert some(got, expected) == expected, (said, clean(said), got)


@pytest.mark.parametrize("said, expected", [
    ("sales in CA by month", {"filters": {"country": ["Canada"]}, "grain": "month"}),
    ("orders sept 2024", {"start": D(2024, 9, 1), "end": D(2024, 9, 30)}),
    ("show the 10 more profitable products", {"top": 10}),
    # French words that are English too, or a column of their own elsewhere
    ("revenue from third parties by month", {"grain": "month", "filters": None}),
    ("sales by genre", {"by": None}),
])
def test_english_words_that_look_alike_keep_their_meaning(said, expected):
    got = read(said)
    assert some(got, expected) == expected, (said, clean(said), got)


@pytest.mark.parametrize("said, days", [("les clients qui n'ont plus rien commandé depuis nonante jours", 90),
                                        ("clients qui n'ont pas racheté depuis 4 mois", 120),
                                        ("ceux sans nouvelle commande depuis un an", 365),
                                        ("liste des clients qui n'ont jamais recommandé depuis 10 semaines", 70)])
def test_french_inactivity_is_no_period(demo, said, days):
    route = demo._route(clean(said))
    assert (route.analysis, route.params.get("inactive_days")) == ("churn", days), (said, clean(said))
    assert route.params.get("start") is None


def test_a_horizon_and_columns_said_in_french(demo, telco):
    assert demo._route(clean("CLV prédite à 3 ans"), analysis="clv").params["horizon"] == 36
    assert demo._route(clean("valeur vie client pour les douze prochains mois"), analysis="clv").params["horizon"] == 12
    assert telco._route(clean("taux de churn par moyen de paiement")).params["by"] == ["payment_method"]
    assert telco._route(clean("abonnés par ancienneté")).params["by"] == ["tenure"]
    assert telco._route(clean("churn par PaymentMethod")).params["by"] == ["payment_method"]
    churned = telco._route(clean("personas of the customers who churned"), analysis="persona").params["filters"]
    assert churned and telco._route(clean("personas des clients qui ont résilié"), analysis="persona").params["filters"] \
        == churned


def chat(s, *turns):
    s.conversation, s.history = Conversation(), []
    return [s.chat(t) for t in turns]


def test_a_french_conversation_narrows_adds_and_resets(demo):
    answers = chat(demo, "ventes 2025 par canal", "filtre Espagne", "ajoute l'Italie aussi",
                   "même chose par catégorie", "bon, on enlève tout. combien de clients ?")
    assert answers[1].params["filters"] == {"country": ["Spain"]}
    assert answers[2].params["filters"] == {"country": ["Spain", "Italy"]}
    assert answers[3].params["filters"] == {"country": ["Spain", "Italy"]} and answers[3].params["by"] == ["category"]
    assert str(answers[3].params["start"]) == "2025-01-01"
    assert not answers[4].params.get("filters") and answers[4].params.get("start") is None
    assert answers[4].params["metric"] == "customers"


def test_zoom_and_as_well_narrow_a_churn_answer(telco):
    answers = chat(telco, "churn par contrat", "zoom sur les Two year svp", "avec la fibre en plus")
    assert answers[1].analysis == "churn" and answers[1].params["filters"] == {"contract": ["Two year"]}
    assert answers[2].params["filters"] == {"contract": ["Two year"], "internet_service": ["Fiber optic"]}


def test_english_fibre_and_turkish_filtre_keep_their_meaning(telco):
    """French words met in English and Turkish lines: "fibre optic" is the fiber optic service (it became "fiber
    optic optic"), Turkish "filtre kaldır" still removes the filters (French "filtre" took it)."""
    answers = chat(telco, "churn by contract", "only the fibre optic ones")
    assert answers[1].analysis == "churn" and answers[1].params["filters"] == {"internet_service": ["Fiber optic"]}
    assert clean("filtre kaldır, tüm ülkeler").startswith("reset filters")


def test_a_telco_asked_in_french(telco):
    """A stranger's trial in French: "contrats mensuels" were the month grain (an error on a customers table),
    "personnes à charge" and "par partenaire" were lost, "taux de résiliation" was "rate"; these read as in English."""
    for french, english in (("taux de résiliation par service internet, seulement les contrats mensuels",
                             "churn rate by internet service, only month-to-month contracts"),
                            ("taux de churn par mode de paiement, clients avec personnes à charge uniquement",
                             "churn rate by payment method, customers with dependents only"),
                            ("churn par genre et par partenaire", "churn by gender and by partner")):
        got, want = telco._route(clean(french)), telco._route(clean(english))
        assert (got.analysis, got.params.get("by"), got.params.get("filters")) == \
            (want.analysis, want.params.get("by"), want.params.get("filters")), (french, clean(french))
        assert got.params.get("by") and got.params.get("grain") in (None, want.params.get("grain"))


def test_a_french_reset_and_review_scores(demo):
    answers = chat(demo, "CA 2024 par canal", "seulement app", "réinitialise les filtres. CA par pays")
    assert answers[1].params["filters"] == {"channel": ["app"]}
    assert not answers[2].params.get("filters") and answers[2].params.get("start") is None
    assert demo._route(clean("note moyenne des avis par trimestre")).analysis == "feedback"
