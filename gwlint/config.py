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
    """Settings from the configuration file that applies (none yet: see gwlint.configfile)."""
    try:
        from gwlint.configfile import load_file_settings
    except ImportError:
        return {}
    return load_file_settings(paths, opts.get("config_file"), bool(opts.get("isolated")))


def load_settings(paths: Iterable[str], opts: dict[str, Any]) -> dict[str, Any]:
    """Merge defaults, configuration file and command line into one settings dict."""
    settings = defaults()
    settings.update(file_settings(paths, opts))
    for key in ("select", "ignore", "extend_select", "exclude", "assume_exists",
                "gateway_classes", "report_only"):
        cli = _split(opts.get(key))
        if cli:
            if key in ("exclude", "assume_exists", "gateway_classes", "extend_select"):
                settings[key] = list(settings[key]) + cli
            else:
                settings[key] = cli
    if opts.get("scopes"):
        settings["scopes"] = list(settings["scopes"]) + list(opts["scopes"])
    for key in ("gateway_api_version", "channel", "default_namespace", "max_file_size"):
        if opts.get(key):
            settings[key] = opts[key]
    if opts.get("fail_on"):
        settings["fail_on"] = Severity.parse(opts["fail_on"])
    return settings
