"""SOPS-encrypted Secrets (Flux `spec.decryption`, ksops): the `ENC[...]` ciphertexts are not
what is applied, so they are not checked as values (base64, identical certificate and key); the
keys are plaintext and still are."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gwlint.cli import main

SOPS = """\
sops:
    age:
        - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWJj
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "2026-01-01T00:00:00Z"
    mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
    encrypted_regex: ^(data|stringData)$
    version: 3.8.1
"""
GATEWAY = """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: web-tls}]}}
"""


def secret(data: str, sops: bool = True) -> str:
    return ("apiVersion: v1\nkind: Secret\nmetadata: {name: web-tls, namespace: shop}\n"
            f"type: kubernetes.io/tls\ndata:\n{data}" + (SOPS if sops else ""))


CIPHER = "ENC[AES256_GCM,data:Zm9vYmFy,iv:abc=,tag:def=,type:str]"


def rules(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "tls.yaml").write_text(text + GATEWAY, encoding="utf-8")
    result = CliRunner().invoke(main, [str(tmp_path), "--isolated", "--select", "ALL",
                                       "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return sorted(f["rule"] for f in json.loads(result.output)["findings"])


def test_encrypted_values_are_not_checked(tmp_path: Path) -> None:
    data = f"    tls.crt: {CIPHER}\n    tls.key: {CIPHER}\n"  # equal ciphertexts: not compared
    found = rules(tmp_path, secret(data))
    assert "GW010" not in found and "GW107" not in found, found


def test_keys_are_still_checked(tmp_path: Path) -> None:
    assert "GW107" in rules(tmp_path, secret(f"    tls.crt: {CIPHER}\n"))  # no tls.key


def test_a_ciphertext_outside_a_sops_file_is_checked(tmp_path: Path) -> None:
    data = f"    tls.crt: {CIPHER}\n    tls.key: {CIPHER}\n"
    found = rules(tmp_path, secret(data, sops=False))
    assert found.count("GW010") == 2 and "GW107" in found, found
