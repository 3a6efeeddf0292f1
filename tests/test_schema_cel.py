"""CEL: every bundled rule compiles; escaping, Kubernetes libraries and runtime semantics."""

from __future__ import annotations

import functools

import pytest

from gwlint.schema import artifacts, cel, cel_source, k8s_cel_ext
from gwlint.schema.celplan import CelPlan
from gwlint.schema.compiled import compiled


@functools.cache
def all_rules() -> dict[str, list[str]]:
    """Every rule text of every bundled schema -> where it appears."""
    found: dict[str, list[str]] = {}
    for release, channel, kind, version, blob_id in artifacts.iter_served_schemas():
        for path, rule in CelPlan(artifacts.blob(blob_id)).rules():
            found.setdefault(rule.source.text, []).append(f"{release}/{channel} {kind}/{version} "
                                                          f"{'.'.join(path)}")
    for kind, entry in artifacts.core_kinds().items():
        for path, rule in CelPlan(artifacts.blob(entry["schema"])).rules():
            found.setdefault(rule.source.text, []).append(f"core {kind} {'.'.join(path)}")
    return found


def _raw_rules() -> list[str]:
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for r in node.get("x-kubernetes-validations") or ():
                out.append(r["rule"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for *_, blob_id in artifacts.iter_served_schemas():
        walk(artifacts.blob(blob_id))
    return out


def test_every_bundled_rule_compiles():
    failures = []
    for text, where in all_rules().items():
        try:
            cel.compile_program(text)
        except cel.CelCompileError as exc:
            failures.append(f"{where[0]}: {text}: {exc}")
    assert not failures, "\n".join(failures)
    assert len(all_rules()) > 100


def test_only_transition_rules_are_skipped():
    raw = _raw_rules()
    kept = {r.source.original for *_, blob in artifacts.iter_served_schemas()
            for _, r in CelPlan(artifacts.blob(blob)).rules()}
    skipped = {r for r in raw if r not in kept}
    assert skipped == {"self == oldSelf"}


def test_combined_programs_compile_for_every_schema():
    for *_, blob_id in artifacts.iter_served_schemas():
        plan = compiled(blob_id).cel
        if plan.root is not None:
            assert plan._combined_program() is not None, blob_id
            assert plan.python_predicate() is not None, blob_id
            untranslated = plan.translate_all()  # every node's function compiles
            assert untranslated == [], [r.source.original for _, r in untranslated]


# ------------------------------------------------------------------ escaping

@pytest.mark.parametrize("escaped, plain", [
    ("__namespace__", "namespace"), ("__in__", "in"), ("__true__", "true"), ("a__dash__b", "a-b"),
    ("a__dot__b", "a.b"), ("a__slash__b", "a/b"), ("x__underscores__y", "x__y"), ("plain", "plain"),
    ("__foo__", None),
])
def test_unescape(escaped, plain):
    assert cel_source.unescape(escaped) == plain


def run(rule: str, value):
    return cel.evaluate(cel.compile_program(cel_source.prepare(rule).text), value)


def test_escaped_property_access_and_has():
    ref = {"name": "gw", "namespace": "infra"}
    assert run("self.__namespace__ == 'infra'", ref) is True
    assert run("has(self.__namespace__)", ref) is True
    assert run("has(self.__namespace__)", {"name": "gw"}) is False
    assert run("self.a__dash__b.c__dot__d == 1", {"a-b": {"c.d": 1}}) is True
    assert run("!has(self.x.__namespace__)", {"x": {}}) is True


def test_escaping_leaves_strings_alone():
    assert run("self.v == 'self.__namespace__'", {"v": "self.__namespace__"}) is True


def test_transition_rules_are_detected():
    assert cel_source.prepare("self == oldSelf").is_transition
    assert not cel_source.prepare("self.oldSelfish == 1").is_transition


def test_field_path_parsing():
    assert cel_source.parse_field_path(".spec.rules[0]['a.b'].__namespace__") == (
        "spec", "rules", 0, "a.b", "namespace")
    assert cel_source.parse_field_path("spec") is None


# ------------------------------------------------------------------ Kubernetes libraries

@pytest.mark.parametrize("value, expected", [
    ("10.0.0.1", True), ("255.255.255.255", True), ("::1", True), ("2001:db8::1", True),
    ("::1.2.3.4", True),
    ("010.0.0.1", False), ("10.0.0", False), ("10.0.0.256", False), ("fe80::1%eth0", False),
    ("::ffff:1.2.3.4", False), ("::ffff:c0a8:1", False), ("example.com",
                                                          False), ("", False), (" 10.0.0.1", False),
])
def test_is_ip_kubernetes_semantics(value, expected):
    assert k8s_cel_ext.is_ip(value) is expected
    assert run("isIP(self)", value) is expected


@pytest.mark.parametrize("value, valid", [
    ("https", True), ("a", True), ("a-1", True), ("1a", True), ("-a", False), ("A", False),
    ("a_b", False),
    ("a" * 63, True), ("a" * 64, False),
])
def test_format_dns1123_label(value, valid):
    rule = "size(self) == 0 || format.dns1123Label().validate(self) == null"
    assert run(rule, value) is valid
    assert run(rule, "") is True
    errors = run("format.dns1123Label().validate(self)", value)
    assert (errors is None) is valid
    if not valid:
        assert isinstance(errors, list) and errors


def test_other_formats():
    assert run("format.dns1123Subdomain().validate(self) == null", "a.example.com") is True
    assert run("format.dns1035Label().validate(self) == null", "1abc") is False
    assert run("format.qualifiedName().validate(self) == null", "example.com/Name") is True
    assert run("format.labelValue().validate(self) == null", "has space") is False


# ------------------------------------------------------------------ runtime semantics

def test_matches_uses_re2_semantics():
    assert run("self.matches('^a$')", "a") is True
    assert run("self.matches('^a$')", "a\n") is False  # Python's re would say True
    assert run("self.matches('^\\\\d+$')", "\u0663") is False  # \d is ASCII-only in RE2


def test_absent_fields():
    assert run("has(self.a)", {}) is False
    assert isinstance(run("self.a == 1", {}), cel.EvalError)
    assert "no such key: a" in run("self.a == 1", {}).message


def test_integers_reach_cel_as_ints():
    assert run("type(self.port) == int", {"port": 80}) is True
    assert run("self.numerator <= self.denominator", {"numerator": 3, "denominator": 4}) is True


def test_string_extension_functions():
    assert run("'a/b'.split('/')[0].size() < 253", None) is True
    assert run("self.substring(2)", "*.example.com") == "example.com"
    assert run("duration(self) < duration('1h')", "90m") is False
    assert run("self.filter(x, x > 2).size() == 1 && self.exists_one(x, x == 2) && self.map(x, x * "
               "2)[2] == 6",
               [1, 2, 3]) is True
    assert run("self.exists(x, x == 2) && self.all(x, x > 0) && 'abc'.contains('b')",
               [1, 2]) is True
    assert run("self.exists_one(x, x > 0)", [1, 2]) is False


def test_evaluation_errors_do_not_raise():
    class Strange:
        pass

    assert isinstance(run("self.a == 1", Strange()), cel.EvalError)
    assert isinstance(run("self.all(x, x)", "not a list"), cel.EvalError)
    assert isinstance(run("self == self", 2 ** 80), cel.EvalError)


# ------------------------------------------------------------- rule metadata (synthetic schema)

SYNTHETIC = {"type": "object", "properties": {"spec": {
    "type": "object",
    "properties": {"min": {"type": "integer"}, "max": {"type": "integer"},
                   "names": {"type": "array", "items": {"type": "string"}}},
    "x-kubernetes-validations": [
        {"rule": "self.min <= self.max", "fieldPath": ".min", "reason": "FieldValueForbidden",
         "messageExpression": "'min ' + string(self.min) + ' exceeds max ' + string(self.max)"},
        {"rule": "self.names.all(n, n != 'x')", "message": "no x allowed"},
        {"rule": "self.names.size() < 10"},
        {"rule": "self.min == oldSelf.min", "message": "immutable"},
    ]}}}


@pytest.mark.parametrize("mode", ["python", "cel", "off"])
def test_message_expression_field_path_reason_and_transition_rules(mode):
    from gwlint.schema.celplan import CelPlan

    plan = CelPlan(SYNTHETIC)
    assert plan.check({"spec": {"min": 1, "max": 3, "names": ["a"]}}, set(), mode) == []
    found = plan.check({"spec": {"min": 5, "max": 3, "names": ["a", "x"] + ["b"] * 9}}, set(), mode)
    assert [(v.path, v.message, v.reason) for v in found] == [
        (("spec", "min"), "spec.min: min 5 exceeds max 3 (CEL rule)",
         "FieldValueForbidden"),  # fieldPath
        (("spec",), "spec: no x allowed (CEL rule)", None),
        (("spec",), "spec: failed rule: self.names.size() < 10 (CEL rule)",
         None),  # no message: the rule
    ]  # the oldSelf rule needs an update (two objects): skipped


def test_failing_items_of_a_list_rule_are_pinpointed():
    from gwlint.schema.celplan import CelPlan

    schema = {"type": "object", "properties": {"names": {
        "type": "array", "items": {"type": "string"},
        "x-kubernetes-validations": [{"rule": "self.all(n, n != 'x')",
                                      "message": "no x allowed"}]}}}
    found = CelPlan(schema).check({"names": ["a", "x", "b", "x"]}, set(), "python")
    assert [(v.path, v.message) for v in found] == [(("names", 1),
                                                     "names[1]: no x allowed (CEL rule)")]
    assert "[3]" in (found[0].hint or "")
