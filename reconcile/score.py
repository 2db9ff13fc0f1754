"""Score: the probability that an outlet sentence is supported, from its features.

Two ways to be supported. The calibrated logistic model knows close copies: its features reward
words copied in order from one passage. A faithful rewording copies little, so it gets its own
test, the restatement: one passage backs every name and number and nearly every word (WordNet
counting synonyms), and says the same (high similarity). Its score starts at the threshold and
grows with both margins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .features import Features
from .settings import Settings


def support_score(features: Features, weights: Mapping[str, float]) -> float:
    """The calibrated logistic score (weights fitted by benchmarks/calibrate.py)."""
    z = weights.get("bias", 0.0) + sum(weights.get(name, 0.0) * value for name, value in features.to_dict().items())
    return 1.0 / (1.0 + math.exp(-z))


def restatement_score(features: Features, inserted: int, settings: Settings) -> float | None:
    """The score of a sentence that says what one passage says in other words, or None if it does not.

    Every name and number must be backed, and every other word either backed or put in place of a
    word of the passage (inserted == 0): a rewording, not an addition.
    """
    similarity, backing = features.semantic, features.best_window_coverage
    if (
        features.missing_names > 0
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


def score(features: Features, inserted: int, settings: Settings, weights: Mapping[str, float]) -> float:
    """P(supported): the calibrated score, or the restatement's when that is higher."""
    calibrated = support_score(features, weights)
    restated = restatement_score(features, inserted, settings)
    return restated if restated is not None and restated > calibrated else calibrated
