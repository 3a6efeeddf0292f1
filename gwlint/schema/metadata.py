"""Light ObjectMeta validation: what the API server checks on every object's metadata.

CRD schemas only say ``metadata: {type: object}``; the API server validates the name,
namespace, labels and annotations itself, and drops fields ObjectMeta does not have.
"""

from __future__ import annotations

import difflib
import functools
from typing import Any
from collections.abc import Callable

from . import k8s_validation as kv
from .paths import FieldPath, prefix
from .structural import describe_value
from .violation import Violation

OBJECT_META_FIELDS = frozenset({
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
    "annotations", "ownerReferences", "finalizers", "managedFields",
})
TOTAL_ANNOTATION_SIZE = 256 * 1024
NameCheck = Callable[[str], list[str]]

# Which name rule the API server applies (custom resources use DNS subdomains).
NAME_RULES: dict[str, NameCheck] = {
    "Service": kv.dns1035_label,
    "Namespace": kv.dns1123_label,
}


def check_metadata(meta: Any, kind: str,
                   namespaced: bool) -> tuple[list[Violation], set[FieldPath]]:
    """Violations for ``metadata`` and the metadata paths that are ill-typed."""
    base = ("metadata",)
    out: list[Violation] = []
    ill: set[FieldPath] = set()
    if meta is None:
        out.append(Violation("required", base + ("name",),
                             "metadata.name: required field is missing",
                             hint="every object needs metadata.name"))
        return out, ill
    if not isinstance(meta, dict):
        ill.add(base)
        out.append(Violation("type", base,
                             f"metadata: must be a mapping (object), got {describe_value(meta)}"))
        return out, ill
    if _looks_valid(meta, kind):
        return out, ill
    for key in meta:
        if key not in OBJECT_META_FIELDS:
            close = difflib.get_close_matches(str(key), sorted(OBJECT_META_FIELDS), n=1, cutoff=0.6)
            out.append(Violation(
                "unknown-field", base + (key,),
                f"{prefix(base + (key,))}unknown field \"{key}\" "
                "(not part of Kubernetes ObjectMeta; the API server drops it)",
                hint=f"did you mean `{close[0]}`?" if close else None))
    name = meta.get("name")
    if name is None and meta.get("generateName") is None:
        out.append(Violation("required", base + ("name",),
                             "metadata.name: required field is missing",
                             hint="every object needs metadata.name"))
    for field_name in ("name", "generateName", "namespace"):
        value = meta.get(field_name)
        if value is None:
            continue
        path = base + (field_name,)
        if not isinstance(value, str):
            ill.add(path)
            out.append(Violation("type", path,
                                 f"{prefix(path)}must be a string, got {describe_value(value)}",
                                 hint=("quote the value" if isinstance(value, (int, float, bool))
                                       else None)))
            continue
        if field_name == "namespace":
            check = kv.dns1123_label
        else:
            check = NAME_RULES.get(kind, kv.dns1123_subdomain)
        candidate = value
        if field_name == "generateName":  # the API server appends a random suffix
            candidate = value.rstrip("-") or "x"
        errors = check(candidate)
        if errors:
            code = "bounds" if all(e.startswith("must be no more") for e in errors) else "pattern"
            out.append(Violation(code, path,
                                 f"{prefix(path)}invalid value {value!r}: {'; '.join(errors)}",
                                 hint=f"try {value.lower()!r}" if value != value.lower() else None))
    out.extend(_string_map(meta, "labels", kv.qualified_name, kv.label_value, ill))
    out.extend(_string_map(meta, "annotations", _annotation_key, None, ill))
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        size = sum(len(str(k)) + len(v) for k, v in annotations.items() if isinstance(v, str))
        if size > TOTAL_ANNOTATION_SIZE:
            out.append(Violation("bounds", base + ("annotations",),
                                 "metadata.annotations: may not be larger than 256 KiB in total "
                                 f"(got {size} bytes)"))
    finalizers = meta.get("finalizers")
    if finalizers is not None and not (isinstance(finalizers, list)
                                       and all(isinstance(f, str) for f in finalizers)):
        ill.add(base + ("finalizers",))
        out.append(Violation("type", base + ("finalizers",),
                             "metadata.finalizers: must be a list of strings"))
    owners = meta.get("ownerReferences")
    if owners is not None and not (isinstance(owners, list)
                                   and all(isinstance(o, dict) for o in owners)):
        ill.add(base + ("ownerReferences",))
        out.append(Violation("type", base + ("ownerReferences",),
                             "metadata.ownerReferences: must be a list of objects"))
    return out, ill


@functools.lru_cache(maxsize=8192)
def _label_ok(key: str, value: str) -> bool:
    return not kv.qualified_name(key) and not kv.label_value(value)


@functools.lru_cache(maxsize=8192)
def _annotation_key_ok(key: str) -> bool:
    return not _annotation_key(key)


def _looks_valid(meta: dict[str, Any], kind: str) -> bool:
    """Fast path for the common case (known fields, valid names and labels): no details
    are needed when everything is fine, so skip building any."""
    if not meta.keys() <= OBJECT_META_FIELDS or "generateName" in meta:
        return False
    name, namespace = meta.get("name"), meta.get("namespace")
    if name.__class__ is not str or NAME_RULES.get(kind, kv.dns1123_subdomain)(name):
        return False
    if namespace is not None and (namespace.__class__ is not str or kv.dns1123_label(namespace)):
        return False
    labels = meta.get("labels")
    if labels is not None:
        if labels.__class__ is not dict:
            return False
        for key, value in labels.items():
            if key.__class__ is not str or value.__class__ is not str or not _label_ok(key, value):
                return False
    annotations = meta.get("annotations")
    if annotations is not None:
        if annotations.__class__ is not dict or len(annotations) > 64:
            return False
        for key, value in annotations.items():
            if key.__class__ is not str or value.__class__ is not str or len(value) > 4096 \
                    or not _annotation_key_ok(key):
                return False
    return all(meta.get(f) is None for f in ("finalizers", "ownerReferences"))


def _annotation_key(key: str) -> list[str]:
    return kv.qualified_name(key.lower())


def _string_map(meta: dict[str, Any], field_name: str, key_check: NameCheck,
                value_check: NameCheck | None,
                ill: set[FieldPath]) -> list[Violation]:
    base = ("metadata", field_name)
    value = meta.get(field_name)
    if value is None:
        return []
    if not isinstance(value, dict):
        ill.add(base)
        return [Violation("type", base,
                          f"{prefix(base)}must be a mapping of strings, "
                          f"got {describe_value(value)}")]
    out = []
    for key, item in value.items():
        path = base + (key,)
        if not isinstance(key, str):
            out.append(Violation("type", path,
                                 f"{prefix(path)}keys must be strings, got {describe_value(key)}",
                                 hint="quote the key"))
            continue
        errors = key_check(key)
        if errors:
            out.append(Violation("pattern", path,
                                 f"{prefix(path)}invalid key {key!r}: {'; '.join(errors)}"))
        if not isinstance(item, str):
            ill.add(path)
            out.append(Violation(
                "type", path, f"{prefix(path)}values must be strings, got {describe_value(item)}",
                hint=(f"quote the value: \"{_yaml_scalar(item)}\""
                      if isinstance(item, (bool, int, float)) or item is None else None)))
            continue
        if value_check is not None:
            errors = value_check(item)
            if errors:
                code = ("bounds" if all(e.startswith("must be no more") for e in errors)
                        else "pattern")
                out.append(Violation(code, path,
                                     f"{prefix(path)}invalid value {item!r}: {'; '.join(errors)}"))
    return out


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
