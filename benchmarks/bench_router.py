"""The router: accuracy on the evaluation corpus (benchmarks/corpus, split by author into a
development and a held-out part: see corpus/SPEC.md and _corpus.py), on tests/data/routing_questions.yaml
and on a held-out split of the analyses' own examples; routing latency after start-up, and start-up
time (fit, and cached load).

The corpus lines report, for single questions and for whole conversations (through Session.chat,
analyses not run): the analysis routed right, right or asked back with the right reading offered,
exact slots, per author, and the held-out confusion matrix. Held-out errors are never printed:
``--errors`` writes the development part's errors to corpus_errors.txt, for whoever tunes (with the
slots that differ: "key: want X, got Y"); ``--dev`` scores the development part alone (held-out
not even run) and the question set's slots: the quick loop while tuning; ``--held-out`` scores the
held-out parts alone (their figures and confusion matrix, as the whole run prints them, without
the development part, the leave-one-author-out fits and the timings); ``--latency`` times routing
alone: the first 2,000 development questions, each through ``Session._route`` on its data shape.

The installed analyses (their real examples and phrases) are the ones measured.

Held out: 5 folds over every analysis's examples; each fold's router is fitted without them and
routes them (the question set is never trained on either).

    .venv/bin/python benchmarks/bench_router.py [--dev | --held-out | --latency] [--errors]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from _measure import measure  # noqa: E402

TARGET_P95_MS = 20.0
TARGET_FIT_S = 1.0

SETUP = """
import sys, tempfile, os, time
sys.path.insert(0, {tests!r})
os.environ["CUSTLENS_CACHE_DIR"] = {cache!r}
from custlens.session import Session
"""


def held_out(analyses: dict, folds: int = 5) -> dict[str, int]:
    """Each analysis's examples routed by a router fitted without them: how many went right,
    were asked back with the right reading among those offered, went wrong, were declined."""
    from custlens.router import Router

    rng = random.Random(0)
    split = {name: rng.sample(range(len(a.examples)), len(a.examples)) for name, a in analyses.items()}
    counts = dict.fromkeys(("right", "asked back", "wrong", "declined"), 0)
    for f in range(folds):
        train, test = {}, []
        for name, a in analyses.items():
            held = {i for j, i in enumerate(split[name]) if j % folds == f}
            train[name] = type("Train", (), {"name": name, "title": a.title, "summary": a.summary,
                                             "Params": a.Params,
                                             "examples": [e for i, e in enumerate(a.examples) if i not in held]})()
            test += [(a.examples[i], name) for i in held]
        router = Router(train, cache=False)
        for question, name in test:
            route = router.route(question)
            readings = [] if route is None else [route.analysis] + [n for n, _ in route.alternatives]
            counts["declined" if route is None else "right" if route.decision == "route" and route.analysis == name
                   else "asked back" if route.decision == "clarify" and name in readings else "wrong"] += 1
    return counts


def corpus(write_errors: bool = False, dev_only: bool = False, held_only: bool = False) -> list[float]:
    """Print the corpus figures; return the routing latencies (ms) of its single questions.
    ``dev_only``: the development part alone (the held-out part is not even scored); ``held_only``: the
    held-out parts alone."""
    import _corpus

    dry = _corpus.dry_session_class()
    shapes, conv_shapes = _corpus.sessions(dry), _corpus.sessions(dry)
    latencies: list[float] = []
    results = {}
    parts = (() if held_only else (("development", _corpus.DEVELOPMENT),)) + (
        () if dev_only else (("held-out", _corpus.HELD_OUT), ("held-out 2", _corpus.HELD_OUT_2),
                             ("held-out 3", _corpus.HELD_OUT_3), ("held-out 4", _corpus.HELD_OUT_4),
                             ("held-out 5", _corpus.HELD_OUT_5)))
    for part, authors in parts:
        docs = _corpus.load(authors)
        single, convs = _corpus.Score(), _corpus.Score()
        _corpus.score_questions(docs, shapes, single, latencies)
        _corpus.score_conversations(docs, conv_shapes, convs)
        results[part] = (docs, single, convs)
        print(single.line(f"corpus {part} questions"))
        print(convs.line(f"corpus {part} conv. turns"))
        print("   by author (analysis, exact slots): " + ", ".join(
            f"{a} {single.by_author[a]}/{single.n_author[a]} {single.author_slots(a)}" for a in sorted(single.n_author)))
        print(f"   slot keys not exact (questions; conversation turns): {single.key_line()}; {convs.key_line()}")
    if not dev_only:
        print("held-out confusion (single questions; rows expected, columns got):")
        print(results["held-out"][1].confusion_table())
    if write_errors and "development" in results:
        _, single, convs = results["development"]
        with open(Path(__file__).parent / "corpus_errors.txt", "w") as out:
            for kind, errors in (("q", single.errors), ("conv", convs.errors)):
                for author, q, expected, got, slots_ok, detail in errors:
                    out.write(f"{kind}\t{author}\t{expected}\t{got}\t{'slots' if slots_ok is False else ''}\t{q}"
                              f"\t{detail}\n")
    return latencies


def cross_author() -> None:
    """Leave one development author out: the router learns from the other development authors'
    questions and is scored on the left-out one's (the estimate to tune against; held-out stays unread)."""
    import _corpus

    from custlens.router import Router

    dry = _corpus.dry_session_class()
    shapes = _corpus.sessions(dry)
    docs = _corpus.load(_corpus.DEVELOPMENT)
    total = _corpus.Score()
    for doc in docs:
        corpus: dict[str, list[str]] = {}
        for other in docs:
            if other is not doc:
                for item in list(other.get("questions") or []) + [c["turns"][0] for c in other.get("conversations") or []]:
                    corpus.setdefault(item["analysis"], []).append(item["q"])
        router = Router(shapes["demo"].analyses, cache=False, corpus=corpus)
        for shape in ("demo", "cdnow", "telco", "groceries", "crm", "events"):
            shapes[shape]._router = router
        _corpus.score_questions([doc], shapes, total)
    print(total.line("dev, each author left out"))
    print("   by author: " + ", ".join(f"{a} {total.by_author[a]}/{total.n_author[a]}" for a in sorted(total.n_author)))


def dev() -> None:
    """``--dev``: the development part of the corpus alone (held-out not scored), and the question
    set's slots: the quick loop for whoever tunes slots or routing (with ``--errors``)."""
    import yaml

    from custlens.session import Session
    from test_router import read_slots

    corpus("--errors" in sys.argv, dev_only=True)
    session = Session(entry_points=False)
    session.load_demo(customers=1000)
    questions = yaml.safe_load((Path(__file__).parent.parent / "tests" / "data" / "routing_questions.yaml").read_text())
    ok = sum(read_slots(session, item["q"]) == item["slots"] for item in questions)
    print(f"question set exact slots {ok}/{len(questions)} = {ok / len(questions):.1%}")


def main() -> None:
    import tempfile

    import yaml

    from custlens.conversation import Conversation
    from custlens.session import Session
    from test_router import read_slots, routed

    cache = tempfile.mkdtemp()
    tests = str(Path(__file__).parent.parent / "tests")
    setup = SETUP.format(tests=tests, cache=cache)
    startup = """
s = Session(entry_points=False)
import sklearn.svm, sklearn.feature_extraction.text, joblib  # imported by any first fit or load
t = time.perf_counter()
s.router
result = [time.perf_counter() - t, s.router.from_cache]
"""
    cold = measure(setup + startup)  # an empty cache dir: fits and writes the cache
    warm = measure(setup + startup)  # the same plugins: loads the cache
    assert not cold["result"][1] and warm["result"][1]

    session = Session(entry_points=False)
    session.load_demo(customers=1000)
    questions = yaml.safe_load((Path(tests) / "data" / "routing_questions.yaml").read_text())
    right = slots_right = 0
    for item in questions:
        right += routed(session, item) == item["analysis"]
        slots_right += read_slots(session, item["q"]) == item["slots"]
    session.conversation = Conversation()
    latencies = []
    for item in questions:
        t = time.perf_counter()
        session._route(item["q"])
        latencies.append((time.perf_counter() - t) * 1000)
    latencies += corpus("--errors" in sys.argv, dev_only="--dev" in sys.argv)
    cross_author()
    latencies.sort()
    p50, p95 = statistics.median(latencies), latencies[int(0.95 * len(latencies)) - 1]
    ho = held_out(session.analyses)
    ho_total = sum(ho.values())

    n = len(questions)
    print(f"analyses: {len(session.analyses)} ({', '.join(sorted(session.analyses))})")
    print(f"question set        {right}/{n} = {right / n:.1%} analysis   {slots_right}/{n} = {slots_right / n:.1%} "
          f"exact slots   (targets 95% / 90%)")
    print(f"held-out examples   {ho['right']}/{ho_total} = {ho['right'] / ho_total:.1%} analysis (5 folds); "
          + ", ".join(f"{k} {v}" for k, v in ho.items() if k != "right"))
    print(f"routing latency     p50 {p50:.1f} ms   p95 {p95:.1f} ms   ratio to the 20 ms target {p95 / TARGET_P95_MS:.2f}")
    print(f"router start-up (fresh process, after imports)  fit {cold['result'][0]:.3f} s   "
          f"cached load {warm['result'][0]:.3f} s   fit's ratio to the 1 s target {cold['result'][0] / TARGET_FIT_S:.2f}")


def latency(n: int = 2000) -> None:
    """Routing latency alone: the first ``n`` development questions, each routed on its data shape
    (the shapes' sessions made and warmed first), p50 and p95 and the ratio to the target."""
    from custlens.errors import CustlensError
    from custlens.session import Session

    from _corpus import DEVELOPMENT, load, sessions

    shapes = sessions(Session)
    items = [item for doc in load(DEVELOPMENT) for item in doc.get("questions") or []][:n]
    shapes_used = dict.fromkeys(item.get("data", "demo") for item in items)
    for item in items[:50] + [{"q": "how many customers", "data": shape} for shape in shapes_used]:
        shapes[item.get("data", "demo")]._route(item["q"])  # each shape's session made, its values read
    times = []
    for item in items:
        session = shapes[item.get("data", "demo")]
        t = time.perf_counter()
        try:
            session._route(item["q"])
        except CustlensError:
            pass
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p50, p95 = statistics.median(times), times[int(0.95 * len(times)) - 1]
    print(f"routing latency ({len(times)} development questions)  p50 {p50:.1f} ms   p95 {p95:.1f} ms   "
          f"ratio to the 20 ms target {p95 / TARGET_P95_MS:.2f}")


if __name__ == "__main__":
    if "--latency" in sys.argv:
        latency()
    elif "--dev" in sys.argv:
        dev()
    elif "--held-out" in sys.argv:
        corpus(held_only=True)
    else:
        main()
