"""Documents -> typed resources: List expansion, namespace defaulting, scopes, sanity checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gwlint.loader import Document, LoadIssue, template_in
from gwlint.model import Origin, Resource, as_dict, is_cluster_scoped, split_api_version


@dataclass
class Extraction:
    resources: list[Resource] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    skipped: int = 0  # documents without apiVersion/kind: values files, CI configs, ...


def _issue(doc: Document, code: str, message: str, path: tuple, hint: str | None = None) -> LoadIssue:
    return LoadIssue(code, doc.source, 0, 0, message, hint=hint, doc_index=doc.index,
                     path=path)


def _objects(doc: Document, data: Any, prefix: tuple) -> Iterator[tuple[dict, tuple]]:
    """The object itself, or the items of a `kind: List` / `*List` wrapper."""
    kind = data.get("kind")
    items = data.get("items")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield from _objects(doc, item, prefix + ("items", i))
        return
    yield data, prefix


def extract(doc: Document, default_namespace: str, scope: str, out: Extraction) -> None:
    """Append the resources of one document to `out`."""
    data = doc.data
    if not isinstance(data, dict) or ("apiVersion" not in data and "kind" not in data):
        out.skipped += 1
        return
    for obj, prefix in _objects(doc, data, ()):
        res = _resource(doc, obj, prefix, default_namespace, scope, out)
        if res is not None:
            out.resources.append(res)


def _resource(doc: Document, obj: dict, prefix: tuple, default_namespace: str, scope: str,
              out: Extraction) -> Resource | None:
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not api_version or not isinstance(kind, str) or not kind:
        missing = "apiVersion" if not isinstance(api_version, str) or not api_version else "kind"
        out.issues.append(_issue(doc, "GW007", f"object has no valid {missing}; the API server "
                                 "rejects it", prefix + ((missing,) if missing in obj else ())))
        return None
    meta = as_dict(obj.get("metadata"))
    name, namespace = meta.get("name"), meta.get("namespace")
    if any(template_in(v) for v in (api_version, kind, name, namespace)):
        out.issues.append(_issue(doc, "GW003", "unrendered Go/Helm template syntax in the object's "
                                 "identity: render it first", prefix + ("metadata",),
                                 hint="lint the rendered output: `helm template RELEASE CHART | gwlint -`"))
        return None
    if not isinstance(name, str) or not name:
        generate = meta.get("generateName")
        if isinstance(generate, str) and generate:
            name = generate + "<generated>"
        else:
            out.issues.append(_issue(doc, "GW007", f"{kind} has no metadata.name; the API server "
                                     "rejects it", prefix + ("metadata",)))
            return None
    group, version = split_api_version(api_version)
    defaulted = False
    if is_cluster_scoped(group, kind):
        namespace = None
    elif not isinstance(namespace, str) or not namespace:
        namespace, defaulted = default_namespace, True
    origin = Origin(doc.source, doc.index, prefix, doc.line)
    return Resource(api_version, group, version, kind, namespace, name, obj, origin, scope,
                    namespace_defaulted=defaulted)
