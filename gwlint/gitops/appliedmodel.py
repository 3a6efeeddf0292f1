"""What Argo CD and Flux change at apply time, as `gitops.applied` records it: the types only,
so that the layout and the rules that read them load without the substitution and rename code
(imported by runs with Argo CD or Flux objects only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwlint.gitops.kustomize.model import Rename
    from gwlint.model import FieldPath, Resource


@dataclass(frozen=True, slots=True)
class AppliedRename:
    """An object Argo CD or Flux renames or moves when it applies `unit` (a Kustomize root, or
    the directory of plain manifests: the object's scope). `rename.kustomization` names the
    tool's object ("Flux Kustomization apps"), `rename.field` the field ("spec.targetNamespace");
    `by` is that object, `path` the field's JSON path in it."""

    unit: str
    rename: Rename
    by: Resource | None
    path: FieldPath
    replaces: Rename | None = None  # the root kustomization's own rename it supersedes


@dataclass
class Applied:
    """What `apply` found: the renames, and the namespace objects without one were given in
    each unit (Argo CD's destination; else the run's default), which the builds' renames of
    such objects mean."""

    renames: list[AppliedRename] = field(default_factory=list)
    namespaces: dict[str, str] = field(default_factory=dict)  # unit -> namespace
    # Flux postBuild substitution: the objects whose bodies changed (validated again by the
    # load stage), and for each substituted object the placeholders left (by id(object))
    substituted: list[Resource] = field(default_factory=list)
    placeholders: dict[int, Placeholders] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Placeholders:
    """The strings of one object Flux substitutes that keep a placeholder (path -> variable
    names), the Flux Kustomization (`by`) and its substituteFrom objects gwlint did not find."""

    paths: dict[FieldPath, tuple[str, ...]]
    by: str
    missing: tuple[str, ...] = ()
