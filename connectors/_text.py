"""Helpers shared by the text connectors: reading the head of a file, its encoding, and a UTF-8
copy for DuckDB's reader when the file is in an encoding DuckDB does not read itself."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import os
import tempfile
import zlib
from pathlib import Path

from custlens.errors import DataError

HEAD_BYTES = 256 * 1024
#: what DuckDB's read_csv reads without an extension; anything else is copied to UTF-8 first
DUCKDB_ENCODINGS = ("utf-8", "latin-1", "utf-16")


def _open(path: Path, mode: str = "rb", **kw):
    return gzip.open(path, mode, **kw) if path.name.lower().endswith(".gz") else open(path, mode, **kw)


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    try:
        with _open(path) as fh:
            return fh.read(size)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        if path.name.lower().endswith(".gz"):
            raise DataError(f"{path}: not a readable gzip file ({exc}). Compress it again, or load the "
                            "uncompressed file.") from None
        raise DataError(f"{path}: cannot be read ({exc}).") from None


def encoding_of(head: bytes) -> str:
    """'utf-8' (with or without BOM) when the bytes decode as UTF-8; 'utf-16' with a BOM,
    'utf-16-le'/'utf-16-be' without one (every other byte zero); 'cp1252' when the bytes
    0x80-0x9f are Windows-1252 characters (the euro sign, curly quotes); else 'latin-1'.
    Binary data (zero bytes, control characters) is refused with a DataError by ``head_lines``."""
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(body) - 4:  # not just a character cut at the end of the head
            try:
                body.decode("cp1252")
                return "cp1252" if any(0x80 <= b <= 0x9F for b in body) else "latin-1"
            except UnicodeDecodeError:
                return "latin-1"
    return "utf-8"


def _binary(text: str) -> bool:
    """Zero bytes or many control characters: not a text file (an image, a database, random bytes)."""
    if not text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f\v" or 0x7F <= ord(ch) < 0xA0)
    return "\x00" in text or controls > 0.01 * len(text)


def head_lines(path: Path, limit: int = 200) -> tuple[list[str], str]:
    head = read_head(path)
    enc = encoding_of(head)
    text = head.decode(enc, errors="replace").lstrip("\ufeff")
    if _binary(text):
        raise DataError(f"{path}: does not look like a text file (it holds binary data: zero bytes or control "
                        "characters), so it cannot be read as CSV. Check that it is the export you meant; a "
                        "workbook or database keeps its own extension (.xlsx, .parquet, .duckdb, .sqlite).")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(head) == HEAD_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut
    return lines[:limit], enc


@contextlib.contextmanager
def duckdb_readable(path: Path, encoding: str, newlines: bool = False):
    """(path, encoding) DuckDB's reader can read: the file itself, or (an encoding DuckDB does not
    read, or ``newlines`` to turn stray CRs into line ends) a temporary UTF-8 copy, removed after."""
    if encoding in DUCKDB_ENCODINGS and not newlines:
        yield path, encoding
        return
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="custlens-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out, \
                _open(path, "rt", encoding=encoding, errors="replace", newline=None) as src:
            while chunk := src.read(1 << 20):
                out.write(chunk.lstrip("\ufeff") if out.tell() == 0 else chunk)
        yield Path(tmp), "utf-8"
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: cannot be read ({exc}).") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def sql_str(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"
