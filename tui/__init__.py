"""Callboard: a terminal console for people who run telephone systems."""

__version__ = "0.1.0"
