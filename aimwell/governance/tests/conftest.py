"""The governance tests use the context fixtures (AI systems, a row of every register)."""

from aimwell.context.tests.conftest import count_queries, filled, systems

__all__ = ["count_queries", "filled", "systems"]
