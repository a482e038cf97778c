"""Runtime settings, read from ``HEMOJOINT_*`` environment variables.

Nothing reads the environment at import time: call :func:`get_settings` at the
edge (CLI command, app factory) and pass the result in.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HEMOJOINT_", extra="ignore")

    # A folder of JSON files that replace the packaged provisional definitions
    # (same file names, e.g. head_us_c.json), so a centre can change a number
    # without a code change.
    definitions_dir: Path | None = None


def get_settings() -> Settings:
    return Settings()
