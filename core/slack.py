"""The Slack adapter (``custlens slack``): custlens answers in Slack, on slack-bolt.

- It answers app mentions in channels and direct messages, in the thread where it was asked: a
  mention at the top of a channel is answered in a thread under it; in a thread it already answers,
  the bot also takes messages that do not mention it. One custlens conversation per thread (key
  ``slack:CHANNEL:THREAD_TS``), so follow-ups ("and for Germany?", "why?", "plot it") keep that
  thread's filters and no other thread sees them. A direct message outside a thread is one
  conversation per DM channel, answered in the DM itself.
- An answer is Block Kit: the title, the narrative as mrkdwn, each table as a few rows (a two-column
  table of up to 10 rows as section fields, otherwise a monospaced block: Slack renders no Markdown
  tables), warnings and next questions in small print, within Slack's limits (50 blocks, 3,000
  characters a section). Every table the message cuts (rows or columns) is attached in full as CSV.
- Charts: the answer's charts are uploaded as PNG when the question asks for one ("plot", "chart",
  "graph", "visualise"); otherwise the message says "plot it" will draw them. "plot it" and "export
  that to excel" upload the files they write; a chat user never chooses where the bot writes.
- An ambiguous question gets its readings as buttons; a click sends the pick ("1", "2") to the
  thread's conversation, as typing it would.
- Errors are one friendly message (with suggestions when nothing fits); a thread still answering,
  or an answer past the time limit, gets a polite word instead.

Slack wants every request acknowledged within 3 seconds: events are acknowledged by Bolt before the
listener runs, the button handler acknowledges first, and the analysis runs in Bolt's worker threads.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .answer import Answer, Table
from .chatformat import (CHAT_ROWS, error_text, escape, monospace, to_mrkdwn,
                         wants_chart)
from .errors import CustlensError

log = logging.getLogger("custlens.slack")

#: Block Kit limits (https://api.slack.com/reference/block-kit/blocks)
MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELDS = 10
MAX_FIELD = 2000
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON = 75
#: tables shown in one message (the rest, and every cut table, go out as CSV)
MAX_TABLES = 6
#: charts uploaded for one answer
MAX_CHARTS = 4
FENCE = "`" * 3
#: answers that are files written in the turn's folder ("export that to excel", "plot it")
FILE_ANSWERS = {"export", "plot"}
PICK_ACTION = re.compile(r"^custlens_pick_\d+$")
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
LINK = re.compile(r"<(?:mailto:)?([^>|]+)\|([^>]+)>|<([^>]+)>")


# ---------------------------------------------------------------------- rendering an answer
def answer_blocks(answer: Answer, chart_hint: bool = False) -> list[dict]:
    """The answer as Block Kit blocks, within Slack's limits."""
    title = _clip(answer.title or answer.analysis, MAX_HEADER)
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": title, "emoji": False}}]
    if answer.understood:
        blocks.append(_context([f"_{to_mrkdwn(answer.understood)}_"]))
    for chunk in _chunks(to_mrkdwn(answer.summary), MAX_SECTION):
        blocks.append(_section(chunk))
    tables = answer.tables[:MAX_TABLES]
    for table in tables:
        blocks.append(table_block(table)[0])
    if len(answer.tables) > len(tables):
        blocks.append(_context([f"{len(answer.tables) - len(tables)} more table(s) in the attached CSV files."]))
    notes = [f":warning: {_clip(to_mrkdwn(w), 300)}" for w in answer.warnings[:3]]
    if len(answer.warnings) > 3:
        notes.append(f"and {len(answer.warnings) - 3} more note(s): ask _why?_ for the method")
    if chart_hint and answer.charts:
        notes.append(":bar_chart: say _plot it_ for the chart" + ("s" if len(answer.charts) > 1 else ""))
    if answer.follow_ups:
        notes.append("You could ask next: " + " · ".join(f"_{to_mrkdwn(q)}_" for q in answer.follow_ups[:4]))
    if notes:
        blocks.append(_context(notes))
    if len(blocks) > MAX_BLOCKS:
        cut = "The answer is longer than a Slack message: say _export that to excel_ for all of it."
        blocks = [*blocks[:MAX_BLOCKS - 1], _context([cut])]
    return blocks


def table_block(table: Table) -> tuple[dict, bool]:
    """A table as Slack shows it well: two columns and few rows as section fields (label, value),
    anything else as a monospaced block of its first rows and the columns that fit; and whether
    the block leaves rows or columns out (then the table is attached as CSV)."""
    title = f"*{to_mrkdwn(table.title or table.name)}*"
    if len(table.columns) == 2 and table.total_rows <= MAX_FIELDS and table.rows:
        from .render import cell

        # a measure/value table: the measure's name says how its value reads ("churn rate" as a percentage)
        fields = [{"type": "mrkdwn", "text": _clip(f"*{to_mrkdwn(cell(label, table.columns[0]))}*\n"
                                                   f"{to_mrkdwn(cell(value, str(label), table.shows_percent(row, 1) or None))}",
                                                   MAX_FIELD)}
                  for row in table.rows for label, value in [row]]
        return {"type": "section", "text": {"type": "mrkdwn", "text": title}, "fields": fields}, False
    rows = CHAT_ROWS
    while True:
        text, missing = monospace(table, rows=rows)
        note = f"\n_{missing}: the full table is attached as {csv_name(table)}_" if missing else ""
        body = f"{title}\n{FENCE}{escape(text).replace(FENCE, '``')}{FENCE}{note}"
        if len(body) <= MAX_SECTION or rows <= 1:
            return _section(_clip(body, MAX_SECTION)), bool(missing)
        rows -= 1


def csv_name(table: Table) -> str:
    return f"{table.name or 'table'}.csv"


def clarify_blocks(answer: Answer, key: str) -> list[dict]:
    """An ambiguous question's readings: the narrative, one line per reading and a button per
    reading whose value carries the conversation and the pick."""
    readings = answer.table("readings")
    lines = [f"*{n}.* {to_mrkdwn(title)}" + (f" — _{to_mrkdwn(example)}_" if example else "")
             for n, _, title, example in (row[:4] for row in readings.rows)]
    summary = re.sub(r"\s*Answer with a number.*$", "", answer.summary) + " Pick one:"
    buttons = [{"type": "button", "action_id": f"custlens_pick_{n}", "text": {"type": "plain_text",
                "text": _clip(f"{n}. {title}", MAX_BUTTON)}, "value": json.dumps({"key": key, "pick": str(n)})}
               for n, _, title, _ in (row[:4] for row in readings.rows[:25])]
    return [_section(_clip(to_mrkdwn(summary), MAX_SECTION)), _section(_clip("\n".join(lines), MAX_SECTION)),
            {"type": "actions", "block_id": "custlens_readings", "elements": buttons}]


def fallback_text(answer: Answer) -> str:
    """The plain text of a message: notifications and screen readers show it."""
    return _clip(f"{answer.title}: {answer.summary.splitlines()[0] if answer.summary else ''}".rstrip(": "), 3000)


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(texts: list[str]) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(t, MAX_SECTION)}
                                            for t in texts[:MAX_CONTEXT_ELEMENTS]]}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _chunks(text: str, limit: int) -> list[str]:
    """``text`` cut at paragraph (or line) breaks into pieces of at most ``limit`` characters."""
    out, current = [], ""
    for para in re.split(r"(\n\n)", text.strip()):
        if len(current) + len(para) <= limit:
            current += para
            continue
        if current.strip():
            out.append(current.strip())
        while len(para) > limit:
            cut = para.rfind("\n", 0, limit)
            cut = cut if cut > 0 else limit
            out.append(para[:cut])
            para = para[cut:].lstrip("\n")
        current = para
    if current.strip():
        out.append(current.strip())
    return out


# ---------------------------------------------------------------------- the bot
def question_text(text: str) -> str:
    """A Slack message's text as a question: mentions removed, links as their label, entities
    unescaped."""
    text = MENTION.sub(" ", text or "")
    text = LINK.sub(lambda m: m.group(2) or m.group(3) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def conversation_key(channel: str, thread_ts: str | None) -> str:
    return f"slack:{channel}:{thread_ts}" if thread_ts else f"slack:{channel}"


class SlackBot:
    """custlens on a Bolt ``App``: the listeners, and answering one turn. ``timeout``: seconds an
    answer may take (then the thread is told so); ``files_dir``: where "export that" and "plot it"
    write before the files are uploaded (a temporary folder by default)."""

    def __init__(self, assistant, app, timeout: float | None = 120.0, files_dir: str | Path | None = None):
        self.assistant = assistant
        self.timeout = timeout
        self.files_dir = Path(files_dir or tempfile.mkdtemp(prefix="custlens-slack-"))
        app.event("app_mention")(self._on_mention)
        app.event("message")(self._on_message)
        app.action(PICK_ACTION)(self._on_pick)

    # ------------------------------------------------------------------ listeners
    def _on_mention(self, event, client, context, request):
        if _retry(request):
            return
        thread = event.get("thread_ts") or event["ts"]
        self.answer(client, event["channel"], thread, question_text(event.get("text", "")))

    def _on_message(self, event, client, context, request):
        """Direct messages, and messages in a thread this bot answers (mentions come as app_mention)."""
        if _retry(request) or event.get("subtype") or event.get("bot_id"):
            return
        text, channel, thread = event.get("text", ""), event["channel"], event.get("thread_ts")
        if event.get("channel_type") == "im":
            self.answer(client, channel, thread, question_text(text))
            return
        bot = context.get("bot_user_id")
        if thread and (not bot or f"<@{bot}" not in text) and self.assistant.has_conversation(
                conversation_key(channel, thread)):
            self.answer(client, channel, thread, question_text(text))

    def _on_pick(self, ack, body, action, client):
        ack()
        value = json.loads(action["value"])
        channel = body["channel"]["id"]
        message = body.get("message") or {}
        thread = message.get("thread_ts")
        picked = action["text"]["text"]
        client.chat_update(channel=channel, ts=message.get("ts") or body["container"]["message_ts"],
                           text=f"You picked {picked}",
                           blocks=[_context([f"<@{body['user']['id']}> picked *{to_mrkdwn(picked)}*"])])
        self.answer(client, channel, thread, value["pick"], key=value["key"])

    # ------------------------------------------------------------------ one turn
    def answer(self, client, channel: str, thread: str | None, text: str, key: str | None = None) -> None:
        """Answer ``text`` in conversation ``key`` (by default the thread's) and post the answer,
        its files and charts in ``thread`` (None: the channel itself, as in a DM)."""
        key = key or conversation_key(channel, thread)
        try:
            self._answer(client, channel, thread, text or "help", key)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message, never a traceback in Slack
            if not isinstance(exc, CustlensError):
                log.exception("answering %r in %s failed", text, key)
            client.chat_postMessage(channel=channel, thread_ts=thread, text=error_text(exc),
                                    blocks=[_section(_clip(to_mrkdwn(error_text(exc)), MAX_SECTION))])

    def _answer(self, client, channel: str, thread: str | None, text: str, key: str) -> None:
        folder = self._folder()
        try:
            answer = self.assistant.chat(key, text, timeout=self.timeout, export_dir=folder)
            if answer.analysis == "clarify":
                client.chat_postMessage(channel=channel, thread_ts=thread, text=fallback_text(answer),
                                        blocks=clarify_blocks(answer, key))
                return
            charts = wants_chart(text) and answer.analysis not in FILE_ANSWERS
            if answer.analysis in FILE_ANSWERS:  # its summary names paths on the bot's disk: say what comes instead
                said = f"{answer.title}: the file(s) are attached below."
                client.chat_postMessage(channel=channel, thread_ts=thread, text=said,
                                        blocks=[_section(to_mrkdwn(said))])
            else:
                client.chat_postMessage(channel=channel, thread_ts=thread, text=fallback_text(answer),
                                        blocks=answer_blocks(answer, chart_hint=not charts))
            uploads = self._uploads(answer, charts, folder)
            if uploads:
                client.files_upload_v2(file_uploads=uploads, channel=channel, thread_ts=thread)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _uploads(self, answer: Answer, charts: bool, folder: Path) -> list[dict[str, Any]]:
        """The files that go with an answer: each table the message cuts (as CSV), the charts when
        asked for, and what "export that" / "plot it" wrote in this turn's folder (removed after)."""
        from .export import csv_text  # formula-looking cells neutralised

        out = []
        for i, table in enumerate(answer.tables):
            if i >= MAX_TABLES or table_block(table)[1]:
                out.append({"content": csv_text(table.frame).encode(), "filename": csv_name(table),
                            "title": table.title or table.name})
        if charts and answer.charts:
            from .charts import png_bytes

            for chart in answer.charts[:MAX_CHARTS]:
                out.append({"content": png_bytes(answer, chart), "filename": f"{_slug(chart.title)}.png",
                            "title": chart.title})
        for path in sorted(folder.iterdir()):
            if path.is_file():
                out.append({"content": path.read_bytes(), "filename": path.name, "title": path.name})
        return out

    def _folder(self) -> Path:
        """A folder of this turn's own: a turn's uploads never pick up (or remove) the next one's files."""
        self.files_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=self.files_dir))


def _retry(request) -> bool:
    """Slack re-sends an event it thinks was not acknowledged; the first delivery is being answered."""
    return bool(request is not None and request.headers.get("x-slack-retry-num"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "chart"


# ---------------------------------------------------------------------- building and running
def build_app(assistant, token: str, signing_secret: str | None = None, client=None, timeout: float | None = 120.0,
              files_dir: str | Path | None = None):
    """A Bolt ``App`` answering with ``assistant``. ``signing_secret`` verifies HTTP requests (Socket
    Mode needs none: Bolt checks no signature there, and without one every HTTP request is refused);
    ``client`` a ``WebClient`` of your own, with the token (tests point one at a fake Slack)."""
    from slack_bolt import App

    app = App(token=None if client else token, signing_secret=signing_secret or "", client=client, name="custlens")
    SlackBot(assistant, app, timeout=timeout, files_dir=files_dir)  # its listeners keep it
    return app


def http_app(app, path: str = "/slack/events"):
    """An ASGI app receiving Slack's HTTP requests (Events API, interactivity) at ``path``."""
    from slack_bolt.adapter.starlette import SlackRequestHandler
    from starlette.applications import Starlette
    from starlette.routing import Route

    handler = SlackRequestHandler(app)

    async def events(request):
        return await handler.handle(request)

    return Starlette(routes=[Route(path, events, methods=["POST"])])


def serve_http(app, host: str = "127.0.0.1", port: int = 3000) -> None:
    """HTTP mode: Slack posts to http://HOST:PORT/slack/events (put a public HTTPS proxy in front)."""
    import uvicorn

    uvicorn.run(http_app(app), host=host, port=port, log_level="info")


def serve_socket_mode(app, app_token: str) -> None:
    """Connect to Slack over Socket Mode (no public URL needed)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    SocketModeHandler(app, app_token).start()
