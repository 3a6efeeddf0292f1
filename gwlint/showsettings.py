"""`gwlint --show-settings`: the effective settings of a run and where each value comes from
(the command line, the configuration file and line, an environment variable, or the default),
as ruff's `--show-settings` does, so that "why does gwlint do that here" has an answer.

The sources follow `gwlint.config.load_settings`: a command-line `--select` starts a new
selection; `--ignore`, `--extend-select`, `--exclude`, `--assume-exists`, `--gateway-class` and
`--scope` add to the file's; every other option replaces the file's value.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from gwlint.config import LintConfig
from gwlint.configfile import config_path, key_lines, shadowed
from gwlint.parallel import available_cores
from gwlint.source import display_path

# setting (LintConfig field) -> (configuration-file key, command-line option)
_SETTINGS: dict[str, tuple[str | None, str | None]] = {
    "paths": (None, "PATH"),
    "select": ("select", "--select"),
    "ignore": ("ignore", "--ignore"),
    "extend_select": ("extend-select", "--extend-select"),
    "exclude": ("exclude", "--exclude"),
    "scopes": ("scopes", "--scope"),
    "per_file_ignores": ("per-file-ignores", None),
    "severity": ("severity", None),
    "rule_options": ("rules", None),
    "gateway_api_version": ("gateway-api", "--gateway-api-version"),
    "channel": ("gateway-api", "--channel"),
    "default_namespace": ("default-namespace", "--default-namespace"),
    "assume_exists": ("assume-exists", "--assume-exists"),
    "gateway_classes": ("gateway-classes", "--gateway-class"),
    "fail_on": ("fail-on", "--fail-on"),
    "max_file_size": ("max-file-size", "--max-file-size"),
    "max_findings_per_file": ("max-findings-per-file", "--max-findings-per-file"),
    "implementation": ("implementation", "--implementation"),
    "report_files": (None, "--report-only"),
    "tracked_only": (None, "--tracked-only"),
    "jobs": (None, "--jobs"),
    "stdin_filename": (None, "--stdin-filename"),
}
_SHOWN = {"rule_options": "rules", "report_files": "report-only"}  # the names users write
_ADDITIVE = {"exclude", "scopes", "assume_exists", "gateway_classes", "ignore", "extend_select"}
_OPTION_KEYS = {"scopes": "scopes", "gateway_classes": "gateway_classes",
                "report_files": "report_only"}  # setting -> click parameter name where different


def _value(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=str)
    if value is None:
        return "none"
    return str(value)


def _given(value: Any) -> bool:
    """Whether a command-line value was given (repeatable options: any non-empty item)."""
    if isinstance(value, (list, tuple)):
        return any(str(v).strip(", ") for v in value)
    return bool(value)


def _cli_given(name: str, opts: dict[str, Any], paths: tuple[str, ...]) -> bool:
    if name == "paths":
        return bool(paths)
    return _given(opts.get(_OPTION_KEYS.get(name, name)))


def sources(config: LintConfig, paths: tuple[str, ...], opts: dict[str, Any],
            path: Path | None) -> list[tuple[str, str, str]]:
    """(setting, value, source) of every setting."""
    lines = key_lines(path) if path is not None else {}
    shown = display_path(path) if path is not None else ""
    selecting = _given(opts.get("select"))
    rows = []
    for name, (key, option) in _SETTINGS.items():
        from_cli = option is not None and _cli_given(name, opts, paths)
        line = lines.get(key) if key is not None else None
        in_file = line is not None and not (
            selecting and name in ("select", "ignore", "extend_select"))
        where = []
        if in_file and (not from_cli or name in _ADDITIVE):
            where.append(f"{shown}:{line}")
        if from_cli:
            where.append(f"command line ({option})")
        if name == "jobs" and not from_cli:
            env = os.environ.get("GWLINT_JOBS", "")
            where.append("GWLINT_JOBS" if env.isdigit() else
                         f"default: one process per core ({available_cores()} here) for large "
                         "inputs, small ones in one")
        value = getattr(config, name)
        shown_value = "auto" if name == "jobs" and value is None else _value(value)
        rows.append((_SHOWN.get(name, name.replace("_", "-")), shown_value,
                     ", ".join(where) or "default"))
    return rows


def render(config: LintConfig, paths: tuple[str, ...], opts: dict[str, Any]) -> str:
    path = config_path(paths, opts.get("config_file"), bool(opts.get("isolated")))
    if path is None:
        head = ("configuration file: none (--isolated)" if opts.get("isolated") else
                "configuration file: none found (defaults and the command line)")
    else:
        head = f"configuration file: {display_path(path)}"
        if not opts.get("config_file"):
            head += " (the nearest to the first PATH)"
    rows = sources(config, paths, opts, path)
    width = max(len(r[0]) for r in rows)
    value_width = min(max(len(r[1]) for r in rows), 40)
    out = [head]
    for name, value, source in rows:
        out.append(f"{name:<{width}} = {value:<{value_width}}  # {source}")
    return "\n".join(out) + "\n"


def shadow_warning(path: Path, other: Path) -> str:
    what = f"{display_path(other)} ([tool.gwlint])" if other.suffix == ".toml" else \
        display_path(other)
    return (f"warning: both {display_path(path)} and {what} configure gwlint; "
            f"{display_path(path)} wins and {what} is ignored")


def warnings(paths: tuple[str, ...], opts: dict[str, Any]) -> list[str]:
    """Configuration files that are present but ignored (run on every lint)."""
    if opts.get("config_file") or opts.get("isolated"):
        return []
    path = config_path(paths, None, False)
    return [shadow_warning(path, other) for other in shadowed(path)] if path else []
