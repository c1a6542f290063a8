"""``custlens new-plugin NAME``: the skeleton it writes is a working plugin whose own test passes,
and it never overwrites a folder or takes a name Python could not import."""

import importlib
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from custlens import Session
from custlens.cli import cli


@pytest.fixture(scope="module")
def skeleton(tmp_path_factory):
    root = tmp_path_factory.mktemp("plugins") / "acme-weekdays"
    result = CliRunner().invoke(cli, ["new-plugin", "acme-weekdays", "--dir", str(root)])
    assert result.exit_code == 0, result.output
    return root


def test_writes_a_package_with_an_entry_point(skeleton):
    files = sorted(str(p.relative_to(skeleton)) for p in skeleton.rglob("*") if p.is_file())
    assert files == ["README.md", "acme_weekdays/__init__.py", "acme_weekdays/templates/__init__.py",
                     "acme_weekdays/templates/acme_weekdays.md.j2", "pyproject.toml", "tests/test_acme_weekdays.py"]
    pyproject = (skeleton / "pyproject.toml").read_text()
    assert '[project.entry-points.custlens]\nacme_weekdays = "acme_weekdays"' in pyproject
    assert 'name = "acme-weekdays"' in pyproject
    # the narrative is a template for the plugin to fill, not one filled while writing the skeleton
    assert "{{ best.weekday }}" in (skeleton / "acme_weekdays/templates/acme_weekdays.md.j2").read_text()


def test_its_own_tests_pass(skeleton, questions_read):
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=skeleton,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "4 passed" in done.stdout


def test_a_session_sees_its_analysis(skeleton, monkeypatch):
    monkeypatch.syspath_prepend(str(skeleton))
    module = importlib.import_module("acme_weekdays")
    try:
        s = Session(plugins=[module], entry_points=False)
        assert s.registry.analyses["acme_weekdays"].plugin == "acme_weekdays"
        assert len(s.analyses["acme_weekdays"].examples) >= 15
    finally:
        sys.modules.pop("acme_weekdays", None)


def test_installed_it_is_listed_by_custlens_plugins(skeleton, dev_install):
    done = subprocess.run([sys.executable, "-m", "custlens.cli", "plugins", "--json"], env=dev_install(skeleton),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert listed["errors"] == []
    assert [(r["kind"], r["name"], r["version"]) for r in listed["registered"] if r["plugin"] == "acme_weekdays"] \
        == [("analysis", "acme_weekdays", "0.1.0")]


def test_refuses_an_existing_folder(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["new-plugin", "mine", "--dir", str(target)])
    assert result.exit_code == 1
    assert f"{target} already exists" in result.output and "Nothing was written" in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("name, message", [
    ("9lives", "cannot name a plugin"),
    ("my plugin", "cannot name a plugin"),
    ("class", "cannot name a plugin"),
    ("Acme", "cannot name a plugin"),
    ("json", "a module named 'json' already exists"),
])
def test_refuses_names_python_cannot_import(tmp_path, monkeypatch, name, message):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["new-plugin", name])
    assert result.exit_code == 1 and message in result.output
    assert list(tmp_path.iterdir()) == []
