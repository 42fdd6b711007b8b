"""Rasa component that normalises buyer text (bot.text.normalize_for_nlu) before tokenising.

It runs in training and at inference, so the model sees one form of every message: full-width
digits become digits the order-number regex can match, traditional characters become
simplified ones the jieba dictionary knows, and punctuation (which carries no intent) becomes
space.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.stateless import StatelessComponent
from bot.text import normalize_for_nlu


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextNormalizer(StatelessComponent):
    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            # "/intent{...}" payloads (quick replies) are read by Rasa's RegexMessageHandler
            # after the NLU components: they stay exactly as sent.
            if isinstance(text, str) and text and not text.startswith("/"):
                message.set(TEXT, normalize_for_nlu(text))
        return messages
