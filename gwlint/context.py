"""The one reference graph of all linted objects, and the indexes rules ask instead of
re-scanning."""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gwlint.grants import GrantIndex, Permitting
from gwlint.grants import grant_matches as _grant_matches
from gwlint.model import CORE_GROUP, DEFAULT_NAMESPACE, GATEWAY_GROUP, ObjKey, Resource, as_str
from gwlint.refs import PRODUCES, Ref, references
from gwlint.versions import DEFAULT_CHANNEL, DEFAULT_SOURCE, newest

if TYPE_CHECKING:
    import networkx as nx

    from gwlint.loader import LoadIssue
    from gwlint.schema import Violation

# Objects that produce a Secret of the same namespace that is not itself in the repository:
# (group, kind) -> (path of the Secret's name, whether the object's own name is the default).
_SECRET_PRODUCERS: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {
    ("cert-manager.io", "Certificate"): (("spec", "secretName"), False),
    ("external-secrets.io", "ExternalSecret"): (("spec", "target", "name"), True),
    ("bitnami.com", "SealedSecret"): (("spec", "template", "metadata", "name"), True),
}


def _produced_secret(res: Resource) -> tuple[str, tuple[str, ...]] | None:
    """(name, path of the field that names it) of the Secret `res` produces, if it produces one."""
    entry = _SECRET_PRODUCERS.get((res.group, res.kind))
    if entry is None:
        return None
    path, own_name = entry
    name = as_str(res.get(*path))
    if name:
        return name, path
    return (res.name, ("metadata", "name")) if own_name and res.name else None


@dataclass
class Options:
    """Everything rules may depend on besides the objects themselves."""

    gateway_api_version: str = field(default_factory=newest)  # the release chosen: `versions`
    channel: str = DEFAULT_CHANNEL
    default_namespace: str = DEFAULT_NAMESPACE
    assume_exists: list[str] = field(default_factory=list)  # KIND/NAMESPACE/NAME globs
    gateway_classes: list[str] = field(default_factory=list)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    implementation: str | None = None  # NAME[@VERSION]: judge every object against its report
    gateway_api_source: str = DEFAULT_SOURCE  # where the release came from: `VersionChoice.source`
    # every rule's options by code, defaults included (`registry.rule_settings`, filled by the
    # engine): a stage before the rules that decides with a rule's option reads it here
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)

    def rule_setting(self, code: str, name: str) -> Any:
        """Rule `code`'s option `name` for this run: the configured value, else its `@rule`
        default (a KeyError for an unknown rule or option, or an Options the engine did not
        build)."""
        return self.settings[code][name]


class Context:
    """What a rule sees: resources, the reference graph, indexes, options and earlier-stage
    results."""

    def __init__(self, resources: list[Resource], options: Options,
                 load_issues: list[LoadIssue] | None = None,
                 violations: list[tuple[Resource, Violation]] | None = None,
                 layout: Any = None) -> None:
        self.options = options
        self.layout = layout  # gwlint.gitops.layout.Layout: Kustomize builds, charts (or None)
        self.resources = resources
        self.load_issues = load_issues or []
        self.violations = violations or []
        self._graph: nx.MultiDiGraph[ObjKey] | None = None
        self.by_key: dict[ObjKey, Resource] = {}
        self.duplicates: list[tuple[Resource, Resource]] = []
        self._by_kind: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        self._namespaces: set[tuple[str, str | None]] = set()
        self.refs_by_type: dict[str, list[Ref]] = defaultdict(list)
        self._by_name: dict[tuple[str, str, str, str], list[Resource]] | None = None
        self._refs_from: dict[int, list[Ref]] | None = None
        self.cache: dict[str, Any] = {}  # derived indexes shared by rules (e.g. attachments)
        self.rule_settings: dict[str, Any] = {}  # the running rule's options (set by Rule.run)
        self._build()
        self.grants = GrantIndex(self.of_kind("ReferenceGrant"))

    # --- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        for res in list(self.resources):
            self._add(res)
        for res in list(self.resources):
            self._add_produced(res)
        # one copy of each equal field path ("spec", "rules", 0, "backendRefs", 0): most routes
        # share their paths' shapes, and a path per reference was ~10% of the index's memory
        paths: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for res in self.resources:
            for ref in references(res):
                ref.path = paths.setdefault(ref.path, ref.path)
                self._add_ref(ref)

    def _add(self, res: Resource) -> None:
        key = res.key
        if key in self.by_key:
            self.duplicates.append((self.by_key[key], res))
        self.by_key[key] = res
        self._by_kind[(res.group, res.kind)].append(res)
        self._namespaces.add((res.scope, res.namespace))
        if res.group == CORE_GROUP and res.kind == "Namespace":
            self._namespaces.add((res.scope, res.name))

    def _add_produced(self, res: Resource) -> None:
        produced = _produced_secret(res)
        if produced is None:
            return
        name, path = produced
        key = ObjKey(res.scope, CORE_GROUP, "Secret", res.namespace, name)
        if key not in self.by_key:
            secret = Resource("v1", CORE_GROUP, "v1", "Secret", res.namespace, name,
                              {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
                               "metadata": {"name": name, "namespace": res.namespace}},
                              res.origin, res.scope, virtual=True)
            self.by_key[key] = secret
            self._by_kind[(CORE_GROUP, "Secret")].append(secret)
        self._add_ref(Ref(PRODUCES, res, path, key))

    def _add_ref(self, ref: Ref) -> None:
        self.refs_by_type[ref.type].append(ref)

    @property
    def graph(self) -> nx.MultiDiGraph[ObjKey]:
        """The reference graph for algorithms that need one (`gwlint graph --focus`): a node per
        object (targets neither linted nor declared external marked `missing`, declared external
        ones `assumed`), a typed edge per reference (attribute `ref`, the same `Ref` objects
        `refs()` yields; a Secret produced by a cert-manager Certificate or the like is a
        `produces` reference).

        Built on first use from the references, so runs whose rules only need the indexes do not
        pay networkx's import and construction cost.
        """
        if self._graph is None:
            import networkx as nx  # here, not at the top: most runs never need it (start-up)

            graph: nx.MultiDiGraph[ObjKey] = nx.MultiDiGraph()
            for key, res in self.by_key.items():
                graph.add_node(key, resource=res, missing=False, assumed=False)
            for refs in self.refs_by_type.values():
                for ref in refs:
                    if ref.target not in graph:
                        assumed = self.assumed(ref.target)
                        graph.add_node(ref.target, resource=None, missing=not assumed,
                                       assumed=assumed)
                    graph.add_edge(ref.source.key, ref.target, type=ref.type, ref=ref)
            self._graph = graph
        return self._graph

    def release(self) -> None:
        """Drop the indexes and the rules' caches once every rule has run: at 100,000 resources
        they hold ~250 MB that locating and reporting findings would otherwise sit on top of.
        `resources` stays (suppressions need it)."""
        self.cache.clear()
        self._graph = self._by_name = self._refs_from = None
        self.by_key.clear()
        self._by_kind.clear()
        self.refs_by_type.clear()

    # --- queries ------------------------------------------------------------------------------
    def of_kind(self, kind: str, group: str = GATEWAY_GROUP) -> list[Resource]:
        return self._by_kind.get((group, kind), [])

    def kinds(self, kinds: Iterable[str], group: str = GATEWAY_GROUP) -> Iterator[Resource]:
        for kind in kinds:
            yield from self.of_kind(kind, group)

    def get(self, key: ObjKey) -> Resource | None:
        return self.by_key.get(key)

    def named(self, scope: str, group: str, kind: str, name: str) -> list[Resource]:
        """Objects of a kind with this name in any namespace (for "did you mean" hints)."""
        if self._by_name is None:
            self._by_name = defaultdict(list)
            for res in self.resources:
                self._by_name[(res.scope, res.group, res.kind, res.name)].append(res)
        return self._by_name.get((scope, group, kind, name), [])

    def exists(self, key: ObjKey) -> bool:
        """In the linted set (or produced by an object in it), or declared as external."""
        return key in self.by_key or self.assumed(key)

    def refs(self, *types: str) -> Iterator[Ref]:
        for t in types:
            yield from self.refs_by_type.get(t, [])

    def refs_from(self, res: Resource, *types: str) -> list[Ref]:
        """The references of these types that `res` makes, type by type in document order (an
        index built on first use: one object's references are one lookup, not a scan)."""
        if self._refs_from is None:
            # by object only (an object makes few references): a key per (object, type) pair
            # cost a tuple and a list each
            index: dict[int, list[Ref]] = defaultdict(list)
            for refs in self.refs_by_type.values():
                for ref in refs:
                    index[id(ref.source)].append(ref)
            self._refs_from = index
        own = self._refs_from.get(id(res), ())
        return [ref for t in types for ref in own if ref.type == t]

    def namespace_known(self, scope: str, namespace: str | None) -> bool:
        """Whether the linted set holds anything in (or a Namespace object for) this namespace."""
        return (scope, namespace) in self._namespaces

    def assumed(self, key: ObjKey) -> bool:
        """Declared by the user as existing outside the linted files, or named by a Flux
        `${VAR}` placeholder gwlint cannot resolve (GW805 says which): the object it stands for
        is unknown, never missing."""
        if "${" in key.name or "${" in (key.namespace or ""):
            return True
        if key.kind == "GatewayClass" and any(
                fnmatch.fnmatchcase(key.name, g) for g in self.options.gateway_classes):
            return True
        for pattern in self.options.assume_exists:
            parts = pattern.split("/")
            if len(parts) == 2:
                kind, ns, name = parts[0], "*", parts[1]
            elif len(parts) == 3:
                kind, ns, name = parts
            else:
                continue
            if (fnmatch.fnmatchcase(key.kind, kind) and fnmatch.fnmatchcase(key.namespace or "", ns)
                    and fnmatch.fnmatchcase(key.name, name)):
                return True
        return False

    def rule_option(self, name: str) -> Any:
        """The running rule's option `name`: the configured value, else its `@rule` default."""
        return self.rule_settings[name]

    def grants_permitting(self, ref: Ref, from_kind: str | None = None) -> Permitting:
        """Every grant permitting `ref`, in input order (one index lookup; the sequence is built
        only as far as it is read: most callers only ask whether it is empty)."""
        return self.grants.all_permitting(ref, from_kind)

    @staticmethod
    def grant_matches(grant: Resource, ref: Ref, from_kind: str | None = None) -> bool:
        """Whether the grant's from/to entries match `ref`, wherever the grant lives (a grant in
        the wrong namespace matches here but permits nothing: rules use this to say so)."""
        src = ref.source
        return _grant_matches(grant, src.group, from_kind or src.kind, src.namespace, ref.target)

