"""kustomize `replacements`: copy a field of one object into fields of others.

https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/replacements/ : each entry
(inline, or a file named by `path` holding one replacement or a list of them) takes the value at
`source.fieldPath` (default `metadata.name`) of the one object its source selects, or
`sourceValue`, and writes it at every `fieldPaths` entry (default `metadata.name`) of every
object a target `select`s and no `reject` drops. Details follow kustomize v5's
api/filters/replacement (replacement.go) and the kyaml path code it calls:

- Replacements run after every other transformer of their kustomization (images last before
  them), on the objects built so far, in order: a later entry sees what an earlier one wrote.
- The source selector matches exactly (group, version, kind, name; namespaces compared with
  `default` for none) against each object's current and earlier ids; none or two matches is an
  error. Target `select`/`reject` fields are anchored regular expressions (RE2, kustomize's
  SelectorRegex), matched against the ids as written (no namespace is not `default`); label
  and annotation selectors apply to the object as it is now.
- Paths split at dots (`\\.` escapes one; `[a.b]` is one key; `[name=x]` matches list items
  whose `name` matches the unanchored regular expression `x`, `[=x]` scalar items; a number
  indexes a list; `*` is every item of a list). A target path that matches nothing is an error
  unless `options.create` makes it (maps, list items `[name=x]`, an index equal to the length).
- A scalar target keeps its type and takes the source's text (`port: 80` stays a number, a
  string stays a string); a created field takes the text as plain YAML reads it (`"80"` becomes
  80); a map or list target is replaced by a copy of the source value.
- `options.delimiter`/`index` pick one part of the source (out of range: an error) and replace
  one part of the target (below 0: prefixed, past the end: appended).

Errors are raised as `ReplacementError` with the JSON path, below the entry, that caused them;
the builder reports each as a broken kustomization and goes on. Every write is recorded in the
object's origins as written by the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gwlint.gitops.kustomize.model import KUSTOMIZE_CLUSTER_KINDS, BuiltObject, ResId
from gwlint.gitops.kustomize.selectors import (
    Requirement,
    SelectorError,
    metadata_matches,
    parse_label_selector,
)
from gwlint.gitops.origins import Path, Written

DEFAULT_FIELD_PATH = "metadata.name"
MAX_PARTS = 100  # parts of a fieldPath (Kubernetes objects are < 30 deep; `create` makes them)
_INT = re.compile(r"[-+]?(?:[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_CREATED = object()  # the value of a field created for the replacement (no type yet)


class ReplacementError(ValueError):
    """kustomize refuses the replacement: `path` is where, below the entry."""

    def __init__(self, message: str, *path: Any) -> None:
        super().__init__(message)
        self.path: Path = tuple(path)


@dataclass(frozen=True, slots=True)
class _Value:
    """The value to write: the source's data, and its text when it is a scalar. `typed` is
    False for `sourceValue` (a string without a YAML tag: plain YAML decides its type)."""

    data: Any
    text: str | None
    typed: bool = True


def apply(entry: Any, objects: list[BuiltObject], written: Written) -> list[ReplacementError]:
    """Apply one replacement to `objects` in place; the errors kustomize would stop at (each
    target is tried even when another failed, so that the rest is linted)."""
    if not isinstance(entry, dict):
        return [ReplacementError("a replacement must be a mapping (source and targets)")]
    source, given = entry.get("source"), entry.get("sourceValue")
    targets = entry.get("targets")
    if (source is None and given is None) or targets is None:
        return [ReplacementError("replacements must specify a source and at least one target")]
    if source is not None and given is not None:
        return [ReplacementError("value and resource selectors are mutually exclusive",
                                 "sourceValue")]
    if not isinstance(targets, list):
        return [ReplacementError("targets must be a list", "targets")]
    if isinstance(given, (dict, list)):
        return [ReplacementError("sourceValue must be a string", "sourceValue")]
    try:
        value = _source_value(source, objects) if given is None else _Value(
            given, _text(given), typed=False)
    except ReplacementError as exc:
        return [exc]
    errors = []
    for t, target in enumerate(targets):
        try:
            _apply_target(target, value, objects, written)
        except ReplacementError as exc:
            errors.append(ReplacementError(str(exc), "targets", t, *exc.path))
    return errors


# ---- the source -----------------------------------------------------------------------------

def _source_value(source: Any, objects: list[BuiltObject]) -> _Value:
    if not isinstance(source, dict):
        raise ReplacementError("source must be a mapping", "source")
    want = _selector_id(source, "source")
    matches = [o for o in objects if any(_selected(i, want) for i in _ids(o))]
    label = _describe(want)
    if not matches:
        raise ReplacementError(f"nothing selected by the source {label}", "source")
    if len(matches) > 1:
        raise ReplacementError(f"multiple matches for the source {label}: "
                               + ", ".join(o.current().label() for o in matches[:3]), "source")
    field_path = _string(source.get("fieldPath"), "source", "fieldPath") or DEFAULT_FIELD_PATH
    found = _lookup(matches[0].body, split_path(field_path))
    if found is None or found == {} or found == []:
        raise ReplacementError(f"fieldPath `{field_path}` is missing for replacement source "
                               f"{matches[0].current().label()}", "source", "fieldPath")
    options = source.get("options")
    delimiter, index = _delimiter(options, "source", "options")
    if delimiter is None:
        return _Value(found, _text(found))
    if isinstance(found, (dict, list)):
        raise ReplacementError("delimiter option can only be used with scalar nodes", "source",
                               "options")
    parts = _text(found).split(delimiter)
    if not 0 <= index < len(parts):
        raise ReplacementError(f"options.index {index} is out of bounds for value "
                               f"{_text(found)}", "source", "options", "index")
    return _Value(_retyped(parts[index], found), parts[index])


def _lookup(node: Any, parts: list[str]) -> Any:
    """kyaml's PathGetter without create: the value at `parts`, None when missing. List items
    by `[key=value]` (equal), `[=value]`, an index or `-` (the last)."""
    for part in parts:
        if isinstance(node, dict):
            if _list_index(part) or part == "*":
                return None
            node = node.get(part)
        elif isinstance(node, list):
            if part == "-":
                node = node[-1] if node else None
            elif _index(part) is not None:
                i = _index(part)
                node = node[i] if i is not None and i < len(node) else None
            elif _list_index(part):
                key, want = _split_index(part)
                node = next((item for item in node if (
                    _text(item) == want if not key else
                    isinstance(item, dict) and key in item and _text(item[key]) == want)), None)
            else:
                return None
        else:
            return None
    return node


# ---- targets --------------------------------------------------------------------------------

def _apply_target(target: Any, value: _Value, objects: list[BuiltObject],
                  written: Written) -> None:
    if not isinstance(target, dict) or not isinstance(target.get("select"), dict):
        raise ReplacementError("target must specify resources to select")
    select = _Selector.parse(target["select"], "select")
    rejects = [_Selector.parse(r, "reject", i) for i, r in enumerate(_as_list(target, "reject"))]
    paths = _as_list(target, "fieldPaths") or [DEFAULT_FIELD_PATH]
    options = target.get("options")
    create = isinstance(options, dict) and options.get("create") is True
    delimiter, index = _delimiter(options, "options")
    for obj in objects:
        ids = _ids(obj)
        if not select.labels_match(obj) or any(
                r.has_labels and r.labels_match(obj) for r in rejects):
            continue
        if any(r.has_id and any(r.id_matches(i) for i in ids) for r in rejects):
            continue
        if not any(select.id_matches(i) for i in ids):
            continue
        for k, field_path in enumerate(paths):
            if not isinstance(field_path, str):
                raise ReplacementError("fieldPaths entries must be strings", "fieldPaths", k)
            label = obj.current().label()
            try:
                _write(obj, field_path, value, create, delimiter, index, written)
            except ReplacementError as exc:
                raise ReplacementError(f"{exc} in replacement target {label}", "fieldPaths",
                                       k) from None


def _write(obj: BuiltObject, field_path: str, value: _Value, create: bool,
           delimiter: str | None, index: int, written: Written) -> None:
    parts = split_path(field_path)
    if len(parts) > MAX_PARTS:
        raise ReplacementError(f"fieldPath has more than {MAX_PARTS} parts")
    slots: list[tuple[Any, Any, Path, Path | None]] = []
    holder = {"": obj.body}
    try:
        _match(holder, "", (), parts, create, None, slots)
        if not slots:
            raise ReplacementError(("unable to find or create field" if create else
                                    "unable to find field") + f" {field_path!r}")
        new = [_new_value(container[key], value, delimiter, index)
               for container, key, _, _ in slots]
    except ReplacementError:
        for container, key, _, _ in slots:
            if container[key] is _CREATED:  # never left in a body
                container[key] = None
        raise
    for (container, key, path, created), item in zip(slots, new, strict=True):
        container[key] = item
        if created is not None and created != path:
            obj.origins.set(created, written)  # what it created on the way, then the field
        obj.origins.set(path, written)
    if parts and parts[0] in ("metadata", "apiVersion", "kind"):
        obj.touch()


def _match(container: Any, key: Any, path: Path, parts: list[str], create: bool,
           created: Path | None, out: list[tuple[Any, Any, Path, Path | None]]) -> None:
    """kyaml's PathMatcher: every (container, key) the path reaches below container[key]
    (creating what is missing with `create`), with the shallowest path it created."""
    node = container[key]
    if not parts:
        out.append((container, key, path, created))
        return
    part, rest = parts[0], parts[1:]
    if _index(part) is not None:
        i = _index(part)
        assert i is not None
        node = _sequence(container, key, node, create, part)
        if i == len(node) and create:
            node.append(_empty(rest))
            created = created or path + (i,)
        if i >= len(node):
            raise ReplacementError(f"index {i} specified but only {len(node)} elements found")
        _match(node, i, path + (i,), rest, create, created, out)
    elif _list_index(part):
        node = _sequence(container, key, node, create, part)
        _match_items(node, path, part, rest, create, created, out)
    elif part == "*":
        node = _sequence(container, key, node, False, part)
        for i in range(len(node)):
            _match(node, i, path + (i,), rest, create, created, out)
    else:
        if node is None and create:
            node = container[key] = {}
        if not isinstance(node, dict):
            if create:
                raise ReplacementError(f"cannot create field {part!r} in a "
                                       f"{type(node).__name__} value")
            return
        if part not in node:
            if not create:
                return
            node[part] = _empty(rest)
            created = created or path + (part,)
        _match(node, part, path + (part,), rest, create, created, out)


def _match_items(node: list[Any], path: Path, part: str, rest: list[str], create: bool,
                 created: Path | None, out: list[tuple[Any, Any, Path, Path | None]]) -> None:
    key, pattern = _split_index(part)
    regex = _regex(pattern)
    for attempt in range(2):
        before = len(out)
        for i, item in enumerate(node):
            if not key:  # a scalar item: the item itself, whatever follows in the path
                if not isinstance(item, (dict, list)) and regex.search(_text(item)):
                    out.append((node, i, path + (i,), created))
            elif isinstance(item, dict) and key in item and not isinstance(
                    item[key], (dict, list)) and regex.search(_text(item[key])):
                _match(node, i, path + (i,), rest, create, created, out)
        if len(out) > before or not create or attempt:
            return
        # nothing matched: create the item (kustomize appends it, then searches again)
        node.append(_plain(pattern) if not key else {key: _plain(pattern)})
        created = created or path + (len(node) - 1,)


def _sequence(container: Any, key: Any, node: Any, create: bool, part: str) -> list[Any]:
    if node is None and create:
        node = container[key] = []
    if not isinstance(node, list):
        raise ReplacementError(f"{part!r} selects list items but the value is "
                               f"{'a map' if isinstance(node, dict) else 'not a list'}")
    return node


def _empty(rest: list[str]) -> Any:
    """What kustomize creates for a missing path part, by the part that follows."""
    if not rest:
        return _CREATED
    if _index(rest[0]) is not None or _list_index(rest[0]):
        return []
    return {}


def _new_value(current: Any, value: _Value, delimiter: str | None, index: int) -> Any:
    """kustomize's setFieldValue: the target's new value."""
    data, text = value.data, value.text
    if delimiter is not None:
        if isinstance(current, (dict, list)):
            raise ReplacementError("delimiter option can only be used with scalar nodes")
        parts = [""] if current is _CREATED else _text(current).split(delimiter)
        piece = text if text is not None else ""
        if index < 0:
            parts.insert(0, piece)
        elif index >= len(parts):
            parts.append(piece)
        else:
            parts[index] = piece
        text = delimiter.join(parts)
        data = _retyped(text, data) if value.typed else _plain(text)
    if current is _CREATED:
        if isinstance(data, (dict, list)):
            return _clone(data)
        return _plain(text if text is not None else "")
    if isinstance(current, (dict, list)):
        if not value.typed and text is not None:
            return _plain(text)
        return _clone(data)
    # a scalar keeps its type and takes the value's text (a map or list has none)
    return _retyped(text if text is not None else "", current)


# ---- selectors ------------------------------------------------------------------------------

_ID_FIELDS = ("group", "version", "kind", "name", "namespace")


def _selector_id(raw: dict[str, Any], *at: Any) -> dict[str, str]:
    return {f: _string(raw.get(f), *at, f) for f in _ID_FIELDS if raw.get(f) not in (None, "")}


def _describe(want: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in want.items()) + "}" if want else "{}"


def _ids(obj: BuiltObject) -> list[ResId]:
    """The object's current id, then every earlier one (kustomize's previous names)."""
    current = obj.current()
    return [current, *(i for i in obj.ids if i != current)]


def _effective_namespace(group: str, kind: str, namespace: str | None) -> str:
    if (group, kind) in KUSTOMIZE_CLUSTER_KINDS:
        return "_cluster"
    return namespace or "default"


def _selected(rid: ResId, want: dict[str, str]) -> bool:
    """kustomize's ResId.IsSelectedBy (the source): exact fields, namespaces compared as
    kustomize's effective namespaces."""
    for field, attr in (("group", rid.group), ("version", rid.version), ("kind", rid.kind),
                        ("name", rid.name)):
        if field in want and want[field] != attr:
            return False
    if "namespace" in want:
        mine = _effective_namespace(rid.group, rid.kind, rid.namespace)
        theirs = _effective_namespace(want.get("group", ""), want.get("kind", ""),
                                      want["namespace"])
        if mine != theirs:
            return False
    return True


@dataclass
class _Selector:
    """A target's `select` or one `reject` entry (kustomize's SelectorRegex)."""

    group: Any  # compiled anchored regular expressions, or None (any)
    version: Any
    kind: Any
    name: Any
    namespace: Any
    labels: list[Requirement] | None
    annotations: list[Requirement] | None

    @classmethod
    def parse(cls, raw: Any, *at: Any) -> _Selector:
        if not isinstance(raw, dict):
            raise ReplacementError(f"{at[0]} must be a mapping", *at)
        want = _selector_id(raw, *at)

        def pattern(field: str) -> Any:
            if field not in want:
                return None
            anchored = f"^(?:{want[field]})$"
            try:
                return _regex(anchored)
            except ReplacementError as exc:
                message = str(exc).replace(repr(anchored), repr(want[field]), 1)
                raise ReplacementError(message, *at, field) from None

        def requirements(field: str) -> list[Requirement] | None:
            text = _string(raw.get(field), *at, field)
            if not text:
                return None
            try:
                return parse_label_selector(text)
            except SelectorError as exc:
                raise ReplacementError(str(exc), *at, field) from None

        return cls(pattern("group"), pattern("version"), pattern("kind"), pattern("name"),
                   pattern("namespace"), requirements("labelSelector"),
                   requirements("annotationSelector"))

    @property
    def has_id(self) -> bool:
        return any(v is not None for v in (self.group, self.version, self.kind, self.name,
                                           self.namespace))

    @property
    def has_labels(self) -> bool:
        return self.labels is not None or self.annotations is not None

    def id_matches(self, rid: ResId) -> bool:
        return all(regex is None or regex.match(value) is not None for regex, value in (
            (self.group, rid.group), (self.version, rid.version), (self.kind, rid.kind),
            (self.name, rid.name), (self.namespace, rid.namespace or "")))

    def labels_match(self, obj: BuiltObject) -> bool:
        return metadata_matches(obj, self.labels, self.annotations)


# ---- paths and values -----------------------------------------------------------------------

def split_path(text: str) -> list[str]:
    """kyaml's SmarterPathSplitter on '.': `\\.` escapes a dot, a bracketed part spanning dots
    is one part (kept with its brackets when it holds '=', a list item match, else without)."""
    pieces = text.split(".")
    if len(pieces) > 1 and pieces[0] == "":
        pieces = pieces[1:]
    escaped: list[str] = [pieces[0]]
    for piece in pieces[1:]:
        if escaped[-1].endswith("\\"):
            escaped[-1] = escaped[-1][:-1] + "." + piece
        else:
            escaped.append(piece)
    parts: list[str] = []
    i = 0
    while i < len(escaped):
        elem = escaped[i]
        if elem.startswith("[") and not elem.endswith("]"):
            bracketed = [elem]
            while i < len(escaped) - 1:
                i += 1
                bracketed.append(escaped[i])
                if escaped[i].endswith("]"):
                    break
            joined = ".".join(bracketed)
            parts.append(joined if "=" in joined else joined.strip("[]"))
        else:
            parts.append(elem)
        i += 1
    return parts


def _regex(pattern: str) -> Any:
    """An RE2 regular expression (kustomize is Go: linear time whatever the pattern)."""
    import re2  # imported here to keep start-up fast: only replacements with selectors need it

    options = re2.Options()
    options.log_errors = False  # the error is reported as a problem, not on standard error
    try:
        return re2.compile(pattern, options)
    except Exception as exc:
        why = exc.args[0] if exc.args else exc
        why = why.decode("utf-8", "replace") if isinstance(why, bytes) else str(why)
        raise ReplacementError(f"invalid regular expression {pattern!r}: {why}") from None


def _index(part: str) -> int | None:
    """A list index (kyaml's IsIdxNumber: a non-negative integer)."""
    if re.fullmatch(r"[-+]?[0-9]+", part) is None:
        return None
    value = int(part)
    return value if value >= 0 else None


def _list_index(part: str) -> bool:
    return part.startswith("[") and part.endswith("]") and "=" in part


def _split_index(part: str) -> tuple[str, str]:
    key, _, value = part[1:-1].partition("=")
    return key, value


def _text(value: Any) -> str:
    """A scalar's YAML text (a map or list has none: '')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _plain(text: str) -> Any:
    """`text` as an untagged plain YAML scalar resolves (YAML 1.2 core schema, as Go's yaml.v3)."""
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if _INT.fullmatch(text):
        return int(text, 0) if not re.fullmatch(r"[-+]?0[0-9]+", text) else int(text, 10)
    if _FLOAT.fullmatch(text):
        special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
        return float(special.get(text.lower(), text))
    return text


def _retyped(text: str, like: Any) -> Any:
    """`text` in a node that keeps the tag of `like` (kustomize copies only the value)."""
    if isinstance(like, str):
        return text
    plain = _plain(text)
    if isinstance(like, bool):
        return plain if isinstance(plain, bool) else text
    if isinstance(like, int):
        return plain if isinstance(plain, int) and not isinstance(plain, bool) else text
    if isinstance(like, float):
        return float(plain) if isinstance(plain, (int, float)) and not isinstance(
            plain, bool) else text
    return plain


def _clone(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _string(value: Any, *at: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ReplacementError(f"{at[-1]} must be a string", *at)
    return _text(value)


def _as_list(raw: dict[str, Any], field: str) -> list[Any]:
    value = raw.get(field)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReplacementError(f"{field} must be a list", field)
    return value


def _delimiter(options: Any, *at: Any) -> tuple[str | None, int]:
    if options is None:
        return None, 0
    if not isinstance(options, dict):
        raise ReplacementError("options must be a mapping", *at)
    delimiter = options.get("delimiter")
    index = options.get("index", 0)
    if index is None:
        index = 0
    if not isinstance(index, int) or isinstance(index, bool):
        raise ReplacementError("options.index must be an integer", *at, "index")
    if delimiter in (None, ""):
        return None, index
    return _text(delimiter), index


def entries(data: Any) -> Iterator[tuple[Path, Any]]:
    """The replacements of a `path:` file: one mapping, or a list of them (JSON path of each)."""
    if isinstance(data, list):
        yield from (((i,), item) for i, item in enumerate(data))
    else:
        yield (), data
