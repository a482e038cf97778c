"""The shipped exercise library: complete, bilingual, and covering the programme.

What it must contain comes from issue 4 ("An exercise library as versioned data written
by us, in English and Simplified Chinese ...") and REFERENCE.md section 1 (warm-up and
post-session stretching every time; parent-applied stretching and traction; posture
and weight shifting; sensory-integration games; body weight, then bands and sandbags;
the same content as games or parent-child play for children aged 7 or younger).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.instruments.base import Status
from hemojoint.domain.rehab.library import (
    GAME_VARIANT_MAX_AGE_YEARS,
    LANGUAGES,
    Category,
    Equipment,
    Exercise,
    ExerciseLibrary,
    JointKind,
    JointLoad,
)
from hemojoint.domain.rehab.model import ProblemCode

HAN = re.compile(r"[\u4e00-\u9fff]")
LIBRARY = ExerciseLibrary.from_mapping(load_definition("exercise_library"))


def test_shipped_library_is_provisional_versioned_and_ours() -> None:
    assert LIBRARY.info.code == "exercise_library"
    assert LIBRARY.info.status is Status.PROVISIONAL
    assert LIBRARY.info.version
    assert "physiotherapists" in LIBRARY.notes
    assert "our own content" in LIBRARY.info.source


def test_at_least_30_exercises_with_stable_snake_case_codes() -> None:
    assert len(LIBRARY.exercises) >= 30
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", code) for code in LIBRARY.codes)
    assert len(set(LIBRARY.codes)) == len(LIBRARY.codes)


def _texts(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """Every ``{"en", "zh-Hans"}`` text in a rendered exercise, with where it is."""
    if isinstance(value, dict) and "en" in value:
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}")


@pytest.mark.parametrize("exercise", LIBRARY.exercises, ids=LIBRARY.codes)
def test_every_text_is_in_english_and_simplified_chinese(exercise: Exercise) -> None:
    texts = dict(_texts(exercise.as_dict(), exercise.code))
    expected = {"name", "instructions", "progression"} | (
        {"game_variant"} if exercise.game_variant else set()
    )
    assert {path.rsplit(".", 1)[1] for path in texts} == expected
    for path, text in texts.items():
        assert tuple(text) == LANGUAGES, path
        assert text["en"].strip(), path
        assert HAN.search(text["zh-Hans"]), path
        assert not re.search(r"[A-Za-z]{4,}", text["zh-Hans"]), f"{path}: English left in Chinese"


@pytest.mark.parametrize("exercise", LIBRARY.exercises, ids=LIBRARY.codes)
def test_every_exercise_open_to_age_7_or_younger_has_a_game_variant(exercise: Exercise) -> None:
    # REFERENCE.md section 1: ages 7 or younger get the content as games or parent-child play.
    if exercise.min_age_years <= GAME_VARIANT_MAX_AGE_YEARS:
        assert exercise.game_variant is not None


@pytest.mark.parametrize("problem", list(ProblemCode), ids=[p.value for p in ProblemCode])
def test_every_problem_has_at_least_two_exercises(problem: ProblemCode) -> None:
    assert len(LIBRARY.for_problem(problem)) >= 2


@pytest.mark.parametrize("category", list(Category), ids=[c.value for c in Category])
def test_every_category_is_present(category: Category) -> None:
    # Warm-up, cool-down stretching, parent stretching and traction, posture, weight shift,
    # sensory integration, isometric then dynamic strength, range of motion, gait, balance.
    assert LIBRARY.in_category(category)


def _kinds(category: Category) -> set[JointKind]:
    return {kind for exercise in LIBRARY.in_category(category) for kind in exercise.joint_kinds}


@pytest.mark.parametrize(
    "category",
    [
        Category.PARENT_STRETCH,
        Category.PARENT_TRACTION,
        Category.RANGE_OF_MOTION,
        Category.ISOMETRIC_STRENGTH,
        Category.DYNAMIC_STRENGTH,
    ],
    ids=lambda category: category.value,
)
def test_knee_ankle_and_elbow_each_covered(category: Category) -> None:
    assert _kinds(category) == set(JointKind)


@pytest.mark.parametrize(
    ("muscle_group", "codes"),
    [
        pytest.param("quadriceps", {"iso_quadriceps_set", "dyn_short_arc_quad"}, id="quadriceps"),
        pytest.param(
            "hamstrings", {"iso_hamstring_heel_dig", "dyn_hamstring_curl_band"}, id="hamstrings"
        ),
        pytest.param(
            "calf and dorsiflexors",
            {"iso_ankle_push", "dyn_ankle_band_dorsiflexion", "dyn_heel_raises"},
            id="calf-dorsiflexors",
        ),
        pytest.param(
            "elbow flexors and extensors",
            {"iso_elbow_push_press", "dyn_elbow_curl", "dyn_elbow_extension_band"},
            id="elbow",
        ),
    ],
)
def test_isometric_and_dynamic_work_for_each_muscle_group(
    muscle_group: str, codes: set[str]
) -> None:
    categories = {LIBRARY.get(code).category for code in codes}
    assert categories == {Category.ISOMETRIC_STRENGTH, Category.DYNAMIC_STRENGTH}, muscle_group


@pytest.mark.parametrize(
    ("first", "then"),
    [
        pytest.param(Category.ISOMETRIC_STRENGTH, Category.DYNAMIC_STRENGTH, id="strength"),
        pytest.param(Category.STATIC_BALANCE, Category.DYNAMIC_BALANCE, id="balance"),
    ],
)
def test_first_stage_progresses_to_the_next(first: Category, then: Category) -> None:
    # Issue 4: isometric and then dynamic strengthening; balance static then dynamic.
    for exercise in LIBRARY.in_category(first):
        chain = exercise
        while chain.progresses_to and chain.category is not then:
            chain = LIBRARY.get(chain.progresses_to)
        assert chain.category is then, exercise.code


def test_equipment_follows_body_weight_then_bands_and_sandbags() -> None:
    used = {item for exercise in LIBRARY.exercises for item in exercise.equipment}
    assert {Equipment.BODY_WEIGHT, Equipment.RESISTANCE_BAND, Equipment.SANDBAG} <= used


def test_parent_stretching_and_traction_stretch_the_joint_they_name() -> None:
    for category in (Category.PARENT_STRETCH, Category.PARENT_TRACTION):
        for exercise in LIBRARY.in_category(category):
            assert [joint.load for joint in exercise.joints] == [JointLoad.STRETCH], exercise.code
            assert exercise.joints[0].kind.value in exercise.code


def test_the_programme_ages_are_covered() -> None:
    # REFERENCE.md section 1: ages 4 to 18.
    for age in range(4, 19):
        assert any(
            exercise.min_age_years <= age <= exercise.max_age_years
            for exercise in LIBRARY.in_category(Category.WARM_UP)
        )
        assert any(
            exercise.min_age_years <= age <= exercise.max_age_years
            for exercise in LIBRARY.in_category(Category.COOL_DOWN)
        )
