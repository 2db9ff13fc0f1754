"""Evidence + checks -> verdict, score, reason and the unsupported words of each outlet sentence.

Similarity finds the evidence but cannot judge it (contradictions score as high as paraphrases), so
the verdict rests on what the evidence actually contains: which content words, names and numbers of
the outlet sentence it backs, and whether a number or a negation differs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .align import Candidate, SourceText
from .lexicon import Token, content_keys, tokenize
from .report import Contradiction, Evidence, Span, Verdict
from .settings import Settings

ATTRIBUTION_VERBS = frozenset(
    "said says say told tells wrote writes write stated states added adds according read reads posted "
    "tweeted announced declared noted remarked insisted explained continued".split()
)
_QUOTE_PAIRS = {'"': '"', "“": "”", "”": "”", "‘": "’", "'": "'"}


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    score: float
    reason: str
    evidence: tuple[Evidence, ...]
    unsupported_spans: tuple[Span, ...]  # offsets into the sentence
    contradictions: tuple[Contradiction, ...]  # outlet offsets into the sentence, source offsets into the source
    features: dict[str, float]


@lru_cache(maxsize=1)
def calibration() -> dict[str, float]:
    """Logistic weights that map features to a support probability (fitted by benchmarks/calibrate.py)."""
    text = resources.files("reconcile").joinpath("data/calibration.json").read_text(encoding="utf-8")
    weights: dict[str, float] = json.loads(text)["weights"]
    return weights


def support_score(features: dict[str, float]) -> float:
    weights = calibration()
    z = weights.get("bias", 0.0) + sum(weights.get(name, 0.0) * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-z))


def quoted_ranges(sentence: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (the quote characters excluded)."""
    ranges: list[tuple[int, int]] = []
    i = 0
    while i < len(sentence):
        ch = sentence[i]
        if ch in ('"', "“") or (ch in ("‘", "'") and (i == 0 or not sentence[i - 1].isalnum())):
            closers = ('"', "”") if ch in ('"', "“") else ("’", "'")
            j = i + 1
            while j < len(sentence):
                if sentence[j] in closers and (
                    ch in ('"', "“") or j + 1 >= len(sentence) or not sentence[j + 1].isalnum()
                ):
                    break
                j += 1
            ranges.append((i + 1, j))
            i = j + 1
        else:
            i += 1
    return ranges


def _attribution_tokens(tokens: list[Token], quoted: list[tuple[int, int]]) -> set[int]:
    """Tokens outside the quotes of a quoting sentence that name who said it ("Trump wrote on X").

    Who said a quote is the quote ledger's question, not the sentence's: without this, every
    correctly attributed quote would read as an addition of its speaker's name.
    """
    if not quoted:
        return set()
    outside = [i for i, t in enumerate(tokens) if not any(a <= t.start < b for a, b in quoted)]
    if not any(tokens[i].text.lower() in ATTRIBUTION_VERBS for i in outside):
        return set()
    return {i for i in outside if tokens[i].kind == "name" or tokens[i].text.lower() in ATTRIBUTION_VERBS}


def _matches(key: str, evidence_keys: set[str]) -> bool:
    if key in evidence_keys:
        return True
    # Stems of one family ("china"/"chines", "economi"/"econom") share a long prefix.
    if len(key) >= 4 and not key[:1].isdigit():
        for other in evidence_keys:
            shorter = min(len(key), len(other))
            if shorter >= 4 and not other[:1].isdigit():
                common = len(_common_prefix(key, other))
                if common >= 4 and common >= 0.75 * shorter:
                    return True
    return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _spans(sentence: str, tokens: list[Token], missing: set[int]) -> tuple[Span, ...]:
    """Runs of unbacked content tokens, joined across the function words between them."""
    spans: list[Span] = []
    run: list[int] = []
    for i, token in enumerate(tokens):
        if i in missing:
            run.append(i)
        elif token.is_content and run:
            spans.append(_span(sentence, tokens, run))
            run = []
    if run:
        spans.append(_span(sentence, tokens, run))
    return tuple(spans)


def _span(sentence: str, tokens: list[Token], run: list[int]) -> Span:
    start, end = tokens[run[0]].start, tokens[run[-1]].end
    return Span(sentence[start:end], start, end)


def assess(
    sentence: str,
    candidates: Sequence[Candidate],
    sources: Sequence[SourceText],
    source_keys: set[str],
    settings: Settings,
) -> Assessment:
    """Judge one outlet sentence against its candidate evidence."""
    tokens = tokenize(sentence)
    exempt = _attribution_tokens(tokens, quoted_ranges(sentence))
    content = [i for i, t in enumerate(tokens) if t.is_content and i not in exempt]
    total_weight = sum(tokens[i].weight for i in content)

    ranked = sorted(candidates, key=lambda c: c.rank_score, reverse=True)
    best_semantic = max((c.semantic for c in candidates), default=0.0)
    best_lexical = max((c.lexical for c in candidates), default=0.0)

    # Many-to-one evidence: start from the best-ranked window, then add windows that back content
    # words the evidence so far does not, while they stay similar enough to be about the same thing.
    chosen: list[Candidate] = []
    covered: set[int] = set()
    key_cache = {id(c): content_keys(c.text) for c in ranked}
    pool = list(ranked)
    while pool and len(chosen) < settings.max_evidence:
        def gain(c: Candidate) -> float:
            keys = key_cache[id(c)]
            return sum(tokens[i].weight for i in content if i not in covered and _matches(tokens[i].key, keys))

        if not chosen:
            pick = pool[0]
        else:
            # A window about something else may still be where a merged claim's names come from:
            # it joins when it backs enough of the claim by itself.
            eligible = [
                c for c in pool
                if (g := gain(c)) > 0 and (c.semantic >= settings.evidence_floor or g >= settings.merge_gain)
            ]
            if not eligible:
                break
            pick = max(eligible, key=lambda c: (gain(c), c.rank_score))
        pool.remove(pick)
        # A window that overlaps one already chosen adds its new sentences only through its words.
        chosen.append(pick)
        keys = key_cache[id(pick)]
        covered |= {i for i in content if _matches(tokens[i].key, keys)}

    missing = {i for i in content if i not in covered}
    covered_weight = sum(tokens[i].weight for i in content if i in covered)
    coverage = covered_weight / total_weight if total_weight else 1.0
    missing_names = sum(1 for i in missing if tokens[i].kind in ("name", "number"))
    novel_weight = sum(tokens[i].weight for i in missing if not _matches(tokens[i].key, source_keys))
    novelty = novel_weight / total_weight if total_weight else 0.0

    features = {
        "semantic": best_semantic,
        "lexical": best_lexical,
        "coverage": coverage,
        "missing_names": float(min(missing_names, 3)),
        "novelty": novelty,
    }
    score = support_score(features)

    contradictions = _contradictions(sentence, tokens, content, covered, chosen, sources, settings, best_semantic)
    evidence = tuple(
        Evidence(
            source=sources[c.source].name, index=c.first, last_index=c.last, text=c.text,
            start=c.start, end=c.end, score=max(0.0, min(1.0, c.semantic)),
        )
        for c in chosen
    )
    spans = _spans(sentence, tokens, missing)
    if contradictions:
        verdict = Verdict.CONTRADICTED
        score = min(score, 0.25)  # a typed contradiction outranks any similarity
        first = contradictions[0]
        reason = f'{first.type}: "{first.outlet_text}" vs "{first.source_text}"'
    elif score >= settings.supported_threshold:
        verdict = Verdict.SUPPORTED
        reason = "backed by " + _where(evidence)
        if spans:
            reason += "; unbacked minor words: " + ", ".join(f'"{s.text}"' for s in spans[:3])
    elif coverage >= settings.partial_coverage and best_semantic >= settings.partial_semantic:
        verdict = Verdict.PARTIAL
        reason = "core backed by " + _where(evidence) + "; additions: " + ", ".join(
            f'"{s.text}"' for s in spans[:4]
        ) + (" ..." if len(spans) > 4 else "")
    else:
        verdict = Verdict.UNSUPPORTED
        if not evidence:
            reason = "no source sentences to compare with"
        else:
            reason = (
                f"no source says this (best match {best_semantic:.2f} similar, "
                f"{coverage:.0%} of its content words found)"
            )
    return Assessment(verdict, score, reason, evidence, spans, tuple(contradictions), features)


def _where(evidence: Sequence[Evidence]) -> str:
    parts = []
    for e in evidence[:2]:
        where = f"{e.source} #{e.index + 1}" + (f"-{e.last_index + 1}" if e.last_index != e.index else "")
        parts.append(where)
    return ", ".join(parts)


def _contradictions(
    sentence: str,
    tokens: list[Token],
    content: list[int],
    covered: set[int],
    chosen: Sequence[Candidate],
    sources: Sequence[SourceText],
    settings: Settings,
    best_semantic: float,
) -> list[Contradiction]:
    """A differing number or a flipped negation against the evidence that backs the rest of the claim."""
    if not chosen or best_semantic < settings.contradiction_semantic:
        return []
    found: list[Contradiction] = []
    main = chosen[0]
    source = sources[main.source]
    evidence_tokens = tokenize(main.text)
    claim_numbers = [tokens[i] for i in content if tokens[i].kind == "number"]
    evidence_numbers = [t for t in evidence_tokens if t.kind == "number"]
    claim_values = {t.key for t in claim_numbers}
    other_values = [t for t in evidence_numbers if t.key not in claim_values]
    for i in content:
        token = tokens[i]
        if token.kind == "number" and i not in covered and other_values:
            # Pair the changed number with the evidence number that is not in the claim.
            partner = other_values[0]
            found.append(
                Contradiction(
                    "number", token.text, token.start, token.end, source.name, partner.text,
                    main.start + partner.start, main.start + partner.end,
                )
            )
            break
    claim_neg = [t for t in tokens if t.kind == "negation"]
    evidence_neg = [t for t in evidence_tokens if t.kind == "negation"]
    backed = len(covered) / len(content) if content else 0.0
    if (len(claim_neg) % 2) != (len(evidence_neg) % 2) and backed >= 0.6:
        if claim_neg:
            t = claim_neg[0]
            found.append(
                Contradiction("negation", t.text, t.start, t.end, source.name, "(no negation)",
                              main.start, main.end)
            )
        else:
            t = evidence_neg[0]
            found.append(
                Contradiction("negation", "(no negation)", 0, len(sentence), source.name, t.text,
                              main.start + t.start, main.start + t.end)
            )
    return found
