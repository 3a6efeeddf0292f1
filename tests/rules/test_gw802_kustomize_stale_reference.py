"""GW802 (kustomize-stale-reference): what the fixture markers cannot say."""

from __future__ import annotations

from support.fixtures import fixture_findings


def test_parameters_refs_say_which_field_and_how_to_teach_kustomize() -> None:
    found = {f["message"].split(",")[0]: f for f in
             fixture_findings("GW802", "bad_parameters_ref")}
    cls = found["parametersRef names ConfigMap shop/envoy-defaults"]
    assert "renamed it to 'prod-envoy-defaults'" in cls["message"]
    assert ("fieldSpecs: [{kind: GatewayClass, path: spec/parametersRef/name}]"
            in cls["hint"])
    gw = found["parametersRef names EnvoyProxy shop/web-proxy"]
    assert ("nameReference: [{kind: EnvoyProxy, group: gateway.envoyproxy.io, fieldSpecs: "
            "[{kind: Gateway, path: spec/infrastructure/parametersRef/name}]}]" in gw["hint"])


def test_the_parameters_ref_not_found_finding_is_explained_away() -> None:
    # GW802 says why the parametersRef resolves to nothing: GW113 at the same reference is dropped
    assert fixture_findings("GW802", "bad_parameters_ref", rule="GW113") == []


def test_a_gateway_class_parameters_ref_must_keep_its_namespace() -> None:
    # without namespace a GatewayClass's parametersRef names a cluster-scoped object: the hint
    # does not offer to leave it out
    [f] = fixture_findings("GW802", "bad_parameters_ref_namespace")
    assert "moved it to namespace 'prod'" in f["message"]
    assert f["hint"] == "write namespace: prod in the reference with a patch in overlays/prod"
