"""Checks that `make lint` runs beside ruff and mypy."""
