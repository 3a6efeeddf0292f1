"""examples/migration: a half-finished conversion whose every gap is deliberate (see the
comments in its files). The expected problems are the ones the files were written to show."""

from __future__ import annotations

from pathlib import Path

from gwlint.migration import build_inventory, check_parity, render_markdown, render_table
from tests.migration.helpers import context

DEMO = Path(__file__).resolve().parents[2] / "examples" / "migration"
PATH = ("spec", "rules", 0, "http", "paths")
ANN = ("metadata", "annotations")
NGINX = "nginx.ingress.kubernetes.io/"


def demo_context():
    return context(*(p.read_text(encoding="utf-8") for p in sorted(DEMO.rglob("*.yaml"))))


def test_demo_problems():
    result = check_parity(demo_context())
    got = {(r.code, f"{r.ingress.resource.namespace}/{r.ingress.resource.name}", r.path)
           for r in result.problems()}
    assert got == {
        # shop: /api goes to the targetPort 9090, /static falls through to '/', no HTTP->HTTPS
        # redirect route, the certificate Secret lacks a ReferenceGrant, three annotations
        # nothing replaces
        ("backend-differs", "shop/storefront", PATH + (1, "backend")),
        ("backend-differs", "shop/storefront", PATH + (2, "backend")),
        ("https-redirect-missing", "shop/storefront", ("spec", "tls", 0, "hosts", 0)),
        ("tls-secret-not-permitted", "shop/storefront", ("spec", "tls", 0, "hosts", 0)),
        ("annotation-no-equivalent", "shop/storefront", ANN + (NGINX + "proxy-body-size",)),
        ("annotation-no-equivalent", "shop/storefront", ANN + (NGINX + "limit-rps",)),
        ("annotation-no-equivalent", "shop/storefront",
         ANN + (NGINX + "configuration-snippet",)),
        # blog: the archive regex became a PathPrefix without the rewrite
        ("match-differs", "blog/blog", PATH + (1, "pathType")),
        ("annotation-missing", "blog/blog", ANN + (NGINX + "rewrite-target",)),
        # blog admin and the legacy site: no route at all
        ("not-served", "blog/blog-admin", PATH + (0,)),
        ("not-served", "legacy/old-site", PATH + (0,)),
        # Kong orders: the route exists but its listener refuses the namespace
        ("not-served", "api/orders", PATH + (0,)),
    }
    refused = next(r for r in result.problems() if r.ingress.resource.name == "orders")
    assert "Gateway infra/public refuses it (NotAllowedByListeners)" in refused.message
    assert [p.code for p in result.model.problems] == ["removed-api"]


def test_demo_inventory():
    inv = build_inventory(demo_context())
    status = {f"{i.namespace}/{i.name}": i.status for i in inv.ingresses}
    assert status == {"api/orders": "not started", "blog/blog": "partial",
                      "blog/blog-admin": "partial", "legacy/old-site": "not started",
                      "shop/storefront": "partial", "shop/storefront-canary": "migrated"}
    totals = inv.totals()
    assert (totals["ingresses"], totals["hosts"], totals["tlsHosts"]) == (6, 4, 2)
    assert totals["hostsByStatus"] == {"migrated": 0, "partial": 2, "not started": 2}
    assert (totals["servedPaths"], totals["paths"]) == (3, 9)
    assert totals["annotationsWithoutEquivalent"] == 5
    assert "6 Ingresses: 1 migrated, 3 partial, 2 not started" in render_table(inv)
    assert "| shop/storefront-canary |" in render_markdown(inv)
