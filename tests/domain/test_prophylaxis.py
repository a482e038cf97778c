"""Prophylaxis dosing, the programme's regimen and infusion weekdays.

Expected values are worked by hand from REFERENCE.md: section 1 (programme regimen:
A three times a week, B twice, 20-25 IU/kg) and section 2 (dose arithmetic:
FVIII IU = kg x rise x 0.5, plasma-derived FIX IU = kg x rise x 1.0). Vial sums are
plain addition of the vial sizes named in each case.
"""

from datetime import date

import pytest

from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.patients import HemophiliaType
from hemojoint.domain.prophylaxis import (
    Factor,
    FactorProduct,
    Weekday,
    dose_for_rise,
    infusion_days,
    iu_per_kg_per_week,
    parse_weekdays,
    programme_regimen,
    round_to_vials,
)

F8 = FactorProduct.with_default_recovery("F8 standard", Factor.VIII, (250, 500, 1000))
F9 = FactorProduct.with_default_recovery("pdFIX", Factor.IX, (250, 500, 1000))


# --- products -------------------------------------------------------------------


def test_default_recovery_follows_the_reference() -> None:
    # REFERENCE.md section 2: FVIII x 0.5 IU per (kg x IU/dL) -> 2.0 IU/dL per IU/kg;
    # plasma-derived FIX x 1.0 -> 1.0 IU/dL per IU/kg.
    assert F8.recovery_iu_dl_per_iu_kg == 2.0
    assert F9.recovery_iu_dl_per_iu_kg == 1.0


def test_vial_sizes_are_kept_sorted_and_unique() -> None:
    product = FactorProduct("F8", Factor.VIII, (1000, 250, 500, 250), 2.0)
    assert product.vial_sizes_iu == (250, 500, 1000)


@pytest.mark.parametrize(
    ("vial_sizes_iu", "message"),
    [
        ((), r"product\.vial_sizes_iu: \(\) is not a tuple of at least one vial size"),
        ((250, 0), r"product\.vial_sizes_iu\[1\]: 0 is not a whole number of IU above 0"),
        ((-250,), r"product\.vial_sizes_iu\[0\]: -250 is not a whole number"),
        ((250.5,), r"product\.vial_sizes_iu\[0\]: 250\.5 is not a whole number"),
        ((True,), r"product\.vial_sizes_iu\[0\]: True is not a whole number"),
    ],
    ids=["no-vials", "zero", "negative", "fraction", "boolean"],
)
def test_bad_vial_sizes_are_refused(vial_sizes_iu: tuple[int, ...], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        FactorProduct("F8", Factor.VIII, vial_sizes_iu, 2.0)


def test_every_product_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidInputError) as caught:
        FactorProduct("odd", "X", (), 0)  # type: ignore[arg-type]
    assert [problem.field for problem in caught.value.problems] == [
        "product.factor",
        "product.recovery_iu_dl_per_iu_kg",
        "product.vial_sizes_iu",
    ]


# --- rounding to vials ------------------------------------------------------------

# Vials 250/500/1000 unless stated; "up" = smallest sum >= dose, then fewest vials.
ROUND_UP_CASES = [
    (500, 500, ((500, 1),)),
    (420, 500, ((500, 1),)),  # the brief's 21 kg x 20 IU/kg
    (499.99, 500, ((500, 1),)),
    (500.01, 750, ((500, 1), (250, 1))),
    (1000, 1000, ((1000, 1),)),  # one 1000, not two 500s
    (1750, 1750, ((1000, 1), (500, 1), (250, 1))),
    (2000, 2000, ((1000, 2),)),
    (500.0000000000001, 500, ((500, 1),)),  # float noise below a micro-IU costs no vial
]


@pytest.mark.parametrize(
    ("dose_iu", "expected_iu", "vials"),
    ROUND_UP_CASES,
    ids=["500", "420", "499.99", "500.01", "1000", "1750", "2000", "float-noise"],
)
def test_round_up_never_under_doses(
    dose_iu: float, expected_iu: int, vials: tuple[tuple[int, int], ...]
) -> None:
    rounded = round_to_vials(dose_iu, F8)
    assert (rounded.dose_iu, rounded.vials) == (expected_iu, vials)


def test_smallest_total_beats_fewer_vials() -> None:
    # Vials 300/500, dose 850: reachable totals are 800 (<850), 900 = 3 x 300 and
    # 1000 = 2 x 500; the smallest total >= 850 is 900, although it takes 3 vials.
    product = FactorProduct("odd sizes", Factor.VIII, (300, 500), 2.0)
    rounded = round_to_vials(850, product)
    assert (rounded.dose_iu, rounded.vials, rounded.vial_count) == (900, ((300, 3),), 3)


def test_equal_vial_counts_prefer_the_larger_vials() -> None:
    # Vials 100/200/300/400, dose 500: 400 + 100 and 300 + 200 both take 2 vials;
    # the documented tie-break keeps the mix with the largest vial.
    product = FactorProduct("many sizes", Factor.VIII, (100, 200, 300, 400), 2.0)
    assert round_to_vials(500, product).vials == ((400, 1), (100, 1))


def test_vials_of_different_sizes_combine() -> None:
    # Vials 300/500, dose 700: 800 = 500 + 300.
    product = FactorProduct("odd sizes", Factor.VIII, (300, 500), 2.0)
    assert round_to_vials(700, product).vials == ((500, 1), (300, 1))


NEAREST_CASES = [
    (420, 500),  # 500 is 80 away, 250 is 170
    (501, 500),
    (1300, 1250),  # 1250 is 50 away, 1500 is 200
    (374.99, 250),  # 250 is 124.99 away, 500 is 125.01
    (375, 500),  # a tie goes up
    (375.01, 500),
    (100, 250),  # nothing below but zero vials, which is no dose
]


@pytest.mark.parametrize(
    ("dose_iu", "expected_iu"),
    NEAREST_CASES,
    ids=["420", "501", "1300", "374.99", "375-tie", "375.01", "100"],
)
def test_round_nearest(dose_iu: float, expected_iu: int) -> None:
    assert round_to_vials(dose_iu, F8, "nearest").dose_iu == expected_iu


@pytest.mark.parametrize(
    ("dose_iu", "rounding", "message"),
    [
        (0, "up", r"dose_iu: 0 is not above 0"),
        (-5, "up", r"dose_iu: -5 is outside 0-100000"),
        (100, "down", r"rounding: 'down' is not one of up, nearest"),
    ],
    ids=["zero", "negative", "unknown-rounding"],
)
def test_round_to_vials_refuses_bad_input(dose_iu: float, rounding: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        round_to_vials(dose_iu, F8, rounding)


# --- dose for a factor rise -------------------------------------------------------------

RISE_CASES = [
    # FVIII: 30 kg x 40 IU/dL x 0.5 = 600 IU -> 500 + 250.
    (F8, 30, 40, 600.0, 750),
    # Plasma-derived FIX: 30 kg x 40 IU/dL x 1.0 = 1200 IU -> 1000 + 250.
    (F9, 30, 40, 1200.0, 1250),
    # Recombinant FIX set at 0.8 IU/dL per IU/kg: 30 x 40 / 0.8 = 1500 IU.
    (FactorProduct("rFIX", Factor.IX, (250, 500, 1000), 0.8), 30, 40, 1500.0, 1500),
    # FVIII: 20 kg x 50 IU/dL x 0.5 = 500 IU exactly.
    (F8, 20, 50, 500.0, 500),
]


@pytest.mark.parametrize(
    ("product", "weight_kg", "rise_iu_dl", "unrounded", "rounded"),
    RISE_CASES,
    ids=["fviii-30kg-40", "pdfix-30kg-40", "rfix-0.8-30kg-40", "fviii-20kg-50"],
)
def test_dose_for_rise(
    product: FactorProduct, weight_kg: float, rise_iu_dl: float, unrounded: float, rounded: int
) -> None:
    dose = dose_for_rise(weight_kg, rise_iu_dl, product)
    assert dose.dose_iu_unrounded == pytest.approx(unrounded)
    assert dose.rounded.dose_iu == rounded
    assert dose.as_dict()["dose_iu"] == rounded


@pytest.mark.parametrize(
    ("weight_kg", "rise_iu_dl"),
    [(0.01, 40), (250, 40), (30, 0.01), (30, 200)],
    ids=["weight-0.01", "weight-250", "rise-0.01", "rise-200"],
)
def test_dose_for_rise_accepts_its_limits(weight_kg: float, rise_iu_dl: float) -> None:
    # FVIII: kg x rise x 0.5.
    expected = weight_kg * rise_iu_dl * 0.5
    assert dose_for_rise(weight_kg, rise_iu_dl, F8).dose_iu_unrounded == pytest.approx(expected)


@pytest.mark.parametrize(
    ("weight_kg", "rise_iu_dl", "message"),
    [
        (0, 40, r"weight_kg: 0 is not above 0"),
        (250.01, 40, r"weight_kg: 250\.01 is outside 0-250"),
        (30, 0, r"desired_rise_iu_dl: 0 is not above 0"),
        (30, 200.01, r"desired_rise_iu_dl: 200\.01 is outside 0-200"),
    ],
    ids=["weight-0", "weight-250.01", "rise-0", "rise-200.01"],
)
def test_dose_for_rise_refuses_beyond_its_limits(
    weight_kg: float, rise_iu_dl: float, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        dose_for_rise(weight_kg, rise_iu_dl, F8)


def test_dose_for_rise_reports_both_bad_fields() -> None:
    with pytest.raises(InvalidInputError, match=r"weight_kg: -1 .*; desired_rise_iu_dl: 'a lot'"):
        dose_for_rise(-1, "a lot", F8)  # type: ignore[arg-type]


# --- IU/kg/week ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose_iu", "weight_kg", "per_week", "expected"),
    [
        (500, 20, 3, 75.0),  # 500 / 20 = 25 IU/kg x 3
        (750, 30, 2, 50.0),  # 750 / 30 = 25 IU/kg x 2
        (1000, 40, 3.5, 87.5),  # every 2 days: 25 IU/kg x 3.5
        (500, 20, 7, 175.0),  # daily, the upper limit
    ],
    ids=["500iu-20kg-3", "750iu-30kg-2", "1000iu-40kg-3.5", "daily"],
)
def test_iu_per_kg_per_week(
    dose_iu: float, weight_kg: float, per_week: float, expected: float
) -> None:
    assert iu_per_kg_per_week(dose_iu, weight_kg, per_week) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("per_week", "message"),
    [
        (0, r"infusions_per_week: 0 is not above 0"),
        (7.01, r"infusions_per_week: 7\.01 is outside 0-7"),
    ],
    ids=["zero", "7.01"],
)
def test_iu_per_kg_per_week_limits(per_week: float, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        iu_per_kg_per_week(500, 20, per_week)


# --- the programme's regimen -------------------------------------------------------------


def test_hemophilia_a_default_regimen() -> None:
    # 20 kg x 20 IU/kg = 400 IU -> 500 IU vial = 25 IU/kg; x 3 a week = 75 IU/kg/week.
    regimen = programme_regimen(HemophiliaType.A, 20, F8)
    assert regimen.infusions_per_week == 3
    assert regimen.weekdays == (Weekday.MON, Weekday.WED, Weekday.FRI)
    assert (regimen.dose_iu_unrounded, regimen.dose_iu) == (400, 500)
    assert regimen.dose_iu_per_kg == pytest.approx(25.0)
    assert regimen.iu_per_kg_per_week == pytest.approx(75.0)
    assert regimen.within_programme_range
    assert regimen.exceptions == ()


def test_hemophilia_b_default_regimen() -> None:
    # 30 kg x 20 IU/kg = 600 IU -> 750 IU = 25 IU/kg; x 2 a week = 50 IU/kg/week.
    regimen = programme_regimen("B", 30, F9)
    assert (regimen.infusions_per_week, regimen.dose_iu) == (2, 750)
    assert [day.value for day in regimen.weekdays] == ["mon", "thu"]
    assert regimen.as_dict()["iu_per_kg_per_week"] == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("weight_kg", "dose_iu_per_kg", "dose_iu", "actual_iu_per_kg"),
    [
        (20, 25, 500, 25.0),  # 20 kg x 25 IU/kg = 500 IU
        (21, None, 500, 500 / 21),  # 21 kg x 20 = 420 -> 500 up
        (40, 25, 1000, 25.0),  # 40 x 25 = 1000, one vial
        (37.5, 20, 750, 20.0),  # 37.5 x 20 = 750 = 500 + 250
    ],
    ids=["20kg-25", "21kg-default", "40kg-25", "37.5kg-20"],
)
def test_regimen_dose_arithmetic(
    weight_kg: float, dose_iu_per_kg: float | None, dose_iu: int, actual_iu_per_kg: float
) -> None:
    regimen = programme_regimen("A", weight_kg, F8, dose_iu_per_kg=dose_iu_per_kg)
    assert regimen.dose_iu == dose_iu
    assert regimen.dose_iu_per_kg == pytest.approx(actual_iu_per_kg)


# At the 25 IU/kg top of the range, default target 20 IU/kg, vials 250/500/1000:
# 19.9 kg -> 398 -> 500 = 25.13 IU/kg; 20 kg -> 500 = 25.00; 20.1 kg -> 500 = 24.88.
# At the 20 IU/kg bottom with nearest rounding and 100 IU vials:
# 20.4 kg -> 408 -> 400 = 19.61; 20 kg -> 400 = 20.00; 19.6 kg -> 392 -> 400 = 20.41.
@pytest.mark.parametrize(
    ("weight_kg", "vials", "rounding", "within"),
    [
        (19.9, (250, 500, 1000), "up", False),
        (20, (250, 500, 1000), "up", True),
        (20.1, (250, 500, 1000), "up", True),
        (20.4, (100,), "nearest", False),
        (20, (100,), "nearest", True),
        (19.6, (100,), "nearest", True),
    ],
    ids=["25.13", "25.00", "24.88", "19.61", "20.00", "20.41"],
)
def test_rounding_outside_the_programme_range_is_flagged(
    weight_kg: float, vials: tuple[int, ...], rounding: str, within: bool
) -> None:
    product = FactorProduct("F8", Factor.VIII, vials, 2.0)
    regimen = programme_regimen("A", weight_kg, product, rounding=rounding)
    assert regimen.within_programme_range is within


@pytest.mark.parametrize(
    ("dose_iu_per_kg", "needs_reason"),
    [(19.99, True), (20, False), (20.01, False), (24.99, False), (25, False), (25.01, True)],
    ids=["19.99", "20", "20.01", "24.99", "25", "25.01"],
)
def test_dose_outside_20_to_25_needs_a_reason(dose_iu_per_kg: float, needs_reason: bool) -> None:
    if needs_reason:
        with pytest.raises(
            InvalidInputError, match=r"exception_reason: is missing.*dose_iu_per_kg"
        ):
            programme_regimen("A", 20, F8, dose_iu_per_kg=dose_iu_per_kg)
    else:
        assert programme_regimen("A", 20, F8, dose_iu_per_kg=dose_iu_per_kg).exceptions == ()


def test_dose_exception_is_recorded_with_its_reason() -> None:
    regimen = programme_regimen(
        "A", 20, F8, dose_iu_per_kg=30, exception_reason="hematologist: breakthrough bleeds"
    )
    result = regimen.as_dict()
    assert result["is_exception"] is True
    assert result["exceptions"] == ["dose_iu_per_kg 30 is outside the programme's 20-25"]
    assert result["exception_reason"] == "hematologist: breakthrough bleeds"


def test_once_a_week_is_an_exception_with_a_reason() -> None:
    # REFERENCE.md section 1: "some children once a week, e.g. for body weight".
    regimen = programme_regimen(
        "A", 20, F8, infusions_per_week=1, exception_reason="body weight; hematologist's decision"
    )
    assert (regimen.infusions_per_week, regimen.weekdays) == (1, (Weekday.MON,))
    assert regimen.iu_per_kg_per_week == pytest.approx(25.0)  # 500 / 20 x 1
    assert regimen.exceptions == (
        "infusions_per_week 1 differs from the programme's 3 for hemophilia A",
    )


@pytest.mark.parametrize("reason", [None, "", "   "], ids=["none", "empty", "blank"])
def test_once_a_week_without_a_reason_is_refused(reason: str | None) -> None:
    with pytest.raises(
        InvalidInputError, match=r"exception_reason: is missing.*infusions_per_week 1"
    ):
        programme_regimen("A", 20, F8, infusions_per_week=1, exception_reason=reason)


def test_own_weekdays_with_the_programme_frequency_are_not_an_exception() -> None:
    regimen = programme_regimen("A", 20, F8, weekdays=["sat", "tue", "thu"])
    assert regimen.weekdays == (Weekday.TUE, Weekday.THU, Weekday.SAT)
    assert regimen.exceptions == ()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"weekdays": ["mon", "thu"]},
            r"weekdays: \['mon', 'thu'\] does not match infusions_per_week 3",
        ),
        ({"infusions_per_week": 4, "exception_reason": "x"}, r"weekdays: is missing; expected 4"),
        ({"infusions_per_week": 0}, r"infusions_per_week: 0 is outside 1-7"),
        ({"infusions_per_week": 8}, r"infusions_per_week: 8 is outside 1-7"),
        ({"infusions_per_week": 2.5}, r"infusions_per_week: 2\.5 is outside 1-7"),
        ({"weekdays": ["mon", "wed", "fry"]}, r"weekdays\[2\]: 'fry' is not one of"),
        ({"rounding": "down"}, r"rounding: 'down' is not one of up, nearest"),
        ({"dose_iu_per_kg": 0}, r"dose_iu_per_kg: 0 is not above 0"),
    ],
    ids=[
        "weekday-count",
        "no-default-weekdays-for-4",
        "per-week-0",
        "per-week-8",
        "per-week-fraction",
        "bad-weekday",
        "bad-rounding",
        "dose-0",
    ],
)
def test_regimen_refuses_bad_overrides(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        programme_regimen("A", 20, F8, **overrides)  # type: ignore[arg-type]


def test_product_must_match_the_hemophilia_type() -> None:
    with pytest.raises(
        InvalidInputError, match=r"product\.factor: 'IX' does not treat hemophilia A"
    ):
        programme_regimen("A", 20, F9)


def test_regimen_reports_every_bad_field() -> None:
    with pytest.raises(InvalidInputError) as caught:
        programme_regimen("C", -1, F8, rounding="down")
    assert [problem.field for problem in caught.value.problems] == [
        "hemophilia_type",
        "weight_kg",
        "rounding",
    ]


def test_regimen_result_is_plain_json() -> None:
    result = programme_regimen("A", 21, F8).as_dict()
    assert result["source"].startswith("Study protocol")
    assert result["dose_range_iu_per_kg"] == [20.0, 25.0]
    assert result["weekdays"] == ["mon", "wed", "fri"]
    assert result["vials"] == [{"size_iu": 500, "count": 1}]
    assert result["product"]["vial_sizes_iu"] == [250, 500, 1000]


# --- weekdays and infusion days ---------------------------------------------------------------


def test_weekdays_come_back_in_week_order() -> None:
    assert parse_weekdays(["sun", "mon", "wed"]) == (Weekday.MON, Weekday.WED, Weekday.SUN)


@pytest.mark.parametrize(
    ("weekdays", "message"),
    [
        (["Mon"], r"weekdays\[0\]: 'Mon' is not one of mon, tue, wed, thu, fri, sat, sun"),
        (["monday"], r"weekdays\[0\]: 'monday' is not one of"),
        (["mon", "mon"], r"weekdays\[1\]: 'mon' is repeated"),
        ([], r"weekdays: \[\] is not a list of weekdays \(mon\.\.sun\)"),
        ("mon", r"weekdays: 'mon' is not a list of weekdays"),
        ([1], r"weekdays\[0\]: 1 is not one of"),
    ],
    ids=["capitalised", "long-name", "repeated", "empty", "bare-string", "number"],
)
def test_weekday_codes_are_validated(weekdays: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_weekdays(weekdays)


def test_every_bad_weekday_is_reported() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_weekdays(["xx", "mon", "yy", "mon"])
    assert [problem.field for problem in caught.value.problems] == [
        "weekdays[0]",
        "weekdays[2]",
        "weekdays[3]",
    ]


def test_infusion_days_over_two_weeks() -> None:
    # 2024-01-01 was a Monday: mon/wed/fri in 1-14 January are the 1st, 3rd, 5th, 8th, 10th, 12th.
    days = infusion_days(date(2024, 1, 1), date(2024, 1, 14), ["mon", "wed", "fri"])
    assert [day.day for day in days] == [1, 3, 5, 8, 10, 12]


def test_infusion_days_over_the_12_week_programme() -> None:
    # 12 weeks from Monday 2024-01-01 to Sunday 2024-03-24: 12 x 3 = 36 infusions.
    days = infusion_days(
        date(2024, 1, 1), date(2024, 3, 24), [Weekday.MON, Weekday.WED, Weekday.FRI]
    )
    assert len(days) == 36
    assert days[-1] == date(2024, 3, 22)


@pytest.mark.parametrize(
    ("end", "expected"),
    [(date(2023, 12, 31), None), (date(2024, 1, 1), 1), (date(2024, 1, 2), 1)],
    ids=["end-before-start", "same-day", "day-after"],
)
def test_infusion_days_at_the_window_edges(end: date, expected: int | None) -> None:
    if expected is None:
        with pytest.raises(
            InvalidInputError, match=r"end_date: '2023-12-31' is before start_date 2024-01-01"
        ):
            infusion_days(date(2024, 1, 1), end, ["mon"])
    else:
        assert len(infusion_days(date(2024, 1, 1), end, ["mon"])) == expected
