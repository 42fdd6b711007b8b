"""Jieba tokenizer that drops the whitespace tokens left where punctuation was.

The normaliser (addons.normalizer) turns punctuation into spaces, keeping character offsets;
plain Jieba would still emit those spaces as tokens, and a run of them would lengthen the
sequence the classifiers see. Only tokens with a visible character are kept.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class WordsOnlyJiebaTokenizer(JiebaTokenizer):
    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        words = [token for token in tokens if token.text.strip()]
        # A message of nothing but punctuation keeps its tokens: every message needs one.
        return words or tokens
