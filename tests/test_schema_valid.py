"""Valid manifests of every kind, release and channel produce zero violations."""

from __future__ import annotations

import copy

import pytest

from gwlint.schema import SchemaSet, artifacts, bundled_versions

from support import samples

RELEASES = bundled_versions()
CHANNELS = ("standard", "experimental")
MODES = ("python", "cel")


def _schema_sets():
    return [(r, c) for r in RELEASES for c in CHANNELS]


def _kinds_in(objs):
    return {o["kind"] for o in objs}


@pytest.mark.parametrize("release, channel", _schema_sets())
def test_samples_of_every_kind_validate_cleanly(release, channel):
    schemas = SchemaSet(release, channel)
    objs = list(samples.gateway_api_samples(release, channel)) + list(samples.core_samples())
    served_kinds = set(artifacts.bundle(release, channel)["kinds"])
    # every served kind has a sample (BackendLBPolicy and the x-k8s.io extras excepted)
    extras = {"BackendLBPolicy", "XBackendTrafficPolicy", "XMesh", "XBackend"}
    assert served_kinds - extras <= _kinds_in(objs) | {"XListenerSet"}
    for obj in objs:
        body = copy.deepcopy(obj)
        violations, _ = schemas.process(obj["apiVersion"], obj["kind"], body)
        assert violations == [], f"{obj['kind']} {obj['apiVersion']}: {violations}"


@pytest.mark.parametrize("release, channel", _schema_sets())
def test_every_served_version_accepts_the_sample(release, channel):
    """Same object under each served apiVersion (v1 and v1beta1 HTTPRoute, ...)."""
    schemas = SchemaSet(release, channel)
    kinds = artifacts.bundle(release, channel)["kinds"]
    for obj in samples.gateway_api_samples(release, channel):
        entry = kinds[obj["kind"]]
        chosen = obj["apiVersion"].rsplit("/", 1)[1]
        for version, flags in entry["versions"].items():
            if (not flags["served"]
                    or flags.get("schema") != entry["versions"][chosen].get("schema")):
                continue  # different schema (e.g. BackendTLSPolicy v1alpha3 vs v1): own sample
            body = copy.deepcopy(obj)
            api = f"{entry['group']}/{version}"
            violations, _ = schemas.process(api, obj["kind"], body)
            codes = {v.code for v in violations}
            assert codes <= {"api-version-deprecated"}, f"{obj['kind']} {api}: {violations}"


@pytest.mark.parametrize("mode", MODES)
def test_fast_paths_agree_that_samples_pass(mode):
    """Both fast paths (Python translation, single cel-expr-python program) say yes."""
    for release in RELEASES:
        for channel in CHANNELS:
            schemas = SchemaSet(release, channel)
            for obj in samples.gateway_api_samples(release, channel):
                body = copy.deepcopy(obj)
                assert schemas.process(obj["apiVersion"], obj["kind"], body)[0] == []
                target = schemas._target(obj["apiVersion"], obj["kind"])
                assert target.compiled.cel.passes(body, mode), (release, channel, obj["kind"], mode)


def test_realistic_variants_validate_cleanly():
    schemas = SchemaSet("v1.6.1", "standard")
    objs = [samples.http_route("v1.6.1", "standard", i,
                               rules=n) for i in range(5) for n in (1, 2, 3, 4)]
    objs += [samples.service(i, ports=p) for i in range(3) for p in (1, 2, 3)]
    objs += [samples.gateway("v1.6.1", "standard", i) for i in range(3)]
    objs += [samples.grpc_route("v1.6.1", "standard", i) for i in range(3)]
    for obj in objs:
        assert schemas.process(obj["apiVersion"], obj["kind"],
                               obj)[0] == [], obj["metadata"]["name"]


def test_gateway_listeners_of_every_protocol():
    """HTTP, HTTPS (Terminate), TLS (Passthrough and Terminate), TCP and UDP listeners."""
    gw = samples.gateway("v1.6.1", "standard")
    gw["spec"]["listeners"].append({
        "name": "tls-terminate", "protocol": "TLS", "port": 9443, "hostname": "t.example.com",
        "tls": {"mode": "Terminate", "certificateRefs": [{"name": "c"}]}})
    protocols = {listener["protocol"] for listener in gw["spec"]["listeners"]}
    assert protocols == {"HTTP", "HTTPS", "TLS", "TCP", "UDP"}
    assert SchemaSet("v1.6.1", "standard").process(gw["apiVersion"], "Gateway", gw)[0] == []
