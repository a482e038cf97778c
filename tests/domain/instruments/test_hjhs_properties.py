"""Hypothesis properties of HJHS 2.1 (REFERENCE.md section 3, "HJHS 2.1").

- Any valid input without NE scores a total within 0-124 that equals the six joint
  totals plus gait, and the subscores (which split the items without overlap) add up
  to the same total.
- Any NE makes the total null and the joint totals it touches null, and is listed.
- Any out-of-range item or gait is refused with its field named.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments.hjhs import parse_input, score

# REFERENCE.md section 3 item ranges, restated here so the test does not read the
# module's own table.
ITEM_MAX = {
    "swelling": 3,
    "swelling_duration": 1,
    "muscle_atrophy": 2,
    "crepitus": 2,
    "flexion_loss": 3,
    "extension_loss": 3,
    "joint_pain": 2,
    "strength": 4,
}
GAIT_MAX = 4
JOINTS = ["left_elbow", "right_elbow", "left_knee", "right_knee", "left_ankle", "right_ankle"]


def joint_strategy(allow_ne: bool) -> st.SearchStrategy[dict[str, Any]]:
    def item(high: int) -> st.SearchStrategy[Any]:
        values: st.SearchStrategy[Any] = st.integers(0, high)
        return values | st.just("NE") if allow_ne else values

    return st.fixed_dictionaries({name: item(high) for name, high in ITEM_MAX.items()})


def input_strategy(allow_ne: bool) -> st.SearchStrategy[dict[str, Any]]:
    gait: st.SearchStrategy[Any] = st.integers(0, GAIT_MAX)
    return st.fixed_dictionaries(
        {
            "joints": st.fixed_dictionaries({name: joint_strategy(allow_ne) for name in JOINTS}),
            "gait": gait | st.just("NE") if allow_ne else gait,
        }
    )


@given(input_strategy(allow_ne=False))
def test_valid_input_total_is_joint_totals_plus_gait_within_0_124(data: dict[str, Any]) -> None:
    result = score(parse_input(data))
    assert result.total is not None
    assert 0 <= result.total <= 124
    expected_joint_totals = [sum(data["joints"][name].values()) for name in JOINTS]
    assert [result.joint_totals[joint] for joint in result.joint_totals] == expected_joint_totals
    assert all(0 <= total <= 20 for total in expected_joint_totals)
    assert result.total == sum(expected_joint_totals) + data["gait"]
    subscores = list(result.subscores.values())
    assert None not in subscores
    assert sum(value for value in subscores if value is not None) == result.total
    assert (result.partial_total, result.partial_total_items) == (result.total, 49)


@given(input_strategy(allow_ne=True))
def test_ne_anywhere_means_no_total_and_is_listed(data: dict[str, Any]) -> None:
    result = score(parse_input(data))
    ne_fields = [
        f"{name}.{item}"
        for name in JOINTS
        for item in ITEM_MAX
        if data["joints"][name][item] == "NE"
    ]
    if data["gait"] == "NE":
        ne_fields.append("gait")
    assert result.as_dict()["not_evaluable"] == ne_fields
    assert (result.total is None) == bool(ne_fields)
    assert result.partial_total_items == 49 - len(ne_fields)
    for name, joint in zip(JOINTS, result.joint_totals, strict=True):
        has_ne = "NE" in data["joints"][name].values()
        assert (result.joint_totals[joint] is None) == has_ne


def out_of_range_cases() -> st.SearchStrategy[tuple[str, str, int, int]]:
    """(joint, item, bad value, item max) with the value below 0 or above the max."""

    def bad_value(item: str) -> st.SearchStrategy[tuple[str, int, int]]:
        high = ITEM_MAX[item]
        values = st.integers(max_value=-1) | st.integers(min_value=high + 1)
        return values.map(lambda value: (item, value, high))

    return st.tuples(
        st.sampled_from(JOINTS), st.sampled_from(list(ITEM_MAX)).flatmap(bad_value)
    ).map(lambda pair: (pair[0], *pair[1]))


@given(input_strategy(allow_ne=True), out_of_range_cases())
def test_out_of_range_item_is_refused_naming_the_field(
    data: dict[str, Any], case: tuple[str, str, int, int]
) -> None:
    joint, item, value, high = case
    data["joints"][joint][item] = value
    with pytest.raises(InvalidInputError) as caught:
        parse_input(data)
    messages = [problem.message for problem in caught.value.problems]
    assert messages == [f"{joint}.{item}: {value} is outside 0-{high}"]


@given(input_strategy(allow_ne=True), st.integers(max_value=-1) | st.integers(min_value=5))
def test_out_of_range_gait_is_refused_naming_the_field(data: dict[str, Any], value: int) -> None:
    data["gait"] = value
    with pytest.raises(InvalidInputError, match=rf"^gait: {value} is outside 0-4$"):
        parse_input(data)
