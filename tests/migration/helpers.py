"""Helpers for the migration tests: a Context straight from YAML texts or objects (no engine, no
schema stage: the migration model must not depend on CRD defaulting), and a small scenario
builder (an Ingress, its Service, a Gateway and the HTTPRoute that replaces it)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import copy
from typing import Any

import yaml

from gwlint.context import Context, Options
from gwlint.migration import Parity, check_parity
from gwlint.model import Origin, Resource, is_cluster_scoped, split_api_version
from gwlint.source import SourceFile

FIXTURES = Path(__file__).parent / "fixtures"


def resources(*texts: str, path: str = "test.yaml", scope: str = "") -> list[Resource]:
    """Resources of YAML texts (each may hold several documents); namespace defaults to
    'default' as kubectl does."""
    out = []
    for n, text in enumerate(texts):
        text = textwrap.dedent(text)
        source = SourceFile(f"{n}-{path}" if len(texts) > 1 else path, text)
        for i, doc in enumerate(yaml.load_all(text, Loader=yaml.CSafeLoader)):  # as gwlint reads
            if not isinstance(doc, dict) or "kind" not in doc:
                continue
            group, version = split_api_version(str(doc.get("apiVersion", "")))
            kind = doc["kind"]
            meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
            ns = None if is_cluster_scoped(group, kind) else (meta.get("namespace") or "default")
            out.append(Resource(doc.get("apiVersion", ""), group, version, kind, ns,
                                str(meta.get("name", "")), doc, Origin(source, i), scope))
    return out


def context(*texts: str, scope: str = "") -> Context:
    return Context(resources(*texts, scope=scope), Options())


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def problems(parity, code: str | None = None) -> list:
    return [r for r in parity.problems() if code is None or r.code == code]



def docs_context(docs: list[dict], scope: str = "") -> Context:
    """A Context of objects, as if read from one file (dumped and parsed again, so that what the
    tests build is what a YAML file would hold)."""
    return context(yaml.dump_all(docs, Dumper=yaml.CSafeDumper, sort_keys=False), scope=scope)


def objects_context(docs: list[dict]) -> Context:
    """A Context of objects without the YAML round trip (for large generated repositories)."""
    source = SourceFile("generated.yaml", "")
    out = []
    for i, doc in enumerate(docs):
        group, version = split_api_version(doc["apiVersion"])
        meta = doc["metadata"]
        ns = None if is_cluster_scoped(group, doc["kind"]) else meta.get("namespace", "default")
        out.append(Resource(doc["apiVersion"], group, version, doc["kind"], ns, meta["name"],
                            copy.deepcopy(doc), Origin(source, i)))
    return Context(out, Options())


# --- scenarios --------------------------------------------------------------------------------
NS = "app"
HOST = "shop.example.com"
GW = "gateway.networking.k8s.io/v1"


def ingress_class(name: str, controller: str) -> dict:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
            "metadata": {"name": name}, "spec": {"controller": controller}}


NGINX_CLASS = ingress_class("nginx", "k8s.io/ingress-nginx")
KONG_CLASS = ingress_class("kong", "ingress-controllers.konghq.com/kong")


def ingress(name: str = "web", annotations: dict | None = None, paths: list[tuple] | None = None,
            host: str | None = HOST, tls: list[dict] | None = None, cls: str = "nginx",
            namespace: str = NS, default_backend: dict | None = None) -> dict:
    """paths: (path, pathType, service, port) tuples; default one path /api -> api:8080."""
    entries = []
    for path, ptype, svc, port in paths if paths is not None else [("/api", "Prefix", "api",
                                                                    8080)]:
        entry: dict[str, Any] = {"path": path, "backend": {"service": {
            "name": svc, "port": {"number": port} if isinstance(port, int) else {"name": port}}}}
        if ptype is not None:
            entry["pathType"] = ptype
        entries.append(entry)
    rule: dict[str, Any] = {"http": {"paths": entries}}
    if host is not None:
        rule["host"] = host
    spec: dict[str, Any] = {"ingressClassName": cls, "rules": [rule] if entries else []}
    if tls is not None:
        spec["tls"] = tls
    if default_backend is not None:
        spec["defaultBackend"] = default_backend
    meta: dict[str, Any] = {"name": name, "namespace": namespace}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta,
            "spec": spec}


def service(name: str = "api", ports: list[tuple] | None = None, namespace: str = NS) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name,
                                                                 "namespace": namespace},
            "spec": {"ports": [{"name": n, "port": p} for n, p in (ports or [("http", 8080)])]}}


def gateway(name: str = "gw", listeners: list[dict] | None = None, namespace: str = NS) -> dict:
    return {"apiVersion": GW, "kind": "Gateway", "metadata": {"name": name,
                                                              "namespace": namespace},
            "spec": {"gatewayClassName": "example", "listeners": listeners or [http_listener()]}}


def http_listener(name: str = "http", hostname: str | None = None) -> dict:
    ls: dict[str, Any] = {"name": name, "port": 80, "protocol": "HTTP",
                          "allowedRoutes": {"namespaces": {"from": "All"}}}
    if hostname:
        ls["hostname"] = hostname
    return ls


def https_listener(name: str = "https", hostname: str | None = None,
                   secret: str | None = "shop-tls", secret_ns: str | None = None) -> dict:
    ls: dict[str, Any] = {"name": name, "port": 443, "protocol": "HTTPS",
                          "allowedRoutes": {"namespaces": {"from": "All"}}, "tls": {}}
    if hostname:
        ls["hostname"] = hostname
    if secret:
        ref: dict[str, Any] = {"name": secret}
        if secret_ns:
            ref["namespace"] = secret_ns
        ls["tls"]["certificateRefs"] = [ref]
    return ls


def route(name: str = "web", rules: list[dict] | None = None, hostnames: list[str] | None = None,
          parents: list[dict] | None = None, namespace: str = NS, kind: str = "HTTPRoute") -> dict:
    return {"apiVersion": GW, "kind": kind, "metadata": {"name": name, "namespace": namespace},
            "spec": {"parentRefs": parents if parents is not None else [{"name": "gw"}],
                     "hostnames": hostnames if hostnames is not None else [HOST],
                     "rules": rules if rules is not None else [rule()]}}


def rule(path: str | None = "/api", ptype: str = "PathPrefix",
         backends: list[tuple] | None = None, **extra: Any) -> dict:
    """backends: (name, port[, weight]) tuples; default api:8080."""
    out: dict[str, Any] = {}
    if path is not None:
        out["matches"] = [{"path": {"type": ptype, "value": path}}]
    refs = []
    for b in backends if backends is not None else [("api", 8080)]:
        ref: dict[str, Any] = {"name": b[0], "port": b[1]}
        if len(b) > 2:
            ref["weight"] = b[2]
        refs.append(ref)
    if refs:
        out["backendRefs"] = refs
    out.update(extra)
    return out


def base(annotations: dict | None = None, tls: bool = False, cls: str = "nginx",
         **ingress_kw: Any) -> dict[str, Any]:
    """A migrated Ingress: the Ingress, its Service, a Gateway (HTTP; HTTP+HTTPS with `tls`),
    the HTTPRoute serving it. A dict of named documents to mutate, then `docs()`."""
    listeners = [http_listener()] + ([https_listener()] if tls else [])
    return {
        "class": copy.deepcopy(NGINX_CLASS if cls == "nginx" else KONG_CLASS),
        "ingress": ingress(annotations=annotations, cls=cls,
                           tls=[{"hosts": [HOST], "secretName": "shop-tls"}] if tls else None,
                           **ingress_kw),
        "service": service(),
        "gateway": gateway(listeners=listeners),
        "route": route(),
        "extra": [],
    }


def docs(s: dict[str, Any]) -> list[dict]:
    out = [v for k, v in s.items() if k != "extra" and v is not None]
    return out + list(s["extra"])


def run(s: dict[str, Any]) -> Parity:
    """Parity of a scenario."""
    return check_parity(docs_context(docs(s)))
