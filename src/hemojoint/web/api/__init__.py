"""The REST API, mounted under /api/v1."""

from fastapi import APIRouter

from hemojoint.web.api import auth, patient_history, patients

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth.router)
api_router.include_router(patients.router)
api_router.include_router(patient_history.router)
