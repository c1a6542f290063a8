"""core/rx: re's functions with a cache large enough for the patterns reading questions builds."""
import re

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
