"""A Kustomize tree for the tests of the parallel plan: applications with a base and overlays,
some overlays including another application's base (builds that cross the ranges of
kustomizations the processes read), a component, an include cycle across the ranges, a
kustomization that does not load, and plain files beside them."""

from __future__ import annotations

from pathlib import Path

GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: gw{i}, namespace: ns{i}}}
spec:
  gatewayClassName: missing-class
  listeners:
  - {{name: http, port: 80, protocol: HTTP, bogus: {i}}}
"""
ROUTE = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r{i}, namespace: ns{i}}}
spec:
  parentRefs: [{{name: gw{i}}}]
  rules: [{{backendRefs: [{{name: svc{i}, port: 80}}]}}]
"""


def kustomize_tree(root: Path, apps: int = 40) -> None:
    """Applications with a base and overlays (some including another application's base, so
    that builds cross the processes' scan ranges), a component, a kustomization that does not
    load, and plain files beside them."""
    for a in range(apps):
        app = root / "apps" / f"a{a:02d}"
        (app / "base").mkdir(parents=True)
        (app / "base" / "kustomization.yaml").write_text(
            "resources: [gw.yaml]\n", encoding="utf-8")
        (app / "base" / "gw.yaml").write_text(
            GATEWAY.format(i=a) + "---" + ROUTE.format(i=a), encoding="utf-8")
        partner = (a + apps // 2) % apps
        for env in ("dev", "prod"):
            overlay = app / "overlays" / env
            overlay.mkdir(parents=True)
            other = f"../../../a{partner:02d}/base" if env == "prod" else "../../base"
            (overlay / "kustomization.yaml").write_text(
                f"namespace: {env}-{a}\nnamePrefix: {env}-\nresources: [{other}]\n"
                "components: [../../../../components/label]\n"
                "patches:\n- path: patch.yaml\n", encoding="utf-8")
            (overlay / "patch.yaml").write_text(
                f"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                f"metadata: {{name: r{partner if env == 'prod' else a}, "
                f"namespace: ns{partner if env == 'prod' else a}}}\n"
                "spec: {hostnames: [x.example.com]}\n", encoding="utf-8")
    label = root / "components" / "label"
    label.mkdir(parents=True)
    (label / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
        "labels: [{pairs: {team: web}}]\n", encoding="utf-8")
    for one, other in (("a05x", "a35x"), ("a35x", "a05x")):  # an include cycle across ranges
        (root / "apps" / one).mkdir()
        (root / "apps" / one / "kustomization.yaml").write_text(
            f"resources: [../{other}]\n", encoding="utf-8")
    (root / "apps" / "broken").mkdir()
    (root / "apps" / "broken" / "kustomization.yaml").write_text("resources: [\n",
                                                                 encoding="utf-8")
    (root / "loose").mkdir()
    for i in range(5):
        (root / "loose" / f"l{i}.yaml").write_text(ROUTE.format(i=100 + i), encoding="utf-8")
