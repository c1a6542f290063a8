"""An optional router that asks an OpenAI-compatible chat-completions endpoint (a local llama.cpp,
Ollama, vLLM server, or a hosted one) which analysis a question is for, and with which params.

Never the default and never needed: it routes only when CUSTLENS_LLM_URL is set, e.g.

    CUSTLENS_LLM_URL=http://127.0.0.1:8080/v1/chat/completions CUSTLENS_LLM_MODEL=qwen2.5 \
        custlens chat --plugins examples/llm_router --data orders.csv

(CUSTLENS_LLM_KEY is sent as a bearer token when set.) The model may only name a registered
analysis and fill its typed Params: its reply must be one JSON object {"analysis": ..., "params":
{...}}, which is validated against the analysis's pydantic model. Nothing it says is executed.
Any failure (no server, a timeout, a reply that is not that JSON, an unknown analysis, params
that do not validate) returns None, and the built-in router answers instead. Standard library only.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request

from custlens import hookimpl
from custlens.errors import CustlensError
from custlens.router import Route

log = logging.getLogger("custlens.llm_router")
TIMEOUT = 20  # seconds


def prompt(session) -> str:
    """The system prompt: each analysis with its summary and the JSON schema of its Params."""
    lines = ["You route questions about customer data to one analysis. Reply with ONLY a JSON object "
             '{"analysis": NAME, "params": {...}} using a NAME below and only the params its schema allows, '
             'or {"analysis": null} when none fits.']
    for name, a in sorted(session.analyses.items()):
        schema = json.dumps(a.Params.model_json_schema().get("properties", {}), default=str)
        lines.append(f"- {name}: {getattr(a, 'title', '')}. {getattr(a, 'summary', '')} Params: {schema}")
    return "\n".join(lines)


def ask_model(question: str, session) -> dict | None:
    body = {"model": os.environ.get("CUSTLENS_LLM_MODEL", "default"), "temperature": 0,
            "messages": [{"role": "system", "content": prompt(session)}, {"role": "user", "content": question}]}
    headers = {"Content-Type": "application/json"}
    if os.environ.get("CUSTLENS_LLM_KEY"):
        headers["Authorization"] = f"Bearer {os.environ['CUSTLENS_LLM_KEY']}"
    request = urllib.request.Request(os.environ["CUSTLENS_LLM_URL"], json.dumps(body).encode(), headers)
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the user's own endpoint
        reply = json.load(response)
    text = reply["choices"][0]["message"]["content"].strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    answer = json.loads(text)
    return answer if isinstance(answer, dict) else None


@hookimpl
def route_question(question: str, session):
    """A Route from the model's reply, validated; None to let the built-in router decide."""
    if not os.environ.get("CUSTLENS_LLM_URL"):
        return None
    try:
        answer = ask_model(question, session)
    except (OSError, urllib.error.URLError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("LLM router: no usable reply (%s); using the built-in router", exc)
        return None
    name = (answer or {}).get("analysis")
    if not isinstance(name, str) or name not in session.analyses:
        return None
    params = answer.get("params") or {}
    if not isinstance(params, dict):
        return None
    try:
        session.params_for(name, params)  # typed and checked: a bad value never reaches an analysis
    except CustlensError as exc:
        log.warning("LLM router: params refused (%s); using the built-in router", exc)
        return None
    return Route(name, params, confidence=1.0)
