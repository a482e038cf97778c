"""Iliopsoas case-series figures: patients, episodes, prevalence, neuropathy, stay, recovery.

Reference: ``REFERENCE.md`` section 4 summarises the published series
(Panuwannakorn et al., Int J Hematol 2023): 188 patients aged 20 or under, 20 with
44 iliopsoas bleeds, 28 of them with femoral neuropathy, mean age 15.2 years, mean
stay 13.7 days. This module computes the same figures from the registry's records.

Readings written down here so they can be checked:

- Episodes: only iliopsoas bleeds (left or right) count, joined per patient by the
  domain's 72-hour same-site rule (:func:`hemojoint.domain.bleeds.group_episodes`);
  a left and a right iliopsoas bleed are two episodes.
- An episode's hospital days are the sum of its bleeds' known days (``None`` when
  none is known); it has femoral neuropathy when any of its bleeds has; it is
  recovered when every bleed with neuropathy has a recovery date, on the latest one.
- An optional date range ``[start_from, start_to]`` (both inclusive) keeps the
  episodes whose first bleed starts in it; grouping is done on all the bleeds first,
  so a rebleed inside the range of an episode that began before it is not counted.
- Prevalence overall: patients with at least one episode / patients in the cohort.
- Age bands are OUR reporting convention (the paper gives no bands): completed years
  at the start of the episode, inclusive bounds, default 0-5, 6-11, 12-17, 18-20.
  A band's prevalence is patients with an episode at an age in the band / all the
  patients of the cohort (no per-band observation time is known), so a patient with
  episodes in two bands counts in both. Episodes outside every band are counted.
- Mean age at episode is in decimal years (days / 365.25), like a paper's mean age.
- Femoral neuropathy rate is per episode. Hospital days: mean and sample SD (n - 1)
  over the episodes whose days are known.
- Time to recovery: median days from the episode's start date to its recovery date,
  over recovered episodes only, with the number still not recovered beside it (a
  plain median, not a survival estimate).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hemojoint.domain.anatomy import BleedSite
from hemojoint.domain.bleeds import DAYS_PER_YEAR, BleedEpisode, BleedType, group_episodes
from hemojoint.domain.errors import FieldProblem
from hemojoint.domain.patients import age_at
from hemojoint.domain.validation import fail


@dataclass(frozen=True)
class AgeBand:
    """Completed years from ``low`` to ``high``, both inclusive."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low < 0 or self.high < self.low:
            shown = f"{self.low}-{self.high}"
            raise fail(FieldProblem.invalid("bands", shown, "0 <= low <= high", "is not a band"))

    @property
    def label(self) -> str:
        return f"{self.low}-{self.high}"

    def contains(self, years: int) -> bool:
        return self.low <= years <= self.high


DEFAULT_BANDS = (AgeBand(0, 5), AgeBand(6, 11), AgeBand(12, 17), AgeBand(18, 20))


@dataclass(frozen=True)
class SeriesPatient:
    id: int
    birth_date: date


@dataclass(frozen=True)
class SeriesBleed:
    """One reported bleed with its hospital stay and neuropathy outcome."""

    patient_id: int
    site: BleedSite
    start: datetime
    hospital_days: int | None = None
    femoral_neuropathy: bool = False
    neuropathy_recovery_date: date | None = None
    treatment_end: datetime | None = None
    bleed_type: BleedType = BleedType.SPONTANEOUS


@dataclass(frozen=True)
class IliopsoasEpisode:
    """One iliopsoas episode (one or more bleeds joined by the 72-hour rule)."""

    patient_id: int
    site: BleedSite
    start: datetime
    bleeds: int
    age_years: int  # completed years at the start
    age_decimal: float
    hospital_days: int | None
    femoral_neuropathy: bool
    recovery_date: date | None

    @property
    def days_to_recovery(self) -> int | None:
        if self.recovery_date is None:
            return None
        return (self.recovery_date - self.start.date()).days


@dataclass(frozen=True)
class BandFigures:
    band: AgeBand
    patients: int
    episodes: int
    prevalence: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "band": self.band.label,
            "patients": self.patients,
            "episodes": self.episodes,
            "prevalence": self.prevalence,
            "prevalence_percent": _percent(self.prevalence),
        }


@dataclass(frozen=True)
class CaseSeries:
    """The case-series figures of one cohort."""

    cohort_patients: int
    episodes: tuple[IliopsoasEpisode, ...]
    bands: tuple[BandFigures, ...]
    outside_bands: int

    @property
    def patients_with_bleeds(self) -> int:
        return len({episode.patient_id for episode in self.episodes})

    @property
    def prevalence(self) -> float | None:
        return _share(self.patients_with_bleeds, self.cohort_patients)

    @property
    def neuropathy_episodes(self) -> int:
        return sum(1 for episode in self.episodes if episode.femoral_neuropathy)

    @property
    def neuropathy_rate(self) -> float | None:
        return _share(self.neuropathy_episodes, len(self.episodes))

    def as_dict(self) -> dict[str, Any]:
        return {
            "cohort_patients": self.cohort_patients,
            "patients_with_bleeds": self.patients_with_bleeds,
            "episodes": len(self.episodes),
            "prevalence": self.prevalence,
            "prevalence_percent": _percent(self.prevalence),
            "by_age_band": [band.as_dict() for band in self.bands],
            "episodes_outside_bands": self.outside_bands,
            "age_bands_convention": "completed years at the episode start (our convention)",
            "femoral_neuropathy": {
                "episodes": self.neuropathy_episodes,
                "rate": self.neuropathy_rate,
                "rate_percent": _percent(self.neuropathy_rate),
            },
            "hospital_days": self._hospital_days(),
            "age_at_episode_years": _mean_sd([episode.age_decimal for episode in self.episodes]),
            "recovery": self._recovery(),
        }

    def _hospital_days(self) -> dict[str, Any]:
        known = [e.hospital_days for e in self.episodes if e.hospital_days is not None]
        return _mean_sd([float(days) for days in known]) | {
            "unknown": len(self.episodes) - len(known)
        }

    def _recovery(self) -> dict[str, Any]:
        neuropathic = [episode for episode in self.episodes if episode.femoral_neuropathy]
        days = [e.days_to_recovery for e in neuropathic if e.days_to_recovery is not None]
        return {
            "recovered": len(days),
            "not_recovered": len(neuropathic) - len(days),
            "median_days": statistics.median(days) if days else None,
        }


def case_series(
    patients: Sequence[SeriesPatient],
    bleeds: Iterable[SeriesBleed],
    *,
    bands: Sequence[AgeBand] = DEFAULT_BANDS,
    start_from: date | None = None,
    start_to: date | None = None,
) -> CaseSeries:
    """The iliopsoas case-series figures of ``patients`` (see the module's readings).

    >>> child = SeriesPatient(1, date(2010, 1, 1))
    >>> bleed = SeriesBleed(1, BleedSite.LEFT_ILIOPSOAS, datetime(2025, 6, 1), 14, True)
    >>> series = case_series([child, SeriesPatient(2, date(2012, 1, 1))], [bleed])
    >>> series.prevalence, series.neuropathy_rate, series.bands[2].episodes
    (0.5, 1.0, 1)
    """
    births = {patient.id: patient.birth_date for patient in patients}
    by_patient: dict[int, list[SeriesBleed]] = {}
    for index, bleed in enumerate(bleeds):
        if bleed.patient_id not in births:
            why = "is not a patient of the cohort"
            field = f"bleeds[{index}].patient_id"
            raise fail(FieldProblem.invalid(field, bleed.patient_id, "a cohort patient", why))
        if bleed.site.is_iliopsoas:
            by_patient.setdefault(bleed.patient_id, []).append(bleed)
    episodes = [
        episode
        for patient_id, own in sorted(by_patient.items())
        for episode in _episodes(births[patient_id], own)
        if _in_range(episode.start.date(), start_from, start_to)
    ]
    figures = tuple(_band_figures(band, episodes, len(births)) for band in bands)
    outside = sum(1 for e in episodes if not any(b.contains(e.age_years) for b in bands))
    return CaseSeries(len(births), tuple(episodes), figures, outside)


def _episodes(birth_date: date, bleeds: Sequence[SeriesBleed]) -> list[IliopsoasEpisode]:
    # group_episodes keeps the very objects it is given, so each maps back to its source.
    shaped = [(_as_reported(source), source) for source in bleeds]
    sources = {id(item): source for item, source in shaped}
    result = []
    for episode in group_episodes(item for item, _ in shaped):
        members = [sources[id(item)] for item in episode.bleeds]
        result.append(_summarise(birth_date, episode.start, members))
    return result


def _as_reported(bleed: SeriesBleed) -> BleedEpisode:
    return BleedEpisode(bleed.site, bleed.start, bleed.treatment_end, bleed.bleed_type)


def _summarise(birth_date: date, start: datetime, members: list[SeriesBleed]) -> IliopsoasEpisode:
    days = [bleed.hospital_days for bleed in members if bleed.hospital_days is not None]
    neuropathic = [bleed for bleed in members if bleed.femoral_neuropathy]
    recoveries = [bleed.neuropathy_recovery_date for bleed in neuropathic]
    recovered = None
    if neuropathic and all(day is not None for day in recoveries):
        recovered = max(day for day in recoveries if day is not None)
    return IliopsoasEpisode(
        patient_id=members[0].patient_id,
        site=members[0].site,
        start=start,
        bleeds=len(members),
        age_years=age_at(birth_date, start.date()).years,
        age_decimal=(start.date() - birth_date).days / DAYS_PER_YEAR,
        hospital_days=sum(days) if days else None,
        femoral_neuropathy=bool(neuropathic),
        recovery_date=recovered,
    )


def _band_figures(band: AgeBand, episodes: Sequence[IliopsoasEpisode], cohort: int) -> BandFigures:
    inside = [episode for episode in episodes if band.contains(episode.age_years)]
    patients = len({episode.patient_id for episode in inside})
    return BandFigures(band, patients, len(inside), _share(patients, cohort))


def _in_range(day: date, start_from: date | None, start_to: date | None) -> bool:
    return (start_from is None or day >= start_from) and (start_to is None or day <= start_to)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _mean_sd(values: Sequence[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "mean": statistics.fmean(values) if values else None,
        "sd": statistics.stdev(values) if len(values) > 1 else None,
    }
