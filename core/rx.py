"""Regular expressions compiled once per process.

Reading a question builds patterns from the data's column names and values and from the lexicons
(~2,200 distinct ones over the development corpus), more than the 512 that ``re`` keeps, so ``re``'s
cache evicted patterns the next question needed and each question recompiled ~28 of them: about
half of routing's time on the slowest questions. These functions take the same arguments as their
``re`` namesakes and keep up to 16,384 compiled patterns."""

from __future__ import annotations

import functools
import re

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
