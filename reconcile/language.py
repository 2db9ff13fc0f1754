"""Which writing system a text is mostly in: the checks and the packaged model read English only.

A Chinese, Arabic or Russian text is still segmented and compared, but its verdicts rest on a model
that was trained on English and on English word lists; the report says so instead of failing quietly.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

# A letter counts as Latin when its Unicode name says so; this share of non-Latin letters makes a text foreign.
_FOREIGN_SHARE = 0.5
_SAMPLE = 20_000  # letters looked at: enough to tell, and linear in nothing but this


def script_warning(name: str, text: str) -> str | None:
    """A warning for the report when ``text`` is mostly written in a script other than Latin, else None."""
    scripts: Counter[str] = Counter()
    letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        if ord(ch) >= 0x250:  # past Latin Extended-B; Latin Extended Additional is named LATIN too
            script = unicodedata.name(ch, "OTHER").split()[0]
            if script != "LATIN":
                scripts[script] += 1
        if letters >= _SAMPLE:
            break
    foreign = sum(scripts.values())
    if not letters or foreign / letters < _FOREIGN_SHARE:
        return None
    script = {"CJK": "Chinese (Han)", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean"}.get(
        top := scripts.most_common(1)[0][0], top.title()
    )
    return (
        f"{name} is mostly in {script} script: reconcile's word checks and the packaged model "
        "(all-MiniLM-L6-v2) read English only, so its verdicts and similarities are unreliable; "
        "compare a translation into English"
    )
