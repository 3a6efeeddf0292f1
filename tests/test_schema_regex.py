"""Regular expressions behave like Go's RE2 everywhere gwlint evaluates them.

Differential checks against google-re2 (the reference) for every pattern the bundled
schemas and CEL rules contain: gwlint.schema.regex (Python ``re`` translation or RE2) and
jsonschema-rs with the ``regex`` crate engine (schema ``pattern``).
"""

from __future__ import annotations

import functools
import random

import jsonschema_rs
import pytest

from gwlint.schema import artifacts, regex
from gwlint.schema.cel_parser import parse, walk
from gwlint.schema.celplan import CelPlan

SPECIAL = ["", "\n", "a\n", "/\n", "\na", "a", "A", "0", "-", ".", "/", "*", "*.", "%2F", "%zz",
           "\u0663", "é",
           "\x60", "\t", " ", "_", ":", "@",
           "ſ", "K"]  # noqa: RUF001 - the long s and the Kelvin sign fold case: on purpose
ALPHABET = "aZ09-._/*%:@!$&'()+,;=~#?[]^ \n\té\u0663"


@functools.cache
def schema_patterns() -> list[str]:
    found: set[str] = set()

    def visit(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.add(node["pattern"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for blob_id in {blob_id for *_, blob_id in artifacts.iter_served_schemas()}:
        visit(artifacts.blob(blob_id))
    for entry in artifacts.core_kinds().values():
        visit(artifacts.blob(entry["schema"]))
    return sorted(found)


@functools.cache
def cel_patterns() -> list[str]:
    blobs = {blob_id for *_, blob_id in artifacts.iter_served_schemas()}  # 71 of 180 distinct
    sources = {rule.source.text for blob_id in sorted(blobs)
               for _, rule in CelPlan(artifacts.blob(blob_id)).rules()
               if rule.unique_keys is None}  # ~100 distinct of ~3,400 (kinds and versions)
    found: set[str] = set()
    for source in sources:
        for node in walk(parse(source)):
            if (node[0] == "call" and node[1] in ("matches", "gwMatches")
                    and node[3][0][0] == "lit"):
                found.add(node[3][0][1])
    return sorted(found)


def samples_for(pattern: str, rng: random.Random) -> list[str]:
    """Strings near the pattern's language: random, plus valid-looking ones with edits."""
    out = list(SPECIAL)
    seeds = ["example.com", "*.example.com", "X-Header", "my-name", "Service", "10s", "1m30s",
             "/api/v1", "a.b/c",
             "https://example.com:8443", "http://*.example.com", "gateway.networking.k8s.io",
             "GRPC",
             "example.com/Name", "com.example.User", "Login", "System"]
    for seed in seeds:
        out += [seed, seed + "\n", seed.upper(), " " + seed, seed[:-1], seed + "-",
                seed.replace(".", "..")]
    for _ in range(150):
        out.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))))
    return out


def test_patterns_found():
    assert len(schema_patterns()) > 10
    assert len(cel_patterns()) >= 3


@pytest.mark.parametrize("kind", ["schema", "cel"])
def test_gwlint_regex_matches_re2(kind):
    rng = random.Random(11)
    patterns = schema_patterns() if kind == "schema" else cel_patterns()
    for pattern in patterns:
        for text in samples_for(pattern, rng):
            assert regex.search(pattern, text) is regex.re2_search(pattern, text), (pattern, text)


def test_jsonschema_rs_patterns_match_re2():
    rng = random.Random(5)
    for pattern in schema_patterns():
        validator = jsonschema_rs.validator_for({"type": "string", "pattern": pattern},
                                                pattern_options=regex.jsonschema_pattern_options())
        for text in samples_for(pattern, rng):
            assert validator.is_valid(text) is regex.re2_search(pattern, text), (pattern, text)


@pytest.mark.parametrize("pattern, translated", [
    ("^a$", "^a\\Z"), ("^[$]$", "^[$]\\Z"), ("a\\$", "a\\$"), ("^(?:x|y)$", "^(?:x|y)\\Z"),
    ("^(?i)a$", "^a\\Z"), ("(?i)\\d", None), ("a(?i)b", None), ("\\pL", None),
    ("[[:alpha:]]", None), ("a{,2}", None), ("(?=a)", None), ("\\s", None),
    ("a*+", None), ("\\x60", "\\x60"), ("\\x{60}", None), ("[a", None),
])
def test_translation_is_conservative(pattern, translated):
    assert regex.translate(pattern) == translated


def test_case_insensitive_translation_uses_unicode_folding():
    pattern, flags = regex._translate("^(?i)k$")
    assert pattern == "^k\\Z" and flags == __import__("re").IGNORECASE


@pytest.mark.parametrize("pattern, text, expected", [
    ("^a$", "a\n", False), ("^\\d$", "\u0663", False), ("^\\w+$", "é",
                                                        False), ("^(?i)k$", "K", True),
    ("^(?i)k$", "\u212a", True),  # Kelvin sign: RE2 folds case with Unicode, like Go
    ("a.c", "a\nc", False),
])
def test_re2_semantics(pattern, text, expected):
    assert regex.search(pattern, text) is expected


# ----------------------------------------------------------------------------- linear time

def every_pattern() -> list[str]:
    """What gwlint evaluates: the CRDs' schema patterns and CEL matches(), and the name formats
    of k8s_validation (those with fullmatch)."""
    from gwlint.schema import k8s_validation as k

    return sorted({*schema_patterns(), *cel_patterns(), k.DNS1123_LABEL_FMT,
                   k.DNS1123_SUBDOMAIN_FMT, k.DNS1035_LABEL_FMT, k.QUALIFIED_NAME_FMT,
                   k.LABEL_VALUE_FMT})


def adversarial(n: int) -> list[str]:
    """Long inputs that fail at their end after runs of what the patterns accept: the shape that
    makes a backtracking engine retry every way of splitting the run."""
    runs = ["a", "a-", "a.", "a.b-", "aA0", "0", "09h", "ms", "a b", "a\tb", "a:", "a/", "%2F",
            "gateway.networking.k8s.io", "*.", "=\r\n", "A+/"]
    return [run * (n // len(run)) + tail for run in runs for tail in ("\n", "!", "\x00", " ")]


@pytest.mark.parametrize("pattern", every_pattern())
def test_no_input_makes_a_pattern_backtrack(pattern):
    """Each pattern answers a 20,000-character adversarial input in linear time (a quadratic
    search there is 10^8 steps, seconds; the header-value pattern used to take seconds on 26
    characters and exponentially more on longer ones)."""
    import time

    compiled = regex.compile(pattern)
    for text in adversarial(20_000):
        started = time.perf_counter()
        compiled.search(text)
        compiled.fullmatch(text)
        assert time.perf_counter() - started < 1.0, (pattern, text[:30])


def test_the_header_value_pattern_is_fast_on_its_bad_case():
    import time

    started = time.perf_counter()
    assert not regex.search("^[!-~]+([\\t ]?[!-~]+)*$", "gateway.networking.k8s.io\n")
    assert regex.search("^[!-~]+([\\t ]?[!-~]+)*$", "gateway.networking.k8s.io")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("pattern, match, search", [
    # DNS names: linear as full matches (how k8s_validation uses them) and anchored searches
    ("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", True, False),
    ("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\Z", True, True),
    ("^(?:[a-z]|%[0-9a-f]{2})+\\Z", True, True),
    ("^([0-9]{1,5}(h|m|s|ms)){1,4}\\Z", True, True),
    ("^a*b\\Z", True, True), ("a*b", True, False),  # every start position of a search
    ("^$|^a+\\Z", True, True), ("^a+\\Z|b+", True, False),
    # exponential: two ways to read the same run, repeated
    ("^[!-~]+([\\t ]?[!-~]+)*\\Z", False, False), ("^(a|a)*\\Z", False, False),
    ("^(a|ab|b)*\\Z", False, False), ("^(a+)+\\Z", False, False), ("^(a*)*\\Z", False, False),
    ("^(a?)*\\Z", False, False), ("^(?:a{1,3})*\\Z", False, False),
    # polynomial: one run split between two loops
    ("^[-a-z0-9]*[a-z][-a-z0-9]*\\Z", False, False), ("^a*a*\\Z", False, False),
    ("^\\d+\\w+\\Z", False, False),
    # not modelled: stays on RE2
    ("^(a)\\1\\Z", False, False), ("^(?=a)a\\Z", False, False),
])
def test_linear_time_verdicts(pattern, match, search):
    assert regex.linear(pattern, __import__("re").ASCII, search=False) is match
    assert regex.linear(pattern, __import__("re").ASCII, search=True) is search


def test_case_insensitive_classes_are_widened():
    """(?i): the Kelvin sign is a `k`, so `k` and `[^a-z]`-like classes overlap there."""
    import re

    assert regex.linear("^[a-z]+\\Z", re.IGNORECASE, search=False)
    assert not regex.linear("^[a-z]*\\u212a*\\Z", re.IGNORECASE, search=False)
    assert regex.linear("^[a-z]*\\u212a*\\Z", re.ASCII, search=False)
