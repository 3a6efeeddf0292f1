"""process() never raises, whatever the body holds (random types anywhere)."""

from __future__ import annotations

import copy
import datetime
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwlint.schema import SchemaSet, Violation

from support import samples
from gwlint.schema.violation import CODES

SETS = {("v1.6.1", "standard"): SchemaSet("v1.6.1", "standard"),
        ("v1.0.0", "experimental"): SchemaSet("v1.0.0", "experimental")}

WEIRD = [None, True, False, 0, -1, 2 ** 70, 1.5, 80.0, math.nan, math.inf, "", "x" * 300, "\x00",
         "10.0.0.1",
         [], {}, [None], {"": None}, {1: "int key"}, datetime.date(2024, 1, 1), b"bytes", (1, 2),
         {1, 2}, object()]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20),
                    st.sampled_from(WEIRD))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=12),
                              st.sampled_from(["spec", "rules", "name", "port", "matches",
                                                                    "path", "type", "value",
                                                                    "listeners", 1])),
                    inner, max_size=5)), max_leaves=25)


def assert_well_formed(result):
    violations, defaulted = result
    assert isinstance(violations, list) and isinstance(defaulted, frozenset)
    for v in violations:
        assert isinstance(v, Violation) and v.code in CODES
        assert isinstance(v.path, tuple) and v.message
        assert "internal error" not in v.message, v  # nothing reached the last-resort guard


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=values,
       kind=st.sampled_from(["HTTPRoute", "Gateway", "GRPCRoute", "Service", "ReferenceGrant"]))
def test_random_bodies_never_raise(body, kind):
    api = "v1" if kind == "Service" else "gateway.networking.k8s.io/v1"
    for schemas in SETS.values():
        subject = copy.deepcopy(body) if not isinstance(body, set) else body
        assert_well_formed(schemas.process(api, kind, subject))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2 ** 32 - 1), weird=st.sampled_from(WEIRD))
def test_random_values_planted_in_valid_objects(seed, weird):
    rng = random.Random(seed)
    base = rng.choice([samples.http_route("v1.6.1", "standard", rules=3),
                       samples.gateway("v1.6.1", "standard"),
                       samples.grpc_route("v1.6.1", "standard"), samples.service(1, 3)])
    obj = copy.deepcopy(base)
    path = rng.choice([p for p in _paths(obj) if p])
    parent = obj
    for seg in path[:-1]:
        parent = parent[seg]
    parent[path[-1]] = weird
    api = obj["apiVersion"] if isinstance(obj.get("apiVersion"), str) else "v1"
    result = SETS[("v1.6.1", "standard")].process(api, base["kind"], obj)
    assert_well_formed(result)


@pytest.mark.parametrize("body",
                         [None, [], "text", 42, {"spec": None}, {"spec": []}, {"metadata": "x"},
                                  {"metadata": {"name": 5, "labels": [1]},
                                   "spec": {"rules": [None, 1, "x"]}}])
def test_degenerate_bodies(body):
    assert_well_formed(SETS[("v1.6.1", "standard")].process("gateway.networking.k8s.io/v1",
                                                            "HTTPRoute", body))


@pytest.mark.parametrize("api_version, kind",
                         [(None, None), (1, "HTTPRoute"), ("gateway.networking.k8s.io/v1", 3),
                                               ("", ""), ("v1", "Pod")])
def test_bad_api_version_or_kind(api_version, kind):
    assert_well_formed(SETS[("v1.6.1", "standard")].process(api_version, kind, {}))


def test_non_json_values_are_reported_not_crashed():
    route = samples.http_route("v1.6.1", "standard")
    route["spec"]["hostnames"][0] = datetime.date(2024, 1, 1)
    route["spec"]["rules"][0]["backendRefs"][0]["port"] = math.nan
    violations, _ = SETS[("v1.6.1", "standard")].process(route["apiVersion"], "HTTPRoute", route)
    paths = {v.path for v in violations if v.code == "type"}
    assert ("spec", "hostnames", 0) in paths
    assert ("spec", "rules", 0, "backendRefs", 0, "port") in paths
    assert not [v for v in violations if v.code == "invalid"]
