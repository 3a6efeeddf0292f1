"""Reading a configuration file into positioned values: YAML with the C loader's composer (a
mapping key's line for every value; no aliases, no custom tags, bounded nesting) and TOML
(`tomllib` keeps no positions, so lines are found in the text)."""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from gwlint.configfile.document import ConfigFile, Item
from gwlint.lines import MarkMap
from gwlint.loader import nesting_ok

PYPROJECT = "pyproject.toml"


_TAGS = frozenset("tag:yaml.org,2002:" + t for t in (
    "str", "int", "float", "bool", "null", "map", "seq", "binary", "timestamp"))


def read_yaml(cfg: ConfigFile, text: str) -> Item | None:
    """A YAML configuration's values with their lines. A pull request can add a `.gwlint.yaml`:
    anything wrong with it (syntax, tags, aliases, nesting) is a ConfigError naming the line."""
    if not nesting_ok(text):
        raise cfg.error(1, "configuration nested too deeply")
    at = MarkMap(text)
    try:
        if "&" in text and "*" in text and yaml.__with_libyaml__:
            for event in yaml.parse(text, Loader=yaml.CSafeLoader):
                if isinstance(event, yaml.AliasEvent):
                    raise cfg.error(at(event.start_mark)[0],
                                    "YAML aliases are not supported in gwlint configuration")
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = at(mark)[0] if mark else 1
        raise cfg.error(line, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise cfg.error(1, f"invalid YAML: {exc}") from None
    if node is None:
        return None
    item = _from_node(cfg, node, yaml.constructor.SafeConstructor(), at)
    if item.value is None:
        return None
    return item


def _from_node(cfg: ConfigFile, node: Any, constructor: Any, at: MarkMap,
               depth: int = 0) -> Item:
    line = at(node.start_mark)[0]
    if depth > 20:
        raise cfg.error(line, "configuration nested too deeply")
    if node.tag not in _TAGS:
        raise cfg.error(line, f"YAML tag {_shown(node.tag)} is not supported in gwlint "
                        "configuration")
    if isinstance(node, MappingNode):
        out: dict[str, Item] = {}
        for key_node, value_node in node.value:
            key_line = at(key_node.start_mark)[0]
            if not isinstance(key_node, ScalarNode):
                raise cfg.error(key_line, "keys must be plain strings")
            key = str(_from_node(cfg, key_node, constructor, at, depth + 1).value)
            if key in out:
                raise cfg.error(key_line, f"duplicate key {_shown(key)}")
            value = _from_node(cfg, value_node, constructor, at, depth + 1)
            out[key] = Item(value.value, key_line)
        return Item(out, line)
    if isinstance(node, SequenceNode):
        return Item([_from_node(cfg, n, constructor, at, depth + 1) for n in node.value], line)
    try:
        return Item(constructor.construct_object(node), line)
    except Exception as exc:  # noqa: BLE001 - e.g. `!!int x`: a configuration error
        problem = getattr(exc, "problem", None) or str(exc)
        raise cfg.error(line, f"unsupported value: {_shown(str(problem), 200)}") from None


def _shown(value: str, limit: int = 80) -> str:
    """repr() of a string for a message, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 4] + "...'"


def read_toml(cfg: ConfigFile, text: str) -> Item | None:
    import tomllib  # imported here to keep start-up fast: most runs read no TOML

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
    prefix: tuple[str, ...]  # where the table is: () for a .gwlint.toml
    if table is None:
        if cfg.path.name == PYPROJECT:
            raise cfg.error(1, "no [tool.gwlint] table")
        table, prefix = data, ()
    else:
        prefix = ("tool", "gwlint")
    if not isinstance(table, dict):
        raise cfg.error(1, "[tool.gwlint] must be a table")
    return _from_toml(table, prefix, lines, _toml_line(lines, prefix, None, 1))


def _from_toml(value: Any, path: tuple[str, ...], lines: list[str], line: int) -> Item:
    if isinstance(value, dict):
        return Item({str(k): _from_toml(v, path + (str(k),), lines,
                                         _toml_line(lines, path, str(k), line))
                      for k, v in value.items()}, line)
    if isinstance(value, list):
        return Item([_from_toml(v, path, lines, line) for v in value], line)
    return Item(value, line)


def _toml_line(lines: list[str], table: tuple[str, ...], key: str | None, fallback: int) -> int:
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
