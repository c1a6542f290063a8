"""Regular expressions compiled once per process.

Reading a question builds patterns from the data's column names and values and from the lexicons
(~2,200 distinct ones over the development corpus), more than the 512 that ``re`` keeps, so ``re``'s
cache evicted patterns the next question needed and each question recompiled ~28 of them: about
half of routing's time on the slowest questions. These functions take the same arguments as their
``re`` namesakes and keep up to 16,384 compiled patterns."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

compile = functools.lru_cache(maxsize=16384)(re.compile)  # noqa: A001 - re's name, on purpose


def search(pattern, string, flags=0):
    return compile(pattern, flags).search(string)


def match(pattern, string, flags=0):
    return compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    return compile(pattern, flags).fullmatch(string)


def finditer(pattern, string, flags=0):
    return compile(pattern, flags).finditer(string)


def findall(pattern, string, flags=0):
    return compile(pattern, flags).findall(string)


def sub(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    return compile(pattern, flags).split(string, maxsplit)


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can begin with, lower-cased ASCII; None when that is
    not known or could be any (a class such as ``\\w``, a non-ASCII letter, a match that may be empty)."""
    chars, empty = _starts(pattern, flags)
    return None if empty else chars


def _starts(pattern: str, flags: int) -> tuple[frozenset[str] | None, bool]:
    """(``first_chars``, whether a match may be empty)."""
    from re import _constants as c, _parser

    def seq(items) -> tuple[set[str] | None, bool]:  # (first characters, whether it may match nothing)
        out: set[str] = set()
        for op, av in items:
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # consumes nothing: what follows begins the match
                continue
            if op is c.LITERAL:
                chars: set[str] | None = {chr(av)}
                empty = False
            elif op is c.IN:
                chars, empty = set(), False
                for kind, value in av:
                    if kind is c.LITERAL:
                        chars.add(chr(value))
                    elif kind is c.RANGE and value[1] - value[0] < 256:
                        chars |= {chr(i) for i in range(value[0], value[1] + 1)}
                    else:
                        chars = None
                        break
            elif op is c.SUBPATTERN:
                chars, empty = seq(av[3])
            elif op is c.BRANCH:
                chars, empty = set(), False
                for branch in av[1]:
                    more, none = seq(branch)
                    if more is None:
                        return None, False
                    chars |= more
                    empty = empty or none
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                chars, empty = seq(av[2])
                empty = empty or av[0] == 0
            else:
                return None, False
            if chars is None or any(not ch.isascii() for ch in chars):
                return None, False
            out |= {ch.lower() for ch in chars}
            if not empty:
                return out, False
        return out, True

    try:
        chars, empty = seq(_parser.parse(pattern, flags).data)
    except Exception:  # noqa: BLE001 - a pattern re cannot read is tried everywhere
        return None, False
    return (None if chars is None else frozenset(chars)), empty


class Alternatives:
    """``BEFORE(?:(?P<name>pattern)|...)AFTER``, ``flags``, searched only with the alternatives that can
    begin at each place: the same matches as the one pattern (each in the same order), without trying
    hundreds of alternatives at every word (the spelled-out shorthand of ``slots.clean``: 3 ms a question
    as one pattern). ``BEFORE`` is zero-width (a lookbehind). An alternative that may match nothing is
    refused: after an empty match re tries the same place again for a longer one, which a search from
    outside cannot ask for."""

    def __init__(self, before: str, alternatives: list[tuple[str, str]], after: str, flags: int = 0):
        def joined(items) -> re.Pattern:
            return re.compile(before + "(?:" + "|".join(f"(?P<{n}>{p})" for n, p in items) + ")" + after, flags)

        starts = [_starts(p, flags) for _, p in alternatives]
        if empty := [n for (n, _), (_, may) in zip(alternatives, starts) if may]:
            raise ValueError(f"alternatives that may match nothing: {', '.join(empty)}")
        self.pattern = joined(alternatives)  # tried where the character is not ASCII
        self.begins = re.compile(before, flags)
        anywhere = {i for i, (chars, _) in enumerate(starts) if chars is None}
        self._by_char = {ch: joined([a for i, a in enumerate(alternatives) if i in anywhere or ch in starts[i][0]])
                         for ch in {ch for chars, _ in starts if chars for ch in chars}}
        rest = [a for i, a in enumerate(alternatives) if i in anywhere]
        self._rest = joined(rest) if rest else None

    def sub(self, repl: Callable[[re.Match], str], text: str) -> str:
        out, done, pos = [], 0, 0
        while pos <= len(text) and (at := self.begins.search(text, pos)) is not None:
            pos = at.start()
            ch = text[pos:pos + 1]
            pattern = self.pattern if not ch.isascii() else self._by_char.get(ch.lower(), self._rest)
            m = pattern.match(text, pos) if pattern is not None else None
            if m is None:
                pos += 1
                continue
            out += [text[done:pos], repl(m)]
            done = pos = m.end()
        return "".join(out) + text[done:]
