"""What every comparison reads and never changes: WordNet, the opposite words, the support judge.

Loaded once, explicitly (`Resources.load`), and passed down the pipeline; no check opens a file or
builds an index behind the caller's back. The WordNet index is the one thing written to disk, and
only here, when the caller asks for it (into the cache folder it names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources as package_files
from pathlib import Path
from typing import TYPE_CHECKING

from .judging import DEFAULT_JUDGE, Judge, load_judge
from .lexicon import stem

if TYPE_CHECKING:
    from .wordnet import WordNet


@dataclass(frozen=True)
class Opposites:
    """Opposite words and mutually exclusive values of data/opposites.txt, by stem."""

    negation: dict[str, frozenset[str]]  # stem -> stems of its opposites
    exclusive: dict[str, frozenset[str]]  # stem -> stems of other values of its kind


@dataclass(frozen=True)
class Resources:
    """The shared, read-only data of the checks and the score."""

    wordnet: WordNet | None
    opposites: Opposites
    # The judge (judges/: the packaged support judge unless Settings.judge names another kind); None only
    # where no score is computed (training's data script).
    judge: Judge | None = field(default_factory=load_judge)

    def the_judge(self, kind: str | None = None) -> Judge:
        """The judge; a clear error where these resources were loaded without one, or with another kind than asked."""
        from .errors import ModelError

        if self.judge is None:
            raise ModelError("these resources were loaded without the judge; load them with Resources.load()")
        if kind is not None and self.judge.name != kind:
            raise ModelError(
                f"the settings ask for the {kind!r} judge but these resources hold the {self.judge.name!r} one; "
                f"load them with Resources.load(judge_kind={kind!r})"
            )
        return self.judge

    @classmethod
    def load(
        cls,
        *,
        cache_dir: Path | None = None,
        wordnet: bool = True,
        judge: bool = True,
        judge_kind: str = DEFAULT_JUDGE,
    ) -> Resources:
        """Load everything; the WordNet index is opened from (or built once into) cache_dir.

        cache_dir None: the user cache folder. wordnet False (or the data missing): checks on stems alone.
        judge False: no judge (for computing the judge's inputs, not scores); judge_kind: which kind
        (Settings.judge, a module of judges/).
        """
        lexical = None
        if wordnet:
            from .wordnet import open_wordnet

            lexical = open_wordnet(cache_dir)
        return cls(lexical, load_opposites(), load_judge(judge_kind) if judge else None)


def load_opposites(text: str | None = None) -> Opposites:
    """Parse data/opposites.txt (or the given text in its format) into stems."""
    if text is None:
        text = package_files.files("reconcile").joinpath("data/opposites.txt").read_text(encoding="utf-8")
    negation: dict[str, set[str]] = {}
    exclusive: dict[str, set[str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        target = negation
        if line.startswith("="):
            target = exclusive
            line = line[1:].split(":", 1)[-1]
        if "|" in line:
            groups = [_stems(part.replace("/", ",")) for part in line.split("|")]
        else:  # each item a value of its own ("grey/gray" is one value written two ways)
            groups = [_stems(item.replace("/", ",")) for item in line.split(",") if item.strip()]
        for a, group in enumerate(groups):
            others = set().union(*(g for b, g in enumerate(groups) if b != a)) - group
            for word in group:
                target.setdefault(word, set()).update(others)
    return Opposites({k: frozenset(v) for k, v in negation.items()}, {k: frozenset(v) for k, v in exclusive.items()})


def _stems(words: str) -> set[str]:
    return {stem(w.strip()) for w in words.split(",") if w.strip()}
