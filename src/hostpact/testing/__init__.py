"""Helpers for tests: factories that build data through the same services users go through."""
