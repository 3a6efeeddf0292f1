"""Settings: command-line options merged over configuration files (CLI wins)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gwlint.findings import Severity


class ConfigError(Exception):
    """A configuration problem: reported as `gwlint: error: ...` with exit code 2."""


def _split(values: Any) -> list[str]:
    """Repeatable options that also accept comma-separated lists."""
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    return [v.strip() for value in values for v in str(value).split(",") if v.strip()]


def defaults() -> dict[str, Any]:
    return {
        "select": [], "ignore": [], "extend_select": [], "exclude": [], "scopes": [],
        "severity": {}, "rule_options": {}, "per_file_ignores": {},
        "gateway_api_version": None, "channel": None, "default_namespace": "default",
        "assume_exists": [], "gateway_classes": [], "fail_on": Severity.ERROR,
        "max_file_size": None, "report_only": [],
    }


def file_settings(paths: Iterable[str], opts: dict[str, Any]) -> dict[str, Any]:
    """Settings from the configuration file that applies (see gwlint.configfile)."""
    from gwlint.configfile import load_file_settings

    paths = [p for p in paths if p != "-"]
    if not paths and opts.get("stdin_filename"):
        paths = [str(opts["stdin_filename"])]  # stdin: look for the configuration of its name
    return load_file_settings(paths, opts.get("config_file"), bool(opts.get("isolated")))


def load_settings(paths: Iterable[str], opts: dict[str, Any]) -> dict[str, Any]:
    """Merge defaults, configuration file and command line into one settings dict."""
    settings = defaults()
    settings.update(file_settings(paths, opts))
    # Rule selection layers like ruff's: a command-line --select starts a new selection (the
    # file's select, ignore and extend-select no longer apply); without it, the command line's
    # --ignore and --extend-select add to the file's.
    if _split(opts.get("select")):
        settings["select"] = _split(opts.get("select"))
        settings["ignore"] = _split(opts.get("ignore"))
        settings["extend_select"] = _split(opts.get("extend_select"))
    else:
        for key in ("ignore", "extend_select"):
            settings[key] = list(settings[key]) + _split(opts.get(key))
    for key in ("exclude", "assume_exists", "gateway_classes", "report_only"):
        cli = _split(opts.get(key))
        if cli:
            settings[key] = list(settings[key]) + cli
    if opts.get("scopes"):
        settings["scopes"] = list(settings["scopes"]) + list(opts["scopes"])
    for key in ("gateway_api_version", "channel", "default_namespace", "max_file_size"):
        if opts.get(key):
            settings[key] = opts[key]
    if opts.get("fail_on"):
        settings["fail_on"] = Severity.parse(opts["fail_on"])
    return settings
