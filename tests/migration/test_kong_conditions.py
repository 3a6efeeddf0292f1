"""Kong's `konghq.com/methods` and `konghq.com/headers.<name>` annotations, as Kong documents them.

Kong Ingress Controller annotation reference
(https://developer.konghq.com/kubernetes-ingress-controller/reference/annotations/):
`konghq.com/methods` restricts the Ingress's routes to the listed methods;
`konghq.com/headers.<name>` requires the header, and several comma-separated values are
alternatives (a request carrying any one of them matches). Kong's Route entity (https://developer.konghq.com/gateway/entities/route/)
orders routes by priority and proxies a request by the highest-priority route that matches: a
route with more matching attributes (methods, headers) outranks one with the same host and path
alone, as a Gateway API match with a method or headers outranks one without.
"""

from __future__ import annotations

import copy
from typing import Any

from gwlint.migration.results import ANNOTATION_MISSING, ANNOTATION_OK
from tests.migration.helpers import base, ingress, problems, route, rule, run, service

METHODS, HEADER = "konghq.com/methods", "konghq.com/headers.x-client"


def _match(method: str | None = None, client: str | None = None) -> dict[str, Any]:
    m: dict[str, Any] = {"path": {"type": "PathPrefix", "value": "/api"}}
    if method:
        m["method"] = method
    if client:
        m["headers"] = [{"name": "x-client", "value": client}]
    return m


def _scenario(annotations: dict[str, str], matches: list[dict[str, Any]],
              plain_ingress: bool = False, plain_backend: str = "api") -> dict[str, Any]:
    """A Kong Ingress with `annotations` for /api -> api:8080, its route's conditional rule
    (`matches`), and optionally a second Ingress serving the same host and path without
    conditions, migrated to an unconditional rule to `plain_backend`."""
    s = base(annotations, cls="kong")
    rules = [rule(backends=[("api", 8080)])]
    rules[0]["matches"] = matches
    if plain_ingress:
        s["extra"].append(ingress("api-read", cls="kong",
                                  paths=[("/api", "Prefix", plain_backend, 8080)]))
        rules.append(rule(backends=[(plain_backend, 8080)]))
        if plain_backend != "api":
            s["extra"].append(service(plain_backend))
    s["route"] = route(rules=rules)
    return s


def _annotation_codes(s: dict[str, Any], key: str) -> set[str]:
    return {r.code for r in run(s).results if r.annotation == key}


def test_methods_and_headers_shared_with_an_unconditional_ingress_to_the_same_service():
    """Requests the methods and headers match reach api either way: no finding."""
    both = {METHODS: "POST", HEADER: "web"}
    s = _scenario(both, [_match("POST", "web")], plain_ingress=True)
    assert not [r for r in problems(run(s)) if r.annotation in both]
    assert _annotation_codes(s, METHODS) == {ANNOTATION_OK}
    assert _annotation_codes(s, HEADER) == {ANNOTATION_OK}
    # the conversion merged both Ingresses into the unconditional rule alone: the same traffic
    merged = _scenario(both, [_match()], plain_ingress=True)
    assert _annotation_codes(merged, METHODS) == {ANNOTATION_OK}
    assert _annotation_codes(merged, HEADER) == {ANNOTATION_OK}


def test_unconditional_rule_without_another_ingress_is_still_reported():
    """Alone, the Kong Ingress served POST only: a rule matching every method widens it."""
    s = _scenario({METHODS: "POST", HEADER: "web"}, [_match()])
    assert _annotation_codes(s, METHODS) == {ANNOTATION_MISSING}
    assert _annotation_codes(s, HEADER) == {ANNOTATION_MISSING}


def test_unconditional_rule_of_another_ingress_to_another_service_is_not_excused():
    """The other Ingress sends its requests elsewhere: a POST that only the unconditional rule
    serves would reach the other Service."""
    s = _scenario({METHODS: "POST"}, [], plain_ingress=True, plain_backend="legacy")
    s["route"]["spec"]["rules"] = s["route"]["spec"]["rules"][1:]
    s["route"]["spec"]["rules"].insert(0, rule(backends=[("legacy", 8080)]))
    assert ANNOTATION_OK not in _annotation_codes(s, METHODS)


def test_every_header_value_needs_a_match():
    """`web,mobile`: a request with x-client: mobile matched in Kong; with only the web match
    migrated it gets no route. Reported at the annotation, the HTTPRoute as related location."""
    s = _scenario({HEADER: "web,mobile"}, [_match(client="web")])
    found = [r for r in problems(run(s)) if r.annotation == HEADER]
    assert [r.code for r in found] == [ANNOTATION_MISSING]
    assert found[0].path == ("metadata", "annotations", HEADER)
    assert "mobile" in found[0].message and "web:" not in found[0].message
    assert [rel.resource.kind for rel in found[0].related] == ["HTTPRoute"]
    fixed = copy.deepcopy(s)
    fixed["route"]["spec"]["rules"][0]["matches"].append(_match(client="mobile"))
    assert _annotation_codes(fixed, HEADER) == {ANNOTATION_OK}


def test_header_values_split_across_methods():
    """methods POST,GET and x-client web,mobile: every value matched for some method is kept."""
    s = _scenario({METHODS: "GET,POST", HEADER: "web,mobile"},
                  [_match(m, v) for m in ("GET", "POST") for v in ("web", "mobile")])
    assert _annotation_codes(s, METHODS) == {ANNOTATION_OK}
    assert _annotation_codes(s, HEADER) == {ANNOTATION_OK}
    dropped = _scenario({METHODS: "GET,POST", HEADER: "web,mobile"},
                        [_match(m, "web") for m in ("GET", "POST")])
    assert _annotation_codes(dropped, HEADER) == {ANNOTATION_MISSING}
