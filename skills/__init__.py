"""CloudOps Bot: skills package."""
