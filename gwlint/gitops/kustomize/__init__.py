"""Kustomize, natively: find kustomizations, their roots, and build each root with origins.

    files = LocalFiles(repository_root)              # or preload the documents already parsed
    index = KustomizeIndex.scan(candidate_paths, files)
    index.roots                                      # directories to build, one scope each
    index.is_patch_only("overlays/prod/patch.yaml")  # never lint it standalone
    build = index.build(root)                        # Build: objects (body + origins), problems,
                                                     # renames, ref_updates, files
"""

from gwlint.gitops.kustomize.build import (
           Builder,
           Kustomization,
           is_remote,
           kustomization_file,
)
from gwlint.gitops.kustomize.files import LocalFiles, Parsed
from gwlint.gitops.kustomize.index import KustomizeIndex
from gwlint.gitops.kustomize.model import (
           Build,
           BuiltObject,
           Problem,
           RefUpdate,
           Rename,
           ResId,
)

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
