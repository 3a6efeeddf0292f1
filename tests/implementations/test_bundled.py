"""The bundled reports (reports/), their generator and their loader."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import jsonschema_rs
import pytest
import yaml

from gwlint.implementations import bundled
from gwlint.implementations.bundled import ARTIFACT_SCHEMA, ReportsArtifactError

REPO = Path(__file__).resolve().parents[2]
REPORTS = REPO / "reports"
SHARED = REPO.parent / "shared"
SOURCE = SHARED / "gateway-api-conformance-reports"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_reports",
                                                  REPO / "scripts" / "gen_reports.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_reports"] = module
    spec.loader.exec_module(module)
    return module


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


# ---------------------------------------------------------------- the committed artifact

def test_every_bundled_report_has_the_artifact_shape():
    data = json.loads((REPORTS / "reports.json").read_text(encoding="utf-8"))
    errors = [f"{e.instance_path}: {e.message}"
              for e in jsonschema_rs.validator_for(ARTIFACT_SCHEMA).iter_errors(data)]
    assert not errors, errors[:10]


def test_artifact_schema_rejects_malformed_reports():
    data = json.loads((REPORTS / "reports.json").read_text(encoding="utf-8"))
    validator = jsonschema_rs.validator_for(ARTIFACT_SCHEMA)
    bad = json.loads(json.dumps(data))
    bad["reports"][0]["channel"] = "beta"
    bad["reports"][1]["profiles"]["GATEWAY-HTTP"] = {"extended": {}}
    del bad["reports"][2]["version"]
    assert len(list(validator.iter_errors(bad))) >= 3


def test_reports_are_consistent():
    data = bundled.raw()
    ids = [r["id"] for r in data["reports"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    names = set(data["implementations"])
    assert {r["implementation"] for r in data["reports"]} == names  # none without reports
    aliases = [a for impl in data["implementations"].values() for a in impl["aliases"]]
    assert len(aliases) == len(set(aliases)) and not set(aliases) & names
    for rep in data["reports"]:
        folder = rep["id"].split("/")[1]
        assert folder == rep["implementation"] or folder in \
            data["implementations"][rep["implementation"]]["aliases"]
        for prof in rep["profiles"].values():
            for section in prof.values():
                assert section["skipped"] >= len(section["skipped_tests"]) or \
                    section["skipped"] == 0
                assert not set(section.get("supported", ())) & set(section.get("unsupported", ()))
    loaded = bundled.implementations()
    assert sum(len(i.reports) for i in loaded.values()) == len(data["reports"])


def test_readme_lists_every_implementation_and_version():
    readme = (REPORTS / "README.md").read_text(encoding="utf-8")
    for rep in bundled.reports():
        row = next(line for line in readme.splitlines()
                   if line.startswith(f"| {rep.implementation} |"))
        assert f"{rep.version} ({rep.gateway_api_version} {rep.channel})" in row


def test_provenance_lists_each_source_file_with_sha256():
    provenance = json.loads((REPORTS / "provenance.json").read_text())
    files = provenance["files"]
    assert {f"{r.id}.yaml" for r in bundled.reports()} == set(files) - {"LICENSE"}
    assert all(len(d) == 64 for d in files.values())
    assert (REPORTS / "LICENSE.gateway-api").read_text().startswith(("Apache", "\n", " "))
    if SOURCE.is_dir():
        for name, digest in files.items():
            assert hashlib.sha256((SOURCE / name).read_bytes()).hexdigest() == digest


@pytest.mark.skipif(not SOURCE.is_dir(), reason="../shared not present (only in the dev workspace)")
def test_generator_is_deterministic_and_committed_reports_are_up_to_date(tmp_path):
    gen = _generator()
    gen.generate(SHARED, tmp_path / "a")
    gen.generate(SHARED, tmp_path / "b")
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert first == second, "rerunning the generator must give byte-identical files"
    committed = _tree(REPORTS)
    stale = sorted(set(committed) ^ set(first)) + sorted(k for k in first if committed.get(k)
                                                         != first[k])
    assert not stale, f"reports/ is out of date (run scripts/gen_reports.py): {stale}"


# ---------------------------------------------------------------- the generator's own logic

REPORT = {
    "apiVersion": "gateway.networking.k8s.io/v1", "kind": "ConformanceReport",
    "date": "2026-01-01T00:00:00Z", "gatewayAPIChannel": "experimental",
    "gatewayAPIVersion": "v1.6.1", "mode": "default",
    "implementation": {"organization": "acme", "project": "proxy", "url": "https://acme.test",
                       "version": "v1.0.0", "contact": ["x"]},
    "profiles": [{
        "name": "GATEWAY-HTTP", "summary": "s",
        "core": {"result": "success", "statistics": {"Passed": 3, "Failed": 0, "Skipped": 0}},
        "extended": {"result": "partial", "statistics": {"Passed": 2, "Failed": 0, "Skipped": 1},
                     "skippedTests": ["HTTPRouteCORS"],
                     "supportedFeatures": ["HTTPRouteMethodMatching", "GatewayPort8080"],
                     "unsupportedFeatures": None},
    }],
    "succeededProvisionalTests": ["HTTPRouteNamedRule"],
}


def _write(root: Path, rel: str, doc) -> None:
    path = root / "gateway-api-conformance-reports" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc) if not isinstance(doc, str) else doc)


def test_generator_on_a_synthetic_tree(tmp_path):
    gen = _generator()
    _write(tmp_path, "v1.6/acme-proxy/experimental-v1.0.0-default-report.yaml", REPORT)
    older = json.loads(json.dumps(REPORT))
    older.update(gatewayAPIVersion="v1.5.1", implementation={**REPORT["implementation"],
                                                            "version": "v0.9.0"})
    older["<Right>apiVersion"] = "typo keys are ignored"
    _write(tmp_path, "v1.5/acme-proxy/v0.9.0-report.yaml", older)
    _write(tmp_path, "LICENSE", "Apache License\n")
    out = tmp_path / "out"
    gen.generate(tmp_path, out)
    data = json.loads((out / "reports.json").read_text())
    assert list(data["implementations"]) == ["acme-proxy"]
    [new] = [r for r in data["reports"] if r["version"] == "v1.0.0"]
    assert new["id"] == "v1.6/acme-proxy/experimental-v1.0.0-default-report"
    ext = new["profiles"]["GATEWAY-HTTP"]["extended"]
    assert ext["supported"] == ["GatewayPort8080", "HTTPRouteMethodMatching"]  # sorted
    assert ext["unsupported"] == [] and ext["skipped_tests"] == ["HTTPRouteCORS"]
    assert new["provisional_passed"] == ["HTTPRouteNamedRule"]
    assert (out / "LICENSE.gateway-api").read_text() == "Apache License\n"
    provenance = json.loads((out / "provenance.json").read_text())["files"]
    assert set(provenance) == {"LICENSE", "v1.5/acme-proxy/v0.9.0-report.yaml",
                               "v1.6/acme-proxy/experimental-v1.0.0-default-report.yaml"}
    assert jsonschema_rs.validator_for(ARTIFACT_SCHEMA).is_valid(data)
    # one report per line: a refresh shows as a per-report diff
    assert (out / "reports.json").read_text().count("\n") == len(data["reports"]) + 2


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.pop("gatewayAPIVersion"), "gatewayAPIVersion"),
    (lambda d: d.update(gatewayAPIVersion="1.6"), "is not vX.Y.Z"),
    (lambda d: d.update(gatewayAPIChannel="beta"), "gatewayAPIChannel"),
    (lambda d: d.update(kind="Other"), "not a ConformanceReport"),
    (lambda d: d.update(profiles={}), "profiles"),
    (lambda d: d["profiles"][0]["extended"].update(supportedFeatures="all"), "supportedFeatures"),
    (lambda d: d["profiles"][0]["core"]["statistics"].update(Passed=-1), "Passed"),
    (lambda d: d["implementation"].pop("version"), "implementation.version"),
    (lambda d: d["profiles"].append(d["profiles"][0]), "twice"),
])
def test_generator_refuses_malformed_reports(tmp_path, mutate, message):
    gen = _generator()
    doc = json.loads(json.dumps(REPORT))
    mutate(doc)
    _write(tmp_path, "v1.6/acme-proxy/bad-report.yaml", doc)
    with pytest.raises(gen.GenerationError, match=message) as exc:
        gen.generate(tmp_path, tmp_path / "out")
    assert "v1.6/acme-proxy/bad-report.yaml" in str(exc.value)
    assert not (tmp_path / "out").exists()  # nothing half-written
    assert gen.main(["--source", str(tmp_path), "--out", str(tmp_path / "out")]) == 1


def test_generator_refuses_names_that_would_collide(tmp_path):
    gen = _generator()
    _write(tmp_path, "v1.6/istio-istio/a-report.yaml", REPORT)
    _write(tmp_path, "v1.6/istio/b-report.yaml", REPORT)  # folder 'istio' = name of istio-istio
    gen.generate(tmp_path, tmp_path / "ok")  # the same implementation: merged, not a collision
    data = json.loads((tmp_path / "ok" / "reports.json").read_text())
    assert list(data["implementations"]) == ["istio"]
    _write(tmp_path, "v1.6/kong/c-report.yaml", REPORT)  # an alias of kong-operator's name
    _write(tmp_path, "v1.6/kong-ingress-controller/d-report.yaml", REPORT)
    with pytest.raises(gen.GenerationError, match="kong-ingress-controller"):
        gen.generate(tmp_path, tmp_path / "out")


# ---------------------------------------------------------------- the loader

@pytest.fixture
def fresh_caches():
    bundled.clear_caches()
    yield
    bundled.clear_caches()


def test_loader_reads_an_override_folder(tmp_path, monkeypatch, fresh_caches):
    gen = _generator()
    _write(tmp_path, "v1.6/acme-proxy/experimental-v1.0.0-default-report.yaml", REPORT)
    gen.generate(tmp_path, tmp_path / "out")
    monkeypatch.setenv(bundled.ENV_DIR, str(tmp_path / "out"))
    from gwlint.implementations import query
    assert query.known_implementations() == ["acme-proxy"]
    assert query.support("acme-proxy", None, "GatewayPort8080").status == "supported"
    assert query.implementation("ACME-PROXY").reports[0].version == "v1.0.0"


def test_a_query_builds_only_the_implementation_it_names(fresh_caches):
    # a lint reads the artifact once and builds the reports of the implementations it meets
    from gwlint.implementations import query
    assert query.resolve("envoy@v1.9").implementation == "envoy-gateway"
    assert bundled.load_implementation.cache_info().currsize == 1
    assert bundled.implementations.cache_info().currsize == 0
    with pytest.raises(query.UnknownImplementation, match="known: agentgateway"):
        query.resolve("nosuch")
    assert bundled.load_implementation.cache_info().currsize == 1
    assert list(bundled.implementations()) == list(bundled.names()) == query.known_implementations()


def test_loader_errors_are_packaging_errors(tmp_path, monkeypatch, fresh_caches):
    (tmp_path / "reports.json").write_text('{"format": 99}')
    monkeypatch.setenv(bundled.ENV_DIR, str(tmp_path))
    with pytest.raises(ReportsArtifactError, match="unsupported artifact format"):
        bundled.implementations()
    bundled.raw.cache_clear()
    (tmp_path / "reports.json").write_text("{not json")
    with pytest.raises(ReportsArtifactError, match="cannot read"):
        bundled.raw()
