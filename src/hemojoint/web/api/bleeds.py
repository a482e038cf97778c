"""Placeholder: routes are being written (issue 3)."""

from fastapi import APIRouter

router = APIRouter()
