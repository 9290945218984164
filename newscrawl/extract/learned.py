"""Metadata candidates scored by fitted weights instead of hand-set source weights.

`reconcile.py` turns a page's signals into candidates (one per distinct title, one per
calendar day) and describes each by a few features: which sources state it, how many agree,
its length, whether it is the earliest date, and so on (`title_features`, `date_features`).
A model is one weight per feature and field; a candidate's score is the weighted sum, and the
highest score wins (a conditional logit, fitted offline by `bench/fit_metadata.py` with a
grouped-by-site cross-validation that decides whether it ships at all).

The shipped weights live in `metadata_model.json` beside this module. A field the file does
not name is chosen by the hand-set vote in `reconcile.py`: only fields where the fitted
weights beat the vote on held-out sites are written there. Scoring is a dict dot product; no
numeric library is needed at run time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("metadata_model.json")


@dataclass(frozen=True)
class MetadataModel:
    """Per field ('title', 'date'), a weight per feature name. An absent field means the
    hand-set vote chooses it; `MetadataModel()` is the hand-set vote for every field."""

    weights: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def for_field(self, name: str) -> Mapping[str, float] | None:
        return self.weights.get(name) or None

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> MetadataModel:
        """The model in `path`; the hand-set vote (with a warning) if it is missing or bad."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = {name: {str(k): float(v) for k, v in spec["weights"].items()}
                       for name, spec in data["fields"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            logger.warning("metadata model %s unreadable (%s); using hand-set weights", path, exc)
            return cls()
        return cls(weights)


HAND_SET = MetadataModel()


@cache
def shipped_model() -> MetadataModel:
    """The model shipped with the package (read once)."""
    return MetadataModel.load()


def score(weights: Mapping[str, float], features: Mapping[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in features.items())


def best(weights: Mapping[str, float], candidates: list[tuple[str, dict[str, float]]],
         ) -> tuple[str, float] | None:
    """(key, margin over the runner-up) of the best-scoring candidate; None when there is
    none. Ties go to the earlier candidate (the caller lists them in source order)."""
    if not candidates:
        return None
    scored = [(score(weights, feats), -i, key) for i, (key, feats) in enumerate(candidates)]
    scored.sort(reverse=True)
    margin = scored[0][0] - scored[1][0] if len(scored) > 1 else float("inf")
    return scored[0][2], margin
