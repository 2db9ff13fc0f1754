"""Typed checks of an outlet text against its sources: each a small pure module.

Each check module declares what its findings are (findings.FindingKind, ProblemKind: severity,
wording, plural) where it makes them, and a slot check that is not one of slots.py's own registers
itself (slots.register_check). Importing this package imports every module in it, so that every
check's declarations are there before triage and the verdict read them: a new check is one module
here (and its word list under data/lexicon/), nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
