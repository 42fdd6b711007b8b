"""More intent classifiers of the same kind, each with its own seed, averaged with the first.

config.yml lists LightDIETClassifier (intents and entities) and then members of this class
(intents only, another random_seed). Each member predicts as DIET does and then replaces the
message's intent ranking with the mean of its own and those before it (bot/intent_votes.py), so
the FallbackClassifier after them sees the averaged confidence.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from addons.light_load import LightDIETClassifier
from bot.intent_votes import add_vote

# How many classifiers the message's ranking already averages; internal, not in the output.
VOTES = "intent_votes"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentEnsembleMember(LightDIETClassifier):
    def process(self, messages: list[Message]) -> list[Message]:
        before = [(m.get(INTENT_RANKING_KEY) or [], m.get(VOTES) or 1) for m in messages]
        messages = super().process(messages)
        for message, (so_far, votes) in zip(messages, before, strict=True):
            own = message.get(INTENT_RANKING_KEY) or []
            if not so_far or not own:
                message.set(VOTES, 1)
                continue
            ranking = add_vote(so_far, votes, own)
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            message.set(VOTES, votes + 1)
        return messages
