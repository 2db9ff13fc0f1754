"""Self-supervised calibration cases: real source sentences, kept or perturbed (after FactCC, Kryscinski et al. 2020).

The labelled sets disagree on what a supported claim looks like: WiCE's are paraphrases of noisy web
pages, summaries are close copies. Cases built from the articles of WiCE-dev and SummEdits (never
from qags-cnndm) teach the score the close-copy regime too:

- supported: a source sentence as written, or with one comma-delimited aside or trailing phrase cut;
- unsupported: two halves of different sentences spliced together, a number changed, a name swapped
  for another name of the same article, a negation inserted, or an adjective phrase from elsewhere
  inserted.

    .venv/bin/python benchmarks/synthetic.py --out /tmp/synthetic.jsonl [--per-article 4] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path
from typing import Any

from reconcile.segment import segment

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
SOURCES = ("wice-dev.jsonl", "summedits-news-eval.jsonl")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*\b")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_AUX = re.compile(r"\b(is|are|was|were|will|has|have|had|can|could|would|should|did|does)\b")


def _cut_aside(s: str, rng: random.Random) -> str | None:
    parts = s.split(", ")
    if len(parts) < 3:
        return None
    k = rng.randrange(1, len(parts) - 1)
    return ", ".join(parts[:k] + parts[k + 1 :])


def _splice(s: str, other: str) -> str | None:
    a, b = s.split(), other.split()
    if len(a) < 8 or len(b) < 8:
        return None
    return " ".join(a[: len(a) // 2] + b[len(b) // 2 :])


def _change_number(s: str, rng: random.Random) -> str | None:
    numbers = list(_NUMBER.finditer(s))
    if not numbers:
        return None
    m = rng.choice(numbers)
    value = float(m.group(0).replace(",", ""))
    new = value * rng.choice([2, 3, 0.5, 10]) + rng.choice([0, 1, 7])
    text = f"{new:,.0f}" if value.is_integer() else f"{new:.1f}"
    return s[: m.start()] + text + s[m.end() :] if text != m.group(0) else None


def _swap_name(s: str, names: list[str], rng: random.Random) -> str | None:
    own = list(_NAME.finditer(s))
    others = [n for n in names if n not in s]
    if not own or not others:
        return None
    m = rng.choice(own)
    return s[: m.start()] + rng.choice(others) + s[m.end() :]


def _negate(s: str) -> str | None:
    m = _AUX.search(s)
    if not m or re.match(r"\s+not\b", s[m.end() :]):
        return None
    return s[: m.end()] + " not" + s[m.end() :]


def _insert(s: str, other: str, rng: random.Random) -> str | None:
    words = [w for w in other.split() if w.isalpha() and len(w) > 5 and w.islower()]
    target = list(re.finditer(r"\bthe\s", s))
    if not words or not target:
        return None
    m = rng.choice(target)
    return s[: m.end()] + " ".join(rng.sample(words, min(2, len(words)))) + " " + s[m.end() :]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-article", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    articles: dict[str, str] = {}
    for name in SOURCES:
        for line in (EVAL / name).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            text = "\n".join(s["text"] for s in case["sources"])
            articles.setdefault(text[:200], text)
    cases: list[dict[str, Any]] = []
    for n, text in enumerate(articles.values()):
        sentences = [s.text for s in segment(text).sentences if 10 <= len(s.text.split()) <= 45]
        if len(sentences) < 4:
            continue
        names = sorted({m.group(0) for s in sentences for m in _NAME.finditer(s)})
        for k in range(args.per_article):
            s, other = rng.sample(sentences, 2)
            kind = rng.choice(["verbatim", "cut", "splice", "number", "name", "negation", "insert"])
            if kind == "verbatim":
                claim: str | None = s
            elif kind == "cut":
                claim = _cut_aside(s, rng)
            elif kind == "splice":
                claim = _splice(s, other)
            elif kind == "number":
                claim = _change_number(s, rng)
            elif kind == "name":
                claim = _swap_name(s, names, rng)
            elif kind == "negation":
                claim = _negate(s)
            else:
                claim = _insert(s, other, rng)
            if not claim:
                continue
            label = "supported" if kind in ("verbatim", "cut") else "unsupported"
            cases.append(
                {
                    "id": f"synthetic-{n}-{k}",
                    "dataset": "synthetic",
                    "sources": [{"name": "article", "text": text}],
                    "claim": claim,
                    "label": label,
                    "detail": {"kind": kind},
                }
            )
    args.out.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    kinds: dict[str, int] = {}
    for c in cases:
        kinds[c["detail"]["kind"]] = kinds.get(c["detail"]["kind"], 0) + 1
    print(f"{len(cases)} cases from {len(articles)} articles: {kinds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
