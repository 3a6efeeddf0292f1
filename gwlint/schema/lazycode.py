"""Generated Python compiled one function at a time, when the function is first called.

The schema compilers (the CEL fast path, defaulting) generate one function per schema node, and
an object reaches few of them: compiling them all cost a small run more than the rest of its
lint (HTTPRoute's CEL rules alone: ~20 ms). So each name starts as a stub that compiles its
function into the shared namespace, where it replaces the stub, and calls it; the generated
callers look their callees up by name, so later calls go straight to the function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LazyCode:
    """Functions defined by generated source, each compiled on its first call."""

    def __init__(self, namespace: dict[str, Any], filename: str) -> None:
        self.namespace = namespace  # the generated code's globals (helpers, constants)
        self.filename = filename
        self._pending: dict[str, Callable[[], str]] = {}

    def add(self, name: str, source: Callable[[], str]) -> None:
        """`name` is the function `source()` defines (run when the function is first needed:
        it may add the constants its code uses to the namespace)."""
        self._pending[name] = source

        def build_and_call(*args: Any) -> Any:
            return self.function(name)(*args)

        self.namespace[name] = build_and_call

    def function(self, name: str) -> Callable[..., Any]:
        """The compiled function `name` (compiled now if it was not yet)."""
        source = self._pending.get(name)
        if source is not None:
            exec(compile(source(), self.filename, "exec"),  # noqa: S102 - generated code
                 self.namespace)
            del self._pending[name]
        function: Callable[..., Any] = self.namespace[name]
        return function

    def compile_all(self) -> None:
        for name in list(self._pending):
            self.function(name)
