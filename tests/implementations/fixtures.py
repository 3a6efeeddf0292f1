"""One fixture per construct of `gwlint.implementations.features.CONSTRUCTS`: a tiny object set
that needs the construct's feature (at `path` of the object named `where`) and one that does not.

Every fixture object is checked against the CRDs of `release` (experimental channel) before it
is used, so the objects are ones the API server accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

GATEWAY_PARENT = "[{name: gw}]"
SERVICE_PARENT = "[{group: '', kind: Service, name: web, port: 8080}]"


@dataclass(frozen=True)
class Fixture:
    needs: str          # YAML documents; the object named `where` needs the feature at `path`
    clean: str          # YAML documents that do not need it
    path: tuple
    where: str = "web"
    scope: str = "gateway"
    release: str = "v1.6.1"


def route(rules: str, parents: str = GATEWAY_PARENT, kind: str = "HTTPRoute",
          api: str = "gateway.networking.k8s.io/v1", namespace: str = "app",
          extra: str = "") -> str:
    return f"""
apiVersion: {api}
kind: {kind}
metadata: {{name: web, namespace: {namespace}}}
spec:
  parentRefs: {parents}
{extra}  rules:
{rules}
"""


BACKEND = "    backendRefs: [{name: web, port: 8080}]\n"
PLAIN_RULE = "  - backendRefs: [{name: web, port: 8080}]\n"


def rule_filter(filt: str, with_backend: bool = True) -> str:
    return f"  - filters: [{filt}]\n" + (BACKEND if with_backend else "")


def backend_filter(filt: str) -> str:
    return f"  - backendRefs: [{{name: web, port: 8080, filters: [{filt}]}}]\n"


def gateway(listeners: str, extra: str = "", api: str = "gateway.networking.k8s.io/v1") -> str:
    return f"""
apiVersion: {api}
kind: Gateway
metadata: {{name: web, namespace: app}}
spec:
  gatewayClassName: eg
{extra}  listeners:
{listeners}
"""


HTTP_LISTENER = "  - {name: http, protocol: HTTP, port: 80}\n"
CERT = "certificateRefs: [{name: cert}]"
CA = "caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}]"
CTB = "caCertificateRefs: [{group: certificates.k8s.io, kind: ClusterTrustBundle, name: ca}]"

# filters: (the filter, whether its rule may carry backendRefs, path suffix in the filter)
MIRROR = "{type: RequestMirror, requestMirror: {backendRef: {name: mirror, port: 8080}}}"
FILTERS = {
    "response-header-modifier": (
        "{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x, value: y}]}}",
        True, ()),
    "request-mirror": (MIRROR, True, ()),
    "request-mirror-percent": (
        "{type: RequestMirror, requestMirror: {backendRef: {name: mirror, port: 8080}, "
        "percent: 10}}", True, ("requestMirror", "percent")),
    "request-mirror-fraction": (
        "{type: RequestMirror, requestMirror: {backendRef: {name: mirror, port: 8080}, "
        "fraction: {numerator: 1, denominator: 10}}}", True, ("requestMirror", "fraction")),
    "redirect-port": ("{type: RequestRedirect, requestRedirect: {port: 8443}}", False,
                      ("requestRedirect", "port")),
    "redirect-scheme": ("{type: RequestRedirect, requestRedirect: {scheme: https}}", False,
                        ("requestRedirect", "scheme")),
    "redirect-path": ("{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, "
                      "replaceFullPath: /new}}}", False, ("requestRedirect", "path")),
    "redirect-303": ("{type: RequestRedirect, requestRedirect: {statusCode: 303}}", False,
                     ("requestRedirect", "statusCode")),
    "redirect-307": ("{type: RequestRedirect, requestRedirect: {statusCode: 307}}", False,
                     ("requestRedirect", "statusCode")),
    "redirect-308": ("{type: RequestRedirect, requestRedirect: {statusCode: 308}}", False,
                     ("requestRedirect", "statusCode")),
    "rewrite-hostname": ("{type: URLRewrite, urlRewrite: {hostname: internal.example.com}}",
                         True, ("urlRewrite", "hostname")),
    "rewrite-path": ("{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, "
                     "replaceFullPath: /v2}}}", True, ("urlRewrite", "path")),
    "cors": ("{type: CORS, cors: {allowOrigins: ['https://example.com']}}", True, ()),
}
# what the same filter looks like without the construct (for the clean fixture)
CLEAN_FILTERS = {
    "request-mirror-percent": MIRROR,
    "request-mirror-fraction": MIRROR,
    "redirect-port": "{type: RequestRedirect, requestRedirect: {hostname: example.org}}",
    "redirect-scheme": "{type: RequestRedirect, requestRedirect: {hostname: example.org}}",
    "redirect-path": "{type: RequestRedirect, requestRedirect: {hostname: example.org}}",
    "redirect-303": "{type: RequestRedirect, requestRedirect: {statusCode: 301}}",
    "redirect-307": "{type: RequestRedirect, requestRedirect: {statusCode: 302}}",
    "redirect-308": "{type: RequestRedirect, requestRedirect: {statusCode: 301}}",
    "rewrite-hostname": "{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, "
                        "replaceFullPath: /v2}}}",
    "rewrite-path": "{type: URLRewrite, urlRewrite: {hostname: internal.example.com}}",
}
REQUEST_HEADER = ("{type: RequestHeaderModifier, requestHeaderModifier: "
                  "{set: [{name: x, value: y}]}}")


def _filter_fixtures() -> dict[str, Fixture]:
    out = {}
    for cid, (filt, backend_ok, suffix) in FILTERS.items():
        clean = CLEAN_FILTERS.get(cid, REQUEST_HEADER)
        out[cid] = Fixture(route(rule_filter(filt, backend_ok)),
                           route(rule_filter(clean, cid not in CLEAN_FILTERS or backend_ok)),
                           ("spec", "rules", 0, "filters", 0) + suffix)
        out[f"backend-{cid}"] = Fixture(route(backend_filter(filt)),
                                        route(backend_filter(clean)),
                                        ("spec", "rules", 0, "backendRefs", 0, "filters", 0)
                                        + suffix)
    two = f"{MIRROR}, {MIRROR.replace('mirror', 'mirror2')}"
    out["multiple-mirrors"] = Fixture(route(rule_filter(two)), route(rule_filter(MIRROR)),
                                      ("spec", "rules", 0, "filters"))
    out["backend-multiple-mirrors"] = Fixture(
        route(backend_filter(two)), route(backend_filter(MIRROR)),
        ("spec", "rules", 0, "backendRefs", 0, "filters"))
    return out


SERVICE = """
apiVersion: v1
kind: Service
metadata: {{name: web, namespace: {namespace}}}
spec:
  ports: [{{port: 8080{proto}}}]
"""


def service(app_protocol: str | None = None, namespace: str = "app") -> str:
    proto = f", appProtocol: {app_protocol}" if app_protocol else ""
    return SERVICE.format(namespace=namespace, proto=proto)


def docs(*texts: str) -> str:
    return "\n---\n".join(t.strip("\n") for t in texts)


TLS_LISTENER = "  - {{name: {name}, protocol: TLS, port: 443, hostname: {host}, tls: {tls}}}\n"
HTTPS_LISTENER = ("  - {{name: {name}, protocol: HTTPS, port: {port}, hostname: {host}, "
                  "tls: {{certificateRefs: [{{name: cert}}]}}}}\n")

FIXTURES: dict[str, Fixture] = {
    # ---- kinds
    "httproute": Fixture(route(PLAIN_RULE), gateway(HTTP_LISTENER), ()),
    "grpcroute": Fixture(route("  - backendRefs: [{name: web, port: 8080}]\n", kind="GRPCRoute"),
                         route(PLAIN_RULE), ()),
    "tlsroute": Fixture(route(PLAIN_RULE, kind="TLSRoute", extra="  hostnames: [a.example.com]\n"),
                        route(PLAIN_RULE), ()),
    "tcproute": Fixture(route(PLAIN_RULE, kind="TCPRoute"), route(PLAIN_RULE), ()),
    "udproute": Fixture(route(PLAIN_RULE, kind="UDPRoute"), route(PLAIN_RULE), ()),
    "gateway": Fixture(gateway(HTTP_LISTENER), route(PLAIN_RULE), ()),
    "referencegrant": Fixture("""
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: web, namespace: app}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: other}]
  to: [{group: '', kind: Service}]
""", route(PLAIN_RULE), (), scope="any"),
    "backendtlspolicy": Fixture("""
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: web, namespace: app}
spec:
  targetRefs: [{group: '', kind: Service, name: web}]
  validation:
    caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}]
    hostname: web.example.com
""", route(PLAIN_RULE), (), scope="any"),
    "listenerset": Fixture("""
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: web, namespace: app}
spec:
  parentRef: {name: gw}
  listeners: [{name: http, protocol: HTTP, port: 80}]
""", gateway(HTTP_LISTENER), ()),
    "xbackend": Fixture("""
apiVersion: gateway.networking.x-k8s.io/v1alpha1
kind: XBackend
metadata: {name: web, namespace: app}
spec:
  type: ExternalHostname
  externalHostname: {hostname: api.example.com}
  port: {port: 443}
""", route(PLAIN_RULE), (), scope="any"),
    # ---- HTTPRoute matches and rules
    "query-params": Fixture(route("  - matches: [{queryParams: [{name: q, value: v}]}]\n"
                                  + BACKEND),
                            route("  - matches: [{path: {type: PathPrefix, value: /a}}]\n"
                                  + BACKEND), ("spec", "rules", 0, "matches", 0, "queryParams")),
    "method": Fixture(route("  - matches: [{method: GET}]\n" + BACKEND),
                      route("  - matches: [{headers: [{name: x, value: y}]}]\n" + BACKEND),
                      ("spec", "rules", 0, "matches", 0, "method")),
    "rule-name": Fixture(route("  - name: main\n" + BACKEND), route(PLAIN_RULE),
                         ("spec", "rules", 0, "name")),
    "timeout-request": Fixture(route("  - timeouts: {request: 10s}\n" + BACKEND),
                               route("  - timeouts: {backendRequest: 5s}\n" + BACKEND),
                               ("spec", "rules", 0, "timeouts", "request")),
    "timeout-backend": Fixture(route("  - timeouts: {backendRequest: 5s}\n" + BACKEND),
                               route("  - timeouts: {request: 10s}\n" + BACKEND),
                               ("spec", "rules", 0, "timeouts", "backendRequest")),
    "retry": Fixture(route("  - retry: {attempts: 2}\n" + BACKEND), route(PLAIN_RULE),
                     ("spec", "rules", 0, "retry")),
    "retry-backend-timeout": Fixture(
        route("  - retry: {attempts: 2}\n    timeouts: {backendRequest: 1s}\n" + BACKEND),
        route("  - retry: {attempts: 2}\n    timeouts: {request: 10s}\n" + BACKEND),
        ("spec", "rules", 0, "retry")),
    **_filter_fixtures(),
    "backend-request-header-modifier": Fixture(
        route(backend_filter(REQUEST_HEADER)), route(rule_filter(REQUEST_HEADER)),
        ("spec", "rules", 0, "backendRefs", 0, "filters", 0)),
    "backend-request-redirect": Fixture(
        route(backend_filter("{type: RequestRedirect, requestRedirect: {hostname: example.org}}")),
        route(rule_filter("{type: RequestRedirect, requestRedirect: {hostname: example.org}}",
                          False)), ("spec", "rules", 0, "backendRefs", 0, "filters", 0)),
    "backend-url-rewrite": Fixture(
        route(backend_filter("{type: URLRewrite, urlRewrite: {hostname: a.example.org}}")),
        route(rule_filter("{type: URLRewrite, urlRewrite: {hostname: a.example.org}}")),
        ("spec", "rules", 0, "backendRefs", 0, "filters", 0)),
    "service-import": Fixture(
        route("  - backendRefs: [{group: multicluster.x-k8s.io, kind: ServiceImport, name: web, "
              "port: 8080}]\n"), route(PLAIN_RULE), ("spec", "rules", 0, "backendRefs", 0)),
    "grpc-rule-name": Fixture(route("  - name: main\n" + BACKEND, kind="GRPCRoute"),
                              route("  - name: main\n" + BACKEND),
                              ("spec", "rules", 0, "name")),
    # ---- parentRefs
    "parent-port": Fixture(route(PLAIN_RULE, parents="[{name: gw, port: 80}]"),
                           route(PLAIN_RULE, parents="[{name: gw, sectionName: http}]"),
                           ("spec", "parentRefs", 0, "port")),
    "mesh-parent": Fixture(route(PLAIN_RULE, parents=SERVICE_PARENT), route(PLAIN_RULE),
                           ("spec", "parentRefs", 0), scope="mesh"),
    "mesh-destination-port": Fixture(
        route(PLAIN_RULE, parents=SERVICE_PARENT),
        route(PLAIN_RULE, parents="[{group: '', kind: Service, name: web}]"),
        ("spec", "parentRefs", 0, "port"), scope="mesh"),
    "mesh-consumer-route": Fixture(
        route(PLAIN_RULE, parents="[{group: '', kind: Service, name: web, namespace: other}]"),
        route(PLAIN_RULE, parents="[{group: '', kind: Service, name: web, namespace: app}]"),
        ("spec", "parentRefs", 0, "namespace"), scope="mesh"),
    "listenerset-parent": Fixture(
        route(PLAIN_RULE, parents="[{group: gateway.networking.k8s.io, kind: ListenerSet, "
                                  "name: ls}]"), route(PLAIN_RULE),
        ("spec", "parentRefs", 0, "kind")),
    # ---- backends (Service appProtocol, GEP-1911)
    "backend-h2c": Fixture(docs(route(PLAIN_RULE), service("kubernetes.io/h2c")),
                           docs(route(PLAIN_RULE), service("kubernetes.io/h2c", "other")),
                           ("spec", "rules", 0, "backendRefs", 0)),
    "backend-websocket": Fixture(docs(route(PLAIN_RULE), service("kubernetes.io/wss")),
                                 docs(route(PLAIN_RULE), service("http")),
                                 ("spec", "rules", 0, "backendRefs", 0)),
    # ---- Gateway
    "static-addresses": Fixture(
        gateway(HTTP_LISTENER, "  addresses: [{type: IPAddress, value: 10.0.0.1}]\n"),
        gateway(HTTP_LISTENER, "  addresses: [{type: IPAddress}]\n"),
        ("spec", "addresses", 0, "value")),
    "address-empty": Fixture(
        gateway(HTTP_LISTENER, "  addresses: [{type: IPAddress}]\n"),
        gateway(HTTP_LISTENER, "  addresses: [{type: IPAddress, value: 10.0.0.1}]\n"),
        ("spec", "addresses", 0)),
    "infrastructure-labels": Fixture(
        gateway(HTTP_LISTENER, "  infrastructure: {labels: {team: a}}\n"),
        gateway(HTTP_LISTENER, "  infrastructure: {annotations: {team: a}}\n"),
        ("spec", "infrastructure", "labels")),
    "infrastructure-annotations": Fixture(
        gateway(HTTP_LISTENER, "  infrastructure: {annotations: {team: a}}\n"),
        gateway(HTTP_LISTENER, "  infrastructure: {labels: {team: a}}\n"),
        ("spec", "infrastructure", "annotations")),
    "allowed-listeners": Fixture(
        gateway(HTTP_LISTENER, "  allowedListeners: {namespaces: {from: Same}}\n"),
        gateway(HTTP_LISTENER), ("spec", "allowedListeners")),
    "backend-client-certificate": Fixture(
        gateway(HTTP_LISTENER, "  tls: {backend: {clientCertificateRef: {name: client}}}\n"),
        gateway(HTTP_LISTENER), ("spec", "tls", "backend", "clientCertificateRef")),
    "backend-client-certificate-v1.3": Fixture(
        gateway(HTTP_LISTENER, "  backendTLS: {clientCertificateRef: {name: client}}\n"),
        gateway(HTTP_LISTENER), ("spec", "backendTLS", "clientCertificateRef"),
        release="v1.3.0"),
    "frontend-validation-default": Fixture(
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CA}}}}}}}}}\n"),
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com")),
        ("spec", "tls", "frontend", "default", "validation")),
    "frontend-validation-port": Fixture(
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CA}}}}}, perPort: [{{port: 443, "
                f"tls: {{validation: {{{CA}}}}}}}]}}}}\n"),
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com")),
        ("spec", "tls", "frontend", "perPort", 0, "tls", "validation")),
    "frontend-validation-listener": Fixture(
        gateway(f"  - {{name: https, protocol: HTTPS, port: 443, tls: {{{CERT}, "
                f"frontendValidation: {{{CA}}}}}}}\n"),
        gateway(f"  - {{name: https, protocol: HTTPS, port: 443, tls: {{{CERT}}}}}\n"),
        ("spec", "listeners", 0, "tls", "frontendValidation"), release="v1.3.0"),
    "frontend-insecure-fallback-default": Fixture(
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CA}, "
                f"mode: AllowInsecureFallback}}}}}}}}\n"),
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CA}, "
                f"mode: AllowValidOnly}}}}}}}}\n"),
        ("spec", "tls", "frontend", "default", "validation", "mode")),
    "frontend-insecure-fallback-port": Fixture(
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CA}}}}}, perPort: [{{port: 443, "
                f"tls: {{validation: {{{CA}, mode: AllowInsecureFallback}}}}}}]}}}}\n"),
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CA}}}}}, perPort: [{{port: 443, "
                f"tls: {{validation: {{{CA}}}}}}}]}}}}\n"),
        ("spec", "tls", "frontend", "perPort", 0, "tls", "validation", "mode")),
    "frontend-cluster-trust-bundle": Fixture(
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CTB}}}}}}}}}\n"),
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CA}}}}}}}}}\n"),
        ("spec", "tls", "frontend", "default", "validation", "caCertificateRefs", 0)),
    "frontend-cluster-trust-bundle-port": Fixture(
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CA}}}}}, perPort: [{{port: 443, "
                f"tls: {{validation: {{{CTB}}}}}}}]}}}}\n"),
        gateway(HTTPS_LISTENER.format(name="https", port=443, host="a.example.com"),
                f"  tls: {{frontend: {{default: {{validation: {{{CA}}}}}, perPort: [{{port: 443, "
                f"tls: {{validation: {{{CA}}}}}}}]}}}}\n"),
        ("spec", "tls", "frontend", "perPort", 0, "tls", "validation", "caCertificateRefs", 0)),
    # ---- listeners
    "listener-port": Fixture(gateway("  - {name: http, protocol: HTTP, port: 8080}\n"),
                             gateway(HTTP_LISTENER + "  - {name: db, protocol: TCP, port: 5432}\n"),
                             ("spec", "listeners", 0, "port")),
    "tls-terminate": Fixture(
        gateway(TLS_LISTENER.format(name="tls", host="a.example.com", tls="{" + CERT + "}")),
        gateway(TLS_LISTENER.format(name="tls", host="a.example.com", tls="{mode: Passthrough}")),
        ("spec", "listeners", 0, "tls")),
    "tls-mixed": Fixture(
        gateway(TLS_LISTENER.format(name="a", host="a.example.com", tls="{mode: Passthrough}")
                + TLS_LISTENER.format(name="b", host="b.example.com", tls="{" + CERT + "}")),
        gateway(TLS_LISTENER.format(name="a", host="a.example.com", tls="{mode: Passthrough}")
                + TLS_LISTENER.format(name="b", host="b.example.com", tls="{mode: Passthrough}")),
        ("spec", "listeners", 1, "tls")),
    "listener-isolation": Fixture(
        gateway("  - {name: wild, protocol: HTTP, port: 80, hostname: '*.example.com'}\n"
                "  - {name: foo, protocol: HTTP, port: 80, hostname: foo.example.com}\n"),
        gateway("  - {name: a, protocol: HTTP, port: 80, hostname: a.example.com}\n"
                "  - {name: b, protocol: HTTP, port: 80, hostname: b.example.com}\n"),
        ("spec", "listeners", 1)),
    "misdirected-requests": Fixture(  # one certificate for both: a client may reuse the connection
        gateway(HTTPS_LISTENER.format(name="a", port=443, host="a.example.com")
                + HTTPS_LISTENER.format(name="b", port=443, host="b.example.com")),
        gateway(HTTPS_LISTENER.format(name="a", port=443, host="a.example.com")
                + HTTPS_LISTENER.format(name="b", port=8443, host="b.example.com")),
        ("spec", "listeners", 1)),
    # ---- BackendTLSPolicy
    "san-validation": Fixture("""
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: web, namespace: app}
spec:
  targetRefs: [{group: '', kind: Service, name: web}]
  validation:
    caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}]
    hostname: web.example.com
    subjectAltNames: [{type: Hostname, hostname: web.example.com}]
""", """
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: web, namespace: app}
spec:
  targetRefs: [{group: '', kind: Service, name: web}]
  validation:
    caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}]
    hostname: web.example.com
""", ("spec", "validation", "subjectAltNames"), scope="any"),
    "backendtls-cluster-trust-bundle": Fixture(f"""
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {{name: web, namespace: app}}
spec:
  targetRefs: [{{group: '', kind: Service, name: web}}]
  validation: {{{CTB}, hostname: web.example.com}}
""", """
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: web, namespace: app}
spec:
  targetRefs: [{group: '', kind: Service, name: web}]
  validation:
    caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}]
    hostname: web.example.com
""", ("spec", "validation", "caCertificateRefs", 0), scope="any"),
}

XBACKEND = """
apiVersion: gateway.networking.x-k8s.io/v1alpha1
kind: XBackend
metadata: {{name: web, namespace: app}}
spec:
  type: ExternalHostname
  externalHostname: {{hostname: api.example.com}}
  port: {{port: 443}}
{extra}"""
FIXTURES.update({
    "xbackend-external-hostname": Fixture(XBACKEND.format(extra=""), route(PLAIN_RULE),
                                          ("spec", "externalHostname"), scope="any"),
    "xbackend-tls": Fixture(XBACKEND.format(extra="  tls: {mode: ServerOnly}\n"),
                            XBACKEND.format(extra=""), ("spec", "tls"), scope="any"),
    **{f"xbackend-protocol-{p.lower()}": Fixture(
        XBACKEND.format(extra=f"  protocol: {p}\n"), XBACKEND.format(extra="  protocol: HTTP\n"),
        ("spec", "protocol"), scope="any") for p in ("HTTP2", "TCP", "MCP")},
})
