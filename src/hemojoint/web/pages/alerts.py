"""The alerts inbox: emergency triage results first, acknowledged by a named clinician."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
