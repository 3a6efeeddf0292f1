"""Kustomize, natively: find kustomizations, their roots, and build each root with origins.

    files = LocalFiles(repository_root)              # or preload the documents already parsed
    index = KustomizeIndex.scan(candidate_paths, files)
    index.roots                                      # directories to build, one scope each
    index.is_patch_only("overlays/prod/patch.yaml")  # never lint it standalone
    build = index.build(root)                        # Build: objects (body + origins), problems,
                                                     # renames, ref_updates, files
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gwlint.gitops.kustomize.build import Builder, Kustomization, is_remote, kustomization_file
    from gwlint.gitops.kustomize.files import LocalFiles, Parsed
    from gwlint.gitops.kustomize.index import KustomizeIndex
    from gwlint.gitops.kustomize.model import Build, BuiltObject, Problem, RefUpdate, Rename, ResId

# Public name -> its module, imported on first use to keep start-up fast: the layout asks every
# run whether there are kustomizations, and only a run with some loads the builder.
_PUBLIC = {
    **{n: "build" for n in ("Builder", "Kustomization", "is_remote", "kustomization_file")},
    **{n: "files" for n in ("LocalFiles", "Parsed")},
    "KustomizeIndex": "index",
    **{n: "model" for n in ("Build", "BuiltObject", "Problem", "RefUpdate", "Rename", "ResId")},
}


def __getattr__(name: str) -> Any:
    try:
        module = _PUBLIC[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
           "Build",
           "Builder",
           "BuiltObject",
           "Kustomization",
           "KustomizeIndex",
           "LocalFiles",
           "Parsed",
           "Problem",
           "RefUpdate",
           "Rename",
           "ResId",
           "is_remote",
           "kustomization_file",
]
