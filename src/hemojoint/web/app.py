"""``create_app(settings)`` builds the whole web application; nothing happens at import."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from hemojoint import __version__
from hemojoint.persistence.db import make_engine, session_factory
from hemojoint.settings import Settings
from hemojoint.web.api import api_router
from hemojoint.web.api.errors import install_error_handlers


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
    install_error_handlers(app)
    app.include_router(api_router)
    return app
