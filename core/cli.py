"""The ``custlens`` command line. Every command that answers goes through ``Session.ask``.

Heavy libraries load only inside commands, so ``custlens --help`` stays fast.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import traceback
from pathlib import Path

import click

from . import __version__


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(func):
    """Expected errors become one line on stderr and a non-zero exit; anything else too, with the
    traceback only under --debug."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        debug = kwargs.get("debug", False)
        from .errors import CustlensError

        try:
            return func(*args, **kwargs)
        except CustlensError as exc:
            if debug:
                traceback.print_exc()
            _fail(str(exc), exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as exc:  # noqa: BLE001
            if debug:
                traceback.print_exc()
            _fail(f"unexpected {type(exc).__name__}: {exc} (run again with --debug for the traceback)", 1)

    return wrapper


def data_options(func):
    """--data, --demo, --map, --plugins, --debug: the options every data command takes."""
    opts = [
        click.option("--data", "-d", "data", multiple=True, metavar="[ROLE=]PATH",
                     help="A data source: CSV/TSV/text, Excel (file.xlsx#Sheet), Parquet (file, folder, glob), "
                          "JSON, a basket file, a DuckDB/SQLite file (file.db#table). Repeatable. ROLE= forces "
                          "transactions, customers, feedback, events or baskets."),
        click.option("--demo", is_flag=True, help="Use the built-in demo store (generated in memory)."),
        click.option("--map", "maps", multiple=True, metavar="CANONICAL=COLUMN",
                     help="Use a source column as a canonical column, e.g. --map amount=Total. Repeatable."),
        click.option("--plugins", "plugins_dirs", multiple=True, metavar="DIR", type=click.Path(),
                     help="Load plugins from the .py files in DIR (also: CUSTLENS_PLUGINS)."),
        click.option("--engine", metavar="ENGINE", expose_value=False, callback=_keep_engine,
                     help="Where the queries run: duckdb (the default, embedded), "
                          "postgresql://USER@HOST:PORT/DB (then --data pg:SCHEMA.TABLE), spark (a local Spark) "
                          "or sc://HOST:PORT (Spark Connect; then --data spark:DB.TABLE or Parquet/CSV paths). "
                          "Also: engine = \"...\" in custlens.toml."),
        click.option("--debug", is_flag=True, help="Show tracebacks and debug logging."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def _keep_engine(ctx, param, value):
    """--engine, kept for open_session (every data command takes it without a parameter of its own)."""
    ctx.meta["custlens_engine"] = value
    return value


def _engine_option() -> str | None:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("custlens_engine") if ctx is not None else None


def open_session(data, demo, maps, plugins_dirs, debug):
    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    from .session import Session

    session = Session(data=data, demo=demo, maps=maps, plugins_dirs=plugins_dirs, engine=_engine_option())
    for err in session.plugin_errors:
        click.echo(f"warning: {err}", err=True)
    return session


class LazyGroup(click.Group):
    """Adds plugins' commands (register_commands) the first time commands are listed or looked up."""

    _plugins_added = False

    def _add_plugin_commands(self, ctx):
        if self._plugins_added:
            return
        self._plugins_added = True
        from .plugin_manager import make_plugin_manager

        pm, _ = make_plugin_manager(builtins=False)  # built-ins add no commands; load errors show with data commands
        for impl in pm.hook.register_commands.get_hookimpls():
            try:
                impl.function(cli=self)
            except Exception as exc:  # noqa: BLE001
                click.echo(f"warning: plugin {impl.plugin_name!r} failed to add commands: {exc}", err=True)

    def get_command(self, ctx, name):
        cmd = super().get_command(ctx, name)
        if cmd is None:
            self._add_plugin_commands(ctx)
            cmd = super().get_command(ctx, name)
        return cmd

    def list_commands(self, ctx):
        self._add_plugin_commands(ctx)
        return super().list_commands(ctx)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="custlens")
def cli():
    """custlens: ask questions about your customers, offline.

    \b
      custlens chat --demo                      the shell on the built-in demo store
      custlens ask "total revenue by country" --data orders.csv
      custlens describe --data orders.csv       what was recognised in your files
    """


@cli.command()
@click.argument("question")
@data_options
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "json"]), default=None,
              help="Output format (default text, or from --out's extension).")
@click.option("--out", "-o", type=click.Path(dir_okay=False), help="Write the answer (or its tables: .csv, .xlsx) here.")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="Set an analysis parameter, e.g. --param top=20 --param by=country. Repeatable.")
@click.option("--analysis", "-a", help="Run this analysis instead of routing the question.")
@handle_errors
def ask(question, data, demo, maps, plugins_dirs, debug, fmt, out, params, analysis):
    """Answer QUESTION about the data and print it."""
    from .render import render

    session = open_session(data, demo, maps, plugins_dirs, debug)
    parsed = session.parse_params(params)
    answer = session.ask(question, params=parsed, analysis=analysis)
    if out:
        from .export import check_target, export, source_paths

        if fmt:
            check_target(out, source_paths(session.dataset))
            Path(out).write_text(render(answer, fmt), encoding="utf-8")
            written = [out]
        else:
            written = export(answer, out, protect=source_paths(session.dataset))
        click.echo(f"wrote {', '.join(map(str, written))}", err=True)
        return
    click.echo(render(answer, fmt or "text"), nl=False)


@cli.command()
@data_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@handle_errors
def describe(data, demo, maps, plugins_dirs, debug, fmt):
    """Show each source's role and each column's canonical name, and why."""
    session = open_session(data, demo, maps, plugins_dirs, debug)
    info = session.dataset.describe()
    if not info:
        _fail("no data: give --data PATH (or --demo)")
    vocabulary = session.describe_vocabulary()
    if fmt == "json":
        for src in info:  # each source with the [vocabulary] of the custlens.toml beside it
            folder = Path(src["path"]).resolve().parent if not src["path"].startswith("<") else None
            src["vocabulary"] = [e for e in vocabulary if folder and Path(e["file"]).parent == folder]
        click.echo(json.dumps(info, indent=2, default=str))
        return
    from rich.console import Console

    from .render import print_description, print_vocabulary

    console = Console(width=max(100, Console().width))
    console.print(f"Queries run in {session.dataset.engine.label}.")
    print_description(info, console)
    print_vocabulary(vocabulary, console)


@cli.command()
@data_options
@click.option("--history", type=click.Path(dir_okay=False), default=None,
              help="History file (default ~/.custlens_history).")
@handle_errors
def chat(data, demo, maps, plugins_dirs, debug, history):
    """The interactive shell. With stdin not a terminal, reads one question a line."""
    from .shell import Shell

    session = open_session(data, demo, maps, plugins_dirs, debug)
    Shell(session, history=history, debug=debug).run()


@cli.command()
@data_options
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False),
              help="The document to write: report.html (self-contained, charts embedded) or report.md.")
@handle_errors
def report(data, demo, maps, plugins_dirs, debug, out):
    """Write the full customer analysis (every analysis that the data allows) as HTML or Markdown."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    session = open_session(data, demo, maps, plugins_dirs, debug)
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=not console.is_terminal) as bar:
        task = bar.add_task("building the report", total=None)
        session.progress = lambda step, done, total: bar.update(task, description=step, completed=done, total=total)
        answer = session.run("report", {"out": out})
    sections = answer.table("sections").frame
    missing = sections.loc[sections["status"] != "included", "section"].tolist()
    click.echo(f"wrote {out}: {len(sections) - len(missing)} of {len(sections)} sections"
               + (f" (not available: {', '.join(missing)})" if missing else ""), err=True)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--customers", default=5000, show_default=True, help="Number of customers.")
@click.option("--seed", default=42, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
@handle_errors
def demo(directory, customers, seed, fmt):
    """Write the demo store (customers, orders, feedback, touchpoints) to DIRECTORY."""
    import time

    from . import demo as demo_mod

    if customers < 10:
        _fail("--customers must be at least 10")
    t0 = time.perf_counter()
    store = demo_mod.generate(customers=customers, seed=seed)
    try:
        paths = demo_mod.write(store, directory, format=fmt)
    except FileExistsError as exc:
        _fail(str(exc))
    for p in paths:
        click.echo(str(p))
    orders = Path(directory) / f"orders.{fmt}"
    click.echo(f"{customers:,} customers, {len(store.tables['orders']):,} order lines in "
               f"{time.perf_counter() - t0:.1f}s. Try: custlens chat --data {orders}", err=True)


@cli.command()
@click.option("--plugins", "plugins_dirs", multiple=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def plugins(plugins_dirs, as_json):
    """List every analysis and connector, the plugin it came from and its version."""
    from .plugin_manager import build_registry, make_plugin_manager

    pm, errors = make_plugin_manager(list(plugins_dirs))
    reg = build_registry(pm, errors)
    hooks = {}
    for name, plugin in pm.list_name_plugin():
        hooks[name] = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
    rows = [{"kind": kind, "name": n, "plugin": r.plugin, "version": r.version, "hooks": hooks.get(r.plugin, []),
             **({"replaces": r.replaces} if r.replaces else {})}
            for kind, items in (("analysis", reg.analyses), ("connector", reg.connectors)) for n, r in items.items()]
    if as_json:
        click.echo(json.dumps({"registered": rows, "errors": [str(e) for e in reg.errors]}, indent=2))
        return
    for r in rows:
        extra = f"  (replaces {r['replaces']})" if r.get("replaces") else ""
        click.echo(f"{r['kind']:<10} {r['name']:<16} {r['plugin']} {r['version'] or ''}{extra}")
    for e in reg.errors:
        click.echo(f"error      {e}", err=True)


@cli.command("new-plugin")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="The folder to create (default ./NAME); it must not exist.")
@handle_errors
def new_plugin(name, directory):
    """Write a working plugin skeleton NAME: a package with a custlens entry point, one analysis,
    its narrative template, a README and a passing test."""
    from .scaffold import write_plugin

    written = write_plugin(name, directory)
    root = written[0].parent
    for path in written:
        click.echo(str(path))
    click.echo(f"Next: cd {root} && pytest, then pip install -e {root} and custlens plugins. "
               "The guide: docs/plugins.md.", err=True)


@cli.command()
@data_options
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP mode: the address to listen on.")
@click.option("--port", default=3000, show_default=True, help="HTTP mode: the port (Slack posts to /slack/events).")
@click.option("--timeout", default=120.0, show_default=True, help="Seconds an answer may take.")
@handle_errors
def slack(data, demo, maps, plugins_dirs, debug, host, port, timeout):
    """Answer in Slack: app mentions and direct messages, in their thread.

    \b
    Tokens come from the environment: SLACK_BOT_TOKEN, and SLACK_APP_TOKEN for Socket Mode
    (no public URL needed) or else SLACK_SIGNING_SECRET for HTTP mode (Slack posts to
    http://HOST:PORT/slack/events). See "Chat bots" in the README.
    """
    import os

    from .errors import CustlensError

    env = {name: os.environ.get(name, "") for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")}
    if not env["SLACK_BOT_TOKEN"]:
        raise CustlensError("SLACK_BOT_TOKEN is not set: export the app's Bot User OAuth Token (xoxb-...).")
    if not env["SLACK_APP_TOKEN"] and not env["SLACK_SIGNING_SECRET"]:
        raise CustlensError("neither SLACK_APP_TOKEN (Socket Mode: an app-level token, xapp-...) nor "
                            "SLACK_SIGNING_SECRET (HTTP mode: Basic Information > Signing Secret) is set.")
    try:
        from . import slack as slack_mod
    except ImportError as exc:
        raise CustlensError(f"the Slack adapter needs slack-bolt ({exc}): pip install 'custlens[slack]'") from None
    from .assistant import Assistant

    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    assistant = Assistant(data=data, demo=demo, maps=maps, plugins_dirs=plugins_dirs, engine=_engine_option())
    app = slack_mod.build_app(assistant, env["SLACK_BOT_TOKEN"], env["SLACK_SIGNING_SECRET"] or None,
                              timeout=timeout)
    if env["SLACK_APP_TOKEN"]:
        click.echo("custlens: connecting to Slack over Socket Mode", err=True)
        slack_mod.serve_socket_mode(app, env["SLACK_APP_TOKEN"])
    else:
        click.echo(f"custlens: Slack events at http://{host}:{port}/slack/events", err=True)
        slack_mod.serve_http(app, host=host, port=port)


@cli.command()
@data_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Anything but loopback needs --token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="CUSTLENS_TOKEN", default=None,
              help="Clients must send 'Authorization: Bearer TOKEN' (also: CUSTLENS_TOKEN).")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds an answer may take before it is stopped (504).")
@click.option("--max-body", default=64 * 1024, show_default=True, type=click.IntRange(min=1),
              help="Largest request body in bytes (413 beyond).")
@click.option("--max-conversations", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Open conversations kept; the least recently used is closed beyond.")
@click.option("--idle-seconds", default=3600.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="A conversation idle this long is closed (its files removed).")
@click.option("--max-concurrent", default=8, show_default=True, type=click.IntRange(min=1),
              help="Answers (and first chart downloads) computed at once; more get 503 with Retry-After.")
@click.option("--max-memory", default=256, show_default=True, type=click.IntRange(min=1),
              help="MB the answers of all conversations may hold; beyond, the oldest answers' full tables go.")
@click.option("--max-conversations-per-client", default=100, show_default=True, type=click.IntRange(min=1),
              help="Conversations one client address keeps open; its least recently used one is closed beyond.")
@click.option("--max-upload", default=50, show_default=True, type=click.IntRange(min=1),
              help="MB of a data file uploaded from the page (or POST /conversations/{id}/data); 413 beyond.")
@handle_errors
def serve(data, demo, maps, plugins_dirs, debug, host, port, token, timeout, max_body, max_conversations,
          idle_seconds, max_concurrent, max_memory, max_conversations_per_client, max_upload):
    """Serve questions over HTTP: a chat page at / and JSON (the API is described at /docs).
    Without --data or --demo, each conversation loads its data from the page (upload, or the demo)."""
    from .errors import CustlensError
    from .server import check_token, is_loopback
    try:
        check_token(token)
    except CustlensError as exc:
        _fail(f"--token (or CUSTLENS_TOKEN): {exc}", 2)
    if not is_loopback(host) and not token:
        _fail(f"refusing to bind {host} without a token: anyone who can reach it could read your data. "
              "Give --token (or CUSTLENS_TOKEN), or bind 127.0.0.1.", 2)
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, format="%(name)s: %(message)s")
    import uvicorn

    from .assistant import Assistant
    from .server import create_app

    assistant = Assistant(data=data, demo=demo, maps=maps, plugins_dirs=plugins_dirs,
                          max_conversations=max_conversations, idle_seconds=idle_seconds,
                          max_answer_bytes=max_memory * 1024 * 1024, engine=_engine_option())
    for err in assistant.plugin_errors:
        click.echo(f"warning: {err}", err=True)
    app = create_app(assistant, token=token, max_body=max_body, timeout=timeout, max_concurrent=max_concurrent,
                     max_per_client=max_conversations_per_client, max_upload=max_upload * 1024 * 1024)
    if not data and not demo:
        click.echo("custlens: no data given (--data PATH or --demo): each conversation loads its own from the "
                   "page (upload, or the demo) or POST /conversations/{id}/data", err=True)
    click.echo(f"custlens: the chat page is at http://{'[' + host + ']' if ':' in host else host}:{port}/", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="debug" if debug else "info")
    finally:
        assistant.close()


@cli.command()
@data_options
@click.option("--kind", type=click.Choice(["mattermost", "teams"]), required=True,
              help="The chat tool whose outgoing webhook calls this one.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8065, show_default=True)
@click.option("--timeout", type=float, default=None,
              help="Seconds an answer may take (default: 25 for Mattermost, 4.5 for Teams, which waits 5).")
@handle_errors
def webhook(data, demo, maps, plugins_dirs, debug, kind, host, port, timeout):
    """Answer a chat tool's outgoing webhook (Mattermost, Microsoft Teams) at /webhook.

    The webhook's token (Mattermost) or security token (Teams HMAC) comes from the environment
    variable CUSTLENS_WEBHOOK_TOKEN.
    """
    import os

    import uvicorn

    from .assistant import Assistant
    from .errors import CustlensError
    from .webhook import check_secret, create_app

    token = os.environ.get("CUSTLENS_WEBHOOK_TOKEN", "")
    if not token:
        raise CustlensError("CUSTLENS_WEBHOOK_TOKEN is not set: export the token "
                            + ("Teams showed when the outgoing webhook was created." if kind == "teams"
                               else "of the Mattermost outgoing webhook."))
    check_secret(kind, token)  # before the data loads
    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    assistant = Assistant(data=data, demo=demo, maps=maps, plugins_dirs=plugins_dirs, engine=_engine_option())
    app = create_app(assistant, kind, token, timeout=timeout)
    click.echo(f"custlens: {kind} webhook at http://{host}:{port}/webhook", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def main(argv=None):
    cli.main(args=argv, prog_name="custlens")


if __name__ == "__main__":  # pragma: no cover
    main()
