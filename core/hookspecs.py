"""The hooks a custlens plugin can implement. Built-in analyses and connectors use exactly
these, so every hook here is exercised by the product itself.

A plugin is any module or object with functions decorated ``@custlens.hookimpl``. An
implementation may take fewer arguments than the spec names (pluggy passes only those it asks
for), so arguments can be added here later without breaking plugins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    import click

    from .analysis import Analysis, Connector
    from .answer import Answer
    from .session import Session

hookspec = pluggy.HookspecMarker("custlens")
hookimpl = pluggy.HookimplMarker("custlens")


@hookspec
def register_connectors(register: Callable[["Connector"], None]) -> None:
    """Call ``register(connector)`` once for each data-source format the plugin reads.

    Every implementation is called; the host records which plugin registered what. A connector
    registered under a name that is already taken replaces the earlier one (reported by
    ``custlens plugins``)."""


@hookspec
def register_analyses(register: Callable[["Analysis"], None]) -> None:
    """Call ``register(analysis)`` once for each analysis the plugin adds.

    Every implementation is called. The analysis's example questions are what the router learns
    from, so a registered analysis is routable at once."""


@hookspec
def register_commands(cli: "click.Group") -> None:
    """Add click commands to the ``custlens`` command line (``cli.add_command(...)`` or
    ``@cli.command()``). Every implementation is called, once, when the CLI starts."""


@hookspec(firstresult=True)
def route_question(question: str, session: "Session") -> Any:
    """Route a question instead of the built-in router.

    Return ``None`` to let the next plugin (and finally the built-in router) decide, or a
    ``custlens.router.Route`` naming a registered analysis and its params. The first non-None
    result wins; params are validated against the analysis's Params model like any others.
    Words that only set a param of one analysis need no hook: declare ``Analysis.phrases``."""


@hookspec
def answer_ready(answer: "Answer", session: "Session") -> "Answer | None":
    """See or amend every answer before a front end shows it (audit log, masking, extra warnings).

    Called for every implementation, in turn; an implementation may mutate ``answer`` in place
    or return a replacement Answer, which the next implementation then receives."""
