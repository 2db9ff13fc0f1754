"""Roles: who did what to whom, swapped ("Xi congratulated Trump" / "Trump congratulated Xi").

Two names on either side of a verb both sides share, the other way round in the evidence, are a
contradiction, unless the verb is symmetric ("met", "talked with") or one side is passive ("Xi
was congratulated by Trump").
"""

from __future__ import annotations

from collections.abc import Sequence

from ..findings import Finding, FindingKind, FindingType, ProblemKind, Severity, declare_finding
from ..lexicon import TokenKind, stem
from ..settings import Settings
from ..wordlists import entries
from .context import CONTRADICTION, Side, clause_break, has_key, same_key, side_of
from .names import name_phrases

# Verbs whose subject and object can trade places without changing the fact (data/lexicon/symmetric.txt).
_SYMMETRIC = frozenset(stem(w) for w in entries("symmetric"))


ROLES_SWAPPED = "roles swapped"  # the detail of a role finding


def _passive(side: Side, a_end: int, b_start: int) -> bool:
    """ "A was congratulated by B": a form of "be" after the first name and "by" just before the second."""
    between = [t.text.lower() for t in side.tokens[a_end + 1 : b_start]]
    be = ("was", "were", "is", "are", "been", "being", "be")
    return bool(between) and between[-1] == "by" and any(w in be for w in between)


_DEFAULTS = Settings()  # the measured defaults, for callers outside a comparison


def role_findings(claim: str, evidence: Sequence[str], *, reach: int = _DEFAULTS.role_reach) -> list[Finding]:
    """Two names on either side of a shared verb that the evidence has the other way round.

    reach: most tokens between the two names (Settings.role_reach).
    """
    c_side = side_of(claim)
    out: list[Finding] = []
    for k, text in enumerate(evidence):
        e_side = side_of(text)
        known = {t.key for s in (e_side, c_side) for t in s.tokens if t.kind is TokenKind.NAME}
        cp, ep = name_phrases(c_side, known), name_phrases(e_side, known)

        def same(a: tuple[int, int, set[str], set[int]], b: tuple[int, int, set[str], set[int]]) -> bool:
            return any(has_key(x, b[2]) for x in a[2]) or bool(a[3] & b[3])

        for x in range(len(cp)):
            for y in range(x + 1, len(cp)):
                a, b = cp[x], cp[y]
                if same(a, b) or b[0] - a[1] > reach:
                    continue
                verbs = [
                    t for t in c_side.tokens[a[1] + 1 : b[0]] if t.kind is TokenKind.WORD and t.key not in _SYMMETRIC
                ]
                if not verbs or clause_break(claim[c_side.tokens[a[1]].end : c_side.tokens[b[0]].start]):
                    continue
                for p in range(len(ep)):
                    for q in range(p + 1, len(ep)):
                        e1, e2 = ep[p], ep[q]
                        if not (same(e1, b) and same(e2, a)) or e2[0] - e1[1] > reach:
                            continue
                        between = [t for t in e_side.tokens[e1[1] + 1 : e2[0]] if t.kind is TokenKind.WORD]
                        if any(t.key in _SYMMETRIC for t in between):
                            continue
                        # The two names stand in one clause in the evidence too, or they fill no roles of one verb.
                        if clause_break(text[e_side.tokens[e1[1]].end : e_side.tokens[e2[0]].start]):
                            continue
                        if not any(same_key(v.key, t.key) for v in verbs for t in between):
                            continue
                        if _passive(c_side, a[1], b[0]) != _passive(e_side, e1[1], e2[0]):
                            continue  # "A congratulated B" = "B was congratulated by A"
                        cs, ce = c_side.tokens[a[0]].start, c_side.tokens[b[1]].end
                        es, ee = e_side.tokens[e1[0]].start, e_side.tokens[e2[1]].end
                        out.append(
                            Finding(
                                FindingType.ROLE,
                                CONTRADICTION,
                                claim[cs:ce],
                                cs,
                                ce,
                                k,
                                text[es:ee],
                                es,
                                ee,
                                ROLES_SWAPPED,
                            )
                        )
                        return out
    return out


# What this check's findings are, read by triage, the verdict and so every renderer (findings.FindingKind).
SWAPPED_ROLES = ProblemKind.declare("swapped roles", Severity.ERROR, "sentences with swapped roles", rank=90)
declare_finding(FindingKind(FindingType.ROLE, slot="roles", contradiction=SWAPPED_ROLES))
declare_finding(FindingKind(FindingType.ROLE, ROLES_SWAPPED, detail_in_reason=True, detail_in_problem=True))
