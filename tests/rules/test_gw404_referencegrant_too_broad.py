"""GW404 referencegrant-too-broad: messages and hints, for tests/rules/GW404/."""

from __future__ import annotations

from support.fixtures import fixture_findings


def test_unnamed_secret_entry_names_the_secrets_in_use() -> None:
    [f] = fixture_findings("GW404", "bad_secret_grant_without_name.yaml")
    assert f["path"] == "/spec/to/0"
    assert f["hint"] == ("references in the linted files use only Secret 'shop-tls': name them "
                         "(one `to` entry per object)")


def test_secrets_opened_to_many_namespaces() -> None:
    [f] = fixture_findings("GW404", "bad_secrets_opened_to_many_namespaces.yaml")
    assert f["path"] == "/spec/from"
    assert f["message"] == ("ReferenceGrant 'allow' lets 4 namespaces reference Secrets of "
                            "namespace 'shop'")
