"""ConfigMap and Secret generators, and kustomize's content hash suffix.

https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configmapgenerator/ ,
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/secretgenerator/ ,
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/generatoroptions/ .
Data comes from `literals` (KEY=VALUE), `files` ([KEY=]PATH, the key defaulting to the file name)
and `envs`/`env` (KEY=VALUE lines, `#` comments). Unless `disableNameSuffixHash` is set, the
name gets a suffix hashed from the content (kustomize's api/hasher): SHA-256 of the JSON of
{kind, name, data (and binaryData / type, stringData)} with sorted keys, first ten hex digits with
0,1,3,a,e mapped to g,h,k,m,t. The "name" is always empty in kustomize v4 and v5: the hasher
looks the name up as `yaml.Lookup("metadata/name")`, one field of that literal name, which no
object has (api/hasher/hasher.go), so the suffix depends on the content only; the examples on
kubernetes.io, made with kustomize v3, still show the older suffixes. Checked against
`kubectl kustomize` (kustomize v5.5.0).
"""

from __future__ import annotations

import base64
import json
from typing import Any

_ENCODE = str.maketrans("013ae", "ghkmt")


def _go_json(value: Any) -> str:
    """json.Marshal as Go writes it: sorted keys, no spaces, HTML characters escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _field(body: dict[str, Any], key: str) -> Any:
    value = body.get(key)
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    return "" if value is None else value


def content_hash(body: dict[str, Any]) -> str:
    """kustomize's name suffix for a ConfigMap or Secret body (api/hasher.HashRNode)."""
    kind = body.get("kind")
    name = ""  # see the module docstring: kustomize v4/v5 never find the name
    encoded: dict[str, Any]
    if kind == "Secret":
        encoded = {"kind": "Secret", "type": _field(body, "type"), "name": name,
                   "data": _field(body, "data")}
        if isinstance(body.get("stringData"), dict):
            encoded["stringData"] = _field(body, "stringData")
    else:
        encoded = {"kind": "ConfigMap", "name": name, "data": _field(body, "data")}
        if isinstance(body.get("binaryData"), dict):
            encoded["binaryData"] = _field(body, "binaryData")
    import hashlib  # imported here to keep start-up fast: only generated objects are hashed

    digest = hashlib.sha256(_go_json(encoded).encode("utf-8")).hexdigest()
    return digest[:10].translate(_ENCODE)


def parse_literal(text: str) -> tuple[str, str] | None:
    """KEY=VALUE (the value may be quoted); None when there is no `=`."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        return None
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return key.strip(), value


def parse_env(text: str) -> list[tuple[str, str]]:
    """An env file: KEY=VALUE per line; blank lines and `#` comments are skipped."""
    pairs = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        pair = parse_literal(stripped)
        if pair is not None:
            pairs.append(pair)
    return pairs


def encode_secret(value: str) -> str:
    """base64 as kustomize's secretGenerator writes it (api/internal/generators encodeBase64):
    lines of 70 characters, each ended by a line break, when the text needs more than one."""
    encoded = base64.b64encode(value.encode("utf-8")).decode("ascii")
    if len(encoded) // _LINE + 1 <= 1:
        return encoded
    return "".join(encoded[i:i + _LINE] + "\n" for i in range(0, len(encoded), _LINE))


_LINE = 70
