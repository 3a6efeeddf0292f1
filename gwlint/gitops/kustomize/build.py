"""Build a kustomization root natively, the way `kustomize build` (v5) does, keeping origins.

Reference: https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/ (one page per
field, cited below) and kustomize's api/internal/target (kusttarget.go). Per kustomization, in
kustomize's order:

1. `resources` (and the deprecated `bases`), in order: files (every document; `kind: List`
   items), directories (which must hold a kustomization; built first, recursively);
   https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/resource/
2. `configurations` (only `nameReference` entries are honoured),
3. `configMapGenerator`, `secretGenerator` (generators.py),
4. `components`, each applied to everything accumulated so far;
   https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/components/
5. transformers in kustomize's fixed order (kusttarget_configplugin.go): patchesStrategicMerge,
   patches, namespace, namePrefix/nameSuffix, labels then commonLabels, commonAnnotations,
   patchesJson6902, replicas, images (workloads.py), then replacements (replacements.py).

At the root only, as kustomize's makeCustomizedResMap: content-hash suffixes for generated
objects, then the name-reference fix-up (references to renamed objects in the fields kustomize
knows), then the duplicate-id check.

Nothing here executes anything or reads outside the linted tree; remote bases, Helm charts,
plugins and vars are reported as unsupported and the rest is built. Nested
kustomizations are walked iteratively (a 1000-deep chain of bases costs no stack), their number
and the objects they produce are bounded.
"""

from __future__ import annotations

import marshal
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from sys import intern
from typing import Any

from gwlint.gitops.kustomize import model as m
from gwlint.gitops.kustomize import replacements, workloads
from gwlint.gitops.kustomize.fieldspecs import (
    COMMON_ANNOTATIONS,
    COMMON_LABELS,
    HTTPROUTE_BACKEND_REF,
    METADATA_LABELS,
    NAME_REFERENCES,
    PREFIX_SKIP,
    TEMPLATE_LABELS,
    FieldSpec,
    NameReference,
)
from gwlint.gitops.kustomize.files import LocalFiles, Parsed
from gwlint.gitops.kustomize.generators import (
    content_hash,
    encode_secret,
    parse_env,
    parse_literal,
)
from gwlint.gitops.kustomize.json6902 import OperationError, apply_operations
from gwlint.gitops.kustomize.model import BuiltObject, Problem, ResId, res_id
from gwlint.gitops.kustomize.selectors import SelectorError, Target, same_object
from gwlint.gitops.kustomize.smp import MergeError, StrategicMerge
from gwlint.gitops.origins import OriginMap, Path, Written
from gwlint.loader import parse_source
from gwlint.source import SourceFile, display_path

from gwlint.gitops.kustomize.names import KUSTOMIZATION_FILES as KUSTOMIZATION_FILES
MAX_DEPTH = 100  # nested kustomizations followed below a root (real repositories use < 10)
MAX_KUSTOMIZATIONS = 5_000  # distinct kustomizations in one root
MAX_OBJECTS = 200_000  # objects in one build, copies of shared bases included

_KNOWN_FIELDS = frozenset({
    "apiVersion", "kind", "metadata", "resources", "bases", "components", "namespace",
    "namePrefix", "nameSuffix", "patches", "patchesStrategicMerge", "patchesJson6902",
    "commonLabels", "labels", "commonAnnotations", "configMapGenerator", "secretGenerator",
    "generatorOptions", "configurations", "buildMetadata", "sortOptions", "images", "replicas",
    "replacements",
})
# Fields gwlint does not apply: (what, does it change Gateway API objects?)
_UNSUPPORTED = {
    "helmCharts": ("Helm charts inflated by kustomize (helmCharts)", True),
    "helmGlobals": ("helmGlobals", True),
    "helmChartInflationGenerator": ("helmChartInflationGenerator", True),
    "generators": ("generator plugins (generators)", True),
    "transformers": ("transformer plugins (transformers)", True),
    "validators": ("validator plugins (validators)", False),
    "vars": ("vars", True),
    "openapi": ("a custom OpenAPI schema (openapi)", True),
    "crds": ("CRD merge-key files (crds)", True),
}
def is_remote(entry: str) -> bool:
    """A remote base (Git URL, HTTP URL): kustomize would fetch it; gwlint never does."""
    return ("://" in entry or entry.startswith(("git@", "github.com/", "gitlab.com/",
                                                "bitbucket.org/")) or "?ref=" in entry)


def kustomization_file(files: LocalFiles, directory: str) -> tuple[str | None, list[str]]:
    """The kustomization file of `directory` and every recognised name present (kustomize
    refuses a directory with more than one)."""
    names = set(files.list_dir(directory))  # one listing instead of a stat per name
    present = [n for n in KUSTOMIZATION_FILES
               if n in names and files.is_file(os.path.join(directory, n))]
    return (os.path.join(directory, present[0]) if present else None), present


@dataclass
class Kustomization:
    """A parsed kustomization file."""

    dir: str  # filesystem path of its directory
    file: str  # filesystem path of the file
    shown: str  # display path of the file
    data: dict[str, Any]
    kind: str  # Kustomization or Component
    doc_index: int = 0

    def at(self, *path: Any) -> tuple[str, Path]:
        return self.shown, tuple(path)


@dataclass(frozen=True)
class _Edge:
    child: str  # directory
    path: Path  # JSON path of the entry in the parent kustomization
    component: bool


@dataclass
class _State:
    build: m.Build
    memo: dict[str, list[BuiltObject]] = field(default_factory=dict)
    uses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skip: set[tuple[str, str]] = field(default_factory=set)  # (parent dir, child dir) not followed
    objects: int = 0
    name_refs: list[NameReference] = field(default_factory=list)


class Builder:
    """Builds roots; kustomization files are parsed once for every root that uses them."""

    def __init__(self, files: LocalFiles, *, httproute_backend_refs: bool = False,
                 max_depth: int = MAX_DEPTH, max_objects: int = MAX_OBJECTS) -> None:
        self.files = files
        self.httproute_backend_refs = httproute_backend_refs
        self.max_depth = max_depth
        self.max_objects = max_objects
        self._loaded: dict[str, tuple[Kustomization | None, list[Problem]]] = {}
        # (kustomization dir, entry) -> (path, display path) or why not (a problem code): every
        # root that includes a base asks again about the base's files
        self._located: dict[tuple[str, str], tuple[str, str] | str] = {}
        # resource file path -> its objects, read once for every root that includes the file
        self._resources: dict[str, _ResourceFile] = {}
        self._children: dict[str, tuple[Kustomization, list[_Edge]]] = {}
        self._patch_files: dict[str, list[tuple[Any, Written]]] = {}  # path -> its documents
        self._targets: dict[int, tuple[dict[str, Any], Target | SelectorError]] = {}

    # ---- loading ---------------------------------------------------------------------------

    def load(self, directory: str) -> tuple[Kustomization | None, list[Problem]]:
        """The kustomization of `directory` (cached), or None and the problems why not."""
        key = os.path.normpath(directory)
        cached = self._loaded.get(key)
        if cached is None:
            cached = self._loaded[key] = self._load(key)
        return cached

    def _load(self, directory: str) -> tuple[Kustomization | None, list[Problem]]:
        path, present = kustomization_file(self.files, directory)
        if path is None:
            shown_dir = display_path(directory)
            return None, [Problem(m.NOT_KUSTOMIZATION, m.ERROR,
                                  f"no kustomization.yaml, kustomization.yml or Kustomization in "
                                  f"'{shown_dir}'", shown_dir)]
        parsed = self.files.parsed(path)
        problems: list[Problem] = []
        if len(present) > 1:
            problems.append(Problem(m.INVALID, m.ERROR, f"'{display_path(directory)}' holds "
                                    f"several kustomization files ({', '.join(present)}): "
                                    "kustomize refuses to choose", parsed.shown))
        if parsed.error is not None:
            return None, problems + [Problem(m.INVALID, m.ERROR, parsed.error, parsed.shown)]
        docs = [(i, d) for i, d in parsed.documents if d is not None]
        if len(docs) != 1 or not isinstance(docs[0][1], dict):
            return None, problems + [Problem(m.INVALID, m.ERROR, "a kustomization file must hold "
                                             "exactly one mapping", parsed.shown)]
        index, data = docs[0]
        kind = data.get("kind", "Kustomization")
        if kind not in ("Kustomization", "Component"):
            problems.append(Problem(m.INVALID, m.ERROR, f"kind {kind!r} is not Kustomization or "
                                    "Component", parsed.shown, ("kind",), index))
            kind = "Kustomization"
        kust = Kustomization(directory, path, parsed.shown, data, str(kind), index)
        for key in data:
            if key in _UNSUPPORTED:
                what, matters = _UNSUPPORTED[key]
                problems.append(Problem(m.UNSUPPORTED, m.INFO, f"{what} not applied by gwlint: "
                                        "linted as far as possible without it", parsed.shown,
                                        (key,), index,
                                        hint=("lint the output of `kustomize build` instead"
                                              if matters else None)))
            elif key not in _KNOWN_FIELDS:
                problems.append(Problem(m.INVALID, m.ERROR, f"unknown field {key!r}: kustomize "
                                        "rejects the kustomization", parsed.shown, (key,), index))
        return kust, problems

    def children(self, kust: Kustomization) -> Iterator[_Edge]:
        """Directories this kustomization includes (resources/bases, components); found once
        per kustomization (the index asks, then every root that includes it)."""
        cached = self._children.get(kust.dir)
        if cached is None or cached[0] is not kust:
            cached = self._children[kust.dir] = (kust, list(self._find_children(kust)))
        return iter(cached[1])

    def _find_children(self, kust: Kustomization) -> Iterator[_Edge]:
        for fieldname in ("resources", "bases", "components"):
            entries = kust.data.get(fieldname)
            if not isinstance(entries, list):
                continue
            for i, entry in enumerate(entries):
                if not isinstance(entry, str) or is_remote(entry):
                    continue
                path = os.path.normpath(os.path.join(kust.dir, entry))
                if self.files.is_dir(path):
                    yield _Edge(path, (fieldname, i), fieldname == "components")

    # ---- building a root -------------------------------------------------------------------

    def build(self, directory: str) -> m.Build:
        """Build the kustomization in `directory` (a root: nothing else includes it)."""
        directory = os.path.normpath(directory)
        kust, problems = self.load(directory)
        shown = display_path(directory)
        build = m.Build(shown, kust.shown if kust else shown)
        build.problems.extend(problems)
        if kust is None:
            build.complete = False
            return build
        state = _State(build)
        order = self._walk(kust, state)
        for dir_ in order:
            child, _ = self.load(dir_)
            if child is None or child.kind == "Component" or dir_ == directory:
                continue
            state.memo[dir_] = self._accumulate(child, None, state)
        objects = self._accumulate(kust, None, state)
        self._finish(kust, objects, state)
        build.objects = objects
        build.problems = _dedupe(build.problems, shown)
        return build

    def _walk(self, root: Kustomization, state: _State) -> list[str]:
        """Post-order of the included directories, iteratively; cycles and depth are problems."""
        order: list[str] = []
        visiting: set[str] = set()
        done: set[str] = set()
        stack: list[tuple[Kustomization, Iterator[_Edge], int]] = [
            (root, self.children(root), 0)]
        visiting.add(root.dir)
        chain = [root.dir]
        state.build.kustomizations.append(display_path(root.dir))
        state.build.files.add(root.shown)
        while stack:
            kust, edges, depth = stack[-1]
            edge = next(edges, None)
            if edge is None:
                stack.pop()
                chain.pop()
                visiting.discard(kust.dir)
                done.add(kust.dir)
                order.append(kust.dir)
                continue
            if edge.child in visiting:
                cycle = chain[chain.index(edge.child):] + [edge.child]
                state.build.problems.append(Problem(
                    m.CYCLE, m.ERROR, "kustomization include cycle: "
                    + " -> ".join(display_path(c) for c in cycle), kust.shown, edge.path,
                    kust.doc_index))
                state.skip.add((kust.dir, edge.child))
                continue
            if not edge.component:
                state.uses[edge.child] += 1
            if edge.child in done:
                continue
            if depth + 1 > self.max_depth or len(done) + len(visiting) >= MAX_KUSTOMIZATIONS:
                state.build.problems.append(Problem(
                    m.TOO_DEEP, m.ERROR, f"more than {self.max_depth} nested kustomizations (or "
                    f"{MAX_KUSTOMIZATIONS} in one build): '{display_path(edge.child)}' and what "
                    "it includes are not built", kust.shown, edge.path, kust.doc_index))
                state.skip.add((kust.dir, edge.child))
                state.build.complete = False
                continue
            child, problems = self.load(edge.child)
            if child is None:
                for p in problems:  # reported at the entry that names the directory
                    state.build.problems.append(Problem(
                        p.code, p.severity, f"'{display_path(edge.child)}': {p.message}"
                        if p.code != m.NOT_KUSTOMIZATION else p.message, kust.shown, edge.path,
                        kust.doc_index, p.hint))
                state.skip.add((kust.dir, edge.child))
                continue
            state.build.problems.extend(problems)
            state.build.kustomizations.append(display_path(child.dir))
            state.build.files.add(child.shown)
            visiting.add(child.dir)
            chain.append(child.dir)
            stack.append((child, self.children(child), depth + 1))
        return order

    def _take(self, directory: str, state: _State) -> list[BuiltObject]:
        """The built objects of an included directory: moved on last use, copied before."""
        objects = state.memo.get(directory)
        if objects is None:
            return []
        state.uses[directory] -= 1
        if state.uses[directory] <= 0:
            del state.memo[directory]
            return objects
        if state.objects + len(objects) > self.max_objects:
            return []
        state.objects += len(objects)
        return [_copy_object(o) for o in objects]

    # ---- one kustomization -----------------------------------------------------------------

    def _accumulate(self, kust: Kustomization, incoming: list[BuiltObject] | None,
                    state: _State) -> list[BuiltObject]:
        objects: list[BuiltObject] = incoming if incoming is not None else []
        problems = state.build.problems
        for fieldname in ("resources", "bases"):
            for i, entry in self._entries(kust, fieldname, state):
                self._resource(kust, fieldname, i, entry, objects, state)
        for i, entry in self._entries(kust, "configurations", state):
            state.name_refs.extend(self._configuration(kust, i, entry, state))
        self._generators(kust, objects, state)
        for i, entry in self._entries(kust, "components", state):
            self._component(kust, i, entry, objects, state)
        objects = self._patches_strategic_merge(kust, objects, state)
        objects = self._patches(kust, objects, state)
        self._namespace(kust, objects, state)
        self._prefix_suffix(kust, objects, state)
        self._labels(kust, objects, state)
        self._annotations(kust, objects, state)
        objects = self._patches_json6902(kust, objects, state)
        self._workloads(kust, objects, state)
        self._replacements(kust, objects, state)
        objects = _drop_local(objects)
        if state.objects > self.max_objects:
            problems.append(Problem(m.TOO_DEEP, m.ERROR, f"the build makes more than "
                                    f"{self.max_objects:,} objects; the rest is not built",
                                    kust.shown))
        return objects

    def _entries(self, kust: Kustomization, fieldname: str,
                 state: _State) -> Iterator[tuple[int, Any]]:
        value = kust.data.get(fieldname)
        if value is None:
            return
        if not isinstance(value, list):
            state.build.problems.append(Problem(m.INVALID, m.ERROR, f"{fieldname} must be a list",
                                                kust.shown, (fieldname,), kust.doc_index))
            return
        yield from enumerate(value)

    def _problem(self, state: _State, code: str, severity: str, message: str, kust: Kustomization,
                 *path: Any, hint: str | None = None) -> None:
        state.build.problems.append(Problem(code, severity, message, kust.shown, tuple(path),
                                            kust.doc_index, hint))

    def _local_file(self, kust: Kustomization, entry: str, state: _State, *path: Any) -> str | None:
        """A file named by a kustomization: inside its directory (kustomize's default load
        restrictor, LoadRestrictionsRootOnly) and inside the linted tree."""
        located = self.locate(kust.dir, entry)
        if isinstance(located, tuple):
            state.build.files.add(located[1])
            return located[0]
        if located == "tree":
            self._problem(state, m.OUTSIDE, m.ERROR, f"'{entry}' is outside the linted tree; "
                          "not read", kust, *path)
        elif located == "missing":
            full = os.path.normpath(os.path.join(kust.dir, entry))
            self._problem(state, m.MISSING_FILE, m.ERROR, _missing(entry, full, path[0]), kust,
                          *path)
        else:
            self._problem(state, m.OUTSIDE, m.ERROR, f"'{entry}' is outside the kustomization's "
                          "directory: kustomize refuses it (security: file is not in or below "
                          "the kustomization root)", kust, *path,
                          hint="move the file below the kustomization, or make the directory a "
                               "kustomization of its own and list the directory")
        return None

    def locate(self, directory: str, entry: str) -> tuple[str, str] | str:
        """(path, display path) of a file the kustomization in `directory` names, or why it is
        not read: "tree" (outside the linted tree), "missing", "root" (outside the
        kustomization's directory). Cached: the index asks, then every root that includes it."""
        located = self._located.get((directory, entry))
        if located is None:
            located = self._located[(directory, entry)] = self._locate(directory, entry)
        return located

    def _locate(self, directory: str, entry: str) -> tuple[str, str] | str:
        full = os.path.normpath(os.path.join(directory, entry))
        if not self.files.inside(full):
            return "tree"
        if not self.files.is_file(full):
            return "missing"
        if not full.startswith(directory.rstrip(os.sep) + os.sep) or directory == os.curdir:
            # not lexically below (both are normalised): ask relpath; directory may be '.' (a
            # root at the top) and `entry` absolute
            below = os.path.relpath(full, directory)
            if below == os.pardir or below.startswith(os.pardir + os.sep):
                return "root"
        return full, display_path(full)

    def _resource(self, kust: Kustomization, fieldname: str, i: int, entry: Any,
                  objects: list[BuiltObject], state: _State) -> None:
        if not isinstance(entry, str) or not entry:
            self._problem(state, m.INVALID, m.ERROR, f"{fieldname} entries must be paths", kust,
                          fieldname, i)
            return
        if is_remote(entry):
            state.build.complete = False
            self._problem(state, m.UNSUPPORTED, m.INFO, f"remote base '{entry}' is not fetched "
                          "(gwlint never uses the network): linted without it", kust, fieldname, i,
                          hint="lint the output of `kustomize build` to include it")
            return
        full = os.path.normpath(os.path.join(kust.dir, entry))
        if self.files.is_dir(full):
            if (kust.dir, full) not in state.skip:
                _append(objects, self._take(full, state), kust, (fieldname, i), state)
            return
        path = self._local_file(kust, entry, state, fieldname, i)
        if path is None:
            return
        parsed = self.files.parsed(path)
        if parsed.error is not None:
            state.build.problems.append(Problem(m.INVALID, m.ERROR, parsed.error, parsed.shown))
            return
        loaded = self._resources.get(path)
        if loaded is None:
            loaded = self._resources[path] = _ResourceFile.of(parsed)
        if loaded.kustomization:
            self._problem(state, m.INVALID, m.ERROR, f"'{entry}' is a kustomization file: list "
                          "its directory instead", kust, fieldname, i)
            return
        state.objects += len(loaded.written)
        # copies: the parsed documents are shared by every root that includes this file, and
        # patches and transformers change the objects in place
        _append(objects, [BuiltObject(body, OriginMap(written), [rid]) for body, written, rid
                          in zip(loaded.bodies(), loaded.written, loaded.ids, strict=True)],
                kust, (fieldname, i), state)

    def _component(self, kust: Kustomization, i: int, entry: Any, objects: list[BuiltObject],
                   state: _State) -> None:
        if not isinstance(entry, str) or is_remote(entry):
            self._problem(state, m.UNSUPPORTED if isinstance(entry, str) else m.INVALID, m.INFO,
                          f"component {entry!r} is not a local directory: not applied", kust,
                          "components", i)
            return
        full = os.path.normpath(os.path.join(kust.dir, entry))
        if not self.files.inside(full):
            self._problem(state, m.OUTSIDE, m.ERROR, f"component '{entry}' is outside the linted "
                          "tree; not read", kust, "components", i)
            return
        if not self.files.is_dir(full):
            self._problem(state, m.MISSING_FILE, m.ERROR, f"component '{entry}' does not exist",
                          kust, "components", i)
            return
        if (kust.dir, full) in state.skip:
            return
        comp, _ = self.load(full)
        if comp is None:
            return
        if comp.kind != "Component":
            self._problem(state, m.INVALID, m.ERROR, f"'{entry}' is listed under components but "
                          f"its kind is {comp.kind}: kustomize expects kind Component", kust,
                          "components", i)
            return
        result = self._accumulate(comp, objects, state)
        objects[:] = result

    def _configuration(self, kust: Kustomization, i: int, entry: Any,
                       state: _State) -> list[NameReference]:
        """`configurations` files; their nameReference entries extend kustomize's table.
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configurations/"""
        if not isinstance(entry, str):
            return []
        path = self._local_file(kust, entry, state, "configurations", i)
        if path is None:
            return []
        parsed = self.files.parsed(path)
        out: list[NameReference] = []
        for _, doc in parsed.documents:
            if not isinstance(doc, dict):
                continue
            for key in doc:
                if key != "nameReference":
                    self._problem(state, m.UNSUPPORTED, m.INFO, f"transformer configuration "
                                  f"{key!r} in '{entry}' is not applied", kust, "configurations", i)
            for ref in doc.get("nameReference") or []:
                if not isinstance(ref, dict) or not isinstance(ref.get("kind"), str):
                    continue
                specs = []
                for fs in ref.get("fieldSpecs") or []:
                    if isinstance(fs, dict) and isinstance(fs.get("path"), str):
                        specs.append(FieldSpec(fs["path"], str(fs.get("kind") or ""),
                                               _opt(fs.get("group")), _opt(fs.get("version"))))
                group = ref.get("group")
                out.append(NameReference(ref["kind"], group if isinstance(group, str) else None,
                                         tuple(specs)))
        return out

    # ---- generators ------------------------------------------------------------------------

    def _generators(self, kust: Kustomization, objects: list[BuiltObject], state: _State) -> None:
        """configMapGenerator and secretGenerator.
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configmapgenerator/"""
        options = kust.data.get("generatorOptions")
        options = options if isinstance(options, dict) else {}
        for fieldname, kind in (("configMapGenerator", "ConfigMap"),
                                ("secretGenerator", "Secret")):
            for i, args in self._entries(kust, fieldname, state):
                if not isinstance(args, dict) or not isinstance(args.get("name"), str):
                    self._problem(state, m.INVALID, m.ERROR, f"{fieldname} entries need a name",
                                  kust, fieldname, i)
                    continue
                body = self._generate(kust, fieldname, i, kind, args, options, state)
                if body is None:
                    continue
                written = Written(kust.shown, kust.doc_index, (fieldname, i))
                behavior = args.get("behavior", "create")
                obj = BuiltObject(body, OriginMap(written), [res_id(body)], generated=True,
                                  behavior=str(behavior))
                local = args.get("options")
                local = local if isinstance(local, dict) else {}
                obj.needs_hash = not (options.get("disableNameSuffixHash") is True
                                      or local.get("disableNameSuffixHash") is True)
                if behavior in ("merge", "replace"):
                    self._merge_generated(kust, fieldname, i, obj, objects, state)
                else:
                    state.objects += 1
                    _append(objects, [obj], kust, (fieldname, i), state)

    def _generate(self, kust: Kustomization, fieldname: str, i: int, kind: str,
                  args: dict[str, Any], options: dict[str, Any],
                  state: _State) -> dict[str, Any] | None:
        pairs: list[tuple[str, str]] = []
        for j, literal in enumerate(_list(args.get("literals"))):
            pair = parse_literal(str(literal))
            if pair is None:
                self._problem(state, m.INVALID, m.ERROR, f"literal {literal!r} is not KEY=VALUE",
                              kust, fieldname, i, "literals", j)
                continue
            pairs.append(pair)
        for j, entry in enumerate(_list(args.get("files"))):
            key, sep, rel = str(entry).partition("=")
            if not sep:
                key, rel = os.path.basename(str(entry)), str(entry)
            path = self._local_file(kust, rel, state, fieldname, i, "files", j)
            if path is None:
                continue
            text, error = self.files.text(path)
            if text is None:
                self._problem(state, m.INVALID, m.ERROR, f"'{rel}': {error}", kust, fieldname, i,
                              "files", j)
                continue
            pairs.append((key, text))
        envs = _list(args.get("envs")) + ([args["env"]] if isinstance(args.get("env"), str) else [])
        for j, entry in enumerate(envs):
            path = self._local_file(kust, str(entry), state, fieldname, i, "envs", j)
            if path is None:
                continue
            text, error = self.files.text(path)
            if text is None:
                self._problem(state, m.INVALID, m.ERROR, f"'{entry}': {error}", kust, fieldname, i,
                              "envs", j)
                continue
            pairs.extend(parse_env(text))
        data: dict[str, str] = {}
        for key, value in pairs:
            data[key] = encode_secret(value) if kind == "Secret" else value
        meta: dict[str, Any] = {"name": args["name"]}
        if isinstance(args.get("namespace"), str) and args["namespace"]:
            meta["namespace"] = args["namespace"]
        local = args.get("options")
        local = local if isinstance(local, dict) else {}
        for key in ("labels", "annotations"):
            merged = {**_dict(options.get(key)), **_dict(local.get(key))}
            if merged:
                meta[key] = {str(k): str(v) for k, v in merged.items()}
        body: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "metadata": meta}
        if kind == "Secret":
            body["type"] = str(args.get("type") or "Opaque")
        if data:
            body["data"] = data
        if options.get("immutable") is True or local.get("immutable") is True:
            body["immutable"] = True
        return body

    def _merge_generated(self, kust: Kustomization, fieldname: str, i: int, obj: BuiltObject,
                         objects: list[BuiltObject], state: _State) -> None:
        """behavior merge/replace: change the generated object of the same name from a base."""
        want = obj.original
        for existing in objects:
            cur = existing.current()
            if cur.kind == want.kind and any(x.name == want.name for x in existing.ids) and (
                    want.namespace is None or cur.namespace == want.namespace):
                if obj.behavior == "replace":
                    existing.body["data"] = obj.body.get("data", {})
                else:
                    merged = _dict(existing.body.get("data"))
                    merged.update(_dict(obj.body.get("data")))
                    existing.body["data"] = merged
                existing.origins.set(("data",), obj.origins.lookup(()))
                return
        self._problem(state, m.NO_TARGET, m.ERROR, f"{fieldname} '{want.name}' has behavior "
                      f"{obj.behavior} but no {want.kind} of that name comes from the resources",
                      kust, fieldname, i, "behavior")

    # ---- patches ---------------------------------------------------------------------------

    def _patch_documents(self, kust: Kustomization, state: _State, raw: Any, *path: Any,
                         inline_key: str = "patch") -> list[tuple[Any, Written]] | None:
        """The documents of a patch given by path or inline, with where each was written."""
        if isinstance(raw, dict):
            file, inline = raw.get("path"), raw.get(inline_key)
        else:
            file, inline = (raw, None) if isinstance(raw, str) and "\n" not in raw else (None, raw)
        if isinstance(file, str) and file:
            full = self._local_file(kust, file, state, *path, *(("path",) if isinstance(
                raw, dict) else ()))
            if full is None:
                return None
            parsed = self.files.parsed(full)
            if parsed.error is not None:
                state.build.problems.append(Problem(m.INVALID, m.ERROR, parsed.error, parsed.shown))
                return None
            docs = self._patch_files.get(full)
            if docs is None:  # patches are never changed (copied where applied): shared by roots
                docs = self._patch_files[full] = [(d, Written(parsed.shown, idx))
                                                  for idx, d in parsed.documents if d is not None]
            return list(docs)
        if isinstance(inline, str) and inline.strip():
            at = path + ((inline_key,) if isinstance(raw, dict) else ())
            source = SourceFile(kust.shown, inline)
            result = parse_source(source)
            if any(issue.code in ("GW001", "GW003", "GW004") for issue in result.issues):
                self._problem(state, m.INVALID, m.ERROR, "the inline patch is not valid YAML",
                              kust, *at)
                return None
            return [(d.data, Written(kust.shown, kust.doc_index, (), tuple(at), d.index))
                    for d in result.documents if d.data is not None]
        self._problem(state, m.INVALID, m.ERROR, "a patch needs a path or an inline patch", kust,
                      *path)
        return None

    def _target(self, kust: Kustomization, state: _State, raw: Any, *path: Any) -> Target | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise SelectorError("target must be a mapping")
        # compiled once per run: `raw` belongs to a kustomization loaded once (kept here too,
        # so that its id is never reused); a Target is never changed once parsed
        cached = self._targets.get(id(raw))
        if cached is None or cached[0] is not raw:
            try:
                cached = self._targets[id(raw)] = (raw, Target.parse(raw))
            except SelectorError as exc:
                cached = self._targets[id(raw)] = (raw, exc)
        if isinstance(cached[1], SelectorError):
            raise SelectorError(str(cached[1]))
        return cached[1]

    def _patches_strategic_merge(self, kust: Kustomization, objects: list[BuiltObject],
                                 state: _State) -> list[BuiltObject]:
        """patchesStrategicMerge (deprecated in v5, still applied): paths or inline patches.
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patchesstrategicmerge/"""
        for i, entry in self._entries(kust, "patchesStrategicMerge", state):
            docs = self._patch_documents(kust, state, entry, "patchesStrategicMerge", i)
            for doc, written in docs or []:
                objects = self._smp(kust, state, objects, doc, written, None,
                                    ("patchesStrategicMerge", i))
        return objects

    def _patches(self, kust: Kustomization, objects: list[BuiltObject],
                 state: _State) -> list[BuiltObject]:
        """patches: strategic merge or JSON 6902, by path or inline, with optional target.
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/"""
        for i, entry in self._entries(kust, "patches", state):
            if not isinstance(entry, dict):
                self._problem(state, m.INVALID, m.ERROR, "patches entries must be mappings "
                              "(path or patch, and target)", kust, "patches", i)
                continue
            options = _dict(entry.get("options"))
            if options.get("allowNameChange") or options.get("allowKindChange"):
                self._problem(state, m.UNSUPPORTED, m.INFO, "patch options allowNameChange/"
                              "allowKindChange are not applied", kust, "patches", i, "options")
            try:
                target = self._target(kust, state, entry.get("target"), "patches", i)
            except SelectorError as exc:
                self._problem(state, m.INVALID, m.ERROR, str(exc), kust, "patches", i, "target")
                continue
            docs = self._patch_documents(kust, state, entry, "patches", i)
            if docs is None:
                continue
            if any(isinstance(d, list) for d, _ in docs):
                if target is None:
                    self._problem(state, m.INVALID, m.ERROR, "a JSON 6902 patch needs a target",
                                  kust, "patches", i)
                    continue
                for doc, written in docs:
                    objects = self._json6902(kust, state, objects, doc, written, target,
                                             ("patches", i))
                continue
            for doc, written in docs:
                objects = self._smp(kust, state, objects, doc, written, target, ("patches", i))
        return objects

    def _patches_json6902(self, kust: Kustomization, objects: list[BuiltObject],
                          state: _State) -> list[BuiltObject]:
        """patchesJson6902 (deprecated in v5, still applied): target plus path or inline ops.
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patchesjson6902/"""
        for i, entry in self._entries(kust, "patchesJson6902", state):
            if not isinstance(entry, dict) or not isinstance(entry.get("target"), dict):
                self._problem(state, m.INVALID, m.ERROR, "patchesJson6902 entries need a target",
                              kust, "patchesJson6902", i)
                continue
            try:
                target = Target.parse(entry["target"])
            except SelectorError as exc:
                self._problem(state, m.INVALID, m.ERROR, str(exc), kust, "patchesJson6902", i,
                              "target")
                continue
            docs = self._patch_documents(kust, state, entry, "patchesJson6902", i)
            for doc, written in docs or []:
                objects = self._json6902(kust, state, objects, doc, written, target,
                                         ("patchesJson6902", i))
        return objects

    def _smp(self, kust: Kustomization, state: _State, objects: list[BuiltObject], doc: Any,
             written: Written, target: Target | None, at: Path) -> list[BuiltObject]:
        if not isinstance(doc, dict):
            self._problem(state, m.INVALID, m.ERROR, "a strategic merge patch must be a mapping",
                          kust, *at)
            return objects
        if target is not None:
            matches = [o for o in objects if target.matches(o)]
        else:
            patch_id = res_id(doc)
            if not patch_id.kind or not patch_id.name:
                self._problem(state, m.INVALID, m.ERROR, "a strategic merge patch without target "
                              "needs apiVersion, kind and metadata.name", kust, *at)
                return objects
            matches = [o for o in objects if same_object(patch_id, o)]
        if not matches:
            what = (f"the patch's {res_id(doc).label()}" if target is None
                    else "the patch target")
            severity = m.ERROR if target is None else m.WARNING
            self._problem(state, m.NO_TARGET, severity, f"{what} matches no object in this "
                          "kustomization", kust, *at,
                          hint="check the name, namespace and apiVersion against the base")
            return objects
        deleted: set[int] = set()
        for obj in matches:
            cur = obj.current()
            patch = {k: v for k, v in doc.items() if k not in ("apiVersion", "kind")}
            meta = patch.get("metadata")
            if isinstance(meta, dict):
                patch["metadata"] = {k: v for k, v in meta.items() if k not in ("name",
                                                                                 "namespace")}
                if not patch["metadata"]:
                    del patch["metadata"]
            merge = StrategicMerge(cur.group, cur.kind, obj.origins, written)
            try:
                keep = merge.apply(obj.body, clone(patch))
            except MergeError as exc:
                self._problem(state, m.PATCH_FAILED, m.ERROR, f"patch does not apply to "
                              f"{cur.label()}: {exc}", kust, *at)
                continue
            obj.patched_by.append(written.file)
            if not keep:
                deleted.add(id(obj))
            for note in sorted(set(merge.notes)):
                self._problem(state, m.UNSUPPORTED, m.INFO, note, kust, *at)
        return [o for o in objects if id(o) not in deleted] if deleted else objects

    def _json6902(self, kust: Kustomization, state: _State, objects: list[BuiltObject], doc: Any,
                  written: Written, target: Target, at: Path) -> list[BuiltObject]:
        if not isinstance(doc, list):
            self._problem(state, m.INVALID, m.ERROR, "a JSON 6902 patch must be a list of "
                          "operations", kust, *at)
            return objects
        matches = [o for o in objects if target.matches(o)]
        if not matches:
            self._problem(state, m.NO_TARGET, m.WARNING, "the patch target matches no object in "
                          "this kustomization", kust, *at,
                          hint="check the target's kind, name and namespace against the base")
            return objects
        for obj in matches:
            try:
                obj.body = apply_operations(clone(obj.body), doc, obj.origins, written)
                obj.touch()
            except OperationError as exc:
                if written.inline is not None:
                    file, path = kust.shown, at
                else:
                    file, path = written.file, (exc.index,)
                state.build.problems.append(Problem(
                    m.PATCH_FAILED, m.ERROR, f"JSON patch operation {exc.index} does not apply "
                    f"to {obj.current().label()}: {exc}", file, path,
                    written.doc_index if written.inline is None else kust.doc_index))
                continue
            obj.patched_by.append(written.file)
        return objects

    # ---- transformers ----------------------------------------------------------------------

    def _string(self, kust: Kustomization, state: _State, key: str) -> str | None:
        value = kust.data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self._problem(state, m.INVALID, m.ERROR, f"{key} must be a string", kust, key)
            return None
        return value

    def _namespace(self, kust: Kustomization, objects: list[BuiltObject], state: _State) -> None:
        """namespace: set on every namespaced object, overriding what it had.
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/namespace/
        Kustomize knows the scope of built-in kinds only: a cluster-scoped custom resource
        (GatewayClass) gets the namespace too, which the API server ignores (not a rename)."""
        namespace = self._string(kust, state, "namespace")
        if namespace is None:
            return
        written = Written(kust.shown, kust.doc_index, ("namespace",))
        for obj in objects:
            before = obj.current()
            if (before.group, before.kind) == ("", "Namespace") and before.name != namespace:
                # kustomize's namespace field specs include a Namespace's own metadata/name
                _metadata(obj)["name"] = namespace
                obj.touch()
                obj.origins.set(("metadata", "name"), written)
                self._renamed(obj, before, kust, "namespace", state)
            if (before.group, before.kind) in m.KUSTOMIZE_CLUSTER_KINDS:
                continue
            meta = _metadata(obj)
            if meta.get("namespace") == namespace:
                continue
            meta["namespace"] = namespace
            # res_id of the body as it is now: only the (non-empty) namespace changed
            obj.moved(ResId(before.group, before.version, before.kind, namespace, before.name))
            obj.origins.set(("metadata", "namespace"), written)
            if not m.cluster_scoped(before.group, before.kind):
                self._renamed(obj, before, kust, "namespace", state)

    def _prefix_suffix(self, kust: Kustomization, objects: list[BuiltObject],
                       state: _State) -> None:
        """namePrefix / nameSuffix on every object's name (not Namespaces, CRDs, APIServices).
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/nameprefix/ ,
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/namesuffix/"""
        prefix = self._string(kust, state, "namePrefix") or ""
        suffix = self._string(kust, state, "nameSuffix") or ""
        if not prefix and not suffix:
            return
        which = "+".join(k for k, v in (("namePrefix", prefix), ("nameSuffix", suffix)) if v)
        for obj in objects:
            before = obj.current()
            if (before.group, before.kind) in PREFIX_SKIP or not before.name:
                continue
            _metadata(obj)["name"] = prefix + before.name + suffix
            obj.touch()
            self._renamed(obj, before, kust, which, state)

    def _renamed(self, obj: BuiltObject, before: ResId, kust: Kustomization, how: str,
                 state: _State) -> None:
        after = obj.current()
        obj.ids.append(after)
        state.build.renames.append(m.Rename(before, after, kust.shown, how))

    def _labels(self, kust: Kustomization, objects: list[BuiltObject], state: _State) -> None:
        """labels (metadata only, templates with includeTemplates, selectors too with
        includeSelectors), then commonLabels (always selectors too).
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/labels/ ,
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/commonlabels/"""
        for i, entry in self._entries(kust, "labels", state):
            if not isinstance(entry, dict):
                continue
            pairs = _dict(entry.get("pairs"))
            if entry.get("includeSelectors") is True:
                specs: tuple[FieldSpec, ...] = COMMON_LABELS
            elif entry.get("includeTemplates") is True:
                specs = METADATA_LABELS + TEMPLATE_LABELS
            else:
                specs = METADATA_LABELS
            custom = tuple(FieldSpec(str(f["path"]), str(f.get("kind") or ""), _opt(f.get("group")),
                                     _opt(f.get("version")), f.get("create") is True)
                           for f in _list(entry.get("fields"))
                           if isinstance(f, dict) and isinstance(f.get("path"), str))
            self._set_pairs(kust, objects, pairs, specs + custom, ("labels", i, "pairs"))
        common = kust.data.get("commonLabels")
        if isinstance(common, dict):
            self._set_pairs(kust, objects, common, COMMON_LABELS, ("commonLabels",))

    def _annotations(self, kust: Kustomization, objects: list[BuiltObject],
                     state: _State) -> None:
        """commonAnnotations on objects and the pod templates they own.
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/commonannotations/"""
        common = kust.data.get("commonAnnotations")
        if isinstance(common, dict):
            self._set_pairs(kust, objects, common, COMMON_ANNOTATIONS, ("commonAnnotations",))

    def _workloads(self, kust: Kustomization, objects: list[BuiltObject],
                   state: _State) -> None:
        """replicas, then images (kustomize's transformer order), see workloads.py."""
        for fieldname in ("replicas", "images"):
            entries = [entry for _, entry in self._entries(kust, fieldname, state)]
            if not entries:
                continue
            if fieldname == "replicas":
                problems = workloads.set_replicas(entries, objects, kust.shown, kust.doc_index)
            else:
                usable, problems = workloads.image_entries(entries)
                workloads.set_images(usable, objects, kust.shown, kust.doc_index)
            for i, message in problems:
                self._problem(state, m.INVALID, m.ERROR, message, kust, fieldname, i)

    def _replacements(self, kust: Kustomization, objects: list[BuiltObject],
                      state: _State) -> None:
        """replacements, inline or by path, after every other transformer (replacements.py).
        https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/replacements/"""
        for i, entry in self._entries(kust, "replacements", state):
            path = entry.get("path") if isinstance(entry, dict) else None
            found: list[tuple[Any, str, Path, int]]
            if path is None or path == "":
                found = [(entry, kust.shown, ("replacements", i), kust.doc_index)]
            elif any(k in entry for k in ("source", "sourceValue", "targets")):
                self._problem(state, m.INVALID, m.ERROR, "cannot specify both path and inline "
                              "replacement", kust, "replacements", i)
                continue
            elif not isinstance(path, str):
                self._problem(state, m.INVALID, m.ERROR, "a replacements path must be a string",
                              kust, "replacements", i, "path")
                continue
            elif is_remote(path):
                state.build.complete = False
                self._problem(state, m.UNSUPPORTED, m.INFO, f"replacements file {path!r} is not "
                              "read (gwlint never uses the network): not applied", kust,
                              "replacements", i, "path")
                continue
            else:
                full = self._local_file(kust, path, state, "replacements", i, "path")
                parsed = self.files.parsed(full) if full is not None else None
                if parsed is None or parsed.error is not None:
                    if parsed is not None and parsed.error is not None:
                        state.build.problems.append(Problem(m.INVALID, m.ERROR, parsed.error,
                                                            parsed.shown))
                    continue
                doc_index, data = next(((n, d) for n, d in parsed.documents if d is not None),
                                       (0, None))
                found = [(item, parsed.shown, at, doc_index)
                         for at, item in replacements.entries(data)]
            for item, file, at, doc_index in found:
                written = Written(file, doc_index, at)
                for error in replacements.apply(item, objects, written):
                    state.build.problems.append(Problem(
                        m.PATCH_FAILED, m.ERROR, f"replacement: {error}", file, at + error.path,
                        doc_index))

    def _set_pairs(self, kust: Kustomization, objects: list[BuiltObject], pairs: dict[Any, Any],
                   specs: tuple[FieldSpec, ...], at: Path) -> None:
        if not pairs:
            return
        values = {str(k): "" if v is None else _scalar(v) for k, v in pairs.items()}
        writes = {key: Written(kust.shown, kust.doc_index, at + (key,)) for key in values}
        for obj in objects:
            cur = obj.current()
            for spec in specs:
                if not spec.selects(cur.group, cur.version, cur.kind):
                    continue

                def put(node: Any, path: Path, obj: BuiltObject = obj) -> None:
                    if not isinstance(node, dict):
                        return
                    for key, value in values.items():
                        node[key] = value
                        obj.origins.set(path + (key,), writes[key])

                _walk(obj.body, spec.steps(), spec.create, put, ())

    # ---- the root's last steps -------------------------------------------------------------

    def _finish(self, root: Kustomization, objects: list[BuiltObject], state: _State) -> None:
        for obj in objects:
            if obj.needs_hash:
                before = obj.current()
                _metadata(obj)["name"] = f"{before.name}-{content_hash(obj.body)}"
                obj.touch()
                self._renamed(obj, before, root, "hash", state)
        self._fix_references(objects, state)
        seen: dict[tuple[str, str, str | None, str], BuiltObject] = {}
        for obj in objects:
            cur = obj.current()
            key = (cur.group, cur.kind, cur.namespace, cur.name)
            if key in seen:
                first = obj.origins.lookup(())
                state.build.problems.append(Problem(
                    m.DUPLICATE, m.ERROR, f"{cur.label()} is produced twice by this build: "
                    "kustomize refuses it (may not add resource with an already registered id)",
                    root.shown, hint=f"the second comes from {first.file}"))
            else:
                seen[key] = obj

    def _fix_references(self, objects: list[BuiltObject], state: _State) -> None:
        """Kustomize's name-reference fix-up (its nameReference table, plus `configurations`):
        a reference, in a field kustomize knows, to an object that was renamed gets the new
        name. Candidates are objects of the referral kind that had the old name, in the
        referrer's namespace (either side may be cluster-scoped)."""
        renamed: dict[str, list[BuiltObject]] = defaultdict(list)
        for obj in objects:
            cur = obj.current()
            if any(i.name != cur.name for i in obj.ids):
                renamed[cur.kind].append(obj)
        if not renamed:
            return
        by_kind: dict[str, list[BuiltObject]] = defaultdict(list)
        for obj in objects:
            by_kind[obj.current().kind].append(obj)
        table = list(NAME_REFERENCES) + state.name_refs + (
            [HTTPROUTE_BACKEND_REF] if self.httproute_backend_refs else [])
        for ref in table:
            candidates = [c for c in renamed.get(ref.kind, [])
                          if ref.group is None or c.current().group == ref.group]
            if not candidates:
                continue
            by_old: dict[str, list[BuiltObject]] = defaultdict(list)
            for c in candidates:
                for old in {i.name for i in c.ids}:
                    by_old[old].append(c)
            for spec in ref.fields:
                for referrer in (by_kind.get(spec.kind, []) if spec.kind else objects):
                    cur = referrer.current()
                    if not spec.selects(cur.group, cur.version, cur.kind):
                        continue
                    self._update_refs(referrer, cur, spec, by_old, state)

    def _update_refs(self, referrer: BuiltObject, cur: ResId, spec: FieldSpec,
                     by_old: dict[str, list[BuiltObject]], state: _State) -> None:
        def new_name(value: Any) -> str | None:
            if not isinstance(value, str):
                return None
            found = [c for c in by_old.get(value, []) if _same_namespace(cur, c.current())]
            if len(found) != 1:
                return None
            name = found[0].current().name
            return name if name != value else None

        def fix(node: Any, path: Path) -> None:
            if isinstance(node, str):
                name = new_name(node)
                parent = _get(referrer.body, path[:-1])
                if name is not None and isinstance(parent, (dict, list)):
                    # the step that reached `node` fits its container (a key or an index)
                    parent[path[-1]] = name  # type: ignore[index]
                    state.build.ref_updates.append(m.RefUpdate(cur, path, node, name))
            elif isinstance(node, list):
                for i, item in enumerate(node):
                    fix(item, path + (i,))
            elif isinstance(node, dict) and isinstance(node.get("name"), str):
                name = new_name(node["name"])
                if name is not None:
                    state.build.ref_updates.append(m.RefUpdate(cur, path + ("name",),
                                                               node["name"], name))
                    node["name"] = name

        _walk(referrer.body, spec.steps(), False, fix, (), leaves=True)


# ---- helpers -------------------------------------------------------------------------------

def _same_namespace(referrer: ResId, referral: ResId) -> bool:
    if referrer.namespace is None or referral.namespace is None:
        return True
    return referrer.namespace == referral.namespace


def _walk(node: Any, steps: list[str], create: bool, fn: Callable[[Any, Path], None],
          path: Path, leaves: bool = False) -> None:
    """Call `fn(value, path)` at the field `steps` below `node`, walking into every item of a
    list on the way; with `create`, missing maps on the way are created."""
    if not steps:
        fn(node, path)
        return
    if isinstance(node, list):
        for i, item in enumerate(node):
            _walk(item, steps, create, fn, path + (i,), leaves)
        return
    if not isinstance(node, dict):
        return
    key = steps[0]
    child = node.get(key)
    if child is None:
        if not create:
            return
        child = node[key] = {}
    if len(steps) == 1 and leaves:
        fn(child, path + (key,))
        return
    _walk(child, steps[1:], create, fn, path + (key,), leaves)


def _get(node: Any, path: Path) -> Any:
    for step in path:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return None
    return node


def _objects(parsed: Parsed) -> Iterator[tuple[dict[str, Any], Written]]:
    """The objects of a resource file: every mapping document, `kind: List` items expanded."""
    for index, data in parsed.documents:
        if not isinstance(data, dict):
            continue
        kind, items = data.get("kind"), data.get("items")
        if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    yield item, Written(parsed.shown, index, ("items", i))
        else:
            yield data, Written(parsed.shown, index)


@dataclass
class _ResourceFile:
    """The objects of a resource file, as every root that includes it starts from them."""

    written: list[Written]
    ids: list[ResId]
    kustomization: bool  # the file is a kustomization (an error to list as a resource)
    _frozen: list[bytes | dict[str, Any]]  # each body marshalled once (each root loads its own
    # copy), or the body itself (shared, never changed) when marshal cannot hold it

    @classmethod
    def of(cls, parsed: Parsed) -> _ResourceFile:
        loaded = list(_objects(parsed))
        bodies = [body for body, _ in loaded]
        return cls([w for _, w in loaded], [res_id(body) for body in bodies],
                   any(_is_kustomization(body) for body in bodies), [_freeze(b) for b in bodies])

    def bodies(self) -> list[dict[str, Any]]:
        """Fresh deep copies of the bodies (one marshal per body, as `clone`: no body shares a
        node with another)."""
        return [marshal.loads(b) if type(b) is bytes else _walk_clone(b) for b in self._frozen]


def _freeze(body: dict[str, Any]) -> bytes | dict[str, Any]:
    try:
        return marshal.dumps(_interned(body))
    except ValueError:
        return body


def _interned(value: Any) -> Any:
    """`value` with interned keys and short strings: marshal keeps them interned, so every
    root's copy shares one string object per key instead of a copy each (less memory, and the
    worker's pickles of thousands of built objects refer to each string once)."""
    if type(value) is dict:
        return {intern(k) if type(k) is str else k: _interned(v) for k, v in value.items()}
    if type(value) is list:
        return [_interned(v) for v in value]
    if type(value) is str and len(value) <= _INTERN_MAX:
        return intern(value)
    return value


_INTERN_MAX = 64


def _is_kustomization(body: dict[str, Any]) -> bool:
    api = body.get("apiVersion")
    return isinstance(api, str) and api.startswith("kustomize.config.k8s.io/")


def _append(objects: list[BuiltObject], new: list[BuiltObject], kust: Kustomization, at: Path,
            state: _State) -> None:
    objects.extend(new)


LOCAL_CONFIG = "config.kubernetes.io/local-config"


def _drop_local(objects: list[BuiltObject]) -> list[BuiltObject]:
    """Objects annotated `config.kubernetes.io/local-config` (any value but "false") are inputs
    of the kustomization (a replacement's source, typically), never output: kustomize drops them
    when the kustomization's own transformers have run (KustTarget.IgnoreLocal)."""
    kept = [o for o in objects if not _is_local(o.body)]
    return kept if len(kept) != len(objects) else objects


def _is_local(body: dict[str, Any]) -> bool:
    meta = body.get("metadata")
    annotations = meta.get("annotations") if type(meta) is dict else None
    return (type(annotations) is dict and LOCAL_CONFIG in annotations
            and annotations[LOCAL_CONFIG] != "false")


def _copy_object(obj: BuiltObject) -> BuiltObject:
    return BuiltObject(clone(obj.body), obj.origins.copy(), list(obj.ids),
                       list(obj.patched_by), obj.generated, obj.behavior, obj.needs_hash)


def clone(value: Any) -> Any:
    """A deep copy of parsed YAML data (dicts, lists, scalars), several times faster than
    `copy.deepcopy`, which a build pays for every object of every root: `marshal` copies it in
    C; anything marshal cannot hold is copied by walking it."""
    try:
        return marshal.loads(marshal.dumps(value))
    except ValueError:
        return _walk_clone(value)


def _walk_clone(value: Any) -> Any:
    if type(value) is dict:
        return {k: _walk_clone(v) for k, v in value.items()}
    if type(value) is list:
        return [_walk_clone(v) for v in value]
    return value


def _missing(entry: str, full: str, fieldname: object) -> str:
    """Why a file entry was not read: missing, a directory where a file belongs, or a
    symbolic link to a directory (never followed: links can loop)."""
    if os.path.islink(full) and os.path.isdir(full):
        return (f"'{entry}' is a symbolic link to a directory: gwlint does not follow those; "
                "list the directory it points to")
    if os.path.isdir(full):
        return f"'{entry}' is a directory: {fieldname} entries here must be files"
    return f"'{entry}' does not exist"


def _metadata(obj: BuiltObject) -> dict[str, Any]:
    meta = obj.body.get("metadata")
    if not isinstance(meta, dict):
        meta = obj.body["metadata"] = {}
    return meta


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _opt(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _dedupe(problems: list[Problem], root: str) -> list[Problem]:
    """One problem per (code, file, path, message), tagged with the root."""
    seen: set[tuple[str, str, Path, str]] = set()
    out = []
    for p in problems:
        key = (p.code, p.file, p.path, p.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(Problem(p.code, p.severity, p.message, p.file, p.path, p.doc_index, p.hint,
                           root))
    return out
