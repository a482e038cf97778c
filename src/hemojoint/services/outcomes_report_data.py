"""What the HTML/PDF outcome report needs beyond the JSON analysis (issue 6).

The plots need each included patient's (baseline, follow-up) pair and the
provenance needs the instrument versions the cohort was scored with; neither is
in :func:`hemojoint.services.outcomes.outcomes_report`, so they are read here
from the same cohort with the same outcome readers (never a second definition or query).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.services import outcomes

# The outcomes the report plots (paired lines and box plots, and the bleed bars).
PLOTTED = ("hjhs_total", "ultrasound_total", "choklat_score", "joint_bleeds_12_weeks")


@dataclass(frozen=True)
class InstrumentUsed:
    code: str
    version: str
    status: str


@dataclass(frozen=True)
class OutcomesReportData:
    report: dict[str, Any]  # the JSON analysis, exactly as ``--format json`` writes it
    pairs: dict[str, list[tuple[float, float]]]  # outcome -> included (baseline, follow-up)
    instruments: list[InstrumentUsed]


def outcomes_report_data(session: Session, cohort: outcomes.CohortFilter) -> OutcomesReportData:
    analysis = outcomes.analyse_cohort(session, cohort)  # audited there, read once
    report, members = analysis.report, analysis.members
    readers = outcomes.outcome_readers()
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
    return OutcomesReportData(report, pairs, _instruments(members))


def _instruments(members: list[outcomes.Member]) -> list[InstrumentUsed]:
    used = {
        InstrumentUsed(record.instrument_code, record.instrument_version, record.instrument_status)
        for member in members
        for assessments in (member.at_baseline, member.at_follow_up)
        for record in assessments.values()
    }
    return sorted(used, key=lambda item: (item.code, item.version))
