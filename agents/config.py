"""LLM settings: endpoints tried in order, from the environment and the YAML ``llm`` section.

Environment (secrets live only here): ``LLM_BASE_URL``, ``LLM_API_KEY``, ``LLM_MODEL``,
``LLM_TIMEOUT``, ``LLM_MAX_RETRIES``, ``LLM_FALLBACKS`` (JSON list of
``{base_url, api_key, model}``) and model-info flags ``LLM_FUNCTION_CALLING``,
``LLM_JSON_OUTPUT``, ``LLM_VISION``, ``LLM_STRUCTURED_OUTPUT``, ``LLM_FAMILY``.
YAML (the ``llm`` section, ``config.sections.LlmSettings``): the same names in lower case
without the prefix, and ``fallbacks`` as a list whose entries name their key's variable with
``api_key_env``. The environment wins; the defaults are those of ``defaults.yaml``. Whether
an LLM is configured at all is decided by ``config.availability.llm_configured``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr

from config.availability import llm_configured
from config.sections import LlmSettings
from config.settings import Settings

__all__ = ["Endpoint", "LlmConfig", "ModelFlags", "llm_config", "load_llm_config"]

_FLAGS = ("function_calling", "json_output", "vision", "structured_output")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_LLM = LlmSettings.default()  # defaults.yaml: llm


@dataclass(frozen=True)
class ModelFlags:
    """What the model can do; AutoGen needs this for any model name OpenAI does not know."""

    function_calling: bool = _LLM.function_calling
    json_output: bool = _LLM.json_output
    vision: bool = _LLM.vision
    structured_output: bool = _LLM.structured_output
    family: str = _LLM.family


@dataclass(frozen=True)
class Endpoint:
    base_url: str | None
    model: str
    api_key: SecretStr = field(default_factory=lambda: SecretStr(""), repr=False)
    flags: ModelFlags = field(default_factory=ModelFlags)

    @property
    def label(self) -> str:
        """Safe to log: model and host, never the key."""
        return f"{self.model}@{self.base_url or 'api.openai.com'}"


@dataclass(frozen=True)
class LlmConfig:
    endpoints: tuple[Endpoint, ...]
    timeout: float = _LLM.timeout
    max_retries: int = _LLM.max_retries

    @property
    def primary(self) -> Endpoint:
        return self.endpoints[0]

    def with_model(self, model: str) -> LlmConfig:
        """The same endpoints, all asked for ``model`` (for ``cloudops eval --model``)."""
        endpoints = tuple(Endpoint(e.base_url, model, e.api_key, e.flags) for e in self.endpoints)
        return LlmConfig(endpoints, self.timeout, self.max_retries)


def _flag(raw: Any, name: str, default: bool) -> bool:
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")


def _number(raw: Any, name: str, low: float, high: float) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be within [{low:g}, {high:g}], got {value:g}")
    return value


def _pick(env: Mapping[str, str], yaml: Mapping[str, Any], name: str) -> Any:
    value = env.get(f"LLM_{name.upper()}")
    return value if value not in (None, "") else yaml.get(name)


def _flags(env: Mapping[str, str], yaml: Mapping[str, Any]) -> ModelFlags:
    values = {
        name: _flag(_pick(env, yaml, name), f"LLM_{name.upper()}", bool(yaml[name]))
        for name in _FLAGS
    }
    family = str(_pick(env, yaml, "family") or yaml["family"])
    return ModelFlags(family=family, **values)


def _fallback(item: Any, index: int, flags: ModelFlags, env: Mapping[str, str]) -> Endpoint:
    if not isinstance(item, Mapping):
        raise ValueError(f"LLM_FALLBACKS[{index}] must be an object with base_url and model")
    known = {"base_url", "api_key", "api_key_env", "model", "family", *_FLAGS}
    unknown = sorted(set(item) - known)
    if unknown:
        raise ValueError(f"LLM_FALLBACKS[{index}]: unknown field(s) {', '.join(unknown)}")
    model = item.get("model")
    if not isinstance(model, str) or not model:
        raise ValueError(f"LLM_FALLBACKS[{index}].model must be a non-empty string")
    own = {
        name: _flag(item.get(name), f"LLM_FALLBACKS[{index}].{name}", getattr(flags, name))
        for name in _FLAGS
    }
    return Endpoint(
        base_url=item.get("base_url") or None,
        model=model,
        api_key=SecretStr(str(item.get("api_key") or env.get(item.get("api_key_env") or "", ""))),
        flags=ModelFlags(family=str(item.get("family") or flags.family), **own),
    )


def _fallbacks(env: Mapping[str, str], yaml: Mapping[str, Any]) -> list[Any]:
    raw = env.get("LLM_FALLBACKS")
    if raw:
        try:
            items = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ValueError(f"LLM_FALLBACKS is not valid JSON ({error.msg})") from None
    else:
        items = yaml.get("fallbacks") or []
    if not isinstance(items, list):
        raise ValueError("LLM_FALLBACKS must be a list of {base_url, api_key, model}")
    return items


def load_llm_config(
    environ: Mapping[str, str], extra: Mapping[str, Any] | None = None
) -> LlmConfig | None:
    """The configured endpoints, or None when no model is set (the LLM is optional).

    ``environ`` holds the ``LLM_*`` values (and the variables fallbacks name), ``extra`` the
    YAML sections; keys missing from its ``llm`` section take the defaults. Raises
    ValueError naming the wrong setting (never its value).
    """
    given = (extra or {}).get("llm") or {}
    if not isinstance(given, Mapping):
        raise ValueError("the YAML section llm must be a mapping")
    yaml = {**_LLM.model_dump(), **given}
    flags = _flags(environ, yaml)
    model = _pick(environ, yaml, "model")
    items = _fallbacks(environ, yaml)
    endpoints: list[Endpoint] = []
    if model:
        key = environ.get("LLM_API_KEY") or ""
        endpoints.append(
            Endpoint(_pick(environ, yaml, "base_url") or None, str(model), SecretStr(key), flags)
        )
    endpoints.extend(_fallback(item, i, flags, environ) for i, item in enumerate(items))
    if not endpoints:
        return None
    timeout = _number(_pick(environ, yaml, "timeout"), "LLM_TIMEOUT", 0.1, 600.0)
    retries = _number(_pick(environ, yaml, "max_retries"), "LLM_MAX_RETRIES", 0, 10)
    return LlmConfig(tuple(endpoints), timeout, int(retries))


def llm_config(settings: Settings, environ: Mapping[str, str] | None = None) -> LlmConfig | None:
    """The endpoints of typed settings (its ``LLM_*`` fields over its ``llm`` section), or
    None when ``config.availability`` finds no LLM configured. ``environ`` is read only for
    the variables that fallbacks name in ``api_key_env``."""
    if not llm_configured(settings):
        return None
    env = dict(os.environ if environ is None else environ)
    for name in Settings.model_fields:
        if name.startswith("llm_"):
            env.pop(name.upper(), None)
            value = settings.secret(name)
            if value:
                env[name.upper()] = value
    return load_llm_config(env, {"llm": settings.llm.model_dump()})
