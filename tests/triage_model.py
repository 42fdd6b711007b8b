"""A triage model for tests: models/triage when `make train` built it, else one trained once per
test session on a slice of data/triage into a temporary folder (a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.triage.dataset import load_labelled
from bot.triage.model import (
    DEFAULT_MODEL_DIR,
    HAZARD_DIR,
    train_hazard_pipeline,
    train_pipeline,
)

DATA = PROJECT_ROOT / "data" / "triage" / "complaints.yml"
PER_CATEGORY = 30

_trained: dict[str, Path] = {}


def slice_of_training_data(per_category: int = PER_CATEGORY) -> list[tuple[str, str]]:
    taken: dict[str, int] = {}
    pairs = []
    for item in load_labelled(DATA):
        if taken.get(item.category, 0) < per_category:
            taken[item.category] = taken.get(item.category, 0) + 1
            pairs.append((item.text, item.category))
    return pairs


def triage_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if (DEFAULT_MODEL_DIR / "meta.json").is_file():
        return DEFAULT_MODEL_DIR
    if "dir" not in _trained:
        out = tmp_path_factory.mktemp("triage-model")
        nlp, _report = train_pipeline(slice_of_training_data())
        nlp.to_disk(out)
        hazards = [(item.text, item.priority == "P1") for item in load_labelled(DATA)]
        train_hazard_pipeline(hazards).to_disk(out / HAZARD_DIR)
        _trained["dir"] = out
    return _trained["dir"]
