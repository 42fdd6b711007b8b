"""The trained classifier: saved with to_disk, loaded back, right on unmistakable complaints."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from spacy.language import Language

from bot.settings import PROJECT_ROOT
from bot.triage import CATEGORIES, Priority, Triager
from bot.triage.model import (
    CLAUSE_BREAK,
    ModelMissing,
    balanced,
    blank_pipeline,
    classifier_text,
    classify,
    guessed_hazard,
    load_hazard_pipeline,
    load_pipeline,
    train_pipeline,
)
from bot.triage.signals import SignalMatcher, load_lexicon
from tests.triage_model import slice_of_training_data, triage_model_dir


@pytest.fixture(scope="module")
def triager(tmp_path_factory: pytest.TempPathFactory) -> Triager:
    return Triager(load_pipeline(triage_model_dir(tmp_path_factory)))


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("物流显示已签收，但是我根本没收到包裹，快递柜里也没有", "logistics_lost"),
        ("付款一个星期了还没发货，一直显示待发货", "not_shipped"),
        ("我买的黑色M码，你们发来的是白色L码，发错货了", "wrong_or_missing_item"),
        ("快递箱子压扁了，里面的杯子全碎了", "logistics_damaged"),
        ("客服态度太差了，说话阴阳怪气还挂我电话", "service_attitude"),
        ("退货寄回去一个星期了，你们签收了还不给我退款", "after_sales_unresolved"),
    ],
)
def test_unmistakable_complaints_get_their_category(
    triager: Triager, text: str, category: str
) -> None:
    assert triager.triage(text).category == category


def test_a_fire_is_p1_whatever_the_category(triager: Triager) -> None:
    result = triager.triage("电热毯用着用着起火了，被子都烧了")
    assert result.priority is Priority.P1
    assert result.reasons[0].startswith("安全隐患：")
    assert result.category in CATEGORIES


@pytest.mark.parametrize(
    "text",
    [
        "你们卖的充电宝起火了，我要去12315投诉",
        "你们卖的充电宝起火了 我要去12315投诉",
        "你们卖的充电宝起火了我要去12315投诉",
        "充电宝冒烟了",
    ],
)
def test_a_hazard_with_no_other_grievance_is_the_products_defect(
    triager: Triager, text: str
) -> None:
    # Masking the hazard words leaves the classifier next to nothing: the hazard is the
    # grievance, which the rule book files under quality_defect.
    assert triager.triage(text).category == "quality_defect"


def test_training_is_deterministic_and_survives_a_round_trip(tmp_path: Path) -> None:
    pairs = slice_of_training_data(per_category=8)
    first, report = train_pipeline(pairs, epochs=3)
    second, _ = train_pipeline(pairs, epochs=3)
    text = "快递三天没更新物流了"
    assert classify(first, text) == classify(second, text)
    first.to_disk(tmp_path / "model")
    assert classify(load_pipeline(tmp_path / "model"), text) == classify(first, text)
    assert report.examples == len(pairs) and report.epochs == 3


def test_a_missing_model_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing, match="make train"):
        load_pipeline(tmp_path / "nothing-here")


def test_the_classifier_reads_the_grievance_without_the_hazard_words() -> None:
    nlp = blank_pipeline()
    signals = SignalMatcher(nlp, load_lexicon(PROJECT_ROOT / "knowledge" / "triage.yml"))
    text = "快递把箱子摔烂了，玻璃划伤了我的手，流了好多血"
    read = classifier_text(nlp, signals, text)
    assert "快递把箱子摔烂了" in read
    assert "划伤" not in read and "流了好多血" not in read


def test_every_category_weighs_about_the_same_in_training() -> None:
    categories = ["quality_defect"] * 6 + ["other"] * 2 + ["not_shipped"] * 3
    examples = list(range(len(categories)))
    order = balanced(examples, categories)  # type: ignore[arg-type]
    counts = {c: sum(1 for e in order if categories[e] == c) for c in set(categories)}
    assert counts == {"quality_defect": 6, "other": 6, "not_shipped": 6}


@pytest.fixture(scope="module")
def hazard_nlp(tmp_path_factory: pytest.TempPathFactory) -> Language:
    return load_hazard_pipeline(triage_model_dir(tmp_path_factory))


def test_the_hazard_classifier_quotes_the_clause_that_reads_like_a_hazard(
    hazard_nlp: Language,
) -> None:
    text = "昨天收到的电暖器，用了半小时后面冒出黑烟还着火了，差点把窗帘点着，你们必须赔"
    assert guessed_hazard(hazard_nlp, text) in CLAUSE_BREAK.split(text)
    assert guessed_hazard(hazard_nlp, text) != ""


def test_the_hazard_classifier_leaves_a_calm_complaint_alone(hazard_nlp: Language) -> None:
    assert guessed_hazard(hazard_nlp, "衣服颜色和图片上不太一样，偏暗一点，能换一件吗") == ""


def test_make_train_trains_on_every_labelled_file_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.triage.train import main

    def write(path: Path, items: list[tuple[str, str, str]]) -> Path:
        rows = [{"text": text, "category": category, "priority": p} for text, category, p in items]
        path.write_text(yaml.safe_dump({"version": 1, "items": rows}, allow_unicode=True))
        return path

    first = write(
        tmp_path / "complaints.yml",
        [(text, category, "P4") for text, category in slice_of_training_data(per_category=2)],
    )
    second = write(
        tmp_path / "hazard_contexts.yml",
        [("快递员把箱子扔到我儿子头上，缝了三针", "logistics_damaged", "P1")],
    )
    out = tmp_path / "model"

    assert main(["--data", str(first), str(second), "--out", str(out), "--epochs", "2"]) == 0

    texts = 2 * len(CATEGORIES) + 1
    assert f"triage model: {texts} texts" in capsys.readouterr().out
    assert (out / "meta.json").is_file() and (out / "hazard" / "meta.json").is_file()
