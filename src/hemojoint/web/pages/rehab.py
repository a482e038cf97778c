"""Rehabilitation: problems, goals, the plan and its editor, weekly review, check-ins, messages."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
