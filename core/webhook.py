"""The webhook mode (``custlens webhook``): custlens behind a chat tool's outgoing webhook.

The chat tool POSTs each message that triggers the webhook; the reply is the HTTP response, text
only (no files, no buttons). Two kinds:

- ``mattermost``: an outgoing webhook sends a form (or JSON) with ``token``, ``channel_id``,
  ``user_name``, ``text`` and ``trigger_word``; the ``token`` must be the webhook's. The reply is
  ``{"text": markdown, "response_type": "comment"}`` (a reply under the triggering post); Mattermost
  renders Markdown tables, so tables are Markdown (their first rows).
- ``teams``: a Microsoft Teams outgoing webhook sends a Bot Framework activity as JSON and signs
  the body: ``Authorization: HMAC base64(HMAC-SHA256(base64-decoded secret, body))``. The reply is
  ``{"type": "message", "text": markdown}``; Teams shows no tables in text messages, so tables are
  preformatted blocks.

One conversation per channel (Mattermost: ``channel_id``, and the thread's ``root_id`` when the
payload has one; Teams: the conversation id, which names the thread). A request without the right
token or signature gets 401; malformed bodies 400; bodies over ``max_body`` bytes 413. Failures to
answer are friendly replies (200), as in Slack. "export that" and "plot it" write files, which a
text reply cannot carry: they get a word saying so.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import json
import logging
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import parse_qs

from .chatformat import chat_markdown, error_text
from .conversation import classify_turn
from .errors import CustlensError

log = logging.getLogger("custlens.webhook")

KINDS = ("mattermost", "teams")
#: the reply's size: Mattermost's default post limit is 16,383 characters; Teams takes 40 KB
LIMITS = {"mattermost": 16000, "teams": 20000}
FILE_TURNS = {"export", "export_documents", "plot"}
NO_FILES = ("I can only reply with text here, so I can't send files or charts: `custlens ask --out` or the Slack "
            "bot can.")
#: seconds an answer may take: Teams gives an outgoing webhook 5 s, Mattermost waits 30 s by default
TIMEOUTS = {"mattermost": 25.0, "teams": 4.5}


class Rejected(Exception):
    """A request that is not answered: ``status`` and the reason."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


def mattermost_turn(body: bytes, content_type: str, token: str) -> tuple[str, str]:
    """(conversation key, question) of a Mattermost outgoing webhook request."""
    if "json" in content_type:
        try:
            data = json.loads(body)
        except ValueError:
            raise Rejected(400, "the body is not valid JSON") from None
    else:
        data = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    if not isinstance(data, dict):
        raise Rejected(400, "the body is not a webhook payload")
    if not hmac.compare_digest(str(data.get("token", "")).encode(), token.encode()):
        raise Rejected(401, "wrong or missing webhook token")
    channel = str(data.get("channel_id") or "")
    if not channel:
        raise Rejected(400, "the payload has no channel_id")
    text = str(data.get("text") or "").strip()
    trigger = str(data.get("trigger_word") or "")
    if trigger and text.lower().startswith(trigger.lower()):
        text = text[len(trigger):].strip(" :,")
    root = data.get("root_id")
    return f"mattermost:{channel}" + (f":{root}" if root else ""), text


def teams_turn(body: bytes, authorization: str, secret: bytes) -> tuple[str, str]:
    """(conversation key, question) of a Teams outgoing webhook request, its HMAC checked."""
    given = authorization[5:].strip() if authorization.startswith("HMAC ") else ""
    expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Rejected(401, "wrong or missing HMAC signature")
    try:
        data = json.loads(body)
    except ValueError:
        raise Rejected(400, "the body is not valid JSON") from None
    conversation = (data.get("conversation") or {}).get("id") if isinstance(data, dict) else None
    if not conversation:
        raise Rejected(400, "the activity has no conversation id")
    text = re.sub(r"<at>.*?</at>", " ", str(data.get("text") or ""))
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\xa0", " ")
    return f"teams:{conversation}", " ".join(text.split())


def check_secret(kind: str, secret: str) -> bytes:
    """The HMAC key of a webhook's secret (Teams: the base64 security token decoded); a clear
    error for an unknown kind, a missing secret or a Teams token that is not base64."""
    if kind not in KINDS:
        raise CustlensError(f"unknown webhook kind {kind!r}: use one of {', '.join(KINDS)}")
    if not secret:
        raise CustlensError("the webhook needs its token (Mattermost) or security token (Teams)")
    if not secret.strip():
        raise CustlensError("the webhook token is blank: copy the token the chat tool showed when the outgoing "
                            "webhook was created")
    if kind != "teams":
        return secret.encode()
    try:
        return base64.b64decode(secret, validate=True)
    except (binascii.Error, ValueError):
        raise CustlensError("the Teams security token is not base64: copy it as Teams shows it when the "
                            "outgoing webhook is created") from None


def reply(kind: str, text: str) -> dict:
    """The JSON body the chat tool posts back."""
    if kind == "teams":
        return {"type": "message", "text": text}
    return {"text": text, "response_type": "comment"}


class Webhook:
    """Answers one webhook request at a time per conversation, many conversations at once."""

    def __init__(self, assistant, kind: str, secret: str, timeout: float | None = None, max_body: int = 64_000):
        self.key = check_secret(kind, secret)
        self.assistant, self.kind, self.max_body, self.token = assistant, kind, max_body, secret
        self.timeout = TIMEOUTS[kind] if timeout is None else timeout
        self.files_dir = Path(tempfile.mkdtemp(prefix="custlens-webhook-"))

    def close(self) -> None:
        """Remove the temporary folder of the turns' files (the app's shutdown calls it)."""
        shutil.rmtree(self.files_dir, ignore_errors=True)

    def turn(self, body: bytes, content_type: str = "", authorization: str = "") -> tuple[str, str]:
        """Check a request and read it: (conversation key, question); raises Rejected."""
        if len(body) > self.max_body:
            raise Rejected(413, f"the request is larger than {self.max_body:,} bytes")
        if self.kind == "teams":
            return teams_turn(body, authorization, self.key)
        return mattermost_turn(body, content_type, self.token)

    def answer(self, key: str, text: str) -> str:
        """The reply's text to ``text`` in conversation ``key``: the answer, or a friendly error."""
        text = text or "help"
        if classify_turn(text, pending=False)[0] in FILE_TURNS:  # before a named file could be written
            return NO_FILES
        try:
            answer = self._chat(key, text)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a reply, never a traceback
            if not isinstance(exc, CustlensError):
                log.exception("answering %r in %s failed", text, key)
            return error_text(exc)
        if answer.analysis in ("export", "plot"):  # "export personas": documents a text reply cannot carry
            return NO_FILES
        if self.kind == "teams":
            return chat_markdown(answer, tables="monospace", headings=False, limit=LIMITS["teams"])
        return chat_markdown(answer, tables="markdown", headings=True, limit=LIMITS["mattermost"])


    def _chat(self, key: str, text: str):
        """One turn; whatever it writes (documents) goes to a folder of its own, removed after."""
        folder = Path(tempfile.mkdtemp(dir=self.files_dir))
        try:
            return self.assistant.chat(key, text, timeout=self.timeout, export_dir=folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def create_app(assistant, kind: str, secret: str, timeout: float | None = None, max_body: int = 64_000,
               path: str = "/webhook"):
    """A Starlette app answering the chat tool's outgoing webhook at ``path``; ``timeout`` seconds
    per answer (default: what the tool waits for, ``TIMEOUTS``)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from contextlib import asynccontextmanager

    hook = Webhook(assistant, kind, secret, timeout=timeout, max_body=max_body)

    @asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            hook.close()  # the temporary folder goes with the server

    async def receive(request: Request):
        try:
            declared = int(request.headers.get("content-length") or 0)
        except ValueError:
            declared = 0
        if declared > max_body:
            return JSONResponse(reply(kind, f"the request is larger than {max_body:,} bytes"), status_code=413)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body:
                break
        try:
            key, text = hook.turn(body, request.headers.get("content-type", ""),
                                  request.headers.get("authorization", ""))
        except Rejected as exc:
            return JSONResponse(reply(kind, str(exc)), status_code=exc.status)
        return JSONResponse(reply(kind, await run_in_threadpool(hook.answer, key, text)))

    app = Starlette(routes=[Route(path, receive, methods=["POST"])], lifespan=lifespan)
    app.state.webhook = hook
    return app
