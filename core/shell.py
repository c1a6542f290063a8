"""The shell behind ``custlens chat``: meta-commands (``help``, ``load``, ``tables``, ``describe``,
``map``, ``export``, ``quit``) and questions, which go to ``Session.chat`` (the conversation: follow-ups, picks, filters that persist and
show in the prompt).

On a terminal it uses prompt_toolkit (history file, suggestions from history, completion of
commands, analyses, columns and values). Otherwise (a pipe, a file, click's CliRunner) it reads
one line at a time and prints ``> line`` before each answer. No error ever ends the loop.

The deciding parts are pure functions: ``parse_line``, ``prompt_text`` and
``ShellCompleter.candidates``. Meta-commands come from a registry (as litecli's special
commands), so ``help`` is generated from it.
"""

from __future__ import annotations

import contextlib
import re
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from prompt_toolkit.completion import Completer, Completion, PathCompleter

from .errors import CustlensError
from .render import plain

STOP = object()  # a handler returns it to leave the shell
DEFAULT_HISTORY = "~/.custlens_history"
SPINNER_DELAY = 0.5  # seconds of work before the spinner shows
#: conversation phrases offered by completion (custlens.conversation reads them)
FOLLOW_UPS = ("go back", "reset filters", "how did you compute that?", "export that to excel", "save as csv",
              "plot it", "export personas", "export personas as html")


@dataclass(frozen=True)
class Command:
    name: str
    handler: Callable[["Shell", str], object]
    description: str
    aliases: tuple[str, ...] = ()
    arg: str = ""  # what follows the name ("PATH"); "" = the command is the whole line

    @property
    def usage(self) -> str:
        return f"{self.name} {self.arg}".strip()


COMMANDS: dict[str, Command] = {}  # name or alias -> Command


def command(name: str, description: str, aliases: Iterable[str] = (), arg: str = ""):
    """Register a meta-command: ``handler(shell, arg)``."""

    def decorate(func):
        cmd = Command(name, func, description, tuple(aliases), arg)
        for key in (name, *cmd.aliases):
            COMMANDS[key] = cmd
        return func

    return decorate


def commands() -> list[Command]:
    """Each registered command once, in registration order."""
    return list(dict.fromkeys(COMMANDS.values()))


def parse_line(text: str) -> tuple[str, str] | None:
    """``(command, arg)`` when the line is a meta-command, else None (a question or nothing).

    A command without an argument is one only when it is the whole line, so "describe the
    customers in Germany" stays a question; one with an argument takes the rest of the line."""
    words = text.strip().split(None, 1)
    if not words:
        return None
    cmd = COMMANDS.get(words[0].lower())
    if cmd is None:
        return None
    rest = words[1].strip() if len(words) > 1 else ""
    if rest and not cmd.arg:
        return None
    return cmd.name, rest


def prompt_text(sources: list[str], limit: int = 3, filters: str = "") -> str:
    """``custlens [orders.csv, customers.xlsx] country=Germany> ``; long lists end in ``+N``; the
    period and filters in force (``Conversation.describe_scope``) are always shown."""
    shown = sources[:limit] + ([f"+{len(sources) - limit}"] if len(sources) > limit else [])
    where = f" [{', '.join(shown)}]" if sources else ""
    return f"custlens{where}{' ' + filters if filters else ''}> "


def _unquote(arg: str) -> str:
    arg = arg.strip()
    if len(arg) >= 2 and arg[0] == arg[-1] and arg[0] in "'\"":
        arg = arg[1:-1]
    return str(Path(arg).expanduser()) if arg.startswith("~") else arg


# ---------------------------------------------------------------------- meta-commands
@command("help", "this list: commands and the analyses you can ask for", aliases=("\\?",))
def _help(shell: "Shell", arg: str):
    out = shell.console
    out.print("Commands:", style="bold")
    for cmd in commands():
        also = f" (also {', '.join(cmd.aliases)})" if cmd.aliases else ""
        shell.line(f"  {cmd.usage:<26} {cmd.description}{also}")
    out.print("Analyses (anything else you type is a question):", style="bold")
    for name, a in sorted(shell.session.analyses.items()):
        example = (getattr(a, "examples", None) or [""])[0]
        shell.line(f"  {name:<16} {getattr(a, 'title', '')}" + (f'  e.g. "{example}"' if example else ""))


@command("load", "load a data file (ROLE=PATH forces the role)", arg="PATH")
def _load(shell: "Shell", arg: str):
    if not arg:
        raise CustlensError("usage: load PATH (CSV, Excel, Parquet, JSON, DuckDB/SQLite...)")
    with shell.spinner(f"loading {arg}..."):
        sources = shell.session.load(_unquote(arg))
    for src in sources:
        shell.line(f"loaded {src.name}: {src.role or 'unknown role'} ({src.role_reason}), {src.rows:,} rows")
        for w in src.warnings:
            shell.line(f"  note: {plain(w)}")


@command("tables", "the loaded sources with their role and row count")
def _tables(shell: "Shell", arg: str):
    sources = shell.session.dataset.sources
    if not sources:
        shell.line("no data loaded: load PATH")
    for src in sources:
        shell.line(f"  {src.name:<30} {src.role or 'unknown':<14} {src.rows:>12,} rows")


@command("describe", "each column's canonical name, and why")
def _describe(shell: "Shell", arg: str):
    from .render import print_description, print_vocabulary

    info = shell.session.dataset.describe()
    if not info:
        shell.line("no data loaded: load PATH")
    print_description(info, shell.console)
    print_vocabulary(shell.session.describe_vocabulary(), shell.console)


@command("map", "use a source column as a canonical column", arg="CANONICAL=COLUMN")
def _map(shell: "Shell", arg: str):
    hits = shell.session.map(arg)
    shell.line(f"mapped {arg.strip()} in {', '.join(hits)}")


@command("export", "write the last answer in full (.csv .xlsx .json .md .html .txt)", arg="FILE")
def _export(shell: "Shell", arg: str):
    from .render import print_answer

    if not arg:
        raise CustlensError("usage: export FILE (.csv, .xlsx, .json, .md, .html or .txt)")
    target = _unquote(arg)
    bare = arg.strip()
    quoted = len(bare) >= 2 and bare[0] == bare[-1] and bare[0] in "'\""
    # "export excel" names a format, "export that to results.xlsx" is a sentence: the conversation
    # reads both (custlens.conversation); a bare or quoted file name is the file to write
    if not quoted and (len(arg.split()) > 1 or not Path(target).suffix):
        answer = shell.session.chat(f"export {arg}")
    else:
        answer = shell.session.export(target)
    print_answer(answer, shell.console)


@command("quit", "leave the shell (or Ctrl-D)", aliases=("exit", "\\q"))
def _quit(shell: "Shell", arg: str):
    return STOP


@command("interview", "a guided interview, e.g. interview five_forces; `pause` saves it to FILE, "
         "the same command resumes it", arg="NAME [FILE]")
def _interview(shell: "Shell", arg: str):
    """The conversation's guided interview (custlens.conversation), its questions read line by
    line here: each line is a turn of ``Session.chat``, as over HTTP or in a bot; the end of the
    input pauses it (saved)."""
    from .render import print_answer

    session = shell.session
    turn = session.engine.interview_named(f"interview {arg.strip()}".strip())
    if turn is None:
        guided = sorted(set(session.engine.guided().values()))
        raise CustlensError(f"usage: interview NAME [FILE]; guided interviews: {', '.join(guided) or 'none installed'}")
    answer = session.chat(turn.text)
    guided = session.conversation.interview
    while session.conversation.interview is not None:
        for line in answer.summary.splitlines():
            shell.line(line)
        text = shell.read("  > ")
        answer = session.chat(text if text is not None else "pause")
    if answer.analysis == "interview":  # paused
        for line in answer.summary.splitlines():
            shell.line(line)
        return
    print_answer(answer, shell.console)
    if guided is not None:
        shell.line(f"saved {guided.path}")


@command("plot", "draw the last answer's charts as PNG files (only chart N; into PATH, default here)",
         arg="[N] [PATH]")
def _plot(shell: "Shell", arg: str):
    words = arg.split(None, 1)
    number = words.pop(0) if words and words[0].isdecimal() else None
    target = _unquote(words[0]) if words and words[0].lower() not in ("it", "that", "this", "them") else "."
    if target != "." and not (target.lower().endswith(".png") or "/" in target or Path(target).is_dir()):
        raise CustlensError(f"usage: plot [N] [FOLDER or FILE.png] ({target!r} is neither); "
                            "to chart something else, ask for it first")
    from .render import print_answer

    print_answer(shell.session.plot(int(number) - 1 if number else None, target), shell.console)


# ---------------------------------------------------------------------- completion
class ShellCompleter(Completer):
    """Completes the word before the cursor: meta-commands (first word), analysis names,
    canonical and source column names, values of low-cardinality columns, conversation phrases
    ("go back", "export that to excel"); case-insensitive."""

    WORD = re.compile(r"[^\s=,]*$")

    def __init__(self, session):
        self.session = session
        self.paths = PathCompleter(expanduser=True)

    def vocabulary(self) -> list[str]:
        """Analysis names, columns, values (what the data offers, nothing if it cannot say) and the
        conversation's phrases."""
        ds, words = self.session.dataset, sorted(self.session.analyses)
        try:
            cols = {c for role in {s.role for s in ds.sources if s.role} for c in ds.columns(role)}
            cols |= {c for s in ds.sources for c in s.columns}
            values = ds.values() if ds.sources else {}
        except Exception:  # noqa: BLE001 - completion must never break the prompt
            return words + list(FOLLOW_UPS)
        return words + sorted(cols) + sorted({v for role in values.values() for vals in role.values() for v in vals}) \
            + list(FOLLOW_UPS)

    def matches(self, text: str) -> list[tuple[str, int]]:
        """(candidate, length of the typed text it replaces). A value of several words
        ("United Kingdom") also matches the last words typed ("sales in united ki")."""
        word = self.WORD.search(text).group(0)
        first = text.lstrip() == word
        pool = ([c.name for c in commands()] + [a for c in commands() for a in c.aliases]) if first else []
        pool += self.vocabulary()
        found: dict[str, int] = {}
        if word or first:
            found = {w: len(word) for w in pool if w.lower().startswith(word.lower()) and w != word}
        starts = [m.start() for m in re.finditer(r"(?<![^\s=,])[^\s=,]", text)]
        starts = starts[:-1] if word else starts  # earlier words than the one being typed
        for tail in (text[i:] for i in starts[-3:]):
            for w in pool:
                if " " in w and w not in found and w.lower().startswith(tail.lower()) and w != tail:
                    found[w] = len(tail)
        return list(found.items())

    def candidates(self, text_before_cursor: str) -> list[str]:
        return [w for w, _ in self.matches(text_before_cursor)]

    def get_completions(self, document, complete_event):
        text = document.text_before_cursor
        parsed = parse_line(text)
        if parsed and parsed[0] in ("load", "export") and text.rstrip() != parsed[0]:
            from prompt_toolkit.document import Document

            arg = text.split(None, 1)[1]
            yield from self.paths.get_completions(Document(arg, len(arg)), complete_event)
            return
        for cand, length in self.matches(text):
            yield Completion(cand, start_position=-length)


# ---------------------------------------------------------------------- the shell
class Shell:
    def __init__(self, session, history: str | None = None, debug: bool = False, input=None, output=None):
        self.session = session
        self.history = history
        self.debug = debug
        self.input = input
        self.output = output
        self.console = None
        self._read_line = None  # set by run(): reads the next line of input, None at the end

    def read(self, prompt: str = "") -> str | None:
        """The next line the user types (or the next line of piped input), stripped; None when
        the input ends. Multi-step commands (a guided interview) read their answers with it."""
        return self._read_line(prompt) if self._read_line is not None else None

    def line(self, text: str) -> None:
        """One plain line: no markup, no highlighting, never wrapped."""
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def run(self) -> None:
        from rich.console import Console

        stdin = self.input if self.input is not None else sys.stdin
        out = self.output if self.output is not None else sys.stdout
        if _isatty(stdin) and _isatty(out):
            self.console = Console(file=out)
            self._interactive()
        else:
            self.console = Console(file=out, width=100, force_terminal=False, color_system=None,
                                   highlight=False, emoji=False)
            self._batch(stdin)

    def _batch(self, stdin) -> None:
        def read(prompt: str = "") -> str | None:
            for raw in iter(stdin.readline, ""):
                text = raw.strip()
                if text and not text.startswith("#"):
                    filters = self.session.conversation.describe_scope()
                    self.line(f"{prompt or (f'[{filters}]> ' if filters else '> ')}{text}")
                    return text
            return None

        self._read_line = read
        while (text := read()) is not None:
            if self.execute(text) is STOP:
                break

    def _interactive(self) -> None:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
        from prompt_toolkit.history import FileHistory

        path = Path(self.history or DEFAULT_HISTORY).expanduser()
        prompt = PromptSession(history=FileHistory(str(path)), auto_suggest=AutoSuggestFromHistory(),
                               completer=ShellCompleter(self.session), complete_while_typing=True)

        def read(text: str = "") -> str | None:
            try:
                return prompt.prompt(text or "> ").strip()
            except (EOFError, KeyboardInterrupt):
                return None

        self._read_line = read
        loaded = ", ".join(s.name for s in self.session.dataset.sources) or "nothing yet (load PATH)"
        self.line(f"custlens: ask about your customers. Loaded: {loaded}. "
                  "`help` lists commands; Ctrl-D leaves.")
        while True:
            try:
                text = prompt.prompt(prompt_text([s.name for s in self.session.dataset.sources],
                                                 filters=self.session.conversation.describe_scope()))
            except KeyboardInterrupt:
                continue
            except EOFError:
                break
            try:
                if self.execute(text.strip()) is STOP:
                    break
            except KeyboardInterrupt:
                self.line("cancelled")

    def execute(self, text: str):
        """Run one line: a meta-command or a question. Prints errors; returns STOP to leave."""
        from .render import print_answer

        if not text:
            return None
        try:
            parsed = parse_line(text)
            if parsed is not None:
                return COMMANDS[parsed[0]].handler(self, parsed[1])
            with self.spinner():
                answer = self.session.chat(text)
            print_answer(answer, self.console)
        except CustlensError as exc:
            first, _, rest = str(exc).partition("\n")
            self._trace()
            self.line(f"error: {first}")
            if rest:
                self.line(rest)
        except Exception as exc:  # noqa: BLE001 - nothing may end the loop
            self._trace()
            msg = " ".join(str(exc).split())
            hint = "" if self.debug else " (start with --debug for the traceback)"
            self.line(f"error: unexpected {type(exc).__name__}: {msg}{hint}")
        return None

    @contextlib.contextmanager
    def spinner(self, message: str = "thinking...", delay: float = SPINNER_DELAY):
        """A rich spinner for work that takes longer than ``delay`` seconds (on a terminal only):
        quick answers print without a flicker."""
        if not self.console.is_terminal:
            yield
            return
        status = self.console.status(message)
        timer = threading.Timer(delay, status.start)
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            status.stop()

    def _trace(self) -> None:
        if self.debug:
            self.console.print(traceback.format_exc().rstrip(), markup=False, highlight=False)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
