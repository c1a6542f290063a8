"""A throwaway PostgreSQL server for tests: ``initdb`` in a temporary folder, ``pg_ctl start`` on a
free port (its unix socket in that folder too), the demo store loaded as tables of schema ``shop``,
stopped and removed after. As root, the server runs as ``nobody`` (initdb refuses root).

``start()`` returns a :class:`Server` or raises :class:`Missing` with one line saying what is
missing (the binaries, psycopg, sqlglot), which the fixture turns into a skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from custlens.ports import free_port

BIN_DIRS = [os.environ.get("CUSTLENS_PG_BIN", ""), "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin",
            "/usr/lib/postgresql/17/bin", "/usr/local/pgsql/bin"]
USER = "custlens"


class Missing(Exception):
    """What a machine lacks to run the PostgreSQL tests (one line)."""


@dataclass
class Server:
    folder: Path
    port: int
    bin: Path
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(self.as_user + [str(self.bin / "pg_ctl"), "stop", "-D", str(self.folder / "data"), "-m",
                                       "immediate", "-w"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Server:
    try:
        import psycopg  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError as exc:
        raise Missing(f"{exc.name} is not installed (pip install -e '.[postgres]')") from None
    folder_bin = next((Path(d) for d in BIN_DIRS if d and (Path(d) / "initdb").is_file()), None)
    if folder_bin is None:
        raise Missing("no PostgreSQL server binaries (initdb, pg_ctl) in " + ", ".join(d for d in BIN_DIRS if d))
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="custlens-pg-"))
    if os.geteuid() == 0:  # initdb refuses to run as root: the server runs as nobody
        runuser = shutil.which("runuser")
        if runuser is None:
            raise Missing("running as root without runuser to start PostgreSQL as another user")
        as_user = [runuser, "-u", "nobody", "--"]
        shutil.chown(folder, "nobody")
    port = free_port()
    data = folder / "data"
    run = dict(capture_output=True, text=True, timeout=120, cwd=str(folder))
    made = subprocess.run(as_user + [str(folder_bin / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
                                     "-E", "UTF8", "--no-locale"], **run)
    if made.returncode:
        shutil.rmtree(folder, ignore_errors=True)
        raise Missing(f"initdb failed: {(made.stderr or made.stdout).strip().splitlines()[-1:]}")
    started = subprocess.run(as_user + [str(folder_bin / "pg_ctl"), "start", "-D", str(data), "-w", "-l",
                                        str(folder / "log"), "-o",
                                        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"], **run)
    if started.returncode:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else started.stderr
        shutil.rmtree(folder, ignore_errors=True)
        raise Missing(f"pg_ctl start failed: {log.strip().splitlines()[-1:] if log.strip() else started.stdout}")
    return Server(folder, port, folder_bin, as_user)


def load_demo(url: str, store, schema: str = "shop") -> None:
    """The demo store's tables as ``schema.orders``, ``schema.customers``, ``schema.feedback``,
    ``schema.touchpoints`` (typed as DuckDB reads the frames)."""
    import duckdb
    import psycopg

    from custlens.engines import copy_rows, frame_for_copy

    local = duckdb.connect()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
        for name, frame in store.tables.items():
            columns, rows = frame_for_copy(local, frame)
            conn.execute(f'CREATE TABLE "{schema}"."{name}" ({columns})')
            copy_rows(conn, f'"{schema}"."{name}"', rows)
    local.close()
