"""Kustomize's built-in field specs: which fields its transformers touch, as data.

Transcribed from kustomize's `api/internal/konfig/builtinpluginconsts` (commonlabels.go,
metadatalabels.go, commonannotations.go, namereference.go) and the transformer docs:
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/commonlabels/ ,
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/labels/ ,
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/commonannotations/ ,
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/nameprefix/ and the
name-reference list in kustomize's examples/transformerconfigs/README.md.

A path is kustomize's slash-separated field path; a list on the way is walked element by element
(`[]` after a segment says so explicitly, as kustomize writes it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field of objects of a kind (empty kind/group/version: every object)."""

    path: str
    kind: str = ""
    group: str | None = None  # None: any group
    version: str | None = None
    create: bool = False

    def selects(self, group: str, version: str, kind: str) -> bool:
        return ((not self.kind or self.kind == kind)
                and (self.group is None or self.group == group)
                and (self.version is None or self.version == version))

    def steps(self) -> list[str]:
        """Path segments; `a\\/b` is one segment `a/b` (annotation keys)."""
        return list(_steps(self.path))


@functools.lru_cache(maxsize=1024)
def _steps(path: str) -> tuple[str, ...]:
    """FieldSpec.steps, once per path (every object of every build asks)."""
    parts: list[str] = []
    current = ""
    i = 0
    while i < len(path):
        ch = path[i]
        if ch == "\\" and i + 1 < len(path) and path[i + 1] == "/":
            current += "/"
            i += 2
            continue
        if ch == "/":
            parts.append(current)
            current = ""
        else:
            current += ch
        i += 1
    parts.append(current)
    return tuple(p.removesuffix("[]") for p in parts if p)


_WORKLOADS_TEMPLATE = (("ReplicationController", "", "v1"), ("Deployment", None, None),
                       ("ReplicaSet", None, None), ("DaemonSet", None, None),
                       ("StatefulSet", "apps", None), ("Job", "batch", None))

# metadatalabels.go: labels on objects and on the pod templates they own
TEMPLATE_LABELS: tuple[FieldSpec, ...] = tuple(
    FieldSpec("spec/template/metadata/labels", k, g, v, create=True)
    for k, g, v in _WORKLOADS_TEMPLATE) + (
    FieldSpec("spec/jobTemplate/metadata/labels", "CronJob", "batch", create=True),
    FieldSpec("spec/jobTemplate/spec/template/metadata/labels", "CronJob", "batch", create=True),
)
METADATA_LABELS = (FieldSpec("metadata/labels", create=True),)

_AFFINITY = (
    ("spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/"
     "podAffinityTerm/labelSelector/matchLabels"),
    ("spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
     "labelSelector/matchLabels"),
    ("spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/"
     "podAffinityTerm/labelSelector/matchLabels"),
    ("spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
     "labelSelector/matchLabels"),
    "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
)

# commonlabels.go: selectors too (commonLabels, and labels with includeSelectors: true)
SELECTOR_LABELS: tuple[FieldSpec, ...] = (
    FieldSpec("spec/selector", "Service", version="v1", create=True),
    FieldSpec("spec/selector", "ReplicationController", version="v1", create=True),
    FieldSpec("spec/selector/matchLabels", "Deployment", create=True),
    *(FieldSpec(p, "Deployment", "apps") for p in _AFFINITY),
    FieldSpec("spec/selector/matchLabels", "ReplicaSet", create=True),
    FieldSpec("spec/selector/matchLabels", "DaemonSet", create=True),
    FieldSpec("spec/selector/matchLabels", "StatefulSet", "apps", create=True),
    FieldSpec("spec/volumeClaimTemplates[]/metadata/labels", "StatefulSet", "apps", create=True),
    *(FieldSpec(p, "StatefulSet", "apps") for p in _AFFINITY),
    FieldSpec("spec/selector/matchLabels", "Job", "batch"),
    FieldSpec("spec/jobTemplate/spec/selector/matchLabels", "CronJob", "batch"),
    FieldSpec("spec/selector/matchLabels", "PodDisruptionBudget", "policy"),
    FieldSpec("spec/podSelector/matchLabels", "NetworkPolicy", "networking.k8s.io"),
    FieldSpec("spec/ingress/from/podSelector/matchLabels", "NetworkPolicy", "networking.k8s.io"),
    FieldSpec("spec/egress/to/podSelector/matchLabels", "NetworkPolicy", "networking.k8s.io"),
)
COMMON_LABELS = SELECTOR_LABELS + METADATA_LABELS + TEMPLATE_LABELS

# commonannotations.go
COMMON_ANNOTATIONS: tuple[FieldSpec, ...] = (
    FieldSpec("metadata/annotations", create=True),) + tuple(
    FieldSpec("spec/template/metadata/annotations", k, g, v, create=True)
    for k, g, v in _WORKLOADS_TEMPLATE) + (
    FieldSpec("spec/jobTemplate/metadata/annotations", "CronJob", "batch", create=True),
    FieldSpec("spec/jobTemplate/spec/template/metadata/annotations", "CronJob", "batch",
              create=True),
)

# Kinds namePrefix/nameSuffix never rename (kustomize's prefixSuffixFieldSpecsToSkip)
PREFIX_SKIP = frozenset({("apiextensions.k8s.io", "CustomResourceDefinition"),
                         ("apiregistration.k8s.io", "APIService"), ("", "Namespace")})


@dataclass(frozen=True, slots=True)
class NameReference:
    """Objects of `kind` (the referral) are referred to by name at `fields` of other objects."""

    kind: str
    group: str | None
    fields: tuple[FieldSpec, ...]


_POD_SPECS = (("spec", "Pod", ""), ("template/spec", "PodTemplate", ""),
              ("spec/template/spec", "Deployment", None),
              ("spec/template/spec", "ReplicaSet", None),
              ("spec/template/spec", "DaemonSet", None),
              ("spec/template/spec", "StatefulSet", None),
              ("spec/template/spec", "Job", None),
              ("spec/jobTemplate/spec/template/spec", "CronJob", None))
_CONFIGMAP_IN_POD = ("volumes/configMap/name", "containers/env/valueFrom/configMapKeyRef/name",
                     "initContainers/env/valueFrom/configMapKeyRef/name",
                     "containers/envFrom/configMapRef/name",
                     "initContainers/envFrom/configMapRef/name",
                     "volumes/projected/sources/configMap/name")
_SECRET_IN_POD = ("volumes/secret/secretName", "containers/env/valueFrom/secretKeyRef/name",
                  "initContainers/env/valueFrom/secretKeyRef/name",
                  "containers/envFrom/secretRef/name", "initContainers/envFrom/secretRef/name",
                  "imagePullSecrets/name", "volumes/projected/sources/secret/name")
_SA_PVC_PRIO = (("ServiceAccount", None, "serviceAccountName"),
                ("PersistentVolumeClaim", None, "volumes/persistentVolumeClaim/claimName"),
                ("PriorityClass", "scheduling.k8s.io", "priorityClassName"))
_SA_PVC_PRIO_KINDS = ("Pod", "StatefulSet", "Deployment", "ReplicationController", "CronJob", "Job",
                      "DaemonSet")


def _pod(fields: tuple[str, ...]) -> tuple[FieldSpec, ...]:
    return tuple(FieldSpec(f"{prefix}/{f}", kind) for prefix, kind, _ in _POD_SPECS for f in fields)


def _pod_kind_prefix(kind: str) -> str:
    if kind == "Pod":
        return "spec"
    if kind == "CronJob":
        return "spec/jobTemplate/spec/template/spec"
    return "spec/template/spec"


# namereference.go. Kustomize's table in its master branch also lists HTTPRoute
# spec/rules/backendRefs/name for Services; releases before that entry leave those names alone
# (HTTPROUTE_BACKEND_REF below), and it knows no other Gateway API field.
NAME_REFERENCES: tuple[NameReference, ...] = (
    *(NameReference(k, None, (FieldSpec("spec/scaleTargetRef/name", "HorizontalPodAutoscaler"),))
      for k in ("Deployment", "ReplicationController", "ReplicaSet", "StatefulSet")),
    NameReference("ConfigMap", "", _pod(_CONFIGMAP_IN_POD) + (
        FieldSpec("spec/configSource/configMap", "Node"),
        FieldSpec("rules/resourceNames", "Role"), FieldSpec("rules/resourceNames", "ClusterRole"),
        FieldSpec("metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap",
                  "Ingress"))),
    NameReference("Secret", "", _pod(_SECRET_IN_POD) + (
        FieldSpec("spec/tls/secretName", "Ingress"),
        FieldSpec("metadata/annotations/ingress.kubernetes.io\\/auth-secret", "Ingress"),
        FieldSpec("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret", "Ingress"),
        FieldSpec("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret", "Ingress"),
        FieldSpec("imagePullSecrets/name", "ServiceAccount"),
        FieldSpec("parameters/secretName", "StorageClass"),
        FieldSpec("parameters/adminSecretName", "StorageClass"),
        FieldSpec("parameters/userSecretName", "StorageClass"),
        FieldSpec("parameters/secretRef", "StorageClass"),
        FieldSpec("rules/resourceNames", "Role"), FieldSpec("rules/resourceNames", "ClusterRole"),
        FieldSpec("spec/template/spec/containers/env/valueFrom/secretKeyRef/name", "Service",
                  "serving.knative.dev", "v1"),
        FieldSpec("spec/azureFile/secretName", "PersistentVolume"))),
    NameReference("Service", "", (
        FieldSpec("spec/serviceName", "StatefulSet", "apps"),
        FieldSpec("spec/rules/http/paths/backend/serviceName", "Ingress"),
        FieldSpec("spec/backend/serviceName", "Ingress"),
        FieldSpec("spec/rules/http/paths/backend/service/name", "Ingress"),
        FieldSpec("spec/defaultBackend/service/name", "Ingress"),
        FieldSpec("spec/service/name", "APIService", "apiregistration.k8s.io"),
        FieldSpec("webhooks/clientConfig/service", "ValidatingWebhookConfiguration",
                  "admissionregistration.k8s.io"),
        FieldSpec("webhooks/clientConfig/service", "MutatingWebhookConfiguration",
                  "admissionregistration.k8s.io"))),
    NameReference("Role", "rbac.authorization.k8s.io", (
        FieldSpec("roleRef/name", "RoleBinding", "rbac.authorization.k8s.io"),)),
    NameReference("ClusterRole", "rbac.authorization.k8s.io", (
        FieldSpec("roleRef/name", "RoleBinding", "rbac.authorization.k8s.io"),
        FieldSpec("roleRef/name", "ClusterRoleBinding", "rbac.authorization.k8s.io"))),
    NameReference("ServiceAccount", "", (
        FieldSpec("subjects", "RoleBinding", "rbac.authorization.k8s.io"),
        FieldSpec("subjects", "ClusterRoleBinding", "rbac.authorization.k8s.io"),
        *(FieldSpec(f"{_pod_kind_prefix(k)}/serviceAccountName", k) for k in _SA_PVC_PRIO_KINDS))),
    NameReference("PersistentVolumeClaim", "", tuple(
        FieldSpec(f"{_pod_kind_prefix(k)}/volumes/persistentVolumeClaim/claimName", k)
        for k in _SA_PVC_PRIO_KINDS)),
    NameReference("PersistentVolume", "", (FieldSpec("spec/volumeName", "PersistentVolumeClaim"),
                                           FieldSpec("rules/resourceNames", "ClusterRole"))),
    NameReference("StorageClass", "storage.k8s.io", (
        FieldSpec("spec/storageClassName", "PersistentVolume"),
        FieldSpec("spec/storageClassName", "PersistentVolumeClaim"),
        FieldSpec("spec/volumeClaimTemplates/spec/storageClassName", "StatefulSet"))),
    NameReference("PriorityClass", "scheduling.k8s.io", tuple(
        FieldSpec(f"{_pod_kind_prefix(k)}/priorityClassName", k) for k in _SA_PVC_PRIO_KINDS)),
    NameReference("IngressClass", "networking.k8s.io", (
        FieldSpec("spec/ingressClassName", "Ingress"),)),
)

# The one Gateway API field in kustomize's master table (see above); off by default because
# released kustomize versions that users run (and Argo CD/Flux bundle) may not have it.
HTTPROUTE_BACKEND_REF = NameReference("Service", "", (
    FieldSpec("spec/rules/backendRefs/name", "HTTPRoute"),))
