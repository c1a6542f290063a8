"""Questions in Turkish, Vietnamese, Québec French, Greek (its letters or Greeklish) and Malay, whole or mixed
into English, and in the plain words of people new to the trade (issue 16): the measures, periods, breakdowns,
tops, inactivity and horizons, the countries as those languages name them, a month written with its year
("03/2025", "tháng 3/2025"), a quarter written "T3", a percentage with its sign first, a month span "of this
year", a day range "from the 18th to the 24th of December", what someone "usually spends each visit", and the
turns of a conversation (reset, "only", start over, a bare year, "let us start again"). The phrasings here are
this file's own, not the corpus authors'; English words that look alike keep their meaning."""
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
                           "country": ["Australia", "France", "Germany", "Italy", "Japan", "Netherlands", "Singapore",
                                       "Spain", "United Kingdom", "United States"]},
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


# --------------------------------------------------------------------------- Turkish
@pytest.mark.parametrize("said, expected", [
    ("geçen yıl toplam ciro", {"metric": "revenue", "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("bu ay kaç sipariş aldık", {"metric": "orders", "start": D(2025, 12, 1)}),
    ("son 3 ay ülke bazında satışlar", {"by": ["country"], "start": D(2025, 10, 1)}),
    ("kanal bazinda musteri sayisi", {"by": ["channel"], "metric": "customers"}),
    ("Hollanda'daki müşterilerin cirosu 2024'te", {"filters": {"country": ["Netherlands"]}, "start": D(2024, 1, 1)}),
    ("İngiltere ve Almanya siparişleri", {"filters": {"country": ["United Kingdom", "Germany"]}, "metric": "orders"}),
    ("2024ten beri aylık ciro", {"start": D(2024, 1, 1), "grain": "month"}),
    ("mart'tan mayıs'a 2025 ciro", {"start": D(2025, 3, 1), "end": D(2025, 5, 31)}),
    ("ilk 7 ürün adet olarak", {"top": 7}),
    ("kadın erkek dağılımı müşteriler", {"by": ["gender"]}),
    # "wise" after a period: the period stays one ("last year category wise" was "last by year category")
    ("geçen yıl kategori bazında ciro", {"by": ["category"], "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("last year channel wise orders", {"by": ["channel"], "start": D(2024, 1, 1), "metric": "orders"}),
])
def test_turkish_measures_periods_and_breakdowns(said, expected):
    got = read(said)
    assert some(got, expected) == expected, (said, clean(said), got)


@pytest.mark.parametrize("said, days", [("4 aydır hiç sipariş vermeyen müşteriler", 120),
                                        ("45 gündür bişey almayan müşteri listesi", 45),
                                        ("bir yıldır alışveriş yapmamış kaç müşteri var", 365)])
def test_turkish_inactivity(demo, said, days):
    route = demo._route(clean(said))
    assert (route.analysis, route.params.get("inactive_days")) == ("churn", days), (said, clean(said))


def test_turkish_groups_horizon_and_a_percentage_with_its_sign_first(demo):
    assert demo._route(clean("müşterileri 5 gruba ayır"), analysis="segmentation").params["k"] == 5
    assert demo._route(clean("önümüzdeki 18 ay için clv"), analysis="clv").params["horizon"] == 18
    assert read("en değerli %20 müşteri")["share"] == pytest.approx(0.2)
    assert read("en sadık 12 müşteri")["top"] == 12


# --------------------------------------------------------------------------- Vietnamese
@pytest.mark.parametrize("said, expected", [
    ("doanh thu tháng trước", {"metric": "revenue", "start": D(2025, 12, 1), "end": D(2025, 12, 31)}),
    ("so don hang nam ngoai theo quy", {"metric": "orders", "start": D(2024, 1, 1), "grain": "quarter"}),
    ("doanh thu tháng 4/2025 ở Đức", {"start": D(2025, 4, 1), "end": D(2025, 4, 30),
                                      "filters": {"country": ["Germany"]}}),
    ("bao nhiêu khách hàng ở Hà Lan và Nhật", {"filters": {"country": ["Netherlands", "Japan"]}, "metric": "customers"}),
    ("doanh thu 2 tháng gần đây theo kênh", {"start": D(2025, 11, 1), "by": ["channel"]}),
    ("số lượng khách hàng theo giới tính", {"metric": "customers", "by": ["gender"]}),
])
def test_vietnamese_measures_periods_and_breakdowns(said, expected):
    got = read(said)
    assert some(got, expected) == expected, (said, clean(said), got)


def test_vietnamese_same_period_a_year_earlier_is_a_comparison():
    got = read("doanh thu quý 2 2025 so với cùng kỳ năm trước")
    assert got["compare"] == [(D(2024, 4, 1), D(2024, 6, 30)), (D(2025, 4, 1), D(2025, 6, 30))]


def test_vietnamese_inactivity_and_horizon(demo):
    route = demo._route(clean("khách nào 4 tháng rồi chưa quay lại mua"))
    assert (route.analysis, route.params.get("inactive_days")) == ("churn", 120)
    assert demo._route(clean("clv trong 9 tháng tới"), analysis="clv").params["horizon"] == 9


# --------------------------------------------------------------------------- Québec French
@pytest.mark.parametrize("said, expected", [
    ("les ventes du mois passé", {"metric": "revenue", "start": D(2025, 12, 1), "end": D(2025, 12, 31)}),
    ("chiffre d'affaires de l'an passé par canal", {"start": D(2024, 1, 1), "by": ["channel"]}),
    ("T2 2024 vs T2 2025 en ventes", {"compare": [(D(2024, 4, 1), D(2024, 6, 30)), (D(2025, 4, 1), D(2025, 6, 30))]}),
    ("commandes par région, les 4 derniers mois", {"by": ["region"], "start": D(2025, 9, 1)}),
    ("cmb de clients en France", {"metric": "customers", "filters": {"country": ["France"]}}),
])
def test_quebec_measures_periods_and_breakdowns(said, expected):
    got = read(said)
    assert some(got, expected) == expected, (said, clean(said), got)


def test_quebec_par_is_a_breakdown_of_any_column(telco):
    route = telco._route(clean("churn par type de contrat"))
    assert route.analysis == "churn" and route.params["by"] == ["contract"]


def test_quebec_inactivity_is_no_period(demo):
    route = demo._route(clean("les clients qui ont pas commandé depuis 5 mois"))
    assert (route.analysis, route.params.get("inactive_days")) == ("churn", 150)
    assert route.params.get("start") is None


# --------------------------------------------------------------------------- written alike in many countries
@pytest.mark.parametrize("said, start, end", [("revenue 05/2025", D(2025, 5, 1), D(2025, 5, 31)),
                                              ("orders 5.2024", D(2024, 5, 1), D(2024, 5, 31)),
                                              ("sales 11/2023 to 02/2024", D(2023, 11, 1), D(2024, 2, 29)),
                                              ("orders on 03/02/2025", D(2025, 2, 3), D(2025, 2, 3))])
def test_a_month_written_with_its_year(said, start, end):
    got = read(said)
    assert (got.get("start"), got.get("end")) == (start, end), (said, clean(said))


# --------------------------------------------------------------------------- a conversation's turns
def chat(s, *turns):
    s.conversation, s.history = Conversation(), []
    return [s.chat(t) for t in turns]


@pytest.mark.parametrize("turns, filters", [
    (("doanh thu 2025", "riêng kênh web thôi"), {"channel": ["web"]}),
    (("ventes 2025", "juste le web"), {"channel": ["web"]}),
    (("2025 ciro", "sadece app kanalı"), {"channel": ["app"]}),
])
def test_only_said_in_each_language_narrows_the_answer(demo, turns, filters):
    answers = chat(demo, *turns)
    assert answers[-1].params["filters"] == filters
    assert answers[-1].params["start"] == "2025-01-01" if isinstance(answers[-1].params["start"], str) \
        else answers[-1].params["start"] == D(2025, 1, 1)


@pytest.mark.parametrize("reset", ["filtreleri sıfırla", "bỏ hết filter đi", "efface les filtres"])
def test_reset_in_each_language_clears_filters_and_period(demo, reset):
    answers = chat(demo, "revenue in 2024 in France", reset)
    assert not answers[-1].params.get("filters") and answers[-1].params.get("start") is None, reset


# --------------------------------------------------------------------------- English stays English
@pytest.mark.parametrize("said, expected", [
    ("satisfaction by product", {"by": ["product"]}),
    ("my customers in Germany", {"filters": {"country": ["Germany"]}}),
    ("revenue by month in 2024", {"grain": "month", "start": D(2024, 1, 1)}),
])
def test_english_words_that_look_alike_keep_their_meaning(said, expected):
    got = read(said)
    assert some(got, expected) == expected, (said, clean(said), got)
    assert clean("is churn on par with last year") == "is churn on par with last year"
    assert clean("satisfied customers") == "satisfied customers"


# --------------------------------------------------------------------------- Greek, Malay and plain words
@pytest.mark.parametrize("said, expected", [
    # Greek
    ("πωλήσεις ανά μήνα πέρσι", {"metric": "revenue", "grain": "month", "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("poses paraggelies fetos stin Ιταλία", {"metric": "orders", "start": D(2025, 1, 1),
                                              "filters": {"country": ["Italy"]}}),
    ("τζίρος τους τελευταίους 4 μήνες ανά κανάλι", {"metric": "revenue", "start": D(2025, 9, 1), "by": ["channel"]}),
    ("posoi pelates apo Γερμανία", {"metric": "customers", "filters": {"country": ["Germany"]}}),
    ("μέση αξία παραγγελίας φέτος", {"metric": "aov", "start": D(2025, 1, 1)}),
    # Malay
    ("jualan bulan lepas ikut saluran", {"metric": "revenue", "start": D(2025, 12, 1), "by": ["channel"]}),
    ("berapa ramai pelanggan tahun lepas", {"metric": "customers", "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("jualan suku ketiga 2024", {"start": D(2024, 7, 1), "end": D(2024, 9, 30)}),
    ("pesanan dari Jepun tahun ni", {"metric": "orders", "filters": {"country": ["Japan"]}, "start": D(2025, 1, 1)}),
    # plain words
    ("takings from October to December of this year", {"start": D(2025, 10, 1), "end": D(2025, 12, 31)}),
    ("sales in february, march and april of last year", {"start": D(2024, 2, 1), "end": D(2024, 4, 30)}),
    ("orders from the 3rd to the 9th of March 2025", {"start": D(2025, 3, 3), "end": D(2025, 3, 9)}),
    ("who are the fifteen people who have spent the most money with us", {"top": 15}),
    ("what do people usually spend each time they visit", {"metric": "aov"}),
    ("what is the typical amount spent on a single order", {"metric": "aov"}),
    # found by a stranger's trial (questions written before running anything)
    ("Τα 5 κορυφαία προϊόντα τον τελευταίο μήνα", {"top": 5, "by": ["product"], "start": D(2025, 12, 1)}),
])
def test_greek_malay_and_plain_words(said, expected):
    got = read(said)
    assert some(got, expected) == expected, (said, clean(said), got)


def test_greek_and_malay_inactivity_and_horizon(demo):
    for said, days in (("πελάτες που δεν έχουν αγοράσει τίποτα εδώ και 5 μήνες", 150),
                       ("son 4 aydır sipariş vermeyen müşteriler", 120),
                       ("customer dah lama tak beli, lebih 2 bulan", 60),
                       ("senarai pelanggan yang 60 hari tak beli", 60),
                       ("pelanggan tak beli apa-apa dalam 2 bulan", 60)):
        route = demo._route(clean(said))
        assert (route.analysis, route.params.get("inactive_days")) == ("churn", days), (said, clean(said))
    assert demo._route(clean("CLV για τους επόμενους 9 μήνες"), analysis="clv").params["horizon"] == 9


def test_malay_churn_by_contract_type(telco):
    route = telco._route(clean("kadar churn ikut jenis kontrak"))
    assert route.analysis == "churn" and route.params["by"] == ["contract"]


def test_columns_named_in_vietnamese_and_greeklish(demo):
    assert demo._route(clean("doanh thu theo kênh thu hút khách")).params["by"] == ["acquisition_channel"]
    assert demo._route(clean("poliseis ana ilikia")).params["by"] == ["age"]


def test_a_greeklish_conversation_narrows_moves_and_resets(demo):
    answers = chat(demo, "revenue 2025 by channel", "mono Gallia", "kai perysi?", "katharise ta filtra")
    assert answers[1].params["filters"] == {"country": ["France"]}
    assert answers[2].params["filters"] == {"country": ["France"]} and str(answers[2].params["start"]) == "2024-01-01"
    assert not answers[3].params.get("filters") and answers[3].params.get("start") is None


def test_a_bare_year_after_an_answer_moves_its_period(demo):
    answers = chat(demo, "revenue in Spain in 2025", "2024?", "2023")
    assert [str(a.params["start"]) for a in answers] == ["2025-01-01", "2024-01-01", "2023-01-01"]
    assert all(a.params["filters"] == {"country": ["Spain"]} for a in answers)


@pytest.mark.parametrize("reset", ["Thank you. Let us start again: revenue by month",
                                   "Now, without any filter, please show revenue by month.",
                                   "with no filters, revenue by month"])
def test_starting_again_said_in_full_sentences_clears_the_scope(demo, reset):
    answers = chat(demo, "revenue for Germany in 2024", reset)
    assert not answers[-1].params.get("filters") and answers[-1].params.get("start") is None, reset
    assert answers[-1].params["grain"] == "month"
