"""A bag-of-n-grams text classifier over jieba words and characters, registered with spaCy.

spaCy's TextCatBOW sees only word n-grams. Chinese buyers' spelling and jieba's segmentation
vary (签收了 / 签 收), so character n-grams of the text are added to the same sparse linear
layer: a few hundred labelled texts then generalise much better. Importing this module
registers "kefu.TextCatWordCharBOW.v1"; bot.triage.model imports it before training or loading.
"""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from spacy.attrs import ORTH
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, SparseLinear_v2, chain, resizable, softmax_activation, with_cpu
from thinc.layers.resizable import resize_linear_weighted

ARCHITECTURE = "kefu.TextCatWordCharBOW.v1"
NEG_VALUE = -5000  # spaCy's starting bias for labels added later


@registry.architectures(ARCHITECTURE)  # type: ignore[untyped-decorator]
def build_word_char_bow(
    word_ngrams: int, char_ngrams: int, length: int = 262144, nO: int | None = None
) -> Model[list[Doc], Any]:
    """Exclusive classes: word 1..word_ngrams-grams and char 1..char_ngrams-grams -> softmax."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill_defaults = {"b": NEG_VALUE, "W": 0}
    resizable_layer: Model[Any, Any] = resizable(
        sparse_linear, resize_layer=partial(resize_linear_weighted, fill_defaults=fill_defaults)
    )
    with Model.define_operators({">>": chain}):
        model = extract_word_char_ngrams(word_ngrams, char_ngrams) >> resizable_layer
        model = with_cpu(model, model.ops)
        output = softmax_activation()
        model = model >> with_cpu(output, output.ops)
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = False
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


def extract_word_char_ngrams(word_ngrams: int, char_ngrams: int) -> Model[list[Doc], Any]:
    model: Model[list[Doc], Any] = Model("extract_word_char_ngrams", _forward)
    model.attrs["word_ngrams"] = word_ngrams
    model.attrs["char_ngrams"] = char_ngrams
    return model


def char_ngram_keys(text: str, size: int) -> list[int]:
    """Hashed character n-grams of 1..size, skipping grams that are only whitespace."""
    keys = []
    for n in range(1, size + 1):
        for start in range(len(text) - n + 1):
            gram = text[start : start + n]
            if not gram.isspace():
                keys.append(get_string_id("\x01" + gram))
    return keys


def _forward(model: Model[list[Doc], Any], docs: list[Doc], is_train: bool) -> Any:
    ops = model.ops
    xp = ops.xp
    batch_keys = []
    batch_vals = []
    for doc in docs:
        words: Any = ops.asarray(cast(Any, doc.to_array([ORTH])))
        grams = [words]
        for n in range(2, model.attrs["word_ngrams"] + 1):
            grams.append(ops.ngrams(n, words))
        grams.append(
            xp.asarray(char_ngram_keys(doc.text, model.attrs["char_ngrams"]), dtype="uint64")
        )
        keys, vals = xp.unique(xp.concatenate(grams).astype("uint64"), return_counts=True)
        batch_keys.append(keys)
        batch_vals.append(vals)
    lengths = ops.asarray([len(keys) for keys in batch_keys], dtype="int32")
    keys = xp.concatenate(batch_keys)
    vals = ops.asarray(xp.concatenate(batch_vals), dtype="f")

    def backprop(d_output: Any) -> list[Any]:
        return []

    return (keys, vals, lengths), backprop
