"""The README's predicted-status section accounts for every condition type and reason constant of
Gateway API v1.6.1 (`apis/v1` gatewayclass_types.go, gateway_types.go, shared_types.go,
listenerset_types.go, policy_types.go, backendtlspolicy_types.go): a table row that says what
sets it, or the not-predicted paragraph that says why files cannot decide it. The status model's
own names (`gwlint.status.conditions`) must be documented too."""

from __future__ import annotations

import re
from pathlib import Path

from gwlint.status import conditions as C

README = Path(__file__).resolve().parents[2] / "README.md"

# the v1.6.1 constants, by the object whose status holds them
API_CONSTANTS = {
    "GatewayClass": ["Accepted", "Invalid", "InvalidParameters", "Pending", "Waiting",
                     "SupportedVersion", "UnsupportedVersion"],
    "Gateway": ["Accepted", "Programmed", "ResolvedRefs", "InsecureFrontendValidationMode",
                "Invalid", "NoResources", "AddressNotAssigned", "AddressNotUsable",
                "ConfigurationChanged", "ListenersNotValid", "Pending", "UnsupportedAddress",
                "InvalidParameters", "Scheduled", "NotReconciled", "InvalidClientCertificateRef",
                "RefNotPermitted", "ListenersNotResolved", "Ready", "ListenersNotReady"],
    "Listener": ["Conflicted", "HostnameConflict", "ProtocolConflict", "NoConflicts", "Accepted",
                 "Detached", "Attached", "PortUnavailable", "UnsupportedProtocol",
                 "NoValidCACertificate", "UnsupportedValue", "ResolvedRefs",
                 "InvalidCertificateRef", "InvalidRouteKinds", "RefNotPermitted",
                 "InvalidCACertificateRef", "InvalidCACertificateKind", "Programmed", "Invalid",
                 "Pending", "OverlappingTLSConfig", "OverlappingHostnames",
                 "OverlappingCertificates"],
    "ListenerSet": ["Accepted", "Programmed", "NotAllowed", "ParentNotAccepted",
                    "ListenersNotValid", "Invalid", "Pending", "ListenerConflict",
                    "TooManyListeners", "PortUnavailable"],
    "Route": ["Accepted", "NotAllowedByListeners", "NoMatchingListenerHostname",
              "NoMatchingParent", "UnsupportedValue", "Pending", "IncompatibleFilters",
              "ResolvedRefs", "RefNotPermitted", "InvalidKind", "BackendNotFound",
              "UnsupportedProtocol", "PartiallyInvalid"],
    "Policy": ["Accepted", "Conflicted", "Invalid", "TargetNotFound", "NoValidCACertificate",
               "ResolvedRefs", "InvalidCACertificateRef", "InvalidKind"],
}


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Predicted status: `gwlint status`")
    return text[start:text.index("\n## ", start + 1)]


def _documented(name: str, section: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", section) is not None


def test_every_api_constant_is_accounted_for() -> None:
    section = _section()
    missing = sorted({n for names in API_CONSTANTS.values() for n in names
                      if not _documented(n, section)})
    assert not missing, f"README status section does not mention: {missing}"


def test_every_name_the_model_writes_is_documented() -> None:
    section = _section()
    names = {v for k, v in vars(C).items()
             if isinstance(v, str) and k.isupper() and k not in ("TRUE", "FALSE", "UNKNOWN",
                                                                  "SPEC", "CONFORMANCE",
                                                                  "IMPLEMENTATION")}
    missing = sorted(n for n in names if not _documented(n, section))
    assert not missing, f"README status section does not mention: {missing}"
