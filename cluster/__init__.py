"""CloudOps Bot: cluster package."""
