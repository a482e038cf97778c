"""A patient's full record: the chart sections the caller may read, in one response."""

from __future__ import annotations

from fastapi import APIRouter

from hemojoint.schemas.patient_record import FullRecordRead
from hemojoint.services import patient_record
from hemojoint.web.api.deps import CurrentActor, DbSession

router = APIRouter(tags=["patients"])


# exclude_unset: sections the role may not read are left out, not sent as null.
@router.get(
    "/patients/{patient_id}/record",
    response_model=FullRecordRead,
    response_model_exclude_unset=True,
)
def get_patient_record(patient_id: int, actor: CurrentActor, session: DbSession) -> FullRecordRead:
    record = patient_record.get(session, actor, patient_id=patient_id)
    return FullRecordRead.model_validate(
        {
            "patient": record.patient,
            "counts": record.counts,
            "infusions_limit": record.infusions_limit,
            **record.sections,
        },
        from_attributes=True,
    )
