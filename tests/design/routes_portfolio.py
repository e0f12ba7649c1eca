"""Route-permission rules of the design studio's portfolio (merged into
tests/test_route_matrix.py)."""

from ..route_rules import Rule

PAGES: dict[str, Rule] = {}
OPERATIONS: dict[str, Rule] = {}
