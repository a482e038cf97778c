"""The programme's prophylaxis regimen and infusion weekdays.

References: hemojoint ``REFERENCE.md`` section 1 ("Prophylaxis set by the
hematologist for the programme", verified).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.patients import HemophiliaType
from hemojoint.domain.prophylaxis.dosing import (
    FACTOR_FOR_TYPE,
    MAX_DOSE_IU_PER_KG,
    MAX_INFUSIONS_PER_WEEK,
    MAX_WEIGHT_KG,
    FactorProduct,
    Rounding,
    VialDose,
    iu_per_kg_per_week,
    positive_number,
    round_to_vials,
)
from hemojoint.domain.validation import ProblemCollector, enum_value, fail


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def day_number(self) -> int:
        """0 for Monday, as :meth:`datetime.date.weekday`."""
        return list(Weekday).index(self)


# Verified, REFERENCE.md section 1 ("Prophylaxis set by the hematologist for the
# programme"): A three times a week, B twice a week, 20 to 25 IU/kg per dose.
PROGRAMME_SOURCE = "Study protocol, 12-week individualised rehabilitation (REFERENCE.md section 1)"
PROGRAMME_DOSE_RANGE_IU_PER_KG = (20.0, 25.0)
PROGRAMME_INFUSIONS_PER_WEEK = {HemophiliaType.A: 3, HemophiliaType.B: 2}
# Not from the protocol: hemojoint's convention of spreading infusions evenly over
# the week; a centre passes its own ``weekdays``.
DEFAULT_WEEKDAYS: dict[int, tuple[Weekday, ...]] = {
    1: (Weekday.MON,),
    2: (Weekday.MON, Weekday.THU),
    3: (Weekday.MON, Weekday.WED, Weekday.FRI),
}


def parse_weekdays(values: object, field: str = "weekdays") -> tuple[Weekday, ...]:
    """Validate weekday codes (``mon`` .. ``sun``, each once) and return them in week order.

    >>> parse_weekdays(["fri", "mon"])
    (<Weekday.MON: 'mon'>, <Weekday.FRI: 'fri'>)
    >>> parse_weekdays(["mon", "funday"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: weekdays[1]: 'funday' is not one of mon, tue, ...
    """
    if isinstance(values, str) or not isinstance(values, Iterable) or not (items := list(values)):
        raise fail(FieldProblem.wrong_type(field, values, "a list of weekdays (mon..sun)"))
    problems, seen = ProblemCollector(), list[Weekday]()
    for position, value in enumerate(items):
        day = problems.check(enum_value, f"{field}[{position}]", value, Weekday)
        if day in seen:
            problems.add(
                FieldProblem.invalid(
                    f"{field}[{position}]", value, "each weekday once", "is repeated"
                )
            )
        elif day is not None:
            seen.append(day)
    problems.raise_if_any()
    return tuple(sorted(seen, key=lambda day: day.day_number))


def infusion_days(
    start_date: date, end_date: date, weekdays: Iterable[Weekday | str]
) -> tuple[date, ...]:
    """Every date from ``start_date`` to ``end_date`` (both included) on one of ``weekdays``.

    >>> infusion_days(date(2024, 1, 1), date(2024, 1, 8), ["mon", "thu"])
    (datetime.date(2024, 1, 1), datetime.date(2024, 1, 4), datetime.date(2024, 1, 8))
    """
    days = parse_weekdays(weekdays)
    if end_date < start_date:
        raise fail(
            FieldProblem.invalid(
                "end_date",
                end_date.isoformat(),
                f"on or after {start_date}",
                f"is before start_date {start_date}",
            )
        )
    wanted = {day.day_number for day in days}
    span = (start_date + timedelta(days=n) for n in range((end_date - start_date).days + 1))
    return tuple(day for day in span if day.weekday() in wanted)


@dataclass(frozen=True)
class ProgrammeRegimen:
    """The programme's prophylaxis for one child (REFERENCE.md section 1)."""

    hemophilia_type: HemophiliaType
    weight_kg: float
    product: FactorProduct
    infusions_per_week: int
    weekdays: tuple[Weekday, ...]
    target_dose_iu_per_kg: float
    dose_iu_unrounded: float
    rounded: VialDose
    rounding: Rounding
    exceptions: tuple[str, ...]
    exception_reason: str | None

    @property
    def dose_iu(self) -> int:
        return self.rounded.dose_iu

    @property
    def dose_iu_per_kg(self) -> float:
        """The dose actually given, after rounding to vials."""
        return self.dose_iu / self.weight_kg

    @property
    def iu_per_kg_per_week(self) -> float:
        return iu_per_kg_per_week(self.dose_iu, self.weight_kg, self.infusions_per_week)

    @property
    def within_programme_range(self) -> bool:
        """False when vial rounding (or an exception) put the dose outside 20-25 IU/kg."""
        low, high = PROGRAMME_DOSE_RANGE_IU_PER_KG
        return low <= self.dose_iu_per_kg <= high

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": PROGRAMME_SOURCE,
            "hemophilia_type": self.hemophilia_type.value,
            "weight_kg": self.weight_kg,
            "product": self.product.as_dict(),
            "infusions_per_week": self.infusions_per_week,
            "weekdays": [day.value for day in self.weekdays],
            "dose_range_iu_per_kg": list(PROGRAMME_DOSE_RANGE_IU_PER_KG),
            "target_dose_iu_per_kg": self.target_dose_iu_per_kg,
            "dose_iu_unrounded": self.dose_iu_unrounded,
            **self.rounded.as_dict(),
            "rounding": self.rounding.value,
            "dose_iu_per_kg": self.dose_iu_per_kg,
            "iu_per_kg_per_week": self.iu_per_kg_per_week,
            "within_programme_range": self.within_programme_range,
            "is_exception": bool(self.exceptions),
            "exceptions": list(self.exceptions),
            "exception_reason": self.exception_reason,
        }


def _check_factor(kind: HemophiliaType, product: FactorProduct) -> None:
    if product.factor is not FACTOR_FOR_TYPE[kind]:
        raise fail(
            FieldProblem.invalid(
                "product.factor",
                product.factor.value,
                FACTOR_FOR_TYPE[kind].value,
                f"does not treat hemophilia {kind.value}",
            )
        )


def _frequency(
    kind: HemophiliaType, infusions_per_week: object, weekdays: object
) -> tuple[int, tuple[Weekday, ...]]:
    """Infusions per week and weekdays: the programme's, or the ones asked for."""
    per_week = (
        PROGRAMME_INFUSIONS_PER_WEEK[kind] if infusions_per_week is None else infusions_per_week
    )
    if isinstance(per_week, bool) or not isinstance(per_week, int):
        raise fail(
            FieldProblem.out_of_range("infusions_per_week", per_week, 1, MAX_INFUSIONS_PER_WEEK)
        )
    if not 1 <= per_week <= MAX_INFUSIONS_PER_WEEK:
        raise fail(
            FieldProblem.out_of_range("infusions_per_week", per_week, 1, MAX_INFUSIONS_PER_WEEK)
        )
    if weekdays is None:
        if per_week not in DEFAULT_WEEKDAYS:
            raise fail(FieldProblem.missing("weekdays", f"{per_week} weekdays (mon..sun)"))
        return per_week, DEFAULT_WEEKDAYS[per_week]
    days = parse_weekdays(weekdays)
    if len(days) != per_week:
        raise fail(
            FieldProblem.invalid(
                "weekdays",
                [day.value for day in days],
                f"{per_week} weekdays",
                f"does not match infusions_per_week {per_week}",
            )
        )
    return per_week, days


def _deviations(kind: HemophiliaType, dose_iu_per_kg: float, per_week: int) -> tuple[str, ...]:
    low, high = PROGRAMME_DOSE_RANGE_IU_PER_KG
    found = []
    if not low <= dose_iu_per_kg <= high:
        found.append(
            f"dose_iu_per_kg {dose_iu_per_kg:g} is outside the programme's {low:g}-{high:g}"
        )
    if per_week != PROGRAMME_INFUSIONS_PER_WEEK[kind]:
        found.append(
            f"infusions_per_week {per_week} differs from the programme's "
            f"{PROGRAMME_INFUSIONS_PER_WEEK[kind]} for hemophilia {kind.value}"
        )
    return tuple(found)


def programme_regimen(
    hemophilia_type: HemophiliaType | str,
    weight_kg: float,
    product: FactorProduct,
    *,
    dose_iu_per_kg: float | None = None,
    rounding: Rounding | str = Rounding.UP,
    infusions_per_week: int | None = None,
    weekdays: Iterable[Weekday | str] | None = None,
    exception_reason: str | None = None,
) -> ProgrammeRegimen:
    """The programme's prophylaxis: A 3 times a week, B twice a week, 20-25 IU/kg a dose.

    Rule (REFERENCE.md section 1, verified): the dose target is ``dose_iu_per_kg``
    or, by default, the range's lower end (20 IU/kg); ``weight_kg`` (0-250) times it
    is rounded to the product's vials (``up`` by default). Rounding up from 20 IU/kg
    gives the lowest vial total within 20-25 IU/kg when one exists; when none does
    (a light child and large vials), ``within_programme_range`` is False for the
    hematologist to decide; with ``nearest`` the total may fall below 20 IU/kg and
    the same flag says so. Default weekdays (A mon/wed/fri, B mon/thu) are a
    convention, not the protocol. A dose outside 20-25 IU/kg or another frequency
    (e.g. once a week) is a documented exception and needs ``exception_reason``.

    >>> f8 = FactorProduct.with_default_recovery("F8", "VIII", (250, 500, 1000))
    >>> regimen = programme_regimen("A", 21, f8)
    >>> regimen.dose_iu, round(regimen.dose_iu_per_kg, 2), [day.value for day in regimen.weekdays]
    (500, 23.81, ['mon', 'wed', 'fri'])
    """
    problems = ProblemCollector()
    kind = problems.check(enum_value, "hemophilia_type", hemophilia_type, HemophiliaType)
    weight = problems.check(positive_number, "weight_kg", weight_kg, MAX_WEIGHT_KG)
    target = problems.check(
        positive_number, "dose_iu_per_kg", _default_dose(dose_iu_per_kg), MAX_DOSE_IU_PER_KG
    )
    mode = problems.check(enum_value, "rounding", rounding, Rounding)
    frequency = (
        None if kind is None else problems.check(_frequency, kind, infusions_per_week, weekdays)
    )
    if kind is not None:
        problems.check(_check_factor, kind, product)
    if kind is None or weight is None or target is None or mode is None or frequency is None:
        raise InvalidInputError(problems.problems)
    problems.raise_if_any()
    exceptions = _deviations(kind, target, frequency[0])
    if exceptions and not (exception_reason or "").strip():
        raise fail(
            FieldProblem.missing("exception_reason", "a reason, because " + "; ".join(exceptions))
        )
    rounded = round_to_vials(weight * target, product, mode)
    return ProgrammeRegimen(
        kind,
        weight,
        product,
        *frequency,
        target,
        weight * target,
        rounded,
        mode,
        exceptions,
        exception_reason,
    )


def _default_dose(dose_iu_per_kg: float | None) -> float:
    """The asked-for dose, or the programme range's lower end (see programme_regimen)."""
    return PROGRAMME_DOSE_RANGE_IU_PER_KG[0] if dose_iu_per_kg is None else dose_iu_per_kg
