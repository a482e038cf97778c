"""WFH 2020 prophylaxis intensity classes and factor targets for bleeds (provisional).

The numbers are not here: REFERENCE.md section 2 marks them provisional until
checked against the guideline PDF, so they live in the ``wfh_prophylaxis``
definition file and a centre can replace them. This module declares the file's
shape (:meth:`ProphylaxisDefinition.from_mapping`) and the rules that use it.

Matching rule for intensity: a band's ``dose_iu_per_kg`` and
``infusions_per_week`` are inclusive ``[low, high]`` ranges. Infusions per week
is an average: "every 2 days" is 3.5 (7 infusions in 2 weeks), "3 days a week"
is 3, and "2-3 days a week" is any average from 2 to 3. Bands are tried in the
order the definition lists them and the first match wins; the shipped file lists
high, intermediate, low, so a dose on a shared edge takes the more intensive
class (FVIII 15 IU/kg 3 times a week is intermediate, FIX 40 IU/kg twice a week
is high). No matching band gives ``outside``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from hemojoint.domain.errors import DefinitionError, InvalidInputError, show_value
from hemojoint.domain.instruments.base import InstrumentInfo, provenance
from hemojoint.domain.patients import HemophiliaType
from hemojoint.domain.prophylaxis.dosing import (
    MAX_DOSE_IU_PER_KG,
    MAX_INFUSIONS_PER_WEEK,
    positive_number,
)
from hemojoint.domain.validation import ProblemCollector, enum_value

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

# Only float noise: 7 / 2 infusions must still match a band of exactly 3.5.
_TOLERANCE = 1e-9
_IDENTITY_KEYS = ("code", "name", "version", "status", "source", "notes")


class IntensityClass(StrEnum):
    HIGH = "high"
    INTERMEDIATE = "intermediate"
    LOW = "low"
    OUTSIDE = "outside"


class BleedTargetKind(StrEnum):
    JOINT = "joint"
    SUPERFICIAL_MUSCLE = "superficial_muscle"
    # Iliopsoas or deep muscle with neurovascular injury.
    ILIOPSOAS_OR_DEEP_MUSCLE = "iliopsoas_or_deep_muscle"


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] - _TOLERANCE <= value <= bounds[1] + _TOLERANCE


@dataclass(frozen=True)
class IntensityBand:
    """One WFH class: dose range (IU/kg) and frequency range (average infusions a week)."""

    intensity: IntensityClass
    dose_iu_per_kg: tuple[float, float]
    infusions_per_week: tuple[float, float]
    frequency: str

    def matches(self, dose_iu_per_kg: float, infusions_per_week: float) -> bool:
        return _within(dose_iu_per_kg, self.dose_iu_per_kg) and _within(
            infusions_per_week, self.infusions_per_week
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "class": self.intensity.value,
            "dose_iu_per_kg": list(self.dose_iu_per_kg),
            "infusions_per_week": list(self.infusions_per_week),
            "frequency": self.frequency,
        }


@dataclass(frozen=True)
class TargetPhase:
    """Peak factor level (IU/dL) to reach, for how many days (``or_longer``: at least)."""

    peak_iu_dl: tuple[float, float]
    days: tuple[float, float]
    or_longer: bool
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "peak_iu_dl": list(self.peak_iu_dl),
            "days": list(self.days),
            "or_longer": self.or_longer,
            "note": self.note,
        }


BleedTargets = dict[BleedTargetKind, dict[HemophiliaType, tuple[TargetPhase, ...]]]


# --- parsing the definition: every error is a DefinitionError naming the path ---


def _mapping(path: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DefinitionError(f"{path}: {show_value(value)} is not an object")
    return value


def _keys(
    path: str, data: Mapping[str, Any], required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> None:
    missing = [key for key in required if key not in data]
    unknown = [str(key) for key in data if key not in required + optional]
    if missing or unknown:
        raise DefinitionError(
            f"{path}: missing {missing or 'nothing'}, unknown {unknown or 'nothing'}"
        )


def _bounds(path: str, value: object) -> tuple[float, float]:
    """A ``[low, high]`` pair of numbers, 0 <= low <= high."""
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(n, int | float) and not isinstance(n, bool) for n in value)
        and 0 <= value[0] <= value[1]
    ):
        return float(value[0]), float(value[1])
    raise DefinitionError(f"{path}: {show_value(value)} is not [low, high] with 0 <= low <= high")


def _items(path: str, value: object, parse: Callable[[str, Any], T]) -> tuple[T, ...]:
    if not isinstance(value, list) or not value:
        raise DefinitionError(f"{path}: {show_value(value)} is not a non-empty list")
    return tuple(parse(f"{path}[{position}]", item) for position, item in enumerate(value))


def _code(path: str, value: object, enum: type[E]) -> E:
    try:
        return enum_value(path, value, enum)
    except InvalidInputError as error:
        raise DefinitionError(str(error)) from error


def _per_type(path: str, value: object, parse: Callable[[str, Any], T]) -> dict[HemophiliaType, T]:
    data = _mapping(path, value)
    _keys(path, data, tuple(kind.value for kind in HemophiliaType))
    return {kind: parse(f"{path}.{kind.value}", data[kind.value]) for kind in HemophiliaType}


def _band(path: str, value: object) -> IntensityBand:
    data = _mapping(path, value)
    _keys(path, data, ("class", "dose_iu_per_kg", "infusions_per_week", "frequency"))
    intensity = _code(f"{path}.class", data["class"], IntensityClass)
    per_week = _bounds(f"{path}.infusions_per_week", data["infusions_per_week"])
    if intensity is IntensityClass.OUTSIDE:
        raise DefinitionError(f"{path}.class: 'outside' is what no band gives, not a band")
    if not 0 < per_week[0] <= per_week[1] <= MAX_INFUSIONS_PER_WEEK:
        raise DefinitionError(
            f"{path}.infusions_per_week: {list(per_week)} is outside 0-{MAX_INFUSIONS_PER_WEEK}"
        )
    dose = _bounds(f"{path}.dose_iu_per_kg", data["dose_iu_per_kg"])
    return IntensityBand(intensity, dose, per_week, str(data["frequency"]))


def _bands(path: str, value: object) -> tuple[IntensityBand, ...]:
    bands = _items(path, value, _band)
    classes = [band.intensity for band in bands]
    if len(set(classes)) != len(classes):
        raise DefinitionError(f"{path}: a class is listed twice")
    return bands


def _phase(path: str, value: object) -> TargetPhase:
    data = _mapping(path, value)
    _keys(path, data, ("peak_iu_dl", "days"), ("or_longer", "note"))
    or_longer, note = data.get("or_longer", False), data.get("note", "")
    if not isinstance(or_longer, bool) or not isinstance(note, str):
        raise DefinitionError(f"{path}: or_longer must be true or false and note a string")
    return TargetPhase(
        _bounds(f"{path}.peak_iu_dl", data["peak_iu_dl"]),
        _bounds(f"{path}.days", data["days"]),
        or_longer,
        note,
    )


def _phases(path: str, value: object) -> tuple[TargetPhase, ...]:
    return _items(path, value, _phase)


def _targets(path: str, value: object) -> BleedTargets:
    data = _mapping(path, value)
    _keys(path, data, tuple(kind.value for kind in BleedTargetKind))
    return {
        kind: _per_type(f"{path}.{kind.value}", data[kind.value], _phases)
        for kind in BleedTargetKind
    }


def _rehab_setting(path: str, value: object) -> tuple[float | None, str]:
    data = _mapping(path, value)
    key = "rehab_session_factor_target_iu_dl"
    _keys(path, data, (key,))
    setting = _mapping(f"{path}.{key}", data[key])
    _keys(f"{path}.{key}", setting, ("value", "note"))
    number = setting["value"]
    is_number = isinstance(number, int | float) and not isinstance(number, bool)
    if number is not None and not (is_number and number > 0):
        raise DefinitionError(f"{path}.{key}.value: {show_value(number)} is not null or above 0")
    return (None if number is None else float(number)), str(setting["note"])


@dataclass(frozen=True)
class ProphylaxisDefinition:
    """The ``wfh_prophylaxis`` definition: intensity bands, bleed targets, a rehab setting.

    ``rehab_session_factor_target_iu_dl`` is a centre setting; ``None`` means none
    was published (REFERENCE.md section 2) and none was set.
    """

    info: InstrumentInfo
    notes: str
    intensity_bands: dict[HemophiliaType, tuple[IntensityBand, ...]]
    bleed_targets: BleedTargets
    rehab_session_factor_target_iu_dl: float | None
    rehab_session_factor_target_note: str

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ProphylaxisDefinition:
        """Parse and check a definition (the packaged file or a centre's copy).

        >>> ProphylaxisDefinition.from_mapping({"code": "wfh_prophylaxis"})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        hemojoint.domain.errors.DefinitionError: definition: missing ['name', 'version', ...
        """
        top = _mapping("definition", data)
        _keys("definition", top, (*_IDENTITY_KEYS, "intensity", "bleed_targets", "settings"))
        info = InstrumentInfo.from_mapping(top)
        rehab_value, rehab_note = _rehab_setting("settings", top["settings"])
        return cls(
            info,
            str(top["notes"]),
            _per_type("intensity", top["intensity"], _bands),
            _targets("bleed_targets", top["bleed_targets"]),
            rehab_value,
            rehab_note,
        )


@dataclass(frozen=True)
class IntensityResult:
    """A regimen's WFH class, with the band it matched and the definition's provenance."""

    info: InstrumentInfo
    hemophilia_type: HemophiliaType
    dose_iu_per_kg: float
    infusions_per_week: float
    intensity: IntensityClass
    band: IntensityBand | None

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(self.info),
            "hemophilia_type": self.hemophilia_type.value,
            "dose_iu_per_kg": self.dose_iu_per_kg,
            "infusions_per_week": self.infusions_per_week,
            "intensity": self.intensity.value,
            "band": None if self.band is None else self.band.as_dict(),
        }


def intensity_class(
    hemophilia_type: HemophiliaType | str,
    dose_iu_per_kg: float,
    infusions_per_week: float,
    definition: ProphylaxisDefinition,
) -> IntensityResult:
    """WFH 2020 intensity (high / intermediate / low / outside) of a regimen; provisional.

    ``dose_iu_per_kg`` above 0 (at most 200); ``infusions_per_week`` an average
    above 0 (at most 7; every 2 days = 3.5). Matching and precedence: see the module
    docstring. The result carries the definition's status and source.

    >>> from hemojoint.definitions import load_definition  # the loader lives outside the domain
    >>> definition = ProphylaxisDefinition.from_mapping(load_definition("wfh_prophylaxis"))
    >>> result = intensity_class("A", 20, 3, definition)
    >>> result.intensity.value, result.as_dict()["status"]
    ('intermediate', 'provisional')
    """
    problems = ProblemCollector()
    kind = problems.check(enum_value, "hemophilia_type", hemophilia_type, HemophiliaType)
    dose = problems.check(positive_number, "dose_iu_per_kg", dose_iu_per_kg, MAX_DOSE_IU_PER_KG)
    per_week = problems.check(
        positive_number, "infusions_per_week", infusions_per_week, MAX_INFUSIONS_PER_WEEK
    )
    if kind is None or dose is None or per_week is None:
        raise InvalidInputError(problems.problems)
    band = next(
        (band for band in definition.intensity_bands[kind] if band.matches(dose, per_week)), None
    )
    intensity = IntensityClass.OUTSIDE if band is None else band.intensity
    return IntensityResult(definition.info, kind, dose, per_week, intensity, band)


@dataclass(frozen=True)
class BleedFactorTarget:
    """Factor targets for one kind of bleed: phases in order (initial, then maintenance)."""

    info: InstrumentInfo
    kind: BleedTargetKind
    hemophilia_type: HemophiliaType
    phases: tuple[TargetPhase, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            **provenance(self.info),
            "site_kind": self.kind.value,
            "hemophilia_type": self.hemophilia_type.value,
            "phases": [phase.as_dict() for phase in self.phases],
        }


def bleed_factor_target(
    site_kind: BleedTargetKind | str,
    hemophilia_type: HemophiliaType | str,
    definition: ProphylaxisDefinition,
) -> BleedFactorTarget:
    """Peak factor level (IU/dL) and days for a bleed (WFH 2020, provisional).

    Reference: REFERENCE.md section 2, "Factor targets for bleeds".

    ``site_kind``: ``joint``, ``superficial_muscle`` or ``iliopsoas_or_deep_muscle``
    (iliopsoas or deep muscle with neurovascular injury). Choosing the kind is the
    clinician's call: a thigh bleed may be superficial or deep.

    >>> from hemojoint.definitions import load_definition  # the loader lives outside the domain
    >>> definition = ProphylaxisDefinition.from_mapping(load_definition("wfh_prophylaxis"))
    >>> target = bleed_factor_target("iliopsoas_or_deep_muscle", "A", definition)
    >>> [phase.peak_iu_dl for phase in target.phases]
    [(80.0, 100.0), (30.0, 60.0)]
    """
    problems = ProblemCollector()
    kind = problems.check(enum_value, "site_kind", site_kind, BleedTargetKind)
    hemophilia = problems.check(enum_value, "hemophilia_type", hemophilia_type, HemophiliaType)
    if kind is None or hemophilia is None:
        raise InvalidInputError(problems.problems)
    return BleedFactorTarget(
        definition.info, kind, hemophilia, definition.bleed_targets[kind][hemophilia]
    )
