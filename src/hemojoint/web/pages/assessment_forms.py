"""Entry forms for every instrument and for bleeds, with live totals from the domain scorers."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
