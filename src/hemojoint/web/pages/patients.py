"""Patient list and the patient record: joint map, timeline, trend charts."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
