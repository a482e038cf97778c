"""Weights and inhibitor results of a patient."""

from fastapi import APIRouter

from hemojoint.schemas.patient_history import (
    InhibitorResultCreate,
    InhibitorResultUpdate,
    WeightCreate,
    WeightUpdate,
)
from hemojoint.services.patient_history import INHIBITOR_RESULTS, WEIGHTS
from hemojoint.web.api.child_routes import child_routes

router = APIRouter()
router.include_router(
    child_routes(WEIGHTS, path="/weights", create_schema=WeightCreate, update_schema=WeightUpdate)
)
router.include_router(
    child_routes(
        INHIBITOR_RESULTS,
        path="/inhibitor-results",
        create_schema=InhibitorResultCreate,
        update_schema=InhibitorResultUpdate,
    )
)
