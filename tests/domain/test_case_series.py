"""Iliopsoas case-series figures (REFERENCE.md section 4: Panuwannakorn et al. 2023)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.case_series import (
    AgeBand,
    SeriesBleed,
    SeriesPatient,
    case_series,
)
from hemojoint.domain.errors import InvalidInputError

LEFT = BleedSite.LEFT_ILIOPSOAS
RIGHT = BleedSite.RIGHT_ILIOPSOAS
BIRTH = date(2000, 1, 1)


def at(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def published_cohort() -> tuple[list[SeriesPatient], list[SeriesBleed]]:
    """188 patients; 20 of them with 44 iliopsoas episodes, 28 with femoral neuropathy.

    Patients 1-4 have 3 episodes (12), patients 5-20 have 2 (32): 44 episodes in all.
    Every patient is born 2000-01-01 and the episodes sit at 5552 days of age plus
    offsets that cancel (-100, 0, +100 or -50, +50), so the mean age is 5552 days.
    Episodes 0-29 stay 14 days, 30-43 stay 13; episodes 0-27 have neuropathy, of which
    0-24 recover after 10, 20, ..., 250 days and 25-27 have not recovered.
    """
    patients = [SeriesPatient(number, BIRTH) for number in range(1, 189)]
    offsets = [(-100, 0, 100)] * 4 + [(-50, 50)] * 16
    bleeds: list[SeriesBleed] = []
    for patient_id, shifts in enumerate(offsets, start=1):
        for shift in shifts:
            index = len(bleeds)
            day = BIRTH + timedelta(days=5552 + shift)
            neuropathy = index < 28
            recovered = day + timedelta(days=10 * (index + 1)) if index < 25 else None
            bleeds.append(
                SeriesBleed(
                    patient_id,
                    LEFT,
                    at(day),
                    hospital_days=14 if index < 30 else 13,
                    femoral_neuropathy=neuropathy,
                    neuropathy_recovery_date=recovered,
                )
            )
    return patients, bleeds


def test_the_published_headline_numbers() -> None:
    patients, bleeds = published_cohort()
    figures = case_series(patients, bleeds).as_dict()
    assert (figures["cohort_patients"], figures["patients_with_bleeds"]) == (188, 20)
    assert figures["episodes"] == 44
    # 20 / 188 = 0.106383 -> 10.6 % (the paper's 20 of 188).
    assert figures["prevalence"] == pytest.approx(20 / 188)
    assert figures["prevalence_percent"] == 10.6
    # 28 / 44 = 0.636364 -> 63.6 % of episodes with femoral neuropathy.
    assert figures["femoral_neuropathy"] == {
        "episodes": 28,
        "rate": pytest.approx(28 / 44),
        "rate_percent": 63.6,
    }
    # Stay: (30 x 14 + 14 x 13) / 44 = 602 / 44 = 13.68 (the paper's 13.7). Two values:
    # sum of squares = 30 x 14 / 44 x 1^2 = 9.5455; SD = sqrt(9.5455 / 43) = 0.47116.
    stay = figures["hospital_days"]
    assert (stay["n"], stay["unknown"]) == (44, 0)
    assert stay["mean"] == pytest.approx(602 / 44)
    assert round(stay["mean"], 1) == 13.7
    assert stay["sd"] == pytest.approx(0.47116, abs=1e-5)
    # Age: 5552 days / 365.25 = 15.2005 years (the paper's 15.2).
    assert figures["age_at_episode_years"]["mean"] == pytest.approx(15.2005, abs=1e-4)
    # Recovery: 25 recovered after 10..250 days, median the 13th = 130; 3 not recovered.
    assert figures["recovery"] == {"recovered": 25, "not_recovered": 3, "median_days": 130}


def test_the_published_cohort_by_age_band() -> None:
    patients, bleeds = published_cohort()
    bands = case_series(patients, bleeds).as_dict()["by_age_band"]
    # Every episode is at 15 completed years (5452..5652 days): all in 12-17.
    assert bands == [
        {"band": "0-5", "patients": 0, "episodes": 0, "prevalence": 0.0, "prevalence_percent": 0.0},
        {
            "band": "6-11",
            "patients": 0,
            "episodes": 0,
            "prevalence": 0.0,
            "prevalence_percent": 0.0,
        },
        {
            "band": "12-17",
            "patients": 20,
            "episodes": 44,
            "prevalence": pytest.approx(20 / 188),
            "prevalence_percent": 10.6,
        },
        {
            "band": "18-20",
            "patients": 0,
            "episodes": 0,
            "prevalence": 0.0,
            "prevalence_percent": 0.0,
        },
    ]


def test_a_rebleed_within_72_hours_is_the_same_episode() -> None:
    start = datetime(2024, 3, 1, 8, tzinfo=UTC)
    end = start + timedelta(days=2)
    first = SeriesBleed(1, LEFT, start, 10, treatment_end=end)
    rebleed = SeriesBleed(1, LEFT, end + timedelta(hours=72), 5, femoral_neuropathy=True)
    series = case_series([SeriesPatient(1, date(2010, 1, 1))], [rebleed, first])
    (episode,) = series.episodes
    # Days add up; neuropathy in the rebleed makes the episode neuropathic.
    assert (episode.bleeds, episode.hospital_days, episode.femoral_neuropathy) == (2, 15, True)
    assert episode.start == start


def test_a_bleed_72_hours_and_a_minute_later_is_a_new_episode() -> None:
    start = datetime(2024, 3, 1, 8, tzinfo=UTC)
    end = start + timedelta(days=2)
    first = SeriesBleed(1, LEFT, start, 10, treatment_end=end)
    later = SeriesBleed(1, LEFT, end + timedelta(hours=72, minutes=1), 5)
    series = case_series([SeriesPatient(1, date(2010, 1, 1))], [first, later])
    assert [episode.hospital_days for episode in series.episodes] == [10, 5]
    assert series.as_dict()["patients_with_bleeds"] == 1


def test_left_and_right_iliopsoas_are_two_episodes_and_other_sites_are_ignored() -> None:
    start = datetime(2024, 3, 1, 8, tzinfo=UTC)
    bleeds = [
        SeriesBleed(1, LEFT, start, treatment_end=start + timedelta(days=1)),
        SeriesBleed(1, RIGHT, start + timedelta(hours=1)),
        SeriesBleed(1, BleedSite.LEFT_KNEE, start),
    ]
    series = case_series([SeriesPatient(1, date(2010, 1, 1))], bleeds)
    assert sorted(episode.site for episode in series.episodes) == [LEFT, RIGHT]


# Born 2004-03-15: each birthday moves the child up one completed year on that very day.
BAND_BIRTH = date(2004, 3, 15)


@pytest.mark.parametrize(
    ("day", "band"),
    [
        (date(2004, 3, 15), "0-5"),  # day of birth: 0 years
        (date(2010, 3, 14), "0-5"),  # the day before the 6th birthday: 5 years
        (date(2010, 3, 15), "6-11"),  # 6th birthday
        (date(2016, 3, 14), "6-11"),  # 11 years
        (date(2016, 3, 15), "12-17"),  # 12th birthday
        (date(2022, 3, 14), "12-17"),  # 17 years
        (date(2022, 3, 15), "18-20"),  # 18th birthday
        (date(2025, 3, 14), "18-20"),  # 20 years, the last day in the bands
        (date(2025, 3, 15), None),  # 21st birthday: outside every band
    ],
)
def test_age_band_boundaries(day: date, band: str | None) -> None:
    bleed = SeriesBleed(1, LEFT, at(day))
    figures = case_series([SeriesPatient(1, BAND_BIRTH)], [bleed]).as_dict()
    counted = [entry["band"] for entry in figures["by_age_band"] if entry["episodes"]]
    assert counted == ([] if band is None else [band])
    assert figures["episodes_outside_bands"] == (1 if band is None else 0)


def test_bands_are_a_parameter_and_a_patient_counts_in_each_band_it_bled_in() -> None:
    bleeds = [
        SeriesBleed(1, LEFT, at(date(2012, 1, 1))),
        SeriesBleed(1, LEFT, at(date(2020, 1, 1))),
    ]
    patients = [SeriesPatient(1, date(2005, 6, 1)), SeriesPatient(2, date(2005, 6, 1))]
    series = case_series(patients, bleeds, bands=[AgeBand(0, 9), AgeBand(10, 20)])
    # Ages 6 and 14: one episode per band; patient 1 of 2 in each band -> 0.5 each.
    assert [(band.band.label, band.patients, band.prevalence) for band in series.bands] == [
        ("0-9", 1, 0.5),
        ("10-20", 1, 0.5),
    ]
    assert series.prevalence == 0.5


def test_recovery_counts_the_unrecovered_and_an_unrecovered_rebleed() -> None:
    start = datetime(2024, 3, 1, 8, tzinfo=UTC)
    end = start + timedelta(days=1)
    bleeds = [
        # Episode 1: recovered 40 days after its start.
        SeriesBleed(1, LEFT, start, 12, True, date(2024, 4, 10)),
        # Episode 2: first bleed recovered, its rebleed (within 72 h) not: not recovered.
        SeriesBleed(2, RIGHT, start, 10, True, date(2024, 3, 20), treatment_end=end),
        SeriesBleed(2, RIGHT, end + timedelta(hours=24), 4, True, None),
        # Episode 3: neuropathy, no recovery date yet.
        SeriesBleed(3, LEFT, start, 16, True, None),
        # Episode 4: recovered after 61 days (2024-03-01 -> 2024-05-01, a leap year).
        SeriesBleed(4, LEFT, start, None, True, date(2024, 5, 1)),
        # Episode 5: no neuropathy, so no recovery to wait for.
        SeriesBleed(5, LEFT, start, 8),
    ]
    patients = [SeriesPatient(number, date(2010, 1, 1)) for number in range(1, 6)]
    figures = case_series(patients, bleeds).as_dict()
    # Median of 40 and 61 = 50.5.
    assert figures["recovery"] == {"recovered": 2, "not_recovered": 2, "median_days": 50.5}
    # Days known for 4 episodes: 12, 14, 16, 8 -> mean 12.5; episode 4 unknown.
    assert (figures["hospital_days"]["mean"], figures["hospital_days"]["unknown"]) == (12.5, 1)


def test_the_date_range_counts_episodes_by_their_first_bleed() -> None:
    start = datetime(2024, 3, 30, 8, tzinfo=UTC)
    end = start + timedelta(days=1)
    bleeds = [
        SeriesBleed(1, LEFT, start, treatment_end=end),
        SeriesBleed(1, LEFT, end + timedelta(hours=48)),  # rebleed on 2024-04-02: same episode
        SeriesBleed(2, LEFT, at(date(2024, 4, 30))),  # last day of the range: counted
        SeriesBleed(2, RIGHT, at(date(2024, 5, 1))),  # day after: not counted
    ]
    patients = [SeriesPatient(1, date(2010, 1, 1)), SeriesPatient(2, date(2010, 1, 1))]
    series = case_series(patients, bleeds, start_from=date(2024, 4, 1), start_to=date(2024, 4, 30))
    assert [(e.patient_id, e.start.date()) for e in series.episodes] == [(2, date(2024, 4, 30))]


def test_an_empty_cohort_has_no_rates() -> None:
    figures = case_series([], []).as_dict()
    assert (figures["prevalence"], figures["femoral_neuropathy"]["rate"]) == (None, None)
    assert figures["hospital_days"] == {"n": 0, "mean": None, "sd": None, "unknown": 0}
    assert figures["recovery"] == {"recovered": 0, "not_recovered": 0, "median_days": None}


def test_a_bleed_of_a_patient_outside_the_cohort_is_refused() -> None:
    bleed = SeriesBleed(9, LEFT, at(date(2024, 1, 1)))
    with pytest.raises(InvalidInputError, match=r"bleeds\[0\]\.patient_id: 9 is not a patient"):
        case_series([SeriesPatient(1, date(2010, 1, 1))], [bleed])


def test_a_band_upside_down_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="bands: '12-6' is not a band"):
        AgeBand(12, 6)
