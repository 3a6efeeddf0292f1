"""A value holds a Flux `${VAR}` placeholder gwlint cannot resolve, so it was not validated.

Flux Kustomizations substitute variables in the manifests they apply (`spec.postBuild.substitute`
and `substituteFrom` ConfigMaps/Secrets). gwlint substitutes them when the Flux Kustomization
whose `spec.path` applies the directory is among the linted files, with the ConfigMaps and
Secrets it names, and validates the values as substituted. A placeholder left (its
Kustomization or a ConfigMap/Secret is not linted, substitution is disabled on the object, or
`--scope` is given) would make the schema checks (GW010, GW013 for a CEL rule on the object
holding it) report the placeholder's own text: that error is dropped and this info finding, one
per object, names the variables instead. A reference whose target's name or namespace holds
a placeholder names an object gwlint cannot know: it is never reported as missing (the
reference rules and the predicted status treat it as existing outside the linted files), and
its variables are named here too.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: gw}]
  hostnames: ["web.${CLUSTER_DOMAIN}"]
  rules: [{backendRefs: [{name: web, port: 80}]}]
```

Fixed:

```yaml
# file: clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  path: ./apps
  postBuild:
    substitute: {CLUSTER_DOMAIN: prod.example.com}
---
# file: apps/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: gw}]
  hostnames: ["web.${CLUSTER_DOMAIN}"]
  rules: [{backendRefs: [{name: web, port: 80}]}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.gitops.appliedmodel import Applied
from gwlint.model import FieldPath, Resource
from gwlint.registry import rule
from gwlint.rules.schema_violation import CODES

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW805", "flux-variable-unresolved", category="layout", severity="info",
      summary="A value holds a Flux ${VAR} placeholder gwlint cannot resolve: it is not "
              "validated")
def check(ctx: Context) -> Iterator[Finding]:
    applied = ctx.layout.applied if ctx.layout is not None else Applied()
    first: dict[int, tuple[Resource, FieldPath]] = {}
    names: dict[int, dict[str, None]] = {}
    paths: dict[int, set[FieldPath]] = {}
    for res, v in ctx.violations:
        if v.code not in CODES and v.code != "cel":
            continue
        # imported here to keep start-up fast: a run without violations never needs it
        from gwlint.gitops.applied import unresolved

        left = unresolved(applied, res, tuple(v.path), within=v.code == "cel")
        if left:
            first.setdefault(id(res), (res, tuple(v.path)))
            names.setdefault(id(res), {}).update(dict.fromkeys(left))
            paths.setdefault(id(res), set()).add(tuple(v.path))
    for ref in ctx.refs(*ctx.refs_by_type):  # every type of reference
        variables = _placeholders(ref.target.name) + _placeholders(ref.target.namespace or "")
        if variables:
            res = ref.source
            first.setdefault(id(res), (res, tuple(ref.path)))
            names.setdefault(id(res), {}).update(dict.fromkeys(variables))
            paths.setdefault(id(res), set()).add(tuple(ref.path))
    for key, (res, path) in first.items():
        listed = ", ".join(names[key])
        many = len(paths[key])
        values = "this value is" if many == 1 else f"{many} values are"
        yield Finding(f"{res.label()}: Flux variable{'s' if len(names[key]) > 1 else ''} "
                      f"{listed} not resolved, so {values} not validated",
                      resource=res, path=path, hint=_hint(applied, res))


def _placeholders(text: str) -> tuple[str, ...]:
    """The variables of the `${VAR...}` placeholders in a reference's name or namespace."""
    if "${" not in text:
        return ()
    from gwlint.gitops.substitute import placeholders  # only for a placeholder: start-up

    return placeholders(text)


def _hint(applied: Applied, res: Resource) -> str:
    from gwlint.gitops.substitute import DISABLE_KEY, disabled  # only for a finding: start-up

    known = applied.placeholders.get(id(res))
    if known is not None and known.missing:
        return (f"{known.by} substitutes them from {', '.join(known.missing)}, not among the "
                "linted files: lint it too (or give the values in spec.postBuild.substitute)")
    if known is not None:
        return (f"{known.by} gives them no value (or uses a form gwlint does not evaluate): "
                "add them to its spec.postBuild.substitute")
    if disabled(res):
        return (f"substitution is disabled on this object ({DISABLE_KEY}: disabled): Flux "
                "applies the placeholder as written")
    return ("lint the Flux Kustomization whose spec.path applies this directory, with "
            "spec.postBuild.substitute or substituteFrom a ConfigMap/Secret in the linted files "
            "(without --scope, which turns Flux's settings off)")
