"""The REST API, mounted under /api/v1."""

from fastapi import APIRouter

from hemojoint.web.api import auth, patients

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth.router)
api_router.include_router(patients.router)
