"""Factor products, doses rounded to vials, the dose for a factor rise, IU/kg/week.

References: hemojoint ``REFERENCE.md`` section 2 ("Dose arithmetic", verified).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.patients import HemophiliaType
from hemojoint.domain.validation import ProblemCollector, enum_value, fail, number_in_range


class Factor(StrEnum):
    VIII = "VIII"
    IX = "IX"


class Rounding(StrEnum):
    """``up``: never under-dose (default). ``nearest``: closest total, ties go up."""

    UP = "up"
    NEAREST = "nearest"


# Verified, REFERENCE.md section 2 ("Dose arithmetic"): the rise in IU/dL per IU/kg
# infused. FVIII: IU = kg x rise x 0.5; plasma-derived FIX: IU = kg x rise x 1.0.
# Recombinant FIX recovers less: give its recovery in the product setting.
FVIII_RECOVERY_IU_DL_PER_IU_KG = 2.0
PLASMA_FIX_RECOVERY_IU_DL_PER_IU_KG = 1.0
FACTOR_FOR_TYPE = {HemophiliaType.A: Factor.VIII, HemophiliaType.B: Factor.IX}
# Typo guards, not clinical limits: they keep the vial search small.
MAX_WEIGHT_KG = 250
MAX_DOSE_IU = 100_000
MAX_INFUSIONS_PER_WEEK = 7  # prophylaxis is at most daily
MAX_DOSE_IU_PER_KG = 200
MAX_RISE_IU_DL = 200
MAX_RECOVERY_IU_DL_PER_IU_KG = 10


def positive_number(field: str, value: object, high: float) -> float:
    """Return ``value`` as float if it is a number above 0 and at most ``high``.

    >>> positive_number("weight_kg", 0, 250)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: weight_kg: 0 is not above 0
    """
    number = number_in_range(field, value, 0, high)
    if number == 0:
        raise fail(FieldProblem.invalid(field, value, f"above 0, at most {high}", "is not above 0"))
    return number


def _positives(*checks: tuple[str, object, float]) -> list[float]:
    """Check several ``(field, value, high)`` at once; raise with every problem."""
    problems = ProblemCollector()
    numbers = [problems.check(positive_number, field, value, high) for field, value, high in checks]
    problems.raise_if_any()
    return [number for number in numbers if number is not None]


def _vial_size_problems(sizes: object) -> list[FieldProblem]:
    field = "product.vial_sizes_iu"
    if not isinstance(sizes, tuple) or not sizes:
        return [FieldProblem.wrong_type(field, sizes, "a tuple of at least one vial size")]
    return [
        FieldProblem.wrong_type(f"{field}[{position}]", size, "a whole number of IU above 0")
        for position, size in enumerate(sizes)
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0
    ]


@dataclass(frozen=True)
class FactorProduct:
    """A factor concentrate as a centre stocks it (a setting, not a clinical constant).

    >>> FactorProduct.with_default_recovery("FVIII-X", "VIII", (1000, 250, 500)).vial_sizes_iu
    (250, 500, 1000)
    >>> FactorProduct("empty", Factor.VIII, (), 2.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: product.vial_sizes_iu: () is not ...
    """

    name: str
    factor: Factor
    vial_sizes_iu: tuple[int, ...]
    recovery_iu_dl_per_iu_kg: float

    def __post_init__(self) -> None:
        problems = ProblemCollector()
        factor = problems.check(enum_value, "product.factor", self.factor, Factor)
        recovery = self.recovery_iu_dl_per_iu_kg
        field = "product.recovery_iu_dl_per_iu_kg"
        problems.check(positive_number, field, recovery, MAX_RECOVERY_IU_DL_PER_IU_KG)
        for problem in _vial_size_problems(self.vial_sizes_iu):
            problems.add(problem)
        problems.raise_if_any()
        object.__setattr__(self, "factor", factor)
        object.__setattr__(self, "vial_sizes_iu", tuple(sorted(set(self.vial_sizes_iu))))

    @classmethod
    def with_default_recovery(
        cls, name: str, factor: Factor | str, vial_sizes_iu: Iterable[int]
    ) -> FactorProduct:
        """FVIII at 2.0 or plasma-derived FIX at 1.0 IU/dL per IU/kg (REFERENCE.md section 2)."""
        kind = enum_value("product.factor", factor, Factor)
        recovery = (
            FVIII_RECOVERY_IU_DL_PER_IU_KG
            if kind is Factor.VIII
            else PLASMA_FIX_RECOVERY_IU_DL_PER_IU_KG
        )
        return cls(name, kind, tuple(vial_sizes_iu), recovery)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "factor": self.factor.value,
            "vial_sizes_iu": list(self.vial_sizes_iu),
            "recovery_iu_dl_per_iu_kg": self.recovery_iu_dl_per_iu_kg,
        }


@dataclass(frozen=True)
class VialDose:
    """A dose made of whole vials: total IU and (vial size, count) pairs, largest first."""

    dose_iu: int
    vials: tuple[tuple[int, int], ...]

    @property
    def vial_count(self) -> int:
        return sum(count for _, count in self.vials)

    def as_dict(self) -> dict[str, Any]:
        vials = [{"size_iu": size, "count": count} for size, count in self.vials]
        return {"dose_iu": self.dose_iu, "vials": vials, "vial_count": self.vial_count}


def _fewest_vial_counts(sizes: tuple[int, ...], limit: int) -> dict[int, int]:
    """For every total up to ``limit`` made of whole vials: the vial added last in its
    fewest-vial mix (a dynamic programme; follow the chain back to rebuild a mix)."""
    step = math.gcd(*sizes)
    count, last = {0: 0}, {0: 0}
    for total in range(step, limit + 1, step):
        # Larger vials first, and only a strictly smaller count replaces: ties keep big vials.
        for size in sorted(sizes, reverse=True):
            if total - size in count and count[total - size] + 1 < count.get(total, math.inf):
                count[total], last[total] = count[total - size] + 1, size
    return last


def _mix(total: int, last: dict[int, int]) -> tuple[tuple[int, int], ...]:
    """Rebuild the fewest-vial mix of ``total``, largest vials first (only for the chosen total)."""
    used: dict[int, int] = {}
    rest = total
    while rest:
        used[last[rest]] = used.get(last[rest], 0) + 1
        rest -= last[rest]
    return tuple(sorted(used.items(), reverse=True))


def round_to_vials(
    dose_iu: float, product: FactorProduct, rounding: Rounding | str = Rounding.UP
) -> VialDose:
    """Round a dose in IU to whole vials of ``product``.

    Rule: ``up`` takes the smallest total of available vials that is >= the dose
    (never under-dose); ``nearest`` takes the closest total, a tie going up. Among
    mixes with the same total the fewest vials win, then the one with the largest
    vials. Vials of any size may be combined.

    >>> product = FactorProduct.with_default_recovery("F8", "VIII", (250, 500, 1000))
    >>> round_to_vials(420, product).as_dict()
    {'dose_iu': 500, 'vials': [{'size_iu': 500, 'count': 1}], 'vial_count': 1}
    >>> round_to_vials(1300, product, "nearest").dose_iu
    1250
    """
    # Rounded to a micro-IU so float noise (e.g. 500.00000000000006) never costs a vial.
    target = round(positive_number("dose_iu", dose_iu, MAX_DOSE_IU), 6)
    mode = enum_value("rounding", rounding, Rounding)
    last = _fewest_vial_counts(
        product.vial_sizes_iu, math.ceil(target) + max(product.vial_sizes_iu)
    )
    chosen = min(total for total in last if total >= target)
    below = [total for total in last if 0 < total < target]
    if mode is Rounding.NEAREST and below and target - max(below) < chosen - target:
        chosen = max(below)
    return VialDose(chosen, _mix(chosen, last))


@dataclass(frozen=True)
class RiseDose:
    """The dose for a desired factor rise, before and after rounding to vials."""

    weight_kg: float
    desired_rise_iu_dl: float
    product: FactorProduct
    dose_iu_unrounded: float
    rounded: VialDose

    def as_dict(self) -> dict[str, Any]:
        return {
            "weight_kg": self.weight_kg,
            "desired_rise_iu_dl": self.desired_rise_iu_dl,
            "product": self.product.as_dict(),
            "dose_iu_unrounded": self.dose_iu_unrounded,
            **self.rounded.as_dict(),
        }


def dose_for_rise(
    weight_kg: float,
    desired_rise_iu_dl: float,
    product: FactorProduct,
    rounding: Rounding | str = Rounding.UP,
) -> RiseDose:
    """IU needed to raise factor activity by ``desired_rise_iu_dl`` (IU/dL, above 0, at most 200).

    Formula (REFERENCE.md section 2): IU = weight_kg x rise / recovery, where
    recovery is the product's IU/dL rise per IU/kg: FVIII 2.0 gives kg x rise x 0.5,
    plasma-derived FIX 1.0 gives kg x rise x 1.0.

    >>> f8 = FactorProduct.with_default_recovery("F8", "VIII", (250, 500, 1000))
    >>> dose = dose_for_rise(30, 40, f8)
    >>> dose.dose_iu_unrounded, dose.rounded.dose_iu
    (600.0, 750)
    """
    weight, rise = _positives(
        ("weight_kg", weight_kg, MAX_WEIGHT_KG),
        ("desired_rise_iu_dl", desired_rise_iu_dl, MAX_RISE_IU_DL),
    )
    unrounded = weight * rise / product.recovery_iu_dl_per_iu_kg
    return RiseDose(weight, rise, product, unrounded, round_to_vials(unrounded, product, rounding))


def iu_per_kg_per_week(dose_iu: float, weight_kg: float, infusions_per_week: float) -> float:
    """Weekly factor use in IU/kg: dose_iu / weight_kg x infusions_per_week.

    ``infusions_per_week`` is an average (every 2 days = 3.5), above 0 and at most 7.

    >>> iu_per_kg_per_week(500, 20, 3)
    75.0
    """
    dose, weight, per_week = _positives(
        ("dose_iu", dose_iu, MAX_DOSE_IU),
        ("weight_kg", weight_kg, MAX_WEIGHT_KG),
        ("infusions_per_week", infusions_per_week, MAX_INFUSIONS_PER_WEEK),
    )
    return dose / weight * per_week
