"""CEL evaluation on cel-expr-python (Google's C++ CEL runtime, RE2 ``matches()``).

Programs are compiled once per process and cached by source text (many releases and kinds
share rules). Evaluation never raises: a failed conversion or runtime error comes back as
an :class:`EvalError`, which callers report like the API server does ("invalid").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from . import k8s_cel_ext

_STATUS = re.compile(r"[A-Z][A-Z_]+")
_NO_KEY = re.compile(r'Key not found in map\s*:\s*"?([^"]*)"?')


@dataclass(frozen=True, slots=True)
class EvalError:
    message: str


class CelCompileError(ValueError):
    pass


@functools.cache
def _cel() -> Any:
    from cel_expr_python import cel  # imported lazily: start-up time matters

    return cel


@functools.cache
def env() -> Any:
    """The CEL environment of CRD validation rules: ``self`` plus the libraries CRDs use."""
    cel = _cel()
    from cel_expr_python.ext import ext_bindings, ext_strings

    return cel.NewEnv(
        variables={"self": cel.Type.DYN},
        extensions=[ext_strings.ExtStrings(), ext_bindings.ExtBindings()],
        functions=k8s_cel_ext.function_decls(cel),
    )


@functools.cache
def compile_program(text: str, check: bool = True) -> Any:
    """Compile (type-checked against ``self: dyn`` unless ``check`` is false).

    Raises CelCompileError. The combined per-schema program is compiled unchecked: its
    rules were checked one by one, and ``cel.bind`` rebinding ``self`` confuses the
    checker's type inference.
    """
    try:
        return env().compile(text, disable_check=not check)
    except Exception as exc:  # the binding raises RuntimeError with the checker's message
        raise CelCompileError(str(exc).strip()) from None


@functools.cache
def _types() -> tuple[Any, Any]:
    cel = _cel()
    return cel.Type.BOOL, cel.Type.ERROR


def evaluate(program: Any, value: Any) -> Any:
    """Evaluate with ``self = value``; returns the plain Python result or an EvalError."""
    try:
        result = program.eval(data={"self": value})
        rtype = result.type()
        if rtype == _types()[1]:
            return EvalError(_clean(str(result.value())))
        return result.plain_value()
    except Exception as exc:  # defensive: unsupported input types, binding errors
        return EvalError(_clean(str(exc)))


def evaluate_bool(program: Any, value: Any) -> bool | EvalError:
    """Evaluate a rule; non-bool results count as errors (as in Kubernetes)."""
    out = evaluate(program, value)
    if isinstance(out, (EvalError, bool)):
        return out
    return EvalError(f"rule did not evaluate to a bool (got {type(out).__name__})")


def _clean(message: str) -> str:
    """Drop the status-code prefix the C++ runtime adds (``NOT_FOUND: ...``)."""
    head, sep, tail = message.partition(": ")
    if sep and _STATUS.fullmatch(head):
        message = tail
    return _NO_KEY.sub(r"no such key: \1", message).strip()
