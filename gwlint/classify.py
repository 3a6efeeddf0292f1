"""Only Kubernetes objects are objects: tell configuration YAML from manifests.

A GitOps repository holds YAML that never goes to an API server: Kustomize files, Helm chart
metadata and values, cluster configs for kind/k3d, CI and pre-commit configs, compose files.
Linting those as objects gives false errors ("no metadata.name; the API server rejects it"). The
decision uses, in order:

1. the apiVersion group (and kind) against a table of known non-Kubernetes groups;
2. an apiVersion of a Kubernetes API group, with a kind: always an object, whatever the file is
   called;
3. the file name (and directory) against a table of known configuration files;
4. the shape: a Kustomization without apiVersion, Helm chart metadata, a document with neither
   apiVersion nor kind.

Everything else (any other group: CRDs, Argo CD, Flux, cert-manager, ...) is a Kubernetes object
and keeps today's checks. Every decision carries a reason for `--verbose`.
"""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass
from typing import Any

KUBERNETES = "kubernetes"
CONFIG = "config"


@dataclass(frozen=True, slots=True)
class Classification:
    """`kind` is KUBERNETES or CONFIG; `tool` names what the configuration belongs to."""

    kind: str
    tool: str
    reason: str

    @property
    def is_object(self) -> bool:
        return self.kind == KUBERNETES


# Groups served by the Kubernetes API server itself and the SIG projects that gwlint lints. An
# object of one of these groups is always kept, whatever its file is called.
KUBERNETES_GROUPS = frozenset({
    "", "apps", "batch", "autoscaling", "policy", "extensions",
    "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io",
    "authentication.k8s.io", "authorization.k8s.io", "certificates.k8s.io",
    "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
    "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io",
    "node.k8s.io", "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io",
    "storage.k8s.io", "storagemigration.k8s.io", "metrics.k8s.io",
    "gateway.networking.k8s.io", "gateway.networking.x-k8s.io", "policy.networking.k8s.io",
    "multicluster.x-k8s.io", "inference.networking.k8s.io", "inference.networking.x-k8s.io",
    "snapshot.storage.k8s.io",
})

# (apiVersion group, kind or "*", tool, why). Groups of configuration files read by a tool on
# the client side; none of them is served by an API server.
CONFIG_GROUPS: tuple[tuple[str, str, str, str], ...] = (
    ("kustomize.config.k8s.io", "*", "kustomize",
     "Kustomize file (Kustomization/Component), read by kustomize, never applied"),
    ("builtin", "*", "kustomize", "kustomize built-in transformer/generator configuration"),
    ("kind.x-k8s.io", "*", "kind", "kind cluster configuration"),
    ("k3d.io", "*", "k3d", "k3d cluster configuration"),
    ("ctlptl.dev", "*", "ctlptl", "ctlptl cluster/registry configuration"),
    ("skaffold", "*", "skaffold", "Skaffold configuration"),
    ("tilt.dev", "*", "tilt", "Tilt configuration"),
    ("kubeadm.k8s.io", "*", "kubeadm", "kubeadm configuration file"),
    ("kubelet.config.k8s.io", "*", "kubelet", "kubelet configuration file"),
    ("kubeproxy.config.k8s.io", "*", "kube-proxy", "kube-proxy configuration file"),
    ("kubescheduler.config.k8s.io", "*", "kube-scheduler", "kube-scheduler configuration file"),
    ("apiserver.config.k8s.io", "*", "kube-apiserver", "kube-apiserver configuration file"),
    ("apiserver.k8s.io", "*", "kube-apiserver", "kube-apiserver configuration file"),
    ("audit.k8s.io", "*", "kube-apiserver", "audit policy file"),
    ("client.authentication.k8s.io", "*", "kubectl", "client credential plugin configuration"),
    ("kubectl.config.k8s.io", "*", "kubectl", "kubectl preferences (kuberc)"),
    ("eksctl.io", "*", "eksctl", "eksctl cluster configuration"),
    ("k0sctl.k0sproject.io", "*", "k0sctl", "k0sctl cluster configuration"),
    ("kpt.dev", "Kptfile", "kpt", "kpt package file"),
    ("config.kubernetes.io", "*", "kpt", "KRM function configuration (ResourceList)"),
    ("score.dev", "*", "score", "Score workload specification"),
    ("backstage.io", "*", "backstage", "Backstage catalog entity (catalog-info.yaml)"),
    ("", "Config", "kubectl", "kubeconfig file"),  # see _kubeconfig: only with a kubeconfig shape
)

# (glob on the path, tool, why). Globs match the repository-relative path with forward slashes
# (`**/` = any directory, or none) and are case-sensitive, as the tools that read them are.
CONFIG_FILES: tuple[tuple[str, str, str], ...] = (
    ("**/kustomization.yaml", "kustomize", "Kustomize file"),
    ("**/kustomization.yml", "kustomize", "Kustomize file"),
    ("**/Kustomization", "kustomize", "Kustomize file"),
    ("**/Chart.yaml", "helm", "Helm chart metadata"),
    ("**/Chart.lock", "helm", "Helm chart lock file"),
    ("**/requirements.yaml", "helm", "Helm v2 chart dependencies"),
    ("**/values.yaml", "helm", "Helm values"),
    ("**/values.yml", "helm", "Helm values"),
    ("**/values-*.yaml", "helm", "Helm values"),
    ("**/values-*.yml", "helm", "Helm values"),
    ("**/values.*.yaml", "helm", "Helm values"),
    ("**/values.*.yml", "helm", "Helm values"),
    ("**/*.values.yaml", "helm", "Helm values"),
    ("**/*-values.yaml", "helm", "Helm values"),
    ("**/values.schema.json", "helm", "Helm values schema"),
    ("**/helmfile.yaml", "helmfile", "Helmfile"),
    ("**/helmfile.d/*.yaml", "helmfile", "Helmfile"),
    ("**/ct.yaml", "chart-testing", "chart-testing configuration"),
    (".github/**", "github", "GitHub configuration (workflows, dependabot, issue templates)"),
    ("**/action.yml", "github", "GitHub Action metadata"),
    ("**/action.yaml", "github", "GitHub Action metadata"),
    ("**/.gitlab-ci.yml", "gitlab", "GitLab CI configuration"),
    (".gitlab/**", "gitlab", "GitLab configuration"),
    (".circleci/**", "circleci", "CircleCI configuration"),
    ("**/.travis.yml", "travis", "Travis CI configuration"),
    ("**/azure-pipelines.yml", "azure-pipelines", "Azure Pipelines configuration"),
    ("**/azure-pipelines.yaml", "azure-pipelines", "Azure Pipelines configuration"),
    ("**/bitbucket-pipelines.yml", "bitbucket", "Bitbucket Pipelines configuration"),
    ("**/.drone.yml", "drone", "Drone CI configuration"),
    ("**/.woodpecker.yml", "woodpecker", "Woodpecker CI configuration"),
    (".woodpecker/**", "woodpecker", "Woodpecker CI configuration"),
    (".buildkite/**", "buildkite", "Buildkite configuration"),
    ("**/cloudbuild.yaml", "cloudbuild", "Google Cloud Build configuration"),
    ("**/.pre-commit-config.yaml", "pre-commit", "pre-commit configuration"),
    ("**/.pre-commit-hooks.yaml", "pre-commit", "pre-commit hook definitions"),
    ("**/docker-compose.yml", "compose", "Docker Compose file"),
    ("**/docker-compose.yaml", "compose", "Docker Compose file"),
    ("**/docker-compose.*.yml", "compose", "Docker Compose file"),
    ("**/docker-compose.*.yaml", "compose", "Docker Compose file"),
    ("**/compose.yml", "compose", "Docker Compose file"),
    ("**/compose.yaml", "compose", "Docker Compose file"),
    ("**/compose.*.yml", "compose", "Docker Compose file"),
    ("**/compose.*.yaml", "compose", "Docker Compose file"),
    ("**/skaffold.yaml", "skaffold", "Skaffold configuration"),
    ("**/skaffold.yml", "skaffold", "Skaffold configuration"),
    ("**/tilt_config.json", "tilt", "Tilt configuration"),
    ("**/devfile.yaml", "devfile", "Devfile"),
    (".devcontainer/**", "devcontainer", "Dev container configuration"),
    (".vscode/**", "vscode", "editor configuration"),
    ("**/.golangci.yml", "golangci-lint", "golangci-lint configuration"),
    ("**/.golangci.yaml", "golangci-lint", "golangci-lint configuration"),
    ("**/.goreleaser.yml", "goreleaser", "GoReleaser configuration"),
    ("**/.goreleaser.yaml", "goreleaser", "GoReleaser configuration"),
    ("**/mkdocs.yml", "mkdocs", "MkDocs configuration"),
    ("**/mkdocs.yaml", "mkdocs", "MkDocs configuration"),
    ("**/.readthedocs.yaml", "readthedocs", "Read the Docs configuration"),
    ("**/.readthedocs.yml", "readthedocs", "Read the Docs configuration"),
    ("**/codecov.yml", "codecov", "Codecov configuration"),
    ("**/.codecov.yml", "codecov", "Codecov configuration"),
    ("**/renovate.json", "renovate", "Renovate configuration"),
    ("**/.renovaterc.json", "renovate", "Renovate configuration"),
    ("**/.yamllint", "yamllint", "yamllint configuration"),
    ("**/.yamllint.yaml", "yamllint", "yamllint configuration"),
    ("**/.yamllint.yml", "yamllint", "yamllint configuration"),
    ("**/.markdownlint.yaml", "markdownlint", "markdownlint configuration"),
    ("**/.markdownlint.json", "markdownlint", "markdownlint configuration"),
    ("**/package.json", "npm", "npm package manifest"),
    ("**/package-lock.json", "npm", "npm lock file"),
    ("**/tsconfig.json", "typescript", "TypeScript configuration"),
    ("**/composer.json", "composer", "Composer package manifest"),
    ("**/.eslintrc.json", "eslint", "ESLint configuration"),
    ("**/.sops.yaml", "sops", "SOPS configuration"),
    ("**/.gwlint.yaml", "gwlint", "gwlint configuration"),
    ("**/.gwlint.yml", "gwlint", "gwlint configuration"),
    ("**/_config.yml", "jekyll", "Jekyll site configuration"),
    ("**/environment.yml", "conda", "Conda environment"),
    ("**/.mergify.yml", "mergify", "Mergify configuration"),
    ("**/netlify.yml", "netlify", "Netlify configuration"),
    ("**/serverless.yml", "serverless", "Serverless Framework configuration"),
)

# Top-level keys of a Kustomization
# (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/):
# a document with these and without apiVersion/kind is a Kustomization written the short way.
KUSTOMIZATION_KEYS = frozenset({
    "resources", "bases", "components", "patches", "patchesStrategicMerge", "patchesJson6902",
    "namePrefix", "nameSuffix", "namespace", "commonLabels", "labels", "commonAnnotations",
    "configMapGenerator", "secretGenerator", "generatorOptions", "images", "replicas",
    "replacements", "vars", "configurations", "crds", "generators", "transformers",
    "validators", "helmCharts", "helmGlobals", "openapi", "buildMetadata", "sortOptions",
})


_CONFIG_GROUP_NAMES = frozenset(g for g, _, _, _ in CONFIG_GROUPS)
_OBJECT = Classification(KUBERNETES, "kubernetes", "Kubernetes API group")


def _glob(path: str, pattern: str) -> bool:
    """fnmatch over a POSIX path where `**/` may also match nothing."""
    if pattern.startswith("**/"):
        tail = pattern[3:]
        name = path.rsplit("/", 1)[-1]
        return fnmatch.fnmatchcase(name, tail) if "/" not in tail else (
            fnmatch.fnmatchcase(path, tail) or fnmatch.fnmatchcase(path, pattern))
    if pattern.endswith("/**"):
        head = pattern[:-3]
        parts = path.split("/")
        return any(fnmatch.fnmatchcase("/".join(parts[:i]), head) for i in range(1, len(parts)))
    return fnmatch.fnmatchcase(path, pattern)


def _in_dir(path: str, pattern: str) -> bool:
    """Directory patterns (`.github/**`) also match below any directory (a monorepo's app)."""
    if not pattern.endswith("/**"):
        return False
    head = pattern[:-3]
    parts = path.split("/")[:-1]
    return head in parts


@functools.lru_cache(maxsize=4096)
def classify_path(path: str) -> Classification | None:
    """The configuration file named `path` (POSIX, relative), or None when the name says nothing.
    (Cached: every document of a file asks, and the table is long.)"""
    for pattern, tool, why in CONFIG_FILES:
        if _glob(path, pattern) or _in_dir(path, pattern):
            return Classification(CONFIG, tool, f"{why} (file name {pattern})")
    return None


def _group_kind(data: dict[str, Any]) -> tuple[str, str] | None:
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if not isinstance(api_version, str) or not api_version:
        return None
    group = api_version.rpartition("/")[0] if "/" in api_version else ""
    return group, kind if isinstance(kind, str) else ""


def _kubeconfig(data: dict[str, Any]) -> bool:
    return "metadata" not in data and any(k in data for k in ("clusters", "contexts", "users"))


def _chart_metadata(data: dict[str, Any]) -> bool:
    """Helm's Chart.yaml: apiVersion v1/v2, name and version, and no kind."""
    return (data.get("apiVersion") in ("v1", "v2") and "kind" not in data
            and isinstance(data.get("name"), str) and "version" in data)


def classify_document(data: Any, path: str = "") -> Classification:
    """Is this YAML document a Kubernetes object? `path` is the file's POSIX path ('' for stdin)."""
    if isinstance(data, dict):
        api_version, kind = data.get("apiVersion"), data.get("kind")
        if type(api_version) is str and type(kind) is str and kind:  # the common case, fast
            group = api_version.rpartition("/")[0]
            if group in KUBERNETES_GROUPS and group not in _CONFIG_GROUP_NAMES:
                return _OBJECT
        gk = _group_kind(data)
        if gk is not None:
            group, kind = gk
            for g, k, tool, why in CONFIG_GROUPS:
                if g == group and (k == "*" or k == kind):
                    if g == "" and k == "Config" and not _kubeconfig(data):
                        continue
                    return Classification(CONFIG, tool, f"{why} (apiVersion group '{g}')")
            if group in KUBERNETES_GROUPS and kind:
                return Classification(KUBERNETES, "kubernetes",
                                      f"Kubernetes API group '{group or 'core'}'")
    by_name = classify_path(path) if path else None
    if by_name is not None:
        return by_name
    if not isinstance(data, dict):
        return Classification(CONFIG, "yaml", "not a mapping: no Kubernetes object")
    if "apiVersion" not in data and "kind" not in data:
        if KUSTOMIZATION_KEYS.intersection(data) and ("resources" in data or "bases" in data
                                                      or "components" in data):
            return Classification(CONFIG, "kustomize", "Kustomization without apiVersion/kind")
        return Classification(CONFIG, "yaml", "no apiVersion and no kind: not a Kubernetes object")
    if _chart_metadata(data):
        return Classification(CONFIG, "helm",
                              "Helm chart metadata (apiVersion, name, version, no kind)")
    gk = _group_kind(data)
    group = gk[0] if gk else ""
    return Classification(KUBERNETES, "kubernetes",
                          f"apiVersion group '{group}' is not a known configuration format")
