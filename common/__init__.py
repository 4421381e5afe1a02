"""Shared building blocks with no tables: abstract models, API base classes, roles, helpers."""
