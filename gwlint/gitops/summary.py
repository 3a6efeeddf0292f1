"""What the reports say about the repository's layout: the overlays of a finding, the scopes,
the Kustomize builds and charts, and the documents skipped because they are not Kubernetes
objects (by the tool they belong to)."""

from __future__ import annotations

from typing import Any

from gwlint.gitops.layout import Layout


def in_overlays(overlays: list[str]) -> str:
    """' (in overlays/prod, overlays/staging)' or ''."""
    return f" (in {', '.join(overlays)})" if overlays else ""


def summary_counts(layout: Layout | None) -> str:
    """', 3 Kustomize builds, 1 Helm chart' for the one-line text summary ('' for none)."""
    if layout is None:
        return ""
    parts = []
    if layout.builds:
        n = len(layout.builds)
        parts.append(f"{n} Kustomize build{'' if n == 1 else 's'}")
    charts = len(layout.rendered) + len(layout.charts)
    if charts:
        parts.append(f"{charts} Helm chart{'' if charts == 1 else 's'}")
    return "".join(", " + p for p in parts)


def skipped_text(layout: Layout | None, skipped: int) -> str:
    """'12 documents skipped (kustomize 4, helm 3, github 5)': configuration YAML by tool."""
    by_tool = layout.skipped_by_tool if layout is not None else {}
    text = f"{skipped} document{'' if skipped == 1 else 's'} skipped (not Kubernetes objects)"
    if by_tool:
        tools = ", ".join(f"{tool} {n}" for tool, n in sorted(by_tool.items(),
                                                             key=lambda kv: (-kv[1], kv[0])))
        text += f": {tools}"
    return text


def skipped_files(layout: Layout | None) -> list[str]:
    """'kind-cluster.yaml: kind: kind cluster configuration (...)', one line per file."""
    if layout is None:
        return []
    return [f"{file}: {why}" for file, why in sorted(layout.skipped_files.items())]


def scope_lines(layout: Layout | None) -> list[str]:
    """One line per scope: 'overlays/prod  Kustomize root (overlays/prod/kustomization.yaml)'."""
    if layout is None or not layout.scopes:
        return ["no scopes: every object is linted in one graph"]
    width = max(len(scope) for scope, _, _ in layout.scopes)
    out = []
    for scope, why, where in layout.scopes:
        where_text = f" [{where}]" if where and where not in why else ""
        out.append(f"{scope:<{width}}  {why}{where_text}")
    return out


def summary_dict(layout: Layout | None) -> dict[str, Any]:
    """The layout part of the JSON summary."""
    if layout is None:
        return {"skipped_by_tool": {}, "scopes": [], "kustomize_builds": [], "helm_charts": []}
    charts = [{"chart": c, "rendered": True} for c in layout.rendered]
    charts += [{"chart": c.chart, "rendered": False, "command": c.command} for c in layout.charts]
    return {
        "skipped_by_tool": dict(sorted(layout.skipped_by_tool.items())),
        "scopes": [{"scope": s, "why": why, "where": where or None}
                   for s, why, where in layout.scopes],
        "kustomize_builds": [{"root": b.root, "kustomization": b.kustomization, "scope": b.scope,
                              "resources": b.objects, "complete": b.complete}
                             for b in layout.builds],
        "helm_charts": charts,
    }
