"""Rasa's own test stories against the trained model: intents and next actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.supervisor import MODEL_PATH
from tests.rasa.conftest import run_in_rasa_env

pytestmark = pytest.mark.integration


def test_test_stories_pass_without_prediction_errors(tmp_path: Path) -> None:
    result = run_in_rasa_env(
        "rasa",
        "test",
        "core",
        "--model",
        str(MODEL_PATH),
        "--stories",
        "tests/stories",
        "--out",
        str(tmp_path),
        "--fail-on-prediction-errors",
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text(encoding="utf-8") if failed.exists() else result.stdout[-3000:]
    assert result.returncode == 0, detail
