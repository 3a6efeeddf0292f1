"""The wheel ships everything needed at run time: build it, install it in a fresh virtual
environment, and lint from outside the source tree (users never have ../shared or schemas/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: app
spec:
  parentRefs:
  - name: gw
  hostname:
  - web.example.com
"""


@pytest.mark.slow
def test_wheel_installs_and_lints_in_a_fresh_venv(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(dist), str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    [wheel] = dist.glob("gwlint-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    install = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    work = tmp_path / "work"
    work.mkdir()
    (work / "route.yaml").write_text(ROUTE)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GWLINT_SCHEMAS_DIR")}
    run = subprocess.run([str(bindir / "gwlint"), "--format", "json", "route.yaml"], cwd=work,
                         capture_output=True, text=True, env=env)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    rules = {f["rule"] for f in report["findings"]}
    assert "GW011" in rules  # the schema artifacts were found inside the installed package
    check = subprocess.run([str(bindir / "python"), "-c",
                            "import gwlint, pathlib; print(pathlib.Path(gwlint.__file__).parent)"],
                           cwd=work, capture_output=True, text=True, env=env)
    installed = Path(check.stdout.strip())
    assert (installed / "_schemas" / "index.json").is_file()
    assert ROOT not in installed.parents
