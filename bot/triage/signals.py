"""Severity signals in a complaint: spaCy matchers over the word lists in knowledge/triage.yml.

Each signal names the words that raised it, as the buyer wrote them, so an agent can see why a
complaint got its priority. Slang that only looks like a hazard (火爆, 冒烟的速度) is listed under
"exceptions" and cancels any match it overlaps; worries (万一起火) and denials (还好没冒烟) are
not reports of a hazard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans


class SignalKind(StrEnum):
    HAZARD = "hazard"
    REPEAT_CONTACT = "repeat_contact"
    ANGER = "anger"
    SLA_MISSED = "sla_missed"
    THREAT = "threat"


@dataclass(frozen=True)
class Signal:
    kind: SignalKind
    text: str  # the words as the buyer wrote them
    start: int  # character offsets in the text
    end: int


class LexiconError(ValueError):
    """knowledge/triage.yml is missing a list or holds something that is not a list of words."""


@dataclass(frozen=True)
class Lexicon:
    """The word lists of knowledge/triage.yml, by signal kind and list name."""

    lists: dict[str, dict[str, list[str]]]
    exclamation_run: int

    def words(self, kind: SignalKind, name: str) -> list[str]:
        return self.lists[kind.value].get(name, [])

    def dictionary_words(self) -> list[str]:
        """Words the segmenter must keep whole, so the matchers see them as single tokens."""
        keep = (
            "phrases",
            "exceptions",
            "count_adverbs",
            "promise_words",
            "time_words",
            "not_deadlines",
            "platforms",
        )
        words = {
            word.lower()
            for kind in self.lists.values()
            for name, values in kind.items()
            if name in keep
            for word in values
            if len(word) > 1 and not word.isascii()
        }
        return sorted(words)


REQUIRED_LISTS: dict[SignalKind, tuple[str, ...]] = {
    SignalKind.HAZARD: (
        "phrases",
        "exceptions",
        "hypothetical",
        "negations",
        "injury_verbs",
        "injury_marks",
        "injury_endings",
        "wound_marks",
        "body_parts",
    ),
    SignalKind.REPEAT_CONTACT: (
        "phrases",
        "exceptions",
        "contact_verbs",
        "count_units",
        "day_verbs",
        "not_before",
        "count_adverbs",
    ),
    SignalKind.ANGER: ("phrases", "exceptions"),
    SignalKind.SLA_MISSED: (
        "phrases",
        "exceptions",
        "promise_words",
        "time_units",
        "time_words",
        "service_verbs",
        "not_deadlines",
    ),
    SignalKind.THREAT: ("phrases", "exceptions", "publish_verbs", "platforms"),
}


def load_lexicon(path: Path) -> Lexicon:
    if not path.is_file():
        raise LexiconError(f"{path} is missing")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise LexiconError(f"{path} must hold a mapping")
    lists: dict[str, dict[str, list[str]]] = {}
    for kind, names in REQUIRED_LISTS.items():
        section = data.get(kind.value)
        if not isinstance(section, dict):
            raise LexiconError(f"{path.name} needs a '{kind.value}' section")
        lists[kind.value] = {name: _word_list(section, kind, name) for name in names}
    run = data.get(SignalKind.ANGER.value, {}).get("exclamation_run", 3)
    if not isinstance(run, int) or run < 2:
        raise LexiconError("anger.exclamation_run must be a whole number of 2 or more")
    return Lexicon(lists, run)


def _word_list(section: dict[str, Any], kind: SignalKind, name: str) -> list[str]:
    values = section.get(name)
    if values is None:
        raise LexiconError(f"triage.yml {kind.value}.{name} is missing")
    if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
        raise LexiconError(f"triage.yml {kind.value}.{name} must be a list of words")
    return [str(value) for value in values]


# Counts that mean "more than once": 3, 两, 好, 几, 无数 (not 一 or 1).
_MANY = (
    r"(?:[2-9]|\d{2,}|[两二三四五六七八九十几多好无数百nN]+"
    r"|一[十百千][一二三四五六七八九十百千]*)"
)
_NUMBER = r"^(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百半几]+)个?$"
_TIME_TOKEN = (
    r"^(?:\d+|[一二两三四五六七八九十半几]+)个?"
    r"(?:小时|天|日|号|周|星期|工作日|分钟|h)(?:内|之内|以内)?$"
)
_DEADLINE_TAIL = {
    "内",
    "之内",
    "以内",
    "就",
    "能",
    "会",
    "可以",
    "必须",
    "给",
    "一定",
    "肯定",
    "就能",
}
_NOT_PUNCT: dict[str, Any] = {"IS_PUNCT": False, "IS_SPACE": False}


class SignalMatcher:
    """Finds every signal in a doc made by the triage pipeline's tokenizer."""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.nlp = nlp
        self.lexicon = lexicon
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exceptions = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind in SignalKind:
            self.phrases.add(
                kind.value, [nlp.make_doc(w) for w in _lower(lexicon, kind, "phrases")]
            )
            excepted = _lower(lexicon, kind, "exceptions")
            if excepted:
                self.exceptions.add(kind.value, [nlp.make_doc(w) for w in excepted])
        self.patterns = Matcher(nlp.vocab)
        self._add_patterns()

    def _add_patterns(self) -> None:
        words = self.lexicon.words
        many_units = "|".join(map(re.escape, words(SignalKind.REPEAT_CONTACT, "count_units")))
        after_verb: dict[str, Any] = {"LOWER": {"IN": ["了", "过", "了有"]}, "OP": "?"}
        verb = {"LOWER": {"IN": words(SignalKind.REPEAT_CONTACT, "contact_verbs")}}
        gap = {**_NOT_PUNCT, "OP": "?"}
        self.patterns.add(
            SignalKind.REPEAT_CONTACT.value,
            [
                # 问了三遍, 说了好几次, 问了客服四遍: the count and the unit in one token
                [verb, after_verb, gap, {"TEXT": {"REGEX": rf"^{_MANY}(?:{many_units})$"}}],
                # 问了 3 遍
                [
                    verb,
                    after_verb,
                    gap,
                    {"TEXT": {"REGEX": rf"^{_MANY}$"}, "OP": "{1,2}"},
                    {"TEXT": {"REGEX": rf"^(?:{many_units})$"}},
                ],
                # 催了好几天
                [
                    {"LOWER": {"IN": words(SignalKind.REPEAT_CONTACT, "day_verbs")}},
                    after_verb,
                    {"TEXT": {"REGEX": rf"^{_MANY}$"}, "OP": "{0,2}"},
                    {"TEXT": {"REGEX": rf"^{_MANY}?天$"}},
                ],
                # 多次联系, 反复催
                [
                    {"LOWER": {"IN": words(SignalKind.REPEAT_CONTACT, "count_adverbs")}},
                    {**_NOT_PUNCT, "OP": "?"},
                    {"LOWER": {"IN": words(SignalKind.REPEAT_CONTACT, "contact_verbs")}},
                ],
                # 第3次, 第 五 次
                [{"TEXT": {"REGEX": rf"^第{_MANY}次$"}}],
                [{"TEXT": "第"}, {"TEXT": {"REGEX": rf"^{_MANY}$"}}, {"TEXT": "次"}],
            ],
            greedy="LONGEST",
        )
        promise = {"LOWER": {"IN": words(SignalKind.SLA_MISSED, "promise_words")}}
        gap = {**_NOT_PUNCT, "OP": "{0,4}"}
        self.patterns.add(
            SignalKind.SLA_MISSED.value,
            [
                [
                    promise,
                    gap,
                    {"TEXT": {"REGEX": _NUMBER}},
                    {"LOWER": "个", "OP": "?"},
                    {"LOWER": {"IN": words(SignalKind.SLA_MISSED, "time_units")}},
                ],
                [promise, gap, {"LOWER": {"REGEX": _TIME_TOKEN}}],
                [promise, gap, {"LOWER": {"IN": words(SignalKind.SLA_MISSED, "time_words")}}],
            ],
            greedy="LONGEST",
        )
        # 流了好多血, 缝了四针, 砸我女儿头上: an injury told with words in between. A cut
        # (划了个口子) counts only on a body part (手指划了个口), not on a sofa.
        marks = "|".join(map(re.escape, words(SignalKind.HAZARD, "injury_marks")))
        endings = "|".join(map(re.escape, words(SignalKind.HAZARD, "injury_endings")))
        wounds = "|".join(map(re.escape, words(SignalKind.HAZARD, "wound_marks")))
        injury_verb = {"LOWER": {"IN": words(SignalKind.HAZARD, "injury_verbs")}}
        between = {**_NOT_PUNCT, "OP": "{0,3}"}
        self.patterns.add(
            SignalKind.HAZARD.value,
            [
                [injury_verb, between, {"TEXT": {"REGEX": rf"^(?:{marks})$|(?:{endings})$"}}],
                [
                    {"LOWER": {"IN": words(SignalKind.HAZARD, "body_parts")}},
                    {**_NOT_PUNCT, "OP": "{0,2}"},
                    injury_verb,
                    between,
                    {"TEXT": {"REGEX": rf"^(?:{wounds})$"}},
                ],
            ],
            greedy="LONGEST",
        )
        self.patterns.add(
            SignalKind.THREAT.value,
            [
                [
                    {"LOWER": {"IN": words(SignalKind.THREAT, "publish_verbs")}},
                    {"LOWER": {"IN": ["到", "在", "上"]}, "OP": "?"},
                    {"LOWER": {"IN": words(SignalKind.THREAT, "platforms")}},
                ]
            ],
        )

    def __call__(self, doc: Doc, raw_text: str | None = None) -> list[Signal]:
        """Signals in reading order; raw_text (same length as doc.text) is what gets quoted."""
        quoted = raw_text if raw_text is not None and len(raw_text) == len(doc.text) else doc.text
        found: dict[SignalKind, list[Span]] = {kind: [] for kind in SignalKind}
        for match_id, start, end in [*self.phrases(doc), *self.patterns(doc)]:
            kind = SignalKind(doc.vocab.strings[match_id])
            found[kind].append(doc[start:end])
        blocked: dict[SignalKind, list[Span]] = {kind: [] for kind in SignalKind}
        for match_id, start, end in self.exceptions(doc):
            blocked[SignalKind(doc.vocab.strings[match_id])].append(doc[start:end])

        signals: list[Signal] = []
        for kind, spans in found.items():
            for span in filter_spans(spans):
                if _overlaps_any(span, blocked[kind]) or not self._keeps(kind, span):
                    continue
                if kind is SignalKind.SLA_MISSED:
                    span = self._with_service_verb(span)
                signals.append(Signal(kind, quoted[span.start_char : span.end_char], *_chars(span)))
        signals.extend(self._exclamation_runs(quoted))
        return sorted(signals, key=lambda signal: (signal.start, signal.kind.value))

    def _keeps(self, kind: SignalKind, span: Span) -> bool:
        doc = span.doc
        if kind is SignalKind.REPEAT_CONTACT and span.end < len(doc):
            # 第二次买 is a loyal buyer, not a repeated contact.
            return doc[span.end].lower_ not in self.lexicon.words(kind, "not_before")
        if kind is SignalKind.SLA_MISSED:
            policy = set(self.lexicon.words(kind, "not_deadlines"))
            nearby = doc[span.start : min(span.end + 2, len(doc))]
            return not any(token.lower_ in policy for token in nearby)
        if kind is not SignalKind.HAZARD:
            return True
        before = [token for token in doc[max(0, span.start - 4) : span.start]]
        if before and before[-1].lower_ in self.lexicon.words(kind, "negations"):
            return False
        clause: list[str] = []
        for token in reversed(before):
            if token.is_punct:
                break
            clause.append(token.lower_)
        return not set(clause) & set(self.lexicon.words(kind, "hypothetical"))

    def _with_service_verb(self, span: Span) -> Span:
        """说好48小时 -> 说好48小时发货: the promise is quoted with what was promised."""
        doc = span.doc
        verbs = set(self.lexicon.words(SignalKind.SLA_MISSED, "service_verbs"))
        for index in range(span.end, min(span.end + 3, len(doc))):
            token = doc[index]
            if token.lower_ in verbs:
                return doc[span.start : index + 1]
            if token.lower_ not in _DEADLINE_TAIL:
                break
        return span

    def _exclamation_runs(self, text: str) -> Iterable[Signal]:
        run = re.compile(rf"[!！]{{{self.lexicon.exclamation_run},}}")
        for match in run.finditer(text):
            yield Signal(SignalKind.ANGER, match.group(0), match.start(), match.end())


def _lower(lexicon: Lexicon, kind: SignalKind, name: str) -> list[str]:
    return [word.lower() for word in lexicon.words(kind, name)]


def _overlaps_any(span: Span, others: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


def _chars(span: Span) -> tuple[int, int]:
    return span.start_char, span.end_char
