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

Both tools also change what they apply, on top of the directory's build (`gitops.applied` does
it): Flux sets its `targetNamespace`, `namePrefix` and `nameSuffix` as the namespace, prefix and
suffix of the kustomization it builds (replacing the directory's own; it generates one for a
directory without), then `commonMetadata` on every object; Argo CD runs `kustomize edit set
nameprefix|namesuffix|namespace` and `kustomize edit add label|annotation` with an Application's
`kustomize` options before `kustomize build` (https://argo-cd.readthedocs.io/en/stable/user-guide/
kustomize/). Each such value is a `Setting`, kept with the JSON path that wrote it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ARGO_GROUP = "argoproj.io"
FLUX_KUSTOMIZE_GROUP = "kustomize.toolkit.fluxcd.io"


FLUX = "flux"
ARGO = "argo"


@dataclass(frozen=True, slots=True)
class Setting:
    """One value a tool applies on top of the directory's build: `field` is namespace,
    namePrefix, nameSuffix (str), labels or annotations (dict of str); `path` is its JSON path
    in the Argo CD or Flux object."""

    field: str
    value: Any
    path: tuple[str | int, ...]
    # also postBuild (dict): Flux's variable substitution (gitops.substitute)


def describe(settings: tuple[Setting, ...]) -> str:
    """What a tool changes at apply time, for the scope listing: 'targetNamespace: prod,
    postBuild: 2 variables'."""
    parts = []
    for setting in settings:
        name = _setting_name(setting)
        value = setting.value
        if isinstance(value, str):
            parts.append(f"{name}: {value}")
        elif setting.field == "postBuild" and isinstance(value, dict):
            inline = value.get("substitute")
            count = len(inline) if isinstance(inline, dict) else 0
            sources = value.get("substituteFrom")
            more = len(sources) if isinstance(sources, list) else 0
            parts.append(f"postBuild: {count} variable{'s' if count != 1 else ''}"
                         + (f" and {more} substituteFrom source{'s' if more != 1 else ''}"
                            if more else ""))
        elif isinstance(value, dict):
            parts.append(f"{name}: {len(value)} key{'s' if len(value) != 1 else ''}")
    return ", ".join(parts)


def _setting_name(setting: Setting) -> str:
    """The field as the tool's users write it: spec.sources[0].kustomize.namePrefix ->
    namePrefix, spec.commonMetadata.labels -> commonMetadata.labels."""
    steps = list(setting.path)
    while steps and (isinstance(steps[0], int) or steps[0] in _SETTING_PARENTS):
        steps.pop(0)
    return ".".join(str(s) for s in steps) or setting.field


_SETTING_PARENTS = frozenset({"spec", "source", "sources", "template", "kustomize"})


@dataclass(frozen=True, slots=True)
class Scope:
    """A directory glob (repository-relative, `--scope` syntax) and why it is a scope."""

    glob: str
    reason: str
    file: str  # display path of the object that names it
    doc_index: int
    path: tuple[str | int, ...]  # JSON path of the field
    namespace: str | None = None  # where objects without a namespace go (the destination)
    tool: str = ""  # FLUX or ARGO
    label: str = ""  # "Flux Kustomization apps", "Argo CD Application shop"
    settings: tuple[Setting, ...] = ()  # what the tool changes at apply time


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


def _plain(value: Any) -> bool:
    """A value gwlint can apply: not a template Argo CD or Flux fills in later."""
    return not any(mark in value for mark in ("{{", "${"))


def _text(node: Any, path: tuple[str | int, ...], field: str) -> list[Setting]:
    value = _get(node, *path)
    return [Setting(field, value, path)] if isinstance(value, str) and value and _plain(value) \
        else []


def _pairs(node: Any, path: tuple[str | int, ...], field: str) -> list[Setting]:
    value = _get(node, *path)
    if not isinstance(value, dict):
        return []
    pairs = {k: v for k, v in value.items()
             if isinstance(k, str) and k and isinstance(v, str) and _plain(k) and _plain(v)}
    return [Setting(field, pairs, path)] if pairs else []


def _argo_settings(data: Any, source: tuple[str | int, ...]) -> tuple[Setting, ...]:
    """An Argo CD source's `kustomize` options gwlint applies (`source`: the source's path)."""
    at = (*source, "kustomize")
    return tuple(_text(data, (*at, "namePrefix"), "namePrefix")
                 + _text(data, (*at, "nameSuffix"), "nameSuffix")
                 + _text(data, (*at, "namespace"), "namespace")
                 + _pairs(data, (*at, "commonLabels"), "labels")
                 + _pairs(data, (*at, "commonAnnotations"), "annotations"))


def _flux_settings(data: Any) -> tuple[Setting, ...]:
    """A Flux Kustomization's fields that change what it applies. `namePrefix`/`nameSuffix`
    exist in API v1 only (kustomize-controller v1.3.0, Flux v2.3): older versions' schemas
    prune them."""
    version = data.get("apiVersion", "").rpartition("/")[2] \
        if isinstance(data.get("apiVersion"), str) else ""
    out = _text(data, ("spec", "targetNamespace"), "namespace")
    if version == "v1":
        out += _text(data, ("spec", "namePrefix"), "namePrefix")
        out += _text(data, ("spec", "nameSuffix"), "nameSuffix")
    out += _pairs(data, ("spec", "commonMetadata", "labels"), "labels")
    out += _pairs(data, ("spec", "commonMetadata", "annotations"), "annotations")
    post = _get(data, "spec", "postBuild")  # variables substituted after the build
    if isinstance(post, dict) and (isinstance(post.get("substitute"), dict)
                                   or isinstance(post.get("substituteFrom"), list)):
        out.append(Setting("postBuild", post, ("spec", "postBuild")))
    return tuple(out)


def scopes_of(data: Any, file: str, doc_index: int = 0) -> list[Scope]:
    """The scopes one document names (none for other objects)."""
    if not isinstance(data, dict):
        return []
    group, kind = _group(data), data.get("kind")
    name = _get(data, "metadata", "name")
    label = f"{kind} {name}" if isinstance(name, str) else str(kind)
    found: list[tuple[Any, tuple[str | int, ...], str, tuple[Setting, ...]]] = []
    # the namespace objects without one are applied to: Argo CD's destination, Flux's
    # targetNamespace (https://fluxcd.io/flux/components/kustomize/kustomizations/#target-namespace)
    if group == FLUX_KUSTOMIZE_GROUP:
        target = _get(data, "spec", "targetNamespace")
    elif kind == "ApplicationSet":
        target = _get(data, "spec", "template", "spec", "destination", "namespace")
    else:
        target = _get(data, "spec", "destination", "namespace")
    namespace = target if isinstance(target, str) and target and "{{" not in target else None
    tool = ""
    if group == ARGO_GROUP and kind == "Application":
        tool = ARGO
        found.append((_get(data, "spec", "source", "path"), ("spec", "source", "path"),
                      f"Argo CD {label} deploys it", _argo_settings(data, ("spec", "source"))))
        sources = _get(data, "spec", "sources")
        for i, _ in enumerate(sources if isinstance(sources, list) else []):
            found.append((_get(sources, i, "path"), ("spec", "sources", i, "path"),
                          f"Argo CD {label} deploys it",
                          _argo_settings(data, ("spec", "sources", i))))
    elif group == ARGO_GROUP and kind == "ApplicationSet":
        tool = ARGO
        settings = _argo_settings(data, ("spec", "template", "spec", "source"))
        found.append((_get(data, "spec", "template", "spec", "source", "path"),
                      ("spec", "template", "spec", "source", "path"),
                      f"Argo CD {label} deploys it", settings))
        generators = _get(data, "spec", "generators")
        for i, gen in enumerate(generators if isinstance(generators, list) else []):
            dirs = _get(gen, "git", "directories")
            for j, entry in enumerate(dirs if isinstance(dirs, list) else []):
                if _get(entry, "exclude") is True:
                    continue
                found.append((_get(entry, "path"),
                              ("spec", "generators", i, "git", "directories", j, "path"),
                              f"Argo CD {label} deploys each directory it matches", settings))
    elif group == FLUX_KUSTOMIZE_GROUP and kind == "Kustomization":
        tool = FLUX
        found.append((_get(data, "spec", "path"), ("spec", "path"), f"Flux {label} applies it",
                      _flux_settings(data)))
    out = []
    who = f"{'Flux' if tool == FLUX else 'Argo CD'} {label}"
    for value, path, why, settings in found:
        glob = _normalise(value) if isinstance(value, str) else None
        if glob is not None:
            out.append(Scope(glob, why, file, doc_index, path, namespace, tool, who, settings))
    return out


def find_scopes(documents: Iterable[tuple[Any, str, int]]) -> list[Scope]:
    """Scopes named by (data, file, doc_index) documents; one per glob (the first reason wins),
    most specific first so that a nested directory is not swallowed by its parent."""
    seen: dict[str, Scope] = {}
    for data, file, index in documents:
        for scope in scopes_of(data, file, index):
            seen.setdefault(scope.glob, scope)
    return sorted(seen.values(), key=lambda s: (-s.glob.count("/"), s.glob))
