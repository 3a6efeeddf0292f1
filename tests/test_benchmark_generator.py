"""Tests for benchmarks/generate.py, the synthetic GitOps corpus used to benchmark gwlint.

The benchmark is only meaningful if the corpus is right: the valid part must be
really valid (so a correct linter is silent on it) and each broken object must
carry exactly the mistake the manifest says.  These tests check that with a
small independent resolver and, when the v1.6.1 CRDs are available in
../shared, with the CRD schemas and CEL rules themselves.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CRD_DIR = ROOT.parent / "shared" / "gateway-api-crds" / "v1.6.1" / "standard"
N = 300


def _load_script(name: str):
    """benchmarks/ is not a package: load its scripts by path."""
    spec = importlib.util.spec_from_file_location(f"gwlint_bench_{name}",
                                                  ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


gen = _load_script("generate")


# ------------------------------------------------------------------ fixtures


def _make(root: Path, fraction: float, seed: int = 1) -> Path:
    gen.generate(root, N, broken_fraction=fraction, seed=seed)
    return root


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    return _make(tmp_path_factory.mktemp("clean"), 0.0)


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    return _make(tmp_path_factory.mktemp("broken"), 0.1)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@functools.cache
def _parsed(root: Path) -> tuple[tuple[str, Any], ...]:
    """(file, document) for every YAML document below root; parsed once per corpus (read-only)."""
    docs = []
    for path in sorted(root.rglob("*")):
        if path.suffix in (".yaml", ".yml"):
            for doc in yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader):
                docs.append((str(path.relative_to(root)), doc))
    return tuple(docs)


def _docs(root: Path) -> Iterator[tuple[str, Any]]:
    return iter(_parsed(root))


def _manifest(root: Path) -> dict:
    return json.loads((root / "manifest.json").read_text())


# ------------------------------------------------------------------ a tiny resolver

HOST_RE = re.compile(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
SPEC_KEYS = {"parentRefs", "hostnames", "rules"}
RULE_KEYS = {"name", "matches", "filters", "backendRefs", "timeouts"}
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute")


class Index:
    """All objects of a corpus by (kind, namespace, name)."""

    def __init__(self, root: Path) -> None:
        self.objs: dict[tuple[str, str, str], dict] = {}
        self.files: dict[tuple[str, str, str], str] = {}
        self.non_k8s = 0
        for file, doc in _docs(root):
            if not isinstance(doc, dict) or "kind" not in doc:
                self.non_k8s += 1
                continue
            key = (doc["kind"], doc["metadata"].get("namespace", ""), doc["metadata"]["name"])
            assert key not in self.objs, f"duplicate object {key}"
            self.objs[key] = doc
            self.files[key] = file

    def of_kind(self, *kinds: str) -> list[tuple[tuple[str, str, str], dict]]:
        return [(k, v) for k, v in self.objs.items() if k[0] in kinds]

    def granted(self, kind: str, from_ns: str, to_ns: str, to_kind: str, name: str) -> bool:
        for (_kind, ns, _), grant in self.of_kind("ReferenceGrant"):
            if ns != to_ns:
                continue
            froms = any(
                f["group"] == gen.GW_GROUP and f["kind"] == kind and f["namespace"] == from_ns
                for f in grant["spec"]["from"]
            )
            tos = any(
                t["group"] == "" and t["kind"] == to_kind and t.get("name", name) == name
                for t in grant["spec"]["to"]
            )
            if froms and tos:
                return True
        return False


def _host_matches(listener: str | None, host: str) -> bool:
    if not listener or host == "*":  # no hostname on either side matches everything
        return True
    if listener.startswith("*."):
        return host.endswith(listener[1:]) or (host.startswith("*.")
                                               and host.endswith(listener[1:]))
    return host == listener


def _selector_matches(selector: dict, labels: dict) -> bool:
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expr in selector.get("matchExpressions", []):
        present = expr["key"] in labels and labels[expr["key"]] in expr.get("values", [])
        if (expr["operator"] == "In") != present:
            return False
    return True


def _listener_problems(index: Index, route: dict, route_ns: str, ref: dict) -> list[str]:
    gw_ns = ref.get("namespace", route_ns)
    gateway = index.objs.get(("Gateway", gw_ns, ref["name"]))
    if gateway is None:
        return ["parent-not-found"]
    listeners = [ls for ls in gateway["spec"]["listeners"]
                 if ls["name"] == ref.get("sectionName", ls["name"])]
    if not listeners:
        return ["no-such-listener"]
    problems = []
    for listener in listeners:
        allowed = listener.get("allowedRoutes", {})
        default_kinds = (["TLSRoute"] if listener["protocol"] == "TLS"
                         else ["HTTPRoute", "GRPCRoute"])
        kinds = [k["kind"] for k in allowed.get("kinds", [])] or default_kinds
        source = allowed.get("namespaces", {}).get("from", "Same")
        labels = index.objs[("Namespace", "", route_ns)]["metadata"]["labels"]
        if route["kind"] not in kinds:
            problems.append("kind-not-allowed")
        elif ((source == "Same" and route_ns != gw_ns)
              or (source == "Selector"
                  and not _selector_matches(allowed["namespaces"]["selector"], labels))):
            problems.append("namespace-not-allowed")
        elif not any(
            _host_matches(listener.get("hostname"), h)
            for h in route["spec"].get("hostnames") or ["*"]
        ):
            problems.append("no-matching-hostname")
    return problems


def _backend_problems(index: Index, route: dict, route_ns: str, rule: dict) -> list[str]:
    problems = []
    refs = rule.get("backendRefs", [])
    if len(refs) > 1 and len({"weight" in r for r in refs}) > 1:
        problems.append("weight-unset")
    if refs and any(f["type"] == "RequestRedirect" for f in rule.get("filters", [])):
        problems.append("redirect-with-backends")
    for ref in refs:
        ns = ref.get("namespace", route_ns)
        service = index.objs.get(("Service", ns, ref["name"]))
        if service is None:
            problems.append("missing-service")
            continue
        if ref.get("port") not in {p["port"] for p in service["spec"]["ports"]}:
            problems.append("wrong-port")
        if ns != route_ns and not index.granted(route["kind"], route_ns, ns, "Service",
                                                ref["name"]):
            problems.append("no-grant")
    return problems


def route_problems(index: Index) -> dict[tuple[str, str, str], list[str]]:
    """Every problem a correct linter should report, keyed by the route it concerns."""
    problems: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    claims: dict[tuple, list[tuple[str, str, str]]] = defaultdict(list)
    for key, route in index.of_kind(*ROUTE_KINDS):
        spec, ns = route["spec"], key[1]
        problems[key] += [f"unknown-field:{k}" for k in set(spec) - SPEC_KEYS]
        problems[key] += ["invalid-hostname" for h in spec.get("hostnames", [])
                          if not HOST_RE.match(h)]
        for ref in spec["parentRefs"]:
            problems[key] += _listener_problems(index, route, ns, ref)
        for rule in spec["rules"]:
            problems[key] += [f"unknown-field:{k}" for k in set(rule) - RULE_KEYS]
            problems[key] += _backend_problems(index, route, ns, rule)
            if route["kind"] == "HTTPRoute":
                for match in rule.get("matches", [{"path": {"type": "PathPrefix", "value": "/"}}]):
                    for ref in spec["parentRefs"]:
                        parent = (ref.get("namespace", ns), ref["name"], ref.get("sectionName"))
                        for host in spec.get("hostnames", ["*"]):
                            claims[(parent, host, json.dumps(match, sort_keys=True))].append(key)
    for owners in claims.values():
        if len(set(owners)) > 1:
            for owner in owners:
                problems[owner].append("duplicate-host-path")
    return {k: v for k, v in problems.items() if v}


def infra_problems(index: Index) -> list[str]:
    """Gateways, Secrets, GatewayClasses and Namespaces must all line up."""
    problems = []
    namespaces = {k[2] for k, _ in index.of_kind("Namespace")}
    for key in index.objs:
        if key[1] and key[1] not in namespaces:
            problems.append(f"{key}: namespace missing")
    for key, gateway in index.of_kind("Gateway"):
        if ("GatewayClass", "", gateway["spec"]["gatewayClassName"]) not in index.objs:
            problems.append(f"{key}: no GatewayClass")
        for listener in gateway["spec"]["listeners"]:
            for ref in listener.get("tls", {}).get("certificateRefs", []):
                secret = index.objs.get(("Secret", ref.get("namespace", key[1]), ref["name"]))
                if (
                    secret is None
                    or secret["type"] != "kubernetes.io/tls"
                    or set(secret["data"]) != {"tls.crt", "tls.key"}
                ):
                    problems.append(f"{key}: bad certificateRef {ref['name']}")
    return problems


@pytest.fixture(scope="module")
def clean_index(clean: Path) -> Index:
    return Index(clean)


@pytest.fixture(scope="module")
def broken_index(broken: Path) -> Index:
    return Index(broken)


# ------------------------------------------------------------------ tests


def test_same_arguments_give_a_byte_identical_tree(broken: Path, tmp_path: Path) -> None:
    again = _make(tmp_path / "again", 0.1)
    assert _tree(again) == _tree(broken)
    other = _make(tmp_path / "other-seed", 0.1, seed=2)
    assert _tree(other) != _tree(broken)


def test_refuses_a_non_empty_outdir(tmp_path: Path) -> None:
    (tmp_path / "stray.yaml").write_text("a: 1\n")
    with pytest.raises(FileExistsError):
        gen.generate(tmp_path, 100, 0.0)


def test_counts_per_kind_follow_the_requested_mix(clean: Path, clean_index: Index) -> None:
    manifest = _manifest(clean)
    parsed = Counter(k[0] for k in clean_index.objs)
    assert dict(parsed) == manifest["kinds"]
    assert manifest["resources"] == sum(parsed.values())
    assert abs(manifest["resources"] - N) <= N * 0.02
    expected = {
        "Service": 0.30,
        "HTTPRoute": 0.30,
        "GRPCRoute": 0.05,
        "TLSRoute": 0.02,
        "ReferenceGrant": 0.10,
        "Secret": 0.08,
        "Namespace": 0.05,
        "Gateway": 0.03,
        "ConfigMap": 0.07,
    }
    for kind, share in expected.items():
        assert abs(parsed[kind] / N - share) <= 0.01, kind
    assert manifest["non_kubernetes_documents"] == clean_index.non_k8s
    assert 0.01 <= clean_index.non_k8s / manifest["documents"] <= 0.03


def test_every_file_parses_and_holds_1_to_20_documents(clean: Path) -> None:
    per_file = Counter(file for file, _ in _docs(clean))
    assert per_file and all(1 <= n <= 20 for n in per_file.values())
    assert len(per_file) == _manifest(clean)["files"]
    assert any(f.endswith(".yml") for f in per_file) and any(f.count("/") >= 5 for f in per_file)


def test_httproutes_have_realistic_sizes(clean: Path) -> None:
    sizes = sorted(
        len(yaml.dump(doc, Dumper=yaml.CSafeDumper, sort_keys=False).splitlines())
        for _, doc in _docs(clean)
        if isinstance(doc, dict) and doc.get("kind") == "HTTPRoute"
    )
    assert 30 <= sizes[len(sizes) // 2] <= 80


def test_clean_corpus_has_no_mistakes(clean: Path, clean_index: Index) -> None:
    manifest = _manifest(clean)
    assert manifest["broken"] == [] and set(manifest["mistakes"].values()) == {0}
    assert route_problems(clean_index) == {}
    assert infra_problems(clean_index) == []


def test_backend_refs_point_at_generated_services_and_ports(clean_index: Index) -> None:
    checked = 0
    for (_kind, ns, _name), route in clean_index.of_kind(*ROUTE_KINDS):
        for rule in route["spec"]["rules"]:
            for ref in rule.get("backendRefs", []):
                service = clean_index.objs[("Service", ref.get("namespace", ns), ref["name"])]
                assert ref["port"] in [p["port"] for p in service["spec"]["ports"]]
                checked += 1
    assert checked > N / 2


def test_cross_namespace_refs_have_a_grant_and_every_grant_is_used(clean_index: Index) -> None:
    used = set()
    for (kind, ns, _), route in clean_index.of_kind(*ROUTE_KINDS):
        for rule in route["spec"]["rules"]:
            for ref in rule.get("backendRefs", []):
                target = ref.get("namespace", ns)
                if target != ns:
                    assert clean_index.granted(kind, ns, target, "Service", ref["name"])
                    used.add((target, kind, ns, ref["name"]))
    grants = {
        (
            g["metadata"]["namespace"],
            g["spec"]["from"][0]["kind"],
            g["spec"]["from"][0]["namespace"],
            g["spec"]["to"][0]["name"],
        )
        for _, g in clean_index.of_kind("ReferenceGrant")
    }
    assert grants == used


def test_broken_objects_are_exactly_the_ones_in_the_manifest(broken: Path,
                                                             broken_index: Index) -> None:
    manifest = _manifest(broken)
    assert manifest["broken_objects"] == round(0.1 * N) == len(manifest["broken"])
    assert all(n == manifest["broken_objects"] // len(gen.MISTAKES)
               for n in manifest["mistakes"].values())
    listed = {(b["kind"], b["namespace"], b["name"]): b for b in manifest["broken"]}
    for key, entry in listed.items():
        assert broken_index.files[key] == entry["file"]
    partners = {tuple(b["related"].replace("/", " ").split()) for b in manifest["broken"]
                if "related" in b}
    found = route_problems(broken_index)
    assert set(found) - set(listed) <= partners  # only a duplicate's partner shares the finding
    assert set(listed) <= set(found)
    assert infra_problems(broken_index) == []


# ------------------------------------------------------------------ CRD schema + CEL


@functools.cache
def _crd_versions() -> dict[tuple[str, str], dict]:
    """openAPIV3Schema per (apiVersion, kind) served by the standard channel."""
    schemas = {}
    for path in CRD_DIR.glob("*.yaml"):
        for doc in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader):
            if doc and doc.get("kind") == "CustomResourceDefinition":
                for version in doc["spec"]["versions"]:
                    if version["served"]:
                        api = f"{doc['spec']['group']}/{version['name']}"
                        kind = doc["spec"]["names"]["kind"]
                        schemas[(api, kind)] = version["schema"]["openAPIV3Schema"]
    return schemas


def _closed(schema: Any) -> Any:
    """Structural CRD schemas drop unknown fields; make them an error instead, as a linter would."""
    if isinstance(schema, dict):
        schema = {k: _closed(v) for k, v in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
    elif isinstance(schema, list):
        schema = [_closed(v) for v in schema]
    return schema


def _defaulted(schema: dict, value: Any) -> Any:
    """Apply schema defaults, as the API server does before running CEL."""
    if isinstance(value, dict):
        for key, sub in schema.get("properties", {}).items():
            if key not in value and "default" in sub:
                value[key] = copy.deepcopy(sub["default"])
            if key in value:
                value[key] = _defaulted(sub, value[key])
    elif isinstance(value, list) and "items" in schema:
        value = [_defaulted(schema["items"], v) for v in value]
    return value


def _cel_data(value: Any) -> Any:
    """Kubernetes escapes CEL reserved words in property names (namespace -> __namespace__)."""
    if isinstance(value, dict):
        return {("__namespace__" if k == "namespace" else k): _cel_data(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_cel_data(v) for v in value]
    return value


def _is_ip(text: str) -> bool:
    return bool(re.match(r"^[0-9.:]+$", text))


@functools.cache
def _cel_env() -> Any:
    """A CEL environment with what Kubernetes adds that the CRDs use: string extensions and
    isIP()."""
    cel = pytest.importorskip("cel_expr_python.cel")
    strings = pytest.importorskip("cel_expr_python.ext.ext_strings")
    overload = cel.Overload("isIP_string", cel.Type.BOOL, [cel.Type.STRING], impl=_is_ip)
    is_ip = cel.FunctionDecl("isIP", [overload])
    return cel.NewEnv(variables={"self": cel.Type.DYN}, extensions=[strings.ExtStrings()],
                      functions=[is_ip])


def _cel_errors(env: Any, programs: dict, schema: dict, value: Any, path: str) -> Iterator[str]:
    """Run every x-kubernetes-validations rule; `value` is already _cel_data-escaped."""
    for rule in schema.get("x-kubernetes-validations", []):
        if "oldSelf" in rule["rule"]:
            continue
        program = (programs.get(rule["rule"])
                   or programs.setdefault(rule["rule"], env.compile(rule["rule"])))
        try:
            ok = program.eval(data={"self": value}).value() is True
        except RuntimeError as exc:  # an evaluation error rejects the object, as on the API server
            ok, rule = False, {"message": f"{rule['message']} ({exc})"}
        if not ok:
            yield f"{path}: {rule['message']}"
    if isinstance(value, dict):
        for key, sub in schema.get("properties", {}).items():
            data_key = "__namespace__" if key == "namespace" else key
            if data_key in value:
                yield from _cel_errors(env, programs, sub, value[data_key], f"{path}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            yield from _cel_errors(env, programs, schema["items"], item, f"{path}[{i}]")


_PROGRAMS: dict[str, Any] = {}  # compiled CEL rules, shared by the tests


@functools.cache
def _validators(jsonschema: Any) -> dict[tuple[str, str], Any]:
    return {k: jsonschema.Draft7Validator(_closed(s)) for k, s in _crd_versions().items()}


def crd_errors(root: Path) -> dict[tuple[str, str, str], list[str]]:
    """Schema and CEL errors of every Gateway API object, per object."""
    jsonschema = pytest.importorskip("jsonschema")
    env = _cel_env()
    schemas = _crd_versions()
    validators = _validators(jsonschema)
    programs = _PROGRAMS
    errors: dict[tuple[str, str, str], list[str]] = {}
    for _, doc in _docs(root):
        if not isinstance(doc, dict) or not doc.get("apiVersion", "").startswith(gen.GW_GROUP):
            continue
        key = (doc["kind"], doc["metadata"].get("namespace", ""), doc["metadata"]["name"])
        schema_key = (doc["apiVersion"], doc["kind"])
        if schema_key not in validators:
            errors[key] = [f"{schema_key} is not served by the v1.6.1 standard CRDs"]
            continue
        found = [e.message for e in validators[schema_key].iter_errors(doc)]
        if not found:
            value = _defaulted(schemas[schema_key], copy.deepcopy(doc))
            found = list(_cel_errors(env, programs, schemas[schema_key], _cel_data(value), ""))
        if found:
            errors[key] = found
    return errors


needs_crds = pytest.mark.skipif(not CRD_DIR.is_dir(),
                                reason="Gateway API v1.6.1 CRDs not found in ../shared")


@needs_crds
def test_clean_corpus_is_valid_against_the_v1_6_1_crds(clean: Path) -> None:
    assert crd_errors(clean) == {}


@needs_crds
def test_schema_mistakes_are_caught_by_the_crds(broken: Path) -> None:
    """Typos, redirect+backends and bad hostnames are CRD errors; every other object stays
    CRD-valid."""
    manifest = _manifest(broken)
    schema_mistakes = {"unknown-field-typo", "redirect-with-backends", "invalid-hostname"}
    expected = {
        (b["kind"], b["namespace"], b["name"]) for b in manifest["broken"]
        if b["mistake"] in schema_mistakes
    }
    assert set(crd_errors(broken)) == expected


# ------------------------------------------------------------------ the runner


def test_runner_startup_file_is_valid(tmp_path: Path) -> None:
    run = _load_script("run")
    (tmp_path / "valid.yaml").write_text(run.STARTUP_MANIFEST)
    index = Index(tmp_path)
    assert route_problems(index) == {} and infra_problems(index) == []
    if CRD_DIR.is_dir():
        assert crd_errors(tmp_path) == {}


def test_runner_targets() -> None:
    """The issue's targets, read from the shape with findings in most files (memory: every
    shape and run at the largest size)."""
    run = _load_script("run")

    def row(n: int, wall: float, ratio: float, rss: float, others: float = 100) -> dict:
        def lint(w: float, r: float, mb: float) -> dict:
            return {"rc": 0, "wall_s": w, "ratio": r, "memory_mb": mb}

        return {"n": n, "shapes": {
            "most": {"floor": {"wall_s": wall / ratio},
                     "runs": {"gwlint": lint(wall, ratio, rss),
                              "pyyaml": lint(2 * wall, 2 * ratio, others)}},
            "few": {"floor": {"wall_s": 1.0}, "runs": {"gwlint": lint(1.0, 1.0, others)}}}}

    startup = {"rc": 0, "wall_s": 0.15}
    cheap = {"most/gwlint": {"finding_us": 4.0, "findings": 5000, "locations": 9000}}
    checks = run.evaluate([row(10000, 2.0, 0.9, 300), row(100000, 20.0, 0.9, 650)], startup,
                          profile=cheap)
    assert [c["status"] for c in checks] == ["PASS"] * 5
    costly = {"most/gwlint": {"finding_us": 40.0, "findings": 5000, "locations": 9000}}
    checks = run.evaluate([row(10000, 2.0, 1.2, 300), row(100000, 25.0, 1.2, 600, 800)],
                          {"rc": 0, "wall_s": 0.3}, profile=costly)
    assert [c["status"] for c in checks] == ["FAIL"] * 5
    assert [c["status"] for c in run.evaluate([], None)] == ["SKIP"] * 5
