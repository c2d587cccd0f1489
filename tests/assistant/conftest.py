"""A running bot with the assistant, /new, /kb and the assistant REST API, on a copy of
the starter runbooks (so /kb add and /kb refresh never touch the packaged files)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.app.knowledge import knowledge_capability
from bot.app.rest.assistant import assistant_api
from bot.registry import Registry
from knowledge.default_base import STARTER_BASE
from sandbox.feishu import FakePlatform
from skills import ask, help, kb, new_session
from tests.conftest import RunningBot, bot_settings, start_bot

UPLOADER = "ou_kb_admin"
API_TOKEN = "assistant-api-token"


def assistant_registry() -> Registry:
    registry = Registry()
    for module in (help, ask, new_session, kb):
        module.register(registry)
    return registry


@pytest.fixture
def kb_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "runbooks"
    shutil.copytree(STARTER_BASE, root)
    monkeypatch.setenv("CLOUDOPS_KNOWLEDGE_DIR", str(root))
    monkeypatch.delenv("TAVILY_API_KEY", raising=False)
    for name in ("EMBEDDINGS_BASE_URL", "EMBEDDINGS_MODEL", "WEAVIATE_URL"):
        monkeypatch.delenv(name, raising=False)
    return root


@pytest.fixture
def start_assistant(
    platform: FakePlatform, db_url: str, tmp_path: Path, kb_root: Path
) -> Iterator[Callable[..., RunningBot]]:
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge:\n  uploaders: [{UPLOADER}]\n", encoding="utf-8")
    running: list[RunningBot] = []

    def start(**env: str) -> RunningBot:
        environ = {
            "CLOUDOPS_DATA_DIR": str(tmp_path / "data"),
            "CLOUDOPS_CONFIG": str(config),
            "CLOUDOPS_KNOWLEDGE_DIR": str(kb_root),
            **env,
        }
        bot = start_bot(
            platform,
            db_url,
            registry=assistant_registry(),
            capabilities=(knowledge_capability, assistant_api),
            settings=bot_settings(platform, db_url, **environ),
        )
        running.append(bot)
        return bot

    yield start
    for bot in running:
        bot.stop()


@pytest.fixture
def assistant(start_assistant: Callable[..., RunningBot]) -> RunningBot:
    return start_assistant()
