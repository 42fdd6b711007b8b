"""DIETClassifier and ResponseSelector that load their trained weights for prediction only.

Rasa 3.6 builds a stored TensorFlow model by training it on one example (`RasaModel.load` calls
`fit`) before it reads the weights back. That traces the whole training graph with its
gradients and creates Adam's two slots per weight: on our model (then with a TEDPolicy too) it
took about 30 of the 45 seconds Rasa needed to start and more than 1 GB of its 2 GB of memory,
for nothing a running bot uses. Here the model reads the checkpoint first and then predicts one
example: the prediction creates exactly the layers prediction needs, and TensorFlow restores
each weight as its variable is created. The weights are the same file's, so every prediction is
the same (bench/light_load.py compares both loads; so does tests/rasa/test_light_load.py).

Training and fine-tuning are Rasa's own code, unchanged.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.nlu.selectors.response_selector import DIET2BOW, DIET2DIET, ResponseSelector
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class PredictionOnlyLoad(RasaModel):
    """Mixin for a RasaModel: `load` without the one-example training run."""

    @classmethod
    def load(  # type: ignore[override]
        cls,
        model_file_name: str,
        model_data_example: RasaModelData,
        predict_data_example: RasaModelData | None = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode or predict_data_example is None:
            # Fine-tuning needs the optimizer and the training graph: Rasa's own load.
            return super().load(
                model_file_name,
                model_data_example,
                predict_data_example,
                finetune_mode,
                *args,
                **kwargs,
            )
        model = cls(*args, **kwargs)
        # Read the checkpoint before any variable exists: each variable gets its stored value
        # when the prediction below creates it. Reading it afterwards would be too late, since
        # DIET keeps the label embeddings of its first prediction. The optimizer's slots and
        # the training-only layers stay unread on purpose.
        model.load_weights(model_file_name).expect_partial()
        model.run_inference(predict_data_example)
        return model


class LightDIET(PredictionOnlyLoad, DIET):
    pass


class LightDIET2BOW(PredictionOnlyLoad, DIET2BOW):
    pass


class LightDIET2DIET(PredictionOnlyLoad, DIET2DIET):
    pass


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class LightDIETClassifier(DIETClassifier):
    @staticmethod
    def model_class() -> type[RasaModel]:
        return LightDIET


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LightResponseSelector(ResponseSelector):
    @staticmethod
    def model_class(use_text_as_label: bool) -> type[RasaModel]:  # type: ignore[override]
        return LightDIET2DIET if use_text_as_label else LightDIET2BOW
