"""The package's version: a leaf module, so that a stage that records it imports nothing above itself."""

from __future__ import annotations

__version__ = "0.1.0"  # as pyproject.toml's [project] version
