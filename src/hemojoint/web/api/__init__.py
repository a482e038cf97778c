"""The REST API, mounted under /api/v1."""

from fastapi import APIRouter

from hemojoint.web.api import (
    admin,
    assessments,
    auth,
    bleeds,
    consents,
    home,
    home_plan,
    mdt,
    patient_history,
    patient_record,
    patients,
    programme,
    prophylaxis,
    tele,
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
    programme,
    home,
    tele,
    mdt,
    home_plan,
):
    api_router.include_router(module.router)
