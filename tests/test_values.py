"""Values said differently from the data (issue 16, item 10) and a company's own words
(custlens.toml ``[vocabulary]``), through ``Session.chat`` and ``custlens ask`` on small files
written here, with known answers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from custlens import Session, countries, slots
from custlens.cli import cli
from custlens.errors import DataError, ParamsError

#: orders per country (as the data writes it): (orders, amount of each)
DACH = {"Deutschland": (6, 100.0), "Österreich": (3, 50.0), "Schweiz": (2, 25.0), "Frankreich": (4, 10.0)}


pytestmark = pytest.mark.usefixtures("router_cache")


def write_orders(folder: Path, countries_: dict[str, tuple[int, float]], vocabulary: str | None = None) -> Path:
    """orders.csv with one customer per order, the country as given; custlens.toml beside it."""
    rows, n = [], 0
    for country, (orders, amount) in countries_.items():
        for i in range(orders):
            n += 1
            rows.append({"customer_id": f"C{n:03d}", "order_id": f"O{n:03d}",
                         "order_date": dt.date(2024, 1 + i % 12, 3), "product": "Widget" if i % 2 else "SKU-7",
                         "amount": amount, "country": country, "channel": "Online" if n % 2 else "Shop"})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "orders.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    if vocabulary is not None:
        (folder / "custlens.toml").write_text(vocabulary, encoding="utf-8")
    return path


def revenue(answer) -> float:
    return float(dict(answer.table("headline").rows)["revenue"]) if "headline" in [t.name for t in answer.tables] \
        else None


def total(countries_: list[str]) -> float:
    return sum(DACH[c][0] * DACH[c][1] for c in countries_)


@pytest.fixture
def german(tmp_path):
    return Session(data=[str(write_orders(tmp_path / "de", DACH))], entry_points=False)


def said_revenue(answer) -> float:
    """The revenue an overview's summary states ("... orders worth 600 ...")."""
    import re

    return float(re.search(r"worth ([\d,.]+)", answer.summary).group(1).replace(",", ""))


def test_only_germany_and_austria_find_the_german_names(german):
    germany = german.chat("total revenue, only Germany")
    assert germany.params["filters"] == {"country": ["Deutschland"]}
    assert said_revenue(germany) == total(["Deutschland"]) == 600
    austria = german.chat("Austria")  # a follow-up: the country said in English, the data says Österreich
    assert austria.params["filters"] == {"country": ["Österreich"]}
    assert said_revenue(austria) == total(["Österreich"]) == 150
    both = german.chat("revenue for Switzerland and France")
    assert sorted(both.params["filters"]["country"]) == ["Frankreich", "Schweiz"]
    assert said_revenue(both) == total(["Schweiz", "Frankreich"])


@pytest.mark.parametrize("question, expected", [
    ("revenue in Allemagne", "Deutschland"),  # French
    ("revenue in Alemania", "Deutschland"),  # Spanish
    ("revenue in Germania", "Deutschland"),  # Italian
    ("revenue in Duitsland", "Deutschland"),  # Dutch
    ("revenue in Alemanha", "Deutschland"),  # Portuguese
    ("revenue in Oostenrijk", "Österreich"),
    ("revenue in Osterreich", "Österreich"),  # without the accent
    ("revenue in Suisse", "Schweiz"),
    ("revenue for DEU", "Deutschland"),  # alpha-3
    ("revenue for AT customers", "Österreich"),  # alpha-2, upper case
    ("revenue by country in fr", "Frankreich"),  # lower case after "in", the question speaks of countries
])
def test_country_names_in_the_major_languages_and_codes(german, question, expected):
    assert german.chat(question).params["filters"] == {"country": [expected]}


@pytest.fixture
def english_codes(tmp_path):
    data = {"US": (5, 20.0), "GB": (3, 30.0), "DE": (2, 40.0)}
    return Session(data=[str(write_orders(tmp_path / "codes", data))], entry_points=False)


@pytest.mark.parametrize("question, expected", [
    ("revenue in the United States", "US"), ("revenue in the USA", "US"), ("revenue in America", "US"),
    ("revenue from US customers", "US"), ("revenue in the UK", "GB"), ("revenue in Great Britain", "GB"),
    ("revenue in England", "GB"), ("revenue in the United Kingdom", "GB"), ("revenue in Deutschland", "DE"),
    ("revenue in the us", "US"),  # "the us" is the country
])
def test_the_reverse_codes_in_the_data_names_in_the_question(english_codes, question, expected):
    assert english_codes.chat(question).params["filters"] == {"country": [expected]}


@pytest.mark.parametrize("question, expected", [
    ("revenue in Deutschland", "Germany"), ("total revenue, only Österreich", "Austria"), ("revenue for Schweiz", "Switzerland"),
    ("revenue in Vereinigte Staaten", "United States"), ("revenue in the US", "United States"),
    ("revenue in Royaume-Uni", "United Kingdom"), ("revenue in the UK", "United Kingdom"),
])
def test_the_reverse_english_names_in_the_data(tmp_path, question, expected):
    data = {"Germany": (2, 10.0), "Austria": (1, 5.0), "Switzerland": (1, 1.0), "United States": (1, 2.0),
            "United Kingdom": (1, 3.0)}
    s = Session(data=[str(write_orders(tmp_path / "en", data))], entry_points=False)
    answer = s.chat(question)
    assert answer.params["filters"] == {"country": [expected]}
    assert said_revenue(answer) == data[expected][0] * data[expected][1]


@pytest.mark.parametrize("question", [
    "how many customers who bought from us came back?",
    "revenue by country for us",  # "for us": the company, not the United States
    "customers who bought from us",
    "which customers should we call, it is urgent",
    "revenue in South America",  # no country of the data
    "do our customers still have trust in us",
    "what do customers think of us",
    "how much do they buy from us and how often",
])
def test_words_that_only_look_like_values_are_no_filters(english_codes, question):
    found, _ = slots.extract(question, english_codes._values(), english_codes.data_end())
    assert "country" not in (found.get("filters") or {}), found


@pytest.mark.parametrize("follow_up", ["and in us?", "in us", "only us", "what about in us", "just the us",
                                       "only the US please"])
def test_in_us_closing_a_follow_up_is_the_country(english_codes, follow_up):
    english_codes.chat("revenue by month")
    answer = english_codes.chat(follow_up)
    assert answer.analysis == "overview" and answer.params["filters"] == {"country": ["US"]}
    assert said_revenue(answer) == 5 * 20


def test_words_that_only_look_like_values_through_chat(english_codes):
    answer = english_codes.chat("how many customers did we have?")
    assert "filters" not in answer.params or not answer.params["filters"]
    again = english_codes.chat("total revenue of customers who bought from us")
    assert not (again.params.get("filters") or {}).get("country")
    assert said_revenue(again) == 5 * 20 + 3 * 30 + 2 * 40


def test_a_value_that_is_a_function_word_counts_only_with_its_column(tmp_path):
    frame = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "order_id": ["O1", "O2", "O3"],
                          "order_date": ["2024-01-01", "2024-02-01", "2024-03-01"], "amount": [10.0, 20.0, 40.0],
                          "gift": ["No", "Yes", "No"]})
    frame.to_csv(tmp_path / "orders.csv", index=False)
    s = Session(data=[str(tmp_path / "orders.csv")], entry_points=False)
    plain = s.ask("total revenue, no breakdown")
    assert not (plain.params.get("filters") or {}) and said_revenue(plain) == 70
    named = s.ask("total revenue where gift = No")
    assert named.params["filters"] == {"gift": ["No"]} and said_revenue(named) == 50


@pytest.mark.parametrize("question, missing, column", [
    ("revenue in France", "France", "country"),  # a country, not in this data
    ("only Narnia", "Narnia", None),
    ("revenue where country = Narnia", "Narnia", "country"),
    ("revenue for spain", "spain", "country"),  # lower case, after "for"
])
def test_a_filter_that_matches_nothing_is_said(tmp_path, question, missing, column):
    s = Session(data=[str(write_orders(tmp_path / "few", {"Deutschland": (2, 10.0), "Österreich": (1, 5.0)}))],
                entry_points=False)
    s.chat("total revenue")
    with pytest.raises(ParamsError) as err:
        s.chat(question)
    message = str(err.value)
    assert f"I found no {missing!r}" in message
    if column:
        assert f"in {column}: Deutschland, Österreich" in message
    else:  # the columns it was looked for in, with their values
        assert "country: Deutschland, Österreich" in message
    assert s.chat("reset filters").analysis == "overview"  # the conversation goes on


def test_a_country_named_on_data_without_countries_is_said(tmp_path):
    path = tmp_path / "orders.csv"
    pd.DataFrame({"customer_id": ["C1", "C2"], "order_id": ["O1", "O2"], "order_date": ["2024-01-01", "2024-02-01"],
                  "amount": [10.0, 20.0], "channel": ["Online", "Shop"]}).to_csv(path, index=False)
    s = Session(data=[str(path)], entry_points=False)
    with pytest.raises(ParamsError, match="I found no 'Germany' in the data: it has no column of countries"):
        s.chat("revenue in Germany")


def test_codes_rules():
    found = {m.words: m.code for m in countries.mentions("revenue for DE, FR and AUT; fit BG/NBD; customer ID 7")}
    assert found == {"DE": "DE", "FR": "FR", "AUT": "AT"}
    assert countries.mentions("SALES IN GERMANY")[0].code == "DE"  # all capitals: the name counts, "IN" is no India
    assert [m.words for m in countries.mentions("SALES IN GERMANY")] == ["GERMANY"]
    assert [m.code for m in countries.mentions("revenue from IT")] == ["IT"]  # an abbreviation after "from"
    assert countries.mentions("the IT team's customers") == []
    assert [m.code for m in countries.mentions("sales by market in de")] == ["DE"]
    assert countries.mentions("sales in de") == []  # lower case without a country context
    assert countries.country_of("Vereinigte Staaten") == "US" and countries.country_of("Royaume-Uni") == "GB"
    assert countries.country_of("Congo") is None  # two countries share it


VOCABULARY = """
[vocabulary]
accounts = "customers"
SKU = "product"
ARR = "revenue"
"DACH" = ["Germany", "Austria", "Switzerland"]
"the alps" = ["Austria", "Switzerland"]
"""


@pytest.fixture
def company(tmp_path):
    return Session(data=[str(write_orders(tmp_path / "acme", DACH, VOCABULARY))], entry_points=False)


def test_a_nickname_becomes_a_filter_of_its_values(company):
    dach = company.chat("ARR in DACH")
    assert sorted(dach.params["filters"]["country"]) == ["Deutschland", "Schweiz", "Österreich"]
    assert said_revenue(dach) == total(["Deutschland", "Österreich", "Schweiz"])
    alps = company.chat("and for the alps?")  # a follow-up: the nickname replaces the countries
    assert sorted(alps.params["filters"]["country"]) == ["Schweiz", "Österreich"]
    assert said_revenue(alps) == total(["Österreich", "Schweiz"])


def test_company_words_are_read_as_the_words_they_mean(company):
    accounts = company.chat("how many accounts do we have?")
    assert accounts.analysis == "overview"
    assert dict(accounts.table("headline").rows)["customers"] == sum(n for n, _ in DACH.values())
    by_sku = company.chat("ARR by SKU")
    assert by_sku.analysis == "overview" and by_sku.params["by"] == ["product"]
    rows = dict((r[0], r[1]) for r in by_sku.table("by_product").rows)
    assert set(rows) == {"Widget", "SKU-7"}
    # the same question without the vocabulary is read otherwise: "SKU" is no breakdown
    found, _ = slots.extract("ARR by SKU", company._values())
    assert found.get("by") != ["product"] or found.get("metric") != "revenue"


def test_apply_vocabulary_is_whole_words_any_case():
    from custlens.router import apply_vocabulary

    words = {"ARR": "revenue", "SKU": "product", "accounts": "customers"}
    assert apply_vocabulary("arr by sku for our Accounts", words) == "revenue by product for our customers"
    assert apply_vocabulary("carry the SKU-7 barrel", words) == "carry the SKU-7 barrel"


def test_a_bad_vocabulary_is_a_clear_error(tmp_path):
    path = write_orders(tmp_path / "bad", DACH, '[vocabulary]\n"DACH" = 3\n')
    with pytest.raises(DataError, match=r"custlens.toml: \[vocabulary\] 'DACH' = 3: expected a word"):
        Session(data=[str(path)], entry_points=False)


def test_describe_shows_the_vocabulary(tmp_path):
    path = write_orders(tmp_path / "acme", {"Deutschland": (1, 1.0), "Österreich": (1, 1.0)}, VOCABULARY)
    run = CliRunner().invoke
    text = run(cli, ["describe", "--data", str(path)])
    assert text.exit_code == 0, text.output
    assert "vocabulary" in text.output and "ARR" in text.output and "revenue" in text.output
    assert "not in the data: Switzerland" in text.output
    info = json.loads(run(cli, ["describe", "--data", str(path), "--format", "json"]).output)
    dach = next(e for e in info[0]["vocabulary"] if e["name"] == "DACH")
    assert dach["found"] == {"country": ["Deutschland", "Österreich"]} and dach["missing"] == ["Switzerland"]


def test_custlens_ask_reads_values_and_vocabulary(tmp_path):
    path = write_orders(tmp_path / "acme", DACH, VOCABULARY)
    res = CliRunner().invoke(cli, ["ask", "ARR for the alps", "--data", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    answer = json.loads(res.output)
    assert sorted(answer["params"]["filters"]["country"]) == ["Schweiz", "Österreich"]
    assert f"worth {total(['Österreich', 'Schweiz']):,.0f}" in answer["summary"]
    res = CliRunner().invoke(cli, ["ask", "revenue in Narnia", "--data", str(path)])
    assert res.exit_code != 0 and "I found no 'Narnia'" in res.output
