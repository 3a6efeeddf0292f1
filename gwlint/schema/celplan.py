"""Where CEL rules attach in a schema, and evaluating all of them over one object.

For each schema the rules (plus the uniqueness of ``x-kubernetes-list-type: map/set``
lists, which the API server also enforces) are gathered into a tree of the schema
positions that carry rules. Evaluation has two paths:

* fast: the tree is compiled into Python, one function per node, each built the first time
  an object reaches that node (see cel_python.py: each rule translated to Python, rules
  outside the supported subset called through cel-expr-python). It answers "does every
  rule pass?" and is only trusted when it says yes, which is the common case.
  ``GWLINT_CEL_FASTPATH=cel`` makes the fast path a single cel-expr-python program instead
  (``cel.bind`` rebinds ``self`` at each node), ``=off`` disables it.
* slow (when the fast path did not answer yes, or structural validation found
  ill-typed values): walk the tree and evaluate each rule at each node on its own with
  cel-expr-python, the reference engine, to report which rule failed where, with its
  message, fieldPath and reason.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable, Iterator

from . import cel, cel_python
from .cel_parser import Unsupported
from .cel_source import RuleSource, parse_field_path, prepare
from .lazycode import LazyCode
from .paths import FieldPath, prefix
from .violation import Violation

CEL_SUFFIX = " (CEL rule)"


@dataclass(slots=True)
class Rule:
    text: str                                   # as the CRD writes it
    message: str | None = None
    message_expression: str | None = None
    field_path: FieldPath | None = None
    reason: str | None = None
    unique_keys: tuple[str, ...] | None = None  # synthesized x-kubernetes-list-type check
    broken: str | None = None                   # compile error: rule skipped
    python: Any = None                          # translated predicate (False: not translatable)
    prepared: RuleSource | None = None          # `source`, once made

    @property
    def source(self) -> RuleSource:
        """The rule rewritten for cel-expr-python, made on first use: a run evaluates few of a
        schema's rules."""
        if self.prepared is None:
            self.prepared = prepare(self.text)
        return self.prepared

    @property
    def is_uniqueness(self) -> bool:
        return self.unique_keys is not None

    def describe(self) -> str:
        if self.message:
            return self.message
        return f"failed rule: {self.source.original}"


@dataclass(slots=True)
class Node:
    schema: dict[str, Any] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    props: dict[str, Node] = field(default_factory=dict)
    items: Node | None = None
    values: Node | None = None

    def empty(self) -> bool:
        return not (self.rules or self.props or self.items or self.values)


def _uniqueness_rule(schema: dict[str, Any]) -> Rule | None:
    list_type = schema.get("x-kubernetes-list-type")
    if list_type == "map":
        keys = tuple(schema.get("x-kubernetes-list-map-keys") or ())
        if not keys:
            return None
        parts = [f"(({k} in __ua) ? (({k} in __ub) && __ua[{k}] == __ub[{k}]) : !({k} in __ub))"
                 for k in map(_lit, keys)]
        text = f"self.all(__ua, self.exists_one(__ub, {' && '.join(parts)}))"
        return Rule(text, unique_keys=keys, prepared=RuleSource(text, text, False))
    if list_type == "set":
        text = "self.all(__ua, self.exists_one(__ub, __ua == __ub))"
        return Rule(text, unique_keys=(), prepared=RuleSource(text, text, False))
    return None


def build_tree(schema: Any) -> Node | None:
    """The rule-carrying positions of ``schema`` (None if it has no rules at all)."""
    if not isinstance(schema, dict):
        return None
    node = Node(schema)
    for raw in schema.get("x-kubernetes-validations") or ():
        if not isinstance(raw, dict) or not isinstance(raw.get("rule"), str):
            continue
        text = raw["rule"]
        # a transition rule needs oldSelf (an update), and a linter only sees one object; only
        # a rule that names oldSelf can be one (the others are prepared when first used)
        prepared = prepare(text) if "oldSelf" in text else None
        if prepared is not None and prepared.is_transition:
            continue
        fp = raw.get("fieldPath")
        node.rules.append(Rule(
            text,
            message=raw.get("message") or None,
            message_expression=raw.get("messageExpression") or None,
            field_path=parse_field_path(fp) if isinstance(fp, str) and fp else None,
            reason=raw.get("reason") or None,
            prepared=prepared,
        ))
    unique = _uniqueness_rule(schema)
    if unique is not None:
        node.rules.append(unique)
    for name, sub in sorted((schema.get("properties") or {}).items()):
        child = build_tree(sub)
        if child is not None:
            node.props[name] = child
    node.items = build_tree(schema.get("items"))
    extra = schema.get("additionalProperties")
    node.values = build_tree(extra) if isinstance(extra, dict) else None
    return None if node.empty() else node


def iter_rules(node: Node | None, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Rule]]:
    """(schema path, rule) pairs; schema paths use "[]" for items and "{}" for map values."""
    if node is None:
        return
    for rule in node.rules:
        yield path, rule
    for name, child in node.props.items():
        yield from iter_rules(child, path + (name,))
    yield from iter_rules(node.items, path + ("[]",))
    yield from iter_rules(node.values, path + ("{}",))


def _lit(name: str) -> str:
    return json.dumps(name)


def _combined_source(node: Node, depth: int = 0) -> str:
    """One boolean CEL expression evaluating every rule below ``node`` with ``self`` = node."""
    parts = [f"({r.source.text})" for r in node.rules if r.broken is None]
    for name, child in node.props.items():
        parts.append(f"(!({_lit(name)} in self) || cel.bind(self, self[{_lit(name)}], "
                     f"{_combined_source(child, depth + 1)}))")
    var = f"__gw{depth}"
    if node.items is not None:
        items = _combined_source(node.items, depth + 1)
        parts.append(f"self.all({var}, cel.bind(self, {var}, {items}))")
    if node.values is not None:
        values = _combined_source(node.values, depth + 1)
        parts.append(f"self.all({var}, cel.bind(self, self[{var}], {values}))")
    return " && ".join(parts) if parts else "true"


def _unique_expr(rule: Rule, schema: dict[str, Any]) -> str:
    """Python check for x-kubernetes-list-type map/set uniqueness.

    Inline set arithmetic when the key (or item) types are strings/integers, whose Python
    equality is CEL's; a missing key raises KeyError and defers to the slow path.
    """
    items: dict[str, Any] = schema["items"] if isinstance(schema.get("items"), dict) else {}
    keys = rule.unique_keys or ()
    simple = ("string", "integer")
    if keys:
        props = items.get("properties") or {}
        if all((props.get(k) or {}).get("type") in simple for k in keys):
            ident = (f"x[{keys[0]!r}]" if len(keys) == 1
                     else "(" + ", ".join(f"x[{k!r}]" for k in keys) + ")")
            return f"len({{{ident} for x in v_self}}) == len(v_self)"
        return f"_unique_by(v_self, {keys!r})"
    if items.get("type") in simple:
        return "len(set(v_self)) == len(v_self)"
    return "_unique(v_self)"


def _preorder(root: Node) -> list[tuple[Node, FieldPath]]:
    """Every node below ``root`` with its schema path, in the order the fast path names them
    (``n0`` is the root)."""
    out: list[tuple[Node, FieldPath]] = []

    def visit(node: Node, path: FieldPath) -> None:
        out.append((node, path))
        for prop, child in node.props.items():
            visit(child, path + (prop,))
        if node.items is not None:
            visit(node.items, path + ("[]",))
        if node.values is not None:
            visit(node.values, path + ("{}",))

    visit(root, ())
    return out


class _FastPath:
    """The fast path as Python: one function per rule-carrying node (rules inlined), each
    translated and compiled on its first call (see lazycode.py): a run pays for the schema
    positions its objects have, not for every rule of the schema (HTTPRoute's has about a
    hundred)."""

    def __init__(self, root: Node) -> None:
        self.nodes = _preorder(root)
        self.names = {id(node): f"n{i}" for i, (node, _) in enumerate(self.nodes)}
        self.constants: dict[str, Any] = {}
        self.untranslated: list[tuple[FieldPath, Rule]] = []  # stayed on cel-expr-python
        # {source of a one-rule function: rule} for the slow path (compiled only if needed)
        self.per_rule: dict[str, Rule] = {}
        namespace: dict[str, Any] = dict(cel_python.RUNTIME)
        namespace["_celrule"] = _celrule
        self.code = LazyCode(namespace, "<gwlint-cel-fastpath>")
        for node, path in self.nodes:
            self.code.add(self.names[id(node)], functools.partial(self._source, node, path))

    def _source(self, node: Node, path: FieldPath) -> str:
        """The source of ``node``'s function; the constants it uses join the namespace."""
        source = self._translate(node, path, self.names[id(node)])
        self.code.namespace.update(self.constants)
        return source

    def _translate(self, node: Node, path: FieldPath, name: str) -> str:
        body: list[str] = []
        if node.props or node.values is not None:
            body.append("if v_self.__class__ is not dict: return False")
        elif node.items is not None:
            body.append("if v_self.__class__ is not list: return False")
        constants = self.constants
        for rule in node.rules:
            if rule.broken is not None:
                continue
            if rule.unique_keys is not None:
                check = _unique_expr(rule, node.schema)
            else:
                try:
                    check = cel_python.translate(rule.source.text, constants, node.schema)
                except (Unsupported, RecursionError):
                    const = f"_cel{len(constants)}"
                    constants[const] = rule.source.text
                    check = f"_celrule({const}, v_self)"
                    self.untranslated.append((path, rule))
                else:
                    function = f"def r{len(self.per_rule)}(v_self):\n    return {check}\n"
                    self.per_rule[function] = rule
            body.append(f"if not ({check}): return False")
        for prop, child in node.props.items():
            body.append(f"v = v_self.get({prop!r})")
            body.append(f"if v is not None and not {self.names[id(child)]}(v): return False")
        if node.items is not None:
            fn = self.names[id(node.items)]
            body.append(f"for v in v_self:\n        if not {fn}(v): return False")
        if node.values is not None:
            fn = self.names[id(node.values)]
            body.append(f"for v in v_self.values():\n        if not {fn}(v): return False")
        body.append("return True")
        return f"def {name}(v_self):\n" + "".join(f"    {line}\n" for line in body)


def _celrule(text: str, value: Any) -> bool:
    """A rule the translator does not cover, evaluated by cel-expr-python."""
    return cel.evaluate_bool(cel.compile_program(text), value) is True


def _fast_mode() -> str:
    return os.environ.get("GWLINT_CEL_FASTPATH", "python").strip().lower() or "python"


class CelPlan:
    """All CEL rules of one schema, compiled lazily and cached for the process."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.root = build_tree(schema)
        self._combined: Any = None
        self._combined_ready = False
        self._fast: _FastPath | None = None

    # ------------------------------------------------------------------ compilation

    def rules(self) -> list[tuple[FieldPath, Rule]]:
        return list(iter_rules(self.root))

    def compile_all(self) -> list[tuple[FieldPath, Rule, str]]:
        """Compile every rule on its own; returns (path, rule, error) for those that fail."""
        failures = []
        for path, rule in iter_rules(self.root):
            try:
                cel.compile_program(rule.source.text)
            except cel.CelCompileError as exc:
                rule.broken = str(exc)
                failures.append((path, rule, str(exc)))
        return failures

    def _combined_program(self) -> Any:
        if not self._combined_ready:
            self._combined_ready = True
            if self.root is not None:
                try:
                    self._combined = cel.compile_program(_combined_source(self.root), check=False)
                except cel.CelCompileError:
                    # find the culprit rules, leave them out and try once more
                    self.compile_all()
                    try:
                        self._combined = cel.compile_program(_combined_source(self.root),
                                                             check=False)
                    except cel.CelCompileError:
                        self._combined = None
        return self._combined

    def python_predicate(self) -> Callable[[Any], bool] | None:
        """The translated all-rules-pass predicate (each schema position's part built on first
        use: see _FastPath)."""
        if self._fast is None:
            if self.root is None:
                return None
            self._fast = _FastPath(self.root)
        predicate: Callable[[Any], bool] = self._fast.code.namespace["n0"]
        return predicate

    def translate_all(self) -> list[tuple[FieldPath, Rule]]:
        """Build the whole fast path now (a run builds it as its objects reach each schema
        position); returns the rules that stay on cel-expr-python."""
        if self.python_predicate() is None or self._fast is None:
            return []
        self._fast.code.compile_all()
        return self.untranslated

    @property
    def untranslated(self) -> list[tuple[FieldPath, Rule]]:
        """The rules translated so far that stay on cel-expr-python."""
        return [] if self._fast is None else list(self._fast.untranslated)

    # ------------------------------------------------------------------ evaluation

    def passes(self, body: dict[str, Any], mode: str | None = None) -> bool:
        """Fast path: True only if every rule certainly passes."""
        mode = mode or _fast_mode()
        root = self.root
        if root is None:
            return True
        if mode == "python":
            predicate = self.python_predicate()
            if predicate is None:
                return False
            try:
                return predicate(body) is True
            except Exception:  # any CEL error or doubt: let the slow path decide
                return False
        if mode == "cel":
            program = self._combined_program()
            if program is None:
                return False
            subject = body if root.rules or root.items or root.values else {
                k: body[k] for k in root.props if k in body}
            return cel.evaluate(program, subject) is True
        return False

    def check(self, body: dict[str, Any], ill_typed: set[FieldPath],
              mode: str | None = None) -> list[Violation]:
        """Evaluate every rule on ``body`` (already defaulted); never raises."""
        root = self.root
        if root is None:
            return []
        if not ill_typed and self.passes(body, mode):
            return []
        out: list[Violation] = []
        self._rule_predicates()
        self._walk(root, body, (), ill_typed, out)
        return out

    def _rule_predicates(self) -> None:
        """Compile the one-rule Python predicates the slow path tries first (once)."""
        fast = self._fast
        if fast is not None and fast.per_rule:
            pending, fast.per_rule = fast.per_rule, {}
            try:
                namespace = cel_python.compile_module("\n".join(pending), fast.constants, {})
            except (SyntaxError, RecursionError, ValueError):
                return
            for index, rule in enumerate(pending.values()):
                rule.python = namespace.get(f"r{index}", False)

    def _walk(self, node: Node, value: Any, path: FieldPath, ill_typed: set[FieldPath],
              out: list[Violation]) -> None:
        if node.rules and not _blocked(path, ill_typed):
            for rule in node.rules:
                if rule.broken is None and not _passes_fast(rule, node, value):
                    self._run_rule(rule, value, path, out)
        if node.props and isinstance(value, dict):
            for name, child in node.props.items():
                if name in value and value[name] is not None:
                    self._walk(child, value[name], path + (name,), ill_typed, out)
        if node.items is not None and isinstance(value, list):
            for i, item in enumerate(value):
                self._walk(node.items, item, path + (i,), ill_typed, out)
        if node.values is not None and isinstance(value, dict):
            for key, item in value.items():
                self._walk(node.values, item, path + (key,), ill_typed, out)

    def _run_rule(self, rule: Rule, value: Any, path: FieldPath, out: list[Violation]) -> None:
        if rule.is_uniqueness:
            if isinstance(value, list):
                out.extend(_duplicates(rule, value, path))
            return
        try:
            program = cel.compile_program(rule.source.text)
        except cel.CelCompileError as exc:
            rule.broken = str(exc)
            return
        result = cel.evaluate_bool(program, value)
        if result is True:
            return
        if isinstance(result, cel.EvalError):
            out.append(Violation(
                "invalid", path,
                f"{prefix(path)}{rule.describe()}: the rule could not be evaluated "
                f"({result.message}){CEL_SUFFIX}",
                hint="the API server rejects an object when one of its validation rules fails to "
                     "evaluate",
                reason=rule.reason))
            return
        message = self._message(rule, value)
        where, hint = path, None
        if rule.field_path is not None:
            where = path + rule.field_path
        elif rule.source.each_var and isinstance(value, list):
            failing = _failing_items(rule, value)
            if failing:
                where = path + (failing[0],)
                if len(failing) > 1:
                    others = ", ".join(f"[{i}]" for i in failing[1:])
                    hint = f"also fails for items {others} of {prefix(path)[:-2] or 'the list'}"
        out.append(Violation("cel", where, f"{prefix(where)}{message}{CEL_SUFFIX}", hint=hint,
                             reason=rule.reason))

    @staticmethod
    def _message(rule: Rule, value: Any) -> str:
        if rule.message_expression:
            try:
                program = cel.compile_program(prepare(rule.message_expression).text)
                text = cel.evaluate(program, value)
                if isinstance(text, str) and text.strip():
                    return text
            except cel.CelCompileError:
                pass
        return rule.describe()


def _passes_fast(rule: Rule, node: Node, value: Any) -> bool:
    """The rule's Python translation says it passes (sound: then CEL says so too).

    Only used on nodes without ill-typed values below them, the translation's precondition.
    """
    if rule.is_uniqueness:
        return False
    if rule.python is None:
        try:
            rule.python = cel_python.compile_rule(rule.source.text, node.schema)
        except (Unsupported, RecursionError):
            rule.python = False
    if rule.python is False:
        return False
    try:
        return rule.python(value) is True
    except Exception:
        return False


def _blocked(path: FieldPath, ill_typed: set[FieldPath]) -> bool:
    """True if structural validation found an ill-typed value at or below ``path``."""
    if not ill_typed:
        return False
    n = len(path)
    return any(bad[:n] == path for bad in ill_typed)


def _failing_items(rule: Rule, value: list[Any]) -> list[int]:
    """For ``self.all(x, body)`` rules: which items make ``body`` false."""
    try:
        program = cel.compile_program(f"self.map({rule.source.each_var}, {rule.source.each_body})")
    except cel.CelCompileError:
        return []
    result = cel.evaluate(program, value)
    if not isinstance(result, list):
        return []
    return [i for i, ok in enumerate(result) if ok is not True]


def _duplicates(rule: Rule, items: list[Any], path: FieldPath) -> Iterator[Violation]:
    """``x-kubernetes-list-type`` map/set: report every repeated entry after the first."""
    keys = rule.unique_keys or ()
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if keys:
            if not isinstance(item, dict):
                continue
            ident: Any = {k: item[k] for k in keys if k in item}
        else:
            ident = item
        try:
            fingerprint = json.dumps(ident, sort_keys=True, default=repr)
        except (TypeError, ValueError):
            continue
        if fingerprint in seen:
            where = path + (i,)
            first = seen[fingerprint]
            if keys:
                what = ", ".join(f"{k}={json.dumps(ident.get(k), default=repr)}" for k in keys
                                 if k in ident)
                text = f"duplicate entry: an earlier item ([{first}]) has the same {what}"
            else:
                text = f"duplicate value {fingerprint}: it already appears at [{first}]"
            yield Violation("invalid", where, f"{prefix(where)}{text}",
                            hint="the API server requires the items of this list to be unique"
                                 + (f" by {', '.join(keys)}" if keys else ""),
                            reason="FieldValueDuplicate")
        else:
            seen[fingerprint] = i
