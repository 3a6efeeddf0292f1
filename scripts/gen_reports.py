#!/usr/bin/env python3
"""Generate gwlint's bundled conformance reports (``reports/``) from the implementations' reports.

Implementations publish a ConformanceReport per Gateway API release, implementation version and
mode to the gateway-api repository (``conformance/reports/<release>/<implementation>/*.yaml``):
the Gateway API version and channel tested and, per conformance profile, the core and extended
results and the ``supportedFeatures`` / ``unsupportedFeatures``. Users do not have that tree, so
gwlint ships a compact copy that ``gwlint/implementations/`` reads at run time:

* ``reports/reports.json``: ``format``, ``implementations`` (name -> aliases, organization,
  project, url) and ``reports`` (one per source file, sorted by id, one report per line).
* ``reports/provenance.json``: sha256 of every source file; ``LICENSE.gateway-api``: their license.
* ``reports/README.md``: the format and the bundled implementations and versions.

A report's ``id`` is its source path without ``.yaml`` (``v1.6/envoy-gateway/experimental-v1.9.0-
default-report``): modes alone do not tell reports apart (Kong publishes two
``traditional_compatible`` reports per release, one per deployment topology).

Implementation names are the report folder names without the organization prefix
(``istio-istio`` -> ``istio``; a few renames below); the folder names stay accepted as aliases.
A malformed source report stops the generator with its file name: it must never reach users.

Output is deterministic: sorted keys and files, no timestamps.

Usage: python scripts/gen_reports.py [--source SHARED_DIR] [--out REPORTS_DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader, as everywhere in gwlint
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader  # type: ignore[assignment,misc]

FORMAT_VERSION = 1
REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = "gateway-api-conformance-reports"
CHANNELS = ("standard", "experimental")
RELEASE = re.compile(r"^v\d+\.\d+\.\d+$")

# report folder -> implementation name (folders not listed keep their own name). The folder
# names themselves stay accepted as aliases.
NAMES = {
    "agentgateway-agentgateway": "agentgateway",
    "aws-aws-application-networking-k8s": "aws-application-networking-k8s",
    "cilium-cilium": "cilium",
    "gke-gateway": "gke",
    "istio-istio": "istio",
    "kong-operator": "kong",
    "linkerd-linkerd": "linkerd",
    "nginx-nginx-gateway-fabric": "nginx-gateway-fabric",
    "projectcalico-calico": "calico",
    "projectcontour-contour": "contour",
    "sunbeam-studios-sunbeam-proxy": "sunbeam-proxy",
    "traefik-traefik": "traefik",
    "varnish-software-varnish-gateway": "varnish-gateway",
    "higress-group-higress": "higress",
}
# further names users type for an implementation (besides its folder names)
EXTRA_ALIASES = {
    "aws-application-networking-k8s": ("aws-gateway-api-controller", "aws-vpc-lattice"),
    "envoy-gateway": ("envoy",),
    "gke": ("gke-gateway",),
    "kong": ("kong-operator", "kong-ingress-controller", "kic"),
    "nginx-gateway-fabric": ("ngf", "nginx"),
}


class GenerationError(RuntimeError):
    """A source report does not have the shape of a ConformanceReport."""


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GenerationError(f"{where}: expected a non-empty string, got {value!r}")
    return value.strip()


def _int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise GenerationError(f"{where}: expected a count, got {value!r}")
    return value


def _names(value: Any, where: str) -> list[str]:
    """A list of feature or test names; a null list (``unsupportedFeatures:`` with nothing
    under it, which some reports have) is empty."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise GenerationError(f"{where}: expected a list of names, got {value!r}")
    return sorted(set(value))


def _section(data: Any, where: str, extended: bool) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise GenerationError(f"{where}: expected a mapping, got {data!r}")
    stats = data.get("statistics")
    if not isinstance(stats, dict):
        raise GenerationError(f"{where}.statistics: missing")
    out: dict[str, Any] = {
        "result": _str(data.get("result"), f"{where}.result"),
        "passed": _int(stats.get("Passed"), f"{where}.statistics.Passed"),
        "failed": _int(stats.get("Failed"), f"{where}.statistics.Failed"),
        "skipped": _int(stats.get("Skipped"), f"{where}.statistics.Skipped"),
        "skipped_tests": _names(data.get("skippedTests"), f"{where}.skippedTests"),
        "failed_tests": _names(data.get("failedTests"), f"{where}.failedTests"),
    }
    if extended:
        out["supported"] = _names(data.get("supportedFeatures"), f"{where}.supportedFeatures")
        out["unsupported"] = _names(data.get("unsupportedFeatures"), f"{where}.unsupportedFeatures")
    return out


def convert(doc: Any, rel: str, name: str) -> dict[str, Any]:
    """One ConformanceReport -> the bundled record (raises GenerationError when malformed)."""
    if not isinstance(doc, dict) or doc.get("kind") != "ConformanceReport":
        raise GenerationError(f"{rel}: not a ConformanceReport")
    impl = doc.get("implementation")
    if not isinstance(impl, dict):
        raise GenerationError(f"{rel}: implementation: missing")
    release = _str(doc.get("gatewayAPIVersion"), f"{rel}: gatewayAPIVersion")
    if not RELEASE.match(release):
        raise GenerationError(f"{rel}: gatewayAPIVersion {release!r} is not vX.Y.Z")
    channel = _str(doc.get("gatewayAPIChannel"), f"{rel}: gatewayAPIChannel")
    if channel not in CHANNELS:
        raise GenerationError(f"{rel}: gatewayAPIChannel {channel!r} is not one of {CHANNELS}")
    profiles: dict[str, Any] = {}
    raw_profiles = doc.get("profiles")
    if not isinstance(raw_profiles, list) or not raw_profiles:
        raise GenerationError(f"{rel}: profiles: expected a non-empty list")
    for i, prof in enumerate(raw_profiles):
        where = f"{rel}: profiles[{i}]"
        if not isinstance(prof, dict):
            raise GenerationError(f"{where}: expected a mapping")
        pname = _str(prof.get("name"), f"{where}.name")
        if pname in profiles:
            raise GenerationError(f"{where}: profile {pname} twice")
        entry = {"core": _section(prof.get("core"), f"{where}.core", extended=False)}
        if prof.get("extended") is not None:
            entry["extended"] = _section(prof["extended"], f"{where}.extended", extended=True)
        profiles[pname] = entry
    date = doc.get("date")
    return {
        "id": rel.removesuffix(".yaml"),
        "implementation": name,
        "organization": _str(impl.get("organization"), f"{rel}: implementation.organization"),
        "project": _str(impl.get("project"), f"{rel}: implementation.project"),
        "url": impl.get("url") if isinstance(impl.get("url"), str) else "",
        "version": _str(impl.get("version"), f"{rel}: implementation.version"),
        "gateway_api_version": release,
        "channel": channel,
        "mode": _str(doc.get("mode", "default"), f"{rel}: mode"),
        "date": date if isinstance(date, str) else "",
        "profiles": profiles,
        "provisional_passed": _names(doc.get("succeededProvisionalTests"),
                                     f"{rel}: succeededProvisionalTests"),
    }


def release_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text[1:].split("."))


def natural_key(text: str) -> tuple:
    """'v2.10.0' after 'v2.9.0': numbers compare as numbers (README order only)."""
    text = re.sub(r"^\D*", "", text)  # 'v1.2', 'version-1.2' and '1.2' sort together
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", text) if p)


def collect(source: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Every report under `source` (sorted by id) and the sha256 of every file read."""
    reports: list[dict[str, Any]] = []
    provenance: dict[str, str] = {}
    for path in sorted(source.glob("*/*/*.yaml")):
        rel = path.relative_to(source).as_posix()
        provenance[rel] = sha256_file(path)
        folder = path.parent.name
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise GenerationError(f"{rel}: not valid YAML: {exc}") from exc
        reports.append(convert(doc, rel, NAMES.get(folder, folder)))
    if not reports:
        raise GenerationError(f"no reports found under {source}")
    return reports, provenance


def implementations(reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """name -> aliases and the identity fields of its newest report."""
    out: dict[str, dict[str, Any]] = {}
    for rep in sorted(reports, key=lambda r: (release_key(r["gateway_api_version"]), r["date"],
                                              r["id"])):
        name = rep["implementation"]
        folder = rep["id"].split("/")[1]
        entry = out.setdefault(name, {"aliases": set(EXTRA_ALIASES.get(name, ()))})
        if folder != name:
            entry["aliases"].add(folder)
        entry.update(organization=rep["organization"], project=rep["project"], url=rep["url"])
    taken: dict[str, str] = {}
    for name, entry in sorted(out.items()):
        for alias in entry["aliases"] | {name}:
            if taken.setdefault(alias, name) != name:
                raise GenerationError(f"name {alias!r} would mean both {taken[alias]} and {name}")
        entry["aliases"] = sorted(entry["aliases"])
    return dict(sorted(out.items()))


README = """\
# reports/ — generated by scripts/gen_reports.py (do not edit)

The Gateway API conformance reports that implementations published to the gateway-api
repository (`conformance/reports/<release>/<implementation>/*.yaml`), in the compact form gwlint
reads at run time (`gwlint/implementations/`).

* `reports.json` — `format`; `implementations`: name -> `aliases` (the report folder names and
  common names), `organization`, `project`, `url`; `reports`: one record per source file
  (`id` = source path without `.yaml`), with the implementation `version`,
  `gateway_api_version`, `channel`, `mode`, `date`, `provisional_passed` and per conformance
  profile the `core` and `extended` results: `result`, `passed`/`failed`/`skipped` counts,
  `skipped_tests`, `failed_tests` and, for `extended`, the `supported` and `unsupported` features.
* `provenance.json` — sha256 of every source file; `LICENSE.gateway-api` — their license.

Regenerate with `python scripts/gen_reports.py` (reads ../shared, or `--source DIR`).

## Bundled reports

| Implementation | Versions (Gateway API release, channel) |
|---|---|
"""


def readme(impls: dict[str, dict[str, Any]], reports: list[dict[str, Any]]) -> str:
    rows = []
    for name in impls:
        seen: dict[str, None] = {}
        for rep in sorted((r for r in reports if r["implementation"] == name),
                          key=lambda r: (release_key(r["gateway_api_version"]),
                                         natural_key(r["version"]), r["channel"], r["id"])):
            seen[f"{rep['version']} ({rep['gateway_api_version']} {rep['channel']})"] = None
        rows.append(f"| {name} | {', '.join(seen)} |")
    return README + "\n".join(rows) + "\n"


def generate(shared: Path, out: Path) -> None:
    """Read `shared`/gateway-api-conformance-reports, (re)write `out` from scratch."""
    source = shared / SOURCE_DIR
    reports, provenance = collect(source)
    impls = implementations(reports)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    lines = ",\n".join(canonical_json(r) for r in reports)
    head = canonical_json({"format": FORMAT_VERSION, "implementations": impls})[:-1]
    (out / "reports.json").write_text(f'{head},"reports":[\n{lines}\n]}}\n', encoding="utf-8")
    license_file = source / "LICENSE"
    if license_file.is_file():
        provenance["LICENSE"] = sha256_file(license_file)
        shutil.copyfile(license_file, out / "LICENSE.gateway-api")
    (out / "provenance.json").write_text(
        json.dumps({"source": f"kubernetes-sigs/gateway-api conformance/reports (via {SOURCE_DIR})",
                    "files": dict(sorted(provenance.items()))}, indent=1, sort_keys=True) + "\n",
        encoding="utf-8")
    (out / "README.md").write_text(readme(impls, reports), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO_ROOT.parent / "shared",
                        help="folder holding gateway-api-conformance-reports/ (default ../shared)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports")
    args = parser.parse_args(argv)
    try:
        generate(args.source, args.out)
    except (GenerationError, OSError) as exc:
        print(f"gen_reports: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
