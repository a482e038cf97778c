"""``create_app(settings)`` builds the whole web application; nothing happens at import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from hemojoint import __version__
from hemojoint.persistence.db import make_engine, session_factory
from hemojoint.settings import Settings
from hemojoint.web.api import api_router
from hemojoint.web.api.errors import install_error_handlers
from hemojoint.web.pages import pages_router
from hemojoint.web.pages.context import SignInRequired
from hemojoint.web.pages.errors import error_page, sign_in_redirect

STATIC_DIR = Path(__file__).parent / "static"


@dataclass(frozen=True)
class AppState:
    settings: Settings
    sessions: sessionmaker[Session]


def create_app(settings: Settings, *, sessions: sessionmaker[Session] | None = None) -> FastAPI:
    """The application for ``settings``; tests may hand in their own session factory."""
    app = FastAPI(
        title="hemojoint",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    factory = sessions or session_factory(make_engine(settings.database_url))
    app.state.hemojoint = AppState(settings=settings, sessions=factory)
    install_error_handlers(app, pages=error_page)
    app.add_exception_handler(SignInRequired, sign_in_redirect)  # type: ignore[arg-type]
    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
