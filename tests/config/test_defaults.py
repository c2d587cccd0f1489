"""Defaults live in config/defaults.yaml only, and every key there is a typed field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from config.defaults import Section, defaults
from config.settings import SECTIONS, ConfigError, Settings, load_settings


def _sections() -> dict[str, type[Section]]:
    found = {}
    for name, field in Settings.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, Section):
            found[name] = kind
    return found


def test_every_yaml_section_is_a_typed_section_of_settings() -> None:
    sections = _sections()
    scalars = {name for name, value in defaults().items() if not isinstance(value, dict)}
    assert set(defaults()) == set(sections) | scalars
    for name, kind in sections.items():
        assert kind.section == name, f"{kind.__name__}.section should be {name!r}"


@pytest.mark.parametrize("name", sorted(_sections()))
def test_a_section_declares_no_python_default(name: str) -> None:
    kind = _sections()[name]
    in_python = [
        field_name
        for field_name, field in kind.model_fields.items()
        if not field.is_required() and not field.exclude  # exclude: set in code, not YAML
    ]
    assert not in_python, f"{kind.__name__}: move the defaults of {in_python} to defaults.yaml"


@pytest.mark.parametrize("name", sorted(_sections()))
def test_defaults_yaml_and_the_model_have_the_same_keys(name: str) -> None:
    kind = _sections()[name]
    declared = {n for n, field in kind.model_fields.items() if not field.exclude}
    in_yaml = set(defaults()[name])
    assert not in_yaml - declared, f"defaults.yaml {name}: no field for {in_yaml - declared}"
    assert not declared - in_yaml, f"{kind.__name__}: no default for {declared - in_yaml}"


def test_top_level_values_default_from_the_yaml() -> None:
    settings = Settings()
    assert settings.language == defaults()["language"]
    assert settings.data_dir == Path(defaults()["data_dir"])


def test_settings_built_in_code_match_a_loaded_configuration() -> None:
    built, loaded = Settings(), load_settings({})
    for name in _sections():
        assert getattr(built, name) == getattr(loaded, name), name


def test_a_section_may_be_given_partly_or_as_null(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("fixes: {max_replicas: 7}\nscans: null\n", encoding="utf-8")
    settings = load_settings({"CLOUDOPS_CONFIG": str(path)})
    assert settings.fixes.max_replicas == 7
    assert settings.fixes.watch_timeout_seconds == defaults()["fixes"]["watch_timeout_seconds"]
    assert settings.scans.services == []


def test_an_unknown_top_level_key_stops_start_up_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("fixes: {}\nfixs:\n  secret_value: hunter22\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings({"CLOUDOPS_CONFIG": str(path)})
    text = str(raised.value)
    assert "fixs" in text and "hunter22" not in text and "\n" not in text


def test_sections_and_flat_values_do_not_overlap() -> None:
    flat = set(Settings.model_fields) - SECTIONS
    assert set(Settings.model_fields) >= SECTIONS
    for name in flat:
        kind = Settings.model_fields[name].annotation
        assert not (isinstance(kind, type) and issubclass(kind, BaseModel)), name


def test_the_documented_optional_sections_load(tmp_path: Path) -> None:
    """The "More optional sections" block of the README, as written there."""
    readme = Path(__file__).resolve().parents[2] / "README.md"
    text = readme.read_text(encoding="utf-8")
    start = text.index("```yaml\nfixes:") + len("```yaml\n")
    block = text[start : text.index("```", start)]
    path = tmp_path / "config.yaml"
    path.write_text(block, encoding="utf-8")
    settings = load_settings({"CLOUDOPS_CONFIG": str(path)})
    given = yaml.safe_load(block)
    assert settings.fixes.watch_timeout_seconds == given["fixes"]["watch_timeout_seconds"]
    assert settings.cluster.context == "prod"
    assert settings.alerts.routes[0].team == "payments"
    assert settings.forecast.services["payments"].per_pod_capacity == 120
    assert settings.scans.services == ["payments"]
    assert settings.scheduler.grace_seconds == 1800
    assert settings.knowledge.uploaders == ["ou_xxx"]
    assert settings.assistant.session_token_budget == 1500
    assert settings.llm.fallbacks[0]["api_key_env"] == "DEEPSEEK_KEY"
