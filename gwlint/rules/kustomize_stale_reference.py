"""A Kustomize overlay renamed an object, but a Gateway API reference still names the old one.

`namePrefix`, `nameSuffix` and `namespace` rename every object of a build, and a
`configMapGenerator`/`secretGenerator` appends a content hash to the names it makes. Kustomize
then rewrites the references it knows, from its built-in name-reference table (Deployments'
ConfigMaps and Secrets, Ingress backends, RBAC bindings...). That table knows no Gateway API
field: `parentRefs`, `backendRefs`, listener `certificateRefs`, `gatewayClassName`, a
ListenerSet's `parentRef`, a policy's `targetRefs`, the `parametersRef` of a GatewayClass or of a
Gateway's `infrastructure` (a ConfigMap, an implementation's parameters object) and
ReferenceGrant `from`/`to` keep the old names and namespaces. Every object looks right in the
base, and the built overlay is broken: the route attaches to nothing, the listener has no
certificate, the GatewayClass has no parameters.

gwlint builds the overlay as kustomize does and reports the reference where it is written,
naming the overlay and the renamed object (the not-found finding of the same reference is left
out: this one says why). References the kustomization teaches kustomize with `configurations`
(a `nameReference` entry for the field) are rewritten by the build and not reported.

Argo CD and Flux rename on top of the build, and the same trap follows: a Flux Kustomization's
`spec.targetNamespace` (which moves every namespaced object, those that name a namespace too),
`spec.namePrefix`/`spec.nameSuffix`, and an Argo CD Application's `kustomize.namePrefix`,
`nameSuffix` and `namespace` (which replace the root kustomization's own) rename the objects of
the directory they apply. A reference that names the old namespace or name explicitly is
reported the same way, naming the Application or Kustomization and its field.

Bad:

```yaml
# file: base/kustomization.yaml
resources: [gateway.yaml, route.yaml, service.yaml]
---
# file: base/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
# file: base/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop}
spec:
  parentRefs: [{name: web}]      # still 'web' after the build: the Gateway is 'prod-web'
  rules: [{backendRefs: [{name: shop, port: 80}]}]   # and 'shop' is 'prod-shop'
---
# file: base/service.yaml
apiVersion: v1
kind: Service
metadata: {name: shop}
spec: {ports: [{port: 80}]}
---
# file: overlays/prod/kustomization.yaml
resources: [../../base]
namePrefix: prod-
```

Fixed:

```yaml
# file: base/kustomization.yaml
resources: [gateway.yaml, route.yaml, service.yaml]
configurations: [gateway-api-refs.yaml]   # teach kustomize the Gateway API fields
---
# file: base/gateway-api-refs.yaml
nameReference:
- kind: Gateway
  group: gateway.networking.k8s.io
  fieldSpecs: [{kind: HTTPRoute, path: spec/parentRefs/name}]
- kind: Service
  fieldSpecs: [{kind: HTTPRoute, path: spec/rules/backendRefs/name}]
---
# file: base/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
# file: base/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop}
spec:
  parentRefs: [{name: web}]      # rewritten to 'prod-web' by the build
  rules: [{backendRefs: [{name: shop, port: 80}]}]
---
# file: base/service.yaml
apiVersion: v1
kind: Service
metadata: {name: shop}
spec: {ports: [{port: 80}]}
---
# file: overlays/prod/kustomization.yaml
resources: [../../base]
namePrefix: prod-
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from gwlint.findings import FieldPath, Finding, Related
from gwlint.gitops.appliedmodel import Applied, AppliedRename
from gwlint.gitops.kustomize import Rename, ResId
from gwlint.gitops.kustomize.model import cluster_scoped
from gwlint.model import ObjKey, Resource, as_dict, as_list, as_str
from gwlint.refs import (
    BACKEND,
    CA_CERTIFICATE,
    CERTIFICATE,
    CLIENT_CERTIFICATE,
    GATEWAY_CLASS,
    LISTENERSET_PARENT,
    MIRROR,
    PARAMETERS,
    PARENT,
    POLICY_TARGET,
    Ref,
)
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.gitops.layout import BuildInfo

FIELD_NAMES = {PARENT: "parentRef", BACKEND: "backendRef", MIRROR: "requestMirror backendRef",
               CERTIFICATE: "certificateRef", CA_CERTIFICATE: "caCertificateRef",
               CLIENT_CERTIFICATE: "clientCertificateRef", GATEWAY_CLASS: "gatewayClassName",
               LISTENERSET_PARENT: "parentRef", POLICY_TARGET: "targetRef",
               PARAMETERS: "parametersRef"}

Key = tuple[str, str, "str | None", str]  # group, kind, namespace, name


class _Renames:
    """One unit's renames (a Kustomize root's build, then what Argo CD or Flux changed when
    applying it): old id -> the rename, followed to the object's final id."""

    def __init__(self, root: str, renames: Iterable[Rename], applied: Iterable[AppliedRename],
                 default_namespace: str, is_root: bool) -> None:
        self.root = root
        self.is_root = is_root  # a Kustomize root (else a directory of plain manifests)
        self.default_namespace = default_namespace
        self.latest: dict[Key, Rename] = {}
        self.moved: dict[tuple[str, str, str], list[Rename]] = {}  # (group, kind, old ns)
        self.applied: dict[int, AppliedRename] = {}  # id(rename) -> its record
        self.hidden: set[int] = set()  # the root's own renames Argo CD or Flux replaced
        for a in applied:
            self.applied[id(a.rename)] = a
            if a.replaces is not None:
                self.hidden.add(id(a.replaces))
        for r in [*renames, *(a.rename for a in applied)]:
            self.latest[self.key(r.old)] = r
            old_ns, new_ns = self.key(r.old)[2], self.key(r.new)[2]
            if old_ns is not None and old_ns != new_ns:
                self.moved.setdefault((r.old.group, r.old.kind, old_ns), []).append(r)

    def key(self, rid: ResId) -> Key:
        if cluster_scoped(rid.group, rid.kind):
            return rid.group, rid.kind, None, rid.name
        return rid.group, rid.kind, rid.namespace or self.default_namespace, rid.name

    def follow(self, key: Key) -> tuple[Key, list[Rename]] | None:
        """The final id of an object that had id `key` earlier, and the renames."""
        chain: list[Rename] = []
        seen: set[Key] = set()
        while key in self.latest and key not in seen:
            seen.add(key)
            chain.append(self.latest[key])
            key = self.key(chain[-1].new)
        return (key, chain) if chain else None

    def tools(self, chain: list[Rename]) -> list[str]:
        """Who renamed: 'kustomize', 'Flux', 'Argo CD', in the chain's order."""
        out: list[str] = []
        for r in self.shown(chain):
            tool = "kustomize" if id(r) not in self.applied else r.kustomization.split(" ")[0]
            tool = "Argo CD" if tool == "Argo" else tool
            if tool not in out:
                out.append(tool)
        return out

    def shown(self, chain: list[Rename]) -> list[Rename]:
        """The renames that explain the chain: not the root's own namePrefix/nameSuffix where
        the tool replaced it (`kustomize edit set nameprefix`)."""
        return [r for r in chain if id(r) not in self.hidden] or chain

    def where(self, chain: list[Rename]) -> str:
        """'the built overlays/prod', or 'apps/web as Flux applies it'."""
        tools = [t for t in self.tools(chain) if t != "kustomize"]
        return f"{self.root} as {tools[0]} applies it" if tools else f"the built {self.root}"

    def related(self, chain: list[Rename]) -> list[Related]:
        """The Argo CD/Flux fields that renamed, as related locations."""
        out = []
        for r in chain:
            a = self.applied.get(id(r))
            if a is not None and a.by is not None:
                out.append(Related(f"{r.kustomization} sets {r.field}", a.by, a.path))
        return out


def _label(key: Key) -> str:
    _group, kind, namespace, name = key
    return f"{kind} {namespace + '/' if namespace else ''}{name}"


def _how(chain: list[Rename], what: str) -> str:
    """'overlays/prod/kustomization.yaml (namePrefix)', for the renames that changed `what`."""
    relevant = [r for r in chain if (what == "name" and r.old.name != r.new.name)
                or (what == "namespace" and r.old.namespace != r.new.namespace)] or chain
    parts: list[str] = []
    for r in relevant:
        text = f"{r.kustomization} ({r.field})"
        if text not in parts:
            parts.append(text)
    return ", ".join(parts)


def _field_spec(ref: Ref) -> str:
    """kustomize's field-spec path of a reference's name: spec/parentRefs/name."""
    steps = [str(s) for s in ref.path if not isinstance(s, int)]
    return "/".join(steps) if ref.type == GATEWAY_CLASS else "/".join([*steps, "name"])


def _rewrites(renames: _Renames, chain: list[Rename]) -> str:
    """'kustomize does not rewrite', 'Flux does not rewrite', 'kustomize and Argo CD do not'."""
    tools = renames.tools(chain)
    verb = "does not" if len(tools) == 1 else "do not"
    return f"{' and '.join(tools)} {verb} rewrite Gateway API references"


def _name_hint(ref: Ref, old: Key, new: Key, chain: list[Rename], renames: _Renames) -> str:
    group, kind = old[0], old[1]
    root = renames.root
    if not renames.is_root:
        return f"write '{new[3]}' in the reference"
    if any(r.field == "hash" for r in chain):
        return (f"set `options: {{disableNameSuffixHash: true}}` on the generator of '{old[3]}' "
                f"(or write '{new[3]}' in the reference with a patch in {root})")
    group_text = group if group else '""'
    return (f"write '{new[3]}' in the reference with a patch in {root}, or teach kustomize the "
            f"field: add `configurations: [gateway-api-refs.yaml]` with `nameReference: "
            f"[{{kind: {kind}, group: {group_text}, fieldSpecs: [{{kind: {ref.source.kind}, "
            f"path: {_field_spec(ref)}}}]}}]`")


def _check_ref(ctx: Context, ref: Ref, renames: _Renames) -> Finding | None:
    target = ref.target
    if ctx.exists(target):
        return None
    old: Key = (target.group, target.kind, target.namespace, target.name)
    found = renames.follow(old)
    if found is None:
        return None
    new, chain = found
    root = renames.root
    what = FIELD_NAMES[ref.type]
    renamed = ctx.get(ObjKey(target.scope, *new))
    after = f"after the build of {root}" if renames.is_root and not any(
        id(r) in renames.applied for r in chain) else f"in {renames.where(chain)}"
    related = [Related(f"{_label(new)} {after}", renamed, ("metadata", "name"))
               ] if renamed is not None else []
    related += renames.related(chain)
    where, rewrites = renames.where(chain), _rewrites(renames, chain)
    if old[3] != new[3]:
        path: FieldPath = ref.path if ref.type == GATEWAY_CLASS else (*ref.path, "name")
        how = _how(renames.shown(chain), "name")
        message = (f"{what} names {_label(old)}, but {how} renamed it to '{new[3]}': "
                   f"{rewrites}, so in {where} this {what} points at nothing")
        hint = _name_hint(ref, old, new, chain, renames)
    else:
        explicit = as_str(as_dict(ref.source.get(*ref.path)).get("namespace")) is not None
        path = (*ref.path, "namespace") if explicit else ref.path
        # a GatewayClass's parametersRef without namespace names a cluster-scoped object
        follows = explicit and ref.type != PARAMETERS
        how = _how(renames.shown(chain), "namespace")
        message = (f"{what} names {_label(old)}, but {how} moved it to namespace '{new[2]}': "
                   f"{rewrites}, so in {where} this {what} points at nothing")
        patch = f" with a patch in {root}" if renames.is_root else ""
        hint = (f"write namespace: {new[2]} in the reference{patch}"
                + (", or leave namespace out so that it follows the route's namespace"
                   if follows else ""))
    return Finding(message, resource=ref.source, path=path, hint=hint, related=related)


def _grant_findings(ctx: Context, grant: Resource, renames: _Renames) -> Iterator[Finding]:
    """ReferenceGrant `to` names and `from` namespaces the build (or Argo CD, Flux) moved
    away."""
    patch = f" with a patch in {renames.root}" if renames.is_root else ""
    spec = grant.spec
    for i, to in enumerate(as_list(spec.get("to"))):
        to = as_dict(to)
        name, group, kind = as_str(to.get("name")), as_str(to.get("group")), as_str(to.get("kind"))
        if not name or group is None or not kind:
            continue
        key = ObjKey(grant.scope, group, kind, grant.namespace, name)
        found = None if ctx.exists(key) else renames.follow((group, kind, grant.namespace, name))
        if found is not None:
            new, chain = found
            yield Finding(
                f"ReferenceGrant to names {_label((group, kind, grant.namespace, name))}, but "
                f"{_how(renames.shown(chain), 'name')} renamed it to '{new[3]}': in "
                f"{renames.where(chain)} this grant permits references to an object that does "
                "not exist",
                resource=grant, path=("spec", "to", i, "name"),
                hint=f"write '{new[3]}'{patch}, or leave `name` out to grant every {kind} of "
                     "the namespace", related=renames.related(chain))
    for i, entry in enumerate(as_list(spec.get("from"))):
        entry = as_dict(entry)
        group, kind, namespace = (as_str(entry.get("group")), as_str(entry.get("kind")),
                                  as_str(entry.get("namespace")))
        if group is None or not kind or not namespace:
            continue
        moved = renames.moved.get((group, kind, namespace))
        if not moved or any(r.scope == grant.scope and r.namespace == namespace
                            for r in ctx.of_kind(kind, group)):
            continue
        new_ns = sorted({r.new.namespace or "" for r in moved})
        yield Finding(
            f"ReferenceGrant from names namespace '{namespace}', but "
            f"{_how(renames.shown(moved), 'namespace')} "
            f"moved the {kind}s of '{namespace}' to {', '.join(repr(n) for n in new_ns)}: in "
            f"{renames.where(moved)} this grant permits nothing",
            resource=grant, path=("spec", "from", i, "namespace"),
            hint=f"write namespace: {new_ns[0]}{patch}", related=renames.related(moved))


@rule("GW802", "kustomize-stale-reference", category="layout", severity="error",
      summary="namePrefix/nameSuffix/namespace renamed an object; a Gateway API reference "
              "still names the old one")
def check(ctx: Context) -> Iterator[Finding]:
    layout = ctx.layout
    if layout is None or not (any(b.renames for b in layout.builds) or layout.applied.renames):
        return
    by_root = _RenamesByRoot(layout.builds, layout.applied, ctx.options.default_namespace)
    for ref in ctx.refs(*FIELD_NAMES):
        if ctx.exists(ref.target):  # most references: nothing renamed them away
            continue
        renames = by_root.of(ref.source)
        if renames is not None:
            finding = _check_ref(ctx, ref, renames)
            if finding is not None:
                yield finding
    for grant in ctx.of_kind("ReferenceGrant"):
        renames = by_root.of(grant)
        if renames is not None:
            yield from _grant_findings(ctx, grant, renames)


class _RenamesByRoot:
    """The renames of each build that renamed something, and of each unit Argo CD or Flux
    renamed in (a root, or a directory of plain manifests), indexed on first use: a tree of
    hundreds of overlays renames in most of them, and few references are left stale."""

    def __init__(self, builds: Iterable[BuildInfo], applied: Applied,
                 default_namespace: str) -> None:
        self._builds = {b.root: b for b in builds if b.renames}
        self._applied: dict[str, list[AppliedRename]] = {}
        for a in applied.renames:
            self._applied.setdefault(a.unit, []).append(a)
        self._namespaces = applied.namespaces  # units whose objects default elsewhere
        self._indexed: dict[str, _Renames] = {}
        self._default_namespace = default_namespace

    def of(self, res: Resource) -> _Renames | None:
        """The renames of the unit `res` is applied in (its Kustomize root, else its scope)."""
        unit = res.origin.overlay or res.scope
        if not unit or (unit not in self._builds and unit not in self._applied):
            return None
        renames = self._indexed.get(unit)
        if renames is None:
            build = self._builds.get(unit)
            renames = self._indexed[unit] = _Renames(
                unit, build.renames if build is not None else (), self._applied.get(unit, ()),
                self._namespaces.get(unit, self._default_namespace), bool(res.origin.overlay))
        return renames
