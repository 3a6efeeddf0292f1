#!/usr/bin/env python3
"""Generate gwlint's schema artifacts (``schemas/``) from the Gateway API CRDs.

Users do not have the upstream CRDs, so gwlint ships what it needs at run time:

* ``schemas/index.json``: per release and channel, every kind with its group, scope and
  per apiVersion the served/storage/deprecated flags (+ deprecationWarning), the id of its
  schema blob and, for the standard channel, which fields and enum values exist only in the
  experimental channel of that release; plus the light core kinds (Service, Secret, ...).
* ``schemas/blobs/<id>.json.gz``: content-addressed structural schemas (descriptions and
  ``status`` dropped; defaults, CEL rules ``x-kubernetes-validations`` and list types kept
  inline where they attach). Releases share most schemas, so 180 served versions need ~70.
* ``schemas/fields.json.gz``: for every kind, in which releases/channels each field path
  exists, so an unknown field can be explained ("added in v1.1.0").
* ``schemas/provenance.json``: sha256 of every source file, and ``LICENSE.gateway-api``.

Field paths use dots between properties, ``[]`` for array items and ``{}`` for map values,
e.g. ``spec.rules[].backendRefs[].weight``.

Output is deterministic: sorted keys, no timestamps, gzip with mtime 0.

Usage: python scripts/gen_schemas.py [--source SHARED_DIR] [--out SCHEMAS_DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import yaml

try:  # the C loader is ~10x faster on these 13 MB of YAML
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader  # type: ignore[misc]

FORMAT_VERSION = 1
CHANNELS = ("standard", "experimental")
REPO_ROOT = Path(__file__).resolve().parent.parent

# Schema keywords kept in the blobs: everything the API server uses to prune, default and
# validate. Documentation (description, example, externalDocs, title) is dropped.
KEEP_KEYWORDS = frozenset({
    "type", "properties", "items", "additionalProperties", "required", "enum", "pattern",
    "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
    "uniqueItems", "nullable", "default", "oneOf", "anyOf", "allOf", "not",
    "x-kubernetes-validations", "x-kubernetes-int-or-string",
    "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
})
CEL_RULE_KEYS = ("rule", "message", "messageExpression", "fieldPath", "reason", "optionalOldSelf")
VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


# --------------------------------------------------------------------------- helpers

def canonical_json(obj: Any) -> str:
    """One canonical text per value: what makes blobs content-addressable and output stable."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def gz(data: str) -> bytes:
    """gzip with a fixed mtime and no file name, so reruns are byte-identical."""
    return gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release_key(name: str) -> tuple[int, int, int]:
    m = VERSION_DIR.match(name)
    assert m, name
    return int(m[1]), int(m[2]), int(m[3])


def reduce_schema(node: Any) -> Any:
    """Keep the validation-relevant keywords of an OpenAPI v3 (structural) schema node."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in KEEP_KEYWORDS:
            continue
        if key == "properties":
            value = {name: reduce_schema(sub) for name, sub in value.items()}
        elif key in ("items", "not") or (key == "additionalProperties" and isinstance(value, dict)):
            value = reduce_schema(value)
        elif key in ("oneOf", "anyOf", "allOf"):
            value = [reduce_schema(sub) for sub in value]
        elif key == "x-kubernetes-validations":
            value = [{k: r[k] for k in CEL_RULE_KEYS if k in r} for r in value]
        out[key] = value
    return out


def field_paths(schema: dict, prefix: str = "") -> Iterator[tuple[str, dict]]:
    """Yield (path, schema) for every property, array item and map value below ``schema``."""
    for name, sub in (schema.get("properties") or {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, sub
        yield from field_paths(sub, path)
    items = schema.get("items")
    if isinstance(items, dict):
        yield from field_paths(items, prefix + "[]")
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from field_paths(extra, prefix + "{}")


def property_paths(schema: dict) -> dict[str, dict]:
    """Paths of named properties only (what a user can misspell or add), below ``spec``."""
    return {p: s for p, s in field_paths(schema) if not p.endswith(("[]", "{}"))}


# --------------------------------------------------------------------------- core kinds

_DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
_IANA_SVC_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
# Kubernetes decodes `data`/`binaryData` with Go's base64 decoder, which ignores line breaks:
# values wrapped over several lines (`base64` wraps at 76 columns) are valid
_BASE64 = "^[A-Za-z0-9+/\r\n]*(=[\r\n]*){0,2}$"
_CONFIG_KEY_RULE = {
    "rule": "self.all(k, k.matches('^[-._a-zA-Z0-9]+$'))",
    "message": "keys must consist of alphanumeric characters, '-', '_' or '.'",
}


def core_schemas() -> dict[str, dict]:
    """Light hand-written schemas for the core kinds gwlint's rules look at.

    Unknown fields are allowed (``x-kubernetes-preserve-unknown-fields``): gwlint is not a
    Kubernetes validator, it only checks what its Gateway API rules rely on.
    """
    port = {
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": True,
        "required": ["port"],
        "properties": {
            "name": {"type": "string", "maxLength": 63, "pattern": _IANA_SVC_NAME},
            "port": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 65535},
            "protocol": {"type": "string", "enum": ["TCP", "UDP", "SCTP"], "default": "TCP"},
            "targetPort": {"x-kubernetes-int-or-string": True, "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 65535},
                {"type": "string", "minLength": 1, "maxLength": 15,
                 "pattern": "^[-a-z0-9]*[a-z][-a-z0-9]*$"},
            ]},
            "nodePort": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 65535},
            "appProtocol": {"type": "string"},
        },
    }
    service = {
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": True,
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "x-kubernetes-preserve-unknown-fields": True,
                "properties": {
                    "type": {"type": "string", "default": "ClusterIP",
                             "enum": ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]},
                    "ports": {
                        "type": "array", "items": port,
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["port", "protocol"],
                        "x-kubernetes-validations": [
                            {"rule": "size(self) <= 1 || self.all(p, has(p.name) && p.name != '')",
                             "message": "when a Service has more than one port, every port "
                                        "must have a name"},
                            {"rule": "self.all(p1, !has(p1.name) || self.exists_one(p2, "
                                     "has(p2.name) && p2.name == p1.name))",
                             "message": "port names must be unique within the Service"},
                        ],
                    },
                    "selector": {"type": "object", "additionalProperties": {"type": "string"}},
                    "clusterIP": {"type": "string"},
                    "externalName": {"type": "string"},
                    "appProtocol": {"type": "string"},
                },
            },
        },
    }
    secret = {
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": True,
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "type": {"type": "string", "default": "Opaque"},
            "immutable": {"type": "boolean"},
            "data": {"type": "object",
                     "additionalProperties": {"type": "string", "pattern": _BASE64},
                     "x-kubernetes-validations": [_CONFIG_KEY_RULE]},
            "stringData": {"type": "object", "additionalProperties": {"type": "string"},
                           "x-kubernetes-validations": [_CONFIG_KEY_RULE]},
        },
    }
    namespace = {
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": True,
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
        },
    }
    configmap = {
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": True,
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "immutable": {"type": "boolean"},
            "data": {"type": "object", "additionalProperties": {"type": "string"},
                     "x-kubernetes-validations": [_CONFIG_KEY_RULE]},
            "binaryData": {"type": "object",
                           "additionalProperties": {"type": "string", "pattern": _BASE64},
                           "x-kubernetes-validations": [_CONFIG_KEY_RULE]},
        },
    }
    return {"Service": service, "Secret": secret, "Namespace": namespace, "ConfigMap": configmap}


CORE_SCOPE = {"Service": "Namespaced", "Secret": "Namespaced", "ConfigMap": "Namespaced",
              "Namespace": "Cluster"}


# --------------------------------------------------------------------------- generation

class Generator:
    """Collects blobs and index entries while reading the CRD tree."""

    def __init__(self, crd_root: Path) -> None:
        self.crd_root = crd_root
        self.blobs: dict[str, str] = {}
        self.provenance: dict[str, str] = {}
        self.ignored: list[str] = []

    def add_blob(self, schema: dict) -> str:
        text = canonical_json(schema)
        blob_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
        self.blobs[blob_id] = text
        return blob_id

    def releases(self) -> list[str]:
        names = [p.name for p in self.crd_root.iterdir()
                 if p.is_dir() and VERSION_DIR.match(p.name)]
        return sorted(names, key=release_key)

    def read_crds(self, release: str, channel: str) -> Iterator[dict]:
        folder = self.crd_root / release / channel
        for path in sorted(folder.glob("*.yaml")):
            rel = path.relative_to(self.crd_root).as_posix()
            self.provenance[rel] = sha256_file(path)
            docs = [d for d in yaml.load_all(path.read_text(encoding="utf-8"), Loader=_Loader) if d]
            crds = [d for d in docs if d.get("kind") == "CustomResourceDefinition"]
            if not crds:  # e.g. the ValidatingAdmissionPolicy of vap_safeupgrades.yaml
                self.ignored.append(rel)
            yield from crds

    def bundle(self, release: str, channel: str) -> dict[str, dict]:
        kinds: dict[str, dict] = {}
        schemas: dict[str, dict[str, dict]] = {}
        for crd in self.read_crds(release, channel):
            spec = crd["spec"]
            names = spec["names"]
            versions: dict[str, dict] = {}
            for ver in spec["versions"]:
                entry: dict[str, Any] = {
                    "served": bool(ver.get("served")),
                    "storage": bool(ver.get("storage")),
                    "deprecated": bool(ver.get("deprecated", False)),
                }
                if ver.get("deprecationWarning"):
                    entry["deprecationWarning"] = ver["deprecationWarning"]
                if entry["served"]:  # an unserved version is never validated: no schema needed
                    schema = reduce_schema(ver["schema"]["openAPIV3Schema"])
                    schema.get("properties", {}).pop("status", None)  # gwlint ignores status
                    entry["schema"] = self.add_blob(schema)
                    schemas.setdefault(names["kind"], {})[ver["name"]] = schema
                versions[ver["name"]] = entry
            kinds[names["kind"]] = {
                "group": spec["group"],
                "plural": names["plural"],
                "scope": spec["scope"],
                "shortNames": sorted(names.get("shortNames") or []),
                "versions": versions,
            }
        return kinds, schemas  # type: ignore[return-value]

    def run(self) -> dict[str, Any]:
        releases = self.releases()
        if not releases:
            raise SystemExit(f"no release folders (vX.Y.Z) found in {self.crd_root}")
        bundles: dict[str, dict] = {}
        history: dict[str, dict[str, list[int]]] = {}
        for r_index, release in enumerate(releases):
            per_channel = {}
            for channel in CHANNELS:
                kinds, schemas = self.bundle(release, channel)
                per_channel[channel] = (kinds, schemas)
                record_history(history, schemas, r_index, CHANNELS.index(channel))
            add_experimental_only(*per_channel["standard"], per_channel["experimental"][1])
            bundles[release] = {ch: {"kinds": per_channel[ch][0]} for ch in CHANNELS}
        core = {}
        for kind, schema in core_schemas().items():
            core[kind] = {"apiVersion": "v1", "scope": CORE_SCOPE[kind],
                          "schema": self.add_blob(schema)}
        for path in sorted(self.crd_root.iterdir()):
            if path.is_file():
                self.provenance[path.name] = sha256_file(path)
        return {
            "format": FORMAT_VERSION,
            "releases": releases,
            "channels": list(CHANNELS),
            "groups": sorted({k["group"] for b in bundles.values() for ch in b.values()
                              for k in ch["kinds"].values()}),
            "bundles": bundles,
            "core": core,
        }, history


def record_history(history: dict, schemas: dict[str, dict[str, dict]], r_index: int,
                   c_index: int) -> None:
    """Mark, per kind and field path, that the field exists in this release and channel."""
    bit = 1 << r_index
    for kind, by_version in schemas.items():
        fields = history.setdefault(kind, {})
        for schema in by_version.values():
            for path in property_paths(schema):
                masks = fields.setdefault(path, [0, 0])
                masks[c_index] |= bit


def add_experimental_only(std_kinds: dict, std_schemas: dict, exp_schemas: dict) -> None:
    """Record, per standard kind/version, the fields and enum values only experimental has.

    Only the top-most experimental field of a subtree is listed: that is where the
    standard-channel API server prunes.
    """
    for kind, by_version in std_schemas.items():
        for version, std_schema in by_version.items():
            exp_schema = exp_schemas.get(kind, {}).get(version)
            if exp_schema is None:
                continue
            std_fields = dict(field_paths(std_schema))
            exp_fields = dict(field_paths(exp_schema))
            only = sorted(p for p in exp_fields if p not in std_fields)
            top = [p for p in only
                   if not any(p.startswith(o) and p[len(o)] in ".[{" for o in only if o != p)]
            enums: dict[str, list] = {}
            for path, exp_sub in exp_fields.items():
                std_sub = std_fields.get(path)
                if std_sub is None or "enum" not in exp_sub or "enum" not in std_sub:
                    continue
                extra = [v for v in exp_sub["enum"] if v not in std_sub["enum"]]
                if extra:
                    enums[path] = extra
            entry = std_kinds[kind]["versions"][version]
            if top:
                entry["experimentalFields"] = top
            if enums:
                entry["experimentalEnums"] = dict(sorted(enums.items()))


def locate_crd_root(source: Path) -> Path:
    """Accept either the shared/ folder or its gateway-api-crds/ sub-folder."""
    if (source / "gateway-api-crds").is_dir():
        return source / "gateway-api-crds"
    return source


ARTIFACTS_README = """\
# schemas/ — generated by scripts/gen_schemas.py (do not edit)

What gwlint loads at run time instead of the upstream Gateway API CRDs.

* `index.json` — `bundles[<release>][<channel>].kinds[<Kind>]`: `group`, `plural`, `scope`,
  `shortNames` and per apiVersion `served`, `storage`, `deprecated`, `deprecationWarning`,
  `schema` (blob id) and, in standard bundles, `experimentalFields` / `experimentalEnums`
  (fields and enum values only the experimental channel of that release has). `core` holds
  the light hand-written schemas of Service, Secret, Namespace and ConfigMap.
* `blobs/<id>.json.gz` — one structural schema per distinct CRD version (content-addressed:
  id = sha256 of the canonical JSON; releases share most of them). Descriptions and
  `status` are dropped; `default`, `x-kubernetes-validations` (CEL rule, message,
  messageExpression, fieldPath, reason), list types and map keys stay inline, where they
  attach.
* `fields.json.gz` — per kind and field path (`spec.rules[].timeouts`; `[]` = list item,
  `{}` = map value) a bitmask per channel of the releases that have the field.
* `provenance.json` — sha256 of every source file; `LICENSE.gateway-api` — their license.

Regenerate with `python scripts/gen_schemas.py` (reads ../shared, or `--source DIR`).
"""


def write_outputs(out: Path, index: dict, history: dict, gen: Generator) -> None:
    blobs_dir = out / "blobs"
    blobs_dir.mkdir(parents=True, exist_ok=True)
    wanted = {f"{blob_id}.json.gz" for blob_id in gen.blobs}
    for stale in blobs_dir.glob("*.json.gz"):
        if stale.name not in wanted:
            stale.unlink()
    for blob_id, text in sorted(gen.blobs.items()):
        target = blobs_dir / f"{blob_id}.json.gz"
        data = gz(text)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
    (out / "index.json").write_text(
        json.dumps(index, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    fields = {"releases": index["releases"], "channels": list(CHANNELS),
              "kinds": {k: dict(sorted(v.items())) for k, v in sorted(history.items())}}
    (out / "fields.json.gz").write_bytes(gz(canonical_json(fields)))
    provenance = {
        "source": "kubernetes-sigs/gateway-api config/crd/<channel>/ (shared/gateway-api-crds)",
        "license": "Apache-2.0 (see LICENSE.gateway-api)",
        "generator": "scripts/gen_schemas.py",
        "files": dict(sorted(gen.provenance.items())),
        "ignored": sorted(gen.ignored),
    }
    (out / "provenance.json").write_text(
        json.dumps(provenance, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    (out / "README.md").write_text(ARTIFACTS_README, encoding="utf-8")
    license_src = gen.crd_root / "LICENSE"
    if license_src.is_file():
        shutil.copyfile(license_src, out / "LICENSE.gateway-api")


def generate(source: Path, out: Path) -> None:
    """Read the CRDs under ``source`` and (re)write every artifact in ``out``."""
    gen = Generator(locate_crd_root(source))
    index, history = gen.run()
    write_outputs(out, index, history, gen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO_ROOT.parent / "shared",
                        help="shared/ folder (or its gateway-api-crds/ folder); default: ../shared")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "schemas",
                        help="output folder; default: schemas/ in the repository")
    args = parser.parse_args(argv)
    root = locate_crd_root(args.source)
    if not root.is_dir():
        print(f"gen_schemas: source folder {root} not found", file=sys.stderr)
        return 2
    generate(args.source, args.out)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"gen_schemas: wrote {args.out} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
