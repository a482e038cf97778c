"""The shared input checks: every message names the field, the value and what is allowed."""

from datetime import date
from enum import StrEnum

import pytest

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.validation import (
    ProblemCollector,
    enum_value,
    int_in_range,
    iso_date,
    no_unknown_keys,
    number_in_range,
    require_key,
    require_mapping,
)


class Regimen(StrEnum):
    PROPHYLAXIS = "prophylaxis"
    ON_DEMAND = "on_demand"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "x.y: -1 is outside 0-3"),
        (4, "x.y: 4 is outside 0-3"),
        ("2", "x.y: '2' is outside 0-3"),
        (True, "x.y: True is outside 0-3"),
        (1.5, "x.y: 1.5 is outside 0-3"),
        (None, "x.y: null is outside 0-3"),
    ],
    ids=["below", "above", "string", "boolean", "fraction", "null"],
)
def test_int_in_range_refuses_with_field_value_and_range(value: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=f"^{message}$"):
        int_in_range("x.y", value, 0, 3)


@pytest.mark.parametrize("value", [0, 3, 2.0], ids=["low-edge", "high-edge", "whole-float"])
def test_int_in_range_accepts_edges(value: object) -> None:
    assert int_in_range("x", value, 0, 3) == int(value)  # type: ignore[call-overload]


def test_number_in_range_without_cap_names_only_lower_bound() -> None:
    assert number_in_range("weight_kg", 12.5, 0) == 12.5
    with pytest.raises(InvalidInputError, match=r"^weight_kg: -1 is below 0$"):
        number_in_range("weight_kg", -1, 0)


def test_enum_value_lists_allowed_codes() -> None:
    assert enum_value("regimen", "on_demand", Regimen) is Regimen.ON_DEMAND
    with pytest.raises(
        InvalidInputError, match="regimen: 'weekly' is not one of prophylaxis, on_demand"
    ):
        enum_value("regimen", "weekly", Regimen)


def test_iso_date_parses_and_refuses() -> None:
    assert iso_date("start_date", "2026-01-05") == date(2026, 1, 5)
    with pytest.raises(InvalidInputError, match="start_date: '05/01/2026' is not a date"):
        iso_date("start_date", "05/01/2026")


def test_mapping_key_and_unknown_key_checks() -> None:
    with pytest.raises(InvalidInputError, match="joints: 3 is not an object"):
        require_mapping("joints", 3)
    with pytest.raises(InvalidInputError, match="left_knee.strength: is missing; expected 0-4"):
        require_key({}, "strength", "left_knee", "0-4")
    with pytest.raises(
        InvalidInputError, match="left_knee.sweling: 'sweling' is not one of swelling"
    ):
        no_unknown_keys("left_knee", {"sweling": 1}, ["swelling"])


def test_collector_reports_every_problem_in_one_error() -> None:
    problems = ProblemCollector()
    problems.check(int_in_range, "a", 9, 0, 3)
    problems.check(int_in_range, "b", -2, 0, 3)
    with pytest.raises(InvalidInputError) as raised:
        problems.raise_if_any()
    assert [problem.field for problem in raised.value.problems] == ["a", "b"]
    assert str(raised.value) == "a: 9 is outside 0-3; b: -2 is outside 0-3"


def test_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        InvalidInputError([])


def test_problem_keeps_structured_parts_for_the_api() -> None:
    problem = FieldProblem.not_one_of("respondent", "teacher", ["child", "parent"])
    assert (problem.field, problem.value, problem.allowed) == (
        "respondent",
        "teacher",
        "child, parent",
    )
