"""Every annotated entity in data/nlu must start and end on a jieba token boundary.

Rasa only warns about a misaligned span during training and then learns nothing from it, so a
slip here silently weakens entity extraction. Tokenised in .venv-rasa with the shop's user
dictionary and our normaliser, exactly as the JiebaTokenizer in config.yml does.
"""

from __future__ import annotations

import pytest

from tests.rasa.conftest import run_in_rasa_env

pytestmark = pytest.mark.integration

SCRIPT = r"""
import glob, re
import jieba
from bot.text import normalize_for_nlu

for path in glob.glob("knowledge/jieba/*"):
    jieba.load_userdict(path)
annotation = re.compile(r"\[([^\]]*)\](\{[^}]*\}|\([^)]*\))")
for path in sorted(glob.glob("data/nlu/*.yml")):
    for line in open(path, encoding="utf-8"):
        if not line.startswith("    - ") or "[" not in line:
            continue
        body, plain, spans, pos = line[6:].rstrip("\n"), "", [], 0
        for match in annotation.finditer(body):
            plain += body[pos : match.start()]
            spans.append((len(plain), len(plain) + len(match.group(1))))
            plain += match.group(1)
            pos = match.end()
        plain += body[pos:]
        tokens = list(jieba.tokenize(normalize_for_nlu(plain)))
        starts, ends = {t[1] for t in tokens}, {t[2] for t in tokens}
        for start, end in spans:
            if start not in starts or end not in ends:
                print(f"{path}: {plain!r} [{plain[start:end]}] is not on token boundaries")
"""


def test_every_entity_span_falls_on_jieba_token_boundaries() -> None:
    result = run_in_rasa_env("python", "-c", SCRIPT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == ""
