import datetime as dt

import pandas as pd
import pytest


@pytest.fixture(scope="session", autouse=True)
def run_cache(request, tmp_path_factory):
    """The router cache of the whole run (CUSTLENS_CACHE_DIR), in pytest's cache folder (kept
    between runs of one checkout), never the user's ~/.cache."""
    cache = getattr(request.config, "cache", None)
    path = cache.mkdir("custlens") if cache is not None else tmp_path_factory.mktemp("run-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("CUSTLENS_CACHE_DIR", str(path))
    yield path
    mp.undo()


@pytest.fixture(scope="session")
def questions_read(run_cache):
    """The shipped routing questions read for the classifier (``router.readings``) into the run's
    cache, for processes started by a test: a router fit there then takes seconds, not the minutes
    reading them takes. In this process they are read once per run whatever the cache dir."""
    from custlens import router

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CUSTLENS_CACHE_DIR", str(run_cache))
        router.readings([q for qs in router.routing_examples().values() for q in qs])
    return run_cache


def fresh_cache(tmp_path_factory, run_cache) -> str:
    """An empty router cache but for the run's readings of the shipped questions."""
    import shutil

    path = tmp_path_factory.mktemp("cache")
    for readings in run_cache.glob("readings-*.json"):
        shutil.copy(readings, path)
    return str(path)


@pytest.fixture(scope="module")
def router_cache(tmp_path_factory, questions_read):
    """A router cache of the module's own (CUSTLENS_CACHE_DIR): a fit one module makes is never read
    by another. Modules use it with ``pytestmark``."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CUSTLENS_CACHE_DIR", fresh_cache(tmp_path_factory, questions_read))
    yield
    mp.undo()


@pytest.fixture
def orders_frame():
    """A small store with known answers: 3 countries, 4 products, 2 years, one return.

    Germany: 6 orders x 100 = 600; France: 3 x 50 = 150; Spain: 2 x 25 = 50 (plus a -25 return).
    Product "Widget" sells most (Germany's 6 orders, the last on 2024-06-05); 2023 holds 7 orders, 2024 holds 4.
    """
    rows = []
    n = 0

    def add(customer, country, product, category, amount, day, qty=1):
        nonlocal n
        n += 1
        rows.append({"customer_id": customer, "order_id": f"O{n:03d}", "order_date": day, "product": product,
                     "category": category, "quantity": qty, "unit_price": amount / qty if qty else amount,
                     "amount": amount, "country": country})

    for i in range(6):
        add(f"C{i % 3}", "Germany", "Widget", "Tools", 100.0, dt.datetime(2023 + (i >= 4), 1 + i, 5, 10))
    for i in range(3):
        add(f"C{3 + i}", "France", "Gadget", "Toys", 50.0, dt.datetime(2023, 3 + i, 7, 12))
    add("C6", "Spain", "Gizmo", "Toys", 25.0, dt.datetime(2024, 2, 1, 9))
    add("C6", "Spain", "Doohickey", "Tools", 25.0, dt.datetime(2024, 3, 1, 9))
    add("C6", "Spain", "Gizmo", "Toys", -25.0, dt.datetime(2024, 3, 2, 9), qty=-1)
    return pd.DataFrame(rows)


@pytest.fixture
def orders_csv(tmp_path, orders_frame):
    path = tmp_path / "orders.csv"
    orders_frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def dev_install(tmp_path_factory, questions_read):
    """``dev_install(project_dir)`` -> the environment of a process that has that plugin package
    installed. A development install, made the way setuptools' ``develop`` makes one: setuptools
    reads the project's pyproject.toml and writes its metadata (the ``custlens`` entry point among
    it) to a folder put on the path beside the source. ``pip install`` would have to build a wheel,
    which a fresh Python 3.11 venv (setuptools 65, no ``wheel``) cannot do offline."""
    import os
    import subprocess
    import sys

    pytest.importorskip("setuptools", reason="a development install needs setuptools (a Python 3.11 venv has it)")

    def install(project):
        meta = tmp_path_factory.mktemp("site")
        subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "egg_info",
                        "--egg-base", str(meta)], cwd=project, check=True, capture_output=True)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(meta), str(project)]),
                   CUSTLENS_CACHE_DIR=fresh_cache(tmp_path_factory, questions_read))
        env.pop("CUSTLENS_LOAD_PLUGINS", None)
        return env

    return install


@pytest.fixture(scope="module")
def misbehaving():
    """Analyses that hang, grind and raise on purpose (tests/embedding.py); ``.gate`` opens the hang."""
    from embedding import Misbehaving

    return Misbehaving()


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, misbehaving):
    """An Assistant over a 1,500-customer demo store (orders with net_sales, customers) with the
    misbehaving analyses installed: what the embedding tests (API, HTTP, Slack, webhooks) share."""
    from embedding import demo_assistant

    a = demo_assistant(tmp_path_factory.mktemp("store"), misbehaving)
    yield a
    a.close()
