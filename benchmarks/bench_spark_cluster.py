"""A Spark standalone cluster on localhost answering through Spark Connect (issue 21): a master,
one and then two workers (1 core, ``--worker-memory`` each) and a Spark Connect server as the
cluster's application, all from the installed pyspark (``bin/spark-class`` and
``bin/spark-submit``; pyspark ships no ``start-master.sh``). custlens answers overview and RFM
through ``Session(engine="sc://localhost:PORT")`` over the orders Parquet file the server reads;
the Spark UI's REST API (``/api/v1/applications/<app>/executors``) shows the executors and the
tasks each ran for each answer, the master's ``/json`` the workers. One worker against two, each a
fresh Connect server (its own application). Everything is stopped at the end, also on error or
Ctrl-C.

    CUSTLENS_BENCH_DATA=/work/bench-data flock /tmp/custlens-bench.lock \
        .venv/bin/python benchmarks/bench_spark_cluster.py [--lines 1] [--workers 1 2]

``--lines`` is millions of order lines (the files of bench_scale.py, made on first use).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bench_scale import load_average, orders_for  # noqa: E402
from custlens.ports import free_port as _free_port, listening  # noqa: E402 - one way to find a free port


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def wait_port(port: int, proc: subprocess.Popen, log: Path, what: str, seconds: int = 300) -> None:
    for _ in range(seconds * 2):
        if proc.poll() is not None:
            raise RuntimeError(f"{what} stopped: {log.read_text()[-800:]}")
        if listening(port):
            return
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not listen on {port} within {seconds} s (log: {log})")


class Cluster:
    """The processes of a standalone cluster on localhost, stopped together."""

    def __init__(self, folder: Path, worker_memory: str):
        import pyspark

        self.home = Path(pyspark.__file__).parent
        self.folder = folder
        self.worker_memory = worker_memory
        self.procs: list[tuple[str, subprocess.Popen]] = []
        self.env = dict(os.environ, SPARK_HOME=str(self.home), SPARK_LOG_DIR=str(folder),
                        SPARK_LOCAL_DIRS=str(folder / "local"), SPARK_WORKER_DIR=str(folder / "work"),
                        SPARK_LOCAL_IP="127.0.0.1")

    def _start(self, name: str, args: list[str]) -> tuple[subprocess.Popen, Path]:
        log = self.folder / f"{name}.log"
        with open(log, "wb") as out:  # the child keeps its own descriptor
            proc = subprocess.Popen(args, env=self.env, stdout=out, stderr=out, cwd=self.folder)
        self.procs.append((name, proc))
        return proc, log

    def master(self) -> None:
        self.master_port, self.master_ui = _free_port(), _free_port()
        proc, log = self._start("master", [str(self.home / "bin" / "spark-class"), "org.apache.spark.deploy.master.Master",
                                           "--host", "127.0.0.1", "--port", str(self.master_port),
                                           "--webui-port", str(self.master_ui)])
        wait_port(self.master_ui, proc, log, "the master")
        self.url = f"spark://127.0.0.1:{self.master_port}"

    def worker(self, n: int) -> None:
        proc, log = self._start(f"worker{n}", [str(self.home / "bin" / "spark-class"), "org.apache.spark.deploy.worker.Worker",
                                               "--cores", "1", "--memory", self.worker_memory,
                                               "--webui-port", str(_free_port()), self.url])
        for _ in range(240):
            if proc.poll() is not None:
                raise RuntimeError(f"worker {n} stopped: {log.read_text()[-800:]}")
            alive = [w for w in get_json(f"http://127.0.0.1:{self.master_ui}/json/")["workers"] if w["state"] == "ALIVE"]
            if len(alive) >= n:
                return
            time.sleep(0.5)
        raise RuntimeError(f"worker {n} did not register with the master within 2 minutes (log: {log})")

    def connect_server(self, tag: str) -> tuple[str, int, subprocess.Popen]:
        port, ui = _free_port(), _free_port()
        proc, log = self._start(f"connect-{tag}", [
            str(self.home / "bin" / "spark-submit"), "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
            "--master", self.url, "--conf", f"spark.connect.grpc.binding.port={port}",
            "--conf", f"spark.ui.port={ui}", "--conf", "spark.ui.showConsoleProgress=false",
            "--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.executor.memory=" + self.worker_memory,
            "--conf", "spark.driver.memory=1g", "--conf", "spark.sql.session.timeZone=UTC",
            "--conf", f"spark.sql.warehouse.dir={self.folder / 'warehouse'}",
            "--conf", f"spark.driver.extraJavaOptions=-Djava.io.tmpdir={self.folder} -Duser.timezone=UTC",
            "--conf", "spark.executor.extraJavaOptions=-Duser.timezone=UTC",
            "--name", f"custlens-bench-{tag}"])
        wait_port(port, proc, log, "the Spark Connect server")
        wait_port(ui, proc, log, "the Spark Connect server's UI")
        return f"sc://127.0.0.1:{port}", ui, proc

    def stop(self, proc: subprocess.Popen | None = None) -> None:
        for name, p in list(self.procs)[::-1]:
            if proc is not None and p is not proc:
                continue
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(60)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            self.procs.remove((name, p))


def executors(ui: int) -> dict[str, dict]:
    """Executor id -> its host:port and tasks done so far (the driver left out)."""
    app = get_json(f"http://127.0.0.1:{ui}/api/v1/applications")[0]["id"]
    return {e["id"]: e for e in get_json(f"http://127.0.0.1:{ui}/api/v1/applications/{app}/allexecutors")
            if e["id"] != "driver"}


def client(url: str, ui: int, workers: int, orders: str) -> dict:
    """The answers through Spark Connect, in a process of its own (see ``run``)."""
    from custlens import Session

    for _ in range(120):  # the application gets one executor per worker
        if len([e for e in executors(ui).values() if e["isActive"]]) >= workers:
            break
        time.sleep(0.5)
    out = {}
    t = time.perf_counter()
    s = Session(data=[f"transactions={orders}"], engine=url, entry_points=False)
    out["load"] = time.perf_counter() - t
    try:
        for key, ask in (("overview", lambda: s.run("overview", {})),
                         ("rfm", lambda: s.ask("run an RFM analysis"))):
            before = {k: e["totalTasks"] for k, e in executors(ui).items()}
            la = load_average()
            t = time.perf_counter()
            answer = ask()
            out[key] = time.perf_counter() - t
            after = executors(ui)
            out[key + "_tasks"] = {f"{k} ({e['hostPort']})": e["totalTasks"] - before.get(k, 0)
                                   for k, e in sorted(after.items())}
            out[key + "_shape"] = [(tb.name, tb.total_rows) for tb in answer.tables][:3]
            out[key + "_load"] = f"{la} -> {load_average()}"
    finally:
        s.close()
    return out


def run(cluster: Cluster, workers: int, orders: Path) -> dict:
    """A fresh Connect server (its own application) and a fresh client process: a second Spark
    Connect session in one Python process, after the first server was stopped, hangs in pyspark's
    retries (UNAVAILABLE, up to 60 s a try) on 4.3.0, and so does the exit of a process whose
    server has gone; the client prints its figures and leaves with os._exit."""
    url, ui, server = cluster.connect_server(f"{workers}w")
    try:
        proc = subprocess.run([sys.executable, __file__, "--client", url, str(ui), str(workers), str(orders)],
                              capture_output=True, text=True, timeout=3600)
        if "@@RESULT@@" not in proc.stdout:
            raise RuntimeError(f"the client failed: {proc.stderr[-2000:]}")
        return json.loads(proc.stdout.rsplit("@@RESULT@@", 1)[1].splitlines()[0])
    finally:
        cluster.stop(server)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=float, default=1, help="millions of order lines")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--worker-memory", default="1g")
    ap.add_argument("--client", nargs=4, metavar=("URL", "UI", "WORKERS", "ORDERS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.client:
        url, ui, workers, orders = args.client
        print("@@RESULT@@" + json.dumps(client(url, int(ui), int(workers), orders)), flush=True)
        sys.stderr.flush()
        os._exit(0)
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        sys.exit("needs Java 17+ (java is not on PATH)")
    orders, lines = orders_for(args.lines)
    folder = Path(tempfile.mkdtemp(prefix="custlens-cluster-"))
    cluster = Cluster(folder, args.worker_memory)
    results = {}
    try:
        t = time.perf_counter()
        cluster.master()
        print(f"master {cluster.url} (UI :{cluster.master_ui}) in {time.perf_counter() - t:.1f} s; "
              f"{lines:,} order lines in {orders}", flush=True)
        started = 0
        for n in sorted(args.workers):
            while started < n:
                started += 1
                cluster.worker(started)
            alive = [w for w in get_json(f"http://127.0.0.1:{cluster.master_ui}/json/")["workers"]
                     if w["state"] == "ALIVE"]
            print(f"\n{n} worker(s) alive: " + ", ".join(f"{w['id']} {w['cores']} core {w['memory']} MB"
                                                      for w in alive), flush=True)
            r = results[n] = run(cluster, n, orders)
            print(f"  load {r['load']:.1f} s", flush=True)
            for key in ("overview", "rfm"):
                print(f"  {key:8} {r[key]:6.1f} s  tasks per executor {r[key + '_tasks']}  "
                      f"load avg {r[key + '_load']}", flush=True)
        if len(results) > 1:
            lo, hi = min(results), max(results)
            print(f"\n{hi} workers against {lo}: overview {results[lo]['overview'] / results[hi]['overview']:.2f}x, "
                  f"RFM {results[lo]['rfm'] / results[hi]['rfm']:.2f}x faster; same tables: "
                  f"{all(results[lo][k + '_shape'] == results[hi][k + '_shape'] for k in ('overview', 'rfm'))}")
    finally:
        cluster.stop()
        left = [p.pid for _, p in cluster.procs if p.poll() is None]
        print(f"\ncluster stopped{' (still running: ' + str(left) + ')' if left else ''}; logs were in {folder}")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
