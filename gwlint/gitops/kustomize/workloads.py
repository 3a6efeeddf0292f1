"""`images` and `replicas`: the workload fields of a kustomization, applied as kustomize v5 does.

Neither touches a Gateway API object, but nearly every overlay sets them; applying them keeps
the built workloads equal to `kustomize build` and the overlay free of "not applied" notes.

- `images` (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/): each
  entry, in order, rewrites the `image` of every element of a `containers` or `initContainers`
  list anywhere in an object (kustomize's legacy image filter), when the image's name is the
  entry's `name` (matched as kustomize does: the name is a regular expression anchored before an
  optional `:tag` and `@sha256:digest`). `newName` replaces the name; `newTag` and `digest`
  each replace both the tag and the digest.
- `replicas` (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/replicas/):
  sets `spec/replicas` of the Deployments, ReplicationControllers, ReplicaSets and StatefulSets
  (any group) that have, or had, the entry's name; an entry that matches nothing fails the
  build.

Both checked against `kubectl kustomize` (kustomize v5.5.0).
"""

from __future__ import annotations

import re
from typing import Any

from gwlint.gitops.kustomize.model import BuiltObject
from gwlint.gitops.origins import Path, Written

REPLICA_KINDS = frozenset({"Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"})
_CONTAINER_LISTS = ("containers", "initContainers")
_IMAGE_FIELDS = ("name", "newName", "newTag", "digest")


def split_image(image: str) -> tuple[str, str, str]:
    """(name, tag, digest) of an image reference, as kustomize's image.Split reads it (a
    registry's `:port` before the first `/` is part of the name)."""
    slash = image.find("/")
    offset = slash if slash > 0 else 0
    search = image[offset:]
    at, colon = search.find("@"), search.find(":")
    if at < 0 and colon < 0:
        return image, "", ""
    if at >= 0 and (colon < 0 or at < colon):
        return image[:offset + at], "", image[offset + at + 1:]
    if at >= 0:
        return (image[:offset + colon], image[offset + colon + 1:offset + at],
                image[offset + at + 1:])
    return image[:offset + colon], image[offset + colon + 1:], ""


def _matcher(name: str) -> re.Pattern[str] | None:
    """kustomize's image.IsImageMatched: the entry's name is used as a regular expression."""
    try:
        return re.compile("^(?:" + name + r")(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$")
    except re.error:
        return None


def _new_image(image: str, entry: dict[str, str]) -> str:
    name, tag, digest = split_image(image)
    name = entry.get("newName") or name
    new_tag, new_digest = entry.get("newTag", ""), entry.get("digest", "")
    if new_tag or new_digest:
        tag, digest = new_tag, new_digest
    return name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


def image_entries(entries: list[Any]) -> tuple[list[tuple[int, dict[str, str]]],
                                               list[tuple[int, str]]]:
    """The usable `images` entries by index, and (index, message) for those kustomize rejects."""
    usable: list[tuple[int, dict[str, str]]] = []
    problems: list[tuple[int, str]] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            problems.append((i, "images entries must be mappings (name, newName, newTag, "
                                "digest)"))
            continue
        wrong = [k for k in _IMAGE_FIELDS if k in entry and not isinstance(entry[k], str)]
        if wrong:
            problems.append((i, f"images entry {wrong[0]} must be a string (quote it): "
                                "kustomize rejects the kustomization"))
            continue
        if entry.get("name"):
            usable.append((i, {k: entry[k] for k in _IMAGE_FIELDS if k in entry}))
    return usable, problems


def set_images(entries: list[tuple[int, dict[str, str]]], objects: list[BuiltObject],
               file: str, doc_index: int) -> None:
    """Apply the `images` entries, in order, to every container of every object."""
    for i, entry in entries:
        pattern = _matcher(entry["name"])
        if pattern is None:
            continue
        written = Written(file, doc_index, ("images", i))
        for obj in objects:
            for container, path in _containers(obj.body):
                image = container.get("image")
                if isinstance(image, str) and pattern.match(image):
                    container["image"] = _new_image(image, entry)
                    obj.origins.set(path + ("image",), written)


def _containers(body: dict[str, Any]) -> list[tuple[dict[str, Any], Path]]:
    """Every element of a `containers`/`initContainers` list anywhere in `body`, with its path
    (iterative: the loader bounds the depth, the walk stays linear)."""
    found: list[tuple[dict[str, Any], Path]] = []
    stack: list[tuple[Any, Path]] = [(body, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _CONTAINER_LISTS and isinstance(value, list):
                    found.extend((c, path + (key, j)) for j, c in enumerate(value)
                                 if isinstance(c, dict))
                stack.append((value, path + (key,)))
        elif isinstance(node, list):
            stack.extend((value, path + (j,)) for j, value in enumerate(node))
    return found


def set_replicas(entries: list[Any], objects: list[BuiltObject], file: str,
                 doc_index: int) -> list[tuple[int, str]]:
    """Apply the `replicas` entries; (index, message) for each one kustomize would reject."""
    problems: list[tuple[int, str]] = []
    for i, entry in enumerate(entries):
        name = entry.get("name") if isinstance(entry, dict) else None
        count = entry.get("count") if isinstance(entry, dict) else None
        if not isinstance(name, str) or type(count) is not int:
            problems.append((i, "replicas entries need a name and an integer count"))
            continue
        written = Written(file, doc_index, ("replicas", i, "count"))
        matched = False
        for obj in objects:
            current = obj.current()
            if current.kind not in REPLICA_KINDS or not any(
                    rid.name == name for rid in (current, *obj.ids)):
                continue
            matched = True
            spec = obj.body.setdefault("spec", {})
            if spec is None:
                spec = obj.body["spec"] = {}
            if not isinstance(spec, dict):
                continue  # a schema error of its own (GW010)
            spec["replicas"] = count
            obj.origins.set(("spec", "replicas"), written)
        if not matched:
            problems.append((i, f"replicas: no Deployment, ReplicationController, ReplicaSet or "
                                f"StatefulSet named '{name}' in this kustomization: kustomize "
                                "fails the build"))
    return problems
