"""Helpers: build `Resource` objects from YAML the way the pipeline does (CRD defaults applied),
refusing fixtures the API server would reject."""

from __future__ import annotations

import textwrap
from functools import cache

import yaml

from gwlint.model import Origin, Resource, is_cluster_scoped, split_api_version
from gwlint.source import SourceFile


@cache
def _schemas(release: str, channel: str):
    from gwlint.schema import SchemaSet

    return SchemaSet(release, channel)


def objects(text: str, release: str = "v1.6.1", channel: str = "experimental",
            validate: bool = True, scope: str = "") -> list[Resource]:
    """The objects of a YAML stream, defaulted by the CRDs of `release`; with `validate`, any
    schema or CEL violation fails the test (fixtures must be objects the API server accepts)."""
    text = textwrap.dedent(text)
    source = SourceFile("fixture.yaml", text)
    schemas = _schemas(release, channel)
    out = []
    for i, doc in enumerate(d for d in yaml.safe_load_all(text) if d):
        group, version = split_api_version(doc["apiVersion"])
        meta = doc.get("metadata") or {}
        namespace = None if is_cluster_scoped(group, doc["kind"]) else meta.get("namespace",
                                                                                 "default")
        res = Resource(doc["apiVersion"], group, version, doc["kind"], namespace, meta["name"],
                       doc, Origin(source, i), scope)
        if schemas.handles(res.api_version, res.kind):
            violations, res.defaulted = schemas.process(res.api_version, res.kind, res.body)
            if validate:
                assert not violations, [(v.path, v.message) for v in violations]
        out.append(res)
    return out
