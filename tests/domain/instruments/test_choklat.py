"""CHO-KLAT 2.0 scoring with the packaged provisional definition.

Expected values come from the rule in REFERENCE.md section 3, restated below as
literal sets (not read from choklat.json), and from hand arithmetic shown in the
comments. None is copied from running the code.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.errors import DefinitionError, InvalidInputError
from hemojoint.domain.instruments.base import Status
from hemojoint.domain.instruments.choklat import (
    ChoklatDefinition,
    Respondent,
    respondent_for_age,
    score,
    score_mapping,
    scorer_from_definition,
)

# REFERENCE.md section 3: these items score answer - 1; all others 5 - answer.
FORWARD = {1, 2, 7, 12, 13, 14, 19, 20, 21, 22, 29, 30, 35}
# REFERENCE.md section 3: option 6 is excluded (missing) / scores 4 for these items.
OPTION_6_EXCLUDED = {22, 25, 30, 31, 32, 33, 35}
OPTION_6_SCORES_4 = {23, 24, 26, 27, 28, 29, 34}
ITEMS = range(1, 36)
FIVE_OPTION_ITEMS = range(1, 22)
SIX_OPTION_ITEMS = range(22, 36)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "score"


@pytest.fixture(scope="module")
def raw_definition() -> dict[str, Any]:
    return load_definition("choklat")


@pytest.fixture(scope="module")
def definition(raw_definition: dict[str, Any]) -> ChoklatDefinition:
    return ChoklatDefinition.from_mapping(raw_definition)


def reference_item_score(item: int, answer: int) -> int:
    """REFERENCE.md's direction rule for answers 1-5."""
    return answer - 1 if item in FORWARD else 5 - answer


def answer_for(item: int, item_score: int) -> int:
    """The answer (1-5) that gives ``item_score`` under REFERENCE.md's rule."""
    return item_score + 1 if item in FORWARD else 5 - item_score


def responses_scoring(item_scores: list[int]) -> dict[str, int]:
    """Answers for items 1..len(item_scores) giving those item scores; the rest absent."""
    return {str(item): answer_for(item, s) for item, s in zip(ITEMS, item_scores, strict=False)}


def all_answered(answer: int = 3) -> dict[str, Any]:
    return {str(item): answer for item in ITEMS}


# --- direction map, every item --------------------------------------------------


@pytest.mark.parametrize(
    ("item", "answer"),
    [(item, answer) for item in ITEMS for answer in range(1, 6)],
    ids=[f"item{item}-answer{answer}" for item in ITEMS for answer in range(1, 6)],
)
def test_every_item_scores_in_its_reference_direction(
    definition: ChoklatDefinition, item: int, answer: int
) -> None:
    responses = all_answered() | {str(item): answer}
    result = score(definition, Respondent.CHILD, responses)
    assert result.item_scores[str(item)] == reference_item_score(item, answer)


@pytest.mark.parametrize("item", sorted(OPTION_6_EXCLUDED), ids=lambda item: f"item{item}")
def test_option_6_is_excluded_and_counted_missing(definition: ChoklatDefinition, item: int) -> None:
    result = score(definition, "child", all_answered() | {str(item): 6})
    assert result.item_scores[str(item)] is None
    assert result.missing_items == [str(item)]
    assert result.items_scored == 34


@pytest.mark.parametrize("item", sorted(OPTION_6_SCORES_4), ids=lambda item: f"item{item}")
def test_option_6_scores_best(definition: ChoklatDefinition, item: int) -> None:
    result = score(definition, "child", all_answered() | {str(item): 6})
    assert result.item_scores[str(item)] == 4
    assert result.items_scored == 35


def test_the_two_option_6_lists_cover_items_22_to_35() -> None:
    # A guard on the restated reference lists themselves.
    assert set(SIX_OPTION_ITEMS) == OPTION_6_EXCLUDED | OPTION_6_SCORES_4


# --- answer ranges --------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "answer", "accepted"),
    [
        ("1", 0, False),
        ("1", 1, True),
        ("1", 5, True),
        ("1", 6, False),
        ("21", 6, False),
        ("22", 0, False),
        ("22", 1, True),
        ("22", 6, True),
        ("22", 7, False),
        ("35", 7, False),
    ],
    ids=[
        "item1-below-1",
        "item1-at-1",
        "item1-at-5",
        "item1-above-5",
        "item21-above-5",
        "item22-below-1",
        "item22-at-1",
        "item22-at-6",
        "item22-above-6",
        "item35-above-6",
    ],
)
def test_answer_ranges(
    definition: ChoklatDefinition, item: str, answer: int, accepted: bool
) -> None:
    responses = all_answered() | {item: answer}
    if accepted:
        assert score(definition, "child", responses).score is not None
    else:
        high = 5 if int(item) <= 21 else 6
        with pytest.raises(
            InvalidInputError, match=rf"^responses\.{item}: {answer} is outside 1-{high}$"
        ):
            score(definition, "child", responses)


@pytest.mark.parametrize(
    ("value", "shown"),
    [("3", "'3'"), (True, "True"), (2.5, "2.5")],
    ids=["string", "boolean", "fraction"],
)
def test_answers_must_be_whole_numbers(
    definition: ChoklatDefinition, value: object, shown: str
) -> None:
    with pytest.raises(InvalidInputError, match=rf"responses\.4: {shown} is outside 1-5"):
        score(definition, "child", all_answered() | {"4": value})


def test_every_invalid_answer_is_reported_at_once(definition: ChoklatDefinition) -> None:
    responses = all_answered() | {"2": 0, "30": 9}
    with pytest.raises(InvalidInputError, match=r"responses\.2: 0 .*; responses\.30: 9 ") as caught:
        score(definition, "child", responses)
    assert [problem.field for problem in caught.value.problems] == ["responses.2", "responses.30"]


def test_unknown_item_is_refused(definition: ChoklatDefinition) -> None:
    with pytest.raises(
        InvalidInputError, match=r"responses\.36: '36' is not an item; expected 1-35"
    ):
        score(definition, "child", all_answered() | {"36": 2})


def test_unknown_top_level_key_is_refused(definition: ChoklatDefinition) -> None:
    data = {"respondent": "child", "responses": {}, "age": 9}
    with pytest.raises(InvalidInputError, match=r"^age: 'age' is not one of respondent, responses"):
        score_mapping(definition, data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"responses": {}}, r"respondent: is missing; expected child or parent"),
        (
            {"respondent": "mother", "responses": {}},
            r"respondent: 'mother' is not one of child, parent",
        ),
        ({"respondent": "child"}, r"responses: is missing"),
        ({"respondent": "child", "responses": [3, 4]}, r"responses: \[3, 4\] is not an object"),
    ],
    ids=["no-respondent", "bad-respondent", "no-responses", "responses-not-object"],
)
def test_envelope_errors(definition: ChoklatDefinition, data: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        score_mapping(definition, data)


# --- missing items and the threshold --------------------------------------------


@pytest.mark.parametrize(
    ("missing", "has_score"),
    [(7, True), (8, True), (9, False)],
    ids=["7-missing", "8-missing-at-threshold", "9-missing"],
)
def test_missing_threshold(definition: ChoklatDefinition, missing: int, has_score: bool) -> None:
    # REFERENCE.md: no score when more than 8 answers are missing.
    responses = {str(item): 3 for item in range(missing + 1, 36)}
    result = score(definition, "parent", responses)
    assert (result.score is not None) is has_score
    assert result.items_scored == 35 - missing
    assert result.as_dict()["items_missing"] == missing


def test_null_and_excluded_option_6_count_as_missing(definition: ChoklatDefinition) -> None:
    # 7 null + item 22 answered 6 (excluded) = 8 missing: still scored; one more null = 9.
    responses = all_answered() | {str(item): None for item in range(1, 8)} | {"22": 6}
    assert score(definition, "child", responses).score is not None
    responses["8"] = None
    assert score(definition, "child", responses).score is None


# --- the scale and rounding -----------------------------------------------------


def test_all_best_answers_score_100(definition: ChoklatDefinition) -> None:
    result = score(definition, "child", responses_scoring([4] * 35))
    assert result.score == Decimal("100.0")
    assert result.as_dict()["score"] == 100.0


def test_all_worst_answers_score_0(definition: ChoklatDefinition) -> None:
    result = score(definition, "child", responses_scoring([0] * 35))
    assert result.score == Decimal("0.0")


def test_best_answers_with_option_6_still_score_100(definition: ChoklatDefinition) -> None:
    # Option 6 either scores 4 or drops out, so the maximum stays 100.
    responses = responses_scoring([4] * 35) | {str(item): 6 for item in SIX_OPTION_ITEMS}
    assert score(definition, "child", responses).score == Decimal("100.0")


@pytest.mark.parametrize(
    ("item_scores", "expected"),
    [
        ([1] * 7 + [0] * 21, "6.3"),  # 25 x 7 / 28 = 6.25: half rounds up (round() says 6.2)
        ([1] * 8 + [0] * 24, "6.3"),  # 25 x 8 / 32 = 6.25
        ([1] * 35 + [0] * 0, "25.0"),  # exact
        ([2] * 7 + [1] * 21, "31.3"),  # 25 x 35 / 28 = 31.25 (round() says 31.2)
        ([1] * 23 + [0] * 5, "20.5"),  # 25 x 23 / 28 = 20.536: below the half, stays
        ([1] * 10 + [0] * 22, "7.8"),  # 25 x 10 / 32 = 7.8125: below the half, stays
    ],
    ids=["6.25-up", "6.25-up-n32", "exact", "31.25-up", "20.536-down", "7.8125-down"],
)
def test_rounding_is_half_up_to_one_decimal(
    definition: ChoklatDefinition, item_scores: list[int], expected: str
) -> None:
    result = score(definition, "child", responses_scoring(item_scores))
    assert result.score == Decimal(expected)


def test_hand_computed_mixed_example(definition: ChoklatDefinition) -> None:
    # The shipped example (examples/score/choklat.json), scored by hand:
    #  items 1-21 answers 4 5 2 1 2 3 4 2 1 2 2 4 3 5 1 2 3 2 4 5 4
    #   -> item scores   3 4 3 4 3 2 3 3 4 3 3 3 2 4 4 3 2 3 3 4 3  (sum 66)
    #  items 22-35 answers 6 2 6 1 2 3 1 5 4 2 6 1 2 null
    #   -> 22 excluded, 23:3, 24:4 (option 6), 25:4, 26:3, 27:2, 28:4, 29:4,
    #      30:3, 31:3, 32 excluded, 33:4, 34:3, 35 missing          (sum 37)
    #  32 items scored, 3 missing; 25 x 103 / 32 = 80.46875 -> 80.5
    data = json.loads((EXAMPLES / "choklat.json").read_text(encoding="utf-8"))
    result = score_mapping(definition, data).as_dict()
    assert result["score"] == 80.5
    assert result["items_scored"] == 32
    assert result["items_missing"] == 3
    assert result["missing_items"] == ["22", "32", "35"]
    assert result["respondent"] == "child"
    assert result["age_years"] == 14


def test_result_starts_with_provenance(definition: ChoklatDefinition) -> None:
    result = score(definition, "parent", all_answered()).as_dict()
    assert list(result)[:4] == ["instrument", "version", "status", "source"]
    assert result["instrument"] == "choklat"
    assert result["status"] == "provisional"
    # Every answer 3 scores 2 under either direction: 25 x 2 = 50.
    assert result["score"] == 50.0


# --- respondent rule ------------------------------------------------------------


@pytest.mark.parametrize(
    ("age_years", "expected"),
    [
        (4, Respondent.PARENT),
        (11, Respondent.PARENT),
        (12, Respondent.CHILD),
        (18, Respondent.CHILD),
    ],
    ids=["4-parent", "11-parent", "12-child", "18-child"],
)
def test_respondent_for_age(age_years: int, expected: Respondent) -> None:
    # Issue 2 / REFERENCE.md: parents answer for ages 4-11, children from 12 to 18.
    assert respondent_for_age(age_years) is expected


@pytest.mark.parametrize("age_years", [3, 19], ids=["3-too-young", "19-too-old"])
def test_respondent_for_age_outside_4_to_18(age_years: int) -> None:
    with pytest.raises(InvalidInputError, match=rf"^age_years: {age_years} is outside 4-18$"):
        respondent_for_age(age_years)


@pytest.mark.parametrize(
    ("respondent", "age_years"),
    [("parent", 4), ("parent", 11), ("child", 12), ("child", 18)],
    ids=["parent-4", "parent-11", "child-12", "child-18"],
)
def test_respondent_matching_age_is_accepted(
    definition: ChoklatDefinition, respondent: str, age_years: int
) -> None:
    result = score(definition, respondent, all_answered(), age_years=age_years)
    assert result.as_dict()["respondent"] == respondent


@pytest.mark.parametrize(
    ("respondent", "age_years", "expected"),
    [
        ("child", 4, "parent"),
        ("child", 11, "parent"),
        ("parent", 12, "child"),
        ("parent", 18, "child"),
    ],
    ids=["child-4", "child-11", "parent-12", "parent-18"],
)
def test_respondent_not_matching_age_is_refused(
    definition: ChoklatDefinition, respondent: str, age_years: int, expected: str
) -> None:
    message = (
        rf"^respondent: '{respondent}' does not fit age_years {age_years}; expected '{expected}'"
    )
    with pytest.raises(InvalidInputError, match=message):
        score(definition, respondent, all_answered(), age_years=age_years)


@pytest.mark.parametrize("age_years", [3, 19], ids=["3", "19"])
def test_age_outside_range_in_input_is_refused(
    definition: ChoklatDefinition, age_years: int
) -> None:
    with pytest.raises(InvalidInputError, match=rf"age_years: {age_years} is outside 4-18"):
        score(definition, "child", all_answered(), age_years=age_years)


# --- the definition is data -----------------------------------------------------


def test_packaged_definition_identity(definition: ChoklatDefinition) -> None:
    assert definition.info.code == "choklat"
    assert definition.info.status is Status.PROVISIONAL
    assert "CHO-KLAT" in definition.info.source
    assert list(definition.items) == [str(item) for item in ITEMS]


def test_centre_override_changes_the_score_without_code_changes(
    raw_definition: dict[str, Any], tmp_path: Path
) -> None:
    # A centre's manual says item 3 is forward-scored: answer 2 then scores 1, not 3.
    centre = copy.deepcopy(raw_definition)
    centre["items"]["3"]["direction"] = "forward"
    centre["version"] = "2.0-centre"
    (tmp_path / "choklat.json").write_text(json.dumps(centre), encoding="utf-8")
    scorer = scorer_from_definition(load_definition("choklat", tmp_path))
    data = {"respondent": "child", "responses": all_answered() | {"3": 2}}
    packaged = scorer_from_definition(raw_definition).score_mapping(data).as_dict()
    overridden = scorer.score_mapping(data).as_dict()
    # Packaged: 34 items score 2, item 3 scores 3 -> 25 x 71 / 35 = 50.714 -> 50.7.
    # Centre:   34 items score 2, item 3 scores 1 -> 25 x 69 / 35 = 49.286 -> 49.3.
    assert packaged["score"] == 50.7
    assert overridden["score"] == 49.3
    assert overridden["version"] == "2.0-centre"


def test_centre_override_of_missing_threshold(raw_definition: dict[str, Any]) -> None:
    responses = {str(item): 3 for item in range(10, 36)}  # 9 missing
    centre = copy.deepcopy(raw_definition) | {"max_missing": 9}
    assert score(ChoklatDefinition.from_mapping(raw_definition), "child", responses).score is None
    assert score(ChoklatDefinition.from_mapping(centre), "child", responses).score == Decimal(
        "50.0"
    )


def _broken(raw: dict[str, Any], path: list[str], value: object) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["source"], _DELETE, r"definition is missing source"),
        (["status"], "draft", r"choklat definition: status: 'draft' is not one of"),
        (["code"], "hjhs", r"code: 'hjhs' must be 'choklat'"),
        (["scale_factor"], 0, r"scale_factor: 0 must be a number above 0"),
        (["max_missing"], -1, r"max_missing: -1 must be at least 0"),
        (["decimals"], "one", r"decimals: 'one' must be a whole number"),
        (["items"], {}, r"items: \{\} must list at least one item"),
        (["items", "3", "direction"], "up", r"items\.3\.direction: 'up' is not one of"),
        (["items", "3", "dirction"], "forward", r"items\.3: 'dirction' is not one of"),
        (
            ["items", "22", "answer_overrides"],
            {},
            r"items\.22 answer: 6 gives item score 5, outside 0-4",
        ),
        (
            ["items", "1", "answer_overrides"],
            {"6": 4},
            r"answer_overrides: 6 is not an allowed answer",
        ),
        (["items", "23", "answer_overrides", "6"], "skip", r"answer_overrides\.6: 'skip' must be"),
        (["directions", "reverse", "offset"], 6, r"items\.3 answer: 1 gives item score 5, outside"),
    ],
    ids=[
        "no-source",
        "bad-status",
        "wrong-code",
        "zero-scale",
        "negative-threshold",
        "decimals-not-number",
        "no-items",
        "unknown-direction",
        "misspelt-item-key",
        "option-6-unhandled",
        "override-outside-answers",
        "override-not-score",
        "direction-out-of-range",
    ],
)
def test_malformed_definition_is_refused(
    raw_definition: dict[str, Any], path: list[str], value: object, message: str
) -> None:
    with pytest.raises(DefinitionError, match=message):
        scorer_from_definition(_broken(raw_definition, path, value))


def test_result_is_frozen(definition: ChoklatDefinition) -> None:
    result = score(definition, "child", all_answered())
    with pytest.raises(AttributeError):
        result.score = Decimal("1")  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.item_scores["1"] = 0  # type: ignore[index]
