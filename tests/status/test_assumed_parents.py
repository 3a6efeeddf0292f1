"""A route whose parent is declared with --assume-exists: the parent exists outside the files,
so its controller writes an entry, but what it says cannot be decided (RouteConditionAccepted:
"Possible reasons for this condition to be Unknown are: Pending"). Without the declaration a
missing parent gets no entry ("parent references that cannot be resolved by an implementation
of this API will not be added to this list", RouteStatus.parents)."""

from __future__ import annotations

from pathlib import Path

from tests.status.helpers import compact_all, predict

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: shared, namespace: infra}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: app}
spec: {ports: [{port: 80}]}
"""


def _route(tmp_path: Path, *assumed: str) -> dict[str, object]:
    path = tmp_path / "route.yaml"
    path.write_text(ROUTE, encoding="utf-8")
    return compact_all(predict(path, assume_exists=list(assumed)))["HTTPRoute/app/web"]


def test_assumed_parent_is_pending(tmp_path: Path) -> None:
    got = _route(tmp_path, "Gateway/infra/shared")
    # the backendRef's Service is in the files: ResolvedRefs is decided
    assert got["parents"] == {"Gateway/infra/shared": ["Accepted Unknown Pending",
                                                       "ResolvedRefs True ResolvedRefs"]}


def test_missing_parent_gets_no_entry(tmp_path: Path) -> None:
    assert _route(tmp_path).get("parents", {}) == {}
