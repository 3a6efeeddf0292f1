"""The demo repository end to end: every migration mistake is found with the right predicted
condition, and fixing each one removes exactly its findings, with nothing new appearing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import as_dicts, run_lint

from gwlint.reporters import render

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"

GRANT = """
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: allow-shop-routes
  namespace: payments
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    namespace: shop
  to:
  - group: ""
    kind: Service
    name: payments
"""
CATCH_ALL = """  - backendRefs:
    - name: storefront
      port: 8080
"""
BY_NAME = """          matchExpressions:
          - key: kubernetes.io/metadata.name
            operator: In
            values: [blog, shop]
"""
LABEL = """          matchLabels:
            gateway-access: "true"
"""

# (rule, file, JSON path, predicted reason or None) of every finding the demo must show
EXPECTED = {
    ("GW101", "apps/blog/blog.yaml", "/spec/parentRefs/0", None),
    ("GW105", "apps/shop/route.yaml", "/spec/rules/1/backendRefs/0", "RefNotPermitted"),
    ("GW202", "apps/admin/admin.yaml", "/spec/parentRefs/0", "NotAllowedByListeners"),
    ("GW302", "apps/shop/route.yaml", "/spec/rules/0/backendRefs/1", None),
    ("GW311", "apps/shop/route.yaml", "/spec/hostnames/0", None),
    ("GW402", "infra/gateway.yaml",
     "/spec/listeners/0/allowedRoutes/namespaces/selector/matchLabels/gateway-access", None),
    ("GW402", "infra/gateway.yaml",
     "/spec/listeners/1/allowedRoutes/namespaces/selector/matchLabels/gateway-access", None),
    ("GW210", "infra/internal-gateway.yaml", "/spec/listeners/0", None),
}

# name -> (edits as (file, old, new), findings the fix removes, by rule)
FIXES = {
    "parentRef namespace": ([("apps/blog/blog.yaml", "sectionName: http",
                              "namespace: infra\n    sectionName: http")], {"GW101"}),
    "canary weight": ([("apps/shop/route.yaml", "- name: storefront-canary     # weight unset: 1, "
                        "so the canary gets 1/91, not 10%\n      port: 8080",
                        "- name: storefront-canary\n      port: 8080\n      weight: 10")],
                        {"GW302"}),
    "reference grant": ([("payments/payments.yaml", None, GRANT)], {"GW105"}),
    "catch-all rule": ([("apps/shop/route.yaml", None, CATCH_ALL)], {"GW311"}),
    "allowedRoutes": ([("infra/internal-gateway.yaml", "hostname: admin.internal.example.com",
                        "hostname: admin.internal.example.com\n    allowedRoutes:\n"
                        "      namespaces:\n"
                        "        from: Selector\n        selector:\n          matchLabels:\n"
                        "            kubernetes.io/metadata.name: admin")], {"GW202", "GW210"}),
    "selector by name": ([("infra/gateway.yaml", LABEL, BY_NAME)], {"GW402"}),
}


def findings(root: Path) -> set[tuple]:
    """(rule, file, path, reason of the primary predicted condition) of every finding."""
    report = run_lint(root)
    return {(f["rule"], f["file"], f["path"],
             f["predicts"][0]["reason"] if f["predicts"] else None) for f in as_dicts(report)}


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    shutil.copytree(DEMO, tmp_path / "demo")
    return tmp_path / "demo"


def test_demo_shows_every_mistake_with_its_predicted_condition(demo):
    assert findings(demo) == EXPECTED


def test_demo_findings_name_where_each_condition_is_written(demo):
    """The whole `predicts` list: the route's status.parents entry that holds each condition
    (HTTPRouteInvalidCrossNamespaceParentRef: Accepted=False NotAllowedByListeners on the
    parentRef as written; HTTPRouteInvalidCrossNamespaceBackendRef: ResolvedRefs=False
    RefNotPermitted on every parent of the route)."""
    by_rule = {f["rule"]: f["predicts"] for f in as_dicts(run_lint(demo)) if f["predicts"]}
    gateway = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "infra"}
    assert by_rule == {
        "GW202": [{"object": {"kind": "HTTPRoute", "namespace": "admin", "name": "admin-ui"},
                   "parent": {**gateway, "name": "internal-gateway"}, "listener": None,
                   "type": "Accepted", "status": "False", "reason": "NotAllowedByListeners",
                   "likely": False, "undecided": None}],
        "GW105": [{"object": {"kind": "HTTPRoute", "namespace": "shop", "name": "storefront"},
                   "parent": {**gateway, "name": "shared-gateway", "sectionName": "https-shop"},
                   "listener": None, "type": "ResolvedRefs", "status": "False",
                   "reason": "RefNotPermitted", "likely": False, "undecided": None}]}


def test_text_output_lists_the_predicted_conditions(demo):
    """The README's first screen: each finding's conditions on its `predicts:` line."""
    text = render(run_lint(demo), "text")
    assert "    predicts: Accepted=False NotAllowedByListeners\n" in text
    assert "    predicts: ResolvedRefs=False RefNotPermitted\n" in text
    assert text.count("predicts:") == 2


def _apply(root: Path, edits: list) -> None:
    for rel, old, new in edits:
        path = root / rel
        text = path.read_text()
        if old is None:
            text += new
        else:
            assert old in text, f"{rel} no longer contains the text this test fixes"
            text = text.replace(old, new)
        path.write_text(text)


@pytest.mark.parametrize("fix", sorted(FIXES))
def test_fixing_one_mistake_removes_exactly_its_findings(demo, fix):
    edits, removed = FIXES[fix]
    _apply(demo, edits)
    assert findings(demo) == {f for f in EXPECTED if f[0] not in removed}


def test_fixing_everything_leaves_a_clean_repository(demo):
    for edits, _ in FIXES.values():
        _apply(demo, edits)
    assert findings(demo) == set()
