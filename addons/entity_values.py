"""Rasa component that gives every entity its canonical value or drops it (bot.entity_values).

It runs after EntitySynonymMapper, so actions only ever see an order number of 16 to 20
digits, an 11-digit phone, a 4-digit phone tail, and a service_type of refund_only,
return_refund, exchange or repair. A service_type span the model never saw in training is
mapped from its words; a span that names no service, or digits of the wrong length, is removed.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from addons.stateless import StatelessComponent
from bot.entity_values import canonical_entity_value


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityValueFilter(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES)
            if entities:
                message.set(ENTITIES, _canonical(entities), add_to_output=True)
        return messages


def _canonical(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # An extractor's value is the span's own words unless the synonym mapper already made it
    # canonical, so the value alone decides.
    kept = []
    for entity in entities:
        value = canonical_entity_value(str(entity.get("entity", "")), str(entity.get("value", "")))
        if value is not None:
            kept.append({**entity, "value": value})
    return kept
