"""Chat skills. Each module exposes ``register(registry)``; the composition root
(``bot.app.skills.default_registry``) decides which are installed."""
