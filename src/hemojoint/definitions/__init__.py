"""Versioned definition files for provisional clinical numbers, and their loader.

The packaged files sit beside this module (``<code>.json``). A centre replaces
one by putting a file of the same name in ``HEMOJOINT_DEFINITIONS_DIR``; the
replacement is validated by the same domain parser as the packaged one.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from hemojoint.domain.errors import DefinitionError


def packaged_codes() -> list[str]:
    """Codes of every definition file shipped with hemojoint."""
    folder = resources.files(__package__)
    return sorted(
        entry.name.removesuffix(".json")
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    )


def load_definition(code: str, override_dir: Path | None = None) -> dict[str, Any]:
    """Return the parsed JSON definition ``code``: the centre's copy if present, else ours."""
    if override_dir is not None:
        candidate = override_dir / f"{code}.json"
        if candidate.is_file():
            return _parse(candidate.read_text(encoding="utf-8"), str(candidate))
    packaged = resources.files(__package__).joinpath(f"{code}.json")
    if not packaged.is_file():
        raise DefinitionError(f"no definition file for {code!r}")
    return _parse(packaged.read_text(encoding="utf-8"), f"packaged {code}.json")


def _parse(text: str, origin: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DefinitionError(
            f"{origin}: not valid JSON ({error.msg} at line {error.lineno})"
        ) from error
    if not isinstance(data, dict):
        raise DefinitionError(f"{origin}: the top level must be an object")
    return data
