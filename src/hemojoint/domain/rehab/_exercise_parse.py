"""Reading and checking the exercise library definition (see :mod:`.exercise` for its shape).

Every problem in every exercise is collected and reported at once in one
:class:`DefinitionError`, each named ``exercises.<code>.<field>`` so that the
author of a library (ours or a centre's) can fix them all in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from hemojoint.domain.errors import DefinitionError, FieldProblem, InvalidInputError
from hemojoint.domain.instruments.base import InstrumentInfo
from hemojoint.domain.rehab.exercise import (
    GAME_VARIANT_MAX_AGE_YEARS,
    LANGUAGES,
    Category,
    Dosage,
    Equipment,
    Exercise,
    Impact,
    JointKind,
    JointLoad,
    LoadingLevel,
    Position,
    Sides,
    Text,
    WorkedJoint,
)
from hemojoint.domain.rehab.joint_status import Condition
from hemojoint.domain.rehab.model import ProblemCode
from hemojoint.domain.validation import (
    ProblemCollector,
    enum_value,
    fail,
    int_in_range,
    no_unknown_keys,
    require_key,
    require_list,
    require_mapping,
)

E = TypeVar("E")

_TOP_KEYS = ("code", "name", "version", "status", "source", "notes", "exercises")
_EXERCISE_KEYS = (
    *("code", "category", "name", "purpose", "joints", "sides", "position", "equipment"),
    *("loading", "impact", "instructions", "dosage", "progression", "progresses_to"),
    *("min_age_years", "max_age_years", "contraindications", "game_variant"),
)
_DOSAGE_KEYS = ("sets", "reps", "hold_seconds", "minutes", "rest_seconds")
_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Children's programme: ages 4-18 in the study (REFERENCE.md section 1); 0-18 accepted.
_MAX_AGE = 18
# Sanity bounds on dosage numbers in a file; not clinical values.
_DOSAGE_LIMITS = {"sets": (1, 10), "reps": (1, 100), "hold_seconds": (1, 300)}
_DOSAGE_LIMITS |= {"minutes": (1, 60), "rest_seconds": (0, 600)}
_OPTIONAL_DOSES = ("reps", "hold_seconds", "minutes")


def parse_library(data: Mapping[str, Any]) -> tuple[InstrumentInfo, str, tuple[Exercise, ...]]:
    """Identity, notes and exercises of a library; every problem raised at once."""
    try:
        no_unknown_keys("", data, _TOP_KEYS)
        info = InstrumentInfo.from_mapping(data)
        notes = _text_value("notes", require_key(data, "notes", "", "a text"))
        entries = require_list("exercises", require_key(data, "exercises", "", "a list"))
        problems = ProblemCollector()
        exercises = _parse_all(problems, entries)
        problems.raise_if_any()
    except (InvalidInputError, DefinitionError) as error:
        raise DefinitionError(f"exercise_library definition: {error}") from error
    return info, notes, exercises


def _parse_all(problems: ProblemCollector, entries: Sequence[object]) -> tuple[Exercise, ...]:
    if not entries:
        problems.add(FieldProblem.invalid("exercises", [], "at least one exercise", "is empty"))
    parsed = [_parse_exercise(problems, index, entry) for index, entry in enumerate(entries)]
    exercises = tuple(exercise for exercise in parsed if exercise is not None)
    _check_unique_codes(problems, entries)
    _check_progressions(problems, exercises)
    return exercises


def _parse_exercise(problems: ProblemCollector, index: int, entry: object) -> Exercise | None:
    record = problems.check(require_mapping, f"exercises[{index}]", entry)
    if record is None:
        return None
    code = problems.check(_code, f"exercises[{index}].code", record.get("code"))
    path = f"exercises.{code}" if code else f"exercises[{index}]"
    before = len(problems.problems)
    problems.check(no_unknown_keys, path, record, _EXERCISE_KEYS)
    fields = {key: _read(problems, path, record, key) for key in _EXERCISE_KEYS if key != "code"}
    if code is None or len(problems.problems) > before:
        return None
    exercise = Exercise(code=code, **fields)
    for problem in _consistency(path, exercise):
        problems.add(problem)
    return exercise


def _read(problems: ProblemCollector, path: str, record: Mapping[str, Any], key: str) -> Any:
    where = f"{path}.{key}"
    if key not in record:
        problems.add(FieldProblem.missing(where, _EXPECTED.get(key, "a value")))
        return None
    return problems.check(_FIELD_PARSERS[key], where, record[key])


def _code(where: str, value: object) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise fail(FieldProblem.invalid(where, value, "snake_case text", "is not snake_case"))
    return value


def _text_value(where: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(FieldProblem.wrong_type(where, value, "non-empty text"))
    return value.strip()


def _text(where: str, value: object) -> Text:
    """``{"en": ..., "zh-Hans": ...}``, both non-empty; the Chinese must be in Han characters."""
    record = require_mapping(where, value)
    no_unknown_keys(where, record, LANGUAGES)
    problems = ProblemCollector()
    english, chinese = (
        problems.check(_text_value, f"{where}.{language}", record.get(language))
        for language in LANGUAGES
    )
    problems.raise_if_any()
    if english is None or chinese is None or not _HAN.search(chinese):  # None: narrows types
        why = "has no Chinese characters"
        raise fail(FieldProblem.invalid(f"{where}.zh-Hans", chinese, "Simplified Chinese", why))
    return Text(english, chinese)


def _optional_text(where: str, value: object) -> Text | None:
    return None if value is None else _text(where, value)


def _optional_code(where: str, value: object) -> str | None:
    return None if value is None else _code(where, value)


def _enum_list(enum: type[Any], *, allow_empty: bool) -> Callable[[str, object], tuple[Any, ...]]:
    def parse(where: str, value: object) -> tuple[Any, ...]:
        items = tuple(
            enum_value(f"{where}[{index}]", item, enum)
            for index, item in enumerate(require_list(where, value))
        )
        if not items and not allow_empty:
            raise fail(FieldProblem.invalid(where, [], "at least one entry", "is empty"))
        if len(set(items)) != len(items):
            raise fail(FieldProblem.invalid(where, value, "no repeats", "repeats an entry"))
        return items

    return parse


def _enum(enum: type[Any]) -> Callable[[str, object], Any]:
    return lambda where, value: enum_value(where, value, enum)


def _joints(where: str, value: object) -> tuple[WorkedJoint, ...]:
    joints = []
    for index, entry in enumerate(require_list(where, value)):
        at = f"{where}[{index}]"
        record = require_mapping(at, entry)
        no_unknown_keys(at, record, ("kind", "load"))
        kind = enum_value(f"{at}.kind", require_key(record, "kind", at, "a joint kind"), JointKind)
        load = enum_value(f"{at}.load", require_key(record, "load", at, "a load"), JointLoad)
        joints.append(WorkedJoint(kind, load))
    if len({joint.kind for joint in joints}) != len(joints):
        raise fail(FieldProblem.invalid(where, value, "each joint kind once", "repeats a kind"))
    return tuple(joints)


def _dosage(where: str, value: object) -> Dosage:
    record = require_mapping(where, value)
    no_unknown_keys(where, record, _DOSAGE_KEYS)
    problems = ProblemCollector()
    sets, reps, hold_seconds, minutes, rest_seconds = (
        problems.check(_dose_number, where, record, key) for key in _DOSAGE_KEYS
    )
    problems.raise_if_any()
    if sets is None or rest_seconds is None:  # unreachable after raise_if_any; narrows types
        raise fail(FieldProblem.missing(f"{where}.sets", "a number"))
    if reps is None and hold_seconds is None and minutes is None:
        why = "gives none of reps, hold_seconds or minutes"
        raise fail(FieldProblem.invalid(where, value, "reps, hold_seconds or minutes", why))
    return Dosage(sets, reps, hold_seconds, minutes, rest_seconds)


def _dose_number(where: str, record: Mapping[str, Any], key: str) -> int | None:
    raw = require_key(record, key, where, "a number or null")
    if raw is None and key in _OPTIONAL_DOSES:
        return None
    low, high = _DOSAGE_LIMITS[key]
    return int_in_range(f"{where}.{key}", raw, low, high)


def _age(where: str, value: object) -> int:
    return int_in_range(where, value, 0, _MAX_AGE)


_FIELD_PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "category": _enum(Category),
    "name": _text,
    "purpose": _enum_list(ProblemCode, allow_empty=False),
    "joints": _joints,
    "sides": _enum(Sides),
    "position": _enum(Position),
    "equipment": _enum_list(Equipment, allow_empty=False),
    "loading": _enum(LoadingLevel),
    "impact": _enum(Impact),
    "instructions": _text,
    "dosage": _dosage,
    "progression": _text,
    "progresses_to": _optional_code,
    "min_age_years": _age,
    "max_age_years": _age,
    "contraindications": _enum_list(Condition, allow_empty=True),
    "game_variant": _optional_text,
}
_EXPECTED = {"game_variant": "a text in en and zh-Hans, or null", "progresses_to": "a code or null"}


def _consistency(path: str, exercise: Exercise) -> list[FieldProblem]:
    """Rules across fields, so that the contraindication checks can rely on the data."""
    problems = []
    if exercise.min_age_years > exercise.max_age_years:
        why = f"is below min_age_years {exercise.min_age_years}"
        allowed = f"{exercise.min_age_years} or more"
        problems.append(
            FieldProblem.invalid(f"{path}.max_age_years", exercise.max_age_years, allowed, why)
        )
    if exercise.min_age_years <= GAME_VARIANT_MAX_AGE_YEARS and exercise.game_variant is None:
        # REFERENCE.md section 1: ages 7 or younger get the content as games or play.
        expected = (
            f"a game or parent-child play variant (open to ages <= {GAME_VARIANT_MAX_AGE_YEARS})"
        )
        problems.append(FieldProblem.missing(f"{path}.game_variant", expected))
    if exercise.impact is not Impact.NONE and not _bears_weight_on_legs(exercise):
        why = "needs a knee or ankle listed as weight_bearing"
        problems.append(FieldProblem.invalid(f"{path}.impact", exercise.impact.value, "none", why))
    if (exercise.loading is LoadingLevel.NONE) == _bears_or_resists(exercise):
        allowed = "none exactly when no joint is weight_bearing or resisted"
        why = "does not match the loads of its joints"
        problems.append(
            FieldProblem.invalid(f"{path}.loading", exercise.loading.value, allowed, why)
        )
    return problems


def _bears_weight_on_legs(exercise: Exercise) -> bool:
    return any(
        joint.kind is not JointKind.ELBOW and joint.load is JointLoad.WEIGHT_BEARING
        for joint in exercise.joints
    )


def _bears_or_resists(exercise: Exercise) -> bool:
    return any(
        joint.load in (JointLoad.WEIGHT_BEARING, JointLoad.RESISTED) for joint in exercise.joints
    )


def _check_unique_codes(problems: ProblemCollector, entries: Sequence[object]) -> None:
    seen: set[str] = set()
    for entry in entries:
        code = entry.get("code") if isinstance(entry, Mapping) else None
        if isinstance(code, str) and code in seen:
            problems.add(
                FieldProblem.invalid(f"exercises.{code}.code", code, "unique", "is repeated")
            )
        if isinstance(code, str):
            seen.add(code)


def _check_progressions(problems: ProblemCollector, exercises: Sequence[Exercise]) -> None:
    codes = {exercise.code for exercise in exercises}
    for exercise in exercises:
        target = exercise.progresses_to
        if target is not None and (target not in codes or target == exercise.code):
            where = f"exercises.{exercise.code}.progresses_to"
            why = "is not another exercise of this library"
            problems.add(FieldProblem.invalid(where, target, "another exercise's code", why))
