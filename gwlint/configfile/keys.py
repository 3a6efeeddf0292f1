"""The configuration keys and their validation. Keys are kebab-case; every problem (unknown key,
wrong type, unknown rule or option, bad severity) is a ConfigError naming the file and line, with a
"did you mean" when a known key is close: a typo must never silently lint with other settings
than the author meant."""

from __future__ import annotations

import contextlib
import difflib
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from gwlint import implementations
from gwlint.configfile.document import ConfigFile, Item
from gwlint.configfile.globs import rebase_glob
from gwlint.findings import Severity
from gwlint.registry import all_rules, get_rule, unknown_selectors
from gwlint.schema import resolve_version
from gwlint.sizes import check_file_size, parse_size

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _strings(cfg: ConfigFile, item: Item, key: str) -> list[str]:
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


def _selectors(cfg: ConfigFile, item: Item, key: str) -> list[str]:
    values = _strings(cfg, item, key)
    for sub, value in zip(_lines_of(item, len(values)), values, strict=True):
        if unknown_selectors([value]):
            raise cfg.error(sub, f"unknown rule selector '{value}' in '{key}' (see `gwlint rules`)")
    return values


def _lines_of(item: Item, n: int) -> list[int]:
    if isinstance(item.value, list):
        return [sub.line for sub in item.value]
    return [item.line] * n


def _mapping(cfg: ConfigFile, item: Item, key: str) -> dict[str, Item]:
    if not isinstance(item.value, dict):
        raise cfg.error(item.line, f"'{key}' must be a mapping")
    return item.value


def _severity(cfg: ConfigFile, item: Item, key: str) -> Severity:
    if not isinstance(item.value, str):
        raise cfg.error(item.line, f"'{key}' must be one of error, warning, info")
    try:
        return Severity.parse(item.value)
    except ValueError:
        raise cfg.error(item.line, f"unknown severity '{item.value}' in '{key}': use error, "
                        "warning or info") from None


def _rule_codes(selector: str) -> list[str]:
    sel = selector.strip()
    if sel.upper() == "ALL":
        return [r.code for r in all_rules()]
    return [r.code for r in all_rules()
            if r.code.startswith(sel.upper()) or r.name == sel.lower() or r.category == sel.lower()]


def _severity_map(cfg: ConfigFile, item: Item, key: str) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    for selector, sub in _mapping(cfg, item, key).items():
        codes = _rule_codes(selector)
        if not codes:
            raise cfg.error(sub.line, f"unknown rule selector '{selector}' in '{key}'")
        level = _severity(cfg, sub, f"{key}.{selector}")
        for code in codes:
            out[code] = level
    return out


def _rule_options(cfg: ConfigFile, item: Item, key: str) -> dict[str, dict[str, Any]]:
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


def _plain(item: Item) -> Any:
    if isinstance(item.value, list):
        return [_plain(v) for v in item.value]
    if isinstance(item.value, dict):
        return {k: _plain(v) for k, v in item.value.items()}
    return item.value


def _option_value(cfg: ConfigFile, item: Item, default: Any, where: str) -> Any:
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
    if (isinstance(default, list) and default and all(isinstance(d, str) for d in default)
            and not all(isinstance(v, str) for v in value)):
        raise cfg.error(item.line, f"option {where} must be a list of strings")
    return float(value) if isinstance(default, float) else value


def _type_name(t: type) -> str:
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string",
            list: "a list", dict: "a mapping"}.get(t, t.__name__)


def _namespace(cfg: ConfigFile, item: Item, key: str) -> str:
    if not isinstance(item.value, str) or not _DNS_LABEL.match(item.value):
        raise cfg.error(item.line, f"'{key}' must be a namespace name (a DNS label), "
                        f"got {item.value!r}")
    return item.value


def _size(cfg: ConfigFile, item: Item, key: str) -> int:
    """Bytes, or a size with a unit as on the command line (`10M`, `512KiB`: gwlint.sizes)."""
    value = item.value
    with contextlib.suppress(ValueError):
        value = parse_size(value) if isinstance(value, str) else value
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise cfg.error(item.line, f"'{key}' must be a size: bytes, or a number with K, M or G "
                        "(also KiB, MiB, GiB; KB, MB, GB are powers of 1000), e.g. 10M, got "
                        f"{_shown(_plain(item))}")
    try:
        return check_file_size(value)
    except ValueError as exc:
        raise cfg.error(item.line, f"'{key}': {exc}") from None


def _count(cfg: ConfigFile, item: Item, key: str) -> int:
    if not isinstance(item.value, int) or isinstance(item.value, bool) \
            or not 0 <= item.value <= 10 ** 9:
        raise cfg.error(item.line, f"'{key}' must be a whole number from 0 (no limit) to "
                        f"1,000,000,000, got {_shown(item.value)}")
    return item.value


def _shown(value: Any) -> str:
    """repr() of a value for a message, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + "..."


def _assume(cfg: ConfigFile, item: Item, key: str) -> list[str]:
    values = _strings(cfg, item, key)
    for line, value in zip(_lines_of(item, len(values)), values, strict=True):
        if not 2 <= len(value.split("/")) <= 3 or not all(value.split("/")):
            raise cfg.error(line, f"'{key}' entries are KIND/NAMESPACE/NAME or KIND/NAME globs, "
                            f"got '{value}'")
    return values


def _gateway_api(cfg: ConfigFile, item: Item, key: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for sub_key, sub in _mapping(cfg, item, key).items():
        if sub_key == "version":
            value = sub.value
            if not isinstance(value, str):  # `version: 1.10` would be the number 1.1
                raise cfg.error(sub.line, f"'{key}.version' must be a string like 'v1.4' "
                                f"(quote it), got {value!r}")
            try:
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


def _implementation(cfg: ConfigFile, item: Item, key: str) -> str:
    """NAME[@VERSION] of a bundled conformance report (`gwlint implementations` lists them)."""
    if not isinstance(item.value, str):  # `istio@1.28` is a string, a bare 1.28 is not
        raise cfg.error(item.line, f"'{key}' must be a string like 'envoy-gateway@v1.9', "
                        f"got {item.value!r}")
    try:
        implementations.resolve(item.value)
    except ValueError as exc:
        raise cfg.error(item.line, str(exc)) from None
    return item.value.strip()


def _globs(cfg: ConfigFile, item: Item, key: str) -> list[str]:
    cwd = os.getcwd()
    return [g for value in _strings(cfg, item, key) for g in rebase_glob(value, str(cfg.base), cwd)]


def _per_file_ignores(cfg: ConfigFile, item: Item, key: str) -> dict[str, list[str]]:
    cwd = os.getcwd()
    out: dict[str, list[str]] = {}
    for glob, sub in _mapping(cfg, item, key).items():
        selectors = _selectors(cfg, sub, f"{key}.{glob}")
        for rebased in rebase_glob(glob, str(cfg.base), cwd):
            out.setdefault(rebased, []).extend(selectors)
    return out


# --- the keys ----------------------------------------------------------------------------------
_Validator = Callable[[ConfigFile, Item, str], Any]

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
    "max-file-size": ("max_file_size", _size),
    "max-findings-per-file": ("max_findings_per_file", _count),
    "implementation": ("implementation", _implementation),
}


def validate(cfg: ConfigFile, root: Item) -> dict[str, Any]:
    """The settings (keys of gwlint.config.defaults()) a file's top-level mapping gives."""
    if not isinstance(root.value, dict):
        raise cfg.error(root.line, "the configuration must be a mapping of settings")
    settings: dict[str, Any] = {}
    for key, item in root.value.items():
        if key not in KEYS:
            raise cfg.error(item.line, f"unknown key '{key}'" + _did_you_mean(key, KEYS))
        target, check = KEYS[key]
        value = check(cfg, item, key)
        if target is None:
            settings.update(value)
        else:
            settings[target] = value
    return settings
