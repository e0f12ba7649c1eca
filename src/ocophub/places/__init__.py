"""Hanoi's administrative units before and after the 2025 reforms, the maps between them, crafts and
craft villages. Asks who may change them through `places.policy`, which the accounts app answers."""
