"""Fake platform HTTP servers on loopback in the platforms' own JSON (tests and bench)."""
