"""The outcome analysis of a cohort from the registry's own records (issue 6).

Cohort: patients (of one centre, or all) with a programme enrolment starting in
the date range; a patient with several enrolments is analysed from the first. The
patient filters (severity, hemophilia type, prior regimen, age band at that
enrolment's start: :mod:`hemojoint.services.outcome_filters`) are applied right
after that one read, before the cohort's assessments and bleeds are read.
For each patient the two timepoints (``baseline`` and ``week_12`` by default)
give, per outcome, one (baseline, follow-up) pair; the statistics are
:func:`hemojoint.domain.outcomes.analyse_outcome` and the adjusted model
:func:`hemojoint.domain.outcomes_regression.adjusted_change`.

Outcomes:

- HJHS total and each subscore, CHO-KLAT score: from the stored results. With
  several assessments at one timepoint the latest (by date) counts.
- Ultrasound total: HEAD-US or HEAD-US-C, compared at each patient's highest
  common tier over the joints examined at both timepoints
  (:mod:`hemojoint.services.outcomes_ultrasound`); the entry says which tier was
  used per patient and for the outcome.
- Joint bleeds, joint ABR and target joints: the 12 weeks before the enrolment
  start versus the 12 weeks from it (bleed episodes grouped by the domain).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.bleeds import (
    BleedEpisode,
    Episode,
    annualised_bleeding_rate,
    count_bleeds,
    group_episodes,
    window_before,
    window_from,
)
from hemojoint.domain.errors import InvalidInputError
from hemojoint.domain.instruments.head_us_c import HeadUsCDefinition
from hemojoint.domain.outcomes import OutcomeAnalysis, PatientPair, analyse_outcome
from hemojoint.domain.outcomes_regression import ModelRow, adjusted_change
from hemojoint.domain.patients import PriorRegimen, Severity, age_at
from hemojoint.domain.target_joints import target_joints
from hemojoint.persistence.models import (
    AssessmentRecord,
    CentreRecord,
    PatientRecord,
    ProgrammeEnrolmentRecord,
)
from hemojoint.persistence.repositories import outcomes as repository
from hemojoint.services import audit
from hemojoint.services import outcomes_ultrasound as ultrasound
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError, PermissionDeniedError
from hemojoint.services.outcome_filters import PatientFilters

# What the analysis reads; a caller of the API must be allowed to read each (there is no
# REPORT record type in the permission matrix yet: these are the closest existing ones).
REPORT_READS = (
    RecordType.PATIENT,
    RecordType.HJHS,
    RecordType.ULTRASOUND,
    RecordType.CHOKLAT,
    RecordType.BLEED,
)
FACTORS = ("prior_regimen", "severity", "hemophilia_type")
HJHS_SUBSCORES = ("swelling", "muscle", "motion", "crepitus", "pain", "gait")
PROGRAMME_WEEKS = 12
MONTHS_PER_YEAR = 12
ULTRASOUND = "ultrasound_total"
ULTRASOUND_CODES = ("head_us", "head_us_c")  # the instruments of the ultrasound outcome


@dataclass(frozen=True)
class CohortFilter:
    centre_code: str | None = None
    start_from: date | None = None
    start_to: date | None = None
    baseline: str = "baseline"
    follow_up: str = "week_12"
    patients: PatientFilters = field(default_factory=PatientFilters)

    def as_dict(self) -> dict[str, Any]:
        dates = {"start_from": self.start_from, "start_to": self.start_to}
        return {
            "centre": self.centre_code,
            **{key: value.isoformat() if value else None for key, value in dates.items()},
            "timepoints": [self.baseline, self.follow_up],
            **self.patients.as_dict(),
        }


@dataclass(frozen=True)
class Member:
    """One patient of the cohort with everything the outcomes are read from."""

    patient: PatientRecord
    enrolment: ProgrammeEnrolmentRecord
    at_baseline: dict[str, AssessmentRecord]  # instrument code -> latest assessment
    at_follow_up: dict[str, AssessmentRecord]
    episodes: list[Episode]

    @property
    def label(self) -> str:
        return self.patient.record_number

    @property
    def groups(self) -> dict[str, str]:
        return {factor: str(getattr(self.patient, factor).value) for factor in FACTORS}


@dataclass(frozen=True)
class CohortAnalysis:
    """The JSON analysis and the cohort it was computed from (for plots and provenance)."""

    report: dict[str, Any]
    members: list[Member]


def outcomes_report(
    session: Session, cohort: CohortFilter, definitions_dir: Path | None = None
) -> dict[str, Any]:
    """Every outcome of the cohort, analysed, as plain JSON types (audited as one read).

    ``definitions_dir``: a centre's definitions (the HEAD-US-C projection), else ours.
    """
    return analyse_cohort(session, cohort, definitions_dir).report


def analyse_cohort(
    session: Session, cohort: CohortFilter, definitions_dir: Path | None = None
) -> CohortAnalysis:
    members = _members(session, cohort)
    head_us_c = ultrasound.load_head_us_c(definitions_dir)
    readers = outcome_readers(head_us_c)
    analyses = [_analyse(name, members, read) for name, read in readers.items()]
    _add_ultrasound_tiers(analyses, members, head_us_c)
    audit.record(
        session,
        None,
        action="report",
        entity="outcomes",
        detail={"filter": cohort.as_dict(), "patients": len(members)},
    )
    report = {
        "filter": cohort.as_dict(),
        "cohort": {
            "patients": len(members),
            "filters": cohort.patients.applied(),  # the patient filters that were set
            "factors": list(FACTORS),
        },
        "outcomes": analyses,
    }
    return CohortAnalysis(report, members)


def cohort_for(session: Session, actor: Actor, cohort: CohortFilter) -> CohortFilter:
    """The cohort an API caller may analyse: their own centre's, and audited as theirs.

    Another centre is 404 like a missing one (scope first); then the role: families may
    not read a cohort, and every record type in ``REPORT_READS`` must be readable (403).
    The analysis itself leaves its own ``report`` entry (:func:`analyse_cohort`).
    """
    centre = session.get(CentreRecord, actor.centre_id)
    if centre is None or cohort.centre_code not in (None, centre.code):
        raise NotFoundError("centre", cohort.centre_code)
    if actor.role.is_family:
        raise PermissionDeniedError(f"role {actor.role.value} may not read a cohort's outcomes")
    for record_type in REPORT_READS:
        actor.require(Action.READ, record_type)
    scoped = replace(cohort, centre_code=centre.code)
    audit.record(
        session, actor, action="report", entity="outcomes", detail={"filter": scoped.as_dict()}
    )
    return scoped


# --- the cohort ---------------------------------------------------------------------------------


def _members(session: Session, cohort: CohortFilter) -> list[Member]:
    centre_id = None
    if cohort.centre_code is not None:
        centre = repository.centre_by_code(session, cohort.centre_code)
        if centre is None:
            raise NotFoundError("centre", cohort.centre_code)
        centre_id = centre.id
    first: dict[int, tuple[PatientRecord, ProgrammeEnrolmentRecord]] = {}
    rows = repository.enrolled_patients(
        session, centre_id=centre_id, start_from=cohort.start_from, start_to=cohort.start_to
    )
    for patient, enrolment in rows:
        first.setdefault(patient.id, (patient, enrolment))
    # Filtered on the first enrolment (its start gives the age band), before reading more.
    first = {key: pair for key, pair in first.items() if cohort.patients.keeps(*pair)}
    ids = list(first)
    assessments = repository.assessments_at(session, ids, [cohort.baseline, cohort.follow_up])
    bleeds = repository.bleeds_of(session, ids)
    return [
        Member(
            patient=patient,
            enrolment=enrolment,
            at_baseline=_latest(assessments, patient.id, cohort.baseline),
            at_follow_up=_latest(assessments, patient.id, cohort.follow_up),
            episodes=group_episodes(
                BleedEpisode(b.site, b.started_at, b.treatment_ended_at, b.bleed_type)
                for b in bleeds
                if b.patient_id == patient.id
            ),
        )
        for patient, enrolment in first.values()
    ]


def _latest(
    assessments: Sequence[AssessmentRecord], patient_id: int, timepoint: str
) -> dict[str, AssessmentRecord]:
    # Oldest first from the repository, so the latest of each instrument wins.
    return {
        a.instrument_code: a
        for a in assessments
        if a.patient_id == patient_id and a.timepoint == timepoint
    }


# --- reading one outcome ------------------------------------------------------------------------

Reader = Callable[[Member], PatientPair]


def outcome_readers(head_us_c: HeadUsCDefinition | None = None) -> dict[str, Reader]:
    """One reader per outcome; ``head_us_c`` projects HEAD-US-C exams (default: ours)."""
    definition = ultrasound.load_head_us_c() if head_us_c is None else head_us_c
    readers: dict[str, Reader] = {"hjhs_total": _scored("hjhs", _total)}
    for name in HJHS_SUBSCORES:
        readers[f"hjhs_{name}"] = _scored("hjhs", _subscore(name))
    readers[ULTRASOUND] = partial(_ultrasound, definition=definition)
    readers["choklat_score"] = _scored("choklat", _total)
    readers["joint_bleeds_12_weeks"] = _bleeds(_joint_bleeds)
    readers["joint_abr"] = _bleeds(_joint_abr)
    readers["target_joints"] = _bleeds(_target_joint_count)
    return readers


def _total(record: AssessmentRecord) -> float | None:
    return record.total


def _subscore(name: str) -> Callable[[AssessmentRecord], float | None]:
    def read(record: AssessmentRecord) -> float | None:
        value = record.result.get("subscores", {}).get(name)
        return None if value is None else float(value)

    return read


def _scored(code: str, read: Callable[[AssessmentRecord], float | None]) -> Reader:
    def pair(member: Member) -> PatientPair:
        before, after = member.at_baseline.get(code), member.at_follow_up.get(code)
        return PatientPair(
            member.label,
            None if before is None else read(before),
            None if after is None else read(after),
            member.groups,
        )

    return pair


def _ultrasound_comparison(
    member: Member, definition: HeadUsCDefinition
) -> ultrasound.UltrasoundComparison:
    before = ultrasound.highest_exam(member.at_baseline)
    after = ultrasound.highest_exam(member.at_follow_up)
    return ultrasound.compare_exams(before, after, definition)


def _ultrasound(member: Member, definition: HeadUsCDefinition) -> PatientPair:
    compared = _ultrasound_comparison(member, definition)
    return PatientPair(
        member.label,
        compared.baseline,
        compared.follow_up,
        member.groups,
        excluded=compared.excluded,
    )


def _add_ultrasound_tiers(
    analyses: list[dict[str, Any]], members: list[Member], definition: HeadUsCDefinition
) -> None:
    """Say at which tier each patient (and the outcome) was compared."""
    entry = next(item for item in analyses if item["outcome"] == ULTRASOUND)
    excluded = {item["patient"] for item in entry["excluded"]}
    comparisons = [(member.label, _ultrasound_comparison(member, definition)) for member in members]
    entry.update(ultrasound.tier_summary(comparisons, excluded))


def _bleeds(count: Callable[[list[Episode], date, date], float]) -> Reader:
    def pair(member: Member) -> PatientPair:
        start = member.enrolment.start_date
        before = window_before(start, PROGRAMME_WEEKS)
        during = window_from(start, PROGRAMME_WEEKS)
        return PatientPair(
            member.label,
            count(member.episodes, *before),
            count(member.episodes, *during),
            member.groups,
        )

    return pair


def _joint_bleeds(episodes: list[Episode], start: date, end: date) -> float:
    return float(count_bleeds(episodes, start, end, joints_only=True))


def _joint_abr(episodes: list[Episode], start: date, end: date) -> float:
    return annualised_bleeding_rate(episodes, start, end).joint_abr


def _target_joint_count(episodes: list[Episode], _start: date, end: date) -> float:
    # Target joints on the last day of the window (the window end is exclusive).
    return float(sum(1 for period in target_joints(episodes, end) if period.is_target))


# --- the analysis -------------------------------------------------------------------------------


def _analyse(name: str, members: list[Member], read: Reader) -> dict[str, Any]:
    pairs = [read(member) for member in members]
    analysis = analyse_outcome(name, pairs, FACTORS)
    entry = analysis.as_dict()
    entry["adjusted"], entry["adjusted_not_run"] = _adjusted(analysis, members, pairs)
    return entry


def _adjusted(
    analysis: OutcomeAnalysis, members: list[Member], pairs: list[PatientPair]
) -> tuple[dict[str, Any] | None, str | None]:
    """OLS of change on age, severity, baseline and prophylaxis change, or why not."""
    if analysis.test is None:
        return None, analysis.not_tested
    excluded = {item.patient for item in analysis.excluded}
    rows = [
        _model_row(member, pair.baseline, pair.follow_up)
        for member, pair in zip(members, pairs, strict=True)
        if pair.patient not in excluded and pair.baseline is not None and pair.follow_up is not None
    ]
    try:
        return adjusted_change(rows).as_dict(), None
    except InvalidInputError as error:
        return None, str(error)


def _model_row(member: Member, baseline: float, follow_up: float) -> ModelRow:
    age = age_at(member.patient.birth_date, member.enrolment.start_date)
    return ModelRow(
        change=follow_up - baseline,
        age_years=age.total_months / MONTHS_PER_YEAR,
        severe=member.patient.severity == Severity.SEVERE,
        baseline=baseline,
        # Prior on-demand patients start prophylaxis with the programme.
        prophylaxis_change=member.patient.prior_regimen == PriorRegimen.ON_DEMAND,
    )
