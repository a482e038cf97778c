"""What the HTML/PDF outcome report needs beyond the JSON analysis (issue 6).

The plots need each included patient's (baseline, follow-up) pair, the per-joint
scores and the bleeds over time; the provenance needs the instrument versions the
cohort was scored with. None of it is in
:func:`hemojoint.services.outcomes.outcomes_report`, so it is read here from the
same analysed cohort with the same outcome readers (never a second query).

The age band is a grouping factor the analysis module does not have (yet): each
outcome's change is compared between the bands of
:func:`hemojoint.domain.outcomes.age_band` (age at the enrolment start) with the
same domain analysis, and added to the entry's ``groups`` (skipped if the analysis
already has the factor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from statistics import fmean
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.bleeds import count_bleeds
from hemojoint.domain.outcomes import AGE_BAND_SPLIT_YEARS, analyse_outcome
from hemojoint.services import outcomes
from hemojoint.services.outcome_filters import enrolment_age_band
from hemojoint.services.outcomes_ultrasound import load_head_us_c

# The outcomes the report plots (paired lines and box plots, and the bleed bars).
PLOTTED = ("hjhs_total", "ultrasound_total", "choklat_score", "joint_bleeds_12_weeks")
AGE_BAND = "age_band"
AGE_BAND_CONVENTION = (
    f"completed years at the enrolment start: under {AGE_BAND_SPLIT_YEARS} versus "
    f"{AGE_BAND_SPLIT_YEARS} and over (our convention: the CHO-KLAT respondent split)"
)
# Per-joint heat maps: HJHS joint totals and each ultrasound instrument's joint totals.
HEAT_MAP_INSTRUMENTS = ("hjhs", *outcomes.ULTRASOUND_CODES)
# ABR over time: 4-week periods from 12 weeks before to 12 weeks after the enrolment start.
PERIOD_WEEKS = 4
PERIODS_BEFORE = PERIODS_AFTER = outcomes.PROGRAMME_WEEKS // PERIOD_WEEKS
DAYS_PER_YEAR = 365.25  # REFERENCE.md section 2: ABR = bleeds / (observed days / 365.25)

Progress = Callable[[str], None]  # called with the name of the step that starts


@dataclass(frozen=True)
class InstrumentUsed:
    code: str
    version: str
    status: str


@dataclass(frozen=True)
class HeatMap:
    """Mean joint score per timepoint (rows) and joint (columns); None where no patient had one."""

    instrument: str
    timepoints: tuple[str, ...]
    joints: tuple[str, ...]
    means: tuple[tuple[float | None, ...], ...]
    counts: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class AbrPeriod:
    """The cohort's joint ABR in one 4-week period, weeks counted from the enrolment start."""

    start_week: int  # -12, -8, ... 8: the period is [start_week, start_week + 4)
    joint_bleeds: int
    patients: int
    joint_abr: float


@dataclass(frozen=True)
class OutcomesReportData:
    report: dict[str, Any]  # the JSON analysis, with the age-band comparison added
    pairs: dict[str, list[tuple[float, float]]]  # outcome -> included (baseline, follow-up)
    instruments: list[InstrumentUsed]
    heat_maps: list[HeatMap]
    abr_periods: list[AbrPeriod]


def outcomes_report_data(
    session: Session,
    cohort: outcomes.CohortFilter,
    progress: Progress | None = None,
    *,
    definitions_dir: Path | None = None,
) -> OutcomesReportData:
    """The analysis and what its figures need; ``definitions_dir`` is a centre's own
    definitions (the HEAD-US-C projection), so its numbers are used throughout."""
    step = progress or (lambda _name: None)
    step("reading and analysing the cohort")
    analysis = outcomes.analyse_cohort(session, cohort, definitions_dir)  # audited, read once
    report, members = analysis.report, analysis.members
    readers = outcomes.outcome_readers(load_head_us_c(definitions_dir))
    step("comparing age bands")
    add_age_band(report, members, readers)
    step("collecting figure data")
    return OutcomesReportData(
        report,
        _pairs(report, members, readers),
        _instruments(members),
        heat_maps(members, (cohort.baseline, cohort.follow_up)),
        abr_periods(members),
    )


def _pairs(
    report: dict[str, Any], members: list[outcomes.Member], readers: dict[str, outcomes.Reader]
) -> dict[str, list[tuple[float, float]]]:
    pairs: dict[str, list[tuple[float, float]]] = {}
    for entry in report["outcomes"]:
        name = entry["outcome"]
        if name not in PLOTTED:
            continue
        excluded = {item["patient"] for item in entry["excluded"]}
        read = [readers[name](member) for member in members]
        pairs[name] = [
            (pair.baseline, pair.follow_up)
            for pair in read
            if pair.patient not in excluded
            and pair.baseline is not None
            and pair.follow_up is not None
        ]
    return pairs


def _instruments(members: list[outcomes.Member]) -> list[InstrumentUsed]:
    used = {
        InstrumentUsed(record.instrument_code, record.instrument_version, record.instrument_status)
        for member in members
        for assessments in (member.at_baseline, member.at_follow_up)
        for record in assessments.values()
    }
    return sorted(used, key=lambda item: (item.code, item.version))


# --- the age band -------------------------------------------------------------------------------


def member_age_band(member: outcomes.Member) -> str:
    # The same band the cohort's age-band filter uses.
    return enrolment_age_band(member.patient, member.enrolment)


def add_age_band(
    report: dict[str, Any], members: list[outcomes.Member], readers: dict[str, outcomes.Reader]
) -> None:
    """Append each tested outcome's change compared between the age bands (in place)."""
    if AGE_BAND in report["cohort"]["factors"]:
        return
    report["cohort"]["factors"].append(AGE_BAND)
    report["cohort"]["age_band_convention"] = AGE_BAND_CONVENTION
    bands = [member_age_band(member) for member in members]
    for entry in report["outcomes"]:
        if entry["test"] is None:
            continue  # untested outcomes have no group comparisons either
        read = readers[entry["outcome"]]
        pairs = [
            replace(pair, groups={AGE_BAND: band})
            for pair, band in zip(map(read, members), bands, strict=True)
        ]
        by_band = analyse_outcome(entry["outcome"], pairs, (AGE_BAND,)).groups[0]
        entry["groups"].append(by_band.as_dict())


# --- per-joint heat maps ------------------------------------------------------------------------


def heat_maps(members: list[outcomes.Member], timepoints: tuple[str, str]) -> list[HeatMap]:
    """One heat map per instrument the cohort has joint totals for (HJHS, each ultrasound tier).

    Ultrasound tiers are never mixed: HEAD-US and HEAD-US-C joint scores have
    different ranges, so each gets its own map.
    """
    result = []
    for code in HEAT_MAP_INSTRUMENTS:
        per_timepoint = [_joint_scores(members, code, index) for index in range(len(timepoints))]
        joints = sorted({joint for scores in per_timepoint for joint in scores}, key=_joint_order)
        if not joints:
            continue
        means = tuple(
            tuple(fmean(s[j]) if s.get(j) else None for j in joints) for s in per_timepoint
        )
        counts = tuple(tuple(len(s.get(j, [])) for j in joints) for s in per_timepoint)
        result.append(HeatMap(code, timepoints, tuple(joints), means, counts))
    return result


def _joint_order(joint: str) -> tuple[int, str]:
    # The HJHS form's order (IndexJoint), any other joint after it alphabetically.
    order = [item.value for item in IndexJoint]
    return (order.index(joint), "") if joint in order else (len(order), joint)


def _joint_scores(
    members: list[outcomes.Member], code: str, timepoint_index: int
) -> dict[str, list[float]]:
    scores: dict[str, list[float]] = {}
    for member in members:
        at = member.at_baseline if timepoint_index == 0 else member.at_follow_up
        record = at.get(code)
        totals = {} if record is None else record.result.get("joint_totals") or {}
        for joint, value in totals.items():
            if value is not None:
                scores.setdefault(joint, []).append(float(value))
    return scores


# --- ABR over time ------------------------------------------------------------------------------


def abr_periods(members: list[outcomes.Member]) -> list[AbrPeriod]:
    """The cohort's joint ABR per 4-week period around each patient's enrolment start.

    Periods are relative to each patient's own start, so the programme start is week 0
    for everyone. ABR = joint bleed episodes of all patients / (patients x 28 days / 365.25).
    """
    result = []
    for index in range(-PERIODS_BEFORE, PERIODS_AFTER):
        start_week = index * PERIOD_WEEKS
        bleeds = sum(_bleeds_in(member, start_week) for member in members)
        years = len(members) * PERIOD_WEEKS * 7 / DAYS_PER_YEAR
        abr = bleeds / years if years else 0.0
        result.append(AbrPeriod(start_week, bleeds, len(members), abr))
    return result


def _bleeds_in(member: outcomes.Member, start_week: int) -> int:
    start = member.enrolment.start_date + timedelta(weeks=start_week)
    end = start + timedelta(weeks=PERIOD_WEEKS)
    return count_bleeds(member.episodes, start, end, joints_only=True)
