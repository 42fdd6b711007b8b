"""BM25 search over the FAQ's example questions and titles, for the questions the NLU is unsure of.

Each example question (and each title) is a document labelled with its topic; a topic scores
the best of its documents. Text is normalised like the NLU's (full-width, traditional, case),
cut by jieba with the shop's dictionary, and also split into character pairs: buyers' typos and
homophones (威信, 支付包) break words but keep most pairs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import bm25s
import jieba
import numpy as np

from bot.knowledge import FaqEntry
from bot.text import normalize

# Words that say nothing about the topic: particles, politeness, the buyer and the shop.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "嘛",
        "哦",
        "哈",
        "呐",
        "哇",
        "亲",
        "您",
        "你",
        "你们",
        "我",
        "我们",
        "咱",
        "咱们",
        "请问",
        "在吗",
        "在不在",
        "你好",
        "您好",
        "一下",
        "一个",
        "这个",
        "那个",
        "就",
        "都",
        "也",
        "还",
        "是",
        "有",
        "没",
        "不",
        "么",
        "啥",
        "什么",
        "怎么",
        "怎么样",
        "如何",
        "可以",
        "能",
        "能不能",
        "可不可以",
        "要",
        "想",
        "请",
        "谢谢",
        "麻烦",
        "客服",
        "店家",
        "商家",
        "老板",
    ]
)
CJK = re.compile(r"[\u4e00-\u9fff]+")
WORD = re.compile(r"[\u4e00-\u9fffa-z0-9]")
ORDER_NUMBER = re.compile(r"\d{6,}")


@dataclass(frozen=True)
class Match:
    topic: str
    score: float


class FaqSearch:
    def __init__(self, entries: Mapping[str, FaqEntry], tokenizer: jieba.Tokenizer) -> None:
        self._tokenizer = tokenizer
        self._topics: list[str] = []
        documents: list[list[str]] = []
        for entry in entries.values():
            for text in (entry.title, *entry.examples):
                tokens = self.tokens(text)
                if tokens:
                    self._topics.append(entry.topic)
                    documents.append(tokens)
        self._retriever = bm25s.BM25()
        self._retriever.index(documents, show_progress=False)
        self._topic_ids = np.array([sorted(set(self._topics)).index(t) for t in self._topics])
        self._topic_names = sorted(set(self._topics))

    def tokens(self, text: str) -> list[str]:
        text = ORDER_NUMBER.sub(" ", normalize(text))
        words = [
            word
            for word in self._tokenizer.lcut(text)
            if WORD.search(word) and word not in STOPWORDS
        ]
        pairs = ["~" + run[i : i + 2] for run in CJK.findall(text) for i in range(len(run) - 1)]
        return words + pairs

    def search(self, text: str, limit: int = 3) -> list[Match]:
        """The best topics for a question, best first; empty when no word of it is known."""
        tokens = self.tokens(text)
        if not tokens:
            return []
        scores = self._retriever.get_scores(tokens)
        best = np.zeros(len(self._topic_names))
        np.maximum.at(best, self._topic_ids, scores)
        order = np.argsort(-best)[:limit]
        return [Match(self._topic_names[i], float(best[i])) for i in order if best[i] > 0]


_lock = threading.Lock()
_built: dict[tuple[Path, int], FaqSearch] = {}


def search_for(knowledge_dir: Path, version: int, entries: Mapping[str, FaqEntry]) -> FaqSearch:
    """One index per knowledge folder and loaded version: rebuilt when knowledge/ changes."""
    key = (knowledge_dir, version)
    with _lock:
        if key not in _built:
            for old in [k for k in _built if k[0] == knowledge_dir]:
                del _built[old]
            _built[key] = FaqSearch(entries, shop_tokenizer(knowledge_dir))
        return _built[key]


_tokenizers: dict[Path, jieba.Tokenizer] = {}


def shop_tokenizer(knowledge_dir: Path) -> jieba.Tokenizer:
    """A jieba tokenizer of its own with the shop's dictionary (the global one is the NLU's)."""
    if knowledge_dir not in _tokenizers:
        tokenizer = jieba.Tokenizer()
        userdict = knowledge_dir / "jieba" / "userdict.txt"
        if userdict.is_file():
            tokenizer.load_userdict(str(userdict))
        _tokenizers[knowledge_dir] = tokenizer
    return _tokenizers[knowledge_dir]


def topics_of(matches: Iterable[Match]) -> list[str]:
    return [match.topic for match in matches]
