"""Roots the native builder cannot build whole, built by a `kustomize` binary when there is one.

gwlint's own builder is the default and the reference: a root it builds completely is never
given to the binary. A root that uses a feature it does not apply (`helmCharts`, `replacements`,
builtin generator/transformer configurations, ...) is built with `kustomize build ROOT` when a
binary is on PATH (or given with `--kustomize PATH`), and its objects are linted as kustomize
outputs them. Each object is mapped back to the native build's object with the same id
(kustomize's group/version/kind/namespace/name; `BuiltObject.ids` holds every id an object
had), whose origins locate every value the native build wrote; a value the binary changed is
located at the kustomization entry of the feature that changed it, and an object only the
binary made (a chart's output) at its `config.kubernetes.io/origin` annotation when the
kustomization asks for `buildMetadata: [originAnnotations]`, else at that entry too.

The binary never runs for a root whose build reads anything remote (bases, components, files
by URL, charts not in their `chartHome`: kustomize would fetch them, and gwlint never uses the
network), nor for a root with errors (gwlint's findings say more than kustomize's refusal). It
runs as `helm` does (`gitops.tools`): no shell, a timeout, a minimal offline environment, a cap
on its output, no plugins (`--enable-alpha-plugins`/`--enable-exec` are never passed), and
writes nothing (no `-o`: the build goes to standard output). When it fails, the native build
stays and an info finding gives kustomize's first lines of error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from gwlint.gitops.kustomize import (
    Build,
    Builder,
    BuiltObject,
    Kustomization,
    KustomizeIndex,
    Problem,
    ResId,
)
from gwlint.gitops.kustomize import is_remote as _is_remote
from gwlint.gitops.kustomize.model import ERROR, INFO, NO_TARGET, UNSUPPORTED, res_id
from gwlint.gitops.origins import OriginMap, Path, Written
from gwlint.gitops.tools import Ran, environment, find_tool, run
from gwlint.loader import parse_source
from gwlint.source import SourceFile, display_path

TIMEOUT = 60  # seconds per root
MAX_OUTPUT = 50 * 1024 * 1024
ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
_ENTRIES = ("resources", "bases", "components")
# kustomization fields that hold data, not places to load from (a URL there is a value)
_DATA = frozenset({"commonAnnotations", "commonLabels", "labels", "images", "literals",
                   "options", "patch", "valuesInline", "metadata", "replicas", "sortOptions",
                   "buildMetadata", "generatorOptions", "target", "select", "reject", "source",
                   "targets", "fieldSpecs", "namePrefix", "nameSuffix", "namespace",
                   "helmCharts", "helmGlobals"})
_SUFFIX = ": linted as far as possible without it"


def find_kustomize(explicit: str | None = None) -> str | None:
    """The kustomize binary: the given path (if executable), else `kustomize` on PATH; '':
    never."""
    return find_tool("kustomize", explicit)


def wanted(build: Build) -> bool:
    """Whether the native build left something out (an unsupported feature)."""
    return not build.complete or any(p.code == UNSUPPORTED for p in build.problems)


def rebuild(build: Build, directory: str, builder: Builder, kustomize: str,
            helm: str | None = None, timeout: float | None = None) -> Build:
    """`build` (the native build of the root in `directory`), or the root built by `kustomize`
    when the native build left a feature out and the binary may run."""
    if not wanted(build):
        return build
    kusts = _kustomizations(build, builder)
    why_not, charts = _refusal(build, kusts)
    if why_not is not None:
        return _with(build, why_not, kusts)
    command = [kustomize, "build", directory]
    if charts:
        if helm is None:
            return _with(build, "not built with the kustomize binary: its helmCharts need a "
                         "helm binary (none found, or `--helm ''`)", kusts)
        command += ["--enable-helm", "--helm-command", helm]
    ran = run(command, timeout=timeout or TIMEOUT, max_output=MAX_OUTPUT,
              env=environment({"HELM_NO_PLUGINS": "1"}))
    objects = None if ran.stdout is None else _objects(ran.stdout)
    if objects is None:
        return _with(build, _failure(ran), kusts)
    return _mapped(build, objects, kusts, directory, builder)


def drop_duplicate_notes(index: KustomizeIndex) -> None:
    """The index reports the unsupported fields of every kustomization it loads; the build of
    every root that includes one reports them again (the reports merge into one finding with
    the roots). A root the binary builds says so in its own copy: the index's copy, the same
    note without the binary, goes, except for components no root includes (never built)."""
    if not any(p.code == UNSUPPORTED for p in index.problems):
        return
    built: set[str] = set()
    for directory in index.kustomizations:
        if directory not in index.components or index.included_by.get(directory):
            kust, _ = index.builder.load(directory)
            if kust is not None:
                built.add(kust.shown)
    index.problems = [p for p in index.problems
                      if p.code != UNSUPPORTED or p.file not in built]


# ---- may it run? ----------------------------------------------------------------------------

def _kustomizations(build: Build, builder: Builder) -> list[Kustomization]:
    """The kustomizations the native build read (loaded already: cached in the builder)."""
    out = []
    for directory in build.kustomizations:
        kust, _ = builder.load(directory)
        if kust is not None:
            out.append(kust)
    return out


def _refusal(build: Build, kusts: list[Kustomization]) -> tuple[str | None, bool]:
    """(why the binary must not build this root, None if it may; whether it inflates charts).
    A remote entry or a broken kustomization gives no note of its own: the native build's
    findings already say it."""
    for p in build.problems:
        if p.severity == ERROR:
            return "", False
        if p.code == UNSUPPORTED and len(p.path) == 2 and p.path[0] in _ENTRIES:
            return "", False  # a remote base or component
    charts = False
    for kust in kusts:
        if any(_remote(s) for s in _strings(kust.data)):
            return "", False
        for name, why in _charts(kust):
            charts = True
            if why is not None:
                return (f"not built with the kustomize binary: helmCharts chart '{name}' {why} "
                        "(gwlint never uses the network: vendor the chart)"), False
    return None, charts


def _remote(value: str) -> bool:
    return "\n" not in value and _is_remote(value.strip())


def _strings(data: Any) -> Iterator[str]:
    """Every string of a kustomization that names something to load (not under a data field)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(v for k, v in item.items() if k not in _DATA)
        elif isinstance(item, list):
            stack.extend(item)


def _charts(kust: Kustomization) -> Iterator[tuple[str, str | None]]:
    """(name, why kustomize cannot inflate it offline, None if it can) of every helmCharts
    entry: kustomize pulls a chart that is not in `chartHome/NAME` (`chartHome/NAME-VERSION/NAME`
    for a chart with repo and version), and loads values files given by URL."""
    entries = kust.data.get("helmCharts")
    if not isinstance(entries, list):
        return
    globals_ = kust.data.get("helmGlobals")
    default_home = globals_.get("chartHome") if isinstance(globals_, dict) else None
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        name = str(entry.get("name") or "")
        home = entry.get("chartHome") or default_home or "charts"
        more = entry.get("additionalValuesFiles")
        values = [entry.get("valuesFile"), *(more if isinstance(more, list) else [])]
        if not isinstance(home, str) or not name:
            yield name, "has no name or chartHome kustomize accepts"
        elif _remote(home) or any(isinstance(v, str) and _remote(v) for v in values):
            yield name, "names a chartHome or values file by URL, which kustomize would fetch"
        else:
            home = os.path.join(kust.dir, home)
            if entry.get("version") and entry.get("repo"):
                home = os.path.join(home, f"{name}-{entry['version']}")
            found = os.path.isdir(os.path.join(home, name))
            yield name, None if found else (
                f"is not in '{display_path(os.path.join(home, name))}'"
                + (", and kustomize would download it" if entry.get("repo") else ""))


# ---- running it -----------------------------------------------------------------------------

def _objects(stdout: bytes) -> list[dict[str, Any]] | None:
    """The objects kustomize printed (None: not readable YAML)."""
    parse = parse_source(SourceFile("(kustomize build)", stdout.decode("utf-8", "replace"),
                                    is_stdin=True))
    if parse.issues:
        return None
    return [d.data for d in parse.documents if isinstance(d.data, dict)]


def _failure(ran: Ran) -> str:
    """The info a failed `kustomize build` leaves: why, and its first lines of error."""
    lines = [line[:200] for line in ran.error_lines(3)]
    why = ran.failure or "its output is not readable YAML"
    said = (": " + " / ".join(lines)) if lines else ""
    return (f"kustomize build failed ({why}){said}; linted with gwlint's own build, without "
            "the features it does not apply")


def _with(build: Build, note: str, kusts: list[Kustomization]) -> Build:
    """The native build, with an info at the root's kustomization (when `note` says something)."""
    if note:
        build.problems.append(Problem(UNSUPPORTED, INFO, note, build.kustomization, (),
                                      _doc_of(build, kusts), root=build.root))
    return build


def _doc_of(build: Build, kusts: list[Kustomization]) -> int:
    """The document of the root's kustomization file."""
    return next((k.doc_index for k in kusts if k.shown == build.kustomization), 0)


# ---- mapping its objects back ---------------------------------------------------------------

def _mapped(build: Build, bodies: list[dict[str, Any]], kusts: list[Kustomization],
            directory: str, builder: Builder) -> Build:
    """The binary's objects, each with the origins of the native object of the same id."""
    features = _features(build, kusts)
    feature = features[0]
    current: dict[ResId, BuiltObject] = {}
    earlier: dict[ResId, BuiltObject] = {}
    for obj in build.objects:
        current.setdefault(obj.current(), obj)
        for rid in obj.ids:
            earlier.setdefault(rid, obj)
    taken: set[int] = set()
    objects: list[BuiltObject] = []
    made = False  # objects the native build does not have (a chart's output, a plugin's)
    for body in bodies:
        rid = res_id(body)
        native = current.get(rid)
        if native is None or id(native) in taken:
            native = earlier.get(rid)
        if native is not None and id(native) not in taken:
            taken.add(id(native))
            origins = native.origins.copy()
            for path in _changed(native.body, body):
                origins.set(path, feature)
            ids = native.ids if rid in native.ids else [*native.ids, rid]
            objects.append(BuiltObject(body, origins, list(ids), list(native.patched_by)))
        else:
            made = True
            written = _annotated(body, directory, features, builder) or feature
            objects.append(BuiltObject(body, OriginMap(written), [rid]))
    problems = [_applied(p) for p in build.problems
                if not (made and p.code == NO_TARGET)]  # the target may be a made object
    return Build(build.root, build.kustomization, objects, problems, list(build.renames),
                 list(build.ref_updates), set(build.files), list(build.kustomizations), True)


def _applied(problem: Problem) -> Problem:
    """An unsupported feature's info, now that kustomize applied it."""
    if problem.code != UNSUPPORTED:
        return problem
    message = problem.message.removesuffix(_SUFFIX)
    return replace(problem, message=f"{message}; the root was built with the kustomize binary, "
                   "which applies it", hint=None)


def _features(build: Build, kusts: list[Kustomization]) -> list[Written]:
    """The entries of the unsupported features, those of the root's own kustomization first
    (the first one locates the values only the binary wrote), else the root's kustomization."""
    features = [p for p in build.problems if p.code == UNSUPPORTED]
    features.sort(key=lambda p: p.file != build.kustomization)
    return [Written(p.file, p.doc_index, p.path) for p in features] or [
        Written(build.kustomization, _doc_of(build, kusts), ())]


def _changed(before: Any, after: Any) -> list[Path]:
    """The paths where `after` differs from `before`: a changed or added value, a list of
    another length (linear in the size of the objects)."""
    out: list[Path] = []
    stack: list[tuple[Any, Any, Path]] = [(before, after, ())]
    while stack:
        a, b, path = stack.pop()
        if type(a) is dict and type(b) is dict:
            for key, value in b.items():
                if key in a:
                    stack.append((a[key], value, (*path, key)))
                else:
                    out.append((*path, key))
        elif type(a) is list and type(b) is list and len(a) == len(b):
            stack.extend((x, y, (*path, i)) for i, (x, y) in enumerate(zip(a, b, strict=True)))
        elif type(a) is not type(b) or a != b:
            out.append(path)
    return out


_ORIGIN_FIELD = re.compile(r"^(path|configuredIn|repo):[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def _annotated(body: dict[str, Any], directory: str, features: list[Written],
               builder: Builder) -> Written | None:
    """Where `config.kubernetes.io/origin` says an object comes from (kustomize writes it with
    `buildMetadata: [originAnnotations]`; paths relative to the root's kustomization): the
    document of a resource file, or the feature's entry in the kustomization that configured
    its generator."""
    meta = body.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    text = annotations.get(ORIGIN_ANNOTATION) if isinstance(annotations, dict) else None
    if not isinstance(text, str) or len(text) > 4096:
        return None
    fields = {k: v.strip("'\"") for k, v in _ORIGIN_FIELD.findall(text)}
    where = fields.get("path") or fields.get("configuredIn")
    if fields.get("repo") or not where or _remote(where):
        return None
    shown = display_path(os.path.normpath(os.path.join(directory, where)))
    if "path" not in fields:
        return next((w for w in features if w.file == shown), Written(shown, 0, ()))
    return Written(shown, _document(builder, shown, body), ())


def _document(builder: Builder, shown: str, body: dict[str, Any]) -> int:
    """The document of file `shown` that holds the object (the same kind, and a name the
    build's prefix and suffix kept), else the first."""
    parsed = builder.files.shown(shown)
    rid = res_id(body)
    for index, data in parsed.documents if parsed is not None else ():
        if isinstance(data, dict):
            written = res_id(data)
            if written.kind == rid.kind and written.name and written.name in rid.name:
                return index
    return 0
