"""Implementation profiles beside the spec: the same manifests judged for the spec, Envoy Gateway
and Cilium, whole statuses asserted (expectations by hand: the spec from the v1.6.1 CRD text,
each profile row from the implementation's source or test outputs named in `profiles.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.status.helpers import compact_all, predict

SPEC = "example.com/gateway-controller"
ENVOY = "gateway.envoyproxy.io/gatewayclass-controller"
CILIUM = "io.cilium/gateway-controller"

CERT_GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {{name: cls}}
spec: {{controllerName: {controller}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: gw, namespace: infra}}
spec:
  gatewayClassName: cls
  listeners:
  - {{name: https, port: 443, protocol: HTTPS, tls: {{certificateRefs: [{{name: {secret}}}]}}}}
---
apiVersion: v1
kind: Secret
metadata: {{name: cert, namespace: infra}}
type: kubernetes.io/tls
data: {{tls.crt: Y2VydA==, tls.key: a2V5}}
"""

LISTENERSET = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {{name: cls}}
spec: {{controllerName: {controller}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: gw, namespace: infra}}
spec:
  gatewayClassName: cls
  allowedListeners: {{namespaces: {{from: Same}}}}
  listeners: [{{name: main, port: 80, protocol: {protocol}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {{name: extra, namespace: infra}}
spec:
  parentRef: {{name: gw}}
  listeners: [{{name: more, port: 8080, protocol: HTTP}}]
"""


def _status(tmp_path: Path, template: str, **values: str) -> dict[str, dict]:
    name = "-".join(v.replace("/", "_") for v in values.values()) + ".yaml"
    path = tmp_path / name
    path.write_text(template.format(**values), encoding="utf-8")
    return compact_all(predict(path))


HTTPS_KINDS = ["HTTPRoute", "GRPCRoute"]


def test_no_valid_listener_programmed_reason(tmp_path: Path) -> None:
    """A Gateway whose only listener has a missing certificate: no listener is valid. The spec:
    Accepted False ListenersNotValid and Programmed False Invalid (Programmed's reasons are
    Programmed/Invalid/...; ListenersNotValid is an Accepted reason), the listener stays
    Accepted. Cilium writes Programmed False ListenersNotValid and refuses the listener
    (Accepted False Invalid: its operator's test output gateway-certificate-nonexistent-secret);
    Envoy Gateway follows the spec."""
    for controller, programmed, accepted in (
            (SPEC, "Programmed False Invalid", "Accepted True Accepted"),
            (ENVOY, "Programmed False Invalid", "Accepted True Accepted"),
            (CILIUM, "Programmed False ListenersNotValid", "Accepted False Invalid")):
        listener = {"attachedRoutes": 0, "supportedKinds": HTTPS_KINDS, "conditions": [
            accepted, "Programmed False Invalid", "ResolvedRefs False InvalidCertificateRef",
            "Conflicted False NoConflicts"]}
        got = _status(tmp_path, CERT_GATEWAY, controller=controller, secret="missing")
        assert got["Gateway/infra/gw"] == {
            "conditions": ["Accepted False ListenersNotValid", programmed],
            "listeners": {"https": listener}}, controller


def test_valid_listener_is_programmed_for_every_profile(tmp_path: Path) -> None:
    listener = {"attachedRoutes": 0, "supportedKinds": HTTPS_KINDS, "conditions": [
        "Accepted True Accepted", "Programmed True Programmed", "ResolvedRefs True ResolvedRefs",
        "Conflicted False NoConflicts"]}
    for controller in (SPEC, ENVOY, CILIUM):
        got = _status(tmp_path, CERT_GATEWAY, controller=controller, secret="cert")
        assert got["Gateway/infra/gw"] == {
            "conditions": ["Accepted True Accepted", "Programmed True Programmed"],
            "listeners": {"https": listener}}, controller


def test_listenerset_of_a_gateway_not_accepted(tmp_path: Path) -> None:
    """The Gateway's only listener has an unsupported protocol, so the Gateway is not accepted and
    its ListenerSet is Accepted False ParentNotAccepted with Programmed False
    ParentNotProgrammed (ListenerSetParentNotAccepted; `ListenerSetReasonParentNotProgrammed`).
    Envoy Gateway writes Programmed False with reason Programmed."""
    for controller, programmed in ((SPEC, "Programmed False ParentNotProgrammed"),
                                   (ENVOY, "Programmed False Programmed"),
                                   (CILIUM, "Programmed False ParentNotProgrammed")):
        got = _status(tmp_path, LISTENERSET, controller=controller, protocol="FTP")
        assert got["ListenerSet/infra/extra"] == {
            "conditions": ["Accepted False ParentNotAccepted", programmed]}, controller
        assert got["Gateway/infra/gw"]["conditions"][0] == "Accepted False ListenersNotValid"


def test_listenerset_of_an_accepted_gateway(tmp_path: Path) -> None:
    for controller in (SPEC, ENVOY, CILIUM):
        got = _status(tmp_path, LISTENERSET, controller=controller, protocol="HTTP")
        assert got["ListenerSet/infra/extra"] == {
            "conditions": ["Accepted True Accepted", "Programmed True Programmed"],
            "listeners": {"more": {
                "attachedRoutes": 0, "supportedKinds": HTTPS_KINDS, "conditions": [
                    "Accepted True Accepted", "Programmed True Programmed",
                    "ResolvedRefs True ResolvedRefs", "Conflicted False NoConflicts"]}}}, \
            controller


PARAMS_GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {{name: cls}}
spec: {{controllerName: {controller}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: params, namespace: infra}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: gw, namespace: infra}}
spec:
  gatewayClassName: cls
  infrastructure: {{parametersRef: {{group: "", kind: ConfigMap, name: {params}}}}}
  listeners: [{{name: http, port: 80, protocol: HTTP}}]
"""


def test_gateway_with_missing_parameters(tmp_path: Path) -> None:
    """spec.infrastructure.parametersRef to a ConfigMap that is not there: Accepted False
    InvalidParameters (GatewayInvalidParametersRef); Programmed False Invalid (a semantically
    invalid Gateway) for the spec and Envoy Gateway, Unknown Pending for Cilium."""
    for controller, programmed in ((SPEC, "Programmed False Invalid"),
                                   (ENVOY, "Programmed False Invalid"),
                                   (CILIUM, "Programmed Unknown Pending")):
        got = _status(tmp_path, PARAMS_GATEWAY, controller=controller, params="missing")
        assert got["Gateway/infra/gw"]["conditions"] == [
            "Accepted False InvalidParameters", programmed], controller


def test_gateway_with_parameters_present(tmp_path: Path) -> None:
    for controller in (SPEC, ENVOY, CILIUM):
        got = _status(tmp_path, PARAMS_GATEWAY, controller=controller, params="params")
        assert got["Gateway/infra/gw"]["conditions"] == [
            "Accepted True Accepted", "Programmed True Programmed"], controller
