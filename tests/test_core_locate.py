"""Locating findings: the forked path gives exactly the sequential result (findings, related
locations in other files, file-level findings), and survives a child that dies."""

from __future__ import annotations

import os

import pytest

from gwlint import locate
from gwlint.engine import LintConfig, lint

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web-{i}
  namespace: team-{i}
spec:
  parentRefs:
  - name: missing-gateway
  rules:
  - backendRefs:
    - name: svc-{i}
      port: 80
"""

BROKEN = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n"  # a syntax error: file-level


def _corpus(tmp_path, files: int = 12):
    for i in range(files):
        (tmp_path / f"route-{i}.yaml").write_text(ROUTE.format(i=i))
        # the same object again in another file: GW006 with a related location there
        (tmp_path / f"dup-{i}.yaml").write_text("# a copy\n" + ROUTE.format(i=i))
    (tmp_path / "broken.yaml").write_text(BROKEN)
    return tmp_path


def _located(path, monkeypatch, min_files: int):
    monkeypatch.setattr(locate, "PARALLEL_MIN_FILES", min_files)
    report = lint(LintConfig(paths=[str(path)], jobs=1))
    return [(f.rule, f.location, [(r.message, r.location) for r in f.related])
            for f in report.findings]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the parallel path needs fork")
def test_forked_locate_equals_sequential(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path)
    sequential = _located(corpus, monkeypatch, 10**9)
    forked = _located(corpus, monkeypatch, 2)
    assert forked == sequential
    rules = {rule for rule, _, _ in sequential}
    assert "GW001" in rules  # a file-level finding went through the same path
    assert any(related for _, _, related in sequential)
    assert all(loc.line >= 1 and loc.file.endswith(".yaml") for _, loc, _ in sequential)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the parallel path needs fork")
def test_child_that_dies_is_replaced_by_this_process(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path)
    sequential = _located(corpus, monkeypatch, 10**9)
    monkeypatch.setattr(locate, "_child", lambda conn, requests: os._exit(3))
    assert _located(corpus, monkeypatch, 2) == sequential
