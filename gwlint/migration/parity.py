"""Parity: do the Gateway API routes serve everything the Ingresses served?

For every Ingress path (host, path, pathType -> Service:port) gwlint derives what the
Ingress controller did with a request, per scheme, and looks the request up in what the routes
serve (`routes.GatewayIndex`, accepted attachments only):

* **ingress-nginx**: a TLS host (listed in `spec.tls` of any Ingress of the repository scope, or
  a rule host of an Ingress that has a `spec.tls` section at all: the controller gives such a
  host the certificate whose names cover it, else its default certificate) is served on HTTPS
  and HTTP requests are redirected to HTTPS (308) unless `ssl-redirect: "false"`;
  `force-ssl-redirect: "true"` redirects even without TLS; `permanent-redirect` /
  `temporal-redirect` answer with a redirect instead of the backend; `ssl-passthrough` hands the
  TLS connection to the Service (a TLSRoute on a Passthrough listener). Paths are regular
  expressions on hosts where any Ingress sets `use-regex` or `rewrite-target` (the controller
  enforces regex locations host-wide); ImplementationSpecific is otherwise a string prefix.
  Canary Ingresses add backends (weights, header/cookie rules) to the main Ingress's path.
* **Kong**: served on the protocols of `konghq.com/protocols` (default http and https: a TLS host
  is also served on plain HTTP); with `https` only, HTTP requests are redirected when
  `konghq.com/https-redirect-status-code` or `ingress.kubernetes.io/force-ssl-redirect` asks for
  it. ImplementationSpecific paths starting with `/~` are regular expressions. `methods` and
  `headers.*` restrict the matches.
* **other controllers**: served on HTTPS when the host has TLS, else on HTTP.

Match semantics: Ingress `Prefix` is element-wise like `PathPrefix` (a trailing `/` ignored);
`Exact` is `Exact`; regex paths need `RegularExpression` (implementation-specific). The same
path with another match type is reported as a semantics change; a request the route serves only
through a broader `PathPrefix` counts when it reaches the same backend.

Each `Result` carries the Ingress and the JSON path where a finding belongs and the serving (or
would-be serving) route as related locations. Every lookup is a dict access keyed by
(scope, scheme, hostname, match); nothing is compared pairwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gwlint.migration import default_backend, tls
from gwlint.migration import replacements as rp
from gwlint.migration.annotations import (EXPECTATION_CHECKS, KONG, NGINX, NGINX_INC, Replacement,
                                          table)
from gwlint.migration.ingress import Backend, IngressInfo, IngressPath, IngressTLS, read
from gwlint.migration.replacements import CheckInput, Outcome, Related, resolve_port
from gwlint.migration.results import (ANNOTATION_MISSING, ANNOTATION_NO_EQUIVALENT,
                                      ANNOTATION_OK, ANNOTATION_POLICY, ANNOTATION_UNCHECKED,
                                      BACKEND_DIFFERS, HTTPS_REDIRECT_MISSING, LISTENER_PORT,
                                      MATCH_DIFFERS, NOT_SERVED, REDIRECTED, SERVED, Parity, Result)
from gwlint.migration.routes import (BROADER, CONDITIONAL, EXACT, HTTP, HTTPS, OTHER_TYPE, PREFIX,
                                     REGEX, SAME, BackendRef, GatewayIndex, Lookup, Serving,
                                     gateway_index,
                                     host_candidates, prefix_key, regex_key)
from gwlint.model import FieldPath, Resource, as_list, as_str

if TYPE_CHECKING:
    from gwlint.context import Context

CACHE_KEY = "migration.parity"
GENERIC = "generic"

_REGEX_CHARS = frozenset("^$*+?()[]{}|\\")
_REDIRECT_CODES = (301, 302, 303, 307, 308)
# ingress-nginx's redirect annotations: (default status, highest valid `-code`); an invalid
# code falls back to the default (internal/ingress/annotations/redirect in ingress-nginx)
_NGINX_REDIRECTS = {"permanent-redirect": (301, 308), "temporal-redirect": (302, 307)}


@dataclass(slots=True)
class PathKeys:
    """The Gateway API matches equivalent to an Ingress path, and the near misses."""

    same: list[tuple[str, str]]
    other: list[tuple[str, str]]
    broader_of: str | None      # None: a regex, which no PathPrefix is known to cover
    regex: bool
    note: str | None = None     # a semantic difference that is not a problem


@dataclass(slots=True)
class Expect:
    """What the Ingress controller did with a request for the path on one scheme."""

    scheme: str
    action: str               # serve | redirect-https | redirect | passthrough
    code: int | None = None   # redirect status code (None: any)
    target: str | None = None  # redirect target URL
    primary: bool = True      # False: a secondary scheme (Kong serving HTTP beside HTTPS)
    source: str | None = None  # the annotation that asks for it


# Traefik: "true" makes the Ingress's routers TLS routers, served on HTTPS only without a
# spec.tls section (doc.traefik.io, Kubernetes Ingress routing configuration, annotations).
TRAEFIK_ROUTER_TLS = "traefik.ingress.kubernetes.io/router.tls"


# --- controller behaviour ---------------------------------------------------------------------
# the ports clients reach an Ingress controller on
DEFAULT_PORTS = {HTTP: 80, HTTPS: 443}
# checks of the Kong annotations that restrict a path to methods or header values
KONG_CONDITIONS = frozenset({"kong-methods", "kong-headers"})


def behaviour(info: IngressInfo) -> str:
    """ingress-nginx, kong, or generic: the controller, else what the annotations were written
    for (an Ingress without class whose annotations are all ingress-nginx ones)."""
    if info.provider in (NGINX, KONG, NGINX_INC):
        return info.provider
    tbl = table()
    providers = {p.name for p in (tbl.provider_of(k) for k in info.annotations) if p}
    return providers.pop() if len(providers) == 1 else GENERIC


def _redirect_code(info: IngressInfo, source: str) -> int:
    """The status of an ingress-nginx `permanent-redirect` / `temporal-redirect`: its `-code`
    annotation when valid, else the default."""
    default, highest = _NGINX_REDIRECTS[source]
    raw = (info.annotation(source + "-code") or "").strip()
    code = int(raw) if raw.isdigit() else 0
    return code if code in _REDIRECT_CODES and code <= highest else default


def _has_regex(path: str) -> bool:
    return any(ch in _REGEX_CHARS for ch in path)


_PREFIX_IDIOMS = ("(/|$)", "($|/)", "(?:/|$)", "(/.*)?", "(?:/.*)?", "(/.*|$)", "/?")


def _prefix_idiom(regex: str) -> str | None:
    """'/blog(/|$)(.*)' -> '/blog': a literal path followed by "a '/' or the end" matches
    exactly what PathPrefix '/blog' matches (ingress-nginx anchors regexes at the start)."""
    value = regex_key(regex)
    for suffix in _PREFIX_IDIOMS:
        head = value[: -len(suffix)] if value.endswith(suffix) else None
        if head and head.startswith("/") and not _has_regex(head):
            return head
    return None


def _literal_prefix(regex: str) -> tuple[str, str | None]:
    """The literal start of a path regex and the last whole path segment of it: '/api/v[0-9]+' ->
    ('/api/v', '/api'). The regex is anchored at the start (ingress-nginx `^`), so every path
    it matches is below that segment, and a PathPrefix covering the segment covers the regex."""
    value = regex.removeprefix("^")
    end = next((i for i, ch in enumerate(value) if ch in _REGEX_CHARS or ch == "."), len(value))
    literal = value[:end]
    if not literal.startswith("/"):
        return literal, None
    return literal, literal[: literal.rfind("/")] or "/"


def path_keys(ip: IngressPath, beh: str, regex_host: bool) -> PathKeys:
    """`regex_host`: ingress-nginx treats every path of the host as a regex."""
    p, t = ip.path, ip.effective_type
    regex_value = None
    kong_prefix = (ip.ingress.annotation("regex-prefix", KONG) or "/~") if beh == KONG else ""
    if beh == KONG and t == "ImplementationSpecific" and p.startswith(kong_prefix):
        regex_value = p[len(kong_prefix):]
    elif beh == NGINX and regex_host and t != "Exact" and _has_regex(p):
        regex_value = p
    if regex_value is not None:
        same = [(REGEX, regex_key(regex_value))]
        idiom = _prefix_idiom(regex_value)
        if idiom is not None:  # '/blog(/|$)(.*)' is exactly PathPrefix '/blog'
            same.append((PREFIX, prefix_key(idiom)))
        literal, directory = _literal_prefix(regex_value)
        other = [(PREFIX, prefix_key(regex_value)), (EXACT, regex_value)]
        if literal and (PREFIX, prefix_key(literal)) not in same + other:
            other.append((PREFIX, prefix_key(literal)))
        return PathKeys(same, other, directory, True)
    if t == "Exact":
        return PathKeys([(EXACT, p)], [(PREFIX, prefix_key(p)), (REGEX, regex_key(p))], p, False)
    same = [(PREFIX, prefix_key(p))]
    if regex_host or t == "ImplementationSpecific":
        same.append((REGEX, regex_key(p)))
    note = None
    if t == "ImplementationSpecific" and p != "/":
        note = (f"ImplementationSpecific '{p}' was a string prefix for the controller (it also "
                f"matched '{p.rstrip('/')}x...'); PathPrefix matches whole path segments")
    return PathKeys(same, [(EXACT, p)] + ([] if regex_host else [(REGEX, regex_key(p))]), p,
                    False, note)


# --- the computation --------------------------------------------------------------------------
def check(ctx: Context) -> Parity:
    """Parity of every Ingress of the run (computed once, cached in ctx.cache)."""
    parity = ctx.cache.get(CACHE_KEY)
    if parity is None:
        model = read(ctx)
        # a repository without Ingresses pays nothing: no Gateway index, no table
        parity = _Checker(ctx).run() if model.ingresses else Parity(model, [])
        ctx.cache[CACHE_KEY] = parity
    return parity


class _Checker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.model = read(ctx)
        self.gidx: GatewayIndex = gateway_index(ctx)
        self.tbl = table()
        self.results: list[Result] = []
        self.tls_hosts: dict[tuple[str, str], list[tuple[IngressInfo, IngressTLS, int]]] = \
            defaultdict(list)
        self.regex_hosts: set[tuple[str, str | None]] = set()
        # ingress-nginx gives every rule host of an Ingress with a spec.tls section a certificate
        # (the default one when no entry names the host), so it serves HTTPS and redirects HTTP
        self.nginx_tls_rule_hosts: set[tuple[str, str]] = set()
        # (scope, host, (path type, key)) -> the Ingress path canaries add backends to
        self.main_paths: dict[tuple[str, str | None, tuple[str, str]], IngressPath] = {}
        self.canaries: dict[int, list[IngressPath]] = defaultdict(list)  # id(main path) -> ...
        # (scope, host, (path type, key)) -> paths of Ingresses without Kong method/header
        # conditions (what serves the other requests of a Kong path that has them)
        self.unconditional: dict[tuple[str, str | None, tuple[str, str]], list[IngressPath]] = \
            defaultdict(list)
        # id(IngressPath) -> (keys, expectations, primary lookup)
        self.evaluated: dict[int, tuple[PathKeys, list[Expect], Lookup | None]] = {}
        self._behaviour: dict[int, str] = {}
        self.port_checked: set[tuple[int, str | None, str]] = set()  # _listener_port

    def beh(self, info: IngressInfo) -> str:
        b = self._behaviour.get(id(info))
        if b is None:
            b = self._behaviour[id(info)] = behaviour(info)
        return b

    def run(self) -> Parity:
        self._prepare()
        for info in self.model.ingresses:
            if self._is_canary(info):
                continue
            for ip in info.paths:
                self._evaluate_path(info, ip)
            self._https_redirects(info)
        for info in self.model.ingresses:
            if self._is_canary(info):
                self._evaluate_canary(info)
            self._annotations(info)
            tls.check(self.ctx, self.gidx, info, self._result)
            if not self._is_canary(info):
                default_backend.check(self.gidx, info, partial(self.scheme, info), self._result)
        return Parity(self.model, self.results)

    def _is_canary(self, info: IngressInfo) -> bool:
        return self.beh(info) == NGINX and info.flag("canary") is True

    # --- preparation --------------------------------------------------------------------------
    def _prepare(self) -> None:
        for info in self.model.ingresses:
            for t in info.tls:
                for h, host in t.hosts:
                    self.tls_hosts[(info.scope, host)].append((info, t, h))
            if info.tls and self.beh(info) == NGINX:
                self.nginx_tls_rule_hosts.update((info.scope, h) for h in info.hosts() if h)
            if self.beh(info) == NGINX and not self._is_canary(info) and (
                    info.flag("use-regex") is True or info.annotation("rewrite-target")):
                for rule_host in info.hosts():
                    self.regex_hosts.add((info.scope, rule_host))
        for info in self.model.ingresses:
            if self._is_canary(info):
                continue
            plain = self._acceptable(info) is None
            for ip in info.paths:
                keys = self._keys(info, ip)
                self.main_paths.setdefault((info.scope, ip.host, keys.same[0]), ip)
                if plain:
                    self.unconditional[(info.scope, ip.host, keys.same[0])].append(ip)
        for info in self.model.ingresses:
            if not self._is_canary(info):
                continue
            for ip in info.paths:
                main = self.main_paths.get((info.scope, ip.host, self._keys(info, ip).same[0]))
                if main is not None:
                    self.canaries[id(main)].append(ip)

    def _keys(self, info: IngressInfo, ip: IngressPath) -> PathKeys:
        return path_keys(ip, self.beh(info), (info.scope, ip.host) in self.regex_hosts)

    def scheme(self, info: IngressInfo, host: str | None) -> str:
        """The scheme a host of the Ingress was served on for every controller: HTTPS when an
        Ingress of the scope lists it in spec.tls."""
        return HTTPS if self.has_tls(info, host) else HTTP

    def has_tls(self, info: IngressInfo, host: str | None) -> bool:
        if host is None:
            return False
        if self.beh(info) == GENERIC and (
                info.annotations.get(TRAEFIK_ROUTER_TLS) or "").strip().lower() == "true":
            return True  # Traefik terminates TLS for the Ingress's routers (default certificate)
        if self.beh(info) == NGINX and (info.scope, host) in self.nginx_tls_rule_hosts:
            return True
        return any((info.scope, h) in self.tls_hosts for h in host_candidates(host)[:-1])

    # --- expectations -------------------------------------------------------------------------
    def expectations(self, info: IngressInfo, ip: IngressPath) -> list[Expect]:
        beh, tls = self.beh(info), self.has_tls(info, ip.host)
        if beh == NGINX:
            return self._nginx_expectations(info, tls)
        if beh == KONG:
            return self._kong_expectations(info, tls)
        if beh == NGINX_INC:
            return self._nginx_inc_expectations(info, tls)
        return [Expect(HTTPS if tls else HTTP, "serve")]

    def _nginx_inc_expectations(self, info: IngressInfo, tls: bool) -> list[Expect]:
        """NGINX Inc's controller: with TLS, HTTP is redirected (301) unless
        `nginx.org/ssl-redirect: "false"`; `nginx.org/redirect-to-https` redirects (301) the
        requests a TLS-terminating load balancer marks X-Forwarded-Proto http."""
        forced = info.flag("redirect-to-https", NGINX_INC) is True
        out = [Expect(HTTPS if tls or forced else HTTP, "serve")]
        if tls and info.flag("ssl-redirect", NGINX_INC) is not False:
            out.append(Expect(HTTP, "redirect-https", 301, source="nginx.org/ssl-redirect"))
        elif forced:
            out.append(Expect(HTTP, "redirect-https", 301, source="nginx.org/redirect-to-https"))
        return out

    def _nginx_expectations(self, info: IngressInfo, tls: bool) -> list[Expect]:
        if info.flag("ssl-passthrough") is True:
            return [Expect(HTTPS, "passthrough", source="ssl-passthrough")]
        forced = info.flag("force-ssl-redirect") is True
        primary = HTTPS if tls or forced else HTTP
        out = []
        # ingress-nginx reads temporal-redirect first: with both, the temporal one answers
        temporal = info.annotation("temporal-redirect")
        source = "temporal-redirect" if temporal else "permanent-redirect"
        target = temporal or info.annotation("permanent-redirect")
        if target:
            out.append(Expect(primary, "redirect", _redirect_code(info, source), target,
                              source=source))
        else:
            out.append(Expect(primary, "serve"))
        if primary == HTTPS and (forced or info.flag("ssl-redirect") is not False):
            out.append(Expect(HTTP, "redirect-https", 308,
                              source="force-ssl-redirect" if forced else "ssl-redirect"))
        return out

    def _kong_expectations(self, info: IngressInfo, tls: bool) -> list[Expect]:
        raw = info.annotation("protocols", KONG)
        protocols = {p.strip().lower() for p in raw.split(",")} if raw else {"http", "https"}
        out = []
        if tls and protocols & {"https", "grpcs"}:
            out.append(Expect(HTTPS, "serve"))
        if protocols & {"http", "grpc"}:
            out.append(Expect(HTTP, "serve", primary=not out))
        else:
            code_raw = info.annotation("https-redirect-status-code", KONG)
            code = int(code_raw) if code_raw and code_raw.strip().isdigit() else None
            forced = info.flag("ingress.kubernetes.io/force-ssl-redirect", KONG) is True
            if code in _REDIRECT_CODES or forced:
                out.append(Expect(HTTP, "redirect-https", code if code in _REDIRECT_CODES else 302,
                                  source="https-redirect-status-code" if code else
                                  "ingress.kubernetes.io/force-ssl-redirect"))
        if not any(e.action == "serve" for e in out):
            out.insert(0, Expect(HTTPS, "serve"))
        return out

    def _acceptable(self, info: IngressInfo) -> Callable[[Serving], bool] | None:
        """Which match conditions may serve the path: none, or (Kong) the methods and headers
        the Ingress itself requires."""
        if self.beh(info) != KONG:
            return None
        methods_raw = info.annotation("methods", KONG)
        methods = {m.strip().upper() for m in methods_raw.split(",")} if methods_raw else None
        prefix = table().providers[KONG].prefix + "headers."
        headers = {k[len(prefix):].lower(): {v.strip() for v in val.split(",")}
                   for k, val in info.annotations.items() if k.startswith(prefix)}
        if methods is None and not headers:
            return None

        def accept(s: Serving) -> bool:
            c = s.conditions
            if c.query or (c.method is not None and (methods is None or c.method not in methods)):
                return False
            return all(n in headers and t == EXACT and v in headers[n] for n, t, v in c.headers)
        return accept

    # --- one path -----------------------------------------------------------------------------
    def _evaluate_path(self, info: IngressInfo, ip: IngressPath) -> None:
        keys = self._keys(info, ip)
        exps = self.expectations(info, ip)
        primary_lookup: Lookup | None = None
        catch_all = ip.path in ("", "/") and ip.effective_type != "Exact"
        for exp in exps:
            if exp.action == "redirect-https":
                continue  # aggregated per host in _https_redirects
            if exp.action == "passthrough":
                self._passthrough(info, ip)
                continue
            lookup = self.gidx.serving(info.scope, exp.scheme, ip.host, keys.same, keys.other,
                                       keys.broader_of, self._acceptable(info))
            if exp.action == "redirect":
                self._redirect(info, ip, exp, lookup)
            else:
                self._serve(info, ip, exp, keys, lookup, catch_all)
            if lookup is not None and lookup.how != CONDITIONAL:
                self._listener_port(info, ip, exp, lookup.first)
            if exp.primary and primary_lookup is None:
                primary_lookup = lookup
        self.evaluated[id(ip)] = (keys, exps, primary_lookup)

    def _listener_port(self, info: IngressInfo, ip: IngressPath, exp: Expect, s: Serving) -> None:
        """Clients reached the Ingress controller on port 80 (HTTP) or 443 (HTTPS); a Gateway
        binds each listener to its addresses on the listener's port. A host served only through
        listeners on other ports needs a port mapping in front of the Gateway (outside the
        manifests), or its clients get no answer after the DNS switch. Once per Ingress, host
        and scheme."""
        key = (id(info), ip.host, exp.scheme)
        if key in self.port_checked:
            return
        self.port_checked.add(key)
        want = DEFAULT_PORTS[exp.scheme]
        listeners = self.gidx.listeners_of(s) or [s.listener]
        if any(ls.port in (want, None) for ls in listeners):
            return
        ls = listeners[0]
        gateway = ls.owner.label()
        where = ("spec", "rules", ip.rule_index) + (("host",) if ip.host else ())
        self._result(LISTENER_PORT, "warning",
                     f"{ip.host or 'any host'} is served on {exp.scheme.upper()} only through "
                     f"listener {ls.name} of {gateway} on port {ls.port}: clients reached the "
                     f"Ingress on port {want}", info, where,
                     related=[Related(f"listener {ls.name} listens on port {ls.port}", ls.owner,
                                      ls.path + ("port",))],
                     hint=f"a LoadBalancer/Service port mapping {want} -> {ls.port} in front of "
                          f"the Gateway must make up the difference, or listen on port {want}",
                     host=ip.host, scheme=exp.scheme)

    def _result(self, code: str, severity: str, message: str, info: IngressInfo, path: FieldPath,
                **kw: Any) -> Result:  # Result's optional fields
        r = Result(code, severity, message, info, path, **kw)
        self.results.append(r)
        return r

    def _serve(self, info: IngressInfo, ip: IngressPath, exp: Expect, keys: PathKeys,
               lookup: Lookup | None, catch_all: bool) -> None:
        where = f"{ip.host or 'any host'}{ip.path} ({ip.effective_type})"
        backend = self._backend_label(info, ip)
        common = {"host": ip.host, "scheme": exp.scheme, "ingress_path": ip,
                  "catch_all": catch_all}
        severity = "error" if exp.primary else "warning"
        if lookup is None or lookup.how == CONDITIONAL:
            grpc = self._grpc_serving(info, ip, exp.scheme)
            if grpc is not None:
                self._result(SERVED, "info", f"{where} is served by {grpc.label()}", info,
                             ip.json_path, related=[Related(f"served by {grpc.label()}", grpc,
                                                            ("spec",))], **common)
                return
        if lookup is None:
            why, related = self._why_not_served(info, ip, exp, keys)
            self._result(NOT_SERVED, severity,
                         f"{where} -> {backend} is not served on any {exp.scheme.upper()} "
                         f"listener: {why}", info, ip.json_path, related=related,
                         hint=self._hint_not_served(ip, keys, exp), **common)
            return
        s = lookup.first
        if lookup.how == CONDITIONAL:
            self._result(MATCH_DIFFERS, "warning",
                         f"{where} is served only for requests with {s.conditions.text()} by "
                         f"{s.label()}: other requests get 404", info, self._type_path(ip),
                         related=[rp.rel(s)], **common)
            return
        ok, detail = self._compare_backends(info, ip, s)
        if lookup.how == OTHER_TYPE or (keys.regex and lookup.how == BROADER):
            semantics = self._semantics(ip, s, keys.regex)
            self._result(MATCH_DIFFERS, "warning",
                         f"{where} is matched by {s.label()}: {semantics}",
                         info, self._type_path(ip), related=[rp.rel(s)],
                         hint=self._hint_match(ip, keys), **common)
            if ok:
                return
            # the other match type is one problem, the other backend a second one
        if not ok:
            via = " (through the broader match)" if lookup.how == BROADER else ""
            self._result(BACKEND_DIFFERS, severity,
                         f"{where} -> {backend} is served by {s.label()}{via}, which {detail}",
                         info, ip.json_path + ("backend",) if ip.backend else ip.json_path,
                         related=[Related(f"{s.label()} forwards here", s.route,
                                          s.rule_path + ("backendRefs",))],
                         hint=(f"add a rule matching {keys.same[0][0]} '{ip.path}' with "
                               f"backendRefs {backend}") if lookup.how == BROADER else None,
                         **common)
            return
        note = keys.note if lookup.how == SAME and s.ptype == PREFIX and keys.note else None
        self._result(SERVED, "info", f"{where} is served by {s.label()}"
                     + (" (through the broader match)" if lookup.how == BROADER else ""),
                     info, ip.json_path, related=[rp.rel(s)], hint=note, **common)

    def _backend_label(self, info: IngressInfo, ip: IngressPath) -> str:
        """"cart-api:http (8080)" when a port name resolves through the Service."""
        b = ip.backend
        if b is None:
            return "?"
        if b.port_name is not None and b.is_service:
            port = resolve_port(self.gidx, info.scope, b)
            if port is not None:
                return f"{b.label()} ({port})"
        return b.label()

    def _grpc_serving(self, info: IngressInfo, ip: IngressPath, scheme: str) -> Resource | None:
        proto = (info.annotation("backend-protocol") or "").upper()
        kong = info.annotation("protocols", KONG) or ""
        if proto not in ("GRPC", "GRPCS") and "grpc" not in kong.lower():
            return None
        for route, _att in self.gidx.grpc(info.scope, scheme, ip.host):
            return route
        return None

    def _why_not_served(self, info: IngressInfo, ip: IngressPath, exp: Expect,
                        keys: PathKeys) -> tuple[str, list[Related]]:
        other = HTTP if exp.scheme == HTTPS else HTTPS
        alt = self.gidx.serving(info.scope, other, ip.host, keys.same, keys.other,
                                keys.broader_of, self._acceptable(info))
        unattached = self.gidx.unattached(info.scope, ip.host, keys.same + keys.other)
        related = [Related(f"{u.route.label()} would serve it, but {u.reason}", u.route,
                           u.related_path) for u in unattached[:3]]
        if unattached:
            u = unattached[0]
            return f"{u.route.label()} would serve it, but {u.reason}", related
        if alt is not None and not rp._redirects(alt.first):
            related.append(rp.rel(alt.first, f"served on {other.upper()} only by "
                                               f"{alt.first.label()}"))
            return (f"{alt.first.label()} serves it only on {other.upper()} listeners"), related
        return "no HTTPRoute matches it", related

    def _hint_not_served(self, ip: IngressPath, keys: PathKeys, exp: Expect) -> str:
        ptype, _ = keys.same[0]
        value = ip.path
        if keys.regex and self.beh(ip.ingress) == KONG:
            prefix = ip.ingress.annotation("regex-prefix", KONG) or "/~"
            value = value[len(prefix):] if value.startswith(prefix) else value
        backend = ip.backend
        ref = (f"{{name: {backend.name}, port: {backend.port_number or backend.port_name}}}"
               if backend and backend.is_service else "the backend")
        host = f"hostnames: [{ip.host}], " if ip.host else ""
        return (f"an HTTPRoute attached to an {exp.scheme.upper()} listener: {host}rules: "
                f"[{{matches: [{{path: {{type: {ptype}, value: '{value}'}}}}], backendRefs: "
                f"[{ref}]}}]")

    @staticmethod
    def _type_path(ip: IngressPath) -> FieldPath:
        return ip.json_path + ("pathType",) if ip.path_type is not None else ip.json_path

    @staticmethod
    def _semantics(ip: IngressPath, s: Serving, regex: bool) -> str:
        t = ip.effective_type
        if regex and s.ptype != REGEX:
            return (f"the Ingress path '{ip.path}' is a regular expression; {s.ptype} "
                    f"'{s.value}' also matches paths it did not")
        if s.ptype == EXACT:
            return f"Exact matches only '{s.value}', the Ingress {t} '{ip.path}' also matched " \
                   "the paths below it"
        if s.ptype == PREFIX:
            return f"PathPrefix also matches the paths below '{s.value}', the Ingress {t} " \
                   f"'{ip.path}' did not"
        return f"RegularExpression '{s.value}' is implementation-specific; the Ingress path was " \
               f"{t} '{ip.path}'"

    @staticmethod
    def _hint_match(ip: IngressPath, keys: PathKeys) -> str:
        ptype, _ = keys.same[0]
        extra = " (implementation-specific; check the implementation's regex dialect)" \
            if ptype == REGEX else ""
        return f"match path type {ptype}{extra}"

    def _compare_backends(self, info: IngressInfo, ip: IngressPath,
                          s: Serving) -> tuple[bool, str]:
        """Whether the serving rule forwards to the Ingress backend (plus canaries only)."""
        if rp._redirects(s):
            return False, "redirects (RequestRedirect) instead of forwarding"
        expected = ip.backend
        if expected is None:
            return True, ""
        refs = s.backends()
        if not refs:
            return False, "has no backendRefs (requests get HTTP 500)"
        live = [b for b in refs if b.weight > 0]
        if not live:
            return False, "gives every backendRef weight 0 (requests get HTTP 500)"
        port = resolve_port(self.gidx, info.scope, expected)
        allowed = [(expected, port)] + [
            (c.backend, resolve_port(self.gidx, info.scope, c.backend))
            for c in self.canaries.get(id(ip), []) if c.backend is not None]

        def same(b: BackendRef, want: Backend, want_port: int | None) -> bool:
            if rp.service_vip_backend(self.ctx, s.route.scope, b.group, b.kind, b.namespace,
                                      b.name, want, want_port):
                return True  # an implementation backend addressing the Service's cluster IP
            return ((b.group, b.kind) == (want.group, want.kind) and b.namespace == want.namespace
                    and b.name == want.name
                    and (not want.is_service or want_port is None or b.port == want_port))

        if not any(same(b, expected, port) for b in live):
            names = ", ".join(b.label(s.route.namespace) for b in live)
            return False, f"forwards to {names} instead of {self._backend_label(info, ip)}"
        extra = [b for b in live if not any(same(b, w, p) for w, p in allowed)]
        if extra:
            total = sum(b.weight for b in live)
            share = sum(b.weight for b in extra) / total
            names = ", ".join(b.label(s.route.namespace) for b in extra)
            return False, f"also forwards {share:.0%} of requests to {names}"
        return True, ""

    # --- redirects ----------------------------------------------------------------------------
    def _redirect(self, info: IngressInfo, ip: IngressPath, exp: Expect,
                  lookup: Lookup | None) -> None:
        key = table().providers[NGINX].prefix + (exp.source or "")
        entry = self.tbl.lookup(key)
        where = f"{ip.host or 'any host'}{ip.path}"
        common = {"host": ip.host, "scheme": exp.scheme, "ingress_path": ip,
                  "annotation": key, "entry": entry}
        path = ("metadata", "annotations", key)
        target = urlsplit(exp.target or "")
        if lookup is None or lookup.how == CONDITIONAL:
            self._result(ANNOTATION_MISSING, "error",
                         f"{where} should answer {exp.code} redirect to {exp.target} "
                         f"({exp.source}), but no route serves it on {exp.scheme.upper()}",
                         info, path, hint=self._redirect_hint(exp), **common)
            return
        s = lookup.first
        for r in rp._redirects(s):
            code = r.get("statusCode", 302)
            host = as_str(r.get("hostname"))
            if code == exp.code and (not target.hostname or (host or "").lower()
                                     == target.hostname.lower()):
                self._result(REDIRECTED, "info", f"{where} is redirected by {s.label()}", info,
                             path, related=[rp.rel(s)], **common)
                return
            self._result(ANNOTATION_MISSING, "error",
                         f"{where} is redirected by {s.label()} with {code} to "
                         f"{host or 'the same host'}, the Ingress answered {exp.code} to "
                         f"{exp.target}", info, path, related=[rp.rel(s)],
                         hint=self._redirect_hint(exp), **common)
            return
        self._result(ANNOTATION_MISSING, "error",
                     f"{where} is forwarded by {s.label()} instead of answering {exp.code} "
                     f"redirect to {exp.target} ({exp.source})", info, path,
                     related=[rp.rel(s)], hint=self._redirect_hint(exp), **common)

    @staticmethod
    def _redirect_hint(exp: Expect) -> str:
        t = urlsplit(exp.target or "")
        parts = [f"statusCode: {exp.code}"]
        if t.scheme:
            parts.append(f"scheme: {t.scheme}")
        if t.hostname:
            parts.append(f"hostname: {t.hostname}")
        if t.path and t.path != "/":
            parts.append(f"path: {{type: ReplaceFullPath, replaceFullPath: {t.path}}}")
        return "filters: [{type: RequestRedirect, requestRedirect: {" + ", ".join(parts) + "}}]"

    def _https_redirects(self, info: IngressInfo) -> None:
        """One result per Ingress host whose HTTP requests were redirected to HTTPS."""
        by_host: dict[str | None, list[tuple[IngressPath, Expect]]] = defaultdict(list)
        for ip in info.paths:
            for exp in self.expectations(info, ip):
                if exp.action == "redirect-https":
                    by_host[ip.host].append((ip, exp))
        for host, items in by_host.items():
            redirected: list[Serving] = []
            served: list[tuple[IngressPath, Serving]] = []
            missing: list[IngressPath] = []
            exp = items[0][1]
            for ip, _ in items:
                keys = self._keys(info, ip)
                lookup = self.gidx.serving(info.scope, HTTP, host, keys.same, keys.other,
                                           keys.broader_of, lambda s: True)
                if lookup is None:
                    missing.append(ip)
                    continue
                s = lookup.first
                if any(str(r.get("scheme", "")).lower() == "https" for r in rp._redirects(s)):
                    redirected.append(s)
                else:
                    served.append((ip, s))
            path = self._redirect_location(info, host, exp)
            common = {"host": host, "scheme": HTTP, "annotation": self._redirect_annotation(exp)}
            if not served and not missing:
                self._result(REDIRECTED, "info",
                             f"HTTP requests for {host} are redirected to HTTPS by "
                             f"{redirected[0].label()}", info, path,
                             related=[rp.rel(redirected[0])], **common)
                continue
            why = (f"{len(served)} of {len(items)} paths are served in plain HTTP (e.g. "
                   f"{served[0][0].path} by {served[0][1].label()})" if served else
                   "no route on an HTTP listener serves it, so HTTP requests get 404 or a "
                   "refused connection")
            self._result(HTTPS_REDIRECT_MISSING, "warning",
                         f"{info.label()} redirected HTTP requests for {host} to HTTPS "
                         f"({exp.source}), the routes do not: {why}", info, path,
                         related=[rp.rel(s) for _, s in served[:3]],
                         hint=f"an HTTPRoute for {host} attached to the HTTP listener "
                              "(sectionName) with one rule: filters: [{type: RequestRedirect, "
                              "requestRedirect: {scheme: https, statusCode: "
                              f"{exp.code or 301}}}}}]",
                         **common)

    def _redirect_annotation(self, exp: Expect) -> str | None:
        if not exp.source:
            return None
        if "/" in exp.source:
            return exp.source
        prefix = table().providers[KONG if "https-redirect" in exp.source else NGINX].prefix
        return prefix + exp.source

    def _redirect_location(self, info: IngressInfo, host: str | None, exp: Expect) -> FieldPath:
        key = self._redirect_annotation(exp)
        if key and key in info.annotations:
            return ("metadata", "annotations", key)
        for t in info.tls:
            for h, th in t.hosts:
                if host is not None and th in host_candidates(host)[:-1]:
                    return ("spec", "tls", t.index, "hosts", h)
        first = next((ip for ip in info.paths if ip.host == host), None)
        return first.json_path if first else ("spec",)

    def _passthrough(self, info: IngressInfo, ip: IngressPath) -> None:
        where = f"{ip.host or 'any host'} (ssl-passthrough)"
        common = {"host": ip.host, "scheme": "tls", "ingress_path": ip}
        found = self.gidx.passthrough(info.scope, ip.host)
        b = ip.backend
        for route, _att in found:
            rule_refs = self.gidx.rule_refs(route)
            for r in range(len(as_list(route.spec.get("rules")))):
                if b is None or any(x.name == b.name and x.namespace == b.namespace
                                    for x in map(BackendRef.of, rule_refs.get(r, ()))):
                    self._result(SERVED, "info", f"{where} is passed through by "
                                 f"{route.label()}", info, ip.json_path,
                                 related=[Related(f"{route.label()}", route, ("spec",))], **common)
                    return
        self._result(NOT_SERVED, "error",
                     f"{where} -> {b.label() if b else '?'}: no TLSRoute on a TLS listener with "
                     "tls.mode Passthrough serves it", info, ip.json_path,
                     related=[Related(f"{r.label()} passes {ip.host} through to other backends",
                                      r, ("spec",)) for r, _ in found[:2]],
                     hint="a Gateway listener {protocol: TLS, tls: {mode: Passthrough}} and a "
                          "TLSRoute for the host", **common)

    # --- canaries -----------------------------------------------------------------------------
    def _evaluate_canary(self, info: IngressInfo) -> None:
        for ip in info.paths:
            keys = self._keys(info, ip)
            main = self.main_paths.get((info.scope, ip.host, keys.same[0]))
            if main is None:
                # no main Ingress path: ingress-nginx deletes the canary's backend ("unable to
                # find real backend for alternative backend"), so the path served nothing and
                # no route has to serve it
                self._result(SERVED, "info",
                             f"{ip.host or 'any host'}{ip.path} ({ip.effective_type}) was not "
                             "served by ingress-nginx: a canary path without a main Ingress "
                             "path has no effect", info, ip.json_path, host=ip.host,
                             ingress_path=ip)

    # --- annotations --------------------------------------------------------------------------
    def _annotations(self, info: IngressInfo) -> None:
        beh = self.beh(info)
        canary = self._is_canary(info)
        for key, value in info.annotations.items():
            entry = self.tbl.lookup(key)
            if entry is None:
                continue
            provider = self.tbl.provider_of(key)
            if beh in (NGINX, KONG, NGINX_INC) and provider is not None and provider.name != beh:
                continue  # ingress.py reports it as ignored
            if entry.check in EXPECTATION_CHECKS or not entry.applies(value):
                continue
            if entry.with_:
                head = self.tbl.annotations.get(entry.with_)
                if head is not None and head.check == entry.check:
                    continue  # evaluated with the annotation it configures
            if canary and not entry.check.startswith("canary") and entry.check not in (
                    "session-persistence", "policy", "service-upstream"):
                continue  # a canary inherits everything else from the main Ingress
            self._annotation(info, key, value, entry, canary)

    def _inputs(self, info: IngressInfo, key: str, value: str, entry: Replacement,
                canary: bool) -> Iterator[CheckInput]:
        if entry.check in rp.HOST_CHECKS:
            for host in info.hosts():
                tls = self.has_tls(info, host)
                yield CheckInput(self.ctx, self.gidx, info, entry, key, value, None, None, host,
                                 HTTPS if tls else HTTP)
            return
        services = _named_services(value) if entry.per_service else None
        for ip in info.paths:
            if services is not None and (ip.backend is None or ip.backend.name not in services):
                continue  # the annotation names other Services
            main = ip
            if canary:
                found = self.main_paths.get((info.scope, ip.host, self._keys(info, ip).same[0]))
                if found is None:
                    continue
                main = found
            state = self.evaluated.get(id(main))
            if state is None:
                continue
            keys, exps, lookup = state
            scheme = next((e.scheme for e in exps if e.primary), HTTP)
            if lookup is not None and lookup.how == CONDITIONAL and \
                    entry.check not in KONG_CONDITIONS:
                lookup = None
            shared = [p for p in self.unconditional.get((info.scope, ip.host, keys.same[0]), ())
                      if p.ingress is not info] if entry.check in KONG_CONDITIONS else []
            yield CheckInput(self.ctx, self.gidx, info, entry, key, value, ip, lookup, ip.host,
                             scheme, keys.same, canary_of=main if canary else None,
                             shared=shared)

    def _annotation(self, info: IngressInfo, key: str, value: str, entry: Replacement,
                    canary: bool) -> None:
        outcomes: dict[str | None, list[tuple[CheckInput, Outcome]]] = defaultdict(list)
        for c in self._inputs(info, key, value, entry, canary):
            for o in rp.CHECKERS[entry.check](c):
                outcomes[o.subject].append((c, o))
        path = ("metadata", "annotations", key)
        if not outcomes:
            outcomes[None] = []
        for subject, items in outcomes.items():
            row = next((o.entry for _, o in items if o.entry is not None), None) or entry
            status = _worst([o.status for _, o in items])
            what = f"{key}" + (f" ({subject})" if subject else "")
            common = {"annotation": key, "subject": subject, "entry": row}
            if status == rp.NO_EQUIVALENT or entry.check == "none":
                first = next(((c, o) for c, o in items if o.status == rp.NO_EQUIVALENT), None)
                ne = first[1] if first else None
                detail = ne.detail if ne else "no Gateway API equivalent"
                self._result(ANNOTATION_NO_EQUIVALENT, row.severity,
                             f"{what}: {row.replacement} — {detail}", info, path,
                             related=ne.related if ne else [], hint=row.note or row.doc_url,
                             host=first[0].host if first else None,
                             ingress_path=first[0].path if first else None, **common)
            elif status == rp.MISSING:
                bad = [(c, o) for c, o in items if o.status == rp.MISSING]
                c, o = bad[0]
                scope = f" ({len(bad)} of {len(items)} paths)" if len(items) > 1 else ""
                self._result(ANNOTATION_MISSING, row.severity,
                             f"{what} is not migrated{scope}: {o.detail}; replace it with "
                             f"{row.replacement}", info, path, related=o.related,
                             hint=row.note or row.doc_url, host=c.host,
                             ingress_path=c.path, **common)
            elif status == rp.POLICY:
                o = next(o for _, o in items if o.status == rp.POLICY)
                self._result(ANNOTATION_POLICY, "info", f"{what}: {o.detail}", info, path,
                             related=o.related, **common)
            elif status == rp.PRESENT:
                o = next(o for _, o in items if o.status == rp.PRESENT)
                self._result(ANNOTATION_OK, "info", f"{what}: {o.detail}", info, path,
                             related=o.related, **common)
            else:
                self._result(ANNOTATION_UNCHECKED, "info",
                             f"{what}: not checked (no route serves its paths)", info, path,
                             **common)


def _named_services(value: str) -> frozenset[str]:
    """The Services an NGINX Inc per-Service annotation names: `svc-a,svc-b`, or
    `serviceName=svc-a rewrite=/;serviceName=svc-b rewrite=/b/` (nginx.org/rewrites)."""
    names = set()
    for part in value.replace(";", ",").split(","):
        for word in part.split():
            if word.startswith("serviceName="):
                names.add(word.removeprefix("serviceName="))
                break
        else:
            if part.strip() and "=" not in part:
                names.add(part.strip())
    return frozenset(names)


_ORDER = {rp.MISSING: 4, rp.NO_EQUIVALENT: 3, rp.POLICY: 2, rp.PRESENT: 1, rp.SKIP: 0}


def _worst(statuses: list[str]) -> str:
    return max(statuses, key=lambda s: _ORDER.get(s, 0)) if statuses else rp.SKIP
