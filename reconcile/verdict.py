"""Evidence + checks -> verdict, score, reason and the unsupported words of each outlet sentence.

Similarity finds the evidence but cannot judge it (contradictions score as high as paraphrases), so
the verdict rests on what the evidence actually contains: which content words, names and numbers of
the outlet sentence it backs, and whether a number or a negation differs.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .align import Candidate, SourceText
from .checks.quotes import QuoteCheck, QuoteStatus
from .lexicon import Token, content_keys, tokenize
from .report import Contradiction, Evidence, Paraphrase, Span, Verdict
from .settings import Settings
from .wordnet import wordnet

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
    paraphrases: tuple[Paraphrase, ...] = ()  # outlet offsets into the sentence


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


def restatement_score(features: dict[str, float], inserted: int, settings: Settings) -> float | None:
    """The score of a sentence that says what one passage says in other words, or None if it does not.

    Every name and number must be backed, and every other word either backed or put in place of a
    word of the passage (inserted == 0): a rewording, not an addition.
    """
    similarity, backing = features["semantic"], features["best_window_coverage"]
    if (
        features["missing_names"] > 0
        or inserted > 0
        or similarity < settings.restated_similarity
        or backing < settings.restated_backing
    ):
        return None
    margin = min(
        (similarity - settings.restated_similarity) / max(1e-9, 1 - settings.restated_similarity),
        (backing - settings.restated_backing) / max(1e-9, 1 - settings.restated_backing),
    )
    return settings.supported_threshold + (1 - settings.supported_threshold) * min(1.0, margin)


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


def _attribution_tokens(tokens: Sequence[Token], quoted: list[tuple[int, int]]) -> set[int]:
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


@lru_cache(maxsize=4096)
def _content_tokens(text: str) -> tuple[Token, ...]:
    return tuple(t for t in tokenize(text) if t.is_content)


def _insertions(
    tokens: Sequence[Token], content: list[int], backed: set[int], text: str, paraphrased: dict[int, str]
) -> int:
    """How many unbacked content words of the claim are added, not put in place of a word of the passage.

    A rewording swaps a word for another in the same slot: the passage then has a word of its own,
    unused by the claim, among the same neighbours ("ex-mayor" for "former mayor"). A word with no
    such counterpart ("arrested at his home" for "arrested") is new information.
    """
    source_tokens = _content_tokens(text)
    claim_keys = frozenset(tokens[i].key for i in content) | frozenset(tokenize(w)[0].key for w in paraphrased.values())
    unused = [j for j, u in enumerate(source_tokens) if not _matches(u.key, claim_keys)]
    count = 0
    for p, i in enumerate(content):
        if i in backed:
            continue
        if not any(_shared_neighbours(tokens, content, p, source_tokens, j) for j in unused):
            count += 1
    return count


def _shared_neighbours(
    tokens: Sequence[Token], content: list[int], p: int, source_tokens: Sequence[Token], q: int, reach: int = 3
) -> bool:
    """Whether the content words around claim position p and source position q have one in common."""
    around = {tokens[content[k]].key for k in range(max(0, p - reach), min(len(content), p + reach + 1)) if k != p}
    there = {source_tokens[k].key for k in range(max(0, q - reach), min(len(source_tokens), q + reach + 1)) if k != q}
    return any(_matches(key, frozenset(there)) for key in around)


def _backs(token: Token, keys: frozenset[str], text: str) -> bool:
    """Whether evidence (its content keys and text) backs one content token of the claim."""
    if token.kind == "number":
        return token.key in keys or _number_in(token, text)
    return _matches(token.key, keys)


def _spanned(candidates: Sequence[Candidate]) -> list[tuple[int, int]]:
    """(source, sentence index) of each sentence the candidate windows span, once each, in order."""
    return list(dict.fromkeys((c.source, k) for c in candidates for k in range(c.first, c.last + 1)))


def _pair_locality(
    tokens: Sequence[Token],
    content: list[int],
    candidates: Sequence[Candidate],
    sources: Sequence[SourceText],
    *,
    reach: int = 4,
) -> float:
    """Share of neighbouring content-word pairs of the claim that stand near each other in one source sentence."""
    pairs = list(zip(content, content[1:], strict=False))
    if not pairs:
        return 1.0
    positions: list[dict[str, list[int]]] = []
    for source, k in _spanned(candidates):
        where: dict[str, list[int]] = {}
        for pos, t in enumerate(t for t in tokenize(sources[source].sentences[k].text) if t.is_content):
            where.setdefault(t.key, []).append(pos)
        positions.append(where)

    def near(a: Token, b: Token) -> bool:
        for where in positions:
            pa = [p for key, ps in where.items() if key == a.key or _same_family(a.key, key) for p in ps]
            pb = [p for key, ps in where.items() if key == b.key or _same_family(b.key, key) for p in ps]
            if any(abs(x - y) <= reach for x in pa for y in pb):
                return True
        return False

    return sum(1 for a, b in pairs if near(tokens[a], tokens[b])) / len(pairs)


def _focus_span(
    tokens: Sequence[Token], content: list[int], chosen: Sequence[Candidate], sources: Sequence[SourceText]
) -> str | None:
    """The stretch of the best-backing source sentence from its first to its last word the claim shares."""
    best = _best_sentence(tokens, content, chosen, sources)
    if best is None:
        return None
    _source, _start, _end, text, _share = best
    claim_keys = frozenset(tokens[i].key for i in content)
    hits = [t for t in tokenize(text) if t.is_content and _matches(t.key, claim_keys)]
    if len(hits) < 2:
        return None
    span = text[hits[0].start : hits[-1].end]
    return span if len(span) < len(text) else None


def _extractive_fit(
    tokens: Sequence[Token],
    content: list[int],
    candidates: Sequence[Candidate],
    sources: Sequence[SourceText],
    exempt: set[int],
) -> tuple[float, float]:
    """How much of the claim reads, in order, like one passage of a source.

    in_order: the longest common subsequence of content words with one candidate window, as a share
    of the claim's content words. fragment_density: Grusky et al.'s extractive density (mean squared
    length of the copied fragments, over the claim's words) against those windows' sentences,
    scaled to [0, 1] by the claim's length: a stitched claim is made of short, scattered copies.
    """
    claim_seq = [tokens[i].key for i in content]
    words = [t.key for i, t in enumerate(tokens) if i not in exempt]
    best_lcs = 0
    sentence_seqs: list[list[str]] = []
    seen: set[tuple[int, int]] = set()
    for c in candidates:
        window_seq: list[str] = []
        for k in range(c.first, c.last + 1):
            toks = tokenize(sources[c.source].sentences[k].text)
            window_seq.extend(t.key for t in toks if t.is_content)
            if (c.source, k) not in seen:
                seen.add((c.source, k))
                sentence_seqs.append([t.key for t in toks])
        best_lcs = max(best_lcs, _lcs(claim_seq, window_seq))
    in_order = best_lcs / len(claim_seq) if claim_seq else 1.0
    # Greedy longest fragments, as in Grusky et al. (2018), over all words of the claim.
    # Only positions where the claim's word occurs can start a fragment: index them once.
    starts: dict[str, list[tuple[int, int]]] = {}
    for s_index, seq in enumerate(sentence_seqs):
        for j, word in enumerate(seq):
            starts.setdefault(word, []).append((s_index, j))
    i, squares = 0, 0
    while i < len(words):
        longest = 0
        for s_index, j in starts.get(words[i], ()):
            seq = sentence_seqs[s_index]
            n = 0
            while i + n < len(words) and j + n < len(seq) and words[i + n] == seq[j + n]:
                n += 1
            longest = max(longest, n)
        squares += longest * longest
        i += max(longest, 1)
    density = squares / (len(words) ** 2) if words else 1.0
    return in_order, density


def _lcs(a: list[str], b: list[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _matches(key: str, evidence_keys: frozenset[str]) -> bool:
    if key in evidence_keys:
        return True
    if len(key) < 4 or key[:1].isdigit():
        return False
    return any(_same_family(key, other) for other in _by_prefix(evidence_keys).get(key[:4], ()))


@lru_cache(maxsize=4096)
def _by_prefix(keys: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Keys grouped by their first four letters: only keys that share those can be of one family."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        if len(key) >= 4 and not key[:1].isdigit():
            groups.setdefault(key[:4], []).append(key)
    return {prefix: tuple(members) for prefix, members in groups.items()}


@lru_cache(maxsize=200_000)
def _same_family(a: str, b: str) -> bool:
    """Stems of one family ("china"/"chines", "economi"/"econom") share a long prefix."""
    if a[:1].isdigit() or b[:1].isdigit():
        return False
    common = len(_common_prefix(a, b))
    return common >= 4 and common >= 0.75 * min(len(a), len(b))


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _spans(sentence: str, tokens: Sequence[Token], missing: set[int]) -> tuple[Span, ...]:
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


def _span(sentence: str, tokens: Sequence[Token], run: list[int]) -> Span:
    start, end = tokens[run[0]].start, tokens[run[-1]].end
    return Span(sentence[start:end], start, end)


@dataclass(frozen=True)
class Prepared:
    """What the checks found for one sentence before the focus similarity is known."""

    sentence: str
    tokens: Sequence[Token]
    content: list[int]
    covered: frozenset[int]
    chosen: tuple[Candidate, ...]
    features: dict[str, float]
    focus: str | None  # the stretch of source text the claim's words come from, to embed
    paraphrased: tuple[tuple[int, str], ...] = ()  # claim token -> the source word that says it (WordNet)
    inserted: int = 0  # content words the best passage does not back and that replace none of its words


def prepare(
    sentence: str,
    candidates: Sequence[Candidate],
    sources: Sequence[SourceText],
    source_keys: frozenset[str],
    settings: Settings,
) -> Prepared:
    """Choose the evidence of one outlet sentence and measure how far it backs the sentence."""
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
    # Who speaks in a source backs their own name: a post by Trump that says "I spoke" is Trump speaking.
    speakers = [content_keys(source.speaker) if source.speaker else frozenset[str]() for source in sources]
    key_cache = {id(c): content_keys(c.text) | speakers[c.source] for c in ranked}
    # Which content words each candidate backs, worked out once for the greedy choice and the features.
    backed_by = {id(c): {i for i in content if _backs(tokens[i], key_cache[id(c)], c.text)} for c in ranked}
    # A word the evidence says in other words (a synonym, a more specific word, a place inside the
    # named one) is backed too; WordNet says which.
    lexical = wordnet()
    # Claim word -> the source word that says it in other words; the extractive features read the
    # claim with the source's word ("activists dumped" for "campaigners emptied") as one copied run.
    paraphrased: dict[int, str] = {}
    if lexical is not None:
        literal = set().union(*backed_by.values())
        unbacked = [i for i in content if i not in literal and tokens[i].kind in ("word", "name")]
        position = {i: p for p, i in enumerate(content)}
        near = {i: lexical.backed_by(tokens[i].text, tokens[i].kind == "name") for i in unbacked}
        unbacked = [i for i in unbacked if near[i]]
        for c in ranked if unbacked else ():
            source_tokens = _content_tokens(c.text)
            for i in unbacked:
                t = tokens[i]
                for j, u in enumerate(source_tokens):
                    # A word and its source counterpart are alike in kind and stand among the same
                    # words: WordNet's "founder" may mean "sink", but not where the readout names a founder.
                    if (u.kind == "name") != (t.kind == "name") or not (near[i] & lexical.synsets(u.text)):
                        continue
                    if _shared_neighbours(tokens, content, position[i], source_tokens, j):
                        backed_by[id(c)].add(i)
                        paraphrased.setdefault(i, u.text)
                        break
    pool = list(ranked)
    while pool and len(chosen) < settings.max_evidence:
        gains = {id(c): sum(tokens[i].weight for i in backed_by[id(c)] - covered) for c in pool}
        if not chosen:
            pick = pool[0]
        else:
            # A window about something else may still be where a merged claim's names come from:
            # it joins when it backs enough of the claim by itself.
            eligible = [
                c
                for c in pool
                if gains[id(c)] > 0 and (c.semantic >= settings.evidence_floor or gains[id(c)] >= settings.merge_gain)
            ]
            if not eligible:
                break
            pick = max(eligible, key=lambda c: (gains[id(c)], c.rank_score))
        pool.remove(pick)
        chosen.append(pick)
        covered |= backed_by[id(pick)]

    missing = {i for i in content if i not in covered}
    covered_weight = sum(tokens[i].weight for i in content if i in covered)
    coverage = covered_weight / total_weight if total_weight else 1.0
    missing_names = sum(1 for i in missing if tokens[i].kind in ("name", "number"))
    novel_weight = sum(tokens[i].weight for i in missing if not _matches(tokens[i].key, source_keys))
    novelty = novel_weight / total_weight if total_weight else 0.0

    # A faithful sentence usually rests on one passage; a claim stitched from words scattered over
    # the source (the typical summariser error) is backed as a whole but not by any one window, and
    # its neighbouring words do not stand near each other in any source sentence.
    best_single = (
        max((sum(tokens[i].weight for i in b) / total_weight for b in backed_by.values()), default=0.0)
        if total_weight
        else 1.0
    )
    # Whether unbacked words are added or put in place of the passage's own matters only to the
    # restatement test, and only when one passage backs nearly all of the claim: counted only then.
    inserted = 0
    if missing_names == 0 and settings.restated_backing <= best_single < 1.0:
        best_window = max(ranked, key=lambda c: sum(tokens[i].weight for i in backed_by[id(c)]))
        inserted = _insertions(tokens, content, backed_by[id(best_window)], best_window.text, paraphrased)
    read_as = [
        dataclasses.replace(t, key=tokenize(paraphrased[i])[0].key) if i in paraphrased else t
        for i, t in enumerate(tokens)
    ]
    pair_cov = _pair_locality(read_as, content, ranked, sources)
    in_order, density = _extractive_fit(read_as, content, ranked, sources, exempt)

    features = {
        "semantic": best_semantic,
        "lexical": best_lexical,
        "coverage": coverage,
        "best_window_coverage": best_single,
        "pair_coverage": pair_cov,
        "in_order": in_order,
        "fragment_density": density,
        "missing_names": float(min(missing_names, 3)),
        "novelty": novelty,
    }
    return Prepared(
        sentence,
        tokens,
        content,
        frozenset(covered),
        tuple(chosen),
        features,
        _focus_span(tokens, content, chosen, sources),
        tuple(sorted((i, w) for i, w in paraphrased.items() if i in covered)),
        inserted,
    )


def finish(
    prepared: Prepared, focus_similarity: float | None, sources: Sequence[SourceText], settings: Settings
) -> Assessment:
    """Score and verdict of a prepared sentence.

    focus_similarity is the cosine of the claim with just the stretch of the source sentence its
    words come from: a one-clause summary of a long sentence is only loosely similar to all of it.
    """
    sentence, tokens, content, chosen = prepared.sentence, prepared.tokens, prepared.content, prepared.chosen
    covered = set(prepared.covered)
    missing = {i for i in content if i not in covered}
    features = dict(prepared.features)
    if focus_similarity is not None:
        features["semantic"] = max(features["semantic"], focus_similarity)
    best_semantic, coverage = features["semantic"], features["coverage"]
    # Two ways to be supported. The calibrated score knows close copies: its features reward words
    # copied in order from one passage. A faithful rewording copies little, so it gets its own test:
    # one passage backs every name and number and nearly every word (WordNet counting synonyms), and
    # says the same (high similarity). Its score starts at the threshold and grows with both margins.
    score = support_score(features)
    restated = restatement_score(features, prepared.inserted, settings)
    if restated is not None and restated > score:
        score = restated

    contradictions = _contradictions(sentence, tokens, content, covered, chosen, sources, settings, best_semantic)
    evidence = tuple(
        Evidence(
            source=sources[c.source].name,
            index=c.first,
            last_index=c.last,
            text=c.text,
            start=c.start,
            end=c.end,
            score=max(0.0, min(1.0, c.semantic)),
        )
        for c in chosen
    )
    spans = _spans(sentence, tokens, missing)
    hard = [c for c in contradictions if c.severity == "contradiction"]
    if hard:
        verdict = Verdict.CONTRADICTED
        score = min(score, 0.25)  # a typed contradiction outranks any similarity
        reason = _finding_reason(hard[0])
    elif score >= settings.supported_threshold:
        verdict = Verdict.SUPPORTED
        reason = "backed by " + _where(evidence) + _in_other_words(prepared)
        if spans:
            reason += "; unbacked minor words: " + ", ".join(f'"{s.text}"' for s in spans[:3])
    elif coverage >= settings.partial_coverage and best_semantic >= settings.partial_semantic:
        verdict = Verdict.PARTIAL
        reason = (
            "core backed by "
            + _where(evidence)
            + _in_other_words(prepared)
            + "; additions: "
            + ", ".join(f'"{s.text}"' for s in spans[:4])
            + (" ..." if len(spans) > 4 else "")
        )
    else:
        verdict = Verdict.UNSUPPORTED
        if not evidence:
            reason = "no source sentences to compare with"
        else:
            reason = (
                f"no source says this (best match {best_semantic:.2f} similar, "
                f"{coverage:.0%} of its content words found)"
            )
    if contradictions and not hard:
        # A difference (a strengthened claim, a name in no source) never leaves a sentence supported.
        if verdict is Verdict.SUPPORTED:
            verdict = Verdict.PARTIAL
            score = min(score, settings.supported_threshold - 0.01)
        reason = _finding_reason(contradictions[0]) + "; " + reason
    paraphrases = tuple(
        Paraphrase(tokens[i].text, tokens[i].start, tokens[i].end, word) for i, word in prepared.paraphrased
    )
    return Assessment(verdict, score, reason, evidence, spans, tuple(contradictions), features, paraphrases)


def _in_other_words(prepared: Prepared) -> str:
    pairs = [f'"{prepared.tokens[i].text}" for "{word}"' for i, word in prepared.paraphrased[:3]]
    return ("; in other words: " + ", ".join(pairs)) if pairs else ""


def _where(evidence: Sequence[Evidence]) -> str:
    parts = []
    for e in evidence[:2]:
        where = f"{e.source} #{e.index + 1}" + (f"-{e.last_index + 1}" if e.last_index != e.index else "")
        parts.append(where)
    return ", ".join(parts)


def _best_sentence(
    tokens: Sequence[Token], content: list[int], chosen: Sequence[Candidate], sources: Sequence[SourceText]
) -> tuple[SourceText, int, int, str, float] | None:
    """The single evidence sentence that backs most of the claim: (source, start, end, text, share)."""
    best: tuple[SourceText, int, int, str, float] | None = None
    total = sum(tokens[i].weight for i in content)
    if not total:
        return None
    for c in chosen:
        source = sources[c.source]
        for sent in source.sentences[c.first : c.last + 1]:
            keys = content_keys(sent.text)
            share = sum(tokens[i].weight for i in content if _matches(tokens[i].key, keys)) / total
            if best is None or share > best[4]:
                best = (source, sent.start, sent.end, sent.text, share)
    return best


def _number_in(token: Token, text: str) -> bool:
    """Whether a number appears in a text whatever its separators ("3,800", "3 800", "3, 800")."""
    digits = re.sub(r"\D", "", token.text)
    if not digits or len(digits) < 2:
        return False
    flattened = re.sub(r"(?<=\d)[\s,.]+(?=\d)", "", text)
    return re.search(rf"(?<!\d){digits}(?!\d)", flattened) is not None


def _contradictions(
    sentence: str,
    tokens: Sequence[Token],
    content: list[int],
    covered: set[int],
    chosen: Sequence[Candidate],
    sources: Sequence[SourceText],
    settings: Settings,
    best_semantic: float,
) -> list[Contradiction]:
    """Typed findings of the slot checks (checks/slots.py) against the chosen evidence sentences.

    A differing slot is only a contradiction when the sentence that backs most of the claim backs
    enough of it: otherwise a number or a "not" elsewhere in it belongs to another statement, and
    the claim is unsupported rather than contradicted. A name that no source has at all is a
    difference whatever the evidence.
    """
    from .checks.slots import CONTRADICTION, check_slots

    total = sum(tokens[i].weight for i in content)
    sentences: list[tuple[SourceText, int, str, float]] = []  # source, start, text, share of the claim
    around: list[str] = []  # each evidence sentence with its neighbours, where a cut number is whole
    for origin, k in _spanned(chosen):
        source_sentences = sources[origin].sentences
        sent = source_sentences[k]
        before, after = source_sentences[max(0, k - 1)], source_sentences[min(len(source_sentences) - 1, k + 1)]
        around.append(sources[origin].text[before.start : after.end])
        keys = content_keys(sent.text)
        share = sum(tokens[i].weight for i in content if _matches(tokens[i].key, keys)) / total if total else 0.0
        sentences.append((sources[origin], sent.start, sent.text, share))
    best = max(range(len(sentences)), key=lambda k: sentences[k][3], default=0)
    share = sentences[best][3] if sentences else 0.0
    similar = bool(chosen) and best_semantic >= settings.contradiction_semantic
    findings = check_slots(
        sentence,
        [text for _, _, text, _ in sentences],
        best=best,
        values=similar and share >= settings.contradiction_share,
        aligned=similar and share >= settings.slot_share,
        polarity=similar and share >= settings.negation_share,
        in_sources=_name_finder(sources),
        context=around,
    )
    found: list[Contradiction] = []
    for f in findings:
        if f.evidence_index >= 0:
            source, start, _, _ = sentences[f.evidence_index]
            name, s_start, s_end = source.name, start + f.evidence_start, start + f.evidence_end
        else:
            name, s_start, s_end = "", 0, 0
        found.append(
            Contradiction(
                f.type,
                f.claim_text,
                f.claim_start,
                f.claim_end,
                name,
                f.evidence_text,
                s_start,
                s_end,
                severity="contradiction" if f.severity == CONTRADICTION else "difference",
                detail=f.detail,
            )
        )
    return found


def _name_finder(sources: Sequence[SourceText]) -> Callable[[str], bool]:
    """Whether a name occurs anywhere in the sources (their texts, names and speakers)."""
    from .checks.slots import name_index

    indexes = [name_index(s.text + "\n" + s.name + "\n" + (s.speaker or "")) for s in sources]
    return lambda name: any(index(name) for index in indexes)


def _finding_reason(c: Contradiction) -> str:
    if c.severity == "contradiction" or c.source:
        text = f'{c.type}: "{c.outlet_text}" vs "{c.source_text}"'
        return text + (f" ({c.detail})" if c.detail in ("strengthened", "weakened", "roles swapped") else "")
    return f'{c.type}: "{c.outlet_text}" ({c.detail})'


FAITHFUL_QUOTES = frozenset({QuoteStatus.VERBATIM, QuoteStatus.TRIMMED})


def apply_quotes(
    judged: Assessment, quotes: Sequence[QuoteCheck], sentence_start: int, settings: Settings
) -> Assessment:
    """Let the quote ledger bear on a sentence's verdict.

    A sentence whose quotation is altered, spliced, paraphrased, not found or misattributed is never
    supported. A faithful quotation (verbatim or trimmed) is backed by definition: its words are not
    additions, and a sentence built around one has a supported core, so it is at least partial.
    """
    if not quotes:
        return judged
    faithful = [q for q in quotes if q.status in FAITHFUL_QUOTES]
    failing = [q for q in quotes if q.status not in FAITHFUL_QUOTES]
    ranges = [(q.start - sentence_start, q.end - sentence_start) for q in faithful]
    spans = tuple(s for s in judged.unsupported_spans if not any(a <= s.start and s.end <= b for a, b in ranges))
    verdict, score, reason = judged.verdict, judged.score, judged.reason
    if failing and verdict is Verdict.SUPPORTED:
        verdict = Verdict.PARTIAL
        score = min(score, settings.supported_threshold - 0.01)
        reason = f"quote {failing[0].reason}"
    elif faithful and verdict is Verdict.UNSUPPORTED and any(len(q.text.split()) >= 2 for q in faithful):
        verdict = Verdict.PARTIAL
        reason = f"the quotation is {faithful[0].status.value} in {faithful[0].source}; the rest is not backed" + (
            ": " + ", ".join(f'"{s.text}"' for s in spans[:4]) if spans else ""
        )
    elif failing and verdict is not Verdict.CONTRADICTED:
        reason += f"; quote {failing[0].reason}"
    return dataclasses.replace(judged, verdict=verdict, score=score, reason=reason, unsupported_spans=spans)
