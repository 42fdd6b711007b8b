"""A subset of tests/dialogues/ as end-to-end tests: every turn meets its expectations.

The whole set is measured by `make bench-dialogue` (a share, not a pass/fail); these dialogues,
one or more of each kind, met all their expectations when they were chosen and must keep doing
so. Each runs as a new buyer with its own orders through the public API and the real model.
"""

from __future__ import annotations

import pytest

from bench.dialogues import Endpoints, load_dialogues, run_dialogue
from tests.conftest import LiveProduct

pytestmark = pytest.mark.integration

REGRESSION_SET = (
    *("bord-02", "bord-04", "bord-08", "bord-12", "bord-13"),
    *("dead-05", "dead-08", "dead-09"),
    *("mem-02", "mem-03", "mem-05", "mem-08", "mem-14", "mem-20"),
    *("inv-06", "chg-01", "chg-04", "pp-01", "pp-03", "urge-03"),
    *("punc-01", "punc-02", "punc-09", "punc-12", "punc-15"),
    "bord-17",  # a bare 拍错了 with nothing asked gets the cancel/change offer
)
DIALOGUES = {dialogue["id"]: dialogue for dialogue in load_dialogues()}


@pytest.mark.parametrize("dialogue_id", REGRESSION_SET)
def test_dialogue_meets_every_expectation(live_product: LiveProduct, dialogue_id: str) -> None:
    end = Endpoints(
        api=live_product.api,
        rasa=live_product.rasa,
        shop_key=live_product.shop_key,
        widget_secret=live_product.widget_secret,
    )
    results = run_dialogue(end, DIALOGUES[dialogue_id])
    missed = [f"#{r.index} {r.said!r}: {r.failures} <- {r.replies}" for r in results if r.failures]
    assert not missed, "\n".join(missed)
