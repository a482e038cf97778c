"""Consents of a patient: the standard child-record routes."""

from fastapi import APIRouter

from hemojoint.schemas.consents import ConsentCreate, ConsentUpdate
from hemojoint.services.consents import CONSENTS
from hemojoint.web.api.child_routes import child_routes

router = APIRouter()
router.include_router(
    child_routes(
        CONSENTS, path="/consents", create_schema=ConsentCreate, update_schema=ConsentUpdate
    )
)
