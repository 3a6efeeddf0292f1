"""Built objects cross from the worker processes to the parent pickled: what arrives must be
what was built (origin maps, origins, the interned bodies), whatever the pickled form."""

from __future__ import annotations

import pickle
from dataclasses import fields

from gwlint.gitops.built import BuiltOrigin, SourceTable
from gwlint.gitops.kustomize.build import _freeze, _ResourceFile
from gwlint.gitops.kustomize.model import RefUpdate, Rename, ResId
from gwlint.gitops.origins import OriginMap, Written
from gwlint.source import SourceFile


def _map() -> OriginMap:
    base = Written("base/route.yaml", 1)
    ns = Written("overlays/prod/kustomization.yaml", 0, ("namespace",))
    patch = Written("overlays/prod/patch.yaml", 0, (), ("patches", 0, "patch"), 2)
    origins = OriginMap(base)
    origins.set(("metadata", "namespace"), ns)
    origins.set(("spec", "rules", 0, "backendRefs", 1, "weight"), patch)
    origins.set(("spec", "hostnames"), patch)
    origins.set(("spec", "hostnames", 0), ns)
    origins.drop(("spec", "rules", 0, "backendRefs", 1))
    origins.set(("spec", "rules", 0, "backendRefs", 0, "port"), patch)
    return origins


PATHS = [(), ("metadata",), ("metadata", "namespace"), ("metadata", "namespace", "x"),
         ("spec", "hostnames"), ("spec", "hostnames", 0), ("spec", "hostnames", 1),
         ("spec", "rules", 0, "backendRefs", 0, "port"),
         ("spec", "rules", 0, "backendRefs", 1, "weight"), ("spec", "parentRefs", 0)]


def test_origin_map_round_trip() -> None:
    origins = _map()
    copy = pickle.loads(pickle.dumps(origins))
    assert [copy.lookup(p) for p in PATHS] == [origins.lookup(p) for p in PATHS]
    assert copy.writers() == origins.writers()
    again = pickle.loads(pickle.dumps(copy))  # still packed: pickled as it came
    assert again.writers() == origins.writers()


def test_written_shared_once() -> None:
    shared = Written("overlays/prod/kustomization.yaml", 0, ("namespace",))
    maps = []
    for i in range(50):
        origins = OriginMap(Written("base/route.yaml", i))
        origins.set(("metadata", "namespace"), shared)
        maps.append(origins)
    back = pickle.loads(pickle.dumps(maps))
    found = {id(m.lookup(("metadata", "namespace"))) for m in back}
    assert len(found) == 1  # one object after the round trip, as before it


def test_built_origin_round_trip_every_field() -> None:
    src = SourceFile("base/route.yaml", "kind: HTTPRoute\n")
    origin = BuiltOrigin(src, 1, ("items", 0), 7, _map(), "overlays/prod", SourceTable())
    assert len(origin.__reduce__()[1]) == len(fields(BuiltOrigin))  # a new field: pickle it
    back = pickle.loads(pickle.dumps(origin))
    for f in fields(BuiltOrigin):
        if f.name in ("origins", "table", "source"):
            continue
        assert getattr(back, f.name) == getattr(origin, f.name), f.name
    assert back.source.path == src.path
    assert back.origins.writers() == origin.origins.writers()


def test_frozen_bodies_share_interned_strings() -> None:
    body = {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"ports": [{"name": "http", "port": 80}], "note": "x" * 100}}
    frozen = _freeze(body)
    resource = _ResourceFile([Written("s.yaml", 0)], [], False, [frozen])
    one, two = resource.bodies()[0], resource.bodies()[0]
    assert one == two == body
    assert one is not two and one["spec"] is not two["spec"]  # independent copies
    key_one = next(k for k in one["metadata"] if k == "labels")
    key_two = next(k for k in two["metadata"] if k == "labels")
    assert key_one is key_two  # one string object for every copy's key
    assert one["metadata"]["name"] is two["metadata"]["name"]


def test_build_ids_and_renames_round_trip_every_field() -> None:
    old = ResId("gateway.networking.k8s.io", "v1", "Gateway", None, "web")
    new = ResId("gateway.networking.k8s.io", "v1", "Gateway", "prod", "prod-web")
    rename = Rename(old, new, "overlays/prod/kustomization.yaml", "namePrefix")
    update = RefUpdate(new, ("spec", "parentRefs", 0, "name"), "web", "prod-web")
    for value in (old, new, rename, update):
        assert len(value.__reduce__()[1]) == len(fields(value))  # a new field: pickle it
        assert pickle.loads(pickle.dumps(value)) == value
