"""The two kinds of failure (as in errbot): expected ones that carry a message for the user,
and everything else, which front ends log with its traceback while the user gets one line."""

from __future__ import annotations


class CustlensError(Exception):
    """An expected failure: the message says what went wrong and what to do. Never a traceback."""

    exit_code = 1


class DataError(CustlensError):
    """A data source cannot be read or does not have what an analysis needs."""


class ParamsError(CustlensError):
    """A parameter given by the user (``--param``, a slot, ``map``) is unknown or invalid."""


class ScopeError(ParamsError, DataError):
    """A filter or period that this analysis's data cannot apply (no such column, no date; both a
    ParamsError and a DataError, as either was raised before): the
    conversation drops what it carried over from earlier turns for that answer, with a note, and
    tries again. ``filters`` names the columns, ``period`` says whether the period is the trouble."""

    def __init__(self, message: str, filters: list[str] | None = None, period: bool = False, elsewhere: bool = False):
        super().__init__(message)
        self.filters = list(filters or [])
        self.period = period
        #: the value named is another table's ("web" a channel of the orders, asked of the visits): left out
        #: of this answer with a note even where the question itself named it (``Session.run``)
        self.elsewhere = elsewhere


class CannotAnswer(CustlensError):
    """No registered analysis fits the question. ``suggestions`` are questions that would work."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []

    def __str__(self) -> str:
        text = super().__str__()
        if self.suggestions:
            text += "\nTry for example:\n" + "\n".join(f"  - {s}" for s in self.suggestions)
        return text


class PluginError(CustlensError):
    """A plugin raised while loading or answering. ``plugin`` names it; the cause is chained."""

    def __init__(self, plugin: str, message: str):
        super().__init__(f"plugin {plugin!r} failed: {message}")
        self.plugin = plugin


class Busy(CustlensError):
    """A conversation is still answering its previous question (one question at a time each)."""


class TimedOut(CustlensError):
    """An answer took longer than the front end's time limit and was stopped. ``stopped`` (a
    ``threading.Event``, when given) is set once the work has really returned: a front end that
    limits the answers computed at once holds the slot until then."""

    def __init__(self, message: str, stopped=None):
        super().__init__(message)
        self.stopped = stopped


class UnknownConversation(CustlensError):
    """A conversation id the service does not hold (never made, or closed after being idle)."""
