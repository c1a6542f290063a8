"""Narratives are Jinja2 templates filled with computed facts. Templates are package resources
(importlib.resources), so they work installed, editable or zipped; a plugin passes its own package."""

from __future__ import annotations

import functools
import importlib.resources
import math

import jinja2

BUILTIN = "custlens.prompts_and_templates"
#: templates that produce HTML (or XML): every value they show is escaped, whatever the data holds.
#: "answer.html.j2" ends in ".html.j2", so the bare "html" extension would miss it.
HTML_TEMPLATES = ("html", "htm", "xml", "html.j2", "htm.j2", "xml.j2", "html.jinja", "html.jinja2")


def money(value, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def num(value, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def pct(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{100 * value:.{digits}f}%"


@functools.lru_cache(maxsize=None)
def environment(package: str = BUILTIN) -> jinja2.Environment:
    def load(name: str):
        res = importlib.resources.files(package).joinpath(name)
        if not res.is_file():
            return None
        return res.read_text(encoding="utf-8")

    env = jinja2.Environment(loader=jinja2.FunctionLoader(load), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
                             autoescape=jinja2.select_autoescape(enabled_extensions=HTML_TEMPLATES,
                                                                 default_for_string=False, default=False))
    env.filters.update(money=money, num=num, pct=pct)
    return env


def render(name: str, package: str = BUILTIN, **facts) -> str:
    """Render template ``name`` from ``package`` with ``facts``; a missing fact is an error, not a blank."""
    return environment(package).get_template(name).render(**facts).strip()


def guide(name: str, path: str | None = None, package: str = BUILTIN) -> dict:
    """A YAML guide (interview questions, survey drafts): the file at ``path`` when given (a
    company's edited copy), else ``name`` from ``package``."""
    import yaml

    from .errors import DataError

    if path:
        try:
            text = open(path, encoding="utf-8").read()
        except OSError as exc:
            raise DataError(f"cannot read the guide {path}: {exc.strerror or exc}") from None
    else:
        text = importlib.resources.files(package).joinpath(name).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataError(f"the guide {path or name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DataError(f"the guide {path or name} should be a YAML mapping (see the built-in {name})")
    return data
