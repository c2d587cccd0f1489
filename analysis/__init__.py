"""CloudOps Bot: analysis package."""
