"""The composition root: the one place that builds the app and wires capabilities, REST
routers, webhooks and scheduled jobs into it.

- ``factory``: ``create_app`` (services, transports, health routes, lifespan)
- ``parts``: what a capability returns (``CapabilityParts``)
- ``capabilities``: the production set, in order (``default_capabilities``)
- ``cluster``, ``knowledge``: the Kubernetes and knowledge-base capabilities
- ``rest``: ``/api/v1`` routers (assistant, rca, predict)
- ``webhooks``: ``POST /alertmanager``; ``jobs``: the scheduler and its jobs
- ``doctor``: the start-up checks; ``skills``: the default registry
- ``access_table``: ``python -m bot.app.access_table`` prints docs/access.md's table
"""

from bot.app.factory import BotRuntime, create_app
from bot.app.parts import Capability, CapabilityParts

__all__ = ["create_app", "BotRuntime", "Capability", "CapabilityParts"]
