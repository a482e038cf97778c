"""CHO-KLAT 2.0: quality of life of boys with hemophilia aged 4-18 (higher is better).

Reference: Young NL et al. Updating the Canadian hemophilia outcomes-kids life
assessment tool (CHO-KLAT Version 2.0). Value Health 2013;16(5):837-41.

The form is licensed: hemojoint knows items only by identifier ("1".."35"),
never by wording. The scoring rule is **provisional** (as implemented publicly,
not yet checked against the licensed manual), so every number of it (answer
ranges, direction of each item, what option 6 means, the scale factor, the
missing-item threshold, the decimals) lives in ``definitions/choklat.json``; this
module only declares the definition's shape and applies it:

* each answer becomes an item score ``multiplier x answer + offset`` of the item's
  direction, unless the item lists the answer in ``answer_overrides`` (a fixed
  score, or ``"missing"``: the answer is excluded and counts as missing);
* score = ``scale_factor`` x mean of the scored items, rounded half up;
* no score when more than ``max_missing`` items are missing.

Who answers (REFERENCE.md section 3, issue 2): parents (proxy) for ages 4-11,
the boy himself from 12 to 18. In the seed study the two bands met at 12; the
project rule gives 12 to the child.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from hemojoint.domain.errors import DefinitionError, FieldProblem, InvalidInputError, show_value
from hemojoint.domain.instruments.base import InstrumentInfo, Scorer, provenance
from hemojoint.domain.validation import (
    ProblemCollector,
    enum_value,
    fail,
    int_in_range,
    no_unknown_keys,
    require_key,
    require_mapping,
)

CODE = "choklat"
MISSING = "missing"

# The respondent rule is the project's protocol (issue 2), not a provisional
# scoring number, so it is declared here rather than in the definition file.
MIN_AGE_YEARS = 4
LAST_PROXY_AGE_YEARS = 11
MAX_AGE_YEARS = 18

_INPUT_KEYS = ("respondent", "responses", "age_years")
_ITEM_RULE_KEYS = ("options", "direction", "answer_overrides")


class Respondent(StrEnum):
    """Who filled in the form: the boy himself or a parent as proxy."""

    CHILD = "child"
    PARENT = "parent"


def respondent_for_age(age_years: int) -> Respondent:
    """Who answers CHO-KLAT at ``age_years`` (whole years, 4-18).

    Parents (proxy report) answer for ages 4-11; the boy answers himself from 12
    to 18. Ages outside 4-18 are outside the instrument and raise
    ``InvalidInputError``.

    >>> respondent_for_age(11), respondent_for_age(12)
    (<Respondent.PARENT: 'parent'>, <Respondent.CHILD: 'child'>)
    >>> respondent_for_age(19)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: age_years: 19 is outside 4-18
    """
    age = int_in_range("age_years", age_years, MIN_AGE_YEARS, MAX_AGE_YEARS)
    return Respondent.PARENT if age <= LAST_PROXY_AGE_YEARS else Respondent.CHILD


# --- the definition (shape only; the numbers come from choklat.json) ----------


@dataclass(frozen=True)
class ItemRule:
    """How one item's answer becomes an item score; ``None`` in overrides = missing."""

    options: int
    multiplier: int
    offset: int
    overrides: Mapping[int, int | None]

    def item_score(self, answer: int) -> int | None:
        if answer in self.overrides:
            return self.overrides[answer]
        return self.multiplier * answer + self.offset


@dataclass(frozen=True)
class ChoklatDefinition:
    """The provisional scoring rule, parsed and checked from its definition file."""

    info: InstrumentInfo
    answer_min: int
    items: Mapping[str, ItemRule]
    scale_factor: Decimal
    decimals: int
    max_missing: int

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ChoklatDefinition:
        """Parse ``choklat.json``; raise ``DefinitionError`` naming what is wrong."""
        info = _info(data)
        answer_min = _whole(data, "answer_min")
        score_range = (_whole(data, "item_score_min"), _whole(data, "item_score_max"))
        directions = _directions(_object(data, "directions", ""))
        raw_items = _object(data, "items", "")
        items = {
            str(item): _item_rule(raw_items, item, answer_min, score_range, directions)
            for item in raw_items
        }
        if not items:
            raise _definition_error("items", raw_items, "must list at least one item")
        return cls(
            info=info,
            answer_min=answer_min,
            items=MappingProxyType(items),
            scale_factor=_positive_decimal(data, "scale_factor"),
            decimals=_whole(data, "decimals", low=0),
            max_missing=_whole(data, "max_missing", low=0),
        )

    @property
    def item_span(self) -> str:
        """The item identifiers as a range, e.g. ``1-35``."""
        identifiers = list(self.items)
        return f"{identifiers[0]}-{identifiers[-1]}"


def _definition_error(where: str, value: object, why: str) -> DefinitionError:
    return DefinitionError(f"{CODE} definition: {where}: {show_value(value)} {why}")


def _info(data: Mapping[str, Any]) -> InstrumentInfo:
    try:
        info = InstrumentInfo.from_mapping(data)
    except DefinitionError as error:
        raise DefinitionError(f"{CODE} definition: {error}") from error
    if info.code != CODE:
        raise _definition_error("code", info.code, f"must be {CODE!r}")
    return info


def _object(data: Mapping[str, Any], key: str, prefix: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise _definition_error(prefix + key, value, "must be an object")
    return value


def _whole(data: Mapping[str, Any], key: str, prefix: str = "", low: int | None = None) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _definition_error(prefix + key, value, "must be a whole number")
    if low is not None and value < low:
        raise _definition_error(prefix + key, value, f"must be at least {low}")
    return value


def _positive_decimal(data: Mapping[str, Any], key: str) -> Decimal:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise _definition_error(key, value, "must be a number above 0")
    return Decimal(str(value))  # str() keeps 25 as 25, not a binary approximation


def _directions(raw: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    directions = {}
    for name in raw:
        rule = _object(raw, name, "directions.")
        prefix = f"directions.{name}."
        directions[str(name)] = (_whole(rule, "multiplier", prefix), _whole(rule, "offset", prefix))
    return directions


def _item_rule(
    raw_items: Mapping[str, Any],
    item: str,
    answer_min: int,
    score_range: tuple[int, int],
    directions: Mapping[str, tuple[int, int]],
) -> ItemRule:
    rule, where = _object(raw_items, item, "items."), f"items.{item}"
    for key in rule:  # a misspelt key would otherwise silently change the scoring
        if key not in _ITEM_RULE_KEYS:
            raise _definition_error(where, key, f"is not one of {list(_ITEM_RULE_KEYS)}")
    options = _whole(rule, "options", where + ".", low=answer_min)
    direction = rule.get("direction")
    if not isinstance(direction, str) or direction not in directions:
        why = f"is not one of {list(directions)}"
        raise _definition_error(f"{where}.direction", direction, why)
    overrides = _overrides(rule.get("answer_overrides", {}), f"{where}.answer_overrides")
    parsed = ItemRule(options, *directions[direction], MappingProxyType(overrides))
    _check_item_scores(parsed, where, answer_min, score_range)
    return parsed


def _overrides(raw: object, where: str) -> dict[int, int | None]:
    if not isinstance(raw, Mapping):
        raise _definition_error(where, raw, "must be an object")
    overrides: dict[int, int | None] = {}
    for answer, value in raw.items():
        if not str(answer).isdigit():
            raise _definition_error(where, answer, "is not an answer number")
        if value != MISSING and (isinstance(value, bool) or not isinstance(value, int)):
            raise _definition_error(f"{where}.{answer}", value, f"must be a score or {MISSING!r}")
        overrides[int(answer)] = None if value == MISSING else value
    return overrides


def _check_item_scores(
    rule: ItemRule, where: str, answer_min: int, score_range: tuple[int, int]
) -> None:
    """Every allowed answer must give a score in range (or be declared missing)."""
    low, high = score_range
    for answer in rule.overrides:
        if not answer_min <= answer <= rule.options:
            raise _definition_error(f"{where}.answer_overrides", answer, "is not an allowed answer")
    for answer in range(answer_min, rule.options + 1):
        item_score = rule.item_score(answer)
        if item_score is not None and not low <= item_score <= high:
            why = f"gives item score {item_score}, outside {low}-{high}"
            raise _definition_error(f"{where} answer", answer, why)


# --- scoring ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChoklatResult:
    """A scored CHO-KLAT form; ``score`` is ``None`` when too many items are missing."""

    info: InstrumentInfo
    respondent: Respondent
    age_years: int | None
    score: Decimal | None
    item_scores: Mapping[str, int | None]

    @property
    def missing_items(self) -> list[str]:
        return [item for item, value in self.item_scores.items() if value is None]

    @property
    def items_scored(self) -> int:
        return len(self.item_scores) - len(self.missing_items)

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(self.info),
            "score": None if self.score is None else float(self.score),
            "items_scored": self.items_scored,
            "items_missing": len(self.missing_items),
            "missing_items": self.missing_items,
            "item_scores": dict(self.item_scores),
            "respondent": self.respondent.value,
            "age_years": self.age_years,
        }


def score(
    definition: ChoklatDefinition,
    respondent: Respondent | str,
    responses: Mapping[str, Any],
    age_years: int | None = None,
) -> ChoklatResult:
    """Score one CHO-KLAT 2.0 form with a (provisional) definition.

    ``responses`` maps item identifiers ("1".."35") to answers (items 1-21: 1-5,
    items 22-35: 1-6, as the definition says); an absent item or ``None`` is
    missing. Score = 25 x mean of the scored items' 0-4 scores, 0-100, rounded
    half up to one decimal (``Decimal``, not ``round()``, whose half-to-even
    rounding would print 6.25 as 6.2 where hand calculation, SPSS and Excel, and
    so published tables, give 6.3). With more than 8 missing items there is no
    score (``None``). When ``age_years`` is given the respondent must fit
    :func:`respondent_for_age`.

    >>> from hemojoint.definitions import load_definition  # an outer layer reads the file
    >>> definition = ChoklatDefinition.from_mapping(load_definition("choklat"))
    >>> answers = {str(item): 3 for item in range(1, 36)}  # every item scores 2
    >>> score(definition, "parent", answers, age_years=9).score
    Decimal('50.0')
    >>> answers["1"] = 5  # item 1 scores 4: 25 x (34 x 2 + 4) / 35 = 51.43
    >>> score(definition, "parent", answers).score
    Decimal('51.4')
    """
    data = {"respondent": respondent, "responses": responses, "age_years": age_years}
    return score_mapping(definition, data)


def score_mapping(definition: ChoklatDefinition, data: Mapping[str, Any]) -> ChoklatResult:
    """Score the CLI's JSON shape ``{"respondent", "responses", "age_years"?}``."""
    data = require_mapping("input", data)
    no_unknown_keys("", data, _INPUT_KEYS)
    problems = ProblemCollector()
    respondent = problems.check(_respondent, data)
    age_years = problems.check(_age_years, data)
    answers = problems.check(_answers, definition, data)
    if respondent is not None and age_years is not None:
        problems.check(_respondent_fits_age, respondent, age_years)
    if respondent is None or answers is None or problems.problems:
        raise InvalidInputError(problems.problems)
    item_scores = {
        item: None if answer is None else definition.items[item].item_score(answer)
        for item, answer in answers.items()
    }
    total = _scale(definition, item_scores)
    frozen_scores = MappingProxyType(item_scores)
    return ChoklatResult(definition.info, respondent, age_years, total, frozen_scores)


def scorer_from_definition(data: Mapping[str, Any]) -> Scorer:
    """The catalogue's scorer, built from a parsed ``choklat.json`` (or a centre's copy)."""
    definition = ChoklatDefinition.from_mapping(data)

    def score_input(raw: Mapping[str, Any]) -> ChoklatResult:
        return score_mapping(definition, raw)

    return Scorer(definition.info, score_input)


def _respondent(data: Mapping[str, Any]) -> Respondent:
    value = require_key(data, "respondent", "", "child or parent")
    return enum_value("respondent", value, Respondent)


def _age_years(data: Mapping[str, Any]) -> int | None:
    value = data.get("age_years")
    if value is None:  # optional: only checked against the respondent when given
        return None
    return int_in_range("age_years", value, MIN_AGE_YEARS, MAX_AGE_YEARS)


def _respondent_fits_age(respondent: Respondent, age_years: int) -> None:
    expected = respondent_for_age(age_years)
    if respondent is not expected:
        why = (
            f"does not fit age_years {age_years}; expected {expected.value!r} "
            f"(parent for ages {MIN_AGE_YEARS}-{LAST_PROXY_AGE_YEARS}, "
            f"child for ages {LAST_PROXY_AGE_YEARS + 1}-{MAX_AGE_YEARS})"
        )
        raise fail(FieldProblem.invalid("respondent", respondent.value, expected.value, why))


def _answers(definition: ChoklatDefinition, data: Mapping[str, Any]) -> dict[str, int | None]:
    raw = require_mapping("responses", require_key(data, "responses", "", "an object of answers"))
    problems = ProblemCollector()
    for key in raw:
        if key not in definition.items:
            why = f"is not an item; expected {definition.item_span}"
            problem = FieldProblem.invalid(f"responses.{key}", key, definition.item_span, why)
            problems.add(problem)
    answers: dict[str, int | None] = {}
    for item, rule in definition.items.items():
        value = raw.get(item)
        if value is not None:
            value = problems.check(
                int_in_range, f"responses.{item}", value, definition.answer_min, rule.options
            )
        answers[item] = value
    problems.raise_if_any()
    return answers


def _scale(definition: ChoklatDefinition, item_scores: Mapping[str, int | None]) -> Decimal | None:
    scored = [value for value in item_scores.values() if value is not None]
    if not scored or len(item_scores) - len(scored) > definition.max_missing:
        return None
    mean_scaled = definition.scale_factor * Decimal(sum(scored)) / Decimal(len(scored))
    step = Decimal(1).scaleb(-definition.decimals)
    return mean_scaled.quantize(step, rounding=ROUND_HALF_UP)
