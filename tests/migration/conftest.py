"""Helpers for the migration tests: a Context straight from YAML texts (no engine, no schema
stage: the migration model must not depend on CRD defaulting)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from gwlint.context import Context, Options
from gwlint.model import Origin, Resource, is_cluster_scoped, split_api_version
from gwlint.source import SourceFile

FIXTURES = Path(__file__).parent / "fixtures"


def resources(*texts: str, path: str = "test.yaml", scope: str = "") -> list[Resource]:
    """Resources of YAML texts (each may hold several documents); namespace defaults to
    'default' as kubectl does."""
    out = []
    for n, text in enumerate(texts):
        text = textwrap.dedent(text)
        source = SourceFile(f"{n}-{path}" if len(texts) > 1 else path, text)
        for i, doc in enumerate(yaml.safe_load_all(text)):
            if not isinstance(doc, dict) or "kind" not in doc:
                continue
            group, version = split_api_version(str(doc.get("apiVersion", "")))
            kind = doc["kind"]
            meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
            ns = None if is_cluster_scoped(group, kind) else (meta.get("namespace") or "default")
            out.append(Resource(doc.get("apiVersion", ""), group, version, kind, ns,
                                str(meta.get("name", "")), doc, Origin(source, i), scope))
    return out


def context(*texts: str, scope: str = "") -> Context:
    return Context(resources(*texts, scope=scope), Options())


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def problems(parity, code: str | None = None) -> list:
    return [r for r in parity.problems() if code is None or r.code == code]


@pytest.fixture
def ctx_of():
    return context
