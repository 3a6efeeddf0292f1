"""Settings: command-line options merged over configuration files (CLI wins), as one `LintConfig`.

`build_config` is the one path from the command line to the engine: click's option values and
the configuration file that applies (see `gwlint.configfile`) become a typed `LintConfig`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gwlint import implementations
from gwlint.budget import MAX_FINDINGS_PER_FILE
from gwlint.configfile import ConfigError, load_file_settings
from gwlint.discover import DEFAULT_MAX_FILE_SIZE, read_bounded
from gwlint.findings import Severity
from gwlint.model import DEFAULT_NAMESPACE

__all__ = ["ConfigError", "LintConfig", "build_config", "defaults", "load_settings"]


@dataclass
class LintConfig:
    """Resolved settings for one run (from the CLI and configuration files)."""

    paths: list[str] = field(default_factory=lambda: ["."])
    stdin_text: str | None = None
    stdin_filename: str = "<stdin>"
    exclude: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    gateway_api_version: str | None = None
    channel: str | None = None
    default_namespace: str = DEFAULT_NAMESPACE
    assume_exists: list[str] = field(default_factory=list)
    gateway_classes: list[str] = field(default_factory=list)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_findings_per_file: int = MAX_FINDINGS_PER_FILE  # of one rule; then a summary (0: all)
    jobs: int | None = None  # processes; None: automatic (GWLINT_JOBS, else up to the cores)
    tracked_only: bool = False  # in a Git work tree: only the index's files (pre-commit hooks)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> selectors
    report_files: list[str] | None = None  # only report on these files (pre-commit staged files)
    fail_on: Severity = Severity.ERROR  # lowest severity that makes the exit code 1
    helm: str | None = None  # helm binary for charts (None: `helm` on PATH; "": never render)
    helm_values: list[str] = field(default_factory=list)  # --values files for every chart
    kustomize: str | None = None  # kustomize binary for roots with unsupported features
    implementation: str | None = None  # NAME[@VERSION] (checked: a bundled report exists)


def _split(values: Any) -> list[str]:
    """Repeatable options that also accept comma-separated lists."""
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    return [v.strip() for value in values for v in str(value).split(",") if v.strip()]


# Settings whose default is LintConfig's own (written once, there).
_CONFIG_DEFAULTS = ("select", "ignore", "extend_select", "exclude", "scopes", "severity",
                    "rule_options", "per_file_ignores", "gateway_api_version", "channel",
                    "default_namespace", "assume_exists", "gateway_classes", "fail_on",
                    "implementation")


def defaults() -> dict[str, Any]:
    """The settings before any configuration file or option: LintConfig's defaults; the limits
    are None until a file or option sets one (LintConfig's value stays), `report_only` a list."""
    config = LintConfig()
    settings = {key: getattr(config, key) for key in _CONFIG_DEFAULTS}
    settings.update(max_file_size=None, max_findings_per_file=None, report_only=[])
    return settings


def file_settings(paths: Iterable[str], opts: dict[str, Any]) -> dict[str, Any]:
    """Settings from the configuration file that applies (see gwlint.configfile)."""
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
    for key in ("gateway_api_version", "channel", "default_namespace", "max_file_size",
                "implementation"):
        if opts.get(key):
            settings[key] = opts[key]
    if opts.get("fail_on"):
        settings["fail_on"] = Severity.parse(opts["fail_on"])
    if opts.get("max_findings_per_file") is not None:  # 0 is a value: no limit
        settings["max_findings_per_file"] = opts["max_findings_per_file"]
    return settings


def build_config(paths: Iterable[str], opts: dict[str, Any]) -> LintConfig:
    """The LintConfig of a command line: PATH arguments and click's option values (keyed by
    parameter name) merged over the configuration file. A '-' path reads standard input here,
    bounded by the size limit (never an endless stream)."""
    paths = tuple(paths)
    settings = load_settings(paths, opts)
    config = LintConfig(
        paths=[p for p in paths if p != "-"] or ([] if "-" in paths else ["."]),
        exclude=settings["exclude"], scopes=settings["scopes"],
        select=settings["select"], ignore=settings["ignore"],
        extend_select=settings["extend_select"], severity=settings["severity"],
        gateway_api_version=settings["gateway_api_version"], channel=settings["channel"],
        default_namespace=settings["default_namespace"],
        assume_exists=settings["assume_exists"], gateway_classes=settings["gateway_classes"],
        rule_options=settings["rule_options"], per_file_ignores=settings["per_file_ignores"],
        report_files=settings["report_only"] or None,
        stdin_filename=opts.get("stdin_filename") or "<stdin>", fail_on=settings["fail_on"],
        implementation=settings["implementation"], jobs=opts.get("jobs") or None,
        tracked_only=bool(opts.get("tracked_only")))
    if config.implementation:
        implementations.resolve(config.implementation)  # unknown name or version: usage error
    if settings["max_file_size"]:
        config.max_file_size = settings["max_file_size"]
    if settings["max_findings_per_file"] is not None:
        config.max_findings_per_file = settings["max_findings_per_file"]
    config.helm = opts.get("helm")
    config.helm_values = list(opts.get("helm_values") or ())
    config.kustomize = opts.get("kustomize")
    if "-" in paths:
        data = read_bounded(sys.stdin.buffer, config.max_file_size)  # never max+1 at once
        config.stdin_text = data.decode("utf-8", "surrogateescape")
    return config
