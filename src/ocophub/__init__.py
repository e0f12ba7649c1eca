"""OCOP Hub: the platform for Hanoi's network of OCOP and craft-village centers."""

__version__ = "0.1.0"
