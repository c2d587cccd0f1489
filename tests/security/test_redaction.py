"""Point 10: redaction before the model covers a corpus of secret shapes (one example each
in data/secret_shapes.yaml) and leaves ordinary log lines alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from agents.untrusted import wrap
from cluster.redaction import MASK, clean_log, redact
from config.scrub import register_secrets

CORPUS: dict[str, Any] = yaml.safe_load(
    (Path(__file__).with_name("data") / "secret_shapes.yaml").read_text(encoding="utf-8")
)
SHAPES = {entry["shape"]: entry for entry in CORPUS["secrets"]}

AUDIT_FINDINGS = [  # the strings the audit saw reach the model
    ("redis://:pw-from-audit@host:6379", "pw-from-audit"),
    ("start --password audit-pw-x", "audit-pw-x"),
    ("pass=audit-pass-x", "audit-pass-x"),
    ("mysql -paudit-mysql-x shop", "audit-mysql-x"),
    ("Basic YXVkaXQ6YXVkaXQtcHc=", "YXVkaXQ6YXVkaXQtcHc="),
    ("Cookie: session=audit-session-x", "audit-session-x"),
]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_secret_shape_is_redacted(shape: str) -> None:
    entry = SHAPES[shape]
    cleaned = redact(entry["text"])
    assert entry["secret"] not in cleaned
    assert MASK in cleaned


@pytest.mark.parametrize(("text", "secret"), AUDIT_FINDINGS)
def test_the_audit_findings_are_redacted(text: str, secret: str) -> None:
    assert secret not in redact(text)


@pytest.mark.parametrize("line", CORPUS["ordinary"])
def test_ordinary_log_lines_survive(line: str) -> None:
    assert redact(line) == line


def test_the_corpus_covers_the_shapes_named_in_the_brief() -> None:
    wanted = {
        "aws access key id", "github classic token", "gitlab personal token", "slack bot token",
        "jwt", "private key block", "password=", "passwd:", "pwd=", "postgres dsn", "mysql dsn",
        "redis url with empty user", "mongodb srv dsn", "amqp dsn", "mysql -p", "--password x",
        "authorization basic", "authorization bearer", "cookie", "set-cookie",
        "feishu app secret", "openai key", "api_key=", "token=", "secret=",
    }  # fmt: skip
    assert wanted <= set(SHAPES)


def test_a_whole_log_is_redacted_line_by_line() -> None:
    log = "\n".join(entry["text"] for entry in CORPUS["secrets"])
    cleaned = clean_log(log, max_lines=500, max_chars=100_000)
    for entry in CORPUS["secrets"]:
        assert entry["secret"] not in cleaned, entry["shape"]


def test_registered_secret_values_are_redacted_too() -> None:
    register_secrets(["an-unshaped-value-9q"])
    assert "an-unshaped-value-9q" not in redact("env dump: X=an-unshaped-value-9q")


def test_tool_output_for_the_agents_is_redacted() -> None:
    """agents/untrusted.py wraps what tools return before the model reads it."""
    wrapped = wrap("logs", {"logs": [entry["text"] for entry in CORPUS["secrets"]]}, limit=100_000)
    for entry in CORPUS["secrets"]:
        assert entry["secret"] not in wrapped, entry["shape"]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_redacting_twice_changes_nothing_more(shape: str) -> None:
    """Evidence is redacted again by ``Finding``: text cleaned before must stay as it was."""
    once = redact(SHAPES[shape]["text"])
    assert redact(once) == once


@pytest.mark.parametrize(
    "text", ["password=hunter2", 'db {"token": "abc123"}', "pwd: s3cr3t and more"]
)
def test_redacting_twice_changes_nothing(text: str) -> None:
    # Evidence is redacted when read and again when a Finding is made: no "[REDACTED]]".
    once = redact(text)
    assert MASK in once and redact(once) == once
