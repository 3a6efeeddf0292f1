"""The repository's layout, for the load stage: which files are linted as they are, which are
linted through Kustomize builds, which are Helm templates, and how the work is shared.

    plan = prepare(files, paths, ...)       # before the processes start: file names, charts
    works = plan_share(plan, files, i, jobs, exchange)  # in each process: its range of the
                                            # kustomizations read, the parts exchanged, the
                                            # index merged; one Work per process (a Kustomize
                                            # component, roots that share directories, in one)
    result = build_work(plan, works[i], ...)  # in each process, after its files are parsed

Only kustomization files are read before the inputs are parsed (they say which files are
patches, resources of a build, generator inputs). Every root is built into its own scope (a
`--scope` glob that contains the root wins). Files a kustomization uses are linted only through
the builds of the roots that include them; files outside every kustomization are linted as
they are. Chart templates are never linted as YAML: each chart is rendered with `helm template`
when a `helm` binary is found, else reported once with the command that lints it.
"""

from __future__ import annotations

import glob as globmod
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from gwlint import native
from gwlint.classify import classify_document
from gwlint.discover import scope_of
from gwlint.gitops.appliedmodel import Applied
from gwlint.gitops.built import BuiltOrigin, SourceTable, written_issue
from gwlint.gitops.helm import Chart, chart_of, find_charts, find_helm, lint_command, render
from gwlint.gitops.kustomize.model import DUPLICATE
from gwlint.gitops.kustomize.names import KUSTOMIZATION_FILES, RESOURCE, UNLISTED
from gwlint.gitops.scopes import ARGO_GROUP, FLUX_KUSTOMIZE_GROUP, describe, find_scopes
from gwlint.loader import LoadIssue, parse_source
from gwlint.resources import Extraction, extract, make_resource
from gwlint.source import SourceFile, display_path

if TYPE_CHECKING:
    from gwlint.gitops.kustomize import (Build, BuiltObject, KustomizeIndex, LocalFiles, Parsed,
                                         Problem, RefUpdate, Rename)
    from gwlint.gitops.kustomize.index import IndexPart


@dataclass
class Plan:
    """What the file names and the kustomization files say, before anything else is parsed."""

    boundary: str = "."
    index: KustomizeIndex | None = None
    charts: list[Chart] = field(default_factory=list)
    role_files: frozenset[str] = frozenset()  # display paths used by kustomizations
    templates: frozenset[str] = frozenset()  # display paths of chart templates
    components: list[list[str]] = field(default_factory=list)  # roots (directories) by component
    scopes: list[str] = field(default_factory=list)  # the --scope globs
    helm: str | None = None  # the helm binary (None: charts are not rendered)
    helm_values: list[str] = field(default_factory=list)
    kustomizations: list[str] = field(default_factory=list)  # kustomization files (paths)
    max_file_size: int = 50 * 1024 * 1024
    scanned_by: dict[str, int] = field(default_factory=dict)  # directory -> process that read it
    kustomize: str | None = None  # the kustomize binary for roots with unsupported features
    kustomize_helm: str | None = None  # the helm binary it inflates helmCharts with

    @property
    def empty(self) -> bool:
        return self.index is None and not self.charts


@dataclass
class Work:
    """One process's part: its files, the Kustomize components it builds, the charts it renders."""

    files: list[tuple[str, str]] = field(default_factory=list)
    components: list[list[str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BuildInfo:
    """What GW802 and the summary need of one root's build."""

    root: str  # display path of the root directory
    kustomization: str  # display path of its kustomization file
    scope: str
    objects: int
    renames: tuple[Rename, ...] = ()
    ref_updates: tuple[RefUpdate, ...] = ()
    complete: bool = True


@dataclass(frozen=True, slots=True)
class ChartNote:
    """A chart that was not rendered (GW804), at its Chart.yaml."""

    chart: str
    file: str
    message: str
    command: str


@dataclass
class Layout:
    """The layout of one run (merged over the processes)."""

    problems: list[tuple[Problem, tuple[str, ...]]] = field(default_factory=list)  # with roots
    builds: list[BuildInfo] = field(default_factory=list)
    charts: list[ChartNote] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # charts rendered with helm
    scopes: list[tuple[str, str, str]] = field(default_factory=list)  # (scope, why, where)
    skipped_by_tool: dict[str, int] = field(default_factory=dict)
    skipped_files: dict[str, str] = field(default_factory=dict)  # file -> tool and why
    sources: dict[str, SourceFile] = field(default_factory=dict)  # display path -> source
    applied: Applied = field(default_factory=Applied)  # Argo CD/Flux renames (finish)

    def merge(self, other: Layout) -> None:
        self.problems += other.problems
        self.builds += other.builds
        self.charts += other.charts
        self.rendered += other.rendered
        self.scopes += other.scopes
        for tool, n in other.skipped_by_tool.items():
            self.skipped_by_tool[tool] = self.skipped_by_tool.get(tool, 0) + n
        for file, why in other.skipped_files.items():
            self.skipped_files.setdefault(file, why)

    def source(self, shown: str) -> SourceFile:
        """The source of a display path (an empty one for a path that was not read)."""
        src = self.sources.get(shown)
        if src is None:
            src = self.sources[shown] = SourceFile(shown)
        return src


# ---- planning ------------------------------------------------------------------------------

def boundary_of(paths: Iterable[str]) -> str:
    """The tree builds may read: the current directory when every PATH lies below it (an
    overlay linted alone still reads its `../../base`), else the PATHs' common directory; in a
    Git work tree, its top (`cd overlays/prod && gwlint .` reads `../../base`, as kustomize
    does)."""
    cwd = os.getcwd()
    absolute = [os.path.abspath(p) for p in paths if p != "-"] or [cwd]
    dirs = [p if os.path.isdir(p) else os.path.dirname(p) for p in absolute]
    if all(d == cwd or d.startswith(cwd.rstrip(os.sep) + os.sep) for d in dirs):
        tree = cwd
    else:
        tree = os.path.commonpath(dirs)
    return _work_tree(tree) or tree


def _work_tree(directory: str) -> str | None:
    """The top of the Git work tree holding `directory` (the nearest directory with `.git`),
    found without running git."""
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def prepare(files: list[tuple[str, str]], paths: Iterable[str], scopes: list[str],
            max_file_size: int, helm: str | None = None,
            helm_values: Iterable[str] = (), kustomize: str | None = None) -> Plan:
    """What the file names say (charts, kustomization files) and the binaries: the part of the
    plan made before the processes start. No kustomization is read yet."""
    kustomizations = [p for p, _ in files if os.path.basename(p) in KUSTOMIZATION_FILES]
    charts = find_charts(p for p, _ in files)
    if not kustomizations and not charts:
        return Plan(scopes=list(scopes))
    plan = Plan(boundary_of(paths), charts=charts, scopes=list(scopes),
                helm_values=list(helm_values), kustomizations=kustomizations,
                max_file_size=max_file_size)
    if charts:
        plan.helm = find_helm(helm) if helm != "" else None
        plan.templates = frozenset(shown for path, shown in files
                                   if chart_of(path, charts) is not None)
    if kustomizations:
        # imported here to keep start-up fast: most runs have no kustomization
        from gwlint.gitops.kustomize_binary import find_kustomize

        # the load stage parses natively when the input is large enough to repay it (see
        # gwlint.native); kustomization files are parsed while planning, so decide now, on the
        # file sizes (and before the processes start: all decide alike)
        native.activate_for(_input_size(p for p, _ in files))
        plan.kustomize = find_kustomize(kustomize)
        if plan.kustomize is not None:
            plan.kustomize_helm = find_helm(helm)
    return plan


def plan_share(plan: Plan, files: list[tuple[str, str]], share: int, jobs: int,
               exchange: Callable[[IndexPart], list[IndexPart]]) -> list[Work]:
    """Complete `plan` in process `share` of `jobs` and share the work. Each process reads and
    indexes its part of the kustomizations (a contiguous range of their directories), `exchange`
    gives it every part, and all merge them alike: the kustomizations are read once, in
    parallel. A component goes to the process that read its kustomizations when the shares
    stay balanced (the others read the ones they lack when they build)."""
    if plan.kustomizations:
        # imported here to keep start-up fast: most runs have no kustomization
        from gwlint.gitops.kustomize import KustomizeIndex, LocalFiles
        from gwlint.gitops.kustomize.index import directories
        from gwlint.gitops.kustomize_binary import drop_duplicate_notes

        ranges = _scan_ranges(directories(plan.kustomizations), jobs)
        mine = set(ranges[share])
        local = LocalFiles(plan.boundary, max_size=plan.max_file_size)
        local.known_files(p for p, _ in files)
        scanned = KustomizeIndex.scan(
            [p for p in plan.kustomizations if _directory(p) in mine], local)
        parts = exchange(scanned.part())
        index = KustomizeIndex.merged(scanned.builder, parts)
        _mark_unlisted(index, files, plan.kustomizations)
        plan.index = index
        plan.role_files = frozenset(shown for shown, roles in index.roles.items() if roles)
        plan.components = _components(index)
        plan.scanned_by = {d: i for i, dirs in enumerate(ranges) for d in dirs}
        if plan.kustomize is not None:
            drop_duplicate_notes(index)
    return split(files, plan, jobs)


def _directory(path: str) -> str:
    return os.path.normpath(os.path.dirname(path) or ".")


def _scan_ranges(dirs: list[str], jobs: int) -> list[list[str]]:
    """`dirs` (sorted) cut into `jobs` contiguous ranges of about equal length, each cut moved
    to where the first path component below the directories' common parent changes, when that
    is near (an application's base and overlays are read by one process)."""
    if jobs <= 1 or len(dirs) < 2 * jobs:
        return [dirs] + [[] for _ in range(jobs - 1)]
    common = _common_depth(dirs)
    cuts = [0]
    for j in range(1, jobs):
        cut = max(cuts[-1], len(dirs) * j // jobs)
        limit = min(len(dirs), cut + max(8, len(dirs) // (8 * jobs)))
        moved = cut
        while moved < limit and _top(dirs[moved], common) == _top(dirs[moved - 1], common):
            moved += 1
        cuts.append(moved if moved < limit else cut)
    cuts.append(len(dirs))
    return [dirs[a:b] for a, b in pairwise(cuts)]


def _common_depth(dirs: list[str]) -> int:
    """How many leading path components all of `dirs` share."""
    common = dirs[0].split(os.sep)
    for d in dirs[1:]:
        parts = d.split(os.sep)
        depth = 0
        while depth < min(len(common), len(parts)) and common[depth] == parts[depth]:
            depth += 1
        del common[depth:]
    return len(common)


def _top(directory: str, common: int) -> tuple[str, ...]:
    return tuple(directory.split(os.sep)[common:common + 1])


def _mark_unlisted(index: KustomizeIndex, files: list[tuple[str, str]],
                   kustomizations: list[str]) -> None:
    """Files in a kustomization's directory that no kustomization lists are never applied:
    `kustomize build`, Argo CD and Flux build that directory from its kustomization file only
    (Flux generates one only where there is none), and nothing when it does not load. Linted as
    they are, a stale patch left beside an overlay's kustomization would be a route without
    rules or parents."""
    directories = {os.path.normpath(os.path.dirname(p) or ".") for p in kustomizations}
    for path, shown in files:
        if (os.path.normpath(os.path.dirname(path) or ".") in directories
                and shown not in index.roles
                and os.path.basename(path) not in KUSTOMIZATION_FILES):
            index.roles[shown].add(UNLISTED)


def skip_reason(plan: Plan, shown: str) -> str:
    """Why a file `is_patch_only` is skipped (--verbose)."""
    if plan.index is not None and plan.index.role(shown) == {UNLISTED}:
        return ("in a kustomization's directory but listed by no kustomization: never applied "
                "(kustomize, Argo CD and Flux build the directory from its kustomization)")
    return "a patch, generator input or configuration of a kustomization: built in, never applied"


def _input_size(paths: Iterable[str]) -> int:
    """The size of the files, summed only until it reaches native.MIN_CHARS: past it, the
    answer is the same and a stat per file of a large tree is saved."""
    total = 0
    for path in paths:
        total += _size(path)
        if total >= native.MIN_CHARS:
            break
    return total


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _components(index: KustomizeIndex) -> list[list[str]]:
    """Roots grouped so that roots that may read the same files are built in one process:
    kustomizations that include each other, or lie one below the other."""
    parent: dict[str, str] = {d: d for d in index.kustomizations}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    def union(a: str, b: str) -> None:
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    known = set(index.kustomizations)
    above: dict[str, str | None] = {}  # directory -> the nearest kustomization at or above it
    for d in index.kustomizations:
        for child in index.includes.get(d, []):
            union(d, child)
        up = _nearest(_parent(d), known, above)
        if up is not None:
            union(d, up)
    groups: dict[str, list[str]] = {}
    for root in roots_of(index):
        groups.setdefault(find(root), []).append(root)
    return list(groups.values())


def roots_of(index: KustomizeIndex) -> list[str]:
    """The roots to build: kustomizations nobody includes, and those only reachable through an
    include cycle (`a` includes `b`, `b` includes `a`: their builds report the cycle)."""
    roots = list(index.roots)
    reached = set(roots)
    for root in roots:
        reached.update(_reachable(index, root))
    for d in index.kustomizations:
        if d not in reached and d not in index.components:
            roots.append(d)
            reached.add(d)
            reached.update(_reachable(index, d))
    return roots


def _nearest(d: str | None, known: set[str], above: dict[str, str | None]) -> str | None:
    """The nearest of `known` at or above `d`; `above` caches the answers (the kustomizations
    of a tree share their parent directories)."""
    walked: list[str] = []
    found: str | None = None
    while d is not None:
        if d in above:
            found = above[d]
            break
        if d in known:
            found = d
            break
        walked.append(d)
        d = _parent(d)
    for w in walked:
        above[w] = found
    return found


def _parent(d: str) -> str | None:
    """The directory above `d` ('.' above a top-level relative one; None above the top)."""
    if d in (".", "") or d == os.path.dirname(d):
        return None
    return os.path.dirname(d) or "."


def _owner(path: str, known: set[str], component_of: dict[str, int]) -> int | None:
    """The component of the innermost kustomization directory holding `path`, if any."""
    d: str | None = os.path.dirname(os.path.normpath(path)) or "."
    while d is not None:
        if d in known:
            return component_of.get(d)
        d = _parent(d)
    return None


def split(files: list[tuple[str, str]], plan: Plan, jobs: int) -> list[Work]:
    """Share the files among `jobs` processes; each Kustomize component goes whole to one."""
    jobs = max(1, jobs)
    works = [Work() for _ in range(jobs)]
    works[0].charts = list(plan.charts)
    if plan.index is None:
        for i in range(jobs):
            works[i].files = files[i::jobs]
        return works
    if jobs == 1:
        works[0].files = list(files)
        works[0].components = [list(c) for c in plan.components]
        return works
    index = plan.index
    known = set(index.kustomizations)
    component_of: dict[str, int] = {}
    for i, roots in enumerate(plan.components):
        for root in roots:
            for d in [root, *_reachable(index, root)]:
                component_of.setdefault(d, i)
    by_component: dict[int, list[tuple[str, str]]] = {}
    loose: list[tuple[str, str]] = []
    for item in files:
        owner = _owner(item[0], known, component_of)
        (by_component.setdefault(owner, []) if owner is not None else loose).append(item)
    order = sorted(by_component, key=lambda c: -len(by_component[c]))
    fair = len(files) // jobs + max(len(files) // (20 * jobs), 1)
    for c in order:
        share = plan.scanned_by.get(plan.components[c][0])  # it read the kustomizations
        target = works[share] if share is not None and share < jobs and (
            len(works[share].files) + len(by_component[c]) <= fair) \
            else min(works, key=lambda w: len(w.files))
        target.files.extend(by_component[c])
        target.components.append(list(plan.components[c]))
    for c, roots in enumerate(plan.components):  # components that own no candidate file
        if c not in by_component:
            min(works, key=lambda w: len(w.files)).components.append(list(roots))
    for item in loose:
        min(works, key=lambda w: len(w.files)).files.append(item)
    return works


def _reachable(index: KustomizeIndex, root: str) -> list[str]:
    seen: set[str] = set()
    stack = [root]
    while stack:
        d = stack.pop()
        for child in index.includes.get(d, []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return sorted(seen)


def root_scope(root: str, scopes: list[str]) -> str:
    """A root's scope: the `--scope` glob directory that holds it, else the root itself."""
    return scope_of(root.rstrip("/") + "/kustomization.yaml", scopes) or root


# ---- building, in each process ---------------------------------------------------------------

@dataclass
class WorkResult:
    resources: list[Any] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)  # read by builds, not candidates
    documents: int = 0
    layout: Layout = field(default_factory=Layout)


def build_work(plan: Plan, work: Work, parsed: dict[str, Parsed], sources: list[SourceFile],
               default_namespace: str) -> WorkResult:
    """Build the roots of `work` (its role files already parsed: `parsed`, by filesystem path)
    and render its charts. Resources come back validated by nobody yet."""
    out = WorkResult()
    table = SourceTable({src.path: src for src in sources})
    if plan.index is not None and work.components:
        # imported here to keep start-up fast: most runs have no kustomization
        from gwlint.gitops.kustomize_binary import rebuild

        files = plan.index.builder.files
        for path, p in parsed.items():
            files.add(path, p)
        extraction = Extraction()
        read: set[str] = set()
        for roots in work.components:
            for root in roots:
                build = plan.index.build(root)
                if plan.kustomize is not None:  # only roots with unsupported features
                    build = rebuild(build, root, plan.index.builder, plan.kustomize,
                                    plan.kustomize_helm)
                _add_build(build, table, plan, default_namespace, extraction, out, files)
                read |= build.files
        for p in files.read():  # files this work's builds read that were not among its inputs
            if p.source is not None and p.source.path in read \
                    and p.source.path not in table.files:
                table.files[p.source.path] = p.source
                p.source.pack()
                out.sources.append(p.source)
        out.resources = extraction.resources
        out.issues = extraction.issues
        out.layout.skipped_by_tool = extraction.skipped_by_tool
        out.layout.skipped_files = extraction.skipped_files
    for chart in work.charts:
        _chart(chart, plan, default_namespace, out)
    return out


def _add_build(build: Build, table: SourceTable, plan: Plan, default_namespace: str,
               extraction: Extraction, out: WorkResult, files: LocalFiles) -> None:
    scope = root_scope(build.root, plan.scopes)
    count = 0
    for obj in build.objects:
        res = _resource(obj, build.root, scope, table, default_namespace, extraction, files)
        if res is not None:
            count += 1
    out.layout.problems += [(p, (build.root,)) for p in build.problems if p.code != DUPLICATE]
    out.layout.builds.append(BuildInfo(build.root, build.kustomization, scope, count,
                                       tuple(build.renames), tuple(build.ref_updates),
                                       build.complete))


def _resource(obj: BuiltObject, root: str, scope: str, table: SourceTable,
              default_namespace: str, extraction: Extraction, files: LocalFiles) -> Any:
    first = obj.origins.lookup(())
    parsed = files.shown(first.file)
    source = table.files.get(first.file) or (parsed.source if parsed is not None else None) \
        or SourceFile(first.file)
    kind = classify_document(obj.body, first.file)
    if not kind.is_object:
        extraction.skip(kind.tool, first.file, kind.reason)
        return None
    line = parsed.lines.get(first.doc_index, 1) if parsed is not None else 1
    origin = BuiltOrigin(source, first.doc_index, (), line, obj.origins, root, table)
    res = make_resource(obj.body, origin, default_namespace, scope, extraction,
                        written_issue(origin))
    if res is not None:
        extraction.resources.append(res)
    return res


_SOURCE_LINE = re.compile(r"^# Source: ([^/\n]+)/", re.MULTILINE)


def _chart(chart: Chart, plan: Plan, default_namespace: str, out: WorkResult) -> None:
    """Render one chart and lint its output in the chart's own scope (or note why not)."""
    values = plan.helm_values
    rendered = render(chart, plan.helm, values)
    chart_file = f"{chart.shown}/Chart.yaml" if chart.shown != "." else "Chart.yaml"
    if rendered.text is None:
        out.layout.charts.append(ChartNote(chart.shown, chart_file, rendered.note or "",
                                           lint_command(chart, values)))
        return
    # Helm names templates `CHART-NAME/templates/x.yaml`: report the chart's real directory
    prefix = "" if chart.shown == "." else chart.shown + "/"
    text = _SOURCE_LINE.sub(lambda m: f"# Source: {prefix}", rendered.text)
    src = SourceFile(f"{prefix}(helm template)", text, is_stdin=True)
    parse = parse_source(src)
    out.issues += parse.issues
    out.documents += len(parse.documents)
    extraction = Extraction()
    for doc in parse.documents:
        extract(doc, default_namespace, chart.shown, extraction)
    out.resources += extraction.resources
    out.issues += extraction.issues
    for tool, n in extraction.skipped_by_tool.items():
        out.layout.skipped_by_tool[tool] = out.layout.skipped_by_tool.get(tool, 0) + n
    out.layout.skipped_files.update(extraction.skipped_files)
    out.sources.append(src)
    out.layout.rendered.append(chart.shown)


def kustomizations_parsed(plan: Plan, files: list[tuple[str, str]]) -> dict[str, Parsed]:
    """The kustomization files among `files` that the plan parsed without error (display path
    -> documents): the load stage takes them as they are instead of reading them again."""
    if plan.index is None:
        return {}
    out = {}
    for path, shown in files:
        if os.path.basename(path) in KUSTOMIZATION_FILES:
            parsed = plan.index.builder.files.cached(path)
            if parsed is not None and parsed.error is None and parsed.source is not None:
                out[shown] = parsed
    return out


def is_patch_only(plan: Plan, shown: str) -> bool:
    """Files whose documents are no Kubernetes objects of their own: kustomizations, patches,
    generator inputs, transformer configurations (counted as skipped, tool kustomize)."""
    if plan.index is None:
        return False
    roles = plan.index.role(shown)
    return bool(roles) and RESOURCE not in roles


__all__ = ["BuildInfo", "ChartNote", "Layout", "Plan", "Work", "build_work", "find_helm",
           "finish", "is_patch_only", "kustomizations_parsed", "plan_share",
           "prepare", "root_scope", "skip_reason", "split"]


# ---- after the processes' results are merged ------------------------------------------------

def finish(layout: Layout, sources: list[SourceFile], resources: list[Any],
           scopes: list[str], plan: Plan | None = None) -> None:
    """Link built objects to the run's sources, merge the problems the same base causes in
    several roots (and add those of kustomizations that do not load at all), and apply the
    scopes Argo CD and Flux objects name and what they change at apply time (unless
    `--scope`: then neither)."""
    layout.sources = {src.path: src for src in sources}
    if plan is not None and plan.index is not None:
        layout.problems += [(p, ()) for p in plan.index.problems]
    tables: dict[int, SourceTable] = {}
    for res in resources:
        origin = res.origin
        if isinstance(origin, BuiltOrigin) and id(origin.table) not in tables:
            tables[id(origin.table)] = origin.table
    for table in tables.values():
        table.files = layout.sources
    layout.problems = _merge_problems(layout.problems)
    layout.builds.sort(key=lambda b: b.root)  # the same whatever process built each
    layout.rendered.sort()
    layout.scopes = [(b.scope, f"Kustomize root ({b.kustomization})", b.kustomization)
                     for b in layout.builds]
    layout.scopes += [(chart, "Helm chart (rendered with helm template)", f"{chart}/Chart.yaml")
                      for chart in layout.rendered]
    if scopes:
        layout.scopes += [(glob, "--scope", "") for glob in scopes]
        return
    named = find_scopes((res.body, res.origin.source.path, res.origin.doc_index)
                        for res in resources if res.group in (ARGO_GROUP, FLUX_KUSTOMIZE_GROUP))
    if not named:
        return
    prefixes = [_repository_prefix(sources), ""]
    globs = [_resolve(s.glob, prefixes) for s in named]
    for s, glob in zip(named, globs, strict=True):
        changes = describe(s.settings)
        layout.scopes.append((glob, f"{s.reason} ({changes})" if changes else s.reason, s.file))
    for res in resources:
        if not res.scope and not isinstance(res.origin, BuiltOrigin):
            res.scope = scope_of(res.origin.source.path, globs)
    # what the tools change on top of the builds (Flux targetNamespace, Argo CD kustomize
    # options), before the destination defaults of the objects still without a namespace
    # imported here to keep start-up fast: only runs with Argo CD or Flux objects apply them
    from gwlint.gitops.applied import apply as apply_settings

    layout.applied = apply_settings(resources, list(zip(named, globs, strict=True)),
                                    layout.builds)
    _destinations(resources, [(g, s.namespace) for s, g in zip(named, globs, strict=True)
                              if s.namespace])


def _destinations(resources: list[Any], targets: list[tuple[str, str]]) -> None:
    """Objects without a namespace go to the namespace the Argo CD Application (destination) or
    Flux Kustomization (targetNamespace) that applies their directory names, not `default`."""
    if not targets:
        return
    globs = [g for g, _ in targets]
    namespace = dict(targets)
    for res in resources:
        if not res.namespace_defaulted:
            continue
        root = res.origin.overlay
        where = scope_of((root.rstrip("/") + "/x") if root else res.origin.source.path, globs)
        if where:
            pattern = next(g for g in globs if scope_of(where + "/x", [g]) == where)
            res.namespace = namespace[pattern]


def _merge_problems(problems: list[tuple[Problem, tuple[str, ...]]]
                    ) -> list[tuple[Problem, tuple[str, ...]]]:
    """One problem per (code, file, place, message), with every root it was found in."""
    merged: dict[tuple[Any, ...], tuple[Problem, list[str]]] = {}
    for problem, roots in problems:
        key = (problem.code, problem.file, problem.doc_index, problem.path, problem.message)
        if key in merged:
            merged[key][1].extend(r for r in roots if r not in merged[key][1])
        else:
            merged[key] = (problem, list(roots))
    return [(p, tuple(sorted(roots))) for p, roots in merged.values()]


def _resolve(glob: str, prefixes: list[str]) -> str:
    """The scope glob as a display path: below the repository root, or else below the current
    directory (a repository linted from inside a bigger one), wherever the directory exists."""
    for prefix in prefixes:
        if globmod.glob(prefix + glob):
            return prefix + glob
    return prefixes[0] + glob


def _repository_prefix(sources: list[SourceFile]) -> str:
    """Argo CD and Flux paths are relative to the repository root (the nearest directory with
    `.git` above the linted files; else the current directory): its display path, as a prefix
    of display paths ('' when gwlint runs from the root)."""
    start = os.path.abspath(next((s.path for s in sources if not s.is_stdin), "."))
    d = start if os.path.isdir(start) else os.path.dirname(start)
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            shown = display_path(d)
            return "" if shown == "." else shown.rstrip("/") + "/"
        up = os.path.dirname(d)
        if up == d:
            return ""
        d = up
