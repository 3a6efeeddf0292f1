"""Patch targets: kustomize's selector of objects by group/version/kind/name/namespace/labels.

https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/ : "The patch target
selects resources by group, version, kind, name, namespace, labelSelector and annotationSelector.
Any resource which matches all the specified fields has the patch applied to it (regular
expressions)"; "The name and namespace fields of the patch target selector are automatically
anchored regular expressions". Group, version and kind match exactly. As kustomize's ResMap.Select
does, name and namespace match the object's current or any earlier name (so an overlay may target
an object by the name its base gave it). Regular expressions are RE2 (kustomize is Go), compiled
with google-re2: linear time whatever a hostile kustomization writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gwlint.gitops.kustomize.model import BuiltObject, ResId, cluster_scoped


class SelectorError(ValueError):
    """An invalid selector (bad regular expression, malformed label selector)."""


_REQ = re.compile(r"^\s*(!?)\s*([A-Za-z0-9_./-]+)\s*"
                  r"(?:(==|=|!=)\s*([A-Za-z0-9_.-]*)|\s+(in|notin)\s*\(([^)]*)\))?\s*$")


@dataclass(frozen=True, slots=True)
class Requirement:
    key: str
    op: str  # =, !=, in, notin, exists, !exists
    values: frozenset[str]

    def matches(self, labels: dict[str, Any]) -> bool:
        has = self.key in labels
        value = str(labels.get(self.key, ""))
        if self.op == "exists":
            return has
        if self.op == "!exists":
            return not has
        if self.op in ("=", "in"):
            return has and value in self.values
        return not has or value not in self.values  # != and notin


def _split(text: str) -> list[str]:
    """Split at commas outside parentheses."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p for p in parts if p.strip()]


def parse_label_selector(text: str) -> list[Requirement]:
    """Kubernetes label selector syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`."""
    reqs = []
    for part in _split(text):
        m = _REQ.match(part)
        if m is None:
            raise SelectorError(f"invalid label selector {text!r}")
        neg, key, eq, value, setop, values = m.groups()
        if neg and (eq or setop):
            raise SelectorError(f"invalid label selector {text!r}")
        if eq:
            reqs.append(Requirement(key, "=" if eq in ("=", "==") else "!=", frozenset({value})))
        elif setop:
            vals = frozenset(v.strip() for v in values.split(",") if v.strip())
            reqs.append(Requirement(key, setop, vals))
        else:
            reqs.append(Requirement(key, "!exists" if neg else "exists", frozenset()))
    return reqs


def _anchored(pattern: str) -> Any:
    import re2  # imported here to keep start-up fast: only regex selectors need it

    try:
        return re2.compile(f"^(?:{pattern})$")
    except Exception as exc:
        raise SelectorError(f"invalid regular expression {pattern!r}: {exc}") from exc


@dataclass
class Target:
    """A compiled `target:` selector."""

    group: str | None = None
    version: str | None = None
    kind: str | None = None
    name: Any = None
    namespace: Any = None
    labels: list[Requirement] | None = None
    annotations: list[Requirement] | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Target:
        def text(key: str) -> str | None:
            value = raw.get(key)
            if value is None or value == "":
                return None
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise SelectorError(f"target.{key} must be a string")
            return str(value)

        name, namespace = text("name"), text("namespace")
        labels, annotations = text("labelSelector"), text("annotationSelector")
        return cls(text("group"), text("version"), text("kind"),
                   _anchored(name) if name is not None else None,
                   _anchored(namespace) if namespace is not None else None,
                   parse_label_selector(labels) if labels is not None else None,
                   parse_label_selector(annotations) if annotations is not None else None)

    def matches(self, obj: BuiltObject) -> bool:
        current = obj.current()
        if self.group is not None and current.group != self.group:
            return False
        if self.version is not None and current.version != self.version:
            return False
        if self.kind is not None and current.kind != self.kind:
            return False
        ids = _ids(obj, current)
        if self.name is not None and not any(self.name.match(i.name) for i in ids):
            return False
        if self.namespace is not None and not any(
                self.namespace.match(i.namespace or "default") for i in ids):
            return False
        return metadata_matches(obj, self.labels, self.annotations)


def metadata_matches(obj: BuiltObject, labels: list[Requirement] | None,
                     annotations: list[Requirement] | None) -> bool:
    """The object's labels and annotations as they are now meet the selectors (None: any)."""
    meta = obj.body.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    for reqs, field in ((labels, "labels"), (annotations, "annotations")):
        if reqs is not None:
            values = meta.get(field)
            values = values if isinstance(values, dict) else {}
            if not all(r.matches(values) for r in reqs):
                return False
    return True


def _ids(obj: BuiltObject, current: ResId) -> Iterable[ResId]:
    return [current, *obj.ids]


def same_object(patch_id: ResId, obj: BuiltObject) -> bool:
    """A strategic merge patch without `target` applies to the object with its id (group,
    version, kind and name equal; namespaces equal, none meaning `default`), current or earlier."""
    current = obj.current()
    if (patch_id.group, patch_id.version, patch_id.kind) != (current.group, current.version,
                                                             current.kind):
        return False
    if cluster_scoped(current.group, current.kind):
        return any(i.name == patch_id.name for i in _ids(obj, current))
    want = patch_id.namespace or "default"
    return any(i.name == patch_id.name and (i.namespace or "default") == want
               for i in _ids(obj, current))
