"""The REST API, mounted under /api/v1."""

from fastapi import APIRouter

from hemojoint.web.api import (
    admin,
    assessments,
    auth,
    bleeds,
    consents,
    patient_history,
    patient_record,
    patients,
    prophylaxis,
)

api_router = APIRouter(prefix="/api/v1")
for module in (
    auth,
    admin,
    patients,
    patient_record,
    patient_history,
    assessments,
    bleeds,
    prophylaxis,
    consents,
):
    api_router.include_router(module.router)
