"""CloudOps Bot: config package."""
