"""Assistant: custlens embedded in another program (a chat bot, the HTTP service, a notebook).

The data is loaded and the router fitted once; each conversation (a chat channel, a thread, an
HTTP client) gets its own :class:`Session` forked from that (``Session.fork``): its own history,
filters and saved segments, its own DuckDB connection, so conversations never see each other's
state and can be answered in parallel threads.

    from custlens import Assistant

    assistant = Assistant(data=["orders.csv", "customers.xlsx"])
    print(assistant.ask("total revenue by country").summary)      # a question on its own
    answer = assistant.chat("#sales", "segment my customers")       # a conversation, by its key
    answer = assistant.chat("#sales", "and for France?")            # a follow-up in the same one

Thread safety: ``ask``, ``chat``, ``session`` and ``close_session`` may be called from many
threads at once. A conversation answers one question at a time: a second question while the
first runs raises :class:`~custlens.errors.Busy` at once rather than queueing behind it.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from . import cancel
from .answer import Answer
from .errors import Busy, TimedOut, UnknownConversation
from .session import DEMO_ROLES, Session

log = logging.getLogger("custlens.assistant")

#: the memory every conversation's answers may hold together (their full tables and charts); beyond
#: it the oldest answers' full tables are released (each conversation's last answer is kept whole)
MAX_ANSWER_BYTES = 256 * 1024 * 1024


@dataclass
class _Conversation:
    session: Session
    lock: threading.Lock = field(default_factory=threading.Lock)
    used: float = field(default_factory=time.monotonic)


class Assistant:
    """Loaded data, installed plugins and a fitted router, shared by many conversations.

    ``max_conversations``: the least recently used idle conversation is closed when a new one
    would exceed it. ``idle_seconds``: conversations idle longer than this are closed when the
    next one is opened (None keeps them until the limit). ``confine_exports``: a file named in
    "export that to PATH" is written into the conversation's ``export_dir`` under its name alone."""

    def __init__(self, data: Iterable[str] = (), demo: bool = False, maps: Iterable[str] = (),
                 plugins_dirs: Iterable[str] = (), plugins: Iterable[object] = (), entry_points: bool = True,
                 max_conversations: int = 1000, idle_seconds: float | None = None, confine_exports: bool = True,
                 max_answer_bytes: int | None = MAX_ANSWER_BYTES, engine: str | None = None):
        self.base = Session(data=data, demo=demo, maps=maps, plugins_dirs=plugins_dirs, plugins=plugins,
                            entry_points=entry_points, engine=engine)
        # people chatting with a served assistant do not choose where on its machine it writes:
        # "export that to /any/path.xlsx" writes path.xlsx into the conversation's export_dir
        self.base.confine_exports = confine_exports
        self.base.router  # fitted (or loaded) now, once, not by the first conversations racing
        self.base.dataset.values()  # the filter values, read once: every fork starts with them
        self.max_conversations = max_conversations
        self.idle_seconds = idle_seconds
        self.max_answer_bytes = max_answer_bytes
        self._held = 0  # an upper estimate of the bytes the answers hold (measured exactly when over the bound)
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ what is installed
    @property
    def analyses(self) -> dict[str, Any]:
        return self.base.analyses

    @property
    def plugin_errors(self) -> list[str]:
        return self.base.plugin_errors

    def describe(self) -> list[dict[str, Any]]:
        """The loaded sources: role, rows, column mapping, warnings (``Dataset.describe``)."""
        return self.base.dataset.describe()

    # ------------------------------------------------------------------ conversations
    def new_conversation(self) -> str:
        """Open a conversation under a new random id and return the id."""
        key = uuid.uuid4().hex
        self.session(key)
        return key

    def session(self, key: str, create: bool = True) -> Session:
        """The conversation ``key`` (a chat thread's id, a channel, a user), opened if new
        (``create=False``: UnknownConversation instead, so a front end never reopens, unconfigured,
        a conversation closed meanwhile). The Session returned is the conversation itself: use it
        from one thread at a time, or go through :meth:`chat`, which does that for you."""
        return self._get(key, create=create).session

    def has_conversation(self, key: str) -> bool:
        with self._lock:
            return key in self._conversations

    def conversations(self) -> list[str]:
        with self._lock:
            return list(self._conversations)

    def close_session(self, key: str) -> bool:
        """Forget a conversation (its history, filters, segments). False if there was none."""
        with self._lock:
            conv = self._conversations.pop(key, None)
        if conv is None:
            return False
        self._close(conv)
        return True

    def close(self) -> None:
        """Close every conversation and the shared data."""
        with self._lock:
            convs = list(self._conversations.values())
            self._conversations.clear()
        for conv in convs:
            self._close(conv)
        self.base.close()

    # ------------------------------------------------------------------ asking
    def ask(self, question: str, params: dict[str, Any] | None = None, analysis: str | None = None,
            timeout: float | None = None) -> Answer:
        """One question on its own (``Session.ask``: no follow-ups, nothing remembered)."""
        session = self.base.fork()
        return self._within(session, timeout, lambda: session.ask(question, params=params, analysis=analysis),
                            done=session.close)

    def chat(self, key: str, line: str, create: bool = True, timeout: float | None = None,
             export_dir: str | Path | None = None) -> Answer:
        """One turn of conversation ``key`` (``Session.chat``: follow-ups, remembered filters,
        "export that", "go back"). ``create=False`` raises UnknownConversation for a key not
        open; a conversation still answering raises Busy; ``timeout`` (seconds) stops an answer
        that takes longer (TimedOut) — its DuckDB query is interrupted, and the conversation stays
        busy until the analysis returns. ``export_dir``: where this turn's "export that" and "plot
        it" write (a bot gives each turn a folder of its own and sends back what lands there)."""
        conv = self._acquire(key, create)
        if export_dir is not None:
            conv.session.export_dir = str(export_dir)
        answer = self._within(conv.session, timeout, lambda: conv.session.chat(line), done=conv.lock.release)
        conv.used = time.monotonic()
        self._bound_memory(answer)
        return answer

    def run(self, key: str, analysis: str, params: dict[str, Any] | None = None) -> Answer:
        """A named analysis with params in conversation ``key`` (``Session.run``; it sees the
        conversation's saved segments)."""
        conv = self._acquire(key, create=True)
        return self._within(conv.session, None, lambda: conv.session.run(analysis, params or {}),
                            done=conv.lock.release)

    def load(self, key: str, paths: Iterable[str] = (), demo: bool = False) -> list[dict[str, Any]]:
        """Give conversation ``key`` data of its own, like the shell's ``load``: ``paths`` (files
        on this machine, e.g. uploaded into the conversation's folder) or the built-in demo store.
        The demo, and the first file (the first after the demo), replace the data the
        conversation had by a database of its own (the other conversations keep theirs) and start
        its scope afresh (filters, period, saved segments belong to the old data; its answers so
        far stay); later files add to it (orders, then customers). A file that cannot be read raises DataError and
        leaves the conversation's data as it was. Returns ``Dataset.describe`` of its data."""
        from .conversation import Conversation
        from .dataset import Dataset

        conv = self._acquire(key, create=False)
        try:
            session = conv.session
            fresh = demo or session.own_data != "files"
            dataset = Dataset(session.dataset.connectors) if fresh else session.dataset
            try:
                for path in paths:
                    dataset.add(str(path), build=False)
                if demo:
                    for name, frame in _demo_store().tables.items():
                        dataset.add_frame(f"demo {name}", frame, DEMO_ROLES[name], build=False)
                dataset.build()
            except BaseException:
                if fresh:
                    dataset.close()
                raise
            if fresh:
                old, session.dataset = session.dataset, dataset
                session.conversation = Conversation()
                session.own_data = "demo" if demo else "files"
                old.close()
            conv.used = time.monotonic()
            return dataset.describe()
        finally:
            conv.lock.release()

    def held_bytes(self) -> int:
        """The bytes every open conversation's answers hold (``Answer.nbytes``), measured now."""
        with self._lock:
            convs = list(self._conversations.values())
        return sum(answer.nbytes() for conv in convs for answer in list(conv.session.history))

    def _bound_memory(self, answer: Answer) -> None:
        """Past ``max_answer_bytes``, release the full tables of the oldest answers (those of the
        least recently used conversations first; never a conversation's last answer, which
        "export that" and "plot it" use) until the answers hold 90% of the bound."""
        if self.max_answer_bytes is None:
            return
        self._held += answer.nbytes()
        if self._held <= self.max_answer_bytes:
            return
        with self._lock:
            convs = sorted(self._conversations.values(), key=lambda c: c.used)
        for conv in convs[:-1]:  # answers kept for re-asking (Session.answers) hold frames too: let them go
            conv.session.answers.clear()
        total, older = 0, []
        for conv in convs:
            history = list(conv.session.history)
            for i, old in enumerate(history):
                size = old.nbytes()
                total += size
                if size and i < len(history) - 1:
                    older.append(old)
        target = int(self.max_answer_bytes * 0.9)
        for old in older:
            if total <= target:
                break
            total -= old.release_frames()
        self._held = total
        if total > self.max_answer_bytes:
            log.warning("the conversations' last answers alone hold %d MB, over the bound of %d MB",
                        total >> 20, self.max_answer_bytes >> 20)

    # ------------------------------------------------------------------ internals
    def _get(self, key: str, create: bool) -> _Conversation:
        with self._lock:
            conv = self._conversations.get(key)
            if conv is not None:
                self._conversations.move_to_end(key)
                conv.used = time.monotonic()
                return conv
            if not create:
                raise UnknownConversation(f"there is no conversation {key!r} (never opened, or closed after "
                                          "being idle): start a new one.")
            closing = self._evict()
            conv = self._conversations[key] = _Conversation(self.base.fork())
        for old in closing:
            self._close(old)
        return conv

    def _acquire(self, key: str, create: bool) -> _Conversation:
        conv = self._get(key, create=create)
        if not conv.lock.acquire(blocking=False):
            raise Busy(f"conversation {key!r} is still answering its previous question: wait for that "
                       "answer, then ask again.")
        return conv

    def _evict(self) -> list[_Conversation]:
        """Idle conversations past ``idle_seconds``; then, beyond ``max_conversations - 1``, those
        never asked anything before those that were (a flood of empty conversations goes before
        the ones people use), the least recently used first; never one that is answering. Called
        under the lock."""
        out, now = [], time.monotonic()
        for key, conv in list(self._conversations.items()):
            if self.idle_seconds is not None and now - conv.used > self.idle_seconds and not conv.lock.locked():
                out.append(self._conversations.pop(key))
        excess = len(self._conversations) - (self.max_conversations - 1)
        if excess > 0:
            free = [(bool(conv.session.history), conv.used, key) for key, conv in self._conversations.items()
                    if not conv.lock.locked()]
            for *_, key in sorted(free)[:excess]:
                out.append(self._conversations.pop(key))
        return out

    def least_recent(self, keys: Iterable[str]) -> str | None:
        """Of the conversations ``keys``, the one a front end may close to make room: never asked
        anything first, then the least recently used; never one that is answering (None if all are)."""
        with self._lock:
            free = [(bool(conv.session.history), conv.used, key) for key in keys
                    if (conv := self._conversations.get(key)) is not None and not conv.lock.locked()]
        return min(free)[2] if free else None

    @staticmethod
    def _close(conv: _Conversation, wait: float = 10.0) -> None:
        """Close a conversation's connection once its answer in progress (if any) is done; one
        stuck in a plugin that never returns keeps its connection until the process ends."""
        if conv.lock.acquire(timeout=wait):
            try:
                conv.session.close()
            finally:
                conv.lock.release()
        else:
            log.warning("a conversation closed while still answering after %s s: its connection stays open", wait)

    @staticmethod
    def _within(session: Session, timeout: float | None, work: Callable[[], Answer],
                done: Callable[[], None]) -> Answer:
        """``work()``, then ``done()`` (release the conversation, close a one-off session). With a
        time limit, the work runs in a thread under a ``cancel.Scope`` watching the session's
        connection (and every one forked meanwhile). Past the limit: the scope is cancelled (its
        connections interrupted, again and again until the work returns; ``cancel.check`` raises
        in the work's next step) and TimedOut is raised at once, its ``stopped`` event set when the
        work has really returned (a front end holds its concurrency slot until then); the worker
        calls ``done()`` then."""
        if timeout is None:
            try:
                return work()
            finally:
                done()
        box: dict[str, Any] = {}
        guard = threading.Lock()  # decides, once, who calls done(): the caller or the abandoned worker
        finished = threading.Event()
        scope = cancel.Scope()
        scope.watch(session.dataset.engine)

        def worker():
            try:
                with scope:
                    box["answer"] = work()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                box["error"] = exc
            with guard:
                box["finished"] = True
                abandoned = box.get("abandoned", False)
            if abandoned:
                done()
            finished.set()

        threading.Thread(target=worker, name="custlens-answer", daemon=True).start()
        if not finished.wait(timeout):
            with guard:
                box["abandoned"] = not box.get("finished")
            if box["abandoned"]:
                message = (f"the answer took longer than {timeout:g} s and was stopped: narrow the question "
                           "(a period, a filter, a segment) or raise the time limit.")
                scope.cancel(message)
                threading.Thread(target=_keep_interrupting, args=(scope, finished), name="custlens-stop",
                                 daemon=True).start()
                raise TimedOut(message, stopped=finished)
        finished.wait()  # the worker finished (done() is ours to call)
        done()
        if "error" in box:
            raise box["error"]
        return box["answer"]


_demo_lock = threading.Lock()
_demo: list[Any] = []


def _demo_store():
    """The built-in demo store, generated once per process (each conversation that loads it copies
    its frames into its own database)."""
    from . import demo

    with _demo_lock:
        if not _demo:
            _demo.append(demo.generate(customers=5000, seed=42))
        return _demo[0]


def _keep_interrupting(scope: "cancel.Scope", finished: threading.Event) -> None:
    """Interrupt the stopped answer's connections until it returns: a query it starts after the
    first interrupt (a plugin that does not check) is stopped within a tenth of a second. A
    plugin stuck in Python is never killed (threads cannot be): this goes on, cheaply, until it returns."""
    while not finished.wait(0.1):
        scope.interrupt()
