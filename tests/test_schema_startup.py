"""Start-up: importing gwlint.schema does no work; first use stays fast."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, sys, time
t0 = time.process_time()  # CPU time: other processes on the machine do not count
import gwlint.schema as schema
t_import = time.process_time() - t0
heavy = sorted(m for m in ("cel_expr_python", "jsonschema_rs", "re2", "yaml") if m in sys.modules)
from gwlint.schema import SchemaSet
sys.path.insert(0, "tests")
from support import samples  # test data (tests/support/samples.py)
t1 = time.process_time()
s = SchemaSet(None, "standard")
objs = [samples.http_route(s.version, "standard"), samples.gateway(s.version, "standard"),
        samples.service()]
results = [s.process(o["apiVersion"], o["kind"], o)[0] for o in objs]
t_first = time.process_time() - t1
print(json.dumps({"import": t_import, "heavy": heavy, "first": t_first,
                  "clean": all(r == [] for r in results)}))
"""


def _probe() -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_is_lazy_and_first_use_is_fast():
    result = _probe()
    assert result["heavy"] == [], "importing gwlint.schema must not load the heavy libraries"
    assert result["clean"]
    # generous bounds (shared CI machines); typical: import ~10 ms, first use ~100 ms
    assert result["import"] < 0.3
    assert result["first"] < 1.0


def test_a_small_object_compiles_only_the_schema_nodes_it_reaches():
    """The CEL fast path is compiled a node at a time, when an object first reaches the node
    (gwlint.schema.lazycode; the defaulting code too): a one-route run must not pay for the
    whole HTTPRoute schema. The functions compiled are the ones the route's fields lead to."""
    from gwlint.schema import SchemaSet
    from gwlint.schema.celplan import CelPlan

    schemas = SchemaSet(None, "standard")
    route = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": "web", "namespace": "default"},
             "spec": {"parentRefs": [{"name": "gw"}],
                      "rules": [{"backendRefs": [{"name": "web", "port": 80}]}]}}
    violations, defaulted = schemas.process(route["apiVersion"], route["kind"], route)
    assert violations == []
    assert ("spec", "rules", 0, "matches") in defaulted  # defaulted, as the API server does
    # a plan of its own: the process-wide one may have been compiled whole by another test
    plan = CelPlan(schemas._target(route["apiVersion"], route["kind"]).compiled.schema)
    assert plan.passes(route, "python")
    fast = plan._fast
    assert fast is not None
    reached = {name for name in fast.names.values() if name not in fast.code._pending}
    assert "n0" in reached and 1 < len(reached) < len(fast.names) // 2
    assert plan.translate_all() == []  # and the rest still compiles
    assert not fast.code._pending
