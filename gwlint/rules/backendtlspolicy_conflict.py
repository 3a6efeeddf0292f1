"""Two BackendTLSPolicies target the same Service (and port): only the older one applies.

"When more than one BackendTLSPolicy selects the same target and sectionName, implementations
MUST determine precedence": the older policy by creation timestamp, then the first in
alphabetical order by {namespace}/{name}; "for any BackendTLSPolicy that does not take
precedence, the implementation MUST ensure the Accepted Condition is set to status: False, with
Reason Conflicted" (BackendTLSPolicySpec.targetRefs; conformance
BackendTLSPolicyConflictResolution). The losing policy's TLS settings are silently ignored: the
Gateway validates the backend with the winner's CA and hostname. A policy for the whole Service
and one for a single port (`sectionName`) do not conflict. Files rarely carry
`creationTimestamp`: policies applied together are created in the same second, so the first by
namespace/name wins, and the finding says the outcome is the likely one.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: payments, namespace: payments}
spec:
  targetRefs: [{group: "", kind: Service, name: payments}]
  validation: {hostname: payments.internal, wellKnownCACertificates: System}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: payments-v2, namespace: payments}
spec:
  targetRefs: [{group: "", kind: Service, name: payments}]    # the same Service
  validation: {hostname: payments.example.com, wellKnownCACertificates: System}
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}]}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: payments, namespace: payments}
spec:
  targetRefs: [{group: "", kind: Service, name: payments, sectionName: https}]
  validation: {hostname: payments.internal, wellKnownCACertificates: System}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: payments-v2, namespace: payments}
spec:
  targetRefs: [{group: "", kind: Service, name: payments, sectionName: https-v2}]
  validation: {hostname: payments.example.com, wellKnownCACertificates: System}
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}, {name: https-v2, port: 9443}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import Finding, Related
from gwlint.registry import rule
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW312", "backendtlspolicy-conflict", category="conflict", severity="error",
      summary="Two BackendTLSPolicies target the same Service and port: the newer is ignored",
      predicts=("Accepted", "False", "Conflicted"))
def check(ctx: Context) -> Iterator[Finding]:
    model = status.model(ctx)
    for st in model.objects():
        if st.rival is None or not st.kind.endswith("BackendTLSPolicy"):
            continue  # XBackendTrafficPolicy conflicts: status only (per field, not TLS)
        cond = next((c for _, _, conds in st.blocks() for c in conds
                     if c.type == C.ACCEPTED and c.reason == C.R_CONFLICTED), None)
        if cond is None or cond.cause is None:
            continue
        outcome = cond.likely if cond.status == C.UNKNOWN else (cond.status, cond.reason)
        if outcome is None or outcome[0] != C.FALSE:
            continue
        policy, rival, path = st.resource, st.rival, cond.cause.path
        ref = policy.get(*path)
        section = ref.get("sectionName") if isinstance(ref, dict) else None
        target = f"Service '{ref.get('name')}'" if isinstance(ref, dict) else "the same Service"
        where = f"port '{section}' of {target}" if section else target
        why = ("it is older" if cond.status == C.FALSE else
               "the files carry no creationTimestamp: applied together, both are created in "
               "the same second and the first by namespace/name wins")
        yield Finding(
            f"{policy.label()} and {rival.label()} both target {where}: {rival.label()} takes "
            f"precedence ({why}), so this policy gets Accepted=False Conflicted and its TLS "
            "settings are ignored",
            resource=policy, path=path, condition=cond,
            hint="merge the two policies into one, or give each its own port (sectionName)",
            related=[Related(f"{rival.label()} targets {where}", rival, ("spec", "targetRefs"))])
