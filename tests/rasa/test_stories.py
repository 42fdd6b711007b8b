"""Rasa's own test stories against the trained model: intents and next actions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.supervisor import MODEL_PATH

pytestmark = pytest.mark.integration

RASA = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"


def test_test_stories_pass_without_prediction_errors(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(RASA),
            "test",
            "core",
            "--model",
            str(MODEL_PATH),
            "--stories",
            "tests/stories",
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text(encoding="utf-8") if failed.exists() else result.stdout[-3000:]
    assert result.returncode == 0, detail
