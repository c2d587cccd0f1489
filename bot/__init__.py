"""CloudOps Bot: bot package."""
