"""Flux post-build variable substitution (`spec.postBuild.substitute`/`substituteFrom`).

Flux's kustomize-controller runs its envsubst on the YAML text of every object it applies, after
the build (https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-
substitution; fluxcd/pkg kustomize/kustomize_varsub.go and envsubst/): gwlint has parsed objects,
so it substitutes inside each string (and mapping key) of the body, with the same rules:

- Only `${NAME}` is a variable (`$NAME` stays as written); `$$` is a literal `$`, so `$${NAME}`
  becomes the text `${NAME}`. A name is letters, digits and `_`.
- `${NAME:=text}`, `${NAME:-text}`, `${NAME=text}` (also `:?`, `:+`, which Flux treats the same):
  `text` (which may hold `${OTHER}`) when the value is empty or unset. `${NAME^}`, `${NAME^^}`,
  `${NAME,}`, `${NAME,,}` change the case. The substring, trim, replace and length forms are not
  evaluated by gwlint: those placeholders stay unresolved.
- Values lose their newlines. `substituteFrom` ConfigMaps/Secrets are read in order (a later one
  wins), then the inline `substitute` map wins over them; Secret `data` is base64 (`stringData`
  wins over it, as the API server merges them).
- A variable with no value becomes empty (Flux's default, non-strict mode), but only when gwlint
  knows every source: if a `substituteFrom` object is not among the linted files (`optional`
  ones too: the cluster may hold it), a variable without a known value stays as written and is
  reported as unresolved. Flux substitutes nothing when it has no variable at all.
- An object labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` is left
  alone.
- Text substitution can change a scalar's type: `port: ${PORT}` becomes an integer,
  `port: "${PORT}"` stays a string. A string that is exactly one placeholder, whose value is a
  decimal integer or true/false, becomes that integer or boolean when it was written as a plain
  (unquoted, one-line) scalar: the caller tells (`plain`, from the source text); without it,
  never in `metadata` (labels and annotations must be strings and are usually quoted), else
  always.

A string that still holds a placeholder is `unresolved`: its schema violations are not reported
(GW010), GW805 names the variables instead.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gwlint.model import FieldPath, Resource

DISABLE_KEY = "kustomize.toolkit.fluxcd.io/substitute"
VAR_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*\Z")  # Flux's check of the variables' names
_INT = re.compile(r"[-+]?[0-9]+\Z")
_DEFAULT_OPS = (":=", ":-", ":?", ":+", "=")
_CASE_OPS = {"^": lambda s: s[:1].upper() + s[1:], "^^": str.upper,
             ",": lambda s: s[:1].lower() + s[1:], ",,": str.lower}

Lookup = Callable[[str], "str | None"]  # None: the value is not known to gwlint


class _Bad(Exception):
    """Not a valid expression (Flux's build fails on it)."""


@dataclass
class Expanded:
    """A string after substitution, and the variables left in it (value unknown)."""

    text: str
    unresolved: tuple[str, ...] = ()


def _ident(text: str, i: int) -> int:
    j = i
    while j < len(text) and (text[j].isalnum() or text[j] == "_"):
        j += 1
    return j


class _Expander:
    def __init__(self, text: str, lookup: Lookup) -> None:
        self.text, self.lookup = text, lookup
        self.unknown: list[str] = []

    def value(self, name: str) -> str | None:
        found = self.lookup(name)
        if found is None and name not in self.unknown:
            self.unknown.append(name)
        return found

    def top(self) -> str:
        text, out, i = self.text, [], 0
        while i < len(text):
            c = text[i]
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if c == "$" and nxt == "$":
                out.append("$")
                i += 2
            elif c == "$" and nxt == "{":
                value, end = self.expression(i + 2)
                out.append(text[i:end] if value is None else value)
                i = end
            else:
                out.append(c)
                i += 1
        return "".join(out)

    def expression(self, i: int) -> tuple[str | None, int]:
        """The value of the expression after `${` at `i` (None: unknown) and where it ends."""
        text = self.text
        if text.startswith("#", i):  # ${#var}: the length, not evaluated
            return self.opaque(_ident(text, i + 1), text[i + 1:_ident(text, i + 1)])
        end = _ident(text, i)
        name = text[i:end]
        if not name:
            raise _Bad
        if text.startswith("}", end):
            return self.value(name), end + 1
        op = next((o for o in _DEFAULT_OPS if text.startswith(o, end)), None)
        if op is not None:
            return self.default(name, end + len(op))
        case = text[end:end + 2] if text[end:end + 2] in _CASE_OPS else text[end:end + 1]
        if case in _CASE_OPS and text.startswith("}", end + len(case)):
            found = self.value(name)
            return (None if found is None else _CASE_OPS[case](found)), end + len(case) + 1
        if end < len(text) and text[end] in ":/#%":
            return self.opaque(end, name)
        raise _Bad

    def opaque(self, i: int, name: str) -> tuple[str | None, int]:
        """A form gwlint does not evaluate: unresolved, up to its closing brace."""
        close = self.text.find("}", i)
        if close < 0 or not name:
            raise _Bad
        if name not in self.unknown:
            self.unknown.append(name)
        return None, close + 1

    def default(self, name: str, i: int) -> tuple[str | None, int]:
        """`${name:=word}`: word's parts are text up to `}` or `${`, and nested expressions."""
        text, parts, known = self.text, [], True
        while True:
            if i >= len(text):
                raise _Bad
            if text[i] == "}":
                break
            if text.startswith("${", i):
                part, i = self.expression(i + 2)
            else:
                j = i
                while j < len(text) and text[j] != "}" and not text.startswith("${", j):
                    j += 1
                part, i = text[i:j], j
            known = known and part is not None
            parts.append(part or "")
        found = self.value(name)
        if found is None:
            return None, i + 1
        if found:
            return found, i + 1
        return ("".join(parts) if known else None), i + 1


def expand(text: str, lookup: Lookup) -> Expanded:
    """`text` with its variables substituted as Flux does; unknown ones are kept as written.
    Text Flux cannot parse is kept whole, with every `${NAME` in it unresolved."""
    if "$" not in text:
        return Expanded(text)
    expander = _Expander(text, lookup)
    try:
        out = expander.top()
    except _Bad:
        names = re.findall(r"\$\{#?([^\W]\w*)", text)
        return Expanded(text, tuple(dict.fromkeys(names)))
    return Expanded(out, tuple(expander.unknown))


def placeholders(text: str) -> tuple[str, ...]:
    """The variables `text` uses (escaped `$${...}` excluded)."""
    return expand(text, lambda _: None).unresolved if "${" in text else ()


@dataclass
class Variables:
    """What a Flux Kustomization substitutes: the values gwlint knows, and whether that is all of
    them (every `substituteFrom` object is among the linted files)."""

    values: dict[str, str] = field(default_factory=dict)
    complete: bool = True
    missing: list[str] = field(default_factory=list)  # "ConfigMap/cluster-vars" not found

    def lookup(self) -> Lookup:
        values = self.values
        if self.complete:
            return lambda name: values.get(name, "")
        return values.get


def _data(res: Resource) -> dict[str, str]:
    """A ConfigMap's `data`, a Secret's `data` (base64) and `stringData` (wins)."""
    out: dict[str, str] = {}
    data = res.body.get("data")
    for key, value in (data.items() if isinstance(data, dict) else ()):
        if not isinstance(key, str) or value is None:
            continue
        if res.kind == "Secret":
            try:
                out[key] = base64.b64decode(str(value), validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                continue
        else:
            out[key] = _scalar(value)
    if res.kind == "Secret":
        string = res.body.get("stringData")
        for key, value in (string.items() if isinstance(string, dict) else ()):
            if isinstance(key, str) and value is not None:
                out[key] = _scalar(value)
    return out


def variables(kustomization: Resource, refs: list[Any], inline: dict[str, Any] | None,
              objects: Callable[[str, str, str | None], Resource | None]) -> Variables:
    """The variables of one Flux Kustomization: `refs` its substituteFrom entries, `objects`
    finds a ConfigMap/Secret by kind, name and namespace (None: the Kustomization's is unknown).
    """
    out = Variables()
    namespace = None if kustomization.namespace_defaulted else kustomization.namespace
    for ref in refs:
        if not isinstance(ref, dict):
            continue
        kind, name = ref.get("kind"), ref.get("name")
        if kind not in ("ConfigMap", "Secret") or not isinstance(name, str):
            continue
        found = objects(kind, name, namespace)
        if found is None:
            out.complete = False
            out.missing.append(f"{kind}/{name}")
            continue
        out.values.update(_data(found))
    for key, value in (inline or {}).items():
        if isinstance(key, str) and value is not None:
            out.values[key] = _scalar(value)
    out.values = {k: v.replace("\n", "") for k, v in out.values.items() if VAR_NAME.match(k)}
    return out


def _scalar(value: Any) -> str:
    """A value as its text (`true`, not Python's `True`)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def disabled(res: Resource) -> bool:
    meta = res.metadata
    return any(isinstance(meta.get(k), dict) and meta[k].get(DISABLE_KEY) == "disabled"
               for k in ("labels", "annotations"))


@dataclass
class Result:
    """One object's substitution: its new body, and the strings left with placeholders."""

    body: dict[str, Any]
    unresolved: dict[FieldPath, tuple[str, ...]]


Plain = Callable[[FieldPath], bool]  # whether the scalar at a path was written unquoted


def substitute_body(body: dict[str, Any], lookup: Lookup, plain: Plain | None = None) -> Result:
    """`body` with every string (and key) substituted; containers are copied only where
    something changed (bodies may be shared by several builds)."""
    unresolved: dict[FieldPath, tuple[str, ...]] = {}

    def walk(node: Any, path: FieldPath) -> Any:
        if isinstance(node, str):
            if "$" not in node:
                return node
            done = expand(node, lookup)
            if done.unresolved:
                unresolved[path] = done.unresolved
            return node if done.text == node else _typed(node, done, path, plain)
        if isinstance(node, dict):
            changed = False
            out: dict[Any, Any] = {}
            for key, value in node.items():
                new_key = expand(key, lookup).text if isinstance(key, str) and "$" in key \
                    else key
                new = walk(value, (*path, new_key))
                changed = changed or new is not value or new_key != key
                out[new_key] = new
            return out if changed else node
        if isinstance(node, list):
            items = [walk(v, (*path, i)) for i, v in enumerate(node)]
            return items if any(a is not b for a, b in zip(items, node, strict=True)) else node
        return node

    return Result(walk(body, ()), unresolved)


def _typed(before: str, done: Expanded, path: FieldPath, plain: Plain | None) -> Any:
    """An unquoted `${X}` whose value is an integer or a boolean becomes one (see the module)."""
    text = done.text
    if done.unresolved or not (_INT.match(text) or text in ("true", "false")):
        return text
    if not (before.startswith("${") and before.endswith("}")) or before.count("${") != 1:
        return text
    if not plain(path) if plain is not None else bool(path) and path[0] == "metadata":
        return text
    if _INT.match(text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    return text
