"""A run's defaults are written once: the release and channel in `versions`, the namespace in
`model`; `Options` and `LintConfig` read them."""

from __future__ import annotations

import ast
import inspect

import pytest

from gwlint import context
from gwlint.config import LintConfig
from gwlint.context import Options
from gwlint.model import DEFAULT_NAMESPACE
from gwlint.schema import versions as bundled
from gwlint.versions import choose_version


def test_options_default_to_the_default_version_choice() -> None:
    choice = choose_version(None, None, None)
    options = Options()
    assert (options.gateway_api_version, options.channel, options.gateway_api_source) == (
        choice.version, choice.channel, choice.source)
    assert options.default_namespace == LintConfig().default_namespace == DEFAULT_NAMESPACE


def test_the_default_release_follows_the_bundled_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    newer = [*bundled.bundled_versions(), "v9.0.0"]
    monkeypatch.setattr(bundled, "bundled_versions", lambda: newer)
    assert Options().gateway_api_version == choose_version(None, None, None).version == "v9.0.0"


def test_options_write_no_default_value_of_their_own() -> None:
    tree = ast.parse(inspect.getsource(context.Options))
    literals = [(node.target.id, node.value.value) for node in ast.walk(tree)
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)]
    assert literals == []
