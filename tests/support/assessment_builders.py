"""Raw instrument inputs (the JSON of ``hemojoint score CODE``) and saved assessments."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.catalog import instrument_catalog
from hemojoint.domain.anatomy import IndexJoint
from hemojoint.domain.instruments.hjhs import HjhsItem
from hemojoint.persistence.models import AssessmentRecord, PatientRecord, UserRecord
from hemojoint.schemas.assessments import Timepoint
from hemojoint.services.assessments import headline_total

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "score"


def hjhs_raw(scores: dict[str, Any] | None = None) -> dict[str, Any]:
    """A healthy HJHS 2.1 examination (every item 0, gait 0) with ``scores`` laid over it.

    Keys are the API's field paths: ``{"left_knee.swelling": 2, "gait": 1}``.
    """
    joints = {joint.value: {item.value: 0 for item in HjhsItem} for joint in IndexJoint}
    raw: dict[str, Any] = {"joints": joints, "gait": 0}
    for path, value in (scores or {}).items():
        if path == "gait":
            raw["gait"] = value
        else:
            joint, item = path.split(".")
            joints[joint][item] = value
    return raw


def head_us_raw() -> dict[str, Any]:
    """HEAD-US of one knee: synovitis 1 + cartilage 2 + bone 0 = 3 (Martinoli 2013)."""
    return {"joints": {"left_knee": {"synovitis": 1, "cartilage": 2, "bone": 0}}}


def example_raw(code: str) -> dict[str, Any]:
    """The packaged example input for ``code`` (the one ``./dev demo`` scores)."""
    data: dict[str, Any] = json.loads((EXAMPLES / f"{code}.json").read_text(encoding="utf-8"))
    return data


def create_assessment(
    session: Session,
    patient: PatientRecord,
    assessor: UserRecord,
    *,
    instrument_code: str = "hjhs",
    raw: dict[str, Any] | None = None,
    assessed_date: date = date(2026, 1, 12),
    timepoint: Timepoint = Timepoint.BASELINE,
) -> AssessmentRecord:
    """A saved assessment scored by the packaged catalog, bypassing the API."""
    scorer = instrument_catalog()[instrument_code]
    raw = hjhs_raw() if raw is None else raw
    result = scorer.score_mapping(raw).as_dict()
    record = AssessmentRecord(
        patient_id=patient.id,
        instrument_code=instrument_code,
        instrument_version=scorer.info.version,
        instrument_status=scorer.info.status.value,
        assessed_date=assessed_date,
        timepoint=timepoint.value,
        assessor_id=assessor.id,
        raw=raw,
        result=result,
        total=headline_total(result),
    )
    session.add(record)
    session.flush()
    return record
