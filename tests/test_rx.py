"""core/rx: re's functions with a cache large enough for the patterns reading questions builds."""
import re

import pytest

from custlens import rx


def test_rx_answers_as_re_does():
    text = "Revenue by Country, by channel; TOP 5"
    for name, args, kwargs in [("search", (r"by (\w+)", text), {}), ("match", (r"revenue", text, re.I), {}),
                               ("fullmatch", (r".*5", text), {}), ("findall", (r"by (\w+)", text), {}),
                               ("split", (r"[,;]\s*", text, 1), {}), ("sub", (r"by", "per", text), {"count": 1}),
                               ("subn", (r"BY", "per", text), {"flags": re.I})]:
        got, want = getattr(rx, name)(*args, **kwargs), getattr(re, name)(*args, **kwargs)
        assert (got.group(0) if isinstance(got, re.Match) else got) == \
            (want.group(0) if isinstance(want, re.Match) else want), name
    assert [m.span() for m in rx.finditer(r"by", text)] == [m.span() for m in re.finditer(r"by", text)]


def test_more_patterns_than_re_keeps_stay_compiled():
    patterns = [rf"(?<!\w)value{i}(?!\w)" for i in range(1000)]  # re keeps 512
    for p in patterns:
        rx.search(p, "value7")
    hits = rx.compile.cache_info().hits
    for p in patterns:
        rx.search(p, "value7")
    assert rx.compile.cache_info().hits - hits == len(patterns)  # none compiled again


def test_first_chars_of_a_pattern():
    assert rx.first_chars(r"cust(?:omer)?s?", re.I) == {"c"}
    assert rx.first_chars(r"(?:a\s+)?cross-?tab", re.I) == {"a", "c"}  # an optional start: what follows too
    assert rx.first_chars(r"(?<=\w\s)(?:lah|Leh)(?=\s*$)", re.I) == {"l"}  # lookarounds consume nothing
    assert rx.first_chars(r"[A-C]x|#\s?of") == {"a", "b", "c", "#"}
    assert rx.first_chars(r"\w+") is None  # any letter
    assert rx.first_chars(r"x?") is None  # may match nothing
    assert rx.first_chars("\u212aelvin") is None  # a letter re.I may match an ASCII one with
    assert rx.first_chars("(") is None  # a pattern re cannot read


def test_alternatives_match_as_the_one_pattern_would():
    """Alternatives searched by their first character give the same replacements, from the same
    alternatives, as one pattern of them all; where a longer one comes first it still wins, a match
    that starts with a letter re.I folds (the Kelvin sign) is found, and so is an empty one."""
    before, after = r"(?<![\w-])", r"(?![\w-])"
    alternatives = [("a0", r"cust(?:omer)?s?"), ("a1", r"c"), ("a2", r"(?:the\s+)?ytd"), ("a3", r"(?<=\d\s)x(?=\s+\d)"),
                    ("a4", r"#\s?of"), ("a5", r"\d+k"), ("a6", r"k(?:pi|pis)"), ("a7", r"s(?:ales)?")]
    one = re.compile(before + "(?:" + "|".join(f"(?P<{n}>{p})" for n, p in alternatives) + ")" + after, re.I)
    fast = rx.Alternatives(before, alternatives, after, re.I)
    said = lambda m: f"<{m.lastgroup}:{m.group(0)}>"  # noqa: E731
    texts = ["Customers and custs by c", "THE YTD sales, 2024 x 2025", "# of KPIs over 20k", "\u212aPI and \u017fales",
             "", "x", "cust-level custs", "sales-ish s", "ytd\u00e9 ytd"]
    for text in texts:
        assert fast.sub(said, text) == one.sub(said, text), text
    assert fast.sub(said, "custs by c") == "<a0:custs> by <a1:c>"
    with pytest.raises(ValueError, match="e0"):  # re retries the place of an empty match for a longer one
        rx.Alternatives(r"(?<!\w)", [("e0", r"z?"), ("e1", r"yes")], "", 0)
