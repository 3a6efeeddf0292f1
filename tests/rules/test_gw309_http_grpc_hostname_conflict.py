"""GW309 http-grpc-hostname-conflict: both routes reported, predicted condition, related route."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings

CODE = "GW309"
DIR = RULES_DIR / CODE


def test_grpc_and_http_on_overlapping_hostnames():
    name = "bad_grpc_and_http_on_overlapping_hostnames.yaml"
    web, rpc = fixture_findings(CODE, name)
    for f in (web, rpc):
        assert f["path"] == "/spec/hostnames/0" and f["listener"] == "http"
        assert f["predicts"] == {"type": "Accepted", "status": "False",
                                 "reason": "HostnameConflict"}
        assert "only the older of the two is accepted" in f["message"]
    assert "GRPCRoute b/rpc" in web["message"]
    assert "(overlapping 'api.example.com')" in rpc["message"]
    text = (DIR / name).read_text().splitlines()
    grpc_host = next(i for i, t in enumerate(text, 1) if t.startswith('  - "*.example.com"'))
    listener = next(i for i, t in enumerate(text, 1) if t == "  - name: http")
    assert [r["line"] for r in web["related"]] == [grpc_host, listener]


def test_route_without_hostnames_is_located_at_its_parent_ref():
    web, rpc = fixture_findings(CODE, "bad_route_without_hostnames_on_open_listener.yaml")
    assert (web["path"], rpc["path"]) == ("/spec/parentRefs/0", "/spec/hostnames/0")
