"""The word lists of data/lexicon/: plain text, read once, when the module that uses a list is imported.

Words are data, not code (as spaCy keeps `lang/en/`), so one list has one home and a reader can see
it whole. The format of every file:

- one entry per line: a word or a phrase, or a `word value` pair (the value is the rest of the line);
- `#` starts a comment, to the end of the line; blank lines are skipped;
- `[name]` starts a named list, for a file that holds several lists of one kind (the titles before
  a name and those left out of a speaker's name, say).

Each function returns an immutable value (frozenset, tuple or read-only mapping), so a module can keep
what it reads as a constant.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType


def entries(file: str, section: str | None = None) -> tuple[str, ...]:
    """The entries of data/lexicon/<file>.txt (of its list [section], for a file of several), in order."""
    text = resources.files("reconcile").joinpath(f"data/lexicon/{file}.txt").read_text(encoding="utf-8")
    lists: dict[str | None, list[str]] = {None: []}
    current: str | None = None
    for raw in text.splitlines():
        line = " ".join(raw.split("#", 1)[0].split())
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            lists[current] = []
        else:
            lists[current].append(line)
    if section not in lists or (section is None and len(lists) > 1):
        named = ", ".join(f"[{name}]" for name in lists if name is not None) or "no named lists"
        raise KeyError(f"data/lexicon/{file}.txt has no list [{section}] (it has {named})")
    return tuple(lists[section])


def words(file: str, section: str | None = None) -> frozenset[str]:
    """The entries of a list as a set."""
    return frozenset(entries(file, section))


def table(file: str, section: str | None = None) -> Mapping[str, str]:
    """A list of `word value` lines as a read-only mapping."""
    pairs: dict[str, str] = {}
    for line in entries(file, section):
        word, _, value = line.partition(" ")
        if not value:
            raise ValueError(f'data/lexicon/{file}.txt [{section}]: "{line}" has no value; write "word value"')
        pairs[word] = value
    return MappingProxyType(pairs)


def numbers(file: str, section: str | None = None) -> Mapping[str, float]:
    """A table whose values are numbers: integers stay int; "1e6", "30.44" and "1/24" are floats."""
    return MappingProxyType({word: _number(value) for word, value in table(file, section).items()})


def integers(file: str, section: str | None = None) -> Mapping[str, int]:
    """A table whose values are integers (a month's number, a modality level)."""
    return MappingProxyType({word: int(value) for word, value in table(file, section).items()})


def _number(text: str) -> float:
    if "/" in text:  # a fraction, as exact as Python's division: 1/86400 of a day
        top, bottom = text.split("/")
        return float(top) / float(bottom)
    try:
        return int(text)
    except ValueError:
        return float(text)
