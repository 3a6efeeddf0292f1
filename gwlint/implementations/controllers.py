"""Known GatewayClass `controllerName` values -> implementation (as the bundled reports name it).

Exact names only: a controllerName that is not listed is unknown (report it once, never guess).
Each row is the controller name the implementation's own documentation or code tells users to
put in their GatewayClass:

* envoy-gateway: `gateway.envoyproxy.io/gatewayclass-controller` (gateway.envoyproxy.io
  quickstart, `quickstart.yaml`)
* istio: `istio.io/gateway-controller` (istio.io Gateway API task; the `istio` GatewayClass)
* cilium: `io.cilium/gateway-controller` (docs.cilium.io Gateway API support)
* nginx-gateway-fabric: `gateway.nginx.org/nginx-gateway-controller` (docs.nginx.com NGF)
* traefik: `traefik.io/gateway-controller` (Traefik Helm chart `templates/gatewayclass.yaml`)
* kong: `konghq.com/kic-gateway-controller` (Kong Ingress Controller, unmanaged GatewayClass) and
  `konghq.com/gateway-operator` (developer.konghq.com/operator/dataplanes/gateway-api: "Kong
  Operator watches for GatewayClass resources where the spec.controllerName is
  konghq.com/gateway-operator")
* kgateway: `kgateway.dev/kgateway` (kgateway.dev docs)
* agentgateway: `agentgateway.dev/agentgateway` (agentgateway controller tests, docs)
* aws-load-balancer-controller: `gateway.k8s.aws/alb` (L7) and `gateway.k8s.aws/nlb` (L4)
  (kubernetes-sigs.github.io/aws-load-balancer-controller/v3.5/guide/gateway/l7gateway/:
  "the LBC specifically manages GatewayClass resources with the controllerName set to
  gateway.k8s.aws/alb")
* aws-application-networking-k8s (VPC Lattice): `application-networking.k8s.aws/gateway-api-
  controller` (aws-application-networking-k8s docs, the `amazon-vpc-lattice` GatewayClass)
* gke: `networking.gke.io/gateway` (cloud.google.com GKE Gateway; every `gke-l7-*` class)
* contour: `projectcontour.io/gateway-controller` (projectcontour.io Gateway API guide)
* higress: `higress.io/gateway-controller` (higress.io docs; `V1GatewayClassSpec.CONTROLLER_NAME`)
* haproxy-ingress: `haproxy-ingress.github.io/controller` (haproxy-ingress.github.io Gateway API)
* gloo-gateway: `solo.io/gloo-gateway` (docs.solo.io Gloo Gateway, the `gloo-gateway` class)
* airlock-microgateway: `microgateway.airlock.com/gatewayclass-controller` (Airlock
  Microgateway Helm chart, `operator.gatewayAPI.controllerName` default)
* gravitee: `apim.gravitee.io/gateway` (documentation.gravitee.io, Gravitee Kubernetes Operator)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

CONTROLLERS: Mapping[str, str] = MappingProxyType({
    "gateway.envoyproxy.io/gatewayclass-controller": "envoy-gateway",
    "istio.io/gateway-controller": "istio",
    "io.cilium/gateway-controller": "cilium",
    "gateway.nginx.org/nginx-gateway-controller": "nginx-gateway-fabric",
    "traefik.io/gateway-controller": "traefik",
    "konghq.com/kic-gateway-controller": "kong",
    "konghq.com/gateway-operator": "kong",
    "kgateway.dev/kgateway": "kgateway",
    "agentgateway.dev/agentgateway": "agentgateway",
    "gateway.k8s.aws/alb": "aws-load-balancer-controller",
    "gateway.k8s.aws/nlb": "aws-load-balancer-controller",
    "application-networking.k8s.aws/gateway-api-controller": "aws-application-networking-k8s",
    "networking.gke.io/gateway": "gke",
    "projectcontour.io/gateway-controller": "contour",
    "higress.io/gateway-controller": "higress",
    "haproxy-ingress.github.io/controller": "haproxy-ingress",
    "solo.io/gloo-gateway": "gloo-gateway",
    "microgateway.airlock.com/gatewayclass-controller": "airlock-microgateway",
    "apim.gravitee.io/gateway": "gravitee",
})


def implementation_for(controller_name: str | None) -> str | None:
    """The implementation (report name, e.g. 'envoy-gateway') of a GatewayClass controllerName,
    or None when it is not a known one. Plain data: no report is loaded."""
    if not isinstance(controller_name, str):
        return None
    return CONTROLLERS.get(controller_name.strip())
