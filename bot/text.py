"""Normalises what buyers type before the NLU sees it, keeping every character's position.

Positions matter: entity annotations and extracted entities are character offsets, so each
step maps one character to one character (or to a space).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

# Runs of the same punctuation ("？？？", "!!!!", "。。。") carry emphasis, not meaning.
REPEATED_PUNCTUATION = re.compile(r"([!?.,~。，！？…、~～])\1+")


@lru_cache(maxsize=1)
def _to_simplified() -> OpenCC:
    return OpenCC("t2s")


def normalize(text: str) -> str:
    """Full-width to half-width, traditional to simplified, lower-case Latin, tamed punctuation."""
    text = "".join(_narrow(char) for char in text)
    text = _simplify(text)
    text = REPEATED_PUNCTUATION.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - 1), text)
    return text.lower()


def normalize_for_nlu(text: str) -> str:
    """normalize(), then every punctuation mark becomes a space, for the intent classifier.

    Real buyers punctuate about half of their messages and our early training data almost never
    did, so a comma became evidence for whichever intent had the longest examples ("好的，谢谢！"
    read as a refund request). Intent lives in the words; the marks are dropped, positions kept.
    """
    return "".join(" " if _is_punctuation(char) else char for char in normalize(text))


def _is_punctuation(char: str) -> bool:
    # Unicode P* (，。？！、…「」 and ASCII ones), and the tildes buyers end lines with.
    return unicodedata.category(char).startswith("P") or char in "~～〜"


def _narrow(char: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, ！) and the ideographic space become plain ASCII."""
    if char == "\u3000":
        return " "
    if "\uff01" <= char <= "\uff5e":
        narrowed = unicodedata.normalize("NFKC", char)
        if len(narrowed) == 1:
            return narrowed
    return char


def _simplify(text: str) -> str:
    converted = str(_to_simplified().convert(text))
    if len(converted) == len(text):
        return converted
    # A phrase-level conversion changed the length: fall back to character by character.
    return "".join(_simplify_char(char) for char in text)


def _simplify_char(char: str) -> str:
    converted = str(_to_simplified().convert(char))
    return converted if len(converted) == 1 else char
