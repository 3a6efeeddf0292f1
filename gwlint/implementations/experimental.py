"""Experimental-channel kinds and fields an object uses, per Gateway API release (for GW703).

The schema artifacts already know them (`scripts/gen_schemas.py`): per release, the kinds and
apiVersions only the experimental channel serves, and for each kind version served by the
standard channel its `experimentalFields` (`spec.rules[].retry`) and `experimentalEnums`
(`spec.rules[].filters[].type: [CORS, ExternalAuth]`). An implementation whose conformance
report ran on the standard channel only was never tested with any of them.

A release a report names but gwlint does not bundle (`v1.6.0`) is read as the newest bundled
patch of its minor release (`v1.6.1`): patch releases do not add fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from gwlint.model import Resource, is_defaulted
from gwlint.schema import artifacts, resolve_version

FieldPath = tuple[str | int, ...]


class Use(NamedTuple):
    """`resource` uses an experimental kind or apiVersion (path `("apiVersion",)`) or an
    experimental field at `path`."""

    resource: Resource
    path: FieldPath
    what: str        # "XBackend gateway.networking.x-k8s.io/v1alpha1", "field `spec...`"
    release: str     # the bundled release whose channels say so


@dataclass(frozen=True, slots=True)
class _KindVersion:
    experimental_only: bool  # served by the experimental channel, not the standard one
    fields: tuple[tuple[str, ...], ...]  # experimental field patterns, split into steps
    enums: tuple[tuple[tuple[str, ...], frozenset[str]], ...]  # pattern, experimental values


def _split(pattern: str) -> tuple[str, ...]:
    """'spec.rules[].retry' -> ('spec', 'rules', '[]', 'retry')."""
    out: list[str] = []
    for part in pattern.split("."):
        depth = 0
        while part.endswith("[]"):
            part, depth = part[:-2], depth + 1
        if part:
            out.append(part)
        out.extend(["[]"] * depth)
    return tuple(out)


@cache
def bundled_release(release: str) -> str | None:
    """The bundled release that stands for `release` (v1.6.0 -> v1.6.1), None if none does."""
    for spec in (release, ".".join(release.split(".")[:2])):
        try:
            return resolve_version(spec)
        except ValueError:
            continue
    return None


@cache
def _table(release: str) -> dict[tuple[str, str], _KindVersion]:
    """(apiVersion, kind) -> what is experimental about it in bundled `release`."""
    standard = artifacts.bundle(release, "standard")["kinds"]
    experimental = artifacts.bundle(release, "experimental")["kinds"]
    out: dict[tuple[str, str], _KindVersion] = {}
    for kind, entry in experimental.items():
        for version, ver in entry["versions"].items():
            if not ver.get("served"):
                continue
            std = standard.get(kind)
            std_ver = std["versions"].get(version) if std and std["group"] == entry["group"] \
                else None
            key = (f"{entry['group']}/{version}", kind)
            if std_ver is None or not std_ver.get("served"):
                out[key] = _KindVersion(True, (), ())
            else:
                out[key] = _KindVersion(
                    False, tuple(_split(p) for p in std_ver.get("experimentalFields") or ()),
                    tuple((_split(p), frozenset(v)) for p, v in
                          (std_ver.get("experimentalEnums") or {}).items()))
    return out


def _find(value: Any, steps: tuple[str, ...], path: list[str | int]
          ) -> Iterator[tuple[FieldPath, Any]]:
    """Every (path, value) the pattern `steps` reaches inside `value`."""
    if not steps:
        yield tuple(path), value
        return
    step, rest = steps[0], steps[1:]
    if step == "[]":
        if type(value) is list:
            for i, item in enumerate(value):
                path.append(i)
                yield from _find(item, rest, path)
                path.pop()
    elif type(value) is dict and step in value and value[step] is not None:
        path.append(step)
        yield from _find(value[step], rest, path)
        path.pop()


def uses(res: Resource, report_release: str) -> list[Use]:
    """The experimental kinds and fields of Gateway API `report_release` that `res` uses
    (fields added by CRD defaulting do not count: the author did not write them)."""
    release = bundled_release(report_release)
    if release is None:
        return []
    entry = _table(release).get((res.api_version, res.kind))
    if entry is None:
        return []
    if entry.experimental_only:
        return [Use(res, ("apiVersion",), f"{res.kind} {res.api_version}", release)]
    out: list[Use] = []
    body = res.body
    for steps, values in entry.enums:
        for path, value in _find(body, steps, []):
            if isinstance(value, str) and value in values and not is_defaulted(res, path):
                out.append(Use(res, path, f"`{_show(steps)}: {value}`", release))
    owners = {u.path[:-1] for u in out}  # `type: CORS` says it all: not its `cors` field too
    for steps in entry.fields:
        for path, _ in _find(body, steps, []):
            if path[:-1] not in owners and not is_defaulted(res, path):
                out.append(Use(res, path, f"field `{_show(steps)}`", release))
    return out


def _show(steps: tuple[str, ...]) -> str:
    return ".".join(steps).replace(".[]", "[]")
