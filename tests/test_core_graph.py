"""The reference graph: typed edges, spec defaults, missing nodes, scopes, duplicates, versions."""

from __future__ import annotations

import os
from pathlib import Path

from gwlint.config import LintConfig
from gwlint.context import Context, Options
from gwlint.load import parse_inputs, read_inputs
from gwlint.model import ObjKey
from gwlint.refs import BACKEND, CERTIFICATE, GATEWAY_CLASS, MIRROR, PARENT
from gwlint.versions import choose_version, detect

from conftest import write_tree

GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: envoy
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: cert
"""
ROUTE = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs:
  - name: gw
    namespace: infra
    sectionName: https
  rules:
  - filters:
    - type: RequestMirror
      requestMirror:
        backendRef:
          name: shadow
          port: 80
    backendRefs:
    - name: web
      port: 80
      weight: 3
    - name: other
      namespace: elsewhere
      port: 81
"""


def build(tmp_path: Path, files: dict[str, str], **config) -> Context:
    write_tree(tmp_path, files)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        cfg = LintConfig(paths=["."], **config)
        sources, _ = read_inputs(cfg)
        extraction, _, _ = parse_inputs(sources, cfg)
        return Context(extraction.resources, Options(default_namespace=cfg.default_namespace,
                                                     assume_exists=cfg.assume_exists))
    finally:
        os.chdir(old)


def test_edges_with_defaults_and_missing_nodes(tmp_path):
    ctx = build(tmp_path, {"gw.yaml": GATEWAY, "app/route.yaml": ROUTE})
    [parent] = ctx.refs(PARENT)
    assert parent.target == ObjKey("", "gateway.networking.k8s.io", "Gateway", "infra", "gw")
    assert parent.section_name == "https" and parent.source.namespace == "default"
    backends = list(ctx.refs(BACKEND))
    assert [(b.target.namespace, b.target.name, b.weight, b.weight_set) for b in backends] == [
        ("default", "web", 3, True), ("elsewhere", "other", 1, False)]
    assert [b.cross_namespace for b in backends] == [False, True]
    [mirror] = ctx.refs(MIRROR)
    assert mirror.path == ("spec", "rules", 0, "filters", 0, "requestMirror", "backendRef")
    [cert] = ctx.refs(CERTIFICATE)
    assert cert.target == ObjKey("", "", "Secret", "infra", "cert") and cert.listener == "https"
    [cls] = ctx.refs(GATEWAY_CLASS)
    assert cls.target.namespace is None
    # every reference is an edge; targets not in the files are nodes marked missing
    assert ctx.graph.nodes[parent.target]["missing"] is False
    assert ctx.graph.nodes[backends[0].target]["missing"] is True
    types = {d["type"] for _, _, d in ctx.graph.edges(data=True)}
    assert types == {PARENT, BACKEND, MIRROR, CERTIFICATE, GATEWAY_CLASS}


def test_scopes_never_resolve_across_clusters(tmp_path):
    ctx = build(tmp_path, {"clusters/prod/gw.yaml": GATEWAY,
                           "clusters/staging/route.yaml": ROUTE}, scopes=["clusters/*"])
    [parent] = ctx.refs(PARENT)
    assert parent.target.scope == "clusters/staging"
    assert not ctx.exists(parent.target)


def test_duplicate_objects_in_one_scope(tmp_path):
    ctx = build(tmp_path, {"a.yaml": GATEWAY, "b.yaml": GATEWAY})
    assert len(ctx.duplicates) == 1
    ctx = build(tmp_path / "s", {"clusters/a/g.yaml": GATEWAY, "clusters/b/g.yaml": GATEWAY},
                scopes=["clusters/*"])
    assert ctx.duplicates == []


def test_cert_manager_certificate_produces_its_secret(tmp_path):
    cert = """
    apiVersion: cert-manager.io/v1
    kind: Certificate
    metadata:
      name: c
      namespace: infra
    spec:
      secretName: cert
      issuerRef: {name: letsencrypt}
    """
    ctx = build(tmp_path, {"gw.yaml": GATEWAY, "cert.yaml": cert})
    [ref] = ctx.refs(CERTIFICATE)
    assert ctx.exists(ref.target) and ctx.get(ref.target).virtual


def test_assume_exists_globs(tmp_path):
    ctx = build(tmp_path, {"app/route.yaml": ROUTE}, assume_exists=["Service/elsewhere/*"])
    backends = {b.target.name: ctx.exists(b.target) for b in ctx.refs(BACKEND)}
    assert backends == {"web": False, "other": True}


def test_version_detected_from_crds_and_option_wins(tmp_path):
    crd = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: httproutes.gateway.networking.k8s.io
      annotations:
        gateway.networking.k8s.io/bundle-version: v1.2.1
        gateway.networking.k8s.io/channel: experimental
    spec:
      group: gateway.networking.k8s.io
    """
    ctx = build(tmp_path, {"crds/httproute.yaml": crd})
    choice = choose_version(None, None, detect(ctx.resources))
    assert (choice.version, choice.channel, choice.source) == ("v1.2.1", "experimental", "detected")
    assert choice.detected_from == "crds/httproute.yaml"
    choice = choose_version("v1.4", None, detect(ctx.resources))
    assert (choice.version, choice.source) == ("v1.4.1", "option")
