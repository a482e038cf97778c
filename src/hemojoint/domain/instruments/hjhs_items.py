"""HJHS 2.1 item helpers: goniometry to flexion/extension loss, manual muscle test to strength.

Rules (REFERENCE.md section 3, "HJHS 2.1"; HJHS 2.1 reference manual, International
Prophylaxis Study Group, 2011):

- Range-of-motion loss is scored two ways and the worse score is kept.
  Against the other side, loss L in whole degrees: L < 5 -> 0; 5-10 -> 1; 11-20 -> 2;
  > 20 -> 3. Against age norms, degrees outside the normal range D: 0 -> 0; 1-4 -> 1;
  5-10 -> 2; > 10 -> 3.
- Strength from the manual-muscle-test grade: 5 -> 0; 4+, 4, 4- -> 1; 3+, 3 -> 2;
  3-, 2+, 2, 2- -> 3; 1, 0 -> 4.

Everything here is pure and refuses invalid input with :class:`InvalidInputError`.
"""

from __future__ import annotations

from types import MappingProxyType

from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.validation import fail, int_in_range

# Each table lists (lowest degrees that earn the score, score), ascending; below the
# first entry the score is 0. Written as the reference's bands, not as arithmetic.
LOSS_VS_OTHER_SIDE_BANDS: tuple[tuple[int, int], ...] = ((5, 1), (11, 2), (21, 3))
LOSS_VS_AGE_NORM_BANDS: tuple[tuple[int, int], ...] = ((1, 1), (5, 2), (11, 3))

# Goniometry never yields more than a half circle of loss; larger values are typos.
MAX_LOSS_DEG = 180
# Measured angles may be negative (e.g. a knee lacking extension is recorded below 0).
MEASURED_DEG_RANGE = (-180, 180)

MMT_GRADE_TO_STRENGTH = MappingProxyType(
    {
        "5": 0,
        "4+": 1,
        "4": 1,
        "4-": 1,
        "3+": 2,
        "3": 2,
        "3-": 3,
        "2+": 3,
        "2": 3,
        "2-": 3,
        "1": 4,
        "0": 4,
    }
)


def whole_degrees(field: str, value: object, low: int, high: int) -> int:
    """Return ``value`` as whole degrees within ``low..high``; fractions and booleans refused.

    >>> whole_degrees("loss_deg", 12, 0, 180)
    12
    >>> whole_degrees("loss_deg", 7.5, 0, 180)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: loss_deg: 7.5 is not whole degrees
    """
    is_fraction = isinstance(value, float) and not value.is_integer()
    if isinstance(value, bool) or not isinstance(value, int | float) or is_fraction:
        raise fail(FieldProblem.wrong_type(field, value, "whole degrees"))
    return int_in_range(field, value, low, high)


def _band_score(degrees: int, bands: tuple[tuple[int, int], ...]) -> int:
    score = 0
    for lowest, band in bands:
        if degrees >= lowest:
            score = band
    return score


def loss_vs_other_side_score(loss_deg: int, *, field: str = "loss_deg") -> int:
    """Item score (0-3) for a loss of motion against the other side.

    ``loss_deg``: whole degrees the joint lacks compared with the same joint on the
    other side, 0-180. Rule: L < 5 -> 0; 5-10 -> 1; 11-20 -> 2; > 20 -> 3
    (REFERENCE.md section 3, HJHS 2.1).

    >>> [loss_vs_other_side_score(deg) for deg in (4, 5, 10, 11, 20, 21)]
    [0, 1, 1, 2, 2, 3]
    >>> loss_vs_other_side_score(-3)
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: loss_deg: -3 is outside 0-180
    """
    return _band_score(whole_degrees(field, loss_deg, 0, MAX_LOSS_DEG), LOSS_VS_OTHER_SIDE_BANDS)


def loss_vs_age_norm_score(deg_outside: int, *, field: str = "deg_outside") -> int:
    """Item score (0-3) for motion outside the age-normal range.

    ``deg_outside``: whole degrees outside the normal range for the child's age,
    0-180. Rule: D = 0 -> 0; 1-4 -> 1; 5-10 -> 2; > 10 -> 3
    (REFERENCE.md section 3, HJHS 2.1).

    >>> [loss_vs_age_norm_score(deg) for deg in (0, 1, 4, 5, 10, 11)]
    [0, 1, 1, 2, 2, 3]
    """
    return _band_score(whole_degrees(field, deg_outside, 0, MAX_LOSS_DEG), LOSS_VS_AGE_NORM_BANDS)


def motion_loss_score(loss_vs_other_side_deg: int, deg_outside_age_norm: int) -> int:
    """Flexion or extension loss item (0-3): the worse of the two comparisons.

    ``loss_vs_other_side_deg``: loss against the other side (whole degrees, 0-180);
    ``deg_outside_age_norm``: degrees outside the age-normal range (0-180).
    The HJHS scores range of motion both ways and keeps the worse
    (REFERENCE.md section 3, HJHS 2.1).

    >>> motion_loss_score(8, 12)  # other side: 1, age norm: 3
    3
    >>> motion_loss_score(25, 0)  # other side: 3, age norm: 0
    3
    >>> motion_loss_score(3, 0)
    0
    """
    by_side = loss_vs_other_side_score(loss_vs_other_side_deg, field="loss_vs_other_side_deg")
    by_norm = loss_vs_age_norm_score(deg_outside_age_norm, field="deg_outside_age_norm")
    return max(by_side, by_norm)


def motion_loss_from_goniometry(
    measured_deg: int, other_side_deg: int, normal_range_deg: tuple[int, int]
) -> int:
    """Flexion or extension loss item (0-3) from raw goniometer readings.

    All angles are whole degrees of the same movement, larger meaning more motion
    (e.g. knee extension with hyperextension positive, a lack of extension
    negative), each within -180..180. ``normal_range_deg`` is the age-normal
    ``(low, high)`` for that movement.

    L = how far the joint falls short of the other side (0 if it moves as far or
    further). D = how far it falls short of ``low``. Only a shortfall counts: this
    scores a *loss* item, so motion beyond the normal range (hypermobility, common in
    children) is not a loss. ``high`` is validated but does not score.
    The item is the worse of the two scores (REFERENCE.md section 3, HJHS 2.1).

    >>> motion_loss_from_goniometry(125, 140, (135, 150))  # L = 15 -> 2, D = 10 -> 2
    2
    >>> motion_loss_from_goniometry(-5, 5, (0, 10))  # L = 10 -> 1, D = 5 -> 2
    2
    >>> motion_loss_from_goniometry(150, 140, (135, 150))
    0
    """
    low_bound, high_bound = MEASURED_DEG_RANGE
    measured = whole_degrees("measured_deg", measured_deg, low_bound, high_bound)
    other = whole_degrees("other_side_deg", other_side_deg, low_bound, high_bound)
    low, _high = _normal_range(normal_range_deg)
    return motion_loss_score(max(0, other - measured), max(0, low - measured))


def _normal_range(normal_range_deg: tuple[int, int]) -> tuple[int, int]:
    low_bound, high_bound = MEASURED_DEG_RANGE
    low = whole_degrees("normal_range_deg.low", normal_range_deg[0], low_bound, high_bound)
    high = whole_degrees("normal_range_deg.high", normal_range_deg[1], low_bound, high_bound)
    if low > high:
        allowed = "low <= high"
        why = f"has low {low} above high {high}"
        raise fail(FieldProblem.invalid("normal_range_deg", normal_range_deg, allowed, why))
    return low, high


def strength_from_mmt(grade: str, *, field: str = "mmt_grade") -> int:
    """Strength item (0-4) from a manual-muscle-test grade given as text.

    Grades: "5" -> 0; "4+", "4", "4-" -> 1; "3+", "3" -> 2; "3-", "2+", "2", "2-" -> 3;
    "1", "0" -> 4 (REFERENCE.md section 3, HJHS 2.1). Any other value is refused.

    >>> strength_from_mmt("4-"), strength_from_mmt("3-"), strength_from_mmt("0")
    (1, 3, 4)
    >>> strength_from_mmt("1+")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hemojoint.domain.errors.InvalidInputError: mmt_grade: '1+' is not one of 5, 4+, 4, 4-, ..., 1, 0
    """
    if isinstance(grade, str) and grade in MMT_GRADE_TO_STRENGTH:
        return MMT_GRADE_TO_STRENGTH[grade]
    raise fail(FieldProblem.not_one_of(field, grade, MMT_GRADE_TO_STRENGTH))
