"""Parameters that name files, and reading the files they name.

An analysis declares a parameter that names a file with one of two types, so the Session knows it
is a path and confines it in a served conversation (HTTP, Slack, webhooks), where the person
typing is not the person running the server:

    from custlens.analysis import InputFile, OutputFile, Params

    class MyParams(Params):
        template: InputFile | None = None   # a file the analysis reads
        out: OutputFile | None = None       # a file the analysis writes

In a confined conversation a relative name is taken inside the conversation's own folder and any
path that leaves it (an absolute path elsewhere, ``..``, a symbolic link out) is refused with a
``ParamsError``, before the analysis runs. ``read_text`` is how an analysis reads such a file: its
errors say what is wrong (missing, a folder, not text, too large, outside the folder) and never
quote the file's content.
"""

from __future__ import annotations

import contextlib
import contextvars
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Iterator

from .errors import DataError, ParamsError

MAX_TEXT_BYTES = 5_000_000  # a guide or a saved interview is a few kilobytes


@dataclass(frozen=True)
class FileParam:
    """Marks a Params field whose value names a file: ``mode`` is "read" or "write"."""

    mode: str


InputFile = Annotated[str, FileParam("read")]
OutputFile = Annotated[str, FileParam("write")]

#: the folder files must stay in while a confined conversation's analysis runs (None: anywhere)
_CONFINED: contextvars.ContextVar[Path | None] = contextvars.ContextVar("custlens_confined", default=None)


def file_fields(model: type) -> dict[str, str]:
    """{field name: "read" | "write"} for the fields of a Params model declared as files
    (``InputFile``/``OutputFile``, also inside ``| None`` or a list)."""

    def marker(annotation) -> str | None:
        for meta in getattr(annotation, "__metadata__", ()):
            if isinstance(meta, FileParam):
                return meta.mode
        for arg in typing.get_args(annotation):
            found = marker(arg)
            if found:
                return found
        return None

    out = {}
    for name, info in getattr(model, "model_fields", {}).items():
        mode = next((m.mode for m in info.metadata if isinstance(m, FileParam)), None) or marker(info.annotation)
        if mode:
            out[name] = mode
    return out


def confine(value: str, folder: Path, key: str = "file") -> str:
    """``value`` as a path inside ``folder`` (a relative name is taken there), or ParamsError."""
    root = folder.resolve()
    path = Path(value).expanduser()
    resolved = (path if path.is_absolute() else root / path).resolve()
    if not resolved.is_relative_to(root):
        raise ParamsError(f"{key}={value!r}: this conversation reads and writes files only in its own folder; "
                          f"give a file name alone (for example {key}={path.name or 'file'!s}).")
    return str(resolved)


def confine_params(params, folder: Path):
    """``params`` (a validated Params) with every file parameter confined to ``folder``."""
    update = {}
    for name, _mode in file_fields(type(params)).items():
        value = getattr(params, name)
        if isinstance(value, str):
            update[name] = confine(value, folder, name)
        elif isinstance(value, list):
            update[name] = [confine(v, folder, name) if isinstance(v, str) else v for v in value]
    return params.model_copy(update=update) if update else params


@contextlib.contextmanager
def confined(folder: Path | None) -> Iterator[None]:
    """While inside, ``read_text`` refuses files outside ``folder`` (None: no limit). The Session
    wraps a confined conversation's analyses in it, so a file named inside another file (a saved
    interview naming its guide) is confined as well."""
    token = _CONFINED.set(folder.resolve() if folder is not None else None)
    try:
        yield
    finally:
        _CONFINED.reset(token)


def read_text(path: str | Path, what: str = "file") -> str:
    """The text of the file at ``path``, or a DataError that says what is wrong with it (and never
    quotes its content): missing, a folder, outside the conversation's folder, too large, not text."""
    root = _CONFINED.get()
    p = Path(path).expanduser()
    if root is not None:
        p = Path(confine(str(p), root, what))
    if not p.exists():
        raise DataError(f"there is no {what} {p}: check the name and the folder")
    if p.is_dir():
        raise DataError(f"the {what} {p} is a folder: name a file in it")
    try:
        size = p.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise DataError(f"the {what} {p} is {size:,} bytes: too large for a {what} "
                            f"(at most {MAX_TEXT_BYTES:,})")
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(f"the {what} {p} is not a UTF-8 text file") from None
    except OSError as exc:
        raise DataError(f"cannot read the {what} {p}: {exc.strerror or type(exc).__name__}") from None


def load_yaml_mapping(path: str | Path, what: str = "file") -> dict:
    """A YAML file that must hold a mapping: ``read_text``'s errors, then "not valid YAML (line N)"
    or "not a mapping", never a quote of the file."""
    import yaml

    text = read_text(path, what)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise DataError(f"the {what} {path} is not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise DataError(f"the {what} {path} is not a YAML mapping (a 'key: value' document)")
    return data
