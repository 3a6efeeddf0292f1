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
    """One build's renames: old id -> the rename, followed to the object's final id."""

    def __init__(self, build: BuildInfo, default_namespace: str) -> None:
        self.build = build
        self.default_namespace = default_namespace
        self.latest: dict[Key, Rename] = {}
        self.moved: dict[tuple[str, str, str], list[Rename]] = {}  # (group, kind, old ns)
        for r in build.renames:
            self.latest[self.key(r.old)] = r
            old_ns, new_ns = self.key(r.old)[2], self.key(r.new)[2]
            if old_ns is not None and old_ns != new_ns:
                self.moved.setdefault((r.old.group, r.old.kind, old_ns), []).append(r)

    def key(self, rid: ResId) -> Key:
        if cluster_scoped(rid.group, rid.kind):
            return rid.group, rid.kind, None, rid.name
        return rid.group, rid.kind, rid.namespace or self.default_namespace, rid.name

    def follow(self, key: Key) -> tuple[Key, list[Rename]] | None:
        """The final id of an object that had id `key` earlier in the build, and the renames."""
        chain: list[Rename] = []
        seen: set[Key] = set()
        while key in self.latest and key not in seen:
            seen.add(key)
            chain.append(self.latest[key])
            key = self.key(chain[-1].new)
        return (key, chain) if chain else None


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


def _name_hint(ref: Ref, old: Key, new: Key, chain: list[Rename], root: str) -> str:
    group, kind = old[0], old[1]
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
    root = renames.build.root
    what = FIELD_NAMES[ref.type]
    renamed = ctx.get(ObjKey(target.scope, *new))
    related = [Related(f"{_label(new)} after the build of {root}", renamed, ("metadata", "name"))
               ] if renamed is not None else []
    if old[3] != new[3]:
        path: FieldPath = ref.path if ref.type == GATEWAY_CLASS else (*ref.path, "name")
        message = (f"{what} names {_label(old)}, but {_how(chain, 'name')} renamed it to "
                   f"'{new[3]}': kustomize does not rewrite Gateway API references, so in the "
                   f"built {root} this {what} points at nothing")
        hint = _name_hint(ref, old, new, chain, root)
    else:
        explicit = as_str(as_dict(ref.source.get(*ref.path)).get("namespace")) is not None
        path = (*ref.path, "namespace") if explicit else ref.path
        # a GatewayClass's parametersRef without namespace names a cluster-scoped object
        follows = explicit and ref.type != PARAMETERS
        message = (f"{what} names {_label(old)}, but {_how(chain, 'namespace')} moved it to "
                   f"namespace '{new[2]}': kustomize does not rewrite Gateway API references, "
                   f"so in the built {root} this {what} points at nothing")
        hint = (f"write namespace: {new[2]} in the reference with a patch in {root}"
                + (", or leave namespace out so that it follows the route's namespace"
                   if follows else ""))
    return Finding(message, resource=ref.source, path=path, hint=hint, related=related)


def _grant_findings(ctx: Context, grant: Resource, renames: _Renames) -> Iterator[Finding]:
    """ReferenceGrant `to` names and `from` namespaces the build moved away."""
    root = renames.build.root
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
                f"{_how(chain, 'name')} renamed it to '{new[3]}': in the built {root} this grant "
                "permits references to an object that does not exist",
                resource=grant, path=("spec", "to", i, "name"),
                hint=f"write '{new[3]}' with a patch in {root}, or leave `name` out to grant "
                     f"every {kind} of the namespace")
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
            f"ReferenceGrant from names namespace '{namespace}', but {_how(moved, 'namespace')} "
            f"moved the {kind}s of '{namespace}' to {', '.join(repr(n) for n in new_ns)}: in "
            f"the built {root} this grant permits nothing",
            resource=grant, path=("spec", "from", i, "namespace"),
            hint=f"write namespace: {new_ns[0]} with a patch in {root}")


@rule("GW802", "kustomize-stale-reference", category="layout", severity="error",
      summary="namePrefix/nameSuffix/namespace renamed an object; a Gateway API reference "
              "still names the old one")
def check(ctx: Context) -> Iterator[Finding]:
    layout = ctx.layout
    if layout is None or not any(b.renames for b in layout.builds):
        return
    by_root = _RenamesByRoot(layout.builds, ctx.options.default_namespace)
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
    """The renames of each build that renamed something, indexed on first use: a tree of
    hundreds of overlays renames in most of them, and few references are left stale."""

    def __init__(self, builds: Iterable[BuildInfo], default_namespace: str) -> None:
        self._builds = {b.root: b for b in builds if b.renames}
        self._indexed: dict[str, _Renames] = {}
        self._default_namespace = default_namespace

    def of(self, res: Resource) -> _Renames | None:
        root = res.origin.overlay
        if not root or root not in self._builds:
            return None
        renames = self._indexed.get(root)
        if renames is None:
            renames = self._indexed[root] = _Renames(self._builds[root], self._default_namespace)
        return renames
