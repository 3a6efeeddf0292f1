"""Typed resources: what a document becomes once it has an apiVersion and a kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, overload

from gwlint.source import SourceFile

# A field inside a document, as keys and list indexes: ("spec", "rules", 0, "backendRefs").
FieldPath = tuple[str | int, ...]

GATEWAY_GROUP = "gateway.networking.k8s.io"
GATEWAY_X_GROUP = "gateway.networking.x-k8s.io"
CORE_GROUP = ""
# The namespace of a namespaced object that names none (kubectl's, unless --default-namespace)
DEFAULT_NAMESPACE = "default"

ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")

# Kinds that are cluster-scoped; everything else is treated as namespaced, as most CRDs are.
CLUSTER_SCOPED = frozenset({
    (GATEWAY_GROUP, "GatewayClass"),
    (CORE_GROUP, "Namespace"),
    (CORE_GROUP, "Node"),
    (CORE_GROUP, "PersistentVolume"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("storage.k8s.io", "StorageClass"),
    ("scheduling.k8s.io", "PriorityClass"),
    ("networking.k8s.io", "IngressClass"),
    ("cert-manager.io", "ClusterIssuer"),
    ("configuration.konghq.com", "KongClusterPlugin"),
    ("x-k8s.io", "XMesh"),
    (GATEWAY_X_GROUP, "XMesh"),
})


class ObjKey(NamedTuple):
    """Identity of an object inside one scope (a cluster of a multi-cluster repository)."""

    scope: str
    group: str
    kind: str
    namespace: str | None
    name: str

    def label(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"


@dataclass(slots=True, frozen=True)
class Origin:
    """Where a resource came from: a document of a source, plus a path prefix for List items."""

    source: SourceFile
    doc_index: int
    prefix: FieldPath = ()
    line: int = 1

    def at(self, path: FieldPath) -> tuple[SourceFile, int, FieldPath]:
        """(source, document index, path in that document) where the value at `path` of the
        object was written. An object built by Kustomize overrides this: its values come from
        several files (the base, the patches, the kustomizations)."""
        return self.source, self.doc_index, self.prefix + tuple(path)

    @property
    def overlay(self) -> str | None:
        """The Kustomize root whose build produced the object (None: read from a file)."""
        return None


def split_api_version(api_version: str) -> tuple[str, str]:
    """'gateway.networking.k8s.io/v1' -> (group, version); 'v1' -> ('', 'v1')."""
    if "/" in api_version:
        group, _, version = api_version.rpartition("/")
        return group, version
    return CORE_GROUP, api_version


def sops_encrypted(body: dict[str, Any]) -> bool:
    """An object SOPS encrypted (https://github.com/getsops/sops: a top-level `sops` mapping
    with its `mac` and `version`): Flux (`spec.decryption`) and ksops decrypt it when they apply
    it, so its `ENC[...]` values say nothing of what is applied."""
    meta = body.get("sops")
    return type(meta) is dict and ("mac" in meta or "version" in meta)


def sops_value(value: Any) -> bool:
    """A value SOPS encrypted: `ENC[AES256_GCM,data:...,type:str]`."""
    return type(value) is str and value.startswith("ENC[") and value.endswith("]")


def is_cluster_scoped(group: str, kind: str) -> bool:
    return (group, kind) in CLUSTER_SCOPED


@dataclass(slots=True, eq=False)
class Resource:
    """A Kubernetes object read from a file, with the defaults the API server would apply."""

    api_version: str
    group: str
    version: str
    kind: str
    namespace: str | None
    name: str
    body: dict[str, Any]
    origin: Origin
    scope: str = ""
    defaulted: frozenset[FieldPath] = field(default_factory=frozenset)
    namespace_defaulted: bool = False
    virtual: bool = False  # produced by another object (a Secret from a cert-manager Certificate)

    @property
    def key(self) -> ObjKey:
        return ObjKey(self.scope, self.group, self.kind, self.namespace, self.name)

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.body.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.body.get("metadata")
        return meta if isinstance(meta, dict) else {}

    def label(self) -> str:
        return self.key.label()

    def get(self, *path: Any, default: Any = None) -> Any:
        """Safe nested lookup: any wrong type along the way yields `default`."""
        node: Any = self.body
        for step in path:
            if isinstance(step, int):
                if not isinstance(node, list) or not -len(node) <= step < len(node):
                    return default
            elif not isinstance(node, dict) or step not in node:
                return default
            node = node[step]
        return node


def as_list(value: Any) -> list[Any]:
    """A field that should be a list, or an empty list when it is absent or mistyped."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@overload
def as_str(value: Any, default: str) -> str: ...
@overload
def as_str(value: Any, default: None = None) -> str | None: ...
def as_str(value: Any, default: str | None = None) -> str | None:
    return value if isinstance(value, str) else default


def as_int(value: Any) -> int | None:
    """An integer field, or None when it is absent or mistyped (a bool is not an integer)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_defaulted(res: Resource, path: FieldPath) -> bool:
    """Whether `path` (or an ancestor) was added by CRD defaulting, i.e. not written by the user."""
    return any(tuple(path[:n]) in res.defaulted for n in range(1, len(path) + 1))


def written(res: Resource, path: FieldPath) -> bool:
    """Whether the author wrote this field (it is not absent, nor only added by defaulting)."""
    return path not in res.defaulted and res.get(*path) is not None
