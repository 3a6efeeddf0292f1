"""Documents -> typed resources: only Kubernetes objects (configuration YAML is skipped and
counted by tool), List expansion, namespace defaulting, scopes, sanity checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gwlint.classify import classify_document
from gwlint.loader import Document, LoadIssue, template_in
from gwlint.model import (FieldPath, Origin, Resource, as_dict, is_cluster_scoped,
                          split_api_version)

# (rule code, message, path inside the object, hint) -> the issue, located where it was written
IssueAt = Callable[[str, str, FieldPath, "str | None"], LoadIssue]


@dataclass
class Extraction:
    resources: list[Resource] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    skipped: int = 0  # documents that are not Kubernetes objects: values files, CI configs, ...
    skipped_by_tool: dict[str, int] = field(default_factory=dict)  # tool -> documents
    skipped_files: dict[str, str] = field(default_factory=dict)  # file -> why (first document)

    def skip(self, tool: str, file: str | None = None, why: str | None = None) -> None:
        self.skipped += 1
        self.skipped_by_tool[tool] = self.skipped_by_tool.get(tool, 0) + 1
        if file is not None and file not in self.skipped_files:
            self.skipped_files[file] = f"{tool}: {why}" if why else tool


def _doc_issue(doc: Document, prefix: FieldPath) -> IssueAt:
    def issue(code: str, message: str, path: FieldPath, hint: str | None = None) -> LoadIssue:
        return LoadIssue(code, doc.source, 0, 0, message, hint=hint, doc_index=doc.index,
                         path=prefix + path)
    return issue


def _objects(doc: Document, data: Any, prefix: FieldPath
             ) -> Iterator[tuple[dict[str, Any], FieldPath]]:
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
    """Append the resources of one document to `out` (configuration YAML is only counted)."""
    data = doc.data
    kind = classify_document(data, doc.source.path)
    if not kind.is_object:
        out.skip(kind.tool, doc.source.path, kind.reason)
        return
    for obj, prefix in _objects(doc, data, ()):
        res = make_resource(obj, Origin(doc.source, doc.index, prefix, doc.line),
                            default_namespace, scope, out, _doc_issue(doc, prefix))
        if res is not None:
            out.resources.append(res)


def make_resource(obj: dict[str, Any], origin: Origin, default_namespace: str, scope: str,
                  out: Extraction, issue: IssueAt) -> Resource | None:
    """The resource of one object, or None (and an issue) when the API server would refuse it."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not api_version or not isinstance(kind, str) or not kind:
        missing = "apiVersion" if not isinstance(api_version, str) or not api_version else "kind"
        out.issues.append(issue("GW007", f"object has no valid {missing}; the API server "
                                "rejects it", (missing,) if missing in obj else (), None))
        return None
    meta = as_dict(obj.get("metadata"))
    name, namespace = meta.get("name"), meta.get("namespace")
    if any(template_in(v) for v in (api_version, kind, name, namespace)):
        out.issues.append(issue("GW003", "unrendered Go/Helm template syntax in the object's "
                                "identity: render it first", ("metadata",),
                                "lint the rendered output: "
                                "`helm template RELEASE CHART | gwlint -`"))
        return None
    if not isinstance(name, str) or not name:
        generate = meta.get("generateName")
        if isinstance(generate, str) and generate:
            name = generate + "<generated>"
        else:
            out.issues.append(issue("GW007", f"{kind} has no metadata.name; the API server "
                                    "rejects it", ("metadata",), None))
            return None
    group, version = split_api_version(api_version)
    defaulted = False
    if is_cluster_scoped(group, kind):
        namespace = None
    elif not isinstance(namespace, str) or not namespace:
        namespace, defaulted = default_namespace, True
    return Resource(api_version, group, version, kind, namespace, name, obj, origin, scope,
                    namespace_defaulted=defaulted)
