"""Evidence: the windows chosen to back each outlet sentence, and which of its words each backs.

Similarity finds candidate windows (align.py) but cannot judge them; this stage reads what they
contain. Evidence is chosen greedily, many-to-one: the best-ranked window, then windows that back
content words the evidence so far does not. A word is backed literally (its stem family, a number
whatever its separators, the source's speaker naming themself) or in other words (WordNet).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .align import Candidate, SourceText
from .findings import Span
from .lexicon import ATTRIBUTION_VERBS, MEDIUM_PHRASES, Token, TokenKind, content_keys, matches, noun_context, tokenize
from .memo import scoped
from .quotation import quoted_ranges
from .resources import Resources
from .settings import Settings
from .stopping import checkpoint

if TYPE_CHECKING:
    from .wordnet import WordNet


@dataclass(frozen=True)
class ClaimEvidence:
    """One outlet sentence with its candidate windows, the ones chosen, and what each backs."""

    sentence: str
    tokens: tuple[Token, ...]
    exempt: frozenset[int]  # attribution words of a quoting sentence ("Trump wrote"): the quote ledger's
    content: tuple[int, ...]  # the content tokens that must be backed
    ranked: tuple[Candidate, ...]  # every candidate, best-ranked first
    backed_by: tuple[frozenset[int], ...]  # per ranked candidate, the content tokens it backs
    chosen: tuple[Candidate, ...]
    covered: frozenset[int]  # content tokens the chosen evidence backs
    in_other_words: tuple[tuple[int, str], ...]  # token -> the source word that says it (WordNet), any window
    inserted: int  # unbacked content words that replace no word of the best passage (see _insertions)

    @property
    def total_weight(self) -> float:
        return sum(self.tokens[i].weight for i in self.content)

    def rest_backed_by(self, text: str, *, leave_out: Sequence[tuple[int, int]] = ()) -> float:
        """share_backed_by, the heaviest word the text does not back left out: how much of the rest of the
        claim one sentence backs, where that word is the one a negation or an opposite word puts in doubt."""
        content = [i for i in self.content if not any(a <= self.tokens[i].start < b for a, b in leave_out)]
        keys = content_keys(text)
        backed = [self.tokens[i].weight for i in content if matches(self.tokens[i].key, keys)]
        unbacked = [self.tokens[i].weight for i in content if not matches(self.tokens[i].key, keys)]
        total = sum(backed) + sum(unbacked) - max(unbacked, default=0.0)
        return sum(backed) / total if total else 0.0

    def share_backed_by(self, text: str, *, leave_out: Sequence[tuple[int, int]] = ()) -> float:
        """Share of the content weight that one text (an evidence sentence) backs by stem family; 0 without content.

        leave_out: spans of the claim whose words count neither way (its credit: "Osei's office said").
        """
        content = [i for i in self.content if not any(a <= self.tokens[i].start < b for a, b in leave_out)]
        total = sum(self.tokens[i].weight for i in content)
        if not total:
            return 0.0
        keys = content_keys(text)
        return sum(self.tokens[i].weight for i in content if matches(self.tokens[i].key, keys)) / total

    @property
    def backed_count(self) -> int:
        """How many of its content words (the key words the report counts) the chosen evidence backs."""
        return sum(1 for i in self.content if i in self.covered)

    @property
    def missing(self) -> set[int]:
        return {i for i in self.content if i not in self.covered}

    @property
    def missing_names(self) -> int:
        """Unbacked names and numbers."""
        return sum(1 for i in self.missing if self.tokens[i].kind in (TokenKind.NAME, TokenKind.NUMBER))

    @property
    def best_single(self) -> float:
        """Share of the content weight the best single window backs."""
        total = self.total_weight
        if not total:
            return 1.0
        return max((sum(self.tokens[i].weight for i in b) / total for b in self.backed_by), default=0.0)

    @property
    def paraphrased(self) -> tuple[tuple[int, str], ...]:
        """The words backed in other words by the chosen evidence."""
        return tuple(sorted((i, w) for i, w in self.in_other_words if i in self.covered))

    def read_as_source(self) -> tuple[Token, ...]:
        """The claim's tokens with each word said in other words read as the source's word."""
        words = dict(self.in_other_words)
        return tuple(
            dataclasses.replace(t, key=tokenize(words[i])[0].key) if i in words else t
            for i, t in enumerate(self.tokens)
        )

    def unsupported_spans(self) -> tuple[Span, ...]:
        """Runs of unbacked content tokens, joined across the function words between them (sentence offsets)."""
        missing = self.missing
        spans: list[Span] = []
        run: list[int] = []
        for i, token in enumerate(self.tokens):
            if i in missing:
                run.append(i)
            elif token.is_content and run:
                spans.append(self._span(run))
                run = []
        if run:
            spans.append(self._span(run))
        return tuple(spans)

    def _span(self, run: list[int]) -> Span:
        start, end = self.tokens[run[0]].start, self.tokens[run[-1]].end
        return Span(self.sentence[start:end], start, end)


def choose_evidence(
    sentence: str,
    candidates: Sequence[Candidate],
    sources: Sequence[SourceText],
    settings: Settings,
    resources: Resources,
) -> ClaimEvidence:
    """Choose the evidence of one outlet sentence and find which of its words it backs."""
    checkpoint()  # a comparison asked to stop (stopping.py) stops between sentences
    tokens = tokenize(sentence)
    quoted = quoted_ranges(sentence, excerpt=True)
    exempt = _attribution_tokens(tokens, quoted) | _medium_tokens(sentence, tokens)
    content = [i for i, t in enumerate(tokens) if t.is_content and i not in exempt]
    ranked = sorted(candidates, key=lambda c: c.rank_score, reverse=True)

    # Who speaks in a source backs their own name: a post by Trump that says "I spoke" is Trump speaking.
    speakers = [content_keys(source.speaker) if source.speaker else frozenset[str]() for source in sources]
    key_cache = {id(c): content_keys(c.text) | speakers[c.source] for c in ranked}
    # Which content words each candidate backs, worked out once for the greedy choice and the features.
    backed_by = {id(c): {i for i in content if _backs(tokens[i], key_cache[id(c)], c.text)} for c in ranked}
    # A word the evidence says in other words (a synonym, a more specific word, a place inside the
    # named one) is backed too; WordNet says which.
    lexical = resources.wordnet
    # Claim word -> the source word that says it in other words; the extractive features read the
    # claim with the source's word ("activists dumped" for "campaigners emptied") as one copied run.
    paraphrased: dict[int, str] = {}
    if lexical is not None:
        literal = set().union(*backed_by.values())
        # A quotation is checked word for word: its words are never backed in other words.
        unbacked = [
            i
            for i in content
            if i not in literal
            and tokens[i].kind in (TokenKind.WORD, TokenKind.NAME)
            and not any(a <= tokens[i].start < b for a, b in quoted)
        ]
        position = {i: p for p, i in enumerate(content)}
        near = {i: lexical.backed_by(tokens[i].text, tokens[i].kind is TokenKind.NAME) for i in unbacked}
        unbacked = [i for i in unbacked if near[i]]
        claim_nouns = noun_context(sentence)
        for c in ranked if unbacked else ():
            source_tokens = content_tokens(c.text)
            source_nouns = noun_context(c.text)
            senses = _window_senses(c.text, lexical)
            for i in unbacked:
                t = tokens[i]
                # lexical.says below, asked of every word of the window at once: most claim words meet
                # none of its senses, and then no word of it need be asked (3 million calls in 8,000 claims).
                usual, every = senses[t.kind is TokenKind.NAME]
                if not (near[i] & usual or lexical.usual_synsets(t.text, t.start in claim_nouns) & every):
                    continue
                for j, u in enumerate(source_tokens):
                    # A word and its source counterpart are alike in kind and stand among the same
                    # words: WordNet's "founder" may mean "sink", but not where the readout names a founder.
                    if (u.kind is TokenKind.NAME) != (t.kind is TokenKind.NAME) or not lexical.says(
                        t.text,
                        u.text,
                        name=t.kind is TokenKind.NAME,
                        claim_noun=t.start in claim_nouns,
                        source_noun=u.start in source_nouns,
                    ):
                        continue
                    if shared_neighbours(tokens, content, position[i], source_tokens, j):
                        backed_by[id(c)].add(i)
                        paraphrased.setdefault(i, u.text)
                        break

    # Many-to-one evidence: start from the best-ranked window, then add windows that back content
    # words the evidence so far does not, while they stay similar enough to be about the same thing.
    chosen: list[Candidate] = []
    covered: set[int] = set()
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

    evidence = ClaimEvidence(
        sentence=sentence,
        tokens=tokens,
        exempt=frozenset(exempt),
        content=tuple(content),
        ranked=tuple(ranked),
        backed_by=tuple(frozenset(backed_by[id(c)]) for c in ranked),
        chosen=tuple(chosen),
        covered=frozenset(covered),
        in_other_words=tuple(paraphrased.items()),
        inserted=0,
    )
    # Whether unbacked words are added or put in place of the passage's own matters only to the
    # restatement test, and only when one passage backs nearly all of the claim: counted only then.
    best_single = evidence.best_single
    if evidence.missing_names == 0 and settings.restated_backing <= best_single < 1.0:
        best = max(range(len(ranked)), key=lambda k: sum(tokens[i].weight for i in evidence.backed_by[k]))
        inserted = _insertions(tokens, content, set(evidence.backed_by[best]), ranked[best].text, paraphrased)
        evidence = dataclasses.replace(evidence, inserted=inserted)
    return evidence


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
    return {i for i in outside if tokens[i].kind is TokenKind.NAME or tokens[i].text.lower() in ATTRIBUTION_VERBS}


_MEDIUM_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in MEDIUM_PHRASES) + r")\b", re.IGNORECASE)


def _medium_tokens(sentence: str, tokens: Sequence[Token]) -> set[int]:
    """Tokens that say where or how a credited source said it ("wrote on Truth Social", "told reporters").

    The source itself backs them: a post is a post, a readout a statement. Only in a sentence that
    credits someone (an attribution verb), so "reporters" in "reporters were barred" stays a claim word.
    """
    if not any(t.text.lower() in ATTRIBUTION_VERBS for t in tokens):
        return set()
    spans = [m.span() for m in _MEDIUM_RE.finditer(sentence)]
    return {i for i, t in enumerate(tokens) if any(a <= t.start and t.end <= b for a, b in spans)}


@scoped
@scoped
def _window_senses(text: str, lexical: WordNet) -> dict[bool, tuple[frozenset[int], frozenset[int]]]:
    """For name and other content words of a window apart: the union of their usual senses and of all their
    senses, each word read where it stands (lexical.says reads a source word so)."""
    nouns = noun_context(text)
    senses: dict[bool, tuple[set[int], set[int]]] = {True: (set(), set()), False: (set(), set())}
    for u in content_tokens(text):
        usual, every = senses[u.kind is TokenKind.NAME]
        usual |= lexical.usual_synsets(u.text, u.start in nouns)
        every |= lexical.synsets(u.text, u.start in nouns)
    return {name: (frozenset(usual), frozenset(every)) for name, (usual, every) in senses.items()}


def content_tokens(text: str) -> tuple[Token, ...]:
    """The content tokens of a text."""
    return tuple(t for t in tokenize(text) if t.is_content)


def _insertions(
    tokens: Sequence[Token], content: list[int], backed: set[int], text: str, paraphrased: dict[int, str]
) -> int:
    """How many unbacked content words of the claim are added, not put in place of a word of the passage.

    A rewording swaps a word for another in the same slot: the passage then has a word of its own,
    unused by the claim, among the same neighbours ("ex-mayor" for "former mayor"). A word with no
    such counterpart ("arrested at his home" for "arrested") is new information.
    """
    source_tokens = content_tokens(text)
    claim_keys = frozenset(tokens[i].key for i in content) | frozenset(tokenize(w)[0].key for w in paraphrased.values())
    unused = [j for j, u in enumerate(source_tokens) if not matches(u.key, claim_keys)]
    count = 0
    for p, i in enumerate(content):
        if i in backed:
            continue
        if not any(shared_neighbours(tokens, content, p, source_tokens, j) for j in unused):
            count += 1
    return count


def shared_neighbours(
    tokens: Sequence[Token], content: Sequence[int], p: int, source_tokens: Sequence[Token], q: int, reach: int = 3
) -> bool:
    """Whether the content words around claim position p and source position q have one in common."""
    around = {tokens[content[k]].key for k in range(max(0, p - reach), min(len(content), p + reach + 1)) if k != p}
    there = {source_tokens[k].key for k in range(max(0, q - reach), min(len(source_tokens), q + reach + 1)) if k != q}
    return any(matches(key, frozenset(there)) for key in around)


def _backs(token: Token, keys: frozenset[str], text: str) -> bool:
    """Whether evidence (its content keys and text) backs one content token of the claim."""
    if token.kind is TokenKind.NUMBER:
        return token.key in keys or _number_in(token, text)
    return matches(token.key, keys)


def _number_in(token: Token, text: str) -> bool:
    """Whether a number appears in a text whatever its separators ("3,800", "3 800", "3, 800")."""
    digits = re.sub(r"\D", "", token.text)
    if not digits or len(digits) < 2:
        return False
    return digits in _digit_runs(text)


@scoped
def _digit_runs(text: str) -> frozenset[str]:
    """The numbers of a text as digits alone, its separators dropped: read once per text, not once per
    number asked about (a sentence of many numbers against itself was quadratic)."""
    return frozenset(re.findall(r"\d+", re.sub(r"(?<=\d)[\s,.]+(?=\d)", "", text)))


def spanned(candidates: Sequence[Candidate]) -> list[tuple[int, int]]:
    """(source, sentence index) of each sentence the candidate windows span, once each, in order."""
    return list(dict.fromkeys((c.source, k) for c in candidates for k in range(c.first, c.last + 1)))


def _best_sentence(
    evidence: ClaimEvidence, sources: Sequence[SourceText]
) -> tuple[SourceText, int, int, str, float] | None:
    """The single chosen evidence sentence that backs most of the claim: (source, start, end, text, share)."""
    best: tuple[SourceText, int, int, str, float] | None = None
    if not evidence.total_weight:
        return None
    for c in evidence.chosen:
        source = sources[c.source]
        for sent in source.sentences[c.first : c.last + 1]:
            share = evidence.share_backed_by(sent.text)
            if best is None or share > best[4]:
                best = (source, sent.start, sent.end, sent.text, share)
    return best


def focus_span(evidence: ClaimEvidence, sources: Sequence[SourceText]) -> str | None:
    """The stretch of the best-backing source sentence from its first to its last word the claim shares."""
    best = _best_sentence(evidence, sources)
    if best is None:
        return None
    _source, _start, _end, text, _share = best
    claim_keys = frozenset(evidence.tokens[i].key for i in evidence.content)
    hits = [t for t in tokenize(text) if t.is_content and matches(t.key, claim_keys)]
    if len(hits) < 2:
        return None
    span = text[hits[0].start : hits[-1].end]
    return span if len(span) < len(text) else None
