"""The kustomizations of a repository: where they are, who includes whom, which are roots,
which files play which role. This is what discovery asks before anything is built.

A *root* is a kustomization that no other kustomization includes (as a resource directory or a
component): `kustomize build` is run on roots (by a person, Argo CD or Flux), and each root is
linted as its own scope. Files a kustomization names as patches, generator inputs or
configurations are never Kubernetes objects of their own; resource files are linted through the
builds of the roots that include them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from gwlint.gitops.kustomize.build import KUSTOMIZATION_FILES, Builder, is_remote
from gwlint.gitops.kustomize.files import LocalFiles
from gwlint.gitops.kustomize.model import Build, Problem
from gwlint.source import display_path

from gwlint.gitops.kustomize.names import (CONFIGURATION, GENERATOR_INPUT,  # noqa: F401
                                           KUSTOMIZATION, PATCH, RESOURCE, UNLISTED)

_PATCH_FIELDS = ("patches", "patchesStrategicMerge", "patchesJson6902")


@dataclass
class KustomizeIndex:
    """Kustomizations found among a set of files, and how they include each other."""

    builder: Builder
    kustomizations: list[str] = field(default_factory=list)  # directories (filesystem paths)
    includes: dict[str, list[str]] = field(default_factory=dict)  # dir -> included dirs
    included_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    components: set[str] = field(default_factory=set)
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # shown -> roles
    problems: list[Problem] = field(default_factory=list)  # kustomizations that do not load

    @classmethod
    def scan(cls, paths: Iterable[str], files: LocalFiles | None = None,
             builder: Builder | None = None) -> KustomizeIndex:
        """Index the kustomizations among `paths` (the candidate files of discovery)."""
        files = files or LocalFiles(".")
        index = cls(builder or Builder(files))
        for directory in directories(paths):
            kust, problems = index.builder.load(directory)
            index.problems.extend(problems)
            if kust is None:
                continue
            index.kustomizations.append(directory)
            index.roles[kust.shown].add(KUSTOMIZATION)
            if kust.kind == "Component":
                index.components.add(directory)
            children = [edge.child for edge in index.builder.children(kust)]
            index.includes[directory] = children
            for child in children:
                index.included_by[child].append(directory)
            index._roles_of(kust.dir, kust.data)
        return index

    def part(self) -> IndexPart:
        """What this index found, without the builder: processes that scanned a share of the
        kustomizations each send theirs, and every process merges them (`merged`)."""
        return IndexPart(list(self.kustomizations), dict(self.includes), set(self.components),
                         {shown: set(roles) for shown, roles in self.roles.items()},
                         list(self.problems))

    @classmethod
    def merged(cls, builder: Builder, parts: Iterable[IndexPart]) -> KustomizeIndex:
        """The index of several scans (each of other directories) as one scan of them all
        would make it: parts in the order of their directories. `builder` holds what this
        process loaded; it loads the rest when a build needs it."""
        index = cls(builder)
        for part in parts:
            index.kustomizations += part.kustomizations
            index.includes.update(part.includes)
            index.components |= part.components
            for shown, roles in part.roles.items():
                index.roles[shown] |= roles
            index.problems += part.problems
        for directory in index.kustomizations:
            for child in index.includes[directory]:
                index.included_by[child].append(directory)
        return index

    def _roles_of(self, directory: str, data: dict[str, object]) -> None:
        def mark(entry: object, role: str) -> None:
            if isinstance(entry, str) and entry and "\n" not in entry and not is_remote(entry):
                located = self.builder.locate(directory, entry)  # the builds ask again
                if isinstance(located, tuple):
                    self.roles[located[1]].add(role)
                elif located == "root":  # a file kustomize refuses (the builds say so)
                    self.roles[display_path(os.path.normpath(os.path.join(directory, entry)))
                               ].add(role)

        for name in ("resources", "bases"):
            for entry in _list(data.get(name)):
                mark(entry, RESOURCE)
        for name in _PATCH_FIELDS:
            for entry in _list(data.get(name)):
                mark(entry.get("path") if isinstance(entry, dict) else entry, PATCH)
        for name in ("configMapGenerator", "secretGenerator"):
            for args in _list(data.get(name)):
                if not isinstance(args, dict):
                    continue
                for entry in _list(args.get("files")):
                    mark(str(entry).partition("=")[2] or str(entry), GENERATOR_INPUT)
                for entry in _list(args.get("envs")) + [args.get("env")]:
                    mark(entry, GENERATOR_INPUT)
        for entry in _list(data.get("configurations")):
            mark(entry, CONFIGURATION)
        for entry in _list(data.get("replacements")):  # files of replacements
            mark(entry.get("path") if isinstance(entry, dict) else None, CONFIGURATION)

    @property
    def roots(self) -> list[str]:
        """Kustomizations nobody includes (components are never roots)."""
        return [d for d in self.kustomizations
                if not self.included_by.get(d) and d not in self.components]

    def is_patch_only(self, shown: str) -> bool:
        """A file used only as a patch (or generator input, configuration): never an object."""
        roles = self.roles.get(shown, set())
        return bool(roles) and RESOURCE not in roles and KUSTOMIZATION not in roles

    def role(self, shown: str) -> set[str]:
        return set(self.roles.get(shown, ()))

    def roots_of(self, directory: str) -> list[str]:
        """The roots whose builds include `directory` (for a file: its directory's kustomization,
        or pass the directory of the kustomization that lists it)."""
        seen: set[str] = set()
        stack = [os.path.normpath(directory)]
        roots = []
        while stack:
            d = stack.pop()
            if d in seen:
                continue
            seen.add(d)
            parents = self.included_by.get(d, [])
            if not parents and d in self.includes and d not in self.components:
                roots.append(d)
            stack.extend(parents)
        return sorted(roots)

    def build(self, root: str) -> Build:
        return self.builder.build(root)

    def build_all(self) -> list[Build]:
        return [self.build(root) for root in self.roots]


@dataclass
class IndexPart:
    """A share of a `KustomizeIndex`: its kustomizations (directories, in order), what they
    include, which are components, file roles, and the kustomizations that do not load."""

    kustomizations: list[str]
    includes: dict[str, list[str]]
    components: set[str]
    roles: dict[str, set[str]]
    problems: list[Problem]


def directories(paths: Iterable[str]) -> list[str]:
    """The directories of the kustomization files among `paths`, sorted (the scan order)."""
    return sorted({os.path.normpath(os.path.dirname(p) or ".") for p in paths
                   if os.path.basename(p) in KUSTOMIZATION_FILES})


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []
