"""The Slack adapter, offline: a Bolt App whose WebClient talks to a fake Slack API on 127.0.0.1
(it records every call), fed requests signed as Slack signs them. The tests check the calls the
bot makes: the thread it answers in, blocks within Slack's limits, the CSV and PNG uploads, the
clarification buttons and their click, one conversation per thread, errors as friendly words."""

import hashlib
import hmac
import io
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("slack_bolt")

from slack_bolt.request import BoltRequest  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from click.testing import CliRunner  # noqa: E402
from embedding import serving  # noqa: E402

from custlens.answer import Answer, Table  # noqa: E402
from custlens.chatformat import CHAT_ROWS, monospace, to_mrkdwn  # noqa: E402
from custlens.cli import cli  # noqa: E402
from custlens.slack import MAX_BLOCKS, MAX_SECTION, answer_blocks, build_app, http_app  # noqa: E402

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-not-a-real-token"


class FakeSlack(ThreadingHTTPServer):
    """The Slack Web API as slack_sdk sees it: every call recorded as (method, args); answers in
    the shapes Bolt and files_upload_v2 expect (auth.test, chat.postMessage's ts, upload URLs that
    point back here, completeUploadExternal's files)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeSlackHandler)
        self.calls: list[tuple[str, dict]] = []
        self.uploads: dict[str, bytes] = {}
        self.changed = threading.Condition()
        self.n = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def record(self, method: str, args: dict) -> dict:
        with self.changed:
            self.n += 1
            reply = self.reply(method, args, self.n)
            args.update({f"_{k}": v for k, v in reply.items() if k in ("ts", "file_id")})
            self.calls.append((method, args))
            self.changed.notify_all()
        return reply

    def reply(self, method: str, args: dict, n: int) -> dict:
        if method == "auth.test":
            return {"ok": True, "url": "https://fake.slack.com/", "team": "Fake", "user": "custlens",
                    "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"}
        if method in ("chat.postMessage", "chat.update"):
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts") or f"9000.{n:06d}",
                    "message": {"text": args.get("text")}}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"{self.url}upload/F{n}", "file_id": f"F{n}"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in json.loads(args["files"])]}
        return {"ok": True}

    def wait(self, predicate, timeout: float = 90.0):
        """The first recorded call for which ``predicate(method, args)`` holds, waiting for it."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for method, args in self.calls:
                    if predicate(method, args):
                        return method, args
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no such call; calls: {[m for m, _ in self.calls]}")
                self.changed.wait(left)

    def posts(self, thread=None):
        return [a for m, a in list(self.calls) if m == "chat.postMessage" and (thread is None or
                                                                           a.get("thread_ts") == thread)]


class FakeSlackHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urllib.parse.urlparse(self.path).path
        if path.startswith("/upload/"):
            self.server.uploads[path.rsplit("/", 1)[1]] = body
            return self._send(b"OK", "text/plain")
        if "json" in (self.headers.get("Content-Type") or ""):
            args = json.loads(body or b"{}")
        else:
            args = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
        args.update({k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).items()})
        reply = self.server.record(path.rsplit("/", 1)[1], args)
        self._send(json.dumps(reply).encode(), "application/json")

    def _send(self, data: bytes, kind: str):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


# ---------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def slack():
    server = FakeSlack()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def app(assistant, slack, tmp_path_factory):
    client = WebClient(token=TOKEN, base_url=slack.url + "api/")
    return build_app(assistant, token=TOKEN, signing_secret=SECRET, client=client,
                     files_dir=tmp_path_factory.mktemp("slack-files"))


def signature(body: str, secret: str = SECRET) -> dict[str, str]:
    """Slack's headers: X-Slack-Signature = v0=HMAC-SHA256(secret, "v0:timestamp:body")."""
    ts = str(int(time.time()))
    sig = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": ts, "x-slack-signature": sig}


def signed(body: str, content_type: str, secret: str = SECRET) -> BoltRequest:
    """A request as Slack sends it, signed."""
    headers = {k: [v] for k, v in signature(body, secret).items()}
    return BoltRequest(body=body, headers={"content-type": [content_type], **headers})


_ids = iter(range(1, 10**6))


def event(app, kind: str, text: str, ts: str, channel: str = "C1", thread: str | None = None,
          channel_type: str = "channel", secret: str = SECRET):
    ev = {"type": kind, "user": "U1", "text": text, "ts": ts, "channel": channel, "event_ts": ts,
          "channel_type": channel_type}
    if thread:
        ev["thread_ts"] = thread
    body = json.dumps({"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": f"Ev{next(_ids)}", "event_time": int(time.time()), "event": ev,
                       "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}]})
    return app.dispatch(signed(body, "application/json", secret))


def mention(app, text: str, ts: str, **kw):
    return event(app, "app_mention", f"<@UBOT> {text}", ts, **kw)


def click(app, message: dict, button: dict, channel: str = "C1"):
    payload = {"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T1"}, "api_app_id": "A1",
               "token": "legacy", "trigger_id": "1.2.3", "channel": {"id": channel},
               "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
               "message": {"type": "message", "ts": message["ts"], "thread_ts": message.get("thread_ts"),
                           "text": message["text"]},
               "actions": [{**button, "block_id": "custlens_readings", "action_ts": "1.1"}]}
    return app.dispatch(signed("payload=" + urllib.parse.quote(json.dumps(payload)),
                               "application/x-www-form-urlencoded"))


def answer_in(slack, thread, after=0, timeout=90.0):
    """The next message posted in ``thread`` (after the first ``after`` ones)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posts = slack.posts(thread)
        if len(posts) > after:
            return posts[after]
        with slack.changed:
            slack.changed.wait(0.5)
    raise AssertionError(f"no answer in thread {thread}; posts: {[p.get('thread_ts') for p in slack.posts()]}")


def texts(blocks) -> str:
    """Every text of a message's blocks, joined."""
    out = []
    for b in blocks:
        for part in [b.get("text")] + b.get("fields", []) + b.get("elements", []):
            if isinstance(part, dict) and "text" in part:
                out.append(part["text"] if isinstance(part["text"], str) else part["text"]["text"])
    return "\n".join(out)


def blocks_of(post):
    return json.loads(post["blocks"]) if isinstance(post["blocks"], str) else post["blocks"]


def within_limits(blocks):
    assert len(blocks) <= MAX_BLOCKS
    for b in blocks:
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= MAX_SECTION
            assert len(b.get("fields", [])) <= 10


def uploads_in(slack, thread):
    """(filename, bytes) of the files completed in ``thread``."""
    calls = list(slack.calls)
    names = {a["_file_id"]: a["filename"] for m, a in calls if m == "files.getUploadURLExternal"}
    return [(names[f["id"]], slack.uploads[f["id"]]) for m, a in calls
            if m == "files.completeUploadExternal" and a.get("thread_ts") == thread for f in json.loads(a["files"])]


def uploaded(slack, channel, suffix):
    """(filename, bytes) of the first file named ``*suffix`` completed in ``channel``, waiting for it."""
    def names():
        return {a["_file_id"]: a["filename"] for m, a in list(slack.calls) if m == "files.getUploadURLExternal"}

    def match(args):
        return [f["id"] for f in json.loads(args["files"]) if names().get(f["id"], "").endswith(suffix)]

    _, done = slack.wait(lambda m, a: m == "files.completeUploadExternal" and a.get("channel_id") == channel
                         and bool(match(a)))
    file_id = match(done)[0]
    return names()[file_id], slack.uploads[file_id]


# ---------------------------------------------------------------------- tests
def test_a_mention_is_answered_in_its_thread_with_the_full_table_as_csv(app, slack, assistant):
    response = mention(app, "total revenue by country", ts="100.1")
    assert response.status == 200
    post = answer_in(slack, "100.1")
    assert post["channel"] == "C1"
    blocks = blocks_of(post)
    within_limits(blocks)
    shown = texts(blocks)
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"] == "Sales overview"
    answer = assistant.session("slack:C1:100.1").last_answer()
    bold = re.search(r"\*\*(.+?)\*\*", answer.summary).group(1)
    assert "**" not in shown and f"*{bold}*" in shown  # Markdown bold became Slack's
    assert "```" in shown  # a table as a monospaced block
    by_country = answer.table("by_country")
    shown_rows = min(CHAT_ROWS, len(by_country.rows))
    assert by_country.total_rows > shown_rows and f"{shown_rows} of {by_country.total_rows} rows" in shown
    assert "say _plot it_ for the chart" in shown
    slack.wait(lambda m, a: m == "files.completeUploadExternal" and a.get("thread_ts") == "100.1")
    files = dict(uploads_in(slack, "100.1"))
    assert not any(name.endswith(".png") for name in files)  # no chart unless asked
    csv = pd.read_csv(io.BytesIO(files["by_country.csv"]))
    assert len(csv) == by_country.total_rows
    assert csv["revenue"].sum() == pytest.approx(by_country.frame["revenue"].sum())


def test_asking_for_a_chart_uploads_it_as_png(app, slack):
    mention(app, "show me a chart of monthly revenue", ts="101.1")
    answer_in(slack, "101.1")
    slack.wait(lambda m, a: m == "files.completeUploadExternal" and a.get("thread_ts") == "101.1")
    pngs = [data for name, data in uploads_in(slack, "101.1") if name.endswith(".png")]
    assert pngs and all(data.startswith(b"\x89PNG") for data in pngs)


def test_follow_ups_keep_the_thread_filters_and_other_threads_do_not_see_them(app, slack, assistant):
    mention(app, "total revenue by country", ts="200.1")
    answer_in(slack, "200.1")
    # a reply in the thread without a mention: the bot answers in threads it is part of
    event(app, "message", "and for Germany", ts="200.2", thread="200.1")
    germany = texts(blocks_of(answer_in(slack, "200.1", after=1)))
    assert "country = Germany" in germany
    mention(app, "by month", ts="200.3", thread="200.1")
    by_month = texts(blocks_of(answer_in(slack, "200.1", after=2)))
    assert "country = Germany" in by_month and "by: period" in by_month
    assert assistant.session("slack:C1:200.1").conversation.filters == {"country": ["Germany"]}
    mention(app, "revenue by month", ts="300.1")
    other = texts(blocks_of(answer_in(slack, "300.1")))
    assert "by: period" in other and "Germany" not in other
    # not answered: a message in a thread the bot is not part of, the message event that doubles a
    # mention (the app_mention answers it), and Slack's retry of an event already being answered
    before = len(slack.posts())
    event(app, "message", "and for France", ts="400.2", thread="400.1")
    event(app, "message", "<@UBOT> and for France", ts="200.9", thread="200.1")
    retry = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "EvRetry",
                        "event": {"type": "app_mention", "user": "U1", "text": "<@UBOT> churn", "ts": "402.1",
                                  "channel": "C1", "event_ts": "402.1"}})
    request = signed(retry, "application/json")
    request.headers["x-slack-retry-num"] = ["1"]
    assert app.dispatch(request).status == 200
    mention(app, "total revenue", ts="401.1")  # answered after the ignored ones, were they answered
    answer_in(slack, "401.1")
    assert slack.posts("400.1") == slack.posts("402.1") == [] and len(slack.posts("200.1")) == 3
    assert len(slack.posts()) == before + 1


#: vague questions the router asks back on; which of them it asks back on moves with its examples, so the
#: test takes the first it does (the test is of the buttons, not of the router)
VAGUE = ("which ones matter", "the ones that matter", "customers", "which ones matter most", "tell me more")


def test_an_ambiguous_question_gets_buttons_and_a_click_continues_the_thread(app, slack, assistant):
    probe = assistant.session("slack:probe")
    vague = next(q for q in VAGUE if (r := probe._route(q)) is not None and r.decision == "clarify")
    mention(app, vague, ts="500.1")
    post = answer_in(slack, "500.1")
    blocks = blocks_of(post)
    within_limits(blocks)
    actions = [b for b in blocks if b["type"] == "actions"][0]["elements"]
    readings = assistant.session("slack:C1:500.1").history[-1]  # the clarify answer is in history
    titles = [row[2] for row in readings.table("readings").rows]
    assert len(actions) == len(titles) >= 2
    assert [b["text"]["text"] for b in actions] == [f"{i}. {t}" for i, t in enumerate(titles, 1)]
    message = {"ts": post["_ts"], "thread_ts": "500.1", "text": post["text"]}
    assert click(app, message, actions[1]).status == 200
    update = slack.wait(lambda m, a: m == "chat.update")[1]
    assert update["channel"] == "C1" and titles[1] in texts(blocks_of(update))
    picked = answer_in(slack, "500.1", after=1)
    assert assistant.session("slack:C1:500.1").history[-1].analysis == readings.table("readings").rows[1][1]
    assert blocks_of(picked)[0]["text"]["text"] == assistant.session("slack:C1:500.1").history[-1].title


def test_the_request_is_acknowledged_before_the_answer_and_a_busy_thread_is_told_so(app, slack, misbehaving):
    misbehaving.gate.opened.clear()
    response = mention(app, "open the pod bay doors hal", ts="600.1")
    assert response.status == 200  # acknowledged while the analysis still waits at the gate
    assert misbehaving.gate.entered.wait(30)
    assert slack.posts("600.1") == []
    event(app, "message", "total revenue", ts="600.2", thread="600.1")
    busy = answer_in(slack, "600.1")
    assert "still working on the previous question" in busy["text"]
    misbehaving.gate.opened.set()
    done = answer_in(slack, "600.1", after=1)
    assert blocks_of(done)[0]["text"]["text"] == "Doors open"


def test_errors_are_friendly_messages_never_tracebacks(app, slack, assistant, monkeypatch):
    mention(app, "zxqv blorp frobnicate", ts="700.1")
    cannot = answer_in(slack, "700.1")["text"]
    assert cannot.startswith("Sorry, I can't answer") and "You could ask for example:" in cannot
    mention(app, "detonate the flux capacitor", ts="701.1")
    crashed = answer_in(slack, "701.1")["text"]
    assert crashed.startswith("Sorry, I couldn't answer that: plugin 'Misbehaving' failed: analysis 'explode'")
    assert "Traceback" not in cannot + crashed and "File \"" not in crashed

    def bug(*args, **kwargs):
        raise ValueError("an internal detail")

    monkeypatch.setattr(assistant, "chat", bug)  # a bug outside any plugin: logged, not shown
    mention(app, "total revenue", ts="702.1")
    unexpected = answer_in(slack, "702.1")["text"]
    assert "went wrong on my side (ValueError)" in unexpected and "internal detail" not in unexpected


def test_a_bad_signature_is_rejected(app, slack):
    before = len(slack.calls)
    response = mention(app, "total revenue", ts="800.1", secret="not-the-secret")
    assert response.status == 401
    time.sleep(0.2)
    assert slack.posts("800.1") == [] and len(slack.calls) == before


def test_a_direct_message_is_answered_in_the_dm_and_exports_come_back_as_files(app, slack, assistant, tmp_path):
    event(app, "message", "total revenue by country", ts="900.1", channel="D1", channel_type="im")
    post = slack.wait(lambda m, a: m == "chat.postMessage" and a.get("channel") == "D1")[1]
    assert not post.get("thread_ts")
    target = tmp_path / "mine.xlsx"
    event(app, "message", f"export that to {target}", ts="900.2", channel="D1", channel_type="im")
    name, data = uploaded(slack, "D1", ".xlsx")
    assert name == "mine.xlsx"  # by its name alone, into the turn's own folder
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert len(sheets["by_country"]) == assistant.session("slack:D1").last_answer().table("by_country").total_rows
    assert not target.exists()  # a chat user does not choose where the bot writes
    said = slack.wait(lambda m, a: m == "chat.postMessage" and a.get("channel") == "D1"
                      and "Exported" in a.get("text", ""))[1]
    assert "attached below" in said["text"] and "/" not in said["text"] + texts(blocks_of(said))  # no path shown
    event(app, "message", "plot it", ts="900.3", channel="D1", channel_type="im")
    name, data = uploaded(slack, "D1", ".png")
    assert data.startswith(b"\x89PNG")
    assert assistant.has_conversation("slack:D1")


def test_http_mode_over_a_real_socket(app, slack):
    """What ``custlens slack`` serves without Socket Mode: Bolt behind Starlette and uvicorn."""
    with serving(http_app(app)) as base:
        def send(payload, secret=SECRET):
            body = json.dumps(payload)
            request = urllib.request.Request(base + "/slack/events", data=body.encode(), method="POST", headers={
                "Content-Type": "application/json", **signature(body, secret)})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read().decode()

        status, body = send({"type": "url_verification", "challenge": "c-123", "token": "legacy"})
        assert status == 200 and "c-123" in body
        assert send({"type": "url_verification", "challenge": "c-123"}, secret="wrong")[0] == 401
        status, _ = send({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "EvHTTP",
                          "event": {"type": "app_mention", "user": "U1", "text": "<@UBOT> total revenue",
                                    "ts": "1000.1", "channel": "C9", "event_ts": "1000.1"}})
        assert status == 200
        assert blocks_of(answer_in(slack, "1000.1"))[0]["text"]["text"] == "Sales overview"


def test_the_command_names_the_missing_variable():
    res = CliRunner().invoke(cli, ["slack", "--demo"], env={"SLACK_BOT_TOKEN": None})
    assert res.exit_code == 1 and "SLACK_BOT_TOKEN is not set" in res.output
    res = CliRunner().invoke(cli, ["slack", "--demo"], env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": None,
                                                            "SLACK_SIGNING_SECRET": None})
    assert res.exit_code == 1 and "SLACK_APP_TOKEN" in res.output and "SLACK_SIGNING_SECRET" in res.output


def test_the_shipped_manifest_asks_for_what_the_bot_uses():
    import yaml

    manifest = yaml.safe_load((Path(__file__).parents[1] / "examples" / "slack_manifest.yaml").read_text())
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "message.channels"} <= events  # the listeners: mentions, DMs, threads
    assert manifest["settings"]["interactivity"]["is_enabled"]  # the reading buttons
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "files:write", "im:history", "channels:history"} <= scopes


# ---------------------------------------------------------------------- rendering on its own
def test_mrkdwn_conversion():
    text = "# Title\n**bold** and _it_ with a [link](https://x.org) & <tag>\n- one\n- two"
    assert to_mrkdwn(text) == ("*Title*\n*bold* and _it_ with a <https://x.org|link> &amp; &lt;tag&gt;\n"
                               "• one\n• two")


def test_table_cells_are_escaped_for_slack():
    from custlens.slack import table_block

    frame = pd.DataFrame({"company": ["Smith & Sons <Ltd>", "Acme"], "region": ["EU", "US"], "revenue": [1.5, 2.0]})
    block, cut = table_block(Table.from_frame("t", frame))
    assert "Smith &amp; Sons &lt;Ltd&gt;" in block["text"]["text"] and not cut


def test_a_wide_long_table_keeps_the_columns_that_fit_and_says_what_is_left_out():
    frame = pd.DataFrame({f"column_{i}": [i * 1000.5 + r for r in range(40)] for i in range(12)})
    text, missing = monospace(Table.from_frame("wide", frame), rows=10, width=60)
    lines = text.splitlines()
    assert len(lines) == 12 and max(map(len, lines)) <= 60
    kept = len(lines[0].split())
    assert 1 <= kept < 12 and missing == f"10 of 40 rows · {kept} of 12 columns"


def test_a_huge_answer_stays_within_the_block_limits():
    frame = pd.DataFrame({"name": [f"customer {i} " * 5 for i in range(60)], "value": range(60)})
    answer = Answer(analysis="x", title="A" * 400, summary=("word " * 700 + "\n\n") * 30,
                    tables=[Table.from_frame(f"t{i}", frame) for i in range(20)],
                    warnings=[f"note {i}" for i in range(30)], follow_ups=["next"] * 10)
    blocks = answer_blocks(answer)
    within_limits(blocks)
    assert blocks[-1]["type"] == "context"
