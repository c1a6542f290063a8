"""The HTTP service under concurrent clients: throughput (answers/s) and p50/p95 latency of
``custlens serve`` driven by N client threads (httpx), against the same questions through
``Assistant.chat`` in-process from the same number of threads: the ratio is what HTTP costs.

Each contender runs in a fresh process: the server (``custlens serve`` as a subprocess, the
clients in this process) and the in-process run (``_measure.measure``). Each client holds its own
conversations and asks a mix of questions and follow-ups; every question is answered once before
timing in both (the router's and DuckDB's first-use costs are not the service's).

    .venv/bin/python benchmarks/bench_http.py                      # 20,000 customers, 8 clients
    .venv/bin/python benchmarks/bench_http.py --customers 5000 --clients 4 --rounds 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _data import demo_parquet  # noqa: E402
from _measure import measure  # noqa: E402

from custlens.ports import free_port  # noqa: E402

#: each client goes through one of these conversations (rotated, so different analyses run at once)
CONVERSATIONS = [
    ["total revenue by country", "and by quarter", "why?"],
    ["top 10 products", "revenue by month", "only B2B"],
    ["monthly cohort retention", "what is bought together", "top 5 products"],
    ["segment my customers", "revenue for the champions", "total revenue"],
]


def drive(ask, clients: int, rounds: int) -> dict:
    """Run the workload: ``clients`` threads, each ``rounds`` times through its conversation,
    calling ``ask(conversation_key, question)``. Returns answers, seconds, answers/s, p50, p95 (s)."""
    latencies, failures = [], []
    lock = threading.Lock()

    def client(i):
        for r in range(rounds):
            key = f"client{i}-round{r}"
            for question in CONVERSATIONS[i % len(CONVERSATIONS)]:
                t0 = time.perf_counter()
                try:
                    ask(key, question)
                except Exception as exc:  # noqa: BLE001 - counted and printed
                    with lock:
                        failures.append(f"{question}: {exc}")
                    continue
                with lock:
                    latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    return {"answers": len(latencies), "failures": failures[:5], "seconds": seconds,
            "per_second": len(latencies) / seconds, "p50": statistics.median(latencies), "p95": q[18]}


def bare_turn(ask, n: int = 30) -> float:
    """Median seconds of a turn that computes nothing ("why?" explains the last answer from its
    provenance), one client alone: what the transport costs, apart from the analyses."""
    ask("bare", "total revenue")
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        ask("bare", "why?")
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def page_against_api(base: str, n: int = 20, question: str = "total revenue by country") -> dict:
    """Median seconds of the same answer asked by the chat page's own request (POST /page/ask,
    which adds the narrative as elements and the scope) and through POST /ask, alternating, one
    client, each in a conversation of its own."""
    import httpx

    times: dict[str, list[float]] = {"/page/ask": [], "/ask": []}
    with httpx.Client(base_url=base, timeout=600) as client:
        ids = {path: client.post("/conversations").json()["conversation_id"] for path in times}
        for i in range(n + 1):
            for path in (times if i % 2 else reversed(list(times))):
                t0 = time.perf_counter()
                r = client.post(path, json={"question": question, "conversation_id": ids[path]})
                r.raise_for_status()
                if i:  # the first round warms both
                    times[path].append(time.perf_counter() - t0)
    return {path: statistics.median(values) for path, values in times.items()}


def warm(ask) -> None:
    for i, conversation in enumerate(CONVERSATIONS):
        for question in conversation:
            ask(f"warm{i}", question)


IN_PROCESS = """
import sys
sys.path.insert(0, {bench!r})
from bench_http import bare_turn, drive, warm
from custlens import Assistant

assistant = Assistant(data={data!r})
warm(lambda key, q: assistant.chat(key, q))
result = drive(lambda key, q: assistant.chat(key, q), {clients}, {rounds})
result["bare"] = bare_turn(lambda key, q: assistant.chat(key, q))
"""


def over_http(data: list[str], clients: int, rounds: int) -> dict:
    """Start ``custlens serve`` in a subprocess, drive it, stop it; adds the server's peak RSS."""
    import httpx

    port = free_port()
    cmd = [sys.executable, "-m", "custlens.cli", "serve", "--port", str(port), "--max-concurrent", str(clients),
           "--timeout", "600", *[arg for path in data for arg in ("--data", path)]]
    log = tempfile.TemporaryFile("w+")  # the server's log (a pipe nobody reads would fill and block it)
    server = subprocess.Popen(cmd, stdout=log, stderr=log, text=True,
                              env={k: v for k, v in os.environ.items() if k != "CUSTLENS_TOKEN"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if server.poll() is not None:
                log.seek(0)
                raise RuntimeError(log.read()[-3000:])
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start in 300 s")
            time.sleep(0.2)
        local = threading.local()
        ids: dict[str, str] = {}

        def ask(key, question):
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=base, timeout=600)
            body = {"question": question} | ({"conversation_id": ids[key]} if key in ids else {})
            r = local.client.post("/ask", json=body)
            r.raise_for_status()
            ids[key] = r.json()["conversation_id"]

        warm(ask)
        result = drive(ask, clients, rounds)
        result["bare"] = bare_turn(ask)
        result["page"] = page_against_api(base)
        status = Path(f"/proc/{server.pid}/status").read_text()
        result["peak_mb"] = next(int(l.split()[1]) for l in status.splitlines() if l.startswith("VmHWM")) / 1024
        return result
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    folder = demo_parquet(args.customers)
    data = [str(folder / f"{name}.parquet") for name in ("orders", "customers", "feedback", "touchpoints")]
    print(f"{args.customers:,} customers, {args.clients} clients x {args.rounds} rounds x 3 questions; "
          f"load average {os.getloadavg()[0]:.1f}")

    http = over_http(data, args.clients, args.rounds)
    local = measure(IN_PROCESS.format(bench=str(Path(__file__).parent), data=data, clients=args.clients,
                                      rounds=args.rounds))
    inproc = local["result"] | {"peak_mb": local["peak_mb"]}
    for name, r in (("HTTP", http), ("in-process", inproc)):
        print(f"  {name:<11} {r['answers']:4d} answers in {r['seconds']:6.2f} s   {r['per_second']:6.2f} answers/s   "
              f"p50 {r['p50'] * 1000:7.0f} ms   p95 {r['p95'] * 1000:7.0f} ms   peak {r['peak_mb']:6.0f} MB"
              + (f"   FAILED {r['failures']}" if r["failures"] else ""))
    print(f"  a turn that computes nothing (\"why?\", one client): HTTP {http['bare'] * 1000:.1f} ms, "
          f"in-process {inproc['bare'] * 1000:.1f} ms")
    page, api = http["page"]["/page/ask"], http["page"]["/ask"]
    print(f"  the page's answer (POST /page/ask) {page * 1000:.1f} ms, the same through POST /ask {api * 1000:.1f} ms: "
          f"difference {(page - api) * 1000:+.1f} ms (target: within 50 ms)")
    print(f"  throughput ratio (HTTP / in-process) {http['per_second'] / inproc['per_second']:.2f}   "
          f"p50 overhead {(http['p50'] - inproc['p50']) * 1000:+.0f} ms   "
          f"p95 ratio {http['p95'] / inproc['p95']:.2f}   load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
