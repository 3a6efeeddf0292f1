"""The generated schema artifacts, the generator, and version resolution."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from gwlint.schema import artifacts, bundled_versions, resolve_version

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
SHARED = REPO.parent / "shared"
CRDS = SHARED / "gateway-api-crds"
EXPECTED_RELEASES = ["v1.0.0", "v1.1.0", "v1.2.1", "v1.3.0", "v1.4.1", "v1.5.1", "v1.6.1"]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_schemas",
                                                  REPO / "scripts" / "gen_schemas.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_schemas"] = module
    spec.loader.exec_module(module)
    return module


def _content(path: Path) -> bytes:
    """File content, decompressed for .gz (zlib builds may differ in compressed bytes)."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): _content(p) for p in sorted(root.rglob("*"))
            if p.is_file()}


# ---------------------------------------------------------------- committed artifacts

def test_index_lists_every_release_and_channel():
    index = artifacts.index()
    assert index["releases"] == EXPECTED_RELEASES
    assert index["channels"] == ["standard", "experimental"]
    for release in EXPECTED_RELEASES:
        for channel in ("standard", "experimental"):
            kinds = artifacts.bundle(release, channel)["kinds"]
            assert {"Gateway", "GatewayClass", "HTTPRoute", "ReferenceGrant"} <= set(kinds)


def test_every_referenced_blob_exists_and_none_is_orphaned():
    referenced = {blob for *_, blob in artifacts.iter_served_schemas()}
    referenced |= {entry["schema"] for entry in artifacts.core_kinds().values()}
    on_disk = {p.name.removesuffix(".json.gz") for p in (SCHEMAS / "blobs").glob("*.json.gz")}
    assert referenced == on_disk
    for blob_id in referenced:
        schema = artifacts.blob(blob_id)
        assert schema["type"] == "object"
        # content-addressed: the id is derived from the canonical JSON
        text = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(text.encode()).hexdigest().startswith(blob_id)


def test_blobs_are_deduplicated_and_small():
    served = list(artifacts.iter_served_schemas())
    unique = {blob for *_, blob in served}
    assert len(unique) < len(served) / 2, "releases share most schemas; dedup must kick in"
    total = sum(p.stat().st_size for p in SCHEMAS.rglob("*") if p.is_file())
    assert total < 2 * 1024 * 1024


def _doc_strings(node):
    """Documentation left in a schema node (a ``description`` keyword with text)."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            yield node["description"]
        for key, value in node.items():
            if key == "properties":
                for sub in value.values():
                    yield from _doc_strings(sub)
            elif isinstance(value, (dict, list)) and key != "default":
                yield from _doc_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _doc_strings(item)


def test_blobs_drop_descriptions_and_status():
    for *_, blob_id in artifacts.iter_served_schemas():
        schema = artifacts.blob(blob_id)
        assert not list(_doc_strings(schema))
        assert "status" not in schema.get("properties", {})


def test_version_flags_match_the_crds_documented_lifecycle():
    # ReferenceGrant v1alpha2: deprecated in v1.0, unserved in v1.1 standard, gone in v1.2
    rg = lambda r, c: artifacts.bundle(r, c)["kinds"]["ReferenceGrant"]["versions"]  # noqa: E731
    assert rg("v1.0.0", "standard")["v1alpha2"]["deprecated"] is True
    assert rg("v1.0.0", "standard")["v1alpha2"]["served"] is True
    assert "deprecationWarning" in rg("v1.0.0", "standard")["v1alpha2"]
    assert rg("v1.1.0", "standard")["v1alpha2"]["served"] is False
    assert "v1alpha2" not in rg("v1.2.1", "standard")
    assert rg("v1.6.1", "standard")["v1beta1"]["storage"] is True


def test_experimental_only_fields_are_recorded_for_standard_bundles():
    versions = artifacts.bundle("v1.6.1", "standard")["kinds"]["HTTPRoute"]["versions"]
    fields = versions["v1"]["experimentalFields"]
    assert "spec.rules[].sessionPersistence" in fields
    assert "spec.rules[].retry" in fields
    # only the top-most experimental node is listed
    assert not any(f.startswith("spec.rules[].sessionPersistence.") for f in fields)
    route = artifacts.bundle("v1.6.1", "experimental")["kinds"]["HTTPRoute"]
    assert "experimentalFields" not in route["versions"]["v1"]


def test_core_kinds_are_light_and_allow_unknown_fields():
    core = artifacts.core_kinds()
    assert set(core) == {"Service", "Secret", "Namespace", "ConfigMap"}
    for entry in core.values():
        assert entry["apiVersion"] == "v1"
        assert artifacts.blob(entry["schema"]).get("x-kubernetes-preserve-unknown-fields") is True


def test_provenance_lists_each_source_file_with_sha256():
    provenance = json.loads((SCHEMAS / "provenance.json").read_text())
    files = provenance["files"]
    assert any(name.endswith("_httproutes.yaml") for name in files)
    assert all(len(digest) == 64 for digest in files.values())
    assert any("vap_safeupgrades" in name for name in provenance["ignored"])
    if CRDS.is_dir():
        for name, digest in files.items():
            assert hashlib.sha256((CRDS / name).read_bytes()).hexdigest() == digest


def test_field_history_knows_when_fields_appeared():
    history = artifacts.field_history()
    releases = history["releases"]
    std_mask, _exp_mask = history["kinds"]["HTTPRoute"]["spec.rules[].timeouts"]
    present = [r for i, r in enumerate(releases) if std_mask >> i & 1]
    assert present[0] == "v1.2.1"  # HTTPRoute timeouts reached the standard channel in v1.2


# ---------------------------------------------------------------- generator

needs_crds = pytest.mark.skipif(not CRDS.is_dir(), reason="../shared/gateway-api-crds not "
                                                          "present (only in the dev workspace)")


def _raw(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@needs_crds
@pytest.mark.slow  # two runs of the generator; the test below compares one with the committed files
def test_generator_is_deterministic(tmp_path):
    gen = _generator()
    first, second = tmp_path / "a", tmp_path / "b"
    gen.generate(SHARED, first)
    gen.generate(SHARED, second)
    assert _raw(first) == _raw(second), "rerunning the generator must give byte-identical files"


@needs_crds
def test_committed_schemas_are_up_to_date(tmp_path):
    """One run of the generator gives the committed files, which another process (another hash
    seed, another day) wrote: deterministic output, and up to date."""
    first = tmp_path / "a"
    _generator().generate(SHARED, first)
    committed = _tree(SCHEMAS)
    fresh = _tree(first)
    stale = sorted(set(committed) ^ set(fresh)) + sorted(k for k in fresh
                                                         if committed.get(k) != fresh[k])
    assert not stale, f"schemas/ is out of date (run scripts/gen_schemas.py): {stale[:10]}"


def _write_crd(path: Path, kind: str, versions: list[tuple[str, dict, dict]]) -> None:
    import yaml

    doc = {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{kind.lower()}s.example.io"},
        "spec": {"group": "example.io", "scope": "Namespaced",
                 "names": {"kind": kind, "plural": f"{kind.lower()}s"},
                 "versions": [{"name": name, "schema": {"openAPIV3Schema": schema}, **flags}
                              for name, flags, schema in versions]},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc))


def test_generator_on_a_synthetic_tree(tmp_path):
    """The generator's own logic, without ../shared: dedup, experimental diff, provenance."""
    gen = _generator()
    base = {"type": "object", "description": "doc", "properties": {
        "spec": {"type": "object",
                 "properties": {"a": {"type": "string", "description": "x", "default": "z"}},
                 "x-kubernetes-validations": [{"rule": "self.a != 'b'", "message": "no b"}]},
        "status": {"type": "object"}}}
    exp = json.loads(json.dumps(base))
    exp["properties"]["spec"]["properties"]["beta"] = {"type": "object",
                                                       "properties": {"x": {"type": "integer"}}}
    src = tmp_path / "src" / "gateway-api-crds"
    for release in ("v1.0.0", "v1.1.0"):
        _write_crd(src / release / "standard" / "a.yaml", "Widget",
                   [("v1", {"served": True, "storage": True}, base)])
        _write_crd(src / release / "experimental" / "a.yaml", "Widget",
                   [("v1", {"served": True, "storage": True}, exp),
                    ("v1alpha1", {"served": False, "storage": False, "deprecated": True}, exp)])
    (src / "v1.1.0" / "standard" / "vap.yaml").write_text(
        "kind: ValidatingAdmissionPolicy\napiVersion: x\n")
    out = tmp_path / "out"
    gen.generate(tmp_path / "src", out)
    index = json.loads((out / "index.json").read_text())
    assert index["releases"] == ["v1.0.0", "v1.1.0"]
    std = index["bundles"]["v1.0.0"]["standard"]["kinds"]["Widget"]["versions"]["v1"]
    assert std["experimentalFields"] == ["spec.beta"]
    exp_v = index["bundles"]["v1.0.0"]["experimental"]["kinds"]["Widget"]["versions"]
    assert "schema" not in exp_v["v1alpha1"] and exp_v["v1alpha1"]["deprecated"] is True
    blob_ids = {p.name for p in (out / "blobs").glob("*.json.gz")}
    # 2 Widget schemas (std, exp) shared by both releases + 4 core kinds
    assert len(blob_ids) == 2 + 4
    blob = json.loads(gzip.decompress((out / "blobs" / f"{std['schema']}.json.gz").read_bytes()))
    assert "description" not in json.dumps(blob) and "status" not in blob["properties"]
    assert blob["properties"]["spec"]["x-kubernetes-validations"] == [
        {"rule": "self.a != 'b'", "message": "no b"}]
    assert blob["properties"]["spec"]["properties"]["a"]["default"] == "z"
    provenance = json.loads((out / "provenance.json").read_text())
    assert provenance["ignored"] == ["v1.1.0/standard/vap.yaml"]
    assert provenance["files"]["v1.0.0/standard/a.yaml"] == hashlib.sha256(
        (src / "v1.0.0" / "standard" / "a.yaml").read_bytes()).hexdigest()


# ---------------------------------------------------------------- versions

def test_bundled_versions():
    assert bundled_versions() == EXPECTED_RELEASES


@pytest.mark.parametrize("spec, expected", [
    (None, "v1.6.1"), ("latest", "v1.6.1"), ("v1.4", "v1.4.1"), ("1.4", "v1.4.1"),
    ("v1.2.1", "v1.2.1"), ("1.0.0", "v1.0.0"), (" v1.3 ", "v1.3.0"),
])
def test_resolve_version(spec, expected):
    assert resolve_version(spec) == expected


@pytest.mark.parametrize("spec, fragment", [
    ("v1.4.0", "did you mean v1.4.1"), ("v2.0", "not bundled"), ("banana", "invalid"),
    ("v1.9.9", "bundled: v1.0.0"),
])
def test_resolve_version_errors_are_helpful(spec, fragment):
    with pytest.raises(ValueError, match=fragment):
        resolve_version(spec)
