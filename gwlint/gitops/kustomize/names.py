"""The names that tell a file is Kustomize's, and the file roles, without the builder: the
layout asks them in every run, and most runs have no kustomization."""

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# File roles
KUSTOMIZATION = "kustomization"
RESOURCE = "resource"
PATCH = "patch"
GENERATOR_INPUT = "generator-input"
CONFIGURATION = "configuration"
UNLISTED = "unlisted"  # beside a kustomization file, listed by no kustomization: never applied
