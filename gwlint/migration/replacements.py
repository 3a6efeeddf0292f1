"""Whether the route serving an Ingress path has what replaces an annotation.

One function per `check` name of the annotation table (`CHECKERS`). Each gets a `CheckInput`
(the Ingress, the annotation and its value, the path and the match that serves it) and returns
`Outcome`s:

* `present`: the Gateway API construct that replaces it is on the serving rule (or route);
* `policy`: an implementation policy whose fields name what the annotation did is attached (an
  ExtensionRef filter of the rule or its backends, an object whose `targetRefs` name the route,
  its Gateway or the backend Service, or a KongPlugin on the route): gwlint cannot verify its
  content, so it is not reported as missing;
* `missing`: neither; `no-equivalent`: nothing standard can replace it and nothing is attached,
  or (check `none`) gwlint cannot tell whether anything does (snippets, Lua code);
* `skip`: the annotation has no effect with this value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gwlint.migration.annotations import Replacement, table
from gwlint.migration.ingress import (
    KONG_GROUP,
    Backend,
    IngressInfo,
    IngressPath,
    kong_plugin,
    plugin_names,
)
from gwlint.migration.routes import (
    EXACT,
    PREFIX,
    REGEX,
    GatewayIndex,
    Lookup,
    Serving,
    host_candidates,
)
from gwlint.model import (
    GATEWAY_GROUP,
    FieldPath,
    ObjKey,
    Resource,
    as_dict,
    as_int,
    as_list,
    as_str,
)

if TYPE_CHECKING:
    from gwlint.context import Context

PRESENT, POLICY, MISSING, SKIP = "present", "policy", "missing", "skip"
NO_EQUIVALENT = "no-equivalent"
KONG_PLUGINS_ANNOTATION = "konghq.com/plugins"


@dataclass(frozen=True, slots=True)
class Related:
    """A location that explains a result (the route that serves a path, a listener...)."""

    message: str
    resource: Resource
    path: FieldPath


@dataclass(slots=True)
class Outcome:
    status: str                  # present | policy | missing | no-equivalent | skip
    detail: str = ""
    related: list[Related] = field(default_factory=list)
    subject: str | None = None   # what part of the annotation (a Kong plugin name)
    entry: Replacement | None = None  # the table row (Kong plugins: the plugin's row)


@dataclass(slots=True, eq=False)
class CheckInput:
    """What a check looks at."""

    ctx: Context
    gidx: GatewayIndex
    ingress: IngressInfo
    entry: Replacement
    key: str
    value: str
    path: IngressPath | None      # None for host-level evaluation
    lookup: Lookup | None         # how the path is served on `scheme`
    host: str | None
    scheme: str
    same: list[tuple[str, str]] = field(default_factory=list)  # the path's equivalent matches
    canary_of: IngressPath | None = None  # canary checks: the main Ingress path
    plugin: Resource | None = None        # Kong plugin checks: the KongPlugin
    # Kong method/header checks: other Ingresses' paths at the same host and path without
    # method or header conditions (their requests are served by unconditional rules too)
    shared: list[IngressPath] = field(default_factory=list)

    @property
    def servings(self) -> list[Serving]:
        return self.lookup.servings if self.lookup else []


def rel(s: Serving, what: str | None = None) -> Related:
    return Related(what or f"served by {s.label()}", s.route, s.match_path)


def _rule_filters(s: Serving) -> list[dict[str, Any]]:
    return s.filters()


def _backend_filters(s: Serving) -> list[dict[str, Any]]:
    out = []
    for b in as_list(s.rule.get("backendRefs")):
        out += [as_dict(f) for f in as_list(as_dict(b).get("filters"))]
    return out


def filters_of(s: Serving, ftype: str, backends: bool = True) -> list[dict[str, Any]]:
    """Filters of `ftype` on the rule (and on its backendRefs)."""
    found = [f for f in _rule_filters(s) if f.get("type") == ftype]
    if backends:
        found += [f for f in _backend_filters(s) if f.get("type") == ftype]
    return found


# --- implementation policies ------------------------------------------------------------------
def _norm(word: str) -> str:
    return word.lower().replace("-", "").replace("_", "")


def _words(node: Any, out: set[str], depth: int = 0) -> None:
    """Field names (and Kong plugin names) of a policy, lower-case without - and _, and each
    field name joined to its children's (`backend: {http: {version: ...}}` gives `httpversion`:
    the HTTP version spoken to the backend, which `version` alone does not say)."""
    if depth > 12:
        return
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, str):
                out.add(_norm(k))
                if isinstance(v, dict):
                    out.update(_norm(k) + _norm(c) for c in v if isinstance(c, str))
            _words(v, out, depth + 1)
    elif isinstance(node, list):
        for v in node:
            _words(v, out, depth + 1)


def policy_words(ctx: Context, res: Resource) -> set[str]:
    cache = ctx.cache.setdefault("migration.policy-words", {})
    words: set[str] | None = cache.get(id(res))
    if words is None:
        words = set()
        _words(res.spec, words)
        plugin = res.body.get("plugin")
        if isinstance(plugin, str):  # KongPlugin / KongClusterPlugin: top-level plugin + config
            words.add(plugin.lower().replace("-", "").replace("_", ""))
            _words(res.body.get("config"), words)
        cache[id(res)] = words
    return words


def _covers(ctx: Context, res: Resource, keywords: Iterable[str]) -> bool:
    keywords = [k.replace("-", "").replace("_", "") for k in keywords]
    if not keywords:
        return True
    words = policy_words(ctx, res)
    return any(k in w for k in keywords for w in words)


def attached_policies(c: CheckInput, s: Serving, on: str = "route") -> list[Resource]:
    """Implementation objects attached where an annotation's replacement would be: ExtensionRef
    targets of the rule, policies targeting the route, its Gateway, or (on="backend") the
    backend Services; KongPlugins named by the route's konghq.com/plugins annotation. With
    on="service", only the policies of the backend Services."""
    ctx, gidx = c.ctx, c.gidx
    out: list[Resource] = []
    if on == "service":
        for b in s.backends():
            out += gidx.policies_for(ObjKey(s.route.scope, b.group, b.kind, b.namespace, b.name))
        return out
    for f in _rule_filters(s) + _backend_filters(s):
        if f.get("type") != "ExtensionRef":
            continue
        ref = as_dict(f.get("extensionRef"))
        name, kind = as_str(ref.get("name")), as_str(ref.get("kind"))
        if name and kind:
            obj = ctx.get(ObjKey(s.route.scope, as_str(ref.get("group"), "") or "", kind,
                                 s.route.namespace, name))
            if obj is not None:
                out.append(obj)
    out += gidx.policies_for(s.route, as_str(s.rule.get("name")))
    gateway = s.listener.gateway or s.listener.owner
    out += gidx.policies_for(gateway, s.listener.name if gateway is s.listener.owner else None)
    if on == "backend":
        for b in s.backends():
            out += gidx.policies_for(ObjKey(s.route.scope, b.group, b.kind, b.namespace, b.name))
    names = as_dict(s.route.metadata.get("annotations")).get(KONG_PLUGINS_ANNOTATION)
    if isinstance(names, str):
        for name in plugin_names(names):
            obj = kong_plugin(ctx, c.ingress, name) if s.route.namespace == c.ingress.namespace \
                else None
            if obj is not None:
                out.append(obj)
    return [p for p in out if not (p.group == GATEWAY_GROUP and p.kind == "BackendTLSPolicy")
            or on == "backend"]


def _unresolved_extension_refs(s: Serving) -> list[dict[str, Any]]:
    """ExtensionRef filters whose target is not in the linted files (counted as a policy: its
    content cannot be read, but something was attached)."""
    return [as_dict(f.get("extensionRef")) for f in _rule_filters(s) + _backend_filters(s)
            if f.get("type") == "ExtensionRef"]


def policy_outcome(c: CheckInput, servings: Iterable[Serving] | None = None,
                   keywords: Iterable[str] | None = None, on: str = "route",
                   what: str | None = None) -> Outcome:
    """`policy` when every serving rule has an attached implementation object covering the
    keywords (or, without keywords, any attached object), else `no-equivalent`."""
    kws = list(c.entry.keywords if keywords is None else keywords)
    servings = list(c.servings if servings is None else servings)
    if not servings:
        return Outcome(SKIP, "the path is not served")
    related: list[Related] = []
    lacking: list[Serving] = []
    names: list[str] = []  # what replaces it, for the message
    for s in servings:
        hits = [p for p in attached_policies(c, s, on) if _covers(c.ctx, p, kws)]
        if not hits and not kws and _unresolved_extension_refs(s):
            related.append(rel(s, f"{s.label()} has an ExtensionRef filter"))
            names.append(f"the ExtensionRef filter of {s.label()}")
            continue
        if hits:
            related.append(Related(f"{hits[0].label()} is attached", hits[0], ("spec",)))
            names.append(hits[0].label())
        else:
            lacking.append(s)
    if lacking:
        return Outcome(NO_EQUIVALENT,
                       f"no implementation policy{' for ' + what if what else ''} is attached "
                       f"to {lacking[0].label()}", [rel(s) for s in lacking[:3]])
    return Outcome(POLICY, f"replaced by {names[0]}, an implementation object: whether it does "
                           "the same is not verified", related)


def _standard_or_policy(c: CheckInput, has: Callable[[Serving], bool], what: str,
                        on: str = "route") -> Outcome:
    """`present` when every serving rule has the standard construct, else per rule lacking it:
    an implementation policy covering the entry's keywords counts; else `missing`."""
    if not c.servings:
        return Outcome(SKIP, "the path is not served")
    lacking = [s for s in c.servings if not has(s)]
    if not lacking:
        return Outcome(PRESENT, f"{what} on {c.servings[0].label()}", [rel(c.servings[0])])
    pol = policy_outcome(c, lacking, on=on)
    if pol.status == POLICY and c.entry.keywords:
        return pol
    return Outcome(MISSING, f"{lacking[0].label()} has no {what}", [rel(s) for s in lacking[:3]])


# --- checks -----------------------------------------------------------------------------------
def check_none(c: CheckInput) -> list[Outcome]:
    return [Outcome(NO_EQUIVALENT, "gwlint cannot check what replaces it: review that by "
                                   "hand, then suppress this finding")]


def check_policy(c: CheckInput) -> list[Outcome]:
    if not c.servings:
        return [Outcome(SKIP, "the path is not served")]
    return [policy_outcome(c, on="backend")]


def _path_rewrite(s: Serving) -> bool:
    return any(as_dict(as_dict(f.get("urlRewrite")).get("path"))
               for f in filters_of(s, "URLRewrite"))


def check_url_rewrite(c: CheckInput) -> list[Outcome]:
    return [_standard_or_policy(c, _path_rewrite, "URLRewrite filter with a path")]


def _host_header(s: Serving, host: str | None = None) -> bool:
    for f in filters_of(s, "URLRewrite"):
        h = as_str(as_dict(f.get("urlRewrite")).get("hostname"))
        if h and (host is None or h.lower() == host.lower()):
            return True
    for f in filters_of(s, "RequestHeaderModifier"):
        mod = as_dict(f.get("requestHeaderModifier"))
        for op in ("set", "add"):
            for item in as_list(mod.get(op)):
                item = as_dict(item)
                if str(item.get("name", "")).lower() == "host" and (
                        host is None or str(item.get("value", "")).lower() == host.lower()):
                    return True
    return False


def check_host_rewrite(c: CheckInput) -> list[Outcome]:
    host = c.value.strip() or None
    return [_standard_or_policy(c, lambda s: _host_header(s, host),
                                f"URLRewrite hostname {host!r}" if host else "Host rewrite")]


def _sets_header(s: Serving, name: str, ftype: str = "RequestHeaderModifier") -> bool:
    field_name = ftype[0].lower() + ftype[1:]
    for f in filters_of(s, ftype):
        mod = as_dict(f.get(field_name))
        for op in ("set", "add"):
            if any(str(as_dict(h).get("name", "")).lower() == name.lower()
                   for h in as_list(mod.get(op))):
                return True
    return False


def check_request_header(c: CheckInput) -> list[Outcome]:
    name = c.entry.header or ""
    return [_standard_or_policy(c, lambda s: _sets_header(s, name),
                                f"RequestHeaderModifier setting {name}")]


def _modifies_response(s: Serving) -> bool:
    return bool(filters_of(s, "ResponseHeaderModifier"))


def check_response_header(c: CheckInput) -> list[Outcome]:
    return [_standard_or_policy(c, _modifies_response, "ResponseHeaderModifier filter")]


def check_timeouts(c: CheckInput) -> list[Outcome]:
    def has(s: Serving) -> bool:
        t = as_dict(s.rule.get("timeouts"))
        return bool(t.get("request") or t.get("backendRequest"))
    return [_standard_or_policy(c, has, "rules[].timeouts")]


def check_retry(c: CheckInput) -> list[Outcome]:
    return [_standard_or_policy(c, lambda s: bool(as_dict(s.rule.get("retry"))), "rules[].retry")]


def check_session_persistence(c: CheckInput) -> list[Outcome]:
    return [_standard_or_policy(c, lambda s: bool(as_dict(s.rule.get("sessionPersistence"))),
                                "rules[].sessionPersistence")]


def check_cors(c: CheckInput) -> list[Outcome]:
    return [_standard_or_policy(c, lambda s: bool(filters_of(s, "CORS", backends=False)),
                                "CORS filter")]


def check_external_auth(c: CheckInput) -> list[Outcome]:
    return [_standard_or_policy(c, lambda s: bool(filters_of(s, "ExternalAuth", backends=False)),
                                "ExternalAuth filter")]


def check_mirror(c: CheckInput) -> list[Outcome]:
    return [_standard_or_policy(c, lambda s: bool(filters_of(s, "RequestMirror")),
                                "RequestMirror filter")]


def _backend_tls(c: CheckInput, s: Serving) -> bool:
    for b in s.backends():
        key = ObjKey(s.route.scope, b.group, b.kind, b.namespace, b.name)
        if any(p.group == GATEWAY_GROUP and p.kind == "BackendTLSPolicy"
               for p in c.gidx.policies_for(key)):
            return True
    return False


# A policy of the route or Gateway configures TLS towards the backends when a field says so
# (`backend: {tls: ...}`); on the backend Service itself, the entry's keywords (`tls`) suffice.
BACKEND_TLS_WORDS = ("backendtls",)


def check_backend_tls(c: CheckInput) -> list[Outcome]:
    if not c.servings:
        return [Outcome(SKIP, "the path is not served")]
    lacking = [s for s in c.servings if not _backend_tls(c, s)]
    if not lacking:
        s = c.servings[0]
        return [Outcome(PRESENT, f"BackendTLSPolicy for its backend on {s.label()}", [rel(s)])]
    if c.entry.keywords:
        for on, words in (("service", None), ("backend", BACKEND_TLS_WORDS)):
            pol = policy_outcome(c, lacking, keywords=words, on=on)
            if pol.status == POLICY:
                return [pol]
    return [Outcome(MISSING, f"{lacking[0].label()} has no BackendTLSPolicy for its backend",
                    [rel(s) for s in lacking[:3]])]


_H2C = frozenset({"kubernetes.io/h2c", "h2c", "grpc", "http2", "kubernetes.io/grpc"})


def _service_app_protocol(c: CheckInput, s: Serving) -> bool:
    for b in s.backends():
        svc = c.gidx.service(s.route.scope, b.namespace, b.name)
        for port in as_list(as_dict(svc.spec if svc else {}).get("ports")):
            port = as_dict(port)
            if port.get("port") == b.port and str(port.get("appProtocol", "")).lower() in _H2C:
                return True
    return False


def check_backend_protocol(c: CheckInput) -> list[Outcome]:
    proto = c.value.strip().upper()
    if proto in ("", "HTTP"):
        return [Outcome(SKIP, "HTTP is the default")]
    if proto in ("HTTPS", "GRPCS"):
        return check_backend_tls(c)
    if proto == "GRPC":
        if c.lookup is None and c.gidx.grpc(c.ingress.scope, c.scheme, c.host):
            return [Outcome(PRESENT, "served by a GRPCRoute")]
        return [_standard_or_policy(c, lambda s: _service_app_protocol(c, s),
                                    "backend Service port with appProtocol kubernetes.io/h2c "
                                    "(or a GRPCRoute)", on="backend")]
    return [Outcome(NO_EQUIVALENT, f"backend protocol {proto} has no Gateway API equivalent")]


def check_service_upstream(c: CheckInput) -> list[Outcome]:
    """`service-upstream` sends to the Service's cluster IP instead of its endpoints: a rule
    whose backend is an implementation object addressing the Service by its DNS name does
    that; else an implementation policy (keywords) may."""
    want = c.path.backend if c.path else None
    if want is None or not c.servings:
        return check_policy(c)
    port = resolve_port(c.gidx, c.ingress.scope, want)

    def has(s: Serving) -> bool:
        return any(service_vip_backend(c.ctx, s.route.scope, b.group, b.kind, b.namespace,
                                       b.name, want, port) for b in s.backends())

    lacking = [s for s in c.servings if not has(s)]
    if not lacking:
        s = c.servings[0]
        return [Outcome(PRESENT, f"{s.label()} forwards to an object addressing the Service's "
                                 "cluster IP", [rel(s)])]
    return [policy_outcome(c, lacking, on="backend")]


def _frontend_validation(listener_gateway: Resource) -> bool:
    tls = as_dict(listener_gateway.spec.get("tls"))
    frontend = as_dict(tls.get("frontend"))
    default = as_dict(as_dict(frontend.get("default")).get("validation"))
    if as_list(default.get("caCertificateRefs")):
        return True
    return any(as_list(as_dict(as_dict(as_dict(p).get("tls")).get("validation")).get(
        "caCertificateRefs")) for p in as_list(frontend.get("perPort")))


def check_client_cert(c: CheckInput) -> list[Outcome]:
    def has(s: Serving) -> bool:
        gw = s.listener.gateway or s.listener.owner
        return s.scheme == "https" and _frontend_validation(gw)
    return [_standard_or_policy(c, has, "client certificate validation (Gateway "
                                        "spec.tls.frontend) on its HTTPS listener's Gateway")]


def _redirects(s: Serving) -> list[dict[str, Any]]:
    return [as_dict(f.get("requestRedirect")) for f in filters_of(s, "RequestRedirect", False)]


def check_app_root(c: CheckInput) -> list[Outcome]:
    """A request for exactly '/' must be redirected to the app root."""
    target = c.value.strip()
    found = c.gidx.serving(c.ingress.scope, c.scheme, c.host, [(EXACT, "/")], [], "/")
    if found is None:
        return [Outcome(MISSING, f"no rule serves '/' of {c.host or 'any host'}")]
    s = found.first
    for r in _redirects(s):
        path = as_dict(r.get("path"))
        if as_str(path.get("replaceFullPath")) == target:
            return [Outcome(PRESENT, f"{s.label()} redirects '/' to {target}", [rel(s)])]
    return [Outcome(MISSING, f"'/' is {'served' if not _redirects(s) else 'redirected'} by "
                             f"{s.label()}, not redirected to {target!r}", [rel(s)])]


def check_www_redirect(c: CheckInput) -> list[Outcome]:
    host = c.host
    if not host or host.startswith("*."):
        return [Outcome(SKIP, "needs a host")]
    other = host[4:] if host.startswith("www.") else "www." + host
    found = c.gidx.serving(c.ingress.scope, c.scheme, other, [(PREFIX, "/")], [], "/")
    if found is not None:
        for r in _redirects(found.first):
            if (as_str(r.get("hostname")) or "").lower() == host:
                return [Outcome(PRESENT, f"{found.first.label()} redirects {other} to {host}",
                                [rel(found.first)])]
        return [Outcome(MISSING, f"{other} is served by {found.first.label()} without a "
                                 f"redirect to {host}", [rel(found.first)])]
    return [Outcome(MISSING, f"no route serves {other} with a RequestRedirect to {host}")]


def check_hostnames(c: CheckInput) -> list[Outcome]:
    if c.path is None or not c.same:
        return [Outcome(SKIP, "checked per path")]
    out = []
    for alias in [a.strip().lower() for a in c.value.split(",") if a.strip()]:
        found = c.gidx.serving(c.ingress.scope, c.scheme, alias, c.same, [], None)
        if found is None:
            out.append(Outcome(MISSING, f"alias {alias} of {c.host} is not served for "
                                        f"{c.path.path}", subject=alias))
        else:
            out.append(Outcome(PRESENT, f"alias {alias} served by {found.first.label()}",
                               [rel(found.first)], subject=alias))
    return out


# --- canary -----------------------------------------------------------------------------------
def _canary_backend(c: CheckInput) -> tuple[str | None, str, int | None]:
    b = c.path.backend if c.path else None
    if b is None:
        return None, "", None
    return b.namespace, b.name, resolve_port(c.gidx, c.ingress.scope, b)


def _service_dns_names(namespace: str | None, name: str) -> frozenset[str]:
    """The DNS names of a Service's cluster IP (Kubernetes DNS: `<service>.<ns>.svc.<zone>`,
    zone `cluster.local` by default), with and without the final dot."""
    base = f"{name}.{namespace or 'default'}.svc"
    names = {base, f"{base}.cluster.local"}
    return frozenset(names | {n + "." for n in names})


def _addresses(node: Any, names: frozenset[str], port: int | None, depth: int = 0) -> bool:
    """Whether a mapping of `node` holds one of `names` as a value next to `port` (or no port)."""
    if depth > 8:
        return False
    if isinstance(node, dict):
        if any(isinstance(v, str) and v.lower() in names for v in node.values()):
            own = as_int(node.get("port"))
            if port is None or own is None or own == port:
                return True
        return any(_addresses(v, names, port, depth + 1) for v in node.values())
    if isinstance(node, list):
        return any(_addresses(v, names, port, depth + 1) for v in node)
    return False


def service_vip_backend(ctx: Context, scope: str, ref_group: str, ref_kind: str,
                        ref_ns: str | None, ref_name: str, want: Backend,
                        want_port: int | None) -> bool:
    """Whether an implementation backend (an object of another kind than Service, in the files)
    addresses the Ingress backend's Service by its cluster DNS name and port: the Service's
    cluster IP, the same pods (how `service-upstream` is carried over)."""
    if not want.is_service or (ref_group, ref_kind) == ("", "Service"):
        return False
    obj = ctx.get(ObjKey(scope, ref_group, ref_kind, ref_ns, ref_name))
    if obj is None:
        return False
    return _addresses(obj.spec, _service_dns_names(want.namespace, want.name), want_port)


def resolve_port(gidx: GatewayIndex, scope: str, backend: Backend) -> int | None:
    """The port number of an Ingress backend (a port name resolved through the Service)."""
    if backend.port_number is not None:
        return backend.port_number
    svc = gidx.service(scope, backend.namespace, backend.name)
    for port in as_list(svc.spec.get("ports") if svc else []):
        port = as_dict(port)
        number = as_int(port.get("port"))
        if port.get("name") == backend.port_name and number is not None:
            return number
    return None


def _sends_to(s: Serving, ns: str | None, name: str, port: int | None) -> bool:
    return any(b.namespace == ns and b.name == name and b.weight > 0
               and (port is None or b.port == port) for b in s.backends())


def check_canary_weight(c: CheckInput) -> list[Outcome]:
    ns, name, port = _canary_backend(c)
    if not name:
        return [Outcome(SKIP, "no canary backend")]
    if not c.servings:
        return [Outcome(MISSING, "the main path is not served, so no rule splits it")]
    try:
        weight = float(c.ingress.annotation("canary-weight") or 0)
        total = float(c.ingress.annotation("canary-weight-total") or 100)
    except ValueError:
        return [Outcome(SKIP, "canary-weight is not a number")]
    want = weight / total if total > 0 else 0.0
    s = c.servings[0]
    backends = [b for b in s.backends() if b.weight > 0]
    sum_ = sum(b.weight for b in backends)
    got = sum(b.weight for b in backends if b.namespace == ns and b.name == name
              and (port is None or b.port == port)) / sum_ if sum_ else 0.0
    if want == 0 and got == 0:
        return [Outcome(PRESENT, "canary weight 0: no traffic to the canary")]
    if got == 0:
        return [Outcome(MISSING, f"{s.label()} does not send {want:.0%} of requests to the canary "
                                 f"Service {name} (no weighted backendRef)", [rel(s)])]
    if abs(got - want) > 0.005:
        return [Outcome(MISSING, f"{s.label()} sends {got:.1%} of requests to {name}, the "
                                 f"Ingress sent {want:.1%}", [rel(s)])]
    return [Outcome(PRESENT, f"{s.label()} sends {got:.0%} to {name}", [rel(s)])]


def _canary_entries(c: CheckInput, header: str, htype: str, value: str | None) -> list[Serving]:
    """Matches at the main path's host and path that require header `header` (and `value`)."""
    if c.canary_of is None and c.path is None:
        return []
    out: list[Serving] = []
    for h in host_candidates(c.host):
        for ptype, key in c.same:
            for s in c.gidx.at(c.ingress.scope, c.scheme, h, ptype, key):
                for name, t, v in s.conditions.headers:
                    if name == header.lower() and t == htype and (value is None or v == value):
                        out.append(s)
        if out:
            break
    return out


def check_canary_header(c: CheckInput) -> list[Outcome]:
    ns, name, port = _canary_backend(c)
    header = c.ingress.annotation("canary-by-header")
    if not name or not header:
        return [Outcome(SKIP, "canary-by-header is not set")]
    value = c.ingress.annotation("canary-by-header-value")
    pattern = c.ingress.annotation("canary-by-header-pattern")
    if value:
        htype, want = EXACT, value
    elif pattern:
        htype, want = REGEX, pattern
    else:
        htype, want = EXACT, "always"
    found = [s for s in _canary_entries(c, header, htype, want) if _sends_to(s, ns, name, port)]
    if found:
        return [Outcome(PRESENT, f"{found[0].label()} sends {header}: {want} to {name}",
                        [rel(found[0])])]
    return [Outcome(MISSING, f"no rule for this path matches header {header} ({htype} {want!r}) "
                             f"and sends it to the canary Service {name}",
                    [rel(s) for s in c.servings[:1]])]


def check_canary_cookie(c: CheckInput) -> list[Outcome]:
    ns, name, port = _canary_backend(c)
    cookie = c.ingress.annotation("canary-by-cookie")
    if not name or not cookie:
        return [Outcome(SKIP, "canary-by-cookie is not set")]
    found = [s for s in _canary_entries(c, "cookie", REGEX, None)
             if any(cookie in v for n, t, v in s.conditions.headers if n == "cookie")
             and _sends_to(s, ns, name, port)]
    if found:
        return [Outcome(PRESENT, f"{found[0].label()} matches the cookie {cookie}",
                        [rel(found[0])])]
    pol = policy_outcome(c, keywords=["cookie", "canary"])
    if pol.status == POLICY:
        return [pol]
    return [Outcome(NO_EQUIVALENT, f"no rule matches the Cookie header for {cookie}=always and "
                                   f"sends it to {name}; Gateway API has no cookie match")]


# --- Kong -------------------------------------------------------------------------------------
def _route_annotation(s: Serving, key: str) -> str | None:
    value = as_dict(s.route.metadata.get("annotations")).get(key)
    return value if isinstance(value, str) else None


def check_kong_strip_path(c: CheckInput) -> list[Outcome]:
    def has(s: Serving) -> bool:
        if (_route_annotation(s, "konghq.com/strip-path") or "").lower() == "true":
            return True
        for f in filters_of(s, "URLRewrite"):
            path = as_dict(as_dict(f.get("urlRewrite")).get("path"))
            if path.get("type") == "ReplacePrefixMatch" and path.get("replacePrefixMatch") == "/":
                return True
        return False
    return [_standard_or_policy(c, has, "URLRewrite filter replacePrefixMatch '/'")]


def check_kong_preserve_host(c: CheckInput) -> list[Outcome]:
    if c.value.strip().lower() != "false":
        return [Outcome(SKIP, "preserving the Host header is the default")]

    def has(s: Serving) -> bool:
        return (_route_annotation(s, "konghq.com/preserve-host") or "").lower() == "false" or \
            _host_header(s)
    return [_standard_or_policy(c, has, "URLRewrite hostname (the backend's own host)")]


def _only_to_path_backend(c: CheckInput, s: Serving) -> bool:
    """Whether every request the rule forwards goes to the Kong path's own backend."""
    ns, name, port = _canary_backend(c)
    live = [b for b in s.backends() if b.weight > 0]
    return bool(name) and bool(live) and all(
        (b.group, b.kind) == ("", "Service") and b.namespace == ns and b.name == name
        and (port is None or b.port == port) for b in live)


def _kong_split(c: CheckInput) -> tuple[list[Serving], list[Serving]]:
    """(unconditional rules that replace another Ingress's unconditional path at this host and
    path and forward to this path's backend, the other servings). Kong routes a request to the
    matching route with the most matching attributes (methods, headers), so the Ingress's
    conditional route and the other Ingress's route coexisted; with both going to one Service,
    a request the methods/headers match reaches that Service through either HTTPRoute rule."""
    if not c.shared:
        return [], c.servings
    shared = [s for s in c.servings if s.conditions.empty and _only_to_path_backend(c, s)]
    return shared, [s for s in c.servings if s not in shared]


def _shared_outcome(c: CheckInput, shared: Serving) -> Outcome:
    other = c.shared[0].ingress.resource.label()
    return Outcome(PRESENT, f"{shared.label()} (which replaces {other}, served at the same host "
                            "and path without conditions) forwards every request to the same "
                            "backend", [rel(shared)])


def check_kong_methods(c: CheckInput) -> list[Outcome]:
    want = {m.strip().upper() for m in c.value.split(",") if m.strip()}
    if not c.servings:
        return [Outcome(SKIP, "the path is not served")]
    shared, servings = _kong_split(c)
    if shared:
        return [_shared_outcome(c, shared[0])]
    got = {s.conditions.method for s in servings}
    if None in got:
        s = next(s for s in servings if s.conditions.method is None)
        return [Outcome(MISSING, f"{s.label()} matches every method, the Ingress only "
                                 f"{', '.join(sorted(want))}", [rel(s)])]
    if got != want:
        methods = ", ".join(sorted(m for m in got if m))
        return [Outcome(MISSING, f"the route matches methods {methods}, "
                                 f"the Ingress {', '.join(sorted(want))}",
                        [rel(servings[0])])]
    return [Outcome(PRESENT, f"method matches {', '.join(sorted(want))}", [rel(servings[0])])]


def check_kong_headers(c: CheckInput) -> list[Outcome]:
    """Several comma-separated values are alternatives (Kong matches a request carrying any one
    of them): each value needs a match of its own, or its requests lose their route."""
    name = c.key.split("/headers.", 1)[-1].lower()
    values = {v.strip() for v in c.value.split(",") if v.strip()}
    if not c.servings:
        return [Outcome(SKIP, "the path is not served")]
    shared, servings = _kong_split(c)
    if shared:
        return [_shared_outcome(c, shared[0])]
    lacking = [s for s in servings
               if not any(n == name and t == EXACT and v in values
                          for n, t, v in s.conditions.headers)]
    if lacking:
        return [Outcome(MISSING, f"{lacking[0].label()} does not require header {name} "
                                 f"({', '.join(sorted(values))})", [rel(lacking[0])])]
    matched = {v for s in servings for n, t, v in s.conditions.headers
               if n == name and t == EXACT}
    dropped = sorted(values - matched)
    if dropped:
        return [Outcome(MISSING, f"no match of {servings[0].route.label()} requires {name}: "
                                 f"{', '.join(dropped)} (the Ingress accepted any of "
                                 f"{', '.join(sorted(values))}): those requests lose their route",
                        [rel(servings[0])])]
    return [Outcome(PRESENT, f"header match {name}", [rel(servings[0])])]


def _plugin_on_route(c: CheckInput, s: Serving, plugin: str) -> bool:
    names = _route_annotation(s, KONG_PLUGINS_ANNOTATION)
    if names and plugin in plugin_names(names):
        return True
    for f in _rule_filters(s) + _backend_filters(s):
        ref = as_dict(f.get("extensionRef"))
        if (f.get("type") == "ExtensionRef" and ref.get("group") == KONG_GROUP
                and ref.get("kind") in ("KongPlugin", "KongClusterPlugin")
                and ref.get("name") == plugin):
            return True
    return False


def check_kong_plugins(c: CheckInput) -> list[Outcome]:
    out = []
    tbl = table()
    for name in plugin_names(c.value):
        obj = kong_plugin(c.ctx, c.ingress, name)
        ptype = as_str(obj.body.get("plugin")) if obj is not None else None
        entry = tbl.plugin(ptype) if ptype else None
        if not c.servings:
            out.append(Outcome(SKIP, "the path is not served", subject=name, entry=entry))
            continue
        lacking = [s for s in c.servings if not _plugin_on_route(c, s, name)]
        if not lacking:
            out.append(Outcome(PRESENT, f"KongPlugin {name} is attached to {c.servings[0].label()}",
                               [rel(c.servings[0])], subject=name, entry=entry))
            continue
        if obj is None or entry is None:
            what = f"KongPlugin {name}" + (f" ({ptype})" if ptype else "")
            o = policy_outcome(c, lacking, keywords=[ptype] if ptype else [], what=what)
            o.subject = name
            if o.status != POLICY:
                o.status = MISSING if obj is None else NO_EQUIVALENT
                o.detail = (f"{what} is not attached to {lacking[0].label()} and nothing replaces "
                            "it")
            out.append(o)
            continue
        sub = CheckInput(c.ctx, c.gidx, c.ingress, entry, c.key, c.value, c.path,
                         Lookup(c.lookup.how if c.lookup else "same", lacking), c.host, c.scheme,
                         c.same, plugin=obj)
        for o in CHECKERS[entry.check](sub):
            o.subject, o.entry = name, entry
            out.append(o)
    return out


def check_redirect_plugin(c: CheckInput) -> list[Outcome]:
    config = as_dict(c.plugin.body.get("config")) if c.plugin is not None else {}
    code = config.get("status_code", 301)
    location = as_str(config.get("location"), "") or ""

    def has(s: Serving) -> bool:
        for r in _redirects(s):
            if r.get("statusCode", 302) != code:
                continue
            host = urlsplit(location).hostname
            if host and (as_str(r.get("hostname")) or "").lower() != host.lower():
                continue
            return True
        return False
    return [_standard_or_policy(c, has, f"RequestRedirect ({code} to {location or 'the target'})")]


def check_request_transformer(c: CheckInput) -> list[Outcome]:
    config = as_dict(c.plugin.body.get("config")) if c.plugin is not None else {}
    needs_uri = bool(as_dict(config.get("replace")).get("uri"))
    needs_headers = any(as_dict(config.get(op)).get("headers")
                        for op in ("add", "append", "replace", "remove", "rename"))

    def has(s: Serving) -> bool:
        ok = True
        if needs_uri:
            ok = ok and _path_rewrite(s)
        if needs_headers or not needs_uri:
            ok = ok and bool(filters_of(s, "RequestHeaderModifier"))
        return ok
    return [_standard_or_policy(c, has, "RequestHeaderModifier/URLRewrite filters")]


def check_expectation(c: CheckInput) -> list[Outcome]:
    """Checks the path and redirect comparison makes itself (parity.py)."""
    return [Outcome(SKIP, "evaluated with the path")]


CHECKERS: dict[str, Callable[[CheckInput], list[Outcome]]] = {
    "none": check_none,
    "policy": check_policy,
    "url-rewrite": check_url_rewrite,
    "host-rewrite": check_host_rewrite,
    "request-header": check_request_header,
    "response-header": check_response_header,
    "timeouts": check_timeouts,
    "retry": check_retry,
    "session-persistence": check_session_persistence,
    "cors": check_cors,
    "external-auth": check_external_auth,
    "mirror": check_mirror,
    "backend-tls": check_backend_tls,
    "backend-protocol": check_backend_protocol,
    "service-upstream": check_service_upstream,
    "client-cert": check_client_cert,
    "app-root": check_app_root,
    "www-redirect": check_www_redirect,
    "hostnames": check_hostnames,
    "canary-weight": check_canary_weight,
    "canary-header": check_canary_header,
    "canary-cookie": check_canary_cookie,
    "kong-strip-path": check_kong_strip_path,
    "kong-preserve-host": check_kong_preserve_host,
    "kong-methods": check_kong_methods,
    "kong-headers": check_kong_headers,
    "kong-plugins": check_kong_plugins,
    "redirect-plugin": check_redirect_plugin,
    "request-transformer": check_request_transformer,
    "path-semantics": check_expectation,
    "https-redirect": check_expectation,
    "redirect": check_expectation,
    "passthrough": check_expectation,
    "canary": check_expectation,
}

# Checks decided once per Ingress host rather than per path.
HOST_CHECKS = frozenset({"app-root", "www-redirect"})
