"""CloudOps Bot: agents package."""
