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
            "body_spots",
            "skin_marks",
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


# The word lists behind the hazard event patterns (_hazard_events): kinds of events and injuries.
HAZARD_EVENT_LISTS = (
    "body_spots",
    "harm_states",
    "wound_verbs",
    "strike_roots",
    "strike_verbs",
    "hot_liquids",
    "splash_verbs",
    "fire_verbs",
    "fire_marks",
    "burnables",
    "burn_results",
    "socket_parts",
    "socket_results",
    "garment_words",
    "bang_sounds",
    "burst_words",
    "burst_subjects",
    "touch_verbs",
    "shock_feels",
    "passive_verbs",
    "trap_verbs",
    "victims",
    "fall_words",
    "swallow_words",
    "throat_words",
    "sick_verbs",
    "care_verbs",
    "care_places",
    "skin_verbs",
    "skin_marks",
    "gas_things",
    "gas_leaks",
)

REQUIRED_LISTS: dict[SignalKind, tuple[str, ...]] = {
    SignalKind.HAZARD: (
        "phrases",
        "anywhere",
        "exceptions",
        "hypothetical",
        "negations",
        "injury_verbs",
        "injury_marks",
        "injury_endings",
        "wound_marks",
        "body_parts",
        *HAZARD_EVENT_LISTS,
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
# How long or how often someone was sick: 一整夜, 一晚上, 三回, 好几次, 两天.
_SICK_SPELL = (
    r"^(?:一?整?[夜晚宿天]|一?晚上|一整晚|一整天|一上午|一下午|半夜|一夜|整宿|整晚|整夜"
    r"|(?:好几|[两二三四五六七八九十几\d]+)[次回遍趟天])$"
)


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
        # Hazard words found in the characters too: jieba sometimes cuts them apart (起火把车座
        # -> 起 / 火把, 开水烫到 -> 开水烫 / 到, 尾椎骨裂 -> 尾椎骨 / 裂).
        self.anywhere = _alternation(_lower(lexicon, SignalKind.HAZARD, "anywhere"))
        self.anywhere_exceptions = _alternation(_lower(lexicon, SignalKind.HAZARD, "exceptions"))

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
        self.patterns.add(SignalKind.HAZARD.value, self._hazard_events(), greedy="LONGEST")
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

    def _hazard_events(self) -> list[list[dict[str, Any]]]:
        """Hazards told without a hazard word: an event or an injury from its parts.

        Each part is a word list of knowledge/triage.yml; the gaps never cross punctuation, so
        the parts are in one clause (手背一片焦黄, 开水全洒我脚上, 吐了一整夜, 一摸就麻).
        """

        def one_of(name: str) -> dict[str, Any]:
            return {"LOWER": {"IN": _lower(self.lexicon, SignalKind.HAZARD, name)}}

        def gap(most: int) -> dict[str, Any]:
            return {**_NOT_PUNCT, "OP": f"{{0,{most}}}"}

        def exactly(*words: str) -> dict[str, Any]:
            return {"LOWER": {"IN": list(words)}}

        body = one_of("body_spots")
        anybody = {
            "LOWER": {
                "IN": [
                    *_lower(self.lexicon, SignalKind.HAZARD, "body_spots"),
                    *_lower(self.lexicon, SignalKind.HAZARD, "body_parts"),
                ]
            }
        }
        places = "|".join(map(re.escape, self.lexicon.words(SignalKind.HAZARD, "care_places")))
        fire = one_of("fire_marks")
        victims = _lower(self.lexicon, SignalKind.HAZARD, "victims")
        # the segmenter may glue a vomit verb to the word before it (吃完吐 -> 完吐)
        sick = "|".join(map(re.escape, self.lexicon.words(SignalKind.HAZARD, "sick_verbs")))
        return [
            # an injury on a body part: 手背一片焦黄, 嘴唇磕破了, 胳膊肿得老高
            [body, gap(5), one_of("harm_states")],
            # a body part, a verb, a wound: 脚背起了一片水泡, 脖子后面烫出一片红印子
            [body, gap(3), one_of("wound_verbs"), gap(3), one_of("wound_marks")],
            # skin red over a patch: 背上红了一大片
            [
                body,
                gap(2),
                exactly("红", "通红", "红红"),
                exactly("了", "成", "起", "一"),
                {"OP": "?", "LOWER": "一"},
                exactly("片", "大片", "块", "大块", "一片", "一大片", "一块", "一大块"),
            ],
            # struck on a body part: 砸中我女儿的鼻子, 抽到我眼睛上, 压在我老婆身上
            [one_of("strike_roots"), exactly("到", "在", "中", "住", "伤"), gap(3), body],
            [one_of("strike_verbs"), gap(3), body],
            # told in the passive: 手指被卷进去, 手指伸进去被扇叶打到
            [anybody, gap(2), exactly("被", "给"), gap(3), one_of("passive_verbs")],
            # caught in a gap: 腿卡进去, 头发被卷发器卷进去
            [anybody, gap(3), one_of("trap_verbs"), exactly("进去", "进", "住", "进了")],
            # pierced: 扎进手里, 脚底扎进去一块
            [exactly("扎", "刺", "戳", "扎进", "刺进"), exactly("进", "进去", "入"), gap(2), body],
            # a hot liquid splashed on someone: 开水全洒我脚上, 热汤喷了我一身
            [one_of("hot_liquids"), gap(4), one_of("splash_verbs"), gap(4), body],
            # fire or smoke coming out: 冒出一股青烟, 窜起一人多高的火, 火窜出来
            [one_of("fire_verbs"), gap(5), fire],
            [fire, exactly("窜", "蹿", "窜出来", "蹿出来", "冒出来", "喷出来", "窜到", "蹿到")],
            # burning smells: 一股烧塑料的味道, 糊塑料味, 焦臭味
            [
                exactly("烧", "烧焦", "糊", "焦", "烧糊", "焦糊"),
                {**_NOT_PUNCT, "OP": "?"},
                exactly("塑料", "胶", "胶皮", "橡胶", "电线", "线皮", "味", "味道", "臭味", "臭"),
            ],
            # scorched, molten or set alight: 把地毯烤焦了, 插头都黑了, 外壳都熔了一块
            [one_of("burnables"), gap(3), one_of("burn_results")],
            [one_of("socket_parts"), gap(3), one_of("socket_results")],
            [
                one_of("burnables"),
                gap(3),
                exactly("烫", "烧", "烤", "熏"),
                {"LOWER": {"IN": ["得", "了", "成"]}, "OP": "?"},
                exactly("软", "软了", "化", "化了", "变形", "焦", "黑", "黢黑", "焦黑", "穿"),
            ],
            [
                exactly("烧", "熏", "燎"),
                gap(2),
                exactly("洞", "窟窿", "黢黑", "焦黑", "漆黑", "穿"),
            ],
            # a bang and a burst: 砰的一声裂成好几块, 嘭的一声后盖崩开了
            [one_of("bang_sounds"), gap(3), one_of("burst_words")],
            # something burst by itself: 一罐自己爆了, 气压棒突然爆了, 热水袋睡觉的时候爆了
            [one_of("burst_subjects"), gap(3), exactly("爆", "爆了", "爆开", "爆掉", "崩开")],
            # a shock: 一摸就麻, 被麻了一下, 电了我一下, 水里有电
            [one_of("touch_verbs"), gap(4), one_of("shock_feels")],
            [one_of("touch_verbs"), gap(3), exactly("就"), exactly("麻", "麻了", "发麻")],
            [exactly("被"), exactly("麻", "电", "电麻", "电到", "电得")],
            [exactly("电"), exactly("了", "得", "到"), {"LOWER": {"IN": ["我", "我们", *victims]}}],
            [exactly("电"), exactly("得")],
            [
                exactly("水里", "水", "外壳", "机身", "壳子", "把手", "门把手", "金属", "表面"),
                gap(1),
                exactly("有", "带", "都有"),
                exactly("电"),
            ],
            # a fall: 孩子直接摔地上, 宝宝从椅子上栽下来, 人摔下来, 后脑勺着地
            [one_of("victims"), gap(3), one_of("fall_words")],
            [one_of("victims"), gap(2), exactly("摔"), exactly("地上", "在地上", "倒", "下来")],
            [body, exactly("着"), exactly("地")],
            # swallowed or choking: 他吞了好几颗, 纽扣电池吃进去了, 卡在狗狗喉咙里
            [one_of("victims"), gap(5), one_of("swallow_words")],
            [one_of("victims"), gap(8), exactly("吃", "吞", "咽"), exactly("进去", "下去", "进")],
            [exactly("卡", "卡住", "噎", "呛", "堵", "卡在"), gap(3), one_of("throat_words")],
            # vomiting or diarrhoea that went on: 吐了一整夜, 吐了三回, 一直呕, 拉了两天肚子
            [
                {"LOWER": {"REGEX": rf"(?:{sick})$"}},
                {"LOWER": "了", "OP": "?"},
                {"LOWER": {"IN": ["一", "整"]}, "OP": "?"},
                {"TEXT": {"REGEX": _SICK_SPELL}},
            ],
            [exactly("一直", "不停", "不停地", "老是", "总是", "还在"), one_of("sick_verbs")],
            [exactly("拉", "闹"), exactly("了"), gap(2), exactly("肚子")],
            [exactly("跑"), gap(3), exactly("厕所")],
            [
                exactly("肚子", "肚", "胃里", "肚子里"),
                gap(2),
                {"TEXT": {"REGEX": "^(?:绞?[疼痛]|翻江倒海)"}},
            ],
            [exactly("火辣辣"), gap(1), {"TEXT": {"REGEX": "[疼痛]$"}}],
            # a visit to a doctor: 去社区医院, 挂了儿科急诊, 带去宠物医院
            [one_of("care_verbs"), gap(2), {"TEXT": {"REGEX": rf"(?:{places})$"}}],
            # a rash or blisters: 起了好多小红点, 身上起湿疹, 鼓起来一个大水泡
            [one_of("skin_verbs"), gap(5), one_of("skin_marks")],
            # gas escaping: 燃气灶的阀门有砂眼在漏气
            [one_of("gas_things"), gap(6), one_of("gas_leaks")],
            # an allergy that happened: 一用就过敏, 用了两天过敏了
            [exactly("就", "全身"), exactly("过敏")],
            [
                exactly(
                    "用", "用了", "用完", "吃了", "吃完", "喝了", "喝完", "涂", "擦", "穿", "戴"
                ),
                gap(3),
                exactly("过敏"),
            ],
            # blood: 满嘴是血, 血止不住
            [
                exactly(
                    "满嘴", "满手", "满脸", "满身", "一手", "一脸", "一身", "一地", "全是", "都是"
                ),
                gap(1),
                exactly("血"),
            ],
            [exactly("血"), exactly("止不住", "直流", "不止", "流", "一直流")],
        ]

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
        # A word found in the characters is quoted as written, not as the tokens around it.
        exact: dict[tuple[int, int], tuple[int, int]] = {}
        for span, chars in _char_spans(doc, self.anywhere):
            found[SignalKind.HAZARD].append(span)
            exact.setdefault((span.start, span.end), chars)
        blocked[SignalKind.HAZARD].extend(
            span for span, _ in _char_spans(doc, self.anywhere_exceptions)
        )

        signals: list[Signal] = []
        for kind, spans in found.items():
            for span in filter_spans(spans):
                if _overlaps_any(span, blocked[kind]) or not self._keeps(kind, span):
                    continue
                if kind is SignalKind.SLA_MISSED:
                    span = self._with_service_verb(span)
                start, end = exact.get((span.start, span.end), _chars(span))
                signals.append(Signal(kind, quoted[start:end], start, end))
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
        negations = set(self.lexicon.words(kind, "negations"))
        hypothetical = set(self.lexicon.words(kind, "hypothetical"))
        before = [token for token in doc[max(0, span.start - 4) : span.start]]
        if before and before[-1].lower_ in negations:
            return False
        clause: list[str] = []
        for token in reversed(before):
            if token.is_punct:
                break
            clause.append(token.lower_)
        # 用了会不会过敏, 手上没起泡: a worry or a denial inside a longer match counts too.
        inside = {token.lower_ for token in span[1:]}
        if (set(clause) | inside) & hypothetical or (len(span) > 1 and inside & negations):
            return False
        return not self._on_a_garment(span)

    def _on_a_garment(self, span: Span) -> bool:
        """裤子膝盖那里破了个洞: a body part named with a garment is a place on the garment."""
        words = self.lexicon.words
        if span[0].lower_ not in _lower(self.lexicon, SignalKind.HAZARD, "body_spots"):
            return False
        garments = set(words(SignalKind.HAZARD, "garment_words"))
        doc = span.doc
        start, end = span.start, span.end
        while start > 0 and not doc[start - 1].is_punct:
            start -= 1
        while end < len(doc) and not doc[end].is_punct:
            end += 1
        return any(token.lower_ in garments for token in doc[start:end])

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


def _alternation(words: list[str]) -> re.Pattern[str] | None:
    # Longest first, so 食物中毒 is taken whole before 中毒.
    words = sorted({word for word in words if word}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def _char_spans(doc: Doc, pattern: re.Pattern[str] | None) -> list[tuple[Span, tuple[int, int]]]:
    """Each place the pattern matches the (lower-cased) text: the tokens covering it, and it."""
    if pattern is None:
        return []
    spans = []
    for match in pattern.finditer(doc.text.lower()):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            spans.append((span, (match.start(), match.end())))
    return spans


def _lower(lexicon: Lexicon, kind: SignalKind, name: str) -> list[str]:
    return [word.lower() for word in lexicon.words(kind, name)]


def _overlaps_any(span: Span, others: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


def _chars(span: Span) -> tuple[int, int]:
    return span.start_char, span.end_char
