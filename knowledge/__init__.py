"""CloudOps Bot: knowledge package."""
