"""Registry entries of the text family."""

from features.text import FEATURES, TEXT_DEFAULTS


def test_specs_are_complete_and_render() -> None:
    names = [spec.name for spec in FEATURES]
    assert len(names) == len(set(names))
    for spec in FEATURES:
        assert spec.family == "text" and spec.name.startswith("txt_")
        assert spec.description_en and spec.description_zh and spec.reason_en and spec.reason_zh
        assert "{" not in spec.reason(1.0, "zh") and "{" not in spec.reason(1.0, "en")
    assert dict.fromkeys(names, 0.0) == TEXT_DEFAULTS


def test_escalation_count_reason_reads_naturally() -> None:
    spec = next(s for s in FEATURES if s.name == "txt_escalation_intent_count_30d")
    assert spec.reason(2.0) == "近30天投诉中提及2次升级投诉意向"
