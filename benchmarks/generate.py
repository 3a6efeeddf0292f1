#!/usr/bin/env python3
"""Generate a realistic, deterministic GitOps repository of Gateway API manifests.

Usage::

    python benchmarks/generate.py OUTDIR --resources 100000 [--broken-fraction 0.1] [--seed 1]

The corpus is used to benchmark gwlint at repository scale, so it must look like
a real repository (nested folders, multi-document files, comments, noise) and
its valid part must be *really* valid: schema- and CEL-valid against the
Gateway API v1.6.1 standard CRDs, and every reference resolvable and granted.
A correct linter therefore reports nothing on the non-broken objects.

The repository is built from "cells" of exactly 100 Kubernetes objects, one per
team, which gives the requested mix exactly: 30% Services, 30% HTTPRoutes,
5% GRPCRoutes, 2% TLSRoutes, 10% ReferenceGrants, 8% TLS Secrets,
5% Namespaces, 3% Gateways and 7% ConfigMaps, plus one Ingress (below).  Each
cluster folder also holds one GatewayClass and one IngressClass, and each team
has two non-Kubernetes YAML documents (CI pipeline, Helm values).

With ``--broken-fraction F`` about F of all objects (always routes) carry exactly
one realistic mistake; ``manifest.json`` lists counts per kind, per mistake and
every broken object (file, kind, namespace, name).

A repository in the middle of a migration off Ingress: one HTTP app of each team's
``data`` namespace (about 4% of the apps, 1% of the objects) keeps the
networking.k8s.io/v1 Ingress its HTTPRoute replaces (one IngressClass per cluster). It mirrors the
route's unconditional path matches, so it is migrated faithfully; with a
broken fraction above 0, every second Ingress has one migration gap instead
(``INGRESS_GAPS``: a host no route serves, a path to another port, an annotation
nothing replaces), listed under ``ingresses`` in ``manifest.json``. Routes of
apps with an Ingress never get a route mistake, so each gap is the only problem
of its Ingress.

Everything is derived from ``random.Random(f"{seed}:{cell}")``: the same
arguments always give a byte-identical tree.
"""

from __future__ import annotations

import argparse
import base64
import copy
import functools
import json
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from collections.abc import Callable
from typing import Any

import yaml

GENERATOR_VERSION = 2
CELL_SIZE = 100
CELLS_PER_CLUSTER = 20

GW_GROUP = "gateway.networking.k8s.io"
GW_V1 = f"{GW_GROUP}/v1"
RG_API = f"{GW_GROUP}/v1beta1"

MISTAKES: tuple[str, ...] = (
    "parentref-missing-namespace",
    "backendref-missing-service",
    "cross-namespace-without-grant",
    "wrong-service-port",
    "unknown-field-typo",
    "redirect-with-backends",
    "invalid-hostname",
    "duplicate-host-path",
    "weights-90-and-unset",
    "unknown-section-name",
)

CLUSTERS = tuple("""
    prod-eu-west-1 prod-us-east-1 staging-eu-west-1 prod-ap-southeast-1 dev-eu-west-1
    prod-us-west-2 staging-us-east-1 qa-eu-central-1
    """.split())
TEAMS = tuple("""
    payments checkout search identity catalog logistics growth media risk ads messaging billing
    storefront mobile partners insights support pricing loyalty travel maps video music games
    health finance security devex commerce social
    """.split())
APP_WORDS = tuple("""
    cart catalog orders inventory shipping pricing reviews recommend accounts profile notify
    assets auth sessions invoices ledger reports analytics events audit geo feeds chat tickets
    docs blog cms admin portal webhooks exports imports scheduler coupons wishlist returns tax
    fraud kyc onboarding signup login uploads thumbnails transcode player playlists quotes rates
    alerts metrics status config flags experiments banners vouchers gifts stores menus
    """.split())
PATH_NOUNS = tuple("""
    items users orders search export images health status metrics config login logout cart
    checkout prices offers reviews events reports files docs settings tokens webhooks
    """.split())
APP_NAMESPACES = ("web", "api", "data", "platform")
TIER = {"web": "frontend", "api": "backend", "data": "backend", "platform": "platform"}
# How many plain / canary HTTP apps, gRPC apps and TLS apps live in each app namespace.
NS_LAYOUT = {
    "web": {"http": 3, "canary": 2, "grpc": 0, "tls": 0},
    "api": {"http": 4, "canary": 1, "grpc": 2, "tls": 0},
    "data": {"http": 3, "canary": 1, "grpc": 2, "tls": 1},
    "platform": {"http": 5, "canary": 0, "grpc": 1, "tls": 1},
}
SECONDARY_ROUTES = 10  # extra HTTPRoutes exposing an app on a second listener
INGRESS_NS = "data"  # the namespace whose HTTP apps still have their Ingress (HTTP listener)
# Migration gaps of the unfaithful Ingresses, rotating, with the gwlint rule each one triggers.
INGRESS_GAPS = {
    "ingress-host-not-served": "GW601",
    "ingress-path-to-other-port": "GW602",
    "ingress-rate-limit-dropped": "GW607",
}
HTTP_GRANTS = 9
GRPC_GRANTS = 1
CONFIGMAPS = 7


# --------------------------------------------------------------------------
# YAML emitter: a small block-style writer, over 10x faster than
# yaml.dump(Dumper=CSafeDumper) (whose representer runs in Python).  It only
# needs to handle our own objects; the tests parse everything back.
# --------------------------------------------------------------------------

_PLAIN_RE = re.compile(r"^[A-Za-z0-9/][A-Za-z0-9_./*\-]*$")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


@functools.lru_cache(maxsize=1 << 16)
def _quote_short(text: str) -> str:
    """Render a short string as a plain scalar when YAML would read it back as that string."""
    if (_PLAIN_RE.match(text)
            and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG):
        return text
    return json.dumps(text)


def _scalar(value: Any) -> str:
    """Render one scalar value (bool before int: bool is an int subclass)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    if len(value) > 80:
        return json.dumps(value)
    return _quote_short(value)


def _emit_map(node: dict, indent: str, out: list[str]) -> None:
    for key, value in node.items():
        if isinstance(value, dict):
            if value:
                out.append(f"{indent}{key}:")
                _emit_map(value, indent + "  ", out)
            else:
                out.append(f"{indent}{key}: {{}}")
        elif isinstance(value, list):
            if value:
                out.append(f"{indent}{key}:")
                _emit_seq(value, indent, out)
            else:
                out.append(f"{indent}{key}: []")
        elif isinstance(value, str) and "\n" in value:
            out.append(f"{indent}{key}: |" + ("" if value.endswith("\n") else "-"))
            out.extend(f"{indent}  {line}" if line else ""
                       for line in value.rstrip("\n").split("\n"))
        else:
            out.append(f"{indent}{key}: {_scalar(value)}")


def _emit_seq(items: list, indent: str, out: list[str]) -> None:
    """Emit a sequence kubectl-style: the dash sits at the parent key's indent."""
    for item in items:
        if isinstance(item, dict) and item:
            start = len(out)
            _emit_map(item, indent + "  ", out)
            out[start] = f"{indent}- {out[start][len(indent) + 2:]}"
        else:
            out.append(f"{indent}- {_scalar(item)}")


def dump(doc: dict) -> str:
    """Serialise one document (keys must be plain identifiers, as in all our objects)."""
    out: list[str] = []
    _emit_map(doc, "", out)
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------
# Model of one cell (team)
# --------------------------------------------------------------------------


@dataclass
class Service:
    """What route building and the mistakes need to know about a generated Service."""

    namespace: str
    name: str
    proto: str  # "http", "grpc" or "tls"
    port: int
    ports: tuple[int, ...]


@dataclass
class Route:
    """A route object plus the bookkeeping that mistakes and manifest.json need."""

    obj: dict
    file: str = ""
    mistake: str | None = None
    related: str | None = None
    protected: bool = False

    @property
    def kind(self) -> str:
        return self.obj["kind"]

    @property
    def namespace(self) -> str:
        return self.obj["metadata"]["namespace"]

    @property
    def name(self) -> str:
        return self.obj["metadata"]["name"]


@dataclass
class App:
    """One app of a team: written as apps/<team>/<ns>/<app>.yaml or as a folder of that name."""

    ns_short: str
    name: str
    proto: str
    canary: bool = False
    services: list[dict] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    configmaps: list[dict] = field(default_factory=list)
    values: dict | None = None
    ingress: dict | None = None  # the Ingress the HTTPRoute replaces (migration in progress)
    ingress_gap: str | None = None
    ingress_file: str = ""


@dataclass
class Cell:
    """One team: 100 objects, their indexes (Services, grants, listeners) and its own RNG."""

    cluster: str
    env: str
    team: str
    rng: Random
    gateway_ns: str = ""
    namespaces: list[dict] = field(default_factory=list)
    gateways: list[dict] = field(default_factory=list)
    secrets: list[dict] = field(default_factory=list)
    grants: list[dict] = field(default_factory=list)
    apps: list[App] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    services: dict[tuple[str, str], Service] = field(default_factory=dict)
    granted: set[tuple[str, str, str, str]] = field(default_factory=set)
    listeners: dict[str, dict[str, dict]] = field(default_factory=dict)
    redirect_route: Route | None = None
    ci: dict = field(default_factory=dict)

    def ns(self, short: str) -> str:
        return f"{self.team}-{short}"


def _meta(
    name: str, namespace: str | None, labels: dict | None = None, annotations: dict | None = None
) -> dict:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    return meta


def _app_labels(cell: Cell, app: str, component: str | None = None) -> dict:
    labels = {
        "app.kubernetes.io/name": app,
        "app.kubernetes.io/part-of": cell.team,
        "app.kubernetes.io/managed-by": "flux",
    }
    if component:
        labels["app.kubernetes.io/component"] = component
    return labels


# ------------------------------- infrastructure ---------------------------


def build_namespaces(cell: Cell) -> None:
    """Five namespaces: the team's gateway namespace and four app namespaces."""
    cell.gateway_ns = cell.ns("gateways")
    specs = [("gateways", "infra")] + [(short, TIER[short]) for short in APP_NAMESPACES]
    for short, tier in specs:
        name = cell.ns(short)
        labels = {
            "kubernetes.io/metadata.name": name,
            "team": cell.team,
            "tier": tier,
            "env": cell.env,
        }
        if cell.rng.random() < 0.5:
            labels["pod-security.kubernetes.io/enforce"] = "restricted"
        annotations = {"owner": f"{cell.team}@example.com"}
        cell.namespaces.append(
            {"apiVersion": "v1", "kind": "Namespace",
             "metadata": _meta(name, None, labels, annotations)}
        )


def _fake_pem(rng: Random, label: str, size: int) -> str:
    body = base64.b64encode(rng.randbytes(size)).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def _tls_secret(cell: Cell, name: str, hostname: str, algo: str) -> dict:
    rng = cell.rng
    key_label = "EC PRIVATE KEY" if algo == "ecdsa" else "RSA PRIVATE KEY"
    crt = _fake_pem(rng, "CERTIFICATE", 480 if algo == "ecdsa" else 900)
    key = _fake_pem(rng, key_label, 120 if algo == "ecdsa" else 600)
    meta = _meta(
        name,
        cell.gateway_ns,
        {"app.kubernetes.io/managed-by": "cert-manager", "team": cell.team},
        {
            "cert-manager.io/certificate-name": name,
            "cert-manager.io/common-name": hostname,
            "cert-manager.io/issuer-name": "letsencrypt-prod",
        },
    )
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": meta,
        "type": "kubernetes.io/tls",
        "data": {
            "tls.crt": base64.b64encode(crt.encode()).decode(),
            "tls.key": base64.b64encode(key.encode()).decode(),
        },
    }


def _https_listener(cell: Cell, name: str, hostname: str, slug: str, allowed: dict) -> dict:
    """An HTTPS listener with an ECDSA + RSA certificate pair (two Secrets)."""
    refs = []
    for algo in ("ecdsa", "rsa"):
        secret = f"{slug}-{algo}"
        cell.secrets.append(_tls_secret(cell, secret, hostname, algo))
        ref: dict[str, Any] = {"name": secret}
        if cell.rng.random() < 0.5:
            ref = {"group": "", "kind": "Secret", "name": secret}
        refs.append(ref)
    return {
        "name": name,
        "protocol": "HTTPS",
        "port": 443,
        "hostname": hostname,
        "tls": {"mode": "Terminate", "certificateRefs": refs},
        "allowedRoutes": allowed,
    }


def _gateway(cell: Cell, name: str, listeners: list[dict], annotations: dict | None = None) -> dict:
    cell.listeners[name] = {ls["name"]: ls for ls in listeners}
    spec: dict[str, Any] = {"gatewayClassName": gatewayclass_name(cell.cluster),
                            "listeners": listeners}
    return {
        "apiVersion": GW_V1,
        "kind": "Gateway",
        "metadata": _meta(name, cell.gateway_ns, {"team": cell.team, "gateway": name}, annotations),
        "spec": spec,
    }


def _allowed_routes(cell: Cell) -> dict[str, dict]:
    """The allowedRoutes policies of a team's listeners: Same, All and label Selectors.

    Every Selector also requires `kubernetes.io/metadata.name` (which nobody can forge) to be one
    of the team's namespaces, and `All` is only used on listeners with an exact hostname, so the
    valid corpus does not trip gwlint's security rules (GW401, GW402).
    """
    t = cell.team
    names = {
        "key": "kubernetes.io/metadata.name",
        "operator": "In",
        "values": [cell.ns(s) for s in APP_NAMESPACES],
    }
    team_selector = {"matchLabels": {"team": t}, "matchExpressions": [names]}
    by_team = {"namespaces": {"from": "Selector", "selector": team_selector}}
    backend = [names, {"key": "tier", "operator": "In", "values": ["backend", "platform"]}]
    public = by_team
    if cell.rng.random() < 0.5:
        public = {**by_team, "kinds": [{"kind": "HTTPRoute"}]}
    return {
        "same": {"namespaces": {"from": "Same"}},
        "team": by_team,
        "public": public,
        "names": {"namespaces": {"from": "Selector", "selector": {"matchExpressions": [names]}}},
        "grpc": {
            "namespaces": {"from": "Selector", "selector": {"matchExpressions": backend}},
            "kinds": [{"group": GW_GROUP, "kind": "GRPCRoute"}],
        },
        "tls": {"namespaces": {"from": "All"}, "kinds": [{"kind": "TLSRoute"}]},
    }


def _plain_listener(name: str, protocol: str, port: int, hostname: str, allowed: dict) -> dict:
    listener = {"name": name, "protocol": protocol, "port": port, "hostname": hostname}
    if protocol == "TLS":
        listener["tls"] = {"mode": "Passthrough"}
    listener["allowedRoutes"] = allowed
    return listener


def build_gateways(cell: Cell) -> None:
    """Three shared Gateways per team: public, internal (with gRPC) and edge (with TLS
    passthrough)."""
    t = cell.team
    allowed = _allowed_routes(cell)
    public = [
        _plain_listener("http", "HTTP", 80, f"*.{t}.example.com", allowed["same"]),
        _https_listener(cell, "https", f"*.{t}.example.com", f"wildcard-{t}-example-com",
                        allowed["public"]),
        _https_listener(
            cell, "https-legacy", f"*.{t}.example.net", f"wildcard-{t}-example-net", allowed["team"]
        ),
    ]
    internal = [
        _plain_listener("http", "HTTP", 80, f"*.{t}.internal.example.com", allowed["names"]),
        _https_listener(cell, "grpc", f"*.{t}.grpc.example.com", f"wildcard-{t}-grpc",
                        allowed["grpc"]),
    ]
    # TLS passthrough: one listener per backend SNI name, open to all namespaces.
    tls_apps = [a for a in cell.apps if a.proto == "tls"]
    edge = [
        _https_listener(cell, "https", f"*.{t}.shop.example.com", f"wildcard-{t}-shop",
                        allowed["team"]),
        *(
            _plain_listener(f"tls-{a.name}", "TLS", 8443, f"{a.name}.{t}.tls.example.com",
                            allowed["tls"])
            for a in tls_apps
        ),
    ]
    issuer = {"cert-manager.io/cluster-issuer": "letsencrypt-prod"}
    lb = {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"}
    cell.gateways += [
        _gateway(cell, f"{t}-public", public, issuer),
        _gateway(cell, f"{t}-internal", internal),
        _gateway(cell, f"{t}-edge", edge, {**issuer, **lb}),
    ]


def gatewayclass_name(cluster: str) -> str:
    return f"envoy-{cluster}"


def gatewayclass(cluster: str) -> dict:
    return {
        "apiVersion": GW_V1,
        "kind": "GatewayClass",
        "metadata": _meta(gatewayclass_name(cluster), None, {"cluster": cluster}),
        "spec": {
            "controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
            "description": f"Envoy Gateway for {cluster}",
        },
    }


# ------------------------------- services --------------------------------


def _service(cell: Cell, app: App, name: str, proto: str, port: int, track: str | None) -> dict:
    ns = cell.ns(app.ns_short)
    selector = {"app.kubernetes.io/name": app.name}
    if track:
        selector["track"] = track
    if proto == "http":
        ports = [
            {"name": "http", "port": port, "targetPort": "http", "protocol": "TCP"},
            {"name": "metrics", "port": 9102, "targetPort": "metrics", "protocol": "TCP"},
        ]
    elif proto == "grpc":
        ports = [
            {
                "name": "grpc",
                "port": port,
                "targetPort": "grpc",
                "protocol": "TCP",
                "appProtocol": "kubernetes.io/h2c",
            }
        ]
    else:
        ports = [{"name": "tls", "port": port, "targetPort": 8443, "protocol": "TCP"}]
    cell.services[(ns, name)] = Service(ns, name, proto, port, tuple(p["port"] for p in ports))
    labels = _app_labels(cell, app.name, "canary" if track == "canary" else None)
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(name, ns, labels),
        "spec": {"type": "ClusterIP", "selector": selector, "ports": ports},
    }


def build_apps(cell: Cell) -> None:
    """Create the 26 apps of a team and their 30 Services."""
    rng = cell.rng
    total = sum(sum(v.values()) for v in NS_LAYOUT.values())
    words = iter(rng.sample(APP_WORDS, total))
    for short in APP_NAMESPACES:
        layout = NS_LAYOUT[short]
        kinds = (
            ["http"] * layout["http"]
            + ["canary"] * layout["canary"]
            + ["grpc"] * layout["grpc"]
            + ["tls"] * layout["tls"]
        )
        for kind in kinds:
            name = next(words)
            proto = "http" if kind == "canary" else kind
            app = App(short, name, proto, canary=kind == "canary")
            if proto == "http":
                port = rng.choice((80, 8080))
                app.services.append(_service(cell, app, name, proto, port,
                                             "stable" if app.canary else None))
                if app.canary:
                    app.services.append(_service(cell, app, f"{name}-canary", proto, port,
                                                 "canary"))
            elif proto == "grpc":
                app.services.append(
                    _service(cell, app, f"{name}-grpc", proto, rng.choice((9090, 50051)), None)
                )
            else:
                app.services.append(_service(cell, app, f"{name}-tls", proto,
                                             rng.choice((443, 8443)), None))
            cell.apps.append(app)


# ------------------------------- HTTPRoutes -------------------------------


def _parent(cell: Cell, gateway: str, section: str, explicit: bool) -> dict:
    ref: dict[str, Any] = {"name": gateway, "namespace": cell.gateway_ns, "sectionName": section}
    if explicit:
        ref = {"group": GW_GROUP, "kind": "Gateway", **ref}
    return ref


def _backend(svc: Service, weight: int | None = None, namespace: str | None = None) -> dict:
    ref: dict[str, Any] = {"name": svc.name}
    if namespace:
        ref["namespace"] = namespace
    ref["port"] = svc.port
    if weight is not None:
        ref["weight"] = weight
    return ref


def _copy_refs(refs: list[dict]) -> list[dict]:
    """Backend refs are flat dicts; a shallow copy per ref is enough (and much cheaper than
    deepcopy)."""
    return [dict(ref) for ref in refs]


def _main_backends(cell: Cell, app: App) -> list[dict]:
    ns = cell.ns(app.ns_short)
    stable = cell.services[(ns, app.services[0]["metadata"]["name"])]
    if not app.canary:
        return [_backend(stable)]
    canary = cell.services[(ns, app.services[1]["metadata"]["name"])]
    return [_backend(stable, 90), _backend(canary, 10)]


class _Paths:
    """Hands out path values that are unique within one route (no duplicate matches)."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def take(self, prefix: str = "") -> str:
        for _ in range(50):
            noun = self.rng.choice(PATH_NOUNS)
            version = self.rng.choice(("", "/v1", "/v2"))
            path = f"{prefix}{version}/{noun}"
            if path not in self.used:
                self.used.add(path)
                return path
        raise RuntimeError("path pool exhausted")  # never happens with <= 8 rules

    def claim(self, path: str) -> bool:
        if path in self.used:
            return False
        self.used.add(path)
        return True


def _header_modifier(cell: Cell, app: App, kind: str) -> dict:
    rng = cell.rng
    if kind == "RequestHeaderModifier":
        body: dict[str, Any] = {"set": [{"name": "x-team", "value": cell.team}]}
        if rng.random() < 0.6:
            body["add"] = [{"name": "x-forwarded-app", "value": app.name}]
        if rng.random() < 0.4:
            body["remove"] = ["x-debug"]
        return {"type": kind, "requestHeaderModifier": body}
    body = {"set": [{"name": "strict-transport-security",
                     "value": "max-age=31536000; includeSubDomains"}]}
    if rng.random() < 0.5:
        body["add"] = [{"name": "cache-control", "value": "no-store"}]
    return {"type": kind, "responseHeaderModifier": body}


def _api_rule(cell: Cell, app: App, paths: _Paths, backends: list[dict]) -> dict:
    rng = cell.rng
    matches = []
    for _ in range(rng.randint(1, 2)):
        match: dict[str, Any] = {
            "path": {"type": rng.choice(("PathPrefix", "PathPrefix", "Exact")),
                     "value": paths.take("/api")}
        }
        if rng.random() < 0.3:
            match["method"] = rng.choice(("GET", "POST", "PUT"))
        if rng.random() < 0.25:
            match["headers"] = [
                {
                    "type": "Exact",
                    "name": "x-api-version",
                    "value": rng.choice(("2023-10", "2024-06", "2025-01")),
                }
            ]
        if rng.random() < 0.15:
            match["queryParams"] = [{"type": "Exact", "name": "format",
                                     "value": rng.choice(("json", "csv"))}]
        matches.append(match)
    rule: dict[str, Any] = {"matches": matches}
    if rng.random() < 0.6:
        rule["filters"] = [_header_modifier(cell, app, "RequestHeaderModifier")]
    rule["backendRefs"] = _copy_refs(backends)
    if rng.random() < 0.3:
        rule["timeouts"] = {"request": "30s", "backendRequest": rng.choice(("10s", "15s", "25s"))}
    return rule


def _rewrite_rule(cell: Cell, app: App, paths: _Paths, backends: list[dict]) -> dict:
    """URLRewrite with ReplacePrefixMatch: CEL demands exactly one PathPrefix match."""
    legacy = paths.take("/legacy")
    return {
        "matches": [{"path": {"type": "PathPrefix", "value": legacy}}],
        "filters": [
            {
                "type": "URLRewrite",
                "urlRewrite": {
                    "path": {"type": "ReplacePrefixMatch",
                             "replacePrefixMatch": legacy[len("/legacy") :]}
                },
            }
        ],
        "backendRefs": _copy_refs(backends),
    }


def _redirect_rule(cell: Cell, paths: _Paths) -> dict:
    """A moved page: RequestRedirect and therefore no backendRefs."""
    old = paths.take("/old")
    return {
        "matches": [{"path": {"type": "Exact", "value": old}}],
        "filters": [
            {
                "type": "RequestRedirect",
                "requestRedirect": {
                    "path": {"type": "ReplaceFullPath", "replaceFullPath": old[len("/old") :]},
                    "statusCode": cell.rng.choice((301, 302, 308)),
                },
            }
        ],
    }


def _header_canary_rule(cell: Cell, app: App) -> dict:
    """Testers opt into the canary with a header; path "/" plus a header is a distinct match."""
    canary = cell.services[(cell.ns(app.ns_short), f"{app.name}-canary")]
    return {
        "matches": [
            {
                "path": {"type": "PathPrefix", "value": "/"},
                "headers": [{"name": "x-canary", "value": "always"}],
            }
        ],
        "backendRefs": [_backend(canary)],
    }


def _catch_all_rule(cell: Cell, app: App, paths: _Paths, backends: list[dict]) -> dict:
    rng = cell.rng
    path = "/" if paths.claim("/") else paths.take()
    rule: dict[str, Any] = {"matches": [{"path": {"type": "PathPrefix", "value": path}}]}
    if rng.random() < 0.5:
        rule["filters"] = [_header_modifier(cell, app, "ResponseHeaderModifier")]
    rule["backendRefs"] = _copy_refs(backends)
    return rule


def _http_rules(cell: Cell, app: App, paths: _Paths, many: bool) -> list[dict]:
    rng = cell.rng
    backends = _main_backends(cell, app)
    stable = backends[:1]
    if app.canary:
        stable = [{k: v for k, v in stable[0].items() if k != "weight"}]
    rules = [_api_rule(cell, app, paths, backends)]
    if many and rng.random() < 0.3:
        rules.append(_api_rule(cell, app, paths, stable))
    if rng.random() < (0.5 if many else 0.3):
        rules.append(_rewrite_rule(cell, app, paths, stable))
    if rng.random() < (0.4 if many else 0.2):
        rules.append(_redirect_rule(cell, paths))
    if app.canary and many:
        rules.append(_header_canary_rule(cell, app))
    if rng.random() < 0.3:
        rules[0]["name"] = "api"
    rules.append(_catch_all_rule(cell, app, paths, backends))
    return rules


# Listener key -> (gateway suffix, section name, domain template)
LISTENERS = {
    "public": ("public", "https", "{app}.{team}.example.com"),
    "legacy": ("public", "https-legacy", "{app}.{team}.example.net"),
    "internal": ("internal", "http", "{app}.{team}.internal.example.com"),
    "shop": ("edge", "https", "{app}.{team}.shop.example.com"),
}
PRIMARY_LISTENER = {"web": "public", "api": "public", "data": "internal", "platform": "shop"}


def _route_meta(cell: Cell, app: App, name: str) -> dict:
    annotations = None
    if cell.rng.random() < 0.5:
        annotations = {"argocd.argoproj.io/sync-wave": "5", "owner": f"{cell.team}@example.com"}
    return _meta(name, cell.ns(app.ns_short), _app_labels(cell, app.name, "edge"), annotations)


def _http_route(cell: Cell, app: App, listener: str, primary: bool) -> Route:
    gw_suffix, section, domain = LISTENERS[listener]
    name = app.name if primary else f"{app.name}-{listener}"
    host = domain.format(app=app.name, team=cell.team)
    hostnames = [host]
    if primary and cell.rng.random() < 0.3:
        hostnames.append(f"www-{host}")
    spec = {
        "parentRefs": [_parent(cell, f"{cell.team}-{gw_suffix}", section, cell.rng.random() < 0.3)],
        "hostnames": hostnames,
        "rules": _http_rules(cell, app, _Paths(cell.rng), many=primary),
    }
    obj = {"apiVersion": GW_V1, "kind": "HTTPRoute", "metadata": _route_meta(cell, app, name),
           "spec": spec}
    return Route(obj)


def build_http_routes(cell: Cell) -> None:
    """One primary HTTPRoute per HTTP app, ten secondary ones and the http->https redirect."""
    http_apps = [a for a in cell.apps if a.proto == "http"]
    for app in http_apps:
        app.routes.append(_http_route(cell, app, PRIMARY_LISTENER[app.ns_short], primary=True))
    for app in cell.rng.sample(http_apps, SECONDARY_ROUTES):
        options = [k for k in LISTENERS if k != PRIMARY_LISTENER[app.ns_short]]
        app.routes.append(_http_route(cell, app, cell.rng.choice(options), primary=False))
    redirect = {
        "apiVersion": GW_V1,
        "kind": "HTTPRoute",
        "metadata": _meta("http-to-https", cell.gateway_ns, {"team": cell.team}),
        "spec": {
            "parentRefs": [_parent(cell, f"{cell.team}-public", "http", False)],
            "hostnames": [f"*.{cell.team}.example.com"],
            "rules": [
                {
                    "filters": [
                        {"type": "RequestRedirect",
                         "requestRedirect": {"scheme": "https", "statusCode": 301}}
                    ]
                }
            ],
        },
    }
    cell.redirect_route = Route(redirect)


# --------------------------- gRPC and TLS routes ---------------------------


def _grpc_service_name(cell: Cell, app_name: str) -> str:
    """A fully qualified protobuf service name (CEL: letters, digits, '_' and dots only)."""
    pkg = cell.team.replace("-", "_")
    return f"com.example.{pkg}.v1.{app_name.capitalize()}Service"


def _grpc_route(cell: Cell, app: App) -> Route:
    rng = cell.rng
    svc = cell.services[(cell.ns(app.ns_short), f"{app.name}-grpc")]
    service = _grpc_service_name(cell, app.name)
    methods = rng.sample(("Get", "List", "Create", "Update", "Delete", "Watch"), 3)
    read = {
        "matches": [
            {"method": {"service": service,
                        "method": f"{m}{app.name.capitalize()}"}} for m in methods[:2]
        ]
    }
    if rng.random() < 0.5:
        read["matches"][0]["headers"] = [{"name": "x-tenant", "value": cell.team}]
    read["filters"] = [_header_modifier(cell, app, "RequestHeaderModifier")]
    read["backendRefs"] = [_backend(svc)]
    write = {
        "matches": [
            {
                "method": {
                    "type": "Exact",
                    "service": service,
                    "method": f"{methods[2]}{app.name.capitalize()}",
                }
            }
        ],
        "backendRefs": [_backend(svc)],
    }
    health = {"matches": [{"method": {"service": "grpc.health.v1.Health"}}],
              "backendRefs": [_backend(svc)]}
    spec = {
        "parentRefs": [_parent(cell, f"{cell.team}-internal", "grpc", rng.random() < 0.3)],
        "hostnames": [f"{app.name}.{cell.team}.grpc.example.com"],
        "rules": [read, write, health],
    }
    obj = {
        "apiVersion": GW_V1,
        "kind": "GRPCRoute",
        "metadata": _route_meta(cell, app, app.name),
        "spec": spec,
    }
    return Route(obj)


def _tls_route(cell: Cell, app: App) -> Route:
    svc = cell.services[(cell.ns(app.ns_short), f"{app.name}-tls")]
    spec = {
        "parentRefs": [_parent(cell, f"{cell.team}-edge", f"tls-{app.name}",
                               cell.rng.random() < 0.3)],
        "hostnames": [f"{app.name}.{cell.team}.tls.example.com"],
        "rules": [{"backendRefs": [_backend(svc)]}],
    }
    obj = {
        "apiVersion": GW_V1,
        "kind": "TLSRoute",
        "metadata": _route_meta(cell, app, app.name),
        "spec": spec,
    }
    return Route(obj)


def build_other_routes(cell: Cell) -> None:
    for app in cell.apps:
        if app.proto == "grpc":
            app.routes.append(_grpc_route(cell, app))
        elif app.proto == "tls":
            app.routes.append(_tls_route(cell, app))


# --------------------------- ReferenceGrants ------------------------------


def _grant(cell: Cell, kind: str, from_ns: str, svc: Service) -> dict:
    short_from = from_ns[len(cell.team) + 1 :]
    name = f"allow-{short_from}-{kind.lower()}s-to-{svc.name}"
    cell.granted.add((kind, from_ns, svc.namespace, svc.name))
    return {
        "apiVersion": RG_API,
        "kind": "ReferenceGrant",
        "metadata": _meta(name, svc.namespace, {"team": cell.team}),
        "spec": {
            "from": [{"group": GW_GROUP, "kind": kind, "namespace": from_ns}],
            "to": [{"group": "", "kind": "Service", "name": svc.name}],
        },
    }


def _add_cross_rule(cell: Cell, route: Route, svc: Service) -> None:
    """Route a new path (or gRPC service) of `route` to `svc` in another namespace."""
    backend = _backend(svc, namespace=svc.namespace)
    rules = route.obj["spec"]["rules"]
    if route.kind == "GRPCRoute":
        service = _grpc_service_name(cell, svc.name.removesuffix("-grpc"))
        rules.insert(0, {"matches": [{"method": {"service": service}}], "backendRefs": [backend]})
        return
    used = {m["path"]["value"] for r in rules for m in r.get("matches", []) if "path" in m}
    path = f"/{svc.name}"
    while path in used:
        path += "-shared"
    rules.insert(
        len(rules) - 1,
        {"matches": [{"path": {"type": "PathPrefix", "value": path}}], "backendRefs": [backend]},
    )


def build_grants(cell: Cell) -> None:
    """Cross-namespace backendRefs, each covered by a ReferenceGrant in the target namespace."""
    rng = cell.rng
    http_targets = [s for s in cell.services.values() if s.proto == "http"
                    and not s.name.endswith("-canary")]
    routes_by_ns: dict[str, list[Route]] = {}
    for app in cell.apps:
        for route in app.routes:
            routes_by_ns.setdefault(route.namespace, []).append(route)
    pairs = [(ns, svc) for ns in sorted(routes_by_ns) for svc in http_targets
             if svc.namespace != ns]
    for from_ns, svc in rng.sample(pairs, HTTP_GRANTS):
        candidates = [r for r in routes_by_ns[from_ns] if r.kind == "HTTPRoute"]
        fewest = min(len(r.obj["spec"]["rules"]) for r in candidates)
        _add_cross_rule(
            cell, rng.choice([r for r in candidates if len(r.obj["spec"]["rules"]) == fewest]), svc
        )
        cell.grants.append(_grant(cell, "HTTPRoute", from_ns, svc))
    grpc_routes = [r for a in cell.apps for r in a.routes if r.kind == "GRPCRoute"]
    grpc_svcs = [s for s in cell.services.values() if s.proto == "grpc"]
    for _ in range(GRPC_GRANTS):
        route = rng.choice(grpc_routes)
        svc = rng.choice([s for s in grpc_svcs if s.namespace != route.namespace])
        _add_cross_rule(cell, route, svc)
        cell.grants.append(_grant(cell, "GRPCRoute", route.namespace, svc))


# --------------------------- ConfigMaps and noise --------------------------


def _configmap(cell: Cell, app: App) -> dict:
    rng = cell.rng
    settings = (
        "\n".join(
            [
                "server:",
                "  port: 8080",
                f"  shutdownGracePeriod: {rng.choice((10, 20, 30))}s",
                "logging:",
                f"  level: {rng.choice(('info', 'debug', 'warn'))}",
                "  format: json",
                "upstreams:",
                f"  auth: http://auth.{cell.team}-platform.svc.cluster.local",
                f"  timeoutMs: {rng.choice((250, 500, 1000))}",
            ]
        )
        + "\n"
    )
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _meta(f"{app.name}-config", cell.ns(app.ns_short), _app_labels(cell, app.name)),
        "data": {
            "application.yaml": settings,
            "FEATURE_FLAGS": rng.choice(("new-checkout,dark-mode", "beta-search", "none")),
            "REGION": cell.cluster.split("-", 1)[1],
        },
    }


def _helm_values(cell: Cell, app: App) -> dict:
    rng = cell.rng
    return {
        "replicaCount": rng.choice((2, 3, 4)),
        "image": {
            "repository": f"registry.example.com/{cell.team}/{app.name}",
            "tag": f"1.{rng.randint(0, 40)}.{rng.randint(0, 9)}",
        },
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                      "limits": {"memory": "512Mi"}},
        "autoscaling": {"enabled": True, "minReplicas": 2, "maxReplicas": rng.choice((6, 10, 20))},
        "podAnnotations": {"prometheus.io/scrape": "true"},
    }


def _ci_pipeline(cell: Cell) -> dict:
    return {
        "stages": ["lint", "diff", "deploy"],
        "variables": {"CLUSTER": cell.cluster, "TEAM": cell.team},
        "gwlint": {
            "stage": "lint",
            "image": "python:3.12-slim",
            "script": ["pip install gwlint", f"gwlint clusters/{cell.cluster}/apps/{cell.team}"],
        },
        "flux-diff": {
            "stage": "diff",
            "script": [
                f"flux diff kustomization {cell.team} "
                f"--path clusters/{cell.cluster}/apps/{cell.team}"
            ],
        },
        "deploy": {"stage": "deploy", "when": "manual",
                   "script": ["flux reconcile source git flux-system"]},
    }


def build_noise(cell: Cell) -> None:
    """ConfigMaps for 7 HTTP apps, Helm values for one app and the team's CI pipeline."""
    http_apps = [a for a in cell.apps if a.proto == "http"]
    for app in cell.rng.sample(http_apps, CONFIGMAPS):
        app.configmaps.append(_configmap(cell, app))
    app = cell.rng.choice(cell.apps)
    app.values = _helm_values(cell, app)
    cell.ci = _ci_pipeline(cell)


# ------------------------------- Ingresses ---------------------------------


def ingressclass() -> dict:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": _meta("nginx", None, {"app.kubernetes.io/name": "ingress-nginx"}),
        "spec": {"controller": "k8s.io/ingress-nginx"},
    }


def _ingress_paths(route: dict) -> list[dict]:
    """The route's path matches an Ingress can express: no method, header or query conditions,
    a backend of the route's own namespace, no rewrite or redirect (those need annotations; a
    header added by the route is more than the Ingress did, not less)."""
    out = []
    for rule in route["spec"]["rules"]:
        refs = rule.get("backendRefs", [])
        types = {f["type"] for f in rule.get("filters", [])}
        if types & {"URLRewrite", "RequestRedirect"} or len(refs) != 1 or "namespace" in refs[0]:
            continue
        for match in rule.get("matches", [{"path": {"type": "PathPrefix", "value": "/"}}]):
            if set(match) != {"path"}:
                continue
            ptype = "Exact" if match["path"]["type"] == "Exact" else "Prefix"
            service = {"name": refs[0]["name"], "port": {"number": refs[0]["port"]}}
            out.append({"path": match["path"]["value"], "pathType": ptype,
                        "backend": {"service": service}})
    return out


def build_ingresses(cell: Cell, rng: Random) -> None:
    """One plain HTTP app of the team's `data` namespace keeps the Ingress its HTTPRoute replaces
    (about 4% of the apps), mirroring the route (a faithful migration)."""
    apps = [a for a in cell.apps if a.ns_short == INGRESS_NS and a.proto == "http" and not a.canary]
    for app in rng.sample(apps, len(apps)):  # the first whose route an Ingress can express
        route = app.routes[0]
        paths = _ingress_paths(route.obj)
        if not paths:
            continue
        route.protected = True  # its only problem is the Ingress's gap, if any
        host = route.obj["spec"]["hostnames"][0]
        app.ingress = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": _meta(app.name, cell.ns(app.ns_short), _app_labels(cell, app.name, "edge"),
                              {"argocd.argoproj.io/sync-wave": "5"}),
            "spec": {"ingressClassName": "nginx",
                     "rules": [{"host": host, "http": {"paths": paths}}]},
        }
        return


def break_ingresses(cell: Cell, counter: list[int]) -> None:
    """Every second Ingress of the corpus gets one migration gap (rotating through INGRESS_GAPS)."""
    for app in cell.apps:
        if app.ingress is None:
            continue
        counter[0] += 1
        if counter[0] % 2:
            continue
        gap = list(INGRESS_GAPS)[(counter[0] // 2) % len(INGRESS_GAPS)]
        spec = app.ingress["spec"]
        rule = spec["rules"][0]
        if gap == "ingress-host-not-served":  # a second name nobody converted
            spec["rules"].append({"host": f"legacy-{rule['host']}", "http": {"paths": [
                copy.deepcopy(p) for p in rule["http"]["paths"] if p["path"] == "/"]}})
        elif gap == "ingress-path-to-other-port":  # the metrics port, through the '/' rule
            service = rule["http"]["paths"][0]["backend"]["service"]["name"]
            rule["http"]["paths"].append({"path": "/metrics", "pathType": "Prefix", "backend": {
                "service": {"name": service, "port": {"name": "metrics"}}}})
        else:
            app.ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/limit-rps"] = "50"
        app.ingress_gap = gap


def build_cell(seed: int, index: int) -> Cell:
    """Build all objects of one team; names are unique across the whole repository."""
    cycle, slot = divmod(index, len(TEAMS))
    team = TEAMS[slot] if cycle == 0 else f"{TEAMS[slot]}-{cycle + 1}"
    cycle, slot = divmod(index // CELLS_PER_CLUSTER, len(CLUSTERS))
    cluster = CLUSTERS[slot] if cycle == 0 else f"{CLUSTERS[slot]}-{cycle + 1}"
    cell = Cell(cluster=cluster, env=cluster.split("-")[0], team=team,
                rng=Random(f"{seed}:{index}"))
    build_namespaces(cell)
    build_apps(cell)
    build_gateways(cell)
    build_http_routes(cell)
    build_other_routes(cell)
    build_grants(cell)
    build_ingresses(cell, Random(f"{seed}:{index}:ingress"))
    build_noise(cell)
    cell.routes = [r for a in cell.apps for r in a.routes]
    return cell


# --------------------------------------------------------------------------
# Mistakes: each function mutates one route and returns True, or returns False
# (without touching anything) when the mistake does not fit that route.
# --------------------------------------------------------------------------


def _rules_with_backends(route: Route) -> list[dict]:
    return [r for r in route.obj["spec"]["rules"] if r.get("backendRefs")]


def _target_ns(route: Route, ref: dict) -> str:
    return ref.get("namespace", route.namespace)


def _rename_key(obj: dict, old: str, new: str) -> None:
    """Rename a key in place, keeping its position (so the typo sits where the field was)."""
    items = [(new if k == old else k, v) for k, v in obj.items()]
    obj.clear()
    obj.update(items)


def m_parentref_missing_namespace(cell: Cell, route: Route) -> bool:
    ref = route.obj["spec"]["parentRefs"][0]
    if ref.get("namespace") in (None, route.namespace):
        return False
    del ref["namespace"]
    return True


def m_backendref_missing_service(cell: Cell, route: Route) -> bool:
    rules = _rules_with_backends(route)
    if not rules:
        return False
    ref = rules[0]["backendRefs"][0]
    name = ref["name"] + cell.rng.choice(("-svc", "-service", "-v2"))
    if (_target_ns(route, ref), name) in cell.services:
        return False
    ref["name"] = name
    return True


def m_cross_namespace_without_grant(cell: Cell, route: Route) -> bool:
    rules = _rules_with_backends(route)
    if not rules:
        return False
    ref = rules[0]["backendRefs"][0]
    proto = cell.services[(_target_ns(route, ref), ref["name"])].proto
    targets = [
        s
        for s in cell.services.values()
        if s.proto == proto
        and s.namespace not in (route.namespace, _target_ns(route, ref))
        and (route.kind, route.namespace, s.namespace, s.name) not in cell.granted
    ]
    if not targets:
        return False
    svc = cell.rng.choice(targets)
    weight = ref.get("weight")
    ref.clear()
    ref.update(_backend(svc, weight, namespace=svc.namespace))
    return True


def m_wrong_service_port(cell: Cell, route: Route) -> bool:
    rules = _rules_with_backends(route)
    if not rules:
        return False
    ref = rules[0]["backendRefs"][0]
    svc = cell.services[(_target_ns(route, ref), ref["name"])]
    wrong = next(p for p in (80, 8080, 443, 50051, 9090) if p not in svc.ports)
    ref["port"] = wrong
    return True


def m_unknown_field_typo(cell: Cell, route: Route) -> bool:
    rules = _rules_with_backends(route)
    if rules and cell.rng.random() < 0.5:
        _rename_key(rules[0], "backendRefs", "backendRef")
    else:
        _rename_key(route.obj["spec"], "hostnames", "hostname")
    return True


def m_redirect_with_backends(cell: Cell, route: Route) -> bool:
    if route.kind != "HTTPRoute":
        return False
    rules = _rules_with_backends(route)
    if not rules:
        return False
    # Prefer a rule without URLRewrite: redirect + rewrite would be a second CEL error.
    plain = [r for r in rules if not any(f["type"] == "URLRewrite" for f in r.get("filters", []))]
    rule = plain[0] if plain else rules[0]
    filters = [f for f in rule.get("filters", []) if f["type"] != "URLRewrite"]
    filters.append({"type": "RequestRedirect",
                    "requestRedirect": {"scheme": "https", "statusCode": 301}})
    rebuilt: dict[str, Any] = {}
    if "matches" in rule:
        rebuilt["matches"] = rule["matches"]
    rebuilt["filters"] = filters
    rebuilt.update((k, v) for k, v in rule.items() if k not in ("matches", "filters"))
    rule.clear()
    rule.update(rebuilt)
    return True


def m_invalid_hostname(cell: Cell, route: Route) -> bool:
    hostnames = route.obj["spec"].get("hostnames")
    if not hostnames:
        return False
    host = hostnames[0]
    first, rest = host.split(".", 1)
    variants = (
        f"{first.capitalize()}.{rest}",  # upper case
        f"{first}_{cell.team}.{rest}",  # underscore
        f"{host}:443",  # port
        f"{host}.",  # trailing dot
    )
    hostnames[0] = cell.rng.choice(variants)
    return True


def m_duplicate_host_path(cell: Cell, route: Route) -> bool:
    """Copy another route's hostname, parents and first match: two routes now claim host+path."""
    if route.kind != "HTTPRoute":
        return False
    partners = [
        r
        for r in cell.routes
        if r is not route
        and r.kind == "HTTPRoute"
        and r.mistake is None
        and not r.protected
        and r.obj["spec"]["rules"][0].get("matches")
    ]
    own = _rules_with_backends(route)
    if not partners or not own:
        return False
    partner = cell.rng.choice(partners)
    partner.protected = True
    spec = route.obj["spec"]
    spec["parentRefs"] = copy.deepcopy(partner.obj["spec"]["parentRefs"])
    spec["hostnames"] = [partner.obj["spec"]["hostnames"][0]]
    match = copy.deepcopy(partner.obj["spec"]["rules"][0]["matches"][0])
    spec["rules"].insert(0,
                         {"matches": [match], "backendRefs": copy.deepcopy(own[0]["backendRefs"])})
    route.related = f"HTTPRoute {partner.namespace}/{partner.name}"
    return True


def m_weights_unset(cell: Cell, route: Route) -> bool:
    for rule in _rules_with_backends(route):
        refs = rule["backendRefs"]
        if len(refs) >= 2 and "weight" in refs[1]:
            del refs[1]["weight"]
            return True
    return False


def m_unknown_section_name(cell: Cell, route: Route) -> bool:
    ref = route.obj["spec"]["parentRefs"][0]
    known = cell.listeners.get(ref["name"], {})
    section = ref.get("sectionName", "")
    options = [
        s for s in (f"{section}-listener", f"{section}-443", "web", "default",
                    "main") if s not in known
    ]
    ref["sectionName"] = cell.rng.choice(options)
    return True


MISTAKE_FUNCS: dict[str, Callable[[Cell, Route], bool]] = {
    "parentref-missing-namespace": m_parentref_missing_namespace,
    "backendref-missing-service": m_backendref_missing_service,
    "cross-namespace-without-grant": m_cross_namespace_without_grant,
    "wrong-service-port": m_wrong_service_port,
    "unknown-field-typo": m_unknown_field_typo,
    "redirect-with-backends": m_redirect_with_backends,
    "invalid-hostname": m_invalid_hostname,
    "duplicate-host-path": m_duplicate_host_path,
    "weights-90-and-unset": m_weights_unset,
    "unknown-section-name": m_unknown_section_name,
}


def break_routes(cell: Cell, count: int, counter: list[int]) -> None:
    """Give `count` routes of the cell one mistake each, rotating through the mistake types.

    `counter` is shared across cells so the types stay evenly spread over the corpus.
    """
    candidates = list(cell.routes)
    cell.rng.shuffle(candidates)
    for _ in range(count):
        first = counter[0] % len(MISTAKES)
        counter[0] += 1
        for offset in range(len(MISTAKES)):
            mistake = MISTAKES[(first + offset) % len(MISTAKES)]
            if _apply_first(cell, candidates, mistake):
                break


def _apply_first(cell: Cell, candidates: list[Route], mistake: str) -> bool:
    for route in candidates:
        if route.mistake is None and not route.protected and MISTAKE_FUNCS[mistake](cell, route):
            route.mistake = mistake
            return True
    return False


# --------------------------------------------------------------------------
# Layout and writing
# --------------------------------------------------------------------------


class Writer:
    """Writes files, counting documents and kinds for the manifest."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dirs: set[Path] = set()
        self.files = 0
        self.documents = 0
        self.non_k8s = 0
        self.kinds: Counter[str] = Counter()

    def write(self, rel: str, docs: list[dict], header: str = "",
              leading_sep: bool = False) -> None:
        if not docs:
            return
        path = self.root / rel
        if path.parent not in self.dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.dirs.add(path.parent)
        for doc in docs:
            if "kind" in doc:
                self.kinds[doc["kind"]] += 1
            else:
                self.non_k8s += 1
        text = "---\n".join(dump(d) for d in docs)
        if leading_sep:
            text = "---\n" + text
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(header + text)
        self.files += 1
        self.documents += len(docs)


def write_cell(cell: Cell, writer: Writer, first_in_cluster: bool, bundled: float = 0.5) -> None:
    rng = cell.rng
    base = f"clusters/{cell.cluster}"
    team = cell.team
    flux = f"# Managed by Flux. Team: {team}. Do not edit by hand outside a pull request.\n"
    if first_in_cluster:
        writer.write(f"{base}/infra/gatewayclass.yaml", [gatewayclass(cell.cluster)])
        writer.write(f"{base}/infra/ingressclass.yaml", [ingressclass()])
    writer.write(f"{base}/namespaces/{team}.yaml", cell.namespaces, flux)
    gw_dir = f"{base}/infra/gateways/{team}"
    writer.write(f"{gw_dir}/gateways.yaml", cell.gateways, flux, leading_sep=True)
    writer.write(
        f"{gw_dir}/certificates.yaml", cell.secrets,
        "# Synced from cert-manager; the keys are fake.\n"
    )
    assert cell.redirect_route is not None
    cell.redirect_route.file = f"{gw_dir}/http-redirect.yaml"
    writer.write(cell.redirect_route.file, [cell.redirect_route.obj])
    app_root = f"{base}/apps/{team}"
    writer.write(f"{app_root}/ci/pipeline.yml", [cell.ci], "# CI for this team's folder\n")
    for short in APP_NAMESPACES:
        grants = [g for g in cell.grants if g["metadata"]["namespace"] == cell.ns(short)]
        writer.write(f"{app_root}/{short}/reference-grants.yaml", grants, flux)
    for app in cell.apps:
        _write_app(app, f"{app_root}/{app.ns_short}/{app.name}", writer,
                   bundle=rng.random() < bundled)


def _write_app(app: App, folder: str, writer: Writer, bundle: bool) -> None:
    """Either one `<app>.yaml` next to the other apps, or an `<app>/` folder with a file per
    kind."""
    route_file = {"HTTPRoute": "httproute.yaml", "GRPCRoute": "grpcroute.yaml",
                  "TLSRoute": "tlsroute.yaml"}
    if bundle and app.values is None:
        for route in app.routes:
            route.file = f"{folder}.yaml"
        docs = app.configmaps + app.services + [r.obj for r in app.routes]
        if app.ingress is not None:
            docs.append(app.ingress)
            app.ingress_file = f"{folder}.yaml"
        writer.write(f"{folder}.yaml", docs, leading_sep=True)
        return
    writer.write(f"{folder}/configmap.yaml", app.configmaps)
    writer.write(f"{folder}/service.yaml", app.services)
    for route in app.routes:
        route.file = f"{folder}/{route_file[route.kind]}"
    for kind, fname in route_file.items():
        writer.write(f"{folder}/{fname}", [r.obj for r in app.routes if r.kind == kind])
    if app.values is not None:
        writer.write(f"{folder}/values.yaml", [app.values],
                     "# Helm values (not a Kubernetes manifest)\n")
    if app.ingress is not None:
        app.ingress_file = f"{folder}/ingress.yaml"
        writer.write(app.ingress_file, [app.ingress],
                     "# Still served by ingress-nginx until the DNS switch.\n")


def mistakes_for_cell(index: int, fraction: float) -> int:
    """Spread round(fraction * total) mistakes evenly over the cells (error diffusion)."""
    per_cell = fraction * CELL_SIZE
    return round((index + 1) * per_cell) - round(index * per_cell)


def generate(outdir: Path, resources: int, broken_fraction: float = 0.1, seed: int = 1,
             bundled: float = 0.5) -> dict:
    """Write the repository into `outdir` (which must be empty or absent); return the manifest.
    `bundled`: the share of apps written as one multi-document file (the others get a folder
    with a file per kind); the same draws decide, so other values change only the layout."""
    if not 0.0 <= broken_fraction <= 1.0:
        raise ValueError("broken fraction must be between 0 and 1")
    outdir.mkdir(parents=True, exist_ok=True)
    if any(outdir.iterdir()):
        raise FileExistsError(f"{outdir} is not empty")
    cells = max(1, round(resources / CELL_SIZE))
    requested = sum(mistakes_for_cell(i, broken_fraction) for i in range(cells))
    writer = Writer(outdir)
    counter = [0]
    ingress_counter = [0]
    broken: list[dict] = []
    ingresses: list[dict] = []
    for index in range(cells):
        cell = build_cell(seed, index)
        break_routes(cell, mistakes_for_cell(index, broken_fraction), counter)
        if broken_fraction > 0:
            break_ingresses(cell, ingress_counter)
        write_cell(cell, writer, first_in_cluster=index % CELLS_PER_CLUSTER == 0,
                   bundled=bundled)
        broken += [_broken_entry(r) for r in cell.routes if r.mistake]
        ingresses += [_ingress_entry(a) for a in cell.apps if a.ingress is not None]
    manifest = _manifest(writer, broken, resources, broken_fraction, seed)
    if bundled != 0.5:
        manifest["parameters"]["bundled"] = bundled
    manifest["broken_requested"] = requested
    gaps = Counter(i["gap"] for i in ingresses if i["gap"])
    manifest["ingresses"] = {"count": len(ingresses),
                             "faithful": len(ingresses) - sum(gaps.values()),
                             "gaps": {g: gaps.get(g, 0) for g in INGRESS_GAPS},
                             "unfaithful": [i for i in ingresses if i["gap"]]}
    (outdir / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def _ingress_entry(app: App) -> dict:
    assert app.ingress is not None
    meta = app.ingress["metadata"]
    return {"file": app.ingress_file, "namespace": meta["namespace"], "name": meta["name"],
            "gap": app.ingress_gap, "rule": INGRESS_GAPS.get(app.ingress_gap or "")}


def _broken_entry(route: Route) -> dict:
    entry = {
        "file": route.file,
        "kind": route.kind,
        "namespace": route.namespace,
        "name": route.name,
        "mistake": route.mistake,
    }
    if route.related:
        entry["related"] = route.related
    return entry


def _manifest(writer: Writer, broken: list[dict], resources: int, fraction: float,
              seed: int) -> dict:
    mistakes = Counter(b["mistake"] for b in broken)
    return {
        "generator": {"script": "benchmarks/generate.py", "version": GENERATOR_VERSION},
        "parameters": {"resources": resources, "broken_fraction": fraction, "seed": seed},
        "resources": sum(writer.kinds.values()),
        "files": writer.files,
        "documents": writer.documents,
        "non_kubernetes_documents": writer.non_k8s,
        "kinds": dict(sorted(writer.kinds.items())),
        "mistakes": {m: mistakes.get(m, 0) for m in MISTAKES},
        "broken_objects": len(broken),
        "broken": broken,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument(
        "--resources", type=int, required=True, help="approximate number of Kubernetes objects"
    )
    parser.add_argument(
        "--broken-fraction",
        type=float,
        default=0.1,
        help="fraction of objects with one mistake (default 0.1)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bundled", type=float, default=0.5,
                        help="share of apps written as one multi-document file (default 0.5)")
    parser.add_argument(
        "--force", action="store_true",
        help="replace OUTDIR if it holds a previously generated corpus"
    )
    args = parser.parse_args(argv)
    if args.resources < 1:
        parser.error("--resources must be at least 1")
    if args.force and (args.outdir / "manifest.json").is_file():
        shutil.rmtree(args.outdir)
    start = time.perf_counter()
    try:
        manifest = generate(args.outdir, args.resources, args.broken_fraction, args.seed,
                            args.bundled)
    except (FileExistsError, ValueError) as exc:
        print(f"error: {exc} (use --force to replace a generated corpus)", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    print(
        f"wrote {manifest['resources']} resources ({manifest['broken_objects']} broken) "
        f"in {manifest['files']} files to {args.outdir} in {elapsed:.1f}s"
    )
    if manifest["broken_objects"] < manifest["broken_requested"]:
        print(
            f"note: only {manifest['broken_objects']} of {manifest['broken_requested']} requested "
            "mistakes fit: "
            "mistakes go on routes, which are 37% of the objects",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
