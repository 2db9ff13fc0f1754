"""Typed checks of an outlet text against its sources: each a small pure module."""
