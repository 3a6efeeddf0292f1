"""The conformance features and the constructs that need them, as data.

Feature names are those of the Gateway API conformance suite (`pkg/features` in
kubernetes-sigs/gateway-api), which implementations list as `supportedFeatures` /
`unsupportedFeatures` in their conformance reports. Sources (stored versions read for this
table; `GW` = github.com/kubernetes-sigs/gateway-api):

* `GW pkg/features/httproute.go` @08f9e3bb: HTTPRoute core and 23 extended features;
  `gateway.go` @0756f491: Gateway and its extended features; `grpcroute.go` @25b5ff03;
  `tlsroute.go` @2eca6bf4 (TLSRoute) and a later version adding TLSRouteModeTerminate;
  `tcproute.go` @166d70f8; `udproute.go`, `referencegrant.go` @2eca6bf4; `mesh.go` @18bb1f8f;
  `backendtlspolicy.go` @364b17fc; `backend.go` @4a734a85; `serviceimport.go` @95b6febe.
* `GW conformance/utils/suite/profiles.go` @018537d2: the core features each conformance profile
  implies (a report lists only extended features; passing a profile's core tests *is* the claim
  of its core features).
* Names newer than the stored `pkg/features` (HTTPRouteRetry*, HTTPRouteBackendRequestRedirect,
  HTTPRouteBackendURLRewrite, ListenerSet, TLSRouteModeMixed, the GATEWAY-UDP profile) from the
  conformance tests that use them (`GW conformance/tests/httproute-backend-request-redirect.go`,
  `httproute-backend-url-rewrite.go`, GEP-1731 "Conformance Details") and the bundled reports.

`since` is the first Gateway API release whose published conformance results list the feature:
the gateway-api.sigs.k8s.io `implementations/v1.0` .. `v1.2` tables for the older ones, the
bundled reports (v1.3.0 and later) for the rest; `v1.0.0` means "v1.0.0 or earlier", None
"not in any bundled report". A test checks it against the bundled reports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from gwlint.model import FieldPath, as_int

CORE = "core"
EXTENDED = "extended"

GATEWAY = "gateway"  # a construct served by the Gateway's implementation
MESH = "mesh"        # a construct of a route whose parent is a Service (GAMMA)


@dataclass(frozen=True, slots=True)
class Feature:
    """One conformance feature: support level, first release reported, what it covers."""

    name: str
    level: str                      # CORE | EXTENDED
    since: str | None               # first Gateway API release whose conformance results list it
    summary: str
    source: str                     # where the name is defined or tested
    implied_by: tuple[str, ...] = ()  # profiles whose core includes it


def _f(name: str, level: str, since: str | None, summary: str, source: str,
       implied_by: tuple[str, ...] = ()) -> Feature:
    return Feature(name, level, since, summary, source, implied_by)


_GATEWAY_PROFILES = ("GATEWAY-HTTP", "GATEWAY-TLS", "GATEWAY-GRPC", "GATEWAY-TCP", "GATEWAY-UDP")
_HTTPROUTE = "pkg/features/httproute.go"
_GATEWAY = "pkg/features/gateway.go"
_MESH = "pkg/features/mesh.go"
_BACKEND = "pkg/features/backend.go"
_REPORTS = "bundled conformance reports"

FEATURES: Mapping[str, Feature] = MappingProxyType({f.name: f for f in (
    # ---- core: claimed by passing a profile's core tests
    _f("Gateway", CORE, "v1.0.0", "Gateway and its listeners", _GATEWAY, _GATEWAY_PROFILES),
    _f("HTTPRoute", CORE, "v1.0.0", "HTTPRoute", _HTTPROUTE, ("GATEWAY-HTTP", "MESH-HTTP")),
    _f("ReferenceGrant", CORE, "v1.0.0", "cross-namespace references allowed by ReferenceGrant",
       "pkg/features/referencegrant.go", ("GATEWAY-HTTP", "GATEWAY-TLS", "GATEWAY-GRPC")),
    _f("GRPCRoute", CORE, "v1.0.0", "GRPCRoute", "pkg/features/grpcroute.go",
       ("GATEWAY-GRPC", "MESH-GRPC")),
    _f("TLSRoute", CORE, "v1.0.0", "TLSRoute", "pkg/features/tlsroute.go", ("GATEWAY-TLS",)),
    _f("TCPRoute", CORE, "v1.6.1", "TCPRoute", "pkg/features/tcproute.go", ("GATEWAY-TCP",)),
    _f("UDPRoute", CORE, "v1.6.1", "UDPRoute", "pkg/features/udproute.go", ("GATEWAY-UDP",)),
    _f("Mesh", CORE, "v1.0.0", "routes attached to a Service (service mesh, GAMMA)", _MESH,
       ("MESH-HTTP", "MESH-GRPC")),
    _f("BackendTLSPolicy", CORE, "v1.4.0", "BackendTLSPolicy (TLS from the Gateway to backends; "
       "listed among GATEWAY-HTTP's extended features)", "pkg/features/backendtlspolicy.go"),
    _f("Backend", CORE, None, "the experimental XBackend kind", _BACKEND),
    # ---- HTTPRoute extended
    _f("HTTPRouteQueryParamMatching", EXTENDED, "v1.0.0", "query parameter matching", _HTTPROUTE),
    _f("HTTPRouteMethodMatching", EXTENDED, "v1.0.0", "HTTP method matching", _HTTPROUTE),
    _f("HTTPRouteResponseHeaderModification", EXTENDED, "v1.0.0",
       "ResponseHeaderModifier filter", _HTTPROUTE),
    _f("HTTPRoutePortRedirect", EXTENDED, "v1.0.0", "requestRedirect.port", _HTTPROUTE),
    _f("HTTPRouteSchemeRedirect", EXTENDED, "v1.0.0", "requestRedirect.scheme", _HTTPROUTE),
    _f("HTTPRoutePathRedirect", EXTENDED, "v1.0.0", "requestRedirect.path", _HTTPROUTE),
    _f("HTTPRouteHostRewrite", EXTENDED, "v1.0.0", "urlRewrite.hostname", _HTTPROUTE),
    _f("HTTPRoutePathRewrite", EXTENDED, "v1.0.0", "urlRewrite.path", _HTTPROUTE),
    _f("HTTPRouteRequestMirror", EXTENDED, "v1.0.0", "RequestMirror filter", _HTTPROUTE),
    _f("HTTPRouteRequestMultipleMirrors", EXTENDED, "v1.0.0",
       "several RequestMirror filters in one rule", _HTTPROUTE),
    _f("HTTPRouteRequestTimeout", EXTENDED, "v1.0.0", "timeouts.request", _HTTPROUTE),
    _f("HTTPRouteBackendTimeout", EXTENDED, "v1.0.0", "timeouts.backendRequest", _HTTPROUTE),
    _f("HTTPRouteParentRefPort", EXTENDED, "v1.0.0", "parentRefs[].port", _HTTPROUTE),
    _f("HTTPRouteBackendRequestHeaderModification", EXTENDED, "v1.1.0",
       "RequestHeaderModifier filter on a backendRef", _HTTPROUTE),
    _f("HTTPRouteBackendProtocolH2C", EXTENDED, "v1.1.0",
       "backend Service port with appProtocol kubernetes.io/h2c", _HTTPROUTE),
    _f("HTTPRouteBackendProtocolWebSocket", EXTENDED, "v1.1.0",
       "backend Service port with appProtocol kubernetes.io/ws or kubernetes.io/wss", _HTTPROUTE),
    _f("HTTPRouteDestinationPortMatching", EXTENDED, "v1.2.0",
       "routing by destination port (GEP-957); detected on mesh parentRefs with a port",
       _HTTPROUTE),
    _f("HTTPRouteRequestPercentageMirror", EXTENDED, "v1.3.0",
       "requestMirror.percent / fraction", _HTTPROUTE),
    _f("HTTPRouteNamedRouteRule", EXTENDED, "v1.4.0", "rules[].name", _HTTPROUTE),
    _f("HTTPRouteCORS", EXTENDED, "v1.4.0", "CORS filter", _HTTPROUTE),
    _f("HTTPRoute303RedirectStatusCode", EXTENDED, "v1.4.0", "requestRedirect.statusCode 303",
       _HTTPROUTE),
    _f("HTTPRoute307RedirectStatusCode", EXTENDED, "v1.4.0", "requestRedirect.statusCode 307",
       _HTTPROUTE),
    _f("HTTPRoute308RedirectStatusCode", EXTENDED, "v1.4.0", "requestRedirect.statusCode 308",
       _HTTPROUTE),
    _f("HTTPRouteRetry", EXTENDED, "v1.6.0", "rules[].retry (attempts, backoff)",
       "GEP-1731 Conformance Details; " + _REPORTS),
    _f("HTTPRouteRetryBackendTimeout", EXTENDED, "v1.6.0",
       "retrying requests that exceed timeouts.backendRequest",
       "GEP-1731 Conformance Details; " + _REPORTS),
    _f("HTTPRouteRetryConnectionError", EXTENDED, "v1.6.0",
       "retrying on connection errors (behaviour of any retry stanza; not detected)",
       "GEP-1731 Conformance Details; " + _REPORTS),
    _f("HTTPRouteBackendRequestRedirect", EXTENDED, "v1.6.0",
       "RequestRedirect filter on a backendRef",
       "conformance/tests/httproute-backend-request-redirect.go"),
    _f("HTTPRouteBackendURLRewrite", EXTENDED, "v1.6.0", "URLRewrite filter on a backendRef",
       "conformance/tests/httproute-backend-url-rewrite.go"),
    # ---- any route kind, extended
    _f("ServiceImport", EXTENDED, None, "backendRefs to a multi-cluster ServiceImport (a union "
       "feature: with every route feature the implementation claims)",
       "pkg/features/serviceimport.go"),
    # ---- Gateway extended
    _f("GatewayPort8080", EXTENDED, "v1.1.0",
       "HTTP(S) listener on a port other than 80/443 (the suite tests 8080)", _GATEWAY),
    _f("GatewayStaticAddresses", EXTENDED, "v1.1.0", "spec.addresses with values", _GATEWAY),
    _f("GatewayHTTPListenerIsolation", EXTENDED, "v1.1.0",
       "listeners on one port whose hostnames overlap: requests reach only the most specific",
       _GATEWAY),
    _f("GatewayInfrastructurePropagation", EXTENDED, "v1.2.0",
       "spec.infrastructure.labels / annotations", _GATEWAY),
    _f("GatewayAddressEmpty", EXTENDED, "v1.3.0", "spec.addresses entry without a value",
       _GATEWAY),
    _f("GatewayHTTPSListenerDetectMisdirectedRequests", EXTENDED, "v1.5.0",
       "HTTPS listeners on one port that one connection can reach (421 Misdirected Request "
       "for another listener's host)", _GATEWAY),
    _f("GatewayBackendClientCertificate", EXTENDED, "v1.5.0",
       "client certificate for connections to backends", _GATEWAY),
    _f("GatewayFrontendClientCertificateValidation", EXTENDED, "v1.5.0",
       "client certificate validation (mTLS) on listeners", _GATEWAY),
    _f("GatewayFrontendClientCertificateValidationInsecureFallback", EXTENDED, "v1.5.0",
       "client certificate validation mode AllowInsecureFallback", _GATEWAY),
    _f("ListenerSet", EXTENDED, "v1.5.0", "ListenerSet (GatewayListenerSet in older pkg/features)",
       _GATEWAY + "; " + _REPORTS),
    # ---- TLSRoute extended
    _f("TLSRouteModeTerminate", EXTENDED, "v1.5.0", "TLS listener that terminates (mode Terminate)",
       "pkg/features/tlsroute.go"),
    _f("TLSRouteModeMixed", EXTENDED, "v1.5.0",
       "TLS listeners of both modes (Terminate, Passthrough) on one port", _REPORTS),
    # ---- GRPCRoute extended
    _f("GRPCRouteNamedRouteRule", EXTENDED, None, "GRPCRoute rules[].name",
       "pkg/features/grpcroute.go"),
    # ---- BackendTLSPolicy extended
    _f("BackendTLSPolicySANValidation", EXTENDED, "v1.4.0", "validation.subjectAltNames",
       "pkg/features/backendtlspolicy.go"),
    _f("BackendTLSPolicyClusterTrustBundle", EXTENDED, None,
       "validation.caCertificateRefs to a ClusterTrustBundle", "pkg/features/backendtlspolicy.go"),
    _f("GatewayFrontendClusterTrustBundle", EXTENDED, None,
       "frontend validation caCertificateRefs to a ClusterTrustBundle",
       "pkg/features/backendtlspolicy.go"),
    # ---- Mesh extended
    _f("MeshClusterIPMatching", EXTENDED, "v1.1.0",
       "matching Service traffic by cluster IP (behaviour; not detected)", _MESH),
    _f("MeshConsumerRoute", EXTENDED, "v1.1.0",
       "route for a Service in another namespace (consumer route)", _MESH),
    _f("MeshHTTPRouteQueryParamMatching", EXTENDED, "v1.3.0", "query parameter matching (mesh)",
       _MESH),
    _f("MeshHTTPRouteRedirectPort", EXTENDED, "v1.3.0", "requestRedirect.port (mesh)", _MESH),
    _f("MeshHTTPRouteSchemeRedirect", EXTENDED, "v1.3.0", "requestRedirect.scheme (mesh)", _MESH),
    _f("MeshHTTPRouteRedirectPath", EXTENDED, "v1.3.0", "requestRedirect.path (mesh)", _MESH),
    _f("MeshHTTPRouteRewritePath", EXTENDED, "v1.3.0", "urlRewrite.path (mesh)", _MESH),
    _f("MeshHTTPRouteBackendRequestHeaderModification", EXTENDED, "v1.3.0",
       "RequestHeaderModifier on a backendRef (mesh)", _MESH),
    _f("MeshHTTPRouteNamedRouteRule", EXTENDED, "v1.4.0", "rules[].name (mesh)", _MESH),
    # ---- Backend (XBackend) extended
    _f("BackendExternalHostname", EXTENDED, None, "XBackend external hostname", _BACKEND),
    _f("BackendTLS", EXTENDED, None, "XBackend spec.tls", _BACKEND),
    _f("BackendProtocolHTTP2", EXTENDED, None, "XBackend protocol HTTP2", _BACKEND),
    _f("BackendProtocolTCP", EXTENDED, None, "XBackend protocol TCP", _BACKEND),
    _f("BackendProtocolMCP", EXTENDED, None, "XBackend protocol MCP", _BACKEND),
)})

# profile -> the core features passing it claims (conformance/utils/suite/profiles.go; the
# GATEWAY-UDP profile by analogy with GATEWAY-TCP, as the v1.6 reports run it)
PROFILE_CORE: Mapping[str, frozenset[str]] = MappingProxyType({
    profile: frozenset(f.name for f in FEATURES.values() if profile in f.implied_by)
    for profile in ("GATEWAY-HTTP", "GATEWAY-TLS", "GATEWAY-GRPC", "GATEWAY-TCP", "GATEWAY-UDP",
                    "MESH-HTTP", "MESH-GRPC")
})


# ------------------------------------------------------------------------------ constructs

ANY = "[]"  # pattern step: every item of a list


@dataclass(frozen=True, slots=True)
class Where:
    """Pattern step: the items of a list whose `field` equals `value` (filters by `type`)."""

    field: str
    value: str


def given(value: Any) -> bool:
    """Set by the user: not null, not an empty string, list or mapping."""
    return value is not None and value != "" and value != [] and value != {}


def absent(value: Any) -> bool:
    return not given(value)


@dataclass(frozen=True, slots=True)
class Construct:
    """One construct -> the feature it needs.

    Simple constructs are a `pattern` (dict keys, `ANY`, `Where`) from the object's root and a
    `test` on the value found there; the finding points at that value plus `suffix`. The rest
    (`pattern` None) are detected by the named function in `detection.py`: groups of listeners,
    per-parentRef kinds, Service lookups. `mesh` is the feature name for routes attached to a
    Service (the suite's Mesh* variants); None means the construct does not apply to mesh routes.
    """

    id: str
    kinds: tuple[str, ...]
    feature: str
    label: str
    pattern: tuple[str | Where, ...] | None = None
    test: Callable[[Any], bool] = given
    suffix: FieldPath = ()
    mesh: str | None = ""  # "" = same name as `feature`
    cite: str = ""

    @property
    def mesh_feature(self) -> str | None:
        return self.feature if self.mesh == "" else self.mesh


_HR = ("HTTPRoute",)
_GW = ("Gateway",)
_LISTENERS = ("Gateway", "ListenerSet", "XListenerSet")
_RULE = ("spec", "rules", ANY)
_FILTERS = _RULE + ("filters",)
_BACKEND_FILTERS = _RULE + ("backendRefs", ANY, "filters")
_MIRROR = Where("type", "RequestMirror")
_REDIRECT = Where("type", "RequestRedirect")
_REWRITE = Where("type", "URLRewrite")


def _equals(expected: Any) -> Callable[[Any], bool]:
    return lambda value: value == expected and type(value) is type(expected)


def _mirrors(filters: Any) -> bool:
    return isinstance(filters, list) and sum(
        1 for f in filters if isinstance(f, dict) and f.get("type") == "RequestMirror") > 1


def _retry_with_backend_timeout(rule: Any) -> bool:
    if not isinstance(rule, dict):
        return False
    timeouts = rule.get("timeouts")
    return given(rule.get("retry")) and isinstance(timeouts, dict) and given(
        timeouts.get("backendRequest"))


def _http_port_not_default(listener: Any) -> bool:
    return (isinstance(listener, dict) and listener.get("protocol") in ("HTTP", "HTTPS")
            and as_int(listener.get("port")) not in (None, 80, 443))


def _tls_terminate(listener: Any) -> bool:
    if not isinstance(listener, dict):
        return False
    tls = listener.get("tls")
    return (listener.get("protocol") == "TLS" and isinstance(tls, dict)
            and tls.get("mode", "Terminate") == "Terminate")


def _filter_constructs(prefix: tuple[str | Where, ...], scope: str) -> tuple[Construct, ...]:
    """Filter constructs at rule level ("rule") or backendRef level ("backend")."""
    at = "" if scope == "rule" else "backendRefs[]."
    fid = "" if scope == "rule" else "backend-"
    return (
        Construct(f"{fid}response-header-modifier", _HR, "HTTPRouteResponseHeaderModification",
                  f"{at}filters[] ResponseHeaderModifier",
                  prefix + (Where("type", "ResponseHeaderModifier"),), cite=_HTTPROUTE),
        Construct(f"{fid}request-mirror", _HR, "HTTPRouteRequestMirror",
                  f"{at}filters[] RequestMirror", prefix + (_MIRROR,), cite=_HTTPROUTE),
        Construct(f"{fid}request-mirror-percent", _HR, "HTTPRouteRequestPercentageMirror",
                  f"{at}filters[].requestMirror.percent",
                  prefix + (_MIRROR, "requestMirror", "percent"), cite=_HTTPROUTE),
        Construct(f"{fid}request-mirror-fraction", _HR, "HTTPRouteRequestPercentageMirror",
                  f"{at}filters[].requestMirror.fraction",
                  prefix + (_MIRROR, "requestMirror", "fraction"), cite=_HTTPROUTE),
        Construct(f"{fid}multiple-mirrors", _HR, "HTTPRouteRequestMultipleMirrors",
                  f"{at}filters[] with several RequestMirror", prefix, _mirrors, cite=_HTTPROUTE),
        Construct(f"{fid}redirect-port", _HR, "HTTPRoutePortRedirect",
                  f"{at}filters[].requestRedirect.port",
                  prefix + (_REDIRECT, "requestRedirect", "port"),
                  mesh="MeshHTTPRouteRedirectPort", cite=_HTTPROUTE + "; " + _MESH),
        Construct(f"{fid}redirect-scheme", _HR, "HTTPRouteSchemeRedirect",
                  f"{at}filters[].requestRedirect.scheme",
                  prefix + (_REDIRECT, "requestRedirect", "scheme"),
                  mesh="MeshHTTPRouteSchemeRedirect", cite=_HTTPROUTE + "; " + _MESH),
        Construct(f"{fid}redirect-path", _HR, "HTTPRoutePathRedirect",
                  f"{at}filters[].requestRedirect.path",
                  prefix + (_REDIRECT, "requestRedirect", "path"),
                  mesh="MeshHTTPRouteRedirectPath", cite=_HTTPROUTE + "; " + _MESH),
        *(Construct(f"{fid}redirect-{code}", _HR, f"HTTPRoute{code}RedirectStatusCode",
                    f"{at}filters[].requestRedirect.statusCode {code}",
                    prefix + (_REDIRECT, "requestRedirect", "statusCode"), _equals(code),
                    cite=_HTTPROUTE) for code in (303, 307, 308)),
        Construct(f"{fid}rewrite-hostname", _HR, "HTTPRouteHostRewrite",
                  f"{at}filters[].urlRewrite.hostname",
                  prefix + (_REWRITE, "urlRewrite", "hostname"), cite=_HTTPROUTE),
        Construct(f"{fid}rewrite-path", _HR, "HTTPRoutePathRewrite",
                  f"{at}filters[].urlRewrite.path", prefix + (_REWRITE, "urlRewrite", "path"),
                  mesh="MeshHTTPRouteRewritePath", cite=_HTTPROUTE + "; " + _MESH),
        Construct(f"{fid}cors", _HR, "HTTPRouteCORS", f"{at}filters[] CORS",
                  prefix + (Where("type", "CORS"),), cite=_HTTPROUTE),
    )


CONSTRUCTS: tuple[Construct, ...] = (
    # ---- kinds (core features; a mesh route needs Mesh, found per parentRef)
    Construct("httproute", _HR, "HTTPRoute", "HTTPRoute", (), cite=_HTTPROUTE),
    Construct("grpcroute", ("GRPCRoute",), "GRPCRoute", "GRPCRoute", (),
              cite="pkg/features/grpcroute.go"),
    Construct("tlsroute", ("TLSRoute",), "TLSRoute", "TLSRoute", (), mesh=None,
              cite="pkg/features/tlsroute.go"),
    Construct("tcproute", ("TCPRoute",), "TCPRoute", "TCPRoute", (), mesh=None,
              cite="pkg/features/tcproute.go"),
    Construct("udproute", ("UDPRoute",), "UDPRoute", "UDPRoute", (), mesh=None,
              cite="pkg/features/udproute.go"),
    Construct("gateway", _GW, "Gateway", "Gateway", (), cite=_GATEWAY),
    Construct("referencegrant", ("ReferenceGrant",), "ReferenceGrant", "ReferenceGrant", (),
              cite="pkg/features/referencegrant.go"),
    Construct("backendtlspolicy", ("BackendTLSPolicy",), "BackendTLSPolicy", "BackendTLSPolicy",
              (), cite="pkg/features/backendtlspolicy.go"),
    Construct("listenerset", ("ListenerSet", "XListenerSet"), "ListenerSet", "ListenerSet", (),
              cite=_GATEWAY),
    Construct("xbackend", ("XBackend",), "Backend", "XBackend", (), cite=_BACKEND),
    # ---- HTTPRoute matches, rules
    Construct("query-params", _HR, "HTTPRouteQueryParamMatching", "matches[].queryParams",
              _RULE + ("matches", ANY, "queryParams"), mesh="MeshHTTPRouteQueryParamMatching",
              cite=_HTTPROUTE + "; " + _MESH),
    Construct("method", _HR, "HTTPRouteMethodMatching", "matches[].method",
              _RULE + ("matches", ANY, "method"), cite=_HTTPROUTE),
    Construct("rule-name", _HR, "HTTPRouteNamedRouteRule", "rules[].name", _RULE + ("name",),
              mesh="MeshHTTPRouteNamedRouteRule", cite=_HTTPROUTE + "; " + _MESH),
    Construct("timeout-request", _HR, "HTTPRouteRequestTimeout", "rules[].timeouts.request",
              _RULE + ("timeouts", "request"), cite=_HTTPROUTE),
    Construct("timeout-backend", _HR, "HTTPRouteBackendTimeout",
              "rules[].timeouts.backendRequest", _RULE + ("timeouts", "backendRequest"),
              cite=_HTTPROUTE),
    Construct("retry", _HR, "HTTPRouteRetry", "rules[].retry", _RULE + ("retry",),
              cite="GEP-1731"),
    Construct("retry-backend-timeout", _HR, "HTTPRouteRetryBackendTimeout",
              "rules[].retry with timeouts.backendRequest", _RULE, _retry_with_backend_timeout,
              suffix=("retry",), cite="GEP-1731"),
    # ---- HTTPRoute filters (rule level, then backendRef level)
    *_filter_constructs(_FILTERS, "rule"),
    Construct("backend-request-header-modifier", _HR, "HTTPRouteBackendRequestHeaderModification",
              "backendRefs[].filters[] RequestHeaderModifier",
              _BACKEND_FILTERS + (Where("type", "RequestHeaderModifier"),),
              mesh="MeshHTTPRouteBackendRequestHeaderModification",
              cite=_HTTPROUTE + "; " + _MESH),
    Construct("backend-request-redirect", _HR, "HTTPRouteBackendRequestRedirect",
              "backendRefs[].filters[] RequestRedirect", _BACKEND_FILTERS + (_REDIRECT,),
              cite="conformance/tests/httproute-backend-request-redirect.go"),
    Construct("backend-url-rewrite", _HR, "HTTPRouteBackendURLRewrite",
              "backendRefs[].filters[] URLRewrite", _BACKEND_FILTERS + (_REWRITE,),
              cite="conformance/tests/httproute-backend-url-rewrite.go"),
    *_filter_constructs(_BACKEND_FILTERS, "backend"),
    # ---- GRPCRoute
    Construct("grpc-rule-name", ("GRPCRoute",), "GRPCRouteNamedRouteRule", "rules[].name",
              _RULE + ("name",), cite="pkg/features/grpcroute.go"),
    # ---- any route kind
    Construct("service-import", ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"),
              "ServiceImport", "backendRefs[] kind ServiceImport",
              _RULE + ("backendRefs", Where("kind", "ServiceImport")),
              cite="pkg/features/serviceimport.go"),
    # ---- parentRefs and backends (detection.py)
    Construct("parent-port", _HR, "HTTPRouteParentRefPort", "parentRefs[].port",
              cite=_HTTPROUTE + "; conformance/tests/mesh/mesh-ports.go"),
    Construct("mesh-parent", ("HTTPRoute", "GRPCRoute"), "Mesh", "parentRefs[] kind Service",
              cite=_MESH),
    Construct("mesh-destination-port", _HR, "HTTPRouteDestinationPortMatching",
              "parentRefs[] kind Service with a port", cite="GEP-957; " + _HTTPROUTE),
    Construct("mesh-consumer-route", ("HTTPRoute", "GRPCRoute"), "MeshConsumerRoute",
              "parentRefs[] to a Service in another namespace", cite=_MESH),
    Construct("listenerset-parent", ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute",
                                     "UDPRoute"), "ListenerSet", "parentRefs[] kind ListenerSet",
              cite=_GATEWAY),
    Construct("backend-h2c", _HR, "HTTPRouteBackendProtocolH2C",
              "backendRefs[] to a Service port with appProtocol kubernetes.io/h2c",
              cite=_HTTPROUTE + "; GEP-1911"),
    Construct("backend-websocket", _HR, "HTTPRouteBackendProtocolWebSocket",
              "backendRefs[] to a Service port with appProtocol kubernetes.io/ws or wss",
              cite=_HTTPROUTE + "; GEP-1911"),
    # ---- Gateway
    Construct("static-addresses", _GW, "GatewayStaticAddresses", "spec.addresses[].value",
              ("spec", "addresses", ANY, "value"), cite=_GATEWAY),
    Construct("address-empty", _GW, "GatewayAddressEmpty", "spec.addresses[] without value",
              ("spec", "addresses", ANY), lambda a: isinstance(a, dict) and absent(a.get("value")),
              cite=_GATEWAY),
    Construct("infrastructure-labels", _GW, "GatewayInfrastructurePropagation",
              "spec.infrastructure.labels", ("spec", "infrastructure", "labels"), cite=_GATEWAY),
    Construct("infrastructure-annotations", _GW, "GatewayInfrastructurePropagation",
              "spec.infrastructure.annotations", ("spec", "infrastructure", "annotations"),
              cite=_GATEWAY),
    Construct("allowed-listeners", _GW, "ListenerSet", "spec.allowedListeners",
              ("spec", "allowedListeners"), cite=_GATEWAY),
    Construct("backend-client-certificate", _GW, "GatewayBackendClientCertificate",
              "spec.tls.backend.clientCertificateRef",
              ("spec", "tls", "backend", "clientCertificateRef"), cite=_GATEWAY),
    Construct("backend-client-certificate-v1.3", _GW, "GatewayBackendClientCertificate",
              "spec.backendTLS.clientCertificateRef (v1.3)",
              ("spec", "backendTLS", "clientCertificateRef"), cite=_GATEWAY),
    Construct("frontend-validation-default", _GW, "GatewayFrontendClientCertificateValidation",
              "spec.tls.frontend.default.validation",
              ("spec", "tls", "frontend", "default", "validation"), cite=_GATEWAY),
    Construct("frontend-validation-port", _GW, "GatewayFrontendClientCertificateValidation",
              "spec.tls.frontend.perPort[].tls.validation",
              ("spec", "tls", "frontend", "perPort", ANY, "tls", "validation"), cite=_GATEWAY),
    Construct("frontend-validation-listener", _GW, "GatewayFrontendClientCertificateValidation",
              "listeners[].tls.frontendValidation (v1.1-v1.3)",
              ("spec", "listeners", ANY, "tls", "frontendValidation"), cite=_GATEWAY),
    Construct("frontend-insecure-fallback-default", _GW,
              "GatewayFrontendClientCertificateValidationInsecureFallback",
              "spec.tls.frontend.default.validation.mode AllowInsecureFallback",
              ("spec", "tls", "frontend", "default", "validation", "mode"),
              _equals("AllowInsecureFallback"), cite=_GATEWAY),
    Construct("frontend-insecure-fallback-port", _GW,
              "GatewayFrontendClientCertificateValidationInsecureFallback",
              "spec.tls.frontend.perPort[].tls.validation.mode AllowInsecureFallback",
              ("spec", "tls", "frontend", "perPort", ANY, "tls", "validation", "mode"),
              _equals("AllowInsecureFallback"), cite=_GATEWAY),
    Construct("frontend-cluster-trust-bundle", _GW, "GatewayFrontendClusterTrustBundle",
              "spec.tls.frontend.default.validation.caCertificateRefs[] kind ClusterTrustBundle",
              ("spec", "tls", "frontend", "default", "validation", "caCertificateRefs",
               Where("kind", "ClusterTrustBundle")), cite="pkg/features/backendtlspolicy.go"),
    Construct("frontend-cluster-trust-bundle-port", _GW, "GatewayFrontendClusterTrustBundle",
              "spec.tls.frontend.perPort[].tls.validation.caCertificateRefs[] kind "
              "ClusterTrustBundle", ("spec", "tls", "frontend", "perPort", ANY, "tls", "validation",
                                     "caCertificateRefs", Where("kind", "ClusterTrustBundle")),
              cite="pkg/features/backendtlspolicy.go"),
    # ---- listeners (Gateway and ListenerSet)
    Construct("listener-port", _LISTENERS, "GatewayPort8080",
              "HTTP/HTTPS listener port other than 80/443", ("spec", "listeners", ANY),
              _http_port_not_default, suffix=("port",),
              cite=_GATEWAY + "; conformance/tests/httproute-redirect-port-and-scheme.go"),
    Construct("tls-terminate", _LISTENERS, "TLSRouteModeTerminate",
              "TLS listener with tls.mode Terminate", ("spec", "listeners", ANY), _tls_terminate,
              suffix=("tls",), cite="pkg/features/tlsroute.go"),
    Construct("tls-mixed", _LISTENERS, "TLSRouteModeMixed",
              "TLS listeners of both modes on one port", cite=_REPORTS),
    Construct("listener-isolation", _LISTENERS, "GatewayHTTPListenerIsolation",
              "HTTP(S) listeners on one port with overlapping hostnames",
              cite=_GATEWAY + "; conformance/tests/gateway-http-listener-isolation.go"),
    Construct("misdirected-requests", _LISTENERS, "GatewayHTTPSListenerDetectMisdirectedRequests",
              "HTTPS listeners on one port with overlapping hostnames or a shared certificate",
              cite=_GATEWAY + "; conformance/tests/httproute-https-listener-detect-misdirected-"
              "requests.go"),
    # ---- BackendTLSPolicy
    Construct("san-validation", ("BackendTLSPolicy",), "BackendTLSPolicySANValidation",
              "validation.subjectAltNames", ("spec", "validation", "subjectAltNames"),
              cite="pkg/features/backendtlspolicy.go"),
    Construct("backendtls-cluster-trust-bundle", ("BackendTLSPolicy",),
              "BackendTLSPolicyClusterTrustBundle",
              "validation.caCertificateRefs[] kind ClusterTrustBundle",
              ("spec", "validation", "caCertificateRefs", Where("kind", "ClusterTrustBundle")),
              cite="pkg/features/backendtlspolicy.go"),
    # ---- XBackend
    Construct("xbackend-external-hostname", ("XBackend",), "BackendExternalHostname",
              "spec.externalHostname", ("spec", "externalHostname"), cite=_BACKEND),
    Construct("xbackend-tls", ("XBackend",), "BackendTLS", "spec.tls", ("spec", "tls"),
              cite=_BACKEND),
    *(Construct(f"xbackend-protocol-{proto.lower()}", ("XBackend",), f"BackendProtocol{proto}",
                f"spec.protocol {proto}", ("spec", "protocol"), _equals(proto), cite=_BACKEND)
      for proto in ("HTTP2", "TCP", "MCP")),
)
