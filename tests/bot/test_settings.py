"""Settings: YAML defaults, a YAML file, the environment on top; clear one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import ConfigError, load_settings
from messages import catalogue, t


def test_defaults_without_environment() -> None:
    settings = load_settings({})
    assert settings.domain == "https://open.feishu.cn"
    assert settings.transport == "webhook"
    assert settings.db_url.startswith("sqlite:///")
    assert settings.lang == "zh-CN"
    assert settings.approvals.approvers == []  # approvals denied unless configured


def test_environment_wins_over_the_yaml_file(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "language: en-US\nfeishu:\n  transport: longconn\n"
        "approvals:\n  ttl_minutes: 10\n  approvers:\n    - open_id: ou_x\n"
        "      namespaces: [payments]\n"
    )
    settings = load_settings({"CLOUDOPS_CONFIG": str(config), "FEISHU_TRANSPORT": "webhook"})
    assert settings.lang == "en-US"
    assert settings.transport == "webhook"
    assert settings.approvals.ttl_minutes == 10
    assert settings.approvals.approvers[0].namespaces == ["payments"]


def test_unrelated_environment_variables_do_not_leak_in() -> None:
    assert load_settings({"LANGUAGE": "fr_FR:fr", "DATA_DIR": "/nope"}).lang == "zh-CN"


def test_postgres_url_uses_psycopg3() -> None:
    url = load_settings({"DATABASE_URL": "postgresql://u@h/db"}).db_url
    assert url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"FEISHU_TRANSPORT": "carrier-pigeon"}, "FEISHU_TRANSPORT"),
        ({"CLOUDOPS_CONFIG": "/no/such/file.yaml"}, "CLOUDOPS_CONFIG"),
    ],
)
def test_wrong_settings_name_themselves(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(env)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"FEISHU_APP_SECRET": "s3cret-value"}, "FEISHU_APP_ID"),
        ({"FEISHU_APP_ID": "cli_x"}, "FEISHU_APP_SECRET"),
        (
            {"FEISHU_APP_ID": "cli_x", "FEISHU_APP_SECRET": "s3cret-value"},
            "FEISHU_VERIFICATION_TOKEN",
        ),
        (
            {
                "FEISHU_APP_ID": "cli_x",
                "FEISHU_APP_SECRET": "s3cret-value",
                "FEISHU_VERIFICATION_TOKEN": "v",
                "FEISHU_DOMAIN": "http://example.com",
            },
            "FEISHU_DOMAIN",
        ),
    ],
)
def test_missing_feishu_settings_are_named_and_secrets_not_echoed(env, named) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env).require_feishu()
    assert named in str(info.value)
    assert "s3cret-value" not in str(info.value)
    assert "\n" not in str(info.value)


def test_loopback_http_domain_is_allowed_for_tests() -> None:
    env = {
        "FEISHU_APP_ID": "a",
        "FEISHU_APP_SECRET": "b",
        "FEISHU_VERIFICATION_TOKEN": "c",
        # webhook mode refuses to start without it (tests/security/test_signed_or_nothing.py)
        "FEISHU_ENCRYPT_KEY": "d",
        "FEISHU_DOMAIN": "http://127.0.0.1:9999",
    }
    load_settings(env).require_feishu()


def test_secrets_are_hidden_in_repr() -> None:
    settings = load_settings({"FEISHU_APP_SECRET": "s3cret-value", "CLOUDOPS_API_TOKEN": "tok9"})
    assert "s3cret-value" not in repr(settings) and "tok9" not in repr(settings)


def test_catalogue_has_both_languages_for_every_key() -> None:
    for key, texts in catalogue().items():
        assert texts["zh-CN"].strip() and texts["en-US"].strip(), key
    assert t("help.title") != t("help.title", "en-US")
