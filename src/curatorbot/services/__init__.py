"""Adapters, one per external service (arXiv, the LLM endpoint, GitHub) and for local state files."""
