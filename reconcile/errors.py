"""The exceptions reconcile raises; the CLI turns each into one line on stderr and exit code 2."""

from __future__ import annotations


class ReconcileError(Exception):
    """Base class: every message is one line that says what went wrong and how to fix it."""


class InputError(ReconcileError):
    """An input file is missing, empty, binary, undecodable or too large."""


class UsageError(ReconcileError):
    """The call itself is wrong: no source given, a malformed option value."""


class ModelError(ReconcileError):
    """The embedding model cannot be found or loaded."""


class ConfigError(ReconcileError):
    """A batch configuration file is invalid."""


class StoppedError(ReconcileError):
    """A comparison was stopped part-way because its caller asked (serve's time limit); nothing of it is kept."""
