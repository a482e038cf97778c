"""One error body everywhere: ``{"error": code, "detail": sentence, "fields": [...]}``."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from hemojoint.domain.errors import (
    DefinitionError,
    DomainError,
    FieldProblem,
    InvalidInputError,
)
from hemojoint.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    TooManyAttemptsError,
)

log = logging.getLogger(__name__)

_STATUS: list[tuple[type[DomainError], int]] = [
    (InvalidInputError, 422),
    (NotFoundError, 404),
    (PermissionDeniedError, 403),
    (ConflictError, 409),
    (TooManyAttemptsError, 429),
    (AuthenticationError, 401),
    (DefinitionError, 500),
]


def error_body(
    code: str, detail: str, fields: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"error": code, "detail": detail, "fields": fields or [], **extra}


def status_for(error: DomainError) -> int:
    return next((status for kind, status in _STATUS if isinstance(error, kind)), 400)


def domain_error_response(error: DomainError) -> JSONResponse:
    fields = []
    if isinstance(error, InvalidInputError):
        fields = [
            {"field": p.field, "value": p.value, "allowed": p.allowed, "message": p.message}
            for p in error.problems
        ]
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(error, ConflictError) and error.current is not None:
        extra["current"] = error.current
    if isinstance(error, TooManyAttemptsError):
        headers["Retry-After"] = str(error.retry_after_seconds)
    body = error_body(error.code, str(error), fields, **extra)
    return JSONResponse(body, status_code=status_for(error), headers=headers)


def validation_fields(error: RequestValidationError | ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors as our field list: dotted field, the value, what is allowed."""
    fields = []
    for item in error.errors():
        location = [str(part) for part in item["loc"] if part not in ("body", "query", "path")]
        field = ".".join(location) or "body"
        allowed = _allowed(item)
        # Never echo a password back, not even a wrong one.
        value = None if "password" in field else item.get("input")
        fields.append(
            {
                "field": field,
                "value": value if _is_json(value) else None,
                "allowed": allowed,
                "message": f"{field}: {item['msg']}",
            }
        )
    return fields


def field_problems(error: ValidationError) -> list[FieldProblem]:
    """The same refusals as the domain's field problems (pages show them beside their fields)."""
    return [
        FieldProblem(item["field"], item["value"], item["allowed"], item["message"])
        for item in validation_fields(error)
    ]


_BOUND_WORDS = {
    "ge": ">= {}",
    "gt": "> {}",
    "le": "<= {}",
    "lt": "< {}",
    "min_length": "at least {} characters",
    "max_length": "at most {} characters",
}


def _allowed(item: Any) -> str:
    context = item.get("ctx") or {}
    if "expected" in context:
        return str(context["expected"])
    bounds = [
        template.format(_plain(context[key]))
        for key, template in _BOUND_WORDS.items()
        if key in context
    ]
    return ", ".join(bounds) if bounds else str(item["msg"])


def _plain(number: object) -> str:
    """``40.0`` -> ``40``: bounds read as people write them."""
    return f"{number:g}" if isinstance(number, float) else str(number)


def _is_json(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


PageErrorRenderer = Callable[[Request, int, str], Response]


def install_error_handlers(app: FastAPI, pages: PageErrorRenderer | None = None) -> None:
    """JSON errors for the API; ``pages`` renders the same errors as HTML for a browser page."""

    def answer(request: Request, response: JSONResponse) -> Response:
        if pages is None or request.url.path.startswith("/api/"):
            return response
        detail = json.loads(bytes(response.body))["detail"]
        return pages(request, response.status_code, detail)

    @app.exception_handler(DomainError)
    async def on_domain_error(request: Request, error: DomainError) -> Response:
        return answer(request, domain_error_response(error))

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, error: RequestValidationError) -> Response:
        fields = validation_fields(error)
        detail = "; ".join(field["message"] for field in fields)
        body = error_body("invalid_input", detail, fields)
        return answer(request, JSONResponse(body, status_code=422))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> Response:
        # Unknown paths and wrong methods get the one body shape too.
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        body = error_body(code, str(error.detail).lower())
        return answer(request, JSONResponse(body, status_code=error.status_code))

    @app.exception_handler(StaleDataError)
    async def on_stale(request: Request, _error: StaleDataError) -> Response:
        detail = "the record was changed by someone else meanwhile; reload it and try again"
        return answer(request, JSONResponse(error_body("conflict", detail), status_code=409))

    @app.exception_handler(IntegrityError)
    async def on_integrity(request: Request, _error: IntegrityError) -> Response:
        detail = "the change conflicts with an existing record"
        return answer(request, JSONResponse(error_body("conflict", detail), status_code=409))

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error", exc_info=error)
        detail = "an unexpected error occurred; nothing was saved"
        body = error_body("internal_error", detail)
        return answer(request, JSONResponse(body, status_code=500))
