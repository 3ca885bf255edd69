"""Fake platform HTTP servers on loopback, speaking the platforms' own JSON (shared by tests and bench)."""
