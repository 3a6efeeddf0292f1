"""Extract the typed references of each resource, with the API's semantic defaults applied.

Defaults come from the Gateway API spec (CRD field descriptions): a parentRef's group defaults to
gateway.networking.k8s.io, its kind to Gateway and its namespace to the route's; a backendRef's
kind to Service (core group), its weight to 1; a certificateRef's kind to Secret. Applying them
here keeps rules independent of whether the schema layer ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gwlint.model import (CORE_GROUP, GATEWAY_GROUP, GATEWAY_X_GROUP, ROUTE_KINDS, FieldPath,
                          ObjKey, Resource, as_dict, as_int, as_list, as_str, is_cluster_scoped)

PARENT = "parentRef"
BACKEND = "backendRef"
MIRROR = "mirrorBackendRef"
CERTIFICATE = "certificateRef"
CA_CERTIFICATE = "caCertificateRef"
CLIENT_CERTIFICATE = "clientCertificateRef"
GATEWAY_CLASS = "gatewayClassName"
LISTENERSET_PARENT = "listenerSetParent"
POLICY_TARGET = "policyTarget"
PARAMETERS = "parametersRef"
PRODUCES = "produces"
# Ingress (networking.k8s.io/v1 and the removed v1beta1 APIs): backends (rules and the default
# backend, Services or `resource:` objects), TLS Secrets, the class, Kong plugins by annotation.
INGRESS_BACKEND = "ingressBackend"
INGRESS_TLS = "ingressTLS"
INGRESS_CLASS = "ingressClass"
KONG_PLUGIN = "kongPlugin"
INGRESS_GROUPS = ("networking.k8s.io", "extensions")
INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
KONG_PLUGINS_ANNOTATION = "konghq.com/plugins"
KONG_GROUP = "configuration.konghq.com"

LISTENERSET_KINDS = ("ListenerSet", "XListenerSet")


@dataclass(slots=True, eq=False)
class Ref:
    """One reference from a field of `source` to the object `target`."""

    type: str
    source: Resource
    path: FieldPath  # path of the reference object (or field) inside source.body
    target: ObjKey
    section_name: str | None = None
    port: int | None = None
    weight: int = 1
    weight_set: bool = False
    rule_index: int | None = None
    listener: str | None = None  # listener name for certificateRefs

    @property
    def cross_namespace(self) -> bool:
        return self.target.namespace is not None and self.target.namespace != self.source.namespace

    def parent_dict(self) -> dict[str, Any]:
        """The `parent` object of the JSON report for findings about this parentRef."""
        t = self.target
        return {"group": t.group, "kind": t.kind, "namespace": t.namespace, "name": t.name,
                "sectionName": self.section_name, "port": self.port}


def _key(res: Resource, ref: dict[str, Any], default_group: str, default_kind: str,
         default_ns: str | None = None, local: bool = False) -> ObjKey | None:
    name = as_str(ref.get("name"))
    if not name:
        return None
    group = as_str(ref.get("group"), default_group)
    kind = as_str(ref.get("kind"), default_kind) or default_kind
    group = group if group is not None else default_group
    if group == "core":  # written in public examples for the core group (""), and accepted
        group = CORE_GROUP
    if is_cluster_scoped(group, kind):
        ns = None
    elif local:
        ns = res.namespace
    else:
        ns = as_str(ref.get("namespace")) or default_ns or res.namespace
    return ObjKey(res.scope, group, kind, ns, name)


def _route_refs(res: Resource) -> Iterator[Ref]:
    spec = res.spec
    for i, ref in enumerate(as_list(spec.get("parentRefs"))):
        ref = as_dict(ref)
        key = _key(res, ref, GATEWAY_GROUP, "Gateway")
        if key:
            yield Ref(PARENT, res, ("spec", "parentRefs", i), key,
                      section_name=as_str(ref.get("sectionName")), port=as_int(ref.get("port")))
    for r, rule in enumerate(as_list(spec.get("rules"))):
        rule = as_dict(rule)
        base = ("spec", "rules", r)
        for b, ref in enumerate(as_list(rule.get("backendRefs"))):
            ref = as_dict(ref)
            key = _key(res, ref, CORE_GROUP, "Service")
            if key:
                weight = as_int(ref.get("weight"))
                yield Ref(BACKEND, res, base + ("backendRefs", b), key,
                          port=as_int(ref.get("port")),
                          weight=1 if weight is None else weight, weight_set=weight is not None,
                          rule_index=r)
            yield from _mirrors(res, as_list(ref.get("filters")), base + ("backendRefs", b), r)
        yield from _mirrors(res, as_list(rule.get("filters")), base, r)


def _mirrors(res: Resource, filters: list[Any], base: FieldPath, rule_index: int) -> Iterator[Ref]:
    for f, flt in enumerate(filters):
        mirror = as_dict(as_dict(flt).get("requestMirror"))
        ref = as_dict(mirror.get("backendRef"))
        key = _key(res, ref, CORE_GROUP, "Service")
        if key:
            yield Ref(MIRROR, res, base + ("filters", f, "requestMirror", "backendRef"), key,
                      port=as_int(ref.get("port")), rule_index=rule_index)


def _listener_refs(res: Resource) -> Iterator[Ref]:
    for i, listener in enumerate(as_list(res.spec.get("listeners"))):
        listener = as_dict(listener)
        tls = as_dict(listener.get("tls"))
        name = as_str(listener.get("name"))
        for c, ref in enumerate(as_list(tls.get("certificateRefs"))):
            key = _key(res, as_dict(ref), CORE_GROUP, "Secret")
            if key:
                yield Ref(CERTIFICATE, res, ("spec", "listeners", i, "tls", "certificateRefs", c),
                          key, listener=name)


def _ca_refs(res: Resource, refs: Any, path: FieldPath, local: bool = False) -> Iterator[Ref]:
    for c, ref in enumerate(as_list(refs)):
        key = _key(res, as_dict(ref), CORE_GROUP, "ConfigMap", local=local)
        if key:
            yield Ref(CA_CERTIFICATE, res, path + (c,), key)


def _gateway_refs(res: Resource) -> Iterator[Ref]:
    spec = res.spec
    cls = as_str(spec.get("gatewayClassName"))
    if cls:
        yield Ref(GATEWAY_CLASS, res, ("spec", "gatewayClassName"),
                  ObjKey(res.scope, GATEWAY_GROUP, "GatewayClass", None, cls))
    yield from _listener_refs(res)
    tls = as_dict(spec.get("tls"))
    frontend = as_dict(tls.get("frontend"))
    default = as_dict(as_dict(frontend.get("default")).get("validation"))
    yield from _ca_refs(res, default.get("caCertificateRefs"),
                        ("spec", "tls", "frontend", "default", "validation", "caCertificateRefs"))
    for p, port in enumerate(as_list(frontend.get("perPort"))):
        validation = as_dict(as_dict(as_dict(port).get("tls")).get("validation"))
        yield from _ca_refs(res, validation.get("caCertificateRefs"),
                            ("spec", "tls", "frontend", "perPort", p, "tls", "validation",
                             "caCertificateRefs"))
    client = as_dict(as_dict(tls.get("backend")).get("clientCertificateRef"))
    key = _key(res, client, CORE_GROUP, "Secret")
    if key:
        yield Ref(CLIENT_CERTIFICATE, res, ("spec", "tls", "backend", "clientCertificateRef"), key)
    yield from _parameters_ref(res, ("spec", "infrastructure", "parametersRef"))


def _parameters_ref(res: Resource, path: FieldPath) -> Iterator[Ref]:
    """A GatewayClass's `spec.parametersRef` (cluster-scoped unless it names a namespace) or a
    Gateway's `spec.infrastructure.parametersRef` (LocalParametersReference: the Gateway's own
    namespace). Group and kind are required fields: no default."""
    key = _key(res, as_dict(res.get(*path)), "", "", local=res.kind == "Gateway")
    if key:
        yield Ref(PARAMETERS, res, path, key)


def _listenerset_refs(res: Resource) -> Iterator[Ref]:
    parent = as_dict(res.spec.get("parentRef"))
    key = _key(res, parent, GATEWAY_GROUP, "Gateway")
    if key:
        yield Ref(LISTENERSET_PARENT, res, ("spec", "parentRef"), key)
    yield from _listener_refs(res)


def _policy_refs(res: Resource) -> Iterator[Ref]:
    spec = res.spec
    for i, ref in enumerate(as_list(spec.get("targetRefs"))):
        ref = as_dict(ref)
        key = _key(res, ref, CORE_GROUP, "Service", local=True)
        if key:
            yield Ref(POLICY_TARGET, res, ("spec", "targetRefs", i), key,
                      section_name=as_str(ref.get("sectionName")))
    validation = as_dict(spec.get("validation"))
    yield from _ca_refs(res, validation.get("caCertificateRefs"),
                        ("spec", "validation", "caCertificateRefs"), local=True)


def _ingress_backend(res: Resource, raw: Any, path: FieldPath) -> Ref | None:
    """v1 `service: {name, port: {number | name}}` or `resource: {apiGroup, kind, name}`; v1beta1
    `serviceName`/`servicePort`. Mistyped backends make no reference (gwlint.migration reports
    them)."""
    backend = as_dict(raw)
    resource = as_dict(backend.get("resource"))
    if resource:
        name, kind = as_str(resource.get("name")), as_str(resource.get("kind"))
        if not name or not kind:
            return None
        group = as_str(resource.get("apiGroup")) or CORE_GROUP
        ns = None if is_cluster_scoped(group, kind) else res.namespace
        return Ref(INGRESS_BACKEND, res, path + ("resource",), ObjKey(res.scope, group, kind, ns,
                                                                      name))
    service = as_dict(backend.get("service"))
    name = as_str(service.get("name")) or as_str(backend.get("serviceName"))
    if not name:
        return None
    port = as_int(as_dict(service.get("port")).get("number")) if service else as_int(
        backend.get("servicePort"))
    return Ref(INGRESS_BACKEND, res, path, ObjKey(res.scope, CORE_GROUP, "Service", res.namespace,
                                                  name), port=port)


def _ingress_refs(res: Resource) -> Iterator[Ref]:
    spec = res.spec
    cls = as_str(spec.get("ingressClassName"))
    annotations = as_dict(res.metadata.get("annotations"))
    cls_path: FieldPath = ("spec", "ingressClassName")
    if not cls:
        cls = as_str(annotations.get(INGRESS_CLASS_ANNOTATION))
        cls_path = ("metadata", "annotations", INGRESS_CLASS_ANNOTATION)
    if cls:
        yield Ref(INGRESS_CLASS, res, cls_path,
                  ObjKey(res.scope, "networking.k8s.io", "IngressClass", None, cls))
    for key in ("defaultBackend", "backend"):
        if key in spec:
            ref = _ingress_backend(res, spec[key], ("spec", key))
            if ref:
                yield ref
    for r, rule in enumerate(as_list(spec.get("rules"))):
        paths = as_list(as_dict(as_dict(rule).get("http")).get("paths"))
        for p, entry in enumerate(paths):
            base = ("spec", "rules", r, "http", "paths", p, "backend")
            ref = _ingress_backend(res, as_dict(entry).get("backend"), base)
            if ref:
                yield ref
    for t, tls in enumerate(as_list(spec.get("tls"))):
        secret = as_str(as_dict(tls).get("secretName"))
        if secret:
            yield Ref(INGRESS_TLS, res, ("spec", "tls", t, "secretName"),
                      ObjKey(res.scope, CORE_GROUP, "Secret", res.namespace, secret))
    plugins = as_str(annotations.get(KONG_PLUGINS_ANNOTATION))
    for name in dict.fromkeys(p.strip() for p in (plugins or "").split(",") if p.strip()):
        yield Ref(KONG_PLUGIN, res, ("metadata", "annotations", KONG_PLUGINS_ANNOTATION),
                  ObjKey(res.scope, KONG_GROUP, "KongPlugin", res.namespace, name))


def references(res: Resource) -> Iterator[Ref]:
    """Every reference `res` makes, in document order."""
    if res.kind == "Ingress" and res.group in INGRESS_GROUPS:
        yield from _ingress_refs(res)
        return
    if res.group in (GATEWAY_GROUP, GATEWAY_X_GROUP):
        if res.kind in ROUTE_KINDS:
            yield from _route_refs(res)
        elif res.kind == "Gateway":
            yield from _gateway_refs(res)
        elif res.kind in LISTENERSET_KINDS:
            yield from _listenerset_refs(res)
        elif res.kind == "GatewayClass":
            yield from _parameters_ref(res, ("spec", "parametersRef"))
        elif res.kind in ("BackendTLSPolicy", "XBackendTrafficPolicy", "BackendTrafficPolicy"):
            yield from _policy_refs(res)


@dataclass(frozen=True, slots=True)
class ServicePort:
    """One spec.ports entry of a Service, as a backendRef's port is resolved against it."""

    index: int  # position in spec.ports, for related locations
    protocol: str  # Kubernetes defaults an unset protocol to TCP
    protocol_written: bool  # False when that default applies


# One shared entry per distinct (index, protocol, written): Services mostly repeat a few
# port shapes, and an entry per Service port was most of the port tables' memory
_service_port = lru_cache(maxsize=4096)(ServicePort)

PortTable = dict[int, list[ServicePort]]  # port number -> its entries (one per protocol)
# ctx.cache key of the run's port tables (Service key -> PortTable | None), one per Service:
# the status model's backendRef verdicts and the port rules read the same tables
PORT_TABLES = "references.port_tables"


def run_port_table(cache: dict[str, Any], key: ObjKey,
                   service: Resource | None) -> PortTable | None:
    """The port table of the Service `key` (`service`, None when absent), built once per run in
    the run's cache (`ctx.cache`): many routes name one Service, and the status model's verdicts
    and the port rules read the same table."""
    tables: dict[ObjKey, PortTable | None] = cache.setdefault(PORT_TABLES, {})
    try:
        return tables[key]
    except KeyError:
        table = tables[key] = port_table(service) if service is not None else None
        return table


def port_table(service: Resource) -> PortTable | None:
    """The ports of a Service that a backendRef's `port` resolves against, by number; None for
    an ExternalName Service or one produced elsewhere (its ports are not in the files). A port
    is an integer, never a boolean: `port: true` is not port 1."""
    if service.virtual or as_str(service.spec.get("type")) == "ExternalName":
        return None
    table: dict[int, list[ServicePort]] = {}
    defaulted = service.defaulted
    for i, p in enumerate(as_list(service.spec.get("ports"))):
        port = as_int(p.get("port")) if isinstance(p, dict) else None
        if port is not None:
            protocol = p.get("protocol")
            # model.written(service, path), read from the entry in hand
            protocol_written = protocol is not None and not (
                defaulted and ("spec", "ports", i, "protocol") in defaulted)
            table.setdefault(port, []).append(_service_port(
                i, as_str(protocol) or "TCP", protocol_written))
    return table
