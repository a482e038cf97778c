"""The exercise library's shape, lookup and the contraindication rules of ``suitable``.

Rules under test (issue 4, "An exercise library ..."): no high-impact or heavy loading
with active synovitis; low-impact only with severe cartilage or bone damage; nothing
loading a joint with a bleed in progress (until a hematologist clears it); age
suitability; a game or parent-child play variant for children aged 7 or younger
(REFERENCE.md section 1). The joint statuses are built with the shipped provisional
thresholds (``rehab_rules.json``): synovitis >= 1, cartilage >= 3, bone = 2, a bleed
pausing loading for 28 days.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest

from hemojoint.definitions import load_definition
from hemojoint.domain.anatomy import BleedSite, IndexJoint, Side
from hemojoint.domain.errors import DefinitionError, InvalidInputError
from hemojoint.domain.instruments import head_us
from hemojoint.domain.rehab.joint_status import (
    JointStatus,
    RecentBleed,
    RehabRules,
    joint_statuses,
)
from hemojoint.domain.rehab.library import Exercise, ExerciseLibrary, suitable
from hemojoint.domain.rehab.model import Variant

AS_OF = date(2026, 1, 5)
PAUSE_DAYS = 28  # rehab_rules.json
RULES = RehabRules.from_mapping(load_definition("rehab_rules"))


def _text(word: str) -> dict[str, str]:
    return {"en": f"{word} (English)", "zh-Hans": f"中文 {word}"}


def _entry(code: str = "knee_game", **overrides: Any) -> dict[str, Any]:
    """A valid exercise loading both knees, open to ages 4-18, with a game variant."""
    entry = {
        "code": code,
        "category": "dynamic_strength",
        "name": _text("name"),
        "purpose": ["weakness"],
        "joints": [{"kind": "knee", "load": "weight_bearing"}],
        "sides": "both",
        "position": "standing",
        "equipment": ["body_weight"],
        "loading": "light",
        "impact": "low",
        "instructions": _text("instructions"),
        "dosage": {
            "sets": 2,
            "reps": 10,
            "hold_seconds": None,
            "minutes": None,
            "rest_seconds": 30,
        },
        "progression": _text("progression"),
        "progresses_to": None,
        "min_age_years": 4,
        "max_age_years": 18,
        "contraindications": [],
        "game_variant": _text("game"),
    }
    return entry | overrides


def _library(*entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": "exercise_library",
        "name": "test library",
        "version": "1",
        "status": "provisional",
        "source": "tests",
        "notes": "tests",
        "exercises": list(entries),
    }


def _exercise(**overrides: Any) -> Exercise:
    return ExerciseLibrary.from_mapping(_library(_entry(**overrides))).exercises[0]


# --- validation -------------------------------------------------------------------


def test_a_valid_entry_parses_and_renders_back() -> None:
    exercise = _exercise()
    assert exercise.code == "knee_game"
    assert exercise.as_dict() == _entry()


def _edit(path: str, value: Any) -> dict[str, Any]:
    """The valid entry with one (possibly nested, dotted) field set; ``...`` deletes it."""
    entry = copy.deepcopy(_entry())
    *parents, last = path.split(".")
    target = entry
    for key in parents:
        target = target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return entry


BROKEN = [
    ("impact", "extreme", r"exercises\.knee_game\.impact: 'extreme' is not one of none, low"),
    ("category", "yoga", r"exercises\.knee_game\.category: 'yoga' is not one of"),
    ("purpose", [], r"exercises\.knee_game\.purpose: \[\] is empty"),
    ("purpose", ["stiffness"], r"exercises\.knee_game\.purpose\[0\]: 'stiffness' is not one of"),
    ("joints", [{"kind": "hip", "load": "none"}], r"knee_game\.joints\[0\]\.kind: 'hip'"),
    (
        "joints",
        [{"kind": "knee", "load": "none"}, {"kind": "knee", "load": "stretch"}],
        r"exercises\.knee_game\.joints: .* repeats a kind",
    ),
    ("equipment", ["ball", "ball"], r"exercises\.knee_game\.equipment: .* repeats an entry"),
    ("contraindications", ["fever"], r"knee_game\.contraindications\[0\]: 'fever' is not one"),
    ("instructions.zh-Hans", ..., r"exercises\.knee_game\.instructions\.zh-Hans: null is not"),
    ("instructions.zh-Hans", "Stand up", r"instructions\.zh-Hans: 'Stand up' has no Chinese"),
    ("name.en", "  ", r"exercises\.knee_game\.name\.en: '  ' is not non-empty text"),
    ("name.fr", "Debout", r"exercises\.knee_game\.name\.fr: 'fr' is not one of en, zh-Hans"),
    ("dosage.sets", 0, r"exercises\.knee_game\.dosage\.sets: 0 is outside 1-10"),
    ("dosage.reps", None, r"exercises\.knee_game\.dosage: .* gives none of reps, hold_seconds"),
    ("dosage.rest_seconds", ..., r"exercises\.knee_game\.dosage\.rest_seconds: is missing"),
    ("max_age_years", 19, r"exercises\.knee_game\.max_age_years: 19 is outside 0-18"),
    ("max_age_years", 3, r"exercises\.knee_game\.max_age_years: 3 is below min_age_years 4"),
    ("game_variant", None, r"exercises\.knee_game\.game_variant: is missing; expected a game"),
    ("progresses_to", "nowhere", r"knee_game\.progresses_to: 'nowhere' is not another exercise"),
    ("progresses_to", "knee_game", r"knee_game\.progresses_to: 'knee_game' is not another"),
    ("loading", "none", r"exercises\.knee_game\.loading: 'none' does not match the loads"),
    ("position", ..., r"exercises\.knee_game\.position: is missing"),
    ("colour", "red", r"exercises\.knee_game\.colour: 'colour' is not one of code, category"),
]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [pytest.param(*case, id=f"{case[0]}={case[1]!r}") for case in BROKEN],
)
def test_a_broken_entry_names_its_code_and_field(path: str, value: Any, message: str) -> None:
    with pytest.raises(DefinitionError, match=rf"^exercise_library definition: .*{message}"):
        ExerciseLibrary.from_mapping(_library(_edit(path, value)))


def test_impact_needs_a_weight_bearing_leg_joint() -> None:
    arms = _entry(joints=[{"kind": "elbow", "load": "weight_bearing"}], impact="low")
    with pytest.raises(DefinitionError, match=r"knee_game\.impact: 'low' needs a knee or ankle"):
        ExerciseLibrary.from_mapping(_library(arms))


def test_a_bad_code_is_named_by_position() -> None:
    with pytest.raises(
        DefinitionError, match=r"exercises\[1\]\.code: 'Knee Game' is not snake_case"
    ):
        ExerciseLibrary.from_mapping(_library(_entry(), _entry("Knee Game")))


def test_repeated_codes_are_refused() -> None:
    with pytest.raises(
        DefinitionError, match=r"exercises\.knee_game\.code: 'knee_game' is repeated"
    ):
        ExerciseLibrary.from_mapping(_library(_entry(), _entry()))


def test_every_problem_is_reported_at_once() -> None:
    library = _library(_entry("first", impact="extreme"), _entry("second", position="upside_down"))
    with pytest.raises(DefinitionError, match=r"first\.impact: .*; .*second\.position: "):
        ExerciseLibrary.from_mapping(library)


def test_empty_library_and_bad_identity_are_refused() -> None:
    with pytest.raises(DefinitionError, match=r"exercises: \[\] is empty"):
        ExerciseLibrary.from_mapping(_library())
    with pytest.raises(DefinitionError, match=r"status: 'final' is not one of"):
        ExerciseLibrary.from_mapping(_library(_entry()) | {"status": "final"})


@pytest.mark.parametrize(
    ("min_age", "needs_game"),
    [
        pytest.param(7, True, id="min-age-7-needs-game"),
        pytest.param(8, False, id="min-age-8-no-game-needed"),
    ],
)
def test_game_variant_required_when_open_to_age_7(min_age: int, needs_game: bool) -> None:
    # REFERENCE.md section 1: "Children aged 7 or younger get the same content as games".
    library = _library(_entry(min_age_years=min_age, game_variant=None))
    if needs_game:
        with pytest.raises(DefinitionError, match=r"game_variant: is missing"):
            ExerciseLibrary.from_mapping(library)
    else:
        assert ExerciseLibrary.from_mapping(library).exercises[0].game_variant is None


# --- lookup and variants -----------------------------------------------------------


def test_lookup_by_code() -> None:
    library = ExerciseLibrary.from_mapping(_library(_entry("a"), _entry("b", progresses_to="a")))
    assert library.get("b").progresses_to == "a"
    assert "a" in library
    assert "c" not in library
    with pytest.raises(InvalidInputError, match=r"^exercise: 'c' is not one of a, b$"):
        library.get("c")


@pytest.mark.parametrize(
    ("age", "game_variant", "variant"),
    [
        pytest.param(7, _text("game"), Variant.GAME, id="age-7-game"),
        pytest.param(8, _text("game"), Variant.STANDARD, id="age-8-standard"),
        pytest.param(12, None, Variant.STANDARD, id="no-game-text"),
    ],
)
def test_variant_for_age(age: int, game_variant: Any, variant: Variant) -> None:
    exercise = _exercise(min_age_years=4 if game_variant else 8, game_variant=game_variant)
    assert exercise.variant_for(age) is variant


# --- suitability: age ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "ok", "reason"),
    [
        pytest.param(5, False, "age 5 is below the minimum 6", id="5-below"),
        pytest.param(6, True, None, id="6-min"),
        pytest.param(14, True, None, id="14-max"),
        pytest.param(15, False, "age 15 is above the maximum 14", id="15-above"),
    ],
)
def test_age_bounds(age: int, ok: bool, reason: str | None) -> None:
    exercise = _exercise(min_age_years=6, max_age_years=14)
    assert suitable(exercise, age_years=age, joint_statuses={}) == (ok, (reason,) if reason else ())


# --- suitability: joint conditions ---------------------------------------------------


def _statuses(
    ultrasound: dict[str, int] | None = None,
    bleed_days_ago: int | None = None,
    cleared: bool = False,
    joint: IndexJoint = IndexJoint.LEFT_KNEE,
) -> dict[IndexJoint, JointStatus]:
    items = {"synovitis": 0, "cartilage": 0, "bone": 0} | (ultrasound or {})
    bleeds = []
    if bleed_days_ago is not None:
        bleeds = [RecentBleed(BleedSite(joint.value), AS_OF - timedelta(days=bleed_days_ago))]
    return joint_statuses(
        ultrasound_joints={joint: head_us.parse_joint(joint.value, items)},
        hjhs=None,
        recent_bleeds=bleeds,
        cleared_joints={joint: AS_OF} if cleared else {},
        as_of=AS_OF,
        rules=RULES,
    )


def _ok(
    exercise: Exercise, statuses: dict[IndexJoint, JointStatus], side: Side | None = None
) -> bool:
    ok, reasons = suitable(exercise, age_years=10, joint_statuses=statuses, side=side)
    assert ok is (not reasons)
    return ok


@pytest.mark.parametrize(
    ("synovitis", "overrides", "ok"),
    [
        pytest.param(0, {"impact": "high"}, True, id="synovitis-0-high-impact"),
        pytest.param(1, {"impact": "high"}, False, id="synovitis-1-high-impact"),
        pytest.param(1, {"impact": "moderate"}, True, id="synovitis-1-moderate-impact"),
        pytest.param(0, {"loading": "heavy"}, True, id="synovitis-0-heavy"),
        pytest.param(1, {"loading": "heavy"}, False, id="synovitis-1-heavy"),
        pytest.param(1, {"loading": "moderate"}, True, id="synovitis-1-moderate"),
    ],
)
def test_active_synovitis_rule(synovitis: int, overrides: dict[str, str], ok: bool) -> None:
    exercise = _exercise(**overrides)
    assert _ok(exercise, _statuses({"synovitis": synovitis})) is ok


@pytest.mark.parametrize(
    ("item", "value", "impact", "ok"),
    [
        pytest.param("cartilage", 2, "moderate", True, id="cartilage-2-moderate"),
        pytest.param("cartilage", 3, "moderate", False, id="cartilage-3-moderate"),
        pytest.param("cartilage", 3, "low", True, id="cartilage-3-low"),
        pytest.param("cartilage", 3, "high", False, id="cartilage-3-high"),
        pytest.param("bone", 1, "high", True, id="bone-1-high"),
        pytest.param("bone", 2, "high", False, id="bone-2-high"),
        pytest.param("bone", 2, "low", True, id="bone-2-low"),
    ],
)
def test_severe_damage_allows_low_impact_only(item: str, value: int, impact: str, ok: bool) -> None:
    assert _ok(_exercise(impact=impact), _statuses({item: value})) is ok


@pytest.mark.parametrize(
    ("days_ago", "cleared", "ok"),
    [
        pytest.param(PAUSE_DAYS - 1, False, False, id="day-N-1"),
        pytest.param(PAUSE_DAYS, False, True, id="day-N"),
        pytest.param(PAUSE_DAYS + 1, False, True, id="day-N+1"),
        pytest.param(3, True, True, id="cleared-by-hematologist"),
    ],
)
def test_bleed_pauses_loading(days_ago: int, cleared: bool, ok: bool) -> None:
    exercise = _exercise(impact="none")
    assert _ok(exercise, _statuses(bleed_days_ago=days_ago, cleared=cleared)) is ok


@pytest.mark.parametrize(
    ("load", "ok"),
    [
        pytest.param("none", True, id="moving-without-load"),
        pytest.param("resisted", False, id="resisted"),
        pytest.param("stretch", False, id="stretch-or-traction"),
    ],
)
def test_bleed_blocks_every_load_on_the_joint(load: str, ok: bool) -> None:
    loading = "none" if load in ("none", "stretch") else "light"
    exercise = _exercise(joints=[{"kind": "knee", "load": load}], impact="none", loading=loading)
    assert _ok(exercise, _statuses(bleed_days_ago=1)) is ok


def test_other_joints_do_not_block() -> None:
    exercise = _exercise(impact="high", loading="heavy")
    statuses = _statuses(
        {"synovitis": 2, "cartilage": 4}, bleed_days_ago=1, joint=IndexJoint.LEFT_ELBOW
    )
    assert _ok(exercise, statuses)


@pytest.mark.parametrize(
    ("sides", "side", "ok"),
    [
        pytest.param("one", Side.RIGHT, True, id="one-side-on-the-healthy-knee"),
        pytest.param("one", Side.LEFT, False, id="one-side-on-the-bleeding-knee"),
        pytest.param("one", None, False, id="one-side-on-both-knees"),
        pytest.param("both", Side.RIGHT, False, id="both-sides-together"),
    ],
)
def test_which_side_is_checked(sides: str, side: Side | None, ok: bool) -> None:
    exercise = _exercise(sides=sides, impact="none")
    assert _ok(exercise, _statuses(bleed_days_ago=1), side=side) is ok


def test_explicit_contraindication_applies_to_joints_worked_without_load() -> None:
    exercise = _exercise(
        joints=[{"kind": "knee", "load": "none"}],
        loading="none",
        impact="none",
        contraindications=["active_synovitis"],
    )
    ok, reasons = suitable(exercise, age_years=10, joint_statuses=_statuses({"synovitis": 1}))
    assert not ok
    assert reasons == (
        "left_knee: knee_game is contraindicated with active synovitis "
        "(left_knee synovitis = 1 on ultrasound)",
    )


def test_every_reason_is_given_with_its_evidence() -> None:
    exercise = _exercise(impact="high", loading="heavy", min_age_years=12, game_variant=None)
    statuses = _statuses({"synovitis": 2, "bone": 2}, bleed_days_ago=2)
    ok, reasons = suitable(exercise, age_years=11, joint_statuses=statuses)
    assert not ok
    assert reasons == (
        "age 11 is below the minimum 12",
        "left_knee: high impact with active synovitis (left_knee synovitis = 2 on ultrasound)",
        "left_knee: heavy loading with active synovitis (left_knee synovitis = 2 on ultrasound)",
        "left_knee: high impact with severe damage, low only (left_knee bone = 2 on ultrasound)",
        "left_knee: loads a joint paused for a bleed until a hematologist clears it "
        "(left_knee.bleed_start = 2026-01-03)",
    )
