"""The Python fast path agrees with cel-expr-python (the reference CEL engine).

Every rule of every bundled release is evaluated both ways on the node values found in
valid samples and in seeded random mutations of them (kept only when structurally valid,
the fast path's precondition). Required: whenever the Python translation says a rule
passes, CEL says so too (soundness), and whenever both produce a bool they are equal.
"""

from __future__ import annotations

import copy
import random
from typing import Any
from collections.abc import Iterator

import pytest

from gwlint.schema import SchemaSet, bundled_versions, cel

from support import samples
from gwlint.schema.cel_python import compile_rule
from gwlint.schema.celplan import Node, Rule

PALETTE = ["", "/", "//x", "/a/../b", "a b", "10.0.0.1", "::1", "*.example.com", "example.com",
           "X-Tenant",
           "PathPrefix", "Exact", "RegularExpression", "RequestRedirect", "URLRewrite",
           "RequestHeaderModifier",
           "ReplacePrefixMatch", "ReplaceFullPath", "Terminate", "Passthrough", "HTTP", "HTTPS",
           "TLS", "TCP", "UDP",
           "Hostname", "IPAddress", "URI", "0s", "5s", "1h", "100ms", "Cookie", "Permanent",
           "Service", "Secret",
           "gw-0", "http", "https", "GRPC", "CORS", "*", "Same", "All", "Selector", "%2F", "#", 0,
           1, 80, 65535]


def node_instances(node: Node | None, value: Any,
                   path: tuple = ()) -> Iterator[tuple[Node, Any, tuple]]:
    if node is None or value is None:
        return
    if node.rules:
        yield node, value, path
    if isinstance(value, dict):
        for name, child in node.props.items():
            if name in value:
                yield from node_instances(child, value[name], path + (name,))
        if node.values is not None:
            for key, item in value.items():
                yield from node_instances(node.values, item, path + (key,))
    if isinstance(value, list) and node.items is not None:
        for i, item in enumerate(value):
            yield from node_instances(node.items, item, path + (i,))


def _paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


def mutate(obj: dict, rng: random.Random) -> dict:
    obj = copy.deepcopy(obj)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(obj) if len(p) > 1
                 and p[0] not in ("metadata", "apiVersion", "kind")]
        if not paths:
            return obj
        path = rng.choice(paths)
        parent = obj
        for seg in path[:-1]:
            parent = parent[seg]
        last = path[-1]
        op = rng.random()
        if isinstance(parent, dict) and op < 0.3:
            del parent[last]
        elif isinstance(parent, list) and op < 0.45:
            parent.insert(last, copy.deepcopy(parent[last]))  # duplicate an item
        elif isinstance(parent, list) and op < 0.55 and len(parent) > 1:
            del parent[last]
        elif isinstance(parent[last], (str, int)) and not isinstance(parent[last], bool):
            parent[last] = rng.choice(PALETTE)
        elif isinstance(parent, dict):
            sibling = rng.choice(list(parent))
            parent[last] = copy.deepcopy(parent[sibling])
    return obj


_COMPILED: dict[tuple[str, int], Any] = {}


def py_eval(rule: Rule, node: Node, value: Any) -> Any:
    if rule.unique_keys is not None:
        return None  # list uniqueness is not a CRD rule; covered by the whole-object test
    key = (rule.source.text, id(node.schema))
    fn = _COMPILED.get(key)
    if fn is None:
        fn = _COMPILED[key] = compile_rule(rule.source.text, node.schema)
    try:
        return fn(value)
    except Exception:
        return "error"


def cel_eval(rule: Rule, value: Any) -> Any:
    result = cel.evaluate_bool(cel.compile_program(rule.source.text), value)
    return "error" if isinstance(result, cel.EvalError) else result


def _breakers() -> list:
    """Targeted edits that break specific rule families (applied where the shape exists)."""
    def listeners(o):
        ls = o["spec"]["listeners"]
        ls[1]["name"] = ls[0]["name"]
        ls[0]["tls"] = {"mode": "Terminate", "certificateRefs": [{"name": "c"}]}
        ls[-1]["hostname"] = "x.example.com"

    def route_rules(o):
        rules = o["spec"]["rules"]
        rules[0].setdefault("filters", []).append({"type": "RequestRedirect",
                                                   "requestRedirect": {"port": 8080}})
        rules[0]["filters"].append({"type": "URLRewrite",
                                    "urlRewrite": {"hostname": "a.example.com"}})
        rules[-1].setdefault("backendRefs", [{"name": "x"}])[0].pop("port", None)

    def paths(o):
        for rule in o["spec"]["rules"]:
            for m in rule.get("matches", []):
                if "path" in m:
                    m["path"]["value"] = "no-slash//x"

    def parents(o):
        o["spec"]["parentRefs"] = [{"name": "gw"}, {"name": "gw"}]

    def filters(o):
        for rule in o["spec"]["rules"]:
            for f in rule.get("filters", []):
                f["type"] = "URLRewrite" if f["type"] != "URLRewrite" else "RequestMirror"

    def timeouts(o):
        o["spec"]["rules"][0]["timeouts"] = {"request": "1s", "backendRequest": "1h"}

    def hostnames(o):
        o["spec"]["hostnames"] = ["10.1.2.3", "*.ok.example.com"]

    def addresses(o):
        o["spec"]["addresses"] = [{"type": "IPAddress", "value": "10.0.0.1"}] * 2

    def validation(o):
        v = o["spec"].get("validation") or o["spec"].get("tls")
        v.pop("caCertificateRefs", None)
        v.pop("caCertRefs", None)
        for san in v.get("subjectAltNames", []):
            san["type"] = "URI" if san["type"] == "Hostname" else "Hostname"

    def ports(o):
        for p in o["spec"]["ports"]:
            p.pop("name", None)

    return [listeners, route_rules, paths, parents, filters, timeouts, hostnames, addresses,
            validation, ports]


def corpus(release: str, channel: str, mutations: int, seed: int) -> Iterator[dict]:
    rng = random.Random(seed)
    base = list(samples.gateway_api_samples(release, channel)) + list(samples.core_samples())
    yield from (copy.deepcopy(o) for o in base)
    for obj in base:
        for breaker in _breakers():
            broken = copy.deepcopy(obj)
            try:
                breaker(broken)
            except (KeyError, IndexError, TypeError, AttributeError):
                continue
            yield broken
    for _ in range(mutations):
        yield mutate(rng.choice(base), rng)


def first_and_last(releases: list[str]) -> list:
    """The oldest and newest release in the default run, those between under -m slow (0.15 s
    of CPU each and channel)."""
    return [pytest.param(r, marks=[] if r in (releases[0], releases[-1]) else pytest.mark.slow)
            for r in releases]


@pytest.mark.parametrize("release", first_and_last(bundled_versions()))
@pytest.mark.parametrize("channel", ["standard", "experimental"])
def test_python_translation_matches_cel(release, channel):
    schemas = SchemaSet(release, channel)
    compared = disagreements = py_errors = failing = 0
    for obj in corpus(release, channel, mutations=200, seed=sum(map(ord, release + channel))):
        violations, _ = schemas.process(obj["apiVersion"], obj["kind"], obj)
        if any(v.code in ("type", "required", "api-version-unserved") for v in violations):
            continue  # the fast path only runs on structurally valid objects
        plan = schemas._target(obj["apiVersion"], obj["kind"]).compiled.cel
        for node, value, path in node_instances(plan.root, obj):
            for rule in node.rules:
                py = py_eval(rule, node, value)
                if py is None:
                    continue
                ref = cel_eval(rule, value)
                compared += 1
                failing += ref is False
                if py is True:
                    assert ref is True, (f"UNSOUND {rule.source.original} at {path}: "
                                         f"python True, cel {ref}")
                if py == "error" and ref != "error":
                    py_errors += 1
                elif py != ref:
                    disagreements += 1
                    assert py == ref, (f"{rule.source.original} at {path}: python {py}, "
                                       f"cel {ref} ({value!r})")
    assert compared > 100
    assert failing >= 20, f"the mutations should break some rules ({failing})"
    assert py_errors <= compared * 0.02, (
        f"{py_errors} of {compared} evaluations fell back unnecessarily")


@pytest.mark.parametrize("release", ["v1.0.0", "v1.3.0", "v1.6.1"])
@pytest.mark.parametrize("channel", ["standard", "experimental"])
def test_whole_object_fast_paths_agree_with_the_slow_path(release, channel):
    schemas = SchemaSet(release, channel)
    checked = 0
    for obj in corpus(release, channel, mutations=80, seed=7):
        violations, _ = schemas.process(obj["apiVersion"], obj["kind"], obj)
        if any(v.code in ("type", "required", "api-version-unserved") for v in violations):
            continue
        plan = schemas._target(obj["apiVersion"], obj["kind"]).compiled.cel
        slow: list = []
        if plan.root is not None:
            plan._walk(plan.root, obj, (), set(), slow)
        fast_python = plan.passes(obj, "python")
        fast_cel = plan.passes(obj, "cel")
        if fast_python:
            assert slow == [], f"python fast path passed but rules fail: {slow}"
        if fast_cel:
            assert slow == [], f"cel fast path passed but rules fail: {slow}"
        if not slow:
            assert fast_python and fast_cel, (
                f"fast paths should accept {obj['kind']} {obj['metadata']}")
        checked += 1
    assert checked > 30
