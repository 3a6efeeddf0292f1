"""Configuration files: `.gwlint.yaml` / `.gwlint.yml`, or `[tool.gwlint]` in `pyproject.toml`.

Which file applies: `--config FILE`; else the nearest configuration walking up from the directory of
the first PATH (or of `--stdin-filename`, or the current directory) and stopping at the repository
root (the directory that contains `.git`). In one directory `.gwlint.yaml` wins over `.gwlint.yml`,
which wins over a `pyproject.toml` that has a `[tool.gwlint]` table (a pyproject.toml without one is
not a gwlint configuration: the walk goes on). `--isolated` ignores every configuration file.

Keys are kebab-case. Every problem (unknown key, wrong type, unknown rule or option, bad severity)
is a `ConfigError` naming the file and line, e.g.
`.gwlint.yaml:3: unknown key 'selec' (did you mean 'select'?)`: a typo must never silently lint
with other settings than the author meant.

Paths in the file (`exclude`, `scopes`, `per-file-ignores` globs) are relative to the file's
directory. Reports and the discovery stage match display paths, which are relative to the current
directory, so the globs are rebased here: running gwlint from a subdirectory (or from above the
configuration's directory) matches the same files as running it next to the configuration.
A glob without a slash (`*.tmpl.yaml`, `vendor/`) matches a file or directory name at any depth
and needs no rebasing.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gwlint.findings import Severity

CONFIG_NAMES = (".gwlint.yaml", ".gwlint.yml")
PYPROJECT = "pyproject.toml"

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


class ConfigError(Exception):
    """A configuration problem: reported as `gwlint: error: ...` with exit code 2."""


@dataclass
class _Item:
    """A configuration value with the line it was written on (mappings: the key's line)."""

    value: Any  # scalar, list[_Item] or dict[str, _Item]
    line: int


class _File:
    """One configuration file being read: where it is and how to name it in errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = Path(os.path.abspath(path)).parent
        self.shown = _shown(path)

    def error(self, line: int, message: str) -> ConfigError:
        return ConfigError(f"{self.shown}:{line}: {message}")


def _shown(path: Path) -> str:
    from gwlint.source import display_path

    return display_path(path)


# --- finding the file --------------------------------------------------------------------------
def _start_directory(paths: Iterable[str]) -> Path:
    for p in paths:
        if p and p != "-":
            path = Path(os.path.abspath(p))
            return path if path.is_dir() else path.parent
    return Path(os.getcwd())


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*gwlint\s*[\].]|^\s*tool\s*\.\s*gwlint\s*[.=]", text,
                     re.MULTILINE) is not None


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from `start` up to the repository root (or `/`)."""
    directory = start
    while True:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        candidate = directory / PYPROJECT
        if candidate.is_file() and _has_tool_table(candidate):
            return candidate
        if (directory / ".git").exists():
            return None
        parent = directory.parent
        if parent == directory:
            return None
        directory = parent


def load_file_settings(paths: Iterable[str], config_file: str | None,
                       isolated: bool) -> dict[str, Any]:
    """Settings (keys of gwlint.config.defaults()) from the configuration file that applies."""
    if isolated:
        if config_file:
            raise ConfigError("--config and --isolated cannot be used together")
        return {}
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"configuration file {config_file} not found")
    else:
        found = find_config(_start_directory(paths))
        if found is None:
            return {}
        path = found
    return parse_config(path)


# --- reading -----------------------------------------------------------------------------------
def parse_config(path: Path) -> dict[str, Any]:
    """Read and validate one configuration file."""
    cfg = _File(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration file {cfg.shown}: {exc}") from None
    if path.suffix == ".toml":
        root = _read_toml(cfg, text)
    else:
        root = _read_yaml(cfg, text)
    if root is None:
        return {}
    return _settings(cfg, root)


def _read_yaml(cfg: _File, text: str) -> _Item | None:
    import yaml

    from gwlint.loader import nesting_ok

    if not nesting_ok(text):
        raise cfg.error(1, "configuration nested too deeply")
    if "&" in text and "*" in text and yaml.__with_libyaml__:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise cfg.error(event.start_mark.line + 1,
                                "YAML aliases are not supported in gwlint configuration")
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise cfg.error(line, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise cfg.error(1, f"invalid YAML: {exc}") from None
    if node is None:
        return None
    item = _from_node(cfg, node, yaml.constructor.SafeConstructor())
    if item.value is None:
        return None
    return item


def _from_node(cfg: _File, node: Any, constructor: Any, depth: int = 0) -> _Item:
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    line = node.start_mark.line + 1
    if depth > 20:
        raise cfg.error(line, "configuration nested too deeply")
    if isinstance(node, MappingNode):
        out: dict[str, _Item] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise cfg.error(key_line, "keys must be plain strings")
            key = str(constructor.construct_object(key_node))
            if key in out:
                raise cfg.error(key_line, f"duplicate key '{key}'")
            value = _from_node(cfg, value_node, constructor, depth + 1)
            out[key] = _Item(value.value, key_line)
        return _Item(out, line)
    if isinstance(node, SequenceNode):
        return _Item([_from_node(cfg, n, constructor, depth + 1) for n in node.value], line)
    try:
        return _Item(constructor.construct_object(node), line)
    except Exception as exc:  # noqa: BLE001 - e.g. a custom tag: a configuration error
        raise cfg.error(line, f"unsupported value: {exc}") from None


def _read_toml(cfg: _File, text: str) -> _Item | None:
    import tomllib

    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise cfg.error(1, "configuration nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else 1
        if not m and "end of document" in str(exc):
            line = max(len(text.splitlines()), 1)
        raise cfg.error(line, f"invalid TOML: {exc}") from None
    lines = text.splitlines()
    table = data.get("tool", {}).get("gwlint") if isinstance(data.get("tool"), dict) else None
    if table is None:
        if cfg.path.name == PYPROJECT:
            raise cfg.error(1, "no [tool.gwlint] table")
        table, prefix = data, ()
    else:
        prefix = ("tool", "gwlint")
    if not isinstance(table, dict):
        raise cfg.error(1, "[tool.gwlint] must be a table")
    return _from_toml(table, prefix, lines, _toml_line(lines, prefix, None, 1))


def _from_toml(value: Any, path: tuple, lines: list[str], line: int) -> _Item:
    if isinstance(value, dict):
        return _Item({str(k): _from_toml(v, path + (str(k),), lines,
                                         _toml_line(lines, path, str(k), line))
                      for k, v in value.items()}, line)
    if isinstance(value, list):
        return _Item([_from_toml(v, path, lines, line) for v in value], line)
    return _Item(value, line)


def _toml_line(lines: list[str], table: tuple, key: str | None, fallback: int) -> int:
    """Best-effort line of `key` inside table `table` (tomllib keeps no positions)."""
    def quoted(name: str) -> str:
        return rf'(?:{re.escape(name)}|"{re.escape(name)}"|\'{re.escape(name)}\')'

    parts = list(table) + ([key] if key else [])
    header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(quoted(p) for p in parts) + r"\s*\]")
    for i, text in enumerate(lines):
        if header.match(text):
            return i + 1
    if key is None:
        return fallback
    assignment = re.compile(r"^\s*(?:[\w\"'.-]+\s*\.\s*)*" + quoted(key) + r"\s*=|[{,]\s*"
                            + quoted(key) + r"\s*=")
    for i in range(max(fallback - 1, 0), len(lines)):
        if assignment.search(lines[i]):
            return i + 1
    return fallback


# --- validation --------------------------------------------------------------------------------
def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _strings(cfg: _File, item: _Item, key: str) -> list[str]:
    """A list of strings; a single (comma-separated) string is accepted as on the command line."""
    if isinstance(item.value, str):
        return [v.strip() for v in item.value.split(",") if v.strip()]
    if not isinstance(item.value, list):
        raise cfg.error(item.line, f"'{key}' must be a list of strings")
    out = []
    for sub in item.value:
        if not isinstance(sub.value, str) or not sub.value.strip():
            raise cfg.error(sub.line, f"'{key}' must be a list of strings, got {sub.value!r}")
        out.append(sub.value.strip())
    return out


def _selectors(cfg: _File, item: _Item, key: str) -> list[str]:
    from gwlint.registry import unknown_selectors

    values = _strings(cfg, item, key)
    for sub, value in zip(_lines_of(item, len(values)), values):
        if unknown_selectors([value]):
            raise cfg.error(sub, f"unknown rule selector '{value}' in '{key}' (see `gwlint rules`)")
    return values


def _lines_of(item: _Item, n: int) -> list[int]:
    if isinstance(item.value, list):
        return [sub.line for sub in item.value]
    return [item.line] * n


def _mapping(cfg: _File, item: _Item, key: str) -> dict[str, _Item]:
    if not isinstance(item.value, dict):
        raise cfg.error(item.line, f"'{key}' must be a mapping")
    return item.value


def _severity(cfg: _File, item: _Item, key: str) -> Severity:
    if not isinstance(item.value, str):
        raise cfg.error(item.line, f"'{key}' must be one of error, warning, info")
    try:
        return Severity.parse(item.value)
    except ValueError:
        raise cfg.error(item.line, f"unknown severity '{item.value}' in '{key}': use error, "
                        "warning or info") from None


def _rule_codes(selector: str) -> list[str]:
    from gwlint.registry import all_rules

    sel = selector.strip()
    if sel.upper() == "ALL":
        return [r.code for r in all_rules()]
    return [r.code for r in all_rules()
            if r.code.startswith(sel.upper()) or r.name == sel.lower() or r.category == sel.lower()]


def _severity_map(cfg: _File, item: _Item, key: str) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    for selector, sub in _mapping(cfg, item, key).items():
        codes = _rule_codes(selector)
        if not codes:
            raise cfg.error(sub.line, f"unknown rule selector '{selector}' in '{key}'")
        level = _severity(cfg, sub, f"{key}.{selector}")
        for code in codes:
            out[code] = level
    return out


def _rule_options(cfg: _File, item: _Item, key: str) -> dict[str, dict[str, Any]]:
    from gwlint.registry import all_rules, get_rule

    out: dict[str, dict[str, Any]] = {}
    for name, sub in _mapping(cfg, item, key).items():
        rule = get_rule(name)
        if rule is None:
            choices = [r.code for r in all_rules()] + [r.name for r in all_rules()]
            raise cfg.error(sub.line, f"unknown rule '{name}' in '{key}'"
                            + _did_you_mean(name, choices))
        options = out.setdefault(rule.code, {})
        for opt, value in _mapping(cfg, sub, f"{key}.{name}").items():
            declared = next((o for o in rule.options
                             if opt in (o, o.replace("_", "-"))), None)
            if declared is None:
                known = ", ".join(o.replace("_", "-") for o in rule.options) or "none"
                raise cfg.error(value.line, f"unknown option '{opt}' for rule {rule.code} "
                                f"{rule.name}" + _did_you_mean(opt.replace("_", "-"), [
                                    o.replace("_", "-") for o in rule.options])
                                + f" (options: {known})")
            options[declared] = _option_value(cfg, value, rule.options[declared],
                                              f"{rule.code}.{opt}")
    return out


def _plain(item: _Item) -> Any:
    if isinstance(item.value, list):
        return [_plain(v) for v in item.value]
    if isinstance(item.value, dict):
        return {k: _plain(v) for k, v in item.value.items()}
    return item.value


def _option_value(cfg: _File, item: _Item, default: Any, where: str) -> Any:
    value = _plain(item)
    if default is None:
        return value
    expected: tuple[type, ...]
    if isinstance(default, bool):
        ok, expected = isinstance(value, bool), (bool,)
    elif isinstance(default, int):
        ok, expected = isinstance(value, int) and not isinstance(value, bool), (int,)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        expected = (float,)
    else:
        expected = (type(default),)
        ok = isinstance(value, type(default))
    if not ok:
        raise cfg.error(item.line, f"option {where} must be {_type_name(expected[0])}, "
                        f"got {value!r}")
    if isinstance(default, list) and default and all(isinstance(d, str) for d in default):
        if not all(isinstance(v, str) for v in value):
            raise cfg.error(item.line, f"option {where} must be a list of strings")
    return float(value) if isinstance(default, float) else value


def _type_name(t: type) -> str:
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string",
            list: "a list", dict: "a mapping"}.get(t, t.__name__)


def _namespace(cfg: _File, item: _Item, key: str) -> str:
    if not isinstance(item.value, str) or not _DNS_LABEL.match(item.value):
        raise cfg.error(item.line, f"'{key}' must be a namespace name (a DNS label), "
                        f"got {item.value!r}")
    return item.value


def _positive_int(cfg: _File, item: _Item, key: str) -> int:
    if not isinstance(item.value, int) or isinstance(item.value, bool) or item.value < 1:
        raise cfg.error(item.line, f"'{key}' must be a positive integer (bytes), "
                        f"got {item.value!r}")
    return item.value


def _assume(cfg: _File, item: _Item, key: str) -> list[str]:
    values = _strings(cfg, item, key)
    for line, value in zip(_lines_of(item, len(values)), values):
        if not 2 <= len(value.split("/")) <= 3 or not all(value.split("/")):
            raise cfg.error(line, f"'{key}' entries are KIND/NAMESPACE/NAME or KIND/NAME globs, "
                            f"got '{value}'")
    return values


def _gateway_api(cfg: _File, item: _Item, key: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for sub_key, sub in _mapping(cfg, item, key).items():
        if sub_key == "version":
            value = sub.value
            if not isinstance(value, str):  # `version: 1.10` would be the number 1.1
                raise cfg.error(sub.line, f"'{key}.version' must be a string like 'v1.4' "
                                f"(quote it), got {value!r}")
            try:
                from gwlint.schema import resolve_version

                resolve_version(value)
            except ValueError as exc:
                raise cfg.error(sub.line, str(exc)) from None
            out["gateway_api_version"] = value
        elif sub_key == "channel":
            if sub.value not in ("standard", "experimental"):
                raise cfg.error(sub.line, f"'{key}.channel' must be standard or experimental, "
                                f"got {sub.value!r}")
            out["channel"] = sub.value
        else:
            raise cfg.error(sub.line, f"unknown key '{key}.{sub_key}'"
                            + _did_you_mean(sub_key, ["version", "channel"]))
    return out


# --- path globs --------------------------------------------------------------------------------
def rebase_glob(pattern: str, base: str, cwd: str) -> list[str]:
    """Globs matching display paths (relative to `cwd`) for a glob written relative to `base`."""
    pat = pattern.strip()
    while pat.startswith("./"):
        pat = pat[2:]
    if "/" not in pat.rstrip("/"):
        return [pat]  # a name: matches at any depth, wherever gwlint runs
    pat = pat.lstrip("/")
    base, cwd = os.path.normpath(base), os.path.normpath(cwd)
    try:
        rel = os.path.relpath(base, cwd)
    except ValueError:  # another drive
        return [Path(base, pat).as_posix()]
    if rel == ".":
        return [pat]
    if rel != ".." and not rel.startswith(".." + os.sep):
        return [Path(rel).as_posix() + "/" + pat]  # the configuration is below cwd
    # the configuration is above cwd: files below cwd are shown relative to it, others absolutely
    out = [Path(base).as_posix().rstrip("/") + "/" + pat]
    down = os.path.relpath(cwd, base)
    if down != ".." and not down.startswith(".." + os.sep):
        segs, psegs = Path(down).as_posix().split("/"), pat.split("/")
        if psegs[0] == "**":
            out.append(pat)
        if len(psegs) > len(segs) and all(fnmatch.fnmatchcase(s, p) for s, p in zip(segs, psegs)):
            out.append("/".join(psegs[len(segs):]))
    return out


def _globs(cfg: _File, item: _Item, key: str) -> list[str]:
    cwd = os.getcwd()
    return [g for value in _strings(cfg, item, key) for g in rebase_glob(value, str(cfg.base), cwd)]


def _per_file_ignores(cfg: _File, item: _Item, key: str) -> dict[str, list[str]]:
    cwd = os.getcwd()
    out: dict[str, list[str]] = {}
    for glob, sub in _mapping(cfg, item, key).items():
        selectors = _selectors(cfg, sub, f"{key}.{glob}")
        for rebased in rebase_glob(glob, str(cfg.base), cwd):
            out.setdefault(rebased, []).extend(selectors)
    return out


# --- the keys ----------------------------------------------------------------------------------
_Validator = Callable[[_File, _Item, str], Any]

KEYS: dict[str, tuple[str | None, _Validator]] = {
    "select": ("select", _selectors),
    "ignore": ("ignore", _selectors),
    "extend-select": ("extend_select", _selectors),
    "exclude": ("exclude", _globs),
    "scopes": ("scopes", _globs),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "severity": ("severity", _severity_map),
    "rules": ("rule_options", _rule_options),
    "gateway-api": (None, _gateway_api),
    "default-namespace": ("default_namespace", _namespace),
    "assume-exists": ("assume_exists", _assume),
    "gateway-classes": ("gateway_classes", _strings),
    "fail-on": ("fail_on", _severity),
    "max-file-size": ("max_file_size", _positive_int),
}


def _settings(cfg: _File, root: _Item) -> dict[str, Any]:
    if not isinstance(root.value, dict):
        raise cfg.error(root.line, "the configuration must be a mapping of settings")
    settings: dict[str, Any] = {}
    for key, item in root.value.items():
        if key not in KEYS:
            raise cfg.error(item.line, f"unknown key '{key}'" + _did_you_mean(key, KEYS))
        target, validate = KEYS[key]
        value = validate(cfg, item, key)
        if target is None:
            settings.update(value)
        else:
            settings[target] = value
    return settings
