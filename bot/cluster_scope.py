"""Which cluster a request is about: ``--cluster NAME`` (``-c NAME``) anywhere after the
command word, else the chat's binding (``/cluster use NAME``), else the home cluster
(``default_cluster``, or the first of ``clusters:``). A button names the cluster of the
card it sits on (``bot.cards.cluster_tag``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.options import take_flag
from bot.registry import UsageError
from bot.services import Services, UnknownCluster
from bot.state import Store
from config.sections import CLUSTER_NAME
from config.settings import Settings

__all__ = [
    "BINDING_TTL",
    "bind_chat",
    "bound_cluster",
    "cluster_for",
    "fanout_clusters",
    "take_cluster_flag",
    "unknown_cluster_error",
]

BINDING_TTL = timedelta(days=3650)  # a binding lasts until changed
LONG, SHORT = "--cluster", "-c"
EVERY = "all"  # --clusters all


def _key(chat_id: str) -> str:
    return f"chat.cluster:{chat_id}"


def take_cluster_flag(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """Remove ``--cluster NAME``, ``--cluster=NAME`` or ``-c NAME`` from ``args``; the
    last one wins. ``--clusters`` (a fan-out) is left to the skill."""
    name, rest = take_flag(args, LONG, SHORT)
    if name is not None and not CLUSTER_NAME.match(name):
        raise UsageError("usage.bad_name", value=name)
    return name, rest


async def bound_cluster(store: Store, chat_id: str) -> str | None:
    return await store.kv.get(_key(chat_id)) if chat_id else None


async def bind_chat(store: Store, chat_id: str, name: str) -> None:
    await store.kv.put(_key(chat_id), name, ttl=BINDING_TTL)


async def cluster_for(services: Services, chat_id: str, named: str | None) -> str:
    """The cluster of a request: ``named`` (a flag or a button), else the chat's binding
    (when still configured), else the home cluster. Raises UnknownCluster for a ``named``
    one that is not configured."""
    known = services.settings.cluster_names
    if named is not None:
        if named not in known:
            raise UnknownCluster(named, known)
        return named
    bound = await bound_cluster(services.store, chat_id)
    if bound in known:
        return bound
    return str(services.settings.home_cluster)


def unknown_cluster_error(exc: UnknownCluster) -> UsageError:
    return UsageError("usage.unknown_cluster", value=exc.name, known=", ".join(exc.known))


def fanout_clusters(settings: Settings, wanted: Sequence[str]) -> list[str]:
    """The clusters ``--clusters`` names: ``all`` (every configured one, in the config's
    order) or a list of configured names (in the order given, each once). An unknown
    name is a usage error naming the configured ones."""
    known = settings.cluster_names
    if EVERY in wanted:
        return list(known)
    for name in wanted:
        if name not in known:
            raise UsageError("usage.unknown_cluster", value=name, known=", ".join(known))
    return list(dict.fromkeys(wanted))
