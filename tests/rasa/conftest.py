"""Runs commands in .venv-rasa from the project root, where Rasa finds addons/ and bot.text."""

from __future__ import annotations

import os
import subprocess

from bot.settings import PROJECT_ROOT

RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin"


def run_in_rasa_env(
    program: str, *args: str, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    """`program` is `rasa` or `python` of .venv-rasa; output is captured as text."""
    return subprocess.run(
        [str(RASA_BIN / program), *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
