"""Directories applied together, as Argo CD and Flux objects in the repository name them.

An Argo CD `Application` deploys the manifests at `spec.source.path` (or each `spec.sources[].path`)
of its repository (https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/);
an `ApplicationSet` stamps Applications from `spec.template.spec.source.path`, usually with a Git
directory generator (`spec.generators[].git.directories[].path`, globs such as `apps/*`;
https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Git/). A Flux
`Kustomization` (kustomize.toolkit.fluxcd.io) applies `spec.path`
(https://fluxcd.io/flux/components/kustomize/kustomizations/#path). Each such directory is one
cluster-side unit: objects in different ones never see each other, as with `--scope`. Paths are
taken relative to the repository root, as both tools do; `.` (the whole repository) names no
separate scope.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ARGO_GROUP = "argoproj.io"
FLUX_KUSTOMIZE_GROUP = "kustomize.toolkit.fluxcd.io"


@dataclass(frozen=True, slots=True)
class Scope:
    """A directory glob (repository-relative, `--scope` syntax) and why it is a scope."""

    glob: str
    reason: str
    file: str  # display path of the object that names it
    doc_index: int
    path: tuple[str | int, ...]  # JSON path of the field
    namespace: str | None = None  # where objects without a namespace go (the destination)


def _normalise(path: str) -> str | None:
    text = path.strip().replace("\\", "/")
    if not text or "{{" in text or "${" in text:
        return None
    norm = posixpath.normpath(text.lstrip("/"))
    if norm in (".", "") or norm.startswith(".."):
        return None
    return norm


def _group(data: dict[str, Any]) -> str:
    api = data.get("apiVersion")
    return api.rpartition("/")[0] if isinstance(api, str) else ""


def _get(node: Any, *path: str | int) -> Any:
    for step in path:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
    return node


def scopes_of(data: Any, file: str, doc_index: int = 0) -> list[Scope]:
    """The scopes one document names (none for other objects)."""
    if not isinstance(data, dict):
        return []
    group, kind = _group(data), data.get("kind")
    name = _get(data, "metadata", "name")
    label = f"{kind} {name}" if isinstance(name, str) else str(kind)
    found: list[tuple[Any, tuple[str | int, ...], str]] = []
    # the namespace objects without one are applied to: Argo CD's destination, Flux's
    # targetNamespace (https://fluxcd.io/flux/components/kustomize/kustomizations/#target-namespace)
    if group == FLUX_KUSTOMIZE_GROUP:
        target = _get(data, "spec", "targetNamespace")
    elif kind == "ApplicationSet":
        target = _get(data, "spec", "template", "spec", "destination", "namespace")
    else:
        target = _get(data, "spec", "destination", "namespace")
    namespace = target if isinstance(target, str) and target and "{{" not in target else None
    if group == ARGO_GROUP and kind == "Application":
        found.append((_get(data, "spec", "source", "path"), ("spec", "source", "path"),
                      f"Argo CD {label} deploys it"))
        sources = _get(data, "spec", "sources")
        for i, _ in enumerate(sources if isinstance(sources, list) else []):
            found.append((_get(sources, i, "path"), ("spec", "sources", i, "path"),
                          f"Argo CD {label} deploys it"))
    elif group == ARGO_GROUP and kind == "ApplicationSet":
        found.append((_get(data, "spec", "template", "spec", "source", "path"),
                      ("spec", "template", "spec", "source", "path"),
                      f"Argo CD {label} deploys it"))
        generators = _get(data, "spec", "generators")
        for i, gen in enumerate(generators if isinstance(generators, list) else []):
            dirs = _get(gen, "git", "directories")
            for j, entry in enumerate(dirs if isinstance(dirs, list) else []):
                if _get(entry, "exclude") is True:
                    continue
                found.append((_get(entry, "path"),
                              ("spec", "generators", i, "git", "directories", j, "path"),
                              f"Argo CD {label} deploys each directory it matches"))
    elif group == FLUX_KUSTOMIZE_GROUP and kind == "Kustomization":
        found.append((_get(data, "spec", "path"), ("spec", "path"), f"Flux {label} applies it"))
    out = []
    for value, path, why in found:
        glob = _normalise(value) if isinstance(value, str) else None
        if glob is not None:
            out.append(Scope(glob, why, file, doc_index, path, namespace))
    return out


def find_scopes(documents: Iterable[tuple[Any, str, int]]) -> list[Scope]:
    """Scopes named by (data, file, doc_index) documents; one per glob (the first reason wins),
    most specific first so that a nested directory is not swallowed by its parent."""
    seen: dict[str, Scope] = {}
    for data, file, index in documents:
        for scope in scopes_of(data, file, index):
            seen.setdefault(scope.glob, scope)
    return sorted(seen.values(), key=lambda s: (-s.glob.count("/"), s.glob))
