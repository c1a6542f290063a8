"""Building the plugin manager and collecting what plugins register.

Built-in analyses and connectors are ordinary plugins listed in DEFAULT_PLUGINS and registered
exactly like outside ones. Outside plugins come from the ``custlens`` entry-point group and from
plugin folders (``--plugins DIR`` or the ``CUSTLENS_PLUGINS`` environment variable, several
folders separated by ``os.pathsep``). Each outside plugin loads on its own: one that fails is
recorded with its name and the rest keep working.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs

log = logging.getLogger("custlens.plugin_manager")

DEFAULT_PLUGINS: tuple[str, ...] = (
    "custlens.connectors.delimited",
    "custlens.connectors.baskets",
    "custlens.connectors.excel",
    "custlens.connectors.parquet",
    "custlens.connectors.json",
    "custlens.connectors.database",
    # the analyses, in the order a customer analysis goes (seed 000): data, segments, behaviour, value, guides
    "custlens.plugins.overview",
    "custlens.plugins.segmentation",
    "custlens.plugins.persona",
    "custlens.plugins.basket",
    "custlens.plugins.clv",
    "custlens.plugins.cohort",
    "custlens.plugins.churn",
    "custlens.plugins.loyalty",
    "custlens.plugins.journey",
    "custlens.plugins.profitability",
    "custlens.plugins.feedback",
    "custlens.plugins.five_forces",
    "custlens.plugins.spin",
    "custlens.plugins.report",
)

ENTRY_POINT_GROUP = "custlens"
PLUGINS_ENV = "CUSTLENS_PLUGINS"
#: set to a comma-separated list of entry-point names to load only those, or to "" for none
LOAD_ENV = "CUSTLENS_LOAD_PLUGINS"


@dataclass
class LoadError:
    plugin: str
    message: str
    exc: BaseException | None = None

    def __str__(self) -> str:
        return f"plugin {self.plugin!r} could not be loaded: {self.message}"


@dataclass
class Registered:
    """Something a plugin registered, with where it came from."""

    obj: Any
    plugin: str
    version: str | None = None
    replaces: str | None = None


@dataclass
class Registry:
    pm: pluggy.PluginManager
    analyses: dict[str, Registered] = field(default_factory=dict)
    connectors: dict[str, Registered] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)


def _version(plugin: object) -> str | None:
    name = getattr(plugin, "__name__", "")
    if name.startswith("custlens."):
        from . import __version__

        return __version__
    dist = getattr(plugin, "__custlens_dist__", None)
    return dist.version if dist is not None else None


def _load_folder(pm: pluggy.PluginManager, folder: Path, errors: list[LoadError]) -> None:
    if not folder.is_dir():
        errors.append(LoadError(str(folder), "plugins folder does not exist"))
        return
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = f"custlens_local_{path.stem}"
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            pm.register(module, name=path.stem)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the others
            sys.modules.pop(name, None)
            errors.append(LoadError(path.stem, f"{type(exc).__name__}: {exc} ({path})", exc))
            log.debug("plugin %s failed to load", path, exc_info=True)


def _load_entry_points(pm: pluggy.PluginManager, errors: list[LoadError]) -> None:
    allowed = os.environ.get(LOAD_ENV)
    allow = None if allowed is None else {a.strip() for a in allowed.split(",") if a.strip()}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if allow is not None and ep.name not in allow:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
            if ep.dist is not None:
                try:
                    plugin.__custlens_dist__ = ep.dist
                except (AttributeError, TypeError):
                    pass
            pm.register(plugin, name=ep.name)
        except Exception as exc:  # noqa: BLE001
            errors.append(LoadError(ep.name, f"{type(exc).__name__}: {exc}", exc))
            log.debug("entry point %s failed to load", ep.name, exc_info=True)


def make_plugin_manager(plugins_dirs: list[str | Path] | None = None, entry_points: bool = True,
                        extra: list[object] | None = None,
                        builtins: bool = True) -> tuple[pluggy.PluginManager, list[LoadError]]:
    """A fresh plugin manager with the built-ins, entry points, plugin folders and ``extra``
    plugin objects registered. Returns it with the load errors (never raises for a plugin).
    ``builtins=False`` leaves out DEFAULT_PLUGINS (the CLI does, to find outside plugins' commands
    without importing every analysis)."""
    pm = pluggy.PluginManager("custlens")
    pm.add_hookspecs(hookspecs)
    errors: list[LoadError] = []
    for modname in DEFAULT_PLUGINS if builtins else ():
        pm.register(importlib.import_module(modname), name=modname)
    if entry_points:
        _load_entry_points(pm, errors)
    folders = [Path(p) for p in (plugins_dirs or [])]
    env = os.environ.get(PLUGINS_ENV)
    if env:
        folders += [Path(p) for p in env.split(os.pathsep) if p]
    for folder in folders:
        _load_folder(pm, folder, errors)
    for plugin in extra or []:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        while pm.get_plugin(name) is not None:
            name += "_"
        pm.register(plugin, name=name)
    if os.environ.get("CUSTLENS_TRACE_HOOKS"):
        pm.trace.root.setwriter(lambda msg: log.warning("%s", msg.rstrip()))
        pm.enable_tracing()
    return pm, errors


def _collect(pm: pluggy.PluginManager, hook_name: str, kind: str, into: dict[str, Registered],
             errors: list[LoadError]) -> None:
    hook = getattr(pm.hook, hook_name)
    # get_hookimpls() lists in registration order: built-ins first, so outside plugins may replace them
    for impl in hook.get_hookimpls():
        plugin_name = impl.plugin_name
        version = _version(impl.plugin)

        def register(obj: Any, _plugin=plugin_name, _version=version) -> None:
            name = getattr(obj, "name", None)
            if not isinstance(name, str) or not name:
                raise TypeError(f"{kind} {obj!r} has no name")
            previous = into.get(name)
            into[name] = Registered(obj, _plugin, _version,
                                    replaces=previous.plugin if previous else None)

        try:
            impl.function(register=register)
        except Exception as exc:  # noqa: BLE001
            errors.append(LoadError(plugin_name, f"{hook_name} raised {type(exc).__name__}: {exc}", exc))
            log.debug("%s of %s failed", hook_name, plugin_name, exc_info=True)


def build_registry(pm: pluggy.PluginManager, errors: list[LoadError] | None = None) -> Registry:
    """Ask every plugin for its analyses and connectors, recording who registered what."""
    registry = Registry(pm, errors=list(errors or []))
    _collect(pm, "register_connectors", "connector", registry.connectors, registry.errors)
    _collect(pm, "register_analyses", "analysis", registry.analyses, registry.errors)
    for name, reg in list(registry.analyses.items()):
        problem = _check_analysis(reg.obj)
        if problem:
            registry.errors.append(LoadError(reg.plugin, f"analysis {name!r} {problem}"))
            del registry.analyses[name]
    return registry


def _check_analysis(obj: Any) -> str | None:
    from pydantic import BaseModel

    for attr in ("title", "run"):
        if not hasattr(obj, attr):
            return f"has no {attr}"
    params = getattr(obj, "Params", None)
    if not (isinstance(params, type) and issubclass(params, BaseModel)):
        return "has no pydantic Params model"
    return None
