"""GW309 http-grpc-hostname-conflict: the route that loses is reported (the likely loser when no
creationTimestamp decides), with its predicted condition and the route that wins."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW309"
DIR = RULES_DIR / CODE


def test_grpc_and_http_on_overlapping_hostnames():
    """a/web and b/rpc carry no creationTimestamp: applied together, a/web (first by
    namespace/name) is accepted, so b/rpc gets Accepted=False HostnameConflict (GRPCRoute
    spec.hostnames), predicted as the likely outcome."""
    name = "bad_grpc_and_http_on_overlapping_hostnames.yaml"
    [rpc] = fixture_findings(CODE, name)
    assert rpc["path"] == "/spec/hostnames/0" and rpc["listener"] == "http"
    assert primary(rpc) == {"type": "Accepted", "status": "False", "reason": "HostnameConflict"}
    assert rpc["predicts"][0]["likely"] and "creationTimestamp" in rpc["predicts"][0]["undecided"]
    assert "HTTPRoute a/web takes precedence" in rpc["message"]
    assert "(overlapping 'api.example.com')" in rpc["message"]
    text = (DIR / name).read_text().splitlines()
    http_host = next(i for i, t in enumerate(text, 1) if t.startswith('  - "api.example.com"'))
    listener = next(i for i, t in enumerate(text, 1) if t == "  - name: http")
    assert [r["line"] for r in rpc["related"]] == [http_host, listener]


def test_route_without_hostnames_is_located_at_its_parent_ref():
    [web] = fixture_findings(CODE, "bad_route_without_hostnames_on_open_listener.yaml")
    assert web["path"] == "/spec/parentRefs/0" and "GRPCRoute a/rpc" in web["message"]
