"""Questions in the words of six more kinds of user (issue 16), each mixing a first language into
English: a Surabaya reseller in Indonesian ("berapa pelanggan per bulan", "yg sering dibeli bareng"), a
Kazan marketplace director in Russian ("vyruchka po mesyatsam", "ottok", "сумма сделок по кварталам"), a
Cairo shop owner in Arabizi ("kam order fel shahr da", "el mabi3at"), a Lisbon pastry-shop owner in
Portuguese ("clientes que desistiram", "taxa de sucesso"), a Dakar boutique owner in French ("les ventes
par mois", "taux de départ") and a Chiang Mai spa owner in Thai ("yod khai per duean tao rai ka", Buddhist
years). Also read by class: "on" a column as "by", holidays of one month, "online" and "the shop" as the
business (not a channel), prices and exchange rates of the outside world. Each class is checked on
phrasings of its own beside the corpus's."""
import datetime as dt

import pytest

from helpers import demo_session, session, telco_export

from custlens.slots import buddhist_years, clean, extract

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Coffee", "Kitchen", "Pet"],
                           "product": ["Blender", "Yoga Mat"], "country": ["France", "Germany", "Egypt"]},
          "customers": {"gender": ["F", "M"], "customer_type": ["B2B", "B2C"], "city": ["Lyon", "Cairo"],
                        "acquisition_channel": ["email", "referral", "social"]}}


def read(text: str) -> dict:
    return extract(clean(text), VALUES, END)[0]


def said(got: dict, expected: dict) -> dict:
    return {k: got.get(k) for k in expected}


@pytest.fixture(scope="module")
def demo():
    return demo_session(300, 7)[0]


@pytest.fixture(scope="module")
def telco(tmp_path_factory):
    return session(telco_export(tmp_path_factory.mktemp("telco")))


@pytest.mark.parametrize("question, expected", [
    # Indonesian
    ("berapa pesanan per minggu bulan lalu", {"metric": "orders", "grain": "week", "start": D(2025, 12, 1),
                                              "end": END}),
    ("penjualan 6 bulan terakhir per kategori", {"metric": "revenue", "by": ["category"], "start": D(2025, 7, 1)}),
    ("rata2 nilai pesanan tahun ini", {"metric": "aov", "start": D(2025, 1, 1), "end": D(2025, 12, 31)}),
    # Russian, in Latin letters and in Cyrillic
    ("zakazy po nedelyam za 2024", {"metric": "orders", "grain": "week", "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("выручка по странам за 2023", {"metric": "revenue", "by": ["country"], "start": D(2023, 1, 1)}),
    ("sredniy chek po kategoriyam", {"metric": "aov", "by": ["category"]}),
    # Egyptian Arabic in Latin letters
    ("kam customer eshtara fel akher 3 shohor", {"metric": "customers", "start": D(2025, 10, 1), "end": END}),
    ("el mabi3at kol shahr el sana di", {"metric": "revenue", "grain": "month", "start": D(2025, 1, 1)}),
    # Portuguese and French
    ("a média por encomenda in 2024", {"metric": "aov", "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("les ventes par ville en 2025", {"metric": "revenue", "by": ["city"], "start": D(2025, 1, 1)}),
    ("combien de commandes par semaine l'année dernière", {"metric": "orders", "grain": "week", "start": D(2024, 1, 1)}),
    # Thai, with a year of the Buddhist era
    ("yod khai duean la tao rai pee 2567 ka", {"metric": "revenue", "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("luk kha by country na", {"metric": "customers", "by": ["country"]}),
])
def test_measures_periods_and_grains_in_six_languages(question, expected):
    assert said(read(question), expected) == expected, (question, read(question))


@pytest.mark.parametrize("question, analysis", [
    ("kenapa pelanggan pada kabur tahun ini", "churn"),
    ("produk apa yg sering dibeli bareng sama Blender", "basket"),
    ("bikinin laporan lengkap buat bos", "report"),
    ("ottok po mesyatsam", "churn"),
    ("kogorty klientov po kvartalam", "cohort"),
    ("kam zaboon khasarnah el sana di", "churn"),
    ("clientes que desistiram em 2025", "churn"),
    ("taux de départ des abonnés par mois", "churn"),
    ("which items go most often with the Blender", "basket"),
])
def test_the_analysis_meant_in_six_languages(demo, question, analysis):
    assert demo._route(question).analysis == analysis, question


def test_buddhist_years_are_read_where_a_year_is_said_and_counts_stay():
    assert buddhist_years("sales songkran 2568") == "sales songkran 2025"
    assert buddhist_years("orders jan 2566 to mar 2566") == "orders jan 2023 to mar 2023"
    assert buddhist_years("2565 vs 2566") == "2022 vs 2023"
    assert buddhist_years("top 2560 customers") == "top 2560 customers"  # a count, not a year
    assert buddhist_years("customer 2567 orders") == "customer 2567 orders"


@pytest.mark.parametrize("question, start, end", [
    ("orders over black friday 2024", D(2024, 11, 1), D(2024, 11, 30)),
    ("white friday 2025 sales", D(2025, 11, 1), D(2025, 11, 30)),
    ("revenue around songkran 2025", D(2025, 4, 1), D(2025, 4, 30)),
    ("halloween 2023 orders", D(2023, 10, 1), D(2023, 10, 31)),
])
def test_holidays_of_one_month_are_that_month(question, start, end):
    got = read(question)
    assert (got.get("start"), got.get("end")) == (start, end), (question, got)


def test_a_measure_on_a_column_is_a_breakdown_by_it(telco):
    assert read("sales on categories in 2024")["by"] == ["category"]
    assert read("customers on gender")["by"] == ["gender"]
    assert telco._route("monthly charges on contract and gender").params["by"] == ["contract", "gender"]
    assert read("sales on the app")["filters"] == {"channel": ["app"]}  # a value after "on" stays a filter
    assert telco._route("the effect of contract on churn").params["by"] == ["contract"]


@pytest.mark.parametrize("question", [
    "how many customers does the online shop have",
    "revenue of our online store in 2024",
    "group the online customers into 4 clusters",
    "how many customers in the shop",
    "rfm segments for the shop customers",
])
def test_the_business_named_is_no_channel(question):
    assert "channel" not in (read(question).get("filters") or {}), question


def test_the_shops_in_the_plural_and_the_website_are_channels():
    assert read("revenue in the shops only, 2024")["filters"] == {"channel": ["store"]}
    assert read("orders through the website last month")["filters"] == {"channel": ["web"]}


@pytest.mark.parametrize("question", [
    "what is the exchange rate of the euro to the dollar",
    "kurs dollar ke rupiah hari ini",
    "price of our shares today",
])
def test_the_outside_worlds_prices_are_declined(demo, question):
    assert demo._route(question) is None, question  # declined


def test_follow_ups_in_indonesian_arabizi_and_portuguese(demo):
    s = demo.fork()
    s.chat("penjualan per negara tahun 2024")
    a = s.chat("kalo yg Germany aja?")
    assert a.params["filters"] == {"country": ["Germany"]} and a.params["start"] == "2024-01-01", a.understood
    a = s.chat("eh bukan, maksud aku France")
    assert a.params["filters"] == {"country": ["France"]}, a.understood
    a = s.chat("w fel Japan bas?")
    assert a.params["filters"] == {"country": ["Japan"]}, a.understood
    a = s.chat("hapus filternya")
    assert not a.params.get("filters"), a.understood


def test_english_words_stay_english():
    assert clean("social media posts") == "social media posts"
    assert clean("the mesh wifi kept dropping") == "the mesh wifi kept dropping"  # not the Arabizi "not"
    assert read("sales by channel in El Salvador").get("by") == ["channel"]
    assert clean("customers in RO and GA") == "customers in RO and GA"  # codes, not particles


@pytest.mark.parametrize("question, compared", [
    ("orders in H1 2025, and in the same half one year before", [(D(2024, 1, 1), D(2024, 6, 30)), (D(2025, 1, 1), D(2025, 6, 30))]),
    ("sales in march 2025 and the same month last year", [(D(2024, 3, 1), D(2024, 3, 31)), (D(2025, 3, 1), D(2025, 3, 31))]),
    ("quantas encomendas no 1st semester 2025 vs the same semester a year earlier",
     [(D(2024, 1, 1), D(2024, 6, 30)), (D(2025, 1, 1), D(2025, 6, 30))]),
])
def test_the_same_span_a_year_away_is_compared(question, compared):
    assert read(question).get("compare") == compared, (question, read(question))


def test_a_topic_said_as_related_narrows_the_feedback(demo):
    s = demo.fork()
    s.chat("what are customers complaining about")
    a = s.chat("only delivery related")
    assert a.analysis == "feedback" and a.params["filters"] == {"topic": ["delivery"]}, a.understood


@pytest.mark.parametrize("question", [
    "are we selling more in the shop or online these days",
    "is online doing better than the shop",
    "repeat rate in the store versus online",
    "revenue: shops / online",
])
def test_the_shop_set_against_online_is_every_channel_side_by_side(question):
    got = read(question)
    assert got.get("by") == ["channel"] and not got.get("filters"), (question, got)
