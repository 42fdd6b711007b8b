"""Priority rules in the rule book's order, and the words that raise them (no classifier)."""

from __future__ import annotations

import pytest

from bot.knowledge import load_policy
from bot.settings import PROJECT_ROOT
from bot.triage import assess
from bot.triage.model import blank_pipeline, prepare_text
from bot.triage.priority import Decision, Evidence, Priority, decide_priority
from bot.triage.signals import SignalMatcher, load_lexicon

KNOWLEDGE = PROJECT_ROOT / "knowledge"
THRESHOLD = load_policy(KNOWLEDGE).number("triage.high_value_order_fen")


def test_the_threshold_comes_from_policy() -> None:
    assert THRESHOLD == 100000


# --- the rules on plain values ---------------------------------------------------------------


def test_a_calm_complaint_is_p4_with_no_reasons() -> None:
    assert decide_priority(Evidence(), THRESHOLD) == Decision(Priority.P4, [])


@pytest.mark.parametrize(
    ("evidence", "reason"),
    [
        (Evidence(repeat_contact=("说了好几次",)), "重复来问：说了好几次"),
        (Evidence(prior_contacts=2), "重复来问：此前已就该订单投诉2次"),
        (Evidence(amounts=(269900,)), "高金额：2699元"),
        (Evidence(order_total_fen=100000), "高金额：订单金额1000元"),
        (Evidence(anger=("垃圾",)), "情绪激烈：垃圾"),
        (Evidence(sla_missed=("说好48小时发货",)), "超时未处理：说好48小时发货"),
        (Evidence(sla_flag=True), "超时未处理：已超过承诺时限"),
    ],
)
def test_each_raiser_alone_lifts_p4_to_p3(evidence: Evidence, reason: str) -> None:
    assert decide_priority(evidence, THRESHOLD) == Decision(Priority.P3, [reason])


def test_amounts_below_the_threshold_do_not_raise() -> None:
    evidence = Evidence(amounts=(99999,), order_total_fen=99999)
    assert decide_priority(evidence, THRESHOLD).priority is Priority.P4


def test_two_raisers_give_p2() -> None:
    evidence = Evidence(anger=("垃圾",), amounts=(230000,))
    assert decide_priority(evidence, THRESHOLD) == Decision(
        Priority.P2, ["高金额：2300元", "情绪激烈：垃圾"]
    )


def test_raisers_never_go_above_p2() -> None:
    evidence = Evidence(
        repeat_contact=("第三次",),
        amounts=(1200000,),
        anger=("骗子",),
        sla_missed=("说好3天内回复",),
        prior_contacts=3,
        sla_flag=True,
    )
    decision = decide_priority(evidence, THRESHOLD)
    assert decision.priority is Priority.P2
    assert len(decision.reasons) == 4


def test_a_threat_alone_is_p2() -> None:
    assert decide_priority(Evidence(threats=("12315",)), THRESHOLD) == Decision(
        Priority.P2, ["投诉威胁：12315"]
    )


def test_a_threat_with_raisers_stays_p2() -> None:
    evidence = Evidence(threats=("消协",), anger=("垃圾",), repeat_contact=("第二次",))
    assert decide_priority(evidence, THRESHOLD).priority is Priority.P2


def test_a_hazard_is_p1_whatever_else_and_comes_first() -> None:
    evidence = Evidence(hazards=("起火",), threats=("律师",), anger=("垃圾",))
    assert decide_priority(evidence, THRESHOLD) == Decision(
        Priority.P1, ["安全隐患：起火", "情绪激烈：垃圾", "投诉威胁：律师"]
    )


def test_the_hazard_classifiers_guess_is_p1_marked_as_a_guess() -> None:
    decision = decide_priority(
        Evidence(hazard_guess="整壶开水浇在腿上", anger=("垃圾",)), THRESHOLD
    )
    assert decision.priority is Priority.P1
    assert decision.reasons == ["安全隐患（模型判断，请核实）：整壶开水浇在腿上", "情绪激烈：垃圾"]


def test_a_matched_hazard_word_is_named_instead_of_the_guess() -> None:
    decision = decide_priority(Evidence(hazards=("起火",), hazard_guess="充电时"), THRESHOLD)
    assert decision.reasons == ["安全隐患：起火"]


def test_a_hazard_alone_is_p1() -> None:
    assert decide_priority(Evidence(hazards=("冒烟",)), THRESHOLD).priority is Priority.P1


def test_the_same_word_twice_is_named_once() -> None:
    decision = decide_priority(Evidence(anger=("垃圾", "垃圾", "骗子")), THRESHOLD)
    assert decision.reasons == ["情绪激烈：垃圾、骗子"]


# --- the rules on real texts, through the matchers -------------------------------------------


@pytest.fixture(scope="module")
def signals() -> SignalMatcher:
    return SignalMatcher(blank_pipeline(KNOWLEDGE), load_lexicon(KNOWLEDGE / "triage.yml"))


def judge(
    signals: SignalMatcher,
    text: str,
    *,
    order_total_fen: int | None = None,
    prior_contacts: int = 0,
    sla_missed: bool = False,
) -> Decision:
    doc = signals.nlp.make_doc(prepare_text(text))
    return assess(
        doc,
        text,
        signals,
        THRESHOLD,
        order_total_fen=order_total_fen,
        prior_contacts=prior_contacts,
        sla_missed=sla_missed,
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("充电宝充着电突然起火了，吓死了", "安全隐患：起火"),
        ("插上电源后面就冒烟了", "安全隐患：冒烟"),
        ("电池爆炸了", "安全隐患：爆炸"),
        ("热水壶漏电，我摸了一下被电了一下", "安全隐患：漏电、电了一下"),
        ("刀片飞出来把我手划伤了", "安全隐患：划伤"),
        ("用了你们的暖宝宝腿上烫伤了", "安全隐患：烫伤"),
        ("吃了你家的肉松全家食物中毒", "安全隐患：食物中毒"),
        ("孩子误吞了玩具上掉下来的零件", "安全隐患：误吞"),
        ("玻璃门掉下来，去医院缝了三针", "安全隐患：去医院、缝了三针"),
        ("玻璃渣扎进手里，流了好多血", "安全隐患：扎进手里、流了好多血"),
        ("拆箱的时候手指划了个口", "安全隐患：手指划了个口"),
    ],
)
def test_a_safety_hazard_is_p1(signals: SignalMatcher, text: str, reason: str) -> None:
    decision = judge(signals, text)
    assert decision.priority is Priority.P1
    assert decision.reasons[0] == reason


def test_p1_even_with_threats_anger_and_money(signals: SignalMatcher) -> None:
    text = "垃圾！！！6299买的手机炸了，我要打12315，还要找律师"
    decision = judge(signals, text, prior_contacts=2)
    assert decision.priority is Priority.P1
    assert decision.reasons[0] == "安全隐患：炸了"
    assert "投诉威胁：12315、律师" in decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "这款卖得火爆，就是发货慢",
        "吃了你家的辣条有点上火",
        "爆款就这质量？线头太多了",
        "快递冒烟的速度我很满意，就是颜色发错了",
        "我都气得冒烟了，东西还没发货",
        "万一起火怎么办，插头用一会就很烫",
        "会不会漏电啊，外壳有裂缝",
        "还好没受伤，但是杯子碎了",
        "裙子也被划了一道口子",
        "沙发划了个口子，质量太差",
        "快递放在门口了，箱子碎了",
        "儿童自行车的刹车不灵，很危险",
    ],
)
def test_slang_worries_and_denials_are_not_hazards(signals: SignalMatcher, text: str) -> None:
    decision = judge(signals, text)
    assert decision.priority is not Priority.P1
    assert not any(reason.startswith("安全隐患") for reason in decision.reasons)


# --- hazards told without a hazard word (kinds of events and injuries) -----------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("插线板插孔那里一股烧塑料的味道，外壳都熔了一块", "安全隐患：烧塑料、外壳都熔"),
        ("电饭煲底下突然冒出一股青烟", "安全隐患：冒出一股青烟"),
        ("嘭的一声后盖崩开了", "安全隐患：嘭的一声后盖崩开"),
        ("洗衣机外壳带电，碰了一下胳膊都麻了", "安全隐患：带电"),
        ("电吹风手握的地方电了我一下", "安全隐患：电了我"),
        ("冰箱门把手一摸就麻", "安全隐患：一摸就麻"),
        ("玻璃水壶裂了，开水全洒我脚上", "安全隐患：开水全洒我脚上"),
        ("脖子后面烫出一片红印子", "安全隐患：脖子后面烫出一片红印子"),
        ("热水袋半夜自己爆了", "安全隐患：热水袋半夜自己爆"),
        ("孩子喝了酸奶，吐了一夜", "安全隐患：吐了一夜"),
        ("吃了月饼第二天跑了一上午厕所", "安全隐患：跑了一上午厕所"),
        ("宝宝从餐椅上栽下来了", "安全隐患：宝宝从餐椅上栽下来"),
        ("孩子把纽扣电池吃进去了", "安全隐患：孩子把纽扣电池吃进去"),
        ("刷头卡在嗓子眼，咳了半天", "安全隐患：卡在嗓子眼"),
        ("孩子的腿卡进去拔不出来", "安全隐患：孩子的腿卡进去"),
        ("书架倒了，砸中我女儿的鼻子", "安全隐患：砸中我女儿的鼻子"),
        ("学步车翻了，嘴唇磕破了满嘴是血", "安全隐患：嘴唇磕破、满嘴是血"),
        ("用了洗衣液全家身上起了一片红疹", "安全隐患：起了一片红疹"),
        ("狗粮吃了以后狗狗一直吐", "安全隐患：一直吐"),
        ("把地毯烤焦了一大块", "安全隐患：地毯烤焦"),
        ("染发膏用完头皮又红又肿，去皮肤科挂号了", "安全隐患：头皮又红又肿、去皮肤科"),
        ("燃气灶的阀门有砂眼一直在漏气", "安全隐患：燃气灶的阀门有砂眼一直在漏气"),
        ("装完热水器厨房一股煤气味", "安全隐患：煤气味"),
        ("药晚到了三天，我爸在家晕倒了", "安全隐患：晕倒"),
        ("店员推了我一把，额头磕出了血", "安全隐患：磕出了血"),
        ("撞到展示架上，后脑勺起了个鼓包", "安全隐患：后脑勺起了个鼓包"),
        ("玻璃碎了，眼角被划了个口子", "安全隐患：眼角被划了个口子"),
        ("台阶缺了一块，一脚踩空把脚崴了", "安全隐患：把脚崴"),
        ("充着电床单被烤黄了一大块", "安全隐患：床单被烤黄"),
    ],
)
def test_a_hazard_told_indirectly_is_p1(signals: SignalMatcher, text: str, reason: str) -> None:
    decision = judge(signals, text)
    assert decision.priority is Priority.P1
    assert decision.reasons[0] == reason


@pytest.mark.parametrize(
    "text",
    [
        "这款空气炸锅卖得火爆，就是颜色不对",
        "卷发棒烫头发烫半天还是直的",
        "针织开衫洗一次就起球",
        "客服一针见血地说是我弄坏的",
        "双十一血拼的东西一个都没发",
        "拉链拉了好几次都拉不开",
        "毛衣起了很多小疙瘩",
        "裤子膝盖那里破了个洞",
        "我对羊毛过敏，收到的却是羊毛混纺的",
        "体温计一直显示发烧，明明体温正常",
        "快递箱子被雨水泡了，书全湿了",
        "冰箱一直有电流声，吵得睡不着",
        "流血价清仓的衣服，线头一大堆",
        "买的灭火器到底有没有消防认证",
        "自带电池吗，充电到一半就停了",
        "差点烫到我，这壶盖也太松了",
        "客服回得慢，我头顶都要冒烟了",
        "自行车轮胎漏气了，打了气第二天又瘪了",
        "这卫衣小得勒得喘不过气",
        "充电宝用了半年电池鼓包了",
        "我妈的手机壳颜色发错了",
    ],
)
def test_look_alike_words_are_not_hazards(signals: SignalMatcher, text: str) -> None:
    decision = judge(signals, text)
    assert decision.priority is not Priority.P1
    assert not any(reason.startswith("安全隐患") for reason in decision.reasons)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("这个问题我说了好几次了", "重复来问：说了好几次"),
        ("我已经问了3遍了", "重复来问：问了3遍"),
        ("催了好几天了还是没人理", "重复来问：催了好几天"),
        ("这是我第三次来问了", "重复来问：第三次"),
        ("多次联系客服都没用", "重复来问：多次联系"),
        ("我又来问了，到底怎么回事", "重复来问：又来问"),
    ],
)
def test_repeated_contact_raises_one_level(signals: SignalMatcher, text: str, reason: str) -> None:
    assert judge(signals, text) == Decision(Priority.P3, [reason])


def test_prior_complaints_from_history_count_as_repeated_contact(
    signals: SignalMatcher,
) -> None:
    decision = judge(signals, "衣服掉色了", prior_contacts=1)
    assert decision == Decision(Priority.P3, ["重复来问：此前已就该订单投诉1次"])


def test_a_second_purchase_is_not_a_repeated_contact(signals: SignalMatcher) -> None:
    assert judge(signals, "第二次买你家的东西了，这次颜色不对").priority is Priority.P4


@pytest.mark.parametrize(
    ("text", "total", "reason"),
    [
        ("2699买的手机屏幕有坏点", None, "高金额：2699元"),
        ("两千三的外套开线了", None, "高金额：2300元"),
        ("一万二的空调不制冷", None, "高金额：12000元"),
        ("屏幕有坏点", 259900, "高金额：订单金额2599元"),
    ],
)
def test_high_value_raises_one_level(
    signals: SignalMatcher, text: str, total: int | None, reason: str
) -> None:
    assert judge(signals, text, order_total_fen=total) == Decision(Priority.P3, [reason])


def test_a_cheap_order_is_not_high_value(signals: SignalMatcher) -> None:
    assert judge(signals, "八百多的鞋子开胶了", order_total_fen=80000).priority is Priority.P4


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("什么垃圾东西", "垃圾"),
        ("你们就是骗子", "骗子"),
        ("恶心死了", "恶心"),
        ("气死我了", "气死我了"),
        ("SB客服", "SB"),
        ("到底什么时候发货!!!!", "!!!!"),
        ("到底什么时候发货！！！", "！！！"),
        ("🤬🤬", "🤬"),
    ],
)
def test_anger_raises_one_level_and_quotes_the_words(
    signals: SignalMatcher, text: str, word: str
) -> None:
    assert judge(signals, text) == Decision(Priority.P3, [f"情绪激烈：{word}"])


def test_one_exclamation_mark_is_not_rage(signals: SignalMatcher) -> None:
    assert judge(signals, "请尽快处理！谢谢！").priority is Priority.P4


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("说好48小时发货，现在都5天了", "超时未处理：说好48小时发货"),
        ("说好3天内回复，一周了", "超时未处理：说好3天内回复"),
        ("你们承诺24小时发货，现在过去两天了", "超时未处理：承诺24小时发货"),
        ("说好的今天发货，又没发", "超时未处理：说好的今天发货"),
    ],
)
def test_a_missed_promise_raises_one_level(signals: SignalMatcher, text: str, reason: str) -> None:
    assert judge(signals, text) == Decision(Priority.P3, [reason])


def test_the_sla_flag_from_the_caller_raises_one_level(signals: SignalMatcher) -> None:
    assert judge(signals, "还没发货", sla_missed=True).priority is Priority.P3


def test_a_policy_promise_is_not_a_deadline(signals: SignalMatcher) -> None:
    assert judge(signals, "说好的7天无理由退货，怎么不给退").priority is Priority.P4
    assert judge(signals, "说好的价保30天，降价了不给补").priority is Priority.P4


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("再不处理我就打12315", "12315"),
        ("我要去消协投诉你们", "消协"),
        ("我要去消费者协会", "消费者协会"),
        ("等着我找媒体曝光", "媒体、曝光"),
        ("我要发微博让大家看看", "发微博"),
        ("等着收律师函吧", "律师函"),
        ("我要去法院起诉你们", "法院、起诉"),
        ("我去市场监管局举报", "市场监管局"),
    ],
)
def test_a_threat_gives_p2(signals: SignalMatcher, text: str, word: str) -> None:
    assert judge(signals, text) == Decision(Priority.P2, [f"投诉威胁：{word}"])


def test_seeing_an_ad_on_weibo_is_not_a_threat(signals: SignalMatcher) -> None:
    assert judge(signals, "在微博上看到你们的广告才买的").priority is Priority.P4


def test_two_raisers_in_one_text_give_p2(signals: SignalMatcher) -> None:
    decision = judge(signals, "说好48小时发货，现在都5天了，我问了3遍了")
    assert decision == Decision(Priority.P2, ["重复来问：问了3遍", "超时未处理：说好48小时发货"])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # jieba cuts these words apart: 起 / 火把, 开水烫 / 到, 尾椎骨 / 裂, 把头 / 磕破
        ("电动车充电时起火把车座烧了", "安全隐患：起火"),
        ("壶把断了，开水烫到我腿", "安全隐患：烫到"),
        ("柜子倒了，我爸摔得尾椎骨裂了", "安全隐患：骨裂"),
        ("护栏塌了，孩子把头磕破了", "安全隐患：头磕破"),
        ("全洒我脚背上起了一片水泡", "安全隐患：片水泡"),
    ],
)
def test_a_hazard_word_split_by_the_segmenter_is_still_found(
    signals: SignalMatcher, text: str, reason: str
) -> None:
    decision = judge(signals, text)
    assert decision.priority is Priority.P1
    assert reason in decision.reasons
