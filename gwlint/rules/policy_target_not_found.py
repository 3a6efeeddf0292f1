"""A BackendTLSPolicy targetRef names a missing Service or a sectionName that is no port name.

A policy's targetRefs are local references: the Service is looked up in the policy's namespace,
and `sectionName` names one of the Service's `spec.ports[].name`. The spec says a policy whose
target or section does not exist must fail to attach; implementations record `Accepted=False`
reason `TargetNotFound`. The policy is then silently inactive: for a BackendTLSPolicy the Gateway
connects to the backend in plain text or fails the TLS handshake.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: payments, namespace: payments}
spec:
  targetRefs:
  - group: ""
    kind: Service
    name: payments
    sectionName: tls            # the Service's port is named https
  validation:
    hostname: payments.internal
    caCertificateRefs:
    - {group: "", kind: ConfigMap, name: payments-ca}
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: payments-ca, namespace: payments}
data:
  ca.crt: |
    -----BEGIN CERTIFICATE-----
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: payments, namespace: payments}
spec:
  targetRefs:
  - group: ""
    kind: Service
    name: payments
    sectionName: https
  validation:
    hostname: payments.internal
    caCertificateRefs:
    - {group: "", kind: ConfigMap, name: payments-ca}
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: payments-ca, namespace: payments}
data:
  ca.crt: |
    -----BEGIN CERTIFICATE-----
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import Finding, Related
from gwlint.model import as_str
from gwlint.refs import POLICY_TARGET, Ref
from gwlint.registry import rule
from gwlint.rules._backends import service_ports
from gwlint.rules._missing import absence, missing_hint
from gwlint.status.refcheck import SECTION_MISSING, TARGET_MISSING

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.status.refcheck import RefProblem


def _missing_target(ctx: Context, ref: Ref, problem: RefProblem) -> Finding | None:
    t = ref.target
    absent = absence(ctx, t)
    if absent is None:
        return None
    hint, related = missing_hint(ctx, t, None)
    return Finding(f"{ref.source.kind} targetRef Service '{t.name}' not found in "
                   f"namespace '{t.namespace}'{absent.note}", resource=ref.source,
                   path=problem.path, severity=absent.severity, hint=absent.hint(hint),
                   related=[] if absent.declare_hint else related)


def _missing_section(ctx: Context, ref: Ref, problem: RefProblem) -> Finding | None:
    service = ctx.get(ref.target)
    if service is None or ref.section_name is None:
        return None
    names = [as_str(p.get("name")) for p in service_ports(service)]
    shown = ", ".join(f"'{n}'" for n in names if n) or "none (unnamed ports)"
    return Finding(f"{ref.source.kind} targetRef sectionName '{ref.section_name}' is not "
                   f"a port name of Service '{service.name}'",
                   resource=ref.source, path=problem.path,
                   hint=f"sectionName names a Service port by name; port names: {shown}",
                   related=[Related(f"ports of {service.label()}", service, ("spec", "ports"))])


@rule("GW111", "policy-target-not-found", category="reference", severity="error",
      summary="A BackendTLSPolicy targetRef names a missing Service or an unknown port name",
      predicts=("Accepted", "False", "TargetNotFound"))
def check(ctx: Context) -> Iterator[Finding]:
    model = status.model(ctx)
    for ref in ctx.refs(POLICY_TARGET):
        problem = model.reference(ref)
        if problem is None:
            continue
        if problem.detail == TARGET_MISSING:
            finding = _missing_target(ctx, ref, problem)
        elif problem.detail == SECTION_MISSING:
            finding = _missing_section(ctx, ref, problem)
        else:
            finding = None
        if finding is not None:
            yield finding
