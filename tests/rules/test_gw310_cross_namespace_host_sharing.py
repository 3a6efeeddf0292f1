"""GW310 cross-namespace-host-sharing: each side names the other namespace's route."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW310"


def test_same_host_from_two_namespaces():
    name = "bad_same_host_from_two_namespaces.yaml"
    shop, promo = fixture_findings(CODE, name)
    assert shop["path"] == promo["path"] == "/spec/hostnames/0"
    assert shop["listener"] == "http" and primary(shop) is None
    assert ("also served by HTTPRoute promo/deal (routes from namespace 'promo')"
            in shop["message"])
    assert "HTTPRoute shop/store" in promo["message"]
    text = (RULES_DIR / CODE / name).read_text().splitlines()
    hosts = [i for i, t in enumerate(text, 1) if t.startswith('  - "shop.example.com"')]
    listener = next(i for i, t in enumerate(text, 1) if t == "  - name: http")
    assert [r["line"] for r in shop["related"]] == [hosts[1], listener]
