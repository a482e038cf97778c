"""The web pages for clinicians and families (HTML; the JSON API is ``web.api``).

Each area of the application is one module with its own ``router``; ``pages_router``
collects them. Pages call the same services as the API, so scope, roles and audit
are the same wherever a record is read or written.
"""

from __future__ import annotations

from fastapi import APIRouter

from hemojoint.web.pages import (
    account,
    alerts,
    assessment_forms,
    family,
    mdt,
    patients,
    rehab,
    reports,
)

pages_router = APIRouter(include_in_schema=False)
for area in (account, patients, assessment_forms, rehab, mdt, alerts, family, reports):
    pages_router.include_router(area.router)
