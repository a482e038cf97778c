"""Family pages, phone first: today's exercises, log a session, report a bleed, check-ins, messages, plan."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
