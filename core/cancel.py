"""Stopping an answer that ran out of time: every DuckDB connection it uses is interrupted, and
long analyses check a flag between their steps.

A front end that sets a time limit (``Assistant.chat(..., timeout=)``, so the HTTP service, the
Slack bot and the webhooks) runs each answer inside a :class:`Scope`. When the time is up it calls
``Scope.cancel``: the flag is set and every connection the answer uses is interrupted — the
conversation's own and every one forked while answering (``Dataset.fork``, as the report does), and
again every fraction of a second until the answer has returned, so a query started after the first
interrupt stops too. ``Dataset.query``/``scalar`` and ``Session.run`` check the flag before they
start, so the next step of a stopped answer raises :class:`Cancelled` at once.

An analysis with many steps (the report, a plugin looping over segments or fits in Python) calls
:func:`check` between them; it costs a dictionary look-up and does nothing outside a time limit:

    from custlens import cancel

    def run(self, dataset, params):
        for segment in segments:
            cancel.check()          # raises Cancelled once the answer's time is up
            ...

A plugin that opens a DuckDB connection of its own hands it to :func:`watch` so that it is
interrupted too. Code that catches broad exceptions should let :class:`Cancelled` through
(``except Cancelled: raise`` first): it is a :class:`~custlens.errors.TimedOut`, a CustlensError.
"""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from .errors import TimedOut

__all__ = ["Cancelled", "Scope", "check", "cancelled", "watch", "current"]


class Cancelled(TimedOut):
    """The answer was stopped (its time limit passed) while it was still working."""


_current: contextvars.ContextVar["Scope | None"] = contextvars.ContextVar("custlens_cancel_scope", default=None)


class Scope:
    """One answer's cancellation: a flag and the DuckDB connections to interrupt. ``with scope:``
    makes it the current one for the code run inside (in that thread)."""

    def __init__(self, reason: str = "the answer was stopped"):
        self.reason = reason
        self._event = threading.Event()
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self._tokens: list[contextvars.Token] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def watch(self, con) -> None:
        """Interrupt ``con`` (a DuckDB connection or cursor) when this answer is stopped; at once if
        it already is."""
        with self._lock:
            self._connections.append(con)
        if self.cancelled:
            _interrupt(con)

    def cancel(self, reason: str | None = None) -> None:
        """Set the flag and interrupt every watched connection's running query."""
        if reason:
            self.reason = reason
        self._event.set()
        self.interrupt()

    def interrupt(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for con in connections:
            _interrupt(con)

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled(self.reason)

    def __enter__(self) -> "Scope":
        self._tokens.append(_current.set(self))
        return self

    def __exit__(self, *exc) -> None:
        _current.reset(self._tokens.pop())


def _interrupt(con) -> None:
    try:
        con.interrupt()
    except Exception:  # noqa: BLE001 - a connection closed meanwhile has nothing left to stop
        pass


def current() -> Scope | None:
    """The scope of the answer being computed in this thread, if it runs under a time limit."""
    return _current.get()


def check() -> None:
    """Raise :class:`Cancelled` if the answer being computed was stopped; otherwise nothing."""
    scope = _current.get()
    if scope is not None:
        scope.check()


def cancelled() -> bool:
    """Whether the answer being computed was stopped (for code that winds down on its own)."""
    scope = _current.get()
    return scope is not None and scope.cancelled


def watch(con) -> None:
    """Have the current answer's time limit interrupt ``con`` too (a connection a plugin opened)."""
    scope = _current.get()
    if scope is not None:
        scope.watch(con)
