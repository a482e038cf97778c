"""Bleeds: the 72-hour episode rule, ABR, window counts and target joints (REFERENCE.md §2)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import (
    BleedEpisode,
    BleedType,
    Episode,
    Window,
    annualised_bleeding_rate,
    count_bleeds,
    group_episodes,
    window_before,
    window_from,
)
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.target_joints import TargetJointPeriod, target_joints

SPONTANEOUS = BleedType.SPONTANEOUS
TRAUMATIC = BleedType.TRAUMATIC
KNEE = BleedSite.LEFT_KNEE


def bleed(
    start: datetime,
    end: datetime | None = None,
    site: BleedSite = KNEE,
    kind: BleedType = SPONTANEOUS,
) -> BleedEpisode:
    return BleedEpisode(site, start, end, kind)


def episode_on(day: date, site: BleedSite = KNEE, kind: BleedType = SPONTANEOUS) -> Episode:
    return Episode((bleed(datetime(day.year, day.month, day.day, 9), site=site, kind=kind),))


# 72-hour rule (REFERENCE.md §2): a bleed at the same site starting within 72 h after the
# end of treatment of an earlier bleed is the same episode. "Within" includes 72:00.
FIRST_START = datetime(2024, 3, 1, 8, 0)
FIRST_END = datetime(2024, 3, 3, 8, 0)


@pytest.mark.parametrize(
    ("second_start", "site", "episodes"),
    [
        (datetime(2024, 3, 6, 7, 59), KNEE, 1),  # 71:59 after the end of treatment
        (datetime(2024, 3, 6, 8, 0), KNEE, 1),  # 72:00
        (datetime(2024, 3, 6, 8, 1), KNEE, 2),  # 72:01
        (datetime(2024, 3, 2, 8, 0), KNEE, 1),  # during treatment of the first
        (datetime(2024, 3, 6, 7, 59), BleedSite.RIGHT_KNEE, 2),  # 71:59, other knee
        (datetime(2024, 3, 6, 7, 59), BleedSite.LEFT_ILIOPSOAS, 2),  # 71:59, muscle
    ],
    ids=["71h59", "72h00", "72h01", "during-treatment", "other-side", "other-site"],
)
def test_72_hour_rule(second_start: datetime, site: BleedSite, episodes: int) -> None:
    first = bleed(FIRST_START, FIRST_END)
    second = bleed(second_start, site=site)
    assert len(group_episodes([first, second])) == episodes


def test_without_an_end_of_treatment_there_is_no_72_hour_window() -> None:
    first = bleed(FIRST_START, None)
    second = bleed(FIRST_START + timedelta(hours=1))
    assert len(group_episodes([first, second])) == 2


def test_a_chain_of_rebleeds_is_one_episode_in_start_order() -> None:
    # Each rebleed starts 70 h after the end of treatment of the one before.
    first = bleed(datetime(2024, 3, 1, 8), datetime(2024, 3, 2, 8), kind=TRAUMATIC)
    second = bleed(datetime(2024, 3, 5, 6), datetime(2024, 3, 6, 6))
    third = bleed(datetime(2024, 3, 9, 4), datetime(2024, 3, 10, 4))
    (episode,) = group_episodes([third, first, second])
    assert episode.bleeds == (first, second, third)
    assert episode.start == first.start
    assert episode.treatment_end == datetime(2024, 3, 10, 4)
    # The cause is the first bleed's: a rebleed does not change it.
    assert episode.bleed_type is TRAUMATIC
    assert episode.as_dict() == {
        "site": "left_knee",
        "start": "2024-03-01T08:00:00",
        "treatment_end": "2024-03-10T04:00:00",
        "bleed_type": "traumatic",
        "bleeds": 3,
    }


def test_episodes_are_ordered_by_start() -> None:
    ankle = bleed(datetime(2024, 1, 5), site=BleedSite.RIGHT_ANKLE)
    knee = bleed(datetime(2024, 1, 2))
    assert [episode.site for episode in group_episodes([ankle, knee])] == [
        KNEE,
        BleedSite.RIGHT_ANKLE,
    ]


def test_treatment_end_before_start_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="^treatment_end: '2024-03-01T07:00:00' is before"):
        bleed(datetime(2024, 3, 1, 8), datetime(2024, 3, 1, 7))


def test_mixing_time_zones_is_refused() -> None:
    aware = bleed(datetime(2024, 3, 1, 8, tzinfo=UTC))
    naive = bleed(datetime(2024, 3, 2, 8))
    with pytest.raises(InvalidInputError, match=r"^bleeds\[1\]\.start: .* mixes a time zone"):
        group_episodes([aware, naive])
    with pytest.raises(InvalidInputError, match="^treatment_end: .* mixes a time zone"):
        bleed(datetime(2024, 3, 1, 8, tzinfo=UTC), datetime(2024, 3, 2, 8))


def test_an_episode_has_one_site() -> None:
    with pytest.raises(InvalidInputError, match="^bleeds: .* is not one site"):
        Episode((bleed(FIRST_START), bleed(FIRST_START, site=BleedSite.RIGHT_KNEE)))


# ABR = bleeds / (observed days / 365.25) (REFERENCE.md §2), by hand:
# 2021-01-01 to 2025-01-01 is 365 + 365 + 365 + 366 = 1461 days = 4 x 365.25, so 4 years.
def test_abr_over_four_years_exactly() -> None:
    episodes = [
        episode_on(date(2021, 3, 1)),
        episode_on(date(2022, 3, 1), kind=TRAUMATIC),
        episode_on(date(2023, 3, 1), site=BleedSite.LEFT_ILIOPSOAS),
    ]
    rate = annualised_bleeding_rate(episodes, date(2021, 1, 1), date(2025, 1, 1))
    assert rate.observed_days == 1461
    assert (rate.total_count, rate.joint_count, rate.spontaneous_count) == (3, 2, 2)
    assert rate.total_abr == 0.75  # 3 / 4
    assert rate.joint_abr == 0.5  # 2 / 4
    assert rate.spontaneous_abr == 0.5  # 2 / 4


def test_abr_one_bleed_in_twelve_weeks() -> None:
    # 1 / (84 / 365.25) = 365.25 / 84 = 4 + 29.25 / 84 = 4.348214285714285714... (long division)
    rate = annualised_bleeding_rate(
        [episode_on(date(2024, 2, 1))], *window_before(date(2024, 3, 25))
    )
    assert rate.observed_days == 84
    assert rate.total_abr == pytest.approx(4.348214285714286, rel=1e-12)


def test_abr_with_no_bleeds_is_zero() -> None:
    rate = annualised_bleeding_rate([], date(2024, 1, 1), date(2024, 1, 2))
    assert (rate.total_abr, rate.joint_abr, rate.spontaneous_abr) == (0.0, 0.0, 0.0)


def test_abr_as_dict() -> None:
    rate = annualised_bleeding_rate(
        [episode_on(date(2021, 3, 1))], date(2021, 1, 1), date(2025, 1, 1)
    )
    assert rate.as_dict() == {
        "window": {"start": "2021-01-01", "end": "2025-01-01"},
        "observed_days": 1461,
        "total_count": 1,
        "joint_count": 1,
        "spontaneous_count": 1,
        "total_abr": 0.25,
        "joint_abr": 0.25,
        "spontaneous_abr": 0.25,
    }


@pytest.mark.parametrize(
    "window_end",
    [date(2024, 1, 1), date(2023, 12, 31)],
    ids=["equal", "before"],
)
def test_abr_refuses_an_empty_window(window_end: date) -> None:
    with pytest.raises(
        InvalidInputError, match="^window_end: .* is not after window_start 2024-01-01$"
    ):
        annualised_bleeding_rate([], date(2024, 1, 1), window_end)


def test_abr_refuses_date_times_as_window_bounds() -> None:
    with pytest.raises(InvalidInputError, match="^window_start: .* is not a date as YYYY-MM-DD$"):
        annualised_bleeding_rate([], datetime(2024, 1, 1, 12), date(2024, 2, 1))


# Windows by hand: 84 days before 2024-03-25 is 2024-01-01 (24 days of March, 29 of
# February 2024, 31 of January); 84 days from 2024-03-25 is 2024-06-17.
def test_twelve_week_windows() -> None:
    assert window_before(date(2024, 3, 25)) == Window(date(2024, 1, 1), date(2024, 3, 25))
    assert window_from(date(2024, 3, 25)) == Window(date(2024, 3, 25), date(2024, 6, 17))
    assert window_before(date(2024, 3, 25), weeks=1) == Window(date(2024, 3, 18), date(2024, 3, 25))


@pytest.mark.parametrize("weeks", [0, -1, True], ids=["zero", "negative", "boolean"])
def test_windows_refuse_non_positive_weeks(weeks: int) -> None:
    with pytest.raises(InvalidInputError, match="^weeks: .* is not 1 or more$"):
        window_before(date(2024, 3, 25), weeks=weeks)


# The 12 weeks before 2024-03-25 are [2024-01-01, 2024-03-25): start in, end out.
@pytest.mark.parametrize(
    ("day", "counted"),
    [
        (date(2023, 12, 31), 0),
        (date(2024, 1, 1), 1),
        (date(2024, 3, 24), 1),
        (date(2024, 3, 25), 0),
    ],
    ids=["day-before-start", "start", "last-day", "end"],
)
def test_count_bleeds_window_edges(day: date, counted: int) -> None:
    assert count_bleeds([episode_on(day)], *window_before(date(2024, 3, 25))) == counted


def test_count_bleeds_joints_only() -> None:
    episodes = [
        episode_on(date(2024, 2, 1)),
        episode_on(date(2024, 2, 2), site=BleedSite.RIGHT_ILIOPSOAS),
        episode_on(date(2024, 2, 3), site=BleedSite.RIGHT_HIP, kind=TRAUMATIC),
    ]
    window = window_before(date(2024, 3, 25))
    assert count_bleeds(episodes, *window) == 3
    assert count_bleeds(episodes, *window, joints_only=True) == 2


# Target joint (REFERENCE.md §2): 3 or more spontaneous bleeds in one joint within any 6
# consecutive months. Six calendar months from 2024-01-15 end on 2024-07-14 inclusive;
# from 2023-08-31 they end on 2024-02-28 (six months later is 31 Feb -> clamped to 29 Feb,
# the first day outside).
@pytest.mark.parametrize(
    ("days", "became"),
    [
        ((date(2024, 1, 15), date(2024, 3, 1)), None),
        ((date(2024, 1, 15), date(2024, 3, 1), date(2024, 7, 14)), date(2024, 7, 14)),
        ((date(2024, 1, 15), date(2024, 3, 1), date(2024, 7, 15)), None),
        ((date(2023, 8, 31), date(2023, 12, 1), date(2024, 2, 28)), date(2024, 2, 28)),
        ((date(2023, 8, 31), date(2023, 12, 1), date(2024, 2, 29)), None),
        # Apr 1 + 6 months = Oct 1: Sep 20 is inside; Jan 15 .. Sep 1 is not.
        (
            (date(2024, 1, 15), date(2024, 4, 1), date(2024, 9, 1), date(2024, 9, 20)),
            date(2024, 9, 20),
        ),
    ],
    ids=[
        "two-bleeds",
        "third-on-last-day",
        "third-a-day-outside",
        "clamped-last-day",
        "clamped-first-day-outside",
        "later-triple",
    ],
)
def test_target_joint_formation(days: tuple[date, ...], became: date | None) -> None:
    periods = target_joints([episode_on(day) for day in days], as_of=date(2024, 12, 31))
    expected = [] if became is None else [TargetJointPeriod(KNEE, became, None)]
    assert periods == expected


def test_traumatic_bleeds_do_not_form_a_target_joint() -> None:
    days_and_kinds = [
        (date(2024, 1, 15), SPONTANEOUS),
        (date(2024, 2, 1), TRAUMATIC),
        (date(2024, 3, 1), SPONTANEOUS),
    ]
    episodes = [episode_on(day, kind=kind) for day, kind in days_and_kinds]
    assert target_joints(episodes, as_of=date(2024, 12, 31)) == []


def test_muscle_bleeds_do_not_form_a_target_joint() -> None:
    days = [date(2024, 1, 15), date(2024, 2, 1), date(2024, 3, 1)]
    episodes = [episode_on(day, site=BleedSite.LEFT_ILIOPSOAS) for day in days]
    assert target_joints(episodes, as_of=date(2024, 12, 31)) == []


def test_bleeds_after_as_of_are_not_counted() -> None:
    days = [date(2024, 1, 15), date(2024, 2, 1), date(2024, 3, 1)]
    episodes = [episode_on(day) for day in days]
    assert target_joints(episodes, as_of=date(2024, 2, 29)) == []
    assert target_joints(episodes, as_of=date(2024, 3, 1)) == [
        TargetJointPeriod(KNEE, date(2024, 3, 1), None)
    ]


# Resolution (REFERENCE.md §2): no longer a target after 12 consecutive months with 2 or
# fewer bleeds in it. Target from 2023-03-01 (third spontaneous bleed); the first 12-month
# period after it runs 2023-03-02 to 2024-03-01 inclusive, so resolution is on 2024-03-02.
FORMED = [date(2023, 1, 1), date(2023, 2, 1), date(2023, 3, 1)]
TWO_AFTER = [date(2023, 6, 1), date(2023, 9, 1)]
THREE_AFTER = [date(2023, 6, 1), date(2023, 9, 1), date(2023, 12, 1)]


def knee_history(spontaneous: list[date], traumatic: list[date]) -> list[Episode]:
    return [episode_on(day) for day in spontaneous] + [
        episode_on(day, kind=TRAUMATIC) for day in traumatic
    ]


@pytest.mark.parametrize(
    ("after", "as_of", "resolved_on"),
    [
        (TWO_AFTER, date(2024, 3, 1), None),
        (TWO_AFTER, date(2024, 3, 2), date(2024, 3, 2)),
        (THREE_AFTER, date(2024, 3, 2), None),
        # With 3 bleeds the first good period starts the day after 2023-06-01 and holds
        # 2023-09-01 and 2023-12-01 only: 2023-06-02 to 2024-06-01, resolved 2024-06-02.
        (THREE_AFTER, date(2024, 6, 1), None),
        (THREE_AFTER, date(2024, 6, 2), date(2024, 6, 2)),
    ],
    ids=[
        "2-bleeds-12-months-not-complete",
        "2-bleeds-12-months-complete",
        "3-bleeds-12-months",
        "3-bleeds-later-period-not-complete",
        "3-bleeds-later-period-complete",
    ],
)
def test_target_joint_resolution(after: list[date], as_of: date, resolved_on: date | None) -> None:
    episodes = knee_history(FORMED, after)
    assert target_joints(episodes, as_of) == [
        TargetJointPeriod(KNEE, date(2023, 3, 1), resolved_on)
    ]


def test_spontaneous_bleeds_also_count_against_resolution() -> None:
    episodes = knee_history(FORMED + THREE_AFTER, [])
    assert target_joints(episodes, date(2024, 3, 2)) == [
        TargetJointPeriod(KNEE, date(2023, 3, 1), None)
    ]


def test_a_resolved_joint_can_become_a_target_again() -> None:
    # Resolved 2024-03-02 (see above); counting restarts then: three spontaneous bleeds
    # 2024-04-01, 2024-05-01, 2024-06-01 make it a target again on 2024-06-01.
    again = [date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1)]
    periods = target_joints(knee_history(FORMED + again, TWO_AFTER), date(2024, 12, 31))
    assert periods == [
        TargetJointPeriod(KNEE, date(2023, 3, 1), date(2024, 3, 2)),
        TargetJointPeriod(KNEE, date(2024, 6, 1), None),
    ]
    assert [period.is_target for period in periods] == [False, True]
    assert periods[0].as_dict() == {
        "site": "left_knee",
        "became_target_on": "2023-03-01",
        "resolved_on": "2024-03-02",
        "is_target": False,
    }


def test_each_joint_is_judged_on_its_own_bleeds() -> None:
    days = [date(2024, 1, 15), date(2024, 2, 1), date(2024, 3, 1)]
    left = [episode_on(day) for day in days[:2]]
    right = [episode_on(days[2], site=BleedSite.RIGHT_KNEE)]
    ankle = [episode_on(day, site=BleedSite.RIGHT_ANKLE) for day in days]
    assert target_joints(left + right + ankle, date(2024, 12, 31)) == [
        TargetJointPeriod(BleedSite.RIGHT_ANKLE, date(2024, 3, 1), None)
    ]
