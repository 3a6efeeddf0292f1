"""GW113 parameters-ref-not-found: the message, and the consequences the finding predicts."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import conditions


def test_gatewayclass_parameters_leave_its_gateways_pending() -> None:
    """A GatewayClass that is not accepted serves no Gateway: the CRD default Accepted=Unknown
    Pending stays on each of its Gateways (GatewayReasonPending: "no controller has reconciled
    the Gateway")."""
    [f] = fixture_findings("GW113", "bad_gatewayclass.yaml")
    assert f["message"].startswith("parametersRef names ConfigMap 'envoy-params' in namespace "
                                   "'envoy-gateway-system', which does not exist")
    assert conditions(f) == [
        "GatewayClass/envoy Accepted=False InvalidParameters",
        "Gateway/infra/web Accepted=Unknown Pending",
        "Gateway/infra/web Programmed=Unknown Pending"]


def test_gateway_infrastructure_parameters() -> None:
    [f] = fixture_findings("GW113", "bad_gateway_infrastructure.yaml")
    assert f["path"] == "/spec/infrastructure/parametersRef"
    assert conditions(f)[:2] == ["Gateway/infra/web Accepted=False InvalidParameters",
                                 "Gateway/infra/web Programmed=False Invalid"]
