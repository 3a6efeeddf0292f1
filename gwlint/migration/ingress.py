"""Ingresses, normalised: every path entry, TLS entry, default backend, class and annotation.

Reads `networking.k8s.io/v1` Ingress and the removed `extensions/v1beta1` and
`networking.k8s.io/v1beta1` Ingress (backend `serviceName`/`servicePort`, top-level `backend`,
optional `pathType` defaulting to ImplementationSpecific), plus IngressClass objects. The
controller of an Ingress comes from `spec.ingressClassName`, else the deprecated
`kubernetes.io/ingress.class` annotation, else the IngressClass marked
`ingressclass.kubernetes.io/is-default-class`; the class names the controller through its
IngressClass, or, when the repository has none, by the controllers' default class names
(`nginx`, `kong`).

Bad input never raises: every field is read with type checks, and what the API server would
reject or a controller would ignore becomes a `Problem` (stable `code`, severity, message, and
the JSON path of the offending field) while the rest of the Ingress is still modelled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gwlint.migration.annotations import KONG, NGINX, NGINX_INC, Table, table
from gwlint.model import FieldPath, Resource, as_dict, as_int, as_list, as_str

if TYPE_CHECKING:
    from gwlint.context import Context

CACHE_KEY = "migration.ingresses"

INGRESS_GROUPS = ("networking.k8s.io", "extensions")
CLASS_GROUP = "networking.k8s.io"
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
KONG_GROUP = "configuration.konghq.com"

PATH_TYPES = ("Exact", "Prefix", "ImplementationSpecific")
OTHER = "other"      # a controller the table does not know
UNKNOWN = "unknown"  # no class: the cluster's default decides

# Ingress rule hosts: RFC 1123 names, optionally with one leading "*." label; no IPs or ports.
_HOST_RE = re.compile(
    r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_IP_RE = re.compile(r"^[0-9.]+$|:")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with an Ingress as input: what the API server rejects, what a controller
    ignores, what cannot be migrated as written."""

    code: str          # stable identifier, e.g. "path-type-missing"
    severity: str      # error | warning | info
    message: str
    resource: Resource
    path: FieldPath    # JSON path of the offending field inside resource.body
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Backend:
    """An Ingress backend: a Service port, or a `resource:` object reference."""

    namespace: str | None
    name: str
    port_number: int | None = None
    port_name: str | None = None
    group: str = ""                 # resource backends: apiGroup
    kind: str = "Service"           # resource backends: kind
    path: FieldPath = ()            # JSON path of the backend in the Ingress

    @property
    def is_service(self) -> bool:
        return self.group == "" and self.kind == "Service"

    def label(self) -> str:
        """"web:8080", "web:http", or "StorageBucket static-assets"."""
        if not self.is_service:
            kind = f"{self.kind}.{self.group}" if self.group else self.kind
            return f"{kind} {self.name}"
        port = self.port_number if self.port_number is not None else self.port_name
        return f"{self.name}:{port}" if port is not None else self.name


@dataclass(slots=True, eq=False)
class IngressPath:
    """One `spec.rules[r].http.paths[p]` entry."""

    ingress: IngressInfo
    rule_index: int
    path_index: int
    host: str | None          # None: the rule has no host (every host)
    path: str                 # as written; "/" when absent (ImplementationSpecific: every path)
    path_type: str | None     # as written (None: missing)
    backend: Backend | None   # None: no usable backend (a Problem says why)

    @property
    def json_path(self) -> FieldPath:
        return ("spec", "rules", self.rule_index, "http", "paths", self.path_index)

    @property
    def effective_type(self) -> str:
        """The pathType the API server would store: v1beta1 defaults a missing pathType to
        ImplementationSpecific (v1 rejects it; modelled the same way)."""
        return self.path_type if self.path_type in PATH_TYPES else "ImplementationSpecific"

    def label(self) -> str:
        host = self.host or "*"
        return f"{host}{self.path} ({self.effective_type})"


@dataclass(slots=True, eq=False)
class IngressTLS:
    """One `spec.tls[i]` entry."""

    index: int
    hosts: list[tuple[int, str]]   # (index in hosts, host)
    secret_name: str | None

    @property
    def json_path(self) -> FieldPath:
        return ("spec", "tls", self.index)


@dataclass(slots=True, eq=False)
class IngressInfo:
    """One Ingress, normalised."""

    resource: Resource
    api: str                                  # "v1" | "v1beta1"
    class_name: str | None = None
    class_source: str | None = None           # ingressClassName | annotation | default
    class_path: FieldPath = ()
    controller: str | None = None             # IngressClass spec.controller, when known
    provider: str = UNKNOWN                   # ingress-nginx | kong | other | unknown
    annotations: dict[str, str] = field(default_factory=dict)
    paths: list[IngressPath] = field(default_factory=list)
    tls: list[IngressTLS] = field(default_factory=list)
    default_backend: Backend | None = None
    rule_hosts: list[str | None] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def scope(self) -> str:
        return self.resource.scope

    @property
    def namespace(self) -> str | None:
        return self.resource.namespace

    def label(self) -> str:
        return f"Ingress {self.resource.namespace}/{self.resource.name}"

    def annotation(self, short: str, provider: str = NGINX) -> str | None:
        """The value of a provider annotation by short name (`ssl-redirect`)."""
        p = table().providers[provider]
        return self.annotations.get(short if "/" in short else p.prefix + short)

    def flag(self, short: str, provider: str = NGINX) -> bool | None:
        """A boolean annotation: True/False, None when absent or not a boolean."""
        value = self.annotation(short, provider)
        if value is None:
            return None
        v = value.strip().lower()
        if v in ("true", "1", "t", "yes"):
            return True
        if v in ("false", "0", "f", "no"):
            return False
        return None

    @property
    def canary(self) -> bool:
        """An ingress-nginx canary Ingress (its paths add backends to the main Ingress's)."""
        return self.provider in (NGINX, UNKNOWN) and self.flag("canary") is True

    def hosts(self) -> list[str | None]:
        """Distinct rule hosts in order (None: a rule without host)."""
        return list(dict.fromkeys(self.rule_hosts))

    def tls_hosts(self) -> list[str]:
        return list(dict.fromkeys(h for t in self.tls for _, h in t.hosts))


@dataclass(slots=True, eq=False)
class IngressModel:
    """Every Ingress of the run, with the IngressClasses they resolved against."""

    ingresses: list[IngressInfo]
    classes: dict[tuple[str, str], Resource]   # (scope, name) -> IngressClass

    @property
    def problems(self) -> list[Problem]:
        return [p for ing in self.ingresses for p in ing.problems]

    def paths(self) -> Iterable[IngressPath]:
        for ing in self.ingresses:
            yield from ing.paths


# --- reading ----------------------------------------------------------------------------------
def is_ingress(res: Resource) -> bool:
    return res.kind == "Ingress" and res.group in INGRESS_GROUPS


def read(ctx: Context) -> IngressModel:
    """The run's Ingress model (built on first use, cached in ctx.cache)."""
    model = ctx.cache.get(CACHE_KEY)
    if model is None:
        ingresses = [r for g in INGRESS_GROUPS for r in ctx.of_kind("Ingress", g)]
        ingresses.sort(key=lambda r: (r.scope, r.namespace or "", r.name, r.group))
        model = ctx.cache[CACHE_KEY] = build(ingresses, ctx.of_kind("IngressClass", CLASS_GROUP),
                                             _kong_plugins(ctx))
    return model


def _kong_plugins(ctx: Context) -> dict[tuple[str, str | None, str], Resource]:
    """KongPlugins by (scope, namespace, name) and KongClusterPlugins by (scope, None, name)."""
    out: dict[tuple[str, str | None, str], Resource] = {}
    for res in ctx.of_kind("KongPlugin", KONG_GROUP):
        out[(res.scope, res.namespace, res.name)] = res
    for res in ctx.of_kind("KongClusterPlugin", KONG_GROUP):
        out.setdefault((res.scope, None, res.name), res)
    return out


def build(ingresses: Iterable[Resource], classes: Iterable[Resource],
          kong_plugins: dict[tuple[str, str | None, str], Resource] | None = None) -> IngressModel:
    """Model `ingresses` against the IngressClass objects `classes` (both from one run)."""
    ingresses = list(ingresses)
    if not ingresses:
        return IngressModel([], {})
    tbl = table()
    by_name: dict[tuple[str, str], Resource] = {}
    defaults: dict[str, list[Resource]] = {}
    scopes_with_classes: set[str] = set()
    for cls in classes:
        by_name[(cls.scope, cls.name)] = cls
        scopes_with_classes.add(cls.scope)
        ann = as_dict(cls.metadata.get("annotations"))
        if str(ann.get(DEFAULT_CLASS_ANNOTATION, "")).lower() == "true":
            defaults.setdefault(cls.scope, []).append(cls)
    out = []
    for res in ingresses:
        info = _read_one(res)
        _resolve_class(info, tbl, by_name, defaults, res.scope in scopes_with_classes)
        _check_annotations(info, tbl, kong_plugins or {})
        out.append(info)
    return IngressModel(out, by_name)


def _problem(info: IngressInfo, code: str, severity: str, message: str, path: FieldPath,
             hint: str | None = None) -> None:
    info.problems.append(Problem(code, severity, message, info.resource, path, hint))


def _read_one(res: Resource) -> IngressInfo:
    api = "v1" if (res.group, res.version) == ("networking.k8s.io", "v1") else "v1beta1"
    info = IngressInfo(res, api)
    if api != "v1":
        _problem(info, "removed-api", "error",
                 f"{res.api_version} Ingress was removed in Kubernetes 1.22: the API server "
                 "rejects it", ("apiVersion",),
                 "use apiVersion networking.k8s.io/v1 (backend service.name/service.port, "
                 "pathType required)")
    _read_annotations(info)
    spec = res.body.get("spec")
    if not isinstance(spec, dict):
        _problem(info, "no-spec" if spec is None else "mistyped", "error",
                 "Ingress has no spec" if spec is None else "spec is not a mapping",
                 ("spec",) if spec is not None else ())
        return info
    default_key = "defaultBackend" if api == "v1" else "backend"
    if default_key in spec:
        info.default_backend = _backend(info, spec[default_key], ("spec", default_key))
    elif api == "v1" and "backend" in spec:
        _problem(info, "removed-field", "error",
                 "spec.backend is the v1beta1 field: networking.k8s.io/v1 calls it "
                 "spec.defaultBackend", ("spec", "backend"))
    _read_rules(info, spec)
    _read_tls(info, spec)
    if not info.paths and info.default_backend is None and not _has_problem(info, "mistyped"):
        _problem(info, "no-rules", "warning",
                 "Ingress has no rules with paths and no default backend: it routes nothing",
                 ("spec",))
    return info


def _has_problem(info: IngressInfo, code: str) -> bool:
    return any(p.code == code for p in info.problems)


def _read_annotations(info: IngressInfo) -> None:
    meta = info.resource.metadata
    raw = meta.get("annotations")
    if raw is None:
        return
    if not isinstance(raw, dict):
        _problem(info, "mistyped", "error", "metadata.annotations is not a mapping",
                 ("metadata", "annotations"))
        return
    for key, value in raw.items():
        if not isinstance(key, str):
            continue
        if not isinstance(value, str):
            _problem(info, "annotation-not-string", "error",
                     f"annotation {key!r} is not a string (a {type(value).__name__}): the API "
                     "server rejects it", ("metadata", "annotations", key),
                     f"quote the value: {key}: \"{_scalar(value)}\"")
            if isinstance(value, (bool, int, float)):
                value = _scalar(value)
            else:
                continue
        info.annotations[key] = value


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read_rules(info: IngressInfo, spec: dict[str, Any]) -> None:
    rules = spec.get("rules")
    if rules is None:
        return
    if not isinstance(rules, list):
        _problem(info, "mistyped", "error", "spec.rules is not a list", ("spec", "rules"))
        return
    for r, rule in enumerate(rules):
        base = ("spec", "rules", r)
        if not isinstance(rule, dict):
            _problem(info, "mistyped", "error", f"spec.rules[{r}] is not a mapping", base)
            continue
        host = _host(info, rule.get("host"), base + ("host",))
        info.rule_hosts.append(host)
        http = rule.get("http")
        if http is None:
            _problem(info, "rule-without-paths", "warning",
                     f"rule {r} ({host or 'every host'}) has no http.paths: it routes nothing "
                     "for its host", base)
            continue
        paths = as_dict(http).get("paths")
        if not isinstance(paths, list) or not paths:
            code = "mistyped" if not isinstance(http, dict) or (
                paths is not None and not isinstance(paths, list)) else "rule-without-paths"
            _problem(info, code, "error" if code == "mistyped" else "warning",
                     f"rule {r}: http.paths is {'not a list' if code == 'mistyped' else 'empty'}",
                     base + ("http",))
            continue
        for p, entry in enumerate(paths):
            _read_path(info, r, p, host, entry)


def _host(info: IngressInfo, raw: Any, path: FieldPath) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        _problem(info, "mistyped", "error", f"host is not a string: {raw!r}", path)
        return None
    host = raw.lower()
    if _IP_RE.search(host):
        _problem(info, "host-invalid", "error",
                 f"host {raw!r} is an IP address or has a port: Ingress hosts must be DNS names",
                 path)
    elif len(host) > 253 or not _HOST_RE.match(host):
        _problem(info, "host-invalid", "error",
                 f"host {raw!r} is not a valid DNS name (a wildcard must be a whole first label: "
                 "'*.example.com')", path)
    return host


def _read_path(info: IngressInfo, r: int, p: int, host: str | None, entry: Any) -> None:
    base = ("spec", "rules", r, "http", "paths", p)
    if not isinstance(entry, dict):
        _problem(info, "mistyped", "error", f"paths[{p}] of rule {r} is not a mapping", base)
        return
    raw_type = entry.get("pathType")
    path_type = raw_type if isinstance(raw_type, str) else None
    if raw_type is None and info.api == "v1":
        _problem(info, "path-type-missing", "error",
                 "pathType is required in networking.k8s.io/v1: the API server rejects this "
                 "path (read as ImplementationSpecific)", base,
                 "add pathType: Prefix (element-wise prefix, like PathPrefix) or Exact")
    elif raw_type is not None and path_type not in PATH_TYPES:
        _problem(info, "path-type-invalid", "error",
                 f"pathType {raw_type!r} is not Exact, Prefix or ImplementationSpecific",
                 base + ("pathType",))
        path_type = None
    raw_path = entry.get("path")
    if raw_path is None:
        value = "/"
        if path_type in ("Exact", "Prefix"):
            _problem(info, "path-invalid", "error",
                     f"pathType {path_type} requires a path", base)
    elif not isinstance(raw_path, str):
        _problem(info, "mistyped", "error", f"path is not a string: {raw_path!r}",
                 base + ("path",))
        value = "/"
    else:
        value = raw_path or "/"
        if path_type in ("Exact", "Prefix") and not value.startswith("/"):
            _problem(info, "path-invalid", "error",
                     f"path {raw_path!r} must start with '/' for pathType {path_type}",
                     base + ("path",))
    backend = None
    if "backend" not in entry:
        _problem(info, "backend-missing", "error", "path has no backend", base)
    else:
        backend = _backend(info, entry["backend"], base + ("backend",))
    info.paths.append(IngressPath(info, r, p, host, value, path_type, backend))


def _backend(info: IngressInfo, raw: Any, path: FieldPath) -> Backend | None:
    if not isinstance(raw, dict):
        _problem(info, "mistyped", "error", "backend is not a mapping", path)
        return None
    ns = info.resource.namespace
    if info.api == "v1":
        service, resource = raw.get("service"), raw.get("resource")
        if "serviceName" in raw or "servicePort" in raw:
            _problem(info, "removed-field", "error",
                     "serviceName/servicePort are v1beta1 fields: networking.k8s.io/v1 uses "
                     "service.name and service.port.number/name", path)
    else:
        service = None
        if "serviceName" in raw or "servicePort" in raw:
            service = {"name": raw.get("serviceName"),
                       "port": _v1beta1_port(raw.get("servicePort"))}
        resource = raw.get("resource")
    if service is not None and resource is not None:
        _problem(info, "backend-invalid", "error",
                 "backend sets both service and resource: the API server rejects it", path)
    if resource is not None:
        res = as_dict(resource)
        name, kind = as_str(res.get("name")), as_str(res.get("kind"))
        if not name or not kind:
            _problem(info, "backend-invalid", "error", "resource backend needs kind and name",
                     path + ("resource",))
            return None
        group = as_str(res.get("apiGroup"), "") or ""
        _problem(info, "resource-backend", "info",
                 f"backend is a {kind} resource, not a Service: it needs an HTTPRoute backendRef "
                 "with group/kind, which few implementations support", path + ("resource",))
        return Backend(ns, name, group=group, kind=kind, path=path + ("resource",))
    if service is None:
        _problem(info, "backend-invalid", "error", "backend has neither service nor resource",
                 path)
        return None
    if not isinstance(service, dict):
        _problem(info, "mistyped", "error", "backend.service is not a mapping", path + ("service",))
        return None
    name = service.get("name")
    spath = path + (("service",) if info.api == "v1" else ())
    if not isinstance(name, str) or not name:
        _problem(info, "backend-invalid", "error", "backend has no service name",
                 spath + (("name",) if "name" in service else ()) if info.api == "v1"
                 else path)
        return None
    port = service.get("port")
    number = name_ = None
    if isinstance(port, dict):
        number, name_ = as_int(port.get("number")), as_str(port.get("name"))
        if (number is None) == (name_ is None):
            _problem(info, "backend-port-invalid", "error",
                     "service.port needs exactly one of number and name",
                     spath + ("port",))
    else:
        _problem(info, "backend-port-invalid", "error", "backend has no service port",
                 spath + ("port",) if port is not None else spath)
    return Backend(ns, name, number, name_, path=path)


def _v1beta1_port(raw: Any) -> dict[str, Any] | None:
    """servicePort is an IntOrString: a number, or a port name (digits in a string count as the
    number, as kubectl users mean them)."""
    if raw is None:
        return None
    if isinstance(raw, str) and raw.isdigit():
        return {"number": int(raw)}
    if isinstance(raw, str):
        return {"name": raw}
    return {"number": raw}


def _read_tls(info: IngressInfo, spec: dict[str, Any]) -> None:
    tls = spec.get("tls")
    if tls is None:
        return
    if not isinstance(tls, list):
        _problem(info, "mistyped", "error", "spec.tls is not a list", ("spec", "tls"))
        return
    for i, entry in enumerate(tls):
        if not isinstance(entry, dict):
            _problem(info, "mistyped", "error", f"spec.tls[{i}] is not a mapping",
                     ("spec", "tls", i))
            continue
        hosts = []
        for h, raw in enumerate(as_list(entry.get("hosts"))):
            host = _host(info, raw, ("spec", "tls", i, "hosts", h))
            if host:
                hosts.append((h, host))
        secret = entry.get("secretName")
        if secret is not None and not isinstance(secret, str):
            _problem(info, "mistyped", "error", "secretName is not a string",
                     ("spec", "tls", i, "secretName"))
            secret = None
        if not hosts:
            _problem(info, "tls-without-hosts", "warning",
                     f"spec.tls[{i}] lists no hosts: which hosts it covers is up to the "
                     "controller; a Gateway listener needs explicit hostnames",
                     ("spec", "tls", i))
        info.tls.append(IngressTLS(i, hosts, secret or None))


# --- class and controller ---------------------------------------------------------------------
def _resolve_class(info: IngressInfo, tbl: Table, by_name: dict[tuple[str, str], Resource],
                   defaults: dict[str, list[Resource]], has_classes: bool) -> None:
    res = info.resource
    field_value = res.get("spec", "ingressClassName")
    annotation = info.annotations.get(CLASS_ANNOTATION)
    if field_value is not None and not isinstance(field_value, str):
        _problem(info, "mistyped", "error", "spec.ingressClassName is not a string",
                 ("spec", "ingressClassName"))
        field_value = None
    if field_value and annotation and field_value != annotation:
        _problem(info, "class-conflict", "warning",
                 f"spec.ingressClassName {field_value!r} and the {CLASS_ANNOTATION} annotation "
                 f"{annotation!r} disagree: controllers differ in which one wins",
                 ("metadata", "annotations", CLASS_ANNOTATION))
    if field_value:
        info.class_name, info.class_source = field_value, "ingressClassName"
        info.class_path = ("spec", "ingressClassName")
    elif annotation:
        info.class_name, info.class_source = annotation, "annotation"
        info.class_path = ("metadata", "annotations", CLASS_ANNOTATION)
    else:
        scope_defaults = defaults.get(res.scope, [])
        if len(scope_defaults) == 1:
            cls = scope_defaults[0]
            info.class_name, info.class_source = cls.name, "default"
    if info.class_name is None:
        return
    found = by_name.get((res.scope, info.class_name))
    if found is not None:
        controller = found.get("spec", "controller")
        info.controller = controller if isinstance(controller, str) else None
        provider = tbl.by_controller(info.controller)
        info.provider = provider.name if provider else OTHER
        return
    if has_classes and info.class_source != "default":
        _problem(info, "class-not-found", "warning",
                 f"IngressClass {info.class_name!r} is not among the IngressClasses in the "
                 "linted files", info.class_path)
    guess = tbl.by_class_name(info.class_name)
    info.provider = guess.name if guess else OTHER
    if guess is not None:
        # `nginx` is the default class of both ingress-nginx and NGINX Inc's controller: the
        # annotations, when they are all of the other one, say which
        owners = {p.name for p in map(tbl.provider_of, info.annotations) if p is not None}
        if len(owners) == 1:
            owner = tbl.providers[owners.pop()]
            if owner.name != guess.name and owner.class_name == guess.class_name:
                info.provider = owner.name


def _check_annotations(info: IngressInfo, tbl: Table,
                       kong_plugins: dict[tuple[str, str | None, str], Resource]) -> None:
    """Unknown annotations of a known controller (typos), annotations another controller reads,
    KongPlugins that are not in the repository."""
    for key, value in info.annotations.items():
        provider = tbl.provider_of(key)
        if provider is None:
            continue
        path = ("metadata", "annotations", key)
        if info.provider in (NGINX, KONG, NGINX_INC) and provider.name != info.provider:
            _problem(info, "annotation-ignored", "info",
                     f"annotation {key!r} is read by {provider.title}, but this Ingress is "
                     f"served by {tbl.providers[info.provider].title}: it has no effect", path)
            continue
        if tbl.lookup(key) is None:
            close = tbl.suggest(key)
            # the NGINX Inc part of the table holds the common annotations only: an unknown one
            # may be a real one whose behaviour would vanish
            effect = ("not in gwlint's table: if the controller reads it, migrate what it does by "
                      "hand" if provider.name == NGINX_INC else "the controller ignores it")
            _problem(info, "annotation-unknown", "warning",
                     f"{key!r} is not a known {provider.title} annotation: {effect}"
                     + (f" (did you mean {close!r}?)" if close else ""), path)
            continue
        if provider.name == KONG and key == provider.prefix + "plugins":
            for name in plugin_names(value):
                if (info.scope, info.namespace, name) not in kong_plugins and (
                        info.scope, None, name) not in kong_plugins:
                    _problem(info, "kong-plugin-not-found", "warning",
                             f"KongPlugin {name!r} is not in namespace {info.namespace!r} "
                             "(nor a KongClusterPlugin) in the linted files: what it did "
                             "cannot be checked", path)


def plugin_names(value: str) -> list[str]:
    """`konghq.com/plugins: "a, b"` -> ["a", "b"]."""
    return [p.strip() for p in value.split(",") if p.strip()]


def kong_plugin(ctx: Context, info: IngressInfo, name: str) -> Resource | None:
    """The KongPlugin of the Ingress's namespace named `name`, else the KongClusterPlugin."""
    plugins = ctx.cache.get("migration.kong-plugins")
    if plugins is None:
        plugins = ctx.cache["migration.kong-plugins"] = _kong_plugins(ctx)
    return plugins.get((info.scope, info.namespace, name)) or plugins.get((info.scope, None, name))
