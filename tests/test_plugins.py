"""The plugin host: built-ins registered like outside plugins, outside plugins from a folder and
from entry points, one broken plugin reported by name while the rest work."""

import importlib.metadata
import json
import textwrap

import pytest
from click.testing import CliRunner
from pydantic import Field, field_validator

import custlens
from custlens import Session, hookimpl
from custlens.analysis import Analysis, Connector, Params
from custlens.answer import Answer, Table
from custlens.cli import cli
from custlens.dataset import RawSource, qi
from custlens.errors import PluginError
from custlens.plugin_manager import DEFAULT_PLUGINS, build_registry, make_plugin_manager


class VipParams(Params):
    top: int = Field(3, ge=1)


class VipAnalysis(Analysis):
    name = "vip"
    title = "VIP list"
    summary = "The customers with the highest spend."
    examples = ["who are the vip customers", "list vip customers", "vip list please"]
    Params = VipParams
    requires = {"transactions": ["customer_id", "amount"]}

    def run(self, dataset, params):
        frame = dataset.query("SELECT customer_id, sum(amount) AS spend FROM transactions GROUP BY 1 "
                              "ORDER BY 2 DESC LIMIT ?", [params.top])
        return Answer(analysis=self.name, title=self.title, summary=f"{len(frame)} VIPs",
                      tables=[Table.from_frame("vip", frame)])


class PipeConnector(Connector):
    """Reads '.pipes' files: 'customer!amount!date' lines."""

    name = "pipes"
    extensions = (".pipes",)

    def open(self, path, con, name, selector=None):
        con.execute(f"CREATE TABLE {qi(name)} AS SELECT * FROM read_csv(?, delim='!', header=true)", [str(path)])
        return [RawSource(path.name, name, str(path), self.name, role="transactions")]


class ThrowawayPlugin:
    @hookimpl
    def register_analyses(self, register):
        register(VipAnalysis())

    @hookimpl
    def register_connectors(self, register):
        register(PipeConnector())


def test_builtins_are_registered_as_plugins():
    pm, errors = make_plugin_manager(entry_points=False)
    assert errors == []
    reg = build_registry(pm)
    assert reg.analyses["overview"].plugin == "custlens.plugins.overview"
    assert {"delimited", "excel", "parquet", "json", "baskets", "database"} <= set(reg.connectors)
    for mod in DEFAULT_PLUGINS:
        assert pm.get_plugin(mod) is not None


def test_throwaway_plugin_analysis_and_connector_through_ask(tmp_path):
    data = tmp_path / "sales.pipes"
    data.write_text("customer!amount!date\nann!10!2024-01-02\nbob!30!2024-01-03\nann!25!2024-02-01\n")
    s = Session(data=[str(data)], plugins=[ThrowawayPlugin()], entry_points=False)
    assert s.dataset.sources[0].raw.connector == "pipes"
    answer = s.ask("who are the VIP customers? top 1")
    assert answer.analysis == "vip"
    assert answer.table("vip").rows == [["ann", 35.0]]
    assert answer.params == {"top": 1}


def test_plugin_folder_and_broken_plugin_reported_by_name(tmp_path):
    (tmp_path / "good.py").write_text(textwrap.dedent("""
        import custlens
        from custlens.analysis import Analysis
        from custlens.answer import Answer

        class Hello(Analysis):
            name = "hello"
            title = "Hello"
            examples = ["say hello to the team"]
            def run(self, dataset, params):
                return Answer(analysis="hello", title="Hello", summary="hello there")

        @custlens.hookimpl
        def register_analyses(register):
            register(Hello())
    """))
    (tmp_path / "broken.py").write_text("import does_not_exist_anywhere\n")
    s = Session(plugins_dirs=[str(tmp_path)], entry_points=False)
    assert "hello" in s.analyses
    assert s.registry.analyses["hello"].plugin == "good"
    assert len(s.plugin_errors) == 1 and "'broken'" in s.plugin_errors[0]
    assert "does_not_exist_anywhere" in s.plugin_errors[0]
    assert s.ask("say hello to the team").summary == "hello there"


def test_plugins_env_variable(tmp_path, monkeypatch):
    (tmp_path / "envplug.py").write_text(
        "import custlens\nfrom custlens.analysis import Analysis\n"
        "class E(Analysis):\n    name='envy'\n    title='Envy'\n    def run(self, d, p): pass\n"
        "@custlens.hookimpl\ndef register_analyses(register):\n    register(E())\n")
    monkeypatch.setenv("CUSTLENS_PLUGINS", str(tmp_path))
    assert "envy" in Session(entry_points=False).analyses


class _FakeEntryPoint:
    def __init__(self, name, target=None, error=None):
        self.name, self._target, self._error, self.dist = name, target, error, None

    def load(self):
        if self._error:
            raise self._error
        return self._target


def test_entry_points_load_one_at_a_time(monkeypatch):
    eps = [_FakeEntryPoint("bad", error=ImportError("missing dependency foo")),
           _FakeEntryPoint("vipplug", target=ThrowawayPlugin())]
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group=None, **kw: eps if group == "custlens" else real(group=group, **kw))
    s = Session()
    assert "vip" in s.analyses and s.registry.analyses["vip"].plugin == "vipplug"
    assert s.plugin_errors == ["plugin 'bad' could not be loaded: ImportError: missing dependency foo"]
    monkeypatch.setenv("CUSTLENS_LOAD_PLUGINS", "")
    assert "vip" not in Session().analyses


class Exploding(Analysis):
    name = "explode"
    title = "Explode"
    examples = ["make it explode now"]

    def run(self, dataset, params):
        return 1 / 0


class ExplodingPlugin:
    @hookimpl
    def register_analyses(self, register):
        register(Exploding())


def test_plugin_raising_at_run_names_the_plugin(orders_csv):
    s = Session(data=[str(orders_csv)], plugins=[ExplodingPlugin()], entry_points=False)
    with pytest.raises(PluginError) as info:
        s.ask("make it explode now")
    assert "ExplodingPlugin" in str(info.value) and "ZeroDivisionError" in str(info.value)
    # the session still answers afterwards
    assert s.ask("total revenue by country").analysis == "overview"


def test_plugin_raising_in_cli_one_line_and_debug_traceback(orders_csv, tmp_path):
    (tmp_path / "boom.py").write_text(
        "import custlens\nfrom custlens.analysis import Analysis\n"
        "class B(Analysis):\n    name='boom'\n    title='Boom'\n    examples=['boom boom kaboom']\n"
        "    def run(self, d, p):\n        raise RuntimeError('kaboom inside')\n"
        "@custlens.hookimpl\ndef register_analyses(register):\n    register(B())\n")
    runner = CliRunner()
    res = runner.invoke(cli, ["ask", "boom boom kaboom", "--data", str(orders_csv), "--plugins", str(tmp_path)])
    assert res.exit_code == 1
    assert "plugin 'boom' failed" in res.output and "kaboom inside" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(cli, ["ask", "boom boom kaboom", "--data", str(orders_csv), "--plugins", str(tmp_path),
                              "--debug"])
    assert res.exit_code == 1 and "Traceback" in res.output


def test_route_question_hook_routes_first(orders_csv):
    from custlens.router import Route

    class AlwaysOverviewByCountry:
        @hookimpl
        def route_question(self, question, session):
            if "secret" in question:
                return Route("overview", {"by": ["country"]})

    s = Session(data=[str(orders_csv)], plugins=[AlwaysOverviewByCountry()], entry_points=False)
    answer = s.ask("the secret question")
    assert answer.table("by_country").rows[0][0] == "Germany"


def test_answer_ready_hook_can_amend_and_a_failing_one_is_a_warning(orders_csv):
    class Stamp:
        @hookimpl
        def answer_ready(self, answer):
            answer.warnings.append("audited")

    class Broken:
        @hookimpl
        def answer_ready(self, answer, session):
            raise ValueError("nope")

    s = Session(data=[str(orders_csv)], plugins=[Stamp(), Broken()], entry_points=False)
    answer = s.ask("top 10 products")
    assert "audited" in answer.warnings
    assert any("failed in answer_ready" in w and "nope" in w for w in answer.warnings)


def test_register_commands_hook_adds_cli_command(monkeypatch):
    import click

    class Cmd:
        @hookimpl
        def register_commands(self, cli):
            @cli.command(name="hello-plugin")
            def hello():
                click.echo("hi from plugin")

    import custlens.cli as cli_mod
    from custlens import plugin_manager

    real = plugin_manager.make_plugin_manager
    monkeypatch.setattr(plugin_manager, "make_plugin_manager",
                        lambda *a, **k: real(*a, **{**k, "extra": [Cmd()]}))
    group = cli_mod.LazyGroup(name="custlens", commands=dict(cli_mod.cli.commands))
    res = CliRunner().invoke(group, ["hello-plugin"])
    assert res.output.strip() == "hi from plugin"


def test_plugins_command_lists_sources_and_versions():
    res = CliRunner().invoke(cli, ["plugins", "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    overview = next(r for r in info["registered"] if r["name"] == "overview")
    assert overview == {"kind": "analysis", "name": "overview", "plugin": "custlens.plugins.overview",
                        "version": custlens.__version__, "hooks": ["register_analyses"]}
    assert {r["name"] for r in info["registered"] if r["kind"] == "connector"} >= {"delimited", "excel", "parquet"}


def test_every_hook_is_documented():
    from custlens import hookspecs

    for name in ("register_connectors", "register_analyses", "register_commands", "route_question", "answer_ready"):
        assert getattr(hookspecs, name).__doc__.strip()


def test_every_hook_signature_is_in_the_plugin_docs():
    import inspect
    from pathlib import Path

    from custlens import hookspecs

    docs = (Path(__file__).parent.parent / "docs" / "plugins.md").read_text()
    for name in ("register_connectors", "register_analyses", "register_commands", "route_question", "answer_ready"):
        params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"### {name}({params})" in docs


def test_a_raising_router_plugin_is_named_and_a_quiet_one_passes(orders_csv):
    class Quiet:
        @hookimpl
        def route_question(self, question):
            return None

    class Loud:
        @hookimpl
        def route_question(self, question, session):
            raise KeyError("no model")

    s = Session(data=[str(orders_csv)], plugins=[Loud(), Quiet()], entry_points=False)
    with pytest.raises(PluginError, match="plugin 'Loud' failed: route_question raised KeyError"):
        s.ask("total revenue by country")
    assert Session(data=[str(orders_csv)], plugins=[Quiet()], entry_points=False).ask(
        "total revenue by country").analysis == "overview"


def test_ask_with_a_named_analysis_reads_only_its_params(orders_csv):
    res = CliRunner().invoke(cli, ["ask", "top 1 by country please", "--analysis", "overview", "--data",
                                   str(orders_csv), "--format", "json"])
    assert res.exit_code == 0, res.output
    answer = Answer.model_validate_json(res.stdout)
    assert answer.params["top"] == 1 and answer.params["by"] == ["country"]
    res = CliRunner().invoke(cli, ["ask", "anything", "--analysis", "nope", "--data", str(orders_csv)])
    assert res.exit_code == 1 and "no analysis named 'nope'" in res.output


class WatchParams(Params):
    mode: str = "list"
    days: int = Field(30, ge=1, le=3650)
    top: int = Field(5, ge=1)

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value):
        """"8 weeks" in days, as a plugin's Params may do for its phrases."""
        if isinstance(value, str) and value.endswith("weeks"):
            return 7 * int(value.split()[0])
        return value


class WatchAnalysis(Analysis):
    name = "watchlist"
    title = "Watch list"
    summary = "Customers to keep an eye on."
    examples = ["who should we keep an eye on", "watch list of customers", "customers to watch closely",
                "put together a watchlist"]
    Params = WatchParams
    phrases = {"mode": {r"\bdigest\b": "digest", r"\bsummary\b": "summary"},
               "days": {r"\bquiet for (?:the )?(?:last |past )?(\d+ weeks)": r"\1", r"\bsilent for (\w+) days": r"\1"},
               "top": {r"\b(\w+) names\b": r"\1"},
               "nope": {r"\bwatch\b": "x"},  # no such param: ignored
               }

    def run(self, dataset, params):
        return Answer(analysis=self.name, title=self.title, summary=f"{params.mode} {params.days} {params.top}")


def test_phrases_set_params_only_their_analysis_knows(orders_csv):
    class Plugin:
        @hookimpl
        def register_analyses(self, register):
            register(WatchAnalysis())

    s = Session(data=[str(orders_csv)], plugins=[Plugin()], entry_points=False)
    a = s.ask("watch list digest of customers quiet for the last 8 weeks", analysis="watchlist")
    assert a.params == {"mode": "digest", "days": 56, "top": 5}
    # the captured "8 weeks" is out before the slots are read: "last 8 weeks" is not also a period
    # (which watchlist would report it cannot use)
    assert not [w for w in a.warnings if "cannot use" in w]
    assert "days=56" in a.understood and "mode=digest" in a.understood
    # a number word becomes its number; the first matching pattern of a param wins
    a = s.ask("watch list summary and digest, four names", analysis="watchlist")
    assert a.params["top"] == 4 and a.params["mode"] == "digest"
    # a value the Params refuses ("many" days) is dropped, not an error; the default stands
    assert s.ask("watch list of customers silent for many days", analysis="watchlist").params["days"] == 30
    # phrases apply only to the analysis picked: overview has no "mode"
    assert "mode" not in s.ask("revenue digest by country", analysis="overview").params
