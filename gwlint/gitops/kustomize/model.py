"""What a Kustomize build returns: objects with origins, problems, renames, file roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gwlint.gitops.origins import OriginMap, Path
from gwlint.model import is_cluster_scoped

# Problem codes (stable; the pipeline maps them to rules and severities)
MISSING_FILE = "missing-file"  # a resource, patch, component or generator file does not exist
INVALID = "invalid-kustomization"  # malformed YAML, wrong types, unknown entry shape
CYCLE = "include-cycle"  # a kustomization includes itself (directly or not)
TOO_DEEP = "too-deep"  # more nested kustomizations than the builder follows
NO_TARGET = "patch-target-not-found"  # a patch that matches no object
PATCH_FAILED = "patch-failed"  # a JSON 6902 operation that does not apply, a merge conflict
OUTSIDE = "outside-root"  # a path outside the linted tree (or, for files, the kustomization root)
DUPLICATE = "duplicate-object"  # two objects with one id in one build
UNSUPPORTED = "unsupported-feature"  # linted as far as possible without it
NOT_KUSTOMIZATION = "not-a-kustomization"  # a resources/components directory without one

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True, slots=True)
class Problem:
    """A broken or unsupported kustomization entry, at the kustomization file and JSON path."""

    code: str
    severity: str
    message: str
    file: str  # display path of the kustomization (or of the patch/resource file)
    path: Path = ()  # JSON path of the offending entry in that file
    doc_index: int = 0
    hint: str | None = None
    root: str = ""  # the root build in which it was found


@dataclass(frozen=True, slots=True)
class ResId:
    """kustomize's resource id: group, version, kind, namespace, name."""

    group: str
    version: str
    kind: str
    namespace: str | None
    name: str

    def label(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"

    def __reduce__(self) -> tuple[type[ResId], tuple[str, str, str, str | None, str]]:
        """Pickled as its fields: builds send thousands of ids (their renames) to the parent,
        and a frozen dataclass's default state restore is a Python loop over its fields."""
        return ResId, (self.group, self.version, self.kind, self.namespace, self.name)


@dataclass(slots=True)
class BuiltObject:
    """One object of a build. `body` is what kustomize would output; `origins` maps each of its
    JSON paths to the file, document and path that wrote it. `ids` holds every id the object had
    (the first is the original, as written in its file) so that renames can be traced."""

    body: dict[str, Any]
    origins: OriginMap
    ids: list[ResId] = field(default_factory=list)
    patched_by: list[str] = field(default_factory=list)  # display paths of patch files applied
    generated: bool = False  # made by a configMapGenerator/secretGenerator
    behavior: str = "create"  # generator behavior (create, merge, replace)
    needs_hash: bool = False  # a generated object that gets kustomize's content-hash suffix
    _id: ResId | None = field(default=None, repr=False, compare=False)  # current(), cached

    @property
    def original(self) -> ResId:
        return self.ids[0]

    def current(self) -> ResId:
        """The id the object has now (cached: every transformer and selector asks; whatever
        changes the name, namespace, kind or apiVersion calls `touch`)."""
        if self._id is None:
            self._id = res_id(self.body)
        return self._id

    def touch(self) -> None:
        """The object's identity may have changed."""
        self._id = None

    def moved(self, new_id: ResId) -> None:
        """The object's id is now `new_id`: its writer knows it (the namespace transformer
        moves every object of a root; recomputing each id is most of its time)."""
        self._id = new_id


@dataclass(frozen=True, slots=True)
class Rename:
    """An object whose name or namespace a kustomization changed (namePrefix, nameSuffix,
    namespace, generator hash). Kustomize updates the references it knows (its name-reference
    table plus the kustomization's `configurations`); references it does not know (Gateway API
    parentRefs, most backendRefs, certificateRefs, ReferenceGrant from/to) keep the old names."""

    old: ResId
    new: ResId
    kustomization: str  # display path of the kustomization file that renamed it
    field: str  # namePrefix, nameSuffix, namespace or hash

    def __reduce__(self) -> tuple[type[Rename], tuple[ResId, ResId, str, str]]:
        return Rename, (self.old, self.new, self.kustomization, self.field)


@dataclass(frozen=True, slots=True)
class RefUpdate:
    """A reference field kustomize itself rewrote after a rename (so no finding there)."""

    object: ResId  # the referring object, as built
    path: Path
    old: str
    new: str

    def __reduce__(self) -> tuple[type[RefUpdate], tuple[ResId, Path, str, str]]:
        return RefUpdate, (self.object, self.path, self.old, self.new)


@dataclass
class Build:
    """The result of building one kustomization root."""

    root: str  # display path of the root's directory
    kustomization: str  # display path of its kustomization file
    objects: list[BuiltObject] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    renames: list[Rename] = field(default_factory=list)
    ref_updates: list[RefUpdate] = field(default_factory=list)
    files: set[str] = field(default_factory=set)  # display paths of every file read
    kustomizations: list[str] = field(default_factory=list)  # included kustomization dirs
    complete: bool = True  # False when an unsupported feature was skipped


def res_id(body: dict[str, Any]) -> ResId:
    """The id of an object body (missing fields are empty)."""
    api_version = body.get("apiVersion")
    group, _, version = api_version.rpartition("/") if type(api_version) is str else ("", "", "")
    kind = body.get("kind")
    meta = body.get("metadata")
    if type(meta) is dict:
        name, namespace = meta.get("name"), meta.get("namespace")
    else:
        name = namespace = None
    return ResId(group, version, kind if type(kind) is str else "",
                 namespace if type(namespace) is str and namespace else None,
                 name if type(name) is str else "")


# Cluster-scoped kinds of kustomize's built-in schema (the Kubernetes API of its OpenAPI
# snapshot): its namespace transformer leaves these alone and sets a namespace on every other
# kind, cluster-scoped custom resources (GatewayClass, ClusterIssuer) and kinds newer than the
# snapshot (ValidatingAdmissionPolicy, flowcontrol v1) included; checked with `kubectl
# kustomize` (kustomize v5.5.0).
KUSTOMIZE_CLUSTER_KINDS = frozenset({
    ("", "Namespace"), ("", "Node"), ("", "PersistentVolume"), ("", "ComponentStatus"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"), ("storage.k8s.io", "StorageClass"),
    ("storage.k8s.io", "CSIDriver"), ("storage.k8s.io", "CSINode"),
    ("storage.k8s.io", "VolumeAttachment"), ("scheduling.k8s.io", "PriorityClass"),
    ("networking.k8s.io", "IngressClass"), ("node.k8s.io", "RuntimeClass"),
    ("apiregistration.k8s.io", "APIService"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("certificates.k8s.io", "CertificateSigningRequest"), ("policy", "PodSecurityPolicy"),
})
# Cluster-scoped kinds the API server knows, beyond gwlint's own list: their namespace, when
# kustomize writes one, is ignored when they are applied (and by ids here)
_CLUSTER_KINDS = frozenset({kind for _, kind in KUSTOMIZE_CLUSTER_KINDS} | {
    "GatewayClass", "ClusterIssuer", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding"})


def cluster_scoped(group: str, kind: str) -> bool:
    """Objects of this kind have no namespace (ids and references ignore it)."""
    return kind in _CLUSTER_KINDS or is_cluster_scoped(group, kind)
