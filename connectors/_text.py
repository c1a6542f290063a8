"""Helpers shared by the text connectors: reading the head of a file and its encoding."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

HEAD_BYTES = 256 * 1024


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:
        return fh.read(size)


def encoding_of(head: bytes) -> str:
    """'utf-8' (with or without BOM) when the bytes decode as UTF-8, else 'latin-1'."""
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(body) - 4:  # not just a character cut at the end of the head
            return "latin-1"
    return "utf-8"


def head_lines(path: Path, limit: int = 200) -> tuple[list[str], str]:
    head = read_head(path)
    enc = encoding_of(head)
    text = head.decode(enc if enc != "utf-16" else "utf-16", errors="replace").lstrip("\ufeff")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(head) == HEAD_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut
    return lines[:limit], enc


def sql_str(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"
