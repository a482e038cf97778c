"""Education for families: packaged materials, a nurse's assignment, the family's receipt.

The materials are the ``education`` definition (``definitions/education.json``): our
own text in English and Simplified Chinese, versioned, replaceable by a centre.
They are checked here when loaded (every material in every language, codes unique),
so a broken replacement is a clear definition error, not a half-translated page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from hemojoint.definitions import load_definition
from hemojoint.domain.access import Action, RecordType
from hemojoint.domain.errors import DefinitionError, FieldProblem, InvalidInputError
from hemojoint.domain.instruments.base import InstrumentInfo
from hemojoint.persistence import repositories
from hemojoint.persistence.models import EducationAssignmentRecord
from hemojoint.persistence.repositories import tele as tele_repo
from hemojoint.services import audit, patients
from hemojoint.services.actor import Actor
from hemojoint.services.errors import NotFoundError

ENTITY = "education_assignment"
LANGUAGES = ("en", "zh-Hans")


@dataclass(frozen=True)
class Material:
    code: str
    version: str
    title: Mapping[str, str]  # language -> text
    body: Mapping[str, str]


@dataclass(frozen=True)
class Catalogue:
    info: InstrumentInfo
    disclaimer: Mapping[str, str]
    materials: tuple[Material, ...]

    def get(self, code: str) -> Material | None:
        return next((material for material in self.materials if material.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [material.code for material in self.materials]


def load_catalogue(definitions_dir: Path | None) -> Catalogue:
    """The education definition, checked: every text present in every language."""
    data = load_definition("education", definitions_dir)
    info = InstrumentInfo.from_mapping(data)
    disclaimer = _texts("disclaimer", data.get("disclaimer"))
    raw = data.get("materials")
    if not isinstance(raw, list) or not raw:
        raise DefinitionError("education: materials must be a non-empty list")
    materials = tuple(_material(index, item) for index, item in enumerate(raw))
    codes = [material.code for material in materials]
    if len(set(codes)) != len(codes):
        raise DefinitionError("education: material codes must be unique")
    return Catalogue(info, disclaimer, materials)


def _material(index: int, item: Any) -> Material:
    where = f"materials[{index}]"
    if not isinstance(item, Mapping):
        raise DefinitionError(f"education: {where} must be an object")
    code, version = item.get("code"), item.get("version")
    if not isinstance(code, str) or not code or not isinstance(version, str) or not version:
        raise DefinitionError(f"education: {where} needs a code and a version (texts)")
    title = _texts(f"{where}.title", item.get("title"))
    body = _texts(f"{where}.body", item.get("body"))
    return Material(code, version, title, body)


def _texts(where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise DefinitionError(f"education: {where} must map each of {', '.join(LANGUAGES)}")
    missing = [lang for lang in LANGUAGES if not _text(value.get(lang))]
    if missing:
        raise DefinitionError(f"education: {where} lacks a text in {', '.join(missing)}")
    return {lang: value[lang] for lang in LANGUAGES}


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def material(catalogue: Catalogue, code: str) -> Material:
    found = catalogue.get(code)
    if found is None:
        raise NotFoundError("education material", code)
    return found


# --- assignments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assigned:
    record: EducationAssignmentRecord
    created: bool  # False when the material was already assigned and not yet read


def assign(
    session: Session, actor: Actor, *, patient_id: int, material_code: str, catalogue: Catalogue
) -> Assigned:
    """A nurse gives a family a material to read; an open assignment of it is kept, not doubled."""
    patients.get_visible(session, actor, patient_id)
    actor.require(Action.WRITE, RecordType.EDUCATION)
    if catalogue.get(material_code) is None:
        raise InvalidInputError.single(
            FieldProblem.not_one_of("material_code", material_code, catalogue.codes)
        )
    existing = tele_repo.unread_assignment(session, patient_id, material_code)
    if existing is not None:
        _audit(session, actor, "read", existing)
        return Assigned(existing, created=False)
    record = EducationAssignmentRecord(
        patient_id=patient_id, material_code=material_code, assigned_by_id=actor.user_id
    )
    session.add(record)
    session.flush()
    _audit(session, actor, "create", record)
    return Assigned(record, created=True)


def list_(
    session: Session, actor: Actor, *, patient_id: int
) -> Sequence[EducationAssignmentRecord]:
    patients.get_visible(session, actor, patient_id)
    actor.require(Action.READ, RecordType.EDUCATION)
    records = tele_repo.education_assignments(session, patient_id)
    audit.record(
        session,
        actor,
        action="list",
        entity=ENTITY,
        patient_id=patient_id,
        detail={"returned_ids": [record.id for record in records]},
    )
    return records


def get(session: Session, actor: Actor, *, assignment_id: int) -> EducationAssignmentRecord:
    record = _load(session, actor, assignment_id)
    actor.require(Action.READ, RecordType.EDUCATION)
    _audit(session, actor, "read", record)
    return record


def mark_read(
    session: Session, actor: Actor, *, assignment_id: int, now: datetime
) -> EducationAssignmentRecord:
    """The family says they read it; marking again keeps the first time."""
    record = _load(session, actor, assignment_id)
    actor.require(Action.WRITE, RecordType.EDUCATION_RECEIPT)
    if record.read_at is None:
        record.read_at = now
        session.flush()
        _audit(session, actor, "mark_read", record)
    return record


def _load(session: Session, actor: Actor, assignment_id: int) -> EducationAssignmentRecord:
    found = repositories.get_visible_child(
        session, actor.viewer, EducationAssignmentRecord, assignment_id
    )
    if found is None:
        raise NotFoundError(ENTITY, assignment_id)
    return found[0]


def _audit(session: Session, actor: Actor, action: str, record: EducationAssignmentRecord) -> None:
    audit.record(
        session,
        actor,
        action=action,
        entity=ENTITY,
        entity_id=record.id,
        patient_id=record.patient_id,
        detail={"material_code": record.material_code},
    )
