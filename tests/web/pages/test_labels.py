"""Goal measures read as words, in the page's language."""

from __future__ import annotations

from hemojoint.web import i18n
from hemojoint.web.pages.labels import measure_label


def test_measures_read_as_words_in_english_and_chinese() -> None:
    assert measure_label(str, "hjhs.right_elbow.joint_pain") == "HJHS · Right elbow · Joint pain"
    assert measure_label(str, "ultrasound.left_ankle.synovitis") == (
        "Ultrasound · Left ankle · Synovitis"
    )
    assert measure_label(str, "hjhs.gait") == "HJHS · Global gait"
    chinese = i18n.translations("zh-Hans").gettext
    assert (
        measure_label(chinese, "pain_score") == chinese("Pain score (0-10)") != "Pain score (0-10)"
    )
    assert measure_label(chinese, "hjhs.right_elbow.joint_pain").endswith(chinese("Joint pain"))
