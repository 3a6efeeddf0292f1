"""The Gateway API release being linted is newer than any the implementation reports.

Every bundled conformance report of the implementation ran an older Gateway API release, so the
kinds, fields and features added since are untested with it (and its controller may not know
them). Patch releases add no features, so only a newer minor release counts (v1.6.1 against a
report of v1.6.0 is fine).

The implementation version is the chosen one (`--implementation istio@1.26`) or the newest
bundled. The release is the one given with `--gateway-api-version` (or `gateway-api.version`
in the configuration), else the `gateway.networking.k8s.io/bundle-version` of the Gateway API
CRDs in the linted files (also a release gwlint does not bundle yet); gwlint's default (the
newest bundled release) is not your cluster's, so it is not judged. Reported once per
implementation: at the `controllerName` of each GatewayClass of a known controller, or, for
the implementation chosen with `--implementation`, at the first GatewayClass or Gateway.

Bad:

```yaml
# gwlint-test: --gateway-api-version v1.6
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: istio}
spec:
  controllerName: istio.io/gateway-controller   # newest bundled report: Gateway API v1.5.1
```

Fixed:

```yaml
# gwlint-test: --gateway-api-version v1.5
# (the CRDs installed are the release the implementation reports conformance for)
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: istio}
spec:
  controllerName: istio.io/gateway-controller
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.implementations.bundled import release_key
from gwlint.implementations.query import implementation
from gwlint.implementations.verdicts import anchors, named, related, source
from gwlint.registry import rule
from gwlint.versions import detect as detect_crds

if TYPE_CHECKING:
    from gwlint.context import Context

@rule("GW704", "implementation-release-untested", category="implementation", severity="info",
      summary="The Gateway API release being linted is newer than any the implementation's "
              "conformance reports cover")
def check(ctx: Context) -> Iterator[Finding]:
    if ctx.options.gateway_api_source == "option":
        release, how = ctx.options.gateway_api_version, "chosen with --gateway-api-version"
    else:  # the CRDs' own annotation: also a release gwlint does not bundle (v1.7.0)
        found = detect_crds(ctx.resources)
        if found is None:
            return
        release, _, where = found
        how = f"detected from the Gateway API CRDs in {where}"
    for resource, path, served in anchors(ctx):
        report = served.report
        tested = max((r.gateway_api_version for r in implementation(report.implementation).reports
                      if r.version == report.version), key=release_key)
        if release_key(release)[:2] <= release_key(tested)[:2]:
            continue
        yield Finding(
            f"Gateway API {release} ({how}) is newer than every bundled conformance report of "
            f"{named(report)}: the newest ran Gateway API {tested} ({source(report)}); kinds, "
            f"fields and features added since are untested with it",
            resource=resource, path=path, related=related(served),
            hint=f"check that {report.implementation} {report.version} supports Gateway API "
                 f"{release}, or lint with the release it was tested with "
                 f"(--gateway-api-version {'.'.join(tested.split('.')[:2])})")
