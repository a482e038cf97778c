"""Joint map geometry: colour bands from the rule documented in pages/joint_map.py."""

from __future__ import annotations

import pytest

from hemojoint.web.pages.joint_map import (
    BAND_COLOURS,
    NO_SCORE,
    JointScores,
    band,
    half_path,
    layout,
)


# The documented rule: 0 -> none; above 0 up to 25 % of the maximum -> mild; up to 50 % ->
# moderate; above 50 % -> marked. HJHS joint maximum 20 (REFERENCE.md: joint total 0-20), so
# the cut-points are 5 (25 %) and 10 (50 %); HEAD-US joint maximum 8 gives 2 and 4.
@pytest.mark.parametrize(
    ("score", "maximum", "expected"),
    [
        (0, 20, "none"),
        (1, 20, "mild"),
        (5, 20, "mild"),
        (6, 20, "moderate"),
        (10, 20, "moderate"),
        (11, 20, "marked"),
        (20, 20, "marked"),
        (2, 8, "mild"),
        (3, 8, "moderate"),
        (4, 8, "moderate"),
        (5, 8, "marked"),
        (None, 20, "unscored"),
        (3, None, "unscored"),
    ],
    ids=lambda value: str(value),
)
def test_band_cut_points(score: float | None, maximum: float | None, expected: str) -> None:
    assert band(score, maximum) == expected


def test_half_discs_go_through_their_own_side() -> None:
    # Centre (100, 50), radius 18: top (100, 32), bottom (100, 68); sweep 0 passes the left.
    assert half_path(100, 50, "left") == "M 100 32 A 18 18 0 0 0 100 68 Z"
    assert half_path(100, 50, "right") == "M 100 32 A 18 18 0 0 1 100 68 Z"


def test_layout_puts_the_patients_right_on_the_readers_left_with_numbers() -> None:
    marks = {mark.joint: mark for mark in layout({"left_knee": JointScores(6, 20, 3, 8)})}
    assert set(marks) == {
        f"{side}_{joint}"
        for side in ("left", "right")
        for joint in ("elbow", "hip", "knee", "ankle")
    }
    assert marks["right_knee"].cx < marks["left_knee"].cx
    knee = marks["left_knee"]
    assert (knee.hjhs.label, knee.hjhs.band, knee.hjhs.fill) == ("6", "moderate", "#ef6c00")
    assert (knee.ultrasound.label, knee.ultrasound.band) == ("3", "moderate")
    # Numbers sit in the middle of each half: half a radius (9) left and right of the centre.
    assert (knee.hjhs.text_x, knee.ultrasound.text_x) == (knee.cx - 9, knee.cx + 9)
    empty = marks["right_hip"]
    assert (empty.hjhs.label, empty.hjhs.fill) == (NO_SCORE, BAND_COLOURS["unscored"])
