"""Errors on pages: a readable page in the reader's language, never a traceback."""

from __future__ import annotations

from fastapi.responses import RedirectResponse, Response
from starlette.requests import Request

from hemojoint.web.i18n import N_
from hemojoint.web.pages.context import SignInRequired
from hemojoint.web.pages.rendering import render

# Status -> the headline shown above the detail (translated in the template).
HEADLINES = {
    400: N_("The request could not be understood"),
    401: N_("Please sign in"),
    403: N_("You do not have access to this"),
    404: N_("Not found"),
    409: N_("Someone else changed this meanwhile"),
    422: N_("Some values need correcting"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong; nothing was saved"),
}


def is_page_request(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/static/"))


def error_page(request: Request, status_code: int, detail: str) -> Response:
    headline = HEADLINES.get(status_code, HEADLINES[400])
    return render(
        request,
        "error.html",
        None,
        status_code=status_code,
        headline=headline,
        detail=detail if status_code != 500 else "",
    )


def sign_in_redirect(request: Request, error: SignInRequired) -> Response:
    if request.headers.get("HX-Request"):  # htmx swaps a fragment: ask it to navigate
        return Response(status_code=401, headers={"HX-Redirect": error.location})
    return RedirectResponse(error.location, status_code=303)
