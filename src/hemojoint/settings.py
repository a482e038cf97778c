"""Runtime settings, read from ``HEMOJOINT_*`` environment variables.

Nothing reads the environment at import time: call :func:`get_settings` at the
edge (CLI command, app factory) and pass the result in. Insecure defaults are
refused outside demo and development mode.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Mode(StrEnum):
    DEMO = "demo"
    DEVELOPMENT = "development"
    PRODUCTION = "production"


DEFAULT_DATABASE_URL = "sqlite:///hemojoint.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HEMOJOINT_", extra="ignore")

    mode: Mode = Mode.DEVELOPMENT
    # SQLite file by default; production uses postgresql+psycopg://...
    database_url: str = DEFAULT_DATABASE_URL
    # A folder of JSON files that replace the packaged provisional definitions
    # (same file names, e.g. head_us_c.json), so a centre can change a number
    # without a code change.
    definitions_dir: Path | None = None
    # Photos and videos from check-ins live here, outside the database; only their
    # metadata and a storage key are in the database.
    media_dir: Path = Path("hemojoint-media")
    # Browser sessions. Secure cookies need HTTPS; only local demo/dev may relax it.
    session_hours: float = 12.0
    cookie_secure: bool = True
    # Sign-in throttling: at most this many failures per window, per account and per address.
    login_max_failures: int = 5
    login_window_minutes: int = 15

    @model_validator(mode="after")
    def refuse_insecure_production(self) -> Settings:
        if self.mode is Mode.PRODUCTION and not self.cookie_secure:
            raise ValueError("HEMOJOINT_COOKIE_SECURE=false is refused in production mode")
        return self


def get_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
