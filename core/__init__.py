"""custlens: a chat-driven, offline customer-analysis assistant.

    from custlens import Session
    s = Session(data=["orders.csv"])
    answer = s.ask("total revenue by country")

    from custlens import Assistant          # many conversations over the data loaded once
    assistant = Assistant(data=["orders.csv"])
    answer = assistant.chat("thread-42", "segment my customers")

Heavy libraries (pandas, duckdb, scikit-learn) are imported only when a Session starts, so
``custlens --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .hookspecs import hookimpl, hookspec

__version__ = "0.1.0"
__all__ = ["Assistant", "Session", "Answer", "Analysis", "Connector", "Params", "hookimpl", "hookspec", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .analysis import Analysis, Connector, Params
    from .assistant import Assistant
    from .answer import Answer
    from .session import Session


def __getattr__(name: str):
    if name == "Session":
        from .session import Session

        return Session
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    if name == "Answer":
        from .answer import Answer

        return Answer
    if name in ("Analysis", "Connector", "Params"):
        from . import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'custlens' has no attribute {name!r}")
