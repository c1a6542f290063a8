"""The example LLM router (examples/llm_router) against a fake chat-completions server on
127.0.0.1: it routes only when configured, only to a registered analysis with valid params, and
falls back to the built-in router on anything else."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from custlens.session import Session

EXAMPLE = Path(__file__).parent.parent / "examples" / "llm_router"


class Fake(BaseHTTPRequestHandler):
    reply = ""
    requests: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Fake.requests.append((dict(self.headers), body))
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": Fake.reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = HTTPServer(("127.0.0.1", 0), Fake)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/v1/chat/completions"
    httpd.shutdown()


@pytest.fixture
def session(orders_csv):
    return Session(data=[str(orders_csv)], plugins_dirs=[str(EXAMPLE)], entry_points=False)


def test_not_configured_means_the_built_in_router(session, monkeypatch):
    monkeypatch.delenv("CUSTLENS_LLM_URL", raising=False)
    assert session.ask("total revenue by country").params["by"] == ["country"]


def test_routes_with_the_models_validated_params(session, server, monkeypatch):
    monkeypatch.setenv("CUSTLENS_LLM_URL", server)
    monkeypatch.setenv("CUSTLENS_LLM_MODEL", "tiny")
    monkeypatch.setenv("CUSTLENS_LLM_KEY", "secret")
    Fake.reply = '{"analysis": "overview", "params": {"by": ["product"], "top": 2}}'
    a = session.ask("what sells?")
    assert a.analysis == "overview" and a.params["top"] == 2 and a.table("by_product").total_rows == 4
    headers, body = Fake.requests[-1]
    assert body["model"] == "tiny" and headers["Authorization"] == "Bearer secret"
    assert "overview" in body["messages"][0]["content"] and body["messages"][1]["content"] == "what sells?"


@pytest.mark.parametrize("reply", ['{"analysis": "drop_tables", "params": {}}',
                                   '{"analysis": "overview", "params": {"top": "DROP TABLE orders"}}',
                                   '{"analysis": "overview", "params": {"code": "import os"}}',
                                   "import os; os.system('rm -rf /')", '{"analysis": null}'])
def test_anything_else_falls_back_to_the_built_in_router(session, server, monkeypatch, reply):
    monkeypatch.setenv("CUSTLENS_LLM_URL", server)
    Fake.reply = reply
    a = session.ask("total revenue by country")
    assert a.analysis == "overview" and a.params["by"] == ["country"] and a.params["top"] == 10
    assert session.dataset.scalar("SELECT count(*) FROM transactions") == 11  # purchases: nothing dropped


def test_no_server_falls_back(session, monkeypatch):
    monkeypatch.setenv("CUSTLENS_LLM_URL", "http://127.0.0.1:9/v1/chat/completions")
    assert session.ask("total revenue by country").analysis == "overview"
