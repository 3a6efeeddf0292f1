"""Every fixture's predicted status, whole, against expectations written from the spec.

`fixtures/<case>.yaml` holds manifests, linted through the normal loading path;
`fixtures/<case>.expect.yaml` holds, per object, the whole status the v1.6.1 spec and conformance
tests say a controller writes (messages aside), with the test names it follows in comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.status.helpers import compact_all, predict

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name[:-len(".expect.yaml")] for p in FIXTURES.glob("*.expect.yaml"))


@pytest.mark.parametrize("case", CASES)
def test_fixture_status(case: str) -> None:
    expected = yaml.safe_load((FIXTURES / f"{case}.expect.yaml").read_text(encoding="utf-8"))
    predicted = compact_all(predict(FIXTURES / f"{case}.yaml"))
    for key, want in expected.items():
        assert key in predicted, f"{key} has no predicted status"
        assert predicted[key] == want, key


def test_every_fixture_has_expectations() -> None:
    manifests = {p.stem for p in FIXTURES.glob("*.yaml") if not p.name.endswith(".expect.yaml")}
    assert manifests == set(CASES)
