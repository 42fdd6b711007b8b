"""Averaging the intent rankings of several classifiers trained alike with different seeds.

One small DIET trained on a few thousand messages is noisy: two seeds disagree on up to 4 points
of one intent's F1 on the same held-out set. The mean of a few seeds' confidences is steadier and,
on our held-out sets, more often right than any one of them (config.yml, addons/ensemble.py).
Plain code, no Rasa: the Rasa component calls it once per message and member.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Ranking = Sequence[Mapping[str, Any]]


def add_vote(so_far: Ranking, votes: int, own: Ranking) -> list[dict[str, Any]]:
    """The mean of `votes` classifiers' confidences (`so_far`) and one more (`own`), best first.

    An intent missing from a ranking counts as confidence 0 there.
    """
    total: dict[str, float] = {}
    for entry in so_far:
        total[str(entry["name"])] = float(entry["confidence"]) * votes
    for entry in own:
        name = str(entry["name"])
        total[name] = total.get(name, 0.0) + float(entry["confidence"])
    mean = ((name, value / (votes + 1)) for name, value in total.items())
    return [
        {"name": name, "confidence": confidence}
        for name, confidence in sorted(mean, key=lambda pair: (-pair[1], pair[0]))
    ]
