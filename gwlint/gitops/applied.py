"""What Argo CD and Flux change at apply time, on top of the directory's build.

A Flux `Kustomization` sets its `spec.targetNamespace`, `spec.namePrefix` and `spec.nameSuffix`
as the `namespace`, `namePrefix` and `nameSuffix` of the kustomization it builds, replacing the
directory's own values (it generates a kustomization, listing every manifest below, for a
directory without one), then writes `spec.commonMetadata` labels and annotations on every object
(https://fluxcd.io/flux/components/kustomize/kustomizations/#target-namespace, #name-prefix-and-
suffix, #common-metadata; fluxcd/pkg kustomize/kustomize_generator.go). `targetNamespace` is no
default: like kustomize's `namespace`, it moves every namespaced object, those that name a
namespace too, and renames a `Namespace` object to it.

An Argo CD `Application` whose source is a Kustomize directory runs `kustomize edit set
nameprefix|namesuffix|namespace` and `kustomize edit add label|annotation` with its
`kustomize` options before `kustomize build` (argo-cd util/kustomize/kustomize.go): the same
replacement of the root kustomization's own values. With `kustomize` options on a plain
directory, Argo CD treats the source as Kustomize anyway and the build fails (no kustomization
file): nothing is applied there, so nothing is changed here either. `destination.namespace`
stays a default for objects without a namespace (`layout._destinations`).

Kustomize's name-reference table knows no Gateway API field, so these renames leave
`parentRefs`, `backendRefs`, `certificateRefs` and ReferenceGrant `from`/`to` naming the old
objects: every rename is recorded (`AppliedRename`) with the object and field that caused it,
for GW802.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol

from gwlint.discover import scope_of
from gwlint.findings import dotted
from gwlint.gitops.kustomize import RefUpdate, Rename, ResId
from gwlint.gitops.kustomize.fieldspecs import PREFIX_SKIP
from gwlint.gitops.kustomize.model import KUSTOMIZE_CLUSTER_KINDS
from gwlint.gitops.appliedmodel import Applied, AppliedRename, Placeholders
from gwlint.gitops.scopes import ARGO, ARGO_GROUP, FLUX_KUSTOMIZE_GROUP, Scope, Setting
from gwlint.gitops.substitute import (
    Variables,
    disabled,
    placeholders,
    substitute_body,
    variables,
)
from gwlint.model import FieldPath, Resource


class BuildInfo(Protocol):
    """What is read of a root's build (gitops.layout.BuildInfo)."""

    @property
    def root(self) -> str: ...
    @property
    def kustomization(self) -> str: ...
    @property
    def renames(self) -> tuple[Rename, ...]: ...
    @property
    def ref_updates(self) -> tuple[RefUpdate, ...]: ...


Key = tuple[str, str, "str | None", str]  # group, kind, namespace as built, name


def apply(resources: list[Resource], scopes: list[tuple[Scope, str]],
          builds: Iterable[BuildInfo]) -> Applied:
    """Apply the settings of `scopes` (each with its glob as a display path, most specific
    first) to the objects they apply; return the renames. Objects without a namespace in an
    Argo CD scope get its destination first (the ids references were written against)."""
    builds = list(builds)
    result = Applied(namespaces=_unit_namespaces(scopes, builds))
    active = [(s, g) for s, g in scopes if s.settings]
    if active:
        result.renames, post = _apply_all(resources, active, builds)
        if post:
            _substitute(resources, post, result)
    return result


Posted = tuple[Resource, Scope, "Resource | None"]  # an object, its Flux scope, Kustomization


def _substitute(resources: list[Resource], post: list[Posted], result: Applied) -> None:
    """Flux's postBuild substitution on the objects of scopes that have one (gitops.substitute);
    the values of every Kustomization are read before any object changes."""
    stores: dict[tuple[str, str], list[Resource]] = defaultdict(list)
    for res in resources:
        if res.group == "" and res.kind in ("ConfigMap", "Secret"):
            stores[(res.kind, res.name)].append(res)

    def find(kind: str, name: str, namespace: str | None) -> Resource | None:
        found = stores.get((kind, name), [])
        if namespace is not None:
            found = [r for r in found if r.namespace == namespace]
        return found[0] if len(found) == 1 else None

    known: dict[int, Variables] = {}
    for _, scope, by in post:
        if by is not None and id(by) not in known:
            setting = next(s for s in scope.settings if s.field == "postBuild")
            refs, inline = setting.value.get("substituteFrom"), setting.value.get("substitute")
            known[id(by)] = variables(by, refs if isinstance(refs, list) else [],
                                      inline if isinstance(inline, dict) else None, find)
    for res, scope, by in post:
        found = known.get(id(by)) if by is not None else None
        # Flux substitutes nothing without a variable; a disabled object is left alone
        if found is None or (found.complete and not found.values) or disabled(res):
            continue
        done = substitute_body(res.body, found.lookup(), functools.partial(_plain, res))
        result.placeholders[id(res)] = Placeholders(done.unresolved, scope.label,
                                                    tuple(found.missing))
        if done.body is not res.body:
            _rename_substituted(res, done.body)
            res.body = done.body
            result.substituted.append(res)


def unresolved(applied: Applied, res: Resource, path: FieldPath,
               within: bool = False) -> tuple[str, ...]:
    """The variables the string at `path` still holds: as Flux's substitution left them for an
    object it substitutes, else every `${NAME}` in it (no known Flux Kustomization substitutes
    the object, `--scope` is given, or substitution is disabled on it). `within`: for an object
    at `path`, those of its own strings too (a CEL rule's violation names the object)."""
    path = tuple(path)
    value = res.get(*path)
    paths = [path]
    if within and isinstance(value, dict):
        paths += [(*path, k) for k, v in value.items() if isinstance(v, str)]
    known = applied.placeholders.get(id(res))
    out: dict[str, None] = {}
    for at in paths:
        if known is not None:
            out.update(dict.fromkeys(known.paths.get(at, ())))
        elif isinstance(text := res.get(*at), str):
            out.update(dict.fromkeys(placeholders(text)))
    return tuple(out)


def _plain(res: Resource, path: FieldPath) -> bool:
    """Whether the value at `path` was written as a plain one-line scalar (Flux substitutes the
    text: `port: ${PORT}` becomes a number, `port: "${PORT}"` stays a string)."""
    # imported here to keep start-up fast: only a placeholder with a numeric value needs spans
    from gwlint.spans import SpanIndex

    source, doc_index, at = res.origin.at(path)
    span, found = SpanIndex().locate(source, doc_index, at)
    if found != len(at) or span.line != span.end_line:
        return False
    lines = source.text.splitlines()
    line = lines[span.end_line - 1] if 0 < span.end_line <= len(lines) else ""
    end = span.end_column - 2  # the value's last character (end_column is exclusive, 1-based)
    return 0 <= end < len(line) and line[end] not in "\"'"


def _rename_substituted(res: Resource, body: dict[str, Any]) -> None:
    """The object's name and namespace as substituted (`name: app-${ENV}`)."""
    meta = body.get("metadata")
    if not isinstance(meta, dict):
        return
    name, namespace = meta.get("name"), meta.get("namespace")
    if isinstance(name, str) and name and name != res.metadata.get("name"):
        res.name = name
    if isinstance(namespace, str) and namespace and namespace != res.metadata.get("namespace") \
            and not res.namespace_defaulted:
        res.namespace = namespace


def _unit_namespaces(scopes: list[tuple[Scope, str]], builds: list[BuildInfo]) -> dict[str, str]:
    """unit -> the Argo CD destination its objects without a namespace get (as
    layout._destinations chooses it), for the units whose builds renamed something."""
    targets = [(g, s.namespace) for s, g in scopes if s.tool == ARGO and s.namespace]
    renamed = {b.root for b in builds if b.renames}
    if not targets or not renamed:
        return {}
    globs = [g for g, _ in targets]
    out: dict[str, str] = {}
    for root in renamed:
        where = scope_of(root.rstrip("/") + "/x", globs)
        if where:
            pattern = next(g for g in globs if scope_of(where + "/x", [g]) == where)
            out[root] = dict(targets)[pattern]
    return out


def _apply_all(resources: list[Resource], active: list[tuple[Scope, str]],
               builds: list[BuildInfo]) -> tuple[list[AppliedRename], list[Posted]]:
    roots = {b.root: b for b in builds}
    tools = {(r.origin.source.path, r.origin.doc_index): r for r in resources
             if r.group in (ARGO_GROUP, FLUX_KUSTOMIZE_GROUP)}
    chains = _Chains()
    out: list[AppliedRename] = []
    post: list[Posted] = []
    built: dict[tuple[str, Key], Resource] = {}  # (root, id as built) -> object
    found: dict[tuple[str, str], Scope | None] = {}  # (root, directory) -> its scope
    for res in resources:
        root = res.origin.overlay or ""
        where = (root, "" if root else res.origin.source.path.rpartition("/")[0])
        if where not in found:  # the objects of one root or directory share the answer
            found[where] = _scope(res, active, roots)
        scope = found[where]
        if scope is None:
            continue
        build = roots.get(res.origin.overlay or "")
        unit = res.origin.overlay or res.scope
        if build is not None:
            built[(build.root, _key(res))] = res
        by = tools.get((scope.file, scope.doc_index))
        out += _apply(res, scope, unit, build, chains, by)
        if any(s.field == "postBuild" for s in scope.settings):
            post.append((res, scope, by))
    _follow_known_references(out, roots, built)
    return out, post


def _follow_known_references(renames: list[AppliedRename], roots: dict[str, BuildInfo],
                             built: dict[tuple[str, Key], Resource]) -> None:
    """References kustomize rewrote in a build (its name-reference table, the kustomization's
    `configurations`) are rewritten again when the tool renames on top of that build, as the
    real build (with the tool's prefix) would have written them."""
    names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for a in renames:
        if a.rename.old.name != a.rename.new.name and a.unit in roots:
            names[a.unit][a.rename.old.name].add(a.rename.new.name)
    for root, by_old in names.items():
        for update in roots[root].ref_updates:
            referrer = built.get((root, _rid_key(update.object)))
            new = by_old.get(update.new)
            if referrer is None or new is None or len(new) != 1 \
                    or referrer.get(*update.path) != update.new:
                continue
            referrer.body = _put(referrer.body, update.path, next(iter(new)))


def _put(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    """`node` with `value` at `path`, copying the containers along it (bodies may be shared)."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {**node, step: _put(node[step], rest, value)}
    copy = list(node)
    copy[step] = _put(node[step], rest, value)
    return copy


def _scope(res: Resource, active: list[tuple[Scope, str]],
           roots: dict[str, Any]) -> Scope | None:
    """The scope whose settings apply to `res`: Argo CD's only to the Kustomize root at its
    path; Flux's to the root at its path, or, for a directory without a kustomization (Flux
    generates one), to every plain manifest below it and every root below it that no root in
    between includes."""
    root = res.origin.overlay
    for scope, glob in active:
        if root:
            where = scope_of(root.rstrip("/") + "/x", [glob])
            if not where:
                continue
            if where == root.rstrip("/"):
                return scope
            if scope.tool != ARGO and where not in roots and not _root_between(where, root, roots):
                return scope
        elif scope.tool != ARGO and scope_of(res.origin.source.path, [glob]):
            return scope
    return None


def _root_between(top: str, root: str, roots: dict[str, Any]) -> bool:
    parts = root.rstrip("/").split("/")
    depth = len(top.split("/"))
    return any("/".join(parts[:n]) in roots for n in range(depth + 1, len(parts)))


def _apply(res: Resource, scope: Scope, unit: str, build: BuildInfo | None, chains: _Chains,
           by: Resource | None) -> list[AppliedRename]:
    settings = {s.field: s for s in scope.settings}
    meta = dict(res.metadata)
    out: list[AppliedRename] = []
    if scope.tool == ARGO and res.namespace_defaulted and scope.namespace:
        res.namespace = scope.namespace  # the destination, as layout._destinations gives it
    as_built = _key(res)
    moved = settings.get("namespace")
    if moved is not None:
        out += _move(res, meta, moved, scope, unit, by)
    affixes = [settings[f] for f in ("namePrefix", "nameSuffix") if f in settings]
    if affixes and (res.group, res.kind) not in PREFIX_SKIP:
        prefix = settings["namePrefix"].value if "namePrefix" in settings else None
        suffix = settings["nameSuffix"].value if "nameSuffix" in settings else None
        name, replaced = chains.renamed(as_built, res.name, build, prefix, suffix)
        if name != res.name:
            before = _id(res)
            res.name = meta["name"] = name
            field = "+".join(dotted(s.path) for s in affixes)
            out.append(AppliedRename(unit, Rename(before, _id(res), scope.label, field), by,
                                     affixes[0].path, replaced))
    for field, key in (("labels", "labels"), ("annotations", "annotations")):
        if field in settings:
            current = meta.get(key)
            meta[key] = {**(current if isinstance(current, dict) else {}),
                         **settings[field].value}
    if meta != res.metadata:
        res.body = {**res.body, "metadata": meta}  # bodies may be shared by several builds
    return out


def _move(res: Resource, meta: dict[str, Any], setting: Setting, scope: Scope, unit: str,
          by: Resource | None) -> list[AppliedRename]:
    """kustomize's namespace transformer: every namespaced object moves (a Namespace object is
    renamed to the namespace; kinds kustomize knows as cluster-scoped are left alone)."""
    namespace = setting.value
    field = dotted(setting.path)
    before = _id(res)
    if (res.group, res.kind) == ("", "Namespace"):
        if res.name == namespace:
            return []
        res.name = meta["name"] = namespace
    elif res.namespace is None or (res.group, res.kind) in KUSTOMIZE_CLUSTER_KINDS:
        return []
    else:
        res.namespace_defaulted = False
        meta["namespace"] = namespace
        if res.namespace == namespace:
            return []
        res.namespace = namespace
    return [AppliedRename(unit, Rename(before, _id(res), scope.label, field), by, setting.path)]


def _id(res: Resource) -> ResId:
    return ResId(res.group, res.version, res.kind, res.namespace, res.name)


def _key(res: Resource) -> Key:
    """The object's id as its build recorded it (no namespace when it had none)."""
    namespace = res.metadata.get("namespace")
    return res.group, res.kind, namespace if isinstance(namespace, str) and namespace else None, \
        res.name


class _Chains:
    """The renames of each build, indexed by the id they gave (on first use)."""

    def __init__(self) -> None:
        self._index: dict[str, dict[Key, list[int]]] = {}

    def renamed(self, key: Key, name: str, build: BuildInfo | None, prefix: str | None,
                suffix: str | None) -> tuple[str, Rename | None]:
        """The object's name when the root kustomization's own namePrefix/nameSuffix are
        replaced by `prefix`/`suffix` (None: kept), as `kustomize edit set` does: the root's
        affixes are applied after its bases' and before a generator's hash suffix. Also the
        root's own rename this one supersedes wholly (None: none)."""
        chain = self._chain(key, build) if build is not None else []
        own = build.kustomization if build is not None else ""
        if chain and _rebuild(chain, own, None, None) != name:
            chain = []  # renamed by something the records do not show (a replacement)
        if not chain:
            return (prefix or "") + name + (suffix or ""), None
        replaced = next((r for r in chain if r.kustomization == own
                         and ("namePrefix" in r.field or "nameSuffix" in r.field)
                         and ("namePrefix" not in r.field or prefix is not None)
                         and ("nameSuffix" not in r.field or suffix is not None)), None)
        return _rebuild(chain, own, prefix, suffix), replaced

    def _chain(self, key: Key, build: BuildInfo) -> list[Rename]:
        index = self._index.get(build.root)
        if index is None:
            index = self._index[build.root] = defaultdict(list)
            for i, r in enumerate(build.renames):
                index[_rid_key(r.new)].append(i)
        chain: list[Rename] = []
        pos = len(build.renames)
        while True:
            earlier = [i for i in index.get(key, []) if i < pos]
            if not earlier:
                break
            pos = max(earlier)
            chain.append(build.renames[pos])
            key = _rid_key(build.renames[pos].old)
        chain.reverse()
        return chain


def _rid_key(rid: ResId) -> Key:
    return rid.group, rid.kind, rid.namespace or None, rid.name


def _rebuild(chain: list[Rename], own: str, prefix: str | None, suffix: str | None) -> str:
    """The name at the end of `chain` with the root's (`own`) affixes replaced."""
    name = chain[0].old.name
    root_done = False
    for r in chain:
        old, new = r.old.name, r.new.name
        if old == new:
            continue
        if r.field == "hash":
            if not root_done:
                name, root_done = (prefix or "") + name + (suffix or ""), True
            name += new[len(old):] if new.startswith(old) else ""
        elif "namePrefix" in r.field or "nameSuffix" in r.field:
            at = new.find(old)
            p, s = (new[:at], new[at + len(old):]) if at >= 0 else ("", "")
            if r.kustomization == own:
                p = prefix if prefix is not None else p
                s = suffix if suffix is not None else s
                root_done = True
            name = p + name + s
        else:
            name = new
    if not root_done:
        name = (prefix or "") + name + (suffix or "")
    return name
