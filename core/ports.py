"""Free TCP ports on this machine: the one helper for the servers tests and benchmarks start
(a throwaway PostgreSQL, a Spark Connect server, a standalone Spark cluster, ``custlens serve``)."""

from __future__ import annotations

import socket


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the system's choice of an ephemeral one). Another process may
    take it before the caller binds it; a server that can take its socket ready-made should bind
    port 0 itself instead."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def listening(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts connections on ``port``."""
    with socket.socket() as s:
        return s.connect_ex((host, port)) == 0
