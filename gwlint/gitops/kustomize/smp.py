"""Strategic merge patches as kustomize v5 applies them (kyaml merge2), keeping origins.

https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patchesstrategicmerge/ and
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/ . Kustomize merges
with kyaml's walker: maps are merged key by key, `null` deletes a key, scalars are replaced, and a
list is merged element by element only when the OpenAPI schema of the object's kind says so
(`x-kubernetes-patch-strategy: merge` with a merge key). kustomize's built-in schema is that of
the Kubernetes API: for custom resources (every Gateway API kind) no schema is known and kyaml
does not infer merge keys (`InferAssociativeLists` is off in merge2.Merge), so **every list of a
custom resource is replaced whole** by the patch's list. The directives `$patch: delete` and
`$patch: replace` are honoured; other directives are dropped with a note.
"""

from __future__ import annotations

import copy
from typing import Any

from gwlint.gitops.origins import OriginMap, Path, Written

# Built-in API groups whose kinds kustomize has OpenAPI schemas for.
BUILTIN_GROUPS = frozenset({"", "apps", "batch", "autoscaling", "policy", "extensions",
                            "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
                            "scheduling.k8s.io", "admissionregistration.k8s.io",
                            "apiextensions.k8s.io", "apiregistration.k8s.io", "coordination.k8s.io",
                            "discovery.k8s.io", "node.k8s.io", "certificates.k8s.io"})

_POD_SPEC_AT = {
    "Pod": ("spec",), "PodTemplate": ("template", "spec"),
    "Deployment": ("spec", "template", "spec"), "ReplicaSet": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"), "DaemonSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"), "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
# k8s.io/api core/v1 types.go: fields with patchStrategy "merge" and their patchMergeKey
_POD_SPEC_LISTS = {"containers": "name", "initContainers": "name", "ephemeralContainers": "name",
                   "volumes": "name", "imagePullSecrets": "name", "hostAliases": "ip",
                   "topologySpreadConstraints": "topologyKey", "resourceClaims": "name",
                   "schedulingGates": "name"}
_CONTAINER_LISTS = {"ports": "containerPort", "env": "name", "volumeMounts": "mountPath",
                    "volumeDevices": "devicePath", "resizePolicy": ""}
_CONTAINERS = ("containers", "initContainers", "ephemeralContainers")
PRIMITIVE = "<primitive>"  # a merged list of scalars (metadata.finalizers)


def merge_key(group: str, kind: str, path: tuple[str, ...]) -> str | None:
    """The merge key of the list at schema path `path` ('[]' for list items), PRIMITIVE for a
    merged list of scalars, or None when the list is replaced whole."""
    if group not in BUILTIN_GROUPS:
        return None
    if path == ("metadata", "finalizers"):
        return PRIMITIVE
    if path == ("metadata", "ownerReferences"):
        return "uid"
    if kind == "Service" and path == ("spec", "ports"):
        return "port"
    if kind == "ServiceAccount" and path in (("secrets",), ("imagePullSecrets",)):
        return "name"
    pod = _POD_SPEC_AT.get(kind)
    if pod is None or path[:len(pod)] != pod:
        return None
    rest = path[len(pod):]
    if len(rest) == 1:
        return _POD_SPEC_LISTS.get(rest[0])
    if len(rest) == 3 and rest[0] in _CONTAINERS and rest[1] == "[]":
        return _CONTAINER_LISTS.get(rest[2]) or None
    return None


class MergeError(Exception):
    """A patch kustomize would reject (e.g. a map patched with a list)."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


def strip_directives(value: Any) -> Any:
    """A copy of a patch value without `$patch`/`$retainKeys`/... keys, for insertion."""
    if isinstance(value, dict):
        return {k: strip_directives(v) for k, v in value.items()
                if not (isinstance(k, str) and k.startswith("$"))}
    if isinstance(value, list):
        return [strip_directives(v) for v in value
                if not (isinstance(v, dict) and v.get("$patch") in ("delete", "replace"))]
    return value


class StrategicMerge:
    """Merge one patch document into one object body in place, recording origins."""

    def __init__(self, group: str, kind: str, origins: OriginMap, written: Written) -> None:
        self.group, self.kind = group, kind
        self.origins = origins
        self.written = written  # the patch document (path () is its root)
        self.notes: list[str] = []

    def apply(self, body: dict[str, Any], patch: dict[str, Any]) -> bool:
        """Merge; False when the patch deletes the whole object (`$patch: delete`)."""
        if patch.get("$patch") == "delete":
            return False
        self._map(body, patch, (), (), ())
        return True

    def _record(self, dpath: Path, ppath: Path) -> None:
        self.origins.set(dpath, self.written.child(ppath))

    def _map(self, dest: dict[str, Any], patch: dict[str, Any], dpath: Path, ppath: Path,
             schema: tuple[str, ...]) -> None:
        if patch.get("$patch") == "replace":
            dest.clear()
            dest.update(strip_directives(patch))
            self._record(dpath, ppath)
            return
        for key, value in patch.items():
            if isinstance(key, str) and key.startswith("$"):
                if key != "$patch":
                    self.notes.append(f"directive {key} is not applied")
                continue
            dkey, pkey = dpath + (key,), ppath + (key,)
            if value is None:
                if key in dest:
                    del dest[key]
                    self.origins.drop(dkey)
                continue
            current = dest.get(key)
            if isinstance(value, dict) and value.get("$patch") == "delete":
                if key in dest:
                    del dest[key]
                    self.origins.drop(dkey)
                continue
            if key not in dest or current is None:
                dest[key] = strip_directives(value)
                self._record(dkey, pkey)
            elif isinstance(value, dict) and isinstance(current, dict):
                self._map(current, value, dkey, pkey, schema + (str(key),))
            elif isinstance(value, list) and isinstance(current, list):
                dest[key] = self._list(current, value, dkey, pkey, schema + (str(key),))
            elif isinstance(value, (dict, list)) or isinstance(current, (dict, list)):
                raise MergeError(dkey, f"the patch gives {'/'.join(map(str, dkey))} a "
                                 f"{_kind(value)} where the object has a {_kind(current)}")
            else:
                dest[key] = value
                self._record(dkey, pkey)

    def _list(self, dest: list[Any], patch: list[Any], dpath: Path, ppath: Path,
              schema: tuple[str, ...]) -> list[Any]:
        key = merge_key(self.group, self.kind, schema)
        replace = any(isinstance(p, dict) and p.get("$patch") == "replace" for p in patch)
        if key is None or replace:
            self._record(dpath, ppath)
            replaced: list[Any] = strip_directives(patch)
            return replaced
        if key == PRIMITIVE:
            seen = set()
            out = []
            for item in dest:
                marker = repr(item)
                if marker not in seen:
                    seen.add(marker)
                    out.append(item)
            for i, item in enumerate(patch):
                marker = repr(item)
                if marker not in seen:
                    seen.add(marker)
                    out.append(item)
                    self._record(dpath + (len(out) - 1,), ppath + (i,))
            return out
        return self._assoc(dest, patch, key, dpath, ppath, schema)

    def _assoc(self, dest: list[Any], patch: list[Any], key: str, dpath: Path, ppath: Path,
               schema: tuple[str, ...]) -> list[Any]:
        """Merge elements paired by `key`, in kustomize's order: the patch's elements first, in
        the patch's order (merged into the element they pair with), then the elements the patch
        does not name, in their order (kustomize merges with ListIncreaseDirection prepend;
        checked against `kubectl kustomize`, kustomize v5.5.0)."""
        index: dict[str, int] = {}
        for i, item in enumerate(dest):
            if isinstance(item, dict) and key in item:
                index.setdefault(str(item[key]), i)
        deleted: set[int] = set()
        order: list[tuple[int | None, int, Any]] = []  # (dest index or None, patch index, item)
        named: set[int] = set()
        for pi, item in enumerate(patch):
            at = index.get(str(item[key])) if isinstance(item, dict) and key in item else None
            if isinstance(item, dict) and item.get("$patch") == "delete":
                if at is not None:
                    deleted.add(at)
                continue
            if at is None or at in named:
                order.append((None, pi, strip_directives(item)))
                continue
            named.add(at)
            self._map(dest[at], item, dpath + (at,), ppath + (pi,), schema + ("[]",))
            order.append((at, pi, dest[at]))
        order += [(i, -1, item) for i, item in enumerate(dest)
                  if i not in named and i not in deleted]
        mapping = {at: n for n, (at, _, _) in enumerate(order) if at is not None}
        self.origins.reindex(dpath, mapping)
        result: list[Any] = []
        for n, (at, pi, item) in enumerate(order):
            if at is None:
                self._record(dpath + (n,), ppath + (pi,))
                item = copy.deepcopy(item)
            result.append(item)
        return result


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "list"
    return "scalar"
