"""The REST API, mounted under /api/v1."""

from fastapi import APIRouter

from hemojoint.web.api import (
    admin,
    alerts,
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
    reports,
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
    alerts,
    prophylaxis,
    consents,
    programme,
    home,
    tele,
    mdt,
    home_plan,
    reports,
):
    api_router.include_router(module.router)
