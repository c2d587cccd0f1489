"""Pure helpers: patch engines, quantities, log redaction."""

from __future__ import annotations

import pytest

from cluster.patching import PatchError, combine_strategic, json_patch, merge_patch, strategic_merge
from cluster.quantity import format_cpu, format_memory, parse_cpu, parse_memory
from cluster.redaction import MASK, clean_log, redact, truncate

POD = {
    "containers": [
        {"name": "a", "image": "x", "env": [{"name": "K", "value": "1"}]},
        {"name": "b", "image": "y"},
    ]
}


@pytest.mark.parametrize(
    "patch, expected",
    [
        # Containers merge by name: only "a" changes, "b" is untouched.
        (
            {"containers": [{"name": "a", "image": "z"}]},
            {
                "containers": [
                    {"name": "a", "image": "z", "env": [{"name": "K", "value": "1"}]},
                    {"name": "b", "image": "y"},
                ]
            },
        ),
        # A new name is appended.
        (
            {"containers": [{"name": "c", "image": "w"}]},
            {"containers": [*POD["containers"], {"name": "c", "image": "w"}]},
        ),
        # null deletes a field.
        (
            {"containers": [{"name": "a", "env": None}]},
            {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]},
        ),
        # $patch: delete removes a list item.
        (
            {"containers": [{"name": "b", "$patch": "delete"}]},
            {"containers": [{"name": "a", "image": "x", "env": [{"name": "K", "value": "1"}]}]},
        ),
    ],
)
def test_strategic_merge(patch, expected) -> None:
    assert strategic_merge(POD, patch) == expected


def test_merge_patch_replaces_lists() -> None:
    assert merge_patch(POD, {"containers": [{"name": "b"}]}) == {"containers": [{"name": "b"}]}


def test_json_patch() -> None:
    ops = [
        {"op": "replace", "path": "/containers/1/image", "value": "q"},
        {"op": "add", "path": "/containers/-", "value": {"name": "c"}},
    ]
    assert [c.get("image") for c in json_patch(POD, ops)["containers"]] == ["x", "q", None]
    with pytest.raises(PatchError):
        json_patch(POD, [{"op": "test", "path": "/containers/0/image", "value": "nope"}])
    with pytest.raises(PatchError):
        json_patch(POD, [{"op": "replace", "path": "/missing", "value": 1}])


def test_combine_strategic_keeps_deletions() -> None:
    first = {
        "containers": [
            {"name": "a", "livenessProbe": {"httpGet": {"path": "/"}, "tcpSocket": None}}
        ]
    }
    second = {"containers": [{"name": "a", "livenessProbe": {"periodSeconds": 10}}]}
    combined = combine_strategic(first, second)
    assert combined == {
        "containers": [
            {
                "name": "a",
                "livenessProbe": {"httpGet": {"path": "/"}, "tcpSocket": None, "periodSeconds": 10},
            }
        ]
    }


@pytest.mark.parametrize(
    "text, millicores",
    [("500m", 500), ("2", 2000), ("0.25", 250), ("1500000n", 1.5), ("250u", 0.25)],
)
def test_parse_cpu(text: str, millicores: float) -> None:
    assert parse_cpu(text) == pytest.approx(millicores)


@pytest.mark.parametrize(
    "text, mebibytes", [("512Mi", 512), ("1Gi", 1024), ("128974848", 123), ("1000Ki", 1000 / 1024)]
)
def test_parse_memory(text: str, mebibytes: float) -> None:
    assert parse_memory(text) / 2**20 == pytest.approx(mebibytes)


def test_format_and_reject() -> None:
    assert (
        format_cpu(1000),
        format_cpu(10.2),
        format_memory(2**30),
        format_memory(33 * 2**20),
    ) == ("1", "11m", "1Gi", "33Mi")
    with pytest.raises(ValueError):
        parse_memory("lots")


SECRETS = [
    ("Authorization: Bearer abc.def.ghijklmnop", "abc.def"),
    ("curl -H 'authorization: bearer sometoken12345'", "sometoken12345"),
    ("password=hunter2 user=bob", "hunter2"),
    ('{"api_key": "k-123456", "ok": 1}', "k-123456"),
    ("DB_PASSWORD: 's3cr3t'", "s3cr3t"),
    ("postgres://ledger:s3cr3t-pw@db:5432/x", "s3cr3t-pw"),
    ("aws AKIAABCDEFGHIJKLMNOP used", "AKIAABCDEFGHIJKLMNOP"),
    ("jwt eyJhbGciOiJI.eyJzdWIiOiIx.c2lnbmF0dXJl", "eyJzdWIiOiIx"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----", "MIIEabc"),
    ("token: ghp_abcdefghijklmnopqrstuvwx1234", "ghp_abcdefghijklmnopqrstuvwx1234"),
]


@pytest.mark.parametrize("line, secret", SECRETS)
def test_redact_masks_secrets(line: str, secret: str) -> None:
    cleaned = redact(line)
    assert secret not in cleaned and MASK in cleaned


def test_redact_keeps_ordinary_text() -> None:
    line = "GET /health 404 in 3ms (token bucket refilled)"
    assert redact(line) == line


def test_truncate_keeps_the_tail() -> None:
    text = "\n".join(f"line {i}" for i in range(100))
    cut = truncate(text, max_lines=3)
    assert cut.splitlines() == ["…", "line 97", "line 98", "line 99"]
    assert clean_log("x" * 10_000, max_chars=100).endswith("x" * 100)


def test_a_key_block_cut_by_the_tail_is_still_masked() -> None:
    lines = [
        "-----BEGIN PRIVATE KEY-----",
        *[f"SECRETLINE{i}" for i in range(10)],
        "-----END PRIVATE KEY-----",
        "ok",
    ]
    cleaned = clean_log("\n".join(lines), max_lines=5)
    assert "SECRETLINE" not in cleaned and cleaned.endswith("ok") and cleaned.startswith("…")
