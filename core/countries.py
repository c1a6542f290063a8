"""Country names in the words people use: one country, however it is written.

A question says "Germany", "Deutschland", "Allemagne", "DE" or "DEU"; the data may say any of
them. ``country_of`` tells which country a text names (an ISO 3166-1 alpha-2 code), ``names`` and
``codes`` list the ways to say one. The names, codes and translations are pycountry's (ISO 3166-1
and its translations: English, German, French, Spanish, Italian, Dutch, Portuguese, Turkish, Greek,
Malay); ``EVERYDAY``
adds the few everyday English names ISO does not use ("USA", "America", "UK", "Great Britain",
"England", "Holland", "Russia") and the Vietnamese names people write ("Đức", "Nhật", "Hà Lan"). Everything is read once, offline.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from . import rx

#: the languages whose country names are understood
LANGUAGES = ("de", "fr", "es", "it", "nl", "pt", "pt_BR", "tr", "el", "ms")

#: everyday names that are not ISO's (nor a translation of it): alpha-2 -> names
EVERYDAY = {
    "US": ["USA", "U.S.A.", "America", "United States of America", "ABD", "Amerika", "Hoa Kỳ"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland",
           "Großbritannien", "Grande-Bretagne", "Gran Bretaña", "Gran Bretagna", "Groot-Brittannië", "Grã-Bretanha",
           "İngiltere", "Ingiltere", "Anh Quốc", "Anglia"],
    "NL": ["Holland", "the Netherlands", "Holanda", "Hollande", "Olanda", "Hà Lan", "Ha Lan", "Ollandia"],
    "RU": ["Russia"],
    # Vietnamese names people write (pycountry's Vietnamese has one-letter and everyday-word names: "Ý", "Mỹ"), and
    # Greek ones in Latin letters (Greeklish: "Gallia", "Germania")
    "DE": ["Đức", "Duc", "Germania"], "FR": ["Pháp", "Phap", "Gallia"], "JP": ["Nhật Bản", "Nhật", "Nhat Ban", "Iaponia"], "ES": ["Tây Ban Nha", "Tay Ban Nha", "Ispania"],
    "SE": ["Thụy Điển", "Thuy Dien"], "PL": ["Ba Lan"], "IN": ["Ấn Độ", "An Do"], "AU": ["Úc"],
    "CN": ["Trung Quốc", "Trung Quoc"],
    "TR": ["Turkey"],
    "CZ": ["Czech Republic"],
    "KR": ["South Korea", "Hàn Quốc", "Han Quoc"],
    "VN": ["Vietnam"],
    "CI": ["Ivory Coast"],
    "MM": ["Burma"],
    "CV": ["Cape Verde"],
    "SZ": ["Swaziland"],
    "MK": ["Macedonia"],
    "VA": ["Vatican", "Vatican City"],
    "AE": ["UAE", "Emirates"],
    "PS": ["Palestine"],
    "FM": ["Micronesia"],
    "LA": ["Laos"],
    "SY": ["Syria"],
    "IR": ["Iran"],
    "MD": ["Moldova"],
    "TZ": ["Tanzania"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TW": ["Taiwan"],
    "BN": ["Brunei"],
}
#: English adjectives of countries, read as the country only before a word for people or a market
#: ("german customers", "our french buyers", "the japanese market"): alpha-2 -> adjectives
DEMONYMS = {"DE": ["german"], "FR": ["french"], "ES": ["spanish"], "IT": ["italian"], "NL": ["dutch"],
            "GB": ["british", "english", "scottish", "welsh"], "US": ["american"], "CA": ["canadian"],
            "MX": ["mexican"], "BR": ["brazilian"], "AR": ["argentinian", "argentine"], "JP": ["japanese"],
            "CN": ["chinese"], "IN": ["indian"], "AU": ["australian", "aussie"], "NZ": ["new zealand"], "SG": ["singaporean"],
            "KR": ["korean", "south korean"], "SE": ["swedish"], "NO": ["norwegian"], "DK": ["danish"],
            "FI": ["finnish"], "PL": ["polish"], "AT": ["austrian"], "CH": ["swiss"], "BE": ["belgian"],
            "PT": ["portuguese"], "IE": ["irish"], "GR": ["greek"], "TR": ["turkish"], "CZ": ["czech"],
            "HU": ["hungarian"], "RO": ["romanian"], "ZA": ["south african"], "IL": ["israeli"]}
_PEOPLE = (r"(?:customers?|clients?|buyers?|shoppers?|users?|accounts?|consumers?|people|subscribers?|market|stores?|"
           r"orders?|purchases?|sales|revenue|cohorts?|donors?|members?|deals?)")
_DEMONYM = re.compile(r"\b(" + "|".join(sorted((a for v in DEMONYMS.values() for a in v), key=len, reverse=True))
                      + r")\s+" + _PEOPLE + r"\b", re.I)
_DEMONYM_CODE = {a: code for code, adjectives in DEMONYMS.items() for a in adjectives}
#: the people of a country said alone ("repeat rate for aussies", "do the germans spend more", "brits vs
#: kiwis"): each adjective in -an or -i with an s, and the everyday nicknames
NATIONALS = {**{a + "s": code for a, code in _DEMONYM_CODE.items() if a.endswith(("an", "i"))},
             "aussies": "AU", "aussie": "AU", "ozzies": "AU", "brits": "GB", "kiwis": "NZ",
             "yanks": "US", "swedes": "SE", "danes": "DK", "finns": "FI", "spaniards": "ES", "canucks": "CA"}
_NATIONALS = re.compile(r"\b(?:the\s+)?(" + "|".join(sorted(NATIONALS, key=len, reverse=True)) + r")\b", re.I)
#: "the us customers": "us" after "the" and before a word for people is the country, never the pronoun
_THE_US = re.compile(r"\bthe\s+(us)\s+" + _PEOPLE + r"\b|\b(?:in|from|with|to|than|vs\.?|versus|and|or)\s+the\s+(States)\b"
                     r"(?!\s+of\b)", re.I)  # "churn in Canada compared with the States"
#: what sets two countries side by side or lists them: "us + canada", "uk v us", "uk, us and canada"
_BESIDE = re.compile(r"\s*(?:\+|&|,|/|and|or|vs\.?|v|versus|against|compared\s+(?:to|with))\s*(?:the\s+)?", re.I)

#: a name that is the tail of a larger place's ("South America" is no country): not after these words
NOT_AFTER = {"america": ("south", "north", "latin", "central")}
#: short forms of a code that are codes too ("UK" is the United Kingdom, though ISO says GB)
EXTRA_CODES = {"GB": ["UK"], "AE": ["UAE"]}
#: upper-case words that are everyday abbreviations more often than country codes ("customer ID",
#: "the IT team", "AI", "PR"): codes only after "in"/"for"/"from"
ABBREVIATIONS = {"ID", "IT", "AI", "PR", "TV", "AM", "PM", "OK", "VAT", "CEO", "CAN", "AND", "ARE", "PER", "BEN",
                 "DOM", "TON", "MAR", "COD", "GAB", "NOR", "FIN", "HUN", "TUN", "GIN", "PAN", "ARM", "NIC",
                 "COM", "MAC", "LIE", "CUB", "ALA", "IS", "IN", "NO", "TO", "SO", "ME", "MY", "BE", "DO",
                 "AT", "AS", "BY", "GO", "HI", "PA", "LA", "MA", "CD", "CV"}  # CDs and CVs: not Congo, Cape Verde


def plain(text: str) -> str:
    """Lower case without accents or punctuation, words single-spaced: "Österreich" -> "osterreich",
    "Côte d'Ivoire" -> "cote d ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    # an ASCII text has no combining marks to drop (most names: thousands of them at start-up)
    ascii_ = decomposed if decomposed.isascii() else "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(rx.sub(r"[^\w]+", " ", ascii_.lower().replace("ß", "ss")).split())


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
    """(names: alpha-2 -> the country's names, plain; codes: alpha-2 -> its codes, upper case;
    lookup: plain name -> the alpha-2 codes it may mean)."""
    import gettext

    import pycountry

    translations = []
    for lang in LANGUAGES:
        try:
            translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:  # a pycountry without that locale: the other languages still work
            continue
    names: dict[str, set[str]] = {}
    codes: dict[str, set[str]] = {}
    for country in pycountry.countries:
        a2 = country.alpha_2
        english = [getattr(country, k, None) for k in ("name", "common_name", "official_name")]
        english = [n for n in english if n]
        forms = set(english)
        for name in english:
            forms |= {t.gettext(name) for t in translations}
        for name in list(forms):
            # "Korea, Republic of" -> "Korea"; "Virgin Islands (British)" -> "Virgin Islands"
            head = rx.split(r",|\(", name)[0].strip()
            if head and head != name:
                forms.add(head)
        forms |= set(EVERYDAY.get(a2, []))
        names[a2] = {p for p in map(plain, forms) if p}
        codes[a2] = {a2, country.alpha_3, *EXTRA_CODES.get(a2, [])}
    lookup: dict[str, set[str]] = {}
    for a2, forms in names.items():
        for f in forms:
            lookup.setdefault(f, set()).add(a2)
    return names, codes, lookup


def names(code: str) -> set[str]:
    """Every name of the country with this alpha-2 code, plain (``plain``): English, the
    translations and the everyday names."""
    return _tables()[0].get(code.upper(), set())


def codes(code: str) -> set[str]:
    """The codes of a country, upper case: alpha-2, alpha-3 and short forms ("GB", "GBR", "UK")."""
    return _tables()[1].get(code.upper(), set())


def is_code(text: str) -> str | None:
    """The alpha-2 code of a country code as written ("DE", "DEU", "UK"; upper case only), else None."""
    if not rx.fullmatch(r"[A-Z]{2,3}", text):
        return None
    for a2, cs in _tables()[1].items():
        if text in cs:
            return a2
    return None


@functools.lru_cache(maxsize=512)
def english_name(code: str) -> str | None:
    """The country's English name ("United Kingdom" for GB, "Germany" for DE), as ISO 3166-1 has it."""
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return getattr(found, "common_name", None) or getattr(found, "name", None) if found else None


def country_of(text: str, allow_codes: bool = True) -> str | None:
    """The alpha-2 code of the country ``text`` names, in any of the languages or as a code
    (``allow_codes``: "DE", "deu"), else None. A name several countries share ("Congo") is None."""
    stripped = text.strip()
    if allow_codes and rx.fullmatch(r"[A-Za-z]{2,3}", stripped):
        code = is_code(stripped.upper())
        if code:
            return code
    hits = _tables()[2].get(plain(stripped), set())
    return next(iter(hits)) if len(hits) == 1 else None


def all_names() -> dict[str, set[str]]:
    """plain name -> the alpha-2 codes it may mean, for every country."""
    return _tables()[2]


_TOKEN = re.compile(r"\w+")
#: the longest name in words ("Saint Vincent and the Grenadines", "Bonaire Sint Eustatius and Saba")
_MAX_WORDS = 8
_CUE = re.compile(r"\b(?:in|for|from)\s+(the\s+)?$", re.I)
_NAME_CUE = re.compile(r"\b(?:in|for|from|only|just|except|excluding|to|at|not)\s+(?:the\s+)?$", re.I)
_CONTEXT = re.compile(r"\b(?:countr(?:y|ies)|nations?|markets?)\b", re.I)
#: "in us" / "only us" that ends what is said ("and in us?", "revenue in us last year"): the
#: country; "trust in us", "buy from us again" go on, or are said of the company
_US_ALONE = re.compile(r"\b(?:in|only|just)\s+(?:the\s+)?$", re.I)
_US_ENDS = re.compile(r"\s*(?:[?!.]*\s*$|,|(?:only|vs|versus|and|or|last|this|since|during|in|by|per)\b)", re.I)


class Mention:
    """A country named in a text: where, the words as written, its alpha-2 code, and whether it
    was written as a name people would not mistake for another word (capitalised, or after
    in/for/from/only...): only those are reported when the data does not have the country."""

    __slots__ = ("start", "end", "words", "code", "deliberate")

    def __init__(self, start: int, end: int, words: str, code: str, deliberate: bool):
        self.start, self.end, self.words, self.code, self.deliberate = start, end, words, code, deliberate

    def __repr__(self) -> str:  # pragma: no cover - for debugging
        return f"Mention({self.words!r}, {self.code})"


def mentions(text: str) -> list[Mention]:
    """The countries ``text`` names, left to right, the longest name first ("Papua New Guinea" is
    not Guinea). Names in any of the languages count in any case; a code ("DE", "USA", "UK")
    counts only when written as one: in upper case in a text that is not all upper case (an
    everyday abbreviation such as "ID" or "IT" only after "in"/"for"/"from"), or in lower case
    after "in"/"for"/"from" when the text speaks of countries ("country", "markets", another
    country named); "us" only as "in/for/from the us" or as "in us" / "only us" that ends what is
    said ("and in us?"). "customers who bought from us" names no country."""
    lookup = _tables()[2]
    tokens = [(m.start(), m.end(), plain(m.group(0))) for m in _TOKEN.finditer(text)]
    found: list[Mention] = []
    taken: set[int] = set()
    i = 0
    while i < len(tokens):
        hit = None
        for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            phrase = " ".join(t[2] for t in tokens[i:i + n])
            codes_ = lookup.get(phrase)
            if codes_ and len(codes_) == 1 and not (i and tokens[i - 1][2] in NOT_AFTER.get(phrase, ())):
                hit = n, next(iter(codes_))
                break
        if hit:
            n, code = hit
            start, end = tokens[i][0], tokens[i + n - 1][1]
            words = text[start:end]
            deliberate = words[:1].isupper() or bool(_NAME_CUE.search(text[:start]))
            found.append(Mention(start, end, words, code, deliberate))
            taken.update(range(i, i + n))
            i += n
        else:
            i += 1
    mixed_case = any(ch.islower() for ch in text)
    context = bool(_CONTEXT.search(text)) or bool(found)
    for j, (start, end, _) in enumerate(tokens):
        word = text[start:end]
        if j in taken or not 2 <= len(word) <= 3 or not word.isalpha():
            continue
        code = is_code(word.upper())
        if not code:
            continue
        if text[start - 1:start] in ("/", "-") or text[end:end + 1] in ("/", "-"):
            continue  # "BG/NBD", "B2B-DE-001": part of a longer term
        cue = _CUE.search(text[:start])
        if word.isupper() and mixed_case and (word not in ABBREVIATIONS or cue):
            found.append(Mention(start, end, word, code, True))
        elif cue and (word.islower() or word.isupper()) and (
                context and word.upper() not in ABBREVIATIONS and word.lower() != "us" or
                word.lower() == "us" and cue.group(1)) or \
                word == "us" and _US_ALONE.search(text[:start]) and _US_ENDS.match(text[end:]) and \
                not rx.search(r"\b(?:trust|interest|confidence|faith|believe|belief)\w*\s+in\s+$", text[:start], re.I):
            # "sales by country in de"; "us" only as "in the us", or closing "and in us?"
            found.append(Mention(start, end, word, code, True))
    for m in _DEMONYM.finditer(text):  # "german customers": Germany
        if not any(f.start < m.end(1) and m.start(1) < f.end for f in found):
            found.append(Mention(m.start(1), m.end(1), m.group(1), _DEMONYM_CODE[m.group(1).lower()], True))
    for pattern, code_of in ((_NATIONALS, lambda w: NATIONALS[w.lower()]), (_THE_US, lambda w: "US")):
        for m in pattern.finditer(text):  # "for aussies": Australia; "the us customers": the United States
            g = next(i for i in range(1, (m.lastindex or 1) + 1) if m.group(i))
            if not any(f.start < m.end(g) and m.start(g) < f.end for f in found):
                found.append(Mention(m.start(g), m.end(g), m.group(g), code_of(m.group(g)), True))
    for m in re.finditer(r"(?<![\w-])us(?![\w-])", text, re.I):  # "us + canada", "uk v us": a country beside another
        if not any(f.start <= m.start() < f.end for f in found) and any(
                f.code != "US" and (f.end <= m.start() and _BESIDE.fullmatch(text[f.end:m.start()]) or
                                    m.end() <= f.start and _BESIDE.fullmatch(text[m.end():f.start])) for f in found):
            found.append(Mention(m.start(), m.end(), m.group(0), "US", True))
    return sorted(found, key=lambda m: m.start)


@functools.lru_cache(maxsize=1)
def _subdivisions() -> dict[str, dict[str, str]]:
    """{country alpha-2: {subdivision code without the country ("CA"): its name ("California")}} (pycountry's
    ISO 3166-2)."""
    import pycountry

    out: dict[str, dict[str, str]] = {}
    for sub in pycountry.subdivisions:
        out.setdefault(sub.country_code, {})[sub.code.split("-", 1)[1]] = sub.name
    return out


def subdivision_names(values: list[str], least: int = 5) -> dict[str, str]:
    """{name of a state or province (lower case): the data's value} when ``values`` are the subdivision codes
    of one country, as a US churn table writes its states (KS, OH, CA...; in any case, "ny" beside "NY"): at
    least ``least`` codes (five; fewer where the column is named a region or state), nine in ten of them codes
    of that country's subdivisions and fewer of any other's; else {}. A code written in two cases names the
    value written in capitals."""
    codes: dict[str, str] = {}
    for v in sorted(values, key=lambda v: not str(v).isupper()):  # the capitals' spelling first
        codes.setdefault(str(v).strip().upper(), v)
    codes.pop("", None)
    if len(codes) < least or not all(rx.fullmatch(r"[A-Z0-9]{1,3}", c) for c in codes):
        return {}
    held = sorted(((sum(c in subs for c in codes), country) for country, subs in _subdivisions().items()), reverse=True)
    (best, country), (second, _) = held[0], held[1]
    if best < 0.9 * len(codes) or second >= best:
        return {}
    subs = _subdivisions()[country]
    return {plain(subs[c]): v for c, v in codes.items() if c in subs}
