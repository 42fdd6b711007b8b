"""The spaCy triage pipeline: a `zh` pipeline on the jieba segmenter plus a trained `textcat`.

The jieba dictionary is process-wide: the shop's user dictionary and every triage word list
entry are added once per process (prepare_segmenter) before any text is segmented, in training
and at run time alike, so both see the same tokens.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import jieba
import spacy
from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.training import Example
from thinc.api import fix_random_seed

import bot.triage.features as features
from bot.text import normalize
from bot.triage.dataset import CATEGORIES
from bot.triage.signals import load_lexicon

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_DIR = PROJECT_ROOT / "models" / "triage"
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"

# Words and character 1-2-grams in one sparse linear layer (bot/triage/features.py):
# on a few hundred labelled texts it beats spaCy's word-only BOW and its CNN ensemble.
TEXTCAT_MODEL: dict[str, Any] = {
    "@architectures": features.ARCHITECTURE,
    "word_ngrams": 1,
    "char_ngrams": 2,
    "length": 65536,
}


BATCH_SIZE = 16


class ModelMissing(FileNotFoundError):
    """No trained triage model where one was expected: run `make train`."""


@dataclass(frozen=True)
class TrainingReport:
    seconds: float
    examples: int
    epochs: int


@lru_cache(maxsize=4)
def prepare_segmenter(knowledge_dir: Path) -> None:
    """Loads the jieba user dictionary and keeps every triage phrase whole. Once per process."""
    userdict = knowledge_dir / "jieba" / "userdict.txt"
    if userdict.is_file():
        jieba.load_userdict(str(userdict))
    for word in load_lexicon(knowledge_dir / "triage.yml").dictionary_words():
        jieba.add_word(word)


def blank_pipeline(knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR) -> Language:
    prepare_segmenter(knowledge_dir)
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def prepare_text(text: str) -> str:
    """What the pipeline reads: the shared normaliser (same length, so offsets still match)."""
    return normalize(text)


def train_pipeline(
    items: Sequence[tuple[str, str]],
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR,
    *,
    epochs: int = 15,
    seed: int = 0,
    dropout: float = 0.2,
) -> tuple[Language, TrainingReport]:
    """A pipeline trained on (text, category) pairs; the same data and seed give the same model."""
    started = time.perf_counter()
    fix_random_seed(seed)
    nlp = blank_pipeline(knowledge_dir)
    textcat = cast(TextCategorizer, nlp.add_pipe("textcat", config={"model": TEXTCAT_MODEL}))
    for category in CATEGORIES:
        textcat.add_label(category)
    examples = [
        Example.from_dict(
            nlp.make_doc(prepare_text(text)),
            {"cats": {name: float(name == category) for name in CATEGORIES}},
        )
        for text, category in items
    ]
    optimizer = nlp.initialize(lambda: examples)
    shuffler = random.Random(seed)
    order = list(examples)
    for _ in range(epochs):
        shuffler.shuffle(order)
        for start in range(0, len(order), BATCH_SIZE):
            nlp.update(order[start : start + BATCH_SIZE], drop=dropout, sgd=optimizer)
    report = TrainingReport(time.perf_counter() - started, len(examples), epochs)
    return nlp, report


def load_pipeline(model_dir: Path, knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR) -> Language:
    if not (model_dir / "config.cfg").is_file():
        raise ModelMissing(
            f"no trained triage model at {model_dir}: run `make train` "
            "(or python -m bot.triage.train --data data/triage/complaints.yml --out models/triage)"
        )
    prepare_segmenter(knowledge_dir)
    return spacy.load(model_dir)


def classify(nlp: Language, text: str) -> tuple[str, dict[str, float]]:
    """The most likely category and every category's score."""
    doc = nlp(prepare_text(text))
    return best_category(doc.cats), dict(doc.cats)


def best_category(cats: dict[str, float]) -> str:
    return max(cats, key=lambda name: cats[name])
