"""Route-permission rules of a center's design pages and of the request files (merged into
tests/test_route_matrix.py)."""

from ..route_rules import Rule

PAGES: dict[str, Rule] = {}
OPERATIONS: dict[str, Rule] = {}
