"""Fuzzing kept as tests (issue 18, "keep it held"): questions (real ones mutated, and random
unicode) in fresh and ongoing conversations through Session.chat, and small random CSV, Excel and
basket files loaded and asked about. Any exception other than custlens's own (custlens.errors)
fails. Bounded (a few seconds each) so CI stays quick; benchmarks/fuzz.py runs the same at length."""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fuzzing  # noqa: E402

FAST = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    return fuzzing.store_session(tmp_path_factory.mktemp("fuzz"))


@FAST
@given(question=fuzzing.questions())
def test_questions_in_a_fresh_conversation(session, question):
    fuzzing.chat_fresh(session, question)


@pytest.mark.parametrize("shape", sorted(fuzzing.LONG))
def test_long_questions_of_every_shape_get_an_answer_or_a_clear_error(session, shape):
    fuzzing.chat_fresh(session, fuzzing.LONG[shape])


def test_a_run_of_white_space_is_one_space(session):
    """CI once timed out on "total revenue" and 3,000 spaces: a pattern that starts with optional space
    tried every start in the run. White space is squeezed before anything reads the question."""
    plain = session.fork().chat("total revenue by country")
    spaced = session.fork().chat("total   revenue\t\tby" + " " * 3000 + "country\n\n")
    assert spaced.understood == plain.understood
    assert spaced.tables[0].rows == plain.tables[0].rows


@FAST
@given(lines=st.lists(fuzzing.questions(), min_size=2, max_size=4))
def test_questions_in_an_ongoing_conversation(session, lines):
    fuzzing.chat_ongoing(session, lines)


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_small_random_files(tmp_path_factory, data):
    kind = data.draw(st.sampled_from(["csv", "xlsx", "basket"]))
    folder = tmp_path_factory.mktemp("files")
    path = fuzzing.write_file(folder, kind, data.draw(fuzzing.tables()))
    fuzzing.load_and_ask(path, data.draw(st.sampled_from(fuzzing.SEEDS)))
