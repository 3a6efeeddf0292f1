"""Reference rules GW102-GW112 and ReferenceGrant hygiene GW404/GW405.

Each rule: fixtures that fire (exact file/line/path/predicts), the near misses that must not, and
the fixed repository that is clean. Fixtures are schema-valid Gateway API v1.6.1 standard objects
(`test_fixtures_are_schema_valid` keeps them honest).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gwlint.engine import LintConfig, lint
from gwlint.reporters.common import finding_dict

MY_RULES = ["GW102", "GW103", "GW104", "GW105", "GW106", "GW107", "GW108", "GW109", "GW110",
            "GW111", "GW112", "GW404", "GW405"]
ROOT = Path(__file__).resolve().parents[2]

# --- building blocks ---------------------------------------------------------------------------

NAMESPACES = """
apiVersion: v1
kind: Namespace
metadata:
  name: infra
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Namespace
metadata:
  name: payments
"""

GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: envoy
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: All
"""

SERVICES = """
apiVersion: v1
kind: Service
metadata:
  name: storefront
  namespace: shop
spec:
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: payments
  namespace: payments
spec:
  ports:
  - name: https
    port: 8443
"""


def route(backend: str, kind: str = "HTTPRoute", ns: str = "shop") -> str:
    """A route in `ns` attached to infra/gw whose only rule has the given backendRef lines."""
    return f"""
apiVersion: gateway.networking.k8s.io/v1
kind: {kind}
metadata:
  name: web
  namespace: {ns}
spec:
  parentRefs:
  - name: gw
    namespace: infra
  rules:
  - backendRefs:
{backend}"""


def grant(ns: str, from_kind: str = "HTTPRoute", from_ns: str = "shop", to_kind: str = "Service",
          to_name: str | None = "payments", version: str = "v1beta1", name: str = "allow") -> str:
    to_name_line = f"\n    name: {to_name}" if to_name else ""
    return f"""
apiVersion: gateway.networking.k8s.io/{version}
kind: ReferenceGrant
metadata:
  name: {name}
  namespace: {ns}
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: {from_kind}
    namespace: {from_ns}
  to:
  - group: ""
    kind: {to_kind}{to_name_line}
"""


BASE = {"ns.yaml": NAMESPACES, "gw.yaml": GATEWAY, "svc.yaml": SERVICES}

TO_PAYMENTS = """\
    - name: payments
      namespace: payments
      port: 8443
"""


def keyed(out: list[dict]) -> list[tuple]:
    return [(f["rule"], f["file"], f["line"], f["path"]) for f in out]


def predicts(f: dict) -> tuple:
    p = f["predicts"]
    return (p["type"], p["status"], p["reason"]) if p else None


# --- GW102 backend-not-found ----------------------------------------------------------------


def test_gw102_missing_service_in_known_namespace(lint_tree):
    out = lint_tree({**BASE, "route.yaml": route("    - name: storefrnt\n      port: 80\n")},
                    select=["GW102"])
    assert keyed(out) == [("GW102", "route.yaml", 12, "/spec/rules/0/backendRefs/0")]
    f = out[0]
    assert f["severity"] == "error" and f["parent"] is None
    assert f["message"] == "backendRef Service 'storefrnt' not found in namespace 'shop'"
    assert predicts(f) == ("ResolvedRefs", "False", "BackendNotFound")
    assert f["hint"] == "did you mean Service 'storefront'?"
    assert f["related"][0]["file"] == "svc.yaml" and f["related"][0]["line"] == 4


def test_gw102_mirror_backend_missing(lint_tree):
    text = route("    - name: storefront\n      port: 80\n") + """\
    filters:
    - type: RequestMirror
      requestMirror:
        backendRef:
          name: shadow
          port: 80
"""
    out = lint_tree({**BASE, "route.yaml": text}, select=["GW102"])
    assert keyed(out) == [("GW102", "route.yaml", 17,
                           "/spec/rules/0/filters/0/requestMirror/backendRef")]
    assert out[0]["message"].startswith("requestMirror backendRef Service 'shadow'")


def test_gw102_names_the_namespace_where_the_service_lives(lint_tree):
    out = lint_tree({**BASE, "route.yaml": route("    - name: payments\n      port: 8443\n")},
                    select=["GW102"])
    assert "exists in namespace 'payments': set backendRef.namespace: payments (and a " \
           "ReferenceGrant in that namespace)" in out[0]["hint"]
    assert out[0]["severity"] == "error"


def test_gw102_unknown_namespace_is_a_warning_and_assume_exists_silences(lint_tree):
    text = route("    - name: ledger\n      namespace: finance\n      port: 80\n")
    out = lint_tree({**BASE, "route.yaml": text}, select=["GW102"])
    assert [(f["severity"], f["line"]) for f in out] == [("warning", 12)]
    assert out[0]["message"].endswith("(nothing in the linted files is in that namespace)")
    assert "--assume-exists 'Service/finance/*'" in out[0]["hint"]
    assert lint_tree({}, select=["GW102"], assume_exists=["Service/finance/*"]) == []


def test_gw102_existing_services_and_other_kinds_do_not_fire(lint_tree):
    text = route("    - name: storefront\n      port: 80\n"
                 "    - name: imported\n      group: multicluster.x-k8s.io\n"
                 "      kind: ServiceImport\n      port: 80\n")
    assert lint_tree({**BASE, "route.yaml": text}, select=["GW102"]) == []


# --- GW103 backend-invalid-kind -------------------------------------------------------------


def test_gw103_core_kind_is_an_error(lint_tree):
    text = route("    - name: creds\n      kind: Secret\n      port: 80\n")
    out = lint_tree({**BASE, "route.yaml": text}, select=["GW103"])
    assert keyed(out) == [("GW103", "route.yaml", 13, "/spec/rules/0/backendRefs/0/kind")]
    assert out[0]["severity"] == "error"
    assert predicts(out[0]) == ("ResolvedRefs", "False", "InvalidKind")


def test_gw103_custom_kind_and_custom_group_are_warnings(lint_tree):
    text = route("    - name: a\n      group: example.com\n      kind: Thing\n      port: 80\n"
                 "    - name: b\n      group: example.com\n      port: 80\n")
    out = lint_tree({**BASE, "route.yaml": text}, select=["GW103"])
    assert [(f["severity"], f["path"]) for f in out] == [
        ("warning", "/spec/rules/0/backendRefs/0/kind"),
        ("warning", "/spec/rules/0/backendRefs/1/group")]


def test_gw103_known_backend_kinds_and_allowed_kinds_option(lint_tree):
    text = route("    - name: a\n      group: gateway.envoyproxy.io\n      kind: Backend\n"
                 "    - name: b\n      group: multicluster.x-k8s.io\n      kind: ServiceImport\n"
                 "      port: 80\n"
                 "    - name: c\n      group: example.com\n      kind: Thing\n")
    out = lint_tree({**BASE, "route.yaml": text}, select=["GW103"],
                    rule_options={"GW103": {"allowed_kinds": ["example.com/Thing"]}})
    assert out == []


def test_gw103_xbackend_needs_the_experimental_channel(lint_tree):
    text = route("    - name: x\n      group: gateway.networking.x-k8s.io\n      kind: XBackend\n")
    out = lint_tree({**BASE, "route.yaml": text}, select=["GW103"])
    assert [f["severity"] for f in out] == ["warning"]
    assert lint_tree({}, select=["GW103"], channel="experimental") == []


# --- GW104 backend-port-unknown -------------------------------------------------------------


def test_gw104_target_port_instead_of_service_port(lint_tree):
    out = lint_tree({**BASE, "route.yaml": route("    - name: storefront\n      port: 8080\n")},
                    select=["GW104"])
    assert keyed(out) == [("GW104", "route.yaml", 13, "/spec/rules/0/backendRefs/0/port")]
    f = out[0]
    assert f["hint"] == ("8080 is the targetPort of Service port 80: a backendRef names the "
                         "Service port, use port: 80")
    assert predicts(f) == ("ResolvedRefs", "False", "BackendNotFound")
    assert (f["related"][0]["file"], f["related"][0]["line"]) == ("svc.yaml", 7)


def test_gw104_lists_available_ports(lint_tree):
    text = route(TO_PAYMENTS.replace("8443", "443"))
    out = lint_tree({**BASE, "route.yaml": text, "g.yaml": grant("payments")}, select=["GW104"])
    assert out[0]["hint"] == "Service 'payments' exposes only port 8443 (https): use port: 8443"


def test_gw104_silent_for_known_ports_external_and_unknown_services(lint_tree):
    externalname = """
apiVersion: v1
kind: Service
metadata:
  name: legacy
  namespace: shop
spec:
  type: ExternalName
  externalName: legacy.example.com
"""
    text = route("    - name: storefront\n      port: 80\n"
                 "    - name: legacy\n      port: 8080\n"
                 "    - name: assumed\n      port: 1234\n")
    out = lint_tree({**BASE, "ext.yaml": externalname, "route.yaml": text}, select=["GW104"],
                    assume_exists=["Service/shop/assumed"])
    assert out == []


# --- GW105 backend-ref-not-permitted --------------------------------------------------------


def test_gw105_cross_namespace_without_grant(lint_tree):
    out = lint_tree({**BASE, "route.yaml": route(TO_PAYMENTS)}, select=["GW105"])
    assert keyed(out) == [("GW105", "route.yaml", 12, "/spec/rules/0/backendRefs/0")]
    f = out[0]
    assert f["severity"] == "error" and f["parent"] is None
    assert predicts(f) == ("ResolvedRefs", "False", "RefNotPermitted")
    assert f["message"] == ("backendRef to Service 'payments' in namespace 'payments' is not "
                            "permitted: no ReferenceGrant there allows HTTPRoute from namespace "
                            "'shop'")
    assert f["hint"].startswith("add a ReferenceGrant in namespace 'payments' from HTTPRoute in "
                                "'shop' to Service 'payments': {apiVersion: ")
    assert "to: [{group: \"\", kind: Service, name: payments}]" in f["hint"]


@pytest.mark.parametrize("version", ["v1beta1", "v1"])
def test_gw105_grant_in_target_namespace_permits(lint_tree, version):
    files = {**BASE, "route.yaml": route(TO_PAYMENTS), "g.yaml": grant("payments", version=version)}
    assert lint_tree(files, select=["GW105"]) == []


def test_gw105_grant_without_name_permits(lint_tree):
    files = {**BASE, "route.yaml": route(TO_PAYMENTS), "g.yaml": grant("payments", to_name=None)}
    assert lint_tree(files, select=["GW105"]) == []


def test_gw105_grant_in_the_route_namespace_is_named(lint_tree):
    files = {**BASE, "route.yaml": route(TO_PAYMENTS), "g.yaml": grant("shop")}
    out = lint_tree(files, select=["GW105"])
    assert keyed(out) == [("GW105", "route.yaml", 12, "/spec/rules/0/backendRefs/0")]
    assert out[0]["hint"] == ("a ReferenceGrant exists in namespace 'shop' but grants must live "
                              "in the target namespace 'payments': move 'allow' there")
    assert (out[0]["related"][0]["file"], out[0]["related"][0]["line"]) == ("g.yaml", 5)


def test_gw105_httproute_grant_does_not_permit_grpcroute(lint_tree):
    files = {**BASE, "route.yaml": route(TO_PAYMENTS, kind="GRPCRoute"),
             "g.yaml": grant("payments")}
    out = lint_tree(files, select=["GW105"])
    assert len(out) == 1
    assert out[0]["hint"].startswith("ReferenceGrant 'allow' does not apply: it permits "
                                     "references from HTTPRoute, not from GRPCRoute; add a "
                                     "ReferenceGrant in namespace 'payments' from GRPCRoute")


def test_gw105_grant_naming_another_service(lint_tree):
    files = {**BASE, "route.yaml": route(TO_PAYMENTS), "g.yaml": grant("payments", to_name="ledger")}
    out = lint_tree(files, select=["GW105"])
    assert "it permits only Service 'ledger', not 'payments'" in out[0]["hint"]


def test_gw105_grant_from_another_namespace(lint_tree):
    files = {**BASE, "route.yaml": route(TO_PAYMENTS), "g.yaml": grant("payments", from_ns="blog")}
    out = lint_tree(files, select=["GW105"])
    assert "it permits references from namespace 'blog', not 'shop'" in out[0]["hint"]


def test_gw105_same_namespace_needs_no_grant(lint_tree):
    text = route("    - name: storefront\n      namespace: shop\n      port: 80\n")
    assert lint_tree({**BASE, "route.yaml": text}, select=["GW105"]) == []


def test_gw105_mirror_backend_needs_a_grant_too(lint_tree):
    text = route("    - name: storefront\n      port: 80\n") + """\
    filters:
    - type: RequestMirror
      requestMirror:
        backendRef:
          name: payments
          namespace: payments
          port: 8443
"""
    out = lint_tree({**BASE, "route.yaml": text}, select=["GW105"])
    assert keyed(out) == [("GW105", "route.yaml", 17,
                           "/spec/rules/0/filters/0/requestMirror/backendRef")]
    assert out[0]["message"].startswith("requestMirror backendRef to Service 'payments'")


def test_gw105_unknown_target_namespace_is_a_warning(lint_tree):
    text = route("    - name: ledger\n      namespace: finance\n      port: 80\n")
    out = lint_tree({**BASE, "route.yaml": text}, select=["GW105"])
    assert [f["severity"] for f in out] == ["warning"]
    assert "--assume-exists 'ReferenceGrant/finance/*'" in out[0]["hint"]
    assert lint_tree({}, select=["GW105"], assume_exists=["ReferenceGrant/finance/*"]) == []


# --- GW106 certificate-ref-not-permitted ----------------------------------------------------

TLS_SECRET = """
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: shop
type: kubernetes.io/tls
data:
  tls.crt: Y2VydA==
  tls.key: a2V5
"""

HTTPS_GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: secure
  namespace: infra
spec:
  gatewayClassName: envoy
  allowedListeners:
    namespaces:
      from: All
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    hostname: shop.example.com
    tls:
      certificateRefs:
      - name: shop-tls
        namespace: shop
"""


def test_gw106_cross_namespace_certificate_without_grant(lint_tree):
    out = lint_tree({**BASE, "s.yaml": TLS_SECRET, "https.yaml": HTTPS_GATEWAY}, select=["GW106"])
    assert keyed(out) == [("GW106", "https.yaml", 18,
                           "/spec/listeners/0/tls/certificateRefs/0")]
    f = out[0]
    assert f["listener"] == "https"
    assert predicts(f) == ("ResolvedRefs", "False", "RefNotPermitted")
    assert "from Gateway in 'infra' to Secret 'shop-tls'" in f["hint"]


def test_gw106_gateway_grant_permits(lint_tree):
    files = {**BASE, "s.yaml": TLS_SECRET, "https.yaml": HTTPS_GATEWAY,
             "g.yaml": grant("shop", "Gateway", "infra", "Secret", "shop-tls")}
    assert lint_tree(files, select=["GW106"]) == []


LISTENERSET = """
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: extra
  namespace: infra
spec:
  parentRef:
    name: secure
  listeners:
  - name: shop
    protocol: HTTPS
    port: 443
    hostname: www.shop.example.com
    tls:
      certificateRefs:
      - name: shop-tls
        namespace: shop
"""


def test_gw106_gateway_grant_does_not_cover_listenerset(lint_tree):
    files = {**BASE, "s.yaml": TLS_SECRET, "https.yaml": HTTPS_GATEWAY, "ls.yaml": LISTENERSET,
             "g.yaml": grant("shop", "Gateway", "infra", "Secret", "shop-tls")}
    out = lint_tree(files, select=["GW106"])
    assert keyed(out) == [("GW106", "ls.yaml", 16, "/spec/listeners/0/tls/certificateRefs/0")]
    assert out[0]["listener"] == "shop"
    assert "does not apply: it permits references from Gateway, not from ListenerSet" in \
        out[0]["hint"]


def test_gw106_client_certificate_ref(lint_tree):
    gateway = GATEWAY.split("---")[1].rstrip() + """
  tls:
    backend:
      clientCertificateRef:
        name: shop-tls
        namespace: shop
"""
    out = lint_tree({**BASE, "gw.yaml": GATEWAY.split("---")[0] + "---" + gateway,
                     "s.yaml": TLS_SECRET}, select=["GW106"])
    assert [(f["path"], f["listener"]) for f in out] == [
        ("/spec/tls/backend/clientCertificateRef", None)]
    assert out[0]["message"].startswith("clientCertificateRef to Secret 'shop-tls'")


# --- GW107 certificate-ref-invalid ----------------------------------------------------------


def https_gateway(secret: str = "shop-tls", ns: str = "infra") -> str:
    return f"""
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: secure
  namespace: {ns}
spec:
  gatewayClassName: envoy
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: {secret}
"""


def secret(body: str, name: str = "shop-tls", ns: str = "infra") -> str:
    return f"""
apiVersion: v1
kind: Secret
metadata:
  name: {name}
  namespace: {ns}
{body}"""


def test_gw107_missing_secret(lint_tree):
    out = lint_tree({**BASE, "https.yaml": https_gateway()}, select=["GW107"])
    assert keyed(out) == [("GW107", "https.yaml", 14, "/spec/listeners/0/tls/certificateRefs/0")]
    f = out[0]
    assert (f["severity"], f["listener"]) == ("error", "https")
    assert predicts(f) == ("ResolvedRefs", "False", "InvalidCertificateRef")
    assert f["message"] == "certificateRef Secret 'shop-tls' not found in namespace 'infra'"


def test_gw107_wrong_type_and_missing_keys_reported_together(lint_tree):
    body = "type: Opaque\ndata:\n  cert.pem: Y2VydA==\n"
    out = lint_tree({**BASE, "https.yaml": https_gateway(), "s.yaml": secret(body)},
                    select=["GW107"])
    assert len(out) == 1
    assert out[0]["message"] == ("certificateRef Secret 'shop-tls' in namespace 'infra' has type "
                                 "'Opaque', not 'kubernetes.io/tls' and has no tls.crt and tls.key")
    assert (out[0]["related"][0]["file"], out[0]["related"][0]["line"]) == ("s.yaml", 6)


def test_gw107_missing_key(lint_tree):
    body = "type: kubernetes.io/tls\ndata:\n  tls.crt: Y2VydA==\n"
    out = lint_tree({**BASE, "https.yaml": https_gateway(), "s.yaml": secret(body)},
                    select=["GW107"])
    assert out[0]["message"].endswith("has no tls.key")


def test_gw107_valid_sources_of_tls_secrets(lint_tree):
    string_data = secret("type: kubernetes.io/tls\nstringData:\n  tls.crt: cert\n  tls.key: key\n",
                         name="plain")
    certificate = """
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: shop
  namespace: infra
spec:
  secretName: from-cert-manager
  dnsNames: [shop.example.com]
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
"""
    external = """
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: from-vault
  namespace: infra
spec:
  target:
    name: from-external-secrets
"""
    files = {**BASE, "a.yaml": https_gateway("plain"), "s.yaml": string_data,
             "b.yaml": https_gateway("from-cert-manager").replace("name: secure", "name: b"),
             "c.yaml": certificate,
             "d.yaml": https_gateway("from-external-secrets").replace("name: secure", "name: d"),
             "e.yaml": external}
    assert lint_tree(files, select=["GW107"]) == []


def test_gw107_unknown_namespace_is_a_warning(lint_tree):
    gateway = https_gateway() + "        namespace: edge\n"
    out = lint_tree({**BASE, "https.yaml": gateway}, select=["GW107"])
    assert [f["severity"] for f in out] == ["warning"]
    assert "--assume-exists 'Secret/edge/*'" in out[0]["hint"]


def test_gw107_client_certificate_ref(lint_tree):
    gateway = GATEWAY.split("---")[1].rstrip() + """
  tls:
    backend:
      clientCertificateRef:
        name: client
"""
    files = {**BASE, "gw.yaml": GATEWAY.split("---")[0] + "---" + gateway}
    out = lint_tree(files, select=["GW107"])
    assert [(f["path"], predicts(f)) for f in out] == [
        ("/spec/tls/backend/clientCertificateRef",
         ("ResolvedRefs", "False", "InvalidClientCertificateRef"))]
    # An Opaque Secret with the keys is implementation-specific for client certificates: silent.
    opaque = secret("type: Opaque\ndata:\n  tls.crt: Y2VydA==\n  tls.key: a2V5\n", name="client")
    assert lint_tree({"c.yaml": opaque}, select=["GW107"]) == []


# --- GW108 gateway-class-not-found ----------------------------------------------------------


def test_gw108_unknown_class_when_classes_are_defined(lint_tree):
    gateway = GATEWAY.replace("gatewayClassName: envoy", "gatewayClassName: envoy-gateway")
    out = lint_tree({**BASE, "gw.yaml": gateway}, select=["GW108"])
    assert keyed(out) == [("GW108", "gw.yaml", 14, "/spec/gatewayClassName")]
    assert predicts(out[0]) == ("Accepted", "Unknown", "Pending")
    assert out[0]["hint"].startswith("did you mean 'envoy'?")
    assert "--gateway-class envoy-gateway" in out[0]["hint"]


def test_gw108_silent_without_classes_or_when_declared(lint_tree):
    only_gateway = GATEWAY.split("---")[1].replace("envoy", "istio")
    assert lint_tree({"gw.yaml": only_gateway}, select=["GW108"]) == []
    gateway = GATEWAY.replace("gatewayClassName: envoy", "gatewayClassName: envoy-gateway")
    assert lint_tree({"gw.yaml": gateway}, select=["GW108"],
                     gateway_classes=["envoy-gateway"]) == []


# --- GW109 backend-port-protocol-mismatch ---------------------------------------------------

DNS = """
apiVersion: v1
kind: Service
metadata:
  name: dns
  namespace: shop
spec:
  ports:
  - name: dns
    port: 53
  - name: syslog
    port: 514
    protocol: UDP
"""


def test_gw109_udproute_to_default_tcp_port(lint_tree):
    text = route("    - name: dns\n      port: 53\n", kind="UDPRoute")
    out = lint_tree({**BASE, "dns.yaml": DNS, "route.yaml": text}, select=["GW109", "GW104"])
    assert keyed(out) == [("GW109", "route.yaml", 13, "/spec/rules/0/backendRefs/0/port")]
    assert out[0]["message"] == ("UDPRoute backendRef needs a UDP port but port 53 of Service "
                                 "'dns' is TCP (protocol unset: Kubernetes defaults it to TCP)")
    assert predicts(out[0]) == ("ResolvedRefs", "False", "BackendNotFound")
    assert out[0]["related"][0]["line"] == 8


def test_gw109_tcproute_to_udp_port(lint_tree):
    text = route("    - name: dns\n      port: 514\n", kind="TCPRoute")
    out = lint_tree({**BASE, "dns.yaml": DNS, "route.yaml": text}, select=["GW109"])
    assert [f["message"] for f in out] == [
        "TCPRoute backendRef needs a TCP port but port 514 of Service 'dns' is UDP"]


def test_gw109_port_with_both_protocols_is_fine(lint_tree):
    both = DNS.replace("    port: 53\n", "    port: 53\n  - name: dns-udp\n    port: 53\n"
                                         "    protocol: UDP\n")
    text = route("    - name: dns\n      port: 53\n", kind="UDPRoute")
    assert lint_tree({**BASE, "dns.yaml": both, "route.yaml": text}, select=["GW109"]) == []


# --- GW110 ca-certificate-ref-unresolved ----------------------------------------------------


def tls_policy(ca: str = "payments-ca", section: str | None = None) -> str:
    section_line = f"\n    sectionName: {section}" if section else ""
    return f"""
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata:
  name: payments
  namespace: payments
spec:
  targetRefs:
  - group: ""
    kind: Service
    name: payments{section_line}
  validation:
    hostname: payments.internal
    caCertificateRefs:
    - group: ""
      kind: ConfigMap
      name: {ca}
"""


CA = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: payments-ca
  namespace: payments
data:
  ca.crt: |
    -----BEGIN CERTIFICATE-----
"""


def test_gw110_missing_configmap(lint_tree):
    out = lint_tree({**BASE, "p.yaml": tls_policy()}, select=["GW110"])
    assert keyed(out) == [("GW110", "p.yaml", 14, "/spec/validation/caCertificateRefs/0")]
    assert predicts(out[0]) == ("ResolvedRefs", "False", "InvalidCACertificateRef")


def test_gw110_configmap_without_ca_crt(lint_tree):
    bad = CA.replace("ca.crt", "root.pem")
    out = lint_tree({**BASE, "p.yaml": tls_policy(), "ca.yaml": bad}, select=["GW110"])
    assert [f["message"] for f in out] == ["caCertificateRef ConfigMap 'payments-ca' has no key "
                                           "'ca.crt'"]
    assert lint_tree({"ca.yaml": CA}, select=["GW110"]) == []


FRONTEND = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: mtls
  namespace: infra
spec:
  gatewayClassName: envoy
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: infra-tls
  tls:
    frontend:
      default:
        validation:
          caCertificateRefs:
          - group: ""
            kind: ConfigMap
            name: payments-ca
            namespace: payments
"""


def test_gw110_frontend_cross_namespace_needs_grant(lint_tree):
    files = {**BASE, "ca.yaml": CA, "f.yaml": FRONTEND}
    out = lint_tree(files, select=["GW110"])
    assert keyed(out) == [("GW110", "f.yaml", 20,
                           "/spec/tls/frontend/default/validation/caCertificateRefs/0")]
    assert predicts(out[0]) == ("ResolvedRefs", "False", "RefNotPermitted")
    files["g.yaml"] = grant("payments", "Gateway", "infra", "ConfigMap", "payments-ca")
    assert lint_tree(files, select=["GW110"]) == []


# --- GW111 policy-target-not-found ----------------------------------------------------------


def test_gw111_missing_target_service(lint_tree):
    policy = tls_policy().replace("name: payments\n  validation", "name: payment\n  validation")
    out = lint_tree({**BASE, "ca.yaml": CA, "p.yaml": policy}, select=["GW111"])
    assert keyed(out) == [("GW111", "p.yaml", 8, "/spec/targetRefs/0")]
    assert predicts(out[0]) == ("Accepted", "False", "TargetNotFound")
    assert out[0]["hint"] == "did you mean Service 'payments'?"


def test_gw111_section_name_is_not_a_port_name(lint_tree):
    out = lint_tree({**BASE, "ca.yaml": CA, "p.yaml": tls_policy(section="tls")},
                    select=["GW111"])
    assert keyed(out) == [("GW111", "p.yaml", 11, "/spec/targetRefs/0/sectionName")]
    assert out[0]["hint"] == "sectionName names a Service port by name; port names: 'https'"


def test_gw111_matching_target_and_section(lint_tree):
    files = {**BASE, "ca.yaml": CA, "p.yaml": tls_policy(section="https")}
    assert lint_tree(files, select=["GW111", "GW110"]) == []


# --- GW112 listenerset-parent-not-found -----------------------------------------------------


def test_gw112_listenerset_parent_in_wrong_namespace(lint_tree):
    ls = LISTENERSET.replace("namespace: infra", "namespace: shop", 1)
    out = lint_tree({**BASE, "s.yaml": TLS_SECRET, "https.yaml": HTTPS_GATEWAY, "ls.yaml": ls},
                    select=["GW112"])
    assert keyed(out) == [("GW112", "ls.yaml", 7, "/spec/parentRef")]
    assert predicts(out[0]) == ("Accepted", "Unknown", "Pending")
    assert out[0]["hint"] == ("a Gateway named 'secure' exists in namespace 'infra': set "
                              "parentRef.namespace: infra")


def test_gw112_existing_parent(lint_tree):
    files = {**BASE, "s.yaml": TLS_SECRET, "https.yaml": HTTPS_GATEWAY, "ls.yaml": LISTENERSET}
    assert lint_tree(files, select=["GW112"]) == []


# --- GW404 referencegrant-too-broad ---------------------------------------------------------


def test_gw404_secret_grant_without_name(lint_tree):
    files = {**BASE, "s.yaml": TLS_SECRET, "https.yaml": HTTPS_GATEWAY,
             "g.yaml": grant("shop", "Gateway", "infra", "Secret", None)}
    out = lint_tree(files, select=["GW404"])
    assert keyed(out) == [("GW404", "g.yaml", 12, "/spec/to/0")]
    assert out[0]["severity"] == "warning"
    assert out[0]["hint"] == ("references in the linted files use only Secret 'shop-tls': name "
                              "them (one `to` entry per object)")


def test_gw404_service_grant_without_name_is_info(lint_tree):
    out = lint_tree({**BASE, "g.yaml": grant("payments", to_name=None)}, select=["GW404"])
    assert [(f["severity"], f["path"]) for f in out] == [("info", "/spec/to/0")]


def test_gw404_secrets_opened_to_many_namespaces(lint_tree):
    many = grant("shop", "Gateway", "infra", "Secret", "shop-tls").replace(
        "  to:", "".join(f"  - group: gateway.networking.k8s.io\n    kind: Gateway\n"
                         f"    namespace: edge-{i}\n" for i in range(3)) + "  to:")
    out = lint_tree({**BASE, "g.yaml": many}, select=["GW404"])
    assert keyed(out) == [("GW404", "g.yaml", 7, "/spec/from")]
    assert out[0]["message"] == ("ReferenceGrant 'allow' lets 4 namespaces reference Secrets of "
                                 "namespace 'shop'")


def test_gw404_named_grant_is_fine(lint_tree):
    files = {**BASE, "g.yaml": grant("shop", "Gateway", "infra", "Secret", "shop-tls")}
    assert lint_tree(files, select=["GW404"]) == []


# --- GW405 referencegrant-unused ------------------------------------------------------------


def test_gw405_grant_in_wrong_namespace_is_unused(lint_tree):
    files = {**BASE, "route.yaml": route(TO_PAYMENTS), "g.yaml": grant("shop")}
    out = lint_tree(files, select=["GW405"])
    assert keyed(out) == [("GW405", "g.yaml", 4, "/metadata/name")]
    assert out[0]["severity"] == "info"
    assert out[0]["hint"].startswith("it would permit HTTPRoute shop/web -> Service "
                                     "payments/payments if it lived in namespace 'payments'")


def test_gw405_used_grants_and_unknowable_referrers(lint_tree):
    files = {**BASE, "route.yaml": route(TO_PAYMENTS),
             "g.yaml": grant("payments") + "---" + grant("payments", to_name=None, name="also"),
             "other.yaml": grant("payments", from_ns="elsewhere", name="remote"),
             "impl.yaml": grant("payments", name="impl").replace(
                 "group: gateway.networking.k8s.io\n    kind: HTTPRoute",
                 "group: gateway.envoyproxy.io\n    kind: SecurityPolicy")}
    assert lint_tree(files, select=["GW405"]) == []


def test_gw405_independent_of_rule_order(lint_tree):
    files = {**BASE, "route.yaml": route(TO_PAYMENTS), "g.yaml": grant("payments")}
    assert lint_tree(files, select=["GW405"]) == []
    assert lint_tree(files, select=["GW405", "GW105"]) == []


# --- the fixed repository, schema validity and the demo -------------------------------------

FIXED = {
    **BASE,
    "route.yaml": route(TO_PAYMENTS + "    - name: storefront\n      port: 80\n"),
    "grant.yaml": grant("payments") + "---" + grant("shop", "Gateway", "infra", "Secret",
                                                    "shop-tls", name="certs"),
    "s.yaml": TLS_SECRET,
    "https.yaml": HTTPS_GATEWAY,
    "ca.yaml": CA,
    "policy.yaml": tls_policy(section="https"),
}


def test_fixed_repository_is_clean(lint_tree):
    assert lint_tree(FIXED, select=MY_RULES) == []


def test_fixtures_are_schema_valid(lint_tree):
    files = {**FIXED, "ls.yaml": LISTENERSET, "dns.yaml": DNS, "f.yaml": FRONTEND,
             "udp.yaml": route("    - name: dns\n      port: 53\n", kind="UDPRoute", ns="edge"),
             "tcp.yaml": route("    - name: dns\n      port: 53\n", kind="TCPRoute", ns="edge2"),
             "grpc.yaml": route(TO_PAYMENTS, kind="GRPCRoute", ns="edge3"),
             "v1.yaml": grant("payments", version="v1", name="v1")}
    out = lint_tree(files, select=["GW0"])
    assert [(f["rule"], f["file"], f["line"], f["message"]) for f in out] == []


def test_demo_reports_the_payments_backend(monkeypatch):
    monkeypatch.chdir(ROOT)
    report = lint(LintConfig(paths=["examples/demo"], select=MY_RULES))
    out = [finding_dict(report, f) for f in report.findings]
    assert keyed(out) == [("GW105", "examples/demo/apps/shop/route.yaml", 30,
                           "/spec/rules/1/backendRefs/0")]
    assert predicts(out[0]) == ("ResolvedRefs", "False", "RefNotPermitted")


MALFORMED = """
apiVersion: v1
kind: Service
metadata:
  name: storefront
  namespace: shop
spec:
  ports: [80, {port: "80"}, {port: 80, protocol: [TCP]}, {name: {x: 1}}]
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: infra
type: [kubernetes.io/tls]
data: [tls.crt]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: payments-ca
  namespace: payments
data: oops
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: junk
  namespace: payments
spec:
  from: {group: 1}
  to: [{group: [x], kind: {y: 2}}, 7, {kind: Secret, name: [a]}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: junk2
  namespace: shop
spec:
  from: [{group: [1], kind: {a: 1}, namespace: [x]}, 3]
  to: {}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: shop
spec:
  parentRefs: [{name: gw, namespace: infra}]
  rules:
  - backendRefs:
    - {name: storefront, port: 80, group: 5, kind: [a]}
    - {name: storefront, port: "80"}
    - {name: payments, namespace: payments, port: 8443}
    filters: [{type: RequestMirror, requestMirror: {backendRef: [1]}}]
"""


def test_malformed_bodies_never_crash(lint_tree):
    files = {**BASE, "bad.yaml": MALFORMED, "https.yaml": https_gateway(),
             "p.yaml": tls_policy(section="https")}
    lint_tree(files, select=MY_RULES)  # findings are fine; exceptions are not


def test_gw102_weight_zero_backend_is_still_resolved(lint_tree):
    # ResolvedRefs is about references, not traffic: a weight-0 backend is still validated.
    text = route("    - name: storefrnt\n      port: 80\n      weight: 0\n"
                 "    - name: storefront\n      port: 80\n")
    out = lint_tree({**BASE, "route.yaml": text}, select=["GW102"])
    assert keyed(out) == [("GW102", "route.yaml", 12, "/spec/rules/0/backendRefs/0")]
