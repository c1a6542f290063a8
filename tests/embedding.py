"""What the tests of custlens embedded in other programs share (the Assistant, the HTTP service,
the Slack adapter, the webhooks): analyses that misbehave on purpose, a demo Assistant, and a
server of the tests' own on 127.0.0.1."""

import socket
import threading
import time
from contextlib import contextmanager

from custlens import Assistant, demo, hookimpl
from custlens.analysis import Analysis, Params
from custlens.answer import Answer


class Gate(Analysis):
    """Waits until the test opens the gate: an answer that hangs in Python as long as the test
    wants. ``entered`` is set when a question reaches it; ``waiting`` counts those waiting."""

    name = "gate"
    title = "Gate"
    examples = ["open the pod bay doors hal", "pod bay doors please", "hal open the doors"]
    Params = Params
    requires = {}

    def __init__(self):
        self.opened = threading.Event()
        self.entered = threading.Event()
        self.waiting = 0
        self._lock = threading.Lock()

    def run(self, dataset, params):
        with self._lock:
            self.waiting += 1
        self.entered.set()
        try:
            self.opened.wait(60)
        finally:
            with self._lock:
                self.waiting -= 1
        return Answer(analysis=self.name, title="Doors open")

    def wait_for(self, n, seconds=15):
        """Until ``n`` questions wait at the gate."""
        deadline = time.monotonic() + seconds
        while self.waiting < n:
            assert time.monotonic() < deadline, f"{self.waiting} of {n} questions reached the gate"
            time.sleep(0.02)


class Grind(Analysis):
    """A DuckDB query that would run for minutes: a time limit must interrupt it."""

    name = "grind"
    title = "Grind"
    examples = ["grind the numbers forever", "grind every number", "grind grind grind"]
    Params = Params
    requires = {}

    def run(self, dataset, params):
        dataset.scalar("SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range + b.range = -1")
        return Answer(analysis=self.name, title="Ground")


class Witness(Analysis):
    """Records each time it runs (``runs``): whether work went on after a time limit."""

    name = "witness"
    title = "Witness"
    examples = ["did anyone see the lighthouse keeper", "lighthouse keeper sighting", "witness the lighthouse"]
    Params = Params
    requires = {}

    def __init__(self):
        self.runs = []

    def run(self, dataset, params):
        self.runs.append(time.monotonic())
        return Answer(analysis=self.name, title="Seen")


class Explode(Analysis):
    """A plugin bug: an exception that is not a CustlensError."""

    name = "explode"
    title = "Explode"
    examples = ["detonate the flux capacitor", "flux capacitor detonation", "blow up the flux capacitor"]
    Params = Params
    requires = {}

    def run(self, dataset, params):
        raise RuntimeError("secret internal detail")


class Misbehaving:
    """The plugin registering them; ``gate`` is the test's handle on the gate."""

    def __init__(self):
        self.gate = Gate()
        self.witness = Witness()

    @hookimpl
    def register_analyses(self, register):
        register(self.gate)
        register(self.witness)
        register(Grind())
        register(Explode())


def demo_assistant(folder, plugin=None, customers=1500) -> Assistant:
    """An Assistant over the demo store's orders and customers written as CSV into ``folder``;
    the orders carry a ``net_sales`` column (amount less cost) to map the amount to."""
    store = demo.generate(customers=customers, seed=7)
    orders = store.tables["orders"].assign(net_sales=lambda f: f["amount"] - f["cost"])
    orders.to_csv(folder / "orders.csv", index=False)
    store.tables["customers"].to_csv(folder / "customers.csv", index=False)
    return Assistant(data=[str(folder / "orders.csv"), str(folder / "customers.csv")],
                     plugins=[plugin] if plugin else [], entry_points=False)


@contextmanager
def serving(app):
    """uvicorn serving the ASGI ``app`` on a free 127.0.0.1 port in a thread; yields the base URL."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(20)
        sock.close()
