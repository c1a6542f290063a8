"""The HTTP service (``custlens serve``): custlens over JSON, on FastAPI.

Like the shell and the chat bots, every answer goes through :class:`~custlens.assistant.Assistant`
(one forked Session per conversation, the data loaded and the router fitted once).

    GET    /health                                        status, sources, analyses, open conversations
    GET    /analyses                                      name, title, summary, examples, params schema
    POST   /conversations                                 a new conversation: {"conversation_id"}
    GET    /conversations/{id}                            its answers so far, filters, files
    DELETE /conversations/{id}                            close it (history, segments, files)
    POST   /ask {"question", "conversation_id"?}          the Answer, its index and its download links
    GET    /conversations/{id}/answers/{index}            an earlier answer, as /ask returned it
    GET    /conversations/{id}/answers/{index}/charts/{n}.png     chart n of that answer
    GET    /conversations/{id}/answers/{index}/tables/{t}.csv     table t (number or name), in full
    GET    /conversations/{id}/answers/{index}/tables/{t}.xlsx    the same, as an Excel workbook
    POST   /conversations/{id}/answers/{index}/document   a link to the answer as an HTML document (the report's own)
    GET    /conversations/{id}/files/{name}               a file "export that to excel" / "plot it" wrote
    POST   /conversations/{id}/data?name=orders.csv       upload a data file (CSV, Excel, Parquet) into the conversation
    POST   /conversations/{id}/demo                       load the built-in demo store into the conversation

    GET    /                                              the chat page (static files under /static/, no build step)

``/ask`` without a conversation id opens a new conversation and returns its id; follow-ups
("and for France?", "why?", "2") go to the same id. Ids are random uuids, and only conversations
this service opened are reachable: one client never sees another's answers, filters or files.

Files: each conversation has a folder of its own in a temporary directory (removed when the
conversation is closed, evicted or the server stops). "export that to excel" and "plot it" write
there (a file named in the question keeps its name only, never a path the client picks), and the
reply's ``files`` lists their download links. Any table or chart of any answer can also be
fetched directly (``tables``/``charts`` links) without asking for an export.

The chat page at ``/`` is HTML, CSS and JavaScript shipped in the package (``custlens/web``),
under a strict Content-Security-Policy (scripts and styles from this service only, nothing
inline); it goes through the same endpoints (``POST /page/ask`` is ``/ask`` with the narrative
parsed into a tree the page builds with text nodes, and the scope in force). It holds no data, so
it is served without the token; the page asks for the token once and sends it as Bearer.

Uploads: the body is the file itself (``Content-Type: application/octet-stream``), its name in
``?name=``; it is written into the conversation's folder (``uploads/``, by its name alone) and
loaded like the shell's ``load`` (``Assistant.load``): the first upload, and the demo, replace the
served data for that conversation only. ``--max-upload`` bounds its size (413 beyond).

Errors are JSON ``{"error", "kind", "suggestions"}``: 400 malformed JSON, 401 missing or wrong
bearer token, 404 unknown conversation, answer, chart or table, 409 the conversation is still
answering, 413 body too large, 422 a question custlens cannot answer or a request missing a
field, 503 too many answers at once (Retry-After), 504 past the time limit, 500 anything
unexpected (logged with its traceback, never sent).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .answer import Answer
from .assistant import Assistant
from .errors import Busy, CannotAnswer, CustlensError, TimedOut, UnknownConversation
from .session import Session

log = logging.getLogger("custlens.server")

#: the longest request body accepted by default (a question is short; the session cuts it further)
MAX_BODY = 64 * 1024
#: the Swagger UI files (5.x, which reads the OpenAPI 3.1 FastAPI writes; the swagger-ui-bundle
#: package's 4.x drew "Unable to render this definition") from the fastapi-offline package,
#: served under /docs/assets/ (no CDN)
DOCS_ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css", "favicon.png": "image/png"}
#: the chat page's files (custlens/web), served by these names only
WEB_DIR = Path(__file__).parent / "web"
WEB_FILES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8",
             "favicon.svg": "image/svg+xml"}
#: paths served without the token: the API's description, its offline viewer and the chat page's
#: files, nothing from the data (a document link, /documents/..., is itself an unguessable secret)
PUBLIC = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/"} | {f"/docs/assets/{name}" for name in DOCS_ASSETS} \
    | {f"/static/{name}" for name in WEB_FILES}
#: the chat page's policy: scripts, styles, images and requests from this service only; no inline
#: script or style, no plugin, no frame, no form posted elsewhere
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
#: an answer's HTML document (the report): its own inline styles and data-URI charts, no script at all
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
SAFE_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
#: the largest upload accepted by default (bytes)
MAX_UPLOAD = 50 * 1024 * 1024
#: the data files an upload may be
UPLOAD_TYPES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet")
#: seconds a document link (/documents/...) stays valid
DOCUMENT_SECONDS = 600
UPLOAD_PATH = re.compile(r"^/conversations/[^/]+/data$")
STATUS = {UnknownConversation: 404, Busy: 409, TimedOut: 504}
#: conversations one client (address) keeps open; its least recently used one goes beyond
MAX_PER_CLIENT = 100
#: the shortest bearer token accepted (a guessable one protects nothing)
MIN_TOKEN = 12


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the service on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The host of a Host header without its port: "localhost:8000" -> "localhost",
    "[::1]:8000" -> "[::1]", "127.0.0.1" -> "127.0.0.1"."""
    header = header.strip()
    if header.startswith("["):
        return header[:header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def check_token(token: str | None) -> str | None:
    """The bearer token, or a CustlensError saying why it protects nothing: blank, shorter than
    MIN_TOKEN characters, or holding spaces or characters a header cannot carry."""
    if token is None:
        return None
    if not token.strip():
        raise CustlensError("the token is empty or blank: give a long random one, e.g. the output of "
                            "`python -c \"import secrets; print(secrets.token_urlsafe(32))\"`")
    if not all(33 <= ord(ch) < 127 for ch in token):
        raise CustlensError("the token holds spaces or characters other than printable ASCII, which an "
                            "'Authorization: Bearer' header cannot carry reliably: use letters, digits and - _ . ~")
    if len(token) < MIN_TOKEN:
        raise CustlensError(f"the token is {len(token)} character(s) long: use at least {MIN_TOKEN} (a short one "
                            "is guessed), e.g. `python -c \"import secrets; print(secrets.token_urlsafe(32))\"`")
    return token


# ---------------------------------------------------------------------- the JSON documents
class ErrorBody(BaseModel):
    """Every error: what went wrong and what to do, its kind, and questions that would work."""

    error: str
    kind: str = Field(description="cannot_answer, params_error, data_error, unknown_conversation, busy, "
                                  "timed_out, bad_json, invalid_request, too_large, unauthorized, "
                                  "forbidden_host, overloaded, too_many_conversations, not_found, gone, internal...")
    suggestions: list[str] = Field(default_factory=list)


class Source(BaseModel):
    name: str
    role: str | None
    rows: int | None


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    sources: list[Source]
    analyses: int
    conversations: int = Field(description="conversations open in this service")
    upload_limit: int = Field(description="the largest data file POST /conversations/{id}/data takes, in bytes")


class AnalysisInfo(BaseModel):
    name: str
    title: str
    summary: str
    examples: list[str]
    params: dict[str, Any] = Field(description="JSON schema of the analysis's parameters")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, description="A question or a follow-up in everyday words",
                          examples=["total revenue by country", "and for France?", "why?", "export that to excel"])
    conversation_id: str | None = Field(None, description="Continue this conversation; none opens a new one")


class AskResponse(BaseModel):
    conversation_id: str
    index: int = Field(description="this answer's place in the conversation (for its chart and table links)")
    answer: Answer = Field(description="exactly custlens's Answer (as `custlens ask --format json` prints it)")
    charts: list[str] = Field(description="PNG link of each chart, in answer.charts order")
    tables: list[str] = Field(description="CSV link of each table in full, in answer.tables order")
    files: list[str] = Field(description="download links of the files this turn wrote (export, plot)")


class ConversationCreated(BaseModel):
    conversation_id: str


class Loaded(BaseModel):
    conversation_id: str
    sources: list[Source] = Field(description="the conversation's data now")
    warnings: list[str] = Field(description="what loading noticed (unused columns, rows left out...)")


class DocumentLink(BaseModel):
    url: str = Field(description=f"the answer as an HTML document, valid {DOCUMENT_SECONDS // 60} minutes, "
                                 "without the token (the link itself is the secret)")


class AnswerRef(BaseModel):
    index: int
    analysis: str
    title: str


class ConversationInfo(BaseModel):
    conversation_id: str
    answers: list[AnswerRef]
    filters: dict[str, list[Any]] = Field(description="filters in force for follow-ups")
    files: list[str]


class Problem(Exception):
    """An HTTP error of the service's own (not a CustlensError): status, kind, message."""

    def __init__(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.kind, self.headers = status, kind, headers or {}


def error_response(status: int, kind: str, message: str, suggestions: list[str] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=message, kind=kind, suggestions=suggestions or [])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def kind_of(exc: Exception) -> str:
    """"CannotAnswer" -> "cannot_answer"."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error responses a route documents in the OpenAPI schema."""
    return {code: {"model": ErrorBody} for code in codes}


# ---------------------------------------------------------------------- limits before the app
class Guard:
    """ASGI middleware run before FastAPI reads anything: without a token, the Host header (only
    loopback names: a web page whose name was re-pointed at 127.0.0.1, DNS rebinding, is refused);
    with one, the bearer token (constant-time compare); then the body size, by Content-Length and
    by counting what actually arrives (a chunked body has no length). The body is read here, at
    most ``max_body`` bytes, and handed on."""

    def __init__(self, app, token: str | None, max_body: int, max_upload: int = MAX_UPLOAD):
        self.app, self.max_body, self.max_upload = app, max_body, max_upload
        check_token(token)
        self.token = token.encode() if token else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        if not self.token:
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            if not is_loopback(host):
                return await error_response(
                    403, "forbidden_host", f"this service has no token, so it answers only requests addressed to "
                    f"127.0.0.1, localhost or [::1], not to {host[:100]!r} (a web page must not reach it "
                    "through a re-pointed name); serve with --token to be reached under other names"
                )(scope, receive, send)
        elif scope["path"] not in PUBLIC and not scope["path"].startswith("/documents/"):
            given = headers.get(b"authorization", b"")
            scheme, _, credentials = given.partition(b" ")
            if not (scheme.lower() == b"bearer" and hmac.compare_digest(credentials.strip(), self.token)):
                message = ("a bearer token is required: send 'Authorization: Bearer TOKEN'" if not given
                           else "the bearer token is wrong")
                challenge = 'Bearer realm="custlens"' + ("" if not given else ', error="invalid_token"')
                return await error_response(401, "unauthorized", message,
                                            headers={"WWW-Authenticate": challenge})(scope, receive, send)
        limit = self.max_upload if scope["method"] == "POST" and UPLOAD_PATH.match(scope["path"]) else self.max_body
        too_large = error_response(413, "too_large", f"the request body is over the limit of {limit:,} bytes" + (
            " (an upload: serve with a larger --max-upload, or load a smaller extract)" if limit == self.max_upload
            and limit != self.max_body else ""))
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):  # bytes: ASCII digits only
            return await too_large(scope, receive, send)
        if scope["method"] in ("GET", "HEAD", "DELETE", "OPTIONS") and length is None \
                and b"chunked" not in headers.get(b"transfer-encoding", b""):
            return await self.app(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return await too_large(scope, receive, send)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body, delivered = b"".join(chunks), False

        async def replay():
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)


# ---------------------------------------------------------------------- the conversations served
class Conversations:
    """The conversations this service opened, each with its own export folder under one
    temporary root. Only these ids are reachable over HTTP (not those another front end opens
    on the same Assistant). Each client (its address) keeps at most ``per_client`` open: beyond,
    its own least recently used conversation that is not answering is closed (429 if all are),
    so one client can never push out everyone else's."""

    def __init__(self, assistant: Assistant, per_client: int = MAX_PER_CLIENT):
        self.assistant, self.per_client = assistant, per_client
        self._root: Path | None = None
        self._ids: set[str] = set()
        self._owner: dict[str, str] = {}  # conversation id -> the client that opened it
        self._lock = threading.Lock()

    @property
    def root(self) -> Path:
        """The temporary folder of the conversations' folders, made with the first of them."""
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="custlens-serve-"))
            return self._root

    def open(self, client: str = "") -> str:
        self.sweep()
        with self._lock:
            mine = [cid for cid, owner in self._owner.items() if owner == client]
        if len(mine) >= self.per_client:
            oldest = self.assistant.least_recent(mine)
            if oldest is None:
                raise Problem(429, "too_many_conversations", f"this client has {len(mine)} conversations open, the "
                              f"limit, all still answering: wait for an answer, or close one (DELETE "
                              "/conversations/{id})", headers={"Retry-After": "1"})
            self.assistant.close_session(oldest)
            self._forget(oldest)
        cid = self.assistant.new_conversation()
        folder = self.root / cid
        folder.mkdir()
        session = self.assistant.session(cid, create=False)
        session.export_dir, session.confine_exports = str(folder), True
        with self._lock:
            self._ids.add(cid)
            self._owner[cid] = client
        return cid

    def session(self, cid: str) -> Session:
        """The conversation ``cid`` if this service opened it and it is still open, else
        UnknownConversation (and its folder goes, if the Assistant closed it as idle or old)."""
        with self._lock:
            ours = cid in self._ids
        if ours:
            try:
                return self.assistant.session(cid, create=False)
            except UnknownConversation:
                self._forget(cid)
        raise UnknownConversation(f"there is no conversation {cid!r} (never opened, closed, or closed after "
                                  "being idle): start a new one.")

    def close(self, cid: str) -> None:
        self.session(cid)  # UnknownConversation for another's id
        self.assistant.close_session(cid)
        self._forget(cid)

    def count(self) -> int:
        self.sweep()
        return len(self._ids)

    def folder(self, cid: str) -> Path:
        return self.root / cid

    def files(self, cid: str) -> dict[str, int]:
        """File name -> modification time, of what the conversation wrote."""
        folder = self.folder(cid)
        return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()} if folder.is_dir() else {}

    def sweep(self) -> None:
        """Forget the conversations the Assistant closed (idle, or least recently used)."""
        open_now = set(self.assistant.conversations())
        with self._lock:
            gone = self._ids - open_now
        for cid in gone:
            self._forget(cid)

    def shutdown(self) -> None:
        with self._lock:
            ids = list(self._ids)
        for cid in ids:
            self.assistant.close_session(cid)
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)

    def _forget(self, cid: str) -> None:
        with self._lock:
            self._ids.discard(cid)
            self._owner.pop(cid, None)
        shutil.rmtree(self.root / cid, ignore_errors=True)


# ---------------------------------------------------------------------- the app
def create_app(assistant: Assistant, token: str | None = None, max_body: int = MAX_BODY,
               timeout: float | None = 60.0, max_concurrent: int = 8,
               max_per_client: int = MAX_PER_CLIENT, max_upload: int = MAX_UPLOAD) -> FastAPI:
    """The service over ``assistant`` (which the caller owns and closes). ``token``: clients must
    send ``Authorization: Bearer TOKEN``; ``max_body``: bytes per request; ``timeout``: seconds
    per answer (None: no limit); ``max_concurrent``: answers computed at once, beyond which
    ``/ask`` says 503 at once rather than queueing (a chart's first download counts too);
    ``max_per_client``: conversations one client address keeps open (its oldest idle one is
    closed beyond; behind a reverse proxy, uvicorn takes the address from X-Forwarded-For when
    the proxy is trusted, ``--forwarded-allow-ips``); ``max_upload``: bytes of an uploaded data file."""
    check_token(token)
    conversations = Conversations(assistant, per_client=max_per_client)
    slots = threading.BoundedSemaphore(max_concurrent)
    catalogue = [_describe(name, obj) for name, obj in sorted(assistant.analyses.items())]  # fixed once loaded

    @asynccontextmanager
    async def lifespan(app):
        yield
        conversations.shutdown()

    app = FastAPI(title="custlens", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Ask questions about your customers in everyday words; get the answer's "
                              "narrative, tables and charts as JSON, PNG and CSV.")
    app.add_middleware(Guard, token=token, max_body=max_body, max_upload=max_upload)
    documents: dict[str, tuple[str, int, float]] = {}  # document link secret -> conversation, answer, expiry
    app.state.conversations = conversations
    # documents the scheme in the OpenAPI schema; the check itself is Guard's, before the body is read
    bearer = [Depends(HTTPBearer(auto_error=False))] if token else []

    def links(request: Request, cid: str, index: int, answer: Answer) -> dict[str, list[str]]:
        base = f"{request.scope.get('root_path', '')}/conversations/{cid}"
        return {"charts": [f"{base}/answers/{index}/charts/{n}.png" for n in range(len(answer.charts))],
                "tables": [f"{base}/answers/{index}/tables/{n}.csv" for n in range(len(answer.tables))]}

    def files_url(request: Request, cid: str) -> str:
        return f"{request.scope.get('root_path', '')}/conversations/{cid}/files/"

    def reply_body(request: Request, cid: str, index: int, answer: Answer, files: list[str]) -> dict[str, Any]:
        base = files_url(request, cid)
        return {"conversation_id": cid, "index": index, "answer": answer.model_dump(mode="json"),
                **links(request, cid, index, answer), "files": [base + name for name in files]}

    def reply(request: Request, cid: str, index: int, answer: Answer, files: list[str]) -> JSONResponse:
        return JSONResponse(reply_body(request, cid, index, answer, files))

    def take_slot() -> None:
        if not slots.acquire(blocking=False):
            raise Problem(503, "overloaded", f"{max_concurrent} answers are being computed already: try again in "
                                             "a moment", headers={"Retry-After": "1"})

    def answer_at(cid: str, index: int) -> Answer:
        session = conversations.session(cid)
        history, dropped = list(session.history), session.history_dropped
        if dropped <= index < dropped + len(history):
            return history[index - dropped]
        if 0 <= index < dropped:
            raise Problem(404, "not_found", f"answer {index} of conversation {cid!r} is no longer kept: only the "
                                            f"last {len(history)} are (from {dropped})")
        raise Problem(404, "not_found", f"conversation {cid!r} has {dropped + len(history)} answer(s), numbered "
                                        f"from 0: there is no answer {index}")

    # ------------------------------------------------------------------ errors
    @app.exception_handler(CustlensError)
    async def custlens_error(request, exc: CustlensError):
        message = CustlensError.__str__(exc)  # CannotAnswer's suggestions go in their own field
        return error_response(STATUS.get(type(exc), 422), kind_of(exc), message,
                              exc.suggestions if isinstance(exc, CannotAnswer) else [])

    @app.exception_handler(Problem)
    async def problem(request, exc: Problem):
        return error_response(exc.status, exc.kind, str(exc), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request, exc: RequestValidationError):
        problems = exc.errors()
        bad_json = next((e for e in problems if e["type"] == "json_invalid"), None)
        if bad_json is not None:
            why = (bad_json.get("ctx") or {}).get("error", "")
            return error_response(400, "bad_json", f"the body is not valid JSON ({why})" if why
                                  else "the body is not valid JSON")
        if any(e["type"] in ("model_attributes_type", "dict_type") and tuple(e["loc"]) == ("body",) for e in problems):
            return error_response(400, "bad_json", 'the body must be a JSON object, e.g. {"question": "total revenue"}')
        parts = []
        for e in problems:
            where = ".".join(str(x) for x in e["loc"] if x != "body") or "body"
            parts.append(f"{where}: {'unknown field' if e['type'] == 'extra_forbidden' else e['msg']}")
        return error_response(422, "invalid_request", "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request, exc: StarletteHTTPException):
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = f"there is no {request.method} {request.url.path} here (the endpoints are in /docs)" \
            if exc.status_code in (404, 405) else str(exc.detail)
        return error_response(exc.status_code, kind, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request, exc: Exception):
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal", "the server failed unexpectedly; the error is in its log")

    # ------------------------------------------------------------------ the API's description, offline
    @app.get("/docs", include_in_schema=False)
    def docs(request: Request):
        """Swagger UI from the fastapi-offline package's files, served here: nothing loads from
        outside the machine (no CDN, no validator badge)."""
        from fastapi.openapi.docs import get_swagger_ui_html

        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(openapi_url=root + app.openapi_url, title="custlens API",
                                   swagger_js_url=f"{root}/docs/assets/swagger-ui-bundle.js",
                                   swagger_css_url=f"{root}/docs/assets/swagger-ui.css",
                                   swagger_favicon_url=f"{root}/docs/assets/favicon.png",
                                   oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
                                   swagger_ui_parameters={"validatorUrl": None})

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def docs_redirect():
        from fastapi.openapi.docs import get_swagger_ui_oauth2_redirect_html

        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/docs/assets/{name}", include_in_schema=False)
    def docs_asset(name: str):
        if name not in DOCS_ASSETS:  # names listed, never a path built from the request
            raise Problem(404, "not_found", f"there is no /docs/assets/{name[:100]}")
        try:
            import fastapi_offline
        except ImportError:
            raise Problem(404, "not_found", "the API viewer's files (the fastapi-offline package) are not "
                                            "installed: read the API's description at /openapi.json") from None
        return FileResponse(Path(fastapi_offline.__file__).parent / "static" / name, media_type=DOCS_ASSETS[name])

    # ------------------------------------------------------------------ routes
    @app.get("/health", response_model=Health, tags=["service"], dependencies=bearer, responses=errors(401))
    def health():
        """Whether the service is up, what data it serves, how many analyses and conversations."""
        sources = [Source(name=s["source"], role=s["role"], rows=s["rows"]) for s in assistant.describe()]
        return Health(version=__version__, sources=sources, analyses=len(assistant.analyses),
                      conversations=conversations.count(), upload_limit=max_upload)

    @app.get("/analyses", response_model=list[AnalysisInfo], tags=["service"], dependencies=bearer,
             responses=errors(401))
    def analyses():
        """The installed analyses: what each answers, example questions, its parameters."""
        return catalogue

    @app.post("/conversations", status_code=201, response_model=ConversationCreated, tags=["conversations"],
              dependencies=bearer, responses=errors(401, 429))
    def create_conversation(request: Request):
        """Open a conversation (its own history, filters, saved segments and files)."""
        return ConversationCreated(conversation_id=conversations.open(client_of(request)))

    @app.get("/conversations/{cid}", response_model=ConversationInfo, tags=["conversations"],
             dependencies=bearer, responses=errors(401, 404))
    def conversation(request: Request, cid: str):
        """The conversation's answers so far (their index, analysis, title), filters and files."""
        session = conversations.session(cid)
        base = files_url(request, cid)
        return ConversationInfo(conversation_id=cid, filters=session.conversation.filters,
                                answers=[AnswerRef(index=i, analysis=a.analysis, title=a.title)
                                         for i, a in enumerate(list(session.history), session.history_dropped)],
                                files=[base + name for name in sorted(conversations.files(cid))])

    @app.delete("/conversations/{cid}", status_code=204, tags=["conversations"], dependencies=bearer,
                responses=errors(401, 404))
    def delete_conversation(cid: str):
        """Close the conversation: its history, filters, segments and files are gone."""
        conversations.close(cid)
        return Response(status_code=204)

    def answer_question(request: Request, body: AskRequest) -> tuple[str, int, Answer, list[str]]:
        """/ask and the page's /page/ask: the conversation, the answer's index, the answer, the
        files this turn wrote."""
        take_slot()
        release = slots.release
        try:
            new = body.conversation_id is None
            cid = conversations.open(client_of(request)) if new else body.conversation_id
            session = conversations.session(cid)
            before = conversations.files(cid)
            try:
                answer = assistant.chat(cid, body.question, create=False, timeout=timeout)
            except TimedOut as exc:
                if exc.stopped is not None and not exc.stopped.is_set():
                    release = _after(exc.stopped, slots.release)  # the slot is held until the work has stopped
                if new:
                    threading.Thread(target=conversations.close, args=(cid,), daemon=True).start()
                raise
            except Exception:
                if new:  # nobody knows its id: do not leave it open (in the background: it may still be answering)
                    threading.Thread(target=conversations.close, args=(cid,), daemon=True).start()
                raise
            index = session.history_dropped + next(i for i in range(len(session.history) - 1, -1, -1)
                                                   if session.history[i] is answer)
            written = sorted(n for n, t in conversations.files(cid).items() if before.get(n) != t)
            if written:  # "Wrote `/tmp/custlens-serve-…/x.xlsx`": the download link, not the server's path
                folder = str(conversations.folder(cid).resolve()) + os.sep
                answer.summary = answer.summary.replace(folder, files_url(request, cid))
            return cid, index, answer, written
        finally:
            release()

    @app.post("/ask", response_model=AskResponse, tags=["asking"], dependencies=bearer,
              responses=errors(400, 401, 404, 409, 413, 422, 429, 503, 504))
    def ask(request: Request, body: AskRequest):
        """Answer a question, or a follow-up in the conversation given ("and for France?",
        "why?", "export that to excel", "2" after a clarify answer). Without a conversation id a
        new conversation is opened: send its id with the next questions."""
        return reply(request, *answer_question(request, body))

    @app.post("/page/ask", include_in_schema=False, dependencies=bearer)
    def page_ask(request: Request, body: AskRequest):
        """/ask for the chat page: the same reply, with the narrative as a tree of elements and
        text (``narrative_tree``) and the scope in force after the answer."""
        cid, index, answer, written = answer_question(request, body)
        conversation = conversations.session(cid).conversation
        return JSONResponse(reply_body(request, cid, index, answer, written) | {"page": {
            "narrative": narrative_tree(answer.summary),
            "scope": {"filters": conversation.filters, "period": conversation.describe_period()}}})

    @app.get("/conversations/{cid}/answers/{index}", response_model=AskResponse, tags=["conversations"],
             dependencies=bearer, responses=errors(401, 404))
    def answer(request: Request, cid: str, index: int):
        """An earlier answer of the conversation, as /ask returned it (without its files)."""
        return reply(request, cid, index, answer_at(cid, index), [])

    @app.get("/conversations/{cid}/answers/{index}/charts/{n}.png", tags=["downloads"], dependencies=bearer,
             response_class=Response, responses={200: {"content": {"image/png": {}}}, **errors(401, 404, 503)})
    def chart(cid: str, index: int, n: int):
        """Chart ``n`` (from 0) of an answer, as PNG: drawn on the first download (which counts
        against the answers computed at once: 503 beyond) and kept with the answer."""
        from . import charts

        found = answer_at(cid, index)
        if not 0 <= n < len(found.charts):
            raise Problem(404, "not_found", f"answer {index} has {len(found.charts)} chart(s), numbered from 0: "
                                            f"there is no chart {n}")
        if charts.is_drawn(found, n):  # drawn once, kept with the answer
            return Response(charts.chart_png(found, n), media_type="image/png")
        if not slots.acquire(blocking=False):  # drawing costs as much as an answer: it takes a slot
            raise Problem(503, "overloaded", f"{max_concurrent} answers or charts are being computed already: "
                                             "try again in a moment", headers={"Retry-After": "1"})
        try:
            return Response(charts.chart_png(found, n), media_type="image/png")
        finally:
            slots.release()

    @app.get("/conversations/{cid}/answers/{index}/tables/{table}.csv", tags=["downloads"], dependencies=bearer,
             response_class=Response, responses={200: {"content": {"text/csv": {}}}, **errors(401, 404, 410)})
    def table(cid: str, index: int, table: str):
        """Table ``table`` (its number from 0, or its name) of an answer, every row, as CSV."""
        found, chosen = table_of(cid, index, table)
        from .export import csv_text  # formula-looking cells neutralised

        return Response(csv_text(chosen.frame), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{found.analysis}_{chosen.name}.csv"'})

    @app.get("/conversations/{cid}/files/{name}", tags=["downloads"], dependencies=bearer,
             response_class=FileResponse, responses=errors(401, 404))
    def file(cid: str, name: str):
        """A file the conversation wrote ("export that to excel", "plot it")."""
        conversations.session(cid)
        if name not in conversations.files(cid):  # names listed, never a path built from the request
            raise Problem(404, "not_found", f"conversation {cid!r} wrote no file {name!r}")
        return FileResponse(os.path.join(conversations.folder(cid), name), filename=name)

    def table_of(cid: str, index: int, table: str):
        found = answer_at(cid, index)
        names = [t.name for t in found.tables]
        pick = int(table) if table.isdecimal() and int(table) < len(names) else names.index(table) \
            if table in names else None
        if pick is None:
            raise Problem(404, "not_found", f"answer {index} has no table {table!r} (tables: "
                                            f"{', '.join(names) or 'none'}; by number from 0 or by name)")
        chosen = found.tables[pick]
        if not chosen.complete:
            raise Problem(410, "gone", f"the full table {chosen.name!r} of answer {index} is no longer kept (the "
                                       "service bounds the memory its answers hold, and this answer is old): "
                                       "its first rows are in the answer; ask the question again for the full table")
        return found, chosen

    @app.get("/conversations/{cid}/answers/{index}/tables/{table}.xlsx", tags=["downloads"], dependencies=bearer,
             response_class=Response, responses={200: {"content": {XLSX: {}}}, **errors(401, 404, 410)})
    def table_xlsx(cid: str, index: int, table: str):
        """Table ``table`` (its number from 0, or its name) of an answer, every row, as an Excel workbook."""
        import io

        import pandas as pd

        from .export import safe_frame  # formula-looking cells neutralised

        found, chosen = table_of(cid, index, table)
        out = io.BytesIO()
        with pd.ExcelWriter(out, engine="openpyxl") as xw:
            safe_frame(chosen.frame).to_excel(xw, sheet_name=(chosen.name or "table")[:31], index=False)
        return Response(out.getvalue(), media_type=XLSX, headers={
            "Content-Disposition": f'attachment; filename="{found.analysis}_{chosen.name}.xlsx"'})

    @app.post("/conversations/{cid}/answers/{index}/document", response_model=DocumentLink, tags=["downloads"],
              dependencies=bearer, responses=errors(401, 404, 410))
    def document_link(request: Request, cid: str, index: int):
        """A link to the answer as an HTML document (the full customer analysis's own document for
        a report), to open in a browser tab: valid for a while, without the token."""
        found = answer_at(cid, index)
        if found.analysis == "report" and found.document is None:
            raise Problem(410, "gone", f"the document of answer {index} is no longer kept (the service bounds the "
                                       "memory its answers hold): ask for the report again")
        now = time.monotonic()
        for key in [k for k, (_, _, until) in documents.items() if until < now]:
            documents.pop(key, None)
        secret = secrets.token_urlsafe(24)
        documents[secret] = (cid, index, now + DOCUMENT_SECONDS)
        return DocumentLink(url=f"{request.scope.get('root_path', '')}/documents/{secret}")

    @app.get("/documents/{secret}", include_in_schema=False)
    def document(secret: str):
        cid, index, until = documents.get(secret, ("", 0, 0.0))
        if until < time.monotonic():
            raise Problem(404, "not_found", "this document link is unknown or expired: open the document again "
                                            "from the page")
        found = answer_at(cid, index)
        if found.document is not None:
            html = found.document()
        else:
            from .render import render

            html = render(found, "html")
        return Response(html, media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": DOCUMENT_CSP, **SAFE_HEADERS})

    def loaded(cid: str, info: list[dict[str, Any]]) -> Loaded:
        return Loaded(conversation_id=cid, sources=[Source(name=s["source"], role=s["role"], rows=s["rows"])
                                                    for s in info],
                      warnings=[f"{s['source']}: {w}" for s in info for w in s["warnings"]])

    @app.post("/conversations/{cid}/data", response_model=Loaded, tags=["conversations"], dependencies=bearer,
              responses=errors(401, 404, 409, 413, 415, 422, 503),
              openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {
                  "schema": {"type": "string", "format": "binary"}}}}})
    async def upload(request: Request, cid: str, name: str):
        """Load a data file into the conversation (like the shell's ``load``): the body is the file
        (CSV, Excel or Parquet), ``name`` its file name. The first upload replaces the data the
        conversation started with (for this conversation only); later ones add to it (orders, then
        customers). Its size is bounded (413 beyond, ``--max-upload``)."""
        import asyncio

        clean = Path(name.replace("\\", "/")).name.strip()
        if not clean or clean.startswith(".") or Path(clean).suffix.lower() not in UPLOAD_TYPES:
            raise Problem(415, "unsupported_file", f"{clean[:100] or 'a file without a name'}: upload a data file "
                                                   f"ending in {', '.join(UPLOAD_TYPES)} (CSV, Excel or Parquet)")
        conversations.session(cid)
        body = await request.body()
        if not body:
            raise Problem(422, "data_error", f"{clean}: the file is empty. Export it again with its rows.")
        take_slot()
        try:
            folder = conversations.folder(cid) / "uploads"
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / clean
            n = 1
            while target.exists():  # never overwrite a file already loaded (its data is read from it)
                n += 1
                target = folder / f"{Path(clean).stem}-{n}{Path(clean).suffix}"
            target.write_bytes(body)
            try:
                info = await asyncio.to_thread(assistant.load, cid, [str(target)])
            except Exception:
                target.unlink(missing_ok=True)
                raise
            return loaded(cid, info)
        finally:
            slots.release()

    @app.post("/conversations/{cid}/demo", response_model=Loaded, tags=["conversations"], dependencies=bearer,
              responses=errors(401, 404, 409, 503))
    def demo(cid: str):
        """Load the built-in demo store (5,000 customers: orders, customers, feedback,
        touchpoints) into the conversation, in place of the data it had."""
        conversations.session(cid)
        take_slot()
        try:
            return loaded(cid, assistant.load(cid, demo=True))
        finally:
            slots.release()

    # ------------------------------------------------------------------ the chat page
    @app.get("/", include_in_schema=False)
    def page():
        return Response((WEB_DIR / "index.html").read_bytes(), media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": PAGE_CSP, **SAFE_HEADERS})

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str):
        if name not in WEB_FILES:  # names listed, never a path built from the request
            raise Problem(404, "not_found", f"there is no /static/{name[:100]}")
        return Response((WEB_DIR / name).read_bytes(), media_type=WEB_FILES[name],
                        headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache", **SAFE_HEADERS})

    return app


def narrative_tree(text: str) -> list[Any]:
    """A narrative's Markdown (markdown-it-py, CommonMark and tables, raw HTML off: it shows as
    text) as a tree the page builds with createElement and text nodes, never parsing HTML: each
    node is a string (text) or ``[tag, child...]``, tags from ``NARRATIVE_TAGS`` only. Headings
    go two levels down (an answer's title is the page's h2); links and images keep their text."""
    from markdown_it.tree import SyntaxTreeNode

    def walk(node) -> list[Any]:
        kind = node.type
        if kind == "text":
            return [node.content] if node.content else []
        if kind == "code_inline":
            return [["code", node.content]]
        if kind in ("fence", "code_block"):
            return [["pre", ["code", node.content]]]
        if kind == "softbreak":
            return [" "]
        if kind == "hardbreak":
            return [["br"]]
        if kind == "hr":
            return [["hr"]]
        children = [part for child in node.children for part in walk(child)]
        if kind in ("inline", "link", "image", "root"):
            return children or ([node.content] if kind == "image" else [])
        if kind == "heading":
            return [[f"h{min(int(node.tag[1]) + 2, 6)}", *children]]
        return [[NARRATIVE_TAGS.get(kind, "span"), *children]]

    return walk(SyntaxTreeNode(_markdown().parse(text or "")))


#: markdown-it node type -> the element the page makes
NARRATIVE_TAGS = {"paragraph": "p", "bullet_list": "ul", "ordered_list": "ol", "list_item": "li", "strong": "strong",
                  "em": "em", "blockquote": "blockquote", "table": "table", "thead": "thead", "tbody": "tbody",
                  "tr": "tr", "th": "th", "td": "td", "s": "s"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_md: list[Any] = []


def _markdown():
    if not _md:
        from markdown_it import MarkdownIt

        _md.append(MarkdownIt("commonmark", {"html": False}).enable("table"))
    return _md[0]


def client_of(request: Request) -> str:
    """Who is asking, for the per-client quota: the peer's address (uvicorn puts the original
    client's there when a trusted proxy sends X-Forwarded-For)."""
    return request.client.host if request.client else ""


def _after(event: threading.Event, then) -> Any:
    """A function that, called, runs ``then`` once ``event`` is set (at once if it is already)."""
    def wait_then():
        event.wait()
        then()

    return lambda: threading.Thread(target=wait_then, name="custlens-slot", daemon=True).start()


def _describe(name: str, obj: Any) -> AnalysisInfo:
    try:
        schema = obj.Params.model_json_schema()
    except Exception as exc:  # noqa: BLE001 - one plugin's odd Params must not hide the others
        log.warning("analysis %s: no JSON schema for its Params (%s)", name, exc)
        schema = {}
    return AnalysisInfo(name=name, title=getattr(obj, "title", name), summary=getattr(obj, "summary", "") or "",
                        examples=list(getattr(obj, "examples", []) or []), params=schema)
