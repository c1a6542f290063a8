"""The fuzzers of tests/test_fuzz.py at length: many questions (real ones mutated, random unicode)
in fresh and ongoing conversations, and many small random CSV, Excel and basket files. Prints how
many inputs it tried and how many failed (an exception other than custlens's own errors), with
the first few failures to reproduce; and how long the slowest of the long questions in
``fuzzing.LONG`` takes beside a short one.

    .venv/bin/python benchmarks/fuzz.py [--questions 2000] [--files 300] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

import fuzzing  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=int, default=2000)
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    rnd = random.Random(args.seed)
    tried = failed = 0
    failures: list[str] = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        session = fuzzing.store_session(Path(tmp))
        questions = fuzzing.questions()
        for i in range(args.questions):
            q = questions.example() if i % 4 else rnd.choice(fuzzing.SEEDS)
            tried += 1
            try:
                if i % 3 == 0:
                    fuzzing.chat_ongoing(session, [q, questions.example()])
                else:
                    fuzzing.chat_fresh(session, q)
            except Exception:  # noqa: BLE001 - counting is the point
                failed += 1
                failures.append(f"question {q!r}:\n{traceback.format_exc(limit=3)}")
        tables = fuzzing.tables()
        for i in range(args.files):
            kind = ("csv", "xlsx", "basket")[i % 3]
            folder = Path(tmp) / f"f{i}"
            folder.mkdir()
            tried += 1
            table = tables.example()
            try:
                path = fuzzing.write_file(folder, kind, table)
                fuzzing.load_and_ask(path, rnd.choice(fuzzing.SEEDS))
            except Exception:  # noqa: BLE001
                failed += 1
                failures.append(f"{kind} file {table!r}:\n{traceback.format_exc(limit=3)}")
        slowest = long_questions(session)
    took = time.perf_counter() - t0
    print(f"fuzz: tried {tried:,} inputs ({args.questions:,} question runs, {args.files:,} files) in {took:.0f}s; "
          f"failed {failed:,}")
    name, seconds, plain = slowest
    print(f"long questions: {len(fuzzing.LONG)} shapes at the length limit; slowest {name!r} {seconds:.2f}s, "
          f"{seconds / plain:.1f}x the short question 'total revenue by country' ({plain:.2f}s)")
    for f in failures[:5]:
        print("---", f, sep="\n")
    return 1 if failed else 0


def long_questions(session) -> tuple[str, float, float]:
    """The slowest of ``fuzzing.LONG`` in a fresh conversation, its seconds, and a short question's
    seconds (the best of three each, after a first question has warmed the session)."""
    def best(question: str) -> float:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            fuzzing.chat_fresh(session, question)
            times.append(time.perf_counter() - t)
        return min(times)

    plain = best("total revenue by country")
    name, seconds = max(((name, best(q)) for name, q in fuzzing.LONG.items()), key=lambda x: x[1])
    return name, seconds, plain


if __name__ == "__main__":
    sys.exit(main())
