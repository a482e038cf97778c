"""Helpers shared by the rehabilitation and MDT pages: who may open them, form problems, labels."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from hemojoint.domain.errors import FieldProblem, InvalidInputError
from hemojoint.domain.rehab.library import ExerciseLibrary
from hemojoint.services import programme
from hemojoint.services.programme import ProgrammeDefinitions
from hemojoint.web.api.deps import AppSettings
from hemojoint.web.api.errors import field_problems
from hemojoint.web.i18n import N_

# Labels of codes the programme stores (the stored code stays the stable value).
CONDITION_LABELS = {
    "active_synovitis": N_("active synovitis"),
    "severe_damage": N_("severe joint damage"),
    "loading_paused": N_("loading paused after a bleed"),
}
EVIDENCE_SOURCES = {
    "hjhs": N_("HJHS"),
    "ultrasound": N_("ultrasound"),
    "bleeds": N_("bleed"),
    "age": N_("age"),
}


def definitions(settings: AppSettings) -> ProgrammeDefinitions:
    """The exercise library and rules in force (a centre may replace the files)."""
    return programme.load_definitions(settings.definitions_dir)


Definitions = Annotated[ProgrammeDefinitions, Depends(definitions)]


def form_problems(error: ValidationError | InvalidInputError) -> list[FieldProblem]:
    """A refused form's problems, whether the schema or the service refused it."""
    if isinstance(error, ValidationError):
        return field_problems(error)
    return list(error.problems)


def exercise_name(library: ExerciseLibrary, code: str, language: str) -> str:
    """The library's name in the page's language; an unknown code is shown as it is."""
    if code not in library:
        return code
    name = library.get(code).name
    return name.zh_hans if language == "zh-Hans" else name.en


def contraindications(library: ExerciseLibrary, code: str) -> list[str]:
    if code not in library:
        return []
    return [condition.value for condition in library.get(code).contraindications]


def see_other(url: str) -> RedirectResponse:
    """After a successful form: the browser asks for the result page (PRG)."""
    return RedirectResponse(url, status_code=303)


def blank_to_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def as_int(value: str | None) -> Any:
    """A number field as typed: an int when it is one, else the text (the schema refuses it)."""
    text = blank_to_none(value)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return text
