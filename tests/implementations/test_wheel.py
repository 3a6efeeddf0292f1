"""The wheel ships the reports as gwlint/_reports and the loader finds them there."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_ships_the_reports(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp_path / "dist").glob("gwlint-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for name in ("reports.json", "provenance.json", "LICENSE.gateway-api"):
            assert f"gwlint/_reports/{name}" in names
        assert zf.read("gwlint/_reports/reports.json") == (ROOT / "reports" / "reports.json"
                                                           ).read_bytes()
        zf.extractall(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if k != "GWLINT_REPORTS_DIR"}
    env["PYTHONPATH"] = str(tmp_path / "site")
    run = subprocess.run([sys.executable, "-c",
                          "from gwlint.implementations import bundled, resolve; "
                          "print(bundled.artifact_path()); print(resolve('istio').implementation)"],
                         cwd=tmp_path, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    path, name = run.stdout.split()
    assert Path(path) == tmp_path / "site" / "gwlint" / "_reports" / "reports.json"
    assert name == "istio"
