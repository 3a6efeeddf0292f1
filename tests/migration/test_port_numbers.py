"""A Service port is an integer, never a boolean (Python's bool is an int): an Ingress backend's
port name does not resolve to `port: true`."""

from __future__ import annotations

from gwlint.migration.ingress import Backend
from gwlint.migration.replacements import resolve_port
from gwlint.migration.routes import gateway_index

from .helpers import context

SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: web, namespace: app}
spec:
  ports:
  - {name: http, port: true}
  - {name: https, port: 443}
"""


def test_a_port_name_resolves_to_integer_ports_only() -> None:
    ctx = context(SERVICE)
    gidx = gateway_index(ctx)
    assert resolve_port(gidx, "", Backend("app", "web", port_name="https")) == 443
    assert resolve_port(gidx, "", Backend("app", "web", port_name="http")) is None
