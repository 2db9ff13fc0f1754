"""Control characters of the inputs made visible, so that a report never drives the terminal it is read in.

An escape sequence in an article (``\\x1b[2K\\x1b[1A`` erases the line above) would act on the terminal
that shows the text report, or on one that ``cat``s a .txt or .md report. Each control character
becomes one visible character, so every offset into a sentence still points at the same character:
C0 controls their Unicode control pictures (ESC is ␛), DEL ␡, C1 controls U+FFFD. Tabs and newlines
stay. JSON escapes controls itself and HTML shows them as text; those renderers need none of this.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any, TypeVar

_T = TypeVar("_T")

_VISIBLE = {
    **{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"},
    0x7F: 0x2421,
    **{code: 0xFFFD for code in range(0x80, 0xA0)},
}


def printable(text: str) -> str:
    """``text`` with each control character (but tab and newline) replaced by one visible character."""
    return text.translate(_VISIBLE)


def printable_copy(value: _T) -> _T:
    """A copy of a report (or any part of one) with every string in it made printable."""
    return _copy(value)  # type: ignore[no-any-return]


def _copy(value: Any) -> Any:
    if isinstance(value, Enum) or not isinstance(value, str | tuple | list | dict) and not _is_dataclass(value):
        return value  # a Verdict or QuoteStatus is a str too, but one of its own fixed values
    if isinstance(value, str) and type(value) is not str:
        return value  # so is a declared FindingType or ProblemKind (findings.py)
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, tuple | list):
        return type(value)(_copy(item) for item in value)
    if isinstance(value, dict):
        return {_copy(key): _copy(item) for key, item in value.items()}
    changes = {f.name: _copy(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    return dataclasses.replace(value, **changes)


def _is_dataclass(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)
