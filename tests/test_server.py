"""The HTTP service over a real socket: uvicorn in a background thread on a free loopback port,
httpx as the client. Every endpoint, every error status, conversations kept apart, answers from
parallel clients equal to answers one at a time, the time limit on a plugin that hangs."""

import io
import re
import threading
import time

import httpx
import pandas as pd
import pytest
import uvicorn
from click.testing import CliRunner
from embedding import serving

from custlens import Assistant
from custlens.cli import cli
from custlens.errors import CustlensError
from custlens.server import create_app, is_loopback

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def app(assistant):
    return create_app(assistant, token=TOKEN, max_body=4096, timeout=30, max_concurrent=3)


@pytest.fixture(scope="module")
def url(app, misbehaving):
    with serving(app) as base:
        yield base
    misbehaving.gate.opened.set()


@pytest.fixture
def client(url):
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as c:
        yield c


def ask(client, question, cid=None, status=200):
    body = {"question": question} | ({"conversation_id": cid} if cid else {})
    r = client.post("/ask", json=body)
    assert r.status_code == status, r.text
    return r.json()


def rounded(rows):
    """Floats to 9 significant digits: DuckDB's parallel sums may add in another order."""
    return [[float(f"{v:.9g}") if isinstance(v, float) else v for v in row] for row in rows]


def assert_error(r, status, kind, match=""):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "kind", "suggestions"} and body["kind"] == kind, body
    assert match.lower() in body["error"].lower(), body
    assert "Traceback" not in r.text
    return body


# ---------------------------------------------------------------------- the endpoints
def test_health_and_analyses(client, assistant):
    health = client.get("/health").json()
    rows = {s["role"]: s["rows"] for s in health["sources"]}
    assert health["status"] == "ok" and health["analyses"] == len(assistant.analyses)
    assert rows == {s["role"]: s["rows"] for s in assistant.describe()} and rows["customers"] == 1500
    cid = client.post("/conversations").json()["conversation_id"]
    assert client.get("/health").json()["conversations"] == health["conversations"] + 1
    assert client.delete(f"/conversations/{cid}").status_code == 204
    assert client.get("/health").json()["conversations"] == health["conversations"]

    listed = client.get("/analyses").json()
    assert [a["name"] for a in listed] == sorted(assistant.analyses)
    overview = next(a for a in listed if a["name"] == "overview")
    assert overview["title"] == assistant.analyses["overview"].title and len(overview["examples"]) >= 15
    assert {"top", "by", "filters", "grain"} <= set(overview["params"]["properties"])


def test_ask_opens_a_conversation_whose_follow_ups_stay_in_it(client, assistant):
    first = ask(client, "total revenue by country")
    cid = first["conversation_id"]
    assert first["index"] == 0 and first["answer"]["analysis"] == "overview"
    session = assistant.session(cid, create=False)
    assert first["answer"] == session.history[0].model_dump(mode="json")  # exactly custlens's Answer
    alone = assistant.ask("total revenue by country")
    assert [rounded(t["rows"]) for t in first["answer"]["tables"]] == [rounded(t.rows) for t in alone.tables]

    why = ask(client, "why?", cid)
    assert (why["conversation_id"], why["index"], why["answer"]["analysis"]) == (cid, 1, "explain")
    info = client.get(f"/conversations/{cid}").json()
    assert [(a["index"], a["analysis"]) for a in info["answers"]] == [(0, "overview"), (1, "explain")]
    again = client.get(f"/conversations/{cid}/answers/0").json()
    assert again["answer"] == first["answer"] and again["tables"] == first["tables"]


def test_a_long_conversation_keeps_its_last_answers_under_stable_numbers(client, monkeypatch):
    import custlens.session

    monkeypatch.setattr(custlens.session, "MAX_HISTORY", 2)
    cid = ask(client, "total revenue")["conversation_id"]
    assert [ask(client, q, cid)["index"] for q in ("why?", "revenue by month", "why?")] == [1, 2, 3]
    assert_error(client.get(f"/conversations/{cid}/answers/0"), 404, "not_found", "answer 0 of conversation")
    assert client.get(f"/conversations/{cid}/answers/2").json()["answer"]["title"] == "Sales overview"
    info = client.get(f"/conversations/{cid}").json()
    assert [(a["index"], a["analysis"]) for a in info["answers"]] == [(2, "overview"), (3, "explain")]


def test_charts_as_png_and_tables_as_full_csv(client, assistant):
    reply = ask(client, "revenue by month")
    cid, answer = reply["conversation_id"], assistant.session(reply["conversation_id"], create=False).history[0]
    assert len(reply["charts"]) == len(answer.charts) >= 1 and len(reply["tables"]) == len(answer.tables)
    png = client.get(reply["charts"][0])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"

    for link, table in zip(reply["tables"], answer.tables):
        r = client.get(link)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        frame = pd.read_csv(io.StringIO(r.text))
        assert len(frame) == table.total_rows and list(frame.columns) == table.columns
    trend = max(answer.tables, key=lambda t: t.total_rows)
    by_name = pd.read_csv(io.StringIO(client.get(f"/conversations/{cid}/answers/0/tables/{trend.name}.csv").text))
    numbers = trend.frame.select_dtypes("number")
    assert not numbers.empty and by_name[numbers.columns].astype(float).round(6).equals(numbers.astype(float).round(6))

    assert_error(client.get(f"/conversations/{cid}/answers/0/charts/{len(answer.charts)}.png"), 404, "not_found",
                 "no chart")
    assert_error(client.get(f"/conversations/{cid}/answers/0/tables/nope.csv"), 404, "not_found", "no table 'nope'")
    assert_error(client.get(f"/conversations/{cid}/answers/7/charts/0.png"), 404, "not_found", "no answer 7")


def test_exports_and_plots_stay_in_the_conversations_own_folder(client, app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the server's working directory, in this process
    products = ask(client, "top 5 products")
    cid = products["conversation_id"]
    excel = ask(client, "export that to excel", cid)
    assert excel["answer"]["analysis"] == "export" and len(excel["files"]) == 1
    sheet = pd.read_excel(io.BytesIO(client.get(excel["files"][0]).content), sheet_name=None)
    assert set(sheet) == {t["name"] for t in products["answer"]["tables"]}

    escaped = ask(client, "save it to ../../escaped.csv", cid)  # a path a client picks: its name only
    assert escaped["files"] and all("/files/escaped" in f for f in escaped["files"])
    plotted = ask(client, "plot it", cid)
    assert plotted["files"] and client.get(plotted["files"][0]).content[:4] == b"\x89PNG"
    for reply in (excel, escaped, plotted):  # the summaries give the download links, not the server's paths
        summary = reply["answer"]["summary"]
        assert all(f in summary for f in reply["files"]) and "custlens-serve-" not in summary

    folder = app.state.conversations.folder(cid)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f.rsplit("/", 1)[1] for f in excel["files"] + escaped["files"] + plotted["files"])
    assert list(tmp_path.iterdir()) == [] and not list(folder.parent.parent.glob("escaped*"))
    listed = client.get(f"/conversations/{cid}").json()["files"]
    assert sorted(listed) == sorted(excel["files"] + escaped["files"] + plotted["files"])
    assert_error(client.get(f"/conversations/{cid}/files/..%2F..%2Fetc%2Fpasswd"), 404, "not_found")
    assert client.delete(f"/conversations/{cid}").status_code == 204
    assert not folder.exists()


def test_one_conversation_sees_nothing_of_another(client, assistant):
    a = ask(client, "segment my customers")
    cid_a = a["conversation_id"]
    file_a = ask(client, "export that to csv", cid_a)["files"][0].rsplit("/", 1)[1]
    cid_b = client.post("/conversations").json()["conversation_id"]
    assert len(cid_a) == len(cid_b) == 32 and cid_a != cid_b and int(cid_a, 16) and int(cid_b, 16)
    # b has no segments, no history, no files of a's
    # naming a segment in another conversation computes its own: a's are not seen
    other = ask(client, "revenue for the champions")
    assert other["conversation_id"] not in (cid_a, cid_b)
    assert any("no RFM segments were saved, so I computed" in w for w in other["answer"]["warnings"])
    assert client.get(f"/conversations/{cid_b}").json() == {"conversation_id": cid_b, "answers": [], "filters": {},
                                                            "files": []}
    assert_error(client.get(f"/conversations/{cid_b}/answers/0/tables/0.csv"), 404, "not_found", "no answer 0")
    assert_error(client.get(f"/conversations/{cid_b}/files/{file_a}"), 404, "not_found")
    b = ask(client, "total revenue", cid_b)
    assert client.get(f"/conversations/{cid_b}/answers/0").json()["answer"] == b["answer"] != a["answer"]
    # a near-miss id, and a conversation another front end opened on the same Assistant, are not reachable
    guess = cid_a[:-1] + ("0" if cid_a[-1] != "0" else "1")
    assert_error(client.get(f"/conversations/{guess}/answers/0/charts/0.png"), 404, "unknown_conversation")
    assistant.chat("slack-thread", "total revenue")
    assert_error(client.get("/conversations/slack-thread"), 404, "unknown_conversation")
    assert_error(client.post("/ask", json={"question": "why?", "conversation_id": "slack-thread"}), 404,
                 "unknown_conversation")
    assert ask(client, "revenue for the champions", cid_a)["answer"]["params"]["filters"] == {"segment": ["Champions"]}


def test_parallel_clients_get_the_answers_they_would_get_one_at_a_time(url, assistant):
    questions = [["total revenue by country", "and by quarter"], ["monthly cohort retention", "why?"],
                 ["what is bought together", "top 5 products"]]
    alone = {}
    for pair in questions:
        key = f"alone-{pair[0]}"
        alone.update({q: assistant.chat(key, q).model_dump(mode="json") for q in pair})
    results, failures = {}, []

    def converse(pair):
        try:
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as c:
                cid = None
                for q in pair:
                    reply = ask(c, q, cid)
                    cid = reply["conversation_id"]
                    results[q] = reply["answer"]
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=converse, args=(pair,)) for pair in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == [] and set(results) == set(alone)
    for q, answer in results.items():
        assert answer["analysis"] == alone[q]["analysis"] and answer["params"] == alone[q]["params"]
        # the SQL an answer ran ("why?") depends on what the shared per-dataset tables already held (the
        # conversation alone built the per-customer-day table; the one in parallel found it made): not compared
        assert [rounded(t["rows"]) for t in answer["tables"] if t["name"] != "sql"] == \
            [rounded(t["rows"]) for t in alone[q]["tables"] if t["name"] != "sql"]


# ---------------------------------------------------------------------- bad input
def test_malformed_and_incomplete_requests(client):
    for body in (b'{"question": "total revenue"', b"not json at all"):
        assert_error(client.post("/ask", content=body, headers={"Content-Type": "application/json"}), 400,
                     "bad_json", "not valid JSON")
    assert_error(client.post("/ask", content=b'["total revenue"]', headers={"Content-Type": "application/json"}),
                 400, "bad_json", "must be a JSON object")
    assert_error(client.post("/ask", json={"conversation_id": None}), 422, "invalid_request", "question: Field required")
    assert_error(client.post("/ask", json={"question": "x", "colour": "red"}), 422, "invalid_request",
                 "colour: unknown field")
    assert_error(client.post("/ask", json={"question": ""}), 422, "invalid_request", "question:")
    assert_error(client.post("/ask", json={"question": "total revenue", "conversation_id": "f" * 32}), 404,
                 "unknown_conversation", "no conversation")
    body = assert_error(client.post("/ask", json={"question": "blorp the zorkmids"}), 422, "cannot_answer",
                        "can't answer")
    assert body["suggestions"] and "Try for example" not in body["error"]
    assert_error(client.delete("/conversations/" + "e" * 32), 404, "unknown_conversation")
    assert_error(client.get("/nowhere"), 404, "not_found", "no GET /nowhere")


def test_oversized_bodies_are_refused_by_length_and_by_count(client):
    assert client.post("/ask", json={"question": "total revenue" + " " * 3000}).status_code == 200
    assert_error(client.post("/ask", json={"question": "total revenue" + " " * 5000}), 413, "too_large", "4,096 bytes")

    def chunks():  # no Content-Length: sent chunked, counted as it arrives
        yield b'{"question": "total revenue'
        for _ in range(5):
            yield b" " * 1000
        yield b'"}'

    r = client.post("/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in r.request.headers
    assert_error(r, 413, "too_large")


def test_the_bearer_token(url, client):
    for headers, match in (({}, "token is required"), ({"Authorization": "Bearer wrong"}, "wrong"),
                           ({"Authorization": f"Basic {TOKEN}"}, "wrong"),
                           ({"Authorization": f"Bearer {TOKEN}x"}, "wrong")):
        r = httpx.post(url + "/ask", json={"question": "total revenue"}, headers=headers)
        assert_error(r, 401, "unauthorized", match)
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert_error(httpx.get(url + "/health"), 401, "unauthorized")
    assert httpx.get(url + "/health", headers={"Authorization": f"bearer {TOKEN}"}).status_code == 200
    assert httpx.get(url + "/openapi.json").status_code == 200  # the API's description, no data


def test_openapi_lists_every_endpoint(url):
    schema = httpx.get(url + "/openapi.json").json()
    routes = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert routes == {("/health", "get"), ("/analyses", "get"), ("/conversations", "post"),
                      ("/conversations/{cid}", "get"), ("/conversations/{cid}", "delete"), ("/ask", "post"),
                      ("/conversations/{cid}/answers/{index}", "get"),
                      ("/conversations/{cid}/answers/{index}/charts/{n}.png", "get"),
                      ("/conversations/{cid}/answers/{index}/tables/{table}.csv", "get"),
                      ("/conversations/{cid}/answers/{index}/tables/{table}.xlsx", "get"),
                      ("/conversations/{cid}/answers/{index}/document", "post"),
                      ("/conversations/{cid}/data", "post"), ("/conversations/{cid}/demo", "post"),
                      ("/conversations/{cid}/files/{name}", "get")}
    post = schema["paths"]["/ask"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/AskRequest")
    assert {"400", "401", "404", "409", "413", "422", "503", "504"} <= set(post["responses"])
    assert post["responses"]["504"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert {"Answer", "Table", "Chart", "AskResponse", "Health", "AnalysisInfo"} <= set(schema["components"]["schemas"])
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


# ---------------------------------------------------------------------- busy, overloaded, too slow, broken
def test_busy_conversation_and_too_many_answers_at_once(url, client, misbehaving):
    gate = misbehaving.gate
    gate.opened.clear()
    cids = [client.post("/conversations").json()["conversation_id"] for _ in range(3)]
    replies = {}

    def hang(cid):
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as c:
            replies[cid] = c.post("/ask", json={"question": "open the pod bay doors hal", "conversation_id": cid})

    threads = [threading.Thread(target=hang, args=(cid,)) for cid in cids]
    try:
        threads[0].start()
        gate.wait_for(1)
        assert_error(client.post("/ask", json={"question": "total revenue", "conversation_id": cids[0]}), 409,
                     "busy", "still answering")
        for t in threads[1:]:
            t.start()
        gate.wait_for(3)  # max_concurrent answers are being computed
        r = client.post("/ask", json={"question": "total revenue"})
        assert_error(r, 503, "overloaded", "3 answers")
        assert int(r.headers["Retry-After"]) >= 1
        assert client.get("/health").status_code == 200  # the service itself still answers
    finally:
        gate.opened.set()
        for t in threads:
            t.join(30)
    assert [replies[c].status_code for c in cids] == [200, 200, 200]
    assert {replies[c].json()["answer"]["title"] for c in cids} == {"Doors open"}
    assert ask(client, "total revenue", cids[0])["index"] == 1


def test_a_hanging_plugin_hits_the_time_limit(assistant, misbehaving):
    gate = misbehaving.gate
    gate.opened.clear()
    with serving(create_app(assistant, timeout=0.5)) as url, httpx.Client(base_url=url, timeout=30) as c:
        cid = c.post("/conversations").json()["conversation_id"]
        started = time.monotonic()
        assert_error(c.post("/ask", json={"question": "open the pod bay doors hal", "conversation_id": cid}), 504,
                     "timed_out", "longer than 0.5 s")
        assert time.monotonic() - started < 10
        assert_error(c.post("/ask", json={"question": "total revenue", "conversation_id": cid}), 409, "busy")
        gate.opened.set()
        deadline = time.monotonic() + 10
        while (r := c.post("/ask", json={"question": "help", "conversation_id": cid})).status_code == 409:
            assert time.monotonic() < deadline, "the conversation stayed busy after the plugin returned"
            time.sleep(0.05)
        assert r.status_code == 200 and r.json()["answer"]["analysis"] == "help"


def test_an_unexpected_error_is_a_short_500_and_a_logged_traceback(client, monkeypatch, caplog):
    from custlens import charts

    def broken(answer, chart):
        raise RuntimeError("secret detail /home/someone/data.csv")

    monkeypatch.setattr(charts, "png_bytes", broken)
    reply = ask(client, "revenue by month")
    with caplog.at_level("ERROR", logger="custlens.server"):
        r = client.get(reply["charts"][0])
    assert_error(r, 500, "internal", "failed unexpectedly")
    assert "secret" not in r.text and "RuntimeError" not in r.text
    logged = [rec for rec in caplog.records if rec.name == "custlens.server"]
    assert logged and logged[0].exc_info[0] is RuntimeError
    assert client.get("/health").status_code == 200


# ---------------------------------------------------------------------- the command
def test_serve_refuses_a_public_bind_without_a_token(monkeypatch, orders_csv):
    monkeypatch.delenv("CUSTLENS_TOKEN", raising=False)
    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append((app, kw)))
    for host in ("0.0.0.0", "192.168.1.20", "::"):
        result = CliRunner().invoke(cli, ["serve", "--data", str(orders_csv), "--host", host])
        assert result.exit_code == 2 and f"refusing to bind {host} without a token" in result.output
    assert started == []
    assert [is_loopback(h) for h in ("127.0.0.1", "127.0.0.9", "::1", "[::1]", "localhost", "0.0.0.0", "example.com")] \
        == [True, True, True, True, True, False, False]

    monkeypatch.setenv("CUSTLENS_TOKEN", "from-the-env")
    made = []
    monkeypatch.setattr("custlens.assistant.Assistant.__init__",
                        lambda self, *a, _init=Assistant.__init__, **kw: made.append(kw) or _init(self, *a, **kw))
    result = CliRunner().invoke(cli, ["serve", "--data", str(orders_csv), "--host", "0.0.0.0", "--port", "8123",
                                      "--idle-seconds", "600", "--max-conversations", "20"])
    assert result.exit_code == 0, result.output
    assert (made[0]["idle_seconds"], made[0]["max_conversations"]) == (600, 20)
    (app, kw), = started
    assert (kw["host"], kw["port"]) == ("0.0.0.0", 8123)
    assert {r.path for r in app.routes} >= {"/ask", "/health", "/analyses"}


# ---------------------------------------------------------------------- hardening (issue 18)
def test_without_a_token_only_loopback_host_names_are_answered(assistant):
    """DNS rebinding: a web page whose name was re-pointed at 127.0.0.1 sends its own name as Host."""
    with serving(create_app(assistant)) as url:
        port = url.rsplit(":", 1)[1]
        for host in ("127.0.0.1", f"127.0.0.1:{port}", "localhost", f"localhost:{port}", "LOCALHOST:80",
                     "[::1]", f"[::1]:{port}", "127.0.0.5:9"):
            assert httpx.get(url + "/health", headers={"Host": host}).status_code == 200, host
        for host in ("evil.example.com", f"evil.example.com:{port}", "127.0.0.1.evil.example.com",
                     "localhost.evil.example.com:80", "[::2]:80", "192.168.1.20"):
            r = httpx.post(url + "/ask", json={"question": "total revenue"}, headers={"Host": host})
            body = assert_error(r, 403, "forbidden_host", "127.0.0.1, localhost or [::1]")
            assert host.split(":")[0][:30] in body["error"] or host.startswith("[")
            assert assert_error(httpx.get(url + "/docs", headers={"Host": host}), 403, "forbidden_host")
    with serving(create_app(assistant, token=TOKEN)) as url:  # with a token the token decides, under any name
        r = httpx.get(url + "/health", headers={"Host": "custlens.example.com",
                                                "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200


def test_blank_and_short_tokens_are_refused(monkeypatch, orders_csv, assistant):
    monkeypatch.delenv("CUSTLENS_TOKEN", raising=False)
    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(app))
    for token, match in ((" ", "empty or blank"), ("   \t", "empty or blank"), ("x", "1 character(s) long"),
                         ("abc12345678", "11 character(s) long"), ("a long token with spaces", "spaces"),
                         ("lång-token-ünicode", "printable ASCII")):
        result = CliRunner().invoke(cli, ["serve", "--data", str(orders_csv), "--token", token])
        assert result.exit_code == 2, (token, result.output)
        assert "--token" in result.output and match in result.output, result.output
        assert "Traceback" not in result.output
        with pytest.raises(CustlensError, match=re.escape(match)):
            create_app(assistant, token=token)
    monkeypatch.setenv("CUSTLENS_TOKEN", "y")
    result = CliRunner().invoke(cli, ["serve", "--data", str(orders_csv), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "at least 12" in result.output
    assert started == []


def test_the_api_description_is_served_without_reaching_outside_the_machine(url):
    page = httpx.get(url + "/docs")
    assert page.status_code == 200 and "swagger" in page.text.lower()
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page.text) + re.findall(r"""url:\s*'([^']+)'""", page.text)
    assert links and not re.search(r"https?://|//[a-z]", page.text.replace("http://www.w3.org", ""), re.I), links
    assert "validatorUrl" in page.text and '"validatorUrl": null' in page.text
    for link in links:  # every file the page loads comes from this server, without the token (no data in them)
        r = httpx.get(url + link)
        assert r.status_code == 200 and len(r.content) > 100, link
    kinds = {httpx.get(url + link).headers["content-type"].split(";")[0] for link in links}
    assert {"text/javascript", "text/css", "image/png", "application/json"} <= kinds
    assert_error(httpx.get(url + "/docs/assets/..%2F..%2Fpyproject.toml"), 401, "unauthorized")
    assert httpx.get(url + "/redoc").status_code in (401, 404)  # redoc loads from a CDN: not served


def wait_until_answered(c, cid, question="help", seconds=30):
    """Ask until the reply is not 409/503 (the stopped work still holding the conversation or the
    slot); fails if that takes ``seconds``. "help" takes the slot and the conversation as any question
    does but runs no analysis, so on a loaded machine it is not itself stopped by a 0.5 s limit."""
    deadline = time.monotonic() + seconds
    while True:
        r = c.post("/ask", json={"question": question} | ({"conversation_id": cid} if cid else {}))
        if r.status_code not in (409, 503):
            return r
        assert time.monotonic() < deadline, f"still {r.status_code} after {seconds} s: the stopped work goes on"
        time.sleep(0.1)


def test_the_time_limit_stops_the_report_on_its_own_connection(assistant, misbehaving, monkeypatch):
    """The report runs its sections on a connection forked for it: past the limit that query is
    interrupted too, and the report stops between sections instead of going on to the next."""
    from custlens.plugins import report

    monkeypatch.setattr(report, "SECTIONS", [report.Section("Grinding", "grind", {}, "nothing"),
                                             report.Section("Witnessed", "witness", {}, "nothing")])
    misbehaving.witness.runs.clear()
    with serving(create_app(assistant, timeout=0.5, max_concurrent=2)) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        cid = c.post("/conversations").json()["conversation_id"]
        r = c.post("/ask", json={"question": "write the full customer analysis", "conversation_id": cid})
        assert_error(r, 504, "timed_out", "longer than 0.5 s")
        r = wait_until_answered(c, cid)  # the grinding query (minutes of work) was interrupted
        assert r.status_code == 200 and r.json()["answer"]["analysis"] == "help"
    assert misbehaving.witness.runs == []  # the section after the interrupted one never ran


def test_a_timed_out_answer_holds_its_slot_until_the_work_has_stopped(assistant, misbehaving):
    gate = misbehaving.gate
    gate.opened.clear()
    with serving(create_app(assistant, timeout=0.5, max_concurrent=1)) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        try:
            assert_error(c.post("/ask", json={"question": "open the pod bay doors hal"}), 504, "timed_out")
            assert gate.waiting == 1  # still in the plugin (Python cannot be interrupted)
            r = c.post("/ask", json={"question": "total revenue"})
            assert_error(r, 503, "overloaded", "1 answers are being computed")  # its slot is still taken
        finally:
            gate.opened.set()
        r = wait_until_answered(c, None)
        assert r.status_code == 200 and r.json()["answer"]["analysis"] == "help"


def test_a_chart_is_drawn_once_and_drawing_takes_a_slot(assistant, misbehaving, monkeypatch):
    from custlens import charts

    drawn = []
    real = charts.png_bytes
    monkeypatch.setattr(charts, "png_bytes", lambda answer, chart: drawn.append(chart.title) or real(answer, chart))
    gate = misbehaving.gate
    gate.opened.clear()
    with serving(create_app(assistant, timeout=30, max_concurrent=1)) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        first = ask(c, "revenue by month")
        pngs = [c.get(first["charts"][0]) for _ in range(3)]
        assert [r.status_code for r in pngs] == [200] * 3 and pngs[0].content.startswith(b"\x89PNG")
        assert pngs[0].content == pngs[1].content == pngs[2].content
        assert len(drawn) == 1  # drawn once, kept with the answer
        again = c.get(f"/conversations/{first['conversation_id']}/answers/{first['index']}")
        assert again.json()["charts"] == first["charts"] and c.get(first["charts"][0]).content == pngs[0].content
        second = ask(c, "total revenue by country")
        assert second["charts"]
        hanging = threading.Thread(target=lambda: c.post("/ask", json={"question": "open the pod bay doors hal"}))
        try:
            hanging.start()
            gate.wait_for(1)  # the only slot is taken
            r = c.get(second["charts"][0])  # not drawn yet: drawing would need a slot
            assert_error(r, 503, "overloaded", "1 answers or charts")
            assert int(r.headers["Retry-After"]) >= 1
            assert c.get(first["charts"][0]).status_code == 200  # already drawn: served at once
        finally:
            gate.opened.set()
            hanging.join(30)
        assert c.get(second["charts"][0]).status_code == 200
        assert len(drawn) == 2


def test_one_client_cannot_push_out_the_others_conversations(orders_csv, misbehaving):
    """1,000 POST /conversations from one address used to close everyone's: now each address keeps
    its own few (its oldest idle one goes), and a never-asked conversation goes before a used one."""
    a = Assistant(data=[str(orders_csv)], plugins=[misbehaving], entry_points=False, max_conversations=6)
    gate = misbehaving.gate
    try:
        with serving(create_app(a, max_per_client=2, timeout=30)) as url:
            alice = httpx.Client(base_url=url, headers={"X-Forwarded-For": "10.0.0.1"}, timeout=60)
            mallory = httpx.Client(base_url=url, headers={"X-Forwarded-For": "10.0.0.66"}, timeout=60)
            mine = ask(alice, "total revenue by country")["conversation_id"]
            flood = [mallory.post("/conversations") for _ in range(12)]
            assert {r.status_code for r in flood} == {201}
            ids = [r.json()["conversation_id"] for r in flood]
            assert [mallory.get(f"/conversations/{cid}").status_code for cid in ids] == [404] * 10 + [200] * 2
            follow = ask(alice, "and for France?", mine)  # still there
            assert follow["answer"]["understood"].endswith("filter: country = France")
            assert mallory.get("/health").json()["conversations"] == 3
            gate.opened.clear()  # both of mallory's conversations answering: no room to make
            threads = [threading.Thread(target=mallory.post, args=("/ask",),
                                        kwargs={"json": {"question": "open the pod bay doors hal",
                                                         "conversation_id": cid}}) for cid in ids[-2:]]
            try:
                for t in threads:
                    t.start()
                gate.wait_for(2)
                r = mallory.post("/conversations")
                assert_error(r, 429, "too_many_conversations", "2 conversations open")
                assert_error(mallory.post("/ask", json={"question": "total revenue"}), 429, "too_many_conversations")
                assert alice.post("/conversations").status_code == 201  # another client is not affected
            finally:
                gate.opened.set()
                for t in threads:
                    t.join(30)
            alice.close()
            mallory.close()
    finally:
        a.close()


def test_the_memory_answers_hold_is_bounded_by_bytes(orders_csv, tmp_path):
    """Heavy answers (full tables of every customer) in many conversations: the process keeps
    their full tables within max_answer_bytes, the oldest released first, each conversation's
    last answer whole; a released table says so (410) instead of sending its first rows as all."""
    from embedding import demo_assistant

    a = demo_assistant(tmp_path, customers=800)
    try:
        with serving(create_app(a, timeout=60)) as url, httpx.Client(base_url=url, timeout=120) as c:
            replies = []
            for i in range(4):
                first = ask(c, "top 500 customers by revenue")
                second = ask(c, "revenue by month", first["conversation_id"])
                replies.append((first, second))
                if i == 0:  # what one conversation holds: the bound allows two and a half of them
                    unit = a.held_bytes()
                    a.max_answer_bytes = int(unit * 2.5)
            assert unit > 10_000 and 0 < a.held_bytes() <= a.max_answer_bytes
            old = a.session(replies[0][0]["conversation_id"]).history[0]
            big = next(n for n, t in enumerate(old.tables) if t.total_rows > 50)
            assert not old.tables[big].complete and 0 < len(old.tables[big].rows) < old.tables[big].total_rows
            assert_error(c.get(replies[0][0]["tables"][big]), 410, "gone", "no longer kept")
            assert replies[0][0]["answer"]["tables"][big]["rows"] == \
                c.get(f"/conversations/{replies[0][0]['conversation_id']}/answers/0").json()["answer"]["tables"][big]["rows"]
            newest = a.session(replies[-1][0]["conversation_id"]).history[0]
            assert all(t.complete for t in newest.tables)  # the newest conversation's answers were not touched
            for first, second in replies:  # every conversation's last answer is whole
                assert all(t.complete for t in a.session(second["conversation_id"]).history[-1].tables)
                assert c.get(second["tables"][0]).status_code == 200
            r = c.post("/ask", json={"question": "export that to csv", "conversation_id": replies[0][1]["conversation_id"]})
            assert r.status_code == 200 and r.json()["files"]
    finally:
        a.close()


# ---------------------------------------------------------------------- the chat page's endpoints
def test_the_page_is_served_without_the_token_under_a_strict_policy(url):
    page = httpx.get(url + "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text and " style=" not in page.text  # nothing inline: the policy would refuse it
    scripts = re.findall(r'(?:src|href)="(static/[^"]+)"', page.text)
    assert set(re.findall(r'(?:src|href)="([^"#]+)"', page.text)) == set(scripts)
    assert sorted(scripts) == ["static/app.css", "static/app.js", "static/favicon.svg"]
    for link in scripts:
        assert httpx.get(f"{url}/{link}").status_code == 200
    js = httpx.get(url + "/static/app.js").text
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", js)
    assert "http://" not in js and "https://" not in js
    assert_error(httpx.get(url + "/static/..%2F..%2Fpyproject.toml"), 401, "unauthorized")
    assert_error(httpx.get(url + "/static/server.py"), 401, "unauthorized")  # only the files listed are public


def test_the_page_answer_is_the_api_answer_with_its_narrative_as_elements(client, assistant):
    reply = client.post("/page/ask", json={"question": "total revenue by country"}).json()
    cid = reply["conversation_id"]
    assert reply["answer"] == client.get(f"/conversations/{cid}/answers/0").json()["answer"]
    assert reply["page"]["scope"] == {"filters": {}, "period": ""}
    text = []

    def walk(node):
        if isinstance(node, str):
            text.append(node)
        else:
            assert node[0] in ("p", "ul", "li", "strong", "em", "code", "h3", "h4"), node[0]
            for child in node[1:]:
                walk(child)

    for node in reply["page"]["narrative"]:
        walk(node)
    narrative = "".join(text)
    assert "**" not in narrative and narrative.split()[:3] == reply["answer"]["summary"].split()[:3]
    germany = client.post("/page/ask", json={"question": "only Germany", "conversation_id": cid}).json()
    assert germany["page"]["scope"]["filters"] == {"country": ["Germany"]}
    removed = client.post("/page/ask", json={"question": "remove the country filter", "conversation_id": cid}).json()
    assert removed["page"]["scope"]["filters"] == {} and removed["answer"]["analysis"] == "overview"
    assert removed["answer"]["tables"] == reply["answer"]["tables"]


def test_narratives_never_carry_html():
    from custlens.server import narrative_tree

    tree = narrative_tree("## Top\n\n**<b>x</b>** <img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](/x) "
                          "![c](http://elsewhere/c.png)\n\n<script>alert(1)</script>")
    # raw HTML and a javascript: link stay text; a link or an image keeps its text only (nothing is fetched)
    assert tree == [["h4", "Top"], ["p", ["strong", "<b>x</b>"], " <img src=x onerror=alert(1)> [a](javascript:alert(1)) ",
                                    "b", " ", "c"], ["p", "<script>alert(1)</script>"]]


def test_uploads_load_into_the_conversation_only(client, app):
    cid = client.post("/conversations").json()["conversation_id"]
    other = client.post("/conversations").json()["conversation_id"]
    orders = ("customer_id,order_id,order_date,product,amount\r\nA,1,2024-01-05,<script>alert(1)</script>,70\r\n"
              "B,2,2024-02-05,Plain,30\r\n")
    r = client.post(f"/conversations/{cid}/data", params={"name": "../../etc/orders.csv"}, content=orders)
    assert r.status_code == 200, r.text
    assert [(s["name"], s["role"], s["rows"]) for s in r.json()["sources"]] == [("orders.csv", "transactions", 2)]
    uploads = app.state.conversations.folder(cid) / "uploads"
    assert [p.name for p in uploads.iterdir()] == ["orders.csv"]  # in the conversation's folder, by its name alone
    total = ask(client, "total revenue", cid)["answer"]["tables"][0]
    assert dict(map(tuple, total["rows"]))["revenue"] == 100 and dict(map(tuple, total["rows"]))["customers"] == 2
    top = ask(client, "top products", cid)["answer"]["tables"]
    assert any("<script>alert(1)</script>" in row for t in top for row in t["rows"])
    served = ask(client, "total revenue", other)["answer"]["tables"][0]  # another conversation keeps the served data
    assert served != total
    customers = "customer_id,country\r\nA,Germany\r\nB,France\r\n"  # a second file adds to the first
    r = client.post(f"/conversations/{cid}/data", params={"name": "customers.csv"}, content=customers)
    assert {s["role"] for s in r.json()["sources"]} == {"transactions", "customers"}
    by_country = ask(client, "revenue by country", cid)["answer"]["tables"]
    assert any(row[:2] == ["Germany", 70] or row[:2] == ["Germany", 70.0] for t in by_country for row in t["rows"])

    assert_error(client.post(f"/conversations/{cid}/data", params={"name": "run.sh"}, content=b"rm -rf /"), 415,
                 "unsupported_file", "run.sh: upload a data file ending in .csv")
    assert_error(client.post(f"/conversations/{cid}/data", params={"name": "e.csv"}, content=b""), 422,
                 "data_error", "e.csv: the file is empty")
    broken = client.post(f"/conversations/{cid}/data", params={"name": "broken.parquet"}, content=b"not parquet")
    assert broken.status_code == 422 and "broken.parquet" in broken.json()["error"], broken.text
    assert len(ask(client, "revenue by country", cid)["answer"]["tables"]) == len(by_country)  # data as it was
    assert_error(client.post("/conversations/" + "f" * 32 + "/data", params={"name": "o.csv"}, content=orders), 404,
                 "unknown_conversation")


def test_uploads_are_bounded_and_the_demo_replaces_the_data(assistant):
    with serving(create_app(assistant, max_upload=1000)) as base, httpx.Client(base_url=base, timeout=120) as c:
        cid = c.post("/conversations").json()["conversation_id"]
        assert c.get("/health").json()["upload_limit"] == 1000
        assert_error(c.post(f"/conversations/{cid}/data", params={"name": "big.csv"}, content=b"a,b\n" + b"1,2\n" * 300),
                     413, "too_large", "1,000 bytes (an upload: serve with a larger --max-upload")
        assert_error(c.post("/ask", json={"question": "x" * 1200}), 422, "cannot_answer")  # /ask keeps its own limit
        demo = c.post(f"/conversations/{cid}/demo")
        assert demo.status_code == 200
        assert {s["name"]: s["rows"] for s in demo.json()["sources"]}["demo customers"] == 5000
        assert ask(c, "how many customers", cid)["answer"]["analysis"] == "overview"


def test_tables_as_excel_and_answers_as_documents(client):
    reply = ask(client, "revenue by month")
    cid = reply["conversation_id"]
    csv = pd.read_csv(io.StringIO(client.get(reply["tables"][0]).text))
    xlsx = client.get(reply["tables"][0].replace(".csv", ".xlsx"))
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = pd.read_excel(io.BytesIO(xlsx.content))
    assert list(sheet.columns) == list(csv.columns) and len(sheet) == len(csv)

    link = client.post(f"/conversations/{cid}/answers/0/document").json()["url"]
    assert link.startswith("/documents/") and len(link) > 40
    doc = httpx.get(client.base_url.join(link))  # without the token: the link is the secret
    assert doc.status_code == 200 and f"<h1>{reply['answer']['title']}</h1>" in doc.text
    assert "script-src" not in doc.headers["content-security-policy"] and "<script" not in doc.text
    assert_error(httpx.get(client.base_url.join("/documents/guessed-secret")), 404, "not_found", "unknown or expired")
    assert_error(client.post(f"/conversations/{cid}/answers/9/document"), 404, "not_found", "no answer 9")
